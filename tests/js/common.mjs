// Shared by the JS tests: where the built package is, and charts as file maps.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));
export const pkgDir = process.env.CHARTROOM_PKG ?? join(root, "pkg");
export const conformance =
  process.env.CHARTROOM_CONFORMANCE ?? join(root, "..", "shared", "conformance");

/** Every file under `dir` as path (relative, `/`-separated) -> bytes. */
export function readTree(dir) {
  const files = {};
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path).split(sep).join("/")] = new Uint8Array(readFileSync(path));
    }
  };
  walk(dir);
  return files;
}
