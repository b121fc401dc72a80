//! sigs.k8s.io/yaml's bridge from go-yaml values to JSON
//! (`convertToJSONableObject`, then `json.Marshal`): map keys become
//! strings (`int` in decimal, `float64` as `FormatFloat(k, 'g', -1, 32)`
//! with `.inf`/`-.inf`/`.nan`, `bool` as `true`/`false`; null and `uint64`
//! keys are errors), and a NaN or infinite number anywhere makes the JSON
//! encoding fail.

use super::strconv::{format_g, yaml_float_text};
use super::typed::{go_lossy_utf8, Yv};
use crate::value::{IntType, Map, UintType, Value};

/// sigs.k8s.io/yaml's string form of a map key.
pub(crate) fn key_string(key: &Yv, value: &Yv) -> Result<String, String> {
    Ok(match key {
        Yv::Str(s) => s.clone(),
        Yv::Bin(b) => go_lossy_utf8(b),
        Yv::Int(i) => i.to_string(),
        Yv::Float(f) => yaml_float_text(format_g(*f, true)),
        Yv::Bool(b) => b.to_string(),
        other => {
            return Err(format!(
                "unsupported map key of type: {}, key: {}, value: {}",
                other.go_type(),
                other.go_syntax(),
                value.go_syntax()
            ))
        }
    })
}

/// How numbers come out of the conversion.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Numbers {
    /// As go-yaml gives them: `int`, `uint64` or `float64`.
    Typed,
    /// As JSON decoding into `interface{}` gives them: all `float64`.
    Float64,
}

/// Converts a decoded YAML value into a template value with string keys.
pub(crate) fn to_value(y: &Yv, numbers: Numbers) -> Result<Value, String> {
    Ok(match y {
        Yv::Null => Value::Nil,
        Yv::Bool(b) => Value::Bool(*b),
        Yv::Int(i) if numbers == Numbers::Float64 => Value::Float(*i as f64),
        Yv::Uint(u) if numbers == Numbers::Float64 => Value::Float(*u as f64),
        Yv::Int(i) => Value::Int(*i, IntType::Int),
        Yv::Uint(u) => Value::Uint(*u, UintType::Uint64),
        Yv::Float(f) => Value::Float(*f),
        Yv::Str(s) => Value::string(s.as_str()),
        Yv::Bin(b) => Value::string(go_lossy_utf8(b)),
        Yv::Seq(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(to_value(item, numbers)?);
            }
            Value::list(out)
        }
        Yv::Map(entries) => {
            let map = Map::new();
            for (k, v) in entries.entries() {
                let key = key_string(k, v)?;
                map.insert(key, to_value(v, numbers)?);
            }
            Value::Map(map)
        }
    })
}

/// The error `json.Marshal` would report for the converted value: the first
/// non-finite number in key order.
pub(crate) fn json_marshal_error(v: &Value) -> Option<String> {
    match v {
        Value::Float(f) if !f.is_finite() => {
            Some(format!("json: unsupported value: {}", format_g(*f, false)))
        }
        Value::List(items) => items.iter().find_map(json_marshal_error),
        Value::Map(m) => m.borrow().values().find_map(json_marshal_error),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_become_strings_like_sigs_yaml() {
        let k = |key: Yv| key_string(&key, &Yv::Null);
        assert_eq!(k(Yv::Int(-3)).unwrap(), "-3");
        assert_eq!(k(Yv::Float(1.5)).unwrap(), "1.5");
        assert_eq!(k(Yv::Float(1e10)).unwrap(), "1e+10");
        assert_eq!(k(Yv::Float(0.1)).unwrap(), "0.1");
        assert_eq!(k(Yv::Float(f64::INFINITY)).unwrap(), ".inf");
        assert_eq!(k(Yv::Bool(true)).unwrap(), "true");
        assert_eq!(
            key_string(&Yv::Null, &Yv::Str("a".into())).unwrap_err(),
            "unsupported map key of type: %!s(<nil>), key: <nil>, value: \"a\""
        );
    }

    #[test]
    fn numbers_keep_go_yaml_types_or_become_float64() {
        let seq = Yv::Seq(vec![Yv::Int(3), Yv::Uint(u64::MAX), Yv::Float(0.5)]);
        let v = to_value(&seq, Numbers::Typed).unwrap();
        let items = v.as_list().unwrap();
        assert!(matches!(items[0], Value::Int(3, IntType::Int)));
        assert!(matches!(items[1], Value::Uint(u64::MAX, UintType::Uint64)));
        assert!(matches!(items[2], Value::Float(f) if f == 0.5));
        let v = to_value(&seq, Numbers::Float64).unwrap();
        let items = v.as_list().unwrap();
        assert!(matches!(items[0], Value::Float(f) if f == 3.0));
        assert!(matches!(items[1], Value::Float(f) if f == 1.8446744073709552e19));
    }

    #[test]
    fn non_finite_numbers_fail_json() {
        let m = Map::new();
        m.insert("b", Value::Float(f64::NAN));
        m.insert("a", Value::Float(f64::NEG_INFINITY));
        assert_eq!(
            json_marshal_error(&Value::Map(m)).unwrap(),
            "json: unsupported value: -Inf"
        );
    }
}
