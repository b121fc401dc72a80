//! Go's `text/template/parse`: lexer, nodes and parser.

pub mod lex;
pub mod node;
#[allow(clippy::module_inception)]
pub mod parse;

pub use node::*;
pub use parse::{is_empty_tree, parse, ParseError, ParseOptions, Tree};
