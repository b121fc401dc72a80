//! `helm list`'s selection, as Helm v3.21.4's `pkg/action/list.go` (the same
//! in v3.10.1) makes it from every stored record:
//!
//! - `--filter`/`-f`: a Go regular expression the release name must match;
//! - the latest revision of each release (namespace and name), unless the
//!   only state asked for is `--superseded` (then every superseded record);
//! - the states: `--all`/`-a` every defined one, else the union of
//!   `--deployed`, `--failed`, `--pending` (install, upgrade, rollback),
//!   `--uninstalled`, `--uninstalling`, `--superseded`, deployed and failed
//!   when none is given; a status Helm does not define is never listed;
//! - the order: by name, `--reverse`/`-r` by name descending, `--date`/`-d`
//!   by last deployment (seconds) ascending, with `-r` descending;
//! - `--offset` then `--max`/`-m` (256; 0 or less means no limit).
//!
//! Go sorts with `sort.Sort` (not stable); records come in storage order
//! and are sorted stably, which is what Go's insertion sort gives for the
//! short lists it uses it on.

use crate::funcs::regex::GoRegex;
use crate::release::{Release, Status};

/// Helm's default `--max` for `list`.
pub const DEFAULT_LIMIT: i64 = 256;

/// `helm list`'s selection flags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListOptions {
    pub all: bool,
    pub deployed: bool,
    pub failed: bool,
    pub pending: bool,
    pub uninstalled: bool,
    pub uninstalling: bool,
    pub superseded: bool,
    /// `--date`/`-d`.
    pub by_date: bool,
    /// `--reverse`/`-r`.
    pub reverse: bool,
    /// `--max`/`-m`.
    pub limit: i64,
    pub offset: i64,
    /// `--filter`/`-f`.
    pub filter: Option<String>,
}

impl Default for ListOptions {
    fn default() -> Self {
        ListOptions {
            all: false,
            deployed: false,
            failed: false,
            pending: false,
            uninstalled: false,
            uninstalling: false,
            superseded: false,
            by_date: false,
            reverse: false,
            limit: DEFAULT_LIMIT,
            offset: 0,
            filter: None,
        }
    }
}

impl ListOptions {
    /// Helm's `SetStateMask`: the statuses listed.
    pub fn states(&self) -> Vec<Status> {
        use Status::*;
        if self.all {
            return vec![
                Deployed,
                Uninstalled,
                Uninstalling,
                PendingInstall,
                PendingUpgrade,
                PendingRollback,
                Superseded,
                Failed,
            ];
        }
        let mut states = Vec::new();
        let mut add = |on: bool, s: &[Status]| {
            if on {
                states.extend_from_slice(s);
            }
        };
        add(self.deployed, &[Deployed]);
        add(self.uninstalled, &[Uninstalled]);
        add(self.uninstalling, &[Uninstalling]);
        add(
            self.pending,
            &[PendingInstall, PendingRollback, PendingUpgrade],
        );
        add(self.failed, &[Failed]);
        add(self.superseded, &[Superseded]);
        if states.is_empty() {
            states = vec![Deployed, Failed];
        }
        states
    }
}

/// The releases `helm list` shows from `records` (in storage order).
/// `Err` is Go's regexp error for a bad `--filter`.
pub fn select(records: Vec<Release>, options: &ListOptions) -> Result<Vec<Release>, String> {
    let filter = match options.filter.as_deref().filter(|f| !f.is_empty()) {
        Some(f) => Some(GoRegex::compile(f).map_err(|e| e.to_string())?),
        None => None,
    };
    let mut shown: Vec<Release> = records
        .into_iter()
        .filter(|r| filter.as_ref().is_none_or(|re| re.is_match(&r.name)))
        .collect();
    let states = options.states();
    if states != [Status::Superseded] {
        shown = latest_only(shown);
    }
    shown.retain(|r| states.contains(&r.status()));
    sort(&mut shown, options);
    let offset = usize::try_from(options.offset).unwrap_or(0);
    if offset >= shown.len() {
        return Ok(Vec::new());
    }
    let mut shown = shown.split_off(offset);
    if let Ok(limit) = usize::try_from(options.limit) {
        if limit > 0 {
            shown.truncate(limit);
        }
    }
    Ok(shown)
}

/// The highest revision of each release (by namespace and name), in the
/// order their first records came.
fn latest_only(records: Vec<Release>) -> Vec<Release> {
    let mut out: Vec<Release> = Vec::new();
    for r in records {
        match out
            .iter_mut()
            .find(|o| o.name == r.name && o.namespace == r.namespace)
        {
            Some(have) if have.version > r.version => {}
            Some(have) => *have = r,
            None => out.push(r),
        }
    }
    out
}

fn deployed_seconds(r: &Release) -> i64 {
    r.info
        .as_ref()
        .map(|i| i.last_deployed.unix_seconds())
        .unwrap_or_default()
}

/// Helm's `List.sort`.
fn sort(releases: &mut [Release], options: &ListOptions) {
    if options.by_date {
        releases.sort_by_key(deployed_seconds);
    } else {
        releases.sort_by(|a, b| a.name.cmp(&b.name));
    }
    if options.reverse {
        releases.reverse();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::release::{Info, Timestamp};

    fn rel(name: &str, version: i64, status: Status, at: i64) -> Release {
        Release {
            name: name.into(),
            namespace: "ns".into(),
            version,
            info: Some(Info {
                last_deployed: Timestamp::from_unix(at, 0, 0),
                status,
                ..Info::default()
            }),
            ..Release::default()
        }
    }

    fn names(releases: &[Release]) -> Vec<(String, i64)> {
        releases
            .iter()
            .map(|r| (r.name.clone(), r.version))
            .collect()
    }

    fn records() -> Vec<Release> {
        vec![
            rel("web", 1, Status::Superseded, 10),
            rel("web", 2, Status::Superseded, 20),
            rel("web", 3, Status::Deployed, 30),
            rel("api", 1, Status::Failed, 40),
            rel("old", 1, Status::Uninstalled, 5),
            rel("busy", 1, Status::PendingInstall, 50),
        ]
    }

    fn pairs(list: &[(&str, i64)]) -> Vec<(String, i64)> {
        list.iter().map(|(n, v)| (n.to_string(), *v)).collect()
    }

    #[test]
    fn default_is_latest_deployed_or_failed_by_name() {
        let shown = select(records(), &ListOptions::default()).unwrap();
        assert_eq!(names(&shown), pairs(&[("api", 1), ("web", 3)]));
    }

    #[test]
    fn states_combine() {
        let o = ListOptions {
            pending: true,
            uninstalled: true,
            ..ListOptions::default()
        };
        assert_eq!(
            names(&select(records(), &o).unwrap()),
            pairs(&[("busy", 1), ("old", 1)])
        );
        let all = ListOptions {
            all: true,
            ..ListOptions::default()
        };
        assert_eq!(select(records(), &all).unwrap().len(), 4);
    }

    #[test]
    fn superseded_alone_lists_every_superseded_record() {
        let o = ListOptions {
            superseded: true,
            ..ListOptions::default()
        };
        assert_eq!(
            names(&select(records(), &o).unwrap()),
            pairs(&[("web", 1), ("web", 2)])
        );
        // With another state, only latest records count.
        let o = ListOptions {
            superseded: true,
            deployed: true,
            ..ListOptions::default()
        };
        assert_eq!(names(&select(records(), &o).unwrap()), pairs(&[("web", 3)]));
    }

    #[test]
    fn order_offset_and_limit() {
        let all = ListOptions {
            all: true,
            ..ListOptions::default()
        };
        let by_date = ListOptions {
            by_date: true,
            ..all.clone()
        };
        let shown = select(records(), &by_date).unwrap();
        assert_eq!(
            names(&shown),
            pairs(&[("old", 1), ("web", 3), ("api", 1), ("busy", 1)])
        );
        let reverse = ListOptions {
            reverse: true,
            ..all.clone()
        };
        let shown = select(records(), &reverse).unwrap();
        assert_eq!(shown[0].name, "web");
        let page = ListOptions {
            offset: 1,
            limit: 2,
            ..all.clone()
        };
        assert_eq!(
            names(&select(records(), &page).unwrap()),
            pairs(&[("busy", 1), ("old", 1)])
        );
        let past = ListOptions { offset: 9, ..all };
        assert!(select(records(), &past).unwrap().is_empty());
    }

    #[test]
    fn filter_is_a_go_regexp() {
        let o = ListOptions {
            all: true,
            filter: Some("^w|^a".into()),
            ..ListOptions::default()
        };
        assert_eq!(
            names(&select(records(), &o).unwrap()),
            pairs(&[("api", 1), ("web", 3)])
        );
        let bad = ListOptions {
            filter: Some("[a".into()),
            ..ListOptions::default()
        };
        assert_eq!(
            select(records(), &bad).unwrap_err(),
            "error parsing regexp: missing closing ]: `[a`"
        );
    }
}
