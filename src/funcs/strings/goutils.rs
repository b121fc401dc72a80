//! The Masterminds/goutils v1.1.1 string helpers Sprig exposes:
//! `AbbreviateFull` (`abbrev`, `abbrevboth`), `WrapCustom` (`wrap`,
//! `wrapWith`), `DeleteWhiteSpace` (`nospace`), `Initials`, `Uncapitalize`
//! (`untitle`) and `SwapCase`.
//!
//! goutils mixes byte and rune views of a string: abbreviation and wrapping
//! measure and cut bytes, and `DeleteWhiteSpace` and `Initials` turn every
//! byte into the rune of the same number, so non-ASCII text comes out as
//! its UTF-8 bytes read as Latin-1. Those quirks are reproduced.

use super::unicode::{is_lower, is_space, is_title, is_upper, to_lower, to_title, to_upper};
use crate::value::go_text;

/// `AbbreviateFull(s, offset, max_width)` with its error discarded, as
/// Sprig does (an error yields the empty string).
pub(super) fn abbreviate(s: &str, offset: i64, max_width: i64) -> String {
    abbreviate_bytes(s.as_bytes(), offset, max_width)
        .map(|b| go_text(&b))
        .unwrap_or_default()
}

fn abbreviate_bytes(s: &[u8], mut offset: i64, max_width: i64) -> Option<Vec<u8>> {
    const MARKER: &[u8] = b"...";
    if s.is_empty() {
        return Some(Vec::new());
    }
    if max_width < 4 {
        return None;
    }
    let len = s.len() as i64;
    if len <= max_width {
        return Some(s.to_vec());
    }
    // From here on max_width < len, so every index below is in range. Go's
    // int arithmetic wraps, which matters for a hugely negative offset.
    offset = offset.min(len);
    if len.wrapping_sub(offset) < max_width - 3 {
        offset = len - (max_width - 3);
    }
    if offset <= 4 {
        return Some([&s[..(max_width - 3) as usize], MARKER].concat());
    }
    if max_width < 7 {
        return None;
    }
    if offset + max_width - 3 < len {
        let rest = abbreviate_bytes(&s[offset as usize..], 0, max_width - 3).unwrap_or_default();
        return Some([MARKER, &rest].concat());
    }
    Some([MARKER, &s[(len - (max_width - 3)) as usize..]].concat())
}

/// `WrapCustom(s, wrap_length, new_line, wrap_long_words)`: breaks `s` at
/// spaces so that lines are at most `wrap_length` bytes where possible.
pub(super) fn wrap(s: &str, wrap_length: i64, new_line: &str, wrap_long_words: bool) -> String {
    if s.is_empty() {
        return String::new();
    }
    let new_line = if new_line.is_empty() { "\n" } else { new_line };
    let width = wrap_length.max(1);
    let bytes = s.as_bytes();
    let len = bytes.len();
    let mut out: Vec<u8> = Vec::with_capacity(len + len / 4);
    let mut offset = 0usize;
    // The loop only runs while more than `width` bytes remain, so `width`
    // fits in a usize there and `offset + width + 1 <= len`.
    while ((len - offset) as i64) > width {
        let w = width as usize;
        if bytes[offset] == b' ' {
            offset += 1;
            continue;
        }
        let window = &bytes[offset..offset + w + 1];
        if let Some(space) = window.iter().rposition(|&b| b == b' ') {
            out.extend_from_slice(&bytes[offset..offset + space]);
            out.extend_from_slice(new_line.as_bytes());
            offset += space + 1;
        } else if wrap_long_words {
            out.extend_from_slice(&bytes[offset..offset + w]);
            out.extend_from_slice(new_line.as_bytes());
            offset += w;
        } else {
            let end = offset + w;
            match bytes[end..].iter().position(|&b| b == b' ') {
                None => {
                    out.extend_from_slice(&bytes[offset..]);
                    offset = len;
                }
                Some(i) => {
                    out.extend_from_slice(&bytes[offset..end + i]);
                    out.extend_from_slice(new_line.as_bytes());
                    offset = end + i + 1;
                }
            }
        }
    }
    out.extend_from_slice(&bytes[offset..]);
    go_text(&out)
}

/// Whether a byte, read as the Latin-1 rune of the same number, is white
/// space for Go (`\t`..`\r`, space, U+0085 and U+00A0).
fn is_space_byte(b: u8) -> bool {
    is_space(char::from(b))
}

/// `DeleteWhiteSpace`: drops white-space bytes; if any were dropped, the
/// remaining bytes are re-encoded as Latin-1 runes.
pub(super) fn delete_white_space(s: &str) -> String {
    if !s.bytes().any(is_space_byte) {
        return s.to_string();
    }
    s.bytes()
        .filter(|&b| !is_space_byte(b))
        .map(char::from)
        .collect()
}

/// `Initials`: the first byte of every white-space separated word, each
/// written as the Latin-1 rune of that number.
pub(super) fn initials(s: &str) -> String {
    let mut out = String::new();
    let mut last_was_gap = true;
    for b in s.bytes() {
        if is_space_byte(b) {
            last_was_gap = true;
        } else if last_was_gap {
            out.push(char::from(b));
            last_was_gap = false;
        }
    }
    out
}

/// `Uncapitalize`: lower-cases the first rune of every white-space
/// separated word.
pub(super) fn uncapitalize(s: &str) -> String {
    let mut next = true;
    s.chars()
        .map(|c| {
            if is_space(c) {
                next = true;
                c
            } else if next {
                next = false;
                to_lower(c)
            } else {
                c
            }
        })
        .collect()
}

/// `SwapCase`: upper and title case become lower case; lower case becomes
/// title case at the start of a word and upper case elsewhere.
pub(super) fn swap_case(s: &str) -> String {
    let mut whitespace = true;
    s.chars()
        .map(|c| {
            if is_upper(c) || is_title(c) {
                whitespace = false;
                to_lower(c)
            } else if is_lower(c) {
                if whitespace {
                    whitespace = false;
                    to_title(c)
                } else {
                    to_upper(c)
                }
            } else {
                whitespace = is_space(c);
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviates_like_goutils() {
        assert_eq!(abbreviate("hello world", 0, 5), "he...");
        assert_eq!(abbreviate("1234 5678 9123", 5, 10), "...5678...");
        assert_eq!(abbreviate("abcdefghijklmno", 10, 10), "...ijklmno");
        assert_eq!(abbreviate("abcdefghijklmno", 5, 6), "");
        assert_eq!(abbreviate("short", 0, 10), "short");
    }

    #[test]
    fn wraps_like_goutils() {
        assert_eq!(wrap("Hello World", 5, "", false), "Hello\nWorld");
        assert_eq!(wrap("Hello World", 5, "\t", true), "Hello\tWorld");
        assert_eq!(wrap("abcdefgh ij", 3, "", false), "abcdefgh\nij");
        assert_eq!(wrap("abcdefgh ij", 3, "|", true), "abc|def|gh|ij");
        assert_eq!(wrap("a  b", 0, "", false), "a\nb");
    }

    #[test]
    fn byte_walkers_read_latin1() {
        assert_eq!(delete_white_space("h e l l o "), "hello");
        assert_eq!(delete_white_space("héllo"), "héllo");
        assert_eq!(delete_white_space("é x"), "Ã©x");
        assert_eq!(delete_white_space("à"), "Ã");
        assert_eq!(initials("First Try"), "FT");
        assert_eq!(initials("éa b"), "Ãb");
    }

    #[test]
    fn case_helpers() {
        assert_eq!(uncapitalize("First Try"), "first try");
        assert_eq!(swap_case("Hello wORLD ǆx"), "hELLO World ǅX");
    }
}
