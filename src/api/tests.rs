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
            data: text.as_bytes().to_vec(),
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
fn the_schema_checks_the_values_from_before_the_render() {
    // The template changes `.Values.count` to a string while rendering.
    let out = render("count: 3\n", "a: {{ set .Values \"count\" \"x\" | len }}\n").expect("valid");
    assert!(out.stream.contains("a: 1"), "{}", out.stream);
}
