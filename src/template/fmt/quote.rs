//! Go's `strconv` quoting (`Quote`, `QuoteToASCII`, `QuoteRune`,
//! `QuoteRuneToASCII`, `CanBackquote`) and the bits of `unicode/utf8` that
//! Go's `fmt` relies on, working on bytes because a Go string (or a
//! `[]byte` printed with `%q`) need not be valid UTF-8.

use super::isprint::is_print;

/// Go's `utf8.RuneError`, U+FFFD.
pub const RUNE_ERROR: u32 = 0xfffd;
/// Go's `utf8.MaxRune`.
pub const MAX_RUNE: u32 = 0x10ffff;

/// Go's `utf8.ValidRune`: a Unicode scalar value.
pub fn valid_rune(r: u32) -> bool {
    r <= MAX_RUNE && !(0xd800..=0xdfff).contains(&r)
}

/// Go's `utf8.DecodeRune`: the first rune of `b` and its length in bytes;
/// an invalid or truncated sequence decodes as `(RUNE_ERROR, 1)` and an
/// empty input as `(RUNE_ERROR, 0)`.
pub fn decode_rune(b: &[u8]) -> (u32, usize) {
    let Some(&b0) = b.first() else {
        return (RUNE_ERROR, 0);
    };
    if b0 < 0x80 {
        return (u32::from(b0), 1);
    }
    // Length and the allowed range of the second byte, by lead byte.
    let (len, lo, hi) = match b0 {
        0xc2..=0xdf => (2, 0x80, 0xbf),
        0xe0 => (3, 0xa0, 0xbf),
        0xe1..=0xec | 0xee..=0xef => (3, 0x80, 0xbf),
        0xed => (3, 0x80, 0x9f),
        0xf0 => (4, 0x90, 0xbf),
        0xf1..=0xf3 => (4, 0x80, 0xbf),
        0xf4 => (4, 0x80, 0x8f),
        _ => return (RUNE_ERROR, 1),
    };
    if b.len() < len || !(lo..=hi).contains(&b[1]) {
        return (RUNE_ERROR, 1);
    }
    if b[2..len].iter().any(|&c| !(0x80..=0xbf).contains(&c)) {
        return (RUNE_ERROR, 1);
    }
    let mut r = u32::from(b0) & (0x7f >> len);
    for &c in &b[1..len] {
        r = (r << 6) | u32::from(c & 0x3f);
    }
    (r, len)
}

/// Go's `utf8.RuneCount`: each invalid byte counts as one rune.
pub fn rune_count(b: &[u8]) -> usize {
    let mut count = 0;
    let mut rest = b;
    while !rest.is_empty() {
        let (_, size) = decode_rune(rest);
        rest = &rest[size..];
        count += 1;
    }
    count
}

/// Appends the UTF-8 encoding of `r`, or of U+FFFD if `r` is not a valid
/// rune (Go's `utf8.AppendRune`).
pub fn push_rune(out: &mut Vec<u8>, r: u32) {
    let c = char::from_u32(r).unwrap_or(char::REPLACEMENT_CHARACTER);
    let mut tmp = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
}

const LOWER_HEX: &[u8; 16] = b"0123456789abcdef";

/// Go's `strconv.Quote` (or `QuoteToASCII` when `ascii_only`) of the bytes.
pub fn quote(s: &[u8], ascii_only: bool) -> String {
    let mut out = Vec::with_capacity(s.len() + 2);
    out.push(b'"');
    let mut rest = s;
    while !rest.is_empty() {
        let (r, width) = decode_rune(rest);
        if width == 1 && r == RUNE_ERROR {
            out.extend_from_slice(b"\\x");
            out.push(LOWER_HEX[usize::from(rest[0] >> 4)]);
            out.push(LOWER_HEX[usize::from(rest[0] & 0xf)]);
        } else {
            push_escaped(&mut out, r, b'"', ascii_only);
        }
        rest = &rest[width..];
    }
    out.push(b'"');
    // Everything written is ASCII or a valid rune's encoding.
    String::from_utf8_lossy(&out).into_owned()
}

/// Go's `strconv.QuoteRune` (or `QuoteRuneToASCII` when `ascii_only`);
/// an invalid rune is quoted as U+FFFD.
pub fn quote_rune(r: u32, ascii_only: bool) -> String {
    let r = if valid_rune(r) { r } else { RUNE_ERROR };
    let mut out = vec![b'\''];
    push_escaped(&mut out, r, b'\'', ascii_only);
    out.push(b'\'');
    String::from_utf8_lossy(&out).into_owned()
}

/// One rune inside a quoted literal (Go's `appendEscapedRune`).
fn push_escaped(out: &mut Vec<u8>, r: u32, quote: u8, ascii_only: bool) {
    if r == u32::from(quote) || r == u32::from(b'\\') {
        out.push(b'\\');
        out.push(r as u8);
        return;
    }
    let printable = if ascii_only {
        r < 0x80 && is_print(r)
    } else {
        is_print(r)
    };
    if printable {
        push_rune(out, r);
        return;
    }
    let simple = match r {
        0x07 => Some(b'a'),
        0x08 => Some(b'b'),
        0x0c => Some(b'f'),
        0x0a => Some(b'n'),
        0x0d => Some(b'r'),
        0x09 => Some(b't'),
        0x0b => Some(b'v'),
        _ => None,
    };
    if let Some(c) = simple {
        out.push(b'\\');
        out.push(c);
        return;
    }
    if r < u32::from(b' ') || r == 0x7f {
        out.extend_from_slice(b"\\x");
        push_hex(out, r, 2);
    } else {
        let r = if valid_rune(r) { r } else { RUNE_ERROR };
        if r < 0x10000 {
            out.extend_from_slice(b"\\u");
            push_hex(out, r, 4);
        } else {
            out.extend_from_slice(b"\\U");
            push_hex(out, r, 8);
        }
    }
}

fn push_hex(out: &mut Vec<u8>, r: u32, digits: u32) {
    for i in (0..digits).rev() {
        out.push(LOWER_HEX[((r >> (4 * i)) & 0xf) as usize]);
    }
}

/// Go's `strconv.CanBackquote`: the text can sit unchanged between
/// backquotes on one line (no control characters but tab, no backquote, no
/// invalid UTF-8, no byte order mark).
pub fn can_backquote(s: &[u8]) -> bool {
    let mut rest = s;
    while !rest.is_empty() {
        let (r, width) = decode_rune(rest);
        rest = &rest[width..];
        if width > 1 {
            if r == 0xfeff {
                return false;
            }
            continue;
        }
        if r == RUNE_ERROR {
            return false;
        }
        if (r < u32::from(b' ') && r != u32::from(b'\t')) || r == u32::from(b'`') || r == 0x7f {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_like_go() {
        assert_eq!(decode_rune("é".as_bytes()), (0xe9, 2));
        assert_eq!(decode_rune("😀".as_bytes()), (0x1f600, 4));
        assert_eq!(decode_rune(&[0xff]), (RUNE_ERROR, 1));
        assert_eq!(decode_rune(&[0xed, 0xa0, 0x80]), (RUNE_ERROR, 1)); // surrogate
        assert_eq!(decode_rune(&[0xe6, 0x97]), (RUNE_ERROR, 1)); // truncated
        assert_eq!(decode_rune(&[0xc0, 0x80]), (RUNE_ERROR, 1)); // overlong
        assert_eq!(decode_rune(&[]), (RUNE_ERROR, 0));
        assert_eq!(rune_count(&[b'a', 0xff, 0xe6, 0x97, 0xa5]), 3);
    }

    #[test]
    fn quotes_strings() {
        assert_eq!(quote(b"abc", false), r#""abc""#);
        assert_eq!(
            quote("\x07\x08\x0c\n\r\t\x0b\"\\".as_bytes(), false),
            r#""\a\b\f\n\r\t\v\"\\""#
        );
        assert_eq!(quote("日本語".as_bytes(), false), "\"日本語\"");
        assert_eq!(quote("日本語".as_bytes(), true), r#""\u65e5\u672c\u8a9e""#);
        assert_eq!(quote("\u{10ffff}".as_bytes(), false), r#""\U0010ffff""#);
        assert_eq!(
            quote(&[0xff, b'a', 0x7f, 0x01], false),
            r#""\xffa\x7f\x01""#
        );
        assert_eq!(quote("'".as_bytes(), false), r#""'""#);
    }

    #[test]
    fn quotes_runes() {
        assert_eq!(quote_rune(u32::from('x'), false), "'x'");
        assert_eq!(quote_rune(u32::from('\''), false), r"'\''");
        assert_eq!(quote_rune(u32::from('"'), false), "'\"'");
        assert_eq!(quote_rune(0xff, false), "'ÿ'");
        assert_eq!(quote_rune(0xff, true), r"'\u00ff'");
        assert_eq!(quote_rune(0, false), r"'\x00'");
        assert_eq!(quote_rune(0xdc80, false), "'\u{fffd}'");
        assert_eq!(quote_rune(0x110000, true), r"'\ufffd'");
    }

    #[test]
    fn backquote_rules() {
        assert!(can_backquote(b"a\tb"));
        assert!(can_backquote("日本".as_bytes()));
        assert!(!can_backquote(b"a`b"));
        assert!(!can_backquote(b"a\nb"));
        assert!(!can_backquote(b"\x7f"));
        assert!(!can_backquote(&[0xff]));
        assert!(!can_backquote("\u{feff}".as_bytes()));
    }
}
