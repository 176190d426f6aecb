//! The only module that touches browser storage. Everything the console
//! keeps lives under `clientele.*` keys in localStorage:
//! - `clientele.store`: the versioned envelope `{schema, rev, saved_at, data}`,
//!   packed when large (see [`PACK_ABOVE_UNITS`]);
//! - `clientele.rev`: the envelope's revision alone, so a save can check
//!   cheaply that no other tab wrote since this tab last read (compare-and-set);
//! - `clientele.prefs`: this device's preferences (language);
//! - `clientele.import_mappings`: column mappings the user confirmed, by
//!   header signature, so the same file layout maps itself next time;
//! - `clientele.backup.*`: raw copies kept before a migration or after a
//!   document could not be read, so nothing is ever silently dropped.

use crate::chunks::{if_loaded, split_fn, ChunkMissing};
use crate::i18n::Lang;
use clientele_engine::store::{
    pack, read_envelope, unpack, write_envelope, Envelope, EnvelopeError, PACKED_PREFIX,
};
use clientele_engine::Store;
use gloo_storage::errors::StorageError;
use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;

pub const STORE_KEY: &str = "clientele.store";
pub const REV_KEY: &str = "clientele.rev";
pub const PREFS_KEY: &str = "clientele.prefs";
pub const BACKUP_PREFIX: &str = "clientele.backup.";
pub const IMPORT_MAPPINGS_KEY: &str = "clientele.import_mappings";

/// Chromium allows 10 MiB per origin, counted as UTF-16 code units of keys
/// plus values (2 bytes each).
pub const QUOTA_UNITS: usize = 5 * 1024 * 1024;

/// Above this size the store is saved packed (deflated, 15 bits a unit):
/// about a tenth of the room, at the price of a document no one can read
/// by eye. Smaller stores stay plain JSON. The backup file is always plain.
pub const PACK_ABOVE_UNITS: usize = 2_000_000;

/// What the banner tells the user about saving.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageStatus {
    Ok,
    /// localStorage is missing or throws: data lives in memory only.
    Unavailable,
    /// The quota is exceeded: the last change lives in memory only.
    Full,
    /// Some other write failure, with the browser's message.
    Failed(String),
    /// The stored document is from a newer app: never written to.
    ReadOnly,
    /// Another tab saved a newer revision: this tab stops writing.
    Conflict,
    /// The stored document could not be read: kept as a backup.
    Corrupt,
    /// The stored document is packed and the unpacking code could not be
    /// fetched: nothing is shown or written until a reload.
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
    Conflict {
        stored: u64,
        expected: u64,
    },
    Failed(String),
    /// Too big to save unpacked and the packing code is not in yet: fetch
    /// it (`fetch_packing`) and save again (nothing was written).
    PackingNotYet,
}

impl SaveError {
    pub fn status(&self) -> StorageStatus {
        match self {
            SaveError::Unavailable => StorageStatus::Unavailable,
            SaveError::Full => StorageStatus::Full,
            SaveError::Conflict { .. } => StorageStatus::Conflict,
            SaveError::Failed(m) => StorageStatus::Failed(m.clone()),
            SaveError::PackingNotYet => StorageStatus::Ok,
        }
    }
}

/// What opening the console found.
#[derive(Clone, Debug, PartialEq)]
pub struct Opened {
    /// `None` on the first run: nothing was ever saved here.
    pub store: Option<Store>,
    pub rev: u64,
    pub status: StorageStatus,
}

/// gloo-storage's `raw()` panics when localStorage is unavailable (private
/// modes, disabled storage), so every entry point asks this first.
pub fn available() -> bool {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .is_some()
}

fn raw_get(key: &str) -> Option<String> {
    if !available() {
        return None;
    }
    LocalStorage::raw().get_item(key).ok().flatten()
}

fn classify(err: StorageError) -> SaveError {
    match err {
        StorageError::JsError(js) if js.name == "QuotaExceededError" => SaveError::Full,
        StorageError::JsError(js) => SaveError::Failed(format!("{}: {}", js.name, js.message)),
        other => SaveError::Failed(other.to_string()),
    }
}

pub fn open() -> Opened {
    if !available() {
        return Opened {
            store: None,
            rev: 0,
            status: StorageStatus::Unavailable,
        };
    }
    let Some(text) = raw_get(STORE_KEY) else {
        return Opened {
            store: None,
            rev: 0,
            status: StorageStatus::Ok,
        };
    };
    let json = if text.starts_with(PACKED_PREFIX) {
        match if_loaded(packing(Packing::Unpack(text.clone()))) {
            Some(json) => json.map(std::borrow::Cow::Owned),
            None => {
                return Opened {
                    store: Some(Store::default()),
                    rev: stored_rev(),
                    status: StorageStatus::NotOpened,
                }
            }
        }
    } else {
        Ok(std::borrow::Cow::Borrowed(text.as_str()))
    };
    match json.and_then(|json| read_envelope(&json)) {
        Ok(loaded) => {
            if loaded.migrated {
                keep_backup(&format!("schema{}", loaded.envelope.schema), &text);
            }
            let status = if loaded.read_only {
                StorageStatus::ReadOnly
            } else {
                StorageStatus::Ok
            };
            Opened {
                store: Some(loaded.envelope.data),
                rev: loaded.envelope.rev,
                status,
            }
        }
        Err(EnvelopeError::NewerSchema { .. }) => Opened {
            store: Some(Store::default()),
            rev: 0,
            status: StorageStatus::ReadOnly,
        },
        Err(_) => {
            keep_backup("unreadable", &text);
            // The unreadable document stays in place until the user saves
            // over it; the backup key holds it either way.
            Opened {
                store: Some(Store::default()),
                rev: stored_rev(),
                status: StorageStatus::Corrupt,
            }
        }
    }
}

/// Whether the stored document is packed, so the console must fetch the
/// packing chunk before it opens.
pub fn needs_unpacking() -> bool {
    raw_get(STORE_KEY).is_some_and(|t| t.starts_with(PACKED_PREFIX))
}

/// Fetches the packing chunk; `open` and `save` then use it at once.
/// `false` if it could not be fetched.
pub async fn fetch_packing() -> bool {
    packing(Packing::Probe).await.is_ok()
}

fn packing_loaded() -> bool {
    if_loaded(packing(Packing::Probe)).is_some()
}

enum Packing {
    /// Only asks whether the chunk is in (the text stays with the caller).
    Probe,
    Pack(String),
    Unpack(String),
}

// Deflate is split off the first load: most shops' stores stay plain JSON
// (below PACK_ABOVE_UNITS), so most never fetch it.
split_fn! { packing;
    fn packing(job: Packing) -> Result<Result<String, EnvelopeError>, ChunkMissing> {
        Ok(match job {
            Packing::Probe => Ok(String::new()),
            Packing::Pack(text) => Ok(pack(&text)),
            Packing::Unpack(text) => unpack(&text).map(|json| json.into_owned()),
        })
    }
}

fn keep_backup(label: &str, text: &str) {
    let _ = LocalStorage::raw().set_item(&format!("{BACKUP_PREFIX}{label}"), text);
}

/// The revision another tab may have written since we read.
pub fn stored_rev() -> u64 {
    raw_get(REV_KEY).and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// Writes the store as revision `expected_rev + 1`, unless another tab has
/// written since `expected_rev` was read. On any error nothing the caller
/// holds changes: the data stays in memory and the caller says so.
pub fn save(store: &Store, expected_rev: u64, saved_at: &str) -> Result<u64, SaveError> {
    if !available() {
        return Err(SaveError::Unavailable);
    }
    let stored = stored_rev();
    if stored != expected_rev {
        return Err(SaveError::Conflict {
            stored,
            expected: expected_rev,
        });
    }
    let rev = expected_rev + 1;
    let mut text = write_envelope(&Envelope::new(store.clone(), rev, saved_at));
    let units = text.encode_utf16().count();
    let mut unpacked_for_now = false;
    if units > PACK_ABOVE_UNITS {
        if packing_loaded() {
            text = match if_loaded(packing(Packing::Pack(text))) {
                Some(Ok(packed)) => packed,
                _ => return Err(SaveError::PackingNotYet),
            };
        } else if units > QUOTA_UNITS {
            return Err(SaveError::PackingNotYet);
        } else {
            // Saved as it is while the packing code arrives, if it fits.
            unpacked_for_now = true;
        }
    }
    match write_raw(STORE_KEY, &text) {
        Err(SaveError::Full) if unpacked_for_now => return Err(SaveError::PackingNotYet),
        r => r?,
    }
    write_raw(REV_KEY, &rev.to_string())?;
    Ok(rev)
}

fn write_raw(key: &str, text: &str) -> Result<(), SaveError> {
    LocalStorage::raw().set_item(key, text).map_err(|e| {
        match e.dyn_ref::<web_sys::DomException>() {
            Some(ex) if ex.name() == "QuotaExceededError" => SaveError::Full,
            Some(ex) => SaveError::Failed(format!("{}: {}", ex.name(), ex.message())),
            None => SaveError::Failed(format!("{e:?}")),
        }
    })
}

/// Deletes the store (Settings → reset). Preferences survive.
pub fn erase() -> Result<(), SaveError> {
    if !available() {
        return Err(SaveError::Unavailable);
    }
    let raw = LocalStorage::raw();
    let keys: Vec<String> = (0..raw.length().unwrap_or(0))
        .filter_map(|i| raw.key(i).ok().flatten())
        .filter(|k| k.starts_with("clientele.") && k != PREFS_KEY)
        .collect();
    for k in keys {
        raw.remove_item(&k)
            .map_err(|_| SaveError::Failed(format!("could not remove {k}")))?;
    }
    Ok(())
}

/// UTF-16 units used by all keys and values of this origin, which is what
/// the browser's quota counts.
pub fn used_units() -> Option<usize> {
    if !available() {
        return None;
    }
    let raw = LocalStorage::raw();
    let mut units = 0;
    for i in 0..raw.length().ok()? {
        let key = raw.key(i).ok()??;
        let value = raw.get_item(&key).ok()?.unwrap_or_default();
        units += key.encode_utf16().count() + value.encode_utf16().count();
    }
    Some(units)
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Prefs {
    #[serde(default)]
    pub lang: Option<Lang>,
}

pub fn load_prefs() -> Prefs {
    if !available() {
        return Prefs::default();
    }
    LocalStorage::get(PREFS_KEY).unwrap_or_default()
}

pub fn save_prefs(prefs: &Prefs) -> Result<(), SaveError> {
    if !available() {
        return Err(SaveError::Unavailable);
    }
    LocalStorage::set(PREFS_KEY, prefs).map_err(classify)
}

type Mappings = std::collections::BTreeMap<String, clientele_io::Mapping>;

/// The mapping the user last confirmed for files with these headers.
pub fn load_import_mapping(signature: &str) -> Option<clientele_io::Mapping> {
    if !available() {
        return None;
    }
    let all: Mappings = LocalStorage::get(IMPORT_MAPPINGS_KEY).ok()?;
    all.get(signature).cloned()
}

pub fn save_import_mapping(
    signature: &str,
    mapping: &clientele_io::Mapping,
) -> Result<(), SaveError> {
    if !available() {
        return Err(SaveError::Unavailable);
    }
    let mut all: Mappings = LocalStorage::get(IMPORT_MAPPINGS_KEY).unwrap_or_default();
    all.insert(signature.to_string(), mapping.clone());
    LocalStorage::set(IMPORT_MAPPINGS_KEY, &all).map_err(classify)
}
