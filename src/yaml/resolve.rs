//! go-yaml v2's implicit typing of scalars (`resolve.go`), YAML 1.1 style:
//! `y/Y/yes/Yes/YES/n/.../on/off/true/false` in their listed spellings are
//! bools, `~`/`null`/empty are null, integers accept `0x`, `0o`, `0b`, a
//! leading `0` for octal and `_` separators, floats accept `.inf`/`.nan`,
//! and `YYYY-M-D[...]` timestamps are recognised (but decode into
//! `interface{}` as their original text).

use super::strconv::{go_nan, parse_float, parse_int_base0, parse_uint_base0};

pub(crate) const STR_TAG: &str = "tag:yaml.org,2002:str";
pub(crate) const BOOL_TAG: &str = "tag:yaml.org,2002:bool";
pub(crate) const INT_TAG: &str = "tag:yaml.org,2002:int";
pub(crate) const FLOAT_TAG: &str = "tag:yaml.org,2002:float";
pub(crate) const NULL_TAG: &str = "tag:yaml.org,2002:null";
pub(crate) const TIMESTAMP_TAG: &str = "tag:yaml.org,2002:timestamp";
pub(crate) const BINARY_TAG: &str = "tag:yaml.org,2002:binary";
pub(crate) const MERGE_TAG: &str = "tag:yaml.org,2002:merge";

/// A resolved scalar value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str,
    Timestamp,
    Merge,
}

/// `!!foo` for a `tag:yaml.org,2002:foo` tag.
pub(crate) fn short_tag(tag: &str) -> String {
    match tag.strip_prefix("tag:yaml.org,2002:") {
        Some(rest) => format!("!!{rest}"),
        None => tag.to_string(),
    }
}

fn resolvable(tag: &str) -> bool {
    matches!(
        tag,
        "" | STR_TAG | BOOL_TAG | INT_TAG | FLOAT_TAG | NULL_TAG | TIMESTAMP_TAG
    )
}

fn lookup(s: &str) -> Option<Scalar> {
    Some(match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Scalar::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Scalar::Bool(false)
        }
        "" | "~" | "null" | "Null" | "NULL" => Scalar::Null,
        ".nan" | ".NaN" | ".NAN" => Scalar::Float(go_nan()),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Scalar::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Scalar::Float(f64::NEG_INFINITY),
        "<<" => Scalar::Merge,
        _ => return None,
    })
}

fn tag_of(v: &Scalar) -> &'static str {
    match v {
        Scalar::Null => NULL_TAG,
        Scalar::Bool(_) => BOOL_TAG,
        Scalar::Int(_) | Scalar::Uint(_) => INT_TAG,
        Scalar::Float(_) => FLOAT_TAG,
        Scalar::Str => STR_TAG,
        Scalar::Timestamp => TIMESTAMP_TAG,
        Scalar::Merge => MERGE_TAG,
    }
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Resolves the plain form of `s` with no tag, or an error text when an
/// explicit tag does not fit (`cannot decode !!str `x` as a !!int`).
pub(crate) fn resolve<'t>(tag: &'t str, s: &str) -> Result<(&'t str, Scalar), String> {
    if !resolvable(tag) {
        return Ok((tag, Scalar::Str));
    }
    let resolved = resolve_plain(tag, s);
    let rtag = tag_of(&resolved);
    if tag.is_empty() || tag == rtag || tag == STR_TAG {
        return Ok((rtag, resolved));
    }
    if tag == FLOAT_TAG {
        match resolved {
            Scalar::Int(i) => return Ok((FLOAT_TAG, Scalar::Float(i as f64))),
            Scalar::Uint(_) => {}
            _ => {}
        }
    }
    Err(format!(
        "cannot decode {} `{}` as a {}",
        short_tag(rtag),
        s,
        short_tag(tag)
    ))
}

fn resolve_plain(tag: &str, s: &str) -> Scalar {
    let first = s.as_bytes().first().copied();
    // go-yaml's hint table: sign, digit, map-lookup letters, '.'.
    let hint = match first {
        None => 'N',
        Some(b'+' | b'-') => 'S',
        Some(b'0'..=b'9') => 'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => 'M',
        Some(b'.') => '.',
        _ => return Scalar::Str,
    };
    if tag == STR_TAG {
        return Scalar::Str;
    }
    if let Some(v) = lookup(s) {
        return v;
    }
    match hint {
        '.' => {
            if let Some(f) = parse_float(s) {
                return Scalar::Float(f);
            }
        }
        'D' | 'S' => {
            if (tag.is_empty() || tag == TIMESTAMP_TAG) && is_timestamp(s) {
                return Scalar::Timestamp;
            }
            let plain = s.replace('_', "");
            if let Some(i) = parse_int_base0(&plain) {
                return Scalar::Int(i);
            }
            if let Some(u) = parse_uint_base0(&plain) {
                return Scalar::Uint(u);
            }
            if is_yaml_style_float(&plain) {
                if let Some(f) = parse_float(&plain) {
                    return Scalar::Float(f);
                }
            }
            // go-yaml retries binary with Go's base-2 parser, which
            // (unlike the base-0 one) accepts a sign after the prefix.
            if let Some(rest) = plain.strip_prefix("0b") {
                if let Some(i) = parse_signed_binary(rest) {
                    return Scalar::Int(i);
                }
                if let Some(u) = parse_unsigned_binary(rest) {
                    return Scalar::Uint(u);
                }
            } else if let Some(rest) = plain.strip_prefix("-0b") {
                if let Some(i) = parse_signed_binary(&format!("-{rest}")) {
                    return Scalar::Int(i);
                }
            }
        }
        _ => {}
    }
    Scalar::Str
}

/// `strconv.ParseUint(s, 2, 64)`.
fn parse_unsigned_binary(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b == b'0' || b == b'1') {
        return None;
    }
    u64::from_str_radix(s, 2).ok()
}

/// `strconv.ParseInt(s, 2, 64)`.
fn parse_signed_binary(s: &str) -> Option<i64> {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let u = parse_unsigned_binary(digits)?;
    if neg {
        (u <= 1u64 << 63).then(|| (u as i64).wrapping_neg())
    } else {
        (u < 1u64 << 63).then_some(u as i64)
    }
}

/// Whether go-yaml's encoder avoids the plain style for `s` because it
/// looks like a YAML 1.1 base-60 float (`1:20`, `-1:20:30.5`).
pub(crate) fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(&c) = b.first() else {
        return false;
    };
    if !(c == b'+' || c == b'-' || c.is_ascii_digit()) || !s.contains(':') {
        return false;
    }
    // ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
    let mut i = 0;
    if b[i] == b'+' || b[i] == b'-' {
        i += 1;
    }
    if i >= b.len() || !b[i].is_ascii_digit() {
        return false;
    }
    i += 1;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while i < b.len() && b[i] == b':' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() && i - start < 2 {
            i += 1;
        }
        match i - start {
            1 => {}
            2 if b[start] <= b'5' => {}
            2 => {
                // "[0-5]?[0-9]": a two-digit group must start with 0-5,
                // else only its first digit is taken and the rest fails.
                return false;
            }
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

// ----- timestamps: Go's time.Parse for go-yaml's four layouts -----

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    /// Go's `getnum(s, false)`: one or two digits.
    fn num12(&mut self) -> Option<u32> {
        let d0 = *self.b.get(self.i)?;
        if !d0.is_ascii_digit() {
            return None;
        }
        self.i += 1;
        match self.b.get(self.i) {
            Some(d1) if d1.is_ascii_digit() => {
                self.i += 1;
                Some((d0 - b'0') as u32 * 10 + (d1 - b'0') as u32)
            }
            _ => Some((d0 - b'0') as u32),
        }
    }

    fn lit(&mut self, c: u8) -> Option<()> {
        (self.b.get(self.i) == Some(&c)).then(|| self.i += 1)
    }

    fn done(&self) -> bool {
        self.i == self.b.len()
    }
}

fn days_in(month: u32, year: i64) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[derive(Clone, Copy)]
enum Layout {
    Rfc3339(u8),
    SpaceNoZone,
    DateOnly,
}

fn parse_layout(s: &str, layout: Layout) -> Option<()> {
    let b = s.as_bytes();
    let year: i64 = std::str::from_utf8(b.get(0..4)?).ok()?.parse().ok()?;
    let mut c = Cursor { b, i: 4 };
    c.lit(b'-')?;
    let month = c.num12()?;
    c.lit(b'-')?;
    let day = c.num12()?;
    match layout {
        Layout::DateOnly => {}
        Layout::Rfc3339(sep) => {
            c.lit(sep)?;
            parse_clock(&mut c)?;
            parse_zone(&mut c)?;
        }
        Layout::SpaceNoZone => {
            // A space in a Go layout matches one or more spaces.
            c.lit(b' ')?;
            while c.lit(b' ').is_some() {}
            parse_clock(&mut c)?;
        }
    }
    if !c.done() || !(1..=12).contains(&month) || day < 1 || day > days_in(month, year) {
        return None;
    }
    Some(())
}

fn parse_clock(c: &mut Cursor) -> Option<()> {
    let hour = c.num12()?;
    c.lit(b':')?;
    let min = c.num12()?;
    c.lit(b':')?;
    let sec = c.num12()?;
    if hour >= 24 || min >= 60 || sec >= 60 {
        return None;
    }
    // Optional fractional seconds: '.' or ',' followed by digits.
    if matches!(c.b.get(c.i), Some(b'.' | b',')) && c.b.get(c.i + 1).is_some_and(u8::is_ascii_digit)
    {
        c.i += 1;
        while c.b.get(c.i).is_some_and(u8::is_ascii_digit) {
            c.i += 1;
        }
    }
    Some(())
}

fn parse_zone(c: &mut Cursor) -> Option<()> {
    if c.lit(b'Z').is_some() {
        return Some(());
    }
    let rest = &c.b[c.i..];
    if rest.len() < 6 || rest[3] != b':' || !(rest[0] == b'+' || rest[0] == b'-') {
        return None;
    }
    let two = |x: &[u8]| -> Option<u32> {
        (x[0].is_ascii_digit() && x[1].is_ascii_digit())
            .then(|| (x[0] - b'0') as u32 * 10 + (x[1] - b'0') as u32)
    };
    let hh = two(&rest[1..3])?;
    let mm = two(&rest[4..6])?;
    if hh > 24 || mm > 60 {
        return None;
    }
    c.i += 6;
    Some(())
}

/// go-yaml's `parseTimestamp`: whether `s` parses with one of its layouts.
pub(crate) fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits != 4 || digits == b.len() || b[digits] != b'-' {
        return false;
    }
    [
        Layout::Rfc3339(b'T'),
        Layout::Rfc3339(b't'),
        Layout::SpaceNoZone,
        Layout::DateOnly,
    ]
    .into_iter()
    .any(|l| parse_layout(s, l).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> Scalar {
        resolve("", s).unwrap().1
    }

    #[test]
    fn yaml11_bools_and_nulls() {
        for s in [
            "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE",
        ] {
            assert_eq!(plain(s), Scalar::Bool(true), "{s}");
        }
        for s in ["n", "N", "no", "NO", "off", "OFF", "false", "False"] {
            assert_eq!(plain(s), Scalar::Bool(false), "{s}");
        }
        assert_eq!(plain("yEs"), Scalar::Str);
        for s in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(plain(s), Scalar::Null);
        }
        assert_eq!(plain("nULL"), Scalar::Str);
    }

    #[test]
    fn numbers() {
        assert_eq!(plain("0755"), Scalar::Int(493));
        assert_eq!(plain("0x1F"), Scalar::Int(31));
        assert_eq!(plain("1_000"), Scalar::Int(1000));
        assert_eq!(plain("-0b11"), Scalar::Int(-3));
        assert_eq!(plain("08"), Scalar::Float(8.0));
        assert_eq!(plain("1e3"), Scalar::Float(1000.0));
        assert_eq!(plain("1e400"), Scalar::Str);
        assert_eq!(plain("18446744073709551615"), Scalar::Uint(u64::MAX));
        assert_eq!(plain(".5"), Scalar::Float(0.5));
        assert_eq!(plain("+.5"), Scalar::Float(0.5));
        assert_eq!(plain(".inf"), Scalar::Float(f64::INFINITY));
        assert!(matches!(plain(".NaN"), Scalar::Float(f) if f.is_nan()));
        assert_eq!(plain("1.2.3"), Scalar::Str);
        assert_eq!(plain("-"), Scalar::Str);
    }

    #[test]
    fn explicit_tags() {
        assert_eq!(resolve(STR_TAG, "5").unwrap().1, Scalar::Str);
        assert_eq!(resolve(FLOAT_TAG, "5").unwrap().1, Scalar::Float(5.0));
        assert_eq!(resolve("!", "5").unwrap().1, Scalar::Str);
        assert_eq!(
            resolve(INT_TAG, "abc").unwrap_err(),
            "cannot decode !!str `abc` as a !!int"
        );
    }

    #[test]
    fn timestamps() {
        assert!(is_timestamp("2001-12-14"));
        assert!(is_timestamp("2001-1-4"));
        assert!(is_timestamp("2001-12-14T21:59:43.10Z"));
        assert!(is_timestamp("2001-12-14t21:59:43-05:00"));
        assert!(is_timestamp("2001-12-14 21:59:43.10"));
        assert!(!is_timestamp("2001-02-30"));
        assert!(!is_timestamp("2001-12-14 21:59:43.10 -5"));
        assert!(!is_timestamp("20011-12-14"));
        assert_eq!(plain("2001-12-14"), Scalar::Timestamp);
    }

    #[test]
    fn base60() {
        assert!(is_base60_float("1:20"));
        assert!(is_base60_float("190:20:30.15"));
        assert!(is_base60_float("-1:5"));
        assert!(!is_base60_float("1:60"));
        assert!(!is_base60_float("a:1"));
        assert!(!is_base60_float("1:"));
    }
}
