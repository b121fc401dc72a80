//! The structured result of a render, as JSON: what `chartroom template
//! --output json` prints and the wasm package returns.
//!
//! `{ "manifests": [{ "path", "content", "kind", "name", "namespace",
//! "hook" }], "notes", "output" }`. `output` is exactly the `helm template`
//! stream and `manifests` are its documents, in its order, so `--show-only`,
//! `--no-hooks`, `--skip-tests` and `--include-crds` shape both alike.
//! `hook` lists the document's `helm.sh/hook` events (empty for plain
//! manifests).

use crate::action::TemplateOutput;
use crate::value::{Map, Value};
use crate::yaml::{from_yaml_into, GoField, GoStruct, GoType};

/// What a manifest card shows of a document's metadata.
static CARD_METADATA: GoStruct = GoStruct {
    name: "",
    type_name: "metadata",
    fields: &[
        GoField {
            json: "name",
            ty: GoType::String,
        },
        GoField {
            json: "namespace",
            ty: GoType::String,
        },
        GoField {
            json: "annotations",
            ty: GoType::Map(&GoType::String),
        },
    ],
};

/// What a manifest card shows of a document.
static CARD_HEAD: GoStruct = GoStruct {
    name: "",
    type_name: "head",
    fields: &[
        GoField {
            json: "kind",
            ty: GoType::String,
        },
        GoField {
            json: "metadata",
            ty: GoType::Ptr(&GoType::Struct(&CARD_METADATA)),
        },
    ],
};

const HOOK_ANNOTATION: &str = "helm.sh/hook";

/// The documents of a `helm template` stream: each `---` block with its
/// `# Source:` path and the text after that line.
pub fn stream_documents(stream: &str) -> Vec<(String, String)> {
    let mut documents = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in stream.split_inclusive('\n') {
        if line.trim_end_matches('\n') == "---" {
            documents.extend(current.take());
            current = Some((String::new(), String::new()));
            continue;
        }
        let (path, content) = current.get_or_insert_with(Default::default);
        match line.strip_prefix("# Source: ") {
            Some(source) if path.is_empty() && content.is_empty() => {
                *path = source.trim_end_matches('\n').to_string();
            }
            _ => content.push_str(line),
        }
    }
    documents.extend(current);
    documents
}

/// The top-level `kind` and `metadata` entries of a document that is a
/// plain block mapping at column 0 (every rendered Kubernetes object in
/// practice), so that a card does not parse a large `spec` again; `None`
/// for anything else, which is then read whole.
fn head_entries(content: &str) -> Option<String> {
    let mut head = String::new();
    let mut keep = false;
    for line in content.split_inclusive('\n') {
        let first = line.as_bytes()[0];
        let continuation = matches!(first, b' ' | b'\t' | b'\n' | b'\r' | b'#');
        if !continuation {
            let (key, rest) = line.split_once(':')?;
            let plain_key = key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/'));
            if !plain_key
                || !(rest.starts_with([' ', '\n', '\r']) || rest.is_empty())
                || first == b'-'
            {
                return None;
            }
            keep = key == "kind" || key == "metadata";
        }
        if keep {
            head.push_str(line);
        }
    }
    Some(head)
}

fn card(path: &str, content: &str) -> Value {
    let read = |text: &str| from_yaml_into(text, GoType::Struct(&CARD_HEAD));
    let head = head_entries(content)
        .and_then(|head| read(&head).ok())
        .or_else(|| read(content).ok())
        .unwrap_or_default();
    let field = |v: &Value, key: &str| v.as_map().and_then(|m| m.get(key));
    let text = |v: Option<Value>| {
        v.and_then(|s| s.as_str().map(str::to_string))
            .unwrap_or_default()
    };
    let metadata = field(&head, "metadata").unwrap_or_default();
    let hooks = field(&metadata, "annotations")
        .and_then(|a| field(&a, HOOK_ANNOTATION))
        .map(|h| text(Some(h)))
        .unwrap_or_default();
    let hooks = hooks
        .split(',')
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map(Value::from)
        .collect();
    let map: Map = [
        ("path", Value::from(path)),
        ("content", Value::from(content)),
        ("kind", Value::from(text(field(&head, "kind")))),
        ("name", Value::from(text(field(&metadata, "name")))),
        (
            "namespace",
            Value::from(text(field(&metadata, "namespace"))),
        ),
        ("hook", Value::list(hooks)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    Value::Map(map)
}

/// The result as a JSON value.
pub fn template_output_value(out: &TemplateOutput) -> Value {
    let manifests = stream_documents(&out.stream)
        .iter()
        .map(|(path, content)| card(path, content))
        .collect();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_of_a_stream() {
        let stream = "---\n# Source: c/templates/a.yaml\nkind: A\n---\n# Source: c/templates/b.yaml\n# a comment\nkind: B\nmetadata:\n  name: b\n";
        assert_eq!(
            stream_documents(stream),
            vec![
                ("c/templates/a.yaml".to_string(), "kind: A\n".to_string()),
                (
                    "c/templates/b.yaml".to_string(),
                    "# a comment\nkind: B\nmetadata:\n  name: b\n".to_string()
                ),
            ]
        );
        assert!(stream_documents("").is_empty());
    }

    #[test]
    fn cards_read_kind_name_namespace_and_hooks() {
        let c = card(
            "c/templates/job.yaml",
            "kind: Job\nmetadata:\n  name: m\n  namespace: 7\n  annotations:\n    helm.sh/hook: \"pre-install, post-upgrade\"\n",
        );
        let json = crate::yaml::to_json_raw(&c).unwrap();
        assert!(
            json.contains(
                r#""hook":["pre-install","post-upgrade"],"kind":"Job","name":"m","namespace":"7""#
            ),
            "{json}"
        );
        let broken = crate::yaml::to_json_raw(&card("p", "kind: [")).unwrap();
        assert!(
            broken.contains(r#""hook":[],"kind":"","name":"""#),
            "{broken}"
        );
    }

    #[test]
    fn cards_read_only_the_head_of_plain_documents() {
        let doc = "apiVersion: v1\nkind: ConfigMap\n# note\nmetadata:\n  name: a\n  namespace: ns\ndata:\n  big: |\n    x: [\n";
        assert_eq!(
            head_entries(doc).as_deref(),
            Some("kind: ConfigMap\n# note\nmetadata:\n  name: a\n  namespace: ns\n")
        );
        // Unusual documents are read whole, with the same result.
        for unusual in [
            "{kind: A, metadata: {name: b}}\n",
            "\"kind\": A\nmetadata: {name: b}\n",
            "- a\n",
        ] {
            assert_eq!(head_entries(unusual), None, "{unusual}");
        }
        let quoted =
            crate::yaml::to_json_raw(&card("p", "\"kind\": A\nmetadata: {name: b}\n")).unwrap();
        assert!(quoted.contains(r#""kind":"A","name":"b""#), "{quoted}");
        // An alias into the rest of the document falls back to the whole text.
        let alias = "x: &n web\nkind: A\nmetadata:\n  name: *n\n";
        let aliased = crate::yaml::to_json_raw(&card("p", alias)).unwrap();
        assert!(aliased.contains(r#""kind":"A","name":"web""#), "{aliased}");
    }
}
