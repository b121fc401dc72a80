//! Go's `unicode` predicates and simple case mappings (`IsUpper`, `IsLower`,
//! `IsTitle`, `IsLetter`, `IsPunct`, `IsNumber`, `IsSpace`, `ToUpper`,
//! `ToLower`, `ToTitle`) for the Unicode version Go 1.26 implements.
//!
//! Rust's `char` methods answer different questions: `is_uppercase` is the
//! derived Uppercase property (it includes circled letters, which Go's
//! category Lu does not), `to_uppercase` applies full case mappings (`ß` →
//! `SS`, which Go leaves alone) and both follow a newer Unicode version. The
//! string functions must agree with Go rune for rune, so they use these.

use super::unicode_tables::{CASE_RANGES, LETTER, LOWER, NUMBER, PUNCT, TITLE, UPPER};

/// A set of code points in Go's `RangeTable` shape: inclusive ranges with a
/// stride, 16-bit ones first.
pub(super) struct Table {
    pub r16: &'static [(u16, u16, u16)],
    pub r32: &'static [(u32, u32, u32)],
}

impl Table {
    fn contains(&self, c: char) -> bool {
        let r = c as u32;
        fn find<T: Copy + Into<u32>>(ranges: &[(T, T, T)], r: u32) -> bool {
            let i = ranges.partition_point(|&(_, hi, _)| hi.into() < r);
            match ranges.get(i) {
                Some(&(lo, _, stride)) => {
                    let (lo, stride) = (lo.into(), stride.into());
                    r >= lo && stride != 0 && (r - lo) % stride == 0
                }
                None => false,
            }
        }
        find(self.r16, r) || find(self.r32, r)
    }
}

/// Go's `unicode.IsUpper`: general category Lu.
pub fn is_upper(c: char) -> bool {
    UPPER.contains(c)
}

/// Go's `unicode.IsLower`: general category Ll.
pub fn is_lower(c: char) -> bool {
    LOWER.contains(c)
}

/// Go's `unicode.IsTitle`: general category Lt.
pub fn is_title(c: char) -> bool {
    TITLE.contains(c)
}

/// Go's `unicode.IsLetter`: general category L.
pub fn is_letter(c: char) -> bool {
    LETTER.contains(c)
}

/// Go's `unicode.IsPunct`: general category P.
pub fn is_punct(c: char) -> bool {
    PUNCT.contains(c)
}

/// Go's `unicode.IsNumber`: general category N.
pub fn is_number(c: char) -> bool {
    NUMBER.contains(c)
}

/// Go's `unicode.IsSpace`: the White_Space property (which Rust's
/// `char::is_whitespace` implements too; the set has not changed between
/// the Unicode versions involved).
pub fn is_space(c: char) -> bool {
    c.is_whitespace()
}

const UPPER_CASE: usize = 0;
const LOWER_CASE: usize = 1;
const TITLE_CASE: usize = 2;
/// The delta that marks an alternating upper/lower run in `CASE_RANGES`.
const UPPER_LOWER: i32 = 0x11_0000;

/// Go's `unicode.To`: the simple case mapping of `c` into `case`.
fn to_case(case: usize, c: char) -> char {
    let r = c as u32;
    let i = CASE_RANGES.partition_point(|&(_, hi, _)| hi < r);
    let Some(&(lo, _, deltas)) = CASE_RANGES.get(i) else {
        return c;
    };
    if r < lo {
        return c;
    }
    let delta = deltas[case];
    let mapped = if delta == UPPER_LOWER {
        // Even offsets in the run are upper case, odd ones lower case.
        lo + (((r - lo) & !1) | (case as u32 & 1))
    } else {
        r.wrapping_add_signed(delta)
    };
    char::from_u32(mapped).unwrap_or(c)
}

/// Go's `unicode.ToUpper`.
pub fn to_upper(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_uppercase()
    } else {
        to_case(UPPER_CASE, c)
    }
}

/// Go's `unicode.ToLower`.
pub fn to_lower(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        to_case(LOWER_CASE, c)
    }
}

/// Go's `unicode.ToTitle`.
pub fn to_title(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_uppercase()
    } else {
        to_case(TITLE_CASE, c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_follow_go() {
        assert!(is_upper('A') && is_upper('Σ') && !is_upper('Ⓐ'));
        assert!(is_lower('ß') && !is_lower('ª') && !is_lower('A'));
        assert!(is_title('ǅ') && !is_title('A'));
        assert!(is_letter('ª') && is_letter('中') && !is_letter('Ⅻ'));
        assert!(is_punct('!') && is_punct('¿') && !is_punct('+'));
        assert!(is_number('²') && is_number('Ⅻ') && !is_number('a'));
        assert!(is_space('\u{85}') && is_space('\u{3000}') && !is_space('\u{200b}'));
    }

    #[test]
    fn simple_case_mappings() {
        assert_eq!(to_upper('ß'), 'ß');
        assert_eq!(to_upper('ÿ'), 'Ÿ');
        assert_eq!(to_upper('ǆ'), 'Ǆ');
        assert_eq!(to_title('ǆ'), 'ǅ');
        assert_eq!(to_lower('ǅ'), 'ǆ');
        assert_eq!(to_lower('İ'), 'i');
        assert_eq!(to_upper('ᾀ'), 'ᾈ');
        assert_eq!(to_upper('Ā'), 'Ā');
        assert_eq!(to_lower('Ā'), 'ā');
        assert_eq!(to_upper('ā'), 'Ā');
        assert_eq!(to_upper('€'), '€');
    }
}
