//! The console's state: the store in one signal, changed only through
//! [`AppState::update`], which schedules a debounced save. Components read
//! signals and call methods here; they never touch storage themselves.

use crate::chunks::{split_fn, ChunkMissing};
use crate::i18n::{Key, Lang};
use crate::storage::{self, Opened, Prefs, StorageStatus};
use crate::{clock, files};
use chrono::NaiveDate;
use clientele_engine::demo::{demo_store, demo_store_sized, DemoLanguage};
use clientele_engine::records::{Records, SetAside};
use clientele_engine::store::{write_envelope, Envelope};
use clientele_engine::Store;
use leptos::prelude::*;
use std::time::Duration;

/// Typing waits this long after the last key before it is saved, so a
/// field writes once rather than on every key. Engine actions (a sale, a
/// contact, an import) save at once.
const SAVE_DEBOUNCE: Duration = Duration::from_millis(400);

/// The demo boutique's seed: the same demo for everyone, every time.
pub const DEMO_SEED: u64 = 20_261_123;

/// The largest generated demo: the size the console is measured at, with room.
pub const MAX_DEMO_MEMBERS: usize = 200_000;

#[derive(Clone, Copy)]
pub struct AppState {
    pub store: RwSignal<Store>,
    /// True until the user picks the demo or an empty store.
    pub first_run: RwSignal<bool>,
    pub lang: RwSignal<Lang>,
    pub status: RwSignal<StorageStatus>,
    /// Records that could not be read when the console opened.
    pub set_aside: RwSignal<Vec<SetAside>>,
    /// Whether the database holds every change (shown in the header).
    pub saved: RwSignal<bool>,
    /// This device's preferences (last backup, reminder).
    pub prefs: RwSignal<Prefs>,
    pub today: RwSignal<NaiveDate>,
    /// What the database holds: the next save writes the difference.
    records: StoredValue<Records>,
    pending: StoredValue<Option<TimeoutHandle>>,
    /// A write is under way; `again` asks for another when it ends.
    writing: StoredValue<bool>,
    again: StoredValue<bool>,
}

impl AppState {
    /// Builds the state from what opening the database found.
    pub fn new(opened: Opened, browser_lang: &str) -> AppState {
        let prefs = storage::load_prefs();
        let lang = prefs
            .lang
            .unwrap_or_else(|| Lang::from_browser_tag(browser_lang));
        let app = AppState {
            first_run: RwSignal::new(opened.store.is_none()),
            store: RwSignal::new(opened.store.unwrap_or_default()),
            lang: RwSignal::new(lang),
            status: RwSignal::new(opened.status),
            set_aside: RwSignal::new(opened.set_aside),
            saved: RwSignal::new(true),
            prefs: RwSignal::new(prefs),
            today: RwSignal::new(clock::today()),
            records: StoredValue::new(opened.records),
            pending: StoredValue::new(None),
            writing: StoredValue::new(false),
            again: StoredValue::new(false),
        };
        if !app.first_run.get_untracked() {
            app.note_keeping();
        }
        storage::listen(move || {
            // Taken after this turn, when no write of ours is starting.
            let _ = set_timeout_with_handle(move || app.take_incoming(), Duration::from_millis(30));
        });
        app
    }

    /// Remembers the first day this device kept a store (backup reminder).
    fn note_keeping(&self) {
        if self.prefs.with_untracked(|p| p.keeping_since.is_none()) {
            let today = self.today.get_untracked();
            self.update_prefs(|p| p.keeping_since = Some(today));
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

    /// Other tabs' (or devices') changes join this tab's store. Waits while
    /// this tab writes, so its own writes are known by their revisions.
    fn take_incoming(&self) {
        if self.writing.get_value() {
            return;
        }
        let incoming = storage::take_incoming();
        if incoming.is_empty() {
            return;
        }
        let mut newer = false;
        self.store.update(|store| {
            self.records.update_value(|r| {
                for (id, doc) in &incoming {
                    if id == clientele_engine::records::META_ID {
                        newer |= doc
                            .as_deref()
                            .is_some_and(clientele_engine::records::newer_schema);
                    }
                    // A record that does not parse stays out, as at open.
                    let _ = r.receive(id, doc.as_deref(), store);
                }
            });
        });
        if newer {
            self.status.set(StorageStatus::ReadOnly);
        }
        if self.first_run.get_untracked() && !self.records.with_value(Records::is_empty) {
            self.first_run.set(false);
        }
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
            self.save_now();
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

    fn mark_unsaved(&self) {
        if self.saved.get_untracked() {
            self.saved.set(false);
        }
    }

    fn schedule_save(&self) {
        self.mark_unsaved();
        if let Some(handle) = self.pending.get_value() {
            handle.clear();
        }
        let this = *self;
        let handle = set_timeout_with_handle(move || this.save_now(), SAVE_DEBOUNCE).ok();
        self.pending.set_value(handle);
    }

    /// Writes what changed since the last save, now. The change stays in
    /// memory whatever happens; the banner says when it is not saved.
    pub fn save_now(&self) {
        self.save(false);
    }

    /// The page is being hidden and may be closed: what is not yet in the
    /// database goes to the journal (written at once), and the save starts.
    pub fn flush(&self) {
        if self.has_pending_save() {
            self.save(true);
        }
    }

    fn save(&self, journal: bool) {
        if let Some(handle) = self.pending.get_value() {
            handle.clear();
        }
        self.pending.set_value(None);
        if !self.status.get_untracked().can_save() {
            return;
        }
        let changes = || {
            self.records
                .with_value(|r| self.store.with_untracked(|s| r.changes(s)))
        };
        if self.writing.get_value() {
            // The write under way is not committed yet, so these changes
            // include it: the journal holds everything not yet saved.
            if journal {
                storage::write_journal(&changes());
            }
            self.again.set_value(true);
            return;
        }
        let p = changes();
        if journal {
            storage::write_journal(&p);
        }
        if p.is_empty() {
            self.take_incoming();
            if !self.saved.get_untracked() {
                self.saved.set(true);
            }
            return;
        }
        self.mark_unsaved();
        self.writing.set_value(true);
        let this = *self;
        leptos::task::spawn_local(async move {
            let result = storage::write(&p).await;
            this.writing.set_value(false);
            match result {
                Ok(()) => {
                    this.records.update_value(|r| r.commit(p));
                    if this.status.get_untracked() != StorageStatus::Ok {
                        this.status.set(StorageStatus::Ok);
                    }
                    let more = this.again.get_value() || this.pending.with_value(Option::is_some);
                    if !more {
                        this.saved.set(true);
                    }
                }
                Err(e) => this.status.set(e.status()),
            }
            this.take_incoming();
            if this.again.get_value() {
                this.again.set_value(false);
                this.save_now();
            }
        });
    }

    pub fn has_pending_save(&self) -> bool {
        self.pending.with_value(|p| p.is_some()) || self.writing.get_value()
    }

    pub fn set_lang(&self, lang: Lang) {
        self.lang.set(lang);
        self.update_prefs(|p| p.lang = Some(lang));
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
        let mut demo = generate_demo(today, lang, members).await?;
        if demo.settings.store_name.is_empty() {
            demo.settings.store_name = self.lang.get_untracked().t(Key::DemoStoreName).to_string();
        }
        self.first_run.set(false);
        self.note_keeping();
        self.update(|s| *s = demo);
        self.save_now();
        Ok(())
    }

    pub fn start_empty(&self) {
        self.first_run.set(false);
        self.note_keeping();
        self.update(|s| *s = Store::default());
        self.save_now();
    }

    /// Erases the saved store and returns to the welcome screen.
    pub async fn reset(self) {
        if let Some(handle) = self.pending.get_value() {
            handle.clear();
        }
        self.pending.set_value(None);
        match storage::erase().await {
            Ok(()) => self.status.set(StorageStatus::Ok),
            Err(e) => self.status.set(e.status()),
        }
        self.records
            .update_value(|r| *r = Records::empty(r.writer()));
        self.set_aside.set(Vec::new());
        self.store.set(Store::default());
        self.first_run.set(true);
    }

    /// The full backup as the user would download it: the same envelope the
    /// browser stores.
    pub fn backup_json(&self) -> String {
        self.store
            .with_untracked(|s| write_envelope(&Envelope::new(s.clone(), 0, clock::now_iso())))
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
        files::download(&name, "application/json", self.backup_json().as_bytes())?;
        self.update_prefs(|p| p.last_backup = Some(self.today.get_untracked()));
        Ok(())
    }

    /// Changes this device's preferences; a failure only loses the preference.
    pub fn update_prefs(&self, change: impl FnOnce(&mut Prefs)) {
        self.prefs.update(change);
        let _ = self.prefs.with_untracked(storage::save_prefs);
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
