//! Lookup tables keyed by JSON pointer, for the compiler's bookkeeping
//! (v6's `map[jsonPointer]…`: which subschemas were collected, which were
//! enqueued). The pointers of one document share long prefixes
//! (`/properties/a/properties/b/…`), so ordering them byte by byte costs a
//! long comparison at every step of a search. These tables first split the
//! pointers by length, a cheap integer order that settles most steps, and
//! compare bytes only among pointers of the same length. They are never
//! iterated, so the unusual order shows nowhere.

use std::collections::btree_map::{BTreeMap, Entry};

/// A map from JSON pointer to `V`.
#[derive(Debug)]
pub(super) struct PointerMap<V> {
    by_len: BTreeMap<usize, BTreeMap<String, V>>,
}

impl<V> Default for PointerMap<V> {
    fn default() -> Self {
        PointerMap {
            by_len: BTreeMap::new(),
        }
    }
}

impl<V> PointerMap<V> {
    pub(super) fn get(&self, ptr: &str) -> Option<&V> {
        self.by_len.get(&ptr.len())?.get(ptr)
    }

    pub(super) fn contains(&self, ptr: &str) -> bool {
        self.get(ptr).is_some()
    }

    /// Inserts `value` at `ptr` unless `ptr` is present: the value already
    /// there, or `None` where `value` was inserted.
    pub(super) fn insert_new(&mut self, ptr: &str, value: V) -> Option<&V> {
        match self
            .by_len
            .entry(ptr.len())
            .or_default()
            .entry(ptr.to_string())
        {
            Entry::Occupied(present) => Some(present.into_mut()),
            Entry::Vacant(absent) => {
                absent.insert(value);
                None
            }
        }
    }

    /// How many pointers the map holds.
    pub(super) fn len(&self) -> usize {
        self.by_len.values().map(BTreeMap::len).sum()
    }
}

/// A set of JSON pointers.
pub(super) type PointerSet = PointerMap<()>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_are_found_by_value_whatever_their_length() {
        let mut set = PointerSet::default();
        for ptr in ["", "/a", "/b", "/properties/x", "/properties/y", "/a"] {
            set.insert_new(ptr, ());
        }
        assert_eq!(set.len(), 5);
        for ptr in ["", "/a", "/b", "/properties/x", "/properties/y"] {
            assert!(set.contains(ptr), "{ptr:?}");
        }
        for ptr in ["/c", "/properties", "/properties/z", "/a/"] {
            assert!(!set.contains(ptr), "{ptr:?}");
        }
    }

    #[test]
    fn a_present_pointer_keeps_its_first_value() {
        let mut map = PointerMap::default();
        assert_eq!(map.insert_new("/x", 1), None);
        assert_eq!(map.insert_new("/x", 2), Some(&1));
        assert_eq!(map.insert_new("/y", 3), None);
        assert_eq!(map.get("/x"), Some(&1));
        assert_eq!(map.get("/y"), Some(&3));
        assert_eq!(map.get("/z"), None);
        assert_eq!(map.len(), 2);
    }
}
