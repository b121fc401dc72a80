//! The `time` values templates hold, as host objects: `time.Time` (printed
//! with `Time.String()`), `time.Duration` (`1h2m3s`), `time.Month`
//! (`June`), `time.Weekday` (`Thursday`) and `*time.Location` (its name),
//! with the method sets of Go's `time` package as templates see them.
//!
//! Each method declares its Go signature ([`Method`]), so the executor
//! checks and converts arguments as Go's `evalCall` does: `.T.Add 3600`
//! converts the literal to a `time.Duration`, while a variable holding an
//! `int` fails with `wrong type for value; expected time.Duration; got
//! int`. Methods with several results (`Clock`, `Date`, `ISOWeek`, `Zone`,
//! `ZoneBounds`) fail with the texts of Go's `goodFunc`.
//!
//! `time.Duration`, `time.Month` and `time.Weekday` are Go integers with a
//! `String` method: they print their `String()` form, and compare, test
//! and format with integer verbs as their number ([`Object::int_value`]).

use std::any::Any;
use std::rc::Rc;

use super::civil;
use super::duration::Duration;
use super::time::Time;
use super::zone::Location;
use crate::template::{Method, NamedInt, ParamType, Returns};
use crate::value::{IntType, Kind, Object, Value};

/// A `time.Time` template value.
pub fn time_value(t: Time) -> Value {
    Value::Object(Rc::new(t))
}

/// A `time.Duration` template value.
pub fn duration_value(d: Duration) -> Value {
    Value::Object(Rc::new(d))
}

/// The `time.Time` inside a template value, if it holds one.
pub fn as_time(v: &Value) -> Option<&Time> {
    match v {
        Value::Object(o) => o.as_any().downcast_ref::<Time>(),
        _ => None,
    }
}

fn as_duration(v: &Value) -> Option<Duration> {
    match v {
        Value::Object(o) => o.as_any().downcast_ref::<Duration>().copied(),
        _ => None,
    }
}

/// Go's `time.Duration` as a parameter type.
pub static DURATION: NamedInt = NamedInt {
    name: "time.Duration",
    int_type: IntType::Int64,
    make: duration_from_nanos,
};

fn duration_from_nanos(n: i64) -> Value {
    duration_value(Duration(n))
}

const TIME: ParamType = ParamType::Object("time.Time");
const DURATION_PARAM: ParamType = ParamType::NamedInt(&DURATION);

/// The arguments a method receives, converted by the executor to its
/// declared parameter types; a mismatch can only be an internal error.
struct Args<'a>(&'a [Value]);

impl<'a> Args<'a> {
    fn get(&self, i: usize) -> Result<&'a Value, String> {
        self.0
            .get(i)
            .ok_or_else(|| format!("internal error: missing argument {i}"))
    }

    fn int(&self, i: usize) -> Result<i64, String> {
        match self.get(i)? {
            Value::Int(n, _) => Ok(*n),
            other => Err(unconverted(other)),
        }
    }

    fn duration(&self, i: usize) -> Result<Duration, String> {
        let v = self.get(i)?;
        as_duration(v).ok_or_else(|| unconverted(v))
    }

    fn time(&self, i: usize) -> Result<&'a Time, String> {
        let v = self.get(i)?;
        as_time(v).ok_or_else(|| unconverted(v))
    }

    fn string(&self, i: usize) -> Result<&'a str, String> {
        let v = self.get(i)?;
        v.as_str().ok_or_else(|| unconverted(v))
    }
}

fn unconverted(v: &Value) -> String {
    format!(
        "internal error: unconverted argument of type {}",
        v.type_name()
    )
}

/// The signatures of `time.Time`'s methods (value receiver).
fn time_method(name: &str) -> Option<Method> {
    Some(match name {
        "Add" | "Round" | "Truncate" => Method::new([DURATION_PARAM]),
        "AddDate" => Method::new([ParamType::INT, ParamType::INT, ParamType::INT]),
        "After" | "Before" | "Compare" | "Equal" | "Sub" => Method::new([TIME]),
        "AppendFormat" => Method::new([ParamType::Bytes, ParamType::String]),
        "Format" => Method::new([ParamType::String]),
        "In" => Method::new([ParamType::Object("*time.Location")]),
        "Day" | "Hour" | "Minute" | "Second" | "Nanosecond" | "Year" | "YearDay" | "Month"
        | "Weekday" | "Unix" | "UnixMilli" | "UnixMicro" | "UnixNano" | "IsZero" | "IsDST"
        | "UTC" | "Local" | "Location" | "String" | "GoString" => Method::getter(),
        "MarshalJSON" | "MarshalText" => Method::getter().fallible(),
        "Clock" | "Date" => Method::getter().returning(Returns::Many(3)),
        "ISOWeek" | "Zone" => Method::getter().returning(Returns::SecondNotError("int")),
        "ZoneBounds" => Method::getter().returning(Returns::SecondNotError("time.Time")),
        _ => return None,
    })
}

impl Time {
    fn call_time_method(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        let args = Args(args);
        Ok(match name {
            "Add" => time_value(self.add(args.duration(0)?)),
            "AddDate" => time_value(self.add_date(args.int(0)?, args.int(1)?, args.int(2)?)),
            "After" => Value::Bool(self.after(args.time(0)?)),
            "Before" => Value::Bool(self.before(args.time(0)?)),
            "Compare" => Value::int(self.compare(args.time(0)?)),
            "Equal" => Value::Bool(self.equal(args.time(0)?)),
            "Format" => Value::from(self.format(args.string(0)?)),
            "AppendFormat" => {
                let mut b = match args.get(0)? {
                    Value::Bytes(b) => b.to_vec(),
                    _ => Vec::new(),
                };
                b.extend_from_slice(self.format(args.string(1)?).as_bytes());
                Value::bytes(b)
            }
            "In" => match args.get(0)? {
                Value::Object(o) => match o.as_any().downcast_ref::<Location>() {
                    Some(loc) => time_value(self.in_loc(loc)),
                    None => return Err(unconverted(&args.0[0])),
                },
                _ => return Err("time: missing Location in call to Time.In".into()),
            },
            "Round" => time_value(self.round(args.duration(0)?)),
            "Truncate" => time_value(self.truncate(args.duration(0)?)),
            "Sub" => duration_value(self.sub(args.time(0)?)),
            "Day" => Value::int(self.day()),
            "Hour" => Value::int(self.hour()),
            "Minute" => Value::int(self.minute()),
            "Second" => Value::int(self.second()),
            "Nanosecond" => Value::int(self.nanosecond()),
            "Year" => Value::int(self.year()),
            "YearDay" => Value::int(self.year_day()),
            "Month" => Value::object(Month(self.month())),
            "Weekday" => Value::object(Weekday(self.weekday())),
            "Unix" => Value::int64(self.unix_seconds()),
            "UnixMilli" => Value::int64(self.unix_milli()),
            "UnixMicro" => Value::int64(self.unix_micro()),
            "UnixNano" => Value::int64(self.unix_nano()),
            "IsZero" => Value::Bool(self.is_zero()),
            "IsDST" => Value::Bool(self.is_dst()),
            "UTC" => time_value(self.utc()),
            "Local" => time_value(self.local()),
            "Location" => Value::object(self.location()),
            "String" => Value::from(self.go_string()),
            "GoString" => Value::from(self.go_syntax()),
            "MarshalJSON" => {
                let s = self.marshal_text("MarshalJSON")?;
                Value::bytes(format!("\"{s}\"").into_bytes())
            }
            "MarshalText" => Value::bytes(self.marshal_text("MarshalText")?.into_bytes()),
            _ => return Err(format!("can't call method {name} on type time.Time")),
        })
    }
}

impl Object for Time {
    fn type_name(&self) -> String {
        "time.Time".to_string()
    }

    fn field(&self, _name: &str) -> Option<Value> {
        None
    }

    fn method(&self, name: &str) -> Option<Method> {
        time_method(name)
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        self.call_time_method(name, args)
    }

    fn format(&self) -> String {
        self.go_string()
    }

    /// `MarshalJSON`: the RFC 3339 string, or Go's error for years outside
    /// 0-9999.
    fn to_json_value(&self) -> Option<Result<Value, String>> {
        Some(
            self.marshal_text("MarshalJSON")
                .map(Value::from)
                .map_err(|e| format!("json: error calling MarshalJSON for type time.Time: {e}")),
        )
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Object for Duration {
    fn type_name(&self) -> String {
        "time.Duration".to_string()
    }

    fn kind(&self) -> Kind {
        Kind::Int64
    }

    fn field(&self, _name: &str) -> Option<Value> {
        None
    }

    fn method(&self, name: &str) -> Option<Method> {
        Some(match name {
            "Round" | "Truncate" => Method::new([DURATION_PARAM]),
            "Abs" | "Hours" | "Microseconds" | "Milliseconds" | "Minutes" | "Nanoseconds"
            | "Seconds" | "String" => Method::getter(),
            _ => return None,
        })
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        let args = Args(args);
        Ok(match name {
            "Abs" => duration_value(self.abs()),
            "Hours" => Value::Float(self.hours()),
            "Minutes" => Value::Float(self.minutes()),
            "Seconds" => Value::Float(self.seconds()),
            "Microseconds" => Value::int64(self.microseconds()),
            "Milliseconds" => Value::int64(self.milliseconds()),
            "Nanoseconds" => Value::int64(self.nanoseconds()),
            "Round" => duration_value(self.round(args.duration(0)?)),
            "Truncate" => duration_value(self.truncate(args.duration(0)?)),
            "String" => Value::from(self.to_string()),
            _ => return Err(format!("can't call method {name} on type time.Duration")),
        })
    }

    fn format(&self) -> String {
        self.to_string()
    }

    fn int_value(&self) -> Option<(i64, IntType)> {
        Some((self.0, IntType::Int64))
    }

    /// An `int64` of nanoseconds, as `encoding/json` encodes the named type.
    fn to_json_value(&self) -> Option<Result<Value, String>> {
        Some(Ok(Value::int64(self.0)))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Go's `time.Month`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Month(pub i64);

/// Go's `time.Weekday` (Sunday = 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Weekday(pub i64);

macro_rules! named_int_object {
    ($ty:ident, $go:literal, $name:path) => {
        impl Object for $ty {
            fn type_name(&self) -> String {
                $go.to_string()
            }

            fn kind(&self) -> Kind {
                Kind::Int
            }

            fn field(&self, _name: &str) -> Option<Value> {
                None
            }

            fn method(&self, name: &str) -> Option<Method> {
                (name == "String").then(Method::getter)
            }

            fn call_method(&self, _name: &str, _args: &[Value]) -> Result<Value, String> {
                Ok(Value::from($name(self.0)))
            }

            fn format(&self) -> String {
                $name(self.0)
            }

            fn int_value(&self) -> Option<(i64, IntType)> {
                Some((self.0, IntType::Int))
            }

            /// An `int`, as `encoding/json` encodes the named type.
            fn to_json_value(&self) -> Option<Result<Value, String>> {
                Some(Ok(Value::int(self.0)))
            }

            fn as_any(&self) -> &dyn Any {
                self
            }
        }
    };
}

named_int_object!(Month, "time.Month", civil::month_name);
named_int_object!(Weekday, "time.Weekday", civil::weekday_name);

impl Object for Location {
    fn type_name(&self) -> String {
        "*time.Location".to_string()
    }

    fn kind(&self) -> Kind {
        Kind::Ptr
    }

    fn field(&self, _name: &str) -> Option<Value> {
        None
    }

    fn method(&self, name: &str) -> Option<Method> {
        (name == "String").then(Method::getter)
    }

    fn call_method(&self, _name: &str, _args: &[Value]) -> Result<Value, String> {
        Ok(Value::from(self.name()))
    }

    fn format(&self) -> String {
        self.name()
    }

    /// A struct with unexported fields only (`{}` in JSON).
    fn go_fields(&self) -> Option<Vec<crate::value::GoField>> {
        Some(Vec::new())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Templates;
    use crate::value::Map;

    /// Runs `text` on data holding a time (`.T`, 2024-06-09 10:11:12 UTC),
    /// a duration (`.D`, 90s), an `int` (`.I`), an `int64` (`.I64`), a list
    /// (`.L`) and a weekday (`.Sun`).
    fn render(text: &str) -> Result<String, String> {
        let data = Map::new();
        let t = Time::from_marker("2024-06-09T10:11:12Z", None).expect("valid time");
        data.insert("T", time_value(t));
        data.insert("D", duration_value(Duration(90_000_000_000)));
        data.insert("I", Value::int(3600));
        data.insert("I64", Value::int64(5));
        data.insert(
            "L",
            Value::list(
                ["a", "b", "c", "d", "e", "f", "g"]
                    .map(Value::from)
                    .to_vec(),
            ),
        );
        data.insert("Sun", Value::object(Weekday(0)));
        let mut set = Templates::new();
        crate::funcs::register_helm(&mut set);
        set.parse("t", text).map_err(|e| e.to_string())?;
        set.execute("t", &Value::Map(data))
            .map_err(|e| e.to_string())
    }

    fn error_message(text: &str) -> String {
        let err = render(text).expect_err("an error");
        err.split_once(": executing \"t\" at ")
            .map_or(err.clone(), |(_, rest)| rest.to_string())
    }

    #[test]
    fn named_integers_print_compare_and_cast_as_go() {
        assert_eq!(
            render(r#"{{ .T.Month }} {{ printf "%d %v %s %x %q %5d %#v %T" .T.Month .T.Month .T.Month .T.Month .T.Month .T.Month .T.Month .T.Month }}"#)
                .unwrap(),
            "June 6 June June 4a756e65 \"June\"     6 6 time.Month"
        );
        assert_eq!(
            render(r#"{{ printf "%t" .T.Month }} {{ printf "%f" .D }} {{ printf "%#v" .D }}"#)
                .unwrap(),
            "%!t(time.Month=6) %!f(time.Duration=90000000000) 90000000000"
        );
        assert_eq!(
            render(r#"{{ eq .T.Month 6 }} {{ lt .T.Month 7 }} {{ eq .T.Month .T.Weekday }} {{ if .Sun }}y{{ else }}n{{ end }}"#)
                .unwrap(),
            "true true false n"
        );
        assert_eq!(
            render(r#"{{ index .L .T.Month }} {{ print 1 .T.Month 2 }}"#).unwrap(),
            "g 1 June 2"
        );
        // Sprig's casts know time.Month and time.Weekday, not time.Duration.
        assert_eq!(
            render(
                r#"{{ add .T.Month 1 }} {{ int .T.Weekday }} {{ float64 .T.Month }} {{ int64 .D }}"#
            )
            .unwrap(),
            "7 0 6 0"
        );
        assert_eq!(
            render(r#"{{ kindOf .T.Month }} {{ kindOf .D }} {{ typeOf .D }}"#).unwrap(),
            "int int64 time.Duration"
        );
    }

    #[test]
    fn methods_take_typed_arguments() {
        assert_eq!(
            render("{{ .T.Add 3600000000000 }} {{ .T.Add .D }} {{ \"2006\" | .T.Format }}")
                .unwrap(),
            "2024-06-09 11:11:12 +0000 UTC 2024-06-09 10:12:42 +0000 UTC 2024"
        );
        assert_eq!(
            render("{{ .T.AddDate 1 0 0 }} {{ .D.Round 1000000000 }} {{ .D.Minutes }}").unwrap(),
            "2025-06-09 10:11:12 +0000 UTC 1m30s 1.5"
        );
        let cases = [
            (
                "{{ .T.Add .I }}",
                "<.I>: wrong type for value; expected time.Duration; got int",
            ),
            ("{{ .T.Add 1.5 }}", "<1.5>: expected integer; found 1.5"),
            (
                "{{ .T.Add \"x\" }}",
                "<\"x\">: expected integer; found \"x\"",
            ),
            (
                "{{ .T.Format }}",
                "<.T.Format>: wrong number of args for Format: want 1 got 0",
            ),
            (
                "{{ .T.Format \"2006\" \"x\" }}",
                "<.T.Format>: wrong number of args for Format: want 1 got 2",
            ),
            ("{{ .T.Format 1 }}", "<1>: expected string; found 1"),
            (
                "{{ .T.AddDate .I64 0 0 }}",
                "<.I64>: wrong type for value; expected int; got int64",
            ),
            (
                "{{ .T.Clock }}",
                "<.T.Clock>: function Clock has 3 return values; should be 1 or 2",
            ),
            (
                "{{ .T.Clock 1 }}",
                "<.T.Clock>: wrong number of args for Clock: want 0 got 1",
            ),
            (
                "{{ .T.ISOWeek }}",
                "<.T.ISOWeek>: invalid function signature for ISOWeek: second return value should be error; is int",
            ),
            (
                "{{ .T.ZoneBounds }}",
                "<.T.ZoneBounds>: invalid function signature for ZoneBounds: second return value should be error; is time.Time",
            ),
            (
                "{{ .T.In nil }}",
                "<.T.In>: error calling In: time: missing Location in call to Time.In",
            ),
            (
                "{{ .T.Sub 1 }}",
                "<1>: can't handle 1 for arg of type time.Time",
            ),
            (
                "{{ .T.Month.String 1 }}",
                "<.T.Month.String>: wrong number of args for String: want 0 got 1",
            ),
            (
                "{{ .T.Month 1 }}",
                "<.T.Month>: wrong number of args for Month: want 0 got 1",
            ),
            (
                "{{ .T.Nope }}",
                "<.T.Nope>: can't evaluate field Nope in type interface {}",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(error_message(text), want, "{text}");
        }
    }
}
