//! The quick reading of manifest heads (plain block YAML, line by line)
//! against the exact one (go-yaml's parser) on real YAML: every document
//! helm v3.21.4 printed for the chart corpus, and every YAML file the
//! corpus charts ship (CRDs, values files). Wherever the quick reading
//! answers, its answer must be the exact one; and it must answer for most
//! of the rendered bytes, or it is not worth having.
//!
//! The data is read from `../shared/conformance` (relative to the crate) or
//! from `$CHARTROOM_CONFORMANCE`.

mod common;

use std::path::Path;

use chartroom::action::{split_manifests, SimpleHead};
use common::for_each_text_file;
use common::vectors::conformance_dir;

/// Compares both readings on `doc`; returns whether the quick one answered.
fn agree(doc: &str, origin: &Path) -> bool {
    let Some(quick) = SimpleHead::parse_quick(doc) else {
        return false;
    };
    match SimpleHead::parse_exact(doc) {
        Ok(exact) => assert_eq!(quick, exact, "{}:\n{doc}", origin.display()),
        Err(e) => panic!(
            "{}: the quick reading answered {quick:?}, the exact one failed: {e}\n{doc}",
            origin.display()
        ),
    }
    true
}

#[test]
fn quick_heads_agree_with_exact_ones_on_the_corpus() {
    let root = conformance_dir().join("charts/public");
    let (mut rendered_bytes, mut quick_bytes, mut documents, mut quick_documents) = (0, 0, 0, 0);
    let mut shipped = 0;
    for_each_text_file(&root, |path, name, in_templates, text| {
        if name == "expected.out" {
            for doc in split_manifests(text) {
                documents += 1;
                rendered_bytes += doc.len();
                if agree(&doc, path) {
                    quick_documents += 1;
                    quick_bytes += doc.len();
                }
            }
        } else if (name.ends_with(".yaml") || name.ends_with(".yml")) && !in_templates {
            for doc in split_manifests(text) {
                shipped += 1;
                agree(&doc, path);
            }
        }
    });
    eprintln!(
        "quick heads: {quick_documents} of {documents} rendered documents, \
         {quick_bytes} of {rendered_bytes} bytes; {shipped} shipped YAML documents compared"
    );
    assert!(documents > 1000, "only {documents} documents read");
    assert!(shipped > 300, "only {shipped} shipped documents read");
    assert!(
        quick_bytes * 10 >= rendered_bytes * 9,
        "the quick reading took only {quick_bytes} of {rendered_bytes} rendered bytes"
    );
}
