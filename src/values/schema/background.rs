//! Compiling a schema ahead of time on another thread (native only).
//!
//! Compiling a large `values.schema.json` is a third of a `chartroom
//! template` run, and it needs nothing but the file's bytes. The command
//! line starts it ([`compile_in_background`]) as soon as it knows the
//! chart directory (the chart's schema and those of its subchart
//! directories), so it runs on a second core while the chart loads
//! (`values.yaml` parsing) and the values are merged. When validation
//! reaches a schema, [`take`] hands over the result compiled from exactly
//! the same bytes, if any; otherwise the schema is compiled there as
//! usual. Results are the same either way: compiling depends on the bytes
//! alone.

use std::cell::RefCell;
use std::sync::mpsc::{channel, Receiver};
use std::sync::Arc;

use super::{compile_schema, Compiled, SchemaError};

/// One schema's result on its way to the validating thread.
struct Handoff(Result<Compiled, SchemaError>);

// SAFETY: a compiled schema holds `Rc`s, which must never be used from two
// threads at once. Each result is built on the worker thread, which keeps
// no `Rc` of it (nothing of a compile outlives it but its result, and no
// compile shares a thread-local with another) and sends it whole to the
// validating thread, the only one that reaches its `Rc`s from then on.
unsafe impl Send for Handoff {}

/// The compiles one worker was given, in order, and their results.
struct Batch {
    schemas: Vec<Arc<[u8]>>,
    results: Receiver<(usize, Handoff)>,
    /// Results received before they were asked for, by index.
    arrived: Vec<(usize, Handoff)>,
    taken: Vec<bool>,
}

thread_local! {
    /// The compiles this thread started and has not taken yet.
    static PENDING: RefCell<Vec<Batch>> = const { RefCell::new(Vec::new()) };
}

/// Schemas nest as deep as JSON allows; their compiler recurses.
const WORKER_STACK_BYTES: usize = 256 << 20;

/// Starts compiling `schemas` (values schemas, in the order validation
/// will want them) one after the other on another thread, for later
/// validations on this thread with the same bytes. If no thread can be
/// started, nothing happens (validation compiles as usual).
pub fn compile_in_background(schemas: Vec<Vec<u8>>) {
    if schemas.is_empty() {
        return;
    }
    let schemas: Vec<Arc<[u8]>> = schemas.into_iter().map(Arc::from).collect();
    let inputs = schemas.clone();
    let (send, results) = channel();
    let spawned = crate::threads::spawn("schema", WORKER_STACK_BYTES, move || {
        for (i, bytes) in inputs.iter().enumerate() {
            if send.send((i, Handoff(compile_schema(bytes)))).is_err() {
                return;
            }
        }
    });
    if spawned.is_ok() {
        let taken = vec![false; schemas.len()];
        PENDING.with(|p| {
            p.borrow_mut().push(Batch {
                schemas,
                results,
                arrived: Vec::new(),
                taken,
            })
        });
    }
}

/// The background compile of exactly `schema`, waiting for it to finish;
/// `None` if none was started on this thread (or its worker failed).
pub(super) fn take(schema: &[u8]) -> Option<Result<Compiled, SchemaError>> {
    PENDING.with(|p| {
        let mut p = p.borrow_mut();
        p.iter_mut().find_map(|batch| {
            let i = (0..batch.schemas.len())
                .find(|&i| !batch.taken[i] && *batch.schemas[i] == *schema)?;
            batch.taken[i] = true;
            batch.receive(i)
        })
    })
}

impl Batch {
    fn receive(&mut self, wanted: usize) -> Option<Result<Compiled, SchemaError>> {
        if let Some(at) = self.arrived.iter().position(|(i, _)| *i == wanted) {
            return Some(self.arrived.swap_remove(at).1 .0);
        }
        while let Ok((i, handoff)) = self.results.recv() {
            if i == wanted {
                return Some(handoff.0);
            }
            self.arrived.push((i, handoff));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: &[u8] = br#"{"type": "object", "properties": {"count": {"type": "integer"}}}"#;

    #[test]
    fn a_background_compile_is_taken_once_and_only_for_its_bytes() {
        compile_in_background(vec![SCHEMA.to_vec()]);
        assert!(take(br#"{"type": "object"}"#).is_none());
        let compiled = take(SCHEMA).expect("started").expect("compiles");
        assert!(compiled.sid < compiled.compiler.schemas.len());
        assert!(take(SCHEMA).is_none());
    }

    #[test]
    fn a_schema_error_comes_back_as_compiling_here_gives_it() {
        let broken = br#"{"type": 5}"#;
        compile_in_background(vec![broken.to_vec()]);
        let there = take(broken).expect("started").err().expect("invalid");
        let here = compile_schema(broken).err().expect("invalid");
        assert_eq!(there, here);
    }

    #[test]
    fn results_are_taken_in_any_order() {
        let other: &[u8] = br#"{"type": "string"}"#;
        compile_in_background(vec![SCHEMA.to_vec(), other.to_vec(), SCHEMA.to_vec()]);
        assert!(take(other).expect("started").is_ok());
        assert!(take(SCHEMA).expect("first copy").is_ok());
        assert!(take(SCHEMA).expect("second copy").is_ok());
        assert!(take(SCHEMA).is_none());
        assert!(take(other).is_none());
    }

    #[test]
    fn validation_uses_the_background_result() {
        compile_in_background(vec![SCHEMA.to_vec()]);
        let values = crate::yaml::from_yaml_map("count: x").expect("yaml");
        let err = super::super::validate_single_schema(SCHEMA, &crate::Value::Map(values))
            .expect_err("count is not an integer");
        assert!(
            err.text().contains("got string, want integer"),
            "{}",
            err.text()
        );
        assert!(take(SCHEMA).is_none(), "validation took the compile");
    }
}
