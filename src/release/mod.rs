//! Helm's release records (`helm.sh/helm/v3/pkg/release` in Helm v3.21.4):
//! what `helm install`, `upgrade`, `rollback` and `uninstall` store for each
//! revision of a release, and how Helm's Secret storage driver keeps them.
//!
//! - this module: the record model ([`Release`], [`Info`], [`Status`],
//!   [`Hook`], [`HookExecution`], [`HookPhase`], [`RecordedEvent`]) and the
//!   chart as a record holds it ([`ReleaseChart`]);
//! - [`codec`]: the record as JSON exactly as Go's `encoding/json` writes
//!   Helm's structs, and the storage form `base64(gzip(JSON))`
//!   (`pkg/storage/driver/util.go`);
//! - [`storage`]: the Secret of a revision, history order, `latest`,
//!   `deployed`, and the `--max-history` pruning plan
//!   (`pkg/storage/driver/secrets.go`, `pkg/storage/storage.go`);
//! - [`state`]: how operations move a release between statuses and when
//!   Helm refuses one (`pkg/action`).
//!
//! No cluster code lives here; it compiles everywhere, wasm32 included.
//!
//! Go's string types (`release.Status`, `release.HookEvent`,
//! `release.HookPhase`) accept any string when Helm reads a record, so the
//! enums here keep unknown strings verbatim: a record read and written back
//! loses nothing.

mod base64;
pub mod chart;
pub mod codec;
pub(crate) mod json;
pub mod state;
pub mod storage;
pub mod time;

use std::collections::BTreeMap;
use std::fmt;

pub use self::chart::{ReleaseChart, ReleaseLock};
pub use self::time::Timestamp;
pub use crate::action::hooks::HookEvent;
use crate::value::Map;

/// A release's status (`release.Status`).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// `unknown`: the status of a release being built, before it is stored.
    #[default]
    Unknown,
    Deployed,
    Uninstalled,
    Superseded,
    Failed,
    Uninstalling,
    PendingInstall,
    PendingUpgrade,
    PendingRollback,
    /// A string Helm does not define (including `""`), kept as read.
    Other(String),
}

impl Status {
    /// Helm's string for the status.
    pub fn as_str(&self) -> &str {
        match self {
            Status::Unknown => "unknown",
            Status::Deployed => "deployed",
            Status::Uninstalled => "uninstalled",
            Status::Superseded => "superseded",
            Status::Failed => "failed",
            Status::Uninstalling => "uninstalling",
            Status::PendingInstall => "pending-install",
            Status::PendingUpgrade => "pending-upgrade",
            Status::PendingRollback => "pending-rollback",
            Status::Other(s) => s,
        }
    }

    /// The status a record's string names (exact match, as Go compares).
    pub fn parse(s: &str) -> Status {
        match s {
            "unknown" => Status::Unknown,
            "deployed" => Status::Deployed,
            "uninstalled" => Status::Uninstalled,
            "superseded" => Status::Superseded,
            "failed" => Status::Failed,
            "uninstalling" => Status::Uninstalling,
            "pending-install" => Status::PendingInstall,
            "pending-upgrade" => Status::PendingUpgrade,
            "pending-rollback" => Status::PendingRollback,
            other => Status::Other(other.to_string()),
        }
    }

    /// Helm's `IsPending`: an install, upgrade or rollback is under way
    /// (and holds the release's lock).
    pub fn is_pending(&self) -> bool {
        matches!(
            self,
            Status::PendingInstall | Status::PendingUpgrade | Status::PendingRollback
        )
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The part of a record that changes as operations run (`release.Info`).
/// Zero timestamps are written as `""`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Info {
    pub first_deployed: Timestamp,
    pub last_deployed: Timestamp,
    /// When an uninstall started (zero otherwise).
    pub deleted: Timestamp,
    pub description: String,
    pub status: Status,
    /// The rendered `NOTES.txt`.
    pub notes: String,
}

/// A hook event as a record holds it (`release.HookEvent`): one of Helm's
/// nine, or a string Helm does not define, kept as read.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RecordedEvent {
    Known(HookEvent),
    Other(String),
}

/// Helm's nine events, in `pkg/release/hook.go` order.
const EVENTS: [HookEvent; 9] = [
    HookEvent::PreInstall,
    HookEvent::PostInstall,
    HookEvent::PreDelete,
    HookEvent::PostDelete,
    HookEvent::PreUpgrade,
    HookEvent::PostUpgrade,
    HookEvent::PreRollback,
    HookEvent::PostRollback,
    HookEvent::Test,
];

impl RecordedEvent {
    /// The event a record's string names: only Helm's exact strings are
    /// known (the annotation alias `test-success` is not a stored name).
    pub fn parse(s: &str) -> RecordedEvent {
        EVENTS.iter().find(|e| e.as_str() == s).map_or_else(
            || RecordedEvent::Other(s.to_string()),
            |e| RecordedEvent::Known(*e),
        )
    }

    pub fn as_str(&self) -> &str {
        match self {
            RecordedEvent::Known(e) => e.as_str(),
            RecordedEvent::Other(s) => s,
        }
    }

    /// The event, if Helm defines it.
    pub fn known(&self) -> Option<HookEvent> {
        match self {
            RecordedEvent::Known(e) => Some(*e),
            RecordedEvent::Other(_) => None,
        }
    }
}

impl From<HookEvent> for RecordedEvent {
    fn from(e: HookEvent) -> Self {
        RecordedEvent::Known(e)
    }
}

/// How a hook's last run ended (`release.HookPhase`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum HookPhase {
    Unknown,
    Running,
    Succeeded,
    Failed,
    /// A string Helm does not define, kept as read.
    Other(String),
    /// `""` (Go's zero value): the hook never ran.
    #[default]
    NotRun,
}

impl HookPhase {
    pub fn as_str(&self) -> &str {
        match self {
            HookPhase::Unknown => "Unknown",
            HookPhase::Running => "Running",
            HookPhase::Succeeded => "Succeeded",
            HookPhase::Failed => "Failed",
            HookPhase::Other(s) => s,
            HookPhase::NotRun => "",
        }
    }

    pub fn parse(s: &str) -> HookPhase {
        match s {
            "Unknown" => HookPhase::Unknown,
            "Running" => HookPhase::Running,
            "Succeeded" => HookPhase::Succeeded,
            "Failed" => HookPhase::Failed,
            "" => HookPhase::NotRun,
            other => HookPhase::Other(other.to_string()),
        }
    }
}

/// A hook's last run (`release.HookExecution`). Zero times are written as
/// `""`; the phase is always written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HookExecution {
    pub started_at: Timestamp,
    pub completed_at: Timestamp,
    pub phase: HookPhase,
}

/// A hook of a release (`release.Hook`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hook {
    pub name: String,
    /// The Kubernetes kind.
    pub kind: String,
    /// The template it came from (`mychart/templates/job.yaml`).
    pub path: String,
    pub manifest: String,
    pub events: Vec<RecordedEvent>,
    pub last_run: HookExecution,
    pub weight: i64,
    /// `hook-succeeded`, `hook-failed`, `before-hook-creation` (Helm keeps
    /// any string the annotation lists).
    pub delete_policies: Vec<String>,
    /// `hook-succeeded`, `hook-failed`.
    pub output_log_policies: Vec<String>,
}

impl Hook {
    /// The record of a hook `helm template`'s sorter found, not yet run.
    pub fn from_rendered(hook: &crate::action::hooks::Hook) -> Hook {
        Hook {
            name: hook.name.clone(),
            kind: hook.kind.clone(),
            path: hook.path.clone(),
            manifest: hook.manifest.clone(),
            events: hook
                .events
                .iter()
                .map(|e| RecordedEvent::Known(*e))
                .collect(),
            last_run: HookExecution::default(),
            weight: hook.weight,
            delete_policies: hook.delete_policies.clone(),
            output_log_policies: hook.output_log_policies.clone(),
        }
    }

    /// Whether the hook runs on `event`.
    pub fn runs_on(&self, event: HookEvent) -> bool {
        self.events.iter().any(|e| e.known() == Some(event))
    }
}

/// One revision of a release (`release.Release`).
#[derive(Clone, Debug, Default)]
pub struct Release {
    pub name: String,
    /// Helm always sets it; `None` is a record without `info`.
    pub info: Option<Info>,
    /// The chart as rendered (after dependency processing); `None` is a
    /// record without `chart`.
    pub chart: Option<ReleaseChart>,
    /// The user-supplied values (`--set`, `-f`), not coalesced with the
    /// chart's. Empty and absent are the same (`omitempty`).
    pub config: Map,
    /// The rendered manifests, as `helm get manifest` prints them.
    pub manifest: String,
    pub hooks: Vec<Hook>,
    /// The revision, from 1.
    pub version: i64,
    pub namespace: String,
    /// Labels of the storage object. Not part of the JSON: Helm keeps them
    /// on the Secret (see [`storage`]).
    pub labels: BTreeMap<String, String>,
}

impl Release {
    /// The record's status (`unknown` without `info`, where Helm would
    /// dereference a nil pointer).
    pub fn status(&self) -> Status {
        self.info
            .as_ref()
            .map_or(Status::Unknown, |i| i.status.clone())
    }

    /// Helm's `SetStatus`: the status and the description together.
    pub fn set_status(&mut self, status: Status, description: impl Into<String>) {
        let info = self.info.get_or_insert_with(Info::default);
        info.status = status;
        info.description = description.into();
    }
}

#[cfg(test)]
mod tests;
