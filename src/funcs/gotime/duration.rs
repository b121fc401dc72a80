//! Go's `time.Duration`: a signed count of nanoseconds, its `String` form
//! (`1h2m3.5s`, `1.5ms`, `0s`), `ParseDuration` with Go's error texts, and
//! the `Round`/`Truncate`/`Abs` arithmetic (saturating where Go saturates,
//! wrapping where Go's int64 arithmetic wraps).

use std::fmt;

/// Go's `time.Duration` (nanoseconds).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration(pub i64);

pub const NANOSECOND: i64 = 1;
pub const MICROSECOND: i64 = 1_000;
pub const MILLISECOND: i64 = 1_000_000;
pub const SECOND: i64 = 1_000_000_000;
pub const MINUTE: i64 = 60 * SECOND;
pub const HOUR: i64 = 60 * MINUTE;

impl Duration {
    pub const MIN: Duration = Duration(i64::MIN);
    pub const MAX: Duration = Duration(i64::MAX);

    pub fn nanoseconds(self) -> i64 {
        self.0
    }

    /// Go's `Duration.Microseconds` (truncating).
    pub fn microseconds(self) -> i64 {
        self.0 / MICROSECOND
    }

    /// Go's `Duration.Milliseconds` (truncating).
    pub fn milliseconds(self) -> i64 {
        self.0 / MILLISECOND
    }

    /// Go's `Duration.Seconds`: whole and fractional parts split first so
    /// that the float rounds like the integer division.
    pub fn seconds(self) -> f64 {
        (self.0 / SECOND) as f64 + (self.0 % SECOND) as f64 / 1e9
    }

    pub fn minutes(self) -> f64 {
        (self.0 / MINUTE) as f64 + (self.0 % MINUTE) as f64 / (60.0 * 1e9)
    }

    pub fn hours(self) -> f64 {
        (self.0 / HOUR) as f64 + (self.0 % HOUR) as f64 / (60.0 * 60.0 * 1e9)
    }

    /// Go's `Duration.Truncate`: toward zero to a multiple of `m`; `m <= 0`
    /// leaves `d` unchanged.
    pub fn truncate(self, m: Duration) -> Duration {
        if m.0 <= 0 {
            return self;
        }
        Duration(self.0 - self.0 % m.0)
    }

    /// Go's `Duration.Round`: to the nearest multiple of `m`, halves away
    /// from zero, saturating at the extremes; `m <= 0` leaves `d` unchanged.
    pub fn round(self, m: Duration) -> Duration {
        let (d, m) = (self.0, m.0);
        if m <= 0 {
            return self;
        }
        let mut r = d % m;
        if d < 0 {
            r = -r;
            if less_than_half(r, m) {
                return Duration(d + r);
            }
            let d1 = d.wrapping_sub(m).wrapping_add(r);
            if d1 < d {
                return Duration(d1);
            }
            return Duration::MIN;
        }
        if less_than_half(r, m) {
            return Duration(d - r);
        }
        let d1 = d.wrapping_add(m).wrapping_sub(r);
        if d1 > d {
            return Duration(d1);
        }
        Duration::MAX
    }

    /// Go's `Duration.Abs` (`MIN` becomes `MAX`).
    pub fn abs(self) -> Duration {
        if self.0 >= 0 {
            self
        } else if self.0 == i64::MIN {
            Duration::MAX
        } else {
            Duration(-self.0)
        }
    }
}

/// `x + x < y` without overflow, for non-negative `x` and `y`.
pub(crate) fn less_than_half(x: i64, y: i64) -> bool {
    (x as u64).wrapping_add(x as u64) < y as u64
}

/// Writes `v / 10^prec`'s fraction digits (trailing zeros and a bare point
/// omitted) in front of `buf[..w]`; returns the new start and `v / 10^prec`.
fn fmt_frac(buf: &mut [u8], mut w: usize, mut v: u64, prec: usize) -> (usize, u64) {
    let mut print = false;
    for _ in 0..prec {
        let digit = v % 10;
        print = print || digit != 0;
        if print {
            w -= 1;
            buf[w] = digit as u8 + b'0';
        }
        v /= 10;
    }
    if print {
        w -= 1;
        buf[w] = b'.';
    }
    (w, v)
}

fn fmt_int(buf: &mut [u8], mut w: usize, mut v: u64) -> usize {
    if v == 0 {
        w -= 1;
        buf[w] = b'0';
    }
    while v > 0 {
        w -= 1;
        buf[w] = (v % 10) as u8 + b'0';
        v /= 10;
    }
    w
}

/// Go's `Duration.String`.
impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; 32];
        let mut w = buf.len();
        let neg = self.0 < 0;
        let mut u = self.0.unsigned_abs();
        if u < SECOND as u64 {
            w -= 1;
            buf[w] = b's';
            if u == 0 {
                return f.write_str("0s");
            }
            let prec = if u < MICROSECOND as u64 {
                w -= 1;
                buf[w] = b'n';
                0
            } else if u < MILLISECOND as u64 {
                // U+00B5 MICRO SIGN.
                w -= 2;
                buf[w..w + 2].copy_from_slice("µ".as_bytes());
                3
            } else {
                w -= 1;
                buf[w] = b'm';
                6
            };
            let (nw, nu) = fmt_frac(&mut buf, w, u, prec);
            w = fmt_int(&mut buf, nw, nu);
        } else {
            w -= 1;
            buf[w] = b's';
            let (nw, nu) = fmt_frac(&mut buf, w, u, 9);
            u = nu;
            w = fmt_int(&mut buf, nw, u % 60);
            u /= 60;
            if u > 0 {
                w -= 1;
                buf[w] = b'm';
                w = fmt_int(&mut buf, w, u % 60);
                u /= 60;
                if u > 0 {
                    w -= 1;
                    buf[w] = b'h';
                    w = fmt_int(&mut buf, w, u);
                }
            }
        }
        if neg {
            w -= 1;
            buf[w] = b'-';
        }
        // Only ASCII and a whole "µ" were written.
        f.write_str(std::str::from_utf8(&buf[w..]).unwrap_or_default())
    }
}

/// The `time` package's own quoting for error messages: printable ASCII as
/// it is (with `"` and `\` escaped), every other byte as `\xNN`.
pub fn time_quote(s: &str) -> String {
    quote_bytes(s.as_bytes())
}

/// [`time_quote`] on bytes (values `Parse` sliced mid-character).
pub fn quote_bytes(s: &[u8]) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for &b in s {
        if !(b' '..0x80).contains(&b) {
            out.push_str(&format!("\\x{b:02x}"));
        } else {
            if b == b'"' || b == b'\\' {
                out.push('\\');
            }
            out.push(b as char);
        }
    }
    out.push('"');
    out
}

/// Consumes leading ASCII digits as Go's `leadingInt`: `None` on overflow
/// past 2^63.
pub(crate) fn leading_int(s: &[u8]) -> Option<(u64, usize)> {
    let mut x: u64 = 0;
    let mut i = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        if x > (1u64 << 63) / 10 {
            return None;
        }
        x = x * 10 + u64::from(s[i] - b'0');
        if x > 1u64 << 63 {
            return None;
        }
        i += 1;
    }
    Some((x, i))
}

/// Go's `leadingFraction`: digits after a decimal point, accumulating
/// precision until it would overflow.
fn leading_fraction(s: &[u8]) -> (u64, f64, usize) {
    let mut x: u64 = 0;
    let mut scale = 1.0;
    let mut overflow = false;
    let mut i = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        let c = s[i];
        i += 1;
        if overflow {
            continue;
        }
        if x > (i64::MAX as u64) / 10 {
            overflow = true;
            continue;
        }
        let y = x * 10 + u64::from(c - b'0');
        if y > 1u64 << 63 {
            overflow = true;
            continue;
        }
        x = y;
        scale *= 10.0;
    }
    (x, scale, i)
}

fn unit_nanos(unit: &str) -> Option<u64> {
    Some(match unit {
        "ns" => 1,
        "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => return None,
    })
}

/// Go's `time.ParseDuration`, with its error texts
/// (`time: invalid duration "x"`, `time: unknown unit "f" in duration "1f"`).
pub fn parse_duration(orig: &str) -> Result<Duration, String> {
    let invalid = || format!("time: invalid duration {}", time_quote(orig));
    let mut s = orig.as_bytes();
    let mut neg = false;
    if let Some(&c) = s.first() {
        if c == b'-' || c == b'+' {
            neg = c == b'-';
            s = &s[1..];
        }
    }
    if s == b"0" {
        return Ok(Duration(0));
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut d: u64 = 0;
    while !s.is_empty() {
        if !(s[0] == b'.' || s[0].is_ascii_digit()) {
            return Err(invalid());
        }
        let (mut v, n) = leading_int(s).ok_or_else(invalid)?;
        let pre = n > 0;
        s = &s[n..];
        let mut post = false;
        let (mut f, mut scale) = (0u64, 1.0f64);
        if s.first() == Some(&b'.') {
            s = &s[1..];
            let (fx, fscale, fn_) = leading_fraction(s);
            f = fx;
            scale = fscale;
            post = fn_ > 0;
            s = &s[fn_..];
        }
        if !pre && !post {
            return Err(invalid());
        }
        let i = s
            .iter()
            .position(|&c| c == b'.' || c.is_ascii_digit())
            .unwrap_or(s.len());
        if i == 0 {
            return Err(format!(
                "time: missing unit in duration {}",
                time_quote(orig)
            ));
        }
        // The unit ends at an ASCII byte (or the end), so this is a
        // character boundary of `orig`.
        let unit = String::from_utf8_lossy(&s[..i]).into_owned();
        s = &s[i..];
        let Some(unit_ns) = unit_nanos(&unit) else {
            return Err(format!(
                "time: unknown unit {} in duration {}",
                time_quote(&unit),
                time_quote(orig)
            ));
        };
        if v > (1u64 << 63) / unit_ns {
            return Err(invalid());
        }
        v *= unit_ns;
        if f > 0 {
            v = v.wrapping_add((f as f64 * (unit_ns as f64 / scale)) as u64);
            if v > 1u64 << 63 {
                return Err(invalid());
            }
        }
        d = d.wrapping_add(v);
        if d > 1u64 << 63 {
            return Err(invalid());
        }
    }
    if neg {
        return Ok(Duration((d as i64).wrapping_neg()));
    }
    if d > i64::MAX as u64 {
        return Err(invalid());
    }
    Ok(Duration(d as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(ns: i64) -> String {
        Duration(ns).to_string()
    }

    #[test]
    fn strings_match_go() {
        assert_eq!(s(0), "0s");
        assert_eq!(s(1), "1ns");
        assert_eq!(s(1100), "1.1µs");
        assert_eq!(s(2_200_000), "2.2ms");
        assert_eq!(s(3_300_000_000), "3.3s");
        assert_eq!(s(4 * MINUTE + 5 * SECOND), "4m5s");
        assert_eq!(s(4 * MINUTE + 5_001 * MILLISECOND), "4m5.001s");
        assert_eq!(s(5 * HOUR + 6 * MINUTE + 7_001 * MILLISECOND), "5h6m7.001s");
        assert_eq!(s(8 * MINUTE + 1), "8m0.000000001s");
        assert_eq!(s(i64::MAX), "2562047h47m16.854775807s");
        assert_eq!(s(i64::MIN), "-2562047h47m16.854775808s");
        assert_eq!(s(-1), "-1ns");
        assert_eq!(s(3600 * SECOND), "1h0m0s");
    }

    #[test]
    fn parse_matches_go() {
        let ok = |t: &str| parse_duration(t).unwrap().0;
        assert_eq!(ok("0"), 0);
        assert_eq!(ok("-0"), 0);
        assert_eq!(ok("5s"), 5 * SECOND);
        assert_eq!(ok("+5s"), 5 * SECOND);
        assert_eq!(ok("-5s"), -5 * SECOND);
        assert_eq!(ok("1.5h"), 90 * MINUTE);
        assert_eq!(ok(".5s"), 500 * MILLISECOND);
        assert_eq!(ok("1.s"), SECOND);
        assert_eq!(ok("2h45m"), 165 * MINUTE);
        assert_eq!(ok("1µs"), 1000);
        assert_eq!(ok("1μs"), 1000);
        assert_eq!(ok("0.3333333333333333333h"), 20 * MINUTE);
        assert_eq!(ok("9223372036854775807ns"), i64::MAX);
        assert_eq!(ok("-9223372036854775808ns"), i64::MIN);
        assert_eq!(ok("9007199254.740993ms"), 9007199254740993);
        let err = |t: &str| parse_duration(t).unwrap_err();
        assert_eq!(err(""), r#"time: invalid duration """#);
        assert_eq!(err("3"), r#"time: missing unit in duration "3""#);
        assert_eq!(err("1f"), r#"time: unknown unit "f" in duration "1f""#);
        assert_eq!(err("-"), r#"time: invalid duration "-""#);
        assert_eq!(err(".s"), r#"time: invalid duration ".s""#);
        assert_eq!(err("s"), r#"time: invalid duration "s""#);
        assert_eq!(
            err("9223372036854775808ns"),
            r#"time: invalid duration "9223372036854775808ns""#
        );
        assert_eq!(
            err("3\u{3b1}"),
            r#"time: unknown unit "\xce\xb1" in duration "3\xce\xb1""#
        );
    }

    #[test]
    fn rounding_matches_go() {
        let r = |d: i64, m: i64| Duration(d).round(Duration(m)).0;
        assert_eq!(r(1500 * MILLISECOND, SECOND), 2 * SECOND);
        assert_eq!(r(1499 * MILLISECOND, SECOND), SECOND);
        assert_eq!(r(-1500 * MILLISECOND, SECOND), -2 * SECOND);
        assert_eq!(r(i64::MAX, HOUR), i64::MAX);
        assert_eq!(r(i64::MIN, HOUR), i64::MIN);
        assert_eq!(r(7, 0), 7);
        assert_eq!(Duration(-1999).truncate(Duration(1000)).0, -1000);
        assert_eq!(Duration(i64::MIN).abs(), Duration::MAX);
        assert_eq!(Duration(90 * MINUTE).hours(), 1.5);
    }
}
