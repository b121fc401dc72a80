//! The Helm vector files whose shape is not a single template:
//! `helm_engine.json` (renders of whole charts, Helm's internal render of a
//! template map, template ordering), `helm_coalesce.json` (coalescing checks)
//! and `strvals.json` (the `--set` parsers). Part of the harness, so it is
//! compiled natively and into the wasm runner alike: no I/O here.

use std::collections::BTreeMap;

use chartroom::chart::{Chart, Dependency, File, Metadata};
use chartroom::engine::{self, EngineOptions, Renderable};
use chartroom::template::Templates;
use chartroom::values::{coalesce, strvals};
use chartroom::{Map, Value};
use serde_json::Value as Json;

use super::{decode, str_field};

/// Whether this module runs the file.
pub fn handles(stem: &str) -> bool {
    matches!(
        stem,
        "helm_engine" | "helm_coalesce" | "helm_values" | "strvals"
    )
}

/// Runs one case of one of the files this module handles.
pub fn run_case(file_stem: &str, case: &Json) -> Result<(), String> {
    match file_stem {
        "helm_engine" => engine_case(case),
        "helm_coalesce" => coalesce_case(case),
        "helm_values" => values_case(case),
        "strvals" => strvals_case(case),
        other => Err(format!("no runner for {other}")),
    }
}

// --- helm_engine.json ----------------------------------------------------

fn engine_case(case: &Json) -> Result<(), String> {
    match str_field(case, "kind") {
        Some("sort_templates") => {
            let input: Vec<String> = strings(case.get("input"));
            let want: Vec<String> = strings(case.get("expected"));
            let got = engine::sort_templates(&input);
            if got == want {
                Ok(())
            } else {
                Err(format!("order {got:?}, want {want:?}"))
            }
        }
        Some("render_chart") => {
            let chart = chart_from_json(case.get("chart").ok_or("no chart")?)?;
            let top = map_from(case.get("values"))?;
            let result = engine::render(&chart, &top, engine_options(case), None);
            check_render(case, result.map(|r| r.texts).map_err(|e| e.to_string()))
        }
        Some("render_templates") => {
            let templates = case
                .get("templates")
                .and_then(Json::as_object)
                .ok_or("no templates")?;
            let mut renderables = BTreeMap::new();
            for (name, t) in templates {
                let text = str_field(t, "template").unwrap_or_default().to_string();
                let vals = map_from(t.get("values"))?;
                renderables.insert(
                    name.clone(),
                    Renderable {
                        text: text.into(),
                        vals,
                        base_path: String::new(),
                    },
                );
            }
            let result = engine::render_templates(&renderables, engine_options(case), None);
            check_render(case, result.map(|r| r.texts).map_err(|e| e.to_string()))
        }
        other => Err(format!("unknown engine case kind {other:?}")),
    }
}

fn strings(v: Option<&Json>) -> Vec<String> {
    v.and_then(Json::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Json::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn engine_options(case: &Json) -> EngineOptions {
    let flag = |k: &str| {
        case.get("engine")
            .and_then(|e| e.get(k))
            .and_then(Json::as_bool)
            .unwrap_or(false)
    };
    let budget = super::STACK_BUDGET.load(std::sync::atomic::Ordering::Relaxed);
    let mut exec = chartroom::template::ExecOptions::default();
    if budget > 0 {
        exec.max_stack_bytes = budget;
    }
    EngineOptions {
        strict: flag("strict"),
        lint_mode: flag("lint_mode"),
        enable_dns: flag("enable_dns"),
        exec,
    }
}

fn map_from(v: Option<&Json>) -> Result<Map, String> {
    match v.map(decode).transpose()? {
        Some(Value::Map(m)) => Ok(m),
        None | Some(Value::Nil) => Ok(Map::new()),
        Some(other) => Err(format!("expected a map, got {other}")),
    }
}

fn check_render(
    case: &Json,
    result: Result<BTreeMap<String, String>, String>,
) -> Result<(), String> {
    if case.get("error").and_then(Json::as_bool) == Some(true) {
        let err = match result {
            Ok(out) => return Err(format!("expected an error, rendered {out:?}")),
            Err(e) => e,
        };
        if let Some(want) = str_field(case, "error_equals") {
            if err != want {
                return Err(format!(
                    "wrong error:\n      got  {err:?}\n      want {want:?}"
                ));
            }
        }
        if let Some(want) = str_field(case, "error_contains") {
            if !err.contains(want) {
                return Err(format!("error {err:?} does not contain {want:?}"));
            }
        }
        if let Some(want) = str_field(case, "error_suffix") {
            if !err.ends_with(want) {
                return Err(format!("error {err:?} does not end with {want:?}"));
            }
        }
        return Ok(());
    }
    let out = result.map_err(|e| format!("unexpected error: {e}"))?;
    if let Some(expected) = case.get("expected_outputs").and_then(Json::as_object) {
        for (name, want) in expected {
            let want = want.as_str().unwrap_or_default();
            match out.get(name) {
                Some(got) if got == want => {}
                Some(got) => {
                    return Err(format!("{name}:\n      got  {got:?}\n      want {want:?}"))
                }
                None => return Err(format!("{name} was not rendered")),
            }
        }
    }
    if let Some(count) = case.get("expected_output_count").and_then(Json::as_u64) {
        if out.len() as u64 != count {
            return Err(format!("{} outputs, want {count}", out.len()));
        }
    }
    Ok(())
}

/// A chart from the vectors' `{metadata, templates, files, values, dependencies}`.
fn chart_from_json(j: &Json) -> Result<Chart, String> {
    let md = j.get("metadata").cloned().unwrap_or(Json::Null);
    let text = |k: &str| str_field(&md, k).unwrap_or_default().to_string();
    let metadata = Metadata {
        name: text("name"),
        version: text("version"),
        api_version: text("apiVersion"),
        app_version: text("appVersion"),
        description: text("description"),
        chart_type: text("type"),
        kube_version: text("kubeVersion"),
        dependencies: md
            .get("dependencies")
            .and_then(Json::as_array)
            .map(|deps| {
                deps.iter()
                    .map(|d| Dependency {
                        name: str_field(d, "name").unwrap_or_default().to_string(),
                        version: str_field(d, "version").unwrap_or_default().to_string(),
                        ..Dependency::default()
                    })
                    .collect()
            })
            .unwrap_or_default(),
        ..Metadata::default()
    };
    let files = |key: &str| -> Vec<File> {
        j.get(key)
            .and_then(Json::as_array)
            .map(|items| {
                items
                    .iter()
                    .map(|f| File {
                        name: str_field(f, "name").unwrap_or_default().to_string(),
                        data: str_field(f, "data")
                            .unwrap_or_default()
                            .as_bytes()
                            .to_vec()
                            .into(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let dependencies = j
        .get("dependencies")
        .and_then(Json::as_array)
        .map(|deps| {
            deps.iter()
                .map(chart_from_json)
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?
        .unwrap_or_default();
    let mut chart = Chart {
        metadata,
        templates: files("templates"),
        files: files("files"),
        values: map_from(j.get("values"))?,
        dependencies,
        ..Chart::default()
    };
    chart.link_parents();
    Ok(chart)
}

// --- helm_coalesce.json --------------------------------------------------

fn coalesce_case(case: &Json) -> Result<(), String> {
    let op = str_field(case, "op").unwrap_or_default();
    let (result, input, warnings) = match op {
        "CoalesceValues" | "MergeValues" => {
            let chart = chart_from_json(case.get("chart").ok_or("no chart")?)?;
            let values = map_from(case.get("values"))?;
            let snapshot = values.deep_clone();
            let out = if op == "MergeValues" {
                coalesce::merge_values(&chart, &values)
            } else {
                coalesce::coalesce_values(&chart, &values)
            }?;
            (out.values, Some((values, snapshot)), out.warnings)
        }
        "CoalesceTables" | "MergeTables" => {
            let dst = map_from(case.get("dst"))?;
            let warnings = match case.get("src").map(decode).transpose()? {
                Some(Value::Map(src)) if op == "MergeTables" => coalesce::merge_tables(&dst, &src),
                Some(Value::Map(src)) => coalesce::coalesce_tables(&dst, &src),
                _ => Vec::new(),
            };
            (dst, None, warnings)
        }
        other => return Err(format!("unknown coalesce op {other}")),
    };
    // Helm's test captures the text passed to `printf`, without the site
    // its logger would print before it.
    let messages: Vec<&str> = warnings.iter().map(|w| w.message.as_str()).collect();
    for w in strings(case.get("expected_warnings_include")) {
        if !messages.contains(&w.as_str()) {
            return Err(format!("missing warning {w:?} in {messages:?}"));
        }
    }
    let checks = case
        .get("checks")
        .and_then(Json::as_array)
        .cloned()
        .unwrap_or_default();
    for check in &checks {
        if let Some(template) = str_field(check, "template") {
            let want = str_field(check, "expected").unwrap_or_default();
            let mut set = Templates::new();
            set.parse("check", template).map_err(|e| e.to_string())?;
            let got = set
                .execute("check", &Value::Map(result.clone()))
                .map_err(|e| e.to_string())?;
            if got != want {
                return Err(format!("{template}: got {got:?}, want {want:?}"));
            }
            continue;
        }
        if check.get("input_unchanged").is_some() {
            if let Some((values, snapshot)) = &input {
                if Value::Map(values.clone()).to_string()
                    != Value::Map(snapshot.clone()).to_string()
                {
                    return Err("the input values were modified".into());
                }
            }
            continue;
        }
        let path = str_field(check, "path").unwrap_or_default();
        let found = lookup(&result, path);
        let flag = |k: &str| check.get(k).and_then(Json::as_bool) == Some(true);
        let ok = if flag("absent") {
            found.is_none()
        } else if flag("present") {
            found.is_some()
        } else if flag("is_null") {
            matches!(found, Some(Value::Nil))
        } else if flag("null_or_absent") {
            matches!(found, None | Some(Value::Nil))
        } else if flag("is_map") {
            matches!(found, Some(Value::Map(_)))
        } else if let Some(want) = check.get("equals") {
            found.as_ref().is_some_and(|v| super::json_equal(v, want))
        } else {
            return Err(format!("unknown check {check}"));
        };
        if !ok {
            return Err(format!("check {check} failed: found {found:?}"));
        }
    }
    Ok(())
}

/// The value at a dotted path, if every step exists.
fn lookup(map: &Map, path: &str) -> Option<Value> {
    let mut current = Value::Map(map.clone());
    for part in path.split('.') {
        current = current.as_map()?.get(part)?;
    }
    Some(current)
}

// --- helm_values.json ----------------------------------------------------

/// Runs a Go template (no functions) over `data` and returns its output.
fn run_template(text: &str, data: &Value) -> Result<String, String> {
    let mut set = Templates::new();
    set.parse("check", text).map_err(|e| e.to_string())?;
    set.execute("check", data).map_err(|e| e.to_string())
}

fn values_case(case: &Json) -> Result<(), String> {
    let op = str_field(case, "op").unwrap_or_default();
    if op == "ToRenderValues" {
        return to_render_values_case(case);
    }
    let text = str_field(case, "values_yaml").unwrap_or_default();
    // chartutil.ReadValues: empty input is an empty map.
    let values = chartroom::yaml::from_yaml_map(text).map_err(|e| e.to_string())?;
    let path = str_field(case, "path").unwrap_or_default();
    let result: Result<Value, String> = match op {
        "ReadValues" => Ok(Value::Map(values.clone())),
        "Get" => Ok(values.get(path).unwrap_or_default()),
        "Template" => run_template(
            str_field(case, "template").unwrap_or_default(),
            &Value::Map(values.clone()),
        )
        .map(Value::from),
        "Table" => chartroom::engine::values::table(&values, path).map(Value::Map),
        "PathValue" => chartroom::engine::values::path_value(&values, path),
        other => return Err(format!("unknown values op {other}")),
    };
    let flag = |k: &str| case.get(k).and_then(Json::as_bool) == Some(true);
    if flag("error") {
        return match result {
            Ok(v) => Err(format!("expected an error, got {v}")),
            Err(_) => Ok(()),
        };
    }
    let got = result.map_err(|e| format!("unexpected error: {e}"))?;
    if flag("expected_non_nil_map") && got.as_map().is_none() {
        return Err(format!("expected a map, got {got}"));
    }
    if let Some(want) = case.get("expected") {
        let ok = match (want, &got) {
            (Json::String(w), Value::String(g)) => **g == **w,
            (w, g) => super::json_equal(g, w),
        };
        if !ok {
            return Err(format!("got {got}, want {want}"));
        }
    }
    if let Some(want) = case.get("expected_key").and_then(Json::as_object) {
        let map = got
            .as_map()
            .ok_or_else(|| format!("expected a table, got {got}"))?;
        for (k, v) in want {
            if !map.get(k).is_some_and(|g| super::json_equal(&g, v)) {
                return Err(format!("key {k}: got {:?}, want {v}", map.get(k)));
            }
        }
    }
    Ok(())
}

fn to_render_values_case(case: &Json) -> Result<(), String> {
    let chart = chart_from_json(case.get("chart").ok_or("no chart")?)?;
    let values = map_from(case.get("values"))?;
    let release = case.get("release_options").cloned().unwrap_or(Json::Null);
    let options = chartroom::api::RenderOptions {
        release_name: str_field(&release, "Name").unwrap_or_default().to_string(),
        namespace: str_field(&release, "Namespace")
            .unwrap_or_default()
            .to_string(),
        is_upgrade: release
            .get("IsUpgrade")
            .and_then(Json::as_bool)
            .unwrap_or(false),
        ..chartroom::api::RenderOptions::default()
    };
    let caps = chartroom::api::Capabilities::for_template(Some("v1.20.0"), &[])?;
    let top = chartroom::api::to_render_values(&chart, &values, &options, &caps)
        .map_err(|e| e.helm_message)?;
    let data = Value::Map(top);
    let checks = case
        .get("checks")
        .and_then(Json::as_array)
        .cloned()
        .unwrap_or_default();
    for check in &checks {
        let path = str_field(check, "path").unwrap_or_default();
        let (text, want) = match (check.get("has"), check.get("equals")) {
            (Some(has), _) => (format!("{{{{ .{path}.Has {has} }}}}"), "true".to_string()),
            (None, Some(Json::String(s))) => (format!("{{{{ .{path} }}}}"), s.clone()),
            (None, Some(other)) => (format!("{{{{ .{path} }}}}"), other.to_string()),
            (None, None) => return Err(format!("unknown check {check}")),
        };
        let got = run_template(&text, &data)?;
        if got != want {
            return Err(format!("{path}: got {got:?}, want {want:?}"));
        }
    }
    Ok(())
}

// --- strvals.json --------------------------------------------------------

fn strvals_case(case: &Json) -> Result<(), String> {
    let function = str_field(case, "function").unwrap_or_default();
    let dest = map_from(case.get("initial"))?;
    let json = |text: &str| -> Result<(Value, usize), String> { decode_json_prefix(text) };
    let run = |input: &str| -> Result<String, String> {
        match function {
            "Parse" | "ParseInto" => strvals::parse_into(input, &dest).map(|()| String::new()),
            "ParseString" | "ParseIntoString" => {
                strvals::parse_into_string(input, &dest).map(|()| String::new())
            }
            "ParseLiteral" | "ParseLiteralInto" => {
                strvals::parse_literal_into(input, &dest).map(|()| String::new())
            }
            "ParseJSON" => strvals::parse_json(input, &dest, &json).map(|()| String::new()),
            "ToYAML" => strvals::to_yaml(input),
            other => Err(format!("unknown function {other}")),
        }
    };
    let mut result = run(str_field(case, "input").unwrap_or_default());
    if result.is_ok() {
        if let Some(second) = str_field(case, "input2") {
            result = run(second);
        }
    }
    if case.get("error").and_then(Json::as_bool) == Some(true) {
        return match result {
            Ok(_) => Err(format!("expected an error, got {}", Value::Map(dest))),
            Err(e) => match str_field(case, "error_equals") {
                Some(want) if want != e => Err(format!("wrong error {e:?}, want {want:?}")),
                _ => Ok(()),
            },
        };
    }
    let out = result.map_err(|e| format!("unexpected error: {e}"))?;
    if function == "ToYAML" {
        let want = str_field(case, "expected").unwrap_or_default();
        return if out == want {
            Ok(())
        } else {
            Err(format!("got {out:?}, want {want:?}"))
        };
    }
    let want = case.get("expected").ok_or("no expected")?;
    let exact = str_field(case, "compare") == Some("exact");
    if values_match(&Value::Map(dest.clone()), want, exact) {
        Ok(())
    } else {
        Err(format!("got {}, want {want}", Value::Map(dest)))
    }
}

/// Compares with the vectors' typing: `exact` distinguishes int from int64
/// (`{"$int64": n}` markers); otherwise numbers compare by value, as a YAML
/// round trip would.
fn values_match(got: &Value, want: &Json, exact: bool) -> bool {
    if exact {
        return match decode(want) {
            Ok(w) => typed_equal(got, &w),
            Err(_) => false,
        };
    }
    match decode(want) {
        Ok(w) => loose_equal(got, &w),
        Err(_) => false,
    }
}

fn typed_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.entries()
                    .iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| typed_equal(v, &w)))
        }
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(v, w)| typed_equal(v, w))
        }
        _ => a.type_name() == b.type_name() && a.to_string() == b.to_string(),
    }
}

fn loose_equal(a: &Value, b: &Value) -> bool {
    let number = |v: &Value| match v {
        Value::Int(i, _) => Some(*i as f64),
        Value::Uint(u, _) => Some(*u as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    };
    match (a, b) {
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.entries()
                    .iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| loose_equal(v, &w)))
        }
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(v, w)| loose_equal(v, w))
        }
        _ => match (number(a), number(b)) {
            (Some(x), Some(y)) => x == y,
            _ => a.type_name() == b.type_name() && a.to_string() == b.to_string(),
        },
    }
}

/// One JSON value at the start of `text` and the bytes it used, as Go's
/// `json.Decoder` reads it for `--set-json`.
fn decode_json_prefix(text: &str) -> Result<(Value, usize), String> {
    chartroom::yaml::from_json_prefix(text).map_err(|e| e.to_string())
}
