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
//!   for the condition`; a zero timeout waits forever); errors are
//!   gathered as go-multierror prints them;
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

/// Helm's `WatchUntilReady` for a hook's objects.
pub async fn watch_until_ready(
    cluster: &Cluster,
    targets: &[Target],
    timeout: Duration,
) -> Result<(), String> {
    let mut errors = Vec::new();
    for target in targets {
        if let Err(e) = watch_one(cluster, target, timeout).await {
            errors.push(e);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(multierror(&errors))
    }
}

async fn watch_one(cluster: &Cluster, target: &Target, timeout: Duration) -> Result<(), String> {
    let (resource, api) = target;
    let is_job = match resource.kind.as_str() {
        "Job" => true,
        "Pod" => false,
        _ => return Ok(()),
    };
    let deadline = (!timeout.is_zero()).then(|| Instant::now() + timeout);
    loop {
        let found = cluster
            .fetch(api, resource.namespace.as_deref(), &resource.name)
            .await;
        match found {
            // Deleted: the watch ends without error.
            Ok(None) => return Ok(()),
            Ok(Some(object)) => {
                let done = if is_job {
                    ready::hook_job_done(&object, &resource.name)?
                } else {
                    ready::hook_pod_done(&object)?
                };
                if done {
                    return Ok(());
                }
            }
            // A failed look is retried, as a watch re-lists.
            Err(_) => {}
        }
        match deadline {
            Some(d) if !sleep_until_next(d, WATCH_POLL).await => {
                return Err(WAIT_TIMEOUT.to_string())
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
