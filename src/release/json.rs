//! The two halves of Go's `encoding/json` that release records need on top
//! of [`crate::yaml`]'s dynamic-value JSON:
//!
//! - [`ObjectWriter`]: a struct's members in declaration order (Go writes
//!   struct fields in the order they are declared, not sorted), compact, as
//!   `json.Marshal` lays them out;
//! - [`Decoder`]: decoding a parsed JSON value into typed fields the way
//!   `json.Unmarshal` does: object keys match a field's JSON name exactly,
//!   else ignoring case; unknown keys are ignored; `null` leaves a string,
//!   number, bool or struct alone and makes a pointer, slice or map nil; a
//!   value of the wrong kind is skipped and the first such error is kept as
//!   `json: cannot unmarshal <kind> into Go struct field <Struct>.<path> of
//!   type <type>`, where `<Struct>` is the innermost struct's name and
//!   `<path>` the JSON names from the top.
//!
//! Numbers arrive as `float64` (the parse of [`crate::yaml::from_json`]), so
//! an integer field accepts any integral value that fits (Go would also
//! reject the literal `1.0`), and a fractional one is reported with Go's
//! float layout rather than the literal text.

use crate::value::{Map, Value};
use crate::yaml::json_kind;

/// Writes one JSON object's members in order.
pub(crate) struct ObjectWriter<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> ObjectWriter<'a> {
    pub(crate) fn new(out: &'a mut String) -> Self {
        out.push('{');
        ObjectWriter { out, empty: true }
    }

    /// Starts a member and returns the buffer to write its value into.
    /// `name` is one of Helm's JSON names, which need no escaping.
    pub(crate) fn key(&mut self, name: &str) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        self.out.push('"');
        self.out.push_str(name);
        self.out.push_str("\":");
        self.out
    }

    /// A string member.
    pub(crate) fn string(&mut self, name: &str, value: &str) {
        let out = self.key(name);
        push_string(out, value);
    }

    /// A string member with `omitempty`.
    pub(crate) fn string_omitempty(&mut self, name: &str, value: &str) {
        if !value.is_empty() {
            self.string(name, value);
        }
    }

    /// A list of strings with `omitempty`.
    pub(super) fn strings_omitempty<S: AsRef<str>>(&mut self, name: &str, values: &[S]) {
        if values.is_empty() {
            return;
        }
        let out = self.key(name);
        out.push('[');
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_string(out, v.as_ref());
        }
        out.push(']');
    }

    pub(crate) fn end(self) {
        self.out.push('}');
    }
}

/// Appends `s` as `json.Marshal` writes a string (HTML-safe escaping).
pub(crate) fn push_string(out: &mut String, s: &str) {
    // A string always encodes.
    if let Ok(text) = crate::yaml::to_json(&Value::from(s)) {
        out.push_str(&text);
    }
}

/// Appends a dynamic value as `json.Marshal` writes it.
pub(crate) fn push_value(out: &mut String, v: &Value) -> Result<(), String> {
    let text = crate::yaml::to_json(v).map_err(|e| e.to_string())?;
    out.push_str(&text);
    Ok(())
}

/// Decoding state: where we are and the first type error.
pub(super) struct Decoder {
    struct_name: &'static str,
    path: Vec<&'static str>,
    /// The first type error (Go saves it and decodes on).
    error: Option<String>,
    /// An `UnmarshalJSON` failure, which stops Go's decoding and wins over
    /// saved type errors.
    fatal: Option<String>,
}

impl Decoder {
    pub(super) fn new() -> Self {
        Decoder {
            struct_name: "",
            path: Vec::new(),
            error: None,
            fatal: None,
        }
    }

    /// The first error recorded, if any.
    pub(super) fn into_error(self) -> Option<String> {
        self.fatal.or(self.error)
    }

    /// Records a failure that ends decoding in Go (an `UnmarshalJSON`
    /// error); the first one is kept.
    pub(super) fn fail(&mut self, message: String) {
        if self.fatal.is_none() {
            self.fatal = Some(message);
        }
    }

    /// Records an error unless one is already kept (Go keeps the first).
    pub(super) fn save_error(&mut self, message: String) {
        if self.error.is_none() {
            self.error = Some(message);
        }
    }

    fn type_error(&mut self, what: &str, go_type: &str) {
        let msg = if self.struct_name.is_empty() && self.path.is_empty() {
            format!("json: cannot unmarshal {what} into Go value of type {go_type}")
        } else {
            format!(
                "json: cannot unmarshal {what} into Go struct field {}.{} of type {go_type}",
                self.struct_name,
                self.path.join(".")
            )
        };
        self.save_error(msg);
    }

    /// The members of a JSON object bound for the struct `go_type`
    /// (`release.Info`); `None` for `null` or (with a type error) another
    /// kind.
    pub(super) fn object(&mut self, v: &Value, go_type: &str) -> Option<Map> {
        match v {
            Value::Map(m) => Some(m.clone()),
            Value::Nil => None,
            other => {
                self.type_error(json_kind(other), go_type);
                None
            }
        }
    }

    /// Decodes the field `name` of struct `struct_name` from `members`, if
    /// present, with `f`; `None` when absent or when `f` gives nothing.
    pub(super) fn field<T>(
        &mut self,
        members: &Map,
        struct_name: &'static str,
        name: &'static str,
        f: impl FnOnce(&mut Self, &Value) -> Option<T>,
    ) -> Option<T> {
        let v = lookup(members, name)?;
        let saved = std::mem::replace(&mut self.struct_name, struct_name);
        self.path.push(name);
        let out = f(self, &v);
        self.path.pop();
        self.struct_name = saved;
        out
    }

    /// A string (or a Go string type named `go_type`).
    pub(crate) fn string(&mut self, v: &Value, go_type: &str) -> Option<String> {
        match v {
            Value::String(s) => Some(s.to_string()),
            Value::Nil => None,
            other => {
                self.type_error(json_kind(other), go_type);
                None
            }
        }
    }

    pub(super) fn bool(&mut self, v: &Value) -> Option<bool> {
        match v {
            Value::Bool(b) => Some(*b),
            Value::Nil => None,
            other => {
                self.type_error(json_kind(other), "bool");
                None
            }
        }
    }

    /// Go's `int` (64-bit).
    pub(super) fn int(&mut self, v: &Value) -> Option<i64> {
        let f = match v {
            Value::Float(f) => *f,
            Value::Int(i, _) => return Some(*i),
            Value::Nil => return None,
            other => {
                self.type_error(json_kind(other), "int");
                return None;
            }
        };
        // i64::MAX as f64 rounds up to 2^63, which does not fit.
        if f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64 {
            Some(f as i64)
        } else {
            let text = crate::yaml::to_json(&Value::Float(f)).unwrap_or_default();
            self.type_error(&format!("number {text}"), "int");
            None
        }
    }

    /// A slice whose elements `item` decodes; `None` for `null` (a nil
    /// slice). Elements that fail to decode are Go's zero value, which
    /// `zero` gives.
    pub(super) fn slice<T>(
        &mut self,
        v: &Value,
        go_type: &str,
        mut item: impl FnMut(&mut Self, &Value) -> Option<T>,
        zero: impl Fn() -> T,
    ) -> Option<Vec<T>> {
        match v {
            Value::List(items) => Some(
                items
                    .iter()
                    .map(|x| item(self, x).unwrap_or_else(&zero))
                    .collect(),
            ),
            Value::Nil => None,
            other => {
                self.type_error(json_kind(other), go_type);
                None
            }
        }
    }

    /// `map[string]interface{}`: any object, numbers as `float64`.
    pub(super) fn any_map(&mut self, v: &Value) -> Option<Map> {
        match v {
            Value::Map(m) => Some(m.clone()),
            Value::Nil => None,
            other => {
                self.type_error(json_kind(other), "map[string]interface {}");
                None
            }
        }
    }

    /// `map[string]string`.
    pub(super) fn string_map(
        &mut self,
        v: &Value,
    ) -> Option<std::collections::BTreeMap<String, String>> {
        let m = match v {
            Value::Map(m) => m,
            Value::Nil => return None,
            other => {
                self.type_error(json_kind(other), "map[string]string");
                return None;
            }
        };
        let mut out = std::collections::BTreeMap::new();
        for (k, x) in m.entries() {
            let s = self.string(&x, "string").unwrap_or_default();
            out.insert(k, s);
        }
        Some(out)
    }

    /// `[]byte`: a base64 string (or, as Go also accepts, an array of
    /// numbers).
    pub(super) fn bytes(&mut self, v: &Value) -> Option<Vec<u8>> {
        match v {
            Value::String(s) => match super::base64::base64_decode(s) {
                Ok(b) => Some(b),
                Err(e) => {
                    self.save_error(e);
                    None
                }
            },
            Value::List(items) => Some(
                items
                    .iter()
                    .map(|x| match x {
                        Value::Float(f) if f.fract() == 0.0 && (0.0..=255.0).contains(f) => {
                            *f as u8
                        }
                        other => {
                            let what = match other {
                                Value::Float(f) => format!(
                                    "number {}",
                                    crate::yaml::to_json(&Value::Float(*f)).unwrap_or_default()
                                ),
                                o => json_kind(o).to_string(),
                            };
                            self.type_error(&what, "uint8");
                            0
                        }
                    })
                    .collect(),
            ),
            Value::Nil => None,
            other => {
                self.type_error(json_kind(other), "[]uint8");
                None
            }
        }
    }
}

/// Go's field matching: the exact JSON name, else a key equal to it
/// ignoring case.
fn lookup(members: &Map, name: &str) -> Option<Value> {
    members.get(name).or_else(|| {
        members
            .entries()
            .into_iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Value {
        crate::yaml::from_json(text).unwrap()
    }

    #[test]
    fn writer_keeps_member_order_and_omits_empty() {
        let mut out = String::new();
        let mut o = ObjectWriter::new(&mut out);
        o.string("zeta", "<&>");
        o.string_omitempty("alpha", "");
        o.strings_omitempty("list", &["a", "b"]);
        o.strings_omitempty::<&str>("none", &[]);
        o.string("alpha", "x\ny");
        o.end();
        assert_eq!(
            out,
            r#"{"zeta":"\u003c\u0026\u003e","list":["a","b"],"alpha":"x\ny"}"#
        );
    }

    #[test]
    fn fields_match_exactly_then_ignoring_case() {
        let m = parse(r#"{"NAME":"upper","version":3}"#);
        let m = m.as_map().unwrap();
        let mut d = Decoder::new();
        let name = d.field(m, "Release", "name", |d, v| d.string(v, "string"));
        let version = d.field(m, "Release", "version", |d, v| d.int(v));
        let missing = d.field(m, "Release", "namespace", |d, v| d.string(v, "string"));
        assert_eq!(name.as_deref(), Some("upper"));
        assert_eq!(version, Some(3));
        assert_eq!(missing, None);
        assert!(d.into_error().is_none());
    }

    #[test]
    fn type_errors_name_the_innermost_struct_and_the_path() {
        let top = parse(r#"{"info":{"status":5},"version":1.5}"#);
        let top = top.as_map().unwrap();
        let mut d = Decoder::new();
        let status = d.field(top, "Release", "info", |d, v| {
            let info = d.object(v, "release.Info")?;
            d.field(&info, "Info", "status", |d, v| {
                d.string(v, "release.Status")
            })
        });
        assert_eq!(status, None);
        let version = d.field(top, "Release", "version", |d, v| d.int(v));
        assert_eq!(version, None);
        assert_eq!(
            d.into_error().unwrap(),
            "json: cannot unmarshal number into Go struct field Info.info.status of type release.Status"
        );
        let mut d = Decoder::new();
        d.field(top, "Release", "version", |d, v| d.int(v));
        assert_eq!(
            d.into_error().unwrap(),
            "json: cannot unmarshal number 1.5 into Go struct field Release.version of type int"
        );
    }

    #[test]
    fn bytes_from_base64_or_numbers() {
        let mut d = Decoder::new();
        assert_eq!(d.bytes(&parse(r#""aGk=""#)), Some(b"hi".to_vec()));
        assert_eq!(d.bytes(&parse("[104,105]")), Some(b"hi".to_vec()));
        assert_eq!(d.bytes(&Value::Nil), None);
        assert!(d.into_error().is_none());
        let mut d = Decoder::new();
        assert_eq!(d.bytes(&parse(r#""a!==""#)), None);
        assert_eq!(
            d.into_error().unwrap(),
            "illegal base64 data at input byte 1"
        );
    }
}
