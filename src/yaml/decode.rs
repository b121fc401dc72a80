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
use super::target::{GoStruct, GoType};
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
    /// Set when a part that was only checked holds something the
    /// YAML-to-JSON conversion could reject (a null or `uint64` map key, a
    /// NaN or infinite number).
    unconvertible: bool,
}

impl<'d> Decoder<'d> {
    fn new(doc: &'d Document) -> Self {
        Decoder {
            doc,
            active_aliases: Vec::new(),
            // go-yaml counts the document node itself as one decode.
            decode_count: 1,
            alias_count: 0,
            alias_depth: 0,
            unconvertible: false,
        }
    }
}

/// Decodes the document's root into a value (`Null` for an empty stream).
pub(crate) fn decode(doc: &Document) -> Res<Yv> {
    let Some(root) = doc.root else {
        return Ok(Yv::Null);
    };
    Decoder::new(doc).value(root)
}

/// What [`decode_for`] gives.
pub(crate) enum Pruned {
    /// The value, with `Null` under the keys of struct mappings that name
    /// no field of the target (JSON decoding ignores them).
    Value(Yv),
    /// A part left out might fail the YAML-to-JSON conversion: decode the
    /// whole document with [`decode`] instead.
    Unsure,
}

/// [`decode`] for a value headed for `target`: values under mapping keys
/// that no struct field takes are walked exactly as [`decode`] walks them
/// (same errors, in the same order, same alias accounting) but not built.
/// Manifests are read this way for their few head fields.
pub(crate) fn decode_for(doc: &Document, target: GoType) -> Res<Pruned> {
    let Some(root) = doc.root else {
        return Ok(Pruned::Value(Yv::Null));
    };
    let mut d = Decoder::new(doc);
    let value = d.value_for(root, target)?;
    Ok(if d.unconvertible {
        Pruned::Unsure
    } else {
        Pruned::Value(value)
    })
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

    /// Whether the node is a mapping, or an alias of one (what a merge
    /// key `<<` accepts).
    fn is_mapping(&self, id: NodeId) -> bool {
        let node = self.doc.node(id);
        match node.kind {
            NodeKind::Alias => node
                .alias
                .is_some_and(|target| self.doc.node(target).kind == NodeKind::Mapping),
            kind => kind == NodeKind::Mapping,
        }
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
                self.mapping_into(id, None, &mut map)?;
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

    /// [`Decoder::value`] for a value headed for `target`.
    fn value_for(&mut self, id: NodeId, target: GoType) -> Res<Yv> {
        let mut target = target;
        while let GoType::Ptr(inner) = target {
            target = *inner;
        }
        let GoType::Struct(s) = target else {
            return self.value(id);
        };
        if self.doc.node(id).kind != NodeKind::Mapping {
            return self.value(id);
        }
        self.count()?;
        let mut map = YMap::default();
        self.mapping_into(id, Some(s), &mut map)?;
        Ok(Yv::Map(map))
    }

    /// go-yaml's `d.mapping` into an existing map `out`; with a struct `s`,
    /// each key naming one of its fields decodes as that field's type and
    /// other keys are checked and kept as null.
    fn mapping_into(&mut self, id: NodeId, s: Option<&GoStruct>, out: &mut YMap) -> Res<()> {
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
            let field = match (&key, s) {
                (Yv::Str(name), Some(s)) => match s.field_for_conversion(name) {
                    Some(f) => Some(f.ty),
                    None => {
                        self.check(v)?;
                        out.set(key, Yv::Null);
                        continue;
                    }
                },
                _ => None,
            };
            let value = match field {
                Some(ty) => self.value_for(v, ty)?,
                None => self.value(v)?,
            };
            out.set(key, value);
        }
        Ok(())
    }

    /// [`Decoder::value`] without building the value.
    fn check(&mut self, id: NodeId) -> Res<()> {
        self.count()?;
        let node = self.doc.node(id);
        match node.kind {
            NodeKind::Alias => self.through_alias(id, |d, target| d.check(target)),
            NodeKind::Scalar => self.check_scalar(id).map(|_| ()),
            NodeKind::Sequence => {
                for &child in &node.children {
                    self.check(child)?;
                }
                Ok(())
            }
            NodeKind::Mapping => self.check_mapping(id),
        }
    }

    /// [`Decoder::scalar`] without building the value: whether it would be
    /// a key the conversion rejects (null, `uint64`).
    fn check_scalar(&mut self, id: NodeId) -> Res<bool> {
        let node = self.doc.node(id);
        if node.tag.is_empty() && !node.implicit {
            return Ok(false);
        }
        let (rtag, resolved) = resolve(&node.tag, &node.value)?;
        if rtag == BINARY_TAG {
            if decode_base64(&node.value).is_none() {
                return Err("!!binary value contains invalid base64 data".to_string());
            }
            return Ok(false);
        }
        Ok(match resolved {
            Scalar::Float(f) => {
                if !f.is_finite() {
                    self.unconvertible = true;
                }
                false
            }
            Scalar::Null | Scalar::Uint(_) => true,
            _ => false,
        })
    }

    /// [`Decoder::mapping_into`] without building the map.
    fn check_mapping(&mut self, id: NodeId) -> Res<()> {
        let doc = self.doc;
        for pair in doc.node(id).children.chunks(2) {
            let (k, v) = (pair[0], pair[1]);
            if self.is_merge(k) {
                self.check_merge(v)?;
                continue;
            }
            if doc.node(k).kind == NodeKind::Scalar {
                self.count()?;
                if self.check_scalar(k)? {
                    self.unconvertible = true;
                }
            } else {
                let key = self.value(k)?;
                if key.is_collection() {
                    return Err(format!("invalid map key: {}", key.go_syntax()));
                }
                if matches!(key, Yv::Null | Yv::Uint(_)) {
                    self.unconvertible = true;
                }
            }
            self.check(v)?;
        }
        Ok(())
    }

    /// [`Decoder::merge`] without building the map.
    fn check_merge(&mut self, id: NodeId) -> Res<()> {
        let want_map = || "map merge requires map or sequence of maps as the value".to_string();
        let node = self.doc.node(id);
        match node.kind {
            NodeKind::Mapping => self.check_map_into(id),
            NodeKind::Alias => {
                if !self.is_mapping(id) {
                    return Err(want_map());
                }
                self.check_map_into(id)
            }
            NodeKind::Sequence => {
                for &child in node.children.iter().rev() {
                    if !self.is_mapping(child) {
                        return Err(want_map());
                    }
                    self.check_map_into(child)?;
                }
                Ok(())
            }
            NodeKind::Scalar => Err(want_map()),
        }
    }

    /// [`Decoder::map_into`] without building the map.
    fn check_map_into(&mut self, id: NodeId) -> Res<()> {
        self.count()?;
        match self.doc.node(id).kind {
            NodeKind::Alias => self.through_alias(id, |d, target| d.check_map_into(target)),
            _ => self.check_mapping(id),
        }
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
                if !self.is_mapping(id) {
                    return Err(want_map());
                }
                self.map_into(id, out)
            }
            NodeKind::Sequence => {
                for &child in node.children.iter().rev() {
                    if !self.is_mapping(child) {
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
            _ => self.mapping_into(id, None, out),
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
        let doc = compose(text.into()).map_err(|e| e.message)?;
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

    fn dec_for(text: &str) -> Result<Option<Yv>, String> {
        let doc = compose(text.into()).map_err(|e| e.message)?;
        Ok(
            match decode_for(&doc, GoType::Struct(&super::super::SIMPLE_HEAD))? {
                Pruned::Value(v) => Some(v),
                Pruned::Unsure => None,
            },
        )
    }

    #[test]
    fn pruned_decoding_keeps_head_fields_only() {
        let text = "kind: Pod\nspec: {a: [1, 2]}\nmetadata:\n  name: x\n  labels: {l: v}\n  annotations: {k: v}\n";
        assert_eq!(
            dump(&dec_for(text).unwrap().unwrap()),
            "{\"kind\":\"Pod\",\"spec\":<nil>,\"metadata\":{\"name\":\"x\",\"labels\":<nil>,\"annotations\":{\"k\":\"v\"}}}"
        );
        // Not a mapping: decoded as it is.
        assert_eq!(dump(&dec_for("- a").unwrap().unwrap()), "[\"a\"]");
    }

    #[test]
    fn pruned_decoding_reports_the_same_errors() {
        let texts = [
            "spec: {<<: 1}",
            "kind: &a x\nspec: [*b]",
            "spec: &a [*a]",
            "spec: !!binary a\nkind: !!binary a",
            "spec: {? [1]: x}",
            "spec: !!int abc",
            "spec: {a: &x {b: 1}, c: {<<: [*x, 2]}}",
            "kind: !!float x\nspec: !!int y",
        ];
        for text in texts {
            let full = dec(text).map(|_| ());
            assert!(full.is_err(), "{text}");
            assert_eq!(dec_for(text).map(|_| ()), full, "{text}");
        }
    }

    #[test]
    fn pruned_decoding_is_unsure_about_values_that_may_not_convert() {
        for text in [
            "spec: .nan",
            "spec: [-.inf]",
            "spec: {~: 1}",
            "spec: {18446744073709551615: 1}",
            "metadata: {labels: {a: .inf}}",
        ] {
            assert!(dec_for(text).unwrap().is_none(), "{text}");
        }
        assert!(dec_for("spec: {a: 1.5, 1: [x], true: ~}")
            .unwrap()
            .is_some());
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
