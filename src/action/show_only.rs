//! `helm template --show-only`, mirroring Helm v3.21.4's `cmd/helm/template.go`:
//! the printed stream is split into documents again, each document's
//! template path is read from its first `# Source: <chart>/<path>` line
//! (the pattern `# Source: [^/]+/(.+)`), and each `--show-only` pattern, in
//! order, picks the documents whose path it matches with Go's
//! `path/filepath.Match` (a malformed pattern matches nothing). A pattern
//! matching nothing is the error `could not find template <pattern> in chart`.

use super::manifest::split_manifests;

/// Picks the documents of `stream` the patterns select, in pattern order
/// (a document matched by two patterns appears twice).
pub fn select(stream: &str, patterns: &[String]) -> Result<Vec<String>, String> {
    let docs = split_manifests(stream);
    let paths: Vec<Option<&str>> = docs.iter().map(|d| source_path(d)).collect();
    let mut picked = Vec::new();
    for pattern in patterns {
        let mut missing = true;
        for (doc, path) in docs.iter().zip(&paths) {
            let Some(path) = path else { continue };
            if go_path_match(pattern, path) {
                picked.push(doc.clone());
                missing = false;
            }
        }
        if missing {
            return Err(format!("could not find template {pattern} in chart"));
        }
    }
    Ok(picked)
}

/// The first match of `# Source: [^/]+/(.+)` in `doc`: after the marker,
/// one or more characters other than `/` (newlines included), a `/`, then
/// the rest of that line (at least one character).
pub fn source_path(doc: &str) -> Option<&str> {
    const MARKER: &str = "# Source: ";
    let mut from = 0;
    while let Some(i) = doc[from..].find(MARKER) {
        let after = from + i + MARKER.len();
        from = from + i + 1;
        let rest = &doc[after..];
        let Some(slash) = rest.find('/') else {
            continue;
        };
        if slash == 0 {
            continue;
        }
        let tail = &rest[slash + 1..];
        let line = &tail[..tail.find('\n').unwrap_or(tail.len())];
        if !line.is_empty() {
            return Some(line);
        }
    }
    None
}

/// Go's `utf8.DecodeRune`: an invalid byte decodes as U+FFFD of width 1.
fn decode_rune(s: &[u8]) -> (u32, usize) {
    let width = match s.first() {
        None => return (0xFFFD, 0),
        Some(b) if *b < 0x80 => return (u32::from(*b), 1),
        Some(b) if b & 0xE0 == 0xC0 => 2,
        Some(b) if b & 0xF0 == 0xE0 => 3,
        Some(b) if b & 0xF8 == 0xF0 => 4,
        Some(_) => return (0xFFFD, 1),
    };
    match s.get(..width).and_then(|b| std::str::from_utf8(b).ok()) {
        Some(text) => (text.chars().next().map_or(0xFFFD, u32::from), width),
        None => (0xFFFD, 1),
    }
}

/// Go's `path/filepath.Match` with `/` as the separator; a malformed
/// pattern (Go's `ErrBadPattern`) does not match.
pub fn go_path_match(pattern: &str, name: &str) -> bool {
    path_match(pattern.as_bytes(), name.as_bytes()).unwrap_or(false)
}

struct BadPattern;

fn path_match(mut pattern: &[u8], mut name: &[u8]) -> Result<bool, BadPattern> {
    'chunks: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            return Ok(!name.contains(&b'/'));
        }
        let (remainder, ok, err) = match_chunk(chunk, name);
        if ok && (remainder.is_empty() || !pattern.is_empty()) {
            name = remainder;
            continue;
        }
        if err {
            return Err(BadPattern);
        }
        if star {
            let mut i = 0;
            while i < name.len() && name[i] != b'/' {
                let (remainder, ok, err) = match_chunk(chunk, &name[i + 1..]);
                if ok {
                    if pattern.is_empty() && !remainder.is_empty() {
                        i += 1;
                        continue;
                    }
                    name = remainder;
                    continue 'chunks;
                }
                if err {
                    return Err(BadPattern);
                }
                i += 1;
            }
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

/// The next run of stars (collapsed) and the star-free chunk after it.
fn scan_chunk(mut pattern: &[u8]) -> (bool, &[u8], &[u8]) {
    let mut star = false;
    while pattern.first() == Some(&b'*') {
        pattern = &pattern[1..];
        star = true;
    }
    let mut in_range = false;
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            b'\\' if i + 1 < pattern.len() => i += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => return (star, &pattern[..i], &pattern[i..]),
            _ => {}
        }
        i += 1;
    }
    (star, pattern, &[])
}

/// Matches a star-free chunk against the start of `s`: `(rest, ok, bad)`.
/// Like Go, it keeps checking the chunk's syntax after a mismatch.
fn match_chunk<'a>(mut chunk: &[u8], mut s: &'a [u8]) -> (&'a [u8], bool, bool) {
    let mut failed = false;
    while !chunk.is_empty() {
        failed = failed || s.is_empty();
        match chunk[0] {
            b'[' => {
                let mut r = 0u32;
                if !failed {
                    let (rune, n) = decode_rune(s);
                    r = rune;
                    s = &s[n..];
                }
                chunk = &chunk[1..];
                let mut negated = false;
                if chunk.first() == Some(&b'^') {
                    negated = true;
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut ranges = 0;
                loop {
                    if chunk.first() == Some(&b']') && ranges > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let Some((lo, next)) = get_escaped(chunk) else {
                        return (&[], false, true);
                    };
                    chunk = next;
                    let mut hi = lo;
                    if chunk[0] == b'-' {
                        let Some((h, next)) = get_escaped(&chunk[1..]) else {
                            return (&[], false, true);
                        };
                        hi = h;
                        chunk = next;
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
            c => {
                let literal = if c == b'\\' {
                    chunk = &chunk[1..];
                    match chunk.first() {
                        Some(b) => *b,
                        None => return (&[], false, true),
                    }
                } else {
                    c
                };
                if !failed {
                    failed = literal != s[0];
                    s = &s[1..];
                }
                chunk = &chunk[1..];
            }
        }
    }
    if failed {
        (&[], false, false)
    } else {
        (s, true, false)
    }
}

/// A possibly escaped character of a class, and the chunk after it;
/// `None` for Go's `ErrBadPattern` (which also needs a non-empty rest).
fn get_escaped(mut chunk: &[u8]) -> Option<(u32, &[u8])> {
    match chunk.first() {
        None | Some(b'-') | Some(b']') => return None,
        Some(b'\\') => {
            chunk = &chunk[1..];
            if chunk.is_empty() {
                return None;
            }
        }
        Some(_) => {}
    }
    let (r, n) = decode_rune(chunk);
    if r == 0xFFFD && n == 1 {
        return None;
    }
    let rest = &chunk[n..];
    if rest.is_empty() {
        return None;
    }
    Some((r, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_like_go() {
        let cases: &[(&str, &str, bool)] = &[
            ("templates/service.yaml", "templates/service.yaml", true),
            ("templates/*", "templates/service.yaml", true),
            ("templates/*", "templates/sub/x.yaml", false),
            (
                "templates/subdir/role*",
                "templates/subdir/rolebinding.yaml",
                true,
            ),
            ("templates", "templates/service.yaml", false),
            ("*/*.yaml", "templates/a.yaml", true),
            ("t?mplates/a.yaml", "templates/a.yaml", true),
            ("templates?a.yaml", "templates/a.yaml", false),
            ("[st]emplates/a.yaml", "templates/a.yaml", true),
            ("[^t]emplates/a.yaml", "templates/a.yaml", false),
            ("[a-z]*/a.yaml", "templates/a.yaml", true),
            ("\\templates/a.yaml", "templates/a.yaml", true),
            ("a*b*c", "axxbyyc", true),
            ("a*b", "ab/b", false),
            ("*.yaml", "x.yaml.yaml", true),
            ("ä?", "äö", true),
            // Malformed patterns never match.
            ("[", "[", false),
            ("templates/[", "templates/a", false),
            ("a\\", "a", false),
            ("[]a]", "]", false),
            ("[a-]", "a", false),
        ];
        for (pattern, name, want) in cases {
            assert_eq!(go_path_match(pattern, name), *want, "{pattern} ~ {name}");
        }
    }

    #[test]
    fn source_paths_drop_the_chart_name() {
        assert_eq!(
            source_path("# Source: c/templates/a.yaml\nkind: X"),
            Some("templates/a.yaml")
        );
        assert_eq!(
            source_path("# Source: c/charts/s/templates/a.yaml"),
            Some("charts/s/templates/a.yaml")
        );
        assert_eq!(source_path("kind: X"), None);
        assert_eq!(source_path("# Source: /x\n# Source: c/y"), Some("y"));
        assert_eq!(source_path("# Source: c\nd/e"), Some("e"));
        assert_eq!(source_path("# Source: c/\n"), None);
    }

    #[test]
    fn patterns_select_in_order() {
        let stream =
            "---\n# Source: c/templates/b.yaml\nb: 1\n---\n# Source: c/templates/a.yaml\na: 1\n";
        let picked = select(
            stream,
            &["templates/a.yaml".to_string(), "templates/*".to_string()],
        )
        .unwrap();
        assert_eq!(
            picked,
            [
                "# Source: c/templates/a.yaml\na: 1",
                "# Source: c/templates/b.yaml\nb: 1",
                "# Source: c/templates/a.yaml\na: 1"
            ]
        );
        assert_eq!(
            select(stream, &["templates/x.yaml".to_string()]).unwrap_err(),
            "could not find template templates/x.yaml in chart"
        );
    }
}
