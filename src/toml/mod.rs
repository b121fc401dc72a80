//! TOML exactly as Helm v3.21.4's `toToml` and `fromToml` produce and read
//! it, through github.com/BurntSushi/toml v1.6.0 (TOML 1.1 enabled):
//!
//! - [`to_toml`] is `toml.NewEncoder(w).Encode(v)`: keys with plain values
//!   before sub-tables, sorted map keys, struct fields in declaration order,
//!   two-space indentation per table level, BurntSushi's quoting of keys and
//!   strings and its float layout (`1.0`, `1e+06`, `nan`, `-inf`);
//! - [`from_toml`] is `toml.Unmarshal(text, &m)` into a
//!   `map[string]interface{}`: `int64` integers, `float64` floats,
//!   datetimes as `time.Time` values, arrays, tables, and BurntSushi's error
//!   texts (`toml: line 1: unexpected EOF; expected key separator '='`).
//!
//! Helm's `toToml` returns `err.Error()` as its output when encoding fails;
//! `fromToml` returns a map holding only `Error`. A [`TomlError::Panic`] is a
//! Go panic inside the library (encoding a nil value), which text/template
//! reports as the function's error.
//!
//! Arrays of tables decode to Go's `[]map[string]interface{}`; here they are
//! lists of maps, which print and range alike (only `typeOf` differs).

mod encode;
mod lex;
mod parse;
pub(crate) mod reflect;

use std::fmt;

use crate::value::{Map, Value};

/// A TOML failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TomlError {
    /// The library's error, with its `Error()` text.
    Error(String),
    /// A Go runtime panic inside the library, with the panic's text.
    Panic(String),
}

impl fmt::Display for TomlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TomlError::Error(s) | TomlError::Panic(s) => f.write_str(s),
        }
    }
}

impl std::error::Error for TomlError {}

/// `toml.NewEncoder(w).Encode(v)`: the TOML text of `value`.
pub fn to_toml(value: &Value) -> Result<String, TomlError> {
    encode::encode(value)
}

/// `toml.Unmarshal(text, &m)` into a `map[string]interface{}`.
/// `local_offset` is `time.Local`'s current offset in seconds east of UTC,
/// the zone BurntSushi gives datetimes, dates and times without an offset.
pub fn from_toml(text: &str, local_offset: i64) -> Result<Map, TomlError> {
    parse::parse(text, local_offset).map(parse::to_map)
}

#[cfg(test)]
mod tests;
