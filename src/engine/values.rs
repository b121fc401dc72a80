//! Helm's `chartutil.Values` (`pkg/chartutil/values.go`, v3.21.4): the named
//! `map[string]interface{}` type of `.Values`, `.Template` and the render
//! data itself, with its methods `YAML`, `Table`, `AsMap` and `PathValue`
//! and their error texts (`"x" is not a table`, `"x" is not a value`).
//!
//! A `chartutil.Values` is a [`Map`] handle carrying [`VALUES`] as its
//! named map type, so it shares its entries with the plain map it was made
//! from: templates index, range and modify it like any map, `typeOf` prints
//! `chartutil.Values`, and functions taking a `map[string]interface{}`
//! receive it converted, as Go's assignment rules do.

use crate::template::strconv::quote;
use crate::template::{Method, ParamType};
use crate::value::{Map, MapType, Value};

/// The `chartutil.Values` type.
#[derive(Debug)]
pub struct ValuesType;

/// The `chartutil.Values` type, for [`Map::named`] and
/// [`ParamType::NamedMap`].
pub static VALUES: ValuesType = ValuesType;

/// `m` as a `chartutil.Values` (sharing its entries), for `.Values`,
/// `.Template` and the render data.
pub fn chartutil_values(map: Map) -> Value {
    Value::Map(map.named(&VALUES))
}

/// `chartutil.ErrNoTable`'s text.
fn no_table(key: &str) -> String {
    format!("{} is not a table", quote(key))
}

/// `chartutil.ErrNoValue`'s text.
fn no_value(key: &str) -> String {
    format!("{} is not a value", quote(key))
}

/// `istable`: only a plain `map[string]interface{}` is a table.
fn is_table(v: &Value) -> bool {
    matches!(v, Value::Map(m) if m.map_type().is_none())
}

/// `tableLookup`: the map under `key`, whether plain or `Values`.
fn table_lookup(map: &Map, key: &str) -> Result<Map, String> {
    match map.get(key) {
        Some(Value::Map(m)) => Ok(m),
        _ => Err(no_table(key)),
    }
}

/// `Values.Table`: the table at a dotted path (`"a.b"`), as `Values`.
pub fn table(map: &Map, name: &str) -> Result<Map, String> {
    let mut table = map.clone();
    for key in name.split('.') {
        table = table_lookup(&table, key)?;
    }
    Ok(table.named(&VALUES))
}

/// `Values.PathValue`: the non-table value at a dotted path.
pub fn path_value(map: &Map, path: &str) -> Result<Value, String> {
    if path.is_empty() {
        return Err("YAML path cannot be empty".to_string());
    }
    let (table_path, key) = match path.rsplit_once('.') {
        Some((table_path, key)) => (Some(table_path), key),
        None => (None, path),
    };
    let table = match table_path {
        None => map.clone(),
        Some(p) => table(map, p).map_err(|_| no_value(key))?,
    };
    match table.get(key) {
        Some(v) if !is_table(&v) => Ok(v),
        _ => Err(no_value(key)),
    }
}

impl MapType for ValuesType {
    fn name(&self) -> &'static str {
        "chartutil.Values"
    }

    fn method(&self, name: &str) -> Option<Method> {
        match name {
            "YAML" => Some(Method::getter().fallible()),
            "Table" | "PathValue" => Some(Method::new([ParamType::String]).fallible()),
            "AsMap" => Some(Method::getter()),
            _ => None,
        }
    }

    fn call_method(&self, map: &Map, name: &str, args: &[Value]) -> Result<Value, String> {
        let arg = args.first().and_then(Value::as_str).unwrap_or_default();
        match name {
            "YAML" => crate::yaml::to_yaml(&Value::Map(map.clone()))
                .map(Value::from)
                .map_err(|e| e.to_string()),
            "Table" => table(map, arg).map(Value::Map),
            "PathValue" => path_value(map, arg),
            // A nil or empty map becomes a new empty one.
            "AsMap" if map.is_empty() => Ok(Value::Map(Map::new())),
            "AsMap" => Ok(Value::Map(map.plain())),
            _ => Err(format!("can't call method {name} on type chartutil.Values")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Templates;

    fn values() -> Value {
        let c = Map::new();
        c.insert("d", Value::from("deep"));
        let b = Map::new();
        b.insert("c", Value::Map(c));
        b.insert("num", Value::int(1));
        let top = Map::new();
        top.insert("b", Value::Map(b));
        top.insert("name", Value::from("x"));
        top.insert("nothing", Value::Nil);
        chartutil_values(top)
    }

    fn render(text: &str) -> Result<String, String> {
        let data = Map::new();
        data.insert("Values", values());
        let mut set = Templates::new();
        crate::funcs::register_helm(&mut set);
        set.parse("t", text).map_err(|e| e.to_string())?;
        set.execute("t", &chartutil_values(data))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn types_as_go_sees_them() {
        assert_eq!(
            render("{{ typeOf .Values }} {{ kindOf .Values }} {{ typeOf . }}").unwrap(),
            "chartutil.Values map chartutil.Values"
        );
        assert_eq!(
            render("{{ typeOf .Values.AsMap }} {{ typeOf .Values.b }} {{ printf \"%T\" (.Values.Table \"b\") }}")
                .unwrap(),
            "map[string]interface {} map[string]interface {} chartutil.Values"
        );
        // A function taking map[string]interface{} receives (and returns)
        // the plain type; the entries are shared.
        assert_eq!(
            render("{{ typeOf (set .Values \"k\" 1) }} {{ .Values.k }}").unwrap(),
            "map[string]interface {} 1"
        );
        assert_eq!(
            render("{{ printf \"%#v\" .Values.b.c }}").unwrap(),
            "map[string]interface {}{\"d\":\"deep\"}"
        );
    }

    #[test]
    fn behaves_as_the_map_it_is() {
        assert_eq!(
            render("{{ .Values.name }} {{ len .Values }} {{ index .Values \"name\" }} {{ hasKey .Values \"b\" }} {{ get .Values \"name\" }}")
                .unwrap(),
            "x 3 x true x"
        );
        assert_eq!(
            render("{{ range $k, $v := .Values }}{{ $k }},{{ end }}").unwrap(),
            "b,name,nothing,"
        );
        assert_eq!(
            render("{{ .Values.b | toYaml }}").unwrap(),
            "c:\n  d: deep\nnum: 1"
        );
        assert_eq!(render("{{ .Values.AsMap.name }}").unwrap(), "x");
    }

    #[test]
    fn methods() {
        assert_eq!(render("{{ (.Values.Table \"b.c\").d }}").unwrap(), "deep");
        assert_eq!(
            render("{{ .Values.Table \"b\" | toYaml }}").unwrap(),
            "c:\n  d: deep\nnum: 1"
        );
        assert_eq!(render("{{ .Values.PathValue \"b.num\" }}").unwrap(), "1");
        assert_eq!(render("{{ .Values.PathValue \"name\" }}").unwrap(), "x");
        assert_eq!(
            render("{{ (.Values.Table \"b\").YAML }}").unwrap(),
            "c:\n  d: deep\nnum: 1\n"
        );
        assert_eq!(
            render("{{ .Values.Table \"b.x\" }}").unwrap_err(),
            "template: t:1:10: executing \"t\" at <.Values.Table>: error calling Table: \"x\" is not a table"
        );
        assert_eq!(
            render("{{ .Values.Table \"name\" }}").unwrap_err(),
            "template: t:1:10: executing \"t\" at <.Values.Table>: error calling Table: \"name\" is not a table"
        );
        assert_eq!(
            render("{{ .Values.PathValue \"b.c\" }}").unwrap_err(),
            "template: t:1:10: executing \"t\" at <.Values.PathValue>: error calling PathValue: \"c\" is not a value"
        );
        assert_eq!(
            render("{{ .Values.PathValue \"x.y\" }}").unwrap_err(),
            "template: t:1:10: executing \"t\" at <.Values.PathValue>: error calling PathValue: \"y\" is not a value"
        );
        assert_eq!(
            render("{{ .Values.PathValue \"\" }}").unwrap_err(),
            "template: t:1:10: executing \"t\" at <.Values.PathValue>: error calling PathValue: YAML path cannot be empty"
        );
        // Argument checking is Go's, without the `error calling` prefix.
        assert_eq!(
            render("{{ .Values.Table }}").unwrap_err(),
            "template: t:1:10: executing \"t\" at <.Values.Table>: wrong number of args for Table: want 1 got 0"
        );
        assert_eq!(
            render("{{ .Values.Table 1 }}").unwrap_err(),
            "template: t:1:17: executing \"t\" at <1>: expected string; found 1"
        );
        assert_eq!(
            render("{{ .Values.AsMap 1 }}").unwrap_err(),
            "template: t:1:10: executing \"t\" at <.Values.AsMap>: wrong number of args for AsMap: want 0 got 1"
        );
    }

    #[test]
    fn empty_values_as_map_is_a_new_map() {
        let empty = Map::new();
        let v = chartutil_values(empty.clone());
        let Value::Map(m) = &v else { panic!("a map") };
        let ty = m.map_type().expect("named");
        let Ok(Value::Map(as_map)) = ty.call_method(m, "AsMap", &[]) else {
            panic!("AsMap gives a map")
        };
        assert!(!as_map.ptr_eq(&empty));
        assert!(as_map.map_type().is_none());
    }
}
