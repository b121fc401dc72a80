//! The parse tree of a template, mirroring Go's `text/template/parse/node.go`.
//!
//! Every node records `pos`, its byte offset in the template text; the
//! executor turns that into `line:column` for error messages as Go's
//! `ErrorContext` does. `Display` prints each node in the form Go's
//! `String()` methods give, which is what exec errors show after `at <…>`
//! and what `{{define}}` bodies print as.

use std::fmt::{self, Write};

/// A byte offset into the template text.
pub type Pos = usize;

/// A sequence of nodes: a template body, or a branch of `if`/`range`/`with`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListNode {
    pub pos: Pos,
    pub nodes: Vec<Node>,
}

impl ListNode {
    /// The list with no spare capacity: a parsed template lives as long
    /// as the render, and most lists are short.
    pub(crate) fn fitted(mut self) -> ListNode {
        self.nodes.shrink_to_fit();
        self
    }
}

/// A statement-level node.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// Plain text between actions.
    Text(TextNode),
    /// `{{pipeline}}`: evaluates and prints (or only assigns, with a declaration).
    Action(ActionNode),
    /// `{{if …}}`.
    If(Box<BranchNode>),
    /// `{{range …}}`.
    Range(Box<BranchNode>),
    /// `{{with …}}`.
    With(Box<BranchNode>),
    /// `{{template "name" pipeline}}`.
    Template(Box<TemplateNode>),
    /// `{{break}}` inside a range.
    Break(Pos),
    /// `{{continue}}` inside a range.
    Continue(Pos),
    /// `{{/* … */}}`, kept only when the parser is asked to keep comments.
    Comment(CommentNode),
}

#[derive(Clone, Debug, PartialEq)]
pub struct TextNode {
    pub pos: Pos,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CommentNode {
    pub pos: Pos,
    /// The comment including its `/*` and `*/`.
    pub text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ActionNode {
    pub pos: Pos,
    /// The line the action starts on (for parse-time messages).
    pub line: usize,
    pub pipe: PipeNode,
}

/// The shared shape of `if`, `range` and `with`.
#[derive(Clone, Debug, PartialEq)]
pub struct BranchNode {
    pub pos: Pos,
    pub line: usize,
    pub pipe: PipeNode,
    pub list: ListNode,
    /// The `{{else}}` part; an `{{else if …}}` / `{{else with …}}` chain is an
    /// else list holding a single nested `If` / `With` node, as in Go.
    pub else_list: Option<ListNode>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TemplateNode {
    pub pos: Pos,
    pub line: usize,
    pub name: String,
    pub pipe: Option<PipeNode>,
}

/// A pipeline: optional variable declarations, then commands joined by `|`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PipeNode {
    pub pos: Pos,
    pub line: usize,
    /// `true` for `$x = …`, `false` for `$x := …`.
    pub is_assign: bool,
    pub decl: Vec<VariableNode>,
    pub cmds: Vec<CommandNode>,
}

/// One command of a pipeline: a function or value with its arguments.
#[derive(Clone, Debug, PartialEq)]
pub struct CommandNode {
    pub pos: Pos,
    pub args: Vec<Arg>,
}

/// An operand: anything that may appear as a command's word.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// `.`
    Dot(Pos),
    /// `nil`
    Nil(Pos),
    /// `true` / `false`
    Bool(BoolNode),
    /// A number literal.
    Number(Box<NumberNode>),
    /// A string literal, quoted or raw.
    String(StringNode),
    /// `.Field.Chain`
    Field(FieldNode),
    /// `$var.Field.Chain`
    Variable(VariableNode),
    /// A function name.
    Identifier(IdentifierNode),
    /// `(pipeline).Field` or `func.Field`: fields applied to another operand.
    Chain(ChainNode),
    /// `(pipeline)`
    Pipe(Box<PipeNode>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct BoolNode {
    pub pos: Pos,
    pub value: bool,
}

/// A number literal with every Go type it can represent exactly.
#[derive(Clone, Debug, PartialEq)]
pub struct NumberNode {
    pub pos: Pos,
    pub is_int: bool,
    pub is_uint: bool,
    pub is_float: bool,
    pub is_complex: bool,
    pub int64: i64,
    pub uint64: u64,
    pub float64: f64,
    /// Real and imaginary parts when `is_complex`.
    pub complex128: (f64, f64),
    /// The literal as written.
    pub text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StringNode {
    pub pos: Pos,
    /// The literal as written, with its quotes.
    pub quoted: String,
    /// The unquoted value.
    pub text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldNode {
    pub pos: Pos,
    /// Field names without dots: `.A.B` is `["A", "B"]`.
    pub ident: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VariableNode {
    pub pos: Pos,
    /// The variable name (with `$`) followed by field names: `$x.A` is `["$x", "A"]`.
    pub ident: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct IdentifierNode {
    pub pos: Pos,
    pub ident: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ChainNode {
    pub pos: Pos,
    pub node: Box<Arg>,
    /// Field names without dots.
    pub field: Vec<String>,
}

impl Node {
    pub fn pos(&self) -> Pos {
        match self {
            Node::Text(n) => n.pos,
            Node::Action(n) => n.pos,
            Node::If(n) | Node::Range(n) | Node::With(n) => n.pos,
            Node::Template(n) => n.pos,
            Node::Break(pos) | Node::Continue(pos) => *pos,
            Node::Comment(n) => n.pos,
        }
    }
}

impl Arg {
    pub fn pos(&self) -> Pos {
        match self {
            Arg::Dot(pos) | Arg::Nil(pos) => *pos,
            Arg::Bool(n) => n.pos,
            Arg::Number(n) => n.pos,
            Arg::String(n) => n.pos,
            Arg::Field(n) => n.pos,
            Arg::Variable(n) => n.pos,
            Arg::Identifier(n) => n.pos,
            Arg::Chain(n) => n.pos,
            Arg::Pipe(n) => n.pos,
        }
    }
}

/// How text nodes print: raw (Go's default) or Go-quoted (as Go's parser tests do).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextStyle {
    Raw,
    Quoted,
}

impl ListNode {
    /// Go's `String()` of the list, printing text nodes in the given style.
    pub fn to_go_string(&self, style: TextStyle) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = write_list(&mut out, self, style);
        out
    }
}

fn write_list(out: &mut String, list: &ListNode, style: TextStyle) -> fmt::Result {
    for node in &list.nodes {
        write_node(out, node, style)?;
    }
    Ok(())
}

fn write_node(out: &mut String, node: &Node, style: TextStyle) -> fmt::Result {
    match node {
        Node::Text(t) => match style {
            TextStyle::Raw => out.write_str(&t.text),
            TextStyle::Quoted => out.write_str(&crate::template::strconv::quote(&t.text)),
        },
        Node::Action(a) => write!(out, "{{{{{}}}}}", a.pipe),
        Node::If(b) => write_branch(out, "if", b, style),
        Node::Range(b) => write_branch(out, "range", b, style),
        Node::With(b) => write_branch(out, "with", b, style),
        Node::Template(t) => write!(out, "{t}"),
        Node::Break(_) => out.write_str("{{break}}"),
        Node::Continue(_) => out.write_str("{{continue}}"),
        Node::Comment(c) => write!(out, "{{{{{}}}}}", c.text),
    }
}

fn write_branch(out: &mut String, name: &str, b: &BranchNode, style: TextStyle) -> fmt::Result {
    write!(out, "{{{{{name} {}}}}}", b.pipe)?;
    write_list(out, &b.list, style)?;
    if let Some(else_list) = &b.else_list {
        out.write_str("{{else}}")?;
        write_list(out, else_list, style)?;
    }
    out.write_str("{{end}}")
}

impl fmt::Display for ListNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_go_string(TextStyle::Raw))
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        write_node(&mut out, self, TextStyle::Raw)?;
        f.write_str(&out)
    }
}

impl fmt::Display for TemplateNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = crate::template::strconv::quote(&self.name);
        match &self.pipe {
            None => write!(f, "{{{{template {name}}}}}"),
            Some(pipe) => write!(f, "{{{{template {name} {pipe}}}}}"),
        }
    }
}

impl fmt::Display for PipeNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            for (i, v) in self.decl.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{v}")?;
            }
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

impl fmt::Display for CommandNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, arg) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            match arg {
                Arg::Pipe(p) => write!(f, "({p})")?,
                other => write!(f, "{other}")?,
            }
        }
        Ok(())
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Dot(_) => f.write_str("."),
            Arg::Nil(_) => f.write_str("nil"),
            Arg::Bool(b) => write!(f, "{}", b.value),
            Arg::Number(n) => f.write_str(&n.text),
            Arg::String(s) => f.write_str(&s.quoted),
            Arg::Field(n) => write!(f, "{n}"),
            Arg::Variable(n) => write!(f, "{n}"),
            Arg::Identifier(n) => f.write_str(&n.ident),
            Arg::Chain(n) => write!(f, "{n}"),
            Arg::Pipe(p) => write!(f, "{p}"),
        }
    }
}

impl fmt::Display for FieldNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for id in &self.ident {
            write!(f, ".{id}")?;
        }
        Ok(())
    }
}

impl fmt::Display for VariableNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.ident.join("."))
    }
}

impl fmt::Display for ChainNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.node {
            Arg::Pipe(p) => write!(f, "({p})")?,
            other => write!(f, "{other}")?,
        }
        for field in &self.field {
            write!(f, ".{field}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(pos: Pos, names: &[&str]) -> Arg {
        Arg::Field(FieldNode {
            pos,
            ident: names.iter().map(|s| s.to_string()).collect(),
        })
    }

    #[test]
    fn pipelines_print_like_go() {
        let pipe = PipeNode {
            pos: 2,
            line: 1,
            is_assign: false,
            decl: vec![VariableNode {
                pos: 2,
                ident: vec!["$x".into()],
            }],
            cmds: vec![
                CommandNode {
                    pos: 8,
                    args: vec![
                        Arg::Identifier(IdentifierNode {
                            pos: 8,
                            ident: "index".into(),
                        }),
                        field(14, &["A", "B"]),
                        Arg::Pipe(Box::new(PipeNode {
                            cmds: vec![CommandNode {
                                pos: 20,
                                args: vec![Arg::Dot(20)],
                            }],
                            ..PipeNode::default()
                        })),
                    ],
                },
                CommandNode {
                    pos: 30,
                    args: vec![Arg::Identifier(IdentifierNode {
                        pos: 30,
                        ident: "len".into(),
                    })],
                },
            ],
        };
        assert_eq!(pipe.to_string(), "$x := index .A.B (.) | len");
    }

    #[test]
    fn nodes_keep_their_large_parts_boxed() {
        // A parsed template lives as long as the render: a big variant held
        // inline would size every node and argument by it.
        assert!(
            std::mem::size_of::<Node>() <= 96,
            "{}",
            std::mem::size_of::<Node>()
        );
        assert!(
            std::mem::size_of::<Arg>() <= 64,
            "{}",
            std::mem::size_of::<Arg>()
        );
    }

    #[test]
    fn branches_and_text_styles() {
        let list = ListNode {
            pos: 0,
            nodes: vec![Node::If(Box::new(BranchNode {
                pos: 5,
                line: 1,
                pipe: PipeNode {
                    cmds: vec![CommandNode {
                        pos: 5,
                        args: vec![field(5, &["X"])],
                    }],
                    ..PipeNode::default()
                },
                list: ListNode {
                    pos: 9,
                    nodes: vec![Node::Text(TextNode {
                        pos: 9,
                        text: "a\n".into(),
                    })],
                },
                else_list: Some(ListNode::default()),
            }))],
        };
        assert_eq!(list.to_string(), "{{if .X}}a\n{{else}}{{end}}");
        assert_eq!(
            list.to_go_string(TextStyle::Quoted),
            "{{if .X}}\"a\\n\"{{else}}{{end}}"
        );
    }
}
