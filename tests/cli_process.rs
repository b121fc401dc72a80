//! The `chartroom` command as a process: what it prints on stdout and
//! stderr and the code it exits with, whichever thread ends it (the render
//! thread prints and exits itself; a refused command line is answered from
//! the main thread), with helper threads still parked at the end.

mod common;

use common::Scratch;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A scratch chart directory holding `files` (paths relative to the chart).
fn temp_chart(tag: &str, files: &[(&str, &str)]) -> Scratch {
    let scratch = Scratch::new(&format!("cli-{tag}"));
    for (name, text) in files {
        scratch.write(&format!("mychart/{name}"), text.as_bytes());
    }
    scratch
}

const CHART_YAML: &str = "apiVersion: v2\nname: demo\nversion: 0.1.0\n";

/// Runs `chartroom ARGS`, failing the test if it has not exited within a
/// minute (a thread left running must not keep the process alive).
fn chartroom(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chartroom"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chartroom starts");
    // Read both pipes while waiting: a large output must not block the
    // process on a full pipe.
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || read_all(&mut stdout));
    let err = std::thread::spawn(move || read_all(&mut stderr));
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chartroom {args:?} had not exited after a minute");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Output {
        status,
        stdout: out.join().expect("reader"),
        stderr: err.join().expect("reader"),
    }
}

fn read_all(pipe: &mut impl std::io::Read) -> Vec<u8> {
    let mut bytes = Vec::new();
    pipe.read_to_end(&mut bytes).expect("read");
    bytes
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("UTF-8 output")
}

/// What a failed run printed on stderr, checking that it exited with 1 and
/// printed nothing on stdout.
fn failure(out: &Output) -> &str {
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    text(&out.stderr)
}

#[test]
fn a_render_prints_its_stream_and_exits_zero() {
    let chart = temp_chart(
        "ok",
        &[
            ("Chart.yaml", CHART_YAML),
            ("values.yaml", "greeting: hello\n"),
            (
                "templates/cm.yaml",
                "kind: ConfigMap\ndata:\n  greeting: {{ .Values.greeting }}\n",
            ),
        ],
    );
    let out = chartroom(&["template", "rel", &chart.chart()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "---\n# Source: demo/templates/cm.yaml\nkind: ConfigMap\ndata:\n  greeting: hello\n"
    );
    assert_eq!(text(&out.stderr), "");
}

/// Large enough for the parse helper and a schema compile on it (both
/// threads parked, not ended, when the render thread exits), and an output
/// far larger than a pipe holds.
#[test]
fn a_large_render_with_helpers_is_printed_whole() {
    let mut template = String::from(
        "{{- range $i := until 2000 }}\n---\nkind: ConfigMap\nmetadata:\n  name: cm-{{ $i }}\n",
    );
    for key in 0..40 {
        template.push_str(&format!("  k{key}: {{{{ $.Values.value | quote }}}}\n"));
    }
    template.push_str("{{- end }}\n");
    let schema = r#"{"type": "object", "properties": {"value": {"type": "string"}}}"#;
    let chart = temp_chart(
        "large",
        &[
            ("Chart.yaml", CHART_YAML),
            ("values.yaml", "value: v\n"),
            ("values.schema.json", schema),
            ("templates/many.yaml", &template),
            (
                "templates/_padding.tpl",
                &"# padding for the parse helper\n".repeat(1200),
            ),
        ],
    );
    let out = chartroom(&["template", "rel", &chart.chart()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stream = text(&out.stdout);
    assert!(stream.len() > 512 << 10, "{} bytes", stream.len());
    assert_eq!(stream.matches("kind: ConfigMap\n").count(), 2000);
    assert!(stream.contains("name: cm-1999\n"));
    assert!(
        stream.ends_with("  k39: \"v\"\n"),
        "{}",
        &stream[stream.len() - 200..]
    );

    let invalid = chartroom(&["template", "rel", &chart.chart(), "--set-json", "value=5"]);
    assert_eq!(
        failure(&invalid),
        "Error: values don't meet the specifications of the schema(s) in the following chart(s):\ndemo:\n- at '/value': got number, want string\n\n"
    );
}

#[test]
fn an_error_goes_to_stderr_with_exit_code_one() {
    let missing = Path::new("/nonexistent/chartroom-chart");
    let out = chartroom(&["template", "rel", missing.to_str().expect("UTF-8")]);
    assert_eq!(
        failure(&out),
        "Error: path \"/nonexistent/chartroom-chart\" not found\n"
    );
}

#[test]
fn a_refused_command_line_and_help_are_answered_from_the_main_thread() {
    let out = chartroom(&["template", "--no-such-flag", "x"]);
    let refusal = failure(&out);
    assert!(
        refusal.starts_with("Error: unexpected argument '--no-such-flag' found"),
        "{refusal}"
    );

    let help = chartroom(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(
        text(&help.stdout).contains("Usage: chartroom <COMMAND>"),
        "{}",
        text(&help.stdout)
    );
    let version = chartroom(&["version"]);
    assert_eq!(version.status.code(), Some(0));
    assert!(text(&version.stdout).starts_with("chartroom "));
}
