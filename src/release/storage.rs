//! Release records in Kubernetes Secrets, as Helm v3.21.4's default storage
//! driver keeps them (`pkg/storage/driver/secrets.go`, `labels.go`,
//! `util.go`) and as `pkg/storage/storage.go` reads the history.
//!
//! - One Secret per revision, named `sh.helm.release.v1.<name>.v<revision>`,
//!   of type `helm.sh/release.v1`, with `data.release` holding the encoded
//!   record ([`super::codec::encode`]; the API's JSON base64-encodes the
//!   Secret's bytes once more).
//! - Labels: the release's own labels, then `createdAt` (on create) or
//!   `modifiedAt` (on update) as Unix seconds, then the release's labels
//!   again (so a stored `modifiedAt` read back with the record wins over the
//!   new one, as in Helm), then `name`, `owner=helm`, `status`, `version`.
//! - Reading a Secret, the record's labels are all of the Secret's labels
//!   (Helm's `List` and `Query`, which the history uses); Helm's `Get`
//!   keeps only [`user_labels`].
//! - History: Helm sorts by revision where order matters (`Last`,
//!   `Deployed`, pruning); where it does not sort, records come in the
//!   API server's list order, which is by Secret name ([`list_order`]).
//! - `--max-history`: before storing a new revision, Helm deletes the
//!   oldest revisions until `max - 1` remain, never the last deployed one
//!   ([`prune_plan`]).

use std::collections::BTreeMap;

use super::codec::{base64_decode, base64_encode, decode, encode};
use super::{Release, Status};
use crate::value::{Map, Value};

/// The Secret type Helm 3 stores records under.
pub const SECRET_TYPE: &str = "helm.sh/release.v1";
/// The prefix of record names (`storage.HelmStorageType`).
pub const STORAGE_TYPE: &str = "sh.helm.release.v1";
/// The labels Helm sets itself (`driver.GetSystemLabels`); user labels may
/// not use them.
pub const SYSTEM_LABELS: [&str; 6] = [
    "name",
    "owner",
    "status",
    "version",
    "createdAt",
    "modifiedAt",
];
/// The label selector of every Helm record (`owner=helm`).
pub const OWNER_SELECTOR: &str = "owner=helm";

/// `driver.ErrReleaseNotFound`.
pub const ERR_RELEASE_NOT_FOUND: &str = "release: not found";
/// `driver.ErrReleaseExists`.
pub const ERR_RELEASE_EXISTS: &str = "release: already exists";

/// `driver.NewErrNoDeployedReleases(name)`.
pub fn no_deployed_releases(name: &str) -> String {
    format!(
        "{} has no deployed releases",
        crate::template::strconv::quote(name)
    )
}

/// Helm's `makeKey`: `sh.helm.release.v1.<name>.v<revision>`.
pub fn secret_name(release_name: &str, revision: i64) -> String {
    format!("{STORAGE_TYPE}.{release_name}.v{revision}")
}

/// The label selector of one release's history (`Storage.History`), as
/// client-go writes a label set: keys sorted, comma-separated.
pub fn history_selector(release_name: &str) -> String {
    format!("name={release_name},owner=helm")
}

/// Which write a Secret is for, with the time (Unix seconds) Helm stamps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stamp {
    /// `Create`: sets `createdAt`.
    Create(i64),
    /// `Update`: sets `modifiedAt`.
    Update(i64),
}

/// The labels Helm puts on a record's Secret (`newSecretsObject` after
/// `Create` or `Update`).
pub fn secret_labels(release: &Release, stamp: Stamp) -> BTreeMap<String, String> {
    let mut labels = release.labels.clone();
    match stamp {
        Stamp::Create(t) => labels.insert("createdAt".into(), t.to_string()),
        Stamp::Update(t) => labels.insert("modifiedAt".into(), t.to_string()),
    };
    labels.extend(release.labels.clone());
    labels.insert("name".into(), release.name.clone());
    labels.insert("owner".into(), "helm".into());
    labels.insert("status".into(), release.status().as_str().to_string());
    labels.insert("version".into(), release.version.to_string());
    labels
}

/// The Secret holding `release`, as the JSON object the API server takes
/// (`apiVersion`, `kind`, `metadata.name`, `metadata.labels`, `type`,
/// `data.release`). Like Helm's, it names no namespace: the request path
/// does. `Err` is the record's JSON encoding error.
pub fn to_secret(release: &Release, stamp: Stamp) -> Result<Value, String> {
    let record = encode(release)?;
    let labels: Map = secret_labels(release, stamp)
        .into_iter()
        .map(|(k, v)| (k, Value::from(v)))
        .collect();
    let metadata = Map::new();
    metadata.insert(
        "name",
        Value::from(secret_name(&release.name, release.version)),
    );
    metadata.insert("labels", Value::Map(labels));
    let data = Map::new();
    data.insert("release", Value::from(base64_encode(record.as_bytes())));
    let secret = Map::new();
    secret.insert("apiVersion", Value::from("v1"));
    secret.insert("kind", Value::from("Secret"));
    secret.insert("metadata", Value::Map(metadata));
    secret.insert("type", Value::from(SECRET_TYPE));
    secret.insert("data", Value::Map(data));
    Ok(Value::Map(secret))
}

/// The record a Secret (as the API server returns it) holds, with all of
/// the Secret's labels. `Err` is the decoding failure (base64 of the API
/// field, then [`decode`]).
pub fn from_secret(secret: &Value) -> Result<Release, String> {
    let field = |v: Option<Value>, key: &str| v.and_then(|v| v.as_map().and_then(|m| m.get(key)));
    let data = field(field(Some(secret.clone()), "data"), "release");
    let encoded = match data {
        Some(Value::String(s)) => base64_decode(&s)?,
        // An absent entry is an empty string in Go.
        _ => Vec::new(),
    };
    let text = String::from_utf8_lossy(&encoded);
    let mut release = decode(&text)?;
    if let Some(Value::Map(labels)) = field(field(Some(secret.clone()), "metadata"), "labels") {
        release.labels = labels
            .entries()
            .into_iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
            .collect();
    }
    Ok(release)
}

/// Helm's `filterSystemLabels`: the labels a user set (what `Get` keeps).
pub fn user_labels(labels: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    labels
        .iter()
        .filter(|(k, _)| !SYSTEM_LABELS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Helm's `ContainsSystemLabels`: user labels may not use these names.
pub fn contains_system_labels(labels: &BTreeMap<String, String>) -> bool {
    labels.keys().any(|k| SYSTEM_LABELS.contains(&k.as_str()))
}

/// The error Helm gives for `--labels` naming a system label.
pub fn system_labels_error() -> String {
    format!(
        "user supplied labels contains system reserved label name. System labels: [{}]",
        SYSTEM_LABELS.join(" ")
    )
}

/// Sorts records oldest first (`releaseutil.SortByRevision`).
pub fn sort_by_revision(history: &mut [Release]) {
    history.sort_by_key(|r| r.version);
}

/// Sorts records as the API server lists their Secrets (by name, so
/// revision 10 comes before revision 2), the order Helm's unsorted history
/// has (`helm upgrade --install` looks at the last of it).
pub fn list_order(history: &mut [Release]) {
    history.sort_by_cached_key(|r| secret_name(&r.name, r.version));
}

/// `Storage.Last`: the highest revision.
pub fn latest(history: &[Release]) -> Option<&Release> {
    history.iter().max_by_key(|r| r.version)
}

/// `Storage.Deployed`: the highest revision whose status is `deployed`
/// (several are deployed only after concurrent operations).
pub fn deployed(history: &[Release]) -> Option<&Release> {
    history
        .iter()
        .filter(|r| r.status() == Status::Deployed)
        .max_by_key(|r| r.version)
}

/// The revisions `Storage.Create` deletes before storing a new revision
/// when `--max-history` is `max_history` (0 or less: no limit): oldest
/// first, until `max_history - 1` records remain, skipping the last
/// deployed revision.
pub fn prune_plan(history: &[Release], max_history: i64) -> Vec<i64> {
    if max_history <= 0 {
        return Vec::new();
    }
    let keep = (max_history - 1) as usize;
    if history.len() <= keep {
        return Vec::new();
    }
    let mut versions: Vec<i64> = history.iter().map(|r| r.version).collect();
    versions.sort_unstable();
    let last_deployed = deployed(history).map(|r| r.version);
    let mut doomed = Vec::new();
    for v in versions {
        if history.len() - doomed.len() == keep {
            break;
        }
        if Some(v) != last_deployed {
            doomed.push(v);
        }
    }
    doomed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::release::Info;

    fn rel(version: i64, status: Status) -> Release {
        Release {
            name: "web".into(),
            namespace: "apps".into(),
            version,
            info: Some(Info {
                status,
                ..Info::default()
            }),
            ..Release::default()
        }
    }

    fn history(statuses: &[Status]) -> Vec<Release> {
        statuses
            .iter()
            .enumerate()
            .map(|(i, s)| rel(i as i64 + 1, s.clone()))
            .collect()
    }

    #[test]
    fn names_and_selectors() {
        assert_eq!(secret_name("web", 12), "sh.helm.release.v1.web.v12");
        assert_eq!(history_selector("web"), "name=web,owner=helm");
        assert_eq!(
            no_deployed_releases("web"),
            "\"web\" has no deployed releases"
        );
        assert_eq!(
            system_labels_error(),
            "user supplied labels contains system reserved label name. System labels: [name owner status version createdAt modifiedAt]"
        );
    }

    #[test]
    fn secret_labels_follow_helm_order_of_writes() {
        let mut r = rel(3, Status::Deployed);
        r.labels.insert("team".into(), "blue".into());
        r.labels.insert("status".into(), "stale".into());
        let l = secret_labels(&r, Stamp::Create(1700000000));
        let expect: BTreeMap<String, String> = [
            ("createdAt", "1700000000"),
            ("name", "web"),
            ("owner", "helm"),
            ("status", "deployed"),
            ("team", "blue"),
            ("version", "3"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(l, expect);
        // A record read back from a list keeps its old modifiedAt (Helm
        // re-applies the record's labels after stamping).
        r.labels.insert("modifiedAt".into(), "5".into());
        r.labels.insert("createdAt".into(), "4".into());
        let l = secret_labels(&r, Stamp::Update(9));
        assert_eq!(l["modifiedAt"], "5");
        assert_eq!(l["createdAt"], "4");
        r.labels.remove("modifiedAt");
        assert_eq!(secret_labels(&r, Stamp::Update(9))["modifiedAt"], "9");
        assert_eq!(user_labels(&r.labels).keys().collect::<Vec<_>>(), ["team"]);
        assert!(contains_system_labels(&r.labels));
    }

    #[test]
    fn secrets_round_trip() {
        let mut r = rel(2, Status::Superseded);
        r.manifest = "---\n# Source: c/templates/a.yaml\nkind: ConfigMap\n".into();
        r.labels.insert("team".into(), "blue".into());
        let secret = to_secret(&r, Stamp::Create(42)).unwrap();
        let m = secret.as_map().unwrap();
        assert_eq!(m.get("type").unwrap().as_str(), Some(SECRET_TYPE));
        assert_eq!(m.get("kind").unwrap().as_str(), Some("Secret"));
        let md = m.get("metadata").unwrap();
        let md = md.as_map().unwrap();
        assert_eq!(
            md.get("name").unwrap().as_str(),
            Some("sh.helm.release.v1.web.v2")
        );
        assert!(!md.contains_key("namespace"));
        // data.release is base64 (API) of base64 (Helm) of gzip.
        let data = m.get("data").unwrap();
        let outer = data.as_map().unwrap().get("release").unwrap();
        let inner = base64_decode(outer.as_str().unwrap()).unwrap();
        let gz = base64_decode(std::str::from_utf8(&inner).unwrap()).unwrap();
        assert_eq!(gz[..3], [0x1f, 0x8b, 0x08]);

        let back = from_secret(&secret).unwrap();
        assert_eq!(back.name, "web");
        assert_eq!(back.version, 2);
        assert_eq!(back.status(), Status::Superseded);
        assert_eq!(back.manifest, r.manifest);
        assert_eq!(back.labels["createdAt"], "42");
        assert_eq!(back.labels["team"], "blue");
        assert_eq!(back.labels["owner"], "helm");
    }

    #[test]
    fn broken_secrets_report_go_errors() {
        let secret = crate::yaml::from_json(r#"{"data":{"release":"%%%"}}"#).unwrap();
        assert_eq!(
            from_secret(&secret).unwrap_err(),
            "illegal base64 data at input byte 0"
        );
        let secret = crate::yaml::from_json(r#"{"data":{}}"#).unwrap();
        assert_eq!(
            from_secret(&secret).unwrap_err(),
            "unexpected end of JSON input"
        );
    }

    #[test]
    fn history_order_latest_and_deployed() {
        let mut h = history(&[
            Status::Superseded,
            Status::Superseded,
            Status::Deployed,
            Status::Failed,
        ]);
        h.extend((5..=11).map(|v| rel(v, Status::Failed)));
        h.reverse();
        assert_eq!(latest(&h).unwrap().version, 11);
        assert_eq!(deployed(&h).unwrap().version, 3);
        sort_by_revision(&mut h);
        let order: Vec<i64> = h.iter().map(|r| r.version).collect();
        assert_eq!(order, (1..=11).collect::<Vec<_>>());
        list_order(&mut h);
        let order: Vec<i64> = h.iter().map(|r| r.version).collect();
        assert_eq!(order, [1, 10, 11, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert!(deployed(&history(&[Status::Failed])).is_none());
        assert!(latest(&[]).is_none());
        // Two deployed after a race: the newer one.
        let race = history(&[Status::Deployed, Status::Deployed, Status::Failed]);
        assert_eq!(deployed(&race).unwrap().version, 2);
    }

    #[test]
    fn pruning_keeps_room_for_one_more_and_the_deployed_revision() {
        use Status::*;
        let h = history(&[Superseded, Superseded, Superseded, Deployed]);
        assert_eq!(prune_plan(&h, 0), Vec::<i64>::new());
        assert_eq!(prune_plan(&h, -1), Vec::<i64>::new());
        assert_eq!(prune_plan(&h, 5), Vec::<i64>::new());
        assert_eq!(prune_plan(&h, 4), vec![1]);
        assert_eq!(prune_plan(&h, 2), vec![1, 2, 3]);
        // max 1 would delete everything, but never the deployed revision.
        assert_eq!(prune_plan(&h, 1), vec![1, 2, 3]);
        // The deployed revision is old: skipped, newer failures go.
        let h = history(&[Superseded, Deployed, Failed, Failed, Failed]);
        assert_eq!(prune_plan(&h, 3), vec![1, 3, 4]);
        // Nothing deployed: plain oldest-first.
        let h = history(&[Failed, Failed, Failed]);
        assert_eq!(prune_plan(&h, 2), vec![1, 2]);
        // Unsorted input is fine.
        let mut h = history(&[Superseded, Superseded, Deployed]);
        h.reverse();
        assert_eq!(prune_plan(&h, 2), vec![1, 2]);
    }
}
