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
use crate::yaml;

pub fn register(set: &mut Templates) {
    use ParamType::{Any, String as Str};
    set.add_func(
        "toYaml",
        Func::new([Any], |_, args| Ok(Value::from(to_yaml_string(&args[0])))).infallible(),
    );
    set.add_func(
        "toYamlPretty",
        Func::new([Any], |_, args| match yaml::to_yaml_pretty(&args[0]) {
            Ok(text) => Ok(Value::from(text.strip_suffix('\n').unwrap_or(&text))),
            // A Go panic inside the encoder, which text/template reports.
            Err(p) => Err(crate::template::FuncError::msg(p)),
        })
        .infallible(),
    );
    set.add_func(
        "toToml",
        Func::new([Any], |_, args| match crate::toml::to_toml(&args[0]) {
            Ok(text) => Ok(Value::from(text)),
            Err(crate::toml::TomlError::Error(e)) => Ok(Value::from(e)),
            // A Go panic inside the encoder, which text/template reports.
            Err(crate::toml::TomlError::Panic(p)) => Err(crate::template::FuncError::msg(p)),
        })
        .infallible(),
    );
    set.add_func(
        "fromToml",
        Func::new([Str], |ctx, args| {
            let text = args[0].as_str().unwrap_or_default();
            let (now, _) = ctx.host().now();
            let local_offset = crate::funcs::gotime::Location::local().lookup(now).offset;
            match crate::toml::from_toml(text, local_offset) {
                Ok(map) => Ok(Value::Map(map)),
                Err(crate::toml::TomlError::Error(e)) => Ok(Value::Map(error_map(Map::new(), e))),
                Err(crate::toml::TomlError::Panic(p)) => Err(crate::template::FuncError::msg(p)),
            }
        })
        .infallible(),
    );
    set.add_func(
        "fromYaml",
        Func::new([Str], |_, args| {
            let text = args[0].as_str().unwrap_or_default();
            Ok(Value::Map(match yaml::from_yaml_map(text) {
                Ok(map) => map,
                Err(e) => error_map(Map::new(), e.to_string()),
            }))
        })
        .infallible(),
    );
    set.add_func(
        "fromYamlArray",
        Func::new([Str], |_, args| {
            let text = args[0].as_str().unwrap_or_default();
            Ok(Value::list(match yaml::from_yaml_list(text) {
                Ok(items) => items,
                Err(e) => vec![Value::from(e.to_string())],
            }))
        })
        .infallible(),
    );
    set.add_func(
        "toJson",
        Func::new([Any], |_, args| {
            Ok(Value::from(yaml::to_json(&args[0]).unwrap_or_default()))
        })
        .infallible(),
    );
    set.add_func(
        "fromJson",
        Func::new([Str], |_, args| {
            let text = args[0].as_str().unwrap_or_default();
            Ok(match yaml::from_json_map(text) {
                Ok(Some(map)) => Value::Map(map),
                // `null` leaves Go's map nil.
                Ok(None) => Value::Map(Map::new()),
                Err(e) => {
                    let partial = match e.partial() {
                        Some(Value::Map(m)) => m.clone(),
                        _ => Map::new(),
                    };
                    Value::Map(error_map(partial, e.to_string()))
                }
            })
        })
        .infallible(),
    );
    set.add_func(
        "fromJsonArray",
        Func::new([Str], |_, args| {
            let text = args[0].as_str().unwrap_or_default();
            Ok(Value::list(match yaml::from_json_list(text) {
                Ok(items) => items.unwrap_or_default(),
                Err(e) => vec![Value::from(e.to_string())],
            }))
        })
        .infallible(),
    );
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

/// A map with Go's error text under `Error`, as Helm's `fromYaml` and
/// `fromJson` report failures.
fn error_map(map: Map, message: String) -> Map {
    map.insert("Error", Value::from(message));
    map
}

/// Helm's `toYAML`: the YAML text without its final newline, or "" where
/// marshalling fails.
pub fn to_yaml_string(value: &Value) -> String {
    match yaml::to_yaml(value) {
        Ok(text) => text.strip_suffix('\n').map(str::to_string).unwrap_or(text),
        Err(_) => String::new(),
    }
}

/// Go's `base64.StdEncoding.EncodeToString`.
pub fn base64_std(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
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
