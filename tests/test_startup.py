"""What a one-file run (a pre-commit hook) loads: only what the file's language needs."""

import subprocess
import sys

from tests.conftest import REPO

TSX = "import { createDockerDesktopClient } from '@docker/extension-api-client';\n" \
      "const ddClient = createDockerDesktopClient();\nexport const App = () => ddClient.toastError('x');\n"


def loaded_modules(tmp_path, name: str, code: str) -> set[str]:
    (tmp_path / name).write_text(code)
    script = (
        "import sys, runpy\n"
        f"sys.argv = ['ddmigrate', 'check', '--no-cache', {name!r}]\n"
        "try:\n    runpy.run_module('migrator', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, timeout=120,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"})
    assert "DD302" in proc.stdout.decode(), proc.stdout.decode() + proc.stderr.decode()
    return set(proc.stderr.decode().split())


def test_a_tsx_file_does_not_load_libcst_or_the_python_front_end(tmp_path):
    modules = loaded_modules(tmp_path, "App.tsx", TSX)
    assert "tree_sitter" in modules  # the check is real: the TSX path ran
    assert not [m for m in modules if m == "libcst" or m.startswith("libcst.")]
    assert "tree_sitter_html" not in modules


EXEC_STACK = {"migrator.migration.shell", "migrator.migration.execs", "migrator.js.command", "migrator.js.argv",
              "migrator.python.index", "migrator.python.commands"}


def test_a_file_without_exec_calls_does_not_load_the_shell_analyser(tmp_path):
    """Every exec rule is in the catalogue, but the command reader, the planner and the shell
    analyser under them load only when a file has a command to read."""
    modules = loaded_modules(tmp_path, "App.tsx", TSX)
    assert "migrator.rules.js.exec_in_vm_extension" in modules  # the exec rules were loaded
    assert sorted(EXEC_STACK & modules) == []


def test_a_file_with_an_exec_call_loads_the_shell_analyser(tmp_path):
    code = TSX + "export const run = () => ddClient.extension.vm.cli.exec('ls', ['-l']);\n" \
                 "export const old = () => window.ddClient.backend.execInVMExtension('ls -l | wc');\n"
    modules = loaded_modules(tmp_path, "App.tsx", code)
    assert {"migrator.migration.shell", "migrator.js.command", "migrator.js.argv"} <= modules
    assert "migrator.python.index" not in modules


def test_a_python_file_does_load_libcst(tmp_path):
    code = "from migrator.shim import DockerDesktopClient\nclient = DockerDesktopClient()\nclient.backend.get('/x')\n"
    (tmp_path / "app.py").write_text(code)
    script = (
        "import sys, runpy\nsys.argv = ['ddmigrate', 'check', '--no-cache', 'app.py']\n"
        "try:\n    runpy.run_module('migrator', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print('libcst' in sys.modules, file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, timeout=120,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"})
    assert "DD501" in proc.stdout.decode(), proc.stdout.decode()
    assert proc.stderr.decode().strip().endswith("True")


def test_a_check_without_the_cache_loads_nothing_to_hash_write_or_diff(tmp_path):
    """A pre-commit run of one file with `--no-cache` and no configuration file: no hashing
    (the cache's keys), no temporary files, no diffs, no TOML, no Dockerfile reader, no
    process pool, and not the grammar package's `__init__` (its `importlib.resources`
    pulls in tempfile, shutil and zipfile); each costs milliseconds of a run that should
    take a few tens."""
    modules = loaded_modules(tmp_path, "App.tsx", TSX)
    assert "migrator.core.runner" in modules
    unwanted = {"hashlib", "tempfile", "importlib.resources", "difflib", "tomllib", "migrator.migration.dockerfile", "multiprocessing",
                "concurrent.futures", "migrator.core.cache"}
    assert sorted(unwanted & modules) == []


def test_grammar_bindings_load_without_their_package_and_fall_back_to_it(tmp_path):
    """In a fresh interpreter, the grammars load and parse without their packages' __init__
    having run; a grammar that is not installed is the plain import's error."""
    script = (
        "import sys\n"
        "from migrator.core import languages\n"
        "tree = languages.parse('tsx', b'const a = <b/>;')\n"
        "assert not tree.root_node.has_error\n"
        "assert languages.grammar('javascript') is not None\n"
        "print(sorted({'tree_sitter_javascript', 'tree_sitter_typescript', 'importlib.resources'} & set(sys.modules)))\n"
        "try:\n    languages._binding('tree_sitter_no_such_grammar')\n"
        "except ModuleNotFoundError:\n    print('missing: ModuleNotFoundError')\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, timeout=120,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr.decode()
    loaded, missing = proc.stdout.decode().splitlines()
    assert loaded == "[]"  # neither package's __init__ ran
    assert missing == "missing: ModuleNotFoundError"
