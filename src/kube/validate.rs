//! Building a manifest's objects before anything is stored, as Helm's
//! `KubeClient.Build(manifest, validate=true)` does on install and upgrade
//! (cli-runtime's stream visitor with kubectl's OpenAPI schema validation,
//! `k8s.io/kube-openapi/pkg/util/proto` and its `validation` package):
//!
//! - each document, in order, is checked against the server's OpenAPI v2
//!   model of its kind (unknown fields, wrong types, missing required
//!   fields, `null` list items); the first failing document stops the
//!   build with `error validating "": error validating data: …`;
//! - each document's kind must be served, else `resource mapping not found
//!   for name: … ensure CRDs are installed first` (these are collected and
//!   the build goes on);
//! - several errors are joined as Kubernetes' aggregate error (`[a, b]`,
//!   duplicates dropped).
//!
//! A kind without a model (a CRD without a schema) is not validated, as
//! kubectl skips it.

use std::collections::BTreeMap;
use std::rc::Rc;

use serde_json::Value as Json;

use super::client::Cluster;
use crate::template::strconv::quote;

/// A walkable schema (kube-openapi's `proto.Schema` kinds).
#[derive(Clone, Debug, PartialEq)]
enum Schema {
    /// An object with named fields.
    Kind {
        path: String,
        fields: BTreeMap<String, Schema>,
        required: Vec<String>,
    },
    /// An object whose values all have one schema.
    Map {
        path: String,
        sub: Box<Schema>,
    },
    Array {
        path: String,
        sub: Box<Schema>,
    },
    Primitive {
        path: String,
        ty: String,
    },
    /// Anything goes.
    Arbitrary,
    /// A definition by name.
    Ref(String),
}

/// The server's OpenAPI v2 models and which model describes each kind.
#[derive(Clone, Debug, Default)]
pub struct OpenApi {
    models: BTreeMap<String, Schema>,
    /// (group, version, kind) → model name.
    kinds: BTreeMap<(String, String, String), String>,
}

fn types(s: &Json) -> Vec<&str> {
    match s.get("type") {
        Some(Json::String(t)) => vec![t.as_str()],
        Some(Json::Array(ts)) => ts.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    }
}

/// kube-openapi's `ParseSchema` (unparseable parts become [`Schema::Arbitrary`]).
fn parse_schema(s: &Json, path: &str) -> Schema {
    if let Some(r) = s
        .get("$ref")
        .and_then(Json::as_str)
        .filter(|r| !r.is_empty())
    {
        return match r.strip_prefix("#/definitions/") {
            Some(name) => Schema::Ref(name.to_string()),
            None => Schema::Arbitrary,
        };
    }
    let properties = s.get("properties").and_then(Json::as_object);
    match types(s).as_slice() {
        [] => match properties {
            Some(_) => parse_kind(s, path),
            None => Schema::Arbitrary,
        },
        ["object"] if properties.is_some() => parse_kind(s, path),
        ["object"] => {
            let sub = match s.get("additionalProperties") {
                Some(extra @ Json::Object(_)) => parse_schema(extra, path),
                _ => Schema::Arbitrary,
            };
            Schema::Map {
                path: path.to_string(),
                sub: Box::new(sub),
            }
        }
        ["array"] => {
            let sub = match s.get("items") {
                Some(items @ Json::Object(_)) => parse_schema(items, path),
                Some(Json::Array(items)) if items.len() == 1 => parse_schema(&items[0], path),
                _ => Schema::Arbitrary,
            };
            Schema::Array {
                path: path.to_string(),
                sub: Box::new(sub),
            }
        }
        [t] => Schema::Primitive {
            path: path.to_string(),
            ty: t.to_string(),
        },
        _ => Schema::Arbitrary,
    }
}

fn parse_kind(s: &Json, path: &str) -> Schema {
    let fields = s
        .get("properties")
        .and_then(Json::as_object)
        .map(|props| {
            props
                .iter()
                .map(|(name, sub)| (name.clone(), parse_schema(sub, &format!("{path}.{name}"))))
                .collect()
        })
        .unwrap_or_default();
    let required = s
        .get("required")
        .and_then(Json::as_array)
        .map(|r| {
            r.iter()
                .filter_map(Json::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    Schema::Kind {
        path: path.to_string(),
        fields,
        required,
    }
}

/// An error of one item: kube-openapi's `ValidationError` wraps it with the
/// item's path; errors about `null` map values are not wrapped.
fn wrapped(item_path: &str, message: String) -> String {
    format!("ValidationError({item_path}): {message}")
}

fn invalid_type(schema_path: &str, actual: &str, expected: &str) -> String {
    format!("invalid type for {schema_path}: got {actual:?}, expected {expected:?}")
}

fn nil_object(path: &str) -> String {
    format!("unknown object type \"nil\" in {path}")
}

/// The primitive kind of a JSON value as `k8s.io/apimachinery`'s JSON
/// decoding types it (integral literals are `int64`).
fn primitive_kind(v: &Json) -> &'static str {
    match v {
        Json::Bool(_) => "boolean",
        Json::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Json::Number(_) => "number",
        _ => "string",
    }
}

impl OpenApi {
    /// The models of an `/openapi/v2` document.
    pub fn from_document(doc: &Json) -> OpenApi {
        let mut api = OpenApi::default();
        let Some(definitions) = doc.get("definitions").and_then(Json::as_object) else {
            return api;
        };
        for (name, s) in definitions {
            api.models.insert(name.clone(), parse_schema(s, name));
            let gvks = s
                .get("x-kubernetes-group-version-kind")
                .and_then(Json::as_array);
            for gvk in gvks.into_iter().flatten() {
                let part = |k: &str| gvk.get(k).and_then(Json::as_str).unwrap_or("").to_string();
                api.kinds
                    .insert((part("group"), part("version"), part("kind")), name.clone());
            }
        }
        api
    }

    /// kubectl's `ValidateBytes` of one object: `Err` is the aggregate
    /// text of its errors.
    pub fn validate(&self, obj: &Json) -> Result<(), String> {
        let errors = match object_kind(obj) {
            Err(errors) => errors,
            Ok((group, version, kind)) if group.is_empty() && version == "v1" && kind == "List" => {
                let mut errors = Vec::new();
                match obj.get("items").and_then(Json::as_array) {
                    None => errors.push("invalid object to validate".to_string()),
                    Some(items) => {
                        for item in items {
                            match object_kind(item) {
                                Err(e) => errors.extend(e),
                                Ok(gvk) => errors.extend(self.validate_resource(item, gvk)),
                            }
                        }
                    }
                }
                errors
            }
            Ok(gvk) => self.validate_resource(obj, gvk),
        };
        match errors.is_empty() {
            true => Ok(()),
            false => Err(aggregate(&errors)),
        }
    }

    fn validate_resource(&self, obj: &Json, gvk: (String, String, String)) -> Vec<String> {
        let Some(model) = self.kinds.get(&gvk).and_then(|m| self.models.get(m)) else {
            return Vec::new();
        };
        let mut errors = Vec::new();
        if obj.is_null() {
            errors.push(nil_object(&gvk.2));
        } else {
            self.visit(model, obj, &gvk.2, &mut errors);
        }
        errors
    }

    /// Checks `value` (at `path` in the object) against `schema`.
    fn visit(&self, schema: &Schema, value: &Json, path: &str, errors: &mut Vec<String>) {
        if let Schema::Ref(name) = schema {
            if let Some(model) = self.models.get(name) {
                self.visit(model, value, path, errors);
            }
            return;
        }
        match value {
            Json::Object(map) => self.visit_object(schema, map, path, errors),
            Json::Array(items) => match schema {
                Schema::Array { sub, .. } => {
                    for (i, item) in items.iter().enumerate() {
                        let item_path = format!("{path}[{i}]");
                        if item.is_null() {
                            errors.push(wrapped(path, nil_object(&item_path)));
                        } else {
                            self.visit(sub, item, &item_path, errors);
                        }
                    }
                }
                Schema::Primitive { path: sp, ty } => {
                    errors.push(wrapped(path, invalid_type(sp, "array", ty)));
                }
                // kube-openapi names the two kinds the other way round here.
                Schema::Map { path: sp, .. } | Schema::Kind { path: sp, .. } => {
                    errors.push(wrapped(path, invalid_type(sp, "map", "array")));
                }
                Schema::Arbitrary | Schema::Ref(_) => {}
            },
            _ => {
                let actual = primitive_kind(value);
                let message = match schema {
                    Schema::Primitive { path: sp, ty } => {
                        let fits = match ty.as_str() {
                            "boolean" => actual == "boolean",
                            "integer" => actual == "integer" || actual == "number",
                            "number" => actual == "number",
                            "string" => true,
                            _ => false,
                        };
                        (!fits).then(|| invalid_type(sp, actual, ty))
                    }
                    Schema::Array { path: sp, .. } => Some(invalid_type(sp, actual, "array")),
                    Schema::Map { path: sp, .. } | Schema::Kind { path: sp, .. } => {
                        Some(invalid_type(sp, actual, "map"))
                    }
                    Schema::Arbitrary | Schema::Ref(_) => None,
                };
                if let Some(m) = message {
                    errors.push(wrapped(path, m));
                }
            }
        }
    }

    fn visit_object(
        &self,
        schema: &Schema,
        map: &serde_json::Map<String, Json>,
        path: &str,
        errors: &mut Vec<String>,
    ) {
        let mut keys: Vec<&String> = map.keys().collect();
        keys.sort();
        match schema {
            Schema::Primitive { path: sp, ty } => {
                errors.push(wrapped(path, invalid_type(sp, "map", ty)));
            }
            Schema::Array { path: sp, .. } => {
                errors.push(wrapped(path, invalid_type(sp, "map", "array")));
            }
            Schema::Map { sub, .. } => {
                for key in keys {
                    let sub_path = format!("{path}.{key}");
                    match &map[key] {
                        Json::Null => errors.push(nil_object(&sub_path)),
                        v => self.visit(sub, v, &sub_path, errors),
                    }
                }
            }
            Schema::Kind {
                path: sp,
                fields,
                required,
            } => {
                for key in keys {
                    let v = &map[key];
                    if v.is_null() {
                        continue;
                    }
                    match fields.get(key.as_str()) {
                        None => errors.push(wrapped(
                            path,
                            format!("unknown field {} in {sp}", quote(key)),
                        )),
                        Some(field) => self.visit(field, v, &format!("{path}.{key}"), errors),
                    }
                }
                for r in required {
                    if map.get(r).is_none_or(Json::is_null) {
                        errors.push(wrapped(
                            path,
                            format!("missing required field {} in {sp}", quote(r)),
                        ));
                    }
                }
            }
            Schema::Arbitrary | Schema::Ref(_) => {}
        }
    }
}

/// kubectl's `getObjectKind`: the object's group, version and kind.
fn object_kind(obj: &Json) -> Result<(String, String, String), Vec<String>> {
    let Some(fields) = obj.as_object() else {
        return Err(vec!["invalid object to validate".into()]);
    };
    let mut errors = Vec::new();
    let mut gv = (String::new(), String::new());
    match fields.get("apiVersion") {
        None | Some(Json::Null) => errors.push("apiVersion not set".to_string()),
        Some(Json::String(s)) => match parse_group_version(s) {
            Ok(parsed) => gv = parsed,
            Err(e) => errors.push(e),
        },
        Some(_) => errors.push("apiVersion isn't string type".to_string()),
    }
    let kind = match fields.get("kind") {
        None | Some(Json::Null) => {
            errors.push("kind not set".to_string());
            String::new()
        }
        Some(Json::String(k)) => k.clone(),
        Some(_) => {
            errors.push("kind isn't string type".to_string());
            String::new()
        }
    };
    match errors.is_empty() {
        true => Ok((gv.0, gv.1, kind)),
        false => Err(errors),
    }
}

/// apimachinery's `ParseGroupVersion`.
fn parse_group_version(s: &str) -> Result<(String, String), String> {
    if s.is_empty() || s == "/" {
        return Ok((String::new(), String::new()));
    }
    match s.split('/').collect::<Vec<_>>().as_slice() {
        [v] => Ok((String::new(), v.to_string())),
        [g, v] => Ok((g.to_string(), v.to_string())),
        _ => Err(format!("unexpected GroupVersion string: {s}")),
    }
}

/// apimachinery's aggregate error text: one error as is, several in
/// brackets joined by `, ` without repeats.
pub fn aggregate(errors: &[String]) -> String {
    if errors.len() == 1 {
        return errors[0].clone();
    }
    let mut seen: Vec<&str> = Vec::new();
    for e in errors {
        if !seen.contains(&e.as_str()) {
            seen.push(e);
        }
    }
    match seen.as_slice() {
        [one] => one.to_string(),
        many => format!("[{}]", many.join(", ")),
    }
}

/// The documents of a manifest as JSON objects, in order; stops at the
/// first document that does not decode (the object parser reports it).
fn documents(manifest: &str) -> Vec<Json> {
    let mut out = Vec::new();
    for doc in crate::action::split_manifests(manifest) {
        let Ok(json) = crate::yaml::yaml_to_json(&doc) else {
            break;
        };
        match serde_json::from_str::<Json>(&json) {
            Ok(Json::Null) => {}
            Ok(v) => out.push(v),
            Err(_) => break,
        }
    }
    out
}

fn text<'a>(v: &'a Json, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Json::as_str).unwrap_or("")
}

/// Helm's `Build` of `manifest`, with OpenAPI validation when `schema`
/// (Helm's `!DisableOpenAPIValidation`): `Err` is the text Helm wraps in
/// `unable to build kubernetes objects from … manifest: `.
/// `wait_for_kinds` retries unknown kinds for up to ten seconds (right
/// after CRDs were created).
/// The server's OpenAPI schema (`/openapi/v2`), fetched on first use.
async fn openapi(cluster: &Cluster) -> Result<Rc<OpenApi>, String> {
    if let Some(api) = cluster.openapi.borrow().clone() {
        return Ok(api);
    }
    let api = Rc::new(OpenApi::from_document(
        &cluster.get_json("/openapi", "v2").await?,
    ));
    *cluster.openapi.borrow_mut() = Some(Rc::clone(&api));
    Ok(api)
}

pub async fn build(
    cluster: &Cluster,
    manifest: &str,
    wait_for_kinds: bool,
    schema: bool,
) -> Result<(), String> {
    let docs = documents(manifest);
    if docs.is_empty() {
        return Ok(());
    }
    let api = match schema {
        true => openapi(cluster).await?,
        false => Rc::new(OpenApi::default()),
    };
    let mut errors = Vec::new();
    for obj in &docs {
        if let Err(e) = api.validate(obj) {
            errors.push(format!("error validating \"\": error validating data: {e}"));
            return Err(aggregate(&errors));
        }
        let (api_version, kind) = (text(obj, "/apiVersion"), text(obj, "/kind"));
        if api_version.is_empty() || kind.is_empty() {
            continue;
        }
        let mut tries = if wait_for_kinds { 20 } else { 0 };
        while cluster.resolve(api_version, kind).await.is_err() {
            if tries == 0 {
                errors.push(format!(
                    "resource mapping not found for name: {} namespace: {} from \"\": no matches for kind {} in version {}\nensure CRDs are installed first",
                    quote(text(obj, "/metadata/name")),
                    quote(text(obj, "/metadata/namespace")),
                    quote(kind),
                    quote(api_version)
                ));
                break;
            }
            tries -= 1;
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
    }
    match errors.is_empty() {
        true => Ok(()),
        false => Err(aggregate(&errors)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api() -> OpenApi {
        let doc: Json = serde_json::from_str(
            r##"{"definitions": {
              "io.k8s.api.core.v1.ConfigMap": {
                "properties": {
                  "apiVersion": {"type": "string"},
                  "kind": {"type": "string"},
                  "metadata": {"$ref": "#/definitions/meta.ObjectMeta"},
                  "data": {"type": "object", "additionalProperties": {"type": "string"}}
                },
                "x-kubernetes-group-version-kind": [{"group": "", "kind": "ConfigMap", "version": "v1"}]
              },
              "meta.ObjectMeta": {
                "properties": {
                  "name": {"type": "string"},
                  "labels": {"type": "object", "additionalProperties": {"type": "string"}}
                }
              },
              "apps.Deployment": {
                "type": "object",
                "properties": {
                  "apiVersion": {"type": "string"},
                  "kind": {"type": "string"},
                  "spec": {"$ref": "#/definitions/apps.DeploymentSpec"}
                },
                "x-kubernetes-group-version-kind": [{"group": "apps", "kind": "Deployment", "version": "v1"}]
              },
              "apps.DeploymentSpec": {
                "type": "object",
                "required": ["selector"],
                "properties": {
                  "replicas": {"type": "integer"},
                  "paused": {"type": "boolean"},
                  "ratio": {"type": "number"},
                  "selector": {"type": "object"},
                  "ports": {"type": "array", "items": {"$ref": "#/definitions/apps.Port"}}
                }
              },
              "apps.Port": {"properties": {"port": {"type": "integer"}}}
            }}"##,
        )
        .unwrap();
        OpenApi::from_document(&doc)
    }

    fn check(obj: &str) -> Result<(), String> {
        api().validate(&serde_json::from_str(obj).unwrap())
    }

    #[test]
    fn a_valid_object_passes() {
        assert_eq!(
            check(
                r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"data":{"a":"1","b":2}}"#
            ),
            Ok(())
        );
        // Kinds without a model are not validated.
        assert_eq!(
            check(r#"{"apiVersion":"x/v1","kind":"Widget","bogus":1}"#),
            Ok(())
        );
    }

    #[test]
    fn errors_like_kubectl() {
        assert_eq!(
            check(r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"bogus":1,"labels":{"a":null,"c":["x"]}},"data":{"x":{}}}"#),
            Err(concat!(
                "[ValidationError(ConfigMap.data.x): invalid type for io.k8s.api.core.v1.ConfigMap.data: got \"map\", expected \"string\", ",
                "ValidationError(ConfigMap.metadata): unknown field \"bogus\" in meta.ObjectMeta, ",
                "unknown object type \"nil\" in ConfigMap.metadata.labels.a, ",
                "ValidationError(ConfigMap.metadata.labels.c): invalid type for meta.ObjectMeta.labels: got \"array\", expected \"string\"]"
            ).to_string())
        );
        assert_eq!(
            check(r#"{"apiVersion":"apps/v1","kind":"Deployment","spec":{"replicas":"3","paused":1,"ratio":2,"ports":[{"port":1.5},null,{"port":true}]}}"#),
            Err(concat!(
                "[ValidationError(Deployment.spec.paused): invalid type for apps.DeploymentSpec.paused: got \"integer\", expected \"boolean\", ",
                "ValidationError(Deployment.spec.ports): unknown object type \"nil\" in Deployment.spec.ports[1], ",
                "ValidationError(Deployment.spec.ports[2].port): invalid type for apps.Port.port: got \"boolean\", expected \"integer\", ",
                "ValidationError(Deployment.spec.ratio): invalid type for apps.DeploymentSpec.ratio: got \"integer\", expected \"number\", ",
                "ValidationError(Deployment.spec.replicas): invalid type for apps.DeploymentSpec.replicas: got \"string\", expected \"integer\", ",
                "ValidationError(Deployment.spec): missing required field \"selector\" in apps.DeploymentSpec]"
            ).to_string())
        );
        assert_eq!(
            check(r#"{"apiVersion":"apps/v1","kind":"Deployment","spec":{"selector":{},"ports":{}}}"#),
            Err("ValidationError(Deployment.spec.ports): invalid type for apps.DeploymentSpec.ports: got \"map\", expected \"array\"".into())
        );
    }

    #[test]
    fn kind_and_version_checks() {
        assert_eq!(
            check(r#"{"metadata":{}}"#),
            Err("[apiVersion not set, kind not set]".into())
        );
        assert_eq!(
            check(r#"{"apiVersion":"a/b/c","kind":1}"#),
            Err("[unexpected GroupVersion string: a/b/c, kind isn't string type]".into())
        );
    }

    #[test]
    fn aggregate_texts() {
        assert_eq!(aggregate(&["a".into()]), "a");
        assert_eq!(aggregate(&["a".into(), "a".into()]), "a");
        assert_eq!(aggregate(&["a".into(), "b".into(), "a".into()]), "[a, b]");
    }

    #[test]
    fn documents_skip_empty_ones() {
        let docs = documents("---\n# c\n---\na: 1\n---\nnull\n---\nb: [1]\n");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1]["b"][0], 1);
    }
}
