//! A yes/no check of a schema document against the draft 2019-09 or
//! 2020-12 meta-schema (with their default vocabularies, as bundled in
//! `metaschemas/`), with the meta-schema compiler's format assertions
//! (`regex`, `uri`, `uri-reference`).
//!
//! It is a shortcut, not a second implementation of the rules: it answers
//! `true` only for documents it has fully checked against every keyword
//! constraint of the meta-schema, and `false` for anything it does not
//! fully understand (`$id` below the root, anchors, recursive and dynamic
//! references, vocabularies, a nested `$schema`, numbers written in other
//! than plain digits where an integer is wanted, deep nesting), so that
//! the caller then runs the full validator, which produces
//! santhosh-tekuri/jsonschema's verdict and messages. Being stricter than
//! the meta-schema only costs time; it must never be more lenient.

use std::collections::BTreeSet;

use super::formats;
use super::json::Json;

/// Nesting of subschemas the shortcut follows; deeper documents go to the
/// full validator, whose depth limit they might reach.
const MAX_LEVELS: usize = 16;

/// Whether `doc` certainly satisfies the meta-schema of draft `version`
/// (2019 for 2019-09, 2020 for 2020-12; `false` for others); `top` says
/// whether it is a whole document (where `$schema` and `$id` may appear).
pub(super) fn certainly_valid(doc: &Json, version: u32, top: bool) -> bool {
    match version {
        2019 | 2020 => Checker {
            v2019: version == 2019,
        }
        .schema(doc, top, 0),
        _ => false,
    }
}

fn format_ok(name: &str, v: &Json) -> bool {
    formats::lookup(name).is_some_and(|f| (f.validate)(v).is_ok())
}

/// The `$id` pattern `^[^#]*#?$`: no fragment but an empty one.
fn no_fragment(v: &Json) -> bool {
    v.as_str()
        .is_some_and(|s| s.find('#').is_none_or(|i| i + 1 == s.len()))
}

fn is_string(v: &Json) -> bool {
    matches!(v, Json::String(_))
}

fn is_number(v: &Json) -> bool {
    matches!(v, Json::Number(_))
}

/// A non-negative integer written as plain digits.
fn is_plain_count(v: &Json) -> bool {
    match v {
        Json::Number(n) => {
            n.value.is_some() && !n.text.is_empty() && n.text.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

/// A number certainly above zero.
fn is_positive(v: &Json) -> bool {
    match v {
        Json::Number(n) => {
            n.value.is_some()
                && n.text
                    .parse::<f64>()
                    .is_ok_and(|f| f > 0.0 && f.is_finite())
        }
        _ => false,
    }
}

/// An array of distinct strings (`stringArray`).
fn is_string_array(v: &Json) -> bool {
    let Json::Array(items) = v else {
        return false;
    };
    let mut seen = BTreeSet::new();
    items
        .iter()
        .all(|it| it.as_str().is_some_and(|s| seen.insert(s)))
}

const SIMPLE_TYPES: [&str; 7] = [
    "array", "boolean", "integer", "null", "number", "object", "string",
];

fn is_type_value(v: &Json) -> bool {
    match v {
        Json::String(s) => SIMPLE_TYPES.contains(&&**s),
        Json::Array(items) => {
            let mut seen = BTreeSet::new();
            !items.is_empty()
                && items.iter().all(|it| {
                    it.as_str()
                        .is_some_and(|s| SIMPLE_TYPES.contains(&s) && seen.insert(s))
                })
        }
        _ => false,
    }
}

/// The keyword rules of one draft's meta-schema.
#[derive(Clone, Copy)]
struct Checker {
    /// 2019-09 (`items` may be an array, `additionalItems`) rather than
    /// 2020-12 (`prefixItems`).
    v2019: bool,
}

impl Checker {
    /// Every value of an object is a schema.
    fn schema_map(self, v: &Json, level: usize) -> bool {
        match v {
            Json::Object(o) => o.values().all(|s| self.schema(s, false, level)),
            _ => false,
        }
    }

    /// A non-empty array of schemas (`schemaArray`).
    fn schema_array(self, v: &Json, level: usize) -> bool {
        match v {
            Json::Array(items) => {
                !items.is_empty() && items.iter().all(|s| self.schema(s, false, level))
            }
            _ => false,
        }
    }

    fn schema(self, v: &Json, top: bool, level: usize) -> bool {
        let obj = match v {
            Json::Bool(_) => return true,
            Json::Object(o) => o,
            _ => return false,
        };
        if level >= MAX_LEVELS {
            return false;
        }
        let next = level + 1;
        obj.iter().all(|(key, val)| match key.as_str() {
            "$schema" => top && format_ok("uri", val) && is_string(val),
            "$ref" => is_string(val) && format_ok("uri-reference", val),
            "$id" => top && is_string(val) && format_ok("uri-reference", val) && no_fragment(val),
            "$anchor" | "$dynamicRef" | "$dynamicAnchor" | "$vocabulary" | "$recursiveAnchor"
            | "$recursiveRef" => false,
            "$comment" | "title" | "description" | "format" | "contentEncoding"
            | "contentMediaType" => is_string(val),
            "$defs" | "definitions" | "properties" | "dependentSchemas" => {
                self.schema_map(val, next)
            }
            "patternProperties" => match val {
                Json::Object(o) => o.iter().all(|(k, s)| {
                    format_ok("regex", &Json::String(k.as_str().into()))
                        && self.schema(s, false, next)
                }),
                _ => false,
            },
            "dependencies" => match val {
                Json::Object(o) => o.values().all(|d| match d {
                    Json::Array(_) => is_string_array(d),
                    _ => self.schema(d, false, next),
                }),
                _ => false,
            },
            "allOf" | "anyOf" | "oneOf" => self.schema_array(val, next),
            "prefixItems" if !self.v2019 => self.schema_array(val, next),
            "items" if self.v2019 => match val {
                Json::Array(_) => self.schema_array(val, next),
                _ => self.schema(val, false, next),
            },
            "additionalItems" if self.v2019 => self.schema(val, false, next),
            "items"
            | "contains"
            | "additionalProperties"
            | "propertyNames"
            | "if"
            | "then"
            | "else"
            | "not"
            | "unevaluatedItems"
            | "unevaluatedProperties"
            | "contentSchema" => self.schema(val, false, next),
            "type" => is_type_value(val),
            "enum" | "examples" => matches!(val, Json::Array(_)),
            "multipleOf" => is_positive(val),
            "maximum" | "exclusiveMaximum" | "minimum" | "exclusiveMinimum" => is_number(val),
            "maxLength" | "minLength" | "maxItems" | "minItems" | "maxContains" | "minContains"
            | "maxProperties" | "minProperties" => is_plain_count(val),
            "pattern" => is_string(val) && format_ok("regex", val),
            "uniqueItems" | "deprecated" | "readOnly" | "writeOnly" => matches!(val, Json::Bool(_)),
            "required" => is_string_array(val),
            "dependentRequired" => match val {
                Json::Object(o) => o.values().all(is_string_array),
                _ => false,
            },
            // `const`, `default` and keywords the meta-schema does not name
            // take any value.
            _ => true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::schema::json::unmarshal;

    fn check(text: &str) -> bool {
        certainly_valid(&unmarshal(text.as_bytes()).unwrap(), 2020, true)
    }

    #[test]
    fn accepts_ordinary_schemas() {
        assert!(check(
            r##"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
               "properties":{"a":{"type":["string","null"],"minLength":1,"pattern":"^x+$"},
               "b":{"$ref":"#/$defs/b"},"c":true},"required":["a"],"$defs":{"b":{"enum":[1,2]}},
               "patternProperties":{"^y":{"oneOf":[{"type":"integer"},{"const":3}]}},
               "dependencies":{"a":["b"],"b":{"not":false}},"additionalProperties":false,
               "x-vendor":{"anything":[]}}"##
        ));
        assert!(check("true"));
        assert!(check(r#"{"$id":"http://example.com/s#","type":"object"}"#));
    }

    /// The full meta-schema check, as the compiler runs it without the
    /// shortcut.
    fn full_check(doc: &Json, version: u32) -> bool {
        use crate::values::schema::{compiler::Compiler, draft, validator};
        let mut meta = Compiler::with(true, None);
        let url = match version {
            2019 => draft::DRAFT2019.url,
            _ => draft::DRAFT2020.url,
        };
        let sid = meta.compile(url).unwrap();
        let resources = [(String::new(), sid)].into_iter().collect();
        validator::validate(&meta.schemas, sid, doc, Some(sid), &resources).is_ok()
    }

    /// Whatever schema the shortcut passes, the meta-schema passes too:
    /// the corpus's schemas and random corruptions of them.
    #[test]
    fn never_more_lenient_than_the_meta_schema() {
        let base = std::env::var("CHARTROOM_CONFORMANCE")
            .unwrap_or_else(|_| "../shared/conformance".to_string());
        let charts = std::path::Path::new(&base).join("charts/public/charts");
        let mut docs = Vec::new();
        let mut stack = vec![charts];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                let path = e.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.file_name().is_some_and(|n| n == "values.schema.json") {
                    if let Ok(doc) = std::fs::read(&path).map(|b| unmarshal(&b)) {
                        docs.extend(doc.ok());
                    }
                }
            }
        }
        let mut seed: u64 = 7;
        let (mut passed, mut corrupted) = (0, 0);
        for doc in &docs {
            for version in [2019, 2020] {
                if certainly_valid(doc, version, true) {
                    passed += 1;
                    assert!(full_check(doc, version), "{version} {doc:?}");
                }
                for _ in 0..10 {
                    let bad = corrupt(doc, &mut seed);
                    if certainly_valid(&bad, version, true) {
                        corrupted += 1;
                        assert!(full_check(&bad, version), "{version} {bad:?}");
                    }
                }
            }
        }
        if !docs.is_empty() {
            assert!(passed > 5 && corrupted > 50, "{passed} {corrupted}");
        }
    }

    /// `doc` with one value somewhere replaced by an odd one.
    fn corrupt(doc: &Json, seed: &mut u64) -> Json {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let odd = [
            r#""x""#,
            "-1",
            "1.5",
            "0",
            "[]",
            r#"["a","a"]"#,
            "{}",
            "true",
            "null",
            r#""(""#,
            r#"{"type":"nope"}"#,
            r#"["string"]"#,
            "2",
        ];
        let replacement = unmarshal(odd[(*seed >> 40) as usize % odd.len()].as_bytes()).unwrap();
        let mut count = 0;
        count_nodes(doc, &mut count);
        let target = (*seed >> 20) as usize % count.max(1);
        let mut at = 0;
        replace(doc, target, &mut at, &replacement)
    }

    fn count_nodes(v: &Json, n: &mut usize) {
        *n += 1;
        match v {
            Json::Array(a) => a.iter().for_each(|x| count_nodes(x, n)),
            Json::Object(o) => o.values().for_each(|x| count_nodes(x, n)),
            _ => {}
        }
    }

    fn replace(v: &Json, target: usize, at: &mut usize, with: &Json) -> Json {
        let here = *at;
        *at += 1;
        if here == target {
            return with.clone();
        }
        match v {
            Json::Array(a) => Json::Array(std::rc::Rc::new(
                a.iter().map(|x| replace(x, target, at, with)).collect(),
            )),
            Json::Object(o) => Json::Object(
                o.iter()
                    .map(|(k, x)| (k.clone(), replace(x, target, at, with)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    #[test]
    fn leaves_doubtful_schemas_to_the_validator() {
        for text in [
            r#"{"type":"text"}"#,
            r#"{"type":[]}"#,
            r#"{"type":["string","string"]}"#,
            r#"{"minLength":-1}"#,
            r#"{"minLength":1.0}"#,
            r#"{"multipleOf":0}"#,
            r#"{"pattern":"("}"#,
            r#"{"patternProperties":{"(":{}}}"#,
            r#"{"required":["a","a"]}"#,
            r#"{"allOf":[]}"#,
            r#"{"properties":{"a":{"$schema":"x"}}}"#,
            r#"{"$id":"http://example.com/s#a"}"#,
            r#"{"items":{"$id":"http://example.com/s"}}"#,
            r#"{"items":{"$anchor":"a"}}"#,
            r#"{"properties":{"a":3}}"#,
            r#"{"$ref":3}"#,
            "3",
        ] {
            assert!(!check(text), "{text}");
        }
        assert!(!certainly_valid(&Json::Bool(true), 7, true));
        let items = unmarshal(br#"{"items":[{"type":"string"}],"additionalItems":false}"#).unwrap();
        assert!(certainly_valid(&items, 2019, true));
        assert!(!certainly_valid(
            &unmarshal(br#"{"items":[]}"#).unwrap(),
            2019,
            true
        ));
        assert!(!certainly_valid(&items, 2020, true));
        let mut deep = String::from("true");
        for _ in 0..=MAX_LEVELS {
            deep = format!(r#"{{"items":{deep}}}"#);
        }
        assert!(!check(&deep));
    }
}
