"""unused-ignore: a suppression comment that suppresses nothing (with --report-unused-ignores)."""

from __future__ import annotations

from migrator.core.rule import DOCS_URL, Invalid, Rule, Valid


class UnusedIgnore(Rule):
    """a `ddmigrate: ignore` comment suppresses nothing

    ## What it does
    With `--report-unused-ignores`, reports `ddmigrate: ignore` comments that matched no
    finding, and rules listed in `ddmigrate: ignore[...]` that matched none.

    A suppression comment is `// ddmigrate: ignore[CODE or name, ...]` (or `#` in Python,
    `<!-- -->` in HTML, or a bare `ddmigrate: ignore` for every rule). It applies to findings
    on its own line, or, standing alone on a line, to findings on the next line.

    ## Why is this bad?
    A stale suppression hides the next real finding on that line, and tells readers a
    deprecated call is there when it is not.

    ## Example
    ```ts
    // ddmigrate: ignore[backend-http]
    await ddClient.extension.vm?.service?.get("/x");
    ```

    ## Use instead
    ```ts
    await ddClient.extension.vm?.service?.get("/x");
    ```

    ## Fix safety
    Safe: removing a comment that suppresses nothing changes nothing else. When only some of
    the listed rules are unused, the list is left to edit by hand.

    ## References
    - https://docs.astral.sh/ruff/rules/unused-noqa/ (the same idea in Ruff)
    """

    code = "DD001"
    url = DOCS_URL  # the references are other tools' pages
    name = "unused-ignore"
    fixable = "safe"
    # Nothing for the pre-filter: the rule has no matcher, and with --report-unused-ignores the
    # engine reads every file holding `ddmigrate:` itself (Catalogue.may_match). Without the
    # flag a suppression comment alone is no reason to parse a file.
    literals = ()
    languages = frozenset({"javascript", "typescript", "tsx", "python"})

    valid = (
        Valid("// ddmigrate: ignore[backend-http]\nwindow.ddClient.backend.get('/x');\n"),
        Valid("window.ddClient.backend.get('/x'); // ddmigrate: ignore\n"),
        Valid("window.ddClient.toastError('x'); // ddmigrate: ignore[DD302]\n"),
    )
    invalid = (
        Invalid("// ddmigrate: ignore[backend-http]\nawait ddClient.extension.vm?.service?.get('/x');\n",
                "await ddClient.extension.vm?.service?.get('/x');\n"),
        Invalid("const x = 1; // ddmigrate: ignore\r\n", "const x = 1;\r\n"),
        Invalid("window.ddClient.toastError('x'); // ddmigrate: ignore[DD302, DD101]\n", fix="none"),
    )
