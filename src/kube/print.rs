//! Human output of the release commands, as Helm v3's `cmd/helm` prints it:
//! the status block (`status.go` `statusPrinter`, also printed by
//! `install`), the history table (`history.go`) and the list table
//! (`list.go`), both laid out like `gosuri/uitable` (every cell padded to
//! its column's width, cells joined by a tab; helm v3.10.1 sets no column
//! limit, checked on a test API server), followed by a newline.

use crate::funcs::gotime::format::format;
use crate::funcs::gotime::time::Time;
use crate::funcs::gotime::zone::Location;
use crate::release::{Release, Status, Timestamp};

/// Go's `time.ANSIC`.
const ANSIC: &str = "Mon Jan _2 15:04:05 2006";
/// The layout `helm list` prints `UPDATED` with.
const LIST_TIME: &str = "2006-01-02 15:04:05.999999999 -0700 MST";

/// The time at the offset the record holds (Go keeps the parsed zone).
pub(crate) fn in_record_zone(t: &Timestamp) -> Time {
    let loc = if t.offset() == 0 {
        Location::utc()
    } else {
        Location::fixed("", i64::from(t.offset()))
    };
    Time::from_unix_in(t.unix_seconds(), t.nanos(), &loc)
}

/// `t.Format(time.ANSIC)`.
pub fn ansic(t: &Timestamp) -> String {
    format(&in_record_zone(t), ANSIC)
}

/// `t.Local().Format("2006-01-02 15:04:05.999999999 -0700 MST")`.
pub fn list_time(t: &Timestamp) -> String {
    format(&in_record_zone(t).local(), LIST_TIME)
}

/// What Helm's `statusPrinter` is asked to show beyond the block.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatusOptions {
    /// `--debug` (and `helm get all`): the user-supplied and computed
    /// values, the hooks and the manifest.
    pub debug: bool,
    /// `--show-desc`.
    pub show_description: bool,
    /// `helm get all`: chart name, version and app version.
    pub show_metadata: bool,
    /// `--hide-notes`.
    pub hide_notes: bool,
}

/// `output.EncodeYAML` of a values map (`None`: Go's nil map).
fn values_yaml(values: Option<&crate::value::Map>) -> Result<String, String> {
    super::output::encode_yaml(&super::output::values_json(values)?)
}

/// The status block with `statusPrinter`'s options; a record described
/// `Dry run complete` also shows its hooks and manifest, as Helm does.
/// `Err` is a values encoding failure of the debug section.
pub fn status_with(release: &Release, opts: &StatusOptions) -> Result<String, String> {
    let info = release.info.clone().unwrap_or_default();
    let mut out = format!("NAME: {}\n", release.name);
    if !info.last_deployed.is_zero() {
        out.push_str(&format!("LAST DEPLOYED: {}\n", ansic(&info.last_deployed)));
    }
    out.push_str(&format!("NAMESPACE: {}\n", release.namespace));
    out.push_str(&format!("STATUS: {}\n", info.status));
    out.push_str(&format!("REVISION: {}\n", release.version));
    if opts.show_metadata {
        let md = release
            .chart
            .as_ref()
            .and_then(|c| c.metadata.clone())
            .unwrap_or_default();
        out.push_str(&format!(
            "CHART: {}\nVERSION: {}\nAPP_VERSION: {}\n",
            md.name, md.version, md.app_version
        ));
    }
    if opts.show_description {
        out.push_str(&format!("DESCRIPTION: {}\n", info.description));
    }
    let tests: Vec<_> = release
        .hooks
        .iter()
        .filter(|h| h.runs_on(crate::action::HookEvent::Test))
        .collect();
    if tests.is_empty() {
        out.push_str("TEST SUITE: None\n");
    }
    for h in tests {
        if h.last_run.started_at.is_zero() {
            continue;
        }
        out.push_str(&format!(
            "TEST SUITE:     {}\nLast Started:   {}\nLast Completed: {}\nPhase:          {}\n",
            h.name,
            ansic(&h.last_run.started_at),
            ansic(&h.last_run.completed_at),
            h.last_run.phase.as_str()
        ));
    }
    if opts.debug {
        let config = (!release.config.is_empty()).then_some(&release.config);
        out.push_str("USER-SUPPLIED VALUES:\n");
        out.push_str(&values_yaml(config)?);
        out.push('\n');
        let computed = computed_values(release)?;
        out.push_str("COMPUTED VALUES:\n");
        out.push_str(&values_yaml(Some(&computed))?);
        out.push('\n');
    }
    if info.description.eq_ignore_ascii_case("Dry run complete") || opts.debug {
        out.push_str("HOOKS:\n");
        for h in &release.hooks {
            out.push_str(&format!("---\n# Source: {}\n{}\n", h.path, h.manifest));
        }
        out.push_str(&format!("MANIFEST:\n{}\n", release.manifest));
    }
    if !opts.hide_notes && !info.notes.is_empty() {
        out.push_str(&format!("NOTES:\n{}\n", info.notes.trim()));
    }
    Ok(out)
}

/// `chartutil.CoalesceValues(release.Chart, release.Config)`: the record's
/// chart defaults (a record keeps no subcharts) under its user values.
pub fn computed_values(release: &Release) -> Result<crate::value::Map, String> {
    let chart = release
        .chart
        .as_ref()
        .map(|c| c.to_chart())
        .unwrap_or_default();
    crate::values::coalesce::coalesce_values(&chart, &release.config).map(|c| c.values)
}

fn app_version(release: &Release) -> String {
    super::output::app_version_column(release)
}

fn chart_name(release: &Release) -> String {
    super::output::chart_column(release)
}

/// The `helm history` table, oldest revision first.
pub fn history(records: &[Release]) -> String {
    let mut rows = vec![row(&[
        "REVISION",
        "UPDATED",
        "STATUS",
        "CHART",
        "APP VERSION",
        "DESCRIPTION",
    ])];
    let mut sorted = records.to_vec();
    crate::release::storage::sort_by_revision(&mut sorted);
    for r in &sorted {
        let info = r.info.clone().unwrap_or_default();
        rows.push(vec![
            r.version.to_string(),
            ansic(&info.last_deployed),
            info.status.to_string(),
            chart_name(r),
            app_version(r),
            info.description.clone(),
        ]);
    }
    table(&rows)
}

/// `helm list`'s `UPDATED`: `-` for a zero time, else the time as
/// `Time.String` prints it, or in the `--time-format` layout.
pub fn list_updated(t: &Timestamp, time_format: Option<&str>) -> String {
    match time_format.filter(|f| !f.is_empty()) {
        _ if t.is_zero() => "-".to_string(),
        None => list_time(t),
        Some(layout) => format(&in_record_zone(t).local(), layout),
    }
}

/// The `helm list` table, with `--no-headers` and `--time-format`.
pub fn list_table(releases: &[Release], no_headers: bool, time_format: Option<&str>) -> String {
    let mut rows = Vec::new();
    if !no_headers {
        rows.push(row(&[
            "NAME",
            "NAMESPACE",
            "REVISION",
            "UPDATED",
            "STATUS",
            "CHART",
            "APP VERSION",
        ]));
    }
    for r in releases {
        let info = r.info.clone().unwrap_or_default();
        rows.push(vec![
            r.name.clone(),
            r.namespace.clone(),
            r.version.to_string(),
            list_updated(&info.last_deployed, time_format),
            info.status.to_string(),
            chart_name(r),
            app_version(r),
        ]);
    }
    table(&rows)
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

/// uitable's layout plus Helm's trailing newline.
fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let lines: Vec<String> = rows
        .iter()
        .map(|r| {
            r.iter()
                .zip(&widths)
                .map(|(c, w)| format!("{c:<w$}"))
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect();
    format!("{}\n", lines.join("\n"))
}

/// Helm's `helm list` filter: the latest revision of each release, whose
/// status is one of `states` (Helm's default: deployed and failed),
/// sorted by name.
pub fn latest_per_release(records: &[Release], states: &[Status]) -> Vec<Release> {
    let mut latest: std::collections::BTreeMap<(String, String), Release> =
        std::collections::BTreeMap::new();
    for r in records {
        let key = (r.name.clone(), r.namespace.clone());
        match latest.get(&key) {
            Some(have) if have.version >= r.version => {}
            _ => {
                latest.insert(key, r.clone());
            }
        }
    }
    latest
        .into_values()
        .filter(|r| states.contains(&r.status()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::release::{Info, ReleaseChart};

    fn rel(version: i64, status: Status, description: &str) -> Release {
        let t = Timestamp::from_unix(1_700_000_000 + version, 5, 0);
        let metadata = crate::chart::Metadata {
            name: "web".into(),
            version: "0.1.0".into(),
            app_version: "1.16.0".into(),
            ..Default::default()
        };
        Release {
            name: "web".into(),
            namespace: "apps".into(),
            version,
            info: Some(Info {
                first_deployed: t,
                last_deployed: t,
                status,
                description: description.into(),
                notes: "\n  Visit it.\n".into(),
                ..Info::default()
            }),
            chart: Some(ReleaseChart {
                metadata: Some(metadata),
                ..ReleaseChart::default()
            }),
            ..Release::default()
        }
    }

    #[test]
    fn status_block() {
        let r = rel(1, Status::Deployed, "Install complete");
        assert_eq!(
            status_with(&r, &StatusOptions::default()).unwrap(),
            "NAME: web\nLAST DEPLOYED: Tue Nov 14 22:13:21 2023\nNAMESPACE: apps\nSTATUS: deployed\nREVISION: 1\nTEST SUITE: None\nNOTES:\nVisit it.\n"
        );
    }

    #[test]
    fn history_table_pads_and_tabs() {
        let h = [
            rel(2, Status::Deployed, "Upgrade complete"),
            rel(1, Status::Superseded, "Install complete"),
        ];
        assert_eq!(
            history(&h),
            "REVISION\tUPDATED                 \tSTATUS    \tCHART    \tAPP VERSION\tDESCRIPTION     \n\
             1       \tTue Nov 14 22:13:21 2023\tsuperseded\tweb-0.1.0\t1.16.0     \tInstall complete\n\
             2       \tTue Nov 14 22:13:22 2023\tdeployed  \tweb-0.1.0\t1.16.0     \tUpgrade complete\n"
        );
    }

    #[test]
    fn list_keeps_latest_deployed_or_failed() {
        let mut other = rel(1, Status::Failed, "x");
        other.name = "api".into();
        let records = [
            rel(1, Status::Superseded, ""),
            rel(2, Status::Deployed, ""),
            other,
        ];
        let shown = latest_per_release(&records, &[Status::Deployed, Status::Failed]);
        let names: Vec<(&str, i64)> = shown.iter().map(|r| (r.name.as_str(), r.version)).collect();
        assert_eq!(names, [("api", 1), ("web", 2)]);
        let text = list_table(&shown, false, None);
        assert!(text.starts_with("NAME\tNAMESPACE\tREVISION\tUPDATED"));
        assert!(text.contains("2023-11-14 22:13:22.000000005 +0000 UTC\tdeployed"));
    }

    #[test]
    fn long_cells_are_not_cut() {
        let long = "x".repeat(70);
        let text = history(&[rel(1, Status::Failed, &long)]);
        assert!(text.ends_with(&format!("\t{long}\n")), "{text}");
    }
}
