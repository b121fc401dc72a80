//! Dependency processing, mirroring Helm v3.21.4's
//! `pkg/chartutil/dependencies.go` (`ProcessDependencies`,
//! `ProcessDependenciesWithMerge`) and `pkg/action`'s `CheckDependencies`.
//!
//! For each chart that lists dependencies (a non-nil list), top down:
//! - the subcharts are matched to the list by name and version range; each
//!   entry gets a copy of the first matching subchart, renamed to its alias
//!   (subcharts no entry matches stay as they are), and aliased entries take
//!   the alias as their name;
//! - the user values are coalesced with the chart's defaults; `tags.<tag>`
//!   can disable an entry (an entry is disabled when one of its tags is
//!   false and none is true), then the first condition path (of the
//!   comma-separated list) holding a bool decides;
//! - disabled entries and the subcharts of the same name are removed, and
//!   the remaining subcharts are processed with the coalesced values, their
//!   conditions looked up below `<subchart>.`.
//!
//! Then, bottom up, each chart with a dependency list imports values:
//! `import-values` entries `{child: a.b, parent: x.y}` copy the subchart's
//! table `a.b` to `x.y`, a string entry `n` copies the subchart's
//! `exports.n` table to the top; the imports are merged (Helm's
//! `MergeTables` for `helm template`, `CoalesceTables` otherwise) under the
//! chart's coalesced values, which become the chart's values. The entries
//! are rewritten to the `{child, parent}` form.
//!
//! Helm works on pointers, and this module keeps its sharing: an alias copy
//! shares its values, its dependency entries and its subcharts with the
//! chart it copies, and imported tables stay shared with the values they
//! came from while the imports are merged, so the results match Helm's
//! in the corner cases too.

use crate::helm_log as log;
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use super::{Chart, Dependency, Metadata};
use crate::funcs::semver::{Constraints, Version};
use crate::template::strconv::quote;
use crate::value::{Map, Value};
use crate::values::coalesce::{coalesce_tables, coalesce_values, merge_tables, merge_values};

/// The text Helm's install and template commands put before a
/// [`check_dependencies`] failure (joined with `": "`).
pub const MISSING_DEPENDENCIES_HINT: &str = "An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies";

/// Helm's `action.CheckDependencies`: every dependency the chart lists
/// must be among its subcharts (by chart name, before aliases apply).
pub fn check_dependencies(chart: &Chart) -> Result<(), String> {
    let missing: Vec<&str> = chart
        .metadata
        .dependencies
        .iter()
        .filter(|r| !chart.dependencies.iter().any(|d| d.name() == r.name))
        .map(|r| r.name.as_str())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "found in Chart.yaml, but missing in charts/ directory: {}",
            missing.join(", ")
        ))
    }
}

/// Helm's `ProcessDependencies` (`merge` false) or
/// `ProcessDependenciesWithMerge` (`merge` true, what `helm install` and
/// `helm template` use): disabled subcharts removed, aliases applied,
/// imported values merged into each chart's values. `values` are the user's
/// values (not changed). On error the chart is left as far as Helm got.
pub fn process_dependencies(chart: &mut Chart, values: &Map, merge: bool) -> Result<(), String> {
    process_dependencies_with_warnings(chart, values, merge, &mut Vec::new())
}

/// [`process_dependencies`], collecting the warnings Helm logs (non-bool
/// conditions and tags, missing import tables, coalescing conflicts).
pub fn process_dependencies_with_warnings(
    chart: &mut Chart,
    values: &Map,
    merge: bool,
    warnings: &mut Vec<String>,
) -> Result<(), String> {
    let root = Node::from_chart(std::mem::take(chart));
    let mut cx = Context {
        warnings,
        rewritten: BTreeSet::new(),
    };
    let result = cx
        .enabled(&root, values, "")
        .and_then(|()| cx.import_values(&root, merge));
    *chart = Node::into_chart(root);
    chart.link_parents();
    result
}

type NodeRef = Rc<RefCell<Node>>;
type DepRef = Rc<RefCell<Dependency>>;
type MetaRef = Rc<RefCell<Meta>>;

/// A `*chart.Chart` while dependencies are processed.
struct Node {
    /// Templates, files and the rest, shared by alias copies.
    body: Rc<Chart>,
    values: Map,
    meta: MetaRef,
    children: Vec<NodeRef>,
}

/// A `*chart.Metadata`: its dependency entries are pointers, shared by the
/// copies Helm makes for aliases.
struct Meta {
    md: Metadata,
    /// `None` is Go's nil slice.
    deps: Option<Vec<DepRef>>,
}

impl Node {
    fn from_chart(mut chart: Chart) -> NodeRef {
        let children = std::mem::take(&mut chart.dependencies)
            .into_iter()
            .map(Node::from_chart)
            .collect();
        let declared = chart.metadata.has_dependency_list();
        let deps = std::mem::take(&mut chart.metadata.dependencies)
            .into_iter()
            .map(|d| Rc::new(RefCell::new(d)))
            .collect();
        let md = std::mem::take(&mut chart.metadata);
        let values = std::mem::take(&mut chart.values);
        Rc::new(RefCell::new(Node {
            body: Rc::new(chart),
            values,
            meta: Rc::new(RefCell::new(Meta {
                md,
                deps: declared.then_some(deps),
            })),
            children,
        }))
    }

    fn into_chart(node: NodeRef) -> Chart {
        let node = match Rc::try_unwrap(node) {
            Ok(cell) => cell.into_inner(),
            Err(shared) => {
                let n = shared.borrow();
                Node {
                    body: n.body.clone(),
                    values: n.values.clone(),
                    meta: n.meta.clone(),
                    children: n.children.clone(),
                }
            }
        };
        let mut chart = Rc::try_unwrap(node.body).unwrap_or_else(|shared| (*shared).clone());
        let meta = node.meta.borrow();
        chart.metadata = meta.md.clone();
        chart.metadata.dependencies_declared = meta.deps.is_some();
        chart.metadata.dependencies = meta
            .deps
            .iter()
            .flatten()
            .map(|d| d.borrow().clone())
            .collect();
        chart.values = node.values.clone();
        chart.dependencies = node
            .children
            .iter()
            .cloned()
            .map(Node::into_chart)
            .collect();
        chart
    }

    fn name(node: &NodeRef) -> String {
        node.borrow().meta.borrow().md.name.clone()
    }

    fn version(node: &NodeRef) -> String {
        node.borrow().meta.borrow().md.version.clone()
    }

    /// What coalescing looks at: names, values and subcharts.
    fn skeleton(node: &NodeRef) -> Chart {
        let n = node.borrow();
        let mut chart = Chart::default();
        chart.metadata.name = n.meta.borrow().md.name.clone();
        chart.values = n.values.clone();
        chart.dependencies = n.children.iter().map(Node::skeleton).collect();
        chart
    }
}

/// Helm's `IsCompatibleRange`.
fn compatible(constraint: &str, version: &str) -> bool {
    let Ok(v) = Version::parse(version) else {
        return false;
    };
    Constraints::parse(constraint).is_ok_and(|c| c.check(&v))
}

/// Helm's `getAliasDependency`: a copy of the first subchart matching the
/// entry, renamed to its alias.
fn alias_dependency(charts: &[NodeRef], dep: &Dependency) -> Option<NodeRef> {
    let found = charts
        .iter()
        .find(|c| Node::name(c) == dep.name && compatible(&dep.version, &Node::version(c)))?;
    let n = found.borrow();
    let meta = n.meta.borrow();
    let mut md = meta.md.clone();
    if !dep.alias.is_empty() {
        md.name = dep.alias.clone();
    }
    Some(Rc::new(RefCell::new(Node {
        body: n.body.clone(),
        values: n.values.clone(),
        meta: Rc::new(RefCell::new(Meta {
            md,
            deps: meta.deps.clone(),
        })),
        children: n.children.clone(),
    })))
}

/// Whether a value is a table (`map[string]interface{}`).
fn is_table(v: &Value) -> bool {
    matches!(v, Value::Map(_))
}

/// Helm's `Values.Table`: the table at a dotted path, or `"key" is not a
/// table` for the first step that is missing or not a table.
fn table(values: &Map, name: &str) -> Result<Map, String> {
    let mut t = values.clone();
    for key in name.split('.') {
        match t.get(key) {
            Some(Value::Map(m)) => t = m,
            _ => return Err(format!("{} is not a table", quote(key))),
        }
    }
    Ok(t)
}

/// Helm's `Values.PathValue`: the non-table value at a dotted path.
fn path_value(values: &Map, path: &str) -> Option<Value> {
    let (parent, key) = match path.rsplit_once('.') {
        Some((parent, key)) => (Some(parent), key),
        None => (None, path),
    };
    let t = match parent {
        Some(p) => table(values, p).ok()?,
        None => values.clone(),
    };
    t.get(key).filter(|v| !is_table(v))
}

/// Helm's `pathToMap`: `data` nested under a dotted path (`.` is the top).
fn path_to_map(path: &str, data: Map) -> Map {
    if path == "." {
        return data;
    }
    let mut cur = data;
    for key in path.rsplit('.') {
        let outer = Map::new();
        outer.insert(key, Value::Map(cur));
        cur = outer;
    }
    cur
}

/// Helm's `trimNilValues`: a deep copy without `null`s in tables.
fn trim_nil(values: &Map) -> Map {
    let out = Map::new();
    for (k, v) in values.entries() {
        match v {
            Value::Nil => {}
            Value::Map(m) => {
                out.insert(k, Value::Map(trim_nil(&m)));
            }
            other => {
                out.insert(k, other.deep_clone());
            }
        }
    }
    out
}

struct Context<'w> {
    warnings: &'w mut Vec<String>,
    /// Dependency entries whose import values are already rewritten (Go's
    /// `map[string]string` entries, which a second pass skips).
    rewritten: BTreeSet<usize>,
}

impl Context<'_> {
    /// Adds the lines coalescing logged, as Helm prints them.
    fn log_all(&mut self, lines: Vec<log::LogLine>) {
        self.warnings.extend(lines.iter().map(ToString::to_string));
    }

    /// Helm's `processDependencyEnabled`.
    fn enabled(&mut self, chart: &NodeRef, values: &Map, path: &str) -> Result<(), String> {
        let meta = chart.borrow().meta.clone();
        let Some(reqs) = meta.borrow().deps.clone() else {
            return Ok(());
        };
        let existing = chart.borrow().children.clone();

        let mut kept: Vec<NodeRef> = existing
            .iter()
            .filter(|e| {
                let (name, version) = (Node::name(e), Node::version(e));
                !reqs.iter().any(|r| {
                    let r = r.borrow();
                    r.name == name && compatible(&r.version, &version)
                })
            })
            .cloned()
            .collect();
        for req in &reqs {
            if let Some(copy) = alias_dependency(&existing, &req.borrow()) {
                kept.push(copy);
            }
            let mut r = req.borrow_mut();
            if !r.alias.is_empty() {
                r.name = r.alias.clone();
            }
        }
        chart.borrow_mut().children = kept;

        for r in &reqs {
            r.borrow_mut().enabled = true;
        }
        let coalesced = coalesce_values(&Node::skeleton(chart), values)?;
        self.log_all(coalesced.warnings);
        let cvals = coalesced.values;
        self.tags(&reqs, &cvals);
        self.conditions(&reqs, &cvals, path);

        let removed: BTreeSet<String> = reqs
            .iter()
            .map(|r| r.borrow())
            .filter(|r| !r.enabled)
            .map(|r| r.name.clone())
            .collect();
        let children: Vec<NodeRef> = chart
            .borrow()
            .children
            .iter()
            .filter(|c| !removed.contains(&Node::name(c)))
            .cloned()
            .collect();
        let entries: Vec<DepRef> = reqs
            .iter()
            .filter(|r| !removed.contains(&r.borrow().name))
            .cloned()
            .collect();
        for child in &children {
            let sub_path = format!("{path}{}.", Node::name(child));
            self.enabled(child, &cvals, &sub_path)?;
        }
        meta.borrow_mut().deps = (!entries.is_empty()).then_some(entries);
        chart.borrow_mut().children = children;
        Ok(())
    }

    /// Helm's `processDependencyTags`.
    fn tags(&mut self, reqs: &[DepRef], cvals: &Map) {
        let Ok(tags) = table(cvals, "tags") else {
            return;
        };
        for r in reqs {
            let mut r = r.borrow_mut();
            let (mut has_true, mut has_false) = (false, false);
            for tag in &r.tags {
                match tags.get(tag) {
                    Some(Value::Bool(true)) => has_true = true,
                    Some(Value::Bool(false)) => has_false = true,
                    Some(_) => self.warnings.push(log::TAG_NOT_BOOL.line(format_args!(
                        "Warning: Tag '{tag}' for chart {} returned non-bool value",
                        r.name
                    ))),
                    None => {}
                }
            }
            r.enabled = has_true || !has_false;
        }
    }

    /// Helm's `processDependencyConditions`.
    fn conditions(&mut self, reqs: &[DepRef], cvals: &Map, prefix: &str) {
        for r in reqs {
            let mut r = r.borrow_mut();
            let condition = r.condition.trim().to_string();
            for c in condition.split(',').filter(|c| !c.is_empty()) {
                match path_value(cvals, &format!("{prefix}{c}")) {
                    Some(Value::Bool(b)) => {
                        r.enabled = b;
                        break;
                    }
                    Some(_) => self
                        .warnings
                        .push(log::CONDITION_NOT_BOOL.line(format_args!(
                            "Warning: Condition path '{c}' for chart {} returned non-bool value",
                            r.name
                        ))),
                    None => {}
                }
            }
        }
    }

    /// Helm's `processDependencyImportValues`: subcharts first.
    fn import_values(&mut self, chart: &NodeRef, merge: bool) -> Result<(), String> {
        let children = chart.borrow().children.clone();
        for child in &children {
            self.import_values(child, merge)?;
        }
        self.import_chart_values(chart, merge)
    }

    /// Helm's `processImportValues` for one chart.
    fn import_chart_values(&mut self, chart: &NodeRef, merge: bool) -> Result<(), String> {
        let meta = chart.borrow().meta.clone();
        let Some(reqs) = meta.borrow().deps.clone() else {
            return Ok(());
        };
        let skeleton = Node::skeleton(chart);
        let coalesced = if merge {
            merge_values(&skeleton, &Map::new())?
        } else {
            coalesce_values(&skeleton, &Map::new())?
        };
        self.log_all(coalesced.warnings);
        let cvals = coalesced.values;
        let imported = Map::new();
        for r in &reqs {
            let key = Rc::as_ptr(r) as usize;
            let (name, entries) = {
                let r = r.borrow();
                (r.name.clone(), r.import_values.clone())
            };
            let mut rewritten = Vec::new();
            // A second pass over shared entries sees only rewritten ones,
            // which match neither form.
            let entries = if self.rewritten.contains(&key) {
                Vec::new()
            } else {
                entries
            };
            for entry in entries {
                let (child, parent, map_form) = match &entry {
                    Value::Map(m) => {
                        let show = |k: &str| {
                            crate::template::fmt::sprintf("%v", &[m.get(k).unwrap_or_default()])
                        };
                        (show("child"), show("parent"), true)
                    }
                    Value::String(s) => (format!("exports.{s}"), ".".to_string(), false),
                    _ => continue,
                };
                rewritten.push(Value::Map(
                    [
                        ("child".to_string(), Value::from(child.as_str())),
                        ("parent".to_string(), Value::from(parent.as_str())),
                    ]
                    .into_iter()
                    .collect(),
                ));
                let found = match table(&cvals, &format!("{name}.{child}")) {
                    Ok(t) => t,
                    Err(e) if map_form => {
                        self.warnings
                            .push(log::IMPORT_TABLE_MISSING_FROM_CHART.line(format_args!(
                                "Warning: ImportValues missing table from chart {name}: {e}"
                            )));
                        continue;
                    }
                    Err(e) => {
                        self.warnings.push(
                            log::IMPORT_TABLE_MISSING
                                .line(format_args!("Warning: ImportValues missing table: {e}")),
                        );
                        continue;
                    }
                };
                let found = if found.is_empty() { Map::new() } else { found };
                let src = path_to_map(&parent, found);
                let warnings = if merge {
                    merge_tables(&imported, &src)
                } else {
                    coalesce_tables(&imported, &src)
                };
                self.log_all(warnings);
            }
            r.borrow_mut().import_values = rewritten;
            self.rewritten.insert(key);
        }

        // Imported values rank below the chart's own.
        let values = if merge {
            let copy = cvals.deep_clone();
            self.log_all(merge_tables(&copy, &imported));
            copy
        } else {
            let copy = trim_nil(&cvals);
            self.log_all(coalesce_tables(&copy, &imported));
            copy
        };
        chart.borrow_mut().values = values;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
