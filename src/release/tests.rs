//! Release records end to end: Go-exact JSON text, round trips through the
//! storage encoding, Go's decoding rules and errors, the chart conversion,
//! and the helm-written fixtures under `tests/data/release/`.

use std::collections::BTreeMap;

use super::codec::{base64_decode, base64_encode, decode, encode, from_json, gunzip, to_json};
use super::storage::{from_secret, to_secret, Stamp};
use super::*;
use crate::chart::{Dependency, File, Metadata};
use crate::value::Value;

fn ts(text: &str) -> Timestamp {
    Timestamp::parse_rfc3339(text).unwrap()
}

/// A release with every part set, and the JSON Go's `json.Marshal` writes
/// for the same Go value (struct members in declaration order, `omitempty`
/// as tagged, map keys sorted, HTML characters escaped).
fn sample() -> (Release, &'static str) {
    let values = crate::yaml::from_json(r#"{"replicas":1,"image":{"tag":"x"}}"#).unwrap();
    let config = crate::yaml::from_json(r#"{"replicas":3}"#).unwrap();
    let import = crate::yaml::from_json(r#"{"child":"a","parent":"b"}"#).unwrap();
    let metadata = Metadata {
        name: "web".into(),
        version: "0.1.0".into(),
        api_version: "v2".into(),
        app_version: "1.0".into(),
        annotations: BTreeMap::from([("b".into(), "2".into()), ("a".into(), "1".into())]),
        dependencies: vec![Dependency {
            name: "db".into(),
            version: "1.x".into(),
            repository: "https://charts".into(),
            enabled: true,
            import_values: vec![import],
            ..Dependency::default()
        }],
        ..Metadata::default()
    };
    let release = Release {
        name: "web".into(),
        info: Some(Info {
            first_deployed: ts("2024-01-02T03:04:05.5+01:00"),
            last_deployed: ts("2024-01-02T03:04:05.5+01:00"),
            deleted: Timestamp::ZERO,
            description: "Install complete".into(),
            status: Status::Deployed,
            notes: "Visit <http://x> & enjoy".into(),
        }),
        chart: Some(ReleaseChart {
            metadata: Some(metadata),
            lock: None,
            templates: Some(vec![File {
                name: "templates/cm.yaml".into(),
                data: b"a: 1\n".to_vec().into(),
            }]),
            values: values.as_map().cloned(),
            schema: None,
            files: None,
        }),
        config: config.as_map().cloned().unwrap(),
        manifest: "---\n# Source: web/templates/cm.yaml\nkind: ConfigMap\n".into(),
        hooks: vec![Hook {
            name: "pre".into(),
            kind: "Job".into(),
            path: "web/templates/job.yaml".into(),
            manifest: "kind: Job".into(),
            events: vec![
                RecordedEvent::Known(HookEvent::PreInstall),
                RecordedEvent::Known(HookEvent::PostUpgrade),
            ],
            last_run: HookExecution {
                started_at: ts("2024-01-02T02:04:06Z"),
                completed_at: ts("2024-01-02T02:04:07.000000001Z"),
                phase: HookPhase::Succeeded,
            },
            weight: -5,
            delete_policies: vec!["before-hook-creation".into()],
            output_log_policies: Vec::new(),
        }],
        version: 1,
        namespace: "apps".into(),
        labels: BTreeMap::new(),
    };
    let json = concat!(
        r#"{"name":"web","info":{"first_deployed":"2024-01-02T03:04:05.5+01:00","#,
        r#""last_deployed":"2024-01-02T03:04:05.5+01:00","deleted":"","#,
        r#""description":"Install complete","status":"deployed","#,
        r#""notes":"Visit \u003chttp://x\u003e \u0026 enjoy"},"#,
        r#""chart":{"metadata":{"name":"web","version":"0.1.0","apiVersion":"v2","#,
        r#""appVersion":"1.0","annotations":{"a":"1","b":"2"},"#,
        r#""dependencies":[{"name":"db","version":"1.x","repository":"https://charts","#,
        r#""enabled":true,"import-values":[{"child":"a","parent":"b"}]}]},"#,
        r#""lock":null,"templates":[{"name":"templates/cm.yaml","data":"YTogMQo="}],"#,
        r#""values":{"image":{"tag":"x"},"replicas":1},"schema":null,"files":null},"#,
        r#""config":{"replicas":3},"#,
        r#""manifest":"---\n# Source: web/templates/cm.yaml\nkind: ConfigMap\n","#,
        r#""hooks":[{"name":"pre","kind":"Job","path":"web/templates/job.yaml","#,
        r#""manifest":"kind: Job","events":["pre-install","post-upgrade"],"#,
        r#""last_run":{"started_at":"2024-01-02T02:04:06Z","#,
        r#""completed_at":"2024-01-02T02:04:07.000000001Z","phase":"Succeeded"},"#,
        r#""weight":-5,"delete_policies":["before-hook-creation"]}],"#,
        r#""version":1,"namespace":"apps"}"#,
    );
    (release, json)
}

#[test]
fn sample_release_json_is_go_exact() {
    let (release, json) = sample();
    assert_eq!(to_json(&release).unwrap(), json);
}

#[test]
fn go_json_decodes_and_writes_back_unchanged() {
    let (_, json) = sample();
    let r = from_json(json.as_bytes()).unwrap();
    assert_eq!(r.name, "web");
    assert_eq!(r.version, 1);
    assert_eq!(r.status(), Status::Deployed);
    let info = r.info.as_ref().unwrap();
    assert_eq!(info.first_deployed.offset(), 3600);
    assert!(info.deleted.is_zero());
    assert_eq!(r.hooks[0].weight, -5);
    assert!(r.hooks[0].runs_on(HookEvent::PostUpgrade));
    let chart = r.chart.as_ref().unwrap();
    assert_eq!(chart.name_version(), "web-0.1.0");
    assert_eq!(&*chart.templates.as_ref().unwrap()[0].data, b"a: 1\n");
    assert!(chart.files.is_none() && chart.lock.is_none() && chart.schema.is_none());
    assert_eq!(to_json(&r).unwrap(), json);
}

#[test]
fn storage_encoding_round_trips() {
    let (release, json) = sample();
    let data = encode(&release).unwrap();
    let gz = base64_decode(&data).unwrap();
    assert_eq!(gz[..3], [0x1f, 0x8b, 0x08]);
    assert_eq!(gunzip(&gz).unwrap(), json.as_bytes());
    assert_eq!(to_json(&decode(&data).unwrap()).unwrap(), json);
    // Records from before compression are plain JSON.
    let plain = base64_encode(json.as_bytes());
    assert_eq!(to_json(&decode(&plain).unwrap()).unwrap(), json);
}

#[test]
fn zero_values_are_written_as_go_writes_them() {
    let r = Release {
        name: "x".into(),
        info: Some(Info::default()),
        chart: Some(ReleaseChart::default()),
        hooks: vec![Hook::default()],
        ..Release::default()
    };
    assert_eq!(
        to_json(&r).unwrap(),
        concat!(
            r#"{"name":"x","info":{"first_deployed":"","last_deployed":"","deleted":"","#,
            r#""status":"unknown"},"chart":{"metadata":null,"lock":null,"templates":null,"#,
            r#""values":null,"schema":null,"files":null},"#,
            r#""hooks":[{"last_run":{"started_at":"","completed_at":"","phase":""}}]}"#
        )
    );
    assert_eq!(to_json(&Release::default()).unwrap(), "{}");
    // A plain time.Time (the lock's) writes its zero value in full; empty
    // slices and maps are not nil.
    let chart = ReleaseChart {
        lock: Some(ReleaseLock {
            dependencies: Some(Vec::new()),
            ..ReleaseLock::default()
        }),
        templates: Some(Vec::new()),
        values: Some(crate::value::Map::new()),
        schema: Some(Vec::new().into()),
        files: Some(vec![File {
            name: "README".into(),
            data: Vec::new().into(),
        }]),
        ..ReleaseChart::default()
    };
    let r = Release {
        chart: Some(chart),
        ..Release::default()
    };
    assert_eq!(
        to_json(&r).unwrap(),
        concat!(
            r#"{"chart":{"metadata":null,"lock":{"generated":"0001-01-01T00:00:00Z","#,
            r#""digest":"","dependencies":[]},"templates":[],"values":{},"schema":"","#,
            r#""files":[{"name":"README","data":""}]}}"#
        )
    );
    assert_eq!(
        to_json(&from_json(to_json(&r).unwrap().as_bytes()).unwrap()).unwrap(),
        to_json(&r).unwrap()
    );
}

#[test]
fn strings_helm_does_not_define_survive() {
    let json = concat!(
        r#"{"info":{"first_deployed":"","last_deployed":"","deleted":"","status":"paused"},"#,
        r#""hooks":[{"events":["test-success","test"],"#,
        r#""last_run":{"started_at":"","completed_at":"","phase":"Weird"}}]}"#
    );
    let r = from_json(json.as_bytes()).unwrap();
    assert_eq!(r.status(), Status::Other("paused".into()));
    assert_eq!(
        r.hooks[0].events,
        [
            RecordedEvent::Other("test-success".into()),
            RecordedEvent::Known(HookEvent::Test)
        ]
    );
    assert_eq!(r.hooks[0].last_run.phase, HookPhase::Other("Weird".into()));
    assert_eq!(to_json(&r).unwrap(), json);
}

#[test]
fn decoding_follows_go_rules() {
    // Keys match ignoring case, unknown keys and nulls are ignored, a
    // missing status is Go's "" (omitted again on the way out).
    let json = r#"{"NAME":"a","Version":2,"info":{"deleted":null,"bogus":1},"chart":null,"config":null,"resources":{}}"#;
    let r = from_json(json.as_bytes()).unwrap();
    assert_eq!(r.name, "a");
    assert_eq!(r.version, 2);
    assert!(r.chart.is_none());
    assert_eq!(r.status(), Status::Other(String::new()));
    assert_eq!(
        to_json(&r).unwrap(),
        r#"{"name":"a","info":{"first_deployed":"","last_deployed":"","deleted":""},"version":2}"#
    );
    let err = |json: &str| from_json(json.as_bytes()).unwrap_err();
    assert_eq!(
        err(r#"{"version":"1"}"#),
        "json: cannot unmarshal string into Go struct field Release.version of type int"
    );
    assert_eq!(
        err(r#"{"hooks":[{"events":[3]}]}"#),
        "json: cannot unmarshal number into Go struct field Hook.hooks.events of type release.HookEvent"
    );
    assert_eq!(
        err(r#"{"chart":{"metadata":{"maintainers":{}}}}"#),
        "json: cannot unmarshal object into Go struct field Metadata.chart.metadata.maintainers of type []*chart.Maintainer"
    );
    assert_eq!(
        err(r#"{"chart":{"files":[{"data":"!"}]}}"#),
        "illegal base64 data at input byte 0"
    );
    assert_eq!(
        err(r#"[]"#),
        "json: cannot unmarshal array into Go value of type release.Release"
    );
    // Time errors stop decoding and win over type errors.
    assert_eq!(
        err(r#"{"version":"x","info":{"last_deployed":"soon"}}"#),
        "parsing time \"soon\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"soon\" as \"2006\""
    );
    assert_eq!(
        err(r#"{"info":{"deleted":5}}"#),
        "Time.UnmarshalJSON: input is not a JSON string"
    );
    // The lock's time is a plain time.Time: "" is not a time.
    assert_eq!(
        err(r#"{"chart":{"lock":{"generated":""}}}"#),
        "parsing time \"\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"\" as \"2006\""
    );
    assert_eq!(err("{"), "unexpected end of JSON input");
}

#[test]
fn values_in_records_keep_go_number_forms() {
    // interface{} values decode as float64 and write back as Go does.
    let json = r#"{"config":{"big":1e+21,"n":100000000,"small":1e-7}}"#;
    let r = from_json(json.as_bytes()).unwrap();
    assert_eq!(to_json(&r).unwrap(), json);
    // A NaN cannot be stored.
    let r = Release {
        config: [("x".to_string(), Value::Float(f64::NAN))]
            .into_iter()
            .collect(),
        ..Release::default()
    };
    assert_eq!(to_json(&r).unwrap_err(), "json: unsupported value: NaN");
}

fn chart_files(files: &[(&str, &str)]) -> crate::chart::Chart {
    let files = files
        .iter()
        .map(|(n, d)| File {
            name: n.to_string(),
            data: d.as_bytes().to_vec().into(),
        })
        .collect();
    crate::chart::load::load_files(files).unwrap()
}

#[test]
fn charts_convert_with_helms_nils() {
    let chart = chart_files(&[
        ("Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n"),
        ("values.yaml", "# only a comment\n"),
        ("templates/cm.yaml", "kind: ConfigMap\n"),
        ("README.md", "hi"),
        (
            "Chart.lock",
            "generated: \"2024-03-04T05:06:07.100000-02:00\"\ndigest: sha256:abc\ndependencies: []\n",
        ),
    ]);
    let rc = ReleaseChart::from_chart(&chart).unwrap();
    assert!(
        rc.values.is_none(),
        "a values.yaml without a document is nil"
    );
    assert_eq!(rc.templates.as_ref().unwrap().len(), 1);
    assert_eq!(rc.files.as_ref().unwrap()[0].name, "README.md");
    let lock = rc.lock.as_ref().unwrap();
    assert_eq!(
        lock.generated.rfc3339_nano().unwrap(),
        "2024-03-04T05:06:07.1-02:00"
    );
    let r = Release {
        chart: Some(rc.clone()),
        ..Release::default()
    };
    let json = to_json(&r).unwrap();
    assert!(json.contains(r#""values":null"#), "{json}");
    assert!(
        json.contains(r#""generated":"2024-03-04T05:06:07.1-02:00""#),
        "{json}"
    );
    let back = rc.to_chart();
    assert_eq!(back.metadata.name, "web");
    assert_eq!(back.templates.len(), 1);

    let bare = chart_files(&[("Chart.yaml", "apiVersion: v2\nname: bare\nversion: 1.0.0\n")]);
    let rc = ReleaseChart::from_chart(&bare).unwrap();
    assert!(rc.values.is_none() && rc.templates.is_none() && rc.files.is_none());
    assert!(rc.lock.is_none() && rc.schema.is_none());

    let with_values = chart_files(&[
        ("Chart.yaml", "apiVersion: v2\nname: v\nversion: 1.0.0\n"),
        ("values.yaml", "{}\n"),
        ("values.schema.json", "{}"),
    ]);
    let rc = ReleaseChart::from_chart(&with_values).unwrap();
    assert!(rc.values.as_ref().is_some_and(|v| v.is_empty()));
    assert_eq!(rc.schema.as_deref(), Some(&b"{}"[..]));
}

#[test]
fn rendered_hooks_become_records() {
    let doc = "kind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: pre-install,test-success\n    helm.sh/hook-weight: \"3\"\n";
    let head = crate::action::manifest::SimpleHead::parse(doc).unwrap();
    let crate::action::hooks::HookKind::Hook(h) =
        crate::action::hooks::classify("web/templates/j.yaml", doc, &head)
    else {
        panic!("not a hook");
    };
    let rec = Hook::from_rendered(&h);
    assert_eq!(rec.name, "j");
    assert_eq!(rec.weight, 3);
    let events: Vec<&str> = rec.events.iter().map(RecordedEvent::as_str).collect();
    assert_eq!(events, ["pre-install", "test"]);
    assert_eq!(rec.last_run.phase, HookPhase::NotRun);
}

#[test]
fn set_status_sets_the_description_too() {
    let mut r = Release::default();
    assert_eq!(r.status(), Status::Unknown);
    r.set_status(Status::PendingInstall, "Initial install underway");
    let info = r.info.as_ref().unwrap();
    assert_eq!(info.status, Status::PendingInstall);
    assert_eq!(info.description, "Initial install underway");
    assert!(r.status().is_pending());
    assert!(!Status::Deployed.is_pending());
    for s in [
        "deployed",
        "pending-rollback",
        "uninstalling",
        "unknown",
        "odd",
    ] {
        assert_eq!(Status::parse(s).as_str(), s);
    }
}

/// The Secrets under `tests/data/release/*.secret.json` (records Helm
/// wrote, captured by `tests/release/capture-helm-records.sh`) plus one
/// written here: each must decode, and its record must re-encode to exactly
/// the JSON Helm wrote (Go's `json.Marshal` output), and survive
/// chartroom's own Secret round trip.
#[test]
fn stored_secrets_round_trip_exactly() {
    let (release, _) = sample();
    let own = crate::yaml::to_json(&to_secret(&release, Stamp::Create(1)).unwrap()).unwrap();
    let mut secrets = vec![("chartroom sample".to_string(), own)];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/release");
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let mut paths: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().ends_with(".secret.json"))
            .collect();
        paths.sort();
        for p in paths {
            let text = std::fs::read_to_string(&p).unwrap();
            secrets.push((p.display().to_string(), text));
        }
    }
    for (origin, text) in &secrets {
        let secret = crate::yaml::from_json(text).unwrap();
        let release = from_secret(&secret).unwrap_or_else(|e| panic!("{origin}: {e}"));
        // The JSON inside, as the writer produced it.
        let data = secret.as_map().unwrap().get("data").unwrap();
        let outer = data.as_map().unwrap().get("release").unwrap();
        let inner = base64_decode(outer.as_str().unwrap()).unwrap();
        let bytes = base64_decode(std::str::from_utf8(&inner).unwrap()).unwrap();
        let written = gunzip(&bytes).unwrap();
        let written = String::from_utf8(written).unwrap();
        assert_eq!(to_json(&release).unwrap(), written, "{origin}");
        let again = from_secret(&to_secret(&release, Stamp::Update(2)).unwrap()).unwrap();
        assert_eq!(to_json(&again).unwrap(), written, "{origin}");
        assert_eq!(again.labels.get("owner").map(String::as_str), Some("helm"));
    }
}

/// Every file under `dir`, named relative to it.
fn read_tree(dir: &std::path::Path) -> Vec<File> {
    fn walk(dir: &std::path::Path, root: &std::path::Path, out: &mut Vec<File>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
            } else {
                out.push(File {
                    name: path.strip_prefix(root).unwrap().to_string_lossy().into(),
                    data: std::fs::read(&path).unwrap().into(),
                });
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}

/// The chart the capture script installed (`tests/data/release/rec-chart`),
/// loaded and dependency-processed by chartroom as `helm install` does it,
/// converts to exactly the chart JSON helm recorded in each revision:
/// metadata with `enabled` and rewritten `import-values`, the lock's time,
/// coalesced values with the imported table, templates, schema and files.
#[test]
fn loaded_charts_convert_to_the_chart_helm_records() {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/release");
    let chart_dir = data.join("rec-chart");
    if !chart_dir.is_dir() {
        return;
    }
    let mut chart = crate::chart::load::load_file_tree(read_tree(&chart_dir)).unwrap();
    crate::chart::dependencies::process_dependencies(&mut chart, &crate::value::Map::new(), true)
        .unwrap();
    let ours = Release {
        chart: Some(ReleaseChart::from_chart(&chart).unwrap()),
        ..Release::default()
    };
    let ours = to_json(&ours).unwrap();
    let mut checked = 0;
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !(name.contains("-rec.v") && name.ends_with(".secret.json")) {
            continue;
        }
        let secret = crate::yaml::from_json(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let helm = from_secret(&secret).unwrap();
        let theirs = Release {
            chart: helm.chart,
            ..Release::default()
        };
        assert_eq!(ours, to_json(&theirs).unwrap(), "{name}");
        checked += 1;
    }
    assert!(checked > 0, "rec-chart without records");
}

/// The history helm left (install, upgrade, failed upgrade, rollback to 1,
/// uninstall --keep-history) reads back with helm's statuses and
/// descriptions, and the operation checks decide on it as helm would.
#[test]
fn helm_history_drives_the_operation_checks() {
    use super::state::{self, description, UpgradeInstall};
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/release");
    let mut history = Vec::new();
    for rev in 1..=4 {
        let path = data.join(format!("helm-v3.10.1-rec.v{rev}.secret.json"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            return;
        };
        history.push(from_secret(&crate::yaml::from_json(&text).unwrap()).unwrap());
    }
    let statuses: Vec<Status> = history.iter().map(Release::status).collect();
    use Status::*;
    assert_eq!(statuses, [Superseded, Superseded, Failed, Uninstalled]);
    let descriptions: Vec<&str> = history
        .iter()
        .map(|r| r.info.as_ref().unwrap().description.as_str())
        .collect();
    assert_eq!(descriptions[0], description::INSTALL_COMPLETE);
    assert_eq!(descriptions[1], description::UPGRADE_COMPLETE);
    assert!(descriptions[2].starts_with(&description::upgrade_failed("rec", "")));
    assert_eq!(descriptions[3], description::UNINSTALL_COMPLETE);
    let info = history[3].info.as_ref().unwrap();
    assert!(!info.deleted.is_zero());
    assert_eq!(
        info.first_deployed,
        history[0].info.as_ref().unwrap().first_deployed
    );

    super::storage::list_order(&mut history);
    assert_eq!(
        state::upgrade_install(&history),
        UpgradeInstall::Install { replace: true }
    );
    assert_eq!(
        state::plan_install(&history, true),
        Ok(state::InstallPlan {
            revision: 5,
            supersede: Some(4)
        })
    );
    assert_eq!(
        state::plan_upgrade("rec", &history).unwrap_err(),
        "\"rec\" has no deployed releases"
    );
    assert_eq!(
        state::plan_uninstall("rec", &history, true).unwrap_err(),
        "the release named \"rec\" is already deleted"
    );
    assert_eq!(super::storage::prune_plan(&history, 2), vec![1, 2, 3]);
}
