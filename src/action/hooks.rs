//! Hooks, mirroring Helm v3.21.4's `pkg/release/hook.go` and the hook part
//! of `pkg/releaseutil/manifest_sorter.go`: a document whose annotations
//! include `helm.sh/hook` is a hook for the comma-separated events named
//! there (trimmed, lower-cased; `test-success` is the old name of `test`),
//! with an integer `helm.sh/hook-weight` (0 when absent or not an integer)
//! and comma-separated delete and output-log policies.

use super::manifest::SimpleHead;

/// `helm.sh/hook`
pub const HOOK_ANNOTATION: &str = "helm.sh/hook";
/// `helm.sh/hook-weight`
pub const HOOK_WEIGHT_ANNOTATION: &str = "helm.sh/hook-weight";
/// `helm.sh/hook-delete-policy`
pub const HOOK_DELETE_ANNOTATION: &str = "helm.sh/hook-delete-policy";
/// `helm.sh/hook-output-log-policy`
pub const HOOK_OUTPUT_LOG_ANNOTATION: &str = "helm.sh/hook-output-log-policy";

/// When a hook runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum HookEvent {
    PreInstall,
    PostInstall,
    PreDelete,
    PostDelete,
    PreUpgrade,
    PostUpgrade,
    PreRollback,
    PostRollback,
    Test,
}

impl HookEvent {
    /// The event a (trimmed, lower-cased) annotation item names.
    pub fn parse(name: &str) -> Option<HookEvent> {
        Some(match name {
            "pre-install" => HookEvent::PreInstall,
            "post-install" => HookEvent::PostInstall,
            "pre-delete" => HookEvent::PreDelete,
            "post-delete" => HookEvent::PostDelete,
            "pre-upgrade" => HookEvent::PreUpgrade,
            "post-upgrade" => HookEvent::PostUpgrade,
            "pre-rollback" => HookEvent::PreRollback,
            "post-rollback" => HookEvent::PostRollback,
            "test" | "test-success" => HookEvent::Test,
            _ => return None,
        })
    }

    /// Helm's name for the event.
    pub fn as_str(self) -> &'static str {
        match self {
            HookEvent::PreInstall => "pre-install",
            HookEvent::PostInstall => "post-install",
            HookEvent::PreDelete => "pre-delete",
            HookEvent::PostDelete => "post-delete",
            HookEvent::PreUpgrade => "pre-upgrade",
            HookEvent::PostUpgrade => "post-upgrade",
            HookEvent::PreRollback => "pre-rollback",
            HookEvent::PostRollback => "post-rollback",
            HookEvent::Test => "test",
        }
    }
}

/// A hook (`release.Hook`, without its run record).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hook {
    /// `metadata.name`.
    pub name: String,
    pub kind: String,
    /// The template it came from (`mychart/templates/x.yaml`).
    pub path: String,
    /// The document, trimmed.
    pub manifest: String,
    pub events: Vec<HookEvent>,
    pub weight: i64,
    /// Delete policies as written (trimmed, lower-cased; Helm keeps unknown ones).
    pub delete_policies: Vec<String>,
    /// Output-log policies as written (trimmed, lower-cased).
    pub output_log_policies: Vec<String>,
}

impl Hook {
    /// Whether the hook runs on `helm test` (what `--skip-tests` drops).
    pub fn is_test(&self) -> bool {
        self.events.contains(&HookEvent::Test)
    }
}

/// How a document with annotations classifies.
#[derive(Debug, PartialEq, Eq)]
pub enum HookKind {
    /// No `helm.sh/hook` annotation: an ordinary manifest.
    NotAHook,
    /// A hook annotation naming an unknown event: Helm drops the document
    /// and logs `info: skipping unknown hook: "<annotation>"`.
    Unknown(String),
    Hook(Hook),
}

/// Go's `strings.ToLower`: each character's simple lower-case mapping.
fn go_lower(s: &str) -> String {
    s.chars()
        .map(|c| c.to_lowercase().next().unwrap_or(c))
        .collect()
}

fn list_items(value: &str) -> impl Iterator<Item = String> + '_ {
    value.split(',').map(|item| go_lower(item.trim()))
}

/// Classifies one document of `path` with head `head`.
#[inline(never)]
pub fn classify(path: &str, content: &str, head: &SimpleHead) -> HookKind {
    let Some(annotations) = head.annotations() else {
        return HookKind::NotAHook;
    };
    let Some(hook_types) = annotations.get(HOOK_ANNOTATION) else {
        return HookKind::NotAHook;
    };
    let mut events = Vec::new();
    for item in list_items(hook_types) {
        match HookEvent::parse(&item) {
            Some(event) => events.push(event),
            None => return HookKind::Unknown(hook_types.clone()),
        }
    }
    let weight = annotations
        .get(HOOK_WEIGHT_ANNOTATION)
        .and_then(|w| w.parse::<i64>().ok())
        .unwrap_or(0);
    let policies = |key: &str| -> Vec<String> {
        annotations
            .get(key)
            .map(|v| list_items(v).collect())
            .unwrap_or_default()
    };
    HookKind::Hook(Hook {
        name: head.name().to_string(),
        kind: head.kind.clone(),
        path: path.to_string(),
        manifest: content.to_string(),
        events,
        weight,
        delete_policies: policies(HOOK_DELETE_ANNOTATION),
        output_log_policies: policies(HOOK_OUTPUT_LOG_ANNOTATION),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify_doc(doc: &str) -> HookKind {
        classify("c/templates/h.yaml", doc, &SimpleHead::parse(doc).unwrap())
    }

    fn hook(doc: &str) -> Hook {
        match classify_doc(doc) {
            HookKind::Hook(h) => h,
            other => panic!("not a hook: {other:?}"),
        }
    }

    #[test]
    fn hook_annotations_are_read() {
        let h = hook(
            "kind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: \" Pre-Install, post-upgrade,test-success\"\n    helm.sh/hook-weight: \"-5\"\n    helm.sh/hook-delete-policy: Before-Hook-Creation, hook-succeeded\n",
        );
        assert_eq!(h.name, "j");
        assert_eq!(h.kind, "Job");
        assert_eq!(h.path, "c/templates/h.yaml");
        assert_eq!(
            h.events,
            [
                HookEvent::PreInstall,
                HookEvent::PostUpgrade,
                HookEvent::Test
            ]
        );
        assert!(h.is_test());
        assert_eq!(h.weight, -5);
        assert_eq!(
            h.delete_policies,
            ["before-hook-creation", "hook-succeeded"]
        );
        assert!(h.output_log_policies.is_empty());
    }

    #[test]
    fn weights_that_are_not_integers_are_zero() {
        for w in ["\"1.5\"", "\" 3\"", "x", "\"99999999999999999999\""] {
            let doc = format!(
                "kind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: test\n    helm.sh/hook-weight: {w}\n"
            );
            assert_eq!(hook(&doc).weight, 0, "{w}");
        }
        let doc = "kind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: test\n    helm.sh/hook-weight: \"+7\"\n";
        assert_eq!(hook(doc).weight, 7);
    }

    #[test]
    fn unknown_events_and_plain_documents() {
        assert_eq!(
            classify_doc(
                "kind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: pre-install,bogus\n"
            ),
            HookKind::Unknown("pre-install,bogus".to_string())
        );
        assert_eq!(
            classify_doc("kind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: \"\"\n"),
            HookKind::Unknown(String::new())
        );
        assert_eq!(
            classify_doc("kind: Pod\nmetadata:\n  annotations:\n    other: x\n"),
            HookKind::NotAHook
        );
        assert_eq!(classify_doc("kind: Pod\n"), HookKind::NotAHook);
    }
}
