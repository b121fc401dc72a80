//! Sprig's `getHostByName` as Helm v3.21.4 installs it: unless DNS lookups
//! are enabled (`helm template --enable-dns`), Helm's engine replaces the
//! function with one that returns an empty string. Chartroom never performs
//! network lookups, so that is the only behaviour.

use crate::template::{Func, ParamType, Templates};
use crate::value::Value;

/// Registers `getHostByName` (Helm's no-DNS form: `func(string) string`).
pub fn register(set: &mut Templates) {
    set.add_func(
        "getHostByName",
        Func::new([ParamType::String], |_ctx, _args| Ok(Value::from(""))).infallible(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returns_empty_string_and_checks_its_argument() {
        let mut set = Templates::new();
        register(&mut set);
        set.parse("t", r#"[{{ getHostByName "helm.sh" }}]"#)
            .unwrap();
        assert_eq!(set.execute("t", &Value::Nil).unwrap(), "[]");
        set.parse("u", "{{ getHostByName 3 }}").unwrap();
        let err = set.execute("u", &Value::Nil).unwrap_err().to_string();
        assert!(err.ends_with("expected string; found 3"), "{err}");
    }
}
