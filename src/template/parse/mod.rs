//! Go's `text/template/parse`: lexer, nodes and parser.

pub mod node;

pub use node::*;
