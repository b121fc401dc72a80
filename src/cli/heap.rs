//! Heap set-up for the `chartroom` process (the binary's `main` calls
//! [`tune_for_one_shot`] and makes every thread the library starts call
//! [`tune_this_thread`]; the library itself never does).
//!
//! A `chartroom template` run allocates some megabytes, renders and exits.
//! With glibc's defaults most of its system time goes to page faults: the
//! heap grows 128 KiB at a time, each 4 KiB page faulting on first touch.
//! Measured on traefik's chart (2,390 faults, half the run's CPU time in
//! the kernel), the set-up below brings that to a few hundred faults:
//! - heaps grow by [`HEAP_RESERVE`] at a time and are never trimmed, with
//!   large blocks (file contents) taken from them instead of separate
//!   `mmap`s;
//! - one arena per busy thread (the render thread, the schema compile,
//!   the parse and manifest helpers: [`ARENAS`]), its heap made usable up
//!   front and marked for transparent huge pages (`MADV_HUGEPAGE`) when the
//!   thread starts, so a fault maps 2 MiB where the system allows it
//!   (`enabled=madvise`). Threads sharing one arena wait on its lock at
//!   every allocation: with a single arena, compiling a schema beside the
//!   render cost a third of the run in lock hand-offs (otel-kube-stack: 71
//!   context switches, 21 ms; 6 and 16 ms then). The main thread's own
//!   heap keeps small pages: it only parses the arguments and writes the
//!   output, and a first huge page there cost about 0.2 ms before the
//!   render could start (interleaved runs: traefik 9.32 → 8.88 ms,
//!   otel-kube-stack 14.04 → 13.79, argo-workflows 9.14 → 8.91);
//! - the render thread's next huge pages are faulted in on the template
//!   parse helper while it waits for the chart's texts
//!   ([`prefault_ahead`]): the render thread finds them mapped instead of
//!   waiting about 0.25 ms for each to be zeroed.
//!
//! Only Linux with glibc; elsewhere (and if any call is refused) the
//! allocator's defaults stay, which only costs speed.

/// How much a heap grows at a time: more than the largest chart in the
/// benchmark corpus needs. Address space only until touched.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const HEAP_RESERVE: usize = 64 << 20;

/// Arenas: the main thread's (idle during a render) and one for each
/// thread that allocates at the same time as others.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const ARENAS: i32 = 5;

/// Tunes the process heap for one short run (see the module docs). Call
/// first thing in `main`, before the work allocates. Returns whether the
/// heap was set up (false off glibc, or when the allocator refused).
pub fn tune_for_one_shot() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    return glibc::tune(HEAP_RESERVE, ARENAS);
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    false
}

/// Gives the calling thread's arena its heap up front, marked for huge
/// pages (see the module docs), if the thread has an arena of its own.
/// Call first thing in a new thread (see
/// [`crate::threads::set_start_handler`]).
pub fn tune_this_thread() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if glibc::tune_thread_heap() {
        // The thread's first small blocks (taken as it started) came from
        // a chunk below the huge pages.
        super::alloc::start_a_new_chunk();
    }
}

/// Faults in the first huge page of the calling thread's heap, if it was
/// set up ([`tune_this_thread`]): for a thread that has time to spare
/// before its work comes, which would otherwise wait about 0.25 ms for the
/// page to be zeroed at its first allocation.
pub fn fault_in_first_page() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if let Some(huge) = glibc::this_thread_huge_pages() {
        glibc::populate_page(&huge, 0);
    }
}

/// Work for another thread, in steps: faulting in the calling thread's
/// next `pages` huge pages, past the one its first allocations took, one
/// page a call; `false` once done. Zeroing a huge page takes about 0.25
/// ms, and the thread that first touches it waits that long; the render
/// thread of a large chart touches two or three more while it loads and
/// executes, and the template parse helper has time to spare before the
/// chart's texts reach it (`cli::template`).
///
/// The pages are populated (`MADV_POPULATE_WRITE`), never written: what
/// the owner already keeps there stays as it is. Nothing happens where the
/// thread's heap was not set up ([`tune_this_thread`]), or on kernels older
/// than 5.14.
pub fn prefault_ahead(pages: usize) -> impl FnMut() -> bool + Send + 'static {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    let huge = glibc::this_thread_huge_pages();
    let mut done = 0;
    move || {
        if done == pages {
            return false;
        }
        done += 1;
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        return huge
            .as_ref()
            .is_some_and(|huge| glibc::populate_page(huge, done));
        #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
        false
    }
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
    const MADV_POPULATE_WRITE: c_int = 23;
    const HUGE_PAGE: usize = 2 << 20;

    std::thread_local! {
        /// The huge-page part of this thread's heap, once set up.
        static HUGE_PAGES: std::cell::Cell<Option<std::ops::Range<usize>>> =
            const { std::cell::Cell::new(None) };
    }

    pub(super) fn this_thread_huge_pages() -> Option<std::ops::Range<usize>> {
        HUGE_PAGES.with(|h| {
            let range = h.take();
            h.set(range.clone());
            range
        })
    }

    /// Populates huge page number `nth` of `huge` (the first is 0);
    /// whether it could.
    pub(super) fn populate_page(huge: &std::ops::Range<usize>, nth: usize) -> bool {
        let from = huge.start + nth * HUGE_PAGE;
        if from + HUGE_PAGE > huge.end {
            return false;
        }
        // SAFETY: the page lies in a thread heap made readable and
        // writable when it was set up; populating maps pages without
        // changing what any mapped page holds.
        unsafe { madvise(from as *mut c_void, HUGE_PAGE, MADV_POPULATE_WRITE) == 0 }
    }

    extern "C" {
        fn mallopt(param: c_int, value: c_int) -> c_int;
        fn malloc(size: usize) -> *mut c_void;
        fn free(ptr: *mut c_void);
        fn sbrk(increment: isize) -> *mut c_void;
        fn madvise(addr: *mut c_void, len: usize, advice: c_int) -> c_int;
    }

    pub(super) fn tune(reserve: usize, arenas: c_int) -> bool {
        let pad = c_int::try_from(reserve).unwrap_or(c_int::MAX);
        // SAFETY: mallopt only changes allocator parameters; every value
        // is in the range glibc documents for it.
        // (The main thread only parses the arguments and writes what the
        // render thread produced: its heap keeps small pages, as a huge
        // page there would be 2 MiB zeroed, about 0.2 ms, for a few
        // kilobytes, before the render can start.)
        unsafe {
            mallopt(M_ARENA_MAX, arenas) == 1
                && mallopt(M_TOP_PAD, pad) == 1
                && mallopt(M_TRIM_THRESHOLD, c_int::MAX) == 1
                && mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_MAX) == 1
        }
    }

    /// Marks `first..end` of a heap (2 MiB aligned) for huge pages. The
    /// heap below `first` has small pages: one block spanning it (kept,
    /// never touched) makes later allocations start just below the
    /// boundary. It begins at `block_start`, where a block just freed at
    /// the heap's top began, so malloc's headers stay below the boundary.
    ///
    /// # Safety
    /// `first..end` lies in the heap that held the freed block.
    unsafe fn huge_pages_from(block_start: usize, first: usize, end: usize) {
        madvise(first as *mut c_void, end - first, MADV_HUGEPAGE);
        if first - block_start > 4096 {
            std::hint::black_box(malloc(first - block_start - 128));
        }
    }

    /// glibc's `HEAP_MAX_SIZE` on 64-bit targets: a thread arena's heap
    /// is a mapping of this size, aligned to it, made usable as it grows.
    const THREAD_HEAP_SIZE: usize = 64 << 20;
    /// How much of a thread's heap is made usable up front (less than
    /// the mmap threshold, so that the block comes from the heap).
    const THREAD_HEAP_RESERVE: usize = 30 << 20;

    /// Whether the thread's heap now has huge pages.
    pub(super) fn tune_thread_heap() -> bool {
        // SAFETY: as in `tune`: the block comes from and goes back to
        // malloc untouched, and madvise only advises on the mapping that
        // holds the block (a thread heap is aligned to its size).
        unsafe {
            // The first allocation of a thread with no arena yet creates
            // one (up to M_ARENA_MAX); a block this large grows its heap
            // in one step, and freeing it leaves the space as the heap's
            // top, never trimmed.
            let block = std::hint::black_box(malloc(THREAD_HEAP_RESERVE));
            if block.is_null() {
                return false;
            }
            let block_start = block as usize;
            free(std::hint::black_box(block));
            // A block from the main heap (a thread sharing the main arena)
            // leaves things as they are.
            let end = sbrk(0) as usize;
            if end == usize::MAX || block_start < end {
                return false;
            }
            let heap = block_start & !(THREAD_HEAP_SIZE - 1);
            let first = (block_start + 64).next_multiple_of(HUGE_PAGE);
            huge_pages_from(block_start, first, heap + THREAD_HEAP_SIZE);
            // Only the part made usable up front may be populated.
            let usable_end = (block_start + THREAD_HEAP_RESERVE).min(heap + THREAD_HEAP_SIZE);
            HUGE_PAGES.with(|h| h.set(Some(first..usable_end)));
            true
        }
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

    #[test]
    fn tuned_threads_still_allocate_and_free() {
        tune_for_one_shot();
        let sums: Vec<u64> = (0..6)
            .map(|i| {
                std::thread::spawn(move || {
                    tune_this_thread();
                    let v: Vec<u64> = (0..100_000).map(|n| n * i).collect();
                    let large = vec![1u8; 40 << 20];
                    v.iter().sum::<u64>() + large.iter().map(|&b| u64::from(b)).sum::<u64>()
                })
            })
            .map(|t| t.join().expect("no panic"))
            .collect();
        let expected: Vec<u64> = (0..6).map(|i| 4_999_950_000 * i + (40 << 20)).collect();
        assert_eq!(sums, expected);
    }

    #[test]
    fn prefaulting_another_threads_heap_keeps_what_it_holds() {
        tune_for_one_shot();
        std::thread::spawn(|| {
            tune_this_thread();
            // Blocks spread over the first few huge pages of this heap.
            let blocks: Vec<Vec<u8>> = (0..8u8).map(|i| vec![i; 700 << 10]).collect();
            let mut steps = prefault_ahead(3);
            let done = std::thread::spawn(move || (0..5).map(|_| steps()).collect::<Vec<bool>>())
                .join()
                .expect("no panic");
            // A step is taken only while pages are left.
            assert_eq!(done[3..], [false, false]);
            for (i, block) in (0..8u8).zip(&blocks) {
                assert!(block.iter().all(|&b| b == i), "block {i}");
            }
        })
        .join()
        .expect("no panic");
    }

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn small_blocks_after_the_set_up_come_from_the_huge_pages() {
        use super::super::alloc::SizeClassAlloc;
        use std::alloc::{GlobalAlloc, Layout};
        tune_for_one_shot();
        let layout = Layout::from_size_align(48, 8).expect("valid layout");
        std::thread::spawn(move || {
            // SAFETY: a non-zero layout; each block is freed with it.
            unsafe {
                let before = SizeClassAlloc.alloc(layout);
                tune_this_thread();
                let after = SizeClassAlloc.alloc(layout);
                if let Some(huge) = glibc::this_thread_huge_pages() {
                    // The new chunk begins just below the boundary, in the
                    // small page the set-up's own block header took.
                    let from_the_boundary = huge.start - 4096..huge.end;
                    assert!(!from_the_boundary.contains(&(before as usize)));
                    assert!(
                        from_the_boundary.contains(&(after as usize)),
                        "{after:?} in {huge:x?}"
                    );
                }
                SizeClassAlloc.dealloc(after, layout);
                SizeClassAlloc.dealloc(before, layout);
            }
        })
        .join()
        .expect("no panic");
    }

    #[test]
    fn a_thread_without_a_tuned_heap_gives_no_work() {
        let mut steps = std::thread::spawn(|| prefault_ahead(2))
            .join()
            .expect("no panic");
        assert!(!steps(), "an untuned thread has no huge pages to fault in");
    }
}
