//! The only module that touches browser storage.
//!
//! The store lives in the on-device database: PouchDB (its `idb` adapter,
//! IndexedDB) named [`DB_NAME`], reached through `clienteleDb` (js/db.js,
//! bundled into dist/db.js), in the record layout of
//! `clientele_engine::store::records` (docs/store-format.md). A save writes only
//! the documents a change touched. Other tabs' writes arrive through the
//! database's change feed and join this tab's store.
//!
//! The backup folder's handle is kept in a second, tiny IndexedDB database,
//! `clientele-device` ([`save_folder`]): a handle is an object that
//! localStorage cannot hold, and it is no part of the store.
//!
//! localStorage keeps only small things under `clientele.*`:
//! - `clientele.prefs`: this device's preferences (language, last backup,
//!   the day the backup folder's next backup is due);
//! - `clientele.folder`: the backup folder's settings ([`FolderPrefs`]),
//!   read and written only by the folder's code;
//! - `clientele.device_tag`: the tag of the member ids this device hands
//!   out (docs/store-format.md, "Member ids"); erased with the store, so a
//!   store started again gets a fresh series;
//! - `clientele.import_mappings`: column mappings the user confirmed;
//! - `clientele.journal`: the writes of a save still under way when the page
//!   was hidden, replayed into the database on the next open (IndexedDB
//!   cannot finish a write after the page is gone; localStorage writes at once);
//! - `clientele.store` / `clientele.rev`: the store as older versions kept
//!   it, moved into the database on first open and removed once verified;
//! - `clientele.backup.*`: raw copies kept when a stored document could not
//!   be read, so nothing is ever silently dropped;
//! - `clientele.sync`: this device's sync settings ([`SyncConfig`]).
//!
//! Sync replicates the database with the boutique's server through
//! `clienteleDb.sync*` (js/sync.js, fetched only when this device syncs);
//! what arrives joins the store through the same change feed as another
//! tab's writes.

use crate::chunks::{split_fn, ChunkMissing};
use crate::i18n::Lang;
use clientele_engine::store::document::{read_envelope, unpack, EnvelopeError, PACKED_PREFIX};
use clientele_engine::store::records::{normalize, Pending, Records, SetAside, Write};
use clientele_engine::{DeviceTag, Store};
use gloo_storage::errors::StorageError;
use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub const DB_NAME: &str = "clientele";
pub const STORE_KEY: &str = "clientele.store";
pub const REV_KEY: &str = "clientele.rev";
pub const PREFS_KEY: &str = "clientele.prefs";
pub const DEVICE_TAG_KEY: &str = "clientele.device_tag";
pub const JOURNAL_KEY: &str = "clientele.journal";
pub const BACKUP_PREFIX: &str = "clientele.backup.";
pub const IMPORT_MAPPINGS_KEY: &str = "clientele.import_mappings";
pub const FOLDER_KEY: &str = "clientele.folder";
pub const SYNC_KEY: &str = "clientele.sync";

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = clienteleDb, js_name = open, catch)]
    async fn db_open(name: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = clienteleDb, js_name = ready, catch)]
    async fn db_ready() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = clienteleDb, js_name = readStore, catch)]
    async fn db_read_store(whole: bool) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = clienteleDb, js_name = snapshotSeq, catch)]
    async fn db_snapshot_seq() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = clienteleDb, js_name = updateSeq, catch)]
    async fn db_update_seq() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = clienteleDb, js_name = saveSnapshot, catch)]
    async fn db_save_snapshot(seq_json: &str, rows: &[u8]) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = clienteleDb, js_name = markUnfinished, catch)]
    async fn db_mark_unfinished(docs: u32) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = clienteleDb, js_name = clearUnfinished, catch)]
    async fn db_clear_unfinished() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = clienteleDb, js_name = revs, catch)]
    async fn db_revs(ids_json: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = clienteleDb, js_name = write, catch)]
    async fn db_write(docs_json: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = clienteleDb, js_name = listen, catch)]
    fn db_listen(
        callback: &Closure<dyn FnMut(String, String, Option<String>)>,
    ) -> Result<(), JsValue>;
    #[wasm_bindgen(js_namespace = clienteleDb, js_name = syncConnect, catch)]
    async fn db_sync_connect(config: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = clienteleDb, js_name = syncJoin, catch)]
    async fn db_sync_join(config: &str, progress: &ChangeListener) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = clienteleDb, js_name = syncStart, catch)]
    fn db_sync_start(config: &str, report: &ChangeListener) -> Result<(), JsValue>;
    #[wasm_bindgen(js_namespace = clienteleDb, js_name = syncStop, catch)]
    fn db_sync_stop() -> Result<(), JsValue>;
    #[wasm_bindgen(js_namespace = clienteleDb, js_name = conflicted, catch)]
    async fn db_conflicted() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = clienteleDb, js_name = leaves, catch)]
    async fn db_leaves(id: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = clienteleDb, js_name = resolve, catch)]
    async fn db_resolve(json: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = clienteleDb, js_name = destroy, catch)]
    async fn db_destroy(name: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = clienteleDb, js_name = estimate, catch)]
    async fn db_estimate() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = clienteleDb, js_name = persist, catch)]
    async fn db_persist() -> Result<JsValue, JsValue>;
}

/// What the banner tells the user about saving.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageStatus {
    Ok,
    /// The database cannot be opened (IndexedDB missing or blocked): data
    /// lives in memory only.
    Unavailable,
    /// The browser's quota is exceeded: the last change lives in memory only.
    Full,
    /// Some other write failure, with the browser's message.
    Failed(String),
    /// The database was written by a newer app: never written to.
    ReadOnly,
    /// The database could not be read as a whole: nothing is written.
    Corrupt,
    /// The store kept by an older version could not be moved into the
    /// database; it stays where it was and is shown, but not saved.
    NotMoved,
    /// The store kept by an older version is packed and the unpacking code
    /// could not be fetched: nothing is shown or written until a reload.
    NotOpened,
}

impl StorageStatus {
    pub fn can_save(&self) -> bool {
        matches!(
            self,
            StorageStatus::Ok | StorageStatus::Full | StorageStatus::Failed(_)
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveError {
    Unavailable,
    Full,
    Failed(String),
}

impl SaveError {
    pub fn status(&self) -> StorageStatus {
        match self {
            SaveError::Unavailable => StorageStatus::Unavailable,
            SaveError::Full => StorageStatus::Full,
            SaveError::Failed(m) => StorageStatus::Failed(m.clone()),
        }
    }

    fn from_js(e: JsValue) -> SaveError {
        match named(&e) {
            Some(n) if n.name == "QuotaExceededError" => SaveError::Full,
            Some(n) if n.name == "unavailable" || n.name == "closed" => SaveError::Unavailable,
            Some(n) => SaveError::Failed(format!("{}: {}", n.name, n.message)),
            // Not our glue's error: the glue itself is missing or broken.
            None => SaveError::Unavailable,
        }
    }
}

/// An error of js/db.js: `{name, message}` as JSON in the error's message.
#[derive(Deserialize)]
struct Named {
    name: String,
    message: String,
}

fn named(e: &JsValue) -> Option<Named> {
    let text = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| format!("{e:?}"));
    serde_json::from_str::<Named>(&text).ok()
}

/// What opening the console found.
#[derive(Debug)]
pub struct Opened {
    /// `None` on the first run: nothing was ever saved here.
    pub store: Option<Store>,
    /// What the database holds, for the next save to compare with.
    pub records: Records,
    pub status: StorageStatus,
    /// Documents that could not be read: moved aside, named in the banner.
    pub set_aside: Vec<SetAside>,
    /// The store kept by an older version was moved into the database.
    pub moved: bool,
    /// A save of this many documents, too large for one transaction, was
    /// cut short (the page closed): the store opened may lack part of it.
    pub unfinished: Option<u32>,
}

/// Hears one change: document id, its revision, its body (`None`: deleted).
type ChangeListener = Closure<dyn FnMut(String, String, Option<String>)>;

#[derive(Default)]
struct Db {
    /// The latest revision of every document this tab knows, so a write
    /// names the revision it replaces and own changes are told from others'.
    revs: HashMap<String, String>,
    /// Changes from other tabs waiting for this tab to take them.
    incoming: Vec<(String, String, Option<String>)>,
    listener: Option<ChangeListener>,
    /// Hears the live sync's state (kept while it runs).
    sync_listener: Option<ChangeListener>,
    unfinished: Unfinished,
    /// Member documents that arrived with conflicting revisions.
    conflicted: Vec<String>,
    /// The open found the snapshot behind or missing: [`ready`] keeps it.
    snapshot_due: bool,
}

/// Whether the database is marked as holding part of a large save.
#[derive(Default, Clone, Copy, PartialEq)]
enum Unfinished {
    #[default]
    No,
    /// By this tab's save under way (or failed halfway): the next save
    /// that ends well wrote everything, so it takes the mark away.
    Here,
    /// Found on opening: what is missing is gone with the closed page, so
    /// only the user takes the mark away ([`accept_unfinished`]).
    Found,
}

thread_local! {
    static DB: RefCell<Db> = RefCell::new(Db::default());
}

fn js_text(v: JsValue) -> String {
    v.as_string().unwrap_or_default()
}

/// The glue is a deferred script: it may run a moment after the wasm starts.
async fn glue_ready() -> bool {
    for _ in 0..100 {
        let here = js_sys::Reflect::has(&js_sys::global(), &JsValue::from_str("clienteleDb"))
            .unwrap_or(false);
        if here {
            return true;
        }
        gloo_timers::future::TimeoutFuture::new(50).await;
    }
    false
}

/// A name for this tab session's fact blocks: two tabs or devices never
/// write the same block, and blocks sort by when their session began.
pub fn new_writer(now_iso: &str) -> String {
    let stamp: String = now_iso
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(15)
        .collect();
    let n = (js_sys::Math::random() * 36f64.powi(6)) as u64;
    let mut tag = String::new();
    let mut n = n;
    for _ in 0..6 {
        tag.push(char::from_digit((n % 36) as u32, 36).unwrap_or('0'));
        n /= 36;
    }
    format!("{stamp}-{tag}")
}

pub async fn open(writer: &str) -> Opened {
    let unavailable = |store: Option<Store>| Opened {
        store,
        records: Records::empty(writer),
        status: StorageStatus::Unavailable,
        set_aside: Vec::new(),
        moved: false,
        unfinished: None,
    };
    let answer = if glue_ready().await {
        db_open(DB_NAME).await.ok()
    } else {
        None
    };
    if answer.is_none() {
        // Whatever an older version kept is still shown (in memory).
        return unavailable(legacy().await.and_then(|l| l.ok()).map(|l| l.0));
    }
    replay_journal().await;
    let mut opened = match read_all(writer).await {
        Ok(o) => o,
        Err(SaveError::Unavailable) => return unavailable(None),
        Err(e) => Opened {
            store: Some(Store::default()),
            records: Records::empty(writer),
            status: match e {
                SaveError::Failed(_) => StorageStatus::Corrupt,
                other => other.status(),
            },
            set_aside: Vec::new(),
            moved: false,
            unfinished: None,
        },
    };
    // The older version's store leaves only after a verified move-in, so
    // finding it beside a save cut short means the move-in was: start over.
    let cut_short = opened.unfinished.is_some() && raw_get(STORE_KEY).is_some();
    if cut_short && db_destroy(DB_NAME).await.is_ok() && db_open(DB_NAME).await.is_ok() {
        DB.with_borrow_mut(|db| {
            db.revs.clear();
            db.unfinished = Unfinished::No;
        });
        opened.store = None;
    }
    if opened.store.is_none() {
        if let Some(old) = legacy().await {
            opened = move_in(old, writer).await;
        }
    }
    opened
}

/// Opens PouchDB, which [`open`] did without (it reads the database's
/// stores as they are; js/db.js): called once the first screen is up, it
/// fetches PouchDB's code and says whether the database can be written.
/// `Full`: the origin is full and PouchDB cannot open there (WebKit), so
/// what was read is shown and every save says storage is full until it does.
pub async fn ready() -> Result<(), SaveError> {
    match db_ready().await {
        Ok(answer) if answer.as_string().as_deref() == Some("full") => Err(SaveError::Full),
        Ok(_) => {
            if DB.with_borrow_mut(|db| std::mem::take(&mut db.snapshot_due)) {
                // Kept or not, the documents are whole; an open that still
                // finds it due keeps it then.
                let _ = snapshot_again().await;
            }
            Ok(())
        }
        Err(e) => Err(SaveError::from_js(e)),
    }
}

/// The head of the database's documents for opening (`readStore` in
/// js/db.js, whose `rows` are the local snapshot's documents): the
/// documents changed since the snapshot, and the update sequence `seq`
/// the two together stand at.
#[derive(Deserialize)]
struct StoreHead<'a> {
    #[serde(borrow)]
    seq: &'a serde_json::value::RawValue,
    #[serde(borrow)]
    changed: Vec<(String, String, Option<&'a serde_json::value::RawValue>)>,
    /// Documents of a save marked unfinished (`markUnfinished`), or 0.
    #[serde(default)]
    unfinished: u32,
    /// The rows are every document, read one by one (no snapshot was kept).
    #[serde(default)]
    whole: bool,
}

impl<'a> StoreHead<'a> {
    /// The documents changed since the snapshot, as [`overlay`] takes them.
    fn changed_rows(&mut self) -> Vec<(String, String, Option<&'a str>)> {
        std::mem::take(&mut self.changed)
            .into_iter()
            .map(|(id, rev, doc)| (id, rev, doc.map(|d| d.get())))
            .collect()
    }
}

/// `readStore`'s answer: its head's text, and its rows' text joined from
/// the parts they were kept in (UTF-8 bytes from the snapshot, or text
/// read whole), in one copy into memory sized for them all.
fn store_texts(read: &JsValue) -> Result<(String, String), SaveError> {
    let head = js_text(js_get(read, "head"));
    let parts: js_sys::Array = js_get(read, "rows")
        .dyn_into()
        .map_err(|_| SaveError::Failed("readStore gave no rows".into()))?;
    // A text's UTF-16 length: its UTF-8 is as long where it is ASCII, as
    // nearly all of it is (ids, numbers, field names); a quarter more
    // holds the names and shops in Chinese without growing (a copy of
    // all of it) at the end.
    let len: usize = parts
        .iter()
        .map(|p| match p.dyn_ref::<js_sys::ArrayBuffer>() {
            Some(b) => b.byte_length() as usize,
            None => {
                let chars = p.unchecked_into::<js_sys::JsString>().length() as usize;
                chars + chars / 4
            }
        })
        .sum();
    let mut rows: Vec<u8> = Vec::with_capacity(len);
    for p in parts.iter() {
        match p.dyn_into::<js_sys::ArrayBuffer>() {
            Ok(b) => {
                let from = rows.len();
                rows.resize(from + b.byte_length() as usize, 0);
                js_sys::Uint8Array::new(&b).copy_to(&mut rows[from..]);
            }
            Err(text) => rows.extend_from_slice(js_text(text).as_bytes()),
        }
    }
    let rows = String::from_utf8(rows)
        .map_err(|e| SaveError::Failed(format!("the snapshot is not UTF-8: {e}")))?;
    Ok((head, rows))
}

/// One document: id, revision, body (JSON text, parsed by the records).
type Row<'a> = (String, String, &'a str);

/// The first line of a snapshot kept as a list of `[id, rev, length]` and
/// then the documents one after another, `length` bytes each: the
/// documents are sliced out, not scanned (finding where each of 100,000
/// JSON documents ends took 0.4 s of a reopen, before they were parsed).
const ROWS_BY_LENGTH: &str = "clientele rows by length 1\n";

/// The rows of `text`: a snapshot as [`rows_text`] keeps it, or JSON
/// `[[id, rev, doc], ...]` (every document read whole, or a snapshot kept
/// by the version before). The flag says which.
fn parse_rows(text: &str) -> Result<(Vec<Row<'_>>, bool), String> {
    let Some(rest) = text.strip_prefix(ROWS_BY_LENGTH) else {
        let rows: Vec<(String, String, &serde_json::value::RawValue)> =
            serde_json::from_str(text).map_err(|e| e.to_string())?;
        let rows = rows
            .into_iter()
            .map(|(id, rev, doc)| (id, rev, doc.get()))
            .collect();
        return Ok((rows, false));
    };
    let (list, mut docs) = rest
        .split_once('\n')
        .ok_or("the snapshot's list has no end")?;
    let list: Vec<(String, String, usize)> =
        serde_json::from_str(list).map_err(|e| e.to_string())?;
    let mut rows = Vec::with_capacity(list.len());
    for (id, rev, len) in list {
        let (doc, after) = match (docs.get(..len), docs.get(len..)) {
            (Some(doc), Some(after)) => (doc, after),
            _ => return Err(format!("the snapshot's document {id} is cut short")),
        };
        rows.push((id, rev, doc));
        docs = after;
    }
    if !docs.is_empty() {
        return Err("the snapshot has more than its list".into());
    }
    Ok((rows, true))
}

/// This many documents changed since the snapshot: it is rewritten, so
/// the next open reads few changes again.
const SNAPSHOT_REFRESH: usize = 2_000;

/// A store of this many documents or more keeps a snapshot: the first save
/// of one keeps it, and so does an open that reads every document.
const SNAPSHOT_FROM: usize = 2_000;

/// The store from the snapshot and the changes since, or from every
/// document when the snapshot cannot be read: it is only a copy kept to
/// open faster, and the documents themselves are whole (it is then kept
/// again).
async fn read_all(writer: &str) -> Result<Opened, SaveError> {
    match read_rows(writer, false).await {
        Err(ReadError::Snapshot(_)) => read_rows(writer, true).await,
        read => read,
    }
    .map_err(|e| match e {
        ReadError::Snapshot(why) => SaveError::Failed(why),
        ReadError::Save(e) => e,
    })
}

enum ReadError {
    /// The snapshot could not be read (or, asked for every document, the
    /// answer could not: then it is not retried).
    Snapshot(String),
    Save(SaveError),
}

impl From<SaveError> for ReadError {
    fn from(e: SaveError) -> Self {
        ReadError::Save(e)
    }
}

async fn read_rows(writer: &str, whole: bool) -> Result<Opened, ReadError> {
    let read = db_read_store(whole).await.map_err(SaveError::from_js)?;
    // Only the snapshot's parts come as bytes: whole rows are text.
    let (head, rows) = store_texts(&read).map_err(|e| match e {
        SaveError::Failed(why) => ReadError::Snapshot(why),
        e => ReadError::Save(e),
    })?;
    let mut read: StoreHead =
        serde_json::from_str(&head).map_err(|e| SaveError::Failed(e.to_string()))?;
    let (snapshot, by_length) = parse_rows(&rows).map_err(|why| {
        if read.whole {
            ReadError::Save(SaveError::Failed(why))
        } else {
            ReadError::Snapshot(why)
        }
    })?;
    // Kept (again) when many documents changed since, when the snapshot is
    // in the version before's form, or when a large store was read whole.
    let refresh = read.changed.len() >= SNAPSHOT_REFRESH
        || if read.whole {
            snapshot.len() >= SNAPSHOT_FROM
        } else {
            !by_length
        };
    let from_snapshot = !read.whole;
    let unfinished = (read.unfinished > 0).then_some(read.unfinished);
    DB.with_borrow_mut(|db| {
        db.unfinished = match unfinished {
            Some(_) => Unfinished::Found,
            None => Unfinished::No,
        }
    });
    let rows = overlay(snapshot, read.changed_rows());
    if refresh {
        // Once PouchDB, which writes it, is open after the first screen
        // ([`ready`]): at 100,000 members, keeping it here held that screen
        // back by the time to fetch PouchDB and write 175 MB.
        DB.with_borrow_mut(|db| db.snapshot_due = true);
    }
    // The facts go to the store alone; the console keeps the records' copy
    // of them after its first screen (AppState::keep_copy).
    let docs = rows.iter().map(|(id, _, doc)| (id.as_str(), *doc));
    let read = match Records::read_lent(docs, writer) {
        Ok(r) => r,
        // The snapshot is only a copy: on any doubt the documents
        // themselves are read.
        Err(e) if from_snapshot => return Err(ReadError::Snapshot(e.to_string())),
        Err(e) => return Err(SaveError::Failed(e.to_string()).into()),
    };
    if !read.set_aside.is_empty() {
        // A document is set aside, and so deleted, only as the database
        // holds it: never for its copy in a snapshot (a damaged snapshot
        // would otherwise delete good documents).
        if from_snapshot {
            let first = &read.set_aside[0];
            return Err(ReadError::Snapshot(format!(
                "{} in the snapshot: {}",
                first.id, first.reason
            )));
        }
        set_aside(&rows, &read.set_aside).await;
    }
    // Moved, not copied: at 100,000 members these are as many ids and
    // revisions.
    let revs = rows.into_iter().map(|(id, rev, _)| (id, rev)).collect();
    DB.with_borrow_mut(|db| db.revs = revs);
    let first_run = read.records.is_empty();
    Ok(Opened {
        store: (!first_run).then_some(read.store),
        records: read.records,
        status: if read.read_only {
            StorageStatus::ReadOnly
        } else {
            StorageStatus::Ok
        },
        set_aside: read.set_aside,
        moved: false,
        unfinished,
    })
}

/// The snapshot's rows with the documents changed since in their place;
/// deleted ones leave.
fn overlay<'a>(
    mut rows: Vec<Row<'a>>,
    changed: Vec<(String, String, Option<&'a str>)>,
) -> Vec<Row<'a>> {
    if changed.is_empty() {
        return rows;
    }
    let mut changed: std::collections::HashMap<String, (String, Option<&str>)> = changed
        .into_iter()
        .map(|(id, rev, doc)| (id, (rev, doc)))
        .collect();
    rows.retain_mut(|(id, rev, doc)| match changed.remove(id.as_str()) {
        None => true,
        Some((_, None)) => false,
        Some((new_rev, Some(new_doc))) => {
            *rev = new_rev;
            *doc = new_doc;
            true
        }
    });
    let mut added: Vec<Row> = changed
        .into_iter()
        .filter_map(|(id, (rev, doc))| Some((id, rev, doc?)))
        .collect();
    clientele_engine::order::sort_by_text_key(&mut added, |a| a.0.clone());
    rows.extend(added);
    rows
}

/// The update sequence the local snapshot was taken at (JSON), if any.
pub async fn snapshot_seq() -> Option<String> {
    let seq = js_text(db_snapshot_seq().await.ok()?);
    (seq != "null").then_some(seq)
}

/// Rows as the snapshot keeps them (see [`ROWS_BY_LENGTH`]), the documents
/// copied as they are.
fn rows_json(rows: &[Row]) -> String {
    rows_text(
        rows.iter()
            .map(|(id, rev, doc)| (id.as_str(), rev.as_str(), *doc)),
    )
}

/// The snapshot's text from each document's id, revision and JSON text:
/// [`ROWS_BY_LENGTH`], the list `[[id, rev, length], ...]` on one line
/// (JSON escapes every line break in a string), then the documents.
fn rows_text<'a>(rows: impl Iterator<Item = (&'a str, &'a str, &'a str)> + Clone) -> String {
    let docs: usize = rows.clone().map(|(_, _, doc)| doc.len()).sum();
    let mut out = String::with_capacity(docs + docs / 4);
    out.push_str(ROWS_BY_LENGTH);
    out.push('[');
    for (i, (id, rev, doc)) in rows.clone().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        out.push_str(&serde_json::to_string(id).unwrap_or_default());
        out.push(',');
        out.push_str(&serde_json::to_string(rev).unwrap_or_default());
        out.push(',');
        out.push_str(&doc.len().to_string());
        out.push(']');
    }
    out.push_str("]\n");
    for (_, _, doc) in rows {
        out.push_str(doc);
    }
    out
}

/// Unreadable documents leave the store's records for a local,
/// never-replicated copy (`_local/aside:<id>`), so no later save can
/// write over them; the banner names them.
async fn set_aside(rows: &[Row<'_>], aside: &[SetAside]) {
    #[derive(Serialize)]
    struct Aside<'a> {
        _id: String,
        raw: &'a str,
        reason: &'a str,
    }
    #[derive(Serialize)]
    struct Gone<'a> {
        _id: &'a str,
        _rev: &'a str,
        _deleted: bool,
    }
    let mut docs = Vec::new();
    for a in aside {
        if let Some((id, rev, doc)) = rows.iter().find(|(id, _, _)| *id == a.id) {
            let aside = Aside {
                _id: format!("_local/aside:{id}"),
                raw: doc,
                reason: &a.reason,
            };
            let gone = Gone {
                _id: id,
                _rev: rev,
                _deleted: true,
            };
            docs.push(serde_json::to_string(&aside).unwrap_or_default());
            docs.push(serde_json::to_string(&gone).unwrap_or_default());
        }
    }
    let _ = db_write(&format!("[{}]", docs.join(","))).await;
}

/// The store as older versions kept it in localStorage, if any:
/// `Ok((store, read_only))`, or `Err(status)` when it cannot be opened.
/// Its reader is fetched on demand: a store moves in once, and most
/// devices never had one.
async fn legacy() -> Option<Result<(Store, bool), StorageStatus>> {
    let text = raw_get(STORE_KEY)?;
    Some(match read_legacy(text.clone()).await {
        Err(ChunkMissing) => Err(StorageStatus::NotOpened),
        Ok(Ok(read)) => Ok(read),
        Ok(Err(EnvelopeError::NewerSchema { .. })) => Err(StorageStatus::ReadOnly),
        Ok(Err(_)) => {
            keep_backup("unreadable", &text);
            Err(StorageStatus::Corrupt)
        }
    })
}

split_fn! { legacy;
    fn read_legacy(text: String) -> Result<Result<(Store, bool), EnvelopeError>, ChunkMissing> {
        let json = if text.starts_with(PACKED_PREFIX) {
            match unpack(&text) {
                Ok(json) => json.into_owned(),
                Err(e) => return Ok(Err(e)),
            }
        } else {
            text
        };
        Ok(read_envelope(&json).map(|loaded| {
            let mut store = loaded.envelope.data;
            normalize(&mut store);
            (store, loaded.read_only)
        }))
    }
}

/// Copies an older version's store into the database, reads it back and
/// checks it is the same store with the same balances; only then is the
/// old copy removed. On any doubt the old copy stays, is shown, and the
/// banner says it was not moved.
async fn move_in(old: Result<(Store, bool), StorageStatus>, writer: &str) -> Opened {
    let stays = |store: Option<Store>, status| Opened {
        store,
        records: Records::empty(writer),
        status,
        set_aside: Vec::new(),
        moved: false,
        unfinished: None,
    };
    let (store, read_only) = match old {
        Ok(s) => s,
        Err(StorageStatus::NotOpened) => {
            return stays(Some(Store::default()), StorageStatus::NotOpened)
        }
        Err(status) => return stays(Some(Store::default()), status),
    };
    if read_only {
        return stays(Some(store), StorageStatus::ReadOnly);
    }
    let pending = Records::empty(writer).changes(&store);
    if write(&pending).await.is_err() {
        return stays(Some(store), StorageStatus::NotMoved);
    }
    match read_all(writer).await {
        Ok(back)
            if back.store.as_ref() == Some(&store)
                && same_balances(&store, back.store.as_ref()) =>
        {
            let raw = LocalStorage::raw();
            let _ = raw.remove_item(STORE_KEY);
            let _ = raw.remove_item(REV_KEY);
            Opened {
                moved: true,
                ..back
            }
        }
        _ => {
            // Leave no half-moved database behind: the next open tries again.
            let _ = db_destroy(DB_NAME).await;
            let _ = db_open(DB_NAME).await;
            stays(Some(store), StorageStatus::NotMoved)
        }
    }
}

fn same_balances(a: &Store, b: Option<&Store>) -> bool {
    use clientele_engine::points::replay::replay_store;
    let Some(b) = b else { return false };
    let today = crate::clock::today();
    let balances = |s: &Store| {
        replay_store(s, today).map(|r| {
            r.members
                .iter()
                .map(|m| (m.member, m.balance, m.tier))
                .collect::<Vec<_>>()
        })
    };
    balances(a) == balances(b)
}

/// The documents of `writes` as the database takes them, each naming the
/// revision it replaces.
fn docs_json(writes: &[&Write], revs: &HashMap<String, String>) -> String {
    let mut out = String::from("[");
    for (i, w) in writes.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"_id\":");
        out.push_str(&serde_json::to_string(&w.id).unwrap_or_default());
        if let Some(rev) = revs.get(&w.id) {
            out.push_str(",\"_rev\":");
            out.push_str(&serde_json::to_string(rev).unwrap_or_default());
        }
        match &w.body {
            // The body is `{"d":...}`: its fields join ours.
            Some(body) => {
                out.push(',');
                out.push_str(body.strip_prefix('{').unwrap_or(body));
            }
            None => out.push_str(",\"_deleted\":true}"),
        }
    }
    out.push(']');
    out
}

/// Documents per `bulkDocs` call. A save of a shop's day is one call, one
/// IndexedDB transaction, all or nothing; a first save of a store of
/// 100,000 members goes in steps, so memory stays bounded and the page
/// keeps answering. A step that fails leaves the tab's records as they
/// were, so the next save writes every step again (each is whole documents).
const BATCH_DOCS: usize = 5_000;

/// Writes a save's documents. A document another tab wrote meanwhile is
/// written again over that tab's revision (this tab's change is the later
/// one); on any error the caller keeps the change in memory and says so.
pub async fn write(p: &Pending) -> Result<(), SaveError> {
    // A delete of a document this tab never saw has nothing to delete.
    let todo: Vec<&Write> = DB.with_borrow(|db| {
        p.writes
            .iter()
            .filter(|w| w.body.is_some() || db.revs.contains_key(&w.id))
            .collect()
    });
    // The first save of a large store keeps the snapshot at once, so the
    // first reopen need not read every document either.
    let first_large = todo.len() >= SNAPSHOT_FROM && DB.with_borrow(|db| db.revs.is_empty());
    let seq_before = if first_large {
        update_seq().await
    } else {
        None
    };
    if todo.len() > BATCH_DOCS {
        db_mark_unfinished(todo.len().try_into().unwrap_or(u32::MAX))
            .await
            .map_err(SaveError::from_js)?;
        DB.with_borrow_mut(|db| {
            if db.unfinished == Unfinished::No {
                db.unfinished = Unfinished::Here;
            }
        });
    }
    for batch in todo.chunks(BATCH_DOCS) {
        write_batch(batch.to_vec()).await?;
    }
    if DB.with_borrow(|db| db.unfinished == Unfinished::Here) {
        accept_unfinished().await?;
    }
    if let Some(before) = seq_before {
        snapshot_of_first_save(&todo, before).await;
    } else if todo.len() >= SNAPSHOT_REFRESH {
        // Kept, or not: the documents are saved either way, and an open
        // that finds this many changes keeps the snapshot again.
        let _ = snapshot_again().await;
    }
    Ok(())
}

/// Keeps the snapshot again from the database as it now stands (the
/// snapshot, or every document, with the changes since): after an open
/// that found it behind or missing, once PouchDB is open ([`ready`]); and
/// after a large save into a store that had documents already (an import
/// of thousands of members), so that the next open does not read each
/// document that save wrote one by one.
async fn snapshot_again() -> Result<(), SaveError> {
    // One that cannot be read is passed over, as on opening.
    for whole in [false, true] {
        let read = db_read_store(whole).await.map_err(SaveError::from_js)?;
        let Ok((head, rows)) = store_texts(&read) else {
            continue;
        };
        let mut head: StoreHead =
            serde_json::from_str(&head).map_err(|e| SaveError::Failed(e.to_string()))?;
        let Ok((snapshot, _)) = parse_rows(&rows) else {
            continue;
        };
        let rows = overlay(snapshot, head.changed_rows());
        db_save_snapshot(head.seq.get(), rows_json(&rows).as_bytes())
            .await
            .map_err(SaveError::from_js)?;
        return Ok(());
    }
    Err(SaveError::Failed("the documents could not be read".into()))
}

/// The database's update sequence, when it is a plain count (PouchDB's
/// IndexedDB adapter: one more per document written).
async fn update_seq() -> Option<u64> {
    js_text(db_update_seq().await.ok()?).parse().ok()
}

/// Keeps the documents a first save wrote as the snapshot, when they are
/// the whole database: the sequence moved by exactly their number, so no
/// other tab wrote meanwhile. Otherwise the next open reads every document
/// and keeps one then.
async fn snapshot_of_first_save(writes: &[&Write], before: u64) {
    let Some(after) = update_seq().await else {
        return;
    };
    if after.checked_sub(before) != Some(writes.len() as u64) {
        return;
    }
    let rows = DB.with_borrow(|db| {
        let docs: Option<Vec<_>> = writes
            .iter()
            .map(|w| {
                Some((
                    w.id.as_str(),
                    db.revs.get(&w.id)?.as_str(),
                    w.body.as_deref()?,
                ))
            })
            .collect();
        docs.map(|d| rows_text(d.into_iter()))
    });
    if let Some(rows) = rows {
        let _ = db_save_snapshot(&after.to_string(), rows.as_bytes()).await;
    }
}

/// The store was replaced whole (a restore): the save under way or next
/// rewrites everything, so a mark found on opening goes when it ends well.
pub fn whole_save_next() {
    DB.with_borrow_mut(|db| {
        if db.unfinished == Unfinished::Found {
            db.unfinished = Unfinished::Here;
        }
    });
}

/// Takes away the mark of a large save cut short: this tab's save is whole
/// now, or the user keeps the store as it opened.
pub async fn accept_unfinished() -> Result<(), SaveError> {
    db_clear_unfinished().await.map_err(SaveError::from_js)?;
    DB.with_borrow_mut(|db| db.unfinished = Unfinished::No);
    Ok(())
}

async fn write_batch(mut todo: Vec<&Write>) -> Result<(), SaveError> {
    for attempt in 0..2 {
        let json = DB.with_borrow(|db| docs_json(&todo, &db.revs));
        let text = js_text(db_write(&json).await.map_err(SaveError::from_js)?);
        let results: Vec<(String, Option<String>, Option<String>)> =
            serde_json::from_str(&text).map_err(|e| SaveError::Failed(e.to_string()))?;
        let mut conflicts = Vec::new();
        let mut failure = None;
        DB.with_borrow_mut(|db| {
            for ((id, rev, error), w) in results.into_iter().zip(&todo) {
                match (rev, error) {
                    (Some(rev), _) if w.body.is_some() => {
                        db.revs.insert(id, rev);
                    }
                    (Some(_), _) => {
                        db.revs.remove(&id);
                    }
                    (None, Some(e)) if e == "conflict" => conflicts.push(id),
                    (None, e) => failure = Some(format!("{id}: {}", e.unwrap_or_default())),
                }
            }
        });
        if let Some(f) = failure {
            return Err(SaveError::Failed(f));
        }
        if conflicts.is_empty() {
            return Ok(());
        }
        if attempt == 1 {
            break;
        }
        fetch_revs(&conflicts).await?;
        todo.retain(|w| conflicts.contains(&w.id));
    }
    Err(SaveError::Failed(
        "another tab keeps writing the same records".into(),
    ))
}

async fn fetch_revs(ids: &[String]) -> Result<(), SaveError> {
    let ids_json = serde_json::to_string(ids).unwrap_or_default();
    let text = js_text(db_revs(&ids_json).await.map_err(SaveError::from_js)?);
    let revs: Vec<(String, Option<String>)> =
        serde_json::from_str(&text).map_err(|e| SaveError::Failed(e.to_string()))?;
    DB.with_borrow_mut(|db| {
        for (id, rev) in revs {
            match rev {
                Some(r) => db.revs.insert(id, r),
                None => db.revs.remove(&id),
            };
        }
    });
    Ok(())
}

/// Starts hearing the database's changes; [`take_incoming`] hands over
/// those this tab did not write. `wake` is called (at most once per batch)
/// so the state can take them when it is not writing.
pub fn listen(wake: impl Fn() + 'static) {
    let callback = ChangeListener::new(move |id: String, rev: String, doc: Option<String>| {
        let first = DB.with_borrow_mut(|db| {
            db.incoming.push((id, rev, doc));
            db.incoming.len() == 1
        });
        if first {
            wake();
        }
    });
    if db_listen(&callback).is_ok() {
        DB.with_borrow_mut(|db| db.listener = Some(callback));
    }
}

/// Changes other tabs (or devices) wrote since the last call: `(id, body)`,
/// `None` for a deletion. Call it only while no write of this tab is under
/// way, so this tab's own writes are known by their revisions.
pub fn take_incoming() -> Vec<(String, Option<String>)> {
    DB.with_borrow_mut(|db| {
        let incoming = std::mem::take(&mut db.incoming);
        let mut out = Vec::new();
        for (id, rev, doc) in incoming {
            // The winning revision may be this tab's own: the other
            // device's copy is then only in `_conflicts`.
            if id.starts_with("m:")
                && doc
                    .as_deref()
                    .is_some_and(|d| d.contains("\"_conflicts\":["))
            {
                db.conflicted.push(id.clone());
            }
            if id.starts_with("_local/") || db.revs.get(&id) == Some(&rev) {
                continue;
            }
            match &doc {
                Some(_) => db.revs.insert(id.clone(), rev),
                None => db.revs.remove(&id),
            };
            out.push((id, doc));
        }
        out
    })
}

/// Whether changes or conflicts wait for [`take_incoming`] and [`take_conflicted`].
pub fn incoming_waiting() -> bool {
    DB.with_borrow(|db| !db.incoming.is_empty() || !db.conflicted.is_empty())
}

/// Member documents noticed with conflicting revisions since the last call.
pub fn take_conflicted() -> Vec<String> {
    DB.with_borrow_mut(|db| std::mem::take(&mut db.conflicted))
}

/// Member documents the database notes as in conflict (kept across reloads).
pub async fn conflicted_members() -> Vec<String> {
    match db_conflicted().await {
        Ok(text) => serde_json::from_str(&js_text(text)).unwrap_or_default(),
        Err(_) => Vec::new(),
    }
}

/// The revisions of a document in conflict, the winning one first.
#[derive(Debug, Deserialize)]
pub struct Leaves {
    pub winner: Option<String>,
    /// `(rev, document JSON)`.
    pub copies: Vec<(String, Box<serde_json::value::RawValue>)>,
}

pub async fn member_leaves(id: &str) -> Result<Leaves, SaveError> {
    let text = js_text(db_leaves(id).await.map_err(SaveError::from_js)?);
    serde_json::from_str(&text).map_err(|e| SaveError::Failed(e.to_string()))
}

/// Writes the merged `body` over the winning revision and deletes the
/// `losers`, in one call. The change feed brings the result to the store.
pub async fn resolve_member(
    id: &str,
    winner: &str,
    body: &str,
    losers: &[String],
) -> Result<(), SaveError> {
    let json = serde_json::json!({ "id": id, "winner": winner, "body": body, "losers": losers });
    db_resolve(&json.to_string())
        .await
        .map(|_| ())
        .map_err(SaveError::from_js)
}

/// A write as the journal keeps it.
#[derive(Serialize, Deserialize)]
struct Journaled {
    id: String,
    body: Option<String>,
}

/// Keeps the writes of an unfinished save in localStorage, which writes at
/// once, for a page that may be gone before IndexedDB finishes.
pub fn write_journal(p: &Pending) {
    if p.is_empty() || !local_available() {
        return;
    }
    let writes: Vec<Journaled> = p
        .writes
        .iter()
        .map(|w| Journaled {
            id: w.id.clone(),
            body: w.body.clone(),
        })
        .collect();
    if let Ok(text) = serde_json::to_string(&writes) {
        let _ = LocalStorage::raw().set_item(JOURNAL_KEY, &text);
    }
}

/// Writes a journal left by a page that closed mid-save, then forgets it.
/// Each write is a whole document, so writing it twice is harmless.
async fn replay_journal() {
    let Some(text) = raw_get(JOURNAL_KEY) else {
        return;
    };
    let Ok(journal) = serde_json::from_str::<Vec<Journaled>>(&text) else {
        keep_backup("journal", &text);
        let _ = LocalStorage::raw().remove_item(JOURNAL_KEY);
        return;
    };
    let writes: Vec<Write> = journal
        .into_iter()
        .map(|j| Write {
            id: j.id,
            body: j.body,
        })
        .collect();
    let ids: Vec<String> = writes.iter().map(|w| w.id.clone()).collect();
    if fetch_revs(&ids).await.is_err() {
        return;
    }
    let pending = Pending::of_writes(writes);
    if write(&pending).await.is_ok() {
        let _ = LocalStorage::raw().remove_item(JOURNAL_KEY);
        // The journal held every write not yet saved, so a large save it
        // finished is whole.
        let _ = db_clear_unfinished().await;
    }
}

/// Deletes the database and what older versions kept (Settings → reset).
/// Preferences survive; the backup folder's settings go with the rest
/// (its handle stays until another folder is chosen, unused). The
/// database is opened again, empty.
pub async fn erase() -> Result<(), SaveError> {
    if local_available() {
        let raw = LocalStorage::raw();
        let keys: Vec<String> = (0..raw.length().unwrap_or(0))
            .filter_map(|i| raw.key(i).ok().flatten())
            .filter(|k| k.starts_with("clientele.") && k != PREFS_KEY && k != IMPORT_MAPPINGS_KEY)
            .collect();
        for k in keys {
            let _ = raw.remove_item(&k);
        }
    }
    // The device tag went with the keys: the next store starts a fresh series.
    SESSION_TAG.set(None);
    db_destroy(DB_NAME).await.map_err(SaveError::from_js)?;
    DB.with_borrow_mut(|db| {
        db.revs.clear();
        db.incoming.clear();
        db.unfinished = Unfinished::No;
    });
    db_open(DB_NAME).await.map_err(SaveError::from_js)?;
    Ok(())
}

/// What Settings shows about this browser's storage.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Estimate {
    /// Bytes this site uses and may use, as the browser reports them.
    pub usage: Option<f64>,
    pub quota: Option<f64>,
    /// Whether the browser promised to keep the data under storage pressure.
    pub persisted: Option<bool>,
}

pub async fn estimate() -> Estimate {
    match db_estimate().await {
        Ok(v) => serde_json::from_str(&js_text(v)).unwrap_or_default(),
        Err(_) => Estimate::default(),
    }
}

/// Asks the browser to keep this site's data (on a user's click: some
/// browsers ask the user, others decide by how the site is used).
pub async fn persist() -> bool {
    matches!(db_persist().await.map(|v| v.as_bool()), Ok(Some(true)))
}

// The backup folder's handle (a `FileSystemDirectoryHandle`) keeps only in
// IndexedDB (localStorage holds text), so this device has a second, tiny
// database, apart from the store's: erasing the store leaves it. It is
// reached directly rather than through db.js, so this code travels in the
// folder's chunk, not the first load.
const DEVICE_DB: &str = "clientele-device";
const HANDLES: &str = "handles";
const FOLDER_HANDLE: &str = "backup-folder";

fn js_get(target: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn js_call(target: &JsValue, method: &str, args: &[&JsValue]) -> Result<JsValue, JsValue> {
    js_get(target, method)
        .dyn_into::<js_sys::Function>()?
        .apply(target, &args.iter().collect::<js_sys::Array>())
}

/// Waits for an IndexedDB request or transaction: its `ok` event answers
/// the target's `result`, any `fail` event its `error`.
async fn settled(target: &JsValue, ok: &str, fail: &[&str]) -> Result<JsValue, JsValue> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let t = target.clone();
        // Closures that answer nothing: the first load already has their
        // kind of glue, and none of a kind that answers a value.
        let on_ok = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &js_get(&t, "result"));
        });
        let _ = js_sys::Reflect::set(target, &JsValue::from_str(ok), &on_ok);
        for event in fail {
            let (t, reject) = (target.clone(), reject.clone());
            let on_fail = Closure::once_into_js(move || {
                let _ = reject.call1(&JsValue::NULL, &js_get(&t, "error"));
            });
            let _ = js_sys::Reflect::set(target, &JsValue::from_str(event), &on_fail);
        }
    });
    wasm_bindgen_futures::JsFuture::from(promise).await
}

/// One request on the device database's `handles` store, in a transaction
/// of its own; answers the request's result once the transaction is done.
async fn device(
    mode: &str,
    request: impl FnOnce(&JsValue) -> Result<JsValue, JsValue>,
) -> Result<JsValue, JsValue> {
    let idb = js_get(&js_sys::global(), "indexedDB");
    let open = js_call(&idb, "open", &[&DEVICE_DB.into(), &1.into()])?;
    let create = {
        let open = open.clone();
        Closure::once_into_js(move || {
            let _ = js_call(
                &js_get(&open, "result"),
                "createObjectStore",
                &[&HANDLES.into()],
            );
        })
    };
    js_sys::Reflect::set(&open, &"onupgradeneeded".into(), &create)?;
    let db = settled(&open, "onsuccess", &["onerror", "onblocked"]).await?;
    let answer = async {
        let tx = js_call(&db, "transaction", &[&HANDLES.into(), &mode.into()])?;
        let req = request(&js_call(&tx, "objectStore", &[&HANDLES.into()])?)?;
        settled(&tx, "oncomplete", &["onabort"]).await?;
        Ok(js_get(&req, "result"))
    }
    .await;
    let _ = js_call(&db, "close", &[]);
    answer
}

/// Keeps the backup folder's handle on this device. `false` if it could
/// not be kept (no IndexedDB, or the browser cannot store the handle).
pub async fn save_folder(handle: &JsValue) -> bool {
    device("readwrite", |s| {
        js_call(s, "put", &[handle, &FOLDER_HANDLE.into()])
    })
    .await
    .is_ok()
}

/// The backup folder's handle kept by [`save_folder`], if any.
pub async fn load_folder() -> Option<JsValue> {
    device("readonly", |s| js_call(s, "get", &[&FOLDER_HANDLE.into()]))
        .await
        .ok()
        .filter(JsValue::is_object)
}

/// Forgets the backup folder's handle (its files stay where they are).
pub async fn forget_folder() {
    let _ = device("readwrite", |s| {
        js_call(s, "delete", &[&FOLDER_HANDLE.into()])
    })
    .await;
}

/// The backup folder's settings on this device, kept apart from [`Prefs`]
/// so that only the folder's code reads them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FolderPrefs {
    /// The folder's name, as its handle carries it.
    pub name: String,
    /// How many dated backups the folder keeps ([`FolderPrefs::keep`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep: Option<u32>,
    /// The day a backup was last written there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written: Option<chrono::NaiveDate>,
    /// The notice of paused or failed backups was put away on this day;
    /// it may come back the next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_off: Option<chrono::NaiveDate>,
}

impl FolderPrefs {
    /// The dated backups a folder keeps unless the user chose otherwise.
    pub const DEFAULT_KEEP: u32 = 14;

    pub fn keep(&self) -> u32 {
        self.keep.unwrap_or(Self::DEFAULT_KEEP).max(1)
    }
}

/// The backup folder's settings, if one is chosen.
pub fn load_folder_prefs() -> Option<FolderPrefs> {
    if !local_available() {
        return None;
    }
    LocalStorage::get(FOLDER_KEY).ok()
}

/// Keeps the backup folder's settings, or forgets them (`None`).
pub fn save_folder_prefs(prefs: Option<&FolderPrefs>) -> Result<(), SaveError> {
    if !local_available() {
        return Err(SaveError::Unavailable);
    }
    match prefs {
        Some(p) => LocalStorage::set(FOLDER_KEY, p).map_err(classify),
        None => {
            LocalStorage::delete(FOLDER_KEY);
            Ok(())
        }
    }
}

/// localStorage can be missing or throw (private modes, disabled storage),
/// and gloo-storage's `raw()` then panics, so every entry point asks first.
pub fn local_available() -> bool {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .is_some()
}

fn raw_get(key: &str) -> Option<String> {
    if !local_available() {
        return None;
    }
    LocalStorage::raw().get_item(key).ok().flatten()
}

fn keep_backup(label: &str, text: &str) {
    if local_available() {
        let _ = LocalStorage::raw().set_item(&format!("{BACKUP_PREFIX}{label}"), text);
    }
}

fn classify(err: StorageError) -> SaveError {
    match err {
        StorageError::JsError(js) if js.name == "QuotaExceededError" => SaveError::Full,
        StorageError::JsError(js) => SaveError::Failed(format!("{}: {}", js.name, js.message)),
        other => SaveError::Failed(other.to_string()),
    }
}

/// This device's preferences: small, kept in localStorage.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Prefs {
    #[serde(default)]
    pub lang: Option<Lang>,
    /// The day a full backup was last downloaded on this device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_backup: Option<chrono::NaiveDate>,
    /// The first day this device kept a store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keeping_since: Option<chrono::NaiveDate>,
    /// The backup reminder was put away until this day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_reminder_until: Option<chrono::NaiveDate>,
    /// While a backup folder is chosen, the day its next backup is due.
    /// The one fact about the folder the first load reads: the rest is in
    /// [`FolderPrefs`], read by the folder's code when it is due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_due: Option<chrono::NaiveDate>,
    /// The shop this device is in (a boutique with several shops): new
    /// members, sales and contacts made here are recorded with it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub shop: String,
    /// The staff member signed in at this device (导购): sales, returns,
    /// contacts and marks made here name them unless another is chosen.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub staff: String,
}

thread_local! {
    /// The device tag when localStorage cannot keep it: one per session.
    static SESSION_TAG: std::cell::Cell<Option<DeviceTag>> = const { std::cell::Cell::new(None) };
}

/// The device tag this device keeps, if any. Its own key, read only when
/// a member is enrolled or imported: nothing on the first load reads it,
/// and a value that is no tag (edited by hand) loses nothing else.
pub fn device_tag() -> Option<DeviceTag> {
    raw_get(DEVICE_TAG_KEY)
        .and_then(|t| parse_device_tag(&t))
        .or_else(|| SESSION_TAG.get())
}

fn parse_device_tag(text: &str) -> Option<DeviceTag> {
    DeviceTag::new(text.trim().parse().ok()?).ok()
}

/// Draws a fresh device tag at random (two devices share one with
/// probability 2^-31) and keeps it, for this session when localStorage
/// cannot.
pub fn new_device_tag() -> DeviceTag {
    let tag = DeviceTag::from_random((js_sys::Math::random() * 2f64.powi(53)) as u64);
    let kept = local_available()
        && LocalStorage::raw()
            .set_item(DEVICE_TAG_KEY, &tag.to_string())
            .is_ok();
    SESSION_TAG.set((!kept).then_some(tag));
    tag
}

/// Forgets the device tag, so the next member gets a fresh series: after a
/// restore the store may no longer remember ids this device gave out.
pub fn forget_device_tag() {
    SESSION_TAG.set(None);
    if local_available() {
        let _ = LocalStorage::raw().remove_item(DEVICE_TAG_KEY);
    }
}

pub fn load_prefs() -> Prefs {
    if !local_available() {
        return Prefs::default();
    }
    LocalStorage::get(PREFS_KEY).unwrap_or_default()
}

pub fn save_prefs(prefs: &Prefs) -> Result<(), SaveError> {
    if !local_available() {
        return Err(SaveError::Unavailable);
    }
    LocalStorage::set(PREFS_KEY, prefs).map_err(classify)
}

type Mappings = std::collections::BTreeMap<String, clientele_io::Mapping>;

/// The mapping the user last confirmed for files with these headers.
pub fn load_import_mapping(signature: &str) -> Option<clientele_io::Mapping> {
    if !local_available() {
        return None;
    }
    let all: Mappings = LocalStorage::get(IMPORT_MAPPINGS_KEY).ok()?;
    all.get(signature).cloned()
}

pub fn save_import_mapping(
    signature: &str,
    mapping: &clientele_io::Mapping,
) -> Result<(), SaveError> {
    if !local_available() {
        return Err(SaveError::Unavailable);
    }
    let mut all: Mappings = LocalStorage::get(IMPORT_MAPPINGS_KEY).unwrap_or_default();
    all.insert(signature.to_string(), mapping.clone());
    LocalStorage::set(IMPORT_MAPPINGS_KEY, &all).map_err(classify)
}

/// This device's sync settings (localStorage `clientele.sync`). The
/// boutique's passphrase is never kept: the key derived from it is, so the
/// device syncs after a restart without asking, as it reads its own data
/// without asking.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncConfig {
    /// The server's address, e.g. `https://couch.example.com`.
    pub url: String,
    /// The boutique's database on it.
    pub db: String,
    #[serde(default)]
    pub user: String,
    #[serde(default)]
    pub password: String,
    /// This device's name, shown to the owner.
    #[serde(default)]
    pub device: String,
    /// The boutique's AES key, base64, once connected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Paused by the user: not started until resumed.
    #[serde(default)]
    pub paused: bool,
    /// The local sequence (JSON) up to which the server has every change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent: Option<String>,
}

/// Whether this device syncs (read at every open, without parsing).
pub fn sync_set_up() -> bool {
    raw_get(SYNC_KEY).is_some()
}

pub fn load_sync() -> Option<SyncConfig> {
    if !local_available() {
        return None;
    }
    LocalStorage::get(SYNC_KEY).ok()
}

/// Keeps (or, with `None`, forgets) this device's sync settings.
pub fn save_sync(config: Option<&SyncConfig>) -> Result<(), SaveError> {
    if !local_available() {
        return Err(SaveError::Unavailable);
    }
    match config {
        Some(c) => LocalStorage::set(SYNC_KEY, c).map_err(classify),
        None => {
            LocalStorage::delete(SYNC_KEY);
            Ok(())
        }
    }
}

/// Why sync could not start or stopped; the UI words each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncError {
    /// The passphrase does not open the boutique's key.
    WrongPassphrase,
    /// A new boutique (or a device that lost its key) needs the passphrase.
    NeedsPassphrase,
    /// The server holds another store and this device has its own.
    ServerHasStore,
    /// The server refused the user or password.
    Denied,
    /// No such database and the user may not create it.
    NoDatabase,
    /// The server cannot be reached (offline, wrong address, CORS).
    Unreachable,
    /// A document on the server cannot be read with this key.
    KeyUnreadable,
    /// Anything else the server said.
    Server(String),
}

impl SyncError {
    fn from_name(name: &str, message: &str) -> SyncError {
        match name {
            "wrong_passphrase" => SyncError::WrongPassphrase,
            "needs_passphrase" => SyncError::NeedsPassphrase,
            "server_has_store" => SyncError::ServerHasStore,
            "denied" => SyncError::Denied,
            "no_database" => SyncError::NoDatabase,
            "unreachable" => SyncError::Unreachable,
            "key_unreadable" => SyncError::KeyUnreadable,
            _ => SyncError::Server(format!("{name}: {message}")),
        }
    }

    fn from_js(e: JsValue) -> SyncError {
        match named(&e) {
            Some(n) => SyncError::from_name(&n.name, &n.message),
            None => SyncError::Unreachable,
        }
    }
}

/// What the live sync is doing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum SyncState {
    /// This device does not sync.
    #[default]
    Off,
    Starting,
    /// Sending or receiving changes.
    Active,
    /// Both sides hold the same changes.
    Synced,
    /// The server cannot be reached; changes wait and go when it can.
    Offline,
    Paused,
    Failed(SyncError),
}

/// The live sync's state and how many of this device's changes wait.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncStatus {
    pub state: SyncState,
    pub waiting: u32,
}

/// What connecting found on the server.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Connected {
    /// The boutique's key (base64), to keep in [`SyncConfig::key`].
    pub key: String,
    /// Documents the server holds.
    pub remote_docs: u64,
    /// The server holds this very store (a device that synced before).
    pub same_store: bool,
}

/// The config as js/sync.js reads it, with the passphrase for this call.
fn sync_json(config: &SyncConfig, passphrase: &str) -> String {
    #[derive(Serialize)]
    struct Call<'a> {
        #[serde(flatten)]
        config: &'a SyncConfig,
        passphrase: &'a str,
    }
    serde_json::to_string(&Call { config, passphrase }).unwrap_or_default()
}

/// Connects to the server and checks the boutique's key (the passphrase's,
/// or the one kept on this device). Nothing is written to this device.
pub async fn sync_connect(config: &SyncConfig, passphrase: &str) -> Result<Connected, SyncError> {
    let answer = db_sync_connect(&sync_json(config, passphrase))
        .await
        .map_err(SyncError::from_js)?;
    serde_json::from_str(&answer.as_string().unwrap_or_default())
        .map_err(|e| SyncError::Server(e.to_string()))
}

/// A device joining the boutique: its empty store gives way to a copy of
/// the server's; the page must then be opened again. `progress(n)`:
/// documents received so far.
pub async fn sync_join(
    config: &SyncConfig,
    progress: impl Fn(u32) + 'static,
) -> Result<(), SyncError> {
    let listener = ChangeListener::new(move |n: String, _: String, _: Option<String>| {
        progress(n.parse().unwrap_or(0));
    });
    let result = db_sync_join(&sync_json(config, ""), &listener).await;
    drop(listener);
    result.map(|_| ()).map_err(SyncError::from_js)
}

/// Starts the live sync of `config` (which holds the key); `on` hears its
/// state. When both sides are level the config remembers it, so changes
/// made offline are counted from there after a restart.
pub fn sync_start(config: &SyncConfig, on: impl Fn(SyncStatus) + 'static) {
    let report = ChangeListener::new(
        move |state: String, waiting: String, detail: Option<String>| {
            let detail = detail.unwrap_or_default();
            let state = match state.as_str() {
                "active" => SyncState::Active,
                "synced" => {
                    if let Some(mut c) = load_sync() {
                        c.sent = Some(detail.clone());
                        let _ = save_sync(Some(&c));
                    }
                    SyncState::Synced
                }
                "offline" => SyncState::Offline,
                _ => {
                    let (name, message) = detail.split_once(": ").unwrap_or((detail.as_str(), ""));
                    SyncState::Failed(SyncError::from_name(name, message))
                }
            };
            on(SyncStatus {
                state,
                waiting: waiting.parse().unwrap_or(0),
            });
        },
    );
    let json = sync_json(config, "");
    if db_sync_start(&json, &report).is_ok() {
        DB.with_borrow_mut(|db| db.sync_listener = Some(report));
    }
}

/// Stops the live sync; this device's store stays as it is.
pub fn sync_stop() {
    let _ = db_sync_stop();
    DB.with_borrow_mut(|db| db.sync_listener = None);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_since_the_snapshot_replace_delete_and_add_documents() {
        let rows = vec![
            ("m:1".to_string(), "1-a".to_string(), r#"{"d":1}"#),
            ("m:2".to_string(), "1-b".to_string(), r#"{"d":2}"#),
            ("m:3".to_string(), "1-c".to_string(), r#"{"d":3}"#),
        ];
        let changed = vec![
            ("m:2".to_string(), "2-b".to_string(), Some(r#"{"d":"two"}"#)),
            ("m:3".to_string(), "2-c".to_string(), None),
            ("m:4".to_string(), "1-n".to_string(), Some(r#"{"d":"new"}"#)),
            // Written and deleted since the snapshot: never there.
            ("m:5".to_string(), "2-x".to_string(), None),
        ];
        let out = overlay(rows, changed);
        let flat: Vec<(&str, &str, &str)> = out
            .iter()
            .map(|(id, rev, doc)| (id.as_str(), rev.as_str(), *doc))
            .collect();
        assert_eq!(
            flat,
            vec![
                ("m:1", "1-a", r#"{"d":1}"#),
                ("m:2", "2-b", r#"{"d":"two"}"#),
                ("m:4", "1-n", r#"{"d":"new"}"#),
            ]
        );
        // The snapshot text reads back as the same rows, documents untouched.
        let text = rows_json(&out);
        assert_eq!(parse_rows(&text).unwrap(), (out, true));
    }

    #[test]
    fn ids_revisions_and_bodies_with_quotes_line_breaks_and_chinese_read_back() {
        let rows = vec![
            (
                "m:\"1\"\\".to_string(),
                "1-\u{4e2d}".to_string(),
                r#"{"d":"x"}"#,
            ),
            (
                "m:\n2".to_string(),
                "1-b".to_string(),
                r#"{"d":"王\n芳]["}"#,
            ),
            ("m:3".to_string(), "1-c".to_string(), "{\n}"),
        ];
        let text = rows_json(&rows);
        assert_eq!(parse_rows(&text).unwrap(), (rows, true));
    }

    #[test]
    fn a_snapshot_as_json_rows_reads_as_the_version_before_kept_it() {
        let text = r#"[["m:1","1-a",{"d": [1, "王"]}],["f:p:x","2-b",{}]]"#;
        let (rows, by_length) = parse_rows(text).unwrap();
        assert!(!by_length);
        assert_eq!(
            rows,
            vec![
                ("m:1".to_string(), "1-a".to_string(), r#"{"d": [1, "王"]}"#),
                ("f:p:x".to_string(), "2-b".to_string(), "{}"),
            ]
        );
    }

    #[test]
    fn a_snapshot_cut_short_or_with_more_than_its_list_is_refused() {
        let rows = vec![
            ("m:1".to_string(), "1-a".to_string(), r#"{"d":"王芳"}"#),
            ("m:2".to_string(), "1-b".to_string(), r#"{"d":2}"#),
        ];
        let text = rows_json(&rows);
        assert!(parse_rows(&text[..text.len() - 1]).is_err());
        assert!(parse_rows(&format!("{text} ")).is_err());
        // A length that ends inside a character.
        let inside = text.replace("[\"m:1\",\"1-a\",14]", "[\"m:1\",\"1-a\",8]");
        assert_ne!(inside, text);
        assert!(parse_rows(&inside).unwrap_err().contains("m:1"));
        assert!(parse_rows(ROWS_BY_LENGTH).is_err());
    }

    #[test]
    fn a_kept_device_tag_reads_back_and_anything_else_is_none() {
        assert_eq!(parse_device_tag("1237911"), DeviceTag::new(1_237_911).ok());
        assert_eq!(parse_device_tag(" 7\n"), DeviceTag::new(7).ok());
        for bad in ["", "0", "2147483648", "-3", "1.5", "x", "1e3"] {
            assert_eq!(parse_device_tag(bad), None, "{bad}");
        }
    }
}
