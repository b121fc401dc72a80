//! The output stage of `helm template` v3.21.4: everything after the engine
//! has rendered the templates. It mirrors `renderResources`
//! (`pkg/action/action.go`, the client-only dry-run path of
//! `pkg/action/install.go`) and the printing in `cmd/helm/template.go`:
//!
//! 1. notes files are taken out ([`notes`]);
//! 2. the rest are split into documents and sorted into hooks and manifests,
//!    each by kind in install order ([`sorter`]);
//! 3. the release manifest is built: with `--include-crds` the chart's CRD
//!    files as they are, then the manifests, each as a `# Source:` block
//!    ([`output`]); it then goes through the post-renderer, if any;
//! 4. `helm template` prints the release manifest trimmed plus a newline,
//!    then (unless `--no-hooks`) every hook as a `# Source:` block, skipping
//!    test hooks with `--skip-tests`; `--show-only` instead re-splits that
//!    text and prints the documents whose template path matches
//!    ([`show_only`]). Notes are never printed.
//!
//! With `--output-dir`, manifests, CRDs and hooks become [`FileWrite`]s
//! (CRDs directly under the directory, the rest under `<dir>/<release>`
//! with `--release-name`), and the stream is what remains (a newline).
//!
//! Errors follow `helm template`: without `--debug` a failure once the
//! release exists (a render error, a YAML parse error) gets `\n\nUse --debug
//! flag to render out invalid YAML` appended and nothing is printed; with
//! `--debug` the partial output (for a parse error, every rendered file as a
//! `# Source:` block) is printed before the error.

pub mod hooks;
pub mod manifest;
pub mod notes;
pub mod output;
mod quick_head;
pub mod show_only;
pub mod sort;
pub mod sorter;

use crate::chart::Chart;
use crate::engine::Rendered;

pub use hooks::{Hook, HookEvent};
pub use manifest::{split_manifests, Manifest, SimpleHead};
pub use notes::Crd;
#[cfg(not(target_arch = "wasm32"))]
pub use output::write_output_dir;
pub use output::{FileWrite, WriteMode};

/// The `helm template` flags that shape the output.
#[derive(Clone, Debug, Default)]
pub struct OutputOptions {
    /// The release name (for `--release-name` directories).
    pub release_name: String,
    /// `--include-crds`: print the charts' `crds/` files first.
    pub include_crds: bool,
    /// `--skip-crds`: only matters when installing; `helm template` renders
    /// client-only and ignores it.
    pub skip_crds: bool,
    /// `--no-hooks`: leave hooks out.
    pub no_hooks: bool,
    /// `--skip-tests`: leave `test` hooks out.
    pub skip_tests: bool,
    /// `--show-only` patterns (`templates/x.yaml`, globs), in order.
    pub show_only: Vec<String>,
    /// `--render-subchart-notes`: subcharts' notes join the release notes.
    pub render_subchart_notes: bool,
    /// `--hide-secret` (of `helm install --dry-run`; `helm template` has no
    /// such flag): `v1` Secrets print as a `# HIDDEN` line.
    pub hide_secret: bool,
    /// `--output-dir`: write files there instead of printing (empty: unset).
    pub output_dir: String,
    /// `--release-name`: manifests and hooks go under `<output-dir>/<release>`.
    pub use_release_name: bool,
    /// `--debug`: print partial output on errors.
    pub debug: bool,
}

/// What `helm template` produces.
#[derive(Clone, Debug, Default)]
pub struct TemplateOutput {
    /// Plain manifests, in install order.
    pub manifests: Vec<Manifest>,
    /// Every hook, in install order (including those the flags leave out).
    pub hooks: Vec<Hook>,
    /// The charts' CRD files (printed only with `--include-crds`).
    pub crds: Vec<Crd>,
    /// The release notes (never printed by `helm template`).
    pub notes: String,
    /// Where the release manifest is (see
    /// [`TemplateOutput::release_manifest`]).
    release_manifest: ReleaseManifest,
    /// Files to write, in order (only with `--output-dir`); perform them with
    /// `write_output_dir` before printing the stream.
    pub writes: Vec<FileWrite>,
    /// Exactly what `helm template` prints on stdout (after any `wrote` lines).
    stream: String,
    /// Helm's log lines for stderr (`info: skipping unknown hook: "x"`).
    pub warnings: Vec<String>,
}

impl TemplateOutput {
    /// Exactly what `helm template` prints on stdout (after any `wrote`
    /// lines).
    pub fn stream(&self) -> &str {
        &self.stream
    }

    /// [`TemplateOutput::stream`], taken.
    pub fn into_stream(self) -> String {
        self.stream
    }

    /// The release manifest (Helm's `Release.Manifest`): CRDs and
    /// manifests. Usually the start of the stream, which is then its only
    /// copy (a chart's CRDs can be megabytes).
    pub fn release_manifest(&self) -> &str {
        match &self.release_manifest {
            ReleaseManifest::StreamStart(len) => &self.stream[..*len],
            ReleaseManifest::Own(manifest) => manifest,
        }
    }

    /// An output that is only `stream` (for tests of what reads it).
    #[cfg(test)]
    pub(crate) fn of_stream(stream: &str) -> TemplateOutput {
        TemplateOutput {
            stream: stream.to_string(),
            ..TemplateOutput::default()
        }
    }
}

/// Where [`TemplateOutput`] keeps the release manifest.
#[derive(Clone, Debug)]
enum ReleaseManifest {
    /// The first this many bytes of the stream.
    StreamStart(usize),
    /// Its own text (the stream does not start with it).
    Own(String),
}

impl Default for ReleaseManifest {
    fn default() -> ReleaseManifest {
        ReleaseManifest::StreamStart(0)
    }
}

/// A failed `helm template`: perform `writes`, print `stdout`, then print
/// `Error: <message>` on stderr and exit 1.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TemplateError {
    pub message: String,
    pub stdout: String,
    pub writes: Vec<FileWrite>,
    pub warnings: Vec<String>,
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TemplateError {}

/// A post-renderer: the release manifest in, the new one (or an error text) out.
pub type PostRenderer<'a> = &'a mut dyn FnMut(&str) -> Result<String, String>;

/// The `helm template` output for `rendered`, the engine's output for
/// `chart` (the chart after dependency processing, so disabled subcharts
/// and their CRDs are gone).
pub fn assemble(
    chart: &Chart,
    rendered: impl Into<Rendered>,
    options: &OutputOptions,
) -> Result<TemplateOutput, TemplateError> {
    assemble_post_rendered(chart, rendered, options, None)
}

/// [`assemble`] with a post-renderer applied to the release manifest.
pub fn assemble_post_rendered(
    chart: &Chart,
    rendered: impl Into<Rendered>,
    options: &OutputOptions,
    post_renderer: Option<PostRenderer<'_>>,
) -> Result<TemplateOutput, TemplateError> {
    let resources = render_resources(chart, rendered.into(), options, post_renderer);
    print_template(resources, options)
}

/// The `helm template` failure for an error raised after the release was
/// created but before anything was sorted: a render error
/// (the engine's `RenderError` message) or an incompatible
/// `kubeVersion`. Errors raised earlier (loading the chart, values, schema)
/// are printed as they are.
pub fn render_failed(message: &str, options: &OutputOptions) -> TemplateError {
    let resources = Resources {
        error: Some(message.to_string()),
        ..Resources::default()
    };
    match print_template(resources, options) {
        Err(e) => e,
        Ok(_) => TemplateError {
            message: message.to_string(),
            ..TemplateError::default()
        },
    }
}

/// What `renderResources` hands back to the install action.
#[derive(Default)]
struct Resources {
    manifests: Vec<Manifest>,
    hooks: Vec<Hook>,
    crds: Vec<Crd>,
    notes: String,
    release_manifest: String,
    writes: Vec<FileWrite>,
    warnings: Vec<String>,
    error: Option<String>,
}

/// Helm's `renderResources` after the engine ran.
fn render_resources(
    chart: &Chart,
    rendered: Rendered,
    options: &OutputOptions,
    post_renderer: Option<PostRenderer<'_>>,
) -> Resources {
    let Rendered {
        texts: mut rendered,
        not_utf8,
    } = rendered;
    let notes = notes::take_notes(chart.name(), &mut rendered, options.render_subchart_notes);
    let sorted = sorter::sort_go_manifests(&rendered, &not_utf8);
    let mut res = Resources {
        notes,
        warnings: sorted.warnings,
        crds: notes::crd_objects(chart),
        ..Resources::default()
    };
    if let Some(error) = sorted.error {
        // Every file goes out as is, to help find the bad YAML.
        for (name, content) in &rendered {
            if !content.trim().is_empty() {
                output::push_source_block(&mut res.release_manifest, name, content);
            }
        }
        res.hooks = sorted.hooks;
        res.manifests = sorted.manifests;
        res.notes = String::new();
        res.error = Some(error);
        return res;
    }
    res.hooks = sorted.hooks;
    res.manifests = sorted.manifests;

    let mut buffer = String::with_capacity(stream_len(&res, options));
    let mut written = std::collections::BTreeSet::new();
    let mut write = |dir: &str, name: &str, content: &str, writes: &mut Vec<FileWrite>| {
        let mode = if written.insert(name.to_string()) {
            WriteMode::Create
        } else {
            WriteMode::Append
        };
        writes.push(FileWrite::new(dir, name, content, mode));
    };
    if options.include_crds {
        for crd in &res.crds {
            if options.output_dir.is_empty() {
                output::push_source_block(&mut buffer, &crd.filename, &crd.content);
            } else {
                write(
                    &options.output_dir,
                    &crd.filename,
                    &crd.content,
                    &mut res.writes,
                );
            }
        }
    }
    for m in &res.manifests {
        if !options.output_dir.is_empty() {
            let dir = manifest_dir(options);
            write(&dir, &m.name, &m.content, &mut res.writes);
        } else if options.hide_secret && m.head.kind == "Secret" && m.head.api_version == "v1" {
            buffer.push_str(&format!(
                "---\n# Source: {}\n# HIDDEN: The Secret output has been suppressed\n",
                m.name
            ));
        } else {
            output::push_source_block(&mut buffer, &m.name, &m.content);
        }
    }
    if let Some(post) = post_renderer {
        match post(&buffer) {
            Ok(out) => buffer = out,
            Err(e) => {
                res.error = Some(format!("error while running post render on files: {e}"));
                return res;
            }
        }
    }
    res.release_manifest = buffer;
    res
}

/// The length of the stream [`render_resources`] writes (the CRDs it
/// prints and every manifest; a hidden Secret's line is shorter than its
/// block) and of the hooks [`print_template`] adds to it: the stream is
/// sized once instead of growing by copies.
fn stream_len(res: &Resources, options: &OutputOptions) -> usize {
    if !options.output_dir.is_empty() {
        return 0;
    }
    let printed_crds = if options.include_crds {
        &res.crds[..]
    } else {
        &[]
    };
    let crds = printed_crds.iter().map(|c| (&*c.filename, &*c.content));
    let manifests = res.manifests.iter().map(|m| (&*m.name, &*m.content));
    let hooks = printed_hooks(&res.hooks, options).map(|h| (&*h.path, &*h.manifest));
    output::blocks_len(crds.chain(manifests).chain(hooks))
}

/// The hooks `helm template` prints (all but those the flags leave out).
fn printed_hooks<'h>(
    hooks: &'h [Hook],
    options: &OutputOptions,
) -> impl Iterator<Item = &'h Hook> + use<'h> {
    let (no_hooks, skip_tests) = (options.no_hooks, options.skip_tests);
    hooks
        .iter()
        .filter(move |h| !(no_hooks || (skip_tests && h.is_test())))
}

/// Where manifests and hooks go with `--output-dir`.
fn manifest_dir(options: &OutputOptions) -> String {
    if options.use_release_name {
        output::join_dir(&options.output_dir, &options.release_name)
    } else {
        options.output_dir.clone()
    }
}

/// The printing of `cmd/helm/template.go`, given what the install produced.
fn print_template(
    res: Resources,
    options: &OutputOptions,
) -> Result<TemplateOutput, TemplateError> {
    if let Some(error) = &res.error {
        if !options.debug {
            return Err(TemplateError {
                message: format!("{error}\n\nUse --debug flag to render out invalid YAML"),
                warnings: res.warnings,
                ..TemplateError::default()
            });
        }
    }
    // The stream starts with the release manifest where nothing but its
    // last line end is trimmed: then it grows from the manifest's buffer.
    let manifest_leads = options.show_only.is_empty()
        && res.release_manifest.ends_with('\n')
        && res.release_manifest.trim().len() + 1 == res.release_manifest.len();
    let printed_hooks: Vec<&Hook> = printed_hooks(&res.hooks, options).collect();
    let hooks_len = if options.output_dir.is_empty() {
        output::blocks_len(printed_hooks.iter().map(|h| (&*h.path, &*h.manifest)))
    } else {
        0
    };
    let (mut text, release_manifest) = if manifest_leads {
        let kept = ReleaseManifest::StreamStart(res.release_manifest.len());
        let mut buffer = res.release_manifest;
        buffer.reserve_exact(hooks_len);
        (buffer, kept)
    } else {
        let manifest = res.release_manifest.trim();
        let mut text = String::with_capacity(manifest.len() + 1 + hooks_len);
        text.push_str(manifest);
        text.push('\n');
        (text, ReleaseManifest::Own(res.release_manifest))
    };
    let mut writes = res.writes;
    for hook in printed_hooks {
        if options.output_dir.is_empty() {
            output::push_source_block(&mut text, &hook.path, &hook.manifest);
        } else {
            let dir = manifest_dir(options);
            writes.push(FileWrite::new(
                &dir,
                &hook.path,
                &hook.manifest,
                WriteMode::AppendIfExists,
            ));
        }
    }
    let stream = if options.show_only.is_empty() {
        text
    } else {
        match show_only::select(&text, &options.show_only) {
            Ok(docs) => docs.iter().map(|d| format!("---\n{d}\n")).collect(),
            Err(message) => {
                return Err(TemplateError {
                    message,
                    stdout: String::new(),
                    writes,
                    warnings: res.warnings,
                })
            }
        }
    };
    if let Some(error) = res.error {
        return Err(TemplateError {
            message: error,
            stdout: stream,
            writes,
            warnings: res.warnings,
        });
    }
    Ok(TemplateOutput {
        manifests: res.manifests,
        hooks: res.hooks,
        crds: res.crds,
        notes: res.notes,
        release_manifest,
        writes,
        stream,
        warnings: res.warnings,
    })
}

#[cfg(test)]
mod tests;
