//! Sprig v3.3.0's numeric functions (`numeric.go` and the arithmetic
//! entries of `functions.go`): the spf13/cast conversions (`int`, `int64`,
//! `float64`), `atoi`, `toDecimal`, integer arithmetic on `int64` (`add`,
//! `sub`, `mul`, `div`, `mod`, `add1`, `max`/`biggest`, `min`), decimal
//! arithmetic through shopspring/decimal (`addf`, `subf`, `mulf`, `divf`,
//! `add1f`), float helpers (`maxf`, `minf`, `ceil`, `floor`, `round`),
//! sequences (`until`, `untilStep`, `seq`) and `randInt`.
//!
//! Integer arithmetic wraps like Go's; dividing by zero is Go's runtime
//! panic `integer divide by zero`, reported as an error. `round` computes
//! `10^places` with Go's own `math.Pow` algorithm so that large powers
//! round the same way.

mod decimal;

use self::decimal::Decimal;
use super::cast::{to_float64, to_int, to_int64};
use super::strings::random::random_below;
use super::strings::{int_arg, str_arg};
use crate::template::{Func, FuncError, ParamType, Templates};
use crate::value::Value;

/// Go's runtime error for an integer division by zero.
const DIVIDE_BY_ZERO: &str = "runtime error: integer divide by zero";

/// Why `strconv.ParseInt` failed.
#[derive(Debug, PartialEq, Eq)]
enum ParseIntError {
    Syntax,
    /// Out of range; Go still returns the value clamped to int64.
    Range(i64),
}

/// `strconv.ParseInt(s, base, 64)` for an explicit base up to 10.
fn parse_int(s: &str, base: u32) -> Result<i64, ParseIntError> {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() {
        return Err(ParseIntError::Syntax);
    }
    let mut n: u64 = 0;
    let mut overflow = false;
    for b in digits.bytes() {
        let d = match (b as char).to_digit(36) {
            Some(d) if d < base => d,
            _ => return Err(ParseIntError::Syntax),
        };
        // Go stops at the first overflow, before looking at later bytes.
        match n
            .checked_mul(u64::from(base))
            .and_then(|n| n.checked_add(u64::from(d)))
        {
            Some(next) => n = next,
            None => {
                overflow = true;
                break;
            }
        }
    }
    let limit = 1u64 << 63;
    if !neg && (overflow || n >= limit) {
        return Err(ParseIntError::Range(i64::MAX));
    }
    if neg && (overflow || n > limit) {
        return Err(ParseIntError::Range(i64::MIN));
    }
    Ok(if neg {
        (n as i64).wrapping_neg()
    } else {
        n as i64
    })
}

/// Sprig's `atoi`: `strconv.Atoi` with the error dropped (a syntax error
/// gives 0, an out-of-range number the nearest int).
fn atoi(s: &str) -> i64 {
    match parse_int(s, 10) {
        Ok(n) | Err(ParseIntError::Range(n)) => n,
        Err(ParseIntError::Syntax) => 0,
    }
}

/// Sprig's `toDecimal`: the `%v` text of the value read as octal, or 0.
fn to_decimal(v: &Value) -> i64 {
    parse_int(&v.to_string(), 8).unwrap_or(0)
}

/// Sprig's `untilStep`: `start`, `start+step`, … up to (excluding) `stop`.
fn until_step(start: i64, stop: i64, step: i64) -> Result<Vec<Value>, FuncError> {
    let ascending = stop >= start;
    if (ascending && step <= 0) || (!ascending && step >= 0) {
        return Ok(Vec::new());
    }
    let count = (i128::from(stop) - i128::from(start)) / i128::from(step);
    let count = usize::try_from(count)
        .unwrap_or(usize::MAX)
        .saturating_add(1);
    let mut out = Vec::new();
    out.try_reserve(count)
        .map_err(|_| FuncError::msg("runtime: out of memory"))?;
    let mut i = start;
    while (ascending && i < stop) || (!ascending && i > stop) {
        out.push(Value::int(i));
        // Go's counter would wrap around and loop until memory runs out.
        i = i
            .checked_add(step)
            .ok_or_else(|| FuncError::msg("runtime: out of memory"))?;
    }
    Ok(out)
}

/// Sprig's `seq`: like the `seq` command, with 1 to 3 arguments (`last`,
/// `first last` or `first step last`); the numbers separated by spaces.
fn seq(params: &[i64]) -> Result<String, FuncError> {
    let numbers = match *params {
        [end] => {
            let inc = if end < 1 { -1 } else { 1 };
            until_step(1, end.wrapping_add(inc), inc)?
        }
        [start, end] => {
            let step = if end < start { -1 } else { 1 };
            until_step(start, end.wrapping_add(step), step)?
        }
        [start, step, end] => {
            let mut inc = 1;
            if end < start {
                inc = -1;
                if step > 0 {
                    return Ok(String::new());
                }
            }
            until_step(start, end.wrapping_add(inc), step)?
        }
        _ => Vec::new(),
    };
    let text: Vec<String> = numbers.iter().map(Value::to_string).collect();
    Ok(text.join(" "))
}

/// Go's `math.Max`.
fn go_max(x: f64, y: f64) -> f64 {
    if x == f64::INFINITY || y == f64::INFINITY {
        f64::INFINITY
    } else if x.is_nan() || y.is_nan() {
        f64::NAN
    } else if x == 0.0 && x == y {
        if x.is_sign_negative() {
            y
        } else {
            x
        }
    } else if x > y {
        x
    } else {
        y
    }
}

/// Go's `math.Min`.
fn go_min(x: f64, y: f64) -> f64 {
    if x == f64::NEG_INFINITY || y == f64::NEG_INFINITY {
        f64::NEG_INFINITY
    } else if x.is_nan() || y.is_nan() {
        f64::NAN
    } else if x == 0.0 && x == y {
        if x.is_sign_negative() {
            x
        } else {
            y
        }
    } else if x < y {
        x
    } else {
        y
    }
}

/// Go's `math.Frexp`: `f = frac × 2^exp` with `frac` in `[0.5, 1)`.
fn frexp(f: f64) -> (f64, i64) {
    if f == 0.0 || !f.is_finite() {
        return (f, 0);
    }
    let (f, mut exp) = if f.abs() < f64::MIN_POSITIVE {
        (f * (1u64 << 52) as f64, -52)
    } else {
        (f, 0)
    };
    let bits = f.to_bits();
    exp += ((bits >> 52) & 0x7ff) as i64 - 1023 + 1;
    let bits = (bits & !(0x7ff << 52)) | (1022 << 52);
    (f64::from_bits(bits), exp)
}

/// Go's `math.Ldexp`: `frac × 2^exp`, rounding denormals as Go does.
fn ldexp(frac: f64, exp: i64) -> f64 {
    if frac == 0.0 || !frac.is_finite() {
        return frac;
    }
    let (frac, e) = if frac.abs() < f64::MIN_POSITIVE {
        (frac * (1u64 << 52) as f64, -52)
    } else {
        (frac, 0)
    };
    let bits = frac.to_bits();
    let exp = exp
        .saturating_add(e)
        .saturating_add(((bits >> 52) & 0x7ff) as i64 - 1023);
    if exp < -1075 {
        return 0.0f64.copysign(frac);
    }
    if exp > 1023 {
        return f64::INFINITY.copysign(frac);
    }
    let (exp, m) = if exp < -1022 {
        (exp + 53, 1.0 / (1u64 << 53) as f64)
    } else {
        (exp, 1.0)
    };
    let bits = (bits & !(0x7ff << 52)) | (((exp + 1023) as u64) << 52);
    m * f64::from_bits(bits)
}

/// Go's `math.Pow(10, places)` for a whole number of places: repeated
/// squaring of the mantissa with the binary exponent kept apart.
fn pow10(places: i64) -> f64 {
    match places {
        0 => return 1.0,
        1 => return 10.0,
        i64::MIN => return 0.0,
        _ => {}
    }
    let (mut x1, mut xe) = frexp(10.0);
    let (mut a1, mut ae) = (1.0f64, 0i64);
    let mut i = places.unsigned_abs();
    while i != 0 {
        if !(-(1 << 12)..=(1 << 12)).contains(&xe) {
            ae += xe;
            break;
        }
        if i & 1 == 1 {
            a1 *= x1;
            ae += xe;
        }
        x1 *= x1;
        xe <<= 1;
        if x1 < 0.5 {
            x1 += x1;
            xe -= 1;
        }
        i >>= 1;
    }
    if places < 0 {
        a1 = 1.0 / a1;
        ae = -ae;
    }
    ldexp(a1, ae)
}

/// Sprig's `round`: rounds `val` to `places` decimals, up when the
/// discarded fraction is at least `round_on`.
fn round(val: f64, places: i64, round_on: f64) -> f64 {
    let pow = pow10(places);
    let digit = pow * val;
    let fraction = digit - digit.trunc();
    let rounded = if fraction >= round_on {
        digit.ceil()
    } else {
        digit.floor()
    };
    rounded / pow
}

/// The decimal operation of an `*f` function.
#[derive(Clone, Copy)]
enum DecimalOp {
    Add,
    Sub,
    Mul,
    Div,
}

/// Sprig's `execDecimalOp`: folds `rest` into `first` with exact decimal
/// arithmetic and returns the nearest float64.
fn decimal_op(first: &Value, rest: &[Value], op: DecimalOp) -> Result<f64, FuncError> {
    let mut acc = Decimal::from_f64(to_float64(first))?;
    for x in rest {
        let dx = Decimal::from_f64(to_float64(x))?;
        acc = match op {
            DecimalOp::Add => acc.add(&dx),
            DecimalOp::Sub => acc.sub(&dx),
            DecimalOp::Mul => acc.mul(&dx)?,
            DecimalOp::Div => acc.div(&dx)?,
        };
    }
    Ok(acc.to_f64())
}

/// A function `(a interface{}, rest ...interface{})`.
fn fold_fn(f: fn(&Value, &[Value]) -> Result<Value, FuncError>) -> Func {
    Func::variadic([ParamType::Any], ParamType::Any, move |_, args| {
        f(&args[0], &args[1..])
    })
    .infallible()
}

/// A function of one `interface{}`.
fn unary_fn(f: fn(&Value) -> Value) -> Func {
    Func::new([ParamType::Any], move |_, args| Ok(f(&args[0]))).infallible()
}

/// A function `(a, b interface{}) int64`.
fn binary_int_fn(f: fn(i64, i64) -> Result<i64, FuncError>) -> Func {
    Func::new([ParamType::Any, ParamType::Any], move |_, args| {
        f(to_int64(&args[0]), to_int64(&args[1])).map(Value::int64)
    })
    .infallible()
}

/// Registers the numeric functions.
pub fn register(set: &mut Templates) {
    set.add_func("int64", unary_fn(|v| Value::int64(to_int64(v))));
    set.add_func("int", unary_fn(|v| Value::int(to_int(v))));
    set.add_func("float64", unary_fn(|v| Value::Float(to_float64(v))));
    set.add_func("toDecimal", unary_fn(|v| Value::int64(to_decimal(v))));
    set.add_func(
        "atoi",
        Func::new([ParamType::String], |_, args| {
            Ok(Value::int(atoi(str_arg(&args[0]))))
        })
        .infallible(),
    );
    set.add_func(
        "seq",
        Func::variadic([], ParamType::INT, |_, args| {
            let params: Vec<i64> = args.iter().map(int_arg).collect();
            seq(&params).map(Value::from)
        })
        .infallible(),
    );
    set.add_func(
        "until",
        Func::new([ParamType::INT], |_, args| {
            let count = int_arg(&args[0]);
            let step = if count < 0 { -1 } else { 1 };
            until_step(0, count, step).map(Value::list)
        })
        .infallible(),
    );
    set.add_func(
        "untilStep",
        Func::new(
            [ParamType::INT, ParamType::INT, ParamType::INT],
            |_, args| {
                let (start, stop, step) = (int_arg(&args[0]), int_arg(&args[1]), int_arg(&args[2]));
                until_step(start, stop, step).map(Value::list)
            },
        )
        .infallible(),
    );
    set.add_func(
        "add1",
        unary_fn(|v| Value::int64(to_int64(v).wrapping_add(1))),
    );
    set.add_func(
        "add",
        Func::variadic([], ParamType::Any, |_, args| {
            let sum = args.iter().fold(0i64, |a, b| a.wrapping_add(to_int64(b)));
            Ok(Value::int64(sum))
        })
        .infallible(),
    );
    set.add_func("sub", binary_int_fn(|a, b| Ok(a.wrapping_sub(b))));
    set.add_func(
        "div",
        binary_int_fn(|a, b| match b {
            0 => Err(FuncError::msg(DIVIDE_BY_ZERO)),
            b => Ok(a.wrapping_div(b)),
        }),
    );
    set.add_func(
        "mod",
        binary_int_fn(|a, b| match b {
            0 => Err(FuncError::msg(DIVIDE_BY_ZERO)),
            b => Ok(a.wrapping_rem(b)),
        }),
    );
    set.add_func(
        "mul",
        fold_fn(|a, rest| {
            let product = rest
                .iter()
                .fold(to_int64(a), |p, b| p.wrapping_mul(to_int64(b)));
            Ok(Value::int64(product))
        }),
    );
    for name in ["biggest", "max"] {
        set.add_func(
            name,
            fold_fn(|a, rest| {
                let max = rest.iter().map(to_int64).fold(to_int64(a), i64::max);
                Ok(Value::int64(max))
            }),
        );
    }
    set.add_func(
        "min",
        fold_fn(|a, rest| {
            let min = rest.iter().map(to_int64).fold(to_int64(a), i64::min);
            Ok(Value::int64(min))
        }),
    );
    set.add_func(
        "maxf",
        fold_fn(|a, rest| {
            let max = rest.iter().map(to_float64).fold(to_float64(a), go_max);
            Ok(Value::Float(max))
        }),
    );
    set.add_func(
        "minf",
        fold_fn(|a, rest| {
            let min = rest.iter().map(to_float64).fold(to_float64(a), go_min);
            Ok(Value::Float(min))
        }),
    );
    set.add_func("ceil", unary_fn(|v| Value::Float(to_float64(v).ceil())));
    set.add_func("floor", unary_fn(|v| Value::Float(to_float64(v).floor())));
    set.add_func(
        "round",
        Func::variadic(
            [ParamType::Any, ParamType::INT],
            ParamType::Float64,
            |_, args| {
                let round_on = match args.get(2) {
                    Some(Value::Float(r)) => *r,
                    _ => 0.5,
                };
                let rounded = round(to_float64(&args[0]), int_arg(&args[1]), round_on);
                Ok(Value::Float(rounded))
            },
        )
        .infallible(),
    );
    set.add_func(
        "randInt",
        Func::new([ParamType::INT, ParamType::INT], |ctx, args| {
            let (min, max) = (int_arg(&args[0]), int_arg(&args[1]));
            let span = max.wrapping_sub(min);
            if span <= 0 {
                return Err(FuncError::msg("invalid argument to Intn"));
            }
            let offset = random_below(ctx.host(), span as u64) as i64;
            Ok(Value::int(offset.wrapping_add(min)))
        })
        .infallible(),
    );
    set.add_func(
        "add1f",
        unary_float_op(|v| decimal_op(v, &[Value::int(1)], DecimalOp::Add)),
    );
    set.add_func(
        "addf",
        Func::variadic([], ParamType::Any, |_, args| {
            decimal_op(&Value::Float(0.0), &args, DecimalOp::Add).map(Value::Float)
        })
        .infallible(),
    );
    for (name, op) in [
        ("subf", DecimalOp::Sub),
        ("mulf", DecimalOp::Mul),
        ("divf", DecimalOp::Div),
    ] {
        set.add_func(
            name,
            Func::variadic([ParamType::Any], ParamType::Any, move |_, args| {
                decimal_op(&args[0], &args[1..], op).map(Value::Float)
            })
            .infallible(),
        );
    }
}

/// A function of one `interface{}` returning a float64 or Go's panic.
fn unary_float_op(f: fn(&Value) -> Result<f64, FuncError>) -> Func {
    Func::new([ParamType::Any], move |_, args| {
        f(&args[0]).map(Value::Float)
    })
    .infallible()
}

#[cfg(test)]
mod tests;
