// The playground's state: a chart's files and folders, the user's values
// files and --set rows, and the release settings `helm template` takes. All
// edits go through this object; it emits "change" events the views follow.

/** Editor keys of the user's values files start with this (chart paths never do). */
export const VALUES_PREFIX = "/values/";

/** The `--set` flavours, in the order Helm applies them. */
export const SET_KINDS = ["set-json", "set", "set-string", "set-literal"];

const RELEASE_DEFAULTS = Object.freeze({
  name: "release-name",
  namespace: "default",
  isUpgrade: false,
  kubeVersion: "",
  apiVersions: "",
  includeCrds: false,
  skipTests: false,
  noHooks: false,
  skipSchemaValidation: false,
  showOnly: "",
});

/**
 * A chart path in canonical form (`templates/a.yaml`), or throws with a
 * message for the user.
 */
export function normalizePath(path) {
  const parts = String(path).replace(/\\/g, "/").split("/").filter((p) => p !== "");
  if (parts.length === 0) throw new Error("the name is empty");
  for (const part of parts) {
    if (part === "." || part === "..") throw new Error(`"${part}" is not allowed in a path`);
  }
  return parts.join("/");
}

function parentOf(path) {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

function splitList(text) {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

export class Workspace extends EventTarget {
  constructor({ files = {}, dirs = [], values = [], sets = [], release = {}, open = null, example = null } = {}) {
    super();
    /** @type {Map<string, string|Uint8Array>} chart files by path */
    this.files = new Map(Object.entries(files).map(([p, c]) => [normalizePath(p), c]));
    /** @type {Set<string>} folders that exist without files in them */
    this.dirs = new Set(dirs.map(normalizePath));
    /** @type {{name: string, text: string, enabled: boolean}[]} `-f` files in order */
    this.values = values.map((v) => ({ name: v.name, text: v.text ?? "", enabled: v.enabled !== false }));
    /** @type {{kind: string, expr: string, enabled: boolean}[]} */
    this.sets = sets.map((s) => ({ kind: s.kind ?? "set", expr: s.expr ?? "", enabled: s.enabled !== false }));
    this.release = { ...RELEASE_DEFAULTS, ...release };
    this.open = open;
    this.example = example;
  }

  /** A workspace from a gallery example (see build.mjs for its shape). */
  static fromExample(example) {
    const open = ["templates/deployment.yaml", "values.yaml"].find((p) => p in example.files) ?? null;
    return new Workspace({
      files: example.files,
      values: (example.values ?? []).map((v) => ({ ...v, enabled: true })),
      sets: example.set ?? [],
      release: example.release ?? {},
      open,
      example: example.id,
    });
  }

  emit(detail) {
    this.dispatchEvent(new CustomEvent("change", { detail }));
  }

  // --- documents (chart files and values files) ---------------------------

  /** The text or bytes behind an editor key, or undefined. */
  readDoc(key) {
    if (key?.startsWith(VALUES_PREFIX)) {
      return this.values.find((v) => VALUES_PREFIX + v.name === key)?.text;
    }
    return this.files.get(key);
  }

  writeDoc(key, text) {
    if (key.startsWith(VALUES_PREFIX)) {
      const entry = this.values.find((v) => VALUES_PREFIX + v.name === key);
      if (!entry) return;
      entry.text = text;
    } else {
      if (!this.files.has(key)) return;
      this.files.set(key, text);
    }
    this.emit({ key, content: true });
  }

  setOpen(key) {
    this.open = key;
    this.emit({ open: true });
  }

  // --- chart files and folders ---------------------------------------------

  /** Every folder, implicit (holding files) or explicit, sorted. */
  folders() {
    const all = new Set(this.dirs);
    for (const path of this.files.keys()) {
      for (let dir = parentOf(path); dir !== ""; dir = parentOf(dir)) all.add(dir);
    }
    for (const dir of [...all]) {
      for (let d = parentOf(dir); d !== ""; d = parentOf(d)) all.add(d);
    }
    return [...all].sort();
  }

  exists(path) {
    return this.files.has(path) || this.folders().includes(path);
  }

  addFile(path, content = "") {
    path = normalizePath(path);
    if (this.exists(path)) throw new Error(`${path} already exists`);
    this.files.set(path, content);
    this.dirs.delete(parentOf(path));
    this.emit({ structure: true });
    return path;
  }

  addFolder(path) {
    path = normalizePath(path);
    if (this.exists(path)) throw new Error(`${path} already exists`);
    this.dirs.add(path);
    this.emit({ structure: true });
    return path;
  }

  /** Renames a file or a folder (with everything in it). Returns the new path. */
  rename(from, to) {
    to = normalizePath(to);
    if (from === to) return to;
    if (this.exists(to)) throw new Error(`${to} already exists`);
    if (this.files.has(from)) {
      this.files = new Map([...this.files].map(([p, c]) => [p === from ? to : p, c]));
      if (this.open === from) this.open = to;
    } else {
      const moved = (p) => (p === from || p.startsWith(from + "/") ? to + p.slice(from.length) : p);
      if (to.startsWith(from + "/")) throw new Error("a folder cannot move into itself");
      this.files = new Map([...this.files].map(([p, c]) => [moved(p), c]));
      this.dirs = new Set([...this.dirs].map(moved));
      if (this.open && !this.open.startsWith(VALUES_PREFIX)) this.open = moved(this.open);
    }
    this.emit({ structure: true, renamed: { from, to } });
    return to;
  }

  /** Deletes a file or a folder with everything in it. */
  remove(path) {
    const inside = (p) => p === path || p.startsWith(path + "/");
    for (const p of [...this.files.keys()]) if (inside(p)) this.files.delete(p);
    for (const d of [...this.dirs]) if (inside(d)) this.dirs.delete(d);
    if (this.open && inside(this.open)) this.open = null;
    this.emit({ structure: true, removed: path });
  }

  /** Replaces all chart files (opening a folder or an archive). */
  replaceChart(files) {
    this.files = new Map(Object.entries(files));
    this.dirs = new Set();
    this.example = null;
    this.open = ["values.yaml", "Chart.yaml"].find((p) => this.files.has(p)) ?? this.files.keys().next().value ?? null;
    this.emit({ structure: true, replaced: true });
  }

  /** The chart's name and version from Chart.yaml (for archive names). */
  chartInfo() {
    const text = this.files.get("Chart.yaml");
    const field = (name) =>
      typeof text === "string" ? text.match(new RegExp(`^${name}:\\s*["']?([^"'\\s#]+)`, "m"))?.[1] : undefined;
    return { name: field("name") ?? "chart", version: field("version") ?? "0.0.0" };
  }

  // --- values files and --set rows ----------------------------------------

  addValuesFile(name, text = "") {
    name = name.trim();
    if (!name || name.includes("/")) throw new Error("a values file needs a name without /");
    if (this.values.some((v) => v.name === name)) throw new Error(`${name} already exists`);
    this.values.push({ name, text, enabled: true });
    this.emit({ structure: true, values: true });
    return VALUES_PREFIX + name;
  }

  updateValuesFile(index, patch) {
    const entry = this.values[index];
    if (!entry) return;
    if (patch.name !== undefined && patch.name !== entry.name) {
      const name = patch.name.trim();
      if (!name || name.includes("/")) throw new Error("a values file needs a name without /");
      if (this.values.some((v) => v.name === name)) throw new Error(`${name} already exists`);
      if (this.open === VALUES_PREFIX + entry.name) this.open = VALUES_PREFIX + name;
      entry.name = name;
    }
    if (patch.enabled !== undefined) entry.enabled = patch.enabled;
    this.emit({ structure: true, values: true });
  }

  moveValuesFile(index, delta) {
    const to = index + delta;
    if (to < 0 || to >= this.values.length) return;
    const [entry] = this.values.splice(index, 1);
    this.values.splice(to, 0, entry);
    this.emit({ structure: true, values: true });
  }

  removeValuesFile(index) {
    const [entry] = this.values.splice(index, 1);
    if (entry && this.open === VALUES_PREFIX + entry.name) this.open = null;
    this.emit({ structure: true, values: true });
  }

  addSet(kind = "set", expr = "") {
    this.sets.push({ kind, expr, enabled: true });
    this.emit({ sets: true, structure: true });
  }

  updateSet(index, patch) {
    Object.assign(this.sets[index], patch);
    this.emit({ sets: true });
  }

  removeSet(index) {
    this.sets.splice(index, 1);
    this.emit({ sets: true, structure: true });
  }

  updateRelease(patch) {
    Object.assign(this.release, patch);
    this.emit({ release: true });
  }

  // --- what the renderer takes --------------------------------------------

  /** The `values`/`set*` options (the ValuesOptions of index.d.ts). */
  valuesOptions() {
    const options = {
      values: this.values.filter((v) => v.enabled).map((v) => ({ name: v.name, text: v.text })),
    };
    const flag = { set: "set", "set-string": "setString", "set-json": "setJson", "set-literal": "setLiteral" };
    for (const kind of SET_KINDS) {
      const exprs = this.sets.filter((s) => s.enabled && s.kind === kind && s.expr.trim() !== "").map((s) => s.expr);
      if (exprs.length > 0) options[flag[kind]] = exprs;
    }
    return options;
  }

  /** `renderChart`'s options (the RenderOptions of index.d.ts). */
  renderOptions() {
    const r = this.release;
    const options = {
      ...this.valuesOptions(),
      releaseName: r.name,
      namespace: r.namespace,
      isUpgrade: r.isUpgrade,
      includeCrds: r.includeCrds,
      skipTests: r.skipTests,
      noHooks: r.noHooks,
      skipSchemaValidation: r.skipSchemaValidation,
    };
    if (r.kubeVersion.trim()) options.kubeVersion = r.kubeVersion.trim();
    const apiVersions = splitList(r.apiVersions);
    if (apiVersions.length) options.apiVersions = apiVersions;
    const showOnly = splitList(r.showOnly);
    if (showOnly.length) options.showOnly = showOnly;
    return options;
  }

  /** Chart files as the package takes them: path to text or bytes. */
  chartFiles() {
    return Object.fromEntries(this.files);
  }

  // --- persistence ---------------------------------------------------------

  /** A JSON-safe copy; bytes become `{ base64 }`. Restores with fromJSON. */
  toJSON() {
    const files = {};
    for (const [path, content] of this.files) {
      files[path] = typeof content === "string" ? content : { base64: bytesToBase64(content) };
    }
    const release = {};
    for (const [key, value] of Object.entries(this.release)) {
      if (value !== RELEASE_DEFAULTS[key]) release[key] = value;
    }
    return {
      v: 1,
      files,
      dirs: [...this.dirs],
      values: this.values,
      sets: this.sets,
      release,
      open: this.open,
      example: this.example,
    };
  }

  static fromJSON(json) {
    if (!json || json.v !== 1 || typeof json.files !== "object") throw new Error("not a playground workspace");
    const files = {};
    for (const [path, content] of Object.entries(json.files)) {
      files[path] = typeof content === "string" ? content : base64ToBytes(content.base64);
    }
    return new Workspace({ ...json, files });
  }
}

export function bytesToBase64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

export function base64ToBytes(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Text when the bytes are UTF-8, else the bytes themselves. */
export function decodeIfText(bytes) {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return bytes;
  }
}
