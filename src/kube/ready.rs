//! Helm v3.21.4's readiness rules (`pkg/kube/ready.go`, with
//! `deployment/util`'s new-ReplicaSet search and max-unavailable arithmetic,
//! and `pkg/kube/client.go`'s hook watch), on objects as the API server
//! returns them (JSON), with no cluster access:
//!
//! - Pod: condition `Ready` is `True`;
//! - Job (only with `--wait-for-jobs`): failed once `status.failed` exceeds
//!   `spec.backoffLimit`, else ready when `status.succeeded` reaches
//!   `spec.completions`;
//! - Deployment: paused counts as ready; else its new ReplicaSet (owned, same
//!   pod template but for `pod-template-hash`) must have observed its
//!   generation, the Deployment too, and at least `replicas - maxUnavailable`
//!   ReplicaSet pods ready;
//! - PersistentVolumeClaim: `Bound`; Service: ExternalName, or a cluster IP
//!   and, for LoadBalancer, external IPs or a load-balancer ingress;
//! - DaemonSet, StatefulSet, ReplicaSet, ReplicationController: Helm's
//!   generation and replica counts (ReplicaSets and ReplicationControllers
//!   also need their pods ready);
//! - CustomResourceDefinition: `Established` is `True` or `NamesAccepted` is
//!   `False`;
//! - hooks: a Job is done when `Complete`, failed when `Failed`; a Pod is
//!   done when `Succeeded`, failed when `Failed`.

use serde_json::Value as Json;

/// Which rule an object's readiness follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// Always ready.
    None,
    Pod,
    Job,
    Deployment,
    PersistentVolumeClaim,
    Service,
    DaemonSet,
    CustomResourceDefinition,
    StatefulSet,
    ReplicationController,
    ReplicaSet,
}

/// The rule of `kind` in `group` (the versions Helm knows all share one).
pub fn rule_for(group: &str, kind: &str) -> Rule {
    match (group, kind) {
        ("", "Pod") => Rule::Pod,
        ("batch", "Job") => Rule::Job,
        ("apps" | "extensions", "Deployment") => Rule::Deployment,
        ("", "PersistentVolumeClaim") => Rule::PersistentVolumeClaim,
        ("", "Service") => Rule::Service,
        ("apps" | "extensions", "DaemonSet") => Rule::DaemonSet,
        ("apiextensions.k8s.io", "CustomResourceDefinition") => Rule::CustomResourceDefinition,
        ("apps", "StatefulSet") => Rule::StatefulSet,
        ("", "ReplicationController") => Rule::ReplicationController,
        ("apps" | "extensions", "ReplicaSet") => Rule::ReplicaSet,
        _ => Rule::None,
    }
}

fn at<'a>(v: &'a Json, path: &[&str]) -> Option<&'a Json> {
    path.iter().try_fold(v, |v, k| v.get(*k))
}

/// An integer field, 0 when absent (Go's zero value).
fn int(v: &Json, path: &[&str]) -> i64 {
    at(v, path).and_then(Json::as_i64).unwrap_or(0)
}

fn text<'a>(v: &'a Json, path: &[&str]) -> &'a str {
    at(v, path).and_then(Json::as_str).unwrap_or("")
}

fn conditions(v: &Json) -> impl Iterator<Item = (&str, &str, &str)> {
    at(v, &["status", "conditions"])
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .map(|c| {
            (
                text(c, &["type"]),
                text(c, &["status"]),
                text(c, &["reason"]),
            )
        })
}

/// `ns/name` as Helm's log and job errors write an object.
fn ns_name(v: &Json) -> String {
    format!(
        "{}/{}",
        text(v, &["metadata", "namespace"]),
        text(v, &["metadata", "name"])
    )
}

fn generation_observed(v: &Json) -> bool {
    int(v, &["status", "observedGeneration"]) == int(v, &["metadata", "generation"])
}

/// A Pod is ready when its `Ready` condition is `True`.
pub fn pod_ready(pod: &Json) -> bool {
    conditions(pod).any(|(t, s, _)| t == "Ready" && s == "True")
}

/// `--wait-for-jobs`: `Err` once the Job has failed more than its backoff
/// limit allows (Helm's `job is failed: ns/name`).
pub fn job_ready(job: &Json) -> Result<bool, String> {
    let backoff = at(job, &["spec", "backoffLimit"])
        .and_then(Json::as_i64)
        .unwrap_or(6);
    if int(job, &["status", "failed"]) > backoff {
        return Err(format!("job is failed: {}", ns_name(job)));
    }
    if let Some(completions) = at(job, &["spec", "completions"]).and_then(Json::as_i64) {
        if int(job, &["status", "succeeded"]) < completions {
            return Ok(false);
        }
    }
    Ok(true)
}

/// A claim is ready when bound.
pub fn volume_ready(claim: &Json) -> bool {
    text(claim, &["status", "phase"]) == "Bound"
}

/// Helm's `serviceReady`.
pub fn service_ready(svc: &Json) -> bool {
    let kind = text(svc, &["spec", "type"]);
    if kind == "ExternalName" {
        return true;
    }
    if text(svc, &["spec", "clusterIP"]).is_empty() {
        return false;
    }
    if kind == "LoadBalancer" {
        let external = at(svc, &["spec", "externalIPs"])
            .and_then(Json::as_array)
            .is_some_and(|a| !a.is_empty());
        if external {
            return true;
        }
        // Go's nil check: an absent (or null) list, not an empty one.
        let ingress = at(svc, &["status", "loadBalancer", "ingress"]);
        if ingress.is_none_or(Json::is_null) {
            return false;
        }
    }
    true
}

/// `intstr.GetScaledValueFromIntOrPercent`: an integer, or `N%` of
/// `total` rounded up or down; `None` for anything else.
pub fn scaled_value(value: Option<&Json>, total: i64, round_up: bool) -> Option<i64> {
    match value? {
        Json::Number(n) => n.as_i64(),
        Json::String(s) => {
            let percent: i64 = s.strip_suffix('%')?.parse().ok()?;
            let exact = percent as f64 * total as f64 / 100.0;
            Some(if round_up {
                exact.ceil()
            } else {
                exact.floor()
            } as i64)
        }
        _ => None,
    }
}

/// `deploymentutil.MaxUnavailable`: 0 unless a rolling update; the
/// fence posts (surge rounded up, unavailable down; both 0 makes
/// unavailable 1), at most the replicas.
pub fn max_unavailable(dep: &Json) -> i64 {
    let replicas = int(dep, &["spec", "replicas"]);
    if text(dep, &["spec", "strategy", "type"]) != "RollingUpdate" || replicas == 0 {
        return 0;
    }
    let rolling = at(dep, &["spec", "strategy", "rollingUpdate"]);
    let zero = Json::from(0);
    let field = |k: &str| rolling.and_then(|r| r.get(k)).or(Some(&zero));
    let (Some(surge), Some(mut unavailable)) = (
        scaled_value(field("maxSurge"), replicas, true),
        scaled_value(field("maxUnavailable"), replicas, false),
    ) else {
        return 0;
    };
    if surge == 0 && unavailable == 0 {
        unavailable = 1;
    }
    unavailable.min(replicas)
}

/// Drops nulls, empty maps and empty lists, so that values compare as
/// Go's semantic equality does (nil and empty are equal).
fn semantic(v: &Json) -> Json {
    match v {
        Json::Object(m) => Json::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), semantic(v)))
                .filter(|(_, v)| !is_empty(v))
                .collect(),
        ),
        Json::Array(a) => Json::Array(a.iter().map(semantic).collect()),
        other => other.clone(),
    }
}

fn is_empty(v: &Json) -> bool {
    match v {
        Json::Null => true,
        Json::Object(m) => m.is_empty(),
        Json::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// `EqualIgnoreHash`: pod templates equal but for `pod-template-hash`.
fn templates_match(a: Option<&Json>, b: Option<&Json>) -> bool {
    let strip = |t: Option<&Json>| {
        let mut t = t.cloned().unwrap_or(Json::Null);
        if let Some(labels) = t
            .get_mut("metadata")
            .and_then(|m| m.get_mut("labels"))
            .and_then(Json::as_object_mut)
        {
            labels.remove("pod-template-hash");
        }
        semantic(&t)
    };
    strip(a) == strip(b)
}

/// Whether `rs` is controlled by the object with `uid`.
fn controlled_by(rs: &Json, uid: &str) -> bool {
    at(rs, &["metadata", "ownerReferences"])
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .any(|o| o.get("controller") == Some(&Json::Bool(true)) && text(o, &["uid"]) == uid)
}

/// `deploymentutil.GetNewReplicaSet` over the ReplicaSets the Deployment's
/// selector lists: the oldest it controls whose template matches.
pub fn new_replica_set<'a>(dep: &Json, replica_sets: &'a [Json]) -> Option<&'a Json> {
    let uid = text(dep, &["metadata", "uid"]);
    let mut owned: Vec<&Json> = replica_sets
        .iter()
        .filter(|rs| controlled_by(rs, uid))
        .collect();
    owned.sort_by(|a, b| {
        let key = |r: &Json| {
            (
                text(r, &["metadata", "creationTimestamp"]).to_string(),
                text(r, &["metadata", "name"]).to_string(),
            )
        };
        key(a).cmp(&key(b))
    });
    let template = at(dep, &["spec", "template"]);
    owned
        .into_iter()
        .find(|rs| templates_match(at(rs, &["spec", "template"]), template))
}

/// Helm's `deploymentReady` given the new ReplicaSet.
pub fn deployment_ready(dep: &Json, new_rs: &Json) -> bool {
    if !generation_observed(new_rs) || !generation_observed(dep) {
        return false;
    }
    let expected = int(dep, &["spec", "replicas"]) - max_unavailable(dep);
    int(new_rs, &["status", "readyReplicas"]) >= expected
}

/// A paused Deployment counts as ready (`PausedAsReady`).
pub fn deployment_paused(dep: &Json) -> bool {
    at(dep, &["spec", "paused"]) == Some(&Json::Bool(true))
}

/// Helm's `daemonSetReady`.
pub fn daemon_set_ready(ds: &Json) -> bool {
    if !generation_observed(ds) {
        return false;
    }
    if text(ds, &["spec", "updateStrategy", "type"]) != "RollingUpdate" {
        return true;
    }
    let desired = int(ds, &["status", "desiredNumberScheduled"]);
    if int(ds, &["status", "updatedNumberScheduled"]) != desired {
        return false;
    }
    let max = scaled_value(
        at(
            ds,
            &["spec", "updateStrategy", "rollingUpdate", "maxUnavailable"],
        ),
        desired,
        true,
    )
    .unwrap_or(desired);
    int(ds, &["status", "numberReady"]) >= desired - max
}

/// Helm's `crdReady`.
pub fn crd_ready(crd: &Json) -> bool {
    conditions(crd).any(|(t, s, _)| {
        (t == "Established" && s == "True") || (t == "NamesAccepted" && s == "False")
    })
}

/// Helm's `statefulSetReady`.
pub fn stateful_set_ready(sts: &Json) -> bool {
    if !generation_observed(sts) {
        return false;
    }
    if text(sts, &["spec", "updateStrategy", "type"]) != "RollingUpdate" {
        return true;
    }
    let partition = int(
        sts,
        &["spec", "updateStrategy", "rollingUpdate", "partition"],
    );
    let replicas = at(sts, &["spec", "replicas"])
        .and_then(Json::as_i64)
        .unwrap_or(1);
    if int(sts, &["status", "updatedReplicas"]) < replicas - partition {
        return false;
    }
    if int(sts, &["status", "readyReplicas"]) != replicas {
        return false;
    }
    !(partition == 0
        && text(sts, &["status", "currentRevision"]) != text(sts, &["status", "updateRevision"]))
}

/// ReplicaSets and ReplicationControllers: the generation is observed.
pub fn replicas_observed(v: &Json) -> bool {
    generation_observed(v)
}

/// The label selector of a workload as a query string: `spec.selector`
/// as a `LabelSelector` (`matchLabels`, `matchExpressions`), or as a plain
/// map for ReplicationControllers. `Err` names an operator Kubernetes
/// does not define.
pub fn selector_of(v: &Json, plain_map: bool) -> Result<String, String> {
    let selector = at(v, &["spec", "selector"]);
    let pairs = |m: Option<&Json>| -> Vec<String> {
        m.and_then(Json::as_object)
            .into_iter()
            .flatten()
            .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
            .collect()
    };
    if plain_map {
        return Ok(pairs(selector).join(","));
    }
    let mut parts = pairs(selector.and_then(|s| s.get("matchLabels")));
    for e in selector
        .and_then(|s| s.get("matchExpressions"))
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        let key = text(e, &["key"]);
        let values: Vec<&str> = e
            .get("values")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter_map(Json::as_str)
            .collect();
        let part = match text(e, &["operator"]) {
            "In" => format!("{key} in ({})", values.join(",")),
            "NotIn" => format!("{key} notin ({})", values.join(",")),
            "Exists" => key.to_string(),
            "DoesNotExist" => format!("!{key}"),
            other => {
                return Err(format!(
                    "{} is not a valid label selector operator",
                    crate::template::strconv::quote(other)
                ))
            }
        };
        parts.push(part);
    }
    Ok(parts.join(","))
}

/// A hook Job's state (`waitForJob`): `Ok(true)` once complete, `Err`
/// (`job NAME failed: REASON`) once failed.
pub fn hook_job_done(job: &Json, name: &str) -> Result<bool, String> {
    for (t, s, reason) in conditions(job) {
        if t == "Complete" && s == "True" {
            return Ok(true);
        }
        if t == "Failed" && s == "True" {
            return Err(format!("job {name} failed: {reason}"));
        }
    }
    Ok(false)
}

/// A hook Pod's state (`waitForPodSuccess`): `Ok(true)` once succeeded,
/// `Err` (`pod NAME failed`) once failed.
pub fn hook_pod_done(pod: &Json) -> Result<bool, String> {
    match text(pod, &["status", "phase"]) {
        "Succeeded" => Ok(true),
        "Failed" => Err(format!("pod {} failed", text(pod, &["metadata", "name"]))),
        _ => Ok(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rules_by_group_and_kind() {
        assert_eq!(rule_for("apps", "Deployment"), Rule::Deployment);
        assert_eq!(rule_for("extensions", "Deployment"), Rule::Deployment);
        assert_eq!(rule_for("", "Service"), Rule::Service);
        assert_eq!(rule_for("batch", "Job"), Rule::Job);
        assert_eq!(rule_for("", "ConfigMap"), Rule::None);
        assert_eq!(rule_for("example.com", "Deployment"), Rule::None);
    }

    #[test]
    fn pods_and_claims() {
        assert!(!pod_ready(&json!({"status": {"phase": "Pending"}})));
        assert!(pod_ready(
            &json!({"status": {"conditions": [{"type": "Initialized", "status": "True"}, {"type": "Ready", "status": "True"}]}})
        ));
        assert!(!pod_ready(
            &json!({"status": {"conditions": [{"type": "Ready", "status": "False"}]}})
        ));
        assert!(volume_ready(&json!({"status": {"phase": "Bound"}})));
        assert!(!volume_ready(&json!({"status": {"phase": "Pending"}})));
    }

    #[test]
    fn jobs_with_wait_for_jobs() {
        let job = |failed: i64, succeeded: i64| {
            json!({"metadata": {"name": "j", "namespace": "ns"},
                   "spec": {"backoffLimit": 1, "completions": 2},
                   "status": {"failed": failed, "succeeded": succeeded}})
        };
        assert_eq!(job_ready(&job(0, 1)), Ok(false));
        assert_eq!(job_ready(&job(1, 2)), Ok(true));
        assert_eq!(
            job_ready(&job(2, 0)),
            Err("job is failed: ns/j".to_string())
        );
        assert_eq!(job_ready(&json!({"spec": {}})), Ok(true));
    }

    #[test]
    fn services() {
        assert!(service_ready(&json!({"spec": {"type": "ExternalName"}})));
        assert!(!service_ready(&json!({"spec": {"type": "ClusterIP"}})));
        assert!(service_ready(
            &json!({"spec": {"type": "ClusterIP", "clusterIP": "10.0.0.1"}})
        ));
        let lb = json!({"spec": {"type": "LoadBalancer", "clusterIP": "10.0.0.1"}, "status": {"loadBalancer": {}}});
        assert!(!service_ready(&lb));
        let mut with_ingress = lb.clone();
        with_ingress["status"]["loadBalancer"]["ingress"] = json!([{"ip": "1.2.3.4"}]);
        assert!(service_ready(&with_ingress));
        let mut external = lb;
        external["spec"]["externalIPs"] = json!(["1.2.3.4"]);
        assert!(service_ready(&external));
    }

    #[test]
    fn scaled_values_and_max_unavailable() {
        assert_eq!(scaled_value(Some(&json!(3)), 10, true), Some(3));
        assert_eq!(scaled_value(Some(&json!("25%")), 10, true), Some(3));
        assert_eq!(scaled_value(Some(&json!("25%")), 10, false), Some(2));
        assert_eq!(scaled_value(Some(&json!("5")), 10, false), None);
        assert_eq!(scaled_value(None, 10, false), None);
        let dep = |strategy: Json, replicas: i64| json!({"spec": {"replicas": replicas, "strategy": strategy}});
        let rolling = json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}});
        assert_eq!(max_unavailable(&dep(rolling.clone(), 10)), 2);
        assert_eq!(max_unavailable(&dep(rolling, 0)), 0);
        assert_eq!(max_unavailable(&dep(json!({"type": "Recreate"}), 4)), 0);
        let zeros =
            json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}});
        assert_eq!(max_unavailable(&dep(zeros, 3)), 1);
        let big =
            json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 9}});
        assert_eq!(max_unavailable(&dep(big, 3)), 3);
    }

    fn deployment() -> Json {
        json!({
            "metadata": {"name": "d", "uid": "u1", "generation": 2},
            "spec": {"replicas": 4, "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
                     "template": {"metadata": {"labels": {"app": "d"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}},
            "status": {"observedGeneration": 2}
        })
    }

    fn replica_set(uid: &str, image: &str, created: &str, ready: i64) -> Json {
        json!({
            "metadata": {"name": format!("d-{image}"), "generation": 1, "creationTimestamp": created,
                         "ownerReferences": [{"uid": uid, "controller": true}]},
            "spec": {"template": {"metadata": {"labels": {"app": "d", "pod-template-hash": "abc"}, "annotations": {}},
                                  "spec": {"containers": [{"name": "c", "image": image}]}}},
            "status": {"observedGeneration": 1, "readyReplicas": ready}
        })
    }

    #[test]
    fn deployments_follow_their_new_replica_set() {
        let dep = deployment();
        let sets = [
            replica_set("u1", "old", "2024-01-01T00:00:00Z", 4),
            replica_set("other", "i", "2024-01-01T00:00:00Z", 4),
            replica_set("u1", "i", "2024-01-02T00:00:00Z", 2),
        ];
        let new = new_replica_set(&dep, &sets).unwrap();
        assert_eq!(new["metadata"]["name"], "d-i");
        assert!(!deployment_ready(&dep, new));
        let mut ready = new.clone();
        ready["status"]["readyReplicas"] = json!(3);
        assert!(deployment_ready(&dep, &ready));
        let mut stale = dep.clone();
        stale["status"]["observedGeneration"] = json!(1);
        assert!(!deployment_ready(&stale, &ready));
        assert!(new_replica_set(&dep, &sets[..2]).is_none());
        assert!(!deployment_paused(&dep));
        assert!(deployment_paused(&json!({"spec": {"paused": true}})));
    }

    #[test]
    fn daemon_sets_and_stateful_sets() {
        let ds = json!({"metadata": {"generation": 1},
            "spec": {"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}}},
            "status": {"observedGeneration": 1, "desiredNumberScheduled": 3, "updatedNumberScheduled": 3, "numberReady": 2}});
        assert!(daemon_set_ready(&ds));
        let mut short = ds.clone();
        short["status"]["numberReady"] = json!(1);
        assert!(!daemon_set_ready(&short));
        let mut on_delete = short;
        on_delete["spec"]["updateStrategy"] = json!({"type": "OnDelete"});
        assert!(daemon_set_ready(&on_delete));

        let sts = json!({"metadata": {"generation": 1},
            "spec": {"replicas": 2, "updateStrategy": {"type": "RollingUpdate"}},
            "status": {"observedGeneration": 1, "updatedReplicas": 2, "readyReplicas": 2, "currentRevision": "a", "updateRevision": "a"}});
        assert!(stateful_set_ready(&sts));
        let mut rolling = sts.clone();
        rolling["status"]["updateRevision"] = json!("b");
        assert!(!stateful_set_ready(&rolling));
        rolling["spec"]["updateStrategy"]["rollingUpdate"] = json!({"partition": 1});
        assert!(stateful_set_ready(&rolling));
        let mut not_ready = sts;
        not_ready["status"]["readyReplicas"] = json!(1);
        assert!(!stateful_set_ready(&not_ready));
    }

    #[test]
    fn crds() {
        assert!(!crd_ready(&json!({})));
        assert!(crd_ready(
            &json!({"status": {"conditions": [{"type": "Established", "status": "True"}]}})
        ));
        assert!(crd_ready(
            &json!({"status": {"conditions": [{"type": "NamesAccepted", "status": "False"}]}})
        ));
    }

    #[test]
    fn selectors() {
        let rs = json!({"spec": {"selector": {"matchLabels": {"a": "1", "b": "2"},
            "matchExpressions": [{"key": "c", "operator": "In", "values": ["x", "y"]}, {"key": "d", "operator": "DoesNotExist"}]}}});
        assert_eq!(selector_of(&rs, false).unwrap(), "a=1,b=2,c in (x,y),!d");
        let rc = json!({"spec": {"selector": {"app": "web"}}});
        assert_eq!(selector_of(&rc, true).unwrap(), "app=web");
    }

    #[test]
    fn hook_jobs_and_pods() {
        let job = |t: &str| json!({"status": {"conditions": [{"type": t, "status": "True", "reason": "BackoffLimitExceeded"}]}});
        assert_eq!(hook_job_done(&json!({}), "j"), Ok(false));
        assert_eq!(hook_job_done(&job("Complete"), "j"), Ok(true));
        assert_eq!(
            hook_job_done(&job("Failed"), "j"),
            Err("job j failed: BackoffLimitExceeded".to_string())
        );
        let pod = |phase: &str| json!({"metadata": {"name": "p"}, "status": {"phase": phase}});
        assert_eq!(hook_pod_done(&pod("Running")), Ok(false));
        assert_eq!(hook_pod_done(&pod("Succeeded")), Ok(true));
        assert_eq!(
            hook_pod_done(&pod("Failed")),
            Err("pod p failed".to_string())
        );
    }
}
