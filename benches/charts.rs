//! `cargo bench --bench charts --features cli -- CASE_DIR…`: the in-process
//! half of the "chartroom vs helm" benchmark (`benches/vs_helm.py`). For each
//! conformance case directory (`case.json` with `chart`, `release`, `args`)
//! it loads the chart once, builds the render options from the case's
//! `helm template` arguments the way the CLI does, and times
//! `api::render_chart` alone (no process start, chart loading or file I/O)
//! over many renders.
//!
//! Case directories come from the arguments or, when there are none, from
//! `CHARTROOM_BENCH_CASES` (separated by `:`). `CHARTROOM_BENCH_SECONDS`
//! (default 2) is the time budget per chart; each chart gets at least 10 and
//! at most 1000 timed renders. Prints one line per chart:
//! `chart=ID renders=N median_ns=… min_ns=… output_bytes=… matches_expected=yes|no`.

use chartroom::api::{self, RenderOptions};
use chartroom::chart::load;
use chartroom::cli::{parse_args, Command, TemplateArgs};
use chartroom::template::{DefaultHost, ExecOptions, Host};
use chartroom::values::options::{ValueOptions, ValuesFile};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// The CLI renders on a thread with this much stack; the bench does too.
const RENDER_STACK_BYTES: usize = 1 << 30;
const MIN_RENDERS: usize = 10;
const MAX_RENDERS: usize = 1000;

fn main() -> ExitCode {
    let worker = std::thread::Builder::new()
        .name("bench".into())
        .stack_size(RENDER_STACK_BYTES)
        .spawn(run);
    match worker.map(|h| h.join()) {
        Ok(Ok(Ok(()))) => ExitCode::SUCCESS,
        Ok(Ok(Err(message))) => {
            eprintln!("bench: {message}");
            ExitCode::FAILURE
        }
        _ => {
            eprintln!("bench: the render thread failed");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    // `cargo bench` passes `--bench`; anything starting with `-` is a flag.
    let mut dirs: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if dirs.is_empty() {
        dirs = std::env::var("CHARTROOM_BENCH_CASES")
            .unwrap_or_default()
            .split(':')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
    }
    if dirs.is_empty() {
        return Err("no case directories (arguments or CHARTROOM_BENCH_CASES)".into());
    }
    let budget = match std::env::var("CHARTROOM_BENCH_SECONDS") {
        Ok(s) => s
            .parse::<f64>()
            .ok()
            .filter(|s| *s > 0.0)
            .ok_or("CHARTROOM_BENCH_SECONDS must be a positive number")?,
        Err(_) => 2.0,
    };
    for dir in &dirs {
        let dir = std::path::absolute(dir).map_err(|e| format!("{dir}: {e}"))?;
        bench_case(&dir, Duration::from_secs_f64(budget))?;
    }
    Ok(())
}

/// The case's command line, as `run_cases.py` builds it: `[NAME] CHART ARGS…`
/// with CHART relative to the case directory.
fn case_argv(dir: &Path) -> Result<Vec<String>, String> {
    let text = read(&dir.join("case.json"))?;
    let case: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", dir.display()))?;
    let chart = case["chart"].as_str().ok_or("case.json: no chart")?;
    // case.json's chart is relative to the set directory (two levels up).
    let chart = Path::new("../..").join(chart);
    let mut argv = vec!["template".to_string()];
    if let Some(release) = case["release"].as_str() {
        argv.push(release.to_string());
    }
    argv.push(chart.to_string_lossy().into_owned());
    for arg in case["args"].as_array().into_iter().flatten() {
        argv.push(arg.as_str().ok_or("case.json: non-string arg")?.to_string());
    }
    Ok(argv)
}

/// `RenderOptions` as the CLI's `template` builds them (values files read once).
fn render_options(t: &TemplateArgs, name: String) -> Result<RenderOptions, String> {
    let mut values = ValueOptions {
        json: t.value_flags.set_json.clone(),
        set: t.value_flags.set.clone(),
        set_string: t.value_flags.set_string.clone(),
        set_file: t.value_flags.set_file.clone(),
        set_literal: t.value_flags.set_literal.clone(),
        ..ValueOptions::default()
    };
    for file in &t.values {
        values.files.push(ValuesFile {
            name: file.clone(),
            text: read(Path::new(file))?,
        });
    }
    Ok(RenderOptions {
        release_name: name,
        namespace: t.namespace.clone().unwrap_or_else(|| "default".into()),
        is_upgrade: t.is_upgrade,
        revision: 1,
        values,
        kube_version: t.kube_version.clone(),
        api_versions: t.api_versions.clone(),
        skip_schema_validation: t.skip_schema_validation,
        enable_dns: t.enable_dns,
        output: t.output.clone(),
        exec: ExecOptions {
            max_stack_bytes: RENDER_STACK_BYTES - (64 << 20),
            max_steps: t.max_steps,
            ..ExecOptions::default()
        },
    })
}

fn bench_case(dir: &Path, budget: Duration) -> Result<(), String> {
    let id = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    std::env::set_current_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let argv = case_argv(dir)?;
    let t = match parse_args(argv) {
        Ok(Command::Template(t)) => t,
        Ok(_) => return Err(format!("{id}: not a template command")),
        Err(outcome) => return Err(format!("{id}: {}", outcome.stderr.trim_end())),
    };
    let (name, chart_path) = match t.positional.as_slice() {
        [name, chart] => (name.clone(), chart.clone()),
        _ => return Err(format!("{id}: the bench needs NAME and CHART")),
    };
    let options = render_options(&t, name)?;
    let chart_path: PathBuf = dir.join(chart_path);
    let chart = load::load_path(&chart_path).map_err(|e| format!("{id}: {e}"))?;
    let read_file = |p: &str| std::fs::read_to_string(p).map_err(|e| format!("{p}: {e}"));

    let mut times = Vec::new();
    let mut stream = String::new();
    let started = Instant::now();
    while times.len() < MIN_RENDERS || (started.elapsed() < budget && times.len() < MAX_RENDERS) {
        let input = chart.clone();
        let host: Rc<dyn Host> = Rc::new(DefaultHost::default());
        let start = Instant::now();
        let out = api::render_chart(black_box(input), &options, &read_file, Some(host));
        let elapsed = start.elapsed();
        let out = out.map_err(|e| format!("{id}: render failed: {}", e.error.message))?;
        times.push(elapsed);
        stream = out.into_stream();
    }
    times.sort();
    let expected = std::fs::read_to_string(dir.join("expected.out")).unwrap_or_default();
    let masked = masked_lines(dir);
    let matches = if same_output(&expected, &stream, &masked) {
        "yes"
    } else {
        "no"
    };
    println!(
        "chart={id} renders={} median_ns={} min_ns={} output_bytes={} matches_expected={matches}",
        times.len(),
        times[times.len() / 2].as_nanos(),
        times[0].as_nanos(),
        stream.len(),
    );
    Ok(())
}

/// The 0-based line numbers `mask.json` marks as varying between helm runs.
fn masked_lines(dir: &Path) -> Vec<u64> {
    let Ok(text) = std::fs::read_to_string(dir.join("mask.json")) else {
        return Vec::new();
    };
    let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    json["lines"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_u64())
        .collect()
}

/// `run_cases.py`'s comparison: line by line, masked lines match anything.
fn same_output(expected: &str, got: &str, masked: &[u64]) -> bool {
    let expected: Vec<&str> = expected.split('\n').collect();
    let got: Vec<&str> = got.split('\n').collect();
    expected.len() == got.len()
        && expected
            .iter()
            .zip(&got)
            .enumerate()
            .all(|(i, (e, g))| e == g || masked.contains(&(i as u64)))
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}
