#!/usr/bin/env node
// Builds the playground into one folder of static files:
//   node www/build.mjs --out DIR --pkg PKG_DIR [--element js/element.js]
// app.js (CodeMirror and the page's modules, bundled by esbuild, with the
// example gallery of www/examples inlined), worker.js, app.css, index.html,
// embed.html, sw.js (offline cache of exactly these files) and pkg/ (the
// Chartroom npm package: index.js and its .wasm, plus element.js).
// npm packages come from $CHARTROOM_NODE_MODULES (build.sh ensure_npm_deps).

import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const WWW = dirname(fileURLToPath(import.meta.url));

function args() {
  const out = { out: null, pkg: null, element: join(WWW, "..", "js", "element.js") };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, "");
    if (!(key in out)) throw new Error(`unknown option ${argv[i]}`);
    out[key] = resolve(argv[i + 1]);
  }
  if (!out.out || !out.pkg) throw new Error("usage: node www/build.mjs --out DIR --pkg PKG_DIR [--element FILE]");
  return out;
}

function walk(dir, base = dir) {
  const files = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...walk(path, base));
    else files.push(relative(base, path).split("\\").join("/"));
  }
  return files;
}

/** The gallery: every www/examples/<id>/ with an example.json and a chart/ folder. */
export function loadExamples(dir = join(WWW, "examples")) {
  const examples = [];
  for (const id of readdirSync(dir).sort()) {
    const metaPath = join(dir, id, "example.json");
    if (!existsSync(metaPath)) continue;
    const meta = JSON.parse(readFileSync(metaPath, "utf8"));
    const chartDir = join(dir, id, "chart");
    const files = {};
    for (const path of walk(chartDir)) {
      const bytes = readFileSync(join(chartDir, path));
      const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      files[path] = text;
    }
    const values = (meta.values ?? []).map((name) => ({ name, text: readFileSync(join(dir, id, "values", name), "utf8") }));
    examples.push({
      id,
      title: meta.title,
      description: meta.description,
      order: meta.order ?? 100,
      files,
      values,
      set: meta.set ?? [],
      release: meta.release ?? {},
    });
  }
  return examples.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}

function esbuildModule() {
  const modules = process.env.CHARTROOM_NODE_MODULES;
  if (!modules) throw new Error("CHARTROOM_NODE_MODULES is not set (build.sh ensure_npm_deps sets it)");
  return { esbuild: createRequire(join(modules, "index.js"))("esbuild"), modules };
}

async function main() {
  const opts = args();
  const pkgIndex = join(opts.pkg, "index.js");
  if (!existsSync(pkgIndex)) throw new Error(`${pkgIndex} is missing: build the npm package first (./build.sh pkg)`);
  const { esbuild, modules } = esbuildModule();
  rmSync(opts.out, { recursive: true, force: true });
  mkdirSync(opts.out, { recursive: true });

  const examples = loadExamples();
  const examplesPlugin = {
    name: "examples",
    setup(build) {
      build.onResolve({ filter: /^virtual:examples$/ }, () => ({ path: "examples", namespace: "examples" }));
      build.onLoad({ filter: /.*/, namespace: "examples" }, () => ({
        contents: `export default ${JSON.stringify(examples)};`,
        loader: "js",
        watchFiles: walk(join(WWW, "examples")).map((p) => join(WWW, "examples", p)),
      }));
    },
  };
  const common = {
    bundle: true,
    format: "esm",
    target: "es2022",
    minify: true,
    sourcemap: true,
    nodePaths: [modules],
    logLevel: "warning",
    outdir: opts.out,
  };
  // CodeMirror (editor.js) becomes its own chunk, loaded after the first render request.
  await esbuild.build({ ...common, entryPoints: { app: join(WWW, "src", "main.js") }, plugins: [examplesPlugin], splitting: true });
  await esbuild.build({ ...common, entryPoints: { worker: join(WWW, "src", "worker.js") }, external: ["./pkg/index.js"] });
  await esbuild.build({ ...common, entryPoints: { app: join(WWW, "style.css") }, sourcemap: false });
  for (const page of ["index.html", "embed.html"]) cpSync(join(WWW, page), join(opts.out, page));

  cpSync(opts.pkg, join(opts.out, "pkg"), { recursive: true, filter: (src) => !/node_modules/.test(src) });
  if (!existsSync(join(opts.out, "pkg", "element.js"))) cpSync(opts.element, join(opts.out, "pkg", "element.js"));

  // The service worker caches exactly what was built; its cache name is a
  // hash of the contents, so a new build replaces the old cache.
  const files = walk(opts.out).filter((p) => !p.endsWith(".map") && !p.endsWith(".d.ts") && p !== "sw.js");
  const hash = createHash("sha256");
  for (const p of files) hash.update(p).update(readFileSync(join(opts.out, p)));
  const sw = readFileSync(join(WWW, "sw.js"), "utf8")
    .replace('"__VERSION__"', JSON.stringify(`chartroom-${hash.digest("hex").slice(0, 16)}`))
    .replace("__FILES__", JSON.stringify(["./", ...files.filter((p) => p !== "index.html")]));
  writeFileSync(join(opts.out, "sw.js"), sw);
  console.log(`playground built in ${opts.out} (${files.length} files, ${examples.length} examples)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`www/build.mjs: ${err.message}`);
    process.exit(1);
  });
}
