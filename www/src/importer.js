// Opening charts: a dropped or picked folder, or a packaged chart (`.tgz`).
// The chart root is the shallowest folder holding a Chart.yaml; files outside
// it and version-control folders are left out.

import { gunzip, isGzip, untar } from "./tar.js";
import { decodeIfText } from "./workspace.js";

const SKIP = /(^|\/)(\.git|\.hg|\.svn|node_modules)\//;

/**
 * Chart files (`{ path: text|bytes }`) from `{ path, data }` entries whose
 * paths may start with folders above the chart.
 */
export function chartFromEntries(entries) {
  const roots = entries
    .map((e) => e.path.replace(/^\.?\//, ""))
    .filter((p) => /(^|\/)Chart\.yaml$/.test(p) && !SKIP.test(p))
    .map((p) => p.slice(0, p.length - "Chart.yaml".length));
  if (roots.length === 0) throw new Error("no Chart.yaml found: open a chart's folder or a chart archive");
  const root = roots.sort((a, b) => a.split("/").length - b.split("/").length || a.length - b.length)[0];
  const files = {};
  for (const { path, data } of entries) {
    const p = path.replace(/^\.?\//, "");
    if (!p.startsWith(root) || SKIP.test(p)) continue;
    const rel = p.slice(root.length);
    if (rel) files[rel] = data instanceof Uint8Array ? decodeIfText(data) : data;
  }
  return files;
}

/** Chart files from a `.tgz` (or plain `.tar`) archive's bytes. */
export async function chartFromArchive(bytes) {
  const tarBytes = isGzip(bytes) ? await gunzip(bytes) : bytes;
  return chartFromEntries(untar(tarBytes));
}

/** Chart files from `<input type=file webkitdirectory>` files. */
export async function chartFromFileList(fileList) {
  const files = [...fileList];
  if (files.length === 1 && /\.(tgz|tar\.gz|tar)$/i.test(files[0].name)) {
    return chartFromArchive(new Uint8Array(await files[0].arrayBuffer()));
  }
  const entries = await Promise.all(
    files.map(async (f) => ({ path: f.webkitRelativePath || f.name, data: new Uint8Array(await f.arrayBuffer()) })),
  );
  return chartFromEntries(entries);
}

function readEntries(reader) {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry) {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(entry, prefix, out) {
  if (entry.isFile) {
    const file = await fileOf(entry);
    out.push({ path: prefix + entry.name, data: new Uint8Array(await file.arrayBuffer()) });
  } else if (entry.isDirectory) {
    if (SKIP.test(prefix + entry.name + "/")) return;
    const reader = entry.createReader();
    for (let batch = await readEntries(reader); batch.length; batch = await readEntries(reader)) {
      for (const child of batch) await walk(child, `${prefix}${entry.name}/`, out);
    }
  }
}

/** Chart files from a drop: a folder, an archive, or loose files. */
export async function chartFromDrop(dataTransfer) {
  const items = [...dataTransfer.items].filter((i) => i.kind === "file");
  const entries = items.map((i) => i.webkitGetAsEntry?.()).filter(Boolean);
  if (entries.length === 1 && entries[0].isFile && /\.(tgz|tar\.gz|tar)$/i.test(entries[0].name)) {
    const file = await fileOf(entries[0]);
    return chartFromArchive(new Uint8Array(await file.arrayBuffer()));
  }
  if (entries.length === 0) return chartFromFileList(dataTransfer.files);
  const out = [];
  for (const entry of entries) await walk(entry, "", out);
  return chartFromEntries(out);
}
