//! A small DER encoder and a strict DER reader.
//!
//! The writer produces exactly the encodings Go's `encoding/asn1.Marshal`
//! gives for the structures Sprig's certificate and key functions build
//! (minimal lengths, minimal two's-complement integers, `BIT STRING`s with
//! no unused bits). The reader follows the rules of Go's
//! `golang.org/x/crypto/cryptobyte` as `crypto/x509` uses it: single-byte
//! tags only, definite minimal lengths, minimally encoded integers, strict
//! booleans and bit strings.

/// Universal tags (with the constructed bit where the type is constructed).
pub const BOOLEAN: u8 = 0x01;
pub const INTEGER: u8 = 0x02;
pub const BIT_STRING: u8 = 0x03;
pub const OCTET_STRING: u8 = 0x04;
pub const NULL: u8 = 0x05;
pub const OBJECT_IDENTIFIER: u8 = 0x06;
pub const UTF8_STRING: u8 = 0x0c;
pub const PRINTABLE_STRING: u8 = 0x13;
pub const T61_STRING: u8 = 0x14;
pub const IA5_STRING: u8 = 0x16;
pub const UTC_TIME: u8 = 0x17;
pub const GENERALIZED_TIME: u8 = 0x18;
pub const NUMERIC_STRING: u8 = 0x12;
pub const BMP_STRING: u8 = 0x1e;
pub const SEQUENCE: u8 = 0x30;
pub const SET: u8 = 0x31;

/// A context-specific tag `[n]`, primitive.
pub const fn context(n: u8) -> u8 {
    0x80 | n
}

/// A context-specific tag `[n]`, constructed.
pub const fn context_constructed(n: u8) -> u8 {
    0xa0 | n
}

/// One TLV element: `tag`, the minimal definite length, `content`.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = (len as u64).to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (8 - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// A constructed element whose content is the concatenation of `parts`.
pub fn constructed(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
    tlv(tag, &parts.concat())
}

/// `SEQUENCE { parts... }`.
pub fn sequence(parts: &[&[u8]]) -> Vec<u8> {
    constructed(SEQUENCE, parts)
}

/// An `INTEGER` holding the non-negative number whose big-endian magnitude
/// is `magnitude` (leading zeros are dropped, a zero byte is added where the
/// top bit is set, zero encodes as a single `00`).
pub fn unsigned_integer(magnitude: &[u8]) -> Vec<u8> {
    let skip = magnitude.iter().take_while(|b| **b == 0).count();
    let digits = &magnitude[skip..];
    let mut content = Vec::with_capacity(digits.len() + 1);
    if digits.first().is_none_or(|b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend_from_slice(digits);
    tlv(INTEGER, &content)
}

/// An `INTEGER` holding a machine integer, minimally encoded.
pub fn small_integer(v: i64) -> Vec<u8> {
    let bytes = v.to_be_bytes();
    let mut start = 0;
    while start < 7 {
        let redundant = (bytes[start] == 0 && bytes[start + 1] & 0x80 == 0)
            || (bytes[start] == 0xff && bytes[start + 1] & 0x80 != 0);
        if !redundant {
            break;
        }
        start += 1;
    }
    tlv(INTEGER, &bytes[start..])
}

/// A `BIT STRING` of whole bytes (no unused bits).
pub fn bit_string(bytes: &[u8]) -> Vec<u8> {
    let mut content = Vec::with_capacity(bytes.len() + 1);
    content.push(0);
    content.extend_from_slice(bytes);
    tlv(BIT_STRING, &content)
}

/// An `OCTET STRING`.
pub fn octet_string(bytes: &[u8]) -> Vec<u8> {
    tlv(OCTET_STRING, bytes)
}

/// `NULL`.
pub fn null() -> Vec<u8> {
    vec![NULL, 0]
}

/// A `BOOLEAN` as DER writes it (`ff` for true).
pub fn boolean(b: bool) -> Vec<u8> {
    tlv(BOOLEAN, &[if b { 0xff } else { 0 }])
}

/// An `OBJECT IDENTIFIER` from its arcs (at least two).
pub fn oid(arcs: &[u64]) -> Vec<u8> {
    let mut content = Vec::new();
    let first = arcs.first().copied().unwrap_or(0) * 40 + arcs.get(1).copied().unwrap_or(0);
    push_base128(&mut content, first);
    for &arc in arcs.iter().skip(2) {
        push_base128(&mut content, arc);
    }
    tlv(OBJECT_IDENTIFIER, &content)
}

fn push_base128(out: &mut Vec<u8>, v: u64) {
    let mut groups = Vec::new();
    let mut v = v;
    loop {
        groups.push((v & 0x7f) as u8);
        v >>= 7;
        if v == 0 {
            break;
        }
    }
    for (i, g) in groups.iter().rev().enumerate() {
        let more = i + 1 < groups.len();
        out.push(if more { g | 0x80 } else { *g });
    }
}

/// The big-endian magnitude of a `u64` without leading zeros.
pub fn trimmed_be(v: u64) -> Vec<u8> {
    let bytes = v.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    bytes[skip..].to_vec()
}

/// An integer read by [`Reader::read_big_integer`]: sign and magnitude.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BigInt {
    pub negative: bool,
    /// Big-endian magnitude without leading zeros (empty for zero).
    pub magnitude: Vec<u8>,
}

impl BigInt {
    /// Go's `Sign()`: -1, 0 or 1.
    pub fn sign(&self) -> i32 {
        if self.magnitude.is_empty() {
            0
        } else if self.negative {
            -1
        } else {
            1
        }
    }
}

/// A strict DER reader over a byte slice, after cryptobyte's rules.
#[derive(Clone, Copy, Debug)]
pub struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Reader { data }
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The unread bytes.
    pub fn rest(&self) -> &'a [u8] {
        self.data
    }

    /// Parses the next element's header: `(tag, header length, total
    /// length)`, without consuming anything.
    fn header(&self) -> Option<(u8, usize, usize)> {
        let d = self.data;
        if d.len() < 2 {
            return None;
        }
        let tag = d[0];
        if tag & 0x1f == 0x1f {
            // High tag numbers are not supported, as in cryptobyte.
            return None;
        }
        let len_byte = d[1];
        if len_byte & 0x80 == 0 {
            let total = 2 + len_byte as usize;
            return (total <= d.len()).then_some((tag, 2, total));
        }
        let len_len = (len_byte & 0x7f) as usize;
        if len_len == 0 || len_len > 4 || d.len() < 2 + len_len {
            return None;
        }
        let mut len: u32 = 0;
        for &b in &d[2..2 + len_len] {
            len = (len << 8) | b as u32;
        }
        if len < 128 || len >> ((len_len - 1) * 8) == 0 {
            // Not minimal: short form would do, or a leading zero byte.
            return None;
        }
        let header = 2 + len_len;
        let total = header.checked_add(len as usize)?;
        (total <= d.len()).then_some((tag, header, total))
    }

    /// Reads any element: `(tag, full element bytes, content bytes)`.
    pub fn read_any(&mut self) -> Option<(u8, &'a [u8], &'a [u8])> {
        let (tag, header, total) = self.header()?;
        let full = &self.data[..total];
        self.data = &self.data[total..];
        Some((tag, full, &full[header..]))
    }

    /// Whether the next element has tag `tag`.
    pub fn peek_tag(&self, tag: u8) -> bool {
        self.data.first() == Some(&tag)
    }

    /// Reads an element with tag `tag` and returns its content.
    pub fn read(&mut self, tag: u8) -> Option<&'a [u8]> {
        let mut copy = *self;
        let (t, _, content) = copy.read_any()?;
        if t != tag {
            return None;
        }
        *self = copy;
        Some(content)
    }

    /// Reads an element with tag `tag` and returns it whole (with header).
    pub fn read_element(&mut self, tag: u8) -> Option<&'a [u8]> {
        let mut copy = *self;
        let (t, full, _) = copy.read_any()?;
        if t != tag {
            return None;
        }
        *self = copy;
        Some(full)
    }

    /// Reads an optional element: `Some(None)` when the next tag differs.
    pub fn read_optional(&mut self, tag: u8) -> Option<Option<&'a [u8]>> {
        if !self.peek_tag(tag) {
            return Some(None);
        }
        self.read(tag).map(Some)
    }

    /// Reads a minimally encoded `INTEGER` of any size.
    pub fn read_big_integer(&mut self) -> Option<BigInt> {
        let mut copy = *self;
        let content = copy.read(INTEGER)?;
        let int = parse_integer(content)?;
        *self = copy;
        Some(int)
    }

    /// Reads an `INTEGER` that fits an `i64`.
    pub fn read_i64(&mut self) -> Option<i64> {
        let mut copy = *self;
        let content = copy.read(INTEGER)?;
        let v = integer_i64(content)?;
        *self = copy;
        Some(v)
    }

    /// Reads a `BOOLEAN` (`00` or `ff` only).
    pub fn read_bool(&mut self) -> Option<bool> {
        let mut copy = *self;
        let content = copy.read(BOOLEAN)?;
        let v = match content {
            [0] => false,
            [0xff] => true,
            _ => return None,
        };
        *self = copy;
        Some(v)
    }

    /// Reads a `BIT STRING`: `(bytes, bit length)`.
    pub fn read_bit_string(&mut self) -> Option<(&'a [u8], usize)> {
        let mut copy = *self;
        let content = copy.read(BIT_STRING)?;
        let bits = parse_bit_string(content)?;
        *self = copy;
        Some(bits)
    }

    /// Reads an `OBJECT IDENTIFIER` as its arcs.
    pub fn read_oid(&mut self) -> Option<Vec<u64>> {
        let mut copy = *self;
        let content = copy.read(OBJECT_IDENTIFIER)?;
        let arcs = parse_oid(content)?;
        *self = copy;
        Some(arcs)
    }
}

/// Checks and decodes INTEGER content (cryptobyte's `checkASN1Integer`).
pub fn parse_integer(content: &[u8]) -> Option<BigInt> {
    if content.is_empty() {
        return None;
    }
    if content.len() > 1
        && ((content[0] == 0 && content[1] & 0x80 == 0)
            || (content[0] == 0xff && content[1] & 0x80 == 0x80))
    {
        return None;
    }
    let negative = content[0] & 0x80 != 0;
    let mut magnitude = content.to_vec();
    if negative {
        // Two's complement: invert and add one.
        for b in magnitude.iter_mut() {
            *b = !*b;
        }
        for b in magnitude.iter_mut().rev() {
            let (v, carry) = b.overflowing_add(1);
            *b = v;
            if !carry {
                break;
            }
        }
    }
    let skip = magnitude.iter().take_while(|b| **b == 0).count();
    magnitude.drain(..skip);
    Some(BigInt {
        negative,
        magnitude,
    })
}

/// Decodes INTEGER content that fits an `i64`.
pub fn integer_i64(content: &[u8]) -> Option<i64> {
    parse_integer(content)?;
    if content.len() > 8 {
        return None;
    }
    let mut v: i64 = if content[0] & 0x80 != 0 { -1 } else { 0 };
    for &b in content {
        v = (v << 8) | b as i64;
    }
    Some(v)
}

/// Checks and decodes BIT STRING content.
pub fn parse_bit_string(content: &[u8]) -> Option<(&[u8], usize)> {
    let (&padding, bytes) = content.split_first()?;
    if padding > 7 || (bytes.is_empty() && padding > 0) {
        return None;
    }
    if let Some(last) = bytes.last() {
        if last & ((1u8 << padding) - 1) != 0 {
            return None;
        }
    }
    Some((bytes, bytes.len() * 8 - padding as usize))
}

/// Decodes OBJECT IDENTIFIER content into arcs, rejecting non-minimal
/// encodings and components that overflow Go's 32-bit-safe limit.
pub fn parse_oid(content: &[u8]) -> Option<Vec<u64>> {
    if content.is_empty() {
        return None;
    }
    let mut arcs = Vec::new();
    let mut rest = content;
    let mut first = true;
    while !rest.is_empty() {
        let (v, used) = read_base128(rest)?;
        rest = &rest[used..];
        if first {
            if v < 80 {
                arcs.push(v / 40);
                arcs.push(v % 40);
            } else {
                arcs.push(2);
                arcs.push(v - 80);
            }
            first = false;
        } else {
            arcs.push(v);
        }
    }
    Some(arcs)
}

fn read_base128(data: &[u8]) -> Option<(u64, usize)> {
    let mut v: u64 = 0;
    for (i, &b) in data.iter().enumerate() {
        if i == 5 || v >= 1 << (31 - 7) {
            return None;
        }
        if i == 0 && b == 0x80 {
            return None;
        }
        v = (v << 7) | (b & 0x7f) as u64;
        if b & 0x80 == 0 {
            return Some((v, i + 1));
        }
    }
    None
}

/// Go's `ObjectIdentifier.String()`: arcs joined by dots.
pub fn oid_string(arcs: &[u64]) -> String {
    arcs.iter()
        .map(|a| a.to_string())
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_minimal() {
        assert_eq!(unsigned_integer(&[]), [2, 1, 0]);
        assert_eq!(unsigned_integer(&[0, 0, 0x7f]), [2, 1, 0x7f]);
        assert_eq!(unsigned_integer(&[0x80]), [2, 2, 0, 0x80]);
        assert_eq!(small_integer(0), [2, 1, 0]);
        assert_eq!(small_integer(2), [2, 1, 2]);
        assert_eq!(small_integer(-1), [2, 1, 0xff]);
        assert_eq!(small_integer(128), [2, 2, 0, 0x80]);
        assert_eq!(small_integer(-129), [2, 2, 0xff, 0x7f]);
    }

    #[test]
    fn long_lengths_and_oids() {
        let big = tlv(OCTET_STRING, &[7; 300]);
        assert_eq!(&big[..4], &[4, 0x82, 1, 44]);
        assert_eq!(
            oid(&[1, 2, 840, 113549, 1, 1, 11]),
            [6, 9, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 1, 11]
        );
        let mut r = Reader::new(&big);
        assert_eq!(r.read(OCTET_STRING).map(<[u8]>::len), Some(300));
        assert!(r.is_empty());
        let mut r = Reader::new(&[6, 3, 0x55, 0x1d, 0x0f]);
        assert_eq!(r.read_oid(), Some(vec![2, 5, 29, 15]));
    }

    #[test]
    fn reader_is_strict() {
        // Non-minimal length, indefinite length, high tag number.
        assert!(Reader::new(&[4, 0x81, 5, 1, 2, 3, 4, 5])
            .read_any()
            .is_none());
        assert!(Reader::new(&[0x30, 0x80, 0, 0]).read_any().is_none());
        assert!(Reader::new(&[0x1f, 1, 0]).read_any().is_none());
        // Non-minimal integer, bad boolean, bit string with dirty padding.
        assert!(Reader::new(&[2, 2, 0, 1]).read_big_integer().is_none());
        assert!(Reader::new(&[1, 1, 1]).read_bool().is_none());
        assert!(Reader::new(&[3, 2, 1, 1]).read_bit_string().is_none());
        assert_eq!(
            Reader::new(&[3, 2, 5, 0xa0]).read_bit_string(),
            Some((&[0xa0][..], 3))
        );
        let neg = Reader::new(&[2, 2, 0xff, 0x7f]).read_big_integer().unwrap();
        assert_eq!((neg.sign(), neg.magnitude), (-1, vec![0x81]));
        assert_eq!(Reader::new(&[2, 1, 0xfe]).read_i64(), Some(-2));
    }
}
