//! `memcpy` and `memmove` for the static musl build of the command line.
//! Rust moves and clones every `String`, `Vec` and large value through
//! them, mostly a few dozen bytes at a time; musl's x86-64 versions copy
//! with `rep movsq`, whose start-up costs more than such a copy, and took
//! 12% of a traefik render's samples (glibc's: 3%). These copy up to 32
//! bytes with two possibly overlapping loads and stores, longer spans in
//! 16-byte blocks and long ones with `rep movsb` (fast on every x86-64
//! with ERMS, as glibc picks it past a threshold too).

use core::arch::x86_64::{__m128i, _mm_loadu_si128, _mm_storeu_si128};

/// Past this many bytes a copy uses `rep movsb`.
const REP_MOVSB_FROM: usize = 2048;

/// 16 bytes at `p`.
///
/// # Safety
/// `p` must be valid for reads of 16 bytes.
#[inline(always)]
unsafe fn load16(p: *const u8) -> __m128i {
    // SAFETY: the caller's promise; the load needs no alignment.
    unsafe { _mm_loadu_si128(p.cast()) }
}

/// Stores 16 bytes at `p`.
///
/// # Safety
/// `p` must be valid for writes of 16 bytes.
#[inline(always)]
unsafe fn store16(p: *mut u8, v: __m128i) {
    // SAFETY: the caller's promise; the store needs no alignment.
    unsafe { _mm_storeu_si128(p.cast(), v) }
}

/// Copies `n <= 32` bytes from `src` to `dst`, reading all of them before
/// writing any, so the spans may overlap.
///
/// # Safety
/// `src` valid for reads and `dst` for writes of `n` bytes.
#[inline(always)]
unsafe fn copy_short(dst: *mut u8, src: *const u8, n: usize) {
    // SAFETY (every block): each access lies within the first `n` bytes
    // of its span, by the length test that guards it.
    unsafe {
        if n >= 16 {
            let (head, tail) = (load16(src), load16(src.add(n - 16)));
            store16(dst, head);
            store16(dst.add(n - 16), tail);
        } else if n >= 8 {
            let head = src.cast::<u64>().read_unaligned();
            let tail = src.add(n - 8).cast::<u64>().read_unaligned();
            dst.cast::<u64>().write_unaligned(head);
            dst.add(n - 8).cast::<u64>().write_unaligned(tail);
        } else if n >= 4 {
            let head = src.cast::<u32>().read_unaligned();
            let tail = src.add(n - 4).cast::<u32>().read_unaligned();
            dst.cast::<u32>().write_unaligned(head);
            dst.add(n - 4).cast::<u32>().write_unaligned(tail);
        } else if n > 0 {
            // 1 to 3 bytes: the first, the middle and the last.
            let (a, b, c) = (*src, *src.add(n / 2), *src.add(n - 1));
            *dst = a;
            *dst.add(n / 2) = b;
            *dst.add(n - 1) = c;
        }
    }
}

/// Copies `n` bytes with `rep movsb`, from the first byte up.
///
/// # Safety
/// As `memcpy`; overlapping spans only with `dst` below `src`.
#[inline(always)]
unsafe fn rep_movsb(dst: *mut u8, src: *const u8, n: usize) {
    // SAFETY: the caller's promise; the direction flag is clear, as the
    // ABI guarantees at every call.
    unsafe {
        core::arch::asm!(
            "rep movsb",
            inout("rcx") n => _,
            inout("rdi") dst => _,
            inout("rsi") src => _,
            options(nostack, preserves_flags)
        );
    }
}

/// Copies `n > 32` bytes in 16-byte blocks from the first up; the last
/// block is read before anything is written, so `dst` may overlap `src`
/// from below.
///
/// # Safety
/// As `memcpy`; overlapping spans only with `dst` below `src`.
#[inline(always)]
unsafe fn copy_forward(dst: *mut u8, src: *const u8, n: usize) {
    // SAFETY: every block lies within the first `n` bytes of its span.
    unsafe {
        let tail = load16(src.add(n - 16));
        let mut i = 0;
        while i + 16 < n {
            store16(dst.add(i), load16(src.add(i)));
            i += 16;
            // An empty `asm` (which may touch memory, as far as the
            // compiler knows) keeps LLVM from turning this loop into a
            // call to `memcpy`, that is, to itself.
            core::arch::asm!("", options(nostack, preserves_flags));
        }
        store16(dst.add(n - 16), tail);
    }
}

/// Copies `n > 32` bytes in 16-byte blocks from the last down; the first
/// block is read before anything is written, so `dst` may overlap `src`
/// from above.
///
/// # Safety
/// As `memmove`.
#[inline(always)]
unsafe fn copy_backward(dst: *mut u8, src: *const u8, n: usize) {
    // SAFETY: every block lies within the first `n` bytes of its span.
    unsafe {
        let head = load16(src);
        let mut end = n;
        while end > 32 {
            end -= 16;
            store16(dst.add(end), load16(src.add(end)));
            core::arch::asm!("", options(nostack, preserves_flags));
        }
        // The bytes from 16 up to `end` (at most 32) are left: the block
        // ending there, then the first.
        store16(dst.add(end - 16), load16(src.add(end - 16)));
        store16(dst, head);
    }
}

/// C's `memcpy`.
///
/// # Safety
/// `src` valid for reads and `dst` for writes of `n` bytes, not overlapping.
#[cfg_attr(all(feature = "cli", target_env = "musl"), no_mangle)]
pub unsafe extern "C" fn memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    // SAFETY: the caller's promise, passed on.
    unsafe {
        if n <= 32 {
            copy_short(dst, src, n);
        } else if n < REP_MOVSB_FROM {
            copy_forward(dst, src, n);
        } else {
            rep_movsb(dst, src, n);
        }
    }
    dst
}

/// C's `memmove`.
///
/// # Safety
/// `src` valid for reads and `dst` for writes of `n` bytes.
#[cfg_attr(all(feature = "cli", target_env = "musl"), no_mangle)]
pub unsafe extern "C" fn memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    // SAFETY: the caller's promise, passed on; each branch copies in an
    // order its overlap allows.
    unsafe {
        if n <= 32 {
            copy_short(dst, src, n);
        } else if (dst as usize).wrapping_sub(src as usize) >= n {
            // `dst` below `src`, or no overlap at all.
            if n < REP_MOVSB_FROM {
                copy_forward(dst, src, n);
            } else {
                rep_movsb(dst, src, n);
            }
        } else {
            copy_backward(dst, src, n);
        }
    }
    dst
}

#[cfg(test)]
mod tests {
    use super::{memcpy, memmove, REP_MOVSB_FROM};
    use crate::test_rng::Xorshift;

    /// A buffer of `len` bytes no two neighbours of which are equal.
    fn pattern(len: usize, seed: u8) -> Vec<u8> {
        (0..len)
            .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
            .collect()
    }

    /// The lengths worth testing: every one up to 80 and around each path's
    /// edges, then some at random.
    fn lengths() -> Vec<usize> {
        let mut rng = Xorshift::new(0x9e37_79b9);
        let edges = [
            REP_MOVSB_FROM - 1,
            REP_MOVSB_FROM,
            REP_MOVSB_FROM + 1,
            4095,
            65_537,
        ];
        (0..=80)
            .chain(edges)
            .chain((0..40).map(|_| rng.below(10_000)))
            .collect()
    }

    #[test]
    fn memcpy_copies_every_length_at_every_alignment_and_nothing_else() {
        for len in lengths() {
            for (from, to) in [(0, 0), (1, 0), (0, 3), (7, 9), (15, 1)] {
                let src = pattern(len + from, 5);
                let mut dst = vec![0xAA; len + to + 16];
                // SAFETY: `src` holds `from + len` bytes and `dst` more than
                // `to + len`; the two buffers are apart.
                let returned =
                    unsafe { memcpy(dst.as_mut_ptr().add(to), src.as_ptr().add(from), len) };
                assert_eq!(returned, dst[to..].as_mut_ptr(), "len {len}");
                assert_eq!(
                    dst[to..to + len],
                    src[from..],
                    "len {len} from {from} to {to}"
                );
                assert!(
                    dst[..to].iter().chain(&dst[to + len..]).all(|&b| b == 0xAA),
                    "len {len}: written outside"
                );
            }
        }
    }

    #[test]
    fn memmove_copies_overlapping_spans_in_both_directions() {
        for len in lengths() {
            for shift in [1, 2, 7, 8, 15, 16, 17, 31, 33, 100] {
                let original = pattern(len + shift, 11);
                // Up: the copy lands `shift` bytes above its source.
                let mut up = original.clone();
                // SAFETY: both spans lie within `up`'s `len + shift` bytes.
                unsafe { memmove(up.as_mut_ptr().add(shift), up.as_ptr(), len) };
                assert_eq!(up[shift..], original[..len], "up: len {len} shift {shift}");
                assert_eq!(
                    up[..shift],
                    original[..shift],
                    "up: len {len} shift {shift}: head"
                );
                // Down: `shift` bytes below.
                let mut down = original.clone();
                // SAFETY: as above.
                unsafe { memmove(down.as_mut_ptr(), down.as_ptr().add(shift), len) };
                assert_eq!(
                    down[..len],
                    original[shift..],
                    "down: len {len} shift {shift}"
                );
                assert_eq!(
                    down[len..],
                    original[len..],
                    "down: len {len} shift {shift}: tail"
                );
            }
        }
    }

    #[test]
    fn memmove_onto_itself_changes_nothing() {
        for len in lengths() {
            let original = pattern(len, 3);
            let mut same = original.clone();
            // SAFETY: source and destination are the same `len` bytes.
            unsafe { memmove(same.as_mut_ptr(), same.as_ptr(), len) };
            assert_eq!(same, original, "len {len}");
        }
    }
}
