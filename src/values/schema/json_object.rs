//! [`JsonObject`]: a JSON object as the schema compiler and validator read
//! it, its members in key order (Go's decoder gives a map, iterated in
//! random order; key order is the deterministic choice) with each key once,
//! the last of duplicates winning as in `encoding/json`.
//!
//! The members sit in one shared slice, found by binary search. A schema
//! document is mostly small objects (`{"type": "string"}`), and a
//! `BTreeMap` gives each a node with room for eleven members: traefik's
//! 181 KB schema took 655 KB of memory to read that way.

use std::fmt;
use std::rc::Rc;

use super::json::Json;

/// A JSON object (see the module docs). Clones share the members.
#[derive(Clone)]
pub(crate) struct JsonObject(Rc<[(String, Json)]>);

impl JsonObject {
    /// The object with `members`, the slice's members taken out: sorted
    /// by key, keeping the last member of each key.
    pub(crate) fn from_members(members: &mut Vec<(String, Json)>, start: usize) -> JsonObject {
        let taken = &mut members[start..];
        if !taken.is_sorted_by(|a, b| a.0 < b.0) {
            // Stable: of equal keys, the last one written stays last.
            taken.sort_by(|a, b| a.0.cmp(&b.0));
            let mut kept = start;
            for i in start..members.len() {
                if i + 1 < members.len() && members[i].0 == members[i + 1].0 {
                    continue;
                }
                members.swap(kept, i);
                kept += 1;
            }
            members.truncate(kept);
        }
        JsonObject(members.drain(start..).collect())
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Json> {
        find_member(&self.0, key)
    }

    pub(crate) fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The members in key order.
    pub(crate) fn iter(
        &self,
    ) -> impl DoubleEndedIterator<Item = (&String, &Json)> + ExactSizeIterator + Clone {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub(crate) fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + Clone {
        self.0.iter().map(|(k, _)| k)
    }

    pub(crate) fn values(&self) -> impl DoubleEndedIterator<Item = &Json> + Clone {
        self.0.iter().map(|(_, v)| v)
    }
}

/// The value of `key` among `members`, sorted by key with each key once.
pub(crate) fn find_member<'m, V>(members: &'m [(String, V)], key: &str) -> Option<&'m V> {
    members
        .binary_search_by(|(k, _)| k.as_str().cmp(key))
        .ok()
        .map(|i| &members[i].1)
}

impl FromIterator<(String, Json)> for JsonObject {
    fn from_iter<I: IntoIterator<Item = (String, Json)>>(members: I) -> JsonObject {
        let mut members: Vec<(String, Json)> = members.into_iter().collect();
        JsonObject::from_members(&mut members, 0)
    }
}

impl fmt::Debug for JsonObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(s: &str) -> Json {
        Json::String(s.into())
    }

    fn keys_and_texts(o: &JsonObject) -> Vec<(String, String)> {
        o.iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
            .collect()
    }

    #[test]
    fn members_come_in_key_order_the_last_of_a_key_winning() {
        let o: JsonObject = [("b", "1"), ("a", "2"), ("c", "3"), ("a", "4"), ("b", "5")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), string(v)))
            .collect();
        let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(k, t)| (k.to_string(), t.to_string()))
                .collect()
        };
        assert_eq!(
            keys_and_texts(&o),
            pairs(&[("a", "4"), ("b", "5"), ("c", "3")])
        );
        assert_eq!(o.len(), 3);
        assert_eq!(o.get("b").and_then(Json::as_str), Some("5"));
        assert!(o.get("d").is_none() && !o.contains_key("") && o.contains_key("c"));
        let keys: Vec<&String> = o.keys().rev().collect();
        assert_eq!(keys, ["c", "b", "a"]);
    }

    #[test]
    fn members_are_taken_from_the_end_of_a_shared_stack() {
        let mut stack: Vec<(String, Json)> = ["outer", "z", "y", "z"]
            .iter()
            .map(|k| (k.to_string(), string(k)))
            .collect();
        let inner = JsonObject::from_members(&mut stack, 1);
        assert_eq!(stack.len(), 1, "the outer member stays");
        assert_eq!(inner.keys().collect::<Vec<_>>(), ["y", "z"]);
        let empty = JsonObject::from_members(&mut stack, 1);
        assert!(empty.is_empty() && empty.get("z").is_none());
        let sorted = JsonObject::from_members(&mut stack, 0);
        assert_eq!(format!("{sorted:?}"), r#"{"outer": String("outer")}"#);
    }
}
