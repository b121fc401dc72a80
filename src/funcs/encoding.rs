//! Sprig v3.3.0's `b64enc`, `b64dec`, `b32enc` and `b32dec`: Go's
//! `encoding/base64` and `encoding/base32` standard encodings (padded).
//!
//! Decoding follows Go's decoders exactly, including what they accept
//! (newlines anywhere, non-zero trailing bits) and the byte offset in
//! `illegal base64 data at input byte N`. Sprig returns that error text as
//! the function's result instead of failing. Decoded bytes that are not
//! UTF-8 make a [`Value::ByteString`], so `b64dec | b64enc` gives the bytes
//! back; encoding takes a string's bytes.

use crate::template::{Func, ParamType, Templates};
use crate::value::Value;

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const PAD: u8 = b'=';
const INVALID: u8 = 0xff;

/// The reverse of an alphabet: symbol value by byte, `INVALID` elsewhere.
fn decode_map(alphabet: &[u8]) -> [u8; 256] {
    let mut map = [INVALID; 256];
    for (i, &b) in alphabet.iter().enumerate() {
        map[b as usize] = i as u8;
    }
    map
}

/// Encodes `src` in groups of `bits_per_group` bits per symbol, padding
/// to a multiple of `quantum` symbols.
fn encode(src: &[u8], alphabet: &[u8], bits: u32, quantum: usize) -> String {
    let mut out = String::with_capacity(src.len() * 8 / bits as usize + quantum);
    let mut acc: u32 = 0;
    let mut nbits = 0;
    for &b in src {
        acc = (acc << 8) | u32::from(b);
        nbits += 8;
        while nbits >= bits {
            nbits -= bits;
            out.push(char::from(
                alphabet[((acc >> nbits) & ((1 << bits) - 1)) as usize],
            ));
        }
        acc &= (1 << nbits) - 1;
    }
    if nbits > 0 {
        out.push(char::from(
            alphabet[((acc << (bits - nbits)) & ((1 << bits) - 1)) as usize],
        ));
    }
    while out.len() % quantum != 0 {
        out.push(char::from(PAD));
    }
    out
}

/// Go's `CorruptInputError` text for base64.
fn base64_error(offset: usize) -> String {
    format!("illegal base64 data at input byte {offset}")
}

/// `base64.StdEncoding.DecodeString`: one 4-symbol quantum at a time,
/// newlines skipped, padding only at the end.
fn base64_decode(src: &[u8]) -> Result<Vec<u8>, String> {
    let map = decode_map(BASE64);
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    while si < src.len() {
        let mut dbuf = [0u8; 4];
        let mut dlen = 4;
        let mut trailing_error = None;
        let mut j = 0;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                // Input ended inside a quantum: Go requires padding.
                return Err(base64_error(si - j));
            }
            let input = src[si];
            si += 1;
            let value = map[input as usize];
            if value != INVALID {
                dbuf[j] = value;
                j += 1;
                continue;
            }
            if input == b'\n' || input == b'\r' {
                continue;
            }
            if input != PAD {
                return Err(base64_error(si - 1));
            }
            // Padding: "==" after two symbols, "=" after three.
            match j {
                0 | 1 => return Err(base64_error(si - 1)),
                2 => {
                    while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                        si += 1;
                    }
                    if si == src.len() {
                        return Err(base64_error(src.len()));
                    }
                    if src[si] != PAD {
                        return Err(base64_error(si - 1));
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                si += 1;
            }
            if si < src.len() {
                trailing_error = Some(base64_error(si));
            }
            dlen = j;
            break;
        }
        let val = (u32::from(dbuf[0]) << 18)
            | (u32::from(dbuf[1]) << 12)
            | (u32::from(dbuf[2]) << 6)
            | u32::from(dbuf[3]);
        let bytes = [(val >> 16) as u8, (val >> 8) as u8, val as u8];
        out.extend_from_slice(&bytes[..dlen - 1]);
        if let Some(e) = trailing_error {
            return Err(e);
        }
    }
    Ok(out)
}

/// Go's `CorruptInputError` text for base32.
fn base32_error(offset: usize) -> String {
    format!("illegal base32 data at input byte {offset}")
}

/// `base32.StdEncoding.DecodeString`: newlines are removed first (error
/// offsets count the remaining bytes), then 8-symbol quanta are decoded.
fn base32_decode(input: &[u8]) -> Result<Vec<u8>, String> {
    let map = decode_map(BASE32);
    let src: Vec<u8> = input
        .iter()
        .copied()
        .filter(|&b| b != b'\n' && b != b'\r')
        .collect();
    let olen = src.len();
    let mut rest = &src[..];
    let mut out = Vec::with_capacity(olen / 8 * 5);
    let mut end = false;
    while !rest.is_empty() && !end {
        let mut dbuf = [0u8; 8];
        let mut dlen = 8;
        let mut j = 0;
        while j < 8 {
            if rest.is_empty() {
                return Err(base32_error(olen - rest.len() - j));
            }
            let b = rest[0];
            rest = &rest[1..];
            if b == PAD && j >= 2 && rest.len() < 8 {
                if rest.len() + j < 8 - 1 {
                    return Err(base32_error(olen));
                }
                for k in 0..8 - 1 - j {
                    if rest.len() > k && rest[k] != PAD {
                        return Err(base32_error(olen - rest.len() + k - 1));
                    }
                }
                dlen = j;
                end = true;
                // Only 2, 4, 5, 7 or 8 symbols make whole bytes.
                if matches!(dlen, 1 | 3 | 6) {
                    return Err(base32_error(olen - rest.len() - 1));
                }
                break;
            }
            dbuf[j] = map[b as usize];
            if dbuf[j] == INVALID {
                return Err(base32_error(olen - rest.len() - 1));
            }
            j += 1;
        }
        let mut bytes = [0u8; 5];
        bytes[4] = dbuf[6] << 5 | dbuf[7];
        bytes[3] = dbuf[4] << 7 | dbuf[5] << 2 | dbuf[6] >> 3;
        bytes[2] = dbuf[3] << 4 | dbuf[4] >> 1;
        bytes[1] = dbuf[1] << 6 | dbuf[2] << 1 | dbuf[3] >> 4;
        bytes[0] = dbuf[0] << 3 | dbuf[1] >> 2;
        let n = match dlen {
            8 => 5,
            7 => 4,
            5 => 3,
            4 => 2,
            2 => 1,
            _ => 0,
        };
        out.extend_from_slice(&bytes[..n]);
    }
    Ok(out)
}

/// Sprig's decoders: the decoded text, or the error's text.
fn decoded_or_error(result: Result<Vec<u8>, String>) -> Value {
    match result {
        Ok(bytes) => Value::go_string_from_vec(bytes),
        Err(e) => Value::from(e),
    }
}

/// Registers the encoding functions.
pub fn register(set: &mut Templates) {
    let on_bytes = |f: fn(&[u8]) -> Value| {
        Func::new([ParamType::String], move |_, args| {
            Ok(f(args[0].as_go_bytes().unwrap_or_default()))
        })
        .infallible()
    };
    set.add_func("b64enc", on_bytes(|s| Value::from(encode(s, BASE64, 6, 4))));
    set.add_func("b64dec", on_bytes(|s| decoded_or_error(base64_decode(s))));
    set.add_func("b32enc", on_bytes(|s| Value::from(encode(s, BASE32, 5, 8))));
    set.add_func("b32dec", on_bytes(|s| decoded_or_error(base32_decode(s))));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trip() {
        for s in ["", "f", "fo", "foo", "foob", "fooba", "foobar", "coffee"] {
            let enc = encode(s.as_bytes(), BASE64, 6, 4);
            assert_eq!(base64_decode(enc.as_bytes()).unwrap(), s.as_bytes());
        }
        assert_eq!(encode(b"coffee", BASE64, 6, 4), "Y29mZmVl");
        assert_eq!(encode(b"fo", BASE64, 6, 4), "Zm8=");
    }

    #[test]
    fn base64_errors_like_go() {
        assert_eq!(base64_decode(b"YWJ").unwrap_err(), base64_error(0));
        assert_eq!(base64_decode(b"YW=j").unwrap_err(), base64_error(2));
        assert_eq!(base64_decode(b"YQ==YQ==").unwrap_err(), base64_error(4));
        assert_eq!(base64_decode(b"Y!==").unwrap_err(), base64_error(1));
        assert_eq!(base64_decode(b"YQ=").unwrap_err(), base64_error(3));
        assert_eq!(base64_decode(b"Y\nW\r\nJj").unwrap(), b"abc");
        assert_eq!(base64_decode(b"YR==").unwrap(), b"a");
    }

    #[test]
    fn base32_round_trip_and_errors() {
        for s in ["", "f", "fo", "foo", "foob", "fooba", "foobar", "coffee"] {
            let enc = encode(s.as_bytes(), BASE32, 5, 8);
            assert_eq!(base32_decode(enc.as_bytes()).unwrap(), s.as_bytes());
        }
        assert_eq!(encode(b"coffee", BASE32, 5, 8), "MNXWMZTFMU======");
        assert_eq!(base32_decode(b"MNXW").unwrap_err(), base32_error(0));
        assert_eq!(base32_decode(b"mnxw====").unwrap_err(), base32_error(0));
        assert_eq!(
            base32_decode(b"MNXWMZTFMU=====").unwrap_err(),
            base32_error(15)
        );
    }
}
