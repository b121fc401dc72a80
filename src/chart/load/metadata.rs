//! `Chart.yaml`, `requirements.yaml` and the lock files as Helm v3.21.4
//! reads them (`pkg/chart/metadata.go`, `dependency.go`, `errors.go`):
//! decoding into the Go structs (a later file overlays the fields it sets),
//! then `Metadata.Validate`, which cleans string fields (white space becomes
//! a plain space, unprintable characters are dropped) and reports the first
//! problem as `validation: …`.

use std::collections::BTreeMap;

use crate::chart::ignore::go_base;
use crate::chart::{Dependency, Lock, Maintainer, Metadata};
use crate::template::strconv::{is_print, quote};
use crate::value::{Map, Value};
use crate::yaml::{
    from_yaml_into, GoField, GoStruct, GoType, YamlError, CHART_DEPENDENCY, CHART_METADATA,
};

/// Helm's `chart.Lock` (`generated` is a `time.Time`, checked separately).
static CHART_LOCK: GoStruct = GoStruct {
    name: "Lock",
    type_name: "chart.Lock",
    fields: &[
        GoField {
            json: "generated",
            ty: GoType::Any,
        },
        GoField {
            json: "digest",
            ty: GoType::String,
        },
        GoField {
            json: "dependencies",
            ty: GoType::Slice(&GoType::Ptr(&GoType::Struct(&CHART_DEPENDENCY))),
        },
    ],
};

/// `*chart.Lock`, as `yaml.Unmarshal(data, &chart.Lock)` decodes into it.
static CHART_LOCK_PTR: GoType = GoType::Ptr(&GoType::Struct(&CHART_LOCK));

/// A `chart.Metadata` while files are read into it: list entries may still
/// be Go's nil pointers, which validation refuses.
#[derive(Debug, Default)]
pub(super) struct MetadataState {
    md: Metadata,
    maintainers: Vec<Option<Maintainer>>,
    /// `None` is Go's nil slice.
    dependencies: Option<Vec<Option<Dependency>>>,
}

impl MetadataState {
    /// `sigs.k8s.io/yaml.Unmarshal(text, metadata)`: the fields the document
    /// sets replace those already there (annotations are merged, as Go
    /// merges into an existing map).
    pub(super) fn overlay(&mut self, text: &str) -> Result<(), YamlError> {
        let decoded = from_yaml_into(text, GoType::Struct(&CHART_METADATA))?;
        let Some(fields) = decoded.as_map() else {
            return Ok(());
        };
        for (key, value) in fields.entries() {
            let md = &mut self.md;
            match key.as_str() {
                "name" => md.name = string(&value),
                "home" => md.home = string(&value),
                "sources" => md.sources = strings(&value),
                "version" => md.version = string(&value),
                "description" => md.description = string(&value),
                "keywords" => md.keywords = strings(&value),
                "maintainers" => {
                    self.maintainers = items(&value).map(|m| m.map(maintainer)).collect();
                }
                "icon" => md.icon = string(&value),
                "apiVersion" => md.api_version = string(&value),
                "condition" => md.condition = string(&value),
                "tags" => md.tags = string(&value),
                "appVersion" => md.app_version = string(&value),
                "deprecated" => md.deprecated = matches!(value, Value::Bool(true)),
                "annotations" => {
                    if let Some(m) = value.as_map() {
                        for (k, v) in m.entries() {
                            md.annotations.insert(k, string(&v));
                        }
                    }
                }
                "kubeVersion" => md.kube_version = string(&value),
                "dependencies" => {
                    self.dependencies = Some(items(&value).map(|d| d.map(dependency)).collect());
                }
                "type" => md.chart_type = string(&value),
                _ => {}
            }
        }
        Ok(())
    }

    pub(super) fn api_version(&self) -> &str {
        &self.md.api_version
    }

    pub(super) fn set_api_version(&mut self, v: &str) {
        self.md.api_version = v.to_string();
    }

    /// Helm's `Metadata.Validate`, giving the cleaned metadata.
    pub(super) fn validate(self) -> Result<Metadata, String> {
        let MetadataState {
            mut md,
            maintainers,
            dependencies,
        } = self;
        for field in [
            &mut md.name,
            &mut md.description,
            &mut md.home,
            &mut md.icon,
            &mut md.condition,
            &mut md.tags,
            &mut md.app_version,
            &mut md.kube_version,
        ] {
            *field = sanitize(field);
        }
        for s in md.sources.iter_mut().chain(md.keywords.iter_mut()) {
            *s = sanitize(s);
        }
        if md.api_version.is_empty() {
            return Err(validation("chart.metadata.apiVersion is required"));
        }
        if md.name.is_empty() {
            return Err(validation("chart.metadata.name is required"));
        }
        if md.name == "." || md.name == ".." {
            return Err(validation(&format!(
                "chart.metadata.name {} is not allowed",
                quote(&md.name)
            )));
        }
        if md.name != go_base(&md.name) {
            return Err(validation(&format!(
                "chart.metadata.name {} is invalid",
                quote(&md.name)
            )));
        }
        if md.version.is_empty() {
            return Err(validation("chart.metadata.version is required"));
        }
        if crate::funcs::semver::Version::parse(&md.version).is_err() {
            return Err(validation(&format!(
                "chart.metadata.version {} is invalid",
                quote(&md.version)
            )));
        }
        if !matches!(md.chart_type.as_str(), "" | "application" | "library") {
            return Err(validation(
                "chart.metadata.type must be application or library",
            ));
        }
        md.maintainers = Vec::with_capacity(maintainers.len());
        for m in maintainers {
            let Some(mut m) = m else {
                return Err(validation(
                    "maintainers must not contain empty or null nodes",
                ));
            };
            m.name = sanitize(&m.name);
            m.email = sanitize(&m.email);
            m.url = sanitize(&m.url);
            md.maintainers.push(m);
        }
        md.dependencies_declared = dependencies.is_some();
        let mut seen = BTreeMap::new();
        for d in dependencies.unwrap_or_default() {
            let Some(mut d) = d else {
                return Err(validation(
                    "dependencies must not contain empty or null nodes",
                ));
            };
            validate_dependency(&mut d)?;
            let key = if d.alias.is_empty() {
                d.name.clone()
            } else {
                d.alias.clone()
            };
            if seen.insert(key.clone(), ()).is_some() {
                return Err(validation(&format!(
                    "more than one dependency with name or alias {}",
                    quote(&key)
                )));
            }
            md.dependencies.push(d);
        }
        Ok(md)
    }
}

impl Metadata {
    /// Helm's `Metadata.Validate` on metadata built in code: the string
    /// fields are cleaned, then the first problem is reported as
    /// `validation: …` (the metadata is left unchanged then).
    pub fn validate(&mut self) -> Result<(), String> {
        let mut md = self.clone();
        let maintainers = std::mem::take(&mut md.maintainers)
            .into_iter()
            .map(Some)
            .collect();
        let declared = md.has_dependency_list();
        let deps = std::mem::take(&mut md.dependencies)
            .into_iter()
            .map(Some)
            .collect();
        let state = MetadataState {
            md,
            maintainers,
            dependencies: declared.then_some(deps),
        };
        *self = state.validate()?;
        Ok(())
    }
}

/// Helm's `Dependency.Validate`: cleans the strings and checks the alias.
fn validate_dependency(d: &mut Dependency) -> Result<(), String> {
    d.name = sanitize(&d.name);
    d.version = sanitize(&d.version);
    d.repository = sanitize(&d.repository);
    d.condition = sanitize(&d.condition);
    for t in &mut d.tags {
        *t = sanitize(t);
    }
    let alias_ok = d
        .alias
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !d.alias.is_empty() && !alias_ok {
        return Err(validation(&format!(
            "dependency {} has disallowed characters in the alias",
            quote(&d.name)
        )));
    }
    Ok(())
}

/// `Chart.lock` / `requirements.lock` into a `*chart.Lock`; `Ok(None)` for
/// an empty or `null` document (Go leaves the pointer nil).
pub(super) fn decode_lock(text: &str) -> Result<Option<Lock>, String> {
    let decoded = match from_yaml_into(text, CHART_LOCK_PTR) {
        Ok(v) => v,
        Err(e) => return Err(e.to_string()),
    };
    if crate::yaml::from_yaml(text)
        .map(|v| v.is_nil())
        .unwrap_or(false)
    {
        return Ok(None);
    }
    let Some(fields) = decoded.as_map() else {
        return Ok(Some(Lock::default()));
    };
    let mut lock = Lock::default();
    if let Some(generated) = fields.get("generated") {
        match generated {
            Value::String(s) => lock.generated = s.to_string(),
            Value::Nil => {}
            _ => {
                return Err(
                    "error unmarshaling JSON: while decoding JSON: Time.UnmarshalJSON: input is not a JSON string"
                        .to_string(),
                )
            }
        }
    }
    if let Some(d) = fields.get("digest") {
        lock.digest = string(&d);
    }
    if let Some(deps) = fields.get("dependencies") {
        lock.dependencies = items(&deps)
            .map(|d| d.map(dependency).unwrap_or_default())
            .collect();
    }
    Ok(Some(lock))
}

fn validation(message: &str) -> String {
    format!("validation: {message}")
}

/// Helm's `sanitizeString`: white space becomes ' ', unprintable
/// characters are dropped.
pub(super) fn sanitize(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            if c.is_whitespace() {
                Some(' ')
            } else if is_print(c) {
                Some(c)
            } else {
                None
            }
        })
        .collect()
}

fn string(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_list()
        .map(|items| items.iter().map(string).collect())
        .unwrap_or_default()
}

/// The entries of a decoded list of `*T`: `None` for Go's nil pointers.
fn items(v: &Value) -> impl Iterator<Item = Option<Map>> + '_ {
    v.as_list()
        .unwrap_or_default()
        .iter()
        .map(|item| item.as_map().cloned())
}

fn maintainer(m: Map) -> Maintainer {
    let get = |k: &str| m.get(k).map(|v| string(&v)).unwrap_or_default();
    Maintainer {
        name: get("name"),
        email: get("email"),
        url: get("url"),
    }
}

fn dependency(m: Map) -> Dependency {
    let get = |k: &str| m.get(k).map(|v| string(&v)).unwrap_or_default();
    Dependency {
        name: get("name"),
        version: get("version"),
        repository: get("repository"),
        condition: get("condition"),
        tags: m.get("tags").map(|v| strings(&v)).unwrap_or_default(),
        enabled: matches!(m.get("enabled"), Some(Value::Bool(true))),
        import_values: m
            .get("import-values")
            .and_then(|v| v.as_list().map(<[Value]>::to_vec))
            .unwrap_or_default(),
        alias: get("alias"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Metadata, String> {
        let mut st = MetadataState::default();
        st.overlay(text).map_err(|e| e.to_string())?;
        st.validate()
    }

    #[test]
    fn validates_like_helm() {
        let ok = "apiVersion: v2\nname: a\nversion: 1.0.0\n";
        assert_eq!(load(ok).unwrap().name, "a");
        let err = |t: &str| load(t).unwrap_err();
        assert_eq!(
            err("name: a\nversion: 1.0.0"),
            "validation: chart.metadata.apiVersion is required"
        );
        assert_eq!(
            err("apiVersion: v2\nversion: 1"),
            "validation: chart.metadata.name is required"
        );
        assert_eq!(
            err("apiVersion: v2\nname: ..\nversion: 1"),
            "validation: chart.metadata.name \"..\" is not allowed"
        );
        assert_eq!(
            err("apiVersion: v2\nname: a/b\nversion: 1"),
            "validation: chart.metadata.name \"a/b\" is invalid"
        );
        assert_eq!(
            err("apiVersion: v2\nname: a"),
            "validation: chart.metadata.version is required"
        );
        assert_eq!(
            err("apiVersion: v2\nname: a\nversion: x.y"),
            "validation: chart.metadata.version \"x.y\" is invalid"
        );
        assert_eq!(
            err("apiVersion: v2\nname: a\nversion: 1\ntype: Library"),
            "validation: chart.metadata.type must be application or library"
        );
        assert_eq!(
            err("apiVersion: v2\nname: a\nversion: 1\nmaintainers: [null]"),
            "validation: maintainers must not contain empty or null nodes"
        );
        assert_eq!(
            err("apiVersion: v2\nname: a\nversion: 1\ndependencies: [{name: b, alias: x}, null]"),
            "validation: dependencies must not contain empty or null nodes"
        );
        assert_eq!(
            err("apiVersion: v2\nname: a\nversion: 1\ndependencies: [{name: b, alias: 'x.y'}]"),
            "validation: dependency \"b\" has disallowed characters in the alias"
        );
        assert_eq!(
            err("apiVersion: v2\nname: a\nversion: 1\ndependencies: [{name: b}, {name: c, alias: b}]"),
            "validation: more than one dependency with name or alias \"b\""
        );
    }

    #[test]
    fn metadata_built_in_code_validates() {
        let mut md = Metadata {
            api_version: "v2".into(),
            name: "a\u{7}".into(),
            version: "1.0.0".into(),
            ..Metadata::default()
        };
        md.validate().unwrap();
        assert_eq!(md.name, "a");
        md.chart_type = "app".into();
        assert_eq!(
            md.validate().unwrap_err(),
            "validation: chart.metadata.type must be application or library"
        );
        assert_eq!(md.chart_type, "app");
    }

    #[test]
    fn cleans_strings() {
        let md = load("apiVersion: v2\nname: \"a\\tb\"\nversion: 1.0.0\ndescription: \"x\\u0000y\\u00a0z\"\nkeywords: [\"k\\n\"]").unwrap();
        assert_eq!(md.name, "a b");
        assert_eq!(md.description, "xy z");
        assert_eq!(md.keywords, vec!["k ".to_string()]);
    }

    #[test]
    fn numbers_become_strings_and_lists_are_typed() {
        let md = load(
            "apiVersion: v2\nname: a\nversion: 1.10\nappVersion: 2\ndependencies:\n- name: b\n  tags: [x]\n  import-values: [a, {child: c, parent: d}]\n",
        )
        .unwrap();
        assert_eq!(md.version, "1.1");
        assert_eq!(md.app_version, "2");
        assert!(md.dependencies_declared);
        assert_eq!(md.dependencies[0].tags, vec!["x".to_string()]);
        assert_eq!(md.dependencies[0].import_values.len(), 2);
        let md = load("apiVersion: v2\nname: a\nversion: 1\ndependencies: []").unwrap();
        assert!(md.dependencies_declared);
        assert!(
            !load("apiVersion: v2\nname: a\nversion: 1")
                .unwrap()
                .dependencies_declared
        );
    }

    #[test]
    fn wrong_types_are_go_errors() {
        assert_eq!(
            load("apiVersion: v2\nname: a\nversion: 1\ndeprecated: maybe").unwrap_err(),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field Metadata.deprecated of type bool"
        );
    }

    #[test]
    fn lock_files() {
        let lock = decode_lock("generated: \"2024-01-02T03:04:05Z\"\ndigest: sha256:x\ndependencies:\n- name: a\n  version: 1.0.0\n").unwrap().unwrap();
        assert_eq!(lock.digest, "sha256:x");
        assert_eq!(lock.dependencies[0].name, "a");
        assert!(decode_lock("").unwrap().is_none());
        assert!(decode_lock("null").unwrap().is_none());
        assert_eq!(
            decode_lock("generated: 5").unwrap_err(),
            "error unmarshaling JSON: while decoding JSON: Time.UnmarshalJSON: input is not a JSON string"
        );
    }
}
