//! go-yaml v3's encoder (`go.yaml.in/yaml/v3` v3.0.4 `encode.go`,
//! `resolve.go`, `sorter.go`), which Helm's `toYamlPretty` uses directly
//! (not through JSON): map keys in go-yaml's natural order, struct fields in
//! declaration order under their `yaml` tag or lower-cased name, `time.Time`
//! as an RFC 3339 timestamp, `time.Duration` and `TextMarshaler`s as
//! strings, floats as `strconv.FormatFloat(f, 'g', -1, bits)` with `.inf`
//! and `.nan`, nil as `null`, and strings plain unless YAML 1.2 (or the YAML
//! 1.1 booleans and base-60 floats) would read them as something else.

use super::emitter::{Dialect, EmitEvent};
use super::resolve::{is_base60_float, is_timestamp};
use super::sort::{sort_by_less, text_less};
use super::strconv::{format_g, parse_float, parse_int_base0, parse_uint_base0, yaml_float_text};
use super::syntax::ScalarStyle;
use crate::toml::reflect::{shape, Shape};
use crate::value::{format_float, FloatFmt, GoField, Value};

/// The events of one document for `value`, or the text of the panic
/// go-yaml raises for a value it cannot marshal (`cannot marshal type:
/// complex128`).
pub(crate) fn events(value: &Value) -> Result<Vec<EmitEvent>, String> {
    let mut out = Vec::new();
    marshal(&shape(value), &mut out)?;
    Ok(out)
}

fn marshal(s: &Shape, out: &mut Vec<EmitEvent>) -> Result<(), String> {
    match s {
        Shape::Nil => out.push(EmitEvent::plain("null".into())),
        Shape::Bool(b) => out.push(EmitEvent::plain(b.to_string())),
        Shape::Int(i) => out.push(EmitEvent::plain(i.to_string())),
        Shape::Uint(u) => out.push(EmitEvent::plain(u.to_string())),
        Shape::Float(f, bits) => {
            let text = if *bits == 32 {
                format_float(*f, FloatFmt::General, None, 32)
            } else {
                format_g(*f, false)
            };
            out.push(EmitEvent::plain(yaml_float_text(text)));
        }
        Shape::Str(v) => out.push(string_event(v)),
        Shape::Text(v) => out.push(string_event(v)),
        Shape::Duration(ns) => out.push(string_event(
            &crate::funcs::gotime::Duration(*ns).to_string(),
        )),
        Shape::Time(t) => out.push(EmitEvent::plain(
            t.format("2006-01-02T15:04:05.999999999Z07:00"),
        )),
        Shape::Bytes(b) => {
            out.push(EmitEvent::SequenceStart);
            for x in b.iter() {
                out.push(EmitEvent::plain(x.to_string()));
            }
            out.push(EmitEvent::SequenceEnd);
        }
        Shape::Slice(items) => {
            out.push(EmitEvent::SequenceStart);
            for item in items {
                marshal(&shape(item), out)?;
            }
            out.push(EmitEvent::SequenceEnd);
        }
        Shape::Map(entries) => {
            let mut keyed: Vec<(Vec<char>, &str, &Value)> = entries
                .iter()
                .map(|(k, v)| (k.chars().collect(), k.as_str(), v))
                .collect();
            sort_by_less(&mut keyed, |a, b| text_less(&a.0, &b.0, Dialect::V3));
            out.push(EmitEvent::MappingStart);
            for (_, k, v) in &keyed {
                out.push(string_event(k));
                marshal(&shape(v), out)?;
            }
            out.push(EmitEvent::MappingEnd);
        }
        Shape::Struct(fields) => {
            out.push(EmitEvent::MappingStart);
            for f in fields {
                let Some(info) = FieldInfo::of(f) else {
                    continue;
                };
                let s = shape(&f.value);
                if info.omit_empty && is_zero(&s) {
                    continue;
                }
                out.push(string_event(&info.key));
                marshal(&s, out)?;
            }
            out.push(EmitEvent::MappingEnd);
        }
        Shape::Unsupported(kind) => return Err(format!("cannot marshal type: {kind}")),
    }
    Ok(())
}

/// A struct field's key and flags (`getStructInfo`).
struct FieldInfo {
    key: String,
    omit_empty: bool,
}

impl FieldInfo {
    fn of(f: &GoField) -> Option<FieldInfo> {
        let mut tag = f.tag_value("yaml").unwrap_or("");
        if tag.is_empty() && !f.tag.contains(':') {
            tag = f.tag;
        }
        if tag == "-" {
            return None;
        }
        let mut parts = tag.split(',');
        let name = parts.next().unwrap_or("");
        let omit_empty = parts.any(|p| p == "omitempty");
        Some(FieldInfo {
            key: if name.is_empty() {
                f.name.to_lowercase()
            } else {
                name.to_string()
            },
            omit_empty,
        })
    }
}

/// go-yaml v3's `isZero` (for `omitempty`).
fn is_zero(s: &Shape) -> bool {
    match s {
        Shape::Nil => true,
        Shape::Str(v) => v.is_empty(),
        Shape::Slice(items) => items.is_empty(),
        Shape::Bytes(b) => b.is_empty(),
        Shape::Map(m) => m.is_empty(),
        Shape::Int(i) | Shape::Duration(i) => *i == 0,
        Shape::Uint(u) => *u == 0,
        Shape::Float(f, _) => *f == 0.0,
        Shape::Bool(b) => !b,
        Shape::Time(t) => t.is_zero(),
        Shape::Text(_) | Shape::Unsupported(_) => false,
        Shape::Struct(fields) => fields.iter().all(|f| is_zero(&shape(&f.value))),
    }
}

/// `stringv`: plain when the text reads back as the same string, a literal
/// block when it has a line break, double-quoted otherwise.
fn string_event(s: &str) -> EmitEvent {
    let can_use_plain = resolves_to_str(s) && !(is_base60_float(s) || is_old_bool(s));
    let style = if s.contains('\n') {
        ScalarStyle::Literal
    } else if can_use_plain {
        ScalarStyle::Plain
    } else {
        ScalarStyle::DoubleQuoted
    };
    EmitEvent::Scalar {
        value: s.to_string(),
        style,
    }
}

/// The YAML 1.1 booleans v3 still quotes.
fn is_old_bool(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "on"
            | "On"
            | "ON"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "off"
            | "Off"
            | "OFF"
    )
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// `strconv.ParseInt(s, base, 64)` / `ParseUint` for base 2 or 8 (a sign
/// is allowed for the signed form).
fn parses_in_base(s: &str, base: u32, signed: bool) -> bool {
    let digits = if signed {
        s.strip_prefix(['+', '-']).unwrap_or(s)
    } else {
        s
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(base)) {
        return false;
    }
    let Ok(n) = u64::from_str_radix(digits, base) else {
        return false;
    };
    if !signed {
        return true;
    }
    if s.starts_with('-') {
        n <= 1 << 63
    } else {
        n < 1 << 63
    }
}

/// Whether go-yaml v3's `resolve("", s)` gives `!!str`.
fn resolves_to_str(s: &str) -> bool {
    let hint = match s.as_bytes().first() {
        None => 'N',
        Some(b'+' | b'-') => 'S',
        Some(b'0'..=b'9') => 'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => 'M',
        Some(b'.') => '.',
        _ => return true,
    };
    let in_map = matches!(
        s,
        "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | ""
            | "~"
            | "null"
            | "Null"
            | "NULL"
            | ".nan"
            | ".NaN"
            | ".NAN"
            | ".inf"
            | ".Inf"
            | ".INF"
            | "+.inf"
            | "+.Inf"
            | "+.INF"
            | "-.inf"
            | "-.Inf"
            | "-.INF"
            | "<<"
    );
    if in_map {
        return false;
    }
    match hint {
        '.' => parse_float(s).is_none(),
        'D' | 'S' => {
            if is_timestamp(s) {
                return false;
            }
            let plain = s.replace('_', "");
            if parse_int_base0(&plain).is_some() || parse_uint_base0(&plain).is_some() {
                return false;
            }
            if is_yaml_style_float(&plain) && parse_float(&plain).is_some() {
                return false;
            }
            if let Some(rest) = plain.strip_prefix("0b") {
                if parses_in_base(rest, 2, true) || parses_in_base(rest, 2, false) {
                    return false;
                }
            } else if let Some(rest) = plain.strip_prefix("-0b") {
                if parses_in_base(&format!("-{rest}"), 2, true) {
                    return false;
                }
            }
            if let Some(rest) = plain.strip_prefix("0o") {
                if parses_in_base(rest, 8, true) || parses_in_base(rest, 8, false) {
                    return false;
                }
            } else if let Some(rest) = plain.strip_prefix("-0o") {
                if parses_in_base(&format!("-{rest}"), 8, true) {
                    return false;
                }
            }
            true
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_stay_plain_unless_they_resolve_otherwise() {
        assert!(resolves_to_str("hello"));
        assert!(resolves_to_str("yes"));
        assert!(!resolves_to_str("true"));
        assert!(!resolves_to_str("0o17"));
        assert!(!resolves_to_str("1_000"));
        assert!(!resolves_to_str(".5"));
        assert!(!resolves_to_str("2001-12-14"));
        assert!(resolves_to_str("1.2.3"));
        assert!(is_old_bool("yes"));
    }

    #[test]
    fn encodes_like_go_yaml_v3() {
        // Expected text from go-yaml v3.0.4 with SetIndent(2).
        let m = crate::value::Map::new();
        m.insert(
            "baz",
            Value::list(vec![Value::int(1), Value::int(2), Value::int(3)]),
        );
        m.insert("f", Value::Float(f64::INFINITY));
        m.insert("m", Value::Map(crate::value::Map::new()));
        m.insert("n", Value::Nil);
        let strings = ["yes", "1.0", "a b", "x\ny\n", ""];
        m.insert(
            "s",
            Value::list(strings.iter().map(|s| Value::from(*s)).collect()),
        );
        let text = crate::yaml::emitter::emit_document(
            &events(&Value::Map(m)).unwrap(),
            crate::yaml::emitter::Dialect::V3,
        );
        assert_eq!(
            text,
            "baz:\n  - 1\n  - 2\n  - 3\nf: .inf\nm: {}\n\"n\": null\ns:\n  - \"yes\"\n  - \"1.0\"\n  - a b\n  - |\n    x\n    y\n  - \"\"\n"
        );
    }
}
