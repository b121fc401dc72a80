//! Schema validation through the public API, with small schemas, and over
//! the conformance corpus.

use super::*;
use crate::chart::{Chart, Metadata};

fn map(yaml: &str) -> Map {
    crate::yaml::from_yaml_map(yaml).unwrap()
}

fn chart(name: &str, schema: Option<&str>, deps: Vec<Chart>) -> Chart {
    Chart {
        metadata: Metadata {
            name: name.to_string(),
            ..Metadata::default()
        },
        schema: schema.map(|s| s.as_bytes().to_vec().into()),
        dependencies: deps,
        ..Chart::default()
    }
}

fn single(schema: &str, values: &str) -> Result<(), String> {
    validate_single_schema(schema.as_bytes(), &Value::Map(map(values))).map_err(|e| e.to_string())
}

const HEADER: &str =
    "values don't meet the specifications of the schema(s) in the following chart(s):\n";

#[test]
fn helm_message_for_parent_and_subcharts() {
    let parent_schema =
        r##"{"properties": {"age": {"type": "integer", "minimum": 0}}, "required": ["name"]}"##;
    let sub_schema = r##"{"required": ["lastname"]}"##;
    let c = chart(
        "parent",
        Some(parent_schema),
        vec![
            chart("sub", Some(sub_schema), vec![]),
            chart("other", None, vec![chart("deep", Some(sub_schema), vec![])]),
            chart("absent", Some(sub_schema), vec![]),
            chart("scalar", Some(sub_schema), vec![]),
        ],
    );
    let values = map("age: -5\nsub: {}\nother:\n  deep: {}\nscalar: 3\n");
    let err = validate_against_schema(&c, &values).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{HEADER}parent:\n- at '': missing property 'name'\n- at '/age': minimum: got -5, want 0\n\
             sub:\n- at '': missing property 'lastname'\n\
             deep:\n- at '': missing property 'lastname'\n\
             scalar:\ninvalid type for values: expected object (map), got float64\n"
        )
    );
    let v = err.violations();
    assert_eq!(v.len(), 5);
    assert_eq!(
        v[1],
        Violation {
            chart: "parent".to_string(),
            json_path: "/age".to_string(),
            message: "minimum: got -5, want 0".to_string(),
            depth: 1,
        }
    );
    assert_eq!(v[3].chart, "deep");
    assert_eq!((v[4].chart.as_str(), v[4].depth), ("scalar", 0));

    let ok = map("name: x\nage: 3\nsub: {lastname: y}\nother: {deep: {lastname: z}}\n");
    assert!(validate_against_schema(&c, &ok).is_ok());
}

#[test]
fn null_values_are_checked() {
    let c = chart(
        "external-dns",
        Some(r##"{"properties": {"policy": {"type": "string"}}}"##),
        vec![],
    );
    let err = validate_against_schema(&c, &map("policy: ~\n")).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("{HEADER}external-dns:\n- at '/policy': got null, want string\n")
    );
}

#[test]
fn nested_errors_are_indented() {
    let schema = r##"{
      "$defs": {"port": {"anyOf": [{"type": "integer", "maximum": 65535}, {"type": "string", "pattern": "^[0-9]+$"}]}},
      "properties": {"ports": {"type": "array", "items": {"$ref": "#/$defs/port"}}}
    }"##;
    assert_eq!(
        single(schema, "ports: [80, 70000, http]").unwrap_err(),
        "- at '/ports/1': anyOf failed\n  - at '/ports/1': maximum: got 70,000, want 65,535\n  \
         - at '/ports/1': got number, want string\n- at '/ports/2': anyOf failed\n  \
         - at '/ports/2': got string, want integer\n  - at '/ports/2': 'http' does not match pattern '^[0-9]+$'\n"
    );
    let err =
        validate_schema_bytes(schema.as_bytes(), &Value::Map(map("ports: [70000]"))).unwrap_err();
    assert_eq!(
        err.iter()
            .map(|v| (v.json_path.as_str(), v.depth))
            .collect::<Vec<_>>(),
        [("/ports/0", 1), ("/ports/0", 2), ("/ports/0", 2)]
    );
}

#[test]
fn keyword_messages() {
    let cases = [
        (r##"{"properties": {"r": {"type": "integer"}}}"##, "r: '3'", "- at '/r': got string, want integer\n"),
        (r##"{"properties": {"r": {"type": ["string", "null"]}}}"##, "r: 1.5", "- at '/r': got number, want null or string\n"),
        (r##"{"required": ["a", "b"]}"##, "{}", "- at '': missing properties 'a', 'b'\n"),
        (r##"{"properties": {"e": {"enum": ["a", 1, null, true]}}}"##, "e: c", "- at '/e': value must be one of 'a', 1, <nil>, true\n"),
        (r##"{"properties": {"e": {"const": 1.0}}}"##, "e: 2", "- at '/e': value must be 1.0\n"),
        (r##"{"properties": {"p": {"pattern": "^[a-z]+$"}}}"##, "p: A'b", "- at '/p': 'A\\'b' does not match pattern '^[a-z]+$'\n"),
        (r##"{"properties": {"num": {"maximum": 10}}}"##, "num: 1234567.5", "- at '/num': maximum: got 1.2345675×10⁰⁶, want 10\n"),
        (r##"{"properties": {"num": {"multipleOf": 0.1}}}"##, "num: 0.3", ""),
        (r##"{"properties": {"num": {"multipleOf": 0.1}}}"##, "num: 0.35", "- at '/num': multipleOf: got 0.35, want 0.1\n"),
        (r##"{"properties": {"s": {"maxLength": 2}}}"##, "s: héllo", "- at '/s': maxLength: got 5, want 2\n"),
        (r##"{"additionalProperties": false, "properties": {"a": {}}}"##, "{a: 1, b: 2, c: 3}", "- at '': additional properties 'b', 'c' not allowed\n"),
        (r##"{"properties": {"l": {"uniqueItems": true}}}"##, "l: [1, 2, 1.0]", "- at '/l': items at 0 and 2 are equal\n"),
        (r##"{"properties": {"x": {"oneOf": [{"type": "number"}, {"minimum": 0}]}}}"##, "x: 1", "- at '/x': oneOf failed, subschemas 0, 1 matched\n"),
        (r##"{"propertyNames": {"maxLength": 2}}"##, "abc: 1", "- at '': invalid propertyName 'abc'\n  - at '': maxLength: got 3, want 2\n"),
        (r##"{"properties": {"a b/c": {"type": "string"}}}"##, "a b/c: 1", "- at '/a b~1c': got number, want string\n"),
        (r##"{"$ref": "#/$defs/o", "$defs": {"o": {"properties": {"a": {"type": "string"}, "b": {"type": "string"}}}}}"##, "{a: 1, b: 2}",
         "- at '': validation failed\n  - at '/a': got number, want string\n  - at '/b': got number, want string\n"),
        // Formats are asserted for draft-07 and earlier only.
        (r##"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"v": {"format": "ipv4"}}}"##, "v: 1.2.3.256",
         "- at '/v': '1.2.3.256' is not valid ipv4: decimal must be between 0 and 255\n"),
        (r##"{"properties": {"v": {"format": "ipv4"}}}"##, "v: 1.2.3.256", ""),
        // Go's regexp syntax, not ECMA's.
        (r##"{"properties": {"v": {"pattern": "^\\Qa.b\\E$"}}}"##, "v: axb", "- at '/v': 'axb' does not match pattern '^\\\\Qa.b\\\\E$'\n"),
    ];
    for (schema, values, want) in cases {
        let got = single(schema, values).err().unwrap_or_default();
        assert_eq!(got, want, "{schema} / {values}");
    }
}

/// The array keywords of each draft, which a compiled schema keeps apart
/// from the rest (`compiled::ArrayKeywords`).
#[test]
fn array_keyword_messages() {
    let d7 = r##""$schema": "http://json-schema.org/draft-07/schema#""##;
    let cases = [
        (r##"{"properties": {"l": {"minItems": 2, "maxItems": 3}}}"##.to_string(), "l: [1]", "- at '/l': minItems: got 1, want 2\n"),
        (r##"{"properties": {"l": {"minItems": 2, "maxItems": 3}}}"##.to_string(), "l: [1, 2, 3, 4]", "- at '/l': maxItems: got 4, want 3\n"),
        (r##"{"properties": {"l": {"minItems": 2}}}"##.to_string(), "l: [1, 2]", ""),
        (r##"{"properties": {"l": {"items": {"type": "integer"}}}}"##.to_string(), "l: [1, x]", "- at '/l/1': got string, want integer\n"),
        (r##"{"properties": {"l": {"prefixItems": [{"type": "integer"}], "items": {"type": "string"}}}}"##.to_string(), "l: [1, a, 3]",
         "- at '/l/1': got number, want string\n"),
        (r##"{"properties": {"l": {"prefixItems": [{"type": "integer"}], "unevaluatedItems": false}}}"##.to_string(), "l: [1, 2]",
         "- at '/l/1': false schema\n"),
        (r##"{"properties": {"l": {"contains": {"type": "integer"}}}}"##.to_string(), "l: [a, b]",
         "- at '/l': no items match contains schema\n  - at '/l/0': got string, want integer\n  - at '/l/1': got string, want integer\n"),
        (r##"{"properties": {"l": {"contains": {"type": "integer"}, "minContains": 2, "maxContains": 3}}}"##.to_string(), "l: [1, a]",
         "- at '/l': min 2 items required to match contains schema, but matched 1 items at 0\n  - at '/l/1': got string, want integer\n"),
        (r##"{"properties": {"l": {"contains": {"type": "integer"}, "minContains": 2, "maxContains": 3}}}"##.to_string(), "l: [1, 2, 3, 4]",
         "- at '/l': max 3 items required to match contains schema, but matched 4 items at 0 1 2 3\n"),
        (format!(r##"{{{d7}, "properties": {{"l": {{"items": [{{"type": "integer"}}, {{"type": "string"}}], "additionalItems": false}}}}}}"##),
         "l: [1, a, 3]", "- at '/l': last 1 additionalItem(s) not allowed\n"),
        // v6 counts the additional items from zero.
        (format!(r##"{{{d7}, "properties": {{"l": {{"items": [{{"type": "integer"}}], "additionalItems": {{"type": "string"}}}}}}}}"##),
         "l: [1, a, 3]", "- at '/l/1': got number, want string\n"),
    ];
    for (schema, values, want) in cases {
        let got = single(&schema, values).err().unwrap_or_default();
        assert_eq!(got, want, "{schema} / {values}");
    }
}

#[test]
fn set_values_are_int64() {
    let values = Map::new();
    values.insert("n", Value::int64(5));
    let err = validate_single_schema(
        br##"{"properties": {"n": {"type": "string", "minimum": 10}}}"##,
        &Value::Map(values),
    )
    .unwrap_err();
    assert_eq!(err.text(), "- at '/n': got number, want string\n");
}

#[test]
fn unusable_schemas() {
    let cases = [
        ("", "EOF"),
        ("{\"type\": \"object\",", "unexpected EOF"),
        ("{\"type\": x}", "invalid character 'x' looking for beginning of value"),
        ("{} {}", "invalid character after top-level value"),
        ("[1]", "unable to validate schema: runtime error: invalid memory address or nil pointer dereference"),
        (
            r##"{"type": "objekt"}"##,
            "\"file:///values.schema.json#\" is not valid against metaschema: jsonschema validation failed with \
             'https://json-schema.org/draft/2020-12/schema#'\n- at '': allOf failed\n  - at '/type': anyOf failed\n    \
             - at '/type': value must be one of 'array', 'boolean', 'integer', 'null', 'number', 'object', 'string'\n    \
             - at '/type': got string, want array",
        ),
        (
            r##"{"properties": {"a": {"pattern": "(?=x)"}}}"##,
            "\"file:///values.schema.json#\" is not valid against metaschema: jsonschema validation failed with \
             'https://json-schema.org/draft/2020-12/schema#'\n- at '': allOf failed\n  - at '/properties/a': allOf failed\n    \
             - at '/properties/a/pattern': '(?=x)' is not valid regex: error parsing regexp: invalid or unsupported Perl syntax: `(?=`",
        ),
        (
            r##"{"properties": {"a": {"$ref": "#/$defs/nope"}}}"##,
            "json-pointer in \"file:///values.schema.json#/$defs/nope\" not found",
        ),
        (
            r##"{"properties": {"a": {"$ref": "other.json"}}}"##,
            "failing loading \"file:///other.json\": open /other.json: no such file or directory",
        ),
    ];
    for (schema, want) in cases {
        assert_eq!(single(schema, "a: 1").unwrap_err(), want, "{schema}");
    }
    // Helm resolves unknown URNs to the permissive `true` schema.
    assert!(single(r##"{"properties": {"a": {"$ref": "urn:x:y"}}}"##, "a: 1").is_ok());
    let c = chart("bad", Some("{"), vec![]);
    let err = validate_against_schema(&c, &Map::new()).unwrap_err();
    assert_eq!(err.to_string(), format!("{HEADER}bad:\nunexpected EOF"));
    assert_eq!(err.violations()[0].depth, 0);
}

#[test]
fn reference_cycles_and_drafts() {
    assert_eq!(
        single(
            r##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "properties": {"x": {"$ref": "#/$defs/a"}}}"##,
            "x: 1"
        )
        .unwrap_err(),
        "- at '/x': both /properties/x/$ref/$ref/$ref and /properties/x/$ref resolve to \
         \"file:///values.schema.json#/$defs/a\" causing reference cycle\n"
    );
    // Before 2019-09, keywords beside `$ref` are ignored.
    let d7 = r##"{"$schema": "http://json-schema.org/draft-07/schema#", "definitions": {"s": {"type": "string"}},
                 "properties": {"p": {"$ref": "#/definitions/s", "maxLength": 1}}}"##;
    assert!(single(d7, "p: abc").is_ok());
    let d4 = r##"{"$schema": "http://json-schema.org/draft-04/schema#", "properties": {"num": {"minimum": 5, "exclusiveMinimum": true}}}"##;
    assert_eq!(
        single(d4, "num: 5").unwrap_err(),
        "- at '/num': exclusiveMinimum: got 5, want 5\n"
    );
}

/// The conformance cases whose charts have schemas: with the case's values
/// files and `--set` flags, validation fails exactly as Helm did, or passes.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn conformance_cases_with_schemas() {
    use crate::values::options::{ValueOptions, ValuesFile};
    use std::path::{Path, PathBuf};

    let base = std::env::var("CHARTROOM_CONFORMANCE")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance"));
    let cases_dir = base.join("charts/public/cases");
    let Ok(entries) = std::fs::read_dir(&cases_dir) else {
        eprintln!("conformance cases not found; skipped");
        return;
    };
    let (mut checked, mut failing) = (0, 0);
    let mut names: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    names.sort();
    for dir in names {
        let Ok(text) = std::fs::read_to_string(dir.join("case.json")) else {
            continue;
        };
        let case = crate::yaml::from_json(&text).unwrap();
        let case = case.as_map().unwrap();
        let chart_dir = base
            .join("charts/public")
            .join(case.get("chart").unwrap().as_str().unwrap());
        if !has_schema(&chart_dir) {
            continue;
        }
        let args: Vec<String> = case
            .get("args")
            .unwrap()
            .as_list()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_string())
            .collect();
        let mut opts = ValueOptions::default();
        let mut supported = true;
        let mut i = 0;
        while i < args.len() {
            let next = args.get(i + 1).cloned().unwrap_or_default();
            match args[i].as_str() {
                "-f" | "--values" => opts.files.push(ValuesFile {
                    text: std::fs::read_to_string(dir.join(&next)).unwrap(),
                    name: next,
                }),
                "--set" => opts.set.push(next),
                "--set-string" => opts.set_string.push(next),
                "--namespace" | "--kube-version" | "--api-versions" | "--show-only" => {}
                "--include-crds" => {
                    i += 1;
                    continue;
                }
                _ => supported = false,
            }
            i += 2;
        }
        if !supported {
            continue;
        }
        let expected_err = std::fs::read_to_string(dir.join("expected.err")).unwrap_or_default();
        let mut chart = crate::chart::load::load_path(&chart_dir).unwrap();
        let user = opts.merge(&|_| Err("no files".to_string())).unwrap();
        crate::chart::dependencies::process_dependencies(&mut chart, &user, true).unwrap();
        let values = crate::values::coalesce::coalesce_values(&chart, &user)
            .unwrap()
            .values;
        let got = validate_against_schema(&chart, &values);
        checked += 1;
        let ok = match &got {
            Ok(()) => !expected_err.contains("values don't meet"),
            Err(e) => expected_err == format!("Error: {e}\n"),
        };
        if !ok {
            failing += 1;
            eprintln!("{}: got {got:?}, expected {expected_err:?}", dir.display());
        }
    }
    eprintln!("schema conformance: {checked} cases checked");
    assert_eq!(failing, 0);
    assert!(checked > 0);
}

#[cfg(not(target_arch = "wasm32"))]
fn has_schema(dir: &std::path::Path) -> bool {
    if dir.join("values.schema.json").exists() {
        return true;
    }
    std::fs::read_dir(dir.join("charts")).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.path().is_dir() && has_schema(&e.path()))
    })
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let mut v = Value::Map(Map::new());
    for _ in 0..1000 {
        let m = Map::new();
        m.insert("a", v);
        v = Value::Map(m);
    }
    let recursive =
        br##"{"$defs": {"n": {"properties": {"a": {"$ref": "#/$defs/n"}}}}, "$ref": "#/$defs/n"}"##;
    assert_eq!(
        validate_single_schema(recursive, &v).unwrap_err().text(),
        "unable to validate schema: validation nested deeper than 320 levels"
    );
    // A schema that does not descend does not mind.
    assert!(validate_single_schema(br#"{"type": "object"}"#, &v).is_ok());
    let deep_schema = format!("{}{}", "[".repeat(400), "]".repeat(400));
    assert_eq!(
        validate_single_schema(deep_schema.as_bytes(), &Value::Map(Map::new()))
            .unwrap_err()
            .text(),
        "exceeded max depth"
    );
}

/// Subschemas are collected in pointer order (v6 ranges over a Go map, so
/// Go names either one first), and string literals with escapes, quotes
/// and raw control bytes are read or refused as `encoding/json` does.
#[test]
fn subschema_order_and_string_literals() {
    assert_eq!(
        single(
            r##"{"properties": {"b": {"$id": "x.json"}, "a": {"$id": "x.json"}}}"##,
            "a: 1"
        )
        .unwrap_err(),
        "duplicate id \"file:///x.json\" in \"file:///values.schema.json\" at \"/properties/b\" and \"/properties/a\""
    );
    assert_eq!(
        single("{\"properties\": {\"a\nb\": {}}}", "a: 1").unwrap_err(),
        "invalid character '\\n' in string literal"
    );
    let escaped = r##"{"description": "a long description with no escape at all, then \u00e9",
        "properties": {"a\u0062": {"type": "string"}, "q\"t": {"type": "string"}}}"##;
    assert_eq!(
        single(escaped, "ab: 1\nq\"t: 2").unwrap_err(),
        "- at '/ab': got number, want string\n- at '/q\"t': got number, want string\n"
    );
}
