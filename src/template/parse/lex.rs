//! The template lexer, mirroring Go's `text/template/parse/lex.go`: the same
//! tokens, the same trim-marker rules (`{{- ` and ` -}}`), the same line
//! counting and the same error texts. It is pull-based: the parser asks for
//! one item at a time, and no thread or channel is involved.

use super::node::Pos;

/// The kind of a lexical item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemType {
    Error,
    Bool,
    /// A printable ASCII character inside an action, such as `,`.
    Char,
    CharConstant,
    Comment,
    Complex,
    /// `=`
    Assign,
    /// `:=`
    Declare,
    Eof,
    /// `.Name`
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    /// `$name`
    Variable,
    // Keywords.
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

impl ItemType {
    fn is_keyword(self) -> bool {
        matches!(
            self,
            ItemType::Block
                | ItemType::Break
                | ItemType::Continue
                | ItemType::Dot
                | ItemType::Define
                | ItemType::Else
                | ItemType::End
                | ItemType::If
                | ItemType::Nil
                | ItemType::Range
                | ItemType::Template
                | ItemType::With
        )
    }
}

fn keyword(word: &str) -> Option<ItemType> {
    Some(match word {
        "." => ItemType::Dot,
        "block" => ItemType::Block,
        "break" => ItemType::Break,
        "continue" => ItemType::Continue,
        "define" => ItemType::Define,
        "else" => ItemType::Else,
        "end" => ItemType::End,
        "if" => ItemType::If,
        "range" => ItemType::Range,
        "nil" => ItemType::Nil,
        "template" => ItemType::Template,
        "with" => ItemType::With,
        _ => return None,
    })
}

/// One token with its byte offset and the line it starts on; its text is
/// borrowed from the template text. An error item's text is empty: the
/// message is the lexer's ([`Lexer::error_message`]), so that items are
/// plain copies as the parser passes them around.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Item<'a> {
    pub typ: ItemType,
    pub pos: Pos,
    pub val: &'a str,
    /// The line the item starts on (from 1), or [`LINE_AT_END`].
    pub line: usize,
}

/// The line of an EOF item that follows text: the lexer does not count the
/// newlines of the last text, as only a parse error at the end of the input
/// needs them (a `tpl` of a long file would count every newline of it).
/// [`Lexer::line_at_end`] gives the line it stands for.
pub const LINE_AT_END: usize = 0;

impl std::fmt::Display for Item<'_> {
    /// The form Go's parser uses in "unexpected …" messages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.typ {
            ItemType::Eof => f.write_str("EOF"),
            t if t.is_keyword() => write!(f, "<{}>", self.val),
            _ if self.val.chars().count() > 10 => {
                let head: String = self.val.chars().take(10).collect();
                write!(f, "{}...", crate::template::strconv::quote(&head))
            }
            _ => f.write_str(&crate::template::strconv::quote(self.val)),
        }
    }
}

/// Lexer options the parser sets.
#[derive(Clone, Copy, Debug, Default)]
pub struct LexOptions {
    /// Emit comment items (Go's `ParseComments` mode).
    pub emit_comment: bool,
    /// `break` is a keyword (no function of that name exists).
    pub break_ok: bool,
    /// `continue` is a keyword.
    pub continue_ok: bool,
}

const LEFT_COMMENT: &str = "/*";
const RIGHT_COMMENT: &str = "*/";
const TRIM_MARKER_LEN: usize = 2;

#[derive(Clone, Copy)]
enum State {
    Text,
    LeftDelim,
    Comment,
    RightDelim,
    InsideAction,
    Space,
    Identifier,
    Field,
    Variable,
    Char,
    Number,
    Quote,
    RawQuote,
}

/// Go's `isSpace`: space, tab, carriage return and newline.
fn is_space(c: Option<char>) -> bool {
    matches!(c, Some(' ' | '\t' | '\r' | '\n'))
}

/// Go's `isAlphaNumeric`.
fn is_alphanumeric(c: Option<char>) -> bool {
    matches!(c, Some(c) if c == '_' || c.is_alphabetic() || is_go_digit(c))
}

/// Go's `unicode.IsDigit` (category Nd).
fn is_go_digit(c: char) -> bool {
    c.is_ascii_digit()
        || (!c.is_ascii() && c.is_numeric() && c.to_digit(10).is_none() && is_decimal_digit(c))
}

fn is_decimal_digit(c: char) -> bool {
    // Rust has no category test; Nd characters are exactly those with a
    // numeric value in a run of ten. Approximate with the common blocks.
    let cp = c as u32;
    let starts = [
        0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
        0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0,
        0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0,
        0xAA50, 0xABF0, 0xFF10,
    ];
    starts.iter().any(|&s| cp >= s && cp < s + 10)
}

/// Go's `%#U` of a rune: `U+0023 '#'`.
fn rune_display(c: Option<char>) -> String {
    match c {
        None => "U+FFFFFFFFFFFFFFFF".to_string(),
        Some(c) if crate::template::strconv::is_print(c) => format!("U+{:04X} '{}'", c as u32, c),
        Some(c) => format!("U+{:04X}", c as u32),
    }
}

/// The offset of the first `delim` in `hay` (`str::find` without building
/// a searcher for each of the many short searches: candidates are found
/// by `memchr`, which matters for long texts such as `tpl` configs).
fn find(hay: &str, delim: &str) -> Option<usize> {
    let first = *delim.as_bytes().first()?;
    let bytes = hay.as_bytes();
    let mut at = 0;
    while let Some(i) = memchr::memchr(first, &bytes[at..]) {
        if bytes[at + i..].starts_with(delim.as_bytes()) {
            return Some(at + i);
        }
        at += i + 1;
    }
    None
}

/// The number of newlines in `s` (a newline byte is always a newline in
/// UTF-8), counted in fixed blocks the compiler turns into vector code.
fn count_newlines(s: &str) -> usize {
    const BLOCK: usize = 64;
    let mut blocks = s.as_bytes().chunks_exact(BLOCK);
    let mut count = 0;
    for block in &mut blocks {
        // At most 64 per block: a byte counter cannot overflow.
        let in_block = block.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n'));
        count += usize::from(in_block);
    }
    count + blocks.remainder().iter().filter(|&&b| b == b'\n').count()
}

/// Number of bytes of trailing white space in `s`.
fn right_trim_length(s: &str) -> usize {
    s.len() - s.trim_end_matches([' ', '\t', '\r', '\n']).len()
}

/// Number of bytes of leading white space in `s`.
fn left_trim_length(s: &str) -> usize {
    s.len() - s.trim_start_matches([' ', '\t', '\r', '\n']).len()
}

fn has_left_trim_marker(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0] == b'-' && is_space(Some(b[1] as char))
}

fn has_right_trim_marker(b: &[u8]) -> bool {
    b.len() >= 2 && matches!(b[0], b' ' | b'\t' | b'\r' | b'\n') && b[1] == b'-'
}

/// `hay.starts_with(needle)` byte by byte: delimiters are a couple of
/// bytes, and a call to `memcmp` for each test costs more than the test.
#[inline]
fn starts_with(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len() && hay.iter().zip(needle).all(|(a, b)| a == b)
}

/// The lexer state for one template text.
pub struct Lexer<'a> {
    input: &'a str,
    left_delim: String,
    right_delim: String,
    pos: usize,
    start: usize,
    /// Whether the last item was an error: from then on, only EOF.
    done: bool,
    paren_depth: usize,
    line: usize,
    start_line: usize,
    /// Where the last text began once it was emitted without counting its
    /// newlines (see [`LINE_AT_END`]); the end of the input before.
    uncounted_from: usize,
    inside_action: bool,
    options: LexOptions,
    item: Option<Item<'a>>,
    /// The message of the error item, once there is one.
    error: String,
}

impl<'a> Lexer<'a> {
    /// A lexer over `input`; empty delimiters mean the defaults `{{` and `}}`.
    pub fn new(input: &'a str, left: &str, right: &str, options: LexOptions) -> Self {
        Lexer {
            input,
            left_delim: if left.is_empty() {
                "{{".into()
            } else {
                left.into()
            },
            right_delim: if right.is_empty() {
                "}}".into()
            } else {
                right.into()
            },
            pos: 0,
            start: 0,
            done: false,
            paren_depth: 0,
            line: 1,
            start_line: 1,
            uncounted_from: input.len(),
            inside_action: false,
            options,
            item: None,
            error: String::new(),
        }
    }

    /// The next item; after EOF or an error, EOF forever.
    pub fn next_item(&mut self) -> Item<'a> {
        self.item = None;
        if self.done {
            return Item {
                typ: ItemType::Eof,
                pos: self.pos,
                val: "EOF",
                line: self.start_line,
            };
        }
        let mut state = if self.inside_action {
            State::InsideAction
        } else {
            State::Text
        };
        loop {
            match self.step(state) {
                Some(next) => state = next,
                None => {
                    return self.item.take().unwrap_or(Item {
                        typ: ItemType::Eof,
                        pos: self.pos,
                        val: "EOF",
                        line: self.start_line,
                    });
                }
            }
        }
    }

    /// The line an EOF item marked [`LINE_AT_END`] stands for: the line
    /// the last text started on, plus the newlines in it.
    pub fn line_at_end(&self) -> usize {
        self.line + count_newlines(&self.input[self.uncounted_from..])
    }

    /// The message of the error item, once the lexer has emitted one.
    pub fn error_message(&self) -> &str {
        &self.error
    }

    fn rest(&self) -> &'a str {
        &self.input[self.pos..]
    }

    #[inline]
    fn next(&mut self) -> Option<char> {
        let b = *self.input.as_bytes().get(self.pos)?;
        if b.is_ascii() {
            self.pos += 1;
            if b == b'\n' {
                self.line += 1;
            }
            return Some(char::from(b));
        }
        let c = self.rest().chars().next()?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    #[inline]
    fn peek(&self) -> Option<char> {
        match self.input.as_bytes().get(self.pos) {
            Some(&b) if b.is_ascii() => Some(char::from(b)),
            _ => self.rest().chars().next(),
        }
    }

    /// Skips ASCII letters, digits and underscores (part of what
    /// `isAlphaNumeric` accepts; none is a newline).
    #[inline]
    fn skip_ascii_word(&mut self) {
        let rest = &self.input.as_bytes()[self.pos..];
        self.pos += rest
            .iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_'))
            .unwrap_or(rest.len());
    }

    /// Steps back over the character just read (at most once per `next`).
    fn backup(&mut self, c: Option<char>) {
        if let Some(c) = c {
            self.pos -= c.len_utf8();
            if c == '\n' {
                self.line -= 1;
            }
        }
    }

    fn this_item(&mut self, typ: ItemType) -> Item<'a> {
        let item = Item {
            typ,
            pos: self.start,
            val: &self.input[self.start..self.pos],
            line: self.start_line,
        };
        self.start = self.pos;
        self.start_line = self.line;
        item
    }

    /// Emits an item and pauses the state machine (returns no next state).
    fn emit(&mut self, typ: ItemType) -> Option<State> {
        let item = self.this_item(typ);
        self.emit_item(item)
    }

    fn emit_item(&mut self, item: Item<'a>) -> Option<State> {
        self.item = Some(item);
        None
    }

    fn ignore(&mut self) {
        self.line += count_newlines(&self.input[self.start..self.pos]);
        self.start = self.pos;
        self.start_line = self.line;
    }

    fn accept(&mut self, valid: &str) -> bool {
        match self.peek() {
            Some(c) if valid.contains(c) => {
                self.next();
                true
            }
            _ => false,
        }
    }

    fn accept_run(&mut self, valid: &str) {
        while self.accept(valid) {}
    }

    fn errorf(&mut self, message: String) -> Option<State> {
        self.item = Some(Item {
            typ: ItemType::Error,
            pos: self.start,
            val: "",
            line: self.start_line,
        });
        self.error = message;
        self.done = true;
        self.start = 0;
        self.pos = 0;
        self.input = "";
        None
    }

    /// Whether the input is at a right delimiter, and whether it is trim-marked.
    #[inline]
    fn at_right_delim(&self) -> (bool, bool) {
        // Most calls are at neither a trim marker (which starts with a
        // space) nor the (never empty) delimiter: one byte tells.
        match self.input.as_bytes().get(self.pos) {
            Some(b' ' | b'\t' | b'\r' | b'\n') => {}
            Some(&b) if b == self.right_delim.as_bytes()[0] => {}
            _ => return (false, false),
        }
        self.at_right_delim_here()
    }

    fn at_right_delim_here(&self) -> (bool, bool) {
        let rest = &self.input.as_bytes()[self.pos..];
        let delim = self.right_delim.as_bytes();
        if has_right_trim_marker(rest) && starts_with(&rest[TRIM_MARKER_LEN..], delim) {
            return (true, true);
        }
        (starts_with(rest, delim), false)
    }

    /// Go's `atTerminator`: what may follow an identifier, field or variable.
    fn at_terminator(&self) -> bool {
        let c = self.peek();
        if is_space(c) {
            return true;
        }
        match c {
            None | Some('.' | ',' | '|' | ':' | ')' | '(') => true,
            _ => starts_with(
                &self.input.as_bytes()[self.pos..],
                self.right_delim.as_bytes(),
            ),
        }
    }

    fn step(&mut self, state: State) -> Option<State> {
        match state {
            State::Text => self.lex_text(),
            State::LeftDelim => self.lex_left_delim(),
            State::Comment => self.lex_comment(),
            State::RightDelim => self.lex_right_delim(),
            State::InsideAction => self.lex_inside_action(),
            State::Space => self.lex_space(),
            State::Identifier => self.lex_identifier(),
            State::Field => self.lex_field_or_variable(ItemType::Field),
            State::Variable => self.lex_field_or_variable(ItemType::Variable),
            State::Char => self.lex_char(),
            State::Number => self.lex_number(),
            State::Quote => self.lex_quote(),
            State::RawQuote => self.lex_raw_quote(),
        }
    }

    fn lex_text(&mut self) -> Option<State> {
        if let Some(x) = find(self.rest(), &self.left_delim) {
            if x > 0 {
                self.pos += x;
                let delim_end = self.pos + self.left_delim.len();
                let trim = if has_left_trim_marker(&self.input[delim_end..]) {
                    right_trim_length(&self.input[self.start..self.pos])
                } else {
                    0
                };
                self.pos -= trim;
                self.line += count_newlines(&self.input[self.start..self.pos]);
                let item = self.this_item(ItemType::Text);
                self.pos += trim;
                self.ignore();
                if !item.val.is_empty() {
                    // The next call finds the delimiter at offset 0.
                    return self.emit_item(item);
                }
            }
            return Some(State::LeftDelim);
        }
        self.pos = self.input.len();
        if self.pos > self.start {
            // Only the EOF item comes after the last text: its newlines
            // are counted if an error needs them (see `LINE_AT_END`).
            let item = self.this_item(ItemType::Text);
            self.uncounted_from = item.pos;
            self.start_line = LINE_AT_END;
            return self.emit_item(item);
        }
        self.emit(ItemType::Eof)
    }

    fn lex_left_delim(&mut self) -> Option<State> {
        self.pos += self.left_delim.len();
        let trim_space = has_left_trim_marker(self.rest());
        let after_marker = if trim_space { TRIM_MARKER_LEN } else { 0 };
        if self.input[self.pos + after_marker..].starts_with(LEFT_COMMENT) {
            self.pos += after_marker;
            self.ignore();
            return Some(State::Comment);
        }
        let item = self.this_item(ItemType::LeftDelim);
        self.inside_action = true;
        self.pos += after_marker;
        self.ignore();
        self.paren_depth = 0;
        self.emit_item(item)
    }

    fn lex_comment(&mut self) -> Option<State> {
        self.pos += LEFT_COMMENT.len();
        let Some(x) = self.rest().find(RIGHT_COMMENT) else {
            return self.errorf("unclosed comment".into());
        };
        self.pos += x + RIGHT_COMMENT.len();
        let (delim, trim_space) = self.at_right_delim();
        if !delim {
            return self.errorf("comment ends before closing delimiter".into());
        }
        // The comment's own newlines count toward the lines after it.
        self.line += count_newlines(&self.input[self.start..self.pos]);
        let item = self.this_item(ItemType::Comment);
        if trim_space {
            self.pos += TRIM_MARKER_LEN;
        }
        self.pos += self.right_delim.len();
        if trim_space {
            self.pos += left_trim_length(self.rest());
        }
        self.ignore();
        if self.options.emit_comment {
            return self.emit_item(item);
        }
        Some(State::Text)
    }

    fn lex_right_delim(&mut self) -> Option<State> {
        let (_, trim_space) = self.at_right_delim();
        if trim_space {
            self.pos += TRIM_MARKER_LEN;
            self.ignore();
        }
        self.pos += self.right_delim.len();
        let item = self.this_item(ItemType::RightDelim);
        if trim_space {
            self.pos += left_trim_length(self.rest());
            self.ignore();
        }
        self.inside_action = false;
        self.emit_item(item)
    }

    fn lex_inside_action(&mut self) -> Option<State> {
        let (delim, _) = self.at_right_delim();
        if delim {
            if self.paren_depth == 0 {
                return Some(State::RightDelim);
            }
            return self.errorf("unclosed left paren".into());
        }
        let c = self.next();
        match c {
            None => self.errorf("unclosed action".into()),
            c if is_space(c) => {
                // Put the space back in case it starts " -}}".
                self.backup(c);
                Some(State::Space)
            }
            Some('=') => self.emit(ItemType::Assign),
            Some(':') => {
                if self.next() != Some('=') {
                    return self.errorf("expected :=".into());
                }
                self.emit(ItemType::Declare)
            }
            Some('|') => self.emit(ItemType::Pipe),
            Some('"') => Some(State::Quote),
            Some('`') => Some(State::RawQuote),
            Some('$') => Some(State::Variable),
            Some('\'') => Some(State::Char),
            Some('.') if !matches!(self.rest().as_bytes().first(), Some(b'0'..=b'9')) => {
                // ".field", or "." alone.
                Some(State::Field)
            }
            Some('.' | '+' | '-' | '0'..='9') => {
                self.backup(c);
                Some(State::Number)
            }
            c if is_alphanumeric(c) => {
                self.backup(c);
                Some(State::Identifier)
            }
            Some('(') => {
                self.paren_depth += 1;
                self.emit(ItemType::LeftParen)
            }
            Some(')') => {
                if self.paren_depth == 0 {
                    return self.errorf("unexpected right paren".into());
                }
                self.paren_depth -= 1;
                self.emit(ItemType::RightParen)
            }
            Some(c) if c.is_ascii() && crate::template::strconv::is_print(c) => {
                self.emit(ItemType::Char)
            }
            c => self.errorf(format!(
                "unrecognized character in action: {}",
                rune_display(c)
            )),
        }
    }

    fn lex_space(&mut self) -> Option<State> {
        let mut num_spaces = 0;
        while is_space(self.peek()) {
            self.next();
            num_spaces += 1;
        }
        // A space may begin a trim-marked right delimiter " -}}".
        let before = &self.input.as_bytes()[self.pos - 1..];
        if has_right_trim_marker(before)
            && starts_with(&before[TRIM_MARKER_LEN..], self.right_delim.as_bytes())
        {
            let space = self.input[..self.pos].chars().next_back();
            self.backup(space);
            if num_spaces == 1 {
                return Some(State::RightDelim);
            }
        }
        self.emit(ItemType::Space)
    }

    fn lex_identifier(&mut self) -> Option<State> {
        self.skip_ascii_word();
        loop {
            let c = self.next();
            if is_alphanumeric(c) {
                continue;
            }
            self.backup(c);
            let word = &self.input[self.start..self.pos];
            if !self.at_terminator() {
                return self.errorf(format!("bad character {}", rune_display(c)));
            }
            let typ = match keyword(word) {
                Some(ItemType::Break) if !self.options.break_ok => ItemType::Identifier,
                Some(ItemType::Continue) if !self.options.continue_ok => ItemType::Identifier,
                Some(k) => k,
                None if word.starts_with('.') => ItemType::Field,
                None if word == "true" || word == "false" => ItemType::Bool,
                None => ItemType::Identifier,
            };
            return self.emit(typ);
        }
    }

    /// A field (`.Name`) or variable (`$name`); the `.` or `$` is already read.
    fn lex_field_or_variable(&mut self, typ: ItemType) -> Option<State> {
        if self.at_terminator() {
            // Nothing interesting follows: "." or "$".
            return self.emit(if typ == ItemType::Variable {
                ItemType::Variable
            } else {
                ItemType::Dot
            });
        }
        let mut c;
        self.skip_ascii_word();
        loop {
            c = self.next();
            if !is_alphanumeric(c) {
                self.backup(c);
                break;
            }
        }
        if !self.at_terminator() {
            return self.errorf(format!("bad character {}", rune_display(c)));
        }
        self.emit(typ)
    }

    fn lex_char(&mut self) -> Option<State> {
        loop {
            match self.next() {
                Some('\\') => match self.next() {
                    None | Some('\n') => {
                        return self.errorf("unterminated character constant".into())
                    }
                    Some(_) => {}
                },
                None | Some('\n') => return self.errorf("unterminated character constant".into()),
                Some('\'') => break,
                Some(_) => {}
            }
        }
        self.emit(ItemType::CharConstant)
    }

    fn lex_number(&mut self) -> Option<State> {
        if !self.scan_number() {
            let text = self.input[self.start..self.pos].to_string();
            return self.errorf(format!(
                "bad number syntax: {}",
                crate::template::strconv::quote(&text)
            ));
        }
        if matches!(self.peek(), Some('+' | '-')) {
            // A complex number such as 1+2i: no spaces, ends in 'i'.
            if !self.scan_number() || !self.input[..self.pos].ends_with('i') {
                let text = self.input[self.start..self.pos].to_string();
                return self.errorf(format!(
                    "bad number syntax: {}",
                    crate::template::strconv::quote(&text)
                ));
            }
            return self.emit(ItemType::Complex);
        }
        self.emit(ItemType::Number)
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            // A leading 0 does not mean octal in floats.
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if is_alphanumeric(self.peek()) {
            self.next();
            return false;
        }
        true
    }

    fn lex_quote(&mut self) -> Option<State> {
        loop {
            // Characters with no meaning here, at once (no byte of a
            // multi-byte character is one of these).
            let rest = &self.input.as_bytes()[self.pos..];
            self.pos += rest
                .iter()
                .position(|&b| matches!(b, b'\\' | b'"' | b'\n'))
                .unwrap_or(rest.len());
            match self.next() {
                Some('\\') => match self.next() {
                    None | Some('\n') => return self.errorf("unterminated quoted string".into()),
                    Some(_) => {}
                },
                None | Some('\n') => return self.errorf("unterminated quoted string".into()),
                Some('"') => break,
                Some(_) => {}
            }
        }
        self.emit(ItemType::String)
    }

    fn lex_raw_quote(&mut self) -> Option<State> {
        loop {
            match self.next() {
                None => return self.errorf("unterminated raw quoted string".into()),
                Some('`') => break,
                Some(_) => {}
            }
        }
        self.emit(ItemType::RawString)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newlines_and_delimiters_are_found_in_long_texts() {
        let mut rng = crate::test_rng::Xorshift::new(0x5eed_1e55);
        let pieces = ["\n", "{", "{{", "}}", "a", "é", "        ", "{-"];
        for _ in 0..300 {
            let len = rng.below(200);
            let text: String = (0..len).map(|_| pieces[rng.below(pieces.len())]).collect();
            assert_eq!(
                count_newlines(&text),
                text.matches('\n').count(),
                "{text:?}"
            );
            for delim in ["{{", "{", "[[", "{-"] {
                assert_eq!(find(&text, delim), text.find(delim), "{text:?} {delim:?}");
            }
        }
    }

    fn lex_all(input: &str) -> Vec<(ItemType, String)> {
        let options = LexOptions {
            emit_comment: true,
            break_ok: true,
            continue_ok: true,
        };
        let mut lexer = Lexer::new(input, "", "", options);
        let mut items = Vec::new();
        loop {
            let item = lexer.next_item();
            let stop = matches!(item.typ, ItemType::Eof | ItemType::Error);
            let text = if item.typ == ItemType::Error {
                lexer.error_message()
            } else {
                item.val
            };
            items.push((item.typ, text.to_string()));
            if stop {
                return items;
            }
        }
    }

    #[test]
    fn trim_markers_eat_surrounding_space() {
        use ItemType::*;
        let items = lex_all("hello- {{- 3 -}} -world");
        assert_eq!(
            items,
            vec![
                (Text, "hello-".into()),
                (LeftDelim, "{{".into()),
                (Number, "3".into()),
                (RightDelim, "}}".into()),
                (Text, "-world".into()),
                (Eof, "".into()),
            ]
        );
    }

    #[test]
    fn actions_fields_and_variables() {
        use ItemType::*;
        let items = lex_all("{{range $i, $x := .A.b}}{{$x|printf \"%d\"}}{{end}}");
        let types: Vec<ItemType> = items.iter().map(|(t, _)| *t).collect();
        assert_eq!(
            types,
            vec![
                LeftDelim, Range, Space, Variable, Char, Space, Variable, Space, Declare, Space,
                Field, Field, RightDelim, LeftDelim, Variable, Pipe, Identifier, Space, String,
                RightDelim, LeftDelim, End, RightDelim, Eof
            ]
        );
    }

    #[test]
    fn errors_are_go_texts() {
        let last = |input: &str| lex_all(input).last().unwrap().clone();
        assert_eq!(last("{{3k}}").1, "bad number syntax: \"3k\"");
        assert_eq!(last("{{\"abc}}").1, "unterminated quoted string");
        assert_eq!(last("{{/* x").1, "unclosed comment");
        assert_eq!(
            last("{{ \u{1} }}").1,
            "unrecognized character in action: U+0001"
        );
        assert_eq!(last("{{ ) }}").1, "unexpected right paren");
        assert_eq!(last("{{ .A#}}").1, "bad character U+0023 '#'");
        assert_eq!(last("{{ # }}").0, ItemType::Eof);
    }
}
