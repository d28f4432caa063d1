"""The Python rules beyond their catalogue examples: what resolves to the shim and what does not,
byte-exact edits, the real command line, and fixed code run against the real shim."""

from __future__ import annotations

import codecs
import json
import textwrap
import warnings

import pytest

from migrator.core.engine import Catalogue, fix, lint
from migrator.core.registry import all_rules, find_rule
from migrator.core.source import SourceFile
from migrator.shim import LegacyCommandError
from tests.shim.conftest import backend, ext, fake_docker, short_dir  # noqa: F401 - shim fixtures

CATALOGUE = Catalogue(all_rules())
PYTHON_RULES = [r for r in all_rules() if r.languages == frozenset({"python"})]
IMPORT = "from migrator.shim import DockerDesktopClient\n"


def python_findings(code: str, filename: str = "t.py"):
    source = SourceFile.from_bytes(filename, code.encode())
    return [f for f in lint(source, CATALOGUE) if f.code.startswith("DD5")]


def fixed(code: str, *, unsafe: bool = False, filename: str = "t.py") -> str:
    result = fix(SourceFile.from_bytes(filename, code.encode()), CATALOGUE, unsafe=unsafe)
    again = fix(result.source, CATALOGUE, unsafe=unsafe)
    assert not again.changed, "a second fix changed the code again"
    return result.source.content.decode()


def check_noop(code: str) -> None:
    assert python_findings(code) == []
    assert fixed(code, unsafe=True) == code


def check_transformed(before: str, after: str, *, unsafe: bool = False) -> None:
    assert fixed(before, unsafe=unsafe) == after


def test_the_python_rules_are_in_the_catalogue():
    codes = {r.code: r.name for r in PYTHON_RULES}
    assert codes == {
        "DD501": "python-backend-http", "DD502": "python-exec", "DD503": "python-spawn",
        "DD504": "python-list", "DD505": "python-unused-backend",
        "DD510": "python-chained-shell-command", "DD511": "python-shell-expansion",
    }
    assert all(r.literals == (b"migrator",) for r in PYTHON_RULES)
    assert find_rule("DD502").fixable == "sometimes"


# -- resolution ------------------------------------------------------------------------------------

RESOLVED = {
    "aliased import": "from migrator.shim import DockerDesktopClient as C\nC().backend.get('/x')\n",
    "module alias": "import migrator.shim as shim\nshim.DockerDesktopClient.from_metadata('m').backend.get('/x')\n",
    "dotted module": "import migrator.shim\nmigrator.shim.DockerDesktopClient().backend.get('/x')\n",
    "from package": "from migrator import shim\nshim.DockerDesktopClient().backend.get('/x')\n",
    "defining module": "from migrator.shim.client import DockerDesktopClient\nDockerDesktopClient().backend.get('/x')\n",
    "defining module alias": "from migrator.shim import client as m\nm.DockerDesktopClient().backend.get('/x')\n",
    "closure": IMPORT + "client = DockerDesktopClient()\n\n\ndef f():\n    def g():\n        return client.backend.get('/x')\n",
    "walrus": IMPORT + "if (c := DockerDesktopClient()):\n    c.backend.get('/x')\n",
    "alias of alias": IMPORT + "a = DockerDesktopClient()\nb = a\nb.backend.get('/x')\n",
    "every assignment a client": IMPORT + "c = DockerDesktopClient()\nc = DockerDesktopClient(base_url=u)\nc.backend.get('/x')\n",
    "annotated variable": IMPORT + "c: DockerDesktopClient = make()\nc.backend.get('/x')\n",
    "keyword-only parameter": IMPORT + "def f(*, client: DockerDesktopClient):\n    client.backend.get('/x')\n",
    "lambda in a function": IMPORT + "def f(c: DockerDesktopClient):\n    return lambda: c.backend.get('/x')\n",
    "cached factory": "import functools\n" + IMPORT + "@functools.cache\ndef make() -> DockerDesktopClient:\n"
                      "    return DockerDesktopClient()\nmake().backend.get('/x')\n",
}

NOT_RESOLVED = {
    "star import": "from migrator.shim import *\nDockerDesktopClient().backend.get('/x')\n",
    "fallback import": "try:\n    from migrator.shim import DockerDesktopClient\nexcept ImportError:\n"
                       "    DockerDesktopClient = None\nDockerDesktopClient().backend.get('/x')\n",
    "unannotated parameter": IMPORT + "def f(client):\n    client.backend.get('/x')\n",
    "parameter named ddClient": IMPORT + "def f(ddClient):\n    ddClient.backend.get('/x')\n",
    "star parameter": IMPORT + "def f(*clients: DockerDesktopClient):\n    clients.backend.get('/x')\n",
    "attribute": IMPORT + "class T:\n    def test(self):\n        self.client.backend.get('/x')\n",
    "subclass": IMPORT + "class Mine(DockerDesktopClient):\n    backend = fake\nMine().backend.get('/x')\n",
    "rebound by global": IMPORT + "client = DockerDesktopClient()\ndef reset():\n    global client\n"
                         "    client = None\nclient.backend.get('/x')\n",
    "local shadow": IMPORT + "client = DockerDesktopClient()\ndef f():\n    client = Fake()\n    client.backend.get('/x')\n",
    "rebound later": IMPORT + "client = DockerDesktopClient()\nclient.backend.get('/x')\nclient = Fake()\n",
    "async factory": IMPORT + "async def make() -> DockerDesktopClient:\n    ...\nmake().backend.get('/x')\n",
    "unknown decorator": IMPORT + "@wrap\ndef make() -> DockerDesktopClient:\n    ...\nmake().backend.get('/x')\n",
    "unannotated factory": IMPORT + "def make():\n    return DockerDesktopClient()\nmake().backend.get('/x')\n",
    "getattr": IMPORT + "getattr(DockerDesktopClient(), 'backend').get('/x')\n",
    "tuple unpacking": IMPORT + "a, b = DockerDesktopClient(), DockerDesktopClient()\na.backend.get('/x')\n",
    "class attribute": IMPORT + "DockerDesktopClient.backend.get('/x')\n",
    "relative import": "# migrator\nfrom .shim import DockerDesktopClient\nDockerDesktopClient().backend.get('/x')\n",
    "look-alike namespace": IMPORT + "fake = SimpleNamespace(backend=requests)\nfake.backend.get('/x')\n",
    "dotted string annotation": "import migrator.shim\ndef f(c: 'migrator.shim.DockerDesktopClient.Other'):\n"
                                "    c.backend.get('/x')\n",
    "imported client": "from migrator.fixtures import client\nclient.backend.get('/x')\n",
    "syntax error": IMPORT + "DockerDesktopClient().backend.get('/x'\n",
    "JavaScript text": "# migrator\nwindow.ddClient.backend.get('/x')\n",
}


@pytest.mark.parametrize("code", RESOLVED.values(), ids=RESOLVED.keys())
def test_clients_resolved_through_imports_and_scopes(code):
    [finding] = python_findings(code)
    assert finding.rule == "python-backend-http" and finding.fix_label == "safe"
    assert "extension.vm.service.get('/x')" in fixed(code)


@pytest.mark.parametrize("code", NOT_RESOLVED.values(), ids=NOT_RESOLVED.keys())
def test_what_is_not_the_shim_is_never_touched(code):
    check_noop(code)


def test_a_backend_parameter_is_reported_without_a_fix():
    code = "from migrator.shim import BackendV0\ndef f(b: BackendV0):\n    b.execInVMExtension('ls')\n"
    [finding] = python_findings(code)
    assert finding.rule == "python-exec" and finding.fix is None
    assert "client is not known here" in finding.no_fix_reason


def test_python_rules_do_not_run_on_javascript_and_back():
    js = "// migrator\nimport { DockerDesktopClient } from 'migrator.shim';\nnew DockerDesktopClient().backend.get('/x');\n"
    source = SourceFile.from_bytes("a.ts", js.encode())
    assert [f for f in lint(source, CATALOGUE) if f.code.startswith("DD5")] == []


# -- edits ---------------------------------------------------------------------------------------


def test_everything_outside_the_edits_stays_byte_for_byte():
    before = (
        "# -*- coding: utf-8 -*-\r\n"
        "from migrator.shim import DockerDesktopClient  # the shim\r\n"
        "\r\n"
        "client = DockerDesktopClient.from_metadata('metadata.json')\r\n"
        "\r\n"
        "\r\n"
        "def items():\r\n"
        "\t# tabs, a comment, and a non-ASCII string: naïve “quotes”\r\n"
        "\treturn client.backend.get(  '/items/naïve'  )  # keep me\r\n"
        "\r\n"
        "\r\n"
        "def disk():\r\n"
        "\tbackend = client.backend\r\n"
        "\treturn backend.execInVMExtension('du   -sh \"/my data\"')\r\n"
        "def tail():\n"  # a mixed line ending stays as it is
        "\treturn client.spawnHostCmd('tail', ['-f'], print)"  # no final newline
    )
    after = (
        "# -*- coding: utf-8 -*-\r\n"
        "from migrator.shim import DockerDesktopClient  # the shim\r\n"
        "\r\n"
        "client = DockerDesktopClient.from_metadata('metadata.json')\r\n"
        "\r\n"
        "\r\n"
        "def items():\r\n"
        "\t# tabs, a comment, and a non-ASCII string: naïve “quotes”\r\n"
        "\treturn client.extension.vm.service.get(  '/items/naïve'  )  # keep me\r\n"
        "\r\n"
        "\r\n"
        "def disk():\r\n"
        "\treturn client.extension.vm.cli.exec('du', ['-sh', '/my data'])\r\n"
        "def tail():\n"
        "\treturn client.extension.host.cli.exec('tail', ['-f'], stream={\r\n"
        "\t\t'on_output': lambda data: print(data, None),\r\n"
        "\t\t'on_error': lambda error: print(None, error),\r\n"
        "\t\t'on_close': lambda exit_code: print({'code': exit_code}, None),\r\n"
        "\t})"
    )
    check_transformed(before, after)


def test_a_utf8_bom_is_kept():
    code = IMPORT + "DockerDesktopClient().listImages()\n"
    source = SourceFile.from_bytes("t.py", codecs.BOM_UTF8 + code.encode())
    result = fix(source, CATALOGUE)
    assert result.source.raw == codecs.BOM_UTF8 + code.replace("listImages", "docker.list_images").encode()


def test_a_foreign_source_encoding_with_non_ascii_text_is_left_alone():
    code = "# -*- coding: latin-1 -*-\n" + IMPORT + "DockerDesktopClient().backend.get('/é')\n"
    check_noop(code)
    ascii_only = "# -*- coding: latin-1 -*-\n" + IMPORT + "DockerDesktopClient().backend.get('/e')\n"
    assert len(python_findings(ascii_only)) == 1


def test_words_are_written_back_as_python_source():
    setup = IMPORT + "c = DockerDesktopClient()\n"
    cases = {
        "c.execHostCmd('tool \"it\\'s\" \"say \\\\\"hi\\\\\"\" tab\\\\\tx')":
            "c.extension.host.cli.exec('tool', [\"it's\", 'say \"hi\"', 'tab\\tx'])",
        "c.execHostCmd('tool \"\" \\'\\'')": "c.extension.host.cli.exec('tool', ['', ''])",
        "c.execHostCmd('tool naïve ☃')": "c.extension.host.cli.exec('tool', ['naïve', '☃'])",
        "c.execHostCmd('tool ' 'implicit' ' concatenation')":
            "c.extension.host.cli.exec('tool', ['implicit', 'concatenation'])",
        "c.execHostCmd(r'tool C:\\dir')": "c.extension.host.cli.exec('tool', ['C:dir'])",
        "c.execHostCmd(r'tool \"C:\\\\dir\"')": "c.extension.host.cli.exec('tool', ['C:\\\\dir'])",
    }
    for call, expected in cases.items():
        assert fixed(setup + call + "\n") == setup + expected + "\n", call


def test_fstrings_and_concatenations_keep_each_value_one_argument():
    setup = IMPORT + "c = DockerDesktopClient()\n"
    cases = {
        "c.execHostCmd(f'tool {{literal}} {value}')": "c.extension.host.cli.exec('tool', ['{literal}', f'{value}'])",
        "c.execHostCmd(f'tool --name=\"{a} {b}\" x{c!r:>4}y')":
            "c.extension.host.cli.exec('tool', [f'--name={a} {b}', f'x{c!r:>4}y'])",
        "c.execHostCmd(f\"\"\"tool {d['k']}\"\"\")": "c.extension.host.cli.exec(\"tool\", [f\"\"\"{d['k']}\"\"\"])",
        "c.execHostCmd('tool --x=' + (a or b) + '.json')": "c.extension.host.cli.exec('tool', ['--x=' + (a or b) + '.json'])",
    }
    for call, expected in cases.items():
        assert python_findings(setup + call + "\n")[0].fix_label == "unsafe", call
        assert fixed(setup + call + "\n") == setup + call + "\n", call
        assert fixed(setup + call + "\n", unsafe=True) == setup + expected + "\n", call


def test_what_cannot_be_split_says_why():
    setup = IMPORT + "c = DockerDesktopClient()\n"
    reasons = {
        "c.execHostCmd('%s -l' % tool)": "not a string literal",
        "c.execHostCmd(cmd)": "`cmd`, whose value is not known here",
        "c.execHostCmd('ls', 'extra')": "expected one command string",
        "c.execHostCmd(*argv)": "expected one command string",
        "c.execHostCmd('ls'  # the tool\n)": None,
        "c.execHostCmd(\n    # the tool\n    'ls -l',\n)": None,
        "c.backend.execInContainer(\n    cid,  # the container\n    'ls -l',\n)": "a comment inside the arguments would be lost",
        "c.spawnHostCmd('ls', [], lambda d, e=1: None)": "does not take exactly `(data, error)`",
        "c.spawnHostCmd('ls', [], handlers[0])": "assign it to a name first",
        "x = [c.spawnHostCmd('ls', [], lambda d, e: print(d)) for _ in r]": "not in a statement of its own",
    }
    for call, reason in reasons.items():
        [finding] = python_findings(setup + call + "\n")
        if reason is None:
            assert finding.fix is not None, call
        else:
            assert finding.fix is None and reason in finding.no_fix_reason, (call, finding.no_fix_reason)


def test_hoisted_callback_names_do_not_clash():
    code = IMPORT + "c = DockerDesktopClient()\nhandle_output = 1\n\n\ndef f():\n" \
        "    c.spawnHostCmd('ls', [], lambda d, e: print(d, e))\n"
    result = fixed(code)
    assert "    def handle_exec_output(d, e):\n        return print(d, e)\n    c.extension.host.cli.exec(" in result


def test_a_chained_host_command_never_gets_sh():
    code = IMPORT + "c = DockerDesktopClient()\nc.exec_host_cmd('kubectl get pods && echo done')\n"
    [finding] = python_findings(code)
    assert finding.rule == "python-chained-shell-command" and finding.fix is None
    assert "the host may be Windows" in finding.message and "LegacyCommandError" in finding.message
    assert fixed(code, unsafe=True) == code


def test_select_and_ignore_work_on_python_rules():
    code = IMPORT + "c = DockerDesktopClient()\nc.backend.get('/x')\nc.listImages()\n"
    source = SourceFile.from_bytes("t.py", code.encode())
    only = Catalogue([find_rule("python-list")])
    assert [f.rule for f in lint(source, only)] == ["python-list"]


def test_a_backend_variable_used_for_http_and_exec_settles_in_one_run():
    """The calls go through the client, and the variable left unused goes."""
    before = textwrap.dedent("""\
        from migrator.shim import DockerDesktopClient


        def report(client: DockerDesktopClient):
            backend = client.backend
            state = backend.get("/state")
            disk = backend.execInVMExtension("df -h")
            return state, disk
        """)
    after = textwrap.dedent("""\
        from migrator.shim import DockerDesktopClient


        def report(client: DockerDesktopClient):
            state = client.extension.vm.service.get("/state")
            disk = client.extension.vm.cli.exec("df", ["-h"])
            return state, disk
        """)
    check_transformed(before, after)


# -- the command line ----------------------------------------------------------------------------

APP = textwrap.dedent("""\
    from migrator.shim import DockerDesktopClient as Client

    client = Client.from_metadata("metadata.json")
    items = client.backend.get("/items")  # keep this comment
    listing = client.backend.execInVMExtension("ls -la /data")
    nodes = client.execHostCmd("kubectl get nodes | wc -l")
    """)


def test_cli_check_and_fix_a_python_file(cli, tmp_path):
    """The real command (``sys.executable -m migrator``, see ``tests/conftest.py``) on a temporary tree."""
    (tmp_path / "tests").mkdir()
    app = tmp_path / "tests" / "app.py"
    app.write_text(APP)
    (tmp_path / "tests" / "other.py").write_text("import requests\nrequests.get('/x')\n")

    proc = cli("check", ".", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    found = [(f["rule"], f["code"], f["line"], f["column"], f["fix"]) for f in report["findings"]]
    assert found == [
        ("python-backend-http", "DD501", 4, 9, "safe"),
        ("python-exec", "DD502", 5, 11, "safe"),
        ("python-chained-shell-command", "DD510", 6, 9, "none"),
    ]
    assert report["findings"][2]["no_fix_reason"] == "a shell command line cannot become one exec call"
    assert report["findings"][0]["path"].endswith("app.py") and report["errors"] == []

    proc = cli("fix", ".", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 1  # the chained command is left, explained
    report = json.loads(proc.stdout)
    assert [f["rule"] for f in report["fixed"]] == ["python-backend-http", "python-exec"]
    assert [f["rule"] for f in report["findings"]] == ["python-chained-shell-command"]
    assert [p.replace("\\", "/") for p in report["changed_files"]] == ["tests/app.py"]
    assert app.read_text() == APP.replace(
        'client.backend.get("/items")', 'client.extension.vm.service.get("/items")').replace(
        'client.backend.execInVMExtension("ls -la /data")', 'client.extension.vm.cli.exec("ls", ["-la", "/data"])')

    proc = cli("fix", ".", "--check", cwd=tmp_path)
    assert "Would fix 0 findings in 0 files" in proc.stdout.decode()


def test_cli_lists_and_explains_the_python_rules(cli, tmp_path):
    listed = json.loads(cli("rules", "--format", "json", cwd=tmp_path).stdout)
    fixes = {rule["name"]: rule["fix"] for rule in listed if rule["code"].startswith("DD5")}
    assert fixes == {
        "python-backend-http": "safe", "python-exec": "sometimes", "python-spawn": "sometimes",
        "python-list": "safe", "python-unused-backend": "safe",
        "python-chained-shell-command": "unsafe", "python-shell-expansion": "unsafe",
    }
    proc = cli("explain", "DD502", cwd=tmp_path)
    assert proc.returncode == 0
    assert "## Fix safety" in proc.stdout.decode() and "client.extension.vm.cli.exec" in proc.stdout.decode()


# -- fixed code against the real shim ------------------------------------------------------------

SCENARIO = textwrap.dedent('''\
    from migrator.shim import DockerDesktopClient

    EVENTS = []


    def on_chunk(data, error):
        EVENTS.append((data, error))


    def scenario(client: DockerDesktopClient):
        backend = client.backend
        out = {
            "get": client.backend.get("/json"),
            "post": backend.post("/echo", {"a": 1}),
            "request": client.backend.request({"url": "/echo", "method": "PUT"}),
            "vm": client.backend.execInVMExtension("ls -l \\"/my dir\\" '$HOME'").stdout,
            "vm_via_variable": backend.exec_in_vm_extension("cat 'a b'").stdout,
            "host": client.execHostCmd("echoargs 'a b' \\"c|d\\" e\\\\ f").stdout,
            "docker": client.execDockerCmd("ps", "--format", '"{{json .}}"', "-a --no-trunc").stdout,
            "container": client.backend.execInContainer("other", "cat 'a b' c\\\\ d").stdout,
            "containers": client.listContainers({"all": True}),
            "images": client.listImages(),
        }
        out["spawn_code"] = client.spawnHostCmd("chunks", [], on_chunk).wait(20)
        lines = []
        process = client.spawn_docker_cmd("logs", ["-f", "my container"], lambda data, error: lines.append((data, error)))
        out["docker_spawn_code"] = process.wait(20)
        out["docker_spawn_last"] = lines[-1]
        return out
    ''')


@pytest.fixture
def shim_client(backend, short_dir, ext, fake_docker):  # noqa: F811 - the imported fixtures
    fake_docker.set("FAKE_DOCKER_IDS", "vm1")
    fake_docker.set("FAKE_DOCKER_PS", '{"ID": "a"}\n')
    fake_docker.set("FAKE_DOCKER_IMAGES", '{"ID": "i"}\n')
    with ext.client(socket_dir=short_dir, image="myorg/my-ext:1.0", timeout=10) as client:
        yield client


def run_scenario(code: str, client, ext, fake_docker):  # noqa: F811
    """Run ``scenario(client)`` from ``code``: its result, what docker and the host saw, and warnings."""
    namespace: dict = {"__name__": "scenario"}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exec(compile(code, "scenario.py", "exec"), namespace)  # noqa: S102 - the code under test
        result = namespace["scenario"](client)
    events = namespace["EVENTS"]
    seen = {
        "result": result,
        "docker": fake_docker.calls(),
        "host": ext.runs(),
        "stdout": "".join(data.get("stdout", "") for data, _ in events[:-1]),
        "last_event": events[-1],
    }
    fake_docker.log.unlink(missing_ok=True)
    ext.ran.unlink(missing_ok=True)
    deprecations = [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)]
    return seen, deprecations


def test_fixed_code_behaves_like_the_original_against_the_real_shim(shim_client, ext, fake_docker):  # noqa: F811
    migrated = fixed(SCENARIO)
    assert python_findings(migrated) == []
    for old in (".backend", "execHostCmd", "execDockerCmd", "listContainers", "listImages", ".spawn"):
        assert old not in migrated, old
    before, old_warnings = run_scenario(SCENARIO, shim_client, ext, fake_docker)
    after, new_warnings = run_scenario(migrated, shim_client, ext, fake_docker)
    assert after == before
    assert len(old_warnings) == 12 and new_warnings == []
    # The runs did reach the real backend, the fake docker and the host binaries.
    assert before["result"]["get"] == {"ok": True, "method": "GET"}
    assert json.loads(before["result"]["host"]) == ["a b", "c|d", "e f"]
    assert ["exec", "other", "cat", "a b", "c d"] in before["docker"]
    assert before["host"] == ["echoargs", "chunks"]
    assert before["stdout"] == "one\ntwo\nthree\ntail-without-newline" and before["last_event"] == ({"code": 7}, None)
    assert before["result"]["docker_spawn_last"] == ({"code": 0}, None)


def test_the_unsafe_sh_fix_runs_what_the_shim_refused(shim_client, ext, fake_docker):  # noqa: F811
    code = IMPORT + "EVENTS = [({}, None)]\n\n\ndef scenario(client: DockerDesktopClient):\n" \
        "    return client.backend.execInVMExtension('ls /data | wc -l').stdout\n"
    assert fixed(code) == code
    migrated = fixed(code, unsafe=True)
    assert "client.extension.vm.cli.exec('sh', ['-c', 'ls /data | wc -l'])" in migrated
    with pytest.raises(LegacyCommandError):
        run_scenario(code, shim_client, ext, fake_docker)
    fake_docker.log.unlink(missing_ok=True)
    seen, _ = run_scenario(migrated, shim_client, ext, fake_docker)
    assert seen["docker"][-1] == ["exec", "vm1", "sh", "-c", "ls /data | wc -l"]


def test_two_inline_callbacks_in_one_function_get_two_names():
    """The handlers look their function up when output arrives: one name for both would mix them up."""
    code = IMPORT + "c = DockerDesktopClient()\n\n\ndef f(a, b):\n" \
        "    c.spawnHostCmd('x', [], lambda d, e: a.append(d))\n    c.spawnHostCmd('y', [], lambda d, e: b.append(d))\n"
    result = fixed(code)
    assert "def handle_output(d, e):\n        return a.append(d)" in result
    assert "def handle_exec_output(d, e):\n        return b.append(d)" in result
    assert result.count("lambda data: handle_output(data, None)") == 1
    assert result.count("lambda data: handle_exec_output(data, None)") == 1


def test_an_f_string_variable_just_before_the_call_runs_the_same_argv(shim_client, ext, fake_docker):  # noqa: F811
    """An f-string assigned just before the exec is split like the same f-string at the call;
    against the real shim, the host program receives the same argv before and after."""
    code = IMPORT + "EVENTS = [({}, None)]\n\n\ndef scenario(client: DockerDesktopClient):\n" \
        "    peer = 'node-1'\n    command = f'echoargs status --peers {peer}'\n" \
        "    return client.execHostCmd(command).stdout\n"
    assert fixed(code) == code  # unsafe: each field stays one argument
    migrated = fixed(code, unsafe=True)
    assert "client.extension.host.cli.exec('echoargs', ['status', '--peers', f'{peer}'])" in migrated
    before, _ = run_scenario(code, shim_client, ext, fake_docker)
    after, _ = run_scenario(migrated, shim_client, ext, fake_docker)
    assert json.loads(before["result"]) == ["status", "--peers", "node-1"] == json.loads(after["result"])


@pytest.mark.parametrize(("body", "reason"), [
    ("    command = f'ping {peer}'\n    log(peer)\n    return client.execHostCmd(command)\n",
     "not assigned just before its use"),
    ("    command = f'ping {pick(peer)}'\n    return client.execHostCmd(command)\n", "`{pick(peer)}` is more than a name"),
    ("    command = f'ping {peer}'\n    return lambda: client.execHostCmd(command)\n",
     "used inside a function, where its values may have changed"),
    ("    command = f'ping {peer}'; other = 1\n    return client.execHostCmd(command)\n", "not assigned just before its use"),
])
def test_an_f_string_variable_that_may_differ_at_the_call_is_refused(body, reason):
    code = IMPORT + "client = DockerDesktopClient()\n\n\ndef status(peer):\n" + body
    (found,) = python_findings(code)
    assert found.fix is None
    assert f"the command is the variable `command`, built from other values ({reason})" in found.no_fix_reason


@pytest.mark.parametrize("body", [
    "    return client.execHostCmd(f'tailscale {args}')\n",
    "    return client.execHostCmd('tailscale ' + args)\n",
    "    command = f'tailscale --flags={args}'\n    return client.execHostCmd(command)\n",
])
def test_a_parameter_filling_a_command_gets_no_single_argument_fix(body):
    """`def run(args): ...execHostCmd(f"tailscale {args}")` called as `run("status --json")`:
    the shim split the value, v1 would not; never the one-argument rewrite."""
    code = IMPORT + "client = DockerDesktopClient()\n\n\ndef run(args):\n" + body
    (found,) = python_findings(code)
    assert found.fix is None
    assert found.no_fix_reason.startswith("`") and "is a parameter of `run()`: the shim split its value" in found.no_fix_reason
    assert fixed(code, unsafe=True) == code
