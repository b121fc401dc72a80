/**
 * Chartroom: Helm charts rendered exactly like `helm template` v3.21.4, in
 * WebAssembly. No helm binary, no cluster, no network.
 */

/** A chart's files: path (relative to the chart's root, `/`-separated) to text or bytes. */
export type ChartFiles =
  | Record<string, string | Uint8Array>
  | Map<string, string | Uint8Array>;

/** A chart: its files, or one packaged chart (`.tgz`) as bytes. */
export type ChartInput = ChartFiles | Uint8Array;

/** The flags of `helm template` that take values. */
export interface ValuesOptions {
  /** `-f`/`--values`: values files as YAML text, applied in order. */
  values?: Array<string | NamedValues>;
  /** `--set key=value,…`, in order. */
  set?: string[];
  /** `--set-string`. */
  setString?: string[];
  /** `--set-json`. */
  setJson?: string[];
  /**
   * `--set-file key=path`: paths are looked up in this map (the package never
   * reads the file system).
   */
  setFile?: string[];
  /** Contents for the paths named in `setFile`. */
  files?: Record<string, string>;
  /** `--set-literal`. */
  setLiteral?: string[];
}

/** A values file with the name Helm's error messages should use. */
export interface NamedValues {
  name: string;
  text: string;
}

/** Limits that keep a render from running away. */
export interface Budget {
  /** Stop after this many template execution steps (default: no limit). */
  maxSteps?: number;
  /** Stop when one template's output passes this many bytes. */
  maxOutputBytes?: number;
}

/** The options of `renderChart`: `helm template`'s flags. */
export interface RenderOptions extends ValuesOptions, Budget {
  /** `NAME` (default `release-name`). */
  releaseName?: string;
  /** `--name-template`: the release name from a template (Sprig functions, no data). */
  nameTemplate?: string;
  /** `--namespace` (default `default`). */
  namespace?: string;
  /** `--is-upgrade`. */
  isUpgrade?: boolean;
  /** `--kube-version` (default v1.36.0, as helm v3.21.4). */
  kubeVersion?: string;
  /** `--api-versions`, added to the default set. */
  apiVersions?: string[];
  /** `--include-crds`. */
  includeCrds?: boolean;
  /** `--skip-crds`. */
  skipCrds?: boolean;
  /** `--no-hooks`. */
  noHooks?: boolean;
  /** `--skip-tests`. */
  skipTests?: boolean;
  /** `--show-only`: template paths such as `templates/service.yaml`. */
  showOnly?: string[];
  /** `--render-subchart-notes`. */
  renderSubchartNotes?: boolean;
  /** `--skip-schema-validation`. */
  skipSchemaValidation?: boolean;
  /**
   * `--debug`: on a render error, the manifests rendered so far come with
   * the error (`ChartroomError.output`) and Helm's message loses its hint.
   */
  debug?: boolean;
}

/** One rendered document. */
export interface Manifest {
  /** The template it came from, e.g. `mychart/templates/service.yaml`. */
  path: string;
  /** The document's YAML text. */
  content: string;
  kind: string;
  name: string;
  /** `metadata.namespace` when the document sets it, else "". */
  namespace: string;
  /** Hook events (`pre-install`, …); empty for a plain manifest. */
  hook: string[];
}

/** The result of `renderChart`. */
export interface RenderResult {
  manifests: Manifest[];
  /** The rendered NOTES.txt ("" when there is none). */
  notes: string;
  /** Exactly what `helm template` (and `chartroom template`) prints. */
  output: string;
}

/** What went wrong, as a kind. */
export type ErrorKind =
  | "chart" // loading the chart: Chart.yaml, archives, missing dependencies
  | "values" // a values file or a --set flag
  | "schema" // values.schema.json rejected the values
  | "parse" // a template's syntax
  | "exec" // executing a template (including `fail` and `required`)
  | "yaml" // a rendered manifest is not valid YAML
  | "options" // an option's value (release name, kube version, show-only…)
  | "limit" // a budget ran out (maxSteps, maxOutputBytes, depth)
  | "internal"; // a bug in Chartroom: please report it

/** One value that failed a `values.schema.json`. */
export interface SchemaViolation {
  /** The chart whose schema failed (`mychart`, `mychart.subchart`…). */
  chart: string;
  /** JSON pointer to the value, e.g. `/image/tag` ("" for the root). */
  path: string;
  message: string;
}

/** The fields of a `ChartroomError`. */
export interface ErrorDetails {
  kind: ErrorKind;
  /** The chart file the error is in (path as in `ChartFiles`), when known. */
  file?: string;
  /** 1-based line in `file` (or in the template of `renderTemplate`), when known. */
  line?: number;
  /** 1-based column, when known. */
  column?: number;
  /** Chartroom's message: Helm's, without its file position prefix. */
  message: string;
  /** The exact text helm prints after `Error: `. */
  helmMessage: string;
  /** Schema errors: every violation. */
  violations?: SchemaViolation[];
  /**
   * What `helm template` prints before the error, when anything: with
   * `debug`, the manifests rendered so far (the invalid one included).
   */
  output?: string;
}

/** The error every call throws when the chart, values or options are wrong. */
export class ChartroomError extends Error implements ErrorDetails {
  constructor(details: ErrorDetails);
  name: "ChartroomError";
  kind: ErrorKind;
  file?: string;
  line?: number;
  column?: number;
  helmMessage: string;
  violations?: SchemaViolation[];
  output?: string;
}

/** Renders a chart as `helm template` does. Throws a `ChartroomError`. */
export function renderChart(chart: ChartInput, options?: RenderOptions): RenderResult;

/** Options of `renderTemplate`: values as for a chart, and budgets. */
export interface TemplateOptions extends ValuesOptions, Budget {}

/**
 * Renders one template string with Helm's whole function set, `.Values`
 * built from `values` (YAML text or an object) and `options`.
 */
export function renderTemplate(
  template: string,
  values?: string | Record<string, unknown>,
  options?: TemplateOptions
): string;

/** Checks the values against every `values.schema.json` of the chart. */
export interface ValidationResult {
  valid: boolean;
  violations: SchemaViolation[];
  /** The text helm prints when the values are rejected ("" when valid). */
  helmMessage: string;
}

/** Schema checks alone. Throws only when the chart or values cannot be read. */
export function validateValues(chart: ChartInput, options?: ValuesOptions): ValidationResult;

/** `helm show values`: the chart's values.yaml as shipped. */
export function showValues(chart: ChartInput): string;

/** The values a render sees: the chart's defaults coalesced with the user's (YAML). */
export function computeValues(chart: ChartInput, options?: ValuesOptions): string;

/** Chartroom's version (the package's). */
export const version: string;

/** The Helm version whose output Chartroom matches, e.g. `v3.21.4`. */
export const helmVersion: string;

/**
 * Loads the WebAssembly module. Node entry points load it synchronously on
 * import; in browsers call this first (with the module's URL, a `Response`,
 * bytes or a compiled `WebAssembly.Module`; default: the `.wasm` beside this file).
 */
export function init(
  input?: string | URL | Request | Response | BufferSource | WebAssembly.Module
): Promise<void>;

/** Synchronous `init` from bytes or a compiled module. */
export function initSync(input: BufferSource | WebAssembly.Module): void;
