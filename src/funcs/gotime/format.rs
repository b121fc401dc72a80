//! Go's reference-layout formatting (`Time.Format`, `format.go`): the layout
//! is scanned for the elements of `Mon Jan 2 15:04:05 MST 2006` exactly as
//! Go's `nextStdChunk` finds them (`Jan`/`January`, `01`/`1`, `Mon`/`Monday`,
//! `02`/`_2`/`2`, `__2`/`002`, `15`/`03`/`3`, `PM`/`pm`, `04`/`4`, `05`/`5`,
//! `2006`/`06`, `MST`, the `Z07:00`/`-0700`/`-07`… zone forms, and
//! fractional seconds `.000`/`.999`/`,000`), everything else is literal.

use super::civil::{LONG_DAY_NAMES, LONG_MONTH_NAMES};
use super::time::Time;

pub const RFC3339: &str = "2006-01-02T15:04:05Z07:00";
pub const RFC3339_NANO: &str = "2006-01-02T15:04:05.999999999Z07:00";

/// One layout element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Std {
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    PM,
    Pm,
    TZ,
    ISO8601TZ,
    ISO8601SecondsTZ,
    ISO8601ShortTZ,
    ISO8601ColonTZ,
    ISO8601ColonSecondsTZ,
    NumTZ,
    NumSecondsTz,
    NumShortTZ,
    NumColonTZ,
    NumColonSecondsTZ,
    /// `.000`: this many digits (Go keeps the count modulo 4096), and the
    /// separator.
    FracSecond0(usize, u8),
    /// `.999`: as many digits at most, trailing zeros removed.
    FracSecond9(usize, u8),
}

impl Std {
    /// The `Z` forms print `Z` for a zero offset.
    fn is_iso(self) -> bool {
        matches!(
            self,
            Std::ISO8601TZ
                | Std::ISO8601SecondsTZ
                | Std::ISO8601ShortTZ
                | Std::ISO8601ColonTZ
                | Std::ISO8601ColonSecondsTZ
        )
    }
}

fn starts_with_lower(s: &[u8]) -> bool {
    s.first().is_some_and(u8::is_ascii_lowercase)
}

/// Go's `nextStdChunk`: the text before the first element, the element,
/// and the text after it (`None` and an empty suffix when there is none).
pub fn next_std_chunk(layout: &[u8]) -> (&[u8], Option<Std>, &[u8]) {
    let at = |i: usize, s: &str| layout.get(i..i + s.len()) == Some(s.as_bytes());
    for i in 0..layout.len() {
        let found = |std: Std, len: usize| (&layout[..i], Some(std), &layout[i + len..]);
        match layout[i] {
            b'J' if at(i, "Jan") => {
                if at(i, "January") {
                    return found(Std::LongMonth, 7);
                }
                if !starts_with_lower(&layout[i + 3..]) {
                    return found(Std::Month, 3);
                }
            }
            b'M' => {
                if at(i, "Mon") {
                    if at(i, "Monday") {
                        return found(Std::LongWeekDay, 6);
                    }
                    if !starts_with_lower(&layout[i + 3..]) {
                        return found(Std::WeekDay, 3);
                    }
                }
                if at(i, "MST") {
                    return found(Std::TZ, 3);
                }
            }
            b'0' => {
                if let Some(&c) = layout.get(i + 1) {
                    if (b'1'..=b'6').contains(&c) {
                        let std = [
                            Std::ZeroMonth,
                            Std::ZeroDay,
                            Std::ZeroHour12,
                            Std::ZeroMinute,
                            Std::ZeroSecond,
                            Std::Year,
                        ][usize::from(c - b'1')];
                        return found(std, 2);
                    }
                }
                if at(i, "002") {
                    return found(Std::ZeroYearDay, 3);
                }
            }
            b'1' => {
                if layout.get(i + 1) == Some(&b'5') {
                    return found(Std::Hour, 2);
                }
                return found(Std::NumMonth, 1);
            }
            b'2' => {
                if at(i, "2006") {
                    return found(Std::LongYear, 4);
                }
                return found(Std::Day, 1);
            }
            b'_' => {
                if layout.get(i + 1) == Some(&b'2') {
                    // `_2006` is a literal underscore and the long year.
                    if at(i + 1, "2006") {
                        return (&layout[..i + 1], Some(Std::LongYear), &layout[i + 5..]);
                    }
                    return found(Std::UnderDay, 2);
                }
                if at(i, "__2") {
                    return found(Std::UnderYearDay, 3);
                }
            }
            b'3' => return found(Std::Hour12, 1),
            b'4' => return found(Std::Minute, 1),
            b'5' => return found(Std::Second, 1),
            b'P' if layout.get(i + 1) == Some(&b'M') => return found(Std::PM, 2),
            b'p' if layout.get(i + 1) == Some(&b'm') => return found(Std::Pm, 2),
            b'-' => {
                for (s, std) in [
                    ("-070000", Std::NumSecondsTz),
                    ("-07:00:00", Std::NumColonSecondsTZ),
                    ("-0700", Std::NumTZ),
                    ("-07:00", Std::NumColonTZ),
                    ("-07", Std::NumShortTZ),
                ] {
                    if at(i, s) {
                        return found(std, s.len());
                    }
                }
            }
            b'Z' => {
                for (s, std) in [
                    ("Z070000", Std::ISO8601SecondsTZ),
                    ("Z07:00:00", Std::ISO8601ColonSecondsTZ),
                    ("Z0700", Std::ISO8601TZ),
                    ("Z07:00", Std::ISO8601ColonTZ),
                    ("Z07", Std::ISO8601ShortTZ),
                ] {
                    if at(i, s) {
                        return found(std, s.len());
                    }
                }
            }
            sep @ (b'.' | b',') => {
                if let Some(&ch @ (b'0' | b'9')) = layout.get(i + 1) {
                    let mut j = i + 1;
                    while j < layout.len() && layout[j] == ch {
                        j += 1;
                    }
                    // The digits must end here: a fraction is all digits.
                    if !layout.get(j).is_some_and(u8::is_ascii_digit) {
                        let n = (j - (i + 1)) & 0xfff;
                        let std = if ch == b'0' {
                            Std::FracSecond0(n, sep)
                        } else {
                            Std::FracSecond9(n, sep)
                        };
                        return (&layout[..i], Some(std), &layout[j..]);
                    }
                }
            }
            _ => {}
        }
    }
    (layout, None, &[])
}

/// Go's `appendInt`: `x` in decimal, zero-padded to `width` digits (after
/// any minus sign).
pub(crate) fn append_int(b: &mut String, x: i64, width: usize) {
    if x < 0 {
        b.push('-');
    }
    let digits = x.unsigned_abs().to_string();
    for _ in digits.len()..width {
        b.push('0');
    }
    b.push_str(&digits);
}

/// Go's `appendNano`.
fn append_nano(b: &mut String, nanosec: i64, std: Std) {
    let (n, sep, trim) = match std {
        Std::FracSecond0(n, sep) => (n, sep, false),
        Std::FracSecond9(n, sep) => (n, sep, true),
        _ => return,
    };
    if trim && (n == 0 || nanosec == 0) {
        return;
    }
    let start = b.len();
    b.push(sep as char);
    append_int(b, nanosec, 9);
    if n < 9 {
        b.truncate(start + 1 + n);
    }
    if trim {
        while b.len() > start && b.ends_with('0') {
            b.pop();
        }
        if b.len() > start && b.ends_with(sep as char) {
            b.pop();
        }
    }
}

/// Go's `Time.Format`.
pub fn format(t: &Time, layout: &str) -> String {
    let (name, offset, local) = t.locabs();
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400) as i64;
    let (year, month, day) = super::civil::civil_from_days(days);
    let (hour, min, sec) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let mut b = String::with_capacity(layout.len() + 10);
    let mut rest = layout.as_bytes();
    while !rest.is_empty() {
        let (prefix, std, suffix) = next_std_chunk(rest);
        // Elements are ASCII, so the prefix ends on a character boundary.
        b.push_str(&String::from_utf8_lossy(prefix));
        let Some(std) = std else { break };
        rest = suffix;
        match std {
            Std::Year => append_int(&mut b, (year.unsigned_abs() % 100) as i64, 2),
            Std::LongYear => append_int(&mut b, year, 4),
            Std::Month => b.push_str(&LONG_MONTH_NAMES[(month - 1) as usize][..3]),
            Std::LongMonth => b.push_str(LONG_MONTH_NAMES[(month - 1) as usize]),
            Std::NumMonth => append_int(&mut b, month, 0),
            Std::ZeroMonth => append_int(&mut b, month, 2),
            Std::WeekDay => b.push_str(&LONG_DAY_NAMES[super::civil::weekday(days) as usize][..3]),
            Std::LongWeekDay => b.push_str(LONG_DAY_NAMES[super::civil::weekday(days) as usize]),
            Std::Day => append_int(&mut b, day, 0),
            Std::UnderDay => {
                if day < 10 {
                    b.push(' ');
                }
                append_int(&mut b, day, 0);
            }
            Std::ZeroDay => append_int(&mut b, day, 2),
            Std::UnderYearDay => {
                let yday = super::civil::year_day(days);
                if yday < 100 {
                    b.push(' ');
                    if yday < 10 {
                        b.push(' ');
                    }
                }
                append_int(&mut b, yday, 0);
            }
            Std::ZeroYearDay => append_int(&mut b, super::civil::year_day(days), 3),
            Std::Hour => append_int(&mut b, hour, 2),
            Std::Hour12 | Std::ZeroHour12 => {
                let hr = if hour % 12 == 0 { 12 } else { hour % 12 };
                append_int(&mut b, hr, if std == Std::Hour12 { 0 } else { 2 });
            }
            Std::Minute => append_int(&mut b, min, 0),
            Std::ZeroMinute => append_int(&mut b, min, 2),
            Std::Second => append_int(&mut b, sec, 0),
            Std::ZeroSecond => append_int(&mut b, sec, 2),
            Std::PM => b.push_str(if hour >= 12 { "PM" } else { "AM" }),
            Std::Pm => b.push_str(if hour >= 12 { "pm" } else { "am" }),
            Std::TZ => {
                if !name.is_empty() {
                    b.push_str(&name);
                } else {
                    let mut zone = offset / 60;
                    if zone < 0 {
                        b.push('-');
                        zone = -zone;
                    } else {
                        b.push('+');
                    }
                    append_int(&mut b, zone / 60, 2);
                    append_int(&mut b, zone % 60, 2);
                }
            }
            Std::FracSecond0(..) | Std::FracSecond9(..) => append_nano(&mut b, t.nanosecond(), std),
            zone_std => append_zone(&mut b, offset, zone_std),
        }
    }
    b
}

/// The numeric zone forms (`-0700`, `Z07:00`, …).
fn append_zone(b: &mut String, offset: i64, std: Std) {
    if offset == 0 && std.is_iso() {
        b.push('Z');
        return;
    }
    let mut zone = offset / 60;
    let mut absoffset = offset;
    if zone < 0 {
        b.push('-');
        zone = -zone;
        absoffset = -absoffset;
    } else {
        b.push('+');
    }
    append_int(b, zone / 60, 2);
    let colon = matches!(
        std,
        Std::ISO8601ColonTZ | Std::NumColonTZ | Std::ISO8601ColonSecondsTZ | Std::NumColonSecondsTZ
    );
    if colon {
        b.push(':');
    }
    if !matches!(std, Std::NumShortTZ | Std::ISO8601ShortTZ) {
        append_int(b, zone % 60, 2);
    }
    match std {
        Std::ISO8601SecondsTZ | Std::NumSecondsTz => append_int(b, absoffset % 60, 2),
        Std::NumColonSecondsTZ | Std::ISO8601ColonSecondsTZ => {
            b.push(':');
            append_int(b, absoffset % 60, 2);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funcs::gotime::zone::Location;

    fn t(s: i64, ns: u32, loc: &Location) -> Time {
        Time::from_unix_in(s, ns, loc)
    }

    #[test]
    fn reference_layouts() {
        let mst = Location::fixed("MST", -7 * 3600);
        let r = t(1_136_239_445, 123_456_789, &mst);
        let cases = [
            ("01/02 03:04:05PM '06 -0700", "01/02 03:04:05PM '06 -0700"),
            ("Mon Jan _2 15:04:05 2006", "Mon Jan  2 15:04:05 2006"),
            (
                "Mon Jan _2 15:04:05 MST 2006",
                "Mon Jan  2 15:04:05 MST 2006",
            ),
            (
                "Monday, 02-Jan-06 15:04:05 MST",
                "Monday, 02-Jan-06 15:04:05 MST",
            ),
            (RFC3339, "2006-01-02T15:04:05-07:00"),
            (RFC3339_NANO, "2006-01-02T15:04:05.123456789-07:00"),
            ("3:04PM", "3:04PM"),
            ("Jan _2 15:04:05.000", "Jan  2 15:04:05.123"),
            ("15:04:05,999999", "15:04:05,123456"),
            ("January __2 002", "January   2 002"),
            (
                "Z070000 Z07:00:00 -07 Z07 -070000",
                "-070000 -07:00:00 -07 -07 -070000",
            ),
            ("pm _2006 .0000000000000", "pm _2006 .123456789"),
            ("Month Jantar", "Month Jantar"),
            ("2006-01-02 1 2 3 4 5", "2006-01-02 1 2 3 4 5"),
        ];
        for (layout, want) in cases {
            assert_eq!(format(&r, layout), want, "{layout}");
        }
        let utc = t(0, 0, &Location::utc());
        assert_eq!(format(&utc, "Z07:00 -07:00 MST .999"), "Z +00:00 UTC ");
        let unnamed = t(0, 0, &Location::fixed("", 5 * 3600 + 30 * 60));
        assert_eq!(format(&unnamed, "MST"), "+0530");
        let odd = t(0, 0, &Location::fixed("", -30));
        assert_eq!(format(&odd, "-07:00:00"), "+00:00:-30");
        let bc = Time::date(-12, 1, 1, 0, 0, 0, 0, &Location::utc());
        assert_eq!(format(&bc, "2006 06"), "-0012 12");
    }
}
