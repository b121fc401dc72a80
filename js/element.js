// <chartroom-example>: a live, editable Helm example for documentation pages.
// No framework: import it once (`import "chartroom/element"`) and wrap the
// files of a small chart in the element:
//
//   <chartroom-example release-name="demo">
//     <script type="text/x-helm" data-file="templates/configmap.yaml">
//       apiVersion: v1
//       kind: ConfigMap
//       metadata:
//         name: {{ .Release.Name }}-config
//       data:
//         greeting: {{ .Values.greeting | quote }}
//     </script>
//     <script type="text/x-yaml" data-file="values.yaml">
//       greeting: Hello
//     </script>
//   </chartroom-example>
//
// Any child with `data-file` is a chart file (its text is dedented); a child
// with `data-values` is a user values file (`-f`). A Chart.yaml is made up when
// none is given. Readers edit the files and see `helm template`'s output
// (or its error) as they type. Attributes: release-name, namespace,
// kube-version, chart-name, include-crds, show-only, readonly, output
// ("stream", the default, or "notes"). Events: `chartroom-render` (detail:
// the RenderResult) and `chartroom-error` (detail: the ChartroomError).

import { init, renderChart } from "./index.js";

const MAX_STEPS = 1_000_000;
let ready = null;

/** Loads the WebAssembly module once for every element on the page. */
function ensureInit() {
  ready ??= init();
  return ready;
}

/** Text of a child element without the indentation HTML authors give it. */
export function dedent(text) {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  while (lines.length && lines[0].trim() === "") lines.shift();
  while (lines.length && lines[lines.length - 1].trim() === "") lines.pop();
  const indents = lines.filter((l) => l.trim() !== "").map((l) => l.length - l.trimStart().length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join("\n") + (lines.length ? "\n" : "");
}

const STYLE = `
:host {
  display: block;
  --chartroom-bg: #ffffff;
  --chartroom-fg: #1d2330;
  --chartroom-muted: #667085;
  --chartroom-border: #d9dee7;
  --chartroom-accent: #2459d6;
  --chartroom-code-bg: #f6f7f9;
  --chartroom-error: #c02a2a;
  --chartroom-mono: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  border: 1px solid var(--chartroom-border);
  border-radius: 8px;
  background: var(--chartroom-bg);
  color: var(--chartroom-fg);
  font: 14px/1.45 system-ui, sans-serif;
  overflow: hidden;
  margin: 1em 0;
}
@media (prefers-color-scheme: dark) {
  :host {
    --chartroom-bg: #1b1f27;
    --chartroom-fg: #dfe3ea;
    --chartroom-muted: #8d96a7;
    --chartroom-border: #2c323d;
    --chartroom-accent: #6d9bff;
    --chartroom-code-bg: #14171d;
    --chartroom-error: #ff7b72;
  }
}
.grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
@media (max-width: 720px) { .grid { grid-template-columns: minmax(0, 1fr); } }
.side { display: flex; flex-direction: column; min-width: 0; }
.side + .side { border-left: 1px solid var(--chartroom-border); }
.tabs { display: flex; flex-wrap: wrap; border-bottom: 1px solid var(--chartroom-border); }
.tabs button, .label {
  font: 12px var(--chartroom-mono);
  padding: 6px 10px;
  border: 0;
  border-bottom: 2px solid transparent;
  background: none;
  color: var(--chartroom-muted);
  cursor: pointer;
}
.label { cursor: default; border-bottom: 1px solid var(--chartroom-border); }
.tabs button[aria-selected="true"] { color: var(--chartroom-fg); border-bottom-color: var(--chartroom-accent); }
textarea, pre {
  margin: 0;
  padding: 10px 12px;
  font: 13px/1.5 var(--chartroom-mono);
  tab-size: 2;
  background: var(--chartroom-code-bg);
  color: inherit;
  border: 0;
  min-height: 8em;
  flex: 1;
}
textarea { resize: vertical; white-space: pre; overflow: auto; outline-offset: -2px; }
pre { overflow: auto; }
.error { color: var(--chartroom-error); white-space: pre-wrap; }
.stale { opacity: 0.5; }
`;

export class ChartroomExample extends HTMLElement {
  static get observedAttributes() {
    return ["release-name", "namespace", "kube-version", "include-crds", "show-only", "readonly", "output", "chart-name"];
  }

  constructor() {
    super();
    this.attachShadow({ mode: "open" });
    /** @type {Map<string, string>} chart files */
    this._files = new Map();
    /** @type {{name: string, text: string}[]} */
    this._values = [];
    this._active = null;
    this._pending = false;
    this.result = null;
    this.error = null;
  }

  connectedCallback() {
    if (this._built) return;
    this._built = true;
    for (const child of this.children) {
      if (child.hasAttribute("data-file")) this._files.set(child.getAttribute("data-file"), dedent(child.textContent));
      else if (child.hasAttribute("data-values")) {
        this._values.push({ name: child.getAttribute("data-values") || "values-override.yaml", text: dedent(child.textContent) });
      }
    }
    this._build();
    this._schedule();
  }

  attributeChangedCallback() {
    if (this._built) this._schedule();
  }

  /** The chart files, as renderChart takes them (Chart.yaml included). */
  get files() {
    const files = Object.fromEntries(this._files);
    if (!("Chart.yaml" in files)) {
      files["Chart.yaml"] = `apiVersion: v2\nname: ${this.getAttribute("chart-name") || "example"}\nversion: 0.1.0\n`;
    }
    return files;
  }

  /** Replaces one file's text (or adds the file) and renders again. */
  setFile(path, text) {
    this._files.set(path, text);
    if (this._built) {
      this._build();
      this._schedule();
    }
  }

  _options() {
    const list = (name) => (this.getAttribute(name) || "").split(/[\s,]+/).filter(Boolean);
    const options = {
      releaseName: this.getAttribute("release-name") || "release-name",
      namespace: this.getAttribute("namespace") || "default",
      includeCrds: this.hasAttribute("include-crds"),
      values: this._values,
      maxSteps: MAX_STEPS,
    };
    if (this.getAttribute("kube-version")) options.kubeVersion = this.getAttribute("kube-version");
    if (list("show-only").length) options.showOnly = list("show-only");
    return options;
  }

  _editable() {
    return [...this._files.keys(), ...this._values.map((v) => `-f ${v.name}`)];
  }

  _build() {
    const names = this._editable();
    if (!names.includes(this._active)) this._active = names[0] ?? null;
    const readonly = this.hasAttribute("readonly");
    const root = this.shadowRoot;
    root.innerHTML = "";
    const style = document.createElement("style");
    style.textContent = STYLE;
    const grid = el("div", "grid");
    const input = el("div", "side");
    const tabs = el("div", "tabs");
    tabs.setAttribute("role", "tablist");
    for (const name of names) {
      const tab = el("button", null, name);
      tab.type = "button";
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-selected", String(name === this._active));
      tab.addEventListener("click", () => {
        this._active = name;
        this._build();
        this._syncOutput();
      });
      tabs.append(tab);
    }
    const editor = el("textarea");
    editor.part = "editor";
    editor.spellcheck = false;
    editor.readOnly = readonly;
    editor.setAttribute("aria-label", `Edit ${this._active ?? ""}`);
    editor.value = this._read(this._active);
    editor.rows = Math.min(24, Math.max(6, editor.value.split("\n").length + 1));
    editor.addEventListener("input", () => {
      this._write(this._active, editor.value);
      this._schedule();
    });
    editor.addEventListener("keydown", (e) => {
      if (e.key === "Tab" && !e.shiftKey && !readonly && !e.ctrlKey && !e.altKey && !e.metaKey) {
        e.preventDefault();
        editor.setRangeText("  ", editor.selectionStart, editor.selectionEnd, "end");
        editor.dispatchEvent(new Event("input"));
      }
    });
    input.append(tabs, editor);
    const out = el("div", "side");
    const label = el("div", "label", this.getAttribute("output") === "notes" ? "NOTES.txt" : "helm template");
    this._out = el("pre");
    this._out.part = "output";
    this._out.setAttribute("aria-live", "polite");
    this._out.tabIndex = 0;
    out.append(label, this._out);
    grid.append(input, out);
    root.append(style, grid);
    this._syncOutput();
  }

  _read(name) {
    if (name === null) return "";
    if (name.startsWith("-f ")) return this._values.find((v) => `-f ${v.name}` === name)?.text ?? "";
    return this._files.get(name) ?? "";
  }

  _write(name, text) {
    if (name.startsWith("-f ")) {
      const entry = this._values.find((v) => `-f ${v.name}` === name);
      if (entry) entry.text = text;
    } else this._files.set(name, text);
  }

  /** Renders on the next frame (several edits in one frame render once). */
  _schedule() {
    if (this._pending) return;
    this._pending = true;
    ensureInit().then(
      () =>
        requestAnimationFrame(() => {
          this._pending = false;
          this.render();
        }),
      (err) => {
        this._pending = false;
        this.error = err;
        this._syncOutput();
      },
    );
  }

  /** Renders now (the module must be loaded) and returns the result or null. */
  render() {
    try {
      this.result = renderChart(this.files, this._options());
      this.error = null;
      this.dispatchEvent(new CustomEvent("chartroom-render", { detail: this.result }));
    } catch (err) {
      this.error = err;
      this.dispatchEvent(new CustomEvent("chartroom-error", { detail: err }));
    }
    this._syncOutput();
    return this.error ? null : this.result;
  }

  _syncOutput() {
    const out = this._out;
    if (!out) return;
    out.classList.toggle("stale", false);
    out.replaceChildren();
    const text = this.result ? (this.getAttribute("output") === "notes" ? this.result.notes : this.result.output) : "";
    if (this.error) {
      const where = this.error.file ? `${this.error.file}${this.error.line ? `:${this.error.line}` : ""}: ` : "";
      out.append(el("div", "error", `Error: ${this.error.helmMessage || `${where}${this.error.message}`}`));
      if (text) {
        const stale = el("div", "stale", text);
        out.append("\n", stale);
      }
    } else out.append(text || (this.result ? "(no output)" : "Loading…"));
  }
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

if (!customElements.get("chartroom-example")) customElements.define("chartroom-example", ChartroomExample);
