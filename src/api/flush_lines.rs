//! The lines of a YAML stream that do not start with a space ("flush"
//! lines): `---` separators, `# Source:` comments and a document's
//! top-level keys. The manifest cards ([`super::json`]) look at nothing
//! else, and the indented lines of a large document (a CRD's schema is tens
//! of thousands of them) are skipped eight bytes at a time: a line feed
//! followed by anything but a space is searched for in whole words, without
//! stopping at every line.

/// The byte offsets at which the flush lines of `text` start, in order.
pub(super) fn flush_line_starts(text: &str) -> FlushLineStarts<'_> {
    FlushLineStarts {
        bytes: text.as_bytes(),
        at: 0,
    }
}

/// The iterator of [`flush_line_starts`].
pub(super) struct FlushLineStarts<'a> {
    bytes: &'a [u8],
    /// The start of the next line not looked at yet.
    at: usize,
}

impl Iterator for FlushLineStarts<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        let start = match self.bytes.get(self.at)? {
            b' ' => next_flush_line(self.bytes, self.at)?,
            _ => self.at,
        };
        self.at = line_end(self.bytes, start);
        Some(start)
    }
}

/// The offset just past the line starting at `start` (past its line feed,
/// or the end of the text).
pub(super) fn line_end(bytes: &[u8], start: usize) -> usize {
    match memchr::memchr(b'\n', &bytes[start..]) {
        Some(i) => start + i + 1,
        None => bytes.len(),
    }
}

/// The start of the first line after the one containing `from` that does
/// not start with a space, `None` if there is none.
fn next_flush_line(bytes: &[u8], from: usize) -> Option<usize> {
    use crate::swar::{bytes_equal_to, first_marked, word_at};
    let mut i = from;
    // Each step reads the word at `i` and, one byte on, the word of the
    // bytes that follow each of its bytes.
    while let (Some(here), Some(next)) = (word_at(bytes, i), word_at(bytes, i + 1)) {
        let found = bytes_equal_to(here, b'\n') & !bytes_equal_to(next, b' ');
        if found != 0 {
            return Some(i + first_marked(found) + 1);
        }
        i += 8;
    }
    while i < bytes.len() {
        if bytes[i] == b'\n' {
            match bytes.get(i + 1) {
                None => return None,
                Some(b' ') => {}
                Some(_) => return Some(i + 1),
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same answer line by line.
    fn flush_lines_one_by_one(text: &str) -> Vec<usize> {
        let mut starts = Vec::new();
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            if !line.starts_with(' ') {
                starts.push(at);
            }
            at += line.len();
        }
        starts
    }

    #[test]
    fn finds_the_lines_that_do_not_start_with_a_space() {
        let text =
            "---\n# Source: a.yaml\nkind: A\nspec:\n  x: 1\n  y:\n    - z\n\n\tt\n#c\nstatus: {}";
        let starts: Vec<usize> = flush_line_starts(text).collect();
        assert_eq!(starts, flush_lines_one_by_one(text));
        let lines: Vec<&str> = starts
            .iter()
            .map(|&s| &text[s..line_end(text.as_bytes(), s)])
            .collect();
        assert_eq!(
            lines,
            [
                "---\n",
                "# Source: a.yaml\n",
                "kind: A\n",
                "spec:\n",
                "\n",
                "\tt\n",
                "#c\n",
                "status: {}"
            ]
        );
    }

    #[test]
    fn edges_of_the_text_and_of_each_word() {
        for text in [
            "",
            " ",
            "\n",
            " \n",
            "a",
            " a\nb",
            "a\n ",
            "a\n",
            " x\n \n y\n",
        ] {
            assert_eq!(
                flush_line_starts(text).collect::<Vec<_>>(),
                flush_lines_one_by_one(text),
                "{text:?}"
            );
        }
        // A flush line at every offset within and across eight-byte words.
        for indent in 0..20 {
            for tail in 0..10 {
                let text = format!(
                    " {}\n{}\nk: v\n{}",
                    "x".repeat(indent),
                    " ".repeat(tail),
                    "y".repeat(tail)
                );
                assert_eq!(
                    flush_line_starts(&text).collect::<Vec<_>>(),
                    flush_lines_one_by_one(&text),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn agrees_with_the_line_by_line_reading_on_pseudo_random_text() {
        let mut rng = crate::test_rng::Xorshift::new(0x2545_f491_4f6c_dd1d);
        for _ in 0..2000 {
            let len = (rng.value() % 90) as usize;
            let text: String = (0..len)
                .map(|_| [' ', ' ', ' ', '\n', 'a', '#', '\t', 'é'][rng.below(8)])
                .collect();
            assert_eq!(
                flush_line_starts(&text).collect::<Vec<_>>(),
                flush_lines_one_by_one(&text),
                "{text:?}"
            );
        }
    }
}
