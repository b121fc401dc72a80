//! Sprig v3.3.0's string functions (`strings.go` and the string entries of
//! `functions.go`): Go's `strings` package (`trim`, `upper`, `title`,
//! `repeat`, `replace`, `contains`…), Masterminds/goutils v1.1.1 (`abbrev`,
//! `initials`, `wrap`, `swapcase`, `nospace`, the `rand*` strings),
//! huandu/xstrings v1.5.0 (`snakecase`, `camelcase`, `kebabcase`,
//! `shuffle`) and Sprig's own helpers (`substr`, `trunc`, `quote`, `cat`,
//! `indent`, `split`, `join`, `toStrings`, `sortAlpha`…).
//!
//! Go strings are byte strings: `trunc`, `substr`, `abbrev` and `wrap`
//! count and cut bytes, and goutils' `nospace` and `initials` walk bytes as
//! if they were Latin-1 runes. Those rules are kept. A Go string may then
//! hold a partial UTF-8 sequence, which this crate's strings cannot: such
//! bytes become U+FFFD (the one known divergence, for non-ASCII text cut
//! mid-character). Go panics (`substr` out of range, `repeat` with a
//! negative count) become the errors `text/template` reports for them.

mod convert;
mod goutils;
pub(crate) mod random;
mod unicode;
mod unicode_tables;
mod xstrings;

use crate::template::{Func, FuncError, ParamType, Templates};
use crate::value::{go_text, Value};

/// The integer of an `int` parameter (the executor has checked its type).
pub(crate) fn int_arg(v: &Value) -> i64 {
    match v {
        Value::Int(n, _) => *n,
        _ => 0,
    }
}

/// The text of a `string` parameter (the executor has checked its type).
pub(crate) fn str_arg(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// Reserves room for `len` more bytes, failing where Go would run out of
/// memory instead of aborting the process.
pub(crate) fn reserve(out: &mut String, len: usize) -> Result<(), FuncError> {
    out.try_reserve(len)
        .map_err(|_| FuncError::msg("runtime: out of memory"))
}

/// A function of one string returning a string.
fn string_fn(f: fn(&str) -> String) -> Func {
    Func::new([ParamType::String], move |_, args| {
        Ok(Value::from(f(str_arg(&args[0]))))
    })
    .infallible()
}

/// A function of two strings `(a, b)` returning a string.
fn string2_fn(f: fn(&str, &str) -> String) -> Func {
    Func::new([ParamType::String, ParamType::String], move |_, args| {
        Ok(Value::from(f(str_arg(&args[0]), str_arg(&args[1]))))
    })
    .infallible()
}

/// A predicate `(substr, str)` as Sprig's argument-swapped wrappers take it.
fn predicate_fn(f: fn(&str, &str) -> bool) -> Func {
    Func::new([ParamType::String, ParamType::String], move |_, args| {
        Ok(Value::Bool(f(str_arg(&args[1]), str_arg(&args[0]))))
    })
    .infallible()
}

/// Registers the string functions.
pub fn register(set: &mut Templates) {
    set.add_func(
        "hello",
        Func::new([], |_, _| Ok(Value::from("Hello!"))).infallible(),
    );
    set.add_func("trim", string_fn(|s| s.trim().to_string()));
    set.add_func("upper", string_fn(to_upper));
    set.add_func("lower", string_fn(to_lower));
    set.add_func("title", string_fn(title));
    set.add_func("untitle", string_fn(goutils::uncapitalize));
    set.add_func("nospace", string_fn(goutils::delete_white_space));
    set.add_func("initials", string_fn(goutils::initials));
    set.add_func("swapcase", string_fn(goutils::swap_case));
    set.add_func("snakecase", string_fn(|s| xstrings::to_lower_words(s, '_')));
    set.add_func("kebabcase", string_fn(|s| xstrings::to_lower_words(s, '-')));
    set.add_func("camelcase", string_fn(xstrings::to_pascal_case));
    for name in ["trimall", "trimAll"] {
        set.add_func(
            name,
            string2_fn(|cutset, s| s.trim_matches(|c| cutset.contains(c)).to_string()),
        );
    }
    set.add_func(
        "trimSuffix",
        string2_fn(|suffix, s| s.strip_suffix(suffix).unwrap_or(s).to_string()),
    );
    set.add_func(
        "trimPrefix",
        string2_fn(|prefix, s| s.strip_prefix(prefix).unwrap_or(s).to_string()),
    );
    set.add_func("contains", predicate_fn(|s, sub| s.contains(sub)));
    set.add_func("hasPrefix", predicate_fn(|s, p| s.starts_with(p)));
    set.add_func("hasSuffix", predicate_fn(|s, p| s.ends_with(p)));
    set.add_func(
        "replace",
        Func::new(
            [ParamType::String, ParamType::String, ParamType::String],
            |_, args| {
                let (old, new, src) = (str_arg(&args[0]), str_arg(&args[1]), str_arg(&args[2]));
                Ok(Value::from(src.replace(old, new)))
            },
        )
        .infallible(),
    );
    set.add_func(
        "plural",
        Func::new(
            [ParamType::String, ParamType::String, ParamType::INT],
            |_, args| {
                let chosen = if int_arg(&args[2]) == 1 { 0 } else { 1 };
                Ok(args[chosen].clone())
            },
        )
        .infallible(),
    );
    set.add_func(
        "trunc",
        Func::new([ParamType::INT, ParamType::String], |_, args| {
            Ok(Value::from(trunc(int_arg(&args[0]), str_arg(&args[1]))))
        })
        .infallible(),
    );
    set.add_func(
        "substr",
        Func::new(
            [ParamType::INT, ParamType::INT, ParamType::String],
            |_, args| {
                substring(int_arg(&args[0]), int_arg(&args[1]), str_arg(&args[2])).map(Value::from)
            },
        )
        .infallible(),
    );
    set.add_func(
        "repeat",
        Func::new([ParamType::INT, ParamType::String], |_, args| {
            repeat(str_arg(&args[1]), int_arg(&args[0])).map(Value::from)
        })
        .infallible(),
    );
    set.add_func(
        "indent",
        Func::new([ParamType::INT, ParamType::String], |_, args| {
            indent(int_arg(&args[0]), str_arg(&args[1])).map(Value::from)
        })
        .infallible(),
    );
    set.add_func(
        "nindent",
        Func::new([ParamType::INT, ParamType::String], |_, args| {
            let indented = indent(int_arg(&args[0]), str_arg(&args[1]))?;
            Ok(Value::from(format!("\n{indented}")))
        })
        .infallible(),
    );
    set.add_func(
        "abbrev",
        Func::new([ParamType::INT, ParamType::String], |_, args| {
            let (width, s) = (int_arg(&args[0]), str_arg(&args[1]));
            if width < 4 {
                return Ok(Value::from(s));
            }
            Ok(Value::from(goutils::abbreviate(s, 0, width)))
        })
        .infallible(),
    );
    set.add_func(
        "abbrevboth",
        Func::new(
            [ParamType::INT, ParamType::INT, ParamType::String],
            |_, args| {
                let (left, right, s) = (int_arg(&args[0]), int_arg(&args[1]), str_arg(&args[2]));
                if right < 4 || left > 0 && right < 7 {
                    return Ok(Value::from(s));
                }
                Ok(Value::from(goutils::abbreviate(s, left, right)))
            },
        )
        .infallible(),
    );
    set.add_func(
        "wrap",
        Func::new([ParamType::INT, ParamType::String], |_, args| {
            let (width, s) = (int_arg(&args[0]), str_arg(&args[1]));
            Ok(Value::from(goutils::wrap(s, width, "", false)))
        })
        .infallible(),
    );
    set.add_func(
        "wrapWith",
        Func::new(
            [ParamType::INT, ParamType::String, ParamType::String],
            |_, args| {
                let (width, sep, s) = (int_arg(&args[0]), str_arg(&args[1]), str_arg(&args[2]));
                Ok(Value::from(goutils::wrap(s, width, sep, true)))
            },
        )
        .infallible(),
    );
    random::register(set);
    convert::register(set);
}

/// Go's `strings.ToUpper`: the simple upper-case mapping of every rune.
fn to_upper(s: &str) -> String {
    s.chars().map(unicode::to_upper).collect()
}

/// Go's `strings.ToLower`.
fn to_lower(s: &str) -> String {
    s.chars().map(unicode::to_lower).collect()
}

/// Go's `strings.Title`: the title case of every rune that follows a
/// separator (anything but an ASCII letter, digit or `_`; outside ASCII,
/// only white space, which is never a letter or digit).
fn title(s: &str) -> String {
    let mut prev = ' ';
    s.chars()
        .map(|c| {
            let separated = if prev.is_ascii() {
                !(prev.is_ascii_alphanumeric() || prev == '_')
            } else {
                unicode::is_space(prev)
            };
            prev = c;
            if separated {
                unicode::to_title(c)
            } else {
                c
            }
        })
        .collect()
}

/// Sprig's `trunc`: the first `c` bytes, or for a negative `c` the last
/// `-c` bytes.
fn trunc(c: i64, s: &str) -> String {
    let len = s.len() as i64;
    let bytes = s.as_bytes();
    if c < 0 && len + c > 0 {
        return go_text(&bytes[(len + c) as usize..]);
    }
    if c >= 0 && len > c {
        return go_text(&bytes[..c as usize]);
    }
    s.to_string()
}

/// Go's message for a string slice expression out of range.
fn slice_panic(text: String) -> FuncError {
    FuncError::msg(format!("runtime error: slice bounds out of range {text}"))
}

/// Sprig's `substring`: `s[:end]` for a negative `start`, `s[start:]` when
/// `end` is negative or past the end, else `s[start:end]`, with Go's
/// runtime errors where those slice expressions panic.
fn substring(start: i64, end: i64, s: &str) -> Result<String, FuncError> {
    let len = s.len() as i64;
    let bytes = s.as_bytes();
    if start < 0 {
        return match end {
            e if e < 0 => Err(slice_panic(format!("[:{e}]"))),
            e if e > len => Err(slice_panic(format!("[:{e}] with length {len}"))),
            e => Ok(go_text(&bytes[..e as usize])),
        };
    }
    if end < 0 || end > len {
        if start > len {
            return Err(slice_panic(format!("[{start}:{len}]")));
        }
        return Ok(go_text(&bytes[start as usize..]));
    }
    if start > end {
        return Err(slice_panic(format!("[{start}:{end}]")));
    }
    Ok(go_text(&bytes[start as usize..end as usize]))
}

/// Go's `strings.Repeat`, with its panics as errors.
pub(crate) fn repeat(s: &str, count: i64) -> Result<String, FuncError> {
    match count {
        0 => return Ok(String::new()),
        1 => return Ok(s.to_string()),
        c if c < 0 => return Err(FuncError::msg("strings: negative Repeat count")),
        _ => {}
    }
    let total = (s.len() as u128) * (count as u128);
    if total > i64::MAX as u128 {
        return Err(FuncError::msg("strings: Repeat output length overflow"));
    }
    let mut out = String::new();
    reserve(&mut out, total as usize)?;
    for _ in 0..count {
        if s.is_empty() {
            break;
        }
        out.push_str(s);
    }
    Ok(out)
}

/// Sprig's `indent`: `spaces` spaces before every line.
fn indent(spaces: i64, v: &str) -> Result<String, FuncError> {
    let pad = repeat(" ", spaces)?;
    let mut out = String::new();
    reserve(
        &mut out,
        v.len()
            .saturating_add(pad.len().saturating_mul(v.matches('\n').count() + 1)),
    )?;
    out.push_str(&pad);
    for (i, line) in v.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(&pad);
        }
        out.push_str(line);
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
