//! Sprig v3.3.0's regular expression functions (`regex.go`): `regexMatch`,
//! `regexFind`, `regexFindAll`, `regexReplaceAll`,
//! `regexReplaceAllLiteral`, `regexSplit`, their `must…` forms, and
//! `regexQuoteMeta`, over a Go-compatible engine ([`GoRegex`]).
//!
//! The plain forms compile with Go's `regexp.MustCompile`, so a bad pattern
//! panics and the template reports the panic text
//! (``regexp: Compile(`a(`): error parsing regexp: …``); `regexMatch`
//! ignores the error and answers false; the `must…` forms return the
//! compile error itself.

mod engine;
pub mod syntax;

pub use engine::{quote_meta, GoRegex, Span};
pub use syntax::SyntaxError;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use crate::template::{Context, Func, FuncError, ParamType, Templates};
use crate::value::Value;

type Compiled = Result<Rc<GoRegex>, SyntaxError>;

thread_local! {
    /// Compiled patterns, kept across executions on this thread (Sprig
    /// compiles on every call; charts call helpers with the same pattern
    /// in every template, and compiling costs far more than matching).
    static CACHE: RefCell<BTreeMap<String, Compiled>> = const { RefCell::new(BTreeMap::new()) };
}

const CACHE_LIMIT: usize = 256;

fn compile(_ctx: &mut Context<'_>, expr: &str) -> Compiled {
    if let Some(hit) = CACHE.with(|c| c.borrow().get(expr).cloned()) {
        return hit;
    }
    let compiled = GoRegex::compile(expr).map(Rc::new);
    CACHE.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(expr.to_string(), compiled.clone());
    });
    compiled
}

/// `regexp.MustCompile`: the panic text on error.
fn must_compile(ctx: &mut Context<'_>, expr: &str) -> Result<Rc<GoRegex>, FuncError> {
    compile(ctx, expr).map_err(|e| FuncError::msg(GoRegex::must_compile_message(expr, &e)))
}

/// `regexp.Compile`: the error itself.
fn try_compile(ctx: &mut Context<'_>, expr: &str) -> Result<Rc<GoRegex>, FuncError> {
    compile(ctx, expr).map_err(|e| FuncError::msg(e.to_string()))
}

fn str_arg(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

fn int_arg(v: &Value) -> i64 {
    match v {
        Value::Int(n, _) => *n,
        _ => 0,
    }
}

/// A Go `[]string` result.
fn strings(items: Vec<&str>) -> Value {
    Value::list(items.into_iter().map(Value::from).collect())
}

type Compiler = fn(&mut Context<'_>, &str) -> Result<Rc<GoRegex>, FuncError>;

/// The plain forms return a single value in Go (a bad pattern panics);
/// the `must…` forms return `(T, error)`.
fn with_go_results(name: &str, f: Func) -> Func {
    if name.starts_with("must") {
        f
    } else {
        f.infallible()
    }
}

/// Registers `name` (a bad pattern panics, as Go's `MustCompile`) and
/// `must<Name>` (a bad pattern is the function's error), both applying `op`
/// to the compiled pattern (the first argument) and the arguments.
fn register_pair(
    set: &mut Templates,
    name: &str,
    params: &[ParamType],
    op: fn(&GoRegex, &[Value]) -> Value,
) {
    let must_name = format!("must{}{}", name[..1].to_uppercase(), &name[1..]);
    for (name, compiler) in [
        (name.to_string(), must_compile as Compiler),
        (must_name, try_compile),
    ] {
        let f = Func::new(params.to_vec(), move |ctx, args| {
            let re = compiler(ctx, str_arg(&args[0]))?;
            Ok(op(&re, &args))
        });
        let f = with_go_results(&name, f);
        set.add_func(name, f);
    }
}

/// Registers the regex functions.
pub fn register(set: &mut Templates) {
    use ParamType::String as S;

    set.add_func(
        "regexMatch",
        Func::new([S, S], |ctx, args| {
            let matched = compile(ctx, str_arg(&args[0]))
                .map(|re| re.is_match(str_arg(&args[1])))
                .unwrap_or(false);
            Ok(Value::Bool(matched))
        })
        .infallible(),
    );
    set.add_func(
        "mustRegexMatch",
        Func::new([S, S], |ctx, args| {
            let re = try_compile(ctx, str_arg(&args[0]))?;
            Ok(Value::Bool(re.is_match(str_arg(&args[1]))))
        }),
    );

    let find_all = |re: &GoRegex, args: &[Value]| {
        strings(re.find_all_string(str_arg(&args[1]), int_arg(&args[2])))
    };
    let find = |re: &GoRegex, args: &[Value]| Value::from(re.find_string(str_arg(&args[1])));
    let replace = |re: &GoRegex, args: &[Value]| {
        Value::from(re.replace_all(str_arg(&args[1]), str_arg(&args[2])))
    };
    let replace_literal = |re: &GoRegex, args: &[Value]| {
        Value::from(re.replace_all_literal(str_arg(&args[1]), str_arg(&args[2])))
    };
    let split =
        |re: &GoRegex, args: &[Value]| strings(re.split(str_arg(&args[1]), int_arg(&args[2])));
    register_pair(set, "regexFindAll", &[S, S, ParamType::INT], find_all);
    register_pair(set, "regexFind", &[S, S], find);
    register_pair(set, "regexReplaceAll", &[S, S, S], replace);
    register_pair(set, "regexReplaceAllLiteral", &[S, S, S], replace_literal);
    register_pair(set, "regexSplit", &[S, S, ParamType::INT], split);
    set.add_func(
        "regexQuoteMeta",
        Func::new([S], |_ctx, args| {
            Ok(Value::from(quote_meta(str_arg(&args[0]))))
        })
        .infallible(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str) -> Result<String, String> {
        let mut set = Templates::new();
        register(&mut set);
        set.parse("t", text).map_err(|e| e.to_string())?;
        set.execute("t", &Value::Nil).map_err(|e| e.to_string())
    }

    #[test]
    fn functions_render_like_sprig() {
        assert_eq!(
            render(r#"{{ regexMatch "^[a-z]+$" "abc" }}"#).unwrap(),
            "true"
        );
        assert_eq!(render(r#"{{ regexMatch "a(" "abc" }}"#).unwrap(), "false");
        assert_eq!(
            render(r#"{{ regexFindAll "a." "abacad" -1 }}"#).unwrap(),
            "[ab ac ad]"
        );
        assert_eq!(
            render(r#"{{ regexFindAll "a." "abacad" 0 }}"#).unwrap(),
            "[]"
        );
        assert_eq!(render(r#"{{ regexFind "c." "abacad" }}"#).unwrap(), "ca");
        assert_eq!(
            render(r#"{{ regexReplaceAll "(\\w+)@" "joe@x" "<${1}>" }}"#).unwrap(),
            "<joe>x"
        );
        assert_eq!(
            render(r#"{{ regexSplit "[,;]" "a,b;c" -1 }}"#).unwrap(),
            "[a b c]"
        );
        assert_eq!(render(r#"{{ regexQuoteMeta "a+b" }}"#).unwrap(), r"a\+b");
    }

    #[test]
    fn compile_errors_match_go() {
        assert_eq!(
            render(r#"{{ regexFind "a(" "x" }}"#).unwrap_err(),
            "template: t:1:3: executing \"t\" at <regexFind \"a(\" \"x\">: error calling \
             regexFind: regexp: Compile(`a(`): error parsing regexp: missing closing ): `a(`"
        );
        assert_eq!(
            render(r#"{{ mustRegexFind "a(" "x" }}"#).unwrap_err(),
            "template: t:1:3: executing \"t\" at <mustRegexFind \"a(\" \"x\">: error calling \
             mustRegexFind: error parsing regexp: missing closing ): `a(`"
        );
    }
}
