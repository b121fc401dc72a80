//! Waiting on the cluster as Helm v3.21.4's kube client does
//! (`pkg/kube/wait.go`, `client.go`), with the rules of [`super::ready`]:
//!
//! - [`wait_for_resources`] (`--wait`, and CRDs after their creation):
//!   every two seconds until all objects are ready or the timeout passes
//!   (`context deadline exceeded`); an error that is not an API status
//!   (or is one with code 429 or 5xx but 501) is retried, up to 30 times
//!   in a row per object, any other ends the wait with its message;
//! - [`watch_until_ready`] (hooks): Jobs until complete or failed, Pods
//!   until succeeded or failed, each within the timeout (`timed out waiting
//!   for the condition`; a zero timeout waits forever), consecutive objects
//!   of one kind together; an object deleted after it was seen ends its
//!   watch as done (Helm's `Deleted` event), one not yet seen is waited
//!   for; errors are gathered as go-multierror prints them;
//! - [`wait_for_delete`] (`uninstall --wait`, hook deletion): until every
//!   object is gone.

use std::time::{Duration, Instant};

use ::kube::discovery::ApiResource;
use serde_json::Value as Json;

use super::client::{ApiError, Cluster};
use super::objects::Resource;
use super::ready::{self, Rule};

/// Helm's poll interval.
const POLL: Duration = Duration::from_secs(2);
/// How often a hook's Job or Pod is looked at (Helm watches).
const WATCH_POLL: Duration = Duration::from_millis(500);
/// Retries of a retryable error per object.
const WAIT_RETRIES: u32 = 30;
/// `context.DeadlineExceeded`.
pub const DEADLINE_EXCEEDED: &str = "context deadline exceeded";
/// `wait.ErrWaitTimeout`.
pub const WAIT_TIMEOUT: &str = "timed out waiting for the condition";

/// An object and the API it is served by.
pub type Target = (Resource, ApiResource);

/// go-multierror's text for a list of errors.
pub fn multierror(errors: &[String]) -> String {
    let points: Vec<String> = errors.iter().map(|e| format!("* {e}")).collect();
    if errors.len() == 1 {
        format!("1 error occurred:\n\t{}\n\n", points[0])
    } else {
        format!(
            "{} errors occurred:\n\t{}\n\n",
            errors.len(),
            points.join("\n\t")
        )
    }
}

/// Why a readiness check did not answer.
struct CheckError {
    retryable: bool,
    message: String,
}

impl From<ApiError> for CheckError {
    fn from(e: ApiError) -> Self {
        let retryable = match e.code {
            None => true,
            Some(code) => code == 0 || code == 429 || (code >= 500 && code != 501),
        };
        CheckError {
            retryable,
            message: e.message,
        }
    }
}

impl From<String> for CheckError {
    /// Errors that are not API statuses are retried, as in Helm.
    fn from(message: String) -> Self {
        CheckError {
            retryable: true,
            message,
        }
    }
}

async fn fetch(cluster: &Cluster, target: &Target) -> Result<Json, CheckError> {
    let (resource, api) = target;
    cluster
        .fetch(api, resource.namespace.as_deref(), &resource.name)
        .await?
        .ok_or_else(|| CheckError {
            retryable: false,
            message: format!(
                "{} {} not found",
                qualified_plural(api),
                crate::template::strconv::quote(&resource.name)
            ),
        })
}

/// The API server's name for a resource in errors (`deployments.apps`).
fn qualified_plural(api: &ApiResource) -> String {
    if api.group.is_empty() {
        api.plural.clone()
    } else {
        format!("{}.{}", api.plural, api.group)
    }
}

/// Whether every pod `selector` picks in `namespace` is ready.
async fn pods_ready(
    cluster: &Cluster,
    namespace: Option<&str>,
    selector: &str,
) -> Result<bool, CheckError> {
    let (pods, _) = cluster.resolve("v1", "Pod").await?;
    let list = cluster.list(&pods, namespace, selector).await?;
    Ok(list.iter().all(ready::pod_ready))
}

/// Helm's `IsReady` for one object.
async fn is_ready(
    cluster: &Cluster,
    target: &Target,
    check_jobs: bool,
) -> Result<bool, CheckError> {
    let (resource, _) = target;
    let ns = resource.namespace.as_deref();
    let rule = ready::rule_for(resource.group_version().0, &resource.kind);
    Ok(match rule {
        Rule::None => true,
        Rule::Job if !check_jobs => true,
        Rule::Job => ready::job_ready(&fetch(cluster, target).await?)?,
        Rule::Pod => ready::pod_ready(&fetch(cluster, target).await?),
        Rule::PersistentVolumeClaim => ready::volume_ready(&fetch(cluster, target).await?),
        Rule::Service => ready::service_ready(&fetch(cluster, target).await?),
        Rule::DaemonSet => ready::daemon_set_ready(&fetch(cluster, target).await?),
        Rule::CustomResourceDefinition => ready::crd_ready(&fetch(cluster, target).await?),
        Rule::StatefulSet => ready::stateful_set_ready(&fetch(cluster, target).await?),
        Rule::Deployment => {
            let dep = fetch(cluster, target).await?;
            if ready::deployment_paused(&dep) {
                return Ok(true);
            }
            let selector = ready::selector_of(&dep, false)?;
            let (sets, _) = cluster.resolve("apps/v1", "ReplicaSet").await?;
            let list = cluster.list(&sets, ns, &selector).await?;
            match ready::new_replica_set(&dep, &list) {
                Some(rs) => ready::deployment_ready(&dep, rs),
                None => false,
            }
        }
        Rule::ReplicaSet | Rule::ReplicationController => {
            let object = fetch(cluster, target).await?;
            if !ready::replicas_observed(&object) {
                return Ok(false);
            }
            let selector = ready::selector_of(&object, rule == Rule::ReplicationController)?;
            pods_ready(cluster, ns, &selector).await?
        }
    })
}

/// Helm's `Wait` (`WaitWithJobs` with `check_jobs`): `Err` is
/// `context deadline exceeded` on timeout, or the error that ended it.
pub async fn wait_for_resources(
    cluster: &Cluster,
    targets: &[Target],
    timeout: Duration,
    check_jobs: bool,
) -> Result<(), String> {
    let deadline = Instant::now() + timeout;
    let mut errors = vec![0u32; targets.len()];
    loop {
        if poll_ready(cluster, targets, check_jobs, &mut errors).await? {
            return Ok(());
        }
        if !sleep_until_next(deadline, POLL).await {
            return Err(DEADLINE_EXCEEDED.to_string());
        }
    }
}

/// One round of the wait: `Ok(true)` when everything is ready.
async fn poll_ready(
    cluster: &Cluster,
    targets: &[Target],
    check_jobs: bool,
    errors: &mut [u32],
) -> Result<bool, String> {
    for (i, target) in targets.iter().enumerate() {
        match is_ready(cluster, target, check_jobs).await {
            Err(e) if e.retryable => {
                errors[i] += 1;
                if errors[i] > WAIT_RETRIES {
                    return Err(e.message);
                }
                return Ok(false);
            }
            Err(e) => return Err(e.message),
            Ok(ready) => {
                errors[i] = 0;
                if !ready {
                    return Ok(false);
                }
            }
        }
    }
    Ok(true)
}

/// Sleeps `step` (less when the deadline is nearer); `false` when the
/// deadline has passed.
async fn sleep_until_next(deadline: Instant, step: Duration) -> bool {
    let now = Instant::now();
    if now >= deadline {
        return false;
    }
    tokio::time::sleep(step.min(deadline - now)).await;
    Instant::now() < deadline
}

/// Helm's `WatchUntilReady` for a hook's objects. As Helm's `perform`,
/// each run of consecutive objects of one kind is watched together (each
/// with the full timeout), the next run starting when all of it ended;
/// errors are gathered in the order the watches ended.
pub async fn watch_until_ready(
    cluster: &Cluster,
    targets: &[Target],
    timeout: Duration,
) -> Result<(), String> {
    let mut errors = Vec::new();
    for run in kind_runs(targets) {
        watch_together(cluster, run, timeout, &mut errors).await;
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(multierror(&errors))
    }
}

/// The runs of consecutive objects of the same kind.
fn kind_runs(targets: &[Target]) -> Vec<&[Target]> {
    let mut runs = Vec::new();
    let mut start = 0;
    for i in 1..=targets.len() {
        if i == targets.len() || targets[i].0.kind != targets[start].0.kind {
            if i > start {
                runs.push(&targets[start..i]);
            }
            start = i;
        }
    }
    runs
}

/// A hook Job or Pod being watched.
struct Watched<'a> {
    target: &'a Target,
    is_job: bool,
    /// Whether the watch has seen the object (its `Added` event).
    seen: bool,
}

/// What one look at a watched object tells: `None` while the watch goes
/// on. An object seen before and now gone is Helm's `Deleted` event, which
/// ends the watch without error; one never seen is waited for (Helm's
/// watch has had no event yet).
fn watch_event(
    seen: &mut bool,
    found: Option<&Json>,
    is_job: bool,
    name: &str,
) -> Option<Result<(), String>> {
    let Some(object) = found else {
        return (*seen).then_some(Ok(()));
    };
    *seen = true;
    let done = if is_job {
        ready::hook_job_done(object, name)
    } else {
        ready::hook_pod_done(object)
    };
    match done {
        Ok(false) => None,
        Ok(true) => Some(Ok(())),
        Err(e) => Some(Err(e)),
    }
}

/// Watches `run`'s Jobs and Pods until each ends or the timeout passes
/// (`timed out waiting for the condition`; a zero timeout waits forever);
/// other kinds end at once.
async fn watch_together(
    cluster: &Cluster,
    run: &[Target],
    timeout: Duration,
    errors: &mut Vec<String>,
) {
    let deadline = (!timeout.is_zero()).then(|| Instant::now() + timeout);
    let mut pending: Vec<Watched> = run
        .iter()
        .filter_map(|target| {
            let is_job = match target.0.kind.as_str() {
                "Job" => true,
                "Pod" => false,
                _ => return None,
            };
            Some(Watched {
                target,
                is_job,
                seen: false,
            })
        })
        .collect();
    while !pending.is_empty() {
        let mut still = Vec::new();
        for mut w in pending {
            let (resource, api) = w.target;
            let found = cluster
                .fetch(api, resource.namespace.as_deref(), &resource.name)
                .await;
            // A failed look is retried, as a watch re-lists.
            let Ok(found) = found else {
                still.push(w);
                continue;
            };
            match watch_event(&mut w.seen, found.as_ref(), w.is_job, &resource.name) {
                None => still.push(w),
                Some(Ok(())) => {}
                Some(Err(e)) => errors.push(e),
            }
        }
        pending = still;
        if pending.is_empty() {
            break;
        }
        match deadline {
            Some(d) if !sleep_until_next(d, WATCH_POLL).await => {
                errors.extend(pending.iter().map(|_| WAIT_TIMEOUT.to_string()));
                break;
            }
            Some(_) => {}
            None => tokio::time::sleep(WATCH_POLL).await,
        }
    }
}

/// Helm's `WaitForDelete`: until every object is gone (`context deadline
/// exceeded` on timeout; any error but not-found ends it).
pub async fn wait_for_delete(
    cluster: &Cluster,
    targets: &[Target],
    timeout: Duration,
) -> Result<(), String> {
    let deadline = Instant::now() + timeout;
    'poll: loop {
        for (resource, api) in targets {
            match cluster
                .fetch(api, resource.namespace.as_deref(), &resource.name)
                .await
            {
                Ok(None) => {}
                Ok(Some(_)) => {
                    if !sleep_until_next(deadline, POLL).await {
                        return Err(DEADLINE_EXCEEDED.to_string());
                    }
                    continue 'poll;
                }
                Err(e) => return Err(e.message),
            }
        }
        return Ok(());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multierror_texts() {
        assert_eq!(
            multierror(&["job a failed: X".to_string()]),
            "1 error occurred:\n\t* job a failed: X\n\n"
        );
        assert_eq!(
            multierror(&["a".to_string(), "b".to_string()]),
            "2 errors occurred:\n\t* a\n\t* b\n\n"
        );
    }

    #[test]
    fn a_watched_object_that_goes_away() {
        let mut seen = false;
        // Not seen yet: the watch waits on.
        assert_eq!(watch_event(&mut seen, None, true, "j"), None);
        assert!(!seen);
        let running = serde_json::json!({"status": {"phase": "Pending"}});
        assert_eq!(watch_event(&mut seen, Some(&running), false, "p"), None);
        assert!(seen);
        // Seen, then deleted: done.
        assert_eq!(watch_event(&mut seen, None, false, "p"), Some(Ok(())));
        let done = serde_json::json!({"status": {"phase": "Succeeded"}});
        let mut fresh = false;
        assert_eq!(
            watch_event(&mut fresh, Some(&done), false, "p"),
            Some(Ok(()))
        );
    }

    #[test]
    fn runs_of_one_kind() {
        let target = |kind: &str, name: &str| {
            let body = serde_json::json!({
                "apiVersion": "v1", "kind": kind, "metadata": {"name": name}
            });
            let resource = crate::kube::objects::parse_manifest(&body.to_string())
                .unwrap()
                .remove(0);
            (
                resource,
                ApiResource::erase::<k8s_openapi::api::core::v1::Pod>(&()),
            )
        };
        let targets = [
            target("Job", "a"),
            target("Job", "b"),
            target("Pod", "c"),
            target("Job", "d"),
        ];
        let runs: Vec<Vec<&str>> = kind_runs(&targets)
            .iter()
            .map(|r| r.iter().map(|t| t.0.name.as_str()).collect())
            .collect();
        assert_eq!(runs, [vec!["a", "b"], vec!["c"], vec!["d"]]);
        assert!(kind_runs(&[]).is_empty());
    }

    #[test]
    fn api_errors_retry_like_helm() {
        let code = |c: Option<u16>| {
            CheckError::from(ApiError {
                code: c,
                message: String::new(),
            })
            .retryable
        };
        assert!(code(None));
        assert!(code(Some(429)));
        assert!(code(Some(503)));
        assert!(!code(Some(501)));
        assert!(!code(Some(404)));
        assert!(!code(Some(403)));
        assert!(CheckError::from("job is failed: a/b".to_string()).retryable);
    }
}
