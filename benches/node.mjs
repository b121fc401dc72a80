// The npm package in Node: how soon the module is ready, how fast it renders
// the corpus's largest charts beside the native in-process render, and how
// much memory Node uses. Run by `build.sh bench` after `build.sh pkg`.
//
//   node benches/node.mjs --list                  the cases (largest case of the five largest charts)
//   node benches/node.mjs --dump-options DIR      the cases as `CHART_DIR OPTIONS_JSON ID` triples for
//                                                 `cargo bench --bench request` (options written into DIR)
//   node benches/node.mjs [--fresh] [--native FILE] CASE...
//                                                 measure; FILE holds `cargo bench --bench request` lines
//                                                 (run with the same --fresh). --fresh: every render gets
//                                                 a chart no earlier render saw (each template ends with a
//                                                 comment naming the render, each values schema with as
//                                                 many spaces), so nothing kept between renders applies:
//                                                 first renders, as when a chart is opened
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pkgDir, readTree } from "../tests/js/common.mjs";
import { corpus, largestCases, optionsFor } from "./cases.mjs";

const RUNS = 20;
const WARMUP = 3;
const args = process.argv.slice(2);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

if (args[0] === "--dump-options") {
  mkdirSync(args[1], { recursive: true });
  for (const dir of largestCases()) {
    const id = dir.split("/").pop();
    const spec = JSON.parse(readFileSync(join(dir, "case.json"), "utf8"));
    const file = join(args[1], `${id}.json`);
    writeFileSync(file, JSON.stringify(optionsFor(dir, spec)));
    console.log(`${join(corpus, spec.chart)} ${file} ${id}`);
  }
  process.exit(0);
}

if (args[0] === "--list") {
  console.log(largestCases().join("\n"));
  process.exit(0);
}

const fresh = args[0] === "--fresh";
if (fresh) args.shift();
// The chart for render `n` in --fresh mode (see the top).
const encoder = new TextEncoder();
const madeFresh = (files, n) => {
  const out = {};
  for (const [name, data] of Object.entries(files)) {
    let extra = null;
    if (name.startsWith("templates/") || name.includes("/templates/")) extra = `{{/* render ${n} */}}`;
    else if (name.endsWith("values.schema.json")) extra = " ".repeat(n + 1);
    if (extra === null) {
      out[name] = data;
    } else {
      const tail = encoder.encode(extra);
      const both = new Uint8Array(data.length + tail.length);
      both.set(data);
      both.set(tail, data.length);
      out[name] = both;
    }
  }
  return out;
};

let nativeFile = null;
if (args[0] === "--native") {
  nativeFile = args[1];
  args.splice(0, 2);
}
const cases = args.length ? args : largestCases();
const native = new Map();
if (nativeFile && existsSync(nativeFile)) {
  for (const line of readFileSync(nativeFile, "utf8").split("\n")) {
    const m = /chart=(\S+) .*median_ns=(\d+)/.exec(line);
    if (m && line.includes(" fresh ") !== fresh) {
      console.error(`node.mjs: ${nativeFile} was measured ${fresh ? "without" : "with"} --fresh`);
      process.exit(1);
    }
    if (m) native.set(m[1], Number(m[2]) / 1e6);
  }
}

// 1. Ready: a fresh Node process per run imports the package.
const probe = `const t0 = performance.now(); await import(${JSON.stringify(join(pkgDir, "node.mjs"))});
const t1 = performance.now(); console.log(JSON.stringify({ importMs: t1 - t0, sinceStartMs: t1 }));`;
const ready = [];
for (let i = 0; i < RUNS; i++) {
  ready.push(JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", probe], { encoding: "utf8" })));
}
console.log(
  `node ${process.version}: module ready in ${median(ready.map((r) => r.importMs)).toFixed(1)} ms (import, median of ${RUNS} fresh processes); ` +
    `${median(ready.map((r) => r.sinceStartMs)).toFixed(1)} ms after process start`,
);

// 2. Renders, in this process.
const cr = await import(join(pkgDir, "node.mjs"));
// "cpu ms": the process's CPU time per render (median), steadier than the
// wall time when other work shares the cores.
console.log(
  `${"case".padEnd(52)} ${"out KiB".padStart(7)} ${"node ms".padStart(8)} ${"cpu ms".padStart(7)} ${"native ms".padStart(9)} ${"node/native".padStart(11)}`,
);
for (const dir of cases) {
  const id = dir.split("/").pop();
  const spec = JSON.parse(readFileSync(join(dir, "case.json"), "utf8"));
  const files = readTree(join(corpus, spec.chart));
  const options = optionsFor(dir, spec);
  const inputs = Array.from({ length: WARMUP + RUNS }, (_, i) => (fresh ? madeFresh(files, i) : files));
  let out = "";
  for (let i = 0; i < WARMUP; i++) out = cr.renderChart(inputs[i], options).output;
  const times = [];
  const cpu = [];
  for (let i = 0; i < RUNS; i++) {
    const input = inputs[WARMUP + i];
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    cr.renderChart(input, options);
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const ms = median(times);
  const nat = native.get(id);
  console.log(
    `${id.padEnd(52)} ${(out.length / 1024).toFixed(0).padStart(7)} ${ms.toFixed(2).padStart(8)} ${median(cpu).toFixed(2).padStart(7)} ` +
      `${nat === undefined ? "-".padStart(9) : nat.toFixed(2).padStart(9)} ${nat === undefined ? "-".padStart(11) : (ms / nat).toFixed(2).padStart(11)}`,
  );
}
const maxRss = process.resourceUsage().maxRSS / 1024;
console.log(`node memory: peak RSS ${maxRss.toFixed(1)} MiB, heap used ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1)} MiB after the renders`);
