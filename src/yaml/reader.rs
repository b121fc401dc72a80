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
//! The scanner counts in characters, as Go does (`unread`, `cache(n)` and
//! marks), while the reader walks the UTF-8 text itself: it keeps the byte
//! offset of the current character beside its index, and decodes only the
//! few characters the scanner looks ahead at. Input that is all ASCII
//! (nearly every chart's YAML) needs no decoding at all.
//!
//! go-yaml's byte-order-mark test between tokens looks at the start of its
//! internal buffer rather than at the current character; the reader tracks
//! where that buffer starts so the scanner can reproduce it.
//!
//! Go reads bytes, which need not be UTF-8 (a rendered manifest holding a
//! binary file's contents). Such input comes as a [`Source`]: its text (each
//! invalid byte as U+FFFD) and where the first invalid sequence starts. Go's
//! decoder refuses it in the same chunk-by-chunk order as a control
//! character, with one of its UTF-8 complaints ([`NotUtf8`]).

use super::syntax::{ErrorKind, Mark, SyntaxError};

/// The size of Go's raw input buffer.
const RAW_CHUNK: usize = 512;

const BOM: char = '\u{feff}';

/// The YAML input: its text and, where the bytes Go reads are not UTF-8,
/// where they stop being so.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Source<'a> {
    pub(crate) text: &'a str,
    pub(crate) not_utf8: Option<NotUtf8>,
}

impl<'a> From<&'a str> for Source<'a> {
    fn from(text: &'a str) -> Self {
        Source {
            text,
            not_utf8: None,
        }
    }
}

/// Where input bytes stop being UTF-8 (the text and the bytes agree up to
/// there), and what go-yaml's decoder makes of the sequence there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NotUtf8 {
    /// Where the sequence starts.
    pub(crate) at: usize,
    /// go-yaml's complaint about it.
    pub(crate) problem: &'static str,
    /// How many of its bytes the decoder must have read to complain: the
    /// lead byte alone, or the whole sequence its lead byte announces; more
    /// than `rest` when the input ends first, which it sees at the end.
    need: usize,
    /// How many bytes the input has from `at` on.
    rest: usize,
}

impl NotUtf8 {
    /// The first invalid UTF-8 sequence in `bytes`, if any, as go-yaml's
    /// decoder (`yaml_parser_update_buffer`) finds it.
    pub(crate) fn find(bytes: &[u8]) -> Option<NotUtf8> {
        let at = std::str::from_utf8(bytes).err()?.valid_up_to();
        let (problem, need) = utf8_problem(&bytes[at..]);
        Some(NotUtf8 {
            at,
            problem,
            need,
            rest: bytes.len() - at,
        })
    }
}

/// go-yaml's complaint about the invalid UTF-8 sequence that starts `bad`
/// (the decoder checks the lead byte, that the sequence is complete, each
/// trailing byte, the shortest form and the code point, in that order), and
/// how many bytes it reads to find it.
fn utf8_problem(bad: &[u8]) -> (&'static str, usize) {
    let lead = bad[0];
    let width = match lead {
        b if b & 0x80 == 0 => 1,
        b if b & 0xE0 == 0xC0 => 2,
        b if b & 0xF0 == 0xE0 => 3,
        b if b & 0xF8 == 0xF0 => 4,
        _ => return ("invalid leading UTF-8 octet", 1),
    };
    if width > bad.len() {
        return ("incomplete UTF-8 octet sequence", width);
    }
    let mut value = u32::from(lead & (0xFF >> (width + 1)));
    for &b in &bad[1..width] {
        if b & 0xC0 != 0x80 {
            return ("invalid trailing UTF-8 octet", width);
        }
        value = (value << 6) | u32::from(b & 0x3F);
    }
    let shortest = match width {
        2 => value >= 0x80,
        3 => value >= 0x800,
        4 => value >= 0x10000,
        _ => true,
    };
    if !shortest {
        return ("invalid length of a UTF-8 sequence", width);
    }
    ("invalid Unicode character", width)
}

pub(crate) struct Reader<'a> {
    /// The input after any byte order mark.
    text: &'a str,
    /// Index of the next unread character (it may pass the end, by the
    /// NULs Go appends there).
    pos: usize,
    /// Where character `pos` starts in `text` (at most its length).
    byte: usize,
    /// Where the first non-ASCII character at or after `byte` starts (or
    /// the length): up to there, characters are bytes.
    ascii_until: usize,
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
    /// Where the character at the start of Go's buffer starts in `text`.
    buffer_start: usize,
    /// Where the first character go-yaml does not allow starts in `text`
    /// (or its length).
    first_disallowed: usize,
    /// Where the input's bytes stop being UTF-8, if they do (`text` ends
    /// there: nothing after it is ever decoded).
    not_utf8: Option<NotUtf8>,
    /// The length of the byte order mark dropped from the input.
    bom_len: usize,
}

/// Where the first non-ASCII byte at or after `from` is in `bytes`, or
/// the length.
fn non_ascii_from(bytes: &[u8], from: usize) -> usize {
    // Whole blocks are tested a word at a time (`is_ascii`): a long
    // stretch of ASCII costs little.
    const BLOCK: usize = 64;
    let mut at = from;
    while at + BLOCK <= bytes.len() && bytes[at..at + BLOCK].is_ascii() {
        at += BLOCK;
    }
    bytes[at..]
        .iter()
        .position(|b| !b.is_ascii())
        .map_or(bytes.len(), |i| at + i)
}

/// The length of the UTF-8 sequence that `lead` starts.
#[inline]
fn utf8_len(lead: u8) -> usize {
    match lead {
        0..=0x7f => 1,
        0x80..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

/// Where the first character go-yaml does not allow starts in `text`, if
/// anywhere. Runs of allowed ASCII (most of any YAML file) are skipped
/// without decoding.
fn first_disallowed(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        at += bytes[at..]
            .iter()
            .position(|&b| !allowed_ascii(b))
            .unwrap_or(bytes.len() - at);
        let c = text[at..].chars().next()?;
        if !allowed(c) {
            return Some(at);
        }
        at += c.len_utf8();
    }
    None
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

const CONTROL_CHARACTER: &str = "control characters are not allowed";

fn reader_error(problem: &'static str) -> SyntaxError {
    SyntaxError {
        kind: ErrorKind::Reader,
        problem: problem.to_string(),
        problem_mark: Mark::default(),
        context: "",
        context_mark: Mark::default(),
    }
}

impl<'a> Reader<'a> {
    pub(crate) fn new(source: Source<'a>) -> Reader<'a> {
        // go-yaml's parser reads an empty document as a single line break.
        let text = if source.text.is_empty() {
            "\n"
        } else {
            source.text
        };
        let (body, bom_len) = match text.strip_prefix(BOM) {
            Some(rest) => (rest, BOM.len_utf8()),
            None => (text, 0),
        };
        // The bytes agree with the text up to where they stop being UTF-8.
        let prefix = source
            .not_utf8
            .and_then(|n| Some((body.get(..n.at.checked_sub(bom_len)?)?, n)));
        let (body, total_bytes, not_utf8) = match prefix {
            Some((prefix, n)) => {
                let at = prefix.len();
                (prefix, n.at + n.rest, Some(NotUtf8 { at, ..n }))
            }
            None => (body, text.len(), None),
        };
        let first_disallowed = first_disallowed(body).unwrap_or(body.len());
        Reader {
            text: body,
            pos: 0,
            byte: 0,
            ascii_until: non_ascii_from(body.as_bytes(), 0),
            decoded: 0,
            decoded_bytes: bom_len,
            raw_end: total_bytes.min(RAW_CHUNK),
            total_bytes,
            eof: false,
            nuls: 0,
            buffer_start: 0,
            first_disallowed,
            not_utf8,
            bom_len,
        }
    }

    /// The character `k` places ahead, or NUL past the end.
    #[inline]
    pub(crate) fn at(&self, k: usize) -> char {
        let at = self.byte + k;
        match self.text.as_bytes().get(at) {
            Some(&b) if at < self.ascii_until => char::from(b),
            _ => self.decode_at(k),
        }
    }

    /// [`Reader::at`] past a non-ASCII character or the end. Out of line:
    /// the scanner looks ahead in many places, and this is rarely needed.
    #[cold]
    #[inline(never)]
    fn decode_at(&self, k: usize) -> char {
        self.text[self.walk(k)..].chars().next().unwrap_or('\0')
    }

    /// The characters from the current one on, then NULs without end.
    #[inline]
    pub(crate) fn chars_ahead(&self) -> impl Iterator<Item = char> + '_ {
        self.chars_from(self.byte)
    }

    /// The characters from byte offset `at` on, then NULs without end.
    #[inline]
    fn chars_from(&self, at: usize) -> impl Iterator<Item = char> + '_ {
        self.text[at..].chars().chain(std::iter::repeat('\0'))
    }

    /// The next `n` characters as bytes, when those in the text are all
    /// ASCII (fewer than `n` bytes near the end: NULs come after them).
    #[inline]
    pub(crate) fn ascii_ahead(&self, n: usize) -> Option<&[u8]> {
        let end = (self.byte + n).min(self.text.len());
        (end <= self.ascii_until).then(|| &self.text.as_bytes()[self.byte..end])
    }

    /// How many of the next `limit` characters (NULs past the end
    /// included) satisfy `f`, stopping at the first that does not.
    #[inline]
    pub(crate) fn count_while(&self, limit: usize, f: impl Fn(char) -> bool) -> usize {
        let ascii = (self.ascii_until - self.byte).min(limit);
        let bytes = &self.text.as_bytes()[self.byte..self.byte + ascii];
        match bytes.iter().position(|&b| !f(char::from(b))) {
            Some(n) => n,
            None if ascii == limit => limit,
            None => ascii + self.count_decoding(self.byte + ascii, limit - ascii, &f),
        }
    }

    /// [`Reader::count_while`] from byte offset `from` on, past the ASCII
    /// stretch (out of line, as [`Reader::decode_at`]).
    #[cold]
    #[inline(never)]
    fn count_decoding(&self, from: usize, limit: usize, f: &dyn Fn(char) -> bool) -> usize {
        let more = self.chars_from(from).take(limit).position(|c| !f(c));
        more.unwrap_or(limit)
    }

    /// Where the character `n` places ahead starts (the end past it).
    #[inline]
    fn byte_ahead(&self, n: usize) -> usize {
        if self.byte + n <= self.ascii_until || self.ascii_until == self.text.len() {
            return (self.byte + n).min(self.text.len());
        }
        self.walk(n)
    }

    /// Where the character `n` places ahead starts, found by walking the
    /// characters (out of line, as [`Reader::decode_at`]).
    #[cold]
    #[inline(never)]
    fn walk(&self, n: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut at = self.byte;
        for _ in 0..n {
            match bytes.get(at) {
                Some(&b) => at += utf8_len(b),
                None => break,
            }
        }
        at
    }

    /// Consumes `n` characters (NULs past the end included).
    #[inline]
    pub(crate) fn advance(&mut self, n: usize) {
        self.pos += n;
        let to = self.byte + n;
        if to <= self.ascii_until {
            self.byte = to;
        } else {
            self.advance_past_ascii(n);
        }
    }

    /// [`Reader::advance`] over a non-ASCII character or past the end (out
    /// of line, as [`Reader::decode_at`]).
    #[cold]
    #[inline(never)]
    fn advance_past_ascii(&mut self, n: usize) {
        self.byte = self.byte_ahead(n);
        if self.byte > self.ascii_until {
            self.ascii_until = non_ascii_from(self.text.as_bytes(), self.byte);
        }
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
        s.push_str(&self.text[self.byte..self.byte_ahead(n)]);
    }

    /// Whether Go's buffer starts with a byte order mark (go-yaml's
    /// `is_bom(parser.buffer, ...)`, which ignores the position it is given).
    pub(crate) fn bom_at_buffer_start(&self) -> bool {
        self.text
            .get(self.buffer_start..)
            .is_some_and(|rest| rest.starts_with(BOM))
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
        self.buffer_start = self.byte;
        let bom_len = self.bom_len;
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
            let from = self.decoded_bytes - bom_len;
            let raw_end = self.raw_end - bom_len;
            let mut to = raw_end.min(self.text.len());
            while !self.text.is_char_boundary(to) {
                to -= 1;
            }
            // Go refuses in order: a character before the bytes that are
            // not UTF-8 first, then those once it has read enough of them.
            if self.first_disallowed < to {
                return Err(reader_error(CONTROL_CHARACTER));
            }
            if let Some(n) = self.not_utf8 {
                let read = if n.need <= n.rest {
                    raw_end >= n.at + n.need
                } else {
                    self.eof
                };
                if read {
                    return Err(reader_error(n.problem));
                }
            }
            let chunk = &self.text.as_bytes()[from..to];
            self.decoded += if chunk.is_ascii() {
                chunk.len()
            } else {
                // Every byte but a continuation byte starts a character.
                chunk.iter().filter(|&&b| (b as i8) >= -0x40).count()
            };
            self.decoded_bytes = bom_len + to;
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
    fn characters_ahead_are_decoded_from_the_text() {
        let mut r = Reader::new("aé😀b".into());
        r.cache(4).unwrap();
        let ahead: Vec<char> = (0..5).map(|k| r.at(k)).collect();
        assert_eq!(ahead, ['a', 'é', '😀', 'b', '\0']);
        r.advance(2);
        assert_eq!((r.at(0), r.at(1), r.at(2)), ('😀', 'b', '\0'));
        assert_eq!(r.unread(), 2);
        let mut s = String::new();
        r.push_ahead(2, &mut s);
        assert_eq!(s, "😀b");
        assert_eq!(r.chars_ahead().take(4).collect::<String>(), "😀b\0\0");
        // Past the end only NULs are left, however far the scanner goes.
        r.advance(3);
        assert_eq!((r.at(0), r.at(1)), ('\0', '\0'));
    }

    #[test]
    fn runs_and_windows_cross_non_ascii_characters_and_the_end() {
        let mut r = Reader::new("ab é😀 cd".into());
        r.cache(20).unwrap();
        let unread = r.unread();
        // Counting goes on past the ASCII stretch, then into the NULs.
        assert_eq!(r.count_while(unread, |c| c != ' '), 2);
        assert_eq!(r.count_while(unread, |c| c != 'c'), 6);
        assert_eq!(r.count_while(unread, |c| c != '\u{1}'), unread);
        // A window is plain bytes only while the characters are ASCII.
        assert_eq!(r.ascii_ahead(3), Some(&b"ab "[..]));
        assert_eq!(r.ascii_ahead(4), None);
        r.advance(5);
        assert_eq!(r.at(0), ' ');
        // Near the end a window is shorter: NULs follow it.
        assert_eq!(r.ascii_ahead(unread), Some(&b" cd"[..]));
        r.advance(1);
        assert_eq!(r.count_while(r.unread(), |c| c != '\0'), 2);
    }

    #[test]
    fn the_first_character_go_yaml_refuses_is_found_by_its_offset() {
        for (text, bad) in [
            ("aé\u{1}b\u{2}", Some(3)),
            ("é\u{7f}", Some(2)),
            ("\u{9f}é", Some(0)),
            ("é\u{fffe}x", Some(2)),
            ("é\t\r\n\u{85}\u{a0}\u{10000}", None),
        ] {
            let found = first_disallowed(text);
            assert_eq!(found, bad, "{text:?}");
            let by_chars = text
                .char_indices()
                .find(|&(_, c)| !allowed(c))
                .map(|(i, _)| i);
            assert_eq!(found, by_chars, "{text:?}");
        }
    }

    #[test]
    fn a_character_across_the_chunk_end_waits_for_the_next_chunk() {
        let mut text = "a".repeat(RAW_CHUNK - 1);
        text.push_str("é\u{1}");
        let mut r = Reader::new(text.as_str().into());
        assert!(r.cache(RAW_CHUNK - 1).is_ok());
        assert_eq!(r.unread(), RAW_CHUNK - 1);
        r.advance(RAW_CHUNK - 1);
        let err = r.cache(1).unwrap_err();
        assert_eq!(err.problem, "control characters are not allowed");
    }

    #[test]
    fn reads_chars_then_nul() {
        let mut r = Reader::new("ab".into());
        r.cache(4).unwrap();
        assert_eq!((r.at(0), r.at(1), r.at(2)), ('a', 'b', '\0'));
    }

    #[test]
    fn empty_input_is_a_line_break() {
        let r = Reader::new("".into());
        assert_eq!(r.at(0), '\n');
    }

    #[test]
    fn drops_leading_bom() {
        let r = Reader::new("\u{feff}a".into());
        assert_eq!(r.at(0), 'a');
    }

    #[test]
    fn runs_are_copied_as_text() {
        for text in ["ab cd", "é b", "\u{feff}ab"] {
            let mut r = Reader::new(text.into());
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
        let mut r = Reader::new(text.as_str().into());
        assert!(r.cache(1).is_ok());
        r.advance(256);
        let err = r.cache(1).unwrap_err();
        assert_eq!(err.problem, "control characters are not allowed");
    }

    #[test]
    fn control_character_found_when_its_chunk_is_decoded() {
        let mut text = "a".repeat(600);
        text.push('\u{1}');
        let mut r = Reader::new(text.as_str().into());
        assert!(r.cache(1).is_ok());
        r.advance(511);
        assert!(r.cache(1).is_ok());
        r.advance(1);
        let err = r.cache(1).unwrap_err();
        assert_eq!(err.problem, "control characters are not allowed");
    }
}
