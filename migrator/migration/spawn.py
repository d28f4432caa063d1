"""What both front-ends say when a v0 spawn callback becomes v1 stream handlers."""

from __future__ import annotations


def member_callback_note(source: str, binds_this: bool = False) -> str:
    """Why a callback read from an attribute (``this.onLogs``, ``self.on_log``) is an unsafe fix.

    v0 received the function once, when the command started; the handlers read the attribute
    again at each event, so a reassignment in between now takes effect. In JavaScript the
    handlers also call it as a method, with ``this`` bound to its object (v0 called it bare).
    """
    note = f"`{source}` is now looked up each time a handler runs, not once when the command starts"
    if binds_this:
        note += ", and called as a method of its object (v0 called it without `this`)"
    return note
