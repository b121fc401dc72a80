//! Helpers shared by the conformance tests.
#![allow(dead_code)]

pub mod vectors;
