//! How Go's reflection-driven encoders (BurntSushi/toml, go-yaml v3) see a
//! template value: its kind after following interfaces and pointers, and
//! for host objects the Go type behind them (`time.Time`, `time.Duration`,
//! a `TextMarshaler` such as `*semver.Version`, a struct with exported
//! fields, a named map or slice type).

use std::rc::Rc;

use crate::funcs::gotime::object::{Month, Weekday};
use crate::funcs::gotime::{Duration, Location, Time};
use crate::funcs::semver::SemverValue;
use crate::value::{GoField, Kind, Object, Value};

/// A value as reflection classifies it.
#[derive(Clone, Debug)]
pub(crate) enum Shape {
    /// A nil interface, pointer, slice or map.
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    /// A float with its size in bits (32 or 64).
    Float(f64, u32),
    Str(Rc<str>),
    /// A `[]byte`.
    Bytes(crate::value::Bytes),
    Time(Time),
    /// A `time.Duration` (nanoseconds).
    Duration(i64),
    /// An `encoding.TextMarshaler` other than `time.Time`, with its text.
    Text(String),
    Slice(Vec<Value>),
    /// A map with string keys; entries in key order.
    Map(Vec<(String, Value)>),
    /// A struct: its exported fields in declaration order.
    Struct(Vec<GoField>),
    /// A kind the encoders cannot handle (`complex128`), by kind name.
    Unsupported(String),
}

/// The shape of `v`.
pub(crate) fn shape(v: &Value) -> Shape {
    match v {
        Value::Nil => Shape::Nil,
        Value::Bool(b) => Shape::Bool(*b),
        Value::Int(i, _) => Shape::Int(*i),
        Value::Uint(u, _) => Shape::Uint(*u),
        Value::Float(f) => Shape::Float(*f, 64),
        Value::Float32(f) => Shape::Float(f64::from(*f), 32),
        Value::String(s) => Shape::Str(s.clone()),
        Value::ByteString(b) => Shape::Str(b.text().clone()),
        Value::Bytes(b) => Shape::Bytes(b.clone()),
        Value::List(items) => Shape::Slice(items.as_ref().clone()),
        Value::Map(m) => Shape::Map(m.entries()),
        Value::Object(o) => object_shape(o.as_ref()),
    }
}

fn object_shape(o: &dyn Object) -> Shape {
    let any = o.as_any();
    if let Some(t) = any.downcast_ref::<Time>() {
        return Shape::Time(t.clone());
    }
    if let Some(d) = any.downcast_ref::<Duration>() {
        return Shape::Duration(d.0);
    }
    if let Some(s) = any.downcast_ref::<SemverValue>() {
        return Shape::Text(s.version.to_string());
    }
    if let Some(m) = any.downcast_ref::<Month>() {
        return Shape::Int(m.0);
    }
    if let Some(w) = any.downcast_ref::<Weekday>() {
        return Shape::Int(w.0);
    }
    let type_name = o.type_name();
    if type_name == "complex128" || type_name == "complex64" {
        return Shape::Unsupported(type_name);
    }
    if any.downcast_ref::<Location>().is_some() {
        // `*time.Location`: a struct without exported fields.
        return Shape::Struct(Vec::new());
    }
    if let Some(fields) = o.go_fields() {
        return Shape::Struct(fields);
    }
    if let Some(entries) = o.map_entries() {
        return Shape::Map(entries);
    }
    if let Some(items) = o.list_items() {
        return Shape::Slice(items);
    }
    match o.kind() {
        Kind::Map => Shape::Map(Vec::new()),
        Kind::Slice => Shape::Slice(Vec::new()),
        _ => Shape::Struct(Vec::new()),
    }
}

/// A field's value as the encoders see it: nil for a nil slice or map.
pub(crate) fn field_shape(f: &GoField) -> Shape {
    if f.nil {
        Shape::Nil
    } else {
        shape(&f.value)
    }
}
