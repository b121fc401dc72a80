//! Runs the unit tests inside `conformance/harness.rs`. The `conformance`
//! target itself has no libtest harness (it prints one line per vector file),
//! so the harness's own `#[cfg(test)]` tests are compiled and run here.

#[path = "conformance/harness.rs"]
mod harness;
