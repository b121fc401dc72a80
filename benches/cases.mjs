// The benchmark cases shared by benches/node.mjs and benches/node_memory.mjs:
// the largest passing case of each of the corpus's five largest charts, and
// its `helm template` flags as renderChart options.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { conformance } from "../tests/js/common.mjs";

export const corpus = join(conformance, "charts", "public");

/** Case directories: the largest expected output of each chart, largest first. */
export function largestCases(count = 5) {
  const best = new Map();
  for (const id of readdirSync(join(corpus, "cases"))) {
    const dir = join(corpus, "cases", id);
    const spec = JSON.parse(readFileSync(join(dir, "case.json"), "utf8"));
    if (spec.exit !== 0) continue;
    const size = statSync(join(dir, "expected.out")).size;
    if (!best.has(spec.chart) || best.get(spec.chart).size < size) best.set(spec.chart, { dir, size });
  }
  return [...best.values()].sort((a, b) => b.size - a.size).slice(0, count).map((c) => c.dir);
}

/** The case's `case.json`. */
export function caseSpec(dir) {
  return JSON.parse(readFileSync(join(dir, "case.json"), "utf8"));
}

/** The case's `helm template` flags as renderChart options. */
export function optionsFor(dir, spec) {
  const options = { releaseName: spec.release ?? undefined, kubeVersion: spec.kubeDefault };
  const a = spec.args;
  for (let i = 0; i < a.length; i++) {
    const push = (k, v) => (options[k] ??= []).push(v);
    if (a[i] === "--namespace") options.namespace = a[++i];
    else if (a[i] === "--kube-version") options.kubeVersion = a[++i];
    else if (a[i] === "--set") push("set", a[++i]);
    else if (a[i] === "--set-string") push("setString", a[++i]);
    else if (a[i] === "-f" || a[i] === "--values") push("values", { name: a[i + 1], text: readFileSync(join(dir, a[++i]), "utf8") });
    else if (a[i] === "--api-versions") push("apiVersions", a[++i]);
    else if (a[i] === "--include-crds") options.includeCrds = true;
    else throw new Error(`bench: flag ${a[i]} not mapped`);
  }
  return options;
}
