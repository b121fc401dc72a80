//! The template parser, mirroring Go's `text/template/parse/parse.go`: the
//! same grammar, the same tree shapes (including where each node's position
//! points), `{{define}}`/`{{block}}` collection, variable scoping checks and
//! the same error texts, `template: NAME:LINE: MESSAGE`, and Go's limits:
//! parentheses nested at most [`MAX_PAREN_DEPTH`] deep and at most
//! [`MAX_PIPELINE_COMMANDS`] commands in one pipeline.

use std::fmt;
use std::sync::Arc;

use super::lex::{Item, ItemType, LexOptions, Lexer, LINE_AT_END};
use super::node::*;
use crate::template::strconv;

/// Go's `maxStackDepth`: how deep parenthesized pipelines may nest before
/// `max expression depth exceeded` (10000; 1000 in Go's own WebAssembly
/// port, whose stack is small, as here).
pub const MAX_PAREN_DEPTH: usize = if cfg!(target_arch = "wasm32") {
    1_000
} else {
    10_000
};

/// Go's `maxPipelineCmds`: past this many commands a pipeline is
/// `pipeline too long`.
pub const MAX_PIPELINE_COMMANDS: usize = 100_000;

/// One parsed template: a named body.
#[derive(Clone, Debug)]
pub struct Tree {
    /// The template's name (for `{{define "x"}}`, `x`).
    pub name: String,
    /// The name of the top-level template whose text holds this one; error
    /// locations use it.
    pub parse_name: String,
    pub root: ListNode,
    /// The whole text that was parsed, for turning positions into lines.
    pub text: Arc<str>,
}

impl Tree {
    /// Go's `ErrorContext`: `NAME:LINE:COL` of a byte offset (the column is
    /// the 0-based byte offset within its line) .
    pub fn location(&self, pos: Pos) -> (usize, usize) {
        let before = &self.text[..pos.min(self.text.len())];
        let line = 1 + before.matches('\n').count();
        let col = match before.rfind('\n') {
            Some(nl) => pos - nl - 1,
            None => pos,
        };
        (line, col)
    }
}

/// Parser settings, as Go's `Template` passes them to `parse.Parse`.
pub struct ParseOptions<'a> {
    /// Empty strings mean the defaults `{{` and `}}`.
    pub left_delim: &'a str,
    pub right_delim: &'a str,
    /// Whether a function of this name exists (builtins included).
    pub is_function: &'a dyn Fn(&str) -> bool,
    /// Go's `SkipFuncCheck` mode: accept unknown function names.
    pub skip_func_check: bool,
    /// Go's `ParseComments` mode: keep comment nodes in the tree.
    pub keep_comments: bool,
    /// How far the stack may grow below where parsing started (nested
    /// controls and parentheses recurse) before the parse stops with an
    /// error instead of overflowing it; Go's parser has no such limit, its
    /// stacks grow.
    pub max_stack_bytes: usize,
}

/// A syntax error, printed exactly as Go prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// The parse name of the template.
    pub name: String,
    pub line: usize,
    /// 0-based byte column of the offending token within its line.
    pub col: usize,
    /// The message after `template: NAME:LINE: `.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "template: {}:{}: {}", self.name, self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Go's `IsEmptyTree`: only white space and comments.
pub fn is_empty_tree(list: &ListNode) -> bool {
    list.nodes.iter().all(|n| match n {
        Node::Text(t) => t.text.trim().is_empty(),
        Node::Comment(_) => true,
        _ => false,
    })
}

/// Go's `parse.Parse`: the trees of template `name` and of every
/// `{{define}}`/`{{block}}` in `text`, in the order they were added.
pub fn parse(name: &str, text: &str, opts: &ParseOptions) -> Result<Vec<Tree>, ParseError> {
    let shared_text: Arc<str> = Arc::from(text);
    let lex_options = LexOptions {
        emit_comment: opts.keep_comments,
        break_ok: !(opts.is_function)("break"),
        continue_ok: !(opts.is_function)("continue"),
    };
    let mut parser = Parser {
        lexer: Lexer::new(text, opts.left_delim, opts.right_delim, lex_options),
        opts,
        parse_name: name.to_string(),
        text: shared_text,
        trees: Vec::new(),
        frame: Frame::new(),
        stack_base: stack_position(),
    };
    let root = parser.parse_top()?;
    parser.add(name.to_string(), root)?;
    Ok(parser.trees)
}

/// The address of a local: where the stack currently is.
#[inline(never)]
fn stack_position() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

/// Per-tree parser state (Go keeps it in each `Tree`).
struct Frame<'a> {
    token: [Item<'a>; 3],
    /// Whether `token[0]` holds a lexed item (errors are placed there).
    lexed: bool,
    peek_count: usize,
    vars: Vec<String>,
    action_line: usize,
    range_depth: usize,
    /// Open parentheses around the current position.
    paren_depth: usize,
}

/// An empty slot of the token buffer.
const NO_ITEM: Item<'static> = Item {
    typ: ItemType::Eof,
    pos: 0,
    val: "",
    line: 1,
};

impl Frame<'_> {
    fn new() -> Self {
        Frame {
            token: [NO_ITEM; 3],
            lexed: false,
            peek_count: 0,
            vars: vec!["$".to_string()],
            action_line: 0,
            range_depth: 0,
            paren_depth: 0,
        }
    }
}

/// What ends an item list.
enum ListEnd {
    End,
    Else(Pos),
}

struct Parser<'a, 'o> {
    lexer: Lexer<'a>,
    opts: &'o ParseOptions<'o>,
    parse_name: String,
    text: Arc<str>,
    trees: Vec<Tree>,
    frame: Frame<'a>,
    /// [`stack_position`] when parsing started.
    stack_base: usize,
}

type PResult<T> = Result<T, ParseError>;

impl<'a> Parser<'a, '_> {
    // --- token buffer -----------------------------------------------------

    fn next(&mut self) -> Item<'a> {
        if self.frame.peek_count > 0 {
            self.frame.peek_count -= 1;
        } else {
            self.frame.token[0] = self.lexer.next_item();
            self.frame.lexed = true;
        }
        self.frame.token[self.frame.peek_count]
    }

    fn backup(&mut self) {
        self.frame.peek_count += 1;
    }

    /// Backs up two tokens; `t1` is the one read before the current one.
    fn backup2(&mut self, t1: Item<'a>) {
        self.frame.token[1] = t1;
        self.frame.peek_count = 2;
    }

    /// Backs up three tokens; the current one is token 0.
    fn backup3(&mut self, t2: Item<'a>, t1: Item<'a>) {
        self.frame.token[1] = t1;
        self.frame.token[2] = t2;
        self.frame.peek_count = 3;
    }

    fn peek(&mut self) -> Item<'a> {
        if self.frame.peek_count > 0 {
            return self.frame.token[self.frame.peek_count - 1];
        }
        self.frame.peek_count = 1;
        let item = self.lexer.next_item();
        self.frame.token[0] = item;
        self.frame.lexed = true;
        item
    }

    fn next_non_space(&mut self) -> Item<'a> {
        loop {
            let token = self.next();
            if token.typ != ItemType::Space {
                return token;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item<'a> {
        let token = self.next_non_space();
        self.backup();
        token
    }

    // --- errors -------------------------------------------------------------

    /// Go's `errorf`: located at the most recently lexed token's line.
    /// Stops before the stack runs out ([`ParseOptions::max_stack_bytes`]).
    fn check_stack(&self) -> PResult<()> {
        let used = self.stack_base.saturating_sub(stack_position());
        let max = self.opts.max_stack_bytes;
        if used > max {
            return self.error(format!(
                "template parse exceeded the stack budget ({max} bytes)"
            ));
        }
        Ok(())
    }

    fn error<T>(&self, message: impl Into<String>) -> PResult<T> {
        let (line, pos) = if self.frame.lexed {
            (self.frame.token[0].line, self.frame.token[0].pos)
        } else {
            (1, 0)
        };
        let line = if line == LINE_AT_END {
            self.lexer.line_at_end()
        } else {
            line
        };
        let before = &self.text[..pos.min(self.text.len())];
        let col = match before.rfind('\n') {
            Some(nl) => pos - nl - 1,
            None => pos,
        };
        Err(ParseError {
            name: self.parse_name.clone(),
            line,
            col,
            message: message.into(),
        })
    }

    fn unexpected<T>(&self, token: &Item<'_>, context: &str) -> PResult<T> {
        if token.typ == ItemType::Error {
            let message = self.lexer.error_message();
            let mut extra = String::new();
            if self.frame.action_line != 0 && self.frame.action_line != token.line {
                extra = format!(
                    " in action started at {}:{}",
                    self.parse_name, self.frame.action_line
                );
                if message.ends_with(" action") {
                    extra = extra[" in action".len()..].to_string();
                }
            }
            return self.error(format!("{message}{extra}"));
        }
        self.error(format!("unexpected {token} in {context}"))
    }

    fn expect(&mut self, expected: ItemType, context: &str) -> PResult<Item<'a>> {
        let token = self.next_non_space();
        if token.typ != expected {
            return self.unexpected(&token, context);
        }
        Ok(token)
    }

    // --- trees --------------------------------------------------------------

    /// Go's `Tree.add`: an empty tree never replaces a defined one, and two
    /// non-empty definitions in one parse are an error.
    fn add(&mut self, name: String, root: ListNode) -> PResult<()> {
        let tree = Tree {
            name: name.clone(),
            parse_name: self.parse_name.clone(),
            root,
            text: self.text.clone(),
        };
        match self.trees.iter().position(|t| t.name == name) {
            None => self.trees.push(tree),
            Some(i) if is_empty_tree(&self.trees[i].root) => self.trees[i] = tree,
            Some(_) => {
                if !is_empty_tree(&tree.root) {
                    return self.error(format!(
                        "template: multiple definition of template {}",
                        strconv::quote(&name)
                    ));
                }
            }
        }
        Ok(())
    }

    /// Runs `body` with a fresh per-tree state, as Go does for a nested
    /// `{{define}}` or `{{block}}` tree sharing the lexer.
    fn in_new_tree<T>(&mut self, body: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        let saved = std::mem::replace(&mut self.frame, Frame::new());
        let result = body(self);
        let inner = std::mem::replace(&mut self.frame, saved);
        // The newest lexed token stays visible to error reporting.
        if inner.lexed {
            self.frame.token[0] = inner.token[0];
            self.frame.lexed = true;
        }
        result
    }

    fn parse_top(&mut self) -> PResult<ListNode> {
        let mut root = ListNode {
            pos: self.peek().pos,
            nodes: Vec::new(),
        };
        while self.peek().typ != ItemType::Eof {
            if self.peek().typ == ItemType::LeftDelim {
                let delim = self.next();
                if self.next_non_space().typ == ItemType::Define {
                    self.in_new_tree(|p| p.parse_definition())?;
                    continue;
                }
                self.backup2(delim);
            }
            match self.text_or_action()? {
                Parsed::Node(n) => root.nodes.push(n),
                Parsed::End => return self.error("unexpected {{end}}"),
                Parsed::Else(_) => return self.error("unexpected {{else}}"),
            }
        }
        Ok(root.fitted())
    }

    fn parse_definition(&mut self) -> PResult<()> {
        const CONTEXT: &str = "define clause";
        let token = self.next_non_space();
        if token.typ != ItemType::String && token.typ != ItemType::RawString {
            return self.unexpected(&token, CONTEXT);
        }
        let name = match strconv::unquote(token.val) {
            Ok(name) => name,
            Err(e) => return self.error(e),
        };
        self.expect(ItemType::RightDelim, CONTEXT)?;
        let (root, end) = self.item_list()?;
        if let ListEnd::Else(_) = end {
            return self.error(format!("unexpected {{{{else}}}} in {CONTEXT}"));
        }
        self.add(name, root)
    }

    fn item_list(&mut self) -> PResult<(ListNode, ListEnd)> {
        self.check_stack()?;
        let mut list = ListNode {
            pos: self.peek_non_space().pos,
            nodes: Vec::new(),
        };
        while self.peek_non_space().typ != ItemType::Eof {
            match self.text_or_action()? {
                Parsed::Node(n) => list.nodes.push(n),
                Parsed::End => return Ok((list.fitted(), ListEnd::End)),
                Parsed::Else(pos) => return Ok((list.fitted(), ListEnd::Else(pos))),
            }
        }
        self.error("unexpected EOF")
    }

    fn text_or_action(&mut self) -> PResult<Parsed> {
        let token = self.next_non_space();
        match token.typ {
            ItemType::Text => Ok(Parsed::Node(Node::Text(TextNode {
                pos: token.pos,
                text: token.val.to_string(),
            }))),
            ItemType::LeftDelim => {
                self.frame.action_line = token.line;
                let result = self.action();
                self.frame.action_line = 0;
                result
            }
            ItemType::Comment => Ok(Parsed::Node(Node::Comment(CommentNode {
                pos: token.pos,
                text: token.val.to_string(),
            }))),
            _ => self.unexpected(&token, "input"),
        }
    }

    fn action(&mut self) -> PResult<Parsed> {
        let token = self.next_non_space();
        match token.typ {
            ItemType::Block => return self.block_control().map(Parsed::Node),
            ItemType::Break | ItemType::Continue => {
                let is_break = token.typ == ItemType::Break;
                let what = if is_break {
                    "{{break}}"
                } else {
                    "{{continue}}"
                };
                let next = self.next_non_space();
                if next.typ != ItemType::RightDelim {
                    return self.unexpected(&next, what);
                }
                if self.frame.range_depth == 0 {
                    return self.error(format!("{what} outside {{{{range}}}}"));
                }
                return Ok(Parsed::Node(if is_break {
                    Node::Break(token.pos)
                } else {
                    Node::Continue(token.pos)
                }));
            }
            ItemType::Else => {
                let peek = self.peek_non_space();
                // "{{else if" and "{{else with" leave the keyword pending.
                if peek.typ == ItemType::If || peek.typ == ItemType::With {
                    return Ok(Parsed::Else(peek.pos));
                }
                let token = self.expect(ItemType::RightDelim, "else")?;
                return Ok(Parsed::Else(token.pos));
            }
            ItemType::End => {
                self.expect(ItemType::RightDelim, "end")?;
                return Ok(Parsed::End);
            }
            ItemType::If => return self.if_control().map(Parsed::Node),
            ItemType::Range => {
                let b = self.parse_control("range")?;
                return Ok(Parsed::Node(Node::Range(Box::new(b))));
            }
            ItemType::Template => return self.template_control().map(Parsed::Node),
            ItemType::With => return self.with_control().map(Parsed::Node),
            _ => {}
        }
        self.backup();
        let token = self.peek();
        // Variables declared here persist until the enclosing "end".
        let pipe = self.pipeline("command", ItemType::RightDelim)?;
        Ok(Parsed::Node(Node::Action(ActionNode {
            pos: token.pos,
            line: token.line,
            pipe,
        })))
    }

    fn if_control(&mut self) -> PResult<Node> {
        Ok(Node::If(Box::new(self.parse_control("if")?)))
    }

    fn with_control(&mut self) -> PResult<Node> {
        Ok(Node::With(Box::new(self.parse_control("with")?)))
    }

    fn parse_control(&mut self, context: &str) -> PResult<BranchNode> {
        let var_count = self.frame.vars.len();
        let result = self.parse_control_inner(context);
        self.frame.vars.truncate(var_count);
        result
    }

    fn parse_control_inner(&mut self, context: &str) -> PResult<BranchNode> {
        let pipe = self.pipeline(context, ItemType::RightDelim)?;
        if context == "range" {
            self.frame.range_depth += 1;
        }
        let listed = self.item_list();
        if context == "range" {
            self.frame.range_depth -= 1;
        }
        let (list, next) = listed?;
        let mut else_list = None;
        if let ListEnd::Else(else_pos) = next {
            // "{{else if b}}" is parsed as "{{else}}{{if b}}…{{end}}{{end}}",
            // and likewise "{{else with}}".
            let peek = self.peek().typ;
            if context == "if" && peek == ItemType::If {
                self.next();
                let nested = self.if_control()?;
                else_list = Some(ListNode {
                    pos: else_pos,
                    nodes: vec![nested],
                });
            } else if context == "with" && peek == ItemType::With {
                self.next();
                let nested = self.with_control()?;
                else_list = Some(ListNode {
                    pos: else_pos,
                    nodes: vec![nested],
                });
            } else {
                let (list, end) = self.item_list()?;
                if let ListEnd::Else(_) = end {
                    return self.error("expected end; found {{else}}");
                }
                else_list = Some(list);
            }
        }
        Ok(BranchNode {
            pos: pipe.pos,
            line: pipe.line,
            pipe,
            list,
            else_list,
        })
    }

    fn parse_template_name(&mut self, token: &Item<'_>, context: &str) -> PResult<String> {
        match token.typ {
            ItemType::String | ItemType::RawString => match strconv::unquote(token.val) {
                Ok(name) => Ok(name),
                Err(e) => self.error(e),
            },
            _ => self.unexpected(token, context),
        }
    }

    fn template_control(&mut self) -> PResult<Node> {
        const CONTEXT: &str = "template clause";
        let token = self.next_non_space();
        let name = self.parse_template_name(&token, CONTEXT)?;
        let mut pipe = None;
        if self.next_non_space().typ != ItemType::RightDelim {
            self.backup();
            pipe = Some(self.pipeline(CONTEXT, ItemType::RightDelim)?);
        }
        Ok(Node::Template(Box::new(TemplateNode {
            pos: token.pos,
            line: token.line,
            name,
            pipe,
        })))
    }

    fn block_control(&mut self) -> PResult<Node> {
        const CONTEXT: &str = "block clause";
        let token = self.next_non_space();
        let name = self.parse_template_name(&token, CONTEXT)?;
        let pipe = self.pipeline(CONTEXT, ItemType::RightDelim)?;
        let block_name = name.clone();
        self.in_new_tree(|p| {
            let (root, end) = p.item_list()?;
            if let ListEnd::Else(_) = end {
                return p.error(format!("unexpected {{{{else}}}} in {CONTEXT}"));
            }
            p.add(block_name, root)
        })?;
        Ok(Node::Template(Box::new(TemplateNode {
            pos: token.pos,
            line: token.line,
            name,
            pipe: Some(pipe),
        })))
    }

    fn pipeline(&mut self, context: &str, end: ItemType) -> PResult<PipeNode> {
        let token = self.peek_non_space();
        let mut pipe = PipeNode {
            pos: token.pos,
            line: token.line,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        // Declarations or assignments.
        loop {
            let v = self.peek_non_space();
            if v.typ != ItemType::Variable {
                break;
            }
            self.next();
            // "$x foo" needs three tokens of look-ahead to tell an argument
            // from a declaration.
            let token_after_variable = self.peek();
            let next = self.peek_non_space();
            if next.typ == ItemType::Assign || next.typ == ItemType::Declare {
                pipe.is_assign = next.typ == ItemType::Assign;
                self.next_non_space();
                pipe.decl.push(new_variable(v.pos, v.val));
                self.frame.vars.push(v.val.to_string());
            } else if next.typ == ItemType::Char && next.val == "," {
                self.next_non_space();
                pipe.decl.push(new_variable(v.pos, v.val));
                self.frame.vars.push(v.val.to_string());
                if context == "range" && pipe.decl.len() < 2 {
                    match self.peek_non_space().typ {
                        ItemType::Variable | ItemType::RightDelim | ItemType::RightParen => {
                            // The second variable of a range.
                            continue;
                        }
                        _ => return self.error("range can only initialize variables"),
                    }
                }
                return self.error(format!("too many declarations in {context}"));
            } else if token_after_variable.typ == ItemType::Space {
                self.backup3(v, token_after_variable);
            } else {
                self.backup2(v);
            }
            break;
        }
        loop {
            let token = self.next_non_space();
            match token.typ {
                t if t == end => {
                    self.check_pipeline(&pipe, context)?;
                    pipe.cmds.shrink_to_fit();
                    return Ok(pipe);
                }
                ItemType::Bool
                | ItemType::CharConstant
                | ItemType::Complex
                | ItemType::Dot
                | ItemType::Field
                | ItemType::Identifier
                | ItemType::Number
                | ItemType::Nil
                | ItemType::RawString
                | ItemType::String
                | ItemType::Variable
                | ItemType::LeftParen => {
                    self.backup();
                    let cmd = self.command()?;
                    pipe.cmds.push(cmd);
                    if pipe.cmds.len() > MAX_PIPELINE_COMMANDS {
                        return self.error("pipeline too long".to_string());
                    }
                }
                _ => return self.unexpected(&token, context),
            }
        }
    }

    fn check_pipeline(&self, pipe: &PipeNode, context: &str) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return self.error(format!("missing value for {context}"));
        }
        // Only the first command may start with a non-executable operand.
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                c.args.first(),
                Some(Arg::Bool(_) | Arg::Dot(_) | Arg::Nil(_) | Arg::Number(_) | Arg::String(_))
            ) {
                return self.error(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                ));
            }
        }
        Ok(())
    }

    fn command(&mut self) -> PResult<CommandNode> {
        let mut cmd = CommandNode {
            pos: self.peek_non_space().pos,
            args: Vec::new(),
        };
        loop {
            self.peek_non_space();
            if let Some(operand) = self.operand()? {
                cmd.args.push(operand);
            }
            let token = self.next();
            match token.typ {
                ItemType::Space => continue,
                ItemType::RightDelim | ItemType::RightParen => self.backup(),
                ItemType::Pipe => {}
                _ => return self.unexpected(&token, "operand"),
            }
            break;
        }
        if cmd.args.is_empty() {
            return self.error("empty command");
        }
        cmd.args.shrink_to_fit();
        Ok(cmd)
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().typ != ItemType::Field {
            return Ok(Some(node));
        }
        let chain_pos = self.peek().pos;
        let mut fields = Vec::new();
        while self.peek().typ == ItemType::Field {
            let field = self.next().val.to_string();
            fields.push(field[1..].to_string());
        }
        // Fields after a field or variable extend it; after a literal they
        // are an error; otherwise they form a chain.
        Ok(Some(match node {
            Arg::Field(mut f) => {
                f.ident.extend(fields);
                f.pos = chain_pos;
                Arg::Field(f)
            }
            Arg::Variable(mut v) => {
                v.ident.extend(fields);
                v.pos = chain_pos;
                Arg::Variable(v)
            }
            Arg::Bool(_) | Arg::String(_) | Arg::Number(_) | Arg::Nil(_) | Arg::Dot(_) => {
                let shown = strconv::quote(&node.to_string());
                return self.error(format!("unexpected . after term {shown}"));
            }
            other => Arg::Chain(ChainNode {
                pos: chain_pos,
                node: Box::new(other),
                field: fields,
            }),
        }))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let token = self.next_non_space();
        let arg = match token.typ {
            ItemType::Identifier => {
                if !self.opts.skip_func_check && !(self.opts.is_function)(token.val) {
                    return self.error(format!(
                        "function {} not defined",
                        strconv::quote(token.val)
                    ));
                }
                Arg::Identifier(IdentifierNode {
                    pos: token.pos,
                    ident: token.val.to_string(),
                })
            }
            ItemType::Dot => Arg::Dot(token.pos),
            ItemType::Nil => Arg::Nil(token.pos),
            ItemType::Variable => {
                let v = new_variable(token.pos, token.val);
                if !self.frame.vars.iter().any(|name| *name == v.ident[0]) {
                    return self.error(format!(
                        "undefined variable {}",
                        strconv::quote(&v.ident[0])
                    ));
                }
                Arg::Variable(v)
            }
            ItemType::Field => Arg::Field(FieldNode {
                pos: token.pos,
                ident: token.val[1..].split('.').map(str::to_string).collect(),
            }),
            ItemType::Bool => Arg::Bool(BoolNode {
                pos: token.pos,
                value: token.val == "true",
            }),
            ItemType::CharConstant | ItemType::Complex | ItemType::Number => {
                match new_number(token.pos, token.val, token.typ) {
                    Ok(n) => Arg::Number(Box::new(n)),
                    Err(e) => return self.error(e),
                }
            }
            ItemType::LeftParen => {
                if self.frame.paren_depth >= MAX_PAREN_DEPTH {
                    return self.error("max expression depth exceeded".to_string());
                }
                self.check_stack()?;
                self.frame.paren_depth += 1;
                let pipe = self.pipeline("parenthesized pipeline", ItemType::RightParen);
                self.frame.paren_depth -= 1;
                Arg::Pipe(Box::new(pipe?))
            }
            ItemType::String | ItemType::RawString => match strconv::unquote(token.val) {
                Ok(text) => Arg::String(StringNode {
                    pos: token.pos,
                    quoted: token.val.to_string(),
                    text,
                }),
                Err(e) => return self.error(e),
            },
            _ => {
                self.backup();
                return Ok(None);
            }
        };
        Ok(Some(arg))
    }
}

enum Parsed {
    Node(Node),
    End,
    Else(Pos),
}

fn new_variable(pos: Pos, ident: &str) -> VariableNode {
    VariableNode {
        pos,
        ident: ident.split('.').map(str::to_string).collect(),
    }
}

/// Go's `newNumber`: classify a literal by every type it fits exactly.
fn new_number(pos: Pos, text: &str, typ: ItemType) -> Result<NumberNode, String> {
    let mut n = NumberNode {
        pos,
        is_int: false,
        is_uint: false,
        is_float: false,
        is_complex: false,
        int64: 0,
        uint64: 0,
        float64: 0.0,
        complex128: (0.0, 0.0),
        text: text.to_string(),
    };
    match typ {
        ItemType::CharConstant => {
            let c = unquote_char_constant(text)?;
            n.int64 = c as i64;
            n.is_int = true;
            n.uint64 = c as u64;
            n.is_uint = true;
            n.float64 = c as u32 as f64;
            n.is_float = true;
            return Ok(n);
        }
        ItemType::Complex => {
            let (re, im) = parse_complex(text).ok_or_else(|| "expected integer".to_string())?;
            n.is_complex = true;
            n.complex128 = (re, im);
            simplify_complex(&mut n);
            return Ok(n);
        }
        _ => {}
    }
    // Imaginary constants are complex unless they are zero.
    if let Some(imag) = text.strip_suffix('i') {
        if let Some(f) = parse_go_float(imag) {
            n.is_complex = true;
            n.complex128 = (0.0, f);
            simplify_complex(&mut n);
            return Ok(n);
        }
    }
    let u = parse_go_uint(text);
    if let Some(u) = u {
        n.is_uint = true;
        n.uint64 = u;
    }
    if let Some(i) = parse_go_int(text) {
        n.is_int = true;
        n.int64 = i;
        if i == 0 {
            // "-0" fails as an unsigned number but is one.
            n.is_uint = true;
            n.uint64 = u.unwrap_or(0);
        }
    }
    if n.is_int {
        n.is_float = true;
        n.float64 = n.int64 as f64;
    } else if n.is_uint {
        n.is_float = true;
        n.float64 = n.uint64 as f64;
    } else if let Some(f) = parse_go_float(text) {
        // A float that looks like an integer is an integer too large to fit.
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!("integer overflow: {}", strconv::quote(text)));
        }
        n.is_float = true;
        n.float64 = f;
        // 2^63 and 2^64 bound the exactly convertible whole floats.
        const TWO_63: f64 = 9_223_372_036_854_775_808.0;
        const TWO_64: f64 = 18_446_744_073_709_551_616.0;
        if f.fract() == 0.0 && (-TWO_63..TWO_63).contains(&f) {
            n.is_int = true;
            n.int64 = f as i64;
        }
        if f.fract() == 0.0 && (0.0..TWO_64).contains(&f) {
            n.is_uint = true;
            n.uint64 = f as u64;
        }
    }
    if !n.is_int && !n.is_uint && !n.is_float {
        return Err(format!("illegal number syntax: {}", strconv::quote(text)));
    }
    Ok(n)
}

fn simplify_complex(n: &mut NumberNode) {
    let (re, im) = n.complex128;
    n.is_float = im == 0.0;
    if n.is_float {
        n.float64 = re;
        n.is_int = re.fract() == 0.0 && re.abs() < 9.2e18;
        if n.is_int {
            n.int64 = re as i64;
        }
        n.is_uint = re.fract() == 0.0 && (0.0..1.8e19).contains(&re);
        if n.is_uint {
            n.uint64 = re as u64;
        }
    }
}

/// `'x'`, `'\n'`, `'\x41'`, `'\u263a'`… as Go's `strconv.UnquoteChar`.
fn unquote_char_constant(text: &str) -> Result<char, String> {
    let malformed = || format!("malformed character constant: {text}");
    let value = strconv::unquote(text).map_err(|_| malformed())?;
    let mut chars = value.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(malformed()),
    }
}

/// `1+2i`-style literals: a real part followed by a signed imaginary part.
fn parse_complex(text: &str) -> Option<(f64, f64)> {
    let body = text.strip_suffix('i')?;
    let split = body
        .char_indices()
        .skip(1)
        .filter(|&(i, c)| {
            (c == '+' || c == '-') && !matches!(body.as_bytes()[i - 1], b'e' | b'E' | b'p' | b'P')
        })
        .map(|(i, _)| i)
        .last()?;
    let re = parse_go_float(&body[..split])?;
    let im = parse_go_float(&body[split..])?;
    Some((re, im))
}

/// Splits a base prefix off an unsigned Go integer literal: (digits, base).
fn split_base(s: &str) -> (&str, u32) {
    let b = s.as_bytes();
    if b.len() >= 2 && b[0] == b'0' {
        match b[1] | 0x20 {
            b'x' => return (&s[2..], 16),
            b'o' => return (&s[2..], 8),
            b'b' => return (&s[2..], 2),
            _ => return (&s[1..], 8),
        }
    }
    (s, 10)
}

/// `strconv.ParseUint(s, 0, 64)`.
pub fn parse_go_uint(s: &str) -> Option<u64> {
    if s.is_empty() || s.starts_with(['+', '-']) || !strconv::underscores_ok(s) {
        return None;
    }
    let (digits, base) = split_base(s);
    let digits: String = digits.chars().filter(|&c| c != '_').collect();
    if digits.is_empty() {
        // "0" alone splits to an empty octal body.
        return if s.trim_matches('_') == "0" {
            Some(0)
        } else {
            None
        };
    }
    u64::from_str_radix(&digits, base).ok()
}

/// `strconv.ParseInt(s, 0, 64)`.
pub fn parse_go_int(s: &str) -> Option<i64> {
    let (negative, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let u = parse_go_uint(body)?;
    if negative {
        if u <= i64::MAX as u64 + 1 {
            Some((u as i64).wrapping_neg())
        } else {
            None
        }
    } else {
        i64::try_from(u).ok()
    }
}

/// `strconv.ParseFloat(s, 64)` for the literal forms the lexer produces
/// (decimal and hexadecimal mantissas, exponents, underscores).
pub fn parse_go_float(s: &str) -> Option<f64> {
    if s.is_empty() || !strconv::underscores_ok(s) {
        return None;
    }
    let cleaned: String = s.chars().filter(|&c| c != '_').collect();
    let (negative, body) = match cleaned.as_bytes().first() {
        Some(b'-') => (true, &cleaned[1..]),
        Some(b'+') => (false, &cleaned[1..]),
        _ => (false, &cleaned[..]),
    };
    let magnitude =
        if body.len() > 2 && body.as_bytes()[0] == b'0' && body.as_bytes()[1] | 0x20 == b'x' {
            parse_hex_float(&body[2..])?
        } else {
            if body.is_empty()
                || !body
                    .bytes()
                    .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
            {
                return None;
            }
            body.parse::<f64>().ok()?
        };
    Some(if negative { -magnitude } else { magnitude })
}

/// A hexadecimal float body (after `0x`): mantissa digits, optional point,
/// mandatory `p` exponent.
fn parse_hex_float(s: &str) -> Option<f64> {
    let (mantissa, exp) = match s.find(['p', 'P']) {
        Some(i) => (&s[..i], s[i + 1..].parse::<i32>().ok()?),
        None => return None,
    };
    let (int_part, frac_part) = match mantissa.find('.') {
        Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
        None => (mantissa, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    let mut value = 0f64;
    for c in int_part.chars().chain(frac_part.chars()) {
        value = value * 16.0 + c.to_digit(16)? as f64;
    }
    let exp = exp - 4 * frac_part.len() as i32;
    Some(value * 2f64.powi(exp))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_one(text: &str) -> Result<Vec<Tree>, ParseError> {
        parse_within(text, usize::MAX)
    }

    fn parse_within(text: &str, max_stack_bytes: usize) -> Result<Vec<Tree>, ParseError> {
        let known = |name: &str| matches!(name, "printf" | "len" | "index" | "and");
        let opts = ParseOptions {
            left_delim: "",
            right_delim: "",
            is_function: &known,
            skip_func_check: false,
            keep_comments: false,
            max_stack_bytes,
        };
        parse("t", text, &opts)
    }

    fn tree_string(text: &str) -> String {
        parse_one(text).unwrap()[0].root.to_string()
    }

    /// Runs `f` on a thread with a stack as large as the render thread's
    /// (deep nesting recurses once per level).
    fn on_large_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        std::thread::Builder::new()
            .stack_size(1 << 30)
            .spawn(f)
            .expect("thread")
            .join()
            .expect("no panic")
    }

    #[test]
    fn parentheses_nest_as_deep_as_go_allows_and_no_deeper() {
        let nested = |depth: usize| format!("{{{{{}1{}}}}}", "(".repeat(depth), ")".repeat(depth));
        let (at_limit, past_limit) = on_large_stack(move || {
            let ok = parse_one(&nested(MAX_PAREN_DEPTH)).map(|trees| trees.len());
            let err = parse_one(&format!("\n{}", nested(MAX_PAREN_DEPTH + 1)))
                .err()
                .map(|e| e.to_string());
            (ok, err)
        });
        assert_eq!(at_limit, Ok(1));
        assert_eq!(
            past_limit.as_deref(),
            Some("template: t:2: max expression depth exceeded")
        );
        // Depth counts open parentheses, not parentheses seen.
        let siblings = format!("{{{{and {}}}}}", "(1) ".repeat(MAX_PAREN_DEPTH + 5));
        assert!(parse_one(&siblings).is_ok());
    }

    #[test]
    fn deep_nesting_stops_at_the_stack_budget_instead_of_overflowing() {
        let parse_within = |text: &str, max_stack_bytes: usize| {
            parse_within(text, max_stack_bytes)
                .map(|trees| trees.len())
                .map_err(|e| e.to_string())
        };
        let ifs =
            |depth: usize| format!("{}x{}", "{{if 1}}".repeat(depth), "{{end}}".repeat(depth));
        let parens = |depth: usize| format!("{{{{{}1{}}}}}", "(".repeat(depth), ")".repeat(depth));
        assert_eq!(parse_within(&ifs(5), 64 << 10), Ok(1));
        assert_eq!(parse_within(&parens(5), 64 << 10), Ok(1));
        for deep in [ifs(100_000), parens(MAX_PAREN_DEPTH)] {
            assert_eq!(
                parse_within(&deep, 64 << 10),
                Err("template: t:1: template parse exceeded the stack budget (65536 bytes)".into())
            );
        }
    }

    #[test]
    fn a_pipeline_holds_at_most_go_s_number_of_commands() {
        let pipeline = |commands: usize| format!("{{{{1{}}}}}", " | len".repeat(commands - 1));
        assert!(parse_one(&pipeline(MAX_PIPELINE_COMMANDS)).is_ok());
        let err = parse_one(&pipeline(MAX_PIPELINE_COMMANDS + 1)).unwrap_err();
        assert_eq!(err.to_string(), "template: t:1: pipeline too long");
    }

    #[test]
    fn round_trips_to_go_strings() {
        assert_eq!(
            tree_string("{{range $i, $x := .A.B}}{{$x | printf \"%d\"}}{{else}}none{{end}}"),
            "{{range $i, $x := .A.B}}{{$x | printf \"%d\"}}{{else}}none{{end}}"
        );
        assert_eq!(
            tree_string("{{if .X}}a{{else if .Y}}b{{end}}"),
            "{{if .X}}a{{else}}{{if .Y}}b{{end}}{{end}}"
        );
        assert_eq!(tree_string("{{(index .A 1).B.C}}"), "{{(index .A 1).B.C}}");
        assert_eq!(
            tree_string("{{with $x := 3}}{{$x}}{{end}}"),
            "{{with $x := 3}}{{$x}}{{end}}"
        );
    }

    #[test]
    fn defines_are_separate_trees() {
        let trees = parse_one("{{define \"a\"}}A{{end}}main{{block \"b\" .}}B{{end}}").unwrap();
        let names: Vec<&str> = trees.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "t"]);
        assert_eq!(trees[2].root.to_string(), "main{{template \"b\" .}}");
    }

    #[test]
    fn errors_match_go() {
        let err = |text: &str| parse_one(text).unwrap_err().to_string();
        assert_eq!(
            err("{{nosuch}}"),
            "template: t:1: function \"nosuch\" not defined"
        );
        assert_eq!(err("{{$x}}"), "template: t:1: undefined variable \"$x\"");
        assert_eq!(err("\n{{end}}"), "template: t:2: unexpected {{end}}");
        assert_eq!(err("{{if}}{{end}}"), "template: t:1: missing value for if");
        assert_eq!(err("{{range .X}}"), "template: t:1: unexpected EOF");
        // The end's line after a last text the lexer did not count.
        assert_eq!(
            err("{{range .X}}a\nb\n\nc"),
            "template: t:4: unexpected EOF"
        );
        assert_eq!(err("\n{{if 1}}\n"), "template: t:3: unexpected EOF");
        // A comment's newlines count.
        assert_eq!(
            err("{{/*\n\n*/}}{{if 1}}a\nb"),
            "template: t:4: unexpected EOF"
        );
        assert_eq!(
            err("{{/*\n\n*/}}\n{{end}}"),
            "template: t:4: unexpected {{end}}"
        );
        assert_eq!(
            err("{{- /*\n*/ -}}\n\n{{end}}"),
            "template: t:4: unexpected {{end}}"
        );
        assert_eq!(
            err("{{break}}"),
            "template: t:1: {{break}} outside {{range}}"
        );
        // Number texts are quoted (`%q`), whole ones too large as well.
        assert_eq!(
            err("\n{{100000000000000000000}}"),
            "template: t:2: integer overflow: \"100000000000000000000\""
        );
        assert_eq!(
            err("{{1e}}"),
            "template: t:1: illegal number syntax: \"1e\""
        );
        assert_eq!(
            err("{{.X | 3}}"),
            "template: t:1: non executable command in pipeline stage 2"
        );
        assert_eq!(
            err("{{define \"a\"}}x{{end}}{{define \"a\"}}y{{end}}"),
            "template: t:1: template: multiple definition of template \"a\""
        );
        assert_eq!(
            err("{{\"x\".Y}}"),
            "template: t:1: unexpected . after term \"\\\"x\\\"\""
        );
    }

    #[test]
    fn numbers_follow_go_rules() {
        let n = new_number(0, "0x1F", ItemType::Number).unwrap();
        assert!(n.is_int && n.int64 == 31 && n.is_float);
        let n = new_number(0, "1_000", ItemType::Number).unwrap();
        assert_eq!(n.int64, 1000);
        let n = new_number(0, "1.5", ItemType::Number).unwrap();
        assert!(!n.is_int && n.is_float);
        let n = new_number(0, "1e3", ItemType::Number).unwrap();
        assert!(n.is_int && n.int64 == 1000);
        let n = new_number(0, "'a'", ItemType::CharConstant).unwrap();
        assert_eq!(n.int64, 97);
        assert_eq!(
            new_number(0, "99999999999999999999", ItemType::Number).unwrap_err(),
            "integer overflow: \"99999999999999999999\""
        );
        let n = new_number(0, "-0", ItemType::Number).unwrap();
        assert!(n.is_int && n.is_uint);
        let n = new_number(0, "0x1p-2", ItemType::Number).unwrap();
        assert_eq!(n.float64, 0.25);
    }
}
