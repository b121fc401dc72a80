//! Sprig v3.3.0's dictionary functions (`dict.go`): `dict`, `get`, `set`,
//! `unset`, `hasKey`, `pluck`, `keys`, `pick`, `omit`, `values`, `dig`,
//! `merge`/`mergeOverwrite` (dario.cat/mergo v1.0.1 `Merge` and
//! `MergeWithOverwrite`), and `deepCopy` (mitchellh/copystructure v1.2.0).
//!
//! Maps are Go maps: `set`, `unset` and the merges change the map every
//! holder sees. Go ranges over maps in random order; `keys` and `values`
//! here follow the sorted key order of each map.
//!
//! What mergo does to `map[string]interface{}` values, key by key of the
//! source: a nil source value is copied only when overwriting; a map source
//! value merges recursively into a map destination value (which is then kept
//! unless it was empty); any other source value replaces the destination
//! value when overwriting, or when the destination key is missing or holds
//! an empty value (Sprig's `empty`). Nested maps copied from a source are
//! shared with it, not copied.

use super::defaults::is_empty;
use crate::template::{Func, FuncError, ParamType, Templates};
use crate::value::{Kind, Map, Value};

/// How deep `merge` and `deepCopy` follow nested maps and lists. Go recurses
/// without limit (and crashes on cyclic maps); this stops with an error.
const MAX_NESTING: usize = 500;

/// Registers the dictionary functions.
pub fn register(set: &mut Templates) {
    set.add_func(
        "dict",
        Func::variadic([], ParamType::Any, |_, args| {
            let map = Map::new();
            for pair in args.chunks(2) {
                let key = super::cast::to_string(&pair[0]);
                map.insert(key, pair.get(1).cloned().unwrap_or_else(|| Value::from("")));
            }
            Ok(Value::Map(map))
        })
        .infallible(),
    );
    set.add_func(
        "get",
        Func::new([ParamType::Map, ParamType::String], |_, args| {
            Ok(map_arg(&args[0])
                .and_then(|m| m.get(key_arg(&args[1])))
                .unwrap_or_else(|| Value::from("")))
        })
        .infallible(),
    );
    set.add_func(
        "set",
        Func::new(
            [ParamType::Map, ParamType::String, ParamType::Any],
            |_, mut args| {
                let value = args.pop().unwrap_or_default();
                match map_arg(&args[0]) {
                    Some(m) => {
                        m.insert(key_arg(&args[1]), value);
                        Ok(args.swap_remove(0))
                    }
                    None => Err(FuncError::msg("assignment to entry in nil map")),
                }
            },
        )
        .infallible(),
    );
    set.add_func(
        "unset",
        Func::new([ParamType::Map, ParamType::String], |_, args| {
            Ok(match map_arg(&args[0]) {
                Some(m) => {
                    m.remove(key_arg(&args[1]));
                    Value::Map(m.clone())
                }
                None => nil_map(),
            })
        })
        .infallible(),
    );
    set.add_func(
        "hasKey",
        Func::new([ParamType::Map, ParamType::String], |_, args| {
            Ok(Value::Bool(
                map_arg(&args[0]).is_some_and(|m| m.contains_key(key_arg(&args[1]))),
            ))
        })
        .infallible(),
    );
    set.add_func(
        "pluck",
        Func::variadic([ParamType::String], ParamType::Map, |_, args| {
            let key = key_arg(&args[0]);
            Ok(Value::list(
                args[1..]
                    .iter()
                    .filter_map(|d| map_arg(d).and_then(|m| m.get(key)))
                    .collect(),
            ))
        })
        .infallible(),
    );
    set.add_func(
        "keys",
        Func::variadic([], ParamType::Map, |_, args| {
            Ok(Value::list(
                args.iter()
                    .filter_map(map_arg)
                    .flat_map(|m| m.keys())
                    .map(Value::from)
                    .collect(),
            ))
        })
        .infallible(),
    );
    set.add_func(
        "values",
        Func::new([ParamType::Map], |_, args| {
            Ok(Value::list(
                map_arg(&args[0])
                    .map(|m| m.entries().into_iter().map(|(_, v)| v).collect())
                    .unwrap_or_default(),
            ))
        })
        .infallible(),
    );
    set.add_func(
        "pick",
        Func::variadic([ParamType::Map], ParamType::String, |_, args| {
            let out = Map::new();
            if let Some(m) = map_arg(&args[0]) {
                for key in args[1..].iter().map(key_arg) {
                    if let Some(v) = m.get(key) {
                        out.insert(key, v);
                    }
                }
            }
            Ok(Value::Map(out))
        })
        .infallible(),
    );
    set.add_func(
        "omit",
        Func::variadic([ParamType::Map], ParamType::String, |_, args| {
            let omitted: Vec<&str> = args[1..].iter().map(key_arg).collect();
            let out = Map::new();
            if let Some(m) = map_arg(&args[0]) {
                for (k, v) in m.entries() {
                    if !omitted.contains(&k.as_str()) {
                        out.insert(k, v);
                    }
                }
            }
            Ok(Value::Map(out))
        })
        .infallible(),
    );
    for (name, overwrite, must) in [
        ("merge", false, false),
        ("mustMerge", false, true),
        ("mergeOverwrite", true, false),
        ("mustMergeOverwrite", true, true),
    ] {
        let func = Func::variadic([ParamType::Map], ParamType::Map, move |_, args| {
            merge(&args, overwrite)
        });
        set.add_func(name, if must { func } else { func.infallible() });
    }
    set.add_func(
        "dig",
        Func::variadic([], ParamType::Any, |_, args| dig(&args)),
    );
    set.add_func(
        "deepCopy",
        Func::new([ParamType::Any], |_, args| deep_copy(&args[0])).infallible(),
    );
    set.add_func(
        "mustDeepCopy",
        Func::new([ParamType::Any], |_, args| deep_copy(&args[0])),
    );
}

/// A `map[string]interface{}` argument; `None` for a nil map.
fn map_arg(v: &Value) -> Option<&Map> {
    v.as_map()
}

/// A `string` argument.
fn key_arg(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// A nil `map[string]interface{}` result: prints `map[]` like an empty map.
fn nil_map() -> Value {
    Value::Map(Map::new())
}

/// Sprig's `merge` family: each source merged into the destination in turn.
/// A nil destination is replaced by a new map once a non-nil source comes.
fn merge(args: &[Value], overwrite: bool) -> Result<Value, FuncError> {
    let (dst, srcs) = args.split_first().unwrap_or((&Value::Nil, &[]));
    let mut dst = map_arg(dst).cloned();
    for src in srcs.iter().filter_map(map_arg) {
        let target = dst.get_or_insert_with(Map::new);
        merge_maps(target, src, overwrite, 0)?;
    }
    Ok(dst.map_or_else(nil_map, Value::Map))
}

/// mergo's `deepMerge` of one `map[string]interface{}` into another.
fn merge_maps(dst: &Map, src: &Map, overwrite: bool, depth: usize) -> Result<(), FuncError> {
    if depth > MAX_NESTING {
        return Err(FuncError::msg("merge: maps nested too deeply (or cyclic)"));
    }
    // A snapshot: nothing stays borrowed while maps are changed below.
    for (key, src_value) in src.entries() {
        let dst_value = dst.get(&key);
        match (&src_value, &dst_value) {
            (Value::Nil, _) => {
                if overwrite {
                    dst.insert(key, Value::Nil);
                }
                continue;
            }
            (Value::Map(src_map), Some(Value::Map(dst_map))) => {
                merge_maps(dst_map, src_map, overwrite, depth + 1)?;
            }
            _ => {}
        }
        // mergo keeps a filled map destination that meets a map source
        // (merged above when both are plain maps). Slices need no rule of
        // their own: mergo's slice step ends as this final assignment does.
        let map_to_map = src_value.kind() == Kind::Map
            && dst_value.as_ref().is_some_and(|d| d.kind() == Kind::Map);
        if map_to_map && !dst_value.as_ref().is_none_or(is_empty) {
            continue;
        }
        if overwrite || dst_value.as_ref().is_none_or(is_empty) {
            dst.insert(key, src_value);
        }
    }
    Ok(())
}

/// The text of Go's failed `x.(T)` on an `interface{}` holding `v`.
fn conversion_error(v: &Value, want: &str) -> FuncError {
    let have = match v {
        Value::Nil => "nil".to_string(),
        other => other.type_name(),
    };
    FuncError::msg(format!(
        "interface conversion: interface {{}} is {have}, not {want}"
    ))
}

const MAP_TYPE: &str = "map[string]interface {}";

/// Sprig's `dig key... default dict`.
fn dig(args: &[Value]) -> Result<Value, FuncError> {
    if args.len() < 3 {
        return Err(FuncError::msg("dig needs at least three arguments"));
    }
    let (dict, rest) = args.split_last().unwrap_or((&Value::Nil, &[]));
    let (default, keys) = rest.split_last().unwrap_or((&Value::Nil, &[]));
    // A named map such as Helm's `chartutil.Values` fails Sprig's type
    // assertion, as in Go.
    let mut map = match dict {
        Value::Map(m) if m.map_type().is_none() => m.clone(),
        other => return Err(conversion_error(other, MAP_TYPE)),
    };
    let keys = keys
        .iter()
        .map(|k| k.as_str().ok_or_else(|| conversion_error(k, "string")))
        .collect::<Result<Vec<_>, _>>()?;
    for (i, key) in keys.iter().enumerate() {
        let Some(step) = map.get(key) else {
            return Ok(default.clone());
        };
        if i + 1 == keys.len() {
            return Ok(step);
        }
        map = match step {
            Value::Map(m) => m,
            other => return Err(conversion_error(&other, MAP_TYPE)),
        };
    }
    Ok(default.clone())
}

/// copystructure's `Copy`: new maps and lists all the way down; strings,
/// numbers, byte slices and host objects (immutable here) are shared.
fn deep_copy(v: &Value) -> Result<Value, FuncError> {
    if v.is_nil() {
        // copystructure asks the type of the nil it was given.
        return Err(FuncError::msg(
            "reflect: call of reflect.Value.Type on zero Value",
        ));
    }
    copy_value(v, 0)
}

fn copy_value(v: &Value, depth: usize) -> Result<Value, FuncError> {
    if depth > MAX_NESTING {
        return Err(FuncError::msg(
            "deepCopy: values nested too deeply (or cyclic)",
        ));
    }
    Ok(match v {
        Value::Map(m) => {
            let copy = Map::new();
            for (k, item) in m.entries() {
                copy.insert(k, copy_value(&item, depth + 1)?);
            }
            // The copy keeps a named map's type (`chartutil.Values`).
            Value::Map(match m.map_type() {
                Some(t) => copy.named(t),
                None => copy,
            })
        }
        Value::List(items) => Value::list(
            items
                .iter()
                .map(|item| copy_value(item, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        other => other.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str, data: &Value) -> Result<String, String> {
        crate::funcs::lists::tests::render_family(text, data)
    }

    fn ok(text: &str) -> String {
        render(text, &Value::Map(Map::new())).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn err(text: &str) -> String {
        let e = render(text, &Value::Map(Map::new())).expect_err(text);
        let at = e.find("error calling ").expect("a function error");
        e[at..].to_string()
    }

    fn map_of(pairs: &[(&str, Value)]) -> Map {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn building_and_reading() {
        assert_eq!(
            ok(r#"{{$t := dict "I" "shot" "the" "albatross"}}{{$t.the}} {{$t.I}}"#),
            "albatross shot"
        );
        assert_eq!(
            ok(r#"{{ dict "a" }} {{ dict nil 1 2 3 }}"#),
            "map[a:] map[2:3 <nil>:1]"
        );
        assert_eq!(
            ok(r#"{{ get (dict "one" 1) "one" }}|{{ get (dict) "x" }}|{{ get .x "a" }}"#),
            "1||"
        );
        assert_eq!(ok(r#"{{ get (dict "n" nil) "n" }}"#), "<no value>");
        assert_eq!(
            ok(r#"{{ hasKey (dict "one" 1) "one" }} {{ hasKey .x "a" }}"#),
            "true false"
        );
        assert_eq!(
            ok(r#"{{ pluck "two" (dict "two" 2) (dict) .x (dict "two" 3) }}"#),
            "[2 3]"
        );
        assert_eq!(
            ok(r#"{{ keys (dict "b" 1 "a" 2) (dict "c" 3) }} {{ dict | keys }}"#),
            "[a b c] []"
        );
        assert_eq!(
            ok(r#"{{ values (dict "b" 1 "a" 2) }} {{ values .x }}"#),
            "[2 1] []"
        );
        assert_eq!(
            ok(r#"{{ pick (dict "one" 1 "two" 2) "two" "three" }} {{ pick .x "a" }}"#),
            "map[two:2] map[]"
        );
        assert_eq!(
            ok(r#"{{ omit (dict "one" 1 "two" 2) "one" }} {{ omit .x "a" }}"#),
            "map[two:2] map[]"
        );
    }

    #[test]
    fn set_and_unset_mutate() {
        assert_eq!(
            ok(
                r#"{{- $d := dict "one" 1 "two" 2 -}}{{ $_ := set $d "three" 3 }}{{ $_ := unset $d "one" }}{{ $d }}"#
            ),
            "map[three:3 two:2]"
        );
        assert_eq!(
            err(r#"{{ set .x "a" 1 }}"#),
            "error calling set: assignment to entry in nil map"
        );
        assert_eq!(ok(r#"{{ unset .x "a" }}"#), "map[]");
    }

    #[test]
    fn dig_walks_and_fails_like_go() {
        let m = map_of(&[(
            "a",
            Value::Map(map_of(&[(
                "b",
                Value::Map(map_of(&[("c", Value::int(1))])),
            )])),
        )]);
        let data = Value::Map(map_of(&[("m", Value::Map(m))]));
        let dig = |t: &str| render(t, &data);
        assert_eq!(dig(r#"{{ dig "a" "b" "c" "" .m }}"#).unwrap(), "1");
        assert_eq!(dig(r#"{{ dig "a" "b" "z" "2" .m }}"#).unwrap(), "2");
        assert_eq!(dig(r#"{{ dig "a" "z" .m }}"#).unwrap(), "map[b:map[c:1]]");
        assert!(dig(r#"{{ dig "a" "b" "c" "d" "z" .m }}"#)
            .unwrap_err()
            .ends_with("error calling dig: interface conversion: interface {} is int, not map[string]interface {}"));
        assert_eq!(
            err(r#"{{ dig "a" "b" }}"#),
            "error calling dig: dig needs at least three arguments"
        );
        assert_eq!(
            err(r#"{{ dig 1 "z" (dict) }}"#),
            "error calling dig: interface conversion: interface {} is int, not string"
        );
        assert_eq!(err(r#"{{ dig "a" "z" nil }}"#), "error calling dig: interface conversion: interface {} is nil, not map[string]interface {}");
    }

    #[test]
    fn merge_fills_and_overwrites_like_mergo() {
        let cases = [
            (
                r#"{{ merge (dict "a" (list 1)) (dict "a" (list 2) "b" nil "c" "") }}"#,
                "map[a:[1] c:]",
            ),
            (
                r#"{{ mergeOverwrite (dict "a" (list 1) "b" 1 "c" 1 "d" (dict "x" 1)) (dict "a" (list) "b" nil "c" "" "d" (dict)) }}"#,
                "map[a:[] b:<nil> c: d:map[x:1]]",
            ),
            (
                r#"{{ merge (dict "d" (dict)) (dict "d" (dict "x" 1)) }}"#,
                "map[d:map[x:1]]",
            ),
            (
                r#"{{ merge (dict "d" "") (dict "d" (dict "x" 1)) }}"#,
                "map[d:map[x:1]]",
            ),
            (
                r#"{{ merge (dict "d" "s") (dict "d" (dict "x" 1)) }}"#,
                "map[d:s]",
            ),
            (
                r#"{{ mergeOverwrite (dict "d" "s") (dict "d" (dict "x" 1)) }}"#,
                "map[d:map[x:1]]",
            ),
            (
                r#"{{ mergeOverwrite (dict "d" (dict "x" 1)) (dict "d" "s") }}"#,
                "map[d:s]",
            ),
            (r#"{{ merge (dict "d" nil) (dict "d" 0) }}"#, "map[d:0]"),
            (
                r#"{{ merge .x (dict "a" 1) }} {{ merge .x .x }} {{ mustMerge (dict "a" 1) .x }}"#,
                "map[a:1] map[] map[a:1]",
            ),
        ];
        for (t, want) in cases {
            assert_eq!(ok(t), want, "{t}");
        }
    }

    #[test]
    fn merge_mutates_and_shares() {
        // Sprig's TestMerge data.
        let dst = map_of(&[
            ("a", Value::from("one")),
            ("c", Value::int(3)),
            ("d", Value::Map(map_of(&[("f", Value::int(5))]))),
            ("g", Value::list(vec![Value::int(8), Value::int(9)])),
            ("i", Value::from("eye")),
            ("k", Value::Map(map_of(&[("l", Value::Bool(true))]))),
        ]);
        let src1 = map_of(&[
            ("a", Value::int(1)),
            ("b", Value::int(2)),
            ("d", Value::Map(map_of(&[("e", Value::from("four"))]))),
            ("g", Value::list(vec![Value::int(6), Value::int(7)])),
            ("i", Value::from("aye")),
            ("j", Value::from("jay")),
            ("k", Value::Map(map_of(&[("l", Value::Bool(false))]))),
        ]);
        let src2 = map_of(&[
            ("h", Value::int(10)),
            ("i", Value::from("i")),
            ("j", Value::from("j")),
        ]);
        for (func, want) in [
            (
                "merge",
                "map[a:one b:2 c:3 d:map[e:four f:5] g:[8 9] h:10 i:eye j:jay k:map[l:true]]",
            ),
            (
                "mergeOverwrite",
                "map[a:1 b:2 c:3 d:map[e:four f:5] g:[6 7] h:10 i:i j:j k:map[l:false]]",
            ),
        ] {
            let dst = dst.deep_clone();
            let data = map_of(&[
                ("dst", Value::Map(dst.clone())),
                ("src1", Value::Map(src1.deep_clone())),
                ("src2", Value::Map(src2.deep_clone())),
            ]);
            let t = format!("{{{{{func} .dst .src1 .src2}}}}");
            assert_eq!(render(&t, &Value::Map(data)).unwrap(), want);
            assert_eq!(Value::Map(dst).to_string(), want);
        }
        // Nested maps taken from a source stay shared with it.
        assert_eq!(
            ok(r#"{{- $target := dict -}}
                {{- $one := dict "foo" (dict "bar" "baz") "qux" true -}}
                {{- $two := dict "foo" (dict "bar" "baz2") "qux" false -}}
                {{- $_ := mergeOverwrite $target $one }}{{ $_ := mergeOverwrite $target $two }}{{ $one }} {{ $target }}"#),
            "map[foo:map[bar:baz2] qux:true] map[foo:map[bar:baz2] qux:false]"
        );
    }

    #[test]
    fn cyclic_maps_fail_instead_of_overflowing() {
        let m = Map::new();
        m.insert("self", Value::Map(m.clone()));
        let data = Value::Map(map_of(&[("m", Value::Map(m.clone()))]));
        let e = render("{{ merge .m .m }}", &data).unwrap_err();
        assert!(e.contains("nested too deeply"), "{e}");
        let e = render("{{ deepCopy .m }}", &data).unwrap_err();
        assert!(e.contains("nested too deeply"), "{e}");
        m.remove("self");
    }

    #[test]
    fn deep_copy_is_independent() {
        assert_eq!(
            ok(
                r#"{{- $one := dict "foo" (dict "bar" "baz") "qux" true -}}{{ $c := deepCopy $one }}{{ $_ := set $c.foo "bar" 1 }}{{ $one }} {{ $c }}"#
            ),
            "map[foo:map[bar:baz] qux:true] map[foo:map[bar:1] qux:true]"
        );
        assert_eq!(
            ok(r#"{{ deepCopy (list 1 nil (dict "a" nil)) }} {{ deepCopy 1 | typeOf }}"#),
            "[1 <nil> map[a:<nil>]] int"
        );
        assert_eq!(
            err("{{ deepCopy .x }}"),
            "error calling deepCopy: reflect: call of reflect.Value.Type on zero Value"
        );
        assert_eq!(
            err("{{ mustDeepCopy nil }}"),
            "error calling mustDeepCopy: reflect: call of reflect.Value.Type on zero Value"
        );
    }
}
