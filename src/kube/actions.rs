//! Release operations against a cluster, following Helm v3.21.4's
//! `pkg/action` (`install.go`, `uninstall.go`, `status.go`, `history.go`,
//! `list.go`) over [`crate::release`]'s records and state checks:
//!
//! - install: refuse a name in use (`--replace` re-uses an uninstalled or
//!   failed one, superseding the latest unless it failed), create the
//!   charts' CRDs ([`super::crds`], unless `--skip-crds`), render with the
//!   cluster's capabilities ([`super::capabilities`]), refuse to adopt
//!   objects another release owns, create the namespace
//!   (`--create-namespace`), store `pending-install`, run the `pre-install`
//!   hooks, apply every object (server-side, with Helm's
//!   ownership metadata), wait (`--wait`), run the `post-install` hooks,
//!   then store `deployed`; a failure stores `failed` with Helm's
//!   description, or with `--atomic` uninstalls the release;
//! - uninstall: mark `uninstalling`, run the `pre-delete` hooks, delete the
//!   objects in uninstall order (keeping `helm.sh/resource-policy: keep`;
//!   a failure stops here: `failed to delete release: NAME`), wait for them
//!   to go (`--wait`), run the `post-delete` hooks, then mark `uninstalled`
//!   and supersede other deployed records (`--keep-history`) or delete
//!   every record;
//! - status, history, list: read the records.
//!
//! Upgrade and rollback are in [`super::upgrade`]; hooks in
//! [`super::hooks`]; waiting in [`super::wait`].

use std::collections::BTreeMap;
use std::rc::Rc;

use super::client::Cluster;
use super::crds::{chart_crds, install_crds};
use super::hooks::{run_hooks, wait_then_post_hooks};
use super::objects::{check_ownership, keeps, parse_manifest, sort_for_uninstall, Resource};
use super::options::RunOptions;
use super::secrets::Secrets;
use super::wait::{wait_for_delete, Target};
use crate::api::{self, RenderOptions};
use crate::chart::Chart;
use crate::release::state::{description, plan_install, plan_uninstall, UninstallPlan};
use crate::release::storage::{
    contains_system_labels, latest, sort_by_revision, system_labels_error, ERR_RELEASE_NOT_FOUND,
};
use crate::release::{Hook, HookEvent, Info, Release, ReleaseChart, Status, Timestamp};
use crate::template::{DefaultHost, ExecOptions, Host};
use crate::values::options::ValueOptions;

/// Reads a `--set-file` path.
pub type ReadFile = Box<dyn Fn(&str) -> Result<String, String>>;

/// What `helm install` takes besides the cluster.
pub struct InstallRequest {
    pub name: String,
    pub chart: Chart,
    pub values: ValueOptions,
    /// Reads `--set-file` paths.
    pub read_file: ReadFile,
    pub create_namespace: bool,
    pub skip_crds: bool,
    /// `--replace`: re-use the name of an uninstalled or failed release.
    pub replace: bool,
    /// `--description` (replaces "Install complete").
    pub description: Option<String>,
    /// `--labels`: user labels stored on the record and its Secret.
    pub labels: BTreeMap<String, String>,
    pub exec: ExecOptions,
    /// `--no-hooks`, `--wait`, `--wait-for-jobs`, `--timeout`, `--atomic`.
    pub run: RunOptions,
    /// `--disable-openapi-validation`.
    pub disable_openapi_validation: bool,
    /// `--skip-schema-validation`, `--render-subchart-notes`, `--hide-secret`.
    pub render: RenderFlags,
}

/// The rendering flags `install` and `upgrade` share.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RenderFlags {
    /// `--skip-schema-validation`: values are not checked against
    /// `values.schema.json`.
    pub skip_schema_validation: bool,
    /// `--render-subchart-notes`.
    pub render_subchart_notes: bool,
    /// `--hide-secret` (dry runs only): Secrets are left out of the
    /// manifest shown.
    pub hide_secret: bool,
}

impl RenderFlags {
    /// How the rendered objects are assembled.
    pub fn output(&self) -> crate::action::OutputOptions {
        crate::action::OutputOptions {
            render_subchart_notes: self.render_subchart_notes,
            hide_secret: self.hide_secret,
            ..crate::action::OutputOptions::default()
        }
    }
}

/// The time now as Helm records it (local time).
pub fn now() -> Timestamp {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = d.as_secs() as i64;
    let offset = crate::funcs::gotime::zone::Location::local()
        .lookup(secs)
        .offset;
    Timestamp::from_unix(secs, d.subsec_nanos(), i32::try_from(offset).unwrap_or(0))
}

/// What an install prepares before it stores anything (shared with
/// `--dry-run`): the new record (not yet given a status), the objects to
/// apply, each resolved and checked for adoption, and the render's warnings.
pub(crate) struct PreparedInstall {
    pub release: Release,
    pub targets: Vec<Target>,
    pub warnings: Vec<String>,
}

/// Helm's install up to storing the record: values, the chart's CRDs
/// (created before rendering; not on a dry run), the render with the
/// cluster's capabilities, the namespace (`--create-namespace`; not on a
/// dry run), the manifest built, and every object resolved and refused
/// when another release owns it.
pub(crate) async fn prepare_install(
    cluster: &Cluster,
    req: &InstallRequest,
    version: i64,
    dry_run: bool,
) -> Result<PreparedInstall, String> {
    let config = req.values.merge(&*req.read_file)?;
    let mut crds_created = false;
    if !req.skip_crds && !dry_run {
        if let Some(crds) = chart_crds(&req.chart, &config).filter(|c| !c.is_empty()) {
            install_crds(cluster, &crds).await?;
            crds_created = true;
        }
    }
    let caps = cluster.capabilities().await?;
    let options = RenderOptions {
        release_name: req.name.clone(),
        namespace: cluster.namespace.clone(),
        values: req.values.clone(),
        exec: req.exec,
        skip_schema_validation: req.render.skip_schema_validation,
        output: req.render.output(),
        ..RenderOptions::default()
    };
    if contains_system_labels(&req.labels) {
        return Err(system_labels_error());
    }
    let host: Rc<dyn Host> = Rc::new(DefaultHost::default());
    let rendered = api::render_chart_values(
        req.chart.clone(),
        &options,
        config.deep_clone(),
        Some(&caps),
        Some(host),
    )
    .map_err(|f| f.error.message)?;

    if req.create_namespace && !dry_run {
        cluster.ensure_namespace(&cluster.namespace).await?;
    }

    super::validate::build(
        cluster,
        rendered.release_manifest(),
        crds_created,
        !req.disable_openapi_validation,
    )
    .await
    .map_err(|e| format!("unable to build kubernetes objects from release manifest: {e}"))?;
    let resources = parse_manifest(rendered.release_manifest())
        .map_err(|e| format!("unable to build kubernetes objects from release manifest: {e}"))?;
    let mut targets = Vec::new();
    for mut resource in resources {
        let api = resolve_waiting(cluster, &mut resource, crds_created).await?;
        let existing = cluster
            .get(&api, &resource)
            .await
            .map_err(|e| format!("Unable to continue with install: {e}"))?;
        if let Some(existing) = existing {
            check_ownership(&existing, &req.name, &cluster.namespace).map_err(|e| {
                format!(
                    "Unable to continue with install: {} exists and cannot be imported into the current release: {e}",
                    resource.describe()
                )
            })?;
        }
        resource.set_ownership(&req.name, &cluster.namespace);
        targets.push((resource, api));
    }

    let t = now();
    let release = Release {
        name: req.name.clone(),
        namespace: cluster.namespace.clone(),
        info: Some(Info {
            first_deployed: t,
            last_deployed: t,
            notes: rendered.notes.clone(),
            ..Info::default()
        }),
        chart: Some(ReleaseChart::from_chart(&req.chart)?),
        config,
        manifest: rendered.release_manifest().to_string(),
        hooks: rendered.hooks.iter().map(Hook::from_rendered).collect(),
        version,
        labels: req.labels.clone(),
    };
    Ok(PreparedInstall {
        release,
        targets,
        warnings: rendered.warnings.clone(),
    })
}

/// `helm install`: the stored record (deployed) and warnings for stderr.
/// `Err` is the message after `INSTALLATION FAILED: `.
pub async fn install(
    cluster: &Cluster,
    req: InstallRequest,
) -> Result<(Release, Vec<String>), String> {
    let secrets = Secrets::new(cluster, Some(&cluster.namespace));
    // Helm's name check takes a history it cannot read as none.
    let history = secrets.history(&req.name).await.unwrap_or_default();
    let plan = plan_install(&history, req.replace)?;

    let PreparedInstall {
        mut release,
        targets,
        warnings,
    } = prepare_install(cluster, &req, plan.revision, false).await?;
    release.set_status(Status::PendingInstall, description::INSTALL_UNDERWAY);
    if let Some(last) = plan
        .supersede
        .and_then(|v| history.iter().find(|r| r.version == v))
    {
        let mut last = last.clone();
        last.set_status(Status::Superseded, description::SUPERSEDED_BY_NEW);
        secrets.update(&last).await?;
    }
    secrets.create(&release).await?;

    let done = req
        .description
        .clone()
        .unwrap_or_else(|| description::INSTALL_COMPLETE.to_string());
    match perform_install(cluster, &secrets, &mut release, &targets, &req.run).await {
        Ok(()) => {
            release.set_status(Status::Deployed, done);
            // Helm only logs a failure to record the deployed release.
            let _ = secrets.update(&release).await;
            Ok((release, warnings))
        }
        Err(e) => Err(fail_install(cluster, &secrets, &mut release, e, &req.run).await),
    }
}

/// Helm's `performInstall` after the record is stored: hooks, objects,
/// the wait. `Err` is the reason the install failed.
async fn perform_install(
    cluster: &Cluster,
    secrets: &Secrets<'_>,
    release: &mut Release,
    targets: &[Target],
    run: &RunOptions,
) -> Result<(), String> {
    run_hooks(cluster, secrets, release, HookEvent::PreInstall, run)
        .await
        .map_err(|e| format!("failed pre-install: {e}"))?;
    for (resource, api) in targets {
        cluster.apply(api, resource).await?;
    }
    wait_then_post_hooks(
        cluster,
        secrets,
        release,
        targets,
        HookEvent::PostInstall,
        run,
        |e| format!("failed post-install: {e}"),
    )
    .await
}

/// Helm's `Install.failRelease`: the error to report. The record becomes
/// `failed` (`Release "NAME" failed: …`); with `--atomic` the release is
/// uninstalled instead (hooks as `--no-hooks` says, history purged).
async fn fail_install(
    cluster: &Cluster,
    secrets: &Secrets<'_>,
    release: &mut Release,
    error: String,
    run: &RunOptions,
) -> String {
    let name = release.name.clone();
    release.set_status(Status::Failed, description::release_failed(&name, &error));
    if run.atomic {
        let undo = RunOptions {
            wait: false,
            atomic: false,
            ..run.clone()
        };
        return match uninstall(cluster, &name, false, None, &undo).await {
            Err(e) => format!(
                "an error occurred while uninstalling the release. original install error: {error}: {e}"
            ),
            Ok(_) => format!(
                "release {name} failed, and has been uninstalled due to atomic being set: {error}"
            ),
        };
    }
    // Helm ignores a failure to record here: it has an error to report.
    let _ = secrets.update(release).await;
    error
}

/// Resolves an object's API; right after CRDs were applied, waits up to
/// ten seconds for their kinds to be served.
async fn resolve_waiting(
    cluster: &Cluster,
    resource: &mut Resource,
    crds_applied: bool,
) -> Result<::kube::discovery::ApiResource, String> {
    let mut tries = if crds_applied { 20 } else { 0 };
    loop {
        match cluster.prepare(resource).await {
            Ok(api) => return Ok(api),
            Err(_) if tries > 0 => {
                tries -= 1;
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            }
            Err(e) => return Err(e),
        }
    }
}

/// `helm uninstall --cascade`: the deletion propagation policy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Cascade {
    #[default]
    Background,
    Foreground,
    Orphan,
}

impl Cascade {
    /// The flag's value, with the error text of Helm's `validateCascadeFlag`.
    pub fn parse(text: &str) -> Result<Cascade, String> {
        match text {
            "background" => Ok(Cascade::Background),
            "foreground" => Ok(Cascade::Foreground),
            "orphan" => Ok(Cascade::Orphan),
            other => Err(format!(
                "invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\""
            )),
        }
    }

    /// The API's `propagationPolicy`.
    pub fn policy(self) -> &'static str {
        match self {
            Cascade::Background => "Background",
            Cascade::Foreground => "Foreground",
            Cascade::Orphan => "Orphan",
        }
    }
}

/// What `helm uninstall` takes besides the cluster and the name.
#[derive(Clone, Debug, Default)]
pub struct UninstallOptions {
    /// `--keep-history`.
    pub keep_history: bool,
    /// `--description` (replaces "Uninstallation complete").
    pub description: Option<String>,
    /// `--ignore-not-found`: a release that cannot be loaded is no error.
    pub ignore_not_found: bool,
    /// `--cascade`.
    pub cascade: Cascade,
    /// `--no-hooks`, `--wait`, `--timeout`.
    pub run: RunOptions,
}

/// `helm uninstall` with the common options (no `--ignore-not-found`,
/// background cascade).
pub async fn uninstall(
    cluster: &Cluster,
    name: &str,
    keep_history: bool,
    description: Option<String>,
    run: &RunOptions,
) -> Result<String, String> {
    let options = UninstallOptions {
        keep_history,
        description,
        run: run.clone(),
        ..UninstallOptions::default()
    };
    uninstall_with(cluster, name, &options).await
}

/// `helm uninstall` (v3.21.4's `Uninstall.Run`): what it prints before
/// `release "NAME" uninstalled`. `Err` is Helm's error text. A failed
/// pre-delete hook leaves the stored record as it was; a failed deletion
/// (`failed to delete release: NAME`) leaves it `uninstalling`, with no
/// post-delete hooks and no purge; errors after the deletions (waiting,
/// post-delete hooks, purging) are reported together after the record is
/// finished.
pub async fn uninstall_with(
    cluster: &Cluster,
    name: &str,
    options: &UninstallOptions,
) -> Result<String, String> {
    let done = format!("release \"{name}\" uninstalled\n");
    let run = &options.run;
    if api::validate_release_name(name).is_err() {
        return Err(format!("uninstall: Release name is invalid: {name}"));
    }
    let secrets = Secrets::new(cluster, Some(&cluster.namespace));
    let history = match secrets.history(name).await {
        Ok(h) if !h.is_empty() => h,
        _ if options.ignore_not_found => return Ok(done),
        Ok(_) => {
            return Err(format!(
                "uninstall: Release not loaded: {name}: {ERR_RELEASE_NOT_FOUND}"
            ))
        }
        Err(e) => return Err(format!("uninstall: Release not loaded: {name}: {e}")),
    };
    let latest_version = match plan_uninstall(name, &history, options.keep_history)? {
        UninstallPlan::PurgeOnly => {
            purge(&secrets, &history)
                .await
                .map_err(|e| format!("uninstall: Failed to purge the release: {e}"))?;
            return Ok(done);
        }
        UninstallPlan::Uninstall { latest } => latest,
    };
    let mut release = history
        .iter()
        .find(|r| r.version == latest_version)
        .cloned()
        .ok_or_else(|| ERR_RELEASE_NOT_FOUND.to_string())?;
    release.set_status(Status::Uninstalling, description::DELETION_IN_PROGRESS);
    if let Some(info) = release.info.as_mut() {
        info.deleted = now();
    }
    run_hooks(cluster, &secrets, &mut release, HookEvent::PreDelete, run).await?;
    // Helm only logs a failure to store the record from here on.
    let _ = secrets.update(&release).await;

    let (deleted, kept) = match delete_release(cluster, &release, options.cascade).await {
        Ok(done) => done,
        Err(_) => return Err(format!("failed to delete release: {name}")),
    };
    let mut errors = Vec::new();
    if run.wait {
        if let Err(e) = wait_for_delete(cluster, &deleted, run.timeout).await {
            errors.push(e);
        }
    }
    if let Err(e) = run_hooks(cluster, &secrets, &mut release, HookEvent::PostDelete, run).await {
        errors.push(e);
    }

    let desc = options
        .description
        .clone()
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| description::UNINSTALL_COMPLETE.to_string());
    release.set_status(Status::Uninstalled, desc);
    let mut out = String::new();
    if !kept.is_empty() {
        out = format!("These resources were kept due to the resource policy:\n{kept}\n");
    }
    if options.keep_history {
        let _ = secrets.update(&release).await;
        // v3.21.4 supersedes every other deployed record (v3.10.1 does not).
        for r in secrets.history(name).await? {
            if r.version != release.version && r.status() == Status::Deployed {
                let mut r = r.clone();
                r.info.get_or_insert_with(Info::default).status = Status::Superseded;
                let _ = secrets.update(&r).await;
            }
        }
    } else if let Err(e) = purge(&secrets, &history).await {
        errors.push(format!("uninstall: Failed to purge the release: {e}"));
    }
    if !errors.is_empty() {
        return Err(format!(
            "uninstallation completed with {} error(s): {}",
            errors.len(),
            errors.join("; ")
        ));
    }
    out.push_str(&done);
    Ok(out)
}

/// Deletes every record of the history (Helm's `purgeReleases`: the first
/// failure stops it).
async fn purge(secrets: &Secrets<'_>, history: &[Release]) -> Result<(), String> {
    for r in history {
        secrets.delete(&r.name, r.version).await?;
    }
    Ok(())
}

/// Helm's `deleteRelease`: the release's objects in uninstall order, those
/// with `helm.sh/resource-policy: keep` left (listed as `[Kind] name`
/// lines). Every object's API is resolved before anything is deleted (an
/// unknown kind deletes nothing); each deletion is tried, one already gone
/// counting as deleted. `Err` holds the errors (Helm only logs them).
async fn delete_release(
    cluster: &Cluster,
    release: &Release,
    cascade: Cascade,
) -> Result<(Vec<Target>, String), Vec<String>> {
    let mut resources = parse_manifest(&release.manifest).map_err(|e| {
        vec![format!(
            "corrupted release record. You must manually delete the resources: {e}"
        )]
    })?;
    sort_for_uninstall(&mut resources);
    let mut kept = String::new();
    let mut targets: Vec<Target> = Vec::new();
    for mut resource in resources {
        if keeps(&resource.body) {
            kept.push_str(&format!("[{}] {}\n", resource.kind, resource.name));
            continue;
        }
        let api = cluster.prepare(&mut resource).await.map_err(|e| {
            vec![format!(
                "unable to build kubernetes objects for delete: {e}"
            )]
        })?;
        targets.push((resource, api));
    }
    let mut errors = Vec::new();
    for (resource, api) in &targets {
        if let Err(e) = cluster.delete_with(api, resource, cascade.policy()).await {
            errors.push(e);
        }
    }
    if errors.is_empty() {
        Ok((targets, kept))
    } else {
        Err(errors)
    }
}

/// The latest record of a release (`helm status`).
pub async fn status(cluster: &Cluster, name: &str) -> Result<Release, String> {
    let history = Secrets::new(cluster, Some(&cluster.namespace))
        .history(name)
        .await?;
    latest(&history)
        .cloned()
        .ok_or_else(|| ERR_RELEASE_NOT_FOUND.to_string())
}

/// A release's records oldest first, at most `max` (`helm history`).
pub async fn history(cluster: &Cluster, name: &str, max: usize) -> Result<Vec<Release>, String> {
    let mut history = Secrets::new(cluster, Some(&cluster.namespace))
        .history(name)
        .await?;
    if history.is_empty() {
        return Err(ERR_RELEASE_NOT_FOUND.to_string());
    }
    sort_by_revision(&mut history);
    let skip = history.len().saturating_sub(max);
    Ok(history.split_off(skip))
}
