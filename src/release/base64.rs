//! Go's `encoding/base64` with `StdEncoding`, as Helm's storage driver and
//! `encoding/json` (for `[]byte`) use it: padded output; on input, padding
//! required, `\r` and `\n` skipped, and Go's `CorruptInputError` texts.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Go's `base64.StdEncoding.EncodeToString`.
pub fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(ALPHABET[(n >> 18) as usize & 63] as char);
        out.push(ALPHABET[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            ALPHABET[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            ALPHABET[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

fn sextet(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

fn corrupt(at: usize) -> String {
    format!("illegal base64 data at input byte {at}")
}

/// Go's `base64.StdEncoding.DecodeString`: padding required, `\r` and `\n`
/// skipped anywhere, non-zero trailing bits allowed (the encoding is not
/// strict); errors are Go's `CorruptInputError` texts.
pub fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    let src = text.as_bytes();
    let is_newline = |c: u8| c == b'\n' || c == b'\r';
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    loop {
        let mut quantum = [0u8; 4];
        let mut len = 0;
        let mut finished = false;
        while len < 4 {
            if si == src.len() {
                match len {
                    0 => return Ok(out),
                    _ => return Err(corrupt(si - len)),
                }
            }
            let c = src[si];
            si += 1;
            if let Some(v) = sextet(c) {
                quantum[len] = v;
                len += 1;
                continue;
            }
            if is_newline(c) {
                continue;
            }
            if c != b'=' || len < 2 {
                return Err(corrupt(si - 1));
            }
            // Padding: `xx==` or `xxx=`, then only newlines.
            if len == 2 {
                while si < src.len() && is_newline(src[si]) {
                    si += 1;
                }
                if si == src.len() {
                    return Err(corrupt(src.len()));
                }
                if src[si] != b'=' {
                    return Err(corrupt(si - 1));
                }
                si += 1;
            }
            while si < src.len() && is_newline(src[si]) {
                si += 1;
            }
            if si < src.len() {
                return Err(corrupt(si));
            }
            finished = true;
            break;
        }
        let n = (u32::from(quantum[0]) << 18)
            | (u32::from(quantum[1]) << 12)
            | (u32::from(quantum[2]) << 6)
            | u32::from(quantum[3]);
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..len - 1]);
        if finished {
            return Ok(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_and_pads() {
        assert_eq!(base64_encode(b""), "");
        assert_eq!(base64_encode(b"h"), "aA==");
        assert_eq!(base64_encode(b"hi"), "aGk=");
        assert_eq!(base64_encode(b"hi!"), "aGkh");
        for n in 0..40u8 {
            let data: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37) ^ 0xa5).collect();
            assert_eq!(base64_decode(&base64_encode(&data)).unwrap(), data);
        }
    }

    #[test]
    fn base64_decodes_like_go() {
        assert_eq!(base64_decode("aGk=\n").unwrap(), b"hi");
        assert_eq!(base64_decode("aG\r\nk=").unwrap(), b"hi");
        assert_eq!(base64_decode("aA=\n=").unwrap(), b"h");
        // Non-zero trailing bits are accepted (StdEncoding is not strict).
        assert_eq!(base64_decode("aB==").unwrap(), b"h");
        assert_eq!(
            base64_decode("aGk").unwrap_err(),
            "illegal base64 data at input byte 0"
        );
        assert_eq!(
            base64_decode("aGkhaA").unwrap_err(),
            "illegal base64 data at input byte 4"
        );
        assert_eq!(
            base64_decode("a===").unwrap_err(),
            "illegal base64 data at input byte 1"
        );
        assert_eq!(
            base64_decode("aA=").unwrap_err(),
            "illegal base64 data at input byte 3"
        );
        assert_eq!(
            base64_decode("aA=x").unwrap_err(),
            "illegal base64 data at input byte 2"
        );
        assert_eq!(
            base64_decode("aGk=aGk=").unwrap_err(),
            "illegal base64 data at input byte 4"
        );
        assert_eq!(
            base64_decode("aG-k").unwrap_err(),
            "illegal base64 data at input byte 2"
        );
    }
}
