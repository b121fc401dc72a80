//! Byte tests on a whole 64-bit word at a time ("SIMD within a register"),
//! for scans that stop at a few kinds of byte: each function marks the
//! matching bytes of a word with 0x80 and leaves the others 0, exactly (no
//! carry crosses from one byte into the next), so the first match of a
//! little-endian word is [`first_marked`].

const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
const LOW7: u64 = u64::from_ne_bytes([0x7f; 8]);
const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);

/// The eight bytes at `at` as a little-endian word, if there are eight.
pub(crate) fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    let chunk = bytes.get(at..at + 8)?;
    Some(u64::from_le_bytes(chunk.try_into().expect("eight bytes")))
}

/// 0x80 in each byte of `word` that equals `byte`.
pub(crate) fn bytes_equal_to(word: u64, byte: u8) -> u64 {
    let x = word ^ (ONES * u64::from(byte));
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// 0x80 in each byte of `word` below `bound` (at most 0x80).
pub(crate) fn bytes_below(word: u64, bound: u8) -> u64 {
    debug_assert!((1..=0x80).contains(&bound));
    // A byte's low seven bits plus 0x80 - bound reach 0x80 exactly when
    // the byte is at least `bound` (or has its high bit set already).
    !(((word & LOW7) + ONES * u64::from(0x80 - bound)) | word) & HIGHS
}

/// The index of the first marked byte of a little-endian word's mask.
pub(crate) fn first_marked(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_value_in_every_position() {
        for position in 0..8 {
            for value in 0..=255u8 {
                // The other bytes are the neighbours most likely to carry.
                for filler in [
                    0x00,
                    0x7f,
                    0x80,
                    0xff,
                    value.wrapping_sub(1),
                    value.wrapping_add(1),
                ] {
                    let mut bytes = [filler; 8];
                    bytes[position] = value;
                    let word = u64::from_le_bytes(bytes);
                    let marks = |test: &dyn Fn(u8) -> bool| {
                        bytes
                            .iter()
                            .enumerate()
                            .fold(0u64, |m, (i, &b)| m | (u64::from(test(b)) << (8 * i + 7)))
                    };
                    for byte in [value, 0, b'\n', b'"', 0xff] {
                        assert_eq!(bytes_equal_to(word, byte), marks(&|b| b == byte));
                    }
                    for bound in [1, 0x20, 0x7f, 0x80] {
                        assert_eq!(bytes_below(word, bound), marks(&|b| b < bound));
                    }
                }
            }
        }
    }

    #[test]
    fn words_and_first_marks() {
        let text = b"0123456789";
        assert_eq!(word_at(text, 2), Some(u64::from_le_bytes(*b"23456789")));
        assert_eq!(word_at(text, 3), None);
        let word = word_at(text, 0).expect("eight bytes");
        assert_eq!(first_marked(bytes_equal_to(word, b'5')), 5);
        assert_eq!(first_marked(bytes_equal_to(word, b'0')), 0);
        assert_eq!(first_marked(0), 8);
    }
}
