//! The lines Helm prints through Go's `log` package (`file.go:line: …` on
//! stderr) come out of `chartroom template` as helm v3.21.4 prints them:
//! the loader's first (in the order it reads the files), then the
//! deprecation warning, then those of
//! dependencies and values, then the manifest sorter's, and all of them
//! before an error.

#![cfg(feature = "cli")]

mod common;

use chartroom::cli::{run, Outcome};
use common::{Scratch, CHART_YAML};

fn template(args: &[&str]) -> Outcome {
    let mut all = vec!["template".to_string()];
    all.extend(args.iter().map(|s| s.to_string()));
    run(all)
}

#[test]
fn dependency_and_coalescing_lines_come_in_helms_order() {
    let s = Scratch::new("log-dependencies");
    s.write(
        "mychart/Chart.yaml",
        b"apiVersion: v2\nname: mychart\nversion: 0.1.0\ndependencies:\n- name: sub\n  version: 0.1.0\n  condition: sub.enabled\n  tags: [t1]\n  import-values:\n  - missing\n  - child: nothere\n    parent: here\n",
    )
    .write(
        "mychart/values.yaml",
        b"sub:\n  enabled: \"yes\"\ntags:\n  t1: \"x\"\nglobal:\n  g: {h: 1}\n",
    )
    .write("mychart/templates/a.yaml", b"x: 1\n")
    .write(
        "mychart/charts/sub/Chart.yaml",
        b"apiVersion: v2\nname: sub\nversion: 0.1.0\n",
    )
    .write("mychart/charts/sub/values.yaml", b"global:\n  g: 2\n")
    .write("mychart/charts/sub/templates/b.yaml", b"y: 1\n");
    let out = template(&[&s.chart()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let global = "coalesce.go:319: warning: destination for mychart.sub.global.g is a table. Ignoring non-table value (2)\n";
    assert_eq!(
        out.stderr,
        [
            global,
            "dependencies.go:95: Warning: Tag 't1' for chart sub returned non-bool value\n",
            "dependencies.go:64: Warning: Condition path 'sub.enabled' for chart sub returned non-bool value\n",
            global,
            "dependencies.go:287: Warning: ImportValues missing table: \"exports\" is not a table\n",
            "dependencies.go:270: Warning: ImportValues missing table from chart sub: \"nothere\" is not a table\n",
            global,
        ]
        .concat()
    );
    assert!(out.stdout.contains("# Source: mychart/templates/a.yaml"));
}

#[cfg(unix)]
#[test]
fn the_loaders_lines_come_before_the_deprecation_warning() {
    let s = Scratch::new("log-loader");
    s.write(
        "mychart/Chart.yaml",
        b"apiVersion: v2\nname: mychart\nversion: 0.1.0\ndeprecated: true\n",
    )
    .write("mychart/requirements.yaml", b"dependencies: []\n")
    .write("mychart/requirements.lock", b"dependencies: []\n")
    .write(
        "mychart/templates/a.yaml",
        b"x: {{ .Files.Get \"link.txt\" }}\n",
    )
    .write("target.txt", b"linked");
    let link = s.0.join("mychart/link.txt");
    std::os::unix::fs::symlink(s.0.join("target.txt"), &link).unwrap();
    let out = template(&[&s.chart()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        format!(
            "walk.go:75: found symbolic link in path: {} resolves to {}. Contents of linked file included and used\n\
             load.go:138: Warning: Dependency locking is handled in Chart.lock since apiVersion \"v2\". We recommend migrating to Chart.lock.\n\
             load.go:120: Warning: Dependencies are handled in Chart.yaml since apiVersion \"v2\". We recommend migrating dependencies to Chart.yaml.\n\
             WARNING: This chart is deprecated\n",
            link.display(),
            s.0.join("target.txt").display()
        )
    );
    assert!(out.stdout.contains("x: linked"), "{}", out.stdout);
}

#[test]
fn lines_logged_before_an_error_come_before_it() {
    let s = Scratch::new("log-error");
    s.write("mychart/Chart.yaml", CHART_YAML)
        .write("mychart/values.yaml", b"a: 1\n")
        .write("mychart/templates/a.yaml", b"{{ fail \"boom\" }}\n");
    let out = template(&[&s.chart(), "--set", "a.b=1"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "coalesce.go:237: warning: skipped value for mychart.a: Not a table.\n\
         Error: execution error at (mychart/templates/a.yaml:1:3): boom\n\n\
         Use --debug flag to render out invalid YAML\n"
    );
}

/// A `urn:` reference in a values schema is logged once per URN while the
/// schemas compile: after coalescing's lines, before the sorter's, and
/// before the error of a schema that then fails to compile.
#[test]
fn unresolved_urns_are_logged_once_each_between_values_and_sorting() {
    let s = Scratch::new("log-urn");
    s.write(
        "mychart/Chart.yaml",
        b"apiVersion: v2\nname: mychart\nversion: 0.1.0\ndependencies:\n- name: sub\n  version: 0.1.0\n",
    )
    .write("mychart/values.yaml", b"a: 1\n")
    .write(
        "mychart/values.schema.json",
        br#"{"properties": {"a": {"$ref": "urn:example:a"}, "b": {"$ref": "urn:example:b"}}}"#,
    )
    .write(
        "mychart/templates/a.yaml",
        b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    helm.sh/hook: nope\n",
    )
    .write(
        "mychart/charts/sub/Chart.yaml",
        b"apiVersion: v2\nname: sub\nversion: 0.1.0\n",
    )
    .write(
        "mychart/charts/sub/values.schema.json",
        br#"{"properties": {"c": {"$ref": "urn:example:b"}}}"#,
    );
    let urn =
        "jsonschema.go:192: WARNING: unresolved URN reference ignored; using permissive schema:";
    let out = template(&[&s.chart()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        format!(
            "{urn} urn:example:a\n\
             {urn} urn:example:b\n\
             manifest_sorter.go:199: info: skipping unknown hook: \"nope\"\n"
        )
    );

    // A pointer into a URN's document (`true`) fails the compile after the
    // load was logged.
    s.write(
        "mychart/values.schema.json",
        br#"{"properties": {"a": {"$ref": "urn:example:a#/defs/x"}}}"#,
    );
    let out = template(&[&s.chart()]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        format!(
            "{urn} urn:example:a\n\
             {urn} urn:example:b\n\
             Error: values don't meet the specifications of the schema(s) in the following chart(s):\n\
             mychart:\n\
             json-pointer in \"urn:example:a#/defs/x\" not found\n"
        )
    );
}

/// Helm checks that the chart is installable before it warns (checked
/// against helm v3.10.1: the error alone).
#[test]
fn a_deprecated_library_chart_fails_without_the_warning() {
    let s = Scratch::new("log-library");
    s.write(
        "mychart/Chart.yaml",
        b"apiVersion: v2\nname: mychart\nversion: 0.1.0\ntype: library\ndeprecated: true\n",
    )
    .write("mychart/templates/a.yaml", b"x: 1\n");
    let out = template(&[&s.chart()]);
    assert_eq!(out.code, 1);
    assert_eq!(out.stderr, "Error: library charts are not installable\n");
}

#[test]
fn an_unknown_hook_is_logged_by_the_manifest_sorter() {
    let s = Scratch::new("log-hook");
    s.write("mychart/Chart.yaml", CHART_YAML)
    .write(
        "mychart/templates/a.yaml",
        b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    helm.sh/hook: nope\n",
    );
    let out = template(&[&s.chart()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        "manifest_sorter.go:199: info: skipping unknown hook: \"nope\"\n"
    );
}

#[test]
fn a_table_under_a_user_value_that_is_not_one_is_logged() {
    let s = Scratch::new("log-overwrite");
    s.write("mychart/Chart.yaml", CHART_YAML)
        .write("mychart/values.yaml", b"a:\n  b:\n    c: 1\n")
        .write("mychart/templates/a.yaml", b"x: {{ .Values.a.b }}\n");
    let out = template(&[&s.chart(), "--set", "a.b=1"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        "coalesce.go:316: warning: cannot overwrite table with non table for mychart.a.b (map[c:1])\n"
    );
    assert!(out.stdout.contains("x: 1"), "{}", out.stdout);
}
