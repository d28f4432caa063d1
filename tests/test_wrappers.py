"""Command wrappers (``migrator.js.wrappers``) on a fixture extension: the fix changes the
wrapper and its callers together, byte for byte as expected; the fixed code hands the program
the same argv as the original did through v0's shell (run on a recording fake client with
node, the original's strings split by a real ``sh``); the TypeScript fix type-checks against
the real v1 types; and a wrapper that cannot be migrated whole gets no fix at all."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.typecheck import api_errors, typecheck

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")

METADATA = {
    "icon": "tailscale.svg",
    "vm": {"composefile": "docker-compose.yaml"},
    "ui": {"dashboard-tab": {"title": "Tailscale", "root": "/ui", "src": "index.html"}},
    "host": {"binaries": [{
        "darwin": [{"path": "/darwin/kubectl"}],
        "linux": [{"path": "/linux/kubectl"}],
        "windows": [{"path": "/windows/kubectl.exe"}],
    }]},
}
COMPOSE = "services:\n  tailscale:\n    image: ${DESKTOP_PLUGIN_IMAGE}\n    container_name: tailscale_service\n"
DOCKERFILE = "FROM alpine:3.20\nCOPY tailscale /app/tailscale\nCOPY ui /ui\nCOPY metadata.json .\n"

TAILSCALE_JS = """\
// The extension's calls to the tailscale CLI in its backend container.
async function runTailscaleCommand(command) {
  const result = await window.ddClient.backend.execInVMExtension(`/app/tailscale ${command}`);
  return result;
}

export async function main(hostname) {
  await runTailscaleCommand("status --json");
  await runTailscaleCommand(`up --hostname=${hostname} --accept-routes`);
  await runTailscaleCommand('set --operator="me" --shields-up=false');
  return runTailscaleCommand("logout");
}
"""

TAILSCALE_FIXED = """\
// The extension's calls to the tailscale CLI in its backend container.
async function runTailscaleCommand(command) {
  const result = await window.ddClient.extension.vm?.cli.exec("/app/tailscale", command);
  return result;
}

export async function main(hostname) {
  await runTailscaleCommand(["status", "--json"]);
  await runTailscaleCommand(["up", `--hostname=${hostname}`, "--accept-routes"]);
  await runTailscaleCommand(["set", "--operator=me", "--shields-up=false"]);
  return runTailscaleCommand(["logout"]);
}
"""

KUBE_JS = """\
const runKubectl = (cmd) => window.ddClient.execHostCmd(cmd);

export async function main(context) {
  await runKubectl("kubectl config get-contexts -o name");
  await runKubectl(`kubectl config use-context ${context}`);
  return runKubectl("kubectl get pods --namespace 'kube-system'");
}
"""

KUBE_FIXED = """\
const runKubectl = (cmd, args) => window.ddClient.extension.host?.cli.exec(cmd, args);

export async function main(context) {
  await runKubectl("kubectl", ["config", "get-contexts", "-o", "name"]);
  await runKubectl("kubectl", ["config", "use-context", `${context}`]);
  return runKubectl("kubectl", ["get", "pods", "--namespace", "kube-system"]);
}
"""

TOOL_TS = """\
import { createDockerDesktopClient } from "@docker/extension-api-client";

const ddClient = createDockerDesktopClient();

export class Tailscale {
  private run(args: string) {
    return ddClient.backend.execInVMExtension(`/app/tailscale ${args} --json`);
  }

  status() {
    return this.run("status");
  }

  ping(peer: string) {
    return this.run(`ping ${peer}`);
  }
}
"""

RUNNER = """\
const [module, argument] = process.argv.slice(2);
const calls = [];
const record = (kind) => async (...args) => { calls.push([kind, ...args]); return { stdout: "{}", stderr: "" }; };
globalThis.window = {
  ddClient: {
    backend: { execInVMExtension: record("v0") },
    execHostCmd: record("v0"),
    extension: {
      vm: { cli: { exec: async (cmd, args) => { calls.push(["v1", cmd, ...args]); return { stdout: "{}" }; } } },
      host: { cli: { exec: async (cmd, args) => { calls.push(["v1", cmd, ...args]); return { stdout: "{}" }; } } },
    },
  },
};
const mod = await import(module);
await mod.main(argument);
console.log(JSON.stringify(calls));
"""


def shell_argv(command: str) -> list[str]:
    """What v0 handed the program: the string split by a real POSIX shell."""
    out = subprocess.run(["sh", "-c", 'eval "set -- $1"; printf "%s\\0" "$@"', "sh", command],
                         capture_output=True, check=True).stdout.decode()
    return out.split("\0")[:-1]


def argv_of(folder, module: str, argument: str) -> list[list[str]]:
    """The argv of every exec ``module``'s ``main(argument)`` makes, on a recording client."""
    (folder / "run.mjs").write_text(RUNNER)
    proc = subprocess.run([NODE, str(folder / "run.mjs"), str(folder / module), argument],
                          capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    argvs = []
    for kind, *rest in json.loads(proc.stdout):
        argvs.append(shell_argv(rest[0]) if kind == "v0" else rest)
    return argvs


@pytest.fixture
def extension(write):
    return write({
        "metadata.json": json.dumps(METADATA, indent=2),
        "docker-compose.yaml": COMPOSE,
        "Dockerfile": DOCKERFILE,
        "ui/package.json": json.dumps({"name": "ui", "type": "module", "private": True}),
        "ui/tsconfig.json": json.dumps({"compilerOptions": {"strict": True}}),
        "ui/src/tailscale.js": TAILSCALE_JS,
        "ui/src/kube.js": KUBE_JS,
        "ui/src/tool.ts": TOOL_TS,
    })


def test_the_wrappers_and_their_callers_are_fixed_byte_for_byte(cli, extension):
    proc = cli("fix", "--unsafe-fixes", "--no-cache", extension / "ui")
    assert proc.returncode == 0, proc.stdout.decode() + proc.stderr.decode()
    assert (extension / "ui/src/tailscale.js").read_text() == TAILSCALE_FIXED
    assert (extension / "ui/src/kube.js").read_text() == KUBE_FIXED
    tool = (extension / "ui/src/tool.ts").read_text()
    assert "private run(args: string[]) {" in tool
    assert 'ddClient.extension.vm!.cli.exec("/app/tailscale", [...args, "--json"])' in tool
    assert 'this.run(["status"])' in tool and 'this.run(["ping", `${peer}`])' in tool
    # A second run changes nothing.
    again = cli("fix", "--unsafe-fixes", "--no-cache", "--diff", extension / "ui")
    assert again.returncode == 0 and not again.stdout.strip(), again.stdout.decode()


def test_the_fix_is_unsafe_and_says_which_word_boundaries_it_assumed(cli, extension):
    proc = cli("check", "--output-format", "json", "--no-cache", extension / "ui/src/tailscale.js")
    [finding] = [f for f in json.loads(proc.stdout)["findings"] if f["code"] == "DD201"]
    assert finding["fix"] == "unsafe"
    assert "`runTailscaleCommand` wraps it" in finding["message"]
    assert "line 9 assumes `${hostname}` is one word" in finding["message"]


@needs_node
@pytest.mark.parametrize("module, argument", [("ui/src/tailscale.js", "my-laptop"), ("ui/src/kube.js", "kind-kind")])
def test_the_program_receives_the_same_argv_before_and_after(cli, extension, module, argument):
    before = argv_of(extension, module, argument)
    assert cli("fix", "--unsafe-fixes", "--no-cache", extension / "ui").returncode == 0
    after = argv_of(extension, module, argument)
    assert before == after
    assert len(after) >= 3 and all(len(argv) > 1 for argv in after)


@needs_node
def test_the_check_can_fail_the_old_single_argument_rewrite_changes_the_argv(extension):
    """The recording client does tell the shapes apart: the rewrite this fix replaces (the
    caller's words as ONE argument) gives a different argv."""
    before = argv_of(extension, "ui/src/tailscale.js", "my-laptop")
    wrong = TAILSCALE_JS.replace("window.ddClient.backend.execInVMExtension(`/app/tailscale ${command}`)",
                                 'window.ddClient.extension.vm?.cli.exec("/app/tailscale", [`${command}`])')
    (extension / "ui/src/tailscale.js").write_text(wrong)
    assert argv_of(extension, "ui/src/tailscale.js", "my-laptop") != before


def test_the_fixed_typescript_wrapper_type_checks_against_v1(cli, extension, tmp_path):
    assert cli("fix", "--unsafe-fixes", "--no-cache", extension / "ui").returncode == 0
    fixed = (extension / "ui/src/tool.ts").read_text()
    assert api_errors(typecheck({"tool.ts": fixed}, tmp_path / "fixed")) == []
    # The check can fail: the wrapper's callers left as they were do not type-check.
    stale = fixed.replace('this.run(["status"])', 'this.run("status")')
    assert api_errors(typecheck({"tool.ts": stale}, tmp_path / "stale"))


@pytest.mark.parametrize("code, reason", [
    ("function run(cmd: string) {\n  return ddClient.backend.execInVMExtension(`ls ${cmd}`);\n}\n"
     "run('-l');\nrun(userInput);\n",
     "the shell split the value of `cmd` into words, so `run` and its callers must change together, "
     "and they cannot here: line 5 `run(userInput)`: the command is the variable `userInput`, whose value is "
     "not known here; split the command by hand"),
    ("function run(cmd: string) {\n  return ddClient.backend.execInVMExtension(`ls ${cmd}`);\n}\n"
     "run('-l | wc -l');\nbutton.onclick = () => run('-a');\nconst again = run;\n",
     "line 4 `run('-l | wc -l')`: its command would need a shell (`|`:"),
    ("function run(cmd: string) {\n  return ddClient.backend.execInVMExtension(`ls ${cmd}`);\n}\n"
     "const again = run;\n",
     "line 4 `run`: it is used as a value here, not called"),
    ("export function run(cmd: string) {\n  return ddClient.backend.execInVMExtension(`ls ${cmd}`);\n}\n",
     "it is exported, and this run sees no module that imports it"),
    ("function run(cmd: string) {\n  return ddClient.backend.execInVMExtension(`ls ${cmd}`);\n}\nexport { run };\n",
     "it is exported"),
    ("function run(cmd: string) {\n  console.log(cmd);\n  return ddClient.backend.execInVMExtension(`ls ${cmd}`);\n}\nrun('-l -a');\n",
     "`cmd` is also used elsewhere in the function"),
    ("function run(flag: string) {\n  return ddClient.backend.execInVMExtension(`ls --color=${flag}`);\n}\nrun('auto -l');\n",
     "`${flag}` is part of the word `--color=${flag}`, where a caller's several words cannot be told apart "
     "from the rest; the calls that may pass several words: line 4 `run('auto -l')`: it passes several words"),
    ("function run(cmd = 'ls') {\n  return ddClient.backend.execInVMExtension(`${cmd} -l`);\n}\nrun();\n",
     "`cmd` has a default value"),
    ("export const api = {\n  run(cmd: string) {\n    return ddClient.backend.execInVMExtension(`ls ${cmd}`);\n  },\n};\n"
     "api.run('-l -a');\n",
     "its object is exported, and callers in other modules are not rewritten with it"),
    ("let api = {\n  run(cmd: string) {\n    return ddClient.backend.execInVMExtension(`ls ${cmd}`);\n  },\n};\n"
     "api.run('-l -a');\n",
     "an object literal that is not held in a `const`"),
    ("const api = {\n  run(cmd: string) {\n    return ddClient.backend.execInVMExtension(`ls ${cmd}`);\n  },\n};\n"
     "api.run('-l -a');\nregister(api);\n",
     "line 7 `api`: `api` is used as a value here, so calls of its method cannot all be found"),
    ("const api = {\n  run(cmd: string) {\n    return ddClient.backend.execInVMExtension(`ls ${cmd}`);\n  },\n"
     "  all() {\n    return this.run('-l -a');\n  },\n};\napi.run('-l');\n",
     "line 6 `this.run`: it is called through `this`, which this fix does not follow"),
    ("const api = {\n  run: (cmd: string) => ddClient.backend.execInVMExtension(`ls ${cmd}`),\n};\n"
     "api['run']('-l -a');\n",
     "a member of it is read by a computed key"),
    ("class A {\n  run(cmd: string) {\n    return ddClient.backend.execInVMExtension(`ls ${cmd}`);\n  }\n}\n"
     "new A().run('-l');\n",
     "line 6 `new A().run`: it is called on an object this fix cannot follow"),
])
def test_a_wrapper_that_cannot_be_migrated_whole_gets_no_fix_and_says_where(cli, write, code, reason):
    folder = write({"src/api.ts": code})
    proc = cli("check", "--output-format", "json", "--no-cache", folder / "src/api.ts")
    [finding] = [f for f in json.loads(proc.stdout)["findings"] if f["code"] == "DD201"]
    assert finding["fix"] == "none"
    assert reason in finding["no_fix_reason"], finding["no_fix_reason"]


def test_callers_that_each_pass_one_plain_word_keep_the_usual_rewrite(cli, write):
    """`list("/data")` was one word for the shell too: the parameter stays a string."""
    code = ("const list = async (folder: string) => ddClient.backend.execInVMExtension(`ls -la ${folder}`);\n"
            "await list('/data');\nawait list(\"/var/log\");\n")
    folder = write({"src/api.ts": code})
    assert cli("fix", "--unsafe-fixes", "--no-cache", folder / "src/api.ts").returncode == 0
    assert (folder / "src/api.ts").read_text() == code.replace(
        "ddClient.backend.execInVMExtension(`ls -la ${folder}`)",
        "ddClient.extension.vm!.cli.exec(\"ls\", [\"-la\", `${folder}`])")


# -- an exported wrapper and its calls in other modules --------------------------------------

API_TS = """\
import { createDockerDesktopClient } from "@docker/extension-api-client";

const ddClient = createDockerDesktopClient();

export async function runTailscale(command: string) {
  const result = await ddClient.backend.execInVMExtension(`/app/tailscale ${command}`);
  return result.stdout;
}

export const logout = () => runTailscale("logout");
"""

APP_TSX = """\
import { runTailscale } from "./api/tailscale";

export function App({ hostname }: { hostname: string }) {
  const up = () => runTailscale(`up --hostname=${hostname} --accept-routes`);
  return <button onClick={up}>Connect</button>;
}
"""

HOOK_TS = """\
import * as tailscale from "../api/tailscale";

export async function useStatus() {
  return JSON.parse(await tailscale.runTailscale("status --json"));
}
"""


@pytest.fixture
def project(write):
    return write({
        "metadata.json": json.dumps(METADATA, indent=2),
        "docker-compose.yaml": COMPOSE,
        "Dockerfile": DOCKERFILE,
        "ui/package.json": json.dumps({"name": "ui", "private": True,
                                       "dependencies": {"@docker/extension-api-client": "0.4.2"}}),
        "ui/tsconfig.json": json.dumps({"compilerOptions": {"strict": True, "jsx": "react-jsx"}}),
        "ui/src/api/tailscale.ts": API_TS,
        "ui/src/App.tsx": APP_TSX,
        "ui/src/hooks/useStatus.ts": HOOK_TS,
    })


def sources(folder) -> dict[str, str]:
    return {str(p.relative_to(folder / "ui")): p.read_text() for p in sorted((folder / "ui/src").rglob("*.ts*"))}


def test_an_exported_wrapper_and_its_calls_in_other_modules_move_together(cli, project, tmp_path):
    proc = cli("fix", "--unsafe-fixes", "--no-cache", project / "ui")
    assert proc.returncode == 0, proc.stdout.decode() + proc.stderr.decode()
    fixed = sources(project)
    assert fixed["src/api/tailscale.ts"] == API_TS.replace("(command: string)", "(command: string[])").replace(
        "ddClient.backend.execInVMExtension(`/app/tailscale ${command}`)",
        'ddClient.extension.vm!.cli.exec("/app/tailscale", command)').replace(
        'runTailscale("logout")', 'runTailscale(["logout"])')
    assert fixed["src/App.tsx"] == APP_TSX.replace(
        "runTailscale(`up --hostname=${hostname} --accept-routes`)",
        'runTailscale(["up", `--hostname=${hostname}`, "--accept-routes"])')
    assert fixed["src/hooks/useStatus.ts"] == HOOK_TS.replace(
        'tailscale.runTailscale("status --json")', 'tailscale.runTailscale(["status", "--json"])')
    again = cli("fix", "--unsafe-fixes", "--no-cache", "--diff", project / "ui")
    assert again.returncode == 0 and not again.stdout.strip(), again.stdout.decode()
    # The three modules type-check together against the real v1 types.
    assert api_errors(typecheck(fixed, tmp_path / "fixed", compiler_options={"jsx": "react-jsx"})) == []
    # The check can fail: one module left behind does not type-check.
    stale = {**fixed, "src/hooks/useStatus.ts": HOOK_TS}
    assert api_errors(typecheck(stale, tmp_path / "stale", compiler_options={"jsx": "react-jsx"}))


def test_every_part_says_it_is_unsafe_and_why(cli, project):
    proc = cli("check", "--output-format", "json", "--no-cache", project / "ui")
    findings = json.loads(proc.stdout)["findings"]
    parts = [f for f in findings if f["code"] in ("DD201", "DD214")]
    assert sorted(f["code"] for f in parts) == ["DD201", "DD214", "DD214"]
    assert all(f["fix"] == "unsafe" for f in parts)
    assert all("../App.tsx:4 assumes `${hostname}` is one word" in f["message"] for f in parts)
    [wrapper] = [f for f in parts if f["code"] == "DD201"]
    assert "its 2 calls in other modules change with it (`exec-wrapper-call`)" in wrapper["message"]


@pytest.mark.parametrize("change, reason", [
    # A caller that cannot be split, in another module.
    (("src/App.tsx", "runTailscale(`up --hostname=${hostname} --accept-routes`)", "runTailscale(flags)"),
     "../App.tsx:4 `runTailscale(flags)`: the command is the variable `flags`"),
    # A caller that passes the wrapper on as a value.
    (("src/hooks/useStatus.ts", 'return JSON.parse(await tailscale.runTailscale("status --json"));',
      "return [tailscale.runTailscale];"),
     "../hooks/useStatus.ts:4 `tailscale.runTailscale`: it is used as a value here, not called"),
    # One part of the migration suppressed: nothing moves.
    (("src/hooks/useStatus.ts", "  return JSON.parse(", "  // ddmigrate: ignore[exec-wrapper-call]\n  return JSON.parse("),
     "its change in ../hooks/useStatus.ts was not applied"),
])
def test_when_one_part_cannot_move_nothing_moves_and_the_wrapper_says_where(cli, project, change, reason):
    name, old, new = change
    path = project / "ui" / name
    path.write_text(path.read_text().replace(old, new))
    before = sources(project)
    cli("fix", "--unsafe-fixes", "--no-cache", project / "ui")
    after = sources(project)
    assert after["src/api/tailscale.ts"] == before["src/api/tailscale.ts"]
    assert after["src/App.tsx"] == before["src/App.tsx"] and after["src/hooks/useStatus.ts"] == before["src/hooks/useStatus.ts"]
    proc = cli("fix", "--unsafe-fixes", "--no-cache", "--output-format", "json", project / "ui")
    [wrapper] = [f for f in json.loads(proc.stdout)["findings"] if f["code"] == "DD201"]
    assert reason in wrapper["no_fix_reason"], wrapper["no_fix_reason"]


def test_a_rule_left_out_of_the_selection_stops_the_whole_migration(cli, project):
    before = sources(project)
    cli("fix", "--unsafe-fixes", "--no-cache", "--select", "exec-in-vm-extension", project / "ui")
    assert sources(project) == before


def test_files_named_on_the_command_line_do_not_see_every_importer(cli, project):
    """pre-commit passes the changed files only: other modules may call the wrapper."""
    before = sources(project)
    proc = cli("fix", "--unsafe-fixes", "--no-cache", "--output-format", "json",
               project / "ui/src/api/tailscale.ts", project / "ui/src/App.tsx")
    assert sources(project) == before
    [wrapper] = [f for f in json.loads(proc.stdout)["findings"] if f["code"] == "DD201"]
    assert "files were named on the command line" in wrapper["no_fix_reason"]


def test_the_cached_verdict_follows_a_change_in_another_module(cli, project):
    first = json.loads(cli("check", "--output-format", "json", "ui", cwd=project).stdout)["findings"]
    assert [f["fix"] for f in first if f["code"] == "DD201"] == ["unsafe"]
    app = project / "ui/src/App.tsx"
    app.write_text(app.read_text().replace("runTailscale(`up --hostname=${hostname} --accept-routes`)", "runTailscale(flags)"))
    second = json.loads(cli("check", "--output-format", "json", "ui", cwd=project).stdout)["findings"]
    [wrapper] = [f for f in second if f["code"] == "DD201"]
    assert wrapper["fix"] == "none" and "`runTailscale(flags)`" in wrapper["no_fix_reason"]
    assert not [f for f in second if f["code"] == "DD214"]
    assert list(project.glob("**/.ddmigrate_cache")), "the runs used the cache"


@needs_node
def test_the_program_receives_the_same_argv_across_modules(cli, write):
    folder = write({
        "metadata.json": json.dumps(METADATA),
        "ui/package.json": json.dumps({"type": "module"}),
        "ui/src/tool.js": "export const runTool = (command) =>\n"
                          "  window.ddClient.backend.execInVMExtension(`/app/tool ${command} --verbose`);\n",
        "ui/src/main.js": "import { runTool } from './tool.js';\nimport * as tool from './tool.js';\n\n"
                          "export async function main(name) {\n"
                          "  await runTool(`inspect ${name} --format '{{json .}}'`);\n"
                          "  await tool.runTool('list -a');\n"
                          "}\n",
    })
    before = argv_of(folder, "ui/src/main.js", "web")
    assert cli("fix", "--unsafe-fixes", "--no-cache", folder / "ui").returncode == 0
    assert "runTool(['list', '-a'])" in (folder / "ui/src/main.js").read_text()
    assert argv_of(folder, "ui/src/main.js", "web") == before == [
        ["/app/tool", "inspect", "web", "--format", "{{json .}}", "--verbose"], ["/app/tool", "list", "-a", "--verbose"]]


def test_a_callback_is_not_a_wrapper_its_values_come_from_data(cli, write):
    code = "names.forEach((name: string) => ddClient.backend.execInVMExtension(`docker rm -f ${name}`));\n"
    folder = write({"src/clean.ts": code})
    proc = cli("check", "--output-format", "json", "--no-cache", folder / "src/clean.ts")
    [finding] = json.loads(proc.stdout)["findings"]
    assert finding["fix"] == "unsafe" and "wraps it" not in finding["message"]


@pytest.mark.parametrize("value, reason", [
    ("isMac ? '/usr/local/bin/tool' : '/usr/bin/env tool'",
     '`${tool}` can be "/usr/bin/env tool" (line 1), which the shell split into 2 words'),
    ("\"'C:/Program Files/tool'\"", '`${tool}` can be "\'C:/Program Files/tool\'" (line 1), whose quotes or escapes'),
    ("fallback ?? 'a;b'", "which the shell read as shell syntax (;)"),
])
def test_a_substitution_known_to_hold_several_words_gets_no_single_argument_fix(cli, write, value, reason):
    """Tailscale's extension (April 2022) ran `host-tailscale status ${hostPath}` where hostPath
    could be "/usr/bin/env tailscale": two words for the shell, one argument in v1."""
    folder = write({"src/host.ts": f"const tool = {value};\nawait ddClient.execHostCmd(`helper status ${{tool}}`);\n"})
    proc = cli("check", "--output-format", "json", "--no-cache", folder / "src/host.ts")
    [finding] = [f for f in json.loads(proc.stdout)["findings"] if f["code"] == "DD202"]
    assert finding["fix"] == "none"
    assert reason in finding["no_fix_reason"], finding["no_fix_reason"]


def test_a_substitution_known_to_be_one_plain_word_keeps_its_fix(cli, write):
    folder = write({"src/host.ts": "const tool = isMac ? '/usr/local/bin/tool' : '/usr/bin/tool';\n"
                                   "await ddClient.execHostCmd(`helper status ${tool}`);\n"})
    proc = cli("check", "--output-format", "json", "--no-cache", folder / "src/host.ts")
    [finding] = [f for f in json.loads(proc.stdout)["findings"] if f["code"] == "DD202"]
    assert finding["fix"] == "unsafe"


OBJECT_JS = """\
// Methods of an object literal held in a const.
const tailscale = {
  run(command) {
    return window.ddClient.backend.execInVMExtension(`/app/tailscale ${command}`);
  },
  ping: (peer) => window.ddClient.backend.execInVMExtension(`/app/tailscale ping ${peer} -c 1`),
  version() {
    return "1.0";
  },
};

export async function main(peer) {
  await tailscale.run("status --json");
  await tailscale.run(`up --hostname=${peer}`);
  return tailscale.ping("my-laptop --verbose");
}
"""

OBJECT_FIXED = """\
// Methods of an object literal held in a const.
const tailscale = {
  run(command) {
    return window.ddClient.extension.vm?.cli.exec("/app/tailscale", command);
  },
  ping: (peer) => window.ddClient.extension.vm?.cli.exec("/app/tailscale", ["ping", ...peer, "-c", "1"]),
  version() {
    return "1.0";
  },
};

export async function main(peer) {
  await tailscale.run(["status", "--json"]);
  await tailscale.run(["up", `--hostname=${peer}`]);
  return tailscale.ping(["my-laptop", "--verbose"]);
}
"""


def test_methods_of_an_object_literal_move_with_their_calls(cli, extension, write):
    """`const api = { run(cmd) {...}, ping: (peer) => ... }` called as `api.run("...")`: the
    wrapper and its calls change together, byte for byte; a second run changes nothing; and the
    program receives the same argv as the original gave it through v0's shell."""
    write({"ui/src/object.js": OBJECT_JS}, extension)
    before = argv_of(extension, "ui/src/object.js", "my-laptop") if NODE else None
    proc = cli("fix", "--unsafe-fixes", "--no-cache", extension / "ui/src/object.js")
    assert proc.returncode == 0, proc.stdout.decode() + proc.stderr.decode()
    assert (extension / "ui/src/object.js").read_text() == OBJECT_FIXED
    again = cli("fix", "--unsafe-fixes", "--no-cache", "--diff", extension / "ui/src/object.js")
    assert again.returncode == 0 and not again.stdout.strip(), again.stdout.decode()
    if NODE:
        after = argv_of(extension, "ui/src/object.js", "my-laptop")
        assert before == after == [["/app/tailscale", "status", "--json"], ["/app/tailscale", "up", "--hostname=my-laptop"],
                                   ["/app/tailscale", "ping", "my-laptop", "--verbose", "-c", "1"]]


OBJECT_TS = """\
import { createDockerDesktopClient } from "@docker/extension-api-client";

const ddClient = createDockerDesktopClient();

const tailscale = {
  async run(command: string) {
    return ddClient.backend.execInVMExtension(`/app/tailscale ${command}`);
  },
  status: (args: string) => ddClient.backend.execInVMExtension(`/app/tailscale status ${args}`),
  version() {
    return "1";
  },
};

export async function refresh() {
  await tailscale.run("status --json");
  await tailscale.run("up --accept-routes");
  return tailscale.status("--peers --json");
}
"""


def test_a_fixed_object_literal_wrapper_type_checks_against_v1(cli, write, tmp_path):
    folder = write({"src/api.ts": OBJECT_TS})
    assert cli("fix", "--unsafe-fixes", "--no-cache", folder / "src/api.ts").returncode == 0
    fixed = (folder / "src/api.ts").read_text()
    assert "async run(command: string[])" in fixed and 'tailscale.run(["status", "--json"])' in fixed
    assert api_errors(typecheck({"api.ts": fixed}, tmp_path / "fixed")) == []
    # The check can fail: a call left passing one string does not type-check.
    stale = fixed.replace('tailscale.run(["status", "--json"])', 'tailscale.run("status --json")')
    assert api_errors(typecheck({"api.ts": stale}, tmp_path / "stale"))


def test_an_exec_docker_cmd_wrapper_gets_no_single_argument_fix(cli, write):
    """`execDockerCmd` wrappers are not migrated; their callers' several words are never
    passed as one argument: no fix, and the reason names the parameter and the function."""
    folder = write({"src/docker.ts": "function compose(args: string) {\n"
                                     "  return window.ddClient.execDockerCmd('compose', `-p ext ${args}`);\n}\n"
                                     "compose('ps -a');\n"})
    proc = cli("check", "--output-format", "json", "--no-cache", folder / "src/docker.ts")
    [finding] = [f for f in json.loads(proc.stdout)["findings"] if f["rule"] == "exec-docker-cmd"]
    assert finding["fix"] == "none"
    assert finding["no_fix_reason"].startswith("`args` is a parameter of `compose()`: the shell split its value")
