//! `.Capabilities` from the cluster, as Helm v3.21.4's
//! `Configuration.getCapabilities` and `GetVersionSet` (`pkg/action/action.go`)
//! build them for install and upgrade: the server's `/version`, and as API
//! versions every group version discovery lists plus `group/version/Kind`
//! for each resource (subresources included) of each of them. Rollback
//! renders nothing, so it needs none.

use crate::api::capabilities::Capabilities;

/// One group version's discovered resources: its `groupVersion` and the
/// kind of each resource.
pub struct Discovered {
    pub group_version: String,
    pub kinds: Vec<String>,
}

/// Go's `path.Join(groupVersion, kind)` for the names discovery gives
/// (no dots or doubled slashes to clean): an empty part is dropped.
fn join(group_version: &str, kind: &str) -> String {
    match (group_version.is_empty(), kind.is_empty()) {
        (true, _) => kind.to_string(),
        (false, true) => group_version.to_string(),
        (false, false) => format!("{group_version}/{kind}"),
    }
}

/// Helm's `GetVersionSet`: the group versions, then `gv/Kind` entries, each
/// once. Helm's order comes from a Go map; this one is sorted.
pub fn version_set(group_versions: &[String], resources: &[Discovered]) -> Vec<String> {
    let mut set = std::collections::BTreeSet::new();
    for gv in group_versions {
        set.insert(gv.clone());
    }
    for r in resources {
        for kind in &r.kinds {
            set.insert(join(&r.group_version, kind));
        }
    }
    set.into_iter().collect()
}

/// The cluster's capabilities from its `/version` fields and discovery.
pub fn from_discovery(
    git_version: &str,
    major: &str,
    minor: &str,
    group_versions: &[String],
    resources: &[Discovered],
) -> Capabilities {
    Capabilities::from_cluster(
        git_version,
        major,
        minor,
        version_set(group_versions, resources),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn discovered(gv: &str, kinds: &[&str]) -> Discovered {
        Discovered {
            group_version: gv.into(),
            kinds: kinds.iter().map(|k| k.to_string()).collect(),
        }
    }

    #[test]
    fn group_versions_and_kinds_each_once() {
        let set = version_set(
            &["v1".into(), "apps/v1".into(), "apps/v1".into()],
            &[
                discovered("v1", &["Pod", "Pod", "Binding"]),
                discovered("apps/v1", &["Deployment", "Scale", ""]),
            ],
        );
        assert_eq!(
            set,
            [
                "apps/v1",
                "apps/v1/Deployment",
                "apps/v1/Scale",
                "v1",
                "v1/Binding",
                "v1/Pod"
            ]
        );
    }

    #[test]
    fn nothing_discovered_gives_helms_defaults() {
        let caps = from_discovery("v1.20.2", "1", "20", &[], &[]);
        assert!(caps.api_versions.0.iter().any(|v| v == "apps/v1"));
        assert_eq!(caps.kube_version.major, "1");
        let caps = from_discovery("v1.20.2", "1", "20", &["x.io/v1".into()], &[]);
        assert_eq!(caps.api_versions.0, ["x.io/v1"]);
    }
}
