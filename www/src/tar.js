// Chart archives: a gzip'd ustar stream as `helm package` writes it (one
// top-level folder named after the chart). Reading also accepts the PAX and
// GNU long-name records other tar writers emit. Gzip is the browser's own
// CompressionStream / DecompressionStream.

const BLOCK = 512;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Gzip bytes with the browser's CompressionStream. */
export async function gzip(bytes) {
  return streamBytes(new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip")));
}

/** Gunzip bytes with the browser's DecompressionStream. */
export async function gunzip(bytes) {
  return streamBytes(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")));
}

async function streamBytes(stream) {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** True when the bytes start with gzip's magic number. */
export function isGzip(bytes) {
  return bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function readString(bytes, offset, length) {
  let end = offset;
  while (end < offset + length && bytes[end] !== 0) end++;
  return decoder.decode(bytes.subarray(offset, end));
}

function readOctal(bytes, offset, length) {
  const text = readString(bytes, offset, length).trim();
  return text === "" ? 0 : parseInt(text, 8);
}

/** Values of a PAX extended header: `LEN key=value\n` records. */
function parsePax(bytes) {
  const fields = {};
  let pos = 0;
  while (pos < bytes.length) {
    const space = bytes.indexOf(0x20, pos);
    if (space < 0) break;
    const length = parseInt(decoder.decode(bytes.subarray(pos, space)), 10);
    if (!(length > 0)) break;
    const record = decoder.decode(bytes.subarray(space + 1, pos + length - 1));
    const eq = record.indexOf("=");
    if (eq > 0) fields[record.slice(0, eq)] = record.slice(eq + 1);
    pos += length;
  }
  return fields;
}

/**
 * The regular files of a tar stream, as `{ path, data }` in archive order.
 * Folders, links and devices are skipped. Throws on a truncated archive.
 */
export function untar(bytes) {
  const files = [];
  let offset = 0;
  let longName = null;
  let pax = {};
  while (offset + BLOCK <= bytes.length) {
    const header = bytes.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = readOctal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 0x30);
    const prefix = readString(header, 345, 155);
    let name = readString(header, 0, 100);
    if (prefix && readString(header, 257, 6) === "ustar") name = `${prefix}/${name}`;
    const start = offset + BLOCK;
    const end = start + size;
    if (end > bytes.length) throw new Error("the archive is truncated");
    const data = bytes.slice(start, end);
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "L") {
      longName = readString(data, 0, data.length);
      continue;
    }
    if (type === "x") {
      pax = parsePax(data);
      continue;
    }
    if (type === "g") continue;
    const path = pax.path ?? longName ?? name;
    longName = null;
    pax = {};
    if (type === "0" || type === "\0" || type === "7") files.push({ path, data });
  }
  return files;
}

function writeString(block, offset, length, text) {
  const bytes = encoder.encode(text);
  block.set(bytes.subarray(0, length), offset);
}

function writeOctal(block, offset, length, value) {
  writeString(block, offset, length, value.toString(8).padStart(length - 1, "0") + "\0");
}

function header(name, size, type, mtime) {
  const block = new Uint8Array(BLOCK);
  writeString(block, 0, 100, name);
  writeOctal(block, 100, 8, type === "5" ? 0o755 : 0o644);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, mtime);
  block.fill(0x20, 148, 156); // checksum field counts as spaces
  block[156] = type.charCodeAt(0);
  writeString(block, 257, 6, "ustar\0");
  writeString(block, 263, 2, "00");
  let sum = 0;
  for (const b of block) sum += b;
  writeString(block, 148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
  return block;
}

function paxHeader(path, mtime) {
  const record = (key, value) => {
    const body = ` ${key}=${value}\n`;
    const n = encoder.encode(body).length;
    let length = n + String(n).length;
    if (String(length).length > String(n).length) length = n + String(length).length;
    return `${length}${body}`;
  };
  const data = encoder.encode(record("path", path));
  return [header("PaxHeader", data.length, "x", mtime), pad(data)];
}

function pad(data) {
  const rest = data.length % BLOCK;
  if (rest === 0) return data;
  const out = new Uint8Array(data.length + BLOCK - rest);
  out.set(data);
  return out;
}

/**
 * A tar stream of `entries` (`{ path, data }`, data a string or bytes).
 * Paths longer than ustar's 100 bytes get a PAX record.
 */
export function tar(entries, mtime = Math.floor(Date.now() / 1000)) {
  const parts = [];
  for (const { path, data } of entries) {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    if (encoder.encode(path).length > 100) parts.push(...paxHeader(path, mtime));
    parts.push(header(path, bytes.length, "0", mtime), pad(bytes));
  }
  parts.push(new Uint8Array(BLOCK * 2));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
