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
const WORKER_URL: &str = "io-worker_loader.js";

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
    // DateFormat::Iso avoids pulling chrono's strftime machinery into the wasm.
    let day = clientele_engine::store::document::DateFormat::Iso.format(date);
    format!("{}-{what}-{day}.{ext}", file_base(store_name))
}

/// The store name as file names carry it: letters, digits and `-`, the
/// rest `_`; `clientele` for a store without a name.
fn file_base(store_name: &str) -> String {
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
    if cleaned.trim_matches('_').is_empty() {
        "clientele".to_string()
    } else {
        cleaned
    }
}

/// The full backup's file name for `date`, as downloaded and as written to
/// the backup folder.
pub fn backup_name(store_name: &str, date: chrono::NaiveDate) -> String {
    file_name(store_name, "backup", date, "json")
}

/// The date of a backup of this store by its file name, as [`backup_name`]
/// writes it; `None` for any other file (another store's, a renamed copy).
fn backup_date(file: &str, base: &str) -> Option<chrono::NaiveDate> {
    let day = file
        .strip_prefix(base)?
        .strip_prefix("-backup-")?
        .strip_suffix(".json")?;
    // YYYY-MM-DD exactly, read by hand (no strftime parser in the wasm).
    let b = day.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .filter(|d| d.iter().all(u8::is_ascii_digit))
            .and_then(|_| day[r].parse::<u32>().ok())
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)
}

/// The files of a backup folder to delete so that the newest `keep` dated
/// backups of this store remain (at least one: the one just written).
/// Only this store's dated backups are ever chosen; every other file in
/// the folder stays.
pub fn backups_to_delete(files: &[String], store_name: &str, keep: usize) -> Vec<String> {
    let base = file_base(store_name);
    let mut dated: Vec<(chrono::NaiveDate, &String)> = files
        .iter()
        .filter_map(|f| Some((backup_date(f, &base)?, f)))
        .collect();
    dated.sort_unstable_by(|a, b| b.cmp(a));
    dated
        .into_iter()
        .skip(keep.max(1))
        .map(|(_, f)| f.clone())
        .collect()
}

/// Why the backup folder could not be used, worded at the UI edge. On any
/// of these nothing was written and nothing on this device changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FolderError {
    /// The browser does not let the page write there (any more).
    Denied,
    /// The folder (or the disk holding it) is not there any more.
    Gone,
    /// No room left where the folder is.
    Full,
    /// This device could not keep or find the folder's handle.
    NotKept,
    /// The backup folder's code could not be fetched (offline before the
    /// service worker kept it); the next try fetches it again.
    NotLoaded,
    /// Anything else, with the browser's words.
    Failed(String),
}

impl FolderError {
    /// A browser's DOMException by its name; the words of any other.
    fn from_js(e: JsValue) -> FolderError {
        let name = get(&e, "name").as_string().unwrap_or_default();
        let message = get(&e, "message")
            .as_string()
            .unwrap_or_else(|| format!("{e:?}"));
        match name.as_str() {
            "NotAllowedError" | "SecurityError" => FolderError::Denied,
            "NotFoundError" => FolderError::Gone,
            "QuotaExceededError" => FolderError::Full,
            _ if name.is_empty() => FolderError::Failed(message),
            _ => FolderError::Failed(format!("{name}: {message}")),
        }
    }
}

/// Calls `target.method(args…)` and awaits its answer. The File System
/// Access API is called by name: its permission calls are in no web-sys
/// binding, and by name the code stays in the Settings chunk.
async fn call_async(
    target: &JsValue,
    method: &str,
    args: &[&JsValue],
) -> Result<JsValue, FolderError> {
    let f: js_sys::Function = get(target, method)
        .dyn_into()
        .map_err(|_| FolderError::Failed(format!("{method}: not in this browser")))?;
    let answer = f
        .apply(target, &args.iter().collect::<js_sys::Array>())
        .map_err(FolderError::from_js)?;
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&answer))
        .await
        .map_err(FolderError::from_js)
}

fn read_write() -> js_sys::Object {
    let mode = js_sys::Object::new();
    set(&mode, "mode", &JsValue::from_str("readwrite"));
    mode
}

/// Whether this browser can write files into a folder the user picks (the
/// File System Access API: Chromium browsers; Safari and Firefox download).
pub fn folder_supported() -> bool {
    web_sys::window().is_some_and(|w| get(&w, "showDirectoryPicker").is_function())
}

/// Asks the user for a backup folder (on a click: the picker needs one).
/// Answers its handle, which [`crate::storage::save_folder`] keeps, or
/// `None` when the picker was closed without a choice.
pub async fn pick_folder() -> Result<Option<JsValue>, FolderError> {
    let window: JsValue = web_sys::window().map(Into::into).unwrap_or_default();
    let options = read_write();
    // The browser opens its picker in the folder chosen last time.
    set(&options, "id", &JsValue::from_str("clientele-backups"));
    match call_async(&window, "showDirectoryPicker", &[&options]).await {
        Ok(handle) => Ok(Some(handle)),
        Err(FolderError::Failed(m)) if m.starts_with("AbortError") => Ok(None),
        Err(e) => Err(e),
    }
}

/// The folder's name, as its handle carries it.
pub fn folder_name(handle: &JsValue) -> String {
    get(handle, "name").as_string().unwrap_or_default()
}

/// May the page write into the folder? `Ok(true)` yes; `Ok(false)` the
/// browser wants the user's word first (after a reload). `ask` (only on a
/// click) asks for it; without it the browser shows nothing.
pub async fn folder_allowed(handle: &JsValue, ask: bool) -> Result<bool, FolderError> {
    let method = if ask {
        "requestPermission"
    } else {
        "queryPermission"
    };
    let state = call_async(handle, method, &[&read_write()]).await?;
    match state.as_string().as_deref() {
        Some("granted") => Ok(true),
        Some("prompt") => Ok(false),
        _ => Err(FolderError::Denied),
    }
}

/// Writes `text` into the folder as `name`, whole or not at all: the
/// browser writes a copy beside it and swaps it in on close, so a failed
/// write leaves the folder, an older file of that name included, as it was.
async fn write_file(handle: &JsValue, name: &str, text: &str) -> Result<(), FolderError> {
    let js_name = JsValue::from_str(name);
    // Asking for the handle with `create` makes an empty file at once; if
    // the write then fails, that empty file would pass for today's backup
    // (and push a real one out of the newest N), so a file this call made
    // is removed again. Only a file known to be new: an older one of that
    // name is never touched.
    let existed = match call_async(handle, "getFileHandle", &[&js_name]).await {
        Ok(_) => true,
        Err(FolderError::Gone) => false,
        Err(e) => return Err(e),
    };
    let create = js_sys::Object::new();
    set(&create, "create", &JsValue::TRUE);
    let file = call_async(handle, "getFileHandle", &[&js_name, &create]).await?;
    let written = async {
        let writable = call_async(&file, "createWritable", &[]).await?;
        let done = async {
            call_async(&writable, "write", &[&JsValue::from_str(text)]).await?;
            call_async(&writable, "close", &[]).await
        }
        .await;
        if done.is_err() {
            let _ = call_async(&writable, "abort", &[]).await;
        }
        done
    }
    .await;
    if written.is_err() && !existed {
        let _ = call_async(handle, "removeEntry", &[&js_name]).await;
    }
    written.map(|_| ())
}

/// The names of the files in the folder.
async fn file_names(handle: &JsValue) -> Result<Vec<String>, FolderError> {
    let entries = call_async(handle, "values", &[]).await?;
    let mut names = Vec::new();
    loop {
        let step = call_async(&entries, "next", &[]).await?;
        if get(&step, "done").is_truthy() {
            return Ok(names);
        }
        let entry = get(&step, "value");
        if get(&entry, "kind").as_string().as_deref() == Some("file") {
            names.extend(get(&entry, "name").as_string());
        }
    }
}

/// Writes `text` into the folder as `name` (whole, or not at all), then
/// deletes this store's dated backups beyond the newest `keep`. Only the
/// write decides the answer: a listing or deletion that fails leaves more
/// backups than asked for, never fewer.
pub async fn write_to_folder(
    handle: &JsValue,
    name: &str,
    text: &str,
    store_name: &str,
    keep: usize,
) -> Result<(), FolderError> {
    write_file(handle, name, text).await?;
    let files = file_names(handle).await.unwrap_or_default();
    // The file just written stays even if a clock set wrong once dated
    // others after today.
    for old in backups_to_delete(&files, store_name, keep)
        .into_iter()
        .filter(|f| f != name)
    {
        let _ = call_async(handle, "removeEntry", &[&JsValue::from_str(&old)]).await;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    #[test]
    fn backup_names_read_back_as_dates() {
        let name = backup_name("Lotus Boutique", day(23));
        assert_eq!(name, "Lotus_Boutique-backup-2026-11-23.json");
        assert_eq!(backup_date(&name, "Lotus_Boutique"), Some(day(23)));
        for other in [
            "Lotus_Boutique-backup-2026-11-23 (1).json",
            "Lotus_Boutique-backup-2026-11-31.json",
            "Lotus_Boutique-backup-2026-1-023.json",
            "Lotus_Boutique-backup-2026-11-2x.json",
            "Lotus_Boutique-backup-+026-11-23.json",
            "Lotus_Boutique-members-2026-11-23.csv",
            "Lotus_Boutique-backup-2026-11-23.json.crswap",
            "Other-backup-2026-11-23.json",
        ] {
            assert_eq!(backup_date(other, "Lotus_Boutique"), None, "{other}");
        }
        // A store whose name another's begins with is a different store.
        assert_eq!(backup_date(&name, "Lotus"), None);
    }

    #[test]
    fn only_this_stores_oldest_dated_backups_are_deleted() {
        let mut files: Vec<String> = (1..=20).map(|d| backup_name("莲", day(d))).collect();
        files.extend(
            [
                "notes.txt",
                "莲-backup-2026-11-01 copy.json",
                "Other-backup-2026-10-01.json",
                "莲-members-2026-10-01.csv",
            ]
            .map(String::from),
        );
        files.reverse();
        let mut gone = backups_to_delete(&files, "莲", 14);
        gone.sort();
        let want: Vec<String> = (1..=6).map(|d| backup_name("莲", day(d))).collect();
        assert_eq!(gone, want);
        assert!(backups_to_delete(&files, "莲", 30).is_empty());
        // Keeping none still keeps the newest.
        assert_eq!(backups_to_delete(&files, "莲", 0).len(), 19);
        assert!(!backups_to_delete(&files, "莲", 0).contains(&backup_name("莲", day(20))));
        // An unnamed store's backups are "clientele-backup-…".
        let unnamed = [backup_name("", day(1)), backup_name("", day(2))];
        assert_eq!(
            backups_to_delete(&unnamed, " ", 1),
            [backup_name("", day(1))]
        );
    }

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
