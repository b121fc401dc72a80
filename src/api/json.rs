//! The structured result of a render, as JSON: what `chartroom template
//! --output json` prints and the wasm package returns.
//!
//! `{ "manifests": [{ "path", "content", "kind", "name", "namespace",
//! "hook" }], "notes", "output" }`. `output` is exactly the `helm template`
//! stream and `manifests` are its documents, in its order, so `--show-only`,
//! `--no-hooks`, `--skip-tests` and `--include-crds` shape both alike.
//! `hook` lists the document's `helm.sh/hook` events (empty for plain
//! manifests).

use std::ops::Range;

use super::flush_lines::{flush_line_starts, line_end};
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
/// `# Source:` path and the byte range of the text after that line (always
/// one run of whole lines). Only flush lines can be separators or
/// `# Source:` lines, so the indented ones are skipped unread.
fn document_ranges(stream: &str) -> Vec<(String, Range<usize>)> {
    let mut documents = Vec::new();
    let mut current: Option<(String, Range<usize>)> = None;
    for start in flush_line_starts(stream) {
        let end = line_end(stream.as_bytes(), start);
        let line = &stream[start..end];
        if line.trim_end_matches('\n') == "---" {
            if let Some((path, content)) = current.take() {
                documents.push((path, content.start..start));
            }
            current = Some((String::new(), end..end));
            continue;
        }
        // Text before the first separator is a document of its own.
        let (path, content) = current.get_or_insert_with(|| (String::new(), 0..0));
        // `# Source:` names the document only as its first line.
        if let Some(source) = line.strip_prefix("# Source: ") {
            if path.is_empty() && content.start == start {
                *path = source.trim_end_matches('\n').to_string();
                *content = end..end;
            }
        }
    }
    if current.is_none() && !stream.is_empty() {
        current = Some((String::new(), 0..0));
    }
    documents.extend(current.map(|(path, content)| (path, content.start..stream.len())));
    documents
}

/// The top-level `kind` and `metadata` entries of a document that is a
/// plain block mapping at column 0 (every rendered Kubernetes object in
/// practice), so that a card does not parse a large `spec` again; `None`
/// for anything else, which is then read whole.
fn head_entries(content: &str) -> Option<String> {
    let mut head = String::new();
    // Where the entry being kept starts: it runs to the next top-level key.
    let mut kept = None;
    for start in flush_line_starts(content) {
        let first = content.as_bytes()[start];
        if matches!(first, b'\t' | b'\n' | b'\r' | b'#') {
            continue;
        }
        if let Some(from) = kept.take() {
            head.push_str(&content[from..start]);
        }
        let line = &content[start..line_end(content.as_bytes(), start)];
        let (key, rest) = line.split_once(':')?;
        let plain_key = key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/'));
        if !plain_key || !(rest.starts_with([' ', '\n', '\r']) || rest.is_empty()) || first == b'-'
        {
            return None;
        }
        if key == "kind" || key == "metadata" {
            kept = Some(start);
        }
    }
    if let Some(from) = kept {
        head.push_str(&content[from..]);
    }
    Some(head)
}

/// A document's card; `content_field` is its `content` entry.
fn card(path: &str, content: &str, content_field: (&str, Value)) -> Value {
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
        content_field,
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
    let manifests = document_ranges(out.stream())
        .into_iter()
        .map(|(path, range)| {
            let content = &out.stream()[range];
            card(&path, content, ("content", Value::from(content)))
        })
        .collect();
    result_map(manifests, out, true)
}

/// [`template_output_value`] as the npm package's JavaScript receives it,
/// without `output` (which crosses apart, not as JSON) and with each card's
/// text not repeated but located in `output` by `contentAt: [start, end]`,
/// in UTF-16 code units (what `String.slice` takes), from which the package
/// rebuilds `content`.
pub fn template_output_wire(out: &TemplateOutput) -> Value {
    let mut utf16 = Utf16Offsets::new(out.stream());
    let manifests = document_ranges(out.stream())
        .into_iter()
        .map(|(path, range)| {
            let at = [utf16.of(range.start), utf16.of(range.end)].map(|n| Value::int(n as i64));
            card(
                &path,
                &out.stream()[range],
                ("contentAt", Value::list(at.to_vec())),
            )
        })
        .collect();
    result_map(manifests, out, false)
}

fn result_map(manifests: Vec<Value>, out: &TemplateOutput, with_output: bool) -> Value {
    let map = Map::new();
    map.insert("manifests", Value::list(manifests));
    map.insert("notes", Value::from(out.notes.as_str()));
    if with_output {
        map.insert("output", Value::from(out.stream()));
    }
    Value::Map(map)
}

/// UTF-16 offsets of increasing byte offsets into one text.
struct Utf16Offsets<'a> {
    text: &'a str,
    byte: usize,
    utf16: usize,
}

impl<'a> Utf16Offsets<'a> {
    fn new(text: &'a str) -> Self {
        Utf16Offsets {
            text,
            byte: 0,
            utf16: 0,
        }
    }

    /// The UTF-16 offset of byte offset `byte` (a character boundary, not
    /// before the previous one asked for).
    fn of(&mut self, byte: usize) -> usize {
        let between = &self.text[self.byte..byte];
        self.utf16 += if between.is_ascii() {
            between.len()
        } else {
            between.chars().map(char::len_utf16).sum()
        };
        self.byte = byte;
        self.utf16
    }
}

/// The result as JSON text (indented).
pub fn template_output_json(out: &TemplateOutput) -> String {
    crate::yaml::to_json_pretty(&template_output_value(out)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(path: &str, content: &str) -> Value {
        super::card(path, content, ("content", Value::from(content)))
    }

    fn stream_documents(stream: &str) -> Vec<(String, String)> {
        document_ranges(stream)
            .into_iter()
            .map(|(path, range)| (path, stream[range].to_string()))
            .collect()
    }

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

    /// [`document_ranges`] and [`head_entries`] read line by line, every
    /// line looked at: what the flush-line readings must agree with.
    fn documents_line_by_line(stream: &str) -> Vec<(String, Range<usize>)> {
        let mut documents = Vec::new();
        let mut current: Option<(String, Range<usize>)> = None;
        let mut at = 0;
        for line in stream.split_inclusive('\n') {
            let start = at;
            at += line.len();
            if line.trim_end_matches('\n') == "---" {
                documents.extend(current.take());
                current = Some((String::new(), at..at));
                continue;
            }
            let (path, content) = current.get_or_insert_with(|| (String::new(), start..start));
            match line.strip_prefix("# Source: ") {
                Some(source) if path.is_empty() && content.start == content.end => {
                    *path = source.trim_end_matches('\n').to_string();
                    *content = at..at;
                }
                _ => content.end = at,
            }
        }
        documents.extend(current);
        documents
    }

    fn head_line_by_line(content: &str) -> Option<String> {
        let mut head = String::new();
        let mut keep = false;
        for line in content.split_inclusive('\n') {
            let first = line.as_bytes()[0];
            if !matches!(first, b' ' | b'\t' | b'\n' | b'\r' | b'#') {
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

    #[test]
    fn flush_line_readings_agree_with_reading_every_line() {
        const PIECES: [&str; 14] = [
            "---\n",
            "---",
            "# Source: c/t.yaml\n",
            "# Source: \n",
            "kind: A\n",
            "metadata:\n",
            "  name: a\n",
            "    deep: x\n",
            "spec:\n",
            "\n",
            "\tt: 1\n",
            "# c\n",
            "- item\n",
            "k:v\n",
        ];
        let mut rng = crate::test_rng::Xorshift::new(0x0123_4567_89ab_cdef);
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..rng.value() % 12 {
                text.push_str(PIECES[rng.below(PIECES.len())]);
            }
            assert_eq!(
                document_ranges(&text),
                documents_line_by_line(&text),
                "{text:?}"
            );
            assert_eq!(head_entries(&text), head_line_by_line(&text), "{text:?}");
        }
    }

    #[test]
    fn the_wire_form_locates_each_text_in_the_output_in_utf16_units() {
        let stream = "---\n# Source: c/templates/a.yaml\nkind: A\ndata:\n  s: \"é😀\"\n---\n# Source: c/templates/b.yaml\nkind: B\n---\nkind: C\n";
        let out = TemplateOutput::of_stream(stream);
        let public = template_output_value(&out);
        let wire = template_output_wire(&out);
        let cards = |v: &Value| {
            v.as_map()
                .unwrap()
                .get("manifests")
                .unwrap()
                .as_list()
                .unwrap()
                .to_vec()
        };
        let utf16: Vec<u16> = stream.encode_utf16().collect();
        let (public, wire) = (cards(&public), cards(&wire));
        assert_eq!(public.len(), 3);
        for (p, w) in public.iter().zip(&wire) {
            let (p, w) = (p.as_map().unwrap(), w.as_map().unwrap());
            let at: Vec<usize> = w
                .get("contentAt")
                .unwrap()
                .as_list()
                .unwrap()
                .iter()
                .map(|n| match n {
                    Value::Int(i, _) => *i as usize,
                    other => panic!("{other:?}"),
                })
                .collect();
            let located = String::from_utf16(&utf16[at[0]..at[1]]).unwrap();
            assert_eq!(Some(located.as_str()), p.get("content").unwrap().as_str());
            assert!(w.get("content").is_none());
            for key in ["path", "kind", "name", "namespace", "hook"] {
                let json = |v: Option<Value>| crate::yaml::to_json_raw(&v.unwrap()).unwrap();
                assert_eq!(json(p.get(key)), json(w.get(key)), "{key}");
            }
        }
        assert!(template_output_wire(&out)
            .as_map()
            .unwrap()
            .get("output")
            .is_none());
        let last = wire[2].as_map().unwrap().get("contentAt").unwrap();
        assert_eq!(
            crate::yaml::to_json_raw(&last).unwrap(),
            format!("[{},{}]", utf16.len() - 8, utf16.len())
        );
    }
}
