//! go-yaml v2's encoder (`encode.go`, `sorter.go`) for decoded values: map
//! keys in go-yaml's "natural" order (numbers before strings, digit runs in
//! strings compared by value, so `a2` sorts before `a10`), and the scalar
//! style requested for each string: literal block when it has a line break,
//! plain when it would read back as the same string, double-quoted when it
//! would read back as something else (`"true"`, `"1.5"`, `""`, timestamps,
//! base-60 numbers like `"1:20"`).

use super::emitter::EmitEvent;
use super::resolve::{is_base60_float, resolve, STR_TAG};
use super::strconv::format_g;
use super::syntax::ScalarStyle;
use super::typed::{go_lossy_utf8, Yv};

/// The events go-yaml's encoder emits for `value` (inside one document).
pub(crate) fn events(value: &Yv) -> Vec<EmitEvent> {
    let mut out = Vec::new();
    marshal(value, &mut out);
    out
}

fn plain(value: String) -> EmitEvent {
    EmitEvent::Scalar {
        value,
        style: ScalarStyle::Plain,
    }
}

fn marshal(value: &Yv, out: &mut Vec<EmitEvent>) {
    match value {
        Yv::Null => out.push(plain("null".into())),
        Yv::Bool(b) => out.push(plain(b.to_string())),
        Yv::Int(i) => out.push(plain(i.to_string())),
        Yv::Uint(u) => out.push(plain(u.to_string())),
        Yv::Float(f) => {
            let s = match format_g(*f, false).as_str() {
                "+Inf" => ".inf".to_string(),
                "-Inf" => "-.inf".to_string(),
                "NaN" => ".nan".to_string(),
                other => other.to_string(),
            };
            out.push(plain(s));
        }
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

/// A stable merge sort driven by a "less" function (which, like Go's, need
/// not be a perfect total order; this never panics on one that is not).
fn sort_by_less<T>(items: &mut Vec<T>, less: impl Fn(&T, &T) -> bool + Copy) {
    if items.len() < 2 {
        return;
    }
    let mut right = items.split_off(items.len() / 2);
    sort_by_less(items, less);
    sort_by_less(&mut right, less);
    let left = std::mem::take(items);
    let mut merged = Vec::with_capacity(left.len() + right.len());
    let mut left = left.into_iter().peekable();
    let mut right = right.into_iter().peekable();
    while let (Some(l), Some(r)) = (left.peek(), right.peek()) {
        if less(r, l) {
            merged.extend(right.next());
        } else {
            merged.extend(left.next());
        }
    }
    merged.extend(left);
    merged.extend(right);
    *items = merged;
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

/// Go's `unicode.IsLetter` (exact for ASCII, approximate beyond).
fn is_letter(c: char) -> bool {
    c.is_alphabetic()
}

/// Go's `unicode.IsDigit` (exact for ASCII, approximate beyond).
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

fn digit_value(c: char) -> i64 {
    c as i64 - '0' as i64
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
    let (Some(ar), Some(br)) = (&ka.text, &kb.text) else {
        return kind_rank(a) < kind_rank(b);
    };
    for i in 0..ar.len().min(br.len()) {
        if ar[i] == br[i] {
            continue;
        }
        let al = is_letter(ar[i]);
        let bl = is_letter(br[i]);
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return bl;
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && is_digit(ar[j - 1]) {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && is_digit(ar[ai]) {
            an = an.wrapping_mul(10).wrapping_add(digit_value(ar[ai]));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && is_digit(br[bi]) {
            bn = bn.wrapping_mul(10).wrapping_add(digit_value(br[bi]));
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

#[cfg(test)]
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (x, y) = (Yv::Str(a.to_string()), Yv::Str(b.to_string()));
    let (x, y) = (SortKey::new(&x), SortKey::new(&y));
    if key_less(&x, &y) {
        Ordering::Less
    } else if key_less(&y, &x) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(keys: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = keys.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| natural_cmp(a, b));
        v
    }

    #[test]
    fn natural_key_order() {
        assert_eq!(sorted(&["a10", "a9", "a1"]), vec!["a1", "a9", "a10"]);
        assert_eq!(
            sorted(&["b", "B", "a", "_x", "1"]),
            vec!["_x", "1", "B", "a", "b"]
        );
        assert_eq!(sorted(&["a01", "a1"]), vec!["a1", "a01"]);
        assert_eq!(sorted(&["x-2", "x-10", "x.1"]), vec!["x-2", "x-10", "x.1"]);
        assert_eq!(sorted(&["ab", "a"]), vec!["a", "ab"]);
    }

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
