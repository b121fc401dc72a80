//! Sprig v3.3.0's list functions (`list.go`): `list`/`tuple`, `append`
//! (`push`), `prepend`, `first`, `rest`, `last`, `initial`, `reverse`,
//! `uniq`, `without`, `has`, `slice`, `concat`, `chunk`, `compact`, and their
//! `must*` forms.
//!
//! Sprig reaches the elements of any slice through reflection, so a `[]byte`
//! works too (its elements are `uint8`s); other kinds fail with Sprig's
//! `Cannot find first on type string` and the like. The plain forms panic
//! with the same error the `must*` forms return, and `text/template`
//! reports both alike. A nil argument makes Sprig call a method on a nil
//! `reflect.Type`, which Go reports as a nil pointer dereference.
//! Element comparisons (`has`, `uniq`, `without`) use `reflect.DeepEqual`.
//!
//! Lists built here are `[]interface{}`; where Sprig returns a nil slice
//! (`rest` of an empty list, `concat` of nothing) this returns an empty
//! list, which prints the same.

use std::borrow::Cow;

use super::defaults::is_empty;
use super::reflect::deep_equal;
use crate::template::{Func, FuncError, ParamType, Templates};
use crate::value::{Kind, UintType, Value};

/// Go's runtime error for a method call on a nil interface.
pub(crate) const NIL_DEREF: &str =
    "runtime error: invalid memory address or nil pointer dereference";

/// Go's runtime error for `make` with a negative length.
const MAKESLICE_LEN: &str = "runtime error: makeslice: len out of range";

/// Registers the list functions.
pub fn register(set: &mut Templates) {
    for name in ["list", "tuple"] {
        set.add_func(
            name,
            Func::variadic([], ParamType::Any, |_, args| Ok(Value::list(args))).infallible(),
        );
    }
    for name in ["append", "push", "mustAppend", "mustPush"] {
        set.add_func(
            name,
            Func::new([ParamType::Any, ParamType::Any], |_, mut args| {
                let v = args.pop().unwrap_or_default();
                let mut out =
                    elements(&args[0], |k| format!("Cannot push on type {k}"))?.into_owned();
                out.push(v);
                Ok(Value::list(out))
            }),
        );
    }
    for name in ["prepend", "mustPrepend"] {
        set.add_func(
            name,
            Func::new([ParamType::Any, ParamType::Any], |_, mut args| {
                let v = args.pop().unwrap_or_default();
                let items = elements(&args[0], |k| format!("Cannot prepend on type {k}"))?;
                let mut out = Vec::with_capacity(items.len() + 1);
                out.push(v);
                out.extend(items.iter().cloned());
                Ok(Value::list(out))
            }),
        );
    }
    for name in ["first", "mustFirst"] {
        set.add_func(
            name,
            one_list(
                |items| Ok(items.first().cloned().unwrap_or_default()),
                |k| format!("Cannot find first on type {k}"),
            ),
        );
    }
    for name in ["last", "mustLast"] {
        set.add_func(
            name,
            one_list(
                |items| Ok(items.last().cloned().unwrap_or_default()),
                |k| format!("Cannot find last on type {k}"),
            ),
        );
    }
    for name in ["rest", "mustRest"] {
        set.add_func(
            name,
            one_list(
                |items| Ok(Value::list(items.get(1..).unwrap_or_default().to_vec())),
                |k| format!("Cannot find rest on type {k}"),
            ),
        );
    }
    for name in ["initial", "mustInitial"] {
        set.add_func(
            name,
            one_list(
                |items| {
                    let end = items.len().saturating_sub(1);
                    Ok(Value::list(items[..end].to_vec()))
                },
                |k| format!("Cannot find initial on type {k}"),
            ),
        );
    }
    for name in ["reverse", "mustReverse"] {
        set.add_func(
            name,
            one_list(
                |items| Ok(Value::list(items.iter().rev().cloned().collect())),
                |k| format!("Cannot find reverse on type {k}"),
            ),
        );
    }
    for name in ["compact", "mustCompact"] {
        set.add_func(
            name,
            one_list(
                |items| {
                    Ok(Value::list(
                        items.iter().filter(|v| !is_empty(v)).cloned().collect(),
                    ))
                },
                |k| format!("Cannot compact on type {k}"),
            ),
        );
    }
    for name in ["uniq", "mustUniq"] {
        set.add_func(
            name,
            one_list(
                |items| {
                    let mut out: Vec<Value> = Vec::new();
                    for item in items {
                        if !out.iter().any(|seen| deep_equal(item, seen)) {
                            out.push(item.clone());
                        }
                    }
                    Ok(Value::list(out))
                },
                |k| format!("Cannot find uniq on type {k}"),
            ),
        );
    }
    for name in ["without", "mustWithout"] {
        set.add_func(
            name,
            Func::variadic([ParamType::Any], ParamType::Any, |_, args| {
                let (list, omit) = args.split_first().unwrap_or((&Value::Nil, &[]));
                let items = elements(list, |k| format!("Cannot find without on type {k}"))?;
                Ok(Value::list(
                    items
                        .iter()
                        .filter(|item| !omit.iter().any(|o| deep_equal(item, o)))
                        .cloned()
                        .collect(),
                ))
            }),
        );
    }
    for name in ["has", "mustHas"] {
        set.add_func(
            name,
            Func::new([ParamType::Any, ParamType::Any], |_, args| {
                if args[1].is_nil() {
                    return Ok(Value::Bool(false));
                }
                let items = elements(&args[1], |k| format!("Cannot find has on type {k}"))?;
                Ok(Value::Bool(
                    items.iter().any(|item| deep_equal(&args[0], item)),
                ))
            }),
        );
    }
    for name in ["slice", "mustSlice"] {
        set.add_func(
            name,
            Func::variadic([ParamType::Any], ParamType::Any, |_, args| slice(&args)),
        );
    }
    set.add_func(
        "concat",
        Func::variadic([], ParamType::Any, |_, args| {
            let mut out = Vec::new();
            for list in &args {
                out.extend(
                    elements(list, |k| format!("Cannot concat type {k} as list"))?
                        .iter()
                        .cloned(),
                );
            }
            Ok(Value::list(out))
        })
        .infallible(),
    );
    for name in ["chunk", "mustChunk"] {
        set.add_func(
            name,
            Func::new([ParamType::INT, ParamType::Any], |_, args| {
                let size = match args[0] {
                    Value::Int(n, _) => n,
                    _ => 0,
                };
                let items = elements(&args[1], |k| format!("Cannot chunk type {k}"))?;
                chunk(size, &items)
            }),
        );
    }
}

/// A function of one list argument.
fn one_list(
    f: impl Fn(&[Value]) -> Result<Value, FuncError> + 'static,
    not_list: fn(Kind) -> String,
) -> Func {
    Func::new([ParamType::Any], move |_, args| {
        f(&elements(&args[0], not_list)?)
    })
}

/// The elements of a Go slice as `reflect.Value.Index(i).Interface()`
/// yields them; `not_list` words the error for other kinds.
pub(crate) fn elements(
    v: &Value,
    not_list: impl FnOnce(Kind) -> String,
) -> Result<Cow<'_, [Value]>, FuncError> {
    match v {
        Value::List(items) => Ok(Cow::Borrowed(items.as_slice())),
        Value::Bytes(bytes) => Ok(Cow::Owned(
            bytes
                .iter()
                .map(|b| Value::Uint(u64::from(*b), UintType::Uint8))
                .collect(),
        )),
        Value::Object(o) if o.list_items().is_some() => {
            Ok(Cow::Owned(o.list_items().unwrap_or_default()))
        }
        Value::Nil => Err(FuncError::msg(NIL_DEREF)),
        other => Err(FuncError::msg(not_list(other.kind()))),
    }
}

/// Sprig's `slice list [start [end]]`: Go's `list[start:end]` on the list's
/// own type (a `[]byte` stays one); an empty list gives nil.
fn slice(args: &[Value]) -> Result<Value, FuncError> {
    let (list, indices) = args.split_first().unwrap_or((&Value::Nil, &[]));
    let len = match list {
        Value::List(items) => items.len(),
        Value::Bytes(bytes) => bytes.len(),
        Value::Nil => return Err(FuncError::msg(NIL_DEREF)),
        other => {
            return Err(FuncError::msg(format!(
                "list should be type of slice or array but {}",
                other.kind()
            )))
        }
    };
    if len == 0 {
        return Ok(Value::Nil);
    }
    let start = indices.first().map_or(0, super::cast::to_int);
    let end = match indices.get(1) {
        Some(v) => super::cast::to_int(v),
        None => len as i64,
    };
    // reflect.Value.Slice's bounds check (the capacity of the lists here is
    // their length).
    if start < 0 || end < start || end > len as i64 {
        return Err(FuncError::msg(
            "reflect.Value.Slice: slice index out of bounds",
        ));
    }
    let (start, end) = (start as usize, end as usize);
    Ok(match list {
        Value::Bytes(bytes) => Value::bytes(&bytes[start..end]),
        Value::List(items) => Value::list(items[start..end].to_vec()),
        _ => Value::Nil,
    })
}

/// Sprig's `chunk`, computed as Sprig does in float64 (so a size of zero or
/// below fails the way Go's `make` does).
fn chunk(size: i64, items: &[Value]) -> Result<Value, FuncError> {
    let len = items.len() as i64;
    let count = super::cast::float_to_int64(((len - 1) as f64 / size as f64).floor() + 1.0);
    if count < 0 {
        return Err(FuncError::msg(MAKESLICE_LEN));
    }
    let mut chunks = Vec::new();
    for i in 0..count {
        let mut chunk_len = size;
        if i == count - 1 {
            chunk_len = super::cast::float_to_int64((len as f64 % size as f64).floor());
            if chunk_len == 0 {
                chunk_len = size;
            }
        }
        if chunk_len < 0 {
            return Err(FuncError::msg(MAKESLICE_LEN));
        }
        let from = i.saturating_mul(size);
        let chunk = (0..chunk_len)
            .map(|j| {
                usize::try_from(from.saturating_add(j))
                    .ok()
                    .and_then(|ix| items.get(ix))
                    .cloned()
                    .ok_or_else(|| FuncError::msg("reflect: slice index out of range"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        chunks.push(Value::list(chunk));
    }
    Ok(Value::list(chunks))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::value::IntType;

    /// Renders `text` with this family's functions (lists, dicts, defaults,
    /// reflection) registered.
    pub(crate) fn render_family(text: &str, data: &Value) -> Result<String, String> {
        let mut set = Templates::new();
        register(&mut set);
        super::super::dicts::register(&mut set);
        super::super::defaults::register(&mut set);
        super::super::reflect::register(&mut set);
        set.parse("test", text).map_err(|e| e.to_string())?;
        set.execute("test", data).map_err(|e| e.to_string())
    }

    fn render(text: &str, data: &Value) -> Result<String, String> {
        render_family(text, data)
    }

    fn ok(text: &str) -> String {
        render(text, &Value::Nil).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn err(text: &str) -> String {
        let e = render(text, &Value::Nil).expect_err(text);
        let at = e.find("error calling ").expect("a function error");
        e[at..].to_string()
    }

    #[test]
    fn building_lists() {
        assert_eq!(
            ok(r#"{{$t := tuple 1 "a" "foo"}}{{index $t 2}}{{index $t 0 }}{{index $t 1}}"#),
            "foo1a"
        );
        assert_eq!(
            ok("{{ append (list 1 2) 3 }} {{ push (list) 1 }}"),
            "[1 2 3] [1]"
        );
        assert_eq!(ok("{{ prepend (list 1 2) 0 }}"), "[0 1 2]");
        assert_eq!(
            ok("{{ concat (list 1 2 3) (list 4 5) (list nil) }}"),
            "[1 2 3 4 5 <nil>]"
        );
        assert_eq!(ok("{{ concat }}"), "[]");
        assert_eq!(
            err(r#"{{ concat (list 1) "x" }}"#),
            "error calling concat: Cannot concat type string as list"
        );
        assert_eq!(
            err("{{ concat (list 1) nil }}"),
            format!("error calling concat: {NIL_DEREF}")
        );
        assert_eq!(
            err("{{ append (dict) 1 }}"),
            "error calling append: Cannot push on type map"
        );
    }

    #[test]
    fn picking_elements() {
        assert_eq!(ok("{{ list 1 2 3 | first }}{{ list 1 2 3 | last }}"), "13");
        assert_eq!(
            ok("{{ list | first }} {{ list | mustLast }}"),
            "<no value> <no value>"
        );
        assert_eq!(
            ok("{{ list 1 2 3 | rest }} {{ list 1 2 3 | initial }}"),
            "[2 3] [1 2]"
        );
        assert_eq!(ok("{{ list | rest }} {{ list | initial }}"), "[] []");
        assert_eq!(
            ok("{{ list 1 2 3 4 | reverse }} {{ list | reverse }}"),
            "[4 3 2 1] []"
        );
        assert_eq!(
            err(r#"{{ first "abc" }}"#),
            "error calling first: Cannot find first on type string"
        );
        assert_eq!(
            err(r#"{{ mustFirst "abc" }}"#),
            "error calling mustFirst: Cannot find first on type string"
        );
        assert_eq!(
            err("{{ first nil }}"),
            format!("error calling first: {NIL_DEREF}")
        );
        assert_eq!(
            err("{{ mustRest 1.5 }}"),
            "error calling mustRest: Cannot find rest on type float64"
        );
    }

    #[test]
    fn byte_slices_are_lists_of_uint8() {
        let data = Value::bytes(&b"ab"[..]);
        assert_eq!(
            render("{{ first . | typeOf }} {{ last . }}", &data).unwrap(),
            "uint8 98"
        );
        assert_eq!(
            render("{{ slice . 1 | typeOf }} {{ reverse . }}", &data).unwrap(),
            "[]uint8 [98 97]"
        );
    }

    #[test]
    fn comparisons_use_deep_equal() {
        let data = Value::list(vec![
            Value::int(1),
            Value::Int(1, IntType::Int64),
            Value::Float(1.0),
        ]);
        assert_eq!(
            render("{{ uniq . }} {{ has 1 . }}", &data).unwrap(),
            "[1 1 1] true"
        );
        assert_eq!(
            render("{{ without . 1 }} {{ len (without . 1.0) }}", &data).unwrap(),
            "[1 1] 2"
        );
        assert_eq!(
            ok(r#"{{ list "foo" 1 1 1 1 "foo" "foo" | uniq }}"#),
            "[foo 1]"
        );
        assert_eq!(ok("{{ has 1 (list 1.0) }} {{ has 4 nil }}"), "false false");
        assert_eq!(ok("{{ without (list 1 2 3) }}"), "[1 2 3]");
        assert_eq!(
            err("{{ uniq 5 }}"),
            "error calling uniq: Cannot find uniq on type int"
        );
        assert_eq!(
            err(r#"{{ has 1 "abc" }}"#),
            "error calling has: Cannot find has on type string"
        );
        assert_eq!(
            err(r#"{{ without "abc" 1 }}"#),
            "error calling without: Cannot find without on type string"
        );
        assert_eq!(
            ok(r#"{{ list 1 0 "" "hello" (list) nil | compact }}"#),
            "[1 hello]"
        );
    }

    #[test]
    fn slicing() {
        assert_eq!(
            ok("{{ slice (list 1 2 3) }} {{ slice (list 1 2 3) 1 }} {{ slice (list 1 2 3) 0 1 }}"),
            "[1 2 3] [2 3] [1]"
        );
        assert_eq!(ok(r#"{{ slice (list 1 2 3) "1" 2.7 9 }}"#), "[2]");
        assert_eq!(ok("{{ slice (list) 5 }}"), "<no value>");
        assert_eq!(
            err("{{ slice (list 1 2 3) 2 1 }}"),
            "error calling slice: reflect.Value.Slice: slice index out of bounds"
        );
        assert_eq!(
            err("{{ slice (list 1 2 3) 0 4 }}"),
            "error calling slice: reflect.Value.Slice: slice index out of bounds"
        );
        assert_eq!(
            err(r#"{{ mustSlice "abc" 1 }}"#),
            "error calling mustSlice: list should be type of slice or array but string"
        );
    }

    #[test]
    fn chunks() {
        assert_eq!(
            ok("{{ tuple 1 2 3 4 5 6 7 8 | chunk 3 }}"),
            "[[1 2 3] [4 5 6] [7 8]]"
        );
        assert_eq!(
            ok("{{ tuple 1 2 | chunk 3 }} {{ tuple | chunk 3 | len }}"),
            "[[1 2]] 0"
        );
        assert_eq!(ok("{{ chunk -5 (list 1 2 3) }}"), "[]");
        for t in [
            "{{ chunk 0 (list 1 2) }}",
            "{{ chunk 0 (list) }}",
            "{{ chunk -1 (list 1) }}",
            "{{ chunk -1 (list) }}",
            "{{ chunk -2 (list 1 2 3 4) }}",
        ] {
            assert_eq!(
                err(t),
                format!("error calling chunk: {MAKESLICE_LEN}"),
                "{t}"
            );
        }
        assert_eq!(
            err(r#"{{ chunk 2 "ab" }}"#),
            "error calling chunk: Cannot chunk type string"
        );
    }
}
