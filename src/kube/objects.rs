//! The objects of a release manifest as Helm's kube client handles them
//! (Helm v3.21.4 `pkg/kube/client.go` `Build`, `pkg/action/validate.go`,
//! `pkg/action/uninstall.go`), with no cluster access:
//!
//! - the manifest is cut into documents ([`split_manifests`]) and each
//!   document becomes a JSON object (`sigs.k8s.io/yaml` semantics);
//! - Helm's ownership metadata: the label `app.kubernetes.io/managed-by=Helm`
//!   and the annotations `meta.helm.sh/release-name` and
//!   `meta.helm.sh/release-namespace`, merged into every object on install
//!   and upgrade;
//! - the refusal to adopt an existing object that another release (or no
//!   release) owns, with Helm's message ([`check_ownership`]);
//! - `helm.sh/resource-policy: keep` ([`keeps`]) and the uninstall order.

use serde_json::{Map as JsonMap, Value as Json};

use crate::action::sort::{sort_by_kind, UNINSTALL_ORDER};
use crate::action::split_manifests;

/// `app.kubernetes.io/managed-by`
pub const MANAGED_BY_LABEL: &str = "app.kubernetes.io/managed-by";
/// The managed-by value Helm sets and requires.
pub const MANAGED_BY_HELM: &str = "Helm";
/// `meta.helm.sh/release-name`
pub const RELEASE_NAME_ANNOTATION: &str = "meta.helm.sh/release-name";
/// `meta.helm.sh/release-namespace`
pub const RELEASE_NAMESPACE_ANNOTATION: &str = "meta.helm.sh/release-namespace";
/// `helm.sh/resource-policy`
pub const RESOURCE_POLICY_ANNOTATION: &str = "helm.sh/resource-policy";

/// One object of a manifest.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    /// `metadata.namespace` as written (before namespacing).
    pub namespace: Option<String>,
    /// The whole object as JSON.
    pub body: Json,
}

impl Resource {
    /// The object's group and version (`apps/v1` → `("apps", "v1")`,
    /// `v1` → `("", "v1")`).
    pub fn group_version(&self) -> (&str, &str) {
        group_version(&self.api_version)
    }

    /// Helm's `resourceString`: `Kind "name" in namespace "ns"`.
    pub fn describe(&self) -> String {
        resource_string(
            &self.kind,
            &self.name,
            self.namespace.as_deref().unwrap_or(""),
        )
    }

    /// Gives the object `namespace` when it is namespaced and names none;
    /// drops any namespace of a cluster-scoped object (the API path has none).
    pub fn set_scope(&mut self, namespaced: bool, namespace: &str) {
        let metadata = metadata_mut(&mut self.body);
        if namespaced {
            let ns = match self.namespace.as_deref() {
                Some(ns) if !ns.is_empty() => ns.to_string(),
                _ => namespace.to_string(),
            };
            metadata.insert("namespace".into(), Json::String(ns.clone()));
            self.namespace = Some(ns);
        } else {
            metadata.remove("namespace");
            self.namespace = None;
        }
    }

    /// Helm's `setMetadataVisitor` with forced ownership: merges the
    /// managed-by label and the release annotations into the object.
    pub fn set_ownership(&mut self, release_name: &str, release_namespace: &str) {
        let metadata = metadata_mut(&mut self.body);
        string_map_mut(metadata, "labels").insert(
            MANAGED_BY_LABEL.into(),
            Json::String(MANAGED_BY_HELM.into()),
        );
        let annotations = string_map_mut(metadata, "annotations");
        annotations.insert(
            RELEASE_NAME_ANNOTATION.into(),
            Json::String(release_name.into()),
        );
        annotations.insert(
            RELEASE_NAMESPACE_ANNOTATION.into(),
            Json::String(release_namespace.into()),
        );
    }
}

/// `apiVersion` as group and version.
pub fn group_version(api_version: &str) -> (&str, &str) {
    match api_version.split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version),
    }
}

/// Helm's `resourceString`.
pub fn resource_string(kind: &str, name: &str, namespace: &str) -> String {
    format!("{kind} {} in namespace {}", quote(name), quote(namespace))
}

fn quote(s: &str) -> String {
    crate::template::strconv::quote(s)
}

fn metadata_mut(body: &mut Json) -> &mut JsonMap<String, Json> {
    if !body.is_object() {
        *body = Json::Object(JsonMap::new());
    }
    let Json::Object(map) = body else {
        unreachable!("just made an object")
    };
    string_map_mut(map, "metadata")
}

/// The object under `key`, made an empty object when absent or not one.
fn string_map_mut<'a>(
    map: &'a mut JsonMap<String, Json>,
    key: &str,
) -> &'a mut JsonMap<String, Json> {
    let entry = map
        .entry(key.to_string())
        .or_insert_with(|| Json::Object(JsonMap::new()));
    if !entry.is_object() {
        *entry = Json::Object(JsonMap::new());
    }
    match entry {
        Json::Object(m) => m,
        _ => unreachable!("just made an object"),
    }
}

fn text(v: Option<&Json>) -> String {
    v.and_then(Json::as_str).unwrap_or_default().to_string()
}

/// The string map at `metadata.<key>` of an object.
pub fn metadata_strings(body: &Json, key: &str) -> std::collections::BTreeMap<String, String> {
    body.get("metadata")
        .and_then(|m| m.get(key))
        .and_then(Json::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// The objects of a release manifest, in order. Documents that hold no
/// object (comments only, `null`) are skipped, as Helm's builder does.
/// `Err` is the first document's decoding or shape error.
pub fn parse_manifest(manifest: &str) -> Result<Vec<Resource>, String> {
    let mut out = Vec::new();
    for doc in split_manifests(manifest) {
        let json = crate::yaml::yaml_to_json(&doc).map_err(|e| e.to_string())?;
        let body: Json = serde_json::from_str(&json).map_err(|e| e.to_string())?;
        if body.is_null() {
            continue;
        }
        if !body.is_object() {
            return Err(format!(
                "error unmarshaling JSON: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                json_kind(&body)
            ));
        }
        let api_version = text(body.get("apiVersion"));
        let kind = text(body.get("kind"));
        if kind.is_empty() {
            return Err(format!("Object 'Kind' is missing in '{}'", json.trim()));
        }
        if api_version.is_empty() {
            return Err(format!(
                "Object 'apiVersion' is missing in '{}'",
                json.trim()
            ));
        }
        let metadata = body.get("metadata");
        let name = text(metadata.and_then(|m| m.get("name")));
        let namespace = metadata
            .and_then(|m| m.get("namespace"))
            .and_then(Json::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        out.push(Resource {
            api_version,
            kind,
            name,
            namespace,
            body,
        });
    }
    Ok(out)
}

fn json_kind(v: &Json) -> &'static str {
    match v {
        Json::Array(_) => "array",
        Json::String(_) => "string",
        Json::Number(_) => "number",
        Json::Bool(_) => "bool",
        _ => "value",
    }
}

/// Helm's `checkOwnership` of an existing object (as the server returns
/// it): `Err` is `invalid ownership metadata; …` listing every mismatch.
pub fn check_ownership(
    existing: &Json,
    release_name: &str,
    release_namespace: &str,
) -> Result<(), String> {
    let labels = metadata_strings(existing, "labels");
    let annotations = metadata_strings(existing, "annotations");
    let mut errors = Vec::new();
    if let Err(e) = require_value(&labels, MANAGED_BY_LABEL, MANAGED_BY_HELM) {
        errors.push(format!("label validation error: {e}"));
    }
    if let Err(e) = require_value(&annotations, RELEASE_NAME_ANNOTATION, release_name) {
        errors.push(format!("annotation validation error: {e}"));
    }
    if let Err(e) = require_value(
        &annotations,
        RELEASE_NAMESPACE_ANNOTATION,
        release_namespace,
    ) {
        errors.push(format!("annotation validation error: {e}"));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!("invalid ownership metadata; {}", errors.join("; ")))
    }
}

fn require_value(
    map: &std::collections::BTreeMap<String, String>,
    key: &str,
    want: &str,
) -> Result<(), String> {
    match map.get(key) {
        None => Err(format!(
            "missing key {}: must be set to {}",
            quote(key),
            quote(want)
        )),
        Some(actual) if actual != want => Err(format!(
            "key {} must equal {}: current value is {}",
            quote(key),
            quote(want),
            quote(actual)
        )),
        Some(_) => Ok(()),
    }
}

/// Whether the object carries `helm.sh/resource-policy: keep` (trimmed,
/// any case, as Helm compares it).
pub fn keeps(body: &Json) -> bool {
    metadata_strings(body, "annotations")
        .get(RESOURCE_POLICY_ANNOTATION)
        .is_some_and(|p| p.trim().eq_ignore_ascii_case("keep"))
}

/// Sorts objects into Helm's uninstall order (stable).
pub fn sort_for_uninstall(resources: &mut [Resource]) {
    sort_by_kind(resources, UNINSTALL_ORDER, |r| r.kind.as_str());
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = "---\n# Source: c/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  labels:\n    a: b\ndata:\n  k: \"1\"\n---\n# Source: c/templates/empty.yaml\n# nothing\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  namespace: other\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n";

    #[test]
    fn manifests_become_objects() {
        let objects = parse_manifest(MANIFEST).unwrap();
        let kinds: Vec<&str> = objects.iter().map(|o| o.kind.as_str()).collect();
        assert_eq!(kinds, ["ConfigMap", "Deployment", "Service"]);
        assert_eq!(objects[0].body["data"]["k"], "1");
        assert_eq!(objects[1].group_version(), ("apps", "v1"));
        assert_eq!(objects[0].group_version(), ("", "v1"));
        assert_eq!(objects[1].namespace.as_deref(), Some("other"));
        assert_eq!(objects[0].namespace, None);
    }

    #[test]
    fn bad_documents_are_errors() {
        assert!(parse_manifest("kind: X\nmetadata: {name: a}")
            .unwrap_err()
            .contains("apiVersion"));
        assert!(parse_manifest("- a")
            .unwrap_err()
            .contains("cannot unmarshal array"));
        assert!(parse_manifest("a: [").is_err());
    }

    #[test]
    fn namespacing_and_ownership() {
        let mut objects = parse_manifest(MANIFEST).unwrap();
        objects[0].set_scope(true, "apps");
        objects[1].set_scope(true, "apps");
        assert_eq!(objects[0].body["metadata"]["namespace"], "apps");
        assert_eq!(objects[1].body["metadata"]["namespace"], "other");
        let mut cluster = objects[1].clone();
        cluster.set_scope(false, "apps");
        assert!(cluster.body["metadata"].get("namespace").is_none());
        assert_eq!(cluster.namespace, None);

        objects[0].set_ownership("web", "apps");
        let md = &objects[0].body["metadata"];
        assert_eq!(md["labels"]["a"], "b");
        assert_eq!(md["labels"][MANAGED_BY_LABEL], "Helm");
        assert_eq!(md["annotations"][RELEASE_NAME_ANNOTATION], "web");
        assert_eq!(md["annotations"][RELEASE_NAMESPACE_ANNOTATION], "apps");
        assert_eq!(check_ownership(&objects[0].body, "web", "apps"), Ok(()));
        assert_eq!(
            objects[0].describe(),
            "ConfigMap \"cm\" in namespace \"apps\""
        );
    }

    #[test]
    fn foreign_objects_are_refused_with_helms_message() {
        let mut o = parse_manifest(MANIFEST).unwrap().remove(0);
        assert_eq!(
            check_ownership(&o.body, "web", "apps").unwrap_err(),
            "invalid ownership metadata; label validation error: missing key \"app.kubernetes.io/managed-by\": must be set to \"Helm\"; annotation validation error: missing key \"meta.helm.sh/release-name\": must be set to \"web\"; annotation validation error: missing key \"meta.helm.sh/release-namespace\": must be set to \"apps\""
        );
        o.set_ownership("other", "apps");
        assert_eq!(
            check_ownership(&o.body, "web", "apps").unwrap_err(),
            "invalid ownership metadata; annotation validation error: key \"meta.helm.sh/release-name\" must equal \"web\": current value is \"other\""
        );
    }

    #[test]
    fn keep_policy_and_uninstall_order() {
        let mut objects = parse_manifest(MANIFEST).unwrap();
        assert!(!keeps(&objects[0].body));
        objects[0].body["metadata"]["annotations"] =
            serde_json::json!({ RESOURCE_POLICY_ANNOTATION: " Keep " });
        assert!(keeps(&objects[0].body));
        sort_for_uninstall(&mut objects);
        let kinds: Vec<&str> = objects.iter().map(|o| o.kind.as_str()).collect();
        assert_eq!(kinds, ["Service", "Deployment", "ConfigMap"]);
    }
}
