//! Go's `strconv` string quoting (`Quote`, `QuoteToASCII`, `Unquote`), used by
//! node printing, `%q` and the parser's string literals.

/// Whether Go's `strconv.IsPrint` holds for `c` (letters, marks, numbers,
/// punctuation, symbols and the ASCII space), from Unicode's tables.
pub fn is_print(c: char) -> bool {
    super::fmt::is_print(c as u32)
}

/// Go's `strconv.Quote`: a double-quoted Go string literal.
pub fn quote(s: &str) -> String {
    super::fmt::quote_bytes(s.as_bytes(), false)
}

/// Go's `strconv.QuoteToASCII`.
pub fn quote_to_ascii(s: &str) -> String {
    super::fmt::quote_bytes(s.as_bytes(), true)
}

/// Go's `strconv.QuoteRune`.
pub fn quote_rune(c: char) -> String {
    super::fmt::quote_rune(c as u32, false)
}

/// Go's `strconv.QuoteRuneToASCII`.
pub fn quote_rune_to_ascii(c: char) -> String {
    super::fmt::quote_rune(c as u32, true)
}

/// Go's `strconv.underscoreOK`: whether the underscores in a number literal
/// are well placed (only between digits, or between a base prefix and a
/// digit; an optional sign first).
pub fn underscores_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    // '^' at the start, '0' after a digit or prefix, '_' after an
    // underscore, '!' after anything else.
    let mut saw = b'^';
    let mut hex = false;
    if b.len() >= i + 2 && b[i] == b'0' && matches!(b[i + 1] | 0x20, b'b' | b'o' | b'x') {
        hex = b[i + 1] | 0x20 == b'x';
        i += 2;
        saw = b'0';
    }
    for &c in &b[i..] {
        if c.is_ascii_digit() || (hex && c.is_ascii_hexdigit()) {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
    }
    saw != b'_'
}

/// Go's `strconv.CanBackquote`: whether `s` can be a raw string literal.
pub fn can_backquote(s: &str) -> bool {
    s.chars()
        .all(|c| c != '`' && c != '\u{FEFF}' && (c == '\t' || !(c < ' ' || c == '\u{7f}')))
}

/// Go's `strconv.Unquote` for `"…"`, `'…'` and `` `…` `` literals. Errors are
/// Go's `invalid syntax`.
pub fn unquote(s: &str) -> Result<String, &'static str> {
    const SYNTAX: &str = "invalid syntax";
    let bytes = s.as_bytes();
    if bytes.len() < 2 {
        return Err(SYNTAX);
    }
    let quote = bytes[0];
    if quote != bytes[bytes.len() - 1] {
        return Err(SYNTAX);
    }
    let body = &s[1..s.len() - 1];
    match quote {
        b'`' => {
            if body.contains('`') {
                return Err(SYNTAX);
            }
            Ok(body.replace('\r', ""))
        }
        b'"' | b'\'' => {
            let mut out = String::with_capacity(body.len());
            let mut chars = body.chars().peekable();
            let mut count = 0;
            while let Some(c) = chars.next() {
                count += 1;
                if c == quote as char && quote == b'"' {
                    return Err(SYNTAX);
                }
                if c == '\n' {
                    return Err(SYNTAX);
                }
                if c != '\\' {
                    if c == '\'' && quote == b'\'' {
                        return Err(SYNTAX);
                    }
                    out.push(c);
                    continue;
                }
                let e = chars.next().ok_or(SYNTAX)?;
                match e {
                    'a' => out.push('\u{7}'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'v' => out.push('\u{b}'),
                    '\\' => out.push('\\'),
                    '\'' | '"' => {
                        if e as u32 != quote as u32 {
                            return Err(SYNTAX);
                        }
                        out.push(e);
                    }
                    'x' | 'u' | 'U' => {
                        let n = match e {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let mut v: u32 = 0;
                        for _ in 0..n {
                            let d = chars.next().and_then(|d| d.to_digit(16)).ok_or(SYNTAX)?;
                            v = v * 16 + d;
                        }
                        if e == 'x' {
                            if quote == b'\'' {
                                out.push(char::from_u32(v).ok_or(SYNTAX)?);
                            } else if v < 0x80 {
                                out.push(v as u8 as char);
                            } else {
                                // A single non-UTF-8 byte: not representable in a Rust string.
                                return Err(SYNTAX);
                            }
                        } else {
                            out.push(char::from_u32(v).ok_or(SYNTAX)?);
                        }
                    }
                    '0'..='7' => {
                        let mut v = e.to_digit(8).unwrap_or(0);
                        for _ in 0..2 {
                            let d = chars.next().and_then(|d| d.to_digit(8)).ok_or(SYNTAX)?;
                            v = v * 8 + d;
                        }
                        if v > 255 {
                            return Err(SYNTAX);
                        }
                        if v < 0x80 || quote == b'\'' {
                            out.push(char::from_u32(v).ok_or(SYNTAX)?);
                        } else {
                            return Err(SYNTAX);
                        }
                    }
                    _ => return Err(SYNTAX),
                }
            }
            if quote == b'\'' && count != 1 && out.chars().count() != 1 {
                return Err(SYNTAX);
            }
            Ok(out)
        }
        _ => Err(SYNTAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_like_go() {
        assert_eq!(quote("a\"b\\c\n"), r#""a\"b\\c\n""#);
        assert_eq!(quote("\u{1}\u{7f}é\u{200b}"), r#""\x01\x7fé\u200b""#);
        assert_eq!(quote_to_ascii("é☺\u{1F600}"), r#""\u00e9\u263a\U0001f600""#);
        assert_eq!(quote_rune('\''), r"'\''");
    }

    #[test]
    fn underscores_like_go() {
        assert!(underscores_ok("1_000"));
        assert!(underscores_ok("0x_1F"));
        assert!(underscores_ok("-0b1_0"));
        assert!(!underscores_ok("_1"));
        assert!(!underscores_ok("1__0"));
        assert!(!underscores_ok("1_"));
        assert!(!underscores_ok("1_.5"));
    }

    #[test]
    fn unquotes_like_go() {
        assert_eq!(unquote(r#""a\tb\x41\u00e9\101""#).unwrap(), "a\tbAéA");
        assert_eq!(unquote("`raw\\n`").unwrap(), "raw\\n");
        assert_eq!(unquote("'a'").unwrap(), "a");
        assert!(unquote(r#""bad\q""#).is_err());
        assert!(unquote("\"open").is_err());
    }
}
