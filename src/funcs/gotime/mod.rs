//! Go's `time` package as Sprig's date functions and templates observe it:
//! [`Time`] (instants with a location and an optional monotonic reading),
//! [`Duration`], [`Location`] (UTC, Local, fixed and IANA zones from a
//! bundled database), reference-layout formatting and parsing with Go's
//! error texts, and the template objects (`time.Time`, `time.Duration`,
//! `time.Month`, `time.Weekday`, `*time.Location`) with their methods.
//!
//! Decoding a conformance `$time` marker: [`Time::from_marker`]`(text,
//! zone)` then [`time_value`]; `$time_now_offset`: [`Time::now`]`(host)`
//! then [`Time::add`] with [`Duration`] nanoseconds.

pub mod civil;
pub mod duration;
pub mod format;
pub mod object;
pub mod parse;
pub mod time;
pub mod tzdata;
pub mod zone;

pub use duration::{parse_duration, Duration};
pub use object::{duration_value, time_value};
pub use time::Time;
pub use zone::{set_local_zone, Location};
