//! The public entry points shared by the command line and the WebAssembly
//! package: `helm template` as a function over a chart and options.
//!
//! [`render_chart`] follows `helm template`'s path through Helm v3.21.4
//! (`cmd/helm/install.go` `runInstall`, `pkg/action/install.go` client-only
//! `RunWithContext`, `renderResources`): merge the user's values, check the
//! chart is installable and its dependencies present, validate the release
//! name, process dependencies (conditions, tags, aliases, imports), coalesce
//! the values with the chart's defaults, check them against the schemas,
//! check `kubeVersion`, render, and assemble the output.

pub mod capabilities;
pub mod error;
mod flush_lines;
pub mod json;
pub mod request;
pub mod show;

use std::rc::Rc;

use crate::action::{self, OutputOptions, TemplateError, TemplateOutput};
use crate::chart::{dependencies, Chart};
use crate::engine::{self, EngineOptions};
use crate::template::{ExecOptions, Host};
use crate::value::{Map, Value};
use crate::values::coalesce;
use crate::values::options::ValueOptions;
use crate::values::schema::PendingValidation;

pub use capabilities::{parse_kube_version, Capabilities, DEFAULT_KUBE_VERSION};
pub use error::{ErrorDetails, ErrorKind};

/// A failed [`render_chart`]: what `helm template` prints ([`TemplateError`])
/// and the error as data.
#[derive(Clone, Debug)]
pub struct RenderFailure {
    pub error: TemplateError,
    pub details: Box<ErrorDetails>,
}

impl RenderFailure {
    fn new(error: TemplateError, stage: ErrorKind, root: &str) -> RenderFailure {
        let details = Box::new(ErrorDetails::new(stage, &error.message, root));
        RenderFailure { error, details }
    }

    fn plain(message: String, stage: ErrorKind, root: &str) -> RenderFailure {
        let error = TemplateError {
            message,
            ..TemplateError::default()
        };
        RenderFailure::new(error, stage, root)
    }
}

/// Everything `helm template` takes besides the chart.
#[derive(Clone, Debug)]
pub struct RenderOptions {
    /// The release name (`NAME`; `helm template` defaults it to `release-name`).
    pub release_name: String,
    /// `--namespace` (`default` unless given).
    pub namespace: String,
    /// `--is-upgrade`: `.Release.IsUpgrade` instead of `IsInstall`.
    pub is_upgrade: bool,
    /// `.Release.Revision`: 1 for `helm template` and installs, the new
    /// revision for upgrades.
    pub revision: i64,
    /// The user's values: files and `--set*` flags.
    pub values: ValueOptions,
    /// `--kube-version` (Helm's default for `helm template`: v1.36.0).
    pub kube_version: Option<String>,
    /// `--api-versions`, added to the default set.
    pub api_versions: Vec<String>,
    /// `--skip-schema-validation`.
    pub skip_schema_validation: bool,
    /// `--enable-dns` (no effect: Chartroom never resolves names).
    pub enable_dns: bool,
    /// How the output is assembled (`--show-only`, `--include-crds`, …).
    pub output: OutputOptions,
    /// Limits of each template execution (step budget, stack budget).
    pub exec: ExecOptions,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            release_name: "release-name".into(),
            namespace: "default".into(),
            is_upgrade: false,
            revision: 1,
            values: ValueOptions::default(),
            kube_version: None,
            api_versions: Vec::new(),
            skip_schema_validation: false,
            enable_dns: false,
            output: OutputOptions::default(),
            exec: ExecOptions::default(),
        }
    }
}

impl RenderOptions {
    /// The engine settings a render with these options uses.
    pub fn engine_options(&self) -> EngineOptions {
        EngineOptions {
            enable_dns: self.enable_dns,
            exec: self.exec,
            ..EngineOptions::default()
        }
    }
}

/// Helm's release name rule (`pkg/chartutil/validate_name.go`).
pub fn validate_release_name(name: &str) -> Result<(), String> {
    let invalid = || {
        Err(format!(
            "release name {}: invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53",
            crate::template::strconv::quote(name)
        ))
    };
    if name.is_empty() || name.len() > 53 {
        return invalid();
    }
    for label in name.split('.') {
        let b = label.as_bytes();
        let edge_ok = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
        if b.is_empty()
            || !edge_ok(b[0])
            || !edge_ok(b[b.len() - 1])
            || !b.iter().all(|&c| edge_ok(c) || c == b'-')
        {
            return invalid();
        }
    }
    Ok(())
}

/// Helm's `TemplateName`: the release name from `--name-template`, the
/// template run with Sprig's functions and no data.
pub fn template_name(text: &str) -> Result<String, String> {
    let mut set = crate::template::Templates::named("name-template");
    crate::funcs::register_sprig_all(&mut set);
    set.parse("name-template", text)
        .map_err(|e| e.to_string())?;
    set.execute("name-template", &Value::Nil)
        .map_err(|e| e.to_string())
}

/// `helm template` for a loaded chart. `read_file` reads `--set-file` paths.
/// Errors carry Helm's text and, where the render failed, the partial output
/// `helm template --debug` prints.
pub fn render_chart(
    chart: Chart,
    options: &RenderOptions,
    read_file: &dyn Fn(&str) -> Result<String, String>,
    host: Option<Rc<dyn Host>>,
) -> Result<TemplateOutput, RenderFailure> {
    let vals = options.values.merge(read_file).map_err(|message| {
        RenderFailure::plain(message, ErrorKind::Values, &chart.metadata.name)
    })?;
    render_chart_values(chart, options, vals, None, host)
}

/// [`render_chart`] with the user's values already merged (`options.values`
/// is not read) and, where given, `.Capabilities` (as Helm's install and
/// upgrade take them from the cluster) instead of those built from
/// `options.kube_version` and `options.api_versions`. An upgrade that
/// re-uses a release's values renders with them as Helm holds them,
/// numbers read back from the record being `float64` and new `--set` ones
/// `int64`.
pub fn render_chart_values(
    chart: Chart,
    options: &RenderOptions,
    vals: Map,
    given: Option<&Capabilities>,
    host: Option<Rc<dyn Host>>,
) -> Result<TemplateOutput, RenderFailure> {
    let mut log = Vec::new();
    let rendered = render_logging(chart, options, vals, given, host, &mut log);
    // Helm logs as it goes: the lines of processing dependencies and values
    // come before those of sorting the manifests, and before any error.
    match rendered {
        Ok(mut out) => {
            log.append(&mut out.warnings);
            out.warnings = log;
            Ok(out)
        }
        Err(mut failure) => {
            log.append(&mut failure.error.warnings);
            failure.error.warnings = log;
            Err(failure)
        }
    }
}

/// [`render_chart_values`], adding the lines Helm logs before the render
/// (`crate::helm_log`) to `log`.
fn render_logging(
    mut chart: Chart,
    options: &RenderOptions,
    vals: Map,
    given: Option<&Capabilities>,
    host: Option<Rc<dyn Host>>,
    log: &mut Vec<String>,
) -> Result<TemplateOutput, RenderFailure> {
    let root = chart.metadata.name.clone();
    let fail = |stage: ErrorKind| {
        let root = root.clone();
        move |message: String| RenderFailure::plain(message, stage, &root)
    };

    chart
        .metadata
        .check_installable()
        .map_err(fail(ErrorKind::Chart))?;
    if chart.metadata.has_dependency_list() {
        dependencies::check_dependencies(&chart).map_err(|e| {
            fail(ErrorKind::Chart)(format!("{}: {e}", dependencies::MISSING_DEPENDENCIES_HINT))
        })?;
    }
    validate_release_name(&options.release_name).map_err(fail(ErrorKind::Options))?;
    dependencies::process_dependencies_with_warnings(&mut chart, &vals, true, log)
        .map_err(fail(ErrorKind::Chart))?;

    let caps = match given {
        Some(caps) => caps.clone(),
        None => Capabilities::for_template(options.kube_version.as_deref(), &options.api_versions)
            .map_err(fail(ErrorKind::Options))?,
    };
    let values_failure = |details: Box<ErrorDetails>| RenderFailure {
        error: TemplateError {
            message: details.helm_message.clone(),
            ..TemplateError::default()
        },
        details,
    };
    // The schema checks run after the render (on a copy of the values
    // taken now), so that a schema compiling in the background has the
    // render's time to finish; their errors still come first, as Helm
    // checks before it renders.
    let (top, mut checks) =
        render_values_and_checks(&chart, &vals, options, &caps, log).map_err(values_failure)?;

    let mut output = options.output.clone();
    output.release_name = options.release_name.clone();
    if !chart.metadata.kube_version.is_empty()
        && !capabilities::is_compatible_range(
            &chart.metadata.kube_version,
            &caps.kube_version.version,
        )
    {
        run_schema_checks(checks, log).map_err(values_failure)?;
        let message = format!(
            "chart requires kubeVersion: {} which is incompatible with Kubernetes {}",
            chart.metadata.kube_version, caps.kube_version.version
        );
        let error = action::render_failed(&message, &output);
        return Err(RenderFailure::new(error, ErrorKind::Chart, &root));
    }
    // Schemas compiling in the background (the command line's) are
    // compiled and checked while the templates execute, on the core the
    // parse no longer needs.
    let start_checks = || {
        if let Some(checks) = checks.as_mut() {
            checks.start_in_background();
        }
    };
    let rendered = engine::render_with(&chart, &top, options.engine_options(), host, start_checks);
    // The output is put together before the schema verdict is awaited, so
    // that a schema still compiling in the background has that time too;
    // a schema error still wins over whatever the render gave.
    let assembled = match rendered {
        Ok(rendered) => action::assemble(&chart, rendered, &output)
            .map_err(|error| RenderFailure::new(error, ErrorKind::Options, &root)),
        Err(e) => {
            let error = action::render_failed(&e.message, &output);
            Err(RenderFailure::new(error, ErrorKind::Exec, &root))
        }
    };
    run_schema_checks(checks, log).map_err(values_failure)?;
    crate::teardown::discard((chart, top, vals));
    assembled
}

/// Helm's `ToRenderValuesWithSchemaValidation`: the top-level object of a
/// render (`Values`, `Release`, `Capabilities`).
pub fn to_render_values(
    chart: &Chart,
    vals: &Map,
    options: &RenderOptions,
    caps: &Capabilities,
) -> Result<Map, Box<ErrorDetails>> {
    let mut log = Vec::new();
    let (top, checks) = render_values_and_checks(chart, vals, options, caps, &mut log)?;
    run_schema_checks(checks, &mut log)?;
    Ok(top)
}

/// [`to_render_values`] with the schema checks still to run (against the
/// values as they are now; `None` when validation is skipped), adding the
/// lines Helm logs while it coalesces the values to `log`.
fn render_values_and_checks<'c>(
    chart: &'c Chart,
    vals: &Map,
    options: &RenderOptions,
    caps: &Capabilities,
    log: &mut Vec<String>,
) -> Result<(Map, Option<PendingValidation<'c>>), Box<ErrorDetails>> {
    let release: Map = [
        ("Name", Value::from(options.release_name.as_str())),
        ("Namespace", Value::from(options.namespace.as_str())),
        ("IsUpgrade", Value::Bool(options.is_upgrade)),
        ("IsInstall", Value::Bool(!options.is_upgrade)),
        ("Revision", Value::int(options.revision)),
        ("Service", Value::from("Helm")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let coalesced = coalesce::coalesce_values(chart, vals)
        .map_err(|e| ErrorDetails::new(ErrorKind::Values, &e, chart.name()))?;
    log.extend(coalesced.warnings.iter().map(ToString::to_string));
    let checks = (!options.skip_schema_validation)
        .then(|| crate::values::schema::prepare_validation(chart, &coalesced.values));
    let top = Map::new();
    // Helm puts the chart's metadata here too; the engine replaces it per chart.
    top.insert(
        "Chart",
        crate::engine::objects::chart_object(&chart.metadata, chart.is_root()),
    );
    top.insert("Capabilities", caps.to_value());
    top.insert("Release", Value::Map(release));
    top.insert(
        "Values",
        crate::engine::values::chartutil_values(coalesced.values),
    );
    Ok((top, checks))
}

/// Runs the schema checks [`render_values_and_checks`] left, with Helm's
/// error, adding the lines Helm logs while it compiles the schemas to `log`.
fn run_schema_checks(
    checks: Option<PendingValidation<'_>>,
    log: &mut Vec<String>,
) -> Result<(), Box<ErrorDetails>> {
    if let Some(checks) = checks {
        checks
            .run(log)
            .map_err(|e| ErrorDetails::schema(e.text(), e.violations().to_vec()))?;
    }
    Ok(())
}

/// Renders one template string against the user's values with Helm's whole
/// function set (`include`, `tpl`, `required` included), as a chart's only
/// template would be rendered: `.Values`, `.Release`, `.Capabilities` and an
/// empty `.Chart` are there. Returns the output with `<no value>` removed.
pub fn render_template(
    text: &str,
    values: &ValueOptions,
    read_file: &dyn Fn(&str) -> Result<String, String>,
    exec: ExecOptions,
    host: Option<Rc<dyn Host>>,
) -> Result<String, Box<ErrorDetails>> {
    const NAME: &str = "chartroom";
    let vals = values
        .merge(read_file)
        .map_err(|e| ErrorDetails::new(ErrorKind::Values, &e, NAME))?;
    let chart = Chart {
        metadata: crate::chart::Metadata {
            name: NAME.into(),
            version: "0.0.0".into(),
            api_version: "v2".into(),
            ..Default::default()
        },
        templates: vec![crate::chart::File {
            name: TEMPLATE_FILE.into(),
            data: text.as_bytes().to_vec().into(),
        }],
        ..Chart::default()
    };
    let options = RenderOptions {
        exec,
        ..RenderOptions::default()
    };
    let caps = Capabilities::for_template(None, &[])
        .map_err(|e| ErrorDetails::new(ErrorKind::Internal, &e, NAME))?;
    let top = to_render_values(&chart, &vals, &options, &caps)?;
    let engine_options = EngineOptions {
        exec,
        ..EngineOptions::default()
    };
    let mut rendered = engine::render(&chart, &top, engine_options, host).map_err(|e| {
        let mut details = ErrorDetails::new(ErrorKind::Exec, &e.message, NAME);
        // The position is in the template text itself, not in a file.
        if details.file.as_deref() == Some(TEMPLATE_FILE) {
            details.file = None;
        }
        details
    })?;
    Ok(rendered
        .texts
        .remove(&format!("{NAME}/{TEMPLATE_FILE}"))
        .unwrap_or_default())
}

/// The file name [`render_template`] gives its text.
const TEMPLATE_FILE: &str = "templates/tpl";

#[cfg(test)]
mod tests;
