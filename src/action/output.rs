//! The `---` / `# Source:` stream and `--output-dir` files, mirroring Helm
//! v3.21.4's `renderResources` (`pkg/action/action.go`) and `writeToFile`
//! (`pkg/action/install.go`, `cmd/helm/template.go`).
//!
//! Every document goes out as `---\n# Source: <path>\n<document>\n`, to the
//! stream or, with `--output-dir`, to the file `<dir>/<path>`: a template's
//! first document creates (truncates) its file and later ones append;
//! hooks append when the file already exists (even from an earlier run).
//! Each write prints `wrote <dir>/<path>` on stdout.

/// One `# Source:` block: `---\n# Source: <name>\n<content>\n`.
pub fn source_block(name: &str, content: &str) -> String {
    let mut block = String::with_capacity(source_block_len(name, content));
    push_source_block(&mut block, name, content);
    block
}

/// Appends [`source_block`]`(name, content)` to `out`, copying `content`
/// once (the stream of a chart with large CRDs is mostly their text).
pub fn push_source_block(out: &mut String, name: &str, content: &str) {
    out.push_str(SOURCE_HEAD);
    out.push_str(name);
    out.push('\n');
    out.push_str(content);
    out.push('\n');
}

/// What a [`source_block`] of `name` and `content` adds to a stream, in
/// bytes (to size the stream before it is written).
pub fn source_block_len(name: &str, content: &str) -> usize {
    SOURCE_HEAD.len() + name.len() + content.len() + 2
}

/// What the [`source_block`]s of `(name, content)` pairs add to a stream.
pub fn blocks_len<'a>(blocks: impl Iterator<Item = (&'a str, &'a str)>) -> usize {
    blocks
        .map(|(name, content)| source_block_len(name, content))
        .sum()
}

const SOURCE_HEAD: &str = "---\n# Source: ";

/// How a write opens its file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteMode {
    /// Create or truncate (Go's `os.Create`).
    Create,
    /// Append to a file this run already wrote.
    Append,
    /// Append if the file exists, else create (how hooks are written).
    AppendIfExists,
}

/// One file write of `--output-dir`, in the order Helm does them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileWrite {
    /// `<dir>/<name>`, joined as Helm joins it (not cleaned).
    pub path: String,
    /// What is written: one [`source_block`].
    pub text: String,
    pub mode: WriteMode,
}

impl FileWrite {
    /// A write of document `content` of template `name` under `dir`.
    pub fn new(dir: &str, name: &str, content: &str, mode: WriteMode) -> FileWrite {
        FileWrite {
            path: format!("{dir}/{name}"),
            text: source_block(name, content),
            mode,
        }
    }
}

/// Go's `path/filepath.Join(dir, name)` for the `--release-name` directory.
pub fn join_dir(dir: &str, name: &str) -> String {
    match (dir.is_empty(), name.is_empty()) {
        (true, true) => String::new(),
        (true, false) => crate::chart::clean_path(name),
        (false, true) => crate::chart::clean_path(dir),
        (false, false) => crate::chart::clean_path(&format!("{dir}/{name}")),
    }
}

/// Go's text for an OS error number (Linux), as `PathError` prints it.
#[cfg(not(target_arch = "wasm32"))]
fn go_errno_text(e: &std::io::Error) -> String {
    let text = match e.raw_os_error() {
        Some(1) => "operation not permitted",
        Some(2) => "no such file or directory",
        Some(5) => "input/output error",
        Some(13) => "permission denied",
        Some(17) => "file exists",
        Some(20) => "not a directory",
        Some(21) => "is a directory",
        Some(28) => "no space left on device",
        Some(30) => "read-only file system",
        Some(36) => "file name too long",
        Some(40) => "too many levels of symbolic links",
        _ => return e.to_string(),
    };
    text.to_string()
}

#[cfg(not(target_arch = "wasm32"))]
fn path_error(op: &str, path: &str, e: &std::io::Error) -> String {
    format!("{op} {path}: {}", go_errno_text(e))
}

/// Go's `path.Dir`.
#[cfg(not(target_arch = "wasm32"))]
fn go_dir(path: &str) -> String {
    match path.rfind('/') {
        Some(i) => crate::chart::clean_path(&path[..=i]),
        None => ".".to_string(),
    }
}

/// Go's `os.MkdirAll(dir, 0755)`, with Go's error texts.
#[cfg(not(target_arch = "wasm32"))]
fn mkdir_all(dir: &str) -> Result<(), String> {
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => return Ok(()),
        Ok(_) => {
            let e = std::io::Error::from_raw_os_error(20);
            return Err(path_error("mkdir", dir, &e));
        }
        Err(_) => {}
    }
    let trimmed = dir.trim_end_matches('/');
    if let Some(i) = trimmed.rfind('/') {
        let parent = trimmed[..i].trim_end_matches('/');
        if !parent.is_empty() {
            mkdir_all(parent)?;
        }
    }
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o755);
    }
    match builder.create(dir) {
        Ok(()) => Ok(()),
        Err(_) if std::fs::metadata(dir).is_ok_and(|m| m.is_dir()) => Ok(()),
        Err(e) => Err(path_error("mkdir", dir, &e)),
    }
}

/// Performs `writes` in order, printing `wrote <path>` to `out` after each,
/// as `helm template --output-dir` does. Stops at the first failure with
/// Go's message (`open out/x: permission denied`).
#[cfg(not(target_arch = "wasm32"))]
pub fn write_output_dir(writes: &[FileWrite], out: &mut dyn std::io::Write) -> Result<(), String> {
    use std::io::Write as _;

    for w in writes {
        let dir = go_dir(&w.path);
        if let Err(e) = std::fs::metadata(&dir) {
            if e.kind() != std::io::ErrorKind::NotFound {
                return Err(path_error("stat", &dir, &e));
            }
        }
        mkdir_all(&dir)?;
        let append = match w.mode {
            WriteMode::Create => false,
            WriteMode::Append => true,
            WriteMode::AppendIfExists => std::path::Path::new(&w.path).exists(),
        };
        let mut options = std::fs::OpenOptions::new();
        if append {
            options.append(true);
        } else {
            options.write(true).create(true).truncate(true);
        }
        let mut file = options
            .open(&w.path)
            .map_err(|e| path_error("open", &w.path, &e))?;
        file.write_all(w.text.as_bytes())
            .map_err(|e| path_error("write", &w.path, &e))?;
        writeln!(out, "wrote {}", w.path).map_err(|e| e.to_string())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_paths() {
        assert_eq!(
            source_block("c/t/a.yaml", "a: 1"),
            "---\n# Source: c/t/a.yaml\na: 1\n"
        );
        let w = FileWrite::new("out/", "c/t/a.yaml", "a: 1", WriteMode::Create);
        assert_eq!(w.path, "out//c/t/a.yaml");
        assert_eq!(join_dir("out/", "rel"), "out/rel");
        assert_eq!(join_dir("./out", "../rel"), "rel");
    }

    #[test]
    fn blocks_append_to_a_stream_at_their_announced_length() {
        let mut stream = String::from("head\n");
        let blocks = [
            ("c/t/a.yaml", "a: 1"),
            ("c/crds/é.yaml", ""),
            ("x", "k: |\n  v\n"),
        ];
        for (name, content) in blocks {
            let before = stream.len();
            push_source_block(&mut stream, name, content);
            assert_eq!(&stream[before..], source_block(name, content));
            assert_eq!(stream.len() - before, source_block_len(name, content));
        }
        assert_eq!(
            stream,
            "head\n---\n# Source: c/t/a.yaml\na: 1\n---\n# Source: c/crds/é.yaml\n\n\
             ---\n# Source: x\nk: |\n  v\n\n"
        );
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn dirs_like_go() {
        assert_eq!(go_dir("out//c/t/a.yaml"), "out/c/t");
        assert_eq!(go_dir("a.yaml"), ".");
        assert_eq!(go_dir("/a"), "/");
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn files_are_created_then_appended() {
        let dir = std::env::temp_dir().join(format!("chartroom-action-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let base = dir.to_string_lossy().into_owned();
        let writes = vec![
            FileWrite::new(&base, "c/templates/a.yaml", "a: 1", WriteMode::Create),
            FileWrite::new(&base, "c/templates/a.yaml", "a: 2", WriteMode::Append),
            FileWrite::new(
                &base,
                "c/templates/h.yaml",
                "h: 1",
                WriteMode::AppendIfExists,
            ),
            FileWrite::new(
                &base,
                "c/templates/h.yaml",
                "h: 2",
                WriteMode::AppendIfExists,
            ),
        ];
        let mut out = Vec::new();
        write_output_dir(&writes, &mut out).unwrap();
        let a = std::fs::read_to_string(dir.join("c/templates/a.yaml")).unwrap();
        assert_eq!(
            a,
            "---\n# Source: c/templates/a.yaml\na: 1\n---\n# Source: c/templates/a.yaml\na: 2\n"
        );
        let h = std::fs::read_to_string(dir.join("c/templates/h.yaml")).unwrap();
        assert!(h.ends_with("h: 1\n---\n# Source: c/templates/h.yaml\nh: 2\n"));
        let printed = String::from_utf8(out).unwrap();
        assert_eq!(printed.lines().count(), 4);
        assert_eq!(
            printed.lines().next().unwrap(),
            format!("wrote {base}/c/templates/a.yaml")
        );
        // A second run truncates manifests but appends hooks.
        write_output_dir(&writes[..1], &mut Vec::new()).unwrap();
        write_output_dir(&writes[2..3], &mut Vec::new()).unwrap();
        let a = std::fs::read_to_string(dir.join("c/templates/a.yaml")).unwrap();
        assert_eq!(a, "---\n# Source: c/templates/a.yaml\na: 1\n");
        let h = std::fs::read_to_string(dir.join("c/templates/h.yaml")).unwrap();
        assert_eq!(h.matches("h: 1").count(), 2);
        // A file where a directory should be is an error.
        let bad = FileWrite::new(&base, "c/templates/a.yaml/x", "x", WriteMode::Create);
        let err = write_output_dir(&[bad], &mut Vec::new()).unwrap_err();
        assert!(err.starts_with("mkdir "), "{err}");
        assert!(err.ends_with(": not a directory"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
