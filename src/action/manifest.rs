//! Rendered manifests, mirroring Helm v3.21.4's `pkg/releaseutil/manifest.go`:
//! a file's text is cut into YAML documents at `---` separators (Helm's
//! `SplitManifests` with the separator pattern `(?:^|\s*\n)---\s*`, Go's
//! ASCII `\s`), and each document's head (`apiVersion`, `kind`,
//! `metadata.name`, `metadata.annotations`) is read as Helm's `SimpleHead`.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::template::fmt::decode_rune;
use crate::value::Value;
use crate::yaml::{from_source_into, GoType, Source, YamlError, SIMPLE_HEAD};

/// What Helm reads of a manifest (`releaseutil.SimpleHead`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SimpleHead {
    /// `apiVersion`.
    pub api_version: String,
    pub kind: String,
    /// `metadata`, if the document has a non-null one.
    pub metadata: Option<HeadMetadata>,
}

/// The `metadata` part of a [`SimpleHead`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeadMetadata {
    pub name: String,
    /// `metadata.annotations`; `None` when absent or null.
    pub annotations: Option<BTreeMap<String, String>>,
}

impl SimpleHead {
    /// Reads a document's head as `yaml.Unmarshal(doc, &SimpleHead{})` does
    /// (sigs.k8s.io/yaml: numbers and bools headed for strings become
    /// strings; a wrong shape is an error).
    pub fn parse(doc: &str) -> Result<SimpleHead, YamlError> {
        match super::quick_head::read_head(doc) {
            Some(head) => Ok(head),
            None => SimpleHead::parse_exact(doc),
        }
    }

    /// The quick reading alone: `None` where the document is not in its
    /// subset of YAML (see `quick_head`). For tests and fuzzing.
    pub fn parse_quick(doc: &str) -> Option<SimpleHead> {
        super::quick_head::read_head(doc)
    }

    /// [`SimpleHead::parse`] without the quick reading of plain block YAML
    /// (`quick_head`) it tries first: the whole document through go-yaml's
    /// parser. Both give the same answer wherever the quick one answers;
    /// tests and the `manifest_head` fuzz target compare them.
    pub fn parse_exact(doc: &str) -> Result<SimpleHead, YamlError> {
        SimpleHead::parse_source(doc.into())
    }

    /// [`SimpleHead::parse_exact`] of a document whose bytes may not be
    /// UTF-8, which go-yaml refuses as it reaches them.
    pub(crate) fn parse_source(doc: Source) -> Result<SimpleHead, YamlError> {
        let value = from_source_into(doc, GoType::Struct(&SIMPLE_HEAD))?;
        Ok(SimpleHead::from_value(&value))
    }

    fn from_value(value: &Value) -> SimpleHead {
        let field = |v: &Value, key: &str| v.as_map().and_then(|m| m.get(key));
        let text = |v: Option<Value>| {
            v.and_then(|s| s.as_str().map(str::to_string))
                .unwrap_or_default()
        };
        let metadata = field(value, "metadata")
            .filter(|m| m.as_map().is_some())
            .map(|m| HeadMetadata {
                name: text(field(&m, "name")),
                annotations: field(&m, "annotations").and_then(|a| {
                    a.as_map().map(|map| {
                        map.entries()
                            .into_iter()
                            .map(|(k, v)| (k, text(Some(v))))
                            .collect()
                    })
                }),
            });
        SimpleHead {
            api_version: text(field(value, "apiVersion")),
            kind: text(field(value, "kind")),
            metadata,
        }
    }

    /// `metadata.name`, or "".
    pub fn name(&self) -> &str {
        self.metadata.as_ref().map_or("", |m| m.name.as_str())
    }

    /// The annotations, when there is at least one (Helm's `hasAnyAnnotation`).
    pub fn annotations(&self) -> Option<&BTreeMap<String, String>> {
        self.metadata
            .as_ref()
            .and_then(|m| m.annotations.as_ref())
            .filter(|a| !a.is_empty())
    }
}

/// One rendered, non-hook document (`releaseutil.Manifest`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    /// The template it came from (`mychart/templates/x.yaml`).
    pub name: String,
    /// The document, trimmed, without its `---` separator.
    pub content: String,
    pub head: SimpleHead,
}

/// Go's `\s` (ASCII only): tab, newline, form feed, carriage return, space.
fn is_go_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// The next separator match at or after `from`: `(start, end)` byte offsets.
/// A match is `---` at the very start of the text, or a run of whitespace
/// ending in a newline right before `---`; either way followed by all the
/// whitespace after it. The earliest `---` that qualifies starts the
/// leftmost match, as in Go's leftmost-first regexp search.
fn next_separator(b: &[u8], from: usize) -> Option<(usize, usize)> {
    // The dashes qualify at the very start, or right after a newline that
    // is itself at or after `from`.
    let k = if from == 0 && b.starts_with(b"---") {
        0
    } else {
        from + 1 + memchr::memmem::find(&b[from..], b"\n---")?
    };
    let start = if k == 0 {
        0
    } else {
        let mut s = k - 1;
        while s > from && is_go_space(b[s - 1]) {
            s -= 1;
        }
        s
    };
    let mut end = k + 3;
    while end < b.len() && is_go_space(b[end]) {
        end += 1;
    }
    Some((start, end))
}

/// Helm's `SplitManifests`, in document order: the text is trimmed, cut at
/// every separator, empty pieces dropped and each piece trimmed.
pub fn split_manifests(text: &str) -> Vec<String> {
    manifest_ranges(text.as_bytes())
        .into_iter()
        .map(|r| text[r].to_string())
        .collect()
}

/// [`split_manifests`] on the bytes of Go's output (which need not be
/// UTF-8): where each document lies in `bytes`. Separators and
/// whitespace are the same in bytes and in their text, so the documents
/// of an output and of its text correspond one to one.
pub(crate) fn manifest_ranges(bytes: &[u8]) -> Vec<Range<usize>> {
    let whole = trim_go_space(bytes, 0..bytes.len());
    let trimmed = &bytes[whole.clone()];
    let mut pieces = Vec::new();
    let mut begin = 0;
    let mut from = 0;
    while let Some((start, end)) = next_separator(trimmed, from) {
        pieces.push(begin..start);
        begin = end;
        from = end;
    }
    pieces.push(begin..trimmed.len());
    pieces
        .into_iter()
        .filter(|r| !r.is_empty())
        .map(|r| trim_go_space(bytes, whole.start + r.start..whole.start + r.end))
        .collect()
}

/// `range` of `bytes` without the white space (Go's `unicode.IsSpace`, as
/// `strings.TrimSpace` has it) at either end; a byte that is not UTF-8 is
/// not space.
fn trim_go_space(bytes: &[u8], mut range: Range<usize>) -> Range<usize> {
    while let Some(len) = space_len(&bytes[range.clone()], false) {
        range.start += len;
    }
    while let Some(len) = space_len(&bytes[range.clone()], true) {
        range.end -= len;
    }
    range
}

/// The length of the white-space character that starts (or, with
/// `at_end`, ends) `bytes`, if one does.
fn space_len(bytes: &[u8], at_end: bool) -> Option<usize> {
    let start = if at_end {
        // Go's `DecodeLastRune`: the last character starts at the last
        // byte, among the last four, that does not continue one.
        (bytes.len().saturating_sub(4)..bytes.len())
            .rev()
            .find(|&i| bytes[i] & 0xC0 != 0x80)?
    } else {
        0
    };
    let (rune, len) = decode_rune(&bytes[start..]);
    let whole = !at_end || start + len == bytes.len();
    (whole && char::from_u32(rune).is_some_and(char::is_whitespace)).then_some(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_split_at_separators() {
        assert_eq!(split_manifests("a: 1\n---\nb: 2\n"), ["a: 1", "b: 2"]);
        assert_eq!(
            split_manifests("---\na: 1\n---\nb: 2\n---"),
            ["a: 1", "b: 2"]
        );
        // Whitespace around the separator belongs to it; `---` needs no newline after it.
        assert_eq!(split_manifests("a  \n \n---  x\n"), ["a", "x"]);
        assert_eq!(split_manifests("  \n\t"), Vec::<String>::new());
        assert_eq!(split_manifests("a\r\n---\r\nb"), ["a", "b"]);
    }

    /// Go trims and splits the bytes, which need not be UTF-8: the same
    /// documents as their text has (an invalid byte is never space).
    #[test]
    fn documents_of_bytes_lie_where_those_of_their_text_do() {
        let bytes = b"\xe3\x80\x80a: \xff\n---\n\x0b b\xe2\x80\x83\n  ---\xff\n\n--- \xc2\xa0\xff\xc2\xa0 \n---\n\xe2\x80";
        let ranges = manifest_ranges(bytes);
        let docs: Vec<&[u8]> = ranges.iter().map(|r| &bytes[r.clone()]).collect();
        assert_eq!(
            docs,
            [
                b"a: \xff".as_slice(),
                b"b\xe2\x80\x83\n  ---\xff",
                b"\xff",
                b"\xe2\x80"
            ]
        );
        let texts: Vec<String> = docs.iter().map(|d| crate::value::go_text(d)).collect();
        assert_eq!(split_manifests(&crate::value::go_text(bytes)), texts);
    }

    #[test]
    fn separators_need_a_newline_before_them() {
        // Indented or mid-line dashes do not split.
        assert_eq!(
            split_manifests("a: |\n  ---\nb: c---d"),
            ["a: |\n  ---\nb: c---d"]
        );
        // A separator's trailing whitespace is consumed, so a directly
        // following `---` has no newline of its own left and stays in the text.
        assert_eq!(split_manifests("a\n---\n---\nb"), ["a", "---\nb"]);
        assert_eq!(split_manifests("----\nx"), ["-\nx"]);
    }

    #[test]
    fn heads_read_kind_name_and_annotations() {
        let head = SimpleHead::parse(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    helm.sh/hook-weight: 5\n",
        )
        .unwrap();
        assert_eq!(head.api_version, "v1");
        assert_eq!(head.kind, "Pod");
        assert_eq!(head.name(), "p");
        assert_eq!(head.annotations().unwrap()["helm.sh/hook-weight"], "5");
    }

    #[test]
    fn heads_without_metadata_or_annotations() {
        let head = SimpleHead::parse("# only a comment").unwrap();
        assert_eq!(head, SimpleHead::default());
        let head = SimpleHead::parse("kind: X\nmetadata:\n  annotations: {}\n").unwrap();
        assert!(head.metadata.is_some());
        assert!(head.annotations().is_none());
        let head = SimpleHead::parse("kind: X\nmetadata: null\n").unwrap();
        assert!(head.metadata.is_none());
    }

    #[test]
    fn bad_heads_are_errors() {
        let err = SimpleHead::parse("- a\n- b").unwrap_err();
        assert_eq!(
            err.to_string(),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type releaseutil.SimpleHead"
        );
        assert!(SimpleHead::parse("a: b\n  c: d").is_err());
    }
}
