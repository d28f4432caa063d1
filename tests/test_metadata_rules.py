"""The rules that read the extension's metadata.json and compose file, on fixture extensions on
disk run through the real command line: host binaries shipped, partly shipped and not shipped,
no host section, no metadata.json at all (silent), v1 calls already written, the extension's own
backend container and another one, and the HTTP service without a socket."""

import json
import os

import pytest

METADATA = {
    "icon": "icon.svg",
    "vm": {"composefile": "docker-compose.yaml", "exposes": {"socket": "ext.sock"}},
    "host": {
        "binaries": [
            {
                "darwin": [{"path": "/darwin/kubectl"}, {"path": "/darwin/host-tailscale"}],
                "windows": [{"path": "/windows/kubectl.exe"}, {"path": "/windows/telepresence.cmd"}],
                "linux": [{"path": "/linux/kubectl"}, {"path": "/linux/host-tailscale"}],
            }
        ]
    },
    "ui": {"dashboard-tab": {"title": "Ext", "root": "/ui", "src": "index.html"}},
}

COMPOSE = """# the extension's backend
services:
  tailscale:
    image: ${DESKTOP_PLUGIN_IMAGE}
    container_name: tailscale_service
    volumes:
      - state:/var/lib/tailscale
  helper:
    image: alpine:3
volumes:
  state: {}
"""

DOCKERFILE = """FROM alpine:3
COPY tailscale /app/tailscale
COPY metadata.json docker-compose.yaml /
"""

HOST = """import { createDockerDesktopClient } from "@docker/extension-api-client";

const ddClient = createDockerDesktopClient();

export async function status() {
  const nodes = await ddClient.execHostCmd("kubectl get nodes -o json");
  const up = await ddClient.execHostCmd("host-tailscale up");
  const name = await ddClient.execHostCmd("hostname");
  const open = await ddClient.extension.host!.cli.exec("open", ["-a", "Tailscale"]);
  const tp = await ddClient.extension.host!.cli.exec("telepresence", ["status"]);
  return [nodes, up, name, open, tp];
}
"""

BACKEND = """import { createDockerDesktopClient } from "@docker/extension-api-client";

const ddClient = createDockerDesktopClient();
const SERVICE = "tailscale_service";

export async function down() {
  await window.ddClient.backend("tailscale").execInContainer("tailscale_service", "/app/tailscale down");
  await ddClient.backend.execInContainer(SERVICE, "/app/tailscale status --json");
  await ddClient.backend.execInContainer("helper", "cat /etc/hostname");
  await ddClient.backend.execInContainer("postgres", "pg_isready -q");
  await ddClient.backend.execInContainer(containerId, "ls /");
}
"""

BACKEND_FIXED = """import { createDockerDesktopClient } from "@docker/extension-api-client";

const ddClient = createDockerDesktopClient();
const SERVICE = "tailscale_service";

export async function down() {
  await window.ddClient.extension.vm!.cli.exec("/app/tailscale", ["down"]);
  await ddClient.extension.vm!.cli.exec("/app/tailscale", ["status", "--json"]);
  await ddClient.extension.vm!.cli.exec("cat", ["/etc/hostname"]);
  await ddClient.docker.cli.exec("exec", ["postgres", "pg_isready", "-q"]);
  await ddClient.docker.cli.exec("exec", [containerId, "ls", "/"]);
}
"""

METRICS = """import { createDockerDesktopClient } from "@docker/extension-api-client";

const ddClient = createDockerDesktopClient();

export async function metrics() {
  const info = await ddClient.docker.cli.exec("info", ["--format", "'{{json .}}'"]);
  const ps = await ddClient.docker.cli.exec("ps", ["--format='{{json .}}'", "-a"]);
  const items = await ddClient.extension.vm?.service?.get("/items");
  return [JSON.parse(info.stdout), ps, items];
}
"""

METRICS_FIXED = METRICS.replace("\"'{{json .}}'\"", "\"{{json .}}\"").replace("--format='{{json .}}'", "--format={{json .}}")


@pytest.fixture
def extension(write, tmp_path):
    """An extension with metadata.json, its compose file, a Dockerfile and several modules."""
    return write({
        "ext/metadata.json": json.dumps(METADATA, indent=2),
        "ext/docker-compose.yaml": COMPOSE,
        "ext/Dockerfile": DOCKERFILE,
        "ext/ui/package.json": '{"name": "ui", "private": true}\n',
        "ext/ui/src/host.ts": HOST,
        "ext/ui/src/backend.ts": BACKEND,
        "ext/ui/src/metrics.ts": METRICS,
    }) / "ext"


def check(cli, folder, *extra):
    proc = cli("check", folder, "--format", "json", "--no-cache", *extra)
    assert proc.returncode in (0, 1), proc.stderr.decode()
    report = json.loads(proc.stdout)
    assert report["errors"] == []
    return report["findings"]


def by_rule(findings, rule):
    return [f for f in findings if f["rule"] == rule]


def test_host_binaries_shipped_partly_shipped_and_not_shipped(cli, extension):
    findings = check(cli, extension)
    shipped = {(f["line"], f["message"].split("`")[1]): f["message"] for f in by_rule(findings, "host-binary-not-shipped")}
    # kubectl (line 6) is shipped everywhere; telepresence is `telepresence.cmd` on Windows only.
    assert sorted(shipped) == [(7, "host-tailscale"), (8, "hostname"), (9, "open"), (10, "telepresence")]
    assert "(not for windows)" in shipped[(7, "host-tailscale")]
    assert "(not for darwin (macOS), windows, linux)" in shipped[(8, "hostname")]
    assert "(not for darwin (macOS), linux)" in shipped[(10, "telepresence")]
    # The findings point at the program, and never carry a fix.
    assert all(f["fix"] == "none" for f in by_rule(findings, "host-binary-not-shipped"))
    first = next(f for f in by_rule(findings, "host-binary-not-shipped") if f["line"] == 9)
    assert first["column"] == HOST.splitlines()[8].index('"open"') + 1
    # exec-host-cmd: safe for the shipped kubectl, unsafe with the note for the others.
    execs = {f["line"]: f for f in by_rule(findings, "exec-host-cmd")}
    assert execs[6]["fix"] == "safe" and "host-binary-not-shipped" not in execs[6]["message"]
    assert execs[7]["fix"] == "unsafe"
    assert "`host-tailscale` is not shipped in metadata.json `host.binaries` for windows" in execs[7]["message"]
    assert execs[8]["fix"] == "unsafe" and "`hostname` is not shipped" in execs[8]["message"]


def test_safe_fixes_leave_unshipped_host_calls_alone(cli, extension):
    proc = cli("fix", extension / "ui" / "src" / "host.ts", "--no-cache")
    assert proc.returncode == 1, proc.stderr.decode()
    text = (extension / "ui" / "src" / "host.ts").read_text()
    assert 'ddClient.extension.host!.cli.exec("kubectl", ["get", "nodes", "-o", "json"])' in text
    assert 'ddClient.execHostCmd("host-tailscale up")' in text
    assert 'ddClient.execHostCmd("hostname")' in text
    proc = cli("fix", extension / "ui" / "src" / "host.ts", "--no-cache", "--unsafe-fixes")
    text = (extension / "ui" / "src" / "host.ts").read_text()
    assert 'ddClient.extension.host!.cli.exec("hostname", [])' in text
    # Still reported after the fix, as a v1 call.
    remaining = by_rule(check(cli, extension / "ui" / "src" / "host.ts"), "host-binary-not-shipped")
    assert len(remaining) == 4


def test_binaries_installed_otherwise_are_configured(cli, extension, write):
    write({".ddmigrate.toml": 'host-binaries-installed = ["hostname", "open"]\n'}, extension)
    names = {f["message"].split("`")[1] for f in by_rule(check(cli, extension), "host-binary-not-shipped")}
    assert names == {"host-tailscale", "telepresence"}
    write({".ddmigrate.toml": 'host-binaries-installed = "hostname"\n'}, extension)
    proc = cli("check", extension, "--no-cache")
    assert proc.returncode == 2
    assert b"'host-binaries-installed' must be a list of strings" in proc.stderr


def test_a_missing_host_section_names_every_platform(cli, extension):
    metadata = {k: v for k, v in METADATA.items() if k != "host"}
    (extension / "metadata.json").write_text(json.dumps(metadata))
    found = by_rule(check(cli, extension), "host-binary-not-shipped")
    assert len(found) == 5  # kubectl too: nothing is shipped
    assert all("metadata.json has no `host.binaries` (checked for darwin (macOS), windows, linux)" in f["message"] for f in found)


def test_no_metadata_json_is_silent(cli, extension, tmp_path):
    loose = tmp_path / "loose"
    loose.mkdir()
    for name in ("host.ts", "backend.ts", "metrics.ts"):
        (loose / name).write_text((extension / "ui" / "src" / name).read_text())
    findings = check(cli, loose)
    assert not by_rule(findings, "host-binary-not-shipped")
    assert not by_rule(findings, "vm-service-without-socket")
    assert all(f["fix"] == "safe" for f in by_rule(findings, "exec-host-cmd"))
    # Every container is another one: `docker exec`, with the message as before.
    containers = by_rule(findings, "exec-in-container")
    assert len(containers) == 5
    assert all(f["message"].startswith('`execInContainer()` is deprecated; use `docker.cli.exec("exec"') for f in containers)
    assert "is not this extension's own backend" not in json.dumps(containers)
    # The quoted arguments do not depend on metadata.
    assert len(by_rule(findings, "quoted-exec-argument")) == 2


def test_the_own_backend_container_and_other_containers(cli, extension):
    findings = {f["line"]: f for f in by_rule(check(cli, extension), "exec-in-container")}
    assert ("`tailscale_service` is this extension's own backend container (the `container_name` of service `tailscale` in "
            "`docker-compose.yaml`)") in findings[7]["message"]
    assert findings[7]["fix"] == "unsafe"  # the early-preview `backend("tailscale")` form
    assert "(the `container_name` of service `tailscale`" in findings[8]["message"] and findings[8]["fix"] == "safe"
    assert "service `helper` in `docker-compose.yaml`, which sets no `container_name`" in findings[9]["message"]
    assert ("`postgres` is not this extension's own backend container, which `docker-compose.yaml` names "
            "`tailscale_service`, `helper`: `docker exec` reaches it by name") in findings[10]["message"]
    assert "`containerId` is not a string literal" in findings[11]["message"]
    proc = cli("fix", extension / "ui" / "src" / "backend.ts", "--no-cache", "--unsafe-fixes")
    assert proc.returncode in (0, 1), proc.stderr.decode()
    assert (extension / "ui" / "src" / "backend.ts").read_text() == BACKEND_FIXED


def test_an_image_only_backend_is_another_container(cli, extension):
    metadata = dict(METADATA, vm={"image": "example/tailscale:1.0", "exposes": {"socket": "ext.sock"}})
    (extension / "metadata.json").write_text(json.dumps(metadata))
    findings = {f["line"]: f for f in by_rule(check(cli, extension), "exec-in-container")}
    assert "metadata.json gives the backend only as `vm.image`" in findings[7]["message"]
    assert "early preview form: the extension name given to `backend(...)` is dropped (v1 has no such argument" in findings[7]["message"]
    assert "always reaches this extension's own backend" not in findings[7]["message"]


def test_a_missing_compose_file_is_silent(cli, extension):
    os.remove(extension / "docker-compose.yaml")
    findings = by_rule(check(cli, extension), "exec-in-container")
    assert all("docker.cli.exec(\"exec\"" in f["message"] for f in findings)
    assert not any("own backend container" in f["message"] for f in findings)


def test_quoted_arguments_and_the_service_socket(cli, extension):
    findings = check(cli, extension)
    quoted = by_rule(findings, "quoted-exec-argument")
    assert [(f["line"], f["fix"]) for f in quoted] == [(6, "unsafe"), (7, "unsafe")]
    assert "v1 exec runs no shell and passes them to the program" in quoted[0]["message"]
    assert not by_rule(findings, "vm-service-without-socket")  # the metadata exposes a socket
    proc = cli("fix", extension / "ui" / "src" / "metrics.ts", "--no-cache", "--unsafe-fixes")
    assert proc.returncode in (0, 1), proc.stderr.decode()
    assert (extension / "ui" / "src" / "metrics.ts").read_text() == METRICS_FIXED
    metadata = dict(METADATA, vm={"composefile": "docker-compose.yaml"})
    (extension / "metadata.json").write_text(json.dumps(metadata))
    service = by_rule(check(cli, extension), "vm-service-without-socket")
    assert [f["line"] for f in service] == [8]
    assert "metadata.json has no `vm.exposes.socket`" in service[0]["message"]


def test_the_cache_sees_metadata_changes(cli, extension):
    """Findings depend on metadata.json: a cached result must not outlive a change to it."""
    def shipped():
        proc = cli("check", extension, "--format", "json")
        return {f["message"].split("`")[1] for f in json.loads(proc.stdout)["findings"] if f["rule"] == "host-binary-not-shipped"}

    assert shipped() == {"host-tailscale", "hostname", "open", "telepresence"}
    metadata = json.loads((extension / "metadata.json").read_text())
    metadata["host"]["binaries"][0]["windows"].append({"path": "/windows/host-tailscale.exe"})
    (extension / "metadata.json").write_text(json.dumps(metadata))
    assert shipped() == {"hostname", "open", "telepresence"}


def test_a_finding_about_a_v1_argument_points_at_the_argument(cli, write, tmp_path):
    """The published bug: a backtick substitution in a v1 argument (no shell runs it)."""
    line = "await ddClient.extension.host!.cli.exec('kubectl', ['config', 'set', \"clusterName=`kubectl config current-context`\"]);\n"
    write({"ext/metadata.json": json.dumps(METADATA), "ext/ui/src/k.ts": line})
    found = by_rule(check(cli, tmp_path / "ext"), "chained-shell-command")
    assert [(f["line"], f["column"], f["end_column"]) for f in found] == [
        (1, line.index('"clusterName') + 1, line.index('"]);') + 2)]


def test_open_external_used_as_a_promise_gets_no_fix(cli, write, tmp_path):
    code = "window.ddClient.openExternal(url).then(() => done());\nwindow.ddClient.openExternal(url);\n"
    write({"a.js": code})
    proc = cli("fix", tmp_path / "a.js", "--no-cache", "--unsafe-fixes")
    assert proc.returncode == 1
    assert (tmp_path / "a.js").read_text() == ("window.ddClient.openExternal(url).then(() => done());\n"
                                               "window.ddClient.host.openExternal(url);\n")
    assert b"chained on it would run on `undefined`" in proc.stdout + proc.stderr


CHAINS = """const ddClient = window.ddClient;

export function refresh(show, report) {
  ddClient.backend.execInVMExtension("/app/tailscale status --json").then((r) => show(r.stdout));
  ddClient.backend.execInVMExtension("/app/tailscale netcheck").catch(report);
  return ddClient.backend.execInVMExtension("/app/tailscale version");
}

export async function up() {
  const result = await ddClient.backend.execInVMExtension("/app/tailscale up");
  return result.stdout;
}
"""

CHAINS_FIXED = """const ddClient = window.ddClient;

export function refresh(show, report) {
  ddClient.extension.vm?.cli.exec("/app/tailscale", ["status", "--json"]).then((r) => show(r.stdout));
  ddClient.extension.vm?.cli.exec("/app/tailscale", ["netcheck"]).catch(report);
  return ddClient.extension.vm?.cli.exec("/app/tailscale", ["version"]);
}

export async function up() {
  const result = await ddClient.extension.vm?.cli.exec("/app/tailscale", ["up"]);
  return result.stdout;
}
"""

SKIP_NOTE = "`extension.vm?.` silently skips the"


def _vm_execs(cli, folder):
    return {f["line"]: f for f in by_rule(check(cli, folder), "exec-in-vm-extension")}


def test_a_chain_on_a_javascript_vm_exec_is_safe_when_metadata_declares_the_backend(cli, extension, write):
    write({"ui/src/chains.js": CHAINS}, extension)
    execs = _vm_execs(cli, extension / "ui" / "src" / "chains.js")
    assert sorted(execs) == [4, 5, 6, 10]
    assert all(f["fix"] == "safe" and SKIP_NOTE not in f["message"] for f in execs.values())
    proc = cli("fix", extension / "ui" / "src" / "chains.js", "--no-cache")
    assert proc.returncode in (0, 1), proc.stderr.decode()
    assert (extension / "ui" / "src" / "chains.js").read_text() == CHAINS_FIXED
    # An image instead of a compose file declares the backend too.
    (extension / "metadata.json").write_text(json.dumps(dict(METADATA, vm={"image": "example/tailscale:1.0"})))
    (extension / "ui" / "src" / "chains.js").write_text(CHAINS)
    assert all(f["fix"] == "safe" for f in _vm_execs(cli, extension / "ui" / "src" / "chains.js").values())


def test_a_chain_on_a_javascript_vm_exec_is_unsafe_without_a_declared_backend(cli, extension, write, tmp_path):
    # No metadata.json at all.
    loose = write({"loose/chains.js": CHAINS}) / "loose"
    execs = _vm_execs(cli, loose)
    assert {line: f["fix"] for line, f in execs.items()} == {4: "unsafe", 5: "unsafe", 6: "safe", 10: "safe"}
    assert ("(in JavaScript `extension.vm?.` silently skips the `.then(...)` chained on the call when the extension "
            "has no backend (`vm`), where v0 threw; no metadata.json says it has one)") in execs[4]["message"]
    assert "skips the `.catch(...)` chained on the call" in execs[5]["message"]
    assert SKIP_NOTE not in execs[6]["message"] + execs[10]["message"]
    # Safe fixes leave the chained calls alone; unsafe ones write the same text as above.
    cli("fix", loose / "chains.js", "--no-cache")
    text = (loose / "chains.js").read_text()
    assert 'ddClient.backend.execInVMExtension("/app/tailscale status --json").then(' in text
    assert 'ddClient.backend.execInVMExtension("/app/tailscale netcheck").catch(report)' in text
    assert 'return ddClient.extension.vm?.cli.exec("/app/tailscale", ["version"]);' in text
    cli("fix", loose / "chains.js", "--no-cache", "--unsafe-fixes")
    assert (loose / "chains.js").read_text() == CHAINS_FIXED
    # A metadata.json whose `vm` names neither an image nor a compose file declares no backend.
    (extension / "metadata.json").write_text(json.dumps(dict(METADATA, vm={"exposes": {"socket": "ext.sock"}})))
    write({"ui/src/chains.js": CHAINS}, extension)
    execs = _vm_execs(cli, extension / "ui" / "src" / "chains.js")
    assert execs[4]["fix"] == "unsafe"
    assert "its metadata.json declares no `vm` (image or compose file)" in execs[4]["message"]


def test_typescript_vm_execs_keep_their_non_null_assertion(cli, write):
    code = CHAINS.replace("(show, report)", "(show: any, report: any)").replace("(r) =>", "(r: any) =>")
    loose = write({"loose/chains.ts": code}) / "loose"
    execs = _vm_execs(cli, loose)
    assert all(f["fix"] == "safe" and SKIP_NOTE not in f["message"] for f in execs.values())
    cli("fix", loose / "chains.ts", "--no-cache")
    text = (loose / "chains.ts").read_text()
    assert 'ddClient.extension.vm!.cli.exec("/app/tailscale", ["status", "--json"]).then((r: any) =>' in text


def test_the_installed_binaries_follow_config_and_isolated(cli, extension, write, tmp_path):
    """`host-binaries-installed` comes from the configuration the command line chose: the one
    `--config` names (not the one next to the files), or none with `--isolated`."""
    write({".ddmigrate.toml": 'host-binaries-installed = ["hostname", "open"]\n'}, extension)
    elsewhere = tmp_path / "ci.toml"
    elsewhere.write_text('host-binaries-installed = ["telepresence"]\n')

    def unshipped(*extra):
        proc = cli("check", extension, "--format", "json", "--no-cache", *extra)
        assert proc.returncode in (0, 1), proc.stderr.decode()
        found = json.loads(proc.stdout)["findings"]
        return {f["message"].split("`")[1] for f in found if f["rule"] == "host-binary-not-shipped"}

    assert unshipped() == {"host-tailscale", "telepresence"}
    assert unshipped("--config", str(elsewhere)) == {"host-tailscale", "hostname", "open"}
    assert unshipped("--isolated") == {"host-tailscale", "hostname", "open", "telepresence"}
    # The same with the pool (its workers get the choice from this process).
    assert unshipped("--config", str(elsewhere), "--jobs", "2") == {"host-tailscale", "hostname", "open"}
