"""docker-list, toast, navigate, open-external: v0 client members that moved to a v1 object.

These are plain member moves (`ddClient.toastSuccess(msg)` becomes
`ddClient.desktopUI.toast.success(msg)`), so one table drives them all; each family is
its own rule for selection, suppression and documentation.
"""

from __future__ import annotations

from migrator.core.model import Edit
from migrator.core.rule import Invalid, Rule, Valid
from migrator.js.members import call_head, findings
from migrator.js.resolve import Kind
from migrator.migration.table import MEMBERS, family


def _paths(name: str) -> dict[str, str | None]:
    """v0 member -> v1 path from the client (None: no v1 equivalent), from the one table."""
    return {v0: entry.v1 for v0, entry in family(name).items()}


DOCKER_LIST, TOAST, NAVIGATE, OPEN_EXTERNAL = _paths("docker-list"), _paths("toast"), _paths("navigate"), _paths("host")


class _MemberMove(Rule):
    table: dict[str, str | None] = {}
    fixable = "safe"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.table:
            cls.methods = frozenset(cls.table)

    def on_match(self, ctx, captures):
        if ctx.resolver.kind(captures["client"][0]) is not Kind.CLIENT:
            return
        method = captures["method"][0]
        name = ctx.text(method)
        target = self.table[name]
        if target is None:
            yield ctx.finding(self, captures["call"][0],
                              f"`{name}()` is from an early preview of the extension API and has no v1 equivalent",
                              no_fix_reason="there is no v1 replacement; remove the call or link to the page another way")
            return
        message = f"`{name}()` is deprecated; use `{target}()`" + self.note(name)
        yield ctx.finding(self, captures["call"][0], message, edits=[Edit(method.start_byte, method.end_byte, target)])

    def check(self, ctx):
        """Members held in a variable (`const { toastError } = ddClient`) or used without a call."""
        def on_call(use):
            name, target = use.member.name, self.table[use.member.name]
            shown = f"`{name}()` is deprecated" if use.holder == name else f"`{use.holder}()` is the deprecated `{name}()`"
            message = f"{shown}; use `{target}()`" + self.note(name)
            yield ctx.finding(self, use.call, message, edits=call_head(use, target))

        yield from findings(self, ctx, self.methods, on_call)

    def note(self, name: str) -> str:
        return ""


class DockerList(_MemberMove):
    """`listContainers`/`listImages` move to `docker.listContainers`/`docker.listImages`

    ## What it does
    Moves `ddClient.listContainers(options)` and `ddClient.listImages(options)` to
    `ddClient.docker.listContainers(options)` and `ddClient.docker.listImages(options)`.

    ## Why is this bad?
    The top-level list methods belong to the deprecated v0 API and will be removed. The v1
    `docker` object takes the same options and returns the same result.

    ## Example
    ```ts
    const containers = await ddClient.listContainers({ all: true });
    ```

    ## Use instead
    ```ts
    const containers = await ddClient.docker.listContainers({ all: true });
    ```

    ## Fix safety
    Safe: same arguments, same result.

    ## References
    - https://docs.docker.com/extensions/extensions-sdk/dev/api/docker/
    """

    code = "DD301"
    name = "docker-list"
    table = DOCKER_LIST

    valid = (
        Valid("await ddClient.docker.listContainers({ all: true });\n"),
        Valid("function listContainers() { return []; }\nlistContainers();\n"),
        Valid("this.client.listContainers();\nawait docker.listImages();\n"),
    )
    invalid = (
        Invalid("const c = await ddClient.listContainers({ all: true });\n",
                "const c = await ddClient.docker.listContainers({ all: true });\n"),
        Invalid("window.ddClient.listImages({ filters: JSON.stringify({ dangling: ['true'] }) });\n",
                "window.ddClient.docker.listImages({ filters: JSON.stringify({ dangling: ['true'] }) });\n",
                filename="images.js"),
    )


class Toast(_MemberMove):
    """`toastSuccess/Warning/Error` move to `desktopUI.toast.success/warning/error`

    ## What it does
    Moves `toastSuccess`, `toastWarning` and `toastError` to `desktopUI.toast.success`,
    `desktopUI.toast.warning` and `desktopUI.toast.error`.

    ## Why is this bad?
    The top-level toast methods belong to the deprecated v0 API and will be removed.

    ## Example
    ```ts
    ddClient.toastSuccess("Saved");
    ```

    ## Use instead
    ```ts
    ddClient.desktopUI.toast.success("Saved");
    ```

    ## Fix safety
    Safe: same argument, same behaviour.

    ## References
    - https://docs.docker.com/extensions/extensions-sdk/dev/api/dashboard/
    """

    code = "DD302"
    name = "toast"
    table = TOAST

    valid = (
        Valid("ddClient.desktopUI.toast.success('ok');\n"),
        Valid("import { toastError } from './ui';\ntoastError('x');\nnotifier.toastSuccess('y');\n"),
        # A member assigned something else in the class is not known to be the client.
        Valid("class A {\n  client = window.ddClient;\n  reset() { this.client = other; }\n  m() { this.client.toastError('x'); }\n}\n"),
        Valid("class A {\n  client = window.ddClient;\n  m() { return function () { this.client.toastError('x'); }; }\n}\n"),
        Valid("if (ddClient.toastError) { log(typeof ddClient.toastSuccess); }\n"),
    )
    invalid = (
        Invalid("ddClient.toastSuccess(`Saved ${name}`);\nddClient.toastWarning('careful');\nddClient.toastError(err.message);\n",
                "ddClient.desktopUI.toast.success(`Saved ${name}`);\nddClient.desktopUI.toast.warning('careful');\n"
                "ddClient.desktopUI.toast.error(err.message);\n",
                findings=3),
        Invalid("window.ddClient?.toastError('x');\n", "window.ddClient?.desktopUI.toast.error('x');\n", filename="a.jsx"),
        # A class member holding the client: a TypeScript parameter property, a field.
        Invalid("import type { DockerDesktopClient } from '@docker/extension-api-client-types/dist/v1';\nexport class Notifier {\n  constructor(private readonly ddClient: DockerDesktopClient) {}\n"
                "  fail(m: string) { this.ddClient.toastError(m); }\n}\n",
                "import type { DockerDesktopClient } from '@docker/extension-api-client-types/dist/v1';\nexport class Notifier {\n  constructor(private readonly ddClient: DockerDesktopClient) {}\n"
                "  fail(m: string) { this.ddClient.desktopUI.toast.error(m); }\n}\n"),
        Invalid("class Saver {\n  client = window.ddClient;\n  done = () => { const c = this.client; c.toastSuccess('ok'); };\n}\n",
                "class Saver {\n  client = window.ddClient;\n  done = () => { const c = this.client; c.desktopUI.toast.success('ok'); };\n}\n"),
        # Destructured members: each use goes through the client; the unused declaration goes.
        Invalid("const { toastError, toastSuccess: ok } = window.ddClient;\ntoastError('x');\nok('y');\n",
                "window.ddClient.desktopUI.toast.error('x');\nwindow.ddClient.desktopUI.toast.success('y');\n", findings=2),
        # ... all of them or none: one use passed on blocks the others.
        Invalid("const { toastError } = window.ddClient;\ntoastError('x');\nitems.forEach(toastError);\n", findings=2),
        # Without a call: bound to its client, it moves; passed on, v1's method may need its `this`.
        Invalid("const warn = ddClient.toastWarning.bind(ddClient);\n",
                "const warn = ddClient.desktopUI.toast.warning.bind(ddClient.desktopUI.toast);\n"),
        Invalid("errors.forEach(ddClient.toastError);\n"),
    )


class Navigate(_MemberMove):
    """`navigateTo*` methods move to `desktopUI.navigate.view*`

    ## What it does
    Moves every `navigateTo*` method of the client to its `desktopUI.navigate.view*`
    replacement (`navigateToContainer(id)` becomes `desktopUI.navigate.viewContainer(id)`,
    and so on for logs, inspect, stats, images, image, volumes and volume).

    ## Why is this bad?
    The `navigateTo*` methods belong to the deprecated v0 API and will be removed. The v1
    methods take the same arguments; all of them return `Promise<void>`, including those
    whose v0 version returned `void` (`navigateToContainers`, `navigateToImages`,
    `navigateToVolumes`, `navigateToVolume`): the message says so where it matters.

    `navigateToRoute` and `navigateToDevEnvironments`, from the earliest SDK previews, are in
    no type package and have no v1 equivalent: they are reported without a fix.

    ## Example
    ```ts
    ddClient.navigateToContainerLogs(id);
    ```

    ## Use instead
    ```ts
    ddClient.desktopUI.navigate.viewContainerLogs(id);
    ```

    ## Fix safety
    Safe: same arguments and the same navigation.

    ## References
    - https://docs.docker.com/extensions/extensions-sdk/dev/api/dashboard-routes-navigation/
    """

    code = "DD303"
    name = "navigate"
    fixable = "sometimes"
    table = NAVIGATE

    def note(self, name: str) -> str:
        return " (it returns `Promise<void>` where v0 returned `void`)" if MEMBERS[name].now_async else ""

    valid = (
        Valid("await ddClient.desktopUI.navigate.viewContainer(id);\n"),
        Valid("router.navigateToContainers();\nconst navigateToImages = () => 1;\nnavigateToImages();\n"),
    )
    invalid = (
        Invalid("ddClient.navigateToContainers();\nawait ddClient.navigateToContainerLogs(id);\n",
                "ddClient.desktopUI.navigate.viewContainers();\nawait ddClient.desktopUI.navigate.viewContainerLogs(id);\n",
                findings=2),
        Invalid("ddClient.navigateToImage(id, tag);\nddClient.navigateToVolume(volumeName);\n",
                "ddClient.desktopUI.navigate.viewImage(id, tag);\nddClient.desktopUI.navigate.viewVolume(volumeName);\n",
                findings=2),
        Invalid("window.ddClient.navigateToRoute('/dev-envs');\n", filename="a.js"),
        Invalid("window.ddClient.navigateToDevEnvironments();\n", filename="a.js"),
    )


class OpenExternal(_MemberMove):
    """`openExternal(url)` moves to `host.openExternal(url)`

    ## What it does
    Moves `ddClient.openExternal(url)` to `ddClient.host.openExternal(url)`.

    ## Why is this bad?
    The top-level `openExternal` belongs to the deprecated v0 API and will be removed.

    ## Example
    ```ts
    ddClient.openExternal("https://docs.docker.com");
    ```

    ## Use instead
    ```ts
    ddClient.host.openExternal("https://docs.docker.com");
    ```

    ## Fix safety
    Safe: same argument, same behaviour. v1 `host.openExternal` returns `void`: a call whose
    result is used as a promise (`openExternal(url).then(...)`) is reported without a fix,
    since the renamed call would chain on `undefined`.

    ## References
    - https://docs.docker.com/reference/api/extensions-sdk/Host/
    """

    code = "DD304"
    name = "open-external"
    table = OPEN_EXTERNAL

    def on_match(self, ctx, captures):
        call = captures["call"][0]
        parent = call.parent
        prop = parent.child_by_field_name("property") if parent is not None and parent.type == "member_expression" else None
        if prop is None or ctx.text(prop) not in ("then", "catch", "finally") or ctx.resolver.kind(captures["client"][0]) is not Kind.CLIENT:
            yield from super().on_match(ctx, captures)
            return
        yield ctx.finding(self, call, f"`openExternal()` is deprecated; use `host.openExternal()` (v1 `host.openExternal` returns "
                                      f"`void`, so the `.{ctx.text(prop)}(...)` chained on it would run on `undefined`)",
                          no_fix_reason="the result is used as a promise; call what follows after `host.openExternal(url)` instead")

    valid = (
        Valid("ddClient.host.openExternal('https://docker.com');\n"),
        Valid("shell.openExternal('https://docker.com');\n"),
    )
    invalid = (
        Invalid("<a onClick={() => ddClient.openExternal(url)}>docs</a>;\n",
                "<a onClick={() => ddClient.host.openExternal(url)}>docs</a>;\n", filename="Link.tsx"),
        Invalid("<Link onOpen={ddClient.openExternal}>docs</Link>;\n", filename="Link.tsx"),
        Invalid("const open = window.ddClient.openExternal;\nopen('https://docs.docker.com');\n",
                "window.ddClient.host.openExternal('https://docs.docker.com');\n"),
        Invalid("window.ddClient.openExternal(url).then(() => setOpened(true));\n", filename="a.js",
                message="`openExternal()` is deprecated; use `host.openExternal()` (v1 `host.openExternal` returns `void`, so the"
                        " `.then(...)` chained on it would run on `undefined`)"),
    )
