// Behaviour of the legacy-client shim against a v1 client that records its calls and answers
// like Docker Desktop. Run by tests/jsshim/test_jsshim_node.py with `node --test`:
//   LEGACY_CLIENT_MODULE  path of the module under test (an ES module .js file)
//   V0_MEMBERS            JSON {"client": [...], "backend": [...]}: the v0 members, read from
//                         @docker/extension-api-client-types' dist/v0/*.d.ts
import assert from "node:assert/strict";
import { test } from "node:test";
import { pathToFileURL } from "node:url";

if (!process.env.LEGACY_CLIENT_MODULE || !process.env.V0_MEMBERS) {
  throw new Error("run these through pytest: tests/jsshim/test_jsshim_node.py sets LEGACY_CLIENT_MODULE and V0_MEMBERS");
}
const shim = await import(pathToFileURL(process.env.LEGACY_CLIENT_MODULE).href);
const { installLegacyClient, streamFromCallback, ShellCommandError } = shim;
const V0 = JSON.parse(process.env.V0_MEMBERS);

/** An exec result as Docker Desktop returns it. */
function execResult(stdout, stderr = "") {
  return {
    stdout,
    stderr,
    code: 0,
    lines() {
      return stdout.split("\n").filter((line) => line !== "");
    },
    parseJsonLines() {
      return this.lines().map((line) => JSON.parse(line));
    },
    parseJsonObject() {
      return JSON.parse(stdout);
    },
  };
}

/**
 * A v1 client that records every call as [path, ...args]. Exec answers with canned output;
 * with stream options it returns a process handle and delivers its events later, in order.
 */
function fakeClient() {
  const calls = [];
  const record = (path, ...args) => calls.push([path, ...args]);
  const output = {
    ps: '{"ID":"a1","Names":"web"}\n{"ID":"b2","Names":"db"}\n',
    inspect: '{"Id":"a1","State":{"Running":true}}',
  };
  const cli = (path) => ({
    exec(cmd, args, options) {
      if (options && options.stream) {
        record(path, cmd, args, { stream: Object.keys(options.stream).sort() });
        const stream = options.stream;
        setImmediate(() => {
          stream.onOutput({ stdout: "line 1\n" });
          stream.onOutput({ stderr: "careful\n" });
          if (cmd === "broken") {
            stream.onError(new Error("exec failed"));
            stream.onClose(1);
          } else {
            stream.onClose(0);
          }
        });
        return { close: () => record(path + ":close") };
      }
      record(path, cmd, args);
      return Promise.resolve(execResult(output[args[0]] ?? output[cmd] ?? "ok\n"));
    },
  });
  const service = {};
  for (const method of ["get", "post", "put", "patch", "delete", "head", "request"]) {
    service[method] = (...args) => {
      record("extension.vm.service." + method, ...args);
      const url = method === "request" ? args[0].url : args[0];
      if (url === "/missing") {
        return Promise.reject({ name: "ServiceError", message: "Not Found", statusCode: 404 });
      }
      return Promise.resolve({ method, url });
    };
  }
  const navigate = {};
  for (const intent of ["viewContainers", "viewContainer", "viewContainerLogs", "viewContainerInspect",
    "viewContainerTerminal", "viewContainerStats", "viewImages", "viewImage", "viewVolumes", "viewVolume"]) {
    navigate[intent] = (...args) => {
      record("desktopUI.navigate." + intent, ...args);
      return args[0] === "missing" ? Promise.reject(new Error("no such container")) : Promise.resolve();
    };
  }
  const client = {
    extension: {
      image: "example/extension:1.0.0",
      vm: { cli: cli("extension.vm.cli.exec"), service },
      host: { cli: cli("extension.host.cli.exec") },
    },
    desktopUI: {
      toast: {
        success: (msg) => record("desktopUI.toast.success", msg),
        warning: (msg) => record("desktopUI.toast.warning", msg),
        error: (msg) => record("desktopUI.toast.error", msg),
      },
      dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }) },
      navigate,
    },
    host: {
      platform: "linux",
      arch: "x64",
      hostname: "test",
      openExternal: (url) => record("host.openExternal", url),
    },
    docker: {
      cli: cli("docker.cli.exec"),
      listContainers: (options) => {
        record("docker.listContainers", options);
        return Promise.resolve([{ Id: "a1" }]);
      },
      listImages: (options) => {
        record("docker.listImages", options);
        return Promise.resolve([{ Id: "sha256:1" }]);
      },
    },
  };
  return { client, calls };
}

/** Collects what a v0 callback receives; `done` settles when the process reports its exit code. */
function collector() {
  const received = [];
  let finish;
  const done = new Promise((resolve) => {
    finish = resolve;
  });
  const callback = (data, error) => {
    received.push([data, error]);
    if (data && data.code !== undefined) {
      finish(received);
    }
  };
  return { callback, received, done };
}

const STREAM = { stream: ["onClose", "onError", "onOutput"] };

// Every v0 member: how to call it, the v1 calls it must make, and a check of its result.
const CASES = [
  { member: "backend.get", call: (c) => c.backend.get("/hello"),
    calls: [["extension.vm.service.get", "/hello"]], result: { method: "get", url: "/hello" } },
  { member: "backend.post", call: (c) => c.backend.post("/items", { a: 1 }),
    calls: [["extension.vm.service.post", "/items", { a: 1 }]], result: { method: "post", url: "/items" } },
  { member: "backend.put", call: (c) => c.backend.put("/items/1", { a: 2 }),
    calls: [["extension.vm.service.put", "/items/1", { a: 2 }]], result: { method: "put", url: "/items/1" } },
  { member: "backend.patch", call: (c) => c.backend.patch("/items/1", { a: 3 }),
    calls: [["extension.vm.service.patch", "/items/1", { a: 3 }]], result: { method: "patch", url: "/items/1" } },
  { member: "backend.delete", call: (c) => c.backend.delete("/items/1"),
    calls: [["extension.vm.service.delete", "/items/1"]], result: { method: "delete", url: "/items/1" } },
  { member: "backend.head", call: (c) => c.backend.head("/items"),
    calls: [["extension.vm.service.head", "/items"]], result: { method: "head", url: "/items" } },
  { member: "backend.request",
    call: (c) => c.backend.request({ url: "/r", method: "GET", headers: { "x-a": "1" }, data: null }),
    calls: [["extension.vm.service.request", { url: "/r", method: "GET", headers: { "x-a": "1" }, data: null }]],
    result: { method: "request", url: "/r" } },
  { member: "backend.execInVMExtension", call: (c) => c.backend.execInVMExtension("ls -l '/data dir'"),
    calls: [["extension.vm.cli.exec", "ls", ["-l", "/data dir"]]], lines: ["ok"] },
  { member: "backend.spawnInVMExtension", spawn: true,
    call: (c, cb) => c.backend.spawnInVMExtension("tail", ["-f", "/var/log/x"], cb),
    calls: [["extension.vm.cli.exec", "tail", ["-f", "/var/log/x"], STREAM]] },
  { member: "backend.execInContainer",
    call: (c) => c.backend.execInContainer("a1", 'sh -c "echo hi; exit 3"'),
    calls: [["docker.cli.exec", "exec", ["a1", "sh", "-c", "echo hi; exit 3"]]], lines: ["ok"] },
  { member: "execHostCmd", call: (c) => c.execHostCmd("kubectl --context \"my ctx\" get pods"),
    calls: [["extension.host.cli.exec", "kubectl", ["--context", "my ctx", "get", "pods"]]], lines: ["ok"] },
  { member: "spawnHostCmd", spawn: true, call: (c, cb) => c.spawnHostCmd("watcher", ["--json"], cb),
    calls: [["extension.host.cli.exec", "watcher", ["--json"], STREAM]] },
  { member: "execDockerCmd", call: (c) => c.execDockerCmd("ps", "-a --format", '"{{json .}}"'),
    calls: [["docker.cli.exec", "ps", ["-a", "--format", "{{json .}}"]]],
    json: [{ ID: "a1", Names: "web" }, { ID: "b2", Names: "db" }] },
  { member: "spawnDockerCmd", spawn: true, call: (c, cb) => c.spawnDockerCmd("logs", ["-f", "web"], cb),
    calls: [["docker.cli.exec", "logs", ["-f", "web"], STREAM]] },
  { member: "listContainers", call: (c) => c.listContainers({ all: true }),
    calls: [["docker.listContainers", { all: true }]], result: [{ Id: "a1" }] },
  { member: "listImages", call: (c) => c.listImages({ digests: true }),
    calls: [["docker.listImages", { digests: true }]], result: [{ Id: "sha256:1" }] },
  { member: "toastSuccess", call: (c) => c.toastSuccess("saved"), calls: [["desktopUI.toast.success", "saved"]] },
  { member: "toastWarning", call: (c) => c.toastWarning("hmm"), calls: [["desktopUI.toast.warning", "hmm"]] },
  { member: "toastError", call: (c) => c.toastError("failed"), calls: [["desktopUI.toast.error", "failed"]] },
  { member: "navigateToContainers", call: (c) => c.navigateToContainers(),
    calls: [["desktopUI.navigate.viewContainers"]] },
  { member: "navigateToContainer", call: (c) => c.navigateToContainer("a1"),
    calls: [["desktopUI.navigate.viewContainer", "a1"]] },
  { member: "navigateToContainerLogs", call: (c) => c.navigateToContainerLogs("a1"),
    calls: [["desktopUI.navigate.viewContainerLogs", "a1"]] },
  { member: "navigateToContainerInspect", call: (c) => c.navigateToContainerInspect("a1"),
    calls: [["desktopUI.navigate.viewContainerInspect", "a1"]] },
  { member: "navigateToContainerStats", call: (c) => c.navigateToContainerStats("a1"),
    calls: [["desktopUI.navigate.viewContainerStats", "a1"]] },
  { member: "navigateToImages", call: (c) => c.navigateToImages(), calls: [["desktopUI.navigate.viewImages"]] },
  { member: "navigateToImage", call: (c) => c.navigateToImage("sha256:1", "latest"),
    calls: [["desktopUI.navigate.viewImage", "sha256:1", "latest"]] },
  { member: "navigateToVolumes", call: (c) => c.navigateToVolumes(), calls: [["desktopUI.navigate.viewVolumes"]] },
  { member: "navigateToVolume", call: (c) => c.navigateToVolume("data"),
    calls: [["desktopUI.navigate.viewVolume", "data"]] },
  { member: "openExternal", call: (c) => c.openExternal("https://docs.docker.com"),
    calls: [["host.openExternal", "https://docs.docker.com"]] },
];

const REPLACEMENTS = {
  "backend.get": "ddClient.extension.vm.service.get(url)",
  "backend.execInVMExtension": "ddClient.extension.vm.cli.exec(cmd, args)",
  "backend.spawnInVMExtension": "ddClient.extension.vm.cli.exec(cmd, args, { stream })",
  "backend.execInContainer": 'ddClient.docker.cli.exec("exec", [container, cmd, ...args])',
  execHostCmd: "ddClient.extension.host.cli.exec(cmd, args)",
  execDockerCmd: "ddClient.docker.cli.exec(cmd, args)",
  spawnDockerCmd: "ddClient.docker.cli.exec(cmd, args, { stream })",
  listImages: "ddClient.docker.listImages(options)",
  toastError: "ddClient.desktopUI.toast.error(msg)",
  navigateToImage: "ddClient.desktopUI.navigate.viewImage(id, tag)",
  navigateToVolume: "ddClient.desktopUI.navigate.viewVolume(volume)",
  openExternal: "ddClient.host.openExternal(url)",
};

/** The v0 members installLegacyClient added, as "name" and "backend.name". */
function installedMembers(before, after) {
  const names = Object.keys(after).filter((name) => !(name in before) && name !== "backend");
  const backend = Object.keys(after.backend).map((name) => "backend." + name);
  return [...names, ...backend].sort();
}

test("every v0 member of the types package is installed, and only those", () => {
  const { client } = fakeClient();
  const before = { ...client };
  const installed = installLegacyClient(client, { silent: true });
  const expected = [...V0.client.filter((name) => name !== "backend"), ...V0.backend.map((n) => "backend." + n)];
  assert.deepEqual(installedMembers(before, installed), expected.sort());
  assert.deepEqual(CASES.map((c) => c.member).sort(), expected.sort(), "every v0 member has a case below");
});

test("installLegacyClient returns the client it patched", () => {
  const { client } = fakeClient();
  assert.equal(installLegacyClient(client, { silent: true }), client);
  for (const name of V0.client) {
    assert.ok(client[name] != null, name);
  }
});

for (const item of CASES) {
  test("v0 " + item.member + " calls its v1 replacement", async (t) => {
    t.mock.method(console, "warn", () => {});
    const { client, calls } = fakeClient();
    installLegacyClient(client);
    if (item.spawn) {
      const { callback, done } = collector();
      const process = item.call(client, callback);
      assert.deepEqual(calls, item.calls);
      const received = await done;
      assert.deepEqual(received, [
        [{ stdout: "line 1\n" }, undefined],
        [{ stderr: "careful\n" }, undefined],
        [{ code: 0 }, undefined],
      ]);
      assert.equal(typeof process.close, "function");
    } else {
      const result = await item.call(client);
      assert.deepEqual(calls, item.calls);
      if ("result" in item) {
        assert.deepEqual(result, item.result);
      }
      if (item.lines) {
        assert.deepEqual(result.lines(), item.lines);
        assert.equal(result.stderr, "");
      }
      if (item.json) {
        assert.deepEqual(result.parseJsonLines(), item.json);
      }
    }
    assert.equal(console.warn.mock.callCount(), 1);
    const message = console.warn.mock.calls[0].arguments[0];
    assert.match(message, new RegExp("^ddClient\\." + item.member.replace(".", "\\.") + "\\(.*\\) is deprecated"));
    if (REPLACEMENTS[item.member]) {
      assert.ok(message.endsWith("use " + REPLACEMENTS[item.member] + " instead"), message);
    }
  });
}

test("each member warns once, however often it is called", async (t) => {
  t.mock.method(console, "warn", () => {});
  const { client, calls } = fakeClient();
  installLegacyClient(client);
  for (let round = 0; round < 3; round += 1) {
    for (const item of CASES) {
      if (item.spawn) {
        item.call(client, () => {});
      } else {
        await item.call(client);
      }
    }
  }
  assert.equal(calls.length, 3 * CASES.length);
  const messages = console.warn.mock.calls.map((call) => call.arguments[0]);
  assert.equal(messages.length, CASES.length);
  assert.equal(new Set(messages).size, CASES.length);
  for (const item of CASES) {
    assert.equal(messages.filter((m) => m.startsWith("ddClient." + item.member + "(")).length, 1, item.member);
  }
});

test("exact warning texts", async (t) => {
  t.mock.method(console, "warn", () => {});
  const { client } = fakeClient();
  installLegacyClient(client);
  await client.backend.get("/a");
  client.toastSuccess("x");
  assert.deepEqual(console.warn.mock.calls.map((call) => call.arguments), [
    ["ddClient.backend.get(url) is deprecated and will be removed from Docker Desktop; " +
      "use ddClient.extension.vm.service.get(url) instead"],
    ["ddClient.toastSuccess(msg) is deprecated and will be removed from Docker Desktop; " +
      "use ddClient.desktopUI.toast.success(msg) instead"],
  ]);
});

test("silent: no warnings at all", async (t) => {
  t.mock.method(console, "warn", () => {});
  const { client, calls } = fakeClient();
  installLegacyClient(client, { silent: true });
  for (const item of CASES) {
    if (!item.spawn) {
      await item.call(client);
    }
  }
  assert.ok(calls.length > 0);
  assert.equal(console.warn.mock.callCount(), 0);
});

test("warnings are counted per installed client", async (t) => {
  t.mock.method(console, "warn", () => {});
  const first = fakeClient().client;
  const second = fakeClient().client;
  installLegacyClient(first);
  installLegacyClient(second);
  first.toastSuccess("a");
  second.toastSuccess("b");
  first.toastSuccess("c");
  assert.equal(console.warn.mock.callCount(), 2);
});

test("members that exist are left untouched", async (t) => {
  t.mock.method(console, "warn", () => {});
  const { client, calls } = fakeClient();
  const ownToast = (msg) => calls.push(["own toastSuccess", msg]);
  const ownGet = (url) => Promise.resolve("own get " + url);
  const backend = { get: ownGet };
  client.toastSuccess = ownToast;
  client.backend = backend;
  installLegacyClient(client);
  assert.equal(client.toastSuccess, ownToast);
  assert.equal(client.backend, backend);
  assert.equal(client.backend.get, ownGet);
  assert.equal(await client.backend.get("/x"), "own get /x");
  client.toastSuccess("hi");
  // The missing ones were added next to them.
  await client.backend.post("/y", 1);
  client.toastError("no");
  assert.deepEqual(calls, [
    ["own toastSuccess", "hi"],
    ["extension.vm.service.post", "/y", 1],
    ["desktopUI.toast.error", "no"],
  ]);
  assert.equal(console.warn.mock.callCount(), 2);
});

test("installing twice changes nothing the second time", (t) => {
  t.mock.method(console, "warn", () => {});
  const { client } = fakeClient();
  installLegacyClient(client);
  const snapshot = { ...client, backend: { ...client.backend } };
  installLegacyClient(client);
  assert.deepEqual({ ...client, backend: { ...client.backend } }, snapshot);
  for (const name of Object.keys(snapshot)) {
    assert.equal(client[name], name === "backend" ? client.backend : snapshot[name]);
  }
});

test("a v0 client (old Docker Desktop) is left as it is", () => {
  const v0 = {};
  for (const name of V0.client) {
    v0[name] = () => "v0 " + name;
  }
  v0.backend = {};
  for (const name of V0.backend) {
    v0.backend[name] = () => "v0 backend." + name;
  }
  const copy = { ...v0, backend: { ...v0.backend } };
  assert.equal(installLegacyClient(v0), v0);
  assert.deepEqual(v0, copy);
});

test("a frozen client gets a patched copy that inherits from it", async () => {
  const { client, calls } = fakeClient();
  Object.freeze(client);
  const patched = installLegacyClient(client, { silent: true });
  assert.notEqual(patched, client);
  assert.equal(Object.getPrototypeOf(patched), client);
  assert.equal(patched.docker, client.docker);
  assert.equal(client.toastSuccess, undefined);
  await patched.backend.get("/ok");
  patched.toastWarning("w");
  assert.deepEqual(calls, [["extension.vm.service.get", "/ok"], ["desktopUI.toast.warning", "w"]]);
});

test("a frozen backend with missing methods is extended through a new backend", async () => {
  const { client, calls } = fakeClient();
  const ownGet = () => Promise.resolve("own");
  client.backend = Object.freeze({ get: ownGet });
  installLegacyClient(client, { silent: true });
  assert.equal(client.backend.get, ownGet);
  await client.backend.delete("/z");
  assert.deepEqual(calls, [["extension.vm.service.delete", "/z"]]);
});

test("the default client is window.ddClient (globalThis.ddClient)", async () => {
  const { client, calls } = fakeClient();
  globalThis.ddClient = client;
  try {
    assert.equal(installLegacyClient(undefined, { silent: true }), client);
    await globalThis.ddClient.backend.get("/g");
    assert.deepEqual(calls, [["extension.vm.service.get", "/g"]]);
  } finally {
    delete globalThis.ddClient;
  }
  assert.throws(() => installLegacyClient(), /window\.ddClient is not defined/);
});

test("a service error reaches the caller unchanged", async () => {
  const { client } = fakeClient();
  installLegacyClient(client, { silent: true });
  await assert.rejects(client.backend.get("/missing"), (error) => {
    assert.deepEqual(error, { name: "ServiceError", message: "Not Found", statusCode: 404 });
    return true;
  });
  await assert.rejects(client.backend.request({ url: "/missing", method: "GET", headers: {}, data: null }),
    { statusCode: 404 });
  await assert.rejects(client.navigateToContainer("missing"), /no such container/);
});

test("a failing stream reports the error, then the exit code", async () => {
  const { client } = fakeClient();
  installLegacyClient(client, { silent: true });
  const { callback, done } = collector();
  client.spawnDockerCmd("broken", [], callback);
  const received = await done;
  assert.equal(received.length, 4);
  assert.deepEqual(received[0], [{ stdout: "line 1\n" }, undefined]);
  assert.deepEqual(received[1], [{ stderr: "careful\n" }, undefined]);
  assert.equal(received[2][0], undefined);
  assert.match(received[2][1].message, /exec failed/);
  assert.deepEqual(received[3], [{ code: 1 }, undefined]);
});

test("exec results come back as Docker Desktop returns them", async () => {
  const { client, calls } = fakeClient();
  installLegacyClient(client, { silent: true });
  const inspected = await client.execDockerCmd("inspect", "a1");
  assert.deepEqual(inspected.parseJsonObject(), { Id: "a1", State: { Running: true } });
  const listed = await client.execDockerCmd("ps --format '{{json .}}'");
  assert.equal(listed.stderr, "");
  assert.deepEqual(listed.lines(), ['{"ID":"a1","Names":"web"}', '{"ID":"b2","Names":"db"}']);
  assert.deepEqual(listed.parseJsonLines().map((row) => row.Names), ["web", "db"]);
  const inVm = await client.backend.execInVMExtension("cat /etc/hostname");
  assert.equal(inVm.stdout, "ok\n");
  assert.deepEqual(calls, [
    ["docker.cli.exec", "inspect", ["a1"]],
    ["docker.cli.exec", "ps", ["--format", "{{json .}}"]],
    ["extension.vm.cli.exec", "cat", ["/etc/hostname"]],
  ]);
});

test("the spawn result is the v1 process handle", () => {
  const { client, calls } = fakeClient();
  installLegacyClient(client, { silent: true });
  const process = client.backend.spawnInVMExtension("tail", ["-f"], () => {});
  process.close();
  assert.deepEqual(calls.at(-1), ["extension.vm.cli.exec:close"]);
});

test("streamFromCallback: the exact v0 shapes", () => {
  const received = [];
  const options = streamFromCallback((data, error) => received.push([data, error]));
  assert.deepEqual(Object.keys(options).sort(), ["onClose", "onError", "onOutput"]);
  const error = new Error("boom");
  options.onOutput({ stdout: "a" });
  options.onOutput({ stderr: "b" });
  options.onError(error);
  options.onClose(7);
  assert.deepEqual(received, [
    [{ stdout: "a" }, undefined],
    [{ stderr: "b" }, undefined],
    [undefined, error],
    [{ code: 7 }, undefined],
  ]);
  assert.equal(received[2][1], error);
  assert.equal(received.every((args) => args.length === 2), true);
  assert.throws(() => streamFromCallback("nope"), TypeError);
});

// Refusals: the command needs a shell, so nothing may run.
const REFUSED = [
  { what: "a pipe in execInVMExtension", call: (c) => c.backend.execInVMExtension("ls -l | wc -l"),
    names: "`|`", shellAdvice: true },
  { what: "&& in execInContainer", call: (c) => c.backend.execInContainer("a1", "cd /app && ls"),
    names: "`&&`", shellAdvice: true },
  { what: "a redirection in execHostCmd", call: (c) => c.execHostCmd("tool --dump > out.txt"),
    names: "`>`", shellAdvice: false },
  { what: "a variable in execHostCmd", call: (c) => c.execHostCmd("tool $HOME"), names: "`$HOME`",
    shellAdvice: false },
  { what: "command substitution in execDockerCmd", call: (c) => c.execDockerCmd("rm", "-f", "$(docker ps -q)"),
    names: "`$(docker ps -q)`", shellAdvice: false },
  { what: "a pipe in a later execDockerCmd argument", call: (c) => c.execDockerCmd("logs", "web", "| tail"),
    names: "`|`", shellAdvice: false },
  { what: "a glob in execInVMExtension", call: (c) => c.backend.execInVMExtension("rm /tmp/*.log"),
    names: "`*`", shellAdvice: true },
  { what: "an unclosed quote", call: (c) => c.backend.execInVMExtension("echo 'oops"), names: "`'`",
    shellAdvice: false },
  { what: "a leading assignment", call: (c) => c.execHostCmd("DEBUG=1 tool"), names: "`DEBUG=1`",
    shellAdvice: false },
];

for (const item of REFUSED) {
  test("refused, nothing called: " + item.what, async () => {
    const { client, calls } = fakeClient();
    installLegacyClient(client, { silent: true });
    await assert.rejects(Promise.resolve().then(() => item.call(client)), (error) => {
      assert.ok(error instanceof ShellCommandError);
      assert.ok(error instanceof Error);
      assert.equal(error.name, "ShellCommandError");
      assert.ok(error.message.includes(item.names), error.message);
      assert.ok(error.message.includes("without a shell"), error.message);
      assert.ok(error.message.startsWith("ddClient."), error.message);
      assert.equal(error.message.includes('exec("sh", ["-c", script])'), item.shellAdvice, error.message);
      assert.ok(error.problems.length > 0);
      return true;
    });
    assert.deepEqual(calls, []);
  });
}

test("a refused argument is reported with offsets into that argument", async () => {
  const { client, calls } = fakeClient();
  installLegacyClient(client, { silent: true });
  await assert.rejects(client.execDockerCmd("logs", "web", "| tail -n 5"), (error) => {
    assert.equal(error.command, "| tail -n 5");
    assert.deepEqual(error.problems.map((p) => [p.kind, p.text, p.start, p.end]), [["operator", "|", 0, 1]]);
    assert.ok(error.message.startsWith('ddClient.execDockerCmd cannot run "| tail -n 5" without a shell: `|`'),
      error.message);
    return true;
  });
  await assert.rejects(client.execHostCmd("a | b; c"), /\(and 1 more problem\); run one exec\(\) per command/);
  assert.deepEqual(calls, []);
});

test("refusals reject the promise rather than throw", () => {
  const { client, calls } = fakeClient();
  installLegacyClient(client, { silent: true });
  const pending = client.execHostCmd("a | b");
  assert.ok(pending instanceof Promise);
  pending.catch(() => {});
  assert.deepEqual(calls, []);
});

test("bad arguments are refused and nothing runs", async () => {
  const { client, calls } = fakeClient();
  installLegacyClient(client, { silent: true });
  await assert.rejects(client.backend.execInVMExtension(""), /no command/);
  await assert.rejects(client.execHostCmd("   "), /no command/);
  await assert.rejects(client.execDockerCmd("", ""), /no command/);
  await assert.rejects(client.backend.execInVMExtension(undefined), TypeError);
  await assert.rejects(client.execDockerCmd("ps", { all: true }), TypeError);
  await assert.rejects(client.backend.execInContainer("--privileged", "ls"), /container name or id/);
  await assert.rejects(client.backend.execInContainer("", "ls"), /container name or id/);
  assert.throws(() => client.spawnDockerCmd("logs", ["-f"], "not a function"), TypeError);
  assert.throws(() => client.backend.spawnInVMExtension("tail", [], undefined), TypeError);
  assert.deepEqual(calls, []);
});

test("execDockerCmd arguments are split after the command word", async () => {
  const { client, calls } = fakeClient();
  installLegacyClient(client, { silent: true });
  // At command position `A=1` would be an assignment; as a later argument it is a word.
  await client.execDockerCmd("run", "-e A=1 --name 'my app'", "alpine", "", "if");
  await client.execDockerCmd("logs --tail", 100, "web");
  assert.deepEqual(calls, [
    ["docker.cli.exec", "run", ["-e", "A=1", "--name", "my app", "alpine", "if"]],
    ["docker.cli.exec", "logs", ["--tail", "100", "web"]],
  ]);
});

test("a client without what a member needs gets a clear error", async () => {
  const { client } = fakeClient();
  const bare = { ...client, extension: { image: "x" } };
  installLegacyClient(bare, { silent: true });
  await assert.rejects(bare.backend.get("/x"), /needs ddClient\.extension\.vm,/);
  await assert.rejects(bare.execHostCmd("tool"), /needs ddClient\.extension\.host/);
  const noSocket = { ...client, extension: { image: "x", vm: { cli: client.extension.vm.cli } } };
  installLegacyClient(noSocket, { silent: true });
  await assert.rejects(noSocket.backend.post("/x", {}), /needs ddClient\.extension\.vm\.service/);
});
