//! The character source of the YAML scanner, mirroring go-yaml v2's reader
//! (`readerc.go`): a leading UTF-8 byte order mark is dropped, and input is
//! decoded lazily in 512-byte chunks, each checked for characters YAML does
//! not allow (`control characters are not allowed`). Because Go checks a
//! whole chunk when the scanner first needs a character from it, a control
//! character can be reported before a syntax error that precedes it in the
//! same chunk; this reader reproduces that order.
//!
//! Past the end of input the reader yields NUL, Go's end-of-input marker.
//!
//! go-yaml's byte-order-mark test between tokens looks at the start of its
//! internal buffer rather than at the current character; the reader tracks
//! where that buffer starts so the scanner can reproduce it.

use super::syntax::{ErrorKind, Mark, SyntaxError};

/// The size of Go's raw input buffer.
const RAW_CHUNK: usize = 512;

pub(crate) struct Reader {
    chars: Vec<char>,
    /// Index of the next unread character.
    pub pos: usize,
    /// Number of characters decoded (checked) so far.
    decoded: usize,
    /// Byte offset in the input up to which characters are decoded.
    decoded_bytes: usize,
    /// Byte offset in the input up to which Go has read raw bytes.
    raw_end: usize,
    total_bytes: usize,
    eof: bool,
    /// End-of-input NULs Go has appended (each counts as unread).
    nuls: usize,
    /// Index of the character at the start of Go's buffer.
    buffer_start: usize,
    /// The input after any byte order mark (for copying runs of characters
    /// as text).
    text: String,
    /// Where each character starts in `text`, and its length last; `None`
    /// when every character is ASCII, so that character and byte offsets
    /// are the same.
    starts: Option<Vec<usize>>,
    /// Index of the first character go-yaml does not allow (or the length).
    first_disallowed: usize,
}

/// The characters of `text` and where each starts, then the length, and
/// the index of the first character go-yaml does not allow, if any. Runs
/// of allowed ASCII (most of any YAML file) are copied without decoding.
fn decode_with_starts(text: &str) -> (Vec<char>, Vec<usize>, Option<usize>) {
    let bytes = text.as_bytes();
    let mut chars = Vec::with_capacity(bytes.len());
    let mut starts = Vec::with_capacity(bytes.len() + 1);
    let mut first_disallowed = None;
    let mut at = 0;
    while at < bytes.len() {
        let run = bytes[at..]
            .iter()
            .position(|&b| !allowed_ascii(b))
            .unwrap_or(bytes.len() - at);
        chars.extend(bytes[at..at + run].iter().map(|&b| char::from(b)));
        starts.extend(at..at + run);
        at += run;
        if let Some(c) = text[at..].chars().next() {
            if first_disallowed.is_none() && !allowed(c) {
                first_disallowed = Some(chars.len());
            }
            chars.push(c);
            starts.push(at);
            at += c.len_utf8();
        }
    }
    starts.push(bytes.len());
    (chars, starts, first_disallowed)
}

/// [`allowed`] for an ASCII byte.
fn allowed_ascii(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\r' | 0x20..=0x7e)
}

/// Whether go-yaml accepts `c` in a YAML stream.
fn allowed(c: char) -> bool {
    matches!(c as u32,
        0x09 | 0x0a | 0x0d | 0x20..=0x7e | 0x85 | 0xa0..=0xd7ff | 0xe000..=0xfffd | 0x10000..=0x10ffff)
}

fn control_character() -> SyntaxError {
    SyntaxError {
        kind: ErrorKind::Reader,
        problem: "control characters are not allowed".to_string(),
        problem_mark: Mark::default(),
        context: "",
        context_mark: Mark::default(),
    }
}

impl Reader {
    pub(crate) fn new(text: &str) -> Reader {
        // go-yaml's parser reads an empty document as a single line break.
        let text = if text.is_empty() { "\n" } else { text };
        let total_bytes = text.len();
        let (body, bom_len) = match text.strip_prefix('\u{feff}') {
            Some(rest) => (rest, 3),
            None => (text, 0),
        };
        let (chars, first_disallowed, starts): (Vec<char>, _, _) = if body.is_ascii() {
            let bad = body.bytes().position(|b| !allowed_ascii(b));
            (body.bytes().map(char::from).collect(), bad, None)
        } else {
            let (chars, starts, bad) = decode_with_starts(body);
            (chars, bad, Some(starts))
        };
        let first_disallowed = first_disallowed.unwrap_or(chars.len());
        Reader {
            chars,
            pos: 0,
            decoded: 0,
            decoded_bytes: bom_len,
            raw_end: total_bytes.min(RAW_CHUNK),
            total_bytes,
            eof: false,
            nuls: 0,
            buffer_start: 0,
            text: body.to_string(),
            starts,
            first_disallowed,
        }
    }

    /// The character `k` places ahead, or NUL past the end.
    #[inline]
    pub(crate) fn at(&self, k: usize) -> char {
        self.chars.get(self.pos + k).copied().unwrap_or('\0')
    }

    /// The next (at most) `n` characters that are in the input, without
    /// the NULs past its end.
    #[inline]
    pub(crate) fn ahead(&self, n: usize) -> &[char] {
        let from = self.pos.min(self.chars.len());
        &self.chars[from..self.pos.saturating_add(n).min(self.chars.len())]
    }

    /// Go's `parser.unread`: decoded characters (and NULs) not yet consumed.
    /// Up to this many characters can be consumed without decoding more.
    #[inline]
    pub(crate) fn unread(&self) -> usize {
        (self.decoded + self.nuls).saturating_sub(self.pos)
    }

    /// Appends the next `n` characters (decoded, not NULs) to `s`.
    #[inline]
    pub(crate) fn push_ahead(&self, n: usize, s: &mut String) {
        s.push_str(&self.text[self.byte_at(self.pos)..self.byte_at(self.pos + n)]);
    }

    /// Where character `index` (or the end, at the character count) starts
    /// in `text`.
    #[inline]
    fn byte_at(&self, index: usize) -> usize {
        match &self.starts {
            None => index,
            Some(starts) => starts[index],
        }
    }

    /// Whether Go's buffer starts with a byte order mark (go-yaml's
    /// `is_bom(parser.buffer, ...)`, which ignores the position it is given).
    pub(crate) fn bom_at_buffer_start(&self) -> bool {
        self.chars.get(self.buffer_start) == Some(&'\u{feff}')
    }

    /// Go's `cache(parser, n)`: makes sure `n` characters are decoded,
    /// decoding (and checking) further chunks as Go would.
    #[inline]
    pub(crate) fn cache(&mut self, n: usize) -> Result<(), SyntaxError> {
        if self.decoded + self.nuls >= self.pos + n {
            return Ok(());
        }
        self.fill(n)
    }

    /// The slow path of [`Reader::cache`].
    fn fill(&mut self, n: usize) -> Result<(), SyntaxError> {
        // Go moves the unread characters to the start of its buffer.
        self.buffer_start = self.pos;
        let mut first = true;
        while self.unread() < n {
            if (!first || self.decoded_bytes == self.raw_end) && !self.eof {
                if self.raw_end >= self.total_bytes {
                    self.eof = true;
                } else {
                    self.raw_end = (self.decoded_bytes + RAW_CHUNK).min(self.total_bytes);
                }
            }
            first = false;
            // Every character that ends by the raw end is decoded at once.
            let bom_len = self.total_bytes - self.text.len();
            let limit = self.raw_end - bom_len;
            let decoded = match &self.starts {
                None => limit,
                Some(starts) => starts[1..].partition_point(|&end| end <= limit),
            };
            if self.first_disallowed < decoded {
                return Err(control_character());
            }
            self.decoded = decoded;
            self.decoded_bytes = bom_len + self.byte_at(decoded);
            if self.eof {
                self.nuls += 1;
                break;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_characters_with_their_starts() {
        let (chars, starts, bad) = decode_with_starts("aé😀b");
        assert_eq!(chars, ['a', 'é', '😀', 'b']);
        assert_eq!(starts, [0, 1, 3, 7, 8]);
        assert_eq!(bad, None);
    }

    #[test]
    fn the_first_character_go_yaml_refuses_is_found_by_its_index() {
        for (text, bad) in [
            ("aé\u{1}b\u{2}", Some(2)),
            ("é\u{7f}", Some(1)),
            ("\u{9f}é", Some(0)),
            ("é\u{fffe}x", Some(1)),
            ("é\t\r\n\u{85}\u{a0}\u{10000}", None),
        ] {
            let (chars, _, found) = decode_with_starts(text);
            assert_eq!(found, bad, "{text:?}");
            assert_eq!(found, chars.iter().position(|&c| !allowed(c)), "{text:?}");
        }
    }

    #[test]
    fn a_character_across_the_chunk_end_waits_for_the_next_chunk() {
        let mut text = "a".repeat(RAW_CHUNK - 1);
        text.push_str("é\u{1}");
        let mut r = Reader::new(&text);
        assert!(r.cache(RAW_CHUNK - 1).is_ok());
        assert_eq!(r.unread(), RAW_CHUNK - 1);
        r.pos = RAW_CHUNK - 1;
        let err = r.cache(1).unwrap_err();
        assert_eq!(err.problem, "control characters are not allowed");
    }

    #[test]
    fn reads_chars_then_nul() {
        let mut r = Reader::new("ab");
        r.cache(4).unwrap();
        assert_eq!((r.at(0), r.at(1), r.at(2)), ('a', 'b', '\0'));
    }

    #[test]
    fn empty_input_is_a_line_break() {
        let r = Reader::new("");
        assert_eq!(r.at(0), '\n');
    }

    #[test]
    fn drops_leading_bom() {
        let r = Reader::new("\u{feff}a");
        assert_eq!(r.at(0), 'a');
    }

    #[test]
    fn runs_are_copied_as_text() {
        for text in ["ab cd", "é b", "\u{feff}ab"] {
            let mut r = Reader::new(text);
            r.cache(3).unwrap();
            let mut s = String::new();
            r.push_ahead(2, &mut s);
            assert_eq!(
                s,
                text.trim_start_matches('\u{feff}')
                    .chars()
                    .take(2)
                    .collect::<String>()
            );
        }
    }

    #[test]
    fn control_character_found_in_a_non_ascii_chunk() {
        let mut text = "é".repeat(300);
        text.push('\u{7f}');
        let mut r = Reader::new(&text);
        assert!(r.cache(1).is_ok());
        r.pos = 256;
        let err = r.cache(1).unwrap_err();
        assert_eq!(err.problem, "control characters are not allowed");
    }

    #[test]
    fn control_character_found_when_its_chunk_is_decoded() {
        let mut text = "a".repeat(600);
        text.push('\u{1}');
        let mut r = Reader::new(&text);
        assert!(r.cache(1).is_ok());
        r.pos = 511;
        assert!(r.cache(1).is_ok());
        r.pos = 512;
        let err = r.cache(1).unwrap_err();
        assert_eq!(err.problem, "control characters are not allowed");
    }
}
