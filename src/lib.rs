//! Chartroom renders Helm charts exactly like `helm template` v3.21.4, with no
//! cluster, natively and in WebAssembly.
//!
//! The layers, each using only those listed before it:
//! - [`value`]: Go's dynamic values as templates see them.
//! - [`template`]: a Go `text/template` engine (parse, exec, builtins, fmt).
//! - [`chart`]: charts as Helm models them.
//! - [`engine`]: the render of a chart's templates, as Helm's engine does it.
//! - [`funcs`]: Sprig's and Helm's template functions.
//! - [`values`]: values as Helm builds them (`--set` parsing, coalescing).
//! - [`yaml`]: Helm's YAML and JSON semantics (go-yaml v2, sigs.k8s.io/yaml, encoding/json).
//! - [`toml`]: Helm's TOML semantics (BurntSushi/toml).
//! - [`action`]: `helm template`'s output: sorting, hooks, CRDs, notes, `--show-only`, `--output-dir`.
//! - [`release`]: Helm's release records and their storage format (Secrets), with no cluster code.
//! - `kube` (feature `kube`, native only): install, uninstall, status, history and list on a cluster.
//!
//! ## Functions kept out of line
//!
//! Some functions with a single caller are `#[inline(never)]`. In the npm
//! package, V8's optimizing tier compiles each hot wasm function whole,
//! with compiler memory that grows with the function's size: inlined into
//! their callers, they made a few functions large enough to cost Node
//! several MB at its peak (the README's wasm memory figures). Each says
//! which caller it keeps small.

pub mod action;
pub mod api;
pub mod chart;
#[cfg(all(feature = "cli", not(target_arch = "wasm32")))]
pub mod cli;
pub mod engine;
pub mod funcs;
pub mod helm_log;
#[cfg(all(feature = "kube", not(target_arch = "wasm32")))]
pub mod kube;
#[cfg(any(
    test,
    all(feature = "wasm", target_arch = "wasm32"),
    all(feature = "cli", target_env = "musl")
))]
mod memcmp;
#[cfg(all(
    target_arch = "x86_64",
    any(test, all(feature = "cli", target_env = "musl"))
))]
mod memcpy;
pub mod release;
pub mod shared_bytes;
mod swar;
pub mod teardown;
pub mod template;
#[cfg(test)]
mod test_rng;
pub mod threads;
pub mod toml;
pub mod value;
pub mod values;
#[cfg(all(feature = "wasm", target_arch = "wasm32"))]
pub mod wasm;
pub mod yaml;

pub use value::{Map, Value};
