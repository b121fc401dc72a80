//! YAML and JSON exactly as Helm v3.21.4 reads and writes them.
//!
//! Helm goes through `sigs.k8s.io/yaml` v1.6.0, which wraps go-yaml v2
//! (`go.yaml.in/yaml/v2` v2.4.4) and Go's `encoding/json`:
//!
//! - reading ([`from_yaml`] and friends): go-yaml v2 parses the first
//!   document with YAML 1.1 typing (`yes`/`on`/`y` are bools, `0755` is
//!   octal, `<<` merges), then the value goes through JSON, so map keys
//!   become strings and every number becomes a `float64`;
//! - writing ([`to_yaml`]): `json.Marshal` first, then the JSON is read
//!   back by go-yaml (so whole floats become ints again) and emitted by
//!   go-yaml's emitter (sorted keys, unindented sequences, go-yaml's quoting,
//!   lines folded after 80 columns);
//! - JSON ([`to_json`], [`from_json`]): Go's `encoding/json`.
//!
//! Everything here is our own implementation of those behaviours: the
//! scanner, parser and emitter follow go-yaml's (libyaml-derived) design so
//! that error texts and line numbers match.
//!
//! Error prefixes. `sigs.k8s.io/yaml.Unmarshal` reports go-yaml and
//! YAML-to-JSON failures as `error converting YAML to JSON: <raw>` and JSON
//! decoding failures as `error unmarshaling JSON: while decoding JSON:
//! <raw>`; `Marshal` reports `error marshaling into JSON: <raw>`. Helm adds
//! its own prefix on top where it reads files: `cannot load Chart.yaml: `,
//! `cannot load values.yaml: `, `failed to parse <file>: ` (for `-f`), and
//! `YAML parse error on <template>: ` (for rendered manifests). The template
//! functions `fromYaml`/`fromYamlArray` put the sigs text into the result,
//! and `toYaml`/`toJson` swallow errors (returning "").
//!
//! How Helm's functions map onto this module:
//!
//! | Helm / Sprig | here |
//! |---|---|
//! | `toYaml` | [`to_yaml`], error → `""`, strip one trailing `\n` (`strings.TrimSuffix`) |
//! | `fromYaml` | [`from_yaml_map`]; on error an empty map with `Error` = the error text |
//! | `fromYamlArray` | [`from_yaml_list`]; on error a one-item list holding the error text |
//! | `toJson`, `mustToJson` | [`to_json`] (error → `""` / the error) |
//! | `toPrettyJson` | [`to_json_pretty`] |
//! | `toRawJson` | [`to_json_raw`] |
//! | `fromJson` (Helm) | [`from_json_map`]; `Ok(None)` is a nil map; on error the map in [`JsonError::partial`] (or empty) with `Error` added |
//! | `fromJsonArray` | [`from_json_list`]; on error a one-item list holding the error text |
//! | values files, `values.yaml` | [`from_yaml_map`] |
//! | `Chart.yaml` | [`from_yaml_into`] with [`CHART_METADATA`] |
//! | `toYamlPretty` | [`to_yaml_pretty`] (go-yaml v3, not through JSON), strip one trailing `\n` |
//! | manifest sorting | [`from_yaml_into`] with [`SIMPLE_HEAD`] |
//!
//! Host objects (`.Chart`, `.Capabilities`, time values) are encoded as
//! Go's encoders reflect on them: see `Object::to_json_value` and
//! `Object::go_fields`.

mod compose;
mod decode;
mod emitter;
mod encode;
mod json_decode;
mod json_encode;
mod json_yv;
mod jsonable;
mod parser;
mod pretty;
mod reader;
mod resolve;
mod scanner;
mod sort;
mod strconv;
mod syntax;
mod target;
mod typed;

use std::fmt;

use crate::value::{Map, Value};
use emitter::Dialect;
use json_decode::Target;
use json_encode::JsonStyle;
use jsonable::Numbers;
pub(crate) use reader::{NotUtf8, Source};
use typed::Yv;

pub use target::{
    GoField, GoStruct, GoType, CHART_DEPENDENCY, CHART_MAINTAINER, CHART_METADATA, SIMPLE_HEAD,
    SIMPLE_HEAD_METADATA,
};

/// The stage of the sigs.k8s.io/yaml pipeline that failed; it decides the
/// prefix of the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YamlErrorKind {
    /// go-yaml could not parse or decode the YAML (`yaml: ...`).
    Syntax,
    /// The YAML value has no JSON form (a null or `uint64` map key, a NaN
    /// or infinite number).
    Convert,
    /// The JSON form does not fit the requested target (`json: cannot
    /// unmarshal array into Go value of type map[string]interface {}`).
    Target,
    /// Writing YAML: the value could not be encoded as JSON first.
    Marshal,
}

/// A YAML failure with Go's exact message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    kind: YamlErrorKind,
    prefix: &'static str,
    raw: String,
    line: Option<usize>,
}

impl YamlError {
    fn new(kind: YamlErrorKind, prefix: &'static str, raw: String, line: Option<usize>) -> Self {
        YamlError {
            kind,
            prefix,
            raw,
            line,
        }
    }

    /// Which stage failed.
    pub fn kind(&self) -> YamlErrorKind {
        self.kind
    }

    /// The message without the sigs.k8s.io/yaml prefix: go-yaml's own text
    /// (`yaml: line 3: mapping values are not allowed in this context`), or
    /// the conversion or JSON text.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The (one-based, as go-yaml prints it) line a syntax error names.
    pub fn line(&self) -> Option<usize> {
        self.line
    }
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.prefix, self.raw)
    }
}

impl std::error::Error for YamlError {}

/// A JSON failure with Go's exact message.
#[derive(Clone, Debug)]
pub struct JsonError {
    message: String,
    /// What Go's target holds after the error.
    partial: Option<Value>,
}

impl JsonError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        JsonError {
            message: message.into(),
            partial: None,
        }
    }

    /// What Go's decoding target holds after the error: the value decoded
    /// so far after a type error (Go keeps decoding past an out-of-range
    /// number, leaving nil there), the untouched target (nil, or an empty
    /// map or slice) after a syntax error. `None` for Go's nil map or slice
    /// and for encoding errors.
    pub fn partial(&self) -> Option<&Value> {
        self.partial.as_ref()
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for JsonError {}

const CONVERTING: &str = "error converting YAML to JSON: ";
const UNMARSHALING: &str = "error unmarshaling JSON: while decoding JSON: ";
const MARSHALING: &str = "error marshaling into JSON: ";

/// go-yaml v2's `yaml.Unmarshal` of the first document into `interface{}`;
/// errors carry go-yaml's text (`yaml: line 2: ...`) and no prefix.
fn go_yaml_unmarshal(text: &str, prefix: &'static str) -> Result<Yv, YamlError> {
    let doc = go_yaml_compose(text.into(), prefix)?;
    decode::decode(&doc).map_err(|e| decode_error(e, prefix))
}

/// go-yaml's parse of the first document into its node tree.
fn go_yaml_compose(source: Source, prefix: &'static str) -> Result<compose::Document, YamlError> {
    compose::compose(source).map_err(|e| {
        YamlError::new(
            YamlErrorKind::Syntax,
            prefix,
            format!("yaml: {}", e.message),
            e.line,
        )
    })
}

fn decode_error(e: decode::DecodeError, prefix: &'static str) -> YamlError {
    YamlError::new(YamlErrorKind::Syntax, prefix, format!("yaml: {e}"), None)
}

/// sigs.k8s.io/yaml's YAML-to-JSON step, giving the JSON value as a
/// template value (numbers as go-yaml typed them, or as `float64`).
fn yaml_to_jsonable(
    text: &str,
    prefix: &'static str,
    numbers: Numbers,
) -> Result<Value, YamlError> {
    let y = go_yaml_unmarshal(text, prefix)?;
    let v = jsonable::to_value(&y, numbers)
        .map_err(|e| YamlError::new(YamlErrorKind::Convert, prefix, e, None))?;
    if let Some(e) = jsonable::json_marshal_error(&v) {
        return Err(YamlError::new(YamlErrorKind::Convert, prefix, e, None));
    }
    Ok(v)
}

/// The JSON kind Go's `UnmarshalTypeError`s name for a decoded value.
pub(crate) fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Map(_) => "object",
        Value::List(_) => "array",
        Value::String(_) | Value::ByteString(_) => "string",
        Value::Bool(_) => "bool",
        _ => "number",
    }
}

/// `sigs.k8s.io/yaml.Unmarshal(text, &v)` with `v interface{}`: the first
/// YAML document as a template value (maps with string keys, lists,
/// strings, bools, nil, and `float64` for every number).
pub fn from_yaml(text: &str) -> Result<Value, YamlError> {
    yaml_to_jsonable(text, CONVERTING, Numbers::Float64)
}

/// `sigs.k8s.io/yaml.Unmarshal(text, &m)` with `m` an empty
/// `map[string]interface{}`, as Helm's `fromYaml`, values files and
/// `ReadValues` call it. An empty or `null` document leaves `m` empty; any
/// other non-mapping document is a [`YamlErrorKind::Target`] error.
pub fn from_yaml_map(text: &str) -> Result<Map, YamlError> {
    match from_yaml(text)? {
        Value::Map(m) => Ok(m),
        Value::Nil => Ok(Map::new()),
        other => Err(target_error(&other, "map[string]interface {}")),
    }
}

/// `sigs.k8s.io/yaml.Unmarshal(text, &a)` with `a` an empty
/// `[]interface{}`, as Helm's `fromYamlArray` calls it.
pub fn from_yaml_list(text: &str) -> Result<Vec<Value>, YamlError> {
    match from_yaml(text)? {
        Value::List(items) => Ok(items.as_ref().clone()),
        Value::Nil => Ok(Vec::new()),
        other => Err(target_error(&other, "[]interface {}")),
    }
}

fn target_error(found: &Value, go_type: &str) -> YamlError {
    YamlError::new(
        YamlErrorKind::Target,
        UNMARSHALING,
        format!(
            "json: cannot unmarshal {} into Go value of type {go_type}",
            json_kind(found)
        ),
        None,
    )
}

/// `sigs.k8s.io/yaml.Unmarshal(text, &t)` with `t` a zero value of a typed
/// Go target such as [`CHART_METADATA`] (`Chart.yaml`) or [`SIMPLE_HEAD`]
/// (rendered manifests): numbers and bools headed for `string` fields
/// become strings the sigs.k8s.io way (`1.10` gives `"1.1"`), keys match
/// fields exactly or ignoring case, unknown keys are dropped, and a value of
/// the wrong kind is a [`YamlErrorKind::Target`] error such as `error
/// unmarshaling JSON: while decoding JSON: json: cannot unmarshal string
/// into Go struct field Metadata.deprecated of type bool`.
///
/// Structs come back as maps keyed by JSON field name holding the fields
/// the document set; `interface{}` parts hold `float64` numbers.
pub fn from_yaml_into(text: &str, target: GoType) -> Result<Value, YamlError> {
    from_source_into(text.into(), target)
}

/// [`from_yaml_into`] for a document whose bytes may not be UTF-8 (Helm
/// reading a rendered manifest that holds a binary file's contents).
pub(crate) fn from_source_into(source: Source, target: GoType) -> Result<Value, YamlError> {
    let doc = go_yaml_compose(source, CONVERTING)?;
    // Parts no field takes are only checked, unless they might not convert.
    let y = match decode::decode_for(&doc, target) {
        Ok(decode::Pruned::Value(y)) => y,
        Ok(decode::Pruned::Unsure) => {
            decode::decode(&doc).map_err(|e| decode_error(e, CONVERTING))?
        }
        Err(e) => return Err(decode_error(e, CONVERTING)),
    };
    let converted = target::convert(&y, Some(target))
        .map_err(|e| YamlError::new(YamlErrorKind::Convert, CONVERTING, e, None))?;
    if let Some(e) = jsonable::json_marshal_error(&converted) {
        return Err(YamlError::new(YamlErrorKind::Convert, CONVERTING, e, None));
    }
    let (value, error) = target::decode(&converted, target);
    match error {
        Some(e) => Err(YamlError::new(YamlErrorKind::Target, UNMARSHALING, e, None)),
        None => Ok(value),
    }
}

/// What go-yaml v2 makes of an untagged plain scalar, as far as readers
/// that skip go-yaml's parser need to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PlainScalar {
    String,
    Null,
    /// An integer only `uint64` holds.
    Unsigned,
    /// An infinity or NaN (`.inf`, `-.Inf`, `.nan`...), which JSON cannot hold.
    NonFinite,
    /// A bool, a signed integer, a finite float, a timestamp or the merge key.
    Other,
}

/// Resolves an untagged plain scalar the way go-yaml v2 does.
pub(crate) fn resolve_plain_scalar(text: &str) -> PlainScalar {
    match resolve::resolve("", text) {
        Ok((_, resolve::Scalar::Str)) => PlainScalar::String,
        Ok((_, resolve::Scalar::Null)) => PlainScalar::Null,
        Ok((_, resolve::Scalar::Uint(_))) => PlainScalar::Unsigned,
        Ok((_, resolve::Scalar::Float(f))) if !f.is_finite() => PlainScalar::NonFinite,
        _ => PlainScalar::Other,
    }
}

/// go-yaml v2's `yaml.Unmarshal(text, &v)` with `v interface{}`: numbers keep
/// go-yaml's types (`int` as [`Value::Int`], `uint64` as [`Value::Uint`],
/// `float64`), NaN and infinities are allowed, and map keys become strings
/// the way sigs.k8s.io/yaml converts them. Errors are go-yaml's unprefixed
/// texts (`yaml: line 2: did not find expected key`).
pub fn from_yaml_typed(text: &str) -> Result<Value, YamlError> {
    let y = go_yaml_unmarshal(text, "")?;
    jsonable::to_value(&y, Numbers::Typed)
        .map_err(|e| YamlError::new(YamlErrorKind::Convert, "", e, None))
}

/// `sigs.k8s.io/yaml.YAMLToJSON`: the first YAML document as compact JSON
/// (integers stay integers); errors are unprefixed. Useful for decoding into
/// Go structs such as `chart.Metadata`.
pub fn yaml_to_json(text: &str) -> Result<String, YamlError> {
    let v = yaml_to_jsonable(text, "", Numbers::Typed)?;
    json_encode::encode(&v, JsonStyle::MARSHAL)
        .map_err(|e| YamlError::new(YamlErrorKind::Convert, "", e.message, None))
}

/// `sigs.k8s.io/yaml.JSONToYAML`: JSON text (read by go-yaml, so any YAML
/// works) written as YAML.
pub fn json_to_yaml(json: &str) -> Result<String, YamlError> {
    let y = go_yaml_unmarshal(json, "")?;
    Ok(emitter::emit_document(&encode::events(&y), Dialect::V2))
}

/// `sigs.k8s.io/yaml.Marshal`, which Helm's `toYaml` uses (Helm then trims
/// the final newline and turns errors into ""): JSON encoding, then
/// [`json_to_yaml`]. Always ends with a newline.
pub fn to_yaml(value: &Value) -> Result<String, YamlError> {
    let json = json_encode::encode(value, JsonStyle::MARSHAL)
        .map_err(|e| YamlError::new(YamlErrorKind::Marshal, MARSHALING, e.message, None))?;
    // The JSON text is our encoder's: most of it reads without the YAML parser.
    if let Some(y) = json_yv::read(&json) {
        return Ok(emitter::emit_document(&encode::events(&y), Dialect::V2));
    }
    json_to_yaml(&json)
}

/// go-yaml v3's `Encoder` with `SetIndent(2)` encoding `value` directly
/// (Helm's `toYamlPretty`, which then trims one trailing newline): the
/// document text, ending with a newline. `Err` is the text of the Go panic
/// go-yaml raises for a value it cannot marshal (a `complex128`), which
/// text/template reports as the function's error.
pub fn to_yaml_pretty(value: &Value) -> Result<String, String> {
    pretty::events(value).map(|events| emitter::emit_document(&events, Dialect::V3))
}

/// `json.Marshal`: sorted keys, `<`, `>`, `&`, U+2028 and U+2029 escaped,
/// `[]byte` as base64, Go's float layout; NaN and infinities are errors.
pub fn to_json(value: &Value) -> Result<String, JsonError> {
    json_encode::encode(value, JsonStyle::MARSHAL)
}

/// `json.MarshalIndent(v, "", "  ")`, as Sprig's `toPrettyJson` uses it.
pub fn to_json_pretty(value: &Value) -> Result<String, JsonError> {
    json_encode::encode(
        value,
        JsonStyle {
            escape_html: true,
            indent: Some("  "),
        },
    )
}

/// A `json.Encoder` with `SetEscapeHTML(false)`, without the trailing
/// newline, as Sprig's `toRawJson` produces.
pub fn to_json_raw(value: &Value) -> Result<String, JsonError> {
    json_encode::encode(
        value,
        JsonStyle {
            escape_html: false,
            indent: None,
        },
    )
}

fn decoded(d: json_decode::Decoded) -> Result<Option<Value>, JsonError> {
    match d.error {
        None => Ok(d.value),
        Some(mut e) => {
            e.partial = d.value;
            Err(e)
        }
    }
}

/// `json.Unmarshal(text, &v)` with `v interface{}`: objects become maps,
/// numbers `float64`. A type error (a number out of `float64` range) leaves
/// nil in its place; the value so far is in [`JsonError::partial`].
pub fn from_json(text: &str) -> Result<Value, JsonError> {
    decoded(json_decode::unmarshal(text, Target::Any)).map(Option::unwrap_or_default)
}

/// The first JSON value of `text` and the bytes it spans, as Go's
/// `json.Decoder` reads one value from a stream (Helm's `--set-json` reads
/// each value this way).
pub fn from_json_prefix(text: &str) -> Result<(Value, usize), JsonError> {
    let end = json_decode::value_end(text.as_bytes())?;
    let value = from_json(&text[..end])?;
    Ok((value, end))
}

/// The syntax error Go's `json.Decoder` reports reading the first JSON value
/// of `text` (the errors of [`from_json_prefix`] other than a number out of
/// `float64` range), without decoding anything.
pub fn json_syntax_check(text: &str) -> Result<usize, JsonError> {
    json_decode::value_end(text.as_bytes())
}

/// `json.Unmarshal(text, &m)` with `m` an empty `map[string]interface{}`, as
/// Helm's `fromJson` calls it. `Ok(None)` is Go's nil map (the text was
/// `null`). On error, [`JsonError::partial`] holds the map as Go left it
/// (empty after a syntax error or a non-object text).
pub fn from_json_map(text: &str) -> Result<Option<Map>, JsonError> {
    decoded(json_decode::unmarshal(text, Target::Map)).map(|v| match v {
        Some(Value::Map(m)) => Some(m),
        _ => None,
    })
}

/// `json.Unmarshal(text, &a)` with `a` an empty `[]interface{}`, as Helm's
/// `fromJsonArray` calls it. `Ok(None)` is Go's nil slice (`null`).
pub fn from_json_list(text: &str) -> Result<Option<Vec<Value>>, JsonError> {
    decoded(json_decode::unmarshal(text, Target::List)).map(|v| match v {
        Some(Value::List(items)) => Some(items.as_ref().clone()),
        _ => None,
    })
}

#[cfg(test)]
mod tests;
