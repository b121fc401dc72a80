//! The part of shopspring/decimal v1.4.0 that Sprig's `addf`, `subf`,
//! `mulf`, `divf` and `add1f` use: `NewFromFloat`, `Add`, `Sub`, `Mul`,
//! `Div` (`DivRound` to 16 decimal places, halves away from zero) and
//! `Float64` (the nearest float64).
//!
//! A decimal is an arbitrary-size integer coefficient times a power of ten.
//! `NewFromFloat` takes the shortest decimal that reads back as the same
//! float, so `addf 0.1 0.2` is exactly 0.3. The coefficient is kept as
//! decimal digits, which makes the powers of ten shifts; the sizes met here
//! (a few hundred digits at most) keep schoolbook arithmetic cheap.
//! shopspring's panics (`Cannot create a Decimal from NaN`, `decimal
//! division by 0`) are returned as errors with the same text.

use std::cmp::Ordering;

use crate::value::Value;

/// `DivisionPrecision`: decimal places kept by `Div`.
const DIVISION_PRECISION: i64 = 16;

/// A decimal number: `(-1)^neg × digits × 10^exp`. `digits` holds the
/// coefficient's decimal digits, most significant first, without leading
/// zeros (empty for zero, which is never negative).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Decimal {
    neg: bool,
    digits: Vec<u8>,
    exp: i64,
}

fn trimmed(mut digits: Vec<u8>) -> Vec<u8> {
    let zeros = digits.iter().take_while(|&&d| d == 0).count();
    digits.drain(..zeros);
    digits
}

fn cmp_mag(a: &[u8], b: &[u8]) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn add_mag(a: &[u8], b: &[u8]) -> Vec<u8> {
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    let mut out = vec![0u8; long.len() + 1];
    let mut carry = 0;
    for i in 0..long.len() {
        let x = long[long.len() - 1 - i]
            + short.len().checked_sub(i + 1).map_or(0, |j| short[j])
            + carry;
        out[long.len() - i] = x % 10;
        carry = x / 10;
    }
    out[0] = carry;
    trimmed(out)
}

/// `a - b` for `a >= b`.
fn sub_mag(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = a.to_vec();
    let mut borrow = 0;
    for i in 0..out.len() {
        let k = out.len() - 1 - i;
        let sub = b.len().checked_sub(i + 1).map_or(0, |j| b[j]) + borrow;
        if out[k] >= sub {
            out[k] -= sub;
            borrow = 0;
        } else {
            out[k] = out[k] + 10 - sub;
            borrow = 1;
        }
    }
    trimmed(out)
}

fn mul_mag(a: &[u8], b: &[u8]) -> Vec<u8> {
    if a.is_empty() || b.is_empty() {
        return Vec::new();
    }
    // Little-endian accumulators, normalised once at the end.
    let mut acc = vec![0u64; a.len() + b.len()];
    for (i, &x) in a.iter().rev().enumerate() {
        for (j, &y) in b.iter().rev().enumerate() {
            acc[i + j] += u64::from(x) * u64::from(y);
        }
    }
    // Each slot holds at most 81 per row, far from overflowing.
    let mut carry = 0;
    for slot in acc.iter_mut() {
        let x = *slot + carry;
        *slot = x % 10;
        carry = x / 10;
    }
    trimmed(acc.iter().rev().map(|&d| d as u8).collect())
}

/// `digits × 10^k`.
fn shift_mag(digits: &[u8], k: u64) -> Vec<u8> {
    let mut out = digits.to_vec();
    if !out.is_empty() {
        out.resize(out.len() + k as usize, 0);
    }
    out
}

/// Truncating division with remainder of magnitudes (`b` not zero).
fn divrem_mag(a: &[u8], b: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut quotient = Vec::with_capacity(a.len());
    let mut rem: Vec<u8> = Vec::with_capacity(b.len() + 1);
    for &d in a {
        rem.push(d);
        rem = trimmed(rem);
        let mut q = 0;
        while cmp_mag(&rem, b) != Ordering::Less {
            rem = sub_mag(&rem, b);
            q += 1;
        }
        quotient.push(q);
    }
    (trimmed(quotient), rem)
}

impl Decimal {
    fn new(neg: bool, digits: Vec<u8>, exp: i64) -> Decimal {
        let digits = trimmed(digits);
        Decimal {
            neg: neg && !digits.is_empty(),
            digits,
            exp,
        }
    }

    fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// `New(1, exp)`.
    fn unit(exp: i64) -> Decimal {
        Decimal::new(false, vec![1], exp)
    }

    /// `NewFromFloat`: the shortest decimal that rounds back to `f`.
    pub(super) fn from_f64(f: f64) -> Result<Decimal, String> {
        if !f.is_finite() {
            return Err(format!("Cannot create a Decimal from {}", Value::Float(f)));
        }
        if f == 0.0 {
            return Ok(Decimal::new(false, Vec::new(), 0));
        }
        // `{:e}` prints the shortest round-tripping digits: "1.2345e-7".
        let text = format!("{:e}", f.abs());
        let (mantissa, exp10) = text.split_once('e').unwrap_or((&text, "0"));
        let digits: Vec<u8> = mantissa
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| b - b'0')
            .collect();
        let exp10: i64 = exp10.parse().unwrap_or(0);
        let exp = exp10 - (digits.len() as i64 - 1);
        Ok(Decimal::new(f < 0.0, digits, exp))
    }

    /// `Float64`: the float64 nearest to the decimal.
    pub(super) fn to_f64(&self) -> f64 {
        if self.is_zero() {
            return 0.0;
        }
        let digits: String = self.digits.iter().map(|d| char::from(b'0' + d)).collect();
        let sign = if self.neg { "-" } else { "" };
        format!("{sign}{digits}e{}", self.exp)
            .parse()
            .unwrap_or(0.0)
    }

    /// The coefficient rescaled to exponent `exp <= self.exp`.
    fn digits_at(&self, exp: i64) -> Vec<u8> {
        shift_mag(&self.digits, (self.exp - exp) as u64)
    }

    /// `Add`: exact, at the smaller exponent of the two.
    pub(super) fn add(&self, other: &Decimal) -> Decimal {
        let exp = self.exp.min(other.exp);
        let (a, b) = (self.digits_at(exp), other.digits_at(exp));
        if self.neg == other.neg {
            return Decimal::new(self.neg, add_mag(&a, &b), exp);
        }
        match cmp_mag(&a, &b) {
            Ordering::Less => Decimal::new(other.neg, sub_mag(&b, &a), exp),
            _ => Decimal::new(self.neg, sub_mag(&a, &b), exp),
        }
    }

    /// `Sub`.
    pub(super) fn sub(&self, other: &Decimal) -> Decimal {
        let negated = Decimal::new(!other.neg, other.digits.clone(), other.exp);
        self.add(&negated)
    }

    /// `Mul`: exact; shopspring panics when the exponent leaves int32.
    pub(super) fn mul(&self, other: &Decimal) -> Result<Decimal, String> {
        let exp = self.exp + other.exp;
        if exp > i64::from(i32::MAX) || exp < i64::from(i32::MIN) {
            return Err(format!("exponent {exp} overflows an int32!"));
        }
        Ok(Decimal::new(
            self.neg != other.neg,
            mul_mag(&self.digits, &other.digits),
            exp,
        ))
    }

    /// Compares absolute values.
    fn cmp_abs(&self, other: &Decimal) -> Ordering {
        let exp = self.exp.min(other.exp);
        cmp_mag(&self.digits_at(exp), &other.digits_at(exp))
    }

    /// `QuoRem(d2, precision)`: the quotient truncated to a multiple of
    /// `10^-precision`, and the remainder.
    fn quo_rem(&self, other: &Decimal, precision: i64) -> Result<(Decimal, Decimal), String> {
        if other.is_zero() {
            return Err("decimal division by 0".to_string());
        }
        let scale = -precision;
        let e = self.exp - other.exp - scale;
        if e > i64::from(i32::MAX) || e < i64::from(i32::MIN) {
            return Err("overflow in decimal QuoRem".to_string());
        }
        let (a, b, rest_exp) = if e < 0 {
            (
                self.digits.clone(),
                shift_mag(&other.digits, e.unsigned_abs()),
                self.exp,
            )
        } else {
            (
                shift_mag(&self.digits, e as u64),
                other.digits.clone(),
                scale + other.exp,
            )
        };
        let (q, r) = divrem_mag(&a, &b);
        Ok((
            Decimal::new(self.neg != other.neg, q, scale),
            Decimal::new(self.neg, r, rest_exp),
        ))
    }

    /// `Div`: `DivRound(d2, 16)`, rounding halves away from zero.
    pub(super) fn div(&self, other: &Decimal) -> Result<Decimal, String> {
        let precision = DIVISION_PRECISION;
        let (q, r) = self.quo_rem(other, precision)?;
        let twice_r = Decimal::new(false, add_mag(&r.digits, &r.digits), r.exp + precision);
        if twice_r.cmp_abs(other) == Ordering::Less {
            return Ok(q);
        }
        let step = Decimal::unit(-precision);
        if self.neg != other.neg && !self.is_zero() {
            Ok(q.sub(&step))
        } else {
            Ok(q.add(&step))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(f: f64) -> Decimal {
        Decimal::from_f64(f).unwrap()
    }

    #[test]
    fn from_float_takes_shortest_digits() {
        assert_eq!(d(123.456), Decimal::new(false, vec![1, 2, 3, 4, 5, 6], -3));
        assert_eq!(d(-100.0), Decimal::new(true, vec![1], 2));
        assert_eq!(d(0.1).to_f64(), 0.1);
        assert_eq!(
            Decimal::from_f64(f64::NAN).unwrap_err(),
            "Cannot create a Decimal from NaN"
        );
        assert_eq!(
            Decimal::from_f64(f64::NEG_INFINITY).unwrap_err(),
            "Cannot create a Decimal from -Inf"
        );
    }

    #[test]
    fn arithmetic_is_exact() {
        assert_eq!(d(0.1).add(&d(0.2)).to_f64(), 0.3);
        assert_eq!(d(4.5).sub(&d(1.0)).sub(&d(3.0)).to_f64(), 0.5);
        assert_eq!(d(1.2).mul(&d(2.4)).unwrap().to_f64(), 2.88);
        assert_eq!(d(-3.0).add(&d(1.0)).to_f64(), -2.0);
        assert_eq!(d(1e308).add(&d(5e-324)).to_f64(), 1e308);
        assert_eq!(d(2.0).sub(&d(2.0)).to_f64().to_bits(), 0.0f64.to_bits());
    }

    #[test]
    fn division_rounds_to_sixteen_places() {
        assert_eq!(
            d(5.0).div(&d(4.0)).unwrap().div(&d(2.0)).unwrap().to_f64(),
            0.625
        );
        assert_eq!(d(1.0).div(&d(3.0)).unwrap().to_f64(), 0.3333333333333333);
        assert_eq!(d(2.0).div(&d(3.0)).unwrap().to_f64(), 0.6666666666666667);
        assert_eq!(d(-2.0).div(&d(3.0)).unwrap().to_f64(), -0.6666666666666667);
        assert_eq!(d(1.0).div(&d(1e-300)).unwrap().to_f64(), 1e300);
        assert_eq!(d(1e-300).div(&d(3.0)).unwrap().to_f64(), 0.0);
        assert_eq!(d(1.0).div(&d(0.0)).unwrap_err(), "decimal division by 0");
    }
}
