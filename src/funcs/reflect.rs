//! Sprig v3.3.0's reflection functions (`reflect.go`): `typeOf` (`%T`),
//! `typeIs`, `typeIsLike`, `kindOf` (`reflect.Kind` names), `kindIs`, and
//! `deepEqual`, which is Go's `reflect.DeepEqual` itself.
//!
//! [`deep_equal`] is shared with the list functions (`has`, `uniq`,
//! `without` compare with `reflect.DeepEqual`): dynamic types must match
//! exactly (`int 1` and `int64 1` differ), floats compare with `==` (NaN is
//! unequal to itself), and a map or slice equals itself.

use std::collections::BTreeSet;
use std::rc::Rc;

use crate::template::{Func, ParamType, Templates};
use crate::value::{Map, Value};

/// Registers the reflection functions.
pub fn register(set: &mut Templates) {
    set.add_func(
        "typeOf",
        Func::new([ParamType::Any], |_, args| {
            Ok(Value::from(args[0].type_name()))
        })
        .infallible(),
    );
    set.add_func(
        "typeIs",
        Func::new([ParamType::String, ParamType::Any], |_, args| {
            Ok(Value::Bool(target(&args[0]) == args[1].type_name()))
        })
        .infallible(),
    );
    set.add_func(
        "typeIsLike",
        Func::new([ParamType::String, ParamType::Any], |_, args| {
            let target = target(&args[0]);
            let actual = args[1].type_name();
            Ok(Value::Bool(
                target == actual || actual.strip_prefix('*') == Some(target),
            ))
        })
        .infallible(),
    );
    set.add_func(
        "kindOf",
        Func::new([ParamType::Any], |_, args| {
            Ok(Value::from(args[0].kind().name()))
        })
        .infallible(),
    );
    set.add_func(
        "kindIs",
        Func::new([ParamType::String, ParamType::Any], |_, args| {
            Ok(Value::Bool(target(&args[0]) == args[1].kind().name()))
        })
        .infallible(),
    );
    set.add_func(
        "deepEqual",
        Func::new([ParamType::Any, ParamType::Any], |_, args| {
            Ok(Value::Bool(deep_equal(&args[0], &args[1])))
        })
        .infallible(),
    );
}

/// The `target string` argument.
fn target(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// Go's `reflect.DeepEqual` on two `interface{}` values.
///
/// The walk keeps its own work list rather than recursing, so deeply
/// nested data cannot exhaust the stack. Like Go, a pair of maps met again
/// is taken as equal (its first visit decides), which ends the walk on
/// cyclic maps; the order of the comparisons cannot change the result.
pub fn deep_equal(a: &Value, b: &Value) -> bool {
    let mut pending = vec![(a.clone(), b.clone())];
    let mut visited: BTreeSet<(*const (), *const ())> = BTreeSet::new();
    while let Some((x, y)) = pending.pop() {
        let same = match (&x, &y) {
            (Value::Nil, Value::Nil) => true,
            (Value::Bool(p), Value::Bool(q)) => p == q,
            (Value::Int(p, t), Value::Int(q, u)) => t == u && p == q,
            (Value::Uint(p, t), Value::Uint(q, u)) => t == u && p == q,
            (Value::Float(p), Value::Float(q)) => p == q,
            (Value::Float32(p), Value::Float32(q)) => p == q,
            (Value::String(p), Value::String(q)) => p == q,
            (Value::ByteString(p), Value::ByteString(q)) => p.bytes() == q.bytes(),
            (Value::Bytes(p), Value::Bytes(q)) => p == q,
            (Value::List(p), Value::List(q)) => {
                if !Rc::ptr_eq(p, q) {
                    if p.len() != q.len() {
                        return false;
                    }
                    pending.extend(p.iter().cloned().zip(q.iter().cloned()));
                }
                true
            }
            (Value::Map(p), Value::Map(q)) => {
                let pair = (map_addr(p), map_addr(q));
                if !p.ptr_eq(q) && !visited.contains(&pair) {
                    if p.len() != q.len() {
                        return false;
                    }
                    visited.insert(pair);
                    for (k, v) in p.entries() {
                        match q.get(&k) {
                            Some(w) => pending.push((v, w)),
                            None => return false,
                        }
                    }
                }
                true
            }
            // Host objects are immutable Go structs and pointers: the same
            // object, or one of the same type that prints the same.
            (Value::Object(p), Value::Object(q)) => {
                Rc::ptr_eq(p, q) || (p.type_name() == q.type_name() && p.format() == q.format())
            }
            _ => false,
        };
        if !same {
            return false;
        }
    }
    true
}

/// The identity of a Go map (the address of its entries).
fn map_addr(m: &Map) -> *const () {
    let entries = m.borrow();
    &*entries as *const _ as *const ()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::IntType;

    fn render(text: &str, data: &Value) -> Result<String, String> {
        crate::funcs::lists::tests::render_family(text, data)
    }

    #[test]
    fn type_and_kind_names() {
        let data = Value::list(vec![Value::from("hello")]);
        assert_eq!(render("{{kindOf .}}", &data).unwrap(), "slice");
        assert_eq!(render("{{typeOf .}}", &data).unwrap(), "[]interface {}");
        assert_eq!(
            render(
                "{{typeOf 1}} {{typeOf 1.5}} {{typeOf nil}} {{kindOf nil}}",
                &Value::Nil
            )
            .unwrap(),
            "int float64 <nil> invalid"
        );
        assert_eq!(
            render(
                r#"{{typeIs "string" "x"}} {{typeIsLike "int" 3}} {{kindIs "map" (list)}}"#,
                &Value::Nil
            )
            .unwrap(),
            "true true false"
        );
        assert_eq!(
            render(
                r#"{{if kindIs "ptr" .}}t{{else}}f{{end}}"#,
                &Value::from("hello")
            )
            .unwrap(),
            "f"
        );
    }

    #[test]
    fn deep_equal_follows_go_types() {
        let one = Value::int(1);
        assert!(deep_equal(&one, &Value::int(1)));
        assert!(!deep_equal(&one, &Value::Int(1, IntType::Int64)));
        assert!(!deep_equal(&one, &Value::Float(1.0)));
        assert!(!deep_equal(
            &Value::Float(f64::NAN),
            &Value::Float(f64::NAN)
        ));
        assert!(deep_equal(&Value::Float(0.0), &Value::Float(-0.0)));
        assert!(deep_equal(&Value::Nil, &Value::Nil));
        assert!(!deep_equal(&Value::Nil, &Value::from("")));
        let nan_list = Value::list(vec![Value::Float(f64::NAN)]);
        assert!(deep_equal(&nan_list, &nan_list.clone()));
        let a: Map = [("k".to_string(), Value::list(vec![one.clone()]))]
            .into_iter()
            .collect();
        let b: Map = [("k".to_string(), Value::list(vec![one.clone()]))]
            .into_iter()
            .collect();
        assert!(deep_equal(&Value::Map(a.clone()), &Value::Map(b.clone())));
        b.insert("x", Value::Nil);
        assert!(!deep_equal(&Value::Map(a), &Value::Map(b)));
        assert_eq!(
            render(
                "{{deepEqual (list 1 2) (list 1 2)}} {{deepEqual 1 1.0}}",
                &Value::Nil
            )
            .unwrap(),
            "true false"
        );
    }

    #[test]
    fn deep_equal_ends_on_cycles() {
        let a = Map::new();
        a.insert("self", Value::Map(a.clone()));
        let b = Map::new();
        b.insert("self", Value::Map(b.clone()));
        assert!(deep_equal(&Value::Map(a.clone()), &Value::Map(b.clone())));
        let deep = (0..5_000).fold(Value::Nil, |inner, _| Value::list(vec![inner]));
        let deep2 = (0..5_000).fold(Value::Nil, |inner, _| Value::list(vec![inner]));
        assert!(deep_equal(&deep, &deep2));
        // Break the cycles so the maps are freed.
        a.remove("self");
        b.remove("self");
    }
}
