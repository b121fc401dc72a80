//! The URL and JSON-pointer helpers of santhosh-tekuri/jsonschema v6
//! (`util.go`): schema locations are `url#pointer` strings, references are
//! resolved with Go's `url.Parse` and `ResolveReference`, fragments are
//! percent-decoded with `url.PathUnescape` and re-encoded segment by
//! segment with `url.PathEscape`.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::funcs::url::{escape, parse as go_url_parse, should_escape, unescape, Mode, Url};
use crate::template::strconv::quote as go_quote;

/// Whether JSON pointer (or `/`-separated path) `prefix` is `path` or one
/// of its ancestors: whole segments only (`/a` encloses `/a/b`, not `/ab`).
pub(crate) fn encloses(prefix: &str, path: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// A JSON-pointer token escaped (`~` → `~0`, `/` → `~1`).
pub(crate) fn escape_token(tok: &str) -> Cow<'_, str> {
    if !tok.contains(['~', '/']) {
        return Cow::Borrowed(tok);
    }
    Cow::Owned(tok.replace('~', "~0").replace('/', "~1"))
}

/// The JSON pointer `ptr` extended by `tokens`, each escaped (`format!`
/// made each of a large schema's thousands of pointers at several times
/// the cost).
pub(crate) fn child_pointer(ptr: &str, tokens: &[&str]) -> String {
    let extra: usize = tokens.iter().map(|t| t.len() + 1).sum();
    let mut out = String::with_capacity(ptr.len() + extra);
    out.push_str(ptr);
    for token in tokens {
        out.push('/');
        out.push_str(&escape_token(token));
    }
    out
}

/// [`child_pointer`] for an array item.
pub(crate) fn item_pointer(ptr: &str, tokens: &[&str], index: usize) -> String {
    use std::fmt::Write;
    let mut out = child_pointer(ptr, tokens);
    let _ = write!(out, "/{index}");
    out
}

/// The inverse of [`escape_token`]; `None` for a `~` not followed by 0 or 1.
pub(crate) fn unescape_token(tok: &str) -> Option<Cow<'_, str>> {
    if !tok.contains('~') {
        return Some(Cow::Borrowed(tok));
    }
    let mut out = String::with_capacity(tok.len());
    let mut chars = tok.chars();
    while let Some(c) = chars.next() {
        if c == '~' {
            match chars.next() {
                Some('0') => out.push('~'),
                Some('1') => out.push('/'),
                _ => return None,
            }
        } else {
            out.push(c);
        }
    }
    Some(Cow::Owned(out))
}

/// `/a/b` from tokens.
pub(crate) fn json_ptr<S: AsRef<str>>(tokens: &[S]) -> String {
    let mut s = String::new();
    for t in tokens {
        s.push('/');
        s.push_str(&escape_token(t.as_ref()));
    }
    s
}

/// The quoting of v6's messages: Go's `%q`, but single-quoted.
pub(crate) fn quote(s: &str) -> String {
    let q = go_quote(s);
    let inner = &q[1..q.len() - 1];
    format!("'{}'", inner.replace("\\\"", "\"").replace('\'', "\\'"))
}

/// Splits at the first `#`.
pub(crate) fn split(s: &str) -> (&str, &str) {
    s.split_once('#').unwrap_or((s, ""))
}

/// `url#fragment` split, the fragment percent-decoded
/// (`error in parsing "…": invalid URL escape "%zz"` otherwise).
pub(crate) fn split_fragment(s: &str) -> Result<(String, String), String> {
    let (u, f) = split(s);
    match path_unescape(f) {
        Ok(f) => Ok((u.to_string(), f)),
        Err(e) => Err(parse_url_error(s, &e)),
    }
}

/// v6's `ParseURLError` text.
pub(crate) fn parse_url_error(url: &str, err: &str) -> String {
    format!("error in parsing {}: {err}", go_quote(url))
}

/// `url#` + the pointer with each segment `url.PathEscape`d.
pub(crate) fn location(url: &str, ptr: &str) -> String {
    format!("{url}#{}", encode_fragment(ptr))
}

/// v6's `encode`: `url.PathEscape` of each `/`-separated segment.
pub(crate) fn encode_fragment(frag: &str) -> String {
    if frag
        .bytes()
        .all(|c| c == b'/' || !should_escape(c, Mode::PathSegment))
    {
        return frag.to_string();
    }
    frag.split('/')
        .map(|seg| escape_text(seg.as_bytes(), Mode::PathSegment))
        .collect::<Vec<_>>()
        .join("/")
}

/// Go's `escape` as text (escaped bytes are ASCII).
fn escape_text(s: &[u8], mode: Mode) -> String {
    String::from_utf8_lossy(&escape(s, mode)).into_owned()
}

/// `url.PathUnescape`.
pub(crate) fn path_unescape(s: &str) -> Result<String, String> {
    unescape(s.as_bytes(), Mode::Path).map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// `URL.EscapedPath` as text.
fn escaped_path(u: &Url) -> String {
    String::from_utf8_lossy(&u.escaped_path()).into_owned()
}

/// `URL.setPath` (the escaped form is known to be valid).
fn set_path(u: &mut Url, p: &str) {
    let path = unescape(p.as_bytes(), Mode::Path).unwrap_or_else(|_| p.as_bytes().to_vec());
    u.raw_path = if escape(&path, Mode::Path) == p.as_bytes() {
        String::new()
    } else {
        p.to_string()
    };
    u.path = path;
}

/// Go's `resolvePath`: merging and dot-segment removal.
fn resolve_path(base: &str, reference: &str) -> String {
    let full = if reference.is_empty() {
        base.to_string()
    } else if !reference.starts_with('/') {
        let i = base.rfind('/').map_or(0, |i| i + 1);
        format!("{}{reference}", &base[..i])
    } else {
        reference.to_string()
    };
    if full.is_empty() {
        return String::new();
    }
    let mut dst = String::from("/");
    let mut first = true;
    let mut last = "";
    for elem in full.split('/') {
        last = elem;
        match elem {
            "." => first = false,
            ".." => {
                match dst[1..].rfind('/') {
                    Some(i) => dst.truncate(i + 1),
                    None => dst.truncate(1),
                }
                first = dst.len() == 1;
            }
            _ => {
                if !first {
                    dst.push('/');
                }
                dst.push_str(elem);
                first = false;
            }
        }
    }
    if last == "." || last == ".." {
        dst.push('/');
    }
    if dst.len() > 1 && dst.as_bytes()[1] == b'/' {
        dst.remove(0);
    }
    dst
}

/// `URL.ResolveReference`.
fn resolve_reference(base: &Url, r: &Url) -> Url {
    let mut url = r.clone();
    if r.scheme.is_empty() {
        url.scheme = base.scheme.clone();
    }
    if !r.scheme.is_empty() || !r.host.is_empty() || r.user.is_some() {
        let p = resolve_path(&escaped_path(r), "");
        set_path(&mut url, &p);
        return url;
    }
    if !r.opaque.is_empty() {
        url.user = None;
        url.host.clear();
        url.path.clear();
        return url;
    }
    if r.path.is_empty() && !r.force_query && r.raw_query.is_empty() {
        url.raw_query = base.raw_query.clone();
        if r.fragment.is_empty() {
            url.fragment = base.fragment.clone();
            url.raw_fragment = base.raw_fragment.clone();
        }
    }
    if r.path.is_empty() && !base.opaque.is_empty() {
        url.opaque = base.opaque.clone();
        url.user = None;
        url.host.clear();
        url.path.clear();
        return url;
    }
    url.host = base.host.clone();
    url.user = base.user.clone();
    let p = resolve_path(&escaped_path(base), &escaped_path(r));
    set_path(&mut url, &p);
    url
}

/// v6's `url.join`: `reference` resolved against `base`; the result's URL
/// and its (decoded) fragment.
pub(crate) fn join(base: &str, reference: &str) -> Result<(String, String), String> {
    let base_url = go_url_parse(base).map_err(|e| parse_url_error(base, &e))?;
    let (r, frag) = split_fragment(reference)?;
    Ok((resolve_against(&base_url, &r)?, frag))
}

/// `r` (a reference without fragment) resolved against `base`.
fn resolve(base: &str, r: &str) -> Result<String, String> {
    let base_url = go_url_parse(base).map_err(|e| parse_url_error(base, &e))?;
    resolve_against(&base_url, r)
}

fn resolve_against(base_url: &Url, r: &str) -> Result<String, String> {
    let ref_url = go_url_parse(r).map_err(|e| parse_url_error(r, &e))?;
    let mut resolved = resolve_reference(base_url, &ref_url);
    if ref_url.scheme.is_empty() && !base_url.opaque.is_empty() {
        resolved.opaque = base_url.opaque.clone();
    }
    Ok(resolved.to_go_string())
}

/// [`join`] remembering what each base and reference (its fragment set
/// aside) resolved to: a schema's `$ref`s mostly point into the same
/// document (`#/definitions/...`), and parsing and resolving the same two
/// URLs again for each was a tenth of compiling a large schema.
#[derive(Default)]
pub(crate) struct Joins(BTreeMap<String, BTreeMap<String, String>>);

impl Joins {
    pub(crate) fn join(&mut self, base: &str, reference: &str) -> Result<(String, String), String> {
        // A fragment that does not decode leaves the error order to `join`
        // (an unparsable base is reported first).
        let Ok((r, frag)) = split_fragment(reference) else {
            return join(base, reference);
        };
        if let Some(url) = self.0.get(base).and_then(|refs| refs.get(&r)) {
            return Ok((url.clone(), frag));
        }
        let url = resolve(base, &r)?;
        self.0
            .entry(base.to_string())
            .or_default()
            .insert(r, url.clone());
        Ok((url, frag))
    }
}

/// `url.Parse(u).Scheme` and `.Path` (for the loaders).
pub(crate) fn scheme_and_path(u: &str) -> Result<(String, String), String> {
    let url = go_url_parse(u)?;
    Ok((url.scheme, String::from_utf8_lossy(&url.path).into_owned()))
}

/// `url.Parse(u).String()`.
pub(crate) fn normalized(u: &str) -> Result<String, String> {
    Ok(go_url_parse(u)?.to_go_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_encloses_whole_segments_only() {
        assert!(encloses("/a", "/a"));
        assert!(encloses("/a", "/a/b"));
        assert!(encloses("items", "items/[]"));
        assert!(!encloses("/a", "/ab"));
        assert!(!encloses("/a/b", "/a"));
    }

    #[test]
    fn child_pointers_escape_each_token() {
        assert_eq!(
            child_pointer("", &["properties", "a/b~c"]),
            "/properties/a~1b~0c"
        );
        assert_eq!(child_pointer("/x", &[]), "/x");
        for i in [0, 7, 10, 99, 12345, usize::MAX] {
            assert_eq!(item_pointer("/x", &["allOf"], i), format!("/x/allOf/{i}"));
        }
    }

    #[test]
    fn remembered_joins_are_joins() {
        let mut joins = Joins::default();
        let base = "file:///values.schema.json";
        for reference in [
            "#/$defs/a",
            "#/$defs/b%20c",
            "other.json#x",
            "other.json#y",
            "#/a%zz",
            "../c.json",
            "#/$defs/a",
        ] {
            for base in [
                base,
                "http://example.com/a/b.json",
                "urn:example:root",
                "%zz",
            ] {
                assert_eq!(
                    joins.join(base, reference),
                    join(base, reference),
                    "{base} {reference}"
                );
            }
        }
    }

    #[test]
    fn joins_like_go() {
        let base = "file:///values.schema.json";
        assert_eq!(
            join(base, "#/$defs/a").unwrap(),
            (base.to_string(), "/$defs/a".to_string())
        );
        assert_eq!(join(base, "").unwrap(), (base.to_string(), String::new()));
        assert_eq!(
            join(base, "other.json#x").unwrap(),
            ("file:///other.json".to_string(), "x".to_string())
        );
        assert_eq!(
            join("http://example.com/a/b.json", "../c.json").unwrap().0,
            "http://example.com/c.json"
        );
        assert_eq!(
            join(base, "https://example.com/x.json#/a%20b").unwrap(),
            ("https://example.com/x.json".to_string(), "/a b".to_string())
        );
        assert_eq!(
            join("urn:example:root", "#foo").unwrap().0,
            "urn:example:root"
        );
        assert_eq!(
            join(base, "#/a%zz").unwrap_err(),
            "error in parsing \"#/a%zz\": invalid URL escape \"%zz\""
        );
    }

    #[test]
    fn locations_escape_segments() {
        assert_eq!(
            location("file:///s.json", "/properties/a b"),
            "file:///s.json#/properties/a%20b"
        );
        assert_eq!(
            location("file:///s.json", "/$defs/x~1y"),
            "file:///s.json#/$defs/x~1y"
        );
        assert_eq!(location("file:///s.json", ""), "file:///s.json#");
    }

    #[test]
    fn quotes_single() {
        assert_eq!(quote("it's \"x\"\n"), "'it\\'s \"x\"\\n'");
        assert_eq!(quote("/é\t"), "'/é\\t'");
        assert_eq!(json_ptr(&["a/b", "c~d"]), "/a~1b/c~0d");
        assert_eq!(unescape_token("a~1b~0").as_deref(), Some("a/b~"));
        assert_eq!(escape_token("a/b~"), "a~1b~0");
        assert_eq!(escape_token("ab"), "ab");
        assert_eq!(unescape_token("a~2"), None);
    }
}
