// The render worker: loads the Chartroom package once, keeps the chart's
// files (the page sends only what changed), and answers each render request
// with `renderChart` and `computeValues`. A budget (maxSteps) stops runaway
// templates; the page also terminates this worker if it stops answering.
//
// Protocol (page -> worker):
//   { type: "module", module: WebAssembly.Module | null }   first, always
//   { type: "render", id, reset?, changed: {path: text|bytes}, removed: [path],
//     options: RenderOptions, valuesOptions: ValuesOptions, wantValues: bool }
// (worker -> page):
//   { type: "ready", version, helmVersion, initMs, readyAtEpoch }
//   { type: "fatal", message }
//   { type: "result", id, result?: {output, notes, manifests}, error?, fatal?, values?, valuesError?, renderMs, valuesMs }

import { init, renderChart, computeValues, version, helmVersion } from "./pkg/index.js";

const MAX_STEPS = 5_000_000;
const files = new Map();
const started = performance.now();

// The page sends the module it compiled ({ type: "module", module }); null
// means the page could not, and the worker loads the .wasm itself.
let moduleArrived;
const compiled = new Promise((resolve) => (moduleArrived = resolve));

const ready = compiled.then((module) => init(module ?? undefined)).then(
  () => {
    // readyAtEpoch: milliseconds since 1970, comparable with the page's clock.
    const readyAtEpoch = performance.timeOrigin + performance.now();
    postMessage({ type: "ready", version, helmVersion, initMs: performance.now() - started, readyAtEpoch });
    return true;
  },
  (err) => {
    postMessage({ type: "fatal", message: `The renderer failed to load: ${err?.message ?? err}` });
    return false;
  },
);

/** A thrown ChartroomError as plain data for postMessage. */
function errorData(err) {
  if (!(err instanceof Error) || !err.kind) {
    return { kind: "internal", message: String(err?.message ?? err), helmMessage: String(err?.message ?? err) };
  }
  return {
    kind: err.kind,
    file: err.file,
    line: err.line,
    column: err.column,
    message: err.message,
    helmMessage: err.helmMessage,
    violations: err.violations,
    output: err.output,
  };
}

self.onmessage = async ({ data }) => {
  if (data?.type === "module") {
    moduleArrived(data.module);
    return;
  }
  if (data?.type !== "render") return;
  if (!(await ready)) return;
  if (data.reset) files.clear();
  for (const [path, content] of Object.entries(data.changed ?? {})) files.set(path, content);
  for (const path of data.removed ?? []) files.delete(path);

  const reply = { type: "result", id: data.id };
  const t0 = performance.now();
  try {
    // debug: on a YAML error the error carries the rendered manifests (as
    // `helm template --debug` prints them); successful output is the same.
    const { output, notes, manifests } = renderChart(files, { ...data.options, maxSteps: MAX_STEPS, debug: true });
    reply.result = { output, notes, manifests };
  } catch (err) {
    reply.error = errorData(err);
    // A trap (out of memory, a bug) leaves the module unusable: the page
    // replaces this worker.
    if (err instanceof WebAssembly.RuntimeError) reply.fatal = true;
  }
  const t1 = performance.now();
  reply.renderMs = t1 - t0;
  if (data.wantValues && !reply.fatal) {
    try {
      reply.values = computeValues(files, data.valuesOptions);
    } catch (err) {
      reply.valuesError = errorData(err);
    }
    reply.valuesMs = performance.now() - t1;
  }
  postMessage(reply);
};
