//! `memcmp` for the WebAssembly module and the musl build of the command
//! line. Rust compares byte slices and strings (`==`, `Ord`, every
//! `BTreeMap<String, _>` lookup) through the C `memcmp` (equality through
//! `bcmp`); on `wasm32-unknown-unknown` the one that comes with Rust's
//! runtime library compares a byte at a time, which made it the costliest
//! single function in the package's first renders (8% of a render of
//! otel-kube-stack in Node, mostly comparing the long JSON pointers of a
//! values schema), and so does musl's (6.6M of the 44.6M instructions of a
//! traefik render, against 1.9M in glibc's). This one compares eight bytes
//! at a time (unaligned loads are as cheap as aligned ones in wasm and on
//! x86-64) and finds the first differing byte from the XOR of the two
//! words. glibc builds keep glibc's vectorised one.

/// The sign of the first difference between `n` bytes at `a` and at `b`
/// (compared as unsigned bytes), or 0 when they are equal: C's `memcmp`.
///
/// # Safety
/// `a` and `b` must each be valid for reads of `n` bytes.
pub unsafe fn compare_bytes(a: *const u8, b: *const u8, n: usize) -> i32 {
    const WORD: usize = std::mem::size_of::<u64>();
    let mut i = 0;
    while i + WORD <= n {
        // SAFETY: `i + WORD <= n`, so both words are within the caller's
        // `n` readable bytes; `read_unaligned` needs no alignment.
        let (x, y) = unsafe {
            (
                a.add(i).cast::<u64>().read_unaligned().to_le(),
                b.add(i).cast::<u64>().read_unaligned().to_le(),
            )
        };
        if x != y {
            // As little-endian words (a no-op on wasm), the lowest
            // differing bit is in the first differing byte.
            let at = ((x ^ y).trailing_zeros() / 8) as usize;
            // SAFETY: `at < WORD`, so `i + at < n`.
            let (p, q) = unsafe { (*a.add(i + at), *b.add(i + at)) };
            return i32::from(p) - i32::from(q);
        }
        i += WORD;
    }
    while i < n {
        // SAFETY: `i < n`.
        let (p, q) = unsafe { (*a.add(i), *b.add(i)) };
        if p != q {
            return i32::from(p) - i32::from(q);
        }
        i += 1;
    }
    0
}

/// The `memcmp` symbol the module's or the program's code calls: in wasm,
/// compiler-builtins' is weak; in a static musl program, the C library's
/// archive member is linked only for symbols still undefined. Either way
/// this one is linked instead.
///
/// # Safety
/// As [`compare_bytes`].
#[cfg(any(
    all(feature = "wasm", target_arch = "wasm32"),
    all(feature = "cli", target_env = "musl")
))]
#[no_mangle]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    // SAFETY: the caller's promise, passed on.
    unsafe { compare_bytes(a, b, n) }
}

/// The `bcmp` symbol (equality only) of a static musl program, where the C
/// library's calls its own `memcmp`.
///
/// # Safety
/// As [`compare_bytes`].
#[cfg(all(feature = "cli", target_env = "musl"))]
#[no_mangle]
pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    // SAFETY: the caller's promise, passed on.
    unsafe { compare_bytes(a, b, n) }
}

#[cfg(test)]
mod tests {
    use super::compare_bytes;
    use std::cmp::Ordering;

    /// `compare_bytes` over two slices of the same length.
    fn compare(a: &[u8], b: &[u8]) -> Ordering {
        assert_eq!(a.len(), b.len());
        // SAFETY: both slices hold `a.len()` bytes.
        unsafe { compare_bytes(a.as_ptr(), b.as_ptr(), a.len()) }.cmp(&0)
    }

    #[test]
    fn equal_bytes_compare_equal_at_every_length_and_offset() {
        let bytes: Vec<u8> = (0..64u8).map(|i| i.wrapping_mul(37)).collect();
        let copy = bytes.clone();
        for start in 0..9 {
            for len in 0..=(bytes.len() - start) {
                let (a, b) = (&bytes[start..start + len], &copy[start..start + len]);
                assert_eq!(compare(a, b), Ordering::Equal, "start {start} len {len}");
            }
        }
    }

    #[test]
    fn the_first_difference_decides_whatever_follows() {
        for len in 1..40 {
            for at in 0..len {
                let a: Vec<u8> = (0..len as u8).collect();
                let mut b = a.clone();
                b[at] = a[at] + 1;
                // Later bytes that point the other way must not count.
                b[at + 1..].fill(0);
                assert_eq!(compare(&a, &b), Ordering::Less, "len {len} at {at}");
                assert_eq!(compare(&b, &a), Ordering::Greater, "len {len} at {at}");
            }
        }
    }

    #[test]
    fn bytes_compare_as_unsigned() {
        let low = b"prefix-of-eight-bytes\x01".to_vec();
        let high = b"prefix-of-eight-bytes\xff".to_vec();
        assert_eq!(compare(&low, &high), Ordering::Less);
        assert_eq!(compare(&high, &low), Ordering::Greater);
        assert_eq!(compare(&[0x80], &[0x7f]), Ordering::Greater);
    }

    #[test]
    fn agrees_with_slice_order_on_unaligned_pseudo_random_data() {
        let mut rng = crate::test_rng::Xorshift::new(0x9e37_79b9_7f4a_7c15);
        let pool: Vec<u8> = (0..4096).map(|_| rng.below(4) as u8).collect();
        for _ in 0..5000 {
            let len = rng.below(48);
            let (i, j) = (rng.below(2048), rng.below(2048));
            let (a, b) = (&pool[i..i + len], &pool[j..j + len]);
            assert_eq!(compare(a, b), a.cmp(b), "{a:?} {b:?}");
        }
    }
}
