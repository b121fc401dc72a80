//! The `chartroom` process's global allocator (the binary installs
//! [`SizeClassAlloc`]; the library never does). Each thread allocates from
//! a region of its own, mapped from the kernel ([`super::heap`]): blocks
//! up to 1 KiB by 16-byte size class, larger ones by classes four to a
//! doubling, each class with a free list per thread. A region is filled
//! with pages a stretch at a time, just ahead of the blocks handed out
//! ([`heap::populate`]). Nothing is handed back to the kernel before the
//! process exits.
//!
//! A render makes hundreds of thousands of small allocations (tokens,
//! nodes, strings, map entries) and glibc's `malloc`/`free` spent about a
//! fifth of a run's instructions on them (bitnami-redis: 23M of 106M),
//! locks and bin searches included. Here an allocation or a free is a few
//! instructions on the calling thread's own list. Large blocks are carved
//! from the top of the region, and the topmost block grows and shrinks in
//! place: the output buffer, a file's bytes or a growing list is not
//! copied as it grows. The C library's allocator is left to the C library
//! (and to over-aligned layouts), so the process needs nothing of it but
//! `malloc` itself: it runs the same on glibc and on musl.
//!
//! The price suits one short run: a block freed into one class is reused
//! only for that class (by whichever thread freed it), except that a freed
//! large block of a chunk's size or more is carved into small blocks once
//! the current chunk runs out; and what a thread holds when it exits stays
//! where it is.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::ptr;

use super::heap;

/// Size classes are multiples of this; it is also the alignment every
/// block gets (the system allocator's on 64-bit targets).
const GRAIN: usize = 16;
/// The number of small size classes: blocks up to `CLASSES * GRAIN` bytes.
const CLASSES: usize = 64;
/// The largest block served from the small size classes.
pub const MAX_SMALL: usize = CLASSES * GRAIN;
/// How much a thread carves from its region for small blocks at a time.
const CHUNK: usize = 64 << 10;
/// How far past what it hands out a region is populated at a time
/// ([`heap::populate`]): one call for 32 pages.
const POPULATE_STEP: usize = 128 << 10;
/// The most populated at a time: a block larger than this (a huge list
/// reserved ahead, say) may never be used in full.
const POPULATE_AT_MOST: usize = 4 << 20;
/// Large classes per doubling of the size: a block wastes under a quarter.
const STEPS: usize = 4;
/// log2 of [`MAX_SMALL`]: the large classes start above it.
const SMALL_BITS: u32 = MAX_SMALL.trailing_zeros();
/// The number of large classes, up to the largest possible layout size.
const LARGE_CLASSES: usize = STEPS * (usize::BITS - SMALL_BITS) as usize;

/// The global allocator of the `chartroom` binary (see the module docs).
pub struct SizeClassAlloc;

/// One thread's free lists, its current chunk of small blocks and its
/// region.
struct Cache {
    /// The first free block of each class; a free block holds the address
    /// of the next one in its first word.
    free: [Cell<*mut u8>; CLASSES],
    /// The same for each large class.
    large_free: [Cell<*mut u8>; LARGE_CLASSES],
    /// The unused part of the current chunk.
    next: Cell<*mut u8>,
    end: Cell<*mut u8>,
    /// The region: `top..limit` is unused; nothing at or past `untouched`
    /// was ever handed out (it is as the kernel mapped it, zero).
    start: Cell<usize>,
    top: Cell<usize>,
    limit: Cell<usize>,
    untouched: Cell<usize>,
    /// Everything below this is backed by pages already
    /// ([`heap::populate`]).
    populated: Cell<usize>,
}

thread_local! {
    // No destructor, so the cache is there for as long as the thread
    // runs, even while other thread-locals are being dropped.
    static CACHE: Cache = const {
        Cache {
            free: [const { Cell::new(ptr::null_mut()) }; CLASSES],
            large_free: [const { Cell::new(ptr::null_mut()) }; LARGE_CLASSES],
            next: Cell::new(ptr::null_mut()),
            end: Cell::new(ptr::null_mut()),
            start: Cell::new(0),
            top: Cell::new(0),
            limit: Cell::new(0),
            untouched: Cell::new(0),
            populated: Cell::new(0),
        }
    };
}

/// Maps the calling thread's region if it has none yet, and populates its
/// first `bytes`: for a thread started ahead of its work, which then finds
/// its memory at hand.
pub fn prepare_this_thread(bytes: usize) {
    CACHE.with(|cache| {
        if cache.start.get() == 0 {
            match heap::map_region(0) {
                Some((start, limit)) => cache.adopt_region(start, limit),
                None => return,
            }
        }
        let wanted = cache
            .start
            .get()
            .saturating_add(bytes)
            .min(cache.limit.get());
        if wanted > cache.populated.get() {
            cache.populate_up_to(wanted);
        }
    });
}

/// The size class of a small layout, or `None` for a layout served
/// otherwise.
#[inline]
fn class_of(layout: Layout) -> Option<usize> {
    if layout.size() <= MAX_SMALL && layout.align() <= GRAIN {
        Some(layout.size().max(1).div_ceil(GRAIN) - 1)
    } else {
        None
    }
}

/// The large class of a layout too large for the small classes (and not
/// over-aligned): its index and the size of its blocks, `None` for an
/// over-aligned layout.
#[inline]
fn large_class_of(layout: Layout) -> Option<(usize, usize)> {
    if layout.align() > GRAIN {
        return None;
    }
    let size = layout.size();
    debug_assert!(size > MAX_SMALL);
    // `size` lies in (2^bits, 2^(bits + 1)], cut into STEPS classes.
    let bits = (size - 1).ilog2();
    let base = 1usize << bits;
    let step = base / STEPS;
    let nth = (size - base).div_ceil(step);
    let index = (bits - SMALL_BITS) as usize * STEPS + nth - 1;
    Some((index, base + nth * step))
}

/// The size of the blocks of large class `index` (the inverse of
/// [`large_class_of`]).
const fn large_class_size(index: usize) -> usize {
    let base = 1usize << (index / STEPS + SMALL_BITS as usize);
    base + (index % STEPS + 1) * (base / STEPS)
}

/// The first large class whose blocks hold at least `size` bytes.
const fn first_class_of_at_least(size: usize) -> usize {
    let mut index = 0;
    while large_class_size(index) < size {
        index += 1;
    }
    index
}

/// The first large class whose freed blocks are carved into small ones
/// ([`Cache::take_freed_chunk`]): blocks of [`CHUNK`] bytes or more.
const FIRST_CHUNK_CLASS: usize = first_class_of_at_least(CHUNK);

impl Cache {
    #[inline]
    fn take(&self, class: usize) -> *mut u8 {
        let head = self.free[class].get();
        if !head.is_null() {
            // SAFETY: `head` is a free block of this class; its first word
            // is the next free block, written by `give`.
            self.free[class].set(unsafe { head.cast::<*mut u8>().read() });
            return head;
        }
        self.carve((class + 1) * GRAIN)
    }

    #[inline]
    fn carve(&self, size: usize) -> *mut u8 {
        let next = self.next.get();
        if (self.end.get() as usize) - (next as usize) >= size {
            // SAFETY: `next..end` is the unused part of a chunk.
            self.next.set(unsafe { next.add(size) });
            return next;
        }
        self.refill(size)
    }

    #[cold]
    fn refill(&self, size: usize) -> *mut u8 {
        let (chunk, len) = match self.take_freed_chunk() {
            Some(freed) => freed,
            None => match self.bump(CHUNK) {
                Some(chunk) => (chunk, CHUNK),
                // SAFETY: CHUNK is non-zero and GRAIN a power of two.
                None => unsafe {
                    let layout = Layout::from_size_align_unchecked(CHUNK, GRAIN);
                    (System.alloc(layout), CHUNK)
                },
            },
        };
        if chunk.is_null() {
            return chunk;
        }
        // SAFETY: `size` is at most MAX_SMALL, well inside the chunk.
        unsafe {
            self.next.set(chunk.add(size));
            self.end.set(chunk.add(len));
        }
        chunk
    }

    /// A freed large block of at least [`CHUNK`] bytes, taken off its
    /// free list to be carved into small blocks, and its size. A block
    /// that large is seldom asked for again in its class (a list or a
    /// buffer that grew past it and was copied, a parser's scratch space
    /// once the parse is done), while small blocks are asked for all the
    /// time: carving them from it saves populating fresh pages.
    fn take_freed_chunk(&self) -> Option<(*mut u8, usize)> {
        self.large_free[FIRST_CHUNK_CLASS..]
            .iter()
            .zip(FIRST_CHUNK_CLASS..)
            .find_map(|(list, index)| {
                let head = list.get();
                if head.is_null() {
                    return None;
                }
                // SAFETY: as in `take`.
                list.set(unsafe { head.cast::<*mut u8>().read() });
                Some((head, large_class_size(index)))
            })
    }

    /// # Safety
    /// `block` is a block of `class` no longer in use.
    #[inline]
    unsafe fn give(&self, block: *mut u8, class: usize) {
        block.cast::<*mut u8>().write(self.free[class].get());
        self.free[class].set(block);
    }

    /// `size` bytes (a multiple of GRAIN) from the top of the region,
    /// mapping a new region when this one is full; `None` where no region
    /// can be mapped.
    #[inline]
    fn bump(&self, size: usize) -> Option<*mut u8> {
        let top = self.top.get();
        if self.limit.get() - top < size {
            return self.bump_from_a_new_region(size);
        }
        self.raise_top(top + size);
        Some(top as *mut u8)
    }

    /// Moves the top of the region up to `top`, populating what is new.
    #[inline]
    fn raise_top(&self, top: usize) {
        self.top.set(top);
        if top > self.untouched.get() {
            self.untouched.set(top);
            if top > self.populated.get() {
                self.populate_up_to(top);
            }
        }
    }

    /// Has the pages up to `top`, and on to the next multiple of
    /// [`POPULATE_STEP`], put in place; a stretch of more than
    /// [`POPULATE_AT_MOST`] is left to fault in as it is touched.
    #[cold]
    fn populate_up_to(&self, top: usize) {
        let from = self.populated.get();
        let to = top.next_multiple_of(POPULATE_STEP).min(self.limit.get());
        if to - from <= POPULATE_AT_MOST {
            heap::populate(from, to - from);
        }
        self.populated.set(to);
    }

    #[cold]
    fn bump_from_a_new_region(&self, size: usize) -> Option<*mut u8> {
        let (start, limit) = heap::map_region(size)?;
        self.adopt_region(start, limit);
        self.bump(size)
    }

    /// Makes `start..limit`, freshly mapped, the region blocks come from.
    fn adopt_region(&self, start: usize, limit: usize) {
        self.start.set(start);
        self.top.set(start);
        self.untouched.set(start);
        self.populated.set(start);
        self.limit.set(limit);
    }

    /// A large block of class `index` (`size` bytes) and whether it holds
    /// only zeros.
    fn take_large(&self, index: usize, size: usize) -> (*mut u8, bool) {
        // A free block of this class or of one up to a doubling larger
        // (its spare tail unused from then on).
        let last = (index + STEPS).min(LARGE_CLASSES - 1);
        for list in &self.large_free[index..=last] {
            let head = list.get();
            if !head.is_null() {
                // SAFETY: as in `take`.
                list.set(unsafe { head.cast::<*mut u8>().read() });
                return (head, false);
            }
        }
        let untouched = self.untouched.get();
        match self.bump(size) {
            // Nothing at or past `untouched` was handed out before. (A
            // block from a new region mapped below the old one is fresh
            // too, but is zeroed all the same.)
            Some(block) => (block, block as usize >= untouched),
            None => {
                // SAFETY: `size` is non-zero and GRAIN a power of two.
                let layout = unsafe { Layout::from_size_align_unchecked(size, GRAIN) };
                (unsafe { System.alloc(layout) }, false)
            }
        }
    }

    /// Whether `block..block + size` is the topmost block of the region.
    #[inline]
    fn is_top(&self, block: *mut u8, size: usize) -> bool {
        let at = block as usize;
        at >= self.start.get() && at + size == self.top.get()
    }

    /// # Safety
    /// `block` is a large block of class `index` (`size` bytes) no longer
    /// in use.
    unsafe fn give_large(&self, block: *mut u8, index: usize, size: usize) {
        if self.is_top(block, size) {
            self.top.set(block as usize);
            return;
        }
        block.cast::<*mut u8>().write(self.large_free[index].get());
        self.large_free[index].set(block);
    }

    /// Resizes the topmost block `block` (`old` bytes) to `new` bytes in
    /// place, if the region has room; whether it did.
    fn resize_top(&self, block: *mut u8, old: usize, new: usize) -> bool {
        if !self.is_top(block, old) || self.limit.get() - (block as usize) < new {
            return false;
        }
        self.raise_top(block as usize + new);
        true
    }
}

// SAFETY: every block is GRAIN-aligned (chunks and large blocks are carved
// at multiples of GRAIN from page-aligned regions, and every class size is
// a multiple of GRAIN) and at least as large as its layout; each is in at
// most one free list, and only after it was freed; a block is moved to the
// region's unused top only when it ends there; over-aligned layouts are
// the system allocator's, with the layout the caller passed.
unsafe impl GlobalAlloc for SizeClassAlloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if let Some(class) = class_of(layout) {
            return CACHE.with(|cache| cache.take(class));
        }
        match large_class_of(layout) {
            Some((index, size)) => CACHE.with(|cache| cache.take_large(index, size).0),
            None => System.alloc(layout),
        }
    }

    #[inline]
    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        if let Some(class) = class_of(layout) {
            return CACHE.with(|cache| cache.give(block, class));
        }
        match large_class_of(layout) {
            Some((index, size)) => CACHE.with(|cache| cache.give_large(block, index, size)),
            None => System.dealloc(block, layout),
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if class_of(layout).is_none() {
            match large_class_of(layout) {
                Some((index, size)) => {
                    let (block, zero) = CACHE.with(|cache| cache.take_large(index, size));
                    if !block.is_null() && !zero {
                        block.write_bytes(0, layout.size());
                    }
                    return block;
                }
                None => return System.alloc_zeroed(layout),
            }
        }
        let block = self.alloc(layout);
        if !block.is_null() {
            block.write_bytes(0, layout.size());
        }
        block
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        match (class_of(layout), class_of(new_layout)) {
            (Some(old), Some(new)) if old == new => return block,
            (None, None) => match (large_class_of(layout), large_class_of(new_layout)) {
                (Some((old, _)), Some((new, _))) if old == new => return block,
                (Some((_, old)), Some((_, new)))
                    if CACHE.with(|cache| cache.resize_top(block, old, new)) =>
                {
                    return block
                }
                (None, None) => return System.realloc(block, layout, new_size),
                _ => {}
            },
            _ => {}
        }
        let moved = self.alloc(new_layout);
        if !moved.is_null() {
            ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
            self.dealloc(block, layout);
        }
        moved
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).expect("valid layout")
    }

    /// A block of `size` bytes (align 8), written over and freed.
    fn freed_block(size: usize) -> *mut u8 {
        // SAFETY: non-zero size; written within it, then freed once.
        unsafe {
            let block = SizeClassAlloc.alloc(layout(size, 8));
            block.write_bytes(0xAB, size);
            SizeClassAlloc.dealloc(block, layout(size, 8));
            block
        }
    }

    /// Whether the `len` bytes at `block` all equal `byte`.
    ///
    /// # Safety
    /// `block..block + len` is allocated and initialised.
    unsafe fn holds(block: *const u8, len: usize, byte: u8) -> bool {
        std::slice::from_raw_parts(block, len)
            .iter()
            .all(|&b| b == byte)
    }

    /// Runs `f` on a thread of its own: a fresh cache and region.
    fn on_a_new_thread(f: impl FnOnce() + Send + 'static) {
        std::thread::spawn(f).join().expect("no panic");
    }

    #[test]
    fn classes_cover_sizes_up_to_the_largest_small_block() {
        assert_eq!(class_of(layout(1, 1)), Some(0));
        assert_eq!(class_of(layout(16, 8)), Some(0));
        assert_eq!(class_of(layout(17, 8)), Some(1));
        assert_eq!(class_of(layout(MAX_SMALL, 16)), Some(CLASSES - 1));
        assert_eq!(class_of(layout(MAX_SMALL + 1, 8)), None);
        assert_eq!(
            class_of(layout(64, 32)),
            None,
            "over-aligned goes to the system"
        );
    }

    #[test]
    fn large_classes_are_four_to_a_doubling_and_fit_their_sizes() {
        assert_eq!(large_class_of(layout(MAX_SMALL + 1, 8)), Some((0, 1280)));
        assert_eq!(large_class_of(layout(1280, 8)), Some((0, 1280)));
        assert_eq!(large_class_of(layout(1281, 8)), Some((1, 1536)));
        assert_eq!(large_class_of(layout(2048, 16)), Some((3, 2048)));
        assert_eq!(large_class_of(layout(2049, 1)), Some((4, 2560)));
        assert_eq!(large_class_of(layout(437_424, 1)), Some((34, 458_752)));
        assert_eq!(large_class_of(layout(4096, 64)), None, "over-aligned");
        let mut last = (0, 1280);
        for size in (MAX_SMALL + 1..1 << 22).step_by(97) {
            let (index, class_size) = large_class_of(layout(size, 8)).expect("a class");
            assert!(class_size >= size && class_size - size < size / 4 + GRAIN);
            assert_eq!(class_size % GRAIN, 0);
            assert!(index >= last.0 && index < LARGE_CLASSES);
            assert!(index > last.0 || class_size == last.1, "one size per class");
            last = (index, class_size);
        }
        let (index, _) = large_class_of(layout(isize::MAX as usize - 15, 16)).expect("a class");
        assert!(index < LARGE_CLASSES);
    }

    #[test]
    fn large_class_sizes_invert_large_class_of() {
        for index in 0..LARGE_CLASSES - 2 * STEPS {
            let size = large_class_size(index);
            assert_eq!(large_class_of(layout(size, 8)), Some((index, size)));
        }
        let first = first_class_of_at_least(CHUNK);
        assert_eq!(large_class_size(first), CHUNK);
        assert_eq!(large_class_of(layout(CHUNK, 8)), Some((first, CHUNK)));
    }

    #[test]
    fn a_freed_chunk_sized_block_is_carved_into_small_blocks() {
        on_a_new_thread(|| unsafe {
            let alloc = SizeClassAlloc;
            let big = layout(CHUNK + CHUNK / 2, 8);
            let freed = alloc.alloc(big);
            // A block above it, so that the freed one is not the top.
            let above = alloc.alloc(layout(2000, 8));
            alloc.dealloc(freed, big);
            // The thread's first small block starts its first chunk.
            let first = alloc.alloc(layout(24, 8));
            assert_eq!(first, freed, "the freed block is the new chunk");
            let class_size = large_class_of(big).expect("a large class").1;
            let mut last = first as usize;
            for _ in 1..class_size / 1024 {
                let block = alloc.alloc(layout(1024, 8)) as usize;
                assert!(block > last && block + 1024 <= freed as usize + class_size);
                last = block;
            }
            let past = alloc.alloc(layout(1024, 8)) as usize;
            let within = freed as usize..freed as usize + class_size;
            assert!(!within.contains(&past), "the whole block was used, no more");
            alloc.dealloc(above, layout(2000, 8));
        });
    }

    #[test]
    fn a_freed_block_smaller_than_a_chunk_is_not_carved() {
        on_a_new_thread(|| unsafe {
            let alloc = SizeClassAlloc;
            let big = layout(CHUNK / 2, 8);
            let freed = alloc.alloc(big);
            let above = alloc.alloc(layout(2000, 8));
            alloc.dealloc(freed, big);
            let small = alloc.alloc(layout(24, 8)) as usize;
            assert!(!(freed as usize..freed as usize + CHUNK / 2).contains(&small));
            assert_eq!(alloc.alloc(big), freed, "kept for its own class");
            alloc.dealloc(above, layout(2000, 8));
        });
    }

    #[test]
    fn a_freed_block_is_reused_for_its_class_only() {
        let alloc = SizeClassAlloc;
        let a = freed_block(40);
        unsafe {
            let other_class = alloc.alloc(layout(100, 8));
            assert_ne!(other_class, a);
            let same_class = alloc.alloc(layout(33, 8));
            assert_eq!(same_class, a, "48-byte class: the block just freed");
            alloc.dealloc(same_class, layout(33, 8));
            alloc.dealloc(other_class, layout(100, 8));
        }
    }

    #[test]
    fn the_topmost_large_block_grows_and_shrinks_in_place() {
        on_a_new_thread(|| unsafe {
            let alloc = SizeClassAlloc;
            let below = alloc.alloc(layout(5000, 8));
            let mut block = alloc.alloc(layout(3000, 8));
            block.write_bytes(9, 3000);
            let at = block;
            let mut size = 3000;
            for new_size in [20_000, 1 << 20, 10 << 20, 6000] {
                block = alloc.realloc(block, layout(size, 8), new_size);
                assert_eq!(block, at, "in place at {new_size}");
                assert!(holds(block, 3000, 9));
                size = new_size;
            }
            // Below the top now: a block above it is moved on growth.
            let above = alloc.alloc(layout(2000, 8));
            let moved = alloc.realloc(block, layout(6000, 8), 9000);
            assert_ne!(moved, at, "no longer the topmost block");
            assert!(holds(moved, 3000, 9));
            // Its old place is on the free list of its class.
            let again = alloc.alloc(layout(5500, 8));
            assert_eq!(again, at);
            for (b, size) in [(again, 5500), (moved, 9000), (above, 2000), (below, 5000)] {
                alloc.dealloc(b, layout(size, 8));
            }
        });
    }

    #[test]
    fn freeing_the_topmost_large_block_gives_its_space_back() {
        on_a_new_thread(|| unsafe {
            let alloc = SizeClassAlloc;
            let keep = alloc.alloc(layout(4000, 8));
            let first = alloc.alloc(layout(70_000, 8));
            alloc.dealloc(first, layout(70_000, 8));
            let second = alloc.alloc(layout(300_000, 8));
            assert_eq!(second, first, "carved where the freed top block was");
            alloc.dealloc(second, layout(300_000, 8));
            alloc.dealloc(keep, layout(4000, 8));
        });
    }

    #[test]
    fn blocks_are_aligned_distinct_and_keep_their_contents() {
        let alloc = SizeClassAlloc;
        let mut blocks = Vec::new();
        for i in 0..20_000usize {
            let size = 1 + (i * 7919) % (8 * MAX_SMALL + 200);
            let l = layout(size, 1 << (i % 7));
            // SAFETY: non-zero size; written within the size.
            let block = unsafe { alloc.alloc(l) };
            assert!(!block.is_null());
            assert_eq!(block as usize % l.align(), 0);
            unsafe { block.write_bytes((i % 251) as u8, size) };
            blocks.push((block, l, (i % 251) as u8));
            if i % 3 == 0 {
                let (block, l, _) = blocks.swap_remove(i % blocks.len());
                unsafe { alloc.dealloc(block, l) };
            }
        }
        for &(block, l, fill) in &blocks {
            // SAFETY: each block was allocated and filled above.
            assert!(
                unsafe { holds(block, l.size(), fill) },
                "a block was overwritten"
            );
        }
        for (block, l, _) in blocks {
            unsafe { alloc.dealloc(block, l) };
        }
    }

    #[test]
    fn realloc_keeps_the_contents_across_classes_and_the_system_allocator() {
        let alloc = SizeClassAlloc;
        for align in [8, 64] {
            unsafe {
                let mut l = layout(8, align);
                let mut block = alloc.alloc(l);
                block.write_bytes(7, 8);
                for new_size in [12, 16, 100, 1000, 5000, 300_000, 900, 3, 40 << 20, 2000] {
                    let kept = l.size().min(new_size);
                    block = alloc.realloc(block, l, new_size);
                    assert!(!block.is_null());
                    assert_eq!(block as usize % align, 0);
                    assert!(holds(block, kept, 7), "grown to {new_size}");
                    block.add(kept).write_bytes(7, new_size - kept);
                    l = layout(new_size, align);
                }
                alloc.dealloc(block, l);
            }
        }
    }

    #[test]
    fn zeroed_blocks_are_zero_even_when_reused() {
        on_a_new_thread(|| unsafe {
            let alloc = SizeClassAlloc;
            let a = freed_block(64);
            let z = alloc.alloc_zeroed(layout(64, 8));
            assert_eq!(z, a);
            assert!(holds(z, 64, 0));
            alloc.dealloc(z, layout(64, 8));
            for size in [1 << 20, 5000, 1 << 20] {
                // The first and last come from the same place: the region's
                // top, written over in between.
                let big = alloc.alloc_zeroed(layout(size, 8));
                assert!(holds(big, size, 0), "{size}");
                big.write_bytes(3, size);
                alloc.dealloc(big, layout(size, 8));
            }
            let wide = alloc.alloc_zeroed(layout(5000, 128));
            assert!(holds(wide, 5000, 0));
            alloc.dealloc(wide, layout(5000, 128));
        });
    }

    #[test]
    fn a_full_region_is_followed_by_a_new_one() {
        on_a_new_thread(|| unsafe {
            let alloc = SizeClassAlloc;
            let size = heap::REGION_BYTES / 3;
            let blocks: Vec<*mut u8> = (0..4u8)
                .map(|i| {
                    let b = alloc.alloc(layout(size, 8));
                    assert!(!b.is_null());
                    // Touch only the ends: the rest stays unmapped.
                    *b = i;
                    *b.add(size - 1) = i;
                    b
                })
                .collect();
            for (i, &b) in blocks.iter().enumerate() {
                assert_eq!((*b, *b.add(size - 1)), (i as u8, i as u8));
            }
            let huge = alloc.alloc(layout(heap::REGION_BYTES + 1, 8));
            assert!(
                !huge.is_null(),
                "a region sized for a block larger than one"
            );
            *huge.add(heap::REGION_BYTES) = 1;
            alloc.dealloc(huge, layout(heap::REGION_BYTES + 1, 8));
            for b in blocks {
                alloc.dealloc(b, layout(size, 8));
            }
        });
    }

    /// Whether the page holding `address` is backed by memory (`mincore`).
    #[cfg(target_os = "linux")]
    fn resident(address: usize) -> bool {
        let page = address - address % heap::PAGE;
        let mut status = 0u8;
        // SAFETY: one page of this process's mapping, one status byte.
        let ok = unsafe { libc::mincore(page as *mut _, heap::PAGE, &mut status) } == 0;
        ok && status & 1 == 1
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn memory_past_a_new_block_is_populated_ahead_but_not_past_a_very_large_one() {
        on_a_new_thread(|| unsafe {
            let alloc = SizeClassAlloc;
            let block = alloc.alloc(layout(10_000, 8));
            // Nothing touched the block or what follows it, yet both are
            // backed: populated as the block was carved.
            assert!(resident(block as usize));
            assert!(resident(block as usize + 10_000 + heap::PAGE));
            let large = alloc.alloc(layout(POPULATE_AT_MOST * 2, 8));
            assert!(
                !resident(large as usize + POPULATE_AT_MOST),
                "too large to populate"
            );
            *large.add(POPULATE_AT_MOST) = 1;
            assert!(resident(large as usize + POPULATE_AT_MOST), "faulted in");
            alloc.dealloc(large, layout(POPULATE_AT_MOST * 2, 8));
            alloc.dealloc(block, layout(10_000, 8));
        });
    }

    #[test]
    fn blocks_freed_on_another_thread_stay_usable() {
        let alloc = SizeClassAlloc;
        let addresses: Vec<usize> = std::thread::spawn(|| {
            (0..1000)
                .map(|i| unsafe {
                    let size = if i % 2 == 0 { 24 } else { 3000 };
                    let b = SizeClassAlloc.alloc(layout(size, 8));
                    b.write_bytes(i as u8, size);
                    b as usize
                })
                .collect()
        })
        .join()
        .expect("no panic");
        for (i, &a) in addresses.iter().enumerate() {
            let size = if i % 2 == 0 { 24 } else { 3000 };
            assert!(unsafe { holds(a as *const u8, size, i as u8) });
            unsafe { alloc.dealloc(a as *mut u8, layout(size, 8)) };
        }
        unsafe {
            let again = alloc.alloc(layout(20, 8));
            assert_eq!(
                again as usize, addresses[998],
                "the last freed comes back first"
            );
            let large = alloc.alloc(layout(2900, 8));
            assert_eq!(large as usize, addresses[999]);
            alloc.dealloc(again, layout(20, 8));
            alloc.dealloc(large, layout(2900, 8));
        }
    }
}
