//! Chart loading, mirroring Helm v3.21.4's `pkg/chart/loader` (`load.go`,
//! `archive.go`, `directory.go`): files become a [`Chart`] with its
//! metadata, values, templates, other files and subcharts.
//!
//! [`load_files`] is Helm's `LoadFiles`: `Chart.yaml` is read first wherever
//! it is in the list (a chart without `apiVersion` is a `v1` chart), then
//! every file in order: `Chart.lock`, `values.yaml`, `values.schema.json`,
//! the deprecated `requirements.yaml`/`requirements.lock` (kept as files
//! too in `v1` charts, a warning in `v2`), `templates/…`, `charts/…`
//! (grouped by their first path element into subcharts, `.prov` files kept
//! as files), and everything else as files. The metadata is validated, then
//! each subchart is loaded (a `.tgz` as an archive, a directory from its
//! files) and added; names starting with `_` or `.` are skipped. Helm visits
//! subcharts in Go's random map order; here they come in name order.
//!
//! [`load_archive`] reads a `.tgz` ([`super::archive`]) and loads its files;
//! [`load_file_tree`] loads in-memory files as Helm loads a directory
//! (`.helmignore` rules, byte order marks dropped, the size limit);
//! [`load_dir`] and [`load_path`] (native only) read the file system, with
//! Helm's `LoadDir` walk and `loader.Load` checks; [`read_path`] is their
//! first half, the files read but not yet loaded.
//!
//! Helm logs some warnings while loading (`log.Printf`); the `*_with_warnings`
//! forms collect their texts.

mod metadata;
mod sniff;
#[cfg(not(target_arch = "wasm32"))]
mod walk;

use std::collections::BTreeMap;

use super::archive::{load_archive_files, Limits, MAX_DECOMPRESSED_FILE_SIZE};
use super::ignore::{Rules, HELM_IGNORE};
use super::{Chart, File, FileData};
use crate::yaml::NotUtf8;
use metadata::{decode_lock, MetadataState};

pub use sniff::detect_content_type;
#[cfg(not(target_arch = "wasm32"))]
pub use walk::{load_dir, load_dir_with_warnings, load_path, load_path_with_warnings, read_path};
#[cfg(all(feature = "cli", not(target_arch = "wasm32")))]
pub use walk::{read_path_mapped, MAP_FROM};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Helm's `LoadFiles`: a chart (and its subcharts) from files whose names
/// are relative to the chart directory.
pub fn load_files(files: Vec<File>) -> Result<Chart, String> {
    load_files_with_warnings(files, &mut Vec::new())
}

/// [`load_files`], collecting the warnings Helm logs.
pub fn load_files_with_warnings(
    files: Vec<File>,
    warnings: &mut Vec<String>,
) -> Result<Chart, String> {
    let mut chart = load_one(files, warnings)?;
    chart.link_parents();
    Ok(chart)
}

/// Helm's `LoadArchive`: a chart from the bytes of a `.tgz`.
pub fn load_archive(data: &[u8]) -> Result<Chart, String> {
    load_archive_with_warnings(data, &mut Vec::new())
}

/// [`load_archive`], collecting the warnings Helm logs.
pub fn load_archive_with_warnings(
    data: &[u8],
    warnings: &mut Vec<String>,
) -> Result<Chart, String> {
    let files = load_archive_files(data, Limits::default())?;
    load_files_with_warnings(files, warnings)
}

/// A chart from in-memory files laid out as a chart directory, loaded as
/// Helm's `LoadDir` would load that directory: the `.helmignore` at the top
/// (plus Helm's default rule) decides which files and directories are
/// skipped, files over 5 MiB are refused, a UTF-8 byte order mark is
/// dropped from each file, and files are taken in the walk's order.
/// Directories are implied by the paths.
pub fn load_file_tree(files: Vec<File>) -> Result<Chart, String> {
    load_file_tree_with_warnings(files, &mut Vec::new())
}

/// [`load_file_tree`], collecting the warnings Helm logs.
pub fn load_file_tree_with_warnings(
    files: Vec<File>,
    warnings: &mut Vec<String>,
) -> Result<Chart, String> {
    let mut rules = match files.iter().find(|f| f.name == HELM_IGNORE) {
        Some(f) => Rules::parse(&f.data)?,
        None => Rules::empty(),
    };
    rules.add_defaults();
    let mut files = files;
    files.sort_by(|a, b| walk_order(&a.name, &b.name));
    let mut kept = Vec::with_capacity(files.len());
    let mut dirs = BTreeMap::new();
    for f in files {
        if tree_ignores(&rules, &mut dirs, &f.name) {
            continue;
        }
        if f.data.len() as u64 > MAX_DECOMPRESSED_FILE_SIZE {
            let base = f.name.rsplit('/').next().unwrap_or(&f.name);
            return Err(format!(
                "chart file {} is larger than the maximum file size {}",
                crate::template::strconv::quote(base),
                MAX_DECOMPRESSED_FILE_SIZE
            ));
        }
        kept.push(File {
            data: strip_bom(f.data),
            name: f.name,
        });
    }
    load_files_with_warnings(kept, warnings)
}

/// Whether the walk skips `name`: one of its directories, or the file itself,
/// is ignored. Each directory is asked about once, when the walk first
/// reaches it, as Helm's walk does.
fn tree_ignores(rules: &Rules, dirs: &mut BTreeMap<String, bool>, name: &str) -> bool {
    let mut end = 0;
    while let Some(i) = name[end..].find('/') {
        end += i;
        let dir = &name[..end];
        let ignored = match dirs.get(dir) {
            Some(&known) => known,
            None => {
                let decided = rules.ignore(dir, true);
                dirs.insert(dir.to_string(), decided);
                decided
            }
        };
        if ignored {
            return true;
        }
        end += 1;
    }
    rules.ignore(name, false)
}

/// The order of Helm's directory walk: element by element, each level
/// sorted bytewise.
fn walk_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.split('/').cmp(b.split('/'))
}

pub(crate) fn strip_bom(data: FileData) -> FileData {
    match data.strip_prefix(UTF8_BOM) {
        Some(rest) => FileData::from(rest),
        None => data,
    }
}

/// Text for the YAML reader, or go-yaml's complaint about the bytes.
fn yaml_text(data: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(data).map_err(|_| {
        let problem = NotUtf8::find(data).map_or("", |n| n.problem);
        format!("error converting YAML to JSON: yaml: {problem}")
    })
}

/// One `LoadFiles` call (subcharts recursively), without the parent links.
fn load_one(files: Vec<File>, warnings: &mut Vec<String>) -> Result<Chart, String> {
    let mut chart = Chart::default();
    let mut meta = read_chart_yaml(&files, &mut chart)?;
    let subcharts = sort_files(files, &mut chart, &mut meta, warnings)?;
    let Some(meta) = meta else {
        return Err("Chart.yaml file is missing".to_string());
    };
    chart.metadata = meta.validate()?;
    load_subcharts(&mut chart, subcharts, warnings)?;
    Ok(chart)
}

/// `LoadFiles`' first pass: `Chart.yaml` read into the metadata (`None`
/// without one) and each `values.yaml`'s raw bytes kept in `chart`.
#[inline(never)]
fn read_chart_yaml(files: &[File], chart: &mut Chart) -> Result<Option<MetadataState>, String> {
    let mut meta: Option<MetadataState> = None;
    for f in files {
        if f.name == "values.yaml" {
            chart.raw_values.push(f.data.clone());
        }
        if f.name == "Chart.yaml" {
            let state = meta.get_or_insert_with(MetadataState::default);
            let text = yaml_text(&f.data).map_err(|e| format!("cannot load Chart.yaml: {e}"))?;
            state
                .overlay(text)
                .map_err(|e| format!("cannot load Chart.yaml: {e}"))?;
            if state.api_version().is_empty() {
                state.set_api_version("v1");
            }
        }
    }
    Ok(meta)
}

/// `LoadFiles`' second pass: every file but `Chart.yaml` put where it
/// belongs in `chart` (`requirements.yaml` into `meta` too);
/// the files under `charts/` are handed back grouped by subchart, their
/// names relative to `charts/`.
#[inline(never)]
fn sort_files(
    files: Vec<File>,
    chart: &mut Chart,
    meta: &mut Option<MetadataState>,
    warnings: &mut Vec<String>,
) -> Result<BTreeMap<String, Vec<File>>, String> {
    let mut subcharts: BTreeMap<String, Vec<File>> = BTreeMap::new();
    for f in files {
        let name = f.name.as_str();
        match name {
            "Chart.yaml" => {}
            "requirements.yaml" => read_requirements(f, chart, meta, warnings)?,
            "Chart.lock" | "requirements.lock" => read_lock(f, chart, meta, warnings)?,
            "values.yaml" => {
                let text =
                    yaml_text(&f.data).map_err(|e| format!("cannot load values.yaml: {e}"))?;
                chart.values = crate::yaml::from_yaml_map(text)
                    .map_err(|e| format!("cannot load values.yaml: {e}"))?;
            }
            "values.schema.json" => chart.schema = Some(f.data),
            _ if name.starts_with("templates/") => chart.templates.push(f),
            _ if name.starts_with("charts/") => {
                if go_ext(name) == ".prov" {
                    chart.files.push(f);
                    continue;
                }
                let rest = &name["charts/".len()..];
                let sub = rest.split('/').next().unwrap_or_default().to_string();
                let rest = rest.to_string();
                subcharts.entry(sub).or_default().push(File {
                    name: rest,
                    data: f.data,
                });
            }
            _ => chart.files.push(f),
        }
    }
    Ok(subcharts)
}

/// The deprecated `requirements.yaml`, as `LoadFiles` reads it: into the
/// metadata, kept as a file in a `v1` chart, with a warning in a `v2` one.
#[inline(never)]
fn read_requirements(
    f: File,
    chart: &mut Chart,
    meta: &mut Option<MetadataState>,
    warnings: &mut Vec<String>,
) -> Result<(), String> {
    let state = meta.get_or_insert_with(MetadataState::default);
    warn_unless_v1(
        state,
        warnings,
        crate::helm_log::REQUIREMENTS_YAML,
        "Warning: Dependencies are handled in Chart.yaml since apiVersion \"v2\". We recommend migrating dependencies to Chart.yaml.",
    );
    let text = yaml_text(&f.data).map_err(|e| format!("cannot load requirements.yaml: {e}"))?;
    state
        .overlay(text)
        .map_err(|e| format!("cannot load requirements.yaml: {e}"))?;
    if state.api_version() == "v1" {
        chart.files.push(f);
    }
    Ok(())
}

/// `Chart.lock` or the deprecated `requirements.lock`, as `LoadFiles`
/// reads them: into `chart.lock`; the deprecated one is also kept as a file
/// in a `v1` chart, with a warning in a `v2` one.
#[inline(never)]
fn read_lock(
    f: File,
    chart: &mut Chart,
    meta: &mut Option<MetadataState>,
    warnings: &mut Vec<String>,
) -> Result<(), String> {
    let name = f.name.as_str();
    let text = yaml_text(&f.data).map_err(|e| format!("cannot load {name}: {e}"))?;
    chart.lock = decode_lock(text).map_err(|e| format!("cannot load {name}: {e}"))?;
    if name == "requirements.lock" {
        let state = meta.get_or_insert_with(MetadataState::default);
        if warn_unless_v1(
            state,
            warnings,
            crate::helm_log::REQUIREMENTS_LOCK,
            "Warning: Dependency locking is handled in Chart.lock since apiVersion \"v2\". We recommend migrating to Chart.lock.",
        ) {
            chart.files.push(f);
        }
    }
    Ok(())
}

/// Whether the chart is `apiVersion: v1`; if not, Helm's deprecation
/// `warning` is added.
fn warn_unless_v1(
    state: &MetadataState,
    warnings: &mut Vec<String>,
    site: crate::helm_log::Site,
    warning: &str,
) -> bool {
    let v1 = state.api_version() == "v1";
    if !v1 {
        warnings.push(site.line(warning));
    }
    v1
}

/// `LoadFiles`' last step: each subchart (a `.tgz` or a directory's files,
/// by name under `charts/`; names starting with `_` or `.` skipped) loaded
/// and added to `chart`'s dependencies.
#[inline(never)]
fn load_subcharts(
    chart: &mut Chart,
    subcharts: BTreeMap<String, Vec<File>>,
    warnings: &mut Vec<String>,
) -> Result<(), String> {
    for (sub, files) in subcharts {
        if sub.starts_with('_') || sub.starts_with('.') {
            continue;
        }
        let loaded = if go_ext(&sub) == ".tgz" {
            let first = &files[0];
            if first.name != sub {
                return Err(format!(
                    "error unpacking subchart tar in {}: expected {}, got {}",
                    chart.name(),
                    sub,
                    first.name
                ));
            }
            load_archive_files(&first.data, Limits::default())
                .and_then(|files| load_one(files, warnings))
        } else {
            let inner = files
                .into_iter()
                .filter_map(|f| {
                    let (_, rest) = f.name.split_once('/')?;
                    Some(File {
                        name: rest.to_string(),
                        data: f.data,
                    })
                })
                .collect();
            load_one(inner, warnings)
        };
        match loaded {
            Ok(sc) => chart.dependencies.push(sc),
            Err(e) => {
                return Err(format!(
                    "error unpacking subchart {sub} in {}: {e}",
                    chart.name()
                ))
            }
        }
    }
    Ok(())
}

/// Go's `filepath.Ext`: the suffix from the last `.` of the last element.
fn go_ext(path: &str) -> &str {
    let base_start = path.rfind('/').map_or(0, |i| i + 1);
    match path[base_start..].rfind('.') {
        Some(i) => &path[base_start + i..],
        None => "",
    }
}

#[cfg(test)]
mod tests;
