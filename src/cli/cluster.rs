//! The cluster commands (features `cli` and `kube`): `install`, `upgrade`,
//! `rollback`, `uninstall`, `status`, `history` and `list` with Helm's flag
//! names (`--namespace`/`-n`, `--kubeconfig`, `--kube-context`,
//! `--create-namespace`, `--skip-crds`, `--description`, `--keep-history`,
//! `--ignore-not-found`, `--cascade`,
//! `--max`, `--install`, `--reuse-values`, `--reset-values`,
//! `--reset-then-reuse-values`, `--history-max` (also `--max-history`),
//! `--all-namespaces`/`-A`, `--all`/`-a`, `list`'s state, order and
//! paging flags and `--short`/`-q`, `-f`/`--set*`, `--no-hooks`,
//! `--wait`, `--wait-for-jobs`, `--timeout`, `--atomic`), Helm's messages
//! and error prefixes (`INSTALLATION FAILED: `, `UPGRADE FAILED: `).

use std::path::Path;

use clap::{Arg, ArgAction, ArgMatches};

use super::args::{single, strings, value_args, value_flags};
use super::{exec_options, read_text, value_options, Outcome};
use crate::kube::options::{parse_timeout, RunOptions};
use crate::kube::{actions, block_on, print, upgrade, Cluster, KubeOptions};

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

/// `helm list`'s state, order and paging flags and `--short`/`-q`.
fn list_args() -> Vec<Arg> {
    vec![
        flag("deployed").help("show deployed releases. If no other is specified, this will be automatically enabled"),
        flag("failed").help("show failed releases"),
        flag("pending").help("show pending releases"),
        flag("uninstalled").help("show uninstalled releases (if 'helm uninstall --keep-history' was used)"),
        flag("uninstalling").help("show releases that are currently being uninstalled"),
        flag("superseded").help("show superseded releases"),
        flag("date").short('d').help("sort by release date"),
        flag("reverse").short('r').help("reverse the sort order"),
        flag("short").short('q').help("output short (quiet) listing format"),
        single("max")
            .short('m')
            .allow_negative_numbers(true)
            .help("maximum number of releases to fetch (default 256)"),
        single("offset").allow_negative_numbers(true).help("next release index in the list, used to offset from start value"),
        single("filter").short('f').help("a regular expression (Perl compatible). Any releases that match the expression will be included in the results"),
    ]
}

/// The clap subcommands.
pub fn commands() -> Vec<clap::Command> {
    vec![
        clap::Command::new("install")
            .about("install a chart on the cluster")
            .arg(positional(2))
            .args(global_args())
            .args(value_args())
            .args([
                flag("create-namespace").help("create the release namespace if not present"),
                flag("skip-crds").help("if set, no CRDs will be installed"),
                flag("replace").help("re-use the given name, only if that name is a deleted release which remains in the history"),
                single("description").help("add a custom description"),
            ])
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
            ])
            .args(run_args("disable pre/post upgrade hooks", true, true, true)),
        clap::Command::new("rollback")
            .about("roll back a release to a previous revision")
            .arg(positional(2))
            .args(global_args())
            .arg(history_max())
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
            ])
            .args(run_args("prevent hooks from running during uninstallation", false, false, false))
            .arg(flag("wait").help("if set, will wait until all the resources are deleted before returning. It will wait for as long as --timeout")),
        clap::Command::new("status")
            .about("display the status of the named release")
            .arg(positional(1))
            .args(global_args()),
        clap::Command::new("history")
            .about("fetch release history")
            .arg(positional(1))
            .args(global_args())
            .arg(
                single("max")
                    .allow_negative_numbers(true)
                    .help("maximum number of revision to include in history (default 256)"),
            ),
        clap::Command::new("list")
            .about("list releases")
            .args(global_args())
            .args([
                flag("all-namespaces")
                    .short('A')
                    .help("list releases across all namespaces"),
                flag("all").short('a').help("show all releases without any filter applied"),
            ])
            .args(list_args()),
    ]
}

/// The command for clap's `matches` of subcommand `name`.
pub fn parse(name: &str, m: &ArgMatches) -> ClusterCommand {
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
    let result = block_on(async {
        let cluster = Cluster::connect(&c.kube).await?;
        match c.name.as_str() {
            "install" => install(c, &cluster).await,
            "upgrade" => upgrade(c, &cluster).await,
            "rollback" => rollback(c, &cluster).await,
            "uninstall" => uninstall(c, &cluster).await,
            "status" => {
                let name = exact_args(c, 1)?.remove(0);
                let r = actions::status(&cluster, &name).await?;
                Ok((print::status(&r), String::new()))
            }
            "history" => {
                let name = exact_args(c, 1)?.remove(0);
                let max = int_flag(c, "max", 256)?;
                let h =
                    actions::history(&cluster, &name, usize::try_from(max).unwrap_or(0)).await?;
                Ok((print::history(&h), String::new()))
            }
            "list" => list(c, &cluster).await,
            other => Err(format!("unknown command {other:?}")),
        }
    });
    match result.and_then(|r| r) {
        Ok((stdout, stderr)) => Outcome {
            stdout,
            stderr,
            code: 0,
        },
        Err(e) => Outcome::error(e),
    }
}

/// `helm list`: the table, or with `--short`/`-q` one name per line.
async fn list(c: &ClusterCommand, cluster: &Cluster) -> Result<(String, String), String> {
    let m = &c.matches;
    let options = crate::kube::list::ListOptions {
        all: m.get_flag("all"),
        deployed: m.get_flag("deployed"),
        failed: m.get_flag("failed"),
        pending: m.get_flag("pending"),
        uninstalled: m.get_flag("uninstalled"),
        uninstalling: m.get_flag("uninstalling"),
        superseded: m.get_flag("superseded"),
        by_date: m.get_flag("date"),
        reverse: m.get_flag("reverse"),
        limit: int_flag(c, "max", crate::kube::list::DEFAULT_LIMIT)?,
        offset: int_flag(c, "offset", 0)?,
        filter: m.get_one::<String>("filter").cloned(),
    };
    let releases = actions::list_with(cluster, m.get_flag("all-namespaces"), &options).await?;
    if m.get_flag("short") {
        let names: String = releases.iter().map(|r| format!("{}\n", r.name)).collect();
        return Ok((names, String::new()));
    }
    Ok((print::list(&releases), String::new()))
}

async fn install(c: &ClusterCommand, cluster: &Cluster) -> Result<(String, String), String> {
    let args = exact_args(c, 2)?;
    let (name, chart_path) = (args[0].clone(), args[1].clone());
    let m = &c.matches;
    let run = run_options(c)?;
    if !Path::new(&chart_path).exists() {
        return Err(format!(
            "INSTALLATION FAILED: path {} not found",
            crate::template::strconv::quote(&chart_path)
        ));
    }
    let absolute = std::path::absolute(&chart_path).unwrap_or_else(|_| chart_path.clone().into());
    let chart = crate::chart::load::load_path(&absolute)?;
    let values = value_options(&strings(m, "values"), &value_flags(m))?;
    let req = actions::InstallRequest {
        name,
        chart,
        values,
        read_file: Box::new(read_text),
        create_namespace: m.get_flag("create-namespace"),
        skip_crds: m.get_flag("skip-crds"),
        replace: m.get_flag("replace"),
        description: m.get_one::<String>("description").cloned(),
        exec: exec_options(None),
        run,
    };
    let (release, warnings) = actions::install(cluster, req)
        .await
        .map_err(|e| format!("INSTALLATION FAILED: {e}"))?;
    let stderr: String = warnings.iter().map(|w| format!("{w}\n")).collect();
    Ok((print::status(&release), stderr))
}

/// `helm uninstall NAME...`: each release in turn, stopping at the first
/// failure (whose error is then the only output).
async fn uninstall(c: &ClusterCommand, cluster: &Cluster) -> Result<(String, String), String> {
    let names = strings(&c.matches, "args");
    if names.is_empty() {
        return Err("\"chartroom uninstall\" requires at least 1 argument".to_string());
    }
    let cascade = c.matches.get_one::<String>("cascade");
    let options = actions::UninstallOptions {
        keep_history: c.matches.get_flag("keep-history"),
        description: c.matches.get_one::<String>("description").cloned(),
        ignore_not_found: c.matches.get_flag("ignore-not-found"),
        cascade: actions::Cascade::parse(cascade.map_or("background", |s| s.as_str()))?,
        run: run_options(c)?,
    };
    let mut out = String::new();
    for name in names {
        out.push_str(&actions::uninstall_with(cluster, &name, &options).await?);
    }
    Ok((out, String::new()))
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

async fn upgrade(c: &ClusterCommand, cluster: &Cluster) -> Result<(String, String), String> {
    let args = exact_args(c, 2)?;
    let (name, chart_path) = (args[0].clone(), args[1].clone());
    let m = &c.matches;
    let max_history = int_flag(c, "history-max", upgrade::DEFAULT_MAX_HISTORY)?;
    let run = run_options(c)?;
    if !Path::new(&chart_path).exists() {
        return Err(format!(
            "path {} not found",
            crate::template::strconv::quote(&chart_path)
        ));
    }
    let absolute = std::path::absolute(&chart_path).unwrap_or_else(|_| chart_path.clone().into());
    let chart = crate::chart::load::load_path(&absolute)?;
    let values = value_options(&strings(m, "values"), &value_flags(m))?;
    let req = upgrade::UpgradeRequest {
        name: name.clone(),
        chart,
        values,
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
        max_history,
        exec: exec_options(None),
        run,
    };
    let quoted = crate::template::strconv::quote(&name);
    let (head, release, warnings) = match upgrade::upgrade(cluster, req).await {
        Ok(upgrade::Upgraded::Installed(r, w)) => (
            format!("Release {quoted} does not exist. Installing it now.\n"),
            r,
            w,
        ),
        Ok(upgrade::Upgraded::Upgraded(r, w)) => (
            format!("Release {quoted} has been upgraded. Happy Helming!\n"),
            r,
            w,
        ),
        Err(upgrade::UpgradeError::Install(e)) => return Err(e),
        Err(upgrade::UpgradeError::Upgrade(e)) => return Err(format!("UPGRADE FAILED: {e}")),
    };
    let stderr: String = warnings.iter().map(|w| format!("{w}\n")).collect();
    Ok((format!("{head}{}", print::status(&release)), stderr))
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
    upgrade::rollback(cluster, &args[0], to, max_history, &run).await?;
    Ok((
        "Rollback was a success! Happy Helming!\n".into(),
        String::new(),
    ))
}
