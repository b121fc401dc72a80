//! Where the `chartroom` process's memory comes from: the binary's
//! allocator ([`super::alloc`]) carves every block from a region of the
//! calling thread's own, mapped here, and has the kernel fill each stretch
//! of it with pages in one call before handing it out ([`populate`]). The
//! library itself never uses this.
//!
//! A `chartroom template` run allocates some megabytes, renders and exits.
//! With the C library's allocator as it comes, most of its system time
//! went to page faults: glibc's heap grows 128 KiB at a time, each 4 KiB
//! page faulting on first touch (traefik's chart: 2,390 faults, half the
//! run's CPU time in the kernel). Here:
//! - each thread allocates from a region of its own ([`map_region`]):
//!   [`REGION_BYTES`] of address space reserved in one `mmap`, memory only
//!   once used, so threads never wait on each other's locks (with one
//!   shared heap, compiling a schema beside the render cost a third of the
//!   run in lock hand-offs: otel-kube-stack 71 context switches, 21 ms;
//!   6 and 16 ms with a heap each);
//! - the pages of a stretch about to be used are put in place by one
//!   `madvise(MADV_POPULATE_WRITE)` rather than a fault each: filling 2 MiB
//!   of small pages that way took 0.24 ms here, as long as one huge page
//!   fault, against 0.5–0.8 ms page by page.
//!
//! Small pages, not transparent huge pages: in a virtual machine whose
//! host takes back the memory its guest frees (free page reporting), a
//! huge page the guest hands out can be one the host must back again, and
//! that took 5 ms a page here, against 0.25 ms otherwise (a run right
//! after a helm run, which frees 50 MB, hit one or two such pages in half
//! the runs: traefik's median 10.4 ms against 6.4 ms with small pages
//! populated ahead). Small pages come from memory the guest kernel keeps
//! at hand and never took that long.
//!
//! Linux only for populating; other Unix systems get the regions faulted
//! in page by page, and elsewhere (or if the kernel refuses a mapping)
//! blocks come from the system allocator, which only costs speed.

/// The address space a thread's region reserves: more than the largest
/// chart in the benchmark corpus needs by far. A block larger than this
/// gets a region sized for it.
pub const REGION_BYTES: usize = 1 << 30;

/// The granule of regions: a page on every platform the binary runs on
/// (`madvise` wants page-aligned ranges).
pub const PAGE: usize = 4096;

/// Maps a new region of at least `min` bytes (at least [`REGION_BYTES`]),
/// readable and writable, no memory committed; its start and end (both
/// multiples of [`PAGE`]), or `None` where the platform has none to give.
pub fn map_region(min: usize) -> Option<(usize, usize)> {
    #[cfg(unix)]
    return os::map(min.max(REGION_BYTES));
    #[cfg(not(unix))]
    None
}

/// Puts pages under `len` bytes at `from` (both multiples of [`PAGE`],
/// inside a region), zeroed and writable, in one call; whether the kernel
/// did (Linux 5.14 and later). Either way the memory works: pages not put
/// in place fault in when touched.
pub fn populate(from: usize, len: usize) -> bool {
    #[cfg(target_os = "linux")]
    return os::populate(from, len);
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (from, len);
        false
    }
}

#[cfg(unix)]
mod os {
    use super::PAGE;

    /// `mmap` of `size` bytes (rounded up to whole pages) of private
    /// anonymous memory, reserved without swap accounting.
    pub(super) fn map(size: usize) -> Option<(usize, usize)> {
        let size = size.checked_next_multiple_of(PAGE)?;
        // SAFETY: a new anonymous mapping; no existing memory is touched.
        let at = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                size,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if at == libc::MAP_FAILED {
            return None;
        }
        let start = at as usize;
        Some((start, start + size))
    }

    #[cfg(target_os = "linux")]
    pub(super) fn populate(from: usize, len: usize) -> bool {
        // SAFETY: the range lies in a mapping of this process; populating
        // writes nothing a reader could see (fresh pages are zero, pages
        // already present are left as they are).
        unsafe { libc::madvise(from as *mut _, len, libc::MADV_POPULATE_WRITE) == 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_page_aligned_and_at_least_asked_for() {
        let (start, end) = map_region(0).expect("mapped");
        assert_eq!(start % PAGE, 0);
        assert_eq!(end - start, REGION_BYTES);
        let (start, end) = map_region(REGION_BYTES + 5).expect("mapped");
        assert_eq!(start % PAGE, 0);
        assert!(end - start >= REGION_BYTES + 5);
        assert!(map_region(usize::MAX - 4096).is_none());
        // SAFETY: both bytes lie in the region just mapped.
        unsafe {
            *(start as *mut u8) = 1;
            *((end - 1) as *mut u8) = 2;
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn populating_keeps_what_the_pages_hold_and_zeroes_the_rest() {
        let (start, _) = map_region(0).expect("mapped");
        // SAFETY: the first two pages lie in the region just mapped.
        unsafe { *((start + 100) as *mut u8) = 7 };
        assert!(populate(start, 2 * PAGE), "the kernel populates");
        // SAFETY: as above; populated or not, the memory reads.
        let bytes = unsafe { std::slice::from_raw_parts(start as *const u8, 2 * PAGE) };
        assert_eq!(bytes[100], 7);
        assert_eq!(bytes.iter().filter(|&&b| b != 0).count(), 1);
    }
}
