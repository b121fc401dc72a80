//! Compiled schemas (v6's `Schema`): the keywords that assert, with
//! subschemas as indices into the compiler's arena.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::formats::Format;
use super::json::Json;
use super::kind::Types;
use super::number::Decimal;
use crate::funcs::regex::GoRegex;

/// An index into a compiler's arena.
pub(crate) type Sid = usize;

/// The text of a nil dereference panic in Go.
pub(crate) const NIL_PANIC: &str =
    "runtime error: invalid memory address or nil pointer dereference";

#[derive(Clone, Debug)]
pub(crate) enum Additional {
    Bool(bool),
    Schema(Sid),
}

#[derive(Clone, Debug)]
pub(crate) enum Items {
    One(Sid),
    Tuple(Vec<Sid>),
}

#[derive(Clone, Debug)]
pub(crate) enum Dependency {
    Props(Vec<String>),
    Schema(Sid),
}

/// Subschemas by member name (`properties`, `dependentSchemas`), in name
/// order: one slice, where a `BTreeMap` would give each schema with a
/// property or two a node with room for eleven.
#[derive(Debug, Default)]
pub(crate) struct NamedSchemas(Box<[(String, Sid)]>);

impl NamedSchemas {
    pub(crate) fn get(&self, name: &str) -> Option<Sid> {
        super::json_object::find_member(&self.0, name).copied()
    }

    /// The names and subschemas in name order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&String, Sid)> {
        self.0.iter().map(|(k, sid)| (k, *sid))
    }
}

impl FromIterator<(String, Sid)> for NamedSchemas {
    /// Named subschemas, given in name order, each name once (an object's
    /// members).
    fn from_iter<I: IntoIterator<Item = (String, Sid)>>(named: I) -> NamedSchemas {
        let named: Box<[(String, Sid)]> = named.into_iter().collect();
        debug_assert!(named.is_sorted_by(|a, b| a.0 < b.0));
        NamedSchemas(named)
    }
}

/// A compiled schema (v6's `Schema`, the keywords that assert).
#[derive(Debug, Default)]
pub(crate) struct Schema {
    pub url: String,
    pub ptr: String,
    /// A meta-schema put together from vocabularies: its location is its
    /// URL alone (see [`Schema::location`]).
    pub synthesized: bool,
    pub draft_version: u32,
    pub resource: Sid,
    /// `$recursiveRef`/`$recursiveAnchor` and `$dynamicRef`/`$dynamicAnchor`
    /// (drafts 2019-09 and 2020-12), where the schema has any.
    pub dynamic: Option<Box<DynamicScope>>,
    pub all_props_evaluated: bool,
    pub all_items_evaluated: bool,
    pub num_items_evaluated: usize,

    pub boolean: Option<bool>,
    pub reference: Option<Sid>,
    pub types: Types,
    pub enumeration: Option<(Vec<Json>, Types)>,
    pub constant: Option<Json>,
    /// `not`, `allOf`, `anyOf`, `oneOf` and `if`/`then`/`else`, where the
    /// schema has any.
    pub composition: Option<Box<Composition>>,
    pub format: Option<Format>,

    pub required: Vec<String>,
    pub properties: NamedSchemas,
    pub additional_properties: Option<Additional>,
    /// The other keywords only objects answer to, where the schema has any.
    pub objects: Option<Box<ObjectKeywords>>,
    pub unevaluated_properties: Option<Sid>,

    /// The keywords only arrays answer to, where the schema has any.
    pub arrays: Option<Box<ArrayKeywords>>,
    pub unevaluated_items: Option<Sid>,

    /// The keywords only strings answer to, where the schema has any.
    pub strings: Option<Box<StringKeywords>>,

    /// The limits only numbers answer to, where the schema has any.
    pub numbers: Option<Box<NumberLimits>>,
}

// The keyword groups below are boxed in [`Schema`], each present only
// where the schema has one of its keywords: a compile holds one `Schema`
// per subschema, and most have a type, a description and a few members
// (traefik's 711 subschemas took 688 bytes each with every keyword inline).

/// A schema's dynamic scope keywords (drafts 2019-09 and 2020-12).
#[derive(Debug, Default)]
pub(crate) struct DynamicScope {
    /// The `$dynamicAnchor`s of a resource's schemas, on the resource.
    pub dynamic_anchors: BTreeMap<String, Sid>,
    pub recursive_ref: Option<Sid>,
    pub recursive_anchor: bool,
    pub dynamic_ref: Option<(Sid, String)>,
    pub dynamic_anchor: String,
}

/// A schema's applicators that combine subschemas.
#[derive(Debug, Default)]
pub(crate) struct Composition {
    pub not: Option<Sid>,
    pub all_of: Vec<Sid>,
    pub any_of: Vec<Sid>,
    pub one_of: Vec<Sid>,
    pub if_: Option<Sid>,
    pub then: Option<Sid>,
    pub else_: Option<Sid>,
}

/// A schema's keywords for objects but the common `required`,
/// `properties`, `additionalProperties` and `unevaluatedProperties`.
#[derive(Debug, Default)]
pub(crate) struct ObjectKeywords {
    pub max_properties: Option<i64>,
    pub min_properties: Option<i64>,
    pub property_names: Option<Sid>,
    pub pattern_properties: Vec<(Rc<GoRegex>, Sid)>,
    pub dependencies: BTreeMap<String, Dependency>,
    pub dependent_required: BTreeMap<String, Vec<String>>,
    pub dependent_schemas: NamedSchemas,
}

/// A schema's keywords for strings.
#[derive(Debug, Default)]
pub(crate) struct StringKeywords {
    pub min_length: Option<i64>,
    pub max_length: Option<i64>,
    pub pattern: Option<Rc<GoRegex>>,
}

/// A schema's keywords for arrays (but `unevaluatedItems`, which the
/// evaluation bookkeeping of every instance reads). Boxed in [`Schema`]:
/// most schemas have none, and a compile holds one `Schema` per subschema.
#[derive(Debug, Default)]
pub(crate) struct ArrayKeywords {
    pub min_items: Option<i64>,
    pub max_items: Option<i64>,
    pub unique_items: bool,
    pub contains: Option<Sid>,
    pub min_contains: Option<i64>,
    pub max_contains: Option<i64>,
    pub items: Option<Items>,
    pub additional_items: Option<Additional>,
    pub prefix_items: Vec<Sid>,
    pub items2020: Option<Sid>,
}

/// A schema's numeric limits, boxed in [`Schema`] as [`ArrayKeywords`] are.
#[derive(Debug, Default)]
pub(crate) struct NumberLimits {
    pub maximum: Option<Decimal>,
    pub minimum: Option<Decimal>,
    pub exclusive_maximum: Option<Decimal>,
    pub exclusive_minimum: Option<Decimal>,
    pub multiple_of: Option<Decimal>,
}

impl NumberLimits {
    fn is_empty(&self) -> bool {
        self.maximum.is_none()
            && self.minimum.is_none()
            && self.exclusive_maximum.is_none()
            && self.exclusive_minimum.is_none()
            && self.multiple_of.is_none()
    }

    /// The limits boxed, or `None` where there are none.
    pub(crate) fn boxed(self) -> Option<Box<NumberLimits>> {
        (!self.is_empty()).then(|| Box::new(self))
    }
}

impl Schema {
    /// The array keywords, added where there were none.
    pub(crate) fn arrays_mut(&mut self) -> &mut ArrayKeywords {
        self.arrays.get_or_insert_with(Box::default)
    }

    /// The dynamic scope keywords, added where there were none.
    pub(crate) fn dynamic_mut(&mut self) -> &mut DynamicScope {
        self.dynamic.get_or_insert_with(Box::default)
    }

    /// The combining applicators, added where there were none.
    pub(crate) fn composition_mut(&mut self) -> &mut Composition {
        self.composition.get_or_insert_with(Box::default)
    }

    /// The object keywords, added where there were none.
    pub(crate) fn objects_mut(&mut self) -> &mut ObjectKeywords {
        self.objects.get_or_insert_with(Box::default)
    }

    /// The `$dynamicAnchor` named `name` among this resource's schemas.
    pub(crate) fn dynamic_anchor_named(&self, name: &str) -> Option<Sid> {
        self.dynamic.as_ref()?.dynamic_anchors.get(name).copied()
    }

    /// Whether this schema has `$recursiveAnchor: true`.
    pub(crate) fn is_recursive_anchor(&self) -> bool {
        self.dynamic.as_ref().is_some_and(|d| d.recursive_anchor)
    }

    /// v6's `Schema.Location`: the URL and the JSON pointer as a fragment,
    /// made when an error needs it.
    pub(crate) fn location(&self) -> String {
        if self.synthesized {
            self.url.clone()
        } else {
            super::gourl::location(&self.url, &self.ptr)
        }
    }
}

pub(super) fn to_strings(arr: &[Json]) -> Vec<String> {
    arr.iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// v6's `newTypes`.
pub(super) fn new_types(v: &Json) -> Types {
    let mut t = Types::default();
    match v {
        Json::String(s) => t.add(Types::from_name(s)),
        Json::Array(a) => {
            for item in a.iter() {
                if let Some(s) = item.as_str() {
                    t.add(Types::from_name(s));
                }
            }
        }
        _ => {}
    }
    t
}

/// v6's `typeOf` (0 for a value that is not JSON).
pub(crate) fn type_of(v: &Json) -> u8 {
    use super::kind::{ARRAY, BOOLEAN, NULL, NUMBER, OBJECT, STRING};
    match v {
        Json::Null => NULL,
        Json::Bool(_) => BOOLEAN,
        Json::Number(_) => NUMBER,
        Json::String(_) => STRING,
        Json::Array(_) => ARRAY,
        Json::Object(_) => OBJECT,
        Json::Invalid(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_keep_their_keyword_groups_boxed() {
        // A compile holds one Schema per subschema: a group held inline
        // would size every one of them by it.
        let size = std::mem::size_of::<Schema>();
        assert!(size <= 320, "{size}");
    }

    #[test]
    fn named_schemas_are_found_by_name() {
        let named: NamedSchemas = [("a", 3), ("b", 1), ("c", 2)]
            .into_iter()
            .map(|(k, sid)| (k.to_string(), sid))
            .collect();
        assert_eq!(named.get("b"), Some(1));
        assert_eq!(named.get("c"), Some(2));
        assert_eq!(named.get("d"), None);
        let order: Vec<(&String, Sid)> = named.iter().collect();
        assert_eq!(
            order,
            [
                (&"a".to_string(), 3),
                (&"b".to_string(), 1),
                (&"c".to_string(), 2)
            ]
        );
    }
}
