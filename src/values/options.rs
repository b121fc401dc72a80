//! The user's values, merged as Helm's `values.Options.MergeValues`
//! (`pkg/cli/values/options.go`) merges them: values files in order (maps
//! merged deeply, everything else replaced), then `--set-json`, `--set`,
//! `--set-string`, `--set-file` and `--set-literal`, each family in the order
//! given, with Helm's error texts.

use super::strvals;
use crate::value::{Map, Value};

/// A values file: the name the user gave (used in error messages) and its text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValuesFile {
    pub name: String,
    pub text: String,
}

/// The value flags of `helm template`/`install`, in the order Helm applies them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValueOptions {
    /// `-f`/`--values`, in order.
    pub files: Vec<ValuesFile>,
    /// `--set-json`.
    pub json: Vec<String>,
    /// `--set`.
    pub set: Vec<String>,
    /// `--set-string`.
    pub set_string: Vec<String>,
    /// `--set-file`: `key=path` pairs; paths are read through the caller's reader.
    pub set_file: Vec<String>,
    /// `--set-literal`.
    pub set_literal: Vec<String>,
}

impl ValueOptions {
    /// Helm's `MergeValues`. `read_file` reads a `--set-file` path.
    pub fn merge(&self, read_file: &dyn Fn(&str) -> Result<String, String>) -> Result<Map, String> {
        let mut base = Map::new();
        for file in &self.files {
            let current = crate::yaml::from_yaml_map(&file.text)
                .map_err(|e| format!("failed to parse {}: {e}", file.name))?;
            base = merge_maps(&base, &current);
        }
        let json = |text: &str| -> Result<(Value, usize), String> {
            crate::yaml::from_json_prefix(text).map_err(|e| e.to_string())
        };
        for value in &self.json {
            strvals::parse_json(value, &base, &json)
                .map_err(|_| format!("failed parsing --set-json data {value}"))?;
        }
        for value in &self.set {
            strvals::parse_into(value, &base)
                .map_err(|e| format!("failed parsing --set data: {e}"))?;
        }
        for value in &self.set_string {
            strvals::parse_into_string(value, &base)
                .map_err(|e| format!("failed parsing --set-string data: {e}"))?;
        }
        let reader = |path: &str| -> Result<Value, String> { read_file(path).map(Value::from) };
        for value in &self.set_file {
            strvals::parse_file_into(value, &base, &reader)
                .map_err(|e| format!("failed parsing --set-file data: {e}"))?;
        }
        for value in &self.set_literal {
            strvals::parse_literal_into(value, &base)
                .map_err(|e| format!("failed parsing --set-literal data: {e}"))?;
        }
        Ok(base)
    }
}

/// Helm's `mergeMaps`: `b` over `a`, merging maps present in both.
pub fn merge_maps(a: &Map, b: &Map) -> Map {
    let out = a.shallow_clone();
    for (key, value) in b.entries() {
        if let (Value::Map(bv), Some(Value::Map(av))) = (&value, out.get(&key)) {
            out.insert(key, Value::Map(merge_maps(&av, bv)));
            continue;
        }
        out.insert(key, value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_files(_: &str) -> Result<String, String> {
        Err("no files here".into())
    }

    #[test]
    fn files_then_flags_in_helm_order() {
        let options = ValueOptions {
            files: vec![
                ValuesFile {
                    name: "a.yaml".into(),
                    text: "x:\n  a: 1\n  b: 2\nlist: [1, 2]\n".into(),
                },
                ValuesFile {
                    name: "b.yaml".into(),
                    text: "x:\n  b: 3\nlist: [3]\n".into(),
                },
            ],
            json: vec!["j={\"k\":[1,true]}".into()],
            set: vec!["x.c=4".into(), "s=01".into()],
            set_string: vec!["n=5".into()],
            set_literal: vec!["lit=a,b=c".into()],
            ..ValueOptions::default()
        };
        let merged = options.merge(&no_files).unwrap();
        assert_eq!(
            Value::Map(merged.clone()).to_string(),
            "map[j:map[k:[1 true]] list:[3] lit:a,b=c n:5 s:01 x:map[a:1 b:3 c:4]]"
        );
        assert_eq!(merged.get("n").unwrap().type_name(), "string");
    }

    #[test]
    fn errors_name_the_source() {
        let bad_file = ValueOptions {
            files: vec![ValuesFile {
                name: "bad.yaml".into(),
                text: "x: 1\na: b: c\n".into(),
            }],
            ..ValueOptions::default()
        };
        assert_eq!(
            bad_file.merge(&no_files).unwrap_err(),
            "failed to parse bad.yaml: error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context"
        );
        let bad_set = ValueOptions {
            set: vec!["a".into()],
            ..ValueOptions::default()
        };
        assert_eq!(
            bad_set.merge(&no_files).unwrap_err(),
            "failed parsing --set data: key \"a\" has no value"
        );
        let bad_json = ValueOptions {
            json: vec!["a={".into()],
            ..ValueOptions::default()
        };
        assert_eq!(
            bad_json.merge(&no_files).unwrap_err(),
            "failed parsing --set-json data a={"
        );
        let set_file = ValueOptions {
            set_file: vec!["a=missing.txt".into()],
            ..ValueOptions::default()
        };
        assert_eq!(
            set_file.merge(&no_files).unwrap_err(),
            "failed parsing --set-file data: no files here"
        );
    }
}
