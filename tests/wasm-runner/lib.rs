//! The conformance harness (`tests/conformance/harness.rs`, the same file the
//! native runner compiles) as a wasm32 module for `run.mjs`.
//!
//! The interface is plain `extern "C"` functions over linear memory, so the
//! module needs no imports and no wasm-bindgen:
//! - `cr_alloc(len) -> ptr` / `cr_free(ptr, len)`: buffers for the caller to
//!   write a file name or a file's JSON text into;
//! - `cr_handles(name_ptr, name_len) -> 0 | 1`: [`harness::handles`];
//! - `cr_run(name_ptr, name_len, json_ptr, json_len) -> ptr`:
//!   [`harness::run_file`]; the result is a buffer holding a little-endian
//!   `u32` byte length followed by that many bytes of UTF-8 text: the
//!   summary line, then one line per failed case. The caller frees it with
//!   `cr_free(ptr, 4 + length)`.
//! - `cr_panic_message() -> ptr`: after a trap, the panic message (a buffer
//!   like `cr_run`'s) or 0. A panic aborts in wasm, and the module cannot
//!   print, so a hook keeps the message for the caller to read.

#[path = "../conformance/harness.rs"]
mod harness;

use std::alloc::{alloc, dealloc, Layout};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::Once;

/// How far a case may grow the stack: `build.rs` links the module with a
/// 256 MiB stack so that Go's template depth limit is reachable, as natively.
const STACK_BUDGET: usize = 200 << 20;

/// The last panic's message, as a length-prefixed buffer (null if none).
static PANIC_MESSAGE: AtomicPtr<u8> = AtomicPtr::new(std::ptr::null_mut());
static PANIC_HOOK: Once = Once::new();

/// The message of the panic that trapped the module, or null.
#[no_mangle]
pub extern "C" fn cr_panic_message() -> *mut u8 {
    PANIC_MESSAGE.load(Ordering::SeqCst)
}

/// Allocates `len` bytes (alignment 1) for the caller.
#[no_mangle]
pub extern "C" fn cr_alloc(len: usize) -> *mut u8 {
    match Layout::array::<u8>(len) {
        Ok(layout) if len > 0 => unsafe { alloc(layout) },
        _ => NonNull::dangling().as_ptr(),
    }
}

/// Frees a buffer from [`cr_alloc`] or [`cr_run`].
///
/// # Safety
/// `ptr` and `len` must be exactly what `cr_alloc` returned and was given,
/// or a `cr_run` result and its total length.
#[no_mangle]
pub unsafe extern "C" fn cr_free(ptr: *mut u8, len: usize) {
    if len > 0 {
        dealloc(
            ptr,
            Layout::array::<u8>(len).expect("length came from cr_alloc"),
        );
    }
}

/// Sets the time the cases see as "now" (the module has no clock of its own).
#[no_mangle]
pub extern "C" fn cr_set_clock_millis(millis: f64) {
    harness::set_clock_millis(millis as i64);
}

/// Whether the harness runs the vector file with this name.
///
/// # Safety
/// `name_ptr` must point to `name_len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn cr_handles(name_ptr: *const u8, name_len: usize) -> u32 {
    match text(name_ptr, name_len) {
        Ok(name) => harness::handles(name) as u32,
        Err(_) => 0,
    }
}

/// Runs one vector file; see the module documentation for the result.
///
/// # Safety
/// Each pointer must point to its length of readable bytes.
#[no_mangle]
pub unsafe extern "C" fn cr_run(
    name_ptr: *const u8,
    name_len: usize,
    json_ptr: *const u8,
    json_len: usize,
) -> *mut u8 {
    PANIC_HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let message = length_prefixed(info.to_string().as_bytes());
            PANIC_MESSAGE.store(message, Ordering::SeqCst);
        }))
    });
    let output = match (text(name_ptr, name_len), text(json_ptr, json_len)) {
        (Ok(name), Ok(json)) => {
            harness::set_stack_budget(STACK_BUDGET);
            let report = harness::run_file(name, json);
            let mut lines = vec![report.summary()];
            lines.extend(report.failures.iter().cloned());
            lines.join("\n")
        }
        (Err(err), _) | (_, Err(err)) => format!("error: input is not UTF-8: {err}"),
    };
    length_prefixed(output.as_bytes())
}

unsafe fn text<'a>(ptr: *const u8, len: usize) -> Result<&'a str, std::str::Utf8Error> {
    let bytes = if len == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(ptr, len)
    };
    std::str::from_utf8(bytes)
}

fn length_prefixed(bytes: &[u8]) -> *mut u8 {
    let len = bytes.len();
    let buffer = cr_alloc(4 + len);
    // SAFETY: `buffer` has room for the 4-byte length and `len` bytes. On
    // wasm32 `usize` is `u32`, so the length fits its prefix.
    unsafe {
        std::ptr::copy_nonoverlapping((len as u32).to_le_bytes().as_ptr(), buffer, 4);
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), buffer.add(4), len);
    }
    buffer
}
