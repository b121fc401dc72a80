//! The `format` checks of santhosh-tekuri/jsonschema v6 (`format.go`),
//! with its messages: they apply to strings only, and lean on Go's
//! `regexp`, `time.Parse`, `strconv.Atoi`, `net/netip` and `net/url`
//! (whose error texts show through). Formats v6 does not know (the `idn-`
//! ones among them) are not checked.

use super::gourl::path_unescape;
use super::json::Json;
use super::roots::go_atoi;
use crate::funcs::regex::GoRegex;
use crate::template::strconv::quote_rune;

/// A named format check.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Format {
    pub name: &'static str,
    pub validate: fn(&Json) -> Result<(), String>,
}

/// The format v6 asserts for `name`, if any.
pub(crate) fn lookup(name: &str) -> Option<Format> {
    CHECKS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(name, validate)| Format { name, validate })
}

/// Each format's check over JSON values (non-strings pass).
macro_rules! on_strings {
    ($($name:literal => $f:ident),* $(,)?) => {
        const CHECKS: &[(&str, fn(&Json) -> Result<(), String>)] = &[
            $(($name, |v: &Json| match v.as_str() { Some(s) => $f(s), None => Ok(()) })),*
        ];
    };
}

on_strings! {
    "regex" => regex,
    "json-pointer" => json_pointer,
    "relative-json-pointer" => relative_json_pointer,
    "uuid" => uuid,
    "duration" => duration,
    "period" => period,
    "ipv4" => ipv4,
    "ipv6" => ipv6,
    "hostname" => hostname,
    "email" => email,
    "date" => date,
    "time" => time,
    "date-time" => date_time,
    "uri" => uri,
    "iri" => uri,
    "uri-reference" => uri_reference,
    "iri-reference" => uri_reference,
    "uri-template" => uri_template,
    "semver" => semver,
}

fn regex(s: &str) -> Result<(), String> {
    GoRegex::compile(s).map(|_| ()).map_err(|e| e.to_string())
}

fn json_pointer(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Ok(());
    }
    let Some(rest) = s.strip_prefix('/') else {
        return Err("not starting with /".to_string());
    };
    for tok in rest.split('/') {
        let mut escape = false;
        for ch in tok.chars() {
            if escape {
                escape = false;
                if ch != '0' && ch != '1' {
                    return Err("~ must be followed by 0 or 1".to_string());
                }
                continue;
            }
            if ch == '~' {
                escape = true;
                continue;
            }
            let ok = matches!(ch, '\x00'..='\x2E' | '\x30'..='\x7D' | '\x7F'..='\u{10FFFF}');
            if !ok {
                return Err(format!("invalid character {}", quote_rune(ch)));
            }
        }
        if escape {
            return Err("~ must be followed by 0 or 1".to_string());
        }
    }
    Ok(())
}

fn relative_json_pointer(s: &str) -> Result<(), String> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return Err("must start with non-negative integer".to_string());
    }
    if digits > 1 && s.starts_with('0') {
        return Err("starts with zero".to_string());
    }
    let rest = &s[digits..];
    if rest == "#" {
        return Ok(());
    }
    json_pointer(rest)
}

fn uuid(s: &str) -> Result<(), String> {
    const GROUPS: [usize; 5] = [8, 4, 4, 4, 12];
    let groups: Vec<&str> = s.split('-').collect();
    if groups.len() != GROUPS.len() {
        return Err(format!("must have {} elements", GROUPS.len()));
    }
    for (i, group) in groups.iter().enumerate() {
        if group.len() != GROUPS[i] {
            return Err(format!(
                "element {} must be {} characters long",
                i + 1,
                GROUPS[i]
            ));
        }
        if let Some(ch) = group.chars().find(|c| !c.is_ascii_hexdigit()) {
            return Err(format!("non-hex character {}", quote_rune(ch)));
        }
    }
    Ok(())
}

fn duration(s: &str) -> Result<(), String> {
    let Some(s) = s.strip_prefix('P') else {
        return Err("must start with P".to_string());
    };
    if s.is_empty() {
        return Err("nothing after P".to_string());
    }
    if let Some(week) = s.strip_suffix('W') {
        if week.is_empty() {
            return Err("no number in week".to_string());
        }
        if !week.bytes().all(|c| c.is_ascii_digit()) {
            return Err("invalid week".to_string());
        }
        return Ok(());
    }
    const ALL_UNITS: [&str; 2] = ["YMD", "HMS"];
    for (i, part) in s.split('T').enumerate() {
        if i != 0 && part.is_empty() {
            return Err("no time elements".to_string());
        }
        if i >= ALL_UNITS.len() {
            return Err("more than one T".to_string());
        }
        let mut units = ALL_UNITS[i];
        let mut rest = part;
        while !rest.is_empty() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err("missing number".to_string());
            }
            rest = &rest[digits..];
            let Some(&unit) = rest.as_bytes().first() else {
                return Err("missing unit".to_string());
            };
            match units.bytes().position(|u| u == unit) {
                Some(j) => units = &units[j + 1..],
                None => {
                    let q = quote_rune(char::from(unit));
                    if ALL_UNITS[i].bytes().any(|u| u == unit) {
                        return Err(format!("unit {q} out of order"));
                    }
                    return Err(format!("invalid unit {q}"));
                }
            }
            rest = rest.get(1..).unwrap_or("");
        }
    }
    Ok(())
}

fn ipv4(s: &str) -> Result<(), String> {
    let groups: Vec<&str> = s.split('.').collect();
    if groups.len() != 4 {
        return Err("expected four decimals".to_string());
    }
    for group in groups {
        if group.len() > 1 && group.starts_with('0') {
            return Err("leading zeros".to_string());
        }
        let n = go_atoi(group)?;
        if !(0..=255).contains(&n) {
            return Err("decimal must be between 0 and 255".to_string());
        }
    }
    Ok(())
}

fn ipv6(s: &str) -> Result<(), String> {
    if !s.contains(':') {
        return Err("missing colon".to_string());
    }
    if !super::netip::parse_addr(s)?.is_empty() {
        return Err("zone id is not a part of ipv6 address".to_string());
    }
    Ok(())
}

fn hostname(s: &str) -> Result<(), String> {
    let s = s.strip_suffix('.').unwrap_or(s);
    if s.len() > 253 {
        return Err("more than 253 characters long".to_string());
    }
    for label in s.split('.') {
        if label.is_empty() || label.len() > 63 {
            return Err("label must be 1 to 63 characters long".to_string());
        }
        if label.starts_with('-') {
            return Err("label starts with hyphen".to_string());
        }
        if label.ends_with('-') {
            return Err("label ends with hyphen".to_string());
        }
        if let Some(ch) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            return Err(format!("invalid character {}", quote_rune(ch)));
        }
    }
    Ok(())
}

fn email(s: &str) -> Result<(), String> {
    if s.len() > 254 {
        return Err("more than 255 characters long".to_string());
    }
    let Some(at) = s.rfind('@') else {
        return Err("missing @".to_string());
    };
    let (local, domain) = (&s[..at], &s[at + 1..]);
    if local.len() > 64 {
        return Err("local part more than 64 characters long".to_string());
    }
    if local.len() > 1 && local.starts_with('"') {
        // v6 tests the opening quote twice; the closing one is assumed.
        let inner = local.get(1..local.len() - 1).unwrap_or("");
        if inner.contains('\\') || inner.contains('"') {
            return Err("backslash and quote are not allowed within quoted local part".to_string());
        }
    } else {
        if local.starts_with('.') {
            return Err("starts with dot".to_string());
        }
        if local.ends_with('.') {
            return Err("ends with dot".to_string());
        }
        if local.contains("..") {
            return Err("consecutive dots".to_string());
        }
        if let Some(ch) = local
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || ".!#$%&'*+-/=?^_`{|}~".contains(*c)))
        {
            return Err(format!("invalid character {}", quote_rune(ch)));
        }
    }
    if domain.len() >= 2 && domain.starts_with('[') && domain.ends_with(']') {
        let inner = &domain[1..domain.len() - 1];
        if let Some(rem) = inner.strip_prefix("IPv6:") {
            return ipv6(rem).map_err(|e| format!("invalid ipv6 address: {e}"));
        }
        return ipv4(inner).map_err(|e| format!("invalid ipv4 address: {e}"));
    }
    hostname(domain).map_err(|e| format!("invalid domain: {e}"))
}

fn date(s: &str) -> Result<(), String> {
    crate::funcs::gotime::parse::parse_utc("2006-01-02", s)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn time(s: &str) -> Result<(), String> {
    let b = s.as_bytes();
    if b.len() < 9 {
        return Err("less than 9 characters long".to_string());
    }
    if b[2] != b':' || b[5] != b':' {
        return Err("missing colon in correct place".to_string());
    }
    let mut hms = Vec::new();
    for tok in s.get(..8).unwrap_or("").splitn(3, ':') {
        let i = go_atoi(tok).map_err(|_| "invalid hour/min/sec".to_string())?;
        if i < 0 {
            return Err("non-positive hour/min/sec".to_string());
        }
        hms.push(i);
    }
    if hms.len() != 3 {
        return Err("missing hour/min/sec".to_string());
    }
    let (mut h, mut m, sec) = (hms[0], hms[1], hms[2]);
    if h > 23 || m > 59 || sec > 60 {
        return Err("hour/min/sec out of range".to_string());
    }
    let mut rest = s.get(8..).unwrap_or("");
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err("no digits in second fraction".to_string());
        }
        rest = &frac[digits..];
    }
    if rest != "z" && rest != "Z" {
        if rest.len() != 6 {
            return Err("offset must be 6 characters long".to_string());
        }
        let sign: i64 = match rest.as_bytes()[0] {
            b'+' => -1,
            b'-' => 1,
            _ => return Err("offset must begin with plus/minus".to_string()),
        };
        let rest = &rest[1..];
        if rest.as_bytes()[2] != b':' {
            return Err("missing colon in offset in correct place".to_string());
        }
        let mut zhm = Vec::new();
        for tok in rest.splitn(2, ':') {
            let i = go_atoi(tok).map_err(|_| "invalid hour/min in offset".to_string())?;
            if i < 0 {
                return Err("non-positive hour/min in offset".to_string());
            }
            zhm.push(i);
        }
        let (zh, zm) = (zhm[0], zhm[1]);
        if zh > 23 || zm > 59 {
            return Err("hour/min in offset out of range".to_string());
        }
        let mut hm = (h * 60 + m) + sign * (zh * 60 + zm);
        if hm < 0 {
            hm += 24 * 60;
        }
        (h, m) = (hm / 60, hm % 60);
    }
    if sec >= 60 && (h != 23 || m != 59) {
        return Err("invalid leap second".to_string());
    }
    Ok(())
}

fn date_time(s: &str) -> Result<(), String> {
    let b = s.as_bytes();
    if b.len() < 20 {
        return Err("less than 20 characters long".to_string());
    }
    if b[10] != b't' && b[10] != b'T' {
        return Err("11th character must be t or T".to_string());
    }
    // Go slices bytes; a split character makes both halves invalid text.
    let (d, t) = (
        String::from_utf8_lossy(&b[..10]),
        String::from_utf8_lossy(&b[11..]),
    );
    date(&d).map_err(|e| format!("invalid date element: {e}"))?;
    time(&t).map_err(|e| format!("invalid time element: {e}"))
}

/// v6's `parseURL`: Go's `url.Parse` plus a check of IPv6 hosts.
fn parse_url(s: &str) -> Result<crate::funcs::url::Url, String> {
    let u = crate::funcs::url::parse(s)?;
    let host = String::from_utf8_lossy(&u.hostname()).into_owned();
    if host.contains(':') {
        let h = String::from_utf8_lossy(&u.host);
        if !h.contains('[') || !h.contains(']') {
            return Err("ipv6 address not enclosed in brackets".to_string());
        }
        ipv6(&host).map_err(|e| format!("invalid ipv6 address: {e}"))?;
    }
    Ok(u)
}

fn uri(s: &str) -> Result<(), String> {
    let u = parse_url(s)?;
    if u.scheme.is_empty() {
        return Err("relative url".to_string());
    }
    Ok(())
}

fn uri_reference(s: &str) -> Result<(), String> {
    if s.contains('\\') {
        return Err("contains \\".to_string());
    }
    parse_url(s).map(|_| ())
}

fn uri_template(s: &str) -> Result<(), String> {
    let u = parse_url(s)?;
    for tok in u.raw_path.split('/') {
        let tok = path_unescape(tok).map_err(|e| format!("percent decode failed: {e}"))?;
        let mut want = true;
        for ch in tok.chars() {
            let got = match ch {
                '{' => true,
                '}' => false,
                _ => continue,
            };
            if got != want {
                return Err("nested curly braces".to_string());
            }
            want = !want;
        }
        if !want {
            return Err("no matching closing brace".to_string());
        }
    }
    Ok(())
}

fn period(s: &str) -> Result<(), String> {
    let Some(slash) = s.find('/') else {
        return Err("missing slash".to_string());
    };
    let (start, end) = (&s[..slash], &s[slash + 1..]);
    if start.starts_with('P') {
        duration(start).map_err(|e| format!("invalid start duration: {e}"))?;
        date_time(end).map_err(|e| format!("invalid end date-time: {e}"))?;
    } else {
        date_time(start).map_err(|e| format!("invalid start date-time: {e}"))?;
        if end.starts_with('P') {
            duration(end).map_err(|e| format!("invalid end duration: {e}"))?;
        } else {
            date_time(end).map_err(|e| format!("invalid end date-time: {e}"))?;
        }
    }
    Ok(())
}

fn semver(s: &str) -> Result<(), String> {
    let mut s = s;
    if let Some(i) = s.find('+') {
        let build = &s[i + 1..];
        if build.is_empty() {
            return Err("build is empty".to_string());
        }
        for id in build.split('.') {
            if id.is_empty() {
                return Err("build identifier is empty".to_string());
            }
            if let Some(ch) = id
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
            {
                return Err(format!(
                    "invalid character {} in build identifier",
                    quote_rune(ch)
                ));
            }
        }
        s = &s[..i];
    }
    if let Some(i) = s.find('-') {
        for id in s[i + 1..].split('.') {
            if id.is_empty() {
                return Err("pre-release identifier is empty".to_string());
            }
            if let Some(ch) = id
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
            {
                return Err(format!(
                    "invalid character {} in pre-release identifier",
                    quote_rune(ch)
                ));
            }
            let all_digits = id.bytes().all(|c| c.is_ascii_digit());
            if all_digits && id.len() > 1 && id.starts_with('0') {
                return Err("pre-release numeric identifier starts with zero".to_string());
            }
        }
        s = &s[..i];
    }
    let versions: Vec<&str> = s.split('.').collect();
    if versions.len() != 3 {
        return Err("versionCore must have 3 numbers separated by dot".to_string());
    }
    for (name, v) in ["major", "minor", "patch"].iter().zip(versions) {
        if v.is_empty() {
            return Err(format!("{name} is empty"));
        }
        if v.len() > 1 && v.starts_with('0') {
            return Err(format!("{name} starts with zero"));
        }
        if !v.bytes().all(|c| c.is_ascii_digit()) {
            return Err(format!("{name} contains non-digit"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, s: &str) -> Result<(), String> {
        (lookup(name).unwrap().validate)(&Json::String(s.into()))
    }

    #[test]
    fn messages_match_v6() {
        assert_eq!(check("email", "not-an-email").unwrap_err(), "missing @");
        assert_eq!(
            check("date-time", "2020-13-01T00:00:00Z").unwrap_err(),
            "invalid date element: parsing time \"2020-13-01\": month out of range"
        );
        assert_eq!(
            check("date", "2020-02-30").unwrap_err(),
            "parsing time \"2020-02-30\": day out of range"
        );
        assert_eq!(
            check("time", "25:00:00Z").unwrap_err(),
            "hour/min/sec out of range"
        );
        assert_eq!(
            check("ipv4", "256.1.1.1").unwrap_err(),
            "decimal must be between 0 and 255"
        );
        assert_eq!(
            check("ipv4", "1.2.3.x").unwrap_err(),
            "strconv.Atoi: parsing \"x\": invalid syntax"
        );
        assert_eq!(
            check("ipv6", "::zz").unwrap_err(),
            "ParseAddr(\"::zz\"): each colon-separated field must have at least one digit (at \"zz\")"
        );
        assert_eq!(
            check("ipv6", "fe80::1%en0").unwrap_err(),
            "zone id is not a part of ipv6 address"
        );
        assert!(check("ipv6", "::1").is_ok());
        assert_eq!(
            check("hostname", "-bad-.com").unwrap_err(),
            "label starts with hyphen"
        );
        assert_eq!(check("uri", "not a uri").unwrap_err(), "relative url");
        assert_eq!(
            check("uri-reference", "\\\\bad").unwrap_err(),
            "contains \\"
        );
        assert_eq!(check("uuid", "1234").unwrap_err(), "must have 5 elements");
        assert_eq!(check("duration", "P1X").unwrap_err(), "invalid unit 'X'");
        assert_eq!(
            check("duration", "P1D1Y").unwrap_err(),
            "unit 'Y' out of order"
        );
        assert_eq!(
            check("regex", "(unclosed").unwrap_err(),
            "error parsing regexp: missing closing ): `(unclosed`"
        );
        assert_eq!(
            check("json-pointer", "abc").unwrap_err(),
            "not starting with /"
        );
        assert_eq!(
            check("relative-json-pointer", "x").unwrap_err(),
            "must start with non-negative integer"
        );
        assert_eq!(
            check("uri-template", "{").unwrap_err(),
            "no matching closing brace"
        );
        assert_eq!(check("period", "x").unwrap_err(), "missing slash");
        assert_eq!(
            check("semver", "1.2").unwrap_err(),
            "versionCore must have 3 numbers separated by dot"
        );
        assert!(check("semver", "1.2.3-rc.1+build.5").is_ok());
        assert!(lookup("idn-hostname").is_none());
        assert!((lookup("email").unwrap().validate)(&Json::Bool(true)).is_ok());
    }
}
