//! Heap set-up for the `chartroom` process (the binary's `main` calls
//! [`tune_for_one_shot`]; the library never does).
//!
//! A `chartroom template` run allocates some megabytes, renders and exits.
//! With glibc's defaults most of its system time goes to page faults: the
//! heap grows 128 KiB at a time, each 4 KiB page faulting on first touch,
//! and the render thread gets its own `mmap`ed arena. Measured on
//! traefik's chart (2,390 faults, half the run's CPU time in the kernel),
//! the set-up below brings that to a few hundred faults:
//! - one arena for all threads (the render thread is the only busy one);
//! - the heap grown once by [`HEAP_RESERVE`] and never trimmed, with large
//!   blocks (file contents) taken from it instead of separate `mmap`s;
//! - that range marked for transparent huge pages (`MADV_HUGEPAGE`), so
//!   a fault maps 2 MiB where the system allows it (`enabled=madvise`).
//!
//! Only Linux with glibc; elsewhere (and if any call is refused) the
//! allocator's defaults stay, which only costs speed.

/// How much the heap grows up front: more than the largest chart in the
/// benchmark corpus needs. Address space only until touched.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const HEAP_RESERVE: usize = 64 << 20;

/// Tunes the process heap for one short run (see the module docs). Call
/// first thing in `main`, before the work allocates. Returns whether the
/// heap was set up (false off glibc, or when the allocator refused).
pub fn tune_for_one_shot() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    return glibc::tune(HEAP_RESERVE);
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    false
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod glibc {
    use std::ffi::{c_int, c_void};

    // mallopt parameters (glibc's malloc.h).
    const M_TRIM_THRESHOLD: c_int = -1;
    const M_TOP_PAD: c_int = -2;
    const M_MMAP_THRESHOLD: c_int = -3;
    const M_ARENA_MAX: c_int = -8;
    /// glibc's ceiling for `M_MMAP_THRESHOLD` on 64-bit targets.
    const MMAP_THRESHOLD_MAX: c_int = 32 << 20;
    const MADV_HUGEPAGE: c_int = 14;
    const HUGE_PAGE: usize = 2 << 20;
    /// The block whose allocation grows the heap.
    const GROW_BLOCK: usize = 1 << 20;

    extern "C" {
        fn mallopt(param: c_int, value: c_int) -> c_int;
        fn malloc(size: usize) -> *mut c_void;
        fn free(ptr: *mut c_void);
        fn sbrk(increment: isize) -> *mut c_void;
        fn madvise(addr: *mut c_void, len: usize, advice: c_int) -> c_int;
    }

    pub(super) fn tune(reserve: usize) -> bool {
        let pad = c_int::try_from(reserve).unwrap_or(c_int::MAX);
        // SAFETY: mallopt only changes allocator parameters; every value
        // is in the range glibc documents for it.
        let set = unsafe {
            mallopt(M_ARENA_MAX, 1) == 1
                && mallopt(M_TOP_PAD, pad) == 1
                && mallopt(M_TRIM_THRESHOLD, c_int::MAX) == 1
                && mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_MAX) == 1
        };
        if !set {
            return false;
        }
        // SAFETY: the blocks come from and go back to the same allocator
        // and are never written here; madvise only advises on pages of
        // the heap itself (below the break that malloc just moved).
        unsafe {
            // A block larger than the heap's free top makes malloc grow
            // the heap by it plus the top pad in one step.
            // (black_box: the compiler may drop an unused malloc/free pair.)
            let grow = std::hint::black_box(malloc(GROW_BLOCK));
            if grow.is_null() {
                return false;
            }
            free(std::hint::black_box(grow));
            let end = sbrk(0) as usize;
            // malloc wrote a header just past the block, so the first
            // 2 MiB range that can get a huge page starts after it (a
            // range with a small page already in it cannot).
            let block_start = grow as usize;
            let first = (block_start + GROW_BLOCK + 64).next_multiple_of(HUGE_PAGE);
            let last = end - end % HUGE_PAGE;
            // (A block from elsewhere than the break heap, as in a process
            // whose threads already have arenas, leaves the heap as is.)
            if end == usize::MAX || block_start > end || last <= first {
                return true;
            }
            madvise(first as *mut c_void, last - first, MADV_HUGEPAGE);
            // The heap below that boundary has small pages: one block
            // spanning it (kept, never touched) makes later allocations
            // start just below the boundary. It begins where the freed
            // block began, and malloc's headers stay below the boundary.
            std::hint::black_box(malloc(first - block_start - 128));
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tuned_heap_still_allocates_and_frees() {
        let tuned = tune_for_one_shot();
        assert_eq!(tuned, cfg!(all(target_os = "linux", target_env = "gnu")));
        let small: Vec<u64> = (0..1000).collect();
        let large = vec![7u8; 8 << 20];
        assert_eq!(small.iter().sum::<u64>(), 499_500);
        assert_eq!(large.len(), 8 << 20);
        assert!(large.iter().all(|&b| b == 7));
    }
}
