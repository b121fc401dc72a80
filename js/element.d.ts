/**
 * `<chartroom-example>`: a live, editable Helm example for documentation
 * pages. Importing `chartroom/element` defines the element; it loads the
 * WebAssembly module (the `.wasm` beside the package's index.js) on first use.
 *
 * Children with `data-file="templates/x.yaml"` are chart files, children with
 * `data-values="name.yaml"` are user values files (`-f`); their text is
 * dedented. A Chart.yaml is made up when none is given.
 *
 * Attributes: `release-name`, `namespace`, `kube-version`, `chart-name`,
 * `include-crds`, `show-only` (template paths, comma separated), `readonly`,
 * `output` (`"stream"`, the default, or `"notes"`).
 *
 * Events: `chartroom-render` (detail: the RenderResult) after each successful
 * render, `chartroom-error` (detail: the ChartroomError) after a failed one.
 */

import type { ChartroomError, RenderResult } from "./index.js";

export declare class ChartroomExample extends HTMLElement {
  /** The chart files as `renderChart` takes them, Chart.yaml included. */
  readonly files: Record<string, string>;
  /** The last successful render, or null. */
  result: RenderResult | null;
  /** The last error, or null after a successful render. */
  error: ChartroomError | null;
  /** Replaces (or adds) one chart file and renders again. */
  setFile(path: string, text: string): void;
  /** Renders now (the module must be loaded); returns the result or null on error. */
  render(): RenderResult | null;
}

/** Text without the common indentation, leading and trailing blank lines. */
export declare function dedent(text: string): string;

declare global {
  interface HTMLElementTagNameMap {
    "chartroom-example": ChartroomExample;
  }
  interface HTMLElementEventMap {
    "chartroom-render": CustomEvent<RenderResult>;
    "chartroom-error": CustomEvent<ChartroomError>;
  }
}
