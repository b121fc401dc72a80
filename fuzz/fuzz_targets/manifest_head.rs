//! Fuzz target: the quick reading of a manifest's head (plain block YAML,
//! line by line) against the exact one (go-yaml's parser). Wherever the
//! quick reading answers, the exact one must succeed with the same head.

#![no_main]

use chartroom::action::SimpleHead;
use libfuzzer_sys::fuzz_target;

const MAX_INPUT: usize = 16 * 1024;

fuzz_target!(|bytes: &[u8]| {
    if bytes.len() > MAX_INPUT {
        return;
    }
    let doc = String::from_utf8_lossy(bytes);
    if let Some(quick) = SimpleHead::parse_quick(&doc) {
        match SimpleHead::parse_exact(&doc) {
            Ok(exact) => assert_eq!(quick, exact, "{doc:?}"),
            Err(e) => panic!("quick {quick:?}, exact error {e}: {doc:?}"),
        }
    }
});
