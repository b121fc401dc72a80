//! `helm upgrade` and `helm rollback` on a cluster, following Helm v3.21.4's
//! `pkg/action/upgrade.go`, `rollback.go` and `cmd/helm/upgrade.go`:
//!
//! - upgrade: refuse while the latest revision is pending, pick the values
//!   (`--reuse-values`, `--reset-values`, `--reset-then-reuse-values`, or the
//!   previous values when none are given: [`upgrade_values`]), render as an
//!   upgrade, refuse to adopt objects another release owns, store
//!   `pending-upgrade` (pruning to `--history-max` first), run the
//!   `pre-upgrade` hooks, apply the new objects, delete the ones that left
//!   the chart (unless `helm.sh/resource-policy: keep` is on the live
//!   object), wait (`--wait`), run the `post-upgrade` hooks, then mark the
//!   replaced revision `superseded` and the new one `deployed`; a failure
//!   marks the new revision `failed` (`Upgrade "NAME" failed: …`) and, with
//!   `--atomic`, rolls back to the latest deployed or superseded revision;
//! - `--install` installs when the release has no history, or re-installs
//!   (Helm's replace) when its latest record is uninstalled;
//! - rollback: a new revision with the target's chart, values, manifest,
//!   hooks and notes, described "Rollback to N", applied like an upgrade
//!   between the `pre-rollback` and `post-rollback` hooks (a failing hook
//!   leaves the revision `pending-rollback`, as Helm does), waited for with
//!   `--wait` (`failed` on timeout); every deployed revision becomes
//!   `superseded`.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::actions::{install, now, InstallRequest, ReadFile, RenderFlags};
use super::client::Cluster;
use super::hooks::{run_hooks, wait_then_post_hooks};
use super::labels::merge_custom;
use super::objects::{check_ownership, keeps, parse_manifest, Resource};
use super::options::RunOptions;
use super::secrets::Secrets;
use super::wait::{wait_for_resources, Target};
use crate::api::{self, RenderOptions};
use crate::chart::Chart;
use crate::release::state::{
    description, plan_rollback, plan_upgrade, upgrade_install, UpgradeInstall,
};
use crate::release::storage::{
    contains_system_labels, list_order, prune_plan, system_labels_error, user_labels,
};
use crate::release::{Hook, HookEvent, Info, Release, ReleaseChart, Status};
use crate::template::{DefaultHost, ExecOptions, Host};
use crate::value::Map;
use crate::values::coalesce::{coalesce_tables, coalesce_values};
use crate::values::options::ValueOptions;

/// Helm's default `--history-max`.
pub const DEFAULT_MAX_HISTORY: i64 = 10;

/// Which values an upgrade keeps from the revision it replaces.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ValuesMode {
    /// The given values; the previous ones when none are given.
    #[default]
    Default,
    /// `--reuse-values`: the previous values under the given ones, and the
    /// previous chart's defaults.
    Reuse,
    /// `--reset-values`: only the given values.
    Reset,
    /// `--reset-then-reuse-values`: the previous values under the given
    /// ones, with the new chart's defaults.
    ResetThenReuse,
}

impl ValuesMode {
    /// The mode of the flags, checked in Helm's order (reset first).
    pub fn from_flags(reset: bool, reuse: bool, reset_then_reuse: bool) -> ValuesMode {
        if reset {
            ValuesMode::Reset
        } else if reuse {
            ValuesMode::Reuse
        } else if reset_then_reuse {
            ValuesMode::ResetThenReuse
        } else {
            ValuesMode::Default
        }
    }
}

/// The values an upgrade stores and renders with, and whether they differ
/// from the user's flags. With [`ValuesMode::Reuse`] the chart's defaults
/// become the previous chart's defaults coalesced with the previous values.
pub fn upgrade_values(
    mode: ValuesMode,
    chart: &mut Chart,
    given: Map,
    current: &Release,
) -> Result<(Map, bool), String> {
    match mode {
        ValuesMode::Reset => Ok((given, false)),
        ValuesMode::Reuse => {
            let old_chart = previous_chart(current);
            let old = coalesce_values(&old_chart, &current.config)
                .map_err(|e| format!("failed to rebuild old values: {e}"))?;
            coalesce_tables(&given, &current.config.deep_clone());
            chart.values = old.values;
            Ok((given, true))
        }
        ValuesMode::ResetThenReuse => {
            coalesce_tables(&given, &current.config.deep_clone());
            Ok((given, true))
        }
        ValuesMode::Default if given.is_empty() && !current.config.is_empty() => {
            Ok((current.config.deep_clone(), true))
        }
        ValuesMode::Default => Ok((given, false)),
    }
}

/// The chart of a stored record, enough to coalesce its values (a record
/// keeps no subcharts).
fn previous_chart(current: &Release) -> Chart {
    let stored = current.chart.as_ref();
    Chart {
        metadata: stored.and_then(|c| c.metadata.clone()).unwrap_or_default(),
        values: stored.and_then(|c| c.values.clone()).unwrap_or_default(),
        ..Chart::default()
    }
}

/// What `helm upgrade` takes besides the cluster.
pub struct UpgradeRequest {
    pub name: String,
    pub chart: Chart,
    pub values: ValueOptions,
    pub read_file: ReadFile,
    pub mode: ValuesMode,
    /// `--install`.
    pub install: bool,
    pub create_namespace: bool,
    pub skip_crds: bool,
    pub description: Option<String>,
    /// `--history-max` (0: no limit).
    pub max_history: i64,
    /// `--labels`: merged over the last revision's (`null` removes a key).
    pub labels: BTreeMap<String, String>,
    pub exec: ExecOptions,
    /// `--no-hooks`, `--wait`, `--wait-for-jobs`, `--timeout`, `--atomic`.
    pub run: RunOptions,
    /// `--disable-openapi-validation`.
    pub disable_openapi_validation: bool,
    /// `--skip-schema-validation`, `--render-subchart-notes`, `--hide-secret`.
    pub render: RenderFlags,
}

/// What an upgrade did.
pub enum Upgraded {
    /// `--install` of a release with no history.
    Installed(Release, Vec<String>),
    Upgraded(Release, Vec<String>),
}

/// Why an upgrade failed.
#[derive(Debug, PartialEq, Eq)]
pub enum UpgradeError {
    /// `--install` installed and failed: Helm prints the message as is.
    Install(String),
    /// The message after `UPGRADE FAILED: `.
    Upgrade(String),
}

/// `helm upgrade`.
pub async fn upgrade(cluster: &Cluster, req: UpgradeRequest) -> Result<Upgraded, UpgradeError> {
    let replace = match req.install {
        false => None,
        true => install_instead(cluster, &req.name)
            .await
            .map_err(UpgradeError::Upgrade)?,
    };
    upgrade_or_install(cluster, req, replace).await
}

/// Whether `upgrade --install` installs instead (Helm's check of the
/// release's history): `Some(replace)` to install (`replace` when only
/// uninstalled records remain), `None` to upgrade.
pub async fn install_instead(cluster: &Cluster, name: &str) -> Result<Option<bool>, String> {
    let mut history = Secrets::new(cluster, Some(&cluster.namespace))
        .history(name)
        .await?;
    list_order(&mut history);
    Ok(match upgrade_install(&history) {
        UpgradeInstall::Upgrade => None,
        UpgradeInstall::Install { replace } => Some(replace),
    })
}

/// [`upgrade`] once [`install_instead`] has decided.
pub async fn upgrade_or_install(
    cluster: &Cluster,
    req: UpgradeRequest,
    replace: Option<bool>,
) -> Result<Upgraded, UpgradeError> {
    if let Some(replace) = replace {
        let (r, w) = install(
            cluster,
            InstallRequest {
                name: req.name,
                chart: req.chart,
                values: req.values,
                read_file: req.read_file,
                create_namespace: req.create_namespace,
                skip_crds: req.skip_crds,
                replace,
                description: req.description,
                labels: req.labels,
                exec: req.exec,
                run: req.run,
                disable_openapi_validation: req.disable_openapi_validation,
                render: req.render,
            },
        )
        .await
        .map_err(UpgradeError::Install)?;
        return Ok(Upgraded::Installed(r, w));
    }
    upgrade_existing(cluster, req)
        .await
        .map_err(UpgradeError::Upgrade)
}

/// `helm upgrade` of a release with history. `Err` is the message after
/// `UPGRADE FAILED: `.
/// What an upgrade prepares before it stores anything (Helm's
/// `prepareUpgrade`, shared with `--dry-run`): the release's history, the
/// record being upgraded, the new record (not yet given a status), the
/// changes to apply and the render's warnings.
pub(crate) struct PreparedUpgrade {
    pub history: Vec<Release>,
    pub current: Release,
    pub release: Release,
    pub changes: Changes,
    pub warnings: Vec<String>,
}

/// Plans, renders with the cluster's capabilities, builds the new manifest
/// (its error unwrapped, as Helm's is) and works out what would change.
pub(crate) async fn prepare_upgrade(
    cluster: &Cluster,
    req: &UpgradeRequest,
) -> Result<PreparedUpgrade, String> {
    let history = Secrets::new(cluster, Some(&cluster.namespace))
        .history(&req.name)
        .await?;
    let plan = plan_upgrade(&req.name, &history)?;
    let last_labels = history
        .iter()
        .max_by_key(|r| r.version)
        .map(|r| r.labels.clone())
        .unwrap_or_default();
    let current = history
        .iter()
        .find(|r| r.version == plan.current)
        .cloned()
        .unwrap_or_default();

    let given = req.values.merge(&*req.read_file)?;
    let mut chart = req.chart.clone();
    let (config, _) = upgrade_values(req.mode, &mut chart, given, &current)?;
    let options = RenderOptions {
        release_name: req.name.clone(),
        namespace: cluster.namespace.clone(),
        is_upgrade: true,
        revision: plan.revision,
        exec: req.exec,
        skip_schema_validation: req.render.skip_schema_validation,
        output: req.render.output(),
        ..RenderOptions::default()
    };
    let caps = cluster.capabilities().await?;
    let host: Rc<dyn Host> = Rc::new(DefaultHost::default());
    let rendered = api::render_chart_values(
        chart.clone(),
        &options,
        config.deep_clone(),
        Some(&caps),
        Some(host),
    )
    .map_err(|f| f.error.message)?;
    if contains_system_labels(&req.labels) {
        return Err(system_labels_error());
    }

    super::validate::build(
        cluster,
        rendered.release_manifest(),
        false,
        !req.disable_openapi_validation,
    )
    .await?;
    let changes = prepare_update(
        cluster,
        &req.name,
        &current.manifest,
        rendered.release_manifest(),
        "update",
    )
    .await?;

    let t = now();
    let first = current.info.as_ref().map_or(t, |i| i.first_deployed);
    let release = Release {
        name: req.name.clone(),
        namespace: cluster.namespace.clone(),
        info: Some(Info {
            first_deployed: first,
            last_deployed: t,
            notes: rendered.notes.clone(),
            ..Info::default()
        }),
        chart: Some(ReleaseChart::from_chart(&chart)?),
        config,
        manifest: rendered.release_manifest().to_string(),
        hooks: rendered.hooks.iter().map(Hook::from_rendered).collect(),
        version: plan.revision,
        labels: merge_custom(&last_labels, &req.labels),
    };
    Ok(PreparedUpgrade {
        history,
        current,
        release,
        changes,
        warnings: rendered.warnings.clone(),
    })
}

async fn upgrade_existing(cluster: &Cluster, req: UpgradeRequest) -> Result<Upgraded, String> {
    let secrets = Secrets::new(cluster, Some(&cluster.namespace));
    let PreparedUpgrade {
        history,
        mut current,
        mut release,
        changes,
        warnings,
    } = prepare_upgrade(cluster, &req).await?;
    release.set_status(Status::PendingUpgrade, description::UPGRADE_PREPARING);
    store_pruned(&secrets, &history, &release, req.max_history).await?;

    if let Err(e) = perform_upgrade(cluster, &secrets, &mut release, changes, &req.run).await {
        return Err(fail_upgrade(cluster, &secrets, &mut release, e, &req.run).await);
    }
    current.info.get_or_insert_with(Info::default).status = Status::Superseded;
    // Helm only logs a failure here (the record may have been pruned).
    let _ = secrets.update(&current).await;
    let done = req
        .description
        .unwrap_or_else(|| description::UPGRADE_COMPLETE.to_string());
    release.set_status(Status::Deployed, done);
    secrets.update(&release).await?;
    Ok(Upgraded::Upgraded(release, warnings))
}

/// Helm's `releasingUpgrade` up to success: `pre-upgrade` hooks, the
/// update, the wait, `post-upgrade` hooks. `Err` is why it failed.
async fn perform_upgrade(
    cluster: &Cluster,
    secrets: &Secrets<'_>,
    release: &mut Release,
    changes: Changes,
    run: &RunOptions,
) -> Result<(), String> {
    run_hooks(cluster, secrets, release, HookEvent::PreUpgrade, run)
        .await
        .map_err(|e| format!("pre-upgrade hooks failed: {e}"))?;
    let targets = changes.apply.clone();
    apply_update(cluster, changes).await?;
    wait_then_post_hooks(
        cluster,
        secrets,
        release,
        &targets,
        HookEvent::PostUpgrade,
        run,
        |e| format!("post-upgrade hooks failed: {e}"),
    )
    .await
}

/// Helm's `Upgrade.failRelease`: the record becomes `failed`; with
/// `--atomic` the release is rolled back (waiting) to its latest deployed
/// or superseded revision. Returns the error to report.
async fn fail_upgrade(
    cluster: &Cluster,
    secrets: &Secrets<'_>,
    release: &mut Release,
    error: String,
    run: &RunOptions,
) -> String {
    let name = release.name.clone();
    release.set_status(Status::Failed, description::upgrade_failed(&name, &error));
    // Helm ignores a failure to record here: it has an error to report.
    let _ = secrets.update(release).await;
    if !run.atomic {
        return error;
    }
    let history = match secrets.history(&name).await {
        Ok(h) => h,
        Err(e) => {
            return format!(
                "an error occurred while finding last successful release. original upgrade error: {error}: {e}"
            )
        }
    };
    let Some(target) = history
        .iter()
        .filter(|r| matches!(r.status(), Status::Superseded | Status::Deployed))
        .map(|r| r.version)
        .max()
    else {
        return format!(
            "unable to find a previously successful release when attempting to rollback. original upgrade error: {error}"
        );
    };
    let undo = RunOptions {
        wait: true,
        atomic: false,
        ..run.clone()
    };
    match rollback(cluster, &name, target, 0, &undo).await {
        Err(e) => format!(
            "an error occurred while rolling back the release. original upgrade error: {error}: {e}"
        ),
        Ok(_) => format!(
            "release {name} failed, and has been rolled back due to atomic being set: {error}"
        ),
    }
}

/// `helm rollback NAME [REVISION]` (0: the revision before the latest).
pub async fn rollback(
    cluster: &Cluster,
    name: &str,
    to: i64,
    max_history: i64,
    run: &RunOptions,
) -> Result<Release, String> {
    let secrets = Secrets::new(cluster, Some(&cluster.namespace));
    let history = secrets.history(name).await?;
    let plan = plan_rollback(&history, to)?;
    let find = |v: i64| history.iter().find(|r| r.version == v).cloned();
    let mut current = find(plan.current).unwrap_or_default();
    let previous = find(plan.target).unwrap_or_default();

    let previous_info = previous.info.clone().unwrap_or_default();
    let first = current
        .info
        .as_ref()
        .map_or(previous_info.first_deployed, |i| i.first_deployed);
    let mut release = Release {
        name: name.to_string(),
        namespace: current.namespace.clone(),
        info: Some(Info {
            first_deployed: first,
            last_deployed: now(),
            notes: previous_info.notes.clone(),
            ..Info::default()
        }),
        chart: previous.chart.clone(),
        config: previous.config.clone(),
        manifest: previous.manifest.clone(),
        hooks: previous.hooks.clone(),
        version: plan.revision,
        labels: user_labels(&previous.labels),
    };
    release.set_status(
        Status::PendingRollback,
        description::rollback_to(plan.target),
    );
    store_pruned(&secrets, &history, &release, max_history).await?;

    let applied = match prepare_update(
        cluster,
        name,
        &current.manifest,
        &release.manifest,
        "rollback",
    )
    .await
    {
        Ok(changes) => {
            run_hooks(cluster, &secrets, &mut release, HookEvent::PreRollback, run).await?;
            let targets: Vec<Target> = changes.apply.clone();
            apply_update(cluster, changes).await.map(|_| targets)
        }
        Err(e) => Err(e),
    };
    let targets = match applied {
        Ok(targets) => targets,
        Err(e) => {
            current.info.get_or_insert_with(Info::default).status = Status::Superseded;
            let _ = secrets.update(&current).await;
            release.set_status(Status::Failed, description::rollback_failed(name, &e));
            secrets.update(&release).await?;
            return Err(e);
        }
    };
    if run.waits() {
        if let Err(e) = wait_for_resources(cluster, &targets, run.timeout, run.wait_for_jobs).await
        {
            release.set_status(Status::Failed, description::release_failed(name, &e));
            let _ = secrets.update(&current).await;
            let _ = secrets.update(&release).await;
            return Err(format!("release {name} failed: {e}"));
        }
    }
    run_hooks(
        cluster,
        &secrets,
        &mut release,
        HookEvent::PostRollback,
        run,
    )
    .await?;
    for r in history.iter().filter(|r| r.status() == Status::Deployed) {
        let mut r = r.clone();
        r.info.get_or_insert_with(Info::default).status = Status::Superseded;
        let _ = secrets.update(&r).await;
    }
    let info = release.info.get_or_insert_with(Info::default);
    info.status = Status::Deployed;
    secrets.update(&release).await?;
    Ok(release)
}

/// `Storage.Create` with `--history-max`: deletes the oldest revisions
/// ([`prune_plan`]) and stores `release`.
async fn store_pruned(
    secrets: &Secrets<'_>,
    history: &[Release],
    release: &Release,
    max_history: i64,
) -> Result<(), String> {
    let doomed = prune_plan(history, max_history);
    let mut errors = Vec::new();
    for v in &doomed {
        if let Err(e) = secrets.delete(&release.name, *v).await {
            errors.push(e);
        }
    }
    if let Some(first) = errors.first() {
        return Err(format!(
            "encountered {} deletion errors. First is: {first}",
            errors.len()
        ));
    }
    secrets.create(release).await
}

/// The objects an update applies and deletes.
pub struct Changes {
    apply: Vec<(Resource, ::kube::discovery::ApiResource)>,
    delete: Vec<(Resource, ::kube::discovery::ApiResource)>,
}

/// Helm's object identity for `ResourceList.Difference`: group, kind,
/// namespace, name.
fn identity(r: &Resource) -> (String, String, String, String) {
    (
        r.group_version().0.to_string(),
        r.kind.clone(),
        r.namespace.clone().unwrap_or_default(),
        r.name.clone(),
    )
}

/// Resolves both manifests, checks that objects new to the release are
/// not owned by another (`Unable to continue with {verb}: …`) and puts
/// Helm's ownership metadata on the target objects.
pub(crate) async fn prepare_update(
    cluster: &Cluster,
    name: &str,
    current_manifest: &str,
    target_manifest: &str,
    verb: &str,
) -> Result<Changes, String> {
    let mut current = Vec::new();
    // Objects of the current manifest whose kind is no longer served
    // cannot be compared or deleted; Helm fails to build them too, but an
    // upgrade must still be possible, so they are skipped.
    for mut r in parse_manifest(current_manifest).unwrap_or_default() {
        if let Ok(api) = cluster.prepare(&mut r).await {
            current.push((r, api));
        }
    }
    let mut apply = Vec::new();
    for mut r in parse_manifest(target_manifest)
        .map_err(|e| format!("unable to build kubernetes objects from new release manifest: {e}"))?
    {
        let api = cluster.prepare(&mut r).await?;
        let id = identity(&r);
        let is_new = !current.iter().any(|(c, _)| identity(c) == id);
        if is_new {
            if let Some(existing) = cluster.get(&api, &r).await? {
                check_ownership(&existing, name, &cluster.namespace).map_err(|e| {
                    format!(
                        "Unable to continue with {verb}: {} exists and cannot be imported into the current release: {e}",
                        r.describe()
                    )
                })?;
            }
        }
        r.set_ownership(name, &cluster.namespace);
        apply.push((r, api));
    }
    let delete = current
        .into_iter()
        .filter(|(c, _)| !apply.iter().any(|(t, _)| identity(t) == identity(c)))
        .collect();
    Ok(Changes { apply, delete })
}

/// Helm's `Update`: applies the target objects, then deletes the ones
/// that left the release unless the live object has the keep policy
/// (failed deletes are only logged by Helm, and skipped here).
async fn apply_update(cluster: &Cluster, changes: Changes) -> Result<(), String> {
    for (r, api) in &changes.apply {
        cluster.apply(api, r).await?;
    }
    for (r, api) in &changes.delete {
        match cluster.get(api, r).await {
            Ok(Some(live)) if !keeps(&live) => {
                let _ = cluster.delete(api, r).await;
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    fn map(yaml: &str) -> Map {
        crate::yaml::from_yaml_map(yaml).unwrap()
    }

    fn yaml(m: &Map) -> String {
        crate::yaml::to_json(&Value::Map(m.clone())).unwrap()
    }

    fn current(config: &str, chart_values: &str) -> Release {
        Release {
            name: "web".into(),
            version: 1,
            config: map(config),
            chart: Some(ReleaseChart {
                values: Some(map(chart_values)),
                ..ReleaseChart::default()
            }),
            ..Release::default()
        }
    }

    fn chart(values: &str) -> Chart {
        Chart {
            values: map(values),
            ..Chart::default()
        }
    }

    #[test]
    fn flags_pick_the_mode_in_helms_order() {
        assert_eq!(ValuesMode::from_flags(true, true, true), ValuesMode::Reset);
        assert_eq!(ValuesMode::from_flags(false, true, true), ValuesMode::Reuse);
        assert_eq!(
            ValuesMode::from_flags(false, false, true),
            ValuesMode::ResetThenReuse
        );
        assert_eq!(
            ValuesMode::from_flags(false, false, false),
            ValuesMode::Default
        );
    }

    #[test]
    fn default_keeps_previous_values_only_when_none_are_given() {
        let cur = current("a: 1\nb: 2\n", "a: 0\n");
        let mut c = chart("a: 9\n");
        let (v, reused) = upgrade_values(ValuesMode::Default, &mut c, Map::new(), &cur).unwrap();
        assert!(reused);
        assert_eq!(yaml(&v), r#"{"a":1,"b":2}"#);
        let (v, reused) = upgrade_values(ValuesMode::Default, &mut c, map("b: 3\n"), &cur).unwrap();
        assert!(!reused);
        assert_eq!(yaml(&v), r#"{"b":3}"#);
        assert_eq!(yaml(&c.values), r#"{"a":9}"#);
    }

    #[test]
    fn reset_ignores_previous_values() {
        let cur = current("a: 1\n", "a: 0\n");
        let mut c = chart("a: 9\n");
        let (v, reused) = upgrade_values(ValuesMode::Reset, &mut c, Map::new(), &cur).unwrap();
        assert!(!reused);
        assert!(v.is_empty());
    }

    #[test]
    fn reuse_merges_previous_values_and_takes_the_old_defaults() {
        let cur = current("a: 1\nm: {p: 1, q: 2}\n", "a: 0\nold: true\n");
        let mut c = chart("a: 9\nnew: true\n");
        let (v, reused) =
            upgrade_values(ValuesMode::Reuse, &mut c, map("m: {q: 5}\n"), &cur).unwrap();
        assert!(reused);
        assert_eq!(yaml(&v), r#"{"a":1,"m":{"p":1,"q":5}}"#);
        assert_eq!(yaml(&c.values), r#"{"a":1,"m":{"p":1,"q":2},"old":true}"#);
        // The stored record is not changed.
        assert_eq!(yaml(&cur.config), r#"{"a":1,"m":{"p":1,"q":2}}"#);
    }

    #[test]
    fn reset_then_reuse_keeps_the_new_defaults() {
        let cur = current("a: 1\nb: 2\n", "a: 0\n");
        let mut c = chart("a: 9\n");
        let (v, _) =
            upgrade_values(ValuesMode::ResetThenReuse, &mut c, map("b: 3\n"), &cur).unwrap();
        assert_eq!(yaml(&v), r#"{"a":1,"b":3}"#);
        assert_eq!(yaml(&c.values), r#"{"a":9}"#);
    }
}
