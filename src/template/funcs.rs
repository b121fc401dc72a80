//! Go's builtin template functions (`text/template/funcs.go`): `and`, `or`,
//! `not`, `len`, `index`, `slice`, `print`, `printf`, `println`, `html`,
//! `js`, `urlquery`, `call`, and the comparisons `eq`, `ne`, `lt`, `le`,
//! `gt`, `ge`, with Go's error texts.
//!
//! The builtins take `reflect.Value` parameters in Go, so they see values
//! exactly as the executor holds them ([`Rv`]); `and`, `or` and `call` are
//! special cases of the executor's call path (short-circuiting, the callee's
//! name) and live there.

use std::collections::BTreeMap;

use super::complex::Complex;
use super::exec::rv::Rv;
use super::fmt;
use super::function::{Func, ParamType};
use crate::value::{Kind, UintType, Value};

/// Go's builtin functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Builtin {
    And,
    Or,
    Call,
    Html,
    Index,
    Slice,
    Js,
    Len,
    Not,
    Print,
    Printf,
    Println,
    UrlQuery,
    Eq,
    Ge,
    Gt,
    Le,
    Lt,
    Ne,
}

/// The builtin function table with Go's signatures.
pub(crate) fn builtins() -> BTreeMap<&'static str, Func> {
    use Builtin::*;
    let value = || vec![ParamType::Value];
    let table: [(&str, Builtin, Vec<ParamType>, Option<ParamType>); 19] = [
        ("and", And, value(), Some(ParamType::Value)),
        ("call", Call, value(), Some(ParamType::Value)),
        ("html", Html, vec![], Some(ParamType::Any)),
        ("index", Index, value(), Some(ParamType::Value)),
        ("slice", Slice, value(), Some(ParamType::Value)),
        ("js", Js, vec![], Some(ParamType::Any)),
        ("len", Len, value(), None),
        ("not", Not, value(), None),
        ("or", Or, value(), Some(ParamType::Value)),
        ("print", Print, vec![], Some(ParamType::Any)),
        (
            "printf",
            Printf,
            vec![ParamType::String],
            Some(ParamType::Any),
        ),
        ("println", Println, vec![], Some(ParamType::Any)),
        ("urlquery", UrlQuery, vec![], Some(ParamType::Any)),
        ("eq", Eq, value(), Some(ParamType::Value)),
        ("ge", Ge, vec![ParamType::Value, ParamType::Value], None),
        ("gt", Gt, vec![ParamType::Value, ParamType::Value], None),
        ("le", Le, vec![ParamType::Value, ParamType::Value], None),
        ("lt", Lt, vec![ParamType::Value, ParamType::Value], None),
        ("ne", Ne, vec![ParamType::Value, ParamType::Value], None),
    ];
    table
        .into_iter()
        .map(|(name, b, params, variadic)| (name, Func::builtin(params, variadic, b)))
        .collect()
}

/// Runs a builtin other than `and`, `or` and `call` on already converted
/// arguments. Errors are the Go error texts (the caller adds
/// `error calling NAME: `).
///
/// The larger builtins (`index`, `slice`, `html`, `js`) stay
/// [out of line](crate#functions-kept-out-of-line): this dispatcher is hot.
pub(crate) fn run(b: Builtin, args: Vec<Rv>) -> Result<Rv, String> {
    let mut args = args.into_iter();
    let mut next = || args.next().unwrap_or(Rv::Invalid);
    let boolean = |b: bool| Rv::Val(Value::Bool(b));
    match b {
        Builtin::Len => length(&next()).map(|n| Rv::Val(Value::int(n as i64))),
        Builtin::Not => Ok(boolean(!next().truth())),
        Builtin::Index => {
            let item = next();
            index(item, args.collect())
        }
        Builtin::Slice => {
            let item = next();
            slice(item, args.collect())
        }
        Builtin::Print => Ok(go_string(fmt::append(&values(args)))),
        Builtin::Println => Ok(go_string(fmt::appendln(&values(args)))),
        Builtin::Printf => {
            let format = next().into_value();
            let format = format.as_str().unwrap_or_default().to_string();
            Ok(go_string(fmt::appendf(&format, &values(args))))
        }
        Builtin::Html => Ok(string(html_escape(&eval_args(values(args))))),
        Builtin::Js => Ok(string(js_escape(&eval_args(values(args))))),
        Builtin::UrlQuery => Ok(string(query_escape(&eval_args(values(args))))),
        Builtin::Eq => {
            let first = next();
            eq(&first, &args.collect::<Vec<_>>()).map(boolean)
        }
        Builtin::Ne => {
            let (a, b) = (next(), next());
            eq(&a, std::slice::from_ref(&b)).map(|t| boolean(!t))
        }
        Builtin::Lt => {
            let (a, b) = (next(), next());
            lt(&a, &b).map(boolean)
        }
        Builtin::Le => {
            let (a, b) = (next(), next());
            le(&a, &b).map(boolean)
        }
        Builtin::Gt => {
            let (a, b) = (next(), next());
            le(&a, &b).map(|t| boolean(!t))
        }
        Builtin::Ge => {
            let (a, b) = (next(), next());
            lt(&a, &b).map(|t| boolean(!t))
        }
        Builtin::And | Builtin::Or | Builtin::Call => {
            Err("internal error: builtin is evaluated by the executor".to_string())
        }
    }
}

fn string(s: String) -> Rv {
    Rv::Val(Value::from(s))
}

/// What Go's `fmt.Sprint` family returns: a string of the printed bytes.
fn go_string(bytes: Vec<u8>) -> Rv {
    Rv::Val(Value::go_string_from_vec(bytes))
}

fn values(args: impl Iterator<Item = Rv>) -> Vec<Value> {
    args.map(Rv::into_value).collect()
}

/// Go's `length`.
fn length(item: &Rv) -> Result<usize, String> {
    let v = match item {
        Rv::Iface(Value::Nil) => return Err("len of nil pointer".into()),
        // Go asks the zero reflect.Value for its type, which panics; the
        // panic becomes the function's error.
        Rv::Invalid => return Err("reflect: call of reflect.Value.Type on zero Value".into()),
        Rv::Val(v) | Rv::Iface(v) => v,
    };
    match v {
        Value::String(_) | Value::ByteString(_) => Ok(v.as_go_bytes().unwrap_or_default().len()),
        Value::List(l) => Ok(l.len()),
        Value::Bytes(b) => Ok(b.len()),
        Value::Map(m) => Ok(m.len()),
        Value::Object(o) => match (o.map_entries(), o.list_items()) {
            (Some(entries), _) => Ok(entries.len()),
            (_, Some(items)) => Ok(items.len()),
            _ => Err(format!("len of type {}", o.type_name())),
        },
        other => Err(format!("len of type {}", other.type_name())),
    }
}

/// Go's `indexArg` on an index that may still be in an interface slot.
fn index_arg(index: &Rv, cap: usize) -> Result<usize, String> {
    let x = match index {
        Rv::Invalid => return Err("cannot index slice/array with nil".into()),
        Rv::Iface(_) => return Err("cannot index slice/array with type interface {}".into()),
        Rv::Val(Value::Int(i, _)) => *i,
        Rv::Val(Value::Uint(u, _)) => *u as i64,
        Rv::Val(Value::Object(o)) if o.int_value().is_some() => o.int_value().map_or(0, |(i, _)| i),
        Rv::Val(v) => {
            return Err(format!(
                "cannot index slice/array with type {}",
                v.type_name()
            ))
        }
    };
    if x < 0 || x as u64 > cap as u64 {
        return Err(format!("index out of range: {x}"));
    }
    Ok(x as usize)
}

/// Go's `index`: `index x 1 2` is `x[1][2]`.
#[inline(never)]
fn index(item: Rv, indexes: Vec<Rv>) -> Result<Rv, String> {
    let mut item = match item.concrete() {
        None => return Err("index of untyped nil".into()),
        Some(v) => Rv::Val(v.clone()),
    };
    for index in indexes {
        let index = match index.concrete() {
            None => Rv::Invalid,
            Some(v) => Rv::Val(v.clone()),
        };
        let cur = match item {
            Rv::Iface(Value::Nil) | Rv::Invalid => return Err("index of nil pointer".into()),
            Rv::Val(v) | Rv::Iface(v) => v,
        };
        item = match &cur {
            Value::List(l) => {
                let x = index_arg(&index, l.len())?;
                match l.get(x) {
                    Some(e) => Rv::elem(e.clone()),
                    None => return Err("reflect: slice index out of range".into()),
                }
            }
            Value::Bytes(b) => {
                let x = index_arg(&index, b.len())?;
                match b.get(x) {
                    Some(e) => Rv::Val(Value::Uint(u64::from(*e), UintType::Uint8)),
                    None => return Err("reflect: slice index out of range".into()),
                }
            }
            Value::String(_) | Value::ByteString(_) => {
                let s = cur.as_go_bytes().unwrap_or_default();
                let x = index_arg(&index, s.len())?;
                match s.get(x) {
                    Some(e) => Rv::Val(Value::Uint(u64::from(*e), UintType::Uint8)),
                    None => return Err("reflect: string index out of range".into()),
                }
            }
            Value::Map(m) => {
                let key = map_key(&index)?;
                Rv::elem(m.get(&key).unwrap_or(Value::Nil))
            }
            Value::Object(o) if o.list_items().is_some() => {
                let items = o.list_items().unwrap_or_default();
                let x = index_arg(&index, items.len())?;
                match items.get(x) {
                    Some(e) => Rv::Val(e.clone()),
                    None => return Err("reflect: slice index out of range".into()),
                }
            }
            Value::Object(o) if o.map_entries().is_some() => {
                let key = map_key(&index)?;
                let entries = o.map_entries().unwrap_or_default();
                match entries.into_iter().find(|(k, _)| **k == *key) {
                    Some((_, v)) => Rv::of(v),
                    None => Rv::elem(Value::Nil),
                }
            }
            other => return Err(format!("can't index item of type {}", other.type_name())),
        };
    }
    Ok(item)
}

/// Go's `prepareArg` for a string map key.
fn map_key(index: &Rv) -> Result<std::rc::Rc<str>, String> {
    match index.concrete() {
        None => Err("value is nil; should be of type string".into()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(Value::ByteString(s)) => Ok(s.text().clone()),
        Some(v) => Err(format!(
            "value has type {}; should be string",
            v.type_name()
        )),
    }
}

/// Go's `slice`: `slice x 1 2` is `x[1:2]`, `slice x 1 2 3` is `x[1:2:3]`.
#[inline(never)]
fn slice(item: Rv, indexes: Vec<Rv>) -> Result<Rv, String> {
    let item = match item.concrete() {
        None => return Err("slice of untyped nil".into()),
        Some(v) => v.clone(),
    };
    if indexes.len() > 3 {
        return Err(format!("too many slice indexes: {}", indexes.len()));
    }
    let len = match &item {
        Value::String(_) | Value::ByteString(_) => {
            if indexes.len() == 3 {
                return Err("cannot 3-index slice a string".into());
            }
            item.as_go_bytes().unwrap_or_default().len()
        }
        Value::List(l) => l.len(),
        Value::Bytes(b) => b.len(),
        other => return Err(format!("can't slice item of type {}", other.type_name())),
    };
    let mut idx = [0, len, 0];
    for (i, index) in indexes.iter().enumerate() {
        idx[i] = index_arg(index, len)?;
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]));
    }
    if indexes.len() == 3 && idx[1] > idx[2] {
        return Err(format!("invalid slice index: {} > {}", idx[1], idx[2]));
    }
    let (i, j) = (idx[0], idx[1]);
    Ok(Rv::Val(match &item {
        // A cut through a character leaves bytes that are not UTF-8.
        Value::String(_) | Value::ByteString(_) => {
            Value::go_string(&item.as_go_bytes().unwrap_or_default()[i..j])
        }
        Value::List(l) => Value::list(l[i..j].to_vec()),
        Value::Bytes(b) => Value::bytes(&b[i..j]),
        _ => Value::Nil,
    }))
}

/// Go's `basicKind` classes for comparisons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BasicKind {
    Invalid,
    Bool,
    Complex,
    Int,
    Float,
    String,
    Uint,
}

fn basic_kind(v: Option<&Value>) -> BasicKind {
    match v {
        Some(Value::Bool(_)) => BasicKind::Bool,
        Some(Value::Int(..)) => BasicKind::Int,
        // Named integer types (`time.Month`) compare by their basic kind.
        Some(Value::Object(o)) if o.int_value().is_some() => BasicKind::Int,
        Some(Value::Uint(..)) => BasicKind::Uint,
        Some(Value::Float(_) | Value::Float32(_)) => BasicKind::Float,
        Some(Value::String(_) | Value::ByteString(_)) => BasicKind::String,
        Some(v) if Complex::from_value(v).is_some() => BasicKind::Complex,
        _ => BasicKind::Invalid,
    }
}

fn int_of(v: Option<&Value>) -> i64 {
    match v {
        Some(Value::Int(i, _)) => *i,
        Some(Value::Object(o)) => o.int_value().map_or(0, |(i, _)| i),
        _ => 0,
    }
}

fn uint_of(v: Option<&Value>) -> u64 {
    match v {
        Some(Value::Uint(u, _)) => *u,
        _ => 0,
    }
}

fn float_of(v: Option<&Value>) -> f64 {
    match v {
        Some(Value::Float(f)) => *f,
        Some(Value::Float32(f)) => f64::from(*f),
        _ => 0.0,
    }
}

fn type_of(v: Option<&Value>) -> String {
    v.map_or_else(|| "<nil>".to_string(), Value::type_name)
}

const BAD_COMPARISON_TYPE: &str = "invalid type for comparison";

/// Go's `eq`: `arg1 == arg2 || arg1 == arg3 || …`.
fn eq(arg1: &Rv, rest: &[Rv]) -> Result<bool, String> {
    let a1 = arg1.concrete();
    if rest.is_empty() {
        return Err("missing argument for comparison".into());
    }
    let k1 = basic_kind(a1);
    for arg in rest {
        let a = arg.concrete();
        let k2 = basic_kind(a);
        let truth = if k1 != k2 {
            match (k1, k2) {
                (BasicKind::Int, BasicKind::Uint) => {
                    int_of(a1) >= 0 && int_of(a1) as u64 == uint_of(a)
                }
                (BasicKind::Uint, BasicKind::Int) => {
                    int_of(a) >= 0 && uint_of(a1) == int_of(a) as u64
                }
                _ => {
                    if a1.is_some() && a.is_some() {
                        return Err(format!(
                            "incompatible types for comparison: {} and {}",
                            type_of(a1),
                            type_of(a)
                        ));
                    }
                    false
                }
            }
        } else {
            match k1 {
                BasicKind::Bool => {
                    matches!((a1, a), (Some(Value::Bool(x)), Some(Value::Bool(y))) if x == y)
                }
                BasicKind::Complex => {
                    a1.and_then(Complex::from_value) == a.and_then(Complex::from_value)
                }
                BasicKind::Float => float_of(a1) == float_of(a),
                BasicKind::Int => int_of(a1) == int_of(a),
                BasicKind::Uint => uint_of(a1) == uint_of(a),
                BasicKind::String => {
                    a1.and_then(Value::as_go_bytes) == a.and_then(Value::as_go_bytes)
                }
                BasicKind::Invalid => compare_other(a1, a)?,
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

fn kind_of(v: Option<&Value>) -> Kind {
    v.map_or(Kind::Invalid, Value::kind)
}

/// `eq` on values that are not basic kinds: nil checks and Go's `==` on
/// comparable types.
fn compare_other(a1: Option<&Value>, a: Option<&Value>) -> Result<bool, String> {
    let (k1, k2) = (kind_of(a1), kind_of(a));
    if k1 != k2 && k1 != Kind::Invalid && k2 != Kind::Invalid {
        return Err(format!(
            "non-comparable types {}: {}, {}: {}",
            sprint_verb("%s", a1),
            type_of(a1),
            type_of(a),
            sprint_verb("%v", a)
        ));
    }
    let (x, y) = match (a1, a) {
        (Some(x), Some(y)) => (x, y),
        (x, y) => return Ok(x.is_none() == y.is_none()),
    };
    match y {
        Value::Map(_) | Value::List(_) | Value::Bytes(_) => Err(format!(
            "non-comparable type {}: {}",
            sprint_verb("%s", Some(y)),
            y.type_name()
        )),
        Value::Object(o2) => Ok(match x {
            Value::Object(o1) => {
                std::rc::Rc::ptr_eq(o1, o2)
                    || (o1.type_name() == o2.type_name() && o1.format() == o2.format())
            }
            _ => false,
        }),
        _ => Ok(false),
    }
}

fn sprint_verb(verb: &str, v: Option<&Value>) -> String {
    fmt::sprintf(verb, &[v.cloned().unwrap_or(Value::Nil)])
}

/// Go's `lt`.
fn lt(arg1: &Rv, arg2: &Rv) -> Result<bool, String> {
    let (a1, a2) = (arg1.concrete(), arg2.concrete());
    let (k1, k2) = (basic_kind(a1), basic_kind(a2));
    if k1 == BasicKind::Invalid || k2 == BasicKind::Invalid {
        return Err(BAD_COMPARISON_TYPE.into());
    }
    if k1 != k2 {
        return match (k1, k2) {
            (BasicKind::Int, BasicKind::Uint) => {
                Ok(int_of(a1) < 0 || (int_of(a1) as u64) < uint_of(a2))
            }
            (BasicKind::Uint, BasicKind::Int) => {
                Ok(int_of(a2) >= 0 && uint_of(a1) < int_of(a2) as u64)
            }
            _ => Err(format!(
                "incompatible types for comparison: {} and {}",
                type_of(a1),
                type_of(a2)
            )),
        };
    }
    match k1 {
        BasicKind::Float => Ok(float_of(a1) < float_of(a2)),
        BasicKind::Int => Ok(int_of(a1) < int_of(a2)),
        BasicKind::Uint => Ok(uint_of(a1) < uint_of(a2)),
        BasicKind::String => Ok(a1.and_then(Value::as_go_bytes) < a2.and_then(Value::as_go_bytes)),
        _ => Err(BAD_COMPARISON_TYPE.into()),
    }
}

/// Go's `le`: `lt` or `eq`.
fn le(arg1: &Rv, arg2: &Rv) -> Result<bool, String> {
    if lt(arg1, arg2)? {
        return Ok(true);
    }
    eq(arg1, std::slice::from_ref(arg2))
}

/// Go's `evalArgs`: one string argument as is; otherwise `fmt.Sprint` of the
/// arguments with missing values shown as `<no value>`.
pub(crate) fn eval_args(args: Vec<Value>) -> String {
    if let [Value::String(s)] = args.as_slice() {
        return s.to_string();
    }
    let args: Vec<Value> = args
        .into_iter()
        .map(|a| match a {
            Value::Nil => Value::from("<no value>"),
            a => a,
        })
        .collect();
    fmt::sprint(&args)
}

/// Go's `HTMLEscapeString`.
#[inline(never)]
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Go's `JSEscapeString`.
#[inline(never)]
pub fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if c < ' ' => out.push_str(&format!("\\u00{:02X}", c as u32)),
            c if c.is_ascii() || crate::template::strconv::is_print(c) => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    out
}

/// Go's `url.QueryEscape`.
pub fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn val(v: impl Into<Value>) -> Rv {
        Rv::Val(v.into())
    }

    #[test]
    fn escapers() {
        assert_eq!(
            html_escape("<a href=\"x\">'&'</a>\0"),
            "&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;\u{FFFD}"
        );
        assert_eq!(
            js_escape("It'd be <nice> = \"\\\"\u{1}"),
            "It\\'d be \\u003Cnice\\u003E \\u003D \\\"\\\\\\\"\\u0001"
        );
        assert_eq!(
            js_escape("unprintable \u{FFFE} 日本"),
            "unprintable \\uFFFE 日本"
        );
        assert_eq!(
            query_escape("http://www.example.org/ a~"),
            "http%3A%2F%2Fwww.example.org%2F+a~"
        );
    }

    #[test]
    fn index_and_slice_errors() {
        let list = val(Value::list(vec![
            Value::int(3),
            Value::int(4),
            Value::int(5),
        ]));
        assert_eq!(
            index(list.clone(), vec![val(Value::int(10))]).unwrap_err(),
            "index out of range: 10"
        );
        assert_eq!(
            index(list.clone(), vec![val("x")]).unwrap_err(),
            "cannot index slice/array with type string"
        );
        assert_eq!(
            index(list.clone(), vec![Rv::Invalid]).unwrap_err(),
            "cannot index slice/array with nil"
        );
        assert_eq!(
            index(Rv::Invalid, vec![]).unwrap_err(),
            "index of untyped nil"
        );
        assert!(matches!(
            index(list.clone(), vec![val(Value::int(1))]),
            Ok(Rv::Iface(Value::Int(4, _)))
        ));
        assert_eq!(
            slice(list.clone(), vec![val(Value::int(2)), val(Value::int(1))]).unwrap_err(),
            "invalid slice index: 2 > 1"
        );
        assert_eq!(
            slice(
                val("xyz"),
                vec![val(Value::int(1)), val(Value::int(2)), val(Value::int(2))]
            )
            .unwrap_err(),
            "cannot 3-index slice a string"
        );
        assert!(
            matches!(slice(val("xyz"), vec![val(Value::int(1))]), Ok(Rv::Val(Value::String(s))) if &*s == "yz")
        );
    }

    #[test]
    fn comparisons() {
        let three = val(Value::int(3));
        let uthree = val(Value::Uint(3, UintType::Uint));
        assert_eq!(eq(&three, std::slice::from_ref(&uthree)), Ok(true));
        assert_eq!(lt(&val(Value::int(-1)), &uthree), Ok(true));
        assert_eq!(
            eq(&val(Value::int(2)), &[val(2.0)]).unwrap_err(),
            "incompatible types for comparison: int and float64"
        );
        assert_eq!(
            lt(&val(true), &val(true)).unwrap_err(),
            "invalid type for comparison"
        );
        assert_eq!(eq(&Rv::Invalid, &[Rv::elem(Value::Nil)]), Ok(true));
        assert_eq!(eq(&Rv::Invalid, &[val(Value::int(0))]), Ok(false));
        assert_eq!(le(&val("xy"), &val("xy")), Ok(true));
        assert_eq!(
            length(&Rv::elem(Value::Nil)).unwrap_err(),
            "len of nil pointer"
        );
        assert_eq!(length(&three).unwrap_err(), "len of type int");
    }
}
