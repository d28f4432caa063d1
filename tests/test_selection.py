"""Selecting and ignoring rules by what they report: every code behaves the same.

Some findings are reported under another rule's code (an exec call whose command is a shell
chain is a `chained-shell-command` finding, DD210). Selecting that code must run the rules that
report it, and ignoring one rule must never change what another reports.
"""

import pytest

from migrator.core.engine import Catalogue, lint
from migrator.core.registry import all_rules, select_rules
from migrator.core.source import SourceFile

from .conftest import run_cli

JS = (
    "import { createDockerDesktopClient } from '@docker/extension-api-client';\n"
    "const ddClient = createDockerDesktopClient();\n"
    "await ddClient.backend.execInVMExtension('ps aux | grep x');\n"
    "await ddClient.backend.execInVMExtension('ls $HOME');\n"
    "await ddClient.backend.execInVMExtension('ls -l');\n"
    "await ddClient.execHostCmd('kubectl get pods | wc -l');\n"
)
PY = (
    "from migrator.shim import DockerDesktopClient\n\n"
    "client = DockerDesktopClient.from_metadata('metadata.json')\n"
    "client.backend.execInVMExtension('ps aux | grep x')\n"
    "client.backend.execInVMExtension('ls $HOME')\n"
    "client.backend.execInVMExtension('ls -l')\n"
)
CASES = [("app.ts", JS, "DD210", "DD211", "DD201"), ("app.py", PY, "DD510", "DD511", "DD502")]


def codes(path, text, select=None, ignore=None):
    catalogue = Catalogue(select_rules(select, ignore))
    source = SourceFile.from_bytes(path, text.encode())
    return sorted(f.code for f in lint(source, catalogue))


@pytest.mark.parametrize("path,text,chained,expansion,own", CASES)
def test_selecting_a_reported_code_runs_the_rules_that_report_it(path, text, chained, expansion, own):
    everything = codes(path, text)
    assert chained in everything and expansion in everything and own in everything
    assert set(codes(path, text, select=[chained])) == {chained}
    assert codes(path, text, select=[chained]) == [c for c in everything if c == chained]
    assert codes(path, text, select=[expansion]) == [c for c in everything if c == expansion]


@pytest.mark.parametrize("path,text,chained,expansion,own", CASES)
def test_ignoring_a_rule_never_changes_what_another_reports(path, text, chained, expansion, own):
    everything = codes(path, text)
    reported = set(everything)
    for ignored in sorted(reported):
        left = codes(path, text, ignore=[ignored])
        assert left == [c for c in everything if c != ignored], ignored
    # Ignoring the exec rule keeps its command findings; ignoring those keeps the exec rule's.
    assert chained in codes(path, text, ignore=[own]) and own not in codes(path, text, ignore=[own])
    assert own in codes(path, text, ignore=[chained, expansion])


def test_every_rule_is_run_for_each_code_it_reports():
    for rule in all_rules():
        for code in rule.reports():
            assert rule in Catalogue(select_rules([code])).running, (rule.code, code)


def test_select_through_the_command_line(tmp_path):
    (tmp_path / "app.ts").write_text(JS)
    proc = run_cli("check", "--no-cache", "--select", "chained-shell-command", str(tmp_path))
    out = proc.stdout.decode()
    assert proc.returncode == 1, out
    assert out.count("DD210 [chained-shell-command]") == 2
    assert "DD201" not in out and "DD211" not in out
    proc = run_cli("check", "--no-cache", "--ignore", "exec-in-vm-extension", str(tmp_path))
    out = proc.stdout.decode()
    assert out.count("DD210") == 2 and "DD211" in out and "DD201 " not in out
