//! Parsing a chart's templates while the chart is still loading (native
//! only): a one-shot render spends a third of its time loading (most of it
//! parsing `values.yaml`) on one core, and the template parse that follows
//! needs nothing but the template texts.
//!
//! [`start_parse_ahead`] starts the helper thread early (it sets up its
//! template set while the chart's files are read), and
//! [`parse_ahead`] hands it the chart's files as read (before the load
//! parses any YAML): it parses every template text among them. The render
//! ([`super::parse_all`]) then takes what was parsed on the same thread
//! that asked for it, parsing the texts nobody has started yet itself
//! meanwhile. Nothing here changes what a render gives:
//! - the names the render parses templates under (`chart/charts/sub/
//!   templates/x.yaml`) are known only once each `Chart.yaml` is loaded, so
//!   texts are parsed under a stand-in name and renamed when taken. A text's
//!   trees depend on its name only through the names they carry (Go's
//!   `Tree.Name` and `ParseName`), unless one of its `{{define}}`s has the
//!   template's own name or the stand-in's: such a text is parsed again;
//! - a text that failed to parse is parsed again under its real name, for
//!   the error to name it, as are texts a render parses with other settings
//!   than the helper did, texts the load changed (a byte order mark
//!   dropped, invalid UTF-8 replaced), and files that turn out not to be
//!   templates are never asked for.

use std::cell::RefCell;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Arc;

use super::parse_all::{LargestFirst, HELPER_FROM_BYTES, HELPER_STACK_BYTES};
use super::EngineOptions;
use crate::chart::{File, FileData};
use crate::template::parse::Tree;
use crate::template::{ParseContext, ParseSettings};

/// The name texts are parsed under until their real names are known.
const STAND_IN: &str = "\u{0}parsed ahead";

/// The template texts to parse, shared out between the helper and the
/// thread that takes the result: each takes the next text until none is
/// left.
struct Texts {
    texts: Vec<FileData>,
    left: LargestFirst,
}

/// The trees of the texts one thread parsed, by their place in [`Texts`];
/// failed parses are left out.
type Parsed = Vec<(usize, Vec<Tree>)>;

/// What the helper reports, as it goes: first the settings it parses with,
/// then each text it took, as soon as it is parsed (`None`: the text failed
/// to parse).
enum Report {
    Settings(ParseSettings),
    Text(usize, Option<Vec<Tree>>),
}

/// A helper started on this thread and not yet taken.
struct Pending {
    stage: Stage,
    /// The helper's [`Report`]s.
    reports: Receiver<Report>,
}

enum Stage {
    /// Waiting for its texts.
    Started(Sender<Arc<Texts>>),
    /// Parsing them.
    Parsing(Arc<Texts>),
}

thread_local! {
    static PENDING: RefCell<Option<Pending>> = const { RefCell::new(None) };
}

/// Starts the helper [`start_parse_ahead`] will use, now: for a process
/// that knows early that it will parse a chart ahead (see
/// `threads::prestart`). Returns whether the thread started.
pub fn prestart_parse_helper() -> bool {
    crate::threads::prestart("parse", HELPER_STACK_BYTES, crate::threads::STAY_AWAKE)
}

/// Starts the helper thread that [`parse_ahead`] hands the templates of a
/// chart to, to parse them as a render with `options` will. The helper
/// sets up its template set, then waits for the texts (awake at first,
/// then blocked: `threads::recv_awake`) for as long as this thread runs
/// (or until a render on this thread lets it go). The helper reports each
/// text as it is parsed, and stays for one more job from this thread
/// (`threads::spawn_or_reuse`), which runs between two texts where it may
/// interrupt the parse, else once the parse is done. Does nothing if no
/// thread can be started.
pub fn start_parse_ahead(options: EngineOptions) {
    let (to_helper, from_caller) = channel::<Arc<Texts>>();
    let (report, reports) = channel::<Report>();
    let parse = move || {
        // The set first: it needs only the options, and once the texts
        // come the parse can start at once.
        let set = super::template_set(options);
        let context = set.parse_context();
        let Ok(texts) = crate::threads::recv_awake(&from_caller, crate::threads::STAY_AWAKE) else {
            return;
        };
        // A render that no longer waits has nothing to be told.
        if report.send(Report::Settings(context.settings())).is_err() {
            return;
        }
        parse_some(&texts, &context, |i, trees| {
            let _ = report.send(Report::Text(i, trees));
            // A job handed over meanwhile that may interrupt the parse (the
            // schema compile) runs now: the render thread takes the texts
            // left, and waits only for those already taken here.
            crate::threads::run_handed_job();
        });
    };
    // The helper stays for the command line's schema compile
    // (`values::schema::compile_in_background`), on a thread already
    // running.
    let started = crate::threads::spawn_staying("parse", HELPER_STACK_BYTES, parse);
    if started.is_ok() {
        let pending = Pending {
            stage: Stage::Started(to_helper),
            reports,
        };
        PENDING.with(|p| *p.borrow_mut() = Some(pending));
    }
}

/// Has the helper [`start_parse_ahead`] started on this thread parse the
/// templates among `files` (a chart's files as
/// [`crate::chart::load::read_path`] reads them: the chart's own
/// `templates/` and those of the subchart directories below `charts/`).
/// The next render on this thread uses the trees. When the texts are too
/// short to be worth sharing, the helper is let go.
pub fn parse_ahead(files: &[File]) {
    PENDING.with(|p| {
        let mut p = p.borrow_mut();
        let Some(pending) = p.as_mut() else {
            return;
        };
        let Stage::Started(to_helper) = &pending.stage else {
            return;
        };
        let texts: Vec<FileData> = files
            .iter()
            .filter(|f| is_template_path(&f.name))
            .map(|f| f.data.clone())
            .collect();
        let lengths: Vec<usize> = texts.iter().map(|t| t.len()).collect();
        if lengths.iter().sum::<usize>() < HELPER_FROM_BYTES {
            // Dropping the sender ends the helper.
            *p = None;
            return;
        }
        let texts = Arc::new(Texts {
            left: LargestFirst::new(&lengths),
            texts,
        });
        if to_helper.send(Arc::clone(&texts)).is_ok() {
            pending.stage = Stage::Parsing(texts);
        } else {
            *p = None;
        }
    })
}

/// Whether `path` (relative to a chart directory) is a template of the
/// chart or of a subchart directory below it.
fn is_template_path(mut path: &str) -> bool {
    while let Some(rest) = path.strip_prefix("charts/") {
        match rest.split_once('/') {
            Some((_, below)) => path = below,
            None => return false,
        }
    }
    path.starts_with("templates/")
}

/// Parses texts from `texts` until none is left for the taking, handing
/// each to `parsed` (`None` where the text failed to parse); how many it
/// took.
fn parse_some(
    texts: &Texts,
    context: &ParseContext,
    mut parsed: impl FnMut(usize, Option<Vec<Tree>>),
) -> usize {
    let mut taken = 0;
    while let Some(i) = texts.left.take() {
        taken += 1;
        let trees = std::str::from_utf8(&texts.texts[i])
            .ok()
            .and_then(|text| context.parse(STAND_IN, text).ok());
        parsed(i, trees);
    }
    taken
}

/// Trees parsed ahead, each with its text, for [`ParsedAhead::take`].
pub(super) struct ParsedAhead(Vec<(FileData, Vec<Tree>)>);

/// The parse started on this thread, finished (this thread parsing what
/// the helper has not started), if there is one; parses with settings
/// other than `context`'s are dropped.
pub(super) fn finish(context: &ParseContext) -> Option<ParsedAhead> {
    let pending = PENDING.with(|p| p.borrow_mut().take())?;
    // A helper still waiting for its texts is let go.
    let Stage::Parsing(texts) = pending.stage else {
        return None;
    };
    let mut ours = Vec::new();
    let taken = parse_some(&texts, context, |i, trees| {
        ours.extend(trees.map(|t| (i, t)))
    });
    let theirs = helper_parses(&pending.reports, texts.texts.len() - taken);
    let with_texts = merged(context, ours, theirs)
        .into_iter()
        .map(|(i, trees)| (texts.texts[i].clone(), trees))
        .collect();
    Some(ParsedAhead(with_texts))
}

/// The settings the helper parsed with and its parses of the `taken` texts
/// it took, waiting for those not yet reported; `None` if the helper
/// stopped first.
fn helper_parses(reports: &Receiver<Report>, taken: usize) -> Option<(ParseSettings, Parsed)> {
    // A helper that took nothing (still faulting pages in, say) is not
    // waited for.
    if taken == 0 {
        return None;
    }
    let Ok(Report::Settings(settings)) =
        crate::threads::recv_awake(reports, crate::threads::STAY_AWAKE)
    else {
        return None;
    };
    let mut parsed = Vec::new();
    for _ in 0..taken {
        match crate::threads::recv_awake(reports, crate::threads::STAY_AWAKE) {
            Ok(Report::Text(i, trees)) => parsed.extend(trees.map(|t| (i, t))),
            _ => return None,
        }
    }
    Some((settings, parsed))
}

/// This thread's parses and the helper's (if it did not stop first), the
/// helper's only where it parsed with `context`'s settings.
fn merged(
    context: &ParseContext,
    mut ours: Parsed,
    helper: Option<(ParseSettings, Parsed)>,
) -> Parsed {
    if let Some((settings, theirs)) = helper {
        if context.has_settings(&settings) {
            ours.extend(theirs);
        }
    }
    ours
}

impl ParsedAhead {
    /// The trees of template `name`, parsed ahead from exactly `text`;
    /// `None` if they are not to be had (see the module docs). Each parse
    /// is given out once.
    pub(super) fn take(&mut self, name: &str, text: &str) -> Option<Vec<Tree>> {
        let same = |parsed: &[u8]| {
            // The render's text is usually the very bytes handed over.
            std::ptr::eq(parsed, text.as_bytes()) || parsed == text.as_bytes()
        };
        let i = self.0.iter().position(|(parsed, _)| same(parsed))?;
        renamed(self.0.swap_remove(i).1, name)
    }
}

/// `trees`, parsed under [`STAND_IN`], as parsing under `name` gives them;
/// `None` where that could differ by more than the names.
fn renamed(mut trees: Vec<Tree>, name: &str) -> Option<Vec<Tree>> {
    let (top, defined) = trees.split_last_mut()?;
    if top.name != STAND_IN || defined.iter().any(|t| t.name == STAND_IN || t.name == name) {
        return None;
    }
    top.name = name.to_string();
    for tree in &mut trees {
        tree.parse_name = name.to_string();
    }
    Some(trees)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::File;

    fn file(name: &str, text: &str) -> File {
        File {
            name: name.to_string(),
            data: text.as_bytes().into(),
        }
    }

    /// A template text of `actions` actions and a `{{define}}` of `helper`.
    fn long_template(helper: &str, actions: usize) -> String {
        let mut text = format!("{{{{- define {helper:?} -}}}}x{{{{ end }}}}\n");
        for i in 0..actions {
            text.push_str(&format!(
                "k{i}: {{{{ .Values.a | default \"b\" | quote }}}}\n"
            ));
        }
        text
    }

    /// What each tree holds, names included.
    fn shape(trees: &[Tree]) -> Vec<(String, String, String)> {
        trees
            .iter()
            .map(|t| (t.name.clone(), t.parse_name.clone(), t.root.to_string()))
            .collect()
    }

    #[test]
    fn trees_parsed_ahead_are_those_of_a_parse_under_the_real_name() {
        let set = super::super::template_set(EngineOptions::default());
        let context = set.parse_context();
        let text = long_template("helper", 3);
        let ahead = context.parse(STAND_IN, &text).expect("parses");
        let here = context.parse("c/templates/a.yaml", &text).expect("parses");
        let renamed = renamed(ahead, "c/templates/a.yaml").expect("renamed");
        assert_eq!(shape(&renamed), shape(&here));
        assert_eq!(shape(&here)[1].0, "c/templates/a.yaml");
    }

    #[test]
    fn a_text_defining_its_own_name_is_parsed_again() {
        let set = super::super::template_set(EngineOptions::default());
        let context = set.parse_context();
        let text = long_template("c/templates/a.yaml", 1);
        let ahead = context.parse(STAND_IN, &text).expect("parses");
        assert!(renamed(ahead, "c/templates/a.yaml").is_none());
        let ahead = context.parse(STAND_IN, &text).expect("parses");
        assert!(renamed(ahead, "c/templates/b.yaml").is_some());
    }

    #[test]
    fn the_render_takes_what_the_helper_parsed_for_the_same_text() {
        let big = long_template("h", 1500);
        assert!(big.len() > HELPER_FROM_BYTES);
        let files = [
            file("Chart.yaml", "name: c"),
            file("templates/a.yaml", &big),
            file("charts/sub/templates/b.yaml", "b: {{ 1 }}"),
            file("charts/sub/templates/broken.yaml", "{{ end }}"),
        ];
        start_parse_ahead(EngineOptions::default());
        parse_ahead(&files);
        let set = super::super::template_set(EngineOptions::default());
        let context = set.parse_context();
        let mut ahead = finish(&context).expect("a parse was under way");
        assert!(finish(&context).is_none(), "taken once");
        let trees = ahead
            .take("c/templates/a.yaml", &big)
            .expect("parsed ahead");
        let here = context.parse("c/templates/a.yaml", &big).expect("parses");
        assert_eq!(shape(&trees), shape(&here));
        assert!(
            ahead.take("c/templates/a.yaml", &big).is_none(),
            "given out once"
        );
        assert!(ahead
            .take("c/charts/sub/templates/b.yaml", "b: {{ 1 }}")
            .is_some());
        assert!(
            ahead.take("c/templates/x.yaml", "b: {{ 2 }}").is_none(),
            "other text"
        );
        assert!(
            ahead
                .take("c/charts/sub/templates/broken.yaml", "{{ end }}")
                .is_none(),
            "a failed parse is parsed again, for its error to name the template"
        );
    }

    #[test]
    fn the_helpers_parses_count_only_with_the_renders_settings() {
        let set = super::super::template_set(EngineOptions::default());
        let context = set.parse_context();
        let trees = || context.parse(STAND_IN, "a").expect("parses");
        let ours = vec![(0, trees())];
        let theirs = vec![(1, trees())];
        let same = merged(
            &context,
            ours.clone(),
            Some((context.settings(), theirs.clone())),
        );
        assert_eq!(same.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [0, 1]);
        let mut options = EngineOptions::default();
        options.exec.max_stack_bytes /= 2;
        let other_set = super::super::template_set(options);
        let other = other_set.parse_context().settings();
        let dropped = merged(&context, ours.clone(), Some((other, theirs)));
        assert_eq!(dropped.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [0]);
        let failed = merged(&context, ours, None);
        assert_eq!(failed.len(), 1);
    }

    #[test]
    fn too_little_text_lets_the_helper_go() {
        start_parse_ahead(EngineOptions::default());
        parse_ahead(&[file("templates/a.yaml", "a: {{ 1 }}")]);
        let set = super::super::template_set(EngineOptions::default());
        assert!(finish(&set.parse_context()).is_none());
    }

    #[test]
    fn a_render_gives_the_same_with_and_without_a_parse_ahead() {
        let big = long_template("h", 1500);
        let files = vec![
            file("Chart.yaml", "apiVersion: v2\nname: c\nversion: 1.0.0\n"),
            file("values.yaml", "a: 1\n"),
            file("templates/a.yaml", &big),
            file("templates/b.yaml", "b: {{ include \"h\" . }}\n"),
        ];
        let render = |ahead: bool| {
            if ahead {
                start_parse_ahead(EngineOptions::default());
                parse_ahead(&files);
            }
            let chart = crate::chart::load::load_files(files.clone()).expect("loads");
            crate::api::render_chart(
                chart,
                &crate::api::RenderOptions::default(),
                &|_| Err(String::new()),
                None,
            )
            .map(crate::action::TemplateOutput::into_stream)
            .map_err(|e| e.error.message)
        };
        let with = render(true);
        assert_eq!(with, render(false));
        assert!(with.expect("renders").contains("k1499: \"1\""));
    }

    #[test]
    fn template_paths_are_those_of_the_chart_and_its_subchart_directories() {
        assert!(is_template_path("templates/a.yaml"));
        assert!(is_template_path("templates/sub/_h.tpl"));
        assert!(is_template_path("charts/db/templates/a.yaml"));
        assert!(is_template_path("charts/db/charts/x/templates/a.yaml"));
        assert!(!is_template_path("values.yaml"));
        assert!(!is_template_path("files/templates/a.yaml"));
        assert!(!is_template_path("charts/db.tgz"));
        assert!(!is_template_path("charts/db/values.yaml"));
        assert!(!is_template_path("charts/templates"));
    }
}
