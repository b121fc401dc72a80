//! Hand-written readers for the texts Masterminds/semver v3.5.0 matches
//! with regular expressions: the loose version (`v?N(.N)?(.N)?(-pre)?(+meta)?`,
//! which `NewVersion` anchors) and, in constraints, the same shape with
//! wildcard parts (`x`, `X`, `*`).
//!
//! The version reader is exact: it accepts precisely what the anchored
//! loose-version expression accepts and yields the same groups. The
//! constraint reader ([`scan_constraints`]) is a fast path: it reads only a
//! plain subset of constraint texts (one operator and a version per item,
//! separated by spaces or commas, `||` between alternatives), for which the
//! library's expressions provably split the text the same way, and answers
//! `None` for anything else so that the caller runs the expressions.

/// The groups of one version text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct VersionParts<'a> {
    /// The whole version text, with its `v` if any.
    pub text: &'a str,
    pub major: &'a str,
    /// `.N` or empty.
    pub minor: &'a str,
    /// `.N` or empty.
    pub patch: &'a str,
    /// `-pre` or empty.
    pub pre: &'a str,
    /// `+meta` or empty.
    pub meta: &'a str,
}

/// Go's `\s`: ASCII tab, newline, form feed, carriage return and space.
fn is_go_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn skip_space(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && is_go_space(b[i]) {
        i += 1;
    }
    i
}

/// The end of the run starting at `i` of bytes that satisfy `f`.
fn run_end(b: &[u8], mut i: usize, f: impl Fn(u8) -> bool) -> usize {
    while i < b.len() && f(b[i]) {
        i += 1;
    }
    i
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

/// The end of a dotted identifier list (`a.b-c.1`) starting at `i`, or
/// `None` when it has an empty part.
fn dotted_end(b: &[u8], i: usize) -> Option<usize> {
    let end = run_end(b, i, |c| is_ident_byte(c) || c == b'.');
    let text = &b[i..end];
    if text.is_empty() || text.split(|&c| c == b'.').any(<[u8]>::is_empty) {
        return None;
    }
    Some(end)
}

/// The end of one numeric part starting at `i`: digits, or with
/// `wildcards` also a lone `x`, `X` or `*`. `None` for anything else,
/// including a wildcard run the constraint expressions would read
/// differently (`xx`, `1x`, `1|2`).
fn part_end(b: &[u8], i: usize, wildcards: bool) -> Option<usize> {
    if !wildcards {
        let end = run_end(b, i, |c| c.is_ascii_digit());
        return (end > i).then_some(end);
    }
    let end = run_end(b, i, |c| {
        c.is_ascii_digit() || matches!(c, b'|' | b'x' | b'X' | b'*')
    });
    let run = &b[i..end];
    let digits = !run.is_empty() && run.iter().all(u8::is_ascii_digit);
    let wildcard = matches!(run, [b'x' | b'X' | b'*']);
    (digits || wildcard).then_some(end)
}

/// Reads a version at the start of `s`; the parts and the length read.
pub(super) fn scan_version(s: &str, wildcards: bool) -> Option<(VersionParts<'_>, usize)> {
    let b = s.as_bytes();
    let start = usize::from(b.first() == Some(&b'v'));
    let major_end = part_end(b, start, wildcards)?;
    let mut i = major_end;
    let mut dotted = [(i, i); 2];
    for slot in &mut dotted {
        if b.get(i) != Some(&b'.') {
            break;
        }
        let end = part_end(b, i + 1, wildcards)?;
        *slot = (i, end);
        i = end;
    }
    let pre_start = i;
    if b.get(i) == Some(&b'-') {
        i = dotted_end(b, i + 1)?;
    }
    let meta_start = i;
    if b.get(i) == Some(&b'+') {
        i = dotted_end(b, i + 1)?;
    }
    let parts = VersionParts {
        text: &s[..i],
        major: &s[start..major_end],
        minor: &s[dotted[0].0..dotted[0].1],
        patch: &s[dotted[1].0..dotted[1].1],
        pre: &s[pre_start..meta_start],
        meta: &s[meta_start..i],
    };
    Some((parts, i))
}

/// `NewVersion`'s anchored loose-version match.
pub(super) fn scan_loose_version(s: &str) -> Option<VersionParts<'_>> {
    match scan_version(s, false)? {
        (parts, n) if n == s.len() => Some(parts),
        _ => None,
    }
}

/// One constraint of a plain constraint text: its operator as written
/// (possibly empty) and its version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Item<'a> {
    pub op: &'a str,
    pub version: VersionParts<'a>,
}

/// The operator at the start of `b`: the longest of the library's.
fn op_len(b: &[u8]) -> usize {
    match b {
        [b'!', b'=', ..]
        | [b'>', b'=', ..]
        | [b'=', b'>', ..]
        | [b'<', b'=', ..]
        | [b'=', b'<', ..]
        | [b'~', b'>', ..] => 2,
        [b'=' | b'>' | b'<' | b'~' | b'^', ..] => 1,
        _ => 0,
    }
}

/// A plain constraint text's alternatives, each its items in order; `None`
/// when the text is not plain (the caller then runs the expressions).
///
/// Plain means: each `||` alternative is spaces, then items separated by
/// spaces or by a comma with optional spaces, then spaces; an item is an
/// operator, spaces and a version whose parts are digits or a lone
/// wildcard. Such text has no `-` after a space (so no hyphen range), the
/// validity expression matches it, and the item expression finds exactly
/// these items (a leading empty-operator match may include the spaces
/// before it, which the constraint expression then trims).
pub(super) fn scan_constraints(c: &str) -> Option<Vec<Vec<Item<'_>>>> {
    c.split("||").map(scan_alternative).collect()
}

fn scan_alternative(alt: &str) -> Option<Vec<Item<'_>>> {
    let b = alt.as_bytes();
    let mut items = Vec::new();
    let mut i = skip_space(b, 0);
    loop {
        let op_end = i + op_len(&b[i..]);
        let ver_start = skip_space(b, op_end);
        let (version, n) = scan_version(&alt[ver_start..], true)?;
        items.push(Item {
            op: &alt[i..op_end],
            version,
        });
        let end = ver_start + n;
        let next = skip_space(b, end);
        if next == b.len() {
            return Some(items);
        }
        i = if b[next] == b',' {
            skip_space(b, next + 1)
        } else if next > end {
            next
        } else {
            return None;
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_versions() {
        let p = scan_loose_version("v1.2.3-rc.1+build-5").unwrap();
        assert_eq!(
            (p.major, p.minor, p.patch, p.pre, p.meta),
            ("1", ".2", ".3", "-rc.1", "+build-5")
        );
        let p = scan_loose_version("01-beta").unwrap();
        assert_eq!((p.major, p.minor, p.patch, p.pre), ("01", "", "", "-beta"));
        for bad in [
            "", "v", "vv1", "1.", "1..2", "1.2.3.4", "1-", "1-a..b", "1+", "1.x", " 1", "1 ", "V1",
        ] {
            assert_eq!(scan_loose_version(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn wildcard_parts() {
        let (p, n) = scan_version("1.x.* rest", true).unwrap();
        assert_eq!((p.text, p.minor, p.patch, n), ("1.x.*", ".x", ".*", 5));
        assert_eq!(scan_version("xx", true), None);
        assert_eq!(scan_version("1|2", true), None);
        assert_eq!(scan_version("1.2x", true), None);
    }

    #[test]
    fn plain_constraints() {
        let alts = scan_constraints(">= 1.2.3-0, <2 || ~1.x ^3 =>4").unwrap();
        let ops: Vec<Vec<(&str, &str)>> = alts
            .iter()
            .map(|g| g.iter().map(|it| (it.op, it.version.text)).collect())
            .collect();
        assert_eq!(
            ops,
            vec![
                vec![(">=", "1.2.3-0"), ("<", "2")],
                vec![("~", "1.x"), ("^", "3"), ("=>", "4")],
            ]
        );
        let one = scan_constraints("  v1.0  ").unwrap();
        assert_eq!((one[0][0].op, one[0][0].version.major), ("", "1"));
    }

    #[test]
    fn other_texts_are_left_to_the_expressions() {
        for text in [
            "",
            " ",
            "1.0 - 2.0",
            "1.0,",
            "1.0|2.0",
            ">=1.0<2.0",
            "> =1",
            "!1",
            "1.0 ,, 2.0",
            "|||",
            "1.0 ||",
            "x1",
        ] {
            assert_eq!(scan_constraints(text), None, "{text:?}");
        }
    }
}
