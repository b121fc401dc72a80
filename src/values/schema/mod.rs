//! Values schema validation as Helm v3.21.4 does it
//! (`pkg/chartutil/jsonschema.go`): each chart's `values.schema.json`
//! checks the chart's coalesced values, then every subchart's schema its
//! own part of them, with santhosh-tekuri/jsonschema v6.0.2 — whose
//! behaviour this module reproduces: the drafts (4, 6, 7, 2019-09,
//! 2020-12, the latest when `$schema` is absent), the meta-schema check of
//! the schema itself, exact numbers, Go regular expressions, the formats it
//! asserts (for drafts before 2019-09) and its error tree and texts.
//!
//! References stay offline: bundled meta-schemas, `urn:` references as
//! the permissive `true` schema (Helm's fallback), other files as missing
//! and `http(s)` documents as unavailable.
//!
//! Helm's message (`values don't meet the specifications of the schema(s)
//! in the following chart(s):`) is [`SchemaErrors`]'s text; each failure
//! is also a [`Violation`] for callers that want structure.

#[cfg(not(target_arch = "wasm32"))]
mod background;
mod cache;
mod compiled;
mod compiler;
mod draft;
mod fast_meta;
mod formats;
mod gourl;
mod json;
mod json_object;
mod keywords;
mod kind;
mod netip;
mod number;
mod pointers;
mod roots;
mod validator;

use std::fmt;

use crate::chart::Chart;
use crate::helm_log;
use crate::value::{Map, Value};
use compiled::Sid;
use compiler::{CompileError, Compiler};
use json::Json;

#[cfg(not(target_arch = "wasm32"))]
pub use background::compile_in_background;

/// The URL Helm gives every schema.
const SCHEMA_URL: &str = "file:///values.schema.json";

/// One problem found by a schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The chart whose schema reported it (empty from
    /// [`validate_schema_bytes`]).
    pub chart: String,
    /// Where in that chart's values, as a JSON pointer (`/replicaCount`;
    /// empty for the values themselves and for problems that are not about
    /// a value).
    pub json_path: String,
    /// The message (`got string, want integer`), or the whole error text
    /// for a schema that could not be used.
    pub message: String,
    /// 1 for the lines Helm prints as `- at …`, 2 for those indented under
    /// them, and so on; 0 for a problem with the schema itself or with the
    /// type of a subchart's values.
    pub depth: usize,
}

/// Helm's schema validation error: its full text and each violation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaErrors {
    text: String,
    violations: Vec<Violation>,
}

impl SchemaErrors {
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// Helm's error text (what follows `Error: `).
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for SchemaErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for SchemaErrors {}

/// The error of one schema (Helm's `ValidateAgainstSingleSchema`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaError {
    text: String,
    violations: Vec<Violation>,
}

impl SchemaError {
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    pub fn text(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for SchemaError {}

/// Helm's check of coalesced values against the schemas of `chart` and
/// its (enabled) subcharts, as `ToRenderValuesWithSchemaValidation` runs
/// it: `Err` carries Helm's whole message.
pub fn validate_against_schema(chart: &Chart, values: &Map) -> Result<(), SchemaErrors> {
    prepare_validation(chart, values).run(&mut Vec::new())
}

/// [`validate_against_schema`] in two steps: this one takes what the
/// checks need from `values` (a copy: later changes to the values do not
/// count), [`PendingValidation::run`] gives the verdict, possibly much
/// later. Natively, [`PendingValidation::start_in_background`] has the
/// schemas with a background compile waiting ([`compile_in_background`])
/// compiled and checked on that compile's thread in the meantime.
pub fn prepare_validation<'c>(chart: &'c Chart, values: &Map) -> PendingValidation<'c> {
    let mut jobs = Vec::new();
    collect_jobs(chart, values, &mut jobs);
    PendingValidation { jobs }
}

/// The schema checks of a chart, against the values as they were when
/// [`prepare_validation`] ran.
pub struct PendingValidation<'c> {
    jobs: Vec<Job<'c>>,
}

/// One step of Helm's `ValidateAgainstSchema`, in its order.
enum Job<'c> {
    /// A chart's schema against the chart's part of the values.
    Check {
        chart: &'c str,
        schema: &'c [u8],
        values: Instance,
    },
    /// A subchart whose values are not a map.
    WrongType { chart: &'c str, message: String },
}

/// A check's values, and where it runs.
enum Instance {
    /// To check on this thread.
    Here(Json),
    /// To check on the background compile of the schema set aside for
    /// them ([`background::claim`]): built sharing nothing with the values,
    /// to be moved there ([`PendingValidation::start_in_background`], or
    /// [`PendingValidation::run`] if that was not called).
    #[cfg(not(target_arch = "wasm32"))]
    ForBackground(background::Claim, Json),
    /// Moved there; the verdict comes later.
    #[cfg(not(target_arch = "wasm32"))]
    There(background::Verdict),
}

impl PendingValidation<'_> {
    /// Starts each check whose schema has a background compile waiting
    /// ([`compile_in_background`]) on that compile's thread (natively; on
    /// wasm, nothing happens). The caller chooses when: the compile and the
    /// check then take the other core.
    pub fn start_in_background(&mut self) {
        #[cfg(not(target_arch = "wasm32"))]
        for job in &mut self.jobs {
            if let Job::Check { values, .. } = job {
                *values = match std::mem::replace(values, Instance::Here(Json::Null)) {
                    Instance::ForBackground(claim, instance) => {
                        Instance::There(claim.check(instance))
                    }
                    unchanged => unchanged,
                };
            }
        }
    }

    /// Runs the checks: `Err` carries Helm's whole message. The lines Helm
    /// logs while it compiles the schemas (each `urn:` reference taken as
    /// the permissive `true`, once) are added to `log`, also on `Err`.
    pub fn run(self, log: &mut Vec<String>) -> Result<(), SchemaErrors> {
        let mut text = String::new();
        let mut violations = Vec::new();
        let mut logged_urns = std::collections::BTreeSet::new();
        for job in self.jobs {
            match job {
                Job::Check {
                    chart,
                    schema,
                    values,
                } => {
                    let checked = match values {
                        Instance::Here(instance) => check(schema, instance),
                        #[cfg(not(target_arch = "wasm32"))]
                        Instance::ForBackground(claim, instance) => wait_for(claim.check(instance)),
                        #[cfg(not(target_arch = "wasm32"))]
                        Instance::There(verdict) => wait_for(verdict),
                    };
                    for urn in checked.unresolved_urns {
                        if logged_urns.insert(urn.clone()) {
                            log.push(helm_log::UNRESOLVED_URN.line(format_args!(
                                "WARNING: unresolved URN reference ignored; using permissive schema: {urn}"
                            )));
                        }
                    }
                    if let Err(e) = checked.outcome {
                        text.push_str(&format!("{chart}:\n{}", e.text));
                        violations.extend(e.violations.into_iter().map(|mut v| {
                            v.chart = chart.to_string();
                            v
                        }));
                    }
                }
                Job::WrongType { chart, message } => {
                    text.push_str(&format!("{chart}:\n{message}\n"));
                    violations.push(Violation {
                        chart: chart.to_string(),
                        json_path: String::new(),
                        message,
                        depth: 0,
                    });
                }
            }
        }
        if text.is_empty() {
            return Ok(());
        }
        Err(SchemaErrors {
            text: format!(
                "values don't meet the specifications of the schema(s) in the following chart(s):\n{text}"
            ),
            violations,
        })
    }
}

/// A background check's verdict, once its worker gives it.
#[cfg(not(target_arch = "wasm32"))]
fn wait_for(verdict: background::Verdict) -> Checked {
    verdict.wait().unwrap_or_else(|| Checked {
        outcome: Err(schema_problem(WORKER_FAILED.to_string())),
        unresolved_urns: Vec::new(),
    })
}

/// Helm's `ValidateAgainstSchema`'s walk: this chart's schema, then each
/// subchart's with the values under its name.
fn collect_jobs<'c>(chart: &'c Chart, values: &Map, jobs: &mut Vec<Job<'c>>) {
    if let Some(schema) = &chart.schema {
        #[cfg(not(target_arch = "wasm32"))]
        let values = match background::claim(schema) {
            Some(claim) => Instance::ForBackground(claim, json::from_values_unshared(values)),
            None => Instance::Here(json::from_values(values)),
        };
        #[cfg(target_arch = "wasm32")]
        let values = Instance::Here(json::from_values(values));
        jobs.push(Job::Check {
            chart: chart.name(),
            schema,
            values,
        });
    }
    for sub in &chart.dependencies {
        match values.get(sub.name()) {
            None | Some(Value::Nil) => {}
            Some(Value::Map(m)) if m.map_type().is_none() => collect_jobs(sub, &m, jobs),
            Some(other) => jobs.push(Job::WrongType {
                chart: sub.name(),
                message: format!(
                    "invalid type for values: expected object (map), got {}",
                    other.type_name()
                ),
            }),
        }
    }
}

/// One schema against one set of values (Helm's
/// `ValidateAgainstSingleSchema`, which `helm lint` also uses): `Err`
/// carries Helm's text for this schema.
pub fn validate_single_schema(schema: &[u8], values: &Value) -> Result<(), SchemaError> {
    let instance = match values {
        Value::Map(m) => json::from_values(m),
        other => json::from_value(other),
    };
    check(schema, instance).outcome
}

/// [`validate_single_schema`]'s violations only.
pub fn validate_schema_bytes(schema: &[u8], values: &Value) -> Result<(), Vec<Violation>> {
    validate_single_schema(schema, values).map_err(|e| e.violations)
}

/// The verdict of a check whose background worker stopped before giving
/// it (a bug: the same check here would have failed the same way).
#[cfg(not(target_arch = "wasm32"))]
const WORKER_FAILED: &str = "internal error: the values schema check stopped before its verdict";

fn schema_problem(text: String) -> SchemaError {
    SchemaError {
        violations: vec![Violation {
            chart: String::new(),
            json_path: String::new(),
            message: text.clone(),
            depth: 0,
        }],
        text,
    }
}

/// What compiling a schema document gives: the compiler's arena and the
/// root schema in it, or Helm's text for what failed; and the `urn:`
/// references the compile took as the permissive `true` (Helm logs them
/// as it loads them, so also those before a failure).
struct Compiled {
    schema: Result<(Compiler, Sid), SchemaError>,
    unresolved_urns: Vec<String>,
}

/// Reads and compiles a schema document (v6's `AddResource` and
/// `Compile`), with Helm's texts for what fails.
fn compile_schema(schema: &[u8]) -> Compiled {
    let doc = match json::unmarshal(schema) {
        Ok(doc) => doc,
        Err(e) => {
            return Compiled {
                schema: Err(schema_problem(e)),
                unresolved_urns: Vec::new(),
            }
        }
    };
    let mut compiler = Compiler::new();
    compiler.add_resource(SCHEMA_URL, doc);
    let compiled = compiler.compile(SCHEMA_URL);
    let unresolved_urns = compiler.unresolved_urns().to_vec();
    let schema = match compiled {
        Ok(sid) => Ok((compiler, sid)),
        Err(CompileError::Error(e)) => Err(schema_problem(e)),
        Err(CompileError::Panic(p)) => {
            Err(schema_problem(format!("unable to validate schema: {p}")))
        }
    };
    Compiled {
        schema,
        unresolved_urns,
    }
}

/// What checking values against one schema gives: the verdict, and the
/// `urn:` references the schema's compile took as the permissive `true`.
#[derive(Debug, PartialEq)]
struct Checked {
    outcome: Result<(), SchemaError>,
    unresolved_urns: Vec<String>,
}

fn check(schema: &[u8], instance: Json) -> Checked {
    #[cfg(not(target_arch = "wasm32"))]
    let compiled = match background::take(schema) {
        Some(result) => std::rc::Rc::new(result),
        None => cache::compiled(schema),
    };
    #[cfg(target_arch = "wasm32")]
    let compiled = cache::compiled(schema);
    let outcome = verdict(&compiled, &instance);
    crate::teardown::discard(compiled);
    crate::teardown::discard(instance);
    outcome
}

/// `instance` checked against a compiled schema (or the schema's error).
fn verdict(compiled: &Compiled, instance: &Json) -> Checked {
    Checked {
        outcome: match &compiled.schema {
            Ok((compiler, sid)) => validate(compiler, *sid, instance),
            Err(e) => Err(e.clone()),
        },
        unresolved_urns: compiled.unresolved_urns.clone(),
    }
}

fn validate(c: &Compiler, sid: Sid, instance: &Json) -> Result<(), SchemaError> {
    let no_resources = Default::default();
    match validator::validate(&c.schemas, sid, instance, None, &no_resources) {
        Ok(()) => Ok(()),
        Err(validator::Failure::Panic(p)) => {
            Err(schema_problem(format!("unable to validate schema: {p}")))
        }
        Err(validator::Failure::Invalid(root)) => {
            let full = root.text();
            let prefix = format!("jsonschema validation failed with '{SCHEMA_URL}#'\n");
            let text = full.strip_prefix(&prefix).unwrap_or(&full);
            let violations = root
                .lines()
                .into_iter()
                .filter(|l| l.depth > 0)
                .map(|l| Violation {
                    chart: String::new(),
                    json_path: l.pointer,
                    message: l.message,
                    depth: l.depth,
                })
                .collect();
            Err(SchemaError {
                text: format!("{text}\n"),
                violations,
            })
        }
    }
}

#[cfg(test)]
mod tests;
