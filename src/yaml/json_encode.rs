//! JSON encoding as Go's `encoding/json` (Go 1.26) produces it for the
//! dynamic values templates hold: `json.Marshal` (sorted object keys, HTML
//! escaping of `<`, `>`, `&`), `json.MarshalIndent(v, "", "  ")` and an
//! `Encoder` with `SetEscapeHTML(false)` (Sprig's `toRawJson`).

use super::strconv::{format_e, format_f, format_g};
use super::JsonError;
use crate::value::{GoField, Kind, Object, Value};

/// How to lay out the JSON text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct JsonStyle {
    /// Escape `<`, `>` and `&` as `\u003c`, `\u003e`, `\u0026`.
    pub escape_html: bool,
    /// `MarshalIndent`'s per-level indent; `None` for compact output.
    pub indent: Option<&'static str>,
}

impl JsonStyle {
    pub(crate) const MARSHAL: JsonStyle = JsonStyle {
        escape_html: true,
        indent: None,
    };
}

/// Encodes `value` as JSON text in the given style.
pub(crate) fn encode(value: &Value, style: JsonStyle) -> Result<String, JsonError> {
    let mut enc = Encoder {
        out: String::new(),
        style,
        depth: 0,
    };
    enc.value(value)?;
    Ok(enc.out)
}

struct Encoder {
    out: String,
    style: JsonStyle,
    depth: usize,
}

impl Encoder {
    fn value(&mut self, value: &Value) -> Result<(), JsonError> {
        match value {
            Value::Nil => self.out.push_str("null"),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i, _) => self.out.push_str(&i.to_string()),
            Value::Uint(u, _) => self.out.push_str(&u.to_string()),
            Value::Float(f) => self.float(*f, false)?,
            Value::Float32(f) => self.float(*f as f64, true)?,
            Value::String(s) => push_json_string(&mut self.out, s, self.style.escape_html),
            Value::ByteString(b) => {
                push_json_byte_string(&mut self.out, b.bytes(), self.style.escape_html)
            }
            Value::Bytes(b) => {
                self.out.push('"');
                self.out.push_str(&base64_std(b));
                self.out.push('"');
            }
            Value::List(items) => {
                self.out.push('[');
                if !items.is_empty() {
                    self.depth += 1;
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            self.out.push(',');
                        }
                        self.newline();
                        self.value(item)?;
                    }
                    self.depth -= 1;
                    self.newline();
                }
                self.out.push(']');
            }
            Value::Map(map) => {
                let entries = map.entries();
                self.out.push('{');
                if !entries.is_empty() {
                    self.depth += 1;
                    for (i, (key, item)) in entries.iter().enumerate() {
                        if i > 0 {
                            self.out.push(',');
                        }
                        self.newline();
                        push_json_string(&mut self.out, key, self.style.escape_html);
                        self.out.push(':');
                        if self.style.indent.is_some() {
                            self.out.push(' ');
                        }
                        self.value(item)?;
                    }
                    self.depth -= 1;
                    self.newline();
                }
                self.out.push('}');
            }
            Value::Object(obj) => return self.object(obj.as_ref()),
        }
        Ok(())
    }

    /// A host object: its own JSON form, or its struct fields, map entries
    /// or list items, as `encoding/json` would reflect on the Go value.
    fn object(&mut self, obj: &dyn Object) -> Result<(), JsonError> {
        if let Some(own) = obj.to_json_value() {
            let v = own.map_err(JsonError::new)?;
            return self.value(&v);
        }
        if let Some(fields) = obj.go_fields() {
            let fields = json_fields(&fields);
            return self.members(fields.iter().map(|(k, v)| (k.as_str(), v)));
        }
        if let Some(entries) = obj.map_entries() {
            return self.members(entries.iter().map(|(k, v)| (k.as_str(), v)));
        }
        if let Some(items) = obj.list_items() {
            return self.value(&Value::list(items));
        }
        Err(JsonError::new(format!(
            "json: unsupported type: {}",
            obj.type_name()
        )))
    }

    /// An object's members in the given order.
    fn members<'v>(
        &mut self,
        members: impl ExactSizeIterator<Item = (&'v str, &'v Value)>,
    ) -> Result<(), JsonError> {
        self.out.push('{');
        if members.len() > 0 {
            self.depth += 1;
            for (i, (key, item)) in members.enumerate() {
                if i > 0 {
                    self.out.push(',');
                }
                self.newline();
                push_json_string(&mut self.out, key, self.style.escape_html);
                self.out.push(':');
                if self.style.indent.is_some() {
                    self.out.push(' ');
                }
                self.value(item)?;
            }
            self.depth -= 1;
            self.newline();
        }
        self.out.push('}');
        Ok(())
    }

    fn newline(&mut self) {
        if let Some(indent) = self.style.indent {
            self.out.push('\n');
            for _ in 0..self.depth {
                self.out.push_str(indent);
            }
        }
    }

    fn float(&mut self, f: f64, bits32: bool) -> Result<(), JsonError> {
        if !f.is_finite() {
            return Err(JsonError::new(format!(
                "json: unsupported value: {}",
                format_g(f, bits32)
            )));
        }
        self.out.push_str(&format_json_float(f, bits32));
        Ok(())
    }
}

/// One struct field as `encoding/json` sees it: its JSON name, whether
/// the name came from a tag, its embedding depth, and its value.
struct JsonField {
    name: String,
    tagged: bool,
    depth: usize,
    omit_empty: bool,
    value: Value,
    nil: bool,
}

/// Collects the encodable fields of a struct, promoting the fields of
/// embedded structs without a JSON name (`typeFields`).
fn collect_fields(fields: &[GoField], depth: usize, out: &mut Vec<JsonField>) {
    for f in fields {
        let tag = f.tag_value("json").unwrap_or("");
        if tag == "-" {
            continue;
        }
        let mut parts = tag.split(',');
        let tag_name = parts.next().unwrap_or("");
        let omit_empty = parts.any(|p| p == "omitempty");
        if f.embedded && tag_name.is_empty() {
            if let Value::Object(o) = &f.value {
                if let Some(inner) = o.go_fields() {
                    if o.to_json_value().is_none() {
                        collect_fields(&inner, depth + 1, out);
                        continue;
                    }
                }
            }
        }
        out.push(JsonField {
            name: if tag_name.is_empty() {
                f.name.to_string()
            } else {
                tag_name.to_string()
            },
            tagged: !tag_name.is_empty(),
            depth,
            omit_empty,
            value: f.value.clone(),
            nil: f.nil,
        });
    }
}

/// Go's `isEmptyValue` (for `omitempty`).
fn is_empty_value(v: &Value) -> bool {
    match v {
        Value::Nil => true,
        Value::Bool(b) => !b,
        Value::Int(i, _) => *i == 0,
        Value::Uint(u, _) => *u == 0,
        Value::Float(f) => *f == 0.0,
        Value::Float32(f) => *f == 0.0,
        Value::String(s) => s.is_empty(),
        Value::ByteString(_) => false,
        Value::Bytes(b) => b.is_empty(),
        Value::List(l) => l.is_empty(),
        Value::Map(m) => m.is_empty(),
        Value::Object(o) => match o.kind() {
            Kind::Map => o.map_entries().is_none_or(|e| e.is_empty()),
            Kind::Slice => o.list_items().is_none_or(|e| e.is_empty()),
            _ => false,
        },
    }
}

/// The members `encoding/json` writes for a struct: in field order, with
/// Go's dominance rule for promoted fields of the same name (the shallowest
/// wins; at equal depth a tagged field wins; otherwise none is written),
/// `omitempty` applied, and nil slices and maps as `null`.
fn json_fields(fields: &[GoField]) -> Vec<(String, Value)> {
    let mut all = Vec::new();
    collect_fields(fields, 0, &mut all);
    let mut out = Vec::new();
    for (i, f) in all.iter().enumerate() {
        let rivals: Vec<&JsonField> = all.iter().filter(|g| g.name == f.name).collect();
        if rivals.len() > 1 {
            let min_depth = rivals.iter().map(|g| g.depth).min().unwrap_or(0);
            let best: Vec<&&JsonField> = rivals.iter().filter(|g| g.depth == min_depth).collect();
            let tagged: Vec<&&&JsonField> = best.iter().filter(|g| g.tagged).collect();
            let winner = match (best.len(), tagged.len()) {
                (1, _) => Some(*best[0]),
                (_, 1) => Some(**tagged[0]),
                _ => None,
            };
            if !winner.is_some_and(|w| std::ptr::eq(w, &all[i])) {
                continue;
            }
        }
        if f.omit_empty && (f.nil || is_empty_value(&f.value)) {
            continue;
        }
        let value = if f.nil { Value::Nil } else { f.value.clone() };
        out.push((f.name.clone(), value));
    }
    out
}

/// Go's JSON float layout: `%f` style for magnitudes in `[1e-6, 1e21)`,
/// otherwise `%e` with a single-digit negative exponent cleaned up
/// (`1e-07` becomes `1e-7`).
pub(crate) fn format_json_float(f: f64, bits32: bool) -> String {
    let abs = f.abs();
    let exponent_form = abs != 0.0
        && if bits32 {
            let a = abs as f32;
            !(1e-6..1e21).contains(&a)
        } else {
            !(1e-6..1e21).contains(&abs)
        };
    if !exponent_form {
        return format_f(f, bits32);
    }
    let mut s = format_e(f, bits32);
    let n = s.len();
    if n >= 4 && &s[n - 4..n - 1] == "e-0" {
        s.remove(n - 2);
    }
    s
}

/// Appends `s` as a JSON string literal the way `encoding/json` escapes it.
/// Runs of bytes that need no escape are copied whole (the package's
/// results are mostly long manifests with few escapes).
pub(crate) fn push_json_string(out: &mut String, s: &str, escape_html: bool) {
    out.reserve(s.len() + 2);
    out.push('"');
    push_json_text(out, s, escape_html);
    out.push('"');
}

/// A Go string that is not UTF-8 as encoding/json writes it: each byte
/// that is not part of valid UTF-8 as the escape `\ufffd`.
fn push_json_byte_string(out: &mut String, bytes: &[u8], escape_html: bool) {
    out.push('"');
    for chunk in bytes.utf8_chunks() {
        push_json_text(out, chunk.valid(), escape_html);
        for _ in chunk.invalid() {
            out.push_str("\\ufffd");
        }
    }
    out.push('"');
}

/// The inside of a JSON string: `s` with encoding/json's escapes.
fn push_json_text(out: &mut String, s: &str, escape_html: bool) {
    let stops = if escape_html { &STOPS_HTML } else { &STOPS };
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !stops[bytes[i] as usize] {
            i += 1;
            continue;
        }
        // Every stop byte is ASCII or the lead byte of U+2028/U+2029, so
        // `start` and `i` stay on char boundaries.
        let width = match bytes[i] {
            0xe2 if bytes.get(i + 1) == Some(&0x80)
                && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9)) =>
            {
                3
            }
            0xe2 => {
                i += 1;
                continue;
            }
            _ => 1,
        };
        out.push_str(&s[start..i]);
        push_escape(out, &s[i..i + width]);
        i += width;
        start = i;
    }
    out.push_str(&s[start..]);
}

/// Bytes that may start an escape: control characters, `"`, `\`, and the
/// lead byte of U+2028/U+2029; [`STOPS_HTML`] adds `<`, `>` and `&`.
const STOPS: [bool; 256] = stop_bytes(false);
const STOPS_HTML: [bool; 256] = stop_bytes(true);

const fn stop_bytes(escape_html: bool) -> [bool; 256] {
    let mut stops = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        stops[b] = true;
        b += 1;
    }
    stops[b'"' as usize] = true;
    stops[b'\\' as usize] = true;
    stops[0xe2] = true;
    if escape_html {
        stops[b'<' as usize] = true;
        stops[b'>' as usize] = true;
        stops[b'&' as usize] = true;
    }
    stops
}

/// Appends the escape of one character `c` (a one-character string).
fn push_escape(out: &mut String, c: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match c {
        "\\" => out.push_str("\\\\"),
        "\"" => out.push_str("\\\""),
        "\u{8}" => out.push_str("\\b"),
        "\u{c}" => out.push_str("\\f"),
        "\n" => out.push_str("\\n"),
        "\r" => out.push_str("\\r"),
        "\t" => out.push_str("\\t"),
        "\u{2028}" => out.push_str("\\u2028"),
        "\u{2029}" => out.push_str("\\u2029"),
        _ => {
            let b = c.as_bytes()[0];
            out.push_str("\\u00");
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
}

/// Standard base64 with padding, as `encoding/json` writes `[]byte`.
pub(crate) fn base64_std(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        out.push(ALPHABET[(n >> 18) as usize & 63] as char);
        out.push(ALPHABET[(n >> 12) as usize & 63] as char);
        if chunk.len() > 1 {
            out.push(ALPHABET[(n >> 6) as usize & 63] as char);
        } else {
            out.push('=');
        }
        if chunk.len() > 2 {
            out.push(ALPHABET[n as usize & 63] as char);
        } else {
            out.push('=');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json_string(s: &str, escape_html: bool) -> String {
        let mut out = String::new();
        push_json_string(&mut out, s, escape_html);
        out
    }

    #[test]
    fn strings_escape_as_encoding_json_does() {
        assert_eq!(json_string("plain text", true), "\"plain text\"");
        assert_eq!(json_string("", true), "\"\"");
        assert_eq!(
            json_string("a\"b\\c\nd\re\tf\u{8}\u{c}\u{1}\u{1f}", true),
            "\"a\\\"b\\\\c\\nd\\re\\tf\\b\\f\\u0001\\u001f\""
        );
        assert_eq!(json_string("<a&b>", true), "\"\\u003ca\\u0026b\\u003e\"");
        assert_eq!(json_string("<a&b>", false), "\"<a&b>\"");
        assert_eq!(
            json_string("x\u{2028}y\u{2029}", false),
            "\"x\\u2028y\\u2029\""
        );
        // Other characters with the same lead byte pass through.
        assert_eq!(
            json_string("\u{2027}\u{202a}\u{20ac}", true),
            "\"\u{2027}\u{202a}\u{20ac}\""
        );
        assert_eq!(json_string("é\n☃\"", true), "\"é\\n☃\\\"\"");
        assert_eq!(json_string("\u{7f}", true), "\"\u{7f}\"");
    }

    #[test]
    fn floats_use_go_json_layout() {
        assert_eq!(format_json_float(1e-7, false), "1e-7");
        assert_eq!(format_json_float(1e21, false), "1e+21");
        assert_eq!(format_json_float(1e20, false), "100000000000000000000");
        assert_eq!(format_json_float(-0.0, false), "-0");
        assert_eq!(format_json_float(0.000001, false), "0.000001");
        assert_eq!(format_json_float(1.5e-10, false), "1.5e-10");
        assert_eq!(format_json_float(0.1f32 as f64, true), "0.1");
    }

    #[test]
    fn strings_escape_like_go() {
        let mut out = String::new();
        push_json_string(&mut out, "\u{8}\u{c}\u{1}<>&\u{2028}\u{7f}é", true);
        assert_eq!(out, "\"\\b\\f\\u0001\\u003c\\u003e\\u0026\\u2028\u{7f}é\"");
        out.clear();
        push_json_string(&mut out, "<a&b>", false);
        assert_eq!(out, "\"<a&b>\"");
    }

    #[test]
    fn host_objects_use_their_go_json_forms() {
        use crate::funcs::gotime::{duration_value, time_value, Duration, Time};
        let enc = |v: &Value| encode(v, JsonStyle::MARSHAL).map_err(|e| e.to_string());
        let t = time_value(Time::unix(1_577_934_245, 123_000_000));
        assert_eq!(enc(&t).unwrap(), r#""2020-01-02T03:04:05.123Z""#);
        let far = time_value(Time::unix(253_402_300_800, 0));
        assert_eq!(
            enc(&far).unwrap_err(),
            "json: error calling MarshalJSON for type time.Time: Time.MarshalJSON: year outside of range [0,9999]"
        );
        assert_eq!(
            enc(&duration_value(Duration(1_500_000_000))).unwrap(),
            "1500000000"
        );
        let v = crate::funcs::semver::Version::parse("v1.2.3").unwrap();
        let sv = crate::funcs::semver::SemverValue::pointer(v);
        assert_eq!(enc(&sv).unwrap(), r#""1.2.3""#);
    }

    #[test]
    fn struct_fields_follow_tags_and_promotion() {
        #[derive(Debug)]
        struct S(Vec<GoField>);
        impl Object for S {
            fn type_name(&self) -> String {
                "main.S".into()
            }
            fn field(&self, _: &str) -> Option<Value> {
                None
            }
            fn format(&self) -> String {
                String::new()
            }
            fn go_fields(&self) -> Option<Vec<GoField>> {
                Some(self.0.clone())
            }
            fn as_any(&self) -> &dyn std::any::Any {
                self
            }
        }
        let inner = Value::object(S(vec![
            GoField::new("A", r#"json:"a""#, Value::int(1)),
            GoField::new("B", "", Value::int(2)),
        ]));
        let outer = Value::object(S(vec![
            GoField::embedded("Inner", inner),
            GoField::new("B", "", Value::int(3)),
            GoField::new("Skip", r#"json:"-""#, Value::int(4)),
            GoField::new("E", r#"json:"e,omitempty""#, Value::from("")),
            GoField::new("L", r#"json:"l""#, Value::list(Vec::new())).nil_if_empty(),
        ]));
        assert_eq!(
            encode(&outer, JsonStyle::MARSHAL).unwrap(),
            r#"{"a":1,"B":3,"l":null}"#
        );
    }

    #[test]
    fn base64_pads() {
        assert_eq!(base64_std(b"hello"), "aGVsbG8=");
        assert_eq!(base64_std(b"hi"), "aGk=");
        assert_eq!(base64_std(b"abc"), "YWJj");
        assert_eq!(base64_std(b""), "");
    }
}
