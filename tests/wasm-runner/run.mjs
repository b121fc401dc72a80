// Runs the conformance harness compiled to wasm32 (tests/wasm-runner) over
// the vector files in node and prints one summary line per file, the same
// lines the native runner (`cargo test --test conformance`) prints.
//
//   node tests/wasm-runner/run.mjs [--wasm FILE] [--vectors DIR]
//                                  [--expect FILE | --floors FILE] [--verbose]
//
// --expect FILE: the native run's summary lines (the native runner writes them
//   to $CHARTROOM_CONFORMANCE_SUMMARY). Exits 1 unless the wasm run prints
//   exactly the same line for exactly the same files. This is what
//   `./build.sh test` uses.
// Without --expect: exits 1 if a file passes fewer cases than its floor in
//   --floors (default tests/conformance/floors.txt).
// A trap (a Rust panic aborts in wasm) fails its file and the run.
//
// The module must need no imports; each file gets a fresh instance, so one
// trap cannot leave state behind for the next.

import { readFileSync, readdirSync, existsSync } from "node:fs";
import { Worker, isMainThread } from "node:worker_threads";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

// The cases run in a worker thread with a large stack: wasm frames live on
// the engine's native stack, and Go's own depth limit (100000 nested
// templates) and Helm's include recursion limit go far deeper than a main
// thread's stack allows.
const STACK_MB = 2048;
if (isMainThread) {
  const worker = new Worker(new URL(import.meta.url), {
    argv: process.argv.slice(2),
    resourceLimits: { stackSizeMb: STACK_MB },
  });
  worker.on("error", (err) => {
    console.error(`conformance (wasm): ${err.stack ?? err}`);
    process.exitCode = 1;
  });
  worker.on("exit", (code) => {
    if (code !== 0) process.exitCode = code;
  });
} else {
  await main();
}

async function main() {
const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const { values: opts } = parseArgs({
  options: {
    wasm: {
      type: "string",
      default: join(repo, "target/wasm32-unknown-unknown/release/chartroom_wasm_runner.wasm"),
    },
    vectors: {
      type: "string",
      default: join(process.env.CHARTROOM_CONFORMANCE ?? join(repo, "../shared/conformance"), "vectors"),
    },
    expect: { type: "string" },
    floors: { type: "string", default: join(repo, "tests/conformance/floors.txt") },
    verbose: { type: "boolean", default: false },
  },
});

const module = new WebAssembly.Module(readFileSync(opts.wasm));
const imports = WebAssembly.Module.imports(module);
if (imports.length > 0) {
  const names = imports.map((i) => `${i.module}.${i.name}`).join(", ");
  fail(`${opts.wasm} needs imports (${names}); the runner provides none`);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

// A fresh instance with helpers to pass strings in and read results out.
function instance() {
  const { exports: wasm } = new WebAssembly.Instance(module, {});
  const read = (ptr) => {
    const len = new DataView(wasm.memory.buffer).getUint32(ptr, true);
    const text = decoder.decode(new Uint8Array(wasm.memory.buffer, ptr + 4, len));
    wasm.cr_free(ptr, 4 + len);
    return text;
  };
  const put = (text) => {
    const bytes = encoder.encode(text);
    const ptr = wasm.cr_alloc(bytes.length);
    new Uint8Array(wasm.memory.buffer, ptr, bytes.length).set(bytes);
    return [ptr, bytes.length];
  };
  return {
    handles(name) {
      const [ptr, len] = put(name);
      const yes = wasm.cr_handles(ptr, len) === 1;
      wasm.cr_free(ptr, len);
      return yes;
    },
    run(name, json) {
      const [namePtr, nameLen] = put(name);
      const [jsonPtr, jsonLen] = put(json);
      let text;
      try {
        wasm.cr_set_clock_millis(Date.now());
        text = read(wasm.cr_run(namePtr, nameLen, jsonPtr, jsonLen));
      } catch (err) {
        const panic = wasm.cr_panic_message();
        throw new Error(panic === 0 ? err.message : `${err.message}; ${read(panic)}`);
      }
      wasm.cr_free(namePtr, nameLen);
      wasm.cr_free(jsonPtr, jsonLen);
      return text;
    },
  };
}

if (!existsSync(opts.vectors)) fail(`no vectors at ${opts.vectors} (set CHARTROOM_CONFORMANCE)`);
const files = readdirSync(opts.vectors)
  .filter((name) => name.endsWith(".json"))
  .sort()
  .filter((name) => instance().handles(name));

const lines = new Map(); // file name -> summary line
let broken = false;
for (const name of files) {
  let output;
  try {
    output = instance().run(name, readFileSync(join(opts.vectors, name), "utf8"));
  } catch (err) {
    output = `${name}: wasm trap: ${err.message.replaceAll("\n", " ")}`;
    broken = true;
  }
  const [summary, ...failures] = output.split("\n");
  console.log(summary);
  if (opts.verbose) for (const failure of failures) console.log(`    ${failure}`);
  lines.set(name, summary);
}

const total = (which) =>
  [...lines.values()].reduce((sum, line) => sum + Number(line.match(new RegExp(`(\\d+) ${which}`))?.[1] ?? 0), 0);
console.log(`conformance (wasm): ${total("passed")} passed, ${total("failed")} failed`);

const problems = opts.expect ? compareWithNative(opts.expect) : checkFloors(opts.floors);
if (broken || problems.length > 0) {
  for (const problem of problems) console.error(`conformance (wasm): ${problem}`);
  fail(broken ? "a file trapped" : "counts differ");
}


// Problems where the native summary lines and the wasm ones differ.
function compareWithNative(path) {
  const native = new Map();
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line.trim() !== "") native.set(line.slice(0, line.indexOf(": ")), line);
  }
  const problems = [];
  for (const name of new Set([...native.keys(), ...lines.keys()])) {
    const want = native.get(name) ?? "(not run natively)";
    const got = lines.get(name) ?? "(not run in wasm)";
    if (want !== got) problems.push(`${name} differs:\n  native: ${want}\n  wasm:   ${got}`);
  }
  return problems;
}

// Problems where a file passes fewer cases than its floor.
function checkFloors(path) {
  const problems = [];
  for (const raw of readFileSync(path, "utf8").split("\n")) {
    const line = raw.split("#")[0].trim();
    if (line === "") continue;
    const [name, floor] = line.split(/\s+/);
    const summary = lines.get(name);
    const passed = summary?.match(/(\d+) passed/)?.[1];
    if (summary === undefined) problems.push(`${name} has a floor but was not run`);
    else if (passed === undefined) problems.push(`${name}: no pass count`);
    else if (Number(passed) < Number(floor)) problems.push(`${name}: ${passed} passed, below its floor of ${floor}`);
  }
  return problems;
}

function fail(message) {
  console.error(`conformance (wasm): ${message}`);
  process.exit(1);
}
}
