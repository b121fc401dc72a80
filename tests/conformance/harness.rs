//! The conformance harness: runs one vector file of
//! `../shared/conformance/vectors` and counts passes and failures.
//!
//! This one file is compiled twice, so native and wasm results come from the
//! same code: into the native test target (`tests/conformance/main.rs`) and
//! into the wasm runner (`tests/wasm-runner/lib.rs`, via `#[path]`). It must
//! therefore use only `std`, `chartroom` and crates that both manifests list
//! (`serde_json`, `base64`), and do no I/O: callers read the files.
//!
//! Template vectors (see the vectors' README) are run as Go's tests run them:
//! `templates_before`, the main template and `templates_after` are parsed
//! into one set (`set.New(name).Parse(text)` each), then the main template's
//! handle (or the `execute` template) runs with the decoded `data`. A case
//! with `go_error` must fail with exactly that text; otherwise
//! `error_contains` must be part of the error. `parse_only` cases compare
//! the parse tree (`tree_string`, text nodes Go-quoted) or the defined
//! templates. The Go test helper functions (`funcs`) are registered for the
//! Go vector files, Sprig's function map for `sprig_*`, Helm's for
//! `helm_funcs`. Random and time-based results are checked as the
//! `expect_property` vocabulary of the README describes.

use base64::Engine as _;
use chartroom::funcs::gotime::{time_value, Duration, Location, Time};
use chartroom::template::parse::TextStyle;
use chartroom::template::{DefaultHost, ExecOptions, Func, FuncError, Host, ParamType, Templates};
use chartroom::value::{IntType, UintType};
use chartroom::{Map, Value};
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};

/// The outcome of one vector file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    /// The vector file's name, e.g. `gotemplate_exec.json`.
    pub file: String,
    pub passed: usize,
    pub failed: usize,
    /// One line per failed case (id and what went wrong), for `--verbose`.
    pub failures: Vec<String>,
}

impl FileReport {
    fn new(file: &str) -> FileReport {
        FileReport {
            file: file.to_string(),
            passed: 0,
            failed: 0,
            failures: Vec::new(),
        }
    }

    /// The one-line summary both runners print, e.g.
    /// `gotemplate_exec.json: 255 passed, 5 failed`. The wasm runner
    /// compares these lines with the native run's, so they must depend on
    /// the results only.
    pub fn summary(&self) -> String {
        format!(
            "{}: {} passed, {} failed",
            self.file, self.passed, self.failed
        )
    }
}

/// Whether [`run_file`] knows the shape of this vector file. The template
/// vectors (Go text/template, fmt, Sprig, Helm functions) share one shape;
/// the others (strvals, Helm values, coalescing, engine renders) have their
/// own and are not handled here yet.
pub fn handles(file_name: &str) -> bool {
    let stem = match file_name.strip_suffix(".json") {
        Some(stem) => stem,
        None => return false,
    };
    stem.starts_with("gotemplate_")
        || stem.starts_with("gofmt_")
        || stem.starts_with("sprig_")
        || stem == "helm_funcs"
        || helm_cases::handles(stem)
}

#[path = "helm_cases.rs"]
mod helm_cases;

/// Runs every case of one vector file (`json` is the file's text).
pub fn run_file(file_name: &str, json: &str) -> FileReport {
    let mut report = FileReport::new(file_name);
    let cases = match serde_json::from_str::<Json>(json) {
        Ok(Json::Array(cases)) => cases,
        Ok(_) => {
            report.failed = 1;
            report.failures.push("file is not a JSON array".into());
            return report;
        }
        Err(err) => {
            report.failed = 1;
            report.failures.push(format!("invalid JSON: {err}"));
            return report;
        }
    };
    let funcs = FuncSet::for_file(file_name);
    let stem = file_name.strip_suffix(".json").unwrap_or(file_name);
    for case in &cases {
        let id = case.get("id").and_then(Json::as_str).unwrap_or("<no id>");
        let outcome = if helm_cases::handles(stem) {
            helm_cases::run_case(stem, case)
        } else {
            run_case(case, funcs)
        };
        match outcome {
            Ok(()) => report.passed += 1,
            Err(reason) => {
                report.failed += 1;
                report.failures.push(format!("{id}: {}", shorten(&reason)));
            }
        }
    }
    report
}

/// Keeps failure lines readable (some expected texts are kilobytes long).
fn shorten(reason: &str) -> String {
    const MAX: usize = 600;
    if reason.len() <= MAX {
        return reason.to_string();
    }
    let mut end = MAX;
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &reason[..end])
}

fn str_field<'a>(case: &'a Json, key: &str) -> Option<&'a str> {
    case.get(key).and_then(Json::as_str)
}

/// `[{"name", "text"}]` lists of extra templates.
fn template_list(case: &Json, key: &str) -> Vec<(String, String)> {
    case.get(key)
        .and_then(Json::as_array)
        .map(|items| {
            items
                .iter()
                .map(|t| {
                    let name = str_field(t, "name").unwrap_or("").to_string();
                    let text = str_field(t, "text").unwrap_or("").to_string();
                    (name, text)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// How far each case's execution may grow the stack (0: the library's
/// default). Runners that give the cases a large stack raise it, so that
/// Go's own depth limit (100000 nested template calls) is reachable.
static STACK_BUDGET: AtomicUsize = AtomicUsize::new(0);

/// The current time in milliseconds since the epoch, for runners whose
/// platform has no clock (wasm32-unknown-unknown); 0: use the host's clock.
static CLOCK_MILLIS: AtomicI64 = AtomicI64::new(0);

/// Sets the time the cases see as "now" (for runners without a clock: the
/// wasm runner; the native one reads the system clock).
#[allow(dead_code)]
pub fn set_clock_millis(millis: i64) {
    CLOCK_MILLIS.store(millis, Ordering::Relaxed);
}

/// The current time as the cases see it.
fn case_now() -> (i64, u32) {
    match CLOCK_MILLIS.load(Ordering::Relaxed) {
        0 => DefaultHost::default().now(),
        ms => (
            ms.div_euclid(1000),
            (ms.rem_euclid(1000) * 1_000_000) as u32,
        ),
    }
}

/// A host for decoding data: the cases' clock.
fn clock_host() -> CaseHost {
    CaseHost {
        inner: DefaultHost::default(),
        env: BTreeMap::new(),
    }
}

/// Sets the stack budget of every case (see [`STACK_BUDGET`]).
pub fn set_stack_budget(bytes: usize) {
    STACK_BUDGET.store(bytes, Ordering::Relaxed);
}

/// Which functions a vector file's templates see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FuncSet {
    /// Go's builtins and the helpers of Go's tests.
    GoTest,
    /// Sprig's `TxtFuncMap`.
    Sprig,
    /// Helm's `funcMap` (Sprig without `env`/`expandenv`, plus Helm's own).
    Helm,
}

impl FuncSet {
    fn for_file(file_name: &str) -> FuncSet {
        if file_name.starts_with("sprig_") {
            FuncSet::Sprig
        } else if file_name.starts_with("helm_") {
            FuncSet::Helm
        } else {
            FuncSet::GoTest
        }
    }

    fn register(self, set: &mut Templates) {
        match self {
            FuncSet::GoTest => register_go_test_funcs(set),
            FuncSet::Sprig => chartroom::funcs::register_sprig_all(set),
            FuncSet::Helm => chartroom::funcs::register_helm(set),
        }
    }
}

/// The host of a case: the default clock and randomness, plus the case's
/// environment variables (for Sprig's `env` and `expandenv`).
struct CaseHost {
    inner: DefaultHost,
    env: BTreeMap<String, String>,
}

impl Host for CaseHost {
    fn random_bytes(&self, buf: &mut [u8]) {
        self.inner.random_bytes(buf)
    }

    fn now(&self) -> (i64, u32) {
        case_now()
    }

    fn env(&self, name: &str) -> Option<String> {
        self.env.get(name).cloned()
    }
}

/// What a case expects.
enum Expect<'a> {
    Output(&'a str),
    /// An error: the exact Go text if known, else a substring if given.
    Error {
        exact: Option<&'a str>,
        contains: Option<&'a str>,
    },
    Tree(&'a str),
    Defined(&'a serde_json::Map<String, Json>),
    /// Properties of a random or time-based output.
    Properties(&'a serde_json::Map<String, Json>),
}

fn expectation(case: &Json) -> Result<Expect<'_>, String> {
    if case.get("error").and_then(Json::as_bool) == Some(true) {
        return Ok(Expect::Error {
            exact: str_field(case, "go_error"),
            contains: str_field(case, "error_contains"),
        });
    }
    if let Some(tree) = str_field(case, "tree_string") {
        return Ok(Expect::Tree(tree));
    }
    if let Some(defined) = case.get("defined_templates").and_then(Json::as_object) {
        return Ok(Expect::Defined(defined));
    }
    if let Some(out) = str_field(case, "expected") {
        return Ok(Expect::Output(out));
    }
    if let Some(props) = case.get("expect_property").and_then(Json::as_object) {
        return Ok(Expect::Properties(props));
    }
    Err("case has no expectation this harness understands".into())
}

fn run_case(case: &Json, funcs: FuncSet) -> Result<(), String> {
    if str_field(case, "kind") == Some("funcmap") {
        return check_funcmap(case, funcs);
    }
    let expect = expectation(case)?;
    if let Expect::Properties(props) = expect {
        return check_properties(case, funcs, props);
    }
    let result = execute_case(case, funcs, &expect).map(|(out, _)| out);
    match (expect, result) {
        (Expect::Error { exact, contains }, Err(err)) => match (exact, contains) {
            (Some(exact), _) if err != exact => Err(format!(
                "wrong error:\n      got  {err:?}\n      want {exact:?}"
            )),
            (None, Some(sub)) if !err.contains(sub) => {
                Err(format!("error {err:?} does not contain {sub:?}"))
            }
            _ => Ok(()),
        },
        (Expect::Error { .. }, Ok(out)) => Err(format!("expected an error, got output {out:?}")),
        (Expect::Output(want), Ok(got)) => {
            if got == want {
                Ok(())
            } else {
                Err(format!(
                    "wrong output:\n      got  {got:?}\n      want {want:?}"
                ))
            }
        }
        (_, Ok(_)) => Ok(()),
        (_, Err(err)) => Err(format!("unexpected error: {err}")),
    }
}

/// Parses and runs a case; `Ok` holds the output (or nothing, for checks
/// done here) and the data it ran with, `Err` any error's text or a mismatch.
fn execute_case(
    case: &Json,
    funcs: FuncSet,
    expect: &Expect<'_>,
) -> Result<(String, Value), String> {
    let name = str_field(case, "name").unwrap_or("test");
    let text = str_field(case, "template").ok_or("case has no template")?;
    let mut set = Templates::named(name);
    funcs.register(&mut set);
    let budget = STACK_BUDGET.load(Ordering::Relaxed);
    if budget > 0 {
        set.set_exec_options(ExecOptions {
            max_stack_bytes: budget,
            ..ExecOptions::default()
        });
    }
    let env: BTreeMap<String, String> = case
        .get("env")
        .and_then(Json::as_object)
        .map(|vars| {
            vars.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default();
    set.set_host(Rc::new(CaseHost {
        inner: DefaultHost::default(),
        env,
    }));
    if let Some([left, right]) = case
        .get("delims")
        .and_then(Json::as_array)
        .map(Vec::as_slice)
    {
        set.set_delims(left.as_str().unwrap_or(""), right.as_str().unwrap_or(""));
    }
    if let Some(options) = case.get("options").and_then(Json::as_array) {
        for option in options {
            set.set_option(option.as_str().unwrap_or(""))
                .map_err(|e| e.to_string())?;
        }
    }
    for (n, t) in template_list(case, "templates_before") {
        set.parse(&n, &t).map_err(|e| e.to_string())?;
    }
    let main = set.parse(name, text).map_err(|e| e.to_string())?;
    for (n, t) in template_list(case, "templates_after") {
        set.parse(&n, &t).map_err(|e| e.to_string())?;
    }

    if case.get("parse_only").and_then(Json::as_bool) == Some(true) {
        return check_parse(&set, &main, expect).map(|()| (String::new(), Value::Nil));
    }

    let data = decode(case.get("data").unwrap_or(&Json::Null))?;
    let result = match str_field(case, "execute") {
        Some(exec_name) => set.execute(exec_name, &data),
        None => set.execute_template(&main, &data),
    };
    result.map(|out| (out, data)).map_err(|e| e.to_string())
}

/// A `funcmap` case: which functions the map has and lacks.
fn check_funcmap(case: &Json, funcs: FuncSet) -> Result<(), String> {
    let mut set = Templates::new();
    funcs.register(&mut set);
    let names = |key: &str| -> Vec<String> {
        case.get(key)
            .and_then(Json::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Json::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    for name in names("functions_present") {
        if !set.has_func(&name) {
            return Err(format!("function {name} is missing"));
        }
    }
    for name in names("functions_absent") {
        if set.has_func(&name) {
            return Err(format!("function {name} should not be registered"));
        }
    }
    Ok(())
}

/// Checks an `expect_property` case (see the vectors' README).
fn check_properties(
    case: &Json,
    funcs: FuncSet,
    props: &serde_json::Map<String, Json>,
) -> Result<(), String> {
    let expect = Expect::Properties(props);
    let before = Time::now(&clock_host());
    let (out, data) = execute_case(case, funcs, &expect)?;
    let after = Time::now(&clock_host());
    let runes = out.chars().count();
    for (key, want) in props {
        let ok = match key.as_str() {
            "no_error" => true,
            "length" => want.as_u64() == Some(runes as u64),
            "contains" => want.as_array().is_some_and(|subs| {
                subs.iter()
                    .all(|s| out.contains(s.as_str().unwrap_or("\u{0}")))
            }),
            "permutation_of" => {
                let mut a: Vec<char> = out.chars().collect();
                let mut b: Vec<char> = want.as_str().unwrap_or_default().chars().collect();
                a.sort_unstable();
                b.sort_unstable();
                a == b
            }
            "int_range" => {
                let bounds = want.as_array().map(|b| (b[0].as_i64(), b[1].as_i64()));
                match (out.trim().parse::<i64>(), bounds) {
                    (Ok(n), Some((Some(lo), Some(hi)))) => lo <= n && n < hi,
                    _ => false,
                }
            }
            "base64_decoded_length" => base64::engine::general_purpose::STANDARD
                .decode(out.trim())
                .is_ok_and(|b| Some(b.len() as u64) == want.as_u64()),
            "differs_between_runs" => {
                let (again, _) = execute_case(case, funcs, &expect)?;
                again != out
            }
            "regex" => properties::full_match(want.as_str().unwrap_or_default(), &out)?,
            "bcrypt_matches" => properties::bcrypt_matches(&out, want.as_str().unwrap_or_default()),
            "htpasswd" => {
                let user = want.get("user").and_then(Json::as_str).unwrap_or_default();
                let password = want
                    .get("password")
                    .and_then(Json::as_str)
                    .unwrap_or_default();
                match out.split_once(':') {
                    Some((u, hash)) => u == user && properties::bcrypt_matches(hash, password),
                    None => false,
                }
            }
            "equals_now_formatted" => {
                let layout = want
                    .get("layout")
                    .and_then(Json::as_str)
                    .unwrap_or_default();
                let zone = want.get("zone").and_then(Json::as_str).unwrap_or("UTC");
                let loc = Location::load(zone)?;
                [&before, &after]
                    .iter()
                    .any(|t| t.in_loc(&loc).format(layout) == out)
            }
            "x509" => properties::x509(&out, want)?,
            "data_after" => want.as_object().is_some_and(|fields| {
                fields.iter().all(|(k, v)| {
                    let got = data.as_map().and_then(|m| m.get(k)).unwrap_or_default();
                    json_equal(&got, v)
                })
            }),
            other => return Err(format!("unknown property {other}")),
        };
        if !ok {
            return Err(format!(
                "property {key} = {want} does not hold for output {out:?}"
            ));
        }
    }
    Ok(())
}

/// Deep equality of a value with JSON, numbers compared as numbers.
fn json_equal(v: &Value, j: &Json) -> bool {
    match (v, j) {
        (Value::Nil, Json::Null) => true,
        (Value::Bool(a), Json::Bool(b)) => a == b,
        (Value::String(a), Json::String(b)) => **a == **b,
        (Value::Int(a, _), Json::Number(n)) => n.as_f64() == Some(*a as f64),
        (Value::Uint(a, _), Json::Number(n)) => n.as_f64() == Some(*a as f64),
        (Value::Float(a), Json::Number(n)) => n.as_f64() == Some(*a),
        (Value::List(a), Json::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| json_equal(x, y))
        }
        (Value::Map(a), Json::Object(b)) => {
            a.len() == b.len()
                && b.iter()
                    .all(|(k, y)| a.get(k).is_some_and(|x| json_equal(&x, y)))
        }
        _ => false,
    }
}

fn check_parse(
    set: &Templates,
    main: &chartroom::template::Template,
    expect: &Expect<'_>,
) -> Result<(), String> {
    match expect {
        Expect::Tree(want) => {
            let got = main
                .tree()
                .map(|t| t.root.to_go_string(TextStyle::Quoted))
                .unwrap_or_default();
            if got != *want {
                return Err(format!(
                    "MISMATCH tree:\n      got  {got:?}\n      want {want:?}"
                ));
            }
        }
        Expect::Defined(defined) => {
            let names: Vec<&str> = set
                .template_names()
                .into_iter()
                .filter(|n| *n != main.name())
                .collect();
            let want_names: Vec<&str> = {
                let mut v: Vec<&str> = defined.keys().map(String::as_str).collect();
                v.sort_unstable();
                v
            };
            if names != want_names {
                return Err(format!(
                    "MISMATCH defined templates {names:?}, want {want_names:?}"
                ));
            }
            for (n, want) in defined.iter() {
                let got = set
                    .lookup(n)
                    .and_then(|t| t.tree().map(|tree| tree.root.to_string()))
                    .unwrap_or_default();
                if Some(got.as_str()) != want.as_str() {
                    return Err(format!("MISMATCH template {n:?}: got {got:?}, want {want}"));
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// Decodes vector data (see the vectors' README): JSON integers are Go
/// `int`, other numbers `float64`, and objects whose keys all start with `$`
/// are typed scalars.
fn decode(json: &Json) -> Result<Value, String> {
    Ok(match json {
        Json::Null => Value::Nil,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match (n.as_i64(), n.is_f64()) {
            (Some(i), false) => Value::int(i),
            _ => match n.as_u64() {
                Some(u) if !n.is_f64() => Value::Uint(u, UintType::Uint64),
                _ => Value::Float(n.as_f64().ok_or_else(|| format!("bad number {n}"))?),
            },
        },
        Json::String(s) => Value::from(s.as_str()),
        Json::Array(items) => Value::list(items.iter().map(decode).collect::<Result<_, _>>()?),
        Json::Object(fields) => {
            if !fields.is_empty() && fields.keys().all(|k| k.starts_with('$')) {
                return decode_marker(fields);
            }
            let map = Map::new();
            for (k, v) in fields {
                map.insert(k.as_str(), decode(v)?);
            }
            Value::Map(map)
        }
    })
}

fn decode_marker(fields: &serde_json::Map<String, Json>) -> Result<Value, String> {
    let (key, arg) = match fields.iter().next() {
        Some(kv) if fields.len() == 1 || fields.contains_key("$time") => kv,
        _ => {
            return Err(format!(
                "unsupported marker {:?}",
                fields.keys().collect::<Vec<_>>()
            ))
        }
    };
    let int = |t: IntType| -> Result<Value, String> {
        arg.as_i64()
            .map(|i| Value::Int(i, t))
            .ok_or_else(|| format!("bad {key} {arg}"))
    };
    let uint = |t: UintType| -> Result<Value, String> {
        arg.as_u64()
            .map(|u| Value::Uint(u, t))
            .ok_or_else(|| format!("bad {key} {arg}"))
    };
    match key.as_str() {
        "$int" => int(IntType::Int),
        "$int8" => int(IntType::Int8),
        "$int16" => int(IntType::Int16),
        "$int32" => int(IntType::Int32),
        "$int64" => int(IntType::Int64),
        "$uint" => uint(UintType::Uint),
        "$uint8" => uint(UintType::Uint8),
        "$uint16" => uint(UintType::Uint16),
        "$uint32" => uint(UintType::Uint32),
        "$uint64" => uint(UintType::Uint64),
        "$uintptr" => uint(UintType::Uintptr),
        "$float" => match arg {
            Json::String(s) if s == "NaN" => Ok(Value::Float(f64::NAN)),
            Json::String(s) if s == "+Inf" => Ok(Value::Float(f64::INFINITY)),
            Json::String(s) if s == "-Inf" => Ok(Value::Float(f64::NEG_INFINITY)),
            other => other
                .as_f64()
                .map(Value::Float)
                .ok_or_else(|| format!("bad $float {other}")),
        },
        "$float32" => arg
            .as_f64()
            .map(|f| Value::Float32(f as f32))
            .ok_or_else(|| format!("bad $float32 {arg}")),
        "$bytes" => {
            let text = arg.as_str().ok_or("bad $bytes")?;
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .map(Value::bytes)
                .map_err(|e| format!("bad $bytes: {e}"))
        }
        "$time" | "$zone" => {
            let text = fields
                .get("$time")
                .and_then(Json::as_str)
                .ok_or("bad $time")?;
            let zone = fields.get("$zone").and_then(Json::as_str);
            Time::from_marker(text, zone)
                .map(time_value)
                .ok_or_else(|| format!("bad $time {text}"))
        }
        "$time_now_offset" => {
            let seconds = arg.as_f64().ok_or("bad $time_now_offset")?;
            let now = Time::now(&clock_host());
            Ok(time_value(now.add(Duration((seconds * 1e9) as i64))))
        }
        other => Err(format!("unsupported marker {other}")),
    }
}

fn int_arg(v: &Value) -> i64 {
    match v {
        Value::Int(i, _) => *i,
        _ => 0,
    }
}

fn str_arg(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

/// The helper functions of Go's `exec_test.go`, with their Go signatures.
fn register_go_test_funcs(set: &mut Templates) {
    use ParamType::{Any, String as Str};
    let int = ParamType::INT;
    set.add_func(
        "add",
        Func::variadic([], int.clone(), |_, args| {
            Ok(Value::int(args.iter().map(int_arg).sum()))
        }),
    );
    set.add_func(
        "dddArg",
        Func::variadic([int], Str, |_, args| {
            let rest: Vec<String> = args[1..].iter().map(str_arg).collect();
            Ok(Value::from(format!(
                "{} [{}]\n",
                int_arg(&args[0]),
                rest.join(" ")
            )))
        }),
    );
    set.add_func("die", Func::new([], |_, _| Err(FuncError::msg("die"))));
    set.add_func("echo", Func::new([Any], |_, mut args| Ok(args.remove(0))));
    set.add_func(
        "makemap",
        Func::variadic([], Str, |_, args| {
            if args.len() % 2 != 0 {
                return Err(FuncError::msg("bad makemap"));
            }
            let map = Map::new();
            for pair in args.chunks(2) {
                map.insert(str_arg(&pair[0]), pair[1].clone());
            }
            Ok(Value::Map(map))
        }),
    );
    set.add_func(
        "mapOfThree",
        Func::new([], |_, _| {
            let map = Map::new();
            map.insert("three", Value::int(3));
            Ok(Value::Map(map))
        }),
    );
    set.add_func(
        "oneArg",
        Func::new([Str], |_, args| {
            Ok(Value::from(format!("oneArg={}", str_arg(&args[0]))))
        }),
    );
    set.add_func("returnInt", Func::new([], |_, _| Ok(Value::int(7))));
    set.add_func(
        "twoArgs",
        Func::new([Str, Str], |_, args| {
            Ok(Value::from(format!(
                "twoArgs={}{}",
                str_arg(&args[0]),
                str_arg(&args[1])
            )))
        }),
    );
    set.add_func(
        "typeOf",
        Func::new([Any], |_, args| Ok(Value::from(args[0].type_name()))),
    );
    set.add_func(
        "valueString",
        Func::new([Str], |_, _| Ok(Value::from("value is ignored"))),
    );
    set.add_func(
        "zeroArgs",
        Func::new([], |_, _| Ok(Value::from("zeroArgs"))),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_the_vector_files_it_knows() {
        assert!(handles("gotemplate_exec.json"));
        assert!(handles("gofmt_printf.json"));
        assert!(handles("sprig_list.json"));
        assert!(handles("helm_funcs.json"));
        assert!(handles("strvals.json"));
        assert!(handles("helm_engine.json"));
        assert!(!handles("skipped.json"));
        assert!(handles("helm_values.json"));
        assert!(!handles("sprig_list.txt"));
    }

    #[test]
    fn counts_cases_and_formats_summary() {
        let report = run_file(
            "gotemplate_x.json",
            r#"[{"id": "a", "template": "{{.}}", "data": 1, "expected": "1"},
                {"id": "b", "template": "{{.}}", "data": 1, "expected": "2"}]"#,
        );
        assert_eq!((report.passed, report.failed), (1, 1));
        assert_eq!(report.failures.len(), report.failed);
        assert!(report.failures[0].starts_with("b: wrong output"));
        assert_eq!(report.summary(), "gotemplate_x.json: 1 passed, 1 failed");
    }

    #[test]
    fn exact_go_errors_are_required() {
        let case = r#"[{"id": "e", "name": "t", "template": "{{.X}}", "data": 1, "error": true,
            "go_error": "template: t:1:2: executing \"t\" at <.X>: can't evaluate field X in type int"},
            {"id": "f", "name": "t", "template": "{{.X}}", "data": 1, "error": true,
            "go_error": "something else"}]"#;
        let report = run_file("gotemplate_x.json", case);
        assert_eq!((report.passed, report.failed), (1, 1));
    }

    #[test]
    fn decodes_typed_markers() {
        let v = decode(
            &serde_json::json!({"a": {"$uint8": 3}, "b": 1.0, "c": 2, "d": {"$bytes": "aGk="}}),
        )
        .unwrap();
        let m = v.as_map().unwrap();
        assert!(matches!(m.get("a"), Some(Value::Uint(3, UintType::Uint8))));
        assert!(matches!(m.get("b"), Some(Value::Float(f)) if f == 1.0));
        assert!(matches!(m.get("c"), Some(Value::Int(2, IntType::Int))));
        assert!(matches!(m.get("d"), Some(Value::Bytes(b)) if &*b == b"hi"));
        assert!(decode(&serde_json::json!({"$time": "x"})).is_err());
    }

    #[test]
    fn bad_json_is_one_failure_not_a_panic() {
        let report = run_file("x.json", "{");
        assert_eq!((report.passed, report.failed), (0, 1));
        assert!(report.failures[0].starts_with("invalid JSON"));
    }
}

/// Checks behind `expect_property` entries that need more than string tests.
mod properties {
    /// The `regex` property: the whole output matches the pattern.
    pub fn full_match(pattern: &str, out: &str) -> Result<bool, String> {
        let re = regex::Regex::new(&format!("^(?:{pattern})$")).map_err(|e| e.to_string())?;
        Ok(re.is_match(out))
    }

    /// Whether `hash` is a bcrypt hash of `password`: natively checked by
    /// the independent `bcrypt` crate; in wasm (where that crate needs a
    /// JavaScript random source) by Chartroom's own bcrypt.
    pub fn bcrypt_matches(hash: &str, password: &str) -> bool {
        #[cfg(not(target_arch = "wasm32"))]
        return bcrypt::verify(password, hash.trim()).unwrap_or(false);
        #[cfg(target_arch = "wasm32")]
        return chartroom::funcs::crypto::passwords::bcrypt_verify(hash.trim(), password);
    }

    /// The `x509` property: the PEM certificate in the output has these
    /// fields (read with Chartroom's own DER parser; the crypto module's
    /// known-answer tests compare its certificates with Go's).
    pub fn x509(out: &str, want: &serde_json::Value) -> Result<bool, String> {
        use chartroom::funcs::crypto::{encoding::pem_decode, x509::parse_certificate};
        let block = pem_decode(out.as_bytes()).ok_or("no PEM block in the output")?;
        let cert = parse_certificate(&block.bytes)?;
        let text = |k: &str| want.get(k).and_then(serde_json::Value::as_str);
        let list = |k: &str| -> Vec<String> {
            want.get(k)
                .and_then(serde_json::Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let ip_text = |ip: &[u8]| match ip.len() {
            4 => ip.iter().map(u8::to_string).collect::<Vec<_>>().join("."),
            16 if ip[..12] == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] => ip[12..]
                .iter()
                .map(u8::to_string)
                .collect::<Vec<_>>()
                .join("."),
            _ => format!("{ip:?}"),
        };
        let mut ok = true;
        if let Some(cn) = text("common_name") {
            ok &= cert.common_name == cn;
        }
        if let Some(is_ca) = want.get("is_ca").and_then(serde_json::Value::as_bool) {
            ok &= cert.is_ca == is_ca;
        }
        if let Some(sign) = want.get("serial_sign").and_then(serde_json::Value::as_i64) {
            ok &= i64::from(cert.serial_sign) == sign;
        }
        let ips = list("ip_addresses");
        if !ips.is_empty() {
            let got: Vec<String> = cert.ip_addresses.iter().map(|ip| ip_text(ip)).collect();
            ok &= got == ips;
        }
        for name in list("dns_names_include") {
            ok &= cert.dns_names.contains(&name);
        }
        Ok(ok)
    }
}
