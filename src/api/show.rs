//! `helm show all|chart|readme|values|crds`, as Helm v3.21.4's
//! `pkg/action/show.go` prints them for a loaded chart.

use crate::chart::Chart;

const README_NAMES: &[&str] = &["readme.md", "readme.txt", "readme"];

/// Helm's `Show.Run` for a loaded chart.
pub fn render(what: &str, chart: &Chart) -> Result<String, String> {
    let all = what == "all";
    let mut out = String::new();
    if what == "chart" || all {
        let metadata = crate::chart::metadata_json(&chart.metadata);
        let text = crate::yaml::to_yaml(&metadata).map_err(|e| e.to_string())?;
        out.push_str(&text);
        out.push('\n');
    }
    if what == "values" || all {
        if all {
            out.push_str("---\n");
        }
        for data in &chart.raw_values {
            out.push_str(&String::from_utf8_lossy(data));
            out.push('\n');
        }
    }
    if what == "readme" || all {
        let readme = chart
            .files
            .iter()
            .find(|f| README_NAMES.iter().any(|n| f.name.eq_ignore_ascii_case(n)));
        if let Some(readme) = readme {
            if all {
                out.push_str("---\n");
            }
            out.push_str(&String::from_utf8_lossy(&readme.data));
            out.push('\n');
        }
    }
    if what == "crds" || all {
        let crds = crate::action::notes::crd_objects(chart);
        if let Some(first) = crds.first() {
            if all && !first.content.starts_with("---") {
                out.push_str("---\n");
            }
            for crd in &crds {
                out.push_str(&crd.content);
                out.push('\n');
            }
        }
    }
    Ok(out)
}
