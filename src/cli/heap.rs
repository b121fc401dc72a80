//! Where the `chartroom` process's memory comes from (the binary's
//! allocator, [`super::alloc`], carves every block from here, and makes
//! every thread the library starts call [`tune_this_thread`]; the library
//! itself never does).
//!
//! A `chartroom template` run allocates some megabytes, renders and exits.
//! With the C library's allocator as it comes, most of its system time
//! went to page faults: glibc's heap grows 128 KiB at a time, each 4 KiB
//! page faulting on first touch (traefik's chart: 2,390 faults, half the
//! run's CPU time in the kernel). Here:
//! - each thread allocates from a region of its own ([`map_region`]):
//!   [`REGION_BYTES`] of address space reserved in one `mmap`, memory only
//!   once touched, so threads never wait on each other's locks (with one
//!   shared heap, compiling a schema beside the render cost a third of the
//!   run in lock hand-offs: otel-kube-stack 71 context switches, 21 ms;
//!   6 and 16 ms with a heap each);
//! - the busy threads' regions (the render thread, the schema compile, the
//!   parse and manifest helpers: [`tune_this_thread`]) are marked for
//!   transparent huge pages (`MADV_HUGEPAGE`), so a fault maps 2 MiB where
//!   the system allows it (`enabled=madvise`). The main thread's region
//!   keeps small pages: it only parses the arguments and writes the output,
//!   and a first huge page there cost about 0.2 ms before the render could
//!   start (interleaved runs: traefik 9.32 → 8.88 ms);
//! - the render thread's next huge pages are faulted in on the template
//!   parse helper while it waits for the chart's texts
//!   ([`prefault_ahead`]): the render thread finds them mapped instead of
//!   waiting about 0.25 ms for each to be zeroed.
//!
//! Linux only for huge pages; other Unix systems get the regions without
//! them, and elsewhere (or if the kernel refuses a mapping) blocks come
//! from the system allocator, which only costs speed.

/// The address space a thread's region reserves: more than the largest
/// chart in the benchmark corpus needs by far. A block larger than this
/// gets a region sized for it.
pub const REGION_BYTES: usize = 1 << 30;

/// The size of a transparent huge page (x86-64 and arm64 with 4 KiB base
/// pages); regions start at a multiple of it.
const HUGE_PAGE: usize = 2 << 20;

/// Maps a new region of at least `min` bytes (at least [`REGION_BYTES`]),
/// its start a multiple of [`HUGE_PAGE`], marked for huge pages if `huge`.
/// Returns its start and end; `None` where the kernel refuses.
pub fn map_region(min: usize, huge: bool) -> Option<(usize, usize)> {
    #[cfg(unix)]
    return os::map(min.max(REGION_BYTES), huge);
    #[cfg(not(unix))]
    None
}

/// Marks `from..end` of a region for huge pages from the first multiple
/// of [`HUGE_PAGE`] at or past `from`; returns that boundary, or `None`
/// where there is no room or the kernel refuses (or has no huge pages).
pub fn mark_huge(from: usize, end: usize) -> Option<usize> {
    let start = from.checked_next_multiple_of(HUGE_PAGE)?;
    if end.checked_sub(start)? < HUGE_PAGE {
        return None;
    }
    #[cfg(target_os = "linux")]
    return os::advise_huge(start, end - start).then_some(start);
    #[cfg(not(target_os = "linux"))]
    None
}

/// Moves the calling thread's allocations to a region marked for huge
/// pages (see the module docs). Call first thing in a new thread (see
/// [`crate::threads::set_start_handler`]): the blocks it took before come
/// from small pages, as do the main thread's.
pub fn tune_this_thread() {
    super::alloc::use_huge_pages();
}

/// Faults in the first huge page of the calling thread's region, if it
/// has huge pages ([`tune_this_thread`]): for a thread that has time to
/// spare before its work comes, which would otherwise wait about 0.25 ms
/// for the page to be zeroed at its first allocation.
pub fn fault_in_first_page() {
    if let Some(region) = super::alloc::this_thread_huge_region() {
        populate_page(region, 0);
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
/// thread's region has no huge pages ([`tune_this_thread`]), or on kernels
/// older than 5.14.
pub fn prefault_ahead(pages: usize) -> impl FnMut() -> bool + Send + 'static {
    let region = super::alloc::this_thread_huge_region();
    let mut done = 0;
    move || {
        if done == pages {
            return false;
        }
        done += 1;
        region.is_some_and(|region| populate_page(region, done))
    }
}

/// Populates huge page number `nth` (the first is 0) of the region
/// `start..end`; whether it could.
fn populate_page((start, end): (usize, usize), nth: usize) -> bool {
    let from = start + nth * HUGE_PAGE;
    if from + HUGE_PAGE > end {
        return false;
    }
    #[cfg(target_os = "linux")]
    return os::populate(from, HUGE_PAGE);
    #[cfg(not(target_os = "linux"))]
    false
}

#[cfg(unix)]
mod os {
    use super::HUGE_PAGE;

    pub(super) fn map(size: usize, huge: bool) -> Option<(usize, usize)> {
        let size = size.checked_next_multiple_of(HUGE_PAGE)?;
        // A huge page's worth more, to start at a multiple of it.
        let span = size.checked_add(HUGE_PAGE)?;
        // SAFETY: a new private anonymous mapping; nothing else is touched.
        let at = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                span,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if at == libc::MAP_FAILED {
            return None;
        }
        let start = (at as usize).next_multiple_of(HUGE_PAGE);
        #[cfg(target_os = "linux")]
        if huge {
            // Refused advice only leaves small pages.
            advise_huge(start, size);
        }
        #[cfg(not(target_os = "linux"))]
        let _ = huge;
        Some((start, start + size))
    }

    /// Marks `start..start + len` of a region this module mapped for huge
    /// pages; whether the kernel took the advice.
    #[cfg(target_os = "linux")]
    pub(super) fn advise_huge(start: usize, len: usize) -> bool {
        // SAFETY: advice on part of a mapping made by `map`, which stays
        // mapped for as long as the process runs.
        unsafe { libc::madvise(start as *mut _, len, libc::MADV_HUGEPAGE) == 0 }
    }

    #[cfg(target_os = "linux")]
    pub(super) fn populate(from: usize, len: usize) -> bool {
        // SAFETY: `from..from + len` lies in a region this module mapped,
        // readable and writable; populating maps pages without changing
        // what any mapped page holds.
        unsafe { libc::madvise(from as *mut _, len, libc::MADV_POPULATE_WRITE) == 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::super::alloc::SizeClassAlloc;
    use super::*;
    use std::alloc::{GlobalAlloc, Layout};

    fn layout(size: usize) -> Layout {
        Layout::from_size_align(size, 8).expect("valid layout")
    }

    #[test]
    fn regions_are_aligned_to_huge_pages_and_at_least_asked_for() {
        let (start, end) = map_region(0, false).expect("mapped");
        assert_eq!(start % HUGE_PAGE, 0);
        assert_eq!(end - start, REGION_BYTES);
        let (start, end) = map_region(REGION_BYTES + 5, true).expect("mapped");
        assert_eq!(start % HUGE_PAGE, 0);
        assert!(end - start >= REGION_BYTES + 5);
        assert!(map_region(usize::MAX - 4096, false).is_none());
        // SAFETY: the region was just mapped, readable and writable.
        unsafe {
            *(start as *mut u8) = 1;
            *((end - 1) as *mut u8) = 2;
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_tuned_thread_takes_its_blocks_from_the_huge_pages() {
        std::thread::spawn(|| {
            // SAFETY: non-zero layouts; each block is freed with its own.
            unsafe {
                let before = SizeClassAlloc.alloc(layout(48));
                tune_this_thread();
                let (start, end) = super::super::alloc::this_thread_huge_region()
                    .expect("the thread has huge pages");
                assert_eq!(start % HUGE_PAGE, 0);
                let huge = start..end;
                let small = SizeClassAlloc.alloc(layout(48));
                let large = SizeClassAlloc.alloc(layout(100_000));
                assert!(!huge.contains(&(before as usize)));
                assert!(huge.contains(&(small as usize)), "{small:?} in {huge:x?}");
                assert!(huge.contains(&(large as usize)), "{large:?} in {huge:x?}");
                tune_this_thread();
                assert_eq!(
                    super::super::alloc::this_thread_huge_region(),
                    Some((start, end)),
                    "tuned once"
                );
                for (block, size) in [(large, 100_000), (small, 48), (before, 48)] {
                    SizeClassAlloc.dealloc(block, layout(size));
                }
            }
        })
        .join()
        .expect("no panic");
    }

    #[test]
    fn tuned_threads_still_allocate_and_free() {
        let sums: Vec<u64> = (0..6)
            .map(|i| {
                std::thread::spawn(move || {
                    tune_this_thread();
                    // SAFETY: each block is written within its size and
                    // freed with its layout.
                    unsafe {
                        let small = SizeClassAlloc.alloc(layout(800)).cast::<u64>();
                        for n in 0..100 {
                            small.add(n).write(n as u64 * i);
                        }
                        let large = SizeClassAlloc.alloc(layout(40 << 20));
                        large.write_bytes(1, 40 << 20);
                        let sum = (0..100).map(|n| small.add(n).read()).sum::<u64>()
                            + (0..40 << 20).map(|n| u64::from(*large.add(n))).sum::<u64>();
                        SizeClassAlloc.dealloc(large, layout(40 << 20));
                        SizeClassAlloc.dealloc(small.cast(), layout(800));
                        sum
                    }
                })
            })
            .map(|t| t.join().expect("no panic"))
            .collect();
        let expected: Vec<u64> = (0..6).map(|i| 4950 * i + (40 << 20)).collect();
        assert_eq!(sums, expected);
    }

    #[test]
    fn prefaulting_another_threads_heap_keeps_what_it_holds() {
        std::thread::spawn(|| {
            tune_this_thread();
            // Blocks spread over the first few huge pages of this region.
            // SAFETY: each block is written within its size and freed with
            // its layout.
            let blocks: Vec<*mut u8> = (0..8u8)
                .map(|i| unsafe {
                    let block = SizeClassAlloc.alloc(layout(700 << 10));
                    block.write_bytes(i, 700 << 10);
                    block
                })
                .collect();
            let mut steps = prefault_ahead(3);
            let done = std::thread::spawn(move || (0..5).map(|_| steps()).collect::<Vec<bool>>())
                .join()
                .expect("no panic");
            // A step is taken only while pages are left.
            assert_eq!(done[3..], [false, false]);
            for (i, &block) in (0..8u8).zip(&blocks) {
                // SAFETY: written above and not freed yet.
                let bytes = unsafe { std::slice::from_raw_parts(block, 700 << 10) };
                assert!(bytes.iter().all(|&b| b == i), "block {i}");
                unsafe { SizeClassAlloc.dealloc(block, layout(700 << 10)) };
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
