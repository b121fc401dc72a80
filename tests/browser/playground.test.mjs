// The playground in headless Chromium (playwright-core driving the system's
// browser): the default example renders, edits re-render, errors land on
// their line and keep the last output, share links restore the workspace,
// subcharts render, the keyboard moves the focus (even before CodeMirror's
// chunk is in), runaway templates stop, the page works offline, and the
// <chartroom-example> element renders live. Also measures the figures of the
// note (cold first output, keystroke to output) and saves screenshots.
//
// Environment (set by build.sh): CHARTROOM_WWW (the built playground,
// default target/www), CHARTROOM_NODE_MODULES (playwright-core), CHROMIUM
// (default /usr/bin/chromium), CHARTROOM_ARTIFACTS (figures and screenshots,
// default target/browser).

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { serve } from "../../www/serve.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const WWW = process.env.CHARTROOM_WWW ?? join(ROOT, "target", "www");
const ARTIFACTS = process.env.CHARTROOM_ARTIFACTS ?? join(ROOT, "target", "browser");
const MODULES = process.env.CHARTROOM_NODE_MODULES;
if (!MODULES) throw new Error("CHARTROOM_NODE_MODULES is not set: run through ./build.sh test");
const { chromium } = await import(pathToFileURL(join(MODULES, "playwright-core", "index.mjs")).href);

const figures = {};
let server;
let url;
let browser;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  ({ server, url } = await serve({ dir: WWW }));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
  writeFileSync(join(ARTIFACTS, "figures.json"), JSON.stringify(figures, null, 2) + "\n");
  console.log(`browser figures (${join(ARTIFACTS, "figures.json")}):\n${JSON.stringify(figures, null, 2)}`);
});

/**
 * A fresh browser context (empty cache and storage) and page; page errors fail the test. `beforeLoad` gets the
 * page before it navigates (to route its requests, say).
 */
async function openPage(t, path = "", { beforeLoad } = {}) {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    colorScheme: "light",
    // A routed page must fetch for itself: requests its service worker makes pass by the routes.
    serviceWorkers: beforeLoad ? "block" : "allow",
  });
  const page = await context.newPage();
  await beforeLoad?.(page);
  const errors = [];
  page.on("pageerror", (err) => errors.push(err.message));
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  t.after(async () => {
    await context.close();
    assert.deepEqual(errors, [], "the page logged errors");
  });
  await page.goto(url + path);
  return { page, context };
}

const output = (page) => page.getByTestId("output");
const stream = (page) => output(page).textContent();

async function waitForOutput(page, text, timeout = 15_000) {
  await page.waitForFunction(
    ({ text }) => document.querySelector('[data-testid="output"]')?.textContent.includes(text),
    { text },
    { timeout },
  );
}

async function openFile(page, path) {
  await page.getByTestId("file-tree").locator(`button.row[data-path="${path}"]`).click();
  await page.waitForFunction((p) => document.getElementById("editor-title")?.textContent === p, path);
}

/** Puts the cursor at the end of the first editor line containing `text` (with the editor's search). */
async function cursorAfter(page, text) {
  await page.getByTestId("editor").locator(".cm-content").click({ position: { x: 1, y: 1 } });
  await page.keyboard.press("Control+Home");
  await page.keyboard.press("Control+f");
  const field = page.getByTestId("editor").locator(".cm-search input[name=search]");
  await field.fill(text);
  await field.dispatchEvent("change"); // the search panel takes its query on change
  await field.press("Enter");
  await page.keyboard.press("Escape");
  await page.keyboard.press("End");
}

async function gotoLine(page, n) {
  await page.getByTestId("editor").locator(".cm-content").click({ position: { x: 1, y: 1 } });
  await page.keyboard.press("Control+Home");
  for (let i = 1; i < n; i++) await page.keyboard.press("ArrowDown");
  await page.keyboard.press("End");
}

async function pickExample(page, id) {
  await page.getByTestId("example-picker").selectOption(id);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (n) => Math.round(n * 10) / 10;

test("the page loads and shows the default example's output (cold loads timed)", async (t) => {
  const cold = [];
  for (let i = 0; i < 5; i++) {
    const { page, context } = await openPage(t);
    await waitForOutput(page, "# Source: webapp/templates/deployment.yaml");
    const stats = await page.evaluate(() => window.chartroom.stats);
    const nav = await page.evaluate(() => performance.getEntriesByType("navigation")[0].toJSON());
    cold.push({
      firstOutputMs: round(stats.firstOutputMs),
      domContentLoadedMs: round(nav.domContentLoadedEventEnd),
      appStartMs: round(stats.appStartMs),
      workerReadyMs: round(stats.workerReadyInWorkerMs),
      wasmInitMs: round(stats.initMs),
      firstRenderMs: round(stats.firstRenderMs),
    });
    if (i === 0) {
      const text = await stream(page);
      for (const kind of ["ConfigMap", "Service", "Deployment", "Ingress"]) assert.match(text, new RegExp(`^kind: ${kind}$`, "m"));
      assert.match(text, /checksum\/config: [0-9a-f]{64}/);
      assert.match(await page.getByTestId("errors").textContent(), /No errors/);
      assert.equal(await page.getByTestId("example-picker").inputValue(), "webapp");
      assert.ok(await page.getByTestId("file-tree").locator('button.row[data-path="templates/ingress.yaml"]').isVisible());
      await page.screenshot({ path: join(ARTIFACTS, "playground.png") });
    }
    await context.close();
  }
  figures.coldFirstOutputMs = cold.map((c) => c.firstOutputMs);
  figures.coldFirstOutputMedianMs = round(median(cold.map((c) => c.firstOutputMs)));
  figures.coldRuns = cold;
  figures.screenshot = join(ARTIFACTS, "playground.png");
});

test("editing a value changes the output", async (t) => {
  const { page } = await openPage(t);
  await waitForOutput(page, "replicas: 2");
  await openFile(page, "values.yaml");
  await cursorAfter(page, "replicaCount: 2");
  await page.keyboard.press("Backspace");
  await page.keyboard.type("7");
  await waitForOutput(page, "replicas: 7");
  // The checksum annotation follows the ConfigMap.
  const before = (await stream(page)).match(/checksum\/config: (\w+)/)[1];
  await cursorAfter(page, "LOG_LEVEL: info");
  await page.keyboard.type("rmation");
  await waitForOutput(page, 'LOG_LEVEL: "information"');
  const afterEdit = (await stream(page)).match(/checksum\/config: (\w+)/)[1];
  assert.notEqual(afterEdit, before);
});

test("a broken template shows an error at its line and keeps the last output", async (t) => {
  const { page } = await openPage(t);
  await waitForOutput(page, "kind: Service");
  const good = await stream(page);
  await openFile(page, "templates/service.yaml");
  await gotoLine(page, 8);
  await page.keyboard.insertText(" {{ .Values.service.type | nosuchfunc }}");
  const row = page.getByTestId("errors").locator("button.where").first();
  await row.waitFor();
  assert.equal(await row.getAttribute("data-key"), "templates/service.yaml");
  assert.equal(await row.getAttribute("data-line"), "8");
  assert.match(await page.getByTestId("errors").textContent(), /function "nosuchfunc" not defined/);
  // The marker sits on line 8, and the last good output stays, dimmed.
  await page.locator(".cm-lintRange-error").first().waitFor();
  const markerLine = await page.evaluate(() => {
    const range = document.querySelector(".cm-lintRange-error");
    const line = range.closest(".cm-line");
    return [...line.parentElement.children].filter((el) => el.classList.contains("cm-line")).indexOf(line) + 1;
  });
  assert.equal(markerLine, 8);
  assert.equal(await stream(page), good);
  assert.ok(await page.locator(".output-body.stale").isVisible());
  await page.waitForTimeout(300); // the dimming's transition
  await page.screenshot({ path: join(ARTIFACTS, "playground-error.png") });
  // Clicking the error from another file opens the file at the line.
  await openFile(page, "values.yaml");
  await row.click();
  await page.waitForFunction(() => document.getElementById("editor-title").textContent === "templates/service.yaml");
  // Undo repairs it.
  await page.keyboard.press("Control+z");
  await page.waitForFunction(() => !document.querySelector(".output-body.stale"));
  assert.match(await page.getByTestId("errors").textContent(), /No errors/);
});

test("values, schema and YAML errors are placed in their files", async (t) => {
  const { page } = await openPage(t);
  await waitForOutput(page, "kind: Deployment");
  const errors = page.getByTestId("errors");

  // Invalid YAML out of a template: its file, and the rendered text the message counts lines in.
  await openFile(page, "templates/service.yaml");
  await gotoLine(page, 8);
  await page.keyboard.insertText(" bad: x");
  await errors.locator('.error-row[data-kind="yaml"]').waitFor();
  assert.equal(await errors.locator("button.where").first().getAttribute("data-key"), "templates/service.yaml");
  assert.match(await errors.textContent(), /YAML parse error on webapp\/templates\/service\.yaml/);
  assert.match(await errors.locator("details pre").textContent(), /^ *\d+ {2}  type: ClusterIP bad: x$/m);
  assert.ok(await page.getByTestId("file-tree").locator('button.row.has-error[data-path="templates/service.yaml"]').isVisible());
  await page.keyboard.press("Control+z");
  await page.waitForFunction(() => !document.querySelector(".output-body.stale"));

  // A values file that is not YAML.
  await openFile(page, "values.yaml");
  await page.getByTestId("editor").locator(".cm-content").click({ position: { x: 1, y: 1 } });
  await page.keyboard.press("Control+End");
  await page.keyboard.insertText("\nbroken: [\n");
  await errors.locator('button.where[data-key="values.yaml"]').waitFor();
  assert.match(await errors.textContent(), /cannot load values\.yaml/);
  await page.keyboard.press("Control+z");
  await page.waitForFunction(() => !document.querySelector(".output-body.stale"));

  // A schema violation: on the line that sets the value.
  await pickExample(page, "schema");
  await waitForOutput(page, "release-name-worker-metrics");
  await openFile(page, "values.yaml");
  await cursorAfter(page, "replicas: 2");
  await page.keyboard.press("Backspace");
  await page.keyboard.type("0");
  const where = page.getByTestId("errors").locator('button.where[data-key="values.yaml"]');
  await where.first().waitFor();
  assert.equal(await where.first().getAttribute("data-line"), "1");
  assert.match(await page.getByTestId("errors").textContent(), /minimum/);
  assert.match(await page.getByTestId("errors").textContent(), /values don't meet the specifications of the schema/);
});

test("a share link restores the same workspace in a fresh page", async (t) => {
  const { page } = await openPage(t);
  await waitForOutput(page, "kind: Deployment");
  await page.locator('[data-field="name"]').fill("shared-rel");
  await page.getByRole("button", { name: "+ Flag" }).click();
  await page.locator(".set-row input.expr").fill("service.port=8080");
  await openFile(page, "templates/configmap.yaml");
  await waitForOutput(page, "port: 8080");
  await waitForOutput(page, "name: shared-rel-webapp");
  const text = await stream(page);
  const workspace = await page.evaluate(() => JSON.stringify(window.chartroom.workspace().toJSON()));
  await page.getByTestId("share").click();
  await page.waitForFunction(() => document.querySelector('[data-testid="share-link"]').value.includes("#ws1."));
  const link = await page.getByTestId("share-link").inputValue();
  assert.match(link, /#ws1\./);
  figures.shareLinkChars = link.length;

  const { page: fresh } = await openPage(t, link.slice(url.length));
  await waitForOutput(fresh, "name: shared-rel-webapp");
  assert.equal(await stream(fresh), text);
  assert.equal(await fresh.evaluate(() => JSON.stringify(window.chartroom.workspace().toJSON())), workspace);
  assert.equal(await fresh.locator("#editor-title").textContent(), "templates/configmap.yaml");
});

test("an example with subcharts and globals renders; a dependency switches off", async (t) => {
  const { page } = await openPage(t);
  await waitForOutput(page, "kind: Deployment");
  await pickExample(page, "umbrella");
  await waitForOutput(page, "# Source: shop/charts/api/templates/deployment.yaml");
  const text = await stream(page);
  assert.match(text, /# Source: shop\/charts\/cache\/templates\/statefulset\.yaml/);
  assert.match(text, /value: "staging"/);
  assert.ok(await page.getByTestId("file-tree").locator('button.row[data-path="charts/api/values.yaml"]').isVisible());
  await openFile(page, "values.yaml");
  await cursorAfter(page, "enabled: true");
  await page.keyboard.press("Backspace");
  await page.keyboard.press("Backspace");
  await page.keyboard.press("Backspace");
  await page.keyboard.press("Backspace");
  await page.keyboard.type("false");
  await page.waitForFunction(() => !document.querySelector('[data-testid="output"]').textContent.includes("statefulset.yaml"));
  await page.getByRole("tab", { name: /Manifests/ }).click();
  assert.equal(await page.getByTestId("manifests").locator("article.card").count(), 3);
  await page.getByRole("tab", { name: "Values" }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid="computed-values"]').textContent.includes("maxMemory"));
  await page.screenshot({ path: join(ARTIFACTS, "playground-subcharts.png") });
});

test("every gallery example renders without errors", async (t) => {
  const { page } = await openPage(t);
  await waitForOutput(page, "kind: Deployment");
  const ids = await page.evaluate(() => window.chartroom.examples.map((e) => e.id));
  assert.ok(ids.length >= 6);
  for (const id of ids) {
    await pickExample(page, id);
    await page.waitForFunction((id) => window.chartroom.workspace().example === id, id);
    await page.waitForFunction(() => window.chartroom.stats.renders > 0 && document.querySelector(".status.ok"));
    assert.match(await page.getByTestId("errors").textContent(), /No errors/, id);
    assert.match(await stream(page), /^# Source: /m, id);
  }
  await pickExample(page, "crds-hooks");
  await waitForOutput(page, "kind: CustomResourceDefinition");
  await pickExample(page, "files");
  await waitForOutput(page, "limits.burst=50");
});

/** Types letters at the end of the first plain string value of values.yaml; each keystroke timed. */
async function timeKeystrokes(page, letters) {
  await openFile(page, "values.yaml");
  const target = await page.evaluate(() => {
    const text = window.chartroom.workspace().files.get("values.yaml");
    return text.split("\n").find((l) => /^\s*[\w.-]+: (?!true$|false$|null$)[A-Za-z][\w/.-]*$/.test(l));
  });
  assert.ok(target, "a plain string value to type into");
  await cursorAfter(page, target.trim());
  const samples = [];
  for (const ch of letters) {
    const count = await page.evaluate(() => window.chartroom.stats.keyToOutput.length);
    await page.keyboard.press(ch);
    await page.waitForFunction((n) => window.chartroom.stats.keyToOutput.length > n, count, { timeout: 30_000 });
    samples.push(await page.evaluate(() => window.chartroom.stats.keyToOutput.at(-1)));
  }
  return samples;
}

test("keystroke to updated output on the largest example", async (t) => {
  const { page } = await openPage(t);
  await waitForOutput(page, "kind: Deployment");
  const largest = await page.evaluate(() => [...window.chartroom.examples].sort((a, b) => b.bytes - a.bytes)[0]);
  await pickExample(page, largest.id);
  await page.waitForFunction((id) => window.chartroom.workspace().example === id, largest.id);
  await page.waitForFunction(() => document.querySelector(".status.ok"));
  const samples = await timeKeystrokes(page, "abcdefghijklmnopqrstuvwxyzabcd");
  assert.match(await stream(page), /abcdefghijklmnopqrstuvwxyzabcd/);
  figures.largestExample = largest;
  figures.keystrokeToOutputMedianMs = round(median(samples));
  figures.keystrokeToOutputMaxMs = round(Math.max(...samples));
  figures.keystrokeSamples = samples.length;
  figures.renderMsLast = round(await page.evaluate(() => window.chartroom.stats.lastRenderMs));
});

// Not a gallery example: large real charts of the conformance corpus
// (../shared/conformance), opened as .tgz through the page, for scale.
const CORPUS = join(process.env.CHARTROOM_CONFORMANCE ?? join(ROOT, "..", "shared", "conformance"), "charts", "public", "charts");
const CORPUS_CHARTS = ["bitnami-kafka-32.4.4", "opentelemetry-kube-stack-0.15.1"];

test("keystroke to updated output on large corpus charts (opened as .tgz)", async (t) => {
  if (!CORPUS_CHARTS.every((c) => existsSync(join(CORPUS, c)))) {
    t.skip(`no chart corpus at ${CORPUS}`);
    return;
  }
  const { page } = await openPage(t);
  await waitForOutput(page, "kind: Deployment");
  figures.corpusCharts = {};
  for (const chart of CORPUS_CHARTS) {
    const archive = join(ARTIFACTS, `${chart}.tgz`);
    execFileSync("tar", ["-czf", archive, "-C", CORPUS, chart]);
    const version = chart.slice(chart.lastIndexOf("-") + 1);
    await page.locator("#tgz-input").setInputFiles(archive);
    await page.waitForFunction(
      (version) => window.chartroom.workspace().chartInfo().version === version && document.querySelector(".status.ok"),
      version,
      { timeout: 30_000 },
    );
    const files = await page.evaluate(() => window.chartroom.workspace().files.size);
    const renders = await page.evaluate(() => window.chartroom.stats.renders);
    const samples = await timeKeystrokes(page, "abcdefghijkl");
    assert.ok((await page.evaluate(() => window.chartroom.stats.renders)) > renders);
    figures.corpusCharts[chart] = {
      files,
      outputBytes: (await stream(page)).length,
      keystrokeToOutputMedianMs: round(median(samples)),
      renderMsLast: round(await page.evaluate(() => window.chartroom.stats.lastRenderMs)),
    };
  }
});

test("the chart exports as .tgz, the output as .zip; a dropped .tgz opens", async (t) => {
  const { page } = await openPage(t);
  await waitForOutput(page, "kind: Deployment");
  const dir = join(ARTIFACTS, "downloads");
  mkdirSync(dir, { recursive: true });

  const [tgz] = await Promise.all([page.waitForEvent("download"), page.locator("#export-tgz").click()]);
  assert.equal(tgz.suggestedFilename(), "webapp-0.3.0.tgz");
  const archive = join(dir, "webapp-0.3.0.tgz");
  await tgz.saveAs(archive);
  const listed = execFileSync("tar", ["-tzf", archive], { encoding: "utf8" }).trim().split("\n");
  assert.ok(listed.includes("webapp/Chart.yaml") && listed.includes("webapp/templates/deployment.yaml"), listed.join(" "));

  const [zip] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: ".zip" }).click()]);
  const zipPath = join(dir, zip.suggestedFilename());
  await zip.saveAs(zipPath);
  const py = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(' '.join(sorted(z.namelist())))";
  assert.equal(
    execFileSync("python3", ["-c", py, zipPath], { encoding: "utf8" }).trim(),
    "NOTES.txt webapp/templates/configmap.yaml webapp/templates/deployment.yaml webapp/templates/ingress.yaml webapp/templates/service.yaml",
  );

  // Drop the exported archive onto the page, over another example.
  await pickExample(page, "files");
  await waitForOutput(page, "limits.burst=50");
  const bytes = [...(await import("node:fs")).readFileSync(archive)];
  const dataTransfer = await page.evaluateHandle((bytes) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], "webapp-0.3.0.tgz", { type: "application/gzip" }));
    return dt;
  }, bytes);
  await page.dispatchEvent("main", "drop", { dataTransfer });
  await waitForOutput(page, "# Source: webapp/templates/deployment.yaml");
  assert.equal(await page.getByTestId("example-picker").inputValue(), "");
});

// A key press is handled in the page's own event loop, which a render in progress may hold up: wait (up to 5 s)
// for the focus to land where the key sends it.
const focusLands = (page, where) => page.waitForFunction(where, undefined, { timeout: 5_000 });
const editorFocused = () => document.activeElement?.classList.contains("cm-content") === true;

test("keyboard: tree navigation, Alt shortcuts, output tabs", async (t) => {
  const { page } = await openPage(t);
  await waitForOutput(page, "kind: Deployment");
  await page.keyboard.press("Alt+1");
  await focusLands(page, () => document.activeElement.dataset.path === "templates");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await focusLands(page, () => document.activeElement.dataset.path === "templates/configmap.yaml");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.getElementById("editor-title").textContent === "templates/configmap.yaml");
  await page.keyboard.press("Alt+2");
  await focusLands(page, editorFocused);
  await page.keyboard.press("Alt+3");
  await page.keyboard.press("ArrowRight");
  await focusLands(page, () => document.activeElement.textContent === "Manifests (4)");
  assert.ok(await page.getByTestId("manifests").locator("article.card").first().isVisible());
});

/** Opens the playground with CodeMirror's chunk held back until the returned `release` is called. */
async function openPageWithoutEditor(t) {
  let release;
  const held = new Promise((resolve) => (release = resolve));
  const { page } = await openPage(t, "", {
    beforeLoad: (page) =>
      page.route(/\/editor-[^/]*\.js$/, async (route) => {
        await held;
        await route.continue();
      }),
  });
  await waitForOutput(page, "kind: Deployment");
  return { page, release };
}

test("Alt+2 pressed before the editor has loaded focuses it once it has", async (t) => {
  const { page, release } = await openPageWithoutEditor(t);
  await page.keyboard.press("Alt+2");
  assert.equal(await page.locator(".cm-content").count(), 0, "the editor's chunk was held back");
  release();
  await focusLands(page, editorFocused);
});

test("an Alt+2 that the focus has left since does not take the focus when the editor loads", async (t) => {
  const { page, release } = await openPageWithoutEditor(t);
  await page.keyboard.press("Alt+2");
  await page.keyboard.press("Alt+1");
  await focusLands(page, () => document.activeElement.dataset.path === "templates");
  release();
  await page.locator(".cm-content").waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.dataset.path), "templates");
});

test("a runaway template is stopped and reported", async (t) => {
  const { page } = await openPage(t);
  await waitForOutput(page, "kind: Deployment");
  await openFile(page, "templates/service.yaml");
  await gotoLine(page, 1);
  await page.keyboard.insertText("{{ range until 10000 }}{{ range until 10000 }}{{ end }}{{ end }}");
  const errors = page.getByTestId("errors");
  await errors.locator(".error-row").first().waitFor({ timeout: 20_000 });
  assert.match(await errors.locator(".error-row .badge.kind").first().textContent(), /limit/);
  assert.ok(await page.locator(".output-body.stale").isVisible());
});

test("the page works offline once loaded", async (t) => {
  const { page, context } = await openPage(t);
  await waitForOutput(page, "kind: Deployment");
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await waitForOutput(page, "kind: Deployment");
  await context.setOffline(true);
  await page.reload();
  await waitForOutput(page, "kind: Deployment");
  await context.setOffline(false);
});

test("the dark theme toggles and persists", async (t) => {
  const { page } = await openPage(t);
  await waitForOutput(page, "kind: Deployment");
  await page.locator("#theme-toggle").click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
  await page.reload();
  await waitForOutput(page, "kind: Deployment");
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
  await page.screenshot({ path: join(ARTIFACTS, "playground-dark.png") });
});

test("<chartroom-example> renders live in a docs page", async (t) => {
  const { page } = await openPage(t, "embed.html");
  const example = page.locator("#example-nindent");
  await page.waitForFunction(() => document.querySelector("#example-nindent")?.result);
  assert.match(await example.locator("pre").textContent(), /memory: 256Mi/);
  await example.locator("button[role=tab]", { hasText: "values.yaml" }).click();
  const area = example.locator("textarea");
  await area.fill("resources:\n  limits:\n    memory: 1Gi\n");
  await page.waitForFunction(() => document.querySelector("#example-nindent").result.output.includes("memory: 1Gi"));
  assert.match(await example.locator("pre").textContent(), /memory: 1Gi/);
  const values = page.locator("#example-values");
  await page.waitForFunction(() => document.querySelector("#example-values")?.result);
  assert.match(await values.locator("pre").textContent(), /replicas: "3"/);
  assert.match(await values.locator("pre").textContent(), /namespace: prod/);
  await area.fill("resources: [");
  await example.locator(".error").waitFor();
  assert.match(await example.locator(".error").textContent(), /^Error: /);
});
