//! Sprig v3.3.0's date functions (`date.go`, and `now` = Go's `time.Now`):
//! `ago`, `date`, `dateInZone`/`date_in_zone`, `dateModify`/`date_modify`,
//! `duration`, `durationRound`, `htmlDate`, `htmlDateInZone`,
//! `mustDateModify`/`must_date_modify`, `mustToDate`, `now`, `toDate`,
//! `unixEpoch`, on the Go `time` semantics of [`super::gotime`].
//!
//! As in Sprig, a date argument may be a `time.Time` or Unix seconds as
//! `int`, `int32` or `int64` (`ago` takes no `int32`); anything else means
//! "now". Zone names are IANA names from the bundled database; an unknown
//! one silently means UTC. "Local" is Chartroom's Local zone (UTC unless
//! the embedding sets one, see [`super::gotime::set_local_zone`]). The
//! clock is the host's (`ctx.host().now()`).

use super::gotime::duration::{Duration, HOUR, MINUTE, SECOND};
use super::gotime::object::as_time;
use super::gotime::{parse, parse_duration, time_value, Location, Time};
use crate::template::{Context, Func, FuncError, Host, ParamType, Templates};
use crate::value::{IntType, Value};

const TIME: ParamType = ParamType::Object("time.Time");

/// Registers the date functions under their Sprig names.
pub fn register(set: &mut Templates) {
    set.add_func(
        "ago",
        Func::new([ParamType::Any], |ctx, args| {
            Ok(Value::from(ago(ctx.host(), &args[0])))
        })
        .infallible(),
    );
    set.add_func(
        "date",
        Func::new([ParamType::String, ParamType::Any], |ctx, args| {
            Ok(Value::from(date_in_zone(
                ctx,
                str_arg(&args[0]),
                &args[1],
                "Local",
            )))
        })
        .infallible(),
    );
    let in_zone = Func::new(
        [ParamType::String, ParamType::Any, ParamType::String],
        |ctx, args| {
            let zone = str_arg(&args[2]);
            Ok(Value::from(date_in_zone(
                ctx,
                str_arg(&args[0]),
                &args[1],
                zone,
            )))
        },
    )
    .infallible();
    set.add_func("dateInZone", in_zone.clone());
    set.add_func("date_in_zone", in_zone);
    let modify = Func::new([ParamType::String, TIME], |_ctx, args| {
        let t = time_of(&args[1])?;
        Ok(time_value(match parse_duration(str_arg(&args[0])) {
            Ok(d) => t.add(d),
            Err(_) => t.clone(),
        }))
    })
    .infallible();
    set.add_func("dateModify", modify.clone());
    set.add_func("date_modify", modify);
    let must_modify = Func::new([ParamType::String, TIME], |_ctx, args| {
        let t = time_of(&args[1])?;
        let d = parse_duration(str_arg(&args[0])).map_err(FuncError::msg)?;
        Ok(time_value(t.add(d)))
    });
    set.add_func("mustDateModify", must_modify.clone());
    set.add_func("must_date_modify", must_modify);
    set.add_func(
        "duration",
        Func::new([ParamType::Any], |_ctx, args| {
            Ok(Value::from(duration(&args[0])))
        })
        .infallible(),
    );
    set.add_func(
        "durationRound",
        Func::new([ParamType::Any], |ctx, args| {
            Ok(Value::from(duration_round(ctx.host(), &args[0])))
        })
        .infallible(),
    );
    set.add_func(
        "htmlDate",
        Func::new([ParamType::Any], |ctx, args| {
            Ok(Value::from(date_in_zone(
                ctx,
                "2006-01-02",
                &args[0],
                "Local",
            )))
        })
        .infallible(),
    );
    set.add_func(
        "htmlDateInZone",
        Func::new([ParamType::Any, ParamType::String], |ctx, args| {
            let zone = str_arg(&args[1]);
            Ok(Value::from(date_in_zone(ctx, "2006-01-02", &args[0], zone)))
        })
        .infallible(),
    );
    set.add_func(
        "now",
        Func::new([], |ctx, _args| Ok(time_value(Time::now(ctx.host())))).infallible(),
    );
    set.add_func(
        "toDate",
        Func::new([ParamType::String, ParamType::String], |_ctx, args| {
            let t =
                parse::parse_in_location(str_arg(&args[0]), str_arg(&args[1]), &Location::local());
            Ok(time_value(t.unwrap_or_default()))
        })
        .infallible(),
    );
    set.add_func(
        "mustToDate",
        Func::new([ParamType::String, ParamType::String], |_ctx, args| {
            parse::parse_in_location(str_arg(&args[0]), str_arg(&args[1]), &Location::local())
                .map(time_value)
                .map_err(|e| FuncError::msg(e.to_string()))
        }),
    );
    set.add_func(
        "unixEpoch",
        Func::new([TIME], |_ctx, args| {
            Ok(Value::from(time_of(&args[0])?.unix_seconds().to_string()))
        })
        .infallible(),
    );
}

fn str_arg(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// The `time.Time` argument the executor checked against `time.Time`.
fn time_of(v: &Value) -> Result<&Time, FuncError> {
    as_time(v).ok_or_else(|| {
        FuncError::msg(format!(
            "wrong type for value; expected time.Time; got {}",
            v.type_name()
        ))
    })
}

/// Sprig's `dateInZone`: the date (a time or Unix seconds, else now) in
/// `zone` (UTC when unknown), formatted with `layout`.
fn date_in_zone(ctx: &Context<'_>, layout: &str, date: &Value, zone: &str) -> String {
    let t = match date {
        Value::Int(secs, IntType::Int | IntType::Int32 | IntType::Int64) => Time::unix(*secs, 0),
        other => match as_time(other) {
            Some(t) => t.clone(),
            None => Time::now(ctx.host()),
        },
    };
    let loc = Location::load(zone).unwrap_or_else(|_| Location::utc());
    t.in_loc(&loc).format(layout)
}

/// Sprig's `ago`: the time since the date, rounded to seconds.
fn ago(host: &dyn Host, date: &Value) -> String {
    let t = match date {
        Value::Int(secs, IntType::Int | IntType::Int64) => Time::unix(*secs, 0),
        other => match as_time(other) {
            Some(t) => t.clone(),
            None => Time::now(host),
        },
    };
    t.since(host).round(Duration(SECOND)).to_string()
}

/// Go's `strconv.ParseInt(s, 10, 64)` as Sprig uses it: the value, the
/// clamped bound on overflow, 0 on a syntax error.
fn parse_int_clamped(s: &str) -> i64 {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    let mut v: i128 = 0;
    for b in digits.bytes() {
        v = (v * 10 + i128::from(b - b'0')).min(i128::from(u64::MAX));
    }
    let v = if neg { -v } else { v };
    v.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// Sprig's `duration`: seconds (a decimal string or an `int64`) as a Go
/// duration string.
fn duration(sec: &Value) -> String {
    let n = match sec {
        Value::String(_) | Value::ByteString(_) => {
            parse_int_clamped(sec.as_str().unwrap_or_default())
        }
        Value::Int(n, IntType::Int64) => *n,
        _ => 0,
    };
    Duration(n.wrapping_mul(SECOND)).to_string()
}

/// Sprig's `durationRound`: a duration (a Go duration string, `int64`
/// nanoseconds, or the time since a `time.Time`) in its largest unit.
fn duration_round(host: &dyn Host, value: &Value) -> String {
    let d = match value {
        Value::String(_) | Value::ByteString(_) => {
            parse_duration(value.as_str().unwrap_or_default()).unwrap_or_default()
        }
        Value::Int(n, IntType::Int64) => Duration(*n),
        other => match as_time(other) {
            Some(t) => t.since(host),
            None => Duration(0),
        },
    };
    let u = d.0.unsigned_abs();
    let day = 24 * HOUR as u64;
    let units: [(u64, &str); 6] = [
        (365 * day, "y"),
        (30 * day, "mo"),
        (day, "d"),
        (HOUR as u64, "h"),
        (MINUTE as u64, "m"),
        (SECOND as u64, "s"),
    ];
    for (size, suffix) in units {
        if u > size {
            return format!("{}{suffix}", u / size);
        }
    }
    "0s".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Host;
    use std::rc::Rc;

    struct Clock(i64);
    impl Host for Clock {
        fn random_bytes(&self, _buf: &mut [u8]) {}
        fn now(&self) -> (i64, u32) {
            (self.0, 0)
        }
    }

    const NOW: i64 = 1_560_458_379; // 2019-06-13T20:39:39Z

    fn set() -> Templates {
        let mut set = Templates::new();
        register(&mut set);
        set.set_host(Rc::new(Clock(NOW)));
        set
    }

    fn run_with(tpl: &str, data: &Value) -> Result<String, String> {
        let mut set = set();
        set.parse("test", tpl).map_err(|e| e.to_string())?;
        set.execute("test", data).map_err(|e| e.to_string())
    }

    fn run(tpl: &str) -> String {
        run_with(tpl, &Value::Nil).unwrap()
    }

    fn gmt() -> Value {
        time_value(Time::from_marker("2019-06-13T20:39:39Z", Some("GMT")).unwrap())
    }

    fn data(v: Value) -> Value {
        let m = crate::value::Map::new();
        m.insert("Time", v);
        Value::Map(m)
    }

    #[test]
    fn formats_dates_in_zones() {
        let tpl = r#"{{ date_in_zone "02 Jan 06 15:04 -0700" .Time "UTC" }}"#;
        for v in [
            gmt(),
            Value::int64(NOW),
            Value::Int(NOW, IntType::Int32),
            Value::int(NOW),
            Value::from(""),
        ] {
            assert_eq!(run_with(tpl, &data(v)).unwrap(), "13 Jun 19 20:39 +0000");
        }
        assert_eq!(
            run_with(
                r#"{{ dateInZone "2006-01-02 15:04 MST" .Time "Asia/Tokyo" }}"#,
                &data(gmt())
            )
            .unwrap(),
            "2019-06-14 05:39 JST"
        );
        assert_eq!(
            run_with(
                r#"{{ date_in_zone "15:04 MST" .Time "foobar" }}"#,
                &data(gmt())
            )
            .unwrap(),
            "20:39 UTC"
        );
        assert_eq!(
            run_with("{{ .Time | htmlDate }}", &data(gmt())).unwrap(),
            "2019-06-13"
        );
        assert_eq!(
            run_with(
                r#"{{ htmlDateInZone .Time "Pacific/Kiritimati" }}"#,
                &data(gmt())
            )
            .unwrap(),
            "2019-06-14"
        );
        assert_eq!(run(r#"{{ date "2006" 0 }}"#), "1970");
        assert_eq!(
            run(r#"{{ now | date "2006-01-02T15:04:05" }}"#),
            "2019-06-13T20:39:39"
        );
    }

    #[test]
    fn now_and_ago() {
        assert!(run("{{ now }}").starts_with("2019-06-13 20:39:39 +0000 UTC m=+"));
    }

    #[test]
    fn ago_counts_from_the_host_clock() {
        assert_eq!(
            run_with("{{ ago .Time }}", &data(Value::int(NOW - 125))).unwrap(),
            "2m5s"
        );
        assert_eq!(
            run_with("{{ ago .Time }}", &data(Value::int64(NOW + 5))).unwrap(),
            "-5s"
        );
        assert_eq!(run_with("{{ ago .Time }}", &data(gmt())).unwrap(), "0s");
        // int32 is not a date for ago: it means now.
        assert_eq!(
            run_with("{{ ago .Time }}", &data(Value::Int(5, IntType::Int32))).unwrap(),
            "0s"
        );
    }

    #[test]
    fn durations() {
        let d = |v: Value| run_with("{{ duration .Time }}", &data(v)).unwrap();
        assert_eq!(d(Value::from("61")), "1m1s");
        assert_eq!(d(Value::from("3600")), "1h0m0s");
        assert_eq!(d(Value::from("93784")), "26h3m4s");
        assert_eq!(d(Value::from("x")), "0s");
        assert_eq!(d(Value::int(5)), "0s");
        assert_eq!(d(Value::int64(5)), "5s");
        assert_eq!(d(Value::from("99999999999999999999")), "-1s");
        let r = |v: Value| run_with("{{ durationRound .Time }}", &data(v)).unwrap();
        assert_eq!(r(Value::from("2h5s")), "2h");
        assert_eq!(r(Value::from("24h5s")), "1d");
        assert_eq!(r(Value::from("2400h5s")), "3mo");
        assert_eq!(r(Value::from("-9000h")), "1y");
        assert_eq!(r(Value::from("1s")), "0s");
        assert_eq!(r(Value::int64(61 * SECOND)), "1m");
        assert_eq!(r(Value::from("bogus")), "0s");
        assert_eq!(r(time_value(Time::unix(NOW - 7200 - 1, 0))), "2h");
    }

    #[test]
    fn modify_and_parse() {
        assert_eq!(
            run_with(r#"{{ date_modify "24h" .Time }}"#, &data(gmt())).unwrap(),
            "2019-06-14 20:39:39 +0000 GMT"
        );
        assert_eq!(
            run_with(r#"{{ dateModify "1f" .Time }}"#, &data(gmt())).unwrap(),
            "2019-06-13 20:39:39 +0000 GMT"
        );
        assert_eq!(
            run_with(r#"{{ must_date_modify "1f" .Time }}"#, &data(gmt())).unwrap_err(),
            "template: test:1:3: executing \"test\" at <must_date_modify \"1f\" .Time>: \
             error calling must_date_modify: time: unknown unit \"f\" in duration \"1f\""
        );
        assert_eq!(
            run_with(r#"{{ dateModify "1h" .Time }}"#, &data(Value::from("x"))).unwrap_err(),
            "template: test:1:19: executing \"test\" at <.Time>: \
             wrong type for value; expected time.Time; got string"
        );
        assert_eq!(
            run(r#"{{ toDate "2006-01-02" "2017-12-31" | date "02/01/2006" }}"#),
            "31/12/2017"
        );
        assert_eq!(
            run(r#"{{ toDate "2006-01-02" "2017-12-31" }}"#),
            "2017-12-31 00:00:00 +0000 UTC"
        );
        assert_eq!(
            run(r#"{{ toDate "2006-01-02" "bad" }}"#),
            "0001-01-01 00:00:00 +0000 UTC"
        );
        assert_eq!(
            run_with(r#"{{ mustToDate "2006-01-02" "2017-13-01" }}"#, &Value::Nil).unwrap_err(),
            "template: test:1:3: executing \"test\" at <mustToDate \"2006-01-02\" \"2017-13-01\">: \
             error calling mustToDate: parsing time \"2017-13-01\": month out of range"
        );
        assert_eq!(
            run_with("{{ unixEpoch .Time }}", &data(gmt())).unwrap(),
            "1560458379"
        );
    }

    #[test]
    fn time_methods() {
        let t = |tpl: &str| run_with(tpl, &data(gmt())).unwrap();
        assert_eq!(
            t("{{ .Time.Year }} {{ .Time.Month }} {{ .Time.Weekday }}"),
            "2019 June Thursday"
        );
        assert_eq!(t(r#"{{ .Time.Format "Jan 2" }}"#), "Jun 13");
        assert_eq!(t("{{ .Time.UTC }}"), "2019-06-13 20:39:39 +0000 UTC");
        assert_eq!(t("{{ .Time.Location }}"), "GMT");
        assert_eq!(t("{{ (.Time.AddDate 0 1 0).YearDay }}"), "194");
        assert_eq!(
            t("{{ .Time.Add 3600000000000 }}"),
            "2019-06-13 21:39:39 +0000 GMT"
        );
        assert_eq!(t("{{ (now).Sub .Time }}"), "0s");
        assert_eq!(t("{{ .Time.Unix }} {{ .Time.IsZero }}"), "1560458379 false");
        assert_eq!(
            t("{{ .Time.MarshalJSON | printf \"%s\" }}"),
            "\"2019-06-13T20:39:39Z\""
        );
        assert!(run_with("{{ .Time.Zone }}", &data(gmt()))
            .unwrap_err()
            .ends_with("second return value should be error; is int"));
    }
}
