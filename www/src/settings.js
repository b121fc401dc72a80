// The sidebar forms under the file tree: the user's values files (`-f`, in
// order), `--set` style rows, and the release settings of `helm template`.

import { h, toast } from "./dom.js";
import { SET_KINDS, VALUES_PREFIX } from "./workspace.js";

export class Settings {
  /**
   * @param {HTMLElement} root
   * @param {import("./workspace.js").Workspace} workspace
   * @param {{ onOpen: (key: string) => void }} hooks
   */
  constructor(root, workspace, { onOpen }) {
    this.root = root;
    this.workspace = workspace;
    this.onOpen = onOpen;
    this.valuesBox = h("div", { class: "values-files", "data-testid": "values-files" });
    this.setsBox = h("div", { class: "set-rows", "data-testid": "set-rows" });
    this.releaseBox = h("div", { class: "release", "data-testid": "release" });
    root.append(
      h("h2", {}, "Values files ", h("small", {}, "-f, applied in order after values.yaml")),
      this.valuesBox,
      h("h2", {}, "Flags ", h("small", {}, "--set, --set-string, --set-json, --set-literal")),
      this.setsBox,
      h("h2", {}, "Release"),
      this.releaseBox,
    );
  }

  setWorkspace(workspace) {
    this.workspace = workspace;
    this.render();
  }

  render() {
    this.renderValues();
    this.renderSets();
    this.renderRelease();
  }

  renderValues() {
    const ws = this.workspace;
    const rows = ws.values.map((v, i) =>
      h(
        "div",
        { class: `values-row${ws.open === VALUES_PREFIX + v.name ? " open" : ""}` },
        h("input", {
          type: "checkbox",
          checked: v.enabled,
          title: "Apply this file",
          "aria-label": `Apply ${v.name}`,
          onchange: (e) => ws.updateValuesFile(i, { enabled: e.target.checked }),
        }),
        h("button", { type: "button", class: "link", title: "Edit", onclick: () => this.onOpen(VALUES_PREFIX + v.name) }, `-f ${v.name}`),
        h("button", { type: "button", class: "icon-btn", title: "Apply earlier", "aria-label": `Move ${v.name} up`, onclick: () => ws.moveValuesFile(i, -1) }, "↑"),
        h("button", { type: "button", class: "icon-btn", title: "Apply later", "aria-label": `Move ${v.name} down`, onclick: () => ws.moveValuesFile(i, 1) }, "↓"),
        h("button", { type: "button", class: "icon-btn", title: "Rename", "aria-label": `Rename ${v.name}`, onclick: () => this.renameValues(i) }, "✎"),
        h("button", {
          type: "button",
          class: "icon-btn",
          title: "Remove",
          "aria-label": `Remove ${v.name}`,
          onclick: () => {
            if (v.text.trim() === "" || confirm(`Remove ${v.name}?`)) ws.removeValuesFile(i);
          },
        }, "✕"),
      ),
    );
    const add = h("button", { type: "button", class: "tool", onclick: () => this.addValues() }, "+ Values file");
    this.valuesBox.replaceChildren(...rows, add);
  }

  addValues() {
    const ws = this.workspace;
    let n = ws.values.length + 1;
    while (ws.values.some((v) => v.name === `override-${n}.yaml`)) n++;
    const name = prompt("Name of the values file", `override-${n}.yaml`);
    if (!name) return;
    try {
      this.onOpen(ws.addValuesFile(name, "# Values here override the chart's values.yaml.\n"));
    } catch (err) {
      toast(err.message, "error");
    }
  }

  renameValues(i) {
    const name = prompt("New name", this.workspace.values[i].name);
    if (!name) return;
    try {
      this.workspace.updateValuesFile(i, { name });
    } catch (err) {
      toast(err.message, "error");
    }
  }

  renderSets() {
    const ws = this.workspace;
    const rows = ws.sets.map((s, i) =>
      h(
        "div",
        { class: "set-row" },
        h("input", {
          type: "checkbox",
          checked: s.enabled,
          "aria-label": "Apply this flag",
          onchange: (e) => ws.updateSet(i, { enabled: e.target.checked }),
        }),
        h(
          "select",
          { "aria-label": "Flag", onchange: (e) => ws.updateSet(i, { kind: e.target.value }) },
          SET_KINDS.map((k) => h("option", { value: k, selected: k === s.kind }, `--${k}`)),
        ),
        h("input", {
          type: "text",
          class: "expr",
          value: s.expr,
          placeholder: "key=value",
          spellcheck: "false",
          "aria-label": "Flag value",
          oninput: (e) => ws.updateSet(i, { expr: e.target.value }),
        }),
        h("button", { type: "button", class: "icon-btn", title: "Remove", "aria-label": "Remove flag", onclick: () => ws.removeSet(i) }, "✕"),
      ),
    );
    const add = h("button", {
      type: "button",
      class: "tool",
      onclick: () => {
        ws.addSet("set", "");
        this.setsBox.querySelector(".set-row:last-of-type input.expr")?.focus();
      },
    }, "+ Flag");
    this.setsBox.replaceChildren(...rows, add);
  }

  renderRelease() {
    const r = this.workspace.release;
    const update = (patch) => this.workspace.updateRelease(patch);
    const text = (key, label, placeholder, hint) =>
      h(
        "label",
        { class: "field" },
        h("span", {}, label),
        h("input", {
          type: "text",
          value: r[key],
          placeholder,
          spellcheck: "false",
          title: hint,
          "data-field": key,
          oninput: (e) => update({ [key]: e.target.value }),
        }),
      );
    const check = (key, label, hint) =>
      h(
        "label",
        { class: "check", title: hint },
        h("input", { type: "checkbox", checked: r[key], "data-field": key, onchange: (e) => update({ [key]: e.target.checked }) }),
        h("span", {}, label),
      );
    this.releaseBox.replaceChildren(
      text("name", "Name", "release-name", "NAME: .Release.Name"),
      text("namespace", "Namespace", "default", "--namespace: .Release.Namespace"),
      text("kubeVersion", "Kube version", "v1.36.0", "--kube-version: .Capabilities.KubeVersion"),
      text("apiVersions", "API versions", "monitoring.coreos.com/v1", "--api-versions, separated by commas or spaces: .Capabilities.APIVersions"),
      text("showOnly", "Show only", "templates/service.yaml", "--show-only: template paths, separated by commas"),
      h(
        "div",
        { class: "field revision", title: "helm template always renders revision 1" },
        h("span", {}, "Revision"),
        h("output", {}, "1"),
      ),
      check("isUpgrade", "Upgrade (--is-upgrade)", ".Release.IsUpgrade instead of .Release.IsInstall"),
      check("includeCrds", "Include CRDs (--include-crds)", "print the files of crds/ too"),
      check("noHooks", "No hooks (--no-hooks)", "leave out hook manifests"),
      check("skipTests", "Skip tests (--skip-tests)", "leave out helm test manifests"),
      check("skipSchemaValidation", "Skip schema validation", "--skip-schema-validation"),
    );
  }
}
