//! Loading from the file system (native only), mirroring Helm v3.21.4's
//! `LoadDir` (`pkg/chart/loader/directory.go`, walking with
//! `internal/sympath`) and `loader.Load` / `LoadFile` (`archive.go`).
//!
//! The walk visits names in bytewise order, follows symbolic links (with
//! Helm's warning), skips what `.helmignore` ignores (an ignored directory
//! with everything below it), refuses irregular files and files over
//! 5 MiB, and drops a UTF-8 byte order mark from each file. Error texts
//! follow Go's (`open /x: permission denied`).
//!
//! [`read_path_mapped`] (feature `cli`) maps a directory's large files
//! instead of reading them ([`SharedBytes::map_file`]).

use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use super::super::archive::{load_archive_files, Limits, MAX_DECOMPRESSED_FILE_SIZE};
use super::super::ignore::{Rules, HELM_IGNORE};
use super::super::{Chart, File, FileData};
use super::sniff::{detect_content_type, SNIFF_LEN};
use super::{load_files_with_warnings, strip_bom};
#[cfg(feature = "cli")]
use crate::shared_bytes::SharedBytes;
use crate::template::strconv::quote;

/// Helm's `loader.Load`: a chart directory or a chart archive.
pub fn load_path(path: &Path) -> Result<Chart, String> {
    load_path_with_warnings(path, &mut Vec::new())
}

/// [`load_path`], collecting the warnings Helm logs.
pub fn load_path_with_warnings(path: &Path, warnings: &mut Vec<String>) -> Result<Chart, String> {
    let files = read_path(path, warnings)?;
    load_files_with_warnings(files, warnings)
}

/// The first half of [`load_path`]: the files of the chart directory or
/// chart archive at `path`, read (a directory walked, an archive unpacked
/// at its top level) but not yet loaded, for [`load_files_with_warnings`].
/// A caller can start work on them (parsing templates ahead, say) before
/// the load parses their YAML.
pub fn read_path(path: &Path, warnings: &mut Vec<String>) -> Result<Vec<File>, String> {
    read_path_as(path, Reading::Whole, warnings)
}

/// [`read_path`] for a process that reads the chart once and exits (the
/// `chartroom` command): a directory's files of [`MAP_FROM`] bytes or more
/// are mapped rather than read, so a file no template asks for is never
/// touched (see [`SharedBytes::map_file`] for what the process promises).
#[cfg(feature = "cli")]
pub fn read_path_mapped(path: &Path, warnings: &mut Vec<String>) -> Result<Vec<File>, String> {
    read_path_as(path, Reading::MapLarge, warnings)
}

/// The size from which [`read_path_mapped`] maps a file: below it, one
/// read costs less than a mapping and its page fault. 16 KiB: 11 of the
/// 66 files traefik's chart loads are this large, 1.26 MB of its 1.52:
/// CRDs, its values and schema, and a 600 KB changelog no template reads.
#[cfg(feature = "cli")]
pub const MAP_FROM: u64 = 16 << 10;

/// How the walk gets a file's bytes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Read into memory.
    Whole,
    /// Mapped from [`MAP_FROM`] bytes up, read below.
    #[cfg(feature = "cli")]
    MapLarge,
}

fn read_path_as(
    path: &Path,
    reading: Reading,
    warnings: &mut Vec<String>,
) -> Result<Vec<File>, String> {
    let shown = path.to_string_lossy();
    let meta = fs::metadata(path).map_err(|e| go_path_error("stat", &shown, &e))?;
    if meta.is_dir() {
        return read_dir(path, reading, warnings);
    }
    let mut file = fs::File::open(path).map_err(|e| go_path_error("open", &shown, &e))?;
    let mut head = Vec::with_capacity(SNIFF_LEN);
    if let Err(e) = (&mut file).take(SNIFF_LEN as u64).read_to_end(&mut head) {
        return Err(format!(
            "file '{shown}' cannot be read: {}",
            go_path_error("read", &shown, &e)
        ));
    }
    // Go sniffs its whole 512-byte buffer, zeros past the end of a short file.
    head.resize(SNIFF_LEN, 0);
    let content_type = detect_content_type(&head);
    if content_type != "application/x-gzip" && !head.starts_with(b"\x1F\x8B\x08") {
        if shown.ends_with(".yml") || shown.ends_with(".yaml") {
            return Err(format!(
                "file '{shown}' seems to be a YAML file, but expected a gzipped archive"
            ));
        }
        return Err(format!(
            "file '{shown}' does not appear to be a gzipped archive; got '{content_type}'"
        ));
    }
    let data = fs::read(path).map_err(|e| go_path_error("read", &shown, &e))?;
    load_archive_files(&data, Limits::default()).map_err(|e| {
        if e == "gzip: invalid header" {
            format!("file '{shown}' does not appear to be a valid chart file (details: {e})")
        } else {
            e
        }
    })
}

/// Helm's `LoadDir`: the chart in directory `dir`.
pub fn load_dir(dir: &Path) -> Result<Chart, String> {
    load_dir_with_warnings(dir, &mut Vec::new())
}

/// [`load_dir`], collecting the warnings Helm logs.
pub fn load_dir_with_warnings(dir: &Path, warnings: &mut Vec<String>) -> Result<Chart, String> {
    let files = read_dir(dir, Reading::Whole, warnings)?;
    load_files_with_warnings(files, warnings)
}

/// The files [`load_dir`] loads: `dir` walked as Helm walks it.
fn read_dir(dir: &Path, reading: Reading, warnings: &mut Vec<String>) -> Result<Vec<File>, String> {
    let top = absolute(dir).map_err(|e| go_io_text(&e))?;
    let ignore_file = top.join(HELM_IGNORE);
    let mut rules = if fs::metadata(&ignore_file).is_ok() {
        let data = fs::read(&ignore_file)
            .map_err(|e| go_path_error("read", &ignore_file.to_string_lossy(), &e))?;
        Rules::parse(&data)?
    } else {
        Rules::empty()
    };
    rules.add_defaults();

    let mut walker = Walker {
        top: format!("{}/", top.to_string_lossy().trim_end_matches('/')),
        rules,
        reading,
        files: Vec::new(),
        warnings,
    };
    let root = walker.top.clone();
    // Go's Lstat of "dir/" follows a link; a missing or non-directory root
    // is only seen as an empty chart.
    if let Ok(info) = fs::metadata(&root) {
        let info = Info::from_meta(&info, false, None);
        walker.visit(&root, info)?;
    }
    Ok(walker.files)
}

/// What the walk knows of a path (Go's `os.FileInfo`).
#[derive(Clone, Copy)]
struct Info<'a> {
    is_dir: bool,
    is_symlink: bool,
    is_file: bool,
    size: u64,
    /// The base name Go's `FileInfo.Name()` reports, when it differs from
    /// the walked path (a link's target).
    name: Option<&'a str>,
}

impl<'a> Info<'a> {
    fn from_meta(m: &fs::Metadata, is_symlink: bool, name: Option<&'a str>) -> Info<'a> {
        Info {
            is_dir: m.is_dir(),
            is_symlink,
            is_file: m.is_file(),
            size: m.len(),
            name,
        }
    }
}

/// The outcome of visiting a path: go on, or skip the directory.
enum Step {
    Continue,
    SkipDir,
}

struct Walker<'w> {
    /// The absolute chart directory with a trailing `/`.
    top: String,
    rules: Rules,
    reading: Reading,
    files: Vec<File>,
    warnings: &'w mut Vec<String>,
}

impl Walker<'_> {
    /// `sympath.symwalk`.
    fn visit(&mut self, path: &str, info: Info) -> Result<Step, String> {
        if info.is_symlink {
            let resolved = fs::canonicalize(path).map_err(|e| {
                format!("error evaluating symlink {path}: {}", eval_error(path, &e))
            })?;
            let resolved_text = resolved.to_string_lossy().into_owned();
            self.warnings.push(crate::helm_log::SYMLINK.line(format_args!(
                "found symbolic link in path: {path} resolves to {resolved_text}. Contents of linked file included and used"
            )));
            let meta = fs::symlink_metadata(&resolved)
                .map_err(|e| go_path_error("lstat", &resolved_text, &e))?;
            let name = resolved_text
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string();
            let target = Info::from_meta(&meta, false, Some(&name));
            self.visit(path, target)?;
            return Ok(Step::Continue);
        }
        if let Step::SkipDir = self.visit_one(path, info)? {
            return Ok(Step::SkipDir);
        }
        if !info.is_dir {
            return Ok(Step::Continue);
        }
        let mut names = match list_dir(path) {
            Ok(names) => names,
            // Helm's walk function passes errors on, except at the top.
            Err(_) if path == self.top => return Ok(Step::Continue),
            Err(e) => return Err(go_path_error("open", path, &e)),
        };
        names.sort();
        for name in names {
            let child = format!("{}/{}", path.trim_end_matches('/'), name);
            let meta =
                fs::symlink_metadata(&child).map_err(|e| go_path_error("lstat", &child, &e))?;
            let child_info = Info::from_meta(&meta, meta.file_type().is_symlink(), None);
            // A skipped directory only ends its own walk.
            self.visit(&child, child_info)?;
        }
        Ok(Step::Continue)
    }

    /// Helm's walk function for one path.
    fn visit_one(&mut self, path: &str, info: Info) -> Result<Step, String> {
        let rel = path.strip_prefix(self.top.as_str()).unwrap_or(path);
        if rel.is_empty() {
            return Ok(Step::Continue);
        }
        if info.is_dir {
            return Ok(if self.rules.ignore(rel, true) {
                Step::SkipDir
            } else {
                Step::Continue
            });
        }
        if self.rules.ignore(rel, false) {
            return Ok(Step::Continue);
        }
        if !info.is_file {
            return Err(format!(
                "cannot load irregular file {path} as it has file mode type bits set"
            ));
        }
        if info.size > MAX_DECOMPRESSED_FILE_SIZE {
            let base = info
                .name
                .unwrap_or_else(|| path.rsplit('/').next().unwrap_or(path));
            return Err(format!(
                "chart file {} is larger than the maximum file size {}",
                quote(base),
                MAX_DECOMPRESSED_FILE_SIZE
            ));
        }
        let data = read_file(path, info.size, self.reading)
            .map_err(|e| format!("error reading {rel}: {}", go_path_error("open", path, &e)))?;
        self.files.push(File {
            name: rel.to_string(),
            data: strip_bom(data),
        });
        Ok(Step::Continue)
    }
}

/// The contents of the file at `path`, whose size the walk's `lstat` just
/// gave: `fs::read`, and `File::read_to_end` too, would ask for it again
/// (an `fstat` and an `lseek` per file, about a tenth of the kernel's time
/// for reading a chart's files). A file that changed size since is still
/// read whole. A large file is mapped where `reading` says so, at the size
/// the open file has (a mapping past its end would fault when read).
fn read_file(path: &str, size: u64, reading: Reading) -> std::io::Result<FileData> {
    let file = open_read_only(path)?;
    #[cfg(feature = "cli")]
    if reading == Reading::MapLarge && size >= MAP_FROM {
        let len = file.metadata()?.len();
        let len = usize::try_from(len).ok().filter(|_| len >= MAP_FROM);
        // SAFETY: `read_path_mapped`'s callers read the chart once and
        // exit, with the chart's files left as they are.
        if let Some(mapped) = len.and_then(|len| unsafe { SharedBytes::map_file(&file, len) }) {
            return Ok(mapped);
        }
    }
    #[cfg(not(feature = "cli"))]
    let _ = reading;
    read_rest(file, size).map(FileData::from)
}

/// The names in the directory at `path` (but `.` and `..`), as
/// `fs::read_dir` lists them (an entry it cannot read is left out), each
/// that is not UTF-8 made so (U+FFFD for each bad sequence).
#[cfg(not(all(feature = "cli", target_os = "linux")))]
fn list_dir(path: &str) -> std::io::Result<Vec<String>> {
    Ok(fs::read_dir(path)?
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect())
}

/// [`list_dir`] for the `chartroom` command on Linux, reading the entries
/// with `getdents64` itself: musl's `opendir` allocates its buffer with
/// musl's own `malloc`, which maps a fresh 8 KiB for it and unmaps it at
/// `closedir`, and each unmapping interrupts the other core (the template
/// parse helper, running) to flush its TLB: four times for traefik's chart.
#[cfg(all(feature = "cli", target_os = "linux"))]
fn list_dir(path: &str) -> std::io::Result<Vec<String>> {
    /// The fixed part of a `linux_dirent64` (inode, offset, record length,
    /// type) before its NUL-terminated name.
    const HEADER: usize = 19;
    let dir = open_with(path, libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC)?;
    let fd = std::os::fd::AsRawFd::as_raw_fd(&dir);
    let mut buffer = vec![0u8; 8192];
    let mut names = Vec::new();
    loop {
        // SAFETY: the kernel writes at most `buffer.len()` bytes into it.
        let filled =
            unsafe { libc::syscall(libc::SYS_getdents64, fd, buffer.as_mut_ptr(), buffer.len()) };
        // The end, or an error (`fs::read_dir` yields it as an entry, and
        // the walk leaves it out).
        let Ok(filled @ 1..) = usize::try_from(filled) else {
            break;
        };
        let mut records = &buffer[..filled.min(buffer.len())];
        while let Some(length) = records.get(16..18) {
            let length = usize::from(u16::from_ne_bytes([length[0], length[1]]));
            let Some(record) = records.get(..length).filter(|_| length > HEADER) else {
                break;
            };
            let name = &record[HEADER..];
            let name = &name[..name.iter().position(|&b| b == 0).unwrap_or(name.len())];
            if name != b"." && name != b".." {
                names.push(String::from_utf8_lossy(name).into_owned());
            }
            records = &records[length..];
        }
    }
    Ok(names)
}

/// `fs::File::open` for the `chartroom` command, with one system call
/// instead of two: musl's `open` follows each `O_CLOEXEC` open with an
/// `fcntl` setting the flag again (for kernels older than 2.6.23), which
/// its `openat` does not (traefik's chart: 66 of them).
#[cfg(feature = "cli")]
fn open_read_only(path: &str) -> std::io::Result<fs::File> {
    open_with(path, libc::O_RDONLY | libc::O_CLOEXEC).map(fs::File::from)
}

/// `openat` of `path` (from the working directory) with `flags`.
#[cfg(feature = "cli")]
fn open_with(path: &str, flags: libc::c_int) -> std::io::Result<std::os::fd::OwnedFd> {
    use std::os::fd::FromRawFd;
    let path = std::ffi::CString::new(path)?;
    // SAFETY: `path` is a NUL-terminated string that outlives the call.
    let fd = unsafe { libc::openat(libc::AT_FDCWD, path.as_ptr(), flags) };
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: `fd` was just opened, and nothing else owns it.
    Ok(unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) })
}

#[cfg(not(feature = "cli"))]
fn open_read_only(path: &str) -> std::io::Result<fs::File> {
    fs::File::open(path)
}

/// The rest of `file`, expected to be `size` bytes long.
fn read_rest(file: fs::File, size: u64) -> std::io::Result<Vec<u8>> {
    // One byte more than expected, so that the end is found without
    // growing the buffer.
    let expected = usize::try_from(size).unwrap_or(0).saturating_add(1);
    let mut data = Vec::with_capacity(expected);
    // `Take` reads to the end without asking the file for its size.
    file.take(u64::MAX).read_to_end(&mut data)?;
    Ok(data)
}

/// What Go's `filepath.EvalSymlinks` reports for a link it cannot resolve:
/// too many links, or the `lstat` of the (first) missing target.
fn eval_error(link: &str, e: &std::io::Error) -> String {
    const ELOOP: i32 = 40;
    if e.raw_os_error() == Some(ELOOP) {
        return "EvalSymlinks: too many links".to_string();
    }
    let target = match fs::read_link(link) {
        Ok(t) if t.is_absolute() => t,
        Ok(t) => Path::new(link).parent().unwrap_or(Path::new("/")).join(t),
        Err(_) => PathBuf::from(link),
    };
    let target = absolute(&target).unwrap_or(target);
    go_path_error("lstat", &target.to_string_lossy(), e)
}

/// Go's `filepath.Abs`: joined to the working directory and cleaned.
fn absolute(dir: &Path) -> std::io::Result<PathBuf> {
    let joined = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir()?.join(dir)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    Ok(out)
}

/// Go's `*PathError` text: `op path: reason`.
pub(super) fn go_path_error(op: &str, path: &str, e: &std::io::Error) -> String {
    format!("{op} {path}: {}", go_io_text(e))
}

/// Go's text for an OS error: the C library's message, lower-cased at the
/// start (`no such file or directory`).
fn go_io_text(e: &std::io::Error) -> String {
    let Some(code) = e.raw_os_error() else {
        return e.to_string();
    };
    let text = std::io::Error::from_raw_os_error(code).to_string();
    let text = match text.rfind(" (os error") {
        Some(i) => &text[..i],
        None => text.as_str(),
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn a_directory_lists_as_fs_read_dir_lists_it() {
        use std::os::unix::ffi::OsStrExt;
        let dir = std::env::temp_dir().join(format!("chartroom-list-dir-{}", std::process::id()));
        fs::create_dir_all(dir.join("sub")).unwrap();
        // Enough long names for several reads of the entries.
        for i in 0..300 {
            fs::write(dir.join(format!("{i:0>40}.yaml")), "").unwrap();
        }
        let odd = std::ffi::OsStr::from_bytes(b"not-utf8-\xff");
        fs::write(dir.join(odd), "").unwrap();
        let path = dir.to_str().unwrap();
        // As the walk takes them (names that are not UTF-8 made so).
        let lossy = |name: &[u8]| String::from_utf8_lossy(name).into_owned();
        let mut listed = list_dir(path).unwrap();
        let mut expected: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| lossy(e.unwrap().file_name().as_bytes()))
            .collect();
        listed.sort();
        expected.sort();
        assert_eq!(listed.len(), 302);
        assert_eq!(listed, expected);
        let missing = list_dir(&format!("{path}/missing")).unwrap_err();
        assert_eq!(missing.kind(), std::io::ErrorKind::NotFound);
        let not_a_dir = list_dir(&format!("{path}/{:0>40}.yaml", 7)).unwrap_err();
        assert_eq!(not_a_dir.raw_os_error(), Some(20), "ENOTDIR");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_is_read_whole_whatever_size_the_walk_saw() {
        let path =
            std::env::temp_dir().join(format!("chartroom-read-sized-{}", std::process::id()));
        let data: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        fs::write(&path, &data).unwrap();
        let shown = path.to_str().unwrap();
        for seen in [0, 1, 9_999, 10_000, 10_001, 1 << 20] {
            assert_eq!(
                *read_file(shown, seen, Reading::Whole).unwrap(),
                data,
                "size seen {seen}"
            );
        }
        fs::remove_file(&path).unwrap();
        let missing = read_file(shown, 3, Reading::Whole).unwrap_err();
        assert_eq!(missing.kind(), std::io::ErrorKind::NotFound);
    }

    /// Mapped or read, a directory gives the same files: large ones (a
    /// byte order mark dropped, one ignored by `.helmignore`) and small.
    #[cfg(feature = "cli")]
    #[test]
    fn mapped_large_files_read_as_read_ones() {
        let dir = std::env::temp_dir().join(format!("chartroom-mapped-{}", std::process::id()));
        let large = MAP_FROM as usize;
        let text = |n: usize| -> Vec<u8> { (0..n).map(|i| b'a' + (i % 26) as u8).collect() };
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend(text(large));
        fs::create_dir_all(dir.join("templates")).unwrap();
        fs::write(dir.join(".helmignore"), "NOTES.md\n").unwrap();
        fs::write(
            dir.join("Chart.yaml"),
            "apiVersion: v2\nname: m\nversion: 1.0.0\n",
        )
        .unwrap();
        fs::write(dir.join("CHANGES.md"), text(3 * large)).unwrap();
        fs::write(dir.join("NOTES.md"), text(large)).unwrap();
        fs::write(dir.join("templates/a.yaml"), &with_bom).unwrap();
        fs::write(dir.join("templates/b.yaml"), text(large - 1)).unwrap();
        let read = read_path(&dir, &mut Vec::new()).unwrap();
        let mapped = read_path_mapped(&dir, &mut Vec::new()).unwrap();
        fs::remove_dir_all(&dir).unwrap();
        let names: Vec<&str> = mapped.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                ".helmignore",
                "CHANGES.md",
                "Chart.yaml",
                "templates/a.yaml",
                "templates/b.yaml"
            ]
        );
        assert_eq!(mapped, read);
        assert_eq!(*mapped[1].data, text(3 * large));
        assert_eq!(*mapped[3].data, text(large));
        // Only CHANGES.md stays mapped: a.yaml lost its mark (a copy), and
        // the others are smaller than MAP_FROM.
        let kept_mapped: Vec<bool> = mapped.iter().map(|f| f.data.is_mapped()).collect();
        assert_eq!(kept_mapped, [false, true, false, false, false]);
    }
}
