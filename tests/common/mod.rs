//! Helpers shared by the conformance tests.
#![allow(dead_code)]

pub mod vectors;

use std::path::{Path, PathBuf};

/// Every file under `dir`, recursively, each directory's entries in name
/// order (nothing for a directory that cannot be read).
pub fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Each text file under `root` (in [`files_under`] order) with its file
/// name, whether it lies under a `templates` directory, and its text;
/// files that are not UTF-8 are skipped.
pub fn for_each_text_file(root: &Path, mut visit: impl FnMut(&Path, &str, bool, &str)) {
    let mut files = Vec::new();
    files_under(root, &mut files);
    for path in &files {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let in_templates = path.components().any(|c| c.as_os_str() == "templates");
        if let Ok(text) = std::fs::read_to_string(path) {
            visit(path, name, in_templates, &text);
        }
    }
}
