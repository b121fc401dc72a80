//! The dynamic values a template sees, modelled on Go's `reflect` kinds as
//! `text/template` observes them through `interface{}`.
//!
//! Helm hands templates `map[string]interface{}` trees decoded from YAML and
//! JSON (numbers become `float64`), `--set` values (`int64`), and Go structs
//! with methods (`.Files`, `.Capabilities`). Go's rules depend on the dynamic
//! type, not just the numeric value: `int` and `int64` print alike but have
//! different type names, `eq 3 3.0` is an error, and a `[]byte` prints as a
//! list of numbers under `%v`. [`Value`] keeps exactly that information.
//!
//! Maps are shared and mutable, like Go maps: Sprig's `set`, `unset` and
//! `merge` change the map every holder sees. Lists are immutable and shared;
//! functions that "change" a list build a new one, as Sprig does.

mod print;

pub use print::{format_float, FloatFmt};

use std::any::Any;
use std::cell::{Ref, RefCell, RefMut};
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use crate::template::function::Method;

/// Go's sized signed integer types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IntType {
    Int,
    Int8,
    Int16,
    Int32,
    Int64,
}

/// Go's sized unsigned integer types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UintType {
    Uint,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
    Uintptr,
}

impl IntType {
    /// The Go type name, as `%T` prints it.
    pub fn name(self) -> &'static str {
        match self {
            IntType::Int => "int",
            IntType::Int8 => "int8",
            IntType::Int16 => "int16",
            IntType::Int32 => "int32",
            IntType::Int64 => "int64",
        }
    }

    /// Size in bits (Go's `int` is 64-bit on every platform Helm ships for).
    pub fn bits(self) -> u32 {
        match self {
            IntType::Int8 => 8,
            IntType::Int16 => 16,
            IntType::Int32 => 32,
            IntType::Int | IntType::Int64 => 64,
        }
    }
}

impl UintType {
    /// The Go type name, as `%T` prints it.
    pub fn name(self) -> &'static str {
        match self {
            UintType::Uint => "uint",
            UintType::Uint8 => "uint8",
            UintType::Uint16 => "uint16",
            UintType::Uint32 => "uint32",
            UintType::Uint64 => "uint64",
            UintType::Uintptr => "uintptr",
        }
    }

    /// Size in bits.
    pub fn bits(self) -> u32 {
        match self {
            UintType::Uint8 => 8,
            UintType::Uint16 => 16,
            UintType::Uint32 => 32,
            UintType::Uint | UintType::Uint64 | UintType::Uintptr => 64,
        }
    }
}

/// Go's `reflect.Kind`, as far as templates can observe it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// No value at all: a nil interface (`reflect.Invalid`).
    Invalid,
    Bool,
    Int,
    Int8,
    Int16,
    Int32,
    Int64,
    Uint,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
    Uintptr,
    Float32,
    Float64,
    String,
    Slice,
    Map,
    Struct,
    Ptr,
    Func,
}

impl Kind {
    /// The name Go's `reflect.Kind.String()` gives, used in error messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Invalid => "invalid",
            Kind::Bool => "bool",
            Kind::Int => "int",
            Kind::Int8 => "int8",
            Kind::Int16 => "int16",
            Kind::Int32 => "int32",
            Kind::Int64 => "int64",
            Kind::Uint => "uint",
            Kind::Uint8 => "uint8",
            Kind::Uint16 => "uint16",
            Kind::Uint32 => "uint32",
            Kind::Uint64 => "uint64",
            Kind::Uintptr => "uintptr",
            Kind::Float32 => "float32",
            Kind::Float64 => "float64",
            Kind::String => "string",
            Kind::Slice => "slice",
            Kind::Map => "map",
            Kind::Struct => "struct",
            Kind::Ptr => "ptr",
            Kind::Func => "func",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A Go map with string keys (`map[string]interface{}`), shared and mutable
/// like a Go map, iterated in sorted key order as templates and `fmt` do.
///
/// A handle may carry a named map type ([`MapType`], e.g. Helm's
/// `chartutil.Values`): the same entries seen through a type with its own
/// name and methods, as Go converts between a named map type and
/// `map[string]interface{}` without copying.
#[derive(Clone, Default)]
pub struct Map {
    entries: Rc<RefCell<BTreeMap<String, Value>>>,
    map_type: Option<&'static dyn MapType>,
}

impl Map {
    pub fn new() -> Self {
        Map::default()
    }

    pub fn from_btree(map: BTreeMap<String, Value>) -> Self {
        Map {
            entries: Rc::new(RefCell::new(map)),
            map_type: None,
        }
    }

    /// The same map seen as the named map type `map_type` (Go's conversion
    /// `Values(m)`: no copy, every holder sees the same entries).
    pub fn named(&self, map_type: &'static dyn MapType) -> Map {
        Map {
            entries: Rc::clone(&self.entries),
            map_type: Some(map_type),
        }
    }

    /// The same map as a plain `map[string]interface{}` (what a function
    /// taking that type receives when passed a named map).
    pub fn plain(&self) -> Map {
        Map {
            entries: Rc::clone(&self.entries),
            map_type: None,
        }
    }

    /// The named map type of this handle, if any.
    pub fn map_type(&self) -> Option<&'static dyn MapType> {
        self.map_type
    }

    /// The Go type name, as `%T` prints it.
    pub fn type_name(&self) -> &'static str {
        self.map_type.map_or(PLAIN_MAP_TYPE, |t| t.name())
    }

    /// Borrow the entries for reading.
    pub fn borrow(&self) -> Ref<'_, BTreeMap<String, Value>> {
        self.entries.borrow()
    }

    /// Borrow the entries for writing; every holder of this map sees the change.
    pub fn borrow_mut(&self) -> RefMut<'_, BTreeMap<String, Value>> {
        self.entries.borrow_mut()
    }

    pub fn get(&self, key: &str) -> Option<Value> {
        self.entries.borrow().get(key).cloned()
    }

    pub fn insert(&self, key: impl Into<String>, value: Value) -> Option<Value> {
        self.entries.borrow_mut().insert(key.into(), value)
    }

    pub fn remove(&self, key: &str) -> Option<Value> {
        self.entries.borrow_mut().remove(key)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.entries.borrow().contains_key(key)
    }

    pub fn len(&self) -> usize {
        self.entries.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.borrow().is_empty()
    }

    /// The keys in sorted order.
    pub fn keys(&self) -> Vec<String> {
        self.entries.borrow().keys().cloned().collect()
    }

    /// A snapshot of the entries in sorted order.
    pub fn entries(&self) -> Vec<(String, Value)> {
        self.entries
            .borrow()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// Whether both handles name the same Go map (whatever their types).
    pub fn ptr_eq(&self, other: &Map) -> bool {
        Rc::ptr_eq(&self.entries, &other.entries)
    }

    /// A new map with the same entries and type (a shallow copy, as Go's
    /// `maps.Clone`).
    pub fn shallow_clone(&self) -> Map {
        Map {
            map_type: self.map_type,
            ..Map::from_btree(self.entries.borrow().clone())
        }
    }

    /// A new map of the same type in which every nested map is copied too
    /// (lists are immutable and may be shared).
    pub fn deep_clone(&self) -> Map {
        let copied = self
            .entries
            .borrow()
            .iter()
            .map(|(k, v)| (k.clone(), v.deep_clone()))
            .collect();
        Map {
            map_type: self.map_type,
            ..Map::from_btree(copied)
        }
    }
}

/// The type name of a plain map.
const PLAIN_MAP_TYPE: &str = "map[string]interface {}";

/// A named Go map type with `map[string]interface{}` underneath (Helm's
/// `chartutil.Values`): its name and its methods. Values of the type are
/// [`Map`] handles carrying it ([`Map::named`]).
pub trait MapType: fmt::Debug + Sync {
    /// The Go type name, as `%T` prints it.
    fn name(&self) -> &'static str;

    /// The signature of the method `name`, or `None` if there is no such
    /// method (see [`Object::method`]).
    fn method(&self, _name: &str) -> Option<Method> {
        None
    }

    /// Calls the method `name` on `map` (see [`Object::call_method`]).
    fn call_method(&self, _map: &Map, name: &str, _args: &[Value]) -> Result<Value, String> {
        Err(format!("can't call method {name} on type {}", self.name()))
    }
}

/// Named map types are the same type when their names are.
impl PartialEq for dyn MapType {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}

impl Eq for dyn MapType {}

impl fmt::Debug for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(t) = self.map_type {
            write!(f, "{}", t.name())?;
        }
        f.debug_map().entries(self.entries.borrow().iter()).finish()
    }
}

impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        Map::from_btree(iter.into_iter().collect())
    }
}

/// A host object: a Go struct or pointer with fields and methods, such as
/// Helm's `.Files`, `.Capabilities` or `.Release`.
pub trait Object: fmt::Debug {
    /// The Go type as `%T` prints it, e.g. `chart.Metadata` or `*engine.files`.
    fn type_name(&self) -> String;

    /// The Go kind: `Struct` for plain structs, `Ptr` for pointers to them,
    /// `Map` for named map types.
    fn kind(&self) -> Kind {
        Kind::Struct
    }

    /// A field by name; `None` means there is no such field. (Methods,
    /// even those without arguments, are declared with [`Object::method`].)
    fn field(&self, name: &str) -> Option<Value>;

    /// The Go signature of the method `name` in the object's method set,
    /// or `None` if it has no such method. As in Go, a method is found
    /// before a field or map key of the same name; the executor checks and
    /// converts the arguments against the signature exactly as for a
    /// function (`wrong number of args for Get: want 1 got 2`, `wrong type
    /// for value; expected string; got int`, number literals converted to
    /// the parameter type) and calls a method without parameters for a
    /// plain `.Obj.Method`.
    fn method(&self, _name: &str) -> Option<Method> {
        None
    }

    /// Calls the method `name` (declared by [`Object::method`]) with the
    /// arguments already checked and converted to its parameter types (nil
    /// for nil pointers, maps and slices). An error is the method's own
    /// returned error, or the text of the panic Go would recover; the
    /// executor reports it as `error calling NAME: ...`.
    fn call_method(&self, name: &str, _args: &[Value]) -> Result<Value, String> {
        Err(format!(
            "can't call method {name} on type {}",
            self.type_name()
        ))
    }

    /// For objects of a named integer type (`time.Month`, `time.Duration`):
    /// the number and its basic integer type. Comparisons, truthiness,
    /// `printf`'s integer verbs and the casts Sprig applies use the number,
    /// while `%v` and `%s` print [`Object::format`] (the `String()` result).
    fn int_value(&self) -> Option<(i64, IntType)> {
        None
    }

    /// Go's `%v` rendering of the object as a template prints a field it
    /// reached through a pointer (addressable, so a `String` method with a
    /// pointer receiver applies).
    fn format(&self) -> String;

    /// Go's `%v` rendering of the object held in an interface (a function
    /// argument, an element of a list or map): not addressable, so a
    /// `String` method with a pointer receiver does not apply. The same as
    /// [`Object::format`] unless the type has such a method.
    fn format_in_interface(&self) -> String {
        self.format()
    }

    /// For objects of a named map type (Helm's `.Files`, a
    /// `map[string][]byte`): the entries in key order, so that `range`,
    /// `len`, `index` and field lookups treat the object as the map it is.
    fn map_entries(&self) -> Option<Vec<(String, Value)>> {
        None
    }

    /// For objects of a named slice type (Helm's `.Capabilities.APIVersions`,
    /// a `[]string`): the elements, so that `range`, `len`, `index` and
    /// Sprig's list functions treat the object as the list it is.
    fn list_items(&self) -> Option<Vec<Value>> {
        None
    }

    /// For objects of a Go struct type: the exported fields in declaration
    /// order, as reflection sees them, so that encoders (`encoding/json`,
    /// BurntSushi/toml, go-yaml v3) can walk the struct as Go's do.
    fn go_fields(&self) -> Option<Vec<GoField>> {
        None
    }

    /// What Go's `encoding/json` encodes in place of the object when the
    /// type has its own JSON form: a `MarshalJSON` result (`time.Time`'s
    /// RFC 3339 string, `*semver.Version`'s string) or the underlying value
    /// of a named basic type (`time.Duration` as its `int64` nanoseconds).
    /// `Err` holds `json.Marshal`'s full error text. `None` means the object
    /// is encoded from [`Object::go_fields`], [`Object::map_entries`] or
    /// [`Object::list_items`].
    fn to_json_value(&self) -> Option<Result<Value, String>> {
        None
    }

    /// Go truthiness of the object: structs are always true, named
    /// integers are true unless zero.
    fn truth(&self) -> bool {
        self.int_value().is_none_or(|(i, _)| i != 0)
    }

    /// For downcasting to the concrete type (time values, for example).
    fn as_any(&self) -> &dyn Any;
}

/// One exported field of a Go struct, as `reflect` sees it.
#[derive(Clone, Debug)]
pub struct GoField {
    /// The Go field name (`APIVersion`).
    pub name: &'static str,
    /// The raw struct tag (`json:"apiVersion,omitempty"`), or "".
    pub tag: &'static str,
    /// An embedded (anonymous) field, whose fields Go may promote.
    pub embedded: bool,
    /// A nil slice or map (Go's zero value): `null` in JSON, left out by
    /// BurntSushi/toml; [`GoField::value`] is then an empty list or map.
    pub nil: bool,
    pub value: Value,
}

impl GoField {
    /// A named field.
    pub fn new(name: &'static str, tag: &'static str, value: Value) -> GoField {
        GoField {
            name,
            tag,
            embedded: false,
            nil: false,
            value,
        }
    }

    /// An embedded struct field (`struct { chart.Metadata; ... }`).
    pub fn embedded(name: &'static str, value: Value) -> GoField {
        GoField {
            embedded: true,
            ..GoField::new(name, "", value)
        }
    }

    /// Marks a slice or map field that Go holds as nil when it is empty.
    pub fn nil_if_empty(mut self) -> GoField {
        self.nil = match &self.value {
            Value::List(l) => l.is_empty(),
            Value::Map(m) => m.is_empty(),
            Value::Nil => true,
            _ => false,
        };
        self
    }

    /// The value of `key` in the struct tag, as `reflect.StructTag.Get`.
    pub fn tag_value(&self, key: &str) -> Option<&'static str> {
        struct_tag_lookup(self.tag, key)
    }
}

/// Go's `reflect.StructTag.Lookup`: `key:"value"` pairs separated by spaces.
pub fn struct_tag_lookup(tag: &'static str, key: &str) -> Option<&'static str> {
    let mut rest = tag;
    loop {
        rest = rest.trim_start_matches(' ');
        if rest.is_empty() {
            return None;
        }
        let name_len = rest
            .bytes()
            .take_while(|&b| b > b' ' && b != b':' && b != b'"' && b != 0x7f)
            .count();
        if name_len == 0 || rest.as_bytes().get(name_len) != Some(&b':') {
            return None;
        }
        if rest.as_bytes().get(name_len + 1) != Some(&b'"') {
            return None;
        }
        let name = &rest[..name_len];
        let body = &rest[name_len + 2..];
        let mut end = None;
        let bytes = body.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 2,
                b'"' => {
                    end = Some(i);
                    break;
                }
                _ => i += 1,
            }
        }
        let end = end?;
        if name == key {
            // Struct tags in this crate never use escapes inside values.
            return Some(&body[..end]);
        }
        rest = &body[end + 1..];
    }
}

/// The bytes of a `[]byte` value: its own, or a chart file's, shared
/// when a template takes `.Files` entries as values (a `range` over
/// `.Files.Glob` copies nothing).
#[derive(Clone)]
pub struct Bytes(BytesSource);

#[derive(Clone)]
enum BytesSource {
    Own(Rc<[u8]>),
    File(crate::shared_bytes::SharedBytes),
}

impl Bytes {
    /// Shares a chart file's bytes (`chart::FileData`).
    pub fn of_file(data: &crate::shared_bytes::SharedBytes) -> Bytes {
        Bytes(BytesSource::File(data.clone()))
    }
}

impl std::ops::Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match &self.0 {
            BytesSource::Own(bytes) => bytes,
            BytesSource::File(data) => data,
        }
    }
}

impl PartialEq for Bytes {
    fn eq(&self, other: &Bytes) -> bool {
        **self == **other
    }
}

impl Eq for Bytes {}

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

impl From<&[u8]> for Bytes {
    fn from(bytes: &[u8]) -> Bytes {
        Bytes(BytesSource::Own(bytes.into()))
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(bytes: Vec<u8>) -> Bytes {
        Bytes(BytesSource::Own(bytes.into()))
    }
}

/// A Go string that is not valid UTF-8. Go strings hold any bytes; this
/// crate's hold text. Functions that work on a string's bytes (`len`,
/// `printf`'s `%s` and `%x`, `b64enc`, `sha256sum`, comparisons) see the
/// bytes; everything that works on text sees them decoded as Go's `range`
/// over a string decodes them, each byte that is not part of a valid UTF-8
/// sequence as U+FFFD.
pub struct ByteString {
    bytes: Bytes,
    text: Rc<str>,
}

impl ByteString {
    /// The string's bytes, as Go holds them.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The string as text, invalid bytes as U+FFFD.
    pub fn text(&self) -> &Rc<str> {
        &self.text
    }
}

impl std::fmt::Debug for ByteString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ByteString({:?})", &*self.bytes)
    }
}

/// Go's decoding of a string's bytes into text (`for _, r := range s`):
/// each byte that is not part of a valid UTF-8 sequence becomes U+FFFD.
pub fn go_text(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for _ in chunk.invalid() {
            out.push(char::REPLACEMENT_CHARACTER);
        }
    }
    out
}

/// A dynamic template value.
#[derive(Clone, Debug, Default)]
pub enum Value {
    /// Go's untyped nil (an empty `interface{}`); prints `<nil>`.
    #[default]
    Nil,
    Bool(bool),
    Int(i64, IntType),
    Uint(u64, UintType),
    Float(f64),
    Float32(f32),
    String(Rc<str>),
    /// A Go string whose bytes are not UTF-8 (a binary file's `.Files.Get`,
    /// `b64dec` of binary data): see [`ByteString`].
    ByteString(Rc<ByteString>),
    Bytes(Bytes),
    List(Rc<Vec<Value>>),
    Map(Map),
    Object(Rc<dyn Object>),
}

impl Value {
    /// A Go `int`.
    pub fn int(i: i64) -> Value {
        Value::Int(i, IntType::Int)
    }

    /// A Go `int64`.
    pub fn int64(i: i64) -> Value {
        Value::Int(i, IntType::Int64)
    }

    pub fn string(s: impl Into<Rc<str>>) -> Value {
        Value::String(s.into())
    }

    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(items))
    }

    pub fn bytes(b: impl Into<Bytes>) -> Value {
        Value::Bytes(b.into())
    }

    /// A Go string of these bytes (`string(b)`): a [`Value::String`] when
    /// they are UTF-8 (the text copied once), else a [`Value::ByteString`]
    /// holding them (a chart file's shared, not copied).
    pub fn go_string<B: AsRef<[u8]> + Into<Bytes>>(bytes: B) -> Value {
        match std::str::from_utf8(bytes.as_ref()) {
            Ok(text) => Value::string(text),
            Err(_) => Value::byte_string(bytes.into()),
        }
    }

    /// [`Value::go_string`] of bytes the caller owns: text is moved, not
    /// checked twice.
    pub fn go_string_from_vec(bytes: Vec<u8>) -> Value {
        match String::from_utf8(bytes) {
            Ok(text) => Value::from(text),
            Err(e) => Value::byte_string(e.into_bytes().into()),
        }
    }

    fn byte_string(bytes: Bytes) -> Value {
        let text = go_text(&bytes).into();
        Value::ByteString(Rc::new(ByteString { bytes, text }))
    }

    pub fn map(map: Map) -> Value {
        Value::Map(map)
    }

    pub fn object(obj: impl Object + 'static) -> Value {
        Value::Object(Rc::new(obj))
    }

    /// The Go kind of the dynamic value.
    pub fn kind(&self) -> Kind {
        match self {
            Value::Nil => Kind::Invalid,
            Value::Bool(_) => Kind::Bool,
            Value::Int(_, t) => match t {
                IntType::Int => Kind::Int,
                IntType::Int8 => Kind::Int8,
                IntType::Int16 => Kind::Int16,
                IntType::Int32 => Kind::Int32,
                IntType::Int64 => Kind::Int64,
            },
            Value::Uint(_, t) => match t {
                UintType::Uint => Kind::Uint,
                UintType::Uint8 => Kind::Uint8,
                UintType::Uint16 => Kind::Uint16,
                UintType::Uint32 => Kind::Uint32,
                UintType::Uint64 => Kind::Uint64,
                UintType::Uintptr => Kind::Uintptr,
            },
            Value::Float(_) => Kind::Float64,
            Value::Float32(_) => Kind::Float32,
            Value::String(_) | Value::ByteString(_) => Kind::String,
            Value::Bytes(_) | Value::List(_) => Kind::Slice,
            Value::Map(_) => Kind::Map,
            Value::Object(o) => o.kind(),
        }
    }

    /// The Go type as `%T` prints it (`<nil>` for nil).
    pub fn type_name(&self) -> String {
        match self {
            Value::Nil => "<nil>".to_string(),
            Value::Bool(_) => "bool".to_string(),
            Value::Int(_, t) => t.name().to_string(),
            Value::Uint(_, t) => t.name().to_string(),
            Value::Float(_) => "float64".to_string(),
            Value::Float32(_) => "float32".to_string(),
            Value::String(_) | Value::ByteString(_) => "string".to_string(),
            Value::Bytes(_) => "[]uint8".to_string(),
            Value::List(_) => "[]interface {}".to_string(),
            Value::Map(m) => m.type_name().to_string(),
            Value::Object(o) => o.type_name(),
        }
    }

    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// Go's truthiness as `if`, `and`, `or` and `not` use it: false for
    /// nil, `false`, zero numbers, and empty strings, slices and maps.
    pub fn truth(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i, _) => *i != 0,
            Value::Uint(u, _) => *u != 0,
            Value::Float(f) => *f != 0.0,
            Value::Float32(f) => *f != 0.0,
            Value::String(s) => !s.is_empty(),
            Value::ByteString(_) => true,
            Value::Bytes(b) => !b.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Map(m) => !m.is_empty(),
            Value::Object(o) => o.truth(),
        }
    }

    /// A string's text (a [`ByteString`]'s with U+FFFD for its invalid
    /// bytes).
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            Value::ByteString(b) => Some(&b.text),
            _ => None,
        }
    }

    /// A string's bytes as Go holds them, for what works on bytes rather
    /// than text (`len`, `b64enc`, hashes, comparisons).
    pub fn as_go_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::String(s) => Some(s.as_bytes()),
            Value::ByteString(b) => Some(&b.bytes),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// A copy in which nested maps are new maps (lists stay shared, being
    /// immutable, but their maps are copied too).
    pub fn deep_clone(&self) -> Value {
        match self {
            Value::Map(m) => Value::Map(m.deep_clone()),
            Value::List(l) => Value::list(l.iter().map(Value::deep_clone).collect()),
            other => other.clone(),
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.into())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s.into())
    }
}

impl From<f64> for Value {
    fn from(f: f64) -> Self {
        Value::Float(f)
    }
}

impl From<Map> for Value {
    fn from(m: Map) -> Self {
        Value::Map(m)
    }
}

impl From<Vec<Value>> for Value {
    fn from(l: Vec<Value>) -> Self {
        Value::list(l)
    }
}

/// `%v` formatting, as Go's `fmt.Sprint` prints a single value.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        print::write_value(f, self)
    }
}
