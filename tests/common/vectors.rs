//! Reading the conformance vectors in `../shared/conformance/vectors` (or
//! `$CHARTROOM_CONFORMANCE/vectors`) and decoding their `data` fields into
//! template values, honouring the typed markers described in the vectors'
//! README: JSON integers are Go `int`, JSON numbers with a fraction or
//! exponent are `float64`, and objects whose keys all start with `$` are
//! typed scalars (`{"$uint8": 1}`, `{"$float": "NaN"}`, `{"$bytes": "<b64>"}`…).

use base64::Engine;
use chartroom::value::{IntType, UintType};
use chartroom::{Map, Value};
use std::path::PathBuf;

/// The conformance directory: `$CHARTROOM_CONFORMANCE`, or
/// `../shared/conformance` relative to the crate root.
pub fn conformance_dir() -> PathBuf {
    match std::env::var_os("CHARTROOM_CONFORMANCE") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance"),
    }
}

/// The cases of one vector file (`gofmt_printf.json`, …). Panics with a
/// clear message when the file is missing or malformed.
pub fn load_cases(file: &str) -> Vec<serde_json::Value> {
    let path = conformance_dir().join("vectors").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e} (set CHARTROOM_CONFORMANCE)",
            path.display()
        )
    });
    match serde_json::from_str(&text) {
        Ok(serde_json::Value::Array(cases)) => cases,
        Ok(_) => panic!("{}: expected a JSON array of cases", path.display()),
        Err(e) => panic!("{}: {e}", path.display()),
    }
}

/// Decodes a vector's JSON data into a template value; panics on a marker
/// this decoder does not model (see [`try_decode_value`]).
pub fn decode_value(json: &serde_json::Value) -> Value {
    try_decode_value(json).unwrap_or_else(|e| panic!("{e}"))
}

/// Decodes a vector's JSON data into a template value, or says which
/// marker is not supported (`$time`, `$time_now_offset`).
pub fn try_decode_value(json: &serde_json::Value) -> Result<Value, String> {
    use serde_json::Value as J;
    Ok(match json {
        J::Null => Value::Nil,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => decode_number(n)?,
        J::String(s) => Value::string(s.as_str()),
        J::Array(items) => Value::list(
            items
                .iter()
                .map(try_decode_value)
                .collect::<Result<_, _>>()?,
        ),
        J::Object(fields) => {
            if !fields.is_empty() && fields.keys().all(|k| k.starts_with('$')) {
                return decode_marker(fields);
            }
            let map = Map::new();
            for (k, v) in fields {
                map.insert(k.as_str(), try_decode_value(v)?);
            }
            Value::Map(map)
        }
    })
}

fn decode_number(n: &serde_json::Number) -> Result<Value, String> {
    if let Some(i) = n.as_i64() {
        if !n.is_f64() {
            return Ok(Value::int(i));
        }
    }
    if let Some(u) = n.as_u64() {
        // Too big for int; keep the value rather than losing it.
        return Ok(Value::Uint(u, UintType::Uint64));
    }
    n.as_f64()
        .map(Value::Float)
        .ok_or_else(|| format!("bad number {n}"))
}

fn decode_marker(fields: &serde_json::Map<String, serde_json::Value>) -> Result<Value, String> {
    let (key, arg) = fields.iter().next().ok_or("empty marker")?;
    if fields.len() != 1 {
        return Err(format!(
            "unsupported marker object with keys {:?}",
            fields.keys().collect::<Vec<_>>()
        ));
    }
    let signed = |t: IntType| -> Result<Value, String> {
        let i = arg
            .as_i64()
            .ok_or_else(|| format!("{key}: not an integer: {arg}"))?;
        Ok(Value::Int(i, t))
    };
    let unsigned = |t: UintType| -> Result<Value, String> {
        let u = arg
            .as_u64()
            .ok_or_else(|| format!("{key}: not an unsigned integer: {arg}"))?;
        Ok(Value::Uint(u, t))
    };
    match key.as_str() {
        "$int" => signed(IntType::Int),
        "$int8" => signed(IntType::Int8),
        "$int16" => signed(IntType::Int16),
        "$int32" => signed(IntType::Int32),
        "$int64" => signed(IntType::Int64),
        "$uint" => unsigned(UintType::Uint),
        "$uint8" => unsigned(UintType::Uint8),
        "$uint16" => unsigned(UintType::Uint16),
        "$uint32" => unsigned(UintType::Uint32),
        "$uint64" => unsigned(UintType::Uint64),
        "$uintptr" => unsigned(UintType::Uintptr),
        "$float" => match arg {
            serde_json::Value::String(s) => match s.as_str() {
                "NaN" => Ok(Value::Float(f64::NAN)),
                "+Inf" => Ok(Value::Float(f64::INFINITY)),
                "-Inf" => Ok(Value::Float(f64::NEG_INFINITY)),
                other => Err(format!("$float: unknown special value {other:?}")),
            },
            serde_json::Value::Number(n) => n
                .as_f64()
                .map(Value::Float)
                .ok_or_else(|| format!("$float: {n}")),
            other => Err(format!("$float: unexpected {other}")),
        },
        "$float32" => match arg {
            // Parse the decimal text as f32 directly: going through f64
            // could round twice.
            serde_json::Value::Number(n) => n
                .to_string()
                .parse::<f32>()
                .map(Value::Float32)
                .map_err(|e| format!("$float32 {n}: {e}")),
            serde_json::Value::String(s) => match s.as_str() {
                "NaN" => Ok(Value::Float32(f32::NAN)),
                "+Inf" => Ok(Value::Float32(f32::INFINITY)),
                "-Inf" => Ok(Value::Float32(f32::NEG_INFINITY)),
                other => Err(format!("$float32: unknown special value {other:?}")),
            },
            other => Err(format!("$float32: unexpected {other}")),
        },
        "$bytes" => {
            let text = arg.as_str().ok_or("$bytes: expected a base64 string")?;
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .map(Value::bytes)
                .map_err(|e| format!("$bytes: {e}"))
        }
        other => Err(format!("unsupported marker {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_markers_and_number_kinds() {
        assert!(matches!(
            decode_value(&json!(3)),
            Value::Int(3, IntType::Int)
        ));
        assert!(matches!(decode_value(&json!(3.0)), Value::Float(f) if f == 3.0));
        assert!(matches!(
            decode_value(&json!({"$uint8": 255})),
            Value::Uint(255, UintType::Uint8)
        ));
        assert!(
            matches!(decode_value(&json!({"$float32": 0.1})), Value::Float32(f) if f == 0.1f32)
        );
        assert!(matches!(decode_value(&json!({"$float": "NaN"})), Value::Float(f) if f.is_nan()));
        assert!(
            matches!(decode_value(&json!({"$bytes": "AQI="})), Value::Bytes(b) if *b == [1, 2])
        );
        assert!(matches!(decode_value(&json!({})), Value::Map(m) if m.is_empty()));
        assert!(try_decode_value(&json!({"$time": "2020-01-01T00:00:00Z"})).is_err());
    }
}
