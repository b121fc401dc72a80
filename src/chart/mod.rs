//! Charts as Helm models them (`pkg/chart`): metadata from `Chart.yaml`,
//! templates, values, schema, other files and subcharts.

pub mod archive;
pub mod dependencies;
pub mod ignore;
pub mod load;

use crate::value::{Map, Value};

/// A file of a chart: its path relative to the chart root and its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    pub name: String,
    pub data: FileData,
}

/// A file's bytes, shared by the chart and the `.Files` of its render:
/// reading (or mapping) the file is their only copy (a chart's other files
/// can be megabytes, and every render hands them all to its templates).
pub type FileData = crate::shared_bytes::SharedBytes;

/// A maintainer entry of `Chart.yaml`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Maintainer {
    pub name: String,
    pub email: String,
    pub url: String,
}

/// A dependency entry of `Chart.yaml` (or `requirements.yaml`).
#[derive(Clone, Debug, Default)]
pub struct Dependency {
    pub name: String,
    pub version: String,
    pub repository: String,
    pub condition: String,
    pub tags: Vec<String>,
    pub enabled: bool,
    /// Either strings (`child.path`) or `{child: …, parent: …}` maps.
    pub import_values: Vec<crate::value::Value>,
    pub alias: String,
}

/// `Chart.yaml`, with Helm's field set (unknown fields are dropped).
#[derive(Clone, Debug, Default)]
pub struct Metadata {
    pub name: String,
    pub home: String,
    pub sources: Vec<String>,
    pub version: String,
    pub description: String,
    pub keywords: Vec<String>,
    pub maintainers: Vec<Maintainer>,
    pub icon: String,
    pub api_version: String,
    pub condition: String,
    pub tags: String,
    pub app_version: String,
    pub deprecated: bool,
    pub annotations: std::collections::BTreeMap<String, String>,
    pub kube_version: String,
    pub dependencies: Vec<Dependency>,
    pub chart_type: String,
    /// Whether `dependencies` is a non-nil Go slice: `Chart.yaml` (or
    /// `requirements.yaml`) set it, possibly to an empty list. Helm only
    /// processes the dependencies of a chart whose list is non-nil; a
    /// non-empty list counts as set whatever this says.
    pub dependencies_declared: bool,
}

impl Metadata {
    /// The annotations as a template map of strings (Go's
    /// `map[string]string` seen through `interface{}`).
    pub fn annotations_map(&self) -> Map {
        self.annotations
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect()
    }

    /// Whether Helm sees a non-nil `Dependencies` slice.
    pub fn has_dependency_list(&self) -> bool {
        self.dependencies_declared || !self.dependencies.is_empty()
    }

    /// Helm's `checkIfInstallable`: only application charts (the default
    /// type) install or render.
    pub fn check_installable(&self) -> Result<(), String> {
        match self.chart_type.as_str() {
            "" | "application" => Ok(()),
            other => Err(format!("{other} charts are not installable")),
        }
    }
}

/// `Chart.lock` (or `requirements.lock`).
#[derive(Clone, Debug, Default)]
pub struct Lock {
    pub generated: String,
    pub digest: String,
    pub dependencies: Vec<Dependency>,
}

/// A loaded chart and its subcharts.
#[derive(Clone, Debug, Default)]
pub struct Chart {
    pub metadata: Metadata,
    pub lock: Option<Lock>,
    /// Files under `templates/`.
    pub templates: Vec<File>,
    /// The parsed `values.yaml`.
    pub values: Map,
    /// The raw `values.schema.json`, if any.
    pub schema: Option<FileData>,
    /// Every other file (`.Files`), including `crds/` and `NOTES`-free extras.
    pub files: Vec<File>,
    /// Every `values.yaml` as loaded, in load order (Helm's `Chart.Raw`
    /// entries of that name; an archive may hold several): `show values`
    /// prints them, and a release record tells a missing `values.yaml` from
    /// an empty one by them. Helm's `Raw` keeps every file; nothing here
    /// reads the others, so they are not copied.
    pub raw_values: Vec<FileData>,
    /// Subcharts, in load order.
    pub dependencies: Vec<Chart>,
    /// The names of the charts above this one, root first (empty for the root).
    pub parents: Vec<String>,
}

impl Chart {
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    pub fn is_root(&self) -> bool {
        self.parents.is_empty()
    }

    /// Helm's `ChartPath`: `parent.child`.
    pub fn chart_path(&self) -> String {
        let mut parts = self.parents.clone();
        parts.push(self.name().to_string());
        parts.join(".")
    }

    /// Helm's `ChartFullPath`: `parent/charts/child`.
    pub fn chart_full_path(&self) -> String {
        let mut parts = self.parents.clone();
        parts.push(self.name().to_string());
        parts.join("/charts/")
    }

    /// Sets the parent chain of every subchart below this chart.
    pub fn link_parents(&mut self) {
        let mut chain = self.parents.clone();
        chain.push(self.name().to_string());
        for dep in &mut self.dependencies {
            dep.parents = chain.clone();
            dep.link_parents();
        }
    }
}

/// Go's `path.Clean` for relative paths.
pub fn clean_path(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !p.starts_with('/') {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let body = parts.join("/");
    match (p.starts_with('/'), body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".to_string(),
        (false, false) => body,
    }
}

/// What Go's `encoding/json` makes of `chart.Metadata` (its json tags, all
/// `omitempty`), as `helm show chart` and `toJson .Chart` print it.
pub fn metadata_json(md: &Metadata) -> crate::value::Value {
    use crate::value::Value;
    let map = Map::new();
    let text = |map: &Map, key: &str, v: &str| {
        if !v.is_empty() {
            map.insert(key, Value::from(v));
        }
    };
    let list = |map: &Map, key: &str, v: &[String]| {
        if !v.is_empty() {
            map.insert(
                key,
                Value::list(v.iter().map(|s| Value::from(s.as_str())).collect()),
            );
        }
    };
    text(&map, "name", &md.name);
    text(&map, "home", &md.home);
    list(&map, "sources", &md.sources);
    text(&map, "version", &md.version);
    text(&map, "description", &md.description);
    list(&map, "keywords", &md.keywords);
    if !md.maintainers.is_empty() {
        let maintainers = md
            .maintainers
            .iter()
            .map(|m| {
                let entry = Map::new();
                text(&entry, "name", &m.name);
                text(&entry, "email", &m.email);
                text(&entry, "url", &m.url);
                Value::Map(entry)
            })
            .collect();
        map.insert("maintainers", Value::list(maintainers));
    }
    text(&map, "icon", &md.icon);
    text(&map, "apiVersion", &md.api_version);
    text(&map, "condition", &md.condition);
    text(&map, "tags", &md.tags);
    text(&map, "appVersion", &md.app_version);
    if md.deprecated {
        map.insert("deprecated", Value::Bool(true));
    }
    if !md.annotations.is_empty() {
        map.insert("annotations", Value::Map(md.annotations_map()));
    }
    text(&map, "kubeVersion", &md.kube_version);
    if !md.dependencies.is_empty() {
        let deps = md.dependencies.iter().map(dependency_json).collect();
        map.insert("dependencies", Value::list(deps));
    }
    text(&map, "type", &md.chart_type);
    Value::Map(map)
}

/// `chart.Dependency` as Go's `encoding/json` writes it.
pub fn dependency_json(d: &Dependency) -> crate::value::Value {
    use crate::value::Value;
    let map = Map::new();
    map.insert("name", Value::from(d.name.as_str()));
    if !d.version.is_empty() {
        map.insert("version", Value::from(d.version.as_str()));
    }
    map.insert("repository", Value::from(d.repository.as_str()));
    if !d.condition.is_empty() {
        map.insert("condition", Value::from(d.condition.as_str()));
    }
    if !d.tags.is_empty() {
        let tags = d.tags.iter().map(|t| Value::from(t.as_str())).collect();
        map.insert("tags", Value::list(tags));
    }
    if d.enabled {
        map.insert("enabled", Value::Bool(true));
    }
    if !d.import_values.is_empty() {
        map.insert("import-values", Value::list(d.import_values.clone()));
    }
    if !d.alias.is_empty() {
        map.insert("alias", Value::from(d.alias.as_str()));
    }
    Value::Map(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_clean_like_go() {
        assert_eq!(clean_path("a/./b/../c"), "a/c");
        assert_eq!(clean_path("a//b/"), "a/b");
        assert_eq!(clean_path("../a/../../b"), "../../b");
        assert_eq!(clean_path("/a/../.."), "/");
        assert_eq!(clean_path(""), ".");
    }
}
