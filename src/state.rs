//! The console's state: the store in one signal, changed only through
//! [`AppState::update`], which schedules a debounced save. Components read
//! signals and call methods here; they never touch storage themselves.

use crate::chunks::{split_fn, ChunkMissing};
use crate::i18n::{Key, Lang};
use crate::storage::{self, Prefs, StorageStatus};
use crate::{clock, files};
use chrono::NaiveDate;
use clientele_engine::demo::{demo_store, demo_store_sized, DemoLanguage};
use clientele_engine::store::{write_envelope, Envelope};
use clientele_engine::Store;
use leptos::prelude::*;
use std::time::Duration;

/// Saves wait this long after the last change, so typing in a field
/// writes once rather than on every key.
const SAVE_DEBOUNCE: Duration = Duration::from_millis(400);

/// The demo boutique's seed: the same demo for everyone, every time.
pub const DEMO_SEED: u64 = 20_261_123;

/// About the most members whose store stays below `PACK_ABOVE_UNITS`.
const DEMO_MEMBERS_PLAIN: usize = 1_200;

/// The largest generated demo: the size the console is measured at, with room.
pub const MAX_DEMO_MEMBERS: usize = 200_000;

#[derive(Clone, Copy)]
pub struct AppState {
    pub store: RwSignal<Store>,
    /// True until the user picks the demo or an empty store.
    pub first_run: RwSignal<bool>,
    pub lang: RwSignal<Lang>,
    pub status: RwSignal<StorageStatus>,
    pub today: RwSignal<NaiveDate>,
    rev: StoredValue<u64>,
    pending: StoredValue<Option<TimeoutHandle>>,
}

impl AppState {
    /// Opens storage once at start and builds the state from what it holds.
    pub fn open(browser_lang: &str) -> AppState {
        let opened = storage::open();
        let prefs = storage::load_prefs();
        let lang = prefs
            .lang
            .unwrap_or_else(|| Lang::from_browser_tag(browser_lang));
        AppState {
            first_run: RwSignal::new(opened.store.is_none()),
            store: RwSignal::new(opened.store.unwrap_or_default()),
            lang: RwSignal::new(lang),
            status: RwSignal::new(opened.status),
            today: RwSignal::new(clock::today()),
            rev: StoredValue::new(opened.rev),
            pending: StoredValue::new(None),
        }
    }

    pub fn t<K: crate::i18n::Text>(&self, key: K) -> &'static str {
        self.lang.get().t(key)
    }

    /// Changes the store and schedules a save. The change always applies in
    /// memory, even when it cannot be saved, so nothing typed is lost.
    pub fn update(&self, change: impl FnOnce(&mut Store)) {
        self.store.update(change);
        self.schedule_save();
    }

    /// Applies a change that the engine may refuse. On `Err` nothing was
    /// changed, so nothing re-renders and nothing is saved.
    pub fn try_update<T, E>(
        &self,
        change: impl FnOnce(&mut Store) -> Result<T, E>,
    ) -> Option<Result<T, E>> {
        let mut out = None;
        self.store.maybe_update(|s| {
            let r = change(s);
            let ok = r.is_ok();
            out = Some(r);
            ok
        });
        if matches!(out, Some(Ok(_))) {
            self.schedule_save();
        }
        out
    }

    /// The engine's explanation language for the current UI language.
    pub fn explain_lang(&self) -> clientele_engine::explain::Lang {
        match self.lang.get() {
            Lang::Zh => clientele_engine::explain::Lang::Zh,
            Lang::En => clientele_engine::explain::Lang::En,
        }
    }

    fn schedule_save(&self) {
        if let Some(handle) = self.pending.get_value() {
            handle.clear();
        }
        let this = *self;
        let handle = set_timeout_with_handle(move || this.save_now(), SAVE_DEBOUNCE).ok();
        self.pending.set_value(handle);
    }

    /// Writes now (also used when the page is hidden, so a closing tab keeps
    /// its last change).
    pub fn save_now(&self) {
        self.pending.set_value(None);
        if !self.status.get_untracked().can_save() {
            return;
        }
        let result = self
            .store
            .with_untracked(|s| storage::save(s, self.rev.get_value(), &clock::now_iso()));
        match result {
            Ok(rev) => {
                self.rev.set_value(rev);
                if self.status.get_untracked() != StorageStatus::Ok {
                    self.status.set(StorageStatus::Ok);
                }
            }
            // Saved as soon as the packing code is in.
            Err(storage::SaveError::PackingNotYet) => {
                let this = *self;
                leptos::task::spawn_local(async move {
                    if storage::fetch_packing().await {
                        this.save_now();
                    } else {
                        this.status.set(StorageStatus::Failed(
                            "the packing code could not be fetched".into(),
                        ));
                    }
                });
            }
            Err(e) => self.status.set(e.status()),
        }
    }

    pub fn has_pending_save(&self) -> bool {
        self.pending.with_value(|p| p.is_some())
    }

    pub fn set_lang(&self, lang: Lang) {
        self.lang.set(lang);
        // A failure here only loses the language choice, which the browser
        // default recovers; the store is unaffected.
        let _ = storage::save_prefs(&Prefs { lang: Some(lang) });
    }

    /// Opens the demo boutique; `members` asks for a generated one of that
    /// size instead (sales demos and speed checks: `/?members=100000`).
    /// One too large for browser storage stays in memory, and the banner
    /// says so. The generator is fetched on demand, which may fail offline.
    pub async fn open_demo(self, members: Option<usize>) -> Result<(), ChunkMissing> {
        let lang = match self.lang.get_untracked() {
            Lang::Zh => DemoLanguage::Chinese,
            Lang::En => DemoLanguage::English,
        };
        let today = self.today.get_untracked();
        // A generated demo of thousands of members is saved packed: fetch
        // that code first rather than serialise the store twice.
        if members.is_some_and(|n| n > DEMO_MEMBERS_PLAIN) {
            storage::fetch_packing().await;
        }
        let mut demo = generate_demo(today, lang, members).await?;
        if demo.settings.store_name.is_empty() {
            demo.settings.store_name = self.lang.get_untracked().t(Key::DemoStoreName).to_string();
        }
        self.first_run.set(false);
        self.update(|s| *s = demo);
        self.save_now();
        Ok(())
    }

    pub fn start_empty(&self) {
        self.first_run.set(false);
        self.update(|s| *s = Store::default());
        self.save_now();
    }

    /// Erases the saved store and returns to the welcome screen.
    pub fn reset(&self) {
        if let Some(handle) = self.pending.get_value() {
            handle.clear();
        }
        self.pending.set_value(None);
        match storage::erase() {
            Ok(()) => {
                self.rev.set_value(0);
                self.status.set(StorageStatus::Ok);
            }
            Err(e) => self.status.set(e.status()),
        }
        self.store.set(Store::default());
        self.first_run.set(true);
    }

    /// The full backup as the user would download it: the same envelope the
    /// browser stores.
    pub fn backup_json(&self) -> String {
        self.store.with_untracked(|s| {
            write_envelope(&Envelope::new(
                s.clone(),
                self.rev.get_value(),
                clock::now_iso(),
            ))
        })
    }

    pub fn download_backup(&self) -> Result<(), String> {
        let name = self.store.with_untracked(|s| {
            files::file_name(
                &s.settings.store_name,
                "backup",
                self.today.get_untracked(),
                "json",
            )
        });
        files::download(&name, "application/json", self.backup_json().as_bytes())
    }
}

pub fn use_app() -> AppState {
    expect_context::<AppState>()
}

// The demo generator is split off the first load: a shop opens it once, if
// ever, and it is fetched when asked for.
split_fn! { demo;
    fn generate_demo(
        today: NaiveDate,
        lang: DemoLanguage,
        members: Option<usize>,
    ) -> Result<Store, ChunkMissing> {
        Ok(match members {
            Some(n) => demo_store_sized(DEMO_SEED, today, lang, n.clamp(1, MAX_DEMO_MEMBERS)),
            None => demo_store(DEMO_SEED, today, lang),
        })
    }
}
