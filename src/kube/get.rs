//! `helm get values|manifest|notes|hooks|metadata|all` (Helm v3.21.4's
//! `cmd/helm/get_*.go` over `pkg/action/get.go`, `get_values.go`,
//! `get_metadata.go`): one record, the latest or `--revision N`, printed
//! as Helm prints it.

use super::client::Cluster;
use super::output::{self, Format};
use super::print::{self, StatusOptions};
use super::secrets::Secrets;
use crate::release::storage::{latest, ERR_RELEASE_NOT_FOUND};
use crate::release::Release;

/// `Configuration.releaseContent`: the latest record (`revision <= 0`) or
/// the given one.
pub async fn release_content(
    cluster: &Cluster,
    name: &str,
    revision: i64,
) -> Result<Release, String> {
    if crate::api::validate_release_name(name).is_err() {
        return Err(format!("releaseContent: Release name is invalid: {name}"));
    }
    let history = Secrets::new(cluster, Some(&cluster.namespace))
        .history(name)
        .await?;
    pick(&history, revision)
}

/// The record `release_content` returns from a release's history.
pub fn pick(history: &[Release], revision: i64) -> Result<Release, String> {
    let found = if revision <= 0 {
        latest(history)
    } else {
        history.iter().find(|r| r.version == revision)
    };
    found
        .cloned()
        .ok_or_else(|| ERR_RELEASE_NOT_FOUND.to_string())
}

/// What `helm get <what>` prints for a record (`format` applies to
/// `values` and `metadata`; `all_values` is `get values --all`).
pub fn render(
    what: &str,
    release: &Release,
    format: Format,
    all_values: bool,
) -> Result<String, String> {
    match what {
        "values" => {
            let computed;
            let values = if all_values {
                computed = print::computed_values(release)?;
                Some(&computed)
            } else {
                (!release.config.is_empty()).then_some(&release.config)
            };
            let json = output::values_json(values)?;
            format.write(
                || Ok(json.clone()),
                || {
                    let head = if all_values {
                        "COMPUTED VALUES:\n"
                    } else {
                        "USER-SUPPLIED VALUES:\n"
                    };
                    Ok(format!("{head}{}", output::encode_yaml(&json)?))
                },
            )
        }
        "manifest" => Ok(format!("{}\n", release.manifest)),
        "notes" => {
            let notes = release
                .info
                .as_ref()
                .map(|i| i.notes.as_str())
                .unwrap_or_default();
            Ok(if notes.is_empty() {
                String::new()
            } else {
                format!("NOTES:\n{notes}\n")
            })
        }
        "hooks" => Ok(release
            .hooks
            .iter()
            .map(|h| format!("---\n# Source: {}\n{}\n", h.path, h.manifest))
            .collect()),
        "metadata" => format.write(
            || output::metadata_json(release),
            || Ok(output::metadata_table(release)),
        ),
        "all" => print::status_with(
            release,
            &StatusOptions {
                debug: true,
                show_metadata: true,
                ..StatusOptions::default()
            },
        ),
        other => Err(format!("unknown command {other:?} for \"chartroom get\"")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::release::{Hook, Info, ReleaseChart, Status};

    fn rel(version: i64, config: &str) -> Release {
        Release {
            name: "web".into(),
            namespace: "apps".into(),
            version,
            config: crate::yaml::from_yaml_map(config).unwrap(),
            manifest: "---\n# Source: web/templates/cm.yaml\nkind: ConfigMap".into(),
            info: Some(Info {
                status: Status::Deployed,
                notes: "Hello.\n".into(),
                ..Info::default()
            }),
            chart: Some(ReleaseChart {
                metadata: Some(crate::chart::Metadata {
                    name: "web".into(),
                    version: "0.1.0".into(),
                    ..Default::default()
                }),
                values: Some(crate::yaml::from_yaml_map("a: 0\nb: 2\n").unwrap()),
                ..ReleaseChart::default()
            }),
            hooks: vec![Hook {
                path: "web/templates/job.yaml".into(),
                manifest: "kind: Job".into(),
                ..Hook::default()
            }],
            ..Release::default()
        }
    }

    #[test]
    fn picks_latest_or_the_revision() {
        let h = [rel(1, ""), rel(3, ""), rel(2, "")];
        assert_eq!(pick(&h, 0).unwrap().version, 3);
        assert_eq!(pick(&h, 2).unwrap().version, 2);
        assert_eq!(pick(&h, 7).unwrap_err(), "release: not found");
        assert_eq!(pick(&[], 0).unwrap_err(), "release: not found");
    }

    #[test]
    fn values_user_computed_and_nil() {
        let r = rel(1, "a: 1\n");
        assert_eq!(
            render("values", &r, Format::Table, false).unwrap(),
            "USER-SUPPLIED VALUES:\na: 1\n"
        );
        assert_eq!(
            render("values", &r, Format::Table, true).unwrap(),
            "COMPUTED VALUES:\na: 1\nb: 2\n"
        );
        assert_eq!(
            render("values", &r, Format::Json, true).unwrap(),
            "{\"a\":1,\"b\":2}\n"
        );
        let none = rel(1, "");
        assert_eq!(
            render("values", &none, Format::Table, false).unwrap(),
            "USER-SUPPLIED VALUES:\nnull\n"
        );
        assert_eq!(
            render("values", &none, Format::Json, false).unwrap(),
            "null\n"
        );
    }

    #[test]
    fn manifest_notes_hooks() {
        let r = rel(1, "");
        assert_eq!(
            render("manifest", &r, Format::Table, false).unwrap(),
            "---\n# Source: web/templates/cm.yaml\nkind: ConfigMap\n"
        );
        assert_eq!(
            render("notes", &r, Format::Table, false).unwrap(),
            "NOTES:\nHello.\n\n"
        );
        assert_eq!(
            render("hooks", &r, Format::Table, false).unwrap(),
            "---\n# Source: web/templates/job.yaml\nkind: Job\n"
        );
    }

    #[test]
    fn all_shows_metadata_values_hooks_and_manifest() {
        let text = render("all", &rel(2, "a: 1\n"), Format::Table, false).unwrap();
        assert_eq!(
            text,
            "NAME: web\nNAMESPACE: apps\nSTATUS: deployed\nREVISION: 2\nCHART: web\nVERSION: 0.1.0\nAPP_VERSION: \nTEST SUITE: None\nUSER-SUPPLIED VALUES:\na: 1\n\nCOMPUTED VALUES:\na: 1\nb: 2\n\nHOOKS:\n---\n# Source: web/templates/job.yaml\nkind: Job\nMANIFEST:\n---\n# Source: web/templates/cm.yaml\nkind: ConfigMap\nNOTES:\nHello.\n"
        );
    }
}
