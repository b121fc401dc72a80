//! Compiling a schema ahead of time on another thread, and checking values
//! against it there (native only).
//!
//! Compiling a large `values.schema.json` is a third of a `chartroom
//! template` run, and it needs nothing but the file's bytes. The command
//! line hands the schemas of the chart and its subcharts over
//! ([`compile_in_background`]) once the chart is loaded. They compile on
//! the template parse's helper (`engine::parse_ahead`), a thread already
//! running (a thread of their own where there is no such helper): once its
//! parse is done, while the render thread executes the templates, or,
//! where the command line finds the schemas outweigh the templates, between
//! two of the texts it parses, the render thread parsing the rest. The
//! checks are answered once the helper's parse is done.
//!
//! A schema's compile is used in one of two ways, once:
//! - [`claim`], then [`Claim::check`]: a copy of a chart's part of the
//!   merged values goes to the worker, which compiles and checks while this
//!   thread executes the templates; the verdict is collected at the end
//!   ([`Verdict::wait`]);
//! - [`take`]: the compile itself is handed over, to check here.
//!
//! Where no compile of exactly the same bytes was started, the schema is
//! compiled where it is checked, as usual. Results are the same either
//! way: compiling depends on the bytes alone, and checking on the compile
//! and the values alone.

use std::cell::RefCell;
use std::sync::mpsc::{channel, Receiver, Sender};

use super::json::Json;
use super::{compile_schema, verdict, Checked, Compiled};
use crate::chart::FileData;

/// One schema's compile on its way to the thread that checks with it.
struct Handoff(Compiled);

// SAFETY: a compiled schema holds `Rc`s, which must never be used from two
// threads at once. Each result is built on the worker thread, which keeps
// no `Rc` of it (nothing of a compile outlives it but its result, and no
// compile shares a thread-local with another) and sends it whole to the
// validating thread, the only one that reaches its `Rc`s from then on.
unsafe impl Send for Handoff {}

/// Values to check, on their way to the worker.
struct Instance(Json);

// SAFETY: as for `Handoff`, the other way: the instance was built by
// `json::from_values_unshared`, so that nothing else holds its `Rc`s, and
// is moved whole to the worker, the only thread that reaches them from
// then on.
unsafe impl Send for Instance {}

/// What the thread that started a batch asks of its worker, once per
/// schema.
enum Request {
    /// Hand over the compile of schema `.0`.
    Take(usize, Sender<Handoff>),
    /// Check values against schema `.0` and send the verdict.
    Check(usize, Instance, Sender<Checked>),
}

/// The compiles one worker was given, in order, and the channel to it.
struct Batch {
    schemas: Vec<FileData>,
    requests: Sender<Request>,
    /// Which schemas were taken or checked already.
    used: Vec<bool>,
}

thread_local! {
    /// The compiles this thread started and has not used yet.
    static PENDING: RefCell<Vec<Batch>> = const { RefCell::new(Vec::new()) };
}

/// Schemas nest as deep as JSON allows; their compiler recurses.
const WORKER_STACK_BYTES: usize = 256 << 20;

/// Has a helper compile `schemas` (values schemas, in the order validation
/// will want them) one after the other, for later validations on this
/// thread with the same bytes: the helper this thread's parse ahead
/// started, or else a new thread. With `before_the_parse_ends`, that helper
/// compiles as soon as the text it is parsing is done, leaving the texts
/// left to this thread; otherwise once the parse is done. If no thread can
/// be started, nothing happens (validation compiles as usual).
pub fn compile_in_background(schemas: Vec<FileData>, before_the_parse_ends: bool) {
    if schemas.is_empty() {
        return;
    }
    let inputs = schemas.clone();
    let (requests, incoming) = channel();
    let compile = move || {
        let compiled = compile_all(&inputs);
        Some(Box::new(move || answer(compiled, &incoming)) as crate::threads::Afterwards)
    };
    let spawned = crate::threads::spawn_or_reuse(
        "schema",
        WORKER_STACK_BYTES,
        before_the_parse_ends,
        compile,
    );
    if spawned.is_ok() {
        let used = vec![false; schemas.len()];
        PENDING.with(|p| {
            p.borrow_mut().push(Batch {
                schemas,
                requests,
                used,
            })
        });
    }
}

/// The worker's job: every schema compiled.
fn compile_all(inputs: &[FileData]) -> Vec<Option<Compiled>> {
    inputs
        .iter()
        .map(|bytes| Some(compile_schema(bytes)))
        .collect()
}

/// What the worker does afterwards (on a helper, once its own work is
/// done): answers one request for each schema (those sent meanwhile wait in
/// the channel), and ends. A schema nobody asks for keeps it waiting until
/// the thread that started it ends.
fn answer(mut compiled: Vec<Option<Compiled>>, incoming: &Receiver<Request>) {
    let asked = compiled.len();
    for request in incoming.iter().take(asked) {
        // A request names each schema once (`Batch::used`); a closed reply
        // channel means the asking side has gone, and nothing is lost.
        match request {
            Request::Take(i, reply) => {
                if let Some(result) = compiled[i].take() {
                    let _ = reply.send(Handoff(result));
                }
            }
            Request::Check(i, Instance(instance), reply) => {
                if let Some(result) = compiled[i].take() {
                    let _ = reply.send(verdict(&result, &instance));
                    crate::teardown::discard(result);
                }
                crate::teardown::discard(instance);
            }
        }
    }
}

/// A check started with [`Claim::check`].
pub(super) struct Verdict(Receiver<Checked>);

impl Verdict {
    /// The check's result, waiting for it; `None` if the worker failed.
    pub(super) fn wait(self) -> Option<Checked> {
        crate::threads::recv_awake(&self.0, crate::threads::STAY_AWAKE).ok()
    }
}

/// A background compile of one schema, set aside for one check
/// ([`claim`]).
pub(super) struct Claim {
    index: usize,
    requests: Sender<Request>,
}

impl Claim {
    /// Has the worker check `instance` against the claimed schema. The
    /// instance must come from `json::from_values_unshared` (see
    /// [`Instance`]).
    pub(super) fn check(self, instance: Json) -> Verdict {
        let (reply, verdict) = channel();
        // A worker that is gone drops the request and its reply channel with
        // it: the verdict then reads as a failed worker's.
        let _ = self
            .requests
            .send(Request::Check(self.index, Instance(instance), reply));
        Verdict(verdict)
    }
}

/// Sets aside the first compile of exactly `schema` this thread started
/// and has not used yet, for a check; `None` if there is none.
pub(super) fn claim(schema: &[u8]) -> Option<Claim> {
    PENDING.with(|p| {
        let mut p = p.borrow_mut();
        let (batch, index) = p
            .iter_mut()
            .find_map(|batch| unused_index(batch, schema).map(|i| (batch, i)))?;
        batch.used[index] = true;
        Some(Claim {
            index,
            requests: batch.requests.clone(),
        })
    })
}

/// The background compile of exactly `schema`, waiting until the worker
/// has compiled all it was given; `None` if none was started on this
/// thread (or its worker failed).
pub(super) fn take(schema: &[u8]) -> Option<Compiled> {
    let Claim { index, requests } = claim(schema)?;
    let (reply, handoff) = channel();
    requests.send(Request::Take(index, reply)).ok()?;
    crate::threads::recv_awake(&handoff, crate::threads::STAY_AWAKE)
        .ok()
        .map(|Handoff(result)| result)
}

fn unused_index(batch: &Batch, schema: &[u8]) -> Option<usize> {
    (0..batch.schemas.len()).find(|&i| !batch.used[i] && *batch.schemas[i] == *schema)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: &[u8] = br#"{"type": "object", "properties": {"count": {"type": "integer"}}}"#;

    #[test]
    fn a_background_compile_is_taken_once_and_only_for_its_bytes() {
        compile_in_background(vec![SCHEMA.to_vec().into()], false);
        assert!(take(br#"{"type": "object"}"#).is_none());
        let (compiler, sid) = take(SCHEMA).expect("started").schema.expect("compiles");
        assert!(sid < compiler.schemas.len());
        assert!(take(SCHEMA).is_none());
    }

    #[test]
    fn a_schema_error_comes_back_as_compiling_here_gives_it() {
        let broken = br#"{"type": 5}"#;
        compile_in_background(vec![broken.to_vec().into()], false);
        let there = take(broken)
            .expect("started")
            .schema
            .err()
            .expect("invalid");
        let here = compile_schema(broken).schema.err().expect("invalid");
        assert_eq!(there, here);
    }

    #[test]
    fn results_are_taken_in_any_order() {
        let other: &[u8] = br#"{"type": "string"}"#;
        compile_in_background(
            vec![
                SCHEMA.to_vec().into(),
                other.to_vec().into(),
                SCHEMA.to_vec().into(),
            ],
            false,
        );
        assert!(take(other).expect("started").schema.is_ok());
        assert!(take(SCHEMA).expect("first copy").schema.is_ok());
        assert!(take(SCHEMA).expect("second copy").schema.is_ok());
        assert!(take(SCHEMA).is_none());
        assert!(take(other).is_none());
    }

    #[test]
    fn validation_uses_the_background_result() {
        compile_in_background(vec![SCHEMA.to_vec().into()], false);
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

    #[test]
    fn a_check_in_background_gives_the_verdict_checking_here_gives() {
        let instances = ["count: x", "count: 3", "count: 2.5\nother: [1, {a: b}]"];
        for yaml in instances {
            let values = crate::yaml::from_yaml_map(yaml).expect("yaml");
            let instance = super::super::json::from_values(&values);
            compile_in_background(vec![SCHEMA.to_vec().into()], false);
            let claimed = claim(SCHEMA).expect("started");
            assert!(claim(SCHEMA).is_none(), "claimed once");
            let unshared = super::super::json::from_values_unshared(&values);
            let there = claimed.check(unshared).wait().expect("the worker answered");
            assert!(take(SCHEMA).is_none(), "the check used the compile");
            let here = super::super::check(SCHEMA, instance);
            assert_eq!(there, here, "{yaml}");
        }
        let values = crate::yaml::from_yaml_map("count: x").expect("yaml");
        assert!(
            claim(SCHEMA).is_none(),
            "no compile of these bytes is under way"
        );
        let here = super::super::check(SCHEMA, super::super::json::from_values(&values))
            .outcome
            .expect_err("count is not an integer");
        assert!(
            here.text().contains("got string, want integer"),
            "{}",
            here.text()
        );
    }

    #[test]
    fn checks_and_takes_share_one_worker_in_any_order() {
        let other: &[u8] = br#"{"type": "object", "required": ["name"]}"#;
        compile_in_background(vec![SCHEMA.to_vec().into(), other.to_vec().into()], false);
        let values = crate::yaml::from_yaml_map("count: x").expect("yaml");
        let unshared = super::super::json::from_values_unshared(&values);
        let verdict = claim(other).expect("started").check(unshared);
        assert!(take(SCHEMA).expect("started").schema.is_ok());
        let err = verdict
            .wait()
            .expect("answered")
            .outcome
            .expect_err("no name");
        assert_eq!(err.text(), "- at '': missing property 'name'\n");
    }

    #[test]
    fn a_chart_validated_with_background_checks_reads_as_without() {
        let sub: &[u8] = br#"{"properties": {"port": {"type": "integer", "maximum": 10}}}"#;
        let chart = |name: &str, schema: &[u8], deps| crate::chart::Chart {
            metadata: crate::chart::Metadata {
                name: name.to_string(),
                ..Default::default()
            },
            schema: Some(schema.to_vec().into()),
            dependencies: deps,
            ..Default::default()
        };
        let parent = chart("parent", SCHEMA, vec![chart("sub", sub, vec![])]);
        let values = crate::yaml::from_yaml_map("count: x\nsub: {port: 11}").expect("yaml");
        let here = super::super::validate_against_schema(&parent, &values).expect_err("invalid");
        compile_in_background(vec![SCHEMA.to_vec().into(), sub.to_vec().into()], false);
        let mut pending = super::super::prepare_validation(&parent, &values);
        // Later changes to the values do not count.
        values.insert("count", crate::Value::int(1));
        pending.start_in_background();
        let there = pending.run(&mut Vec::new()).expect_err("invalid");
        assert!(
            take(SCHEMA).is_none() && take(sub).is_none(),
            "both checked there"
        );
        assert_eq!(there.to_string(), here.to_string());
        assert_eq!(there.violations(), here.violations());
        assert!(here
            .to_string()
            .contains("sub:\n- at '/port': maximum: got 11, want 10"));

        // Checks never started in the background (a render that stopped
        // first) still go to the compiles set aside for them.
        compile_in_background(vec![SCHEMA.to_vec().into(), sub.to_vec().into()], false);
        let values = crate::yaml::from_yaml_map("count: x\nsub: {port: 11}").expect("yaml");
        let pending = super::super::prepare_validation(&parent, &values);
        assert!(take(SCHEMA).is_none(), "set aside for the check");
        let unstarted = pending.run(&mut Vec::new()).expect_err("invalid");
        assert_eq!(unstarted.to_string(), here.to_string());
        assert_eq!(unstarted.violations(), here.violations());
    }
}
