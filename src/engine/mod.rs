//! The render, mirroring Helm v3.21.4's `pkg/engine/engine.go`: every
//! template of a chart and its subcharts parsed into one template set (named
//! `gotpl`), parsed deepest path first, each non-partial template executed
//! with its chart's top-level object (`Values`, `Release`, `Chart`, `Files`,
//! `Capabilities`, `Template`, `Subcharts`), `<no value>` removed from the
//! output, and errors rewritten as Helm rewrites them.

pub mod glob;
pub mod objects;
#[cfg(not(target_arch = "wasm32"))]
mod parse_ahead;
mod parse_all;
pub mod values;

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::chart::Chart;
use crate::shared_bytes::SharedText;
use crate::template::{
    Error, ErrorKind, ExecOptions, Func, FuncError, Host, MissingKey, ParamType, Templates,
};
use crate::value::{go_text, Map, Value};

#[cfg(not(target_arch = "wasm32"))]
pub use parse_ahead::{parse_ahead, prestart_parse_helper, start_parse_ahead};

/// How deep `include` may nest one template name before Helm stops.
pub const INCLUDE_RECURSION_LIMIT: usize = 1000;

const WARN_START: &str = "HELM_ERR_START";
const WARN_END: &str = "HELM_ERR_END";

/// Engine settings (Helm's `Engine` fields).
#[derive(Clone, Copy, Debug, Default)]
pub struct EngineOptions {
    /// `missingkey=error` instead of `missingkey=zero`.
    pub strict: bool,
    /// Lint mode: `required` and `fail` log instead of failing.
    pub lint_mode: bool,
    /// Let `getHostByName` resolve names (never possible here; kept for parity).
    pub enable_dns: bool,
    /// Limits of each template execution. Helm's own `include` recursion
    /// limit (1000 nested includes of one name) needs a stack of several
    /// MiB: callers that run the render on a large stack raise
    /// [`ExecOptions::max_stack_bytes`] to match.
    pub exec: ExecOptions,
}

/// A render failure with Helm's text and, where known, its location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderError {
    /// Helm's message (what `helm template` prints after `Error: `).
    pub message: String,
    /// The template file the error points at, if any.
    pub file: Option<String>,
    pub line: usize,
    pub column: usize,
    /// The underlying template error.
    pub cause: Option<Box<Error>>,
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RenderError {}

/// One template to render with its top-level object (Helm's `renderable`).
#[derive(Clone, Debug)]
pub struct Renderable {
    /// The template text.
    pub text: SharedText,
    /// The top-level object (`.`) the template runs with; `Template` is set
    /// in it before the template runs.
    pub vals: Map,
    /// `.Template.BasePath`.
    pub base_path: String,
}

/// What the engine rendered: the output of every non-partial template,
/// keyed by its path (`chart/templates/x.yaml`,
/// `chart/charts/sub/templates/y.yaml`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rendered {
    /// Each output as text (a byte that is not UTF-8 reads as U+FFFD).
    pub texts: BTreeMap<String, String>,
    /// The bytes of each output that is not UTF-8, which Go keeps as they
    /// are: a string that is not (a binary file's contents) was printed
    /// into it. Helm's YAML reader refuses them when it sorts the manifests.
    pub not_utf8: BTreeMap<String, Vec<u8>>,
}

impl From<BTreeMap<String, String>> for Rendered {
    fn from(texts: BTreeMap<String, String>) -> Self {
        Rendered {
            texts,
            not_utf8: BTreeMap::new(),
        }
    }
}

/// Helm's `Engine.Render`: every non-partial template rendered.
/// `top` holds `Values`, `Release` and `Capabilities` as `ToRenderValues` builds them.
pub fn render(
    chart: &Chart,
    top: &Map,
    options: EngineOptions,
    host: Option<Rc<dyn Host>>,
) -> Result<Rendered, RenderError> {
    render_with(chart, top, options, host, || {})
}

/// [`render`], running `after_parse` once every template has parsed and
/// before any executes (unless a template failed to parse): where a caller
/// starts work of its own on another core that should not compete with the
/// parse, which uses both.
pub fn render_with(
    chart: &Chart,
    top: &Map,
    options: EngineOptions,
    host: Option<Rc<dyn Host>>,
    after_parse: impl FnOnce(),
) -> Result<Rendered, RenderError> {
    let mut templates = BTreeMap::new();
    collect_templates(chart, top, &mut templates);
    let rendered = render_templates_with(&templates, options, host, after_parse);
    crate::teardown::discard(templates);
    rendered
}

/// Helm's internal `Engine.render`: parses every template (deepest path
/// first) into one set and executes the non-partial ones.
pub fn render_templates(
    templates: &BTreeMap<String, Renderable>,
    options: EngineOptions,
    host: Option<Rc<dyn Host>>,
) -> Result<Rendered, RenderError> {
    render_templates_with(templates, options, host, || {})
}

/// [`render_templates`], running `after_parse` between the parse and the
/// execution, as [`render_with`] does.
fn render_templates_with(
    templates: &BTreeMap<String, Renderable>,
    options: EngineOptions,
    host: Option<Rc<dyn Host>>,
    after_parse: impl FnOnce(),
) -> Result<Rendered, RenderError> {
    let order = sort_templates(templates.keys());

    let mut set = template_set(options);
    if let Some(host) = host {
        set.set_host(host);
    }
    let parsed = parse_all::parse_all(&set.parse_context(), &order, templates);
    for (name, trees) in order.iter().zip(parsed) {
        match trees {
            Ok(trees) => {
                set.add_parsed(name, trees.iter().cloned());
            }
            Err(e) => return Err(cleanup_parse_error(name, e.into())),
        }
    }
    after_parse();

    let mut rendered = Rendered::default();
    for name in &order {
        let base = name.rsplit('/').next().unwrap_or(name);
        if base.starts_with('_') {
            continue;
        }
        let r = &templates[name];
        let template_info: Map = [
            ("Name".to_string(), Value::from(name.as_str())),
            ("BasePath".to_string(), Value::from(r.base_path.as_str())),
        ]
        .into_iter()
        .collect();
        r.vals
            .insert("Template", values::chartutil_values(template_info));
        // Helm's renderable holds the data as `chartutil.Values`.
        match set.execute_go(name, &values::chartutil_values(r.vals.clone())) {
            Ok((text, bytes)) => {
                rendered.texts.insert(name.clone(), strip_no_value(text));
                if let Some(bytes) = bytes {
                    let kept = without_no_value(&bytes).unwrap_or(bytes);
                    rendered.not_utf8.insert(name.clone(), kept);
                }
            }
            Err(e) => return Err(cleanup_exec_error(name, e)),
        }
    }
    crate::teardown::discard(set);
    Ok(rendered)
}

/// The template set Helm renders with: Sprig, Helm's functions, and the
/// render-bound `include`, `tpl`, `required`, `fail`, `lookup`.
pub fn template_set(options: EngineOptions) -> Templates {
    let mut set = Templates::named("gotpl");
    set.set_exec_options(options.exec);
    set.set_missing_key(if options.strict {
        MissingKey::Error
    } else {
        MissingKey::Zero
    });
    crate::funcs::register_helm(&mut set);
    set.add_func("include", include_func());
    set.add_func("tpl", tpl_func(options.strict));
    set.add_func("required", required_func(options.lint_mode));
    set.add_func("fail", fail_func(options.lint_mode));
    if !options.enable_dns {
        set.add_func(
            "getHostByName",
            Func::new([ParamType::String], |_, _| Ok(Value::from(""))).infallible(),
        );
    }
    set
}

/// Nesting counts of `include` by template name (Helm's `includedNames`).
#[derive(Default)]
struct IncludeCounts(BTreeMap<String, usize>);

fn include_func() -> Func {
    Func::new([ParamType::String, ParamType::Any], |ctx, args| {
        let name = args[0].as_str().unwrap_or_default().to_string();
        let count = ctx
            .state::<IncludeCounts>()
            .0
            .entry(name.clone())
            .or_insert(0);
        if *count > INCLUDE_RECURSION_LIMIT {
            return Err(FuncError::msg(format!(
                "rendering template has a nested reference name: {name}: unable to execute template"
            )));
        }
        *count += 1;
        let result = ctx.execute_template(&name, &args[1]);
        if let Some(count) = ctx.state::<IncludeCounts>().0.get_mut(&name) {
            *count = count.saturating_sub(1);
        }
        result.map_err(FuncError::from)
    })
}

fn tpl_func(strict: bool) -> Func {
    Func::new([ParamType::String, ParamType::Any], move |ctx, args| {
        let text = args[0].as_str().unwrap_or_default();
        let mut set = ctx.templates().clone();
        set.set_missing_key(if strict {
            MissingKey::Error
        } else {
            MissingKey::Zero
        });
        let name = set.name().to_string();
        // The quoted text only appears in errors: quote it there, not on
        // every call (tpl texts can be whole values files).
        let quoted = || crate::template::strconv::quote(text);
        if let Err(e) = set.parse(&name, text) {
            return Err(FuncError::msg(format!(
                "cannot parse template {}: {e}",
                quoted()
            )));
        }
        match ctx.execute_in(&set, &name, &args[1]) {
            Ok(out) => Ok(strip_no_value_bytes(out)),
            Err(e) => Err(FuncError::msg(format!(
                "error during tpl function execution for {}: {e}",
                quoted()
            ))),
        }
    })
}

const NO_VALUE: &str = "<no value>";

/// Helm's `strings.ReplaceAll(out, "<no value>", "")`, without copying
/// text that holds none (the usual case).
fn strip_no_value(out: String) -> String {
    match without_no_value(out.as_bytes()) {
        // Taking ASCII out of UTF-8 leaves UTF-8.
        Some(kept) => String::from_utf8(kept).unwrap_or_else(|e| go_text(e.as_bytes())),
        None => out,
    }
}

/// [`strip_no_value`] on a Go string's bytes (`tpl`'s output may hold a
/// string that is not UTF-8).
fn strip_no_value_bytes(out: Value) -> Value {
    match without_no_value(out.as_go_bytes().unwrap_or_default()) {
        Some(kept) => Value::go_string_from_vec(kept),
        None => out,
    }
}

/// `bytes` without each `<no value>`; `None` when there is none.
fn without_no_value(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut found = memchr::memmem::find_iter(bytes, NO_VALUE.as_bytes()).peekable();
    found.peek()?;
    let mut kept = Vec::with_capacity(bytes.len());
    let mut from = 0;
    for at in found {
        kept.extend_from_slice(&bytes[from..at]);
        from = at + NO_VALUE.len();
    }
    kept.extend_from_slice(&bytes[from..]);
    Some(kept)
}

fn warn_wrap(message: &str) -> String {
    format!("{WARN_START}{message}{WARN_END}")
}

fn required_func(lint_mode: bool) -> Func {
    Func::new([ParamType::String, ParamType::Any], move |_ctx, args| {
        let missing = match &args[1] {
            Value::Nil => true,
            Value::String(s) => s.is_empty(),
            _ => false,
        };
        if missing {
            if lint_mode {
                return Ok(Value::from(""));
            }
            return Err(FuncError::msg(warn_wrap(
                args[0].as_str().unwrap_or_default(),
            )));
        }
        Ok(args[1].clone())
    })
}

fn fail_func(lint_mode: bool) -> Func {
    Func::new([ParamType::String], move |_ctx, args| {
        if lint_mode {
            return Ok(Value::from(""));
        }
        Err(FuncError::msg(warn_wrap(
            args[0].as_str().unwrap_or_default(),
        )))
    })
}

/// Helm's `recAllTpls`: each chart's templates with the chart's top-level
/// object; returns that object (for the parent's `.Subcharts`).
fn collect_templates(chart: &Chart, parent: &Map, out: &mut BTreeMap<String, Renderable>) -> Map {
    let subcharts = Map::new();
    let next = Map::new();
    next.insert(
        "Chart",
        objects::chart_object(&chart.metadata, chart.is_root()),
    );
    next.insert(
        "Files",
        Value::object(objects::Files::new(
            chart.files.iter().map(|f| (f.name.clone(), f.data.clone())),
        )),
    );
    next.insert("Release", parent.get("Release").unwrap_or_default());
    next.insert(
        "Capabilities",
        parent.get("Capabilities").unwrap_or_default(),
    );
    next.insert("Values", Value::Map(Map::new()));
    next.insert("Subcharts", Value::Map(subcharts.clone()));
    if chart.is_root() {
        next.insert("Values", parent.get("Values").unwrap_or_default());
    } else if let Ok(own) = values::table(parent, &format!("Values.{}", chart.name())) {
        next.insert("Values", Value::Map(own));
    } else {
        next.insert("Values", values::chartutil_values(Map::new()));
    }
    for child in &chart.dependencies {
        let child_top = collect_templates(child, &next, out);
        subcharts.insert(child.name(), Value::Map(child_top));
    }
    let parent_id = chart.chart_full_path();
    let is_library = chart.metadata.chart_type.eq_ignore_ascii_case("library");
    for t in &chart.templates {
        let base = t.name.rsplit('/').next().unwrap_or(&t.name);
        if is_library && !base.starts_with('_') {
            continue;
        }
        out.insert(
            join_path(&parent_id, &t.name),
            Renderable {
                text: objects::shared_text_of(&t.data),
                vals: next.clone(),
                base_path: join_path(&parent_id, "templates"),
            },
        );
    }
    next
}

/// Go's `path.Join` for two relative parts.
fn join_path(a: &str, b: &str) -> String {
    let joined = format!("{a}/{b}");
    crate::chart::clean_path(&joined)
}

/// Helm's `sortTemplates`: deepest paths first, then reverse lexical order.
pub fn sort_templates<'a>(names: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    let mut keys: Vec<String> = names.into_iter().cloned().collect();
    keys.sort_by(|a, b| {
        let (ca, cb) = (a.matches('/').count(), b.matches('/').count());
        cb.cmp(&ca).then_with(|| b.cmp(a))
    });
    keys
}

/// Helm's `cleanupParseError`.
fn cleanup_parse_error(filename: &str, e: Error) -> RenderError {
    let text = e.message.clone();
    let tokens: Vec<&str> = text.split(": ").collect();
    let message = if tokens.len() == 1 {
        format!("parse error in ({filename}): {text}")
    } else {
        format!(
            "parse error at ({}): {}",
            tokens[1],
            tokens[tokens.len() - 1]
        )
    };
    RenderError {
        message,
        file: Some(if e.template.is_empty() {
            filename.to_string()
        } else {
            e.template.clone()
        }),
        line: e.line,
        column: e.column,
        cause: Some(Box::new(e)),
    }
}

/// Helm's `cleanupExecError`: `required`/`fail` messages are unwrapped.
fn cleanup_exec_error(filename: &str, e: Error) -> RenderError {
    let located = |message: String, e: Error| RenderError {
        message,
        file: Some(if e.template.is_empty() {
            filename.to_string()
        } else {
            e.template.clone()
        }),
        line: e.line,
        column: e.column,
        cause: Some(Box::new(e)),
    };
    if e.kind != ErrorKind::Exec {
        return located(e.message.clone(), e);
    }
    let text = e.message.clone();
    let tokens: Vec<&str> = text.splitn(3, ": ").collect();
    if tokens.len() != 3 {
        return located(format!("execution error in ({filename}): {text}"), e);
    }
    if let (Some(start), Some(end)) = (tokens[2].find(WARN_START), tokens[2].rfind(WARN_END)) {
        let inner_start = start + WARN_START.len();
        if inner_start <= end {
            let message = format!(
                "execution error at ({}): {}",
                tokens[1],
                &tokens[2][inner_start..end]
            );
            return located(message, e);
        }
    }
    located(text, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_value_markers_are_removed() {
        assert_eq!(strip_no_value("a<no value>b<no value>".into()), "ab");
        assert_eq!(strip_no_value("a <b> <no valu".into()), "a <b> <no valu");
        assert_eq!(strip_no_value("<<no value>>".into()), "<>");
        assert_eq!(strip_no_value(String::new()), "");
    }

    /// `include` and `tpl` give the Go string of the bytes their template
    /// wrote, so a string that is not UTF-8 printed there keeps its bytes
    /// (as helm v3.10.1 did for a chart printing a binary file through
    /// `include`, `template`, `print` and `tpl`).
    #[test]
    fn include_and_tpl_keep_the_bytes_of_strings_they_print() {
        let mut set = template_set(EngineOptions::default());
        set.parse(
            "h",
            r#"{{ define "bin" }}{{ .bin }}{{ end }}{{ define "two" }}pre-{{ template "bin" . }}-{{ .bin }}{{ end }}"#,
        )
        .expect("parses");
        let data = Map::new();
        data.insert("bin", Value::go_string(&b"a\xff\xc3b<no value>"[..]));
        let data = Value::Map(data);
        let render = |text: &str| {
            let mut set = set.clone();
            set.parse("t", text).expect("parses");
            set.execute("t", &data).map_err(|e| e.to_string())
        };
        let cases = [
            (r#"{{ include "bin" . | b64enc }}"#, "Yf/DYjxubyB2YWx1ZT4="),
            (r#"{{ include "two" . | len }}"#, "33"),
            (r#"{{ tpl "{{ .bin }}<no value>" . | b64enc }}"#, "Yf/DYg=="),
            (r#"{{ tpl "{{ .bin | len }}" . }}"#, "14"),
        ];
        for (text, want) in cases {
            assert_eq!(render(text).as_deref(), Ok(want), "{text}");
        }
    }

    /// A template that prints a string that is not UTF-8 has its text, and
    /// the bytes Go's output holds (`<no value>` taken out of both).
    #[test]
    fn outputs_that_are_not_utf8_keep_their_bytes() {
        let vals = Map::new();
        vals.insert("bin", Value::go_string(&b"a\xffb"[..]));
        let renderable = |text: &str| Renderable {
            text: text.to_string().into(),
            vals: vals.clone(),
            base_path: "c/templates".to_string(),
        };
        let templates = BTreeMap::from([
            (
                "c/templates/bin.yaml".to_string(),
                renderable("x: {{ .bin }}<no value>\n"),
            ),
            (
                "c/templates/enc.yaml".to_string(),
                renderable("x: {{ .bin | b64enc }}\n"),
            ),
        ]);
        let rendered =
            render_templates(&templates, EngineOptions::default(), None).expect("renders");
        assert_eq!(rendered.texts["c/templates/bin.yaml"], "x: a\u{fffd}b\n");
        assert_eq!(rendered.texts["c/templates/enc.yaml"], "x: Yf9i\n");
        assert_eq!(
            rendered.not_utf8,
            BTreeMap::from([("c/templates/bin.yaml".to_string(), b"x: a\xffb\n".to_vec())])
        );
    }

    #[test]
    fn templates_sort_deepest_first() {
        let names: Vec<String> = [
            "a/templates/x",
            "a/charts/b/templates/y",
            "a/templates/_h",
            "a/templates/z",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            sort_templates(&names),
            [
                "a/charts/b/templates/y",
                "a/templates/z",
                "a/templates/x",
                "a/templates/_h"
            ]
        );
    }

    #[test]
    fn paths_join_like_go() {
        assert_eq!(
            join_path("mychart", "templates/x.yaml"),
            "mychart/templates/x.yaml"
        );
    }
}
