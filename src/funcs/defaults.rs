//! Sprig v3.3.0's defaults and flow-control functions (`defaults.go`,
//! `functions.go`): `default`, `empty`, `coalesce`, `all`, `any`, `ternary`
//! and `fail`.
//!
//! [`is_empty`] is Sprig's `empty`: the zero value of the dynamic Go kind
//! (nil, `false`, numeric zero, length zero for strings, slices and maps);
//! structs are never empty. dario.cat/mergo's `isEmptyValue`, which decides
//! what `merge` fills in, agrees with it on every value templates can hold.

use crate::template::{Func, FuncError, ParamType, Templates};
use crate::value::{Kind, Value};

/// Registers the defaults and flow-control functions.
pub fn register(set: &mut Templates) {
    set.add_func(
        "default",
        Func::variadic([ParamType::Any], ParamType::Any, |_, mut args| {
            // `empty(given) || empty(given[0])`: no value given, or an empty one.
            let given = args.get(1).cloned();
            match given {
                Some(v) if !is_empty(&v) => Ok(v),
                _ => Ok(args.swap_remove(0)),
            }
        })
        .infallible(),
    );
    set.add_func(
        "empty",
        Func::new([ParamType::Any], |_, args| {
            Ok(Value::Bool(is_empty(&args[0])))
        })
        .infallible(),
    );
    set.add_func(
        "coalesce",
        Func::variadic([], ParamType::Any, |_, args| {
            Ok(args
                .into_iter()
                .find(|v| !is_empty(v))
                .unwrap_or(Value::Nil))
        })
        .infallible(),
    );
    set.add_func(
        "all",
        Func::variadic([], ParamType::Any, |_, args| {
            Ok(Value::Bool(args.iter().all(|v| !is_empty(v))))
        })
        .infallible(),
    );
    set.add_func(
        "any",
        Func::variadic([], ParamType::Any, |_, args| {
            Ok(Value::Bool(args.iter().any(|v| !is_empty(v))))
        })
        .infallible(),
    );
    set.add_func(
        "ternary",
        Func::new(
            [ParamType::Any, ParamType::Any, ParamType::Bool],
            |_, mut args| {
                let pick = if matches!(args[2], Value::Bool(true)) {
                    0
                } else {
                    1
                };
                Ok(args.swap_remove(pick))
            },
        )
        .infallible(),
    );
    set.add_func(
        "fail",
        Func::new([ParamType::String], |_, args| {
            Err(FuncError::msg(args[0].as_str().unwrap_or_default()))
        }),
    );
}

/// Sprig's `empty`: whether the value is the zero value of its Go kind.
pub fn is_empty(v: &Value) -> bool {
    match v {
        Value::Nil => true,
        Value::Bool(b) => !b,
        Value::Int(i, _) => *i == 0,
        Value::Uint(u, _) => *u == 0,
        Value::Float(f) => *f == 0.0,
        Value::Float32(f) => *f == 0.0,
        Value::String(s) => s.is_empty(),
        // Never empty: it holds at least one byte that is not UTF-8.
        Value::ByteString(_) => false,
        Value::Bytes(b) => b.is_empty(),
        Value::List(l) => l.is_empty(),
        Value::Map(m) => m.is_empty(),
        // Structs are never empty; host pointers are never nil; named maps
        // and slices are empty when they have no entries.
        Value::Object(o) => match (o.int_value(), o.kind()) {
            // Named integers (`time.Month`, `time.Weekday`): zero is empty.
            (Some((i, _)), _) => i == 0,
            (None, Kind::Map | Kind::Slice) => !o.truth(),
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Map;

    fn render(text: &str, data: &Value) -> Result<String, String> {
        crate::funcs::lists::tests::render_family(text, data)
    }

    fn top() -> Value {
        let m = Map::new();
        m.insert("top", Value::Map(Map::new()));
        Value::Map(m)
    }

    #[test]
    fn default_and_empty() {
        let d = Value::Map(Map::new());
        assert_eq!(render(r#"{{"" | default "foo"}}"#, &d).unwrap(), "foo");
        assert_eq!(render(r#"{{default "foo" 234}}"#, &d).unwrap(), "234");
        assert_eq!(render(r#"{{default "foo" 2.34}}"#, &d).unwrap(), "2.34");
        assert_eq!(
            render(r#"{{ .Nothing | default "123" }}"#, &d).unwrap(),
            "123"
        );
        assert_eq!(render(r#"{{ default "123" }}"#, &d).unwrap(), "123");
        assert_eq!(render(r#"{{ default "x" (list) }}"#, &d).unwrap(), "x");
        for (arg, want) in [
            ("1", "0"),
            ("0", "1"),
            (r#""""#, "1"),
            ("0.0", "1"),
            ("false", "1"),
        ] {
            let t = format!("{{{{if empty {arg}}}}}1{{{{else}}}}0{{{{end}}}}");
            assert_eq!(render(&t, &d).unwrap(), want, "{t}");
        }
        assert_eq!(
            render("{{if empty .bottom.NoSuchThing}}1{{else}}0{{end}}", &top()).unwrap(),
            "1"
        );
        assert!(is_empty(&Value::bytes(&b""[..])));
        assert!(!is_empty(&Value::Float32(0.5)));
    }

    #[test]
    fn coalesce_all_any() {
        let d = top();
        assert_eq!(render("{{ coalesce }}", &d).unwrap(), "<no value>");
        assert_eq!(render(r#"{{ coalesce "" 0 nil 2 }}"#, &d).unwrap(), "2");
        assert_eq!(
            render(
                r#"{{ coalesce .top.NoSuchThing .bottom .bottom.dollar "airplane"}}"#,
                &d
            )
            .unwrap(),
            "airplane"
        );
        assert_eq!(render("{{ all }} {{ any }}", &d).unwrap(), "true false");
        assert_eq!(render(r#"{{ all "" 0 nil 2 }}"#, &d).unwrap(), "false");
        assert_eq!(render(r#"{{ any "" 0 nil 2 }}"#, &d).unwrap(), "true");
        assert_eq!(render(r#"{{ all 1 "a" (list 0) }}"#, &d).unwrap(), "true");
    }

    #[test]
    fn ternary_and_fail() {
        let d = Value::Nil;
        assert_eq!(
            render(r#"{{true | ternary "foo" "bar"}}"#, &d).unwrap(),
            "foo"
        );
        assert_eq!(
            render(r#"{{ternary "foo" "bar" false}}"#, &d).unwrap(),
            "bar"
        );
        assert_eq!(
            render(r#"{{ternary "foo" "bar" 1}}"#, &d).unwrap_err(),
            "template: test:1:22: executing \"test\" at <1>: expected bool; found 1"
        );
        assert_eq!(
            render(r#"{{fail "This is an error!"}}"#, &d).unwrap_err(),
            "template: test:1:2: executing \"test\" at <fail \"This is an error!\">: \
             error calling fail: This is an error!"
        );
    }
}
