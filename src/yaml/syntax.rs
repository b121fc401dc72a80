//! Positions, tokens, events and syntax errors shared by the YAML reader,
//! scanner and parser (go-yaml v2's `yamlh.go` types), and the rule by which
//! go-yaml turns a syntax error into its message (`parser.fail`).

/// A position in the input; all fields count from zero. `index` counts
/// characters (a CR LF pair counts two).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Mark {
    pub index: usize,
    pub line: usize,
    pub column: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum TokenKind {
    StreamStart,
    StreamEnd,
    VersionDirective { major: u32, minor: u32 },
    TagDirective { handle: String, prefix: String },
    DocumentStart,
    DocumentEnd,
    BlockSequenceStart,
    BlockMappingStart,
    BlockEnd,
    FlowSequenceStart,
    FlowSequenceEnd,
    FlowMappingStart,
    FlowMappingEnd,
    BlockEntry,
    FlowEntry,
    Key,
    Value,
    Alias(String),
    Anchor(String),
    Tag { handle: String, suffix: String },
    Scalar { value: String, style: ScalarStyle },
}

/// A token's type without its payload, cheap to copy and compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tok {
    StreamStart,
    StreamEnd,
    VersionDirective,
    TagDirective,
    DocumentStart,
    DocumentEnd,
    BlockSequenceStart,
    BlockMappingStart,
    BlockEnd,
    FlowSequenceStart,
    FlowSequenceEnd,
    FlowMappingStart,
    FlowMappingEnd,
    BlockEntry,
    FlowEntry,
    Key,
    Value,
    Alias,
    Anchor,
    Tag,
    Scalar,
}

impl TokenKind {
    pub(crate) fn tok(&self) -> Tok {
        match self {
            TokenKind::StreamStart => Tok::StreamStart,
            TokenKind::StreamEnd => Tok::StreamEnd,
            TokenKind::VersionDirective { .. } => Tok::VersionDirective,
            TokenKind::TagDirective { .. } => Tok::TagDirective,
            TokenKind::DocumentStart => Tok::DocumentStart,
            TokenKind::DocumentEnd => Tok::DocumentEnd,
            TokenKind::BlockSequenceStart => Tok::BlockSequenceStart,
            TokenKind::BlockMappingStart => Tok::BlockMappingStart,
            TokenKind::BlockEnd => Tok::BlockEnd,
            TokenKind::FlowSequenceStart => Tok::FlowSequenceStart,
            TokenKind::FlowSequenceEnd => Tok::FlowSequenceEnd,
            TokenKind::FlowMappingStart => Tok::FlowMappingStart,
            TokenKind::FlowMappingEnd => Tok::FlowMappingEnd,
            TokenKind::BlockEntry => Tok::BlockEntry,
            TokenKind::FlowEntry => Tok::FlowEntry,
            TokenKind::Key => Tok::Key,
            TokenKind::Value => Tok::Value,
            TokenKind::Alias(_) => Tok::Alias,
            TokenKind::Anchor(_) => Tok::Anchor,
            TokenKind::Tag { .. } => Tok::Tag,
            TokenKind::Scalar { .. } => Tok::Scalar,
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub start: Mark,
    pub end: Mark,
}

/// A parser event, with what go-yaml's node tree keeps of it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum EventKind {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Alias {
        anchor: String,
    },
    Scalar {
        anchor: Option<String>,
        /// The resolved tag, empty when there is none.
        tag: String,
        value: String,
        /// libyaml's `plain_implicit` (go-yaml's node `implicit`): a plain
        /// scalar without a tag, or with the non-specific `!` tag.
        plain_implicit: bool,
    },
    SequenceStart {
        anchor: Option<String>,
        tag: String,
    },
    SequenceEnd,
    MappingStart {
        anchor: Option<String>,
        tag: String,
    },
    MappingEnd,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ErrorKind {
    Reader,
    Scanner,
    Parser,
}

/// A reader, scanner or parser error with libyaml's problem/context fields.
#[derive(Clone, Debug)]
pub(crate) struct SyntaxError {
    pub kind: ErrorKind,
    pub problem: String,
    pub problem_mark: Mark,
    /// libyaml's context text (`while scanning a simple key`); go-yaml does
    /// not print it, but it documents each error.
    #[allow(dead_code)]
    pub context: &'static str,
    pub context_mark: Mark,
}

impl SyntaxError {
    pub(crate) fn scanner(
        context: &'static str,
        context_mark: Mark,
        problem: &str,
        at: Mark,
    ) -> Self {
        SyntaxError {
            kind: ErrorKind::Scanner,
            problem: problem.to_string(),
            problem_mark: at,
            context,
            context_mark,
        }
    }

    pub(crate) fn parser(problem: &str, problem_mark: Mark) -> Self {
        SyntaxError {
            kind: ErrorKind::Parser,
            problem: problem.to_string(),
            problem_mark,
            context: "",
            context_mark: Mark::default(),
        }
    }

    pub(crate) fn parser_ctx(
        context: &'static str,
        context_mark: Mark,
        problem: &str,
        problem_mark: Mark,
    ) -> Self {
        SyntaxError {
            kind: ErrorKind::Parser,
            problem: problem.to_string(),
            problem_mark,
            context,
            context_mark,
        }
    }

    /// The line go-yaml reports: the problem line (one-based for scanner
    /// errors, but zero-based for parser errors, a go-yaml quirk kept for
    /// fidelity), else the context line (zero-based); `None` when that is 0.
    pub(crate) fn reported_line(&self) -> Option<usize> {
        let line = if self.problem_mark.line != 0 {
            if self.kind == ErrorKind::Scanner {
                self.problem_mark.line + 1
            } else {
                self.problem_mark.line
            }
        } else {
            self.context_mark.line
        };
        (line != 0).then_some(line)
    }

    /// go-yaml's message without the `yaml: ` prefix, e.g.
    /// `line 3: mapping values are not allowed in this context`.
    pub(crate) fn message(&self) -> String {
        let problem = if self.problem.is_empty() {
            "unknown problem parsing YAML content"
        } else {
            &self.problem
        };
        match self.reported_line() {
            Some(line) => format!("line {line}: {problem}"),
            None => problem.to_string(),
        }
    }
}
