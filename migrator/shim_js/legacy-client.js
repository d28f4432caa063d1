/**
 * legacy-client: the deprecated Docker Desktop extension client API (v0), put back on top of
 * the current API (v1), for code that cannot be migrated yet.
 *
 *     import { installLegacyClient } from "./legacy-client.js";
 *     installLegacyClient(); // before any code that still calls a v0 member
 *
 * Every v0 member the client lacks is added: it calls its v1 replacement and, the first time,
 * warns through console.warn with the exact replacement (`{ silent: true }` turns that off).
 * Members the client still has are left untouched. A v0 command string was run by a shell; v1
 * exec runs none, so the string is split the way a POSIX shell splits plain words (quotes and
 * escapes removed), and a string that needs a shell for more (a pipe, `&&`, a redirection,
 * `$VAR`, a glob...) is refused with an error naming what it relies on, rather than run as
 * something different. The module has no runtime dependency: its types (JSDoc) come from
 * @docker/extension-api-client-types.
 */

/**
 * @typedef {import("@docker/extension-api-client-types").v1.DockerDesktopClient} V1Client
 * @typedef {import("@docker/extension-api-client-types").v1.ExecStreamOptions} ExecStreamOptions
 * @typedef {import("@docker/extension-api-client-types").v1.ExtensionVM} ExtensionVM
 * @typedef {import("@docker/extension-api-client-types").v1.ExtensionCli} ExtensionCli
 * @typedef {import("@docker/extension-api-client-types").v1.HttpService} HttpService
 * @typedef {import("@docker/extension-api-client-types").v1.RequestConfig} RequestConfig
 */

/**
 * A v0 spawn callback: `data` carries a `stdout` or `stderr` chunk, then `{ code }` when the process ends; `error` is set on failure.
 * @typedef {(data: any, error: any) => void} LegacyCallback
 */

/**
 * Options of {@link installLegacyClient}.
 * @typedef {object} LegacyClientOptions
 * @property {boolean} [silent] Do not warn through console.warn when a deprecated member is called.
 */

/**
 * The v1 client with the deprecated v0 members back (and a backend that is always there).
 * @typedef {import("@docker/extension-api-client-types").v1Hybrid.DockerDesktopClient
 *   & { readonly backend: import("@docker/extension-api-client-types").v1Hybrid.BackendV0 }} LegacyClient
 */

/**
 * One reason a command string needs a shell.
 * @typedef {object} ShellProblem
 * @property {"operator" | "expansion" | "syntax"} kind
 * @property {string} text The offending text, as written.
 * @property {number} start Where it starts, in code points of the command string.
 * @property {number} end Where it ends (exclusive).
 * @property {string} message
 */

/**
 * The words a POSIX shell builds from a command string, and what it would have done besides.
 * @typedef {object} ShellAnalysis
 * @property {string[]} words
 * @property {ShellProblem[]} problems
 */

/** A command string that cannot become one argv without a shell. */
export class ShellCommandError extends Error {
  /**
   * @param {string} message
   * @param {string} command
   * @param {ShellProblem[]} problems
   */
  constructor(message, command, problems) {
    super(message);
    this.name = "ShellCommandError";
    /** @readonly The command string. */
    this.command = command;
    /** @readonly Everything in it that needs a shell. */
    this.problems = problems;
  }
}

/**
 * Stream options for v1 `exec(cmd, args, { stream })` that call a v0 `(data, error)` callback
 * with the shapes v0 used: output chunks as data, errors as the second argument, and
 * `{ code }` when the process ends.
 * @param {LegacyCallback} callback
 * @returns {ExecStreamOptions}
 */
export function streamFromCallback(callback) {
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

/**
 * @typedef {[string, number]} Item
 * @typedef {"" | "'" | '"' | "\\" | "$"} Quote
 * @typedef {{ value: string, start: number, end: number, quote: Quote }} Atom
 * @typedef {{ start: number, group: number, atoms: Atom[], end: number, quoted: boolean }} RawWord
 */

const UNQUOTED = "";
const SQ = "'";
const DQ = '"';
const ESCAPED = "\\";
const RAW = "$";

const LITERAL_TAIL = "v1 exec runs no shell, so it would reach the program as a literal argument";

/** @type {Record<string, string>} */
const OPERATOR_WHAT = {
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

/**
 * list[k], for an index known to be in range.
 * @template T
 * @param {readonly T[]} list
 * @param {number} k
 * @returns {T}
 */
function nth(list, k) {
  const value = list[k];
  if (value === undefined) {
    throw new RangeError("index " + k + " out of range");
  }
  return value;
}

/**
 * @param {string} text
 * @returns {string}
 */
function operatorMessage(text) {
  const core = text.replace(/^[0-9]+/, "");
  const what = OPERATOR_WHAT[core] ?? "is a shell redirection";
  return "`" + text + "` " + what + "; " + LITERAL_TAIL;
}

/**
 * @param {RawWord} word
 * @param {string} value
 * @param {number} start
 * @param {number} end
 * @param {Quote} quote
 */
function addAtom(word, value, start, end, quote) {
  word.atoms.push({ value: value, start: start, end: end, quote: quote });
  word.end = Math.max(word.end, end);
}

/**
 * Remove backslash-newline pairs outside single quotes, as the shell does before anything else.
 * @param {Item[]} items
 * @returns {Item[]}
 */
function dropLineContinuations(items) {
  /** @type {Item[]} */
  const out = [];
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

/**
 * Tokenise the items into raw words and problems (sh rules for plain words).
 * @param {Item[]} items
 * @param {number} textEnd
 * @returns {{ words: RawWord[]; problems: ShellProblem[] }}
 */
function scan(items, textEnd) {
  /** @type {RawWord[]} */
  const words = [];
  /** @type {ShellProblem[]} */
  const problems = [];
  let i = 0;
  /** @type {RawWord | null} */
  let word = null;
  let group = 0;
  /** @type {number | null} */
  let pendingNewline = null;
  let seenContent = false;
  let afterOperator = false;

  /**
   * @param {number} k
   * @returns {string | null}
   */
  function peek(k) {
    return i + k < items.length ? nth(items, i + k)[0] : null;
  }

  /**
   * @param {number} k
   * @returns {number}
   */
  function offset(k) {
    return i + k < items.length ? nth(items, i + k)[1] : textEnd;
  }

  /**
   * @param {number} j
   * @returns {number}
   */
  function endOffset(j) {
    return nth(items, j)[1] + 1;
  }

  /**
   * @param {number} from
   * @param {number} to
   * @returns {string}
   */
  function textOf(from, to) {
    return items.slice(from, to).map((item) => item[0]).join("");
  }

  /**
   * @param {ShellProblem["kind"]} kind
   * @param {string} text
   * @param {number} start
   * @param {number} end
   * @param {string} message
   */
  function problem(kind, text, start, end, message) {
    problems.push({ kind: kind, text: text, start: start, end: end, message: message });
  }

  /**
   * A word or an operator starts: a newline before it separated two commands.
   * @param {boolean} isOperator
   */
  function content(isOperator) {
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

  /**
   * @param {number} start
   * @returns {RawWord}
   */
  function ensureWord(start) {
    if (word === null) {
      content(false);
      word = { start: start, group: group, atoms: [], end: start, quoted: false };
    }
    return word;
  }

  function endWord() {
    if (word !== null) {
      words.push(word);
      word = null;
    }
  }

  /**
   * Add item i+k to the current word with the given quoting.
   * @param {Quote} quote
   * @param {number} k
   */
  function add(quote, k) {
    const item = nth(items, i + k);
    addAtom(ensureWord(item[1]), item[0], item[1], item[1] + 1, quote);
  }

  function step() {
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

  function singleQuote() {
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

  function doubleQuote() {
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

  /**
   * @param {string} text
   * @param {number} start
   * @param {string} what
   */
  function unterminated(text, start, what) {
    problem("syntax", text, start, start + text.length,
      "`" + text + "` opens a " + what + " that is never closed, so a shell would reject the command");
  }

  function backslash() {
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

  function dqBackslash() {
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

  /**
   * @param {Quote} quote
   */
  function dollar(quote) {
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

  /**
   * @param {number} j
   */
  function expansionSpan(j) {
    const start = offset(0);
    const text = textOf(i, j);
    problem("expansion", text, start, endOffset(j - 1),
      "`" + text + "` is expanded by the shell; v1 exec runs no shell, so the program would receive " +
      "the literal text `" + text + "`");
    rawSpan(j);
  }

  /**
   * Report a delimited construct (`${..}`, `$(..)`...) that ends before item j.
   * @param {number | null} j
   * @param {ShellProblem["kind"]} kind
   * @param {string} opener
   * @param {string} what
   */
  function spanConstruct(j, kind, opener, what) {
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

  /**
   * Keep an already reported construct in its word as the literal text v1 would pass.
   * @param {number} j
   */
  function rawSpan(j) {
    while (i < j) {
      add(RAW, 0);
      i += 1;
    }
  }

  /**
   * The index after the closer that matches the opener at item j, skipping quotes.
   * @param {number} from
   * @param {string} opener
   * @param {string} closer
   * @returns {number | null}
   */
  function matchCloser(from, opener, closer) {
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

  /**
   * The index after the quote that closes the one at item j.
   * @param {number} j
   * @param {string} quote
   * @returns {number | null}
   */
  function matchQuote(j, quote) {
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

  function backtick() {
    let j = i + 1;
    while (j < items.length && nth(items, j)[0] !== "`") {
      j += nth(items, j)[0] === "\\" ? 2 : 1;
    }
    spanConstruct(j < items.length ? j + 1 : null, "operator", "`",
      "command substitution (it runs another command)");
  }

  function comment() {
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

  function operator() {
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

  /**
   * @returns {string}
   */
  function matchOperator() {
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

/**
 * @param {RawWord} word
 * @returns {boolean}
 */
function isIoNumber(word) {
  return !word.quoted && word.atoms.length > 0 && word.atoms.every((atom) => /^[0-9]$/.test(atom.value));
}

/**
 * @param {Atom} atom
 * @param {string} chars
 * @returns {boolean}
 */
function plain(atom, chars) {
  return atom.quote === UNQUOTED && chars.includes(atom.value);
}

/**
 * @param {Atom[]} atoms
 * @returns {string}
 */
function atomsText(atoms) {
  return atoms.map((atom) => atom.value).join("");
}

/**
 * @param {Atom[]} atoms
 * @param {string} what
 * @returns {ShellProblem}
 */
function expansion(atoms, what) {
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

/**
 * @param {Atom[]} atoms
 * @returns {ShellProblem[]}
 */
function globProblems(atoms) {
  /** @type {ShellProblem[]} */
  const found = [];
  // Conservative: any later `]` in the word may close a bracket expression.
  /** @type {number | null} */
  let close = null;
  /** @type {(number | null)[]} */
  const nextClose = atoms.map(() => null);
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

/**
 * Bash brace expansion: an unquoted `{...}` that holds an unquoted `,` or `..`.
 * @param {Atom[]} atoms
 * @returns {ShellProblem[]}
 */
function braceProblems(atoms) {
  /** @type {ShellProblem[]} */
  const found = [];
  /** @type {number[]} */
  const stack = [];
  /** @type {[number, number][]} */
  const pairs = [];
  atoms.forEach((atom, k) => {
    if (plain(atom, "{")) {
      stack.push(k);
    } else if (plain(atom, "}") && stack.length > 0) {
      pairs.push([/** @type {number} */ (stack.pop()), k]);
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

/**
 * `~` at the start of a word, and (as bash does) after `=` or `:` in an assignment-shaped word.
 * @param {Atom[]} atoms
 * @returns {ShellProblem[]}
 */
function tildeProblems(atoms) {
  /** @type {ShellProblem[]} */
  const found = [];
  if (atoms.length > 0 && plain(nth(atoms, 0), "~")) {
    /** @type {Atom[]} */
    const prefix = [];
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

/**
 * NAME when the word reads as `NAME=value` with NAME unquoted, else null.
 * @param {Atom[]} atoms
 * @returns {string | null}
 */
function assignmentName(atoms) {
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

/**
 * Leading `NAME=value` words are assignments; the first real word may be a reserved word.
 * @param {RawWord[]} words
 * @returns {ShellProblem[]}
 */
function commandPositionProblems(words) {
  /** @type {ShellProblem[]} */
  const found = [];
  /** @type {Set<number>} */
  const seenGroups = new Set();
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
 * @param {string} command
 * @returns {ShellAnalysis}
 */
export function analyseCommand(command) {
  const chars = Array.from(command);
  /** @type {Item[]} */
  const items = chars.map((ch, k) => [ch, k]);
  const scanned = scan(dropLineContinuations(items), chars.length);
  const all = scanned.problems.slice();
  for (const word of scanned.words) {
    all.push(...globProblems(word.atoms), ...braceProblems(word.atoms), ...tildeProblems(word.atoms));
  }
  all.push(...commandPositionProblems(scanned.words));
  // The same problem may be found twice: keep the first, then order by position.
  /** @type {Set<string>} */
  const seen = new Set();
  const problems = all.filter((p) => {
    const key = JSON.stringify([p.kind, p.text, p.start, p.end, p.message]);
    const fresh = !seen.has(key);
    seen.add(key);
    return fresh;
  });
  problems.sort((a, b) => a.start - b.start || a.end - b.end);
  return { words: scanned.words.map((word) => atomsText(word.atoms)), problems: problems };
}

/**
 * The problem that explains a refusal: a syntax error, else an operator, else an expansion.
 * @param {ShellProblem[]} problems
 * @returns {ShellProblem}
 */
function firstProblem(problems) {
  for (const kind of ["syntax", "operator", "expansion"]) {
    const found = problems.find((p) => p.kind === kind);
    if (found !== undefined) {
      return found;
    }
  }
  return nth(problems, 0);
}

/**
 * Why a command needs a shell: its first problem, and how many more there are.
 * @param {ShellProblem[]} problems
 * @returns {string}
 */
function explain(problems) {
  const more = problems.length - 1;
  const suffix = more > 0 ? " (and " + more + " more problem" + (more > 1 ? "s" : "") + ")" : "";
  return firstProblem(problems).message + suffix;
}

/**
 * Split a command string into argv exactly as `sh` would, or throw a {@link ShellCommandError}
 * that names the text needing a shell (a syntax error wins over an operator, which wins over
 * an expansion).
 * @param {string} command
 * @returns {string[]}
 */
export function splitCommand(command) {
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

/** @typedef {(...args: any[]) => any} AnyFunction */

/**
 * Where a command runs decides the advice: never suggest `sh -c` for the host, which may be Windows.
 * @typedef {"vm" | "container" | "host" | "docker"} Place
 */

/**
 * @param {string} call
 * @param {unknown} value
 * @returns {string}
 */
function commandString(call, value) {
  if (typeof value === "string") {
    return value;
  }
  if (typeof value === "number") {
    return String(value);
  }
  throw new TypeError("ddClient." + call + " takes a command string, not " +
    (value === null ? "null" : typeof value));
}

/**
 * argv for a v0 command string; `argument` reads it as a later argument (no command position).
 * @param {string} call
 * @param {unknown} value
 * @param {Place} place
 * @param {boolean} argument
 * @returns {string[]}
 */
function splitFor(call, value, place, argument) {
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

/**
 * @param {string} call
 * @param {string} command
 * @returns {ShellCommandError}
 */
function noCommand(call, command) {
  return new ShellCommandError("ddClient." + call + " was given no command: " + JSON.stringify(command) +
    " holds no words", command, []);
}

/**
 * @returns {V1Client}
 */
function globalClient() {
  const found = /** @type {{ ddClient?: V1Client }} */ (globalThis).ddClient;
  if (found === undefined || found === null) {
    throw new Error("installLegacyClient: window.ddClient is not defined; run inside Docker Desktop or pass the client");
  }
  return found;
}

/**
 * Define the members on obj, or on a new object that inherits from it when it is frozen or sealed.
 * @param {object} obj
 * @param {Record<string, unknown>} members
 * @returns {object}
 */
function extend(obj, members) {
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
 * @param {V1Client} [client] The Docker Desktop client; by default window.ddClient.
 * @param {LegacyClientOptions} [options]
 * @returns {LegacyClient}
 */
export function installLegacyClient(client = globalClient(), options = {}) {
  if (client === null || typeof client !== "object") {
    throw new TypeError("installLegacyClient needs the Docker Desktop client object");
  }
  const silent = options.silent === true;
  /** @type {Set<string>} */
  const warned = new Set();

  /**
   * @param {string} old
   * @param {string} replacement
   * @param {boolean} returnsPromise
   * @param {AnyFunction} impl
   * @returns {AnyFunction}
   */
  function member(old, replacement, returnsPromise, impl) {
    return (/** @type {any[]} */ ...args) => {
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

  /**
   * @param {string} call
   * @returns {ExtensionVM}
   */
  function vm(call) {
    const found = client.extension?.vm;
    if (found === undefined || found === null) {
      throw new Error("ddClient." + call + "() needs ddClient.extension.vm, which this client does not have: " +
        "the extension's metadata.json must have a vm section");
    }
    return found;
  }

  /**
   * @param {string} call
   * @returns {HttpService}
   */
  function service(call) {
    const found = vm(call).service;
    if (found === undefined || found === null) {
      throw new Error("ddClient." + call + "() needs ddClient.extension.vm.service, which this client does not have: " +
        "the vm section of the extension's metadata.json must expose a socket");
    }
    return found;
  }

  /**
   * @param {string} call
   * @returns {ExtensionCli}
   */
  function hostCli(call) {
    const found = client.extension?.host;
    if (found === undefined || found === null) {
      throw new Error("ddClient." + call + "() needs ddClient.extension.host, which this client does not have: " +
        "the extension's metadata.json must list the binary in its host section");
    }
    return found.cli;
  }

  /** @type {Record<string, AnyFunction>} */
  const backendMembers = {
    get: member("backend.get(url)", "extension.vm.service.get(url)", true,
      (/** @type {string} */ url) => service("backend.get").get(url)),
    post: member("backend.post(url, data)", "extension.vm.service.post(url, data)", true,
      (/** @type {string} */ url, /** @type {any} */ data) => service("backend.post").post(url, data)),
    put: member("backend.put(url, data)", "extension.vm.service.put(url, data)", true,
      (/** @type {string} */ url, /** @type {any} */ data) => service("backend.put").put(url, data)),
    patch: member("backend.patch(url, data)", "extension.vm.service.patch(url, data)", true,
      (/** @type {string} */ url, /** @type {any} */ data) => service("backend.patch").patch(url, data)),
    delete: member("backend.delete(url)", "extension.vm.service.delete(url)", true,
      (/** @type {string} */ url) => service("backend.delete").delete(url)),
    head: member("backend.head(url)", "extension.vm.service.head(url)", true,
      (/** @type {string} */ url) => service("backend.head").head(url)),
    request: member("backend.request(config)", "extension.vm.service.request(config)", true,
      (/** @type {RequestConfig} */ config) => service("backend.request").request(config)),
    execInVMExtension: member("backend.execInVMExtension(cmd)", "extension.vm.cli.exec(cmd, args)", true,
      (/** @type {unknown} */ cmd) => {
        const call = "backend.execInVMExtension";
        const argv = splitFor(call, cmd, "vm", false);
        if (argv.length === 0) {
          throw noCommand(call, String(cmd));
        }
        return vm(call).cli.exec(nth(argv, 0), argv.slice(1));
      }),
    spawnInVMExtension: member("backend.spawnInVMExtension(cmd, args, callback)",
      "extension.vm.cli.exec(cmd, args, { stream })", false,
      (/** @type {string} */ cmd, /** @type {string[]} */ args, /** @type {LegacyCallback} */ callback) => {
        const stream = streamFromCallback(callback);
        return vm("backend.spawnInVMExtension").cli.exec(cmd, args, { stream: stream });
      }),
    execInContainer: member("backend.execInContainer(container, cmd)",
      "docker.cli.exec(\"exec\", [container, cmd, ...args])", true,
      (/** @type {unknown} */ container, /** @type {unknown} */ cmd) => {
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

  /** @type {Record<string, AnyFunction>} */
  const clientMembers = {
    execHostCmd: member("execHostCmd(cmd)", "extension.host.cli.exec(cmd, args)", true,
      (/** @type {unknown} */ cmd) => {
        const argv = splitFor("execHostCmd", cmd, "host", false);
        if (argv.length === 0) {
          throw noCommand("execHostCmd", String(cmd));
        }
        return hostCli("execHostCmd").exec(nth(argv, 0), argv.slice(1));
      }),
    spawnHostCmd: member("spawnHostCmd(cmd, args, callback)", "extension.host.cli.exec(cmd, args, { stream })", false,
      (/** @type {string} */ cmd, /** @type {string[]} */ args, /** @type {LegacyCallback} */ callback) => {
        const stream = streamFromCallback(callback);
        return hostCli("spawnHostCmd").exec(cmd, args, { stream: stream });
      }),
    execDockerCmd: member("execDockerCmd(cmd, ...args)", "docker.cli.exec(cmd, args)", true,
      (/** @type {unknown} */ cmd, /** @type {unknown[]} */ ...args) => {
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
      (/** @type {string} */ cmd, /** @type {string[]} */ args, /** @type {LegacyCallback} */ callback) => {
        const stream = streamFromCallback(callback);
        return client.docker.cli.exec(cmd, args, { stream: stream });
      }),
    listContainers: member("listContainers(options)", "docker.listContainers(options)", true,
      (/** @type {any=} */ options) => client.docker.listContainers(options)),
    listImages: member("listImages(options)", "docker.listImages(options)", true,
      (/** @type {any=} */ options) => client.docker.listImages(options)),
    toastSuccess: member("toastSuccess(msg)", "desktopUI.toast.success(msg)", false,
      (/** @type {string} */ msg) => client.desktopUI.toast.success(msg)),
    toastWarning: member("toastWarning(msg)", "desktopUI.toast.warning(msg)", false,
      (/** @type {string} */ msg) => client.desktopUI.toast.warning(msg)),
    toastError: member("toastError(msg)", "desktopUI.toast.error(msg)", false,
      (/** @type {string} */ msg) => client.desktopUI.toast.error(msg)),
    navigateToContainers: member("navigateToContainers()", "desktopUI.navigate.viewContainers()", false,
      () => client.desktopUI.navigate.viewContainers()),
    navigateToContainer: member("navigateToContainer(id)", "desktopUI.navigate.viewContainer(id)", true,
      (/** @type {string} */ id) => client.desktopUI.navigate.viewContainer(id)),
    navigateToContainerLogs: member("navigateToContainerLogs(id)", "desktopUI.navigate.viewContainerLogs(id)", true,
      (/** @type {string} */ id) => client.desktopUI.navigate.viewContainerLogs(id)),
    navigateToContainerInspect: member("navigateToContainerInspect(id)",
      "desktopUI.navigate.viewContainerInspect(id)", true,
      (/** @type {string} */ id) => client.desktopUI.navigate.viewContainerInspect(id)),
    navigateToContainerStats: member("navigateToContainerStats(id)", "desktopUI.navigate.viewContainerStats(id)",
      true, (/** @type {string} */ id) => client.desktopUI.navigate.viewContainerStats(id)),
    navigateToImages: member("navigateToImages()", "desktopUI.navigate.viewImages()", false,
      () => client.desktopUI.navigate.viewImages()),
    navigateToImage: member("navigateToImage(id, tag)", "desktopUI.navigate.viewImage(id, tag)", true,
      (/** @type {string} */ id, /** @type {string} */ tag) => client.desktopUI.navigate.viewImage(id, tag)),
    navigateToVolumes: member("navigateToVolumes()", "desktopUI.navigate.viewVolumes()", false,
      () => client.desktopUI.navigate.viewVolumes()),
    navigateToVolume: member("navigateToVolume(volume)", "desktopUI.navigate.viewVolume(volume)", false,
      (/** @type {string} */ volume) => client.desktopUI.navigate.viewVolume(volume)),
    openExternal: member("openExternal(url)", "host.openExternal(url)", false,
      (/** @type {string} */ url) => client.host.openExternal(url)),
  };

  const current = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (client));
  /** @type {Record<string, unknown>} */
  const missing = {};
  for (const name of Object.keys(clientMembers)) {
    if (current[name] === undefined || current[name] === null) {
      missing[name] = clientMembers[name];
    }
  }
  const oldBackend = current["backend"];
  if (oldBackend === undefined || oldBackend === null) {
    missing["backend"] = extend({}, backendMembers);
  } else if (typeof oldBackend === "object") {
    const backend = /** @type {Record<string, unknown>} */ (oldBackend);
    /** @type {Record<string, unknown>} */
    const lacking = {};
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
  return /** @type {LegacyClient} */ (/** @type {unknown} */ (extend(client, missing)));
}
