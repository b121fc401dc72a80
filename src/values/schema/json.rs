//! The JSON documents the validator works on: schemas decoded as
//! santhosh-tekuri/jsonschema v6's `UnmarshalJSON` decodes them (numbers
//! kept as `json.Number` literals), and Helm's values seen as the
//! `map[string]interface{}` Go hands to the validator.

use std::rc::Rc;

use super::json_object::JsonObject;
use super::number::Decimal;
use crate::value::{Map, Value};

/// A JSON value. Objects iterate in key order (Go's map order is random;
/// this is the deterministic choice).
#[derive(Clone, Debug)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    Number(Rc<Number>),
    String(Rc<str>),
    Array(Rc<Vec<Json>>),
    Object(JsonObject),
    /// A Go value of a type the validator does not know (`%T` name).
    Invalid(Rc<str>),
}

/// A number: the text `%v` prints (a `json.Number`'s literal) and its
/// exact value (`None` where `Rat.SetString` fails).
#[derive(Debug)]
pub(crate) struct Number {
    pub text: String,
    pub value: Option<Decimal>,
}

impl Json {
    pub(crate) fn as_object(&self) -> Option<&JsonObject> {
        match self {
            Json::Object(o) => Some(o),
            _ => None,
        }
    }

    pub(crate) fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(a) => Some(a),
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    fn number(text: String, value: Option<Decimal>) -> Json {
        Json::Number(Rc::new(Number { text, value }))
    }

    /// The value `encoding/json` would decode from a validated literal.
    fn literal_number(text: &str) -> Json {
        Json::number(text.to_string(), Decimal::parse(text))
    }
}

// ---------------------------------------------------------------------------
// Schema documents.

/// `jsonschema.UnmarshalJSON`: one JSON value read by a `json.Decoder`
/// with `UseNumber`, then nothing but white space. Errors are Go's texts.
pub(crate) fn unmarshal(data: &[u8]) -> Result<Json, String> {
    // (`from_utf8` first: its check is much faster than the lossy
    // decoder's on the usual valid input.)
    let text = match std::str::from_utf8(data) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(data),
    };
    let text = text.as_ref();
    if text.bytes().all(is_space) {
        return Err("EOF".to_string());
    }
    // Go's syntax errors come from the shared decoder's checker (a number
    // out of float64 range is no error here, so nothing is decoded); a
    // first value the quick check accepts needs no such check.
    if !first_value_is_valid(text.as_bytes()) {
        crate::yaml::json_syntax_check(text).map_err(|e| e.to_string())?;
    }
    let mut parser = Parser {
        text,
        s: text.as_bytes(),
        pos: 0,
        depth: 0,
        members: Vec::new(),
    };
    parser.skip_space();
    let value = parser
        .value()
        .ok_or_else(|| "exceeded max depth".to_string())?;
    parser.skip_space();
    if parser.pos < parser.s.len() {
        return Err("invalid character after top-level value".to_string());
    }
    Ok(value)
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// Where the white space starting at `i` ends. Indentation (schemas are
/// usually pretty-printed) is passed eight spaces at a time.
fn space_end(s: &[u8], mut i: usize) -> usize {
    const EIGHT: &[u8; 8] = b"        ";
    while i < s.len() {
        if s[i..].starts_with(EIGHT) {
            i += EIGHT.len();
        } else if is_space(s[i]) {
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// Go's limit on JSON nesting (`maxNestingDepth`).
const GO_MAX_NESTING: usize = 10000;

/// Whether the first JSON value of `s` (after white space) is well formed
/// as Go's decoder sees it, within Go's nesting limit. A `false` only
/// means "not shown valid": the exact answer and error come from the
/// decoder's checker.
fn first_value_is_valid(s: &[u8]) -> bool {
    let mut i = 0;
    let skip_space = |i: &mut usize| *i = space_end(s, *i);
    // Open containers: `{` or `[`.
    let mut stack: Vec<u8> = Vec::new();
    loop {
        // A value is expected.
        skip_space(&mut i);
        match s.get(i) {
            Some(&open @ (b'{' | b'[')) => {
                // Go counts every container, empty ones too.
                if stack.len() + 1 > GO_MAX_NESTING {
                    return false;
                }
                i += 1;
                skip_space(&mut i);
                let close = if open == b'{' { b'}' } else { b']' };
                if s.get(i) == Some(&close) {
                    i += 1;
                } else {
                    stack.push(open);
                    if open == b'{' && !object_key(s, &mut i) {
                        return false;
                    }
                    continue;
                }
            }
            Some(b'"') => {
                if !string_literal(s, &mut i) {
                    return false;
                }
            }
            Some(b't') if s[i..].starts_with(b"true") => i += 4,
            Some(b'f') if s[i..].starts_with(b"false") => i += 5,
            Some(b'n') if s[i..].starts_with(b"null") => i += 4,
            Some(b'-' | b'0'..=b'9') => {
                if !number_literal(s, &mut i) {
                    return false;
                }
            }
            _ => return false,
        }
        // A value ended: close containers or go on to the next element.
        loop {
            let Some(&open) = stack.last() else {
                return true;
            };
            skip_space(&mut i);
            match (open, s.get(i)) {
                (b'{', Some(b',')) => {
                    i += 1;
                    if !object_key(s, &mut i) {
                        return false;
                    }
                    break;
                }
                (b'[', Some(b',')) => {
                    i += 1;
                    break;
                }
                (b'{', Some(b'}')) | (b'[', Some(b']')) => {
                    i += 1;
                    stack.pop();
                }
                _ => return false,
            }
        }
    }
}

/// An object key and its colon, from white space before the key.
fn object_key(s: &[u8], i: &mut usize) -> bool {
    *i = space_end(s, *i);
    if s.get(*i) != Some(&b'"') || !string_literal(s, i) {
        return false;
    }
    *i = space_end(s, *i);
    if s.get(*i) != Some(&b':') {
        return false;
    }
    *i += 1;
    true
}

/// How many bytes `s` starts with that a string literal holds as they
/// are: none is `"`, a backslash or a control byte. Eight bytes are tested
/// at a time (descriptions make most of a schema's text).
fn plain_run(s: &[u8]) -> usize {
    use crate::swar::{bytes_below, bytes_equal_to, first_marked, word_at};
    let mut k = 0;
    while let Some(word) = word_at(s, k) {
        let special =
            bytes_below(word, 0x20) | bytes_equal_to(word, b'"') | bytes_equal_to(word, b'\\');
        if special != 0 {
            return k + first_marked(special);
        }
        k += 8;
    }
    k + s[k..]
        .iter()
        .position(|&c| c < 0x20 || c == b'"' || c == b'\\')
        .unwrap_or(s.len() - k)
}

/// A string literal starting at its opening quote.
fn string_literal(s: &[u8], i: &mut usize) -> bool {
    let mut k = *i + 1;
    loop {
        // Past the plain bytes: a quote, a backslash, a control byte or
        // the end.
        k += plain_run(&s[k..]);
        let Some(&c) = s.get(k) else {
            return false;
        };
        match c {
            b'"' => {
                *i = k + 1;
                return true;
            }
            b'\\' => match s.get(k + 1) {
                Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => k += 2,
                Some(b'u') => {
                    let hex = s.get(k + 2..k + 6);
                    if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                        return false;
                    }
                    k += 6;
                }
                _ => return false,
            },
            _ => return false,
        }
    }
}

/// A number literal (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`).
fn number_literal(s: &[u8], i: &mut usize) -> bool {
    let digits = |k: &mut usize| {
        let start = *k;
        while s.get(*k).is_some_and(u8::is_ascii_digit) {
            *k += 1;
        }
        *k > start
    };
    let mut k = *i;
    if s.get(k) == Some(&b'-') {
        k += 1;
    }
    match s.get(k) {
        Some(b'0') => k += 1,
        Some(b'1'..=b'9') => {
            digits(&mut k);
        }
        _ => return false,
    }
    if s.get(k) == Some(&b'.') {
        k += 1;
        if !digits(&mut k) {
            return false;
        }
    }
    if matches!(s.get(k), Some(b'e' | b'E')) {
        k += 1;
        if matches!(s.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        if !digits(&mut k) {
            return false;
        }
    }
    *i = k;
    true
}

/// How deeply documents and values may nest here (Go allows 10000 levels
/// in JSON and has no limit on values; recursion here must stay within
/// WebAssembly's stack).
const MAX_NESTING: usize = super::validator::MAX_DEPTH;

/// A decoder for text whose first value is known to be well-formed JSON.
struct Parser<'a> {
    /// The document (`s` is its bytes): already valid UTF-8, so that the
    /// text between two ASCII delimiters needs no second check.
    text: &'a str,
    s: &'a [u8],
    pos: usize,
    depth: usize,
    /// The members of the objects being read, innermost last: each
    /// object takes its own off the end when it closes.
    members: Vec<(String, Json)>,
}

impl Parser<'_> {
    fn peek(&self) -> u8 {
        self.s.get(self.pos).copied().unwrap_or(0)
    }

    fn skip_space(&mut self) {
        self.pos = space_end(self.s, self.pos);
    }

    /// The next value; `None` if it nests too deeply.
    fn value(&mut self) -> Option<Json> {
        if matches!(self.peek(), b'{' | b'[') {
            self.depth += 1;
            if self.depth > MAX_NESTING {
                return None;
            }
            let v = self.container();
            self.depth -= 1;
            return v;
        }
        Some(self.scalar())
    }

    fn container(&mut self) -> Option<Json> {
        Some(match self.peek() {
            b'{' => {
                self.pos += 1;
                let start = self.members.len();
                self.skip_space();
                if self.peek() == b'}' {
                    self.pos += 1;
                    return Some(Json::Object(JsonObject::from_members(
                        &mut self.members,
                        start,
                    )));
                }
                loop {
                    self.skip_space();
                    let key = self.string();
                    self.skip_space();
                    self.pos += 1; // ':'
                    self.skip_space();
                    let v = self.value()?;
                    self.members.push((key, v));
                    self.skip_space();
                    let c = self.peek();
                    self.pos += 1;
                    if c != b',' {
                        break;
                    }
                }
                Json::Object(JsonObject::from_members(&mut self.members, start))
            }
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                self.skip_space();
                if self.peek() == b']' {
                    self.pos += 1;
                    return Some(Json::Array(Rc::new(items)));
                }
                loop {
                    self.skip_space();
                    items.push(self.value()?);
                    self.skip_space();
                    let c = self.peek();
                    self.pos += 1;
                    if c != b',' {
                        break;
                    }
                }
                Json::Array(Rc::new(items))
            }
            _ => self.scalar(),
        })
    }

    fn scalar(&mut self) -> Json {
        match self.peek() {
            b'"' => Json::String(self.string().into()),
            b't' => {
                self.pos += 4;
                Json::Bool(true)
            }
            b'f' => {
                self.pos += 5;
                Json::Bool(false)
            }
            b'n' => {
                self.pos += 4;
                Json::Null
            }
            _ => {
                let start = self.pos;
                while self.pos < self.s.len()
                    && matches!(
                        self.s[self.pos],
                        b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'
                    )
                {
                    self.pos += 1;
                }
                Json::literal_number(self.text.get(start..self.pos).unwrap_or_default())
            }
        }
    }

    /// A string literal, unquoted as Go does (bad surrogates become U+FFFD).
    fn string(&mut self) -> String {
        // After the opening quote; the common case has no escapes.
        self.pos += 1;
        let rest = &self.s[self.pos..];
        let end = plain_run(rest);
        if rest.get(end) == Some(&b'"') {
            let start = self.pos;
            self.pos += end + 1;
            return match self.text.get(start..start + end) {
                Some(text) => text.to_string(),
                None => String::from_utf8_lossy(&rest[..end]).into_owned(),
            };
        }
        let mut out: Vec<u8> = Vec::new();
        while self.pos < self.s.len() {
            let c = self.s[self.pos];
            match c {
                b'"' => {
                    self.pos += 1;
                    break;
                }
                b'\\' => {
                    let e = self.s.get(self.pos + 1).copied().unwrap_or(b'\\');
                    self.pos += 2;
                    let simple = match e {
                        b'b' => Some(b'\x08'),
                        b'f' => Some(b'\x0c'),
                        b'n' => Some(b'\n'),
                        b'r' => Some(b'\r'),
                        b't' => Some(b'\t'),
                        b'u' => None,
                        other => Some(other),
                    };
                    if let Some(b) = simple {
                        out.push(b);
                        continue;
                    }
                    let r = self.hex4();
                    let ch = if (0xD800..0xDC00).contains(&r) {
                        // A high surrogate needs a following `\uDC00-DFFF`.
                        let save = self.pos;
                        if self.s.get(self.pos) == Some(&b'\\')
                            && self.s.get(self.pos + 1) == Some(&b'u')
                        {
                            self.pos += 2;
                            let r2 = self.hex4();
                            if (0xDC00..0xE000).contains(&r2) {
                                char::from_u32(0x10000 + ((r - 0xD800) << 10) + (r2 - 0xDC00))
                            } else {
                                self.pos = save;
                                None
                            }
                        } else {
                            None
                        }
                    } else {
                        char::from_u32(r)
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(
                        ch.unwrap_or('\u{FFFD}').encode_utf8(&mut buf).as_bytes(),
                    );
                }
                _ => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
        String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    fn hex4(&mut self) -> u32 {
        let mut r = 0u32;
        for _ in 0..4 {
            let d = self
                .s
                .get(self.pos)
                .and_then(|c| (*c as char).to_digit(16))
                .unwrap_or(0);
            r = r * 16 + d;
            self.pos += 1;
        }
        r
    }
}

// ---------------------------------------------------------------------------
// Values.

/// Helm's values as the validator receives them (`Values.AsMap()`): the
/// top map as a plain map, everything below as Go holds it. Maps of a named
/// type (like `chartutil.Values`) and other Go types are not JSON to the
/// validator (`invalid jsonType`).
///
/// Values nested deeper than validation can reach become null (no schema
/// can look at them without exceeding the validator's depth).
pub(crate) fn from_values(top: &Map) -> Json {
    map_json::<true>(top, 0)
}

/// [`from_values`] sharing no `Rc` with the values (strings are copied),
/// for handing the whole instance to another thread.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn from_values_unshared(top: &Map) -> Json {
    map_json::<false>(top, 0)
}

/// With `SHARE`, strings are the values' own.
fn map_json<const SHARE: bool>(m: &Map, depth: usize) -> Json {
    let entries = m.borrow();
    Json::Object(
        entries
            .iter()
            .map(|(k, v)| (k.clone(), value_json::<SHARE>(v, depth + 1)))
            .collect(),
    )
}

pub(crate) fn from_value(v: &Value) -> Json {
    value_json::<true>(v, 0)
}

fn value_json<const SHARE: bool>(v: &Value, depth: usize) -> Json {
    if depth > MAX_NESTING {
        return Json::Null;
    }
    match v {
        Value::Nil => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i, _) => Json::number(i.to_string(), Some(Decimal::from_i128(i128::from(*i)))),
        Value::Uint(u, _) => Json::number(u.to_string(), Some(Decimal::from_i128(i128::from(*u)))),
        Value::Float(f) => Json::number(f.to_string(), Decimal::from_f64(*f)),
        Value::Float32(f) => Json::number(f.to_string(), Decimal::from_f32(*f)),
        Value::String(s) if SHARE => Json::String(Rc::clone(s)),
        Value::String(s) => Json::String(Rc::from(&**s)),
        Value::List(items) => Json::Array(Rc::new(
            items
                .iter()
                .map(|x| value_json::<SHARE>(x, depth + 1))
                .collect(),
        )),
        Value::Map(m) if m.map_type().is_none() => map_json::<SHARE>(m, depth),
        other => Json::Invalid(other.type_name().into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_runs_end_at_the_first_quote_backslash_or_control_byte() {
        let naive = |s: &[u8]| {
            s.iter()
                .position(|&c| c < 0x20 || c == b'"' || c == b'\\')
                .unwrap_or(s.len())
        };
        let filler = "ab\u{e9}cd\u{1f600}efgh ~/0123456789".as_bytes();
        for stop in [b'"', b'\\', 0, b'\n', 0x1f, 0x20, b'~', 0x7f, 0x80, 0xff] {
            for at in 0..filler.len() {
                let mut s = filler.to_vec();
                s[at] = stop;
                assert_eq!(plain_run(&s), naive(&s), "byte {stop:#x} at {at}");
                assert_eq!(plain_run(&s[at..]), naive(&s[at..]));
            }
        }
        assert_eq!(plain_run(b""), 0);
        assert_eq!(plain_run(filler), filler.len());
    }

    #[test]
    fn quick_check_accepts_only_valid_first_values() {
        for ok in [
            "{}",
            " [1, -0.5e+3, \"a\\u00e9\\n\", true, false, null, {\"k\": []}] ",
            "0",
            "\"x\" trailing",
            "{\"a\": {\"b\": [[]]}}",
        ] {
            assert!(first_value_is_valid(ok.as_bytes()), "{ok}");
            assert!(crate::yaml::json_syntax_check(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "[1,]",
            "{\"a\" 1}",
            "{\"a\":1,}",
            "[01]",
            "-",
            "1.",
            "1e",
            "\"\\x\"",
            "\"\\u12g4\"",
            "\"a\nb\"",
            "[1 2]",
            "{a: 1}",
            "tru",
            "[",
            "{\"a\":",
        ] {
            assert!(!first_value_is_valid(bad.as_bytes()), "{bad}");
        }
        let deep = |n| "[".repeat(n) + &"]".repeat(n);
        assert!(!first_value_is_valid(deep(GO_MAX_NESTING + 1).as_bytes()));
        assert!(crate::yaml::json_syntax_check(&deep(GO_MAX_NESTING + 1)).is_err());
        assert!(first_value_is_valid(deep(GO_MAX_NESTING).as_bytes()));
        assert!(crate::yaml::json_syntax_check(&deep(GO_MAX_NESTING)).is_ok());
    }

    #[test]
    fn white_space_ends_at_the_first_other_byte() {
        let text = format!("\n{}\t\r\n x {}", " ".repeat(19), " ".repeat(9));
        let s = text.as_bytes();
        let x = text.find('x').expect("x");
        assert_eq!(space_end(s, 0), x);
        assert_eq!(space_end(s, x), x);
        assert_eq!(space_end(s, x + 1), s.len());
        assert_eq!(space_end(b"", 0), 0);
    }

    /// Objects as Go's decoder fills a map: a repeated key keeps its last
    /// value, nested objects keep their own members, and members come in
    /// key order.
    #[test]
    fn objects_keep_the_last_of_a_repeated_key() {
        let j =
            unmarshal(br#"{"b": 1, "a": {"a": "x", "b": {}, "a": "y"}, "b": 2, "c": []}"#).unwrap();
        let o = j.as_object().unwrap();
        assert_eq!(o.keys().collect::<Vec<_>>(), ["a", "b", "c"]);
        assert!(matches!(o.get("b"), Some(Json::Number(n)) if n.text == "2"));
        let inner = o.get("a").and_then(Json::as_object).unwrap();
        assert_eq!(inner.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(inner.get("a").and_then(Json::as_str), Some("y"));
        assert!(inner.get("b").and_then(Json::as_object).unwrap().is_empty());
    }

    #[test]
    fn decodes_with_go_errors() {
        assert_eq!(unmarshal(b"").unwrap_err(), "EOF");
        assert_eq!(unmarshal(b" \n").unwrap_err(), "EOF");
        assert_eq!(
            unmarshal(b"{\"type\": \"object\",").unwrap_err(),
            "unexpected EOF"
        );
        assert_eq!(
            unmarshal(b"{\"type\": x}").unwrap_err(),
            "invalid character 'x' looking for beginning of value"
        );
        assert_eq!(
            unmarshal(b"{} {}").unwrap_err(),
            "invalid character after top-level value"
        );
        assert_eq!(
            unmarshal(b"{}}").unwrap_err(),
            "invalid character after top-level value"
        );
        assert!(unmarshal(b"{}\n").is_ok());
    }

    #[test]
    fn keeps_number_literals_and_last_duplicate() {
        let j = unmarshal(br#"{"a": 1.0, "b": 1e400, "a": 2E3, "s": "\ud83d\ude00\u00e9\ud800"}"#)
            .unwrap();
        let o = j.as_object().unwrap();
        let Json::Number(n) = o.get("a").unwrap() else {
            panic!()
        };
        assert_eq!(n.text, "2E3");
        let Json::Number(n) = o.get("b").unwrap() else {
            panic!()
        };
        assert_eq!(n.text, "1e400");
        assert!(n.value.is_some());
        assert_eq!(o.get("s").unwrap().as_str(), Some("😀é\u{FFFD}"));
    }

    #[test]
    fn values_keep_go_types() {
        let m = Map::new();
        m.insert("b", Value::bytes(&b"x"[..]));
        m.insert("n", Value::Float(1.5));
        let j = from_values(&m);
        let o = j.as_object().unwrap();
        assert!(matches!(o.get("b").unwrap(), Json::Invalid(t) if &**t == "[]uint8"));
        assert!(matches!(o.get("n").unwrap(), Json::Number(n) if n.value == Decimal::parse("1.5")));
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn unshared_values_are_equal_and_hold_none_of_the_values_strings() {
        let values = crate::yaml::from_yaml_map("{a: x, b: [p, q, 1.5], c: {d: true}}").unwrap();
        let strings = |j: &Json| {
            fn walk(j: &Json, out: &mut Vec<Rc<str>>) {
                match j {
                    Json::String(s) => out.push(Rc::clone(s)),
                    Json::Array(a) => a.iter().for_each(|x| walk(x, out)),
                    Json::Object(o) => o.values().for_each(|x| walk(x, out)),
                    _ => {}
                }
            }
            let mut out = Vec::new();
            walk(j, &mut out);
            out
        };
        let shared = from_values(&values);
        let unshared = from_values_unshared(&values);
        assert_eq!(format!("{shared:?}"), format!("{unshared:?}"));
        let (shared_strings, unshared_strings) = (strings(&shared), strings(&unshared));
        assert_eq!(shared_strings.len(), 3, "{shared:?}");
        for (s, u) in shared_strings.iter().zip(&unshared_strings) {
            assert_eq!(s, u);
            assert!(!Rc::ptr_eq(s, u), "{u:?} is the values' own string");
            // Held by `unshared` and by this test, by nothing else.
            assert_eq!(Rc::strong_count(u), 2);
        }
        let Some(Value::String(own)) = values.get("a") else {
            panic!("a string");
        };
        assert!(Rc::ptr_eq(&own, &shared_strings[0]));
    }
}
