//! Talking to a Kubernetes cluster (feature `kube`, native only): what
//! `helm install`, `upgrade`, `rollback`, `uninstall`, `status`, `history`
//! and `list` do on a cluster, interoperable with Helm v3's release records.
//!
//! - [`objects`]: manifest objects, Helm's ownership metadata and checks,
//!   resource policy, uninstall order (no cluster access; unit tested);
//! - [`capabilities`]: `.Capabilities` from `/version` and discovery;
//! - [`client`]: kubeconfig, discovery, server-side apply, deletes (kube-rs);
//! - [`secrets`]: Helm's Secret storage driver over [`crate::release`];
//! - [`actions`]: the operations;
//! - [`options`]: `--no-hooks`, `--wait`, `--wait-for-jobs`, `--timeout`,
//!   `--atomic`;
//! - [`list`]: `helm list`'s filters, order and paging;
//! - [`hooks`]: running a release's hooks for an event;
//! - [`crds`]: the charts' `crds/` files on install;
//! - [`ready`]: Helm's readiness rules per kind (no cluster access);
//! - [`wait`]: `--wait`, hook watches and waiting for deletions;
//! - [`upgrade`]: `upgrade` and `rollback`;
//! - [`dry_run`]: `install --dry-run` and `upgrade --dry-run`;
//! - [`get`]: `get values|manifest|notes|hooks|metadata|all`;
//! - [`list`]: which releases `list` shows, sorted and paged;
//! - [`print`]: Helm's human output (status block, history and list tables);
//! - [`output`]: `-o json|yaml` and Helm's JSON shapes;
//! - [`validate`]: building a manifest's objects (OpenAPI schema, kinds) before storing.

pub mod actions;
pub mod capabilities;
pub mod client;
pub mod crds;
pub mod dry_run;
pub mod get;
pub mod hooks;
pub mod labels;
pub mod list;
pub mod objects;
pub mod options;
pub mod output;
pub mod print;
pub mod ready;
pub mod secrets;
pub mod selector;
pub mod upgrade;
pub mod validate;
pub mod wait;

pub use client::{Cluster, KubeOptions};

/// Runs `future` to completion on a new current-thread runtime (one per
/// command; kube-rs is async, chartroom is not).
pub fn block_on<F: std::future::Future>(future: F) -> Result<F::Output, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    Ok(runtime.block_on(future))
}
