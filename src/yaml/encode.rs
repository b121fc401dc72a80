//! go-yaml v2's encoder (`encode.go`, `sorter.go`) for decoded values: map
//! keys in go-yaml's "natural" order (numbers before strings, digit runs in
//! strings compared by value, so `a2` sorts before `a10`), and the scalar
//! style requested for each string: literal block when it has a line break,
//! plain when it would read back as the same string, double-quoted when it
//! would read back as something else (`"true"`, `"1.5"`, `""`, timestamps,
//! base-60 numbers like `"1:20"`).

use super::emitter::{Dialect, EmitEvent};
use super::resolve::{is_base60_float, resolve, STR_TAG};
use super::sort::{sort_by_less, text_less};
use super::strconv::{format_g, yaml_float_text};
use super::syntax::ScalarStyle;
use super::typed::{go_lossy_utf8, Yv};

/// The events go-yaml's encoder emits for `value` (inside one document).
pub(crate) fn events(value: &Yv) -> Vec<EmitEvent> {
    let mut out = Vec::new();
    marshal(value, &mut out);
    out
}

fn marshal(value: &Yv, out: &mut Vec<EmitEvent>) {
    match value {
        Yv::Null => out.push(EmitEvent::plain("null".into())),
        Yv::Bool(b) => out.push(EmitEvent::plain(b.to_string())),
        Yv::Int(i) => out.push(EmitEvent::plain(i.to_string())),
        Yv::Uint(u) => out.push(EmitEvent::plain(u.to_string())),
        Yv::Float(f) => out.push(EmitEvent::plain(yaml_float_text(format_g(*f, false)))),
        Yv::Str(s) => out.push(string_event(s)),
        Yv::Bin(b) => out.push(string_event(&go_lossy_utf8(b))),
        Yv::Seq(items) => {
            out.push(EmitEvent::SequenceStart);
            for item in items {
                marshal(item, out);
            }
            out.push(EmitEvent::SequenceEnd);
        }
        Yv::Map(map) => {
            // Decorate each key with its characters once, then sort.
            let mut keyed: Vec<(SortKey, &Yv)> = map
                .entries()
                .iter()
                .map(|(k, v)| (SortKey::new(k), v))
                .collect();
            sort_by_less(&mut keyed, |a, b| key_less(&a.0, &b.0));
            out.push(EmitEvent::MappingStart);
            for (k, v) in &keyed {
                marshal(k.value, out);
                marshal(v, out);
            }
            out.push(EmitEvent::MappingEnd);
        }
    }
}

/// go-yaml's `stringv` style request for a string.
fn string_event(s: &str) -> EmitEvent {
    let can_use_plain =
        matches!(resolve("", s), Ok((tag, _)) if tag == STR_TAG) && !is_base60_float(s);
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

/// `reflect.Kind` numbers, which go-yaml compares for keys of different kinds.
fn kind_rank(v: &Yv) -> u8 {
    match v {
        Yv::Bool(_) => 1,
        Yv::Int(_) => 2,
        Yv::Uint(_) => 11,
        Yv::Float(_) => 14,
        Yv::Null => 20,
        Yv::Map(_) => 21,
        Yv::Seq(_) => 23,
        Yv::Str(_) | Yv::Bin(_) => 24,
    }
}

fn key_float(v: &Yv) -> Option<f64> {
    match v {
        Yv::Int(i) => Some(*i as f64),
        Yv::Uint(u) => Some(*u as f64),
        Yv::Float(f) => Some(*f),
        Yv::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        _ => None,
    }
}

fn num_less(a: &Yv, b: &Yv) -> bool {
    match (a, b) {
        (Yv::Int(x), Yv::Int(y)) => x < y,
        (Yv::Uint(x), Yv::Uint(y)) => x < y,
        (Yv::Float(x), Yv::Float(y)) => x < y,
        (Yv::Bool(x), Yv::Bool(y)) => !x & y,
        _ => false,
    }
}

/// A map key prepared for sorting: the value, and its characters when it
/// is a string.
pub(crate) struct SortKey<'a> {
    value: &'a Yv,
    text: Option<Vec<char>>,
}

impl<'a> SortKey<'a> {
    pub(crate) fn new(value: &'a Yv) -> Self {
        let text = match value {
            Yv::Str(s) => Some(s.chars().collect()),
            Yv::Bin(b) => Some(go_lossy_utf8(b).chars().collect()),
            _ => None,
        };
        SortKey { value, text }
    }
}

/// go-yaml's `keyList.Less`.
pub(crate) fn key_less(ka: &SortKey, kb: &SortKey) -> bool {
    let (a, b) = (ka.value, kb.value);
    if let (Some(af), Some(bf)) = (key_float(a), key_float(b)) {
        if af != bf {
            return af < bf;
        }
        let (ak, bk) = (kind_rank(a), kind_rank(b));
        if ak != bk {
            return ak < bk;
        }
        return num_less(a, b);
    }
    match (&ka.text, &kb.text) {
        (Some(ar), Some(br)) => text_less(ar, br, Dialect::V2),
        _ => kind_rank(a) < kind_rank(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_styles() {
        let style = |s: &str| match string_event(s) {
            EmitEvent::Scalar { style, .. } => style,
            _ => unreachable!(),
        };
        assert_eq!(style("hello"), ScalarStyle::Plain);
        assert_eq!(style("true"), ScalarStyle::DoubleQuoted);
        assert_eq!(style("1.5"), ScalarStyle::DoubleQuoted);
        assert_eq!(style(""), ScalarStyle::DoubleQuoted);
        assert_eq!(style("2001-12-14"), ScalarStyle::DoubleQuoted);
        assert_eq!(style("2001-02-30"), ScalarStyle::Plain);
        assert_eq!(style("1:20"), ScalarStyle::DoubleQuoted);
        assert_eq!(style("a\nb"), ScalarStyle::Literal);
    }
}
