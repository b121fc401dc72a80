//! Go's `complex128`, which templates get from complex number literals
//! (`{{1+2i}}`, `{{typeOf 1i}}`). The value model has no complex variant, so
//! it travels as a host [`Object`] that prints like Go's `%v` (`(1+2i)`).

use std::any::Any;
use std::rc::Rc;

use crate::value::{format_float, FloatFmt, Object, Value};

/// A Go `complex128`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Complex {
    pub re: f64,
    pub im: f64,
}

impl Complex {
    pub fn value(re: f64, im: f64) -> Value {
        Value::Object(Rc::new(Complex { re, im }))
    }

    /// The complex number a value holds, if it is one.
    pub fn from_value(v: &Value) -> Option<Complex> {
        match v {
            Value::Object(o) => o.as_any().downcast_ref::<Complex>().copied(),
            _ => None,
        }
    }
}

/// `%g` of one part, as Go's `fmtFloat(v, 64, 'g', -1)`.
fn part(f: f64) -> String {
    format_float(f, FloatFmt::General, None, 64)
}

impl Object for Complex {
    fn type_name(&self) -> String {
        "complex128".to_string()
    }

    fn field(&self, _name: &str) -> Option<Value> {
        None
    }

    fn format(&self) -> String {
        let im = part(self.im);
        let sign = if im.starts_with('+') || im.starts_with('-') {
            ""
        } else {
            "+"
        };
        format!("({}{sign}{im}i)", part(self.re))
    }

    fn truth(&self) -> bool {
        self.re != 0.0 || self.im != 0.0
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_like_go() {
        assert_eq!(Complex::value(1.0, 7.0).to_string(), "(1+7i)");
        assert_eq!(Complex::value(0.0, -1.5).to_string(), "(0-1.5i)");
        assert_eq!(Complex::value(0.0, 1.5).type_name(), "complex128");
        assert!(!Complex::value(0.0, 0.0).truth());
        assert_eq!(
            Complex::from_value(&Complex::value(2.0, 3.0)),
            Some(Complex { re: 2.0, im: 3.0 })
        );
    }
}
