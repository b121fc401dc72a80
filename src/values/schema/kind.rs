//! Validation errors and their text, as santhosh-tekuri/jsonschema v6
//! prints them (`kind/kind.go`, `output.go`): each kind's message through
//! an English `golang.org/x/text` printer, and the error tree written one
//! `- at '<instance>': <message>` line per node, indented by depth, with a
//! `$ref` node that wraps a single error left out.

use super::gourl::{json_ptr, quote};
use super::json::Json;
use super::number::{en_float, en_int, Decimal};

/// JSON types, as a bit set in v6's order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Types(u8);

pub(crate) const NULL: u8 = 1;
pub(crate) const BOOLEAN: u8 = 2;
pub(crate) const NUMBER: u8 = 4;
pub(crate) const INTEGER: u8 = 8;
pub(crate) const STRING: u8 = 16;
pub(crate) const ARRAY: u8 = 32;
pub(crate) const OBJECT: u8 = 64;

const NAMES: [(u8, &str); 7] = [
    (NULL, "null"),
    (BOOLEAN, "boolean"),
    (NUMBER, "number"),
    (INTEGER, "integer"),
    (STRING, "string"),
    (ARRAY, "array"),
    (OBJECT, "object"),
];

impl Types {
    pub(crate) fn add(&mut self, t: u8) {
        self.0 |= t;
    }

    pub(crate) fn contains(self, t: u8) -> bool {
        self.0 & t != 0
    }

    pub(crate) fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub(crate) fn from_name(name: &str) -> u8 {
        NAMES
            .iter()
            .find(|(_, n)| *n == name)
            .map_or(0, |(t, _)| *t)
    }

    pub(crate) fn name(t: u8) -> &'static str {
        NAMES.iter().find(|(b, _)| *b == t).map_or("", |(_, n)| n)
    }

    fn names(self) -> Vec<&'static str> {
        NAMES
            .iter()
            .filter(|(t, _)| self.contains(*t))
            .map(|(_, n)| *n)
            .collect()
    }
}

/// What failed.
#[derive(Clone, Debug)]
pub(crate) enum Kind {
    /// A value of a Go type that is not JSON (`%T`).
    InvalidJsonValue(String),
    /// The root: validation against the schema at this location.
    Schema(String),
    Group,
    Not,
    AllOf,
    AnyOf,
    /// `None`: no subschema matched; `Some((i, j))`: both matched.
    OneOf(Option<(usize, usize)>),
    FalseSchema,
    RefCycle {
        url: String,
        kw_loc1: String,
        kw_loc2: String,
    },
    Type {
        got: &'static str,
        want: Types,
    },
    Enum(Vec<Json>),
    Const(Json),
    Format {
        got: Json,
        want: &'static str,
        err: String,
    },
    /// A `$ref`-like keyword whose target failed.
    Reference,
    MinProperties(usize, i64),
    MaxProperties(usize, i64),
    MinItems(usize, i64),
    MaxItems(usize, i64),
    AdditionalItems(usize),
    Required(Vec<String>),
    Dependency {
        prop: String,
        missing: Vec<String>,
    },
    DependentRequired {
        prop: String,
        missing: Vec<String>,
    },
    AdditionalProperties(Vec<String>),
    PropertyNames(String),
    UniqueItems(usize, usize),
    Contains,
    MinContains(Vec<usize>, i64),
    MaxContains(Vec<usize>, i64),
    MinLength(usize, i64),
    MaxLength(usize, i64),
    Pattern {
        got: String,
        want: String,
    },
    Minimum(Decimal, Decimal),
    Maximum(Decimal, Decimal),
    ExclusiveMinimum(Decimal, Decimal),
    ExclusiveMaximum(Decimal, Decimal),
    MultipleOf(Decimal, Decimal),
}

/// v6's `display`: strings quoted, arrays and objects as `value`, the rest
/// as `%v` prints them (a `json.Number` as its literal, null as `<nil>`).
fn display(v: &Json) -> String {
    match v {
        Json::String(s) => quote(s),
        Json::Array(_) | Json::Object(_) => "value".to_string(),
        Json::Null => "<nil>".to_string(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.text.clone(),
        Json::Invalid(t) => t.to_string(),
    }
}

fn join_quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|s| quote(s))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `fmt.Sprintf("%v", ints)` without the brackets.
fn plain_ints(items: &[usize]) -> String {
    items
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

fn int(n: usize) -> String {
    en_int(i64::try_from(n).unwrap_or(i64::MAX))
}

fn got_want(name: &str, got: &Decimal, want: &Decimal) -> String {
    format!(
        "{name}: got {}, want {}",
        en_float(got.to_f64()),
        en_float(want.to_f64())
    )
}

impl Kind {
    /// The message v6 prints for this kind.
    pub(crate) fn message(&self) -> String {
        match self {
            Kind::InvalidJsonValue(t) => format!("invalid jsonType {t}"),
            Kind::Schema(loc) => format!("jsonschema validation failed with {}", quote(loc)),
            Kind::Group | Kind::Reference => "validation failed".to_string(),
            Kind::Not => "not failed".to_string(),
            Kind::AllOf => "allOf failed".to_string(),
            Kind::AnyOf => "anyOf failed".to_string(),
            Kind::OneOf(None) => "oneOf failed, none matched".to_string(),
            Kind::OneOf(Some((i, j))) => {
                format!("oneOf failed, subschemas {}, {} matched", int(*i), int(*j))
            }
            Kind::FalseSchema => "false schema".to_string(),
            Kind::RefCycle {
                url,
                kw_loc1,
                kw_loc2,
            } => format!(
                "both {kw_loc1} and {kw_loc2} resolve to {} causing reference cycle",
                crate::template::strconv::quote(url)
            ),
            Kind::Type { got, want } => {
                format!("got {got}, want {}", want.names().join(" or "))
            }
            Kind::Enum(want) => {
                if want
                    .iter()
                    .any(|v| matches!(v, Json::Array(_) | Json::Object(_)))
                {
                    "enum failed".to_string()
                } else if want.len() == 1 {
                    format!("value must be {}", display(&want[0]))
                } else {
                    let items: Vec<String> = want.iter().map(display).collect();
                    format!("value must be one of {}", items.join(", "))
                }
            }
            Kind::Const(want) => match want {
                Json::Array(_) | Json::Object(_) => "const failed".to_string(),
                _ => format!("value must be {}", display(want)),
            },
            Kind::Format { got, want, err } => {
                format!("{} is not valid {want}: {err}", display(got))
            }
            Kind::MinProperties(got, want) => {
                format!("minProperties: got {}, want {}", int(*got), en_int(*want))
            }
            Kind::MaxProperties(got, want) => {
                format!("maxProperties: got {}, want {}", int(*got), en_int(*want))
            }
            Kind::MinItems(got, want) => {
                format!("minItems: got {}, want {}", int(*got), en_int(*want))
            }
            Kind::MaxItems(got, want) => {
                format!("maxItems: got {}, want {}", int(*got), en_int(*want))
            }
            Kind::AdditionalItems(n) => format!("last {} additionalItem(s) not allowed", int(*n)),
            Kind::Required(missing) => {
                if missing.len() == 1 {
                    format!("missing property {}", quote(&missing[0]))
                } else {
                    format!("missing properties {}", join_quoted(missing))
                }
            }
            Kind::Dependency { prop, missing } | Kind::DependentRequired { prop, missing } => {
                format!(
                    "properties {} required, if {} exists",
                    join_quoted(missing),
                    quote(prop)
                )
            }
            Kind::AdditionalProperties(props) => {
                format!("additional properties {} not allowed", join_quoted(props))
            }
            Kind::PropertyNames(p) => format!("invalid propertyName {}", quote(p)),
            Kind::UniqueItems(i, j) => format!("items at {} and {} are equal", int(*i), int(*j)),
            Kind::Contains => "no items match contains schema".to_string(),
            Kind::MinContains(got, want) => {
                if got.is_empty() {
                    format!(
                        "min {} items required to match contains schema, but none matched",
                        en_int(*want)
                    )
                } else {
                    format!(
                        "min {} items required to match contains schema, but matched {} items at {}",
                        en_int(*want),
                        int(got.len()),
                        plain_ints(got)
                    )
                }
            }
            Kind::MaxContains(got, want) => format!(
                "max {} items required to match contains schema, but matched {} items at {}",
                en_int(*want),
                int(got.len()),
                plain_ints(got)
            ),
            Kind::MinLength(got, want) => {
                format!("minLength: got {}, want {}", int(*got), en_int(*want))
            }
            Kind::MaxLength(got, want) => {
                format!("maxLength: got {}, want {}", int(*got), en_int(*want))
            }
            Kind::Pattern { got, want } => {
                format!("{} does not match pattern {}", quote(got), quote(want))
            }
            Kind::Minimum(got, want) => got_want("minimum", got, want),
            Kind::Maximum(got, want) => got_want("maximum", got, want),
            Kind::ExclusiveMinimum(got, want) => got_want("exclusiveMinimum", got, want),
            Kind::ExclusiveMaximum(got, want) => got_want("exclusiveMaximum", got, want),
            Kind::MultipleOf(got, want) => got_want("multipleOf", got, want),
        }
    }
}

/// One node of the error tree.
#[derive(Clone, Debug)]
pub(crate) struct ValidationError {
    /// Where in the instance, as pointer tokens.
    pub instance_location: Vec<String>,
    pub kind: Box<Kind>,
    pub causes: Vec<ValidationError>,
}

/// One printed line of the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Line {
    /// 0 for the root line, 1 for its direct causes, and so on.
    pub depth: usize,
    /// The instance location as a JSON pointer (empty for the root line).
    pub pointer: String,
    pub message: String,
}

impl ValidationError {
    /// A `$ref` node with a single cause is not printed.
    fn skipped(&self) -> bool {
        self.causes.len() == 1 && matches!(*self.kind, Kind::Reference)
    }

    /// The printed lines, in order.
    pub(crate) fn lines(&self) -> Vec<Line> {
        let mut out = Vec::new();
        self.collect_lines(0, &mut out);
        out
    }

    fn collect_lines(&self, depth: usize, out: &mut Vec<Line>) {
        let mut depth = depth;
        if !self.skipped() {
            out.push(Line {
                depth,
                pointer: json_ptr(&self.instance_location),
                message: self.kind.message(),
            });
            depth += 1;
        }
        for cause in &self.causes {
            cause.collect_lines(depth, out);
        }
    }

    /// `Error()`: the root line, then `- at '<pointer>': <message>` lines
    /// indented two spaces per level below the first.
    pub(crate) fn text(&self) -> String {
        let mut s = String::new();
        for line in self.lines() {
            if line.depth > 0 {
                s.push('\n');
                for _ in 1..line.depth {
                    s.push_str("  ");
                }
                s.push_str("- ");
            }
            if line.depth == 0 && matches!(*self.kind, Kind::Schema(_)) {
                s.push_str(&line.message);
            } else {
                s.push_str(&format!("at {}: {}", quote(&line.pointer), line.message));
            }
        }
        s
    }
}
