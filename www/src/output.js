// The output column: the full `helm template` stream, one card per manifest
// (kind, name, source file, copy and download), NOTES.txt and the computed
// values. On an error the last good output stays, dimmed.

import { h, download, copyText, toast } from "./dom.js";
import { zip } from "./zip.js";

const TABS = [
  ["stream", "Output"],
  ["manifests", "Manifests"],
  ["notes", "Notes"],
  ["values", "Values"],
];

export class Output {
  /**
   * @param {HTMLElement} root
   * @param {{ onOpenSource: (path: string) => void, onTab: (tab: string) => void }} hooks
   */
  constructor(root, { onOpenSource, onTab }) {
    this.onOpenSource = onOpenSource;
    this.onTab = onTab;
    this.result = null;
    this.values = "";
    this.releaseName = "release-name";
    this.tab = "stream";
    this.cardsFor = null;

    this.tabButtons = TABS.map(([id, label]) =>
      h("button", { type: "button", role: "tab", id: `tab-${id}`, "aria-controls": `panel-${id}`, "data-tab": id, onclick: () => this.show(id) }, label),
    );
    this.tabList = h("div", { class: "tabs", role: "tablist", "aria-label": "Output" }, this.tabButtons);
    this.tabList.addEventListener("keydown", (e) => {
      const i = TABS.findIndex(([id]) => id === this.tab);
      const next = e.key === "ArrowRight" ? i + 1 : e.key === "ArrowLeft" ? i - 1 : null;
      if (next === null) return;
      const [id] = TABS[(next + TABS.length) % TABS.length];
      this.show(id);
      this.tabButtons.find((b) => b.dataset.tab === id).focus();
      e.preventDefault();
    });

    this.actions = h(
      "div",
      { class: "output-actions" },
      h("button", { type: "button", class: "tool", title: "Copy the whole stream", onclick: () => this.copyStream() }, "Copy"),
      h("button", { type: "button", class: "tool", title: "Download the stream as one YAML file", onclick: () => this.downloadStream() }, ".yaml"),
      h("button", { type: "button", class: "tool", title: "Download one file per template, as --output-dir writes them", onclick: () => this.downloadZip() }, ".zip"),
    );
    this.status = h("div", { class: "status", "data-testid": "status", "aria-live": "polite" }, "Loading the renderer…");

    this.stream = h("pre", { class: "code", "data-testid": "output", tabindex: "0", "aria-label": "helm template output" });
    this.cards = h("div", { class: "cards", "data-testid": "manifests" });
    this.notes = h("pre", { class: "code", "data-testid": "notes", tabindex: "0" });
    this.valuesPre = h("pre", { class: "code", "data-testid": "computed-values", tabindex: "0" });
    this.panels = {
      stream: h("div", { class: "panel", role: "tabpanel", id: "panel-stream", "aria-labelledby": "tab-stream" }, this.stream),
      manifests: h("div", { class: "panel", role: "tabpanel", id: "panel-manifests", "aria-labelledby": "tab-manifests" }, this.cards),
      notes: h("div", { class: "panel", role: "tabpanel", id: "panel-notes", "aria-labelledby": "tab-notes" }, this.notes),
      values: h(
        "div",
        { class: "panel", role: "tabpanel", id: "panel-values", "aria-labelledby": "tab-values" },
        h("p", { class: "hint" }, "The values the templates see: the chart's defaults coalesced with the values files and flags."),
        this.valuesPre,
      ),
    };
    this.body = h("div", { class: "output-body" }, Object.values(this.panels));
    root.append(h("div", { class: "output-head" }, this.tabList, this.actions), this.status, this.body);
    this.show("stream");
  }

  show(tab) {
    this.tab = tab;
    for (const b of this.tabButtons) {
      const on = b.dataset.tab === tab;
      b.setAttribute("aria-selected", String(on));
      b.tabIndex = on ? 0 : -1;
    }
    for (const [id, panel] of Object.entries(this.panels)) panel.hidden = id !== tab;
    if (tab === "manifests") this.renderCards();
    this.onTab?.(tab);
  }

  /** A successful render: `{ output, notes, manifests }`. */
  setResult(result, { ms, releaseName }) {
    this.result = result;
    this.releaseName = releaseName;
    this.stream.innerHTML = highlightYaml(result.output);
    this.notes.textContent = result.notes || "(no NOTES.txt output)";
    const count = result.manifests.length;
    this.tabButtons[1].textContent = `Manifests (${count})`;
    this.tabButtons[2].textContent = result.notes ? "Notes •" : "Notes";
    this.setStale(false);
    this.status.textContent = `${count} manifest${count === 1 ? "" : "s"} · ${formatBytes(result.output.length)} · rendered in ${ms.toFixed(1)} ms`;
    this.status.className = "status ok";
    this.cardsFor = null;
    if (this.tab === "manifests") this.renderCards();
  }

  setValues(text) {
    this.valuesPre.textContent = text;
  }

  /** A failed render: the last good output stays, dimmed. */
  setStale(stale, message) {
    this.body.classList.toggle("stale", stale);
    if (stale) {
      this.status.textContent = message ?? "Error: showing the last good output";
      this.status.className = "status error";
    }
  }

  setStatus(text) {
    this.status.textContent = text;
    this.status.className = "status";
  }

  renderCards() {
    if (!this.result || this.cardsFor === this.result) return;
    this.cardsFor = this.result;
    const cards = this.result.manifests.map((m, i) => {
      const body = h("pre", { class: "code" }, m.content);
      return h(
        "article",
        { class: "card", "data-kind": m.kind },
        h(
          "header",
          {},
          h("span", { class: "kind" }, m.kind || "(no kind)"),
          h("span", { class: "name" }, m.name || "(no name)"),
          m.namespace ? h("span", { class: "badge", title: "metadata.namespace" }, m.namespace) : null,
          ...(m.hook ?? []).map((hook) => h("span", { class: "badge hook", title: "helm.sh/hook" }, hook)),
          h("button", { type: "button", class: "link source", title: "Open the template", onclick: () => this.onOpenSource(m.path) }, m.path),
          h("span", { class: "spacer" }),
          h("button", { type: "button", class: "tool", onclick: () => this.copy(m.content) }, "Copy"),
          h("button", {
            type: "button",
            class: "tool",
            onclick: () => download(`${(m.kind || "doc").toLowerCase()}-${m.name || i}.yaml`, m.content, "application/yaml"),
          }, "Download"),
        ),
        body,
      );
    });
    this.cards.replaceChildren(...(cards.length ? cards : [h("p", { class: "hint" }, "No manifests.")]));
  }

  async copy(text) {
    toast((await copyText(text)) ? "Copied" : "The browser refused the clipboard", "info");
  }

  copyStream() {
    if (this.result) this.copy(this.result.output);
  }

  downloadStream() {
    if (this.result) download(`${this.releaseName}.yaml`, this.result.output, "application/yaml");
  }

  /** One file per template with its documents, the layout of `helm template --output-dir`. */
  downloadZip() {
    if (!this.result) return;
    const byPath = new Map();
    for (const m of this.result.manifests) {
      const text = `---\n# Source: ${m.path}\n${m.content}\n`;
      byPath.set(m.path, (byPath.get(m.path) ?? "") + text);
    }
    const entries = [...byPath].map(([path, data]) => ({ path, data }));
    if (this.result.notes) entries.push({ path: "NOTES.txt", data: this.result.notes });
    download(`${this.releaseName}-manifests.zip`, zip(entries));
  }
}

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
const escapeHtml = (text) => text.replace(/[&<>"]/g, (c) => ESCAPES[c]);

/**
 * Light colouring of rendered YAML as HTML (document separators, `# Source:`
 * lines, comments and keys); its text content is exactly `text`. Built as
 * one string: fast enough to redo on every keystroke.
 */
export function highlightYaml(text) {
  const out = [];
  for (const line of text.split("\n")) {
    if (line === "---") out.push(`<span class="y-doc">---</span>`);
    else if (line.startsWith("# Source: ")) out.push(`<span class="y-source">${escapeHtml(line)}</span>`);
    else {
      const m = /^(\s*(?:- )?)([^\s#'"{[][^:#]*?|"[^"]*"|'[^']*')(:(?: |$))/.exec(line);
      if (m) out.push(`${escapeHtml(m[1])}<span class="y-key">${escapeHtml(m[2])}</span>${escapeHtml(line.slice(m[1].length + m[2].length))}`);
      else if (/^\s*#/.test(line)) out.push(`<span class="y-comment">${escapeHtml(line)}</span>`);
      else out.push(escapeHtml(line));
    }
  }
  return out.join("\n");
}

function formatBytes(n) {
  return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KiB`;
}
