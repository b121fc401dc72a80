//! BurntSushi/toml v1.6.0's parser (`parse.go`) and the decoding of its
//! result into `map[string]interface{}` (`decode.go`'s `unify`, which for an
//! empty-interface target copies the parsed values as they are).
//!
//! The parser builds Go's shapes: tables are `map[string]interface{}`,
//! `[[arrays]]` of tables `[]map[string]interface{}`, inline arrays
//! `[]interface{}`; integers `int64`, floats `float64`, datetimes
//! `time.Time` (offset datetimes in `time.Local` when the offset is
//! Local's, local datetimes, dates and times in the fixed zones
//! `datetime-local`, `date-local`, `time-local` at Local's current offset).
//! Duplicate keys, redefined tables and malformed values fail with
//! BurntSushi's `ParseError` texts (`toml: line 3 (last key "a.b"): ...`).

use std::collections::{BTreeMap, BTreeSet};

use super::encode::key_string;
use super::lex::{is_digit, is_hex, Fatal, Item, ItemType, Lexer, Position};
use super::TomlError;
use crate::funcs::gotime::parse::parse_in_location;
use crate::funcs::gotime::{time_value, Location, Time};
use crate::template::strconv::quote;
use crate::value::{Map, Value};

/// A parsed TOML value with its Go type.
#[derive(Clone, Debug)]
pub(crate) enum Tv {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Time(Time),
    /// `[]interface{}`.
    Array(Vec<Tv>),
    /// `map[string]interface{}`.
    Table(Table),
    /// `[]map[string]interface{}`.
    TableArray(Vec<Table>),
}

pub(crate) type Table = BTreeMap<String, Tv>;

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

/// Why parsing stopped.
enum Stop {
    /// A `ParseError`: message, line, and the key being parsed.
    Parse {
        message: String,
        line: i64,
        last_key: String,
    },
    /// A Go panic that is not a `ParseError` (BurntSushi's `BUG` paths,
    /// runtime errors).
    Panic(String),
}

impl From<Fatal> for Stop {
    fn from(f: Fatal) -> Stop {
        Stop::Panic(f.0)
    }
}

impl Stop {
    fn into_error(self) -> TomlError {
        match self {
            Stop::Parse {
                message,
                line,
                last_key,
            } => TomlError::Error(if last_key.is_empty() {
                format!("toml: line {line}: {message}")
            } else {
                format!(
                    "toml: line {line} (last key {}): {message}",
                    quote(&last_key)
                )
            }),
            Stop::Panic(p) => TomlError::Panic(p),
        }
    }
}

type Res<T> = Result<T, Stop>;

fn bug(msg: String) -> Stop {
    Stop::Panic(format!("BUG: {msg}\n\n"))
}

fn type_name(t: ItemType) -> &'static str {
    use ItemType as T;
    match t {
        T::Error => "Error",
        T::Eof => "EOF",
        T::Text => "Text",
        T::String | T::StringEsc | T::RawString | T::MultilineString | T::RawMultilineString => {
            "String"
        }
        T::Bool => "Bool",
        T::Integer => "Integer",
        T::Float => "Float",
        T::Datetime => "DateTime",
        T::Array => "Array",
        T::ArrayEnd => "ArrayEnd",
        T::TableStart => "TableStart",
        T::TableEnd => "TableEnd",
        T::ArrayTableStart => "ArrayTableStart",
        T::ArrayTableEnd => "ArrayTableEnd",
        T::KeyStart => "KeyStart",
        T::KeyEnd => "KeyEnd",
        T::CommentStart => "CommentStart",
        T::InlineTableStart => "InlineTableStart",
        T::InlineTableEnd => "InlineTableEnd",
    }
}

/// `toml.Unmarshal(text, &m)` with `m` a `map[string]interface{}`.
/// `local_offset` is the offset (seconds east of UTC) of `time.Local` now,
/// which BurntSushi uses for datetimes without an offset.
pub(crate) fn parse(text: &str, local_offset: i64) -> Result<Table, TomlError> {
    let data = text.strip_prefix('\u{feff}').unwrap_or(text);
    let head = &data.as_bytes()[..data.len().min(6)];
    if head.contains(&0) {
        return Err(TomlError::Error(
            "toml: line 1: files cannot contain NULL bytes; probably using UTF-16; TOML files must be UTF-8"
                .to_string(),
        ));
    }
    let mut p = Parser {
        lx: Lexer::new(data.as_bytes()),
        mapping: Table::new(),
        st: State {
            context: Vec::new(),
            current_key: String::new(),
            pos: Position::default(),
            key_info: BTreeMap::new(),
            implicits: BTreeSet::new(),
        },
        local_offset,
    };
    p.run().map_err(Stop::into_error)?;
    Ok(p.mapping)
}

/// The decoded document as template values.
pub(crate) fn to_map(table: Table) -> Map {
    table.into_iter().map(|(k, v)| (k, to_value(v))).collect()
}

fn to_value(v: Tv) -> Value {
    match v {
        Tv::Str(s) => Value::from(s),
        Tv::Int(i) => Value::int64(i),
        Tv::Float(f) => Value::Float(f),
        Tv::Bool(b) => Value::Bool(b),
        Tv::Time(t) => time_value(t),
        Tv::Array(items) => Value::list(items.into_iter().map(to_value).collect()),
        Tv::Table(t) => Value::Map(to_map(t)),
        Tv::TableArray(ts) => Value::list(ts.into_iter().map(|t| Value::Map(to_map(t))).collect()),
    }
}

struct Parser<'a> {
    lx: Lexer<'a>,
    mapping: Table,
    st: State,
    local_offset: i64,
}

/// The parser's bookkeeping apart from the document itself.
struct State {
    /// The full key of the table in scope.
    context: Vec<String>,
    /// The last part of the key being set.
    current_key: String,
    /// The position of the last key or table name.
    pos: Position,
    key_info: BTreeMap<String, TomlType>,
    implicits: BTreeSet<String>,
}

impl State {
    /// `p.current()`: the full name of the key being parsed.
    fn current(&self) -> String {
        if self.current_key.is_empty() {
            return key_string(&self.context);
        }
        if self.context.is_empty() {
            return self.current_key.clone();
        }
        format!("{}.{}", key_string(&self.context), self.current_key)
    }

    fn panicf(&self, message: String) -> Stop {
        Stop::Parse {
            message,
            line: self.pos.line,
            last_key: self.current(),
        }
    }

    fn panic_item(&self, it: &Item, message: String) -> Stop {
        Stop::Parse {
            message,
            line: it.pos.line,
            last_key: self.current(),
        }
    }

    fn add_implicit(&mut self, key: &[String]) {
        self.implicits.insert(key_string(key));
    }

    fn remove_implicit(&mut self, key: &[String]) {
        self.implicits.remove(&key_string(key));
    }

    fn is_implicit(&self, key: &[String]) -> bool {
        self.implicits.contains(&key_string(key))
    }

    fn is_array(&self, key: &[String]) -> bool {
        self.key_info.get(&key_string(key)) == Some(&TomlType::Array)
    }

    fn set_type(&mut self, key: &str, typ: TomlType) {
        let mut ctx = self.context.clone();
        if !key.is_empty() {
            ctx.push(key.to_string());
        }
        if ctx.is_empty() {
            ctx.push(String::new());
        }
        self.key_info.insert(key_string(&ctx), typ);
    }
}

/// The innermost table of `t`: itself, or the last table of an array of
/// tables. `None` for other values.
fn as_table(t: &mut Tv) -> Option<&mut Table> {
    match t {
        Tv::Table(m) => Some(m),
        Tv::TableArray(list) => list.last_mut(),
        _ => None,
    }
}

fn last(key: &[String]) -> Res<&String> {
    key.last()
        .ok_or_else(|| Stop::Panic("runtime error: index out of range [-1]".to_string()))
}

/// `p.setValue`: sets `key` in the table named by the context.
fn set_value(mapping: &mut Table, st: &mut State, key: &str, value: Tv) -> Res<()> {
    let mut hash = mapping;
    let mut key_ctx: Vec<String> = Vec::with_capacity(st.context.len() + 1);
    for k in &st.context {
        key_ctx.push(k.clone());
        let Some(tmp) = hash.get_mut(k) else {
            return Err(bug(format!(
                "Context for key '{}' has not been established.",
                key_string(&key_ctx)
            )));
        };
        let is_list = matches!(tmp, Tv::TableArray(_));
        match as_table(tmp) {
            Some(t) => hash = t,
            None if is_list => {
                return Err(Stop::Panic(
                    "runtime error: index out of range [-1]".to_string(),
                ))
            }
            None => {
                return Err(st.panicf(format!(
                    "Key '{}' has already been defined.",
                    key_string(&key_ctx)
                )))
            }
        }
    }
    key_ctx.push(key.to_string());
    if hash.contains_key(key) {
        if st.is_array(&key_ctx) {
            if !st.is_implicit(&key_ctx) {
                return Err(st.panicf(format!(
                    "Key '{}' has already been defined.",
                    key_string(&key_ctx)
                )));
            }
            st.remove_implicit(&key_ctx);
            hash.insert(key.to_string(), value);
            return Ok(());
        }
        if st.is_implicit(&key_ctx) {
            st.remove_implicit(&key_ctx);
            return Ok(());
        }
        return Err(st.panicf(format!(
            "Key '{}' has already been defined.",
            key_string(&key_ctx)
        )));
    }
    hash.insert(key.to_string(), value);
    Ok(())
}

/// `p.addContext`: makes `key` the table in scope, creating implicit
/// parent tables, and a new table (or a new element of an array of
/// tables) for the key itself.
fn add_context(mapping: &mut Table, st: &mut State, key: &[String], array: bool) -> Res<()> {
    let last_part = last(key)?.clone();
    let parents = &key[..key.len() - 1];
    let mut key_ctx: Vec<String> = Vec::with_capacity(parents.len());
    {
        let mut hash: &mut Table = mapping;
        for k in parents {
            key_ctx.push(k.clone());
            if !hash.contains_key(k) {
                st.add_implicit(&key_ctx);
                hash.insert(k.clone(), Tv::Table(Table::new()));
            }
            let entry = hash.get_mut(k).expect("just checked");
            match as_table(entry) {
                Some(t) => hash = t,
                None => {
                    return Err(st.panicf(format!(
                        "Key '{}' was already created as a hash.",
                        key_string(&key_ctx)
                    )))
                }
            }
        }
        st.context = key_ctx.clone();
        if array {
            let entry = hash
                .entry(last_part.clone())
                .or_insert_with(|| Tv::TableArray(Vec::new()));
            match entry {
                Tv::TableArray(list) => list.push(Table::new()),
                _ => {
                    return Err(st.panicf(format!(
                        "Key '{}' was already created and cannot be used as an array.",
                        key_string(key)
                    )))
                }
            }
        }
    }
    if !array {
        set_value(mapping, st, &last_part, Tv::Table(Table::new()))?;
    }
    st.context.push(last_part);
    Ok(())
}

fn add_implicit_context(mapping: &mut Table, st: &mut State, key: &[String]) -> Res<()> {
    st.add_implicit(key);
    add_context(mapping, st, key, false)
}

impl Parser<'_> {
    fn run(&mut self) -> Res<()> {
        loop {
            let item = self.next()?;
            if item.typ == ItemType::Eof {
                return Ok(());
            }
            self.top_level(item)?;
        }
    }

    fn next(&mut self) -> Res<Item> {
        let it = self.lx.next_item()?;
        if it.typ == ItemType::Error {
            return Err(Stop::Parse {
                message: it.err.clone().unwrap_or_default(),
                line: it.pos.line,
                last_key: self.st.current(),
            });
        }
        Ok(it)
    }

    fn next_pos(&mut self) -> Res<Item> {
        let it = self.next()?;
        self.st.pos = it.pos;
        Ok(it)
    }

    fn assert_equal(expected: ItemType, got: ItemType) -> Res<()> {
        if expected != got {
            return Err(bug(format!(
                "Expected '{}' but got '{}'.",
                type_name(expected),
                type_name(got)
            )));
        }
        Ok(())
    }

    fn expect(&mut self, typ: ItemType) -> Res<Item> {
        let it = self.next()?;
        Self::assert_equal(typ, it.typ)?;
        Ok(it)
    }

    /// Reads key parts up to `end` (a table name's or a key's).
    fn key_parts(&mut self, first: Item, end: ItemType) -> Res<Vec<String>> {
        let mut name = first;
        let mut key = Vec::new();
        while name.typ != end && name.typ != ItemType::Eof {
            key.push(self.key_string(&name)?);
            name = self.next()?;
        }
        Self::assert_equal(end, name.typ)?;
        Ok(key)
    }

    fn top_level(&mut self, item: Item) -> Res<()> {
        match item.typ {
            ItemType::CommentStart => {
                self.expect(ItemType::Text)?;
            }
            ItemType::TableStart | ItemType::ArrayTableStart => {
                let array = item.typ == ItemType::ArrayTableStart;
                let first = self.next_pos()?;
                let end = if array {
                    ItemType::ArrayTableEnd
                } else {
                    ItemType::TableEnd
                };
                let key = self.key_parts(first, end)?;
                add_context(&mut self.mapping, &mut self.st, &key, array)?;
                let typ = if array {
                    TomlType::ArrayHash
                } else {
                    TomlType::Hash
                };
                self.st.set_type("", typ);
            }
            ItemType::KeyStart => {
                let outer = self.st.context.clone();
                let first = self.next_pos()?;
                let key = self.key_parts(first, ItemType::KeyEnd)?;
                self.set_key_value(&key)?;
                self.st.context = outer;
                self.st.current_key.clear();
            }
            other => {
                return Err(bug(format!(
                    "Unexpected type at top level: {}",
                    type_name(other)
                )))
            }
        }
        Ok(())
    }

    /// The part of `key = value` after the key: implicit tables for a
    /// dotted key, then the value.
    fn set_key_value(&mut self, key: &[String]) -> Res<()> {
        self.st.current_key = last(key)?.clone();
        for part in &key[..key.len() - 1] {
            let mut ctx = self.st.context.clone();
            ctx.push(part.clone());
            add_implicit_context(&mut self.mapping, &mut self.st, &ctx)?;
        }
        let v_item = self.next()?;
        let (val, typ) = self.value(v_item, false)?;
        let current = self.st.current_key.clone();
        set_value(&mut self.mapping, &mut self.st, &current, val)?;
        self.st.set_type(&current, typ);
        Ok(())
    }

    fn key_string(&mut self, it: &Item) -> Res<String> {
        use ItemType as T;
        match it.typ {
            T::Text => Ok(it.val.clone()),
            T::String
            | T::StringEsc
            | T::MultilineString
            | T::RawString
            | T::RawMultilineString => match self.value(it.clone(), false)?.0 {
                Tv::Str(s) => Ok(s),
                _ => Err(bug("key is not a string".to_string())),
            },
            other => Err(bug(format!("Unexpected key type: {}", type_name(other)))),
        }
    }

    fn value(&mut self, it: Item, parent_is_array: bool) -> Res<(Tv, TomlType)> {
        use ItemType as T;
        Ok(match it.typ {
            T::String | T::RawString => (Tv::Str(it.val), TomlType::String),
            T::StringEsc => (
                Tv::Str(self.replace_escapes(&it, &it.val)?),
                TomlType::String,
            ),
            T::MultilineString => {
                let s = strip_escaped_newlines(strip_first_newline(&it.val));
                (Tv::Str(self.replace_escapes(&it, &s)?), TomlType::String)
            }
            T::RawMultilineString => (
                Tv::Str(strip_first_newline(&it.val).to_string()),
                TomlType::String,
            ),
            T::Integer => (Tv::Int(self.value_integer(&it)?), TomlType::Integer),
            T::Float => (Tv::Float(self.value_float(&it)?), TomlType::Float),
            T::Bool => match it.val.as_str() {
                "true" => (Tv::Bool(true), TomlType::Bool),
                "false" => (Tv::Bool(false), TomlType::Bool),
                v => return Err(bug(format!("Expected boolean value, but got '{v}'."))),
            },
            T::Datetime => (Tv::Time(self.value_datetime(&it)?), TomlType::Datetime),
            T::Array => self.value_array()?,
            T::InlineTableStart => self.value_inline_table(parent_is_array)?,
            other => return Err(bug(format!("Unexpected value type: {}", type_name(other)))),
        })
    }

    fn value_integer(&self, it: &Item) -> Res<i64> {
        let v = &it.val;
        if !num_underscores_ok(v) {
            return Err(self.st.panic_item(
                it,
                format!(
                    "Invalid integer {}: underscores must be surrounded by digits",
                    quote(v)
                ),
            ));
        }
        if num_has_leading_zero(v) {
            return Err(self.st.panic_item(
                it,
                format!("Invalid integer {}: cannot have leading zeroes", quote(v)),
            ));
        }
        match parse_int_base0(v) {
            Ok(n) => Ok(n),
            Err(IntError::Range) => Err(self
                .st
                .panic_item(it, format!("{v} is out of range for int64"))),
            Err(IntError::Syntax) => Err(bug(format!("Expected integer value, but got '{v}'."))),
        }
    }

    fn value_float(&self, it: &Item) -> Res<f64> {
        let v = &it.val;
        let parts: Vec<&str> = v.split(['.', 'e', 'E']).filter(|p| !p.is_empty()).collect();
        for part in &parts {
            if !num_underscores_ok(part) {
                return Err(self.st.panic_item(
                    it,
                    format!(
                        "Invalid float {}: underscores must be surrounded by digits",
                        quote(v)
                    ),
                ));
            }
        }
        if parts.first().is_some_and(|p| num_has_leading_zero(p)) {
            return Err(self.st.panic_item(
                it,
                format!("Invalid float {}: cannot have leading zeroes", quote(v)),
            ));
        }
        if !num_periods_ok(v) {
            return Err(self.st.panic_item(
                it,
                format!(
                    "Invalid float {}: '.' must be followed by one or more digits",
                    quote(v)
                ),
            ));
        }
        let mut val = v.replace('_', "");
        let mut signbit = false;
        if val == "+nan" || val == "-nan" {
            signbit = val == "-nan";
            val = "nan".to_string();
        }
        match parse_float(&val) {
            Some(f) if f.is_infinite() && !is_inf_literal(&val) => Err(self
                .st
                .panic_item(it, format!("{v} is out of range for float64"))),
            Some(f) => Ok(if signbit { -f.abs() } else { f }),
            None => Err(self
                .st
                .panic_item(it, format!("Invalid float value: {}", quote(v)))),
        }
    }

    fn value_datetime(&self, it: &Item) -> Res<Time> {
        let val: String = it
            .val
            .chars()
            .map(|c| match c {
                'z' => 'Z',
                't' | ' ' => 'T',
                c => c,
            })
            .collect();
        let local = Location::local();
        let off = self.local_offset;
        let layouts: [(&str, Location); 7] = [
            ("2006-01-02T15:04:05.999999999Z07:00", local.clone()),
            (
                "2006-01-02T15:04:05.999999999",
                Location::fixed("datetime-local", off),
            ),
            ("2006-01-02", Location::fixed("date-local", off)),
            ("15:04:05.999999999", Location::fixed("time-local", off)),
            ("2006-01-02T15:04Z07:00", local),
            ("2006-01-02T15:04", Location::fixed("datetime-local", off)),
            ("15:04", Location::fixed("time-local", off)),
        ];
        let invalid = || {
            self.st
                .panic_item(it, format!("invalid datetime: {}", quote(&val)))
        };
        for (layout, loc) in layouts {
            if let Ok(t) = parse_in_location(layout, &val, &loc) {
                if missing_leading_zero(&val, layout)? {
                    return Err(invalid());
                }
                return Ok(t);
            }
        }
        Err(invalid())
    }

    fn value_array(&mut self) -> Res<(Tv, TomlType)> {
        let current = self.st.current_key.clone();
        self.st.set_type(&current, TomlType::Array);
        let mut array = Vec::new();
        loop {
            let it = self.next()?;
            match it.typ {
                ItemType::ArrayEnd => break,
                ItemType::CommentStart => {
                    self.expect(ItemType::Text)?;
                }
                _ => array.push(self.value(it, true)?.0),
            }
        }
        Ok((Tv::Array(array), TomlType::Array))
    }

    fn value_inline_table(&mut self, parent_is_array: bool) -> Res<(Tv, TomlType)> {
        let mut top = Table::new();
        let outer_context = self.st.context.clone();
        let outer_key = self.st.current_key.clone();
        self.st.context.push(outer_key.clone());
        let prev_context = self.st.context.clone();
        self.st.current_key.clear();
        let ctx = self.st.context.clone();
        self.st.add_implicit(&ctx);
        add_context(&mut self.mapping, &mut self.st, &ctx, parent_is_array)?;
        loop {
            let it = self.next()?;
            match it.typ {
                ItemType::InlineTableEnd => break,
                ItemType::CommentStart => {
                    self.expect(ItemType::Text)?;
                    continue;
                }
                _ => {}
            }
            let first = self.next_pos()?;
            let key = self.key_parts(first, ItemType::KeyEnd)?;
            self.st.current_key = last(&key)?.clone();
            let parents = &key[..key.len() - 1];
            for part in parents {
                let mut c = self.st.context.clone();
                c.push(part.clone());
                add_implicit_context(&mut self.mapping, &mut self.st, &c)?;
            }
            let v_item = self.next()?;
            let (val, typ) = self.value(v_item, false)?;
            let current = self.st.current_key.clone();
            set_value(&mut self.mapping, &mut self.st, &current, val.clone())?;
            self.st.set_type(&current, typ);
            let mut hash = &mut top;
            for c in parents {
                let h = hash
                    .entry(c.clone())
                    .or_insert_with(|| Tv::Table(Table::new()));
                match h {
                    Tv::Table(t) => hash = t,
                    _ => {
                        return Err(self
                            .st
                            .panicf(format!("{} is not a table", go_quote_key(&self.st.context))))
                    }
                }
            }
            hash.insert(current, val);
            self.st.context = prev_context.clone();
        }
        self.st.context = outer_context;
        self.st.current_key = outer_key;
        Ok((Tv::Table(top), TomlType::Hash))
    }

    /// `p.replaceEscapes`: the escapes of a basic string.
    fn replace_escapes(&self, it: &Item, s: &str) -> Res<String> {
        let b = s.as_bytes();
        let mut out = String::with_capacity(s.len());
        let mut skip = 0;
        for (i, c) in s.char_indices() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            if c != '\\' {
                out.push(c);
                continue;
            }
            let Some(&e) = b.get(i + 1) else {
                return Err(Stop::Panic(format!(
                    "runtime error: index out of range [{}] with length {}",
                    i + 1,
                    b.len()
                )));
            };
            let hex = |n: usize| s.get(i + 2..i + 2 + n).unwrap_or("");
            match e {
                b' ' | b'\t' => {
                    return Err(self
                        .st
                        .panic_item(it, format!("invalid escape: '\\{}'", e as char)))
                }
                b'b' => out.push('\u{8}'),
                b't' => out.push('\t'),
                b'n' => out.push('\n'),
                b'f' => out.push('\u{c}'),
                b'r' => out.push('\r'),
                b'e' => out.push('\u{1b}'),
                b'"' => out.push('"'),
                b'\\' => out.push('\\'),
                b'x' => out.push(self.ascii_escape(it, hex(2))?),
                b'u' => out.push(self.ascii_escape(it, hex(4))?),
                b'U' => out.push(self.ascii_escape(it, hex(8))?),
                other => {
                    return Err(bug(format!(
                        "Expected valid escape code after \\, but got '{}'.",
                        other as char
                    )))
                }
            }
            skip = match e {
                b'x' => 3,
                b'u' => 5,
                b'U' => 9,
                _ => 1,
            };
        }
        Ok(out)
    }

    fn ascii_escape(&self, it: &Item, s: &str) -> Res<char> {
        let Ok(n) = u32::from_str_radix(&s.to_ascii_lowercase(), 16) else {
            return Err(bug(format!(
                "Could not parse '{s}' as a hexadecimal number, but the lexer claims it's OK"
            )));
        };
        char::from_u32(n).ok_or_else(|| {
            self.st.panic_item(
                it,
                format!("Escaped character '\\u{s}' is not valid UTF-8."),
            )
        })
    }
}

/// `%q` of a `Key`, which has a `String` method: its dotted form, quoted.
fn go_quote_key(key: &[String]) -> String {
    quote(&key_string(key))
}

fn strip_first_newline(s: &str) -> &str {
    s.strip_prefix('\n')
        .or_else(|| s.strip_prefix("\r\n"))
        .unwrap_or(s)
}

/// `stripEscapedNewlines`: a backslash ending a line in a multi-line basic
/// string removes the line break and the whitespace after it.
fn strip_escaped_newlines(s: &str) -> String {
    let mut b = String::with_capacity(s.len());
    let mut s = s;
    let mut i = 0;
    loop {
        let Some(ix) = s[i..].find('\\') else {
            b.push_str(s);
            return b;
        };
        i += ix;
        let bytes = s.as_bytes();
        if bytes.get(i + 1) == Some(&b'\\') {
            i += 2;
            continue;
        }
        let mut j = i + 1;
        while j < bytes.len() && matches!(bytes[j], b' ' | b'\t' | b'\r' | b'\n') {
            j += 1;
        }
        if j == i + 1 {
            i += 1;
            continue;
        }
        if !s[i..j].contains('\n') {
            i += 1;
            continue;
        }
        b.push_str(&s[..i]);
        s = &s[j..];
        i = 0;
    }
}

/// `numHasLeadingZero`: `0` followed by more digits (base prefixes and a
/// lone zero are fine).
fn num_has_leading_zero(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() > 1 && b[0] == b'0' && !matches!(b[1], b'b' | b'o' | b'x') {
        return true;
    }
    b.len() > 2 && (b[0] == b'-' || b[0] == b'+') && b[1] == b'0'
}

/// `numUnderscoresOK`: every underscore follows a (hex) digit, and the
/// number does not end in one.
fn num_underscores_ok(s: &str) -> bool {
    if matches!(s, "nan" | "+nan" | "-nan" | "inf" | "-inf" | "+inf") {
        return true;
    }
    let mut accept = false;
    for r in s.chars() {
        if r == '_' && !accept {
            return false;
        }
        accept = is_hex(r);
    }
    accept
}

/// `numPeriodsOK`: every `.` is followed by a digit.
fn num_periods_ok(s: &str) -> bool {
    let mut period = false;
    for r in s.chars() {
        if period && !is_digit(r) {
            return false;
        }
        period = r == '.';
    }
    !period
}

/// `missingLeadingZero`: Go's time parsing accepts one-digit fields; TOML
/// does not. Separators in the value must sit where the layout has them.
fn missing_leading_zero(d: &str, layout: &str) -> Res<bool> {
    let db = d.as_bytes();
    for (i, c) in layout.bytes().enumerate() {
        if c == b'.' || c == b'Z' {
            return Ok(false);
        }
        if !c.is_ascii_digit() {
            let Some(&dc) = db.get(i) else {
                return Err(Stop::Panic(format!(
                    "runtime error: index out of range [{i}] with length {}",
                    db.len()
                )));
            };
            if dc != c {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

enum IntError {
    Syntax,
    Range,
}

/// `strconv.ParseInt(s, 0, 64)` for the integer forms the lexer produces:
/// an optional sign, an optional `0x`/`0o`/`0b` prefix, digits with
/// underscores between them.
fn parse_int_base0(s: &str) -> Result<i64, IntError> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (base, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if !crate::template::strconv::underscores_ok(s) {
        return Err(IntError::Syntax);
    }
    let digits: String = digits.chars().filter(|&c| c != '_').collect();
    if digits.is_empty() {
        return Err(IntError::Syntax);
    }
    let mut n: u64 = 0;
    let mut overflow = false;
    for c in digits.chars() {
        let d = c.to_digit(base).ok_or(IntError::Syntax)?;
        match n
            .checked_mul(u64::from(base))
            .and_then(|x| x.checked_add(u64::from(d)))
        {
            Some(x) => n = x,
            None => overflow = true,
        }
    }
    let limit = 1u64 << 63;
    if overflow || (!neg && n >= limit) || (neg && n > limit) {
        return Err(IntError::Range);
    }
    Ok(if neg {
        (n as i64).wrapping_neg()
    } else {
        n as i64
    })
}

fn is_inf_literal(s: &str) -> bool {
    matches!(
        s.trim_start_matches(['+', '-'])
            .to_ascii_lowercase()
            .as_str(),
        "inf" | "infinity"
    )
}

/// `strconv.ParseFloat(s, 64)` for the texts the lexer can produce: signed
/// decimals with an optional fraction and exponent, `inf` and `nan`.
/// `None` is a syntax error; an overflow gives an infinity.
fn parse_float(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" || lower == "nan" {
        return s.to_ascii_lowercase().parse::<f64>().ok();
    }
    let b = body.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > start
    };
    let int_part = digits(&mut i);
    let mut frac_part = false;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        frac_part = digits(&mut i);
    }
    if !int_part && !frac_part {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if !digits(&mut i) {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    s.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_parse_like_go_base_zero() {
        assert!(matches!(parse_int_base0("0x_ff"), Ok(255)));
        assert!(matches!(parse_int_base0("1_000"), Ok(1000)));
        assert!(matches!(
            parse_int_base0("-9223372036854775808"),
            Ok(i64::MIN)
        ));
        assert!(matches!(
            parse_int_base0("9223372036854775808"),
            Err(IntError::Range)
        ));
        assert!(matches!(parse_int_base0("0b101"), Ok(5)));
    }

    #[test]
    fn floats_parse_like_go() {
        assert_eq!(parse_float("1e5"), Some(1e5));
        assert_eq!(parse_float("1.5e-3"), Some(1.5e-3));
        assert_eq!(parse_float("1e"), None);
        assert_eq!(parse_float("1.2.3"), None);
        assert_eq!(parse_float("1e400"), Some(f64::INFINITY));
    }

    #[test]
    fn escaped_newlines_are_removed() {
        assert_eq!(strip_escaped_newlines("a \\\n   b"), "a b");
        assert_eq!(strip_escaped_newlines("a\\\\\nb"), "a\\\\\nb");
        assert_eq!(strip_escaped_newlines("a\\  b"), "a\\  b");
    }
}
