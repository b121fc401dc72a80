use super::*;
use crate::chart::load::load_files;
use crate::chart::File;

fn chart(files: &[(&str, &str)]) -> Chart {
    load_files(
        files
            .iter()
            .map(|(name, data)| File {
                name: name.to_string(),
                data: data.as_bytes().to_vec().into(),
            })
            .collect(),
    )
    .unwrap()
}

fn values(yaml: &str) -> Map {
    crate::yaml::from_yaml_map(yaml).unwrap()
}

fn names(c: &Chart) -> Vec<&str> {
    c.dependencies.iter().map(Chart::name).collect()
}

fn get(m: &Map, path: &str) -> Option<Value> {
    let (parent, key) = path.rsplit_once('.').unwrap_or(("", path));
    let t = if parent.is_empty() {
        m.clone()
    } else {
        table(m, parent).ok()?
    };
    t.get(key)
}

const SUB: &str = "apiVersion: v2\nname: sub\nversion: 1.0.0\n";

fn with_deps(deps: &str, vals: &str) -> Chart {
    chart(&[
        (
            "Chart.yaml",
            &format!("apiVersion: v2\nname: top\nversion: 1.0.0\ndependencies:\n{deps}"),
        ),
        ("values.yaml", vals),
        (
            "charts/a/Chart.yaml",
            "apiVersion: v2\nname: a\nversion: 1.0.0\n",
        ),
        (
            "charts/a/values.yaml",
            "data:\n  x: 1\nexports:\n  ex:\n    e: 5\n",
        ),
        (
            "charts/b/Chart.yaml",
            "apiVersion: v2\nname: b\nversion: 2.0.0\n",
        ),
        ("charts/b/values.yaml", "data:\n  z: 2\n"),
    ])
}

fn run(c: &mut Chart, user: &str, merge: bool) -> Vec<String> {
    let mut warnings = Vec::new();
    process_dependencies_with_warnings(c, &values(user), merge, &mut warnings).unwrap();
    warnings
}

#[test]
fn conditions_first_bool_wins() {
    let deps = "- name: a\n  condition: a.maybe,a.really\n- name: b\n  condition: b.enabled\n";
    let mut c = with_deps(deps, "a:\n  really: false\nb:\n  enabled: true\n");
    let warnings = run(&mut c, "a:\n  maybe: perhaps\n", true);
    assert_eq!(names(&c), ["b"]);
    assert_eq!(c.metadata.dependencies.len(), 1);
    assert!(c.metadata.dependencies[0].enabled);
    assert_eq!(
        warnings,
        ["dependencies.go:64: Warning: Condition path 'a.maybe' for chart a returned non-bool value"]
    );

    // A condition path that names a table is not a value; the next one decides.
    let deps = "- name: a\n  version: '*'\n  condition: a, a.enabled\n";
    let mut c = with_deps(deps, "");
    run(&mut c, "a:\n  enabled: false\n", true);
    // " a.enabled" (with the space Helm keeps) is no path either: enabled.
    // The matched subchart is replaced by its copy, after the others.
    assert_eq!(names(&c), ["b", "a"]);
}

#[test]
fn tags_disable_and_conditions_override() {
    let deps =
        "- name: a\n  tags: [front, back]\n- name: b\n  tags: [back]\n  condition: b.enabled\n";
    let mut c = with_deps(deps, "tags:\n  back: false\n");
    run(&mut c, "b:\n  enabled: true\n", true);
    assert_eq!(names(&c), ["b"]);

    let mut c = with_deps(deps, "tags:\n  back: false\n");
    let warnings = run(&mut c, "tags:\n  front: true\n  back: 3\n", true);
    assert_eq!(names(&c), ["a", "b"]);
    assert_eq!(
        warnings,
        [
            "dependencies.go:95: Warning: Tag 'back' for chart a returned non-bool value",
            "dependencies.go:95: Warning: Tag 'back' for chart b returned non-bool value"
        ]
    );

    let mut c = with_deps(deps, "");
    run(&mut c, "tags:\n  front: false\n  back: false\n", true);
    assert!(c.dependencies.is_empty());
    assert!(c.metadata.dependencies.is_empty());
    assert!(!c.metadata.has_dependency_list());
}

#[test]
fn aliases_copy_and_rename_subcharts() {
    let deps = "- name: a\n  version: 1.0.0\n  alias: first\n- name: a\n  version: ^1\n  alias: second\n  condition: second.wanted\n- name: b\n  version: '>=2'\n";
    let mut c = with_deps(deps, "second:\n  wanted: true\n  data:\n    x: 9\n");
    run(&mut c, "", true);
    assert_eq!(names(&c), ["first", "second", "b"]);
    let dep_names: Vec<&str> = c
        .metadata
        .dependencies
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(dep_names, ["first", "second", "b"]);
    assert_eq!(c.dependencies[0].chart_path(), "top.first");
    assert_eq!(c.dependencies[1].chart_full_path(), "top/charts/second");
    // Each copy has the subchart's templates and defaults.
    assert_eq!(c.dependencies[1].templates, c.dependencies[0].templates);
    assert!(get(&c.dependencies[1].values, "data.x").is_some());

    // A version range that does not match: no copy, the subchart stays.
    let mut c = with_deps("- name: b\n  version: '<2'\n  alias: bee\n", "");
    run(&mut c, "", true);
    assert_eq!(names(&c), ["a", "b"]);
    assert_eq!(c.metadata.dependencies[0].name, "bee");

    // No version is no valid range either (semver refuses ""): the alias
    // names the entry only, and disabling it leaves the subchart in place.
    let mut c = with_deps("- name: a\n  alias: solo\n  condition: solo.enabled\n", "");
    run(&mut c, "solo:\n  enabled: false\n", true);
    assert_eq!(names(&c), ["a", "b"]);
    assert!(c.metadata.dependencies.is_empty());
}

#[test]
fn import_values_in_both_forms() {
    let deps = "- name: a\n  import-values:\n  - ex\n  - child: data\n    parent: from.a\n  - child: nothing\n    parent: x\n  - missing\n";
    let mut c = with_deps(deps, "from:\n  a:\n    x: 100\n");
    let warnings = run(&mut c, "", true);
    assert_eq!(get(&c.values, "e").map(|v| v.to_string()), Some("5".into()));
    // The chart's own values win over imported ones.
    assert_eq!(
        get(&c.values, "from.a.x").map(|v| v.to_string()),
        Some("100".into())
    );
    assert_eq!(
        warnings,
        [
            "dependencies.go:270: Warning: ImportValues missing table from chart a: \"nothing\" is not a table",
            "dependencies.go:287: Warning: ImportValues missing table: \"missing\" is not a table"
        ]
    );
    let rewritten: Vec<String> = c.metadata.dependencies[0]
        .import_values
        .iter()
        .map(|v| crate::template::fmt::sprintf("%v", std::slice::from_ref(v)))
        .collect();
    assert_eq!(
        rewritten,
        [
            "map[child:exports.ex parent:.]",
            "map[child:data parent:from.a]",
            "map[child:nothing parent:x]",
            "map[child:exports.missing parent:.]"
        ]
    );
    // The chart's values now hold its subcharts' defaults too.
    assert_eq!(
        get(&c.values, "a.data.x").map(|v| v.to_string()),
        Some("1".into())
    );
}

#[test]
fn imports_into_one_table_share_it_as_helm_does() {
    let deps = "- name: a\n  import-values:\n  - {child: data, parent: shared}\n  - {child: data, parent: other}\n- name: b\n  import-values:\n  - {child: data, parent: shared}\n";
    let mut c = with_deps(deps, "");
    run(&mut c, "", true);
    let y = |p: &str| get(&c.values, p).map(|v| v.to_string());
    assert_eq!(y("shared.z"), Some("2".into()));
    // Helm merges b's table into the table it took from a, so a's copy
    // and every other place it went see b's keys too.
    assert_eq!(y("other.z"), Some("2".into()));
    assert_eq!(y("a.data.z"), Some("2".into()));
    assert_eq!(y("b.data.x"), None);
}

#[test]
fn coalescing_drops_nulls_merging_keeps_them() {
    let deps = "- name: a\n  import-values:\n  - ex\n";
    let mut c = with_deps(deps, "gone: null\nkeep: 1\n");
    run(&mut c, "", false);
    assert!(!c.values.contains_key("gone"));
    let mut c = with_deps(deps, "gone: null\nkeep: 1\n");
    run(&mut c, "", true);
    assert!(matches!(c.values.get("gone"), Some(Value::Nil)));
}

#[test]
fn nested_conditions_use_the_subchart_path() {
    let files = |top_deps: &str| {
        chart(&[
            (
                "Chart.yaml",
                &format!("apiVersion: v2\nname: top\nversion: 1.0.0\n{top_deps}"),
            ),
            (
                "charts/sub/Chart.yaml",
                &format!("{SUB}dependencies:\n- name: leaf\n  condition: leaf.enabled\n"),
            ),
            ("charts/sub/values.yaml", "leaf:\n  enabled: true\n"),
            (
                "charts/sub/charts/leaf/Chart.yaml",
                "apiVersion: v2\nname: leaf\nversion: 1.0.0\n",
            ),
        ])
    };
    let mut c = files("dependencies:\n- name: sub\n");
    run(&mut c, "sub:\n  leaf:\n    enabled: false\n", true);
    assert!(c.dependencies[0].dependencies.is_empty());

    let mut c = files("dependencies:\n- name: sub\n");
    run(&mut c, "", true);
    assert_eq!(names(&c.dependencies[0]), ["leaf"]);

    // Without a dependency list Helm never looks below the top chart.
    let mut c = files("");
    run(&mut c, "sub:\n  leaf:\n    enabled: false\n", true);
    assert_eq!(names(&c.dependencies[0]), ["leaf"]);
}

#[test]
fn alias_copies_share_their_dependency_entries() {
    let mut c = chart(&[
        (
            "Chart.yaml",
            "apiVersion: v2\nname: top\nversion: 1.0.0\ndependencies:\n- name: sub\n  version: 1.0.0\n  alias: one\n- name: sub\n  version: 1.0.0\n  alias: two\n",
        ),
        (
            "charts/sub/Chart.yaml",
            &format!("{SUB}dependencies:\n- name: leaf\n  version: 1.0.0\n  import-values:\n  - child: d\n    parent: p\n"),
        ),
        ("charts/sub/charts/leaf/Chart.yaml", "apiVersion: v2\nname: leaf\nversion: 1.0.0\n"),
        ("charts/sub/charts/leaf/values.yaml", "d:\n  k: v\n"),
    ]);
    run(&mut c, "", true);
    assert_eq!(names(&c), ["one", "two"]);
    // The first copy rewrote the shared entry; the second finds nothing to import.
    assert!(get(&c.dependencies[0].values, "p.k").is_some());
    assert!(get(&c.dependencies[1].values, "p.k").is_none());
    assert!(c.dependencies[1].metadata.dependencies[0]
        .import_values
        .is_empty());
}

#[test]
fn missing_subcharts_are_reported() {
    let c = chart(&[
        (
            "Chart.yaml",
            "apiVersion: v2\nname: top\nversion: 1.0.0\ndependencies:\n- name: x\n- name: sub\n  alias: s\n- name: z\n",
        ),
        ("charts/sub/Chart.yaml", SUB),
    ]);
    assert_eq!(
        check_dependencies(&c).unwrap_err(),
        "found in Chart.yaml, but missing in charts/ directory: x, z"
    );
    let c = chart(&[("Chart.yaml", SUB)]);
    assert!(check_dependencies(&c).is_ok());
}

#[test]
fn type_mismatches_fail() {
    let mut c = with_deps("- name: a\n", "");
    let err = process_dependencies(&mut c, &values("a: 1\n"), true).unwrap_err();
    assert_eq!(err, "type mismatch on a: %!t(float64=1)");
}
