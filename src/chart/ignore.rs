//! `.helmignore` rules, mirroring Helm v3.21.4's `pkg/ignore`, with Go's
//! `path/filepath.Match` (Unix flavour) underneath.
//!
//! A rules file holds one pattern per line; blank lines and `#` comments
//! are skipped, `**` is refused, and a pattern that Go's `Match` finds
//! malformed fails the whole file. Patterns are tried in order and the first
//! decision wins:
//! - `!pat` is a negation, with Helm's semantics: a path that does *not*
//!   match it is ignored at once, a path that matches goes on to the next
//!   rule;
//! - `pat/` only applies to directories;
//! - `/pat` is matched against the whole path (Helm strips the `/` when the
//!   rule is first used, and again on each later use, as its closure does);
//! - a pattern with a `/` is matched against the whole path;
//! - any other pattern is matched against the last path element.
//!
//! `.` and `./` (and the empty path) are never ignored. Directory loads also
//! ignore dot files directly under `templates/` ([`Rules::add_defaults`]).

use std::cell::RefCell;

/// The name of the rules file at the top of a chart.
pub const HELM_IGNORE: &str = ".helmignore";

/// Go's `filepath.ErrBadPattern` text.
pub const BAD_PATTERN: &str = "syntax error in pattern";

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// How a rule matches a path.
#[derive(Debug)]
enum Matcher {
    /// `/pat`: the whole path, against a pattern Helm trims on every use.
    Rooted(RefCell<String>),
    /// `a/pat`: the whole path.
    Path(String),
    /// `pat`: the last element of the path.
    Base(String),
}

#[derive(Debug)]
struct Pattern {
    negate: bool,
    must_dir: bool,
    matcher: Matcher,
}

impl Pattern {
    fn matches(&self, path: &str) -> bool {
        let result = match &self.matcher {
            Matcher::Rooted(rule) => {
                let mut rule = rule.borrow_mut();
                if let Some(rest) = rule.strip_prefix('/') {
                    *rule = rest.to_string();
                }
                go_match(&rule, path)
            }
            Matcher::Path(rule) => go_match(rule, path),
            Matcher::Base(rule) => go_match(rule, go_base(path)),
        };
        // Helm logs a malformed pattern here and treats it as no match.
        result.unwrap_or(false)
    }
}

/// A parsed set of ignore rules.
#[derive(Debug, Default)]
pub struct Rules {
    patterns: Vec<Pattern>,
}

impl Rules {
    /// No rules (Helm's `ignore.Empty`).
    pub fn empty() -> Rules {
        Rules::default()
    }

    /// Helm's `ignore.Parse`: one rule per line (a leading UTF-8 BOM is
    /// dropped); the first bad rule is the error.
    pub fn parse(data: &[u8]) -> Result<Rules, String> {
        let mut rules = Rules::empty();
        let data = data.strip_prefix(UTF8_BOM).unwrap_or(data);
        for line in scan_lines(data) {
            rules.add_rule(&String::from_utf8_lossy(line?))?;
        }
        Ok(rules)
    }

    /// Helm's `AddDefaults`: dot files directly in `templates/`.
    pub fn add_defaults(&mut self) {
        // The default rule is well formed, so this cannot fail.
        let _ = self.add_rule("templates/.?*");
    }

    /// The number of rules (comments and blank lines are not rules).
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Helm's `parseRule`.
    pub fn add_rule(&mut self, rule: &str) -> Result<(), String> {
        let rule = rule.trim();
        if rule.is_empty() || rule.starts_with('#') {
            return Ok(());
        }
        if rule.contains("**") {
            return Err("double-star (**) syntax is not supported".to_string());
        }
        go_match(rule, "abc")?;
        let (negate, rule) = match rule.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, rule),
        };
        let (must_dir, rule) = match rule.strip_suffix('/') {
            Some(rest) => (true, rest),
            None => (false, rule),
        };
        let matcher = if rule.starts_with('/') {
            Matcher::Rooted(RefCell::new(rule.to_string()))
        } else if rule.contains('/') {
            Matcher::Path(rule.to_string())
        } else {
            Matcher::Base(rule.to_string())
        };
        self.patterns.push(Pattern {
            negate,
            must_dir,
            matcher,
        });
        Ok(())
    }

    /// Helm's `Ignore`: whether `path` (slash-separated, relative to the
    /// chart root) is to be skipped.
    pub fn ignore(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." || path == "./" {
            return false;
        }
        for p in &self.patterns {
            if p.negate {
                if p.must_dir && !is_dir {
                    return true;
                }
                if !p.matches(path) {
                    return true;
                }
                continue;
            }
            if p.must_dir && !is_dir {
                continue;
            }
            if p.matches(path) {
                return true;
            }
        }
        false
    }
}

/// The lines `bufio.Scanner` yields with `ScanLines`: split at `\n`, one
/// trailing `\r` dropped, no empty last line; a line of 64 KiB or more is
/// Go's "token too long" error (reported when the scanner reaches it).
fn scan_lines(data: &[u8]) -> impl Iterator<Item = Result<&[u8], String>> {
    const MAX_TOKEN: usize = 64 * 1024;
    let mut rest = data;
    let mut failed = false;
    std::iter::from_fn(move || {
        if rest.is_empty() || failed {
            return None;
        }
        let (line, next) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        if line.len() >= MAX_TOKEN {
            failed = true;
            return Some(Err("bufio.Scanner: token too long".to_string()));
        }
        rest = next;
        Some(Ok(line.strip_suffix(b"\r").unwrap_or(line)))
    })
}

/// Go's `filepath.Base` for slash-separated paths.
pub fn go_base(path: &str) -> &str {
    if path.is_empty() {
        return ".";
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/";
    }
    match trimmed.rfind('/') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    }
}

/// Go's `filepath.Match` on Unix: `*` (any run of non-`/` bytes), `?` (one
/// non-`/` character), `[...]` classes with `^` negation and ranges, `\`
/// escapes. Works on bytes, decoding UTF-8 only where Go does.
pub fn go_match(pattern: &str, name: &str) -> Result<bool, String> {
    let mut pattern = pattern.as_bytes();
    let mut name = name.as_bytes();
    'outer: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            return Ok(!name.contains(&b'/'));
        }
        let (t, ok) = match_chunk(chunk, name)?;
        if ok && (t.is_empty() || !pattern.is_empty()) {
            name = t;
            continue;
        }
        if star {
            let mut i = 0;
            while i < name.len() && name[i] != b'/' {
                let (t, ok) = match_chunk(chunk, &name[i + 1..])?;
                if ok {
                    if pattern.is_empty() && !t.is_empty() {
                        i += 1;
                        continue;
                    }
                    name = t;
                    continue 'outer;
                }
                i += 1;
            }
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

fn scan_chunk(pattern: &[u8]) -> (bool, &[u8], &[u8]) {
    let mut p = pattern;
    let mut star = false;
    while let Some(rest) = p.strip_prefix(b"*") {
        p = rest;
        star = true;
    }
    let mut in_range = false;
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            b'\\' if i + 1 < p.len() => i += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => return (star, &p[..i], &p[i..]),
            _ => {}
        }
        i += 1;
    }
    (star, p, &[])
}

/// One chunk against the start of `s`: the rest of `s` and whether it
/// matched. The whole chunk is always checked for syntax, as Go does.
fn match_chunk<'a>(chunk: &[u8], s: &'a [u8]) -> Result<(&'a [u8], bool), String> {
    let mut chunk = chunk;
    let mut s = s;
    let mut failed = false;
    while let Some(&c) = chunk.first() {
        failed = failed || s.is_empty();
        match c {
            b'[' => {
                let mut r = 0u32;
                if !failed {
                    let (decoded, n) = decode_rune(s);
                    r = decoded;
                    s = &s[n..];
                }
                chunk = &chunk[1..];
                let negated = chunk.first() == Some(&b'^');
                if negated {
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut ranges = 0;
                loop {
                    if chunk.first() == Some(&b']') && ranges > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let (lo, rest) = get_esc(chunk)?;
                    chunk = rest;
                    let mut hi = lo;
                    if chunk.first() == Some(&b'-') {
                        let (h, rest) = get_esc(&chunk[1..])?;
                        hi = h;
                        chunk = rest;
                    }
                    matched = matched || (lo <= r && r <= hi);
                    ranges += 1;
                }
                failed = failed || matched == negated;
            }
            b'?' => {
                if !failed {
                    failed = s[0] == b'/';
                    let (_, n) = decode_rune(s);
                    s = &s[n..];
                }
                chunk = &chunk[1..];
            }
            _ => {
                if c == b'\\' {
                    chunk = &chunk[1..];
                    if chunk.is_empty() {
                        return Err(BAD_PATTERN.to_string());
                    }
                }
                if !failed {
                    failed = chunk[0] != s[0];
                    s = &s[1..];
                }
                chunk = &chunk[1..];
            }
        }
    }
    if failed {
        Ok((&[], false))
    } else {
        Ok((s, true))
    }
}

/// A possibly escaped character of a class, and the rest of the chunk.
fn get_esc(chunk: &[u8]) -> Result<(u32, &[u8]), String> {
    let bad = || Err(BAD_PATTERN.to_string());
    let mut chunk = chunk;
    match chunk.first() {
        None | Some(b'-') | Some(b']') => return bad(),
        Some(b'\\') => {
            chunk = &chunk[1..];
            if chunk.is_empty() {
                return bad();
            }
        }
        _ => {}
    }
    let (r, n) = decode_rune(chunk);
    if r == 0xFFFD && n == 1 {
        return bad();
    }
    let rest = &chunk[n..];
    if rest.is_empty() {
        return bad();
    }
    Ok((r, rest))
}

/// Go's `utf8.DecodeRune`: the first character and its length, or U+FFFD
/// and 1 for an invalid or incomplete sequence (0 bytes for empty input).
fn decode_rune(s: &[u8]) -> (u32, usize) {
    if s.is_empty() {
        return (0xFFFD, 0);
    }
    let end = s.len().min(4);
    let valid = match std::str::from_utf8(&s[..end]) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(&s[..e.valid_up_to()]).unwrap_or(""),
    };
    match valid.chars().next() {
        Some(c) => (c as u32, c.len_utf8()),
        None => (0xFFFD, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(text: &str) -> Rules {
        Rules::parse(text.as_bytes()).unwrap()
    }

    #[test]
    fn parses_comments_blank_lines_and_bom() {
        let r = rules("\u{feff}#c\n\n\t#c\nfoo\r\nbar/*\n  baz/bar/foo.txt  \n\none/more");
        assert_eq!(r.len(), 4);
        assert!(r.ignore("foo", false));
        assert!(r.ignore("bar/x", false));
        assert!(r.ignore("baz/bar/foo.txt", false));
        assert!(!r.ignore("baz", false));
    }

    #[test]
    fn refuses_bad_rules() {
        assert_eq!(
            Rules::parse(b"foo/**/bar").unwrap_err(),
            "double-star (**) syntax is not supported"
        );
        assert_eq!(Rules::parse(b"[z-").unwrap_err(), BAD_PATTERN);
        assert_eq!(Rules::parse(b"ok\nx\\").unwrap_err(), BAD_PATTERN);
        // Go stops matching at the first failed chunk, so this one passes.
        assert!(Rules::parse(b"x*[").is_ok());
    }

    #[test]
    fn matches_like_helm() {
        let cases: &[(&str, &str, bool, bool)] = &[
            ("helm.txt", "helm.txt", false, true),
            ("helm.*", "helm.txt", false, true),
            ("helm.*", "rudder.txt", false, false),
            ("*.txt", "tiller.txt", false, true),
            ("*.txt", "cargo/a.txt", false, true),
            ("cargo/*.txt", "cargo/a.txt", false, true),
            ("cargo/*.*", "cargo/a.txt", false, true),
            ("cargo/*.txt", "mast/a.txt", false, false),
            ("ru[c-e]?er.txt", "rudder.txt", false, true),
            ("templates/.?*", "templates/.dotfile", false, true),
            (".*", ".", true, false),
            (".*", "./", true, false),
            (".*", ".joonix", false, true),
            (".*", "helm.txt", false, false),
            (".*", "", false, false),
            ("cargo/", "cargo", true, true),
            ("cargo/", "cargo/", true, true),
            ("cargo/", "mast/", true, false),
            ("helm.txt/", "helm.txt", false, false),
            ("!helm.txt", "helm.txt", false, false),
            ("!helm.txt", "tiller.txt", false, true),
            ("!*.txt", "cargo", true, true),
            ("!cargo/", "mast/", true, true),
            ("!cargo/", "cargo.txt", false, true),
            ("/a.txt", "a.txt", false, true),
            ("/a.txt", "cargo/a.txt", false, false),
            ("/cargo/a.txt", "cargo/a.txt", false, true),
        ];
        for (pattern, name, is_dir, want) in cases {
            assert_eq!(
                rules(pattern).ignore(name, *is_dir),
                *want,
                "{pattern} {name}"
            );
        }
    }

    #[test]
    fn rooted_rules_trim_on_every_use() {
        let r = rules("//a.txt");
        assert!(!r.ignore("a.txt", false));
        assert!(r.ignore("a.txt", false));
    }

    #[test]
    fn first_decision_wins() {
        let r = rules("*.txt\n!keep.txt");
        assert!(r.ignore("keep.txt", false));
        let r = rules("!*.yaml\n*.yaml");
        assert!(r.ignore("a.txt", false));
        assert!(r.ignore("a.yaml", false));
    }

    #[test]
    fn defaults_hide_template_dot_files() {
        let mut r = Rules::empty();
        r.add_defaults();
        assert_eq!(r.len(), 1);
        assert!(r.ignore("templates/.swp", false));
        assert!(!r.ignore("templates/a/.swp", false));
        assert!(!r.ignore("templates/_helpers.tpl", false));
    }

    #[test]
    fn go_match_classes_and_escapes() {
        assert_eq!(go_match("[^a-c]x", "dx"), Ok(true));
        assert_eq!(go_match("[^a-c]x", "bx"), Ok(false));
        assert_eq!(go_match("[é]", "é"), Ok(true));
        assert_eq!(go_match("a\\*b", "a*b"), Ok(true));
        assert_eq!(go_match("a?b", "a/b"), Ok(false));
        assert_eq!(go_match("a*", "ab/c"), Ok(false));
        assert_eq!(go_match("*c", "abc"), Ok(true));
        assert_eq!(go_match("a*b*c", "axbyc"), Ok(true));
        assert_eq!(go_match("[]a]", "]"), Err(BAD_PATTERN.to_string()));
        assert_eq!(go_match("[a-]", "a"), Err(BAD_PATTERN.to_string()));
        assert_eq!(go_match("", ""), Ok(true));
        assert_eq!(go_base("a/b/"), "b");
        assert_eq!(go_base("//"), "/");
        assert_eq!(go_base(""), ".");
    }
}
