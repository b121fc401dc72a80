//! Executor behaviour beyond Go's own test tables: the interface-slot rules
//! Helm charts depend on, limits, host objects and the function context.

use std::any::Any;
use std::rc::Rc;

use crate::template::{
    ErrorKind, ExecOptions, Func, FuncError, Method, MissingKey, ParamType, Templates,
};
use crate::value::{IntType, Map, Object, Value};

fn map(entries: &[(&str, Value)]) -> Value {
    Value::Map(
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

fn run(set: &mut Templates, text: &str, data: &Value) -> Result<String, String> {
    set.parse("t", text).map_err(|e| e.to_string())?;
    set.execute("t", data).map_err(|e| e.to_string())
}

fn exec(text: &str, data: &Value) -> Result<String, String> {
    run(&mut Templates::new(), text, data)
}

fn exec_zero(text: &str, data: &Value) -> Result<String, String> {
    let mut set = Templates::new();
    set.set_missing_key(MissingKey::Zero);
    run(&mut set, text, data)
}

#[test]
fn missing_keys_follow_the_option() {
    let data = map(&[("a", Value::int(1))]);
    assert_eq!(
        exec("{{.b}} {{.b.c}}", &data).unwrap(),
        "<no value> <no value>"
    );
    assert_eq!(exec_zero("{{.b}}", &data).unwrap(), "<no value>");
    assert_eq!(
        exec_zero("{{.b.c}}", &data).unwrap_err(),
        "template: t:1:4: executing \"t\" at <.b.c>: nil pointer evaluating interface {}.c"
    );
    let mut set = Templates::new();
    set.set_option("missingkey=error").unwrap();
    assert_eq!(
        run(&mut set, "{{.b}}", &data).unwrap_err(),
        "template: t:1:2: executing \"t\" at <.b>: map has no entry for key \"b\""
    );
}

#[test]
fn values_in_interface_slots_name_interface_types() {
    let data = map(&[("n", Value::int(3)), ("z", Value::Nil)]);
    assert_eq!(
        exec("{{.n.foo}}", &data).unwrap_err(),
        "template: t:1:4: executing \"t\" at <.n.foo>: can't evaluate field foo in type interface {}"
    );
    assert_eq!(
        exec("{{$x := .n}}{{$x.foo}}", &data).unwrap_err(),
        "template: t:1:16: executing \"t\" at <$x.foo>: can't evaluate field foo in type int"
    );
    assert_eq!(
        exec("{{.z.foo}}", &data).unwrap_err(),
        "template: t:1:4: executing \"t\" at <.z.foo>: nil pointer evaluating interface {}.foo"
    );
    assert_eq!(
        exec("{{printf .z}}", &data).unwrap_err(),
        "template: t:1:9: executing \"t\" at <.z>: wrong type for value; expected string; got interface {}"
    );
    assert_eq!(
        exec("{{printf .missing}}", &data).unwrap_err(),
        "template: t:1:9: executing \"t\" at <.missing>: invalid value; expected string"
    );
    assert_eq!(
        exec("{{len .z}}", &data).unwrap_err(),
        "template: t:1:2: executing \"t\" at <len .z>: error calling len: len of nil pointer"
    );
    assert_eq!(
        exec("{{len .missing}}", &data).unwrap_err(),
        "template: t:1:2: executing \"t\" at <len .missing>: error calling len: reflect: call of reflect.Value.Type on zero Value"
    );
}

#[test]
fn range_forms() {
    let data = map(&[
        ("m", map(&[("b", Value::int(2)), ("a", Value::int(1))])),
        (
            "l",
            Value::list(vec![Value::from("x"), Value::from("y"), Value::from("z")]),
        ),
    ]);
    assert_eq!(
        exec("{{range $k, $v := .m}}{{$k}}={{$v}};{{end}}", &data).unwrap(),
        "a=1;b=2;"
    );
    assert_eq!(
        exec("{{range $i, $e := .l}}{{if eq $i 1}}{{continue}}{{end}}{{if eq $e \"z\"}}{{break}}{{end}}{{$e}}{{end}}", &data)
            .unwrap(),
        "x"
    );
    assert_eq!(
        exec(
            "{{range 3}}{{.}}{{end}}|{{range 0}}x{{else}}none{{end}}",
            &data
        )
        .unwrap(),
        "012|none"
    );
    assert_eq!(
        exec("{{range $i, $v := 3}}{{end}}", &data).unwrap_err(),
        "template: t:1:18: executing \"t\" at <3>: can't use 3 to iterate over more than one variable"
    );
    assert_eq!(
        exec("{{range 1.5}}{{end}}", &data).unwrap_err(),
        "template: t:1:8: executing \"t\" at <1.5>: range can't iterate over 1.5"
    );
    assert_eq!(
        exec("{{$x := 0}}{{range $x = .l}}{{end}}{{$x}}", &data).unwrap(),
        "z"
    );
}

#[test]
fn templates_and_redefinition() {
    let mut set = Templates::new();
    set.parse("a", "{{define \"x\"}}X{{.}}{{end}}A{{template \"x\" 1}}")
        .unwrap();
    // An empty redefinition does not replace a body; a non-empty one does.
    let empty = set.parse("x", "  ").unwrap();
    assert_eq!(set.execute("x", &Value::int(2)).unwrap(), "X2");
    assert_eq!(set.execute_template(&empty, &Value::Nil).unwrap(), "  ");
    set.parse("b", "{{define \"x\"}}Y{{end}}").unwrap();
    assert_eq!(set.execute("a", &Value::Nil).unwrap(), "AY");
    assert_eq!(
        set.defined_templates(),
        "; defined templates are: \"a\", \"b\", \"x\""
    );
    assert_eq!(
        run(&mut set, "{{template \"nope\"}}", &Value::Nil).unwrap_err(),
        "template: t:1:11: executing \"t\" at <{{template \"nope\"}}>: template \"nope\" not defined"
    );
}

#[test]
fn recursion_stops_with_an_error() {
    let mut set = Templates::new();
    set.set_exec_options(ExecOptions {
        max_depth: 50,
        ..ExecOptions::default()
    });
    let err = run(
        &mut set,
        "{{define \"r\"}}{{template \"r\" .}}{{end}}{{template \"r\"}}",
        &Value::Nil,
    )
    .unwrap_err();
    assert!(
        err.ends_with("exceeded maximum template depth (50)"),
        "{err}"
    );
    // Without a usable depth limit the stack budget stops it.
    set.set_exec_options(ExecOptions {
        max_depth: usize::MAX,
        ..ExecOptions::default()
    });
    let err = set.execute("r", &Value::Nil).unwrap_err();
    assert!(
        err.message
            .ends_with("exceeded the stack budget (524288 bytes)"),
        "{err}"
    );
    assert_eq!(err.kind, ErrorKind::Exec);
}

#[test]
fn step_and_output_limits() {
    let mut set = Templates::new();
    set.set_exec_options(ExecOptions {
        max_steps: Some(100),
        ..ExecOptions::default()
    });
    let err = run(&mut set, "{{range 1000}}x{{end}}", &Value::Nil).unwrap_err();
    assert!(
        err.ends_with("template execution exceeded the step budget (100 steps)"),
        "{err}"
    );
    let mut set = Templates::new();
    set.set_exec_options(ExecOptions {
        max_output_bytes: Some(10),
        ..ExecOptions::default()
    });
    let err = run(&mut set, "{{range 20}}{{.}}{{end}}", &Value::Nil).unwrap_err();
    assert!(
        err.ends_with("template output exceeded the maximum size (10 bytes)"),
        "{err}"
    );
}

#[derive(Debug)]
struct Files;

impl Object for Files {
    fn type_name(&self) -> String {
        "engine.files".into()
    }
    fn field(&self, name: &str) -> Option<Value> {
        (name == "Count").then(|| Value::int(2))
    }
    fn method(&self, name: &str) -> Option<Method> {
        (name == "Get").then(|| Method::new([ParamType::String]))
    }
    fn call_method(&self, _name: &str, args: &[Value]) -> Result<Value, String> {
        match args {
            [Value::String(s)] if s.is_empty() => Err("empty name".into()),
            [Value::String(s)] => Ok(Value::from(format!("content of {s}"))),
            _ => Err("unconverted".into()),
        }
    }
    fn format(&self) -> String {
        "files".into()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[test]
fn host_objects() {
    let data = map(&[("Files", Value::Object(Rc::new(Files)))]);
    assert_eq!(
        exec("{{.Files.Get \"a\"}} {{.Files.Count}}", &data).unwrap(),
        "content of a 2"
    );
    assert_eq!(
        exec("{{\"b\" | .Files.Get}}", &data).unwrap(),
        "content of b"
    );
    assert_eq!(
        exec("{{.Files.Get}}", &data).unwrap_err(),
        "template: t:1:8: executing \"t\" at <.Files.Get>: wrong number of args for Get: want 1 got 0"
    );
    assert_eq!(
        exec("{{.Files.Get 1}}", &data).unwrap_err(),
        "template: t:1:13: executing \"t\" at <1>: expected string; found 1"
    );
    assert_eq!(
        exec("{{.Files.Get \"\"}}", &data).unwrap_err(),
        "template: t:1:8: executing \"t\" at <.Files.Get>: error calling Get: empty name"
    );
    assert_eq!(
        exec("{{.Files.Nope}}", &data).unwrap_err(),
        "template: t:1:8: executing \"t\" at <.Files.Nope>: can't evaluate field Nope in type interface {}"
    );
    assert_eq!(
        exec("{{.Files.Count 1}}", &data).unwrap_err(),
        "template: t:1:8: executing \"t\" at <.Files.Count>: Count has arguments but cannot be invoked as function"
    );
    let files = Value::Object(Rc::new(Files));
    assert_eq!(
        exec("{{.Nope}}", &files).unwrap_err(),
        "template: t:1:2: executing \"t\" at <.Nope>: can't evaluate field Nope in type engine.files"
    );
}

#[derive(Default)]
struct Includes(usize);

/// Helm-style `include` and `tpl` built on the function context.
fn helm_like_set() -> Templates {
    let mut set = Templates::new();
    set.add_func(
        "include",
        Func::new([ParamType::String, ParamType::Any], |ctx, args| {
            let name = args[0].as_str().unwrap_or_default().to_string();
            let count = &mut ctx.state::<Includes>().0;
            *count += 1;
            if *count > 5 {
                return Err(FuncError::msg("too deep"));
            }
            let out = ctx.execute_template(&name, &args[1]);
            ctx.state::<Includes>().0 -= 1;
            out.map_err(Into::into)
        }),
    );
    set.add_func(
        "tpl",
        Func::new([ParamType::String, ParamType::Any], |ctx, args| {
            let mut clone = ctx.templates().clone();
            clone.parse("tpl", args[0].as_str().unwrap_or_default())?;
            Ok(ctx.execute_in(&clone, "tpl", &args[1])?)
        }),
    );
    set
}

#[test]
fn nested_executions_share_state_and_wrap_errors() {
    let mut set = helm_like_set();
    set.parse(
        "helpers",
        "{{define \"h\"}}[{{.}}]{{end}}{{define \"loop\"}}{{include \"loop\" .}}{{end}}",
    )
    .unwrap();
    assert_eq!(
        run(
            &mut set,
            "{{include \"h\" 1}}{{tpl \"{{.}}!\" 2}}",
            &Value::Nil
        )
        .unwrap(),
        "[1]2!"
    );
    assert!(set.lookup("tpl").is_none(), "tpl parses into a clone");
    let err = run(&mut set, "{{include \"loop\" 0}}", &Value::Nil).unwrap_err();
    assert!(
        err.starts_with(
            "template: t:1:2: executing \"t\" at <include \"loop\" 0>: error calling include: \
             template: helpers:1:47: executing \"loop\" at <include \"loop\" .>: error calling include:"
        ),
        "{err}"
    );
    assert!(err.ends_with("error calling include: too deep"), "{err}");
    let err = run(&mut set, "{{include \"nope\" 0}}", &Value::Nil).unwrap_err();
    assert!(
        err.ends_with(
            "error calling include: template: no template \"nope\" associated with template \"\""
        ),
        "{err}"
    );
}

#[test]
fn argument_conversion() {
    let mut set = Templates::new();
    set.add_func(
        "trunc",
        Func::new([ParamType::INT, ParamType::String], |_, args| {
            let n = match args[0] {
                Value::Int(n, _) => n as usize,
                _ => 0,
            };
            Ok(Value::from(
                args[1]
                    .as_str()
                    .unwrap_or_default()
                    .chars()
                    .take(n)
                    .collect::<String>(),
            ))
        }),
    );
    set.add_func(
        "keys",
        Func::new([ParamType::Map], |_, args| {
            Ok(Value::int(args[0].as_map().map_or(-1, |m| m.len() as i64)))
        }),
    );
    let data = map(&[
        ("f", Value::Float(2.0)),
        ("m", map(&[("a", Value::int(1))])),
    ]);
    assert_eq!(
        run(
            &mut set,
            "{{trunc 2 \"abc\"}} {{keys .m}} {{keys nil}}",
            &data
        )
        .unwrap(),
        "ab 1 -1"
    );
    assert_eq!(
        run(&mut set, "{{trunc 1.5 \"abc\"}}", &data).unwrap_err(),
        "template: t:1:8: executing \"t\" at <1.5>: expected integer; found 1.5"
    );
    assert_eq!(
        run(&mut set, "{{trunc .f \"abc\"}}", &data).unwrap_err(),
        "template: t:1:8: executing \"t\" at <.f>: wrong type for value; expected int; got float64"
    );
    assert_eq!(
        run(&mut set, "{{keys \"x\"}}", &data).unwrap_err(),
        "template: t:1:7: executing \"t\" at <\"x\">: can't handle \"x\" for arg of type map[string]interface {}"
    );
    assert_eq!(
        run(&mut set, "{{trunc 1}}", &data).unwrap_err(),
        "template: t:1:2: executing \"t\" at <trunc>: wrong number of args for trunc: want 2 got 1"
    );
    assert_eq!(
        run(&mut set, "{{trunc nil \"x\"}}", &data).unwrap_err(),
        "template: t:1:8: executing \"t\" at <nil>: cannot assign nil to int"
    );
}

#[test]
fn incomplete_template_handle() {
    let set = Templates::new();
    let handle = crate::template::Template {
        name: "x".into(),
        tree: None,
    };
    let err = set.execute_template(&handle, &Value::Nil).unwrap_err();
    assert_eq!(
        err.to_string(),
        "template: x: \"x\" is an incomplete or empty template"
    );
}

/// A named map type with a method, like Helm's `.Files`.
#[derive(Debug)]
struct NamedMap;

impl Object for NamedMap {
    fn type_name(&self) -> String {
        "engine.files".into()
    }
    fn kind(&self) -> crate::value::Kind {
        crate::value::Kind::Map
    }
    fn field(&self, _name: &str) -> Option<Value> {
        None
    }
    fn map_entries(&self) -> Option<Vec<(String, Value)>> {
        Some(vec![
            ("a".into(), Value::from("1")),
            ("b".into(), Value::from("2")),
        ])
    }
    fn method(&self, name: &str) -> Option<Method> {
        (name == "Size").then(Method::getter)
    }
    fn call_method(&self, _name: &str, _args: &[Value]) -> Result<Value, String> {
        Ok(Value::int(2))
    }
    fn format(&self) -> String {
        "map[a:1 b:2]".into()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[test]
fn named_map_objects() {
    let data = Value::Object(Rc::new(NamedMap));
    assert_eq!(
        exec("{{.a}}{{.zz}}|{{range $k, $v := .}}{{$k}}={{$v}} {{end}}|{{len .}} {{index . \"b\"}} {{.Size}}", &data)
            .unwrap(),
        "1<no value>|a=1 b=2 |2 2 2"
    );
    assert_eq!(
        exec("{{.a 1}}", &data).unwrap_err(),
        "template: t:1:2: executing \"t\" at <.a>: a is not a method but has arguments"
    );
}

/// A named map type with methods, like Helm's `chartutil.Values`.
#[derive(Debug)]
struct TestValues;

static TEST_VALUES: TestValues = TestValues;

impl crate::value::MapType for TestValues {
    fn name(&self) -> &'static str {
        "main.Values"
    }
    fn method(&self, name: &str) -> Option<Method> {
        match name {
            "Count" => Some(Method::getter()),
            "Join" => Some(Method::variadic([ParamType::String], ParamType::String)),
            "Scale" => Some(Method::new([ParamType::INT64]).fallible()),
            _ => None,
        }
    }
    fn call_method(&self, map: &Map, name: &str, args: &[Value]) -> Result<Value, String> {
        match (name, args) {
            ("Count", _) => Ok(Value::int(map.len() as i64)),
            ("Join", [Value::String(sep), rest @ ..]) => {
                let parts: Vec<&str> = rest.iter().filter_map(Value::as_str).collect();
                Ok(Value::from(parts.join(sep)))
            }
            ("Scale", [Value::Int(n, IntType::Int64)]) if *n < 0 => Err("negative".into()),
            ("Scale", [Value::Int(n, IntType::Int64)]) => Ok(Value::int64(n * 2)),
            _ => Err("unconverted".into()),
        }
    }
}

fn test_values() -> Value {
    let m = Map::new();
    m.insert("a", Value::int(1));
    m.insert("Count", Value::from("shadowed"));
    let data = Map::new();
    data.insert("V", Value::Map(m.named(&TEST_VALUES)));
    data.insert("N", Value::int(3));
    Value::Map(data)
}

fn exec_with_map_funcs(text: &str) -> Result<String, String> {
    let mut set = Templates::new();
    set.add_func(
        "typeOf",
        Func::new([ParamType::Any], |_, args| {
            Ok(Value::from(args[0].type_name()))
        }),
    );
    set.add_func(
        "plain",
        Func::new([ParamType::Map], |_, args| Ok(args[0].clone())),
    );
    set.add_func(
        "named",
        Func::new([ParamType::NamedMap(&TEST_VALUES)], |_, args| {
            Ok(args[0].clone())
        }),
    );
    run(&mut set, text, &test_values())
}

#[test]
fn named_map_types() {
    let ok = |t: &str| exec_with_map_funcs(t).unwrap();
    let err = |t: &str| exec_with_map_funcs(t).unwrap_err();
    // Methods come before keys; keys and map builtins work as on any map.
    assert_eq!(
        ok("{{.V.Count}} {{.V.a}} {{index .V \"Count\"}} {{len .V}} {{range $k, $_ := .V}}{{$k}}{{end}}"),
        "2 1 shadowed 2 Counta"
    );
    assert_eq!(
        ok("{{typeOf .V}} {{typeOf (plain .V)}} {{typeOf (named (plain .V))}} {{printf \"%T %v\" .V .V}}"),
        "main.Values map[string]interface {} main.Values main.Values map[Count:shadowed a:1]"
    );
    assert_eq!(
        ok("{{.V.Join \"-\" \"x\" \"y\"}} {{\"z\" | .V.Join \"+\" \"w\"}}"),
        "x-y w+z"
    );
    assert_eq!(ok("{{.V.Scale 21}} {{typeOf (.V.Scale 1)}}"), "42 int64");
    assert_eq!(
        err("{{.V.Scale -1}}"),
        "template: t:1:4: executing \"t\" at <.V.Scale>: error calling Scale: negative"
    );
    assert_eq!(
        err("{{.V.Scale .N}}"),
        "template: t:1:11: executing \"t\" at <.N>: wrong type for value; expected int64; got int"
    );
    assert_eq!(
        err("{{.V.Join}}"),
        "template: t:1:4: executing \"t\" at <.V.Join>: wrong number of args for Join: want at least 1 got 0"
    );
    assert_eq!(
        err("{{.V.a 1}}"),
        "template: t:1:4: executing \"t\" at <.V.a>: a is not a method but has arguments"
    );
    // A plain map has no methods.
    assert_eq!(ok("{{(plain .V).Count}}"), "shadowed");
}

#[test]
fn unbounded_include_recursion_hits_the_stack_budget() {
    let mut set = Templates::new();
    set.add_func(
        "inc",
        Func::new([ParamType::String], |ctx, args| {
            assert_eq!(ctx.depth(), 0, "nested executions restart Go's depth");
            let name = args[0].as_str().unwrap_or_default().to_string();
            Ok(ctx.execute_template(&name, &Value::Nil)?)
        }),
    );
    let err = run(&mut set, "{{inc \"t\"}}", &Value::Nil).unwrap_err();
    assert!(
        err.ends_with("template execution exceeded the stack budget (524288 bytes)"),
        "{}",
        &err[..200]
    );
    assert!(err.starts_with(
        "template: t:1:2: executing \"t\" at <inc \"t\">: error calling inc: template: t:1:2:"
    ));
}
