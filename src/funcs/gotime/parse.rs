//! Go's `time.Parse`/`ParseInLocation` (`format.go`): the value is matched
//! element by element against the layout, with Go's leniencies (runs of
//! spaces, a fractional second after the seconds even if the layout has
//! none, `_2` accepting a leading space), its range checks, its handling of
//! zone offsets and abbreviations against the local location (including
//! the fabricated fixed zones), and its exact error texts:
//! `parsing time "x" as "2006": cannot parse "x" as "2006"`,
//! `parsing time "13": month out of range`, `…: extra text: "…"`.
//!
//! Values are handled as bytes, as Go slices strings, so an element may
//! split a multi-byte character; error texts quote such bytes as `\xNN`.

use super::civil;
use super::duration::{leading_int, quote_bytes};
use super::format::{next_std_chunk, Std};
use super::time::Time;
use super::zone::Location;

/// A parse failure, printed as Go's `*time.ParseError`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    layout: Vec<u8>,
    value: Vec<u8>,
    layout_elem: Vec<u8>,
    value_elem: Vec<u8>,
    message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.message.is_empty() {
            write!(
                f,
                "parsing time {} as {}: cannot parse {} as {}",
                quote_bytes(&self.value),
                quote_bytes(&self.layout),
                quote_bytes(&self.value_elem),
                quote_bytes(&self.layout_elem)
            )
        } else {
            write!(
                f,
                "parsing time {}{}",
                quote_bytes(&self.value),
                self.message
            )
        }
    }
}

/// Marks a failed element ("bad value for field" in Go, never printed).
struct Bad;

fn is_digit(s: &[u8], i: usize) -> bool {
    s.get(i).is_some_and(u8::is_ascii_digit)
}

/// Go's `getnum`: one or two digits (`fixed` requires two).
fn getnum(s: &[u8], fixed: bool) -> Result<(i64, &[u8]), Bad> {
    if !is_digit(s, 0) {
        return Err(Bad);
    }
    if !is_digit(s, 1) {
        if fixed {
            return Err(Bad);
        }
        return Ok((i64::from(s[0] - b'0'), &s[1..]));
    }
    Ok((
        i64::from(s[0] - b'0') * 10 + i64::from(s[1] - b'0'),
        &s[2..],
    ))
}

/// Go's `getnum3`: one to three digits (`fixed` requires three).
fn getnum3(s: &[u8], fixed: bool) -> Result<(i64, &[u8]), Bad> {
    let mut n = 0i64;
    let mut i = 0;
    while i < 3 && is_digit(s, i) {
        n = n * 10 + i64::from(s[i] - b'0');
        i += 1;
    }
    if i == 0 || (fixed && i != 3) {
        return Err(Bad);
    }
    Ok((n, &s[i..]))
}

/// Go's `atoi`: an optionally signed decimal with nothing after it.
fn atoi(s: &[u8]) -> Result<i64, Bad> {
    let (neg, s) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (q, n) = leading_int(s).ok_or(Bad)?;
    if n != s.len() {
        return Err(Bad);
    }
    let x = q as i64;
    Ok(if neg { x.wrapping_neg() } else { x })
}

/// Go's `skip`: removes `prefix` from `value`, runs of spaces matching runs
/// of spaces.
fn skip<'a>(mut value: &'a [u8], mut prefix: &[u8]) -> Result<&'a [u8], &'a [u8]> {
    while let Some(&p) = prefix.first() {
        if p == b' ' {
            if value.first().is_some_and(|&c| c != b' ') {
                return Err(value);
            }
            prefix = trim_spaces(prefix);
            value = trim_spaces(value);
            continue;
        }
        if value.first() != Some(&p) {
            return Err(value);
        }
        prefix = &prefix[1..];
        value = &value[1..];
    }
    Ok(value)
}

fn trim_spaces(mut s: &[u8]) -> &[u8] {
    while s.first() == Some(&b' ') {
        s = &s[1..];
    }
    s
}

/// Go's case-insensitive `lookup` of a name table prefix.
fn lookup<'a>(names: &[&str], val: &'a [u8], short: bool) -> Result<(i64, &'a [u8]), Bad> {
    for (i, name) in names.iter().enumerate() {
        let name = if short {
            &name.as_bytes()[..3]
        } else {
            name.as_bytes()
        };
        if val.len() >= name.len() && ascii_fold_eq(&val[..name.len()], name) {
            return Ok((i as i64, &val[name.len()..]));
        }
    }
    Err(Bad)
}

fn ascii_fold_eq(a: &[u8], b: &[u8]) -> bool {
    a.iter().zip(b).all(|(&c1, &c2)| {
        c1 == c2 || {
            let (l1, l2) = (c1 | 0x20, c2 | 0x20);
            l1 == l2 && l1.is_ascii_lowercase()
        }
    })
}

fn comma_or_period(b: u8) -> bool {
    b == b'.' || b == b','
}

/// Go's `parseNanoseconds`: a separator and digits, scaled to nanoseconds.
/// The error is a range message or a bad element.
fn parse_nanoseconds(value: &[u8], nbytes: usize) -> Result<i64, Result<&'static str, Bad>> {
    if !value.first().copied().is_some_and(comma_or_period) {
        return Err(Err(Bad));
    }
    let nbytes = nbytes.min(10);
    let ns = atoi(value.get(1..nbytes).ok_or(Err(Bad))?).map_err(Err)?;
    if ns < 0 {
        return Err(Ok("fractional second"));
    }
    Ok(ns * 10i64.pow((10 - nbytes) as u32))
}

/// Go's `parseSignedOffset`: `+hh`/`-hh` with hours up to 23; the length.
fn parse_signed_offset(value: &[u8]) -> usize {
    if !matches!(value.first(), Some(b'+' | b'-')) {
        return 0;
    }
    match leading_int(&value[1..]) {
        Some((x, n)) if n > 0 && x <= 23 => 1 + n,
        _ => 0,
    }
}

/// Go's `parseTimeZone`: the length of a zone abbreviation at the start.
fn parse_time_zone(value: &[u8]) -> Option<usize> {
    if value.len() < 3 {
        return None;
    }
    if value.len() >= 4 && (&value[..4] == b"ChST" || &value[..4] == b"MeST") {
        return Some(4);
    }
    if &value[..3] == b"GMT" {
        return Some(if value.len() == 3 {
            3
        } else {
            3 + parse_signed_offset(&value[3..])
        });
    }
    if value[0] == b'+' || value[0] == b'-' {
        let n = parse_signed_offset(value);
        return (n > 0).then_some(n);
    }
    let upper = value
        .iter()
        .take(6)
        .take_while(|c| c.is_ascii_uppercase())
        .count();
    match upper {
        5 if value[4] == b'T' => Some(5),
        4 if value[3] == b'T' || &value[..4] == b"WITA" => Some(4),
        3 => Some(3),
        _ => None,
    }
}

/// Go's `time.Parse`: no zone means UTC; zones are matched against Local.
pub fn parse_utc(layout: &str, value: &str) -> Result<Time, ParseError> {
    parse(layout, value, &Location::utc(), &Location::local())
}

/// Go's `time.ParseInLocation`.
pub fn parse_in_location(layout: &str, value: &str, loc: &Location) -> Result<Time, ParseError> {
    parse(layout, value, loc, loc)
}

/// Go's `parse(layout, value, defaultLocation, local)`.
pub fn parse(
    layout: &str,
    value: &str,
    default_loc: &Location,
    local: &Location,
) -> Result<Time, ParseError> {
    let (alayout, avalue) = (layout.as_bytes(), value.as_bytes());
    let error = |layout_elem: &[u8], value_elem: &[u8], message: String| ParseError {
        layout: alayout.to_vec(),
        value: avalue.to_vec(),
        layout_elem: layout_elem.to_vec(),
        value_elem: value_elem.to_vec(),
        message,
    };
    let mut layout = alayout;
    let mut value = avalue;
    let mut range_err: &str = "";
    let (mut am_set, mut pm_set) = (false, false);
    let (mut year, mut month, mut day, mut yday) = (0i64, -1i64, -1i64, -1i64);
    let (mut hour, mut min, mut sec, mut nsec) = (0i64, 0i64, 0i64, 0i64);
    let mut z: Option<Location> = None;
    let mut zone_offset: i64 = -1;
    let mut zone_name: &[u8] = b"";

    loop {
        let (prefix, std, suffix) = next_std_chunk(layout);
        let std_str = &layout[prefix.len()..layout.len() - suffix.len()];
        value = match skip(value, prefix) {
            Ok(v) => v,
            Err(v) => return Err(error(prefix, v, String::new())),
        };
        let Some(std) = std else {
            if !value.is_empty() {
                return Err(error(
                    b"",
                    value,
                    format!(": extra text: {}", quote_bytes(value)),
                ));
            }
            break;
        };
        layout = suffix;
        let hold = value;
        let result: Result<(), Bad> = (|| {
            match std {
                Std::Year => {
                    if value.len() < 2 {
                        return Err(Bad);
                    }
                    let p = &value[..2];
                    value = &value[2..];
                    year = atoi(p)?;
                    year += if year >= 69 { 1900 } else { 2000 };
                }
                Std::LongYear => {
                    if value.len() < 4 || !is_digit(value, 0) {
                        return Err(Bad);
                    }
                    let p = &value[..4];
                    value = &value[4..];
                    year = atoi(p)?;
                }
                Std::Month | Std::LongMonth => {
                    let (m, rest) = lookup(&civil::LONG_MONTH_NAMES, value, std == Std::Month)?;
                    month = m + 1;
                    value = rest;
                }
                Std::NumMonth | Std::ZeroMonth => {
                    let (m, rest) = getnum(value, std == Std::ZeroMonth)?;
                    month = m;
                    value = rest;
                    if !(1..=12).contains(&month) {
                        range_err = "month";
                    }
                }
                Std::WeekDay | Std::LongWeekDay => {
                    let (_, rest) = lookup(&civil::LONG_DAY_NAMES, value, std == Std::WeekDay)?;
                    value = rest;
                }
                Std::Day | Std::UnderDay | Std::ZeroDay => {
                    if std == Std::UnderDay && value.first() == Some(&b' ') {
                        value = &value[1..];
                    }
                    let (d, rest) = getnum(value, std == Std::ZeroDay)?;
                    day = d;
                    value = rest;
                }
                Std::UnderYearDay | Std::ZeroYearDay => {
                    for _ in 0..2 {
                        if std == Std::UnderYearDay && value.first() == Some(&b' ') {
                            value = &value[1..];
                        }
                    }
                    let (d, rest) = getnum3(value, std == Std::ZeroYearDay)?;
                    yday = d;
                    value = rest;
                }
                Std::Hour => {
                    let (h, rest) = getnum(value, false)?;
                    hour = h;
                    value = rest;
                    if !(0..24).contains(&hour) {
                        range_err = "hour";
                    }
                }
                Std::Hour12 | Std::ZeroHour12 => {
                    let (h, rest) = getnum(value, std == Std::ZeroHour12)?;
                    hour = h;
                    value = rest;
                    if !(0..=12).contains(&hour) {
                        range_err = "hour";
                    }
                }
                Std::Minute | Std::ZeroMinute => {
                    let (m, rest) = getnum(value, std == Std::ZeroMinute)?;
                    min = m;
                    value = rest;
                    if !(0..60).contains(&min) {
                        range_err = "minute";
                    }
                }
                Std::Second | Std::ZeroSecond => {
                    let (s, rest) = getnum(value, std == Std::ZeroSecond)?;
                    sec = s;
                    value = rest;
                    if !(0..60).contains(&sec) {
                        range_err = "second";
                        return Ok(());
                    }
                    // A fractional second in the value but not in the layout.
                    if value.len() >= 2 && comma_or_period(value[0]) && is_digit(value, 1) {
                        let (_, next, _) = next_std_chunk(layout);
                        if matches!(next, Some(Std::FracSecond0(..) | Std::FracSecond9(..))) {
                            return Ok(());
                        }
                        let mut n = 2;
                        while n < value.len() && is_digit(value, n) {
                            n += 1;
                        }
                        let r = parse_nanoseconds(value, n);
                        value = &value[n..];
                        match r {
                            Ok(ns) => nsec = ns,
                            Err(Ok(msg)) => range_err = msg,
                            Err(Err(bad)) => return Err(bad),
                        }
                    }
                }
                Std::PM | Std::Pm => {
                    if value.len() < 2 {
                        return Err(Bad);
                    }
                    let p = &value[..2];
                    value = &value[2..];
                    let (pm, am): (&[u8], &[u8]) = if std == Std::PM {
                        (b"PM", b"AM")
                    } else {
                        (b"pm", b"am")
                    };
                    if p == pm {
                        pm_set = true;
                    } else if p == am {
                        am_set = true;
                    } else {
                        return Err(Bad);
                    }
                }
                Std::ISO8601TZ
                | Std::ISO8601ShortTZ
                | Std::ISO8601ColonTZ
                | Std::ISO8601SecondsTZ
                | Std::ISO8601ColonSecondsTZ
                | Std::NumTZ
                | Std::NumShortTZ
                | Std::NumColonTZ
                | Std::NumSecondsTz
                | Std::NumColonSecondsTZ => {
                    let iso = matches!(
                        std,
                        Std::ISO8601TZ
                            | Std::ISO8601ShortTZ
                            | Std::ISO8601ColonTZ
                            | Std::ISO8601SecondsTZ
                            | Std::ISO8601ColonSecondsTZ
                    );
                    if iso && value.first() == Some(&b'Z') {
                        value = &value[1..];
                        z = Some(Location::utc());
                        return Ok(());
                    }
                    let v = value;
                    let (sign, hh, mm, ss): (u8, &[u8], &[u8], &[u8]);
                    match std {
                        Std::ISO8601ColonTZ | Std::NumColonTZ => {
                            if v.len() < 6 || v[3] != b':' {
                                return Err(Bad);
                            }
                            (sign, hh, mm, ss) = (v[0], &v[1..3], &v[4..6], b"00");
                            value = &v[6..];
                        }
                        Std::NumShortTZ | Std::ISO8601ShortTZ => {
                            if v.len() < 3 {
                                return Err(Bad);
                            }
                            (sign, hh, mm, ss) = (v[0], &v[1..3], b"00", b"00");
                            value = &v[3..];
                        }
                        Std::ISO8601ColonSecondsTZ | Std::NumColonSecondsTZ => {
                            if v.len() < 9 || v[3] != b':' || v[6] != b':' {
                                return Err(Bad);
                            }
                            (sign, hh, mm, ss) = (v[0], &v[1..3], &v[4..6], &v[7..9]);
                            value = &v[9..];
                        }
                        Std::ISO8601SecondsTZ | Std::NumSecondsTz => {
                            if v.len() < 7 {
                                return Err(Bad);
                            }
                            (sign, hh, mm, ss) = (v[0], &v[1..3], &v[3..5], &v[5..7]);
                            value = &v[7..];
                        }
                        _ => {
                            if v.len() < 5 {
                                return Err(Bad);
                            }
                            (sign, hh, mm, ss) = (v[0], &v[1..3], &v[3..5], b"00");
                            value = &v[5..];
                        }
                    }
                    // Go parses hours, minutes, seconds in turn, stopping at the
                    // first bad one, and still range-checks what it has.
                    let (mut hr, mut m, mut s, mut failed) = (0, 0, 0, false);
                    match getnum(hh, true) {
                        Err(_) => failed = true,
                        Ok((h, _)) => {
                            hr = h;
                            match getnum(mm, true) {
                                Err(_) => failed = true,
                                Ok((mv, _)) => {
                                    m = mv;
                                    match getnum(ss, true) {
                                        Err(_) => failed = true,
                                        Ok((sv, _)) => s = sv,
                                    }
                                }
                            }
                        }
                    }
                    if hr > 24 {
                        range_err = "time zone offset hour";
                    }
                    if m > 60 {
                        range_err = "time zone offset minute";
                    }
                    if s > 60 {
                        range_err = "time zone offset second";
                    }
                    zone_offset = (hr * 60 + m) * 60 + s;
                    match sign {
                        b'+' => {}
                        b'-' => zone_offset = -zone_offset,
                        _ => return Err(Bad),
                    }
                    if failed {
                        return Err(Bad);
                    }
                }
                Std::TZ => {
                    if value.starts_with(b"UTC") {
                        z = Some(Location::utc());
                        value = &value[3..];
                        return Ok(());
                    }
                    let n = parse_time_zone(value).ok_or(Bad)?;
                    zone_name = &value[..n];
                    value = &value[n..];
                }
                Std::FracSecond0(digits, _) => {
                    let ndigit = 1 + digits;
                    if value.len() < ndigit {
                        return Err(Bad);
                    }
                    let r = parse_nanoseconds(value, ndigit);
                    value = &value[ndigit..];
                    match r {
                        Ok(ns) => nsec = ns,
                        Err(Ok(msg)) => range_err = msg,
                        Err(Err(bad)) => return Err(bad),
                    }
                }
                Std::FracSecond9(..) => {
                    if value.len() < 2 || !comma_or_period(value[0]) || !is_digit(value, 1) {
                        // The fractional second is omitted.
                        return Ok(());
                    }
                    let mut i = 0;
                    while is_digit(value, i + 1) {
                        i += 1;
                    }
                    let r = parse_nanoseconds(value, 1 + i);
                    value = &value[1 + i..];
                    match r {
                        Ok(ns) => nsec = ns,
                        Err(Ok(msg)) => range_err = msg,
                        Err(Err(bad)) => return Err(bad),
                    }
                }
            }
            Ok(())
        })();
        if !range_err.is_empty() {
            return Err(error(std_str, value, format!(": {range_err} out of range")));
        }
        if result.is_err() {
            return Err(error(std_str, hold, String::new()));
        }
    }
    if pm_set && hour < 12 {
        hour += 12;
    } else if am_set && hour == 12 {
        hour = 0;
    }

    if yday >= 0 {
        let (mut m, mut d) = (0i64, 0i64);
        if civil::is_leap(year) {
            if yday == 31 + 29 {
                m = 2;
                d = 29;
            } else if yday > 31 + 29 {
                yday -= 1;
            }
        }
        if !(1..=365).contains(&yday) {
            return Err(error(b"", value, ": day-of-year out of range".into()));
        }
        if m == 0 {
            m = (yday - 1) / 31 + 1;
            if civil::days_before(m + 1) < yday {
                m += 1;
            }
            d = yday - civil::days_before(m);
        }
        if month >= 0 && month != m {
            return Err(error(
                b"",
                value,
                ": day-of-year does not match month".into(),
            ));
        }
        month = m;
        if day >= 0 && day != d {
            return Err(error(b"", value, ": day-of-year does not match day".into()));
        }
        day = d;
    } else {
        if month < 0 {
            month = 1;
        }
        if day < 0 {
            day = 1;
        }
    }

    if day < 1 || day > civil::days_in(month, year) {
        return Err(error(b"", value, ": day out of range".into()));
    }

    if let Some(z) = z {
        return Ok(Time::date(year, month, day, hour, min, sec, nsec, &z));
    }

    let zone_name = String::from_utf8_lossy(zone_name).into_owned();
    if zone_offset != -1 {
        let utc = Time::date(year, month, day, hour, min, sec, nsec, &Location::utc());
        let unix = utc.unix_sec().wrapping_sub(zone_offset);
        let info = local.lookup(unix);
        if info.offset == zone_offset && (zone_name.is_empty() || info.name == zone_name) {
            return Ok(Time::from_unix_in(unix, nsec as u32, local));
        }
        return Ok(Time::from_unix_in(
            unix,
            nsec as u32,
            &Location::fixed(&zone_name, zone_offset),
        ));
    }

    if !zone_name.is_empty() {
        let utc = Time::date(year, month, day, hour, min, sec, nsec, &Location::utc());
        if let Some(offset) = local.lookup_name(&zone_name, utc.unix_sec()) {
            return Ok(Time::from_unix_in(
                utc.unix_sec().wrapping_sub(offset),
                nsec as u32,
                local,
            ));
        }
        // An unknown abbreviation: a fabricated zone, at zero offset unless
        // it is `GMT±h` (the instant itself is not shifted, as in Go).
        let mut offset = 0;
        if zone_name.len() > 3 && zone_name.starts_with("GMT") {
            offset = atoi(&zone_name.as_bytes()[3..]).unwrap_or(0) * 3600;
        }
        return Ok(Time::from_unix_in(
            utc.unix_sec(),
            nsec as u32,
            &Location::fixed(&zone_name, offset),
        ));
    }

    Ok(Time::date(
        year,
        month,
        day,
        hour,
        min,
        sec,
        nsec,
        default_loc,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(layout: &str, value: &str) -> String {
        parse_utc(layout, value).unwrap().go_string()
    }

    fn err(layout: &str, value: &str) -> String {
        parse_utc(layout, value).unwrap_err().to_string()
    }

    #[test]
    fn parses_like_go() {
        assert_eq!(
            ok("2006-01-02", "2017-12-31"),
            "2017-12-31 00:00:00 +0000 UTC"
        );
        assert_eq!(
            ok("2006-01-02T15:04:05Z07:00", "2019-06-13T20:39:39+02:00"),
            "2019-06-13 20:39:39 +0200 +0200"
        );
        assert_eq!(
            ok(
                "Mon, 02 Jan 2006 15:04:05 MST",
                "Thu, 13 Jun 2019 20:39:39 GMT"
            ),
            "2019-06-13 20:39:39 +0000 GMT"
        );
        assert_eq!(
            ok("02 Jan 06 15:04 MST", "13 jun 19 20:39 GMT+3"),
            "2019-06-13 23:39:00 +0300 GMT+3"
        );
        assert_eq!(ok("3:04pm", "3:04pm"), "0000-01-01 15:04:00 +0000 UTC");
        assert_eq!(
            ok("15:04:05", "12:00:00.5"),
            "0000-01-01 12:00:00.5 +0000 UTC"
        );
        assert_eq!(ok("2006 002", "2020 060"), "2020-02-29 00:00:00 +0000 UTC");
        assert_eq!(
            ok("Jan _2  2006", "Feb  3 2001"),
            "2001-02-03 00:00:00 +0000 UTC"
        );
        assert_eq!(ok("06 MST", "70 UTC"), "1970-01-01 00:00:00 +0000 UTC");
    }

    #[test]
    fn errors_like_go() {
        assert_eq!(
            err("2006 .000", "2000 .-12"),
            r#"parsing time "2000 .-12": fractional second out of range"#
        );
        assert_eq!(
            err("2006-01-02", "2017-13-01"),
            r#"parsing time "2017-13-01": month out of range"#
        );
        assert_eq!(
            err("2006-01-02", "2017-02-30"),
            r#"parsing time "2017-02-30": day out of range"#
        );
        assert_eq!(
            err("2006-01-02", "x"),
            r#"parsing time "x" as "2006-01-02": cannot parse "x" as "2006""#
        );
        assert_eq!(
            err("2006-01-02", "2017/01/02"),
            r#"parsing time "2017/01/02" as "2006-01-02": cannot parse "/01/02" as "-""#
        );
        assert_eq!(
            err("2006", "2017 extra"),
            r#"parsing time "2017 extra": extra text: " extra""#
        );
        assert_eq!(
            err("Jan", "Ju\u{e9}"),
            r#"parsing time "Ju\xc3\xa9" as "Jan": cannot parse "Ju\xc3\xa9" as "Jan""#
        );
    }
}

#[cfg(test)]
mod robustness {
    use super::*;
    use crate::funcs::gotime::duration::Duration;

    /// Odd layouts and values, extreme instants: never a panic.
    #[test]
    fn never_panics() {
        let pieces = [
            "2006",
            "06",
            "Jan",
            "January",
            "01",
            "1",
            "Mon",
            "Monday",
            "02",
            "_2",
            "2",
            "__2",
            "002",
            "15",
            "03",
            "3",
            "04",
            "4",
            "05",
            "5",
            "PM",
            "pm",
            "MST",
            "Z07:00",
            "-0700",
            "-07",
            "Z070000",
            "-07:00:00",
            ".000",
            ".999",
            ",9",
            " ",
            "x",
            "é",
            "-",
            ":",
        ];
        let values = [
            "",
            "0",
            "9",
            "99",
            "999",
            "12345",
            "-1",
            "+1",
            "Z",
            "+24:00",
            "-99:99:99",
            "GMT+99",
            "GMT-5",
            "ChST",
            "WITA",
            "ABCDT",
            "UTC",
            " ",
            "é",
            ".",
            ".1234567890123",
            ",-5",
            "PM",
            "am",
            "Janu",
            "Monday",
            "366",
            "060",
            "24",
            "60",
            "\u{0}",
        ];
        let mut rng = crate::test_rng::Xorshift::new(0x2545_f491_4f6c_dd1d);
        let mut next = |n: usize| rng.below(n);
        let extremes = [
            Time::default(),
            Time::unix(i64::MAX, 999_999_999),
            Time::unix(i64::MIN, 0),
            Time::date(
                i64::MAX,
                i64::MIN,
                i64::MAX,
                i64::MIN,
                1,
                2,
                3,
                &Location::utc(),
            ),
            Time::unix(-62_135_596_801, 0),
        ];
        let zones = [
            "America/New_York",
            "Australia/Lord_Howe",
            "Europe/Dublin",
            "Etc/GMT+5",
        ];
        for _ in 0..3000 {
            let layout: String = (0..1 + next(5))
                .map(|_| pieces[next(pieces.len())])
                .collect();
            let value: String = (0..next(5)).map(|_| values[next(values.len())]).collect();
            let loc = Location::load(zones[next(zones.len())]).unwrap();
            let _ = parse_in_location(&layout, &value, &loc);
            let _ = parse_utc(&layout, &layout);
            for t in &extremes {
                let t = t.in_loc(&loc);
                let _ = t.format(&layout);
                let _ = t.go_string();
                let _ = t.add_date(i64::MAX, i64::MIN, 7);
                let _ = t.round(Duration(i64::MAX)).truncate(Duration(7));
                let _ = t.add(Duration(i64::MIN)).sub(&Time::default());
                let _ = t.marshal_text("MarshalJSON");
                let _ = t.iso_week();
            }
        }
    }
}
