//! Reading a chart archive (`.tgz`), mirroring Helm's
//! `pkg/chart/loader/archive.go`: the first path segment (the chart's
//! directory) is dropped, absolute paths, `..` and drive letters are
//! refused, and decompression stops at Helm's limits (100 MiB per chart,
//! 5 MiB per file) with Helm's messages, so a decompression bomb is refused
//! without being inflated.

use std::io::Read;

use super::File;

/// The most bytes a whole chart may decompress to (Helm's `MaxDecompressedChartSize`).
pub const MAX_DECOMPRESSED_CHART_SIZE: u64 = 100 * 1024 * 1024;
/// The most bytes one file may decompress to (Helm's `MaxDecompressedFileSize`).
pub const MAX_DECOMPRESSED_FILE_SIZE: u64 = 5 * 1024 * 1024;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Whether `data` starts like a gzip stream (what Helm checks before loading).
pub fn is_gzip(data: &[u8]) -> bool {
    data.starts_with(b"\x1F\x8B\x08")
}

/// Limits for reading an archive; [`Limits::default`] is Helm's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub max_chart_size: u64,
    pub max_file_size: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_chart_size: MAX_DECOMPRESSED_CHART_SIZE,
            max_file_size: MAX_DECOMPRESSED_FILE_SIZE,
        }
    }
}

/// Helm's `LoadArchiveFiles`: the files of a gzipped tar archive with paths
/// relative to the chart directory.
pub fn load_archive_files(data: &[u8], limits: Limits) -> Result<Vec<File>, String> {
    if !is_gzip(data) {
        return Err("gzip: invalid header".to_string());
    }
    let gz = flate2::read::GzDecoder::new(data);
    let mut archive = tar::Archive::new(gz);
    let entries = archive.entries().map_err(|e| archive_error(&e))?;
    let mut files = Vec::new();
    let mut remaining = limits.max_chart_size;
    for entry in entries {
        let mut entry = entry.map_err(|e| archive_error(&e))?;
        let header = entry.header();
        let kind = header.entry_type();
        if kind.is_dir() || kind.is_pax_global_extensions() || kind.is_pax_local_extensions() {
            continue;
        }
        if kind.is_gnu_longname() || kind.is_gnu_longlink() {
            continue;
        }
        let raw_name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let name = relative_name(&raw_name)?;
        let size = entry.size();
        if size > remaining {
            return Err(format!(
                "decompressed chart is larger than the maximum file size {}",
                limits.max_chart_size
            ));
        }
        if size > limits.max_file_size {
            return Err(format!(
                "decompressed chart file {} is larger than the maximum file size {}",
                crate::template::strconv::quote(&raw_name),
                limits.max_file_size
            ));
        }
        let mut buf = Vec::with_capacity(size as usize);
        let written = (&mut entry)
            .take(remaining)
            .read_to_end(&mut buf)
            .map_err(|e| archive_error(&e))? as u64;
        remaining -= written;
        if written < size || remaining == 0 {
            return Err(format!(
                "decompressed chart is larger than the maximum file size {}",
                limits.max_chart_size
            ));
        }
        let data = buf
            .strip_prefix(UTF8_BOM)
            .map(<[u8]>::to_vec)
            .unwrap_or(buf);
        files.push(File {
            name,
            data: data.into(),
        });
    }
    if files.is_empty() {
        return Err("no files in chart archive".to_string());
    }
    Ok(files)
}

fn archive_error(e: &std::io::Error) -> String {
    let text = e.to_string();
    if text.contains("invalid gzip header") || text.contains("corrupt deflate stream") {
        return "gzip: invalid header".to_string();
    }
    if text.contains("unexpected end of file") || e.kind() == std::io::ErrorKind::UnexpectedEof {
        return "unexpected EOF".to_string();
    }
    text
}

/// The path of an archive member below the chart's top directory, checked
/// as Helm checks it.
fn relative_name(raw: &str) -> Result<String, String> {
    let delimiter = if raw.contains('\\') { '\\' } else { '/' };
    let parts: Vec<&str> = raw.split(delimiter).collect();
    let rest = parts[1..].join("/");
    if rest.starts_with('/') {
        return Err("chart illegally contains absolute paths".to_string());
    }
    let cleaned = super::clean_path(&rest);
    if cleaned == "." {
        return Err(format!(
            "chart illegally contains content outside the base directory: {}",
            crate::template::strconv::quote(raw)
        ));
    }
    if cleaned.starts_with("..") {
        return Err("chart illegally references parent directory".to_string());
    }
    let b = cleaned.as_bytes();
    if b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/' {
        return Err("chart contains illegally named files".to_string());
    }
    if parts[0] == "Chart.yaml" {
        return Err("chart yaml not in base directory".to_string());
    }
    Ok(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tgz(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for (name, data) in entries {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_entry_type(tar::EntryType::Regular);
            // Write the raw name so that unsafe paths reach the reader.
            let bytes = name.as_bytes();
            header.as_old_mut().name[..bytes.len()].copy_from_slice(bytes);
            header.set_cksum();
            builder.append(&header, *data).unwrap();
        }
        let tar = builder.into_inner().unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &tar).unwrap();
        gz.finish().unwrap()
    }

    #[test]
    fn strips_the_top_directory() {
        let data = tgz(&[
            ("mychart/Chart.yaml", b"name: x\n"),
            ("mychart/templates/a.yaml", b"\xEF\xBB\xBFa: 1\n"),
        ]);
        let files = load_archive_files(&data, Limits::default()).unwrap();
        assert_eq!(files[0].name, "Chart.yaml");
        assert_eq!(files[1].name, "templates/a.yaml");
        assert_eq!(&*files[1].data, b"a: 1\n");
    }

    #[test]
    fn refuses_unsafe_paths() {
        let err = |entries: &[(&str, &[u8])]| {
            load_archive_files(&tgz(entries), Limits::default()).unwrap_err()
        };
        assert_eq!(
            err(&[("mychart/../../x", b"a")]),
            "chart illegally references parent directory"
        );
        assert_eq!(
            err(&[("Chart.yaml/x", b"a")]),
            "chart yaml not in base directory"
        );
        assert_eq!(
            err(&[("Chart.yaml", b"a")]),
            "chart illegally contains content outside the base directory: \"Chart.yaml\""
        );
        assert_eq!(
            err(&[("mychart//etc/passwd", b"a")]),
            "chart illegally contains absolute paths"
        );
        assert_eq!(
            err(&[("mychart/c:/x", b"a")]),
            "chart contains illegally named files"
        );
        assert_eq!(
            err(&[("mychart", b"a")]),
            "chart illegally contains content outside the base directory: \"mychart\""
        );
    }

    #[test]
    fn refuses_decompression_bombs() {
        let big = vec![0u8; 64 * 1024];
        let data = tgz(&[("c/a", &big), ("c/b", &big)]);
        let small = Limits {
            max_chart_size: 100 * 1024,
            max_file_size: 80 * 1024,
        };
        assert_eq!(
            load_archive_files(&data, small).unwrap_err(),
            "decompressed chart is larger than the maximum file size 102400"
        );
        let tiny_file = Limits {
            max_chart_size: 1 << 20,
            max_file_size: 1024,
        };
        assert_eq!(
            load_archive_files(&data, tiny_file).unwrap_err(),
            "decompressed chart file \"c/a\" is larger than the maximum file size 1024"
        );
    }

    #[test]
    fn refuses_corrupt_input() {
        assert_eq!(
            load_archive_files(b"not gzip", Limits::default()).unwrap_err(),
            "gzip: invalid header"
        );
        let mut data = tgz(&[("c/a", b"hello")]);
        data.truncate(data.len() / 2);
        assert!(load_archive_files(&data, Limits::default()).is_err());
    }
}
