// Node memory of the npm package: a fresh Node process imports pkg/node.mjs
// and renders the corpus's largest charts; nothing is subtracted. Reported
// per process: RSS before the import (bare Node), after the import, after
// the first render and after RENDERS renders, the peak RSS (maxRSS), the
// wasm instance's linear memory (memory.buffer.byteLength, which never
// shrinks: growth between renders of the same chart is a leak or
// fragmentation) and the median render time. Run by `build.sh bench`.
// Environment: CHARTROOM_MEMORY_RENDERS (default 6), CHARTROOM_MEMORY_REPEATS
// (processes per measurement, default 3).
//
//   node benches/node_memory.mjs [--node-flag FLAG]... [CASE...]
//       one process per case, then one process rendering every case in turn;
//       --node-flag passes a flag to the measured processes (only to measure
//       V8's share, e.g. --no-wasm-tier-up or --liftoff-only)
//   node benches/node_memory.mjs --child CASE...      one measured process (JSON out)
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const RENDERS = Number(process.env.CHARTROOM_MEMORY_RENDERS ?? 6);
// RSS moves by 10-20 MB from run to run (when V8's background compiles and
// GCs land): each measurement is the run with the median peak of REPEATS.
const REPEATS = Number(process.env.CHARTROOM_MEMORY_REPEATS ?? 3);
const MiB = 2 ** 20;
const args = process.argv.slice(2);

if (args[0] === "--child") {
  const bare = process.memoryUsage().rss;
  const { join } = await import("node:path");
  const { pkgDir, readTree } = await import("../tests/js/common.mjs");
  const { caseSpec, corpus, optionsFor } = await import("./cases.mjs");
  const cr = await import(join(pkgDir, "node.mjs"));
  const glue = await import(join(pkgDir, "chartroom.js"));
  const imported = process.memoryUsage().rss;
  const cases = [];
  for (const dir of args.slice(1)) {
    const spec = caseSpec(dir);
    const files = readTree(join(corpus, spec.chart));
    const options = optionsFor(dir, spec);
    const rss = [];
    const wasm = [];
    const ms = [];
    for (let i = 0; i < RENDERS; i++) {
      const t0 = performance.now();
      cr.renderChart(files, options);
      ms.push(performance.now() - t0);
      rss.push(process.memoryUsage().rss);
      wasm.push(glue.__chartroom_memory_bytes());
    }
    cases.push({ id: dir.split("/").pop(), rss, wasm, ms });
  }
  const usage = process.memoryUsage();
  console.log(
    JSON.stringify({
      bare,
      imported,
      cases,
      maxRss: process.resourceUsage().maxRSS * 1024,
      heapUsed: usage.heapUsed,
      arrayBuffers: usage.arrayBuffers,
    }),
  );
  process.exit(0);
}

const nodeFlags = [];
while (args[0] === "--node-flag") {
  nodeFlags.push(args[1]);
  args.splice(0, 2);
}
const { largestCases } = await import("./cases.mjs");
const cases = args.length ? args : largestCases();
const self = fileURLToPath(import.meta.url);
const measureOnce = (dirs) =>
  JSON.parse(execFileSync(process.execPath, [...nodeFlags, self, "--child", ...dirs], { encoding: "utf8" }));
const measure = (dirs) => {
  const runs = Array.from({ length: REPEATS }, () => measureOnce(dirs)).sort((a, b) => a.maxRss - b.maxRss);
  return runs[Math.floor(runs.length / 2)];
};
const mb = (bytes) => (bytes / MiB).toFixed(1);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(
  `node ${process.version}${nodeFlags.length ? " " + nodeFlags.join(" ") : ""}: RSS in MiB of a fresh process ` +
    `(bare = before the import; the run with the median peak of ${REPEATS}); wasm = linear memory after render 1 and ` +
    `${RENDERS}; ms = median of ${RENDERS} renders (the first ones run before V8's optimizing tier is ready)`,
);
console.log(
  `${"case".padEnd(44)} ${"bare".padStart(5)} ${"import".padStart(6)} ${"render1".padStart(7)} ${"render" + RENDERS}`.padEnd(75) +
    ` ${"max".padStart(5)} ${"+bare".padStart(5)} ${"wasm1".padStart(5)} ${"wasm" + RENDERS} ${"ms".padStart(5)}`,
);
const row = (label, r, c) =>
  `${label.padEnd(44)} ${mb(r.bare).padStart(5)} ${mb(r.imported).padStart(6)} ${mb(c.rss[0]).padStart(7)} ` +
  `${mb(c.rss.at(-1)).padStart(7)}`.padEnd(8) +
  `${mb(r.maxRss).padStart(6)} ${mb(r.maxRss - r.bare).padStart(5)} ${mb(c.wasm[0]).padStart(5)} ` +
  `${mb(c.wasm.at(-1)).padStart(5)} ${median(c.ms).toFixed(1).padStart(5)}`;
for (const dir of cases) {
  const r = measure([dir]);
  console.log(row(r.cases[0].id.slice(0, 44), r, r.cases[0]));
}
const all = measure(cases);
const last = all.cases.at(-1);
console.log(
  row(`all ${cases.length} in one process (last case's renders)`, all, last) +
    `  heap ${mb(all.heapUsed)}, arrayBuffers ${mb(all.arrayBuffers)}`,
);
