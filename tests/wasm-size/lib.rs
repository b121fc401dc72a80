//! Size probe for the core library in wasm32 (see `Cargo.toml`).
//!
//! Exports, with no imports:
//! - `cr_alloc(len) -> ptr`: a buffer for the caller's input;
//! - `cr_render(ptr, len) -> ptr`: renders the input, a template text, with
//!   [`chartroom::api::render_template`]; input starting with the gzip magic
//!   is loaded as a chart archive and rendered with
//!   [`chartroom::api::render_chart`] (output as
//!   [`chartroom::api::json::template_output_json`]), so that path is kept. The result
//!   is a little-endian `u32` byte length followed by that many bytes of
//!   UTF-8 (the output or the error text); it is never freed (a probe).

use std::alloc::{alloc, Layout};
use std::ptr::NonNull;

use chartroom::api::json::template_output_json;
use chartroom::api::{render_chart, render_template, RenderOptions};
use chartroom::chart::load::load_archive;
use chartroom::template::ExecOptions;
use chartroom::values::options::ValueOptions;

/// Allocates `len` bytes (alignment 1) for the caller.
#[no_mangle]
pub extern "C" fn cr_alloc(len: usize) -> *mut u8 {
    match Layout::array::<u8>(len) {
        Ok(layout) if len > 0 => unsafe { alloc(layout) },
        _ => NonNull::dangling().as_ptr(),
    }
}

/// Renders the `len` bytes at `ptr` (see the module comment).
///
/// # Safety
/// `ptr` must point to `len` readable bytes (from [`cr_alloc`]).
#[no_mangle]
pub unsafe extern "C" fn cr_render(ptr: *const u8, len: usize) -> *mut u8 {
    let input = if len == 0 {
        &[][..]
    } else {
        std::slice::from_raw_parts(ptr, len)
    };
    let text = match render(input) {
        Ok(text) | Err(text) => text,
    };
    let mut out = Vec::with_capacity(4 + text.len());
    out.extend_from_slice(&(text.len() as u32).to_le_bytes());
    out.extend_from_slice(text.as_bytes());
    Box::leak(out.into_boxed_slice()).as_mut_ptr()
}

fn no_files(name: &str) -> Result<String, String> {
    Err(format!("{name}: no files in the size probe"))
}

fn render(input: &[u8]) -> Result<String, String> {
    if input.starts_with(&[0x1f, 0x8b]) {
        let chart = load_archive(input)?;
        let output = render_chart(chart, &RenderOptions::default(), &no_files, None)
            .map_err(|e| e.to_string())?;
        return Ok(template_output_json(&output));
    }
    let text = std::str::from_utf8(input).map_err(|e| e.to_string())?;
    render_template(
        text,
        &ValueOptions::default(),
        &no_files,
        ExecOptions::default(),
    )
}
