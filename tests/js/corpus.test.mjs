// renderChart over every case of the chart corpus: the package must print
// exactly what the native CLI prints (CHARTROOM_CLI, default the debug build)
// for the same chart and flags, and fail with the same error. Lines that
// differ between two helm runs (random and time functions, mask.json) may
// differ here too. Every case is counted; none is skipped.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { conformance, readTree, root } from "./common.mjs";
import * as cr from "../../pkg/node.mjs";

const corpus = join(conformance, "charts", "public");
const cli = (process.env.CHARTROOM_CLI ?? `${join(root, "target", "debug", "chartroom")} template`).split(" ");
const run = promisify(execFile);

/** The case's `helm template` flags as renderChart options. */
function optionsFor(caseDir, spec) {
  const options = { releaseName: spec.release ?? undefined };
  const list = (key, value) => (options[key] ??= []).push(value);
  const args = [...spec.args];
  for (let i = 0; i < args.length; i++) {
    let flag = args[i];
    let value;
    if (flag.includes("=") && flag.startsWith("--")) [flag, value] = [flag.slice(0, flag.indexOf("=")), flag.slice(flag.indexOf("=") + 1)];
    const next = () => value ?? args[++i];
    switch (flag) {
      case "--namespace": case "-n": options.namespace = next(); break;
      case "--kube-version": options.kubeVersion = next(); break;
      case "--api-versions": case "-a": for (const v of next().split(",")) list("apiVersions", v); break;
      case "--show-only": case "-s": for (const v of next().split(",")) list("showOnly", v); break;
      case "--set": list("set", next()); break;
      case "--set-string": list("setString", next()); break;
      case "--set-json": list("setJson", next()); break;
      case "--set-literal": list("setLiteral", next()); break;
      case "-f": case "--values": {
        for (const name of next().split(",")) {
          list("values", { name, text: readFileSync(join(caseDir, name), "utf8") });
        }
        break;
      }
      case "--include-crds": options.includeCrds = true; break;
      case "--skip-tests": options.skipTests = true; break;
      case "--name-template": options.nameTemplate = next(); break;
      case "--debug": options.debug = true; break;
      default: throw new Error(`corpus flag without an option mapping: ${flag}`);
    }
  }
  // The CLI reads CHARTROOM_DEFAULT_KUBE_VERSION as run_cases.py sets it.
  options.kubeVersion ??= spec.kubeDefault;
  return options;
}

function sameLines(actual, expected, masked) {
  const a = actual.split("\n");
  const b = expected.split("\n");
  if (a.length !== b.length) return `line count ${a.length} vs ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i] && !masked.has(i)) return `line ${i + 1}: ${JSON.stringify(a[i])} vs ${JSON.stringify(b[i])}`;
  }
  return null;
}

test("renderChart agrees with the native CLI on every corpus case", { timeout: 30 * 60 * 1000 }, async () => {
  assert.ok(existsSync(corpus), `no chart corpus at ${corpus}`);
  assert.ok(existsSync(cli[0]), `no native CLI at ${cli[0]} (set CHARTROOM_CLI)`);
  const ids = readdirSync(join(corpus, "cases")).sort();
  const trees = new Map();
  const failures = [];
  let agreed = 0;
  // The CLI runs for the next cases while this process renders.
  const pending = new Map();
  const cliRun = (id) => {
    const caseDir = join(corpus, "cases", id);
    const spec = JSON.parse(readFileSync(join(caseDir, "case.json"), "utf8"));
    const argv = [...cli.slice(1), ...(spec.release != null ? [spec.release] : []), join("..", "..", spec.chart), ...spec.args];
    const env = { ...process.env, CHARTROOM_DEFAULT_KUBE_VERSION: spec.kubeDefault ?? "" };
    return run(cli[0], argv, { cwd: caseDir, env, maxBuffer: 1 << 30 }).then(
      ({ stdout }) => ({ code: 0, stdout, stderr: "" }),
      (e) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  };
  for (let k = 0; k < Math.min(2, ids.length); k++) pending.set(ids[k], cliRun(ids[k]));
  for (let n = 0; n < ids.length; n++) {
    const id = ids[n];
    if (n + 2 < ids.length) pending.set(ids[n + 2], cliRun(ids[n + 2]));
    const caseDir = join(corpus, "cases", id);
    const spec = JSON.parse(readFileSync(join(caseDir, "case.json"), "utf8"));
    if (!trees.has(spec.chart)) trees.set(spec.chart, readTree(join(corpus, spec.chart)));
    const maskFile = join(caseDir, "mask.json");
    const masked = new Set(existsSync(maskFile) ? JSON.parse(readFileSync(maskFile, "utf8")).lines : []);
    let mine;
    try {
      mine = { code: 0, stdout: cr.renderChart(trees.get(spec.chart), optionsFor(caseDir, spec)).output };
    } catch (e) {
      if (!(e instanceof cr.ChartroomError)) throw e;
      mine = { code: 1, error: e.helmMessage };
    }
    const native = await pending.get(id);
    pending.delete(id);
    let problem = null;
    if (native.code !== mine.code) {
      problem = `exit ${mine.code} vs the CLI's ${native.code}: ${mine.error ?? ""} ${native.stderr}`;
    } else if (mine.code === 0) {
      problem = sameLines(mine.stdout, native.stdout, masked);
    } else {
      const message = native.stderr.slice(native.stderr.indexOf("Error: ") + 7).replace(/\n$/, "");
      if (message !== mine.error) problem = `error ${JSON.stringify(mine.error)} vs ${JSON.stringify(message)}`;
    }
    if (problem) failures.push(`${id}: ${problem.slice(0, 400)}`);
    else agreed++;
  }
  console.log(`corpus: renderChart agrees with the native CLI on ${agreed} of ${ids.length} cases`);
  for (const f of failures) console.log(`  DIFFERS ${f}`);
  assert.deepEqual(failures, []);
});
