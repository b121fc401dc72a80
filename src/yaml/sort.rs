//! The key order of go-yaml's encoders (`sorter.go`'s `keyList.Less`) for
//! string keys, in v2's and v3's variants, and the stable sort both use.
//!
//! Keys compare character by character; at the first difference two letters
//! compare as characters, a letter sorts after a non-letter (v3: before it
//! when the run so far is digits), and runs of digits compare by value (so
//! `a2` sorts before `a10`), a longer run with the same value sorting later.
//! Letters and digits are Go's `unicode.IsLetter` (category L) and
//! `unicode.IsDigit` (category Nd).

use super::emitter::Dialect;

/// A stable merge sort driven by a "less" function (which, like Go's, need
/// not be a perfect total order; this never panics on one that is not).
pub(crate) fn sort_by_less<T>(items: &mut Vec<T>, less: impl Fn(&T, &T) -> bool + Copy) {
    if items.len() < 2 {
        return;
    }
    let mut right = items.split_off(items.len() / 2);
    sort_by_less(items, less);
    sort_by_less(&mut right, less);
    let left = std::mem::take(items);
    let mut merged = Vec::with_capacity(left.len() + right.len());
    let mut left = left.into_iter().peekable();
    let mut right = right.into_iter().peekable();
    while let (Some(l), Some(r)) = (left.peek(), right.peek()) {
        if less(r, l) {
            merged.extend(right.next());
        } else {
            merged.extend(left.next());
        }
    }
    merged.extend(left);
    merged.extend(right);
    *items = merged;
}

/// Go's `unicode.IsLetter`.
fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || (!c.is_ascii() && unicode_class(c, 0))
}

/// Go's `unicode.IsDigit`.
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && unicode_class(c, 1))
}

fn unicode_class(c: char, which: usize) -> bool {
    thread_local! {
        static CLASSES: [regex::Regex; 2] = [
            regex::Regex::new(r"^\p{L}$").expect("valid regex"),
            regex::Regex::new(r"^\p{Nd}$").expect("valid regex"),
        ];
    }
    let mut buf = [0u8; 4];
    let s = c.encode_utf8(&mut buf);
    CLASSES.with(|re| re[which].is_match(s))
}

/// go-yaml's `keyList.Less` for two string keys, given as characters.
pub(crate) fn text_less(ar: &[char], br: &[char], dialect: Dialect) -> bool {
    let mut digits = false;
    for i in 0..ar.len().min(br.len()) {
        if ar[i] == br[i] {
            digits = is_digit(ar[i]);
            continue;
        }
        let al = is_letter(ar[i]);
        let bl = is_letter(br[i]);
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return if digits && dialect == Dialect::V3 {
                al
            } else {
                bl
            };
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && is_digit(ar[j - 1]) {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && is_digit(ar[ai]) {
            an = an.wrapping_mul(10).wrapping_add(ar[ai] as i64 - '0' as i64);
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && is_digit(br[bi]) {
            bn = bn.wrapping_mul(10).wrapping_add(br[bi] as i64 - '0' as i64);
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(keys: &[&str], dialect: Dialect) -> Vec<String> {
        let mut v: Vec<Vec<char>> = keys.iter().map(|s| s.chars().collect()).collect();
        sort_by_less(&mut v, |a, b| text_less(a, b, dialect));
        v.into_iter().map(|c| c.into_iter().collect()).collect()
    }

    #[test]
    fn natural_key_order() {
        for dialect in [Dialect::V2, Dialect::V3] {
            assert_eq!(sorted(&["a10", "a9", "a1"], dialect), ["a1", "a9", "a10"]);
            assert_eq!(
                sorted(&["b", "B", "a", "_x", "1"], dialect),
                ["_x", "1", "B", "a", "b"]
            );
            assert_eq!(sorted(&["a01", "a1"], dialect), ["a1", "a01"]);
            assert_eq!(
                sorted(&["x-2", "x-10", "x.1"], dialect),
                ["x-2", "x-10", "x.1"]
            );
            assert_eq!(sorted(&["ab", "a"], dialect), ["a", "ab"]);
        }
    }

    #[test]
    fn after_digits_v3_puts_letters_first() {
        assert_eq!(sorted(&["1_", "1a"], Dialect::V2), ["1_", "1a"]);
        assert_eq!(sorted(&["1_", "1a"], Dialect::V3), ["1a", "1_"]);
    }

    #[test]
    fn letters_and_digits_are_go_unicode_classes() {
        // U+00AA is a letter (Lo); U+2167 (Roman numeral eight) is a number
        // but not a decimal digit (Nl); U+0663 is an Arabic-Indic digit (Nd).
        assert!(is_letter('\u{aa}'));
        assert!(!is_digit('\u{2167}'));
        assert!(is_digit('\u{663}'));
        // U+0345 is Alphabetic in Unicode but a mark (Mn), not a Go letter.
        assert!(!is_letter('\u{345}'));
    }
}
