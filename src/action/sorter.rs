//! Sorting rendered files into hooks and manifests, mirroring Helm v3.21.4's
//! `releaseutil.SortManifests` (`pkg/releaseutil/manifest_sorter.go`):
//! files in path order (partials and blank files skipped), each split into
//! documents, each document's head read (a failure stops everything with
//! `YAML parse error on <file>: <yaml error>`), hooks and plain manifests
//! then each sorted by kind in install order. Helm reads the bytes of the
//! engine's output: where a file's are not UTF-8, its documents are split
//! from those bytes too, and go-yaml refuses them as it reaches them.

use std::collections::BTreeMap;

use super::hooks::{classify, Hook, HookKind};
use super::manifest::{manifest_ranges, split_manifests, Manifest, SimpleHead};
use super::sort::{sort_by_kind, INSTALL_ORDER};
use crate::template::strconv::quote;
use crate::yaml::{NotUtf8, Source, YamlError};

/// What sorting produced.
#[derive(Clone, Debug, Default)]
pub struct Sorted {
    /// Hooks, by kind (in file order when sorting failed).
    pub hooks: Vec<Hook>,
    /// Plain manifests, by kind (in file order when sorting failed).
    pub manifests: Vec<Manifest>,
    /// Helm's log lines (`info: skipping unknown hook: "…"`).
    pub warnings: Vec<String>,
    /// The parse failure that stopped sorting, if any.
    pub error: Option<String>,
}

/// Helm's `SortManifests(files, nil, InstallOrder)`.
pub fn sort_manifests(files: &BTreeMap<String, String>) -> Sorted {
    sort_go_manifests(files, &BTreeMap::new())
}

/// [`sort_manifests`] for files of which some (`not_utf8`, by path) hold
/// bytes that are not UTF-8 in Go's output: a document with any is read as
/// go-yaml reads those bytes, which it refuses.
///
/// [Out of line](crate#functions-kept-out-of-line), as are the head reading and the hook
/// classification it calls, to keep `render_resources` small.
#[inline(never)]
pub fn sort_go_manifests(
    files: &BTreeMap<String, String>,
    not_utf8: &BTreeMap<String, Vec<u8>>,
) -> Sorted {
    let mut sorted = Sorted::default();
    let mut docs: Vec<Doc> = Vec::new();
    for (path, content) in files {
        let base = path.rsplit('/').next().unwrap_or(path);
        if base.starts_with('_') || content.trim().is_empty() {
            continue;
        }
        let texts = split_manifests(content).into_iter();
        match not_utf8.get(path) {
            None => docs.extend(texts.map(|text| Doc {
                path,
                text,
                not_utf8: None,
            })),
            // The documents of the bytes and of their text correspond.
            Some(bytes) => {
                docs.extend(texts.zip(manifest_ranges(bytes)).map(|(text, range)| Doc {
                    path,
                    text,
                    not_utf8: NotUtf8::find(&bytes[range]),
                }))
            }
        }
    }
    let heads = parse_heads(&docs);
    for (doc, head) in docs.into_iter().zip(heads) {
        let Doc { path, text, .. } = doc;
        let head = match head {
            Ok(head) => head,
            Err(e) => {
                sorted.error = Some(format!("YAML parse error on {path}: {e}"));
                return sorted;
            }
        };
        match classify(path, &text, &head) {
            HookKind::NotAHook => sorted.manifests.push(Manifest {
                name: path.clone(),
                content: text,
                head,
            }),
            HookKind::Unknown(types) => {
                sorted
                    .warnings
                    .push(crate::helm_log::UNKNOWN_HOOK.line(format_args!(
                        "info: skipping unknown hook: {}",
                        quote(&types)
                    )))
            }
            HookKind::Hook(hook) => sorted.hooks.push(hook),
        }
    }
    sort_by_kind(&mut sorted.hooks, INSTALL_ORDER, |h| &h.kind);
    sort_by_kind(&mut sorted.manifests, INSTALL_ORDER, |m| &m.head.kind);
    sorted
}

/// One document of a rendered file.
struct Doc<'a> {
    path: &'a String,
    text: String,
    /// Where the document's bytes in Go's output stop being UTF-8.
    not_utf8: Option<NotUtf8>,
}

impl Doc<'_> {
    fn head(&self) -> Result<SimpleHead, YamlError> {
        match self.not_utf8 {
            None => SimpleHead::parse(&self.text),
            not_utf8 => SimpleHead::parse_source(Source {
                text: &self.text,
                not_utf8,
            }),
        }
    }
}

/// Each document's head, in order. Reading them is most of the sorting's
/// time when a chart renders large documents (CRDs); natively, a large
/// output is read on two threads (documents are independent).
fn parse_heads(docs: &[Doc]) -> Vec<Result<SimpleHead, YamlError>> {
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(heads) = parse_heads_on_two_threads(docs) {
        return heads;
    }
    docs.iter().map(Doc::head).collect()
}

/// Below this many bytes of documents, a second thread costs more than it
/// saves.
#[cfg(not(target_arch = "wasm32"))]
const TWO_THREADS_FROM_BYTES: usize = 256 << 10;

/// Deeply nested documents need the stack the render thread has.
#[cfg(not(target_arch = "wasm32"))]
const WORKER_STACK_BYTES: usize = 256 << 20;

/// [`parse_heads`] with the documents shared out by size between this
/// thread and another (largest first, each to the less loaded one);
/// `None` if not worth it or no thread.
#[cfg(not(target_arch = "wasm32"))]
fn parse_heads_on_two_threads(docs: &[Doc]) -> Option<Vec<Result<SimpleHead, YamlError>>> {
    let total: usize = docs.iter().map(|doc| doc.text.len()).sum();
    if docs.len() < 2 || total < TWO_THREADS_FROM_BYTES {
        return None;
    }
    let mut by_size: Vec<usize> = (0..docs.len()).collect();
    by_size.sort_by_key(|&i| std::cmp::Reverse(docs[i].text.len()));
    let (mut mine, mut theirs) = (Vec::new(), Vec::new());
    let (mut my_bytes, mut their_bytes) = (0, 0);
    for i in by_size {
        if their_bytes <= my_bytes {
            theirs.push(i);
            their_bytes += docs[i].text.len();
        } else {
            mine.push(i);
            my_bytes += docs[i].text.len();
        }
    }
    let read = |part: &[usize]| -> Vec<_> { part.iter().map(|&i| (i, docs[i].head())).collect() };
    let mut heads: Vec<Option<Result<SimpleHead, YamlError>>> = Vec::new();
    heads.resize_with(docs.len(), || None);
    let (theirs, here) = crate::threads::with_helper(
        "manifests",
        WORKER_STACK_BYTES,
        || read(&theirs),
        || read(&mine),
    )?;
    for (i, head) in here.into_iter().chain(theirs) {
        heads[i] = Some(head);
    }
    heads.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(items: &[(&str, &str)]) -> BTreeMap<String, String> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn large_outputs_read_on_two_threads_give_the_same_result() {
        let doc = |i: usize| {
            format!(
                "kind: ConfigMap\nmetadata:\n  name: m{i}\ndata:\n  text: {}\n",
                "x".repeat(20_000)
            )
        };
        let mut items: Vec<(String, String)> = (0..30)
            .map(|i| (format!("c/templates/f{i:02}.yaml"), doc(i)))
            .collect();
        let big: BTreeMap<String, String> = items.iter().cloned().collect();
        let sorted = sort_manifests(&big);
        assert_eq!(sorted.error, None);
        let names: Vec<String> = sorted
            .manifests
            .iter()
            .map(|m| m.head.metadata.as_ref().unwrap().name.clone())
            .collect();
        let expected: Vec<String> = (0..30).map(|i| format!("m{i}")).collect();
        assert_eq!(names, expected);
        // The first bad document in file order is the one reported, as
        // when reading one document after the other.
        items[10].1 = "kind: [".to_string();
        items[25].1 = "kind: {".to_string();
        let sorted = sort_manifests(&items.into_iter().collect());
        let error = sorted.error.expect("a parse error");
        assert!(
            error.starts_with("YAML parse error on c/templates/f10.yaml: "),
            "{error}"
        );
    }

    #[test]
    fn files_sort_into_hooks_and_manifests() {
        let sorted = sort_manifests(&files(&[
            ("c/templates/b.yaml", "kind: Deployment\nmetadata:\n  name: d\n---\nkind: Service\nmetadata:\n  name: s\n"),
            ("c/templates/a.yaml", "kind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: post-install\n---\nkind: ConfigMap\nmetadata:\n  name: h\n  annotations:\n    helm.sh/hook: test\n---\n# just a comment\n"),
            ("c/templates/_p.tpl", "kind: Secret"),
            ("c/templates/blank.yaml", "  \n\n"),
            ("c/templates/u.yaml", "kind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: pre-instal\n"),
        ]));
        assert_eq!(sorted.error, None);
        let manifests: Vec<(&str, &str)> = sorted
            .manifests
            .iter()
            .map(|m| (m.name.as_str(), m.head.kind.as_str()))
            .collect();
        assert_eq!(
            manifests,
            [
                ("c/templates/b.yaml", "Service"),
                ("c/templates/b.yaml", "Deployment"),
                ("c/templates/a.yaml", ""),
            ]
        );
        assert_eq!(sorted.manifests[2].content, "# just a comment");
        let hooks: Vec<&str> = sorted.hooks.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(hooks, ["h", "j"]);
        assert_eq!(
            sorted.warnings,
            ["manifest_sorter.go:199: info: skipping unknown hook: \"pre-instal\""]
        );
    }

    #[test]
    fn a_bad_document_stops_sorting() {
        let sorted = sort_manifests(&files(&[
            (
                "c/templates/a.yaml",
                "kind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: test\n",
            ),
            ("c/templates/b.yaml", "kind: Service\n---\nkind: Pod\nbad\n"),
            ("c/templates/c.yaml", "kind: Secret\n"),
        ]));
        assert_eq!(
            sorted.error.as_deref(),
            Some("YAML parse error on c/templates/b.yaml: error converting YAML to JSON: yaml: line 3: could not find expected ':'")
        );
        assert_eq!(sorted.hooks.len(), 1);
        assert_eq!(sorted.manifests.len(), 1);
    }
}
