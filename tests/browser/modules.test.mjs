// Unit tests of the playground's browser-free modules, run by node: tar and
// gzip (checked against the system's tar), zip, the workspace model, share
// links, chart import and placing schema violations in YAML.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tar, untar, gzip, gunzip, isGzip } from "../../www/src/tar.js";
import { zip, crc32 } from "../../www/src/zip.js";
import { Workspace, VALUES_PREFIX, normalizePath, decodeIfText } from "../../www/src/workspace.js";
import { encodeWorkspace, decodeWorkspace, isWorkspaceHash } from "../../www/src/share.js";
import { chartFromEntries, chartFromArchive } from "../../www/src/importer.js";
import { locateYamlPath, keyForFile, describeError, invalidDocument } from "../../www/src/errors.js";
import { highlightYaml } from "../../www/src/output.js";

const text = (bytes) => new TextDecoder().decode(bytes);

function tempDir(t) {
  const dir = mkdtempSync(join(tmpdir(), "chartroom-www-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test("tar: what we write, GNU tar lists and extracts; long paths use PAX", async (t) => {
  const long = `mychart/templates/${"deep/".repeat(25)}file.yaml`;
  const bytes = await gzip(tar([
    { path: "mychart/Chart.yaml", data: "name: mychart\n" },
    { path: "mychart/files/logo.bin", data: new Uint8Array([0, 255, 1, 2]) },
    { path: long, data: "kind: ConfigMap\n" },
  ]));
  assert.ok(isGzip(bytes));
  const dir = tempDir(t);
  writeFileSync(join(dir, "c.tgz"), bytes);
  const listed = execFileSync("tar", ["-tzf", join(dir, "c.tgz")], { encoding: "utf8" }).trim().split("\n");
  assert.deepEqual(listed, ["mychart/Chart.yaml", "mychart/files/logo.bin", long]);
  execFileSync("tar", ["-xzf", join(dir, "c.tgz"), "-C", dir]);
  assert.equal(readFileSync(join(dir, long), "utf8"), "kind: ConfigMap\n");
  assert.deepEqual([...readFileSync(join(dir, "mychart/files/logo.bin"))], [0, 255, 1, 2]);
});

test("tar: reads archives written by GNU tar, ours round-trip", async (t) => {
  const dir = tempDir(t);
  execFileSync("mkdir", ["-p", join(dir, "src/web/templates")]);
  writeFileSync(join(dir, "src/web/Chart.yaml"), "apiVersion: v2\nname: web\nversion: 1.0.0\n");
  writeFileSync(join(dir, "src/web/templates/a.yaml"), "a: 1\n");
  execFileSync("tar", ["-czf", join(dir, "web.tgz"), "-C", join(dir, "src"), "web"]);
  const files = await chartFromArchive(new Uint8Array(readFileSync(join(dir, "web.tgz"))));
  assert.deepEqual(Object.keys(files).sort(), ["Chart.yaml", "templates/a.yaml"]);
  assert.equal(files["templates/a.yaml"], "a: 1\n");

  const entries = untar(await gunzip(await gzip(tar([{ path: "x/y.txt", data: "é\n" }]))));
  assert.deepEqual(entries.map((e) => [e.path, text(e.data)]), [["x/y.txt", "é\n"]]);
  assert.throws(() => untar(tar([{ path: "x", data: "0123456789" }]).slice(0, 515)), /truncated/);
});

test("zip: CRC-32 check value and an archive unzip accepts", (t) => {
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  const dir = tempDir(t);
  return zip([
    { path: "web/templates/a.yaml", data: "---\nkind: A\n" },
    { path: "NOTES.txt", data: "hi\n" },
  ])
    .arrayBuffer()
    .then((buffer) => {
      writeFileSync(join(dir, "m.zip"), Buffer.from(buffer));
      const py = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(z.read('web/templates/a.yaml').decode(), end='')";
      assert.equal(execFileSync("python3", ["-c", py, join(dir, "m.zip")], { encoding: "utf8" }), "---\nkind: A\n");
    });
});

test("workspace: paths, folders, renames, deletes", () => {
  assert.equal(normalizePath("/templates//a.yaml/"), "templates/a.yaml");
  assert.throws(() => normalizePath("templates/../x"), /not allowed/);
  assert.throws(() => normalizePath("//"), /empty/);

  const ws = new Workspace({ files: { "Chart.yaml": "name: demo\nversion: 1.2.3\n", "templates/a.yaml": "a", "charts/sub/values.yaml": "" } });
  const events = [];
  ws.addEventListener("change", (e) => events.push(e.detail));
  ws.addFolder("templates/empty");
  assert.deepEqual(ws.folders(), ["charts", "charts/sub", "templates", "templates/empty"]);
  assert.throws(() => ws.addFile("templates/a.yaml"), /already exists/);
  ws.setOpen("templates/a.yaml");
  ws.rename("templates", "tpl");
  assert.deepEqual([...ws.files.keys()].sort(), ["Chart.yaml", "charts/sub/values.yaml", "tpl/a.yaml"]);
  assert.ok(ws.dirs.has("tpl/empty"));
  assert.equal(ws.open, "tpl/a.yaml");
  assert.throws(() => ws.rename("tpl", "tpl/inner"), /into itself/);
  ws.remove("charts");
  assert.deepEqual([...ws.files.keys()].sort(), ["Chart.yaml", "tpl/a.yaml"]);
  assert.deepEqual(ws.chartInfo(), { name: "demo", version: "1.2.3" });
  assert.ok(events.some((e) => e.renamed?.from === "templates"));
});

test("workspace: values files and flags become renderChart options in Helm's order", () => {
  const ws = new Workspace({ files: { "Chart.yaml": "" }, release: { name: "rel", apiVersions: "a/v1, b/v2", showOnly: "templates/x.yaml" } });
  ws.addValuesFile("one.yaml", "a: 1");
  const key = ws.addValuesFile("two.yaml", "a: 2");
  assert.equal(key, VALUES_PREFIX + "two.yaml");
  ws.writeDoc(key, "a: 3");
  ws.moveValuesFile(1, -1);
  ws.updateValuesFile(1, { enabled: false });
  ws.addSet("set", "x=1");
  ws.addSet("set-json", 'y={"z":1}');
  ws.addSet("set", "");
  ws.addSet("set-string", "s=01");
  const options = ws.renderOptions();
  assert.deepEqual(options.values, [{ name: "two.yaml", text: "a: 3" }]);
  assert.deepEqual(options.set, ["x=1"]);
  assert.deepEqual(options.setJson, ['y={"z":1}']);
  assert.deepEqual(options.setString, ["s=01"]);
  assert.equal(options.releaseName, "rel");
  assert.deepEqual(options.apiVersions, ["a/v1", "b/v2"]);
  assert.deepEqual(options.showOnly, ["templates/x.yaml"]);
  assert.equal("kubeVersion" in options, false);
  assert.throws(() => ws.addValuesFile("two.yaml"), /already exists/);
});

test("share links restore the workspace exactly, binary files included", async () => {
  const ws = new Workspace({
    files: { "Chart.yaml": "name: x\n", "files/blob.bin": new Uint8Array([0, 1, 254, 255]), "templates/ü.yaml": "ä: {{ .Values.x }}\n" },
    dirs: ["empty"],
    values: [{ name: "prod.yaml", text: "x: 1\n", enabled: false }],
    sets: [{ kind: "set-string", expr: "a=b", enabled: true }],
    release: { name: "r", includeCrds: true },
    open: "templates/ü.yaml",
    example: "webapp",
  });
  const hash = await encodeWorkspace(ws);
  assert.ok(isWorkspaceHash(hash));
  assert.match(hash, /^#ws1\.[A-Za-z0-9_-]+$/);
  const back = await decodeWorkspace(hash);
  assert.deepEqual(back.toJSON(), ws.toJSON());
  assert.deepEqual([...back.files.get("files/blob.bin")], [0, 1, 254, 255]);
  await assert.rejects(decodeWorkspace("#ws1.AAAA"));
  await assert.rejects(decodeWorkspace("#other"), /not a playground link/);
});

test("import: the chart root is the shallowest Chart.yaml; VCS folders are skipped", () => {
  const enc = (s) => new TextEncoder().encode(s);
  const files = chartFromEntries([
    { path: "repo/README.md", data: enc("x") },
    { path: "repo/mychart/Chart.yaml", data: enc("name: mychart") },
    { path: "repo/mychart/charts/sub/Chart.yaml", data: enc("name: sub") },
    { path: "repo/mychart/.git/config", data: enc("x") },
    { path: "repo/mychart/files/b.bin", data: new Uint8Array([0xff, 0xfe]) },
  ]);
  assert.deepEqual(Object.keys(files).sort(), ["Chart.yaml", "charts/sub/Chart.yaml", "files/b.bin"]);
  assert.ok(files["files/b.bin"] instanceof Uint8Array);
  assert.equal(decodeIfText(enc("ok")), "ok");
  assert.throws(() => chartFromEntries([{ path: "a.yaml", data: enc("") }]), /no Chart\.yaml/);
});

test("schema violations are placed on the values line that sets them", () => {
  const yaml = ["# c", "replicas: 2", "image:", "  tag: '1'", "hosts:", "  - host: a", "    paths:", "      - /x", "list:", "- a", "- b", ""].join("\n");
  assert.deepEqual(locateYamlPath(yaml, ["replicas"]), { line: 2, column: 1, complete: true });
  assert.deepEqual(locateYamlPath(yaml, ["image", "tag"]), { line: 4, column: 3, complete: true });
  assert.deepEqual(locateYamlPath(yaml, ["hosts", "0", "paths", "0"]), { line: 8, column: 7, complete: true });
  assert.deepEqual(locateYamlPath(yaml, ["list", "1"]), { line: 11, column: 1, complete: true });
  assert.deepEqual(locateYamlPath(yaml, ["image", "repository"]), { line: 3, column: 1, complete: false });
  assert.equal(locateYamlPath(yaml, ["nope"]), null);

  const ws = new Workspace({
    files: { "Chart.yaml": "name: shop\n", "values.yaml": "api:\n  port: 80\n", "charts/api/values.yaml": "port: 1\n" },
    values: [{ name: "prod.yaml", text: "other: 1\napi:\n  port: x\n" }],
  });
  const { rows, markers } = describeError(ws, {
    kind: "schema",
    message: "m",
    helmMessage: "values don't meet the specifications",
    violations: [{ chart: "shop.api", path: "/port", message: "got string, want integer" }],
  });
  assert.equal(rows.length, 2);
  assert.deepEqual(markers.get(VALUES_PREFIX + "prod.yaml").map((m) => m.line), [3]);
  assert.equal(keyForFile(ws, "shop/charts/api/values.yaml"), "charts/api/values.yaml");
  assert.equal(keyForFile(ws, "prod.yaml"), VALUES_PREFIX + "prod.yaml");
  assert.equal(keyForFile(ws, "elsewhere.yaml"), null);
});

test("a YAML error's rendered document is found in the debug output", () => {
  const output = "---\n# Source: web/templates/a.yaml\nkind: A\n bad: [\n\n---\n# Source: web/templates/b.yaml\nkind: B\n";
  assert.equal(invalidDocument(output, "templates/a.yaml"), "kind: A\n bad: [");
  assert.equal(invalidDocument(output, "templates/b.yaml"), "kind: B");
  assert.equal(invalidDocument(output, "templates/c.yaml"), null);
  assert.equal(invalidDocument(undefined, "templates/a.yaml"), null);
});

test("output colouring keeps the text exactly", () => {
  const text = '---\n# Source: a/b.yaml\nkind: A\n  - name: "x<y>&"\n  # c\n  "q:k": 1\nplain text: {{ }}\n';
  const html = highlightYaml(text);
  assert.match(html, /<span class="y-key">kind<\/span>: A/);
  assert.match(html, /<span class="y-source"># Source: a\/b\.yaml<\/span>/);
  const unescaped = html
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
  assert.equal(unescaped, text);
});
