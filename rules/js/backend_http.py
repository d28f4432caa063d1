"""backend-http: ``backend.get/post/put/patch/delete/head/request`` to ``extension.vm.service``."""

from __future__ import annotations

from migrator.core.model import Applicability, Edit
from migrator.core.rule import Invalid, Rule, Valid
from migrator.js.access import (
    PREVIEW_NOTE,
    backend_call,
    client_source,
    direct_edits,
    extraction_edits,
    is_preview_backend,
    optional_call_edit,
)
from migrator.js.execs import SERVICE_CHAIN, chain_note
from migrator.js.members import call_head, findings
from migrator.js.resolve import unwrap
from migrator.migration.table import HTTP_METHODS, SERVICE

# JavaScript steps through the optional `vm` with `?.`, as the v1 types require.
REPLACEMENT = SERVICE.replace("extension.vm.", "extension.vm?.")
# An extension whose backend serves HTTP: `extension.vm.service` is there at run time.
SOCKET_METADATA = '{"vm": {"image": "example/ext:1.0.0", "exposes": {"socket": "backend.sock"}}, "ui": {}}'

_IMPORT = 'import { createDockerDesktopClient } from "@docker/extension-api-client";\n'


def _through_client(ctx, call, refused: str) -> tuple[list[Edit], str | None]:
    """``b.get(...)`` as ``<client>.extension.vm?.service?.get(...)``, leaving ``b`` alone; when
    the client cannot be written at the call either, the extraction's reason stands."""
    declarator = call.binding.declarator
    statement = declarator.parent if declarator is not None else None
    if statement is not None and statement.parent is not None and statement.parent.type == "export_statement":
        return [], refused  # other modules use the variable: it cannot stay v0 silently
    client, _ = client_source(ctx, call)
    if client is None:
        return [], refused
    statement = call.call
    while statement.parent is not None and not statement.type.endswith(("statement", "declaration")):
        statement = statement.parent
    if ctx.touches_error(statement.start_byte, statement.end_byte):
        return [], "the code around it has a syntax error, so it is not edited"
    variable = unwrap(call.callee.child_by_field_name("object"))  # a cast or `!` around it stays
    edits = [Edit(variable.start_byte, variable.end_byte, f"{client}.{REPLACEMENT}")]
    optional = optional_call_edit(call.callee)
    return edits + ([optional] if optional is not None else []), None


class BackendHttp(Rule):
    """`backend` HTTP calls move to `extension.vm.service`

    ## What it does
    Finds HTTP calls to the extension's backend service made through the deprecated
    `backend` object of the Docker Desktop client (`get`, `post`, `put`, `patch`, `delete`,
    `head` and `request`) and moves them to `extension.vm.service`.

    ## Why is this bad?
    `ddClient.backend` belongs to the first (v0) client API. Docker deprecated it and will
    remove it from Docker Desktop; extensions that still call it will stop working. The v1
    `extension.vm.service` object takes exactly the same arguments and returns the same
    promises.

    ## Example
    ```ts
    const ddClient = createDockerDesktopClient();
    const hello = await ddClient.backend.get("/hello");
    ```

    ## Use instead
    ```ts
    const ddClient = createDockerDesktopClient();
    const hello = await ddClient.extension.vm?.service?.get("/hello");
    ```
    In the v1 types `vm` and `service` are optional (an extension may have no backend), so
    the fix uses optional chaining, as Docker's extension templates do; the result then
    type-checks under `strict`.

    The client is recognised wherever it comes from Docker Desktop: `window.ddClient` (and
    `globalThis`/`self`, `(window as any).ddClient`, optional chaining), the result of
    `createDockerDesktopClient()` from `@docker/extension-api-client` (at module level, in a
    component, through a hook that returns it), aliases and destructuring. An unrelated
    object that happens to be called `backend` is left alone.

    When the backend was extracted into a variable (`const { backend } = ddClient` or
    `const b = ddClient.backend`), the declaration and every use are rewritten together. If
    the variable is needed as it is (passed on, used for exec calls), the variable
    stays and the call goes through the client (`ddClient.extension.vm?.service?.get(...)`),
    as the exec rules and the Python rules do; when the client cannot be written at the
    call (a reassigned variable, a name that means something else there), or the variable is
    exported (its importers still use it), the call is reported without a fix and the message
    says why.

    ## Fix safety
    Safe: the v1 service receives the same arguments, byte for byte, and returns the same
    result. Except for a call whose result is used in the same chain
    (`backend.get(url).then(...)`): `vm` and `service` are optional in the v1 types, and
    `extension.vm?.service?.get(url).then(...)` skips the whole chain, silently, when the
    extension has no backend serving HTTP, where v0 threw. That fix is unsafe unless the
    extension's `metadata.json` (the nearest above the file) declares a `vm` with an
    `exposes.socket`: the service is then always there. An awaited, returned or assigned
    call stays safe (what reads its `undefined` result still fails).

    ## References
    - https://docs.docker.com/extensions/extensions-sdk/dev/api/backend/
    - https://docs.docker.com/reference/api/extensions-sdk/HttpService/
    """

    code = "DD101"
    name = "backend-http"
    fixable = "sometimes"
    methods = HTTP_METHODS

    def on_match(self, ctx, captures):
        call = backend_call(ctx, captures["call"][0])
        if call is None or call.method not in HTTP_METHODS:
            return
        shown = f"{ctx.text(call.receiver)}.{call.method}()" if call.binding else f"backend.{call.method}()"
        message = f"`{shown}` uses the deprecated v0 backend; use `extension.vm.service.{call.method}()`"
        applicability = Applicability.SAFE
        if call.binding is None:
            edits, reason = direct_edits(ctx, call, REPLACEMENT)
            if is_preview_backend(call.receiver):
                message += PREVIEW_NOTE
                applicability = Applicability.UNSAFE
        else:
            line = ctx.source.position(call.binding.name_node.start_byte)[0]
            message += f" (through `{call.binding.name}`, declared on line {line})"
            edits, reason = extraction_edits(ctx, call, REPLACEMENT, HTTP_METHODS)
            if reason:
                # The variable is needed as it is (other uses): route this call
                # through the client instead, as the exec rules and the Python rules do.
                edits, reason = _through_client(ctx, call, reason)
        chained = chain_note(ctx, call.call, SERVICE_CHAIN) if edits and not reason else None
        if chained:  # `vm?.service?.` would skip what is chained on the call, where v0 threw
            message += f" ({chained})"
            applicability = Applicability.UNSAFE
        yield ctx.finding(self, call.call, message, edits=edits, no_fix_reason=reason, applicability=applicability)

    def check(self, ctx):
        """HTTP methods held in a variable (`const { get } = ddClient.backend`) or used without a call."""
        def on_call(use):
            method = use.member.name
            message = f"`{use.holder}()` is the deprecated v0 `backend.{method}()`; use `extension.vm.service.{method}()`"
            chained = chain_note(ctx, use.call, SERVICE_CHAIN)
            if chained:
                message += f" ({chained})"
            yield ctx.finding(self, use.call, message, edits=call_head(use, f"{REPLACEMENT}?.{method}"),
                              applicability=Applicability.UNSAFE if chained else Applicability.SAFE)

        yield from findings(self, ctx, self.methods, on_call)

    valid = (
        # An unrelated object called backend.
        Valid("const backend = axios.create();\nbackend.get('/users');\n"),
        Valid("import { backend } from './api';\nbackend.post('/x', {});\n"),
        # A local ddClient that is not the desktop client.
        Valid("const ddClient = new ApiClient();\nddClient.backend.get('/hello');\n"),
        Valid("function f(ddClient = makeClient()) {}\nconst api = { ddClient: 1 };\napi.backend.get('/x');\n"),
        # A property called backend in an object literal, and other objects' backend.
        Valid("const config = { backend: { get: () => 1 } };\nconfig.backend.get('/x');\n"),
        Valid("this.backend.get('/x');\nsomething.ddClient.backend.get('/y');\n"),
        # Text in comments and strings.
        Valid("// window.ddClient.backend.get('/hello')\nconst s = \"window.ddClient.backend.get('/x')\";\n"),
        Valid("const t = `ddClient.backend.get(${x})`;\n"),
        # Already migrated.
        Valid("await window.ddClient.extension.vm?.service?.get('/hello');\n"),
        # createDockerDesktopClient from another package.
        Valid("import { createDockerDesktopClient } from './fake';\nconst c = createDockerDesktopClient();\nc.backend.get('/x');\n"),
        # A shadowing local.
        Valid("const ddClient = createDockerDesktopClient();\nfunction f(ddClient: Other) {}\n"
              "function g() { const ddClient = { backend: http }; ddClient.backend.get('/x'); }\n"),
        Valid("import { useClient } from 'urql';\nconst c = useClient();\nc.backend.get('/x');\n"),
    )

    invalid = (
        Invalid(
            "window.ddClient.backend.get('/hello');\n",
            "window.ddClient.extension.vm?.service?.get('/hello');\n",
        ),
        Invalid(
            "globalThis.ddClient.backend.post(\"/items\", { name: 'a' });\nself.ddClient.backend.put('/x', 1);\n",
            "globalThis.ddClient.extension.vm?.service?.post(\"/items\", { name: 'a' });\n"
            "self.ddClient.extension.vm?.service?.put('/x', 1);\n",
            findings=2,
        ),
        Invalid(
            "(window as any).ddClient.backend.delete('/x');\n",
            "(window as any).ddClient.extension.vm?.service?.delete('/x');\n",
        ),
        Invalid(
            "window.ddClient?.backend?.head('/x');\n",
            "window.ddClient?.extension.vm?.service?.head('/x');\n",
        ),
        Invalid(
            "ddClient.backend.request({ url: '/x', method: 'GET', headers: {}, data: null });\n",
            "ddClient.extension.vm?.service?.request({ url: '/x', method: 'GET', headers: {}, data: null });\n",
            filename="legacy.js",
        ),
        # .then() chains split over lines keep their layout and comments.
        Invalid(
            "window.ddClient.backend\r\n  // the hello endpoint\r\n  .get('/hello')\r\n  .then((value: any) => console.log(value));\r\n",
            "window.ddClient.extension.vm?.service\r\n  // the hello endpoint\r\n  ?.get('/hello')\r\n  .then((value: any) => console.log(value));\r\n",
            files=(("metadata.json", SOCKET_METADATA),),
        ),
        # A chain on the call: `vm?.service?.` would skip it, silently, where v0 threw, unless
        # metadata.json declares a backend serving HTTP (as above).
        Invalid(
            "window.ddClient.backend.get('/hello').then(show);\n",
            "window.ddClient.extension.vm?.service?.get('/hello').then(show);\n",
            filename="hello.js", unsafe=True,
            message="`backend.get()` uses the deprecated v0 backend; use `extension.vm.service.get()` (in JavaScript"
                    " `extension.vm?.service?.` silently skips the `.then(...)` chained on the call when the extension has"
                    " no backend serving HTTP, where v0 threw; no metadata.json says it has one)",
        ),
        Invalid(
            "ddClient.backend.post('/items', item).catch(report);\n",
            "ddClient.extension.vm?.service?.post('/items', item).catch(report);\n",
            filename="ui/items.ts", unsafe=True, files=(("metadata.json", '{"vm": {"image": "example/ext:1.0.0"}}'),),
            message="`backend.post()` uses the deprecated v0 backend; use `extension.vm.service.post()` (in TypeScript"
                    " `extension.vm?.service?.` silently skips the `.catch(...)` chained on the call when the extension has"
                    " no backend serving HTTP, where v0 threw; its metadata.json declares no `vm` with an `exposes.socket`)",
        ),
        Invalid(
            _IMPORT + "const client = createDockerDesktopClient();\n\nexport async function load() {\n"
            "  return client.backend.patch(`/items/${id}`, { done: true });\n}\n",
            _IMPORT + "const client = createDockerDesktopClient();\n\nexport async function load() {\n"
            "  return client.extension.vm?.service?.patch(`/items/${id}`, { done: true });\n}\n",
        ),
        # The client created inside a component and returned by a hook.
        Invalid(
            _IMPORT + "const client = createDockerDesktopClient();\n"
            "function useDockerDesktopClient() {\n  return client;\n}\n"
            "export function App() {\n  const ddClient = useDockerDesktopClient();\n"
            "  ddClient.backend.get('/hello').then(setHello);\n  return null;\n}\n",
            _IMPORT + "const client = createDockerDesktopClient();\n"
            "function useDockerDesktopClient() {\n  return client;\n}\n"
            "export function App() {\n  const ddClient = useDockerDesktopClient();\n"
            "  ddClient.extension.vm?.service?.get('/hello').then(setHello);\n  return null;\n}\n",
            filename="App.tsx", files=(("metadata.json", SOCKET_METADATA),),
        ),
        Invalid(
            "import { createDockerDesktopClient as create } from '@docker/extension-api-client';\n"
            "const useClient = () => create();\nuseClient().backend.get('/x');\n",
            "import { createDockerDesktopClient as create } from '@docker/extension-api-client';\n"
            "const useClient = () => create();\nuseClient().extension.vm?.service?.get('/x');\n",
        ),
        Invalid(
            "import * as api from '@docker/extension-api-client';\napi.createDockerDesktopClient().backend.get('/x');\n",
            "import * as api from '@docker/extension-api-client';\napi.createDockerDesktopClient().extension.vm?.service?.get('/x');\n",
        ),
        Invalid(
            "const { createDockerDesktopClient } = require('@docker/extension-api-client');\n"
            "const dd = createDockerDesktopClient();\ndd.backend.get('/x');\n",
            "const { createDockerDesktopClient } = require('@docker/extension-api-client');\n"
            "const dd = createDockerDesktopClient();\ndd.extension.vm?.service?.get('/x');\n",
            filename="index.cjs",
        ),
        Invalid(
            "import { useDockerDesktopClient } from './hooks';\nexport function Panel() {\n"
            "  const client = useDockerDesktopClient();\n  useEffect(() => { client.backend.get('/state'); }, []);\n}\n",
            "import { useDockerDesktopClient } from './hooks';\nexport function Panel() {\n"
            "  const client = useDockerDesktopClient();\n  useEffect(() => { client.extension.vm?.service?.get('/state'); }, []);\n}\n",
            filename="Panel.tsx",
        ),
        Invalid(
            "const c = window.ddClient;\nconst c2 = c;\nc2.backend.get('/x');\n",
            "const c = window.ddClient;\nconst c2 = c;\nc2.extension.vm?.service?.get('/x');\n",
        ),
        # The client handed to a helper, by name or by type.
        Invalid(
            "import type { DockerDesktopClient } from '@docker/extension-api-client-types/dist/v1';\n"
            "export const fetchState = (client: DockerDesktopClient) => client.backend.get('/state');\n",
            "import type { DockerDesktopClient } from '@docker/extension-api-client-types/dist/v1';\n"
            "export const fetchState = (client: DockerDesktopClient) => client.extension.vm?.service?.get('/state');\n",
        ),
        Invalid(
            "function Status({ ddClient }) {\n  ddClient.backend.get('/status');\n}\n",
            "function Status({ ddClient }) {\n  ddClient.extension.vm?.service?.get('/status');\n}\n",
            filename="Status.jsx",
        ),
        # Destructuring the backend: the extraction moves with its uses.
        Invalid(
            "const { backend } = window.ddClient;\nbackend.get('/a');\nawait backend.post('/b', {});\n",
            "const backend = window.ddClient.extension.vm?.service;\nbackend?.get('/a');\nawait backend?.post('/b', {});\n",
            findings=2,
        ),
        Invalid(
            _IMPORT + "const { backend: api } = createDockerDesktopClient();\napi.delete('/a');\n",
            _IMPORT + "const api = createDockerDesktopClient().extension.vm?.service;\napi?.delete('/a');\n",
        ),
        Invalid(
            "const b = ddClient.backend;\nb.get('/x');\n",
            "const b = ddClient.extension.vm?.service;\nb?.get('/x');\n",
        ),
        Invalid(
            "function Page() {\r\n  const { backend, docker } = ddClient;\r\n  backend.get('/a');\r\n}\r\n",
            "function Page() {\r\n  const { docker } = ddClient;\r\n  const backend = ddClient.extension.vm?.service;\r\n  backend?.get('/a');\r\n}\r\n",
        ),
        # A variable that cannot move (other uses, an export) stays; the call goes through
        # the client, as in the exec rules and the Python rules.
        Invalid(
            "const { backend } = ddClient;\nbackend.get('/a');\nhelpers.use(backend);\n",
            "const { backend } = ddClient;\nddClient.extension.vm?.service?.get('/a');\nhelpers.use(backend);\n",
        ),
        Invalid(
            "const backend = window.ddClient.backend;\n(backend as Api).get('/a');\nregister(backend);\n",
            "const backend = window.ddClient.backend;\n(window.ddClient.extension.vm?.service as Api)?.get('/a');\n"
            "register(backend);\n",
        ),
        # ... unless the client means something else at the call.
        Invalid("const backend = ddClient.backend;\nregister(backend);\nexport const f = (ddClient) => backend.get('/a');\n"),
        # An exported variable is left for its importers' sake, and reported.
        Invalid("export const backend = window.ddClient.backend;\nbackend.get('/a');\n"),
        # The exec call is moved off the variable too, and the unused extraction then goes.
        Invalid(
            "const { backend } = ddClient;\nbackend.get('/a');\nbackend.execInVMExtension('ls');\n",
            "ddClient.extension.vm?.service?.get('/a');\nddClient.extension.vm!.cli.exec('ls', []);\n",
        ),
        # Destructured HTTP methods, and a class member holding the client.
        Invalid(
            "const { get, post } = ddClient.backend;\nget('/a');\npost('/b', {});\n",
            "ddClient.extension.vm?.service?.get('/a');\nddClient.extension.vm?.service?.post('/b', {});\n",
            findings=2,
        ),
        Invalid(
            _IMPORT + "export class Api {\n  private client = createDockerDesktopClient();\n"
            "  load() { return this.client.backend.get('/items'); }\n}\n",
            _IMPORT + "export class Api {\n  private client = createDockerDesktopClient();\n"
            "  load() { return this.client.extension.vm?.service?.get('/items'); }\n}\n",
        ),
        # `backend` destructured with another v0 member is not moved alone: each use goes
        # through the client and the emptied declaration goes.
        Invalid(
            "const { backend, execHostCmd } = ddClient;\nbackend.get('/a');\nexecHostCmd('ls -l');\n",
            "ddClient.extension.vm?.service?.get('/a');\nddClient.extension.host!.cli.exec('ls', ['-l']);\n",
        ),
        # The early preview form, where the backend was a function of the extension's name.
        Invalid(
            "window.ddClient.backend('my-extension').get('/x');\n",
            "window.ddClient.extension.vm?.service?.get('/x');\n",
            unsafe=True,
        ),
        # Nothing is edited next to a syntax error.
        Invalid("window.ddClient.backend.get('/x' +);\n"),
    )
