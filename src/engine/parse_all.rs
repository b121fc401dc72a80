//! Parsing every template of a render: on two threads where it pays, and
//! not again for a template unchanged since the last render.
//!
//! Helm parses a chart's templates one after the other into one set (in
//! [`super::sort_templates`] order) and stops at the first syntax error.
//! A template's parse depends only on its name, its text and the set's
//! delimiters, function names and stack budget ([`ParseContext`]), never on
//! the other templates, so:
//! - natively, the trees a parse started ahead on this thread
//!   ([`super::parse_ahead`]) made from the same text are taken first;
//! - natively the other files are shared out between this thread and a
//!   helper (largest first, each taking the next file when done with one)
//!   and installed afterwards in Helm's order. The set, and the first error
//!   in that order, are exactly those of parsing one file after the other;
//!   only the files after a broken one are parsed for nothing;
//! - the trees of each template that parsed are kept for the next render in
//!   the same thread (the playground, docs pages and editors render one
//!   chart again and again, a keystroke apart), reused only for the same
//!   name, text and settings, up to [`KEPT_TEXT_BYTES`] of template text. A
//!   process that skips its teardown (the one-shot CLI) keeps nothing.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use super::Renderable;
use crate::template::parse::{ParseError, Tree};
use crate::template::{ParseContext, ParseSettings};

/// The template text whose trees a thread keeps, at most.
const KEPT_TEXT_BYTES: usize = 8 << 20;

/// One template's trees, shared between renders.
pub(super) type Trees = Rc<[Rc<Tree>]>;

/// The trees kept from earlier renders in this thread.
#[derive(Default)]
struct Kept {
    /// What they were parsed with.
    settings: Option<ParseSettings>,
    /// By template name: the text and its trees.
    by_name: BTreeMap<String, (String, Trees)>,
    text_bytes: usize,
}

thread_local! {
    static KEPT: RefCell<Kept> = RefCell::new(Kept::default());
}

/// Each template's trees or syntax error, in the order of `order`.
pub(super) fn parse_all(
    context: &ParseContext,
    order: &[String],
    templates: &BTreeMap<String, Renderable>,
) -> Vec<Result<Trees, ParseError>> {
    let files: Vec<(&str, &str)> = order
        .iter()
        .map(|name| (name.as_str(), &*templates[name].text))
        .collect();
    let keep = !crate::teardown::skipping();
    let mut results: Vec<Option<Result<Trees, ParseError>>> = if keep {
        kept_trees(context, &files)
    } else {
        vec![None; files.len()]
    };
    // The templates no earlier render left trees for.
    let fresh: Vec<usize> = (0..files.len()).filter(|&i| results[i].is_none()).collect();
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(mut ahead) = super::parse_ahead::finish(context) {
        for &i in &fresh {
            let (name, text) = files[i];
            results[i] = ahead.take(name, text).map(|trees| Ok(shared(trees)));
        }
    }
    let missing: Vec<usize> = fresh
        .iter()
        .copied()
        .filter(|&i| results[i].is_none())
        .collect();
    let to_parse: Vec<(&str, &str)> = missing.iter().map(|&i| files[i]).collect();
    for (i, parsed) in missing.into_iter().zip(parse_files(context, &to_parse)) {
        results[i] = Some(parsed.map(shared));
    }
    if keep {
        for &i in &fresh {
            if let Some(Ok(trees)) = &results[i] {
                keep_trees(files[i], trees);
            }
        }
    }
    results.into_iter().flatten().collect()
}

/// One template's trees, to share.
fn shared(trees: Vec<Tree>) -> Trees {
    trees.into_iter().map(Rc::new).collect()
}

/// The kept trees of each file, where its name, text and settings match.
fn kept_trees(
    context: &ParseContext,
    files: &[(&str, &str)],
) -> Vec<Option<Result<Trees, ParseError>>> {
    KEPT.with(|kept| {
        let mut kept = kept.borrow_mut();
        if !kept
            .settings
            .as_ref()
            .is_some_and(|s| context.has_settings(s))
        {
            *kept = Kept {
                settings: Some(context.settings()),
                ..Kept::default()
            };
        }
        files
            .iter()
            .map(|(name, text)| {
                let (kept_text, trees) = kept.by_name.get(*name)?;
                (kept_text == text).then(|| Ok(Rc::clone(trees)))
            })
            .collect()
    })
}

fn keep_trees((name, text): (&str, &str), trees: &Trees) {
    KEPT.with(|kept| {
        let mut kept = kept.borrow_mut();
        if text.len() > KEPT_TEXT_BYTES {
            return;
        }
        if kept.text_bytes + text.len() > KEPT_TEXT_BYTES {
            kept.by_name.clear();
            kept.text_bytes = 0;
        }
        kept.text_bytes += text.len();
        if let Some((old, _)) = kept
            .by_name
            .insert(name.to_string(), (text.to_string(), Rc::clone(trees)))
        {
            kept.text_bytes -= old.len();
        }
    })
}

/// Parses `files` (natively on two threads where it pays).
fn parse_files(
    context: &ParseContext,
    files: &[(&str, &str)],
) -> Vec<Result<Vec<Tree>, ParseError>> {
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(parsed) = two_threads::parse(context, files) {
        return parsed;
    }
    files
        .iter()
        .map(|(name, text)| context.parse(name, text))
        .collect()
}

/// Less template text than this parses faster than a thread starts.
#[cfg(not(target_arch = "wasm32"))]
pub(super) const HELPER_FROM_BYTES: usize = 32 << 10;

/// A parse helper recurses as deep as the render thread may (one level per
/// nested control or parenthesis); reserved, not committed.
#[cfg(not(target_arch = "wasm32"))]
pub(super) const HELPER_STACK_BYTES: usize = 1 << 30;

/// The texts of a parse shared between threads, handed out one at a time,
/// largest first, to whichever thread asks next (so that no thread is left
/// with a long one at the end).
#[cfg(not(target_arch = "wasm32"))]
pub(super) struct LargestFirst {
    /// Indices of the texts, by falling length.
    order: Vec<usize>,
    next: std::sync::atomic::AtomicUsize,
}

#[cfg(not(target_arch = "wasm32"))]
impl LargestFirst {
    /// Hands out the indices of texts of these lengths.
    pub(super) fn new(lengths: &[usize]) -> LargestFirst {
        let mut order: Vec<usize> = (0..lengths.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(lengths[i]));
        LargestFirst {
            order,
            next: Default::default(),
        }
    }

    /// The index of the next text nobody has taken yet.
    pub(super) fn take(&self) -> Option<usize> {
        let at = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.order.get(at).copied()
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod two_threads {
    use super::{
        LargestFirst, ParseContext, ParseError, Tree, HELPER_FROM_BYTES, HELPER_STACK_BYTES,
    };

    type Parsed = Result<Vec<Tree>, ParseError>;

    /// `files` parsed by this thread and a helper; `None` if there is too
    /// little to share or no thread could be started.
    pub(super) fn parse(context: &ParseContext, files: &[(&str, &str)]) -> Option<Vec<Parsed>> {
        let total: usize = files.iter().map(|(_, text)| text.len()).sum();
        if files.len() < 2 || total < HELPER_FROM_BYTES {
            return None;
        }
        let lengths: Vec<usize> = files.iter().map(|(_, text)| text.len()).collect();
        let files_left = LargestFirst::new(&lengths);
        let take_files = || {
            let mut done = Vec::new();
            while let Some(i) = files_left.take() {
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
                    text: text.clone().into(),
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
        assert!(files.iter().map(|(_, t)| t.len()).sum::<usize>() >= HELPER_FROM_BYTES);
        let templates = renderables(&files);
        let order = super::super::sort_templates(templates.keys());
        let parsed = parse_all(&context, &order, &templates);
        assert_eq!(parsed.len(), 40);
        assert!(parsed.iter().all(Result::is_ok));
        let shape = |t: &Tree| (t.name.clone(), t.parse_name.clone(), t.root.to_string());
        let here: Vec<Vec<_>> = parsed
            .iter()
            .map(|trees| {
                trees
                    .as_ref()
                    .expect("parsed")
                    .iter()
                    .map(|t| shape(t))
                    .collect()
            })
            .collect();
        let one_by_one: Vec<Vec<_>> = one_by_one(&context, &order, &templates)
            .iter()
            .map(|trees| trees.as_ref().expect("parsed").iter().map(shape).collect())
            .collect();
        assert_eq!(here, one_by_one);

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

    #[test]
    fn unchanged_templates_reuse_the_kept_trees() {
        let set = super::super::template_set(super::super::EngineOptions::default());
        let context = set.parse_context();
        let mut files = many_files();
        let templates = renderables(&files);
        let order = super::super::sort_templates(templates.keys());
        let first = parse_all(&context, &order, &templates);
        let again = parse_all(&context, &order, &templates);
        let same = |a: &Result<Trees, ParseError>, b: &Result<Trees, ParseError>| {
            Rc::ptr_eq(a.as_ref().unwrap(), b.as_ref().unwrap())
        };
        assert!(first.iter().zip(&again).all(|(a, b)| same(a, b)));

        // An edited file is parsed again; the others are reused.
        files[5].1.push_str("{{ .Values.more }}\n");
        let edited = renderables(&files);
        let third = parse_all(&context, &order, &edited);
        let at = order
            .iter()
            .position(|n| n == "chart/templates/f05.yaml")
            .unwrap();
        for (i, (a, b)) in again.iter().zip(&third).enumerate() {
            assert_eq!(same(a, b), i != at, "{}", order[i]);
        }
        let text = third[at].as_ref().unwrap()[1].root.to_string();
        assert!(text.ends_with("{{.Values.more}}\n"), "{text}");

        // Other settings (a smaller stack budget) parse everything again.
        let mut small = super::super::template_set(super::super::EngineOptions::default());
        small.set_exec_options(crate::template::ExecOptions {
            max_stack_bytes: 1 << 18,
            ..crate::template::ExecOptions::default()
        });
        let fourth = parse_all(&small.parse_context(), &order, &edited);
        assert!(third.iter().zip(&fourth).all(|(a, b)| !same(a, b)));
    }
}
