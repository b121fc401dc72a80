//! Command-line parsing with `helm`'s flag names and forms: `--flag value`,
//! `--flag=value`, repeated flags accumulating, comma lists for `-f` and
//! `--api-versions` (cobra's string slices), single values for `--set`
//! (cobra's string arrays).

use clap::{Arg, ArgAction, ArgMatches};

use super::Outcome;
use crate::action::OutputOptions;

/// The `--set*` family shared by `template` and `tpl`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValueFlags {
    pub set: Vec<String>,
    pub set_string: Vec<String>,
    pub set_json: Vec<String>,
    pub set_file: Vec<String>,
    pub set_literal: Vec<String>,
}

/// `chartroom template [NAME] [CHART] [flags]`.
#[derive(Clone, Debug, Default)]
pub struct TemplateArgs {
    pub positional: Vec<String>,
    pub values: Vec<String>,
    pub value_flags: ValueFlags,
    pub namespace: Option<String>,
    pub kube_version: Option<String>,
    pub api_versions: Vec<String>,
    pub is_upgrade: bool,
    pub generate_name: bool,
    pub name_template: Option<String>,
    pub dependency_update: bool,
    pub skip_schema_validation: bool,
    pub enable_dns: bool,
    pub max_steps: Option<u64>,
    /// `--output json`: the structured result instead of the stream.
    pub json: bool,
    pub output: OutputOptions,
}

/// `chartroom tpl TEMPLATE [-f FILE] [--set …]`.
#[derive(Clone, Debug, Default)]
pub struct TplArgs {
    pub template: String,
    pub values: Vec<String>,
    pub value_flags: ValueFlags,
    pub max_steps: Option<u64>,
}

/// A parsed command line.
#[derive(Clone, Debug)]
pub enum Command {
    Template(TemplateArgs),
    Show {
        what: String,
        chart: String,
    },
    Tpl(TplArgs),
    Version,
    Help(String),
    /// `install`, `uninstall`, `status`, `history`, `list` (feature `kube`).
    #[cfg(feature = "kube")]
    Cluster(super::cluster::ClusterCommand),
}

fn list(name: &'static str) -> Arg {
    Arg::new(name)
        .long(name)
        .action(ArgAction::Append)
        .num_args(1)
}

fn comma_list(name: &'static str) -> Arg {
    list(name).value_delimiter(',')
}

fn flag(name: &'static str) -> Arg {
    Arg::new(name).long(name).action(ArgAction::SetTrue)
}

pub(super) fn single(name: &'static str) -> Arg {
    Arg::new(name).long(name).num_args(1)
}

pub(super) fn value_args() -> Vec<Arg> {
    vec![
        comma_list("values")
            .short('f')
            .help("values files, in order"),
        list("set").help("set values (key=value, comma-separated)"),
        list("set-string").help("set STRING values"),
        list("set-json").help("set JSON values"),
        list("set-file").help("set values from files (key=path)"),
        list("set-literal").help("set a literal STRING value"),
        single("max-steps").help("stop a runaway template after this many execution steps"),
    ]
}

fn cli() -> clap::Command {
    let template = clap::Command::new("template")
        .about("locally render templates, exactly like `helm template`")
        .arg(Arg::new("args").num_args(0..).action(ArgAction::Append))
        .args(value_args())
        .args([
            single("namespace")
                .short('n')
                .help("namespace scope of the release"),
            single("kube-version").help("Kubernetes version used for Capabilities.KubeVersion"),
            comma_list("api-versions")
                .short('a')
                .help("Kubernetes API versions used for Capabilities.APIVersions"),
            list("show-only")
                .short('s')
                .help("only show manifests rendered from the given templates"),
            single("output-dir")
                .help("write the executed templates to files in output-dir instead of stdout"),
            flag("include-crds").help("include CRDs in the templated output"),
            flag("skip-crds").help("if set, no CRDs will be installed"),
            flag("no-hooks").help("prevent hooks from running"),
            flag("skip-tests").help("skip tests from templated output"),
            flag("is-upgrade").help("set .Release.IsUpgrade instead of .Release.IsInstall"),
            flag("release-name").help("use release name in the output-dir path"),
            flag("render-subchart-notes")
                .help("if set, render subchart notes along with the parent"),
            flag("generate-name")
                .short('g')
                .help("generate the name (and omit the NAME parameter)"),
            single("name-template").help("specify template used to name the release"),
            flag("dependency-update").help("update dependencies (needs a network: refused)"),
            flag("skip-schema-validation").help("if set, disables JSON schema validation"),
            flag("enable-dns")
                .help("enable DNS lookups when rendering templates (always empty here)"),
            flag("hide-secret").help("hide Kubernetes Secrets in the output"),
            flag("debug").help("enable verbose output"),
            flag("validate")
                .help("accepted for compatibility; chartroom has no cluster to validate against"),
            single("output")
                .short('o')
                .help("output format: `json` prints the structured result"),
        ]);
    let show = clap::Command::new("show")
        .about("show information of a chart")
        .arg(
            Arg::new("what")
                .required(true)
                .value_parser(["all", "chart", "readme", "values", "crds"]),
        )
        .arg(Arg::new("chart").required(true));
    let tpl = clap::Command::new("tpl")
        .about("render one template string against values with the full function set")
        .arg(Arg::new("template").required(true))
        .args(value_args());
    let root = clap::Command::new("chartroom")
        .about("Render Helm charts exactly like `helm template` v3.21.4")
        .disable_version_flag(true)
        .subcommand_required(true)
        .subcommand(template)
        .subcommand(show)
        .subcommand(tpl)
        .subcommand(clap::Command::new("version").about("print the version"));
    #[cfg(feature = "kube")]
    let root = root.subcommands(super::cluster::commands());
    root
}

pub(super) fn strings(m: &ArgMatches, name: &str) -> Vec<String> {
    m.get_many::<String>(name)
        .map(|v| v.cloned().collect())
        .unwrap_or_default()
}

pub(super) fn value_flags(m: &ArgMatches) -> ValueFlags {
    ValueFlags {
        set: strings(m, "set"),
        set_string: strings(m, "set-string"),
        set_json: strings(m, "set-json"),
        set_file: strings(m, "set-file"),
        set_literal: strings(m, "set-literal"),
    }
}

fn max_steps(m: &ArgMatches) -> Result<Option<u64>, Outcome> {
    match m.get_one::<String>("max-steps") {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| {
            Outcome::error(format!(
                "invalid argument {s:?} for \"--max-steps\" flag: not a number"
            ))
        }),
    }
}

/// Parses `args` (without the program name) into a command, or the outcome
/// of a usage error (`Error: …`, exit 1) or of `--help`.
pub fn parse_args(args: Vec<String>) -> Result<Command, Outcome> {
    let argv = std::iter::once("chartroom".to_string()).chain(args);
    let matches = match cli().try_get_matches_from(argv) {
        Ok(m) => m,
        Err(e) => {
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp
                | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    Ok(Command::Help(e.to_string()))
                }
                _ => Err(Outcome {
                    stderr: format!(
                        "Error: {}",
                        e.render().to_string().trim_start_matches("error: ")
                    ),
                    code: 1,
                    ..Outcome::default()
                }),
            };
        }
    };
    match matches.subcommand() {
        Some(("template", m)) => {
            let positional = strings(m, "args");
            if positional.is_empty() {
                return Err(Outcome::error(
                    "\"chartroom template\" requires at least 1 argument",
                ));
            }
            let json = match m.get_one::<String>("output").map(String::as_str) {
                None => false,
                Some("json") => true,
                Some(other) => {
                    return Err(Outcome::error(format!(
                        "invalid output format {other:?}: only \"json\" is supported"
                    )))
                }
            };
            let output = OutputOptions {
                include_crds: m.get_flag("include-crds"),
                skip_crds: m.get_flag("skip-crds"),
                no_hooks: m.get_flag("no-hooks"),
                skip_tests: m.get_flag("skip-tests"),
                show_only: strings(m, "show-only"),
                render_subchart_notes: m.get_flag("render-subchart-notes"),
                hide_secret: m.get_flag("hide-secret"),
                output_dir: m
                    .get_one::<String>("output-dir")
                    .cloned()
                    .unwrap_or_default(),
                use_release_name: m.get_flag("release-name"),
                debug: m.get_flag("debug"),
                ..OutputOptions::default()
            };
            Ok(Command::Template(TemplateArgs {
                positional,
                values: strings(m, "values"),
                value_flags: value_flags(m),
                namespace: m.get_one::<String>("namespace").cloned(),
                kube_version: m.get_one::<String>("kube-version").cloned(),
                api_versions: strings(m, "api-versions"),
                is_upgrade: m.get_flag("is-upgrade"),
                generate_name: m.get_flag("generate-name"),
                name_template: m.get_one::<String>("name-template").cloned(),
                dependency_update: m.get_flag("dependency-update"),
                skip_schema_validation: m.get_flag("skip-schema-validation"),
                enable_dns: m.get_flag("enable-dns"),
                max_steps: max_steps(m)?,
                json,
                output,
            }))
        }
        Some(("show", m)) => Ok(Command::Show {
            what: m.get_one::<String>("what").cloned().unwrap_or_default(),
            chart: m.get_one::<String>("chart").cloned().unwrap_or_default(),
        }),
        Some(("tpl", m)) => Ok(Command::Tpl(TplArgs {
            template: m.get_one::<String>("template").cloned().unwrap_or_default(),
            values: strings(m, "values"),
            value_flags: value_flags(m),
            max_steps: max_steps(m)?,
        })),
        Some(("version", _)) => Ok(Command::Version),
        #[cfg(feature = "kube")]
        Some((
            name @ ("install" | "upgrade" | "rollback" | "uninstall" | "status" | "history"
            | "list" | "get"),
            m,
        )) => Ok(Command::Cluster(super::cluster::parse(name, m))),
        _ => Ok(Command::Help(cli().render_help().to_string())),
    }
}
