//! Sprig's digest functions: `sha1sum`, `sha256sum`, `sha512sum` (lower-case
//! hex of the digest of the string's bytes) and `adler32sum` (the decimal
//! Adler-32 checksum, as Go's `hash/adler32` computes it).

use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

use super::encoding::hex_encode;

pub fn sha1sum(input: &[u8]) -> String {
    hex_encode(&Sha1::digest(input))
}

pub fn sha256sum(input: &[u8]) -> String {
    hex_encode(&Sha256::digest(input))
}

pub fn sha512sum(input: &[u8]) -> String {
    hex_encode(&Sha512::digest(input))
}

/// The Adler-32 checksum (RFC 1950).
pub fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    // 5552 is the largest block for which the sums cannot overflow a u32.
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for &byte in chunk {
            a += byte as u32;
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

pub fn adler32sum(input: &[u8]) -> String {
    adler32(input).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests() {
        assert_eq!(sha1sum(b""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(
            sha256sum(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(adler32sum(b"abc"), "38600999");
        assert_eq!(adler32sum(b""), "1");
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
        // Long inputs exercise the modular reduction.
        let long = vec![0xffu8; 100_000];
        let (mut a, mut b) = (1u64, 0u64);
        for &x in &long {
            a = (a + x as u64) % 65521;
            b = (b + a) % 65521;
        }
        assert_eq!(adler32(&long), ((b << 16) | a) as u32);
    }
}
