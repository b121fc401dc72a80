//! Numbers as the validator sees them, and as its messages print them.
//!
//! santhosh-tekuri/jsonschema v6 compares numbers exactly: every number
//! (a `float64` or `int64` value rendered with `%v`, a schema's
//! `json.Number` literal) becomes a `*big.Rat`. A float therefore counts
//! as its shortest decimal form (`0.3` is exactly 3/10), and `multipleOf`
//! is an exact division. [`Decimal`] is that exact value; it refuses what
//! `Rat.SetString` refuses (a decimal exponent beyond ±10⁶).
//!
//! Messages are printed by `golang.org/x/text/message` in English, whose
//! `%d` groups digits (`1,500`) and whose `%v` of a float switches to
//! `1.5×10⁰⁶` notation once the exponent leaves [-4, 6): [`en_int`] and
//! [`en_float`].

use std::cmp::Ordering;

use crate::value::{format_float, FloatFmt};

/// Go's shortest `%e` form of a float (`NaN`, `+Inf`, `-Inf` as such).
fn shortest(f: f64, bits: u32) -> String {
    format_float(f, FloatFmt::Exp, None, bits)
}

/// An exact decimal: `(-1)^neg × digits × 10^exp`, `digits` without
/// leading or trailing zeros (empty for zero).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Decimal {
    neg: bool,
    digits: Vec<u8>,
    exp: i64,
}

/// `Rat.SetString` gives up on decimal exponents beyond this.
const MAX_EXP5: i64 = 1_000_000;

impl Decimal {
    /// `new(big.Rat).SetString(text)` for decimal notation: an optional
    /// sign, digits with an optional point, an optional exponent.
    pub(crate) fn parse(text: &str) -> Option<Decimal> {
        let b = text.as_bytes();
        let mut i = 0;
        let neg = match b.first() {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let mut mantissa = Vec::new();
        let mut frac_digits: i64 = 0;
        let mut seen_point = false;
        let mut any_digit = false;
        while i < b.len() {
            match b[i] {
                c @ b'0'..=b'9' => {
                    any_digit = true;
                    mantissa.push(c - b'0');
                    if seen_point {
                        frac_digits += 1;
                    }
                }
                b'.' if !seen_point => seen_point = true,
                _ => break,
            }
            i += 1;
        }
        if !any_digit {
            return None;
        }
        let mut exp: i64 = 0;
        if i < b.len() {
            if !matches!(b[i], b'e' | b'E') {
                return None;
            }
            i += 1;
            let eneg = match b.get(i) {
                Some(b'-') => {
                    i += 1;
                    true
                }
                Some(b'+') => {
                    i += 1;
                    false
                }
                _ => false,
            };
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                exp = exp.checked_mul(10)?.checked_add(i64::from(b[i] - b'0'))?;
                i += 1;
            }
            if i == start || i != b.len() {
                return None;
            }
            if eneg {
                exp = -exp;
            }
        }
        let first = mantissa.iter().position(|&d| d != 0);
        let Some(first) = first else {
            return Some(Decimal::zero());
        };
        let exp5 = exp.checked_sub(frac_digits)?;
        if !(-MAX_EXP5..=MAX_EXP5).contains(&exp5) {
            return None;
        }
        let last = mantissa.iter().rposition(|&d| d != 0).unwrap_or(first);
        let trailing = (mantissa.len() - 1 - last) as i64;
        Some(Decimal {
            neg,
            digits: mantissa[first..=last].to_vec(),
            exp: exp5 + trailing,
        })
    }

    pub(crate) fn zero() -> Decimal {
        Decimal {
            neg: false,
            digits: Vec::new(),
            exp: 0,
        }
    }

    /// The value of a Go integer.
    pub(crate) fn from_i128(v: i128) -> Decimal {
        Decimal::parse(&v.to_string()).unwrap_or_else(Decimal::zero)
    }

    /// The value `fmt.Sprint(f)` denotes: `f`'s shortest decimal form.
    /// `None` for NaN and infinities, which `Rat.SetString` refuses.
    pub(crate) fn from_f64(f: f64) -> Option<Decimal> {
        Decimal::parse(&shortest(f, 64))
    }

    /// As [`Decimal::from_f64`] for a `float32` (Go prints it with 32-bit
    /// shortest digits).
    pub(crate) fn from_f32(f: f32) -> Option<Decimal> {
        Decimal::parse(&shortest(f64::from(f), 32))
    }

    fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// `Rat.IsInt`.
    pub(crate) fn is_int(&self) -> bool {
        self.exp >= 0
    }

    /// `int(r.Num().Int64())` for an integral value: the magnitude's low 64
    /// bits, negated for a negative value.
    pub(crate) fn to_go_int(&self) -> i64 {
        let mut v: u64 = 0;
        for &d in &self.digits {
            v = v.wrapping_mul(10).wrapping_add(u64::from(d));
        }
        for _ in 0..self.exp.clamp(0, 64) {
            v = v.wrapping_mul(10);
        }
        if self.exp > 64 {
            // 10^64 is a multiple of 2^64.
            v = 0;
        }
        let v = v as i64;
        if self.neg {
            v.wrapping_neg()
        } else {
            v
        }
    }

    /// `Rat.Float64`: the nearest float64 (±Inf beyond the range).
    pub(crate) fn to_f64(&self) -> f64 {
        if self.is_zero() {
            return 0.0;
        }
        let mut s = String::with_capacity(self.digits.len() + 24);
        if self.neg {
            s.push('-');
        }
        s.extend(self.digits.iter().map(|&d| char::from(b'0' + d)));
        s.push('e');
        s.push_str(&self.exp.to_string());
        s.parse().unwrap_or(f64::NAN)
    }

    /// `Rat.Cmp`.
    pub(crate) fn cmp_value(&self, other: &Decimal) -> Ordering {
        let sign = |d: &Decimal| -> i8 {
            if d.is_zero() {
                0
            } else if d.neg {
                -1
            } else {
                1
            }
        };
        let (a, b) = (sign(self), sign(other));
        if a != b || a == 0 {
            return a.cmp(&b);
        }
        let magnitude = self.cmp_magnitude(other);
        if a < 0 {
            magnitude.reverse()
        } else {
            magnitude
        }
    }

    /// Compares absolute values of two non-zero decimals.
    fn cmp_magnitude(&self, other: &Decimal) -> Ordering {
        // The position of the leading digit decides first.
        let lead = |d: &Decimal| d.digits.len() as i128 + i128::from(d.exp);
        match lead(self).cmp(&lead(other)) {
            Ordering::Equal => {}
            o => return o,
        }
        let n = self.digits.len().max(other.digits.len());
        for i in 0..n {
            let x = self.digits.get(i).copied().unwrap_or(0);
            let y = other.digits.get(i).copied().unwrap_or(0);
            match x.cmp(&y) {
                Ordering::Equal => {}
                o => return o,
            }
        }
        Ordering::Equal
    }

    /// Whether `self / divisor` is an integer (`Rat.Quo(...).IsInt()`).
    /// A zero divisor (which makes Go panic) counts as not dividing.
    pub(crate) fn is_multiple_of(&self, divisor: &Decimal) -> bool {
        if divisor.is_zero() {
            return false;
        }
        if self.is_zero() {
            return true;
        }
        // |a|·10^ea / (|b|·10^eb) is an integer iff b divides a·10^(ea-eb)
        // (ea >= eb) or b·10^(eb-ea) divides a.
        let shift = i128::from(self.exp) - i128::from(divisor.exp);
        if shift >= 0 {
            divides(&divisor.digits, 0, &self.digits, shift)
        } else {
            let zeros = -shift;
            if divisor.digits.len() as i128 + zeros > self.digits.len() as i128 {
                // The divisor is larger than the (non-zero) dividend.
                return false;
            }
            divides(&divisor.digits, zeros, &self.digits, 0)
        }
    }
}

/// Whether `d·10^dz` divides `n·10^nz` (digit strings without leading
/// zeros, `d` non-empty).
fn divides(d: &[u8], dz: i128, n: &[u8], nz: i128) -> bool {
    let mut divisor = d.to_vec();
    divisor.extend(std::iter::repeat_n(0, dz as usize));
    remainder_is_zero(n, nz, &divisor)
}

/// Whether `n·10^zeros mod divisor == 0`, by long division over decimal
/// digits (with a 128-bit fast path for divisors below 2^64).
fn remainder_is_zero(n: &[u8], zeros: i128, divisor: &[u8]) -> bool {
    if divisor.len() <= 19 {
        let m = divisor
            .iter()
            .fold(0u128, |acc, &x| acc * 10 + u128::from(x));
        let mut r: u128 = 0;
        for &x in n {
            r = (r * 10 + u128::from(x)) % m;
        }
        let p = pow_mod(10, zeros, m);
        return (r * p) % m == 0;
    }
    // Arbitrary-length divisor: schoolbook long division.
    let mut r: Vec<u8> = Vec::new();
    let push = |r: &mut Vec<u8>, x: u8| {
        if !(r.is_empty() && x == 0) {
            r.push(x);
        }
        while cmp_digits(r, divisor) != Ordering::Less {
            sub_digits(r, divisor);
        }
    };
    for &x in n {
        push(&mut r, x);
    }
    // Exponents are bounded by `Rat.SetString`'s limit; the cap only keeps
    // absurd schemas from looping long.
    let limit = zeros.min(1_000_000);
    for _ in 0..limit {
        push(&mut r, 0);
    }
    r.is_empty()
}

fn pow_mod(base: u128, mut exp: i128, m: u128) -> u128 {
    let mut result = 1 % m;
    let mut b = base % m;
    while exp > 0 {
        if exp & 1 == 1 {
            result = result * b % m;
        }
        b = b * b % m;
        exp >>= 1;
    }
    result
}

fn cmp_digits(a: &[u8], b: &[u8]) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// `a -= b` for digit strings with `a >= b`; strips leading zeros.
fn sub_digits(a: &mut Vec<u8>, b: &[u8]) {
    let mut borrow = 0i8;
    let off = a.len() - b.len();
    for i in (0..a.len()).rev() {
        let y = if i >= off { b[i - off] as i8 } else { 0 };
        let mut x = a[i] as i8 - y - borrow;
        borrow = 0;
        if x < 0 {
            x += 10;
            borrow = 1;
        }
        a[i] = x as u8;
    }
    let lead = a.iter().position(|&d| d != 0).unwrap_or(a.len());
    a.drain(..lead);
}

// ---------------------------------------------------------------------------
// golang.org/x/text/message, English.

const SUPERSCRIPT: [&str; 10] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"];

/// Digits with a comma before every group of three, counting from the end.
fn grouped(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        let remaining = digits.len() - i - 1;
        out.push(c);
        if remaining > 0 && remaining % 3 == 0 {
            out.push(',');
        }
    }
    out
}

/// `p.Sprintf("%d", i)` for an English printer.
pub(crate) fn en_int(i: i64) -> String {
    let magnitude = grouped(&i.unsigned_abs().to_string());
    if i < 0 {
        format!("-{magnitude}")
    } else {
        magnitude
    }
}

/// `p.Sprintf("%v", f)` for an English printer: shortest digits, as a
/// grouped decimal when the exponent is in [-4, 6), else as `d.ddd×10ⁿⁿ`.
pub(crate) fn en_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_string();
    }
    if f.is_infinite() {
        return if f < 0.0 { "-∞" } else { "∞" }.to_string();
    }
    let sign = if f < 0.0 { "-" } else { "" };
    if f == 0.0 {
        return "0".to_string();
    }
    let sci = shortest(f.abs(), 64);
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i64 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    if !(-4..6).contains(&exponent) {
        let mut out = String::from(sign);
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push_str("×10");
        if exponent < 0 {
            out.push('⁻');
        }
        let e = exponent.unsigned_abs().to_string();
        if e.len() < 2 {
            out.push_str(SUPERSCRIPT[0]);
        }
        for c in e.bytes() {
            out.push_str(SUPERSCRIPT[usize::from(c - b'0')]);
        }
        return out;
    }
    // Decimal notation: the point sits after `exponent + 1` digits.
    let point = exponent + 1;
    let (int_part, frac_part) = if point <= 0 {
        (
            "0".to_string(),
            format!("{}{digits}", "0".repeat(point.unsigned_abs() as usize)),
        )
    } else {
        let p = point as usize;
        if p >= digits.len() {
            (
                format!("{digits}{}", "0".repeat(p - digits.len())),
                String::new(),
            )
        } else {
            (digits[..p].to_string(), digits[p..].to_string())
        }
    };
    let mut out = String::from(sign);
    out.push_str(&grouped(&int_part));
    if !frac_part.is_empty() {
        out.push('.');
        out.push_str(&frac_part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn parses_like_rat_set_string() {
        assert_eq!(d("1.50"), d("15e-1"));
        assert_eq!(d("-0"), Decimal::zero());
        assert_eq!(d("0.000"), Decimal::zero());
        assert!(Decimal::parse("").is_none());
        assert!(Decimal::parse("1e").is_none());
        assert!(Decimal::parse("abc").is_none());
        assert!(Decimal::parse("1e1000001").is_none());
        assert!(Decimal::parse("0e99999999").is_some());
        assert!(Decimal::parse("1e1000000").is_some());
        assert_eq!(Decimal::from_f64(0.3), Some(d("3e-1")));
        assert_eq!(Decimal::from_f64(f64::NAN), None);
    }

    #[test]
    fn compares_exactly() {
        assert_eq!(d("-5").cmp_value(&d("0")), Ordering::Less);
        assert_eq!(d("10.5").cmp_value(&d("11")), Ordering::Less);
        assert_eq!(d("-10.5").cmp_value(&d("-11")), Ordering::Greater);
        assert_eq!(d("1e3").cmp_value(&d("1000.0")), Ordering::Equal);
        assert_eq!(d("0.1").cmp_value(&d("0.09999")), Ordering::Greater);
        assert_eq!(
            d("9007199254740993").cmp_value(&d("9007199254740992")),
            Ordering::Greater
        );
    }

    #[test]
    fn multiple_of_is_exact() {
        assert!(d("0.3").is_multiple_of(&d("0.1")));
        assert!(!d("0.35").is_multiple_of(&d("0.1")));
        assert!(!d("10").is_multiple_of(&d("3")));
        assert!(d("12").is_multiple_of(&d("3")));
        assert!(!d("1e300").is_multiple_of(&d("7")));
        assert!(d("1e300").is_multiple_of(&d("5")));
        assert!(d("0").is_multiple_of(&d("0.7")));
        assert!(!d("1").is_multiple_of(&d("0")));
        let big = d("12345678901234567890123456789");
        assert!(d("24691357802469135780246913578").is_multiple_of(&big));
        assert!(!d("24691357802469135780246913579").is_multiple_of(&big));
        assert!(!d("0.001").is_multiple_of(&d("0.01")));
    }

    #[test]
    fn go_int_wraps_like_int64() {
        assert_eq!(d("5").to_go_int(), 5);
        assert_eq!(d("-1").to_go_int(), -1);
        assert_eq!(d("18446744073709551617").to_go_int(), 1);
        assert_eq!(d("1e80").to_go_int(), 0);
    }

    #[test]
    fn prints_like_x_text() {
        assert_eq!(en_int(806), "806");
        assert_eq!(en_int(1500), "1,500");
        assert_eq!(en_int(-1234567), "-1,234,567");
        assert_eq!(en_int(0), "0");
        for (f, want) in [
            (0.0, "0"),
            (-5.0, "-5"),
            (123456.5, "123,456.5"),
            (1000.0, "1,000"),
            (999999.9, "999,999.9"),
            (1e6, "1×10⁰⁶"),
            (1234567.25, "1.23456725×10⁰⁶"),
            (0.0001, "0.0001"),
            (0.000123, "0.000123"),
            (1e-5, "1×10⁻⁰⁵"),
            (1.5e-7, "1.5×10⁻⁰⁷"),
            (1e21, "1×10²¹"),
            (1e100, "1×10¹⁰⁰"),
            (5e-324, "5×10⁻³²⁴"),
            (-70000.25, "-70,000.25"),
            (9.007199254740992e15, "9.007199254740992×10¹⁵"),
            // An exact tie between two shortest forms goes to the even digit.
            (
                f64::from_bits(4832827441139967625),
                "1.2421601496989782×10¹⁵",
            ),
            (f64::INFINITY, "∞"),
            (f64::NEG_INFINITY, "-∞"),
            (f64::NAN, "NaN"),
        ] {
            assert_eq!(en_float(f), want, "{f}");
        }
    }
}
