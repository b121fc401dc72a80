// The chart's file tree: folders and files, with add, rename and delete
// (inline name fields), subcharts under charts/, and keyboard navigation
// (arrows, Enter, F2, Delete) in the WAI-ARIA tree pattern.

import { h, toast } from "./dom.js";
import { VALUES_PREFIX } from "./workspace.js";

const SUBCHART_FILES = (name) => ({
  "Chart.yaml": `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`,
  "values.yaml": `# Defaults of the ${name} subchart; the parent sets them under \`${name}:\`.\n`,
  "templates/configmap.yaml": `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-${name}\ndata:\n  chart: {{ .Chart.Name }}\n`,
});

export class FileTree {
  /**
   * @param {HTMLElement} root the element with data-testid="file-tree"
   * @param {import("./workspace.js").Workspace} workspace
   * @param {{ onOpen: (path: string) => void }} hooks
   */
  constructor(root, workspace, { onOpen }) {
    this.root = root;
    this.workspace = workspace;
    this.onOpen = onOpen;
    this.collapsed = new Set();
    this.selected = null;
    this.editing = null; // { mode: "file"|"folder"|"subchart"|"rename", parent, path }
    this.errorPaths = new Set();
    this.toolbar = h(
      "div",
      { class: "tree-toolbar", role: "toolbar", "aria-label": "Files" },
      this.toolButton("+ File", "New file in the selected folder", () => this.startCreate("file")),
      this.toolButton("+ Folder", "New folder in the selected folder", () => this.startCreate("folder")),
      this.toolButton("+ Subchart", "New subchart under charts/", () => this.startCreate("subchart")),
      this.toolButton("Rename", "Rename the selected file or folder (F2)", () => this.startRename()),
      this.toolButton("Delete", "Delete the selected file or folder (Delete)", () => this.removeSelected()),
    );
    this.list = h("ul", { class: "tree", role: "tree", "aria-label": "Chart files" });
    this.list.addEventListener("keydown", (e) => this.onKey(e));
    root.append(this.toolbar, this.list);
  }

  toolButton(label, title, onclick) {
    return h("button", { type: "button", class: "tool", title, onclick }, label);
  }

  setWorkspace(workspace) {
    this.workspace = workspace;
    this.collapsed.clear();
    this.selected = null;
    this.editing = null;
    this.render();
  }

  /** Paths (and their folders) to flag as having errors. */
  setErrorPaths(paths) {
    this.errorPaths = new Set();
    for (const p of paths) {
      this.errorPaths.add(p);
      for (let i = p.indexOf("/"); i > 0; i = p.indexOf("/", i + 1)) this.errorPaths.add(p.slice(0, i));
    }
    this.render();
  }

  /** The folder new entries go into: the selected folder, or the selected file's. */
  targetFolder() {
    const sel = this.selected;
    if (!sel) return "";
    if (this.workspace.files.has(sel)) return sel.includes("/") ? sel.slice(0, sel.lastIndexOf("/")) : "";
    return sel;
  }

  startCreate(mode) {
    // A subchart's name field shows under charts/, or at the top before charts/ exists.
    const parent = mode === "subchart" ? (this.workspace.folders().includes("charts") ? "charts" : "") : this.targetFolder();
    if (parent) this.collapsed.delete(parent);
    this.editing = { mode, parent };
    this.render();
  }

  startRename() {
    if (!this.selected) return toast("Select a file or folder first");
    this.editing = { mode: "rename", path: this.selected };
    this.render();
  }

  removeSelected() {
    const path = this.selected;
    if (!path) return toast("Select a file or folder first");
    const isFile = this.workspace.files.has(path);
    const count = [...this.workspace.files.keys()].filter((p) => p.startsWith(path + "/")).length;
    if (!isFile && count > 0 && !confirm(`Delete ${path}/ and the ${count} files in it?`)) return;
    this.selected = null;
    this.workspace.remove(path);
  }

  commitEdit(value) {
    const edit = this.editing;
    this.editing = null;
    if (!edit || value.trim() === "") return this.render();
    try {
      if (edit.mode === "rename") {
        this.selected = this.workspace.rename(edit.path, joinPath(parentOf(edit.path), value));
      } else if (edit.mode === "file") {
        const path = this.workspace.addFile(joinPath(edit.parent, value));
        this.selected = path;
        this.onOpen(path);
      } else if (edit.mode === "folder") {
        this.selected = this.workspace.addFolder(joinPath(edit.parent, value));
      } else if (edit.mode === "subchart") {
        const name = value.trim();
        const base = joinPath("charts", name);
        if (this.workspace.exists(base)) throw new Error(`${base} already exists`);
        for (const [file, text] of Object.entries(SUBCHART_FILES(name))) this.workspace.addFile(`${base}/${file}`, text);
        this.selected = `${base}/values.yaml`;
        this.onOpen(this.selected);
      }
    } catch (err) {
      toast(err.message, "error");
      this.render();
    }
  }

  // --- drawing ---------------------------------------------------------------

  render() {
    const ws = this.workspace;
    const folders = ws.folders();
    const entries = [...folders.map((p) => ({ path: p, dir: true })), ...[...ws.files.keys()].map((p) => ({ path: p, dir: false }))];
    const children = new Map();
    for (const entry of entries) {
      const parent = parentOf(entry.path);
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(entry);
    }
    for (const list of children.values()) {
      list.sort((a, b) => (a.dir !== b.dir ? (a.dir ? -1 : 1) : a.path.localeCompare(b.path)));
    }
    const focused = this.list.contains(document.activeElement) ? document.activeElement.dataset.path : null;
    this.list.replaceChildren(...this.renderLevel("", children, 0));
    const input = this.list.querySelector("input");
    if (input) {
      input.focus();
      input.select();
    } else if (focused !== null && focused !== undefined) {
      this.list.querySelector(`[data-path="${CSS.escape(focused)}"]`)?.focus();
    }
  }

  renderLevel(parent, children, depth) {
    const out = [];
    const edit = this.editing;
    if (edit && edit.mode !== "rename" && edit.parent === parent) {
      const placeholder = { file: "new-file.yaml", folder: "new-folder", subchart: "subchart name (charts/…)" }[edit.mode];
      out.push(h("li", { role: "none" }, this.nameInput("", placeholder, depth)));
    }
    for (const entry of children.get(parent) ?? []) {
      const name = entry.path.slice(parent ? parent.length + 1 : 0);
      if (edit?.mode === "rename" && edit.path === entry.path) {
        out.push(h("li", { role: "none" }, this.nameInput(name, name, depth)));
        continue;
      }
      const open = entry.dir && !this.collapsed.has(entry.path);
      const isOpenFile = !entry.dir && this.workspace.open === entry.path;
      const row = h(
        "button",
        {
          type: "button",
          class: `row${entry.dir ? " dir" : ""}${isOpenFile ? " open" : ""}${this.selected === entry.path ? " selected" : ""}${
            this.errorPaths.has(entry.path) ? " has-error" : ""
          }`,
          role: "treeitem",
          "aria-level": depth + 1,
          "aria-expanded": entry.dir ? String(open) : null,
          "aria-selected": String(this.selected === entry.path),
          "data-path": entry.path,
          "data-kind": entry.dir ? "dir" : "file",
          tabindex: this.selected === entry.path || (!this.selected && depth === 0) ? "0" : "-1",
          style: `padding-left: ${0.5 + depth * 0.9}rem`,
          title: entry.path,
          onclick: () => this.activate(entry),
        },
        h("span", { class: "icon", "aria-hidden": "true" }, entry.dir ? (open ? "▾" : "▸") : fileIcon(entry.path)),
        h("span", { class: "name" }, name),
      );
      out.push(h("li", { role: "none" }, row));
      if (open) {
        const nested = this.renderLevel(entry.path, children, depth + 1);
        if (nested.length) out.push(h("li", { role: "none" }, h("ul", { role: "group" }, nested)));
      }
    }
    return out;
  }

  nameInput(value, placeholder, depth) {
    let done = false;
    const finish = (commit) => {
      if (done) return;
      done = true;
      if (commit) this.commitEdit(input.value);
      else {
        this.editing = null;
        this.render();
      }
    };
    const input = h("input", {
      class: "name-input",
      value,
      placeholder,
      "aria-label": placeholder,
      style: `margin-left: ${0.5 + depth * 0.9}rem`,
      onkeydown: (e) => {
        e.stopPropagation();
        if (e.key !== "Enter" && e.key !== "Escape") return;
        // Keep the key from reaching whatever has focus after the commit.
        e.preventDefault();
        finish(e.key === "Enter");
      },
      onblur: () => finish(true),
    });
    return input;
  }

  activate(entry) {
    this.selected = entry.path;
    if (entry.dir) {
      if (this.collapsed.has(entry.path)) this.collapsed.delete(entry.path);
      else this.collapsed.add(entry.path);
      this.render();
    } else {
      this.onOpen(entry.path);
    }
  }

  onKey(e) {
    const rows = [...this.list.querySelectorAll("button.row")];
    const current = document.activeElement;
    const index = rows.indexOf(current);
    if (index < 0) return;
    const path = current.dataset.path;
    const isDir = current.dataset.kind === "dir";
    const focus = (i) => {
      const row = rows[Math.max(0, Math.min(rows.length - 1, i))];
      rows.forEach((r) => (r.tabIndex = -1));
      row.tabIndex = 0;
      row.focus();
      this.selected = row.dataset.path;
      rows.forEach((r) => r.classList.toggle("selected", r === row));
    };
    switch (e.key) {
      case "ArrowDown":
        focus(index + 1);
        break;
      case "ArrowUp":
        focus(index - 1);
        break;
      case "Home":
        focus(0);
        break;
      case "End":
        focus(rows.length - 1);
        break;
      case "ArrowRight":
        if (isDir && this.collapsed.has(path)) {
          this.collapsed.delete(path);
          this.render();
        } else focus(index + 1);
        break;
      case "ArrowLeft":
        if (isDir && !this.collapsed.has(path)) {
          this.collapsed.add(path);
          this.render();
        } else {
          const parent = parentOf(path);
          const i = rows.findIndex((r) => r.dataset.path === parent);
          if (i >= 0) focus(i);
        }
        break;
      case "F2":
        this.selected = path;
        this.startRename();
        break;
      case "Delete":
        this.selected = path;
        this.removeSelected();
        break;
      default:
        return;
    }
    e.preventDefault();
  }
}

function parentOf(path) {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

function joinPath(parent, name) {
  return parent ? `${parent}/${name}` : name;
}

function fileIcon(path) {
  if (path.startsWith(VALUES_PREFIX) || /values[^/]*\.ya?ml$/.test(path)) return "⚙";
  if (/\.tpl$/.test(path)) return "ƒ";
  if (/\.json$/.test(path)) return "{}";
  if (/\.ya?ml$/.test(path)) return "≡";
  return "·";
}
