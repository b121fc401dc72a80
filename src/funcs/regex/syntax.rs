//! Go's regular expression syntax (`regexp/syntax`, Go 1.26, `syntax.Perl`
//! flags), checked with Go's rules and error texts and translated into an
//! equivalent pattern for Rust's `regex` crate.
//!
//! Both engines implement RE2's leftmost-first semantics, so the match
//! results agree once the syntax is made to mean the same thing. The parser
//! here follows Go's left-to-right parse (the same errors, reported for the
//! same offending text, in the same order) and builds a small tree, which is
//! then written out in an explicit, unambiguous Rust form:
//! - Go's `\d`, `\s`, `\w`, `\b` and POSIX classes are ASCII-only (`\s` is
//!   `[\t\n\f\r ]`, without `\v`): they become explicit ASCII ranges and
//!   `(?-u:\b)`;
//! - flags are resolved per atom (`(?i:x)`, `[^\n]` for `.`, `\A`/`(?m:^)`,
//!   `*`/`*?` after applying `U`), so no Rust flag scoping rule matters;
//! - every literal character outside `[0-9A-Za-z]` is written as `\x{…}`,
//!   so Rust-only syntax (`a{,3}`, class set operations, `\<`) never arises;
//! - capture groups are emitted unnamed (Go allows names Rust rejects, and
//!   duplicates); the names are kept here for `Expand`;
//! - `\p{…}` names are resolved with Go's lookup (canonicalised names,
//!   categories, single-word scripts, category aliases) and emitted as
//!   `\p{gc=…}` / `\p{sc=…}` (Go's tables are the Script property, not
//!   Script_Extensions).
//!
//! Go's size limits are mirrored on this tree: repeat counts over 1000
//! (including nested products), a nesting height over 1000, and a compiled
//! size estimate over Go's `maxSize` (Go's alternation factoring, which can
//! only shrink that estimate, is not reproduced).

use std::fmt;

/// Go's `syntax.ErrorCode` texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    InvalidCharClass,
    InvalidCharRange,
    InvalidEscape,
    InvalidNamedCapture,
    InvalidPerlOp,
    InvalidRepeatOp,
    InvalidRepeatSize,
    MissingBracket,
    MissingParen,
    MissingRepeatArgument,
    TrailingBackslash,
    UnexpectedParen,
    NestingDepth,
    Large,
}

impl ErrorCode {
    pub fn text(self) -> &'static str {
        match self {
            ErrorCode::InvalidCharClass => "invalid character class",
            ErrorCode::InvalidCharRange => "invalid character class range",
            ErrorCode::InvalidEscape => "invalid escape sequence",
            ErrorCode::InvalidNamedCapture => "invalid named capture",
            ErrorCode::InvalidPerlOp => "invalid or unsupported Perl syntax",
            ErrorCode::InvalidRepeatOp => "invalid nested repetition operator",
            ErrorCode::InvalidRepeatSize => "invalid repeat count",
            ErrorCode::MissingBracket => "missing closing ]",
            ErrorCode::MissingParen => "missing closing )",
            ErrorCode::MissingRepeatArgument => "missing argument to repetition operator",
            ErrorCode::TrailingBackslash => "trailing backslash at end of expression",
            ErrorCode::UnexpectedParen => "unexpected )",
            ErrorCode::NestingDepth => "expression nests too deeply",
            ErrorCode::Large => "expression too large",
        }
    }
}

/// Go's `*syntax.Error`: a code and the offending text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub code: ErrorCode,
    pub expr: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "error parsing regexp: {}: `{}`",
            self.code.text(),
            self.expr
        )
    }
}

impl std::error::Error for SyntaxError {}

fn err<T>(code: ErrorCode, expr: &str) -> Result<T, SyntaxError> {
    Err(SyntaxError {
        code,
        expr: expr.to_string(),
    })
}

/// A pattern checked with Go's rules, in Rust syntax.
#[derive(Clone, Debug)]
pub struct Translated {
    /// The equivalent pattern for Rust's `regex` crate.
    pub pattern: String,
    /// Go's `SubexpNames`: index 0 is the whole match (""), unnamed groups
    /// are "".
    pub names: Vec<String>,
}

/// Parses `expr` as Go's `regexp.Compile` does and translates it.
pub fn translate(expr: &str) -> Result<Translated, SyntaxError> {
    let mut p = Parser {
        whole: expr,
        flags: Flags::PERL,
        frames: vec![Frame::top()],
        names: vec![String::new()],
    };
    let root = p.parse()?;
    let mut pattern = String::with_capacity(expr.len() * 2);
    emit(&root, &mut pattern);
    Ok(Translated {
        pattern,
        names: p.names,
    })
}

const MAX_RUNE: u32 = 0x10FFFF;
/// Go's `maxHeight`.
const MAX_HEIGHT: u32 = 1000;
/// Go's `maxSize`: 128 MiB of 40-byte instructions.
const MAX_SIZE: i64 = (128 << 20) / 40;
/// The largest count in `{n,m}`.
const MAX_REPEAT: i64 = 1000;

#[derive(Clone, Copy, Debug)]
struct Flags {
    fold: bool,
    dot_nl: bool,
    one_line: bool,
    non_greedy: bool,
}

impl Flags {
    /// `syntax.Perl`: `^`/`$` match at text boundaries only.
    const PERL: Flags = Flags {
        fold: false,
        dot_nl: false,
        one_line: true,
        non_greedy: false,
    };
}

/// One of Go's ASCII class tables (`perl_groups.go`).
#[derive(Clone, Copy, Debug)]
struct Group {
    negated: bool,
    ranges: &'static [(u32, u32)],
}

const DIGIT: &[(u32, u32)] = &[(0x30, 0x39)];
const SPACE: &[(u32, u32)] = &[(0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x20)];
const WORD: &[(u32, u32)] = &[(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)];

fn perl_group(c: u8) -> Option<Group> {
    let (negated, ranges) = match c {
        b'd' => (false, DIGIT),
        b'D' => (true, DIGIT),
        b's' => (false, SPACE),
        b'S' => (true, SPACE),
        b'w' => (false, WORD),
        b'W' => (true, WORD),
        _ => return None,
    };
    Some(Group { negated, ranges })
}

fn posix_group(name: &str) -> Option<Group> {
    let (negated, base) = match name.strip_prefix('^') {
        Some(rest) => (true, rest),
        None => (false, name),
    };
    let ranges: &'static [(u32, u32)] = match base {
        "alnum" => &[(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)],
        "alpha" => &[(0x41, 0x5A), (0x61, 0x7A)],
        "ascii" => &[(0x00, 0x7F)],
        "blank" => &[(0x09, 0x09), (0x20, 0x20)],
        "cntrl" => &[(0x00, 0x1F), (0x7F, 0x7F)],
        "digit" => DIGIT,
        "graph" => &[(0x21, 0x7E)],
        "lower" => &[(0x61, 0x7A)],
        "print" => &[(0x20, 0x7E)],
        "punct" => &[(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)],
        "space" => &[(0x09, 0x0D), (0x20, 0x20)],
        "upper" => &[(0x41, 0x5A)],
        "word" => WORD,
        "xdigit" => &[(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)],
        _ => return None,
    };
    Some(Group { negated, ranges })
}

/// A Unicode class as Go's `unicodeTable` resolves it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum UniTable {
    Any,
    Ascii,
    /// Everything but general category Cn.
    Assigned,
    Category(&'static str),
    Script(&'static str),
}

/// `unicode.Categories` keys (Go 1.26, Unicode 15.0.0).
const CATEGORIES: &[&str] = &[
    "C", "Cc", "Cf", "Cn", "Co", "Cs", "L", "LC", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me",
    "Mn", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk",
    "Sm", "So", "Z", "Zl", "Zp", "Zs",
];

/// `unicode.Scripts` keys (Go 1.26). Go looks names up after
/// canonicalising them (`Old_Italic` becomes `Olditalic`), so only the
/// single-word keys can ever be found; the list is kept whole for clarity.
const SCRIPTS: &[&str] = &[
    "Adlam",
    "Ahom",
    "Anatolian_Hieroglyphs",
    "Arabic",
    "Armenian",
    "Avestan",
    "Balinese",
    "Bamum",
    "Bassa_Vah",
    "Batak",
    "Bengali",
    "Bhaiksuki",
    "Bopomofo",
    "Brahmi",
    "Braille",
    "Buginese",
    "Buhid",
    "Canadian_Aboriginal",
    "Carian",
    "Caucasian_Albanian",
    "Chakma",
    "Cham",
    "Cherokee",
    "Chorasmian",
    "Common",
    "Coptic",
    "Cuneiform",
    "Cypriot",
    "Cypro_Minoan",
    "Cyrillic",
    "Deseret",
    "Devanagari",
    "Dives_Akuru",
    "Dogra",
    "Duployan",
    "Egyptian_Hieroglyphs",
    "Elbasan",
    "Elymaic",
    "Ethiopic",
    "Georgian",
    "Glagolitic",
    "Gothic",
    "Grantha",
    "Greek",
    "Gujarati",
    "Gunjala_Gondi",
    "Gurmukhi",
    "Han",
    "Hangul",
    "Hanifi_Rohingya",
    "Hanunoo",
    "Hatran",
    "Hebrew",
    "Hiragana",
    "Imperial_Aramaic",
    "Inherited",
    "Inscriptional_Pahlavi",
    "Inscriptional_Parthian",
    "Javanese",
    "Kaithi",
    "Kannada",
    "Katakana",
    "Kawi",
    "Kayah_Li",
    "Kharoshthi",
    "Khitan_Small_Script",
    "Khmer",
    "Khojki",
    "Khudawadi",
    "Lao",
    "Latin",
    "Lepcha",
    "Limbu",
    "Linear_A",
    "Linear_B",
    "Lisu",
    "Lycian",
    "Lydian",
    "Mahajani",
    "Makasar",
    "Malayalam",
    "Mandaic",
    "Manichaean",
    "Marchen",
    "Masaram_Gondi",
    "Medefaidrin",
    "Meetei_Mayek",
    "Mende_Kikakui",
    "Meroitic_Cursive",
    "Meroitic_Hieroglyphs",
    "Miao",
    "Modi",
    "Mongolian",
    "Mro",
    "Multani",
    "Myanmar",
    "Nabataean",
    "Nag_Mundari",
    "Nandinagari",
    "New_Tai_Lue",
    "Newa",
    "Nko",
    "Nushu",
    "Nyiakeng_Puachue_Hmong",
    "Ogham",
    "Ol_Chiki",
    "Old_Hungarian",
    "Old_Italic",
    "Old_North_Arabian",
    "Old_Permic",
    "Old_Persian",
    "Old_Sogdian",
    "Old_South_Arabian",
    "Old_Turkic",
    "Old_Uyghur",
    "Oriya",
    "Osage",
    "Osmanya",
    "Pahawh_Hmong",
    "Palmyrene",
    "Pau_Cin_Hau",
    "Phags_Pa",
    "Phoenician",
    "Psalter_Pahlavi",
    "Rejang",
    "Runic",
    "Samaritan",
    "Saurashtra",
    "Sharada",
    "Shavian",
    "Siddham",
    "SignWriting",
    "Sinhala",
    "Sogdian",
    "Sora_Sompeng",
    "Soyombo",
    "Sundanese",
    "Syloti_Nagri",
    "Syriac",
    "Tagalog",
    "Tagbanwa",
    "Tai_Le",
    "Tai_Tham",
    "Tai_Viet",
    "Takri",
    "Tamil",
    "Tangsa",
    "Tangut",
    "Telugu",
    "Thaana",
    "Thai",
    "Tibetan",
    "Tifinagh",
    "Tirhuta",
    "Toto",
    "Ugaritic",
    "Vai",
    "Vithkuqi",
    "Wancho",
    "Warang_Citi",
    "Yezidi",
    "Yi",
    "Zanabazar_Square",
];

/// `unicode.CategoryAliases` (Go 1.26).
const CATEGORY_ALIASES: &[(&str, &str)] = &[
    ("Cased_Letter", "LC"),
    ("Close_Punctuation", "Pe"),
    ("Combining_Mark", "M"),
    ("Connector_Punctuation", "Pc"),
    ("Control", "Cc"),
    ("Currency_Symbol", "Sc"),
    ("Dash_Punctuation", "Pd"),
    ("Decimal_Number", "Nd"),
    ("Enclosing_Mark", "Me"),
    ("Final_Punctuation", "Pf"),
    ("Format", "Cf"),
    ("Initial_Punctuation", "Pi"),
    ("Letter", "L"),
    ("Letter_Number", "Nl"),
    ("Line_Separator", "Zl"),
    ("Lowercase_Letter", "Ll"),
    ("Mark", "M"),
    ("Math_Symbol", "Sm"),
    ("Modifier_Letter", "Lm"),
    ("Modifier_Symbol", "Sk"),
    ("Nonspacing_Mark", "Mn"),
    ("Number", "N"),
    ("Open_Punctuation", "Ps"),
    ("Other", "C"),
    ("Other_Letter", "Lo"),
    ("Other_Number", "No"),
    ("Other_Punctuation", "Po"),
    ("Other_Symbol", "So"),
    ("Paragraph_Separator", "Zp"),
    ("Private_Use", "Co"),
    ("Punctuation", "P"),
    ("Separator", "Z"),
    ("Space_Separator", "Zs"),
    ("Spacing_Mark", "Mc"),
    ("Surrogate", "Cs"),
    ("Symbol", "S"),
    ("Titlecase_Letter", "Lt"),
    ("Unassigned", "Cn"),
    ("Uppercase_Letter", "Lu"),
    ("cntrl", "Cc"),
    ("digit", "Nd"),
    ("punct", "P"),
];

/// Go's `canonicalName`: separators (`_`, `-`, space) dropped, the first
/// letter upper case and the other ASCII letters lower case.
fn canonical_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut first = true;
    for c in name.chars() {
        match c {
            '_' | '-' | ' ' => {}
            _ if first => {
                first = false;
                out.push(c.to_ascii_uppercase());
            }
            _ => out.push(c.to_ascii_lowercase()),
        }
    }
    out
}

/// Go's `unicodeTable`, returning the table and whether it is inverted.
fn unicode_table(name: &str) -> Option<UniTable> {
    let name = canonical_name(name);
    match name.as_str() {
        "Any" => return Some(UniTable::Any),
        "Assigned" => return Some(UniTable::Assigned),
        "Ascii" => return Some(UniTable::Ascii),
        "Lc" => return Some(UniTable::Category("LC")),
        _ => {}
    }
    if let Some(c) = CATEGORIES.iter().find(|c| **c == name) {
        return Some(UniTable::Category(c));
    }
    if let Some(s) = SCRIPTS.iter().find(|s| **s == name) {
        return Some(UniTable::Script(s));
    }
    CATEGORY_ALIASES
        .iter()
        .find(|(alias, _)| canonical_name(alias) == name)
        .map(|(_, cat)| UniTable::Category(cat))
}

/// One member of a bracketed class.
#[derive(Clone, Debug)]
enum Item {
    Range(u32, u32),
    Group(Group),
    Unicode { negated: bool, table: UniTable },
}

#[derive(Clone, Debug)]
struct Class {
    negated: bool,
    fold: bool,
    items: Vec<Item>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Look {
    BeginLine,
    EndLine,
    BeginText,
    EndText,
    WordBoundary,
    NoWordBoundary,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RepeatOp {
    Star,
    Plus,
    Quest,
    /// `{min,max}`; max -1 means unbounded.
    Counted(i64, i64),
}

#[derive(Clone, Debug)]
enum Kind {
    Empty,
    /// A code point (possibly a surrogate, which matches nothing).
    Literal(u32, bool),
    Class(Class),
    AnyNotNl,
    Any,
    Look(Look),
    Capture(Box<Node>),
    Repeat {
        op: RepeatOp,
        greedy: bool,
        sub: Box<Node>,
    },
    Concat(Vec<Node>),
    Alternate(Vec<Node>),
}

/// A parsed expression with Go's size estimate and tree height.
#[derive(Clone, Debug)]
struct Node {
    kind: Kind,
    size: i64,
    height: u32,
}

impl Node {
    fn new(kind: Kind) -> Node {
        let (size, height) = match &kind {
            Kind::Literal(..) => (1, 1),
            Kind::Capture(sub) => (2 + sub.size, sub.height + 1),
            Kind::Repeat { op, sub, .. } => {
                let size = match *op {
                    RepeatOp::Star => 2 + sub.size,
                    RepeatOp::Plus | RepeatOp::Quest => 1 + sub.size,
                    RepeatOp::Counted(0, -1) => 2 + sub.size,
                    RepeatOp::Counted(min, -1) => 1 + min.saturating_mul(sub.size),
                    RepeatOp::Counted(min, max) => max.saturating_mul(sub.size) + (max - min),
                };
                (size, sub.height + 1)
            }
            Kind::Concat(subs) | Kind::Alternate(subs) => {
                let mut size: i64 = subs.iter().map(|s| s.size).sum();
                if matches!(kind, Kind::Alternate(_)) && subs.len() > 1 {
                    size += subs.len() as i64 - 1;
                }
                let height = subs.iter().map(|s| s.height).max().unwrap_or(0) + 1;
                (size, height)
            }
            _ => (0, 1),
        };
        Node {
            kind,
            size: size.max(1),
            height,
        }
    }
}

/// An open group (or the whole expression) on the parse stack.
struct Frame {
    /// `Some(flags before the group)` for a parenthesised group.
    group: Option<(Option<usize>, Flags)>,
    alternates: Vec<Node>,
    items: Vec<Node>,
}

impl Frame {
    fn top() -> Frame {
        Frame {
            group: None,
            alternates: Vec::new(),
            items: Vec::new(),
        }
    }
}

struct Parser<'a> {
    whole: &'a str,
    flags: Flags,
    frames: Vec<Frame>,
    names: Vec<String>,
}

fn is_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

fn unhex(c: char) -> Option<u32> {
    c.to_digit(16)
}

/// The first character of `s` and the rest (`None` at the end, as Go's
/// `nextRune` yields `RuneError` with width 0).
fn next_char(s: &str) -> (Option<char>, &str) {
    let mut it = s.chars();
    let c = it.next();
    (c, it.as_str())
}

impl<'a> Parser<'a> {
    fn frame(&mut self) -> &mut Frame {
        // The top-level frame is never popped.
        let last = self.frames.len() - 1;
        &mut self.frames[last]
    }

    /// Go's `push` with `checkLimits`.
    fn push(&mut self, kind: Kind) -> Result<(), SyntaxError> {
        let node = self.checked(Node::new(kind))?;
        self.frame().items.push(node);
        Ok(())
    }

    fn checked(&self, node: Node) -> Result<Node, SyntaxError> {
        if node.size > MAX_SIZE {
            return err(ErrorCode::Large, self.whole);
        }
        if node.height > MAX_HEIGHT {
            return err(ErrorCode::NestingDepth, self.whole);
        }
        Ok(node)
    }

    fn literal(&mut self, c: u32) -> Result<(), SyntaxError> {
        self.push(Kind::Literal(c, self.flags.fold))
    }

    fn parse(&mut self) -> Result<Node, SyntaxError> {
        let whole = self.whole;
        let mut t = whole;
        // The text from the previous repetition operator to the end, if
        // the previous token was one (Go's `lastRepeat`).
        let mut last_repeat: Option<&'a str> = None;
        while !t.is_empty() {
            let mut repeat: Option<&'a str> = None;
            let b = t.as_bytes()[0];
            match b {
                b'(' => {
                    if t.len() >= 2 && t.as_bytes()[1] == b'?' {
                        t = self.parse_perl_flags(t)?;
                    } else {
                        self.open_group(None, None);
                        t = &t[1..];
                    }
                }
                b'|' => {
                    self.vertical_bar()?;
                    t = &t[1..];
                }
                b')' => {
                    self.right_paren()?;
                    t = &t[1..];
                }
                b'^' => {
                    let look = if self.flags.one_line {
                        Look::BeginText
                    } else {
                        Look::BeginLine
                    };
                    self.push(Kind::Look(look))?;
                    t = &t[1..];
                }
                b'$' => {
                    let look = if self.flags.one_line {
                        Look::EndText
                    } else {
                        Look::EndLine
                    };
                    self.push(Kind::Look(look))?;
                    t = &t[1..];
                }
                b'.' => {
                    let kind = if self.flags.dot_nl {
                        Kind::Any
                    } else {
                        Kind::AnyNotNl
                    };
                    self.push(kind)?;
                    t = &t[1..];
                }
                b'[' => t = self.parse_class(t)?,
                b'*' | b'+' | b'?' => {
                    let op = match b {
                        b'*' => RepeatOp::Star,
                        b'+' => RepeatOp::Plus,
                        _ => RepeatOp::Quest,
                    };
                    let before = t;
                    t = self.repeat(op, before, &t[1..], last_repeat)?;
                    repeat = Some(before);
                }
                b'{' => {
                    let before = t;
                    match parse_repeat(t) {
                        None => {
                            // Not a repetition: `{` is a literal.
                            self.literal('{' as u32)?;
                            t = &t[1..];
                        }
                        Some((min, max, after)) => {
                            let bad_max = max > MAX_REPEAT || max >= 0 && min > max;
                            if !(0..=MAX_REPEAT).contains(&min) || bad_max {
                                return err(
                                    ErrorCode::InvalidRepeatSize,
                                    &before[..before.len() - after.len()],
                                );
                            }
                            t = self.repeat(
                                RepeatOp::Counted(min, max),
                                before,
                                after,
                                last_repeat,
                            )?;
                            repeat = Some(before);
                        }
                    }
                }
                b'\\' => t = self.parse_backslash(t)?,
                _ => {
                    let (c, rest) = next_char(t);
                    // `t` is non-empty, so there is a character.
                    self.literal(c.map_or(0xFFFD, u32::from))?;
                    t = rest;
                }
            }
            last_repeat = repeat;
        }
        if self.frames.len() != 1 {
            return err(ErrorCode::MissingParen, whole);
        }
        let frame = self.frames.pop().unwrap_or_else(Frame::top);
        self.finish(frame)
    }

    /// A `\` outside a class: assertions, `\Q…\E`, classes, escapes.
    fn parse_backslash(&mut self, t: &'a str) -> Result<&'a str, SyntaxError> {
        let bytes = t.as_bytes();
        if bytes.len() >= 2 {
            let look = match bytes[1] {
                b'A' => Some(Look::BeginText),
                b'b' => Some(Look::WordBoundary),
                b'B' => Some(Look::NoWordBoundary),
                b'z' => Some(Look::EndText),
                b'C' => return err(ErrorCode::InvalidEscape, &t[..2]),
                b'Q' => {
                    let body = &t[2..];
                    let (lit, rest) = match body.find("\\E") {
                        Some(i) => (&body[..i], &body[i + 2..]),
                        None => (body, ""),
                    };
                    for c in lit.chars() {
                        self.literal(u32::from(c))?;
                    }
                    return Ok(rest);
                }
                _ => None,
            };
            if let Some(look) = look {
                self.push(Kind::Look(look))?;
                return Ok(&t[2..]);
            }
            if bytes[1] == b'p' || bytes[1] == b'P' {
                let (item, rest) = parse_unicode_class(t)?;
                self.push(Kind::Class(Class {
                    negated: false,
                    fold: self.flags.fold,
                    items: vec![item],
                }))?;
                return Ok(rest);
            }
            if let Some(group) = perl_group(bytes[1]) {
                self.push(Kind::Class(Class {
                    negated: false,
                    fold: self.flags.fold,
                    items: vec![Item::Group(group)],
                }))?;
                return Ok(&t[2..]);
            }
        }
        let (c, rest) = parse_escape(t)?;
        self.literal(c)?;
        Ok(rest)
    }

    fn open_group(&mut self, name: Option<&str>, capture_flags: Option<Flags>) {
        let saved = self.flags;
        let cap = match capture_flags {
            // A non-capturing `(?flags:`: restore the flags from before it.
            Some(_) => None,
            None => {
                self.names.push(name.unwrap_or_default().to_string());
                Some(self.names.len() - 1)
            }
        };
        self.frames.push(Frame {
            group: Some((cap, saved)),
            alternates: Vec::new(),
            items: Vec::new(),
        });
    }

    /// Go's `parseVerticalBar`.
    fn vertical_bar(&mut self) -> Result<(), SyntaxError> {
        let items = std::mem::take(&mut self.frame().items);
        let node = self.concat(items)?;
        self.frame().alternates.push(node);
        Ok(())
    }

    fn concat(&self, mut items: Vec<Node>) -> Result<Node, SyntaxError> {
        let node = match items.len() {
            0 => Node::new(Kind::Empty),
            1 => items.pop().unwrap_or_else(|| Node::new(Kind::Empty)),
            _ => Node::new(Kind::Concat(items)),
        };
        self.checked(node)
    }

    /// The concatenation and alternation of a finished frame.
    fn finish(&self, mut frame: Frame) -> Result<Node, SyntaxError> {
        let last = self.concat(std::mem::take(&mut frame.items))?;
        if frame.alternates.is_empty() {
            return Ok(last);
        }
        frame.alternates.push(last);
        self.checked(Node::new(Kind::Alternate(frame.alternates)))
    }

    /// Go's `parseRightParen`.
    fn right_paren(&mut self) -> Result<(), SyntaxError> {
        if self.frames.len() < 2 {
            return err(ErrorCode::UnexpectedParen, self.whole);
        }
        let Some(frame) = self.frames.pop() else {
            return err(ErrorCode::UnexpectedParen, self.whole);
        };
        let Some((cap, saved)) = frame.group else {
            return err(ErrorCode::UnexpectedParen, self.whole);
        };
        let node = self.finish(frame)?;
        self.flags = saved;
        match cap {
            Some(_) => self.push(Kind::Capture(Box::new(node))),
            None => {
                let node = self.checked(node)?;
                self.frame().items.push(node);
                Ok(())
            }
        }
    }

    /// Go's `repeat`: applies a repetition operator to the last item.
    /// `before` starts at the operator, `after` follows it.
    fn repeat(
        &mut self,
        op: RepeatOp,
        before: &'a str,
        mut after: &'a str,
        last_repeat: Option<&'a str>,
    ) -> Result<&'a str, SyntaxError> {
        let mut non_greedy = self.flags.non_greedy;
        if let Some(rest) = after.strip_prefix('?') {
            after = rest;
            non_greedy = !non_greedy;
        }
        if let Some(last) = last_repeat {
            return err(
                ErrorCode::InvalidRepeatOp,
                &last[..last.len() - after.len()],
            );
        }
        let op_text = &before[..before.len() - after.len()];
        let Some(sub) = self.frame().items.pop() else {
            return err(ErrorCode::MissingRepeatArgument, op_text);
        };
        let node = self.checked(Node::new(Kind::Repeat {
            op,
            greedy: !non_greedy,
            sub: Box::new(sub),
        }))?;
        if let RepeatOp::Counted(min, max) = op {
            if (min >= 2 || max >= 2) && !repeat_is_valid(&node, MAX_REPEAT) {
                return err(ErrorCode::InvalidRepeatSize, op_text);
            }
        }
        self.frame().items.push(node);
        Ok(after)
    }

    /// Go's `parsePerlFlags`: `(?P<name>`, `(?<name>`, `(?flags)`,
    /// `(?flags:`. `s` starts with `(?`.
    fn parse_perl_flags(&mut self, s: &'a str) -> Result<&'a str, SyntaxError> {
        let b = s.as_bytes();
        let starts_with_p = b.len() > 4 && b[2] == b'P' && b[3] == b'<';
        let starts_with_name = b.len() > 3 && b[2] == b'<';
        if starts_with_p || starts_with_name {
            let name_start = if starts_with_p { 4 } else { 3 };
            let Some(end) = s.find('>') else {
                return err(ErrorCode::InvalidNamedCapture, s);
            };
            let capture = &s[..end + 1];
            let name = &s[name_start..end];
            if name.is_empty() || !name.chars().all(|c| c == '_' || is_alnum(c)) {
                return err(ErrorCode::InvalidNamedCapture, capture);
            }
            self.open_group(Some(name), None);
            return Ok(&s[end + 1..]);
        }

        let mut t = &s[2..];
        let mut flags = self.flags;
        let mut negated = false;
        let mut saw_flag = false;
        while let (Some(c), rest) = next_char(t) {
            t = rest;
            let set = !negated;
            match c {
                'i' => {
                    flags.fold = set;
                    saw_flag = true;
                }
                'm' => {
                    flags.one_line = !set;
                    saw_flag = true;
                }
                's' => {
                    flags.dot_nl = set;
                    saw_flag = true;
                }
                'U' => {
                    flags.non_greedy = set;
                    saw_flag = true;
                }
                '-' => {
                    if negated {
                        break;
                    }
                    negated = true;
                    saw_flag = false;
                }
                ':' | ')' => {
                    if negated && !saw_flag {
                        break;
                    }
                    if c == ':' {
                        self.open_group(None, Some(flags));
                    }
                    self.flags = flags;
                    return Ok(t);
                }
                _ => break,
            }
        }
        err(ErrorCode::InvalidPerlOp, &s[..s.len() - t.len()])
    }

    /// Go's `parseClass`; `s` starts with `[`.
    fn parse_class(&mut self, s: &'a str) -> Result<&'a str, SyntaxError> {
        let mut t = &s[1..];
        let mut class = Class {
            negated: false,
            fold: self.flags.fold,
            items: Vec::new(),
        };
        if let Some(rest) = t.strip_prefix('^') {
            class.negated = true;
            t = rest;
        }
        let mut first = true;
        while t.is_empty() || !t.starts_with(']') || first {
            first = false;
            // POSIX classes like [:alnum:].
            if t.len() > 2 && t.starts_with("[:") {
                if let Some(i) = t[2..].find(":]") {
                    let name = &t[..i + 4];
                    let Some(group) = posix_group(&name[2..name.len() - 2]) else {
                        return err(ErrorCode::InvalidCharRange, name);
                    };
                    class.items.push(Item::Group(group));
                    t = &t[i + 4..];
                    continue;
                }
            }
            let tb = t.as_bytes();
            if tb.len() >= 2 && tb[0] == b'\\' {
                if tb[1] == b'p' || tb[1] == b'P' {
                    let (item, rest) = parse_unicode_class(t)?;
                    class.items.push(item);
                    t = rest;
                    continue;
                }
                if let Some(group) = perl_group(tb[1]) {
                    class.items.push(Item::Group(group));
                    t = &t[2..];
                    continue;
                }
            }
            // A single character or a range.
            let range_start = t;
            let (lo, rest) = parse_class_char(t, s)?;
            t = rest;
            let mut hi = lo;
            let tb = t.as_bytes();
            if tb.len() >= 2 && tb[0] == b'-' && tb[1] != b']' {
                let (h, rest) = parse_class_char(&t[1..], s)?;
                t = rest;
                hi = h;
                if hi < lo {
                    return err(
                        ErrorCode::InvalidCharRange,
                        &range_start[..range_start.len() - t.len()],
                    );
                }
            }
            class.items.push(Item::Range(lo, hi));
        }
        self.push(Kind::Class(class))?;
        Ok(&t[1..])
    }
}

/// Go's `parseClassChar`.
fn parse_class_char<'s>(s: &'s str, whole_class: &str) -> Result<(u32, &'s str), SyntaxError> {
    if s.is_empty() {
        return err(ErrorCode::MissingBracket, whole_class);
    }
    if s.starts_with('\\') {
        return parse_escape(s);
    }
    let (c, rest) = next_char(s);
    Ok((c.map_or(0xFFFD, u32::from), rest))
}

/// Go's `parseUnicodeClass` for `s` starting with `\p` or `\P`.
fn parse_unicode_class(s: &str) -> Result<(Item, &str), SyntaxError> {
    let mut negated = s.as_bytes()[1] == b'P';
    let (c, after) = next_char(&s[2..]);
    let (seq, mut name, rest) = if c != Some('{') {
        let seq = &s[..s.len() - after.len()];
        (seq, &seq[2..], after)
    } else {
        let Some(end) = s.find('}') else {
            return err(ErrorCode::InvalidCharRange, s);
        };
        (&s[..end + 1], &s[3..end], &s[end + 1..])
    };
    if let Some(n) = name.strip_prefix('^') {
        negated = !negated;
        name = n;
    }
    let Some(table) = unicode_table(name) else {
        return err(ErrorCode::InvalidCharRange, seq);
    };
    Ok((Item::Unicode { negated, table }, rest))
}

/// Go's `parseEscape` for `s` starting with `\`: the code point and the
/// rest of the text.
fn parse_escape(s: &str) -> Result<(u32, &str), SyntaxError> {
    let t = &s[1..];
    let (Some(c), mut t) = next_char(t) else {
        return err(ErrorCode::TrailingBackslash, "");
    };
    let bad = |t: &str| err(ErrorCode::InvalidEscape, &s[..s.len() - t.len()]);
    match c {
        '1'..='7' if !t.starts_with(|d: char| ('0'..='7').contains(&d)) => bad(t),
        '0'..='7' => {
            let mut r = c as u32 - '0' as u32;
            for _ in 1..3 {
                match t.as_bytes().first() {
                    Some(&d @ b'0'..=b'7') => {
                        r = r * 8 + u32::from(d - b'0');
                        t = &t[1..];
                    }
                    _ => break,
                }
            }
            Ok((r, t))
        }
        'x' => {
            if t.is_empty() {
                return bad(t);
            }
            let (c1, rest) = next_char(t);
            t = rest;
            if c1 == Some('{') {
                let mut n = 0;
                let mut r: u32 = 0;
                loop {
                    let (c, rest) = next_char(t);
                    let Some(c) = c else { return bad(t) };
                    t = rest;
                    if c == '}' {
                        break;
                    }
                    let Some(v) = unhex(c) else { return bad(t) };
                    r = r * 16 + v;
                    if r > MAX_RUNE {
                        return bad(t);
                    }
                    n += 1;
                }
                if n == 0 {
                    return bad(t);
                }
                return Ok((r, t));
            }
            let x = c1.and_then(unhex);
            let (c2, rest) = next_char(t);
            t = rest;
            match (x, c2.and_then(unhex)) {
                (Some(x), Some(y)) => Ok((x * 16 + y, t)),
                _ => bad(t),
            }
        }
        'a' => Ok((0x07, t)),
        'f' => Ok((0x0C, t)),
        'n' => Ok((0x0A, t)),
        'r' => Ok((0x0D, t)),
        't' => Ok((0x09, t)),
        'v' => Ok((0x0B, t)),
        c if c.is_ascii() && !is_alnum(c) => Ok((c as u32, t)),
        _ => bad(t),
    }
}

/// Go's `parseRepeat`: `{min}`, `{min,}` (max -1) or `{min,max}`; a count
/// too large to parse is -1. `None` when `s` is not of that form.
fn parse_repeat(s: &str) -> Option<(i64, i64, &str)> {
    let s = s.strip_prefix('{')?;
    let (min, mut s) = parse_int(s)?;
    let max;
    if let Some(rest) = s.strip_prefix(',') {
        s = rest;
        if s.is_empty() {
            return None;
        }
        if let Some(rest) = s.strip_prefix('}') {
            return Some((min, -1, rest));
        }
        let (m, rest) = parse_int(s)?;
        s = rest;
        if m < 0 {
            // Too big a number.
            return s.strip_prefix('}').map(|rest| (-1, m, rest));
        }
        max = m;
    } else {
        max = min;
    }
    s.strip_prefix('}').map(|rest| (min, max, rest))
}

/// Go's `parseInt`: decimal digits without leading zeros; -1 when the
/// value reaches 10^8.
fn parse_int(s: &str) -> Option<(i64, &str)> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits >= 2 && s.starts_with('0') {
        return None;
    }
    let mut n: i64 = 0;
    for d in s[..digits].bytes() {
        if n >= 100_000_000 {
            n = -1;
            break;
        }
        n = n * 10 + i64::from(d - b'0');
    }
    Some((n, &s[digits..]))
}

/// Go's `repeatIsValid`: nested counted repetitions may not produce more
/// than `n` copies of anything.
fn repeat_is_valid(node: &Node, mut n: i64) -> bool {
    if let Kind::Repeat {
        op: RepeatOp::Counted(min, max),
        ..
    } = node.kind
    {
        if max == 0 {
            return true;
        }
        let m = if max < 0 { min } else { max };
        if m > n {
            return false;
        }
        if m > 0 {
            n /= m;
        }
    }
    match &node.kind {
        Kind::Capture(sub) | Kind::Repeat { sub, .. } => repeat_is_valid(sub, n),
        Kind::Concat(subs) | Kind::Alternate(subs) => subs.iter().all(|s| repeat_is_valid(s, n)),
        _ => true,
    }
}

/// A class that matches nothing.
const NOTHING: &str = r"[^\x{0}-\x{10FFFF}]";

fn is_surrogate(c: u32) -> bool {
    (0xD800..=0xDFFF).contains(&c)
}

fn push_code_point(out: &mut String, c: u32) {
    match char::from_u32(c) {
        Some(ch) if ch.is_ascii_alphanumeric() => out.push(ch),
        _ => {
            use std::fmt::Write;
            let _ = write!(out, "\\x{{{c:X}}}");
        }
    }
}

/// Writes `node` in Rust syntax.
fn emit(node: &Node, out: &mut String) {
    match &node.kind {
        Kind::Empty => {}
        Kind::Literal(c, _) if is_surrogate(*c) => out.push_str(NOTHING),
        Kind::Literal(c, fold) => {
            if *fold {
                out.push_str("(?i:");
                push_code_point(out, *c);
                out.push(')');
            } else {
                push_code_point(out, *c);
            }
        }
        Kind::Class(class) => emit_class(class, out),
        Kind::AnyNotNl => out.push_str(r"[^\n]"),
        Kind::Any => out.push_str(r"[\x{0}-\x{10FFFF}]"),
        Kind::Look(look) => out.push_str(match look {
            Look::BeginLine => "(?m:^)",
            Look::EndLine => "(?m:$)",
            Look::BeginText => r"\A",
            Look::EndText => r"\z",
            Look::WordBoundary => r"(?-u:\b)",
            Look::NoWordBoundary => r"(?-u:\B)",
        }),
        Kind::Capture(sub) => {
            out.push('(');
            emit(sub, out);
            out.push(')');
        }
        Kind::Repeat { op, greedy, sub } => {
            let atomic = matches!(
                sub.kind,
                Kind::Literal(..) | Kind::Class(_) | Kind::AnyNotNl | Kind::Any | Kind::Capture(_)
            );
            if atomic {
                emit(sub, out);
            } else {
                out.push_str("(?:");
                emit(sub, out);
                out.push(')');
            }
            match *op {
                RepeatOp::Star => out.push('*'),
                RepeatOp::Plus => out.push('+'),
                RepeatOp::Quest => out.push('?'),
                RepeatOp::Counted(min, max) if min == max => {
                    out.push_str(&format!("{{{min}}}"));
                }
                RepeatOp::Counted(min, -1) => out.push_str(&format!("{{{min},}}")),
                RepeatOp::Counted(min, max) => out.push_str(&format!("{{{min},{max}}}")),
            }
            if !greedy {
                out.push('?');
            }
        }
        Kind::Concat(subs) => {
            for sub in subs {
                if matches!(sub.kind, Kind::Alternate(_)) {
                    out.push_str("(?:");
                    emit(sub, out);
                    out.push(')');
                } else {
                    emit(sub, out);
                }
            }
        }
        Kind::Alternate(subs) => {
            for (i, sub) in subs.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                emit(sub, out);
            }
        }
    }
}

fn emit_ranges(ranges: &[(u32, u32)], out: &mut String) -> bool {
    let mut any = false;
    for &(lo, hi) in ranges {
        // Surrogates are not scalar values: clamp the ends.
        let lo = if is_surrogate(lo) { 0xE000 } else { lo };
        let hi = if is_surrogate(hi) { 0xD7FF } else { hi };
        if lo > hi {
            continue;
        }
        push_code_point(out, lo);
        if hi != lo {
            out.push('-');
            push_code_point(out, hi);
        }
        any = true;
    }
    any
}

fn emit_class(class: &Class, out: &mut String) {
    if class.fold {
        out.push_str("(?i:");
    }
    out.push('[');
    if class.negated {
        out.push('^');
    }
    let mut any = false;
    for item in &class.items {
        match item {
            Item::Range(lo, hi) => any |= emit_ranges(&[(*lo, *hi)], out),
            Item::Group(g) if !g.negated => any |= emit_ranges(g.ranges, out),
            Item::Group(g) => {
                out.push_str("[^");
                emit_ranges(g.ranges, out);
                out.push(']');
                any = true;
            }
            Item::Unicode { negated, table } => {
                let p = if *negated { 'P' } else { 'p' };
                match (table, negated) {
                    (UniTable::Any, false) => out.push_str(r"\x{0}-\x{10FFFF}"),
                    (UniTable::Any, true) => out.push_str(NOTHING),
                    (UniTable::Ascii, false) => out.push_str(r"\x{0}-\x{7F}"),
                    (UniTable::Ascii, true) => out.push_str(r"[^\x{0}-\x{7F}]"),
                    (UniTable::Assigned, _) => {
                        let p = if *negated { 'p' } else { 'P' };
                        out.push_str(&format!(r"\{p}{{gc=Cn}}"));
                    }
                    (UniTable::Category(c), _) => out.push_str(&format!(r"\{p}{{gc={c}}}")),
                    (UniTable::Script(s), _) => out.push_str(&format!(r"\{p}{{sc={s}}}")),
                }
                any = true;
            }
        }
    }
    if !any {
        out.push_str(NOTHING);
    }
    out.push(']');
    if class.fold {
        out.push(')');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(expr: &str) -> String {
        translate(expr).unwrap_err().to_string()
    }

    #[test]
    fn go_error_texts() {
        let cases = [
            ("a(", "missing closing ): `a(`"),
            ("a)", "unexpected ): `a)`"),
            ("[a", "missing closing ]: `[a`"),
            ("a**", "invalid nested repetition operator: `**`"),
            ("a*?*", "invalid nested repetition operator: `*?*`"),
            ("a{2}{3}", "invalid nested repetition operator: `{2}{3}`"),
            ("*", "missing argument to repetition operator: `*`"),
            ("(?i)+?", "missing argument to repetition operator: `+?`"),
            ("a|*", "missing argument to repetition operator: `*`"),
            ("x{1001}", "invalid repeat count: `{1001}`"),
            ("x{2,1}", "invalid repeat count: `{2,1}`"),
            ("(a{2}){1000}", "invalid repeat count: `{1000}`"),
            (r"\8", "invalid escape sequence: `\\8`"),
            (r"\1", "invalid escape sequence: `\\1`"),
            (r"\C", "invalid escape sequence: `\\C`"),
            (r"\xZ1", "invalid escape sequence: `\\xZ1`"),
            (r"\x{}", "invalid escape sequence: `\\x{}`"),
            (r"\x{110000}", "invalid escape sequence: `\\x{110000`"),
            (r"[a-\d]", "invalid escape sequence: `\\d`"),
            ("\\", "trailing backslash at end of expression: ``"),
            ("(?i-)", "invalid or unsupported Perl syntax: `(?i-)`"),
            ("(?z)", "invalid or unsupported Perl syntax: `(?z`"),
            ("(?P=n)", "invalid or unsupported Perl syntax: `(?P`"),
            ("(?", "invalid or unsupported Perl syntax: `(?`"),
            ("(?P<a-b>x)", "invalid named capture: `(?P<a-b>`"),
            ("(?<=a)b", "invalid named capture: `(?<=a)b`"),
            ("[z-a]", "invalid character class range: `z-a`"),
            ("[[:foo:]]", "invalid character class range: `[:foo:]`"),
            (
                r"\p{Old_Italic}",
                "invalid character class range: `\\p{Old_Italic}`",
            ),
            (r"\p{Greek", "invalid character class range: `\\p{Greek`"),
            (r"\p", "invalid character class range: `\\p`"),
        ];
        for (expr, want) in cases {
            assert_eq!(
                error(expr),
                format!("error parsing regexp: {want}"),
                "{expr}"
            );
        }
    }

    #[test]
    fn accepted_go_syntax() {
        for expr in [
            "",
            "a|",
            "|",
            "()",
            "(?:)*",
            "^*",
            "a(?i)*",
            "(?)",
            "a{",
            "a{,3}",
            "a{01}",
            "[]a]",
            "[^]a]",
            "[a-]",
            r"\Qa.b\E+",
            r"\Q*",
            "(?P<1a>x)(?<1a>y)",
            r"\p{greek}",
            r"\p{Letter}",
            r"\pL",
            r"[\p{^Lu}\d-z]",
            r"\x{D800}",
            r"[\x{D800}]",
            r"\_",
        ] {
            let t = translate(expr).unwrap_or_else(|e| panic!("{expr}: {e}"));
            ::regex::Regex::new(&t.pattern)
                .unwrap_or_else(|e| panic!("{expr} -> {}: {e}", t.pattern));
        }
    }

    #[test]
    fn translation_is_explicit() {
        let t = translate(r"(?i)a\d.(?s:.)$(?m)^\b{2,}?").unwrap();
        assert_eq!(
            t.pattern,
            r"(?i:a)(?i:[0-9])[^\n][\x{0}-\x{10FFFF}]\z(?m:^)(?:(?-u:\b)){2,}?"
        );
        assert_eq!(translate("a{,3}").unwrap().pattern, r"a\x{7B}\x{2C}3\x{7D}");
        assert_eq!(translate("(?U)a*b*?").unwrap().pattern, "a*?b*");
    }

    #[test]
    fn capture_names() {
        let t = translate("(?P<first>a)(b)(?<last>c)(?:d)").unwrap();
        assert_eq!(t.names, vec!["", "first", "", "last"]);
    }

    #[test]
    fn nesting_limits() {
        let deep = format!("{}a{}", "(".repeat(1001), ")".repeat(1001));
        assert_eq!(translate(&deep).unwrap_err().code, ErrorCode::NestingDepth);
        let ok = format!("{}a{}", "(".repeat(500), ")".repeat(500));
        assert!(translate(&ok).is_ok());
    }
}
