"""The extension read as one program: a client created in one module and used in others.

An extension-shaped project on disk (package.json, tsconfig.json with `paths`, metadata.json,
a compose file, a Dockerfile, several modules), run through the real command line; the
fixed project is then type-checked with the real TypeScript compiler against the v1 types.
"""

import json
import re
import textwrap

import pytest

from tests.typecheck import api_errors, typecheck

CLIENT = """\
import { createDockerDesktopClient } from "@docker/extension-api-client";

export const ddClient = createDockerDesktopClient();
export default ddClient;

export function getClient() {
  return ddClient;
}
"""

BARREL = """\
export * from "./client";
export { default as client } from "./client";
"""

HOOK = """\
import { getClient } from "../lib";

export function useDockerClient() {
  return getClient();
}
"""

# No client literal in this file: it is found through what it imports.
STATUS = """\
import { getClient } from "../lib";
import { useDockerClient } from "../hooks/useDockerClient";
import client from "../lib/client";
import * as lib from "@/lib/index";

export async function refresh(): Promise<void> {
  const docker = useDockerClient();
  docker.toastSuccess("refreshing");
  await getClient().backend.get("/status");
  await client.backend.post("/status", { force: true });
  lib.client.toastError("done");
}
"""

PANEL = """\
import { ddClient } from "@/lib/client";

export function Panel() {
  ddClient.toastWarning("careful");
  return ddClient.execHostCmd("kubectl get pods -o json");
}
"""

LEGACY = """\
const { getClient } = require("./lib/client");

function stop() {
  return getClient().backend.get("/stop");
}

module.exports = { stop };
"""

BACKEND_MODULE = """\
import { ddClient } from "./client";

export const backend = ddClient.backend;
"""

USES_BACKEND = """\
import { backend } from "../lib/backend";

export const ping = () => backend.get("/ping");
"""

# Look-alikes: a module exporting an unrelated `backend` and `client`.
HTTP = """\
import axios from "axios";

export const backend = axios.create({ baseURL: "/api" });
export const client = { toastError: (m: string) => console.error(m) };
"""

USES_HTTP = """\
import { backend, client } from "../lib/http";

export const load = () => backend.get("/users");
export const warn = () => client.toastError("no");
"""

TSCONFIG = {"compilerOptions": {"baseUrl": ".", "paths": {"@/*": ["src/*"]}, "strict": True, "jsx": "react-jsx"}}

PROJECT = {
    "metadata.json": json.dumps({"icon": "docker.svg", "vm": {"composefile": "docker-compose.yaml", "exposes": {"socket": "demo.sock"}},
                                 "host": {"binaries": [{p: [{"path": f"/{p}/kubectl"}] for p in ("darwin", "linux", "windows")}]},
                                 "ui": {"dashboard-tab": {"title": "Demo", "root": "/ui", "src": "index.html"}}}),
    "docker-compose.yaml": "services:\n  demo:\n    image: demo-backend\n",
    "Dockerfile": "FROM alpine\nCOPY metadata.json .\nCOPY ui/build ui\n",
    "ui/package.json": json.dumps({"name": "demo-ui", "dependencies": {"@docker/extension-api-client": "0.4.2"},
                                   "devDependencies": {"@docker/extension-api-client-types": "0.4.2"}}),
    # tsconfig files are JSON with comments and trailing commas.
    "ui/tsconfig.json": "// the UI\n" + json.dumps(TSCONFIG, indent=2)[:-2] + ",\n}\n",
    "ui/src/lib/client.ts": CLIENT,
    "ui/src/lib/index.ts": BARREL,
    "ui/src/hooks/useDockerClient.ts": HOOK,
    "ui/src/components/Status.ts": STATUS,
    "ui/src/components/Panel.tsx": PANEL,
    "ui/src/legacy.js": LEGACY,
    "ui/src/lib/http.ts": HTTP,
    "ui/src/components/Users.ts": USES_HTTP,
}

STATUS_FIXED = STATUS.replace('docker.toastSuccess("refreshing")', 'docker.desktopUI.toast.success("refreshing")').replace(
    'getClient().backend.get("/status")', 'getClient().extension.vm?.service?.get("/status")').replace(
    'client.backend.post("/status"', 'client.extension.vm?.service?.post("/status"').replace(
    'lib.client.toastError("done")', 'lib.client.desktopUI.toast.error("done")')
PANEL_FIXED = PANEL.replace('ddClient.toastWarning("careful")', 'ddClient.desktopUI.toast.warning("careful")').replace(
    'ddClient.execHostCmd("kubectl get pods -o json")',
    'ddClient.extension.host!.cli.exec("kubectl", ["get", "pods", "-o", "json"])')
LEGACY_FIXED = LEGACY.replace('getClient().backend.get("/stop")', 'getClient().extension.vm?.service?.get("/stop")')


@pytest.fixture
def project(write, tmp_path):
    return write(PROJECT)


def findings(cli, root, *paths):
    proc = cli("check", "--format", "json", "--no-cache", *(paths or ["."]), cwd=root)
    assert proc.returncode in (0, 1), proc.stderr.decode()
    return [(f["path"], f["line"], f["code"]) for f in json.loads(proc.stdout)["findings"]]


def test_clients_imported_from_other_modules_are_found(cli, project):
    found = findings(cli, project)
    assert sorted(found) == sorted([
        ("ui/src/components/Status.ts", 8, "DD302"),  # a hook in its own file, through a barrel
        ("ui/src/components/Status.ts", 9, "DD101"),  # getClient() exported from another module
        ("ui/src/components/Status.ts", 10, "DD101"),  # the default export
        ("ui/src/components/Status.ts", 11, "DD302"),  # a namespace import, through tsconfig `paths`
        ("ui/src/components/Panel.tsx", 4, "DD302"),  # a named import through tsconfig `paths`
        ("ui/src/components/Panel.tsx", 5, "DD202"),
        ("ui/src/legacy.js", 4, "DD101"),  # CommonJS require
    ])


def test_fix_rewrites_every_importer_and_the_project_type_checks(cli, project, tmp_path):
    proc = cli("fix", "--no-cache", ".", cwd=project)
    assert proc.returncode == 0, proc.stdout.decode() + proc.stderr.decode()
    src = project / "ui" / "src"
    assert (src / "components" / "Status.ts").read_text() == STATUS_FIXED
    assert (src / "components" / "Panel.tsx").read_text() == PANEL_FIXED
    assert (src / "legacy.js").read_text() == LEGACY_FIXED
    for name in ("lib/client.ts", "lib/index.ts", "hooks/useDockerClient.ts", "lib/http.ts", "components/Users.ts"):
        assert (src / name).read_text() == PROJECT[f"ui/src/{name}"]
    assert cli("fix", "--no-cache", "--check", ".", cwd=project).returncode == 0  # nothing left to do
    fixed = {str(p.relative_to(project / "ui")): p.read_text() for p in src.rglob("*") if p.is_file()}
    fixed = {name: code for name, code in fixed.items() if not name.endswith("http.ts") and "Users" not in name}
    errors = api_errors(typecheck(fixed, tmp_path / "tsc", compiler_options={"baseUrl": ".", "paths": {"@/*": ["src/*"]}}))
    assert errors == []


def test_the_type_check_catches_the_unfixed_project(project, tmp_path):
    files = {str(p.relative_to(project / "ui")): p.read_text() for p in (project / "ui" / "src").rglob("*.*")}
    files = {name: code for name, code in files.items() if "http" not in name and "Users" not in name}
    errors = api_errors(typecheck(files, tmp_path / "tsc", compiler_options={"baseUrl": ".", "paths": {"@/*": ["src/*"]}}))
    assert {e["file"] for e in errors} >= {"src/components/Status.ts", "src/components/Panel.tsx"}


def test_one_file_named_alone_reads_the_modules_it_imports(cli, project):
    # pre-commit names only the changed file, which holds no client literal.
    assert findings(cli, project, "ui/src/components/Status.ts") == [
        ("ui/src/components/Status.ts", line, code) for line, code in ((8, "DD302"), (9, "DD101"), (10, "DD101"), (11, "DD302"))
    ]


def test_an_exported_backend_is_reported_in_the_modules_that_import_it(cli, write, project):
    write({"ui/src/lib/backend.ts": BACKEND_MODULE, "ui/src/components/Ping.ts": USES_BACKEND}, project)
    proc = cli("fix", "--no-cache", "--diff", "ui/src/components/Ping.ts", cwd=project)
    out = proc.stderr.decode()  # with --diff the report goes to stderr
    assert "Ping.ts:3:27: DD101 [backend-http]" in out
    assert "`backend` is imported from `../lib/backend`" in out
    assert proc.returncode == 1


def test_cached_results_follow_a_change_in_an_imported_module(cli, write, project):
    """The client moves out of lib/client.ts: its importers' cached findings must not stay."""
    panel = ("ui/src/components/Panel.tsx", 4, "DD302")
    proc = cli("check", "--format", "json", ".", cwd=project)  # with the cache
    assert panel in [(f["path"], f["line"], f["code"]) for f in json.loads(proc.stdout)["findings"]]
    write({"ui/src/lib/client.ts": "export const ddClient = { toastWarning(m: string) { console.warn(m); } };\n"
                                   "export default ddClient;\nexport function getClient() { return ddClient; }\n"}, project)
    proc = cli("check", "--format", "json", ".", cwd=project)
    codes = [(f["path"], f["line"], f["code"]) for f in json.loads(proc.stdout)["findings"]]
    # Panel.tsx holds the literal `ddClient` but no longer the client: only the exec call's
    # spelling is left to look like v0, and it is not the client's either.
    assert not [c for c in codes if c[0].endswith(("Status.ts", "legacy.js"))]
    assert panel not in codes


def test_modules_are_read_only_when_a_file_could_import_the_client(cli, write, tmp_path):
    """A tree with no client at all parses nothing for the project pass (-v says so)."""
    write({"src/a.ts": "import { b } from './b';\nexport const a = b;\n", "src/b.ts": "export const b = 1;\n"})
    proc = cli("check", "-v", ".", cwd=tmp_path)
    assert proc.returncode == 0
    assert "no findings in 2 files" in proc.stdout.decode()
    assert "project: 0 modules summarised for their exports, 0 files found through their imports" in proc.stderr.decode()


def test_verbose_counts_the_project_pass(cli, project):
    proc = cli("check", "-v", "--no-cache", ".", cwd=project)
    # Status.ts, legacy.js, the hook and the barrel hold no client literal: they are found
    # through what they import (Users.ts imports only the look-alike module).
    assert "files found through their imports" in proc.stderr.decode()
    match = re.search(r"project: (\d+) modules summarised for their exports, (\d+) files found", proc.stderr.decode())
    assert match is not None and int(match[1]) >= 3 and int(match[2]) == 4, proc.stderr.decode()


@pytest.mark.parametrize("source, expected", [
    # export default of a function that returns the client, imported under another name
    ({"lib/c.js": "export default function useDD() { return window.ddClient; }\n",
      "app.js": "import hook from './lib/c.js';\nhook().toastError('x');\n"}, [("app.js", 2, "DD302")]),
    # a re-export under a new name, and `export * as`
    ({"lib/c.ts": "export const dd = window.ddClient;\n", "lib/i.ts": "export { dd as api } from './c';\nexport * as ns from './c';\n",
      "app.ts": "import { api, ns } from './lib/i';\napi.toastError('x');\nns.dd.toastSuccess('y');\n"},
     [("app.ts", 2, "DD302"), ("app.ts", 3, "DD302")]),
    # CommonJS exports.x and module.exports = value
    ({"c.cjs": "exports.dd = window.ddClient;\n", "d.cjs": "module.exports = window.ddClient;\n",
      "app.cjs": "const { dd } = require('./c.cjs');\nconst whole = require('./d.cjs');\ndd.toastError('a');\nwhole.toastError('b');\n"},
     [("app.cjs", 3, "DD302"), ("app.cjs", 4, "DD302")]),
    # a CommonJS module that only re-exports the client as a whole, and its importer
    ({"client.cjs": "module.exports = window.ddClient;\n", "again.cjs": "module.exports = require('./client.cjs');\n",
      "app.cjs": "const dd = require('./again.cjs');\ndd.toastError('a');\n"}, [("app.cjs", 2, "DD302")]),
    # an import cycle ends, and nothing is invented
    ({"a.ts": "import { b } from './b';\nexport const a = b;\n", "b.ts": "import { a } from './a';\nexport const b = a;\n",
      "app.ts": "import { a } from './a';\na.toastError('x');\nconst ddClient = 1;\n"}, []),
    # TypeScript's ESM spelling `./client.js` for client.ts, and a folder's index file
    ({"lib/client.ts": "export const dd = window.ddClient;\n", "lib/index.ts": "export * from './client.js';\n",
      "app.ts": "import { dd } from './lib';\ndd.toastError('x');\n"}, [("app.ts", 2, "DD302")]),
])
def test_module_shapes(cli, write, tmp_path, source, expected):
    write({f"src/{name}": textwrap.dedent(code) for name, code in source.items()})
    assert sorted((p.removeprefix("src/"), line, code) for p, line, code in findings(cli, tmp_path)) == sorted(expected)


def test_a_warm_run_parses_no_module_and_finds_the_same(cli, project):
    first = cli("check", "-v", "--format", "json", ".", cwd=project)
    second = cli("check", "-v", "--format", "json", ".", cwd=project)
    assert json.loads(first.stdout)["findings"] == json.loads(second.stdout)["findings"]
    assert len(json.loads(second.stdout)["findings"]) == 7
    assert re.search(r"project: [1-9]\d* modules summarised", first.stderr.decode())
    assert "project: 0 modules summarised" in second.stderr.decode()


def test_components_import_the_client_like_modules_do(cli, write, project):
    write({
        "ui/src/components/Logs.vue": '<script setup lang="ts">\nimport { getClient } from "../lib";\n\n'
                                      'function open() {\n  getClient().toastError("no logs");\n}\n</script>\n\n'
                                      '<template><button @click="open">Logs</button></template>\n',
        "ui/src/components/Stop.svelte": '<script>\n  import client from "../lib/client";\n'
                                         '  const stop = () => client.backend.post("/stop");\n</script>\n\n'
                                         '<button on:click={stop}>Stop</button>\n',
    }, project)
    found = findings(cli, project, "ui/src/components/Logs.vue", "ui/src/components/Stop.svelte")
    assert found == [("ui/src/components/Logs.vue", 5, "DD302"), ("ui/src/components/Stop.svelte", 3, "DD101")]
    # Walked too, not only when named.
    assert set(found) <= set(findings(cli, project))
    proc = cli("fix", "--no-cache", ".", cwd=project)
    assert proc.returncode == 0, proc.stdout.decode()
    assert 'getClient().desktopUI.toast.error("no logs")' in (project / "ui/src/components/Logs.vue").read_text()
    assert 'client.extension.vm?.service?.post("/stop")' in (project / "ui/src/components/Stop.svelte").read_text()
