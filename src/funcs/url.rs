//! Sprig v3.3.0's `urlParse` and `urlJoin` (`url.go`) over a port of the
//! parts of Go 1.26's `net/url` they use: `url.Parse` (with its error
//! texts, the `urlstrictcolons` default of Go 1.26 and `netip` validation
//! of bracketed hosts), `Hostname`, `Userinfo.String` and `URL.String`
//! with Go's escaping tables.
//!
//! Go strings may hold any bytes; `%`-unescaping can produce invalid UTF-8,
//! which this data model cannot carry, so such bytes become U+FFFD.

use crate::template::fmt::quote_bytes;
use crate::template::{Func, FuncError, ParamType, Templates};
use crate::value::{Map, Value};

/// Go's `net/url` escaping modes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    Path,
    PathSegment,
    Host,
    Zone,
    UserPassword,
    QueryComponent,
    Fragment,
}

/// Go's `shouldEscape`.
pub(crate) fn should_escape(c: u8, mode: Mode) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    if matches!(mode, Mode::Host | Mode::Zone)
        && matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'"'
        )
    {
        return false;
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => return false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => match mode {
            Mode::Path => return c == b'?',
            Mode::PathSegment => return matches!(c, b'/' | b';' | b',' | b'?'),
            Mode::UserPassword => return matches!(c, b'@' | b'/' | b'?' | b':'),
            Mode::QueryComponent => return true,
            Mode::Fragment => return false,
            Mode::Host | Mode::Zone => {}
        },
        _ => {}
    }
    if mode == Mode::Fragment && matches!(c, b'!' | b'(' | b')' | b'*') {
        return false;
    }
    true
}

/// Go's `escape`.
pub(crate) fn escape(s: &[u8], mode: Mode) -> Vec<u8> {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = Vec::with_capacity(s.len());
    for &c in s {
        if c == b' ' && mode == Mode::QueryComponent {
            out.push(b'+');
        } else if should_escape(c, mode) {
            out.extend_from_slice(&[b'%', HEX[usize::from(c >> 4)], HEX[usize::from(c & 15)]]);
        } else {
            out.push(c);
        }
    }
    out
}

fn unhex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => c - b'A' + 10,
    }
}

/// Go's `unescape`; errors are `EscapeError` / `InvalidHostError` texts.
pub(crate) fn unescape(s: &[u8], mode: Mode) -> Result<Vec<u8>, String> {
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'%' => {
                if i + 2 >= s.len()
                    || !s[i + 1].is_ascii_hexdigit()
                    || !s[i + 2].is_ascii_hexdigit()
                {
                    let bad = &s[i..s.len().min(i + 3)];
                    return Err(format!("invalid URL escape {}", quote_bytes(bad, false)));
                }
                let seq = &s[i..i + 3];
                if mode == Mode::Host && unhex(s[i + 1]) < 8 && seq != b"%25" {
                    return Err(format!("invalid URL escape {}", quote_bytes(seq, false)));
                }
                if mode == Mode::Zone {
                    let v = unhex(s[i + 1]) << 4 | unhex(s[i + 2]);
                    if seq != b"%25" && v != b' ' && should_escape(v, Mode::Host) {
                        return Err(format!("invalid URL escape {}", quote_bytes(seq, false)));
                    }
                }
                i += 3;
            }
            c => {
                if matches!(mode, Mode::Host | Mode::Zone) && c < 0x80 && should_escape(c, mode) {
                    return Err(format!(
                        "invalid character {} in host name",
                        quote_bytes(&[c], false)
                    ));
                }
                i += 1;
            }
        }
    }
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'%' => {
                out.push(unhex(s[i + 1]) << 4 | unhex(s[i + 2]));
                i += 3;
            }
            b'+' if mode == Mode::QueryComponent => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(out)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Go's `url.Userinfo`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Userinfo {
    pub username: Vec<u8>,
    pub password: Option<Vec<u8>>,
}

impl Userinfo {
    /// Go's `Userinfo.String`: `username[:password]`, escaped.
    pub fn to_go_string(&self) -> String {
        let mut s = escape(&self.username, Mode::UserPassword);
        if let Some(p) = &self.password {
            s.push(b':');
            s.extend(escape(p, Mode::UserPassword));
        }
        text(&s)
    }
}

/// Go's `url.URL` (the fields Sprig reads and writes).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Url {
    pub scheme: String,
    pub opaque: String,
    pub user: Option<Userinfo>,
    pub host: Vec<u8>,
    pub path: Vec<u8>,
    pub raw_path: String,
    pub force_query: bool,
    pub raw_query: String,
    pub fragment: Vec<u8>,
    pub raw_fragment: String,
    pub omit_host: bool,
}

/// Go's `getScheme`.
fn get_scheme(raw: &str) -> Result<(&str, &str), String> {
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' if i == 0 => return Err("missing protocol scheme".to_string()),
            b':' => return Ok((&raw[..i], &raw[i + 1..])),
            _ => return Ok(("", raw)),
        }
    }
    Ok(("", raw))
}

/// Go's `url.Parse`; the error is `*url.Error`'s text.
pub fn parse(raw: &str) -> Result<Url, String> {
    let (u, frag) = raw.split_once('#').unwrap_or((raw, ""));
    let mut url = parse_without_fragment(u)
        .map_err(|e| format!("parse {}: {e}", quote_bytes(u.as_bytes(), false)))?;
    if frag.is_empty() {
        return Ok(url);
    }
    let f = unescape(frag.as_bytes(), Mode::Fragment)
        .map_err(|e| format!("parse {}: {e}", quote_bytes(raw.as_bytes(), false)))?;
    url.raw_fragment = if escape(&f, Mode::Fragment) == frag.as_bytes() {
        String::new()
    } else {
        frag.to_string()
    };
    url.fragment = f;
    Ok(url)
}

/// Go's `parse(rawURL, false)`.
fn parse_without_fragment(raw: &str) -> Result<Url, String> {
    if raw.bytes().any(|b| b < b' ' || b == 0x7F) {
        return Err("net/url: invalid control character in URL".to_string());
    }
    let mut url = Url::default();
    if raw == "*" {
        url.path = b"*".to_vec();
        return Ok(url);
    }
    let (scheme, mut rest) = get_scheme(raw)?;
    url.scheme = scheme.to_ascii_lowercase();
    if rest.ends_with('?') && rest.matches('?').count() == 1 {
        url.force_query = true;
        rest = &rest[..rest.len() - 1];
    } else if let Some((r, q)) = rest.split_once('?') {
        rest = r;
        url.raw_query = q.to_string();
    }
    if !rest.starts_with('/') {
        if !url.scheme.is_empty() {
            // A rootless path: opaque.
            url.opaque = rest.to_string();
            return Ok(url);
        }
        let segment = rest.split('/').next().unwrap_or_default();
        if segment.contains(':') {
            return Err("first path segment in URL cannot contain colon".to_string());
        }
    }
    if (!url.scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let authority_and_path = &rest[2..];
        let (authority, path) = match authority_and_path.find('/') {
            Some(i) => authority_and_path.split_at(i),
            None => (authority_and_path, ""),
        };
        let (user, host) = parse_authority(&url.scheme, authority)?;
        url.user = user;
        url.host = host;
        rest = path;
    } else if !url.scheme.is_empty() && rest.starts_with('/') {
        url.omit_host = true;
    }
    let path = unescape(rest.as_bytes(), Mode::Path)?;
    url.raw_path = if escape(&path, Mode::Path) == rest.as_bytes() {
        String::new()
    } else {
        rest.to_string()
    };
    url.path = path;
    Ok(url)
}

/// Go's `parseAuthority`.
fn parse_authority(scheme: &str, authority: &str) -> Result<(Option<Userinfo>, Vec<u8>), String> {
    let at = authority.rfind('@');
    let host = parse_host(scheme, at.map_or(authority, |i| &authority[i + 1..]))?;
    let Some(i) = at else {
        return Ok((None, host));
    };
    let userinfo = &authority[..i];
    if !valid_userinfo(userinfo) {
        return Err("net/url: invalid userinfo".to_string());
    }
    let user = match userinfo.split_once(':') {
        None => Userinfo {
            username: unescape(userinfo.as_bytes(), Mode::UserPassword)?,
            password: None,
        },
        Some((name, password)) => Userinfo {
            username: unescape(name.as_bytes(), Mode::UserPassword)?,
            password: Some(unescape(password.as_bytes(), Mode::UserPassword)?),
        },
    };
    Ok((Some(user), host))
}

/// Go's `validUserinfo` (RFC 3986 §3.2.1, plus `@`).
fn valid_userinfo(s: &str) -> bool {
    s.chars().all(|c| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                '-' | '.'
                    | '_'
                    | ':'
                    | '~'
                    | '!'
                    | '$'
                    | '&'
                    | '\''
                    | '('
                    | ')'
                    | '*'
                    | '+'
                    | ','
                    | ';'
                    | '='
                    | '%'
                    | '@'
            )
    })
}

/// Go's `validOptionalPort`: empty or `:` followed by digits.
fn valid_optional_port(port: &str) -> bool {
    port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()))
}

/// Go's `parseHost` (Go 1.26 with the default `urlstrictcolons=1`).
fn parse_host(scheme: &str, host: &str) -> Result<Vec<u8>, String> {
    match host.rfind('[') {
        Some(i) if i > 0 => return Err("invalid IP-literal".to_string()),
        Some(_) => {
            let Some(close) = host.rfind(']') else {
                return Err("missing ']' in host".to_string());
            };
            let colon_port = &host[close + 1..];
            if !valid_optional_port(colon_port) {
                return Err(format!(
                    "invalid port {} after host",
                    quote_bytes(colon_port.as_bytes(), false)
                ));
            }
            let port = unescape(colon_port.as_bytes(), Mode::Host)?;
            let hostname = &host[1..close];
            let unescaped = match hostname.find("%25") {
                Some(z) => {
                    let mut h = unescape(&hostname.as_bytes()[..z], Mode::Host)?;
                    h.extend(unescape(&hostname.as_bytes()[z..], Mode::Zone)?);
                    h
                }
                None => unescape(hostname.as_bytes(), Mode::Host)?,
            };
            match parse_addr(&unescaped) {
                Err(e) => return Err(format!("invalid host: {e}")),
                Ok(true) => return Err("invalid IP-literal".to_string()),
                Ok(false) => {}
            }
            let mut out = b"[".to_vec();
            out.extend(unescaped);
            out.push(b']');
            out.extend(port);
            return Ok(out);
        }
        None => {}
    }
    if let Some(first) = host.find(':') {
        let last = host.rfind(':').unwrap_or(first);
        // Go 1.26: a second colon is a bad port for http(s) URLs.
        let i = if scheme == "http" || scheme == "https" {
            first
        } else {
            last
        };
        let colon_port = &host[i..];
        if !valid_optional_port(colon_port) {
            return Err(format!(
                "invalid port {} after host",
                quote_bytes(colon_port.as_bytes(), false)
            ));
        }
    }
    unescape(host.as_bytes(), Mode::Host)
}

/// Go's `netip.ParseAddr`: whether the address is IPv4, or its error text.
fn parse_addr(s: &[u8]) -> Result<bool, String> {
    for &c in s {
        match c {
            b'.' => return parse_ipv4_fields(s, s).map(|_| true),
            b':' => return parse_ipv6(s).map(|_| false),
            b'%' => return Err(addr_error(s, "missing IPv6 address", None)),
            _ => {}
        }
    }
    Err(addr_error(s, "unable to parse IP", None))
}

fn addr_error(input: &[u8], msg: &str, at: Option<&[u8]>) -> String {
    let mut s = format!("ParseAddr({}): {msg}", quote_bytes(input, false));
    if let Some(at) = at.filter(|a| !a.is_empty()) {
        s.push_str(&format!(" (at {})", quote_bytes(at, false)));
    }
    s
}

/// Go's `parseIPv4Fields` over `field` (a part of `input`).
fn parse_ipv4_fields(input: &[u8], field: &[u8]) -> Result<(), String> {
    let (mut val, mut pos, mut digits) = (0u32, 0, 0);
    for (i, &c) in field.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                if digits == 1 && val == 0 {
                    return Err(addr_error(
                        input,
                        "IPv4 field has octet with leading zero",
                        None,
                    ));
                }
                val = val * 10 + u32::from(c - b'0');
                digits += 1;
                if val > 255 {
                    return Err(addr_error(input, "IPv4 field has value >255", None));
                }
            }
            b'.' => {
                if i == 0 || i == field.len() - 1 || field[i - 1] == b'.' {
                    return Err(addr_error(
                        input,
                        "IPv4 field must have at least one digit",
                        Some(&field[i..]),
                    ));
                }
                if pos == 3 {
                    return Err(addr_error(input, "IPv4 address too long", None));
                }
                pos += 1;
                val = 0;
                digits = 0;
            }
            _ => {
                return Err(addr_error(input, "unexpected character", Some(&field[i..])));
            }
        }
    }
    if pos < 3 {
        return Err(addr_error(input, "IPv4 address too short", None));
    }
    Ok(())
}

/// Go's `parseIPv6` (validity only).
fn parse_ipv6(input: &[u8]) -> Result<(), String> {
    let mut s = input;
    let mut zone_len = None;
    if let Some(i) = input.iter().position(|&c| c == b'%') {
        if i + 1 == input.len() {
            return Err(addr_error(input, "zone must be a non-empty string", None));
        }
        s = &input[..i];
        zone_len = Some(input.len() - i);
    }
    let mut ellipsis: Option<usize> = None;
    if s.starts_with(b"::") {
        ellipsis = Some(0);
        s = &s[2..];
        if s.is_empty() {
            return Ok(());
        }
    }
    let mut i = 0;
    while i < 16 {
        let mut off = 0;
        let mut acc: u32 = 0;
        while off < s.len() {
            let Some(d) = (s[off] as char).to_digit(16) else {
                break;
            };
            acc = (acc << 4) + d;
            if off > 3 {
                return Err(addr_error(
                    input,
                    "each group must have 4 or less digits",
                    Some(s),
                ));
            }
            if acc > 0xFFFF {
                return Err(addr_error(input, "IPv6 field has value >=2^16", Some(s)));
            }
            off += 1;
        }
        if off == 0 {
            return Err(addr_error(
                input,
                "each colon-separated field must have at least one digit",
                Some(s),
            ));
        }
        if off < s.len() && s[off] == b'.' {
            if ellipsis.is_none() && i != 12 {
                return Err(addr_error(
                    input,
                    "embedded IPv4 address must replace the final 2 fields of the address",
                    Some(s),
                ));
            }
            if i + 4 > 16 {
                return Err(addr_error(
                    input,
                    "too many hex fields to fit an embedded IPv4 at the end of the address",
                    Some(s),
                ));
            }
            let end = input.len() - zone_len.unwrap_or(0);
            parse_ipv4_fields(input, &input[end - s.len()..end])?;
            s = &[];
            i += 4;
            break;
        }
        i += 2;
        s = &s[off..];
        if s.is_empty() {
            break;
        }
        if s[0] != b':' {
            return Err(addr_error(
                input,
                "unexpected character, want colon",
                Some(s),
            ));
        } else if s.len() == 1 {
            return Err(addr_error(
                input,
                "colon must be followed by more characters",
                Some(s),
            ));
        }
        s = &s[1..];
        if s[0] == b':' {
            if ellipsis.is_some() {
                return Err(addr_error(input, "multiple :: in address", Some(s)));
            }
            ellipsis = Some(i);
            s = &s[1..];
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return Err(addr_error(input, "trailing garbage after address", Some(s)));
    }
    if i < 16 {
        if ellipsis.is_none() {
            return Err(addr_error(input, "address string too short", None));
        }
    } else if ellipsis.is_some() {
        return Err(addr_error(
            input,
            "the :: must expand to at least one field of zeros",
            None,
        ));
    }
    Ok(())
}

impl Url {
    /// Go's `Hostname`: the host without a valid port and brackets.
    pub fn hostname(&self) -> Vec<u8> {
        let mut host: &[u8] = &self.host;
        if let Some(colon) = host.iter().rposition(|&c| c == b':') {
            let port = &host[colon + 1..];
            if port.iter().all(u8::is_ascii_digit) {
                host = &host[..colon];
            }
        }
        if host.len() >= 2 && host[0] == b'[' && host[host.len() - 1] == b']' {
            host = &host[1..host.len() - 1];
        }
        host.to_vec()
    }

    /// Go's `EscapedPath`.
    pub(crate) fn escaped_path(&self) -> Vec<u8> {
        if !self.raw_path.is_empty() && valid_encoded(self.raw_path.as_bytes(), Mode::Path) {
            if let Ok(p) = unescape(self.raw_path.as_bytes(), Mode::Path) {
                if p == self.path {
                    return self.raw_path.as_bytes().to_vec();
                }
            }
        }
        if self.path == b"*" {
            return b"*".to_vec();
        }
        escape(&self.path, Mode::Path)
    }

    /// Go's `EscapedFragment`.
    fn escaped_fragment(&self) -> Vec<u8> {
        if !self.raw_fragment.is_empty()
            && valid_encoded(self.raw_fragment.as_bytes(), Mode::Fragment)
        {
            if let Ok(f) = unescape(self.raw_fragment.as_bytes(), Mode::Fragment) {
                if f == self.fragment {
                    return self.raw_fragment.as_bytes().to_vec();
                }
            }
        }
        escape(&self.fragment, Mode::Fragment)
    }

    /// Go's `URL.String`.
    pub fn to_go_string(&self) -> String {
        let mut buf: Vec<u8> = Vec::new();
        if !self.scheme.is_empty() {
            buf.extend(self.scheme.bytes());
            buf.push(b':');
        }
        if !self.opaque.is_empty() {
            buf.extend(self.opaque.bytes());
        } else {
            let no_authority = self.host.is_empty() && self.user.is_none();
            if !(no_authority && (self.scheme.is_empty() || self.omit_host)) {
                if !self.host.is_empty() || !self.path.is_empty() || self.user.is_some() {
                    buf.extend_from_slice(b"//");
                }
                if let Some(user) = &self.user {
                    buf.extend(user.to_go_string().bytes());
                    buf.push(b'@');
                }
                if !self.host.is_empty() {
                    buf.extend(escape(&self.host, Mode::Host));
                }
            }
            let path = self.escaped_path();
            if !path.is_empty() && path[0] != b'/' && !self.host.is_empty() {
                buf.push(b'/');
            }
            if buf.is_empty() {
                let segment = path.split(|&c| c == b'/').next().unwrap_or_default();
                if segment.contains(&b':') {
                    buf.extend_from_slice(b"./");
                }
            }
            buf.extend(path);
        }
        if self.force_query || !self.raw_query.is_empty() {
            buf.push(b'?');
            buf.extend(self.raw_query.bytes());
        }
        if !self.fragment.is_empty() {
            buf.push(b'#');
            buf.extend(self.escaped_fragment());
        }
        text(&buf)
    }
}

/// Go's `validEncoded`.
fn valid_encoded(s: &[u8], mode: Mode) -> bool {
    s.iter().all(|&c| {
        matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'@'
                | b'['
                | b']'
                | b'%'
        ) || !should_escape(c, mode)
    })
}

/// Sprig's `urlParse`.
fn url_parse(v: &str) -> Result<Value, FuncError> {
    let url = parse(v).map_err(|e| FuncError::msg(format!("unable to parse url: {e}")))?;
    let map = Map::new();
    map.insert("scheme", Value::from(url.scheme.as_str()));
    map.insert("host", Value::from(text(&url.host)));
    map.insert("hostname", Value::from(text(&url.hostname())));
    map.insert("path", Value::from(text(&url.path)));
    map.insert("query", Value::from(url.raw_query.as_str()));
    map.insert("opaque", Value::from(url.opaque.as_str()));
    map.insert("fragment", Value::from(text(&url.fragment)));
    let userinfo = url
        .user
        .as_ref()
        .map(Userinfo::to_go_string)
        .unwrap_or_default();
    map.insert("userinfo", Value::from(userinfo));
    Ok(Value::Map(map))
}

/// Sprig's `dictGetOrEmpty`: a string entry, "" when absent; a panic text
/// for anything else.
fn dict_get_or_empty(d: &Value, key: &str) -> Result<String, FuncError> {
    let Some(value) = d.as_map().and_then(|m| m.get(key)) else {
        return Ok(String::new());
    };
    match value {
        Value::String(_) | Value::ByteString(_) => {
            Ok(value.as_str().unwrap_or_default().to_string())
        }
        // reflect.TypeOf(nil).Kind() dereferences a nil Type.
        Value::Nil => Err(FuncError::msg(
            "runtime error: invalid memory address or nil pointer dereference",
        )),
        other => {
            let name = other.kind().name();
            Err(FuncError::msg(format!(
                "unable to parse {key} key, must be of type string, but {name} found"
            )))
        }
    }
}

/// Sprig's `urlJoin`.
fn url_join(d: &Value) -> Result<Value, FuncError> {
    let mut url = Url {
        scheme: dict_get_or_empty(d, "scheme")?,
        host: dict_get_or_empty(d, "host")?.into_bytes(),
        path: dict_get_or_empty(d, "path")?.into_bytes(),
        raw_query: dict_get_or_empty(d, "query")?,
        opaque: dict_get_or_empty(d, "opaque")?,
        fragment: dict_get_or_empty(d, "fragment")?.into_bytes(),
        ..Url::default()
    };
    let userinfo = dict_get_or_empty(d, "userinfo")?;
    if !userinfo.is_empty() {
        let temp = parse(&format!("proto://{userinfo}@host"))
            .map_err(|e| FuncError::msg(format!("unable to parse userinfo in dict: {e}")))?;
        url.user = temp.user;
    }
    Ok(Value::from(url.to_go_string()))
}

/// Registers `urlParse` and `urlJoin`.
pub fn register(set: &mut Templates) {
    set.add_func(
        "urlParse",
        Func::new([ParamType::String], |_ctx, args| {
            url_parse(args[0].as_str().unwrap_or_default())
        })
        .infallible(),
    );
    set.add_func(
        "urlJoin",
        Func::new([ParamType::Map], |_ctx, args| url_join(&args[0])).infallible(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(raw: &str) -> String {
        parse(raw).map(|u| u.to_go_string()).unwrap_or_else(|e| e)
    }

    #[test]
    fn parse_and_string_like_go() {
        assert_eq!(
            round_trip("proto://auth@host:80/path?query#fragment"),
            "proto://auth@host:80/path?query#fragment"
        );
        assert_eq!(
            round_trip("HTTP://x/a%20b?q#f%20g"),
            "http://x/a%20b?q#f%20g"
        );
        assert_eq!(round_trip("mailto:joe@x.org"), "mailto:joe@x.org");
        assert_eq!(round_trip("file:///etc/hosts"), "file:///etc/hosts");
        assert_eq!(round_trip("/a b"), "/a%20b");
        assert_eq!(round_trip("http://[::1]:8080/"), "http://[::1]:8080/");
        assert_eq!(round_trip("a?"), "a?");
        assert_eq!(round_trip("http://x/%2f"), "http://x/%2f");
    }

    #[test]
    fn parse_errors_like_go() {
        assert_eq!(
            round_trip(":foo"),
            "parse \":foo\": missing protocol scheme"
        );
        assert_eq!(
            round_trip("a:b/c"),
            "a:b/c",
            "a scheme with an opaque part is fine"
        );
        assert_eq!(
            round_trip("1a:b"),
            "parse \"1a:b\": first path segment in URL cannot contain colon"
        );
        assert_eq!(
            round_trip("http://x/%zz"),
            "parse \"http://x/%zz\": invalid URL escape \"%zz\""
        );
        assert_eq!(
            round_trip("http://a b/"),
            "parse \"http://a b/\": invalid character \" \" in host name"
        );
        assert_eq!(
            round_trip("http://h:x/"),
            "parse \"http://h:x/\": invalid port \":x\" after host"
        );
        assert_eq!(
            round_trip("http://h:1:2/"),
            "parse \"http://h:1:2/\": invalid port \":1:2\" after host"
        );
        assert_eq!(round_trip("mongodb://h:1,g:2/"), "mongodb://h:1,g:2/");
        assert_eq!(
            round_trip("http://[1.2.3.4]/"),
            "parse \"http://[1.2.3.4]/\": invalid IP-literal"
        );
        assert_eq!(
            round_trip("http://[::1::2]/"),
            "parse \"http://[::1::2]/\": invalid host: ParseAddr(\"::1::2\"): multiple :: in address (at \":2\")"
        );
        assert_eq!(
            round_trip("a\nb"),
            "parse \"a\\nb\": net/url: invalid control character in URL"
        );
        assert_eq!(
            round_trip("http://a%2@b"),
            "parse \"http://a%2@b\": invalid URL escape \"%2\""
        );
    }

    #[test]
    fn hostname_strips_port_and_brackets() {
        let u = parse("http://[fe80::1%25en0]:8080/x").unwrap();
        assert_eq!(text(&u.host), "[fe80::1%en0]:8080");
        assert_eq!(text(&u.hostname()), "fe80::1%en0");
    }

    fn render(text: &str) -> Result<String, String> {
        let mut set = Templates::new();
        register(&mut set);
        crate::funcs::dicts::register(&mut set);
        set.parse("t", text).map_err(|e| e.to_string())?;
        set.execute("t", &Value::Nil).map_err(|e| e.to_string())
    }

    #[test]
    fn sprig_functions() {
        assert_eq!(
            render(r#"{{ urlParse "proto://auth@host:80/path?query#fragment" }}"#).unwrap(),
            "map[fragment:fragment host:host:80 hostname:host opaque: path:/path query:query \
             scheme:proto userinfo:auth]"
        );
        assert_eq!(
            render(r#"{{ urlJoin (dict "host" "h" "path" "p q" "userinfo" "u:p%20w") }}"#).unwrap(),
            "//u:p%20w@h/p%20q"
        );
        assert_eq!(
            render(r#"{{ urlJoin (dict "host" 3) }}"#).unwrap_err(),
            "template: t:1:3: executing \"t\" at <urlJoin (dict \"host\" 3)>: error calling \
             urlJoin: unable to parse host key, must be of type string, but int found"
        );
        assert!(render(r#"{{ urlParse ":x" }}"#).unwrap_err().ends_with(
            "error calling urlParse: unable to parse url: parse \":x\": missing protocol scheme"
        ));
    }
}
