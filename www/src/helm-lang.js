// Highlighting for Helm templates: YAML text with Go text/template actions
// (`{{ … }}`, `{{- … -}}`, `{{/* … */}}`) anywhere in it, including inside
// quoted YAML strings and comments. A CodeMirror stream parser: line based,
// so it stays fast on large files.

import { StreamLanguage } from "@codemirror/language";

const CONTROL = new Set(["if", "else", "end", "range", "with", "define", "template", "block", "break", "continue"]);
const ATOMS = new Set(["true", "false", "nil"]);
const YAML_ATOM = /^(?:true|false|yes|no|on|off|null|~)$/i;
const YAML_NUMBER = /^[-+]?(?:\d[\d_]*(?:\.\d*)?(?:e[-+]?\d+)?|0x[0-9a-f]+|0o[0-7]+|\.inf|\.nan)$/i;

function startState() {
  return {
    action: false, // inside {{ … }}
    comment: false, // inside /* … */ of an action
    raw: false, // inside a `raw string` of an action
    quote: null, // inside a YAML quoted string: its quote character
    blockIndent: -1, // indentation of a YAML block scalar (| or >) being read
    afterIndicator: false, // the line just ended with | or >
  };
}

function copyState(s) {
  return { ...s };
}

/** Tokens inside `{{ … }}`. */
function actionToken(stream, state) {
  if (state.comment) {
    if (stream.skipTo("*/")) {
      stream.pos += 2;
      state.comment = false;
    } else stream.skipToEnd();
    return "comment";
  }
  if (state.raw) {
    if (stream.skipTo("`")) {
      stream.next();
      state.raw = false;
    } else stream.skipToEnd();
    return "string";
  }
  if (stream.match(/^\s*-?}}/)) {
    state.action = false;
    return "brace";
  }
  if (stream.eatSpace()) return null;
  if (stream.match("/*")) {
    state.comment = true;
    return "comment";
  }
  if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return "string";
  if (stream.match(/^'(?:[^'\\]|\\.)*'?/)) return "string";
  if (stream.eat("`")) {
    state.raw = true;
    return actionToken(stream, state);
  }
  if (stream.match(/^\$[\w]*/)) return "variableName.special";
  if (stream.match(/^(?:\.[A-Za-z_]\w*)+/) || stream.match(/^\.(?![\w])/)) return "propertyName";
  if (stream.match(/^[-+]?(?:0x[0-9a-fA-F_]+|\d[\d_]*(?:\.\d+)?(?:[eE][-+]?\d+)?)/)) return "number";
  const word = stream.match(/^[A-Za-z_]\w*/);
  if (word) {
    if (CONTROL.has(word[0])) return "controlKeyword";
    if (ATOMS.has(word[0])) return "atom";
    return "variableName.function";
  }
  if (stream.match(":=") || stream.match("=") || stream.eat("|")) return "operator";
  if (stream.eat("(") || stream.eat(")")) return "paren";
  stream.next();
  return null;
}

function openAction(stream, state) {
  if (stream.match(/^{{-?/)) {
    state.action = true;
    return true;
  }
  return false;
}

/** Reads up to (not including) the next `{{`, or to the end of the line. */
function skipToAction(stream) {
  const rest = stream.string.indexOf("{{", stream.pos);
  if (rest < 0 || rest === stream.pos) stream.skipToEnd();
  else stream.pos = rest;
}

/** Tokens of the YAML text around actions. */
function yamlToken(stream, state) {
  if (stream.sol()) {
    const indent = stream.indentation();
    if (state.afterIndicator) {
      state.blockIndent = stream.string.trim() === "" ? -1 : indent;
      state.afterIndicator = false;
      if (state.blockIndent <= 0) state.blockIndent = -1;
    } else if (state.blockIndent >= 0 && stream.string.trim() !== "" && indent < state.blockIndent) {
      state.blockIndent = -1;
    }
  }
  if (openAction(stream, state)) return "brace";
  if (state.blockIndent >= 0) {
    skipToAction(stream);
    return "string";
  }
  if (state.quote) {
    const q = state.quote;
    while (!stream.eol()) {
      if (stream.string.startsWith("{{", stream.pos)) return "string";
      const ch = stream.next();
      if (q === '"' && ch === "\\") stream.next();
      else if (ch === q) {
        if (q === "'" && stream.peek() === "'") stream.next();
        else {
          state.quote = null;
          break;
        }
      }
    }
    return "string";
  }
  if (stream.sol() && stream.match(/^(?:---|\.\.\.)(?=\s|$)/)) return "meta";
  if (stream.eatSpace()) return null;
  const ch = stream.peek();
  if (ch === "#" && (stream.pos === 0 || /\s/.test(stream.string[stream.pos - 1]))) {
    skipToAction(stream);
    return "comment";
  }
  if (ch === '"' || ch === "'") {
    stream.next();
    state.quote = ch;
    return yamlToken(stream, state);
  }
  if (stream.match(/^-(?=\s|$)/)) return "punctuation";
  if (stream.match(/^[|>][-+0-9]*(?=\s*(?:#.*)?$)/)) {
    state.afterIndicator = true;
    return "operator";
  }
  if (stream.match(/^[&*][^\s,[\]{}]+/)) return "labelName";
  if (stream.match(/^!!?[\w/.-]*/)) return "typeName";
  // A mapping key: text up to ": " (or ":" at the end), with no action in it.
  const key = stream.match(/^[^\s#'"{][^#{]*?(?=:(?:\s|$))/);
  if (key) return "propertyName";
  if (stream.eat(":")) return "punctuation";
  // A plain scalar, up to a comment or an action.
  const start = stream.pos;
  while (!stream.eol()) {
    if (stream.string.startsWith("{{", stream.pos)) break;
    if (stream.peek() === "#" && /\s/.test(stream.string[stream.pos - 1])) break;
    stream.next();
  }
  if (stream.pos === start) {
    stream.next();
    return null;
  }
  const text = stream.string.slice(start, stream.pos).trim();
  if (YAML_NUMBER.test(text)) return "number";
  if (YAML_ATOM.test(text)) return "atom";
  return null;
}

/** YAML with Go template actions (templates, values, NOTES.txt, helpers). */
export const helmTemplate = StreamLanguage.define({
  name: "helm",
  startState,
  copyState,
  token(stream, state) {
    return state.action ? actionToken(stream, state) : yamlToken(stream, state);
  },
  blankLine(state) {
    if (state.afterIndicator) return;
  },
  languageData: { commentTokens: { line: "#" }, indentOnInput: /^\s*-?\s*$/ },
});
