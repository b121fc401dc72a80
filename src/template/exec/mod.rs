//! The template executor, mirroring Go 1.26 `text/template/exec.go`.
//!
//! A [`State`] walks a template's tree writing output, evaluating pipelines,
//! commands, fields and function calls exactly as Go's `state` does, and
//! records the node it is at so errors carry Go's
//! `template: NAME:LINE:COL: executing "NAME" at <NODE>: MSG` text. Go
//! unwinds with panics (errors, `{{break}}`, `{{continue}}`); here they travel
//! as [`Interrupt`]s in `Result`s.
//!
//! Split into `walk` (statements: text, actions, `if`/`with`/`range`,
//! `{{template}}`), `eval` (pipelines, commands, fields, calls and argument
//! conversion) and `rv` (values as the executor holds them).

/// An execution error at the current node, formatted in a cold function
/// so error paths do not enlarge the frames of the recursive walk.
macro_rules! fail {
    ($state:expr, $($fmt:tt)+) => {
        $state.fail(|| format!($($fmt)+))
    };
}

mod eval;
pub(crate) mod rv;
mod walk;

use std::fmt::Write as _;
use std::rc::Rc;

use super::error::{Error, ErrorKind};
use super::function::{Extensions, Host};
use super::parse::{Arg, CommandNode, ListNode, Node, PipeNode, Pos, Tree};
use super::set::{ExecOptions, MissingKey};
use super::strconv::quote;
use super::Templates;
use crate::value::{ByteString, Value};
use rv::Rv;

/// State shared by one top-level execution and the nested executions its
/// functions start (`include`, `tpl`).
pub(crate) struct Shared {
    pub(crate) extensions: Extensions,
    pub(crate) host: Rc<dyn Host>,
    pub(crate) options: ExecOptions,
    pub(crate) steps: u64,
    /// The stack position where the top-level execution started.
    pub(crate) stack_base: usize,
    /// How many nested executions enclose the current one.
    pub(crate) nesting: usize,
}

/// The address of a local: where the stack currently is.
#[inline(never)]
fn stack_position() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

/// Why a walk stopped early: Go's `walkBreak`/`walkContinue` panics and
/// `ExecError`s.
pub(crate) enum Interrupt {
    Break,
    Continue,
    Error(Box<Error>),
}

pub(crate) type Flow<T> = Result<T, Interrupt>;

/// The node execution is at, for error messages (Go's `state.node`).
#[derive(Clone, Copy)]
pub(crate) enum NodeRef<'s> {
    Node(&'s Node),
    List(&'s ListNode),
    Pipe(&'s PipeNode),
    Command(&'s CommandNode),
    Arg(&'s Arg),
}

impl NodeRef<'_> {
    fn pos(&self) -> Pos {
        match self {
            NodeRef::Node(n) => n.pos(),
            NodeRef::List(l) => l.pos,
            NodeRef::Pipe(p) => p.pos,
            NodeRef::Command(c) => c.pos,
            NodeRef::Arg(a) => a.pos(),
        }
    }

    fn text(&self) -> String {
        match self {
            NodeRef::Node(n) => n.to_string(),
            NodeRef::List(l) => l.to_string(),
            NodeRef::Pipe(p) => p.to_string(),
            NodeRef::Command(c) => c.to_string(),
            NodeRef::Arg(a) => a.to_string(),
        }
    }
}

/// One execution of one template (Go's `state`).
pub(crate) struct State<'s, 'x> {
    set: &'s Templates,
    /// The executing template's name.
    name: &'s str,
    /// Its tree (node positions refer to its text).
    tree: &'s Tree,
    node: Option<NodeRef<'s>>,
    /// The variable stack; `$` is at the bottom of each template's frame.
    vars: Vec<(&'s str, Rv)>,
    /// Nesting of `{{template}}` calls and nested executions.
    depth: usize,
    out: String,
    /// Where strings that are not UTF-8 were written into `out`.
    raw: Vec<RawWrite>,
    shared: &'x mut Shared,
}

/// A string that is not UTF-8, written into an output as its text from
/// byte `at`.
struct RawWrite {
    at: usize,
    string: Rc<ByteString>,
}

/// What an execution printed: Go writes bytes, and a string that is not
/// UTF-8 printed into the output keeps its bytes there.
pub(crate) struct Printed {
    text: String,
    raw: Vec<RawWrite>,
}

impl Printed {
    /// The output as text (each invalid byte as U+FFFD).
    pub(crate) fn into_text(self) -> String {
        self.text
    }

    /// The output as the Go string Helm's `include` returns: its bytes.
    pub(crate) fn into_value(self) -> Value {
        match self.go_bytes() {
            Some(bytes) => Value::go_string_from_vec(bytes),
            None => Value::from(self.text),
        }
    }

    /// The output as text, and the bytes Go's output holds where they are
    /// not that text (where a string that is not UTF-8 was printed).
    pub(crate) fn into_text_and_bytes(self) -> (String, Option<Vec<u8>>) {
        let bytes = self.go_bytes();
        (self.text, bytes)
    }

    /// The bytes written, where a string that is not UTF-8 was.
    fn go_bytes(&self) -> Option<Vec<u8>> {
        if self.raw.is_empty() {
            return None;
        }
        let mut bytes = Vec::with_capacity(self.text.len());
        let mut from = 0;
        for write in &self.raw {
            bytes.extend_from_slice(&self.text.as_bytes()[from..write.at]);
            bytes.extend_from_slice(write.string.bytes());
            from = write.at + write.string.text().len();
        }
        bytes.extend_from_slice(&self.text.as_bytes()[from..]);
        Some(bytes)
    }
}

/// Runs a template as a new top-level execution.
pub(crate) fn execute_top(
    set: &Templates,
    name: &str,
    tree: Option<&Rc<Tree>>,
    data: &Value,
) -> Result<Printed, Error> {
    let mut shared = Shared {
        extensions: Extensions::default(),
        host: Rc::clone(&set.host),
        options: set.exec_options,
        steps: 0,
        stack_base: stack_position(),
        nesting: 0,
    };
    let Some(tree) = tree else {
        return Err(Error {
            kind: ErrorKind::Exec,
            name: name.to_string(),
            template: name.to_string(),
            line: 0,
            column: 0,
            message: format!(
                "template: {name}: {} is an incomplete or empty template",
                quote(name)
            ),
        });
    };
    run(set, name, tree, data, &mut shared, 0)
}

/// Runs template `name` of `set` inside a running execution (a function's
/// nested execution, as Helm's `include` calls `ExecuteTemplate`), sharing
/// its state and limits. As in Go, the nested execution has its own
/// template depth, starting at 0; the stack budget bounds the nesting.
pub(crate) fn execute_nested(
    set: &Templates,
    name: &str,
    data: &Value,
    shared: &mut Shared,
) -> Result<Printed, Error> {
    let Some(tree) = set.lookup_tree(name) else {
        return Err(Error::other(
            set.name(),
            format!(
                "template: no template {} associated with template {}",
                quote(name),
                quote(set.name())
            ),
        ));
    };
    shared.nesting += 1;
    let result = run(set, name, tree, data, shared, 0);
    shared.nesting -= 1;
    result
}

fn run(
    set: &Templates,
    name: &str,
    tree: &Tree,
    data: &Value,
    shared: &mut Shared,
    depth: usize,
) -> Result<Printed, Error> {
    let dot = Rv::of(data.clone());
    let mut state = State {
        set,
        name,
        tree,
        node: None,
        vars: vec![("$", dot.clone())],
        depth,
        out: String::new(),
        raw: Vec::new(),
        shared,
    };
    let result = state
        .check_stack()
        .and_then(|()| state.walk_list(&dot, &tree.root));
    match result {
        Ok(()) | Err(Interrupt::Break | Interrupt::Continue) => Ok(Printed {
            text: state.out,
            raw: state.raw,
        }),
        Err(Interrupt::Error(e)) => Err(*e),
    }
}

impl<'s> State<'s, '_> {
    /// Go's `at`: marks the node for error reporting.
    fn at(&mut self, node: NodeRef<'s>) {
        self.node = Some(node);
    }

    /// [`State::errorf`] with a lazily formatted message (see `fail!`).
    #[cold]
    #[inline(never)]
    fn fail(&self, message: impl FnOnce() -> String) -> Interrupt {
        self.errorf(&message())
    }

    /// Go's `errorf`: an execution error at the current node.
    #[cold]
    #[inline(never)]
    fn errorf(&self, message: &str) -> Interrupt {
        let error = match self.node {
            None => Error {
                kind: ErrorKind::Exec,
                name: self.name.to_string(),
                template: self.name.to_string(),
                line: 0,
                column: 0,
                message: format!("template: {}: {message}", self.name),
            },
            Some(node) => {
                let (line, column) = self.tree.location(node.pos());
                let parse_name = &self.tree.parse_name;
                Error {
                    kind: ErrorKind::Exec,
                    name: self.name.to_string(),
                    template: parse_name.clone(),
                    line,
                    column,
                    message: format!(
                        "template: {parse_name}:{line}:{column}: executing {} at <{}>: {message}",
                        quote(self.name),
                        node.text()
                    ),
                }
            }
        };
        Interrupt::Error(Box::new(error))
    }

    /// Counts one step against the optional budget.
    fn step(&mut self) -> Flow<()> {
        self.shared.steps += 1;
        match self.shared.options.max_steps {
            Some(max) if self.shared.steps > max => Err(fail!(
                self,
                "template execution exceeded the step budget ({max} steps)"
            )),
            _ => Ok(()),
        }
    }

    /// Stops before the native stack runs out (deeply nested or recursive
    /// templates): the stack may grow by at most
    /// [`ExecOptions::max_stack_bytes`] below where execution started.
    fn check_stack(&self) -> Flow<()> {
        let used = self.shared.stack_base.saturating_sub(stack_position());
        let max = self.shared.options.max_stack_bytes;
        if used > max {
            return Err(fail!(
                self,
                "template execution exceeded the stack budget ({max} bytes)"
            ));
        }
        Ok(())
    }

    fn check_output(&self) -> Flow<()> {
        match self.shared.options.max_output_bytes {
            Some(max) if self.out.len() > max => Err(fail!(
                self,
                "template output exceeded the maximum size ({max} bytes)"
            )),
            _ => Ok(()),
        }
    }

    fn write_str(&mut self, s: &str) -> Flow<()> {
        self.out.push_str(s);
        self.check_output()
    }

    fn write_value(&mut self, v: &Value) -> Flow<()> {
        match v {
            // Go's `printableValue`: a printed object was reached through a
            // pointer, so its pointer-receiver `String` applies.
            Value::Object(o) => self.out.push_str(&o.format()),
            Value::ByteString(string) => {
                self.raw.push(RawWrite {
                    at: self.out.len(),
                    string: Rc::clone(string),
                });
                self.out.push_str(string.text());
            }
            // Writing into a String cannot fail.
            _ => {
                let _ = write!(self.out, "{v}");
            }
        }
        self.check_output()
    }

    /// Go's `varValue`.
    fn var_value(&self, name: &str) -> Flow<Rv> {
        match self.vars.iter().rev().find(|(n, _)| *n == name) {
            Some((_, v)) => Ok(v.clone()),
            None => Err(fail!(self, "undefined variable: {name}")),
        }
    }

    /// Go's `setVar`: assigns to the innermost variable of that name.
    fn set_var(&mut self, name: &str, value: Rv) -> Flow<()> {
        match self.vars.iter_mut().rev().find(|(n, _)| *n == name) {
            Some(slot) => {
                slot.1 = value;
                Ok(())
            }
            None => Err(fail!(self, "undefined variable: {name}")),
        }
    }

    /// Go's `setTopVar`: overwrites the n-th variable from the top.
    fn set_top_var(&mut self, n: usize, value: Rv) {
        let len = self.vars.len();
        if let Some(slot) = len.checked_sub(n).and_then(|i| self.vars.get_mut(i)) {
            slot.1 = value;
        }
    }

    fn missing_key(&self) -> MissingKey {
        self.set.missing_key
    }
}

#[cfg(test)]
mod tests;
