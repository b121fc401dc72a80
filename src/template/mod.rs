//! A Go `text/template` engine (Go 1.26), laid out like Go's package:
//! `parse` (lexer, nodes, parser), `exec` (the executor), `funcs` (the
//! builtin functions) and `fmt` (Go's `fmt` verbs for `printf`).
//!
//! The public API is Go's, reshaped for Rust: [`Templates`] is a set of
//! associated templates (Go's `*Template` with its shared name space) with
//! functions ([`Func`]), delimiters and options; [`Templates::parse`] is
//! `set.New(name).Parse(text)`; [`Templates::execute`] is `ExecuteTemplate`.
//! Errors ([`Error`]) carry Go's exact texts.

pub mod complex;
pub mod error;
pub(crate) mod exec;
pub mod fmt;
pub mod funcs;
pub mod function;
pub mod parse;
mod set;
pub mod strconv;

pub use error::{Error, ErrorKind, FuncError};
pub use function::{
    Context, DefaultHost, Func, Host, Method, NamedInt, NativeFn, ParamType, Returns,
};
pub use set::{
    ExecOptions, MissingKey, ParseContext, ParseSettings, Template, Templates, DEFAULT_MAX_DEPTH,
    DEFAULT_MAX_STACK_BYTES,
};
