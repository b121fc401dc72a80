//! Bad input through the command line gives Helm's error, exit status 1 and
//! nothing half-written: malformed YAML, template syntax errors, unknown
//! functions, endless `include` recursion, missing dependencies, a chart
//! without `Chart.yaml`, and broken or hostile archives.

#![cfg(feature = "cli")]

mod common;

use std::fs;
use std::path::Path;

use chartroom::cli::{run, Outcome};
use common::{Scratch, CHART_YAML};

fn template(args: &[&str]) -> Outcome {
    let mut all = vec!["template".to_string()];
    all.extend(args.iter().map(|s| s.to_string()));
    run(all)
}

fn assert_error(outcome: &Outcome, want: &str) {
    assert_eq!(
        outcome.code, 1,
        "stdout: {}\nstderr: {}",
        outcome.stdout, outcome.stderr
    );
    assert_eq!(outcome.stdout, "", "nothing may be printed on error");
    assert_eq!(outcome.stderr, format!("Error: {want}\n"));
}

const DEBUG_HINT: &str = "\n\nUse --debug flag to render out invalid YAML";

#[test]
fn malformed_values_yaml() {
    let s = Scratch::new("values");
    s.write("mychart/Chart.yaml", CHART_YAML)
        .write("mychart/values.yaml", b"a: 1\nb: c: d\n")
        .write("mychart/templates/a.yaml", b"x: 1\n");
    assert_error(
        &template(&[&s.chart()]),
        "cannot load values.yaml: error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context",
    );
}

#[test]
fn malformed_values_file_flag() {
    let s = Scratch::new("values-flag");
    s.write("mychart/Chart.yaml", CHART_YAML)
        .write("mychart/templates/a.yaml", b"x: 1\n")
        .write("bad.yaml", b"- a\nb: c\n");
    let bad = s.0.join("bad.yaml").display().to_string();
    assert_error(
        &template(&[&s.chart(), "-f", &bad]),
        &format!("failed to parse {bad}: error converting YAML to JSON: yaml: line 1: did not find expected '-' indicator"),
    );
    let missing = template(&[&s.chart(), "-f", "no-such-file.yaml"]);
    assert_error(
        &missing,
        "open no-such-file.yaml: no such file or directory",
    );
}

#[test]
fn template_syntax_error_and_unknown_function() {
    let s = Scratch::new("syntax");
    s.write("mychart/Chart.yaml", CHART_YAML)
        .write("mychart/templates/a.yaml", b"a: {{ nope }}\n");
    assert_error(
        &template(&[&s.chart()]),
        &format!("parse error at (mychart/templates/a.yaml:1): function \"nope\" not defined{DEBUG_HINT}"),
    );
    s.write("mychart/templates/a.yaml", b"a: 1\n{{ if }}\n");
    assert_error(
        &template(&[&s.chart()]),
        &format!("parse error at (mychart/templates/a.yaml:2): missing value for if{DEBUG_HINT}"),
    );
}

#[test]
fn rendered_yaml_that_does_not_parse() {
    let s = Scratch::new("bad-manifest");
    s.write("mychart/Chart.yaml", CHART_YAML)
        .write("mychart/templates/a.yaml", b"a: [b\n");
    assert_error(
        &template(&[&s.chart()]),
        &format!(
            "YAML parse error on mychart/templates/a.yaml: error converting YAML to JSON: yaml: line 1: did not find expected ',' or ']'{DEBUG_HINT}"
        ),
    );
}

#[test]
fn endless_include_recursion_stops_with_helms_error() {
    let s = Scratch::new("recursion");
    s.write("mychart/Chart.yaml", CHART_YAML).write(
        "mychart/templates/a.yaml",
        b"{{ define \"x\" }}{{ include \"x\" . }}{{ end }}{{ include \"x\" . }}",
    );
    let outcome = template(&[&s.chart()]);
    assert_eq!(outcome.code, 1);
    assert!(
        outcome.stderr.ends_with(&format!(
            "error calling include: rendering template has a nested reference name: x: unable to execute template{DEBUG_HINT}\n"
        )),
        "{}",
        &outcome.stderr[outcome.stderr.len().saturating_sub(400)..]
    );
}

#[test]
fn runaway_template_stops_at_the_step_budget() {
    let s = Scratch::new("runaway");
    s.write("mychart/Chart.yaml", CHART_YAML).write(
        "mychart/templates/a.yaml",
        b"{{ range 100000000 }}x{{ end }}",
    );
    let outcome = template(&[&s.chart(), "--max-steps", "10000"]);
    assert_eq!(outcome.code, 1);
    assert!(outcome.stderr.contains("step budget"), "{}", outcome.stderr);
}

#[test]
fn missing_dependency() {
    let s = Scratch::new("deps");
    s.write(
        "mychart/Chart.yaml",
        b"apiVersion: v2\nname: mychart\nversion: 0.1.0\ndependencies:\n- name: sub\n  version: 1.0.0\n  repository: https://example.com\n",
    )
    .write("mychart/templates/a.yaml", b"a: 1\n");
    assert_error(
        &template(&[&s.chart()]),
        "An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: sub",
    );
}

#[test]
fn chart_without_chart_yaml() {
    let s = Scratch::new("no-chart-yaml");
    s.write("mychart/templates/a.yaml", b"a: 1\n");
    assert_error(&template(&[&s.chart()]), "Chart.yaml file is missing");
    assert_error(
        &template(&[&s.0.join("nowhere").display().to_string()]),
        &format!(
            "path {:?} not found",
            s.0.join("nowhere").display().to_string()
        ),
    );
}

fn tgz(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, data) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        let bytes = name.as_bytes();
        header.as_old_mut().name[..bytes.len()].copy_from_slice(bytes);
        header.set_cksum();
        builder.append(&header, *data).unwrap();
    }
    let tar = builder.into_inner().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut gz, &tar).unwrap();
    gz.finish().unwrap()
}

fn archive_outcome(s: &Scratch, name: &str, data: &[u8]) -> Outcome {
    let path = s.0.join(name);
    fs::write(&path, data).unwrap();
    template(&[&path.display().to_string()])
}

#[test]
fn hostile_and_broken_archives() {
    let s = Scratch::new("archives");
    assert_error(
        &archive_outcome(&s, "escape.tgz", &tgz(&[("mychart/../../etc/x", b"a")])),
        "chart illegally references parent directory",
    );
    assert_error(
        &archive_outcome(&s, "absolute.tgz", &tgz(&[("mychart//etc/passwd", b"a")])),
        "chart illegally contains absolute paths",
    );
    // 6 MiB of zeros compress to a few KiB: refused without being inflated.
    let bomb = vec![0u8; 6 * 1024 * 1024];
    assert_error(
        &archive_outcome(
            &s,
            "bomb.tgz",
            &tgz(&[("mychart/Chart.yaml", CHART_YAML), ("mychart/big", &bomb)]),
        ),
        "decompressed chart file \"mychart/big\" is larger than the maximum file size 5242880",
    );
    let mut corrupt = tgz(&[("mychart/Chart.yaml", CHART_YAML)]);
    corrupt.truncate(corrupt.len() / 2);
    let outcome = archive_outcome(&s, "corrupt.tgz", &corrupt);
    assert_eq!(outcome.code, 1);
    assert!(outcome.stderr.starts_with("Error: "), "{}", outcome.stderr);
    let text = archive_outcome(&s, "text.tgz", b"not an archive at all\n");
    assert_eq!(text.code, 1);
    assert!(
        text.stderr
            .contains("does not appear to be a gzipped archive"),
        "{}",
        text.stderr
    );
}

#[test]
fn renders_a_good_chart() {
    let s = Scratch::new("good");
    s.write("mychart/Chart.yaml", CHART_YAML)
        .write("mychart/values.yaml", b"replicas: 1000000\n")
        .write(
            "mychart/templates/cm.yaml",
            b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  n: {{ .Values.replicas | quote }}\n",
        );
    let outcome = template(&["rel", &s.chart(), "--set", "extra=1"]);
    assert_eq!(outcome.stderr, "");
    assert_eq!(
        outcome.stdout,
        "---\n# Source: mychart/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rel\ndata:\n  n: \"1e+06\"\n"
    );
    assert!(Path::new(&s.chart()).exists());
}
