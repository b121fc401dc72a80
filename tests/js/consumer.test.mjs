// The package as users get it: `npm pack` of pkg/, installed into a fresh
// project outside the clone, then used through `import`, `require`, the
// browser entry's `init()`, and TypeScript (`tsc --noEmit`, strict) on a
// typed usage file.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pkgDir } from "./common.mjs";

let project;

const chart = `{
  "Chart.yaml": "apiVersion: v2\\nname: web\\nversion: 1.0.0\\n",
  "templates/cm.yaml": "kind: ConfigMap\\nmetadata:\\n  name: {{ .Release.Name }}\\ndata:\\n  n: {{ .Values.n | quote }}\\n",
}`;
const expected = "---\n# Source: web/templates/cm.yaml\nkind: ConfigMap\nmetadata:\n  name: demo\ndata:\n  n: \"5\"\n";

before(() => {
  project = mkdtempSync(join(tmpdir(), "chartroom-consumer-"));
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--pack-destination", project], { cwd: pkgDir, encoding: "utf8" }),
  );
  const tarball = join(project, packed[0].filename);
  // Every file the package promises is in the tarball.
  const files = packed[0].files.map((f) => f.path).sort();
  for (const f of ["chartroom_bg.wasm", "index.js", "index.d.ts", "node.cjs", "node.mjs", "package.json", "README.md", "LICENSE"]) {
    assert.ok(files.includes(f), `${f} missing from the tarball: ${files}`);
  }
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, version: "1.0.0" }));
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball], {
    cwd: project,
    stdio: "pipe",
  });
});

after(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

function node(file, source) {
  writeFileSync(join(project, file), source);
  return execFileSync(process.execPath, [file], { cwd: project, encoding: "utf8" });
}

test("ESM import works at once, with no await", () => {
  const out = node(
    "esm.mjs",
    `import { renderChart, version } from "chartroom";
     process.stdout.write(renderChart(${chart}, { releaseName: "demo", set: ["n=5"] }).output);
     if (!/^\\d+\\.\\d+\\.\\d+/.test(version)) throw new Error("version " + version);`,
  );
  assert.equal(out, expected);
});

test("CommonJS require works, and errors are ChartroomErrors", () => {
  const out = node(
    "cjs.cjs",
    `const cr = require("chartroom");
     process.stdout.write(cr.renderChart(${chart}, { releaseName: "demo", set: ["n=5"] }).output);
     try { cr.renderTemplate("{{ nope }}"); } catch (e) {
       if (!(e instanceof cr.ChartroomError) || e.kind !== "parse") throw e;
     }`,
  );
  assert.equal(out, expected);
});

test("the browser entry loads with init() from bytes or a compiled module", () => {
  const out = node(
    "browser.mjs",
    `import { readFileSync } from "node:fs";
     import { createRequire } from "node:module";
     const require = createRequire(import.meta.url);
     const dir = require.resolve("chartroom/package.json").replace(/package\\.json$/, "");
     const { init, renderTemplate } = await import(dir + "index.js");
     const module = new WebAssembly.Module(readFileSync(require.resolve("chartroom/chartroom_bg.wasm")));
     await init(module);
     process.stdout.write(renderTemplate("{{ .Values.a | upper }}", { a: "ok" }));`,
  );
  assert.equal(out, "OK");
});

test("the types check under strict TypeScript (tsc --noEmit)", () => {
  writeFileSync(
    join(project, "usage.mts"),
    `import { renderChart, renderTemplate, validateValues, computeValues, showValues, ChartroomError,
       version, helmVersion, type RenderResult, type Manifest, type ErrorKind } from "chartroom";
     const files = new Map<string, string | Uint8Array>([["Chart.yaml", "apiVersion: v2\\nname: x\\nversion: 1.0.0\\n"]]);
     const result: RenderResult = renderChart(files, { releaseName: "x", set: ["a=1"], includeCrds: true, maxSteps: 1e6 });
     const first: Manifest | undefined = result.manifests[0];
     const hooks: string[] = first ? first.hook : [];
     const text: string = renderTemplate("{{ . }}", { a: 1 }, { setString: ["b=2"] });
     const check = validateValues(new Uint8Array(), { values: [{ name: "v.yaml", text: "a: 1" }] });
     const ok: boolean = check.valid && check.violations.every((v) => typeof v.path === "string");
     const yaml: string = computeValues({ "Chart.yaml": "" }) + showValues({});
     try { renderChart({}); } catch (e) {
       if (e instanceof ChartroomError) {
         const kind: ErrorKind = e.kind;
         const where: string = \`\${e.file ?? "?"}:\${e.line ?? 0}:\${e.column ?? 0} \${e.helmMessage}\`;
         console.log(kind, where, e.violations?.length);
       }
     }
     console.log(result.output, hooks, text, ok, yaml, version, helmVersion);
     // @ts-expect-error: options are checked
     renderChart({}, { releaseNam: "typo" });
     // @ts-expect-error: files hold text or bytes
     renderChart({ "a.yaml": 42 });
    `,
  );
  writeFileSync(
    join(project, "usage.cts"),
    `import cr = require("chartroom");
     const out: string = cr.renderChart({}).output;
     export { out };
    `,
  );
  writeFileSync(
    join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", lib: ["es2022", "dom"], types: [] },
      files: ["usage.mts", "usage.cts"],
    }),
  );
  const tsc = process.env.CHARTROOM_NODE_MODULES
    ? join(process.env.CHARTROOM_NODE_MODULES, "typescript", "bin", "tsc")
    : "tsc";
  execFileSync(process.execPath, [tsc, "-p", project], { cwd: project, stdio: "pipe" });
  // And a type error is caught (the check is real).
  writeFileSync(join(project, "bad.mts"), `import { renderChart } from "chartroom";\nconst n: number = renderChart({}).output;\nexport { n };\n`);
  writeFileSync(
    join(project, "tsconfig.bad.json"),
    JSON.stringify({ extends: "./tsconfig.json", files: ["bad.mts"] }),
  );
  assert.throws(() => execFileSync(process.execPath, [tsc, "-p", join(project, "tsconfig.bad.json")], { cwd: project, stdio: "pipe" }));
});

test("package.json: name, version from Cargo.toml, exports for every runtime", () => {
  const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const cargo = readFileSync(join(pkgDir, "..", "Cargo.toml"), "utf8");
  assert.equal(pkg.name, "chartroom");
  assert.equal(pkg.version, /^version = "(.*)"/m.exec(cargo)[1]);
  const root = pkg.exports["."];
  assert.equal(root.node.import.default, "./node.mjs");
  assert.equal(root.node.require.default, "./node.cjs");
  assert.equal(root.browser.default, "./index.js");
  assert.equal(root.default.default, "./index.js");
});
