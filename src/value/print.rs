//! Go's `%v` printing of one value (what `fmt.Sprint(x)` writes) and Go's
//! `strconv.FormatFloat`, which every float that a template prints goes
//! through.
//!
//! Float formatting mirrors Go's `strconv` exactly:
//! - the shortest form (`prec = None`, Go's `-1`) uses the fewest decimal
//!   digits that read back as the same float of the given bit size;
//! - a fixed precision rounds the exact binary value correctly, an exact tie
//!   going to the even digit (Go's multiprecision `decimal.Round`);
//! - layouts `e`, `f`, `g`, `b` and `x` follow `strconv`'s own rules: an
//!   exponent has at least two digits (`1e+06`), `g` switches to `e` when the
//!   exponent is below -4 or at least the precision (6 for shortest), and
//!   non-finite values print `NaN`, `+Inf` and `-Inf`.

use super::Value;
use std::fmt;

/// How `format_float` lays out a float, as `strconv.FormatFloat`'s `fmt` byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatFmt {
    /// `'e'`: `-d.dddde±dd`
    Exp,
    /// `'f'`: `-ddd.dddd`
    Fixed,
    /// `'g'`: `Exp` for large or small exponents, `Fixed` otherwise.
    General,
    /// `'E'`: like `Exp` with `E`.
    ExpUpper,
    /// `'G'`: like `General` with `E`.
    GeneralUpper,
    /// `'b'`: `-ddddp±ddd`, the integer mantissa and a binary exponent.
    Binary,
    /// `'x'`: `-0x1.hhhhp±dd`, a hexadecimal mantissa and a binary exponent.
    Hex,
    /// `'X'`: like `Hex` in upper case.
    HexUpper,
}

impl FloatFmt {
    /// The layout named by a `strconv` format byte (`'e'`, `'E'`, `'f'`,
    /// `'g'`, `'G'`, `'b'`, `'x'`, `'X'`).
    pub fn from_byte(b: u8) -> Option<FloatFmt> {
        Some(match b {
            b'e' => FloatFmt::Exp,
            b'E' => FloatFmt::ExpUpper,
            b'f' => FloatFmt::Fixed,
            b'g' => FloatFmt::General,
            b'G' => FloatFmt::GeneralUpper,
            b'b' => FloatFmt::Binary,
            b'x' => FloatFmt::Hex,
            b'X' => FloatFmt::HexUpper,
            _ => return None,
        })
    }

    /// The `strconv` format byte of this layout.
    pub fn as_byte(self) -> u8 {
        match self {
            FloatFmt::Exp => b'e',
            FloatFmt::ExpUpper => b'E',
            FloatFmt::Fixed => b'f',
            FloatFmt::General => b'g',
            FloatFmt::GeneralUpper => b'G',
            FloatFmt::Binary => b'b',
            FloatFmt::Hex => b'x',
            FloatFmt::HexUpper => b'X',
        }
    }
}

/// `strconv.FormatFloat(f, fmt, prec, bits)`; `prec = None` is Go's `-1`
/// (the fewest digits that round-trip). `bits` is 32 for a Go `float32`
/// (the value is first rounded to `f32`) and 64 otherwise.
pub fn format_float(f: f64, fmt: FloatFmt, prec: Option<usize>, bits: u32) -> String {
    let parts = FloatParts::new(f, bits);
    if let Some(special) = parts.special {
        return special.to_string();
    }
    let mut out = String::new();
    if parts.neg {
        out.push('-');
    }
    match fmt {
        FloatFmt::Binary => write_binary(&mut out, &parts),
        FloatFmt::Hex => write_hex(&mut out, &parts, prec, false),
        FloatFmt::HexUpper => write_hex(&mut out, &parts, prec, true),
        _ => write_decimal(&mut out, &parts, fmt, prec),
    }
    out
}

/// A finite float split as Go's `genericFtoa` does: the value is
/// `mant * 2^(exp - mant_bits)`.
struct FloatParts {
    /// The magnitude, already rounded to `f32` for 32-bit floats.
    abs: f64,
    is_f32: bool,
    neg: bool,
    mant: u64,
    exp: i32,
    mant_bits: u32,
    special: Option<&'static str>,
}

impl FloatParts {
    fn new(f: f64, bits: u32) -> FloatParts {
        let (raw, mant_bits, exp_bits, bias) = if bits == 32 {
            (u64::from((f as f32).to_bits()), 23u32, 8u32, -127i32)
        } else {
            (f.to_bits(), 52, 11, -1023)
        };
        let neg = raw >> (exp_bits + mant_bits) != 0;
        let exp_field = ((raw >> mant_bits) & ((1 << exp_bits) - 1)) as i32;
        let mut mant = raw & ((1u64 << mant_bits) - 1);
        let mut special = None;
        let mut exp = exp_field;
        if exp_field == (1 << exp_bits) - 1 {
            special = Some(if mant != 0 {
                "NaN"
            } else if neg {
                "-Inf"
            } else {
                "+Inf"
            });
        } else if exp_field == 0 {
            exp += 1; // subnormal
        } else {
            mant |= 1u64 << mant_bits;
        }
        let abs = if bits == 32 {
            f64::from((f as f32).abs())
        } else {
            f.abs()
        };
        FloatParts {
            abs,
            is_f32: bits == 32,
            neg,
            mant,
            exp: exp + bias,
            mant_bits,
            special,
        }
    }
}

/// A decimal number `0.d1d2d3... * 10^dp` with no trailing zero digits
/// (zero has no digits and `dp = 0`), as Go's `decimal`/`decimalSlice`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Decimal {
    digits: Vec<u8>,
    dp: i32,
}

impl Decimal {
    /// The exact decimal value of `mant * 2^e2`.
    fn exact(mant: u64, e2: i32) -> Decimal {
        if mant == 0 {
            return Decimal {
                digits: Vec::new(),
                dp: 0,
            };
        }
        let mut big = BigDecimalInt::from_u64(mant);
        if e2 > 0 {
            big.mul_pow(2, e2.unsigned_abs());
        } else if e2 < 0 {
            // mant / 2^k = mant * 5^k / 10^k
            big.mul_pow(5, e2.unsigned_abs());
        }
        let digits = big.to_digits();
        let dp = if e2 < 0 {
            digits.len() as i32 + e2
        } else {
            digits.len() as i32
        };
        let mut d = Decimal { digits, dp };
        d.trim();
        d
    }

    /// The fewest digits that read back as the same float: walk the exact
    /// digits until they part from both neighbours' halfway points, then
    /// round to the nearest (ties to even) candidate that stays inside.
    fn shortest(parts: &FloatParts) -> Decimal {
        let mant_bits = parts.mant_bits as i32;
        let e2 = parts.exp - mant_bits;
        // Fast path: a value m/2^k (m odd) with k > 30 has more than 20
        // significant digits exactly, so it never lies exactly halfway
        // between two candidates of at most 17 digits; the closest shortest
        // candidate is then unique and Rust's formatter finds the same one.
        if e2 < 0 && -e2 - parts.mant.trailing_zeros() as i32 > 30 {
            return Decimal::from_rust_shortest(parts);
        }
        let mut d = Decimal::exact(parts.mant, e2);
        if parts.mant == 0 {
            return d;
        }
        // Already shortest when the next shorter decimal is further away
        // than the float's spacing (log2(10) > 3.32).
        let min_exp = if parts.mant_bits == 23 { -126 } else { -1022 };
        if parts.exp > min_exp && 332 * (d.dp - d.nd()) >= 100 * (parts.exp - mant_bits) {
            return d;
        }
        // Halfway to the next float up, and down (the gap below is half as
        // wide just above a power of two, except at the smallest exponent).
        let upper = Decimal::exact(parts.mant * 2 + 1, parts.exp - mant_bits - 1);
        let (mant_lo, exp_lo) = if parts.mant > 1 << parts.mant_bits || parts.exp == min_exp {
            (parts.mant - 1, parts.exp)
        } else {
            (parts.mant * 2 - 1, parts.exp - 1)
        };
        let lower = Decimal::exact(mant_lo * 2 + 1, exp_lo - mant_bits - 1);
        // The halfway points themselves read back as this float only when
        // its mantissa is even (IEEE rounds ties to even).
        let inclusive = parts.mant % 2 == 0;
        // 0: digits of d and upper agree so far; 1: they differ by one unit
        // in an earlier digit followed only by 9s in d and 0s in upper;
        // 2: rounding d up certainly stays below upper.
        let mut upper_delta = 0u8;
        for ui in 0.. {
            let mi = ui - upper.dp + d.dp;
            if mi >= d.nd() {
                break;
            }
            let li = ui - upper.dp + lower.dp;
            let l = lower.digit(li);
            let m = d.digit(mi);
            let u = upper.digit(ui);
            let ok_down = l != m || (inclusive && li + 1 == lower.nd());
            if upper_delta == 0 && m + 1 < u {
                upper_delta = 2;
            } else if upper_delta == 0 && m != u {
                upper_delta = 1;
            } else if upper_delta == 1 && (m != b'9' || u != b'0') {
                upper_delta = 2;
            }
            let ok_up = upper_delta > 0 && (inclusive || upper_delta > 1 || ui + 1 < upper.nd());
            match (ok_down, ok_up) {
                (true, true) => d.round(mi + 1),
                (true, false) => d.round_down(mi + 1),
                (false, true) => d.round_up(mi + 1),
                (false, false) => continue,
            }
            break;
        }
        d
    }

    /// Rust's shortest round-trip digits (closest of the shortest
    /// candidates; exact ties go up, which `shortest` avoids).
    fn from_rust_shortest(parts: &FloatParts) -> Decimal {
        let text = if parts.is_f32 {
            format!("{:e}", parts.abs as f32)
        } else {
            format!("{:e}", parts.abs)
        };
        let (mantissa, exponent) = text.split_once('e').unwrap_or((text.as_str(), "0"));
        let mut d = Decimal {
            digits: mantissa.bytes().filter(u8::is_ascii_digit).collect(),
            dp: exponent.parse::<i32>().unwrap_or(0) + 1,
        };
        d.trim();
        d
    }

    fn nd(&self) -> i32 {
        self.digits.len() as i32
    }

    fn trim(&mut self) {
        while self.digits.last() == Some(&b'0') {
            self.digits.pop();
        }
        if self.digits.is_empty() {
            self.dp = 0;
        }
    }

    /// Go's `decimal.Round(nd)`: keep `nd` digits, rounding half to even.
    /// Out-of-range `nd` leaves the number unchanged, as in Go.
    fn round(&mut self, nd: i32) {
        if nd < 0 || nd >= self.nd() {
            return;
        }
        let n = nd as usize;
        let next = self.digits[n];
        let up = if next == b'5' && n + 1 == self.digits.len() {
            n > 0 && (self.digits[n - 1] - b'0') % 2 == 1
        } else {
            next >= b'5'
        };
        if up {
            self.round_up(nd);
        } else {
            self.round_down(nd);
        }
    }

    /// Truncate to `nd` digits.
    fn round_down(&mut self, nd: i32) {
        if nd < 0 || nd >= self.nd() {
            return;
        }
        self.digits.truncate(nd as usize);
        self.trim();
    }

    /// Add one unit in digit `nd` and truncate there.
    fn round_up(&mut self, nd: i32) {
        if nd < 0 || nd >= self.nd() {
            return;
        }
        for i in (0..nd as usize).rev() {
            if self.digits[i] < b'9' {
                self.digits[i] += 1;
                self.digits.truncate(i + 1);
                return;
            }
        }
        // All nines (or no digits kept): becomes 1 with the point moved.
        self.digits.clear();
        self.digits.push(b'1');
        self.dp += 1;
    }

    fn digit(&self, i: i32) -> u8 {
        if i >= 0 && i < self.nd() {
            self.digits[i as usize]
        } else {
            b'0'
        }
    }
}

/// A non-negative integer in base 10^9 limbs (least significant first),
/// just enough arithmetic to expand a float exactly.
struct BigDecimalInt {
    limbs: Vec<u64>,
}

const LIMB: u64 = 1_000_000_000;

impl BigDecimalInt {
    fn from_u64(mut v: u64) -> Self {
        let mut limbs = Vec::new();
        while v > 0 {
            limbs.push(v % LIMB);
            v /= LIMB;
        }
        BigDecimalInt { limbs }
    }

    fn mul_small(&mut self, factor: u64) {
        let mut carry = 0u64;
        for limb in &mut self.limbs {
            let product = *limb * factor + carry;
            *limb = product % LIMB;
            carry = product / LIMB;
        }
        while carry > 0 {
            self.limbs.push(carry % LIMB);
            carry /= LIMB;
        }
    }

    /// Multiply by `base^exp` for base 2 or 5, in chunks that keep every
    /// limb product within 64 bits.
    fn mul_pow(&mut self, base: u64, mut exp: u32) {
        let chunk = if base == 2 { 28 } else { 12 };
        while exp > 0 {
            let step = exp.min(chunk);
            self.mul_small(base.pow(step));
            exp -= step;
        }
    }

    fn to_digits(&self) -> Vec<u8> {
        let mut out = String::new();
        for (i, limb) in self.limbs.iter().rev().enumerate() {
            if i == 0 {
                out.push_str(&limb.to_string());
            } else {
                out.push_str(&format!("{limb:09}"));
            }
        }
        out.into_bytes()
    }
}

/// The `e`, `f` and `g` layouts (Go's `formatDigits`).
fn write_decimal(out: &mut String, parts: &FloatParts, fmt: FloatFmt, prec: Option<usize>) {
    let exp_char = match fmt {
        FloatFmt::ExpUpper | FloatFmt::GeneralUpper => 'E',
        _ => 'e',
    };
    let general = matches!(fmt, FloatFmt::General | FloatFmt::GeneralUpper);
    let exp_form = matches!(fmt, FloatFmt::Exp | FloatFmt::ExpUpper);
    let digits;
    // Go's precision after the digits are chosen (an `int` there).
    let mut p: i32;
    match prec {
        None => {
            digits = Decimal::shortest(parts);
            p = if exp_form {
                (digits.nd() - 1).max(0)
            } else if general {
                digits.nd()
            } else {
                (digits.nd() - digits.dp).max(0)
            };
        }
        Some(requested) => {
            p = i32::try_from(requested).unwrap_or(i32::MAX / 2);
            let mut d = Decimal::exact(parts.mant, parts.exp - parts.mant_bits as i32);
            if exp_form {
                d.round(p.saturating_add(1));
            } else if general {
                if p == 0 {
                    p = 1;
                }
                d.round(p);
            } else {
                d.round(d.dp.saturating_add(p));
            }
            digits = d;
        }
    }
    if exp_form {
        write_exp(out, &digits, p, exp_char);
    } else if !general {
        write_fixed(out, &digits, p);
    } else {
        let mut eprec = p;
        if eprec > digits.nd() && digits.nd() >= digits.dp {
            eprec = digits.nd();
        }
        if prec.is_none() {
            eprec = 6;
        }
        let exp = digits.dp - 1;
        if exp < -4 || exp >= eprec {
            if p > digits.nd() {
                p = digits.nd();
            }
            write_exp(out, &digits, p - 1, exp_char);
        } else {
            if p > digits.dp {
                p = digits.nd();
            }
            write_fixed(out, &digits, (p - digits.dp).max(0));
        }
    }
}

/// `d.ddddde±dd` with `prec` digits after the point.
fn write_exp(out: &mut String, d: &Decimal, prec: i32, exp_char: char) {
    out.push(char::from(d.digit(0)));
    if prec > 0 {
        out.push('.');
        for i in 1..=prec {
            out.push(char::from(d.digit(i)));
        }
    }
    out.push(exp_char);
    let exp = if d.digits.is_empty() { 0 } else { d.dp - 1 };
    out.push(if exp < 0 { '-' } else { '+' });
    let exp = exp.unsigned_abs();
    if exp < 10 {
        out.push('0');
    }
    out.push_str(&exp.to_string());
}

/// `ddd.dddd` with `prec` digits after the point.
fn write_fixed(out: &mut String, d: &Decimal, prec: i32) {
    if d.dp > 0 {
        for i in 0..d.dp {
            out.push(char::from(d.digit(i)));
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 0..prec {
            out.push(char::from(d.digit(d.dp + i)));
        }
    }
}

/// `ddddp±ddd`: the integer mantissa and the power of two.
fn write_binary(out: &mut String, parts: &FloatParts) {
    let exp = parts.exp - parts.mant_bits as i32;
    out.push_str(&parts.mant.to_string());
    out.push('p');
    if exp >= 0 {
        out.push('+');
    }
    out.push_str(&exp.to_string());
}

/// `0x1.hhhhp±dd`: a normalised hexadecimal mantissa, rounded (half to
/// even) to `prec` hex digits when given, and a power of two.
fn write_hex(out: &mut String, parts: &FloatParts, prec: Option<usize>, upper: bool) {
    let mut mant = parts.mant;
    let mut exp = if mant == 0 { 0 } else { parts.exp };
    // Put the leading 1 (if any) at bit 60.
    mant <<= 60 - parts.mant_bits;
    while mant != 0 && mant & (1 << 60) == 0 {
        mant <<= 1;
        exp -= 1;
    }
    if let Some(p) = prec.filter(|&p| p < 15) {
        let shift = (p * 4) as u32;
        let extra = (mant << shift) & ((1u64 << 60) - 1);
        mant >>= 60 - shift;
        if extra | (mant & 1) > 1 << 59 {
            mant += 1;
        }
        mant <<= 60 - shift;
        if mant & (1 << 61) != 0 {
            mant >>= 1;
            exp += 1;
        }
    }
    let hex: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    out.push('0');
    out.push(if upper { 'X' } else { 'x' });
    out.push(if (mant >> 60) & 1 == 1 { '1' } else { '0' });
    mant <<= 4; // drop the leading digit
    match prec {
        None if mant != 0 => {
            out.push('.');
            while mant != 0 {
                out.push(char::from(hex[((mant >> 60) & 15) as usize]));
                mant <<= 4;
            }
        }
        Some(p) if p > 0 => {
            out.push('.');
            for _ in 0..p {
                out.push(char::from(hex[((mant >> 60) & 15) as usize]));
                mant <<= 4;
            }
        }
        _ => {}
    }
    out.push(if upper { 'P' } else { 'p' });
    out.push(if exp < 0 { '-' } else { '+' });
    let exp = exp.unsigned_abs();
    if exp < 10 {
        out.push('0');
    }
    out.push_str(&exp.to_string());
}

/// Writes `value` as Go's `%v` does with no flags: `fmt.Sprint(value)`.
pub fn write_value(out: &mut fmt::Formatter<'_>, value: &Value) -> fmt::Result {
    write_nested(out, value)
}

fn write_nested(out: &mut dyn fmt::Write, value: &Value) -> fmt::Result {
    match value {
        Value::Nil => out.write_str("<nil>"),
        Value::Bool(b) => out.write_str(if *b { "true" } else { "false" }),
        Value::Int(i, _) => write!(out, "{i}"),
        Value::Uint(u, _) => write!(out, "{u}"),
        Value::Float(f) => out.write_str(&format_float(*f, FloatFmt::General, None, 64)),
        Value::Float32(f) => {
            out.write_str(&format_float(f64::from(*f), FloatFmt::General, None, 32))
        }
        Value::String(s) => out.write_str(s),
        // Go writes the bytes; template output here is text.
        Value::ByteString(b) => out.write_str(b.text()),
        Value::Bytes(b) => {
            out.write_char('[')?;
            for (i, x) in b.iter().enumerate() {
                if i > 0 {
                    out.write_char(' ')?;
                }
                write!(out, "{x}")?;
            }
            out.write_char(']')
        }
        Value::List(l) => {
            out.write_char('[')?;
            for (i, x) in l.iter().enumerate() {
                if i > 0 {
                    out.write_char(' ')?;
                }
                write_nested(out, x)?;
            }
            out.write_char(']')
        }
        Value::Map(m) => {
            out.write_str("map[")?;
            for (i, (k, v)) in m.borrow().iter().enumerate() {
                if i > 0 {
                    out.write_char(' ')?;
                }
                out.write_str(k)?;
                out.write_char(':')?;
                write_nested(out, v)?;
            }
            out.write_char(']')
        }
        Value::Object(o) => out.write_str(&o.format_in_interface()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::{IntType, Map, UintType};

    fn g(f: f64) -> String {
        format_float(f, FloatFmt::General, None, 64)
    }

    #[test]
    fn shortest_general_uses_go_exponent_rules() {
        assert_eq!(g(1e6), "1e+06");
        assert_eq!(g(1e-5), "1e-05");
        assert_eq!(g(123456.0), "123456");
        assert_eq!(g(1e21), "1e+21");
        assert_eq!(g(0.0001), "0.0001");
        assert_eq!(g(-0.0), "-0");
        assert_eq!(g(5e-324), "5e-324");
        assert_eq!(g(1.7976931348623157e308), "1.7976931348623157e+308");
        assert_eq!(
            format_float(f64::from(f32::MAX), FloatFmt::General, None, 32),
            "3.4028235e+38"
        );
        assert_eq!(format_float(0.1, FloatFmt::General, None, 32), "0.1");
    }

    #[test]
    fn shortest_breaks_exact_ties_to_even_like_go() {
        // Exactly halfway between two 16-digit candidates: Go keeps the
        // even one (Rust's own shortest formatting would round up).
        // 564.81109619140625 and -680.14215087890625, exactly.
        assert_eq!(g(9253865.0 / 16384.0), "564.8110961914062");
        assert_eq!(g(-11143449.0 / 16384.0), "-680.1421508789062");
        assert_eq!(
            format_float(175347.125, FloatFmt::General, None, 32),
            "175347.12"
        );
        // Just above a power of two the gap below is half as wide.
        assert_eq!(g(9007199254740992.0), "9.007199254740992e+15");
        assert_eq!(g(1152921504606846976.0), "1.152921504606847e+18");
        assert_eq!(g(2.2250738585072014e-308), "2.2250738585072014e-308");
    }

    #[test]
    fn non_finite_values() {
        assert_eq!(g(f64::NAN), "NaN");
        assert_eq!(g(f64::INFINITY), "+Inf");
        assert_eq!(
            format_float(f64::NEG_INFINITY, FloatFmt::Fixed, Some(2), 64),
            "-Inf"
        );
    }

    #[test]
    fn fixed_precision_rounds_exact_value_half_to_even() {
        let f = |x: f64, p: usize| format_float(x, FloatFmt::Fixed, Some(p), 64);
        assert_eq!(f(2.5, 0), "2");
        assert_eq!(f(3.5, 0), "4");
        assert_eq!(f(0.125, 2), "0.12");
        assert_eq!(f(0.375, 2), "0.38");
        // 1.005 is really 1.00499999999999989...
        assert_eq!(f(1.005, 2), "1.00");
        assert_eq!(f(0.4, 0), "0");
        assert_eq!(f(0.6, 0), "1");
        assert_eq!(f(9.999, 2), "10.00");
        assert_eq!(f(1e-10, 2), "0.00");
        assert_eq!(f(12345678901.234568, 6), "12345678901.234568");
        assert_eq!(f(1e22, 1), "10000000000000000000000.0");
    }

    #[test]
    fn exp_and_general_with_precision() {
        let e = |x: f64, p: usize| format_float(x, FloatFmt::Exp, Some(p), 64);
        assert_eq!(e(1234567.8, 6), "1.234568e+06");
        assert_eq!(e(0.0, 3), "0.000e+00");
        assert_eq!(e(1e100, 2), "1.00e+100");
        assert_eq!(
            format_float(-1e-9, FloatFmt::ExpUpper, Some(6), 64),
            "-1.000000E-09"
        );
        let gp = |x: f64, p: usize| format_float(x, FloatFmt::General, Some(p), 64);
        assert_eq!(gp(100.0, 3), "100");
        assert_eq!(gp(1000.0, 3), "1e+03");
        assert_eq!(gp(0.0, 3), "0");
        assert_eq!(gp(2.0, 0), "2");
        assert_eq!(gp(123456789.0, 4), "1.235e+08");
        assert_eq!(
            format_float(1e-7, FloatFmt::GeneralUpper, None, 64),
            "1E-07"
        );
    }

    #[test]
    fn binary_and_hex_layouts() {
        assert_eq!(
            format_float(1.0, FloatFmt::Binary, None, 64),
            "4503599627370496p-52"
        );
        assert_eq!(format_float(1.0, FloatFmt::Binary, None, 32), "8388608p-23");
        assert_eq!(format_float(1.0, FloatFmt::Hex, None, 64), "0x1p+00");
        assert_eq!(
            format_float(123.0, FloatFmt::Hex, Some(4), 64),
            "0x1.ec00p+06"
        );
        assert_eq!(
            format_float(-1.0, FloatFmt::HexUpper, Some(3), 64),
            "-0X1.000P+00"
        );
        assert_eq!(format_float(0.0, FloatFmt::Hex, Some(3), 64), "0x0.000p+00");
        assert_eq!(format_float(5e-324, FloatFmt::Hex, None, 64), "0x1p-1074");
        // Rounding the mantissa up can carry into the exponent.
        assert_eq!(
            format_float(1.9999999, FloatFmt::Hex, Some(1), 64),
            "0x1.0p+01"
        );
    }

    #[test]
    fn float32_uses_its_own_digits() {
        assert_eq!(
            format_float(1.2345678, FloatFmt::General, None, 32),
            "1.2345678"
        );
        assert_eq!(format_float(1e-9, FloatFmt::General, None, 32), "1e-09");
        assert_eq!(
            format_float(16777217.0, FloatFmt::Fixed, Some(0), 32),
            "16777216"
        );
    }

    #[test]
    fn write_value_prints_like_sprint() {
        let m = Map::new();
        m.insert("b", Value::list(vec![Value::int(1), Value::Nil]));
        m.insert("a", Value::bytes(vec![1u8, 2, 3]));
        let v = Value::list(vec![
            Value::Map(m),
            Value::Float(1e6),
            Value::Float32(0.5),
            Value::Int(-3, IntType::Int8),
            Value::Uint(7, UintType::Uint16),
            Value::Bool(false),
            Value::string("x y"),
        ]);
        assert_eq!(
            v.to_string(),
            "[map[a:[1 2 3] b:[1 <nil>]] 1e+06 0.5 -3 7 false x y]"
        );
        assert_eq!(Value::Nil.to_string(), "<nil>");
    }
}
