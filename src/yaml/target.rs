//! `sigs.k8s.io/yaml.Unmarshal` into typed Go targets (structs, string maps,
//! slices), which Helm uses for `Chart.yaml` (`chart.Metadata`),
//! `Chart.lock` and the manifest heads it sorts (`releaseutil.SimpleHead`).
//!
//! Two steps differ from decoding into `interface{}`:
//! - while converting YAML to JSON, a number or bool bound for a `string`
//!   field becomes a string (`version: 1.10` gives `"1.1"`: floats go
//!   through `FormatFloat(f, 'g', -1, 32)`);
//! - JSON decoding matches object keys to fields by exact name, then
//!   case-insensitively, ignores unknown keys, and reports a wrong kind of
//!   value as `json: cannot unmarshal string into Go struct field
//!   Metadata.deprecated of type bool` while decoding the rest.

use super::json_encode::format_json_float;
use super::json_kind;
use super::jsonable::{key_string, to_value, Numbers};
use super::strconv::format_g;
use super::typed::Yv;
use crate::value::{Map, Value};

/// A Go type that JSON decodes into.
#[derive(Clone, Copy, Debug)]
pub enum GoType {
    /// `interface{}`: numbers become `float64`.
    Any,
    String,
    Bool,
    /// `int` (64-bit).
    Int,
    Float64,
    /// `[]T`
    Slice(&'static GoType),
    /// `map[string]T`
    Map(&'static GoType),
    /// `*T`: nil for JSON `null`.
    Ptr(&'static GoType),
    Struct(&'static GoStruct),
}

/// A Go struct type as JSON sees it.
#[derive(Debug)]
pub struct GoStruct {
    /// `reflect.Type.Name()`, as error messages name the struct
    /// (`Metadata`; empty for an anonymous struct).
    pub name: &'static str,
    /// `reflect.Type.String()` (`chart.Metadata`).
    pub type_name: &'static str,
    pub fields: &'static [GoField],
}

/// An exported struct field and its JSON name.
#[derive(Debug)]
pub struct GoField {
    pub json: &'static str,
    pub ty: GoType,
}

impl GoType {
    /// `reflect.Type.String()`.
    pub fn type_name(&self) -> String {
        match self {
            GoType::Any => "interface {}".into(),
            GoType::String => "string".into(),
            GoType::Bool => "bool".into(),
            GoType::Int => "int".into(),
            GoType::Float64 => "float64".into(),
            GoType::Slice(e) => format!("[]{}", e.type_name()),
            GoType::Map(e) => format!("map[string]{}", e.type_name()),
            GoType::Ptr(e) => format!("*{}", e.type_name()),
            GoType::Struct(s) => s.type_name.into(),
        }
    }

    /// The type with pointers removed (JSON decodes through them).
    fn deref(self) -> GoType {
        match self {
            GoType::Ptr(e) => e.deref(),
            other => other,
        }
    }
}

impl GoStruct {
    /// sigs.k8s.io/yaml's field lookup: the exact JSON name, else the first
    /// field whose name matches ignoring case.
    pub(crate) fn field_for_conversion(&self, key: &str) -> Option<&GoField> {
        self.fields.iter().find(|f| f.json == key).or_else(|| {
            self.fields
                .iter()
                .find(|f| f.json.eq_ignore_ascii_case(key))
        })
    }
}

/// The YAML-to-JSON conversion aimed at `target` (`None` for no type
/// information, as under an `interface{}`).
pub(crate) fn convert(y: &Yv, target: Option<GoType>) -> Result<Value, String> {
    let target = target.map(GoType::deref);
    match y {
        Yv::Map(map) => {
            let out = Map::new();
            for (k, v) in map.entries() {
                let key = key_string(k, v)?;
                let child = match target {
                    Some(GoType::Struct(s)) => s.field_for_conversion(&key).map(|f| f.ty),
                    Some(GoType::Map(e)) => Some(*e),
                    _ => None,
                };
                out.insert(key, convert(v, child)?);
            }
            Ok(Value::Map(out))
        }
        Yv::Seq(items) => {
            let child = match target {
                Some(GoType::Slice(e)) => Some(*e),
                _ => None,
            };
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(convert(item, child)?);
            }
            Ok(Value::list(out))
        }
        scalar => {
            if matches!(target, Some(GoType::String)) {
                let text = match scalar {
                    Yv::Int(i) => Some(i.to_string()),
                    Yv::Uint(u) => Some(u.to_string()),
                    Yv::Float(f) => Some(format_g(*f, true)),
                    Yv::Bool(b) => Some(b.to_string()),
                    _ => None,
                };
                if let Some(text) = text {
                    return Ok(Value::string(text));
                }
            }
            to_value(scalar, Numbers::Typed)
        }
    }
}

/// Go's JSON decoding state: the first error and where it happened.
struct Decoder {
    struct_name: &'static str,
    field_stack: Vec<&'static str>,
    error: Option<String>,
}

/// The JSON text of a number, as Go's decoder sees the literal.
fn number_literal(v: &Value) -> String {
    match v {
        Value::Int(i, _) => i.to_string(),
        Value::Uint(u, _) => u.to_string(),
        Value::Float(f) => format_json_float(*f, false),
        _ => String::new(),
    }
}

impl Decoder {
    fn type_error(&mut self, value: String, ty: GoType) {
        if self.error.is_some() {
            return;
        }
        let msg = if self.struct_name.is_empty() && self.field_stack.is_empty() {
            format!(
                "json: cannot unmarshal {value} into Go value of type {}",
                ty.type_name()
            )
        } else {
            format!(
                "json: cannot unmarshal {value} into Go struct field {}.{} of type {}",
                self.struct_name,
                self.field_stack.join("."),
                ty.type_name()
            )
        };
        self.error = Some(msg);
    }

    /// Decodes `v` into `ty`; `None` leaves Go's zero value (a JSON null, or
    /// a value of the wrong kind).
    fn decode(&mut self, v: &Value, ty: GoType) -> Option<Value> {
        if v.is_nil() {
            return None;
        }
        let wrong = |d: &mut Self| {
            d.type_error(json_kind(v).to_string(), ty);
            None
        };
        match ty {
            GoType::Ptr(e) => self.decode(v, *e),
            GoType::Any => Some(to_float64(v)),
            GoType::String => match v {
                Value::String(_) | Value::ByteString(_) => Some(v.clone()),
                _ => wrong(self),
            },
            GoType::Bool => match v {
                Value::Bool(_) => Some(v.clone()),
                _ => wrong(self),
            },
            GoType::Int | GoType::Float64 => match v {
                Value::Int(..) | Value::Uint(..) | Value::Float(_) => {
                    let lit = number_literal(v);
                    if matches!(ty, GoType::Float64) {
                        return lit.parse::<f64>().ok().map(Value::Float);
                    }
                    match lit.parse::<i64>() {
                        Ok(i) => Some(Value::int(i)),
                        Err(_) => {
                            self.type_error(format!("number {lit}"), ty);
                            None
                        }
                    }
                }
                _ => wrong(self),
            },
            GoType::Slice(e) => match v {
                Value::List(items) => Some(Value::list(
                    items
                        .iter()
                        .map(|item| self.decode(item, *e).unwrap_or_else(|| zero(*e)))
                        .collect(),
                )),
                _ => wrong(self),
            },
            GoType::Map(e) => match v {
                Value::Map(m) => {
                    let out = Map::new();
                    for (k, item) in m.entries() {
                        out.insert(k, self.decode(&item, *e).unwrap_or_else(|| zero(*e)));
                    }
                    Some(Value::Map(out))
                }
                _ => wrong(self),
            },
            GoType::Struct(s) => match v {
                Value::Map(m) => Some(Value::Map(self.decode_struct(&m.entries(), s))),
                _ => wrong(self),
            },
        }
    }

    fn decode_struct(&mut self, entries: &[(String, Value)], s: &'static GoStruct) -> Map {
        let out = Map::new();
        for (key, item) in entries {
            let field = s
                .fields
                .iter()
                .find(|f| f.json == key)
                .or_else(|| s.fields.iter().find(|f| f.json.eq_ignore_ascii_case(key)));
            let Some(field) = field else {
                continue;
            };
            let saved_struct = self.struct_name;
            self.field_stack.push(field.json);
            self.struct_name = s.name;
            let decoded = self.decode(item, field.ty);
            self.field_stack.pop();
            self.struct_name = saved_struct;
            if let Some(value) = decoded {
                out.insert(field.json, value);
            } else if item.is_nil() && nil_resets(field.ty) {
                out.remove(field.json);
            }
        }
        out
    }
}

/// Go's zero value of `ty`, as a decoded value (a zero struct is an empty
/// map, nil pointers, maps, slices and interfaces are nil).
fn zero(ty: GoType) -> Value {
    match ty {
        GoType::String => Value::string(""),
        GoType::Bool => Value::Bool(false),
        GoType::Int => Value::int(0),
        GoType::Float64 => Value::Float(0.0),
        GoType::Struct(_) => Value::Map(Map::new()),
        GoType::Any | GoType::Slice(_) | GoType::Map(_) | GoType::Ptr(_) => Value::Nil,
    }
}

/// Whether JSON `null` sets a field of this type back to nil (it leaves
/// strings, bools, numbers and structs unchanged).
fn nil_resets(ty: GoType) -> bool {
    matches!(
        ty,
        GoType::Any | GoType::Slice(_) | GoType::Map(_) | GoType::Ptr(_)
    )
}

fn to_float64(v: &Value) -> Value {
    match v {
        Value::Int(i, _) => Value::Float(*i as f64),
        Value::Uint(u, _) => Value::Float(*u as f64),
        Value::List(items) => Value::list(items.iter().map(to_float64).collect()),
        Value::Map(m) => Value::Map(
            m.entries()
                .iter()
                .map(|(k, x)| (k.clone(), to_float64(x)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Go's JSON decoding of the converted value into `target`: the decoded
/// value (structs as maps keyed by JSON field name, holding only the fields
/// that were set) and the first type error.
pub(crate) fn decode(v: &Value, target: GoType) -> (Value, Option<String>) {
    let mut d = Decoder {
        struct_name: "",
        field_stack: Vec::new(),
        error: None,
    };
    let value = d.decode(v, target).unwrap_or_else(|| match target.deref() {
        GoType::Struct(_) | GoType::Map(_) => Value::Map(Map::new()),
        _ => Value::Nil,
    });
    (value, d.error)
}

/// Helm's `chart.Maintainer`.
pub static CHART_MAINTAINER: GoStruct = GoStruct {
    name: "Maintainer",
    type_name: "chart.Maintainer",
    fields: &[
        GoField {
            json: "name",
            ty: GoType::String,
        },
        GoField {
            json: "email",
            ty: GoType::String,
        },
        GoField {
            json: "url",
            ty: GoType::String,
        },
    ],
};

/// Helm's `chart.Dependency`.
pub static CHART_DEPENDENCY: GoStruct = GoStruct {
    name: "Dependency",
    type_name: "chart.Dependency",
    fields: &[
        GoField {
            json: "name",
            ty: GoType::String,
        },
        GoField {
            json: "version",
            ty: GoType::String,
        },
        GoField {
            json: "repository",
            ty: GoType::String,
        },
        GoField {
            json: "condition",
            ty: GoType::String,
        },
        GoField {
            json: "tags",
            ty: GoType::Slice(&GoType::String),
        },
        GoField {
            json: "enabled",
            ty: GoType::Bool,
        },
        GoField {
            json: "import-values",
            ty: GoType::Slice(&GoType::Any),
        },
        GoField {
            json: "alias",
            ty: GoType::String,
        },
    ],
};

/// Helm's `chart.Metadata`, which `Chart.yaml` loads into.
pub static CHART_METADATA: GoStruct = GoStruct {
    name: "Metadata",
    type_name: "chart.Metadata",
    fields: &[
        GoField {
            json: "name",
            ty: GoType::String,
        },
        GoField {
            json: "home",
            ty: GoType::String,
        },
        GoField {
            json: "sources",
            ty: GoType::Slice(&GoType::String),
        },
        GoField {
            json: "version",
            ty: GoType::String,
        },
        GoField {
            json: "description",
            ty: GoType::String,
        },
        GoField {
            json: "keywords",
            ty: GoType::Slice(&GoType::String),
        },
        GoField {
            json: "maintainers",
            ty: GoType::Slice(&GoType::Ptr(&GoType::Struct(&CHART_MAINTAINER))),
        },
        GoField {
            json: "icon",
            ty: GoType::String,
        },
        GoField {
            json: "apiVersion",
            ty: GoType::String,
        },
        GoField {
            json: "condition",
            ty: GoType::String,
        },
        GoField {
            json: "tags",
            ty: GoType::String,
        },
        GoField {
            json: "appVersion",
            ty: GoType::String,
        },
        GoField {
            json: "deprecated",
            ty: GoType::Bool,
        },
        GoField {
            json: "annotations",
            ty: GoType::Map(&GoType::String),
        },
        GoField {
            json: "kubeVersion",
            ty: GoType::String,
        },
        GoField {
            json: "dependencies",
            ty: GoType::Slice(&GoType::Ptr(&GoType::Struct(&CHART_DEPENDENCY))),
        },
        GoField {
            json: "type",
            ty: GoType::String,
        },
    ],
};

/// The anonymous `metadata` struct inside Helm's `releaseutil.SimpleHead`.
pub static SIMPLE_HEAD_METADATA: GoStruct = GoStruct {
    name: "",
    type_name: "struct { Name string \"json:\\\"name\\\"\"; Annotations map[string]string \"json:\\\"annotations\\\"\" }",
    fields: &[
        GoField { json: "name", ty: GoType::String },
        GoField { json: "annotations", ty: GoType::Map(&GoType::String) },
    ],
};

/// Helm's `releaseutil.SimpleHead`, which each rendered manifest is read
/// into when Helm sorts them (a failure is `YAML parse error on <file>`).
pub static SIMPLE_HEAD: GoStruct = GoStruct {
    name: "SimpleHead",
    type_name: "releaseutil.SimpleHead",
    fields: &[
        GoField {
            json: "apiVersion",
            ty: GoType::String,
        },
        GoField {
            json: "kind",
            ty: GoType::String,
        },
        GoField {
            json: "metadata",
            ty: GoType::Ptr(&GoType::Struct(&SIMPLE_HEAD_METADATA)),
        },
    ],
};
