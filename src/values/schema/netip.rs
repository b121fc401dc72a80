//! Go's `netip.ParseAddr` (Go 1.26) as far as v6's `ipv6` format needs it:
//! whether the text is an address, whether it carries a zone, and the
//! parser's error texts (`ParseAddr("::zz"): each colon-separated field
//! must have at least one digit (at "zz")`).

use crate::template::strconv::quote;

fn error(input: &str, msg: &str, at: &str) -> String {
    if at.is_empty() {
        format!("ParseAddr({}): {msg}", quote(input))
    } else {
        format!("ParseAddr({}): {msg} (at {})", quote(input), quote(at))
    }
}

/// `netip.ParseAddr(s)`: `Ok(zone)` (empty without one) or Go's error.
pub(crate) fn parse_addr(s: &str) -> Result<String, String> {
    for c in s.bytes() {
        match c {
            b'.' => return parse_ipv4_fields(s, s).map(|()| String::new()),
            b':' => return parse_ipv6(s),
            b'%' => return Err(error(s, "missing IPv6 address", "")),
            _ => {}
        }
    }
    Err(error(s, "unable to parse IP", ""))
}

/// Go's `parseIPv4Fields` over `field`, a tail of `input`.
fn parse_ipv4_fields(input: &str, field: &str) -> Result<(), String> {
    let b = field.as_bytes();
    let (mut val, mut pos, mut dig_len) = (0u32, 0, 0);
    for i in 0..b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            if dig_len == 1 && val == 0 {
                return Err(error(input, "IPv4 field has octet with leading zero", ""));
            }
            val = val * 10 + u32::from(c - b'0');
            dig_len += 1;
            if val > 255 {
                return Err(error(input, "IPv4 field has value >255", ""));
            }
        } else if c == b'.' {
            if i == 0 || i == b.len() - 1 || b[i - 1] == b'.' {
                return Err(error(
                    input,
                    "IPv4 field must have at least one digit",
                    tail(field, i),
                ));
            }
            if pos == 3 {
                return Err(error(input, "IPv4 address too long", ""));
            }
            pos += 1;
            val = 0;
            dig_len = 0;
        } else {
            return Err(error(input, "unexpected character", tail(field, i)));
        }
    }
    if pos < 3 {
        return Err(error(input, "IPv4 address too short", ""));
    }
    Ok(())
}

/// `s[i:]` (Go slices bytes; a cut inside a character is shown whole).
fn tail(s: &str, i: usize) -> &str {
    let mut i = i;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    &s[i..]
}

fn parse_ipv6(input: &str) -> Result<String, String> {
    let (mut s, zone) = match input.find('%') {
        Some(i) => {
            let zone = &input[i + 1..];
            if zone.is_empty() {
                return Err(error(input, "zone must be a non-empty string", ""));
            }
            (&input[..i], zone)
        }
        None => (input, ""),
    };
    let mut ellipsis: Option<usize> = None;
    if s.starts_with("::") {
        ellipsis = Some(0);
        s = &s[2..];
        if s.is_empty() {
            return Ok(zone.to_string());
        }
    }
    let mut i = 0;
    while i < 16 {
        let b = s.as_bytes();
        let mut off = 0;
        let mut acc: u32 = 0;
        while off < b.len() {
            let Some(d) = (b[off] as char).to_digit(16) else {
                break;
            };
            acc = (acc << 4) + d;
            if off > 3 {
                return Err(error(input, "each group must have 4 or less digits", s));
            }
            if acc > 0xFFFF {
                return Err(error(input, "IPv6 field has value >=2^16", s));
            }
            off += 1;
        }
        if off == 0 {
            return Err(error(
                input,
                "each colon-separated field must have at least one digit",
                s,
            ));
        }
        if off < b.len() && b[off] == b'.' {
            if ellipsis.is_none() && i != 12 {
                return Err(error(
                    input,
                    "embedded IPv4 address must replace the final 2 fields of the address",
                    s,
                ));
            }
            if i + 4 > 16 {
                return Err(error(
                    input,
                    "too many hex fields to fit an embedded IPv4 at the end of the address",
                    s,
                ));
            }
            parse_ipv4_fields(input, s)?;
            s = "";
            i += 4;
            break;
        }
        i += 2;
        s = &s[off..];
        if s.is_empty() {
            break;
        }
        if !s.starts_with(':') {
            return Err(error(input, "unexpected character, want colon", s));
        } else if s.len() == 1 {
            return Err(error(input, "colon must be followed by more characters", s));
        }
        s = &s[1..];
        if s.starts_with(':') {
            if ellipsis.is_some() {
                return Err(error(input, "multiple :: in address", s));
            }
            ellipsis = Some(i);
            s = &s[1..];
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return Err(error(input, "trailing garbage after address", s));
    }
    if i < 16 {
        if ellipsis.is_none() {
            return Err(error(input, "address string too short", ""));
        }
    } else if ellipsis.is_some() {
        return Err(error(
            input,
            "the :: must expand to at least one field of zeros",
            "",
        ));
    }
    Ok(zone.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_like_netip() {
        assert_eq!(parse_addr("::1"), Ok(String::new()));
        assert_eq!(parse_addr("fe80::1%en0"), Ok("en0".to_string()));
        assert_eq!(parse_addr("::ffff:1.2.3.4"), Ok(String::new()));
        assert_eq!(
            parse_addr("::zz").unwrap_err(),
            "ParseAddr(\"::zz\"): each colon-separated field must have at least one digit (at \"zz\")"
        );
        assert_eq!(
            parse_addr("::1 x").unwrap_err(),
            "ParseAddr(\"::1 x\"): unexpected character, want colon (at \" x\")"
        );
        assert_eq!(
            parse_addr("1.2.3.4:5").unwrap_err(),
            "ParseAddr(\"1.2.3.4:5\"): unexpected character (at \":5\")"
        );
        assert_eq!(
            parse_addr("::1%").unwrap_err(),
            "ParseAddr(\"::1%\"): zone must be a non-empty string"
        );
        assert_eq!(
            parse_addr("1:2:3:4:5:6:7:8:9").unwrap_err(),
            "ParseAddr(\"1:2:3:4:5:6:7:8:9\"): trailing garbage after address (at \"9\")"
        );
        assert_eq!(
            parse_addr("1::2::3").unwrap_err(),
            "ParseAddr(\"1::2::3\"): multiple :: in address (at \":3\")"
        );
    }
}
