//! Chartroom renders Helm charts exactly like `helm template` v3.21.4, with no
//! cluster, natively and in WebAssembly.
//!
//! The layers, each using only those listed before it:
//! - [`value`]: Go's dynamic values as templates see them.
//! - [`template`]: a Go `text/template` engine (parse, exec, builtins, fmt).
//! - [`chart`]: charts as Helm models them.
//! - [`funcs`]: Sprig's and Helm's template functions.
//! - [`values`]: values as Helm builds them (`--set` parsing, coalescing).

pub mod chart;
pub mod funcs;
pub mod template;
pub mod value;
pub mod values;

pub use value::{Map, Value};
