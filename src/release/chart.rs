//! The chart as a release record holds it: Helm's `chart.Chart` through Go's
//! `encoding/json` (`pkg/chart/chart.go`, `file.go`, `dependency.go`,
//! `metadata.go` in Helm v3.21.4).
//!
//! `Chart` serializes `metadata`, `lock`, `templates`, `values`, `schema`
//! and `files`, none with `omitempty`, so a nil pointer, slice or map is
//! written as `null`. `Raw` is tagged `json:"-"` and the subcharts live in
//! an unexported field: a record's chart has no subcharts and no raw files.
//! A record takes the chart after dependency processing, so its metadata's
//! dependency entries carry `enabled` and the rewritten `import-values`,
//! and a chart that lists dependencies holds its coalesced values.

use crate::chart::{Chart, Dependency, File, Lock, Metadata};
use crate::value::Map;

use super::time::Timestamp;

/// `chart.Lock` (`Chart.lock`) in a record. Unlike the release's own times,
/// `generated` is a plain `time.Time`: zero is written as
/// `0001-01-01T00:00:00Z`.
#[derive(Clone, Debug, Default)]
pub struct ReleaseLock {
    pub generated: Timestamp,
    pub digest: String,
    /// `None` is a nil slice (`null`).
    pub dependencies: Option<Vec<Dependency>>,
}

/// `chart.Chart` as a record holds it. `None` fields are Go's nil (`null`).
#[derive(Clone, Debug, Default)]
pub struct ReleaseChart {
    pub metadata: Option<Metadata>,
    pub lock: Option<ReleaseLock>,
    pub templates: Option<Vec<File>>,
    pub values: Option<Map>,
    pub schema: Option<crate::chart::FileData>,
    pub files: Option<Vec<File>>,
}

impl ReleaseChart {
    /// The record form of a loaded (and dependency-processed) chart, with
    /// Go's nils where Helm's loader leaves them: no templates or files
    /// give `null`, as does a chart with no dependency list whose
    /// `values.yaml` is missing or holds no document (YAML `null` decodes
    /// to a nil map). `Err` is the `time.Time` parse error for a lock's
    /// `generated` that is not RFC 3339 (Helm's loader rejects such a lock).
    pub fn from_chart(chart: &Chart) -> Result<ReleaseChart, String> {
        let lock = match &chart.lock {
            Some(lock) => Some(lock_record(lock)?),
            None => None,
        };
        let non_empty = |files: &[File]| (!files.is_empty()).then(|| files.to_vec());
        Ok(ReleaseChart {
            metadata: Some(chart.metadata.clone()),
            lock,
            templates: non_empty(&chart.templates),
            values: (!values_are_nil(chart)).then(|| chart.values.clone()),
            schema: chart.schema.clone(),
            files: non_empty(&chart.files),
        })
    }

    /// The chart a record holds, as a [`Chart`] without subcharts or raw
    /// files (what `helm get` and `--reuse-values` work with).
    pub fn to_chart(&self) -> Chart {
        Chart {
            metadata: self.metadata.clone().unwrap_or_default(),
            lock: self.lock.as_ref().map(|l| Lock {
                generated: l.generated.rfc3339_nano().unwrap_or_default(),
                digest: l.digest.clone(),
                dependencies: l.dependencies.clone().unwrap_or_default(),
            }),
            templates: self.templates.clone().unwrap_or_default(),
            values: self.values.clone().unwrap_or_default(),
            schema: self.schema.clone(),
            files: self.files.clone().unwrap_or_default(),
            raw_values: Vec::new(),
            dependencies: Vec::new(),
            parents: Vec::new(),
        }
    }

    /// The chart's name (`""` without metadata).
    pub fn name(&self) -> &str {
        self.metadata.as_ref().map_or("", |m| m.name.as_str())
    }

    /// `<name>-<version>`, as `helm list` and `helm history` print it.
    pub fn name_version(&self) -> String {
        let md = self.metadata.as_ref();
        format!(
            "{}-{}",
            md.map_or("", |m| m.name.as_str()),
            md.map_or("", |m| m.version.as_str())
        )
    }
}

fn lock_record(lock: &Lock) -> Result<ReleaseLock, String> {
    let generated = if lock.generated.is_empty() {
        Timestamp::ZERO
    } else {
        Timestamp::parse_rfc3339(&lock.generated)?
    };
    Ok(ReleaseLock {
        generated,
        digest: lock.digest.clone(),
        dependencies: Some(lock.dependencies.clone()),
    })
}

/// Whether Helm's `Chart.Values` is a nil map: the loader only makes one
/// for a `values.yaml` holding a document, and dependency processing
/// replaces the values of a chart that lists dependencies.
fn values_are_nil(chart: &Chart) -> bool {
    if !chart.values.is_empty() || chart.metadata.has_dependency_list() {
        return false;
    }
    match chart.raw_values.first() {
        None => true,
        Some(data) => std::str::from_utf8(data)
            .ok()
            .and_then(|text| crate::yaml::from_yaml(text).ok())
            .is_some_and(|v| v.is_nil()),
    }
}
