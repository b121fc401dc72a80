// The playground page: wires the workspace (files, values, settings) to the
// editor, the file tree, the render worker and the output column, and handles
// examples, opening and exporting charts, share links, themes and keys.

import examples from "virtual:examples";
import { Workspace, VALUES_PREFIX } from "./workspace.js";
import { FileTree } from "./filetree.js";
import { Settings } from "./settings.js";
import { Output } from "./output.js";
import { Renderer } from "./renderer.js";
import { describeError, renderErrors } from "./errors.js";
import { encodeWorkspace, decodeWorkspace, isWorkspaceHash } from "./share.js";
import { chartFromArchive, chartFromDrop, chartFromFileList } from "./importer.js";
import { gzip, tar } from "./tar.js";
import { h, download, copyText, toast } from "./dom.js";

// Imports are evaluated first: this marks the bundle loaded and run.
performance.mark("chartroom:app-start");

const SAVE_KEY = "chartroom.workspace";
const THEME_KEY = "chartroom.theme";
const $ = (id) => document.getElementById(id);

/** Figures the browser test reads: first output and keystroke-to-output times (ms). */
const stats = {
  firstOutputMs: null, // navigation start to the first output shown
  appStartMs: null, // navigation start to this module running (bundle loaded and parsed)
  workerReadyMs: null, // ... to the page learning the worker is ready
  workerReadyInWorkerMs: null, // ... to the worker being ready (wasm loaded)
  initMs: null, // the worker's wait for the compiled module and init()
  firstRenderMs: null, // the first renderChart call in the worker (cold code)
  keyToOutput: [], // keydown to output updated, per edit
  renders: 0,
  lastRenderMs: null,
};

let ws = null;
let lastKeyAt = null; // keydown time of the key being pressed in the editor
let pendingKeyAt = null; // the first edit's key not yet sent to the worker
let saveTimer = null;

/**
 * The editor. CodeMirror is most of the page's code, so it loads as a second
 * chunk after the first render request is on its way; until then this
 * stands in for it: it keeps the error markers to hand over, and a request
 * for the focus (Alt+2, a click on an error) that the focus has not left
 * since.
 */
const editor = {
  real: null,
  markers: new Map(),
  focusAwaited: false,
  get key() {
    return this.real ? this.real.key : undefined;
  },
  open(key, content) {
    this.real?.open(key, content);
  },
  forget(keys) {
    this.real?.forget(keys);
  },
  renameState(from, to) {
    this.real?.renameState(from, to);
  },
  setMarkers(markers) {
    this.markers = markers;
    this.real?.setMarkers(markers);
  },
  goto(line, column) {
    this.real?.goto(line, column);
  },
  focus() {
    if (this.real) {
      this.real.focus();
      return;
    }
    this.focusAwaited = true;
    // The focus moving anywhere before CodeMirror is in withdraws the request.
    document.addEventListener("focusin", () => (this.focusAwaited = false), { once: true });
  },
};

function loadEditor() {
  return import("./editor.js").then(({ Editor }) => {
    $("editor").replaceChildren();
    editor.real = new Editor($("editor"), {
      onChange: (key, text) => {
        // An edit made by a key press: time it from that key's keydown.
        if (pendingKeyAt === null && lastKeyAt !== null) pendingKeyAt = lastKeyAt;
        ws.writeDoc(key, text);
      },
    });
    showOpenDoc();
    editor.real.setMarkers(editor.markers);
    if (editor.focusAwaited) editor.real.focus();
  });
}

const tree = new FileTree($("file-tree"), new Workspace(), { onOpen: (path) => openDoc(path, { focus: false }) });
const settings = new Settings($("settings"), new Workspace(), { onOpen: (key) => openDoc(key) });
const output = new Output($("output"), {
  onOpenSource: (path) => openDoc(sourceKey(path)),
  onTab: (tab) => {
    if (tab === "values" && ws) requestRender();
  },
});
const renderer = new Renderer("worker.js", window.__chartroomWorker);

// --- workspace ----------------------------------------------------------------

function setWorkspace(next) {
  ws?.removeEventListener("change", onWorkspaceChange);
  ws = next;
  ws.addEventListener("change", onWorkspaceChange);
  editor.forget();
  tree.setWorkspace(ws);
  settings.setWorkspace(ws);
  $("example-picker").value = ws.example ?? "";
  showOpenDoc();
  requestRender();
}

function onWorkspaceChange({ detail }) {
  if (detail.renamed) editor.renameState(detail.renamed.from, detail.renamed.to);
  if (detail.replaced || detail.removed) editor.forget();
  if (detail.structure) tree.render();
  if (detail.values || detail.open) settings.renderValues();
  if (detail.sets && detail.structure) settings.renderSets();
  if (detail.open || detail.structure) {
    if (detail.open || editor.key !== ws.open || detail.renamed) showOpenDoc();
    if (detail.open) tree.render();
  }
  if (detail.content || detail.structure || detail.release || detail.sets) requestRender();
  scheduleSave();
}

function openDoc(key, { focus = true } = {}) {
  if (key === null || ws.readDoc(key) === undefined) return;
  ws.setOpen(key);
  if (focus) editor.focus();
}

function showOpenDoc() {
  const key = ws.open !== null && ws.readDoc(ws.open) !== undefined ? ws.open : null;
  if (editor.key !== key || key === null) editor.open(key, key === null ? "" : ws.readDoc(key));
  const label = key === null ? "No file open" : key.startsWith(VALUES_PREFIX) ? `-f ${key.slice(VALUES_PREFIX.length)}` : key;
  $("editor-title").textContent = label;
}

/** The workspace key of a rendered template path (`chart/templates/x.yaml`). */
function sourceKey(path) {
  return path.includes("/") ? path.slice(path.indexOf("/") + 1) : path;
}

function scheduleSave() {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    try {
      localStorage.setItem(SAVE_KEY, JSON.stringify(ws.toJSON()));
    } catch {
      // Storage full or disabled: the share link still works.
    }
  }, 500);
}

// --- rendering ------------------------------------------------------------------

function requestRender() {
  const meta = { keyAt: pendingKeyAt, releaseName: ws.release.name || "release-name" };
  pendingKeyAt = null;
  renderer.render(ws.files, ws.renderOptions(), ws.valuesOptions(), { wantValues: output.tab === "values", meta });
}

// Keystroke timing (window.chartroom.stats.keyToOutput): from the keydown
// of a key that edits the text to the output showing that edit.
$("editor").addEventListener(
  "keydown",
  (e) => {
    lastKeyAt = e.target.closest?.(".cm-content") ? e.timeStamp : null;
  },
  true,
);
$("editor").addEventListener("keyup", () => (lastKeyAt = null), true);

renderer.addEventListener("ready", ({ detail }) => {
  stats.workerReadyMs = performance.now();
  stats.workerReadyInWorkerMs = detail.readyAtEpoch - performance.timeOrigin;
  stats.appStartMs = performance.getEntriesByName("chartroom:app-start")[0]?.startTime ?? null;
  stats.initMs = detail.initMs;
  $("version").textContent = `chartroom ${detail.version} · helm ${detail.helmVersion}`;
  output.setStatus("Rendering…");
});

renderer.addEventListener("fatal", ({ detail }) => {
  output.setStale(true, detail.message);
  renderErrors($("errors"), [{ kind: "internal", message: detail.message }], () => {});
});

renderer.addEventListener("timeout", ({ detail }) => {
  const message = `The render was stopped: no answer after ${detail.ms / 1000} s. A template may be looping; edit it to render again.`;
  output.setStale(true, message);
  renderErrors($("errors"), [{ kind: "limit", message }], () => {});
});

let firstResultSeen;
const firstResult = new Promise((resolve) => (firstResultSeen = resolve));

renderer.addEventListener("result", ({ detail }) => {
  const { result, error, values, valuesError, renderMs, request } = detail;
  if (result) {
    output.setResult(result, { ms: renderMs, releaseName: request.meta.releaseName });
    renderErrors($("errors"), [], openAt);
    editor.setMarkers(new Map());
    tree.setErrorPaths([]);
  } else {
    const { rows, markers } = describeError(ws, error);
    renderErrors($("errors"), rows, openAt);
    editor.setMarkers(markers);
    const paths = new Set([...markers.keys(), ...rows.map((r) => r.key).filter(Boolean)]);
    tree.setErrorPaths([...paths].filter((k) => !k.startsWith(VALUES_PREFIX)));
    output.setStale(true, `${error.kind} error: the output below is the last good one`);
  }
  if (values !== undefined) output.setValues(values);
  else if (valuesError) output.setValues(valuesError.helmMessage || valuesError.message);
  const now = performance.now();
  stats.renders++;
  stats.lastRenderMs = renderMs;
  if (request.meta.keyAt !== null && request.meta.keyAt !== undefined) stats.keyToOutput.push(now - request.meta.keyAt);
  if (stats.firstOutputMs === null) {
    stats.firstOutputMs = now;
    stats.firstRenderMs = renderMs;
    performance.mark("chartroom:first-output");
    firstResultSeen();
    registerServiceWorker();
  }
});

function openAt(key, line, column) {
  if (!key) return;
  openDoc(key);
  if (line) editor.goto(line, column);
}

// --- examples --------------------------------------------------------------------

/** An example's description under the header; `code` in backticks. */
function showAbout(text) {
  $("example-about").replaceChildren(...text.split("`").map((part, i) => (i % 2 ? h("code", {}, part) : part)));
}

function exampleById(id) {
  return examples.find((e) => e.id === id);
}

function fillPicker() {
  const picker = $("example-picker");
  picker.replaceChildren(
    h("option", { value: "" }, "Your chart"),
    ...examples.map((e) => h("option", { value: e.id, title: e.description }, e.title)),
  );
  picker.addEventListener("change", () => {
    const example = exampleById(picker.value);
    if (!example) {
      picker.value = ws.example ?? "";
      return;
    }
    replaceWorkspace(Workspace.fromExample(example), `Opened the example “${example.title}”`);
    showAbout(example.description);
  });
}

/** Replaces the workspace, offering to undo it. */
function replaceWorkspace(next, message) {
  const previous = ws.toJSON();
  setWorkspace(next);
  scheduleSave();
  toastWithUndo(message, () => setWorkspace(Workspace.fromJSON(previous)));
}

function toastWithUndo(message, undo) {
  const box = $("toasts");
  const el = h(
    "div",
    { class: "toast", role: "status" },
    message,
    h("button", { type: "button", class: "link", onclick: () => { el.remove(); undo(); } }, "Undo"),
  );
  box.append(el);
  setTimeout(() => el.remove(), 8000);
}

// --- opening, exporting, sharing -----------------------------------------------

async function openChart(load, what) {
  try {
    const files = await load();
    const next = new Workspace({ files });
    next.open = ["templates/deployment.yaml", "values.yaml", "Chart.yaml"].find((p) => p in files) ?? Object.keys(files)[0] ?? null;
    replaceWorkspace(next, `Opened ${what}: ${Object.keys(files).length} files`);
    showAbout("");
  } catch (err) {
    toast(`Could not open ${what}: ${err.message}`, "error");
  }
}

async function exportArchive() {
  const { name, version } = ws.chartInfo();
  const entries = [...ws.files].sort(([a], [b]) => a.localeCompare(b)).map(([path, data]) => ({ path: `${name}/${path}`, data }));
  download(`${name}-${version}.tgz`, await gzip(tar(entries)), "application/gzip");
}

async function share() {
  const hash = await encodeWorkspace(ws);
  const url = `${location.origin}${location.pathname}${hash}`;
  const dialog = $("share-dialog");
  $("share-link").value = url;
  $("share-size").textContent = `${url.length.toLocaleString()} characters${
    url.length > 2_000_000 ? ": too long for most browsers; share the chart as a .tgz (Export) instead" : ""
  }`;
  if (!dialog.open) dialog.showModal();
  $("share-link").select();
  if (await copyText(url)) $("share-size").textContent += " · copied to the clipboard";
}

async function loadFromHash() {
  try {
    const restored = await decodeWorkspace(location.hash);
    history.replaceState(null, "", location.pathname + location.search);
    return restored;
  } catch (err) {
    toast(`This link could not be opened: ${err.message}`, "error");
    return null;
  }
}

// --- theme and keys ----------------------------------------------------------------

function toggleTheme() {
  const next = document.documentElement.dataset.theme === "dark" ? "light" : "dark";
  document.documentElement.dataset.theme = next;
  localStorage.setItem(THEME_KEY, next);
  $("theme-toggle").setAttribute("aria-label", `Switch to ${next === "dark" ? "light" : "dark"} theme`);
}

const FOCUS_KEYS = {
  1: () => ($("file-tree").querySelector('button.row[tabindex="0"]') ?? $("file-tree").querySelector("button"))?.focus(),
  2: () => editor.focus(),
  3: () => $("output").querySelector('[role="tab"][aria-selected="true"]')?.focus(),
  4: () => ($("errors").querySelector("button.where") ?? $("errors")).focus(),
};

document.addEventListener("keydown", (e) => {
  if (e.altKey && !e.ctrlKey && !e.metaKey && FOCUS_KEYS[e.key]) {
    FOCUS_KEYS[e.key]();
    e.preventDefault();
  }
});

// --- drag and drop ------------------------------------------------------------------

let dragDepth = 0;
window.addEventListener("dragenter", (e) => {
  if (![...(e.dataTransfer?.types ?? [])].includes("Files")) return;
  dragDepth++;
  $("drop-overlay").hidden = false;
});
window.addEventListener("dragleave", () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) $("drop-overlay").hidden = true;
});
window.addEventListener("dragover", (e) => e.preventDefault());
window.addEventListener("drop", (e) => {
  e.preventDefault();
  dragDepth = 0;
  $("drop-overlay").hidden = true;
  if (e.dataTransfer?.files.length) openChart(() => chartFromDrop(e.dataTransfer), "the dropped chart");
});

// --- offline --------------------------------------------------------------------------

function registerServiceWorker() {
  if ("serviceWorker" in navigator && location.protocol !== "file:") {
    navigator.serviceWorker.register("sw.js").catch(() => {});
  }
}

// --- start ------------------------------------------------------------------------------

async function initialWorkspace() {
  if (isWorkspaceHash(location.hash)) {
    const restored = await loadFromHash();
    if (restored) return restored;
  }
  try {
    const saved = localStorage.getItem(SAVE_KEY);
    if (saved) return Workspace.fromJSON(JSON.parse(saved));
  } catch {
    // A damaged save: start from the default example.
  }
  return Workspace.fromExample(examples[0]);
}

function wireHeader() {
  $("open-folder").addEventListener("click", () => $("folder-input").click());
  $("open-tgz").addEventListener("click", () => $("tgz-input").click());
  $("folder-input").addEventListener("change", (e) => {
    const files = e.target.files;
    if (files.length) openChart(() => chartFromFileList(files), "the folder");
    e.target.value = "";
  });
  $("tgz-input").addEventListener("change", async (e) => {
    const [file] = e.target.files;
    if (file) openChart(async () => chartFromArchive(new Uint8Array(await file.arrayBuffer())), file.name);
    e.target.value = "";
  });
  $("export-tgz").addEventListener("click", exportArchive);
  $("share").addEventListener("click", share);
  $("share-copy").addEventListener("click", async () => {
    toast((await copyText($("share-link").value)) ? "Link copied" : "Select the link and copy it", "info");
  });
  $("theme-toggle").addEventListener("click", toggleTheme);
  window.addEventListener("hashchange", async () => {
    if (!isWorkspaceHash(location.hash)) return;
    const restored = await loadFromHash();
    if (restored) replaceWorkspace(restored, "Opened the shared workspace");
  });
}

fillPicker();
wireHeader();
window.chartroom = {
  stats,
  workspace: () => ws,
  examples: examples.map((e) => ({
    id: e.id,
    bytes: [...Object.values(e.files), ...e.values.map((v) => v.text)].reduce((n, text) => n + text.length, 0),
  })),
};
setWorkspace(await initialWorkspace());
// The first output comes first; CodeMirror's chunk loads right after it (or
// after a second, if the first render is slow), not competing with it.
await Promise.race([firstResult, new Promise((resolve) => setTimeout(resolve, 1000))]);
await loadEditor();
const example = exampleById(ws.example);
showAbout(example?.description ?? "");
