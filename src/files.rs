//! Files in and out of the browser. Downloads go through a Blob and a
//! temporary link, so nothing leaves the machine.
//!
//! Decoding a picked file (text encodings, the xlsx reader) and writing
//! xlsx run in a web worker, `io-worker`, built from this crate's second
//! binary. Its wasm carries encoding tables and zip/xml code the console
//! needs only when a file moves, so it is fetched on first use instead of
//! with the console. Messages are `{id, job, bytes}` in and
//! `{id, result, bytes}` out, `job` and `result` as JSON.

use clientele_io::export::ExportTable;
use clientele_io::read::{Decoded, ReadError, ReadOptions};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Where Trunk puts the worker's loader (worker files are not hashed).
const WORKER_URL: &str = "/io-worker_loader.js";

#[derive(Serialize, Deserialize)]
enum Job {
    Decode { options: ReadOptions },
    Xlsx { table: ExportTable, sheet: String },
}

#[derive(Serialize, Deserialize)]
enum Reply {
    Decoded(Result<Decoded, ReadError>),
    /// The workbook's bytes travel beside the reply.
    Xlsx(Result<(), String>),
    Invalid,
}

/// Why a file job could not run, worded at the UI edge.
#[derive(Debug)]
pub enum WorkerError {
    /// The worker did not start or stopped (offline before it was cached,
    /// or a crash while reading): the message says which.
    Failed(String),
}

impl std::fmt::Display for WorkerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WorkerError::Failed(e) => write!(f, "{e}"),
        }
    }
}

/// Decodes a picked file in the worker.
pub async fn decode(
    bytes: &[u8],
    options: &ReadOptions,
) -> Result<Result<Decoded, ReadError>, WorkerError> {
    let job = Job::Decode {
        options: options.clone(),
    };
    match call(&job, Some(bytes)).await? {
        (Reply::Decoded(r), _) => Ok(r),
        _ => Err(WorkerError::Failed("unexpected reply".into())),
    }
}

/// An xlsx workbook of `table`, written in the worker.
pub async fn xlsx(table: ExportTable, sheet: &str) -> Result<Vec<u8>, String> {
    let job = Job::Xlsx {
        table,
        sheet: sheet.to_string(),
    };
    match call(&job, None).await.map_err(|e| e.to_string())? {
        (Reply::Xlsx(Ok(())), Some(b)) => Ok(b),
        (Reply::Xlsx(Err(e)), _) => Err(e),
        _ => Err("unexpected reply".into()),
    }
}

struct Client {
    worker: web_sys::Worker,
    ready: bool,
    queue: Vec<JsValue>,
    /// Resolve and reject of each job waiting for its reply.
    pending: HashMap<u32, (js_sys::Function, js_sys::Function)>,
    next: u32,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

thread_local! {
    static CLIENT: RefCell<Option<Client>> = const { RefCell::new(None) };
}

fn start() -> Result<Client, WorkerError> {
    let worker =
        web_sys::Worker::new(WORKER_URL).map_err(|e| WorkerError::Failed(format!("{e:?}")))?;
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(on_message);
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(on_error);
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(Client {
        worker,
        ready: false,
        queue: Vec::new(),
        pending: HashMap::new(),
        next: 0,
        _on_message: on_message,
        _on_error: on_error,
    })
}

fn on_message(ev: web_sys::MessageEvent) {
    let data = ev.data();
    CLIENT.with_borrow_mut(|c| {
        let Some(c) = c.as_mut() else { return };
        // The worker says "ready" once its wasm runs; messages sent
        // before that would find no handler, so they wait here.
        if data.as_string().as_deref() == Some("ready") {
            c.ready = true;
            for m in c.queue.drain(..) {
                let _ = c.worker.post_message(&m);
            }
            return;
        }
        let id = get(&data, "id").as_f64().unwrap_or(-1.0) as u32;
        if let Some((resolve, _)) = c.pending.remove(&id) {
            let _ = resolve.call1(&JsValue::NULL, &data);
        }
    });
}

fn on_error(ev: web_sys::Event) {
    ev.prevent_default();
    // A worker that failed to load or crashed is dropped; the next job
    // starts a fresh one.
    if let Some(c) = CLIENT.with_borrow_mut(|c| c.take()) {
        c.worker.terminate();
        let why = JsValue::from_str("the file reader stopped");
        for (_, (_, reject)) in c.pending {
            let _ = reject.call1(&JsValue::NULL, &why);
        }
    }
}

fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn set(o: &js_sys::Object, key: &str, v: &JsValue) {
    let _ = js_sys::Reflect::set(o, &JsValue::from_str(key), v);
}

fn bytes_of(v: &JsValue) -> Option<Vec<u8>> {
    v.dyn_ref::<js_sys::Uint8Array>().map(|a| a.to_vec())
}

async fn call(job: &Job, bytes: Option<&[u8]>) -> Result<(Reply, Option<Vec<u8>>), WorkerError> {
    let json = serde_json::to_string(job).map_err(|e| WorkerError::Failed(e.to_string()))?;
    let msg = js_sys::Object::new();
    set(&msg, "job", &JsValue::from_str(&json));
    if let Some(b) = bytes {
        set(&msg, "bytes", &js_sys::Uint8Array::from(b).into());
    }
    let mut failed = None;
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let sent = CLIENT.with_borrow_mut(|c| {
            if c.is_none() {
                *c = Some(start()?);
            }
            let c = c.as_mut().expect("just started");
            let id = c.next;
            c.next = c.next.wrapping_add(1);
            set(&msg, "id", &JsValue::from_f64(f64::from(id)));
            c.pending.insert(id, (resolve, reject));
            if c.ready {
                let _ = c.worker.post_message(&msg);
            } else {
                c.queue.push(msg.clone().into());
            }
            Ok::<(), WorkerError>(())
        });
        failed = sent.err();
    });
    if let Some(e) = failed {
        return Err(e);
    }
    let data = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|e| WorkerError::Failed(e.as_string().unwrap_or_else(|| format!("{e:?}"))))?;
    let reply = get(&data, "result")
        .as_string()
        .and_then(|s| serde_json::from_str::<Reply>(&s).ok())
        .ok_or_else(|| WorkerError::Failed("unreadable reply".into()))?;
    Ok((reply, bytes_of(&get(&data, "bytes"))))
}

/// The worker's side: answers jobs until the page closes. Called by the
/// `io-worker` binary; never in the page itself.
pub fn serve_worker() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let data = ev.data();
            let job = get(&data, "job")
                .as_string()
                .and_then(|s| serde_json::from_str::<Job>(&s).ok());
            let bytes = bytes_of(&get(&data, "bytes"));
            let (reply, out) = run(job, bytes);
            let msg = js_sys::Object::new();
            set(&msg, "id", &get(&data, "id"));
            let json = serde_json::to_string(&reply).unwrap_or_else(|_| "\"Invalid\"".into());
            set(&msg, "result", &JsValue::from_str(&json));
            if let Some(b) = out {
                set(
                    &msg,
                    "bytes",
                    &js_sys::Uint8Array::from(b.as_slice()).into(),
                );
            }
            let _ = reply_to.post_message(&msg);
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str("ready"));
}

fn run(job: Option<Job>, bytes: Option<Vec<u8>>) -> (Reply, Option<Vec<u8>>) {
    match job {
        Some(Job::Decode { options }) => {
            let bytes = bytes.unwrap_or_default();
            (
                Reply::Decoded(clientele_io::read::decode_file(&bytes, &options)),
                None,
            )
        }
        Some(Job::Xlsx { table, sheet }) => match clientele_io::export::to_xlsx(&table, &sheet) {
            Ok(b) => (Reply::Xlsx(Ok(())), Some(b)),
            Err(e) => (Reply::Xlsx(Err(e.0)), None),
        },
        None => (Reply::Invalid, None),
    }
}

/// Offers `bytes` as a download named `filename`.
pub fn download(filename: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let parts = js_sys::Array::new();
    parts.push(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|e| format!("{e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| format!("{e:?}"))?
        .dyn_into()
        .map_err(|_| "not an anchor")?;
    a.set_href(&url);
    a.set_download(filename);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// The file picked in the `<input type="file">` that fired `ev`. The
/// input is cleared, so picking the same file again is a new pick.
pub fn take_picked_file(ev: &web_sys::Event) -> Option<web_sys::File> {
    let input = ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    let file = input.files()?.get(0)?;
    input.set_value("");
    Some(file)
}

/// The bytes of a file the user picked (an `<input type="file">`).
pub async fn read_file_bytes(file: web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| format!("{e:?}"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// A file name that carries the store name and date and is safe on every
/// operating system: `Lotus_Boutique-backup-2026-11-23.json`.
pub fn file_name(store_name: &str, what: &str, date: chrono::NaiveDate, ext: &str) -> String {
    let cleaned: String = store_name
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let base = if cleaned.trim_matches('_').is_empty() {
        "clientele".to_string()
    } else {
        cleaned
    };
    // DateFormat::Iso avoids pulling chrono's strftime machinery into the wasm.
    let day = clientele_engine::store::DateFormat::Iso.format(date);
    format!("{base}-{what}-{day}.{ext}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_and_dated() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(
            file_name("莲 · 精品女装", "backup", d, "json"),
            "莲___精品女装-backup-2026-11-23.json"
        );
        assert_eq!(
            file_name("a/b:c", "members", d, "csv"),
            "a_b_c-members-2026-11-23.csv"
        );
        assert_eq!(
            file_name("  ", "backup", d, "json"),
            "clientele-backup-2026-11-23.json"
        );
    }
}
