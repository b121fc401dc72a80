// The code editor: one CodeMirror 6 view, one saved EditorState per file (so
// each file keeps its own undo history, selection and scroll), Helm template
// highlighting, line numbers and the error markers of the last render.

import { EditorState, Compartment } from "@codemirror/state";
import {
  EditorView,
  keymap,
  lineNumbers,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  drawSelection,
  dropCursor,
  rectangularSelection,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  HighlightStyle,
  syntaxHighlighting,
  indentOnInput,
  bracketMatching,
  foldGutter,
  foldKeymap,
  indentUnit,
} from "@codemirror/language";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { lintGutter, setDiagnostics, lintKeymap } from "@codemirror/lint";
import { json } from "@codemirror/lang-json";
import { tags as t } from "@lezer/highlight";
import { helmTemplate } from "./helm-lang.js";

// Colours come from CSS variables, so switching the page's theme restyles
// every editor state without reconfiguring it.
const highlight = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword], color: "var(--hl-keyword)", fontWeight: "600" },
  { tag: [t.string, t.special(t.string)], color: "var(--hl-string)" },
  { tag: [t.number, t.atom, t.bool, t.null], color: "var(--hl-number)" },
  { tag: t.comment, color: "var(--hl-comment)", fontStyle: "italic" },
  { tag: t.propertyName, color: "var(--hl-property)" },
  { tag: t.special(t.variableName), color: "var(--hl-variable)" },
  { tag: t.function(t.variableName), color: "var(--hl-function)" },
  { tag: [t.brace, t.paren], color: "var(--hl-brace)", fontWeight: "600" },
  { tag: [t.meta, t.typeName, t.labelName], color: "var(--hl-meta)" },
  { tag: t.operator, color: "var(--hl-operator)" },
  { tag: t.punctuation, color: "var(--hl-punctuation)" },
]);

const theme = EditorView.theme({
  "&": { height: "100%", backgroundColor: "var(--editor-bg)", color: "var(--fg)" },
  ".cm-content": { caretColor: "var(--fg)", fontFamily: "var(--mono)" },
  ".cm-scroller": { fontFamily: "var(--mono)", lineHeight: "1.5" },
  ".cm-gutters": { backgroundColor: "var(--editor-gutter)", color: "var(--muted)", borderRight: "1px solid var(--border)" },
  ".cm-activeLine": { backgroundColor: "var(--editor-active)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--editor-active)" },
  "&.cm-focused .cm-cursor": { borderLeftColor: "var(--fg)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": {
    backgroundColor: "var(--editor-selection) !important",
  },
  ".cm-panels": { backgroundColor: "var(--panel)", color: "var(--fg)" },
  ".cm-tooltip": { backgroundColor: "var(--panel)", color: "var(--fg)", border: "1px solid var(--border)" },
});

function languageFor(key) {
  return /\.json$/i.test(key) ? json() : helmTemplate;
}

/** A 1-based line and column as a document range for a marker. */
function rangeAt(doc, line, column) {
  const n = Math.min(Math.max(line || 1, 1), doc.lines);
  const l = doc.line(n);
  if (!column) return { from: l.from, to: Math.max(l.to, l.from) };
  // Columns count bytes in Go; for the ASCII common case that is characters.
  const from = Math.min(l.from + column - 1, l.to);
  const word = /^[^\s]+/.exec(doc.sliceString(from, l.to));
  return { from, to: Math.min(l.to, from + Math.max(word ? word[0].length : 1, 1)) };
}

export class Editor {
  /**
   * @param {HTMLElement} parent
   * @param {{ onChange: (key: string, text: string) => void }} hooks
   */
  constructor(parent, { onChange }) {
    this.onChange = onChange;
    this.states = new Map();
    this.diagnostics = new Map();
    this.key = null;
    this.readOnly = new Compartment();
    this.view = new EditorView({ parent, state: this.createState(null, "") });
  }

  createState(key, content) {
    const binary = typeof content !== "string";
    const text = binary ? `Binary file, ${content.length} bytes: it is kept as is, rendered and exported.` : content;
    return EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightSpecialChars(),
        history(),
        foldGutter(),
        drawSelection(),
        dropCursor(),
        EditorState.allowMultipleSelections.of(true),
        indentOnInput(),
        indentUnit.of("  "),
        syntaxHighlighting(highlight),
        bracketMatching(),
        rectangularSelection(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        lintGutter(),
        keymap.of([...defaultKeymap, ...searchKeymap, ...historyKeymap, ...foldKeymap, ...lintKeymap, indentWithTab]),
        languageFor(key ?? ""),
        theme,
        this.readOnly.of(EditorState.readOnly.of(binary || key === null)),
        EditorView.contentAttributes.of({ "aria-label": key ? `Editor: ${key}` : "Editor" }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && this.key !== null) {
            this.onChange(this.key, update.state.doc.toString());
          }
        }),
      ],
    });
  }

  /** Shows the file `key` with `content`, keeping its earlier state when the text is unchanged. */
  open(key, content) {
    if (this.key !== null) this.states.set(this.key, this.view.state);
    let state = key === null ? null : this.states.get(key);
    const same = state && typeof content === "string" && state.doc.toString() === content;
    if (!same) state = this.createState(key, content ?? "");
    this.key = key;
    this.view.setState(state);
    this.applyDiagnostics();
  }

  /** Replaces the text of the open file from outside (no change event). */
  reload(content) {
    if (this.key === null) return;
    this.open(this.key, content);
  }

  /** Forgets saved states (after deletes, renames or a new workspace). */
  forget(keys) {
    for (const key of keys ?? [...this.states.keys()]) this.states.delete(key);
    if (!keys) this.key = null;
  }

  renameState(from, to) {
    const state = this.states.get(from);
    if (state) {
      this.states.delete(from);
      this.states.set(to, state);
    }
    if (this.key === from) this.key = to;
  }

  /**
   * Error markers by file: `Map<key, {line, column, message, severity}[]>`.
   * Replaces all earlier markers.
   */
  setMarkers(byKey) {
    this.diagnostics = byKey;
    this.applyDiagnostics();
  }

  applyDiagnostics() {
    const state = this.view.state;
    const markers = (this.key !== null && this.diagnostics.get(this.key)) || [];
    const diagnostics = markers.map((m) => ({
      ...rangeAt(state.doc, m.line, m.column),
      severity: m.severity ?? "error",
      message: m.message,
    }));
    this.view.dispatch(setDiagnostics(state, diagnostics));
  }

  /** Moves the cursor to a 1-based line and column and focuses the editor. */
  goto(line, column) {
    const { from } = rangeAt(this.view.state.doc, line, column);
    this.view.dispatch({ selection: { anchor: from }, effects: EditorView.scrollIntoView(from, { y: "center" }) });
    this.view.focus();
  }

  focus() {
    this.view.focus();
  }
}
