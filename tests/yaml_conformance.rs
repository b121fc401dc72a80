//! Checks `chartroom::yaml` against the shared conformance data: Helm's and
//! Sprig's own test vectors for the YAML/JSON template functions and values
//! files, and the chart corpus rendered by `helm template` v3.21.4.
//!
//! The data is read from `../shared/conformance` (relative to the crate) or
//! from `$CHARTROOM_CONFORMANCE`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use chartroom::value::IntType;
use chartroom::yaml::{
    from_json, from_json_list, from_json_map, from_yaml_list, from_yaml_map, to_json,
    to_json_pretty, to_json_raw, to_yaml,
};
use chartroom::{Map, Value};
use common::for_each_text_file;

fn conformance_dir() -> PathBuf {
    let dir = std::env::var_os("CHARTROOM_CONFORMANCE")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance"));
    assert!(
        dir.is_dir(),
        "conformance data not found at {}",
        dir.display()
    );
    dir
}

fn load_vectors(name: &str) -> Vec<serde_json::Value> {
    let path = conformance_dir().join("vectors").join(name);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("vector file is JSON")
}

/// Vector data with the README's typing (integer literal = Go `int`).
fn typed(v: &serde_json::Value) -> Value {
    use serde_json::Value as J;
    match v {
        J::Null => Value::Nil,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) if n.is_i64() && !n.to_string().contains(['.', 'e', 'E']) => {
            Value::Int(n.as_i64().unwrap_or_default(), IntType::Int)
        }
        J::Number(n) => Value::Float(n.as_f64().unwrap_or_default()),
        J::String(s) => Value::string(s.as_str()),
        J::Array(items) => Value::list(items.iter().map(typed).collect()),
        J::Object(o) => Value::Map(o.iter().map(|(k, e)| (k.clone(), typed(e))).collect()),
    }
}

/// Go's `%v` for the values these functions return (floats here are whole).
fn go_v(v: &Value) -> String {
    match v {
        Value::Nil => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i, _) => i.to_string(),
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e21 => format!("{}", *f as i64),
        Value::Float(f) => f.to_string(),
        Value::String(s) => s.to_string(),
        Value::List(items) => format!("[{}]", items.iter().map(go_v).collect::<Vec<_>>().join(" ")),
        Value::Map(m) => format!(
            "map[{}]",
            m.entries()
                .iter()
                .map(|(k, v)| format!("{k}:{}", go_v(v)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        other => format!("{other}"),
    }
}

/// Helm's `fromYaml`: the map, or a map holding only `Error`.
fn helm_from_yaml(s: &str) -> Value {
    Value::Map(from_yaml_map(s).unwrap_or_else(|e| {
        let m = Map::new();
        m.insert("Error", Value::string(e.to_string()));
        m
    }))
}

fn helm_from_yaml_array(s: &str) -> Value {
    Value::list(from_yaml_list(s).unwrap_or_else(|e| vec![Value::string(e.to_string())]))
}

fn helm_from_json(s: &str) -> Value {
    match from_json_map(s) {
        Ok(m) => Value::Map(m.unwrap_or_default()),
        Err(e) => {
            let m = e
                .partial()
                .and_then(Value::as_map)
                .cloned()
                .unwrap_or_default();
            m.insert("Error", Value::string(e.to_string()));
            Value::Map(m)
        }
    }
}

fn helm_from_json_array(s: &str) -> Value {
    match from_json_list(s) {
        Ok(items) => Value::list(items.unwrap_or_default()),
        Err(e) => Value::list(vec![Value::string(e.to_string())]),
    }
}

/// Evaluates the one-function templates of the vectors that exercise YAML
/// and JSON, or `None` for other templates.
fn eval(template: &str, data: &Value) -> Option<String> {
    let field = |name: &str| {
        data.as_map()
            .and_then(|m| m.get(name))
            .unwrap_or(Value::Nil)
    };
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    let out = match template.replace(' ', "").as_str() {
        "{{toYaml.}}" => to_yaml(data)
            .map(|s| s.strip_suffix('\n').unwrap_or(&s).to_string())
            .unwrap_or_default(),
        "{{toJson.}}" => to_json(data).unwrap_or_default(),
        "{{.Top|toJson}}" => to_json(&field("Top")).unwrap_or_default(),
        "{{.Top|toPrettyJson}}" => to_json_pretty(&field("Top")).unwrap_or_default(),
        "{{.Top|toRawJson}}" => to_json_raw(&field("Top")).unwrap_or_default(),
        "{{fromYaml.}}" => go_v(&helm_from_yaml(&text(data))),
        "{{fromYamlArray.}}" => go_v(&helm_from_yaml_array(&text(data))),
        "{{fromJson.}}" => go_v(&helm_from_json(&text(data))),
        "{{fromJsonArray.}}" => go_v(&helm_from_json_array(&text(data))),
        "{{.Input|fromJson}}" => go_v(&from_json(&text(&field("Input"))).unwrap_or_default()),
        "{{(.Input|fromJson).foo}}" => {
            let v = from_json(&text(&field("Input"))).unwrap_or_default();
            go_v(&v.as_map().and_then(|m| m.get("foo")).unwrap_or(Value::Nil))
        }
        _ => return None,
    };
    Some(out)
}

#[test]
fn template_function_vectors() {
    let mut checked = 0;
    for file in ["helm_funcs.json", "sprig_defaults.json"] {
        for case in load_vectors(file) {
            let (Some(template), Some(expected)) =
                (case["template"].as_str(), case["expected"].as_str())
            else {
                continue;
            };
            let data = typed(&case["data"]);
            if let Some(got) = eval(template, &data) {
                assert_eq!(got, expected, "{}", case["id"]);
                checked += 1;
            }
        }
    }
    assert!(checked >= 15, "only {checked} vectors checked");
}

fn lookup(values: &Map, path: &str) -> Option<Value> {
    let mut cur = Value::Map(values.clone());
    for part in path.split('.') {
        cur = cur.as_map()?.get(part)?;
    }
    Some(cur)
}

#[test]
fn values_file_vectors() {
    let mut checked = 0;
    for case in load_vectors("helm_values.json") {
        let Some(text) = case["values_yaml"].as_str() else {
            continue;
        };
        let values = from_yaml_map(text).unwrap_or_else(|e| panic!("{}: {e}", case["id"]));
        let path = case["path"].as_str().unwrap_or("");
        let id = &case["id"];
        match case["op"].as_str() {
            Some("Get") | Some("PathValue") => {
                let found = if path.is_empty() {
                    None
                } else {
                    lookup(&values, path)
                };
                if case["error"] == true {
                    assert!(found.is_none(), "{id}");
                } else {
                    let found = found.unwrap_or_else(|| panic!("{id}: {path} missing"));
                    assert_eq!(found.as_str(), case["expected"].as_str(), "{id}");
                }
            }
            Some("Table") => {
                let table = lookup(&values, path).and_then(|v| v.as_map().cloned());
                if case["error"] == true {
                    assert!(table.is_none(), "{id}");
                } else {
                    let table = table.unwrap_or_else(|| panic!("{id}: {path} is not a table"));
                    if let Some(want) = case["expected_key"].as_object() {
                        for (k, v) in want {
                            assert_eq!(
                                table.get(k).and_then(|x| x.as_str().map(str::to_string)),
                                v.as_str().map(str::to_string)
                            );
                        }
                    }
                }
            }
            Some("ReadValues") => {}
            Some("Template") => {
                let t = case["template"].as_str().unwrap_or("");
                let got = if let Some(inner) =
                    t.strip_prefix("{{len .").and_then(|s| s.strip_suffix("}}"))
                {
                    lookup(&values, inner).and_then(|v| v.as_list().map(|l| l.len().to_string()))
                } else if let Some(inner) = t.strip_prefix("{{.").and_then(|s| s.strip_suffix("}}"))
                {
                    lookup(&values, inner).and_then(|v| v.as_str().map(str::to_string))
                } else {
                    continue;
                };
                assert_eq!(got.as_deref(), case["expected"].as_str(), "{id}");
            }
            _ => continue,
        }
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} vectors checked");
}

/// Every values file and Chart.yaml in the corpus loads (Helm rendered all
/// of these charts), and every document Helm printed in a successful render
/// reads back.
#[test]
fn chart_corpus_yaml_loads() {
    let root = conformance_dir().join("charts/public");
    let mut loaded = 0;
    let mut documents = 0;
    for_each_text_file(&root, |path, name, in_templates, text| {
        if (name.starts_with("values") && name.ends_with(".yaml") && !in_templates)
            || name == "Chart.yaml"
        {
            from_yaml_map(text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            loaded += 1;
        } else if name == "expected.out" && !path.with_file_name("expected.err").exists() {
            for doc in text.split("\n---\n") {
                from_yaml_map(doc).unwrap_or_else(|e| panic!("{}: {e}\n{doc}", path.display()));
                documents += 1;
            }
        }
    });
    assert!(loaded > 250, "only {loaded} files loaded");
    assert!(documents > 1000, "only {documents} documents read");
}

/// Helm's "YAML parse error" for a rendered template: its text is the sigs
/// error of our parser on the same document.
#[test]
fn invalid_template_yaml_error_matches_helm() {
    let root = conformance_dir().join("charts/public");
    let case = root.join("cases/helm__template-with-invalid-yaml/expected.err");
    let err_text = fs::read_to_string(&case).expect("expected.err");
    let line = err_text
        .lines()
        .find(|l| l.starts_with("Error: "))
        .expect("error line");
    let prefix = "Error: YAML parse error on chart-with-template-with-invalid-yaml/templates/alpine-pod.yaml: ";
    let want = line.strip_prefix(prefix).expect("YAML parse error");
    let template = fs::read_to_string(root.join(
        "charts/helm-testdata-chart-with-template-with-invalid-yaml/templates/alpine-pod.yaml",
    ))
    .expect("template");
    // The template's only actions sit inside a quoted string.
    let mut rendered = String::new();
    let mut rest = template.as_str();
    while let Some(start) = rest.find("{{") {
        rendered.push_str(&rest[..start]);
        rendered.push('x');
        rest = rest[start..]
            .split_once("}}")
            .map_or("", |(_, after)| after);
    }
    rendered.push_str(rest);
    assert_eq!(from_yaml_map(&rendered).unwrap_err().to_string(), want);
}
