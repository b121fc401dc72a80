//! The `chartroom` process's global allocator (the binary installs
//! [`SizeClassAlloc`]; the library never does): small blocks are served
//! from per-thread free lists, one per 16-byte size class, and carved from
//! chunks of the system allocator; everything else goes to the system
//! allocator as it is.
//!
//! A render makes hundreds of thousands of small allocations (tokens,
//! nodes, strings, map entries) and glibc's `malloc`/`free` spent about a
//! fifth of a run's instructions on them (bitnami-redis: 23M of 106M),
//! locks and bin searches included. Here an allocation or a free of a
//! small block is a few instructions on the calling thread's own list.
//!
//! The price suits one short run: small blocks are never handed back to
//! the system allocator, and a block freed into one size class is reused
//! only for that class (a thread's lists are dropped, unused, when it
//! exits). The chunks come from the system allocator, so they live in the
//! heap [`super::heap`] sets up (grown once, huge pages).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::ptr;

/// Size classes are multiples of this; it is also the alignment every
/// block gets (the system allocator's on 64-bit targets).
const GRAIN: usize = 16;
/// The number of size classes: blocks up to `CLASSES * GRAIN` bytes.
const CLASSES: usize = 64;
/// The largest block served from the size classes.
pub const MAX_SMALL: usize = CLASSES * GRAIN;
/// How much a thread takes from the system allocator when its current
/// chunk is used up (the rest of the old chunk stays unused).
const CHUNK: usize = 64 << 10;

/// The global allocator of the `chartroom` binary (see the module docs).
pub struct SizeClassAlloc;

/// One thread's lists and its current chunk.
struct Cache {
    /// The first free block of each class; a free block holds the address
    /// of the next one in its first word.
    free: [Cell<*mut u8>; CLASSES],
    /// The unused part of the current chunk.
    next: Cell<*mut u8>,
    end: Cell<*mut u8>,
}

thread_local! {
    // No destructor, so the cache is there for as long as the thread
    // runs, even while other thread-locals are being dropped.
    static CACHE: Cache = const {
        Cache {
            free: [const { Cell::new(ptr::null_mut()) }; CLASSES],
            next: Cell::new(ptr::null_mut()),
            end: Cell::new(ptr::null_mut()),
        }
    };
}

/// Makes the calling thread carve its next small blocks from a new chunk,
/// leaving the rest of the current one untouched. For a thread whose heap
/// [`super::heap`] has just set up: the chunk its first allocations took
/// lies in the heap's small pages, and each of its 4 KiB pages would fault
/// on its own, where a chunk carved now lies in the huge pages.
pub fn start_a_new_chunk() {
    CACHE.with(|cache| {
        cache.next.set(ptr::null_mut());
        cache.end.set(ptr::null_mut());
    });
}

/// The size class of a small layout, or `None` for a layout the system
/// allocator serves.
#[inline]
fn class_of(layout: Layout) -> Option<usize> {
    if layout.size() <= MAX_SMALL && layout.align() <= GRAIN {
        Some(layout.size().max(1).div_ceil(GRAIN) - 1)
    } else {
        None
    }
}

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
        // SAFETY: CHUNK is non-zero and GRAIN a power of two.
        let chunk = unsafe { System.alloc(Layout::from_size_align_unchecked(CHUNK, GRAIN)) };
        if chunk.is_null() {
            return chunk;
        }
        // SAFETY: `size` is at most MAX_SMALL, well inside the chunk.
        unsafe {
            self.next.set(chunk.add(size));
            self.end.set(chunk.add(CHUNK));
        }
        chunk
    }

    /// # Safety
    /// `block` is a block of `class` no longer in use.
    #[inline]
    unsafe fn give(&self, block: *mut u8, class: usize) {
        block.cast::<*mut u8>().write(self.free[class].get());
        self.free[class].set(block);
    }
}

// SAFETY: small blocks are GRAIN-aligned (chunks are, and every class is
// a multiple of GRAIN) and at least as large as their layout; each is in
// at most one free list, and only after it was freed; everything else is
// the system allocator's, with the layout the caller passed.
unsafe impl GlobalAlloc for SizeClassAlloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match class_of(layout) {
            Some(class) => CACHE.with(|cache| cache.take(class)),
            None => System.alloc(layout),
        }
    }

    #[inline]
    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        match class_of(layout) {
            Some(class) => CACHE.with(|cache| cache.give(block, class)),
            None => System.dealloc(block, layout),
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if class_of(layout).is_none() {
            return System.alloc_zeroed(layout);
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
            (Some(old), Some(new)) if old == new => block,
            (None, None) => System.realloc(block, layout, new_size),
            _ => {
                let moved = self.alloc(new_layout);
                if !moved.is_null() {
                    ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                    self.dealloc(block, layout);
                }
                moved
            }
        }
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
    fn a_new_chunk_is_carved_once_asked_for() {
        std::thread::spawn(|| {
            let l = layout(64, 8);
            // SAFETY: a non-zero layout; each block is freed with it.
            unsafe {
                let first = SizeClassAlloc.alloc(l);
                let second = SizeClassAlloc.alloc(l);
                assert_eq!(second as usize, first as usize + 64, "carved in turn");
                start_a_new_chunk();
                let third = SizeClassAlloc.alloc(l);
                let old_chunk = first as usize..first as usize + CHUNK;
                assert!(!old_chunk.contains(&(third as usize)), "from a new chunk");
                let fourth = SizeClassAlloc.alloc(l);
                assert_eq!(fourth as usize, third as usize + 64);
                for block in [first, second, third, fourth] {
                    SizeClassAlloc.dealloc(block, l);
                }
            }
        })
        .join()
        .expect("no panic");
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
    fn blocks_are_aligned_distinct_and_keep_their_contents() {
        let alloc = SizeClassAlloc;
        let mut blocks = Vec::new();
        for i in 0..20_000usize {
            let size = 1 + i % (MAX_SMALL + 200);
            let l = layout(size, 1 << (i % 5));
            // SAFETY: non-zero size; written within the size.
            let block = unsafe { alloc.alloc(l) };
            assert!(!block.is_null());
            assert_eq!(block as usize % l.align(), 0);
            unsafe { block.write_bytes((i % 251) as u8, size) };
            blocks.push((block, l, (i % 251) as u8));
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
        unsafe {
            let mut l = layout(8, 8);
            let mut block = alloc.alloc(l);
            block.write_bytes(7, 8);
            for new_size in [12, 16, 100, 1000, 5000, 300_000, 900, 3] {
                let kept = l.size().min(new_size);
                block = alloc.realloc(block, l, new_size);
                assert!(!block.is_null());
                assert!(holds(block, kept, 7), "grown to {new_size}");
                block.add(kept).write_bytes(7, new_size - kept);
                l = layout(new_size, 8);
            }
            alloc.dealloc(block, l);
        }
    }

    #[test]
    fn zeroed_blocks_are_zero_even_when_reused() {
        let alloc = SizeClassAlloc;
        let a = freed_block(64);
        unsafe {
            let z = alloc.alloc_zeroed(layout(64, 8));
            assert_eq!(z, a);
            assert!(holds(z, 64, 0));
            alloc.dealloc(z, layout(64, 8));
            let big = alloc.alloc_zeroed(layout(1 << 20, 8));
            assert!(holds(big, 1 << 20, 0));
            alloc.dealloc(big, layout(1 << 20, 8));
        }
    }

    #[test]
    fn blocks_freed_on_another_thread_stay_usable() {
        let alloc = SizeClassAlloc;
        let addresses: Vec<usize> = std::thread::spawn(|| {
            (0..1000)
                .map(|i| unsafe {
                    let b = SizeClassAlloc.alloc(layout(24, 8));
                    b.write_bytes(i as u8, 24);
                    b as usize
                })
                .collect()
        })
        .join()
        .expect("no panic");
        for (i, &a) in addresses.iter().enumerate() {
            assert!(unsafe { holds(a as *const u8, 24, i as u8) });
            unsafe { alloc.dealloc(a as *mut u8, layout(24, 8)) };
        }
        unsafe {
            let again = alloc.alloc(layout(20, 8));
            assert_eq!(
                again as usize, addresses[999],
                "the last freed comes back first"
            );
            alloc.dealloc(again, layout(20, 8));
        }
    }
}
