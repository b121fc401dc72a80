//! Errors as structured data: what failed ([`ErrorKind`]), where (the chart
//! file, line and column), the message, and the exact text Helm prints.
//!
//! Chartroom's error texts are Helm's, so the position is read back out of
//! them the way a user reads them. Helm v3.21.4 words them as follows:
//! - `parse error at (CHART/templates/x.yaml:LINE): …` (the engine's
//!   `cleanupParseError`),
//! - `execution error at (CHART/templates/x.yaml:LINE:COL): …` (`fail`,
//!   `required`: the engine's `reformatExecErrorMsg`),
//! - `template: NAME:LINE:COL: executing "…" at <…>: …` (other execution
//!   errors; nested `include`/`tpl` calls repeat the pattern),
//! - `YAML parse error on CHART/templates/x.yaml: …` (a rendered manifest),
//! - `failed to parse FILE: … yaml: line N: …` (a values file).
//!
//! Template names start with the root chart's name and go through
//! `charts/<name>/` for subcharts; [`ErrorDetails::file`] turns them back
//! into paths relative to the chart's root, as the chart's files are given.

use crate::value::{Map, Value};
use crate::values::schema::Violation;

/// What went wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Loading the chart: `Chart.yaml`, archives, missing dependencies.
    Chart,
    /// A values file or a `--set` flag.
    Values,
    /// A `values.schema.json` rejected the values.
    Schema,
    /// A template's syntax.
    Parse,
    /// Executing a template (`fail` and `required` included).
    Exec,
    /// A rendered manifest is not valid YAML.
    Yaml,
    /// An option's value (release name, kube version, `--show-only`…).
    Options,
    /// A budget ran out (steps, output size, template depth).
    Limit,
    /// A bug in Chartroom.
    Internal,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Chart => "chart",
            ErrorKind::Values => "values",
            ErrorKind::Schema => "schema",
            ErrorKind::Parse => "parse",
            ErrorKind::Exec => "exec",
            ErrorKind::Yaml => "yaml",
            ErrorKind::Options => "options",
            ErrorKind::Limit => "limit",
            ErrorKind::Internal => "internal",
        }
    }
}

/// An error with its kind and position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorDetails {
    pub kind: ErrorKind,
    /// The file, relative to the root chart's directory.
    pub file: Option<String>,
    /// 1-based.
    pub line: Option<usize>,
    /// 1-based.
    pub column: Option<usize>,
    /// The message without Helm's position prefix.
    pub message: String,
    /// Exactly what Helm prints after `Error: `.
    pub helm_message: String,
    /// For schema errors: each violation.
    pub violations: Vec<Violation>,
    /// What `helm template` still prints before the error (the manifests
    /// rendered so far, with `--debug`).
    pub output: String,
}

/// What `helm template` adds to render errors.
const DEBUG_HINT: &str = "\n\nUse --debug flag to render out invalid YAML";

/// Texts of the errors that end a render because a limit was reached.
const LIMIT_MARKERS: &[&str] = &[
    "exceeded the step budget",
    "exceeded maximum template depth",
    "nested reference name",
    "output exceeded the maximum size",
    "exceeded the stack budget",
];

impl ErrorDetails {
    /// The details of `helm_message`, an error raised at a stage whose
    /// errors are of kind `stage`. `root` is the root chart's name (the
    /// first element of template names).
    pub fn new(stage: ErrorKind, helm_message: &str, root: &str) -> ErrorDetails {
        let mut details = ErrorDetails {
            kind: stage,
            file: None,
            line: None,
            column: None,
            message: helm_message.to_string(),
            helm_message: helm_message.to_string(),
            violations: Vec::new(),
            output: String::new(),
        };
        let first_line = helm_message.lines().next().unwrap_or("");
        if let Some(rest) = first_line.strip_prefix("parse error at (") {
            details.kind = ErrorKind::Parse;
            details.locate_parenthesised(rest, helm_message, root);
        } else if let Some(rest) = first_line.strip_prefix("execution error at (") {
            details.kind = ErrorKind::Exec;
            details.locate_parenthesised(rest, helm_message, root);
        } else if helm_message.starts_with("template: ") {
            details.kind = ErrorKind::Exec;
            details.locate_exec_chain(root);
        } else if let Some(rest) = first_line.strip_prefix("YAML parse error on ") {
            details.kind = ErrorKind::Yaml;
            if let Some((name, message)) = rest.split_once(": ") {
                details.file = Some(chart_relative(name, root));
                details.message = message.to_string();
            }
        } else if let Some(rest) = first_line.strip_prefix("failed to parse ") {
            // A values file given by the user.
            if let Some((name, message)) = rest.split_once(": ") {
                details.file = Some(name.to_string());
                details.line = yaml_line(message);
                details.message = message.to_string();
            }
        } else if let Some((dir, rest)) = subchart_prefix(first_line) {
            // A file of the chart itself (`values.yaml`, `Chart.yaml`…),
            // maybe in a subchart.
            if let Some((name, message)) = rest
                .strip_prefix("cannot load ")
                .and_then(|r| r.split_once(": "))
            {
                details.file = Some(format!("{dir}{name}"));
                details.line = yaml_line(message);
                details.message = message.to_string();
            }
        }
        if let Some(end) = details.message.find(DEBUG_HINT) {
            details.message.truncate(end);
        }
        if LIMIT_MARKERS.iter().any(|m| helm_message.contains(m)) {
            details.kind = ErrorKind::Limit;
        }
        details
    }

    /// A schema error with its violations.
    pub fn schema(helm_message: &str, violations: Vec<Violation>) -> ErrorDetails {
        ErrorDetails {
            kind: ErrorKind::Schema,
            file: None,
            line: None,
            column: None,
            message: helm_message.to_string(),
            helm_message: helm_message.to_string(),
            violations,
            output: String::new(),
        }
    }

    /// `NAME:LINE[:COL]): MESSAGE`, the rest of a parenthesised position.
    fn locate_parenthesised(&mut self, rest: &str, whole: &str, root: &str) {
        let Some((position, _)) = rest.split_once("): ") else {
            return;
        };
        self.set_position(position, root);
        let prefix_len = whole.find("): ").map_or(0, |i| i + 3);
        self.message = whole[prefix_len..].to_string();
    }

    /// The innermost `template: NAME:LINE:COL: executing … at <…>: ` of a
    /// chain whose NAME is one of the chart's files (not `gotpl`, the
    /// name `tpl` gives its text).
    fn locate_exec_chain(&mut self, root: &str) {
        let text = self.helm_message.clone();
        let mut rest = text.as_str();
        while let Some(start) = rest.find("template: ") {
            let after = &rest[start + "template: ".len()..];
            let Some(end) = after.find(": ") else { break };
            let position = &after[..end];
            if position.starts_with(&format!("{root}/")) && position.contains(':') {
                self.set_position(position, root);
                self.message = after[end + 2..].to_string();
                if let Some(i) = self.message.find(">: ") {
                    if self.message.starts_with("executing ") {
                        self.message = self.message[i + 3..].to_string();
                    }
                }
            }
            rest = &after[end..];
        }
    }

    /// `NAME:LINE` or `NAME:LINE:COL`.
    fn set_position(&mut self, position: &str, root: &str) {
        let mut parts = position.rsplitn(3, ':');
        let last = parts.next().and_then(|s| s.parse::<usize>().ok());
        let middle = parts.next();
        let first = parts.next();
        match (first, middle.and_then(|s| s.parse::<usize>().ok()), last) {
            (Some(name), Some(line), Some(column)) => {
                self.file = Some(chart_relative(name, root));
                self.line = Some(line);
                self.column = Some(column);
            }
            (None, _, Some(line)) => {
                if let Some(name) = middle {
                    self.file = Some(chart_relative(name, root));
                    self.line = Some(line);
                }
            }
            (Some(name), None, Some(line)) => {
                // A name holding a colon, then a line only.
                self.file = Some(chart_relative(
                    &format!("{name}:{}", middle.unwrap_or("")),
                    root,
                ));
                self.line = Some(line);
            }
            _ => {}
        }
    }

    /// The details as a JSON-ready map: `kind`, `file`, `line`, `column`
    /// (absent when unknown), `message`, `helmMessage`, `violations`
    /// (`chart`, `path`, `message`) for schema errors, and `output` when
    /// there is partial output.
    pub fn to_value(&self) -> Value {
        let map = Map::new();
        map.insert("kind", Value::from(self.kind.as_str()));
        if let Some(file) = &self.file {
            map.insert("file", Value::from(file.as_str()));
        }
        if let Some(line) = self.line {
            map.insert("line", Value::int(line as i64));
        }
        if let Some(column) = self.column {
            map.insert("column", Value::int(column as i64));
        }
        map.insert("message", Value::from(self.message.as_str()));
        map.insert("helmMessage", Value::from(self.helm_message.as_str()));
        if self.kind == ErrorKind::Schema {
            map.insert("violations", violations_value(&self.violations));
        }
        if !self.output.is_empty() {
            map.insert("output", Value::from(self.output.as_str()));
        }
        Value::Map(map)
    }
}

/// Violations as a JSON-ready list of `{chart, path, message}`.
pub fn violations_value(violations: &[Violation]) -> Value {
    Value::list(
        violations
            .iter()
            .map(|v| {
                let map = Map::new();
                map.insert("chart", Value::from(v.chart.as_str()));
                map.insert("path", Value::from(v.json_path.as_str()));
                map.insert("message", Value::from(v.message.as_str()));
                Value::Map(map)
            })
            .collect(),
    )
}

/// A template name (`root/charts/sub/templates/x.yaml`) as a path relative
/// to the root chart's directory (`charts/sub/templates/x.yaml`).
fn chart_relative(name: &str, root: &str) -> String {
    name.strip_prefix(root)
        .and_then(|rest| rest.strip_prefix('/'))
        .unwrap_or(name)
        .to_string()
}

/// Helm's loader wraps a subchart's errors as `error unpacking subchart
/// NAME in PARENT: …`, once per level: the directory they point to
/// (`charts/a/charts/b/`) and the rest of the message.
fn subchart_prefix(message: &str) -> Option<(String, &str)> {
    let mut dir = String::new();
    let mut rest = message;
    while let Some(after) = rest.strip_prefix("error unpacking subchart ") {
        let (name, tail) = after.split_once(" in ")?;
        let (_, tail) = tail.split_once(": ")?;
        dir.push_str(&format!("charts/{name}/"));
        rest = tail;
    }
    rest.starts_with("cannot load ").then_some((dir, rest))
}

/// The line of a go-yaml error (`yaml: line 3: …`).
fn yaml_line(message: &str) -> Option<usize> {
    let rest = &message[message.find("yaml: line ")? + "yaml: line ".len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details(message: &str) -> ErrorDetails {
        ErrorDetails::new(ErrorKind::Chart, message, "c")
    }

    #[test]
    fn parse_errors_have_a_file_and_line() {
        let d = details("parse error at (c/charts/sub/templates/bad.yaml:7): missing value for if");
        assert_eq!(d.kind, ErrorKind::Parse);
        assert_eq!(d.file.as_deref(), Some("charts/sub/templates/bad.yaml"));
        assert_eq!((d.line, d.column), (Some(7), None));
        assert_eq!(d.message, "missing value for if");
    }

    #[test]
    fn fail_and_required_have_line_and_column() {
        let d = details("execution error at (c/templates/a.yaml:2:5): boom");
        assert_eq!(d.kind, ErrorKind::Exec);
        assert_eq!(d.file.as_deref(), Some("templates/a.yaml"));
        assert_eq!((d.line, d.column), (Some(2), Some(5)));
        assert_eq!(d.message, "boom");
    }

    #[test]
    fn exec_chains_point_at_the_innermost_chart_file() {
        let d = details(
            "template: c/templates/a.yaml:1:3: executing \"c/templates/a.yaml\" at <include \"x\" .>: \
             error calling include: template: c/templates/_helpers.tpl:4:9: executing \"x\" at \
             <index .Values.a 3>: error calling index: out of range",
        );
        assert_eq!(d.kind, ErrorKind::Exec);
        assert_eq!(d.file.as_deref(), Some("templates/_helpers.tpl"));
        assert_eq!((d.line, d.column), (Some(4), Some(9)));
        assert_eq!(d.message, "error calling index: out of range");
    }

    #[test]
    fn tpl_texts_are_not_files() {
        let d = details(
            "template: c/templates/a.yaml:1:3: executing \"c/templates/a.yaml\" at <tpl \"x\" .>: \
             error calling tpl: error during tpl function execution for \"x\": template: gotpl:1:10: \
             executing \"gotpl\" at <.Values.x.y>: nil pointer evaluating interface {}.y",
        );
        assert_eq!(d.file.as_deref(), Some("templates/a.yaml"));
        assert_eq!((d.line, d.column), (Some(1), Some(3)));
    }

    #[test]
    fn budgets_are_limits() {
        let d = details(
            "template: c/templates/a.yaml:1:24: executing \"c/templates/a.yaml\" at <x>: \
             template execution exceeded the step budget (100 steps)",
        );
        assert_eq!(d.kind, ErrorKind::Limit);
        assert_eq!(d.line, Some(1));
    }

    #[test]
    fn yaml_and_values_errors() {
        let d = details(
            "YAML parse error on c/templates/a.yaml: error converting YAML to JSON: yaml: line 2: bad",
        );
        assert_eq!(d.kind, ErrorKind::Yaml);
        assert_eq!(d.file.as_deref(), Some("templates/a.yaml"));
        assert_eq!(
            d.line, None,
            "the line is the rendered document's, not the template's"
        );

        let d = ErrorDetails::new(
            ErrorKind::Values,
            "failed to parse prod.yaml: error converting YAML to JSON: yaml: line 3: did not find expected key",
            "c",
        );
        assert_eq!(d.kind, ErrorKind::Values);
        assert_eq!(d.file.as_deref(), Some("prod.yaml"));
        assert_eq!(d.line, Some(3));
    }

    #[test]
    fn chart_files_in_subcharts() {
        let d = details(
            "error unpacking subchart a in c: error unpacking subchart b in a: cannot load values.yaml: \
             error converting YAML to JSON: yaml: line 4: mapping values are not allowed in this context",
        );
        assert_eq!(d.kind, ErrorKind::Chart);
        assert_eq!(d.file.as_deref(), Some("charts/a/charts/b/values.yaml"));
        assert_eq!(d.line, Some(4));
        let d = details("cannot load Chart.yaml: error converting YAML to JSON: yaml: line 1: bad");
        assert_eq!(d.file.as_deref(), Some("Chart.yaml"));
        assert_eq!(d.line, Some(1));
    }

    #[test]
    fn other_messages_keep_their_stage() {
        let d = ErrorDetails::new(
            ErrorKind::Options,
            "release name \"A\": invalid release name",
            "c",
        );
        assert_eq!(d.kind, ErrorKind::Options);
        assert_eq!(d.file, None);
        assert_eq!(d.message, d.helm_message);
    }
}
