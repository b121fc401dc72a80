//! `--dry-run` for `install` and `upgrade` (Helm v3.21.4's
//! `pkg/action/install.go` and `upgrade.go` up to their `isDryRun` returns):
//! everything an install or upgrade checks before it stores a record —
//! rendering with the server's version, building every object (its kind
//! must be served), refusing to adopt objects another release owns — and
//! then the record it would store, described `Dry run complete` (or
//! `--description` on upgrade), without writing anything to the cluster.
//!
//! `--dry-run`, `--dry-run=client` and `--dry-run=server` behave the same
//! here: chartroom's templates never reach the cluster (`lookup` is always
//! empty), which is what `client` means to Helm.

use std::rc::Rc;

use super::actions::{now, InstallRequest};
use super::client::Cluster;
use super::objects::{check_ownership, parse_manifest};
use super::secrets::Secrets;
use super::upgrade::{prepare_update, upgrade_values, UpgradeRequest};
use crate::api::{self, RenderOptions};
use crate::release::state::{description, plan_upgrade};
use crate::release::{Hook, Info, Release, ReleaseChart, Status};
use crate::template::{DefaultHost, Host};

/// The values of `--dry-run[=…]` Helm accepts (`""` stands for `none`).
pub fn parse_option(value: Option<&str>) -> Result<bool, String> {
    match value.unwrap_or("none") {
        "" | "none" | "false" => Ok(false),
        "true" | "client" | "server" => Ok(true),
        _ => Err("Invalid dry-run flag. Flag must one of the following: false, true, none, client, server".into()),
    }
}

/// `helm install --dry-run`: the record an install would store (status
/// `pending-install`). The name need not be free, as in Helm.
pub async fn install(
    cluster: &Cluster,
    req: &InstallRequest,
) -> Result<(Release, Vec<String>), String> {
    crate::api::validate_release_name(&req.name)?;
    let config = req.values.merge(&*req.read_file)?;
    let options = RenderOptions {
        release_name: req.name.clone(),
        namespace: cluster.namespace.clone(),
        values: req.values.clone(),
        kube_version: Some(cluster.server_version().await?),
        exec: req.exec,
        skip_schema_validation: req.render.skip_schema_validation,
        output: req.render.output(),
        ..RenderOptions::default()
    };
    let host: Rc<dyn Host> = Rc::new(DefaultHost::default());
    let rendered = api::render_chart(req.chart.clone(), &options, &*req.read_file, Some(host))
        .map_err(|f| f.error.message)?;

    super::validate::build(
        cluster,
        &rendered.release_manifest,
        false,
        !req.disable_openapi_validation,
    )
    .await
    .map_err(|e| format!("unable to build kubernetes objects from release manifest: {e}"))?;
    let resources = parse_manifest(&rendered.release_manifest)
        .map_err(|e| format!("unable to build kubernetes objects from release manifest: {e}"))?;
    for mut resource in resources {
        let api = cluster.prepare(&mut resource).await?;
        if let Some(existing) = cluster.get(&api, &resource).await? {
            check_ownership(&existing, &req.name, &cluster.namespace).map_err(|e| {
                format!(
                    "Unable to continue with install: {} exists and cannot be imported into the current release: {e}",
                    resource.describe()
                )
            })?;
        }
    }

    let t = now();
    let mut release = Release {
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
        manifest: rendered.release_manifest.clone(),
        hooks: rendered.hooks.iter().map(Hook::from_rendered).collect(),
        version: 1,
        ..Release::default()
    };
    release.set_status(Status::PendingInstall, description::DRY_RUN_COMPLETE);
    Ok((release, rendered.warnings.clone()))
}

/// `helm upgrade --dry-run` of a release with history: the record the
/// upgrade would store (status `pending-upgrade`). `Err` is the message
/// after `UPGRADE FAILED: `.
pub async fn upgrade(
    cluster: &Cluster,
    req: &UpgradeRequest,
) -> Result<(Release, Vec<String>), String> {
    let history = Secrets::new(cluster, Some(&cluster.namespace))
        .history(&req.name)
        .await?;
    let plan = plan_upgrade(&req.name, &history)?;
    let current = history
        .iter()
        .find(|r| r.version == plan.current)
        .cloned()
        .unwrap_or_default();
    let last_labels = history
        .iter()
        .max_by_key(|r| r.version)
        .map(|r| r.labels.clone())
        .unwrap_or_default();

    let given = req.values.merge(&*req.read_file)?;
    let mut chart = req.chart.clone();
    let (config, _) = upgrade_values(req.mode, &mut chart, given, &current)?;
    let options = RenderOptions {
        release_name: req.name.clone(),
        namespace: cluster.namespace.clone(),
        is_upgrade: true,
        revision: plan.revision,
        kube_version: Some(cluster.server_version().await?),
        exec: req.exec,
        skip_schema_validation: req.render.skip_schema_validation,
        output: req.render.output(),
        ..RenderOptions::default()
    };
    let host: Rc<dyn Host> = Rc::new(DefaultHost::default());
    let rendered =
        api::render_chart_values(chart.clone(), &options, config.deep_clone(), Some(host))
            .map_err(|f| f.error.message)?;
    // Helm's `prepareUpgrade` builds the new manifest (its error unwrapped).
    super::validate::build(
        cluster,
        &rendered.release_manifest,
        false,
        !req.disable_openapi_validation,
    )
    .await?;
    prepare_update(
        cluster,
        &req.name,
        &current.manifest,
        &rendered.release_manifest,
        "update",
    )
    .await?;

    let t = now();
    let first = current.info.as_ref().map_or(t, |i| i.first_deployed);
    let mut release = Release {
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
        manifest: rendered.release_manifest.clone(),
        hooks: rendered.hooks.iter().map(Hook::from_rendered).collect(),
        version: plan.revision,
        labels: last_labels,
    };
    let desc = req
        .description
        .clone()
        .unwrap_or_else(|| description::DRY_RUN_COMPLETE.to_string());
    release.set_status(Status::PendingUpgrade, desc);
    Ok((release, rendered.warnings.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dry_run_options_as_helm_accepts_them() {
        assert_eq!(parse_option(None), Ok(false));
        assert_eq!(parse_option(Some("")), Ok(false));
        assert_eq!(parse_option(Some("false")), Ok(false));
        assert_eq!(parse_option(Some("client")), Ok(true));
        assert_eq!(parse_option(Some("server")), Ok(true));
        assert_eq!(parse_option(Some("true")), Ok(true));
        assert_eq!(
            parse_option(Some("maybe")),
            Err("Invalid dry-run flag. Flag must one of the following: false, true, none, client, server".into())
        );
    }
}
