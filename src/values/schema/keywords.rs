//! Keyword compilation (v6's `objCompiler`): which keywords a schema
//! object's draft and vocabularies let assert, their subschemas queued for
//! compilation, `$ref`s resolved locally or by loading their document.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::compiled::{
    new_types, to_strings, type_of, Additional, Dependency, Items, NumberLimits, Schema, Sid,
    StringKeywords,
};
use super::compiler::{CompileError, Compiler, Result};
use super::draft::Dialect;
use super::formats;
use super::gourl::{self, escape_token, location};
use super::json::Json;
use super::json_object::JsonObject;
use super::kind::Types;
use super::number::Decimal;
use super::roots::Resource;
use crate::funcs::regex::GoRegex;
use crate::template::strconv::quote as go_quote;

/// Compiles one schema object (v6's `objCompiler`).
pub(super) struct ObjCompiler<'a> {
    pub(super) c: &'a mut Compiler,
    pub(super) obj: &'a JsonObject,
    pub(super) url: &'a str,
    pub(super) ptr: &'a str,
    pub(super) res: &'a Resource,
    pub(super) dialect: &'a Dialect,
    pub(super) sid: Sid,
    /// The member names of `obj`, for [`ObjCompiler::get`].
    pub(super) names: NameBits,
}

/// The member names of a schema object, each as one bit of a small hash.
/// Compiling a schema looks up some forty keywords in an object that
/// holds a handful, nearly all in vain: a keyword whose bit is clear is
/// certainly absent, with no string compared.
#[derive(Clone, Copy)]
pub(super) struct NameBits(u64);

impl NameBits {
    pub(super) fn of(obj: &JsonObject) -> NameBits {
        NameBits(obj.keys().fold(0, |bits, name| bits | Self::bit(name)))
    }

    fn may_have(self, name: &str) -> bool {
        self.0 & Self::bit(name) != 0
    }

    /// The name's bit: from its length and its first and last bytes,
    /// weighed so that no keyword shares a bit with the members schemas
    /// usually have (`type`, `description`, `default`, `title`, ...).
    fn bit(name: &str) -> u64 {
        let b = name.as_bytes();
        let (first, last) = match (b.first(), b.last()) {
            (Some(&f), Some(&l)) => (f as usize, l as usize),
            _ => (0, 0),
        };
        1 << ((b.len() * 2 + first * 4 + last * 15) % 64)
    }
}

impl<'a> ObjCompiler<'a> {
    /// The keyword `name` of the schema object.
    fn get(&self, name: &str) -> Option<&'a Json> {
        if !self.names.may_have(name) {
            return None;
        }
        self.obj.get(name)
    }

    fn s(&mut self) -> &mut Schema {
        &mut self.c.schemas[self.sid]
    }

    fn has_vocab(&self, name: &str) -> bool {
        self.dialect.has_vocab(name)
    }

    fn version(&self) -> u32 {
        self.dialect.draft.version
    }

    pub(super) fn compile(&mut self) -> Result<()> {
        self.draft4()?;
        if self.version() >= 6 {
            self.draft6();
        }
        if self.version() >= 7 {
            self.draft7();
        }
        if self.version() >= 2019 {
            self.draft2019()?;
        }
        if self.version() >= 2020 {
            self.draft2020()?;
        }
        Ok(())
    }

    fn draft4(&mut self) -> Result<()> {
        if self.has_vocab("core") {
            let r = self.enqueue_ref("$ref")?;
            self.s().reference = r;
            if self.version() < 2019 && r.is_some() {
                return Ok(());
            }
        }
        if self.has_vocab("applicator") {
            let all_of = self.enqueue_arr("allOf");
            let any_of = self.enqueue_arr("anyOf");
            let one_of = self.enqueue_arr("oneOf");
            let not = self.enqueue_prop("not");
            if !all_of.is_empty() || !any_of.is_empty() || !one_of.is_empty() || not.is_some() {
                let c = self.s().composition_mut();
                (c.all_of, c.any_of, c.one_of, c.not) = (all_of, any_of, one_of, not);
            }
            if self.version() < 2020 {
                if let Some(items) = self.get("items") {
                    if items.as_array().is_some() {
                        let t = self.enqueue_arr("items");
                        let add = self.enqueue_additional("additionalItems");
                        let arrays = self.s().arrays_mut();
                        arrays.items = Some(Items::Tuple(t));
                        arrays.additional_items = add;
                    } else {
                        let one = self.enqueue_prop("items");
                        self.s().arrays_mut().items = one.map(Items::One);
                    }
                }
            }
            let props = self.enqueue_map("properties");
            self.s().properties = props;
            let pattern_props: Vec<(String, Sid)> = self.enqueue_map("patternProperties");
            let mut compiled = Vec::new();
            for (pname, sch) in pattern_props {
                let re = GoRegex::compile(&pname).map_err(|e| {
                    CompileError::Error(format!(
                        "invalid regex {} at {}: {e}",
                        go_quote(&pname),
                        go_quote(&self.format_loc("patternProperties"))
                    ))
                })?;
                compiled.push((Rc::new(re), sch));
            }
            if !compiled.is_empty() {
                self.s().objects_mut().pattern_properties = compiled;
            }
            let add = self.enqueue_additional("additionalProperties");
            self.s().additional_properties = add;
            if let Some(deps) = self.get("dependencies").and_then(Json::as_object) {
                let mut out = BTreeMap::new();
                for (pname, pvalue) in deps.iter() {
                    let dep = match pvalue.as_array() {
                        Some(arr) => Dependency::Props(to_strings(arr)),
                        None => {
                            let p = gourl::child_pointer(self.ptr, &["dependencies", pname]);
                            Dependency::Schema(self.c.enqueue(self.url, &p))
                        }
                    };
                    out.insert(pname.clone(), dep);
                }
                self.s().objects_mut().dependencies = out;
            }
        }
        if self.has_vocab("validation") {
            self.draft4_validation()?;
        }
        if self.assert_format() {
            if let Some(f) = self.get("format").and_then(Json::as_str) {
                let format = formats::lookup(f);
                self.s().format = format;
            }
        }
        Ok(())
    }

    /// Draft 4's validation vocabulary: `type`, `enum`, the numeric and
    /// length limits, `pattern`, `uniqueItems`, `required`.
    /// [Out of line](crate#functions-kept-out-of-line), so that compiling a schema's keywords is
    /// not one large function.
    #[inline(never)]
    fn draft4_validation(&mut self) -> Result<()> {
        if let Some(t) = self.get("type") {
            self.s().types = new_types(t);
        }
        if let Some(arr) = self.get("enum").and_then(Json::as_array) {
            let mut types = Types::default();
            for item in arr {
                types.add(type_of(item));
            }
            self.s().enumeration = Some((arr.to_vec(), types));
        }
        let multiple_of = self.num_val("multipleOf");
        let mut maximum = self.num_val("maximum");
        let exclusive_maximum = if self.boolean("exclusiveMaximum") {
            maximum.take()
        } else {
            self.num_val("exclusiveMaximum")
        };
        let mut minimum = self.num_val("minimum");
        let exclusive_minimum = if self.boolean("exclusiveMinimum") {
            minimum.take()
        } else {
            self.num_val("exclusiveMinimum")
        };
        let min_length = self.int_val("minLength");
        let max_length = self.int_val("maxLength");
        let pattern = match self.get("pattern").and_then(Json::as_str) {
            Some(p) => Some(Rc::new(GoRegex::compile(p).map_err(|e| {
                CompileError::Error(format!(
                    "invalid regex {} at {}: {e}",
                    go_quote(p),
                    go_quote(&self.format_loc("pattern"))
                ))
            })?)),
            None => None,
        };
        let min_items = self.int_val("minItems");
        let max_items = self.int_val("maxItems");
        let unique_items = self.boolean("uniqueItems");
        let max_properties = self.int_val("maxProperties");
        let min_properties = self.int_val("minProperties");
        let required = self
            .get("required")
            .and_then(Json::as_array)
            .map(to_strings)
            .unwrap_or_default();
        let s = self.s();
        s.numbers = NumberLimits {
            maximum,
            minimum,
            exclusive_maximum,
            exclusive_minimum,
            multiple_of,
        }
        .boxed();
        if min_length.is_some() || max_length.is_some() || pattern.is_some() {
            s.strings = Some(Box::new(StringKeywords {
                min_length,
                max_length,
                pattern,
            }));
        }
        if min_items.is_some() || max_items.is_some() || unique_items {
            let arrays = s.arrays_mut();
            (arrays.min_items, arrays.max_items) = (min_items, max_items);
            arrays.unique_items = unique_items;
        }
        if max_properties.is_some() || min_properties.is_some() {
            let objects = s.objects_mut();
            (objects.max_properties, objects.min_properties) = (max_properties, min_properties);
        }
        s.required = required;
        Ok(())
    }

    fn draft6(&mut self) {
        if self.has_vocab("applicator") {
            let contains = self.enqueue_prop("contains");
            let names = self.enqueue_prop("propertyNames");
            if contains.is_some() {
                self.s().arrays_mut().contains = contains;
            }
            if names.is_some() {
                self.s().objects_mut().property_names = names;
            }
        }
        if self.has_vocab("validation") {
            if let Some(v) = self.get("const") {
                let v = v.clone();
                self.s().constant = Some(v);
            }
        }
    }

    fn draft7(&mut self) {
        if self.has_vocab("applicator") {
            let if_ = self.enqueue_prop("if");
            if if_.is_some() {
                self.s().composition_mut().if_ = if_;
                let b = self.get("if").and_then(Json::as_bool);
                if b != Some(false) {
                    let then = self.enqueue_prop("then");
                    self.s().composition_mut().then = then;
                }
                if b != Some(true) {
                    let else_ = self.enqueue_prop("else");
                    self.s().composition_mut().else_ = else_;
                }
            }
        }
    }

    fn draft2019(&mut self) -> Result<()> {
        if self.has_vocab("core") {
            let r = self.enqueue_ref("$recursiveRef")?;
            let anchor = self.boolean("$recursiveAnchor");
            if r.is_some() || anchor {
                let dynamic = self.s().dynamic_mut();
                (dynamic.recursive_ref, dynamic.recursive_anchor) = (r, anchor);
            }
        }
        if self.has_vocab("validation") {
            let arrays = self.c.schemas[self.sid].arrays.as_deref();
            if arrays.is_some_and(|a| a.contains.is_some()) {
                let min = self.int_val("minContains");
                let max = self.int_val("maxContains");
                let arrays = self.s().arrays_mut();
                (arrays.min_contains, arrays.max_contains) = (min, max);
            }
            if let Some(m) = self.get("dependentRequired").and_then(Json::as_object) {
                let mut out = BTreeMap::new();
                for (pname, pvalue) in m.iter() {
                    if let Some(arr) = pvalue.as_array() {
                        out.insert(pname.clone(), to_strings(arr));
                    }
                }
                self.s().objects_mut().dependent_required = out;
            }
        }
        if self.has_vocab("applicator") {
            let m: Vec<(String, Sid)> = self.enqueue_map("dependentSchemas");
            if !m.is_empty() {
                self.s().objects_mut().dependent_schemas = m.into_iter().collect();
            }
        }
        let unevaluated = if self.version() == 2019 {
            self.has_vocab("applicator")
        } else {
            self.has_vocab("unevaluated")
        };
        if unevaluated {
            let items = self.enqueue_prop("unevaluatedItems");
            let props = self.enqueue_prop("unevaluatedProperties");
            self.s().unevaluated_items = items;
            self.s().unevaluated_properties = props;
        }
        Ok(())
    }

    fn draft2020(&mut self) -> Result<()> {
        if self.has_vocab("core") {
            if let Some(sch) = self.enqueue_ref("$dynamicRef")? {
                let dref = self
                    .get("$dynamicRef")
                    .and_then(Json::as_str)
                    .unwrap_or_default();
                let (_, frag) = gourl::split_fragment(dref)?;
                let anchor = if !frag.is_empty() && !frag.starts_with('/') {
                    frag
                } else {
                    String::new()
                };
                self.s().dynamic_mut().dynamic_ref = Some((sch, anchor));
            }
            let a = self.string("$dynamicAnchor");
            if !a.is_empty() {
                self.s().dynamic_mut().dynamic_anchor = a;
            }
        }
        if self.has_vocab("applicator") {
            let prefix = self.enqueue_arr("prefixItems");
            let items = self.enqueue_prop("items");
            if !prefix.is_empty() || items.is_some() {
                let arrays = self.s().arrays_mut();
                (arrays.prefix_items, arrays.items2020) = (prefix, items);
            }
        }
        Ok(())
    }

    fn assert_format(&self) -> bool {
        if self.c.assert_format || self.version() < 2019 {
            return true;
        }
        if self.version() == 2019 {
            self.has_vocab("format")
        } else {
            self.has_vocab("format-assertion")
        }
    }

    /// `urlPtr.format(tok)`: the location of a keyword of this schema.
    fn format_loc(&self, tok: &str) -> String {
        format!(
            "{}/{}",
            location(self.url, self.ptr),
            gourl::encode_fragment(&escape_token(tok))
        )
    }

    fn enqueue_ref(&mut self, pname: &str) -> Result<Option<Sid>> {
        let Some(reference) = self.get(pname).and_then(Json::as_str) else {
            return Ok(None);
        };
        let (u, frag) = self.c.joins.join(&self.res.id, reference)?;
        let local = {
            let r = &self.c.roots[self.url];
            r.resolve(&u, &frag)?
        };
        if let Some(p) = local {
            return Ok(Some(self.c.enqueue(self.url, &p)));
        }
        let p = self.c.resolve_fragment(&u, &frag)?;
        Ok(Some(self.c.enqueue(&u, &p)))
    }

    fn enqueue_prop(&mut self, pname: &str) -> Option<Sid> {
        let value = self.get(pname)?;
        let p = gourl::child_pointer(self.ptr, &[pname]);
        Some(self.c.enqueue_known(self.url, &p, Some(value)))
    }

    fn enqueue_arr(&mut self, pname: &str) -> Vec<Sid> {
        let Some(arr) = self.get(pname).and_then(Json::as_array) else {
            return Vec::new();
        };
        arr.iter()
            .enumerate()
            .map(|(i, v)| {
                let p = gourl::item_pointer(self.ptr, &[pname], i);
                self.c.enqueue_known(self.url, &p, Some(v))
            })
            .collect()
    }

    /// The subschemas of the object member `pname`, by name in name order.
    fn enqueue_map<T: FromIterator<(String, Sid)> + Default>(&mut self, pname: &str) -> T {
        let Some(obj) = self.get(pname).and_then(Json::as_object) else {
            return T::default();
        };
        obj.iter()
            .map(|(k, v)| {
                let p = gourl::child_pointer(self.ptr, &[pname, k]);
                (k.clone(), self.c.enqueue_known(self.url, &p, Some(v)))
            })
            .collect()
    }

    fn enqueue_additional(&mut self, pname: &str) -> Option<Additional> {
        if let Some(b) = self.get(pname).and_then(Json::as_bool) {
            return Some(Additional::Bool(b));
        }
        self.enqueue_prop(pname).map(Additional::Schema)
    }

    fn boolean(&self, pname: &str) -> bool {
        self.get(pname).and_then(Json::as_bool) == Some(true)
    }

    fn string(&self, pname: &str) -> String {
        self.obj
            .get(pname)
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_string()
    }

    fn num_val(&self, pname: &str) -> Option<Decimal> {
        match self.get(pname) {
            Some(Json::Number(n)) => n.value.clone(),
            _ => None,
        }
    }

    fn int_val(&self, pname: &str) -> Option<i64> {
        self.num_val(pname)
            .filter(Decimal::is_int)
            .map(|n| n.to_go_int())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every keyword the compiler asks for, and names schemas often have.
    const NAMES: &[&str] = &[
        "$ref",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "items",
        "additionalItems",
        "properties",
        "patternProperties",
        "additionalProperties",
        "dependencies",
        "type",
        "enum",
        "multipleOf",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "minLength",
        "maxLength",
        "pattern",
        "minItems",
        "maxItems",
        "uniqueItems",
        "maxProperties",
        "minProperties",
        "required",
        "format",
        "contains",
        "propertyNames",
        "const",
        "if",
        "then",
        "else",
        "$recursiveRef",
        "$recursiveAnchor",
        "minContains",
        "maxContains",
        "dependentRequired",
        "dependentSchemas",
        "unevaluatedItems",
        "unevaluatedProperties",
        "$dynamicRef",
        "$dynamicAnchor",
        "prefixItems",
        "description",
        "default",
        "title",
        "examples",
        "$schema",
        "$id",
        "",
        "x",
        "\u{e9}t\u{e9}",
    ];

    #[test]
    fn a_member_s_bit_is_always_set() {
        for (i, present) in NAMES.iter().enumerate() {
            let others = NAMES.iter().skip(i % 7).step_by(5).take(4);
            let obj: JsonObject = std::iter::once(present)
                .chain(others)
                .map(|name| (name.to_string(), Json::Null))
                .collect();
            let bits = NameBits::of(&obj);
            for name in obj.keys() {
                assert!(
                    bits.may_have(name),
                    "{name} in {:?}",
                    obj.keys().collect::<Vec<_>>()
                );
            }
        }
    }

    #[test]
    fn usual_members_leave_the_other_keywords_unmatched() {
        let usual = ["type", "description", "default", "title", "examples"];
        let obj: JsonObject = usual
            .iter()
            .map(|name| (name.to_string(), Json::Null))
            .collect();
        let bits = NameBits::of(&obj);
        let matched: Vec<&str> = NAMES[..45]
            .iter()
            .copied()
            .filter(|name| bits.may_have(name))
            .collect();
        assert_eq!(matched, ["type"]);
    }
}
