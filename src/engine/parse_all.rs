//! Parsing every template of a render, on two threads where it pays.
//!
//! Helm parses a chart's templates one after the other into one set (in
//! [`super::sort_templates`] order) and stops at the first syntax error.
//! A template's parse depends only on its name, its text and the set's
//! delimiters and function names ([`ParseContext`]), never on the other
//! templates, so natively the files are shared out between this thread and
//! a helper (largest first, each taking the next file when done with one)
//! and installed afterwards in Helm's order. The set, and the first error
//! in that order, are exactly those of parsing one file after the other;
//! only the files after a broken one are parsed for nothing.

use std::collections::BTreeMap;

use super::Renderable;
use crate::template::parse::{ParseError, Tree};
use crate::template::ParseContext;

/// Each template's trees or syntax error, in the order of `order`.
pub(super) fn parse_all(
    context: &ParseContext,
    order: &[String],
    templates: &BTreeMap<String, Renderable>,
) -> Vec<Result<Vec<Tree>, ParseError>> {
    let files: Vec<(&str, &str)> = order
        .iter()
        .map(|name| (name.as_str(), templates[name].text.as_str()))
        .collect();
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(parsed) = two_threads::parse(context, &files) {
        return parsed;
    }
    files
        .iter()
        .map(|(name, text)| context.parse(name, text))
        .collect()
}

#[cfg(not(target_arch = "wasm32"))]
mod two_threads {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::{ParseContext, ParseError, Tree};

    /// Less text than this parses faster than a thread starts.
    pub(super) const FROM_BYTES: usize = 32 << 10;

    /// The helper recurses as deep as the render thread may (one level per
    /// nested control or parenthesis); reserved, not committed.
    const HELPER_STACK_BYTES: usize = 1 << 30;

    type Parsed = Result<Vec<Tree>, ParseError>;

    /// `files` parsed by this thread and a helper; `None` if there is too
    /// little to share or no thread could be started.
    pub(super) fn parse(context: &ParseContext, files: &[(&str, &str)]) -> Option<Vec<Parsed>> {
        let total: usize = files.iter().map(|(_, text)| text.len()).sum();
        if files.len() < 2 || total < FROM_BYTES {
            return None;
        }
        let mut by_size: Vec<usize> = (0..files.len()).collect();
        by_size.sort_by_key(|&i| std::cmp::Reverse(files[i].1.len()));
        let next = AtomicUsize::new(0);
        let take_files = || {
            let mut done = Vec::new();
            while let Some(&i) = by_size.get(next.fetch_add(1, Ordering::Relaxed)) {
                let (name, text) = files[i];
                done.push((i, context.parse(name, text)));
            }
            done
        };
        let mut parsed: Vec<Option<Parsed>> = Vec::new();
        parsed.resize_with(files.len(), || None);
        let (theirs, here) =
            crate::threads::with_helper("parse", HELPER_STACK_BYTES, take_files, take_files)?;
        for (i, result) in here.into_iter().chain(theirs) {
            parsed[i] = Some(result);
        }
        parsed.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn renderables(files: &[(String, String)]) -> BTreeMap<String, Renderable> {
        files
            .iter()
            .map(|(name, text)| {
                let r = Renderable {
                    text: text.clone(),
                    vals: crate::value::Map::new(),
                    base_path: String::new(),
                };
                (name.clone(), r)
            })
            .collect()
    }

    fn one_by_one(
        context: &ParseContext,
        order: &[String],
        templates: &BTreeMap<String, Renderable>,
    ) -> Vec<Result<Vec<Tree>, ParseError>> {
        order
            .iter()
            .map(|name| context.parse(name, &templates[name].text))
            .collect()
    }

    /// Enough files and text for two threads, some defining templates.
    fn many_files() -> Vec<(String, String)> {
        (0..40)
            .map(|i| {
                let body = format!("{{{{ .Values.key{i} | quote }}}}\n").repeat(30 + i * 7);
                let text = format!("{{{{- define \"t{i}\" }}}}{body}{{{{- end }}}}\n{body}");
                (format!("chart/templates/f{i:02}.yaml"), text)
            })
            .collect()
    }

    #[test]
    fn trees_and_errors_equal_those_parsed_one_by_one() {
        let set = super::super::template_set(super::super::EngineOptions::default());
        let context = set.parse_context();
        let mut files = many_files();
        #[cfg(not(target_arch = "wasm32"))]
        assert!(files.iter().map(|(_, t)| t.len()).sum::<usize>() >= two_threads::FROM_BYTES);
        let templates = renderables(&files);
        let order = super::super::sort_templates(templates.keys());
        let parsed = parse_all(&context, &order, &templates);
        assert_eq!(parsed.len(), 40);
        assert!(parsed.iter().all(Result::is_ok));
        let trees = |r: &[Result<Vec<Tree>, ParseError>]| -> Vec<Vec<(String, String, String)>> {
            r.iter()
                .map(|trees| {
                    let trees = trees.as_ref().expect("parsed");
                    trees
                        .iter()
                        .map(|t| (t.name.clone(), t.parse_name.clone(), t.root.to_string()))
                        .collect()
                })
                .collect()
        };
        assert_eq!(
            trees(&parsed),
            trees(&one_by_one(&context, &order, &templates))
        );

        files[3].1.insert_str(0, "{{ end }}");
        files[30].1.insert_str(0, "\n{{ nosuchfunction }}");
        let templates = renderables(&files);
        let parsed = parse_all(&context, &order, &templates);
        let errors: Vec<String> = parsed
            .iter()
            .filter_map(|r| r.as_ref().err().map(ToString::to_string))
            .collect();
        assert_eq!(
            errors,
            [
                "template: chart/templates/f30.yaml:2: function \"nosuchfunction\" not defined",
                "template: chart/templates/f03.yaml:1: unexpected {{end}}",
            ]
            .map(String::from)
        );
    }
}
