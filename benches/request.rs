//! `cargo bench --bench request -- CHART_DIR OPTIONS_JSON ID …` (triples):
//! the npm package's call natively. Each chart directory is read into memory
//! once; then `api::request::render_chart` (files and options in, the JSON
//! result and the output stream out: the exact work `renderChart` asks of
//! the wasm module) is
//! timed 20 times after 3 warm-up runs. Prints one line per chart:
//! `chart=ID renders=20 median_ns=…`, the format `benches/node.mjs --native`
//! reads. `benches/node.mjs --dump-options DIR` writes the triples.
//!
//! With `--fresh` first, every render gets a chart no earlier render saw
//! (each template ends with a comment naming the render, each values
//! schema with as many spaces), so nothing kept between renders applies:
//! the cost of a first render, as when a chart is opened. The output is
//! the same.

use chartroom::api::request::{render_chart, ChartSource};
use chartroom::chart::File;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

const WARMUP: usize = 3;
const RUNS: usize = 20;

fn read_tree(root: &Path, dir: &Path, out: &mut Vec<File>) -> std::io::Result<()> {
    let mut entries = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            read_tree(root, &path, out)?;
        } else {
            let name = path.strip_prefix(root).unwrap_or(&path);
            out.push(File {
                name: name.to_string_lossy().replace('\\', "/"),
                data: std::fs::read(&path)?.into(),
            });
        }
    }
    Ok(())
}

/// The chart with every template and values schema changed for render
/// `n` in a way that renders and validates the same.
fn made_fresh(files: &[File], n: usize) -> Vec<File> {
    files
        .iter()
        .map(|f| {
            let mut data = f.data.to_vec();
            if f.name.starts_with("templates/") || f.name.contains("/templates/") {
                data.extend_from_slice(format!("{{{{/* render {n} */}}}}").as_bytes());
            } else if f.name.ends_with("values.schema.json") {
                data.extend(std::iter::repeat_n(b' ', n + 1));
            }
            File {
                name: f.name.clone(),
                data: data.into(),
            }
        })
        .collect()
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let fresh = args.first().is_some_and(|a| a == "--fresh");
    if fresh {
        args.remove(0);
    }
    if args.is_empty() || args.len() % 3 != 0 {
        eprintln!("usage: cargo bench --bench request -- [--fresh] CHART_DIR OPTIONS_JSON ID ...");
        return ExitCode::FAILURE;
    }
    for triple in args.chunks(3) {
        let (dir, options_file, id) = (Path::new(&triple[0]), &triple[1], &triple[2]);
        let mut files = Vec::new();
        let options = match read_tree(dir, dir, &mut files)
            .and_then(|_| std::fs::read_to_string(options_file))
        {
            Ok(options) => options,
            Err(e) => {
                eprintln!("bench: {id}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let mut times = Vec::with_capacity(RUNS);
        for i in 0..WARMUP + RUNS {
            let input = ChartSource::Files(if fresh {
                made_fresh(&files, i)
            } else {
                files.clone()
            });
            let start = Instant::now();
            let answer = render_chart(std::hint::black_box(input), &options, None);
            let elapsed = start.elapsed().as_nanos();
            if answer.output.is_none() {
                let json = &answer.json;
                eprintln!(
                    "bench: {id}: render failed: {}",
                    &json[..json.len().min(300)]
                );
                return ExitCode::FAILURE;
            }
            if i >= WARMUP {
                times.push(elapsed);
            }
        }
        times.sort_unstable();
        let kind = if fresh { " fresh" } else { "" };
        println!(
            "chart={id} renders={RUNS}{kind} median_ns={}",
            times[RUNS / 2]
        );
    }
    ExitCode::SUCCESS
}
