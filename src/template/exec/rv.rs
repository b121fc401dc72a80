//! The executor's view of a value: Go's `reflect.Value` as `text/template`
//! handles it.
//!
//! Go distinguishes three states that a plain [`Value`] cannot: the invalid
//! `reflect.Value` (a missing map key, nil data), a value held in an
//! `interface{}` slot (a map element or list element, which may be a nil
//! interface), and a concrete value. The distinction shows in error texts
//! (`nil pointer evaluating interface {}.x`, `can't evaluate field x in type
//! interface {}`, `wrong type for value; expected string; got interface {}`)
//! and in `len` of a nil element (`len of nil pointer`). Pipelines drop it:
//! their results are unwrapped from interfaces, as Go's `evalPipeline` does.

use crate::value::Value;

#[derive(Clone, Debug)]
pub(crate) enum Rv {
    /// No value (Go's zero `reflect.Value`).
    Invalid,
    /// A concrete value (never `Value::Nil`).
    Val(Value),
    /// A value in an `interface{}` slot; `Value::Nil` is a nil interface.
    Iface(Value),
}

impl Rv {
    /// A value handed to the executor from outside (data, function results):
    /// nil becomes the invalid value, as `reflect.ValueOf(nil)` does.
    pub(crate) fn of(v: Value) -> Rv {
        match v {
            Value::Nil => Rv::Invalid,
            v => Rv::Val(v),
        }
    }

    /// An element of a map or list of `interface{}`.
    pub(crate) fn elem(v: Value) -> Rv {
        Rv::Iface(v)
    }

    /// Go's `indirectInterface`: the concrete value, or `None` for the
    /// invalid value and nil interfaces.
    pub(crate) fn concrete(&self) -> Option<&Value> {
        match self {
            Rv::Invalid | Rv::Iface(Value::Nil) => None,
            Rv::Val(v) | Rv::Iface(v) => Some(v),
        }
    }

    /// The concrete value after unwrapping interfaces (what `evalPipeline`
    /// leaves).
    pub(crate) fn unwrapped(self) -> Rv {
        match self {
            Rv::Iface(v) => Rv::of(v),
            other => other,
        }
    }

    /// The plain value a Rust function receives (nil for no value).
    pub(crate) fn into_value(self) -> Value {
        match self {
            Rv::Invalid => Value::Nil,
            Rv::Val(v) | Rv::Iface(v) => v,
        }
    }

    /// The static Go type name of the value (`interface {}` for values in
    /// interface slots).
    pub(crate) fn type_name(&self) -> String {
        match self {
            Rv::Invalid => "<invalid reflect.Value>".to_string(),
            Rv::Iface(_) => "interface {}".to_string(),
            Rv::Val(v) => v.type_name(),
        }
    }

    /// Go's `isTrue(indirectInterface(v))` (every kind we model has a truth
    /// value).
    pub(crate) fn truth(&self) -> bool {
        self.concrete().is_some_and(|v| v.truth())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interface_slots_unwrap() {
        assert!(matches!(Rv::elem(Value::Nil).unwrapped(), Rv::Invalid));
        assert!(matches!(
            Rv::elem(Value::int(1)).unwrapped(),
            Rv::Val(Value::Int(1, _))
        ));
        assert_eq!(Rv::elem(Value::int(1)).type_name(), "interface {}");
        assert_eq!(Rv::of(Value::int(1)).type_name(), "int");
        assert!(!Rv::elem(Value::Nil).truth());
        assert!(Rv::elem(Value::from("x")).truth());
    }
}
