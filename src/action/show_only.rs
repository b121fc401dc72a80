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

/// Go's `path/filepath.Match` with `/` as the separator (the loader's
/// implementation); a malformed pattern (Go's `ErrBadPattern`) does not match.
pub fn go_path_match(pattern: &str, name: &str) -> bool {
    crate::chart::ignore::go_match(pattern, name).unwrap_or(false)
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
