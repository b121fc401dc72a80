// Writes pkg/package.json for the npm package (run by `build.sh pkg`):
// node js/package.mjs VERSION OUT_DIR
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [version, out] = process.argv.slice(2);
if (!version || !out) {
  console.error("usage: node js/package.mjs VERSION OUT_DIR");
  process.exit(2);
}

const pkg = {
  name: "chartroom",
  version,
  description: "Render Helm charts exactly like `helm template` v3.21.4, in WebAssembly: no helm binary, no cluster",
  license: "Apache-2.0",
  keywords: ["helm", "kubernetes", "chart", "template", "wasm", "webassembly"],
  type: "module",
  main: "./node.cjs",
  module: "./index.js",
  types: "./index.d.ts",
  exports: {
    ".": {
      node: {
        import: { types: "./index.d.ts", default: "./node.mjs" },
        require: { types: "./index.d.cts", default: "./node.cjs" },
      },
      browser: { types: "./index.d.ts", default: "./index.js" },
      default: { types: "./index.d.ts", default: "./index.js" },
    },
    "./element": { types: "./element.d.ts", default: "./element.js" },
    "./chartroom_bg.wasm": "./chartroom_bg.wasm",
    "./package.json": "./package.json",
  },
  files: [
    "index.js",
    "index.d.ts",
    "index.d.cts",
    "node.mjs",
    "node.cjs",
    "chartroom.js",
    "chartroom_bg.wasm",
    "element.js",
    "element.d.ts",
    "README.md",
    "LICENSE",
  ],
  sideEffects: ["./node.mjs", "./node.cjs", "./element.js"],
  engines: { node: ">=18" },
};

// The custom element ships once its sources exist.
pkg.files = pkg.files.filter((f) => existsSync(join(out, f)));
if (!pkg.files.includes("element.js")) delete pkg.exports["./element"];

writeFileSync(join(out, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
