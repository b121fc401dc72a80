//! Documents as v6 keeps them (`roots.go`, `root.go`, `loader.go`): each
//! loaded document is a root with its resources (`$id`s), their dialects
//! and anchors. The loader follows Helm's set-up without network or file
//! system: bundled meta-schemas, `urn:` references as the permissive `true`
//! schema (Helm's fallback for unresolved URNs), `file:` references as
//! missing files, `http(s):` documents as unavailable.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use super::compiled::NIL_PANIC;
use super::compiler::{CompileError, Result};
use super::draft::{self, Dialect, Draft};
use super::gourl::{self, encloses, location};
use super::json::{self, Json};
use super::pointers::PointerSet;
use crate::template::strconv::quote as go_quote;

#[derive(Clone, Debug)]
pub(super) struct Resource {
    pub(super) ptr: String,
    pub(super) id: String,
    pub(super) dialect: Option<Dialect>,
    pub(super) anchors: BTreeMap<String, String>,
    pub(super) dynamic_anchors: Vec<String>,
}

impl Resource {
    pub(super) fn new(ptr: &str, id: &str) -> Resource {
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
pub(super) struct Root {
    pub(super) url: String,
    pub(super) doc: Json,
    /// Shared with the compile of each subschema in them, which reads
    /// them while the compiler changes.
    pub(super) resources: BTreeMap<String, Rc<Resource>>,
    /// The subschemas whose resources were collected.
    pub(super) processed: PointerSet,
}

impl Root {
    /// The resource enclosing `ptr` (v6's `root.resource`) with its key;
    /// `None` where Go would hand out a nil resource.
    fn enclosing(&self, ptr: &str) -> Option<(&String, &Rc<Resource>)> {
        // `ptr` itself, else its longest `/`-ended prefix, else the root:
        // documents have few resources, so each is tried against `ptr`.
        self.resources
            .iter()
            .filter(|(key, _)| key.is_empty() || encloses(key, ptr))
            .max_by_key(|(key, _)| key.len())
    }

    /// The key of the resource enclosing `ptr` ([`Root::enclosing`]).
    pub(super) fn resource_key(&self, ptr: &str) -> Option<String> {
        self.enclosing(ptr).map(|(key, _)| key.clone())
    }

    /// The resource enclosing `ptr` ([`Root::enclosing`]).
    pub(super) fn resource(&self, ptr: &str) -> Result<&Rc<Resource>> {
        self.enclosing(ptr)
            .map(|(_, res)| res)
            .ok_or_else(|| CompileError::Panic(NIL_PANIC.to_string()))
    }

    pub(super) fn dialect(&self, ptr: &str) -> Result<Dialect> {
        self.resource(ptr)?
            .dialect
            .clone()
            .ok_or_else(|| CompileError::Panic(NIL_PANIC.to_string()))
    }

    /// A fragment (JSON pointer or anchor) within `res`.
    pub(super) fn resolve_fragment_in(&self, frag: &str, res: &Resource) -> Result<String> {
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
    pub(super) fn resolve(&self, url: &str, frag: &str) -> Result<Option<String>> {
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
    pub(super) fn collect_anchors(
        &mut self,
        sch: &Json,
        sch_ptr: &str,
        res_key: &str,
    ) -> Result<()> {
        let Some(obj) = sch.as_object() else {
            return Ok(());
        };
        let url = &self.url;
        let Some(res) = self.resources.get_mut(res_key).map(Rc::make_mut) else {
            return Err(CompileError::Panic(NIL_PANIC.to_string()));
        };
        let Some(dialect) = &res.dialect else {
            return Err(CompileError::Panic(NIL_PANIC.to_string()));
        };
        let draft = dialect.draft;
        let version = draft.version;
        let add = |res: &mut Resource, anchor: &str| -> Result<()> {
            if let Some(p1) = res.anchors.get(anchor) {
                if p1 == sch_ptr {
                    return Ok(());
                }
                return Err(CompileError::Error(format!(
                    "duplicate anchor {} in {} at {} and {}",
                    go_quote(anchor),
                    go_quote(url),
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
            if let Some(id) = obj.get(draft.id).and_then(Json::as_str) {
                let (_, frag) = gourl::split_fragment(id).map_err(|_| {
                    CompileError::Error(format!(
                        "error in parsing anchor at {}",
                        go_quote(&location(url, sch_ptr))
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
pub(super) fn lookup<'d>(doc: &'d Json, url: &str, ptr: &str) -> Result<&'d Json> {
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
            Json::Object(o) => o.get(tok.as_ref()),
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
pub(super) struct Loader {
    pub(super) docs: BTreeMap<String, Json>,
    /// The `urn:` references loaded as the permissive `true`, in the order
    /// loaded (each once: a loaded document is kept).
    pub(super) unresolved_urns: Vec<String>,
}

impl Loader {
    pub(super) fn load(&mut self, url: &str) -> Result<Json> {
        if let Some(doc) = self.docs.get(url) {
            return Ok(doc.clone());
        }
        let doc = match draft::meta_document(url) {
            Some(text) => json::unmarshal(text.as_bytes())?,
            None => self.load_external(url).map_err(|e| {
                CompileError::Error(format!("failing loading {}: {e}", go_quote(url)))
            })?,
        };
        self.docs.insert(url.to_string(), doc.clone());
        Ok(doc)
    }

    /// Helm's `SchemeURLLoader`, offline. A `urn:` reference is Helm's
    /// unresolved URN: the permissive `true`, which Helm logs.
    fn load_external(&mut self, url: &str) -> std::result::Result<Json, String> {
        let (scheme, path) = gourl::scheme_and_path(url)?;
        match scheme.as_str() {
            "file" => Err(format!("open {path}: no such file or directory")),
            "http" | "https" => Err(format!(
                "HTTP request failed for {url}: remote schemas are not fetched (no network access)"
            )),
            "urn" => {
                self.unresolved_urns.push(url.to_string());
                Ok(Json::Bool(true))
            }
            _ => Err(format!(
                "no URLLoader registered for {}",
                go_quote(&gourl::normalized(url)?)
            )),
        }
    }

    /// The draft `doc` follows, resolving custom meta-schemas.
    pub(super) fn get_draft(
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
    pub(super) fn get_meta_vocabs(
        &mut self,
        doc: &Json,
        d: &'static Draft,
    ) -> Result<Option<Vec<String>>> {
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

/// Every value at `path` (`*`: all properties, `[]`: all items) below
/// `v`, each with its pointer.
pub(super) fn collect_path(v: &Json, ptr: &str, path: &str, out: &mut Vec<(String, Json)>) {
    let (head, rest) = match path.split_once('/') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    let mut visit = |p: String, x: &Json| match rest {
        Some(r) => collect_path(x, &p, r, out),
        None => {
            out.push((p, x.clone()));
        }
    };
    match head {
        "*" => {
            if let Some(o) = v.as_object() {
                for (k, x) in o.iter() {
                    visit(gourl::child_pointer(ptr, &[k]), x);
                }
            }
        }
        "[]" => {
            if let Some(a) = v.as_array() {
                for (i, x) in a.iter().enumerate() {
                    visit(gourl::item_pointer(ptr, &[], i), x);
                }
            }
        }
        name => {
            if let Some(x) = v.as_object().and_then(|o| o.get(name)) {
                visit(gourl::child_pointer(ptr, &[name]), x);
            }
        }
    }
}
