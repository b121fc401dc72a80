//! The charts' `crds/` files on install, as Helm v3.21.4's
//! `Install.installCRDs` (`pkg/action/install.go`) handles them: one file
//! at a time in the order they were read (subcharts' included), each
//! object created (never applied, so an existing CRD is left alone: a file
//! whose creation says "already exists" is skipped), then every created
//! CRD waited for until `Established` (60 seconds). Upgrades never touch
//! CRDs, and uninstalls never delete them.

use std::time::Duration;

use super::client::Cluster;
use super::objects::parse_manifest;
use super::wait::{multierror, wait_for_resources, Target};
use crate::action::Crd;

/// How long new CRDs get to become established.
pub const CRD_WAIT: Duration = Duration::from_secs(60);

/// Creates the CRDs of `crds` that do not exist yet and waits for them.
/// `Err` is Helm's `failed to install CRD crds/x.yaml: …` or the wait's
/// error.
pub async fn install_crds(cluster: &Cluster, crds: &[Crd]) -> Result<(), String> {
    let mut created: Vec<Target> = Vec::new();
    for crd in crds {
        let fail = |e: String| format!("failed to install CRD {}: {e}", crd.name);
        let mut targets = Vec::new();
        for mut resource in parse_manifest(&crd.content).map_err(fail)? {
            let api = cluster.prepare(&mut resource).await.map_err(fail)?;
            targets.push((resource, api));
        }
        let mut errors = Vec::new();
        let mut exists = false;
        for (resource, api) in &targets {
            if let Err(e) = cluster.create(api, resource).await {
                exists |= e.already_exists();
                errors.push(e.message);
            }
        }
        match errors.len() {
            0 => created.extend(targets),
            // One object that already exists: Helm skips the file.
            1 if exists => continue,
            _ => return Err(fail(multierror(&errors))),
        }
    }
    if created.is_empty() {
        return Ok(());
    }
    wait_for_resources(cluster, &created, CRD_WAIT, false).await
}
