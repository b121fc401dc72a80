//! Sprig's conversions between values, strings and lists of strings:
//! `toString` (`strval`), `toStrings` (`strslice`), `join`, `sortAlpha`,
//! `split`, `splitn`, `splitList`, `quote`, `squote` and `cat`.
//!
//! `strslice` drops nil elements and turns the rest into strings with
//! `strval`; any other slice (a `[]byte`) yields its elements' `%v`
//! forms; a nil yields an empty list and any other value a list of one.
//! `split` and `splitn` return a `map[string]string` keyed `_0`, `_1`, ….

use super::{int_arg, str_arg};
use crate::funcs::cast::to_string;
use crate::template::fmt::quote_bytes;
use crate::template::strconv::quote;
use crate::template::{Func, ParamType, Templates};
use crate::value::{Kind, Map, Value};

/// Sprig's `strslice`.
pub(crate) fn strslice(v: &Value) -> Vec<String> {
    match v {
        Value::List(items) => items
            .iter()
            .filter(|item| !item.is_nil())
            .map(to_string)
            .collect(),
        Value::Bytes(bytes) => bytes.iter().map(u8::to_string).collect(),
        Value::Nil => Vec::new(),
        other => vec![to_string(other)],
    }
}

/// Sprig's `sortAlpha`: the sorted `strslice` of a slice; any other value
/// (nil included) as a list of its one `strval`.
fn sort_alpha(v: &Value) -> Vec<String> {
    if v.kind() != Kind::Slice {
        return vec![to_string(v)];
    }
    let mut items = strslice(v);
    items.sort_unstable();
    items
}

/// Go's `strings.SplitN` (`n < 0`: all parts); an empty separator splits
/// after every rune.
fn split_n<'a>(s: &'a str, sep: &str, n: i64) -> Vec<&'a str> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        let runes = s.chars().count() as i64;
        let n = if n < 0 || n > runes { runes } else { n };
        let mut parts = Vec::with_capacity(n as usize);
        let mut rest = s;
        for _ in 1..n {
            let size = rest.chars().next().map_or(0, char::len_utf8);
            parts.push(&rest[..size]);
            rest = &rest[size..];
        }
        if n > 0 {
            parts.push(rest);
        }
        return parts;
    }
    if n < 0 {
        s.split(sep).collect()
    } else {
        s.splitn(n.min(s.len() as i64 + 1) as usize, sep).collect()
    }
}

fn strings_list(items: Vec<String>) -> Value {
    Value::list(items.into_iter().map(Value::from).collect())
}

/// The `map[string]string` Sprig's `split` and `splitn` build.
fn indexed_map(parts: Vec<&str>) -> Value {
    let map: Map = parts
        .into_iter()
        .enumerate()
        .map(|(i, part)| (format!("_{i}"), Value::from(part)))
        .collect();
    Value::Map(map)
}

/// `%q` of a value's `strval`, keeping a byte slice's bytes as they are.
fn quote_value(v: &Value) -> String {
    match v {
        Value::Bytes(bytes) => quote_bytes(bytes, false),
        Value::ByteString(s) => quote_bytes(s.bytes(), false),
        other => quote(&to_string(other)),
    }
}

/// Registers the conversion functions.
pub(super) fn register(set: &mut Templates) {
    set.add_func(
        "toString",
        Func::new([ParamType::Any], |_, args| {
            // Go's strings and `string([]byte)` keep their bytes.
            Ok(match &args[0] {
                Value::Bytes(bytes) => Value::go_string(bytes.clone()),
                s @ Value::ByteString(_) => s.clone(),
                other => Value::from(to_string(other)),
            })
        })
        .infallible(),
    );
    set.add_func(
        "toStrings",
        Func::new([ParamType::Any], |_, args| {
            Ok(strings_list(strslice(&args[0])))
        })
        .infallible(),
    );
    set.add_func(
        "join",
        Func::new([ParamType::String, ParamType::Any], |_, args| {
            Ok(Value::from(strslice(&args[1]).join(str_arg(&args[0]))))
        })
        .infallible(),
    );
    set.add_func(
        "sortAlpha",
        Func::new([ParamType::Any], |_, args| {
            Ok(strings_list(sort_alpha(&args[0])))
        })
        .infallible(),
    );
    set.add_func(
        "split",
        Func::new([ParamType::String, ParamType::String], |_, args| {
            Ok(indexed_map(split_n(
                str_arg(&args[1]),
                str_arg(&args[0]),
                -1,
            )))
        })
        .infallible(),
    );
    set.add_func(
        "splitn",
        Func::new(
            [ParamType::String, ParamType::INT, ParamType::String],
            |_, args| {
                let (sep, n, s) = (str_arg(&args[0]), int_arg(&args[1]), str_arg(&args[2]));
                Ok(indexed_map(split_n(s, sep, n)))
            },
        )
        .infallible(),
    );
    set.add_func(
        "splitList",
        Func::new([ParamType::String, ParamType::String], |_, args| {
            let parts = split_n(str_arg(&args[1]), str_arg(&args[0]), -1);
            Ok(Value::list(parts.into_iter().map(Value::from).collect()))
        })
        .infallible(),
    );
    set.add_func(
        "quote",
        Func::variadic([], ParamType::Any, |_, args| {
            let quoted: Vec<String> = args
                .iter()
                .filter(|v| !v.is_nil())
                .map(quote_value)
                .collect();
            Ok(Value::from(quoted.join(" ")))
        })
        .infallible(),
    );
    set.add_func(
        "squote",
        Func::variadic([], ParamType::Any, |_, args| {
            let quoted: Vec<String> = args
                .iter()
                .filter(|v| !v.is_nil())
                .map(|v| format!("'{v}'"))
                .collect();
            Ok(Value::from(quoted.join(" ")))
        })
        .infallible(),
    );
    set.add_func(
        "cat",
        Func::variadic([], ParamType::Any, |_, args| {
            let parts: Vec<String> = args
                .iter()
                .filter(|v| !v.is_nil())
                .map(Value::to_string)
                .collect();
            Ok(Value::from(parts.join(" ")))
        })
        .infallible(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_go() {
        assert_eq!(split_n("a,b,c", ",", -1), ["a", "b", "c"]);
        assert_eq!(split_n("a,b,c", ",", 2), ["a", "b,c"]);
        assert_eq!(split_n("a,b,c", ",", 0), Vec::<&str>::new());
        assert_eq!(split_n("", ",", -1), [""]);
        assert_eq!(split_n("", "", -1), Vec::<&str>::new());
        assert_eq!(split_n("héllo", "", -1), ["h", "é", "l", "l", "o"]);
        assert_eq!(split_n("héllo", "", 2), ["h", "éllo"]);
    }

    #[test]
    fn strslice_like_sprig() {
        let list = Value::list(vec![Value::int(1), Value::Nil, Value::from("x")]);
        assert_eq!(strslice(&list), ["1", "x"]);
        assert_eq!(strslice(&Value::bytes(&b"hi"[..])), ["104", "105"]);
        assert_eq!(strslice(&Value::Nil), Vec::<String>::new());
        assert_eq!(strslice(&Value::from("abc")), ["abc"]);
        assert_eq!(sort_alpha(&Value::Nil), ["<nil>"]);
    }
}
