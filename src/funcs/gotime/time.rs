//! Go's `time.Time`: an instant (seconds since January 1, year 1 UTC plus
//! nanoseconds), an optional monotonic clock reading, and a location.
//!
//! The arithmetic mirrors `time.go`: `Add` keeps the monotonic reading,
//! `In`/`UTC`/`Local`/`Round`/`Truncate` drop it, comparisons and `Sub`
//! use it when both sides have one, `Date` normalizes out-of-range fields
//! and resolves zone transitions, and overflow saturates or wraps where
//! Go's does.
//!
//! **Monotonic readings.** Go's `time.Now()` carries nanoseconds since
//! process start, printed by `String()` as ` m=+0.001234567`. The host only
//! gives wall-clock time, so the reading here counts from the first `now`
//! of the thread (minus one nanosecond, as Go starts its clock): the first
//! `now` prints ` m=+0.000000001`.

use std::cell::Cell;

use super::civil;
use super::duration::{less_than_half, Duration, SECOND};
use super::zone::{Location, ZoneInfo};
use crate::template::Host;

/// Seconds from January 1, year 1 to the Unix epoch.
pub const UNIX_TO_INTERNAL: i64 = 62_135_596_800;
/// The earliest wall time that can carry a monotonic reading (year 1885).
const MIN_WALL: i64 = 59_453_308_800;
/// The span of wall seconds a monotonic time can hold (2^33 - 1).
const WALL_SPAN: i64 = (1 << 33) - 1;

thread_local! {
    /// Wall-clock nanoseconds (since the epoch) at which the thread's
    /// monotonic clock reads zero.
    static MONO_START: Cell<Option<i128>> = const { Cell::new(None) };
}

/// Go's `time.Time`.
#[derive(Clone, Debug)]
pub struct Time {
    /// Seconds since January 1, year 1, 00:00:00 UTC.
    sec: i64,
    /// Nanoseconds within the second, `[0, 1e9)`.
    nsec: u32,
    /// The monotonic clock reading (nanoseconds since process start).
    mono: Option<i64>,
    loc: Location,
}

impl Default for Time {
    /// Go's zero `Time`: January 1, year 1, 00:00:00 UTC.
    fn default() -> Self {
        Time {
            sec: 0,
            nsec: 0,
            mono: None,
            loc: Location::utc(),
        }
    }
}

impl Time {
    /// Go's `time.Unix(sec, nsec)`: in Local, `nsec` may be out of range.
    pub fn unix(sec: i64, nsec: i64) -> Time {
        let (mut sec, mut nsec) = (sec, nsec);
        if !(0..1_000_000_000).contains(&nsec) {
            let n = nsec / 1_000_000_000;
            sec = sec.wrapping_add(n);
            nsec -= n * 1_000_000_000;
            if nsec < 0 {
                nsec += 1_000_000_000;
                sec = sec.wrapping_sub(1);
            }
        }
        Time {
            sec: sec.wrapping_add(UNIX_TO_INTERNAL),
            nsec: nsec as u32,
            mono: None,
            loc: Location::local(),
        }
    }

    /// Go's `time.Now()` from the host's clock: Local, with a monotonic
    /// reading (see the module docs).
    pub fn now(host: &dyn Host) -> Time {
        let (secs, nanos) = host.now();
        let wall = i128::from(secs) * 1_000_000_000 + i128::from(nanos.min(999_999_999));
        let start = MONO_START.with(|s| match s.get() {
            Some(start) => start,
            None => {
                s.set(Some(wall - 1));
                wall - 1
            }
        });
        let mono = i64::try_from(wall - start).unwrap_or(i64::MAX);
        let mut t = Time::unix(secs, i64::from(nanos));
        t.set_mono(mono);
        t
    }

    /// Go's `time.Date`, normalizing out-of-range fields.
    #[allow(clippy::too_many_arguments)]
    pub fn date(
        year: i64,
        month: i64,
        day: i64,
        hour: i64,
        min: i64,
        sec: i64,
        nsec: i64,
        loc: &Location,
    ) -> Time {
        let (year, m) = civil::norm(year, month.wrapping_sub(1), 12);
        let month = m + 1;
        let (sec, nsec) = civil::norm(sec, nsec, 1_000_000_000);
        let (min, sec) = civil::norm(min, sec, 60);
        let (hour, min) = civil::norm(hour, min, 60);
        let (day, hour) = civil::norm(day, hour, 24);
        let days = civil::days_from_civil(year, month, day);
        let unix = days * 86_400 + i128::from(hour * 3600 + min * 60 + sec);
        let mut unix = unix as i64;
        let info = loc.lookup(unix);
        if info.offset != 0 {
            let utc = unix.wrapping_sub(info.offset);
            let offset = if utc < info.start || utc >= info.end {
                loc.lookup(utc).offset
            } else {
                info.offset
            };
            unix = unix.wrapping_sub(offset);
        }
        let mut t = Time::unix(unix, nsec);
        t.set_loc(loc.clone());
        t
    }

    /// A time from Unix seconds and nanoseconds in `loc` (used by the
    /// harness's `$time` markers and parsing).
    pub fn from_unix_in(sec: i64, nsec: u32, loc: &Location) -> Time {
        let mut t = Time::unix(sec, i64::from(nsec));
        t.set_loc(loc.clone());
        t
    }

    /// The conformance vectors' `{"$time": "<RFC3339Nano>", "$zone": "GMT"}`
    /// marker: the instant of the RFC 3339 timestamp in a fixed zone named
    /// `zone` at the timestamp's offset, or in UTC without a zone.
    pub fn from_marker(rfc3339: &str, zone: Option<&str>) -> Option<Time> {
        let t = super::parse::parse(
            super::format::RFC3339_NANO,
            rfc3339,
            &Location::utc(),
            &Location::utc(),
        )
        .ok()?;
        Some(match zone {
            Some(name) => {
                let offset = t.loc.lookup(t.unix_sec()).offset;
                t.in_loc(&Location::fixed(name, offset))
            }
            None => t.utc(),
        })
    }

    fn set_loc(&mut self, loc: Location) {
        self.mono = None;
        self.loc = loc;
    }

    fn set_mono(&mut self, m: i64) {
        if (MIN_WALL..=MIN_WALL + WALL_SPAN).contains(&self.sec) {
            self.mono = Some(m);
        }
    }

    /// Go's `addSec`.
    fn add_sec(&mut self, d: i64) {
        if self.mono.is_some() {
            let dsec = (self.sec - MIN_WALL).wrapping_add(d);
            if (0..=WALL_SPAN).contains(&dsec) {
                self.sec = MIN_WALL + dsec;
                return;
            }
            self.mono = None;
        }
        let sum = self.sec.wrapping_add(d);
        self.sec = if (sum > self.sec) == (d > 0) {
            sum
        } else if d > 0 {
            i64::MAX
        } else {
            -i64::MAX
        };
    }

    pub(crate) fn unix_sec(&self) -> i64 {
        self.sec.wrapping_sub(UNIX_TO_INTERNAL)
    }

    pub fn location(&self) -> Location {
        self.loc.clone()
    }

    pub fn monotonic(&self) -> Option<i64> {
        self.mono
    }

    /// The zone in force at this instant.
    pub fn zone_info(&self) -> ZoneInfo {
        self.loc.lookup(self.unix_sec())
    }

    /// Local seconds since the epoch (the instant shifted by the offset),
    /// with the zone name and offset.
    pub(crate) fn locabs(&self) -> (String, i64, i128) {
        let info = self.zone_info();
        let local = i128::from(self.unix_sec()) + i128::from(info.offset);
        (info.name, info.offset, local)
    }

    fn local_days(&self) -> (i128, i64) {
        let (_, _, local) = self.locabs();
        (local.div_euclid(86_400), local.rem_euclid(86_400) as i64)
    }

    /// Go's `Date()`: year, month (1-12), day.
    pub fn ymd(&self) -> (i64, i64, i64) {
        civil::civil_from_days(self.local_days().0)
    }

    /// Go's `Clock()`: hour, minute, second.
    pub fn clock(&self) -> (i64, i64, i64) {
        let s = self.local_days().1;
        (s / 3600, s % 3600 / 60, s % 60)
    }

    pub fn year(&self) -> i64 {
        self.ymd().0
    }

    pub fn month(&self) -> i64 {
        self.ymd().1
    }

    pub fn day(&self) -> i64 {
        self.ymd().2
    }

    pub fn hour(&self) -> i64 {
        self.clock().0
    }

    pub fn minute(&self) -> i64 {
        self.clock().1
    }

    pub fn second(&self) -> i64 {
        self.clock().2
    }

    pub fn nanosecond(&self) -> i64 {
        i64::from(self.nsec)
    }

    /// Sunday = 0.
    pub fn weekday(&self) -> i64 {
        civil::weekday(self.local_days().0)
    }

    pub fn year_day(&self) -> i64 {
        civil::year_day(self.local_days().0)
    }

    pub fn iso_week(&self) -> (i64, i64) {
        civil::iso_week(self.local_days().0)
    }

    /// Go's `Unix()`.
    pub fn unix_seconds(&self) -> i64 {
        self.unix_sec()
    }

    pub fn unix_milli(&self) -> i64 {
        self.unix_sec()
            .wrapping_mul(1_000)
            .wrapping_add(i64::from(self.nsec) / 1_000_000)
    }

    pub fn unix_micro(&self) -> i64 {
        self.unix_sec()
            .wrapping_mul(1_000_000)
            .wrapping_add(i64::from(self.nsec) / 1_000)
    }

    pub fn unix_nano(&self) -> i64 {
        self.unix_sec()
            .wrapping_mul(1_000_000_000)
            .wrapping_add(i64::from(self.nsec))
    }

    pub fn is_zero(&self) -> bool {
        self.sec == 0 && self.nsec == 0
    }

    pub fn is_dst(&self) -> bool {
        self.zone_info().is_dst
    }

    pub fn utc(&self) -> Time {
        let mut t = self.clone();
        t.set_loc(Location::utc());
        t
    }

    pub fn local(&self) -> Time {
        let mut t = self.clone();
        t.set_loc(Location::local());
        t
    }

    pub fn in_loc(&self, loc: &Location) -> Time {
        let mut t = self.clone();
        t.set_loc(loc.clone());
        t
    }

    /// Go's `Add`.
    pub fn add(&self, d: Duration) -> Time {
        let mut t = self.clone();
        let mut dsec = d.0 / SECOND;
        let mut nsec = self.nsec as i64 + d.0 % SECOND;
        if nsec >= SECOND {
            dsec += 1;
            nsec -= SECOND;
        } else if nsec < 0 {
            dsec -= 1;
            nsec += SECOND;
        }
        t.nsec = nsec as u32;
        t.add_sec(dsec);
        if let Some(m) = t.mono {
            let te = m.wrapping_add(d.0);
            if (d.0 < 0 && te > m) || (d.0 > 0 && te < m) {
                t.mono = None;
            } else {
                t.mono = Some(te);
            }
        }
        t
    }

    /// Go's `Sub`, saturating.
    pub fn sub(&self, u: &Time) -> Duration {
        if let (Some(a), Some(b)) = (self.mono, u.mono) {
            return sub_mono(a, b);
        }
        let d = Duration(
            self.sec
                .wrapping_sub(u.sec)
                .wrapping_mul(SECOND)
                .wrapping_add(i64::from(self.nsec) - i64::from(u.nsec)),
        );
        if u.add(d).equal(self) {
            d
        } else if self.before(u) {
            Duration::MIN
        } else {
            Duration::MAX
        }
    }

    /// Go's `time.Since(t)` with the host's clock.
    pub fn since(&self, host: &dyn Host) -> Duration {
        Time::now(host).sub(self)
    }

    pub fn after(&self, u: &Time) -> bool {
        if let (Some(a), Some(b)) = (self.mono, u.mono) {
            return a > b;
        }
        (self.sec, self.nsec) > (u.sec, u.nsec)
    }

    pub fn before(&self, u: &Time) -> bool {
        if let (Some(a), Some(b)) = (self.mono, u.mono) {
            return a < b;
        }
        (self.sec, self.nsec) < (u.sec, u.nsec)
    }

    pub fn equal(&self, u: &Time) -> bool {
        if let (Some(a), Some(b)) = (self.mono, u.mono) {
            return a == b;
        }
        (self.sec, self.nsec) == (u.sec, u.nsec)
    }

    pub fn compare(&self, u: &Time) -> i64 {
        let ord = match (self.mono, u.mono) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => (self.sec, self.nsec).cmp(&(u.sec, u.nsec)),
        };
        ord as i64
    }

    /// Go's `AddDate`.
    pub fn add_date(&self, years: i64, months: i64, days: i64) -> Time {
        let (y, m, d) = self.ymd();
        let (hh, mm, ss) = self.clock();
        Time::date(
            y.wrapping_add(years),
            m.wrapping_add(months),
            d.wrapping_add(days),
            hh,
            mm,
            ss,
            i64::from(self.nsec),
            &self.loc,
        )
    }

    /// The remainder of the time since the zero time divided by `d`.
    fn rem(&self, d: Duration) -> Duration {
        let total = i128::from(self.sec) * 1_000_000_000 + i128::from(self.nsec);
        Duration(total.rem_euclid(i128::from(d.0)) as i64)
    }

    /// Go's `Truncate`.
    pub fn truncate(&self, d: Duration) -> Time {
        let mut t = self.clone();
        t.mono = None;
        if d.0 <= 0 {
            return t;
        }
        let r = t.rem(d);
        t.add(Duration(-r.0))
    }

    /// Go's `Round` (halves up).
    pub fn round(&self, d: Duration) -> Time {
        let mut t = self.clone();
        t.mono = None;
        if d.0 <= 0 {
            return t;
        }
        let r = t.rem(d);
        if less_than_half(r.0, d.0) {
            t.add(Duration(-r.0))
        } else {
            t.add(Duration(d.0 - r.0))
        }
    }

    /// Go's `Format`.
    pub fn format(&self, layout: &str) -> String {
        super::format::format(self, layout)
    }

    /// Go's `String()`: `2006-01-02 15:04:05.999999999 -0700 MST`, plus
    /// ` m=±s.nnnnnnnnn` for a monotonic reading.
    pub fn go_string(&self) -> String {
        let mut s = self.format("2006-01-02 15:04:05.999999999 -0700 MST");
        if let Some(m) = self.mono {
            let sign = if m < 0 { '-' } else { '+' };
            let m = m.unsigned_abs();
            let (secs, nanos) = (m / 1_000_000_000, m % 1_000_000_000);
            s.push_str(&format!(" m={sign}{secs}.{nanos:09}"));
        }
        s
    }

    /// Go's `GoString()`: `time.Date(2019, time.June, 13, 20, 39, 39, 0, time.UTC)`.
    pub fn go_syntax(&self) -> String {
        let (y, m, d) = self.ymd();
        let (hh, mm, ss) = self.clock();
        let month = match m {
            1..=12 => format!("time.{}", civil::month_name(m)),
            _ => m.to_string(),
        };
        let loc = if self.loc.is_utc() {
            "time.UTC".to_string()
        } else if self.loc.is_local() {
            "time.Local".to_string()
        } else {
            format!(
                "time.Location({})",
                super::duration::time_quote(&self.loc.name())
            )
        };
        format!(
            "time.Date({y}, {month}, {d}, {hh}, {mm}, {ss}, {}, {loc})",
            self.nsec
        )
    }

    /// Go's `MarshalText` (`MarshalJSON` without the quotes): RFC 3339
    /// with nanoseconds, or Go's error for years outside 0-9999 and zone
    /// hours of 24 or more.
    pub fn marshal_text(&self, method: &str) -> Result<String, String> {
        let s = self.format(super::format::RFC3339_NANO);
        let year = self.year();
        if !(0..=9999).contains(&year) {
            return Err(format!("Time.{method}: year outside of range [0,9999]"));
        }
        if !s.ends_with('Z') {
            let offset_hours = self.zone_info().offset.abs() / 3600;
            if offset_hours >= 24 {
                return Err(format!(
                    "Time.{method}: timezone hour outside of range [0,23]"
                ));
            }
        }
        Ok(s)
    }
}

fn sub_mono(t: i64, u: i64) -> Duration {
    let d = t.wrapping_sub(u);
    if d < 0 && t > u {
        Duration::MAX
    } else if d > 0 && t < u {
        Duration::MIN
    } else {
        Duration(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funcs::gotime::duration::{HOUR, MINUTE};

    struct Clock(i64, u32);
    impl Host for Clock {
        fn random_bytes(&self, _buf: &mut [u8]) {}
        fn now(&self) -> (i64, u32) {
            (self.0, self.1)
        }
    }

    #[test]
    fn zero_time_and_unix() {
        let z = Time::default();
        assert!(z.is_zero());
        assert_eq!(z.go_string(), "0001-01-01 00:00:00 +0000 UTC");
        assert_eq!(z.unix_seconds(), -62_135_596_800);
        let t = Time::unix(1_560_458_379, 0);
        assert_eq!(t.go_string(), "2019-06-13 20:39:39 +0000 UTC");
        assert_eq!(
            (t.year(), t.month(), t.day(), t.weekday()),
            (2019, 6, 13, 4)
        );
        assert_eq!(t.year_day(), 164);
        assert_eq!(Time::unix(0, -1).unix_nano(), -1);
    }

    #[test]
    fn date_normalizes_and_resolves_zones() {
        let utc = Location::utc();
        let t = Time::date(2019, 13, 32, 25, 61, 61, 1_000_000_001, &utc);
        assert_eq!(t.go_string(), "2020-02-02 02:02:02.000000001 +0000 UTC");
        let ny = Location::load("America/New_York").unwrap();
        // 02:30 on the spring-forward day does not exist; Go's lookup
        // lands on 01:30 EST.
        let t = Time::date(2019, 3, 10, 2, 30, 0, 0, &ny);
        assert_eq!(t.go_string(), "2019-03-10 01:30:00 -0500 EST");
        let t = Time::date(2019, 11, 3, 1, 30, 0, 0, &ny);
        assert_eq!(t.go_string(), "2019-11-03 01:30:00 -0400 EDT");
        assert_eq!(
            t.add_date(0, 1, 0).go_string(),
            "2019-12-03 01:30:00 -0500 EST"
        );
    }

    #[test]
    fn monotonic_readings() {
        let host = Clock(1_560_458_379, 5);
        let t = Time::now(&host);
        assert!(t
            .go_string()
            .starts_with("2019-06-13 20:39:39.000000005 +0000 UTC m=+"));
        let later = Time::now(&Clock(1_560_458_380, 5));
        assert_eq!(later.sub(&t), Duration(SECOND));
        assert!(t.add(Duration(HOUR)).monotonic().is_some());
        assert!(t.utc().monotonic().is_none());
        assert!(t.round(Duration(0)).monotonic().is_none());
        let back = t.add(Duration(-2 * MINUTE - 5 * SECOND));
        assert_eq!(
            back.since(&host).round(Duration(SECOND)).to_string(),
            "2m5s"
        );
    }

    #[test]
    fn round_and_truncate() {
        let t = Time::unix(1_560_458_379, 600_000_000).utc();
        assert_eq!(
            t.round(Duration(SECOND)).go_string(),
            "2019-06-13 20:39:40 +0000 UTC"
        );
        assert_eq!(
            t.truncate(Duration(HOUR)).go_string(),
            "2019-06-13 20:00:00 +0000 UTC"
        );
        let old = Time::date(-5, 1, 1, 0, 0, 0, 500_000_000, &Location::utc());
        assert_eq!(
            old.round(Duration(SECOND)).go_string(),
            "-0005-01-01 00:00:01 +0000 UTC"
        );
    }

    #[test]
    fn sub_saturates() {
        let a = Time::unix(i64::MAX / 4, 0);
        let b = Time::unix(-i64::MAX / 4, 0);
        assert_eq!(a.sub(&b), Duration::MAX);
        assert_eq!(b.sub(&a), Duration::MIN);
    }

    #[test]
    fn markers_and_go_syntax() {
        let t = Time::from_marker("2019-06-13T20:39:39Z", Some("GMT")).unwrap();
        assert_eq!(t.go_string(), "2019-06-13 20:39:39 +0000 GMT");
        assert_eq!(
            t.go_syntax(),
            "time.Date(2019, time.June, 13, 20, 39, 39, 0, time.Location(\"GMT\"))"
        );
        let t = Time::from_marker("2019-06-13T22:39:39.5+02:00", None).unwrap();
        assert_eq!(t.go_string(), "2019-06-13 20:39:39.5 +0000 UTC");
        assert_eq!(
            t.marshal_text("MarshalJSON").unwrap(),
            "2019-06-13T20:39:39.5Z"
        );
    }
}
