//! Kind ordering, mirroring Helm v3.21.4's `pkg/releaseutil/kind_sorter.go`:
//! a stable sort by the position of each object's kind in an install (or
//! uninstall) order list. Kinds missing from the list come after every
//! listed kind, ordered among themselves by kind name (byte order); objects
//! of equal rank keep their input order.

use std::cmp::Ordering;

/// The order Helm installs objects in (and `helm template` prints them in).
pub const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
];

/// The order Helm uninstalls objects in.
pub const UNINSTALL_ORDER: &[&str] = &[
    "APIService",
    "Ingress",
    "IngressClass",
    "Service",
    "CronJob",
    "Job",
    "StatefulSet",
    "HorizontalPodAutoscaler",
    "Deployment",
    "ReplicaSet",
    "ReplicationController",
    "Pod",
    "DaemonSet",
    "RoleBindingList",
    "RoleBinding",
    "RoleList",
    "Role",
    "ClusterRoleBindingList",
    "ClusterRoleBinding",
    "ClusterRoleList",
    "ClusterRole",
    "CustomResourceDefinition",
    "PersistentVolumeClaim",
    "PersistentVolume",
    "StorageClass",
    "ConfigMap",
    "SecretList",
    "Secret",
    "ServiceAccount",
    "PodDisruptionBudget",
    "PodSecurityPolicy",
    "LimitRange",
    "ResourceQuota",
    "NetworkPolicy",
    "Namespace",
    "PriorityClass",
];

/// How two kinds compare under `order`: listed kinds by list position,
/// unlisted kinds last and by name. `Equal` keeps the input order.
pub fn compare_kinds(a: &str, b: &str, order: &[&str]) -> Ordering {
    let rank = |kind: &str| order.iter().position(|k| *k == kind);
    match (rank(a), rank(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.as_bytes().cmp(b.as_bytes()),
    }
}

/// Sorts `items` in place by the kind `kind_of` gives, stably.
pub fn sort_by_kind<T>(items: &mut [T], order: &[&str], kind_of: impl Fn(&T) -> &str) {
    items.sort_by(|a, b| compare_kinds(kind_of(a), kind_of(b), order));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(kinds: &[&'static str], order: &[&str]) -> Vec<&'static str> {
        let mut items: Vec<(usize, &'static str)> = kinds.iter().copied().enumerate().collect();
        sort_by_kind(&mut items, order, |(_, k)| k);
        items.into_iter().map(|(_, k)| k).collect()
    }

    #[test]
    fn listed_kinds_follow_the_install_order() {
        assert_eq!(
            sorted(
                &["Deployment", "Service", "Namespace", "ConfigMap"],
                INSTALL_ORDER
            ),
            ["Namespace", "ConfigMap", "Service", "Deployment"]
        );
        assert_eq!(
            sorted(&["Deployment", "Service", "Namespace"], UNINSTALL_ORDER),
            ["Service", "Deployment", "Namespace"]
        );
    }

    #[test]
    fn unknown_kinds_go_last_by_name() {
        assert_eq!(
            sorted(&["Zed", "", "Pod", "Alpha", "alpha"], INSTALL_ORDER),
            ["Pod", "", "Alpha", "Zed", "alpha"]
        );
    }

    #[test]
    fn equal_kinds_keep_their_order() {
        let mut items = vec![("Pod", 1), ("Service", 2), ("Pod", 3), ("X", 4), ("X", 5)];
        sort_by_kind(&mut items, INSTALL_ORDER, |(k, _)| k);
        assert_eq!(
            items,
            [("Service", 2), ("Pod", 1), ("Pod", 3), ("X", 4), ("X", 5)]
        );
    }
}
