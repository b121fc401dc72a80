//! Sprig's JSON functions (`defaults.go`): `toJson`, `mustToJson`,
//! `toPrettyJson`, `mustToPrettyJson`, `toRawJson`, `mustToRawJson`,
//! `fromJson`, `mustFromJson`, over Go's `encoding/json` semantics from
//! [`crate::yaml`]. Helm replaces `toJson` and `fromJson` with its own.

use crate::template::{Func, FuncError, ParamType, Templates};
use crate::value::Value;
use crate::yaml::{self, JsonError};

type Encoder = fn(&Value) -> Result<String, JsonError>;

pub fn register(set: &mut Templates) {
    let encoders: [(&str, &str, Encoder); 3] = [
        ("toJson", "mustToJson", yaml::to_json),
        ("toPrettyJson", "mustToPrettyJson", yaml::to_json_pretty),
        ("toRawJson", "mustToRawJson", yaml::to_json_raw),
    ];
    for (plain, must, encode) in encoders {
        // `toRawJson` panics on failure where the others return "".
        let raw = plain == "toRawJson";
        set.add_func(
            plain,
            Func::new([ParamType::Any], move |_, args| match encode(&args[0]) {
                Ok(text) => Ok(Value::from(text)),
                Err(e) if raw => Err(FuncError::msg(e.to_string())),
                Err(_) => Ok(Value::from("")),
            }),
        );
        set.add_func(
            must,
            Func::new([ParamType::Any], move |_, args| {
                encode(&args[0])
                    .map(Value::from)
                    .map_err(|e| FuncError::msg(e.to_string()))
            }),
        );
    }
    set.add_func(
        "fromJson",
        Func::new([ParamType::String], |_, args| {
            let text = args[0].as_str().unwrap_or_default();
            Ok(match yaml::from_json(text) {
                Ok(v) => v,
                Err(e) => e.partial().cloned().unwrap_or_default(),
            })
        })
        .infallible(),
    );
    set.add_func(
        "mustFromJson",
        Func::new([ParamType::String], |_, args| {
            let text = args[0].as_str().unwrap_or_default();
            yaml::from_json(text).map_err(|e| FuncError::msg(e.to_string()))
        }),
    );
}
