//! A set of associated templates, as Go's `*template.Template` with its
//! shared `common` part (`template.go`, `option.go`).
//!
//! Go's API centres on `*Template` values sharing one name space; here
//! [`Templates`] is that name space (templates, functions, delimiters,
//! options) and [`Template`] is the handle `set.New(name).Parse(text)`
//! returns. The association rules are Go's: every tree a parse produces is
//! installed under its name, except that a tree with only white space and
//! comments (`parse.IsEmptyTree`) does not replace an existing template.
//!
//! Cloning a set is cheap (shared trees and functions, copy-on-write maps),
//! which Helm's `tpl` relies on: it clones the set, parses into the clone
//! and executes it.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::error::Error;
use super::exec;
use super::function::{DefaultHost, Func, Host};
use super::parse::{self, ParseError, ParseOptions, Tree};
use crate::template::strconv::quote;
use crate::value::Value;

/// What a field lookup does when a map has no such key (Go's
/// `Option("missingkey=…")`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MissingKey {
    /// `missingkey=default` / `missingkey=invalid`: no value (prints `<no value>`).
    #[default]
    Default,
    /// `missingkey=zero`: the map element type's zero value (for
    /// `map[string]interface{}` that is a nil interface, which still prints
    /// `<no value>`).
    Zero,
    /// `missingkey=error`: execution stops with `map has no entry for key "x"`.
    Error,
}

/// Limits on one execution (including the nested executions functions start).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExecOptions {
    /// The deepest nesting of `{{template}}` calls in one execution before
    /// it stops with Go's `exceeded maximum template depth (N)` (nested
    /// executions started by functions such as `include` count from 0
    /// again, as in Go). Go allows 100000 natively and 1000 on wasm; the
    /// default is Go's wasm value, which a release build runs in ~400 KiB of
    /// stack for plain recursion (measured: ~400 bytes per level in release,
    /// ~1.4 KiB in debug). The stack budget
    /// ([`ExecOptions::max_stack_bytes`]) backs it up for heavier levels
    /// (nested blocks; `include` chains take ~2 KiB per level in release,
    /// ~7 KiB in debug).
    pub max_depth: usize,
    /// An optional budget of execution steps (nodes walked, commands
    /// evaluated, range iterations).
    pub max_steps: Option<u64>,
    /// An optional limit on the bytes of output one execution produces.
    pub max_output_bytes: Option<usize>,
    /// How far (in bytes) the native stack may grow below the point where
    /// the top-level execution started before execution stops with an
    /// error instead of overflowing. The default suits a 1 MiB stack (the
    /// wasm default; native threads have 2 MiB or more); raise it when
    /// executing on a thread with a larger stack.
    pub max_stack_bytes: usize,
}

/// The default of [`ExecOptions::max_stack_bytes`].
pub const DEFAULT_MAX_STACK_BYTES: usize = 512 * 1024;

/// The default of [`ExecOptions::max_depth`]: Go's own limit (`maxExecDepth`
/// on every platform but wasm). How deep a run can really go depends on the
/// stack; [`ExecOptions::max_stack_bytes`] stops it before the stack runs out.
pub const DEFAULT_MAX_DEPTH: usize = 100_000;

impl Default for ExecOptions {
    fn default() -> Self {
        ExecOptions {
            max_depth: DEFAULT_MAX_DEPTH,
            max_steps: None,
            max_output_bytes: None,
            max_stack_bytes: DEFAULT_MAX_STACK_BYTES,
        }
    }
}

/// A parsed template: its name and tree (Go's `*Template` returned by
/// `Parse`). The tree is a snapshot: parsing the same name again into the
/// set does not change a handle already returned.
#[derive(Clone, Debug)]
pub struct Template {
    pub(crate) name: String,
    pub(crate) tree: Option<Rc<Tree>>,
}

impl Template {
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The parse tree (`None` for a template that was never parsed).
    pub fn tree(&self) -> Option<&Tree> {
        self.tree.as_deref()
    }
}

/// Parsing as a [`Templates`] set parses (its delimiters, its function
/// names), borrowed from the set but shareable between threads: parsing a
/// text depends on nothing else, so the trees equal those
/// [`Templates::parse`] builds.
pub struct ParseContext<'a> {
    left_delim: &'a str,
    right_delim: &'a str,
    max_stack_bytes: usize,
    /// Sorted by [`by_length_then_bytes`].
    functions: Vec<&'a str>,
}

/// A [`ParseContext`]'s settings, owned: what a kept parse must have been
/// parsed with to stand for a new one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseSettings {
    left_delim: String,
    right_delim: String,
    max_stack_bytes: usize,
    functions: Vec<String>,
}

impl ParseContext<'_> {
    /// The settings this context parses with.
    pub fn settings(&self) -> ParseSettings {
        ParseSettings {
            left_delim: self.left_delim.to_string(),
            right_delim: self.right_delim.to_string(),
            max_stack_bytes: self.max_stack_bytes,
            functions: self.functions.iter().map(|f| f.to_string()).collect(),
        }
    }

    /// Whether this context parses as one with `settings` did.
    pub fn has_settings(&self, settings: &ParseSettings) -> bool {
        self.left_delim == settings.left_delim
            && self.right_delim == settings.right_delim
            && self.max_stack_bytes == settings.max_stack_bytes
            && self.functions.iter().eq(settings.functions.iter())
    }

    /// The trees of template `name` and of the `{{define}}`s in `text`,
    /// for [`Templates::add_parsed`].
    pub fn parse(&self, name: &str, text: &str) -> Result<Vec<Tree>, ParseError> {
        let is_function = |n: &str| {
            self.functions
                .binary_search_by(|f| by_length_then_bytes(f, n))
                .is_ok()
        };
        let options = ParseOptions {
            left_delim: self.left_delim,
            right_delim: self.right_delim,
            is_function: &is_function,
            skip_func_check: false,
            keep_comments: false,
            max_stack_bytes: self.max_stack_bytes,
        };
        parse::parse(name, text, &options)
    }
}

/// The order of [`ParseContext`]'s function names. The parser looks up
/// every identifier it meets; ordered by length first, most steps of the
/// search compare two integers where the names' bytes were compared.
fn by_length_then_bytes(a: &str, b: &str) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// A set of associated templates with their functions and options.
#[derive(Clone)]
pub struct Templates {
    /// The name of the set's root template (Go's `template.New(name)`),
    /// used in the "no template associated" error.
    name: String,
    templates: Rc<BTreeMap<String, Rc<Tree>>>,
    funcs: Rc<BTreeMap<String, Func>>,
    builtins: Rc<BTreeMap<&'static str, Func>>,
    left_delim: String,
    right_delim: String,
    pub(crate) missing_key: MissingKey,
    pub(crate) exec_options: ExecOptions,
    pub(crate) host: Rc<dyn Host>,
}

impl Default for Templates {
    fn default() -> Self {
        Templates::new()
    }
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("name", &self.name)
            .field("templates", &self.templates.keys().collect::<Vec<_>>())
            .field("funcs", &self.funcs.keys().collect::<Vec<_>>())
            .field("missing_key", &self.missing_key)
            .finish_non_exhaustive()
    }
}

impl Templates {
    /// An empty set with Go's builtin functions and an empty root name.
    pub fn new() -> Templates {
        Templates::named("")
    }

    /// An empty set whose root template is called `name` (Go's
    /// `template.New(name)`; Helm uses `"gotpl"`).
    pub fn named(name: impl Into<String>) -> Templates {
        Templates {
            name: name.into(),
            templates: Rc::new(BTreeMap::new()),
            funcs: Rc::new(BTreeMap::new()),
            builtins: Rc::new(super::funcs::builtins()),
            left_delim: String::new(),
            right_delim: String::new(),
            missing_key: MissingKey::Default,
            exec_options: ExecOptions::default(),
            host: Rc::new(DefaultHost::default()),
        }
    }

    /// The root name given to [`Templates::named`].
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Adds (or replaces) a function (Go's `Funcs`). Functions shadow
    /// builtins of the same name, as in Go.
    pub fn add_func(&mut self, name: impl Into<String>, func: Func) {
        Rc::make_mut(&mut self.funcs).insert(name.into(), func);
    }

    /// Adds several functions.
    pub fn add_funcs<N: Into<String>>(&mut self, funcs: impl IntoIterator<Item = (N, Func)>) {
        let map = Rc::make_mut(&mut self.funcs);
        for (name, func) in funcs {
            map.insert(name.into(), func);
        }
    }

    /// Go's `findFunction`: a user function, else a builtin. The flag tells
    /// whether it is a builtin (which matters for `and`, `or` and `call`).
    pub(crate) fn find_func(&self, name: &str) -> Option<(&Func, bool)> {
        if let Some(f) = self.funcs.get(name) {
            return Some((f, false));
        }
        self.builtins.get(name).map(|f| (f, true))
    }

    /// Whether a function (user or builtin) of this name exists.
    pub fn has_func(&self, name: &str) -> bool {
        self.funcs.contains_key(name) || self.builtins.contains_key(name)
    }

    /// Go's `Delims`: the action delimiters for later parses; an empty
    /// string means the default `{{` or `}}`.
    pub fn set_delims(&mut self, left: &str, right: &str) {
        self.left_delim = left.to_string();
        self.right_delim = right.to_string();
    }

    pub fn set_missing_key(&mut self, missing_key: MissingKey) {
        self.missing_key = missing_key;
    }

    pub fn missing_key(&self) -> MissingKey {
        self.missing_key
    }

    /// Go's `Option`: `missingkey=default|invalid|zero|error`. Go panics on
    /// an unknown option; this returns Go's panic text as an error.
    pub fn set_option(&mut self, option: &str) -> Result<(), Error> {
        if option.is_empty() {
            return Err(Error::other(&self.name, "empty option string"));
        }
        let parts: Vec<&str> = option.split('=').collect();
        if let ["missingkey", value] = parts.as_slice() {
            let mk = match *value {
                "invalid" | "default" => Some(MissingKey::Default),
                "zero" => Some(MissingKey::Zero),
                "error" => Some(MissingKey::Error),
                _ => None,
            };
            if let Some(mk) = mk {
                self.missing_key = mk;
                return Ok(());
            }
        }
        Err(Error::other(
            &self.name,
            format!("unrecognized option: {option}"),
        ))
    }

    pub fn set_exec_options(&mut self, options: ExecOptions) {
        self.exec_options = options;
    }

    pub fn exec_options(&self) -> ExecOptions {
        self.exec_options
    }

    /// Installs the host used by functions for randomness and time.
    pub fn set_host(&mut self, host: Rc<dyn Host>) {
        self.host = host;
    }

    /// Go's `set.New(name).Parse(text)`: parses `text` as template `name`
    /// and installs it and every `{{define}}`/`{{block}}` in it. Returns
    /// the handle of the new template (whose tree may differ from what the
    /// set holds under `name` if the new tree was empty; see the module
    /// docs).
    pub fn parse(&mut self, name: &str, text: &str) -> Result<Template, Error> {
        let is_function = |n: &str| self.has_func(n);
        let options = ParseOptions {
            left_delim: &self.left_delim,
            right_delim: &self.right_delim,
            is_function: &is_function,
            skip_func_check: false,
            keep_comments: false,
            max_stack_bytes: self.parse_stack_bytes(),
        };
        let trees = parse::parse(name, text, &options)?;
        Ok(self.add_parsed(name, trees.into_iter().map(Rc::new)))
    }

    /// How far a parse may grow the stack: half the execution's budget, as
    /// `tpl` parses while a template executes.
    fn parse_stack_bytes(&self) -> usize {
        self.exec_options.max_stack_bytes / 2
    }

    /// What parsing for this set depends on (delimiters and function
    /// names), apart from the set, so that other threads can parse for it.
    pub fn parse_context(&self) -> ParseContext<'_> {
        let mut functions: Vec<&str> = self.funcs.keys().map(String::as_str).collect();
        functions.extend(self.builtins.keys().copied());
        functions.sort_unstable_by(|a, b| by_length_then_bytes(a, b));
        ParseContext {
            left_delim: &self.left_delim,
            right_delim: &self.right_delim,
            max_stack_bytes: self.parse_stack_bytes(),
            functions,
        }
    }

    /// Installs the trees a [`ParseContext`] of this set parsed from the
    /// text of template `name`: the second half of [`Templates::parse`].
    pub fn add_parsed(
        &mut self,
        name: &str,
        trees: impl IntoIterator<Item = Rc<Tree>>,
    ) -> Template {
        let mut handle = Template {
            name: name.to_string(),
            tree: None,
        };
        for tree in trees {
            if tree.name == name {
                handle.tree = Some(Rc::clone(&tree));
            }
            self.add_tree(tree);
        }
        handle
    }

    /// Go's `AddParseTree`/`associate`: installs a tree under its name
    /// unless it is empty and a template of that name already exists.
    pub fn add_tree(&mut self, tree: Rc<Tree>) {
        if self.templates.contains_key(&tree.name) && parse::is_empty_tree(&tree.root) {
            return;
        }
        Rc::make_mut(&mut self.templates).insert(tree.name.clone(), tree);
    }

    /// Go's `Lookup`.
    pub fn lookup(&self, name: &str) -> Option<Template> {
        self.templates.get(name).map(|tree| Template {
            name: name.to_string(),
            tree: Some(Rc::clone(tree)),
        })
    }

    pub(crate) fn lookup_tree(&self, name: &str) -> Option<&Tree> {
        self.templates.get(name).map(|t| &**t)
    }

    /// The names of the templates in the set, sorted.
    pub fn template_names(&self) -> Vec<&str> {
        self.templates.keys().map(String::as_str).collect()
    }

    /// Go's `DefinedTemplates`: `; defined templates are: "a", "b"` or the
    /// empty string (names sorted; Go's order is its map's).
    pub fn defined_templates(&self) -> String {
        let mut out = String::new();
        for name in self.templates.keys() {
            out.push_str(if out.is_empty() {
                "; defined templates are: "
            } else {
                ", "
            });
            out.push_str(&quote(name));
        }
        out
    }

    /// Go's `ExecuteTemplate`: runs template `name` with `data`.
    pub fn execute(&self, name: &str, data: &Value) -> Result<String, Error> {
        self.execute_go(name, data).map(|(text, _)| text)
    }

    /// [`Templates::execute`], with the bytes of Go's output too where
    /// they are not the text: where a string that is not UTF-8 (a binary
    /// file's contents) was printed, whose bytes Go writes as they are.
    pub fn execute_go(&self, name: &str, data: &Value) -> Result<(String, Option<Vec<u8>>), Error> {
        match self.templates.get(name) {
            Some(tree) => exec::execute_top(self, name, Some(tree), data)
                .map(exec::Printed::into_text_and_bytes),
            None => Err(Error::other(
                &self.name,
                format!(
                    "template: no template {} associated with template {}",
                    quote(name),
                    quote(&self.name)
                ),
            )),
        }
    }

    /// Go's `Execute` on a handle returned by [`Templates::parse`] or
    /// [`Templates::lookup`]; `{{template}}` calls resolve in this set.
    pub fn execute_template(&self, template: &Template, data: &Value) -> Result<String, Error> {
        exec::execute_top(self, &template.name, template.tree.as_ref(), data)
            .map(exec::Printed::into_text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_follow_go() {
        let mut set = Templates::new();
        assert!(set.set_option("missingkey=zero").is_ok());
        assert_eq!(set.missing_key(), MissingKey::Zero);
        assert!(set.set_option("missingkey=invalid").is_ok());
        assert_eq!(set.missing_key(), MissingKey::Default);
        assert_eq!(
            set.set_option("missingkey=bogus").unwrap_err().to_string(),
            "unrecognized option: missingkey=bogus"
        );
        assert_eq!(
            set.set_option("").unwrap_err().to_string(),
            "empty option string"
        );
        assert!(set.set_option("missingkey=zero=x").is_err());
    }

    #[test]
    fn unknown_template_error() {
        let set = Templates::named("gotpl");
        assert_eq!(
            set.execute("x", &Value::Nil).unwrap_err().to_string(),
            "template: no template \"x\" associated with template \"gotpl\""
        );
    }
}
