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

use super::actions::{prepare_install, InstallRequest, PreparedInstall};
use super::client::Cluster;
use super::upgrade::{prepare_upgrade, PreparedUpgrade, UpgradeRequest};
use crate::release::state::description;
use crate::release::{Release, Status};

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
    let PreparedInstall {
        mut release,
        warnings,
        ..
    } = prepare_install(cluster, req, 1, true).await?;
    release.set_status(Status::PendingInstall, description::DRY_RUN_COMPLETE);
    Ok((release, warnings))
}

/// `helm upgrade --dry-run` of a release with history: the record the
/// upgrade would store (status `pending-upgrade`). `Err` is the message
/// after `UPGRADE FAILED: `.
pub async fn upgrade(
    cluster: &Cluster,
    req: &UpgradeRequest,
) -> Result<(Release, Vec<String>), String> {
    let PreparedUpgrade {
        mut release,
        warnings,
        ..
    } = prepare_upgrade(cluster, req).await?;
    let desc = req
        .description
        .clone()
        .unwrap_or_else(|| description::DRY_RUN_COMPLETE.to_string());
    release.set_status(Status::PendingUpgrade, desc);
    Ok((release, warnings))
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
