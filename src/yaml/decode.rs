//! Turns a composed document into Go values the way go-yaml v2's decoder
//! fills an `interface{}`: scalars are resolved (tags respected, timestamps
//! kept as text, `!!binary` decoded), mappings become interface-keyed maps in
//! which a later duplicate key wins, `<<` merge keys copy the keys of a map
//! (or of each map in a list, the first list entry taking precedence) into
//! the map at the point where they appear, aliases are expanded (an alias
//! inside its own anchor is an error), and go-yaml's guard against
//! excessive aliasing applies.

use super::compose::{Document, NodeId, NodeKind};
use super::resolve::{resolve, Scalar, BINARY_TAG, MERGE_TAG};
use super::typed::{YMap, Yv};

/// A decoding failure: go-yaml's message without its `yaml: ` prefix.
pub(crate) type DecodeError = String;

type Res<T> = Result<T, DecodeError>;

struct Decoder<'d> {
    doc: &'d Document,
    active_aliases: Vec<NodeId>,
    decode_count: u64,
    alias_count: u64,
    alias_depth: u32,
}

/// Decodes the document's root into a value (`Null` for an empty stream).
pub(crate) fn decode(doc: &Document) -> Res<Yv> {
    let Some(root) = doc.root else {
        return Ok(Yv::Null);
    };
    let mut d = Decoder {
        doc,
        active_aliases: Vec::new(),
        // go-yaml counts the document node itself as one decode.
        decode_count: 1,
        alias_count: 0,
        alias_depth: 0,
    };
    d.value(root)
}

fn allowed_alias_ratio(decode_count: u64) -> f64 {
    const LOW: u64 = 400_000;
    const HIGH: u64 = 4_000_000;
    if decode_count <= LOW {
        0.99
    } else if decode_count >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((decode_count - LOW) as f64 / (HIGH - LOW) as f64)
    }
}

impl Decoder<'_> {
    fn count(&mut self) -> Res<()> {
        self.decode_count += 1;
        if self.alias_depth > 0 {
            self.alias_count += 1;
        }
        if self.alias_count > 100
            && self.decode_count > 1000
            && self.alias_count as f64 / self.decode_count as f64
                > allowed_alias_ratio(self.decode_count)
        {
            return Err("document contains excessive aliasing".to_string());
        }
        Ok(())
    }

    /// Follows an alias node, guarding against self-reference.
    fn through_alias<T>(
        &mut self,
        id: NodeId,
        f: impl FnOnce(&mut Self, NodeId) -> Res<T>,
    ) -> Res<T> {
        let node = self.doc.node(id);
        if self.active_aliases.contains(&id) {
            return Err(format!("anchor '{}' value contains itself", node.value));
        }
        let target = node.alias.expect("alias nodes have targets");
        self.active_aliases.push(id);
        self.alias_depth += 1;
        let result = f(self, target);
        self.alias_depth -= 1;
        self.active_aliases.pop();
        result
    }

    fn value(&mut self, id: NodeId) -> Res<Yv> {
        self.count()?;
        let node = self.doc.node(id);
        match node.kind {
            NodeKind::Alias => self.through_alias(id, |d, target| d.value(target)),
            NodeKind::Scalar => self.scalar(id),
            NodeKind::Sequence => {
                let mut items = Vec::with_capacity(node.children.len());
                for &child in &node.children {
                    items.push(self.value(child)?);
                }
                Ok(Yv::Seq(items))
            }
            NodeKind::Mapping => {
                let mut map = YMap::default();
                self.mapping_into(id, &mut map)?;
                Ok(Yv::Map(map))
            }
        }
    }

    fn scalar(&mut self, id: NodeId) -> Res<Yv> {
        let node = self.doc.node(id);
        if node.tag.is_empty() && !node.implicit {
            return Ok(Yv::Str(node.value.clone()));
        }
        let (rtag, resolved) = resolve(&node.tag, &node.value)?;
        if rtag == BINARY_TAG {
            let Some(bytes) = decode_base64(&node.value) else {
                return Err("!!binary value contains invalid base64 data".to_string());
            };
            return Ok(match String::from_utf8(bytes) {
                Ok(s) => Yv::Str(s),
                Err(e) => Yv::Bin(e.into_bytes()),
            });
        }
        Ok(match resolved {
            Scalar::Null => Yv::Null,
            Scalar::Bool(b) => Yv::Bool(b),
            Scalar::Int(i) => Yv::Int(i),
            Scalar::Uint(u) => Yv::Uint(u),
            Scalar::Float(f) => Yv::Float(f),
            Scalar::Str | Scalar::Timestamp | Scalar::Merge => Yv::Str(node.value.clone()),
        })
    }

    /// go-yaml's `d.mapping` into an existing map `out`.
    fn mapping_into(&mut self, id: NodeId, out: &mut YMap) -> Res<()> {
        let doc = self.doc;
        for pair in doc.node(id).children.chunks(2) {
            let (k, v) = (pair[0], pair[1]);
            if self.is_merge(k) {
                self.merge(v, out)?;
                continue;
            }
            let key = self.value(k)?;
            if key.is_collection() {
                return Err(format!("invalid map key: {}", key.go_syntax()));
            }
            let value = self.value(v)?;
            out.set(key, value);
        }
        Ok(())
    }

    fn is_merge(&self, id: NodeId) -> bool {
        let n = self.doc.node(id);
        n.kind == NodeKind::Scalar && n.value == "<<" && (n.implicit || n.tag == MERGE_TAG)
    }

    fn merge(&mut self, id: NodeId, out: &mut YMap) -> Res<()> {
        let want_map = || "map merge requires map or sequence of maps as the value".to_string();
        let node = self.doc.node(id);
        match node.kind {
            NodeKind::Mapping => self.map_into(id, out),
            NodeKind::Alias => {
                let target = node.alias.expect("alias nodes have targets");
                if self.doc.node(target).kind != NodeKind::Mapping {
                    return Err(want_map());
                }
                self.map_into(id, out)
            }
            NodeKind::Sequence => {
                for &child in node.children.iter().rev() {
                    let c = self.doc.node(child);
                    let is_map = match c.kind {
                        NodeKind::Alias => {
                            let target = c.alias.expect("alias nodes have targets");
                            self.doc.node(target).kind == NodeKind::Mapping
                        }
                        kind => kind == NodeKind::Mapping,
                    };
                    if !is_map {
                        return Err(want_map());
                    }
                    self.map_into(child, out)?;
                }
                Ok(())
            }
            NodeKind::Scalar => Err(want_map()),
        }
    }

    /// `d.unmarshal(n, out)` for a map-valued `out`: a mapping node, or an
    /// alias of one.
    fn map_into(&mut self, id: NodeId, out: &mut YMap) -> Res<()> {
        self.count()?;
        match self.doc.node(id).kind {
            NodeKind::Alias => self.through_alias(id, |d, target| d.map_into(target, out)),
            _ => self.mapping_into(id, out),
        }
    }
}

/// `base64.StdEncoding.DecodeString`: padding required, CR and LF ignored.
pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let clean: Vec<u8> = text.bytes().filter(|&b| b != b'\r' && b != b'\n').collect();
    if clean.len() % 4 != 0 {
        return None;
    }
    let sextet = |b: u8| -> Option<u32> {
        Some(match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(clean.len() / 4 * 3);
    let quads = clean.len() / 4;
    for (qi, quad) in clean.chunks(4).enumerate() {
        let last = qi + 1 == quads;
        let pad = quad.iter().rev().take_while(|&&b| b == b'=').count();
        if pad > 2 || (pad > 0 && !last) {
            return None;
        }
        let mut n: u32 = 0;
        for &b in &quad[..4 - pad] {
            n = n << 6 | sextet(b)?;
        }
        n <<= 6 * pad as u32;
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::compose::compose;
    use super::*;

    fn dec(text: &str) -> Result<Yv, String> {
        let doc = compose(text).map_err(|e| e.message)?;
        decode(&doc)
    }

    fn dump(v: &Yv) -> String {
        match v {
            Yv::Map(entries) => {
                let inner: Vec<String> = entries
                    .entries()
                    .iter()
                    .map(|(k, v)| format!("{}:{}", dump(k), dump(v)))
                    .collect();
                format!("{{{}}}", inner.join(","))
            }
            Yv::Seq(items) => format!("[{}]", items.iter().map(dump).collect::<Vec<_>>().join(",")),
            other => other.go_syntax(),
        }
    }

    #[test]
    fn merges_in_order() {
        let v = dec("a: &a {x: 1, p: 2}\nb:\n  x: 0\n  <<: *a\n  p: 3\n").unwrap();
        assert_eq!(
            dump(&v),
            "{\"a\":{\"x\":1,\"p\":2},\"b\":{\"x\":1,\"p\":3}}"
        );
        let v = dec("- &a {k: a}\n- &b {k: b, j: b}\n- <<: [*a, *b]\n").unwrap();
        let Yv::Seq(items) = v else { panic!() };
        assert_eq!(dump(&items[2]), "{\"k\":\"a\",\"j\":\"b\"}");
    }

    #[test]
    fn merge_errors() {
        assert_eq!(
            dec("<<: 1").unwrap_err(),
            "map merge requires map or sequence of maps as the value"
        );
        assert_eq!(
            dec("a: &a [*a]").unwrap_err(),
            "anchor 'a' value contains itself"
        );
        assert_eq!(dec("a: *b").unwrap_err(), "unknown anchor 'b' referenced");
    }

    #[test]
    fn duplicate_keys_last_wins() {
        assert_eq!(dump(&dec("a: 1\na: 2").unwrap()), "{\"a\":2}");
    }

    #[test]
    fn binary_and_quoted() {
        assert_eq!(
            dump(&dec("a: !!binary |\n  aGVs\n  bG8=").unwrap()),
            "{\"a\":\"hello\"}"
        );
        // A plain scalar folds its line break into a space, which base64 rejects.
        assert!(dec("a: !!binary aGVs\n  bG8=").is_err());
        assert_eq!(
            dec("a: !!binary a").unwrap_err(),
            "!!binary value contains invalid base64 data"
        );
        assert_eq!(
            dump(&dec("a: \"1\"\nb: '<<'").unwrap()),
            "{\"a\":\"1\",\"b\":\"<<\"}"
        );
    }

    #[test]
    fn collection_keys_are_invalid() {
        assert_eq!(
            dec("? [1]\n: x").unwrap_err(),
            "invalid map key: []interface {}{1}"
        );
    }

    #[test]
    fn base64_rules() {
        assert_eq!(decode_base64("aGk=").unwrap(), b"hi");
        assert_eq!(decode_base64("aGVsbG8=\n").unwrap(), b"hello");
        assert!(decode_base64("aGk").is_none());
        assert!(decode_base64("aG=k").is_none());
        assert!(decode_base64("aGk= ").is_none());
    }
}
