//! A Go `text/template` engine (Go 1.26), laid out like Go's package:
//! `parse` (lexer, nodes, parser), `exec` (the executor), `funcs` (the
//! builtin functions) and `fmt` (Go's `fmt` verbs for `printf`).

pub mod parse;
pub mod strconv;
