//! Expected texts were produced by BurntSushi/toml v1.6.0 itself.

use super::*;
use crate::funcs::gotime::{duration_value, time_value, Duration, Time};
use crate::value::{IntType, UintType};

fn map(entries: &[(&str, Value)]) -> Value {
    Value::Map(
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

fn list(items: &[Value]) -> Value {
    Value::list(items.to_vec())
}

fn decoded(text: &str) -> String {
    match from_toml(text, 0) {
        Ok(m) => Value::Map(m).to_string(),
        Err(e) => format!("ERR {e}"),
    }
}

#[test]
fn encodes_helm_test_table() {
    assert_eq!(
        to_toml(&map(&[("foo", Value::from("bar"))])).unwrap(),
        "foo = \"bar\"\n"
    );
    let mast = map(&[("mast", map(&[("sail", Value::from("white"))]))]);
    assert_eq!(to_toml(&mast).unwrap(), "[mast]\n  sail = \"white\"\n");
}

#[test]
fn plain_keys_come_before_tables_and_arrays_of_tables() {
    let v = map(&[
        (
            "a",
            list(&[
                map(&[("x", Value::int(1))]),
                map(&[("y", map(&[("z", Value::int(2))]))]),
            ]),
        ),
        (
            "b",
            map(&[("c", map(&[("d", Value::int(1))])), ("e", Value::from("f"))]),
        ),
        ("k", Value::Float(1.0)),
        ("t key", Value::int(1)),
        ("", Value::int(2)),
    ]);
    assert_eq!(
        to_toml(&v).unwrap(),
        "\"\" = 2\nk = 1.0\n\"t key\" = 1\n\n[[a]]\n  x = 1\n\n[[a]]\n  [a.y]\n    z = 2\n\n\
         [b]\n  e = \"f\"\n  [b.c]\n    d = 1\n"
    );
}

#[test]
fn mixed_arrays_are_inline_and_nil_map_values_vanish() {
    let v = map(&[
        (
            "a",
            list(&[
                Value::int(1),
                map(&[("x", Value::int(1)), ("y", Value::Nil)]),
            ]),
        ),
        (
            "b",
            list(&[
                list(&[Value::int(1)]),
                list(&[map(&[("a", Value::int(1))])]),
            ]),
        ),
        ("c", Value::list(Vec::new())),
        ("n", Value::Nil),
    ]);
    assert_eq!(
        to_toml(&v).unwrap(),
        "a = [1, {x = 1, }]\nb = [[1], [{a = 1}]]\nc = []\n"
    );
}

#[test]
fn scalars_numbers_and_times() {
    let t = Time::from_marker("2020-01-02T03:04:05.123Z", None).unwrap();
    let v = map(&[
        ("i", Value::Int(-5, IntType::Int64)),
        ("u", Value::Uint(u64::MAX, UintType::Uint64)),
        ("f", Value::Float(1e6)),
        ("g", Value::Float(f64::NAN)),
        ("h", Value::Float32(0.1)),
        ("d", duration_value(Duration(3_600_000_000_000))),
        ("t", time_value(t)),
        ("b", Value::bytes(vec![1u8, 2])),
        ("s", Value::from("a\"b\\c\u{1}\té")),
    ]);
    assert_eq!(
        to_toml(&v).unwrap(),
        "b = [1, 2]\nd = \"1h0m0s\"\nf = 1e+06\ng = nan\nh = 0.1\ni = -5\n\
         s = \"a\\\"b\\\\c\\u0001\\té\"\nt = 2020-01-02T03:04:05.123Z\nu = 18446744073709551615\n"
    );
}

#[test]
fn encoding_errors_and_top_level_values() {
    assert_eq!(to_toml(&Value::from("abc")).unwrap(), "\"abc\"");
    assert_eq!(
        to_toml(&list(&[Value::int(1), Value::int(2)])).unwrap(),
        "[1, 2]"
    );
    assert_eq!(
        to_toml(&list(&[map(&[("a", Value::int(1))])])),
        Err(TomlError::Error(
            "toml: top-level values must be Go maps or structs".into()
        ))
    );
    assert_eq!(
        to_toml(&map(&[("a", list(&[Value::int(1), Value::Nil]))])),
        Err(TomlError::Error(
            "toml: cannot encode array with nil element".into()
        ))
    );
    assert!(matches!(to_toml(&Value::Nil), Err(TomlError::Panic(_))));
}

#[test]
fn decodes_helm_test_table() {
    assert_eq!(decoded("hello = \"world\""), "map[hello:world]");
    assert_eq!(
        decoded("\n[table]\nkeyInTable = \"valueInTable\"\n[table.subtable]\nkeyInSubtable = \"valueInSubTable\""),
        "map[table:map[keyInTable:valueInTable subtable:map[keyInSubtable:valueInSubTable]]]"
    );
    assert_eq!(
        decoded("\n[[tableArray]]\nkeyInElement0 = \"valueInElement0\"\n[[tableArray]]\nkeyInElement1 = \"valueInElement1\""),
        "map[tableArray:[map[keyInElement0:valueInElement0] map[keyInElement1:valueInElement1]]]"
    );
    assert_eq!(
        decoded("one"),
        "ERR toml: line 1: unexpected EOF; expected key separator '='"
    );
}

#[test]
fn decodes_values_with_go_types() {
    let m = from_toml(
        "i = 0x_ff\nj = 1_000\nf = 1.5e3\nn = -nan\nb = true\ns = '''\nraw\\'''\nd = 1979-05-27\n\
         o = 1979-05-27T07:32:00Z\na = [1, 'x', {k = 1}]\n",
        0,
    );
    // An underscore right after the prefix: the lexer reports it.
    assert_eq!(
        m.unwrap_err().to_string(),
        "toml: line 1 (last key \"i\"): not a hexadecimal number: '0x_'"
    );
    let m = from_toml(
        "i = 0xff\nj = 1_000\nf = 1.5e3\nb = true\ns = '''\nraw\\'''\nd = 1979-05-27\n\
         o = 1979-05-27T07:32:00Z\na = [1, 'x', {k = 1}]\n",
        0,
    )
    .unwrap();
    assert!(matches!(m.get("i"), Some(Value::Int(255, IntType::Int64))));
    assert!(matches!(m.get("j"), Some(Value::Int(1000, IntType::Int64))));
    assert!(matches!(m.get("f"), Some(Value::Float(f)) if f == 1500.0));
    assert_eq!(m.get("s").unwrap().to_string(), "raw\\");
    assert_eq!(
        m.get("d").unwrap().to_string(),
        "1979-05-27 00:00:00 +0000 date-local"
    );
    assert_eq!(
        m.get("o").unwrap().to_string(),
        "1979-05-27 07:32:00 +0000 UTC"
    );
    assert_eq!(m.get("a").unwrap().to_string(), "[1 x map[k:1]]");
}

#[test]
fn local_datetimes_use_the_given_offset() {
    let m = from_toml("t = 07:32:00", 3600).unwrap();
    assert_eq!(
        m.get("t").unwrap().to_string(),
        "0000-01-01 07:32:00 +0100 time-local"
    );
    // Local kinds are written back in their own layouts, but in UTC.
    assert_eq!(to_toml(&Value::Map(m)).unwrap(), "t = 06:32:00\n");
}

#[test]
fn parse_errors_match_burntsushi() {
    let cases = [
        ("a = 1\na = 2", "toml: line 2 (last key \"a\"): Key 'a' has already been defined."),
        ("[a]\n[a]", "toml: line 2: Key 'a' has already been defined."),
        ("a = inx", "toml: line 1 (last key \"a\"): expected value but found \"nx\" instead"),
        ("a = \"x", "toml: line 1 (last key \"a\"): unexpected EOF; expected '\"'"),
        ("a = \"\\q\"", "toml: line 1 (last key \"a\"): invalid escape in string '\\q'"),
        ("a = 1\u{1}", "toml: line 1 (last key \"a\"): TOML files cannot contain control characters: '0x01'"),
        ("a = 99999999999999999999", "toml: line 1 (last key \"a\"): 99999999999999999999 is out of range for int64"),
        ("a = 1979-13-01", "toml: line 1 (last key \"a\"): invalid datetime: \"1979-13-01\""),
        ("a = [1,,2]", "toml: line 1 (last key \"a\"): unexpected comma"),
        ("a = {,b = 1}", "toml: line 1 (last key \"a\"): unexpected comma"),
        ("a = [1 2]", "toml: line 1 (last key \"a\"): expected a comma (',') or array terminator (']'), but got '2'"),
        ("a = {b = 1 c = 2}", "toml: line 1 (last key \"a.b\"): expected a comma or an inline table terminator '}', but got 'c' instead"),
        ("x = 1\n[x.y]", "toml: line 2: Key 'x' was already created as a hash."),
        ("a\0 = 1", "toml: line 1: files cannot contain NULL bytes; probably using UTF-16; TOML files must be UTF-8"),
    ];
    for (input, want) in cases {
        assert_eq!(decoded(input), format!("ERR {want}"), "input {input:?}");
    }
}

#[test]
fn arrays_and_inline_tables_skip_blanks_and_comments() {
    assert_eq!(
        decoded("a = [\n  1, # one\n  2,\n]\nb = { c = 1, d = [ 2 ] }"),
        "map[a:[1 2] b:map[c:1 d:[2]]]"
    );
    assert_eq!(decoded("a = []\nb = {}"), "map[a:[] b:map[]]");
}
