//! The values go-yaml v2 produces when decoding into `interface{}`: `nil`,
//! `bool`, `int`, `uint64`, `float64`, `string` (which `!!binary` may fill
//! with bytes that are not UTF-8), `[]interface{}` and
//! `map[interface{}]interface{}`; plus Go's `%#v` rendering of them, which
//! appears in some error messages.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use super::strconv::{format_g, quote};

#[derive(Clone, Debug)]
pub(crate) enum Yv {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
    /// A Go string holding bytes that are not valid UTF-8.
    Bin(Vec<u8>),
    Seq(Vec<Yv>),
    /// A Go map with interface keys; keys are unique under Go's `==`.
    Map(YMap),
}

/// An interface-keyed Go map, keeping insertion order for determinism and
/// an index of its string keys (the common case) for fast replacement.
#[derive(Clone, Debug, Default)]
pub(crate) struct YMap {
    entries: Vec<(Yv, Yv)>,
    strings: BTreeMap<String, usize>,
}

impl YMap {
    pub(crate) fn entries(&self) -> &[(Yv, Yv)] {
        &self.entries
    }

    /// Inserts `key`, or replaces the value of an equal (Go `==`) key.
    pub(crate) fn set(&mut self, key: Yv, value: Yv) {
        if let Yv::Str(s) = &key {
            if let Some(&i) = self.strings.get(s) {
                self.entries[i].1 = value;
            } else {
                self.strings.insert(s.clone(), self.entries.len());
                self.entries.push((key, value));
            }
            return;
        }
        if let Some(slot) = self.entries.iter_mut().find(|(k, _)| k.key_eq(&key)) {
            slot.1 = value;
        } else {
            self.entries.push((key, value));
        }
    }
}

impl FromIterator<(Yv, Yv)> for YMap {
    fn from_iter<I: IntoIterator<Item = (Yv, Yv)>>(iter: I) -> Self {
        let mut m = YMap::default();
        for (k, v) in iter {
            m.set(k, v);
        }
        m
    }
}

impl Yv {
    /// Go's `==` on interface values used as map keys (NaN never equals).
    fn key_eq(&self, other: &Yv) -> bool {
        match (self, other) {
            (Yv::Null, Yv::Null) => true,
            (Yv::Bool(a), Yv::Bool(b)) => a == b,
            (Yv::Int(a), Yv::Int(b)) => a == b,
            (Yv::Uint(a), Yv::Uint(b)) => a == b,
            (Yv::Float(a), Yv::Float(b)) => a == b,
            (Yv::Str(a), Yv::Str(b)) => a == b,
            (Yv::Bin(a), Yv::Bin(b)) => a == b,
            _ => false,
        }
    }

    /// Whether this is a Go slice or map (an invalid map key).
    pub(crate) fn is_collection(&self) -> bool {
        matches!(self, Yv::Seq(_) | Yv::Map(_))
    }

    /// The Go type name as `reflect.TypeOf(v).String()` gives it.
    pub(crate) fn go_type(&self) -> &'static str {
        match self {
            Yv::Null => "%!s(<nil>)",
            Yv::Bool(_) => "bool",
            Yv::Int(_) => "int",
            Yv::Uint(_) => "uint64",
            Yv::Float(_) => "float64",
            Yv::Str(_) | Yv::Bin(_) => "string",
            Yv::Seq(_) => "[]interface {}",
            Yv::Map(_) => "map[interface {}]interface {}",
        }
    }

    /// Go's `%#v` of the value held in an `interface{}` (top level).
    pub(crate) fn go_syntax(&self) -> String {
        match self {
            Yv::Null => "<nil>".to_string(),
            _ => self.go_syntax_nested(),
        }
    }

    fn go_syntax_nested(&self) -> String {
        match self {
            Yv::Null => "interface {}(nil)".to_string(),
            Yv::Bool(b) => b.to_string(),
            Yv::Int(i) => i.to_string(),
            Yv::Uint(u) => format!("0x{u:x}"),
            Yv::Float(f) => format_g(*f, false),
            Yv::Str(s) => quote(s),
            Yv::Bin(b) => quote(&go_lossy_utf8(b)),
            Yv::Seq(items) => {
                let inner: Vec<String> = items.iter().map(Yv::go_syntax_nested).collect();
                format!("[]interface {{}}{{{}}}", inner.join(", "))
            }
            Yv::Map(map) => {
                let mut sorted: Vec<&(Yv, Yv)> = map.entries().iter().collect();
                sorted.sort_by(|a, b| fmt_key_cmp(&a.0, &b.0));
                let inner: Vec<String> = sorted
                    .iter()
                    .map(|(k, v)| format!("{}:{}", k.go_syntax_nested(), v.go_syntax_nested()))
                    .collect();
                format!("map[interface {{}}]interface {{}}{{{}}}", inner.join(", "))
            }
        }
    }
}

/// The order in which Go's `fmt` prints interface map keys: nil first, then
/// by dynamic type (in the order Go 1.26 binaries give: string, uint64, int,
/// float64, bool), then by value (NaN before other floats).
fn fmt_key_cmp(a: &Yv, b: &Yv) -> Ordering {
    fn rank(v: &Yv) -> u8 {
        match v {
            Yv::Null => 0,
            Yv::Str(_) | Yv::Bin(_) => 1,
            Yv::Uint(_) => 2,
            Yv::Int(_) => 3,
            Yv::Float(_) => 4,
            Yv::Bool(_) => 5,
            Yv::Seq(_) => 6,
            Yv::Map(_) => 7,
        }
    }
    rank(a).cmp(&rank(b)).then_with(|| match (a, b) {
        (Yv::Str(x), Yv::Str(y)) => x.cmp(y),
        (Yv::Uint(x), Yv::Uint(y)) => x.cmp(y),
        (Yv::Int(x), Yv::Int(y)) => x.cmp(y),
        (Yv::Float(x), Yv::Float(y)) => match (x.is_nan(), y.is_nan()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            _ => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        },
        (Yv::Bool(x), Yv::Bool(y)) => x.cmp(y),
        _ => Ordering::Equal,
    })
}

/// Converts bytes to text the way Go's JSON encoder does: every byte that
/// does not start a valid UTF-8 sequence becomes U+FFFD.
pub(crate) fn go_lossy_utf8(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                break;
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(valid).unwrap_or(""));
                out.push('\u{fffd}');
                rest = &after[1..];
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_syntax_of_values() {
        let v = Yv::Seq(vec![Yv::Int(1), Yv::Str("a".into()), Yv::Null]);
        assert_eq!(v.go_syntax(), "[]interface {}{1, \"a\", interface {}(nil)}");
        let m = Yv::Map(YMap::from_iter([
            (Yv::Str("b".into()), Yv::Float(1.5)),
            (Yv::Str("a".into()), Yv::Bool(true)),
        ]));
        assert_eq!(
            m.go_syntax(),
            "map[interface {}]interface {}{\"a\":true, \"b\":1.5}"
        );
        assert_eq!(Yv::Uint(255).go_syntax(), "0xff");
        let mixed = Yv::Map(YMap::from_iter([
            (Yv::Bool(true), Yv::Int(1)),
            (Yv::Float(1.5), Yv::Int(2)),
            (Yv::Int(7), Yv::Int(3)),
            (Yv::Str("b".into()), Yv::Int(4)),
            (Yv::Null, Yv::Int(5)),
            (Yv::Uint(u64::MAX), Yv::Int(6)),
        ]));
        assert_eq!(
            mixed.go_syntax(),
            "map[interface {}]interface {}{interface {}(nil):5, \"b\":4, 0xffffffffffffffff:6, 7:3, 1.5:2, true:1}"
        );
        assert_eq!(Yv::Null.go_syntax(), "<nil>");
    }

    #[test]
    fn lossy_utf8_replaces_each_bad_byte() {
        assert_eq!(
            go_lossy_utf8(&[0xff, 0xfe, b'a', 0xf0, 0x9f, 0x98]),
            "\u{fffd}\u{fffd}a\u{fffd}\u{fffd}\u{fffd}"
        );
        assert_eq!(go_lossy_utf8("é".as_bytes()), "é");
    }

    #[test]
    fn map_set_replaces_equal_keys_only() {
        let mut m = YMap::default();
        m.set(Yv::Int(1), Yv::Str("a".into()));
        m.set(Yv::Str("1".into()), Yv::Str("b".into()));
        m.set(Yv::Int(1), Yv::Str("c".into()));
        m.set(Yv::Str("1".into()), Yv::Str("d".into()));
        m.set(Yv::Float(f64::NAN), Yv::Null);
        m.set(Yv::Float(f64::NAN), Yv::Null);
        assert_eq!(m.entries().len(), 4);
        assert!(matches!(&m.entries()[0].1, Yv::Str(s) if s == "c"));
        assert!(matches!(&m.entries()[1].1, Yv::Str(s) if s == "d"));
    }
}
