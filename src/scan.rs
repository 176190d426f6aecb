//! The camera at the counter: reads a member's code (a QR code of the card
//! number). The reader (`scan.js`: the browser's BarcodeDetector, or jsQR)
//! is fetched the first time the camera opens.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
let loading = null;
function load() {
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = "scan.js";
      script.onload = () => resolve();
      script.onerror = () => { loading = null; reject({ name: "unreachable" }); };
      document.head.appendChild(script);
    });
  }
  return loading;
}
export async function scan_read(video) {
  await load();
  return globalThis.clienteleScan.read(video);
}
export function scan_stop() {
  if (globalThis.clienteleScan) globalThis.clienteleScan.stop();
}
export function scan_possible() {
  return !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
}
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn scan_read(video: &web_sys::HtmlElement) -> Result<JsValue, JsValue>;
    fn scan_stop();
    fn scan_possible() -> bool;
}

/// Why the camera read nothing.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ScanError {
    /// The owner (or the browser's settings) refused the camera.
    Denied,
    /// No camera, or the reader could not be fetched.
    Unavailable,
    /// Closed before a code was read.
    Stopped,
}

/// Whether this browser can open a camera at all.
pub fn possible() -> bool {
    scan_possible()
}

/// Shows the camera in `video` until a code is read, and returns its text.
pub async fn read(video: &web_sys::HtmlElement) -> Result<String, ScanError> {
    match scan_read(video).await {
        Ok(text) => text.as_string().ok_or(ScanError::Unavailable),
        Err(e) => {
            let name = js_sys::Reflect::get(&e, &"name".into())
                .ok()
                .and_then(|n| n.as_string())
                .unwrap_or_default();
            Err(match name.as_str() {
                "denied" => ScanError::Denied,
                "stopped" => ScanError::Stopped,
                _ => ScanError::Unavailable,
            })
        }
    }
}

/// Turns the camera off.
pub fn stop() {
    scan_stop();
}
