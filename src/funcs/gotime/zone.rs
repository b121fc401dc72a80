//! Go's `*time.Location`: UTC, the process's Local zone, fixed zones
//! (`FixedZone`, and the zones `Parse` fabricates), and IANA zones loaded by
//! `LoadLocation` from the bundled database ([`super::tzdata`]). Lookups
//! follow `zoneinfo.go`: the transition table, the zone used before the
//! first transition (`lookupFirstZone`), and the POSIX TZ rule of the TZif
//! footer for instants after the last transition (`tzset`), including the
//! start/end bounds `Date` relies on near transitions.
//!
//! **Local.** Helm uses the machine's zone as `time.Local`. Chartroom's Local
//! is UTC (Go's own fallback when no zone information is found, named
//! `"UTC"`) unless the embedding calls [`set_local_zone`] with an IANA name;
//! the choice is per thread and affects `now`, `date`, `htmlDate`, `toDate`
//! and the `Local` method of time values.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use super::civil;

/// The beginning and end of time for zone transitions.
pub const ALPHA: i64 = i64::MIN;
pub const OMEGA: i64 = i64::MAX;

/// One zone of a location: `CET`, +3600, not DST.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Zone {
    pub name: String,
    pub offset: i64,
    pub is_dst: bool,
}

/// The zones and transitions of one IANA location (a parsed TZif file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TzData {
    pub zones: Vec<Zone>,
    /// Transition instants (Unix seconds) and the zone index then in force.
    pub tx: Vec<(i64, u8)>,
    /// The POSIX TZ rule for instants after the last transition.
    pub extend: String,
}

/// What a lookup finds: zone name, offset, the bounds `[start, end)` of the
/// period it applies to, and whether it is daylight saving time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneInfo {
    pub name: String,
    pub offset: i64,
    pub start: i64,
    pub end: i64,
    pub is_dst: bool,
}

#[derive(Debug)]
enum Kind {
    Utc,
    Local,
    Fixed { name: String, offset: i64 },
    Tz { name: String, data: TzData },
}

/// Go's `*time.Location` (cheap to clone).
#[derive(Clone, Debug)]
pub struct Location(Rc<Kind>);

thread_local! {
    static UTC: Location = Location(Rc::new(Kind::Utc));
    static LOCAL: Location = Location(Rc::new(Kind::Local));
    static LOCAL_DATA: RefCell<Option<Rc<TzData>>> = const { RefCell::new(None) };
}

/// Makes `zone` (an IANA name) this thread's Local zone; `None` restores
/// the default (UTC).
pub fn set_local_zone(zone: Option<&str>) -> Result<(), String> {
    let data = match zone {
        None => None,
        Some(name) => match Location::load(name)?.0.as_ref() {
            Kind::Tz { data, .. } => Some(Rc::new(data.clone())),
            Kind::Fixed { name, offset } => Some(Rc::new(TzData::fixed(name, *offset))),
            Kind::Utc | Kind::Local => None,
        },
    };
    LOCAL_DATA.with(|l| *l.borrow_mut() = data);
    Ok(())
}

fn local_data() -> Option<Rc<TzData>> {
    LOCAL_DATA.with(|l| l.borrow().clone())
}

impl Location {
    pub fn utc() -> Location {
        UTC.with(Location::clone)
    }

    pub fn local() -> Location {
        LOCAL.with(Location::clone)
    }

    /// Go's `FixedZone(name, offset)`.
    pub fn fixed(name: &str, offset: i64) -> Location {
        Location(Rc::new(Kind::Fixed {
            name: name.to_string(),
            offset,
        }))
    }

    /// A location from zone data, named `name`.
    pub fn from_data(name: &str, data: TzData) -> Location {
        Location(Rc::new(Kind::Tz {
            name: name.to_string(),
            data,
        }))
    }

    /// Go's `LoadLocation` over the bundled database, with its errors.
    pub fn load(name: &str) -> Result<Location, String> {
        if name.is_empty() || name == "UTC" {
            return Ok(Location::utc());
        }
        if name == "Local" {
            return Ok(Location::local());
        }
        if name.contains("..") || name.starts_with('/') || name.starts_with('\\') {
            return Err("time: invalid location name".to_string());
        }
        match super::tzdata::load(name) {
            Some(data) => Ok(Location::from_data(name, data)),
            None => Err(format!("unknown time zone {name}")),
        }
    }

    pub fn is_utc(&self) -> bool {
        matches!(*self.0, Kind::Utc)
    }

    pub fn is_local(&self) -> bool {
        matches!(*self.0, Kind::Local)
    }

    /// Go's `Location.String`.
    pub fn name(&self) -> String {
        match &*self.0 {
            Kind::Utc => "UTC".to_string(),
            Kind::Local => {
                if local_data().is_some() {
                    "Local".to_string()
                } else {
                    "UTC".to_string()
                }
            }
            Kind::Fixed { name, .. } | Kind::Tz { name, .. } => name.clone(),
        }
    }

    /// Go's `lookup`: the zone in force at Unix second `sec`.
    pub fn lookup(&self, sec: i64) -> ZoneInfo {
        match &*self.0 {
            Kind::Utc => utc_info(),
            Kind::Local => match local_data() {
                Some(data) => data.lookup(sec),
                None => utc_info(),
            },
            Kind::Fixed { name, offset } => ZoneInfo {
                name: name.clone(),
                offset: *offset,
                start: ALPHA,
                end: OMEGA,
                is_dst: false,
            },
            Kind::Tz { data, .. } => data.lookup(sec),
        }
    }

    /// Go's `lookupName`: the offset of the zone abbreviated `name` around
    /// the pseudo-Unix time `unix`.
    pub fn lookup_name(&self, name: &str, unix: i64) -> Option<i64> {
        match &*self.0 {
            Kind::Utc => None,
            Kind::Local => local_data().and_then(|d| d.lookup_name(name, unix)),
            Kind::Fixed { name: n, offset } => (n == name).then_some(*offset),
            Kind::Tz { data, .. } => data.lookup_name(name, unix),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

fn utc_info() -> ZoneInfo {
    ZoneInfo {
        name: "UTC".to_string(),
        offset: 0,
        start: ALPHA,
        end: OMEGA,
        is_dst: false,
    }
}

impl TzData {
    /// A single fixed zone, as `FixedZone` builds it.
    pub fn fixed(name: &str, offset: i64) -> TzData {
        TzData {
            zones: vec![Zone {
                name: name.to_string(),
                offset,
                is_dst: false,
            }],
            tx: vec![(ALPHA, 0)],
            extend: String::new(),
        }
    }

    fn zone_info(&self, index: usize, start: i64, end: i64) -> ZoneInfo {
        match self.zones.get(index) {
            Some(z) => ZoneInfo {
                name: z.name.clone(),
                offset: z.offset,
                start,
                end,
                is_dst: z.is_dst,
            },
            None => utc_info(),
        }
    }

    /// Go's `Location.lookup` on this data.
    pub fn lookup(&self, sec: i64) -> ZoneInfo {
        if self.zones.is_empty() {
            return utc_info();
        }
        let first = match self.tx.first() {
            None => true,
            Some(&(when, _)) => sec < when,
        };
        if first {
            let end = self.tx.first().map_or(OMEGA, |t| t.0);
            return self.zone_info(self.lookup_first_zone(), ALPHA, end);
        }
        // The last transition at or before `sec`.
        let lo = self.tx.partition_point(|&(when, _)| when <= sec) - 1;
        let end = self.tx.get(lo + 1).map_or(OMEGA, |t| t.0);
        let (start, index) = self.tx[lo];
        if lo == self.tx.len() - 1 && !self.extend.is_empty() {
            if let Some(info) = tzset(&self.extend, start, sec) {
                return info;
            }
        }
        self.zone_info(usize::from(index), start, end)
    }

    /// Go's `lookupFirstZone`.
    fn lookup_first_zone(&self) -> usize {
        if !self.tx.iter().any(|&(_, i)| i == 0) {
            return 0;
        }
        if let Some(&(_, first)) = self.tx.first() {
            if self.zones.get(usize::from(first)).is_some_and(|z| z.is_dst) {
                for zi in (0..usize::from(first)).rev() {
                    if !self.zones[zi].is_dst {
                        return zi;
                    }
                }
            }
        }
        self.zones.iter().position(|z| !z.is_dst).unwrap_or(0)
    }

    /// Go's `lookupName`.
    pub fn lookup_name(&self, name: &str, unix: i64) -> Option<i64> {
        for z in &self.zones {
            if z.name == name {
                let info = self.lookup(unix.wrapping_sub(z.offset));
                if info.name == z.name {
                    return Some(info.offset);
                }
            }
        }
        self.zones.iter().find(|z| z.name == name).map(|z| z.offset)
    }
}

/// A transition rule of a POSIX TZ string.
#[derive(Clone, Copy, Debug)]
enum Rule {
    /// `Jn`: day 1-365, February 29 never counted.
    Julian(i64, i64),
    /// `n`: zero-based day of the year, leap days counted.
    Doy(i64, i64),
    /// `Mm.w.d`: day `d` of week `w` of month `m`.
    MonthWeekDay {
        mon: i64,
        week: i64,
        day: i64,
        time: i64,
    },
}

/// Go's `tzsetName`.
fn tzset_name(s: &str) -> Option<(&str, &str)> {
    if s.is_empty() {
        return None;
    }
    if let Some(rest) = s.strip_prefix('<') {
        let close = rest.find('>')?;
        return Some((&rest[..close], &rest[close + 1..]));
    }
    for (i, c) in s.char_indices() {
        if c.is_ascii_digit() || matches!(c, ',' | '-' | '+') {
            if i < 3 {
                return None;
            }
            return Some((&s[..i], &s[i..]));
        }
    }
    if s.len() < 3 {
        return None;
    }
    Some((s, ""))
}

/// Go's `tzsetNum`: a number in `[min, max]`.
fn tzset_num(s: &str, min: i64, max: i64) -> Option<(i64, &str)> {
    if s.is_empty() {
        return None;
    }
    let mut num = 0i64;
    for (i, c) in s.char_indices() {
        if !c.is_ascii_digit() {
            if i == 0 || num < min {
                return None;
            }
            return Some((num, &s[i..]));
        }
        num = num * 10 + i64::from(c as u8 - b'0');
        if num > max {
            return None;
        }
    }
    if num < min {
        return None;
    }
    Some((num, ""))
}

/// Go's `tzsetOffset`: `[+-]hh[:mm[:ss]]` in seconds.
fn tzset_offset(s: &str) -> Option<(i64, &str)> {
    if s.is_empty() {
        return None;
    }
    let (neg, s) = match s.as_bytes()[0] {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    let sign = |off: i64| if neg { -off } else { off };
    let (hours, mut s) = tzset_num(s, 0, 24 * 7)?;
    let mut off = hours * 3600;
    let Some(rest) = s.strip_prefix(':') else {
        return Some((sign(off), s));
    };
    let (mins, rest) = tzset_num(rest, 0, 59)?;
    off += mins * 60;
    s = rest;
    let Some(rest) = s.strip_prefix(':') else {
        return Some((sign(off), s));
    };
    let (secs, rest) = tzset_num(rest, 0, 59)?;
    Some((sign(off + secs), rest))
}

/// Go's `tzsetRule`.
fn tzset_rule(s: &str) -> Option<(Rule, &str)> {
    if s.is_empty() {
        return None;
    }
    enum Base {
        Julian(i64),
        Doy(i64),
        Mwd(i64, i64, i64),
    }
    let (base, s) = if let Some(rest) = s.strip_prefix('J') {
        let (jday, rest) = tzset_num(rest, 1, 365)?;
        (Base::Julian(jday), rest)
    } else if let Some(rest) = s.strip_prefix('M') {
        let (mon, rest) = tzset_num(rest, 1, 12)?;
        let rest = rest.strip_prefix('.')?;
        let (week, rest) = tzset_num(rest, 1, 5)?;
        let rest = rest.strip_prefix('.')?;
        let (day, rest) = tzset_num(rest, 0, 6)?;
        (Base::Mwd(mon, week, day), rest)
    } else {
        let (day, rest) = tzset_num(s, 0, 365)?;
        (Base::Doy(day), rest)
    };
    let (time, s) = match s.strip_prefix('/') {
        None => (2 * 3600, s),
        Some(rest) => tzset_offset(rest)?,
    };
    let rule = match base {
        Base::Julian(d) => Rule::Julian(d, time),
        Base::Doy(d) => Rule::Doy(d, time),
        Base::Mwd(mon, week, day) => Rule::MonthWeekDay {
            mon,
            week,
            day,
            time,
        },
    };
    Some((rule, s))
}

/// Go's `tzruleTime`: seconds since the start of `year` at which the rule
/// takes effect, for a zone at offset `off`.
fn tzrule_time(year: i64, rule: Rule, off: i64) -> i64 {
    let (s, time) = match rule {
        Rule::Julian(day, time) => {
            let mut s = (day - 1) * 86_400;
            if civil::is_leap(year) && day >= 60 {
                s += 86_400;
            }
            (s, time)
        }
        Rule::Doy(day, time) => (day * 86_400, time),
        Rule::MonthWeekDay {
            mon,
            week,
            day,
            time,
        } => {
            // Zeller's congruence, with Go's truncating division.
            let m1 = (mon + 9) % 12 + 1;
            let mut yy0 = year;
            if mon <= 2 {
                yy0 -= 1;
            }
            let yy1 = yy0 / 100;
            let yy2 = yy0 % 100;
            let mut dow = ((26 * m1 - 2) / 10 + 1 + yy2 + yy2 / 4 + yy1 / 4 - 2 * yy1) % 7;
            if dow < 0 {
                dow += 7;
            }
            let mut d = day - dow;
            if d < 0 {
                d += 7;
            }
            for _ in 1..week {
                if d + 7 >= civil::days_in(mon, year) {
                    break;
                }
                d += 7;
            }
            d += civil::days_before(mon);
            if civil::is_leap(year) && mon > 2 {
                d += 1;
            }
            (d * 86_400, time)
        }
    };
    s + time - off
}

/// Go's `tzset`: the zone a POSIX TZ string gives for Unix second `sec`,
/// after the last transition at `last_tx`.
fn tzset(s: &str, last_tx: i64, sec: i64) -> Option<ZoneInfo> {
    let (mut std_name, s) = tzset_name(s)?;
    let (std_off, s) = tzset_offset(s)?;
    let mut std_offset = -std_off;
    if s.is_empty() || s.starts_with(',') {
        return Some(ZoneInfo {
            name: std_name.to_string(),
            offset: std_offset,
            start: last_tx,
            end: OMEGA,
            is_dst: false,
        });
    }
    let (mut dst_name, mut s) = tzset_name(s)?;
    let mut dst_offset = if s.is_empty() || s.starts_with(',') {
        std_offset + 3600
    } else {
        let (off, rest) = tzset_offset(s)?;
        s = rest;
        -off
    };
    if s.is_empty() {
        s = ",M3.2.0,M11.1.0";
    }
    if !s.starts_with(',') && !s.starts_with(';') {
        return None;
    }
    let (start_rule, s) = tzset_rule(&s[1..])?;
    let s = s.strip_prefix(',')?;
    let (end_rule, s) = tzset_rule(s)?;
    if !s.is_empty() {
        return None;
    }

    let days = i128::from(sec).div_euclid(86_400);
    let (year, _, _) = civil::civil_from_days(days);
    let yday = civil::year_day(days);
    // Go adds `sec % secondsPerDay` with a truncating remainder.
    let ysec = (yday - 1) * 86_400 + sec % 86_400;
    let ystart = sec.wrapping_sub(ysec);

    let mut start_sec = tzrule_time(year, start_rule, std_offset);
    let mut end_sec = tzrule_time(year, end_rule, dst_offset);
    let (mut dst_is_dst, mut std_is_dst) = (true, false);
    if end_sec < start_sec {
        std::mem::swap(&mut start_sec, &mut end_sec);
        std::mem::swap(&mut std_name, &mut dst_name);
        std::mem::swap(&mut std_offset, &mut dst_offset);
        std::mem::swap(&mut std_is_dst, &mut dst_is_dst);
    }
    let info = |name: &str, offset, start, end, is_dst| ZoneInfo {
        name: name.to_string(),
        offset,
        start,
        end,
        is_dst,
    };
    let at = |s: i64| s.wrapping_add(ystart);
    Some(if ysec < start_sec {
        info(std_name, std_offset, ystart, at(start_sec), std_is_dst)
    } else if ysec >= end_sec {
        info(
            std_name,
            std_offset,
            at(end_sec),
            at(365 * 86_400),
            std_is_dst,
        )
    } else {
        info(dst_name, dst_offset, at(start_sec), at(end_sec), dst_is_dst)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tzset_follows_go() {
        // 2019-06-13T20:39:39Z: New York summer time.
        let info = tzset("EST5EDT,M3.2.0,M11.1.0", 0, 1_560_458_379).unwrap();
        assert_eq!(
            (info.name.as_str(), info.offset, info.is_dst),
            ("EDT", -14400, true)
        );
        // 2019-03-10 06:59:59Z is 01:59:59 EST; one second later is EDT.
        assert_eq!(
            tzset("EST5EDT,M3.2.0,M11.1.0", 0, 1_552_201_199)
                .unwrap()
                .name,
            "EST"
        );
        let info = tzset("EST5EDT,M3.2.0,M11.1.0", 0, 1_552_201_200).unwrap();
        assert_eq!((info.name.as_str(), info.start), ("EDT", 1_552_201_200));
        // Southern hemisphere: the rules swap.
        let info = tzset("AEST-10AEDT,M10.1.0,M4.1.0/3", 0, 1_560_458_379).unwrap();
        assert_eq!((info.name.as_str(), info.offset), ("AEST", 36000));
        let info = tzset("<+0330>-3:30", 5, 1_560_458_379).unwrap();
        assert_eq!(
            (info.name.as_str(), info.offset, info.start),
            ("+0330", 12600, 5)
        );
        assert!(tzset("E", 0, 0).is_none());
        assert!(tzset("EST5EDT,M3.2.0", 0, 0).is_none());
        // Negative DST (Irish Standard Time in summer).
        let info = tzset("IST-1GMT0,M10.5.0,M3.5.0/1", 0, 1_560_458_379).unwrap();
        assert_eq!(
            (info.name.as_str(), info.offset, info.is_dst),
            ("IST", 3600, false)
        );
    }

    #[test]
    fn fixed_and_first_zone_lookups() {
        let loc = Location::fixed("GMT", 0);
        assert_eq!(loc.lookup(0).name, "GMT");
        assert_eq!(loc.lookup_name("GMT", 0), Some(0));
        let data = TzData {
            zones: vec![
                Zone {
                    name: "LMT".into(),
                    offset: 100,
                    is_dst: false,
                },
                Zone {
                    name: "XST".into(),
                    offset: 3600,
                    is_dst: false,
                },
            ],
            tx: vec![(1000, 1)],
            extend: String::new(),
        };
        assert_eq!(data.lookup(999).name, "LMT");
        assert_eq!(data.lookup(999).end, 1000);
        assert_eq!(data.lookup(1000).name, "XST");
        assert_eq!(data.lookup(1000).end, OMEGA);
        assert_eq!(data.lookup_name("XST", 5000), Some(3600));
        assert_eq!(data.lookup_name("ZZZ", 5000), None);
    }

    #[test]
    fn load_location_errors() {
        assert!(Location::load("").unwrap().is_utc());
        assert!(Location::load("Local").unwrap().is_local());
        assert_eq!(
            Location::load("../etc/passwd").unwrap_err(),
            "time: invalid location name"
        );
        assert_eq!(
            Location::load("Mars/Olympus").unwrap_err(),
            "unknown time zone Mars/Olympus"
        );
    }
}
