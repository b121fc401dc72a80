//! `cargo bench --bench render`: times Chartroom rendering a Helm-style
//! template (`benches/data/helm_like.tmpl`) with Helm-like values
//! (`benches/data/helm_like.json`, every number a float64 as Helm's values
//! are), with `std::time` over many renders, and reports medians.
//! `./build.sh bench` runs it next to the Go baseline (`benches/go`), compares
//! the two outputs byte for byte and prints the speed ratio.
//!
//! Environment: `CHARTROOM_BENCH_N` (timed renders, default 2000) and
//! `CHARTROOM_BENCH_OUT` (write one render's output to this file).
//! Prints `parse_median_ns=…`, `render_median_ns=…`, `renders=…` and
//! `output_bytes=…`, the same lines as the Go baseline.

use chartroom::template::Templates;
use chartroom::{Map, Value};
use std::hint::black_box;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

const NAME: &str = "helm_like";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bench: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/data");
    let text = read(&dir.join("helm_like.tmpl"))?;
    let json = read(&dir.join("helm_like.json"))?;
    let json: serde_json::Value =
        serde_json::from_str(&json).map_err(|err| format!("helm_like.json: {err}"))?;
    let data = from_json(&json);
    let renders = match std::env::var("CHARTROOM_BENCH_N") {
        Ok(n) => n
            .parse::<usize>()
            .ok()
            .filter(|&n| n > 0)
            .ok_or("CHARTROOM_BENCH_N must be a positive number")?,
        Err(_) => 2000,
    };

    let mut parse_times = Vec::new();
    let mut parsed = None;
    for _ in 0..(renders / 10).max(1) {
        let start = Instant::now();
        let mut set = Templates::new();
        set.parse(NAME, &text).map_err(|err| err.to_string())?;
        parse_times.push(start.elapsed());
        parsed = Some(set);
    }
    let Some(mut parsed) = parsed else {
        return Err("nothing parsed".into());
    };
    let set = &mut parsed;

    let mut output = String::new();
    for _ in 0..renders / 10 {
        output = set.execute(NAME, &data).map_err(|err| err.to_string())?;
    }
    let mut render_times = Vec::with_capacity(renders);
    for _ in 0..renders {
        let start = Instant::now();
        let rendered = set.execute(NAME, black_box(&data));
        render_times.push(start.elapsed());
        output = rendered.map_err(|err| err.to_string())?;
    }

    if let Ok(path) = std::env::var("CHARTROOM_BENCH_OUT") {
        std::fs::write(&path, &output).map_err(|err| format!("writing {path}: {err}"))?;
    }
    println!("parse_median_ns={}", median(&mut parse_times).as_nanos());
    println!("render_median_ns={}", median(&mut render_times).as_nanos());
    println!("renders={renders}");
    println!("output_bytes={}", output.len());
    Ok(())
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|err| format!("reading {}: {err}", path.display()))
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

/// JSON as Go's `encoding/json` decodes it into `interface{}`: objects are
/// maps, arrays lists, and every number a float64.
fn from_json(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Value::string(s.as_str()),
        serde_json::Value::Array(items) => Value::list(items.iter().map(from_json).collect()),
        serde_json::Value::Object(entries) => Value::Map(
            entries
                .iter()
                .map(|(key, value)| (key.clone(), from_json(value)))
                .collect::<Map>(),
        ),
    }
}
