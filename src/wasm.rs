//! The WebAssembly boundary of the npm package (feature `wasm`, wasm32
//! only). Each export hands its arguments to [`crate::api::request`] and
//! returns the JSON text it gives back; the package's JavaScript turns that
//! into results or thrown errors. A chart crosses as its paths, the byte
//! length of each file and all files' bytes in one buffer (no paths: one
//! `.tgz`), so a call costs one copy.

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use crate::api::request::{self, ChartSource};
use crate::chart::File;
use crate::template::Host;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(buf: &mut [u8]);
}

/// Time and randomness from the JavaScript host: `Date.now()` and
/// `crypto.getRandomValues` (Node 19+ and every browser have both).
struct JsHost;

impl Host for JsHost {
    fn random_bytes(&self, buf: &mut [u8]) {
        // getRandomValues fills at most 65536 bytes a call.
        for chunk in buf.chunks_mut(65536) {
            get_random_values(chunk);
        }
    }

    fn now(&self) -> (i64, u32) {
        let ms = date_now();
        let secs = (ms / 1000.0).floor();
        (secs as i64, ((ms - secs * 1000.0) * 1_000_000.0) as u32)
    }
}

fn source(paths: Vec<String>, sizes: &[u32], data: &[u8]) -> ChartSource {
    if paths.is_empty() {
        return ChartSource::Archive(data.to_vec());
    }
    let mut files = Vec::with_capacity(paths.len());
    let mut offset = 0usize;
    for (name, &size) in paths.into_iter().zip(sizes) {
        let end = (offset + size as usize).min(data.len());
        files.push(File {
            name,
            data: data[offset..end].to_vec(),
        });
        offset = end;
    }
    ChartSource::Files(files)
}

#[wasm_bindgen(js_name = renderChart)]
pub fn render_chart(paths: Vec<String>, sizes: &[u32], data: &[u8], options: &str) -> String {
    request::render_chart(source(paths, sizes, data), options, Some(Rc::new(JsHost)))
}

#[wasm_bindgen(js_name = renderTemplate)]
pub fn render_template(text: &str, options: &str) -> String {
    request::render_template(text, options, Some(Rc::new(JsHost)))
}

#[wasm_bindgen(js_name = validateValues)]
pub fn validate_values(paths: Vec<String>, sizes: &[u32], data: &[u8], options: &str) -> String {
    request::validate_values(source(paths, sizes, data), options)
}

#[wasm_bindgen(js_name = showValues)]
pub fn show_values(paths: Vec<String>, sizes: &[u32], data: &[u8]) -> String {
    request::show_values(source(paths, sizes, data))
}

#[wasm_bindgen(js_name = computeValues)]
pub fn compute_values(paths: Vec<String>, sizes: &[u32], data: &[u8], options: &str) -> String {
    request::compute_values(source(paths, sizes, data), options)
}

/// The crate's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
