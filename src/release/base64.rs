//! Go's `encoding/base64` with `StdEncoding`, as Helm's storage driver and
//! `encoding/json` (for `[]byte`) use it: the implementation Sprig's
//! functions use ([`crate::funcs::crypto::encoding`]), with errors as text.

pub use crate::funcs::crypto::encoding::base64_encode;

/// Go's `base64.StdEncoding.DecodeString`: padding required, `\r` and `\n`
/// skipped anywhere; errors are Go's `CorruptInputError` texts.
pub fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    crate::funcs::crypto::encoding::base64_decode(text.as_bytes()).map_err(|e| e.to_string())
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
