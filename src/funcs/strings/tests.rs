//! Template-level tests of the string functions: argument types as Go
//! checks them, results, and Go's panic texts as template errors.

use crate::template::Templates;
use crate::value::{Map, Value};

fn set() -> Templates {
    let mut set = Templates::named("test");
    super::register(&mut set);
    crate::funcs::encoding::register(&mut set);
    crate::funcs::lists::register(&mut set);
    crate::funcs::reflect::register(&mut set);
    set
}

fn run_with(tpl: &str, data: &Value) -> Result<String, String> {
    let mut set = set();
    set.parse("test", tpl).map_err(|e| e.to_string())?;
    set.execute("test", data).map_err(|e| e.to_string())
}

fn run(tpl: &str) -> String {
    run_with(tpl, &Value::Nil).unwrap_or_else(|e| panic!("{tpl}: {e}"))
}

fn run_s(tpl: &str, s: &str) -> String {
    let data = Map::new();
    data.insert("s", Value::from(s));
    run_with(tpl, &Value::Map(data)).unwrap_or_else(|e| panic!("{tpl}: {e}"))
}

fn error(tpl: &str) -> String {
    run_with(tpl, &Value::Nil).expect_err(tpl)
}

#[test]
fn sprig_string_examples() {
    assert_eq!(run(r#"{{"fooo" | substr 0 3 }}"#), "foo");
    assert_eq!(run(r#"{{ "baaaaaar" | trunc -3 }}"#), "aar");
    assert_eq!(run(r#"{{quote "a" "b" 1 2 }}"#), r#""a" "b" "1" "2""#);
    assert_eq!(run(r#"{{squote "a" 1 }}"#), "'a' '1'");
    assert_eq!(run(r#"{{trimAll "$" "$5.00$"}}"#), "5.00");
    assert_eq!(
        run(r#"{{$v := "foo$bar$baz" | split "$"}}{{$v._2}}"#),
        "baz"
    );
    assert_eq!(
        run(r#"{{ splitn "$" 2 "foo$bar$baz" }}"#),
        "map[_0:foo _1:bar$baz]"
    );
    assert_eq!(run(r#"{{ splitList "," "a,b" }}"#), "[a b]");
    assert_eq!(run(r#"{{ tuple 1 2 3 | join "-" }}"#), "1-2-3");
    assert_eq!(run(r#"{{ list "c" 1 "b" | sortAlpha }}"#), "[1 b c]");
    assert_eq!(run(r#"{{abbrevboth 5 10 "1234 5678 9123"}}"#), "...5678...");
    assert_eq!(run(r#"{{wrapWith 5 "\t" "Hello World"}}"#), "Hello\tWorld");
    assert_eq!(run(r#"{{"c" | cat "a" "b"}}"#), "a b c");
    assert_eq!(run(r#"{{nindent 2 "a\nb"}}"#), "\n  a\n  b");
    assert_eq!(
        run(r#"{{"I Am Henry VIII" | replace " " "-"}}"#),
        "I-Am-Henry-VIII"
    );
    assert_eq!(run(r#"{{len "t" | plural "cheese" "%d chars"}}"#), "cheese");
    assert_eq!(run(r#"{{ toString 1 | kindOf }}"#), "string");
    assert_eq!(run(r#"{{ hello }}"#), "Hello!");
    assert_eq!(
        run(r#"{{ b64dec "Y29mZmVl" }} {{ b32enc "coffee" }}"#),
        "coffee MNXWMZTFMU======"
    );
}

#[test]
fn unicode_follows_go() {
    assert_eq!(run_s("{{ upper .s }}", "straße ǆ"), "STRAßE Ǆ");
    assert_eq!(
        run_s("{{ title .s }}", "hello wörld-x_y ǆa"),
        "Hello Wörld-X_y ǅa"
    );
    assert_eq!(run_s("{{ lower .s }}", "İI"), "ii");
    assert_eq!(run_s("{{ snakecase .s }}", "HTTP20xOK"), "http_20x_ok");
    assert_eq!(
        run_s("{{ camelcase .s }}", "_complex__case_"),
        "_Complex_Case_"
    );
    assert_eq!(run_s("{{ camelcase .s }}", "_"), "__");
    assert_eq!(run_s("{{ nospace .s }}", "é x"), "Ã©x");
}

#[test]
fn byte_cuts_become_replacement_characters() {
    assert_eq!(run_s("{{ trunc 1 .s }}", "é"), "\u{FFFD}");
    assert_eq!(run_s("{{ substr 0 2 .s }}", "日本"), "\u{FFFD}\u{FFFD}");
    assert_eq!(run_s("{{ abbrev 5 .s }}", "ꞵ Ꞵ"), "\u{FFFD}\u{FFFD}...");
}

#[test]
fn go_panics_are_errors() {
    let cases = [
        (
            r#"{{ substr -1 10 "abc" }}"#,
            "error calling substr: runtime error: slice bounds out of range [:10] with length 3",
        ),
        (
            r#"{{ substr -1 -2 "abc" }}"#,
            "error calling substr: runtime error: slice bounds out of range [:-2]",
        ),
        (
            r#"{{ substr 5 -1 "abc" }}"#,
            "error calling substr: runtime error: slice bounds out of range [5:3]",
        ),
        (
            r#"{{ substr 2 1 "abc" }}"#,
            "error calling substr: runtime error: slice bounds out of range [2:1]",
        ),
        (
            r#"{{ repeat -1 "a" }}"#,
            "error calling repeat: strings: negative Repeat count",
        ),
        (
            r#"{{ repeat 9223372036854775807 "ab" }}"#,
            "error calling repeat: strings: Repeat output length overflow",
        ),
        (
            r#"{{ indent -2 "a" }}"#,
            "error calling indent: strings: negative Repeat count",
        ),
    ];
    for (tpl, want) in cases {
        let got = error(tpl);
        assert!(got.ends_with(want), "{tpl}: {got}");
    }
}

#[test]
fn arguments_are_type_checked() {
    let data = Map::new();
    data.insert("f", Value::Float(3.0));
    let err = run_with(r#"{{ trunc .f "abc" }}"#, &Value::Map(data)).unwrap_err();
    assert!(
        err.ends_with("wrong type for value; expected int; got float64"),
        "{err}"
    );
}

#[test]
fn random_strings() {
    let out =
        run("{{ randAlphaNum 12 }}|{{ randAlpha 12 }}|{{ randNumeric 12 }}|{{ randAscii 12 }}");
    let parts: Vec<&str> = out.split('|').collect();
    assert!(parts[0].len() == 12 && parts[0].bytes().all(|b| b.is_ascii_alphanumeric()));
    assert!(parts[1].len() == 12 && parts[1].bytes().all(|b| b.is_ascii_alphabetic()));
    assert!(parts[2].len() == 12 && parts[2].bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(run("{{ randAscii 12 | len }}"), "12");
    assert_eq!(run("{{ randAlpha -1 }}"), "");
    assert_eq!(run(r#"{{ shuffle "aaa" }}"#), "aaa");
}
