//! The cluster commands (features `cli` and `kube`): `install`, `upgrade`,
//! `rollback`, `uninstall`, `status`, `history` and `list` with Helm's flag
//! names (`--namespace`/`-n`, `--kubeconfig`, `--kube-context`,
//! `--create-namespace`, `--skip-crds`, `--description`, `--keep-history`,
//! `--ignore-not-found`, `--cascade`,
//! `--max`, `--install`, `--reuse-values`, `--reset-values`,
//! `--reset-then-reuse-values`, `--history-max` (also `--max-history`),
//! `--all-namespaces`/`-A`, `--all`/`-a`, `-f`/`--set*`, `--no-hooks`,
//! `--wait`, `--wait-for-jobs`, `--timeout`, `--atomic`, `--generate-name`/`-g`,
//! `--name-template`, `--dry-run[=client|server]`, `-o table|json|yaml`,
//! `--revision`, `--hide-notes`, `--show-desc`), the `get` subcommands,
//! Helm's messages and error prefixes (`INSTALLATION FAILED: `,
//! `UPGRADE FAILED: `).

use std::cell::RefCell;
use std::path::Path;

use clap::{Arg, ArgAction, ArgMatches};

use super::args::{single, strings, value_args, value_flags};
use super::{exec_options, read_text, value_options, Outcome};
use crate::kube::options::{parse_timeout, RunOptions};
use crate::kube::output::{self, Format};
use crate::kube::{actions, block_on, dry_run, get, list, print, upgrade, Cluster, KubeOptions};
use crate::release::Release;

/// A parsed cluster command.
#[derive(Clone, Debug)]
pub struct ClusterCommand {
    pub name: String,
    pub kube: KubeOptions,
    pub matches: ArgMatches,
}

fn global_args() -> Vec<Arg> {
    vec![
        single("namespace")
            .short('n')
            .help("namespace scope for this request"),
        single("kubeconfig").help("path to the kubeconfig file"),
        single("kube-context").help("name of the kubeconfig context to use"),
    ]
}

fn flag(name: &'static str) -> Arg {
    Arg::new(name).long(name).action(ArgAction::SetTrue)
}

fn positional(n: usize) -> Arg {
    Arg::new("args")
        .num_args(0..=n.max(1))
        .action(ArgAction::Append)
}

/// `-o`/`--output` (`table`, `json` or `yaml`).
fn output_arg() -> Arg {
    single("output")
        .short('o')
        .help("prints the output in the specified format. Allowed values: table, json, yaml")
}

/// `--revision N`.
fn revision_arg() -> Arg {
    single("revision").help("get the named release with revision")
}

/// install's and upgrade's `--dry-run[=none|client|server|true|false]`
/// (`--dry-run` alone means `client`; a value needs `=`, as with pflag's
/// `NoOptDefVal`).
fn dry_run_option() -> Arg {
    Arg::new("dry-run")
        .long("dry-run")
        .num_args(0..=1)
        .require_equals(true)
        .default_missing_value("client")
        .help("simulate an install or upgrade: print the release it would store")
}

/// `--disable-openapi-validation`.
fn disable_openapi_validation() -> Arg {
    flag("disable-openapi-validation").help(
        "if set, the installation process will not validate rendered templates against the Kubernetes OpenAPI Schema",
    )
}

/// `helm get <what>`.
fn get_command(what: &'static str, about: &'static str) -> clap::Command {
    let cmd = clap::Command::new(what)
        .about(about)
        .arg(positional(1))
        .args(global_args())
        .arg(revision_arg());
    match what {
        "values" => cmd.args([
            flag("all").short('a').help("dump all (computed) values"),
            output_arg(),
        ]),
        "metadata" => cmd.arg(output_arg()),
        _ => cmd,
    }
}

/// `--history-max` (Helm's name; `--max-history` is accepted too).
fn history_max() -> Arg {
    single("history-max").alias("max-history").help(
        "limit the maximum number of revisions saved per release. Use 0 for no limit (default 10)",
    )
}

/// `--no-hooks`, `--timeout` and, with `wait`, `--wait` (and with `jobs`,
/// `--wait-for-jobs`; with `atomic`, `--atomic`).
fn run_args(hooks: &'static str, wait: bool, jobs: bool, atomic: bool) -> Vec<Arg> {
    let mut args = vec![
        flag("no-hooks").help(hooks),
        single("timeout").help(
            "time to wait for any individual Kubernetes operation (like Jobs for hooks) (default 5m0s)",
        ),
    ];
    if wait {
        args.push(flag("wait").help("if set, will wait until all Pods, PVCs, Services, and minimum number of Pods of a Deployment, StatefulSet, or ReplicaSet are in a ready state before marking the release as successful. It will wait for as long as --timeout"));
    }
    if jobs {
        args.push(flag("wait-for-jobs").help("if set and --wait enabled, will wait until all Jobs have been completed before marking the release as successful. It will wait for as long as --timeout"));
    }
    if atomic {
        args.push(flag("atomic").help("if set, the operation is undone in case of failure (an install is uninstalled, an upgrade rolled back). The --wait flag will be set automatically if --atomic is used"));
    }
    args
}

/// The flags `install` and `upgrade` share for rendering and output.
fn render_args(verb: &'static str) -> Vec<Arg> {
    let hide_notes = match verb {
        "install" => "if set, do not show notes in install output",
        _ => "if set, do not show notes in upgrade output",
    };
    vec![
        dry_run_option(),
        flag("hide-notes").help(hide_notes),
        disable_openapi_validation(),
        flag("skip-schema-validation").help("if set, disables JSON schema validation"),
        flag("render-subchart-notes").help("if set, render subchart notes along with the parent"),
        flag("hide-secret").help("hide Kubernetes Secrets when also using the --dry-run flag"),
        output_arg(),
    ]
}

/// `-l/--labels` (pflag `StringToString`: repeatable, comma-separated).
fn labels_arg(help: &'static str) -> Arg {
    Arg::new("labels")
        .long("labels")
        .short('l')
        .num_args(1)
        .action(ArgAction::Append)
        .help(help)
}

/// The `--labels` given, merged, or cobra's error for a bad value.
fn labels_flag(c: &ClusterCommand) -> Result<crate::kube::labels::Labels, String> {
    crate::kube::labels::parse_labels_flag(
        &strings(&c.matches, "labels"),
        &flag_names(&c.name, "labels"),
    )
}

/// The clap subcommands.
pub fn commands() -> Vec<clap::Command> {
    vec![
        clap::Command::new("install")
            .about("install a chart on the cluster")
            .arg(Arg::new("args").num_args(0..).action(ArgAction::Append))
            .args(global_args())
            .args(value_args())
            .args([
                flag("create-namespace").help("create the release namespace if not present"),
                flag("skip-crds").help("if set, no CRDs will be installed"),
                flag("replace").help("re-use the given name, only if that name is a deleted release which remains in the history"),
                single("description").help("add a custom description"),
                flag("generate-name")
                    .short('g')
                    .help("generate the name (and omit the NAME parameter)"),
                single("name-template").help("specify template used to name the release"),
                labels_arg("Labels that would be added to release metadata. Should be divided by comma."),
            ])
            .args(render_args("install"))
            .args(run_args("prevent hooks from running during install", true, true, true)),
        clap::Command::new("upgrade")
            .about("upgrade a release")
            .arg(positional(2))
            .args(global_args())
            .args(value_args())
            .args([
                flag("install")
                    .short('i')
                    .help("if a release by this name doesn't already exist, run an install"),
                flag("create-namespace")
                    .help("if --install is set, create the release namespace if not present"),
                flag("skip-crds").help("if set, no CRDs will be installed when an upgrade is performed with install flag enabled"),
                flag("reuse-values").help("when upgrading, reuse the last release's values and merge in any overrides"),
                flag("reset-values").help("when upgrading, reset the values to the ones built into the chart"),
                flag("reset-then-reuse-values").help("when upgrading, reset the values to the ones built into the chart, apply the last release's values and merge in any overrides"),
                single("description").help("add a custom description"),
                history_max(),
                labels_arg("Labels that would be added to release metadata. Should be separated by comma. Original release labels will be merged with upgrade labels. You can unset label using null."),
            ])
            .args(render_args("upgrade"))
            .args(run_args("disable pre/post upgrade hooks", true, true, true)),
        clap::Command::new("rollback")
            .about("roll back a release to a previous revision")
            .arg(positional(2))
            .args(global_args())
            .arg(history_max())
            .arg(flag("dry-run").help("simulate a rollback"))
            .args(run_args("prevent hooks from running during rollback", true, true, false)),
        clap::Command::new("uninstall")
            .about("uninstall a release")
            .arg(Arg::new("args").num_args(0..).action(ArgAction::Append))
            .args(global_args())
            .args([
                flag("ignore-not-found").help("Treat \"release not found\" as a successful uninstall"),
                single("cascade").help("Must be \"background\", \"orphan\", or \"foreground\". Selects the deletion cascading strategy for the dependents. Defaults to background."),
                flag("keep-history")
                    .help("remove all associated resources and mark the release as deleted, but retain the release history"),
                single("description").help("add a custom description"),
                flag("dry-run").help("simulate a uninstall"),
            ])
            .args(run_args("prevent hooks from running during uninstallation", false, false, false))
            .arg(flag("wait").help("if set, will wait until all the resources are deleted before returning. It will wait for as long as --timeout")),
        clap::Command::new("status")
            .about("display the status of the named release")
            .arg(positional(1))
            .args(global_args())
            .args([
                revision_arg(),
                flag("show-desc")
                    .help("if set, display the description message of the named release"),
                output_arg(),
            ]),
        clap::Command::new("history")
            .about("fetch release history")
            .arg(positional(1))
            .args(global_args())
            .arg(
                single("max")
                    .allow_negative_numbers(true)
                    .help("maximum number of revision to include in history (default 256)"),
            )
            .arg(output_arg()),
        clap::Command::new("list")
            .about("list releases")
            .args(global_args())
            .args([
                flag("all-namespaces")
                    .short('A')
                    .help("list releases across all namespaces"),
                flag("all").short('a').help("show all releases without any filter applied"),
                flag("short").short('q').help("output short (quiet) listing format"),
                flag("deployed").help("show deployed releases. If no other is specified, this will be automatically enabled"),
                flag("failed").help("show failed releases"),
                flag("pending").help("show pending releases"),
                flag("superseded").help("show superseded releases"),
                flag("uninstalled").help("show uninstalled releases (if 'helm uninstall --keep-history' was used)"),
                flag("uninstalling").help("show releases that are currently being uninstalled"),
                single("filter").short('f').help("a regular expression (Perl compatible). Any releases that match the expression will be included in the results"),
                flag("date").short('d').help("sort by release date"),
                flag("reverse").short('r').help("reverse the sort order"),
                single("max").short('m').help("maximum number of releases to fetch (default 256)"),
                single("offset").help("next release index in the list, used to offset from start value"),
                flag("no-headers").help("don't print headers when using the default output format"),
                single("time-format").help("format time using golang time formatter"),
                single("selector").short('l').help("Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Works only for secret(default) and configmap storage backends."),
                output_arg(),
            ]),
        clap::Command::new("get")
            .about("download extended information of a named release")
            .subcommand_required(true)
            .subcommands([
                get_command("all", "download all information for a named release"),
                get_command("values", "download the values file for a named release"),
                get_command("manifest", "download the manifest for a named release"),
                get_command("hooks", "download all hooks for a named release"),
                get_command("notes", "download the notes for a named release"),
                get_command("metadata", "This command fetches metadata for a given release"),
            ]),
    ]
}

/// The command for clap's `matches` of subcommand `name` (`get` becomes
/// `get <what>` with the matches of its subcommand).
pub fn parse(name: &str, m: &ArgMatches) -> ClusterCommand {
    if let ("get", Some((what, sub))) = (name, m.subcommand()) {
        return parse(&format!("get {what}"), sub);
    }
    ClusterCommand {
        name: name.to_string(),
        kube: KubeOptions {
            kubeconfig: m.get_one::<String>("kubeconfig").cloned(),
            context: m.get_one::<String>("kube-context").cloned(),
            namespace: m.get_one::<String>("namespace").cloned(),
        },
        matches: m.clone(),
    }
}

/// The hook and wait flags the command has.
fn run_options(c: &ClusterCommand) -> Result<RunOptions, String> {
    let m = &c.matches;
    let flag = |name: &str| {
        m.try_get_one::<bool>(name)
            .ok()
            .flatten()
            .copied()
            .unwrap_or(false)
    };
    let timeout = match m.try_get_one::<String>("timeout").ok().flatten() {
        Some(text) => parse_timeout(text)?,
        None => RunOptions::default().timeout,
    };
    Ok(RunOptions {
        no_hooks: flag("no-hooks"),
        wait: flag("wait"),
        wait_for_jobs: flag("wait-for-jobs"),
        atomic: flag("atomic"),
        timeout,
    })
}

/// Helm's cobra argument checks: exactly `n` positional arguments.
fn exact_args(c: &ClusterCommand, n: usize) -> Result<Vec<String>, String> {
    let args = strings(&c.matches, "args");
    if args.len() != n {
        let plural = if n == 1 { "" } else { "s" };
        return Err(format!(
            "\"chartroom {}\" requires {n} argument{plural}",
            c.name
        ));
    }
    Ok(args)
}

/// Runs a cluster command.
pub fn run(c: &ClusterCommand) -> Outcome {
    if let Ok(tz) = std::env::var("TZ") {
        let _ = crate::funcs::gotime::zone::set_local_zone(Some(tz.trim_start_matches(':')));
    }
    let format = match output_format(c) {
        Ok(f) => f,
        Err(e) => return Outcome::error(e),
    };
    // What a command printed before it failed (or before its result), on
    // stdout and on stderr.
    let printed = RefCell::new(String::new());
    let logged = RefCell::new(String::new());
    let result = block_on(async {
        let cluster = Cluster::connect(&c.kube).await?;
        match c.name.as_str() {
            "install" => install(c, &cluster, format, &logged).await,
            "upgrade" => upgrade(c, &cluster, format, &printed, &logged).await,
            "rollback" => rollback(c, &cluster).await,
            "uninstall" => uninstall(c, &cluster, &printed).await,
            "status" => {
                let name = exact_args(c, 1)?.remove(0);
                let revision = int_flag(c, "revision", 0)?;
                let r = get::release_content(&cluster, &name, revision).await?;
                let opts = print::StatusOptions {
                    show_description: c.matches.get_flag("show-desc"),
                    ..print::StatusOptions::default()
                };
                let out = format.write(
                    || output::release_json(&r, true),
                    || print::status_with(&r, &opts),
                )?;
                Ok((out, String::new()))
            }
            "history" => {
                let name = exact_args(c, 1)?.remove(0);
                let max = int_flag(c, "max", 256)?;
                let h =
                    actions::history(&cluster, &name, usize::try_from(max).unwrap_or(0)).await?;
                let out = format.write(|| output::history_json(&h), || Ok(print::history(&h)))?;
                Ok((out, String::new()))
            }
            "list" => list_releases(c, &cluster, format).await,
            other if other.starts_with("get ") => {
                let name = exact_args(c, 1)?.remove(0);
                let revision = int_flag(c, "revision", 0)?;
                let r = get::release_content(&cluster, &name, revision).await?;
                let all = c.matches.try_get_one::<bool>("all").ok().flatten() == Some(&true);
                Ok((get::render(&other[4..], &r, format, all)?, String::new()))
            }
            other => Err(format!("unknown command {other:?}")),
        }
    });
    let before = printed.take();
    let mut outcome = match result.and_then(|r| r) {
        Ok((stdout, stderr)) => Outcome {
            stdout: format!("{before}{stdout}"),
            stderr,
            code: 0,
        },
        Err(e) => Outcome {
            stdout: before,
            ..Outcome::error(e)
        },
    };
    outcome.stderr.insert_str(0, &logged.take());
    outcome
}

/// The `-o` format of commands that have the flag (cobra checks it while
/// parsing flags, before anything runs).
fn output_format(c: &ClusterCommand) -> Result<Format, String> {
    let flag = c.matches.try_get_one::<String>("output").ok().flatten();
    Format::parse(flag.map(String::as_str))
}

/// install's and upgrade's `--dry-run` value: whether it is a dry run
/// (`--hide-secret` needs one, as Helm checks first).
fn dry_run_flag(c: &ClusterCommand) -> Result<bool, String> {
    let dry_run =
        dry_run::parse_option(c.matches.get_one::<String>("dry-run").map(String::as_str))?;
    if !dry_run && c.matches.get_flag("hide-secret") {
        return Err("Hiding Kubernetes secrets requires a dry-run mode".into());
    }
    Ok(dry_run)
}

/// install's and upgrade's rendering flags.
fn render_flags(c: &ClusterCommand) -> actions::RenderFlags {
    actions::RenderFlags {
        skip_schema_validation: c.matches.get_flag("skip-schema-validation"),
        render_subchart_notes: c.matches.get_flag("render-subchart-notes"),
        hide_secret: c.matches.get_flag("hide-secret"),
    }
}

/// Go's `filepath.Base`.
fn go_base(path: &str) -> &str {
    if path.is_empty() {
        return ".";
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/";
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

/// Helm's `Install.NameAndChart`: the release name and chart from the
/// arguments, `--name-template` or `--generate-name` (`<chart base>-<unix
/// time>`, the base cut at its first dot).
pub fn install_name_and_chart(
    args: &[String],
    generate_name: bool,
    name_template: Option<&str>,
    unix_now: i64,
) -> Result<(String, String), String> {
    if args.len() > 2 {
        return Err(format!(
            "expected at most two arguments, unexpected arguments: {}",
            args[2..].join(", ")
        ));
    }
    if args.len() == 2 {
        if generate_name {
            return Err("cannot set --generate-name and also specify a name".into());
        }
        if name_template.is_some() {
            return Err("cannot set --name-template and also specify a name".into());
        }
        return Ok((args[0].clone(), args[1].clone()));
    }
    let chart = args.first().cloned().unwrap_or_default();
    if let Some(template) = name_template.filter(|t| !t.is_empty()) {
        return Ok((crate::api::template_name(template)?, chart));
    }
    if !generate_name {
        return Err("must either provide a name or specify --generate-name".into());
    }
    let mut base = go_base(&chart);
    if base == "." || base.is_empty() {
        base = "chart";
    }
    if let Some(dot) = base.find('.') {
        base = &base[..dot];
    }
    Ok((format!("{base}-{unix_now}"), chart))
}

/// Loads the chart at `chart_path` (Helm's `path "…" not found` first).
/// Loads the chart at `chart_path`, adding the lines Helm's loader logs
/// (`crate::helm_log`) to `logged` as it goes, even when the load fails.
fn load_chart(chart_path: &str, logged: &RefCell<String>) -> Result<crate::chart::Chart, String> {
    if !Path::new(chart_path).exists() {
        return Err(format!(
            "path {} not found",
            crate::template::strconv::quote(chart_path)
        ));
    }
    let absolute = std::path::absolute(chart_path).unwrap_or_else(|_| chart_path.into());
    let mut lines = Vec::new();
    let loaded = crate::chart::load::load_path_with_warnings(&absolute, &mut lines);
    logged.borrow_mut().push_str(&super::stderr_lines(&lines));
    loaded
}

/// Which of Helm's commands loaded the chart: each checks something of
/// its own before it warns that the chart is deprecated.
#[derive(Clone, Copy)]
enum Action {
    Install,
    Upgrade,
}

/// Adds Helm's warning for a deprecated chart to `logged`, unless the
/// check `action` makes first fails: install's chart type (the error
/// follows), upgrade's missing dependencies (the same).
fn warn_if_deprecated(chart: &crate::chart::Chart, action: Action, logged: &RefCell<String>) {
    let checked = match action {
        Action::Install => chart.metadata.check_installable().is_ok(),
        Action::Upgrade => {
            !chart.metadata.has_dependency_list()
                || crate::chart::dependencies::check_dependencies(chart).is_ok()
        }
    };
    if chart.metadata.deprecated && checked {
        logged.borrow_mut().push_str(super::DEPRECATED_WARNING);
    }
}

/// What install and upgrade print for the record: the status block, or the
/// record as JSON or YAML.
fn print_release(c: &ClusterCommand, format: Format, release: &Release) -> Result<String, String> {
    let opts = print::StatusOptions {
        hide_notes: c.matches.get_flag("hide-notes"),
        ..print::StatusOptions::default()
    };
    format.write(
        || output::release_json(release, false),
        || print::status_with(release, &opts),
    )
}

fn install_request(
    c: &ClusterCommand,
    name: String,
    chart: crate::chart::Chart,
    replace: bool,
) -> Result<actions::InstallRequest, String> {
    let m = &c.matches;
    Ok(actions::InstallRequest {
        name,
        chart,
        values: value_options(&strings(m, "values"), &value_flags(m))?,
        read_file: Box::new(read_text),
        create_namespace: m.get_flag("create-namespace"),
        skip_crds: m.get_flag("skip-crds"),
        replace,
        description: m.get_one::<String>("description").cloned(),
        labels: labels_flag(c)?,
        exec: exec_options(None),
        run: run_options(c)?,
        disable_openapi_validation: m.get_flag("disable-openapi-validation"),
        render: render_flags(c),
    })
}

/// Helm's `runInstall` from the name on: load, values, dry-run check,
/// then the install or its dry run. `Err` is unprefixed.
async fn run_install(
    c: &ClusterCommand,
    cluster: &Cluster,
    name: String,
    chart_path: &str,
    replace: bool,
    logged: &RefCell<String>,
) -> Result<(Release, Vec<String>), String> {
    let chart = load_chart(chart_path, logged)?;
    warn_if_deprecated(&chart, Action::Install, logged);
    let req = install_request(c, name, chart, replace)?;
    if dry_run_flag(c)? {
        dry_run::install(cluster, &req).await
    } else {
        actions::install(cluster, req).await
    }
}

async fn install(
    c: &ClusterCommand,
    cluster: &Cluster,
    format: Format,
    logged: &RefCell<String>,
) -> Result<(String, String), String> {
    let args = strings(&c.matches, "args");
    if args.is_empty() {
        return Err("\"chartroom install\" requires at least 1 argument".to_string());
    }
    let m = &c.matches;
    let named = install_name_and_chart(
        &args,
        m.get_flag("generate-name"),
        m.get_one::<String>("name-template").map(String::as_str),
        crate::kube::secrets::unix_now(),
    );
    let installed = match named {
        Ok((name, chart_path)) => {
            run_install(c, cluster, name, &chart_path, m.get_flag("replace"), logged).await
        }
        Err(e) => Err(e),
    };
    let (release, warnings) = installed.map_err(|e| format!("INSTALLATION FAILED: {e}"))?;
    let stderr = super::stderr_lines(&warnings);
    Ok((print_release(c, format, &release)?, stderr))
}

/// `helm uninstall NAME...`: each release in turn, stopping at the first
/// failure; the lines of those uninstalled before it stay printed.
async fn uninstall(
    c: &ClusterCommand,
    cluster: &Cluster,
    printed: &RefCell<String>,
) -> Result<(String, String), String> {
    let names = strings(&c.matches, "args");
    if names.is_empty() {
        return Err("\"chartroom uninstall\" requires at least 1 argument".to_string());
    }
    if c.matches.get_flag("dry-run") {
        // Helm's dry run only checks that each release exists.
        let mut out = String::new();
        for name in names {
            get::release_content(cluster, &name, 0).await?;
            out.push_str(&format!("release \"{name}\" uninstalled\n"));
        }
        return Ok((out, String::new()));
    }
    let cascade = c.matches.get_one::<String>("cascade");
    let options = actions::UninstallOptions {
        keep_history: c.matches.get_flag("keep-history"),
        description: c.matches.get_one::<String>("description").cloned(),
        ignore_not_found: c.matches.get_flag("ignore-not-found"),
        cascade: actions::Cascade::parse(cascade.map_or("background", |s| s.as_str()))?,
        run: run_options(c)?,
    };
    // Each release's lines stay printed when a later one fails, as helm's do.
    for name in names {
        let out = actions::uninstall_with(cluster, &name, &options).await?;
        printed.borrow_mut().push_str(&out);
    }
    Ok((String::new(), String::new()))
}

/// An integer flag, with the error text of cobra's `IntVar`.
fn int_flag(c: &ClusterCommand, name: &str, default: i64) -> Result<i64, String> {
    match c.matches.get_one::<String>(name) {
        None => Ok(default),
        Some(s) => s.parse().map_err(|_| {
            format!(
                "invalid argument {s:?} for \"{}\" flag: strconv.ParseInt: parsing {s:?}: invalid syntax",
                flag_names(&c.name, name)
            )
        }),
    }
}

/// How cobra names a flag in errors: `-m, --max` when it has a shorthand.
fn flag_names(command: &str, name: &str) -> String {
    let short = commands()
        .into_iter()
        .find(|cmd| cmd.get_name() == command)
        .and_then(|cmd| {
            cmd.get_arguments()
                .find(|a| a.get_id() == name)
                .and_then(|a| a.get_short())
        });
    match short {
        Some(ch) => format!("-{ch}, --{name}"),
        None => format!("--{name}"),
    }
}

fn upgrade_request(
    c: &ClusterCommand,
    name: String,
    chart: crate::chart::Chart,
) -> Result<upgrade::UpgradeRequest, String> {
    let m = &c.matches;
    Ok(upgrade::UpgradeRequest {
        name,
        chart,
        values: value_options(&strings(m, "values"), &value_flags(m))?,
        read_file: Box::new(read_text),
        mode: upgrade::ValuesMode::from_flags(
            m.get_flag("reset-values"),
            m.get_flag("reuse-values"),
            m.get_flag("reset-then-reuse-values"),
        ),
        install: m.get_flag("install"),
        create_namespace: m.get_flag("create-namespace"),
        skip_crds: m.get_flag("skip-crds"),
        description: m.get_one::<String>("description").cloned(),
        max_history: int_flag(c, "history-max", upgrade::DEFAULT_MAX_HISTORY)?,
        labels: labels_flag(c)?,
        exec: exec_options(None),
        run: run_options(c)?,
        disable_openapi_validation: m.get_flag("disable-openapi-validation"),
        render: render_flags(c),
    })
}

/// `helm list`.
async fn list_releases(
    c: &ClusterCommand,
    cluster: &Cluster,
    format: Format,
) -> Result<(String, String), String> {
    let m = &c.matches;
    let count = |name: &str, default: i64| -> Result<usize, String> {
        Ok(usize::try_from(int_flag(c, name, default)?).unwrap_or(0))
    };
    let opts = list::ListOptions {
        all: m.get_flag("all"),
        deployed: m.get_flag("deployed"),
        failed: m.get_flag("failed"),
        pending: m.get_flag("pending"),
        superseded: m.get_flag("superseded"),
        uninstalled: m.get_flag("uninstalled"),
        uninstalling: m.get_flag("uninstalling"),
        filter: m.get_one::<String>("filter").cloned(),
        by_date: m.get_flag("date"),
        reverse: m.get_flag("reverse"),
        limit: count("max", 256)?,
        offset: count("offset", 0)?,
        selector: m.get_one::<String>("selector").cloned().unwrap_or_default(),
    };
    let namespace = (!m.get_flag("all-namespaces")).then_some(cluster.namespace.as_str());
    let records = crate::kube::secrets::Secrets::new(cluster, namespace)
        .all()
        .await?;
    let shown = list::select(&records, &opts)?;
    let time_format = m.get_one::<String>("time-format").map(String::as_str);
    let out = if m.get_flag("short") {
        let names: Vec<String> = shown.iter().map(|r| r.name.clone()).collect();
        format.write(
            || Ok(output::strings_json(&names)),
            || Ok(names.iter().map(|n| format!("{n}\n")).collect()),
        )?
    } else {
        format.write(
            || output::list_json(&shown, time_format),
            || {
                Ok(print::list_table(
                    &shown,
                    m.get_flag("no-headers"),
                    time_format,
                ))
            },
        )?
    };
    Ok((out, String::new()))
}

/// `helm upgrade`. With `--install` and no release, Helm prints its
/// "does not exist" line (table format) before it installs, so the line is
/// written to `printed`, which stays printed if the install fails.
async fn upgrade(
    c: &ClusterCommand,
    cluster: &Cluster,
    format: Format,
    printed: &RefCell<String>,
    logged: &RefCell<String>,
) -> Result<(String, String), String> {
    let args = exact_args(c, 2)?;
    let (name, chart_path) = (args[0].clone(), args[1].clone());
    let quoted = crate::template::strconv::quote(&name);
    // Helm reads --history-max while parsing flags.
    int_flag(c, "history-max", upgrade::DEFAULT_MAX_HISTORY)?;
    let replace = match c.matches.get_flag("install") {
        true => upgrade::install_instead(cluster, &name).await?,
        false => None,
    };
    if replace.is_some() && format == Format::Table {
        printed.borrow_mut().push_str(&format!(
            "Release {quoted} does not exist. Installing it now.\n"
        ));
    }
    let dry_run =
        dry_run::parse_option(c.matches.get_one::<String>("dry-run").map(String::as_str))?;
    let (release, warnings) = match replace {
        Some(replace) if dry_run => {
            run_install(c, cluster, name, &chart_path, replace, logged).await?
        }
        _ => {
            let chart = load_chart(&chart_path, logged)?;
            // `upgrade --install` of a new release is Helm's install.
            let action = match replace {
                Some(_) => Action::Install,
                None => Action::Upgrade,
            };
            warn_if_deprecated(&chart, action, logged);
            if let Err(e) = dry_run_flag(c) {
                // An upgrade fails, an install reports it as is.
                return Err(match replace {
                    Some(_) => e,
                    None => format!("UPGRADE FAILED: {e}"),
                });
            }
            let req = upgrade_request(c, name, chart)?;
            let done = if dry_run {
                dry_run::upgrade(cluster, &req)
                    .await
                    .map(|(r, w)| upgrade::Upgraded::Upgraded(r, w))
                    .map_err(upgrade::UpgradeError::Upgrade)
            } else {
                upgrade::upgrade_or_install(cluster, req, replace).await
            };
            match done {
                Ok(upgrade::Upgraded::Installed(r, w)) => (r, w),
                Ok(upgrade::Upgraded::Upgraded(r, w)) => {
                    if format == Format::Table {
                        printed.borrow_mut().push_str(&format!(
                            "Release {quoted} has been upgraded. Happy Helming!\n"
                        ));
                    }
                    (r, w)
                }
                Err(upgrade::UpgradeError::Install(e)) => return Err(e),
                Err(upgrade::UpgradeError::Upgrade(e)) => {
                    return Err(format!("UPGRADE FAILED: {e}"))
                }
            }
        }
    };
    let stderr = super::stderr_lines(&warnings);
    Ok((print_release(c, format, &release)?, stderr))
}

async fn rollback(c: &ClusterCommand, cluster: &Cluster) -> Result<(String, String), String> {
    let args = strings(&c.matches, "args");
    if args.is_empty() {
        return Err("\"chartroom rollback\" requires at least 1 argument".to_string());
    }
    let to = match args.get(1) {
        None => 0,
        Some(s) => s
            .parse()
            .map_err(|_| format!("could not convert revision to a number: strconv.Atoi: parsing {s:?}: invalid syntax"))?,
    };
    let max_history = int_flag(c, "history-max", upgrade::DEFAULT_MAX_HISTORY)?;
    let run = run_options(c)?;
    if c.matches.get_flag("dry-run") {
        // Helm's dry run stops after preparing the rollback.
        let history = crate::kube::secrets::Secrets::new(cluster, Some(&cluster.namespace))
            .history(&args[0])
            .await?;
        crate::release::state::plan_rollback(&history, to)?;
    } else {
        upgrade::rollback(cluster, &args[0], to, max_history, &run).await?;
    }
    Ok((
        "Rollback was a success! Happy Helming!\n".into(),
        String::new(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn generated_names_use_the_chart_base() {
        let named = |a: &[&str], g: bool, t: Option<&str>| {
            install_name_and_chart(&args(a), g, t, 1_700_000_000)
        };
        assert_eq!(
            named(&["./charts/web/"], true, None).unwrap(),
            ("web-1700000000".to_string(), "./charts/web/".to_string())
        );
        assert_eq!(
            named(&["web-1.2.3.tgz"], true, None).unwrap().0,
            "web-1-1700000000"
        );
        assert_eq!(named(&["."], true, None).unwrap().0, "chart-1700000000");
        assert_eq!(
            named(&["web"], false, None).unwrap_err(),
            "must either provide a name or specify --generate-name"
        );
        assert_eq!(
            named(&["n", "web"], true, None).unwrap_err(),
            "cannot set --generate-name and also specify a name"
        );
        assert_eq!(
            named(&["n", "web"], false, Some("x")).unwrap_err(),
            "cannot set --name-template and also specify a name"
        );
        assert_eq!(
            named(&["a", "b", "c", "d"], false, None).unwrap_err(),
            "expected at most two arguments, unexpected arguments: c, d"
        );
        assert_eq!(
            named(&["web"], false, Some("{{ \"pre\" }}-x")).unwrap().0,
            "pre-x"
        );
        assert_eq!(named(&["n", "web"], false, None).unwrap().0, "n");
    }

    #[test]
    fn go_base_like_filepath_base() {
        assert_eq!(go_base(""), ".");
        assert_eq!(go_base("///"), "/");
        assert_eq!(go_base("a/b//"), "b");
        assert_eq!(go_base("b"), "b");
    }
}
