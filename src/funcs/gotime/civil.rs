//! The proleptic Gregorian calendar as Go's `time` package computes it:
//! days since the Unix epoch to and from year/month/day, weekdays, days of
//! the year, ISO weeks, and Go's `norm` for out-of-range `Date` fields.
//!
//! Arithmetic is done in `i128` with floor division, so every input is
//! defined (Go's own uint64 "absolute" epoch gives the same answers over the
//! whole range a program can reach).

pub const SECONDS_PER_DAY: i64 = 86_400;

pub const LONG_MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub const LONG_DAY_NAMES: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// Go's `Month.String`: the English name, or `%!Month(13)` out of range.
pub fn month_name(m: i64) -> String {
    match usize::try_from(m - 1)
        .ok()
        .and_then(|i| LONG_MONTH_NAMES.get(i))
    {
        Some(name) => name.to_string(),
        None => format!("%!Month({})", m as u64),
    }
}

/// Go's `Weekday.String`.
pub fn weekday_name(d: i64) -> String {
    match usize::try_from(d).ok().and_then(|i| LONG_DAY_NAMES.get(i)) {
        Some(name) => name.to_string(),
        None => format!("%!Weekday({})", d as u64),
    }
}

pub fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days in `month` (1-12) of `year`.
pub fn days_in(month: i64, year: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days in a non-leap year before `month` (1-13).
pub fn days_before(month: i64) -> i64 {
    const CUM: [i64; 13] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
    CUM[(month.clamp(1, 13) - 1) as usize]
}

/// Days since 1970-01-01 of `year-month-day`; `month` must be 1-12 while
/// `day` may be out of range (it simply counts on).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i128 {
    let y = i128::from(year) - i128::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (i128::from(month) + 9) % 12;
    let doy = (153 * mp + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468 + i128::from(day) - 1
}

/// Year, month (1-12) and day of `days` since 1970-01-01.
pub fn civil_from_days(days: i128) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i128::from(month <= 2);
    (year as i64, month as i64, day as i64)
}

/// Sunday = 0.
pub fn weekday(days: i128) -> i64 {
    (days + 4).rem_euclid(7) as i64
}

/// The 1-based day of the year.
pub fn year_day(days: i128) -> i64 {
    let (y, _, _) = civil_from_days(days);
    (days - days_from_civil(y, 1, 1)) as i64 + 1
}

/// Go's `Time.ISOWeek` on a day number.
pub fn iso_week(days: i128) -> (i64, i64) {
    // Move to the Thursday of the same Monday-based week.
    let wd = (weekday(days) + 6) % 7; // Monday = 0
    let thu = days - i128::from(wd) + 3;
    let (y, _, _) = civil_from_days(thu);
    (y, (year_day(thu) - 1) / 7 + 1)
}

/// Go's `norm`: `hi*base + lo` with `0 <= lo < base` (wrapping like Go's int
/// arithmetic on absurd inputs).
pub fn norm(hi: i64, lo: i64, base: i64) -> (i64, i64) {
    let (mut hi, mut lo) = (hi, lo);
    if lo < 0 {
        let n = (lo.wrapping_neg().wrapping_sub(1)) / base + 1;
        hi = hi.wrapping_sub(n);
        lo = lo.wrapping_add(n.wrapping_mul(base));
    }
    if lo >= base {
        let n = lo / base;
        hi = hi.wrapping_add(n);
        lo = lo.wrapping_sub(n.wrapping_mul(base));
    }
    (hi, lo)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_known_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11017);
        assert_eq!(days_from_civil(1, 1, 1), -719_162);
        assert_eq!(civil_from_days(-719_162), (1, 1, 1));
        assert_eq!(civil_from_days(-719_163), (0, 12, 31));
        for d in [
            -1_000_000i128,
            -1,
            0,
            59,
            60,
            365,
            11_016,
            11_017,
            2_932_896,
        ] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
        assert_eq!(weekday(0), 4);
        assert_eq!(year_day(days_from_civil(2020, 12, 31)), 366);
        assert_eq!(iso_week(days_from_civil(2021, 1, 3)), (2020, 53));
        assert_eq!(iso_week(days_from_civil(2019, 12, 30)), (2020, 1));
        assert_eq!(norm(0, -1, 60), (-1, 59));
        assert_eq!(norm(0, 125, 60), (2, 5));
        assert_eq!(month_name(13), "%!Month(13)");
        assert_eq!(weekday_name(-1), "%!Weekday(18446744073709551615)");
    }
}
