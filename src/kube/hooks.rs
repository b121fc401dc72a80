//! Running a release's hooks for one event, as Helm v3.21.4's
//! `pkg/action/hooks.go` (`execHook`) does:
//!
//! - the hooks of the event, in the release's order (kind order, from the
//!   manifest sorter), stably sorted by `helm.sh/hook-weight` then name
//!   ([`execution_order`]);
//! - a hook without delete policies gets `before-hook-creation` (recorded);
//!   with that policy its old objects are deleted (and waited for) first;
//! - its objects are created (not applied, no ownership metadata), in the
//!   release namespace; `LastRun` records the start (stored at once, phase
//!   `Running`), the end and `Succeeded` or `Failed`;
//! - Jobs and Pods are waited for ([`super::wait::watch_until_ready`]);
//! - a failed hook is deleted if it has `hook-failed`, the hooks that
//!   succeeded before it if they have `hook-succeeded`, and the error is
//!   returned; when all succeed, those with `hook-succeeded` are deleted in
//!   reverse order. CustomResourceDefinition hooks are never deleted.
//!
//! Error texts are Helm's: `unable to build kubernetes object for EVENT
//! hook PATH: …`, `warning: Hook EVENT PATH failed: …`, and the watch's
//! errors. Operations wrap them (`failed pre-install: …`).

use std::time::Duration;

use super::actions::now;
use super::client::Cluster;
use super::objects::parse_manifest;
use super::options::RunOptions;
use super::secrets::Secrets;
use super::wait::{multierror, wait_for_delete, wait_for_resources, watch_until_ready, Target};
use crate::release::{Hook, HookEvent, HookExecution, HookPhase, Release};

/// `before-hook-creation`: delete the previous objects before creating.
pub const BEFORE_HOOK_CREATION: &str = "before-hook-creation";
/// `hook-succeeded`: delete the objects after the event's hooks succeed.
pub const HOOK_SUCCEEDED: &str = "hook-succeeded";
/// `hook-failed`: delete the objects when the hook fails.
pub const HOOK_FAILED: &str = "hook-failed";

/// The indexes of the hooks that run on `event`, in execution order: the
/// release's order, stably sorted by weight, then name (byte order). A hook
/// naming the event twice runs twice, as in Helm.
pub fn execution_order(hooks: &[Hook], event: HookEvent) -> Vec<usize> {
    let mut order: Vec<usize> = hooks
        .iter()
        .enumerate()
        .flat_map(|(i, h)| {
            h.events
                .iter()
                .filter(move |e| e.known() == Some(event))
                .map(move |_| i)
        })
        .collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&hooks[a], &hooks[b]);
        a.weight.cmp(&b.weight).then_with(|| a.name.cmp(&b.name))
    });
    order
}

/// Whether the hook lists `policy`.
pub fn has_delete_policy(hook: &Hook, policy: &str) -> bool {
    hook.delete_policies.iter().any(|p| p == policy)
}

/// The hook's objects, resolved and put in the release namespace; with
/// `validate`, first checked against the server's OpenAPI schema, as Helm's
/// `execHook` builds them (its `deleteHookByPolicy` does not).
async fn build(cluster: &Cluster, hook: &Hook, validate: bool) -> Result<Vec<Target>, String> {
    if validate {
        super::validate::build(cluster, &hook.manifest, false, true).await?;
    }
    let mut targets = Vec::new();
    for mut resource in parse_manifest(&hook.manifest)? {
        let api = cluster.prepare(&mut resource).await?;
        targets.push((resource, api));
    }
    Ok(targets)
}

/// Helm's `deleteHookByPolicy`.
async fn delete_by_policy(
    cluster: &Cluster,
    hook: &Hook,
    policy: &str,
    timeout: Duration,
) -> Result<(), String> {
    if hook.kind == "CustomResourceDefinition" || !has_delete_policy(hook, policy) {
        return Ok(());
    }
    let targets = build(cluster, hook, false).await.map_err(|e| {
        format!(
            "unable to build kubernetes object for deleting hook {}: {e}",
            hook.path
        )
    })?;
    let mut errors = Vec::new();
    for (resource, api) in &targets {
        if let Err(e) = cluster.delete(api, resource).await {
            errors.push(e);
        }
    }
    if !errors.is_empty() {
        return Err(errors.join("; "));
    }
    wait_for_delete(cluster, &targets, timeout).await
}

/// [`exec_hooks`] with the operation's `--timeout`, unless `--no-hooks`.
pub async fn run_hooks(
    cluster: &Cluster,
    secrets: &Secrets<'_>,
    release: &mut Release,
    event: HookEvent,
    run: &RunOptions,
) -> Result<(), String> {
    if run.no_hooks {
        return Ok(());
    }
    exec_hooks(cluster, secrets, release, event, run.timeout).await
}

/// How Helm's install and upgrade end once their objects are applied: the
/// `--wait` for `targets`, then the `post` hooks. A hook failure is worded
/// by `hooks_failed` (install and upgrade word it differently).
pub async fn wait_then_post_hooks(
    cluster: &Cluster,
    secrets: &Secrets<'_>,
    release: &mut Release,
    targets: &[Target],
    post: HookEvent,
    run: &RunOptions,
    hooks_failed: impl FnOnce(String) -> String,
) -> Result<(), String> {
    if run.waits() {
        wait_for_resources(cluster, targets, run.timeout, run.wait_for_jobs).await?;
    }
    run_hooks(cluster, secrets, release, post, run)
        .await
        .map_err(hooks_failed)
}

/// Runs the hooks of `event` (Helm's `execHook`), recording their runs in
/// `release` (stored through `secrets` as each hook starts).
async fn exec_hooks(
    cluster: &Cluster,
    secrets: &Secrets<'_>,
    release: &mut Release,
    event: HookEvent,
    timeout: Duration,
) -> Result<(), String> {
    let order = execution_order(&release.hooks, event);
    for (position, &i) in order.iter().enumerate() {
        if release.hooks[i].delete_policies.is_empty() {
            release.hooks[i].delete_policies = vec![BEFORE_HOOK_CREATION.to_string()];
        }
        delete_by_policy(cluster, &release.hooks[i], BEFORE_HOOK_CREATION, timeout).await?;
        let path = release.hooks[i].path.clone();
        let targets = build(cluster, &release.hooks[i], true).await.map_err(|e| {
            format!(
                "unable to build kubernetes object for {} hook {path}: {e}",
                event.as_str()
            )
        })?;

        release.hooks[i].last_run = HookExecution {
            started_at: now(),
            completed_at: Default::default(),
            phase: HookPhase::Running,
        };
        // Helm only logs a failure to record the run.
        let _ = secrets.update(release).await;
        release.hooks[i].last_run.phase = HookPhase::Unknown;

        let mut errors = Vec::new();
        for (resource, api) in &targets {
            if let Err(e) = cluster.create(api, resource).await {
                errors.push(e.message);
            }
        }
        if !errors.is_empty() {
            let run = &mut release.hooks[i].last_run;
            run.completed_at = now();
            run.phase = HookPhase::Failed;
            return Err(format!(
                "warning: Hook {} {path} failed: {}",
                event.as_str(),
                multierror(&errors)
            ));
        }

        let watched = watch_until_ready(cluster, &targets, timeout).await;
        release.hooks[i].last_run.completed_at = now();
        if let Err(e) = watched {
            release.hooks[i].last_run.phase = HookPhase::Failed;
            // Helm only logs a failure to delete the failed hook.
            let _ = delete_by_policy(cluster, &release.hooks[i], HOOK_FAILED, timeout).await;
            for &done in &order[..position] {
                delete_by_policy(cluster, &release.hooks[done], HOOK_SUCCEEDED, timeout).await?;
            }
            return Err(e);
        }
        release.hooks[i].last_run.phase = HookPhase::Succeeded;
    }
    for &i in order.iter().rev() {
        delete_by_policy(cluster, &release.hooks[i], HOOK_SUCCEEDED, timeout).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::release::RecordedEvent;

    fn hook(name: &str, kind: &str, weight: i64, events: &[HookEvent]) -> Hook {
        Hook {
            name: name.into(),
            kind: kind.into(),
            weight,
            events: events.iter().map(|e| RecordedEvent::Known(*e)).collect(),
            ..Hook::default()
        }
    }

    #[test]
    fn hooks_run_by_weight_then_name_keeping_kind_order() {
        use HookEvent::*;
        let hooks = [
            hook("z", "ConfigMap", 0, &[PreInstall]),
            hook("same", "ConfigMap", 0, &[PreInstall, PreUpgrade]),
            hook("b", "Job", -5, &[PreInstall]),
            hook("same", "Job", 0, &[PreInstall]),
            hook("a", "Job", 0, &[PostInstall]),
            hook("a", "Pod", 3, &[PreInstall]),
        ];
        assert_eq!(execution_order(&hooks, PreInstall), [2, 1, 3, 0, 5]);
        assert_eq!(execution_order(&hooks, PreUpgrade), [1]);
        assert_eq!(execution_order(&hooks, PostInstall), [4]);
        assert!(execution_order(&hooks, Test).is_empty());
    }

    #[test]
    fn a_hook_naming_its_event_twice_runs_twice() {
        let h = hook(
            "h",
            "Job",
            0,
            &[HookEvent::PreInstall, HookEvent::PreInstall],
        );
        assert_eq!(execution_order(&[h], HookEvent::PreInstall), [0, 0]);
    }

    #[test]
    fn unknown_recorded_events_never_run() {
        let mut h = hook("h", "Job", 0, &[]);
        h.events = vec![RecordedEvent::Other("pre-install ".into())];
        assert!(execution_order(&[h], HookEvent::PreInstall).is_empty());
    }

    #[test]
    fn delete_policies() {
        let mut h = hook("h", "Job", 0, &[]);
        assert!(!has_delete_policy(&h, HOOK_SUCCEEDED));
        h.delete_policies = vec![HOOK_SUCCEEDED.into(), HOOK_FAILED.into()];
        assert!(has_delete_policy(&h, HOOK_SUCCEEDED));
        assert!(has_delete_policy(&h, HOOK_FAILED));
        assert!(!has_delete_policy(&h, BEFORE_HOOK_CREATION));
    }
}
