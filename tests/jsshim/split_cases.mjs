// Reads {"module": path, "commands": [...]} on stdin; prints, for each command, what the shim's
// splitter makes of it: {"words", "problems", "argv"} or {"words", "problems", "error"}.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const request = JSON.parse(readFileSync(0, "utf8"));
const shim = await import(pathToFileURL(request.module).href);
const results = request.commands.map((command) => {
  const analysis = shim.analyseCommand(command);
  const result = { words: analysis.words, problems: analysis.problems };
  try {
    result.argv = shim.splitCommand(command);
  } catch (error) {
    if (!(error instanceof shim.ShellCommandError) || !(error instanceof Error)) {
      throw error;
    }
    result.error = { message: error.message, command: error.command, problems: error.problems };
  }
  return result;
});
process.stdout.write(JSON.stringify(results));
