//! Byte encodings as Go's standard library implements them: standard
//! base64 (`encoding/base64.StdEncoding`, with its error offsets and its
//! habit of skipping `\r` and `\n`), lower-case hex, and PEM blocks
//! (`encoding/pem`'s `Encode` and its lenient `Decode`).

const STD_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// `base64.StdEncoding.EncodeToString`.
pub fn base64_encode(data: &[u8]) -> String {
    encode_base64_with(data, STD_ALPHABET, true)
}

/// Base64 with any 64-character alphabet, padded or not.
pub fn encode_base64_with(data: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        let chars = chunk.len() + 1;
        for i in 0..4 {
            if i < chars {
                out.push(alphabet[(n >> (18 - 6 * i) & 0x3f) as usize] as char);
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

fn std_value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// A failed base64 decoding: Go's `CorruptInputError` offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CorruptInput(pub usize);

impl std::fmt::Display for CorruptInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "illegal base64 data at input byte {}", self.0)
    }
}

/// `base64.StdEncoding.DecodedLen(n)`: the capacity Go allocates.
pub fn std_decoded_len(n: usize) -> usize {
    n / 4 * 3
}

/// `base64.StdEncoding.DecodeString`: `\r` and `\n` are skipped, padding
/// is required, trailing garbage after padding is an error.
pub fn base64_decode(src: &[u8]) -> Result<Vec<u8>, CorruptInput> {
    let mut out = Vec::with_capacity(std_decoded_len(src.len()));
    let mut si = 0;
    while si < src.len() {
        si = decode_quantum(src, si, &mut out)?;
    }
    Ok(out)
}

/// Go's `decodeQuantum`: decodes up to four symbols starting at `si` and
/// returns the new position.
fn decode_quantum(src: &[u8], mut si: usize, out: &mut Vec<u8>) -> Result<usize, CorruptInput> {
    let mut buf = [0u8; 4];
    let mut len = 4;
    let mut j = 0;
    let mut trailing_error = None;
    while j < 4 {
        if si == src.len() {
            if j == 0 {
                return Ok(si);
            }
            // Padding is required for the standard encoding.
            return Err(CorruptInput(si - j));
        }
        let c = src[si];
        si += 1;
        if let Some(v) = std_value(c) {
            buf[j] = v;
            j += 1;
            continue;
        }
        if c == b'\n' || c == b'\r' {
            continue;
        }
        if c != b'=' {
            return Err(CorruptInput(si - 1));
        }
        // Padding: valid only after two or three symbols.
        match j {
            0 | 1 => return Err(CorruptInput(si - 1)),
            2 => {
                while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                    si += 1;
                }
                if si == src.len() {
                    return Err(CorruptInput(src.len()));
                }
                if src[si] != b'=' {
                    return Err(CorruptInput(si - 1));
                }
                si += 1;
            }
            _ => {}
        }
        while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
            si += 1;
        }
        if si < src.len() {
            trailing_error = Some(CorruptInput(si));
        }
        len = j;
        break;
    }
    let v = (buf[0] as u32) << 18 | (buf[1] as u32) << 12 | (buf[2] as u32) << 6 | buf[3] as u32;
    let bytes = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
    if let Some(e) = trailing_error {
        return Err(e);
    }
    out.extend_from_slice(&bytes[..len - 1]);
    Ok(si)
}

/// `hex.EncodeToString`.
pub fn hex_encode(data: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(data.len() * 2);
    for b in data {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

/// `pem.EncodeToMemory` of a block without headers.
pub fn pem_encode(kind: &str, der: &[u8]) -> String {
    let b64 = base64_encode(der);
    let mut out = String::with_capacity(b64.len() + b64.len() / 64 + 2 * kind.len() + 40);
    out.push_str("-----BEGIN ");
    out.push_str(kind);
    out.push_str("-----\n");
    for line in b64.as_bytes().chunks(64) {
        // The alphabet is ASCII, so every chunk is valid UTF-8.
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str("-----END ");
    out.push_str(kind);
    out.push_str("-----\n");
    out
}

/// A decoded PEM block (headers are parsed but not kept: Sprig ignores them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PemBlock {
    pub kind: String,
    pub bytes: Vec<u8>,
}

/// Go's `getLine`: the line without its `\n` or `\r\n` and trailing spaces
/// and tabs, the rest, and how many bytes were consumed.
fn get_line(data: &[u8]) -> (&[u8], &[u8], usize) {
    let (mut i, j) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (i, i + 1),
        None => (data.len(), data.len()),
    };
    if j > i && i > 0 && data[i - 1] == b'\r' {
        i -= 1;
    }
    let mut line = &data[..i];
    while let Some((&last, init)) = line.split_last() {
        if last == b' ' || last == b'\t' {
            line = init;
        } else {
            break;
        }
    }
    (line, &data[j..], j)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// `pem.Decode`: the first well-formed PEM block in `data`, if any.
pub fn pem_decode(data: &[u8]) -> Option<PemBlock> {
    const START: &[u8] = b"-----BEGIN ";
    const END: &[u8] = b"\n-----END ";
    const DASHES: &[u8] = b"-----";

    let mut rest = data;
    let mut end_trailer_index: isize = 0;
    loop {
        if end_trailer_index < 0 || end_trailer_index as usize > rest.len() {
            return None;
        }
        rest = &rest[end_trailer_index as usize..];
        let end_index = find(rest, END)?;
        end_trailer_index = (end_index + END.len()) as isize;
        let begin = match rfind(&rest[..end_index], START) {
            Some(b) if b == 0 || rest[b - 1] == b'\n' => b,
            _ => continue,
        };
        rest = &rest[begin + START.len()..];
        let mut end_index = end_index as isize - (begin + START.len()) as isize;
        end_trailer_index -= (begin + START.len()) as isize;

        let (type_line, after, consumed) = get_line(rest);
        rest = after;
        end_index -= consumed as isize;
        end_trailer_index -= consumed as isize;
        let Some(kind) = type_line.strip_suffix(DASHES) else {
            continue;
        };

        let mut headers = 0;
        loop {
            if rest.is_empty() {
                return None;
            }
            let (line, next, consumed) = get_line(rest);
            if !line.contains(&b':') {
                break;
            }
            headers += 1;
            rest = next;
            end_index -= consumed as isize;
            end_trailer_index -= consumed as isize;
        }
        if headers > 0 && end_index < 0 {
            continue;
        }

        if end_trailer_index < 0 || end_trailer_index as usize > rest.len() {
            // Go would slice out of range here only in impossible cases;
            // treat it as "no block".
            return None;
        }
        let end_trailer = &rest[end_trailer_index as usize..];
        let trailer_len = kind.len() + DASHES.len();
        if end_trailer.len() < trailer_len {
            continue;
        }
        let (trailer, rest_of_end_line) = end_trailer.split_at(trailer_len);
        if !trailer.starts_with(kind) || !trailer.ends_with(DASHES) {
            continue;
        }
        if !get_line(rest_of_end_line).0.is_empty() {
            continue;
        }

        let mut bytes = Vec::new();
        if end_index > 0 {
            let b64: Vec<u8> = rest[..end_index as usize]
                .iter()
                .copied()
                .filter(|&b| b != b' ' && b != b'\t')
                .collect();
            match base64_decode(&b64) {
                Ok(b) => bytes = b,
                Err(_) => continue,
            }
        }
        return Some(PemBlock {
            kind: String::from_utf8_lossy(kind).into_owned(),
            bytes,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_go() {
        assert_eq!(base64_encode(b""), "");
        assert_eq!(base64_encode(b"f"), "Zg==");
        assert_eq!(base64_encode(b"fo"), "Zm8=");
        assert_eq!(base64_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64_decode(b"Zm9v\r\nYmFy").unwrap(), b"foobar");
        assert_eq!(base64_decode(b"Zg==").unwrap(), b"f");
        assert_eq!(base64_decode(b"Zm8=\n").unwrap(), b"fo");
        assert_eq!(base64_decode(b"Zg").unwrap_err(), CorruptInput(0));
        assert_eq!(base64_decode(b"Zm9v!").unwrap_err(), CorruptInput(4));
        assert_eq!(base64_decode(b"Zg==Zg==").unwrap_err(), CorruptInput(4));
        assert_eq!(base64_decode(b"Z===").unwrap_err(), CorruptInput(1));
        assert_eq!(base64_decode(b"Zg=").unwrap_err(), CorruptInput(3));
        assert_eq!(base64_decode(b"Zg=x").unwrap_err(), CorruptInput(2));
        assert_eq!(
            CorruptInput(3).to_string(),
            "illegal base64 data at input byte 3"
        );
    }

    #[test]
    fn pem_round_trip_and_leniency() {
        let der: Vec<u8> = (0..100u8).collect();
        let pem = pem_encode("TEST THING", &der);
        assert!(pem.starts_with("-----BEGIN TEST THING-----\n"));
        assert!(pem.ends_with("\n-----END TEST THING-----\n"));
        assert_eq!(pem.lines().nth(1).unwrap().len(), 64);
        let block = pem_decode(format!("junk\n{pem}more").as_bytes()).unwrap();
        assert_eq!(block.kind, "TEST THING");
        assert_eq!(block.bytes, der);

        // Headers, CRLF line ends and trailing spaces are accepted.
        let with_headers =
            "-----BEGIN X-----\r\nProc-Type: 4,ENCRYPTED\r\n\r\nAAEC  \r\n-----END X-----  \r\n";
        assert_eq!(
            pem_decode(with_headers.as_bytes()).unwrap().bytes,
            [0, 1, 2]
        );
        // Mismatched trailer, bad base64, no block at all.
        assert!(pem_decode(b"-----BEGIN X-----\nAAEC\n-----END Y-----\n").is_none());
        assert!(pem_decode(b"-----BEGIN X-----\nA!EC\n-----END X-----\n").is_none());
        assert!(pem_decode(b"hello").is_none());
        assert_eq!(
            pem_decode(b"-----BEGIN EMPTY-----\n-----END EMPTY-----\n")
                .unwrap()
                .bytes,
            Vec::<u8>::new()
        );
    }
}
