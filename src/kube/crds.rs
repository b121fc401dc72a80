//! The charts' `crds/` files on install, as Helm v3.21.4's
//! `Install.installCRDs` (`pkg/action/install.go`) handles them, before
//! the templates are rendered: the files of the chart and of the subcharts
//! its values enable ([`chart_crds`]), one file
//! at a time in the order they were read (subcharts' included), each
//! object created (never applied, so an existing CRD is left alone: a file
//! whose creation says "already exists" is skipped), then every created
//! CRD waited for until `Established` (60 seconds). Upgrades never touch
//! CRDs, and uninstalls never delete them.

use std::time::Duration;

use super::client::Cluster;
use super::objects::parse_manifest;
use super::wait::{multierror, wait_for_resources, Target};
use crate::action::notes::crd_objects;
use crate::action::Crd;
use crate::chart::{dependencies, Chart};
use crate::value::Map;

/// How long new CRDs get to become established.
pub const CRD_WAIT: Duration = Duration::from_secs(60);

/// The `crds/` files of an installable chart and of the subcharts that
/// `values` (the user's) leave enabled, in Helm's order (`CRDObjects`
/// after `ProcessDependenciesWithMerge`). `None` when the chart cannot be
/// installed or its dependencies not processed: rendering reports why.
pub fn chart_crds(chart: &Chart, values: &Map) -> Option<Vec<Crd>> {
    if !matches!(chart.metadata.chart_type.as_str(), "" | "application") {
        return None;
    }
    if chart.metadata.has_dependency_list() && dependencies::check_dependencies(chart).is_err() {
        return None;
    }
    let mut processed = detached(chart);
    dependencies::process_dependencies(&mut processed, &values.deep_clone(), true).ok()?;
    Some(crd_objects(&processed))
}

/// A copy of the chart whose values maps are not shared with `chart`'s
/// (processing dependencies may coalesce into them).
fn detached(chart: &Chart) -> Chart {
    let mut copy = chart.clone();
    copy.values = chart.values.deep_clone();
    copy.dependencies = chart.dependencies.iter().map(detached).collect();
    copy
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::File;

    fn chart(name: &str, files: &[&str], deps: Vec<Chart>) -> Chart {
        let mut c = Chart::default();
        c.metadata.name = name.into();
        c.metadata.version = "0.1.0".into();
        c.files = files
            .iter()
            .map(|f| File {
                name: f.to_string(),
                data: b"kind: CustomResourceDefinition".to_vec().into(),
            })
            .collect();
        c.dependencies = deps;
        c
    }

    #[test]
    fn crds_of_the_chart_and_its_subcharts() {
        let sub = chart("sub", &["crds/b.yaml"], vec![]);
        let top = chart(
            "top",
            &["crds/a.yaml", "crds/notes.txt", "x.yaml"],
            vec![sub],
        );
        let crds = chart_crds(&top, &Map::new()).unwrap();
        let names: Vec<(&str, &str)> = crds
            .iter()
            .map(|c| (c.name.as_str(), c.filename.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("crds/a.yaml", "top/crds/a.yaml"),
                ("crds/b.yaml", "top/charts/sub/crds/b.yaml")
            ]
        );
    }

    #[test]
    fn disabled_subcharts_bring_no_crds() {
        let sub = chart("sub", &["crds/b.yaml"], vec![]);
        let mut top = chart("top", &["crds/a.yaml"], vec![sub]);
        top.metadata.dependencies = vec![crate::chart::Dependency {
            name: "sub".into(),
            version: "0.1.0".into(),
            condition: "sub.enabled".into(),
            ..Default::default()
        }];
        let values = crate::yaml::from_yaml_map("sub: {enabled: false}\n").unwrap();
        let crds = chart_crds(&top, &values).unwrap();
        assert_eq!(crds.len(), 1);
        assert_eq!(crds[0].name, "crds/a.yaml");
        // The chart itself is not changed.
        assert_eq!(top.dependencies.len(), 1);
        let enabled = crate::yaml::from_yaml_map("sub: {enabled: true}\n").unwrap();
        assert_eq!(chart_crds(&top, &enabled).unwrap().len(), 2);
    }

    #[test]
    fn library_charts_install_no_crds() {
        let mut lib = chart("lib", &["crds/a.yaml"], vec![]);
        lib.metadata.chart_type = "library".into();
        assert!(chart_crds(&lib, &Map::new()).is_none());
    }
}
