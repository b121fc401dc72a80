//! The YAML emitter, behaving like go-yaml's `emitterc.go` for the event
//! streams its encoder produces (one implicit document, block collections,
//! flow style only for empty collections, untagged scalars, no comments).
//!
//! Both versions Helm uses share it, told apart by [`Dialect`]:
//!
//! - [`Dialect::V2`] (`gopkg.in/yaml.v2`, behind `toYaml`): two-space
//!   indentation with sequences in mappings not indented (`key:\n- a`), and
//!   plain and quoted scalars folded at spaces once a line passes 80 columns;
//! - [`Dialect::V3`] (`go.yaml.in/yaml/v3` v3.0.4 with `SetIndent(2)`, behind
//!   `toYamlPretty`): regular indentation (`key:\n  - a`, content after `- `
//!   indented past it), lines never folded, and a tab keeps a scalar out of
//!   the plain and single-quoted styles but allows a literal block.
//!
//! In both, the scalar style is chosen by analysing the text (plain, then
//! single quotes, then double quotes; `|` literal blocks with indentation and
//! chomping hints), and keys over 128 bytes or spanning lines are written as
//! `? key`.

use super::syntax::ScalarStyle;

#[derive(Clone, Debug)]
pub(crate) enum EmitEvent {
    SequenceStart,
    SequenceEnd,
    MappingStart,
    MappingEnd,
    Scalar { value: String, style: ScalarStyle },
}

impl EmitEvent {
    /// A scalar written in the plain style.
    pub(crate) fn plain(value: String) -> EmitEvent {
        EmitEvent::Scalar {
            value,
            style: ScalarStyle::Plain,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    DocumentContent,
    DocumentEnd,
    FlowSequenceFirstItem,
    FlowSequenceItem,
    FlowMappingFirstKey,
    FlowMappingKey,
    FlowMappingSimpleValue,
    FlowMappingValue,
    BlockSequenceFirstItem,
    BlockSequenceItem,
    BlockMappingFirstKey,
    BlockMappingKey,
    BlockMappingSimpleValue,
    BlockMappingValue,
    End,
}

/// Which go-yaml's emitter to behave like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dialect {
    V2,
    V3,
}

impl Dialect {
    /// The line width past which scalars are folded: v2's 80, and for v3 its
    /// default `best_width` of -1, which becomes the largest `int32`.
    fn best_width(self) -> usize {
        match self {
            Dialect::V2 => 80,
            Dialect::V3 => i32::MAX as usize,
        }
    }
}

const BEST_INDENT: isize = 2;

#[derive(Default)]
struct Analysis {
    multiline: bool,
    flow_plain_allowed: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

fn is_blankz(c: char) -> bool {
    is_blank(c) || c == '\0' || is_break(c)
}

/// go-yaml's byte-level `is_printable`: the BMP characters YAML allows
/// (nothing beyond U+FFFF).
fn is_printable(c: char) -> bool {
    let v = c as u32;
    c == '\n'
        || (0x20..=0x7e).contains(&v)
        || (0xa0..=0xd7ff).contains(&v)
        || ((0xe000..=0xfffd).contains(&v) && v != 0xfeff)
}

/// `yaml_emitter_analyze_scalar`.
fn analyze(value: &str, dialect: Dialect) -> Analysis {
    if value.is_empty() {
        return Analysis {
            multiline: false,
            flow_plain_allowed: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = false;
    let mut flow_indicators = false;
    let mut line_breaks = false;
    let mut special_characters = false;
    let mut tab_characters = false;
    let mut leading_space = false;
    let mut leading_break = false;
    let mut trailing_space = false;
    let mut trailing_break = false;
    let mut break_space = false;
    let mut space_break = false;
    let mut previous_space = false;
    let mut previous_break = false;
    if value.starts_with("---") || value.starts_with("...") {
        block_indicators = true;
        flow_indicators = true;
    }
    let mut preceded_by_whitespace = true;
    let chars: Vec<char> = value.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let followed_by_whitespace = chars.get(i + 1).is_none_or(|&n| is_blank(n));
        let last = i + 1 == chars.len();
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                '?' | ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '-' if followed_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        } else {
            match c {
                ',' | '?' | '[' | ']' | '{' | '}' => flow_indicators = true,
                ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '#' if preceded_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        }
        if c == '\t' && dialect == Dialect::V3 {
            tab_characters = true;
        } else if !is_printable(c) {
            special_characters = true;
        }
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if last {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if last {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blankz(c);
    }
    let mut a = Analysis {
        multiline: line_breaks,
        flow_plain_allowed: true,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || tab_characters || special_characters {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special_characters {
        a.block_allowed = false;
    }
    if line_breaks {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if flow_indicators {
        a.flow_plain_allowed = false;
    }
    if block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

struct Emitter<'e> {
    dialect: Dialect,
    best_width: usize,
    events: &'e [EmitEvent],
    head: usize,
    out: String,
    state: State,
    states: Vec<State>,
    indent: isize,
    indents: Vec<isize>,
    flow_level: usize,
    mapping_context: bool,
    simple_key_context: bool,
    column: usize,
    whitespace: bool,
    indention: bool,
    analysis: Analysis,
}

/// Emits one implicit document holding `events` (a single node), as one
/// `Marshal` (v2) or one `Encode` of an `Encoder` with `SetIndent(2)` (v3)
/// writes it.
pub(crate) fn emit_document(events: &[EmitEvent], dialect: Dialect) -> String {
    let mut e = Emitter {
        dialect,
        best_width: dialect.best_width(),
        events,
        head: 0,
        out: String::new(),
        state: State::DocumentContent,
        states: Vec::new(),
        indent: -1,
        indents: Vec::new(),
        flow_level: 0,
        mapping_context: false,
        simple_key_context: false,
        column: 0,
        whitespace: true,
        indention: true,
        analysis: Analysis::default(),
    };
    while e.head < events.len() {
        e.analysis = match &events[e.head] {
            EmitEvent::Scalar { value, .. } => analyze(value, dialect),
            _ => Analysis::default(),
        };
        e.step();
        e.head += 1;
        if e.state == State::DocumentEnd {
            break;
        }
    }
    // An implicit document end just finishes the line.
    e.write_indent();
    e.out
}

impl Emitter<'_> {
    fn event(&self) -> &EmitEvent {
        &self.events[self.head]
    }

    fn step(&mut self) {
        match self.state {
            State::DocumentContent => {
                self.states.push(State::DocumentEnd);
                self.emit_node(false, false);
            }
            State::FlowSequenceFirstItem => self.flow_sequence_item(true),
            State::FlowSequenceItem => self.flow_sequence_item(false),
            State::FlowMappingFirstKey => self.flow_mapping_key(true),
            State::FlowMappingKey => self.flow_mapping_key(false),
            State::FlowMappingSimpleValue => self.flow_mapping_value(true),
            State::FlowMappingValue => self.flow_mapping_value(false),
            State::BlockSequenceFirstItem => self.block_sequence_item(true),
            State::BlockSequenceItem => self.block_sequence_item(false),
            State::BlockMappingFirstKey => self.block_mapping_key(true),
            State::BlockMappingKey => self.block_mapping_key(false),
            State::BlockMappingSimpleValue => self.block_mapping_value(true),
            State::BlockMappingValue => self.block_mapping_value(false),
            State::DocumentEnd | State::End => {}
        }
    }

    fn pop_state(&mut self) {
        self.state = self.states.pop().unwrap_or(State::End);
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    // ----- low-level output -----

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
        self.indention = true;
    }

    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
            self.indention = true;
        }
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        if self.dialect == Dialect::V2 {
            // v3 counts as indention only what follows a line break.
            self.indention = true;
        }
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in indicator.chars() {
            self.put(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    /// `yaml_emitter_increase_indent` (v3: `..._compact`, never compact here).
    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if indentless {
        } else if self.dialect == Dialect::V2 {
            self.indent += BEST_INDENT;
        } else if self.states.last() == Some(&State::BlockSequenceItem) {
            // v3: the first indent inside a sequence item skips the "- ".
            self.indent += 2;
        } else {
            self.indent = BEST_INDENT * ((self.indent + BEST_INDENT) / BEST_INDENT);
        }
    }

    /// v3 starts a new line before a flow item when the column is 0; v2
    /// only past the best width.
    fn flow_item_needs_indent(&self) -> bool {
        (self.dialect == Dialect::V3 && self.column == 0) || self.column > self.best_width
    }

    // ----- collections -----

    fn next_is(&self, want_end: fn(&EmitEvent) -> bool) -> bool {
        self.events.get(self.head + 1).is_some_and(want_end)
    }

    fn check_empty_sequence(&self) -> bool {
        matches!(self.event(), EmitEvent::SequenceStart)
            && self.next_is(|e| matches!(e, EmitEvent::SequenceEnd))
    }

    fn check_empty_mapping(&self) -> bool {
        matches!(self.event(), EmitEvent::MappingStart)
            && self.next_is(|e| matches!(e, EmitEvent::MappingEnd))
    }

    fn check_simple_key(&self) -> bool {
        match self.event() {
            EmitEvent::Scalar { value, .. } => !self.analysis.multiline && value.len() <= 128,
            EmitEvent::SequenceStart => self.check_empty_sequence(),
            EmitEvent::MappingStart => self.check_empty_mapping(),
            _ => false,
        }
    }

    fn emit_node(&mut self, mapping: bool, simple_key: bool) {
        self.mapping_context = mapping;
        self.simple_key_context = simple_key;
        match self.event() {
            EmitEvent::Scalar { .. } => self.emit_scalar(),
            EmitEvent::SequenceStart => {
                self.state = if self.flow_level > 0 || self.check_empty_sequence() {
                    State::FlowSequenceFirstItem
                } else {
                    State::BlockSequenceFirstItem
                };
            }
            EmitEvent::MappingStart => {
                self.state = if self.flow_level > 0 || self.check_empty_mapping() {
                    State::FlowMappingFirstKey
                } else {
                    State::BlockMappingFirstKey
                };
            }
            EmitEvent::SequenceEnd | EmitEvent::MappingEnd => {}
        }
    }

    fn flow_sequence_item(&mut self, first: bool) {
        if first {
            self.write_indicator("[", true, true, false);
            self.increase_indent(true, false);
            self.flow_level += 1;
        }
        if matches!(self.event(), EmitEvent::SequenceEnd) {
            self.flow_level -= 1;
            self.pop_indent();
            if self.dialect == Dialect::V3 && self.column == 0 {
                self.write_indent();
            }
            self.write_indicator("]", false, false, false);
            self.pop_state();
            return;
        }
        if !first {
            self.write_indicator(",", false, false, false);
        }
        if self.flow_item_needs_indent() {
            self.write_indent();
        }
        self.states.push(State::FlowSequenceItem);
        self.emit_node(false, false);
    }

    fn flow_mapping_key(&mut self, first: bool) {
        if first {
            self.write_indicator("{", true, true, false);
            self.increase_indent(true, false);
            self.flow_level += 1;
        }
        if matches!(self.event(), EmitEvent::MappingEnd) {
            self.flow_level -= 1;
            self.pop_indent();
            self.write_indicator("}", false, false, false);
            self.pop_state();
            return;
        }
        if !first {
            self.write_indicator(",", false, false, false);
        }
        if self.flow_item_needs_indent() {
            self.write_indent();
        }
        if self.check_simple_key() {
            self.states.push(State::FlowMappingSimpleValue);
            self.emit_node(true, true);
        } else {
            self.write_indicator("?", true, false, false);
            self.states.push(State::FlowMappingValue);
            self.emit_node(true, false);
        }
    }

    fn flow_mapping_value(&mut self, simple: bool) {
        if simple {
            self.write_indicator(":", false, false, false);
        } else {
            if self.flow_item_needs_indent() {
                self.write_indent();
            }
            self.write_indicator(":", true, false, false);
        }
        self.states.push(State::FlowMappingKey);
        self.emit_node(true, false);
    }

    fn block_sequence_item(&mut self, first: bool) {
        if first {
            // v2 leaves a sequence in a mapping unindented.
            let indentless = self.dialect == Dialect::V2 && self.mapping_context && !self.indention;
            self.increase_indent(false, indentless);
        }
        if matches!(self.event(), EmitEvent::SequenceEnd) {
            self.pop_indent();
            self.pop_state();
            return;
        }
        self.write_indent();
        self.write_indicator("-", true, false, true);
        self.states.push(State::BlockSequenceItem);
        self.emit_node(false, false);
    }

    fn block_mapping_key(&mut self, first: bool) {
        if first {
            self.increase_indent(false, false);
        }
        if matches!(self.event(), EmitEvent::MappingEnd) {
            self.pop_indent();
            self.pop_state();
            return;
        }
        self.write_indent();
        if self.check_simple_key() {
            self.states.push(State::BlockMappingSimpleValue);
            self.emit_node(true, true);
        } else {
            self.write_indicator("?", true, false, true);
            self.states.push(State::BlockMappingValue);
            self.emit_node(true, false);
        }
    }

    fn block_mapping_value(&mut self, simple: bool) {
        if simple {
            self.write_indicator(":", false, false, false);
        } else {
            self.write_indent();
            self.write_indicator(":", true, false, true);
        }
        self.states.push(State::BlockMappingKey);
        self.emit_node(true, false);
    }

    // ----- scalars -----

    fn select_style(&self, requested: ScalarStyle, value: &str) -> ScalarStyle {
        let a = &self.analysis;
        let mut style = requested;
        if self.simple_key_context && a.multiline {
            style = ScalarStyle::DoubleQuoted;
        }
        if style == ScalarStyle::Plain {
            if (self.flow_level > 0 && !a.flow_plain_allowed)
                || (self.flow_level == 0 && !a.block_plain_allowed)
            {
                style = ScalarStyle::SingleQuoted;
            }
            if value.is_empty() && (self.flow_level > 0 || self.simple_key_context) {
                style = ScalarStyle::SingleQuoted;
            }
        }
        if style == ScalarStyle::SingleQuoted && !a.single_quoted_allowed {
            style = ScalarStyle::DoubleQuoted;
        }
        if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded)
            && (!a.block_allowed || self.flow_level > 0 || self.simple_key_context)
        {
            style = ScalarStyle::DoubleQuoted;
        }
        style
    }

    fn emit_scalar(&mut self) {
        let EmitEvent::Scalar { value, style } = self.event().clone() else {
            return;
        };
        let style = self.select_style(style, &value);
        self.increase_indent(true, false);
        let allow_breaks = !self.simple_key_context;
        match style {
            ScalarStyle::Plain => self.write_plain(&value, allow_breaks),
            ScalarStyle::SingleQuoted => self.write_single_quoted(&value, allow_breaks),
            ScalarStyle::DoubleQuoted => self.write_double_quoted(&value, allow_breaks),
            ScalarStyle::Literal | ScalarStyle::Folded => self.write_literal(&value),
        }
        self.pop_indent();
        self.pop_state();
    }

    fn write_plain(&mut self, value: &str, allow_breaks: bool) {
        // v3 writes nothing at all, not even the space, for an empty value.
        let writes_nothing = self.dialect == Dialect::V3 && value.is_empty();
        if !writes_nothing && !self.whitespace {
            self.put(' ');
        }
        let chars: Vec<char> = value.chars().collect();
        let mut spaces = false;
        let mut breaks = false;
        for (i, &c) in chars.iter().enumerate() {
            let next = chars.get(i + 1).copied().unwrap_or('\0');
            if c == ' ' {
                if allow_breaks && !spaces && self.column > self.best_width && next != ' ' {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        if !writes_nothing {
            self.whitespace = false;
        }
        self.indention = false;
    }

    fn write_single_quoted(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let chars: Vec<char> = value.chars().collect();
        let mut spaces = false;
        let mut breaks = false;
        for (i, &c) in chars.iter().enumerate() {
            let next = chars.get(i + 1).copied().unwrap_or('\0');
            let inner = i > 0 && i + 1 < chars.len();
            if c == ' ' {
                if allow_breaks && !spaces && self.column > self.best_width && inner && next != ' '
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double_quoted(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        // go-yaml's BOM test looks at the start of the value, not the
        // current character, so a leading BOM escapes every character.
        let starts_with_bom = value.starts_with('\u{feff}');
        let chars: Vec<char> = value.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            let next = chars.get(i + 1).copied().unwrap_or('\0');
            if !is_printable(c) || starts_with_bom || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                self.write_escape(c);
                spaces = false;
            } else if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > self.best_width
                    && i > 0
                    && i + 1 < chars.len()
                {
                    self.write_indent();
                    if next == ' ' {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    /// One escape after the `\\` of a double-quoted scalar: a short form
    /// where YAML has one, else `x`, `u` or `U` with upper-case hex digits.
    fn write_escape(&mut self, c: char) {
        let short = match c {
            '\0' => Some('0'),
            '\u{7}' => Some('a'),
            '\u{8}' => Some('b'),
            '\t' => Some('t'),
            '\n' => Some('n'),
            '\u{b}' => Some('v'),
            '\u{c}' => Some('f'),
            '\r' => Some('r'),
            '\u{1b}' => Some('e'),
            '"' => Some('"'),
            '\\' => Some('\\'),
            '\u{85}' => Some('N'),
            '\u{a0}' => Some('_'),
            '\u{2028}' => Some('L'),
            '\u{2029}' => Some('P'),
            _ => None,
        };
        if let Some(s) = short {
            self.put(s);
            return;
        }
        let v = c as u32;
        let (letter, width) = if v <= 0xff {
            ('x', 2)
        } else if v <= 0xffff {
            ('u', 4)
        } else {
            ('U', 8)
        };
        self.put(letter);
        for k in (0..width).rev() {
            let digit = (v >> (k * 4)) & 0xf;
            let ch = char::from_digit(digit, 16)
                .unwrap_or('0')
                .to_ascii_uppercase();
            self.put(ch);
        }
    }

    fn write_literal(&mut self, value: &str) {
        self.write_indicator("|", true, false, false);
        self.write_block_hints(value);
        self.put_break();
        self.whitespace = true;
        let mut breaks = true;
        for c in value.chars() {
            if is_break(c) {
                self.write_break(c);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }

    fn write_block_hints(&mut self, value: &str) {
        let mut chars = value.chars();
        let first = chars.clone().next().unwrap_or('\0');
        if first == ' ' || is_break(first) {
            let hint = char::from_digit(BEST_INDENT as u32, 10).unwrap_or('2');
            self.write_indicator(&hint.to_string(), false, false, false);
        }
        let last = chars.next_back();
        let chomp = match last {
            None => Some('-'),
            Some(c) if !is_break(c) => Some('-'),
            Some(_) => match chars.next_back() {
                None => Some('+'),
                Some(prev) if is_break(prev) => Some('+'),
                Some(_) => None,
            },
        };
        if let Some(h) = chomp {
            self.write_indicator(&h.to_string(), false, false, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(v: &str, style: ScalarStyle) -> EmitEvent {
        EmitEvent::Scalar {
            value: v.into(),
            style,
        }
    }

    fn nested_collections() -> Vec<EmitEvent> {
        use EmitEvent::*;
        vec![
            MappingStart,
            scalar("a", ScalarStyle::Plain),
            SequenceStart,
            scalar("x", ScalarStyle::Plain),
            MappingStart,
            scalar("k", ScalarStyle::Plain),
            scalar("v", ScalarStyle::Plain),
            scalar("k2", ScalarStyle::Plain),
            MappingStart,
            MappingEnd,
            MappingEnd,
            SequenceEnd,
            scalar("b", ScalarStyle::Plain),
            SequenceStart,
            SequenceEnd,
            MappingEnd,
        ]
    }

    #[test]
    fn v2_leaves_sequences_in_mappings_unindented() {
        assert_eq!(
            emit_document(&nested_collections(), Dialect::V2),
            "a:\n- x\n- k: v\n  k2: {}\nb: []\n"
        );
    }

    #[test]
    fn v3_indents_sequences_in_mappings() {
        assert_eq!(
            emit_document(&nested_collections(), Dialect::V3),
            "a:\n  - x\n  - k: v\n    k2: {}\nb: []\n"
        );
    }

    #[test]
    fn scalar_styles() {
        for dialect in [Dialect::V2, Dialect::V3] {
            let one = |v: &str, s| emit_document(&[scalar(v, s)], dialect);
            assert_eq!(one("hello", ScalarStyle::Plain), "hello\n");
            assert_eq!(one(" lead", ScalarStyle::Plain), "' lead'\n");
            assert_eq!(one("it's: x", ScalarStyle::Plain), "'it''s: x'\n");
            assert_eq!(one("tab\there", ScalarStyle::Plain), "\"tab\\there\"\n");
            assert_eq!(one("\u{1f600}", ScalarStyle::Plain), "\"\\U0001F600\"\n");
            assert_eq!(one("a\nb", ScalarStyle::Literal), "|-\n  a\n  b\n");
            assert_eq!(one("a\nb\n", ScalarStyle::Literal), "|\n  a\n  b\n");
            assert_eq!(one("a\n\n", ScalarStyle::Literal), "|+\n  a\n\n");
            assert_eq!(one(" a\nb", ScalarStyle::Literal), "|2-\n   a\n  b\n");
            assert_eq!(one("a \nb", ScalarStyle::Literal), "\"a \\nb\"\n");
            assert_eq!(one("true", ScalarStyle::DoubleQuoted), "\"true\"\n");
        }
    }

    #[test]
    fn v3_allows_tabs_in_literal_blocks() {
        let events = [scalar("a\tb\nc", ScalarStyle::Literal)];
        assert_eq!(emit_document(&events, Dialect::V3), "|-\n  a\tb\n  c\n");
        assert_eq!(emit_document(&events, Dialect::V2), "\"a\\tb\\nc\"\n");
    }

    #[test]
    fn v2_folds_long_plain_scalars_at_80_columns_and_v3_never() {
        let words = vec!["word"; 30].join(" ");
        let events = [
            EmitEvent::MappingStart,
            scalar("k", ScalarStyle::Plain),
            scalar(&words, ScalarStyle::Plain),
            EmitEvent::MappingEnd,
        ];
        let out = emit_document(&events, Dialect::V2);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].len() > 80 && lines[0].len() < 86);
        assert!(lines[1].starts_with("  word"));
        assert_eq!(emit_document(&events, Dialect::V3), format!("k: {words}\n"));
    }

    #[test]
    fn long_and_multiline_keys_are_complex() {
        let key = "k".repeat(129);
        let events = [
            EmitEvent::MappingStart,
            scalar(&key, ScalarStyle::Plain),
            scalar("v", ScalarStyle::Plain),
            EmitEvent::MappingEnd,
        ];
        for dialect in [Dialect::V2, Dialect::V3] {
            assert_eq!(emit_document(&events, dialect), format!("? {key}\n: v\n"));
        }
    }
}
