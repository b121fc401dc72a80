// Share links: the whole workspace as JSON, deflated with the browser's
// CompressionStream, in the URL's hash as `#ws1.<base64url>`.

import { Workspace, bytesToBase64, base64ToBytes } from "./workspace.js";

const PREFIX = "#ws1.";

async function pipe(bytes, transform) {
  const stream = new Blob([bytes]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The hash (`#ws1.…`) that restores `workspace`. */
export async function encodeWorkspace(workspace) {
  const json = new TextEncoder().encode(JSON.stringify(workspace.toJSON()));
  const packed = await pipe(json, new CompressionStream("deflate-raw"));
  return PREFIX + bytesToBase64(packed).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** True when a hash holds a workspace. */
export function isWorkspaceHash(hash) {
  return hash.startsWith(PREFIX);
}

/** The workspace in a `#ws1.…` hash; throws when it is damaged. */
export async function decodeWorkspace(hash) {
  if (!isWorkspaceHash(hash)) throw new Error("not a playground link");
  const base64 = hash.slice(PREFIX.length).replace(/-/g, "+").replace(/_/g, "/");
  const packed = base64ToBytes(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  const json = await pipe(packed, new DecompressionStream("deflate-raw"));
  return Workspace.fromJSON(JSON.parse(new TextDecoder().decode(json)));
}
