//! The console's state: the store in one signal, changed only through
//! [`AppState::update`], which schedules a debounced save. Components read
//! signals and call methods here; they never touch storage themselves.

use crate::chunks::{if_loaded, split_fn, ChunkMissing};
use crate::folder_backup::{self, FolderJob};
use crate::i18n::{Key, Lang};
use crate::storage::{self, Opened, Prefs, StorageStatus, SyncState, SyncStatus};
use crate::{clock, files};
use chrono::NaiveDate;
use clientele_engine::demo::{demo_store, demo_store_sized, DemoLanguage};
use clientele_engine::store::document::{write_envelope, Envelope};
use clientele_engine::store::records::{Records, Scope, SetAside};
use clientele_engine::{DeviceTag, Store};
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

/// How often an open console looks whether today's folder backup is due
/// (besides when it opens and when the page is shown again).
const FOLDER_CHECK: Duration = Duration::from_secs(3600);

#[derive(Clone, Copy)]
pub struct AppState {
    pub store: RwSignal<Store>,
    /// True until the user picks the demo or an empty store.
    pub first_run: RwSignal<bool>,
    pub lang: RwSignal<Lang>,
    pub status: RwSignal<StorageStatus>,
    /// Records that could not be read when the console opened.
    pub set_aside: RwSignal<Vec<SetAside>>,
    /// A large save was cut short before this open (documents it had).
    pub unfinished: RwSignal<Option<u32>>,
    /// Whether the database holds every change (shown in the header).
    pub saved: RwSignal<bool>,
    /// This device's preferences (last backup, reminder).
    pub prefs: RwSignal<Prefs>,
    pub today: RwSignal<NaiveDate>,
    /// The backup folder's backups are paused or failed: the notice above
    /// the page asks the folder's chunk to say so. The folder's own state
    /// lives in that chunk (`folder_backup::folder`), so the first load
    /// carries none of it; `prefs.folder_due` says when it is next due.
    pub folder_note: RwSignal<bool>,
    /// This device's sync with the boutique's server (Off unless set up).
    pub sync: RwSignal<SyncStatus>,
    /// When both sides were last level, this session (local time, HH:MM).
    pub synced_at: RwSignal<Option<String>>,
    /// Member documents edited on two devices whose same field differs:
    /// waiting for the owner's choice (Settings).
    pub contested: RwSignal<Vec<String>>,
    /// What the database holds: the next save writes the difference.
    records: StoredValue<Records>,
    /// What may have changed since the database last took everything, so
    /// a sale's save compares only the facts appended, not 100,000 members.
    scope: StoredValue<Scope>,
    /// Counts changes, so a finished write knows whether more came meanwhile.
    changes_made: StoredValue<u64>,
    /// Counts changes that may have touched members (not a sale's facts),
    /// so the search index is rebuilt only for those.
    members_rev: StoredValue<u64>,
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
            store: RwSignal::new({
                let mut store = opened.store.unwrap_or_default();
                store.make_room();
                store
            }),
            lang: RwSignal::new(lang),
            status: RwSignal::new(opened.status),
            set_aside: RwSignal::new(opened.set_aside),
            unfinished: RwSignal::new(opened.unfinished),
            saved: RwSignal::new(true),
            prefs: RwSignal::new(prefs),
            today: RwSignal::new(clock::today()),
            folder_note: RwSignal::new(false),
            sync: RwSignal::new(SyncStatus::default()),
            synced_at: RwSignal::new(None),
            contested: RwSignal::new(Vec::new()),
            records: StoredValue::new(opened.records),
            scope: StoredValue::new(Scope::Appended),
            changes_made: StoredValue::new(0),
            members_rev: StoredValue::new(0),
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
        app.open_database();
        // Today's folder backup: a moment after opening (the first screen
        // comes first), then hourly, so a console left open writes daily.
        app.watch_folder(Duration::from_secs(1));
        if app.status.with_untracked(|s| *s == StorageStatus::Ok) {
            app.resume_sync();
        }
        app
    }

    /// The console opened by reading the database as it is
    /// ([`storage::open`]); PouchDB, which writes it, is fetched once the
    /// first screen is painted (or by the first write, whichever comes
    /// first). A database that cannot be written then says so.
    fn open_database(self) {
        crate::analysis::after_paint(move || {
            self.keep_copy();
            leptos::task::spawn_local(async move {
                if let Err(e) = storage::ready().await {
                    self.status.update(|s| {
                        if *s == StorageStatus::Ok {
                            *s = e.status();
                        }
                    });
                }
            })
        });
    }

    /// Starts this device's sync if it is set up. Its code is in the
    /// Settings chunk, so a device that does not sync never fetches it.
    fn resume_sync(self) {
        if !storage::sync_set_up() {
            return;
        }
        self.sync.set(SyncStatus {
            state: SyncState::Starting,
            waiting: 0,
        });
        leptos::task::spawn_local(async move {
            match crate::components::sync_settings::sync_chunk().await {
                Ok(start) => start(self),
                Err(ChunkMissing) => self.sync.set(SyncStatus {
                    state: SyncState::Offline,
                    waiting: 0,
                }),
            }
        });
    }

    /// Merges member documents edited on two devices (all the database
    /// notes when `ids` is empty); their code is in the Settings chunk.
    pub fn settle_conflicts(self, ids: Vec<String>) {
        leptos::task::spawn_local(async move {
            if let Ok(settle) = crate::components::member_conflicts::conflicts_chunk().await {
                settle(self, ids);
            }
        });
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
        self.keep_copy();
        self.store.update(|s| {
            change(s);
            s.make_room();
        });
        self.changed(Scope::Everything);
        self.schedule_save();
    }

    /// The records take back their copy of the facts the open lent to the
    /// store ([`Records::read_lent`]): after the first screen, or before
    /// anything changes the store or asks what to save, if that is sooner.
    fn keep_copy(&self) {
        self.records
            .update_value(|r| self.store.with_untracked(|s| r.keep_copy(s)));
    }

    fn changed(&self, scope: Scope) {
        if scope == Scope::Everything {
            self.members_changed();
        }
        self.scope.update_value(|s| *s = (*s).max(scope));
        self.changes_made.update_value(|n| *n += 1);
    }

    fn members_changed(&self) {
        self.members_rev.update_value(|n| *n += 1);
    }

    /// Changes only when members may have changed (read without tracking;
    /// whoever reads it tracks the store).
    pub fn members_rev(&self) -> u64 {
        self.members_rev.get_value()
    }

    /// Other tabs' (or devices') changes join this tab's store. Waits while
    /// this tab writes, so its own writes are known by their revisions.
    fn take_incoming(&self) {
        if !storage::incoming_waiting() {
            return;
        }
        let app = *self;
        if let Some(take) = if_loaded(incoming_chunk()) {
            return take(app);
        }
        leptos::task::spawn_local(async move {
            match incoming_chunk().await {
                Ok(take) => take(app),
                // Offline before the chunk was kept: the changes wait in
                // storage's queue, and are taken on the next try.
                Err(ChunkMissing) => {
                    let _ = set_timeout_with_handle(
                        move || app.take_incoming(),
                        Duration::from_secs(5),
                    );
                }
            }
        });
    }

    /// Applies a change that the engine may refuse. On `Err` nothing was
    /// changed, so nothing re-renders and nothing is saved.
    pub fn try_update<T, E>(
        &self,
        change: impl FnOnce(&mut Store) -> Result<T, E>,
    ) -> Option<Result<T, E>> {
        self.try_change(Scope::Everything, change)
    }

    /// [`Self::try_update`] for an engine action that only appends facts
    /// (a sale, a return, a points event, a contact) and changes no member:
    /// its save then costs the new facts, whatever the store's size.
    pub fn try_append<T, E>(
        &self,
        append: impl FnOnce(&mut Store) -> Result<T, E>,
    ) -> Option<Result<T, E>> {
        self.try_change(Scope::Appended, append)
    }

    fn try_change<T, E>(
        &self,
        scope: Scope,
        change: impl FnOnce(&mut Store) -> Result<T, E>,
    ) -> Option<Result<T, E>> {
        self.keep_copy();
        let mut out = None;
        self.store.maybe_update(|s| {
            let r = change(s);
            let ok = r.is_ok();
            out = Some(r);
            ok
        });
        if matches!(out, Some(Ok(_))) {
            self.changed(scope);
            self.save_now();
        }
        out
    }

    /// The engine's explanation language for the current UI language.
    pub fn explain_lang(&self) -> clientele_engine::points::explain::Lang {
        match self.lang.get() {
            Lang::Zh => clientele_engine::points::explain::Lang::Zh,
            Lang::En => clientele_engine::points::explain::Lang::En,
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
        let scope = self.scope.get_value();
        self.keep_copy();
        self.records
            .update_value(|r| r.set_edit_time(clock::now_ms()));
        let changes = || {
            self.records
                .with_value(|r| self.store.with_untracked(|s| r.changes_in(s, scope)))
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
            self.scope.set_value(Scope::Appended);
            self.take_incoming();
            if !self.saved.get_untracked() {
                self.saved.set(true);
            }
            return;
        }
        self.mark_unsaved();
        self.writing.set_value(true);
        let made = self.changes_made.get_value();
        let this = *self;
        leptos::task::spawn_local(async move {
            let result = storage::write(&p).await;
            this.writing.set_value(false);
            match result {
                Ok(()) => {
                    this.records.update_value(|r| r.commit(p));
                    // Nothing changed during the write: the database holds
                    // everything, and the next change starts a new scope.
                    if this.changes_made.get_value() == made {
                        this.scope.set_value(Scope::Appended);
                    }
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

    /// The user keeps the store as it opened after a large save was cut
    /// short; the notice goes once the database forgets the mark.
    pub async fn keep_unfinished(self) {
        match storage::accept_unfinished().await {
            Ok(()) => self.unfinished.set(None),
            Err(e) => self.status.set(e.status()),
        }
    }

    /// The store was replaced whole (a restore): its save rewrites what a
    /// save cut short left out, so that notice goes.
    pub fn replaced_whole(&self) {
        storage::whole_save_next();
        self.unfinished.set(None);
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
        self.unfinished.set(None);
        self.members_changed();
        self.store.set(Store::default());
        self.first_run.set(true);
        // The erase forgot the backup folder too: a store started afresh
        // must not write into (and prune) the shop's backups.
        self.update_prefs(|p| p.folder_due = None);
        self.folder_note.set(false);
    }

    /// The full backup as the user would download it: the same envelope the
    /// browser stores.
    pub fn backup_json(&self) -> String {
        self.store
            .with_untracked(|s| write_envelope(&Envelope::new(s.clone(), 0, clock::now_iso())))
    }

    pub fn download_backup(&self) -> Result<(), String> {
        let name = self.store.with_untracked(|s| {
            files::backup_name(&s.settings.store_name, self.today.get_untracked())
        });
        files::download(&name, "application/json", self.backup_json().as_bytes())?;
        self.update_prefs(|p| p.last_backup = Some(self.today.get_untracked()));
        Ok(())
    }

    /// The shop this device is in (Settings), empty when not set.
    pub fn device_shop(&self) -> String {
        self.prefs.with_untracked(|p| p.shop.clone())
    }

    /// Who acts at this device for `member`: the staff member signed in
    /// here, else the member's own staff member.
    pub fn acting_staff(&self, member: clientele_engine::MemberId) -> String {
        let signed_in = self.prefs.with_untracked(|p| p.staff.clone());
        if !signed_in.is_empty() {
            return signed_in;
        }
        self.store.with_untracked(|s| {
            s.members
                .iter()
                .find(|m| m.id == member)
                .and_then(|m| m.staff.clone())
                .unwrap_or_default()
        })
    }

    /// This device's name (Settings → Sync), recorded on its sales and
    /// contacts while the store is shared; empty on a device alone.
    pub fn device_name(&self) -> String {
        storage::load_sync()
            .map(|c| c.device.trim().to_string())
            .unwrap_or_default()
    }

    /// What tells this device's receipt and return numbers from those of
    /// the boutique's other devices: its tag's code while it syncs, nothing
    /// while it keeps its store alone.
    pub fn number_code(&self) -> String {
        if storage::sync_set_up() {
            self.device_tag().code()
        } else {
            String::new()
        }
    }

    /// This device's member-id series (docs/store-format.md, "Member ids"):
    /// drawn at random on first use and kept on the device (only for this
    /// session when it cannot be kept). A series that is used up is
    /// replaced by a fresh tag.
    pub fn device_tag(&self) -> DeviceTag {
        if let Some(tag) = storage::device_tag() {
            if self.store.with_untracked(|s| s.id_series(tag).left() > 0) {
                return tag;
            }
        }
        storage::new_device_tag()
    }

    /// Changes this device's preferences; a failure only loses the preference.
    pub fn update_prefs(&self, change: impl FnOnce(&mut Prefs)) {
        self.prefs.update(change);
        let _ = self.prefs.with_untracked(storage::save_prefs);
    }

    /// Writes today's backup into the backup folder if one is chosen and
    /// its next backup is due (an empty store has nothing to keep).
    /// Never asks the user anything: a folder the browser wants permission
    /// for again stays paused until a tap. Kept to this cheap look; the
    /// folder's chunk does the rest (and reads the preferences again:
    /// another tab may have written today's meanwhile). If the chunk cannot
    /// be fetched (offline before it was kept) the next look tries again,
    /// and the week's reminder stands in.
    pub fn folder_backup_due(&self) {
        let today = clock::today();
        let due = self
            .prefs
            .with_untracked(|p| p.folder_due.is_some_and(|d| d <= today));
        if due && !self.first_run.get_untracked() && !self.store.with_untracked(Store::is_empty) {
            let app = *self;
            leptos::task::spawn_local(async move {
                if let Ok(chunk) = folder_backup::folder_chunk().await {
                    (chunk.start)(app, FolderJob::Due);
                }
            });
        }
    }

    /// [`Self::folder_backup_due`] after `wait`, then every
    /// [`FOLDER_CHECK`]. A chain of timeouts rather than an interval: the
    /// first load already has the one, not the other.
    fn watch_folder(self, wait: Duration) {
        let _ = set_timeout_with_handle(
            move || {
                self.folder_backup_due();
                self.watch_folder(FOLDER_CHECK);
            },
            wait,
        );
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

// Changes written by other tabs or devices arrive on the database's feed,
// which starts after PouchDB, itself fetched after the first screen: their
// code waits in a chunk of its own.
split_fn! { incoming;
    fn incoming_chunk() -> Result<fn(AppState), ChunkMissing> {
        Ok(take_incoming_now)
    }
}

fn take_incoming_now(app: AppState) {
    if app.writing.get_value() {
        return;
    }
    let incoming = storage::take_incoming();
    let mut conflicted = storage::take_conflicted();
    // A member waiting for the owner that changed (merged on another
    // device) is looked at again.
    app.contested.with_untracked(|c| {
        conflicted.extend(
            incoming
                .iter()
                .filter(|(id, _)| c.contains(id))
                .map(|(id, _)| id.clone()),
        )
    });
    if !conflicted.is_empty() {
        app.settle_conflicts(conflicted);
    }
    if incoming.is_empty() {
        return;
    }
    let mut newer = false;
    app.keep_copy();
    app.members_changed();
    app.store.update(|store| {
        app.records.update_value(|r| {
            for (id, doc) in &incoming {
                if id == clientele_engine::store::records::META_ID {
                    newer |= doc
                        .as_deref()
                        .is_some_and(clientele_engine::store::records::newer_schema);
                }
                // A record that does not parse stays out, as at open.
                let _ = r.receive(id, doc.as_deref(), store);
            }
        });
    });
    if newer {
        app.status.set(StorageStatus::ReadOnly);
    }
    if app.first_run.get_untracked() && !app.records.with_value(Records::is_empty) {
        app.first_run.set(false);
    }
}
