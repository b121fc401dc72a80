//! JSON decoding as Go's `json.Unmarshal` (Go 1.26) does it into
//! `interface{}`, `map[string]interface{}` and `[]interface{}` targets.
//!
//! Go first validates the whole text with a byte-at-a-time state machine
//! (whose state names give the syntax error texts, e.g. `invalid character
//! 'x' looking for beginning of value`), then decodes: numbers become
//! `float64`, a number out of range becomes nil and a saved
//! `cannot unmarshal number ... into Go value of type float64` error,
//! duplicate keys keep the last value, and bad `\u` surrogates become U+FFFD.

use super::strconv::{parse_float, push_quoted_rune};
use super::JsonError;
use crate::value::{Map, Value};

/// What Go is decoding into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// `*interface{}`.
    Any,
    /// `*map[string]interface{}` holding an empty map.
    Map,
    /// `*[]interface{}` holding an empty slice.
    List,
}

impl Target {
    fn go_type(self) -> &'static str {
        match self {
            Target::Any => "interface {}",
            Target::Map => "map[string]interface {}",
            Target::List => "[]interface {}",
        }
    }
}

/// The outcome of decoding: the value Go's target holds afterwards (`None`
/// for a nil map or slice) and the first error, if any. A syntax error
/// leaves the target untouched.
pub(crate) struct Decoded {
    pub value: Option<Value>,
    pub error: Option<JsonError>,
}

/// `json.Unmarshal(text, target)`.
pub(crate) fn unmarshal(text: &str, target: Target) -> Decoded {
    if let Err(err) = check_valid(text.as_bytes()) {
        return Decoded {
            value: initial(target),
            error: Some(err),
        };
    }
    let mut d = Decoder {
        s: text.as_bytes(),
        pos: 0,
        saved: None,
    };
    d.skip_space();
    let value = match target {
        Target::Any => Some(d.any()),
        Target::Map | Target::List => d.top_level(target),
    };
    Decoded {
        value,
        error: d.saved,
    }
}

fn initial(target: Target) -> Option<Value> {
    match target {
        Target::Any => Some(Value::Nil),
        Target::Map => Some(Value::Map(Map::new())),
        Target::List => Some(Value::list(Vec::new())),
    }
}

// ---------------------------------------------------------------------------
// Validation: Go's scanner state machine.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Parse {
    ObjectKey,
    ObjectValue,
    ArrayValue,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    BeginValue,
    BeginValueOrEmpty,
    BeginStringOrEmpty,
    BeginString,
    EndValue,
    EndTop,
    InString,
    InStringEsc,
    InStringEscU(u8),
    Neg,
    Int1,
    Zero,
    Dot,
    Dot0,
    E,
    ESign,
    E0,
    Literal(&'static [u8], usize),
    Error,
}

const MAX_NESTING_DEPTH: usize = 10000;

struct Checker {
    state: State,
    stack: Vec<Parse>,
    end_top: bool,
    err: Option<String>,
}

/// Go's `checkValid`: the first syntax error in `data`, if any.
pub(crate) fn check_valid(data: &[u8]) -> Result<(), JsonError> {
    let mut c = Checker {
        state: State::BeginValue,
        stack: Vec::new(),
        end_top: false,
        err: None,
    };
    for &b in data {
        c.step(b);
        if let Some(msg) = c.err.take() {
            return Err(JsonError::new(msg));
        }
    }
    if c.end_top {
        return Ok(());
    }
    c.step(b' ');
    if c.end_top {
        return Ok(());
    }
    Err(JsonError::new(c.err.unwrap_or_else(|| {
        "unexpected end of JSON input".to_string()
    })))
}

/// Where the first JSON value in `data` ends, as Go's `json.Decoder` finds
/// it (`Decode` then `InputOffset`): leading white space and the value,
/// without what follows it. Errors are the decoder's (`unexpected EOF` when
/// the value is cut short).
pub(crate) fn value_end(data: &[u8]) -> Result<usize, JsonError> {
    let mut c = Checker {
        state: State::BeginValue,
        stack: Vec::new(),
        end_top: false,
        err: None,
    };
    for (i, &b) in data.iter().enumerate() {
        let closing = matches!(b, b'}' | b']') && c.stack.len() == 1;
        c.step(b);
        if c.end_top {
            // A closing bracket ends the value at once; anything else ends
            // it one byte late (the byte is not part of the value).
            return Ok(if closing { i + 1 } else { i });
        }
        if let Some(msg) = c.err.take() {
            return Err(JsonError::new(msg));
        }
    }
    c.step(b' ');
    if c.end_top {
        return Ok(data.len());
    }
    Err(JsonError::new("unexpected EOF"))
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// Go's `quoteChar`: the byte as a rune in single quotes.
fn quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".to_string(),
        b'"' => "'\"'".to_string(),
        _ => {
            let mut s = String::from("'");
            push_quoted_rune(&mut s, c as char, '"');
            s.push('\'');
            s
        }
    }
}

impl Checker {
    fn error(&mut self, c: u8, context: &str) {
        self.state = State::Error;
        self.err = Some(format!("invalid character {} {}", quote_char(c), context));
    }

    fn push(&mut self, c: u8, p: Parse) {
        self.stack.push(p);
        if self.stack.len() > MAX_NESTING_DEPTH {
            self.error(c, "exceeded max depth");
        }
    }

    fn pop(&mut self) {
        self.stack.pop();
        if self.stack.is_empty() {
            self.state = State::EndTop;
            self.end_top = true;
        } else {
            self.state = State::EndValue;
        }
    }

    fn step(&mut self, c: u8) {
        match self.state {
            State::Error => {}
            State::BeginValueOrEmpty => {
                if is_space(c) {
                } else if c == b']' {
                    self.end_value(c);
                } else {
                    self.begin_value(c);
                }
            }
            State::BeginValue => self.begin_value(c),
            State::BeginStringOrEmpty => {
                if is_space(c) {
                } else if c == b'}' {
                    if let Some(top) = self.stack.last_mut() {
                        *top = Parse::ObjectValue;
                    }
                    self.end_value(c);
                } else {
                    self.begin_string(c);
                }
            }
            State::BeginString => self.begin_string(c),
            State::EndValue => self.end_value(c),
            State::EndTop => {
                if !is_space(c) {
                    self.error(c, "after top-level value");
                }
            }
            State::InString => {
                if c == b'"' {
                    self.state = State::EndValue;
                } else if c == b'\\' {
                    self.state = State::InStringEsc;
                } else if c < 0x20 {
                    self.error(c, "in string literal");
                }
            }
            State::InStringEsc => match c {
                b'b' | b'f' | b'n' | b'r' | b't' | b'\\' | b'/' | b'"' => {
                    self.state = State::InString
                }
                b'u' => self.state = State::InStringEscU(0),
                _ => self.error(c, "in string escape code"),
            },
            State::InStringEscU(n) => {
                if c.is_ascii_hexdigit() {
                    self.state = if n == 3 {
                        State::InString
                    } else {
                        State::InStringEscU(n + 1)
                    };
                } else {
                    self.error(c, "in \\u hexadecimal character escape");
                }
            }
            State::Neg => {
                if c == b'0' {
                    self.state = State::Zero;
                } else if (b'1'..=b'9').contains(&c) {
                    self.state = State::Int1;
                } else {
                    self.error(c, "in numeric literal");
                }
            }
            State::Int1 => {
                if !c.is_ascii_digit() {
                    self.zero(c);
                }
            }
            State::Zero => self.zero(c),
            State::Dot => {
                if c.is_ascii_digit() {
                    self.state = State::Dot0;
                } else {
                    self.error(c, "after decimal point in numeric literal");
                }
            }
            State::Dot0 => {
                if c.is_ascii_digit() {
                } else if c == b'e' || c == b'E' {
                    self.state = State::E;
                } else {
                    self.end_value(c);
                }
            }
            State::E => {
                if c == b'+' || c == b'-' {
                    self.state = State::ESign;
                } else {
                    self.e_sign(c);
                }
            }
            State::ESign => self.e_sign(c),
            State::E0 => {
                if !c.is_ascii_digit() {
                    self.end_value(c);
                }
            }
            State::Literal(word, i) => {
                if c == word[i] {
                    self.state = if i + 1 == word.len() {
                        State::EndValue
                    } else {
                        State::Literal(word, i + 1)
                    };
                } else {
                    let name = match word[0] {
                        b't' => "true",
                        b'f' => "false",
                        _ => "null",
                    };
                    let ctx = format!("in literal {} (expecting '{}')", name, word[i] as char);
                    self.error(c, &ctx);
                }
            }
        }
    }

    fn begin_value(&mut self, c: u8) {
        if is_space(c) {
            return;
        }
        match c {
            b'{' => {
                self.state = State::BeginStringOrEmpty;
                self.push(c, Parse::ObjectKey);
            }
            b'[' => {
                self.state = State::BeginValueOrEmpty;
                self.push(c, Parse::ArrayValue);
            }
            b'"' => self.state = State::InString,
            b'-' => self.state = State::Neg,
            b'0' => self.state = State::Zero,
            b't' => self.state = State::Literal(b"true", 1),
            b'f' => self.state = State::Literal(b"false", 1),
            b'n' => self.state = State::Literal(b"null", 1),
            b'1'..=b'9' => self.state = State::Int1,
            _ => self.error(c, "looking for beginning of value"),
        }
    }

    fn begin_string(&mut self, c: u8) {
        if is_space(c) {
            return;
        }
        if c == b'"' {
            self.state = State::InString;
        } else {
            self.error(c, "looking for beginning of object key string");
        }
    }

    fn zero(&mut self, c: u8) {
        if c == b'.' {
            self.state = State::Dot;
        } else if c == b'e' || c == b'E' {
            self.state = State::E;
        } else {
            self.end_value(c);
        }
    }

    fn e_sign(&mut self, c: u8) {
        if c.is_ascii_digit() {
            self.state = State::E0;
        } else {
            self.error(c, "in exponent of numeric literal");
        }
    }

    fn end_value(&mut self, c: u8) {
        let Some(&top) = self.stack.last() else {
            self.state = State::EndTop;
            self.end_top = true;
            if !is_space(c) {
                self.error(c, "after top-level value");
            }
            return;
        };
        if is_space(c) {
            self.state = State::EndValue;
            return;
        }
        match top {
            Parse::ObjectKey => {
                if c == b':' {
                    *self.stack.last_mut().expect("non-empty") = Parse::ObjectValue;
                    self.state = State::BeginValue;
                } else {
                    self.error(c, "after object key");
                }
            }
            Parse::ObjectValue => {
                if c == b',' {
                    *self.stack.last_mut().expect("non-empty") = Parse::ObjectKey;
                    self.state = State::BeginString;
                } else if c == b'}' {
                    self.pop();
                } else {
                    self.error(c, "after object key:value pair");
                }
            }
            Parse::ArrayValue => {
                if c == b',' {
                    self.state = State::BeginValue;
                } else if c == b']' {
                    self.pop();
                } else {
                    self.error(c, "after array element");
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Decoding of text already known to be valid.

struct Decoder<'a> {
    s: &'a [u8],
    pos: usize,
    saved: Option<JsonError>,
}

impl Decoder<'_> {
    fn peek(&self) -> u8 {
        self.s.get(self.pos).copied().unwrap_or(0)
    }

    fn skip_space(&mut self) {
        while self.pos < self.s.len() && is_space(self.s[self.pos]) {
            self.pos += 1;
        }
    }

    fn save(&mut self, msg: String) {
        if self.saved.is_none() {
            self.saved = Some(JsonError::new(msg));
        }
    }

    /// A map or slice target: the value Go leaves in it.
    fn top_level(&mut self, target: Target) -> Option<Value> {
        let found = match self.peek() {
            b'{' => "object",
            b'[' => "array",
            b'"' => "string",
            b't' | b'f' => "bool",
            b'n' => return None,
            _ => "number",
        };
        let matches = matches!(
            (target, found),
            (Target::Map, "object") | (Target::List, "array")
        );
        if !matches {
            self.save(format!(
                "json: cannot unmarshal {} into Go value of type {}",
                found,
                target.go_type()
            ));
            return initial(target);
        }
        Some(self.any())
    }

    fn any(&mut self) -> Value {
        let v = match self.peek() {
            b'{' => self.object(),
            b'[' => self.array(),
            b'"' => Value::string(self.string()),
            b't' => {
                self.pos += 4;
                Value::Bool(true)
            }
            b'f' => {
                self.pos += 5;
                Value::Bool(false)
            }
            b'n' => {
                self.pos += 4;
                Value::Nil
            }
            _ => self.number(),
        };
        self.skip_space();
        v
    }

    fn object(&mut self) -> Value {
        let map = Map::new();
        self.pos += 1;
        self.skip_space();
        if self.peek() == b'}' {
            self.pos += 1;
            return Value::Map(map);
        }
        loop {
            self.skip_space();
            let key = self.string();
            self.skip_space();
            self.pos += 1; // ':'
            self.skip_space();
            let value = self.any();
            map.insert(key, value);
            match self.peek() {
                b',' => self.pos += 1,
                _ => {
                    self.pos += 1; // '}'
                    return Value::Map(map);
                }
            }
        }
    }

    fn array(&mut self) -> Value {
        let mut items = Vec::new();
        self.pos += 1;
        self.skip_space();
        if self.peek() == b']' {
            self.pos += 1;
            return Value::list(items);
        }
        loop {
            self.skip_space();
            items.push(self.any());
            match self.peek() {
                b',' => self.pos += 1,
                _ => {
                    self.pos += 1; // ']'
                    return Value::list(items);
                }
            }
        }
    }

    fn number(&mut self) -> Value {
        let start = self.pos;
        while self.pos < self.s.len()
            && matches!(
                self.s[self.pos],
                b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'
            )
        {
            self.pos += 1;
        }
        let lit = std::str::from_utf8(&self.s[start..self.pos]).unwrap_or("");
        match parse_float(lit) {
            Some(f) => Value::Float(f),
            None => {
                self.save(format!(
                    "json: cannot unmarshal number {lit} into Go value of type float64"
                ));
                Value::Nil
            }
        }
    }

    /// Reads a string literal (the cursor is on its opening quote).
    fn string(&mut self) -> String {
        self.pos += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let c = self.peek();
            match c {
                b'"' => {
                    self.pos += 1;
                    break;
                }
                b'\\' => {
                    let e = self.s.get(self.pos + 1).copied().unwrap_or(0);
                    self.pos += 2;
                    match e {
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => self.unicode_escape(&mut out),
                        other => out.push(other),
                    }
                }
                0 if self.pos >= self.s.len() => break,
                _ => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
        String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into())
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let digits = self.s.get(at..at + 4)?;
        let text = std::str::from_utf8(digits).ok()?;
        u32::from_str_radix(text, 16).ok()
    }

    /// Handles `\uXXXX` (the cursor is just past the `u`), combining a valid
    /// surrogate pair and replacing a lone surrogate with U+FFFD.
    fn unicode_escape(&mut self, out: &mut Vec<u8>) {
        let first = self.hex4(self.pos).unwrap_or(0xfffd);
        self.pos += 4;
        let mut code = first;
        if (0xd800..0xe000).contains(&first) {
            code = 0xfffd;
            let follows =
                self.s.get(self.pos) == Some(&b'\\') && self.s.get(self.pos + 1) == Some(&b'u');
            if follows {
                if let Some(second) = self.hex4(self.pos + 2) {
                    if (0xd800..0xdc00).contains(&first) && (0xdc00..0xe000).contains(&second) {
                        code = 0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00);
                        self.pos += 6;
                    }
                }
            }
        }
        let ch = char::from_u32(code).unwrap_or('\u{fffd}');
        let mut buf = [0u8; 4];
        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syntax(text: &str) -> String {
        check_valid(text.as_bytes()).unwrap_err().to_string()
    }

    #[test]
    fn syntax_errors_read_like_go() {
        assert_eq!(syntax(""), "unexpected end of JSON input");
        assert_eq!(
            syntax("x"),
            "invalid character 'x' looking for beginning of value"
        );
        assert_eq!(
            syntax("{\"a\" 1}"),
            "invalid character '1' after object key"
        );
        assert_eq!(
            syntax("{\"a\":1 2}"),
            "invalid character '2' after object key:value pair"
        );
        assert_eq!(syntax("[1 2]"), "invalid character '2' after array element");
        assert_eq!(
            syntax("{1:2}"),
            "invalid character '1' looking for beginning of object key string"
        );
        assert_eq!(
            syntax("{\"a\":1} x"),
            "invalid character 'x' after top-level value"
        );
        assert_eq!(
            syntax("tru"),
            "invalid character ' ' in literal true (expecting 'e')"
        );
        assert_eq!(syntax("[1,"), "unexpected end of JSON input");
        assert_eq!(
            syntax("trux"),
            "invalid character 'x' in literal true (expecting 'e')"
        );
        assert_eq!(
            syntax("nul"),
            "invalid character ' ' in literal null (expecting 'l')"
        );
        assert_eq!(syntax("-"), "invalid character ' ' in numeric literal");
        assert_eq!(syntax("-a"), "invalid character 'a' in numeric literal");
        assert_eq!(
            syntax("1.x"),
            "invalid character 'x' after decimal point in numeric literal"
        );
        assert_eq!(
            syntax("1ex"),
            "invalid character 'x' in exponent of numeric literal"
        );
        assert_eq!(
            syntax("\"\\x\""),
            "invalid character 'x' in string escape code"
        );
        assert_eq!(
            syntax("\"\\u12g4\""),
            "invalid character 'g' in \\u hexadecimal character escape"
        );
        assert_eq!(
            syntax("\"a\nb\""),
            "invalid character '\\n' in string literal"
        );
        assert_eq!(
            syntax("'a'"),
            "invalid character '\\'' looking for beginning of value"
        );
        assert_eq!(
            syntax("é"),
            "invalid character 'Ã' looking for beginning of value"
        );
        assert!(check_valid(b" {\"a\": [1, -2.5e+3, true, false, null, \"x\"]} ").is_ok());
    }

    #[test]
    fn decodes_numbers_as_float64() {
        let d = unmarshal("{\"a\": 1, \"b\": [2.5, -0]}", Target::Any);
        let v = d.value.unwrap();
        let m = v.as_map().unwrap();
        assert!(matches!(m.get("a"), Some(Value::Float(f)) if f == 1.0));
        let b = m.get("b").unwrap();
        let b = b.as_list().unwrap();
        assert!(matches!(b[1], Value::Float(f) if f == 0.0 && f.is_sign_negative()));
        assert!(d.error.is_none());
    }

    #[test]
    fn overflowing_number_is_nil_with_saved_error() {
        let d = unmarshal("{\"a\": 1e400, \"b\": 2}", Target::Map);
        assert_eq!(
            d.error.unwrap().to_string(),
            "json: cannot unmarshal number 1e400 into Go value of type float64"
        );
        let v = d.value.unwrap();
        let m = v.as_map().unwrap();
        assert!(m.get("a").unwrap().is_nil());
        assert!(matches!(m.get("b"), Some(Value::Float(f)) if f == 2.0));
    }

    #[test]
    fn target_mismatch_leaves_target_alone() {
        let d = unmarshal("[1]", Target::Map);
        assert_eq!(
            d.error.unwrap().to_string(),
            "json: cannot unmarshal array into Go value of type map[string]interface {}"
        );
        assert!(d.value.unwrap().as_map().unwrap().is_empty());
        let d = unmarshal("{}", Target::List);
        assert_eq!(
            d.error.unwrap().to_string(),
            "json: cannot unmarshal object into Go value of type []interface {}"
        );
        let d = unmarshal("null", Target::Map);
        assert!(d.value.is_none() && d.error.is_none());
    }

    #[test]
    fn strings_unescape_with_surrogates() {
        let d = unmarshal(r#""\ud83d\ude00 \ud800x \u00e9\/""#, Target::Any);
        assert_eq!(d.value.unwrap().as_str().unwrap(), "\u{1f600} \u{fffd}x é/");
    }

    #[test]
    fn duplicate_keys_keep_last() {
        let d = unmarshal(r#"{"a":1,"a":2}"#, Target::Any);
        let v = d.value.unwrap();
        assert!(matches!(v.as_map().unwrap().get("a"), Some(Value::Float(f)) if f == 2.0));
    }
}
