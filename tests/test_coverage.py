"""No deprecated member escapes: every @deprecated member of Docker's v0 types is found.

The members are read from the type package itself (``dist/v0/*.d.ts``), so a new deprecated
member in a future release fails this test until a rule covers it. Each is called through
each client shape; ``ddmigrate check`` must report each call exactly once. The generated
code must type-check as legacy code (hybrid client, no strict null checks), and what ``fix``
makes of it must type-check against v1 alone with ``--strict``.
"""

import json
import re

import pytest

from tests.typecheck import api_errors, ensure_packages, typecheck

IMPORT = 'import { createDockerDesktopClient } from "@docker/extension-api-client";\n'

# How legacy frontends reached the client (SDK-API.md, "Where a client comes from").
CLIENT_SHAPES = {
    "window": ("", "window.ddClient"),
    "global": ("", "ddClient"),
    "globalThis": ("", "globalThis.ddClient"),
    "cast": ("", "(window as any).ddClient"),
    "optional": ("", "window.ddClient?"),
    "factory": (IMPORT + "const client = createDockerDesktopClient();\n", "client"),
    "alias": ("const dd = window.ddClient;\n", "dd"),
    "hook": (IMPORT + "const shared = createDockerDesktopClient();\n"
             "function useDockerDesktopClient() {\n  return shared;\n}\n"
             "const fromHook = useDockerDesktopClient();\n", "fromHook"),
}
# Extra shapes for members of the backend object.
BACKEND_SHAPES = {
    "destructured": ("const { backend } = {client};\n", "backend"),
    "extracted": ("const be = {client}.backend;\n", "be"),
}

ARGUMENTS = {
    "url": '"/items"', "data": "{ name: \"x\" }", "config": '{ url: "/items", method: "GET", headers: {}, data: null }',
    "container": '"web-1"', "cmd": '"ls -l /data"', "args": '["-l", "/data"]',
    "callback": "(data: any, error: any) => {\n  console.log(data, error);\n}",
    "options": "{ all: true } as never",  # v0 typed it `never`: legacy code had to cast
    "msg": '"Saved"', "id": '"abc123"', "tag": '"latest"', "volume": '"data"',
}
SPREAD = '"-a", "--format", \'"{{json .}}"\''


def deprecated_members(node_modules):
    """(interface, member, parameter names) for every @deprecated member of the v0 types."""
    found = []
    for path in sorted((node_modules / "@docker/extension-api-client-types/dist/v0").glob("*.d.ts")):
        source = path.read_text()
        for match in re.finditer(r"/\*\*((?:(?!\*/).)*?)\*/\s*(?:readonly\s+)?(\w+)\??\s*([(:])([^\n]*)", source, re.S):
            if "@deprecated" not in match[1]:
                continue
            owner = source[:match.start()].rsplit("export interface ", 1)[1].split()[0]
            params = parameters(match[4]) if match[3] == "(" else None
            found.append((owner, match[2], params))
    return found


def parameters(signature: str):
    """(is_rest, name) of each parameter in the text after a method's opening parenthesis."""
    depth, current, out = 0, "", []
    for ch in signature:
        if ch in "([{<":
            depth += 1
        elif ch in ")]}>" and depth:
            depth -= 1
        elif ch == ")" and depth == 0:
            break
        if ch == "," and depth == 0:
            out.append(current)
            current = ""
        else:
            current += ch
    out.append(current)
    params = []
    for part in (p.strip() for p in out if p.strip()):
        rest = part.startswith("...")
        params.append((rest, part.lstrip(".").split(":")[0].rstrip("?").strip()))
    return params


def call_source(member, params):
    if params is None:  # a property: the backend object itself, used as a value
        return None
    args = [SPREAD if spread else ARGUMENTS[name] for spread, name in params]
    if member.startswith("spawn"):
        args[0] = '"ls"'  # spawn took the program and its arguments apart already
    return f"{member}({', '.join(args)})"


def generate(node_modules):
    """name -> code: one deprecated call per file, through every shape."""
    files = {}
    for owner, member, params in deprecated_members(node_modules):
        call = call_source(member, params)
        for shape, (setup, client) in CLIENT_SHAPES.items():
            if owner == "DockerDesktopClient" and call is None:
                body = f"register({client}.{member});\n"
            elif owner == "DockerDesktopClient":
                body = f"{client}.{call};\n"
            else:
                body = f"{client}.backend.{call};\n"
                for extra, (bind, name) in BACKEND_SHAPES.items():
                    if shape in ("window", "factory", "hook"):
                        files[f"{member}-{shape}-{extra}.ts"] = (
                            "export {};\ndeclare function register(x: unknown): void;\n" + setup
                            + bind.replace("{client}", client) + f"{name}.{call};\n")
            files[f"{member}-{shape}.ts"] = "export {};\ndeclare function register(x: unknown): void;\n" + setup + body
    return files


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    modules = ensure_packages()
    members = deprecated_members(modules)
    return members, generate(modules)


def test_the_type_package_is_read(generated):
    members, _ = generated
    names = {m for _, m, _ in members}
    # 30 in 0.4.2: a count that only grows when Docker deprecates more.
    assert len(members) >= 30
    assert {"backend", "execInVMExtension", "spawnHostCmd", "navigateToVolume", "openExternal"} <= names


def test_every_deprecated_call_is_reported_exactly_once(generated, tmp_path, cli):
    _, files = generated
    for name, code in files.items():
        (tmp_path / name).write_text(code)
    report = json.loads(cli("check", tmp_path, "--format", "json").stdout)
    counts = {name: 0 for name in files}
    for finding in report["findings"]:
        counts[finding["path"].rsplit("/", 1)[1]] += 1
    wrong = {name: n for name, n in counts.items() if n != 1}
    assert wrong == {}, wrong
    assert report["errors"] == []


def test_generated_legacy_code_type_checks_against_the_hybrid_client(generated, tmp_path):
    _, files = generated
    errors = api_errors(typecheck(files, tmp_path, legacy=True))
    assert errors == []


def test_fixed_code_type_checks_strictly_against_v1(generated, tmp_path, cli):
    _, files = generated
    tree = tmp_path / "src"
    tree.mkdir()
    for name, code in files.items():
        (tree / name).write_text(code)
    report = json.loads(cli("fix", tree, "--format", "json").stdout)
    unfixed = {f["path"].rsplit("/", 1)[1] for f in report["findings"]}
    # Only the backend object handed around as a value has no fix.
    assert all(name.startswith("backend-") for name in unfixed), unfixed
    fixed = {name: (tree / name).read_text() for name in files if name not in unfixed}
    assert len(fixed) > 150
    errors = api_errors(typecheck(fixed, tmp_path / "check"))
    assert errors == [], errors[:10]
