//! Native conformance runner: runs `harness::run_file` over every vector file
//! of `../shared/conformance/vectors` that the harness handles, prints one
//! summary line per file and fails when a file passes fewer cases than its
//! floor in `tests/conformance/floors.txt`.
//!
//! The wasm runner (`tests/wasm-runner`) compiles the same `harness.rs` and
//! compares its lines with the ones this runner writes to
//! `$CHARTROOM_CONFORMANCE_SUMMARY`.
//!
//! Usage: `cargo test --test conformance -- [FILTER…] [--verbose]`.
//! Environment:
//! - `CHARTROOM_CONFORMANCE`: the conformance directory (default
//!   `<repo>/../shared/conformance`);
//! - `CHARTROOM_CONFORMANCE_SUMMARY`: write the summary lines to this file;
//! - `CHARTROOM_CONFORMANCE_VERBOSE=1`: also print every failed case;
//! - `CHARTROOM_CONFORMANCE_REQUIRED=1`: fail (rather than skip) when the
//!   conformance data is missing.

// Cargo builds `harness = false` targets with `--cfg test` but without
// libtest, so the harness's `#[test]` functions vanish and their imports look
// unused here; `tests/conformance_harness.rs` runs them.
#[allow(unused_imports)]
mod harness;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The stack of the thread the cases run on: Go's template depth limit
/// (100000 nested calls) needs far more than a default thread's stack.
const STACK_BYTES: usize = 1 << 30;

fn main() -> ExitCode {
    harness::set_stack_budget(STACK_BYTES - (64 << 20));
    let runner = std::thread::Builder::new()
        .name("conformance".into())
        .stack_size(STACK_BYTES)
        .spawn(run)
        .map_err(|e| e.to_string())
        .and_then(|h| {
            h.join()
                .map_err(|_| "the conformance thread panicked".to_string())
        })
        .and_then(|r| r);
    match runner {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("conformance: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let options = Options::from_env_and_args();
    let vectors = conformance_dir().join("vectors");
    if !vectors.is_dir() {
        let message = format!(
            "no vectors at {} (set CHARTROOM_CONFORMANCE)",
            vectors.display()
        );
        if env_flag("CHARTROOM_CONFORMANCE_REQUIRED") {
            return Err(message);
        }
        println!("conformance: SKIPPED, {message}");
        return Ok(());
    }
    let floors_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/floors.txt");
    let floors = read_floors(&floors_path)?;

    let mut summary = String::new();
    let mut problems = Vec::new();
    let (mut passed, mut failed) = (0, 0);
    for name in vector_files(&vectors)? {
        if !options.selects(&name) {
            continue;
        }
        let path = vectors.join(&name);
        let text = std::fs::read_to_string(&path)
            .map_err(|err| format!("reading {}: {err}", path.display()))?;
        let report = harness::run_file(&name, &text);
        println!("{}", report.summary());
        if options.verbose {
            for failure in &report.failures {
                println!("    {failure}");
            }
        }
        summary.push_str(&report.summary());
        summary.push('\n');
        passed += report.passed;
        failed += report.failed;
        match floors.get(&name) {
            Some(&floor) if report.passed < floor => problems.push(format!(
                "{name}: {} passed, below its floor of {floor}",
                report.passed
            )),
            Some(&floor) if report.passed > floor => {
                println!("    (floor {floor}: raise it in tests/conformance/floors.txt)")
            }
            Some(_) => {}
            None => println!("    (no floor for {name} in tests/conformance/floors.txt)"),
        }
    }
    if options.filters.is_empty() {
        for name in floors.keys() {
            if !summary
                .lines()
                .any(|line| line.starts_with(&format!("{name}: ")))
            {
                problems.push(format!("{name} has a floor but was not run"));
            }
        }
    }
    println!("conformance (native): {passed} passed, {failed} failed");

    if let Ok(out) = std::env::var("CHARTROOM_CONFORMANCE_SUMMARY") {
        std::fs::write(&out, &summary).map_err(|err| format!("writing {out}: {err}"))?;
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// What to run, from the environment and the arguments `cargo test` passes.
struct Options {
    verbose: bool,
    /// Substrings of file names to run; empty runs every file.
    filters: Vec<String>,
}

impl Options {
    fn from_env_and_args() -> Options {
        let mut options = Options {
            verbose: env_flag("CHARTROOM_CONFORMANCE_VERBOSE"),
            filters: Vec::new(),
        };
        for arg in std::env::args().skip(1) {
            if arg == "--verbose" {
                options.verbose = true;
            } else if !arg.starts_with('-') && arg.parse::<u64>().is_err() {
                // Other flags are libtest's (`--nocapture`, …): ignored.
                options.filters.push(arg);
            }
        }
        options
    }

    fn selects(&self, name: &str) -> bool {
        self.filters.is_empty() || self.filters.iter().any(|f| name.contains(f.as_str()))
    }
}

fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0")
}

fn conformance_dir() -> PathBuf {
    match std::env::var_os("CHARTROOM_CONFORMANCE") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance"),
    }
}

/// The names of the vector files the harness handles, sorted.
fn vector_files(dir: &Path) -> Result<Vec<String>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|err| format!("listing {}: {err}", dir.display()))?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|err| format!("listing {}: {err}", dir.display()))?;
        if let Some(name) = entry.file_name().to_str() {
            if harness::handles(name) {
                names.push(name.to_string());
            }
        }
    }
    names.sort();
    Ok(names)
}

/// `floors.txt`: `<file> <minimum passed>` per line; `#` starts a comment.
fn read_floors(path: &Path) -> Result<BTreeMap<String, usize>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| format!("reading {}: {err}", path.display()))?;
    let mut floors = BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let bad = || {
            format!(
                "{}:{}: expected `<file> <count>`",
                path.display(),
                number + 1
            )
        };
        let mut words = line.split_whitespace();
        let (Some(file), Some(count), None) = (words.next(), words.next(), words.next()) else {
            return Err(bad());
        };
        let count = count.parse().map_err(|_| bad())?;
        floors.insert(file.to_string(), count);
    }
    Ok(floors)
}
