//! Schema compilation as santhosh-tekuri/jsonschema v6 does it
//! (`compiler.go`, `roots.go`, `root.go`, `objcompiler.go`, `loader.go`):
//! documents are loaded as roots, their resources (`$id`s), anchors and
//! dialects collected, each root checked against its meta-schema, then
//! every reachable schema compiled into an arena, keyword by keyword, as
//! the schema's draft and vocabularies allow.
//!
//! Loading follows Helm's loader set-up with no network and no file
//! system: bundled meta-schemas, `urn:` references as the permissive
//! `true` schema (Helm's fallback for unresolved URNs), `file:` references
//! as missing files, `http(s):` references as unavailable.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::rc::Rc;

use super::draft::{self, Dialect, Draft};
use super::formats::{self, Format};
use super::gourl::{self, escape_token, location};
use super::json::{self, Json};
use super::kind::Types;
use super::number::Decimal;
use super::validator;
use crate::funcs::regex::GoRegex;
use crate::template::strconv::quote as go_quote;

/// An index into a [`Compiler`]'s arena.
pub(crate) type Sid = usize;

/// A compile failure: v6's error text, or a Go panic that Helm recovers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum CompileError {
    Error(String),
    Panic(String),
}

impl From<String> for CompileError {
    fn from(s: String) -> Self {
        CompileError::Error(s)
    }
}

type Result<T> = std::result::Result<T, CompileError>;

/// The text of a nil dereference panic in Go.
pub(crate) const NIL_PANIC: &str =
    "runtime error: invalid memory address or nil pointer dereference";

#[derive(Clone, Debug)]
pub(crate) enum Additional {
    Bool(bool),
    Schema(Sid),
}

#[derive(Clone, Debug)]
pub(crate) enum Items {
    One(Sid),
    Tuple(Vec<Sid>),
}

#[derive(Clone, Debug)]
pub(crate) enum Dependency {
    Props(Vec<String>),
    Schema(Sid),
}

/// A compiled schema (v6's `Schema`, the keywords that assert).
#[derive(Debug, Default)]
pub(crate) struct Schema {
    pub url: String,
    pub ptr: String,
    pub location: String,
    pub draft_version: u32,
    pub resource: Sid,
    pub dynamic_anchors: BTreeMap<String, Sid>,
    pub all_props_evaluated: bool,
    pub all_items_evaluated: bool,
    pub num_items_evaluated: usize,

    pub boolean: Option<bool>,
    pub reference: Option<Sid>,
    pub recursive_ref: Option<Sid>,
    pub recursive_anchor: bool,
    pub dynamic_ref: Option<(Sid, String)>,
    pub dynamic_anchor: String,
    pub types: Types,
    pub enumeration: Option<(Vec<Json>, Types)>,
    pub constant: Option<Json>,
    pub not: Option<Sid>,
    pub all_of: Vec<Sid>,
    pub any_of: Vec<Sid>,
    pub one_of: Vec<Sid>,
    pub if_: Option<Sid>,
    pub then: Option<Sid>,
    pub else_: Option<Sid>,
    pub format: Option<Format>,

    pub max_properties: Option<i64>,
    pub min_properties: Option<i64>,
    pub required: Vec<String>,
    pub property_names: Option<Sid>,
    pub properties: BTreeMap<String, Sid>,
    pub pattern_properties: Vec<(Rc<GoRegex>, Sid)>,
    pub additional_properties: Option<Additional>,
    pub dependencies: BTreeMap<String, Dependency>,
    pub dependent_required: BTreeMap<String, Vec<String>>,
    pub dependent_schemas: BTreeMap<String, Sid>,
    pub unevaluated_properties: Option<Sid>,

    pub min_items: Option<i64>,
    pub max_items: Option<i64>,
    pub unique_items: bool,
    pub contains: Option<Sid>,
    pub min_contains: Option<i64>,
    pub max_contains: Option<i64>,
    pub items: Option<Items>,
    pub additional_items: Option<Additional>,
    pub prefix_items: Vec<Sid>,
    pub items2020: Option<Sid>,
    pub unevaluated_items: Option<Sid>,

    pub min_length: Option<i64>,
    pub max_length: Option<i64>,
    pub pattern: Option<Rc<GoRegex>>,

    pub maximum: Option<Decimal>,
    pub minimum: Option<Decimal>,
    pub exclusive_maximum: Option<Decimal>,
    pub exclusive_minimum: Option<Decimal>,
    pub multiple_of: Option<Decimal>,
}

// ---------------------------------------------------------------------------
// Roots and resources.

#[derive(Clone, Debug)]
struct Resource {
    ptr: String,
    id: String,
    dialect: Option<Dialect>,
    anchors: BTreeMap<String, String>,
    dynamic_anchors: Vec<String>,
}

impl Resource {
    fn new(ptr: &str, id: &str) -> Resource {
        Resource {
            ptr: ptr.to_string(),
            id: id.to_string(),
            dialect: None,
            anchors: BTreeMap::new(),
            dynamic_anchors: Vec::new(),
        }
    }
}

#[derive(Debug)]
struct Root {
    url: String,
    doc: Json,
    resources: BTreeMap<String, Resource>,
    processed: BTreeSet<String>,
}

impl Root {
    /// The resource enclosing `ptr` (v6's `root.resource`); `None` where
    /// Go would hand out a nil resource.
    fn resource_key(&self, ptr: &str) -> Option<String> {
        let mut p = ptr;
        loop {
            if self.resources.contains_key(p) {
                return Some(p.to_string());
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => break,
            }
        }
        self.resources.contains_key("").then(String::new)
    }

    fn resource(&self, ptr: &str) -> Result<&Resource> {
        self.resource_key(ptr)
            .and_then(|k| self.resources.get(&k))
            .ok_or_else(|| CompileError::Panic(NIL_PANIC.to_string()))
    }

    fn dialect(&self, ptr: &str) -> Result<Dialect> {
        self.resource(ptr)?
            .dialect
            .clone()
            .ok_or_else(|| CompileError::Panic(NIL_PANIC.to_string()))
    }

    /// A fragment (JSON pointer or anchor) within `res`.
    fn resolve_fragment_in(&self, frag: &str, res: &Resource) -> Result<String> {
        if frag.is_empty() || frag.starts_with('/') {
            return Ok(format!("{}{frag}", res.ptr));
        }
        match res.anchors.get(frag) {
            Some(p) => Ok(p.clone()),
            None => Err(CompileError::Error(format!(
                "anchor in {} not found in schema {}",
                go_quote(&location(&res.id, frag)),
                go_quote(&self.url)
            ))),
        }
    }

    /// A reference local to this root: `Ok(None)` if `url` is external.
    fn resolve(&self, url: &str, frag: &str) -> Result<Option<String>> {
        let res = if url == self.url {
            self.resources.get("")
        } else {
            self.resources.values().find(|r| r.id == url)
        };
        match res {
            None if url == self.url => Err(CompileError::Panic(NIL_PANIC.to_string())),
            None => Ok(None),
            Some(res) => self.resolve_fragment_in(frag, res).map(Some),
        }
    }

    /// Records the anchors `sch` declares into the resource at `res_key`.
    fn collect_anchors(&mut self, sch: &Json, sch_ptr: &str, res_key: &str) -> Result<()> {
        let Some(obj) = sch.as_object() else {
            return Ok(());
        };
        let url = self.url.clone();
        let Some(res) = self.resources.get_mut(res_key) else {
            return Err(CompileError::Panic(NIL_PANIC.to_string()));
        };
        let Some(dialect) = res.dialect.clone() else {
            return Err(CompileError::Panic(NIL_PANIC.to_string()));
        };
        let version = dialect.draft.version;
        let add = |res: &mut Resource, anchor: &str| -> Result<()> {
            if let Some(p1) = res.anchors.get(anchor) {
                if p1 == sch_ptr {
                    return Ok(());
                }
                return Err(CompileError::Error(format!(
                    "duplicate anchor {} in {} at {} and {}",
                    go_quote(anchor),
                    go_quote(&url),
                    go_quote(p1),
                    go_quote(sch_ptr)
                )));
            }
            res.anchors.insert(anchor.to_string(), sch_ptr.to_string());
            Ok(())
        };
        if version < 2019 {
            if obj.contains_key("$ref") {
                return Ok(());
            }
            if let Some(id) = obj.get(dialect.draft.id).and_then(Json::as_str) {
                let (_, frag) = gourl::split_fragment(id).map_err(|_| {
                    CompileError::Error(format!(
                        "error in parsing anchor at {}",
                        go_quote(&location(&url, sch_ptr))
                    ))
                })?;
                if !frag.is_empty() && !frag.starts_with('/') {
                    add(res, &frag)?;
                }
            }
        }
        if version >= 2019 {
            if let Some(a) = obj.get("$anchor").and_then(Json::as_str) {
                add(res, a)?;
            }
        }
        if version >= 2020 {
            if let Some(a) = obj.get("$dynamicAnchor").and_then(Json::as_str) {
                add(res, a)?;
                res.dynamic_anchors.push(a.to_string());
            }
        }
        Ok(())
    }
}

/// v6's `urlPtr.lookup`: the value at `ptr` in `doc`.
fn lookup<'d>(doc: &'d Json, url: &str, ptr: &str) -> Result<&'d Json> {
    let mut v = doc;
    if ptr.is_empty() {
        return Ok(v);
    }
    for tok in ptr.split('/').skip(1) {
        let Some(tok) = gourl::unescape_token(tok) else {
            return Err(CompileError::Error(format!(
                "invalid json-pointer {}",
                go_quote(&location(url, ptr))
            )));
        };
        let next = match v {
            Json::Object(o) => o.get(&tok),
            Json::Array(a) => go_atoi(&tok)
                .ok()
                .and_then(|i| usize::try_from(i).ok())
                .and_then(|i| a.get(i)),
            _ => None,
        };
        match next {
            Some(n) => v = n,
            None => {
                return Err(CompileError::Error(format!(
                    "json-pointer in {} not found",
                    go_quote(&location(url, ptr))
                )))
            }
        }
    }
    Ok(v)
}

/// Go's `strconv.Atoi`, with its error text.
pub(crate) fn go_atoi(s: &str) -> std::result::Result<i64, String> {
    let err = |what: &str| format!("strconv.Atoi: parsing {}: {what}", go_quote(s));
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err("invalid syntax"));
    }
    let mut v: i64 = 0;
    for b in digits.bytes() {
        v = v
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(b - b'0')))
            .ok_or_else(|| err("value out of range"))?;
    }
    Ok(if s.starts_with('-') { -v } else { v })
}

/// Where documents come from.
#[derive(Default)]
struct Loader {
    docs: BTreeMap<String, Json>,
}

impl Loader {
    fn load(&mut self, url: &str) -> Result<Json> {
        if let Some(doc) = self.docs.get(url) {
            return Ok(doc.clone());
        }
        let doc = match draft::meta_document(url) {
            Some(text) => json::unmarshal(text.as_bytes())?,
            None => Self::load_external(url).map_err(|e| {
                CompileError::Error(format!("failing loading {}: {e}", go_quote(url)))
            })?,
        };
        self.docs.insert(url.to_string(), doc.clone());
        Ok(doc)
    }

    /// Helm's `SchemeURLLoader`, offline.
    fn load_external(url: &str) -> std::result::Result<Json, String> {
        let (scheme, path) = gourl::scheme_and_path(url)?;
        match scheme.as_str() {
            "file" => Err(format!("open {path}: no such file or directory")),
            "http" | "https" => Err(format!(
                "HTTP request failed for {url}: remote schemas are not fetched (no network access)"
            )),
            "urn" => Ok(Json::Bool(true)),
            _ => Err(format!(
                "no URLLoader registered for {}",
                go_quote(&gourl::normalized(url)?)
            )),
        }
    }

    /// The draft `doc` follows, resolving custom meta-schemas.
    fn get_draft(
        &mut self,
        url: &str,
        ptr: &str,
        doc: &Json,
        default: &'static Draft,
        cycle: &mut BTreeSet<String>,
    ) -> Result<&'static Draft> {
        let Some(sch) = doc
            .as_object()
            .and_then(|o| o.get("$schema"))
            .and_then(Json::as_str)
        else {
            return Ok(default);
        };
        if let Some(d) = draft::from_url(sch) {
            return Ok(d);
        }
        let (sch, _) = gourl::split(sch);
        if let Err(e) = crate::funcs::url::parse(sch) {
            return Err(CompileError::Error(format!(
                "invalid $schema in {}: {e}",
                go_quote(&location(url, ptr))
            )));
        }
        if ptr.is_empty() && sch == url {
            return Err(CompileError::Error(format!(
                "draft {} is not supported",
                go_quote(sch)
            )));
        }
        if !cycle.insert(sch.to_string()) {
            return Err(CompileError::Error(format!(
                "cycle in resolving $schema in {}",
                go_quote(sch)
            )));
        }
        let meta = self.load(sch)?;
        self.get_draft(sch, "", &meta, default, cycle)
    }

    /// The vocabularies a custom `$schema` turns on.
    fn get_meta_vocabs(&mut self, doc: &Json, d: &'static Draft) -> Result<Option<Vec<String>>> {
        let Some(sch) = doc
            .as_object()
            .and_then(|o| o.get("$schema"))
            .and_then(Json::as_str)
        else {
            return Ok(None);
        };
        if draft::from_url(sch).is_some() {
            return Ok(None);
        }
        let (sch, _) = gourl::split(sch);
        if let Err(e) = crate::funcs::url::parse(sch) {
            return Err(CompileError::Error(gourl::parse_url_error(sch, &e)));
        }
        let meta = self.load(sch)?;
        Ok(draft::vocabs_of(d, sch, &meta)?)
    }
}

// ---------------------------------------------------------------------------
// The compiler.

/// A compiler and the arena of what it compiled. The meta-schema compiler
/// asserts formats always; a user compiler validates every root it loads
/// against the root's meta-schema.
pub(crate) struct Compiler {
    assert_format: bool,
    roots: BTreeMap<String, Root>,
    loader: Loader,
    pub(crate) schemas: Vec<Schema>,
    index: BTreeMap<(String, String), Sid>,
    pending: VecDeque<Sid>,
    meta: Option<Box<Compiler>>,
    /// Meta-schemas synthesized for custom vocabulary sets.
    synthesized: BTreeMap<(u32, Vec<String>), Sid>,
}

impl Compiler {
    /// A compiler for user schemas (Helm's set-up).
    pub(crate) fn new() -> Compiler {
        Compiler::with(false, Some(Box::new(Compiler::with(true, None))))
    }

    fn with(assert_format: bool, meta: Option<Box<Compiler>>) -> Compiler {
        Compiler {
            assert_format,
            roots: BTreeMap::new(),
            loader: Loader::default(),
            schemas: Vec::new(),
            index: BTreeMap::new(),
            pending: VecDeque::new(),
            meta,
            synthesized: BTreeMap::new(),
        }
    }

    /// `AddResource`.
    pub(crate) fn add_resource(&mut self, url: &str, doc: Json) {
        self.loader.docs.insert(url.to_string(), doc);
    }

    /// `Compile(url)` for an absolute URL without fragment.
    pub(crate) fn compile(&mut self, url: &str) -> Result<Sid> {
        let ptr = self.resolve_fragment(url, "")?;
        self.do_compile(url, &ptr)
    }

    fn or_load(&mut self, url: &str) -> Result<()> {
        if self.roots.contains_key(url) {
            return Ok(());
        }
        let doc = self.loader.load(url)?;
        self.add_root(url, doc)
    }

    fn add_root(&mut self, url: &str, doc: Json) -> Result<()> {
        let mut r = Root {
            url: url.to_string(),
            doc: doc.clone(),
            resources: BTreeMap::new(),
            processed: BTreeSet::new(),
        };
        let fallback = Dialect {
            draft: draft::LATEST,
            vocabs: None,
        };
        self.collect_resources(&mut r, &doc, url, "", &fallback)?;
        if !url.starts_with("http://json-schema.org/")
            && !url.starts_with("https://json-schema.org/")
        {
            self.validate_root(&r, &doc, "")?;
        }
        self.roots.insert(url.to_string(), r);
        Ok(())
    }

    fn resolve_fragment(&mut self, url: &str, frag: &str) -> Result<String> {
        self.or_load(url)?;
        let r = &self.roots[url];
        let Some(res) = r.resources.get("") else {
            return Err(CompileError::Panic(NIL_PANIC.to_string()));
        };
        r.resolve_fragment_in(frag, res)
    }

    fn collect_resources(
        &mut self,
        r: &mut Root,
        sch: &Json,
        base: &str,
        sch_ptr: &str,
        fallback: &Dialect,
    ) -> Result<()> {
        if r.processed.contains(sch_ptr) {
            return Ok(());
        }
        self.collect_resources_in(r, sch, base, sch_ptr, fallback)?;
        r.processed.insert(sch_ptr.to_string());
        Ok(())
    }

    fn collect_resources_in(
        &mut self,
        r: &mut Root,
        sch: &Json,
        base: &str,
        sch_ptr: &str,
        fallback: &Dialect,
    ) -> Result<()> {
        if let Json::Bool(_) = sch {
            if sch_ptr.is_empty() {
                let mut res = Resource::new(sch_ptr, base);
                res.dialect = Some(fallback.clone());
                r.resources.insert(String::new(), res);
            }
            return Ok(());
        }
        let Some(obj) = sch.as_object() else {
            return Ok(());
        };
        let mut has_schema = matches!(obj.get("$schema"), Some(Json::String(_)));
        let mut d =
            self.loader
                .get_draft(&r.url, sch_ptr, sch, fallback.draft, &mut BTreeSet::new())?;
        let mut id = d.get_id(obj);
        if id.is_none() && !sch_ptr.is_empty() {
            d = fallback.draft;
            has_schema = false;
            id = d.get_id(obj);
        }
        let mut base = base.to_string();
        let mut res = None;
        if let Some(id) = id {
            let (u, _) = gourl::join(&base, &id).map_err(|_| {
                CompileError::Error(format!(
                    "error in parsing id at {}",
                    go_quote(&location(&r.url, sch_ptr))
                ))
            })?;
            base = u;
            res = Some(Resource::new(sch_ptr, &base));
        } else if sch_ptr.is_empty() {
            res = Some(Resource::new(sch_ptr, &base));
        }
        if let Some(mut res) = res {
            let existing = r.resources.values().find(|x| x.id == base);
            match existing {
                Some(x) if x.ptr != sch_ptr => {
                    return Err(CompileError::Error(format!(
                        "duplicate id {} in {} at {} and {}",
                        go_quote(&base),
                        go_quote(&r.url),
                        go_quote(sch_ptr),
                        go_quote(&x.ptr)
                    )));
                }
                Some(_) => {}
                None => {
                    res.dialect = Some(if has_schema {
                        let vocabs = self.loader.get_meta_vocabs(sch, d)?;
                        Dialect { draft: d, vocabs }
                    } else {
                        fallback.clone()
                    });
                    r.resources.insert(sch_ptr.to_string(), res);
                }
            }
        }
        let Some(base_key) = r
            .resources
            .iter()
            .find(|(_, x)| x.id == base)
            .map(|(k, _)| k.clone())
        else {
            return Err(CompileError::Panic("baseres is nil".to_string()));
        };
        r.collect_anchors(sch, sch_ptr, &base_key)?;
        let base_dialect = r.resources[&base_key]
            .dialect
            .clone()
            .ok_or_else(|| CompileError::Panic(NIL_PANIC.to_string()))?;
        let mut subschemas: BTreeMap<String, Json> = BTreeMap::new();
        for path in d.subschemas {
            collect_path(sch, sch_ptr, path, &mut subschemas);
        }
        for (ptr, v) in &subschemas {
            self.collect_resources(r, v, &base, ptr, &base_dialect)?;
        }
        Ok(())
    }

    /// Makes sure the subschema at `url#ptr` has been seen (it may be a
    /// `$ref` into a place no keyword marks as a schema).
    fn ensure_subschema(&mut self, url: &str, ptr: &str) -> Result<()> {
        self.or_load(url)?;
        if self.roots[url].processed.contains(ptr) {
            return Ok(());
        }
        let mut r = self
            .roots
            .remove(url)
            .ok_or_else(|| CompileError::Panic(NIL_PANIC.to_string()))?;
        let result = self.add_subschema(&mut r, ptr);
        let result = result.and_then(|v| self.validate_root(&r, &v, ptr));
        self.roots.insert(url.to_string(), r);
        result
    }

    fn add_subschema(&mut self, r: &mut Root, ptr: &str) -> Result<Json> {
        let v = lookup(&r.doc, &r.url, ptr)?.clone();
        let base = r.resource(ptr)?.clone();
        let dialect = base
            .dialect
            .clone()
            .ok_or_else(|| CompileError::Panic(NIL_PANIC.to_string()))?;
        self.collect_resources(r, &v, &base.id, ptr, &dialect)?;
        if !r.resources.contains_key(ptr) {
            let key = r
                .resource_key(ptr)
                .ok_or_else(|| CompileError::Panic(NIL_PANIC.to_string()))?;
            r.collect_anchors(&v, ptr, &key)?;
        }
        Ok(v)
    }

    /// Validates `v` (the part of root `r` at `ptr`) against its dialect's
    /// meta-schema.
    fn validate_root(&mut self, r: &Root, v: &Json, ptr: &str) -> Result<()> {
        let dialect = r.dialect(ptr)?;
        let Some(meta) = self.meta.as_mut() else {
            return Ok(());
        };
        let meta_sid = meta.dialect_schema(&dialect)?;
        // Resources with their own `$schema` are checked with their own
        // dialect when the validator reaches them.
        let mut resources = BTreeMap::new();
        for (p, res) in &r.resources {
            if let Some(d) = &res.dialect {
                resources.insert(p.clone(), meta.dialect_schema(d)?);
            }
        }
        match validator::validate(&meta.schemas, meta_sid, v, Some(meta_sid), &resources) {
            Ok(()) => Ok(()),
            Err(validator::Failure::Panic(p)) => Err(CompileError::Panic(p)),
            Err(validator::Failure::Invalid(e)) => Err(CompileError::Error(format!(
                "{} is not valid against metaschema: {}",
                go_quote(&location(&r.url, ptr)),
                e.text()
            ))),
        }
    }

    /// The meta-schema for a dialect (v6's `dialect.getSchema`), compiled
    /// in this (meta-schema) compiler.
    fn dialect_schema(&mut self, d: &Dialect) -> Result<Sid> {
        let Some(vocabs) = &d.vocabs else {
            return self.compile(d.draft.url);
        };
        let key = (d.draft.version, vocabs.clone());
        if let Some(&sid) = self.synthesized.get(&key) {
            return Ok(sid);
        }
        let mut all_of = Vec::new();
        for v in vocabs {
            if d.draft.all_vocabs.contains(&v.as_str()) {
                all_of.push(self.compile(&d.draft.vocab_url(v))?);
            }
        }
        if !vocabs.iter().any(|v| v == "core") {
            all_of.push(self.compile(&d.draft.vocab_url("core"))?);
        }
        let sid = self.schemas.len();
        let mut sch = Schema {
            url: "urn:mem:metaschema".to_string(),
            location: "urn:mem:metaschema".to_string(),
            draft_version: d.draft.version,
            resource: sid,
            all_of,
            ..Schema::default()
        };
        if d.draft.version >= 2020 {
            sch.dynamic_anchor = "meta".to_string();
            sch.dynamic_anchors.insert("meta".to_string(), sid);
        }
        self.schemas.push(sch);
        self.synthesized.insert(key, sid);
        Ok(sid)
    }

    fn enqueue(&mut self, url: &str, ptr: &str) -> Sid {
        let key = (url.to_string(), ptr.to_string());
        if let Some(&sid) = self.index.get(&key) {
            return sid;
        }
        let sid = self.schemas.len();
        self.schemas.push(Schema {
            url: url.to_string(),
            ptr: ptr.to_string(),
            location: location(url, ptr),
            resource: sid,
            ..Schema::default()
        });
        self.index.insert(key, sid);
        self.pending.push_back(sid);
        sid
    }

    fn do_compile(&mut self, url: &str, ptr: &str) -> Result<Sid> {
        let sid = self.enqueue(url, ptr);
        while let Some(next) = self.pending.pop_front() {
            let (u, p) = (
                self.schemas[next].url.clone(),
                self.schemas[next].ptr.clone(),
            );
            self.ensure_subschema(&u, &p)?;
            let doc = self.roots[&u].doc.clone();
            let v = lookup(&doc, &u, &p)?.clone();
            self.compile_value(&v, next)?;
        }
        Ok(sid)
    }

    fn compile_value(&mut self, v: &Json, sid: Sid) -> Result<()> {
        let (url, ptr) = (self.schemas[sid].url.clone(), self.schemas[sid].ptr.clone());
        let r = &self.roots[&url];
        let res = r.resource(&ptr)?.clone();
        let dialect = res
            .dialect
            .clone()
            .ok_or_else(|| CompileError::Panic(NIL_PANIC.to_string()))?;
        let version = dialect.draft.version;
        self.schemas[sid].draft_version = version;
        let resource = self.enqueue(&url, &res.ptr);
        self.schemas[sid].resource = resource;
        if version >= 2020 && resource == sid {
            for (anchor, anchor_ptr) in &res.anchors {
                if res.dynamic_anchors.contains(anchor) {
                    let a = self.enqueue(&url, anchor_ptr);
                    self.schemas[sid].dynamic_anchors.insert(anchor.clone(), a);
                }
            }
        }
        match v {
            Json::Bool(b) => self.schemas[sid].boolean = Some(*b),
            Json::Object(obj) if obj.is_empty() => self.schemas[sid].boolean = Some(true),
            Json::Object(obj) => {
                let mut oc = ObjCompiler {
                    c: self,
                    obj,
                    url: &url,
                    ptr: &ptr,
                    res: &res,
                    dialect: &dialect,
                    sid,
                };
                oc.compile()?;
            }
            _ => {}
        }
        let s = &mut self.schemas[sid];
        s.all_props_evaluated = s.additional_properties.is_some();
        if version < 2020 {
            s.all_items_evaluated = s.additional_items.is_some();
            match &s.items {
                Some(Items::One(_)) => s.all_items_evaluated = true,
                Some(Items::Tuple(t)) => s.num_items_evaluated = t.len(),
                None => {}
            }
        } else {
            s.all_items_evaluated = s.items2020.is_some();
            s.num_items_evaluated = s.prefix_items.len();
        }
        Ok(())
    }
}

/// Every value at `path` (`*`: all properties, `[]`: all items) below
/// `v`, keyed by pointer.
fn collect_path(v: &Json, ptr: &str, path: &str, out: &mut BTreeMap<String, Json>) {
    let (head, rest) = match path.split_once('/') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    let mut found: Vec<(String, &Json)> = Vec::new();
    match head {
        "*" => {
            if let Some(o) = v.as_object() {
                for (k, x) in o.iter() {
                    found.push((format!("{ptr}/{}", escape_token(k)), x));
                }
            }
        }
        "[]" => {
            if let Some(a) = v.as_array() {
                for (i, x) in a.iter().enumerate() {
                    found.push((format!("{ptr}/{i}"), x));
                }
            }
        }
        name => {
            if let Some(x) = v.as_object().and_then(|o| o.get(name)) {
                found.push((format!("{ptr}/{}", escape_token(name)), x));
            }
        }
    }
    for (p, x) in found {
        match rest {
            Some(r) => collect_path(x, &p, r, out),
            None => {
                out.insert(p, x.clone());
            }
        }
    }
}

/// Compiles one schema object (v6's `objCompiler`).
struct ObjCompiler<'a> {
    c: &'a mut Compiler,
    obj: &'a BTreeMap<String, Json>,
    url: &'a str,
    ptr: &'a str,
    res: &'a Resource,
    dialect: &'a Dialect,
    sid: Sid,
}

impl ObjCompiler<'_> {
    fn s(&mut self) -> &mut Schema {
        &mut self.c.schemas[self.sid]
    }

    fn has_vocab(&self, name: &str) -> bool {
        self.dialect.has_vocab(name)
    }

    fn version(&self) -> u32 {
        self.dialect.draft.version
    }

    fn compile(&mut self) -> Result<()> {
        self.draft4()?;
        if self.version() >= 6 {
            self.draft6();
        }
        if self.version() >= 7 {
            self.draft7();
        }
        if self.version() >= 2019 {
            self.draft2019()?;
        }
        if self.version() >= 2020 {
            self.draft2020()?;
        }
        Ok(())
    }

    fn draft4(&mut self) -> Result<()> {
        if self.has_vocab("core") {
            let r = self.enqueue_ref("$ref")?;
            self.s().reference = r;
            if self.version() < 2019 && r.is_some() {
                return Ok(());
            }
        }
        if self.has_vocab("applicator") {
            let all_of = self.enqueue_arr("allOf");
            let any_of = self.enqueue_arr("anyOf");
            let one_of = self.enqueue_arr("oneOf");
            let not = self.enqueue_prop("not");
            let s = self.s();
            (s.all_of, s.any_of, s.one_of, s.not) = (all_of, any_of, one_of, not);
            if self.version() < 2020 {
                if let Some(items) = self.obj.get("items") {
                    if items.as_array().is_some() {
                        let t = self.enqueue_arr("items");
                        let add = self.enqueue_additional("additionalItems");
                        self.s().items = Some(Items::Tuple(t));
                        self.s().additional_items = add;
                    } else {
                        let one = self.enqueue_prop("items");
                        self.s().items = one.map(Items::One);
                    }
                }
            }
            let props = self.enqueue_map("properties");
            self.s().properties = props;
            let pattern_props = self.enqueue_map("patternProperties");
            let mut compiled = Vec::new();
            for (pname, sch) in pattern_props {
                let re = GoRegex::compile(&pname).map_err(|e| {
                    CompileError::Error(format!(
                        "invalid regex {} at {}: {e}",
                        go_quote(&pname),
                        go_quote(&self.format_loc("patternProperties"))
                    ))
                })?;
                compiled.push((Rc::new(re), sch));
            }
            self.s().pattern_properties = compiled;
            let add = self.enqueue_additional("additionalProperties");
            self.s().additional_properties = add;
            if let Some(deps) = self.obj.get("dependencies").and_then(Json::as_object) {
                let mut out = BTreeMap::new();
                for (pname, pvalue) in deps.iter() {
                    let dep = match pvalue.as_array() {
                        Some(arr) => Dependency::Props(to_strings(arr)),
                        None => {
                            let p = format!("{}/dependencies/{}", self.ptr, escape_token(pname));
                            Dependency::Schema(self.c.enqueue(self.url, &p))
                        }
                    };
                    out.insert(pname.clone(), dep);
                }
                self.s().dependencies = out;
            }
        }
        if self.has_vocab("validation") {
            if let Some(t) = self.obj.get("type") {
                self.s().types = new_types(t);
            }
            if let Some(arr) = self.obj.get("enum").and_then(Json::as_array) {
                let mut types = Types::default();
                for item in arr {
                    types.add(type_of(item));
                }
                self.s().enumeration = Some((arr.to_vec(), types));
            }
            let multiple_of = self.num_val("multipleOf");
            let mut maximum = self.num_val("maximum");
            let exclusive_maximum = if self.boolean("exclusiveMaximum") {
                maximum.take()
            } else {
                self.num_val("exclusiveMaximum")
            };
            let mut minimum = self.num_val("minimum");
            let exclusive_minimum = if self.boolean("exclusiveMinimum") {
                minimum.take()
            } else {
                self.num_val("exclusiveMinimum")
            };
            let min_length = self.int_val("minLength");
            let max_length = self.int_val("maxLength");
            let pattern = match self.obj.get("pattern").and_then(Json::as_str) {
                Some(p) => Some(Rc::new(GoRegex::compile(p).map_err(|e| {
                    CompileError::Error(format!(
                        "invalid regex {} at {}: {e}",
                        go_quote(p),
                        go_quote(&self.format_loc("pattern"))
                    ))
                })?)),
                None => None,
            };
            let min_items = self.int_val("minItems");
            let max_items = self.int_val("maxItems");
            let unique_items = self.boolean("uniqueItems");
            let max_properties = self.int_val("maxProperties");
            let min_properties = self.int_val("minProperties");
            let required = self
                .obj
                .get("required")
                .and_then(Json::as_array)
                .map(to_strings)
                .unwrap_or_default();
            let s = self.s();
            s.multiple_of = multiple_of;
            s.maximum = maximum;
            s.exclusive_maximum = exclusive_maximum;
            s.minimum = minimum;
            s.exclusive_minimum = exclusive_minimum;
            s.min_length = min_length;
            s.max_length = max_length;
            s.pattern = pattern;
            s.min_items = min_items;
            s.max_items = max_items;
            s.unique_items = unique_items;
            s.max_properties = max_properties;
            s.min_properties = min_properties;
            s.required = required;
        }
        if self.assert_format() {
            if let Some(f) = self.obj.get("format").and_then(Json::as_str) {
                let format = formats::lookup(f);
                self.s().format = format;
            }
        }
        Ok(())
    }

    fn draft6(&mut self) {
        if self.has_vocab("applicator") {
            let contains = self.enqueue_prop("contains");
            let names = self.enqueue_prop("propertyNames");
            self.s().contains = contains;
            self.s().property_names = names;
        }
        if self.has_vocab("validation") {
            if let Some(v) = self.obj.get("const") {
                let v = v.clone();
                self.s().constant = Some(v);
            }
        }
    }

    fn draft7(&mut self) {
        if self.has_vocab("applicator") {
            let if_ = self.enqueue_prop("if");
            self.s().if_ = if_;
            if if_.is_some() {
                let b = self.obj.get("if").and_then(Json::as_bool);
                if b != Some(false) {
                    let then = self.enqueue_prop("then");
                    self.s().then = then;
                }
                if b != Some(true) {
                    let else_ = self.enqueue_prop("else");
                    self.s().else_ = else_;
                }
            }
        }
    }

    fn draft2019(&mut self) -> Result<()> {
        if self.has_vocab("core") {
            let r = self.enqueue_ref("$recursiveRef")?;
            let anchor = self.boolean("$recursiveAnchor");
            self.s().recursive_ref = r;
            self.s().recursive_anchor = anchor;
        }
        if self.has_vocab("validation") {
            if self.c.schemas[self.sid].contains.is_some() {
                let min = self.int_val("minContains");
                let max = self.int_val("maxContains");
                self.s().min_contains = min;
                self.s().max_contains = max;
            }
            if let Some(m) = self.obj.get("dependentRequired").and_then(Json::as_object) {
                let mut out = BTreeMap::new();
                for (pname, pvalue) in m.iter() {
                    if let Some(arr) = pvalue.as_array() {
                        out.insert(pname.clone(), to_strings(arr));
                    }
                }
                self.s().dependent_required = out;
            }
        }
        if self.has_vocab("applicator") {
            let m = self.enqueue_map("dependentSchemas");
            self.s().dependent_schemas = m;
        }
        let unevaluated = if self.version() == 2019 {
            self.has_vocab("applicator")
        } else {
            self.has_vocab("unevaluated")
        };
        if unevaluated {
            let items = self.enqueue_prop("unevaluatedItems");
            let props = self.enqueue_prop("unevaluatedProperties");
            self.s().unevaluated_items = items;
            self.s().unevaluated_properties = props;
        }
        Ok(())
    }

    fn draft2020(&mut self) -> Result<()> {
        if self.has_vocab("core") {
            if let Some(sch) = self.enqueue_ref("$dynamicRef")? {
                let dref = self
                    .obj
                    .get("$dynamicRef")
                    .and_then(Json::as_str)
                    .unwrap_or_default();
                let (_, frag) = gourl::split_fragment(dref)?;
                let anchor = if !frag.is_empty() && !frag.starts_with('/') {
                    frag
                } else {
                    String::new()
                };
                self.s().dynamic_ref = Some((sch, anchor));
            }
            let a = self.string("$dynamicAnchor");
            self.s().dynamic_anchor = a;
        }
        if self.has_vocab("applicator") {
            let prefix = self.enqueue_arr("prefixItems");
            let items = self.enqueue_prop("items");
            self.s().prefix_items = prefix;
            self.s().items2020 = items;
        }
        Ok(())
    }

    fn assert_format(&self) -> bool {
        if self.c.assert_format || self.version() < 2019 {
            return true;
        }
        if self.version() == 2019 {
            self.has_vocab("format")
        } else {
            self.has_vocab("format-assertion")
        }
    }

    /// `urlPtr.format(tok)`: the location of a keyword of this schema.
    fn format_loc(&self, tok: &str) -> String {
        format!(
            "{}/{}",
            location(self.url, self.ptr),
            gourl::encode_fragment(&escape_token(tok))
        )
    }

    fn enqueue_ref(&mut self, pname: &str) -> Result<Option<Sid>> {
        let Some(reference) = self.obj.get(pname).and_then(Json::as_str) else {
            return Ok(None);
        };
        let (u, frag) = gourl::join(&self.res.id, reference)?;
        let local = {
            let r = &self.c.roots[self.url];
            r.resolve(&u, &frag)?
        };
        if let Some(p) = local {
            return Ok(Some(self.c.enqueue(self.url, &p)));
        }
        let p = self.c.resolve_fragment(&u, &frag)?;
        Ok(Some(self.c.enqueue(&u, &p)))
    }

    fn enqueue_prop(&mut self, pname: &str) -> Option<Sid> {
        if !self.obj.contains_key(pname) {
            return None;
        }
        let p = format!("{}/{}", self.ptr, escape_token(pname));
        Some(self.c.enqueue(self.url, &p))
    }

    fn enqueue_arr(&mut self, pname: &str) -> Vec<Sid> {
        let Some(arr) = self.obj.get(pname).and_then(Json::as_array) else {
            return Vec::new();
        };
        (0..arr.len())
            .map(|i| {
                let p = format!("{}/{}/{i}", self.ptr, escape_token(pname));
                self.c.enqueue(self.url, &p)
            })
            .collect()
    }

    fn enqueue_map(&mut self, pname: &str) -> BTreeMap<String, Sid> {
        let Some(obj) = self.obj.get(pname).and_then(Json::as_object) else {
            return BTreeMap::new();
        };
        obj.keys()
            .map(|k| {
                let p = format!("{}/{}/{}", self.ptr, escape_token(pname), escape_token(k));
                (k.clone(), self.c.enqueue(self.url, &p))
            })
            .collect()
    }

    fn enqueue_additional(&mut self, pname: &str) -> Option<Additional> {
        if let Some(b) = self.obj.get(pname).and_then(Json::as_bool) {
            return Some(Additional::Bool(b));
        }
        self.enqueue_prop(pname).map(Additional::Schema)
    }

    fn boolean(&self, pname: &str) -> bool {
        self.obj.get(pname).and_then(Json::as_bool) == Some(true)
    }

    fn string(&self, pname: &str) -> String {
        self.obj
            .get(pname)
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_string()
    }

    fn num_val(&self, pname: &str) -> Option<Decimal> {
        match self.obj.get(pname) {
            Some(Json::Number(n)) => n.value.clone(),
            _ => None,
        }
    }

    fn int_val(&self, pname: &str) -> Option<i64> {
        self.num_val(pname)
            .filter(Decimal::is_int)
            .map(|n| n.to_go_int())
    }
}

fn to_strings(arr: &[Json]) -> Vec<String> {
    arr.iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// v6's `newTypes`.
fn new_types(v: &Json) -> Types {
    let mut t = Types::default();
    match v {
        Json::String(s) => t.add(Types::from_name(s)),
        Json::Array(a) => {
            for item in a.iter() {
                if let Some(s) = item.as_str() {
                    t.add(Types::from_name(s));
                }
            }
        }
        _ => {}
    }
    t
}

/// v6's `typeOf` (0 for a value that is not JSON).
pub(crate) fn type_of(v: &Json) -> u8 {
    use super::kind::{ARRAY, BOOLEAN, NULL, NUMBER, OBJECT, STRING};
    match v {
        Json::Null => NULL,
        Json::Bool(_) => BOOLEAN,
        Json::Number(_) => NUMBER,
        Json::String(_) => STRING,
        Json::Array(_) => ARRAY,
        Json::Object(_) => OBJECT,
        Json::Invalid(_) => 0,
    }
}
