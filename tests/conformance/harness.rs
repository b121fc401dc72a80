//! The conformance harness: runs one vector file of
//! `../shared/conformance/vectors` and counts passes and failures.
//!
//! This one file is compiled twice, so native and wasm results come from the
//! same code: into the native test target (`tests/conformance/main.rs`) and
//! into the wasm runner (`tests/wasm-runner/lib.rs`, via `#[path]`). It must
//! therefore use only `std`, `chartroom` and crates that both manifests list
//! (`serde_json`, `base64`), and do no I/O: callers read the files.
//!
//! PLACEHOLDER: this version only counts the cases of each file and reports
//! every one as failed (nothing is executed yet). The template engine work
//! replaces the body of [`run_file`]; keep the signatures and
//! [`FileReport::summary`], which both runners print and compare.

use serde_json::Value as Json;

/// The outcome of one vector file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    /// The vector file's name, e.g. `gotemplate_exec.json`.
    pub file: String,
    pub passed: usize,
    pub failed: usize,
    /// One line per failed case (id and what went wrong), for `--verbose`.
    pub failures: Vec<String>,
}

impl FileReport {
    fn new(file: &str) -> FileReport {
        FileReport {
            file: file.to_string(),
            passed: 0,
            failed: 0,
            failures: Vec::new(),
        }
    }

    /// The one-line summary both runners print, e.g.
    /// `gotemplate_exec.json: 255 passed, 5 failed`. The wasm runner
    /// compares these lines with the native run's, so they must depend on
    /// the results only.
    pub fn summary(&self) -> String {
        format!(
            "{}: {} passed, {} failed",
            self.file, self.passed, self.failed
        )
    }
}

/// Whether [`run_file`] knows the shape of this vector file. The template
/// vectors (Go text/template, fmt, Sprig, Helm functions) share one shape;
/// the others (strvals, Helm values, coalescing, engine renders) have their
/// own and are not handled here yet.
pub fn handles(file_name: &str) -> bool {
    let stem = match file_name.strip_suffix(".json") {
        Some(stem) => stem,
        None => return false,
    };
    stem.starts_with("gotemplate_")
        || stem.starts_with("gofmt_")
        || stem.starts_with("sprig_")
        || stem == "helm_funcs"
}

/// Runs every case of one vector file (`json` is the file's text).
pub fn run_file(file_name: &str, json: &str) -> FileReport {
    let mut report = FileReport::new(file_name);
    let cases = match serde_json::from_str::<Json>(json) {
        Ok(Json::Array(cases)) => cases,
        Ok(_) => {
            report.failed = 1;
            report.failures.push("file is not a JSON array".into());
            return report;
        }
        Err(err) => {
            report.failed = 1;
            report.failures.push(format!("invalid JSON: {err}"));
            return report;
        }
    };
    for case in &cases {
        let id = case.get("id").and_then(Json::as_str).unwrap_or("<no id>");
        report.failed += 1;
        report
            .failures
            .push(format!("{id}: not run (placeholder harness)"));
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_template_vector_files_only() {
        assert!(handles("gotemplate_exec.json"));
        assert!(handles("gofmt_printf.json"));
        assert!(handles("sprig_list.json"));
        assert!(handles("helm_funcs.json"));
        assert!(!handles("skipped.json"));
        assert!(!handles("strvals.json"));
        assert!(!handles("sprig_list.txt"));
    }

    #[test]
    fn counts_cases_and_formats_summary() {
        let report = run_file("x.json", r#"[{"id": "a"}, {"id": "b"}]"#);
        assert_eq!(report.passed + report.failed, 2);
        assert_eq!(report.failures.len(), report.failed);
        assert_eq!(report.summary(), "x.json: 0 passed, 2 failed");
    }

    #[test]
    fn bad_json_is_one_failure_not_a_panic() {
        let report = run_file("x.json", "{");
        assert_eq!((report.passed, report.failed), (0, 1));
        assert!(report.failures[0].starts_with("invalid JSON"));
    }
}
