//! `.Capabilities` as `helm template` v3.21.4 builds it (client-only):
//! `chartutil.DefaultCapabilities` of the release binary (Kubernetes
//! v1.36.0, the API versions client-go v0.36 knows), `--kube-version` parsed
//! with Kubernetes' generic version rules, `--api-versions` appended; and
//! as install and upgrade take them from a cluster (`from_cluster`).

pub use crate::engine::objects::Capabilities;
use crate::engine::objects::{HelmVersion, KubeVersion, VersionSet};
use crate::funcs::semver::{Constraints, Version};

/// The Kubernetes version the release binary of Helm v3.21.4 reports.
pub const DEFAULT_KUBE_VERSION: &str = "v1.36.0";

/// The group versions of client-go v0.36's scheme plus apiextensions, which
/// Helm's `allKnownVersions` lists (Helm's own order comes from a Go map and
/// varies between runs; membership is what `.Has` checks).
const DEFAULT_API_VERSIONS: &[&str] = &[
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha2",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

/// `.Capabilities.HelmVersion` of the Helm release Chartroom follows.
fn helm_version() -> HelmVersion {
    HelmVersion {
        version: "v3.21.4".into(),
        git_commit: "813176c51bb5c181dbbd7901298ddcc104cd3417".into(),
        git_tree_state: "clean".into(),
        go_version: "go1.26.6".into(),
    }
}

impl Capabilities {
    /// `helm template`'s capabilities: the defaults, `--kube-version` (with
    /// Helm's error text), `--api-versions` appended.
    pub fn for_template(
        kube_version: Option<&str>,
        api_versions: &[String],
    ) -> Result<Self, String> {
        let kube_version = match kube_version {
            Some(v) if !v.is_empty() => {
                parse_kube_version(v).map_err(|e| format!("invalid kube version '{v}': {e}"))?
            }
            _ => parse_kube_version(DEFAULT_KUBE_VERSION)?,
        };
        let mut versions: Vec<String> =
            DEFAULT_API_VERSIONS.iter().map(|s| s.to_string()).collect();
        versions.extend(api_versions.iter().cloned());
        Ok(Capabilities {
            kube_version,
            api_versions: VersionSet(versions),
            helm_version: helm_version(),
        })
    }
}

impl Capabilities {
    /// The capabilities Helm's install and upgrade take from the cluster
    /// (`Configuration.getCapabilities`): the server's `/version` fields as
    /// given (not parsed), the discovered API versions (Helm's default set
    /// when discovery found nothing) and Helm's own version.
    pub fn from_cluster(
        git_version: &str,
        major: &str,
        minor: &str,
        api_versions: Vec<String>,
    ) -> Self {
        let api_versions = if api_versions.is_empty() {
            DEFAULT_API_VERSIONS.iter().map(|s| s.to_string()).collect()
        } else {
            api_versions
        };
        Capabilities {
            kube_version: KubeVersion {
                version: git_version.to_string(),
                major: major.to_string(),
                minor: minor.to_string(),
            },
            api_versions: VersionSet(api_versions),
            helm_version: helm_version(),
        }
    }
}

/// Helm's `ParseKubeVersion` over Kubernetes' `ParseGeneric`: at least two
/// numeric components, `v` prefix optional, anything after them ignored.
pub fn parse_kube_version(text: &str) -> Result<KubeVersion, String> {
    let quoted = crate::template::strconv::quote(text);
    let trimmed = text.trim_start_matches([' ', '\t', '\n', '\r', '\u{b}', '\u{c}']);
    let body = trimmed.strip_prefix('v').unwrap_or(trimmed);
    let numeric_len = {
        // `[0-9]+(\.[0-9]+)*`: digits, then dot-digit groups.
        let b = body.as_bytes();
        let mut end = 0;
        while end < b.len() && b[end].is_ascii_digit() {
            end += 1;
        }
        if end == 0 {
            return Err(format!("could not parse {quoted} as version"));
        }
        loop {
            let mut next = end;
            if next < b.len() && b[next] == b'.' {
                next += 1;
                let start = next;
                while next < b.len() && b[next].is_ascii_digit() {
                    next += 1;
                }
                if next > start {
                    end = next;
                    continue;
                }
            }
            break;
        }
        end
    };
    let components: Vec<&str> = body[..numeric_len].split('.').collect();
    if components.len() < 2 {
        return Err(format!("illegal version string {quoted}"));
    }
    let mut numbers = Vec::with_capacity(components.len());
    for (i, comp) in components.iter().enumerate() {
        if i == 0 && comp.starts_with('0') && *comp != "0" {
            return Err(format!(
                "illegal zero-prefixed version component {} in {quoted}",
                crate::template::strconv::quote(comp)
            ));
        }
        let n: u64 = comp.parse().map_err(|_| {
            format!(
                "illegal non-numeric version component {} in {quoted}: strconv.ParseUint: parsing {}: value out of range",
                crate::template::strconv::quote(comp),
                crate::template::strconv::quote(comp)
            )
        })?;
        numbers.push(n);
    }
    let version: Vec<String> = numbers.iter().map(u64::to_string).collect();
    Ok(KubeVersion {
        version: format!("v{}", version.join(".")),
        major: numbers[0].to_string(),
        minor: numbers[1].to_string(),
    })
}

/// Helm's `IsCompatibleRange`: whether `version` satisfies `constraint`
/// (false when either does not parse).
pub fn is_compatible_range(constraint: &str, version: &str) -> bool {
    match (Version::parse(version), Constraints::parse(constraint)) {
        (Ok(v), Ok(c)) => c.check(&v),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_capabilities_keep_the_servers_fields() {
        let caps = Capabilities::from_cluster("v1.20.2", "1", "20+", vec!["apps/v1".into()]);
        assert_eq!(caps.kube_version.version, "v1.20.2");
        assert_eq!(caps.kube_version.minor, "20+");
        assert_eq!(caps.api_versions.0, vec!["apps/v1".to_string()]);
        assert_eq!(caps.helm_version, helm_version());
        let empty = Capabilities::from_cluster("v1.20.2", "1", "20", Vec::new());
        assert_eq!(empty.api_versions.0.len(), DEFAULT_API_VERSIONS.len());
    }

    #[test]
    fn kube_versions_parse_like_kubernetes() {
        let v = parse_kube_version("1.26").unwrap();
        assert_eq!(
            (v.version.as_str(), v.major.as_str(), v.minor.as_str()),
            ("v1.26", "1", "26")
        );
        assert_eq!(
            parse_kube_version("v1.29.0-gke.1").unwrap().version,
            "v1.29.0"
        );
        assert_eq!(
            parse_kube_version("1").unwrap_err(),
            "illegal version string \"1\""
        );
        assert_eq!(
            parse_kube_version("x1.2").unwrap_err(),
            "could not parse \"x1.2\" as version"
        );
        assert_eq!(
            parse_kube_version("01.2").unwrap_err(),
            "illegal zero-prefixed version component \"01\" in \"01.2\""
        );
    }

    #[test]
    fn defaults_and_ranges() {
        let caps = Capabilities::for_template(None, &["example.com/v1".into()]).unwrap();
        assert_eq!(caps.kube_version.version, "v1.36.0");
        assert!(caps.api_versions.0.iter().any(|v| v == "apps/v1"));
        assert!(caps.api_versions.0.iter().any(|v| v == "example.com/v1"));
        assert!(is_compatible_range(">=1.20.0-0", "v1.36.0"));
        assert!(!is_compatible_range("<1.20.0", "v1.36.0"));
        assert!(!is_compatible_range("not a range", "v1.36.0"));
    }
}
