//! Statements: Go's `walk`, `walkIfOrWith`, `walkRange`, `walkTemplate` and
//! `printValue`.

use super::rv::Rv;
use super::{Flow, Interrupt, NodeRef, State};
use crate::template::parse::{BranchNode, ListNode, Node, TemplateNode, VariableNode};
use crate::template::strconv::quote;
use crate::value::{UintType, Value};

/// A declared variable's name (`$x`).
fn var_name(var: &VariableNode) -> &str {
    var.ident.first().map_or("", String::as_str)
}

impl<'s> State<'s, '_> {
    pub(super) fn walk_list(&mut self, dot: &Rv, list: &'s ListNode) -> Flow<()> {
        self.at(NodeRef::List(list));
        for node in &list.nodes {
            self.walk(dot, node)?;
        }
        Ok(())
    }

    fn walk(&mut self, dot: &Rv, node: &'s Node) -> Flow<()> {
        self.at(NodeRef::Node(node));
        self.step()?;
        self.check_stack()?;
        match node {
            Node::Action(action) => {
                // Variables declared here persist until the enclosing end;
                // a declaration prints nothing.
                let value = self.eval_pipeline(dot, &action.pipe)?;
                if action.pipe.decl.is_empty() {
                    self.print_value(node, &value)?;
                }
                Ok(())
            }
            Node::Break(_) => Err(Interrupt::Break),
            Node::Continue(_) => Err(Interrupt::Continue),
            Node::Comment(_) => Ok(()),
            Node::If(branch) => self.walk_if_or_with(false, dot, branch),
            Node::With(branch) => self.walk_if_or_with(true, dot, branch),
            Node::Range(branch) => self.walk_range(dot, branch),
            Node::Template(t) => self.walk_template(dot, t),
            Node::Text(text) => self.write_str(&text.text),
        }
    }

    /// `if` and `with`: identical except that `with` sets dot.
    fn walk_if_or_with(&mut self, with: bool, dot: &Rv, branch: &'s BranchNode) -> Flow<()> {
        let mark = self.vars.len();
        let result = self.if_or_with_body(with, dot, branch);
        self.vars.truncate(mark);
        result
    }

    fn if_or_with_body(&mut self, with: bool, dot: &Rv, branch: &'s BranchNode) -> Flow<()> {
        let value = self.eval_pipeline(dot, &branch.pipe)?;
        if value.truth() {
            let dot = if with { &value } else { dot };
            self.walk_list(dot, &branch.list)
        } else if let Some(else_list) = &branch.else_list {
            self.walk_list(dot, else_list)
        } else {
            Ok(())
        }
    }

    fn walk_range(&mut self, dot: &Rv, branch: &'s BranchNode) -> Flow<()> {
        let mark = self.vars.len();
        let result = self.range_body(dot, branch);
        self.vars.truncate(mark);
        match result {
            Err(Interrupt::Break) => Ok(()),
            other => other,
        }
    }

    fn range_body(&mut self, dot: &Rv, branch: &'s BranchNode) -> Flow<()> {
        let value = self.eval_pipeline(dot, &branch.pipe)?;
        // Mark the stack after the range's own variables.
        let mark = self.vars.len();
        match value.concrete() {
            None => {}
            Some(Value::Int(n, t)) => {
                self.check_single_variable(branch, value.concrete())?;
                if *n > 0 {
                    for i in 0..*n {
                        self.one_iteration(branch, mark, Rv::Invalid, Rv::Val(Value::Int(i, *t)))?;
                    }
                    return Ok(());
                }
            }
            Some(Value::Uint(n, t)) => {
                self.check_single_variable(branch, value.concrete())?;
                if *n > 0 {
                    for i in 0..*n {
                        self.one_iteration(branch, mark, Rv::Invalid, Rv::Val(Value::Uint(i, *t)))?;
                    }
                    return Ok(());
                }
            }
            Some(Value::List(items)) if !items.is_empty() => {
                for (i, item) in items.iter().enumerate() {
                    let index = Rv::Val(Value::int(i as i64));
                    self.one_iteration(branch, mark, index, Rv::elem(item.clone()))?;
                }
                return Ok(());
            }
            Some(Value::Bytes(bytes)) if !bytes.is_empty() => {
                for (i, b) in bytes.iter().enumerate() {
                    let index = Rv::Val(Value::int(i as i64));
                    let elem = Rv::Val(Value::Uint(u64::from(*b), UintType::Uint8));
                    self.one_iteration(branch, mark, index, elem)?;
                }
                return Ok(());
            }
            Some(Value::Map(map)) if !map.is_empty() => {
                // A snapshot in key order, as Go's fmtsort takes one.
                for (key, item) in map.entries() {
                    let key = Rv::Val(Value::from(key));
                    self.one_iteration(branch, mark, key, Rv::elem(item))?;
                }
                return Ok(());
            }
            // Empty: the else branch.
            Some(Value::List(_) | Value::Bytes(_) | Value::Map(_)) => {}
            Some(Value::Object(obj)) if obj.list_items().is_some() => {
                let items = obj.list_items().unwrap_or_default();
                if !items.is_empty() {
                    for (i, item) in items.into_iter().enumerate() {
                        let key = Rv::Val(Value::int(i as i64));
                        self.one_iteration(branch, mark, key, Rv::of(item))?;
                    }
                    return Ok(());
                }
            }
            Some(Value::Object(obj)) if obj.map_entries().is_some() => {
                let entries = obj.map_entries().unwrap_or_default();
                if !entries.is_empty() {
                    for (key, item) in entries {
                        let key = Rv::Val(Value::from(key));
                        self.one_iteration(branch, mark, key, Rv::of(item))?;
                    }
                    return Ok(());
                }
            }
            Some(other) => {
                return Err(fail!(self, "range can't iterate over {other}"));
            }
        }
        match &branch.else_list {
            Some(else_list) => self.walk_list(dot, else_list),
            None => Ok(()),
        }
    }

    /// Integers yield one value per iteration, so only one variable.
    fn check_single_variable(&self, branch: &BranchNode, value: Option<&Value>) -> Flow<()> {
        if branch.pipe.decl.len() > 1 {
            let shown = value.map(Value::to_string).unwrap_or_default();
            return Err(fail!(
                self,
                "can't use {shown} to iterate over more than one variable"
            ));
        }
        Ok(())
    }

    /// Go's `oneIteration`: binds the range variables and walks the body.
    fn one_iteration(
        &mut self,
        branch: &'s BranchNode,
        mark: usize,
        index: Rv,
        elem: Rv,
    ) -> Flow<()> {
        self.step()?;
        let pipe = &branch.pipe;
        if let Some(first) = pipe.decl.first() {
            if pipe.is_assign {
                // With two variables the index comes first; with one, the element.
                let value = if pipe.decl.len() > 1 {
                    index.clone()
                } else {
                    elem.clone()
                };
                self.set_var(var_name(first), value)?;
            } else {
                // The top variable (lexically the second of two) is the element.
                self.set_top_var(1, elem.clone());
            }
        }
        if let Some(second) = pipe.decl.get(1) {
            if pipe.is_assign {
                self.set_var(var_name(second), elem.clone())?;
            } else {
                self.set_top_var(2, index);
            }
        }
        let result = self.walk_list(&elem, &branch.list);
        self.vars.truncate(mark);
        match result {
            Err(Interrupt::Continue) => Ok(()),
            other => other,
        }
    }

    /// `{{template "name" pipeline}}`: runs the named template with the
    /// pipeline's value as dot and a fresh variable scope.
    fn walk_template(&mut self, dot: &Rv, node: &'s TemplateNode) -> Flow<()> {
        let set = self.set;
        let Some(tree) = set.lookup_tree(&node.name) else {
            return Err(fail!(self, "template {} not defined", quote(&node.name)));
        };
        let max = self.shared.options.max_depth;
        if self.depth >= max {
            return Err(fail!(self, "exceeded maximum template depth ({max})"));
        }
        // Variables declared by the pipeline persist in the caller.
        let new_dot = match &node.pipe {
            Some(pipe) => self.eval_pipeline(dot, pipe)?,
            None => Rv::Invalid,
        };
        let saved_vars = std::mem::replace(&mut self.vars, vec![("$", new_dot.clone())]);
        let saved_name = std::mem::replace(&mut self.name, &tree.name);
        let saved_tree = std::mem::replace(&mut self.tree, tree);
        let saved_node = self.node;
        self.depth += 1;
        let result = self.walk_list(&new_dot, &tree.root);
        self.depth -= 1;
        self.vars = saved_vars;
        self.name = saved_name;
        self.tree = saved_tree;
        self.node = saved_node;
        result
    }

    /// Go's `printValue`: `%v` of the value, `<no value>` for no value.
    fn print_value(&mut self, node: &'s Node, value: &Rv) -> Flow<()> {
        self.at(NodeRef::Node(node));
        match value.concrete() {
            None => self.write_str("<no value>"),
            Some(v) => self.write_value(v),
        }
    }
}
