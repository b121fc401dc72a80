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
