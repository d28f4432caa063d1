/**
 * legacy-client: the deprecated Docker Desktop extension client API (v0), put back on top of
 * the current API (v1), for code that cannot be migrated yet.
 *
 *     import { installLegacyClient } from "./legacy-client";
 *     installLegacyClient(); // before any code that still calls a v0 member
 *
 * Every v0 member the client lacks is added: it calls its v1 replacement and, the first time,
 * warns through console.warn with the exact replacement (`{ silent: true }` turns that off).
 * Members the client still has are left untouched. A v0 command string was run by a shell; v1
 * exec runs none, so the string is split the way a POSIX shell splits plain words (quotes and
 * escapes removed), and a string that needs a shell for more (a pipe, `&&`, a redirection,
 * `$VAR`, a glob...) is refused with an error naming what it relies on, rather than run as
 * something different. The module has no runtime dependency: it only imports types.
 */
import type { v1, v1Hybrid } from "@docker/extension-api-client-types";

/** A v0 spawn callback: `data` carries a `stdout` or `stderr` chunk, then `{ code }` when the process ends; `error` is set on failure. */
export type LegacyCallback = (data: any, error: any) => void;

/** Options of {@link installLegacyClient}. */
export interface LegacyClientOptions {
  /** Do not warn through console.warn when a deprecated member is called. */
  silent?: boolean;
}

/** The v1 client with the deprecated v0 members back (and a backend that is always there). */
export type LegacyClient = v1Hybrid.DockerDesktopClient & { readonly backend: v1Hybrid.BackendV0 };

/** One reason a command string needs a shell. */
export interface ShellProblem {
  readonly kind: "operator" | "expansion" | "syntax";
  /** The offending text, as written. */
  readonly text: string;
  /** Where it starts and ends (exclusive), in code points of the command string. */
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

/** The words a POSIX shell builds from a command string, and what it would have done besides. */
export interface ShellAnalysis {
  readonly words: string[];
  readonly problems: ShellProblem[];
}

/** A command string that cannot become one argv without a shell. */
export class ShellCommandError extends Error {
  declare readonly command: string;
  declare readonly problems: ShellProblem[];

  constructor(message: string, command: string, problems: ShellProblem[]) {
    super(message);
    this.name = "ShellCommandError";
    this.command = command;
    this.problems = problems;
  }
}

/**
 * Stream options for v1 `exec(cmd, args, { stream })` that call a v0 `(data, error)` callback
 * with the shapes v0 used: output chunks as data, errors as the second argument, and
 * `{ code }` when the process ends.
 */
export function streamFromCallback(callback: LegacyCallback): v1.ExecStreamOptions {
  if (typeof callback !== "function") {
    throw new TypeError("streamFromCallback needs a (data, error) callback, not " + typeof callback);
  }
  return {
    onOutput: (data) => callback(data, undefined),
    onError: (error) => callback(undefined, error),
    onClose: (exitCode) => callback({ code: exitCode }, undefined),
  };
}

// ---------------------------------------------------------------------------------------------
// Splitting a command string the way a POSIX shell splits plain words. A port of ddmigrate's
// analyser (migrator/migration/shell.py) for static strings; a shared table of cases keeps them in step.
// ---------------------------------------------------------------------------------------------

type Item = [string, number];
type Quote = "" | "'" | '"' | "\\" | "$";

interface Atom {
  value: string;
  start: number;
  end: number;
  quote: Quote;
}

interface RawWord {
  start: number;
  group: number;
  atoms: Atom[];
  end: number;
  quoted: boolean;
}

const UNQUOTED = "";
const SQ = "'";
const DQ = '"';
const ESCAPED = "\\";
const RAW = "$";

const LITERAL_TAIL = "v1 exec runs no shell, so it would reach the program as a literal argument";

const OPERATOR_WHAT: Record<string, string> = {
  "|": "is a shell pipe",
  "|&": "is a shell pipe (of stdout and stderr)",
  "||": "runs the next command only if the first fails",
  "&&": "runs the next command only if the first succeeds",
  ";": "separates two shell commands",
  ";;": "ends a shell case branch",
  "&": "runs a shell command in the background",
  "(": "opens a shell subshell",
  ")": "closes a shell subshell",
  "<<": "starts a shell here-document",
  "<<-": "starts a shell here-document",
  "<<<": "is a bash here-string",
  "<(": "is a bash process substitution",
  ">(": "is a bash process substitution",
};

const RESERVED_WORDS = new Set(
  ("! { } [[ if then else elif fi do done case esac while until for in function select " +
    "time coproc").split(" "),
);

const OPERATORS = ["<<<", "<<-", "&>>", "||", "&&", ";;", "|&", ">>", ">&", ">|", "<<", "<&", "<>", "&>",
  "<(", ">(", "|", "&", ";", "<", ">", "(", ")"].sort((a, b) => b.length - a.length);

const REDIRECTIONS = new Set(["<", ">", ">>", ">&", "<&", ">|", "<>", "&>", "&>>"]);
const NAME_START = /^[A-Za-z_]$/;
const NAME_CHAR = /^[A-Za-z0-9_]$/;
const DIGIT = /^[0-9]$/; // file descriptors: ASCII digits only, as in the Python analyser
const SPECIAL_PARAMS = "@*#?-$!0123456789";
const ASSIGNMENT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** list[k], for an index known to be in range. */
function nth<T>(list: readonly T[], k: number): T {
  const value = list[k];
  if (value === undefined) {
    throw new RangeError("index " + k + " out of range");
  }
  return value;
}

function operatorMessage(text: string): string {
  const core = text.replace(/^[0-9]+/, "");
  const what = OPERATOR_WHAT[core] ?? "is a shell redirection";
  return "`" + text + "` " + what + "; " + LITERAL_TAIL;
}

function addAtom(word: RawWord, value: string, start: number, end: number, quote: Quote): void {
  word.atoms.push({ value: value, start: start, end: end, quote: quote });
  word.end = Math.max(word.end, end);
}

/** Remove backslash-newline pairs outside single quotes, as the shell does before anything else. */
function dropLineContinuations(items: Item[]): Item[] {
  const out: Item[] = [];
  let state = UNQUOTED;
  let i = 0;
  while (i < items.length) {
    const ch = nth(items, i)[0];
    const nxt = i + 1 < items.length ? nth(items, i + 1)[0] : null;
    if (state !== SQ && ch === "\\") {
      if (nxt !== "\n") {
        out.push(...items.slice(i, i + 2));
      }
      i += 2;
      continue;
    }
    if (state === UNQUOTED && (ch === "'" || ch === '"')) {
      state = ch;
    } else if (state !== UNQUOTED && ch === state) {
      state = UNQUOTED;
    }
    out.push(nth(items, i));
    i += 1;
  }
  return out;
}

/** Tokenise the items into raw words and problems (sh rules for plain words). */
function scan(items: Item[], textEnd: number): { words: RawWord[]; problems: ShellProblem[] } {
  const words: RawWord[] = [];
  const problems: ShellProblem[] = [];
  let i = 0;
  let word: RawWord | null = null;
  let group = 0;
  let pendingNewline: number | null = null;
  let seenContent = false;
  let afterOperator = false;

  function peek(k: number): string | null {
    return i + k < items.length ? nth(items, i + k)[0] : null;
  }

  function offset(k: number): number {
    return i + k < items.length ? nth(items, i + k)[1] : textEnd;
  }

  function endOffset(j: number): number {
    return nth(items, j)[1] + 1;
  }

  function textOf(from: number, to: number): string {
    return items.slice(from, to).map((item) => item[0]).join("");
  }

  function problem(kind: ShellProblem["kind"], text: string, start: number, end: number, message: string): void {
    problems.push({ kind: kind, text: text, start: start, end: end, message: message });
  }

  /** A word or an operator starts: a newline before it separated two commands. */
  function content(isOperator: boolean): void {
    if (pendingNewline !== null && seenContent && !afterOperator) {
      const off = pendingNewline;
      problem("operator", "\n", off, off + 1,
        "a newline here starts a second shell command; v1 exec runs no shell, so the newline " +
        "and the next command would reach the program as literal text");
      group += 1;
    }
    pendingNewline = null;
    seenContent = true;
    afterOperator = isOperator;
  }

  function ensureWord(start: number): RawWord {
    if (word === null) {
      content(false);
      word = { start: start, group: group, atoms: [], end: start, quoted: false };
    }
    return word;
  }

  function endWord(): void {
    if (word !== null) {
      words.push(word);
      word = null;
    }
  }

  /** Add item i+k to the current word with the given quoting. */
  function add(quote: Quote, k: number): void {
    const item = nth(items, i + k);
    addAtom(ensureWord(item[1]), item[0], item[1], item[1] + 1, quote);
  }

  function step(): void {
    const ch = nth(items, i)[0];
    if (ch === " " || ch === "\t") {
      endWord();
      i += 1;
    } else if (ch === "\n") {
      endWord();
      if (pendingNewline === null) {
        pendingNewline = offset(0);
      }
      i += 1;
    } else if (ch === "'") {
      singleQuote();
    } else if (ch === '"') {
      doubleQuote();
    } else if (ch === "\\") {
      backslash();
    } else if (ch === "$") {
      dollar(UNQUOTED);
    } else if (ch === "`") {
      backtick();
    } else if (ch === "#" && word === null) {
      comment();
    } else if ("|&;<>()".includes(ch)) {
      operator();
    } else {
      add(UNQUOTED, 0);
      i += 1;
    }
  }

  function singleQuote(): void {
    const openOff = offset(0);
    const current = ensureWord(openOff);
    current.quoted = true;
    i += 1;
    while (i < items.length) {
      if (peek(0) === "'") {
        current.end = offset(0) + 1;
        i += 1;
        return;
      }
      add(SQ, 0);
      i += 1;
    }
    unterminated("'", openOff, "single quote");
  }

  function doubleQuote(): void {
    const openOff = offset(0);
    const current = ensureWord(openOff);
    current.quoted = true;
    i += 1;
    while (i < items.length) {
      const ch = peek(0);
      if (ch === '"') {
        current.end = offset(0) + 1;
        i += 1;
        return;
      }
      if (ch === "\\") {
        dqBackslash();
      } else if (ch === "$") {
        dollar(DQ);
      } else if (ch === "`") {
        backtick();
      } else {
        add(DQ, 0);
        i += 1;
      }
    }
    unterminated('"', openOff, "double quote");
  }

  function unterminated(text: string, start: number, what: string): void {
    problem("syntax", text, start, start + text.length,
      "`" + text + "` opens a " + what + " that is never closed, so a shell would reject the command");
  }

  function backslash(): void {
    const off = offset(0);
    const nxt = peek(1);
    if (nxt === "\n") {
      i += 2;
      return;
    }
    const current = ensureWord(off);
    current.quoted = true;
    if (nxt === null) {
      problem("syntax", "\\", off, off + 1,
        "`\\` at the end of the command escapes nothing; shells disagree on what it means");
      addAtom(current, "\\", off, off + 1, ESCAPED);
      i += 1;
      return;
    }
    add(ESCAPED, 1);
    i += 2;
  }

  function dqBackslash(): void {
    const nxt = peek(1);
    if (nxt !== null && "$`\"\\\n".includes(nxt)) {
      // Only these (and a newline) can be escaped inside double quotes.
      if (nxt !== "\n") {
        add(DQ, 1);
      }
      i += 2;
    } else {
      add(DQ, 0);
      i += 1;
    }
  }

  function dollar(quote: Quote): void {
    const nxt = peek(1);
    if (nxt === "(") {
      if (peek(2) === "(") {
        spanConstruct(matchCloser(i + 1, "(", ")"), "expansion", "$((", "arithmetic expansion");
      } else {
        spanConstruct(matchCloser(i + 1, "(", ")"), "operator", "$(",
          "command substitution (it runs another command)");
      }
    } else if (nxt === "{") {
      spanConstruct(matchCloser(i + 1, "{", "}"), "expansion", "${", "parameter expansion");
    } else if (nxt !== null && NAME_START.test(nxt)) {
      let j = i + 2;
      while (j < items.length && NAME_CHAR.test(nth(items, j)[0])) {
        j += 1;
      }
      expansionSpan(j);
    } else if (nxt !== null && SPECIAL_PARAMS.includes(nxt)) {
      expansionSpan(i + 2);
    } else if (quote === UNQUOTED && (nxt === "'" || nxt === '"')) {
      spanConstruct(matchQuote(i + 1, nxt), "expansion", "$" + nxt,
        "bash quoting form (`$'...'` or `$\"...\"`) that plain sh reads differently");
    } else if (nxt === "[") {
      spanConstruct(matchCloser(i + 1, "[", "]"), "expansion", "$[", "bash arithmetic expansion");
    } else {
      // A `$` before a blank, the end, or a non-name character is literal.
      add(quote, 0);
      i += 1;
    }
  }

  function expansionSpan(j: number): void {
    const start = offset(0);
    const text = textOf(i, j);
    problem("expansion", text, start, endOffset(j - 1),
      "`" + text + "` is expanded by the shell; v1 exec runs no shell, so the program would receive " +
      "the literal text `" + text + "`");
    rawSpan(j);
  }

  /** Report a delimited construct (`${..}`, `$(..)`...) that ends before item j. */
  function spanConstruct(j: number | null, kind: ShellProblem["kind"], opener: string, what: string): void {
    const start = offset(0);
    let stop = items.length;
    if (j === null) {
      unterminated(opener, start, "shell construct");
    } else {
      stop = j;
      const text = textOf(i, j);
      const tail = kind === "operator" ? LITERAL_TAIL
        : "v1 exec runs no shell, so the program would receive the literal text `" + text + "`";
      problem(kind, text, start, endOffset(j - 1), "`" + text + "` is a " + what + "; " + tail);
    }
    rawSpan(stop);
  }

  /** Keep an already reported construct in its word as the literal text v1 would pass. */
  function rawSpan(j: number): void {
    while (i < j) {
      add(RAW, 0);
      i += 1;
    }
  }

  /** The index after the closer that matches the opener at item j, skipping quotes. */
  function matchCloser(from: number, opener: string, closer: string): number | null {
    let depth = 0;
    let j = from;
    while (j < items.length) {
      const ch = nth(items, j)[0];
      if (ch === "\\") {
        j += 2;
        continue;
      }
      if ((ch === "'" || ch === '"') && opener !== "[") {
        const end = matchQuote(j, ch);
        if (end === null) {
          return null;
        }
        j = end;
        continue;
      }
      if (ch === opener) {
        depth += 1;
      } else if (ch === closer) {
        depth -= 1;
        if (depth === 0) {
          return j + 1;
        }
      }
      j += 1;
    }
    return null;
  }

  /** The index after the quote that closes the one at item j. */
  function matchQuote(j: number, quote: string): number | null {
    let k = j + 1;
    while (k < items.length) {
      const ch = nth(items, k)[0];
      if (ch === "\\" && quote === '"') {
        k += 2;
        continue;
      }
      if (ch === quote) {
        return k + 1;
      }
      k += 1;
    }
    return null;
  }

  function backtick(): void {
    let j = i + 1;
    while (j < items.length && nth(items, j)[0] !== "`") {
      j += nth(items, j)[0] === "\\" ? 2 : 1;
    }
    spanConstruct(j < items.length ? j + 1 : null, "operator", "`",
      "command substitution (it runs another command)");
  }

  function comment(): void {
    let j = i;
    while (j < items.length && nth(items, j)[0] !== "\n") {
      j += 1;
    }
    const start = offset(0);
    const text = textOf(i, j);
    content(false);
    problem("operator", text, start, endOffset(j - 1),
      "`#` starts a shell comment, so the shell ignored `" + text + "`; " + LITERAL_TAIL);
    i = j;
  }

  function operator(): void {
    const op = matchOperator();
    const startI = i;
    let start = offset(0);
    let digits = "";
    if ("<>".includes(op.charAt(0)) && word !== null && isIoNumber(word)) {
      // `2>&1`: digits touching a redirection are its file descriptor, not a word.
      digits = word.atoms.map((atom) => atom.value).join("");
      start = word.start;
      word = null;
    }
    endWord();
    let j = i + op.length;
    if (op === ">&" || op === "<&") {
      while (j < items.length && (DIGIT.test(nth(items, j)[0]) || nth(items, j)[0] === "-")) {
        j += 1;
      }
    }
    const text = digits + textOf(startI, j);
    content(true);
    problem("operator", text, start, endOffset(j - 1), operatorMessage(text));
    if (!REDIRECTIONS.has(op)) {
      group += 1; // a new simple command starts
    }
    i = j;
  }

  function matchOperator(): string {
    for (const op of OPERATORS) {
      if (textOf(i, i + op.length) === op) {
        return op;
      }
    }
    throw new Error("unreachable: not an operator");
  }

  while (i < items.length) {
    step();
  }
  endWord();
  return { words: words, problems: problems };
}

function isIoNumber(word: RawWord): boolean {
  return !word.quoted && word.atoms.length > 0 && word.atoms.every((atom) => /^[0-9]$/.test(atom.value));
}

function plain(atom: Atom, chars: string): boolean {
  return atom.quote === UNQUOTED && chars.includes(atom.value);
}

function atomsText(atoms: Atom[]): string {
  return atoms.map((atom) => atom.value).join("");
}

function expansion(atoms: Atom[], what: string): ShellProblem {
  const text = atomsText(atoms);
  return {
    kind: "expansion",
    text: text,
    start: nth(atoms, 0).start,
    end: nth(atoms, atoms.length - 1).end,
    message: "`" + text + "` is " + what + "; v1 exec runs no shell, so the program would receive " +
      "the literal text `" + text + "`",
  };
}

function globProblems(atoms: Atom[]): ShellProblem[] {
  const found: ShellProblem[] = [];
  // Conservative: any later `]` in the word may close a bracket expression.
  let close: number | null = null;
  const nextClose: (number | null)[] = atoms.map(() => null);
  for (let k = atoms.length - 1; k >= 0; k -= 1) {
    nextClose[k] = close;
    if (nth(atoms, k).value === "]") {
      close = k;
    }
  }
  atoms.forEach((atom, k) => {
    const closeAt = nth(nextClose, k);
    if (plain(atom, "*?")) {
      found.push(expansion([atom], "a shell glob (filename pattern)"));
    } else if (plain(atom, "[") && closeAt !== null) {
      found.push(expansion(atoms.slice(k, closeAt + 1), "a shell glob (filename pattern)"));
    }
  });
  return found;
}

/** Bash brace expansion: an unquoted `{...}` that holds an unquoted `,` or `..`. */
function braceProblems(atoms: Atom[]): ShellProblem[] {
  const found: ShellProblem[] = [];
  const stack: number[] = [];
  const pairs: [number, number][] = [];
  atoms.forEach((atom, k) => {
    if (plain(atom, "{")) {
      stack.push(k);
    } else if (plain(atom, "}") && stack.length > 0) {
      pairs.push([stack.pop() as number, k]);
    }
  });
  // Prefix counts keep each pair's check constant time.
  const commas = [0];
  const dots = [0];
  atoms.forEach((atom, k) => {
    commas.push(nth(commas, k) + (plain(atom, ",") ? 1 : 0));
    dots.push(nth(dots, k) + (k > 0 && plain(atom, ".") && plain(nth(atoms, k - 1), ".") ? 1 : 0));
  });
  for (const [open, close] of pairs) {
    const hasComma = nth(commas, close) - nth(commas, open + 1) > 0;
    const hasDots = close > open + 2 ? nth(dots, close) - nth(dots, open + 2) > 0 : false;
    if (hasComma || hasDots) {
      found.push(expansion(atoms.slice(open, close + 1), "a bash brace expansion"));
    }
  }
  return found;
}

/** `~` at the start of a word, and (as bash does) after `=` or `:` in an assignment-shaped word. */
function tildeProblems(atoms: Atom[]): ShellProblem[] {
  const found: ShellProblem[] = [];
  if (atoms.length > 0 && plain(nth(atoms, 0), "~")) {
    const prefix: Atom[] = [];
    for (const atom of atoms) {
      if (plain(atom, "/")) {
        break;
      }
      prefix.push(atom);
    }
    if (prefix.every((atom) => atom.quote === UNQUOTED)) {
      found.push(expansion(prefix, "a shell home-directory (tilde) expansion"));
    }
  }
  if (assignmentName(atoms) !== null) {
    for (let k = 1; k < atoms.length; k += 1) {
      if (plain(nth(atoms, k), "~") && plain(nth(atoms, k - 1), "=:")) {
        found.push(expansion([nth(atoms, k)], "a tilde expansion inside an assignment"));
      }
    }
  }
  return found;
}

/** NAME when the word reads as `NAME=value` with NAME unquoted, else null. */
function assignmentName(atoms: Atom[]): string | null {
  let name = "";
  for (const atom of atoms) {
    if (plain(atom, "=")) {
      return ASSIGNMENT_NAME.test(name) ? name : null;
    }
    if (atom.quote !== UNQUOTED) {
      return null;
    }
    name += atom.value;
  }
  return null;
}

/** Leading `NAME=value` words are assignments; the first real word may be a reserved word. */
function commandPositionProblems(words: RawWord[]): ShellProblem[] {
  const found: ShellProblem[] = [];
  const seenGroups = new Set<number>();
  for (const word of words) {
    if (seenGroups.has(word.group)) {
      continue;
    }
    const text = atomsText(word.atoms);
    const name = assignmentName(word.atoms);
    if (name !== null) {
      found.push({
        kind: "expansion",
        text: text,
        start: word.start,
        end: word.end,
        message: "`" + text + "` at the start of a command is a shell variable assignment for `" + name +
          "`; v1 exec runs no shell, so it would become the program name or an argument",
      });
      continue;
    }
    seenGroups.add(word.group);
    if (word.atoms.length > 0 && word.atoms.every((atom) => atom.quote === UNQUOTED) && RESERVED_WORDS.has(text)) {
      found.push({
        kind: "operator",
        text: text,
        start: word.start,
        end: word.end,
        message: "`" + text + "` is a shell reserved word here; " + LITERAL_TAIL,
      });
    }
  }
  return found;
}

/**
 * Split a command string into the words a POSIX shell would build, and list everything in it
 * that needs a shell (operators, expansions, syntax errors). Offsets count code points.
 */
export function analyseCommand(command: string): ShellAnalysis {
  const chars = Array.from(command);
  const items: Item[] = chars.map((ch, k) => [ch, k]);
  const scanned = scan(dropLineContinuations(items), chars.length);
  const all = scanned.problems.slice();
  for (const word of scanned.words) {
    all.push(...globProblems(word.atoms), ...braceProblems(word.atoms), ...tildeProblems(word.atoms));
  }
  all.push(...commandPositionProblems(scanned.words));
  // The same problem may be found twice: keep the first, then order by position.
  const seen = new Set<string>();
  const problems = all.filter((p) => {
    const key = JSON.stringify([p.kind, p.text, p.start, p.end, p.message]);
    const fresh = !seen.has(key);
    seen.add(key);
    return fresh;
  });
  problems.sort((a, b) => a.start - b.start || a.end - b.end);
  return { words: scanned.words.map((word) => atomsText(word.atoms)), problems: problems };
}

/** The problem that explains a refusal: a syntax error, else an operator, else an expansion. */
function firstProblem(problems: ShellProblem[]): ShellProblem {
  for (const kind of ["syntax", "operator", "expansion"]) {
    const found = problems.find((p) => p.kind === kind);
    if (found !== undefined) {
      return found;
    }
  }
  return nth(problems, 0);
}

/** Why a command needs a shell: its first problem, and how many more there are. */
function explain(problems: ShellProblem[]): string {
  const more = problems.length - 1;
  const suffix = more > 0 ? " (and " + more + " more problem" + (more > 1 ? "s" : "") + ")" : "";
  return firstProblem(problems).message + suffix;
}

/**
 * Split a command string into argv exactly as `sh` would, or throw a {@link ShellCommandError}
 * that names the text needing a shell (a syntax error wins over an operator, which wins over
 * an expansion).
 */
export function splitCommand(command: string): string[] {
  const analysis = analyseCommand(command);
  if (analysis.problems.length === 0) {
    return analysis.words;
  }
  throw new ShellCommandError("cannot run " + JSON.stringify(command) + " without a shell: " +
    explain(analysis.problems), command, analysis.problems);
}

// ---------------------------------------------------------------------------------------------
// The v0 members, on top of v1
// ---------------------------------------------------------------------------------------------

type AnyFunction = (...args: any[]) => any;

/** Where a command runs decides the advice: never suggest `sh -c` for the host, which may be Windows. */
type Place = "vm" | "container" | "host" | "docker";

function commandString(call: string, value: unknown): string {
  if (typeof value === "string") {
    return value;
  }
  if (typeof value === "number") {
    return String(value);
  }
  throw new TypeError("ddClient." + call + " takes a command string, not " +
    (value === null ? "null" : typeof value));
}

/** argv for a v0 command string; `argument` reads it as a later argument (no command position). */
function splitFor(call: string, value: unknown, place: Place, argument: boolean): string[] {
  const command = commandString(call, value);
  const analysis = analyseCommand(argument ? "_ " + command : command);
  if (analysis.problems.length > 0) {
    // Offsets into the command as given, not into the "_ " put before an argument.
    const shift = argument ? 2 : 0;
    const problems = analysis.problems.map((p) => ({ ...p, start: p.start - shift, end: p.end - shift }));
    const first = firstProblem(problems);
    let advice = "fix the quoting";
    if (first.kind === "operator") {
      advice = "run one exec() per command and pass the results on in JavaScript";
    } else if (first.kind === "expansion") {
      advice = "compute the value in JavaScript and pass it as an argument";
    }
    if (first.kind !== "syntax" && (place === "vm" || place === "container")) {
      advice += ", or run a script explicitly with exec(\"sh\", [\"-c\", script]) inside the container";
    }
    throw new ShellCommandError("ddClient." + call + " cannot run " + JSON.stringify(command) +
      " without a shell: " + explain(problems) + "; " + advice, command, problems);
  }
  return argument ? analysis.words.slice(1) : analysis.words;
}

function noCommand(call: string, command: string): ShellCommandError {
  return new ShellCommandError("ddClient." + call + " was given no command: " + JSON.stringify(command) +
    " holds no words", command, []);
}

function globalClient(): v1.DockerDesktopClient {
  const found = (globalThis as { ddClient?: v1.DockerDesktopClient }).ddClient;
  if (found === undefined || found === null) {
    throw new Error("installLegacyClient: window.ddClient is not defined; run inside Docker Desktop or pass the client");
  }
  return found;
}

/** Define the members on obj, or on a new object that inherits from it when it is frozen or sealed. */
function extend(obj: object, members: Record<string, unknown>): object {
  const names = Object.keys(members);
  if (names.length === 0) {
    return obj;
  }
  const fixed = !Object.isExtensible(obj) || names.some((name) => {
    const own = Object.getOwnPropertyDescriptor(obj, name);
    return own !== undefined && !own.configurable;
  });
  const target = fixed ? Object.create(obj) : obj;
  for (const name of names) {
    Object.defineProperty(target, name, { value: members[name], writable: true, configurable: true, enumerable: true });
  }
  return target;
}

/**
 * Give `client` back every deprecated v0 member it lacks, each calling its v1 replacement and
 * warning once (through console.warn) with the exact replacement. Members that exist are left
 * untouched. Returns the client; when the client object is frozen or sealed, the members are
 * put on a new object that inherits from it, and that object is returned: use it.
 */
export function installLegacyClient(client: v1.DockerDesktopClient = globalClient(),
  options: LegacyClientOptions = {}): LegacyClient {
  if (client === null || typeof client !== "object") {
    throw new TypeError("installLegacyClient needs the Docker Desktop client object");
  }
  const silent = options.silent === true;
  const warned = new Set<string>();

  function member(old: string, replacement: string, returnsPromise: boolean, impl: AnyFunction): AnyFunction {
    return (...args: any[]) => {
      if (!silent && !warned.has(old)) {
        warned.add(old);
        console.warn("ddClient." + old + " is deprecated and will be removed from Docker Desktop; use ddClient." +
          replacement + " instead");
      }
      if (!returnsPromise) {
        return impl(...args);
      }
      try {
        return Promise.resolve(impl(...args));
      } catch (error) {
        return Promise.reject(error);
      }
    };
  }

  function vm(call: string): v1.ExtensionVM {
    const found = client.extension?.vm;
    if (found === undefined || found === null) {
      throw new Error("ddClient." + call + "() needs ddClient.extension.vm, which this client does not have: " +
        "the extension's metadata.json must have a vm section");
    }
    return found;
  }

  function service(call: string): v1.HttpService {
    const found = vm(call).service;
    if (found === undefined || found === null) {
      throw new Error("ddClient." + call + "() needs ddClient.extension.vm.service, which this client does not have: " +
        "the vm section of the extension's metadata.json must expose a socket");
    }
    return found;
  }

  function hostCli(call: string): v1.ExtensionCli {
    const found = client.extension?.host;
    if (found === undefined || found === null) {
      throw new Error("ddClient." + call + "() needs ddClient.extension.host, which this client does not have: " +
        "the extension's metadata.json must list the binary in its host section");
    }
    return found.cli;
  }

  const backendMembers: Record<string, AnyFunction> = {
    get: member("backend.get(url)", "extension.vm.service.get(url)", true,
      (url: string) => service("backend.get").get(url)),
    post: member("backend.post(url, data)", "extension.vm.service.post(url, data)", true,
      (url: string, data: any) => service("backend.post").post(url, data)),
    put: member("backend.put(url, data)", "extension.vm.service.put(url, data)", true,
      (url: string, data: any) => service("backend.put").put(url, data)),
    patch: member("backend.patch(url, data)", "extension.vm.service.patch(url, data)", true,
      (url: string, data: any) => service("backend.patch").patch(url, data)),
    delete: member("backend.delete(url)", "extension.vm.service.delete(url)", true,
      (url: string) => service("backend.delete").delete(url)),
    head: member("backend.head(url)", "extension.vm.service.head(url)", true,
      (url: string) => service("backend.head").head(url)),
    request: member("backend.request(config)", "extension.vm.service.request(config)", true,
      (config: v1.RequestConfig) => service("backend.request").request(config)),
    execInVMExtension: member("backend.execInVMExtension(cmd)", "extension.vm.cli.exec(cmd, args)", true,
      (cmd: unknown) => {
        const call = "backend.execInVMExtension";
        const argv = splitFor(call, cmd, "vm", false);
        if (argv.length === 0) {
          throw noCommand(call, String(cmd));
        }
        return vm(call).cli.exec(nth(argv, 0), argv.slice(1));
      }),
    spawnInVMExtension: member("backend.spawnInVMExtension(cmd, args, callback)",
      "extension.vm.cli.exec(cmd, args, { stream })", false,
      (cmd: string, args: string[], callback: LegacyCallback) => {
        const stream = streamFromCallback(callback);
        return vm("backend.spawnInVMExtension").cli.exec(cmd, args, { stream: stream });
      }),
    execInContainer: member("backend.execInContainer(container, cmd)",
      "docker.cli.exec(\"exec\", [container, cmd, ...args])", true,
      (container: unknown, cmd: unknown) => {
        const call = "backend.execInContainer";
        const argv = splitFor(call, cmd, "container", false);
        if (argv.length === 0) {
          throw noCommand(call, String(cmd));
        }
        if (typeof container !== "string" || container === "" || container.startsWith("-")) {
          // docker exec would read a leading `-` as an option, not as the container.
          throw new TypeError("ddClient." + call + " needs a container name or id, not " +
            JSON.stringify(container));
        }
        return client.docker.cli.exec("exec", [container, ...argv]);
      }),
  };

  const clientMembers: Record<string, AnyFunction> = {
    execHostCmd: member("execHostCmd(cmd)", "extension.host.cli.exec(cmd, args)", true,
      (cmd: unknown) => {
        const argv = splitFor("execHostCmd", cmd, "host", false);
        if (argv.length === 0) {
          throw noCommand("execHostCmd", String(cmd));
        }
        return hostCli("execHostCmd").exec(nth(argv, 0), argv.slice(1));
      }),
    spawnHostCmd: member("spawnHostCmd(cmd, args, callback)", "extension.host.cli.exec(cmd, args, { stream })", false,
      (cmd: string, args: string[], callback: LegacyCallback) => {
        const stream = streamFromCallback(callback);
        return hostCli("spawnHostCmd").exec(cmd, args, { stream: stream });
      }),
    execDockerCmd: member("execDockerCmd(cmd, ...args)", "docker.cli.exec(cmd, args)", true,
      (cmd: unknown, ...args: unknown[]) => {
        // v0 handed the command and each argument to a shell: each is split.
        const argv = splitFor("execDockerCmd", cmd, "docker", false);
        for (const arg of args) {
          argv.push(...splitFor("execDockerCmd", arg, "docker", true));
        }
        if (argv.length === 0) {
          throw noCommand("execDockerCmd", [cmd, ...args].map(String).join(" "));
        }
        return client.docker.cli.exec(nth(argv, 0), argv.slice(1));
      }),
    spawnDockerCmd: member("spawnDockerCmd(cmd, args, callback)", "docker.cli.exec(cmd, args, { stream })", false,
      (cmd: string, args: string[], callback: LegacyCallback) => {
        const stream = streamFromCallback(callback);
        return client.docker.cli.exec(cmd, args, { stream: stream });
      }),
    listContainers: member("listContainers(options)", "docker.listContainers(options)", true,
      (options?: any) => client.docker.listContainers(options)),
    listImages: member("listImages(options)", "docker.listImages(options)", true,
      (options?: any) => client.docker.listImages(options)),
    toastSuccess: member("toastSuccess(msg)", "desktopUI.toast.success(msg)", false,
      (msg: string) => client.desktopUI.toast.success(msg)),
    toastWarning: member("toastWarning(msg)", "desktopUI.toast.warning(msg)", false,
      (msg: string) => client.desktopUI.toast.warning(msg)),
    toastError: member("toastError(msg)", "desktopUI.toast.error(msg)", false,
      (msg: string) => client.desktopUI.toast.error(msg)),
    navigateToContainers: member("navigateToContainers()", "desktopUI.navigate.viewContainers()", false,
      () => client.desktopUI.navigate.viewContainers()),
    navigateToContainer: member("navigateToContainer(id)", "desktopUI.navigate.viewContainer(id)", true,
      (id: string) => client.desktopUI.navigate.viewContainer(id)),
    navigateToContainerLogs: member("navigateToContainerLogs(id)", "desktopUI.navigate.viewContainerLogs(id)", true,
      (id: string) => client.desktopUI.navigate.viewContainerLogs(id)),
    navigateToContainerInspect: member("navigateToContainerInspect(id)",
      "desktopUI.navigate.viewContainerInspect(id)", true,
      (id: string) => client.desktopUI.navigate.viewContainerInspect(id)),
    navigateToContainerStats: member("navigateToContainerStats(id)", "desktopUI.navigate.viewContainerStats(id)",
      true, (id: string) => client.desktopUI.navigate.viewContainerStats(id)),
    navigateToImages: member("navigateToImages()", "desktopUI.navigate.viewImages()", false,
      () => client.desktopUI.navigate.viewImages()),
    navigateToImage: member("navigateToImage(id, tag)", "desktopUI.navigate.viewImage(id, tag)", true,
      (id: string, tag: string) => client.desktopUI.navigate.viewImage(id, tag)),
    navigateToVolumes: member("navigateToVolumes()", "desktopUI.navigate.viewVolumes()", false,
      () => client.desktopUI.navigate.viewVolumes()),
    navigateToVolume: member("navigateToVolume(volume)", "desktopUI.navigate.viewVolume(volume)", false,
      (volume: string) => client.desktopUI.navigate.viewVolume(volume)),
    openExternal: member("openExternal(url)", "host.openExternal(url)", false,
      (url: string) => client.host.openExternal(url)),
  };

  const current = client as unknown as Record<string, unknown>;
  const missing: Record<string, unknown> = {};
  for (const name of Object.keys(clientMembers)) {
    if (current[name] === undefined || current[name] === null) {
      missing[name] = clientMembers[name];
    }
  }
  const oldBackend = current["backend"];
  if (oldBackend === undefined || oldBackend === null) {
    missing["backend"] = extend({}, backendMembers);
  } else if (typeof oldBackend === "object") {
    const backend = oldBackend as Record<string, unknown>;
    const lacking: Record<string, unknown> = {};
    for (const name of Object.keys(backendMembers)) {
      if (backend[name] === undefined || backend[name] === null) {
        lacking[name] = backendMembers[name];
      }
    }
    const extended = extend(backend, lacking);
    if (extended !== backend) {
      missing["backend"] = extended;
    }
  }
  return extend(client, missing) as unknown as LegacyClient;
}
