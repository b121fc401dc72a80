//! BurntSushi/toml v1.6.0's `Encoder` (`encode.go`) over template values:
//! in each table the keys holding plain values come first (sorted), then
//! those holding tables or arrays of tables; nested tables are indented by
//! two spaces per level; arrays mixing tables and other values are written
//! inline; nil map values are left out, while a nil inside an array is an
//! error.

use super::reflect::{field_shape, shape, Shape};
use super::TomlError;
use crate::funcs::gotime::Time;
use crate::value::{format_float, FloatFmt, GoField, Value};

const NIL_ELEMENT: &str = "toml: cannot encode array with nil element";
const NO_KEY: &str = "toml: top-level values must be Go maps or structs";
const INDENT: &str = "  ";

/// The TOML type of a Go value (`tomlTypeOfGo`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TomlType {
    Integer,
    Float,
    Datetime,
    String,
    Bool,
    Array,
    Hash,
    ArrayHash,
}

fn is_table(t: Option<TomlType>) -> bool {
    matches!(t, Some(TomlType::Hash | TomlType::ArrayHash))
}

/// `toml.NewEncoder(w).Encode(v)`: the document text, or the error.
pub(crate) fn encode(value: &Value) -> Result<String, TomlError> {
    if value.is_nil() {
        // `reflect.ValueOf(nil)` is the zero Value; the encoder asks for its type.
        return Err(TomlError::Panic(
            "reflect: call of reflect.Value.Type on zero Value".to_string(),
        ));
    }
    let mut enc = Encoder::default();
    enc.encode(&[], &shape(value))?;
    Ok(enc.out)
}

#[derive(Default)]
struct Encoder {
    out: String,
    has_written: bool,
}

/// A key path, as BurntSushi's `Key`.
type Key = [String];

fn go_err(msg: &str) -> TomlError {
    TomlError::Error(msg.to_string())
}

fn is_bare_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// `Key.maybeQuoted` for one part.
fn quote_key_part(part: &str) -> String {
    if part.is_empty() {
        return "\"\"".to_string();
    }
    if part.chars().all(is_bare_char) {
        part.to_string()
    } else {
        format!("\"{}\"", escape(part))
    }
}

/// `Key.String()`: the dotted path with parts quoted where needed.
pub(super) fn key_string(key: &Key) -> String {
    key.iter()
        .map(|k| quote_key_part(k))
        .collect::<Vec<_>>()
        .join(".")
}

/// The encoder's string escaping (`dblQuotedReplacer`).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

fn indent_str(key: &Key) -> String {
    INDENT.repeat(key.len().saturating_sub(1))
}

fn with(key: &Key, part: &str) -> Vec<String> {
    let mut k = key.to_vec();
    k.push(part.to_string());
    k
}

/// Whether the value is a nil interface, pointer, slice or map (`isNil`).
fn is_nil(s: &Shape) -> bool {
    matches!(s, Shape::Nil)
}

/// `tomlTypeOfGo`: `None` for nil values.
fn toml_type(s: &Shape) -> Result<Option<TomlType>, TomlError> {
    Ok(Some(match s {
        Shape::Nil => return Ok(None),
        Shape::Time(_) => TomlType::Datetime,
        Shape::Text(_) => TomlType::String,
        Shape::Struct(_) | Shape::Map(_) => TomlType::Hash,
        Shape::Bool(_) => TomlType::Bool,
        Shape::Int(_) | Shape::Uint(_) | Shape::Duration(_) => TomlType::Integer,
        Shape::Float(..) => TomlType::Float,
        Shape::Str(_) => TomlType::String,
        // A `[]byte`'s elements are `uint8`s: never tables.
        Shape::Bytes(_) => TomlType::Array,
        Shape::Unsupported(kind) => {
            return Err(TomlError::Error(format!("unsupported type: {kind}")))
        }
        Shape::Slice(items) => {
            if is_table_array(items)? {
                TomlType::ArrayHash
            } else {
                TomlType::Array
            }
        }
    }))
}

/// `isTableArray`: every element is a table; a nil element is an error.
fn is_table_array(items: &[Value]) -> Result<bool, TomlError> {
    if items.is_empty() {
        return Ok(false);
    }
    let mut all = true;
    for item in items {
        let t = toml_type(&shape(item))?;
        if t.is_none() {
            return Err(go_err(NIL_ELEMENT));
        }
        if t != Some(TomlType::Hash) {
            all = false;
        }
    }
    Ok(all)
}

/// BurntSushi's `floatAddDecimal`: a float always shows a `.` or exponent.
fn float_text(f: f64, bits: u32) -> String {
    if f.is_nan() {
        return if f.is_sign_negative() { "-nan" } else { "nan" }.to_string();
    }
    if f.is_infinite() {
        return if f < 0.0 { "-inf" } else { "inf" }.to_string();
    }
    let s = format_float(f, FloatFmt::General, None, bits);
    if s.contains(['e', '.']) {
        s
    } else {
        s + ".0"
    }
}

/// How `eElement` writes a `time.Time`: offset date-times in RFC 3339,
/// and the local kinds the decoder produces in their own layouts.
fn time_text(t: &Time) -> String {
    let layout = match t.location().name().as_str() {
        "datetime-local" => "2006-01-02T15:04:05.999999999",
        "date-local" => "2006-01-02",
        "time-local" => "15:04:05.999999999",
        _ => return t.format("2006-01-02T15:04:05.999999999Z07:00"),
    };
    t.utc().format(layout)
}

fn duration_text(ns: i64) -> String {
    crate::funcs::gotime::Duration(ns).to_string()
}

/// The fields of a struct in encoding order, with embedded structs
/// flattened (`eStruct`'s `addFields`): each with the index of its
/// top-level field.
fn struct_fields(fields: &[GoField], start: Option<usize>) -> Result<FieldLists, TomlError> {
    let mut direct = Vec::new();
    let mut sub = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        let top = start.unwrap_or(i);
        let opts = TagOptions::of(f);
        if opts.skip {
            continue;
        }
        let s = field_shape(f);
        if f.embedded && opts.name.is_empty() {
            if let Shape::Struct(inner) = &s {
                let (d, u) = struct_fields(inner, Some(top))?;
                direct.extend(d);
                sub.extend(u);
                continue;
            }
        }
        if is_table(toml_type(&s)?) {
            sub.push((top, f.clone()));
        } else {
            direct.push((top, f.clone()));
        }
    }
    Ok((direct, sub))
}

/// A struct's fields holding plain values and those holding tables, each
/// with the index of its top-level field.
type FieldLists = (Vec<(usize, GoField)>, Vec<(usize, GoField)>);

/// The `toml` struct tag options.
#[derive(Default)]
struct TagOptions {
    skip: bool,
    name: String,
    omitempty: bool,
    omitzero: bool,
}

impl TagOptions {
    fn of(f: &GoField) -> TagOptions {
        let tag = f.tag_value("toml").unwrap_or("");
        if tag == "-" {
            return TagOptions {
                skip: true,
                ..TagOptions::default()
            };
        }
        let mut parts = tag.split(',');
        let mut opts = TagOptions {
            name: parts.next().unwrap_or("").to_string(),
            ..TagOptions::default()
        };
        for p in parts {
            match p {
                "omitempty" => opts.omitempty = true,
                "omitzero" => opts.omitzero = true,
                _ => {}
            }
        }
        opts
    }
}

/// BurntSushi's `isEmpty` (for `omitempty`).
fn is_empty(s: &Shape) -> bool {
    match s {
        Shape::Slice(items) => items.is_empty(),
        Shape::Bytes(b) => b.is_empty(),
        Shape::Map(m) => m.is_empty(),
        Shape::Str(s) => s.is_empty(),
        Shape::Text(_) | Shape::Time(_) => false,
        Shape::Struct(fields) => fields.iter().all(|f| is_empty(&field_shape(f))),
        Shape::Bool(b) => !b,
        Shape::Nil => true,
        _ => false,
    }
}

fn is_zero(s: &Shape) -> bool {
    match s {
        Shape::Int(i) | Shape::Duration(i) => *i == 0,
        Shape::Uint(u) => *u == 0,
        Shape::Float(f, _) => *f == 0.0,
        _ => false,
    }
}

impl Encoder {
    fn write(&mut self, s: &str) {
        self.out.push_str(s);
        self.has_written = true;
    }

    fn newline(&mut self) {
        if self.has_written {
            self.write("\n");
        }
    }

    fn encode(&mut self, key: &Key, s: &Shape) -> Result<(), TomlError> {
        match s {
            // Marshalers first, then the basic kinds: `key = value`.
            Shape::Time(_)
            | Shape::Text(_)
            | Shape::Bool(_)
            | Shape::Int(_)
            | Shape::Uint(_)
            | Shape::Duration(_)
            | Shape::Float(..)
            | Shape::Str(_)
            | Shape::Bytes(_) => self.write_key_value(key, s, false),
            Shape::Slice(_) => {
                if toml_type(s)? == Some(TomlType::ArrayHash) {
                    self.array_of_tables(key, s)
                } else {
                    self.write_key_value(key, s, false)
                }
            }
            Shape::Nil => Ok(()),
            Shape::Map(_) | Shape::Struct(_) => self.table(key, s),
            Shape::Unsupported(kind) => Err(TomlError::Error(format!(
                "unsupported type for key '{}': {kind}",
                key_string(key)
            ))),
        }
    }

    /// `eElement`: a value in `key = value` position or inside an array.
    fn element(&mut self, s: &Shape) -> Result<(), TomlError> {
        match s {
            Shape::Time(t) => self.write(&time_text(t)),
            Shape::Text(text) => self.write_quoted(text),
            Shape::Duration(ns) => self.write_quoted(&duration_text(*ns)),
            Shape::Str(v) => self.write_quoted(v),
            Shape::Bool(b) => self.write(if *b { "true" } else { "false" }),
            Shape::Int(i) => self.write(&i.to_string()),
            Shape::Uint(u) => self.write(&u.to_string()),
            Shape::Float(f, bits) => self.write(&float_text(*f, *bits)),
            Shape::Bytes(b) => {
                let items: Vec<Value> = b
                    .iter()
                    .map(|&x| Value::Uint(u64::from(x), crate::value::UintType::Uint8))
                    .collect();
                self.inline_array(&items)?;
            }
            Shape::Slice(items) => self.inline_array(items)?,
            Shape::Struct(fields) => self.struct_body(&[], fields, true)?,
            Shape::Map(entries) => self.map_body(&[], entries, true)?,
            Shape::Nil => {
                return Err(TomlError::Panic(
                    "reflect: call of reflect.Value.Interface on zero Value".to_string(),
                ))
            }
            Shape::Unsupported(kind) => {
                return Err(TomlError::Error(format!("unexpected type: {kind}")))
            }
        }
        Ok(())
    }

    fn write_quoted(&mut self, s: &str) {
        let q = format!("\"{}\"", escape(s));
        self.write(&q);
    }

    fn inline_array(&mut self, items: &[Value]) -> Result<(), TomlError> {
        self.write("[");
        for (i, item) in items.iter().enumerate() {
            self.element(&shape(item))?;
            if i != items.len() - 1 {
                self.write(", ");
            }
        }
        self.write("]");
        Ok(())
    }

    fn array_of_tables(&mut self, key: &Key, s: &Shape) -> Result<(), TomlError> {
        if key.is_empty() {
            return Err(go_err(NO_KEY));
        }
        let Shape::Slice(items) = s else {
            return Ok(());
        };
        for item in items {
            let t = shape(item);
            if is_nil(&t) {
                continue;
            }
            self.newline();
            let header = format!("{}[[{}]]", indent_str(key), key_string(key));
            self.write(&header);
            self.newline();
            self.map_or_struct(key, &t, false)?;
        }
        Ok(())
    }

    fn table(&mut self, key: &Key, s: &Shape) -> Result<(), TomlError> {
        if key.len() == 1 {
            // An empty line between top-level tables.
            self.newline();
        }
        if !key.is_empty() {
            let header = format!("{}[{}]", indent_str(key), key_string(key));
            self.write(&header);
            self.newline();
        }
        self.map_or_struct(key, s, false)
    }

    fn map_or_struct(&mut self, key: &Key, s: &Shape, inline: bool) -> Result<(), TomlError> {
        match s {
            Shape::Map(entries) => self.map_body(key, entries, inline),
            Shape::Struct(fields) => self.struct_body(key, fields, inline),
            _ => Err(TomlError::Panic(
                "eTable: unhandled reflect.Value Kind".to_string(),
            )),
        }
    }

    /// `eMap`: keys with plain values first, then those with tables, each
    /// group sorted.
    fn map_body(
        &mut self,
        key: &Key,
        entries: &[(String, Value)],
        inline: bool,
    ) -> Result<(), TomlError> {
        let mut direct = Vec::new();
        let mut sub = Vec::new();
        for (k, v) in entries {
            let s = shape(v);
            if is_table(toml_type(&s)?) {
                sub.push((k.as_str(), s));
            } else {
                direct.push((k.as_str(), s));
            }
        }
        if inline {
            self.write("{");
        }
        let trail = !sub.is_empty();
        self.map_keys(key, &direct, trail, inline)?;
        self.map_keys(key, &sub, false, inline)?;
        if inline {
            self.write("}");
        }
        Ok(())
    }

    fn map_keys(
        &mut self,
        key: &Key,
        entries: &[(&str, Shape)],
        trail: bool,
        inline: bool,
    ) -> Result<(), TomlError> {
        // Entries come in key order already (Go sorts them by string).
        for (i, (k, s)) in entries.iter().enumerate() {
            if is_nil(s) {
                continue;
            }
            if inline {
                self.write_key_value(&[k.to_string()], s, true)?;
                if trail || i != entries.len() - 1 {
                    self.write(", ");
                }
            } else {
                self.encode(&with(key, k), s)?;
            }
        }
        Ok(())
    }

    /// `eStruct`: fields with plain values first, then those with tables,
    /// each in declaration order.
    fn struct_body(
        &mut self,
        key: &Key,
        fields: &[GoField],
        inline: bool,
    ) -> Result<(), TomlError> {
        let (direct, sub) = struct_fields(fields, None)?;
        if inline {
            self.write("{");
        }
        let total = direct.len() + sub.len();
        self.struct_fields(key, &direct, total, inline)?;
        self.struct_fields(key, &sub, total, inline)?;
        if inline {
            self.write("}");
        }
        Ok(())
    }

    fn struct_fields(
        &mut self,
        key: &Key,
        fields: &[(usize, GoField)],
        total: usize,
        inline: bool,
    ) -> Result<(), TomlError> {
        for (top, f) in fields {
            let opts = TagOptions::of(f);
            if opts.skip {
                continue;
            }
            let s = field_shape(f);
            if opts.omitempty && is_empty(&s) {
                continue;
            }
            if is_nil(&s) {
                continue;
            }
            let name = if opts.name.is_empty() {
                f.name.to_string()
            } else {
                opts.name.clone()
            };
            if opts.omitzero && is_zero(&s) {
                continue;
            }
            if inline {
                self.write_key_value(&[name], &s, true)?;
                if *top + 1 != total {
                    self.write(", ");
                }
            } else {
                self.encode(&with(key, &name), &s)?;
            }
        }
        Ok(())
    }

    /// `writeKeyValue`: `key = value`, indented by the key's depth; a
    /// top-level value on its own is written bare.
    fn write_key_value(&mut self, key: &Key, s: &Shape, inline: bool) -> Result<(), TomlError> {
        let Some(last) = key.last() else {
            return self.element(s);
        };
        let prefix = format!("{}{} = ", indent_str(key), quote_key_part(last));
        self.write(&prefix);
        self.element(s)?;
        if !inline {
            self.newline();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_always_show_a_fraction_or_exponent() {
        assert_eq!(float_text(1.0, 64), "1.0");
        assert_eq!(float_text(1e6, 64), "1e+06");
        assert_eq!(float_text(123456.0, 64), "123456.0");
        assert_eq!(float_text(1.5e-7, 64), "1.5e-07");
        assert_eq!(float_text(f64::NAN, 64), "nan");
        assert_eq!(float_text(f64::NEG_INFINITY, 64), "-inf");
        assert_eq!(float_text(f64::from(0.1f32), 32), "0.1");
    }

    #[test]
    fn keys_are_quoted_unless_bare() {
        assert_eq!(quote_key_part("a-b_C9"), "a-b_C9");
        assert_eq!(quote_key_part(""), "\"\"");
        assert_eq!(quote_key_part("a.b"), "\"a.b\"");
        assert_eq!(
            key_string(&["a".to_string(), "b c".to_string()]),
            "a.\"b c\""
        );
    }

    #[test]
    fn strings_escape_controls_but_not_unicode() {
        assert_eq!(
            escape("a\"b\\c\u{1}\u{7f}\té"),
            "a\\\"b\\\\c\\u0001\\u007f\\té"
        );
    }
}
