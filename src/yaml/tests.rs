//! Behaviour of the public YAML/JSON functions. Every expectation here was
//! checked against Helm v3.21.4's libraries (sigs.k8s.io/yaml v1.6.0,
//! go.yaml.in/yaml/v2 v2.4.4, Go 1.26 encoding/json) run on the same input.

use super::*;
use crate::value::{IntType, UintType};

/// A value from JSON text, with the conformance-vector typing: integer
/// literals are Go `int`, other numbers `float64`; `{"$float": "NaN"}`,
/// `{"$float32": x}`, `{"$int64": n}` and `{"$bytes": "base64"}` markers.
fn typed(text: &str) -> Value {
    fn conv(v: &serde_json::Value) -> Value {
        use serde_json::Value as J;
        match v {
            J::Null => Value::Nil,
            J::Bool(b) => Value::Bool(*b),
            J::Number(n) if n.is_i64() && !n.to_string().contains(['.', 'e', 'E']) => {
                Value::Int(n.as_i64().unwrap_or_default(), IntType::Int)
            }
            J::Number(n) => Value::Float(n.as_f64().unwrap_or_default()),
            J::String(s) => Value::string(s.as_str()),
            J::Array(items) => Value::list(items.iter().map(conv).collect()),
            J::Object(o) => {
                if let Some((k, e)) = o.iter().next().filter(|_| o.len() == 1) {
                    match (k.as_str(), e) {
                        ("$float", J::String(s)) => {
                            return Value::Float(match s.as_str() {
                                "NaN" => f64::NAN,
                                "+Inf" => f64::INFINITY,
                                _ => f64::NEG_INFINITY,
                            })
                        }
                        ("$float32", _) => {
                            return Value::Float32(e.as_f64().unwrap_or_default() as f32)
                        }
                        ("$int64", _) => {
                            return Value::Int(e.as_i64().unwrap_or_default(), IntType::Int64)
                        }
                        ("$bytes", J::String(s)) => {
                            use base64::Engine;
                            let bytes = base64::engine::general_purpose::STANDARD
                                .decode(s)
                                .unwrap_or_default();
                            return Value::bytes(bytes);
                        }
                        _ => {}
                    }
                }
                Value::Map(o.iter().map(|(k, e)| (k.clone(), conv(e))).collect())
            }
        }
    }
    conv(&serde_json::from_str(text).expect("test input is JSON"))
}

/// `from_yaml` shown as `json.Marshal` of the result, or `E:` and the error.
fn from_yaml_shown(text: &str) -> String {
    match from_yaml(text) {
        Ok(v) => to_json(&v).unwrap_or_else(|e| format!("JSON:{e}")),
        Err(e) => format!("E:{e}"),
    }
}

#[test]
fn from_yaml_matches_helm() {
    let cases: &[(&str, &str)] = &[
        ("name: chartroom\nreplicas: 3\nenabled: yes\n", r##"{"enabled":true,"name":"chartroom","replicas":3}"##),
        (
            "ports: [80, 443]\nmode: 0644\nhex: 0xff\nbig: 1_000_000\nratio: 2.50\nexp: 1e3\n",
            r##"{"big":1000000,"exp":1000,"hex":255,"mode":420,"ports":[80,443],"ratio":2.5}"##,
        ),
        (
            "flags: [y, Y, yes, Yes, YES, n, NO, on, On, off, OFF, true, False, tRUE]",
            r##"{"flags":[true,true,true,true,true,false,false,true,true,false,false,true,false,"tRUE"]}"##,
        ),
        ("nothing: ~\nalso: null\nempty:\nquoted: 'null'\n", r##"{"also":null,"empty":null,"nothing":null,"quoted":"null"}"##),
        ("octal_or_not: [0755, 08, 0o17, -0x10, +42, 0b101]", r##"{"octal_or_not":[493,8,15,-16,42,5]}"##),
        ("floats: [.5, -.5, 1., 1e-07, 6.02e23, 1e400]", r##"{"floats":[0.5,-0.5,1,1e-7,6.02e+23,"1e400"]}"##),
        (
            "times: [2001-12-14, 2001-12-14t21:59:43.10-05:00, 2001-02-30]",
            r##"{"times":["2001-12-14","2001-12-14t21:59:43.10-05:00","2001-02-30"]}"##,
        ),
        ("1: one\n2.5: two\ntrue: three\n1e3: four\n", r##"{"1":"one","1000":"four","2.5":"two","true":"three"}"##),
        (
            "defaults: &d\n  image: nginx\n  tag: latest\nweb:\n  <<: *d\n  tag: stable\n",
            r##"{"defaults":{"image":"nginx","tag":"latest"},"web":{"image":"nginx","tag":"stable"}}"##,
        ),
        ("list:\n  - &x {a: 1}\n  - *x\n  - <<: [*x, {b: 2}]\n", r##"{"list":[{"a":1},{"a":1},{"a":1,"b":2}]}"##),
        (
            "text: |\n  line one\n  line two\nfolded: >\n  folded\n  text\n\n  next\nkeep: |+\n  kept\n\nstrip: |-\n  stripped\n",
            r##"{"folded":"folded text\nnext\n","keep":"kept\n\n","strip":"stripped","text":"line one\nline two\n"}"##,
        ),
        (
            "s1: 'it''s'\ns2: \"tab\\tand \\u00e9 \\x41\"\ns3: plain # comment\n",
            r##"{"s1":"it's","s2":"tab\tand é A","s3":"plain"}"##,
        ),
        ("first: 1\n---\nsecond: 2\n", r##"{"first":1}"##),
        ("dup: 1\ndup: 2\n", r##"{"dup":2}"##),
        ("", "null"),
        ("- a\n- b\n", r##"["a","b"]"##),
        ("just a string", r##""just a string""##),
        ("key: {nested: {deep: [1, {x: y}]}}", r##"{"key":{"nested":{"deep":[1,{"x":true}]}}}"##),
        ("k: !!str 123\nn: !!float 1\nb: !!binary aGk=\n", r##"{"b":"hi","false":1,"k":"123"}"##),
        ("x: 18446744073709551615\n", r##"{"x":18446744073709552000}"##),
    ];
    for (input, want) in cases {
        assert_eq!(from_yaml_shown(input), *want, "input {input:?}");
    }
}

#[test]
fn from_yaml_errors_match_helm() {
    let cases: &[(&str, &str)] = &[
        (
            "a: b\n  c: d\n",
            "yaml: line 2: mapping values are not allowed in this context",
        ),
        ("a: 1\n- b\n", "yaml: line 1: did not find expected key"),
        (
            "key: [unclosed\n",
            "yaml: line 1: did not find expected ',' or ']'",
        ),
        ("a: *nope\n", "yaml: unknown anchor 'nope' referenced"),
        ("a: &r [*r]\n", "yaml: anchor 'r' value contains itself"),
        (
            "<<: scalar\n",
            "yaml: map merge requires map or sequence of maps as the value",
        ),
        (
            "~: nullkey\n",
            "unsupported map key of type: %!s(<nil>), key: <nil>, value: \"nullkey\"",
        ),
        (
            "? [complex]\n: key\n",
            "yaml: invalid map key: []interface {}{\"complex\"}",
        ),
        ("inf: .inf\n", "json: unsupported value: +Inf"),
        (
            "a: \"unterminated\n",
            "yaml: line 2: found unexpected end of stream",
        ),
        (
            "a:\tb\n\tc: d\n",
            "yaml: line 2: found a tab character that violates indentation",
        ),
        ("a: \u{1}\n", "yaml: control characters are not allowed"),
        (
            "%YAML 1.2\n---\na: 1\n",
            "yaml: found incompatible YAML document",
        ),
        (
            "a: @reserved\n",
            "yaml: found character that cannot start any token",
        ),
        (
            "a: !!int text\n",
            "yaml: cannot decode !!str `text` as a !!int",
        ),
        (
            "a: |0\n  x\n",
            "yaml: found an indentation indicator equal to 0",
        ),
    ];
    for (input, raw) in cases {
        let err = from_yaml(input).expect_err(input);
        assert_eq!(err.raw(), *raw, "input {input:?}");
        assert_eq!(
            err.to_string(),
            format!("error converting YAML to JSON: {raw}")
        );
    }
    let err = from_yaml("a: b\n  c: d\n").unwrap_err();
    assert_eq!((err.kind(), err.line()), (YamlErrorKind::Syntax, Some(2)));
}

#[test]
fn a_long_document_reports_later_lines() {
    let mut text = String::new();
    for i in 0..40 {
        text.push_str(&format!("key{i}: value {i}\n"));
    }
    text.push_str("broken: [\n");
    assert_eq!(from_yaml(&text).unwrap_err().line(), Some(41));
    assert_eq!(
        from_yaml(&text).unwrap_err().raw(),
        "yaml: line 41: did not find expected node content"
    );
}

#[test]
fn simple_keys_end_after_1024_characters() {
    // Too long to be a simple key, so the ':' is out of place; the error is
    // on the first line, which go-yaml does not name.
    let key = "k".repeat(1100);
    let err = from_yaml(&format!("{key}: v\n")).unwrap_err();
    assert_eq!(
        err.raw(),
        "yaml: mapping values are not allowed in this context"
    );
    assert_eq!(err.line(), None);
    // Inside a mapping the key is required, so the scanner gives up on it.
    let err = from_yaml(&format!("a: 1\n{key}: v\n")).unwrap_err();
    assert_eq!(err.raw(), "yaml: line 2: could not find expected ':'");
}

#[test]
fn map_and_list_targets_behave_like_helm_from_yaml() {
    let m = from_yaml_map("hello: world").unwrap();
    assert_eq!(m.get("hello").unwrap().as_str(), Some("world"));
    assert!(from_yaml_map("").unwrap().is_empty());
    assert!(from_yaml_map("null").unwrap().is_empty());
    let err = from_yaml_map("- one\n- two\n").unwrap_err();
    assert_eq!(err.kind(), YamlErrorKind::Target);
    assert_eq!(
        err.to_string(),
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"
    );
    for (text, kind) in [("\"str\"", "string"), ("5", "number"), ("true", "bool")] {
        assert!(from_yaml_map(text)
            .unwrap_err()
            .raw()
            .contains(&format!("unmarshal {kind} into")));
    }
    let list = from_yaml_list("- one\n- 2\n- name: helm\n").unwrap();
    assert_eq!(list.len(), 3);
    assert!(matches!(list[1], Value::Float(f) if f == 2.0));
    assert_eq!(
        from_yaml_list("hello: world").unwrap_err().to_string(),
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type []interface {}"
    );
}

#[test]
fn typed_decoding_keeps_go_yaml_types() {
    let v = from_yaml_typed("i: 3\nu: 18446744073709551615\nf: 1.5\nnan: .nan\n7: seven\nn: x\n")
        .unwrap();
    let m = v.as_map().unwrap();
    assert!(matches!(m.get("i"), Some(Value::Int(3, IntType::Int))));
    assert!(matches!(
        m.get("u"),
        Some(Value::Uint(u64::MAX, UintType::Uint64))
    ));
    assert!(matches!(m.get("f"), Some(Value::Float(f)) if f == 1.5));
    assert!(matches!(m.get("nan"), Some(Value::Float(f)) if f.is_nan()));
    // `n` is YAML 1.1 for false.
    assert_eq!(m.get("false").unwrap().as_str(), Some("x"));
    assert_eq!(m.get("7").unwrap().as_str(), Some("seven"));
    let err = from_yaml_typed("a: 1\n- b").unwrap_err();
    assert_eq!(err.to_string(), "yaml: line 1: did not find expected key");
}

#[test]
fn yaml_json_conversions() {
    assert_eq!(
        yaml_to_json("b: 2\na: [1, 1.5, x]\n").unwrap(),
        r##"{"a":[1,1.5,"x"],"b":2}"##
    );
    assert_eq!(
        yaml_to_json("a: <b>").unwrap(),
        r##"{"a":"\u003cb\u003e"}"##
    );
    assert_eq!(
        json_to_yaml(r##"{"b":[1,2],"a":"x"}"##).unwrap(),
        "a: x\nb:\n- 1\n- 2\n"
    );
}

/// `to_yaml` of a typed JSON value, or `E:` and the error.
fn to_yaml_shown(text: &str) -> String {
    to_yaml(&typed(text)).unwrap_or_else(|e| format!("E:{e}"))
}

#[test]
fn to_yaml_matches_helm() {
    let cases: &[(&str, &str)] = &[
        (r##"{"foo":"bar"}"##, "foo: bar\n"),
        (r##"{"b":[1,2,3],"a":{}}"##, "a: {}\nb:\n- 1\n- 2\n- 3\n"),
        ("[]", "[]\n"),
        ("{}", "{}\n"),
        ("null", "null\n"),
        (r##""hello""##, "hello\n"),
        ("42", "42\n"),
        ("1.5", "1.5\n"),
        ("1000000", "1000000\n"),
        ("1e+21", "1e+21\n"),
        ("1e-7", "1e-07\n"),
        ("-0.0", "0\n"),
        ("true", "true\n"),
        (
            r##"{"img":{"repo":"nginx","tag":"1.25"},"ports":[{"name":"http","port":80}],"env":[]}"##,
            "env: []\nimg:\n  repo: nginx\n  tag: \"1.25\"\nports:\n- name: http\n  port: 80\n",
        ),
        (
            r##"{"quoted":["true","yes","no","on","null","~","","1","1.5","0755","0x1F","1e3",".inf","2001-12-14","1:20","-"]}"##,
            "quoted:\n- \"true\"\n- \"yes\"\n- \"no\"\n- \"on\"\n- \"null\"\n- \"~\"\n- \"\"\n- \"1\"\n- \"1.5\"\n- \"0755\"\n- \"0x1F\"\n- \"1e3\"\n- \".inf\"\n- \"2001-12-14\"\n- \"1:20\"\n- '-'\n",
        ),
        (
            r##"{"plain":["plain","2001-02-30","a:b","a#b","x y","é","1.2.3","yEs"]}"##,
            "plain:\n- plain\n- 2001-02-30\n- a:b\n- a#b\n- x y\n- é\n- 1.2.3\n- yEs\n",
        ),
        (
            r##"{"single":[" lead","trail ","- dash",": colon","a: b","a #b","#hash","[x]","{x}","&a","*a","!a","|",">","'q'","\"dq\"","%p","@a","`a","---","? q","it's: x"]}"##,
            "single:\n- ' lead'\n- 'trail '\n- '- dash'\n- ': colon'\n- 'a: b'\n- 'a #b'\n- '#hash'\n- '[x]'\n- '{x}'\n- '&a'\n- '*a'\n- '!a'\n- '|'\n- '>'\n- '''q'''\n- '\"dq\"'\n- '%p'\n- '@a'\n- '`a'\n- '---'\n- '? q'\n- 'it''s: x'\n",
        ),
        (
            r##"{"double":["tab\there","bell\u0007","emoji \ud83d\ude00","\ufeffbom","cr\rx","\u00a0nbsp","esc\u001b","\\back"]}"##,
            "double:\n- \"tab\\there\"\n- \"bell\\a\"\n- \"emoji \\U0001F600\"\n- \"\\uFEFF\\x62\\x6F\\x6D\"\n- \"cr\\rx\"\n- \u{a0}nbsp\n- \"esc\\e\"\n- \\back\n",
        ),
        (r##"{"nel":"a\u0085b"}"##, "nel: a b\n"),
        (
            r##"{"literal":"line1\nline2","lit_nl":"line1\n","lit_keep":"a\n\n","lit_lead":"  indented\nnext","not_lit":"trailing \nspace","only_nl":"\n"}"##,
            "lit_keep: |+\n  a\n\nlit_lead: |2-\n    indented\n  next\nlit_nl: |\n  line1\nliteral: |-\n  line1\n  line2\nnot_lit: \"trailing \\nspace\"\nonly_nl: |2+\n\n",
        ),
        (
            r##"{"msg":"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua."}"##,
            "msg: Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor\n  incididunt ut labore et dolore magna aliqua.\n",
        ),
        (
            r##"{"nested":{"deeper":{"text":"one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"}}}"##,
            "nested:\n  deeper:\n    text: one two three four five six seven eight nine ten eleven twelve thirteen\n      fourteen fifteen\n",
        ),
        (
            r##"{"quoted_long":"yes \u0009 Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore"}"##,
            "quoted_long: \"yes \\t Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed\n  do eiusmod tempor incididunt ut labore\"\n",
        ),
        (
            r##"{"a10":1,"a9":2,"a1":3,"B":4,"b":5,"_x":6,"1":7,"10":8,"2":9}"##,
            "_x: 6\n\"1\": 7\n\"2\": 9\n\"10\": 8\nB: 4\na1: 3\na9: 2\na10: 1\nb: 5\n",
        ),
        (r##"{"html":"<b>&amp;</b>","ls":"a\u2028b"}"##, "html: <b>&amp;</b>\nls: 'a\u{2028}  b'\n"),
        (r##"{"multi\nline key":1}"##, "? |-\n  multi\n  line key\n: 1\n"),
        (
            r##"{"list":[[1,[2]],[],{}],"seq_of_maps":[{"a":1,"b":[{"c":2}]}]}"##,
            "list:\n- - 1\n  - - 2\n- []\n- {}\nseq_of_maps:\n- a: 1\n  b:\n  - c: 2\n",
        ),
        (
            r##"{"f32":{"$float32":0.1},"bytes":{"$bytes":"aGVsbG8="},"i64":{"$int64":-7}}"##,
            "bytes: aGVsbG8=\nf32: 0.1\ni64: -7\n",
        ),
        (r##"{"f":{"$float":"NaN"}}"##, "E:error marshaling into JSON: json: unsupported value: NaN"),
        // DEL reaches go-yaml raw inside the JSON text, and its reader rejects it.
        (r##"{"del":"\u007f"}"##, "E:yaml: control characters are not allowed"),
    ];
    for (input, want) in cases {
        assert_eq!(to_yaml_shown(input), *want, "input {input}");
    }
}

#[test]
fn to_yaml_rejects_keys_past_the_simple_key_limit() {
    let m = Map::new();
    m.insert("k".repeat(1100), Value::int(1));
    assert_eq!(
        to_yaml(&Value::Map(m)).unwrap_err().to_string(),
        "yaml: did not find expected ',' or '}'"
    );
}

#[test]
fn to_yaml_round_trips_values_files() {
    let text = "args:\n- --port=80\nimage:\n  repository: nginx\n  tag: \"1.25\"\nreplicas: 3\nresources: {}\n";
    assert_eq!(to_yaml(&from_yaml(text).unwrap()).unwrap(), text);
}

#[test]
fn json_encoding_matches_go() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            r##"{"b":1,"a":[true,null,"x"]}"##,
            r##"{"a":[true,null,"x"],"b":1}"##,
            "{\n  \"a\": [\n    true,\n    null,\n    \"x\"\n  ],\n  \"b\": 1\n}",
            r##"{"a":[true,null,"x"],"b":1}"##,
        ),
        (
            r##"{"html":"<a href='x'>&</a>"}"##,
            r##"{"html":"\u003ca href='x'\u003e\u0026\u003c/a\u003e"}"##,
            "{\n  \"html\": \"\\u003ca href='x'\\u003e\\u0026\\u003c/a\\u003e\"\n}",
            r##"{"html":"<a href='x'>&</a>"}"##,
        ),
        (
            r##"{"u":"\u2028\u2029\u0000\u001f\b\f"}"##,
            r##"{"u":"\u2028\u2029\u0000\u001f\b\f"}"##,
            "{\n  \"u\": \"\\u2028\\u2029\\u0000\\u001f\\b\\f\"\n}",
            r##"{"u":"\u2028\u2029\u0000\u001f\b\f"}"##,
        ),
        (
            "[1e21,1e20,1e-7,0.000001,-0.0,3.0,0.1,123456789]",
            "[1e+21,100000000000000000000,1e-7,0.000001,-0,3,0.1,123456789]",
            "[\n  1e+21,\n  100000000000000000000,\n  1e-7,\n  0.000001,\n  -0,\n  3,\n  0.1,\n  123456789\n]",
            "[1e+21,100000000000000000000,1e-7,0.000001,-0,3,0.1,123456789]",
        ),
        (
            r##"{"f32":{"$float32":3.4e38},"b":{"$bytes":"AAEC/w=="}}"##,
            r##"{"b":"AAEC/w==","f32":3.4e+38}"##,
            "{\n  \"b\": \"AAEC/w==\",\n  \"f32\": 3.4e+38\n}",
            r##"{"b":"AAEC/w==","f32":3.4e+38}"##,
        ),
        ("{}", "{}", "{}", "{}"),
        ("[]", "[]", "[]", "[]"),
        (r##""é日本""##, r##""é日本""##, r##""é日本""##, r##""é日本""##),
    ];
    for (input, compact, pretty, raw) in cases {
        let v = typed(input);
        assert_eq!(to_json(&v).unwrap(), *compact, "input {input}");
        assert_eq!(to_json_pretty(&v).unwrap(), *pretty, "input {input}");
        assert_eq!(to_json_raw(&v).unwrap(), *raw, "input {input}");
    }
    let inf = typed(r##"{"f":{"$float":"+Inf"}}"##);
    assert_eq!(
        to_json(&inf).unwrap_err().to_string(),
        "json: unsupported value: +Inf"
    );
}

#[test]
fn json_decoding_matches_go() {
    let ok: &[(&str, &str)] = &[
        (
            r##"{"hello":"world","n":[1,2.5,-3e2]}"##,
            r##"{"hello":"world","n":[1,2.5,-300]}"##,
        ),
        (
            r##"["one", 2, {"name": "helm"}]"##,
            r##"["one",2,{"name":"helm"}]"##,
        ),
        ("null", "null"),
        (
            r##""\ud83d\ude00 \ud800 \u00e9""##,
            "\"\u{1f600} \u{fffd} é\"",
        ),
        (r##"{"dup":1,"dup":2}"##, r##"{"dup":2}"##),
    ];
    for (input, want) in ok {
        assert_eq!(
            to_json(&from_json(input).unwrap()).unwrap(),
            *want,
            "input {input}"
        );
    }
    let errors: &[(&str, &str)] = &[
        ("", "unexpected end of JSON input"),
        ("   ", "unexpected end of JSON input"),
        ("x", "invalid character 'x' looking for beginning of value"),
        (
            r##"{"a":1} trailing"##,
            "invalid character 't' after top-level value",
        ),
        (r##"{"a" 1}"##, "invalid character '1' after object key"),
        (
            r##"{"a":1,}"##,
            "invalid character '}' looking for beginning of object key string",
        ),
        ("[1 2]", "invalid character '2' after array element"),
        (
            "tru",
            "invalid character ' ' in literal true (expecting 'e')",
        ),
        (
            "nul",
            "invalid character ' ' in literal null (expecting 'l')",
        ),
        ("01", "invalid character '1' after top-level value"),
        (
            "1.",
            "invalid character ' ' after decimal point in numeric literal",
        ),
        ("-", "invalid character ' ' in numeric literal"),
        (r##""\x""##, "invalid character 'x' in string escape code"),
        (
            "\"line\nbreak\"",
            "invalid character '\\n' in string literal",
        ),
    ];
    for (input, want) in errors {
        let err = from_json(input).unwrap_err();
        assert_eq!(err.to_string(), *want, "input {input:?}");
        assert!(err.partial().is_some_and(Value::is_nil));
    }
}

#[test]
fn json_type_errors_keep_the_partial_value() {
    let err = from_json(r##"{"a": 1e400, "b": 2}"##).unwrap_err();
    assert_eq!(
        err.to_string(),
        "json: cannot unmarshal number 1e400 into Go value of type float64"
    );
    assert_eq!(
        to_json(err.partial().unwrap()).unwrap(),
        r##"{"a":null,"b":2}"##
    );
    let err = from_json_map(r##"{"a": 1e400, "b": 2}"##).unwrap_err();
    assert_eq!(
        to_json(err.partial().unwrap()).unwrap(),
        r##"{"a":null,"b":2}"##
    );
}

#[test]
fn json_map_and_list_targets() {
    assert!(from_json_map("null").unwrap().is_none());
    assert_eq!(
        from_json_map(r##"{"a":"b"}"##)
            .unwrap()
            .unwrap()
            .get("a")
            .unwrap()
            .as_str(),
        Some("b")
    );
    let err = from_json_map(r##"["one", 2]"##).unwrap_err();
    assert_eq!(
        err.to_string(),
        "json: cannot unmarshal array into Go value of type map[string]interface {}"
    );
    assert!(err
        .partial()
        .and_then(Value::as_map)
        .is_some_and(Map::is_empty));
    assert_eq!(
        from_json_map(r##""str""##).unwrap_err().to_string(),
        "json: cannot unmarshal string into Go value of type map[string]interface {}"
    );
    assert!(from_json_list("null").unwrap().is_none());
    assert_eq!(from_json_list("[1, [2]]").unwrap().unwrap().len(), 2);
    assert_eq!(
        from_json_list(r##"{"a": 1}"##).unwrap_err().to_string(),
        "json: cannot unmarshal object into Go value of type []interface {}"
    );
    assert_eq!(
        from_json_list("").unwrap_err().to_string(),
        "unexpected end of JSON input"
    );
}

static METADATA: GoType = GoType::Ptr(&GoType::Struct(&CHART_METADATA));
static HEAD: GoType = GoType::Struct(&SIMPLE_HEAD);

#[test]
fn chart_metadata_fields_coerce_like_helm() {
    let text = "name: x\nversion: 1.10\nappVersion: 1.0\ndeprecated: true\nmaintainers:\n- name: a\n  email: 5\nunknown: 1\n";
    let v = from_yaml_into(text, METADATA).unwrap();
    assert_eq!(
        to_json(&v).unwrap(),
        r##"{"appVersion":"1","deprecated":true,"maintainers":[{"email":"5","name":"a"}],"name":"x","version":"1.1"}"##
    );
    // Keys match ignoring case; the last in JSON (sorted) order wins, and
    // `y` is YAML 1.1 for true.
    let v = from_yaml_into("Name: y\nNAME: z", METADATA).unwrap();
    assert_eq!(
        v.as_map().unwrap().get("name").unwrap().as_str(),
        Some("true")
    );
    assert!(from_yaml_into("", METADATA)
        .unwrap()
        .as_map()
        .unwrap()
        .is_empty());
}

#[test]
fn typed_target_errors_name_the_field() {
    let cases: &[(&str, GoType, &str)] = &[
        (
            "deprecated: \"yes\"",
            METADATA,
            "json: cannot unmarshal string into Go struct field Metadata.deprecated of type bool",
        ),
        (
            "maintainers: [1]",
            METADATA,
            "json: cannot unmarshal number into Go struct field Metadata.maintainers of type chart.Maintainer",
        ),
        (
            "metadata: 5",
            HEAD,
            "json: cannot unmarshal number into Go struct field SimpleHead.metadata of type struct { Name string \"json:\\\"name\\\"\"; Annotations map[string]string \"json:\\\"annotations\\\"\" }",
        ),
        (
            "metadata:\n  name: [x]",
            HEAD,
            "json: cannot unmarshal array into Go struct field .metadata.name of type string",
        ),
    ];
    for (text, ty, raw) in cases {
        let err = from_yaml_into(text, *ty).unwrap_err();
        assert_eq!(
            (err.kind(), err.raw()),
            (YamlErrorKind::Target, *raw),
            "{text:?}"
        );
        assert_eq!(
            err.to_string(),
            format!("error unmarshaling JSON: while decoding JSON: {raw}")
        );
    }
}

#[test]
fn manifest_heads_read_like_helm() {
    let v = from_yaml_into(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: 5\n  annotations:\n    a: 1.5",
        HEAD,
    )
    .unwrap();
    assert_eq!(
        to_json(&v).unwrap(),
        r##"{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"a":"1.5"},"name":"5"}}"##
    );
    let err = from_yaml_into("a: b\n  c: d", HEAD).unwrap_err();
    assert_eq!(
        err.to_string(),
        "error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context"
    );
}

/// go-yaml reads bytes 512 at a time and refuses a sequence that is not
/// UTF-8 once it has read enough of it, so a syntax error before it comes
/// first only where it lies in an earlier chunk. The expected errors are
/// those helm v3.10.1 gave for the same documents.
#[test]
fn bytes_that_are_not_utf8_are_refused_in_go_yamls_order() {
    let head = |bytes: &[u8]| {
        let text = crate::value::go_text(bytes);
        let source = Source {
            text: &text,
            not_utf8: NotUtf8::find(bytes),
        };
        from_source_into(source, GoType::Struct(&SIMPLE_HEAD))
            .map(|_| ())
            .map_err(|e| e.raw().to_string())
    };
    let padded = |pad: usize, tail: &[u8]| {
        let mut doc = b"a: b: c\n#".to_vec();
        doc.extend(std::iter::repeat_n(b'x', pad));
        doc.extend_from_slice(tail);
        doc
    };
    let syntax = "yaml: mapping values are not allowed in this context";
    let cases: [(Vec<u8>, &str); 8] = [
        // The invalid byte at 511 is in the first chunk, at 512 in the next.
        (
            padded(500, b"ab\xffcd"),
            "yaml: invalid leading UTF-8 octet",
        ),
        (padded(501, b"ab\xffcd"), syntax),
        // A sequence cut by the chunk's end waits for the rest of it.
        (padded(499, b"ab\xe2(x"), syntax),
        (
            padded(497, b"ab\xe2(x"),
            "yaml: invalid trailing UTF-8 octet",
        ),
        // An incomplete sequence is seen at the end of the input.
        (padded(400, b"ab\xe2\x82"), syntax),
        (
            b"kind: A\ndata: ab\xe2\x82".to_vec(),
            "yaml: incomplete UTF-8 octet sequence",
        ),
        // A control character before it is refused first.
        (
            b"a: \x01\nb: \xff".to_vec(),
            "yaml: control characters are not allowed",
        ),
        (
            b"\xef\xbb\xbfa: \xc0\x80".to_vec(),
            "yaml: invalid length of a UTF-8 sequence",
        ),
    ];
    for (doc, want) in cases {
        assert_eq!(head(&doc), Err(want.to_string()), "{doc:?}");
    }
    // What the parser never reads is never refused.
    let ended = [b"kind: A\n...\n#".as_slice(), &[b'x'; 1200], b"\n\xff"].concat();
    assert_eq!(head(&ended), Ok(()));
}
