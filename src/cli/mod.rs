//! The `chartroom` command line (feature `cli`, native only): `template`
//! with `helm template`'s flags, exit codes and `Error: …` messages, plus
//! `show`, `tpl` and `version`. [`run`] returns what would be printed, so
//! tests drive it without a process.

pub mod alloc;
mod args;
#[cfg(feature = "kube")]
mod cluster;
pub mod heap;
mod show;

use std::path::Path;
use std::rc::Rc;

use crate::action::{write_output_dir, FileWrite};
use crate::api::{self, RenderOptions};
use crate::chart::load;
use crate::template::{DefaultHost, ExecOptions, Host};
use crate::values::options::{ValueOptions, ValuesFile};

pub use args::{parse_args, Command, TemplateArgs, TplArgs};

/// What a run printed and how it exited.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl Outcome {
    /// Prints the outcome (stdout, then stderr) and exits the process with
    /// its code.
    pub fn print_and_exit(self) -> ! {
        use std::io::Write;
        let _ = std::io::stdout().write_all(self.stdout.as_bytes());
        let _ = std::io::stderr().write_all(self.stderr.as_bytes());
        std::process::exit(self.code)
    }

    fn error(message: impl std::fmt::Display) -> Outcome {
        Outcome {
            stdout: String::new(),
            stderr: format!("Error: {message}\n"),
            code: 1,
        }
    }
}

/// The stack the render runs on: Go's template depth limit (100000 nested
/// calls) and Helm's include recursion limit need far more than a default
/// thread's. The memory is reserved, not committed.
const RENDER_STACK_BYTES: usize = 1 << 30;

/// How much of its heap the render thread has populated as it starts
/// (`alloc::prepare_this_thread`): what a small chart's render needs.
const RENDER_HEAP_AT_START: usize = 256 << 10;

/// What `template`, `install` and `upgrade` print on stderr for a chart
/// whose `Chart.yaml` says `deprecated: true` (Helm's `warning`).
const DEPRECATED_WARNING: &str = "WARNING: This chart is deprecated\n";

/// Log lines as stderr shows them: each ended by a line feed.
fn stderr_lines(lines: &[String]) -> String {
    lines.iter().map(|line| format!("{line}\n")).collect()
}

/// Runs the command line `args` (without the program name).
pub fn run(args: Vec<String>) -> Outcome {
    run_then(args, |outcome| outcome)
}

/// Runs the command line `args` (without the program name) as [`run`]
/// does, prints the outcome and exits the process with its code. The
/// thread that ran the command prints and exits itself: the process ends
/// without that thread ending first, the main thread waking to join it,
/// and its stack being unmapped (together about 0.3 ms of a traefik run;
/// README, CLI).
pub fn run_and_exit(args: Vec<String>) -> ! {
    run_then(args, |outcome| outcome.print_and_exit()).print_and_exit()
}

/// [`run`], with `finish` applied to the outcome of a command on the
/// thread that ran it.
fn run_then(
    args: Vec<String>,
    finish: impl FnOnce(Outcome) -> Outcome + Send + 'static,
) -> Outcome {
    // `template` parses the chart's templates on a second thread: started
    // before the arguments are parsed, it is running by the time the chart
    // is read (`threads::prestart`).
    if args.first().is_some_and(|command| command == "template") {
        crate::engine::prestart_parse_helper();
    }
    // The render thread starts before the arguments are parsed, and has
    // the first stretch of its heap populated while they are: the work then
    // starts on a thread that is running, with memory at hand.
    let (to_worker, command_in) = std::sync::mpsc::channel::<Command>();
    let worker = crate::threads::spawn("chartroom", RENDER_STACK_BYTES, move || {
        alloc::prepare_this_thread(RENDER_HEAP_AT_START);
        command_in
            .recv()
            .ok()
            .map(|command| finish(execute(command)))
    });
    let refused = match parse_args(args) {
        Ok(command) => {
            // A worker that is gone says so when joined.
            let _ = to_worker.send(command);
            None
        }
        Err(outcome) => Some(outcome),
    };
    // Dropping the sender lets a worker that got no command go.
    drop(to_worker);
    let rendered = worker.map(|h| h.join());
    if let Some(outcome) = refused {
        return outcome;
    }
    match rendered {
        Ok(Ok(Some(outcome))) => outcome,
        _ => Outcome::error("internal error: the render thread failed"),
    }
}

fn execute(command: Command) -> Outcome {
    match command {
        Command::Template(t) => template(&t),
        Command::Show { what, chart } => show::show(&what, &chart),
        Command::Tpl(t) => tpl(&t),
        Command::Version => Outcome {
            stdout: format!(
                "chartroom {} (helm v3.21.4 compatible)\n",
                env!("CARGO_PKG_VERSION")
            ),
            ..Outcome::default()
        },
        Command::Help(text) => Outcome {
            stdout: text,
            ..Outcome::default()
        },
        #[cfg(feature = "kube")]
        Command::Cluster(c) => cluster::run(&c),
    }
}

/// Go's `os` error texts for the common cases (`open x: no such file or directory`).
pub(crate) fn io_error(path: &str, e: &std::io::Error) -> String {
    let reason = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "is a directory".to_string(),
        _ => e.to_string(),
    };
    format!("open {path}: {reason}")
}

fn read_text(path: &str) -> Result<String, String> {
    if path == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(|e| io_error(path, &e))?;
        return Ok(text);
    }
    std::fs::read(path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .map_err(|e| io_error(path, &e))
}

fn value_options(files: &[String], t: &args::ValueFlags) -> Result<ValueOptions, String> {
    let mut values = ValueOptions {
        json: t.set_json.clone(),
        set: t.set.clone(),
        set_string: t.set_string.clone(),
        set_file: t.set_file.clone(),
        set_literal: t.set_literal.clone(),
        ..ValueOptions::default()
    };
    for name in files {
        values.files.push(ValuesFile {
            name: name.clone(),
            text: read_text(name)?,
        });
    }
    Ok(values)
}

/// The stack budget of a render on the big render thread.
fn exec_options(max_steps: Option<u64>) -> ExecOptions {
    ExecOptions {
        max_stack_bytes: RENDER_STACK_BYTES - (64 << 20),
        max_steps,
        ..ExecOptions::default()
    }
}

fn template(t: &TemplateArgs) -> Outcome {
    let (name, chart_path) = match release_name_and_chart(t) {
        Ok(v) => v,
        Err(e) => return Outcome::error(e),
    };
    if t.dependency_update {
        return Outcome::error(
            "--dependency-update needs network access to chart repositories, which chartroom does not use; run `helm dependency build` and retry without it",
        );
    }
    if !Path::new(&chart_path).exists() {
        return Outcome::error(format!(
            "path {} not found",
            crate::template::strconv::quote(&chart_path)
        ));
    }
    let values = match value_options(&t.values, &t.value_flags) {
        Ok(v) => v,
        Err(e) => return Outcome::error(e),
    };
    let default_kube = std::env::var("CHARTROOM_DEFAULT_KUBE_VERSION").ok();
    let options = RenderOptions {
        release_name: name,
        namespace: t.namespace.clone().unwrap_or_else(|| "default".into()),
        is_upgrade: t.is_upgrade,
        revision: 1,
        values,
        kube_version: t.kube_version.clone().or(default_kube),
        api_versions: t.api_versions.clone(),
        skip_schema_validation: t.skip_schema_validation,
        enable_dns: t.enable_dns,
        output: t.output.clone(),
        exec: exec_options(t.max_steps),
    };
    // Helm loads the chart by its absolute path, which its messages show.
    let absolute = std::path::absolute(&chart_path).unwrap_or_else(|_| chart_path.clone().into());
    // The templates parse on the second core while the load parses YAML.
    crate::engine::start_parse_ahead(options.engine_options());
    let mut warnings = Vec::new();
    let loaded = load::read_path_mapped(&absolute, &mut warnings).and_then(|files| {
        crate::engine::parse_ahead(&files);
        load::load_files_with_warnings(files, &mut warnings)
    });
    // Helm's loader logs as it reads (`crate::helm_log`), before anything else.
    let load_log = stderr_lines(&warnings);
    let chart = match loaded {
        Ok(c) => c,
        Err(e) => {
            let mut failed = Outcome::error(e);
            failed.stderr.insert_str(0, &load_log);
            return failed;
        }
    };
    if !t.skip_schema_validation {
        start_schema_compile(&chart);
    }
    // Helm warns once the chart proves installable.
    let deprecated = if chart.metadata.deprecated && chart.metadata.check_installable().is_ok() {
        DEPRECATED_WARNING
    } else {
        ""
    };
    let host: Rc<dyn Host> = Rc::new(DefaultHost::default());
    let result = api::render_chart(chart, &options, &|p| read_text(p), Some(host));
    match result {
        Ok(out) => {
            let mut stdout = match write_files(&out.writes) {
                Ok(lines) => lines,
                Err(e) => return Outcome::error(e),
            };
            let warnings = stderr_lines(&out.warnings);
            if t.json {
                stdout.push_str(&crate::api::json::template_output_json(&out));
                stdout.push('\n');
            } else if stdout.is_empty() {
                stdout = out.into_stream();
            } else {
                stdout.push_str(out.stream());
            }
            Outcome {
                stdout,
                stderr: format!("{load_log}{deprecated}{warnings}"),
                code: 0,
            }
        }
        Err(failure) => {
            let e = failure.error;
            let mut stdout = write_files(&e.writes).unwrap_or_default();
            stdout.push_str(&e.stdout);
            let warnings = stderr_lines(&e.warnings);
            Outcome {
                stdout,
                stderr: format!("{load_log}{deprecated}{warnings}Error: {}\n", e.message),
                code: 1,
            }
        }
    }
}

/// How many times the templates' bytes the schemas' must be for the
/// schema compile to start before the template parse is done
/// ([`start_schema_compile`]).
const SCHEMA_FIRST_FROM: usize = 2;

/// Hands the schemas of `chart` and its subcharts (in the order Helm
/// validates them) to a background compile, which the render has compile
/// and check while the templates execute.
///
/// The compile runs on the template parse's helper, once the parse is done,
/// while the render thread executes the templates: compiling a schema costs
/// about what executing as many bytes of templates does (traefik's chart:
/// 181 KB of schema compile in 1.2 ms, its 150 KB of templates execute and
/// are put together in 1.3 ms). Only where the schemas far outweigh the
/// templates ([`SCHEMA_FIRST_FROM`]) does the compile start before the
/// parse is done, the render thread parsing the texts left: there the
/// render would otherwise wait for the check once the templates have
/// executed. (Started early on traefik's chart, the compile took the
/// helper from the parse and the render thread parsed the rest, which made
/// the run 0.35 ms slower.)
fn start_schema_compile(chart: &crate::chart::Chart) {
    fn collect(
        chart: &crate::chart::Chart,
        schemas: &mut Vec<crate::chart::FileData>,
        template_bytes: &mut usize,
    ) {
        schemas.extend(chart.schema.clone());
        *template_bytes += chart.templates.iter().map(|t| t.data.len()).sum::<usize>();
        for sub in &chart.dependencies {
            collect(sub, schemas, template_bytes);
        }
    }
    let (mut schemas, mut template_bytes) = (Vec::new(), 0);
    collect(chart, &mut schemas, &mut template_bytes);
    let schema_bytes: usize = schemas.iter().map(|s| s.len()).sum();
    crate::values::schema::compile_in_background(
        schemas,
        schema_compile_first(schema_bytes, template_bytes),
    );
}

/// Whether `schema_bytes` of schemas are to be compiled before the parse
/// of `template_bytes` of templates is done ([`start_schema_compile`]).
fn schema_compile_first(schema_bytes: usize, template_bytes: usize) -> bool {
    schema_bytes > SCHEMA_FIRST_FROM.saturating_mul(template_bytes)
}

fn write_files(writes: &[FileWrite]) -> Result<String, String> {
    let mut out = Vec::new();
    write_output_dir(writes, &mut out)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Helm's `NameAndChart` as `helm template` sets it up (release name
/// `release-name` unless given or templated).
fn release_name_and_chart(t: &TemplateArgs) -> Result<(String, String), String> {
    let positional = &t.positional;
    if positional.len() > 2 {
        return Err(format!(
            "expected at most two arguments, unexpected arguments: {}",
            positional[2..].join(", ")
        ));
    }
    if positional.len() == 2 {
        if t.generate_name {
            return Err("cannot set --generate-name and also specify a name".into());
        }
        if t.name_template.is_some() {
            return Err("cannot set --name-template and also specify a name".into());
        }
        return Ok((positional[0].clone(), positional[1].clone()));
    }
    let chart = positional.first().cloned().unwrap_or_default();
    if let Some(template) = &t.name_template {
        return Ok((api::template_name(template)?, chart));
    }
    Ok(("release-name".into(), chart))
}

fn tpl(t: &TplArgs) -> Outcome {
    let values = match value_options(&t.values, &t.value_flags) {
        Ok(v) => v,
        Err(e) => return Outcome::error(e),
    };
    let text = if t.template == "-" {
        match read_text("-") {
            Ok(text) => text,
            Err(e) => return Outcome::error(e),
        }
    } else {
        t.template.clone()
    };
    let host: Rc<dyn Host> = Rc::new(DefaultHost::default());
    let exec = exec_options(t.max_steps);
    match api::render_template(&text, &values, &|p| read_text(p), exec, Some(host)) {
        Ok(out) => Outcome {
            stdout: out,
            ..Outcome::default()
        },
        Err(e) => Outcome::error(e.helm_message),
    }
}

#[cfg(test)]
mod tests {
    use super::schema_compile_first;

    #[test]
    fn the_schema_compile_goes_first_only_past_twice_the_templates() {
        // traefik's chart: 181 KB of schema, 150 KB of templates.
        assert!(!schema_compile_first(181_061, 149_851));
        // bitnami-redis: 154 KB against 320 KB.
        assert!(!schema_compile_first(154_000, 320_000));
        assert!(!schema_compile_first(300_000, 150_000));
        assert!(schema_compile_first(300_001, 150_000));
        // A chart with no templates but a schema compiles it at once.
        assert!(schema_compile_first(1, 0));
        assert!(!schema_compile_first(0, 0));
        assert!(!schema_compile_first(usize::MAX, usize::MAX));
    }
}
