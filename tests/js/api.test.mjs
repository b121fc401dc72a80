// The package's API, loaded the browser way (index.js + init), on small
// charts written for these tests.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { gzipSync } from "node:zlib";
import { pkgDir } from "./common.mjs";

const cr = await import(join(pkgDir, "index.js"));
const wasmBytes = readFileSync(join(pkgDir, "chartroom_bg.wasm"));

const chart = {
  "Chart.yaml": "apiVersion: v2\nname: demo\nversion: 1.2.3\n",
  "values.yaml": "replicas: 1\nimage: nginx\n",
  "values.schema.json": JSON.stringify({
    type: "object",
    properties: { replicas: { type: "integer", minimum: 1 }, image: { type: "string" } },
  }),
  "templates/_helpers.tpl": '{{- define "demo.name" -}}{{ .Release.Name }}-{{ .Chart.Name }}{{- end -}}\n',
  "templates/deploy.yaml":
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include \"demo.name\" . }}\nspec:\n  replicas: {{ .Values.replicas }}\n",
  "templates/svc.yaml":
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include \"demo.name\" . }}\n  namespace: {{ .Release.Namespace }}\n",
  "templates/hook.yaml":
    "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n    helm.sh/hook: pre-install,pre-upgrade\n",
  "templates/NOTES.txt": "Installed {{ .Release.Name }} in {{ .Release.Namespace }}.\n",
};

test("calls before init() say so", () => {
  assert.throws(() => cr.renderChart(chart), /call init\(\) first/);
});

test("init() from bytes, then version", async () => {
  await cr.init(wasmBytes);
  const cargo = readFileSync(join(pkgDir, "..", "Cargo.toml"), "utf8");
  assert.equal(cr.version, /^version = "(.*)"/m.exec(cargo)[1]);
  assert.equal(cr.helmVersion, "v3.21.4");
});

test("renderChart: output, manifests in Helm's order, hooks, notes", () => {
  const r = cr.renderChart(chart, { releaseName: "web", namespace: "prod" });
  assert.equal(
    r.output,
    [
      "---",
      "# Source: demo/templates/svc.yaml",
      "apiVersion: v1",
      "kind: Service",
      "metadata:",
      "  name: web-demo",
      "  namespace: prod",
      "---",
      "# Source: demo/templates/deploy.yaml",
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      "  name: web-demo",
      "spec:",
      "  replicas: 1",
      "---",
      "# Source: demo/templates/hook.yaml",
      "apiVersion: batch/v1",
      "kind: Job",
      "metadata:",
      "  name: migrate",
      "  annotations:",
      "    helm.sh/hook: pre-install,pre-upgrade",
      "",
    ].join("\n"),
  );
  assert.deepEqual(
    r.manifests.map((m) => [m.kind, m.name, m.namespace, m.hook]),
    [
      ["Service", "web-demo", "prod", []],
      ["Deployment", "web-demo", "", []],
      ["Job", "migrate", "", ["pre-install", "pre-upgrade"]],
    ],
  );
  assert.equal(r.manifests[0].path, "demo/templates/svc.yaml");
  assert.equal(r.notes, "Installed web in prod.\n");
  assert.deepEqual(Object.keys(r.manifests[0]), ["content", "hook", "kind", "name", "namespace", "path"]);
  assert.equal(r.manifests[1].content, "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-demo\nspec:\n  replicas: 1\n");
  assert.equal(
    r.manifests.map((m) => `---\n# Source: ${m.path}\n${m.content}`).join(""),
    r.output,
  );
});

test("renderChart: manifest texts with characters outside the BMP and ASCII", () => {
  const files = {
    ...chart,
    "templates/a.yaml": "kind: ConfigMap\nmetadata:\n  name: a\ndata:\n  s: \"é 😀 ü\"\n",
    "templates/b.yaml": "kind: ConfigMap\nmetadata:\n  name: b😀\n",
  };
  const r = cr.renderChart(files, { showOnly: ["templates/a.yaml", "templates/b.yaml"] });
  assert.deepEqual(
    r.manifests.map((m) => [m.name, m.content]),
    [
      ["a", "kind: ConfigMap\nmetadata:\n  name: a\ndata:\n  s: \"é 😀 ü\"\n"],
      ["b😀", "kind: ConfigMap\nmetadata:\n  name: b😀\n"],
    ],
  );
});

test("files as a Map with bytes, values files in order, --set flags", () => {
  const files = new Map(Object.entries(chart).map(([k, v]) => [k, new TextEncoder().encode(v)]));
  const r = cr.renderChart(files, {
    values: ["replicas: 2\n", { name: "prod.yaml", text: "replicas: 3\n" }],
    set: ["image=redis"],
    showOnly: ["templates/deploy.yaml"],
  });
  assert.match(r.output, /replicas: 3\n/);
  assert.equal(r.manifests.length, 1);
  // --set integers are int64, YAML numbers float64: 1000000 vs 1e+06.
  const big = { ...chart, "templates/n.yaml": "a: {{ .Values.a }}\nb: {{ .Values.b }}\n" };
  const out = cr.renderChart(big, {
    values: ["a: 1000000\n"],
    set: ["b=1000000"],
    showOnly: ["templates/n.yaml"],
  }).output;
  assert.match(out, /a: 1e\+06\nb: 1000000\n/);
});

test("a packaged chart (.tgz bytes) renders like its files", () => {
  const tgz = tarGz(Object.entries(chart).map(([k, v]) => [`demo/${k}`, v]));
  assert.equal(cr.renderChart(tgz).output, cr.renderChart(chart).output);
});

test("subchart directories and archives under charts/", () => {
  const sub = {
    "Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
    "values.yaml": "greeting: hi\n",
    "templates/cm.yaml":
      "kind: ConfigMap\nmetadata:\n  name: sub\ndata:\n  g: {{ .Values.greeting }}\n  env: {{ .Values.global.env }}\n",
  };
  const parent = { ...chart, "values.yaml": "replicas: 1\nglobal:\n  env: qa\nsub:\n  greeting: hello\n" };
  for (const [k, v] of Object.entries(sub)) parent[`charts/sub/${k}`] = v;
  const fromDir = cr.renderChart(parent, { showOnly: ["charts/sub/templates/cm.yaml"] }).output;
  assert.match(fromDir, /g: hello\n  env: qa\n/);
  const packed = { ...chart, "values.yaml": parent["values.yaml"] };
  packed["charts/sub-0.1.0.tgz"] = tarGz(Object.entries(sub).map(([k, v]) => [`sub/${k}`, v]));
  const fromTgz = cr.renderChart(packed, { showOnly: ["charts/sub/templates/cm.yaml"] }).output;
  assert.equal(fromTgz, fromDir);
});

test("template errors carry kind, file, line, column and Helm's text", () => {
  const broken = { ...chart, "templates/bad.yaml": "a: 1\nb: {{ .Values.image | nosuchfunc }}\n" };
  const e = catchError(() => cr.renderChart(broken));
  assert.ok(e instanceof cr.ChartroomError);
  assert.ok(e instanceof Error);
  assert.equal(e.kind, "parse");
  assert.equal(e.file, "templates/bad.yaml");
  assert.equal(e.line, 2);
  assert.equal(e.message, 'function "nosuchfunc" not defined');
  assert.equal(
    e.helmMessage,
    'parse error at (demo/templates/bad.yaml:2): function "nosuchfunc" not defined\n\nUse --debug flag to render out invalid YAML',
  );
  const failing = { ...chart, "templates/bad.yaml": "a:\n  {{ required \"tag is required\" .Values.tag }}\n" };
  const f = catchError(() => cr.renderChart(failing));
  assert.equal(f.kind, "exec");
  assert.deepEqual([f.file, f.line, f.column], ["templates/bad.yaml", 2, 5]);
});

test("schema errors list every violation with its JSON path", () => {
  const e = catchError(() => cr.renderChart(chart, { set: ["replicas=0"], setString: ["image=1"] }));
  assert.equal(e.kind, "schema");
  assert.match(e.helmMessage, /^values don't meet the specifications of the schema\(s\) in the following chart\(s\):\ndemo:\n/);
  assert.deepEqual(
    e.violations.map((v) => [v.chart, v.path]),
    [["demo", "/replicas"]],
  );
  const v = cr.validateValues(chart, { set: ["replicas=0", "image=3"] });
  assert.equal(v.valid, false);
  assert.deepEqual(v.violations.map((x) => x.path).sort(), ["/image", "/replicas"]);
  assert.deepEqual(cr.validateValues(chart), { valid: true, violations: [], helmMessage: "" });
});

test("maxSteps stops an endless template, and the module keeps working", () => {
  const endless = { ...chart, "templates/loop.yaml": "{{ range until 100000 }}{{ range until 100000 }}x{{ end }}{{ end }}\n" };
  const e = catchError(() => cr.renderChart(endless, { maxSteps: 100000 }));
  assert.equal(e.kind, "limit");
  assert.equal(e.file, "templates/loop.yaml");
  assert.match(e.message, /step budget \(100000 steps\)/);
  assert.ok(cr.renderChart(chart).output.length > 0);
});

test("endless include recursion is an error, not a crash", () => {
  const recursive = {
    ...chart,
    "templates/r.yaml": '{{ define "r" }}{{ include "r" . }}{{ end }}{{ include "r" . }}\n',
  };
  const e = catchError(() => cr.renderChart(recursive));
  assert.equal(e.kind, "limit");
  assert.ok(cr.renderChart(chart).output.length > 0, "the module still renders afterwards");
});

test("renderTemplate: Helm functions, values as YAML or an object, host time and randomness", () => {
  assert.equal(cr.renderTemplate('{{ .Values.name | upper | quote }}', "name: web"), '"WEB"');
  assert.equal(cr.renderTemplate("{{ toYaml .Values }}", { b: [1, 2], a: "x" }), "a: x\nb:\n- 1\n- 2");
  assert.equal(cr.renderTemplate("{{ .Values.a }}", null, { set: ["a=1"] }), "1");
  const year = Number(cr.renderTemplate('{{ now | date "2006" }}'));
  assert.equal(year, new Date().getUTCFullYear());
  const a = cr.renderTemplate("{{ randAlphaNum 16 }}");
  const b = cr.renderTemplate("{{ randAlphaNum 16 }}");
  assert.match(a, /^[A-Za-z0-9]{16}$/);
  assert.notEqual(a, b);
  const e = catchError(() => cr.renderTemplate('x\n{{ fail "stop" }}'));
  assert.deepEqual([e.kind, e.file, e.line, e.message], ["exec", undefined, 2, "stop"]);
});

test("showValues and computeValues", () => {
  assert.equal(cr.showValues(chart), "replicas: 1\nimage: nginx\n\n");
  assert.equal(cr.computeValues(chart, { set: ["replicas=4"] }), "image: nginx\nreplicas: 4\n");
});

test("bad input: options, files and charts", () => {
  assert.equal(catchError(() => cr.renderChart(chart, { releseName: "x" })).kind, "options");
  assert.throws(() => cr.renderChart(chart, "x"), TypeError);
  assert.throws(() => cr.renderChart({ "Chart.yaml": 42 }), TypeError);
  const missing = catchError(() => cr.renderChart({ "templates/a.yaml": "a: 1" }));
  assert.equal(missing.kind, "chart");
  assert.equal(missing.helmMessage, "Chart.yaml file is missing");
  const corrupt = catchError(() => cr.renderChart(new Uint8Array([0x1f, 0x8b, 1, 2, 3])));
  assert.equal(corrupt.kind, "chart");
  const badYaml = catchError(() => cr.renderChart({ ...chart, "values.yaml": "a: [\n" }));
  assert.deepEqual([badYaml.kind, badYaml.file], ["chart", "values.yaml"]);
});

function catchError(f) {
  try {
    f();
  } catch (e) {
    return e;
  }
  assert.fail("expected an error");
}

/** A .tgz of [path, text] entries, written with the system's tar. */
function tarGz(entries) {
  const dir = execFileSync("mktemp", ["-d"]).toString().trim();
  for (const [path, text] of entries) {
    execFileSync("mkdir", ["-p", join(dir, path, "..")]);
    execFileSync("tee", [join(dir, path)], { input: text, stdio: ["pipe", "ignore", "inherit"] });
  }
  const top = entries[0][0].split("/")[0];
  const tar = execFileSync("tar", ["-C", dir, "-c", top]);
  execFileSync("rm", ["-rf", dir]);
  return new Uint8Array(gzipSync(tar));
}
