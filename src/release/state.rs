//! How Helm v3.21.4's operations read a release's history before they act,
//! and which status changes they make (`pkg/action/install.go`,
//! `upgrade.go`, `rollback.go`, `uninstall.go`, `cmd/helm/upgrade.go`).
//!
//! The lock: an install, upgrade or rollback first stores its new revision
//! as `pending-install`, `pending-upgrade` or `pending-rollback` and only
//! then touches the cluster. `helm upgrade` refuses to start while the
//! latest revision is pending ([`ERR_PENDING`]); `helm install` refuses any
//! name that has history (unless `--replace` and the latest is uninstalled
//! or failed). Helm's rollback and uninstall do not check the lock.
//!
//! The transitions Helm makes ([`is_helm_transition`]):
//!
//! | operation | record | from | to |
//! |---|---|---|---|
//! | install | new | (built as `unknown`) | `pending-install` (stored), then `deployed` or `failed` |
//! | install `--replace` | latest (uninstalled) | `uninstalled` | `superseded` |
//! | upgrade | new | | `pending-upgrade` (stored), then `deployed` or `failed` |
//! | upgrade | current (deployed or fallback) | `deployed` | `superseded` on success |
//! | rollback | new | | `pending-rollback` (stored), then `deployed` or `failed` |
//! | rollback | latest | any | `superseded` when applying fails |
//! | rollback | every deployed | `deployed` | `superseded` on success |
//! | uninstall | latest | any but `uninstalled` | `uninstalling`, then `uninstalled` (kept with `--keep-history`, else every record is deleted) |
//! | uninstall `--keep-history` | every deployed | `deployed` | `superseded` |

use super::storage::{deployed, latest, no_deployed_releases, ERR_RELEASE_NOT_FOUND};
use super::{Release, Status};

/// `action.errPending`: the text Helm gives for an upgrade while the
/// latest revision is pending.
pub const ERR_PENDING: &str = "another operation (install/upgrade/rollback) is in progress";
/// `helm install` of a name that has history.
pub const ERR_NAME_IN_USE: &str = "cannot re-use a name that is still in use";
/// `action.errInvalidRevision` (`helm rollback` to a negative revision).
pub const ERR_INVALID_REVISION: &str = "invalid release revision";

/// Descriptions Helm records.
pub mod description {
    pub const INSTALL_UNDERWAY: &str = "Initial install underway";
    pub const INSTALL_COMPLETE: &str = "Install complete";
    pub const UPGRADE_PREPARING: &str = "Preparing upgrade";
    pub const UPGRADE_COMPLETE: &str = "Upgrade complete";
    pub const DRY_RUN_COMPLETE: &str = "Dry run complete";
    pub const SUPERSEDED_BY_NEW: &str = "superseded by new release";
    pub const DELETION_IN_PROGRESS: &str = "Deletion in progress (or silently failed)";
    pub const UNINSTALL_COMPLETE: &str = "Uninstallation complete";

    /// A rollback's description until it fails.
    pub fn rollback_to(revision: i64) -> String {
        format!("Rollback to {revision}")
    }

    /// A failed install or a failed wait after a rollback.
    pub fn release_failed(name: &str, error: &str) -> String {
        format!(
            "Release {} failed: {error}",
            crate::template::strconv::quote(name)
        )
    }

    /// A failed upgrade.
    pub fn upgrade_failed(name: &str, error: &str) -> String {
        format!(
            "Upgrade {} failed: {error}",
            crate::template::strconv::quote(name)
        )
    }

    /// A rollback whose apply failed.
    pub fn rollback_failed(name: &str, error: &str) -> String {
        format!(
            "Rollback {} failed: {error}",
            crate::template::strconv::quote(name)
        )
    }

    /// An install whose templates failed to render (not stored).
    pub fn render_failed(error: &str) -> String {
        format!("failed to render resource: {error}")
    }
}

/// What an install stores.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstallPlan {
    /// The new record's revision: 1, or one past the latest with `--replace`.
    pub revision: i64,
    /// The revision `--replace` marks `superseded` first (the latest,
    /// unless it failed).
    pub supersede: Option<i64>,
}

/// Helm's `availableName` and `replaceRelease` for `history` (any order).
pub fn plan_install(history: &[Release], replace: bool) -> Result<InstallPlan, String> {
    let Some(last) = latest(history) else {
        return Ok(InstallPlan {
            revision: 1,
            supersede: None,
        });
    };
    let status = last.status();
    if !(replace && matches!(status, Status::Uninstalled | Status::Failed)) {
        return Err(ERR_NAME_IN_USE.to_string());
    }
    Ok(InstallPlan {
        revision: last.version + 1,
        supersede: (status != Status::Failed).then_some(last.version),
    })
}

/// What `helm upgrade --install` does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpgradeInstall {
    Upgrade,
    /// An install, with `--replace` when the name has (uninstalled) history.
    Install {
        replace: bool,
    },
}

/// `helm upgrade --install`'s choice: install when the release has no
/// history or the last record of the history in list order (see
/// [`super::storage::list_order`]) is uninstalled.
pub fn upgrade_install(history_in_list_order: &[Release]) -> UpgradeInstall {
    match history_in_list_order.last() {
        None => UpgradeInstall::Install { replace: false },
        Some(r) if r.status() == Status::Uninstalled => UpgradeInstall::Install { replace: true },
        Some(_) => UpgradeInstall::Upgrade,
    }
}

/// What an upgrade works from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpgradePlan {
    /// The revision the upgrade replaces (its manifest is the "current"
    /// state, its values are reused, it becomes `superseded` on success).
    pub current: i64,
    /// The new record's revision: one past the latest.
    pub revision: i64,
}

/// Helm's `prepareUpgrade` checks: the latest revision must not be pending;
/// the current revision is the latest if deployed, else the last deployed,
/// else the latest if it failed or was superseded.
pub fn plan_upgrade(name: &str, history: &[Release]) -> Result<UpgradePlan, String> {
    let last = latest(history).ok_or_else(|| no_deployed_releases(name))?;
    let status = last.status();
    if status.is_pending() {
        return Err(ERR_PENDING.to_string());
    }
    let current = if status == Status::Deployed {
        last.version
    } else if let Some(d) = deployed(history) {
        d.version
    } else if matches!(status, Status::Failed | Status::Superseded) {
        last.version
    } else {
        return Err(no_deployed_releases(name));
    };
    Ok(UpgradePlan {
        current,
        revision: last.version + 1,
    })
}

/// What a rollback works from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RollbackPlan {
    /// The latest revision (the "current" state).
    pub current: i64,
    /// The revision whose chart, values, manifest and hooks are restored.
    pub target: i64,
    /// The new record's revision: one past the latest.
    pub revision: i64,
}

/// Helm's `prepareRollback`: `to` 0 means the revision before the latest.
pub fn plan_rollback(history: &[Release], to: i64) -> Result<RollbackPlan, String> {
    if to < 0 {
        return Err(ERR_INVALID_REVISION.to_string());
    }
    let last = latest(history).ok_or_else(|| ERR_RELEASE_NOT_FOUND.to_string())?;
    let target = if to == 0 { last.version - 1 } else { to };
    if !history.iter().any(|r| r.version == target) {
        return Err(format!("release has no {target} version"));
    }
    Ok(RollbackPlan {
        current: last.version,
        target,
        revision: last.version + 1,
    })
}

/// What an uninstall does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UninstallPlan {
    /// The latest record goes `uninstalling` then `uninstalled`.
    Uninstall { latest: i64 },
    /// Already uninstalled (kept history) and `--keep-history` is off: the
    /// records are deleted, nothing else happens.
    PurgeOnly,
}

/// Helm's uninstall checks: `Err` is `helm uninstall`'s message for a
/// release already uninstalled with `--keep-history`.
pub fn plan_uninstall(
    name: &str,
    history: &[Release],
    keep_history: bool,
) -> Result<UninstallPlan, String> {
    let last = latest(history).ok_or_else(|| "no release provided".to_string())?;
    if last.status() != Status::Uninstalled {
        return Ok(UninstallPlan::Uninstall {
            latest: last.version,
        });
    }
    if keep_history {
        return Err(format!(
            "the release named {} is already deleted",
            crate::template::strconv::quote(name)
        ));
    }
    Ok(UninstallPlan::PurgeOnly)
}

/// Whether Helm ever moves a stored record from `from` to `to` (see the
/// module table). `Unknown` as `from` is a record being built.
pub fn is_helm_transition(from: &Status, to: &Status) -> bool {
    use Status::*;
    match (from, to) {
        (Unknown, PendingInstall | PendingUpgrade | PendingRollback) => true,
        (PendingInstall | PendingUpgrade | PendingRollback, Deployed | Failed) => true,
        // A rollback whose apply fails supersedes the latest record and
        // `--replace` the latest unless it failed, whatever their status.
        (Unknown | Superseded, Superseded) => false,
        (_, Superseded) => true,
        (Unknown | Uninstalled | Uninstalling, Uninstalling) => false,
        (_, Uninstalling) => true,
        (Uninstalling, Uninstalled) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::release::Info;
    use Status::*;

    fn history(statuses: &[Status]) -> Vec<Release> {
        statuses
            .iter()
            .enumerate()
            .map(|(i, s)| Release {
                name: "web".into(),
                version: i as i64 + 1,
                info: Some(Info {
                    status: s.clone(),
                    ..Info::default()
                }),
                ..Release::default()
            })
            .collect()
    }

    #[test]
    fn install_needs_a_free_name_or_replace() {
        assert_eq!(
            plan_install(&[], false),
            Ok(InstallPlan {
                revision: 1,
                supersede: None
            })
        );
        let h = history(&[Deployed]);
        assert_eq!(plan_install(&h, false).unwrap_err(), ERR_NAME_IN_USE);
        assert_eq!(plan_install(&h, true).unwrap_err(), ERR_NAME_IN_USE);
        let h = history(&[Deployed, PendingInstall]);
        assert_eq!(plan_install(&h, true).unwrap_err(), ERR_NAME_IN_USE);
        let h = history(&[Superseded, Uninstalled]);
        assert_eq!(plan_install(&h, false).unwrap_err(), ERR_NAME_IN_USE);
        assert_eq!(
            plan_install(&h, true),
            Ok(InstallPlan {
                revision: 3,
                supersede: Some(2)
            })
        );
        let h = history(&[Failed]);
        assert_eq!(
            plan_install(&h, true),
            Ok(InstallPlan {
                revision: 2,
                supersede: None
            })
        );
    }

    #[test]
    fn upgrade_refuses_pending_releases_with_helms_message() {
        for pending in [PendingInstall, PendingUpgrade, PendingRollback] {
            let h = history(&[Deployed, pending]);
            assert_eq!(
                plan_upgrade("web", &h).unwrap_err(),
                "another operation (install/upgrade/rollback) is in progress"
            );
        }
        // Only the latest revision counts.
        let h = history(&[PendingUpgrade, Deployed]);
        assert_eq!(
            plan_upgrade("web", &h),
            Ok(UpgradePlan {
                current: 2,
                revision: 3
            })
        );
    }

    #[test]
    fn upgrade_finds_the_current_revision() {
        let h = history(&[Superseded, Deployed, Failed]);
        assert_eq!(plan_upgrade("web", &h).unwrap().current, 2);
        let h = history(&[Failed]);
        assert_eq!(
            plan_upgrade("web", &h),
            Ok(UpgradePlan {
                current: 1,
                revision: 2
            })
        );
        let h = history(&[Superseded, Superseded]);
        assert_eq!(plan_upgrade("web", &h).unwrap().current, 2);
        let h = history(&[Deployed, Uninstalled]);
        assert_eq!(plan_upgrade("web", &h).unwrap().current, 1);
        let h = history(&[Superseded, Uninstalled]);
        assert_eq!(
            plan_upgrade("web", &h).unwrap_err(),
            "\"web\" has no deployed releases"
        );
        assert_eq!(
            plan_upgrade("web", &[]).unwrap_err(),
            "\"web\" has no deployed releases"
        );
    }

    #[test]
    fn upgrade_install_looks_at_the_last_secret_listed() {
        assert_eq!(
            upgrade_install(&[]),
            UpgradeInstall::Install { replace: false }
        );
        assert_eq!(
            upgrade_install(&history(&[Superseded, Uninstalled])),
            UpgradeInstall::Install { replace: true }
        );
        assert_eq!(
            upgrade_install(&history(&[Deployed])),
            UpgradeInstall::Upgrade
        );
        // Ten revisions, listed by Secret name: v9 is listed last.
        let mut h = history(&vec![Superseded; 10]);
        h[8].info.as_mut().unwrap().status = Uninstalled;
        h[9].info.as_mut().unwrap().status = Deployed;
        crate::release::storage::list_order(&mut h);
        assert_eq!(
            upgrade_install(&h),
            UpgradeInstall::Install { replace: true }
        );
    }

    #[test]
    fn rollback_targets() {
        let h = history(&[Superseded, Deployed, Failed]);
        assert_eq!(
            plan_rollback(&h, 0),
            Ok(RollbackPlan {
                current: 3,
                target: 2,
                revision: 4
            })
        );
        assert_eq!(plan_rollback(&h, 1).unwrap().target, 1);
        assert_eq!(
            plan_rollback(&h, 7).unwrap_err(),
            "release has no 7 version"
        );
        assert_eq!(plan_rollback(&h, -1).unwrap_err(), ERR_INVALID_REVISION);
        assert_eq!(plan_rollback(&[], 0).unwrap_err(), "release: not found");
        let h = history(&[Deployed]);
        assert_eq!(
            plan_rollback(&h, 0).unwrap_err(),
            "release has no 0 version"
        );
        // Helm's rollback does not check the lock.
        let h = history(&[Deployed, PendingUpgrade]);
        assert_eq!(plan_rollback(&h, 0).unwrap().target, 1);
    }

    #[test]
    fn uninstall_plans() {
        let h = history(&[Superseded, Deployed]);
        assert_eq!(
            plan_uninstall("web", &h, false),
            Ok(UninstallPlan::Uninstall { latest: 2 })
        );
        let h = history(&[Superseded, Uninstalled]);
        assert_eq!(
            plan_uninstall("web", &h, false),
            Ok(UninstallPlan::PurgeOnly)
        );
        assert_eq!(
            plan_uninstall("web", &h, true).unwrap_err(),
            "the release named \"web\" is already deleted"
        );
    }

    #[test]
    fn transitions() {
        assert!(is_helm_transition(&Unknown, &PendingInstall));
        assert!(is_helm_transition(&PendingUpgrade, &Deployed));
        assert!(is_helm_transition(&PendingRollback, &Failed));
        assert!(is_helm_transition(&Deployed, &Superseded));
        assert!(is_helm_transition(&Failed, &Superseded));
        assert!(is_helm_transition(&PendingInstall, &Uninstalling));
        assert!(is_helm_transition(&Uninstalling, &Uninstalled));
        assert!(!is_helm_transition(&Deployed, &Deployed));
        assert!(!is_helm_transition(&Superseded, &Deployed));
        assert!(!is_helm_transition(&Uninstalled, &Uninstalling));
        assert!(is_helm_transition(&Uninstalled, &Superseded));
        assert!(!is_helm_transition(&Superseded, &Superseded));
        assert!(!is_helm_transition(&Failed, &Deployed));
        assert!(!is_helm_transition(&Unknown, &Deployed));
    }

    #[test]
    fn descriptions() {
        assert_eq!(
            description::release_failed("web", "timed out"),
            "Release \"web\" failed: timed out"
        );
        assert_eq!(
            description::upgrade_failed("web", "boom"),
            "Upgrade \"web\" failed: boom"
        );
        assert_eq!(description::rollback_to(3), "Rollback to 3");
    }
}
