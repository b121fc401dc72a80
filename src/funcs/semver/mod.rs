//! Sprig v3.3.0's `semver` and `semverCompare` (`semver.go`) over a port of
//! Masterminds/semver v3.5.0 (the version Helm v3.21.4 pins), which Helm's
//! chart code also uses for `kubeVersion` and dependency checks:
//! [`Version::parse`] (`NewVersion`), [`Version::parse_strict`]
//! (`StrictNewVersion`), [`Constraints::parse`] (`NewConstraint`) and
//! [`Constraints::check`].
//!
//! `semver` returns a `*semver.Version` object whose methods templates call
//! (`.Major`, `.Prerelease`, `.Compare (semver "1.2.3")`, `.IncPatch`, …);
//! `IncPatch` and friends return a `semver.Version` value, whose method set
//! lacks the pointer-receiver methods (`Original`, `Compare`, `LessThan`…),
//! as in Go.

mod constraints;
mod scan;
mod version;

pub use constraints::Constraints;
pub use version::{Version, VersionError};

use std::any::Any;

use crate::template::{Func, FuncError, Method, ParamType, Templates};
use crate::value::{Kind, Object, UintType, Value};

/// The Go type name of the pointer `semver` returns.
pub const VERSION_PTR_TYPE: &str = "*semver.Version";
/// The Go type name of the values `IncPatch` and friends return.
pub const VERSION_TYPE: &str = "semver.Version";

/// A semver version as a template value: `*semver.Version` or
/// `semver.Version`.
#[derive(Clone, Debug)]
pub struct SemverValue {
    pub version: Version,
    /// Whether this is the pointer type (with the full method set).
    pub pointer: bool,
}

impl SemverValue {
    /// The `*semver.Version` `semver` returns.
    pub fn pointer(version: Version) -> Value {
        Value::object(SemverValue {
            version,
            pointer: true,
        })
    }

    fn value(version: Version) -> Value {
        Value::object(SemverValue {
            version,
            pointer: false,
        })
    }
}

/// The version held by a template value (either semver type).
pub fn version_of(v: &Value) -> Option<&Version> {
    match v {
        Value::Object(o) => o.as_any().downcast_ref::<SemverValue>().map(|s| &s.version),
        _ => None,
    }
}

/// Methods with a value receiver: in both method sets.
const VALUE_METHODS: &[&str] = &[
    "String",
    "Major",
    "Minor",
    "Patch",
    "Prerelease",
    "Metadata",
    "IncPatch",
    "IncMinor",
    "IncMajor",
    "SetPrerelease",
    "SetMetadata",
    "MarshalJSON",
    "MarshalText",
    "Value",
];

/// Methods with a pointer receiver: only on `*semver.Version`.
const POINTER_METHODS: &[&str] = &[
    "Original",
    "LessThan",
    "LessThanEqual",
    "GreaterThan",
    "GreaterThanEqual",
    "Equal",
    "Compare",
];

const NIL_DEREFERENCE: &str = "runtime error: invalid memory address or nil pointer dereference";

/// The `*semver.Version` parameter of the comparison methods.
const VERSION_PTR_PARAM: ParamType = ParamType::Object(VERSION_PTR_TYPE);

/// The signature of a method in the method set of `semver.Version`
/// (`pointer` false) or `*semver.Version` (`pointer` true).
fn method_signature(name: &str, pointer: bool) -> Option<Method> {
    if POINTER_METHODS.contains(&name) {
        if !pointer {
            return None;
        }
        return Some(match name {
            "Original" => Method::getter(),
            _ => Method::new([VERSION_PTR_PARAM]),
        });
    }
    Some(match name {
        "SetPrerelease" | "SetMetadata" => Method::new([ParamType::String]).fallible(),
        "MarshalJSON" | "MarshalText" | "Value" => Method::getter().fallible(),
        _ if VALUE_METHODS.contains(&name) => Method::getter(),
        _ => return None,
    })
}

/// The string argument of `SetPrerelease` and `SetMetadata`.
fn string_arg(args: &[Value]) -> &str {
    args.first().and_then(Value::as_str).unwrap_or_default()
}

impl Object for SemverValue {
    fn type_name(&self) -> String {
        if self.pointer {
            VERSION_PTR_TYPE
        } else {
            VERSION_TYPE
        }
        .to_string()
    }

    fn kind(&self) -> Kind {
        if self.pointer {
            Kind::Ptr
        } else {
            Kind::Struct
        }
    }

    fn field(&self, _name: &str) -> Option<Value> {
        // The struct's fields are unexported.
        None
    }

    fn method(&self, name: &str) -> Option<Method> {
        method_signature(name, self.pointer)
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        // The executor passed a `*semver.Version` or nil for the comparison
        // methods' parameter.
        let other = args.first().and_then(version_of);
        let v = &self.version;
        let compare = || -> Result<i64, String> {
            let other = other.ok_or(NIL_DEREFERENCE)?;
            Ok(v.compare_int(other))
        };
        Ok(match name {
            "String" => Value::from(v.to_string()),
            "Original" => Value::from(v.original.as_str()),
            "Major" => Value::Uint(v.major, UintType::Uint64),
            "Minor" => Value::Uint(v.minor, UintType::Uint64),
            "Patch" => Value::Uint(v.patch, UintType::Uint64),
            "Prerelease" => Value::from(v.pre.as_str()),
            "Metadata" => Value::from(v.metadata.as_str()),
            "IncPatch" => SemverValue::value(v.inc_patch()?),
            "IncMinor" => SemverValue::value(v.inc_minor()?),
            "IncMajor" => SemverValue::value(v.inc_major()?),
            "SetPrerelease" => {
                SemverValue::value(v.set_prerelease(string_arg(args)).map_err(|e| e.0)?)
            }
            "SetMetadata" => SemverValue::value(v.set_metadata(string_arg(args)).map_err(|e| e.0)?),
            "MarshalJSON" => Value::bytes(format!("\"{v}\"").into_bytes()),
            "MarshalText" => Value::bytes(v.to_string().into_bytes()),
            "Value" => Value::from(v.to_string()),
            "Compare" => Value::int(compare()?),
            "LessThan" => Value::Bool(compare()? < 0),
            "LessThanEqual" => Value::Bool(compare()? <= 0),
            "GreaterThan" => Value::Bool(compare()? > 0),
            "GreaterThanEqual" => Value::Bool(compare()? >= 0),
            "Equal" => Value::Bool(other.is_some_and(|o| v.compare_int(o) == 0)),
            _ => {
                return Err(format!(
                    "can't call method {name} on type {}",
                    self.type_name()
                ))
            }
        })
    }

    fn format(&self) -> String {
        self.version.to_string()
    }

    /// `MarshalJSON` (on both the value and the pointer type): the
    /// version string.
    fn to_json_value(&self) -> Option<Result<Value, String>> {
        Some(Ok(Value::from(self.version.to_string())))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Registers `semver` and `semverCompare`.
pub fn register(set: &mut Templates) {
    set.add_func(
        "semver",
        Func::new([ParamType::String], |_ctx, args| {
            let v = Version::parse(args[0].as_str().unwrap_or_default())
                .map_err(|e| FuncError::msg(e.0))?;
            Ok(SemverValue::pointer(v))
        }),
    );
    set.add_func(
        "semverCompare",
        Func::new([ParamType::String, ParamType::String], |_ctx, args| {
            let c =
                Constraints::parse(args[0].as_str().unwrap_or_default()).map_err(FuncError::msg)?;
            let v = Version::parse(args[1].as_str().unwrap_or_default())
                .map_err(|e| FuncError::msg(e.0))?;
            Ok(Value::Bool(c.check(&v)))
        }),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str) -> Result<String, String> {
        let mut set = Templates::new();
        register(&mut set);
        set.parse("t", text).map_err(|e| e.to_string())?;
        set.execute("t", &Value::Nil).map_err(|e| e.to_string())
    }

    #[test]
    fn sprig_semver_vectors() {
        assert_eq!(
            render(r#"{{ semverCompare "^1.2.0" "1.2.3" }}"#).unwrap(),
            "true"
        );
        assert_eq!(
            render(r#"{{ semverCompare "^1.2.0" "2.2.3" }}"#).unwrap(),
            "false"
        );
        assert_eq!(
            render(r#"{{ semver "1.4.3" | (semver "1.2.3").Compare }}"#).unwrap(),
            "-1"
        );
        assert_eq!(
            render(r#"{{ $s := semver "1.2.3-beta.1+c0ff33" }}{{ $s.Prerelease }} {{ $s.Major }} {{ $s.Metadata }}"#)
                .unwrap(),
            "beta.1 1 c0ff33"
        );
        assert_eq!(
            render(r#"{{ semverCompare "1.2.0" "badVersion" }}"#).unwrap_err(),
            "template: t:1:3: executing \"t\" at <semverCompare \"1.2.0\" \"badVersion\">: \
             error calling semverCompare: invalid semantic version"
        );
        assert_eq!(
            render(r#"{{ semverCompare "badConstraint" "1.2.3" }}"#).unwrap_err(),
            "template: t:1:3: executing \"t\" at <semverCompare \"badConstraint\" \"1.2.3\">: \
             error calling semverCompare: improper constraint: \"badConstraint\""
        );
    }

    #[test]
    fn object_methods_and_types() {
        assert_eq!(render(r#"{{ semver "v1.2" }}"#).unwrap(), "1.2.0");
        assert_eq!(render(r#"{{ (semver "v1.2").Original }}"#).unwrap(), "v1.2");
        assert_eq!(
            render(r#"{{ printf "%T" (semver "1.2.3") }}"#).unwrap(),
            "*semver.Version"
        );
        assert_eq!(
            render(r#"{{ $v := (semver "v1.2.3").IncMinor }}{{ printf "%T" $v }} {{ $v }}"#)
                .unwrap(),
            "semver.Version 1.3.0"
        );
        assert_eq!(
            render(r#"{{ (semver "1.2.3").LessThan (semver "1.10.0") }}"#).unwrap(),
            "true"
        );
        assert_eq!(
            render(r#"{{ ((semver "1.2.3").SetPrerelease "rc.1").String }}"#).unwrap(),
            "1.2.3-rc.1"
        );
        assert!(render(r#"{{ (semver "1.2.3").IncPatch.Original }}"#)
            .unwrap_err()
            .contains("can't evaluate field Original in type semver.Version"));
        assert!(render(r#"{{ (semver "1.2.3").Compare nil }}"#)
            .unwrap_err()
            .ends_with("error calling Compare: runtime error: invalid memory address or nil pointer dereference"));
    }
}
