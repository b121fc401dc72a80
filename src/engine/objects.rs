//! The Go structs Helm hands to templates, as host objects: `.Chart`
//! (`chart.Metadata` plus `IsRoot`), `.Files` (`engine.files`),
//! `.Capabilities` (`chartutil.Capabilities` with `KubeVersion`,
//! `APIVersions` and `HelmVersion`).

use std::any::Any;
use std::borrow::Cow;
use std::collections::BTreeMap;

use super::glob::Glob;
use crate::chart::{Dependency, FileData, Maintainer, Metadata};
use crate::template::{Method, ParamType};
use crate::value::{go_text, Bytes, GoField, Kind, Map, Object, Value};

/// A plain Go struct: named fields in declaration order, no methods.
#[derive(Debug)]
pub struct Struct {
    type_name: &'static str,
    fields: Vec<(&'static str, Value)>,
    /// What `%v` prints (Go's `{a b c}` form, or a `String()` result).
    display: Option<String>,
    /// The struct tags of `fields`, in the same order ("" for none).
    tags: Vec<&'static str>,
    /// The fields as Go's encoders reflect on them, where they differ from
    /// `fields` (a struct embedding another).
    layout: Option<Vec<GoField>>,
}

impl Struct {
    pub fn new(type_name: &'static str, fields: Vec<(&'static str, Value)>) -> Struct {
        Struct {
            type_name,
            fields,
            display: None,
            tags: Vec::new(),
            layout: None,
        }
    }

    /// A struct whose fields carry struct tags: `(name, tag, value)`.
    pub fn tagged(
        type_name: &'static str,
        fields: Vec<(&'static str, &'static str, Value)>,
    ) -> Struct {
        let tags = fields.iter().map(|(_, t, _)| *t).collect();
        let mut s = Struct::new(
            type_name,
            fields.into_iter().map(|(n, _, v)| (n, v)).collect(),
        );
        s.tags = tags;
        s
    }

    /// Sets the fields encoders see (for a struct embedding another, whose
    /// promoted fields `fields` lists flat for templates).
    pub fn with_layout(mut self, layout: Vec<GoField>) -> Struct {
        self.layout = Some(layout);
        self
    }

    /// A struct whose `String()` method gives `display`.
    pub fn with_display(mut self, display: String) -> Struct {
        self.display = Some(display);
        self
    }
}

impl Object for Struct {
    fn type_name(&self) -> String {
        self.type_name.to_string()
    }

    fn field(&self, name: &str) -> Option<Value> {
        self.fields
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    }

    /// The exported fields; empty slices and maps are taken to be nil, as
    /// Helm's structs decoded from YAML hold them.
    fn go_fields(&self) -> Option<Vec<GoField>> {
        if let Some(layout) = &self.layout {
            return Some(layout.clone());
        }
        Some(
            self.fields
                .iter()
                .enumerate()
                .map(|(i, (name, value))| {
                    let tag = self.tags.get(i).copied().unwrap_or("");
                    GoField::new(name, tag, value.clone()).nil_if_empty()
                })
                .collect(),
        )
    }

    fn format(&self) -> String {
        if let Some(d) = &self.display {
            return d.clone();
        }
        let parts: Vec<String> = self.fields.iter().map(|(_, v)| v.to_string()).collect();
        format!("{{{}}}", parts.join(" "))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn strings(items: &[String]) -> Value {
    Value::list(items.iter().map(|s| Value::from(s.as_str())).collect())
}

fn maintainer(m: &Maintainer) -> Value {
    Value::object(Struct::tagged(
        "*chart.Maintainer",
        vec![
            (
                "Name",
                r#"json:"name,omitempty""#,
                Value::from(m.name.as_str()),
            ),
            (
                "Email",
                r#"json:"email,omitempty""#,
                Value::from(m.email.as_str()),
            ),
            (
                "URL",
                r#"json:"url,omitempty""#,
                Value::from(m.url.as_str()),
            ),
        ],
    ))
}

/// A `*chart.Dependency` as templates see it.
pub fn dependency(d: &Dependency) -> Value {
    Value::object(Struct::tagged(
        "*chart.Dependency",
        vec![
            (
                "Name",
                r#"json:"name" yaml:"name""#,
                Value::from(d.name.as_str()),
            ),
            (
                "Version",
                r#"json:"version,omitempty" yaml:"version,omitempty""#,
                Value::from(d.version.as_str()),
            ),
            (
                "Repository",
                r#"json:"repository" yaml:"repository""#,
                Value::from(d.repository.as_str()),
            ),
            (
                "Condition",
                r#"json:"condition,omitempty" yaml:"condition,omitempty""#,
                Value::from(d.condition.as_str()),
            ),
            (
                "Tags",
                r#"json:"tags,omitempty" yaml:"tags,omitempty""#,
                strings(&d.tags),
            ),
            (
                "Enabled",
                r#"json:"enabled,omitempty" yaml:"enabled,omitempty""#,
                Value::Bool(d.enabled),
            ),
            (
                "ImportValues",
                r#"json:"import-values,omitempty" yaml:"import-values,omitempty""#,
                Value::list(d.import_values.clone()),
            ),
            (
                "Alias",
                r#"json:"alias,omitempty" yaml:"alias,omitempty""#,
                Value::from(d.alias.as_str()),
            ),
        ],
    ))
}

/// The fields of `chart.Metadata` with their JSON tags.
fn metadata_fields(md: &Metadata) -> Vec<(&'static str, &'static str, Value)> {
    let annotations = md.annotations_map();
    vec![
        (
            "Name",
            r#"json:"name,omitempty""#,
            Value::from(md.name.as_str()),
        ),
        (
            "Home",
            r#"json:"home,omitempty""#,
            Value::from(md.home.as_str()),
        ),
        (
            "Sources",
            r#"json:"sources,omitempty""#,
            strings(&md.sources),
        ),
        (
            "Version",
            r#"json:"version,omitempty""#,
            Value::from(md.version.as_str()),
        ),
        (
            "Description",
            r#"json:"description,omitempty""#,
            Value::from(md.description.as_str()),
        ),
        (
            "Keywords",
            r#"json:"keywords,omitempty""#,
            strings(&md.keywords),
        ),
        (
            "Maintainers",
            r#"json:"maintainers,omitempty""#,
            Value::list(md.maintainers.iter().map(maintainer).collect()),
        ),
        (
            "Icon",
            r#"json:"icon,omitempty""#,
            Value::from(md.icon.as_str()),
        ),
        (
            "APIVersion",
            r#"json:"apiVersion,omitempty""#,
            Value::from(md.api_version.as_str()),
        ),
        (
            "Condition",
            r#"json:"condition,omitempty""#,
            Value::from(md.condition.as_str()),
        ),
        (
            "Tags",
            r#"json:"tags,omitempty""#,
            Value::from(md.tags.as_str()),
        ),
        (
            "AppVersion",
            r#"json:"appVersion,omitempty""#,
            Value::from(md.app_version.as_str()),
        ),
        (
            "Deprecated",
            r#"json:"deprecated,omitempty""#,
            Value::Bool(md.deprecated),
        ),
        (
            "Annotations",
            r#"json:"annotations,omitempty""#,
            Value::Map(annotations),
        ),
        (
            "KubeVersion",
            r#"json:"kubeVersion,omitempty""#,
            Value::from(md.kube_version.as_str()),
        ),
        (
            "Dependencies",
            r#"json:"dependencies,omitempty""#,
            Value::list(md.dependencies.iter().map(dependency).collect()),
        ),
        (
            "Type",
            r#"json:"type,omitempty""#,
            Value::from(md.chart_type.as_str()),
        ),
    ]
}

/// `.Chart`: the chart's metadata with Go's field names, plus `IsRoot`
/// (Helm's `struct { chart.Metadata; IsRoot bool }`, whose encoders see the
/// embedded `chart.Metadata` with its JSON tags).
pub fn chart_object(md: &Metadata, is_root: bool) -> Value {
    let mut flat: Vec<(&'static str, Value)> = metadata_fields(md)
        .into_iter()
        .map(|(name, _, value)| (name, value))
        .collect();
    flat.push(("IsRoot", Value::Bool(is_root)));
    let layout = metadata_fields(md)
        .into_iter()
        .map(|(name, tag, value)| {
            let field = GoField::new(name, tag, value).nil_if_empty();
            if name == "Dependencies" && md.dependencies_declared {
                GoField {
                    nil: false,
                    ..field
                }
            } else {
                field
            }
        })
        .collect();
    let metadata =
        Value::object(Struct::tagged("chart.Metadata", metadata_fields(md)).with_layout(layout));
    Value::object(
        Struct::new("struct { chart.Metadata; IsRoot bool }", flat).with_layout(vec![
            GoField::embedded("Metadata", metadata),
            GoField::new("IsRoot", "", Value::Bool(is_root)),
        ]),
    )
}

/// `.Files`: a chart's non-template files by path (Helm's `engine.files`,
/// a `map[string][]byte` with methods).
#[derive(Debug, Default)]
pub struct Files {
    /// Shared with the chart, so that a render, `Glob` and the `[]byte`
    /// values templates take (`index`, `range`, `GetBytes`) copy no bytes;
    /// only a file turned into a string (`Get`, `Lines`, `AsConfig`, …) is.
    files: BTreeMap<String, FileData>,
}

impl Files {
    pub fn new<B: Into<FileData>>(files: impl IntoIterator<Item = (String, B)>) -> Files {
        Files {
            files: files.into_iter().map(|(k, v)| (k, v.into())).collect(),
        }
    }

    /// File `name` as a `[]byte` value, if there is such a file.
    fn bytes_value(&self, name: &str) -> Option<Value> {
        self.files.get(name).map(file_value)
    }

    /// `Glob`: the files whose path matches; a malformed pattern matches everything.
    pub fn glob(&self, pattern: &str) -> Files {
        let glob = Glob::new(pattern).unwrap_or_else(|_| Glob::new("**").expect("valid glob"));
        Files::new(
            self.files
                .iter()
                .filter(|(name, _)| glob.matches(name))
                .map(|(k, v)| (k.clone(), v.clone())),
        )
    }

    /// `Lines`: the file split at newlines, without a final empty line.
    /// Helm reads the last byte of the file to drop a newline, so an empty
    /// file is Go's out-of-range panic, which the template call reports.
    fn lines(&self, name: &str) -> Result<Vec<Value>, String> {
        let Some(data) = self.files.get(name) else {
            return Ok(Vec::new());
        };
        if data.is_empty() {
            return Err("runtime error: index out of range [-1]".to_string());
        }
        let text = data.strip_suffix(b"\n").unwrap_or(data);
        Ok(text.split(|&b| b == b'\n').map(Value::go_string).collect())
    }

    /// The map `AsConfig`/`AsSecrets` render: base name → text.
    fn by_base_name(&self, encode: impl Fn(&[u8]) -> String) -> Map {
        self.files
            .iter()
            .map(|(k, v)| {
                let base = k.rsplit('/').next().unwrap_or(k).to_string();
                (base, Value::from(encode(v)))
            })
            .collect()
    }

    /// `AsConfig`: the files as YAML `name: content` pairs.
    pub fn as_config(&self) -> String {
        let map = self.by_base_name(text_of);
        crate::funcs::helm::to_yaml_string(&Value::Map(map))
    }

    /// `AsSecrets`: the files as YAML `name: base64(content)` pairs.
    pub fn as_secrets(&self) -> String {
        let map = self.by_base_name(crate::funcs::helm::base64_std);
        crate::funcs::helm::to_yaml_string(&Value::Map(map))
    }
}

impl Object for Files {
    fn type_name(&self) -> String {
        "engine.files".to_string()
    }

    fn kind(&self) -> Kind {
        Kind::Map
    }

    fn field(&self, name: &str) -> Option<Value> {
        self.bytes_value(name)
    }

    fn method(&self, name: &str) -> Option<Method> {
        match name {
            "Get" | "GetBytes" | "Glob" | "Lines" => Some(Method::new([ParamType::String])),
            "AsConfig" | "AsSecrets" => Some(Method::getter()),
            _ => None,
        }
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        let arg = args.first().and_then(Value::as_str).unwrap_or_default();
        Ok(match name {
            "Get" => self.files.get(arg).map_or_else(
                || Value::from(""),
                |data| Value::go_string(Bytes::of_file(data)),
            ),
            "GetBytes" => self
                .bytes_value(arg)
                .unwrap_or_else(|| Value::bytes(&[][..])),
            "Glob" => Value::object(self.glob(arg)),
            "Lines" => Value::list(self.lines(arg)?),
            "AsConfig" => Value::from(self.as_config()),
            "AsSecrets" => Value::from(self.as_secrets()),
            _ => return Err(format!("can't call method {name} on type engine.files")),
        })
    }

    fn map_entries(&self) -> Option<Vec<(String, Value)>> {
        Some(
            self.files
                .iter()
                .map(|(k, v)| (k.clone(), file_value(v)))
                .collect(),
        )
    }

    fn format(&self) -> String {
        let parts: Vec<String> = self
            .files
            .iter()
            .map(|(k, v)| format!("{k}:{}", file_value(v)))
            .collect();
        format!("map[{}]", parts.join(" "))
    }

    fn truth(&self) -> bool {
        !self.files.is_empty()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A file as a `[]byte` value, sharing the chart's bytes.
fn file_value(data: &FileData) -> Value {
    Value::Bytes(Bytes::of_file(data))
}

/// File bytes as text, each byte that is not part of valid UTF-8 as
/// U+FFFD (as Go decodes a string); valid text (the usual case) is
/// borrowed.
fn text_cow(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => Cow::Owned(go_text(bytes)),
    }
}

/// [`text_cow`] as an owned `String`.
pub(crate) fn text_of(bytes: &[u8]) -> String {
    text_cow(bytes).into_owned()
}

/// A chart file's text as [`text_of`] gives it, sharing the file's bytes
/// where they are valid UTF-8.
pub(crate) fn shared_text_of(data: &FileData) -> crate::shared_bytes::SharedText {
    crate::shared_bytes::SharedText::of(data).unwrap_or_else(|| text_of(data).into())
}

/// `.Capabilities.KubeVersion`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubeVersion {
    pub version: String,
    pub major: String,
    pub minor: String,
}

impl Object for KubeVersion {
    fn type_name(&self) -> String {
        "chartutil.KubeVersion".to_string()
    }

    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Version" => Some(Value::from(self.version.as_str())),
            "Major" => Some(Value::from(self.major.as_str())),
            "Minor" => Some(Value::from(self.minor.as_str())),
            _ => None,
        }
    }

    /// `String` and `GitVersion` (pointer receiver; the field is addressable).
    fn method(&self, name: &str) -> Option<Method> {
        matches!(name, "String" | "GitVersion").then(Method::getter)
    }

    fn call_method(&self, _name: &str, _args: &[Value]) -> Result<Value, String> {
        Ok(Value::from(self.version.as_str()))
    }

    fn format(&self) -> String {
        self.version.clone()
    }

    /// `String` has a pointer receiver: a copy in an interface prints as
    /// the struct (`{v1.20.0 1 20}`).
    fn format_in_interface(&self) -> String {
        format!("{{{} {} {}}}", self.version, self.major, self.minor)
    }

    fn go_fields(&self) -> Option<Vec<GoField>> {
        Some(vec![
            GoField::new("Version", "", Value::from(self.version.as_str())),
            GoField::new("Major", "", Value::from(self.major.as_str())),
            GoField::new("Minor", "", Value::from(self.minor.as_str())),
        ])
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `.Capabilities.APIVersions`: a list of `group/version` strings with `Has`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionSet(pub Vec<String>);

impl Object for VersionSet {
    fn type_name(&self) -> String {
        "chartutil.VersionSet".to_string()
    }

    fn kind(&self) -> Kind {
        Kind::Slice
    }

    fn field(&self, _name: &str) -> Option<Value> {
        None
    }

    fn method(&self, name: &str) -> Option<Method> {
        (name == "Has").then(|| Method::new([ParamType::String]))
    }

    fn call_method(&self, _name: &str, args: &[Value]) -> Result<Value, String> {
        let wanted = args.first().and_then(Value::as_str).unwrap_or_default();
        Ok(Value::Bool(self.0.iter().any(|v| v == wanted)))
    }

    fn list_items(&self) -> Option<Vec<Value>> {
        Some(self.0.iter().map(|v| Value::from(v.as_str())).collect())
    }

    fn format(&self) -> String {
        format!("[{}]", self.0.join(" "))
    }

    fn truth(&self) -> bool {
        !self.0.is_empty()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Helm's build information (`.Capabilities.HelmVersion`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelmVersion {
    pub version: String,
    pub git_commit: String,
    pub git_tree_state: String,
    pub go_version: String,
}

impl HelmVersion {
    pub fn to_value(&self) -> Value {
        Value::object(Struct::tagged(
            "version.BuildInfo",
            vec![
                (
                    "Version",
                    r#"json:"version,omitempty""#,
                    Value::from(self.version.as_str()),
                ),
                (
                    "GitCommit",
                    r#"json:"git_commit,omitempty""#,
                    Value::from(self.git_commit.as_str()),
                ),
                (
                    "GitTreeState",
                    r#"json:"git_tree_state,omitempty""#,
                    Value::from(self.git_tree_state.as_str()),
                ),
                (
                    "GoVersion",
                    r#"json:"go_version,omitempty""#,
                    Value::from(self.go_version.as_str()),
                ),
            ],
        ))
    }
}

/// `.Capabilities`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Capabilities {
    pub kube_version: KubeVersion,
    pub api_versions: VersionSet,
    pub helm_version: HelmVersion,
}

impl Capabilities {
    pub fn to_value(&self) -> Value {
        Value::object(Struct::new(
            "*chartutil.Capabilities",
            vec![
                ("KubeVersion", Value::object(self.kube_version.clone())),
                ("APIVersions", Value::object(self.api_versions.clone())),
                ("HelmVersion", self.helm_version.to_value()),
            ],
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{Dependency, Maintainer};

    fn chart() -> Value {
        let md = Metadata {
            name: "x".into(),
            version: "0.1.0".into(),
            api_version: "v2".into(),
            maintainers: vec![Maintainer {
                name: "n".into(),
                ..Maintainer::default()
            }],
            dependencies: vec![Dependency {
                name: "d".into(),
                repository: "r".into(),
                enabled: true,
                ..Dependency::default()
            }],
            ..Metadata::default()
        };
        chart_object(&md, true)
    }

    fn capabilities() -> Value {
        Capabilities {
            kube_version: KubeVersion {
                version: "v1.20.0".into(),
                major: "1".into(),
                minor: "20".into(),
            },
            api_versions: VersionSet(vec!["v1".into()]),
            helm_version: HelmVersion {
                version: "v3.21.4".into(),
                git_commit: String::new(),
                git_tree_state: String::new(),
                go_version: String::new(),
            },
        }
        .to_value()
    }

    // Expected texts from Go's encoding/json, BurntSushi/toml and go-yaml
    // v3 over Helm's structs.
    #[test]
    fn chart_encodes_with_go_tags() {
        assert_eq!(
            crate::yaml::to_json(&chart()).unwrap(),
            r#"{"name":"x","version":"0.1.0","maintainers":[{"name":"n"}],"apiVersion":"v2","dependencies":[{"name":"d","repository":"r","enabled":true}],"IsRoot":true}"#
        );
        assert_eq!(
            crate::toml::to_toml(&chart()).unwrap(),
            "Name = \"x\"\nHome = \"\"\nVersion = \"0.1.0\"\nDescription = \"\"\nIcon = \"\"\n\
             APIVersion = \"v2\"\nCondition = \"\"\nTags = \"\"\nAppVersion = \"\"\nDeprecated = false\n\
             KubeVersion = \"\"\nType = \"\"\nIsRoot = true\n\n[[Maintainers]]\n  Name = \"n\"\n  Email = \"\"\n\
             \x20 URL = \"\"\n\n[[Dependencies]]\n  Name = \"d\"\n  Version = \"\"\n  Repository = \"r\"\n\
             \x20 Condition = \"\"\n  Enabled = true\n  Alias = \"\"\n"
        );
        let yaml = crate::yaml::to_yaml_pretty(&chart()).unwrap();
        assert!(yaml.starts_with("metadata:\n  name: x\n  home: \"\"\n  sources: []\n"));
        assert!(yaml.ends_with("  dependencies:\n    - name: d\n      repository: r\n      enabled: true\n  type: \"\"\nisroot: true\n"));
    }

    #[test]
    fn capabilities_encode_with_go_tags() {
        assert_eq!(
            crate::yaml::to_json(&capabilities()).unwrap(),
            r#"{"KubeVersion":{"Version":"v1.20.0","Major":"1","Minor":"20"},"APIVersions":["v1"],"HelmVersion":{"version":"v3.21.4"}}"#
        );
        assert_eq!(
            crate::yaml::to_yaml(&capabilities()).unwrap(),
            "APIVersions:\n- v1\nHelmVersion:\n  version: v3.21.4\nKubeVersion:\n  Major: \"1\"\n  Minor: \"20\"\n  Version: v1.20.0\n"
        );
        assert_eq!(
            crate::yaml::to_yaml_pretty(&capabilities()).unwrap(),
            "kubeversion:\n  version: v1.20.0\n  major: \"1\"\n  minor: \"20\"\napiversions:\n  - v1\n\
             helmversion:\n  version: v3.21.4\n  gitcommit: \"\"\n  gittreestate: \"\"\n  goversion: \"\"\n"
        );
    }

    #[test]
    fn file_text_borrows_valid_utf8_and_replaces_invalid_bytes() {
        assert!(matches!(text_cow(b"kind: A"), Cow::Borrowed("kind: A")));
        // Go decodes a cut sequence (E2 82) as one U+FFFD per byte.
        assert_eq!(text_of(b"a\xffb\xe2\x82"), "a\u{fffd}b\u{fffd}\u{fffd}");
    }

    /// Entries taken as values (`index`, `range`, `GetBytes`) share the
    /// chart's bytes, and equal the same bytes made any other way.
    #[test]
    fn file_values_share_the_chart_s_bytes() {
        let data: FileData = b"kind: CRD\n".to_vec().into();
        let files = Files::new([("crds/a.yaml".to_string(), data.clone())]);
        let taken = [
            files.field("crds/a.yaml").unwrap(),
            files.map_entries().unwrap().remove(0).1,
            files
                .call_method("GetBytes", &[Value::from("crds/a.yaml")])
                .unwrap(),
        ];
        assert_eq!(data.holders(), 2 + taken.len());
        for value in &taken {
            assert!(matches!(value, Value::Bytes(b) if b == &Bytes::from(&b"kind: CRD\n"[..])));
        }
        let missing = files.call_method("GetBytes", &[Value::from("nope")]);
        assert!(matches!(missing, Ok(Value::Bytes(b)) if b.is_empty()));
    }

    /// A template renderer with Sprig's and Helm's functions and `files`
    /// as `.Files`.
    fn files_template(files: Files) -> impl Fn(&str) -> Result<String, String> {
        let data = Map::new();
        data.insert("Files", Value::object(files));
        let data = Value::Map(data);
        move |text| {
            let mut set = crate::template::Templates::named("t");
            crate::funcs::register_sprig_all(&mut set);
            crate::funcs::register_helm(&mut set);
            set.parse("t", text).expect("parses");
            set.execute("t", &data).map_err(|e| e.to_string())
        }
    }

    /// Each method of `.Files` in a template, as helm prints it (helm
    /// v3.10.1 gave the same bytes but for `Lines`, which keeps the final
    /// empty line there; v3.21.4 drops it, and fails on an empty file).
    #[test]
    fn files_methods_render_as_helm_does() {
        let files = Files::new([
            ("config/a.txt".to_string(), b"A\n".to_vec()),
            ("config/b.txt".to_string(), b"B".to_vec()),
            ("lines.txt".to_string(), b"one\ntwo\n".to_vec()),
            ("empty.txt".to_string(), Vec::new()),
        ]);
        let render = files_template(files);
        let cases = [
            (r#"{{ .Files.Get "config/a.txt" | toJson }}"#, r#""A\n""#),
            (r#"{{ .Files.Get "nope" | toJson }}"#, r#""""#),
            (r#"{{ .Files.GetBytes "config/b.txt" | printf "%s" }}"#, "B"),
            (
                r#"{{ index .Files "lines.txt" | printf "%s" | toJson }}"#,
                r#""one\ntwo\n""#,
            ),
            (
                r#"{{ .Files.Lines "lines.txt" | toJson }}"#,
                r#"["one","two"]"#,
            ),
            (r#"{{ .Files.Lines "nope" | toJson }}"#, "[]"),
            (
                r#"{{ range $p, $_ := .Files.Glob "config/*" }}{{ $p }} {{ end }}"#,
                "config/a.txt config/b.txt ",
            ),
            (
                r#"{{ (.Files.Glob "config/*").AsConfig | toJson }}"#,
                r#""a.txt: |\n  A\nb.txt: B""#,
            ),
            (
                r#"{{ (.Files.Glob "config/*").AsSecrets | toJson }}"#,
                r#""a.txt: QQo=\nb.txt: Qg==""#,
            ),
            (
                r#"{{ range $p, $b := .Files }}{{ $p }}={{ len $b }} {{ end }}"#,
                "config/a.txt=2 config/b.txt=1 empty.txt=0 lines.txt=8 ",
            ),
            (
                r#"{{ .Files.Glob "config/*" | toJson }}"#,
                r#"{"config/a.txt":"QQo=","config/b.txt":"Qg=="}"#,
            ),
        ];
        for (text, want) in cases {
            assert_eq!(render(text).as_deref(), Ok(want), "{text}");
        }
        assert_eq!(
            render(r#"{{ .Files.Lines "empty.txt" }}"#).unwrap_err(),
            "template: t:1:9: executing \"t\" at <.Files.Lines>: error calling Lines: \
             runtime error: index out of range [-1]"
        );
    }

    /// A file that is not UTF-8 (a keystore): Go strings hold its bytes,
    /// so `Get` and `Lines` give strings whose bytes the byte-wise
    /// functions see. Each expected text is what helm v3.10.1 printed for
    /// the same file and template.
    #[test]
    fn binary_files_keep_their_bytes_through_get_and_lines() {
        let jks = b"\x00\x01\xff\xfe\x80abc\xc3\n\xe2\x82x\nlast".to_vec();
        let files = Files::new([("k.jks".to_string(), jks)]);
        let render = files_template(files);
        let get = r#"(.Files.Get "k.jks")"#;
        let cases = [
            ("b64enc", "AAH//oBhYmPDCuKCeApsYXN0"),
            ("b32enc", "AAA777UAMFRGHQYK4KBHQCTMMFZXI==="),
            (
                "sha256sum",
                "2006f0996a6eb9cf7f8148940529037bb6aeec94bba88eeb4b0e5220e9a4ad7e",
            ),
            ("sha1sum", "10749a0a8787c79a8651a3eb16f7f6a09fafc56c"),
            ("adler32sum", "1300236300"),
            ("len", "18"),
            ("printf \"%x\"", "0001fffe80616263c30ae282780a6c617374"),
            ("quote", r#""\x00\x01\xff\xfe\x80abc\xc3\n\xe2\x82x\nlast""#),
            ("b64enc | b64dec | b64enc", "AAH//oBhYmPDCuKCeApsYXN0"),
            ("printf \"%s\" | b64enc", "AAH//oBhYmPDCuKCeApsYXN0"),
            ("print | b64enc", "AAH//oBhYmPDCuKCeApsYXN0"),
            (
                "toJson",
                r#""\u0000\u0001\ufffd\ufffd\ufffdabc\ufffd\n\ufffd\ufffdx\nlast""#,
            ),
            ("typeOf", "string"),
            ("empty", "false"),
            // Text functions see each invalid byte as U+FFFD, as Go's do.
            ("upper | b64enc", "AAHvv73vv73vv71BQkPvv70K77+977+9WApMQVNU"),
        ];
        for (pipeline, want) in cases {
            let text = format!("{{{{ {get} | {pipeline} }}}}");
            assert_eq!(render(&text).as_deref(), Ok(want), "{text}");
        }
        let more = [
            (
                r#"{{ .Files.GetBytes "k.jks" | toString | b64enc }}"#,
                "AAH//oBhYmPDCuKCeApsYXN0",
            ),
            (
                r#"{{ range .Files.Lines "k.jks" }}{{ . | b64enc }},{{ end }}"#,
                "AAH//oBhYmPD,4oJ4,bGFzdA==,",
            ),
            (r#"{{ index (.Files.Get "k.jks") 2 }}"#, "255"),
            (
                r#"{{ eq (.Files.Get "k.jks") (.Files.Get "k.jks") }}"#,
                "true",
            ),
            (r#"{{ lt (.Files.Get "k.jks") "a" }}"#, "true"),
            (
                r#"{{ (.Files.Glob "k.jks").AsConfig | b64enc }}"#,
                "ay5qa3M6ICJcMFx4MDHvv73vv73vv71hYmPvv71cbu+/ve+/vXhcbmxhc3Qi",
            ),
        ];
        for (text, want) in more {
            assert_eq!(render(text).as_deref(), Ok(want), "{text}");
        }
    }

    #[test]
    fn files_encode_as_a_map_of_bytes() {
        let files = Value::object(Files::new([("a".to_string(), b"hi".to_vec())]));
        assert_eq!(crate::yaml::to_json(&files).unwrap(), r#"{"a":"aGk="}"#);
        assert_eq!(crate::toml::to_toml(&files).unwrap(), "a = [104, 105]\n");
    }
}
