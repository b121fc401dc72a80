//! The lines Helm writes through Go's standard `log` package while it loads
//! and renders a chart: a symlink in the chart, deprecated dependency files,
//! dependency conditions and tags that are not booleans, missing import
//! tables, values that cannot be coalesced, `urn:` references in a values
//! schema, unknown hooks.
//!
//! `helm` sets the logger's flags to `log.Lshortfile` (cmd/helm/helm.go), so
//! each line starts with the base name of the Go file and the line of the
//! `log.Printf` call, then `: `. Value coalescing passes `log.Printf` down
//! as a function value: its lines name the line of that call. The sites
//! here are those of Helm v3.21.4 (commit 813176c); a line's text comes
//! from the code that finds the problem.

use std::fmt::Display;

/// Where in Helm's source a log line is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Site {
    file: &'static str,
    line: u32,
}

impl Site {
    /// `message` as Helm's logger prints it from this site (without the
    /// line feed).
    pub fn line(self, message: impl Display) -> String {
        format!("{self}: {message}")
    }

    /// `message` logged from this site, kept apart from it.
    pub fn log(self, message: String) -> LogLine {
        LogLine {
            site: self,
            message,
        }
    }
}

/// A message and the site that logs it, for code whose messages are also
/// checked on their own (Helm's coalescing tests capture the text passed
/// to `printf`); it displays as Helm prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    pub site: Site,
    pub message: String,
}

/// `file.go:line`, the prefix `log.Lshortfile` gives.
impl Display for Site {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

impl Display for LogLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.site, self.message)
    }
}

const fn site(file: &'static str, line: u32) -> Site {
    Site { file, line }
}

/// `sympath.symwalk`: a symbolic link in a chart directory.
pub const SYMLINK: Site = site("walk.go", 75);
/// `loader.LoadFiles`: `requirements.yaml` in a chart that is not v1.
pub const REQUIREMENTS_YAML: Site = site("load.go", 120);
/// `loader.LoadFiles`: `requirements.lock` in a chart that is not v1.
pub const REQUIREMENTS_LOCK: Site = site("load.go", 138);
/// `processDependencyConditions`: a condition that is not a boolean.
pub const CONDITION_NOT_BOOL: Site = site("dependencies.go", 64);
/// `processDependencyTags`: a tag that is not a boolean.
pub const TAG_NOT_BOOL: Site = site("dependencies.go", 95);
/// `processImportValues`: the child table of a map-form import is missing.
pub const IMPORT_TABLE_MISSING_FROM_CHART: Site = site("dependencies.go", 270);
/// `processImportValues`: the exported table of a string import is missing.
pub const IMPORT_TABLE_MISSING: Site = site("dependencies.go", 287);
/// `coalesceGlobals`: the child's `global` is not a table.
pub const GLOBALS_DESTINATION_NOT_TABLE: Site = site("coalesce.go", 138);
/// `coalesceGlobals`: the parent's `global` is not a table.
pub const GLOBALS_SOURCE_NOT_TABLE: Site = site("coalesce.go", 145);
/// `coalesceGlobals`: a global table over a child's non-table.
pub const GLOBALS_CONFLICT: Site = site("coalesce.go", 161);
/// `coalesceGlobals`: a global non-table over a child's table.
pub const GLOBALS_KEY_IS_TABLE: Site = site("coalesce.go", 175);
/// `coalesceValues`: a chart default that is not a table under a table.
pub const SKIPPED_NOT_TABLE: Site = site("coalesce.go", 237);
/// `coalesceTablesFullKey`: a table under a value that is not one.
pub const CANNOT_OVERWRITE_TABLE: Site = site("coalesce.go", 316);
/// `coalesceTablesFullKey`: a value that is not a table under a table.
pub const DESTINATION_IS_TABLE: Site = site("coalesce.go", 319);
/// `SortManifests`: a hook annotation naming no hook Helm knows.
pub const UNKNOWN_HOOK: Site = site("manifest_sorter.go", 199);
/// `urnLoader.Load`: a `urn:` reference in a values schema, which no
/// resolver knows, taken as the permissive `true` (logged once per URN).
pub const UNRESOLVED_URN: Site = site("jsonschema.go", 192);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_starts_with_the_go_file_and_line_as_lshortfile_prints_them() {
        assert_eq!(
            SKIPPED_NOT_TABLE.line("warning: skipped value for x.a: Not a table."),
            "coalesce.go:237: warning: skipped value for x.a: Not a table."
        );
        assert_eq!(UNKNOWN_HOOK.line(1), "manifest_sorter.go:199: 1");
        let logged = GLOBALS_CONFLICT.log("text".into());
        assert_eq!(logged.message, "text");
        assert_eq!(logged.to_string(), GLOBALS_CONFLICT.line("text"));
    }
}
