//! BurntSushi/toml v1.6.0's lexer (`lex.go`): a state machine that emits
//! items (keys, values, table headers) one at a time as the parser asks
//! for them, with the same states, backing-up rules and error positions,
//! so that the parser meets a lexing error exactly where Go's does.

use std::collections::VecDeque;

use crate::template::strconv::{quote, quote_rune};

/// The lexer's end-of-input marker (Go's `eof = 0`; a NUL in the input is
/// a control-character error, never this value).
const EOF: char = '\0';
const RUNE_ERROR: char = '\u{FFFD}';

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ItemType {
    Error,
    Eof,
    Text,
    String,
    StringEsc,
    RawString,
    MultilineString,
    RawMultilineString,
    Bool,
    Integer,
    Float,
    Datetime,
    Array,
    ArrayEnd,
    TableStart,
    TableEnd,
    ArrayTableStart,
    ArrayTableEnd,
    KeyStart,
    KeyEnd,
    CommentStart,
    InlineTableStart,
    InlineTableEnd,
}

/// Where an item or error is (`toml.Position`, without the column, which
/// error texts never show).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Position {
    pub line: i64,
    pub start: i64,
    pub len: i64,
}

#[derive(Clone, Debug)]
pub(crate) struct Item {
    pub typ: ItemType,
    pub val: String,
    /// The message of an error item.
    pub err: Option<String>,
    pub pos: Position,
}

/// A Go runtime panic inside the lexer (a bug path in BurntSushi's code),
/// with Go's panic text.
#[derive(Clone, Debug)]
pub(crate) struct Fatal(pub String);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Top,
    TopEnd,
    TableStart,
    TableEnd,
    ArrayTableEnd,
    TableNameStart,
    TableNameEnd,
    BareName,
    QuotedName,
    KeyStart,
    KeyNameStart,
    KeyEnd,
    Value,
    ArrayValue,
    ArrayValueEnd,
    ArrayEnd,
    InlineTableValue,
    InlineTableValueEnd,
    InlineTableEnd,
    String,
    MultilineString,
    RawString,
    MultilineRawString,
    MultilineStringEscape,
    StringEscape,
    HexEscape,
    ShortUnicodeEscape,
    LongUnicodeEscape,
    NumberOrDateStart,
    NumberOrDate,
    Datetime,
    HexInteger,
    OctalInteger,
    BinaryInteger,
    DecimalNumber,
    DecimalNumberStart,
    BaseNumberOrDate,
    Float,
    Bool,
    CommentStart,
    Comment,
}

/// The two bracketed containers, whose elements lex alike.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Container {
    Array,
    InlineTable,
}

impl Container {
    fn close(self) -> char {
        match self {
            Container::Array => ']',
            Container::InlineTable => '}',
        }
    }

    /// The state that lexes one element: a value, or a key/value pair.
    fn element(self) -> State {
        match self {
            Container::Array => State::Value,
            Container::InlineTable => State::KeyStart,
        }
    }

    fn element_start(self) -> State {
        match self {
            Container::Array => State::ArrayValue,
            Container::InlineTable => State::InlineTableValue,
        }
    }

    fn element_end(self) -> State {
        match self {
            Container::Array => State::ArrayValueEnd,
            Container::InlineTable => State::InlineTableValueEnd,
        }
    }

    fn end(self) -> State {
        match self {
            Container::Array => State::ArrayEnd,
            Container::InlineTable => State::InlineTableEnd,
        }
    }
}

type Step = Result<Option<State>, Fatal>;

pub(crate) struct Lexer<'a> {
    input: &'a [u8],
    start: usize,
    pos: usize,
    line: i64,
    state: Option<State>,
    items: VecDeque<Item>,
    esc: bool,
    prev_widths: [usize; 4],
    nprev: usize,
    at_eof: bool,
    stack: Vec<State>,
}

fn is_whitespace(r: char) -> bool {
    r == '\t' || r == ' '
}

fn is_nl(r: char) -> bool {
    r == '\n' || r == '\r'
}

fn is_control(r: char) -> bool {
    match r {
        '\t' | '\r' | '\n' => false,
        _ => (r as u32) <= 0x1f || r == '\u{7f}',
    }
}

pub(crate) fn is_digit(r: char) -> bool {
    r.is_ascii_digit()
}

fn is_binary(r: char) -> bool {
    r == '0' || r == '1'
}

fn is_octal(r: char) -> bool {
    ('0'..='7').contains(&r)
}

pub(crate) fn is_hex(r: char) -> bool {
    r.is_ascii_hexdigit()
}

fn is_bare_key_char(r: char) -> bool {
    r.is_ascii_alphanumeric() || r == '_' || r == '-'
}

/// Go's `unicode.IsLetter` (general category L).
fn is_letter(r: char) -> bool {
    if r.is_ascii() {
        return r.is_ascii_alphabetic();
    }
    thread_local! {
        static LETTER: regex::Regex = regex::Regex::new(r"^\p{L}$").expect("valid regex");
    }
    let mut buf = [0u8; 4];
    let s = r.encode_utf8(&mut buf);
    LETTER.with(|re| re.is_match(s))
}

/// Go's `utf8.DecodeRune`: the rune and its width, `(RuneError, 1)` for a
/// byte that does not start a valid sequence.
fn decode_rune(b: &[u8]) -> (char, usize) {
    let len = match b.first() {
        None => return (RUNE_ERROR, 0),
        Some(&c) if c < 0x80 => return (c as char, 1),
        Some(&c) if c & 0xE0 == 0xC0 => 2,
        Some(&c) if c & 0xF0 == 0xE0 => 3,
        Some(&c) if c & 0xF8 == 0xF0 => 4,
        Some(_) => return (RUNE_ERROR, 1),
    };
    match b.get(..len).map(std::str::from_utf8) {
        Some(Ok(s)) => (s.chars().next().unwrap_or(RUNE_ERROR), len),
        _ => (RUNE_ERROR, 1),
    }
}

/// `fmt`'s `%c`.
fn char_text(r: char) -> String {
    r.to_string()
}

fn rune_or_eof(r: char) -> String {
    if r == EOF {
        "end of file".to_string()
    } else {
        format!("'{r}'")
    }
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(input: &'a [u8]) -> Lexer<'a> {
        Lexer {
            input,
            start: 0,
            pos: 0,
            line: 1,
            state: Some(State::Top),
            items: VecDeque::new(),
            esc: false,
            prev_widths: [0; 4],
            nprev: 0,
            at_eof: false,
            stack: Vec::new(),
        }
    }

    /// The next item, running the state machine as far as needed.
    pub(crate) fn next_item(&mut self) -> Result<Item, Fatal> {
        loop {
            if let Some(item) = self.items.pop_front() {
                return Ok(item);
            }
            let Some(state) = self.state else {
                return Err(Fatal(
                    "runtime error: invalid memory address or nil pointer dereference".to_string(),
                ));
            };
            self.state = self.step(state)?;
        }
    }

    fn push(&mut self, s: State) {
        self.stack.push(s);
    }

    fn pop(&mut self) -> Step {
        match self.stack.pop() {
            Some(s) => Ok(Some(s)),
            None => Err(Fatal("BUG in lexer: no states to pop".to_string())),
        }
    }

    fn current(&self) -> Result<String, Fatal> {
        if self.start > self.pos {
            return Err(Fatal(format!(
                "runtime error: slice bounds out of range [{}:{}]",
                self.start, self.pos
            )));
        }
        Ok(String::from_utf8_lossy(&self.input[self.start..self.pos]).into_owned())
    }

    fn get_pos(&self) -> Position {
        let len = self.pos as i64 - self.start as i64;
        Position {
            line: self.line,
            start: self.start as i64,
            len: if len <= 0 { 1 } else { len },
        }
    }

    fn emit(&mut self, typ: ItemType) -> Result<(), Fatal> {
        if self.start > self.pos {
            let b = self.input.get(self.pos).copied().unwrap_or(0);
            self.error(format!("invalid UTF-8 byte: 0x{b:02x}"));
            return Ok(());
        }
        let item = Item {
            typ,
            val: self.current()?,
            err: None,
            pos: self.get_pos(),
        };
        self.items.push_back(item);
        self.start = self.pos;
        Ok(())
    }

    fn emit_trim(&mut self, typ: ItemType) -> Result<(), Fatal> {
        let val = self.current()?.trim().to_string();
        self.items.push_back(Item {
            typ,
            val,
            err: None,
            pos: self.get_pos(),
        });
        self.start = self.pos;
        Ok(())
    }

    fn next(&mut self) -> Result<char, Fatal> {
        if self.at_eof {
            return Err(Fatal("BUG in lexer: next called after EOF".to_string()));
        }
        if self.pos >= self.input.len() {
            self.at_eof = true;
            return Ok(EOF);
        }
        if self.input[self.pos] == b'\n' {
            self.line += 1;
        }
        self.prev_widths[3] = self.prev_widths[2];
        self.prev_widths[2] = self.prev_widths[1];
        self.prev_widths[1] = self.prev_widths[0];
        if self.nprev < 4 {
            self.nprev += 1;
        }
        let (r, w) = decode_rune(&self.input[self.pos..]);
        if r == RUNE_ERROR && w == 1 {
            let b = self.input[self.pos];
            self.error(format!("invalid UTF-8 byte: 0x{b:02x}"));
            return Ok(RUNE_ERROR);
        }
        let lone_cr =
            r == '\r' && (self.input.len() - 1 == self.pos || self.input[self.pos + 1] != b'\n');
        if is_control(r) || lone_cr {
            self.error_pos(
                self.pos as i64 - 1,
                1,
                format!(
                    "TOML files cannot contain control characters: '0x{:02x}'",
                    r as u32
                ),
            );
            return Ok(RUNE_ERROR);
        }
        self.prev_widths[0] = w;
        self.pos += w;
        Ok(r)
    }

    fn ignore(&mut self) {
        self.start = self.pos;
    }

    fn backup(&mut self) -> Result<(), Fatal> {
        if self.at_eof {
            self.at_eof = false;
            return Ok(());
        }
        if self.nprev < 1 {
            return Err(Fatal("BUG in lexer: backed up too far".to_string()));
        }
        let w = self.prev_widths[0];
        self.prev_widths[0] = self.prev_widths[1];
        self.prev_widths[1] = self.prev_widths[2];
        self.prev_widths[2] = self.prev_widths[3];
        self.nprev -= 1;
        self.pos = self
            .pos
            .checked_sub(w)
            .ok_or_else(|| Fatal("runtime error: index out of range [-1]".to_string()))?;
        if self.pos < self.input.len() && self.input[self.pos] == b'\n' {
            self.line -= 1;
        }
        Ok(())
    }

    fn accept(&mut self, valid: char) -> Result<bool, Fatal> {
        if self.next()? == valid {
            return Ok(true);
        }
        self.backup()?;
        Ok(false)
    }

    fn peek(&mut self) -> Result<char, Fatal> {
        let r = self.next()?;
        self.backup()?;
        Ok(r)
    }

    fn skip(&mut self, pred: fn(char) -> bool) -> Result<(), Fatal> {
        loop {
            let r = self.next()?;
            if pred(r) {
                continue;
            }
            self.backup()?;
            self.ignore();
            return Ok(());
        }
    }

    fn push_error(&mut self, pos: Position, msg: String) {
        self.items.push_back(Item {
            typ: ItemType::Error,
            val: String::new(),
            err: Some(msg),
            pos,
        });
    }

    /// `lx.error`: stops lexing with an error at the current item.
    fn error(&mut self, msg: String) -> Option<State> {
        if self.at_eof {
            return self.error_prev_line(msg);
        }
        let pos = self.get_pos();
        self.push_error(pos, msg);
        None
    }

    /// `lx.errorPrevLine`: the error is placed at the end of the previous line.
    fn error_prev_line(&mut self, msg: String) -> Option<State> {
        let mut pos = self.get_pos();
        pos.line -= 1;
        pos.len = 1;
        pos.start = self.pos as i64 - 1;
        self.push_error(pos, msg);
        None
    }

    fn error_pos(&mut self, start: i64, len: i64, msg: String) -> Option<State> {
        let mut pos = self.get_pos();
        pos.start = start;
        pos.len = len;
        self.push_error(pos, msg);
        None
    }

    /// `lx.errorf`.
    fn errorf(&mut self, msg: String) -> Option<State> {
        if self.at_eof {
            let mut pos = self.get_pos();
            if self.pos >= 1 && self.input[self.pos - 1] == b'\n' {
                pos.line -= 1;
            }
            pos.len = 1;
            pos.start = self.pos as i64 - 1;
            self.push_error(pos, msg);
            return None;
        }
        let pos = self.get_pos();
        self.push_error(pos, msg);
        None
    }

    /// Where an array element or an inline table's key/value pair may
    /// start: blank space, newlines and comments are skipped, a comma is an
    /// error, the closing bracket ends the container (`lexArrayValue`,
    /// `lexInlineTableValue`).
    fn lex_element_start(&mut self, c: Container) -> Step {
        let r = self.next()?;
        if is_whitespace(r) || is_nl(r) {
            self.ignore();
            return Ok(Some(c.element_start()));
        }
        match r {
            '#' => {
                self.push(c.element_start());
                Ok(Some(State::CommentStart))
            }
            ',' => Ok(self.errorf("unexpected comma".to_string())),
            r if r == c.close() => Ok(Some(c.end())),
            _ => {
                self.backup()?;
                self.push(c.element_end());
                Ok(Some(c.element()))
            }
        }
    }

    /// After an element: a comma leads to the next one, the closing bracket
    /// ends the container (`lexArrayValueEnd`, `lexInlineTableValueEnd`; an
    /// inline table allows a trailing comma, as BurntSushi/toml does).
    fn lex_element_end(&mut self, c: Container) -> Step {
        let r = self.next()?;
        if is_whitespace(r) || is_nl(r) {
            self.ignore();
            return Ok(Some(c.element_end()));
        }
        match r {
            '#' => {
                self.push(c.element_end());
                Ok(Some(State::CommentStart))
            }
            ',' => {
                self.ignore();
                if c == Container::InlineTable {
                    self.skip(is_whitespace)?;
                    if self.peek()? == '}' {
                        return Ok(Some(c.element_end()));
                    }
                }
                Ok(Some(c.element_start()))
            }
            r if r == c.close() => Ok(Some(c.end())),
            _ => Ok(self.errorf(match c {
                Container::Array => format!(
                    "expected a comma (',') or array terminator (']'), but got {}",
                    rune_or_eof(r)
                ),
                Container::InlineTable => format!(
                    "expected a comma or an inline table terminator '}}', but got {} instead",
                    rune_or_eof(r)
                ),
            })),
        }
    }

    fn step(&mut self, state: State) -> Step {
        use State as S;
        match state {
            S::Top => self.lex_top(),
            S::TopEnd => self.lex_top_end(),
            S::TableStart => {
                if self.peek()? == '[' {
                    self.next()?;
                    self.emit(ItemType::ArrayTableStart)?;
                    self.push(S::ArrayTableEnd);
                } else {
                    self.emit(ItemType::TableStart)?;
                    self.push(S::TableEnd);
                }
                Ok(Some(S::TableNameStart))
            }
            S::TableEnd => {
                self.emit(ItemType::TableEnd)?;
                Ok(Some(S::TopEnd))
            }
            S::ArrayTableEnd => {
                let r = self.next()?;
                if r != ']' {
                    return Ok(self.errorf(format!(
                        "expected end of table array name delimiter ']', but got {} instead",
                        quote_rune(r)
                    )));
                }
                self.emit(ItemType::ArrayTableEnd)?;
                Ok(Some(S::TopEnd))
            }
            S::TableNameStart => self.lex_table_name_start(),
            S::TableNameEnd => {
                self.skip(is_whitespace)?;
                match self.next()? {
                    '.' => {
                        self.ignore();
                        Ok(Some(S::TableNameStart))
                    }
                    ']' => self.pop(),
                    r => Ok(self.errorf(format!(
                        "expected '.' or ']' to end table name, but got {} instead",
                        quote_rune(r)
                    ))),
                }
            }
            S::BareName => {
                let r = self.next()?;
                if is_bare_key_char(r) {
                    return Ok(Some(S::BareName));
                }
                self.backup()?;
                self.emit(ItemType::Text)?;
                self.pop()
            }
            S::QuotedName => match self.next()? {
                '"' => {
                    self.ignore();
                    Ok(Some(S::String))
                }
                '\'' => {
                    self.ignore();
                    Ok(Some(S::RawString))
                }
                r if is_whitespace(r) => {
                    self.ignore();
                    Ok(Some(S::Value))
                }
                EOF => Ok(self.errorf("unexpected EOF; expected value".to_string())),
                r => Ok(self.errorf(format!(
                    "expected value but found {} instead",
                    quote_rune(r)
                ))),
            },
            S::KeyStart => self.lex_key_start(),
            S::KeyNameStart => self.lex_key_name_start(),
            S::KeyEnd => self.lex_key_end(),
            S::Value => self.lex_value(),
            S::ArrayValue => self.lex_element_start(Container::Array),
            S::ArrayValueEnd => self.lex_element_end(Container::Array),
            S::ArrayEnd => {
                self.ignore();
                self.emit(ItemType::ArrayEnd)?;
                self.pop()
            }
            S::InlineTableValue => self.lex_element_start(Container::InlineTable),
            S::InlineTableValueEnd => self.lex_element_end(Container::InlineTable),
            S::InlineTableEnd => {
                self.ignore();
                self.emit(ItemType::InlineTableEnd)?;
                self.pop()
            }
            S::String => self.lex_string(),
            S::MultilineString => self.lex_multiline_string(),
            S::RawString => {
                let r = self.next()?;
                if r == EOF {
                    return Ok(self.errorf("unexpected EOF; expected \"'\"".to_string()));
                }
                if is_nl(r) {
                    return Ok(self.error_prev_line("strings cannot contain newlines".to_string()));
                }
                if r == '\'' {
                    self.backup()?;
                    self.emit(ItemType::RawString)?;
                    self.next()?;
                    self.ignore();
                    return self.pop();
                }
                Ok(Some(S::RawString))
            }
            S::MultilineRawString => self.lex_multiline_raw_string(),
            S::MultilineStringEscape => {
                let r = self.next()?;
                if is_nl(r) {
                    return Ok(Some(S::MultilineString));
                }
                self.backup()?;
                self.push(S::MultilineString);
                self.lex_string_escape()
            }
            S::StringEscape => self.lex_string_escape(),
            S::HexEscape => self.lex_hex_digits(2, "two", 'x'),
            S::ShortUnicodeEscape => self.lex_hex_digits(4, "four", 'u'),
            S::LongUnicodeEscape => self.lex_hex_digits(8, "eight", 'U'),
            S::NumberOrDateStart => {
                if self.next()? == '0' {
                    return Ok(Some(S::BaseNumberOrDate));
                }
                Ok(Some(S::NumberOrDate))
            }
            S::NumberOrDate => {
                let r = self.next()?;
                if is_digit(r) {
                    return Ok(Some(S::NumberOrDate));
                }
                match r {
                    '-' | ':' => Ok(Some(S::Datetime)),
                    '_' => Ok(Some(S::DecimalNumber)),
                    '.' | 'e' | 'E' => Ok(Some(S::Float)),
                    _ => self.finish(ItemType::Integer),
                }
            }
            S::Datetime => {
                let r = self.next()?;
                if is_digit(r) || matches!(r, '-' | ':' | 'T' | 't' | ' ' | '.' | 'Z' | 'z' | '+') {
                    return Ok(Some(S::Datetime));
                }
                self.backup()?;
                self.emit_trim(ItemType::Datetime)?;
                self.pop()
            }
            S::HexInteger => self.lex_based(is_hex, S::HexInteger),
            S::OctalInteger => self.lex_based(is_octal, S::OctalInteger),
            S::BinaryInteger => self.lex_based(is_binary, S::BinaryInteger),
            S::DecimalNumber => {
                let r = self.next()?;
                if is_digit(r) || r == '_' {
                    return Ok(Some(S::DecimalNumber));
                }
                if matches!(r, '.' | 'e' | 'E') {
                    return Ok(Some(S::Float));
                }
                self.finish(ItemType::Integer)
            }
            S::DecimalNumberStart => self.lex_decimal_number_start(),
            S::BaseNumberOrDate => self.lex_base_number_or_date(),
            S::Float => {
                let r = self.next()?;
                if is_digit(r) || matches!(r, '_' | '.' | '-' | '+' | 'e' | 'E') {
                    return Ok(Some(S::Float));
                }
                self.finish(ItemType::Float)
            }
            S::Bool => {
                let mut rs = String::new();
                loop {
                    let r = self.next()?;
                    if !is_letter(r) {
                        self.backup()?;
                        break;
                    }
                    rs.push(r);
                }
                if rs == "true" || rs == "false" {
                    self.emit(ItemType::Bool)?;
                    return self.pop();
                }
                Ok(self.errorf(format!("expected value but found {} instead", quote(&rs))))
            }
            S::CommentStart => {
                self.ignore();
                self.emit(ItemType::CommentStart)?;
                Ok(Some(S::Comment))
            }
            S::Comment => {
                let r = self.next()?;
                if is_nl(r) || r == EOF {
                    self.backup()?;
                    self.emit(ItemType::Text)?;
                    return self.pop();
                }
                Ok(Some(S::Comment))
            }
        }
    }

    /// Backs up over the rune that ended a number and emits it.
    fn finish(&mut self, typ: ItemType) -> Step {
        self.backup()?;
        self.emit(typ)?;
        self.pop()
    }

    fn lex_based(&mut self, digit: fn(char) -> bool, again: State) -> Step {
        let r = self.next()?;
        if digit(r) || r == '_' {
            return Ok(Some(again));
        }
        self.finish(ItemType::Integer)
    }

    fn lex_top(&mut self) -> Step {
        let r = self.next()?;
        if is_whitespace(r) || is_nl(r) {
            self.ignore();
            return Ok(Some(State::Top));
        }
        match r {
            '#' => {
                self.push(State::Top);
                Ok(Some(State::CommentStart))
            }
            '[' => Ok(Some(State::TableStart)),
            EOF => {
                if self.pos > self.start {
                    return Ok(self.errorf("unexpected EOF".to_string()));
                }
                self.emit(ItemType::Eof)?;
                Ok(None)
            }
            _ => {
                self.backup()?;
                self.push(State::TopEnd);
                Ok(Some(State::KeyStart))
            }
        }
    }

    fn lex_top_end(&mut self) -> Step {
        let r = self.next()?;
        if r == '#' {
            self.push(State::Top);
            return Ok(Some(State::CommentStart));
        }
        if is_whitespace(r) {
            return Ok(Some(State::TopEnd));
        }
        if is_nl(r) {
            self.ignore();
            return Ok(Some(State::Top));
        }
        if r == EOF {
            self.emit(ItemType::Eof)?;
            return Ok(None);
        }
        Ok(self.errorf(format!(
            "expected a top-level item to end with a newline, comment, or EOF, but got {} instead",
            quote_rune(r)
        )))
    }

    fn lex_table_name_start(&mut self) -> Step {
        self.skip(is_whitespace)?;
        match self.peek()? {
            ']' | EOF => Ok(self
                .errorf("unexpected end of table name (table names cannot be empty)".to_string())),
            '.' => {
                Ok(self
                    .errorf("unexpected table separator (table names cannot be empty)".to_string()))
            }
            '"' | '\'' => {
                self.ignore();
                self.push(State::TableNameEnd);
                Ok(Some(State::QuotedName))
            }
            _ => {
                self.push(State::TableNameEnd);
                Ok(Some(State::BareName))
            }
        }
    }

    fn lex_key_start(&mut self) -> Step {
        self.skip(is_whitespace)?;
        match self.peek()? {
            '=' | EOF => Ok(self.errorf("unexpected '=': key name appears blank".to_string())),
            '.' => Ok(self.errorf("unexpected '.': keys cannot start with a '.'".to_string())),
            r => {
                if r == '"' || r == '\'' {
                    self.ignore();
                }
                self.emit(ItemType::KeyStart)?;
                Ok(Some(State::KeyNameStart))
            }
        }
    }

    fn lex_key_name_start(&mut self) -> Step {
        self.skip(is_whitespace)?;
        match self.peek()? {
            '"' | '\'' => {
                self.ignore();
                self.push(State::KeyEnd);
                Ok(Some(State::QuotedName))
            }
            '=' | EOF => Ok(self.errorf("unexpected '='".to_string())),
            '.' => Ok(self.errorf("unexpected '.'".to_string())),
            _ => {
                self.push(State::KeyEnd);
                Ok(Some(State::BareName))
            }
        }
    }

    fn lex_key_end(&mut self) -> Step {
        self.skip(is_whitespace)?;
        let r = self.next()?;
        if is_whitespace(r) {
            self.ignore();
            return Ok(Some(State::KeyEnd));
        }
        match r {
            EOF => Ok(self.errorf("unexpected EOF; expected key separator '='".to_string())),
            '.' => {
                self.ignore();
                Ok(Some(State::KeyNameStart))
            }
            '=' => {
                self.emit(ItemType::KeyEnd)?;
                self.ignore();
                Ok(Some(State::Value))
            }
            _ => {
                let msg = format!("expected '.' or '=', but got {} instead", quote_rune(r));
                if r == '\n' {
                    return Ok(self.error_prev_line(msg));
                }
                Ok(self.errorf(msg))
            }
        }
    }

    fn lex_value(&mut self) -> Step {
        let r = self.next()?;
        if is_whitespace(r) {
            self.ignore();
            return Ok(Some(State::Value));
        }
        if is_digit(r) {
            self.backup()?;
            return Ok(Some(State::NumberOrDateStart));
        }
        match r {
            '[' => {
                self.ignore();
                self.emit(ItemType::Array)?;
                return Ok(Some(State::ArrayValue));
            }
            '{' => {
                self.ignore();
                self.emit(ItemType::InlineTableStart)?;
                return Ok(Some(State::InlineTableValue));
            }
            '"' => {
                if self.accept('"')? {
                    if self.accept('"')? {
                        self.ignore();
                        return Ok(Some(State::MultilineString));
                    }
                    self.backup()?;
                }
                self.ignore();
                return Ok(Some(State::String));
            }
            '\'' => {
                if self.accept('\'')? {
                    if self.accept('\'')? {
                        self.ignore();
                        return Ok(Some(State::MultilineRawString));
                    }
                    self.backup()?;
                }
                self.ignore();
                return Ok(Some(State::RawString));
            }
            '.' => {
                return Ok(self.errorf("floats must start with a digit, not '.'".to_string()));
            }
            'i' | 'n' => {
                let inf = self.accept('n')? && self.accept('f')?;
                if inf || (self.accept('a')? && self.accept('n')?) {
                    self.emit(ItemType::Float)?;
                    return self.pop();
                }
            }
            '-' | '+' => return Ok(Some(State::DecimalNumberStart)),
            _ => {}
        }
        if is_letter(r) {
            self.backup()?;
            return Ok(Some(State::Bool));
        }
        if r == EOF {
            return Ok(self.errorf("unexpected EOF; expected value".to_string()));
        }
        let msg = format!("expected value but found {} instead", quote_rune(r));
        if r == '\n' {
            return Ok(self.error_prev_line(msg));
        }
        Ok(self.errorf(msg))
    }

    fn lex_string(&mut self) -> Step {
        let r = self.next()?;
        if r == EOF {
            return Ok(self.errorf("unexpected EOF; expected '\"'".to_string()));
        }
        if is_nl(r) {
            return Ok(self.error_prev_line("strings cannot contain newlines".to_string()));
        }
        match r {
            '\\' => {
                self.push(State::String);
                Ok(Some(State::StringEscape))
            }
            '"' => {
                self.backup()?;
                if self.esc {
                    self.esc = false;
                    self.emit(ItemType::StringEsc)?;
                } else {
                    self.emit(ItemType::String)?;
                }
                self.next()?;
                self.ignore();
                self.pop()
            }
            _ => Ok(Some(State::String)),
        }
    }

    fn lex_multiline_string(&mut self) -> Step {
        match self.next()? {
            EOF => Ok(self.errorf("unexpected EOF; expected '\"\"\"'".to_string())),
            '\\' => Ok(Some(State::MultilineStringEscape)),
            '"' => {
                if self.accept('"')? {
                    if self.accept('"')? {
                        if self.peek()? == '"' {
                            let cur = self.current()?;
                            if cur.ends_with("\"\"\"\"\"") && !cur.ends_with("\\\"\"\"\"\"") {
                                return Ok(self.errorf("unexpected '\"\"\"\"\"\"'".to_string()));
                            }
                            self.backup()?;
                            self.backup()?;
                            return Ok(Some(State::MultilineString));
                        }
                        self.backup()?;
                        self.backup()?;
                        self.backup()?;
                        self.esc = false;
                        self.emit(ItemType::MultilineString)?;
                        self.next()?;
                        self.next()?;
                        self.next()?;
                        self.ignore();
                        return self.pop();
                    }
                    self.backup()?;
                }
                Ok(Some(State::MultilineString))
            }
            _ => Ok(Some(State::MultilineString)),
        }
    }

    fn lex_multiline_raw_string(&mut self) -> Step {
        match self.next()? {
            EOF => Ok(self.errorf("unexpected EOF; expected \"'''\"".to_string())),
            '\'' => {
                if self.accept('\'')? {
                    if self.accept('\'')? {
                        if self.peek()? == '\'' {
                            if self.current()?.ends_with("'''''") {
                                return Ok(self.errorf("unexpected \"''''''\"".to_string()));
                            }
                            self.backup()?;
                            self.backup()?;
                            return Ok(Some(State::MultilineRawString));
                        }
                        self.backup()?;
                        self.backup()?;
                        self.backup()?;
                        self.emit(ItemType::RawMultilineString)?;
                        self.next()?;
                        self.next()?;
                        self.next()?;
                        self.ignore();
                        return self.pop();
                    }
                    self.backup()?;
                }
                Ok(Some(State::MultilineRawString))
            }
            _ => Ok(Some(State::MultilineRawString)),
        }
    }

    fn lex_string_escape(&mut self) -> Step {
        self.esc = true;
        let r = self.next()?;
        match r {
            'e' | 'b' | 't' | 'n' | 'f' | 'r' | '"' | ' ' | '\t' | '\\' => self.pop(),
            'x' => Ok(Some(State::HexEscape)),
            'u' => Ok(Some(State::ShortUnicodeEscape)),
            'U' => Ok(Some(State::LongUnicodeEscape)),
            _ => Ok(self.error(format!("invalid escape in string '\\{}'", char_text(r)))),
        }
    }

    fn lex_hex_digits(&mut self, n: usize, count: &str, letter: char) -> Step {
        for _ in 0..n {
            let r = self.next()?;
            if !is_hex(r) {
                let cur = self.current()?;
                return Ok(self.errorf(format!(
                    "expected {count} hexadecimal digits after '\\{letter}', but got {} instead",
                    quote(&cur)
                )));
            }
        }
        self.pop()
    }

    fn lex_decimal_number_start(&mut self) -> Step {
        let r = self.next()?;
        match r {
            'i' => {
                if !self.accept('n')? || !self.accept('f')? {
                    let cur = self.current()?;
                    return Ok(self.errorf(format!("invalid float: '{cur}'")));
                }
                self.emit(ItemType::Float)?;
                return self.pop();
            }
            'n' => {
                if !self.accept('a')? || !self.accept('n')? {
                    let cur = self.current()?;
                    return Ok(self.errorf(format!("invalid float: '{cur}'")));
                }
                self.emit(ItemType::Float)?;
                return self.pop();
            }
            '0' => {
                let p = self.peek()?;
                if matches!(p, 'b' | 'o' | 'x') {
                    let cur = self.current()?;
                    return Ok(self.errorf(format!(
                        "cannot use sign with non-decimal numbers: '{cur}{p}'"
                    )));
                }
            }
            '.' => {
                return Ok(self.errorf("floats must start with a digit, not '.'".to_string()));
            }
            _ => {}
        }
        if is_digit(r) {
            return Ok(Some(State::DecimalNumber));
        }
        Ok(self.errorf(format!("expected a digit but got {}", quote_rune(r))))
    }

    fn lex_base_number_or_date(&mut self) -> Step {
        let r = self.next()?;
        if is_digit(r) {
            return Ok(Some(State::NumberOrDate));
        }
        let based = |this: &mut Self, ok: fn(char) -> bool, what: &str, next: State| -> Step {
            let p = this.peek()?;
            if !ok(p) {
                // Go reports the error and keeps lexing.
                let cur = this.current()?;
                this.errorf(format!("not {what} number: '{cur}{}'", char_text(p)));
            }
            Ok(Some(next))
        };
        match r {
            '_' => Ok(Some(State::DecimalNumber)),
            '.' | 'e' | 'E' => Ok(Some(State::Float)),
            'b' => based(self, is_binary, "a binary", State::BinaryInteger),
            'o' => based(self, is_octal, "an octal", State::OctalInteger),
            'x' => based(self, is_hex, "a hexadecimal", State::HexInteger),
            _ => self.finish(ItemType::Integer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(input: &str) -> Vec<(ItemType, String)> {
        let mut lx = Lexer::new(input.as_bytes());
        let mut out = Vec::new();
        loop {
            let it = lx.next_item().expect("no lexer bug");
            let done = matches!(it.typ, ItemType::Eof | ItemType::Error);
            out.push((it.typ, it.err.unwrap_or(it.val)));
            if done {
                return out;
            }
        }
    }

    #[test]
    fn lexes_keys_values_and_tables() {
        use ItemType as T;
        assert_eq!(
            items("a = 1\n[t]\nb = \"x\""),
            vec![
                (T::KeyStart, String::new()),
                (T::Text, "a".into()),
                (T::KeyEnd, "=".into()),
                (T::Integer, "1".into()),
                (T::TableStart, "[".into()),
                (T::Text, "t".into()),
                (T::TableEnd, "]".into()),
                (T::KeyStart, String::new()),
                (T::Text, "b".into()),
                (T::KeyEnd, "=".into()),
                (T::String, "x".into()),
                (T::Eof, String::new()),
            ]
        );
    }

    #[test]
    fn reports_errors_with_go_texts() {
        let last = |s: &str| items(s).pop().unwrap().1;
        assert_eq!(last("one"), "unexpected EOF; expected key separator '='");
        assert_eq!(last("a = inx"), "expected value but found \"nx\" instead");
        assert_eq!(last("a = \"\\q\""), "invalid escape in string '\\q'");
        assert_eq!(
            last("a = \u{1}"),
            "TOML files cannot contain control characters: '0x01'"
        );
    }
}
