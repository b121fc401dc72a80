//! Sorting rendered files into hooks and manifests, mirroring Helm v3.21.4's
//! `releaseutil.SortManifests` (`pkg/releaseutil/manifest_sorter.go`):
//! files in path order (partials and blank files skipped), each split into
//! documents, each document's head read (a failure stops everything with
//! `YAML parse error on <file>: <yaml error>`), hooks and plain manifests
//! then each sorted by kind in install order.

use std::collections::BTreeMap;

use super::hooks::{classify, Hook, HookKind};
use super::manifest::{split_manifests, Manifest, SimpleHead};
use super::sort::{sort_by_kind, INSTALL_ORDER};
use crate::template::strconv::quote;

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
    let mut sorted = Sorted::default();
    for (path, content) in files {
        let base = path.rsplit('/').next().unwrap_or(path);
        if base.starts_with('_') || content.trim().is_empty() {
            continue;
        }
        for doc in split_manifests(content) {
            let head = match SimpleHead::parse(&doc) {
                Ok(head) => head,
                Err(e) => {
                    sorted.error = Some(format!("YAML parse error on {path}: {e}"));
                    return sorted;
                }
            };
            match classify(path, &doc, &head) {
                HookKind::NotAHook => sorted.manifests.push(Manifest {
                    name: path.clone(),
                    content: doc,
                    head,
                }),
                HookKind::Unknown(types) => sorted
                    .warnings
                    .push(format!("info: skipping unknown hook: {}", quote(&types))),
                HookKind::Hook(hook) => sorted.hooks.push(hook),
            }
        }
    }
    sort_by_kind(&mut sorted.hooks, INSTALL_ORDER, |h| &h.kind);
    sort_by_kind(&mut sorted.manifests, INSTALL_ORDER, |m| &m.head.kind);
    sorted
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
            ["info: skipping unknown hook: \"pre-instal\""]
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
