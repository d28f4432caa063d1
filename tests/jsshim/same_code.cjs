// Usage: node same_code.cjs <typescript module dir> <legacy-client.ts> <legacy-client.js>
// Checks that the JavaScript file is the code tsc emits from the TypeScript file: both are
// compiled by TypeScript's own emitter, then compared node by node, ignoring comments (JSDoc
// types) and parentheses (JSDoc casts need them, `as` casts do not).
"use strict";
const fs = require("fs");
const path = require("path");
const ts = require(path.resolve(process.argv[2]));

const options = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022, removeComments: true };

function emitted(file) {
  const source = fs.readFileSync(file, "utf8");
  const result = ts.transpileModule(source, { compilerOptions: options, fileName: file, reportDiagnostics: true });
  if (result.diagnostics && result.diagnostics.length) {
    throw new Error(file + ": " + result.diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("; "));
  }
  return result.outputText;
}

function flatten(code) {
  const sourceFile = ts.createSourceFile("emitted.js", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const tokens = [];
  const visit = (node) => {
    if (ts.isParenthesizedExpression(node)) {
      visit(node.expression);
      return;
    }
    const children = [];
    ts.forEachChild(node, (child) => { children.push(child); });
    const { line } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
    if (children.length === 0) {
      tokens.push({ text: ts.SyntaxKind[node.kind] + " " + node.getText(sourceFile), line: line + 1 });
    } else {
      tokens.push({ text: "(" + ts.SyntaxKind[node.kind], line: line + 1 });
      children.forEach(visit);
      tokens.push({ text: ")", line: line + 1 });
    }
  };
  visit(sourceFile);
  return { tokens, lines: code.split("\n") };
}

const fromTs = flatten(emitted(process.argv[3]));
const fromJs = flatten(emitted(process.argv[4]));
const count = Math.max(fromTs.tokens.length, fromJs.tokens.length);
for (let k = 0; k < count; k += 1) {
  const a = fromTs.tokens[k];
  const b = fromJs.tokens[k];
  if (!a || !b || a.text !== b.text) {
    console.log("DIFFERENT");
    console.log("from the .ts: " + (a ? a.text + " | " + fromTs.lines[a.line - 1].trim() : "(end)"));
    console.log("from the .js: " + (b ? b.text + " | " + fromJs.lines[b.line - 1].trim() : "(end)"));
    process.exit(1);
  }
}
console.log("SAME " + count + " nodes");
