use super::*;

fn file(name: &str, data: &str) -> File {
    File {
        name: name.to_string(),
        data: data.as_bytes().to_vec().into(),
    }
}

fn chart_yaml(name: &str) -> String {
    format!("apiVersion: v2\nname: {name}\nversion: 1.0.0\n")
}

/// A gzipped tar of `entries`, all below `top/`.
fn tgz(top: &str, entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, data) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        builder
            .append_data(&mut header, format!("{top}/{name}"), *data)
            .unwrap();
    }
    let tar = builder.into_inner().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &tar).unwrap();
    gz.finish().unwrap()
}

#[test]
fn sorts_files_into_their_places() {
    let chart = load_files(vec![
        file("values.yaml", "a: 1\n"),
        file("templates/x.yaml", "x"),
        file("crds/c.yaml", "c"),
        file("README.md", "r"),
        file("values.schema.json", "{}"),
        file("charts/sub/Chart.yaml", &chart_yaml("sub")),
        file("charts/sub/templates/y.yaml", "y"),
        file("charts/sub-1.0.0.tgz.prov", "p"),
        file("charts/.hidden/Chart.yaml", "not: loaded"),
        file("charts/_skip/x", "x"),
        file("Chart.yaml", &chart_yaml("top")),
        file("Chart.lock", "digest: d\n"),
    ])
    .unwrap();
    assert_eq!(chart.name(), "top");
    assert_eq!(chart.metadata.api_version, "v2");
    assert_eq!(
        chart.values.get("a").map(|v| v.to_string()),
        Some("1".into())
    );
    assert_eq!(chart.templates.len(), 1);
    let names: Vec<&str> = chart.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        ["crds/c.yaml", "README.md", "charts/sub-1.0.0.tgz.prov"]
    );
    assert_eq!(chart.schema.as_deref(), Some(b"{}".as_slice()));
    assert_eq!(chart.lock.as_ref().unwrap().digest, "d");
    assert_eq!(chart.raw_values.len(), 1);
    assert_eq!(chart.dependencies.len(), 1);
    let sub = &chart.dependencies[0];
    assert_eq!(sub.templates[0].name, "templates/y.yaml");
    assert_eq!(sub.parents, vec!["top".to_string()]);
    assert_eq!(sub.chart_full_path(), "top/charts/sub");
}

#[test]
fn v1_charts_and_requirements() {
    let mut warnings = Vec::new();
    let chart = load_files_with_warnings(
        vec![
            file(
                "requirements.yaml",
                "dependencies:\n- name: sub\n  version: 1.0.0\n",
            ),
            file("requirements.lock", "digest: x\n"),
            file("Chart.yaml", "name: top\nversion: 1.0.0\n"),
        ],
        &mut warnings,
    )
    .unwrap();
    assert_eq!(chart.metadata.api_version, "v1");
    assert_eq!(chart.metadata.dependencies[0].name, "sub");
    assert_eq!(chart.files.len(), 2);
    assert!(warnings.is_empty());

    let chart = load_files_with_warnings(
        vec![
            file("Chart.yaml", &chart_yaml("top")),
            file("requirements.yaml", "dependencies:\n- name: sub\n"),
            file("requirements.lock", "digest: x\n"),
        ],
        &mut warnings,
    )
    .unwrap();
    assert!(chart.files.is_empty());
    assert_eq!(chart.metadata.dependencies.len(), 1);
    assert_eq!(warnings.len(), 2);
    assert!(warnings[0].starts_with("load.go:120: Warning: Dependencies are handled in Chart.yaml"));
}

#[test]
fn load_errors_have_helms_texts() {
    let err = |files: Vec<File>| load_files(files).unwrap_err();
    assert_eq!(
        err(vec![file("values.yaml", "a: 1")]),
        "Chart.yaml file is missing"
    );
    assert_eq!(
        err(vec![file("Chart.yaml", "name: [")]),
        "cannot load Chart.yaml: error converting YAML to JSON: yaml: line 1: did not find expected node content"
    );
    assert_eq!(
        err(vec![file("Chart.yaml", &chart_yaml("a")), file("values.yaml", "- 1")]),
        "cannot load values.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"
    );
    assert_eq!(
        err(vec![
            File {
                name: "values.yaml".into(),
                data: b"a: \xff".to_vec().into()
            },
            file("Chart.yaml", &chart_yaml("a")),
        ]),
        "cannot load values.yaml: error converting YAML to JSON: yaml: invalid leading UTF-8 octet"
    );
    assert_eq!(
        err(vec![file(
            "Chart.yaml",
            "apiVersion: v2\nname: a\nversion: 1\ntype: foobar"
        )]),
        "validation: chart.metadata.type must be application or library"
    );
    // Values are read before the metadata is validated.
    assert_eq!(
        err(vec![file("Chart.yaml", "name: a"), file("values.yaml", "a: [")]),
        "cannot load values.yaml: error converting YAML to JSON: yaml: line 1: did not find expected node content"
    );
    assert_eq!(
        err(vec![
            file("Chart.yaml", &chart_yaml("top")),
            file("charts/README.md", "x")
        ]),
        "error unpacking subchart README.md in top: Chart.yaml file is missing"
    );
    assert_eq!(
        err(vec![
            file("Chart.yaml", &chart_yaml("top")),
            file("charts/a/charts/b/Chart.yaml", "name: b\nversion: x")
        ]),
        "error unpacking subchart a in top: Chart.yaml file is missing"
    );
    assert_eq!(
        err(vec![
            file("Chart.yaml", &chart_yaml("top")),
            file("charts/a/Chart.yaml", &chart_yaml("a")),
            file("charts/a/charts/b/Chart.yaml", "name: b\nversion: x")
        ]),
        "error unpacking subchart a in top: error unpacking subchart b in a: validation: chart.metadata.version \"x\" is invalid"
    );
    assert_eq!(
        err(vec![
            file("Chart.yaml", &chart_yaml("top")),
            file("charts/a.tgz/Chart.yaml", "x")
        ]),
        "error unpacking subchart tar in top: expected a.tgz, got a.tgz/Chart.yaml"
    );
    assert_eq!(
        err(vec![
            file("Chart.yaml", &chart_yaml("top")),
            file("charts/a.tgz", "x")
        ]),
        "error unpacking subchart a.tgz in top: gzip: invalid header"
    );
}

#[test]
fn nested_archives_load_recursively() {
    let inner = tgz(
        "leaf",
        &[
            ("Chart.yaml", chart_yaml("leaf").as_bytes()),
            ("templates/l.yaml", b"\xEF\xBB\xBFleaf"),
        ],
    );
    let middle = tgz(
        "mid",
        &[
            ("Chart.yaml", chart_yaml("mid").as_bytes()),
            ("values.yaml", b"m: true\n"),
            ("charts/leaf-1.0.0.tgz", &inner),
        ],
    );
    let top = tgz(
        "top",
        &[
            ("Chart.yaml", chart_yaml("top").as_bytes()),
            ("charts/mid-1.0.0.tgz", &middle),
        ],
    );
    let chart = load_archive(&top).unwrap();
    let mid = &chart.dependencies[0];
    assert_eq!(mid.name(), "mid");
    let leaf = &mid.dependencies[0];
    assert_eq!(leaf.chart_full_path(), "top/charts/mid/charts/leaf");
    assert_eq!(&*leaf.templates[0].data, b"leaf");

    let broken = tgz(
        "top",
        &[
            ("Chart.yaml", chart_yaml("top").as_bytes()),
            (
                "charts/mid-1.0.0.tgz",
                &tgz("mid", &[("values.yaml", b"a: 1")]),
            ),
        ],
    );
    assert_eq!(
        load_archive(&broken).unwrap_err(),
        "error unpacking subchart mid-1.0.0.tgz in top: Chart.yaml file is missing"
    );
}

#[test]
fn file_trees_load_like_directories() {
    let chart = load_file_tree(vec![
        file("values.yaml", "\u{feff}a: 1\n"),
        file(".helmignore", "# comment\n*.md\nsecret/\n!*.yaml\n"),
        file("Chart.yaml", &chart_yaml("top")),
        file("README.md", "r"),
        file("secret/x.yaml", "s"),
        file("templates/.swp", "s"),
        file("templates/a.yaml", "a"),
        file("notes.txt", "n"),
    ])
    .unwrap();
    // `!*.yaml` ignores every path that is not YAML (Helm's negation),
    // directories too: `templates` goes with everything in it.
    let files: Vec<&str> = chart.files.iter().map(|f| f.name.as_str()).collect();
    assert!(files.is_empty(), "{files:?}");
    assert!(chart.templates.is_empty());
    assert_eq!(chart.values.len(), 1);

    let chart = load_file_tree(vec![
        file("Chart.yaml", &chart_yaml("top")),
        file("a.txt", "x"),
        file("a/b.txt", "y"),
    ])
    .unwrap();
    let order: Vec<&str> = chart.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(order, ["a/b.txt", "a.txt"]);

    let big = File {
        name: "big.bin".into(),
        data: vec![0; MAX_DECOMPRESSED_FILE_SIZE as usize + 1].into(),
    };
    assert_eq!(
        load_file_tree(vec![file("Chart.yaml", &chart_yaml("top")), big]).unwrap_err(),
        "chart file \"big.bin\" is larger than the maximum file size 5242880"
    );
    assert_eq!(
        load_file_tree(vec![file(".helmignore", "a/**/b")]).unwrap_err(),
        "double-star (**) syntax is not supported"
    );
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::*;
    use std::path::{Path, PathBuf};

    fn scratch(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("chartroom-load-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn write(dir: &Path, name: &str, data: &[u8]) {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, data).unwrap();
    }

    #[test]
    fn loads_directories_with_ignore_rules_and_links() {
        let dir = scratch("dir");
        write(
            &dir,
            "Chart.yaml",
            b"\xEF\xBB\xBFapiVersion: v2\nname: d\nversion: 0.1.0\n",
        );
        write(&dir, ".helmignore", b"ignored/\n*.bak\n");
        write(&dir, "ignored/x.yaml", b"x");
        write(&dir, "templates/a.yaml", b"a");
        write(&dir, "templates/a.yaml.bak", b"a");
        write(&dir, "templates/.hidden", b"h");
        write(&dir, "shared/s.txt", b"s");
        std::os::unix::fs::symlink(dir.join("shared"), dir.join("linked")).unwrap();
        let mut warnings = Vec::new();
        let chart = load_dir_with_warnings(&dir, &mut warnings).unwrap();
        assert_eq!(chart.name(), "d");
        let loaded: Vec<&str> = (chart.files.iter().chain(&chart.templates))
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(
            loaded,
            [
                ".helmignore",
                "linked/s.txt",
                "shared/s.txt",
                "templates/a.yaml"
            ]
        );
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].starts_with("walk.go:75: found symbolic link in path: "));
        assert_eq!(load_path(&dir).unwrap().name(), "d");

        std::os::unix::fs::symlink("gone.txt", dir.join("dangling")).unwrap();
        let link = dir.join("dangling").to_string_lossy().into_owned();
        let target = dir.join("gone.txt").to_string_lossy().into_owned();
        assert_eq!(
            load_dir(&dir).unwrap_err(),
            format!("error evaluating symlink {link}: lstat {target}: no such file or directory")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn load_path_explains_non_archives() {
        let dir = scratch("path");
        write(&dir, "values.yaml", b"a: 1\n");
        write(&dir, "notes.txt", &vec![b'x'; 600]);
        write(&dir, "short.txt", b"x");
        let tgz_data = tgz("c", &[("Chart.yaml", chart_yaml("c").as_bytes())]);
        write(&dir, "c-1.0.0.tgz", &tgz_data);
        let show = |name: &str| dir.join(name).to_string_lossy().into_owned();
        assert_eq!(
            load_path(&dir.join("values.yaml")).unwrap_err(),
            format!(
                "file '{}' seems to be a YAML file, but expected a gzipped archive",
                show("values.yaml")
            )
        );
        assert_eq!(
            load_path(&dir.join("notes.txt")).unwrap_err(),
            format!("file '{}' does not appear to be a gzipped archive; got 'text/plain; charset=utf-8'", show("notes.txt"))
        );
        assert_eq!(
            load_path(&dir.join("short.txt")).unwrap_err(),
            format!(
                "file '{}' does not appear to be a gzipped archive; got 'application/octet-stream'",
                show("short.txt")
            )
        );
        assert_eq!(
            load_path(&dir.join("missing")).unwrap_err(),
            format!("stat {}: no such file or directory", show("missing"))
        );
        assert_eq!(load_path(&dir.join("c-1.0.0.tgz")).unwrap().name(), "c");
        assert_eq!(
            load_dir(&dir.join("nothing")).unwrap_err(),
            "Chart.yaml file is missing"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Every chart of the conformance corpus loads, except those whose
    /// cases expect a load error (with that error).
    #[test]
    fn conformance_charts_load() {
        let base = std::env::var("CHARTROOM_CONFORMANCE")
            .map(PathBuf::from)
            .unwrap_or_else(|_| {
                Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance")
            });
        let charts = base.join("charts/public/charts");
        let Ok(entries) = std::fs::read_dir(&charts) else {
            eprintln!("conformance charts not found; skipped");
            return;
        };
        let expected_errors = [
            (
                "helm-testdata-chart-bad-type",
                "validation: chart.metadata.type must be application or library",
            ),
            (
                "helm-testdata-lib-chart",
                "validation: chart.metadata.type must be application or library",
            ),
        ];
        let mut loaded = 0;
        for entry in entries {
            let path = entry.unwrap().path();
            let id = path.file_name().unwrap().to_string_lossy().into_owned();
            let result = load_path(&path);
            match expected_errors.iter().find(|(name, _)| *name == id) {
                Some((_, want)) => assert_eq!(result.unwrap_err(), *want, "{id}"),
                None => {
                    let chart = result.unwrap_or_else(|e| panic!("{id}: {e}"));
                    crate::chart::dependencies::check_dependencies(&chart)
                        .unwrap_or_else(|e| panic!("{id}: {e}"));
                    loaded += 1;
                }
            }
        }
        assert!(loaded >= 26, "{loaded}");
    }
}
