//! Timestamps in release records, as Go's `time.Time` and Helm's
//! `helm.sh/helm/v3/pkg/time.Time` wrapper write and read them in JSON.
//!
//! - Go's `Time.MarshalJSON` writes RFC 3339 with nanoseconds (trailing
//!   zeros of the fraction dropped) at the time's own UTC offset, `Z` for
//!   offset zero, and fails for years outside 0-9999.
//! - Helm's wrapper writes the zero time as `""` (Go's `omitempty` never
//!   omits a struct, so the wrapper is what keeps zero times short); a plain
//!   `time.Time` (`Chart.lock`'s `generated`) writes `0001-01-01T00:00:00Z`.
//! - Reading, `null` leaves the zero time, the wrapper also takes `""`, and
//!   anything else must be a JSON string holding an RFC 3339 time (Go's
//!   strict parser falls back to `time.Parse(time.RFC3339, …)`).
//!
//! Only the instant and the offset survive: Go keeps a location too, but a
//! parsed time's location is a nameless fixed zone (or Local when the offsets
//! agree), which writes the same text.

use crate::funcs::gotime::format::RFC3339;
use crate::funcs::gotime::parse::parse;
use crate::funcs::gotime::time::{Time, UNIX_TO_INTERNAL};
use crate::funcs::gotime::zone::Location;

/// An instant with the UTC offset it is written at. The default value is Go's
/// zero time (January 1, year 1, 00:00:00 UTC).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    /// Seconds since January 1, year 1, 00:00:00 UTC (Go's internal epoch,
    /// so that zero is Go's zero time).
    sec: i64,
    /// Nanoseconds within the second, `[0, 1e9)`.
    nanos: u32,
    /// The UTC offset in seconds east.
    offset: i32,
}

impl Timestamp {
    /// Go's zero time.
    pub const ZERO: Timestamp = Timestamp {
        sec: 0,
        nanos: 0,
        offset: 0,
    };

    /// The instant `unix` seconds (plus `nanos`, clamped below one second)
    /// after the Unix epoch, written at `offset` seconds east of UTC.
    pub fn from_unix(unix: i64, nanos: u32, offset: i32) -> Timestamp {
        Timestamp {
            sec: unix.saturating_add(UNIX_TO_INTERNAL),
            nanos: nanos.min(999_999_999),
            offset,
        }
    }

    /// Seconds since the Unix epoch (Go's `Unix()`).
    pub fn unix_seconds(&self) -> i64 {
        self.sec.saturating_sub(UNIX_TO_INTERNAL)
    }

    /// Nanoseconds within the second.
    pub fn nanos(&self) -> u32 {
        self.nanos
    }

    /// The UTC offset in seconds east.
    pub fn offset(&self) -> i32 {
        self.offset
    }

    /// Go's `IsZero`: the instant is the zero time, whatever the offset.
    pub fn is_zero(&self) -> bool {
        self.sec == 0 && self.nanos == 0
    }

    fn go_time(&self) -> Time {
        let loc = if self.offset == 0 {
            Location::utc()
        } else {
            Location::fixed("", i64::from(self.offset))
        };
        Time::from_unix_in(self.unix_seconds(), self.nanos, &loc)
    }

    /// Go's `Time.MarshalJSON` text without the quotes; `Err` is the whole
    /// `json.Marshal` error text.
    pub fn rfc3339_nano(&self) -> Result<String, String> {
        self.go_time()
            .marshal_text("MarshalJSON")
            .map_err(|e| format!("json: error calling MarshalJSON for type time.Time: {e}"))
    }

    /// Go's `time.Parse(time.RFC3339, text)` (the fallback of the strict
    /// parser `Time.UnmarshalJSON` uses); errors are Go's `ParseError` texts.
    pub fn parse_rfc3339(text: &str) -> Result<Timestamp, String> {
        let utc = Location::utc();
        let t = parse(RFC3339, text, &utc, &utc).map_err(|e| e.to_string())?;
        let offset = t.zone_info().offset;
        Ok(Timestamp::from_unix(
            t.unix_seconds(),
            t.nanosecond() as u32,
            i32::try_from(offset).unwrap_or(0),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_is_go_zero_time() {
        assert!(Timestamp::default().is_zero());
        assert_eq!(Timestamp::ZERO.unix_seconds(), -62_135_596_800);
        assert_eq!(
            Timestamp::ZERO.rfc3339_nano().unwrap(),
            "0001-01-01T00:00:00Z"
        );
        // The zero instant at another offset is still zero.
        let t = Timestamp::parse_rfc3339("0001-01-01T01:00:00+01:00").unwrap();
        assert!(t.is_zero());
        assert!(!Timestamp::from_unix(0, 0, 0).is_zero());
    }

    #[test]
    fn formats_like_marshal_json() {
        let t = Timestamp::from_unix(1_700_000_000, 123_450_000, 0);
        assert_eq!(t.rfc3339_nano().unwrap(), "2023-11-14T22:13:20.12345Z");
        let t = Timestamp::from_unix(1_700_000_000, 0, 3600 + 1800);
        assert_eq!(t.rfc3339_nano().unwrap(), "2023-11-14T23:43:20+01:30");
        let t = Timestamp::from_unix(1_700_000_000, 7, -7 * 3600);
        assert_eq!(
            t.rfc3339_nano().unwrap(),
            "2023-11-14T15:13:20.000000007-07:00"
        );
        let far = Timestamp::from_unix(253_402_300_800, 0, 0);
        assert_eq!(
            far.rfc3339_nano().unwrap_err(),
            "json: error calling MarshalJSON for type time.Time: Time.MarshalJSON: year outside of range [0,9999]"
        );
        let odd = Timestamp::from_unix(0, 0, 25 * 3600);
        assert_eq!(
            odd.rfc3339_nano().unwrap_err(),
            "json: error calling MarshalJSON for type time.Time: Time.MarshalJSON: timezone hour outside of range [0,23]"
        );
    }

    #[test]
    fn parses_rfc3339_and_keeps_the_offset() {
        let text = "2024-02-29T12:34:56.789+05:30";
        let t = Timestamp::parse_rfc3339(text).unwrap();
        assert_eq!(t.offset(), 5 * 3600 + 1800);
        assert_eq!(t.nanos(), 789_000_000);
        assert_eq!(t.rfc3339_nano().unwrap(), text);
        assert_eq!(t.unix_seconds(), 1_709_190_296);
        let z = Timestamp::parse_rfc3339("2024-02-29T07:04:56.789000Z").unwrap();
        assert_eq!(z.rfc3339_nano().unwrap(), "2024-02-29T07:04:56.789Z");
        assert_eq!(z.unix_seconds(), t.unix_seconds());
        assert_eq!(
            Timestamp::parse_rfc3339("yesterday").unwrap_err(),
            "parsing time \"yesterday\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"yesterday\" as \"2006\""
        );
    }
}
