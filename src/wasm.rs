//! The WebAssembly boundary of the npm package (feature `wasm`, wasm32
//! only). Each export hands its arguments to [`crate::api::request`] and
//! returns the JSON text it gives back; the package's JavaScript turns that
//! into results or thrown errors. A chart crosses as a [`ChartFiles`] filled
//! one file at a time, so each file's bytes are copied once, straight into
//! the buffer the loader keeps (no concatenated copy on either side).

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use crate::api::request::{self, ChartSource};
use crate::chart::File;
use crate::template::Host;

/// Talc instead of the standard library's dlmalloc (see the README's wasm
/// memory and speed figures).
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

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

/// A chart on its way in: its files by path, or one packaged chart (`.tgz`).
/// A call that takes it consumes it.
#[wasm_bindgen]
#[derive(Default)]
pub struct ChartFiles {
    files: Vec<File>,
    archive: Option<Vec<u8>>,
}

#[wasm_bindgen]
impl ChartFiles {
    #[wasm_bindgen(constructor)]
    pub fn new() -> ChartFiles {
        ChartFiles::default()
    }

    /// Adds a file from bytes (the glue copies them into this buffer).
    pub fn add(&mut self, path: String, data: Vec<u8>) {
        self.files.push(File {
            name: path,
            data: data.into(),
        });
    }

    /// Adds a file from text (the glue encodes it straight into this buffer).
    #[wasm_bindgen(js_name = addText)]
    pub fn add_text(&mut self, path: String, text: String) {
        self.add(path, text.into_bytes());
    }

    /// Makes the chart one packaged chart (`.tgz` bytes) instead of files.
    #[wasm_bindgen(js_name = setArchive)]
    pub fn set_archive(&mut self, data: Vec<u8>) {
        self.archive = Some(data);
    }
}

impl From<ChartFiles> for ChartSource {
    fn from(chart: ChartFiles) -> ChartSource {
        match chart.archive {
            Some(bytes) => ChartSource::Archive(bytes),
            None => ChartSource::Files(chart.files),
        }
    }
}

/// `renderChart`'s answer: the JSON text and, on success, the output
/// stream apart from it (see [`request::render_chart`]).
#[wasm_bindgen]
pub struct RenderAnswer(request::RenderAnswer);

#[wasm_bindgen]
impl RenderAnswer {
    /// The output stream (`undefined` after an error); once.
    #[wasm_bindgen(js_name = takeOutput)]
    pub fn take_output(&mut self) -> Option<String> {
        self.0.output.take()
    }

    /// The JSON text; consumes the answer.
    #[wasm_bindgen(js_name = intoJson)]
    pub fn into_json(self) -> String {
        self.0.json
    }
}

#[wasm_bindgen(js_name = renderChart)]
pub fn render_chart(chart: ChartFiles, options: &str) -> RenderAnswer {
    RenderAnswer(request::render_chart(
        chart.into(),
        options,
        Some(Rc::new(JsHost)),
    ))
}

#[wasm_bindgen(js_name = renderTemplate)]
pub fn render_template(text: &str, options: &str) -> String {
    request::render_template(text, options, Some(Rc::new(JsHost)))
}

#[wasm_bindgen(js_name = validateValues)]
pub fn validate_values(chart: ChartFiles, options: &str) -> String {
    request::validate_values(chart.into(), options)
}

#[wasm_bindgen(js_name = showValues)]
pub fn show_values(chart: ChartFiles) -> String {
    request::show_values(chart.into())
}

#[wasm_bindgen(js_name = computeValues)]
pub fn compute_values(chart: ChartFiles, options: &str) -> String {
    request::compute_values(chart.into(), options)
}

/// The crate's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
