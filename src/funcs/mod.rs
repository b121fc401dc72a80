//! The function library Helm v3.21.4 registers: Sprig v3.3.0's text
//! functions (minus `env` and `expandenv`) and Helm's own. Each family lives
//! in its own module and registers itself into a [`Templates`] set.

pub mod cast;
pub mod crypto;
pub mod date;
pub mod defaults;
pub mod dicts;
pub mod encoding;
pub mod env;
pub mod gotime;
pub mod helm;
pub mod json;
pub mod lists;
pub mod network;
pub mod numeric;
pub mod paths;
pub mod reflect;
pub mod regex;
pub mod semver;
pub mod strings;
pub mod url;

use crate::template::Templates;

/// Registers every Sprig function Helm keeps.
pub fn register_sprig(set: &mut Templates) {
    lists::register(set);
    date::register(set);
    dicts::register(set);
    defaults::register(set);
    reflect::register(set);
    regex::register(set);
    url::register(set);
    paths::register(set);
    network::register(set);
    semver::register(set);
    strings::register(set);
    numeric::register(set);
    encoding::register(set);
    json::register(set);
    crypto::register(set);
}

/// Sprig's whole text function map (`sprig.TxtFuncMap()`): what Helm keeps
/// plus `env` and `expandenv`.
pub fn register_sprig_all(set: &mut Templates) {
    register_sprig(set);
    env::register(set);
}

/// Helm's function map (`engine.funcMap()`): Sprig without `env` and
/// `expandenv`, plus Helm's YAML/JSON/TOML functions and the placeholders of
/// `include`, `tpl`, `required` and `lookup` that a render replaces.
pub fn register_helm(set: &mut Templates) {
    register_sprig(set);
    helm::register(set);
}
