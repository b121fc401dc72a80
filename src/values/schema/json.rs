//! The JSON documents the validator works on: schemas decoded as
//! santhosh-tekuri/jsonschema v6's `UnmarshalJSON` decodes them (numbers
//! kept as `json.Number` literals), and Helm's values seen as the
//! `map[string]interface{}` Go hands to the validator.

use std::collections::BTreeMap;
use std::rc::Rc;

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
    Object(Rc<BTreeMap<String, Json>>),
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
    pub(crate) fn as_object(&self) -> Option<&BTreeMap<String, Json>> {
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
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    if text.bytes().all(is_space) {
        return Err("EOF".to_string());
    }
    // Go's syntax errors (and where the decoder stops) come from the
    // shared decoder; a number out of float64 range is not an error here.
    if let Err(e) = crate::yaml::from_json_prefix(text) {
        let message = e.to_string();
        if !message.starts_with("json: cannot unmarshal number") {
            return Err(message);
        }
    }
    let mut parser = Parser {
        s: text.as_bytes(),
        pos: 0,
        depth: 0,
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

/// How deeply documents and values may nest here (Go allows 10000 levels
/// in JSON and has no limit on values; recursion here must stay within
/// WebAssembly's stack).
const MAX_NESTING: usize = super::validator::MAX_DEPTH;

/// A decoder for text whose first value is known to be well-formed JSON.
struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> u8 {
        self.s.get(self.pos).copied().unwrap_or(0)
    }

    fn skip_space(&mut self) {
        while self.pos < self.s.len() && is_space(self.s[self.pos]) {
            self.pos += 1;
        }
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
                let mut map = BTreeMap::new();
                self.skip_space();
                if self.peek() == b'}' {
                    self.pos += 1;
                    return Some(Json::Object(Rc::new(map)));
                }
                loop {
                    self.skip_space();
                    let key = self.string();
                    self.skip_space();
                    self.pos += 1; // ':'
                    self.skip_space();
                    let v = self.value()?;
                    map.insert(key, v);
                    self.skip_space();
                    let c = self.peek();
                    self.pos += 1;
                    if c != b',' {
                        break;
                    }
                }
                Json::Object(Rc::new(map))
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
                let text = String::from_utf8_lossy(self.s.get(start..self.pos).unwrap_or_default());
                Json::literal_number(&text)
            }
        }
    }

    /// A string literal, unquoted as Go does (bad surrogates become U+FFFD).
    fn string(&mut self) -> String {
        self.pos += 1; // opening quote
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
    map_json(top, 0)
}

fn map_json(m: &Map, depth: usize) -> Json {
    let entries = m.borrow();
    Json::Object(Rc::new(
        entries
            .iter()
            .map(|(k, v)| (k.clone(), value_json(v, depth + 1)))
            .collect(),
    ))
}

pub(crate) fn from_value(v: &Value) -> Json {
    value_json(v, 0)
}

fn value_json(v: &Value, depth: usize) -> Json {
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
        Value::String(s) => Json::String(Rc::clone(s)),
        Value::List(items) => Json::Array(Rc::new(
            items.iter().map(|x| value_json(x, depth + 1)).collect(),
        )),
        Value::Map(m) if m.map_type().is_none() => map_json(m, depth),
        other => Json::Invalid(other.type_name().into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let Json::Number(n) = &o["a"] else { panic!() };
        assert_eq!(n.text, "2E3");
        let Json::Number(n) = &o["b"] else { panic!() };
        assert_eq!(n.text, "1e400");
        assert!(n.value.is_some());
        assert_eq!(o["s"].as_str(), Some("😀é\u{FFFD}"));
    }

    #[test]
    fn values_keep_go_types() {
        let m = Map::new();
        m.insert("b", Value::bytes(&b"x"[..]));
        m.insert("n", Value::Float(1.5));
        let j = from_values(&m);
        let o = j.as_object().unwrap();
        assert!(matches!(&o["b"], Json::Invalid(t) if &**t == "[]uint8"));
        assert!(matches!(&o["n"], Json::Number(n) if n.value == Decimal::parse("1.5")));
    }
}
