//! Compiled schemas kept for the next validation in the same thread: the
//! playground, docs pages and editors render the same chart again and again
//! (a keystroke, a new `--set`), and compiling a large `values.schema.json`
//! is up to a third of a render. The last [`ENTRIES`] schemas are kept,
//! keyed by their exact bytes (compiling depends on nothing else), with
//! their errors; a process that skips its teardown (the one-shot CLI) keeps
//! nothing.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use super::{compile_schema, Compiled};

/// How many compiled schemas a thread keeps (a chart and its subcharts').
const ENTRIES: usize = 8;

/// Schemas larger than this are compiled every time, not kept.
const MAX_SCHEMA_BYTES: usize = 2 << 20;

type Entry = (Rc<[u8]>, Rc<Compiled>);

thread_local! {
    /// Most recently used first.
    static KEPT: RefCell<VecDeque<Entry>> = const { RefCell::new(VecDeque::new()) };
}

/// `schema` compiled, from the kept ones if it was compiled before.
pub(super) fn compiled(schema: &[u8]) -> Rc<Compiled> {
    if crate::teardown::skipping() || schema.len() > MAX_SCHEMA_BYTES {
        return Rc::new(compile_schema(schema));
    }
    if let Some(hit) = KEPT.with(|kept| {
        let mut kept = kept.borrow_mut();
        let at = kept.iter().position(|(bytes, _)| **bytes == *schema)?;
        let entry = kept.remove(at)?;
        let result = Rc::clone(&entry.1);
        kept.push_front(entry);
        Some(result)
    }) {
        return hit;
    }
    let result = Rc::new(compile_schema(schema));
    KEPT.with(|kept| {
        let mut kept = kept.borrow_mut();
        kept.push_front((Rc::from(schema), Rc::clone(&result)));
        kept.truncate(ENTRIES);
    });
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(n: usize) -> Vec<u8> {
        format!(r#"{{"type": "object", "properties": {{"n{n}": {{"type": "integer"}}}}}}"#)
            .into_bytes()
    }

    #[test]
    fn the_same_bytes_give_the_kept_compile_until_evicted() {
        let first = compiled(&schema(0));
        assert!(Rc::ptr_eq(&first, &compiled(&schema(0))));
        assert!(!Rc::ptr_eq(&first, &compiled(&schema(1))));
        for n in 1..ENTRIES {
            compiled(&schema(n));
        }
        // Used again just now: still kept.
        assert!(Rc::ptr_eq(&first, &compiled(&schema(0))));
        for n in ENTRIES..2 * ENTRIES {
            compiled(&schema(n));
        }
        assert!(!Rc::ptr_eq(&first, &compiled(&schema(0))));
    }

    #[test]
    fn errors_are_kept_as_compiling_gives_them() {
        let broken = br#"{"type": 5}"#;
        let kept = compiled(broken);
        let again = compiled(broken);
        assert!(Rc::ptr_eq(&kept, &again));
        let fresh = compile_schema(broken).schema.err().expect("invalid");
        assert_eq!(kept.schema.as_ref().err(), Some(&fresh));
    }
}
