//! Template-level tests of the numeric functions.

use super::*;
use crate::value::Map;

fn run_with(tpl: &str, data: &Value) -> Result<String, String> {
    let mut set = Templates::named("test");
    register(&mut set);
    crate::funcs::reflect::register(&mut set);
    set.parse("test", tpl).map_err(|e| e.to_string())?;
    set.execute("test", data).map_err(|e| e.to_string())
}

fn run(tpl: &str) -> String {
    run_with(tpl, &Value::Nil).unwrap_or_else(|e| panic!("{tpl}: {e}"))
}

fn run_v(tpl: &str, v: Value) -> String {
    let data = Map::new();
    data.insert("v", v);
    run_with(tpl, &Value::Map(data)).unwrap_or_else(|e| panic!("{tpl}: {e}"))
}

#[test]
fn sprig_numeric_examples() {
    assert_eq!(
        run("{{range $i, $e := until -5}}{{$e}} {{end}}"),
        "0 -1 -2 -3 -4 "
    );
    assert_eq!(run("{{ untilStep 3 6 1 }}"), "[3 4 5]");
    assert_eq!(run("{{ biggest 1 2 3 345 5 6 7}}"), "345");
    assert_eq!(run("{{ maxf 1 2 3 345.7 5 6 7}}"), "345.7");
    assert_eq!(run("{{ minf 1.4 2 3 345.6 5 6 7}}"), "1.4");
    assert_eq!(run("{{ 3 | addf 1.5 2.2}}"), "6.7");
    assert_eq!(run("{{ 2 | divf 5 4 }}"), "0.625");
    assert_eq!(run(r#"{{ 1 | mul "2" 3 "4"}}"#), "24");
    assert_eq!(run(r#"{{ 1.2 | mulf "2.4" 10 "4"}}"#), "115.2");
    assert_eq!(run("{{ 3 | subf 4.5 1 }}"), "0.5");
    assert_eq!(run("{{ add1f 3.4 }} {{ addf 0.1 0.2 }}"), "4.4 0.3");
    assert_eq!(
        run("{{seq 0 -4}}|{{seq 0 3 10}}|{{seq -5}}|{{seq 0}}|{{seq}}|{{seq 3 -3 2}}"),
        "0 -1 -2 -3 -4|0 3 6 9|1 0 -1 -2 -3 -4 -5|1 0||3"
    );
    assert_eq!(
        run("{{ round 123.5555 3 }} {{ round 123.233 2 0.3 }} {{ round -1.5 0 }}"),
        "123.556 123.24 -2"
    );
    assert_eq!(
        run("{{ toDecimal 777 }} {{ toDecimal \"0755\" }} {{ toDecimal \"8\" }}"),
        "511 493 0"
    );
    assert_eq!(
        run("{{ ceil 123.01 }} {{ floor \"123.9999\" }} {{ ceil -0.5 }}"),
        "124 123 -0"
    );
}

#[test]
fn conversions_keep_go_types() {
    assert_eq!(
        run("{{ typeOf (int64 1) }} {{ typeOf (int \"2\") }} {{ typeOf (float64 3) }}"),
        "int64 int float64"
    );
    assert_eq!(
        run("{{ typeOf (add 1 2) }} {{ typeOf (atoi \"4\") }} {{ typeOf (add1f 1) }}"),
        "int64 int float64"
    );
    assert_eq!(
        run("{{ int64 \"0x1F\" }} {{ int \"12.000\" }} {{ float64 \"1e3\" }}"),
        "31 12 1000"
    );
    assert_eq!(run_v("{{ int .v }}", Value::Float(-3.9)), "-3");
}

#[test]
fn atoi_follows_strconv() {
    assert_eq!(
        run("{{ atoi \"42\" }} {{ atoi \"-7\" }} {{ atoi \"x\" }} {{ atoi \"1_0\" }}"),
        "42 -7 0 0"
    );
    assert_eq!(
        run("{{ atoi \"99999999999999999999x\" }}"),
        "9223372036854775807"
    );
    assert_eq!(
        run("{{ atoi \"-99999999999999999999\" }}"),
        "-9223372036854775808"
    );
    assert_eq!(parse_int("-9223372036854775808", 10), Ok(i64::MIN));
    assert_eq!(parse_int("17", 8), Ok(15));
    assert_eq!(parse_int("18", 8), Err(ParseIntError::Syntax));
}

#[test]
fn integer_arithmetic_wraps_and_panics_like_go() {
    assert_eq!(
        run("{{ add 9223372036854775807 1 }}"),
        "-9223372036854775808"
    );
    assert_eq!(
        run("{{ div -9223372036854775808 -1 }} {{ mod -9223372036854775808 -1 }}"),
        "-9223372036854775808 0"
    );
    for f in ["div", "mod"] {
        let err = run_with(&format!("{{{{ {f} 1 0 }}}}"), &Value::Nil).unwrap_err();
        assert!(
            err.ends_with(&format!(
                "error calling {f}: runtime error: integer divide by zero"
            )),
            "{err}"
        );
    }
    let err = run_with("{{ randInt 5 5 }}", &Value::Nil).unwrap_err();
    assert!(
        err.ends_with("error calling randInt: invalid argument to Intn"),
        "{err}"
    );
}

#[test]
fn decimal_panics_are_errors() {
    let data = Map::new();
    data.insert("v", Value::Float(f64::NAN));
    let err = run_with("{{ addf 1 .v }}", &Value::Map(data)).unwrap_err();
    assert!(
        err.ends_with("error calling addf: Cannot create a Decimal from NaN"),
        "{err}"
    );
    let err = run_with("{{ divf 1 0 }}", &Value::Nil).unwrap_err();
    assert!(
        err.ends_with("error calling divf: decimal division by 0"),
        "{err}"
    );
}

#[test]
fn random_ints_stay_in_range() {
    for _ in 0..50 {
        let n: i64 = run("{{ randInt -3 4 }}").parse().unwrap();
        assert!((-3..4).contains(&n));
    }
}

#[test]
fn pow10_matches_go() {
    assert_eq!(pow10(22), 1e22);
    assert_eq!(pow10(-3), 0.001);
    assert_eq!(pow10(309), f64::INFINITY);
    assert_eq!(pow10(-400), 0.0);
    // Go's repeated squaring drifts from the correctly rounded powers.
    assert_eq!(pow10(100), 1.0000000000000002e100);
    assert_eq!(pow10(300), 1.0000000000000006e300);
    assert_eq!(pow10(-300), 9.999999999999994e-301);
    assert_eq!(pow10(-320), 1e-320);
}

#[test]
fn pathological_sequences_fail_instead_of_exhausting_memory() {
    let err = run_with(
        "{{ untilStep 9223372036854775800 9223372036854775807 5 }}",
        &Value::Nil,
    )
    .unwrap_err();
    assert!(err.ends_with("runtime: out of memory"), "{err}");
    assert!(run_with("{{ until 9223372036854775807 }}", &Value::Nil).is_err());
}
