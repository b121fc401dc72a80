//! The `--set` family of value parsers, mirroring Helm's `pkg/strvals`
//! (`parser.go` and `literal_parser.go`): `a.b[0].c=1,d={x,y}` into a values
//! tree, with the same typing (`--set` integers are `int64`, `true`/`false`,
//! `null`), the same escapes, limits and error texts.

use crate::value::{Map, Value};

/// The largest list index `--set` accepts.
pub const MAX_INDEX: i64 = 65536;
/// The deepest `a.b.c…` nesting `--set` accepts.
pub const MAX_NESTED_NAME_LEVEL: usize = 30;

/// How a parser turns the text of a value into a [`Value`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueMode {
    /// `--set`: `true`, `false`, `null`, int64 or string.
    Typed,
    /// `--set-string`: always a string.
    String,
    /// `--set-json`: a JSON value (an empty value is null).
    Json,
}

/// A decoder for one JSON value at the start of a text, returning the value
/// and the number of bytes it used (Go's `json.Decoder.Decode` plus
/// `InputOffset`).
pub type JsonPrefixDecoder<'a> = &'a dyn Fn(&str) -> Result<(Value, usize), String>;

/// Helm's `strvals.Parse` (`--set`).
pub fn parse(s: &str) -> Result<Map, String> {
    let map = Map::new();
    parse_into(s, &map)?;
    Ok(map)
}

/// Helm's `strvals.ToYAML`: the `--set` line as YAML, without the final newline.
pub fn to_yaml(s: &str) -> Result<String, String> {
    let map = parse(s)?;
    let text = crate::yaml::to_yaml(&Value::Map(map)).map_err(|e| e.to_string())?;
    Ok(text.strip_suffix('\n').map(str::to_string).unwrap_or(text))
}

/// Helm's `strvals.ParseString` (`--set-string`).
pub fn parse_string(s: &str) -> Result<Map, String> {
    let map = Map::new();
    parse_into_string(s, &map)?;
    Ok(map)
}

/// Helm's `strvals.ParseInto`: merges `s` into `dest`.
pub fn parse_into(s: &str, dest: &Map) -> Result<(), String> {
    Parser::new(s, ValueMode::Typed, None).parse(dest)
}

/// Helm's `strvals.ParseIntoString`.
pub fn parse_into_string(s: &str, dest: &Map) -> Result<(), String> {
    Parser::new(s, ValueMode::String, None).parse(dest)
}

/// Helm's `strvals.ParseJSON` (`--set-json`): merges into `dest`.
pub fn parse_json(s: &str, dest: &Map, decode: JsonPrefixDecoder<'_>) -> Result<(), String> {
    Parser::new(s, ValueMode::Json, Some(decode)).parse(dest)
}

/// Helm's `strvals.ParseFile` (`--set-file`): each value is a path that
/// `read` turns into the value.
pub fn parse_file_into(s: &str, dest: &Map, read: FileReader<'_>) -> Result<(), String> {
    let mut parser = Parser::new(s, ValueMode::String, None);
    parser.reader = Some(read);
    parser.parse(dest)
}

/// Helm's `strvals.ParseLiteral` (`--set-literal`).
pub fn parse_literal(s: &str) -> Result<Map, String> {
    let map = Map::new();
    parse_literal_into(s, &map)?;
    Ok(map)
}

/// Helm's `strvals.ParseLiteralInto`.
pub fn parse_literal_into(s: &str, dest: &Map) -> Result<(), String> {
    let mut parser = Parser::new(s, ValueMode::String, None);
    parser.literal = true;
    parser.parse(dest)
}

/// Helm's `typedVal`: how `--set` types a value.
pub fn typed_value(text: &str, mode: ValueMode) -> Value {
    if mode == ValueMode::String {
        return Value::from(text);
    }
    if text.eq_ignore_ascii_case("true") {
        return Value::Bool(true);
    }
    if text.eq_ignore_ascii_case("false") {
        return Value::Bool(false);
    }
    if text.eq_ignore_ascii_case("null") {
        return Value::Nil;
    }
    if text == "0" {
        return Value::int64(0);
    }
    if !text.is_empty() && !text.starts_with('0') {
        if let Some(i) = parse_decimal_i64(text) {
            return Value::int64(i);
        }
    }
    Value::from(text)
}

/// `strconv.ParseInt(s, 10, 64)`.
fn parse_decimal_i64(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok()
}

/// `strconv.Atoi`, with Go's error text.
fn atoi(s: &str) -> Result<i64, String> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    let quoted = crate::template::strconv::quote(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("strconv.Atoi: parsing {quoted}: invalid syntax"));
    }
    s.parse::<i64>()
        .map_err(|_| format!("strconv.Atoi: parsing {quoted}: value out of range"))
}

/// The end of input, as Go's `io.EOF` flows through the parser.
const EOF: &str = "EOF";

/// The text of Go's runtime panic for a failed type assertion, which Helm's
/// parser recovers into an error.
fn conversion_panic(found: &Value, want: &str) -> String {
    let found = match found {
        Value::Nil => "nil".to_string(),
        other => other.type_name(),
    };
    format!("unable to parse key: interface conversion: interface {{}} is {found}, not {want}")
}

const MAP_TYPE: &str = "map[string]interface {}";
const LIST_TYPE: &str = "[]interface {}";

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    mode: ValueMode,
    literal: bool,
    json: Option<JsonPrefixDecoder<'a>>,
    reader: Option<FileReader<'a>>,
}

/// Turns a `--set-file` value (a path) into the value.
type FileReader<'a> = &'a dyn Fn(&str) -> Result<Value, String>;

/// An error inside the parser: the end of input, a list where none is, or a message.
#[derive(Debug)]
enum Stop {
    Eof,
    NotList,
    Error(String),
}

impl From<String> for Stop {
    fn from(s: String) -> Self {
        Stop::Error(s)
    }
}

type PResult<T> = Result<T, Stop>;

impl<'a> Parser<'a> {
    fn new(s: &str, mode: ValueMode, json: Option<JsonPrefixDecoder<'a>>) -> Self {
        Parser {
            chars: s.chars().collect(),
            pos: 0,
            mode,
            literal: false,
            json,
            reader: None,
        }
    }

    fn parse(&mut self, data: &Map) -> Result<(), String> {
        loop {
            match self.key(data, 0) {
                Ok(()) => continue,
                Err(Stop::Eof) => return Ok(()),
                Err(Stop::NotList) => return Err("not a list".into()),
                Err(Stop::Error(e)) => return Err(e),
            }
        }
    }

    fn read(&mut self) -> Option<char> {
        let c = self.chars.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn unread(&mut self) {
        self.pos -= 1;
    }

    /// Reads up to one of `stop`, handling `\` escapes (except in literal mode).
    /// Returns the text, the stop character (None at the end) .
    fn runes_until(&mut self, stop: &[char]) -> (String, Option<char>) {
        let mut out = String::new();
        loop {
            let Some(c) = self.read() else {
                return (out, None);
            };
            if stop.contains(&c) {
                return (out, Some(c));
            }
            if c == '\\' && !self.literal {
                match self.read() {
                    Some(next) => out.push(next),
                    None => return (out, None),
                }
            } else {
                out.push(c);
            }
        }
    }

    fn value_from(&self, text: &str) -> Result<Value, String> {
        match self.reader {
            Some(read) => read(text),
            None => Ok(typed_value(text, self.mode)),
        }
    }

    fn key(&mut self, data: &Map, nested: usize) -> PResult<()> {
        let stop: &[char] = if self.literal {
            &['=', '[', '.']
        } else {
            &['=', '[', ',', '.']
        };
        let (key, last) = self.runes_until(stop);
        match last {
            None => {
                if key.is_empty() {
                    return Err(Stop::Eof);
                }
                Err(format!(
                    "key {} has no value",
                    crate::template::strconv::quote(&key)
                ))?
            }
            Some('[') => {
                let index = self
                    .key_index()
                    .map_err(|e| format!("error parsing index: {}", stop_text(e)))?;
                let list = match data.get(&key) {
                    None => Vec::new(),
                    Some(Value::List(l)) => l.to_vec(),
                    Some(other) => return Err(conversion_panic(&other, LIST_TYPE).into()),
                };
                let (list, result) = self.list_item(list, index, nested);
                set(data, &key, list.map(Value::list).unwrap_or(Value::Nil));
                result
            }
            Some('=') => {
                if self.literal {
                    let value = self.rest_of_input();
                    set(data, &key, Value::from(value));
                    return Ok(());
                }
                if self.mode == ValueMode::Json {
                    let value = self.json_value()?;
                    set(data, &key, value);
                    return Ok(());
                }
                match self.val_list() {
                    Ok(list) => {
                        set(data, &key, Value::list(list));
                        Ok(())
                    }
                    Err(Stop::Eof) => {
                        set(data, &key, Value::from(""));
                        Err(Stop::Eof)
                    }
                    Err(Stop::NotList) => {
                        let text = self.val();
                        let value = self.value_from(&text)?;
                        set(data, &key, value);
                        Ok(())
                    }
                    Err(e) => Err(e),
                }
            }
            Some(',') => {
                set(data, &key, Value::from(""));
                Err(format!(
                    "key {} has no value (cannot end with ,)",
                    crate::template::strconv::quote(&key)
                ))?
            }
            Some(_) => {
                // '.': a nested map.
                let nested = nested + 1;
                if nested > MAX_NESTED_NAME_LEVEL {
                    return Err(format!(
                        "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
                    ))?;
                }
                let inner = match data.get(&key) {
                    None => Map::new(),
                    Some(Value::Map(m)) => m,
                    Some(other) => return Err(conversion_panic(&other, MAP_TYPE).into()),
                };
                let result = self.key(&inner, nested);
                if result.is_ok() && inner.is_empty() {
                    return Err(format!(
                        "key map {} has no value",
                        crate::template::strconv::quote(&key)
                    ))?;
                }
                if !inner.is_empty() {
                    set(data, &key, Value::Map(inner));
                }
                result
            }
        }
    }

    fn rest_of_input(&mut self) -> String {
        let rest: String = self.chars[self.pos..].iter().collect();
        self.pos = self.chars.len();
        rest
    }

    /// `--set-json`: an empty value is null; otherwise one JSON value, then
    /// optional blanks and a comma.
    fn json_value(&mut self) -> PResult<Value> {
        if self.empty_val() {
            return Ok(Value::Nil);
        }
        let rest: String = self.chars[self.pos..].iter().collect();
        let decode = self.json.ok_or_else(|| "no JSON decoder".to_string())?;
        let (value, used) = decode(&rest)?;
        self.pos += rest[..used.min(rest.len())].chars().count();
        self.empty_val();
        Ok(value)
    }

    /// Consumes blanks up to a comma or the end (an empty value) or stops
    /// before any other character.
    fn empty_val(&mut self) -> bool {
        loop {
            match self.read() {
                None | Some(',') => return true,
                Some(c) if c.is_whitespace() => continue,
                Some(_) => {
                    self.unread();
                    return false;
                }
            }
        }
    }

    fn key_index(&mut self) -> PResult<i64> {
        let (text, last) = self.runes_until(&[']']);
        if last.is_none() {
            return Err(Stop::Eof);
        }
        Ok(atoi(&text)?)
    }

    /// Returns the list as it stands (None where Go returns a nil list) and the outcome.
    fn list_item(
        &mut self,
        mut list: Vec<Value>,
        i: i64,
        nested: usize,
    ) -> (Option<Vec<Value>>, PResult<()>) {
        if i < 0 {
            return (
                Some(list),
                Err(format!("negative {i} index not allowed").into()),
            );
        }
        let (key, last) = self.runes_until(&['[', '.', '=']);
        if !key.is_empty() {
            let shown = crate::template::strconv::quote(&key);
            return (
                Some(list),
                Err(format!("unexpected data at end of array index: {shown}").into()),
            );
        }
        match last {
            None => (Some(list), Err(Stop::Eof)),
            Some('=') => {
                if self.literal {
                    let value = Value::from(self.rest_of_input());
                    return set_index(list, i, value);
                }
                if self.mode == ValueMode::Json {
                    return match self.json_value() {
                        Ok(value) => set_index(list, i, value),
                        Err(e) => (Some(list), Err(e)),
                    };
                }
                match self.val_list() {
                    Ok(values) => set_index(list, i, Value::list(values)),
                    Err(Stop::Eof) => set_index(list, i, Value::from("")),
                    Err(Stop::NotList) => {
                        let text = self.val();
                        match self.value_from(&text) {
                            Ok(value) => set_index(list, i, value),
                            Err(e) => (Some(list), Err(e.into())),
                        }
                    }
                    Err(e) => (Some(list), Err(e)),
                }
            }
            Some('[') => {
                let next = match self.key_index() {
                    Ok(n) => n,
                    Err(e) => {
                        let msg = format!("error parsing index: {}", stop_text(e));
                        return (Some(list), Err(msg.into()));
                    }
                };
                let current = match list.get(i as usize) {
                    None | Some(Value::Nil) => Vec::new(),
                    Some(Value::List(l)) => l.to_vec(),
                    Some(other) => {
                        let err = conversion_panic(other, LIST_TYPE);
                        return (Some(list), Err(err.into()));
                    }
                };
                let (inner, result) = self.list_item(current, next, nested);
                if let Err(e) = result {
                    return (Some(list), Err(e));
                }
                set_index(list, i, inner.map(Value::list).unwrap_or(Value::Nil))
            }
            Some(_) => {
                // '.': a map inside the list.
                let inner = match list.get(i as usize) {
                    None => Map::new(),
                    Some(Value::Map(m)) => m.clone(),
                    Some(_) => {
                        // Indices out of order: start from an empty map.
                        let m = Map::new();
                        list[i as usize] = Value::Map(m.clone());
                        m
                    }
                };
                if let Err(e) = self.key(&inner, nested) {
                    return (Some(list), Err(e));
                }
                set_index(list, i, Value::Map(inner))
            }
        }
    }

    fn val(&mut self) -> String {
        self.runes_until(&[',']).0
    }

    fn val_list(&mut self) -> PResult<Vec<Value>> {
        match self.read() {
            None => return Err(Stop::Eof),
            Some('{') => {}
            Some(_) => {
                self.unread();
                return Err(Stop::NotList);
            }
        }
        let mut list = Vec::new();
        loop {
            let (text, last) = self.runes_until(&[',', '}']);
            match last {
                None => return Err(Stop::Error("list must terminate with '}'".into())),
                Some('}') => {
                    // A following comma belongs to the list.
                    if let Some(c) = self.read() {
                        if c != ',' {
                            self.unread();
                        }
                    }
                    list.push(self.value_from(&text)?);
                    return Ok(list);
                }
                Some(_) => list.push(self.value_from(&text)?),
            }
        }
    }
}

fn stop_text(stop: Stop) -> String {
    match stop {
        Stop::Eof => EOF.to_string(),
        Stop::NotList => "not a list".to_string(),
        Stop::Error(e) => e,
    }
}

fn set(data: &Map, key: &str, value: Value) {
    if !key.is_empty() {
        data.insert(key, value);
    }
}

/// Helm's `setIndex`: grows the list with nils as needed, within `MAX_INDEX`.
fn set_index(mut list: Vec<Value>, index: i64, value: Value) -> (Option<Vec<Value>>, PResult<()>) {
    if index < 0 {
        let err = format!("negative {index} index not allowed");
        return (Some(list), Err(err.into()));
    }
    if index > MAX_INDEX {
        let err =
            format!("index of {index} is greater than maximum supported index of {MAX_INDEX}");
        return (Some(list), Err(err.into()));
    }
    let index = index as usize;
    if list.len() <= index {
        list.resize(index + 1, Value::Nil);
    }
    list[index] = value;
    (Some(list), Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(m: &Map) -> String {
        Value::Map(m.clone()).to_string()
    }

    #[test]
    fn typed_values() {
        let m = parse("a=1,b=true,c=null,d=007,e=x\\,y,f.g[1]=2").unwrap();
        assert_eq!(
            show(&m),
            "map[a:1 b:true c:<nil> d:007 e:x,y f:map[g:[<nil> 2]]]"
        );
        assert_eq!(m.get("a").unwrap().type_name(), "int64");
    }

    #[test]
    fn lists_and_strings() {
        let m = parse("name={a,b},x[0].y=1").unwrap();
        assert_eq!(show(&m), "map[name:[a b] x:[map[y:1]]]");
        let m = parse_string("n=1").unwrap();
        assert_eq!(m.get("n").unwrap().type_name(), "string");
    }

    #[test]
    fn literal_keeps_everything_after_equals() {
        let m = parse_literal("a.b=c,d={e}").unwrap();
        assert_eq!(show(&m), "map[a:map[b:c,d={e}]]");
    }

    #[test]
    fn errors_match_helm() {
        assert_eq!(
            parse("name1,name2").unwrap_err(),
            "key \"name1\" has no value (cannot end with ,)"
        );
        assert_eq!(parse("a.b").unwrap_err(), "key \"b\" has no value");
        assert_eq!(parse("a={1,2").unwrap_err(), "list must terminate with '}'");
        assert_eq!(
            parse("l[-3]=x").unwrap_err(),
            "negative -3 index not allowed"
        );
        assert_eq!(
            parse("l[x]=1").unwrap_err(),
            "error parsing index: strconv.Atoi: parsing \"x\": invalid syntax"
        );
        assert_eq!(
            parse("l[70000]=1").unwrap_err(),
            "index of 70000 is greater than maximum supported index of 65536"
        );
        assert_eq!(
            parse("a=1,a.b=2").unwrap_err(),
            "unable to parse key: interface conversion: interface {} is int64, not map[string]interface {}"
        );
    }
}
