//! The YAML scanner (tokenizer), behaving like go-yaml v2's `scannerc.go`,
//! itself a port of libyaml 0.1: indentation tracking with BLOCK-END tokens,
//! "simple keys" found by looking back once a `:` appears, and go-yaml's own
//! variations (a `:` always ends a key in flow context, plain scalars in
//! flow context stop at `,?[]{}`, simple-key staleness is only checked for
//! the key at the head of the token queue). Error texts and positions are
//! go-yaml's.

use std::collections::VecDeque;

use super::reader::{Reader, Source};
use super::syntax::{Mark, ScalarStyle, SyntaxError, Token, TokenKind};

/// go-yaml's limits on flow nesting and indentation depth.
const MAX_FLOW_LEVEL: usize = 10000;
const MAX_INDENTS: usize = 10000;

#[derive(Clone, Copy, Debug, Default)]
struct SimpleKey {
    possible: bool,
    required: bool,
    token_number: usize,
    mark: Mark,
}

type Res<T = ()> = Result<T, SyntaxError>;

#[inline]
fn is_break(c: char) -> bool {
    // Printable ASCII, nearly every character of a document, lies between
    // the two groups: two comparisons tell it.
    match c as u32 {
        0..=0x0d => c == '\r' || c == '\n',
        0x0e..=0x84 => false,
        _ => matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}'),
    }
}

#[inline]
fn is_breakz(c: char) -> bool {
    is_break(c) || c == '\0'
}

#[inline]
fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

#[inline]
fn is_blankz(c: char) -> bool {
    is_blank(c) || is_breakz(c)
}

/// How many characters of a plain scalar, from the current one, can be
/// taken at once: up to the first after it that may end the scalar, or up
/// to the last two of the `avail` decoded ones (so that no `cache(2)`
/// between them would decode more). At least one. `at(k)` is the
/// character `k` places ahead, for `k < avail`.
#[inline]
fn plain_run(at: impl Fn(usize) -> char, avail: usize, flow: bool) -> usize {
    let mut n = 1;
    while n + 2 <= avail {
        let c = at(n);
        if is_blankz(c)
            || (c == ':' && is_blankz(at(n + 1)))
            || (flow && matches!(c, ',' | '?' | '[' | ']' | '{' | '}'))
        {
            break;
        }
        n += 1;
    }
    n
}

/// [`plain_run`] where the characters ahead are not all ASCII: they are
/// decoded once, not once per look. Out of line, as it is rarely needed.
#[cold]
#[inline(never)]
fn plain_run_decoded(r: &Reader, avail: usize, flow: bool) -> usize {
    let ahead: Vec<char> = r.chars_ahead().take(avail).collect();
    plain_run(|k| ahead[k], avail, flow)
}

#[inline]
fn is_alpha(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

pub(crate) struct Scanner<'a> {
    r: Reader<'a>,
    mark: Mark,
    tokens: VecDeque<Token>,
    tokens_parsed: usize,
    token_available: bool,
    stream_start_produced: bool,
    stream_end_produced: bool,
    indent: isize,
    indents: Vec<isize>,
    flow_level: usize,
    simple_key_allowed: bool,
    simple_keys: Vec<SimpleKey>,
    simple_keys_by_tok: KeysByToken,
    /// Buffers plain scalars fold line breaks and blanks in, kept between
    /// scalars to save allocations.
    plain_buffers: [String; 3],
}

/// go-yaml's `simple_keys_by_tok` map (token number to simple-key index),
/// kept as a short list: it holds a few entries at a time.
#[derive(Default)]
struct KeysByToken(Vec<(usize, usize)>);

impl KeysByToken {
    fn get(&self, token: usize) -> Option<usize> {
        self.0.iter().find(|e| e.0 == token).map(|e| e.1)
    }

    /// Sets the entry for `token`; `parsed` is the number of tokens handed
    /// out so far, below which no entry is ever looked up again.
    fn insert(&mut self, token: usize, index: usize, parsed: usize) {
        if let Some(e) = self.0.iter_mut().find(|e| e.0 == token) {
            e.1 = index;
            return;
        }
        if self.0.len() >= 8 {
            self.0.retain(|e| e.0 >= parsed);
        }
        self.0.push((token, index));
    }

    fn remove(&mut self, token: usize) {
        self.0.retain(|e| e.0 != token);
    }

    fn clear(&mut self) {
        self.0.clear();
    }
}

impl<'a> Scanner<'a> {
    pub(crate) fn new(source: Source<'a>) -> Scanner<'a> {
        Scanner {
            r: Reader::new(source),
            mark: Mark::default(),
            tokens: VecDeque::new(),
            tokens_parsed: 0,
            token_available: false,
            stream_start_produced: false,
            stream_end_produced: false,
            indent: -1,
            indents: Vec::new(),
            flow_level: 0,
            simple_key_allowed: false,
            simple_keys: Vec::new(),
            simple_keys_by_tok: KeysByToken::default(),
            plain_buffers: Default::default(),
        }
    }

    // ----- token queue interface used by the parser -----

    /// The next token, fetching more as needed (go-yaml's `peek_token`).
    pub(crate) fn peek(&mut self) -> Res<&Token> {
        if !self.token_available {
            self.fetch_more_tokens()?;
        }
        Ok(self
            .tokens
            .front()
            .expect("fetch_more_tokens leaves a token"))
    }

    /// Consumes the token returned by the last `peek` (go-yaml's `skip_token`).
    pub(crate) fn skip_token(&mut self) {
        self.take_token();
    }

    /// Consumes the token returned by the last `peek` and hands it over.
    pub(crate) fn take_token(&mut self) -> Option<Token> {
        self.token_available = false;
        self.tokens_parsed += 1;
        let tok = self.tokens.pop_front();
        if let Some(t) = &tok {
            self.stream_end_produced = t.kind == TokenKind::StreamEnd;
        }
        tok
    }

    pub(crate) fn stream_end_produced(&self) -> bool {
        self.stream_end_produced
    }

    // ----- character helpers -----

    #[inline]
    fn ch(&self, k: usize) -> char {
        self.r.at(k)
    }

    #[inline]
    fn cache(&mut self, n: usize) -> Res {
        self.r.cache(n)
    }

    #[inline]
    fn skip(&mut self) {
        self.advance(1);
    }

    /// Skips `n` characters of one line.
    #[inline]
    fn advance(&mut self, n: usize) {
        self.mark.index += n;
        self.mark.column += n;
        self.r.advance(n);
    }

    /// How many of the next characters satisfy `f` and can be consumed
    /// without decoding more input: skipping them one at a time with a
    /// `cache(1)` after each would decode nothing new, so a caller may
    /// [`Scanner::advance`] past them at once and then `cache(1)`.
    #[inline]
    fn run_len(&self, f: impl Fn(char) -> bool) -> usize {
        // Past the input come NULs, which count up to `avail` too.
        self.r.count_while(self.r.unread(), f)
    }

    fn skip_line(&mut self) {
        if self.ch(0) == '\r' && self.ch(1) == '\n' {
            self.mark.index += 2;
            self.mark.column = 0;
            self.mark.line += 1;
            self.r.advance(2);
        } else if is_break(self.ch(0)) {
            self.mark.index += 1;
            self.mark.column = 0;
            self.mark.line += 1;
            self.r.advance(1);
        }
    }

    #[inline]
    fn read(&mut self, s: &mut String) {
        s.push(self.ch(0));
        self.skip();
    }

    fn read_line(&mut self, s: &mut String) {
        let c = self.ch(0);
        if c == '\r' && self.ch(1) == '\n' {
            s.push('\n');
            self.r.advance(2);
            self.mark.index += 1;
        } else if c == '\r' || c == '\n' || c == '\u{85}' {
            s.push('\n');
            self.r.advance(1);
        } else if c == '\u{2028}' || c == '\u{2029}' {
            s.push(c);
            self.r.advance(1);
        } else {
            return;
        }
        self.mark.index += 1;
        self.mark.column = 0;
        self.mark.line += 1;
    }

    fn error(&self, context: &'static str, context_mark: Mark, problem: &str) -> SyntaxError {
        SyntaxError::scanner(context, context_mark, problem, self.mark)
    }

    fn insert_token(&mut self, pos: Option<usize>, token: Token) {
        match pos {
            Some(p) if p <= self.tokens.len() => self.tokens.insert(p, token),
            _ => self.tokens.push_back(token),
        }
    }

    fn push_token(&mut self, kind: TokenKind, start: Mark, end: Mark) {
        self.tokens.push_back(Token { kind, start, end });
    }

    // ----- the token fetching machinery -----

    fn fetch_more_tokens(&mut self) -> Res {
        loop {
            if !self.tokens.is_empty() {
                let Some(idx) = self.simple_keys_by_tok.get(self.tokens_parsed) else {
                    break;
                };
                if !self.simple_key_is_valid(idx)? {
                    break;
                }
            }
            self.fetch_next_token()?;
        }
        self.token_available = true;
        Ok(())
    }

    fn fetch_next_token(&mut self) -> Res {
        self.cache(1)?;
        if !self.stream_start_produced {
            return self.fetch_stream_start();
        }
        self.scan_to_next_token()?;
        self.unroll_indent(self.mark.column as isize);
        self.cache(4)?;

        let c = self.ch(0);
        if c == '\0' {
            return self.fetch_stream_end();
        }
        if self.mark.column == 0 && c == '%' {
            return self.fetch_directive();
        }
        let at_doc_marker = |s: &Self, m: char| {
            s.mark.column == 0 && s.ch(0) == m && s.ch(1) == m && s.ch(2) == m && is_blankz(s.ch(3))
        };
        if at_doc_marker(self, '-') {
            return self.fetch_document_indicator(TokenKind::DocumentStart);
        }
        if at_doc_marker(self, '.') {
            return self.fetch_document_indicator(TokenKind::DocumentEnd);
        }
        let next = self.ch(1);
        match c {
            '[' => return self.fetch_flow_collection_start(TokenKind::FlowSequenceStart),
            '{' => return self.fetch_flow_collection_start(TokenKind::FlowMappingStart),
            ']' => return self.fetch_flow_collection_end(TokenKind::FlowSequenceEnd),
            '}' => return self.fetch_flow_collection_end(TokenKind::FlowMappingEnd),
            ',' => return self.fetch_flow_entry(),
            _ => {}
        }
        if c == '-' && is_blankz(next) {
            return self.fetch_block_entry();
        }
        if c == '?' && (self.flow_level > 0 || is_blankz(next)) {
            return self.fetch_key();
        }
        if c == ':' && (self.flow_level > 0 || is_blankz(next)) {
            return self.fetch_value();
        }
        match c {
            '*' => return self.fetch_anchor(true),
            '&' => return self.fetch_anchor(false),
            '!' => return self.fetch_tag(),
            '|' if self.flow_level == 0 => return self.fetch_block_scalar(true),
            '>' if self.flow_level == 0 => return self.fetch_block_scalar(false),
            '\'' => return self.fetch_flow_scalar(true),
            '"' => return self.fetch_flow_scalar(false),
            _ => {}
        }
        let indicator = matches!(
            c,
            '-' | '?'
                | ':'
                | ','
                | '['
                | ']'
                | '{'
                | '}'
                | '#'
                | '&'
                | '*'
                | '!'
                | '|'
                | '>'
                | '\''
                | '"'
                | '%'
                | '@'
                | '`'
        );
        if !(is_blankz(c) || indicator)
            || (c == '-' && !is_blank(next))
            || (self.flow_level == 0 && (c == '?' || c == ':') && !is_blankz(next))
        {
            return self.fetch_plain_scalar();
        }
        Err(self.error(
            "while scanning for the next token",
            self.mark,
            "found character that cannot start any token",
        ))
    }

    fn simple_key_is_valid(&mut self, idx: usize) -> Res<bool> {
        // A stale index would make go-yaml panic; treat it as no key.
        let Some(key) = self.simple_keys.get(idx).copied() else {
            return Ok(false);
        };
        if !key.possible {
            return Ok(false);
        }
        if key.mark.line < self.mark.line || key.mark.index + 1024 < self.mark.index {
            if key.required {
                return Err(self.error(
                    "while scanning a simple key",
                    key.mark,
                    "could not find expected ':'",
                ));
            }
            self.simple_keys[idx].possible = false;
            return Ok(false);
        }
        Ok(true)
    }

    fn save_simple_key(&mut self) -> Res {
        let required = self.flow_level == 0 && self.indent == self.mark.column as isize;
        if self.simple_key_allowed {
            let key = SimpleKey {
                possible: true,
                required,
                token_number: self.tokens_parsed + self.tokens.len(),
                mark: self.mark,
            };
            self.remove_simple_key()?;
            let last = self.simple_keys.len() - 1;
            self.simple_keys[last] = key;
            self.simple_keys_by_tok
                .insert(key.token_number, last, self.tokens_parsed);
        }
        Ok(())
    }

    fn remove_simple_key(&mut self) -> Res {
        let i = self.simple_keys.len() - 1;
        let key = self.simple_keys[i];
        if key.possible {
            if key.required {
                return Err(self.error(
                    "while scanning a simple key",
                    key.mark,
                    "could not find expected ':'",
                ));
            }
            self.simple_keys[i].possible = false;
            self.simple_keys_by_tok.remove(key.token_number);
        }
        Ok(())
    }

    fn increase_flow_level(&mut self) -> Res {
        self.simple_keys.push(SimpleKey {
            possible: false,
            required: false,
            token_number: self.tokens_parsed + self.tokens.len(),
            mark: self.mark,
        });
        self.flow_level += 1;
        if self.flow_level > MAX_FLOW_LEVEL {
            let mark = self.simple_keys[self.simple_keys.len() - 1].mark;
            return Err(self.error(
                "while increasing flow level",
                mark,
                &format!("exceeded max depth of {MAX_FLOW_LEVEL}"),
            ));
        }
        Ok(())
    }

    fn decrease_flow_level(&mut self) {
        if self.flow_level > 0 {
            self.flow_level -= 1;
            if let Some(key) = self.simple_keys.pop() {
                self.simple_keys_by_tok.remove(key.token_number);
            }
        }
    }

    /// Pushes an indentation level and inserts `kind` (a block collection
    /// start) at absolute token `number`, or appends it when `None`.
    fn roll_indent(
        &mut self,
        column: isize,
        number: Option<usize>,
        kind: TokenKind,
        mark: Mark,
    ) -> Res {
        if self.flow_level > 0 {
            return Ok(());
        }
        if self.indent < column {
            self.indents.push(self.indent);
            self.indent = column;
            if self.indents.len() > MAX_INDENTS {
                let mark = self.simple_keys[self.simple_keys.len() - 1].mark;
                return Err(self.error(
                    "while increasing indent level",
                    mark,
                    &format!("exceeded max depth of {MAX_INDENTS}"),
                ));
            }
            let token = Token {
                kind,
                start: mark,
                end: mark,
            };
            let pos = number.map(|n| n.saturating_sub(self.tokens_parsed));
            self.insert_token(pos, token);
        }
        Ok(())
    }

    fn unroll_indent(&mut self, column: isize) {
        if self.flow_level > 0 {
            return;
        }
        while self.indent > column {
            self.push_token(TokenKind::BlockEnd, self.mark, self.mark);
            self.indent = self.indents.pop().unwrap_or(-1);
        }
    }

    fn fetch_stream_start(&mut self) -> Res {
        self.indent = -1;
        self.simple_keys.push(SimpleKey::default());
        self.simple_keys_by_tok.clear();
        self.simple_key_allowed = true;
        self.stream_start_produced = true;
        self.push_token(TokenKind::StreamStart, self.mark, self.mark);
        Ok(())
    }

    fn fetch_stream_end(&mut self) -> Res {
        if self.mark.column != 0 {
            self.mark.column = 0;
            self.mark.line += 1;
        }
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        self.push_token(TokenKind::StreamEnd, self.mark, self.mark);
        Ok(())
    }

    fn fetch_directive(&mut self) -> Res {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_directive()?;
        self.tokens.push_back(token);
        Ok(())
    }

    fn fetch_document_indicator(&mut self, kind: TokenKind) -> Res {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.mark;
        self.skip();
        self.skip();
        self.skip();
        self.push_token(kind, start, self.mark);
        Ok(())
    }

    fn fetch_flow_collection_start(&mut self, kind: TokenKind) -> Res {
        self.save_simple_key()?;
        self.increase_flow_level()?;
        self.simple_key_allowed = true;
        let start = self.mark;
        self.skip();
        self.push_token(kind, start, self.mark);
        Ok(())
    }

    fn fetch_flow_collection_end(&mut self, kind: TokenKind) -> Res {
        self.remove_simple_key()?;
        self.decrease_flow_level();
        self.simple_key_allowed = false;
        let start = self.mark;
        self.skip();
        self.push_token(kind, start, self.mark);
        Ok(())
    }

    fn fetch_flow_entry(&mut self) -> Res {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let start = self.mark;
        self.skip();
        self.push_token(TokenKind::FlowEntry, start, self.mark);
        Ok(())
    }

    fn fetch_block_entry(&mut self) -> Res {
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                return Err(self.error(
                    "",
                    self.mark,
                    "block sequence entries are not allowed in this context",
                ));
            }
            self.roll_indent(
                self.mark.column as isize,
                None,
                TokenKind::BlockSequenceStart,
                self.mark,
            )?;
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let start = self.mark;
        self.skip();
        self.push_token(TokenKind::BlockEntry, start, self.mark);
        Ok(())
    }

    fn fetch_key(&mut self) -> Res {
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                return Err(self.error(
                    "",
                    self.mark,
                    "mapping keys are not allowed in this context",
                ));
            }
            self.roll_indent(
                self.mark.column as isize,
                None,
                TokenKind::BlockMappingStart,
                self.mark,
            )?;
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = self.flow_level == 0;
        let start = self.mark;
        self.skip();
        self.push_token(TokenKind::Key, start, self.mark);
        Ok(())
    }

    fn fetch_value(&mut self) -> Res {
        let idx = self.simple_keys.len() - 1;
        if self.simple_key_is_valid(idx)? {
            let key = self.simple_keys[idx];
            let token = Token {
                kind: TokenKind::Key,
                start: key.mark,
                end: key.mark,
            };
            self.insert_token(
                Some(key.token_number.saturating_sub(self.tokens_parsed)),
                token,
            );
            self.roll_indent(
                key.mark.column as isize,
                Some(key.token_number),
                TokenKind::BlockMappingStart,
                key.mark,
            )?;
            self.simple_keys[idx].possible = false;
            self.simple_keys_by_tok.remove(key.token_number);
            self.simple_key_allowed = false;
        } else {
            if self.flow_level == 0 {
                if !self.simple_key_allowed {
                    return Err(self.error(
                        "",
                        self.mark,
                        "mapping values are not allowed in this context",
                    ));
                }
                self.roll_indent(
                    self.mark.column as isize,
                    None,
                    TokenKind::BlockMappingStart,
                    self.mark,
                )?;
            }
            self.simple_key_allowed = self.flow_level == 0;
        }
        let start = self.mark;
        self.skip();
        self.push_token(TokenKind::Value, start, self.mark);
        Ok(())
    }

    fn fetch_anchor(&mut self, alias: bool) -> Res {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_anchor(alias)?;
        self.tokens.push_back(token);
        Ok(())
    }

    fn fetch_tag(&mut self) -> Res {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_tag()?;
        self.tokens.push_back(token);
        Ok(())
    }

    fn fetch_block_scalar(&mut self, literal: bool) -> Res {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let token = self.scan_block_scalar(literal)?;
        self.tokens.push_back(token);
        Ok(())
    }

    fn fetch_flow_scalar(&mut self, single: bool) -> Res {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_flow_scalar(single)?;
        self.tokens.push_back(token);
        Ok(())
    }

    fn fetch_plain_scalar(&mut self) -> Res {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_plain_scalar()?;
        self.tokens.push_back(token);
        Ok(())
    }

    // ----- scanning -----

    fn scan_to_next_token(&mut self) -> Res {
        loop {
            self.cache(1)?;
            if self.mark.column == 0 && self.r.bom_at_buffer_start() {
                self.skip();
            }
            self.cache(1)?;
            let tabs = self.flow_level > 0 || !self.simple_key_allowed;
            loop {
                let n = self.run_len(|c| c == ' ' || (tabs && c == '\t'));
                if n == 0 {
                    break;
                }
                self.advance(n);
                self.cache(1)?;
            }
            if self.ch(0) == '#' {
                loop {
                    let n = self.run_len(|c| !is_breakz(c));
                    if n == 0 {
                        break;
                    }
                    self.advance(n);
                    self.cache(1)?;
                }
            }
            if is_break(self.ch(0)) {
                self.cache(2)?;
                self.skip_line();
                if self.flow_level == 0 {
                    self.simple_key_allowed = true;
                }
            } else {
                break;
            }
        }
        Ok(())
    }

    fn skip_blanks(&mut self) -> Res {
        self.cache(1)?;
        while is_blank(self.ch(0)) {
            self.skip();
            self.cache(1)?;
        }
        Ok(())
    }

    fn skip_comment(&mut self) -> Res {
        if self.ch(0) == '#' {
            while !is_breakz(self.ch(0)) {
                self.skip();
                self.cache(1)?;
            }
        }
        Ok(())
    }

    fn scan_directive(&mut self) -> Res<Token> {
        let start = self.mark;
        self.skip();
        let name = self.scan_directive_name(start)?;
        let kind = if name == "YAML" {
            let (major, minor) = self.scan_version_directive_value(start)?;
            TokenKind::VersionDirective { major, minor }
        } else if name == "TAG" {
            let (handle, prefix) = self.scan_tag_directive_value(start)?;
            TokenKind::TagDirective { handle, prefix }
        } else {
            return Err(self.error(
                "while scanning a directive",
                start,
                "found unknown directive name",
            ));
        };
        let end = self.mark;
        self.skip_blanks()?;
        self.skip_comment()?;
        if !is_breakz(self.ch(0)) {
            return Err(self.error(
                "while scanning a directive",
                start,
                "did not find expected comment or line break",
            ));
        }
        if is_break(self.ch(0)) {
            self.cache(2)?;
            self.skip_line();
        }
        Ok(Token { kind, start, end })
    }

    fn scan_directive_name(&mut self, start: Mark) -> Res<String> {
        self.cache(1)?;
        let mut s = String::new();
        while is_alpha(self.ch(0)) {
            self.read(&mut s);
            self.cache(1)?;
        }
        if s.is_empty() {
            return Err(self.error(
                "while scanning a directive",
                start,
                "could not find expected directive name",
            ));
        }
        if !is_blankz(self.ch(0)) {
            return Err(self.error(
                "while scanning a directive",
                start,
                "found unexpected non-alphabetical character",
            ));
        }
        Ok(s)
    }

    fn scan_version_directive_value(&mut self, start: Mark) -> Res<(u32, u32)> {
        self.skip_blanks()?;
        let major = self.scan_version_directive_number(start)?;
        if self.ch(0) != '.' {
            return Err(self.error(
                "while scanning a %YAML directive",
                start,
                "did not find expected digit or '.' character",
            ));
        }
        self.skip();
        let minor = self.scan_version_directive_number(start)?;
        Ok((major, minor))
    }

    fn scan_version_directive_number(&mut self, start: Mark) -> Res<u32> {
        self.cache(1)?;
        let mut value = 0u32;
        let mut length = 0;
        while self.ch(0).is_ascii_digit() {
            length += 1;
            if length > 2 {
                return Err(self.error(
                    "while scanning a %YAML directive",
                    start,
                    "found extremely long version number",
                ));
            }
            value = value * 10 + self.ch(0).to_digit(10).unwrap_or(0);
            self.skip();
            self.cache(1)?;
        }
        if length == 0 {
            return Err(self.error(
                "while scanning a %YAML directive",
                start,
                "did not find expected version number",
            ));
        }
        Ok(value)
    }

    fn scan_tag_directive_value(&mut self, start: Mark) -> Res<(String, String)> {
        self.skip_blanks()?;
        let handle = self.scan_tag_handle(true, start)?;
        self.cache(1)?;
        if !is_blank(self.ch(0)) {
            return Err(self.error(
                "while scanning a %TAG directive",
                start,
                "did not find expected whitespace",
            ));
        }
        self.skip_blanks()?;
        let prefix = self.scan_tag_uri(true, None, start)?;
        self.cache(1)?;
        if !is_blankz(self.ch(0)) {
            return Err(self.error(
                "while scanning a %TAG directive",
                start,
                "did not find expected whitespace or line break",
            ));
        }
        Ok((handle, prefix))
    }

    fn scan_anchor(&mut self, alias: bool) -> Res<Token> {
        let start = self.mark;
        self.skip();
        self.cache(1)?;
        let mut s = String::new();
        while is_alpha(self.ch(0)) {
            self.read(&mut s);
            self.cache(1)?;
        }
        let end = self.mark;
        let c = self.ch(0);
        let ok_end = is_blankz(c) || matches!(c, '?' | ':' | ',' | ']' | '}' | '%' | '@' | '`');
        if s.is_empty() || !ok_end {
            let context = if alias {
                "while scanning an alias"
            } else {
                "while scanning an anchor"
            };
            return Err(self.error(
                context,
                start,
                "did not find expected alphabetic or numeric character",
            ));
        }
        let kind = if alias {
            TokenKind::Alias(s)
        } else {
            TokenKind::Anchor(s)
        };
        Ok(Token { kind, start, end })
    }

    fn tag_error(&self, directive: bool, start: Mark, problem: &str) -> SyntaxError {
        let context = if directive {
            "while parsing a %TAG directive"
        } else {
            "while parsing a tag"
        };
        self.error(context, start, problem)
    }

    fn scan_tag(&mut self) -> Res<Token> {
        let start = self.mark;
        self.cache(2)?;
        let (handle, suffix);
        if self.ch(1) == '<' {
            self.skip();
            self.skip();
            suffix = self.scan_tag_uri(false, None, start)?;
            if self.ch(0) != '>' {
                return Err(self.error(
                    "while scanning a tag",
                    start,
                    "did not find the expected '>'",
                ));
            }
            self.skip();
            handle = String::new();
        } else {
            let first = self.scan_tag_handle(false, start)?;
            if first.len() > 1 && first.starts_with('!') && first.ends_with('!') {
                handle = first;
                suffix = self.scan_tag_uri(false, None, start)?;
            } else {
                let rest = self.scan_tag_uri(false, Some(&first), start)?;
                if rest.is_empty() {
                    handle = String::new();
                    suffix = "!".to_string();
                } else {
                    handle = "!".to_string();
                    suffix = rest;
                }
            }
        }
        self.cache(1)?;
        if !is_blankz(self.ch(0)) {
            return Err(self.error(
                "while scanning a tag",
                start,
                "did not find expected whitespace or line break",
            ));
        }
        Ok(Token {
            kind: TokenKind::Tag { handle, suffix },
            start,
            end: self.mark,
        })
    }

    fn scan_tag_handle(&mut self, directive: bool, start: Mark) -> Res<String> {
        self.cache(1)?;
        if self.ch(0) != '!' {
            return Err(self.tag_error(directive, start, "did not find expected '!'"));
        }
        let mut s = String::new();
        self.read(&mut s);
        self.cache(1)?;
        while is_alpha(self.ch(0)) {
            self.read(&mut s);
            self.cache(1)?;
        }
        if self.ch(0) == '!' {
            self.read(&mut s);
        } else if directive && s != "!" {
            return Err(self.tag_error(directive, start, "did not find expected '!'"));
        }
        Ok(s)
    }

    /// Scans URI characters; `head` is an already-read handle whose text
    /// after the leading `!` starts the result.
    fn scan_tag_uri(&mut self, directive: bool, head: Option<&str>, start: Mark) -> Res<String> {
        let mut bytes: Vec<u8> = Vec::new();
        let mut has_tag = head.is_some_and(|h| !h.is_empty());
        if let Some(h) = head {
            if h.len() > 1 {
                bytes.extend_from_slice(&h.as_bytes()[1..]);
            }
        }
        self.cache(1)?;
        loop {
            let c = self.ch(0);
            let uri_char = is_alpha(c)
                || matches!(
                    c,
                    ';' | '/'
                        | '?'
                        | ':'
                        | '@'
                        | '&'
                        | '='
                        | '+'
                        | '$'
                        | ','
                        | '.'
                        | '!'
                        | '~'
                        | '*'
                        | '\''
                        | '('
                        | ')'
                        | '['
                        | ']'
                        | '%'
                );
            if !uri_char {
                break;
            }
            if c == '%' {
                self.scan_uri_escapes(directive, start, &mut bytes)?;
            } else {
                let mut buf = [0u8; 4];
                bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                self.skip();
            }
            self.cache(1)?;
            has_tag = true;
        }
        if !has_tag {
            return Err(self.tag_error(directive, start, "did not find expected tag URI"));
        }
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    fn scan_uri_escapes(&mut self, directive: bool, start: Mark, out: &mut Vec<u8>) -> Res {
        let mut width: usize = 1024;
        while width > 0 {
            self.cache(3)?;
            let (c0, c1, c2) = (self.ch(0), self.ch(1), self.ch(2));
            if !(c0 == '%' && c1.is_ascii_hexdigit() && c2.is_ascii_hexdigit()) {
                return Err(self.tag_error(directive, start, "did not find URI escaped octet"));
            }
            let octet = (c1.to_digit(16).unwrap_or(0) * 16 + c2.to_digit(16).unwrap_or(0)) as u8;
            if width == 1024 {
                width = match octet {
                    o if o & 0x80 == 0 => 1,
                    o if o & 0xE0 == 0xC0 => 2,
                    o if o & 0xF0 == 0xE0 => 3,
                    o if o & 0xF8 == 0xF0 => 4,
                    _ => {
                        return Err(self.tag_error(
                            directive,
                            start,
                            "found an incorrect leading UTF-8 octet",
                        ))
                    }
                };
            } else if octet & 0xC0 != 0x80 {
                return Err(self.tag_error(
                    directive,
                    start,
                    "found an incorrect trailing UTF-8 octet",
                ));
            }
            out.push(octet);
            self.skip();
            self.skip();
            self.skip();
            width -= 1;
        }
        Ok(())
    }

    fn scan_block_scalar(&mut self, literal: bool) -> Res<Token> {
        let start = self.mark;
        self.skip();
        self.cache(1)?;
        let mut chomping = 0i32;
        let mut increment = 0usize;
        let bad_indicator = "found an indentation indicator equal to 0";
        if self.ch(0) == '+' || self.ch(0) == '-' {
            chomping = if self.ch(0) == '+' { 1 } else { -1 };
            self.skip();
            self.cache(1)?;
            if self.ch(0).is_ascii_digit() {
                if self.ch(0) == '0' {
                    return Err(self.error("while scanning a block scalar", start, bad_indicator));
                }
                increment = self.ch(0).to_digit(10).unwrap_or(0) as usize;
                self.skip();
            }
        } else if self.ch(0).is_ascii_digit() {
            if self.ch(0) == '0' {
                return Err(self.error("while scanning a block scalar", start, bad_indicator));
            }
            increment = self.ch(0).to_digit(10).unwrap_or(0) as usize;
            self.skip();
            self.cache(1)?;
            if self.ch(0) == '+' || self.ch(0) == '-' {
                chomping = if self.ch(0) == '+' { 1 } else { -1 };
                self.skip();
            }
        }
        self.skip_blanks()?;
        self.skip_comment()?;
        if !is_breakz(self.ch(0)) {
            return Err(self.error(
                "while scanning a block scalar",
                start,
                "did not find expected comment or line break",
            ));
        }
        if is_break(self.ch(0)) {
            self.cache(2)?;
            self.skip_line();
        }
        let mut end = self.mark;
        let mut indent: usize = 0;
        if increment > 0 {
            indent = if self.indent >= 0 {
                self.indent as usize + increment
            } else {
                increment
            };
        }
        let mut s = String::new();
        let mut leading_break = String::new();
        let mut trailing_breaks = String::new();
        self.scan_block_scalar_breaks(&mut indent, &mut trailing_breaks, start, &mut end)?;
        self.cache(1)?;
        let mut leading_blank = false;
        while self.mark.column == indent && self.ch(0) != '\0' {
            let trailing_blank = is_blank(self.ch(0));
            if !literal && !leading_blank && !trailing_blank && leading_break.starts_with('\n') {
                if trailing_breaks.is_empty() {
                    s.push(' ');
                }
            } else {
                s.push_str(&leading_break);
            }
            leading_break.clear();
            s.push_str(&trailing_breaks);
            trailing_breaks.clear();
            leading_blank = is_blank(self.ch(0));
            while !is_breakz(self.ch(0)) {
                self.read(&mut s);
                self.cache(1)?;
            }
            self.cache(2)?;
            self.read_line(&mut leading_break);
            self.scan_block_scalar_breaks(&mut indent, &mut trailing_breaks, start, &mut end)?;
        }
        if chomping != -1 {
            s.push_str(&leading_break);
        }
        if chomping == 1 {
            s.push_str(&trailing_breaks);
        }
        let style = if literal {
            ScalarStyle::Literal
        } else {
            ScalarStyle::Folded
        };
        Ok(Token {
            kind: TokenKind::Scalar { value: s, style },
            start,
            end,
        })
    }

    fn scan_block_scalar_breaks(
        &mut self,
        indent: &mut usize,
        breaks: &mut String,
        start: Mark,
        end: &mut Mark,
    ) -> Res {
        *end = self.mark;
        let mut max_indent = 0usize;
        loop {
            self.cache(1)?;
            while (*indent == 0 || self.mark.column < *indent) && self.ch(0) == ' ' {
                self.skip();
                self.cache(1)?;
            }
            if self.mark.column > max_indent {
                max_indent = self.mark.column;
            }
            if (*indent == 0 || self.mark.column < *indent) && self.ch(0) == '\t' {
                return Err(self.error(
                    "while scanning a block scalar",
                    start,
                    "found a tab character where an indentation space is expected",
                ));
            }
            if !is_break(self.ch(0)) {
                break;
            }
            self.cache(2)?;
            self.read_line(breaks);
            *end = self.mark;
        }
        if *indent == 0 {
            *indent = max_indent;
            let min = (self.indent + 1).max(1) as usize;
            if *indent < min {
                *indent = min;
            }
        }
        Ok(())
    }

    fn scan_flow_scalar(&mut self, single: bool) -> Res<Token> {
        let start = self.mark;
        self.skip();
        let mut s = String::new();
        let mut leading_break = String::new();
        let mut trailing_breaks = String::new();
        let mut whitespaces = String::new();
        loop {
            self.cache(4)?;
            if self.mark.column == 0
                && ((self.ch(0) == '-' && self.ch(1) == '-' && self.ch(2) == '-')
                    || (self.ch(0) == '.' && self.ch(1) == '.' && self.ch(2) == '.'))
                && is_blankz(self.ch(3))
            {
                return Err(self.error(
                    "while scanning a quoted scalar",
                    start,
                    "found unexpected document indicator",
                ));
            }
            if self.ch(0) == '\0' {
                return Err(self.error(
                    "while scanning a quoted scalar",
                    start,
                    "found unexpected end of stream",
                ));
            }
            let mut leading_blanks = false;
            while !is_blankz(self.ch(0)) {
                let c = self.ch(0);
                if single && c == '\'' && self.ch(1) == '\'' {
                    s.push('\'');
                    self.skip();
                    self.skip();
                } else if (single && c == '\'') || (!single && c == '"') {
                    break;
                } else if !single && c == '\\' && is_break(self.ch(1)) {
                    self.cache(3)?;
                    self.skip();
                    self.skip_line();
                    leading_blanks = true;
                    break;
                } else if !single && c == '\\' {
                    self.scan_escape(&mut s, start)?;
                } else {
                    self.read(&mut s);
                }
                self.cache(2)?;
            }
            self.cache(1)?;
            let quote = if single { '\'' } else { '"' };
            if self.ch(0) == quote {
                break;
            }
            while is_blank(self.ch(0)) || is_break(self.ch(0)) {
                if is_blank(self.ch(0)) {
                    if !leading_blanks {
                        self.read(&mut whitespaces);
                    } else {
                        self.skip();
                    }
                } else {
                    self.cache(2)?;
                    if !leading_blanks {
                        whitespaces.clear();
                        self.read_line(&mut leading_break);
                        leading_blanks = true;
                    } else {
                        self.read_line(&mut trailing_breaks);
                    }
                }
                self.cache(1)?;
            }
            if leading_blanks {
                if leading_break.starts_with('\n') {
                    if trailing_breaks.is_empty() {
                        s.push(' ');
                    } else {
                        s.push_str(&trailing_breaks);
                    }
                } else {
                    s.push_str(&leading_break);
                    s.push_str(&trailing_breaks);
                }
                trailing_breaks.clear();
                leading_break.clear();
            } else {
                s.push_str(&whitespaces);
                whitespaces.clear();
            }
        }
        self.skip();
        let style = if single {
            ScalarStyle::SingleQuoted
        } else {
            ScalarStyle::DoubleQuoted
        };
        Ok(Token {
            kind: TokenKind::Scalar { value: s, style },
            start,
            end: self.mark,
        })
    }

    /// A backslash escape in a double-quoted scalar (cursor on the `\`).
    fn scan_escape(&mut self, s: &mut String, start: Mark) -> Res {
        let mut code_length = 0;
        match self.ch(1) {
            '0' => s.push('\0'),
            'a' => s.push('\u{7}'),
            'b' => s.push('\u{8}'),
            't' | '\t' => s.push('\t'),
            'n' => s.push('\n'),
            'v' => s.push('\u{b}'),
            'f' => s.push('\u{c}'),
            'r' => s.push('\r'),
            'e' => s.push('\u{1b}'),
            ' ' => s.push(' '),
            '"' => s.push('"'),
            '\'' => s.push('\''),
            '\\' => s.push('\\'),
            'N' => s.push('\u{85}'),
            '_' => s.push('\u{a0}'),
            'L' => s.push('\u{2028}'),
            'P' => s.push('\u{2029}'),
            'x' => code_length = 2,
            'u' => code_length = 4,
            'U' => code_length = 8,
            _ => {
                return Err(self.error(
                    "while parsing a quoted scalar",
                    start,
                    "found unknown escape character",
                ))
            }
        }
        self.skip();
        self.skip();
        if code_length > 0 {
            self.cache(code_length)?;
            let mut value: u32 = 0;
            for k in 0..code_length {
                let Some(d) = self.ch(k).to_digit(16) else {
                    return Err(self.error(
                        "while parsing a quoted scalar",
                        start,
                        "did not find expected hexdecimal number",
                    ));
                };
                value = (value << 4) + d;
            }
            let Some(c) = char::from_u32(value) else {
                return Err(self.error(
                    "while parsing a quoted scalar",
                    start,
                    "found invalid Unicode character escape code",
                ));
            };
            s.push(c);
            for _ in 0..code_length {
                self.skip();
            }
        }
        Ok(())
    }

    fn scan_plain_scalar(&mut self) -> Res<Token> {
        let [mut leading_break, mut trailing_breaks, mut whitespaces] =
            std::mem::take(&mut self.plain_buffers);
        leading_break.clear();
        trailing_breaks.clear();
        whitespaces.clear();
        let result =
            self.scan_plain_scalar_with(&mut leading_break, &mut trailing_breaks, &mut whitespaces);
        self.plain_buffers = [leading_break, trailing_breaks, whitespaces];
        result
    }

    fn scan_plain_scalar_with(
        &mut self,
        leading_break: &mut String,
        trailing_breaks: &mut String,
        whitespaces: &mut String,
    ) -> Res<Token> {
        let mut s = String::new();
        let mut leading_blanks = false;
        let indent = self.indent + 1;
        let start = self.mark;
        let mut end = self.mark;
        loop {
            self.cache(4)?;
            if self.mark.column == 0
                && ((self.ch(0) == '-' && self.ch(1) == '-' && self.ch(2) == '-')
                    || (self.ch(0) == '.' && self.ch(1) == '.' && self.ch(2) == '.'))
                && is_blankz(self.ch(3))
            {
                break;
            }
            if self.ch(0) == '#' {
                break;
            }
            while !is_blankz(self.ch(0)) {
                let c = self.ch(0);
                if (c == ':' && is_blankz(self.ch(1)))
                    || (self.flow_level > 0 && matches!(c, ',' | '?' | '[' | ']' | '{' | '}'))
                {
                    break;
                }
                if leading_blanks || !whitespaces.is_empty() {
                    if leading_blanks {
                        if leading_break.starts_with('\n') {
                            if trailing_breaks.is_empty() {
                                s.push(' ');
                            } else {
                                s.push_str(trailing_breaks);
                            }
                        } else {
                            s.push_str(leading_break);
                            s.push_str(trailing_breaks);
                        }
                        trailing_breaks.clear();
                        leading_break.clear();
                        leading_blanks = false;
                    } else {
                        s.push_str(whitespaces);
                        whitespaces.clear();
                    }
                }
                // This character, and those after it that end neither the
                // scalar nor the decoded input (so that no `cache(2)`
                // between them would decode more), are taken at once.
                let avail = self.r.unread();
                let flow = self.flow_level > 0;
                let n = match self.r.ascii_ahead(avail) {
                    Some(ahead) => plain_run(
                        |k| ahead.get(k).map_or('\0', |&b| char::from(b)),
                        avail,
                        flow,
                    ),
                    None => plain_run_decoded(&self.r, avail, flow),
                };
                if n == 1 {
                    self.read(&mut s);
                } else {
                    self.r.push_ahead(n, &mut s);
                    self.advance(n);
                }
                end = self.mark;
                self.cache(2)?;
            }
            if !(is_blank(self.ch(0)) || is_break(self.ch(0))) {
                break;
            }
            self.cache(1)?;
            while is_blank(self.ch(0)) || is_break(self.ch(0)) {
                if is_blank(self.ch(0)) {
                    if leading_blanks && (self.mark.column as isize) < indent && self.ch(0) == '\t'
                    {
                        return Err(self.error(
                            "while scanning a plain scalar",
                            start,
                            "found a tab character that violates indentation",
                        ));
                    }
                    if self.ch(0) == ' ' {
                        // A run of spaces (indentation, mostly) at once; a
                        // `cache(1)` after each would decode nothing new.
                        let n = self.run_len(|c| c == ' ');
                        if !leading_blanks {
                            whitespaces.extend(std::iter::repeat_n(' ', n));
                        }
                        self.advance(n);
                    } else if !leading_blanks {
                        self.read(whitespaces);
                    } else {
                        self.skip();
                    }
                } else {
                    self.cache(2)?;
                    if !leading_blanks {
                        whitespaces.clear();
                        self.read_line(leading_break);
                        leading_blanks = true;
                    } else {
                        self.read_line(trailing_breaks);
                    }
                }
                self.cache(1)?;
            }
            if self.flow_level == 0 && (self.mark.column as isize) < indent {
                break;
            }
        }
        if leading_blanks {
            self.simple_key_allowed = true;
        }
        Ok(Token {
            kind: TokenKind::Scalar {
                value: s,
                style: ScalarStyle::Plain,
            },
            start,
            end,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<TokenKind> {
        let mut sc = Scanner::new(text.into());
        let mut out = Vec::new();
        loop {
            let tok = sc.peek().unwrap().kind.clone();
            sc.skip_token();
            let end = tok == TokenKind::StreamEnd;
            out.push(tok);
            if end {
                return out;
            }
        }
    }

    fn plain(s: &str) -> TokenKind {
        TokenKind::Scalar {
            value: s.into(),
            style: ScalarStyle::Plain,
        }
    }

    #[test]
    fn block_mapping_tokens() {
        use TokenKind::*;
        assert_eq!(
            kinds("a: b\nc:\n- d\n"),
            vec![
                StreamStart,
                BlockMappingStart,
                Key,
                plain("a"),
                Value,
                plain("b"),
                Key,
                plain("c"),
                Value,
                BlockEntry,
                plain("d"),
                BlockEnd,
                StreamEnd
            ]
        );
    }

    #[test]
    fn flow_colon_is_a_value_indicator_and_plain_scalars_stop_at_question_mark() {
        use TokenKind::*;
        assert_eq!(
            kinds("[a:]"),
            vec![
                StreamStart,
                FlowSequenceStart,
                plain("a:"),
                FlowSequenceEnd,
                StreamEnd
            ]
        );
        assert_eq!(
            kinds("{a?b}"),
            vec![
                StreamStart,
                FlowMappingStart,
                plain("a"),
                Key,
                plain("b"),
                FlowMappingEnd,
                StreamEnd
            ]
        );
    }

    #[test]
    fn folds_plain_multiline_scalars() {
        assert_eq!(kinds("a\n b\n\n c")[1], plain("a b\nc"));
    }

    #[test]
    fn double_quoted_escapes() {
        let toks = kinds(r#""\x41\u00e9\U0001F600\t\N""#);
        assert_eq!(
            toks[1],
            TokenKind::Scalar {
                value: "Aé\u{1f600}\t\u{85}".into(),
                style: ScalarStyle::DoubleQuoted
            }
        );
    }

    #[test]
    fn block_scalars_chomp() {
        let lit = |v: &str| TokenKind::Scalar {
            value: v.into(),
            style: ScalarStyle::Literal,
        };
        assert_eq!(kinds("|\n a\n b\n\n")[1], lit("a\nb\n"));
        assert_eq!(kinds("|-\n a\n")[1], lit("a"));
        assert_eq!(kinds("|+\n a\n\n")[1], lit("a\n\n"));
        let folded = kinds(">\n a\n b\n\n c\n")[1].clone();
        assert_eq!(
            folded,
            TokenKind::Scalar {
                value: "a b\nc\n".into(),
                style: ScalarStyle::Folded
            }
        );
    }

    #[test]
    fn runs_across_input_chunks_read_like_single_characters() {
        // Indentation, comments and plain scalars longer than the reader's
        // 512-byte chunks, in ASCII and non-ASCII text.
        for word in ["x", "é"] {
            let long = word.repeat(700);
            let text = format!(
                "{}# {long}\n{}a: {long} {long}\n{}b: c\n",
                " ".repeat(600),
                " ".repeat(600),
                " ".repeat(600)
            );
            let scalars: Vec<String> = kinds(&text)
                .into_iter()
                .filter_map(|k| match k {
                    TokenKind::Scalar { value, .. } => Some(value),
                    _ => None,
                })
                .collect();
            assert_eq!(scalars, ["a", &format!("{long} {long}"), "b", "c"]);
        }
    }

    #[test]
    fn plain_scalars_stop_at_flow_indicators_and_colons() {
        let values: Vec<String> = kinds("{a: b:c, d: e,f}\ng: h:i j")
            .into_iter()
            .filter_map(|k| match k {
                TokenKind::Scalar { value, .. } => Some(value),
                _ => None,
            })
            .collect();
        assert_eq!(values, ["a", "b:c", "d", "e", "f", "g", "h:i j"]);
    }

    #[test]
    fn keys_by_token_drop_entries_no_longer_looked_up() {
        let mut m = KeysByToken::default();
        for t in 0..20 {
            m.insert(t, t, t);
        }
        assert!(m.0.len() <= 9);
        assert_eq!(m.get(19), Some(19));
        m.insert(19, 3, 19);
        assert_eq!(m.get(19), Some(3));
        m.remove(19);
        assert_eq!(m.get(19), None);
    }

    #[test]
    fn scanner_error_positions() {
        let mut sc = Scanner::new("a: b\n  c: d".into());
        let mut err = None;
        for _ in 0..20 {
            match sc.peek() {
                Ok(t) if t.kind == TokenKind::StreamEnd => break,
                Ok(_) => sc.skip_token(),
                Err(e) => {
                    err = Some(e);
                    break;
                }
            }
        }
        let err = err.expect("error");
        assert_eq!(
            err.message(),
            "line 2: mapping values are not allowed in this context"
        );
    }

    #[test]
    fn line_breaks_are_yaml_s_five() {
        let breaks: Vec<char> = (0..=0x10ffff)
            .filter_map(char::from_u32)
            .filter(|&c| is_break(c))
            .collect();
        assert_eq!(breaks, ['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']);
    }
}
