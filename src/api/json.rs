//! The structured result of a render, as JSON: what `chartroom template
//! --output json` prints and the wasm package returns.
//!
//! `{ "manifests": [{ "path", "content", "kind", "name", "namespace",
//! "hook" }], "notes", "output" }`; `hook` is the list of hook events (empty
//! for plain manifests), `output` is exactly the `helm template` stream.

use crate::action::TemplateOutput;
use crate::value::{Map, Value};

fn entry(path: &str, content: &str, kind: &str, name: &str, hooks: Vec<Value>) -> Value {
    let namespace = crate::yaml::from_yaml_map(content)
        .ok()
        .and_then(|doc| doc.get("metadata"))
        .and_then(|m| m.as_map().and_then(|m| m.get("namespace")))
        .and_then(|n| n.as_str().map(str::to_string))
        .unwrap_or_default();
    let map: Map = [
        ("path", Value::from(path)),
        ("content", Value::from(content)),
        ("kind", Value::from(kind)),
        ("name", Value::from(name)),
        ("namespace", Value::from(namespace)),
        ("hook", Value::list(hooks)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    Value::Map(map)
}

/// The result as a JSON value.
pub fn template_output_value(out: &TemplateOutput) -> Value {
    let mut manifests = Vec::new();
    for m in &out.manifests {
        let name = m
            .head
            .metadata
            .as_ref()
            .map(|md| md.name.as_str())
            .unwrap_or("");
        manifests.push(entry(&m.name, &m.content, &m.head.kind, name, Vec::new()));
    }
    for h in &out.hooks {
        let events = h.events.iter().map(|e| Value::from(e.as_str())).collect();
        manifests.push(entry(&h.path, &h.manifest, &h.kind, &h.name, events));
    }
    let map: Map = [
        ("manifests", Value::list(manifests)),
        ("notes", Value::from(out.notes.as_str())),
        ("output", Value::from(out.stream.as_str())),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    Value::Map(map)
}

/// The result as JSON text (indented).
pub fn template_output_json(out: &TemplateOutput) -> String {
    crate::yaml::to_json_pretty(&template_output_value(out)).unwrap_or_default()
}
