//! The handful of Go `strconv` behaviours that YAML and JSON encoding depend
//! on: shortest float formatting (`FormatFloat(f, 'g'|'e'|'f', -1, 64|32)`),
//! the integer parser behind go-yaml's resolver (`ParseInt(s, 0, 64)`), the
//! float parser (`ParseFloat(s, 64)`, including its underscore rule), and
//! `strconv.Quote`-style escaping used in Go error messages.

/// Go's `math.NaN()` (a quiet NaN with the low bit set).
pub(crate) fn go_nan() -> f64 {
    f64::from_bits(0x7ff8_0000_0000_0001)
}

/// The shortest decimal digits that round-trip `f` (as a float64, or as a
/// float32 when `bits32`), with the decimal point position: the value is
/// `0.d1d2d3... × 10^dp`. Zero has no digits. `f` must be finite.
fn shortest_digits(f: f64, bits32: bool) -> (Vec<u8>, i32) {
    let text = if bits32 {
        format!("{:e}", (f as f32).abs())
    } else {
        format!("{:e}", f.abs())
    };
    let (mantissa, exp) = text.split_once('e').unwrap_or((text.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    if digits.iter().all(|&d| d == b'0') {
        return (Vec::new(), 0);
    }
    (digits, exp + 1)
}

/// Go's `%e` layout of shortest digits with `prec` digits after the point.
fn layout_e(out: &mut String, digits: &[u8], dp: i32, prec: usize) {
    out.push(digits.first().map_or('0', |&d| d as char));
    if prec > 0 {
        out.push('.');
        for i in 1..=prec {
            out.push(digits.get(i).map_or('0', |&d| d as char));
        }
    }
    out.push('e');
    let exp = if digits.is_empty() { 0 } else { dp - 1 };
    out.push(if exp < 0 { '-' } else { '+' });
    let exp = exp.unsigned_abs();
    if exp < 10 {
        out.push('0');
    }
    out.push_str(&exp.to_string());
}

/// Go's `%f` layout of shortest digits with `prec` digits after the point.
fn layout_f(out: &mut String, digits: &[u8], dp: i32, prec: usize) {
    if dp > 0 {
        for i in 0..dp as usize {
            out.push(digits.get(i).map_or('0', |&d| d as char));
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 1..=prec as i32 {
            let j = dp + i - 1;
            let ch = if j >= 0 && (j as usize) < digits.len() {
                digits[j as usize] as char
            } else {
                '0'
            };
            out.push(ch);
        }
    }
}

/// The value as Go sees it after `float32(f)` when formatting 32-bit floats
/// (which turns out-of-range values into infinities).
fn narrow(f: f64, bits32: bool) -> f64 {
    if bits32 {
        f as f32 as f64
    } else {
        f
    }
}

/// Go's special spellings of non-finite floats, or `None` for finite ones.
fn non_finite(f: f64) -> Option<&'static str> {
    if f.is_nan() {
        Some("NaN")
    } else if f == f64::INFINITY {
        Some("+Inf")
    } else if f == f64::NEG_INFINITY {
        Some("-Inf")
    } else {
        None
    }
}

/// go-yaml's text for a float Go formatted: `.inf`, `-.inf` and `.nan`
/// for the values Go writes `+Inf`, `-Inf` and `NaN`.
pub(crate) fn yaml_float_text(go_text: String) -> String {
    match go_text.as_str() {
        "+Inf" => ".inf".to_string(),
        "-Inf" => "-.inf".to_string(),
        "NaN" => ".nan".to_string(),
        _ => go_text,
    }
}

/// `strconv.FormatFloat(f, 'g', -1, bits)`.
pub(crate) fn format_g(f: f64, bits32: bool) -> String {
    let f = narrow(f, bits32);
    if let Some(s) = non_finite(f) {
        return s.to_string();
    }
    let (digits, dp) = shortest_digits(f, bits32);
    let mut out = String::new();
    if f.is_sign_negative() {
        out.push('-');
    }
    let exp = dp - 1;
    let nd = digits.len();
    if !digits.is_empty() && !(-4..6).contains(&exp) {
        layout_e(&mut out, &digits, dp, nd.saturating_sub(1));
    } else {
        let prec = if nd as i32 > dp { nd as i32 - dp } else { 0 };
        layout_f(&mut out, &digits, dp, prec as usize);
    }
    out
}

/// `strconv.FormatFloat(f, 'e', -1, bits)`.
pub(crate) fn format_e(f: f64, bits32: bool) -> String {
    let f = narrow(f, bits32);
    if let Some(s) = non_finite(f) {
        return s.to_string();
    }
    let (digits, dp) = shortest_digits(f, bits32);
    let mut out = String::new();
    if f.is_sign_negative() {
        out.push('-');
    }
    layout_e(&mut out, &digits, dp, digits.len().saturating_sub(1));
    out
}

/// `strconv.FormatFloat(f, 'f', -1, bits)`.
pub(crate) fn format_f(f: f64, bits32: bool) -> String {
    let f = narrow(f, bits32);
    if let Some(s) = non_finite(f) {
        return s.to_string();
    }
    let (digits, dp) = shortest_digits(f, bits32);
    let mut out = String::new();
    if f.is_sign_negative() {
        out.push('-');
    }
    let prec = (digits.len() as i32 - dp).max(0) as usize;
    layout_f(&mut out, &digits, dp, prec);
    out
}

/// `strconv.ParseUint(s, 0, 64)` without underscore support (callers strip
/// them first): base prefixes `0x`, `0o`, `0b`, a bare leading `0` for octal.
pub(crate) fn parse_uint_base0(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.is_empty() {
        return None;
    }
    let (base, digits): (u64, &[u8]) = if b[0] == b'0' {
        let lower = b.get(1).map(u8::to_ascii_lowercase);
        match lower {
            Some(b'b') if b.len() >= 3 => (2, &b[2..]),
            Some(b'o') if b.len() >= 3 => (8, &b[2..]),
            Some(b'x') if b.len() >= 3 => (16, &b[2..]),
            _ => (8, &b[1..]),
        }
    } else {
        (10, b)
    };
    let mut n: u64 = 0;
    for &c in digits {
        let d = match c {
            b'0'..=b'9' => (c - b'0') as u64,
            b'a'..=b'z' => (c - b'a') as u64 + 10,
            b'A'..=b'Z' => (c - b'A') as u64 + 10,
            _ => return None,
        };
        if d >= base {
            return None;
        }
        n = n.checked_mul(base)?.checked_add(d)?;
    }
    Some(n)
}

/// `strconv.ParseInt(s, 0, 64)` (no underscores; see [`parse_uint_base0`]).
pub(crate) fn parse_int_base0(s: &str) -> Option<i64> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let u = parse_uint_base0(rest)?;
    if neg {
        if u > 1u64 << 63 {
            None
        } else {
            Some((u as i64).wrapping_neg())
        }
    } else if u >= 1u64 << 63 {
        None
    } else {
        Some(u as i64)
    }
}

/// `strconv.ParseFloat(s, 64)` for decimal syntax (optional sign, digits
/// with an optional point, optional exponent, Go's underscore rule), plus
/// Go's `Inf`/`Infinity`/`NaN` spellings. Out-of-range values are errors,
/// as in Go; underflow gives zero.
pub(crate) fn parse_float(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" || lower == "nan" {
        let v = if lower == "nan" {
            go_nan()
        } else {
            f64::INFINITY
        };
        return Some(if s.starts_with('-') { -v } else { v });
    }
    if lower.starts_with("0x") {
        return None; // hexadecimal floats never reach the callers that matter
    }
    let cleaned: String;
    let text = if s.contains('_') {
        if !crate::template::strconv::underscores_ok(s) {
            return None;
        }
        cleaned = s.replace('_', "");
        cleaned.as_str()
    } else {
        s
    };
    if !is_decimal_float_syntax(text) {
        return None;
    }
    let v: f64 = text.parse().ok()?;
    if v.is_infinite() {
        return None;
    }
    Some(v)
}

/// Whether `s` is `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`.
fn is_decimal_float_syntax(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let mut mantissa_digits = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
        mantissa_digits += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
            mantissa_digits += 1;
        }
    }
    if mantissa_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    i == b.len()
}

/// Whether Go's `unicode.IsPrint` holds for `c` (approximated outside
/// Latin-1 by "not a control, format, separator or unassigned-looking
/// character", which is what the messages using it encounter).
fn is_print(c: char) -> bool {
    match c as u32 {
        0x20..=0x7e => true,
        0x00..=0x1f | 0x7f..=0xa0 | 0xad => false,
        0x2028 | 0x2029 | 0xfeff | 0xfffe | 0xffff => false,
        0x200b..=0x200f | 0x202a..=0x202e | 0x2060..=0x2064 => false,
        0xd800..=0xdfff => false,
        _ => !c.is_whitespace(),
    }
}

/// Appends `c` escaped as `strconv.Quote` would inside its quotes.
pub(crate) fn push_quoted_rune(out: &mut String, c: char, quote: char) {
    match c {
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        '\\' => out.push_str("\\\\"),
        _ if c == quote => {
            out.push('\\');
            out.push(c);
        }
        _ if is_print(c) => out.push(c),
        _ if (c as u32) < 0x20 || c as u32 == 0x7f => {
            out.push_str(&format!("\\x{:02x}", c as u32));
        }
        _ if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
        _ => out.push_str(&format!("\\U{:08x}", c as u32)),
    }
}

/// `strconv.Quote(s)`.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        push_quoted_rune(&mut out, c, '"');
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_go_g() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0"),
            (-0.0, "-0"),
            (1.0, "1"),
            (1e6, "1e+06"),
            (123456.0, "123456"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (1.5e300, "1.5e+300"),
            (0.1, "0.1"),
            (-2.5, "-2.5"),
            (1e21, "1e+21"),
            (12345678.9, "1.23456789e+07"),
        ];
        for &(f, want) in cases {
            assert_eq!(format_g(f, false), want, "{f}");
        }
        assert_eq!(format_g(0.1f32 as f64, true), "0.1");
        assert_eq!(format_g(1e10, true), "1e+10");
        assert_eq!(format_g(1e51, true), "+Inf");
        assert_eq!(format_g(f64::NAN, false), "NaN");
        assert_eq!(format_g(f64::NEG_INFINITY, false), "-Inf");
    }

    #[test]
    fn formats_like_go_e_and_f() {
        assert_eq!(format_e(1e21, false), "1e+21");
        assert_eq!(format_e(1.25e-7, false), "1.25e-07");
        assert_eq!(format_e(1e100, false), "1e+100");
        assert_eq!(format_f(1e20, false), "100000000000000000000");
        assert_eq!(format_f(0.000001, false), "0.000001");
        assert_eq!(format_f(-3.0, false), "-3");
    }

    #[test]
    fn parses_integers_like_go_base0() {
        assert_eq!(parse_int_base0("0755"), Some(493));
        assert_eq!(parse_int_base0("0x1F"), Some(31));
        assert_eq!(parse_int_base0("-0x1F"), Some(-31));
        assert_eq!(parse_int_base0("0o17"), Some(15));
        assert_eq!(parse_int_base0("0b101"), Some(5));
        assert_eq!(parse_int_base0("0"), Some(0));
        assert_eq!(parse_int_base0("08"), None);
        assert_eq!(parse_int_base0("0x"), None);
        assert_eq!(parse_int_base0("9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_int_base0("9223372036854775808"), None);
        assert_eq!(parse_int_base0("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_uint_base0("18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_uint_base0("+1"), None);
    }

    #[test]
    fn parses_floats_like_go() {
        assert_eq!(parse_float(".5"), Some(0.5));
        assert_eq!(parse_float(".5_0"), Some(0.5));
        assert_eq!(parse_float("._5"), None);
        assert_eq!(parse_float("1e400"), None);
        assert_eq!(parse_float("1e-400"), Some(0.0));
        assert_eq!(parse_float("1."), Some(1.0));
        assert_eq!(parse_float("."), None);
        assert_eq!(parse_float("1e"), None);
    }

    #[test]
    fn quotes_like_go() {
        assert_eq!(quote("a\"b\n\x01é"), "\"a\\\"b\\n\\x01é\"");
        assert_eq!(quote("\u{a0}\u{85}"), "\"\\u00a0\\u0085\"");
    }
}
