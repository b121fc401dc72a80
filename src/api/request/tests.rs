use super::*;

fn files(entries: &[(&str, &str)]) -> ChartSource {
    ChartSource::Files(
        entries
            .iter()
            .map(|(name, text)| File {
                name: name.to_string(),
                data: text.as_bytes().to_vec().into(),
            })
            .collect(),
    )
}

fn chart() -> ChartSource {
    files(&[
        ("Chart.yaml", "apiVersion: v2\nname: demo\nversion: 1.0.0\n"),
        ("values.yaml", "replicas: 1\nname: web\n"),
        (
            "values.schema.json",
            r#"{"type":"object","properties":{"replicas":{"type":"integer","minimum":1}}}"#,
        ),
        (
            "templates/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n  namespace: {{ .Release.Namespace }}\ndata:\n  replicas: {{ .Values.replicas | quote }}\n",
        ),
        ("templates/NOTES.txt", "Release {{ .Release.Name }}\n"),
    ])
}

/// `render_chart`'s JSON text (errors carry no separate output).
fn render_chart_json(source: ChartSource, options: &str, host: Option<Rc<dyn Host>>) -> String {
    let answer = render_chart(source, options, host);
    assert!(answer.output.is_none() || !answer.json.contains("\"error\""));
    answer.json
}

fn parse(json: &str) -> Map {
    match crate::yaml::from_json(json).unwrap() {
        Value::Map(m) => m,
        other => panic!("not an object: {other:?}"),
    }
}

fn ok(json: &str) -> Value {
    parse(json)
        .get("ok")
        .unwrap_or_else(|| panic!("not ok: {json}"))
}

fn error(json: &str) -> Map {
    parse(json)
        .get("error")
        .and_then(|e| e.as_map().cloned())
        .unwrap_or_else(|| panic!("no error: {json}"))
}

fn json(value: &Value) -> String {
    crate::yaml::to_json_raw(value).unwrap()
}

fn number(map: &Map, key: &str) -> Option<i64> {
    map.get(key).map(|v| json(&v).parse().unwrap())
}

fn text(map: &Map, key: &str) -> String {
    map.get(key)
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[test]
fn renders_with_options_and_describes_each_manifest() {
    let out = render_chart(
        chart(),
        r#"{"releaseName":"rel","namespace":"prod","set":["replicas=3"],"values":[{"name":"a.yaml","text":"name: api"}]}"#,
        None,
    );
    let result = ok(&out.json);
    let result = result.as_map().unwrap();
    assert!(result.get("output").is_none(), "the stream travels apart");
    let output = out.output.expect("a result");
    assert_eq!(
        output,
        "---\n# Source: demo/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api\n  namespace: prod\ndata:\n  replicas: \"3\"\n"
    );
    assert_eq!(text(result, "notes"), "Release rel\n");
    let manifests = result.get("manifests").unwrap();
    let first = manifests.as_list().unwrap()[0].as_map().unwrap().clone();
    assert_eq!(text(&first, "kind"), "ConfigMap");
    assert_eq!(text(&first, "name"), "api");
    assert_eq!(text(&first, "namespace"), "prod");
    assert_eq!(text(&first, "path"), "demo/templates/cm.yaml");
    let at = crate::yaml::to_json_raw(&first.get("contentAt").unwrap()).unwrap();
    assert_eq!(at, format!("[37,{}]", output.len()));
    assert!(output[37..].starts_with("apiVersion: v1\n"));
}

#[test]
fn schema_errors_carry_every_violation() {
    let e = error(&render_chart_json(
        chart(),
        r#"{"set":["replicas=0"]}"#,
        None,
    ));
    assert_eq!(text(&e, "kind"), "schema");
    assert!(text(&e, "helmMessage").starts_with("values don't meet the specifications"));
    let violations = e.get("violations").unwrap();
    let v = violations.as_list().unwrap()[0].as_map().unwrap().clone();
    assert_eq!(text(&v, "chart"), "demo");
    assert_eq!(text(&v, "path"), "/replicas");
    assert!(text(&v, "message").contains("minimum"), "{v:?}");

    let out = validate_values(chart(), r#"{"set":["replicas=0"]}"#);
    let result = ok(&out);
    let result = result.as_map().unwrap();
    assert_eq!(json(&result.get("valid").unwrap()), "false");
    assert_eq!(
        result.get("violations").unwrap().as_list().unwrap().len(),
        1
    );
    let valid = ok(&validate_values(chart(), "{}"));
    assert_eq!(json(&valid.as_map().unwrap().get("valid").unwrap()), "true");
}

#[test]
fn template_errors_point_at_the_file() {
    let broken = files(&[
        ("Chart.yaml", "apiVersion: v2\nname: demo\nversion: 1.0.0\n"),
        ("templates/a.yaml", "a: 1\nb: {{ .Values.x | nope }}\n"),
    ]);
    let e = error(&render_chart_json(broken, "{}", None));
    assert_eq!(text(&e, "kind"), "parse");
    assert_eq!(text(&e, "file"), "templates/a.yaml");
    assert_eq!(number(&e, "line"), Some(2));
    assert_eq!(
        text(&e, "helmMessage"),
        "parse error at (demo/templates/a.yaml:2): function \"nope\" not defined\n\n\
         Use --debug flag to render out invalid YAML"
    );
    assert_eq!(text(&e, "message"), "function \"nope\" not defined");
}

#[test]
fn step_budget_stops_endless_templates() {
    let endless = files(&[
        ("Chart.yaml", "apiVersion: v2\nname: demo\nversion: 1.0.0\n"),
        (
            "templates/a.yaml",
            "{{ range until 100000000 }}x{{ end }}\n",
        ),
    ]);
    let e = error(&render_chart_json(endless, r#"{"maxSteps":10000}"#, None));
    assert_eq!(text(&e, "kind"), "limit");
    assert_eq!(text(&e, "file"), "templates/a.yaml");
}

#[test]
fn bad_options_are_reported() {
    let e = error(&render_chart_json(chart(), r#"{"relaseName":"x"}"#, None));
    assert_eq!(text(&e, "kind"), "options");
    assert_eq!(text(&e, "message"), "unknown option \"relaseName\"");
    let e = error(&render_chart_json(chart(), r#"{"set":"a=1"}"#, None));
    assert_eq!(
        text(&e, "message"),
        "option \"set\" must be an array of strings"
    );
    let e = error(&render_chart_json(
        chart(),
        r#"{"releaseName":"Bad_Name"}"#,
        None,
    ));
    assert_eq!(text(&e, "kind"), "options");
    let e = error(&render_chart_json(chart(), r#"{"maxSteps":-1}"#, None));
    assert_eq!(text(&e, "kind"), "options");
}

#[test]
fn set_file_reads_from_the_files_option() {
    let out = render_template(
        "{{ .Values.cert }}",
        r#"{"setFile":["cert=tls.crt"],"files":{"tls.crt":"PEM"}}"#,
        None,
    );
    assert_eq!(ok(&out).as_str(), Some("PEM"));
    let e = error(&render_template(
        "x",
        r#"{"setFile":["cert=missing"]}"#,
        None,
    ));
    assert_eq!(text(&e, "kind"), "values");
    assert!(text(&e, "message").contains("open missing: no such file or directory"));
}

#[test]
fn render_template_positions_are_in_the_text() {
    let out = render_template(
        "{{ .Values.a }}-{{ upper .Values.b }}",
        r#"{"values":["a: 1\nb: x"]}"#,
        None,
    );
    assert_eq!(ok(&out).as_str(), Some("1-X"));
    let e = error(&render_template("line1\n{{ fail \"no\" }}", "{}", None));
    assert_eq!(text(&e, "kind"), "exec");
    assert!(e.get("file").is_none());
    assert_eq!(number(&e, "line"), Some(2));
    assert_eq!(text(&e, "message"), "no");
}

#[test]
fn values_views() {
    let shown = ok(&show_values(chart()));
    assert_eq!(shown.as_str(), Some("replicas: 1\nname: web\n\n"));
    let computed = ok(&compute_values(chart(), r#"{"set":["replicas=0"]}"#));
    assert_eq!(computed.as_str(), Some("name: web\nreplicas: 0\n"));
}

#[test]
fn chart_errors_name_the_file() {
    let broken = files(&[
        ("Chart.yaml", "apiVersion: v2\nname: demo\nversion: 1.0.0\n"),
        (
            "charts/sub/Chart.yaml",
            "apiVersion: v2\nname: sub\nversion: 1.0.0\n",
        ),
        ("charts/sub/values.yaml", "a: 1\n- b\n"),
    ]);
    let e = error(&render_chart_json(broken, "{}", None));
    assert_eq!(text(&e, "kind"), "chart");
    assert_eq!(text(&e, "file"), "charts/sub/values.yaml", "{e:?}");
    assert_eq!(number(&e, "line"), Some(1), "{e:?}");
    let e = error(&render_chart_json(
        ChartSource::Archive(b"not a tgz".to_vec()),
        "{}",
        None,
    ));
    assert_eq!(text(&e, "kind"), "chart");
}
