//! Masterminds/semver v3.5.0's `Version`: `NewVersion` (the default
//! "coerce" mode: the loose version pattern, read by hand in `scan`;
//! optional `v`, missing minor/patch, leading zeros allowed in the
//! numbers), `StrictNewVersion`, `String`, `Compare` with SemVer
//! prerelease precedence, and the increment/set helpers. Error texts are
//! the library's (`invalid semantic version`, …).

use std::cmp::Ordering;
use std::fmt;

use super::scan::scan_loose_version;
use crate::template::strconv::quote;

pub const ERR_INVALID_SEMVER: &str = "invalid semantic version";
pub const ERR_EMPTY_STRING: &str = "version string empty";
pub const ERR_INVALID_CHARACTERS: &str = "invalid characters in version";
pub const ERR_SEGMENT_STARTS_ZERO: &str = "version segment starts with 0";
pub const ERR_INVALID_METADATA: &str = "invalid metadata string";
pub const ERR_INVALID_PRERELEASE: &str = "invalid prerelease string";

/// A semver error: the library's error text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionError(pub String);

impl fmt::Display for VersionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for VersionError {}

fn error(msg: &str) -> VersionError {
    VersionError(msg.to_string())
}

/// Go's `strconv.ParseUint(s, 10, 64)` on a string of ASCII digits; the
/// error is Go's `*NumError` text.
fn parse_uint(s: &str) -> Result<u64, String> {
    let mut n: u64 = 0;
    let mut ok = !s.is_empty();
    for b in s.bytes() {
        if !b.is_ascii_digit() {
            ok = false;
            break;
        }
        match n
            .checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(b - b'0')))
        {
            Some(v) => n = v,
            None => {
                return Err(format!(
                    "strconv.ParseUint: parsing {}: value out of range",
                    quote(s)
                ))
            }
        }
    }
    if ok {
        Ok(n)
    } else {
        Err(format!(
            "strconv.ParseUint: parsing {}: invalid syntax",
            quote(s)
        ))
    }
}

fn segment(s: &str) -> Result<u64, VersionError> {
    parse_uint(s).map_err(|e| VersionError(format!("error parsing version segment: {e}")))
}

fn is_num(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

fn is_allowed(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// semver's `validatePrerelease`.
fn validate_prerelease(p: &str) -> Result<(), VersionError> {
    for part in p.split('.') {
        if part.is_empty() {
            return Err(error(ERR_INVALID_PRERELEASE));
        } else if is_num(part) {
            if part.len() > 1 && part.starts_with('0') {
                return Err(error(ERR_SEGMENT_STARTS_ZERO));
            }
        } else if !is_allowed(part) {
            return Err(error(ERR_INVALID_PRERELEASE));
        }
    }
    Ok(())
}

/// semver's `validateMetadata`.
fn validate_metadata(m: &str) -> Result<(), VersionError> {
    if m.split('.').any(|p| p.is_empty() || !is_allowed(p)) {
        return Err(error(ERR_INVALID_METADATA));
    }
    Ok(())
}

/// A semantic version (semver's `Version`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: String,
    pub metadata: String,
    /// The text the version was parsed from.
    pub original: String,
}

impl Version {
    /// semver's `NewVersion`: loose parsing (`v1`, `1.2`, `01.2.3`).
    pub fn parse(v: &str) -> Result<Version, VersionError> {
        let Some(m) = scan_loose_version(v) else {
            return Err(error(ERR_INVALID_SEMVER));
        };
        let mut sv = Version {
            major: segment(m.major)?,
            minor: 0,
            patch: 0,
            pre: m.pre.get(1..).unwrap_or("").to_string(),
            metadata: m.meta.get(1..).unwrap_or("").to_string(),
            original: v.to_string(),
        };
        if let Some(minor) = m.minor.get(1..).filter(|s| !s.is_empty()) {
            sv.minor = segment(minor)?;
        }
        if let Some(patch) = m.patch.get(1..).filter(|s| !s.is_empty()) {
            sv.patch = segment(patch)?;
        }
        if !sv.pre.is_empty() {
            validate_prerelease(&sv.pre)?;
        }
        if !sv.metadata.is_empty() {
            validate_metadata(&sv.metadata)?;
        }
        Ok(sv)
    }

    /// semver's `StrictNewVersion`: exactly `X.Y.Z[-pre][+meta]`.
    pub fn parse_strict(v: &str) -> Result<Version, VersionError> {
        if v.is_empty() {
            return Err(error(ERR_EMPTY_STRING));
        }
        let mut parts: Vec<&str> = v.splitn(3, '.').collect();
        if parts.len() != 3 {
            return Err(error(ERR_INVALID_SEMVER));
        }
        let mut sv = Version {
            major: 0,
            minor: 0,
            patch: 0,
            pre: String::new(),
            metadata: String::new(),
            original: v.to_string(),
        };
        if let Some((rest, meta)) = parts[2].split_once('+') {
            sv.metadata = meta.to_string();
            parts[2] = rest;
            validate_metadata(meta)?;
        }
        if let Some((rest, pre)) = parts[2].split_once('-') {
            sv.pre = pre.to_string();
            parts[2] = rest;
            validate_prerelease(pre)?;
        }
        for p in &parts {
            if !is_num(p) {
                return Err(error(ERR_INVALID_CHARACTERS));
            }
            if p.len() > 1 && p.starts_with('0') {
                return Err(error(ERR_SEGMENT_STARTS_ZERO));
            }
        }
        sv.major = parse_uint(parts[0]).map_err(VersionError)?;
        sv.minor = parse_uint(parts[1]).map_err(VersionError)?;
        sv.patch = parse_uint(parts[2]).map_err(VersionError)?;
        Ok(sv)
    }

    /// semver's `New`: a version from its parts (not validated).
    pub fn new(major: u64, minor: u64, patch: u64, pre: &str, metadata: &str) -> Version {
        let mut v = Version {
            major,
            minor,
            patch,
            pre: pre.to_string(),
            metadata: metadata.to_string(),
            original: String::new(),
        };
        v.original = v.to_string();
        v
    }

    /// The `v` the original text started with, if any.
    fn original_v_prefix(&self) -> &'static str {
        if self.original.starts_with('v') {
            "v"
        } else {
            ""
        }
    }

    fn with_original(mut self, prefix: &str) -> Version {
        self.original = format!("{prefix}{self}");
        self
    }

    /// semver's `IncPatch`; the error is the library's panic text.
    pub fn inc_patch(&self) -> Result<Version, String> {
        let mut next = self.clone();
        next.metadata.clear();
        next.pre.clear();
        if self.pre.is_empty() {
            next.patch = self
                .patch
                .checked_add(1)
                .ok_or("patch version increment would overflow uint64")?;
        }
        Ok(next.with_original(self.original_v_prefix()))
    }

    /// semver's `IncMinor`.
    pub fn inc_minor(&self) -> Result<Version, String> {
        let mut next = self.clone();
        next.metadata.clear();
        next.pre.clear();
        next.patch = 0;
        next.minor = self
            .minor
            .checked_add(1)
            .ok_or("minor version increment would overflow uint64")?;
        Ok(next.with_original(self.original_v_prefix()))
    }

    /// semver's `IncMajor`.
    pub fn inc_major(&self) -> Result<Version, String> {
        let mut next = self.clone();
        next.metadata.clear();
        next.pre.clear();
        next.patch = 0;
        next.minor = 0;
        next.major = self
            .major
            .checked_add(1)
            .ok_or("major version increment would overflow uint64")?;
        Ok(next.with_original(self.original_v_prefix()))
    }

    /// semver's `SetPrerelease`.
    pub fn set_prerelease(&self, pre: &str) -> Result<Version, VersionError> {
        if !pre.is_empty() {
            validate_prerelease(pre)?;
        }
        let mut next = self.clone();
        next.pre = pre.to_string();
        Ok(next.with_original(self.original_v_prefix()))
    }

    /// semver's `SetMetadata`.
    pub fn set_metadata(&self, metadata: &str) -> Result<Version, VersionError> {
        if !metadata.is_empty() {
            validate_metadata(metadata)?;
        }
        let mut next = self.clone();
        next.metadata = metadata.to_string();
        Ok(next.with_original(self.original_v_prefix()))
    }

    /// semver's `Compare`: major, minor, patch, then prerelease precedence
    /// (a version without prerelease is greater); metadata is ignored.
    pub fn compare(&self, o: &Version) -> Ordering {
        self.major
            .cmp(&o.major)
            .then(self.minor.cmp(&o.minor))
            .then(self.patch.cmp(&o.patch))
            .then_with(|| match (self.pre.is_empty(), o.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_prerelease(&self.pre, &o.pre),
            })
    }

    /// `Compare` as Go's -1, 0, 1.
    pub fn compare_int(&self, o: &Version) -> i64 {
        match self.compare(o) {
            Ordering::Less => -1,
            Ordering::Equal => 0,
            Ordering::Greater => 1,
        }
    }
}

/// semver's `comparePrerelease`, part by part.
pub(crate) fn compare_prerelease(v: &str, o: &str) -> Ordering {
    let sparts: Vec<&str> = v.split('.').collect();
    let oparts: Vec<&str> = o.split('.').collect();
    for i in 0..sparts.len().max(oparts.len()) {
        let s = sparts.get(i).copied().unwrap_or("");
        let t = oparts.get(i).copied().unwrap_or("");
        let d = compare_pre_part(s, t);
        if d != Ordering::Equal {
            return d;
        }
    }
    Ordering::Equal
}

/// semver's `comparePrePart`: numbers (that fit a uint64) sort before
/// identifiers; a missing part sorts first.
fn compare_pre_part(s: &str, o: &str) -> Ordering {
    if s == o {
        return Ordering::Equal;
    }
    if s.is_empty() {
        return Ordering::Less;
    }
    if o.is_empty() {
        return Ordering::Greater;
    }
    match (parse_uint(s), parse_uint(o)) {
        (Err(_), Err(_)) => {
            if s > o {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Ok(a), Ok(b)) => {
            if a > b {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
    }
}

/// semver's `String`: `X.Y.Z[-pre][+meta]` (no `v`).
impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand reader matches `looseSemVerRegex` on random texts.
    #[test]
    fn loose_reader_agrees_with_the_expression() {
        const LOOSE: &str = r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$";
        let re = crate::funcs::regex::GoRegex::compile(LOOSE).unwrap();
        const ALPHABET: &[u8] = b"0123456789...vV--++a \n";
        let mut seed: u64 = 42;
        let mut matched = 0;
        for _ in 0..20_000 {
            let mut text = String::new();
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = (seed >> 60) as usize;
            for _ in 0..len {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push(ALPHABET[(seed >> 33) as usize % ALPHABET.len()] as char);
            }
            let fast =
                scan_loose_version(&text).map(|m| vec![m.major, m.minor, m.patch, m.pre, m.meta]);
            let slow = re
                .find_string_submatch(&text)
                .map(|m| vec![m[1], m[2], m[3], m[4], m[7]]);
            matched += usize::from(fast.is_some());
            assert_eq!(fast, slow, "{text:?}");
        }
        assert!(matched > 500, "only {matched} texts matched");
    }

    fn parse(v: &str) -> Result<String, String> {
        Version::parse(v).map(|v| v.to_string()).map_err(|e| e.0)
    }

    #[test]
    fn loose_parsing() {
        assert_eq!(parse("1.2.3").unwrap(), "1.2.3");
        assert_eq!(parse("v1.2").unwrap(), "1.2.0");
        assert_eq!(parse("1").unwrap(), "1.0.0");
        assert_eq!(parse("01.02.03").unwrap(), "1.2.3");
        assert_eq!(parse("1.2.3-beta.1+c0ff33").unwrap(), "1.2.3-beta.1+c0ff33");
        assert_eq!(parse("1.2-rc1").unwrap(), "1.2.0-rc1");
        assert_eq!(parse("badVersion").unwrap_err(), "invalid semantic version");
        assert_eq!(parse("1.2.3.4").unwrap_err(), "invalid semantic version");
        assert_eq!(parse("V1.2.3").unwrap_err(), "invalid semantic version");
        assert_eq!(parse("1.2.3\n").unwrap_err(), "invalid semantic version");
        assert_eq!(
            parse("1.2.3-01").unwrap_err(),
            "version segment starts with 0"
        );
        assert_eq!(
            parse("18446744073709551616").unwrap_err(),
            "error parsing version segment: strconv.ParseUint: parsing \
             \"18446744073709551616\": value out of range"
        );
    }

    #[test]
    fn strict_parsing() {
        let strict = |v: &str| {
            Version::parse_strict(v)
                .map(|v| v.to_string())
                .map_err(|e| e.0)
        };
        assert_eq!(strict("1.2.3-a.1+b").unwrap(), "1.2.3-a.1+b");
        assert_eq!(strict("").unwrap_err(), "version string empty");
        assert_eq!(strict("1.2").unwrap_err(), "invalid semantic version");
        assert_eq!(
            strict("v1.2.3").unwrap_err(),
            "invalid characters in version"
        );
        assert_eq!(
            strict("01.2.3").unwrap_err(),
            "version segment starts with 0"
        );
        assert_eq!(strict("1.2.3+a..b").unwrap_err(), "invalid metadata string");
        assert_eq!(strict("1.2.3-").unwrap_err(), "invalid prerelease string");
    }

    #[test]
    fn precedence() {
        let v = |s: &str| Version::parse(s).unwrap();
        let order = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1",
            "1.1.0",
            "2.0.0",
        ];
        for w in order.windows(2) {
            assert_eq!(
                v(w[0]).compare(&v(w[1])),
                Ordering::Less,
                "{} < {}",
                w[0],
                w[1]
            );
        }
        assert_eq!(v("1.2.3+a").compare(&v("1.2.3+b")), Ordering::Equal);
    }

    #[test]
    fn increments_keep_the_v_prefix() {
        let v = Version::parse("v1.2.3-rc.1+m").unwrap();
        let p = v.inc_patch().unwrap();
        assert_eq!(
            (p.to_string(), p.original.as_str()),
            ("1.2.3".to_string(), "v1.2.3")
        );
        assert_eq!(v.inc_minor().unwrap().original, "v1.3.0");
        assert_eq!(v.inc_major().unwrap().to_string(), "2.0.0");
        assert_eq!(
            Version::parse("1.2.18446744073709551615")
                .unwrap()
                .inc_patch()
                .unwrap_err(),
            "patch version increment would overflow uint64"
        );
        assert_eq!(
            v.set_prerelease("x.01").unwrap_err().0,
            "version segment starts with 0"
        );
    }
}
