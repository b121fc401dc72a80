//! Helpers shared by the conformance tests.
#![allow(dead_code)]

pub mod vectors;

use std::fs;
use std::path::{Path, PathBuf};

/// The smallest `Chart.yaml` of the scratch chart `mychart`.
pub const CHART_YAML: &[u8] = b"apiVersion: v2\nname: mychart\nversion: 0.1.0\n";

/// A scratch directory holding a chart `mychart` (with `templates/`),
/// removed when dropped. Names are per test and per process.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("chartroom-test-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("mychart/templates")).unwrap();
        Scratch(dir)
    }

    pub fn write(&self, path: &str, text: &[u8]) -> &Self {
        let full = self.0.join(path);
        fs::create_dir_all(full.parent().unwrap()).unwrap();
        fs::write(full, text).unwrap();
        self
    }

    pub fn chart(&self) -> String {
        self.0.join("mychart").display().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

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
