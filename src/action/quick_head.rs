//! A quick reading of a manifest's head, for the plain block YAML that
//! templates nearly always render.
//!
//! The exact reading ([`SimpleHead::parse`]: go-yaml v2's scanner, parser
//! and composer over the whole document, then sigs.k8s.io/yaml's
//! conversion into Helm's `SimpleHead`) is most of the sorting time when a
//! chart renders large documents such as CRDs, although only a few lines of
//! each matter. This reader takes a document line by line and accepts only
//! a strict subset of YAML:
//!
//! - printable characters and line feeds (no tabs, carriage returns, other
//!   control characters, byte order marks or Unicode line breaks);
//! - block mappings and sequences indented with spaces, including
//!   sequences at their key's indentation;
//! - keys that are one-line plain or quoted scalars;
//! - values that are plain scalars (several lines only where the head does
//!   not look), one-line quoted scalars, `|`/`>` block scalars without an
//!   indentation indicator, `[]` and `{}`, on the line of their key or on
//!   the next;
//! - comments and blank lines.
//!
//! For every document in the subset go-yaml's parse succeeds whatever the
//! text of the scalars the reader does not look into, and the conversion
//! cannot fail; so the head can be read straight off the lines. Anything
//! else (anchors, aliases, tags, flow collections with content, multi-line
//! plain or quoted scalars, escapes, merge keys, keys that would convert
//! oddly, head fields that are not plain strings, odd indentation...) makes
//! it give up with `None`, and the exact reading decides, errors included.
//! A fuzz target (`manifest_head`) and the corpus test hold the two
//! readings to the same answers.

use std::collections::BTreeMap;
use std::iter::Peekable;

use super::manifest::{HeadMetadata, SimpleHead};
use crate::yaml::{resolve_plain_scalar, PlainScalar};

/// Give up: the exact reading decides.
type Quick<T = ()> = Option<T>;

type Lines<'a> = Peekable<LineSplit<'a>>;

/// `text.split('\n')`, each line end found by `memchr` (most of a large
/// manifest's lines are long descriptions).
struct LineSplit<'a> {
    rest: Option<&'a str>,
}

impl<'a> LineSplit<'a> {
    fn new(text: &'a str) -> LineSplit<'a> {
        LineSplit { rest: Some(text) }
    }
}

impl<'a> Iterator for LineSplit<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(end) => {
                self.rest = Some(&rest[end + 1..]);
                Some(&rest[..end])
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}

/// go-yaml refuses a simple key longer than this (with `could not find
/// expected ':'`); the reader gives up well before.
const MAX_KEY_BYTES: usize = 1000;

/// Reads `doc`'s head when the document is in the subset, `None` otherwise.
#[inline(never)]
pub(super) fn read_head(doc: &str) -> Option<SimpleHead> {
    if !plain_text(doc) {
        return None;
    }
    let mut reader = HeadReader::default();
    let mut lines = LineSplit::new(doc).peekable();
    while let Some(line) = lines.next() {
        let indent = indentation(line);
        let rest = &line[indent..];
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        if indent == 0 && (rest.starts_with("---") || rest.starts_with("...")) {
            return None;
        }
        reader.line(line, indent, &mut lines)?;
    }
    reader.finish()
}

/// What a mapping is, as far as the head is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// The document's top-level mapping.
    Root,
    /// `metadata`.
    Metadata,
    /// `metadata.annotations`.
    Annotations,
    /// Anything else: only checked.
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BlockKind {
    Mapping,
    /// A block sequence; `indentless` when it sits at its key's indentation.
    Sequence {
        indentless: bool,
    },
}

#[derive(Clone, Copy, Debug)]
struct Block {
    kind: BlockKind,
    /// The column its keys or `-` indicators start at.
    indent: usize,
    role: Role,
}

/// Where the value of a key or sequence item goes.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Slot {
    ApiVersion,
    Kind,
    Metadata,
    Name,
    Annotations,
    Annotation(String),
    /// A value the head does not take.
    Other,
}

/// A key or item whose line ended before its value.
#[derive(Debug)]
struct Pending {
    /// The indentation of the block holding it.
    indent: usize,
    item: bool,
    slot: Slot,
}

#[derive(Default)]
struct HeadReader {
    blocks: Vec<Block>,
    pending: Option<Pending>,
    started: bool,
    api_version: Option<String>,
    kind: Option<String>,
    metadata: bool,
    name: Option<String>,
    annotations: Option<BTreeMap<String, String>>,
}

impl HeadReader {
    /// One line with content (not blank, not a comment) at `indent`.
    fn line(&mut self, line: &str, indent: usize, lines: &mut Lines) -> Quick {
        let rest = &line[indent..];
        let item = is_item(rest);
        let key = if item {
            KeyScan::NotKey
        } else {
            scan_key(rest)
        };
        if let Some(pending) = self.pending.take() {
            if indent > pending.indent {
                if !item && matches!(key, KeyScan::NotKey) {
                    // A scalar on the line after its key (or `-`).
                    if pending.slot != Slot::Other {
                        return None;
                    }
                    return self.value(rest, pending.indent, Slot::Other, lines);
                }
                let kind = if item {
                    BlockKind::Sequence { indentless: false }
                } else {
                    BlockKind::Mapping
                };
                self.open(pending.slot, kind, indent)?;
            } else if indent == pending.indent && item && !pending.item {
                self.open(
                    pending.slot,
                    BlockKind::Sequence { indentless: true },
                    indent,
                )?;
            } else {
                self.null_value(pending.slot)?;
            }
        }
        while let Some(top) = self.blocks.last() {
            let closes = top.indent > indent
                || (top.indent == indent
                    && top.kind == (BlockKind::Sequence { indentless: true })
                    && !item);
            if !closes {
                break;
            }
            self.blocks.pop();
        }
        let top = match self.blocks.last() {
            Some(top) => *top,
            None => {
                if self.started || indent != 0 || item {
                    return None;
                }
                self.started = true;
                let root = Block {
                    kind: BlockKind::Mapping,
                    indent: 0,
                    role: Role::Root,
                };
                self.blocks.push(root);
                root
            }
        };
        if top.indent != indent {
            return None;
        }
        match (top.kind, key) {
            (BlockKind::Mapping, KeyScan::Key { key, len }) => {
                self.entry(line, indent, (key, len), top.role, lines)
            }
            (BlockKind::Sequence { .. }, _) if item => self.item(line, indent, lines),
            _ => None,
        }
    }

    /// A block opening at `indent` as the value of `slot`.
    fn open(&mut self, slot: Slot, kind: BlockKind, indent: usize) -> Quick {
        let role = match (slot, kind) {
            (Slot::Other, _) => Role::Other,
            (Slot::Metadata, BlockKind::Mapping) if !self.metadata => {
                self.metadata = true;
                Role::Metadata
            }
            (Slot::Annotations, BlockKind::Mapping) if self.annotations.is_none() => {
                self.annotations = Some(BTreeMap::new());
                Role::Annotations
            }
            _ => return None,
        };
        self.blocks.push(Block { kind, indent, role });
        Some(())
    }

    /// A key or item that turned out to have no value (null).
    fn null_value(&mut self, slot: Slot) -> Quick {
        (slot == Slot::Other).then_some(())
    }

    /// A `key: value` line (or the part of a line after `- `) whose key,
    /// `len` bytes with its `:`, starts at `col`.
    fn entry(
        &mut self,
        line: &str,
        col: usize,
        (key, len): (Key, usize),
        role: Role,
        lines: &mut Lines,
    ) -> Quick {
        let slot = slot_for(role, key)?;
        let after = col + len;
        let value_col = after + indentation(&line[after..]);
        let value = &line[value_col..];
        if value.is_empty() || value.starts_with('#') {
            self.pending = Some(Pending {
                indent: col,
                item: false,
                slot,
            });
            return Some(());
        }
        self.value(value, col, slot, lines)
    }

    /// A `- …` line at `indent`, in a sequence.
    fn item(&mut self, line: &str, indent: usize, lines: &mut Lines) -> Quick {
        let after = indent + 1;
        let col = after + indentation(&line[after..]);
        let rest = &line[col..];
        if rest.is_empty() || rest.starts_with('#') {
            self.pending = Some(Pending {
                indent,
                item: true,
                slot: Slot::Other,
            });
            return Some(());
        }
        if is_item(rest) {
            return None;
        }
        if let KeyScan::Key { key, len } = scan_key(rest) {
            self.blocks.push(Block {
                kind: BlockKind::Mapping,
                indent: col,
                role: Role::Other,
            });
            return self.entry(line, col, (key, len), Role::Other, lines);
        }
        self.value(rest, indent, Slot::Other, lines)
    }

    /// A value starting on the line of its key or `-`; `block_indent` is
    /// the indentation of the block holding it.
    fn value(&mut self, text: &str, block_indent: usize, slot: Slot, lines: &mut Lines) -> Quick {
        let scalar = match text.as_bytes()[0] {
            quote @ (b'"' | b'\'') => match quoted(text, quote)? {
                Some(scalar) => scalar,
                None if slot == Slot::Other => return skip_quoted_lines(quote, lines),
                None => return None,
            },
            b'|' | b'>' => {
                block_scalar_header(&text[1..])?;
                skip_block_scalar(block_indent, lines)?;
                return (slot == Slot::Other).then_some(());
            }
            b'[' | b'{' => {
                if !(text.starts_with("[]") || text.starts_with("{}")) || !ends_value(&text[2..]) {
                    return None;
                }
                return match slot {
                    Slot::Other => Some(()),
                    Slot::Annotations if text.starts_with("{}") && self.annotations.is_none() => {
                        self.annotations = Some(BTreeMap::new());
                        Some(())
                    }
                    _ => None,
                };
            }
            _ => {
                let (scalar, commented) = plain_value(text, slot != Slot::Other)?;
                if slot == Slot::Other && !commented {
                    skip_plain_continuation(block_indent, lines)?;
                }
                scalar
            }
        };
        self.set(slot, scalar)
    }

    /// Stores a one-line scalar where `slot` says.
    fn set(&mut self, slot: Slot, scalar: Scalar) -> Quick {
        let target = match slot {
            Slot::Other => return Some(()),
            Slot::ApiVersion => &mut self.api_version,
            Slot::Kind => &mut self.kind,
            Slot::Name => &mut self.name,
            Slot::Annotation(key) => {
                let text = scalar.into_string()?;
                let annotations = self.annotations.as_mut()?;
                return annotations.insert(key, text).is_none().then_some(());
            }
            Slot::Metadata | Slot::Annotations => return None,
        };
        if target.is_some() {
            return None;
        }
        *target = Some(scalar.into_string()?);
        Some(())
    }

    fn finish(mut self) -> Option<SimpleHead> {
        if let Some(pending) = self.pending.take() {
            self.null_value(pending.slot)?;
        }
        if !self.started {
            return None;
        }
        let metadata = self.metadata.then(|| HeadMetadata {
            name: self.name.unwrap_or_default(),
            annotations: self.annotations,
        });
        Some(SimpleHead {
            api_version: self.api_version.unwrap_or_default(),
            kind: self.kind.unwrap_or_default(),
            metadata,
        })
    }
}

/// Which slot a key's value goes to in a mapping of `role`; `None` for keys
/// the exact reading might treat differently (a field name in another
/// case, a key that does not convert to a string the plain way, a merge
/// key).
fn slot_for(role: Role, key: Key) -> Option<Slot> {
    let text = match key {
        Key::Quoted(text) => text,
        Key::Plain(text) => {
            if text == "<<" {
                return None;
            }
            let plain_string = || resolve_plain_scalar(text) == PlainScalar::String;
            match role {
                // Only null and uint64 keys fail to convert where no field is.
                Role::Other => return (!may_not_convert(text)).then_some(Slot::Other),
                _ if !plain_string() => return None,
                _ => text,
            }
        }
    };
    let field = |fields: &[(&str, Slot)]| {
        for (name, slot) in fields {
            if text == *name {
                return Some(slot.clone());
            }
            if text.eq_ignore_ascii_case(name) {
                return None;
            }
        }
        Some(Slot::Other)
    };
    match role {
        Role::Root => field(&[
            ("apiVersion", Slot::ApiVersion),
            ("kind", Slot::Kind),
            ("metadata", Slot::Metadata),
        ]),
        Role::Metadata => field(&[("name", Slot::Name), ("annotations", Slot::Annotations)]),
        Role::Annotations => Some(Slot::Annotation(text.to_string())),
        Role::Other => Some(Slot::Other),
    }
}

/// Whether a plain key could resolve to null, an unsigned integer or a
/// number JSON cannot hold (the keys sigs.k8s.io/yaml does not convert),
/// checked cheaply first.
fn may_not_convert(text: &str) -> bool {
    (may_be_number(text) || matches!(text.as_bytes()[0], b'~' | b'n' | b'N'))
        && matches!(
            resolve_plain_scalar(text),
            PlainScalar::Null | PlainScalar::Unsigned | PlainScalar::NonFinite
        )
}

/// Whether plain text could resolve to a number (by its first character).
fn may_be_number(text: &str) -> bool {
    matches!(text.as_bytes()[0], b'0'..=b'9' | b'+' | b'-' | b'.')
}

/// A scalar read off one line.
enum Scalar<'a> {
    /// Plain text that resolves to a string.
    String(&'a str),
    /// Plain text that resolves to something else.
    NotString,
    /// A quoted scalar's content, unescaped.
    Quoted(String),
}

impl Scalar<'_> {
    fn into_string(self) -> Option<String> {
        match self {
            Scalar::String(text) => Some(text.to_string()),
            Scalar::Quoted(text) => Some(text),
            Scalar::NotString => None,
        }
    }
}

enum Key<'a> {
    Plain(&'a str),
    Quoted(&'a str),
}

enum KeyScan<'a> {
    /// A key, and the length up to and including its `:`.
    Key {
        key: Key<'a>,
        len: usize,
    },
    NotKey,
}

/// Reads a key at the start of `text`: a one-line plain or quoted scalar
/// followed by `:` and a space or the end of the line.
fn scan_key(text: &str) -> KeyScan<'_> {
    let bytes = text.as_bytes();
    let (key, end) = match bytes[0] {
        quote @ (b'"' | b'\'') => match closing_quote(text, quote, 1) {
            Some(Some(end)) if !text[1..end].contains(['\\', '\'']) => {
                (Key::Quoted(&text[1..end]), end + 1)
            }
            _ => return KeyScan::NotKey,
        },
        first if is_indicator(first) => return KeyScan::NotKey,
        _ => {
            let Some(colon) = value_indicator(text) else {
                return KeyScan::NotKey;
            };
            (Key::Plain(text[..colon].trim_end_matches(' ')), colon)
        }
    };
    if end > MAX_KEY_BYTES {
        return KeyScan::NotKey;
    }
    let colon = end + indentation(&text[end..]);
    let after = bytes.get(colon + 1).copied();
    if bytes.get(colon) == Some(&b':') && matches!(after, None | Some(b' ')) {
        KeyScan::Key {
            key,
            len: colon + 1,
        }
    } else {
        KeyScan::NotKey
    }
}

/// The position of the first `:` followed by a space or the line's end in
/// plain text, unless a comment (` #`) comes first.
fn value_indicator(text: &str) -> Option<usize> {
    match first_mark(text.as_bytes()) {
        Some(Mark::Colon(i)) => Some(i),
        Some(Mark::Comment(_)) | None => None,
    }
}

/// What ends or splits plain text on its line.
enum Mark {
    /// A `:` followed by a space or the line's end, at this index.
    Colon(usize),
    /// A `#` after a space: a comment starts at this index.
    Comment(usize),
}

/// The first [`Mark`] in a line (the bytes searched for are rare in
/// descriptions and other long text, so they are found by `memchr`).
fn first_mark(bytes: &[u8]) -> Option<Mark> {
    for i in memchr::memchr2_iter(b':', b'#', bytes) {
        if bytes[i] == b':' {
            if matches!(bytes.get(i + 1), None | Some(b' ')) {
                return Some(Mark::Colon(i));
            }
        } else if i > 0 && bytes[i - 1] == b' ' {
            return Some(Mark::Comment(i));
        }
    }
    None
}

/// A plain scalar value to the end of its line or a comment (resolved only
/// if `wanted`, else only checked for numbers JSON cannot hold), and
/// whether a comment ended it.
fn plain_value(text: &str, wanted: bool) -> Quick<(Scalar<'_>, bool)> {
    let bytes = text.as_bytes();
    let first = bytes[0];
    let dash_start = first == b'-' && bytes.get(1).is_some_and(|&b| b != b' ');
    if is_indicator(first) && !dash_start {
        return None;
    }
    let end = plain_line_end(text)?;
    let commented = end < text.len();
    let text = text[..end].trim_end_matches(' ');
    let scalar = if wanted {
        match resolve_plain_scalar(text) {
            PlainScalar::String => Scalar::String(text),
            _ => Scalar::NotString,
        }
    } else if may_be_number(text) && resolve_plain_scalar(text) == PlainScalar::NonFinite {
        // sigs.k8s.io/yaml converts the whole document to JSON, which has
        // no infinities or NaN.
        return None;
    } else {
        Scalar::NotString
    };
    Some((scalar, commented))
}

/// Where a line of a plain scalar ends: at a comment (` #`) or the line's
/// end. `None` at a `:` followed by a space or the line's end (go-yaml's
/// `mapping values are not allowed in this context`).
fn plain_line_end(text: &str) -> Option<usize> {
    match first_mark(text.as_bytes()) {
        Some(Mark::Colon(_)) => None,
        Some(Mark::Comment(i)) => Some(i),
        None => Some(text.len()),
    }
}

/// Consumes the further lines of a multi-line plain scalar: blank lines and
/// lines indented more than `block_indent`. A continuation line may not
/// start a comment or hold one (go-yaml would end the scalar there and read
/// the rest as a new token), nor a `: `.
fn skip_plain_continuation(block_indent: usize, lines: &mut Lines) -> Quick {
    while let Some(line) = lines.peek() {
        let indent = indentation(line);
        if indent < line.len() {
            let rest = &line[indent..];
            if indent <= block_indent || rest.starts_with('#') {
                break;
            }
            if plain_line_end(rest)? < rest.len() {
                return None;
            }
        }
        lines.next();
    }
    Some(())
}

/// Whether a document holds only characters go-yaml reads as ordinary
/// text: printable characters and line feeds; no control characters, byte
/// order mark or YAML 1.1 Unicode line breaks (NEL, LS, PS). Runs of
/// printable ASCII are checked 64 bytes at a time without branches (the
/// loop vectorizes); only a block with another byte is read by characters.
fn plain_text(doc: &str) -> bool {
    const BLOCK: usize = 64;
    let bytes = doc.as_bytes();
    let mut at = 0;
    while let Some(i) = bytes[at..]
        .chunks(BLOCK)
        .position(|block| !printable_ascii(block))
    {
        // A character starts here: every byte before it is ASCII.
        let start = at + i * BLOCK;
        let end = (start + BLOCK).min(bytes.len());
        let mut next = None;
        for (j, c) in doc[start..].char_indices() {
            if start + j >= end {
                next = Some(start + j);
                break;
            }
            if !plain_char(c) {
                return false;
            }
        }
        match next {
            Some(next) => at = next,
            None => return true,
        }
    }
    true
}

/// Whether `block` is all printable ASCII and line feeds (no branch per
/// byte, so that it vectorizes).
fn printable_ascii(block: &[u8]) -> bool {
    block.iter().fold(true, |ok, &b| {
        ok & ((0x20..0x7f).contains(&b) | (b == b'\n'))
    })
}

/// One character of [`plain_text`].
fn plain_char(c: char) -> bool {
    match c {
        '\n' | ' '..='~' => true,
        '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' => false,
        _ => matches!(c as u32, 0xa0..=0xd7ff | 0xe000..=0xfffd | 0x10000..=0x10ffff),
    }
}

/// A quoted scalar opening `text` and what follows it on the line;
/// `Some(None)` when it goes on past the line.
fn quoted(text: &str, quote: u8) -> Quick<Option<Scalar<'_>>> {
    let Some(end) = closing_quote(text, quote, 1)? else {
        return Some(None);
    };
    if !ends_value(&text[end + 1..]) {
        return None;
    }
    let content = &text[1..end];
    Some(Some(match quote {
        // Escapes are checked but not decoded: such a value is not a head's.
        b'"' if content.contains('\\') => Scalar::NotString,
        b'"' => Scalar::Quoted(content.to_string()),
        _ => Scalar::Quoted(content.replace("''", "'")),
    }))
}

/// Consumes the lines of a quoted scalar after its first, up to the one
/// with its closing quote (which must end the value).
fn skip_quoted_lines(quote: u8, lines: &mut Lines) -> Quick {
    loop {
        let line = lines.next()?;
        // go-yaml refuses document markers inside quoted scalars.
        if line.starts_with("---") || line.starts_with("...") {
            return None;
        }
        if let Some(end) = closing_quote(line, quote, 0)? {
            return ends_value(&line[end + 1..]).then_some(());
        }
    }
}

/// The index of the quote closing a quoted scalar in `line`, scanning from
/// `from`: `Some(None)` if the scalar goes on past the line, `None` for an
/// escape the reader does not take. In double quotes a backslash escapes
/// one of go-yaml's one-character escapes or the line break (`\x…`,
/// `\u…` and `\U…` give up); in single quotes `''` is a quote.
fn closing_quote(line: &str, quote: u8, from: usize) -> Quick<Option<usize>> {
    let bytes = line.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        if quote == b'"' && b == b'\\' {
            match bytes.get(i + 1) {
                None => return Some(None),
                Some(&escaped) if is_one_character_escape(escaped) => i += 2,
                Some(_) => return None,
            }
        } else if b == quote {
            if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
            } else {
                return Some(Some(i));
            }
        } else {
            i += 1;
        }
    }
    Some(None)
}

/// go-yaml's double-quote escapes that take no further characters.
fn is_one_character_escape(b: u8) -> bool {
    matches!(
        b,
        b'0' | b'a'
            | b'b'
            | b't'
            | b'n'
            | b'v'
            | b'f'
            | b'r'
            | b'e'
            | b' '
            | b'"'
            | b'\''
            | b'\\'
            | b'N'
            | b'_'
            | b'L'
            | b'P'
    )
}

/// Whether what follows a value on its line is nothing, or spaces and a
/// comment.
fn ends_value(rest: &str) -> bool {
    let spaces = indentation(rest);
    let tail = &rest[spaces..];
    tail.is_empty() || (spaces > 0 && tail.starts_with('#'))
}

/// A block scalar's header after `|` or `>`: an optional chomping
/// indicator, then nothing or a comment. An indentation indicator gives up.
fn block_scalar_header(rest: &str) -> Quick {
    let rest = rest
        .strip_prefix('-')
        .or_else(|| rest.strip_prefix('+'))
        .unwrap_or(rest);
    ends_value(rest).then_some(())
}

/// Consumes a block scalar's lines: blank ones, and those indented at least
/// as much as its first non-blank one, which must be indented more than
/// `block_indent`. The first line not taken is left for the caller.
fn skip_block_scalar(block_indent: usize, lines: &mut Lines) -> Quick {
    let mut content_indent = None;
    let mut leading_spaces = 0;
    while let Some(line) = lines.peek() {
        let indent = indentation(line);
        if indent == line.len() {
            if content_indent.is_none() {
                leading_spaces = leading_spaces.max(indent);
            }
            lines.next();
            continue;
        }
        match content_indent {
            None if indent > block_indent => {
                // go-yaml takes the scalar's indentation from the deepest
                // leading blank line if that is deeper.
                if leading_spaces > indent {
                    return None;
                }
                content_indent = Some(indent);
            }
            Some(ci) if indent >= ci => {}
            _ => break,
        }
        lines.next();
    }
    Some(())
}

/// Characters that cannot start a plain scalar (some can when followed by
/// a non-space; the reader gives up on those but for `-`).
fn is_indicator(b: u8) -> bool {
    matches!(
        b,
        b'-' | b'?'
            | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
    )
}

/// Whether a line's content (after its indentation) is a sequence item.
fn is_item(rest: &str) -> bool {
    rest == "-" || rest.starts_with("- ")
}

/// The number of leading spaces (counted as bytes: `str`'s pattern
/// trimming costs several times more per line in the wasm build).
fn indentation(text: &str) -> usize {
    // Manifests nest deeply (CRD schemas): spaces are taken eight at a time.
    const EIGHT: &[u8; 8] = b"        ";
    let bytes = text.as_bytes();
    let mut n = 0;
    while bytes.get(n..n + EIGHT.len()) == Some(EIGHT) {
        n += EIGHT.len();
    }
    n + bytes[n..].iter().take_while(|&&b| b == b' ').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Wherever the quick reading answers, the exact one agrees.
    fn agrees(doc: &str) -> Option<SimpleHead> {
        let quick = read_head(doc);
        if let Some(head) = &quick {
            match SimpleHead::parse_exact(doc) {
                Ok(exact) => assert_eq!(head, &exact, "{doc:?}"),
                Err(e) => panic!("quick {head:?}, exact error {e}: {doc:?}"),
            }
        }
        quick
    }

    #[test]
    fn plain_manifests_are_read_quickly() {
        let docs = [
            "# a comment\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: ns\n  labels:\n    app: web\n  annotations:\n    \"helm.sh/hook\": pre-install\n    'x': 'it''s'\n    checksum/config: abc123\nspec:\n  containers:\n  - name: c\n    image: \"nginx:1\"\n    args:\n      - --flag\n      - -v\n    resources: {}\n    ports: []\n",
            "kind: ConfigMap\ndata:\n  script: |\n    #!/bin/sh\n    echo: hi\n\n    exit 0\n  other: >-\n    folded\n    text\nmetadata:\n  name: cm\n",
            "kind: CustomResourceDefinition\nspec:\n  description: A long\n    description over\n\n    several lines.\n  pattern: \"^[a-z]\\\\d+$\"\n  rule: '!(self.a == ''b'' &&\n    self.c)'\n  note: \"two\n    lines\"\nmetadata:\n  name: crd\n",
            "kind: Pod\nmetadata:\n  name: x\n  annotations: {}\nspec:\n  x:\n    {}\n  y:\n    plain on the next line\n  z: é ✓\n",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x # trailing comment\nspec:\n  items:\n  -\n    a: 1\n  - b: 2\n    c: 3\n  ~x: 2\n  1: one\n  true: yes\n",
        ];
        for doc in docs {
            assert!(agrees(doc).is_some(), "not read quickly: {doc:?}");
        }
        let head = agrees(docs[0]).unwrap();
        assert_eq!(head.kind, "Pod");
        assert_eq!(head.name(), "web");
        let annotations = head.annotations().unwrap();
        assert_eq!(annotations["helm.sh/hook"], "pre-install");
        assert_eq!(annotations["x"], "it's");
    }

    #[test]
    fn anything_else_is_left_to_the_exact_reading() {
        let long_key = format!("kind: Pod\n{}: x\n", "k".repeat(1100));
        let docs = [
            "kind: Pod\nKind: Service\n",
            "kind: a: b\n",
            "kind: Pod\nspec:\n  a: 1\n   b: 2\n",
            "kind: Pod\nspec:\n  - a\n  b: 1\n",
            "kind: Pod\nx: |\n    a\n  b\n",
            "kind: Pod\nx: |\n      \n    a\n",
            "kind: Pod\nx: |2\n   a\n",
            "kind: Pod\nx: \"a\\qb\"\n",
            "kind: Pod\nx: \"\\x41\"\n",
            "kind: Pod\nx:\n \"\\/a\n \"\n",
            "kind: Pod\nx: 'a\n---\nb'\n",
            "kind: Pod\nx: foo\n  bar: baz\n",
            "kind: Pod\nx: foo # c\n  bar\n",
            "kind: Pod\nx: foo\n  # c\n  bar\n",
            "kind: Pod\n~: x\n",
            "kind: Pod\nnull: x\n",
            "kind: Pod\n18446744073709551615: x\n",
            "kind: Pod\n<<: {a: 1}\n",
            "kind: 1\n",
            "kind: true\n",
            "kind: \"P\\\"od\"\n",
            "kind: Pod\nmetadata:\n  name: 5\n",
            "kind: Pod\nmetadata:\n  annotations:\n    a: 1\n",
            "kind: Pod\nmetadata:\n  annotations:\n    a:\n",
            "kind: Pod\nmetadata:\n",
            "kind: Pod\nmetadata: {}\n",
            "kind: Pod\nmetadata:\n  Name: x\n",
            "kind: Pod\nmetadata:\n  name: x\n  name: y\n",
            "apiVersion: v1\napiVersion: v2\n",
            "- a\n- b\n",
            "kind: Pod\n- a\n",
            "  kind: Pod\n",
            "kind: Pod\nx: [a, b]\n",
            "kind: Pod\nx: - a\n",
            "kind: Pod\nx:\n  - - a\n",
            "kind: Pod\nx: \"multi\n  line\" tail\n",
            "kind: Pod\nx: \"a\\\n  b\"\n...\n",
            "kind: Pod\nx: a\u{2028}b\n",
            "kind: Pod\nx: a\tb\n",
            "kind: Pod\r\nx: a\r\n",
            "kind: Pod\nx: ? a\n",
            "kind: Pod\n? a\n: b\n",
            "kind: Pod\nx: &a b\ny: *a\n",
            "kind: Pod\nx: !!str b\n",
            "%YAML 1.1\n---\nkind: Pod\n",
            "kind: Pod\n...\n",
            "kind: Pod\n-x: 1\n",
            "kind: Pod\nx: a\n y: 1\n",
            "kind: Pod\nspec:\n  port: -.INF\n",
            "kind: Pod\nspec:\n  - .nan\n",
            "kind: Pod\nspec:\n  .inf: x\n",
            "metadata:\n  other: +.Inf\n",
            &long_key,
        ];
        for doc in docs {
            assert!(agrees(doc).is_none(), "read quickly: {doc:?}");
        }
    }

    #[test]
    fn quick_and_exact_readings_agree_on_edge_cases() {
        // Whether or not the quick reading answers these, it may not differ.
        let docs = [
            "kind: Pod\nspec:\n- a\n- b\nother: c\n",
            "kind: Pod\nx: a\n\n  b\n",
            "kind: Pod\n  # indented comment\nx: 1\n",
            "kind: Pod\nx: a #c\n#c\ny: b\n",
            "kind: Pod\nx: \"a\\\n  b\"\n",
            "kind: Pod\nx: |\n\n  a\n",
            "kind: Pod\nx: |-\n  a\n b\n",
            "kind: Pod #comment\n",
            "kind: Pod\nx:    \n  y: 1\n",
            "kind: Pod\nx: '\n'\n",
            "kind: Pod\n0o17: x\n+1: x\n0b101: x\n1_000: x\n0777: x\n-1: x\n1.5: x\n",
            "Null: y\nkind: Pod\n",
            "metadata:\n  annotations:\n  name: n\n",
            "metadata:\n  labels:\n    a: b\n  name: n\nkind: K\n",
            "kind: Pod\nx: :a\ny: a:b\nz: a#b\n",
            "kind: Pod\nx: |\n  a\n   b\n  c\ny: z\n",
            "kind:\n  Pod\n",
            "kind: 2001-01-01\n",
            "kind: Pod\nx: >\n\n\n  a\n\n",
        ];
        for doc in docs {
            agrees(doc);
        }
    }

    /// Texts of spaces, `:`, `#`, line feeds and letters, in runs long
    /// enough to cross the eight-byte and vector steps.
    fn generated_texts() -> Vec<String> {
        let mut rng = crate::test_rng::Xorshift::new(0x9e37_79b9);
        let pieces = [" ", "        ", ":", ": ", " #", "#", "\n", "a", "key", "é"];
        (0..400)
            .map(|_| {
                let len = rng.below(60);
                (0..len).map(|_| pieces[rng.below(pieces.len())]).collect()
            })
            .collect()
    }

    #[test]
    fn plain_text_matches_its_character_by_character_definition() {
        let mut rng = crate::test_rng::Xorshift::new(0x51ed_270b);
        let pieces = [
            "a",
            "key: value\n",
            "\n",
            " ",
            "é",
            "\u{2028}",
            "\u{85}",
            "\u{feff}",
            "\t",
            "\r",
            "\u{7f}",
            "€",
            "😀",
            "\u{fffe}",
            &"x".repeat(63),
        ];
        for _ in 0..400 {
            // Mostly plain runs, so that a refused character lands at
            // every offset of a block, and before and after block ends.
            let len = rng.below(40);
            let text: String = (0..len)
                .map(|_| match rng.below(4) {
                    0 => pieces[rng.below(pieces.len())],
                    _ => pieces[rng.below(4)],
                })
                .collect();
            assert_eq!(plain_text(&text), text.chars().all(plain_char), "{text:?}");
        }
        assert!(plain_text(&"é".repeat(100)));
        assert!(!plain_text(&format!("{}\u{2028}", "x".repeat(64))));
        assert!(!plain_text(&format!("{}é\t", "x".repeat(63))));
    }

    #[test]
    fn line_scanning_matches_its_byte_by_byte_definition() {
        for text in generated_texts() {
            let lines: Vec<&str> = LineSplit::new(&text).collect();
            assert_eq!(lines, text.split('\n').collect::<Vec<_>>(), "{text:?}");
            for line in lines {
                let spaces = line.bytes().take_while(|&b| b == b' ').count();
                assert_eq!(indentation(line), spaces, "{line:?}");
                let b = line.as_bytes();
                let colon = |i: usize| b[i] == b':' && matches!(b.get(i + 1), None | Some(b' '));
                let comment = |i: usize| b[i] == b'#' && i > 0 && b[i - 1] == b' ';
                let first = (0..b.len()).find(|&i| colon(i) || comment(i));
                let expected_indicator = first.filter(|&i| colon(i));
                assert_eq!(value_indicator(line), expected_indicator, "{line:?}");
                let expected_end = match first {
                    Some(i) if colon(i) => None,
                    Some(i) => Some(i),
                    None => Some(line.len()),
                };
                assert_eq!(plain_line_end(line), expected_end, "{line:?}");
            }
        }
    }
}
