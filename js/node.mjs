// The Node.js entry point: the module is loaded synchronously on import, so
// every call works at once, with no top-level await. build.sh also bundles
// this file as CommonJS (node.cjs) for `require`.

import { readFileSync } from "node:fs";
import { initSync } from "./index.js";

initSync(readFileSync(new URL("./chartroom_bg.wasm", import.meta.url)));

export * from "./index.js";
