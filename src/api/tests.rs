//! `render_chart`'s order of checks: the schema checks run after the render
//! but their errors come first, against the values as they were before it.

use super::*;
use crate::chart::{load, File};

fn chart(values: &str, template: &str) -> Chart {
    let files = [
        ("Chart.yaml", "apiVersion: v2\nname: demo\nversion: 1.0.0\n"),
        ("values.yaml", values),
        (
            "values.schema.json",
            r#"{"type":"object","properties":{"count":{"type":"integer"}}}"#,
        ),
        ("templates/a.yaml", template),
    ];
    let files = files
        .iter()
        .map(|(name, text)| File {
            name: name.to_string(),
            data: text.as_bytes().to_vec().into(),
        })
        .collect();
    load::load_files(files).expect("loads")
}

fn render(values: &str, template: &str) -> Result<TemplateOutput, RenderFailure> {
    render_chart(
        chart(values, template),
        &RenderOptions::default(),
        &|p| Err(format!("no file {p}")),
        None,
    )
}

#[test]
fn a_schema_error_comes_before_a_render_error() {
    let failure = render("count: x\n", "a: {{ fail \"boom\" }}\n").expect_err("fails");
    assert_eq!(failure.details.kind, ErrorKind::Schema);
    assert!(failure.error.message.contains("got string, want integer"));
    let failure = render("count: 3\n", "a: {{ fail \"boom\" }}\n").expect_err("fails");
    assert_eq!(failure.details.kind, ErrorKind::Exec);
    assert!(failure.error.message.contains("boom"));
}

#[test]
fn a_schema_error_comes_before_an_output_error() {
    // The output is put together before the schema verdict is taken; a
    // `--show-only` that matches nothing must not hide the schema error.
    let options = RenderOptions {
        output: OutputOptions {
            show_only: vec!["templates/missing.yaml".to_string()],
            ..OutputOptions::default()
        },
        ..RenderOptions::default()
    };
    let render_with = |values: &str| {
        render_chart(
            chart(values, "a: 1\n"),
            &options,
            &|p| Err(format!("no file {p}")),
            None,
        )
    };
    let failure = render_with("count: x\n").expect_err("fails");
    assert_eq!(failure.details.kind, ErrorKind::Schema);
    let failure = render_with("count: 3\n").expect_err("fails");
    assert_eq!(failure.details.kind, ErrorKind::Options);
    assert!(
        failure.error.message.contains("could not find template"),
        "{}",
        failure.error.message
    );
}

#[test]
fn the_schema_checks_the_values_from_before_the_render() {
    // The template changes `.Values.count` to a string while rendering.
    let out = render("count: 3\n", "a: {{ set .Values \"count\" \"x\" | len }}\n").expect("valid");
    assert!(out.stream().contains("a: 1"), "{}", out.stream());
}

#[test]
fn kube_version_prints_as_helm_prints_it() {
    // `KubeVersion.String` has a pointer receiver: the field printed
    // directly uses it, a copy passed to a function prints as the struct.
    let template = concat!(
        "a: {{ .Capabilities.KubeVersion }}\n",
        "b: {{ .Capabilities.KubeVersion | quote }}\n",
        "c: {{ printf \"%v\" .Capabilities.KubeVersion }}\n",
        "d: {{ list .Capabilities.KubeVersion }}\n",
        "e: {{ .Capabilities.KubeVersion.String }}\n",
    );
    let out = render("count: 3\n", template).expect("renders");
    assert!(
        out.stream().contains(
            "a: v1.36.0\nb: \"{v1.36.0 1 36}\"\nc: {v1.36.0 1 36}\nd: [{v1.36.0 1 36}]\ne: v1.36.0\n"
        ),
        "{}",
        out.stream()
    );
}
