"""vm-path-not-in-image (DD403) on a fixture extension on disk, through the real command line:
the backend image's Dockerfile (named by the compose file's `build:`, or next to metadata.json)
decides which absolute paths a VM exec may run. COPY destinations and the folders under them,
WORKDIR and relative destinations, RUN mentions, multi-stage builds, what silences the rule,
and the cache seeing a change to the Dockerfile."""

import json

import pytest

from migrator.migration.dockerfile import parse

METADATA = {
    "icon": "icon.svg",
    "vm": {"composefile": "docker-compose.yaml", "exposes": {"socket": "ext.sock"}},
    "ui": {"dashboard-tab": {"title": "Ext", "root": "/ui", "src": "index.html"}},
}

COMPOSE = """services:
  backend:
    build: .
    image: ${DESKTOP_PLUGIN_IMAGE}
    container_name: ext_backend
  cache:
    image: redis:7
"""

DOCKERFILE = """# syntax=docker/dockerfile:1
FROM golang:1.22-alpine AS builder
WORKDIR /src
COPY backend/ .
RUN go build -o /out/backend ./cmd/backend \\
    && go build -o /out/helper ./cmd/helper

# the image
FROM alpine:3.19
LABEL org.opencontainers.image.title="Ext" \\
      com.docker.extension.api-version=">= 0.3.4"
WORKDIR /app
COPY --from=builder /out/backend ./bin/backend
COPY --chown=1000:1000 ["metadata.json", "docker-compose.yaml", "/app/"]
COPY ui/build ui
COPY scripts/ /opt/scripts/
RUN chmod +x /usr/local/bin/entrypoint.sh
CMD ["/app/bin/backend"]
"""

BACKEND = """import { createDockerDesktopClient } from "@docker/extension-api-client";

const ddClient = createDockerDesktopClient();

export async function status() {
  const version = await ddClient.extension.vm!.cli.exec("/app/bin/backend", ["--version"]);
  const sync = await ddClient.extension.vm!.cli.exec("/opt/scripts/sync.sh", []);
  const entry = await ddClient.extension.vm?.cli.exec("/usr/local/bin/entrypoint.sh", []);
  const env = await ddClient.extension.vm!.cli.exec("/usr/bin/env", []);
  const helper = await ddClient.extension.vm!.cli.exec("/out/helper", ["check"]);
  const ts = await ddClient.extension.vm!.cli.exec("/app/tailscale", ["status"]);
  return [version, sync, entry, env, helper, ts];
}
"""

LEGACY = """import { createDockerDesktopClient } from "@docker/extension-api-client";

const ddClient = createDockerDesktopClient();

export async function up(name: string, onData: any) {
  await ddClient.backend.execInVMExtension("/app/tailscale up");
  ddClient.backend.spawnInVMExtension("/app/bin/backend", ["serve"], onData);
  await ddClient.backend.execInVMExtension(`/app/ui/${name}`);
  await ddClient.backend.execInVMExtension("ls -la /data");
}
"""

WRAPPER = """import { createDockerDesktopClient } from "@docker/extension-api-client";

const ddClient = createDockerDesktopClient();

export async function tool(command: string) {
  return ddClient.backend.execInVMExtension(`/usr/local/bin/tool ${command}`);
}
"""

DESTINATIONS = "/app/bin/backend, /app/metadata.json, /app/docker-compose.yaml, /app/ui, /opt/scripts"


def message(path, dockerfile="Dockerfile", destinations=DESTINATIONS):
    return (f"`{path}` is not created by {dockerfile} (its COPY/ADD destinations are {destinations}): the VM exec "
            "fails with 'no such file'; ship it in the image or fix the path")


@pytest.fixture
def extension(write):
    return write({
        "ext/metadata.json": json.dumps(METADATA, indent=2),
        "ext/docker-compose.yaml": COMPOSE,
        "ext/Dockerfile": DOCKERFILE,
        "ext/ui/package.json": '{"name": "ui", "private": true}\n',
        "ext/ui/src/backend.ts": BACKEND,
        "ext/ui/src/legacy.ts": LEGACY,
        "ext/ui/src/wrapper.ts": WRAPPER,
    }) / "ext"


def reported(cli, folder, *extra, cwd=None):
    """``{(file name, line): message}`` of the DD403 findings."""
    proc = cli("check", folder, "--format", "json", *(extra or ("--no-cache",)), cwd=cwd)
    assert proc.returncode in (0, 1), proc.stderr.decode()
    report = json.loads(proc.stdout)
    assert report["errors"] == []
    found = [f for f in report["findings"] if f["code"] == "DD403"]
    assert all(f["rule"] == "vm-path-not-in-image" and f["fix"] == "none" for f in found)
    return {(f["path"].replace("\\", "/").rsplit("/", 1)[-1], f["line"]): f["message"] for f in found}


def test_paths_the_image_creates_are_silent_and_the_others_are_reported(cli, extension):
    found = reported(cli, extension)
    # Silent: a relative COPY under WORKDIR (/app/bin/backend), under a copied folder
    # (/opt/scripts/), a RUN mention, a system folder, a template program, a relative one.
    assert found == {
        ("backend.ts", 10): message("/out/helper"),  # only in the builder stage
        ("backend.ts", 11): message("/app/tailscale"),  # v1 call already written
        ("legacy.ts", 6): message("/app/tailscale"),  # v0 execInVMExtension
        ("wrapper.ts", 6): message("/usr/local/bin/tool"),  # a wrapper's static program
    }


def test_the_finding_points_at_the_program(cli, extension):
    proc = cli("check", extension / "ui" / "src" / "backend.ts", "--format", "json", "--no-cache", "--select", "DD403")
    [first, second] = json.loads(proc.stdout)["findings"]
    line = BACKEND.splitlines()[9]
    assert (first["line"], first["column"], first["end_column"]) == (10, line.index('"/out/helper"') + 1,
                                                                    line.index(', ["check"]') + 1)
    assert second["line"] == 11


def test_only_the_last_stage_is_the_image(cli, extension):
    # Built FROM the builder stage, the image has what the builder's RUN made.
    (extension / "Dockerfile").write_text(DOCKERFILE.replace("FROM alpine:3.19", "FROM builder"))
    found = reported(cli, extension)
    assert ("backend.ts", 10) not in found
    assert found[("backend.ts", 11)] == message("/app/tailscale", destinations="/src, " + DESTINATIONS)
    # The builder copying it out does not put it in the image; the last stage copying it does.
    (extension / "Dockerfile").write_text(DOCKERFILE + "COPY --from=builder /out/helper /out/helper\n")
    found = reported(cli, extension)
    assert ("backend.ts", 10) not in found and ("backend.ts", 11) in found


def test_relative_destinations_follow_workdir(cli, extension):
    (extension / "Dockerfile").write_text(DOCKERFILE.replace("WORKDIR /app\n", "WORKDIR /srv\n"))
    found = reported(cli, extension)
    srv = "/srv/bin/backend, /app/metadata.json, /app/docker-compose.yaml, /srv/ui, /opt/scripts"
    assert found[("backend.ts", 6)] == message("/app/bin/backend", destinations=srv)
    assert found[("legacy.ts", 6)] == message("/app/tailscale", destinations=srv)
    # spawnInVMExtension (line 7) runs /app/bin/backend too.
    assert found[("legacy.ts", 7)] == message("/app/bin/backend", destinations=srv)


def test_a_destination_built_from_a_variable_silences_the_rule(cli, extension):
    (extension / "Dockerfile").write_text(DOCKERFILE + "ARG DEST=/app\nCOPY tools/ $DEST/tools/\n")
    assert reported(cli, extension) == {}


def test_onbuild_and_an_unknown_base_workdir_silence_the_rule(cli, extension):
    (extension / "Dockerfile").write_text(DOCKERFILE + "ONBUILD COPY . /extra\n")
    assert reported(cli, extension) == {}
    # node:20 may set a WORKDIR of its own: where `COPY ui ui` lands is not known.
    (extension / "Dockerfile").write_text(DOCKERFILE.replace("FROM alpine:3.19\n", "FROM node:20\nCOPY ui ui\n"))
    assert reported(cli, extension) == {}


def test_no_dockerfile_or_a_backend_from_another_image_is_silent(cli, extension):
    (extension / "Dockerfile").unlink()
    assert reported(cli, extension) == {}
    (extension / "Dockerfile").write_text(DOCKERFILE)
    (extension / "docker-compose.yaml").write_text("services:\n  backend:\n    image: alpine:3.19\n")
    assert reported(cli, extension) == {}


def test_no_metadata_json_is_silent(cli, extension, tmp_path):
    (extension / "metadata.json").unlink()
    assert reported(cli, extension) == {}


def test_the_compose_build_context_and_dockerfile_name_the_file(cli, extension, write):
    write({"backend/Dockerfile.prod": "FROM scratch\nCOPY tailscale bin/\n"}, extension)
    (extension / "docker-compose.yaml").write_text(
        "services:\n  backend:\n    build:\n      context: ./backend\n      dockerfile: Dockerfile.prod\n")
    found = reported(cli, extension / "ui" / "src" / "legacy.ts")
    assert found == {("legacy.ts", 6): message("/app/tailscale", "backend/Dockerfile.prod", "/bin"),
                     ("legacy.ts", 7): message("/app/bin/backend", "backend/Dockerfile.prod", "/bin")}


def test_a_build_target_is_the_image(cli, extension):
    (extension / "docker-compose.yaml").write_text("services:\n  backend:\n    build:\n      context: .\n      target: builder\n")
    found = reported(cli, extension / "ui" / "src" / "backend.ts")
    # /out/helper is the builder's; /opt and /usr/local may come from its golang base image.
    assert sorted(line for _, line in found) == [6, 11]
    assert found[("backend.ts", 11)] == message("/app/tailscale", "Dockerfile (stage `builder`)", "/src")


def test_vm_image_reads_the_dockerfile_next_to_metadata(cli, extension):
    (extension / "metadata.json").write_text(json.dumps(dict(METADATA, vm={"image": "${DESKTOP_PLUGIN_IMAGE}"})))
    assert set(reported(cli, extension)) == {("backend.ts", 10), ("backend.ts", 11), ("legacy.ts", 6), ("wrapper.ts", 6)}


def test_the_cache_sees_dockerfile_changes(cli, extension, tmp_path):
    """Findings depend on the Dockerfile: a cached result must not outlive a change to it."""
    before = reported(cli, extension, "--select", "DD403", cwd=tmp_path)
    assert set(before) == {("backend.ts", 10), ("backend.ts", 11), ("legacy.ts", 6), ("wrapper.ts", 6)}
    assert (tmp_path / ".ddmigrate_cache").is_dir()
    assert reported(cli, extension, "--select", "DD403", cwd=tmp_path) == before  # from the cache
    (extension / "Dockerfile").write_text(DOCKERFILE + "COPY tailscale /app/tailscale\n")
    after = reported(cli, extension, "--select", "DD403", cwd=tmp_path)
    assert set(after) == {("backend.ts", 10), ("wrapper.ts", 6)}
    assert after[("backend.ts", 10)] == message("/out/helper", destinations=DESTINATIONS + ", /app/tailscale")
    (extension / "Dockerfile").unlink()
    assert reported(cli, extension, "--select", "DD403", cwd=tmp_path) == {}


@pytest.mark.parametrize("text,path,expected", [
    # Continuations, comments between continued lines, the JSON form, flags.
    ("FROM alpine\nRUN echo a \\\n# note\n  && ln -s /opt/t/bin/t /usr/local/bin/t\n", "/usr/local/bin/t", True),
    ("FROM alpine\nRUN echo a \\\n# note\n  && ln -s /opt/t/bin/t /usr/local/bin/t\n", "/usr/local/bin/tt", False),
    ("FROM alpine\nCOPY --chown=1:1 --chmod=755 [\"a b\", \"c\", \"/app/\"]\n", "/app/c", True),
    ("FROM alpine\nCOPY a b /app/\n", "/application", False),
    # Into a folder, a file lands as folder/name; a source that may be a folder may put anything there.
    ("FROM alpine\nCOPY metadata.json docker.svg .\n", "/metadata.json", True),
    ("FROM alpine\nCOPY metadata.json docker.svg .\n", "/service", False),
    ("FROM alpine\nCOPY --from=builder /backend/bin/service /\n", "/anything", True),
    ("FROM alpine\nWORKDIR /app\nCOPY <<EOF .\necho\nEOF\n", "/app/EOF", True),
    ("FROM alpine\nWORKDIR /app\nCOPY <<EOF .\necho\nEOF\n", "/app/x", False),
    # A folder a RUN names as a whole word holds what it puts there; a longer path does not.
    ("FROM alpine\nRUN tar -xzf t.tgz -C /opt/tool\n", "/opt/tool/bin/tool", True),
    ("FROM alpine\nRUN curl -o /usr/local/bin/kubectl https://x\n", "/usr/local/bin/helm", False),
    # Here-documents: a RUN's body counts, and its lines are not instructions.
    ("FROM alpine\nRUN <<EOF\ncurl -o /app/tool https://x\nFROM other\nEOF\n", "/app/tool", True),
    ("FROM alpine\nCOPY <<EOF /app/conf.sh\necho hi\nEOF\n", "/app/conf.sh", True),
    # The escape directive.
    ("# escape=`\nFROM scratch\nCOPY a `\n   /app/\n", "/app/a", True),
    ("FROM scratch\nVOLUME /data\nWORKDIR /srv\n", "/srv", True),
    ("FROM scratch\nWORKDIR /srv\n", "/srv/x", False),
])
def test_what_a_dockerfile_creates(text, path, expected):
    image = parse(text)
    assert image.unknown is None
    assert image.may_contain(path) is expected


@pytest.mark.parametrize("text,why", [
    ("FROM alpine\nONBUILD RUN make\n", "it has an ONBUILD instruction"),
    ("FROM alpine\nWORKDIR ${APP}\n", "its WORKDIR `${APP}` depends on a variable"),
    ("FROM alpine\nCOPY a ${DEST}/\n", "the COPY destination `${DEST}/` depends on a variable"),
    ("ARG BASE=alpine\nFROM $BASE\nCOPY a /a\n", "an image it is built from is given by a variable (`$BASE`)"),
    ("FROM node:20\nCOPY a .\n", "the COPY destination `.` is relative to a working folder the base image may have set"),
    ("FROM alpine\nFROB /x\n", "`FROB` is not an instruction ddmigrate follows"),
    ("FROM alpine\nRUN <<EOF\necho\n", "its here-document `EOF` is not terminated"),
])
def test_what_cannot_be_followed(text, why):
    image = parse(text)
    assert image.unknown == why
    assert image.may_contain("/anything")


def test_the_cache_sees_dockerfile_changes_for_an_html_page(cli, extension, tmp_path):
    """Inline scripts are analysed with the same metadata: an HTML page's cached result must
    not outlive a change to the Dockerfile either (it has no size-and-time shortcut)."""
    page = extension / "ui" / "index.html"
    page.write_text("<!doctype html>\n<script>\n"
                    "window.ddClient.extension.vm.cli.exec('/app/tailscale', ['status']);\n</script>\n")
    args = ("--select", "DD403")
    before = reported(cli, page, *args, cwd=tmp_path)
    assert before == {("index.html", 3): message("/app/tailscale")}
    assert reported(cli, page, *args, cwd=tmp_path) == before  # from the cache
    (extension / "Dockerfile").write_text(DOCKERFILE + "COPY tailscale /app/tailscale\n")
    assert reported(cli, page, *args, cwd=tmp_path) == {}


@pytest.mark.parametrize("base, contains", [
    ("node:20-alpine", True), ("python:3.12-slim", True), ("golang:1.22", True), ("example/base:1.0", True),
    ("alpine:3.19", False), ("debian:bookworm", False), ("scratch", False),
])
def test_programs_a_base_image_installs_are_not_known_missing(base, contains):
    """`FROM node` ships /usr/local/bin/node, `FROM golang` /usr/local/go: below /usr/local and
    /opt, any base image but a bare distribution may have installed programs, which the
    Dockerfile does not show; the rule stays silent there."""
    image = parse(f"FROM {base}\nCOPY app /app\n")
    assert image.may_contain("/usr/local/bin/node") is contains
    assert image.may_contain("/opt/tool/bin/tool") is contains
    assert image.may_contain("/srv/missing") is False  # elsewhere, still reported
    assert image.may_contain("/app/server") is True
