//! Fuzz target: any text through the template parser and, when it parses,
//! the executor, with a small fixed data map. Neither may panic, overflow
//! the stack or run away; errors are fine.
//!
//! Runaway templates (`{{range 1000000000}}`, self-recursive `template`
//! calls) are bounded by the engine's step, output and stack budgets.

#![no_main]

use chartroom::template::{ExecOptions, Templates};
use chartroom::{Map, Value};
use libfuzzer_sys::fuzz_target;

/// Longer inputs add little coverage and slow every run down.
const MAX_INPUT: usize = 4096;

fuzz_target!(|bytes: &[u8]| {
    if bytes.len() > MAX_INPUT {
        return;
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let mut set = Templates::new();
    if set.parse("fuzz", text).is_err() {
        return;
    }
    set.set_exec_options(ExecOptions {
        max_steps: Some(200_000),
        max_output_bytes: Some(1 << 20),
        ..ExecOptions::default()
    });
    let _ = set.execute("fuzz", &data());
});

/// `{"name": "fuzz", "count": 3.0, "int": 2, "flag": true, "empty": "",
/// "nothing": nil, "list": [1.0, "two", nil, {"k": "v"}],
/// "map": {"a": 1.5, "b": false}, "bytes": []byte("hi")}`.
fn data() -> Value {
    let inner: Map = [("k".to_string(), Value::from("v"))].into_iter().collect();
    let small: Map = [
        ("a".to_string(), Value::Float(1.5)),
        ("b".to_string(), Value::Bool(false)),
    ]
    .into_iter()
    .collect();
    let root: Map = [
        ("name", Value::from("fuzz")),
        ("count", Value::Float(3.0)),
        ("int", Value::int(2)),
        ("flag", Value::Bool(true)),
        ("empty", Value::from("")),
        ("nothing", Value::Nil),
        (
            "list",
            Value::list(vec![
                Value::Float(1.0),
                Value::from("two"),
                Value::Nil,
                Value::Map(inner),
            ]),
        ),
        ("map", Value::Map(small)),
        ("bytes", Value::bytes(&b"hi"[..])),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    Value::Map(root)
}
