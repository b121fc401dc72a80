// The package's API over the wasm-bindgen glue (`./chartroom.js`, generated
// by build.sh). All rendering happens in Rust (`src/api/request.rs`); this
// file only moves charts and options across and turns answers into results
// or thrown `ChartroomError`s.

import * as glue from "./chartroom.js";

/** The compiled module, kept to start a fresh instance after a trap. */
let compiled = null;

const WASM_URL = "chartroom_bg.wasm";

/** Helm's version, whose output Chartroom reproduces. */
export const helmVersion = "v3.21.4";

/** The package's version (build.sh writes it in from Cargo.toml). */
export const version = "__CHARTROOM_VERSION__";

/** An error from a Chartroom call: what failed, where, and Helm's text. */
export class ChartroomError extends Error {
  constructor(details) {
    super(details.message);
    this.name = "ChartroomError";
    this.kind = details.kind;
    if (details.file !== undefined) this.file = details.file;
    if (details.line !== undefined) this.line = details.line;
    if (details.column !== undefined) this.column = details.column;
    this.helmMessage = details.helmMessage;
    if (details.violations !== undefined) this.violations = details.violations;
    if (details.output !== undefined) this.output = details.output;
  }
}

function start(module) {
  compiled = module;
  glue.initSync({ module });
}

/**
 * Loads the module: from `input` (a URL, a `Request` or `Response`, bytes
 * or a compiled `WebAssembly.Module`), by default the `.wasm` file beside
 * this one.
 */
export async function init(input) {
  if (compiled) return;
  if (input instanceof WebAssembly.Module) {
    start(input);
    return;
  }
  if (input === undefined) input = new URL(WASM_URL, import.meta.url);
  if (typeof input === "string" || input instanceof URL || isRequest(input)) {
    input = await fetch(input);
  }
  let module;
  if (typeof Response === "function" && input instanceof Response) {
    if (!input.ok) {
      throw new Error(`chartroom: fetching ${input.url} failed: ${input.status} ${input.statusText}`);
    }
    module = await compileResponse(input);
  } else {
    module = await WebAssembly.compile(input);
  }
  start(module);
}

/** Loads the module synchronously from bytes or a compiled module. */
export function initSync(input) {
  if (compiled) return;
  start(input instanceof WebAssembly.Module ? input : new WebAssembly.Module(input));
}

function isRequest(input) {
  return typeof Request === "function" && input instanceof Request;
}

async function compileResponse(response) {
  if (typeof WebAssembly.compileStreaming === "function") {
    try {
      return await WebAssembly.compileStreaming(response.clone());
    } catch {
      // A server without the application/wasm type: compile the bytes.
    }
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

function ensureLoaded() {
  if (!compiled) {
    throw new Error("chartroom: the module is not loaded: call init() first (browsers)");
  }
}

/** Runs one call of the module and unpacks its `{ok}` / `{error}` answer. */
function call(run) {
  ensureLoaded();
  let answer;
  try {
    answer = run();
  } catch (e) {
    // A trap or an exhausted JavaScript stack leaves the instance unusable:
    // start a fresh one from the compiled module for the next call.
    glue.__chartroom_reset();
    glue.initSync({ module: compiled });
    throw trapError(e);
  }
  const parsed = JSON.parse(answer);
  if ("error" in parsed) throw new ChartroomError(parsed.error);
  return parsed.ok;
}

function trapError(e) {
  const overflow = e instanceof RangeError;
  const message = overflow
    ? "the render ran out of JavaScript stack (templates nested too deeply)"
    : `internal error: ${e && e.message ? e.message : String(e)} (please report it)`;
  return new ChartroomError({
    kind: overflow ? "limit" : "internal",
    message,
    helmMessage: message,
  });
}

/**
 * A chart as the module takes it: a `ChartFiles` filled one file at a time,
 * so each file is copied once, straight into the module's memory. The call
 * it is passed to consumes it.
 */
function chartFiles(chart) {
  if (chart instanceof ArrayBuffer) chart = new Uint8Array(chart);
  if (chart === null || typeof chart !== "object") {
    throw new TypeError("chartroom: a chart is an object or Map of path -> string | Uint8Array, or .tgz bytes");
  }
  ensureLoaded();
  const files = new glue.ChartFiles();
  try {
    if (chart instanceof Uint8Array) {
      files.setArchive(chart);
      return files;
    }
    const entries = chart instanceof Map ? chart.entries() : Object.entries(chart);
    for (const [path, content] of entries) {
      if (typeof content === "string") files.addText(String(path), content);
      else if (content instanceof Uint8Array) files.add(String(path), content);
      else if (content instanceof ArrayBuffer) files.add(String(path), new Uint8Array(content));
      else throw new TypeError(`chartroom: file ${JSON.stringify(path)} must be a string or a Uint8Array`);
    }
    return files;
  } catch (e) {
    files.free();
    throw e;
  }
}

function optionsJson(options) {
  if (options === undefined || options === null) return "{}";
  if (typeof options !== "object") throw new TypeError("chartroom: options must be an object");
  return JSON.stringify(options);
}

/** Renders a chart as `helm template` does. */
export function renderChart(chart, options) {
  const json = optionsJson(options);
  const files = chartFiles(chart);
  let output;
  const result = call(() => {
    const answer = glue.renderChart(files, json);
    output = answer.takeOutput();
    return answer.intoJson();
  });
  return withOutput(result, output);
}

/**
 * The module sends the output stream apart from the JSON answer and each
 * manifest's text only as its place in the stream (`contentAt: [start,
 * end]`, UTF-16 units): slices share the one string instead of large
 * outputs being escaped, decoded and parsed twice.
 */
function withOutput(result, output) {
  result.manifests = result.manifests.map(({ contentAt, ...rest }) => ({
    content: output.slice(contentAt[0], contentAt[1]),
    ...rest,
  }));
  result.output = output;
  return result;
}

/**
 * Renders one template with Helm's functions; `values` (YAML text or an
 * object) comes before any `options.values`.
 */
export function renderTemplate(template, values, options) {
  if (typeof template !== "string") throw new TypeError("chartroom: the template must be a string");
  const all = { ...(options || {}) };
  if (values !== undefined && values !== null) {
    const text = typeof values === "string" ? values : JSON.stringify(values);
    all.values = [{ name: "values.yaml", text }, ...(all.values || [])];
  }
  const json = optionsJson(all);
  return call(() => glue.renderTemplate(template, json));
}

/** Checks the values against every `values.schema.json` of the chart. */
export function validateValues(chart, options) {
  const json = optionsJson(options);
  const files = chartFiles(chart);
  return call(() => glue.validateValues(files, json));
}

/** `helm show values`. */
export function showValues(chart) {
  const files = chartFiles(chart);
  return call(() => glue.showValues(files));
}

/** The values templates see, as YAML. */
export function computeValues(chart, options) {
  const json = optionsJson(options);
  const files = chartFiles(chart);
  return call(() => glue.computeValues(files, json));
}
