// Errors where they happen: a render error (template, YAML, values, schema…)
// becomes rows in the errors panel and markers at its file, line and column.
// Schema violations carry a JSON pointer, not a position; they are placed on
// the values line that sets the value, found by walking the YAML's indentation.

import { h } from "./dom.js";
import { VALUES_PREFIX } from "./workspace.js";

const KEY = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^\s#'"{][^#]*?)\s*:(?:\s|$)/;

/** The mapping key a YAML line starts with, unquoted, or null. */
function lineKey(text) {
  const m = KEY.exec(text);
  if (!m) return null;
  const key = m[1];
  return /^["']/.test(key) ? key.slice(1, -1) : key;
}

/**
 * Block-style YAML as a tree of keys and sequence items, from indentation
 * alone (no values, no flow style, no anchors): enough to find where a path
 * is set.
 */
function outline(text) {
  const root = { indent: -1, children: [] };
  const stack = [root];
  const add = (entry) => {
    while (stack.length > 1) {
      const top = stack[stack.length - 1];
      if (top.indent < entry.indent) break;
      // `key:` followed by `- item` at the same indentation.
      if (top.indent === entry.indent && entry.item && top.key !== undefined && !top.hasKeys) break;
      stack.pop();
    }
    const parent = stack[stack.length - 1];
    const node = { ...entry, children: [] };
    if (entry.item) node.index = parent.children.filter((c) => c.item).length;
    else parent.hasKeys = true;
    parent.children.push(node);
    stack.push(node);
  };
  text.split("\n").forEach((line, i) => {
    const body = line.trimStart();
    if (body === "" || body.startsWith("#") || body === "---") return;
    const indent = line.length - body.length;
    const dash = /^-(\s+|$)/.exec(body);
    if (dash) {
      add({ item: true, indent, line: i + 1, column: indent + 1 });
      const rest = body.slice(dash[0].length);
      const key = lineKey(rest);
      if (key !== null) add({ key, indent: indent + dash[0].length, line: i + 1, column: indent + dash[0].length + 1 });
      return;
    }
    const key = lineKey(body);
    if (key !== null) add({ key, indent, line: i + 1, column: indent + 1 });
  });
  return root;
}

/**
 * The line (1-based) and column of the value at `segments` in block-style
 * YAML `text`: the whole path (`complete`), or the deepest parent found, or
 * null when not even the first segment is there.
 * @returns {{ line: number, column: number, complete: boolean } | null}
 */
export function locateYamlPath(text, segments) {
  if (segments.length === 0) return { line: 1, column: 1, complete: true };
  let node = outline(text);
  let found = null;
  for (let s = 0; s < segments.length; s++) {
    const seg = segments[s];
    const next = /^\d+$/.test(seg)
      ? node.children.find((c) => c.item && c.index === Number(seg))
      : node.children.find((c) => c.key === seg);
    if (!next) return found;
    node = next;
    found = { line: node.line, column: node.column, complete: s === segments.length - 1 };
  }
  return found;
}

function pointerSegments(pointer) {
  if (!pointer) return [];
  return pointer
    .replace(/^\//, "")
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** The editor key of an error's `file`, or null when it is not in the workspace. */
export function keyForFile(workspace, file) {
  if (!file) return null;
  if (workspace.files.has(file)) return file;
  if (workspace.values.some((v) => v.name === file)) return VALUES_PREFIX + file;
  const stripped = file.includes("/") ? file.slice(file.indexOf("/") + 1) : null;
  if (stripped && workspace.files.has(stripped)) return stripped;
  return null;
}

/** Where a schema violation's value is set: a user values file, the parent's or the subchart's values.yaml. */
function locateViolation(workspace, violation) {
  const rootName = workspace.chartInfo().name;
  const chain = String(violation.chart ?? "").split(/[./]/).filter(Boolean);
  const subcharts = chain[0] === rootName ? chain.slice(1) : chain.length > 1 ? chain.slice(1) : [];
  const segs = pointerSegments(violation.path);
  const candidates = [];
  for (const v of [...workspace.values].reverse()) {
    if (v.enabled) candidates.push([VALUES_PREFIX + v.name, [...subcharts, ...segs]]);
  }
  candidates.push(["values.yaml", [...subcharts, ...segs]]);
  if (subcharts.length) candidates.push([subcharts.map((c) => `charts/${c}`).join("/") + "/values.yaml", segs]);
  let best = null;
  for (const [key, path] of candidates) {
    const text = workspace.readDoc(key);
    if (typeof text !== "string") continue;
    const at = locateYamlPath(text, path);
    if (at?.complete) return { key, ...at };
    if (at && !best) best = { key, ...at };
  }
  return best;
}

/**
 * Rows for the errors panel and markers for the editor from one render error.
 * @returns {{ rows: object[], markers: Map<string, object[]> }}
 */
export function describeError(workspace, error) {
  const rows = [];
  const markers = new Map();
  const mark = (key, marker) => {
    if (!markers.has(key)) markers.set(key, []);
    markers.get(key).push(marker);
  };
  if (error.violations?.length) {
    rows.push({ kind: error.kind, message: error.helmMessage || error.message, key: null });
    for (const v of error.violations) {
      const at = locateViolation(workspace, v);
      const message = `${v.chart}: at '${v.path || "/"}': ${v.message}`;
      rows.push({ kind: "schema", message, key: at?.key ?? null, line: at?.line, column: at?.column, sub: true });
      if (at) mark(at.key, { line: at.line, column: at.column, message });
    }
    return { rows, markers };
  }
  const key = keyForFile(workspace, error.file);
  const detail = error.kind === "yaml" ? invalidDocument(error.output, error.file) : null;
  rows.push({ kind: error.kind, message: error.helmMessage || error.message, key, file: error.file, line: error.line, column: error.column, detail });
  if (key && error.line) mark(key, { line: error.line, column: error.column, message: error.message || error.helmMessage });
  return { rows, markers };
}

/**
 * The rendered text of the template a YAML error is in, from the output
 * `debug` renders come with: the lines its `yaml: line N` counts.
 */
export function invalidDocument(output, file) {
  if (!output || !file) return null;
  const docs = output.split(/^---\n/m);
  for (const doc of docs) {
    const m = /^# Source: [^/\n]+\/(.*)\n/.exec(doc);
    if (m && m[1] === file) return doc.slice(m[0].length).replace(/\n+$/, "");
  }
  return null;
}

function numbered(text) {
  const lines = text.split("\n");
  const width = String(lines.length).length;
  return lines.map((l, i) => `${String(i + 1).padStart(width)}  ${l}`).join("\n");
}

/** Draws the errors panel; a row with a location opens it on click or Enter. */
export function renderErrors(root, rows, onOpen) {
  if (rows.length === 0) {
    root.replaceChildren(h("p", { class: "no-errors" }, "No errors."));
    root.classList.remove("has-errors");
    return;
  }
  root.classList.add("has-errors");
  root.replaceChildren(
    h(
      "ul",
      {},
      rows.map((row) => {
        const where = row.key ? `${row.key.startsWith(VALUES_PREFIX) ? "-f " + row.key.slice(VALUES_PREFIX.length) : row.key}${row.line ? `:${row.line}` : ""}${row.column ? `:${row.column}` : ""}` : null;
        return h(
          "li",
          { class: `error-row${row.sub ? " sub" : ""}`, "data-kind": row.kind },
          h("span", { class: "badge kind" }, row.kind),
          where
            ? h("button", { type: "button", class: "link where", onclick: () => onOpen(row.key, row.line, row.column), "data-key": row.key, "data-line": row.line ?? "" }, where)
            : null,
          h("span", { class: "message" }, row.message),
          row.detail
            ? h(
                "details",
                { class: "detail" },
                h("summary", {}, "The rendered YAML it refers to (what helm --debug prints)"),
                h("pre", { class: "code" }, numbered(row.detail)),
              )
            : null,
        );
      }),
    ),
  );
}
