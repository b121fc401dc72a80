//! The argument conversions Sprig applies: `strval` (Sprig's `toString`) and
//! spf13/cast v1.7.0's `ToInt64`, `ToInt`, `ToFloat64` as Sprig calls them.

use crate::value::Value;

/// Sprig's `strval`: strings as they are, byte slices as text, objects by
/// their `String()` form, everything else as `%v`.
pub fn to_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::ByteString(s) => s.text().to_string(),
        Value::Bytes(b) => crate::value::go_text(b),
        other => other.to_string(),
    }
}

/// Go's conversion of a float to int64 on amd64: truncation, with the
/// "integer indefinite" value for NaN and out-of-range inputs.
pub fn float_to_int64(f: f64) -> i64 {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() || !(-TWO_63..TWO_63).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// cast's `trimZeroDecimal`: `"12.000"` → `"12"`.
fn trim_zero_decimal(s: &str) -> &str {
    let mut found_zero = false;
    for (i, b) in s.bytes().enumerate().rev() {
        match b {
            b'.' if found_zero => return &s[..i],
            b'.' => {}
            b'0' => found_zero = true,
            _ => return s,
        }
    }
    s
}

/// cast's `toInt`: the named integer types cast knows by name
/// (`time.Month`, `time.Weekday`; not `time.Duration`).
fn named_int(v: &Value) -> Option<i64> {
    match v {
        Value::Object(o) if matches!(o.type_name().as_str(), "time.Month" | "time.Weekday") => {
            o.int_value().map(|(i, _)| i)
        }
        _ => None,
    }
}

/// cast's `ToInt64E`; the error names the value as cast does.
pub fn to_int64_e(v: &Value) -> Result<i64, String> {
    if let Some(i) = named_int(v) {
        return Ok(i);
    }
    match v {
        Value::Int(i, _) => Ok(*i),
        Value::Uint(u, _) => Ok(*u as i64),
        Value::Float(f) => Ok(float_to_int64(*f)),
        Value::Float32(f) => Ok(float_to_int64(*f as f64)),
        Value::Bool(b) => Ok(*b as i64),
        Value::Nil => Ok(0),
        Value::String(s) => crate::template::parse::parse::parse_go_int(trim_zero_decimal(s))
            .ok_or_else(|| cast_error(v, "int64")),
        _ => Err(cast_error(v, "int64")),
    }
}

/// cast's `ToInt64`: 0 where the conversion fails.
pub fn to_int64(v: &Value) -> i64 {
    to_int64_e(v).unwrap_or(0)
}

/// cast's `ToInt` (Go's `int` is 64-bit here).
pub fn to_int(v: &Value) -> i64 {
    to_int64(v)
}

/// cast's `ToFloat64E`.
pub fn to_float64_e(v: &Value) -> Result<f64, String> {
    if let Some(i) = named_int(v) {
        return Ok(i as f64);
    }
    match v {
        Value::Int(i, _) => Ok(*i as f64),
        Value::Uint(u, _) => Ok(*u as f64),
        Value::Float(f) => Ok(*f),
        Value::Float32(f) => Ok(*f as f64),
        Value::Bool(b) => Ok(if *b { 1.0 } else { 0.0 }),
        Value::Nil => Ok(0.0),
        Value::String(s) => crate::template::parse::parse::parse_go_float(s)
            .or_else(|| parse_special_float(s))
            .ok_or_else(|| cast_error(v, "float64")),
        _ => Err(cast_error(v, "float64")),
    }
}

/// cast's `ToFloat64`: 0 where the conversion fails.
pub fn to_float64(v: &Value) -> f64 {
    to_float64_e(v).unwrap_or(0.0)
}

/// The spellings of infinity and NaN that `strconv.ParseFloat` accepts.
fn parse_special_float(s: &str) -> Option<f64> {
    let (sign, body) = match s.as_bytes().first() {
        Some(b'-') => (-1.0, &s[1..]),
        Some(b'+') => (1.0, &s[1..]),
        _ => (1.0, s),
    };
    match body.to_ascii_lowercase().as_str() {
        "inf" | "infinity" => Some(sign * f64::INFINITY),
        "nan" => Some(f64::NAN),
        _ => None,
    }
}

fn cast_error(v: &Value, target: &str) -> String {
    format!(
        "unable to cast {} of type {} to {target}",
        crate::template::fmt::sprintf("%#v", std::slice::from_ref(v)),
        v.type_name()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casts_like_spf13_cast() {
        assert_eq!(to_int64(&Value::from("0x1F")), 31);
        assert_eq!(to_int64(&Value::from("12.000")), 12);
        assert_eq!(to_int64(&Value::from("10.0.")), 10);
        assert_eq!(to_int64(&Value::from("12.5")), 0);
        assert_eq!(to_int64(&Value::Float(-3.9)), -3);
        assert_eq!(to_int64(&Value::Bool(true)), 1);
        assert_eq!(to_float64(&Value::from("1.5")), 1.5);
        assert_eq!(to_float64(&Value::from("x")), 0.0);
        assert_eq!(to_string(&Value::Float(1e6)), "1e+06");
        assert_eq!(to_string(&Value::bytes(&b"hi"[..])), "hi");
        assert_eq!(
            to_int64_e(&Value::from("x")).unwrap_err(),
            "unable to cast \"x\" of type string to int64"
        );
    }
}
