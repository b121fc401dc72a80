//! Masterminds/semver v3.5.0's `Constraints`: `NewConstraint` (hyphen
//! ranges rewritten to `>= a, <= b`, `||` alternatives, space- or
//! comma-separated conjunctions, operators `= != > < >= => <= =< ~ ~> ^`,
//! wildcards `x`/`X`/`*` and missing parts) and `Check`/`Validate` with the
//! library's prerelease rule: a prerelease version satisfies a group only
//! when some constraint in that group names a prerelease (or
//! `include_prerelease` is set).
//!
//! The library parses with Go regular expressions; plain texts are read by
//! hand ([`super::scan`], which yields the same pieces), and the same
//! expressions run on the Go-compatible engine for everything else, so odd
//! inputs split the same way.

use std::cmp::Ordering;
use std::fmt;
use std::sync::OnceLock;

use super::scan::{scan_constraints, Item, VersionParts};
use super::version::{compare_prerelease, Version};
use crate::funcs::regex::GoRegex;
use crate::template::strconv::quote;

const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";
const CV: &str = r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";

struct Regexes {
    constraint: GoRegex,
    range: GoRegex,
    find: GoRegex,
    valid: GoRegex,
}

fn regexes() -> &'static Regexes {
    static RE: OnceLock<Regexes> = OnceLock::new();
    RE.get_or_init(|| {
        let compile =
            |p: String| GoRegex::compile(&p).expect("semver's constraint regexes are valid");
        Regexes {
            constraint: compile(format!(r"^\s*({OPS})\s*({CV})\s*$")),
            range: compile(format!(r"\s*({CV})\s+-\s+({CV})\s*")),
            find: compile(format!(r"({OPS})\s*({CV})")),
            valid: compile(format!(
                r"^(\s*({OPS})\s*({CV})\s*)((?:\s+|,\s*)({OPS})\s*({CV})\s*)*$"
            )),
        }
    })
}

/// A constraint's operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    TildeOrEqual,
    NotEqual,
    GreaterThan,
    LessThan,
    GreaterThanEqual,
    LessThanEqual,
    Tilde,
    Caret,
}

fn op_of(s: &str) -> Op {
    match s {
        "!=" => Op::NotEqual,
        ">" => Op::GreaterThan,
        "<" => Op::LessThan,
        ">=" | "=>" => Op::GreaterThanEqual,
        "<=" | "=<" => Op::LessThanEqual,
        "~" | "~>" => Op::Tilde,
        "^" => Op::Caret,
        _ => Op::TildeOrEqual,
    }
}

/// One parsed constraint such as `>= 1.2.x`.
#[derive(Clone, Debug)]
struct Constraint {
    con: Version,
    /// The version text as written (`1.2.x`).
    orig: String,
    /// The operator as written.
    orig_op: String,
    op: Op,
    minor_dirty: bool,
    patch_dirty: bool,
    dirty: bool,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "*" | "X")
}

/// semver's `parseConstraint`.
fn parse_constraint(c: &str) -> Result<Constraint, String> {
    if c.is_empty() {
        // An empty constraint means any version (`>= 0.0.0`).
        return Ok(Constraint {
            con: Version::new(0, 0, 0, "", ""),
            orig: String::new(),
            orig_op: String::new(),
            op: Op::TildeOrEqual,
            minor_dirty: false,
            patch_dirty: false,
            dirty: true,
        });
    }
    let Some(m) = regexes().constraint.find_string_submatch(c) else {
        return Err(format!("improper constraint: {}", quote(c)));
    };
    let parts = VersionParts {
        text: m[2],
        major: m[3],
        minor: m[4],
        patch: m[5],
        pre: m[6],
        meta: "",
    };
    build_constraint(m[1], &parts)
}

/// The rest of `parseConstraint` once its expression has matched: `op`
/// and the version's groups (`minor`, `patch` and `pre` with their
/// leading `.`/`-`).
fn build_constraint(op: &str, m: &VersionParts<'_>) -> Result<Constraint, String> {
    let (mut minor_dirty, mut patch_dirty, mut dirty) = (false, false, false);
    let minor = m.minor.strip_prefix('.').unwrap_or(m.minor);
    let patch = m.patch.strip_prefix('.').unwrap_or(m.patch);
    let ver = if is_x(m.major) || m.major.is_empty() {
        dirty = true;
        format!("0.0.0{}", m.pre)
    } else if is_x(minor) || m.minor.is_empty() {
        minor_dirty = true;
        dirty = true;
        format!("{}.0.0{}", m.major, m.pre)
    } else if is_x(patch) || m.patch.is_empty() {
        dirty = true;
        patch_dirty = true;
        format!("{}{}.0{}", m.major, m.minor, m.pre)
    } else {
        m.text.to_string()
    };
    let con = Version::parse(&ver).map_err(|_| "constraint parser error".to_string())?;
    Ok(Constraint {
        con,
        orig: m.text.to_string(),
        orig_op: op.to_string(),
        op: op_of(op),
        minor_dirty,
        patch_dirty,
        dirty,
    })
}

/// `%q` of a version (its `String()` quoted).
fn q(v: &Version) -> String {
    quote(&v.to_string())
}

impl Constraint {
    /// The constraint check; `Err` carries the library's reason.
    fn check(&self, v: &Version, include_pre: bool) -> Result<(), String> {
        if !v.pre.is_empty() && !include_pre {
            return Err(format!(
                "{} is a prerelease version and the constraint is only looking for release versions",
                q(v)
            ));
        }
        match self.op {
            Op::TildeOrEqual => self.tilde_or_equal(v),
            Op::NotEqual => self.not_equal(v),
            Op::GreaterThan => self.greater_than(v),
            Op::LessThan => self.less_than(v),
            Op::GreaterThanEqual => self.greater_than_equal(v),
            Op::LessThanEqual => self.less_than_equal(v),
            Op::Tilde => self.tilde(v),
            Op::Caret => self.caret(v),
        }
    }

    fn fail(&self, v: &Version, what: &str) -> Result<(), String> {
        Err(format!("{} {what} {}", q(v), quote(&self.orig)))
    }

    fn not_equal(&self, v: &Version) -> Result<(), String> {
        let c = &self.con;
        if self.dirty {
            if c.major != v.major {
                return Ok(());
            }
            if c.minor != v.minor && !self.minor_dirty {
                return Ok(());
            } else if self.minor_dirty {
                return self.fail(v, "is equal to");
            } else if c.patch != v.patch && !self.patch_dirty {
                return Ok(());
            } else if self.patch_dirty {
                if (!v.pre.is_empty() || !c.pre.is_empty())
                    && compare_prerelease(&v.pre, &c.pre) != Ordering::Equal
                {
                    return Ok(());
                }
                return self.fail(v, "is equal to");
            }
        }
        if v.compare(c) == Ordering::Equal {
            return self.fail(v, "is equal to");
        }
        Ok(())
    }

    fn greater_than(&self, v: &Version) -> Result<(), String> {
        let c = &self.con;
        let ok = if !self.dirty {
            v.compare(c) == Ordering::Greater
        } else if v.major > c.major {
            true
        } else if v.major < c.major || self.minor_dirty {
            false
        } else if self.patch_dirty {
            v.minor > c.minor
        } else {
            v.compare(c) == Ordering::Greater
        };
        if ok {
            Ok(())
        } else {
            self.fail(v, "is less than or equal to")
        }
    }

    fn less_than(&self, v: &Version) -> Result<(), String> {
        if v.compare(&self.con) == Ordering::Less {
            Ok(())
        } else {
            self.fail(v, "is greater than or equal to")
        }
    }

    fn greater_than_equal(&self, v: &Version) -> Result<(), String> {
        if v.compare(&self.con) != Ordering::Less {
            Ok(())
        } else {
            self.fail(v, "is less than")
        }
    }

    fn less_than_equal(&self, v: &Version) -> Result<(), String> {
        let c = &self.con;
        if !self.dirty {
            if v.compare(c) != Ordering::Greater {
                return Ok(());
            }
            return self.fail(v, "is greater than");
        }
        if v.major > c.major || v.major == c.major && v.minor > c.minor && !self.minor_dirty {
            return self.fail(v, "is greater than");
        }
        Ok(())
    }

    fn tilde(&self, v: &Version) -> Result<(), String> {
        let c = &self.con;
        if v.compare(c) == Ordering::Less {
            return self.fail(v, "is less than");
        }
        // ~0.0.0 accepts everything.
        if c.major == 0 && c.minor == 0 && c.patch == 0 && !self.minor_dirty && !self.patch_dirty {
            return Ok(());
        }
        if v.major != c.major {
            return self.fail(v, "does not have same major version as");
        }
        if v.minor != c.minor && !self.minor_dirty {
            return self.fail(v, "does not have same major and minor version as");
        }
        Ok(())
    }

    fn tilde_or_equal(&self, v: &Version) -> Result<(), String> {
        if self.dirty {
            return self.tilde(v);
        }
        if v.compare(&self.con) == Ordering::Equal {
            Ok(())
        } else {
            self.fail(v, "is not equal to")
        }
    }

    fn caret(&self, v: &Version) -> Result<(), String> {
        let c = &self.con;
        if v.compare(c) == Ordering::Less {
            return self.fail(v, "is less than");
        }
        if c.major > 0 || self.minor_dirty {
            if v.major == c.major {
                return Ok(());
            }
            return self.fail(v, "does not have same major version as");
        }
        if v.major > 0 {
            return self.fail(v, "does not have same major version as");
        }
        if c.minor > 0 || self.patch_dirty {
            if v.minor == c.minor {
                return Ok(());
            }
            return self
                .fail(v, "does not have same minor version as")
                .map_err(|e| {
                    format!(
                        "{e}. Expected minor versions to match when constraint major version is 0"
                    )
                });
        }
        if v.minor > 0 {
            return self.fail(v, "does not have same minor version as");
        }
        if c.patch == v.patch {
            return Ok(());
        }
        self.fail(v, "does not equal").map_err(|e| {
            format!(
                "{e}. Expect version and constraint to equal when major and minor versions are 0"
            )
        })
    }
}

/// semver's `rewriteRange`: `a - b` becomes `>= a, <= b `.
fn rewrite_range(i: &str) -> String {
    let matches = regexes().range.find_all_string_submatch(i, -1);
    let mut out = i.to_string();
    for m in matches {
        let replacement = format!(">= {}, <= {} ", m[1], m[11]);
        out = out.replacen(m[0], &replacement, 1);
    }
    out
}

/// A set of constraints: alternatives (`||`) of conjunctions.
#[derive(Clone, Debug)]
pub struct Constraints {
    groups: Vec<Vec<Constraint>>,
    contains_pre: Vec<bool>,
    /// semver's `IncludePrerelease`: let prereleases satisfy every group.
    pub include_prerelease: bool,
}

impl Constraints {
    /// semver's `NewConstraint`.
    pub fn parse(c: &str) -> Result<Constraints, String> {
        match scan_constraints(c) {
            Some(alternatives) => Self::from_items(&alternatives),
            None => Self::parse_with_expressions(c),
        }
    }

    /// `NewConstraint` as the library runs it, with its expressions.
    fn parse_with_expressions(c: &str) -> Result<Constraints, String> {
        let c = rewrite_range(c);
        let re = regexes();
        let mut groups = Vec::new();
        let mut contains_pre = Vec::new();
        for alt in c.split("||") {
            if !re.valid.is_match(alt) {
                return Err(format!("improper constraint: {}", quote(alt)));
            }
            let mut found = re.find.find_all_string(alt, -1);
            if found.is_empty() {
                found.push(alt);
            }
            let mut group = Vec::with_capacity(found.len());
            let mut has_pre = false;
            for s in found {
                let pc = parse_constraint(s)?;
                has_pre |= !pc.con.pre.is_empty();
                group.push(pc);
            }
            groups.push(group);
            contains_pre.push(has_pre);
        }
        Ok(Constraints {
            groups,
            contains_pre,
            include_prerelease: false,
        })
    }

    /// `NewConstraint` for a plain text its expressions would split into
    /// these items.
    fn from_items(alternatives: &[Vec<Item<'_>>]) -> Result<Constraints, String> {
        let mut groups = Vec::with_capacity(alternatives.len());
        let mut contains_pre = Vec::with_capacity(alternatives.len());
        for items in alternatives {
            let group = items
                .iter()
                .map(|it| build_constraint(it.op, &it.version))
                .collect::<Result<Vec<_>, _>>()?;
            contains_pre.push(group.iter().any(|c| !c.con.pre.is_empty()));
            groups.push(group);
        }
        Ok(Constraints {
            groups,
            contains_pre,
            include_prerelease: false,
        })
    }

    /// semver's `Check`: whether `v` satisfies any alternative.
    pub fn check(&self, v: &Version) -> bool {
        self.groups.iter().enumerate().any(|(i, group)| {
            let include_pre = self.include_prerelease || self.contains_pre[i];
            group.iter().all(|c| c.check(v, include_pre).is_ok())
        })
    }

    /// semver's `Validate`: `check` with the reasons for a failure.
    pub fn validate(&self, v: &Version) -> (bool, Vec<String>) {
        let mut errors = Vec::new();
        let mut reported_pre = false;
        for (i, group) in self.groups.iter().enumerate() {
            let include_pre = self.include_prerelease || self.contains_pre[i];
            let mut joy = true;
            for c in group {
                if !include_pre && !v.pre.is_empty() {
                    if !reported_pre {
                        errors.push(format!(
                            "{} is a prerelease version and the constraint is only looking for \
                             release versions",
                            q(v)
                        ));
                        reported_pre = true;
                    }
                    joy = false;
                } else if let Err(e) = c.check(v, include_pre) {
                    errors.push(e);
                    joy = false;
                }
            }
            if joy {
                return (true, Vec::new());
            }
        }
        (false, errors)
    }
}

/// semver's `Constraints.String`.
impl fmt::Display for Constraints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let groups: Vec<String> = self
            .groups
            .iter()
            .map(|g| {
                g.iter()
                    .map(|c| format!("{}{}", c.orig_op, c.orig))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        f.write_str(&groups.join(" || "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random texts over the constraint alphabet: wherever the hand reader
    /// answers, the expressions give the same constraints (or error).
    #[test]
    fn hand_reader_agrees_with_the_expressions() {
        const ALPHABET: &[u8] = b"0123456789..xX*v--++,,|  <>=!~^a\t";
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut read = 0;
        for _ in 0..20_000 {
            let mut text = String::new();
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = (seed >> 59) as usize;
            for _ in 0..len {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push(ALPHABET[(seed >> 33) as usize % ALPHABET.len()] as char);
            }
            let Some(items) = scan_constraints(&text) else {
                continue;
            };
            read += 1;
            let fast = format!("{:?}", Constraints::from_items(&items));
            let slow = format!("{:?}", Constraints::parse_with_expressions(&text));
            assert_eq!(fast, slow, "{text:?}");
        }
        assert!(read > 500, "only {read} texts were plain");
        for text in [
            ">=1.2.3-0 <2.0.0",
            "^1.x || ~2.3.4-rc.1+b",
            " v01.2 , !=1.2.5 ",
            "*",
        ] {
            let fast = format!("{:?}", Constraints::parse(text));
            let slow = format!("{:?}", Constraints::parse_with_expressions(text));
            assert_eq!(fast, slow, "{text:?}");
        }
    }

    fn check(c: &str, v: &str) -> bool {
        Constraints::parse(c)
            .unwrap_or_else(|e| panic!("{c}: {e}"))
            .check(&Version::parse(v).unwrap())
    }

    #[test]
    fn operators_and_ranges() {
        let cases = [
            ("1.2.3", "1.2.3", true),
            ("=1.2.3", "1.2.4", false),
            ("!=1.2.3", "1.2.4", true),
            ("!=1.2.x", "1.2.9", false),
            (">1.2", "1.2.9", false),
            (">1.2", "1.3.0", true),
            ("<2", "1.9.9", true),
            (">=1.21.0-0", "1.21.0-gke.1", true),
            (">=1.21.0-0", "1.22.3", true),
            (">=1.21.0", "1.22.0-rc.1", false),
            ("<=1.2.x", "1.2.9", true),
            ("<=1.2.x", "1.3.0", false),
            ("~1.2", "1.2.9", true),
            ("~1.2", "1.3.0", false),
            ("~1", "1.9.0", true),
            ("~0.0.0", "5.0.0", true),
            ("^1.2.0", "1.9.3", true),
            ("^1.2.0", "2.2.3", false),
            ("^0.2.3", "0.2.9", true),
            ("^0.2.3", "0.3.0", false),
            ("^0.0.3", "0.0.4", false),
            ("1.2.x", "1.2.7", true),
            ("1.x", "2.0.0", false),
            ("*", "3.4.5", true),
            ("1.2 - 1.4.5", "1.4.5", true),
            ("1.2 - 1.4.5", "1.4.6", false),
            (">1.0, <2.0", "1.5.0", true),
            (">1.0 <2.0", "2.0.0", false),
            ("<1.0 || >=3.0", "3.1.0", true),
            ("<1.0 || >=3.0", "2.0.0", false),
            ("v1.2.3", "1.2.3", true),
        ];
        for (c, v, want) in cases {
            assert_eq!(check(c, v), want, "{c} vs {v}");
        }
    }

    #[test]
    fn parse_errors() {
        let err = |c: &str| Constraints::parse(c).unwrap_err();
        assert_eq!(
            err("badConstraint"),
            "improper constraint: \"badConstraint\""
        );
        assert_eq!(err(">1 || bad"), "improper constraint: \" bad\"");
        assert_eq!(err("1.2.3.4"), "improper constraint: \"1.2.3.4\"");
        assert_eq!(err(""), "improper constraint: \"\"");
    }

    #[test]
    fn string_and_validate() {
        let c = Constraints::parse(">= 1.2, < 2 || ~3.1").unwrap();
        assert_eq!(c.to_string(), ">=1.2 <2 || ~3.1");
        let (ok, errs) = c.validate(&Version::parse("2.5.0").unwrap());
        assert!(!ok);
        assert_eq!(
            errs,
            vec![
                "\"2.5.0\" is greater than or equal to \"2\"".to_string(),
                "\"2.5.0\" is less than \"3.1\"".to_string(),
            ]
        );
    }
}
