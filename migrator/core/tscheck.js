// Type-checks one TypeScript project with the project's own compiler, again and again, with
// some files' text replaced: ddmigrate's `fix --verify-types` (migrator/core/typeguard.py).
// argv: <typescript package folder> <tsconfig path>. Each line on stdin is a JSON object
// {path: text} of replaced files; each answer on stdout is one JSON line of diagnostics.
"use strict";
const path = require("path");
const readline = require("readline");
const ts = require(process.argv[2]);
const configPath = path.resolve(process.argv[3]);

const parsed = ts.getParsedCommandLineOfConfigFile(configPath, { noEmit: true }, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (d) => {
    process.stdout.write(JSON.stringify({ error: ts.flattenDiagnosticMessageText(d.messageText, "\n") }) + "\n");
    process.exit(3);
  },
});
let previous;

function check(overrides) {
  const replaced = new Map(Object.entries(overrides).map(([k, v]) => [path.resolve(k), v]));
  const host = ts.createCompilerHost(parsed.options, true);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (name) => (replaced.has(path.resolve(name)) ? replaced.get(path.resolve(name)) : readFile(name));
  host.fileExists = (name) => replaced.has(path.resolve(name)) || fileExists(name);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError, create) => {
    const full = path.resolve(name);
    if (replaced.has(full)) return ts.createSourceFile(name, replaced.get(full), version, true);
    return getSourceFile(name, version, onError, create);
  };
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host,
    projectReferences: parsed.projectReferences, oldProgram: previous });
  previous = program;
  const files = program.getSourceFiles().map((f) => path.resolve(f.fileName));
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
    const out = { code: d.code, message: ts.flattenDiagnosticMessageText(d.messageText, "\n"), file: "", line: 0, column: 0 };
    if (d.file) {
      const pos = d.file.getLineAndCharacterOfPosition(d.start || 0);
      Object.assign(out, { file: path.resolve(d.file.fileName), line: pos.line + 1, column: pos.character + 1 });
    }
    return out;
  });
  return { files, diagnostics };
}

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  let answer;
  try {
    answer = check(JSON.parse(line));
  } catch (err) {
    answer = { error: String(err && err.stack || err) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
