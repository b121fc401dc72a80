//! End-to-end tests of the output stage over small hand-made renders.

use std::collections::BTreeMap;

use super::*;
use crate::chart::File;
use crate::engine::Rendered;

fn chart() -> Chart {
    let mut sub = Chart::default();
    sub.metadata.name = "sub".into();
    sub.files = vec![File {
        name: "crds/b.yaml".into(),
        data: b"kind: CustomResourceDefinition\nmetadata:\n  name: b\n"
            .to_vec()
            .into(),
    }];
    let mut root = Chart::default();
    root.metadata.name = "app".into();
    root.files = vec![File {
        name: "crds/a.yaml".into(),
        data: b"kind: CustomResourceDefinition\nmetadata:\n  name: a\n"
            .to_vec()
            .into(),
    }];
    root.dependencies = vec![sub];
    root.link_parents();
    root
}

fn rendered() -> BTreeMap<String, String> {
    [
        ("app/templates/NOTES.txt", "Thanks for installing app."),
        ("app/charts/sub/templates/NOTES.txt", "sub notes"),
        (
            "app/templates/deploy.yaml",
            "\n---\n# d\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n\n",
        ),
        (
            "app/templates/svc.yaml",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n",
        ),
        (
            "app/templates/tests/t.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test\n",
        ),
        (
            "app/templates/job.yaml",
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n    helm.sh/hook: pre-install,pre-upgrade\n    helm.sh/hook-weight: \"1\"\n",
        ),
        ("app/charts/sub/templates/cm.yaml", "kind: ConfigMap\nmetadata:\n  name: cm\n"),
        ("app/templates/empty.yaml", "\n  \n"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

const MANIFESTS: &str = "---
# Source: app/templates/svc.yaml
apiVersion: v1
kind: Secret
metadata:
  name: s
---
# Source: app/charts/sub/templates/cm.yaml
kind: ConfigMap
metadata:
  name: cm
---
# Source: app/templates/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
---
# Source: app/templates/deploy.yaml
# d
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
";

const TEST_HOOK: &str = "---
# Source: app/templates/tests/t.yaml
apiVersion: v1
kind: Pod
metadata:
  name: t
  annotations:
    helm.sh/hook: test
";

const JOB_HOOK: &str = "---
# Source: app/templates/job.yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: \"1\"
";

fn options() -> OutputOptions {
    OutputOptions {
        release_name: "rel".into(),
        ..OutputOptions::default()
    }
}

#[test]
fn the_stream_has_manifests_then_hooks() {
    let out = assemble(&chart(), rendered(), &options()).unwrap();
    assert_eq!(out.stream(), format!("{MANIFESTS}{TEST_HOOK}{JOB_HOOK}"));
    assert_eq!(out.notes, "Thanks for installing app.");
    assert_eq!(out.release_manifest(), MANIFESTS);
    assert_eq!(out.manifests.len(), 4);
    assert_eq!(out.hooks.len(), 2);
    assert_eq!(out.hooks[1].weight, 1);
    assert_eq!(out.crds.len(), 2);
    assert!(out.writes.is_empty());
}

#[test]
fn hook_flags_and_notes() {
    let opts = OutputOptions {
        skip_tests: true,
        render_subchart_notes: true,
        ..options()
    };
    let out = assemble(&chart(), rendered(), &opts).unwrap();
    assert_eq!(out.stream(), format!("{MANIFESTS}{JOB_HOOK}"));
    assert_eq!(out.notes, "sub notes\nThanks for installing app.");
    let opts = OutputOptions {
        no_hooks: true,
        ..options()
    };
    let out = assemble(&chart(), rendered(), &opts).unwrap();
    assert_eq!(out.stream(), MANIFESTS);
    assert_eq!(out.release_manifest(), MANIFESTS);
    assert_eq!(out.hooks.len(), 2);
}

#[test]
fn crds_come_first_as_they_are() {
    let opts = OutputOptions {
        include_crds: true,
        ..options()
    };
    let out = assemble(&chart(), rendered(), &opts).unwrap();
    let crds = "---\n# Source: app/crds/a.yaml\nkind: CustomResourceDefinition\nmetadata:\n  name: a\n\n---\n# Source: app/charts/sub/crds/b.yaml\nkind: CustomResourceDefinition\nmetadata:\n  name: b\n\n";
    assert_eq!(
        out.stream(),
        format!("{crds}{MANIFESTS}{TEST_HOOK}{JOB_HOOK}")
    );
}

#[test]
fn show_only_picks_documents_by_template_path() {
    let opts = OutputOptions {
        show_only: vec!["templates/svc.yaml".into(), "charts/*/templates/*".into()],
        ..options()
    };
    let out = assemble(&chart(), rendered(), &opts).unwrap();
    assert_eq!(
        out.stream(),
        "---\n# Source: app/templates/svc.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n\
         ---\n# Source: app/templates/svc.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n\
         ---\n# Source: app/charts/sub/templates/cm.yaml\nkind: ConfigMap\nmetadata:\n  name: cm\n"
    );
    // The release manifest is all of them, whatever the stream shows.
    assert_eq!(out.release_manifest(), MANIFESTS);
    // Hooks can be shown too, unless left out.
    let opts = OutputOptions {
        show_only: vec!["templates/tests/t.yaml".into()],
        ..options()
    };
    assert_eq!(
        assemble(&chart(), rendered(), &opts).unwrap().into_stream(),
        TEST_HOOK
    );
    let opts = OutputOptions {
        skip_tests: true,
        ..opts
    };
    let err = assemble(&chart(), rendered(), &opts).unwrap_err();
    assert_eq!(
        err.message,
        "could not find template templates/tests/t.yaml in chart"
    );
    assert_eq!(err.stdout, "");
}

#[test]
fn hidden_secrets() {
    let opts = OutputOptions {
        hide_secret: true,
        ..options()
    };
    let out = assemble(&chart(), rendered(), &opts).unwrap();
    assert!(out.stream().starts_with(
        "---\n# Source: app/templates/svc.yaml\n# HIDDEN: The Secret output has been suppressed\n---\n"
    ));
}

#[test]
fn output_dir_writes_instead_of_printing() {
    let opts = OutputOptions {
        output_dir: "out".into(),
        use_release_name: true,
        include_crds: true,
        ..options()
    };
    let out = assemble(&chart(), rendered(), &opts).unwrap();
    assert_eq!(out.stream(), "\n");
    let writes: Vec<(&str, WriteMode)> = out
        .writes
        .iter()
        .map(|w| (w.path.as_str(), w.mode))
        .collect();
    assert_eq!(
        writes,
        [
            ("out/app/crds/a.yaml", WriteMode::Create),
            ("out/app/charts/sub/crds/b.yaml", WriteMode::Create),
            ("out/rel/app/templates/svc.yaml", WriteMode::Create),
            (
                "out/rel/app/charts/sub/templates/cm.yaml",
                WriteMode::Create
            ),
            ("out/rel/app/templates/svc.yaml", WriteMode::Append),
            ("out/rel/app/templates/deploy.yaml", WriteMode::Create),
            (
                "out/rel/app/templates/tests/t.yaml",
                WriteMode::AppendIfExists
            ),
            ("out/rel/app/templates/job.yaml", WriteMode::AppendIfExists),
        ]
    );
    assert_eq!(
        out.writes[3].text,
        "---\n# Source: app/charts/sub/templates/cm.yaml\nkind: ConfigMap\nmetadata:\n  name: cm\n"
    );
}

#[test]
fn hooks_only_and_empty_renders() {
    let only_hooks: BTreeMap<String, String> = rendered()
        .into_iter()
        .filter(|(k, _)| k.ends_with("job.yaml"))
        .collect();
    let out = assemble(&chart(), only_hooks, &options()).unwrap();
    assert_eq!(out.stream(), format!("\n{JOB_HOOK}"));
    let out = assemble(&chart(), BTreeMap::new(), &options()).unwrap();
    assert_eq!(out.stream(), "\n");
}

fn bad_render() -> BTreeMap<String, String> {
    let mut files = rendered();
    files.insert(
        "app/templates/bad.yaml".into(),
        "kind: Pod\nmetadata:\n  name: p\ninvalid\n".into(),
    );
    files
}

/// Helm reads a manifest's bytes: a document whose bytes are not UTF-8 (a
/// binary file printed into it) stops the sort with go-yaml's complaint
/// (helm v3.10.1 printed these errors for the same documents); another
/// document of the same file is read as usual.
#[test]
fn manifests_that_are_not_utf8_fail_to_sort_as_in_helm() {
    let not_utf8 = |doc: &[u8]| {
        let mut files = rendered();
        let path = "app/templates/bin.yaml";
        let bytes = [
            b"kind: ConfigMap\nmetadata:\n  name: ok\n---\n".as_slice(),
            doc,
        ]
        .concat();
        files.insert(path.into(), crate::value::go_text(&bytes));
        let rendered = Rendered {
            texts: files,
            not_utf8: BTreeMap::from([(path.to_string(), bytes)]),
        };
        assemble(&chart(), rendered, &options())
    };
    let failing = [
        (b"data: ab\xffcd".as_slice(), "invalid leading UTF-8 octet"),
        (b"data: ab\xe2\x82", "incomplete UTF-8 octet sequence"),
        (b"data: ab\xe2(x", "invalid trailing UTF-8 octet"),
        (b"data: ab\xc0\x80", "invalid length of a UTF-8 sequence"),
        (b"data: ab\xed\xa0\x80", "invalid Unicode character"),
        (b"# ab\xffcd\nkind: Secret", "invalid leading UTF-8 octet"),
    ];
    for (doc, problem) in failing {
        let err = not_utf8(doc).expect_err("fails");
        assert_eq!(
            err.message,
            format!("YAML parse error on app/templates/bin.yaml: error converting YAML to JSON: yaml: {problem}\n\nUse --debug flag to render out invalid YAML"),
            "{doc:?}"
        );
    }
    // A document ended before its bytes that are not UTF-8 is never read
    // that far (the text is written, each such byte as U+FFFD).
    let pad = format!("#{}\n", "x".repeat(600));
    let ended = format!("kind: Secret\nmetadata:\n  name: s2\n...\n{pad}{pad}x: ");
    let out = not_utf8(&[ended.as_bytes(), b"\xff"].concat()).expect("sorts");
    assert!(out.stream().contains("\nx: \u{fffd}\n"), "{}", out.stream());
}

const BAD: &str = "YAML parse error on app/templates/bad.yaml: error converting YAML to JSON: yaml: line 5: could not find expected ':'";

#[test]
fn yaml_errors_suggest_debug() {
    let err = assemble(&chart(), bad_render(), &options()).unwrap_err();
    assert_eq!(
        err.message,
        format!("{BAD}\n\nUse --debug flag to render out invalid YAML")
    );
    assert_eq!(err.stdout, "");
}

#[test]
fn yaml_errors_with_debug_print_every_file() {
    let opts = OutputOptions {
        debug: true,
        ..options()
    };
    let err = assemble(&chart(), bad_render(), &opts).unwrap_err();
    assert_eq!(err.message, BAD);
    // Files in path order, as rendered (untrimmed); then the hooks sorted so
    // far (the files before `bad.yaml`: none).
    assert!(err.stdout.starts_with(
        "---\n# Source: app/charts/sub/templates/cm.yaml\nkind: ConfigMap\nmetadata:\n  name: cm\n\n---\n# Source: app/templates/bad.yaml\nkind: Pod\n"
    ));
    assert!(err
        .stdout
        .contains("# Source: app/templates/deploy.yaml\n\n---\n# d\n"));
    assert!(!err.stdout.contains("NOTES"));
    assert!(!err.stdout.contains("empty.yaml"));
    assert!(err.stdout.ends_with("    helm.sh/hook: test\n"));
}

#[test]
fn render_failures() {
    let err = render_failed(
        "execution error at (app/templates/x.yaml:1:2): boom",
        &options(),
    );
    assert_eq!(
        err.message,
        "execution error at (app/templates/x.yaml:1:2): boom\n\nUse --debug flag to render out invalid YAML"
    );
    let opts = OutputOptions {
        debug: true,
        ..options()
    };
    let err = render_failed("boom", &opts);
    assert_eq!((err.message.as_str(), err.stdout.as_str()), ("boom", "\n"));
    let opts = OutputOptions {
        show_only: vec!["templates/x.yaml".into()],
        ..opts
    };
    assert_eq!(
        render_failed("boom", &opts).message,
        "could not find template templates/x.yaml in chart"
    );
}

#[test]
fn post_renderers_see_the_release_manifest() {
    let mut seen = String::new();
    let mut post = |text: &str| -> Result<String, String> {
        seen = text.to_string();
        Ok("---\nkind: Changed\n".to_string())
    };
    let out = assemble_post_rendered(&chart(), rendered(), &options(), Some(&mut post)).unwrap();
    assert_eq!(seen, MANIFESTS);
    assert_eq!(
        out.stream(),
        format!("---\nkind: Changed\n{TEST_HOOK}{JOB_HOOK}")
    );
    let mut failing = |_: &str| -> Result<String, String> { Err("exit status 1".to_string()) };
    let err =
        assemble_post_rendered(&chart(), rendered(), &options(), Some(&mut failing)).unwrap_err();
    assert_eq!(
        err.message,
        "error while running post render on files: exit status 1\n\nUse --debug flag to render out invalid YAML"
    );
}
