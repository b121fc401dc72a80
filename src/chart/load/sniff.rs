//! Go's `net/http.DetectContentType` (the WHATWG sniffing table Go ships),
//! which Helm's `loader.Load` uses to explain why a file is not a chart
//! archive.

/// How many bytes Go looks at.
pub const SNIFF_LEN: usize = 512;

enum Sig {
    /// A case-insensitive HTML tag after leading white space, followed by a
    /// space or `>`.
    Html(&'static [u8]),
    /// `data & mask == pattern`, optionally after leading white space.
    Masked {
        mask: &'static [u8],
        pattern: &'static [u8],
        skip_ws: bool,
        ct: &'static str,
    },
    Exact(&'static [u8], &'static str),
    Mp4,
    Text,
}

const HTML: &str = "text/html; charset=utf-8";

static SIGNATURES: &[Sig] = &[
    Sig::Html(b"<!DOCTYPE HTML"),
    Sig::Html(b"<HTML"),
    Sig::Html(b"<HEAD"),
    Sig::Html(b"<SCRIPT"),
    Sig::Html(b"<IFRAME"),
    Sig::Html(b"<H1"),
    Sig::Html(b"<DIV"),
    Sig::Html(b"<FONT"),
    Sig::Html(b"<TABLE"),
    Sig::Html(b"<A"),
    Sig::Html(b"<STYLE"),
    Sig::Html(b"<TITLE"),
    Sig::Html(b"<B"),
    Sig::Html(b"<BODY"),
    Sig::Html(b"<BR"),
    Sig::Html(b"<P"),
    Sig::Html(b"<!--"),
    Sig::Masked {
        mask: b"\xFF\xFF\xFF\xFF\xFF",
        pattern: b"<?xml",
        skip_ws: true,
        ct: "text/xml; charset=utf-8",
    },
    Sig::Exact(b"%PDF-", "application/pdf"),
    Sig::Exact(b"%!PS-Adobe-", "application/postscript"),
    Sig::Masked {
        mask: b"\xFF\xFF\x00\x00",
        pattern: b"\xFE\xFF\x00\x00",
        skip_ws: false,
        ct: "text/plain; charset=utf-16be",
    },
    Sig::Masked {
        mask: b"\xFF\xFF\x00\x00",
        pattern: b"\xFF\xFE\x00\x00",
        skip_ws: false,
        ct: "text/plain; charset=utf-16le",
    },
    Sig::Masked {
        mask: b"\xFF\xFF\xFF\x00",
        pattern: b"\xEF\xBB\xBF\x00",
        skip_ws: false,
        ct: "text/plain; charset=utf-8",
    },
    Sig::Exact(b"\x00\x00\x01\x00", "image/x-icon"),
    Sig::Exact(b"\x00\x00\x02\x00", "image/x-icon"),
    Sig::Exact(b"BM", "image/bmp"),
    Sig::Exact(b"GIF87a", "image/gif"),
    Sig::Exact(b"GIF89a", "image/gif"),
    Sig::Masked {
        mask: b"\xFF\xFF\xFF\xFF\x00\x00\x00\x00\xFF\xFF\xFF\xFF\xFF\xFF",
        pattern: b"RIFF\x00\x00\x00\x00WEBPVP",
        skip_ws: false,
        ct: "image/webp",
    },
    Sig::Exact(b"\x89PNG\x0D\x0A\x1A\x0A", "image/png"),
    Sig::Exact(b"\xFF\xD8\xFF", "image/jpeg"),
    Sig::Masked {
        mask: b"\xFF\xFF\xFF\xFF\x00\x00\x00\x00\xFF\xFF\xFF\xFF",
        pattern: b"FORM\x00\x00\x00\x00AIFF",
        skip_ws: false,
        ct: "audio/aiff",
    },
    Sig::Masked {
        mask: b"\xFF\xFF\xFF",
        pattern: b"ID3",
        skip_ws: false,
        ct: "audio/mpeg",
    },
    Sig::Masked {
        mask: b"\xFF\xFF\xFF\xFF\xFF",
        pattern: b"OggS\x00",
        skip_ws: false,
        ct: "application/ogg",
    },
    Sig::Masked {
        mask: b"\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF",
        pattern: b"MThd\x00\x00\x00\x06",
        skip_ws: false,
        ct: "audio/midi",
    },
    Sig::Masked {
        mask: b"\xFF\xFF\xFF\xFF\x00\x00\x00\x00\xFF\xFF\xFF\xFF",
        pattern: b"RIFF\x00\x00\x00\x00AVI ",
        skip_ws: false,
        ct: "video/avi",
    },
    Sig::Masked {
        mask: b"\xFF\xFF\xFF\xFF\x00\x00\x00\x00\xFF\xFF\xFF\xFF",
        pattern: b"RIFF\x00\x00\x00\x00WAVE",
        skip_ws: false,
        ct: "audio/wave",
    },
    Sig::Mp4,
    Sig::Exact(b"\x1A\x45\xDF\xA3", "video/webm"),
    Sig::Masked {
        mask: &FONT_OBJECT_MASK,
        pattern: &FONT_OBJECT_PATTERN,
        skip_ws: false,
        ct: "application/vnd.ms-fontobject",
    },
    Sig::Exact(b"\x00\x01\x00\x00", "font/ttf"),
    Sig::Exact(b"OTTO", "font/otf"),
    Sig::Exact(b"ttcf", "font/collection"),
    Sig::Exact(b"wOFF", "font/woff"),
    Sig::Exact(b"wOF2", "font/woff2"),
    Sig::Exact(b"\x1F\x8B\x08", "application/x-gzip"),
    Sig::Exact(b"PK\x03\x04", "application/zip"),
    Sig::Exact(b"Rar!\x1A\x07\x00", "application/x-rar-compressed"),
    Sig::Exact(b"Rar!\x1A\x07\x01\x00", "application/x-rar-compressed"),
    Sig::Exact(b"\x00\x61\x73\x6D", "application/wasm"),
    Sig::Text,
];

/// 34 ignored bytes, then `LP` (an Embedded OpenType font).
const FONT_OBJECT_MASK: [u8; 36] = {
    let mut m = [0u8; 36];
    m[34] = 0xFF;
    m[35] = 0xFF;
    m
};
const FONT_OBJECT_PATTERN: [u8; 36] = {
    let mut p = [0u8; 36];
    p[34] = b'L';
    p[35] = b'P';
    p
};

fn is_ws(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

impl Sig {
    fn matches(&self, data: &[u8], first_non_ws: usize) -> Option<&'static str> {
        match self {
            Sig::Html(tag) => {
                let d = &data[first_non_ws..];
                if d.len() < tag.len() + 1 {
                    return None;
                }
                for (i, &b) in tag.iter().enumerate() {
                    let mut db = d[i];
                    if b.is_ascii_uppercase() {
                        db &= 0xDF;
                    }
                    if b != db {
                        return None;
                    }
                }
                matches!(d[tag.len()], b' ' | b'>').then_some(HTML)
            }
            Sig::Masked {
                mask,
                pattern,
                skip_ws,
                ct,
            } => {
                let d = if *skip_ws {
                    &data[first_non_ws..]
                } else {
                    data
                };
                if d.len() < pattern.len() {
                    return None;
                }
                pattern
                    .iter()
                    .zip(mask.iter())
                    .zip(d)
                    .all(|((&p, &m), &b)| b & m == p)
                    .then_some(*ct)
            }
            Sig::Exact(sig, ct) => data.starts_with(sig).then_some(*ct),
            Sig::Mp4 => mp4(data).then_some("video/mp4"),
            Sig::Text => data[first_non_ws..]
                .iter()
                .all(|&b| !matches!(b, 0x00..=0x08 | 0x0B | 0x0E..=0x1A | 0x1C..=0x1F))
                .then_some("text/plain; charset=utf-8"),
        }
    }
}

fn mp4(data: &[u8]) -> bool {
    if data.len() < 12 {
        return false;
    }
    let box_size = u32::from_be_bytes([data[0], data[1], data[2], data[3]]) as usize;
    if data.len() < box_size || box_size % 4 != 0 {
        return false;
    }
    if &data[4..8] != b"ftyp" {
        return false;
    }
    let mut st = 8;
    while st < box_size {
        if st != 12 && data.get(st..st + 3) == Some(b"mp4".as_slice()) {
            return true;
        }
        st += 4;
    }
    false
}

/// Go's `http.DetectContentType`: the MIME type of the first 512 bytes of
/// `data`, `application/octet-stream` when nothing else fits.
pub fn detect_content_type(data: &[u8]) -> &'static str {
    let data = &data[..data.len().min(SNIFF_LEN)];
    let first_non_ws = data.iter().position(|&b| !is_ws(b)).unwrap_or(data.len());
    SIGNATURES
        .iter()
        .find_map(|sig| sig.matches(data, first_non_ws))
        .unwrap_or("application/octet-stream")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_common_types() {
        assert_eq!(detect_content_type(b""), "text/plain; charset=utf-8");
        assert_eq!(detect_content_type(b"a: 1\n"), "text/plain; charset=utf-8");
        assert_eq!(detect_content_type(&[0u8; 512]), "application/octet-stream");
        assert_eq!(
            detect_content_type(b"\x1F\x8B\x08\x00"),
            "application/x-gzip"
        );
        assert_eq!(
            detect_content_type(b"  <html><body>"),
            "text/html; charset=utf-8"
        );
        assert_eq!(
            detect_content_type(b"<?xml version"),
            "text/xml; charset=utf-8"
        );
        assert_eq!(detect_content_type(b"PK\x03\x04rest"), "application/zip");
        assert_eq!(detect_content_type(b"\x89PNG\x0D\x0A\x1A\x0A"), "image/png");
        assert_eq!(detect_content_type(b"%PDF-1.4"), "application/pdf");
        assert_eq!(
            detect_content_type(b"\xEF\xBB\xBFhi"),
            "text/plain; charset=utf-8"
        );
        assert_eq!(
            detect_content_type(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"),
            "video/mp4"
        );
    }
}
