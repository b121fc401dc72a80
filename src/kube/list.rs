//! Which releases `helm list` shows, and in what order (Helm v3.21.4's
//! `pkg/action/list.go` and `cmd/helm/list.go`): the name filter
//! (`--filter`, a Go regular expression), the latest revision of each
//! release (every revision when only `--superseded` is asked for), the
//! state flags (deployed and failed by default), the sort (by name; `--date`
//! by deployment time; `--reverse`) and the page (`--offset`, `--max`).
//! `-l/--selector` keeps the records whose labels (all of the Secret's,
//! system labels included) match a label selector, after the state flags.

use crate::funcs::regex::GoRegex;
use crate::release::{Release, Status};

/// `helm list`'s selection flags.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListOptions {
    /// `--all`: every state.
    pub all: bool,
    pub deployed: bool,
    pub failed: bool,
    /// `--pending`: pending install, upgrade or rollback.
    pub pending: bool,
    pub superseded: bool,
    pub uninstalled: bool,
    pub uninstalling: bool,
    /// `--filter`.
    pub filter: Option<String>,
    /// `--date`.
    pub by_date: bool,
    /// `--reverse`.
    pub reverse: bool,
    /// `--max` (0: no limit).
    pub limit: usize,
    /// `--offset`.
    pub offset: usize,
    /// `-l/--selector`: a Kubernetes label selector (empty: everything).
    pub selector: String,
}

impl ListOptions {
    /// `SetStateMask`: the states shown, of those `records` hold (`--all`
    /// shows every status, unknown strings included).
    fn states(&self, records: &[Release]) -> Vec<Status> {
        if self.all {
            let mut every: Vec<Status> = records.iter().map(Release::status).collect();
            every.sort();
            every.dedup();
            return every;
        }
        let mut states = Vec::new();
        let mut add = |on: bool, these: &[Status]| {
            if on {
                states.extend_from_slice(these);
            }
        };
        add(self.deployed, &[Status::Deployed]);
        add(self.uninstalled, &[Status::Uninstalled]);
        add(self.uninstalling, &[Status::Uninstalling]);
        add(
            self.pending,
            &[
                Status::PendingInstall,
                Status::PendingRollback,
                Status::PendingUpgrade,
            ],
        );
        add(self.failed, &[Status::Failed]);
        add(self.superseded, &[Status::Superseded]);
        if states.is_empty() {
            states = vec![Status::Deployed, Status::Failed];
        }
        states
    }

    /// Whether only `--superseded` was asked for (then every revision is
    /// a candidate, not only the latest of each release).
    fn only_superseded(&self) -> bool {
        !self.all
            && self.superseded
            && !(self.deployed
                || self.failed
                || self.pending
                || self.uninstalled
                || self.uninstalling)
    }
}

/// `List.Run` over every stored record of the namespace(s). `Err` is Go's
/// regular expression error for a bad `--filter`.
pub fn select(records: &[Release], opts: &ListOptions) -> Result<Vec<Release>, String> {
    let filter = match &opts.filter {
        Some(f) if !f.is_empty() => Some(GoRegex::compile(f).map_err(|e| e.to_string())?),
        _ => None,
    };
    let named: Vec<Release> = records
        .iter()
        .filter(|r| filter.as_ref().is_none_or(|re| re.is_match(&r.name)))
        .cloned()
        .collect();
    let states = opts.states(&named);
    let mut shown: Vec<Release> = if opts.only_superseded() {
        named
            .into_iter()
            .filter(|r| states.contains(&r.status()))
            .collect()
    } else {
        super::print::latest_per_release(&named, &states)
    };
    let selector = super::selector::Selector::parse(&opts.selector)?;
    shown.retain(|r| selector.matches(&r.labels));
    sort(&mut shown, opts);
    if opts.offset >= shown.len() {
        return Ok(Vec::new());
    }
    let limit = match opts.limit {
        0 => shown.len(),
        n => n.min(shown.len()),
    };
    let last = (opts.offset + limit).min(shown.len());
    Ok(shown[opts.offset..last].to_vec())
}

fn deployed_seconds(r: &Release) -> i64 {
    r.info
        .as_ref()
        .map_or(0, |i| i.last_deployed.unix_seconds())
}

/// `List.sort`: by name, or by deployment second with `--date`; `--reverse`
/// turns either round.
fn sort(releases: &mut [Release], opts: &ListOptions) {
    if opts.by_date {
        releases.sort_by_key(deployed_seconds);
    } else {
        releases.sort_by(|a, b| a.name.cmp(&b.name));
    }
    if opts.reverse {
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
                status,
                last_deployed: Timestamp::from_unix(at, 0, 0),
                ..Info::default()
            }),
            ..Release::default()
        }
    }

    fn records() -> Vec<Release> {
        vec![
            rel("web", 1, Status::Superseded, 10),
            rel("web", 2, Status::Deployed, 30),
            rel("api", 1, Status::Failed, 20),
            rel("db", 1, Status::Uninstalled, 5),
            rel("cache", 3, Status::PendingUpgrade, 40),
        ]
    }

    fn names(list: &[Release]) -> Vec<String> {
        list.iter()
            .map(|r| format!("{}.{}", r.name, r.version))
            .collect()
    }

    #[test]
    fn default_shows_latest_deployed_and_failed_by_name() {
        let shown = select(&records(), &ListOptions::default()).unwrap();
        assert_eq!(names(&shown), ["api.1", "web.2"]);
    }

    #[test]
    fn state_flags() {
        let all = ListOptions {
            all: true,
            ..ListOptions::default()
        };
        assert_eq!(
            names(&select(&records(), &all).unwrap()),
            ["api.1", "cache.3", "db.1", "web.2"]
        );
        let pending = ListOptions {
            pending: true,
            uninstalled: true,
            ..ListOptions::default()
        };
        assert_eq!(
            names(&select(&records(), &pending).unwrap()),
            ["cache.3", "db.1"]
        );
        // Only --superseded looks at every revision.
        let superseded = ListOptions {
            superseded: true,
            ..ListOptions::default()
        };
        assert_eq!(names(&select(&records(), &superseded).unwrap()), ["web.1"]);
    }

    #[test]
    fn sort_filter_and_page() {
        let base = ListOptions {
            all: true,
            ..ListOptions::default()
        };
        let by_date = ListOptions {
            by_date: true,
            ..base.clone()
        };
        assert_eq!(
            names(&select(&records(), &by_date).unwrap()),
            ["db.1", "api.1", "web.2", "cache.3"]
        );
        let reversed = ListOptions {
            reverse: true,
            ..base.clone()
        };
        assert_eq!(
            names(&select(&records(), &reversed).unwrap()),
            ["web.2", "db.1", "cache.3", "api.1"]
        );
        let filtered = ListOptions {
            filter: Some("^(a|w)".into()),
            ..base.clone()
        };
        assert_eq!(
            names(&select(&records(), &filtered).unwrap()),
            ["api.1", "web.2"]
        );
        let page = ListOptions {
            offset: 1,
            limit: 2,
            ..base.clone()
        };
        assert_eq!(
            names(&select(&records(), &page).unwrap()),
            ["cache.3", "db.1"]
        );
        let past = ListOptions {
            offset: 9,
            ..base.clone()
        };
        assert!(select(&records(), &past).unwrap().is_empty());
        let bad = ListOptions {
            filter: Some("(".into()),
            ..base
        };
        assert_eq!(
            select(&records(), &bad).unwrap_err(),
            "error parsing regexp: missing closing ): `(`"
        );
    }

    #[test]
    fn selector_filters_after_the_states() {
        let mut recs = records();
        recs[1].labels.insert("team".into(), "a".into());
        recs[2].labels.insert("team".into(), "b".into());
        // An older revision's label does not make the release shown.
        recs[0].labels.insert("tier".into(), "web".into());
        let with = |selector: &str| ListOptions {
            all: true,
            selector: selector.into(),
            ..ListOptions::default()
        };
        assert_eq!(names(&select(&recs, &with("team=a")).unwrap()), ["web.2"]);
        assert_eq!(
            names(&select(&recs, &with("team in (a,b)")).unwrap()),
            ["api.1", "web.2"]
        );
        assert_eq!(
            names(&select(&recs, &with("!team")).unwrap()),
            ["cache.3", "db.1"]
        );
        assert!(select(&recs, &with("tier")).unwrap().is_empty());
        assert_eq!(
            select(&recs, &with("team in a")).unwrap_err(),
            "unable to parse requirement: found 'a' expected: '('"
        );
    }
}
