//! Validation as santhosh-tekuri/jsonschema v6 does it (`validator.go`):
//! keywords checked in v6's order, errors collected into a tree (a
//! group when a schema fails several ways, `$ref` nodes wrapping what the
//! target reported), short-circuits where only validity matters (`not`,
//! `if`, later `oneOf` branches), evaluated properties and items tracked
//! for `unevaluated*`, reference cycles detected per instance location.
//!
//! v6 iterates Go maps (object properties, `patternProperties`,
//! `dependencies`, unevaluated properties) in random order, so Helm's
//! order of errors for several properties varies from run to run; here
//! they come in key order. v6 numbers the items after `prefixItems` (or
//! after a tuple `items`) from zero again in error locations; so does this.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use super::compiled::{type_of, Additional, Dependency, Items, Schema, Sid, NIL_PANIC};
use super::gourl::escape_token;
use super::json::{Json, Number};
use super::json_object::JsonObject;
use super::kind::{Kind, Types, ValidationError, INTEGER, NUMBER};
use super::number::Decimal;

/// Why validation did not succeed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The error tree (its root is a [`Kind::Schema`] node).
    Invalid(ValidationError),
    /// What v6 would panic with (Helm recovers and reports it).
    Panic(String),
}

/// How deep validation may nest before giving up: Go's stacks grow, ours
/// must not overflow (WebAssembly's is 1 MiB). Real charts' schemas need
/// under 50 levels, their meta-schema checks included.
pub(crate) const MAX_DEPTH: usize = 320;

/// `Schema.validate`: `v` against schema `sid` of `schemas`. When
/// validating a schema document against a meta-schema, `meta` is that
/// meta-schema and `resources` maps the pointers of the document's
/// resources to their own dialect's meta-schema.
pub(crate) fn validate(
    schemas: &[Schema],
    sid: Sid,
    v: &Json,
    meta: Option<Sid>,
    resources: &BTreeMap<String, Sid>,
) -> Result<(), Failure> {
    let env = Env {
        schemas,
        resources,
        root_resource_only: resources.keys().all(String::is_empty),
        panic: RefCell::new(None),
        depth: Cell::new(0),
    };
    let result = env.validate_root(sid, v, meta);
    if let Some(p) = env.panic.take() {
        return Err(Failure::Panic(p));
    }
    result.map_err(Failure::Invalid)
}

struct Env<'a> {
    schemas: &'a [Schema],
    resources: &'a BTreeMap<String, Sid>,
    /// Whether `resources` names no pointer but the document's root (the
    /// usual case), so that only the root location can match one.
    root_resource_only: bool,
    panic: RefCell<Option<String>>,
    depth: Cell<usize>,
}

impl Env<'_> {
    fn validate_root(&self, sid: Sid, v: &Json, meta: Option<Sid>) -> Result<(), ValidationError> {
        let scope = Scope {
            sch: sid,
            ref_kw: "",
            vid: 0,
            parent: None,
        };
        let mut vd = Validator {
            env: self,
            v,
            vloc: None,
            sch: sid,
            scope: &scope,
            uneval: Uneval::from(v, &self.schemas[sid], false),
            errors: Vec::new(),
            bool_result: false,
            meta,
        };
        match vd.validate() {
            Ok(_) => Ok(()),
            Err(err) => {
                let causes = match *err.kind {
                    Kind::Group => err.causes,
                    _ => vec![err],
                };
                Err(ValidationError {
                    instance_location: Vec::new(),
                    kind: Box::new(Kind::Schema(self.schemas[sid].location())),
                    causes,
                })
            }
        }
    }

    fn set_panic(&self, message: &str) {
        let mut p = self.panic.borrow_mut();
        if p.is_none() {
            *p = Some(message.to_string());
        }
    }
}

/// The chain of schemas applied to reach the current one.
struct Scope<'p> {
    sch: Sid,
    /// The keyword of a jump (`$ref`, `$dynamicRef`, ...), else empty.
    ref_kw: &'static str,
    /// Identifies the instance value; equal for schemas on the same value.
    vid: usize,
    parent: Option<&'p Scope<'p>>,
}

impl Scope<'_> {
    /// An enclosing scope applying the same schema to the same value.
    fn check_cycle(&self) -> Option<&Scope<'_>> {
        let mut p = self.parent;
        while let Some(s) = p {
            if s.vid != self.vid {
                break;
            }
            if s.sch == self.sch {
                return Some(s);
            }
            p = s.parent;
        }
        None
    }

    /// The keyword path that led here.
    fn kw_loc(&self, schemas: &[Schema]) -> String {
        let mut loc = String::new();
        let mut sc = self;
        while let Some(parent) = sc.parent {
            if !sc.ref_kw.is_empty() {
                loc = format!("/{}{loc}", escape_token(sc.ref_kw));
            } else {
                let cur = schemas[sc.sch].location();
                let par = schemas[parent.sch].location();
                loc = format!("{}{loc}", cur.get(par.len()..).unwrap_or(""));
            }
            sc = parent;
        }
        loc
    }
}

/// One step of an instance location: an object key or an array index.
#[derive(Clone, Copy)]
enum Tok<'p> {
    Key(&'p str),
    Index(usize),
}

/// An instance location as a chain of steps from the innermost outwards;
/// it becomes pointer tokens only when an error or a resource lookup
/// needs them (most validations never do).
struct Loc<'p> {
    tok: Tok<'p>,
    parent: Option<&'p Loc<'p>>,
}

/// The pointer tokens of `loc`, outermost first.
fn loc_tokens(loc: Option<&Loc<'_>>) -> Vec<String> {
    let mut out = Vec::new();
    let mut l = loc;
    while let Some(step) = l {
        out.push(match step.tok {
            Tok::Key(k) => k.to_string(),
            Tok::Index(i) => i.to_string(),
        });
        l = step.parent;
    }
    out.reverse();
    out
}

/// Properties and items no keyword has evaluated yet; `None` for none
/// (the usual case, which then costs nothing to create or drop).
#[derive(Clone, Debug, Default)]
struct Uneval(Option<Box<UnevalSets>>);

#[derive(Clone, Debug, Default)]
struct UnevalSets {
    props: BTreeSet<String>,
    items: BTreeSet<usize>,
}

impl Uneval {
    fn from(v: &Json, sch: &Schema, caller_needs: bool) -> Uneval {
        let mut u = UnevalSets::default();
        match v {
            Json::Object(o)
                if !sch.all_props_evaluated
                    && (caller_needs || sch.unevaluated_properties.is_some()) =>
            {
                u.props = o.keys().cloned().collect();
            }
            Json::Array(a)
                if !sch.all_items_evaluated
                    && (caller_needs || sch.unevaluated_items.is_some())
                    && sch.num_items_evaluated < a.len() =>
            {
                u.items = (sch.num_items_evaluated..a.len()).collect();
            }
            _ => {}
        }
        Uneval::of(u)
    }

    fn of(sets: UnevalSets) -> Uneval {
        if sets.props.is_empty() && sets.items.is_empty() {
            Uneval(None)
        } else {
            Uneval(Some(Box::new(sets)))
        }
    }

    fn merge(&mut self, other: &Uneval) {
        let Some(sets) = self.0.as_mut() else {
            return;
        };
        let Some(o) = &other.0 else {
            self.0 = None;
            return;
        };
        sets.props.retain(|k| o.props.contains(k));
        sets.items.retain(|i| o.items.contains(i));
        if let Some(sets) = self.0.take() {
            *self = Uneval::of(*sets);
        }
    }

    fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    fn remove_prop(&mut self, name: &str) {
        if let Some(sets) = self.0.as_mut() {
            sets.props.remove(name);
            if sets.props.is_empty() && sets.items.is_empty() {
                self.0 = None;
            }
        }
    }

    fn remove_item(&mut self, i: usize) {
        if let Some(sets) = self.0.as_mut() {
            sets.items.remove(&i);
            if sets.props.is_empty() && sets.items.is_empty() {
                self.0 = None;
            }
        }
    }

    /// Takes the unevaluated properties out (leaving none).
    fn take_props(&mut self) -> Vec<String> {
        let Some(sets) = self.0.as_mut() else {
            return Vec::new();
        };
        let props = std::mem::take(&mut sets.props).into_iter().collect();
        if sets.items.is_empty() {
            self.0 = None;
        }
        props
    }

    /// Takes the unevaluated items out (leaving none).
    fn take_items(&mut self) -> Vec<usize> {
        let Some(sets) = self.0.as_mut() else {
            return Vec::new();
        };
        let items = std::mem::take(&mut sets.items).into_iter().collect();
        if sets.props.is_empty() {
            self.0 = None;
        }
        items
    }
}

struct Validator<'e, 'a, 'v, 's> {
    env: &'e Env<'a>,
    v: &'v Json,
    vloc: Option<&'s Loc<'s>>,
    sch: Sid,
    scope: &'s Scope<'s>,
    uneval: Uneval,
    errors: Vec<ValidationError>,
    bool_result: bool,
    meta: Option<Sid>,
}

type VResult = Result<Uneval, ValidationError>;

/// v6's `isInteger`.
fn is_integer(v: &Json) -> bool {
    match v {
        Json::Number(n) => n.value.as_ref().is_some_and(Decimal::is_int),
        _ => false,
    }
}

/// v6's `equals`: deep equality with exact numbers; an error kind for a
/// first operand that is not JSON.
fn equals(a: &Json, b: &Json) -> Result<bool, Kind> {
    match a {
        Json::Object(x) => {
            let Json::Object(y) = b else {
                return Ok(false);
            };
            if x.len() != y.len() {
                return Ok(false);
            }
            for (k, v1) in x.iter() {
                let Some(v2) = y.get(k) else {
                    return Ok(false);
                };
                if !equals(v1, v2)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        Json::Array(x) => {
            let Json::Array(y) = b else {
                return Ok(false);
            };
            if x.len() != y.len() {
                return Ok(false);
            }
            for (v1, v2) in x.iter().zip(y.iter()) {
                if !equals(v1, v2)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        Json::Null => Ok(matches!(b, Json::Null)),
        Json::Bool(x) => Ok(matches!(b, Json::Bool(y) if x == y)),
        Json::String(x) => Ok(matches!(b, Json::String(y) if x == y)),
        Json::Number(x) => Ok(match (b, &x.value) {
            (Json::Number(y), Some(xv)) => {
                y.value.as_ref().is_some_and(|yv| xv.cmp_value(yv).is_eq())
            }
            _ => false,
        }),
        Json::Invalid(t) => Err(Kind::InvalidJsonValue(t.to_string())),
    }
}

/// A canonical key for equality of JSON values (numbers by exact value).
fn canonical(v: &Json, out: &mut String) {
    match v {
        Json::Null => out.push('n'),
        Json::Bool(b) => out.push(if *b { 't' } else { 'f' }),
        Json::Number(n) => {
            out.push('#');
            match &n.value {
                Some(d) if d.cmp_value(&Decimal::zero()).is_eq() => out.push('0'),
                Some(d) => out.push_str(&format!("{d:?}")),
                None => out.push_str(&n.text),
            }
        }
        Json::String(s) => {
            out.push('"');
            out.push_str(&s.len().to_string());
            out.push(':');
            out.push_str(s);
        }
        Json::Array(a) => {
            out.push('[');
            for x in a.iter() {
                canonical(x, out);
                out.push(',');
            }
            out.push(']');
        }
        Json::Object(o) => {
            out.push('{');
            for (k, x) in o.iter() {
                out.push_str(&k.len().to_string());
                out.push(':');
                out.push_str(k);
                canonical(x, out);
                out.push(',');
            }
            out.push('}');
        }
        Json::Invalid(t) => {
            out.push('!');
            out.push_str(t);
        }
    }
}

/// v6's `duplicates`: the first pair `(j, i)`, `j < i`, of equal items.
fn duplicates(arr: &[Json]) -> Result<Option<(usize, usize)>, Kind> {
    if arr.len() <= 20 {
        for i in 1..arr.len() {
            for j in 0..i {
                if equals(&arr[i], &arr[j])? {
                    return Ok(Some((j, i)));
                }
            }
        }
        return Ok(None);
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, item) in arr.iter().enumerate() {
        let mut key = String::new();
        canonical(item, &mut key);
        if let Some(&j) = seen.get(&key) {
            if equals(item, &arr[j])? {
                return Ok(Some((j, i)));
            }
        } else {
            seen.insert(key, i);
        }
    }
    Ok(None)
}

impl<'e, 'a, 'v, 's> Validator<'e, 'a, 'v, 's> {
    fn schema(&self) -> &'a Schema {
        &self.env.schemas[self.sch]
    }

    fn error(&self, kind: Kind) -> ValidationError {
        ValidationError {
            instance_location: loc_tokens(self.vloc),
            kind: Box::new(kind),
            causes: Vec::new(),
        }
    }

    fn add_error(&mut self, kind: Kind) {
        let e = self.error(kind);
        self.errors.push(e);
    }

    fn add_err(&mut self, r: Result<(), ValidationError>) {
        if let Err(e) = r {
            self.errors.push(e);
        }
    }

    fn add_errors(&mut self, causes: Vec<ValidationError>, kind: Kind) {
        let mut e = self.error(kind);
        e.causes = causes;
        self.errors.push(e);
    }

    fn validate(&mut self) -> VResult {
        let depth = self.env.depth.get() + 1;
        if self.env.panic.borrow().is_some() {
            // The outcome is decided; stop working.
            return Ok(std::mem::take(&mut self.uneval));
        }
        if depth > MAX_DEPTH {
            self.env
                .set_panic(&format!("validation nested deeper than {MAX_DEPTH} levels"));
            return Ok(std::mem::take(&mut self.uneval));
        }
        self.env.depth.set(depth);
        let r = self.validate_inner();
        self.env.depth.set(depth - 1);
        r
    }

    fn validate_inner(&mut self) -> VResult {
        let s = self.schema();
        let v = self.v;

        if let Some(b) = s.boolean {
            return if b {
                Ok(std::mem::take(&mut self.uneval))
            } else {
                Err(self.error(Kind::FalseSchema))
            };
        }

        if let Some(other) = self.scope.check_cycle() {
            let kind = Kind::RefCycle {
                url: s.location(),
                kw_loc1: self.scope.kw_loc(self.env.schemas),
                kw_loc2: other.kw_loc(self.env.schemas),
            };
            return Err(self.error(kind));
        }

        let t = type_of(v);
        if t == 0 {
            let name = match v {
                Json::Invalid(n) => n.to_string(),
                _ => String::new(),
            };
            return Err(self.error(Kind::InvalidJsonValue(name)));
        }

        if !s.types.is_empty() {
            let matched =
                s.types.contains(t) || (s.types.contains(INTEGER) && t == NUMBER && is_integer(v));
            if !matched {
                return Err(self.error(Kind::Type {
                    got: Types::name(t),
                    want: s.types,
                }));
            }
        }

        if let Some(c) = &s.constant {
            match equals(v, c) {
                Err(k) => return Err(self.error(k)),
                Ok(false) => return Err(self.error(Kind::Const(c.clone()))),
                Ok(true) => {}
            }
        }

        if let Some((values, types)) = &s.enumeration {
            let mut matched = types.contains(type_of(v));
            if matched {
                matched = false;
                for item in values {
                    match equals(v, item) {
                        Err(k) => return Err(self.error(k)),
                        Ok(true) => {
                            matched = true;
                            break;
                        }
                        Ok(false) => {}
                    }
                }
            }
            if !matched {
                return Err(self.error(Kind::Enum(values.clone())));
            }
        }

        if let Some(f) = &s.format {
            if let Err(err) = (f.validate)(v) {
                return Err(self.error(Kind::Format {
                    got: v.clone(),
                    want: f.name,
                    err,
                }));
            }
        }

        if let Some(r) = s.reference {
            let result = self.validate_ref(r, "$ref");
            if s.draft_version < 2019 {
                return result.map(|()| std::mem::take(&mut self.uneval));
            }
            self.add_err(result);
        }

        match v {
            Json::Object(o) => self.obj_validate(o),
            Json::Array(a) => self.arr_validate(a),
            Json::String(st) => self.str_validate(st),
            Json::Number(n) => self.num_validate(n),
            _ => {}
        }

        if self.errors.is_empty() || !self.bool_result {
            if s.draft_version >= 2019 {
                self.validate_refs();
            }
            self.cond_validate();
            if s.draft_version >= 2019 {
                self.uneval_validate();
            }
        }

        match self.errors.len() {
            0 => Ok(std::mem::take(&mut self.uneval)),
            1 => Err(self.errors.remove(0)),
            _ => {
                let mut e = self.error(Kind::Group);
                e.causes = std::mem::take(&mut self.errors);
                Err(e)
            }
        }
    }

    fn find_missing(&self, obj: &JsonObject, reqd: &[String]) -> Option<Vec<String>> {
        let mut missing = Vec::new();
        for p in reqd {
            if !obj.contains_key(p) {
                if self.bool_result {
                    return Some(Vec::new());
                }
                missing.push(p.clone());
            }
        }
        (!missing.is_empty()).then_some(missing)
    }

    fn obj_validate(&mut self, obj: &'v JsonObject) {
        let s = self.schema();
        let objects = s.objects.as_deref();

        if let Some(min) = objects.and_then(|o| o.min_properties) {
            if (obj.len() as i64) < min {
                self.add_error(Kind::MinProperties(obj.len(), min));
            }
        }
        if let Some(max) = objects.and_then(|o| o.max_properties) {
            if (obj.len() as i64) > max {
                self.add_error(Kind::MaxProperties(obj.len(), max));
            }
        }
        if !s.required.is_empty() {
            if let Some(missing) = self.find_missing(obj, &s.required) {
                self.add_error(Kind::Required(missing));
            }
        }
        if self.bool_result && !self.errors.is_empty() {
            return;
        }

        for (pname, dep) in objects.iter().flat_map(|o| &o.dependencies) {
            if obj.contains_key(pname) {
                match dep {
                    Dependency::Props(list) => {
                        if let Some(missing) = self.find_missing(obj, list) {
                            self.add_error(Kind::Dependency {
                                prop: pname.clone(),
                                missing,
                            });
                        }
                    }
                    Dependency::Schema(sch) => {
                        let r = self.validate_self(*sch, "", false);
                        self.add_err(r);
                    }
                }
            }
        }

        let mut additional = Vec::new();
        for (pname, pvalue) in obj.iter() {
            if self.bool_result && !self.errors.is_empty() {
                return;
            }
            let mut evaluated = false;
            if let Some(sch) = s.properties.get(pname) {
                evaluated = true;
                let r = self.validate_val(sch, pvalue, Tok::Key(pname));
                self.add_err(r);
            }
            for (re, sch) in objects.iter().flat_map(|o| &o.pattern_properties) {
                if re.is_match(pname) {
                    evaluated = true;
                    let r = self.validate_val(*sch, pvalue, Tok::Key(pname));
                    self.add_err(r);
                }
            }
            if !evaluated {
                if let Some(add) = &s.additional_properties {
                    evaluated = true;
                    match add {
                        Additional::Bool(false) => additional.push(pname.clone()),
                        Additional::Bool(true) => {}
                        Additional::Schema(sch) => {
                            let r = self.validate_val(*sch, pvalue, Tok::Key(pname));
                            self.add_err(r);
                        }
                    }
                }
            }
            if evaluated {
                self.uneval.remove_prop(pname);
            }
        }
        if !additional.is_empty() {
            self.add_error(Kind::AdditionalProperties(additional));
        }

        if s.draft_version == 4 {
            return;
        }

        if let Some(names) = objects.and_then(|o| o.property_names) {
            for pname in obj.keys() {
                let (mut sch, mut meta) = (names, self.meta);
                if let Some(m) = self.meta_resource(sch) {
                    meta = Some(m);
                    sch = m;
                }
                let instance = Json::String(pname.as_str().into());
                if let Err(mut e) = self.env.validate_root(sch, &instance, meta) {
                    e.kind = Box::new(Kind::PropertyNames(pname.clone()));
                    self.errors.push(e);
                }
            }
        }

        if s.draft_version == 6 {
            return;
        }

        for (pname, sch) in objects.iter().flat_map(|o| o.dependent_schemas.iter()) {
            if obj.contains_key(pname) {
                let r = self.validate_self(sch, "", false);
                self.add_err(r);
            }
        }
        for (pname, reqd) in objects.iter().flat_map(|o| &o.dependent_required) {
            if obj.contains_key(pname) {
                if let Some(missing) = self.find_missing(obj, reqd) {
                    self.add_error(Kind::DependentRequired {
                        prop: pname.clone(),
                        missing,
                    });
                }
            }
        }
    }

    fn arr_validate(&mut self, arr: &'v Rc<Vec<Json>>) {
        let s = self.schema();
        let Some(a) = s.arrays.as_deref() else {
            return;
        };

        if let Some(min) = a.min_items {
            if (arr.len() as i64) < min {
                self.add_error(Kind::MinItems(arr.len(), min));
            }
        }
        if let Some(max) = a.max_items {
            if (arr.len() as i64) > max {
                self.add_error(Kind::MaxItems(arr.len(), max));
            }
        }
        if a.unique_items && arr.len() > 1 {
            match duplicates(arr) {
                Err(k) => self.add_error(k),
                Ok(Some((i, j))) => self.add_error(Kind::UniqueItems(i, j)),
                Ok(None) => {}
            }
        }

        if s.draft_version < 2020 {
            let mut evaluated = 0;
            match &a.items {
                Some(Items::One(sch)) => {
                    for (i, item) in arr.iter().enumerate() {
                        let r = self.validate_val(*sch, item, Tok::Index(i));
                        self.add_err(r);
                    }
                    evaluated = arr.len();
                }
                Some(Items::Tuple(list)) => {
                    let n = arr.len().min(list.len());
                    for i in 0..n {
                        let r = self.validate_val(list[i], &arr[i], Tok::Index(i));
                        self.add_err(r);
                    }
                    evaluated = n;
                }
                None => {}
            }
            match &a.additional_items {
                Some(Additional::Bool(false)) if evaluated != arr.len() => {
                    self.add_error(Kind::AdditionalItems(arr.len() - evaluated));
                }
                Some(Additional::Schema(sch)) => {
                    // v6 restarts the index at zero here.
                    for (i, item) in arr[evaluated..].iter().enumerate() {
                        let r = self.validate_val(*sch, item, Tok::Index(i));
                        self.add_err(r);
                    }
                }
                _ => {}
            }
        } else {
            let evaluated = a.prefix_items.len().min(arr.len());
            for i in 0..evaluated {
                let r = self.validate_val(a.prefix_items[i], &arr[i], Tok::Index(i));
                self.add_err(r);
            }
            if let Some(sch) = a.items2020 {
                // v6 restarts the index at zero here.
                for (i, item) in arr[evaluated..].iter().enumerate() {
                    let r = self.validate_val(sch, item, Tok::Index(i));
                    self.add_err(r);
                }
            }
        }

        if let Some(contains) = a.contains {
            let mut errors = Vec::new();
            let mut matched = Vec::new();
            for (i, item) in arr.iter().enumerate() {
                match self.validate_val(contains, item, Tok::Index(i)) {
                    Err(e) => errors.push(e),
                    Ok(()) => {
                        matched.push(i);
                        if s.draft_version >= 2020 {
                            self.uneval.remove_item(i);
                        }
                    }
                }
            }
            if let Some(min) = a.min_contains {
                if (matched.len() as i64) < min {
                    self.add_errors(errors, Kind::MinContains(matched.clone(), min));
                }
            } else if matched.is_empty() {
                self.add_errors(errors, Kind::Contains);
            }
            if let Some(max) = a.max_contains {
                if (matched.len() as i64) > max {
                    self.add_error(Kind::MaxContains(matched, max));
                }
            }
        }
    }

    fn str_validate(&mut self, st: &str) {
        let Some(s) = self.schema().strings.as_deref() else {
            return;
        };
        let len = if s.min_length.is_some() || s.max_length.is_some() {
            st.chars().count()
        } else {
            0
        };
        if let Some(min) = s.min_length {
            if (len as i64) < min {
                self.add_error(Kind::MinLength(len, min));
            }
        }
        if let Some(max) = s.max_length {
            if (len as i64) > max {
                self.add_error(Kind::MaxLength(len, max));
            }
        }
        if let Some(re) = &s.pattern {
            if !re.is_match(st) {
                self.add_error(Kind::Pattern {
                    got: st.to_string(),
                    want: re.as_str().to_string(),
                });
            }
        }
    }

    fn num_validate(&mut self, n: &Number) {
        let Some(limits) = self.schema().numbers.as_deref() else {
            return;
        };
        let checks = [
            (&limits.minimum, 0),
            (&limits.maximum, 1),
            (&limits.exclusive_minimum, 2),
            (&limits.exclusive_maximum, 3),
            (&limits.multiple_of, 4),
        ];
        let Some(num) = &n.value else {
            // `Rat.SetString` failed: v6 compares through a nil *big.Rat.
            self.env.set_panic(NIL_PANIC);
            return;
        };
        for (limit, which) in checks {
            let Some(limit) = limit else { continue };
            let ord = num.cmp_value(limit);
            let (failed, kind): (bool, fn(Decimal, Decimal) -> Kind) = match which {
                0 => (ord.is_lt(), Kind::Minimum),
                1 => (ord.is_gt(), Kind::Maximum),
                2 => (ord.is_le(), Kind::ExclusiveMinimum),
                3 => (ord.is_ge(), Kind::ExclusiveMaximum),
                _ => (!num.is_multiple_of(limit), Kind::MultipleOf),
            };
            if failed {
                self.add_error(kind(num.clone(), limit.clone()));
            }
        }
    }

    fn cond_validate(&mut self) {
        let Some(s) = self.schema().composition.as_deref() else {
            return;
        };

        if let Some(not) = s.not {
            if self.validate_self(not, "", true).is_ok() {
                self.add_error(Kind::Not);
            }
        }

        if !s.all_of.is_empty() {
            let mut errors = Vec::new();
            for &sch in &s.all_of {
                if let Err(e) = self.validate_self(sch, "", false) {
                    errors.push(e);
                    if self.bool_result {
                        break;
                    }
                }
            }
            if !errors.is_empty() {
                self.add_errors(errors, Kind::AllOf);
            }
        }

        if !s.any_of.is_empty() {
            let mut matched = false;
            let mut errors = Vec::new();
            for &sch in &s.any_of {
                match self.validate_self(sch, "", false) {
                    Err(e) => errors.push(e),
                    Ok(()) => {
                        matched = true;
                        if self.uneval.is_empty() {
                            break;
                        }
                    }
                }
            }
            if !matched {
                self.add_errors(errors, Kind::AnyOf);
            }
        }

        if !s.one_of.is_empty() {
            let mut matched: Option<usize> = None;
            let mut errors = Vec::new();
            for (i, &sch) in s.one_of.iter().enumerate() {
                match self.validate_self(sch, "", matched.is_some()) {
                    Err(e) => {
                        if matched.is_none() {
                            errors.push(e);
                        }
                    }
                    Ok(()) => match matched {
                        None => matched = Some(i),
                        Some(m) => {
                            self.add_error(Kind::OneOf(Some((m, i))));
                            break;
                        }
                    },
                }
            }
            if matched.is_none() {
                self.add_errors(errors, Kind::OneOf(None));
            }
        }

        if let Some(if_) = s.if_ {
            if self.validate_self(if_, "", true).is_ok() {
                if let Some(then) = s.then {
                    let r = self.validate_self(then, "", false);
                    self.add_err(r);
                }
            } else if let Some(else_) = s.else_ {
                let r = self.validate_self(else_, "", false);
                self.add_err(r);
            }
        }
    }

    fn uneval_validate(&mut self) {
        let s = self.schema();
        if let (Json::Object(obj), Some(sch)) = (self.v, s.unevaluated_properties) {
            for pname in self.uneval.take_props() {
                if let Some(pvalue) = obj.get(&pname) {
                    let r = self.validate_val(sch, pvalue, Tok::Key(&pname));
                    self.add_err(r);
                }
            }
        }
        if let (Json::Array(arr), Some(sch)) = (self.v, s.unevaluated_items) {
            for i in self.uneval.take_items() {
                if let Some(item) = arr.get(i) {
                    let r = self.validate_val(sch, item, Tok::Index(i));
                    self.add_err(r);
                }
            }
        }
    }

    /// `sch` applied to the same value.
    fn validate_self(
        &mut self,
        sch: Sid,
        ref_kw: &'static str,
        bool_result: bool,
    ) -> Result<(), ValidationError> {
        let scope = Scope {
            sch,
            ref_kw,
            vid: self.scope.vid,
            parent: Some(self.scope),
        };
        let schema = &self.env.schemas[sch];
        let mut sub = Validator {
            env: self.env,
            v: self.v,
            vloc: self.vloc,
            sch,
            scope: &scope,
            uneval: Uneval::from(self.v, schema, !self.uneval.is_empty()),
            errors: Vec::new(),
            bool_result: self.bool_result || bool_result,
            meta: self.meta,
        };
        sub.handle_meta();
        let uneval = sub.validate()?;
        self.uneval.merge(&uneval);
        Ok(())
    }

    /// `sch` applied to a property or item value.
    fn validate_val(&self, sch: Sid, v: &Json, tok: Tok<'_>) -> Result<(), ValidationError> {
        let scope = Scope {
            sch,
            ref_kw: "",
            vid: self.scope.vid + 1,
            parent: Some(self.scope),
        };
        let loc = Loc {
            tok,
            parent: self.vloc,
        };
        let mut sub = Validator {
            env: self.env,
            v,
            vloc: Some(&loc),
            sch,
            scope: &scope,
            uneval: Uneval::from(v, &self.env.schemas[sch], false),
            errors: Vec::new(),
            bool_result: self.bool_result,
            meta: self.meta,
        };
        sub.handle_meta();
        sub.validate().map(|_| ())
    }

    /// When the meta-schema itself is applied to a resource of the schema
    /// document that has its own dialect: that dialect's meta-schema.
    fn meta_resource(&self, sch: Sid) -> Option<Sid> {
        if Some(sch) != self.meta {
            return None;
        }
        if self.vloc.is_some() && self.env.root_resource_only {
            return None;
        }
        let mut ptr = String::new();
        for tok in loc_tokens(self.vloc) {
            ptr.push('/');
            ptr.push_str(&escape_token(&tok));
        }
        self.env.resources.get(&ptr).copied()
    }

    fn handle_meta(&mut self) {
        if let Some(m) = self.meta_resource(self.sch) {
            self.meta = Some(m);
            self.sch = m;
        }
    }

    fn validate_ref(&mut self, sch: Sid, kw: &'static str) -> Result<(), ValidationError> {
        match self.validate_self(sch, kw, false) {
            Ok(()) => Ok(()),
            Err(err) => {
                let mut e = self.error(Kind::Reference);
                e.causes = match *err.kind {
                    Kind::Group => err.causes,
                    _ => vec![err],
                };
                Err(e)
            }
        }
    }

    fn resolve_recursive_anchor(&self, fallback: Sid) -> Sid {
        let mut sch = fallback;
        let mut sc = Some(self.scope);
        while let Some(s) = sc {
            let res = self.env.schemas[s.sch].resource;
            if self.env.schemas[res].is_recursive_anchor() {
                sch = s.sch;
            }
            sc = s.parent;
        }
        sch
    }

    fn resolve_dynamic_anchor(&self, name: &str, fallback: Sid) -> Sid {
        let mut sch = fallback;
        let mut sc = Some(self.scope);
        while let Some(s) = sc {
            let res = self.env.schemas[s.sch].resource;
            if let Some(d) = self.env.schemas[res].dynamic_anchor_named(name) {
                sch = d;
            }
            sc = s.parent;
        }
        sch
    }

    fn validate_refs(&mut self) {
        let Some(dynamic) = self.schema().dynamic.as_deref() else {
            return;
        };
        if let Some(mut sch) = dynamic.recursive_ref {
            if self.env.schemas[sch].is_recursive_anchor() {
                sch = self.resolve_recursive_anchor(sch);
            }
            let r = self.validate_ref(sch, "$recursiveRef");
            self.add_err(r);
        }
        if let Some((target, anchor)) = &dynamic.dynamic_ref {
            let mut sch = *target;
            let target_anchor = self.env.schemas[sch].dynamic.as_deref();
            if !anchor.is_empty() && target_anchor.is_some_and(|t| t.dynamic_anchor == *anchor) {
                sch = self.resolve_dynamic_anchor(anchor, sch);
            }
            let r = self.validate_ref(sch, "$dynamicRef");
            self.add_err(r);
        }
    }
}
