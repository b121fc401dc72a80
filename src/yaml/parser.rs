//! The YAML event parser, behaving like go-yaml v2's `parserc.go`: a state
//! machine over the scanner's tokens producing stream, document,
//! collection, scalar and alias events, with go-yaml's error texts (`did
//! not find expected key`, `did not find expected node content`, ...).

use super::reader::Source;
use super::scanner::Scanner;
use super::syntax::{EventKind, Mark, ScalarStyle, SyntaxError, Tok, TokenKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    StreamStart,
    ImplicitDocumentStart,
    DocumentStart,
    DocumentContent,
    DocumentEnd,
    BlockNode,
    BlockSequenceFirstEntry,
    BlockSequenceEntry,
    IndentlessSequenceEntry,
    BlockMappingFirstKey,
    BlockMappingKey,
    BlockMappingValue,
    FlowSequenceFirstEntry,
    FlowSequenceEntry,
    FlowSequenceEntryMappingKey,
    FlowSequenceEntryMappingValue,
    FlowSequenceEntryMappingEnd,
    FlowMappingFirstKey,
    FlowMappingKey,
    FlowMappingValue,
    FlowMappingEmptyValue,
    End,
}

type Res<T = EventKind> = Result<T, SyntaxError>;

pub(crate) struct Parser<'a> {
    sc: Scanner<'a>,
    state: State,
    states: Vec<State>,
    marks: Vec<Mark>,
    tag_directives: Vec<(String, String)>,
}

const DEFAULT_TAG_DIRECTIVES: [(&str, &str); 2] = [("!", "!"), ("!!", "tag:yaml.org,2002:")];

impl<'a> Parser<'a> {
    pub(crate) fn new(source: Source<'a>) -> Parser<'a> {
        Parser {
            sc: Scanner::new(source),
            state: State::StreamStart,
            states: Vec::new(),
            marks: Vec::new(),
            tag_directives: Vec::new(),
        }
    }

    /// The next event (go-yaml's `yaml_parser_parse`).
    pub(crate) fn next_event(&mut self) -> Res {
        if self.sc.stream_end_produced() || self.state == State::End {
            return Ok(EventKind::StreamEnd);
        }
        match self.state {
            State::StreamStart => self.stream_start(),
            State::ImplicitDocumentStart => self.document_start(true),
            State::DocumentStart => self.document_start(false),
            State::DocumentContent => self.document_content(),
            State::DocumentEnd => self.document_end(),
            State::BlockNode => self.node(true, false),
            State::BlockSequenceFirstEntry => self.block_sequence_entry(true),
            State::BlockSequenceEntry => self.block_sequence_entry(false),
            State::IndentlessSequenceEntry => self.indentless_sequence_entry(),
            State::BlockMappingFirstKey => self.block_mapping_key(true),
            State::BlockMappingKey => self.block_mapping_key(false),
            State::BlockMappingValue => self.block_mapping_value(),
            State::FlowSequenceFirstEntry => self.flow_sequence_entry(true),
            State::FlowSequenceEntry => self.flow_sequence_entry(false),
            State::FlowSequenceEntryMappingKey => self.flow_sequence_entry_mapping_key(),
            State::FlowSequenceEntryMappingValue => self.flow_sequence_entry_mapping_value(),
            State::FlowSequenceEntryMappingEnd => self.flow_sequence_entry_mapping_end(),
            State::FlowMappingFirstKey => self.flow_mapping_key(true),
            State::FlowMappingKey => self.flow_mapping_key(false),
            State::FlowMappingValue => self.flow_mapping_value(false),
            State::FlowMappingEmptyValue => self.flow_mapping_value(true),
            State::End => unreachable!("handled above"),
        }
    }

    fn peek_kind(&mut self) -> Res<(Tok, Mark, Mark)> {
        let t = self.sc.peek()?;
        Ok((t.kind.tok(), t.start, t.end))
    }

    /// Consumes the peeked token, returning its payload.
    fn take_kind(&mut self) -> TokenKind {
        self.sc
            .take_token()
            .map_or(TokenKind::StreamEnd, |t| t.kind)
    }

    fn pop_state(&mut self) {
        self.state = self.states.pop().unwrap_or(State::End);
    }

    fn pop_mark(&mut self) -> Mark {
        self.marks.pop().unwrap_or_default()
    }

    fn peek_tok(&mut self) -> Res<Tok> {
        Ok(self.sc.peek()?.kind.tok())
    }

    fn stream_start(&mut self) -> Res {
        let (kind, start, _) = self.peek_kind()?;
        if kind != Tok::StreamStart {
            return Err(SyntaxError::parser(
                "did not find expected <stream-start>",
                start,
            ));
        }
        self.state = State::ImplicitDocumentStart;
        self.sc.skip_token();
        Ok(EventKind::StreamStart)
    }

    fn document_start(&mut self, implicit: bool) -> Res {
        let mut kind = self.peek_tok()?;
        if !implicit {
            while kind == Tok::DocumentEnd {
                self.sc.skip_token();
                kind = self.peek_tok()?;
            }
        }
        let is_directive = matches!(kind, Tok::VersionDirective | Tok::TagDirective);
        if implicit && !is_directive && kind != Tok::DocumentStart && kind != Tok::StreamEnd {
            self.process_directives()?;
            self.states.push(State::DocumentEnd);
            self.state = State::BlockNode;
            return Ok(EventKind::DocumentStart);
        }
        if kind == Tok::StreamEnd {
            self.state = State::End;
            self.sc.skip_token();
            return Ok(EventKind::StreamEnd);
        }
        self.process_directives()?;
        let (kind, start, _) = self.peek_kind()?;
        if kind != Tok::DocumentStart {
            return Err(SyntaxError::parser(
                "did not find expected <document start>",
                start,
            ));
        }
        self.states.push(State::DocumentEnd);
        self.state = State::DocumentContent;
        self.sc.skip_token();
        Ok(EventKind::DocumentStart)
    }

    fn document_content(&mut self) -> Res {
        let kind = self.peek_tok()?;
        if matches!(
            kind,
            Tok::VersionDirective
                | Tok::TagDirective
                | Tok::DocumentStart
                | Tok::DocumentEnd
                | Tok::StreamEnd
        ) {
            self.pop_state();
            return Ok(empty_scalar());
        }
        self.node(true, false)
    }

    fn document_end(&mut self) -> Res {
        if self.peek_tok()? == Tok::DocumentEnd {
            self.sc.skip_token();
        }
        self.tag_directives.clear();
        self.state = State::DocumentStart;
        Ok(EventKind::DocumentEnd)
    }

    fn node(&mut self, block: bool, indentless_sequence: bool) -> Res {
        let (mut kind, mut tok_start, _) = self.peek_kind()?;
        if kind == Tok::Alias {
            self.pop_state();
            let TokenKind::Alias(anchor) = self.take_kind() else {
                unreachable!("peeked an alias")
            };
            return Ok(EventKind::Alias { anchor });
        }
        let start = tok_start;
        let mut anchor: Option<String> = None;
        let mut tag_token: Option<(String, String)> = None;
        let mut tag_mark = Mark::default();
        // An anchor and a tag may come in either order.
        for _ in 0..2 {
            match kind {
                Tok::Anchor if anchor.is_none() => {
                    if let TokenKind::Anchor(a) = self.take_kind() {
                        anchor = Some(a);
                    }
                }
                Tok::Tag if tag_token.is_none() => {
                    tag_mark = tok_start;
                    if let TokenKind::Tag { handle, suffix } = self.take_kind() {
                        tag_token = Some((handle, suffix));
                    }
                }
                _ => break,
            }
            (kind, tok_start, _) = self.peek_kind()?;
        }

        let mut tag = String::new();
        if let Some((handle, suffix)) = tag_token {
            if handle.is_empty() {
                tag = suffix;
            } else {
                if let Some((_, prefix)) = self.tag_directives.iter().find(|(h, _)| *h == handle) {
                    tag = format!("{prefix}{suffix}");
                }
                if tag.is_empty() {
                    return Err(SyntaxError::parser_ctx(
                        "while parsing a node",
                        start,
                        "found undefined tag handle",
                        tag_mark,
                    ));
                }
            }
        }

        let implicit = tag.is_empty();
        if indentless_sequence && kind == Tok::BlockEntry {
            self.state = State::IndentlessSequenceEntry;
            return Ok(EventKind::SequenceStart { anchor, tag });
        }
        match kind {
            Tok::Scalar => {
                let TokenKind::Scalar { value, style } = self.take_kind() else {
                    unreachable!("peeked a scalar")
                };
                let plain_implicit = (tag.is_empty() && style == ScalarStyle::Plain) || tag == "!";
                self.pop_state();
                Ok(EventKind::Scalar {
                    anchor,
                    tag,
                    value,
                    plain_implicit,
                })
            }
            Tok::FlowSequenceStart => {
                self.state = State::FlowSequenceFirstEntry;
                Ok(EventKind::SequenceStart { anchor, tag })
            }
            Tok::FlowMappingStart => {
                self.state = State::FlowMappingFirstKey;
                Ok(EventKind::MappingStart { anchor, tag })
            }
            Tok::BlockSequenceStart if block => {
                self.state = State::BlockSequenceFirstEntry;
                Ok(EventKind::SequenceStart { anchor, tag })
            }
            Tok::BlockMappingStart if block => {
                self.state = State::BlockMappingFirstKey;
                Ok(EventKind::MappingStart { anchor, tag })
            }
            _ if anchor.is_some() || !tag.is_empty() => {
                self.pop_state();
                Ok(EventKind::Scalar {
                    anchor,
                    tag,
                    value: String::new(),
                    plain_implicit: implicit,
                })
            }
            _ => {
                let context = if block {
                    "while parsing a block node"
                } else {
                    "while parsing a flow node"
                };
                Err(SyntaxError::parser_ctx(
                    context,
                    start,
                    "did not find expected node content",
                    tok_start,
                ))
            }
        }
    }

    /// Remembers where a collection starts (for error contexts) and
    /// consumes its first token.
    fn enter_collection(&mut self) -> Res<()> {
        let (_, start, _) = self.peek_kind()?;
        self.marks.push(start);
        self.sc.skip_token();
        Ok(())
    }

    fn block_sequence_entry(&mut self, first: bool) -> Res {
        if first {
            self.enter_collection()?;
        }
        let (kind, start, _) = self.peek_kind()?;
        if kind == Tok::BlockEntry {
            self.sc.skip_token();
            let kind = self.peek_tok()?;
            if kind != Tok::BlockEntry && kind != Tok::BlockEnd {
                self.states.push(State::BlockSequenceEntry);
                return self.node(true, false);
            }
            self.state = State::BlockSequenceEntry;
            return Ok(empty_scalar());
        }
        if kind == Tok::BlockEnd {
            self.pop_state();
            self.pop_mark();
            self.sc.skip_token();
            return Ok(EventKind::SequenceEnd);
        }
        let context_mark = self.pop_mark();
        Err(SyntaxError::parser_ctx(
            "while parsing a block collection",
            context_mark,
            "did not find expected '-' indicator",
            start,
        ))
    }

    fn indentless_sequence_entry(&mut self) -> Res {
        if self.peek_tok()? == Tok::BlockEntry {
            self.sc.skip_token();
            let kind = self.peek_tok()?;
            if !matches!(
                kind,
                Tok::BlockEntry | Tok::Key | Tok::Value | Tok::BlockEnd
            ) {
                self.states.push(State::IndentlessSequenceEntry);
                return self.node(true, false);
            }
            self.state = State::IndentlessSequenceEntry;
            return Ok(empty_scalar());
        }
        self.pop_state();
        Ok(EventKind::SequenceEnd)
    }

    fn block_mapping_key(&mut self, first: bool) -> Res {
        if first {
            self.enter_collection()?;
        }
        let (kind, start, _) = self.peek_kind()?;
        if kind == Tok::Key {
            self.sc.skip_token();
            let kind = self.peek_tok()?;
            if !matches!(kind, Tok::Key | Tok::Value | Tok::BlockEnd) {
                self.states.push(State::BlockMappingValue);
                return self.node(true, true);
            }
            self.state = State::BlockMappingValue;
            return Ok(empty_scalar());
        }
        if kind == Tok::BlockEnd {
            self.pop_state();
            self.pop_mark();
            self.sc.skip_token();
            return Ok(EventKind::MappingEnd);
        }
        let context_mark = self.pop_mark();
        Err(SyntaxError::parser_ctx(
            "while parsing a block mapping",
            context_mark,
            "did not find expected key",
            start,
        ))
    }

    fn block_mapping_value(&mut self) -> Res {
        if self.peek_tok()? == Tok::Value {
            self.sc.skip_token();
            let kind = self.peek_tok()?;
            if !matches!(kind, Tok::Key | Tok::Value | Tok::BlockEnd) {
                self.states.push(State::BlockMappingKey);
                return self.node(true, true);
            }
        }
        self.state = State::BlockMappingKey;
        Ok(empty_scalar())
    }

    fn flow_sequence_entry(&mut self, first: bool) -> Res {
        if first {
            self.enter_collection()?;
        }
        let (mut kind, start, _) = self.peek_kind()?;
        if kind != Tok::FlowSequenceEnd {
            if !first {
                if kind != Tok::FlowEntry {
                    let context_mark = self.pop_mark();
                    return Err(SyntaxError::parser_ctx(
                        "while parsing a flow sequence",
                        context_mark,
                        "did not find expected ',' or ']'",
                        start,
                    ));
                }
                self.sc.skip_token();
                kind = self.peek_tok()?;
            }
            if kind == Tok::Key {
                self.state = State::FlowSequenceEntryMappingKey;
                self.sc.skip_token();
                return Ok(EventKind::MappingStart {
                    anchor: None,
                    tag: String::new(),
                });
            }
            if kind != Tok::FlowSequenceEnd {
                self.states.push(State::FlowSequenceEntry);
                return self.node(false, false);
            }
        }
        self.pop_state();
        self.pop_mark();
        self.sc.skip_token();
        Ok(EventKind::SequenceEnd)
    }

    fn flow_sequence_entry_mapping_key(&mut self) -> Res {
        let kind = self.peek_tok()?;
        if !matches!(kind, Tok::Value | Tok::FlowEntry | Tok::FlowSequenceEnd) {
            self.states.push(State::FlowSequenceEntryMappingValue);
            return self.node(false, false);
        }
        self.sc.skip_token();
        self.state = State::FlowSequenceEntryMappingValue;
        Ok(empty_scalar())
    }

    fn flow_sequence_entry_mapping_value(&mut self) -> Res {
        if self.peek_tok()? == Tok::Value {
            self.sc.skip_token();
            let kind = self.peek_tok()?;
            if kind != Tok::FlowEntry && kind != Tok::FlowSequenceEnd {
                self.states.push(State::FlowSequenceEntryMappingEnd);
                return self.node(false, false);
            }
        }
        self.state = State::FlowSequenceEntryMappingEnd;
        Ok(empty_scalar())
    }

    fn flow_sequence_entry_mapping_end(&mut self) -> Res {
        self.peek_tok()?;
        self.state = State::FlowSequenceEntry;
        Ok(EventKind::MappingEnd)
    }

    fn flow_mapping_key(&mut self, first: bool) -> Res {
        if first {
            self.enter_collection()?;
        }
        let (mut kind, start, _) = self.peek_kind()?;
        if kind != Tok::FlowMappingEnd {
            if !first {
                if kind != Tok::FlowEntry {
                    let context_mark = self.pop_mark();
                    return Err(SyntaxError::parser_ctx(
                        "while parsing a flow mapping",
                        context_mark,
                        "did not find expected ',' or '}'",
                        start,
                    ));
                }
                self.sc.skip_token();
                kind = self.peek_tok()?;
            }
            if kind == Tok::Key {
                self.sc.skip_token();
                let kind = self.peek_tok()?;
                if !matches!(kind, Tok::Value | Tok::FlowEntry | Tok::FlowMappingEnd) {
                    self.states.push(State::FlowMappingValue);
                    return self.node(false, false);
                }
                self.state = State::FlowMappingValue;
                return Ok(empty_scalar());
            }
            if kind != Tok::FlowMappingEnd {
                self.states.push(State::FlowMappingEmptyValue);
                return self.node(false, false);
            }
        }
        self.pop_state();
        self.pop_mark();
        self.sc.skip_token();
        Ok(EventKind::MappingEnd)
    }

    fn flow_mapping_value(&mut self, empty: bool) -> Res {
        let kind = self.peek_tok()?;
        if !empty && kind == Tok::Value {
            self.sc.skip_token();
            let kind = self.peek_tok()?;
            if kind != Tok::FlowEntry && kind != Tok::FlowMappingEnd {
                self.states.push(State::FlowMappingKey);
                return self.node(false, false);
            }
        }
        self.state = State::FlowMappingKey;
        Ok(empty_scalar())
    }

    fn process_directives(&mut self) -> Res<()> {
        let mut have_version = false;
        loop {
            let (kind, start, _) = self.peek_kind()?;
            if kind != Tok::VersionDirective && kind != Tok::TagDirective {
                break;
            }
            match self.take_kind() {
                TokenKind::VersionDirective { major, minor } => {
                    if have_version {
                        return Err(SyntaxError::parser(
                            "found duplicate %YAML directive",
                            start,
                        ));
                    }
                    if major != 1 || minor != 1 {
                        return Err(SyntaxError::parser(
                            "found incompatible YAML document",
                            start,
                        ));
                    }
                    have_version = true;
                }
                TokenKind::TagDirective { handle, prefix } => {
                    if self.tag_directives.iter().any(|(h, _)| *h == handle) {
                        return Err(SyntaxError::parser("found duplicate %TAG directive", start));
                    }
                    self.tag_directives.push((handle, prefix));
                }
                _ => unreachable!("peeked a directive"),
            }
        }
        for (handle, prefix) in DEFAULT_TAG_DIRECTIVES {
            if !self.tag_directives.iter().any(|(h, _)| h == handle) {
                self.tag_directives
                    .push((handle.to_string(), prefix.to_string()));
            }
        }
        Ok(())
    }
}

/// The empty plain scalar go-yaml's parser supplies for a missing node.
fn empty_scalar() -> EventKind {
    EventKind::Scalar {
        anchor: None,
        tag: String::new(),
        value: String::new(),
        plain_implicit: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> String {
        let mut p = Parser::new(text.into());
        for _ in 0..1000 {
            match p.next_event() {
                Ok(EventKind::StreamEnd) => return "no error".into(),
                Ok(_) => {}
                Err(e) => return e.message(),
            }
        }
        "too many events".into()
    }

    #[test]
    fn parser_errors_read_like_go_yaml() {
        assert_eq!(error_of("a: 1\n- b"), "line 1: did not find expected key");
        assert_eq!(
            error_of("- [a, b\n"),
            "line 1: did not find expected ',' or ']'"
        );
        assert_eq!(error_of("{a?b: c}"), "did not find expected ',' or '}'");
        assert_eq!(error_of("...\na: 1"), "did not find expected node content");
        assert_eq!(error_of("a: 1\nb: 2"), "no error");
    }

    #[test]
    fn tags_resolve_through_directives() {
        let mut p = Parser::new(
            "%TAG !e! tag:example.com,2000:\n---\n- !e!foo x\n- !!str y\n- ! z\n".into(),
        );
        let mut tags = Vec::new();
        loop {
            let e = p.next_event().unwrap();
            match e {
                EventKind::Scalar { tag, .. } => tags.push(tag),
                EventKind::StreamEnd => break,
                _ => {}
            }
        }
        assert_eq!(
            tags,
            vec!["tag:example.com,2000:foo", "tag:yaml.org,2002:str", "!"]
        );
    }
}
