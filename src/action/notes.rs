//! `NOTES.txt` and `crds/`, mirroring Helm v3.21.4's `renderResources`
//! (`pkg/action/action.go`) and `Chart.CRDObjects` (`pkg/chart/chart.go`).
//!
//! Every rendered file whose path ends in `NOTES.txt` is taken out of the
//! manifests; the root chart's `templates/NOTES.txt` (and, with
//! `--render-subchart-notes`, every other one) makes up the release notes,
//! joined by newlines. Helm walks a Go map there, so with several notes
//! files its order is random; here it is path order.
//!
//! CRDs are the files under each chart's `crds/` with a `.yaml`, `.yml` or
//! `.json` extension (any case), the root chart's first, then each
//! subchart's, depth first, in file order.

use std::collections::BTreeMap;

use crate::chart::{clean_path, Chart};

/// The suffix that marks a notes file.
pub const NOTES_SUFFIX: &str = "NOTES.txt";

/// Removes every notes file from `rendered` and returns the release notes.
pub fn take_notes(
    chart_name: &str,
    rendered: &mut BTreeMap<String, String>,
    render_subchart_notes: bool,
) -> String {
    let root_notes = clean_path(&format!("{chart_name}/templates/{NOTES_SUFFIX}"));
    let keys: Vec<String> = rendered
        .keys()
        .filter(|k| k.ends_with(NOTES_SUFFIX))
        .cloned()
        .collect();
    let mut notes = String::new();
    for key in keys {
        let Some(text) = rendered.remove(&key) else {
            continue;
        };
        if render_subchart_notes || key == root_notes {
            if !notes.is_empty() {
                notes.push('\n');
            }
            notes.push_str(&text);
        }
    }
    notes
}

/// A file of a chart's `crds/` directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crd {
    /// The name inside its chart (`crds/a.yaml`).
    pub name: String,
    /// The name with the chart's full path (`mychart/charts/sub/crds/a.yaml`),
    /// as `# Source:` shows it.
    pub filename: String,
    /// The file, as is (shared with the chart; a file that is not UTF-8
    /// has each stray byte as U+FFFD).
    pub content: crate::shared_bytes::SharedText,
}

/// Go's `strings.EqualFold` against a lower-case ASCII `target`: the only
/// non-ASCII letters folding onto ASCII ones are `ſ` (s) and `K` (k).
fn equal_fold_ascii(s: &str, target: &str) -> bool {
    let folded = s.chars().map(|c| match c {
        '\u{17f}' => 's',
        '\u{212a}' => 'k',
        c => c.to_ascii_lowercase(),
    });
    folded.eq(target.chars())
}

/// Go's `filepath.Ext`: from the last `.` of the last path element.
fn extension(name: &str) -> &str {
    let base_start = name.rfind('/').map_or(0, |i| i + 1);
    match name[base_start..].rfind('.') {
        Some(i) => &name[base_start + i..],
        None => "",
    }
}

fn has_manifest_extension(name: &str) -> bool {
    let ext = extension(name);
    [".yaml", ".yml", ".json"]
        .iter()
        .any(|t| equal_fold_ascii(ext, t))
}

/// Helm's `CRDObjects`: the CRD files of `chart` and its subcharts.
pub fn crd_objects(chart: &Chart) -> Vec<Crd> {
    let mut crds = Vec::new();
    collect_crds(chart, &mut crds);
    crds
}

fn collect_crds(chart: &Chart, out: &mut Vec<Crd>) {
    let full_path = chart.chart_full_path();
    for f in &chart.files {
        if f.name.starts_with("crds/") && has_manifest_extension(&f.name) {
            out.push(Crd {
                name: f.name.clone(),
                filename: clean_path(&format!("{full_path}/{}", f.name)),
                content: crate::engine::objects::shared_text_of(&f.data),
            });
        }
    }
    for dep in &chart.dependencies {
        collect_crds(dep, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::File;

    #[test]
    fn notes_are_taken_out() {
        let mut rendered: BTreeMap<String, String> = [
            ("c/templates/NOTES.txt", "root"),
            ("c/charts/s/templates/NOTES.txt", "sub"),
            ("c/templates/MYNOTES.txt", "other"),
            ("c/templates/a.yaml", "a: 1"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let mut all = rendered.clone();
        assert_eq!(take_notes("c", &mut rendered, false), "root");
        assert_eq!(rendered.keys().collect::<Vec<_>>(), ["c/templates/a.yaml"]);
        assert_eq!(take_notes("c", &mut all, true), "sub\nother\nroot");
        assert_eq!(all.len(), 1);
    }

    #[test]
    fn crds_come_from_every_chart() {
        let file = |name: &str| File {
            name: name.to_string(),
            data: format!("# {name}\n").into_bytes().into(),
        };
        let mut sub = Chart::default();
        sub.metadata.name = "sub".into();
        sub.files = vec![file("crds/b.YML")];
        let mut root = Chart::default();
        root.metadata.name = "root".into();
        root.files = vec![
            file("crds/a.yaml"),
            file("crds/readme.md"),
            file("crds/x.jſon"),
            file("other/c.yaml"),
            file("crds.d/e.yaml"),
        ];
        root.dependencies = vec![sub];
        root.link_parents();
        let crds = crd_objects(&root);
        let names: Vec<&str> = crds.iter().map(|c| c.filename.as_str()).collect();
        assert_eq!(
            names,
            [
                "root/crds/a.yaml",
                "root/crds/x.jſon",
                "root/charts/sub/crds/b.YML"
            ]
        );
        assert_eq!(crds[0].name, "crds/a.yaml");
        assert_eq!(&*crds[0].content, "# crds/a.yaml\n");
    }
}
