"""Markdown and MDX code fences tagged JavaScript or TypeScript are linted and fixed in place."""

import pytest

from migrator.core import config as config_module
from migrator.core.engine import Catalogue, lint
from migrator.core.registry import all_rules
from migrator.core.source import SourceFile
from migrator.js import markdown

CATALOGUE = Catalogue(all_rules())

DOC = """# My extension

Call the backend from the UI:

```js
const hello = await window.ddClient.backend.get("/hello");
```

1. Then tell the user:

   ~~~typescript title="ui/src/notify.ts"
   window.ddClient.toastError("Something went wrong");
   ~~~

A fragment, not a program:

```ts
window.ddClient.openExternal(url) ...
```

````tsx
<Button onClick={() => window.ddClient.openExternal("https://docs.docker.com")}>Docs</Button>
````

```sh
docker extension install my/extension   # window.ddClient.backend.get("/x")
```

```
window.ddClient.backend.get("/untagged")
```

Prose mentioning window.ddClient.backend.get("/prose") is not code.
"""

DOC_FIXED = (DOC
             .replace('window.ddClient.backend.get("/hello")', 'window.ddClient.extension.vm?.service?.get("/hello")')
             .replace('window.ddClient.toastError("Something', 'window.ddClient.desktopUI.toast.error("Something')
             .replace('window.ddClient.openExternal("https', 'window.ddClient.host.openExternal("https'))


def findings_of(stdout: bytes) -> list[str]:
    return [" ".join(line.split(" ")[:3]) for line in stdout.decode().splitlines() if ": DD" in line]


def test_fences_are_checked_at_the_documents_positions(cli, write, tmp_path):
    write({"README.md": DOC, "docs/guide.mdx": DOC})
    proc = cli("check", ".", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    expected = ["{}:6:21: DD101 [backend-http]", "{}:12:4: DD302 [toast]", "{}:22:24: DD304 [open-external]"]
    assert findings_of(proc.stdout) == [e.format("README.md") for e in expected] + [e.format("docs/guide.mdx") for e in expected]
    assert proc.stderr == b""  # the fragment that does not parse is skipped quietly


def test_fix_edits_only_inside_fences_and_settles(cli, write, tmp_path):
    write({"README.md": DOC})
    proc = cli("fix", "README.md", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "README.md").read_bytes() == DOC_FIXED.encode()
    again = cli("fix", "README.md", cwd=tmp_path)
    assert "Fixed 0 findings" in again.stdout.decode()
    assert (tmp_path / "README.md").read_bytes() == DOC_FIXED.encode()


def test_a_fence_that_does_not_parse_is_skipped_quietly(cli, write, tmp_path):
    write({"notes.md": "```js\nwindow.ddClient.backend.get('/x') ... {\n```\n"})
    proc = cli("check", "notes.md", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout
    assert proc.stderr == b""
    assert "no findings in 1 file" in proc.stdout.decode()


def test_fence_regions():
    doc = b"""```javascript
a()
```
``` js {1,3}
b()
```
~~~~ts
~~~
c()
~~~~
```jsx
unclosed()
"""
    found = [(r.language, doc[r.start:r.end]) for r in markdown.regions(doc)]
    assert found == [("javascript", b"a()"), ("javascript", b"b()"), ("typescript", b"~~~\nc()"), ("javascript", b"unclosed()\n")]


def test_crlf_documents_keep_their_line_ends():
    raw = DOC.replace("\n", "\r\n").encode()
    source = SourceFile.from_bytes("README.md", raw)
    assert [(f.rule, f.line, f.column) for f in lint(source, CATALOGUE)] == [
        ("backend-http", 6, 21), ("toast", 12, 4), ("open-external", 22, 24)]


@pytest.mark.parametrize("name, text", [
    (".ddmigrate.toml", "markdown = false\n"),
    ("pyproject.toml", "[tool.ddmigrate]\nmarkdown = false\n"),
])
def test_the_markdown_switch_leaves_markdown_out(cli, write, tmp_path, name, text):
    write({name: text, "README.md": DOC, "docs/guide.mdx": DOC, "ui/app.js": "window.ddClient.toastError('x');\n"})
    proc = cli("check", ".", cwd=tmp_path)
    assert proc.returncode == 1
    assert findings_of(proc.stdout) == ["ui/app.js:1:1: DD302 [toast]"]
    # Named on the command line (as pre-commit does), Markdown is left out too.
    named = cli("check", "README.md", "ui/app.js", cwd=tmp_path)
    assert findings_of(named.stdout) == ["ui/app.js:1:1: DD302 [toast]"]
    write({name: text.replace("false", "true")})
    assert len(findings_of(cli("check", ".", cwd=tmp_path).stdout)) == 7


def test_the_markdown_switch_is_validated(cli, write, tmp_path):
    write({".ddmigrate.toml": 'markdown = "no"\n', "README.md": DOC})
    proc = cli("check", ".", cwd=tmp_path)
    assert proc.returncode == 2
    assert "'markdown' must be true or false" in proc.stderr.decode()
    assert config_module.load(str(write({".ddmigrate.toml": "markdown = false\n"}) / ".ddmigrate.toml")).markdown is False
    assert config_module.Config().markdown is True
