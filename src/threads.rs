//! The helper threads the library starts natively (a schema compile ahead
//! of validation, template parsing and manifest reading shared with a
//! second core, the command line's render thread), and a process-wide
//! start handler they all run first, as thread pools offer (rayon's
//! `start_handler`). The `chartroom` binary uses it to give each helper's
//! heap huge pages up front (`cli::heap`); library users need not.

use std::sync::OnceLock;

static START_HANDLER: OnceLock<fn()> = OnceLock::new();

/// Makes every helper thread started from now on run `handler` before its
/// work. Only the first call takes effect; returns whether this one did.
pub fn set_start_handler(handler: fn()) -> bool {
    START_HANDLER.set(handler).is_ok()
}

/// A builder for a helper thread named `name`, with `stack_bytes` of
/// stack (reserved, not committed).
#[cfg(not(target_arch = "wasm32"))]
fn builder(name: &str, stack_bytes: usize) -> std::thread::Builder {
    std::thread::Builder::new()
        .name(name.into())
        .stack_size(stack_bytes)
}

/// Starts `work` on a helper thread named `name` (with `stack_bytes` of
/// stack), after the start handler.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn spawn<T: Send + 'static>(
    name: &str,
    stack_bytes: usize,
    work: impl FnOnce() -> T + Send + 'static,
) -> std::io::Result<std::thread::JoinHandle<T>> {
    builder(name, stack_bytes).spawn(|| {
        on_start();
        work()
    })
}

/// Runs `helper_work` on a helper thread named `name` (with `stack_bytes`
/// of stack) while this thread runs `own_work`; both results, or `None` if
/// no thread could be started or the helper panicked.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn with_helper<H: Send, O>(
    name: &str,
    stack_bytes: usize,
    helper_work: impl FnOnce() -> H + Send,
    own_work: impl FnOnce() -> O,
) -> Option<(H, O)> {
    std::thread::scope(|scope| {
        let helper = builder(name, stack_bytes)
            .spawn_scoped(scope, || {
                on_start();
                helper_work()
            })
            .ok()?;
        let own = own_work();
        Some((helper.join().ok()?, own))
    })
}

/// Runs the start handler, if one is set; the first call in each helper.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn on_start() {
    if let Some(handler) = START_HANDLER.get() {
        handler();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static STARTS: AtomicUsize = AtomicUsize::new(0);

    fn count_start() {
        STARTS.fetch_add(1, Ordering::SeqCst);
    }

    #[test]
    fn helpers_run_the_first_handler_set() {
        assert!(set_start_handler(count_start));
        assert!(!set_start_handler(|| panic!("not the first handler")));
        let before = STARTS.load(Ordering::SeqCst);
        builder("test", 1 << 20)
            .spawn(on_start)
            .expect("thread")
            .join()
            .expect("no panic");
        assert!(STARTS.load(Ordering::SeqCst) > before);
    }
}
