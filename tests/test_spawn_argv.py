"""The spawn rules check their command and arguments as the rules on v1 calls do: a spawn fix
never writes a v1 call that exec-command-string, quoted-exec-argument, chained-shell-command or
shell-expansion then flag, and a second fix changes nothing."""

import pytest

from migrator.core.engine import Catalogue, fix, lint
from migrator.core.registry import all_rules
from migrator.core.source import SourceFile

V1_CODES = {"DD210", "DD211", "DD212", "DD213"}
SPAWN_CODES = {"DD205", "DD206", "DD207"}

# (call, what the spawn finding must be: its code and fix label)
SHAPES = [
    ("ddClient.spawnHostCmd('kubectl', ['get', 'pods', '-w'], onLog)", ("DD206", "safe")),
    ("ddClient.spawnHostCmd('kubectl logs', ['-f', pod], onLog)", ("DD206", "unsafe")),
    ("ddClient.spawnHostCmd(\"kubectl config view\", [], onLog)", ("DD206", "unsafe")),
    ("ddClient.spawnHostCmd('kubectl logs', flags, onLog)", ("DD206", "none")),
    ("ddClient.spawnDockerCmd('image ls', ['--format', \"'{{json .}}'\"], onLog)", ("DD207", "unsafe")),
    ("ddClient.spawnDockerCmd('ps', [\"--format='{{json .}}'\", '-a'], onLog)", ("DD207", "unsafe")),
    ("ddClient.spawnDockerCmd('run', ['-e', '\"HOME=$HOME\"'], onLog)", ("DD211", "none")),
    ("ddClient.spawnDockerCmd('logs', ['-f', '\"C:\\\\logs\"'], onLog)", ("DD207", "none")),
    ("ddClient.spawnHostCmd('kubectl', ['get', 'pods', '|', 'wc', '-l'], onLog)", ("DD210", "none")),
    ("ddClient.spawnHostCmd('kubectl get pods | wc -l', [], onLog)", ("DD210", "none")),
    ("ddClient.spawnHostCmd('kubectl', ['config', 'set', 'x=`kubectl config current-context`'], onLog)", ("DD210", "none")),
    ("ddClient.spawnHostCmd('cat', ['~/.kube/config'], onLog)", ("DD211", "none")),
    ("ddClient.backend.spawnInVMExtension('tail', ['-f', '$LOG'], onLog)", ("DD211", "none")),
    ("ddClient.backend.spawnInVMExtension('tail -f /var/log/app.log && echo done', [], onLog)", ("DD210", "none")),
    ("ddClient.backend.spawnInVMExtension('sh', ['-c', 'tail -f $LOG | grep x'], onLog)", ("DD205", "safe")),
    ("ddClient.spawnDockerCmd('ps', ['--filter', 'name=web*'], onLog)", ("DD207", "safe")),
    ("ddClient.spawnHostCmd('grep', ['a|b', file], onLog)", ("DD206", "safe")),
]


def _source(call: str, filename: str) -> SourceFile:
    return SourceFile.from_bytes(filename, f"{call};\n".encode())


@pytest.fixture(scope="module")
def catalogue():
    return Catalogue(all_rules())


@pytest.mark.parametrize("filename", ["a.ts", "a.js"])
@pytest.mark.parametrize("call,expected", SHAPES, ids=[s[0] for s in SHAPES])
def test_the_spawn_finding_decides_what_v1_would_flag(catalogue, call, expected, filename):
    findings = lint(_source(call, filename), catalogue)
    assert [(f.code, f.fix_label) for f in findings] == [expected], [f.message for f in findings]


@pytest.mark.parametrize("unsafe", [False, True])
@pytest.mark.parametrize("filename", ["a.ts", "a.js"])
@pytest.mark.parametrize("call,expected", SHAPES, ids=[s[0] for s in SHAPES])
def test_a_fixed_spawn_is_a_clean_v1_call(catalogue, call, expected, filename, unsafe):
    result = fix(_source(call, filename), catalogue, unsafe=unsafe)
    after = lint(result.source, catalogue)
    applied = expected[1] == "safe" or (unsafe and expected[1] == "unsafe")
    if applied:
        text = result.source.content.decode()
        assert "cli.exec(" in text and "spawn" not in text
        assert after == [], [f"{f.code} {f.message}" for f in after]
    else:
        assert not result.changed
        assert [f.code for f in after] == [expected[0]]
    assert not fix(result.source, catalogue, unsafe=unsafe).changed


def test_a_command_name_with_words_moves_them_into_the_arguments(catalogue):
    source = _source("ddClient.spawnHostCmd('kubectl logs', ['-f', pod], onLog)", "a.ts")
    (finding,) = lint(source, catalogue)
    assert "the command name 'kubectl logs' holds arguments" in finding.message
    assert "whether v0's spawn split the name is not known" in finding.message
    text = fix(source, catalogue, unsafe=True).source.content.decode()
    assert text.startswith("ddClient.extension.host!.cli.exec('kubectl', ['logs', '-f', pod], {\n")


def test_host_shell_syntax_never_suggests_sh_c(catalogue):
    host = lint(_source("ddClient.spawnHostCmd('kubectl', ['get', 'pods', '|', 'wc'], onLog)", "a.ts"), catalogue)
    vm = lint(_source("ddClient.backend.spawnInVMExtension('ps', ['aux', '|', 'wc'], onLog)", "a.ts"), catalogue)
    docker = lint(_source("ddClient.spawnDockerCmd('ps', ['-a', '|', 'wc'], onLog)", "a.ts"), catalogue)
    assert "do not wrap it in `sh -c`: the host may be Windows" in host[0].message
    assert "or run a script explicitly with `sh -c`" not in host[0].message
    assert vm[0].message.endswith("or run a script explicitly with `sh -c`")
    assert "sh -c" not in docker[0].message
    # The finding points at the argument, and names the deprecated call.
    assert host[0].message.startswith("`spawnHostCmd()` is deprecated; use `extension.host.cli.exec(cmd, args, { stream })`")
    assert (host[0].line, host[0].column) == (1, len("ddClient.spawnHostCmd('kubectl', ['get', 'pods', ") + 1)


def test_a_host_command_name_is_checked_against_metadata_by_its_program(write, tmp_path, catalogue):
    metadata = ('{"vm": {"image": "x"}, "host": {"binaries": [{"darwin": [{"path": "/darwin/kubectl"}],'
                ' "windows": [{"path": "/windows/kubectl.exe"}], "linux": [{"path": "/linux/kubectl"}]}]}}')
    folder = write({"ext/metadata.json": metadata})
    path = folder / "ext" / "ui" / "a.ts"
    source = SourceFile.from_bytes(str(path), b"ddClient.spawnHostCmd('kubectl logs', ['-f', pod], onLog);\n")
    (finding,) = [f for f in lint(source, catalogue) if f.code == "DD206"]
    # `kubectl` is shipped: the note of an unshipped `kubectl logs` program is not given.
    assert "not shipped" not in finding.message
    assert finding.fix_label == "unsafe"
    source = SourceFile.from_bytes(str(path), b"ddClient.spawnHostCmd('hostname -f', [], onLog);\n")
    (finding,) = [f for f in lint(source, catalogue) if f.code == "DD206"]
    assert "`hostname` is not shipped in metadata.json `host.binaries`" in finding.message
