//! Template functions: a Go-like signature plus a Rust implementation.
//!
//! Go's executor checks and converts every argument against the function's
//! parameter types (`evalArg`, `validateType` in `exec.go`): a number literal
//! passed to an `int` parameter becomes an `int`, `{{3 | oneArg}}` fails with
//! `wrong type for value; expected string; got int`, a missing value given to
//! a `string` parameter fails with `invalid value; expected string`. A
//! [`Func`] carries the parameter types ([`ParamType`]) so this executor can
//! do the same, and an implementation that receives the converted arguments
//! and a [`Context`] (the template set, nested execution for `include`/`tpl`,
//! per-execution state, the host's clock and randomness).
//!
//! ```
//! use chartroom::template::{Func, FuncError, ParamType, Templates};
//! use chartroom::Value;
//!
//! let mut set = Templates::new();
//! // Sprig's `repeat(count int, str string) string`.
//! set.add_func("repeat", Func::new([ParamType::INT, ParamType::String], |_ctx, args| {
//!     let n = match &args[0] { Value::Int(n, _) => *n, _ => 0 };
//!     let s = args[1].as_str().unwrap_or_default();
//!     if n < 0 { return Err(FuncError::msg("negative repeat count")); }
//!     Ok(Value::from(s.repeat(n as usize)))
//! }));
//! set.parse("t", r#"{{repeat 3 "ab"}}"#).unwrap();
//! assert_eq!(set.execute("t", &Value::Nil).unwrap(), "ababab");
//! ```

use std::any::{Any, TypeId};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use super::error::{Error, FuncError};
use super::exec::Shared;
use super::parse::{Pos, Tree};
use super::Templates;
use crate::value::{IntType, MapType, UintType, Value};

/// A Go parameter type, as far as argument checking needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamType {
    /// `interface{}`: any value; nil and missing values arrive as `Value::Nil`.
    Any,
    /// `reflect.Value`: any value, unconverted (Go's builtins `and`, `eq`,
    /// `index`… take these). For functions written in Rust it behaves like
    /// [`ParamType::Any`].
    Value,
    Bool,
    String,
    /// A signed integer type: number literals must be integers.
    Int(IntType),
    /// An unsigned integer type: number literals must be non-negative integers.
    Uint(UintType),
    Float64,
    Float32,
    /// `map[string]interface{}`; a nil map arrives as `Value::Nil`.
    Map,
    /// A named map type with `map[string]interface{}` underneath, such as
    /// Helm's `chartutil.Values`: accepts plain maps and maps of that type
    /// (Go's assignability), which the function receives as that type.
    NamedMap(&'static dyn MapType),
    /// A named integer type such as `time.Duration`: accepts values of
    /// exactly that type, and integer literals (converted, as Go's
    /// `evalInteger` does).
    NamedInt(&'static NamedInt),
    /// `[]interface{}`; a nil slice arrives as `Value::Nil`.
    List,
    /// `[]byte`; a nil slice arrives as `Value::Nil`.
    Bytes,
    /// A host object type by its `%T` name (`time.Time`, `*semver.Version`):
    /// accepts [`Value::Object`]s of that type (or the pointer/value
    /// counterpart). Names starting with `*` are pointers and accept nil.
    Object(&'static str),
}

impl ParamType {
    /// Go's `int`.
    pub const INT: ParamType = ParamType::Int(IntType::Int);
    /// Go's `int64`.
    pub const INT64: ParamType = ParamType::Int(IntType::Int64);
    /// Go's `uint32`.
    pub const UINT32: ParamType = ParamType::Uint(UintType::Uint32);

    /// The Go type name, as error messages print it.
    pub fn go_name(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            ParamType::Any => "interface {}",
            ParamType::Value => "reflect.Value",
            ParamType::Bool => "bool",
            ParamType::String => "string",
            ParamType::Int(t) => t.name(),
            ParamType::Uint(t) => t.name(),
            ParamType::Float64 => "float64",
            ParamType::Float32 => "float32",
            ParamType::Map => "map[string]interface {}",
            ParamType::NamedMap(t) => t.name(),
            ParamType::NamedInt(t) => t.name,
            ParamType::Object(name) => name,
            ParamType::List => "[]interface {}",
            ParamType::Bytes => "[]uint8",
        })
    }

    /// Go's `canBeNil`: whether an untyped nil converts to this type.
    pub fn can_be_nil(&self) -> bool {
        match self {
            ParamType::Any
            | ParamType::Value
            | ParamType::Map
            | ParamType::NamedMap(_)
            | ParamType::List
            | ParamType::Bytes => true,
            ParamType::Object(name) => name.starts_with('*'),
            _ => false,
        }
    }

    /// Whether a (non-nil, concrete) value of the data model can be passed
    /// for this parameter without conversion (Go's `AssignableTo`, plus the
    /// dereference step `validateType` allows).
    pub fn accepts(&self, v: &Value) -> bool {
        match (self, v) {
            (ParamType::Any | ParamType::Value, _) => true,
            (ParamType::Bool, Value::Bool(_)) => true,
            (ParamType::String, Value::String(_) | Value::ByteString(_)) => true,
            (ParamType::Int(t), Value::Int(_, u)) => t == u,
            (ParamType::Uint(t), Value::Uint(_, u)) => t == u,
            (ParamType::Float64, Value::Float(_)) => true,
            (ParamType::Float32, Value::Float32(_)) => true,
            (ParamType::Map, Value::Map(_)) => true,
            (ParamType::NamedMap(t), Value::Map(m)) => m.map_type().is_none_or(|u| *u == **t),
            (ParamType::NamedInt(t), Value::Object(o)) => o.type_name() == t.name,
            (ParamType::List, Value::List(_)) => true,
            (ParamType::Bytes, Value::Bytes(_)) => true,
            // A pointer is also dereferenced for its element type; taking
            // an address needs an addressable value, which results of calls
            // and map elements never are.
            (ParamType::Object(name), Value::Object(o)) => {
                let t = o.type_name();
                t == *name || t.strip_prefix('*') == Some(name)
            }
            _ => false,
        }
    }

    /// The value a parameter of this type receives for an accepted value:
    /// Go's assignment converts a named map to `map[string]interface{}`
    /// (and back) without copying.
    pub fn assign(&self, v: Value) -> Value {
        match (self, v) {
            (ParamType::Map, Value::Map(m)) if m.map_type().is_some() => Value::Map(m.plain()),
            (ParamType::NamedMap(t), Value::Map(m)) => Value::Map(m.named(*t)),
            (_, v) => v,
        }
    }
}

/// A named Go integer type (`time.Duration`, `time.Month`), for parameters
/// of that type: its name, its basic integer type, and how to make a value
/// of it from a number (for converted literals).
pub struct NamedInt {
    pub name: &'static str,
    pub int_type: IntType,
    pub make: fn(i64) -> Value,
}

impl NamedInt {
    /// The value of this type for the integer `i`.
    pub fn value(&self, i: i64) -> Value {
        (self.make)(i)
    }
}

impl fmt::Debug for NamedInt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// Named integer types are the same type when their names are.
impl PartialEq for NamedInt {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for NamedInt {}

/// What a Go function or method returns, as Go's `goodFunc` judges it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Returns {
    /// One result of any type (a lone `error` is a value to templates).
    One,
    /// `(T, error)`: a non-nil error stops execution.
    OneAndError,
    /// Two results whose second is not `error`: its Go type name. Templates
    /// cannot call such a method.
    SecondNotError(&'static str),
    /// Three or more results: templates cannot call such a method.
    Many(usize),
}

/// The Go signature of a host object's method (see
/// [`crate::value::Object::method`]): the executor checks and converts the
/// arguments against it exactly as for a [`Func`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Method {
    /// The fixed parameters.
    pub params: Vec<ParamType>,
    /// The element type of a final `...T` parameter.
    pub variadic: Option<ParamType>,
    pub returns: Returns,
}

impl Method {
    /// A method with fixed parameters returning one value.
    pub fn new(params: impl Into<Vec<ParamType>>) -> Method {
        Method {
            params: params.into(),
            variadic: None,
            returns: Returns::One,
        }
    }

    /// A method without parameters returning one value.
    pub fn getter() -> Method {
        Method::new([])
    }

    /// A method with fixed parameters followed by `...rest`.
    pub fn variadic(params: impl Into<Vec<ParamType>>, rest: ParamType) -> Method {
        Method {
            variadic: Some(rest),
            ..Method::new(params)
        }
    }

    /// Marks the method as returning `(T, error)`.
    pub fn fallible(self) -> Method {
        self.returning(Returns::OneAndError)
    }

    /// Sets what the method returns.
    pub fn returning(mut self, returns: Returns) -> Method {
        self.returns = returns;
        self
    }

    /// Go's `goodFunc`: whether templates can call the method.
    pub(crate) fn check_results(&self, name: &str) -> Result<(), String> {
        match &self.returns {
            Returns::One | Returns::OneAndError => Ok(()),
            Returns::SecondNotError(t) => Err(format!(
                "invalid function signature for {name}: second return value should be error; is {t}"
            )),
            Returns::Many(n) => Err(format!(
                "function {name} has {n} return values; should be 1 or 2"
            )),
        }
    }
}

impl fmt::Display for ParamType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.go_name())
    }
}

/// The Rust implementation of a template function.
pub type NativeFn = dyn Fn(&mut Context<'_>, Vec<Value>) -> Result<Value, FuncError>;

/// How a function is implemented.
#[derive(Clone)]
pub(crate) enum FuncImpl {
    /// One of Go's builtins, run by the executor on raw values.
    Builtin(super::funcs::Builtin),
    Native(Rc<NativeFn>),
}

/// A template function: its Go signature and its implementation.
#[derive(Clone)]
pub struct Func {
    /// The fixed parameters.
    pub params: Vec<ParamType>,
    /// The element type of a final `...T` parameter.
    pub variadic: Option<ParamType>,
    /// Whether the Go function returns `(T, error)`; informational (errors
    /// are always possible through the `Result`).
    pub can_fail: bool,
    pub(crate) imp: FuncImpl,
}

impl Func {
    /// A function with fixed parameters.
    pub fn new(
        params: impl Into<Vec<ParamType>>,
        f: impl Fn(&mut Context<'_>, Vec<Value>) -> Result<Value, FuncError> + 'static,
    ) -> Func {
        Func {
            params: params.into(),
            variadic: None,
            can_fail: true,
            imp: FuncImpl::Native(Rc::new(f)),
        }
    }

    /// A function with fixed parameters followed by `...rest`; the variadic
    /// arguments follow the fixed ones in the argument vector.
    pub fn variadic(
        params: impl Into<Vec<ParamType>>,
        rest: ParamType,
        f: impl Fn(&mut Context<'_>, Vec<Value>) -> Result<Value, FuncError> + 'static,
    ) -> Func {
        Func {
            variadic: Some(rest),
            ..Func::new(params, f)
        }
    }

    /// Marks the function as returning a single value (no `error`).
    pub fn infallible(mut self) -> Func {
        self.can_fail = false;
        self
    }

    pub(crate) fn builtin(
        params: Vec<ParamType>,
        variadic: Option<ParamType>,
        b: super::funcs::Builtin,
    ) -> Func {
        Func {
            params,
            variadic,
            can_fail: true,
            imp: FuncImpl::Builtin(b),
        }
    }
}

impl fmt::Debug for Func {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Func")
            .field("params", &self.params)
            .field("variadic", &self.variadic)
            .field("can_fail", &self.can_fail)
            .finish_non_exhaustive()
    }
}

/// The host services functions may need: randomness, the clock and the
/// environment.
pub trait Host {
    /// Fill `buf` with random bytes (cryptographically secure where the
    /// host can provide them).
    fn random_bytes(&self, buf: &mut [u8]);
    /// The current time as seconds and nanoseconds since the Unix epoch.
    fn now(&self) -> (i64, u32);
    /// An environment variable (Sprig's `env`/`expandenv`; Helm removes
    /// those functions, so renders never ask).
    fn env(&self, _name: &str) -> Option<String> {
        None
    }
}

/// The default host.
///
/// Natively: the operating system's secure random source and the system
/// clock. On `wasm32-unknown-unknown` there is neither without JavaScript,
/// so the core falls back to a generator seeded per process and a clock
/// that reads the epoch; the wasm package installs a host backed by the
/// browser's `crypto.getRandomValues` and `Date.now()` instead.
#[derive(Debug, Default)]
pub struct DefaultHost {
    counter: std::cell::Cell<u64>,
}

impl DefaultHost {
    /// A SplitMix64 stream keyed per process, for hosts without an OS source.
    fn fallback_bytes(&self, buf: &mut [u8]) {
        use std::hash::{BuildHasher, Hasher};
        let key = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        for chunk in buf.chunks_mut(8) {
            let n = self.counter.get().wrapping_add(0x9E37_79B9_7F4A_7C15);
            self.counter.set(n);
            let mut z = n ^ key;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            chunk.copy_from_slice(&z.to_le_bytes()[..chunk.len()]);
        }
    }
}

impl Host for DefaultHost {
    fn random_bytes(&self, buf: &mut [u8]) {
        #[cfg(not(target_arch = "wasm32"))]
        if getrandom::fill(buf).is_ok() {
            return;
        }
        self.fallback_bytes(buf);
    }

    fn now(&self) -> (i64, u32) {
        if cfg!(all(target_arch = "wasm32", target_os = "unknown")) {
            return (0, 0);
        }
        match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
            Err(e) => {
                let d = e.duration();
                (-(d.as_secs() as i64) - 1, 1_000_000_000 - d.subsec_nanos())
            }
        }
    }

    fn env(&self, name: &str) -> Option<String> {
        if cfg!(all(target_arch = "wasm32", target_os = "unknown")) {
            return None;
        }
        std::env::var(name).ok()
    }
}

/// Per-execution extension state: one value per Rust type, created on first
/// use and shared by nested executions (`include`, `tpl`) of one top-level
/// execution.
#[derive(Default)]
pub(crate) struct Extensions(BTreeMap<TypeId, Box<dyn Any>>);

impl Extensions {
    pub(crate) fn get<T: Any + Default>(&mut self) -> &mut T {
        let slot = self
            .0
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Box::new(T::default()));
        if !slot.is::<T>() {
            *slot = Box::new(T::default());
        }
        // The slot is keyed by T's type id and was just checked to hold a T.
        slot.downcast_mut::<T>()
            .expect("extension slot holds its type")
    }
}

/// What a function sees of the execution calling it.
pub struct Context<'c> {
    pub(crate) set: &'c Templates,
    pub(crate) shared: &'c mut Shared,
    pub(crate) depth: usize,
    pub(crate) template_name: &'c str,
    pub(crate) tree: &'c Tree,
    pub(crate) pos: Pos,
}

impl<'c> Context<'c> {
    /// The template set being executed (for `tpl`: clone it, parse into the
    /// clone, and run it with [`Context::execute_in`]).
    pub fn templates(&self) -> &Templates {
        self.set
    }

    /// The name of the template whose action called the function.
    pub fn template_name(&self) -> &str {
        self.template_name
    }

    /// The `{{template}}` nesting depth of the calling execution (Go's
    /// `state.depth`; a nested execution starts again at 0, as in Go).
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// How many nested executions (`include`, `tpl`) enclose the call.
    pub fn nesting(&self) -> usize {
        self.shared.nesting
    }

    /// `PARSE_NAME:LINE:COL` of the calling command, as Go prints locations.
    pub fn location(&self) -> String {
        let (line, col) = self.tree.location(self.pos);
        format!("{}:{}:{}", self.tree.parse_name, line, col)
    }

    /// The host's clock and randomness.
    pub fn host(&self) -> &dyn Host {
        &*self.shared.host
    }

    /// Per-execution state of type `T` (created with `T::default()` on first
    /// use), shared with nested executions.
    pub fn state<T: Any + Default>(&mut self) -> &mut T {
        self.shared.extensions.get::<T>()
    }

    /// Go's `ExecuteTemplate` on the set being executed: runs template
    /// `name` with `data` and returns its output, as the Go string of the
    /// bytes it wrote (a string that is not UTF-8 printed there keeps its
    /// bytes).
    pub fn execute_template(&mut self, name: &str, data: &Value) -> Result<Value, Error> {
        let set = self.set;
        self.execute_in(set, name, data)
    }

    /// Runs template `name` of another set (typically a clone of
    /// [`Context::templates`] with extra text parsed into it) as a nested
    /// execution sharing this execution's state, limits and host; its
    /// output as [`Context::execute_template`] gives it.
    pub fn execute_in(
        &mut self,
        set: &Templates,
        name: &str,
        data: &Value,
    ) -> Result<Value, Error> {
        super::exec::execute_nested(set, name, data, self.shared).map(|p| p.into_value())
    }
}
