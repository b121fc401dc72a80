//! The package's calls as JSON in, JSON out: the whole of what the
//! WebAssembly boundary does, kept here so that it is the same code natively
//! (and tested natively).
//!
//! Each call takes the chart ([`ChartSource`]) and the options as JSON text
//! (the option names of the JavaScript API, `camelCase`, mirroring
//! `helm template`'s flags) and returns one JSON text: `{"ok": result}` or
//! `{"error": details}` with the fields of [`ErrorDetails::to_value`].

use std::rc::Rc;

use super::{ErrorDetails, ErrorKind, RenderOptions};
use crate::action::TemplateOutput;
use crate::chart::{load, Chart, File};
use crate::template::{ExecOptions, Host};
use crate::value::{Map, Value};
use crate::values::options::{ValueOptions, ValuesFile};

/// A chart as a caller hands it over.
#[derive(Clone, Debug)]
pub enum ChartSource {
    /// Files by path relative to the chart's root, as in a chart directory
    /// (subchart directories and `.tgz` archives under `charts/`).
    Files(Vec<File>),
    /// A packaged chart (`.tgz`).
    Archive(Vec<u8>),
}

/// Loads the chart as Helm loads a directory or an archive.
pub fn load_chart(source: ChartSource) -> Result<Chart, Box<ErrorDetails>> {
    let loaded = match source {
        ChartSource::Files(files) => load::load_file_tree(files),
        ChartSource::Archive(bytes) => load::load_archive(&bytes),
    };
    loaded.map_err(|e| Box::new(ErrorDetails::new(ErrorKind::Chart, &e, "")))
}

/// What `renderChart` answers: the JSON text, and apart from it the
/// rendered stream on success.
#[derive(Clone, Debug)]
pub struct RenderAnswer {
    /// `{"ok": result}` without the result's `output` (see
    /// [`super::json::template_output_wire`]), or `{"error": details}`.
    pub json: String,
    /// The result's `output`, the exact `helm template` stream; `None` for
    /// an error.
    pub output: Option<String>,
}

/// `renderChart`. The stream travels apart from the JSON text, and each
/// manifest locates its text in it, so that a large output (CRDs) is
/// neither escaped into JSON nor parsed back, and crosses once.
pub fn render_chart(
    source: ChartSource,
    options: &str,
    host: Option<Rc<dyn Host>>,
) -> RenderAnswer {
    let mut output = None;
    let json = respond(|| {
        let request = Request::parse(options, RENDER_KEYS)?;
        let chart = load_chart(source)?;
        let options = request.render_options()?;
        let (result, stream) = wire_result(render_loaded(chart, &options, &request, host)?);
        output = Some(stream);
        Ok(result)
    });
    RenderAnswer { json, output }
}

/// [`super::render_chart`] with `--set-file` paths read from the request's
/// `files`; a failure becomes its error details, carrying the partial
/// output `helm template --debug` prints.
///
/// This and [`wire_result`] are
/// [out of line](crate#functions-kept-out-of-line) so that `renderChart`
/// is not one function holding the whole render and the building of its
/// answer.
#[inline(never)]
fn render_loaded(
    chart: Chart,
    options: &RenderOptions,
    request: &Request,
    host: Option<Rc<dyn Host>>,
) -> Result<TemplateOutput, Box<ErrorDetails>> {
    super::render_chart(chart, options, &|p| request.read_file(p), host).map_err(|failure| {
        let mut details = failure.details;
        details.output = failure.error.stdout;
        details
    })
}

/// A successful render as `renderChart` answers it: the `ok` result
/// ([`super::json::template_output_wire`]) and, apart from it, the stream.
#[inline(never)]
fn wire_result(out: TemplateOutput) -> (Value, String) {
    let result = super::json::template_output_wire(&out);
    (result, out.into_stream())
}

/// `renderTemplate`: the rendered text.
pub fn render_template(text: &str, options: &str, host: Option<Rc<dyn Host>>) -> String {
    respond(|| {
        let request = Request::parse(options, TEMPLATE_KEYS)?;
        let values = request.value_options()?;
        let exec = request.exec()?;
        let out = super::render_template(text, &values, &|p| request.read_file(p), exec, host)?;
        Ok(Value::from(out))
    })
}

/// `validateValues`: `{valid, violations, helmMessage}`. Errors other than
/// a schema's rejection (a chart or values that cannot be read) are errors.
pub fn validate_values(source: ChartSource, options: &str) -> String {
    respond(|| {
        let request = Request::parse(options, &[VALUES_KEYS])?;
        let chart = load_chart(source)?;
        let mut options = request.render_options()?;
        options.skip_schema_validation = false;
        let result = map([
            ("valid", Value::Bool(true)),
            ("violations", Value::list(Vec::new())),
            ("helmMessage", Value::from("")),
        ]);
        match computed_values(chart, &options, &request) {
            Ok(_) => Ok(Value::Map(result)),
            Err(details) if details.kind == ErrorKind::Schema => {
                result.insert("valid", Value::Bool(false));
                result.insert(
                    "violations",
                    super::error::violations_value(&details.violations),
                );
                result.insert("helmMessage", Value::from(details.helm_message.as_str()));
                Ok(Value::Map(result))
            }
            Err(details) => Err(details),
        }
    })
}

/// `showValues`: the chart's `values.yaml` as `helm show values` prints it.
pub fn show_values(source: ChartSource) -> String {
    respond(|| {
        let chart = load_chart(source)?;
        super::show::render("values", &chart)
            .map(Value::from)
            .map_err(|e| Box::new(ErrorDetails::new(ErrorKind::Chart, &e, "")))
    })
}

/// `computeValues`: the values templates see, as YAML.
pub fn compute_values(source: ChartSource, options: &str) -> String {
    respond(|| {
        let request = Request::parse(options, &[VALUES_KEYS])?;
        let chart = load_chart(source)?;
        let mut options = request.render_options()?;
        options.skip_schema_validation = true;
        let values = computed_values(chart, &options, &request)?;
        crate::yaml::to_yaml(&values)
            .map(Value::from)
            .map_err(|e| Box::new(ErrorDetails::new(ErrorKind::Internal, &e.to_string(), "")))
    })
}

/// The chart's values after Helm's dependency processing and coalescing,
/// schema-checked unless `options` says not to.
fn computed_values(
    mut chart: Chart,
    options: &RenderOptions,
    request: &Request,
) -> Result<Value, Box<ErrorDetails>> {
    let root = chart.metadata.name.clone();
    let vals = options
        .values
        .merge(&|p| request.read_file(p))
        .map_err(|e| Box::new(ErrorDetails::new(ErrorKind::Values, &e, &root)))?;
    crate::chart::dependencies::process_dependencies(&mut chart, &vals, true)
        .map_err(|e| Box::new(ErrorDetails::new(ErrorKind::Chart, &e, &root)))?;
    let caps = super::Capabilities::for_template(None, &[])
        .map_err(|e| Box::new(ErrorDetails::new(ErrorKind::Internal, &e, &root)))?;
    let top = super::to_render_values(&chart, &vals, options, &caps)?;
    Ok(top.get("Values").unwrap_or_default())
}

/// `{"ok": value}` or `{"error": details}` as JSON text.
fn respond(run: impl FnOnce() -> Result<Value, Box<ErrorDetails>>) -> String {
    let envelope = match run() {
        Ok(value) => map([("ok", value)]),
        Err(details) => map([("error", details.to_value())]),
    };
    crate::yaml::to_json_raw(&Value::Map(envelope)).unwrap_or_else(|e| {
        // Only NaN or infinite floats fail to encode, and results hold none.
        format!(
            "{{\"error\":{{\"kind\":\"internal\",\"message\":{0},\"helmMessage\":{0}}}}}",
            crate::template::strconv::quote(&e.to_string())
        )
    })
}

fn map<const N: usize>(entries: [(&str, Value); N]) -> Map {
    let map = Map::new();
    for (key, value) in entries {
        map.insert(key, value);
    }
    map
}

/// Option names of the value flags.
const VALUES_KEYS: &[&str] = &[
    "values",
    "set",
    "setString",
    "setJson",
    "setFile",
    "setLiteral",
    "files",
];

/// Option names of the budgets.
const BUDGET_KEYS: &[&str] = &["maxSteps", "maxOutputBytes"];

/// Option names of `renderTemplate`.
const TEMPLATE_KEYS: &[&[&str]] = &[VALUES_KEYS, BUDGET_KEYS];

/// Option names of `renderChart`.
const RENDER_KEYS: &[&[&str]] = &[
    VALUES_KEYS,
    BUDGET_KEYS,
    &[
        "releaseName",
        "nameTemplate",
        "namespace",
        "isUpgrade",
        "kubeVersion",
        "apiVersions",
        "includeCrds",
        "skipCrds",
        "noHooks",
        "skipTests",
        "showOnly",
        "renderSubchartNotes",
        "skipSchemaValidation",
        "debug",
    ],
];

/// The options of one call, checked against the names it takes.
struct Request {
    options: Map,
}

impl Request {
    fn parse(text: &str, known: &[&[&str]]) -> Result<Request, Box<ErrorDetails>> {
        let options = if text.trim().is_empty() {
            Map::new()
        } else {
            match crate::yaml::from_json(text) {
                Ok(Value::Map(m)) => m,
                Ok(Value::Nil) => Map::new(),
                Ok(_) => return Err(options_error("options must be an object".into())),
                Err(e) => return Err(options_error(format!("options are not JSON: {e}"))),
            }
        };
        for key in options.keys() {
            if !known.iter().any(|names| names.contains(&key.as_str())) {
                return Err(options_error(format!("unknown option {key:?}")));
            }
        }
        Ok(Request { options })
    }

    fn get(&self, key: &str) -> Option<Value> {
        self.options.get(key).filter(|v| !matches!(v, Value::Nil))
    }

    fn string(&self, key: &str) -> Result<Option<String>, Box<ErrorDetails>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.to_string())),
            Some(_) => Err(options_error(format!("option {key:?} must be a string"))),
        }
    }

    fn flag(&self, key: &str) -> Result<bool, Box<ErrorDetails>> {
        match self.get(key) {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(b),
            Some(_) => Err(options_error(format!("option {key:?} must be a boolean"))),
        }
    }

    fn strings(&self, key: &str) -> Result<Vec<String>, Box<ErrorDetails>> {
        let Some(value) = self.get(key) else {
            return Ok(Vec::new());
        };
        let not_strings = || options_error(format!("option {key:?} must be an array of strings"));
        let list = value.as_list().ok_or_else(not_strings)?;
        list.iter()
            .map(|v| v.as_str().map(str::to_string).ok_or_else(not_strings))
            .collect()
    }

    fn count(&self, key: &str) -> Result<Option<u64>, Box<ErrorDetails>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Float(f))
                if f >= 0.0 && f.fract() == 0.0 && f <= 9.007_199_254_740_992e15 =>
            {
                Ok(Some(f as u64))
            }
            Some(_) => Err(options_error(format!(
                "option {key:?} must be a whole number of at least 0"
            ))),
        }
    }

    /// `values`: strings (named `values[0]`, …) or `{name, text}` objects.
    fn values_files(&self) -> Result<Vec<ValuesFile>, Box<ErrorDetails>> {
        let Some(value) = self.get("values") else {
            return Ok(Vec::new());
        };
        let invalid = || {
            options_error(
                "option \"values\" must be an array of strings or {name, text} objects".into(),
            )
        };
        let list = value.as_list().ok_or_else(invalid)?;
        list.iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::String(text) => Ok(ValuesFile {
                    name: format!("values[{i}]"),
                    text: text.to_string(),
                }),
                Value::Map(m) => match (m.get("name"), m.get("text")) {
                    (Some(Value::String(name)), Some(Value::String(text))) => Ok(ValuesFile {
                        name: name.to_string(),
                        text: text.to_string(),
                    }),
                    _ => Err(invalid()),
                },
                _ => Err(invalid()),
            })
            .collect()
    }

    fn value_options(&self) -> Result<ValueOptions, Box<ErrorDetails>> {
        if let Some(files) = self.get("files") {
            let ok = files
                .as_map()
                .is_some_and(|m| m.entries().iter().all(|(_, v)| v.as_str().is_some()));
            if !ok {
                return Err(options_error(
                    "option \"files\" must map paths to strings".into(),
                ));
            }
        }
        Ok(ValueOptions {
            files: self.values_files()?,
            json: self.strings("setJson")?,
            set: self.strings("set")?,
            set_string: self.strings("setString")?,
            set_file: self.strings("setFile")?,
            set_literal: self.strings("setLiteral")?,
        })
    }

    /// A `--set-file` path, from the `files` option.
    fn read_file(&self, path: &str) -> Result<String, String> {
        self.get("files")
            .and_then(|files| files.as_map().and_then(|m| m.get(path)))
            .and_then(|v| v.as_str().map(str::to_string))
            .ok_or_else(|| format!("open {path}: no such file or directory"))
    }

    fn exec(&self) -> Result<ExecOptions, Box<ErrorDetails>> {
        Ok(ExecOptions {
            max_steps: self.count("maxSteps")?,
            max_output_bytes: self.count("maxOutputBytes")?.map(|n| n as usize),
            ..ExecOptions::default()
        })
    }

    fn render_options(&self) -> Result<RenderOptions, Box<ErrorDetails>> {
        let mut options = RenderOptions {
            values: self.value_options()?,
            is_upgrade: self.flag("isUpgrade")?,
            kube_version: self.string("kubeVersion")?,
            api_versions: self.strings("apiVersions")?,
            skip_schema_validation: self.flag("skipSchemaValidation")?,
            exec: self.exec()?,
            ..RenderOptions::default()
        };
        match (self.string("releaseName")?, self.string("nameTemplate")?) {
            (Some(_), Some(_)) => {
                return Err(options_error(
                    "cannot set --name-template and also specify a name".into(),
                ))
            }
            (Some(name), None) => options.release_name = name,
            (None, Some(template)) => {
                options.release_name = super::template_name(&template).map_err(options_error)?;
            }
            (None, None) => {}
        }
        if let Some(namespace) = self.string("namespace")? {
            options.namespace = namespace;
        }
        let output = &mut options.output;
        output.include_crds = self.flag("includeCrds")?;
        output.skip_crds = self.flag("skipCrds")?;
        output.no_hooks = self.flag("noHooks")?;
        output.skip_tests = self.flag("skipTests")?;
        output.show_only = self.strings("showOnly")?;
        output.render_subchart_notes = self.flag("renderSubchartNotes")?;
        output.debug = self.flag("debug")?;
        Ok(options)
    }
}

fn options_error(message: String) -> Box<ErrorDetails> {
    Box::new(ErrorDetails::new(ErrorKind::Options, &message, ""))
}

#[cfg(test)]
mod tests;
