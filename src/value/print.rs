//! Go's `%v` printing of values (`fmt.Sprint` of one operand) and
//! `strconv.FormatFloat`.
//!
//! PLACEHOLDER: minimal version; the fmt work replaces it.

use super::Value;
use std::fmt;

/// How `format_float` lays out a float, as `strconv.FormatFloat`'s `fmt` byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatFmt {
    /// `'e'`: `-d.dddde±dd`
    Exp,
    /// `'f'`: `-ddd.dddd`
    Fixed,
    /// `'g'`: `Exp` for large or small exponents, `Fixed` otherwise.
    General,
}

/// `strconv.FormatFloat(f, fmt, prec, bits)`; `prec = None` is Go's `-1`
/// (the fewest digits that round-trip).
pub fn format_float(f: f64, fmt: FloatFmt, prec: Option<usize>, bits: u32) -> String {
    let _ = (fmt, prec, bits);
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    format!("{f}")
}

/// Writes `value` as Go's `%v` does.
pub fn write_value(out: &mut fmt::Formatter<'_>, value: &Value) -> fmt::Result {
    match value {
        Value::Nil => out.write_str("<nil>"),
        Value::Bool(b) => write!(out, "{b}"),
        Value::Int(i, _) => write!(out, "{i}"),
        Value::Uint(u, _) => write!(out, "{u}"),
        Value::Float(f) => out.write_str(&format_float(*f, FloatFmt::General, None, 64)),
        Value::Float32(f) => out.write_str(&format_float(*f as f64, FloatFmt::General, None, 32)),
        Value::String(s) => out.write_str(s),
        Value::Bytes(b) => {
            out.write_str("[")?;
            for (i, x) in b.iter().enumerate() {
                if i > 0 {
                    out.write_str(" ")?;
                }
                write!(out, "{x}")?;
            }
            out.write_str("]")
        }
        Value::List(l) => {
            out.write_str("[")?;
            for (i, x) in l.iter().enumerate() {
                if i > 0 {
                    out.write_str(" ")?;
                }
                write_value(out, x)?;
            }
            out.write_str("]")
        }
        Value::Map(m) => {
            out.write_str("map[")?;
            for (i, (k, v)) in m.borrow().iter().enumerate() {
                if i > 0 {
                    out.write_str(" ")?;
                }
                write!(out, "{k}:")?;
                write_value(out, v)?;
            }
            out.write_str("]")
        }
        Value::Object(o) => out.write_str(&o.format()),
    }
}
