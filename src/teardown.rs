//! Skipping the teardown of large structures in a process that is about
//! to exit (as compilers such as rustc do): freeing a chart's parsed
//! templates, its compiled schemas and its values, node by node, costs a
//! tenth of a `chartroom template` run and gains nothing when the process
//! ends right after. The `chartroom` binary turns this on; library users
//! (the npm package, long-lived hosts) keep the default, which frees
//! everything as usual.

use std::sync::atomic::{AtomicBool, Ordering};

static SKIP: AtomicBool = AtomicBool::new(false);

/// From now on, [`discard`] leaks instead of freeing. For a process that
/// exits after one piece of work.
pub fn skip_teardown() {
    SKIP.store(true, Ordering::Relaxed);
}

/// Whether [`skip_teardown`] was called.
pub fn skipping() -> bool {
    SKIP.load(Ordering::Relaxed)
}

/// For a helper thread whose work is done: where the process skips
/// teardown, blocks for good (the process exits without waiting for it);
/// otherwise returns at once, for the thread to end. A thread that ends
/// hands its stack back (`MADV_DONTNEED` over all of it) and unmaps its
/// signal stack, each change to the address space interrupting the
/// threads still working on other cores to flush their TLBs.
#[cfg(not(target_arch = "wasm32"))]
pub fn idle_until_exit() {
    while skipping() {
        std::thread::park();
    }
}

/// Drops `value`, or leaks it when the process skips teardown.
pub fn discard<T>(value: T) {
    if skipping() {
        std::mem::forget(value);
    } else {
        drop(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;

    #[test]
    fn discard_drops_by_default() {
        // Other tests in this process never call skip_teardown.
        let shared = Rc::new(5);
        discard(Rc::clone(&shared));
        assert!(!skipping());
        assert_eq!(Rc::strong_count(&shared), 1);
    }
}
