// Formats fixed files with the project's own prettier, with the project's configuration:
// ddmigrate's formatter step (migrator/core/formatter.py). argv: <prettier package folder>.
// stdin: JSON [{path, original, fixed}]; stdout: JSON {path: {clean, formatted, ignored, error}}.
"use strict";
const prettier = require(process.argv[2]);

async function one(file) {
  const out = { clean: false, formatted: null, ignored: false, error: null };
  try {
    const info = await prettier.getFileInfo(file.path, { ignorePath: [".prettierignore", ".gitignore"], resolveConfig: false });
    if (info.ignored || !info.inferredParser) {
      out.ignored = true;
      return out;
    }
    const config = (await prettier.resolveConfig(file.path, { editorconfig: true })) || {};
    const options = { ...config, filepath: file.path };
    out.clean = await prettier.check(file.original, options);
    if (out.clean) out.formatted = await prettier.format(file.fixed, options);
  } catch (err) {
    out.error = String((err && err.message) || err).split("\n")[0];
  }
  return out;
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", async () => {
  const answer = {};
  for (const file of JSON.parse(input)) answer[file.path] = await one(file);
  process.stdout.write(JSON.stringify(answer));
});
