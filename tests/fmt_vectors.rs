//! Go's `fmt` conformance: every case of `gofmt_printf.json` (Go 1.26.6
//! `fmt_test.go` tables run through `text/template`'s `printf`, `print` and
//! `println`) against `chartroom::template::fmt`.
//!
//! The executor is not involved: the test reads the call out of the case's
//! one-action template (`{{printf "<fmt>" .}}`, `{{printf "<fmt>" (index . 0)
//! (index . 1)}}`, `{{print "<" 1 ">:" …}}`) and calls the fmt functions
//! directly with the decoded operands.

mod common;

use chartroom::template::fmt::{sprint, sprintf, sprintln};
use chartroom::Value;
use common::vectors::{decode_value, load_cases};

/// The share of cases that must pass.
const MIN_PASS_PERCENT: usize = 100;

/// One operand as written in the template.
#[derive(Debug, Clone)]
enum Operand {
    Dot,
    Index(usize),
    Literal(Value),
}

/// A template of the form `{{func operand…}}`.
#[derive(Debug)]
struct Call {
    func: String,
    operands: Vec<Operand>,
}

fn parse_call(template: &str) -> Result<Call, String> {
    let body = template
        .strip_prefix("{{")
        .and_then(|t| t.strip_suffix("}}"))
        .ok_or("not a single action")?;
    let mut rest = body.trim_start();
    let name_end = rest.find(' ').unwrap_or(rest.len());
    let func = rest[..name_end].to_string();
    rest = &rest[name_end..];
    let mut operands = Vec::new();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let (operand, next) = parse_operand(rest)?;
        operands.push(operand);
        rest = next;
    }
    Ok(Call { func, operands })
}

fn parse_operand(s: &str) -> Result<(Operand, &str), String> {
    if let Some(raw) = s.strip_prefix('`') {
        let end = raw.find('`').ok_or("unterminated raw string")?;
        return Ok((
            Operand::Literal(Value::string(&raw[..end])),
            &raw[end + 1..],
        ));
    }
    if s.starts_with('"') {
        let (text, rest) = unquote_go(s)?;
        return Ok((Operand::Literal(Value::string(text)), rest));
    }
    if let Some(inner) = s.strip_prefix("(index . ") {
        let end = inner.find(')').ok_or("unterminated (index …)")?;
        let n = inner[..end]
            .trim()
            .parse()
            .map_err(|e| format!("index: {e}"))?;
        return Ok((Operand::Index(n), &inner[end + 1..]));
    }
    let end = s.find(' ').unwrap_or(s.len());
    let (word, rest) = (&s[..end], &s[end..]);
    let operand = match word {
        "." => Operand::Dot,
        "true" => Operand::Literal(Value::Bool(true)),
        "false" => Operand::Literal(Value::Bool(false)),
        "nil" => Operand::Literal(Value::Nil),
        _ if word.contains(['.', 'e', 'E']) => Operand::Literal(Value::Float(
            word.parse().map_err(|e| format!("{word}: {e}"))?,
        )),
        _ => Operand::Literal(Value::int(
            word.parse().map_err(|e| format!("{word}: {e}"))?,
        )),
    };
    Ok((operand, rest))
}

/// A Go interpreted string literal at the start of `s`, and what follows it.
fn unquote_go(s: &str) -> Result<(String, &str), String> {
    let mut out: Vec<u8> = Vec::new();
    let mut chars = s.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                let text = String::from_utf8(out).map_err(|e| e.to_string())?;
                return Ok((text, &s[i + 1..]));
            }
            '\\' => {
                let (_, e) = chars.next().ok_or("dangling backslash")?;
                let mut hex = |n: usize| -> Result<u32, String> {
                    let digits: String = (0..n)
                        .filter_map(|_| chars.next().map(|(_, c)| c))
                        .collect();
                    u32::from_str_radix(&digits, 16).map_err(|e| format!("\\{digits}: {e}"))
                };
                let simple = match e {
                    'a' => Some(7u8),
                    'b' => Some(8),
                    'f' => Some(12),
                    'n' => Some(b'\n'),
                    'r' => Some(b'\r'),
                    't' => Some(b'\t'),
                    'v' => Some(11),
                    '\\' => Some(b'\\'),
                    '"' => Some(b'"'),
                    _ => None,
                };
                if let Some(b) = simple {
                    out.push(b);
                    continue;
                }
                match e {
                    'x' => out.push(hex(2)? as u8),
                    'u' | 'U' => {
                        let r = hex(if e == 'u' { 4 } else { 8 })?;
                        let c = char::from_u32(r).ok_or("bad rune escape")?;
                        out.extend_from_slice(c.to_string().as_bytes());
                    }
                    '0'..='7' => {
                        let mut v = e.to_digit(8).unwrap_or(0);
                        for _ in 0..2 {
                            let (_, d) = chars.next().ok_or("short octal escape")?;
                            v = v * 8 + d.to_digit(8).ok_or("bad octal escape")?;
                        }
                        out.push(v as u8);
                    }
                    other => return Err(format!("unknown escape \\{other}")),
                }
            }
            c => out.extend_from_slice(c.to_string().as_bytes()),
        }
    }
    Err("unterminated string".into())
}

/// Runs one case; `Err` describes a mismatch.
fn run_case(case: &serde_json::Value) -> Result<(), String> {
    let template = case["template"].as_str().ok_or("no template")?;
    let expected = case["expected"].as_str().ok_or("no expected output")?;
    let data = decode_value(&case["data"]);
    let call = parse_call(template)?;
    let mut args = Vec::new();
    for operand in &call.operands {
        args.push(match operand {
            Operand::Dot => data.clone(),
            Operand::Index(n) => data
                .as_list()
                .and_then(|l| l.get(*n))
                .cloned()
                .ok_or_else(|| format!("index {n} out of range"))?,
            Operand::Literal(v) => v.clone(),
        });
    }
    let got = match call.func.as_str() {
        "printf" => {
            let format = match args.first() {
                Some(Value::String(s)) => s.to_string(),
                _ => return Err("printf without a format string".into()),
            };
            sprintf(&format, &args[1..])
        }
        "print" => sprint(&args),
        "println" => sprintln(&args),
        other => return Err(format!("unexpected function {other}")),
    };
    if got == expected {
        Ok(())
    } else {
        Err(format!("got {got:?}, want {expected:?}"))
    }
}

#[test]
fn gofmt_printf_vectors() {
    let cases = load_cases("gofmt_printf.json");
    let mut failures = Vec::new();
    for case in &cases {
        let id = case["id"].as_str().unwrap_or("?");
        if let Err(why) = run_case(case) {
            failures.push(format!("  {id}: {why}"));
        }
    }
    let passed = cases.len() - failures.len();
    println!(
        "gofmt_printf.json: {passed} passed, {} failed",
        failures.len()
    );
    for line in &failures {
        println!("{line}");
    }
    assert!(!cases.is_empty(), "no cases in gofmt_printf.json");
    assert!(
        passed * 100 >= cases.len() * MIN_PASS_PERCENT,
        "only {passed} of {} fmt vectors pass",
        cases.len()
    );
}

#[test]
fn parses_template_calls() {
    let call = parse_call(r#"{{printf "%[2]d \"x\"\n" (index . 0) (index . 1)}}"#).unwrap();
    assert_eq!(call.func, "printf");
    assert!(
        matches!(&call.operands[0], Operand::Literal(Value::String(s)) if &**s == "%[2]d \"x\"\n")
    );
    assert!(matches!(
        call.operands[1..],
        [Operand::Index(0), Operand::Index(1)]
    ));
    let call = parse_call(r#"{{print "<" 1 ">:" 2.5 .}}"#).unwrap();
    assert!(matches!(
        call.operands[..],
        [
            Operand::Literal(Value::String(_)),
            Operand::Literal(Value::Int(1, _)),
            Operand::Literal(Value::String(_)),
            Operand::Literal(Value::Float(_)),
            Operand::Dot
        ]
    ));
}
