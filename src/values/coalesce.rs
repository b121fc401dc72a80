//! Coalescing user values with chart defaults, mirroring Helm v3.21.4's
//! `pkg/chartutil/coalesce.go`: user values win, maps merge, lists and
//! scalars replace, `null` deletes a default (except when merging), each
//! subchart gets `Values.<name>` with the parent's `global` merged in.
//!
//! Helm logs warnings (a table overwritten by a scalar, and so on) through
//! `log.Printf`; they are collected here so callers can show them.

use crate::chart::Chart;
use crate::helm_log::{self as log, LogLine};
use crate::value::{Map, Value};

/// The key of values shared with every subchart.
pub const GLOBAL_KEY: &str = "global";

/// The outcome of a coalesce: the values, and Helm's warnings in order.
#[derive(Debug)]
pub struct Coalesced {
    pub values: Map,
    pub warnings: Vec<LogLine>,
}

/// Helm's `CoalesceValues`: `vals` (user values, not modified) over the
/// chart's defaults, recursively for subcharts; `null` removes keys.
pub fn coalesce_values(chart: &Chart, vals: &Map) -> Result<Coalesced, String> {
    run(chart, vals, false)
}

/// Helm's `MergeValues`: like [`coalesce_values`] but `null` values are kept.
pub fn merge_values(chart: &Chart, vals: &Map) -> Result<Coalesced, String> {
    run(chart, vals, true)
}

fn run(chart: &Chart, vals: &Map, merge: bool) -> Result<Coalesced, String> {
    let mut c = Coalescer::default();
    let dest = vals.deep_clone();
    c.coalesce(chart, &dest, "", merge)?;
    Ok(Coalesced {
        values: dest,
        warnings: c.warnings,
    })
}

/// Helm's `CoalesceTables`: `src` merged into `dst` (which wins); returns `dst`.
pub fn coalesce_tables(dst: &Map, src: &Map) -> Vec<LogLine> {
    let mut c = Coalescer::default();
    c.tables(dst, src, "", false);
    c.warnings
}

/// Helm's `MergeTables`: like [`coalesce_tables`], keeping `null`s.
pub fn merge_tables(dst: &Map, src: &Map) -> Vec<LogLine> {
    let mut c = Coalescer::default();
    c.tables(dst, src, "", true);
    c.warnings
}

fn concat_prefix(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}.{b}")
    }
}

fn as_table(v: &Value) -> Option<&Map> {
    v.as_map()
}

#[derive(Default)]
struct Coalescer {
    warnings: Vec<LogLine>,
}

impl Coalescer {
    fn warn(&mut self, line: LogLine) {
        self.warnings.push(line);
    }

    fn coalesce(
        &mut self,
        chart: &Chart,
        dest: &Map,
        prefix: &str,
        merge: bool,
    ) -> Result<(), String> {
        self.values(chart, dest, prefix, merge);
        self.deps(chart, dest, prefix, merge)
    }

    fn deps(&mut self, chart: &Chart, dest: &Map, prefix: &str, merge: bool) -> Result<(), String> {
        for sub in &chart.dependencies {
            let name = sub.name();
            let sub_values = match dest.get(name) {
                None => {
                    let m = Map::new();
                    dest.insert(name, Value::Map(m.clone()));
                    m
                }
                Some(Value::Map(m)) => m,
                Some(other) => {
                    let shown = crate::template::fmt::sprintf("%t", std::slice::from_ref(&other));
                    return Err(format!("type mismatch on {name}: {shown}"));
                }
            };
            let sub_prefix = concat_prefix(prefix, chart.name());
            self.globals(&sub_values, dest, &sub_prefix);
            self.coalesce(sub, &sub_values, &sub_prefix, merge)?;
            dest.insert(name, Value::Map(sub_values));
        }
        Ok(())
    }

    /// Helm's `coalesceGlobals`: the parent's globals merged into the child's.
    fn globals(&mut self, dest: &Map, src: &Map, prefix: &str) {
        let dg = match dest.get(GLOBAL_KEY) {
            None => Map::new(),
            Some(Value::Map(m)) => m,
            Some(_) => {
                self.warn(log::GLOBALS_DESTINATION_NOT_TABLE.log(format!(
                    "warning: skipping globals because destination {GLOBAL_KEY} is not a table."
                )));
                return;
            }
        };
        let sg = match src.get(GLOBAL_KEY) {
            None => Map::new(),
            Some(Value::Map(m)) => m,
            Some(_) => {
                self.warn(log::GLOBALS_SOURCE_NOT_TABLE.log(format!(
                    "warning: skipping globals because source {GLOBAL_KEY} is not a table."
                )));
                return;
            }
        };
        for (key, val) in sg.entries() {
            if let Some(table) = as_table(&val) {
                let vv = table.shallow_clone();
                match dg.get(&key) {
                    None => {
                        dg.insert(key, Value::Map(vv));
                    }
                    Some(Value::Map(dest_table)) => {
                        let sub_prefix = concat_prefix(prefix, &key);
                        self.tables(&vv, &dest_table, &sub_prefix, true);
                        dg.insert(key, Value::Map(vv));
                    }
                    Some(_) => self.warn(log::GLOBALS_CONFLICT.log(format!(
                        "Conflict: cannot merge map onto non-map for {}. Skipping.",
                        crate::template::strconv::quote(&key)
                    ))),
                }
            } else if matches!(dg.get(&key), Some(Value::Map(_))) {
                self.warn(log::GLOBALS_KEY_IS_TABLE.log(format!("key {key} is table. Skipping")));
            } else {
                dg.insert(key, val);
            }
        }
        dest.insert(GLOBAL_KEY, Value::Map(dg));
    }

    /// Helm's `coalesceValues`: the chart's defaults under the values in `v`.
    fn values(&mut self, chart: &Chart, v: &Map, prefix: &str, merge: bool) {
        let sub_prefix = concat_prefix(prefix, chart.name());
        let defaults = chart.values.deep_clone();
        for (key, default) in defaults.entries() {
            match v.get(&key) {
                Some(Value::Nil) if !merge => {
                    v.remove(&key);
                }
                Some(Value::Map(dest)) => match as_table(&default) {
                    Some(src) => {
                        let merge = merge || chart.dependencies.iter().any(|d| d.name() == key);
                        self.tables(&dest, src, &concat_prefix(&sub_prefix, &key), merge);
                    }
                    None => {
                        if !default.is_nil() {
                            self.warn(log::SKIPPED_NOT_TABLE.log(format!(
                                "warning: skipped value for {sub_prefix}.{key}: Not a table."
                            )));
                        }
                    }
                },
                Some(_) => {}
                None => {
                    v.insert(key, default);
                }
            }
        }
    }

    /// Helm's `coalesceTablesFullKey`: `src` merged into `dst`, `dst` winning.
    fn tables(&mut self, dst: &Map, src: &Map, prefix: &str, merge: bool) {
        if dst.ptr_eq(src) {
            return;
        }
        let src_originally_set: Vec<String> = src
            .borrow()
            .iter()
            .filter(|(_, v)| !v.is_nil())
            .map(|(k, _)| k.clone())
            .collect();
        // A null in dst marks the key in src too (Helm mutates src here).
        for (key, val) in dst.entries() {
            if val.is_nil() {
                src.insert(key, Value::Nil);
            }
        }
        for (key, val) in src.entries() {
            let full_key = concat_prefix(prefix, &key);
            let existing = dst.get(&key);
            match existing {
                Some(Value::Nil) if !merge && src_originally_set.contains(&key) => {
                    dst.remove(&key);
                }
                None => {
                    dst.insert(key, val);
                }
                Some(dv) => {
                    if let Some(src_table) = as_table(&val) {
                        match as_table(&dv) {
                            Some(dst_table) => self.tables(dst_table, src_table, &full_key, merge),
                            None => self.warn(log::CANNOT_OVERWRITE_TABLE.log(format!(
                                "warning: cannot overwrite table with non table for {full_key} ({val})"
                            ))),
                        }
                    } else if as_table(&dv).is_some() && !val.is_nil() {
                        self.warn(log::DESTINATION_IS_TABLE.log(format!(
                            "warning: destination for {full_key} is a table. Ignoring non-table value ({val})"
                        )));
                    }
                }
            }
        }
    }
}
