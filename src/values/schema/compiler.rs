//! Schema compilation as santhosh-tekuri/jsonschema v6 does it
//! (`compiler.go`, `roots.go`): documents are loaded as roots
//! ([`super::roots`]), their resources (`$id`s), anchors and dialects
//! collected, each root checked against its meta-schema, then every
//! reachable schema compiled into an arena, keyword by keyword
//! ([`super::keywords`]), as the schema's draft and vocabularies allow.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::rc::Rc;

use super::compiled::{Composition, Items, Schema, Sid, NIL_PANIC};
use super::draft::{self, Dialect};
use super::fast_meta;
use super::gourl::{self, location};
use super::json::Json;
use super::keywords::{NameBits, ObjCompiler};
use super::pointers::{PointerMap, PointerSet};
use super::roots::{collect_path, lookup, Loader, Resource, Root};
use super::validator;
use crate::template::strconv::quote as go_quote;

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

pub(crate) type Result<T> = std::result::Result<T, CompileError>;

/// A compiler and the arena of what it compiled. The meta-schema compiler
/// asserts formats always; a user compiler validates every root it loads
/// against the root's meta-schema.
pub(crate) struct Compiler {
    pub(super) assert_format: bool,
    pub(super) roots: BTreeMap<String, Root>,
    loader: Loader,
    pub(crate) schemas: Vec<Schema>,
    /// The schemas enqueued so far, by URL and then pointer.
    index: BTreeMap<String, PointerMap<Sid>>,
    /// Schemas to compile, with their values where the enqueuer had them.
    pending: VecDeque<(Sid, Option<Json>)>,
    meta: Option<Box<Compiler>>,
    /// Meta-schemas synthesized for custom vocabulary sets.
    synthesized: BTreeMap<(u32, Vec<String>), Sid>,
    /// The `$ref`s and `$id`s resolved so far.
    pub(super) joins: gourl::Joins,
}

impl Compiler {
    /// The `urn:` references this compiler took as the permissive `true`
    /// (Helm logs each), in the order it loaded them.
    pub(crate) fn unresolved_urns(&self) -> &[String] {
        &self.loader.unresolved_urns
    }

    /// A compiler for user schemas (Helm's set-up).
    pub(crate) fn new() -> Compiler {
        Compiler::with(false, Some(Box::new(Compiler::with(true, None))))
    }

    pub(super) fn with(assert_format: bool, meta: Option<Box<Compiler>>) -> Compiler {
        Compiler {
            assert_format,
            roots: BTreeMap::new(),
            loader: Loader::default(),
            schemas: Vec::new(),
            index: BTreeMap::new(),
            pending: VecDeque::new(),
            meta,
            synthesized: BTreeMap::new(),
            joins: gourl::Joins::default(),
        }
    }

    /// `AddResource`.
    pub(crate) fn add_resource(&mut self, url: &str, doc: Json) {
        self.loader.docs.insert(url.to_string(), doc);
    }

    /// `Compile(url)` for an absolute URL without fragment.
    pub(crate) fn compile(&mut self, url: &str) -> Result<Sid> {
        let ptr = self.resolve_fragment(url, "")?;
        // Each subschema the document's keywords hold is compiled once: room
        // for them all up front spares copying the arena as it grows.
        let collected = self.roots.get(url).map_or(0, |r| r.processed.len());
        self.schemas.reserve(collected);
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
            processed: PointerSet::default(),
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

    pub(super) fn resolve_fragment(&mut self, url: &str, frag: &str) -> Result<String> {
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
        // v6 marks the subschema once it is done; marking it first is the
        // same, as nothing below it leads back to it, and looks it up once.
        if r.processed.insert_new(sch_ptr, ()).is_some() {
            return Ok(());
        }
        self.collect_resources_in(r, sch, base, sch_ptr, fallback)
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
                r.resources.insert(String::new(), Rc::new(res));
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
            let (u, _) = self.joins.join(&base, &id).map_err(|_| {
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
                    r.resources.insert(sch_ptr.to_string(), Rc::new(res));
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
        let mut subschemas: Vec<(String, Json)> = Vec::new();
        for key in obj.keys() {
            for path in d.subschemas_at(key) {
                collect_path(sch, sch_ptr, path, &mut subschemas);
            }
        }
        // In pointer order (v6 ranges over a Go map; any fixed order will
        // do, this one is the earlier sorted map's). Every pointer starts
        // with `sch_ptr`, so only the rest is compared.
        subschemas.sort_by(|(a, _), (b, _)| a[sch_ptr.len()..].cmp(&b[sch_ptr.len()..]));
        subschemas.dedup_by(|(a, _), (b, _)| a == b);
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
        // The common case (a plain 2019-09 or 2020-12 document) is
        // checked by the shortcut; whatever it doubts goes through the
        // meta-schema.
        if dialect.vocabs.is_none()
            && r.resources.keys().all(String::is_empty)
            && fast_meta::certainly_valid(v, dialect.draft.version, ptr.is_empty())
        {
            return Ok(());
        }
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
            synthesized: true,
            draft_version: d.draft.version,
            resource: sid,
            composition: Some(Box::new(Composition {
                all_of,
                ..Composition::default()
            })),
            ..Schema::default()
        };
        if d.draft.version >= 2020 {
            let dynamic = sch.dynamic_mut();
            dynamic.dynamic_anchor = "meta".to_string();
            dynamic.dynamic_anchors.insert("meta".to_string(), sid);
        }
        self.schemas.push(sch);
        self.synthesized.insert(key, sid);
        Ok(sid)
    }

    pub(super) fn enqueue(&mut self, url: &str, ptr: &str) -> Sid {
        self.enqueue_known(url, ptr, None)
    }

    /// [`Compiler::enqueue`] for a subschema whose value the caller holds
    /// (the value at `ptr` in the document at `url`), so that compiling it
    /// need not look the pointer up again.
    pub(super) fn enqueue_known(&mut self, url: &str, ptr: &str, value: Option<&Json>) -> Sid {
        let ptrs = match self.index.get_mut(url) {
            Some(ptrs) => ptrs,
            None => self.index.entry(url.to_string()).or_default(),
        };
        let sid = self.schemas.len();
        if let Some(&known) = ptrs.insert_new(ptr, sid) {
            return known;
        }
        self.schemas.push(Schema {
            url: url.to_string(),
            ptr: ptr.to_string(),
            resource: sid,
            ..Schema::default()
        });
        self.pending.push_back((sid, value.cloned()));
        sid
    }

    fn do_compile(&mut self, url: &str, ptr: &str) -> Result<Sid> {
        let sid = self.enqueue(url, ptr);
        while let Some((next, known)) = self.pending.pop_front() {
            let (u, p) = (
                self.schemas[next].url.clone(),
                self.schemas[next].ptr.clone(),
            );
            self.ensure_subschema(&u, &p)?;
            let v = match known {
                Some(v) => v,
                None => lookup(&self.roots[&u].doc, &u, &p)?.clone(),
            };
            self.compile_value(&v, next)?;
        }
        Ok(sid)
    }

    /// Compiles schema `sid`, whose value is `v`: its draft, resource and
    /// dynamic anchors, its keywords, and what they leave evaluated.
    /// [Out of line](crate#functions-kept-out-of-line) from the queue loop of
    /// [`Compiler::do_compile`], which would otherwise hold every keyword's
    /// code.
    #[inline(never)]
    fn compile_value(&mut self, v: &Json, sid: Sid) -> Result<()> {
        let (url, ptr) = (self.schemas[sid].url.clone(), self.schemas[sid].ptr.clone());
        let r = &self.roots[&url];
        let res = Rc::clone(r.resource(&ptr)?);
        let dialect = res
            .dialect
            .as_ref()
            .ok_or_else(|| CompileError::Panic(NIL_PANIC.to_string()))?;
        let version = dialect.draft.version;
        self.schemas[sid].draft_version = version;
        let resource = self.enqueue(&url, &res.ptr);
        self.schemas[sid].resource = resource;
        if version >= 2020 && resource == sid {
            for (anchor, anchor_ptr) in &res.anchors {
                if res.dynamic_anchors.contains(anchor) {
                    let a = self.enqueue(&url, anchor_ptr);
                    let dynamic = self.schemas[sid].dynamic_mut();
                    dynamic.dynamic_anchors.insert(anchor.clone(), a);
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
                    dialect,
                    sid,
                    names: NameBits::of(obj),
                };
                oc.compile()?;
            }
            _ => {}
        }
        let s = &mut self.schemas[sid];
        s.all_props_evaluated = s.additional_properties.is_some();
        if let Some(a) = &s.arrays {
            if version < 2020 {
                s.all_items_evaluated = a.additional_items.is_some();
                match &a.items {
                    Some(Items::One(_)) => s.all_items_evaluated = true,
                    Some(Items::Tuple(t)) => s.num_items_evaluated = t.len(),
                    None => {}
                }
            } else {
                s.all_items_evaluated = a.items2020.is_some();
                s.num_items_evaluated = a.prefix_items.len();
            }
        }
        Ok(())
    }
}
