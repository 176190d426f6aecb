//! The backup folder's work: today's dated backup (the same full file as
//! the download) written into the folder the user chose, this store's
//! dated backups beyond the newest N deleted, the folder chosen, allowed
//! again, or stopped; its words, and the notice above the page while its
//! backups are paused or failed. Its code travels in the Settings page's
//! chunk (`settings_page`, xtask/src/split.rs): Settings uses it, and one
//! chunk is one fetch. That chunk is fetched when Settings opens or a daily
//! backup is due, so the first load carries none of it: the first load
//! reaches it through one split function, [`folder_chunk`]. Settings and
//! the notice run its jobs ([`run`]), `AppState::folder_backup_due` the
//! daily one; the folder's handle is kept by `storage`, its files written
//! by `files`.

use crate::chunks::{split_fn, ChunkMissing};
use crate::clock;
use crate::files::{self, FolderError};
use crate::i18n::{tr, Key, Lang};
use crate::state::{use_app, AppState};
use crate::storage::{self, FolderPrefs};
use leptos::prelude::*;

crate::texts!(FolderText {
    Paused => "自动备份到文件夹“{folder}”已暂停：浏览器需要你再次允许。", "Backups to the folder \"{folder}\" are paused: the browser needs your permission again.";
    Allow => "允许", "Allow";
    NotNow => "暂不", "Not now";
    Failed => "备份没能写入文件夹“{folder}”：{why}数据没有任何改动。请先下载一份备份，或重新选择文件夹。", "The backup could not be written to the folder \"{folder}\": {why} Nothing was changed. Download a backup, or choose the folder again.";
    NotChosen => "没能使用所选的文件夹：{why}数据没有任何改动。", "The chosen folder could not be used: {why} Nothing was changed.";
    Denied => "浏览器不允许写入这个文件夹。", "the browser does not allow writing there.";
    Gone => "找不到这个文件夹（可能已被移动或删除）。", "the folder is not there any more (moved or deleted?).";
    Full => "磁盘空间已满。", "the disk is full.";
    NotKept => "本机没能记住这个文件夹。", "this device could not keep the folder.";
    NotLoaded => "这部分功能暂时无法载入（可能已离线）。", "this part of the app could not be loaded (offline?).";
    Other => "写入出错：", "writing failed: ";
});

use FolderText as W;

/// The folder's paused notice, naming it.
pub fn folder_paused(lang: Lang, folder: &str) -> String {
    lang.t(W::Paused).replace("{folder}", folder)
}

/// The message for a folder backup that failed, naming the folder and
/// the cause. No name: choosing the folder failed, before it had one here.
pub fn folder_failed(lang: Lang, folder: &str, e: &FolderError) -> String {
    let why = match e {
        FolderError::Denied => lang.t(W::Denied).to_string(),
        FolderError::Gone => lang.t(W::Gone).to_string(),
        FolderError::Full => lang.t(W::Full).to_string(),
        FolderError::NotKept => lang.t(W::NotKept).to_string(),
        FolderError::NotLoaded => lang.t(W::NotLoaded).to_string(),
        FolderError::Failed(m) => format!("{}{m}.", lang.t(W::Other)),
    };
    if folder.is_empty() {
        return lang.t(W::NotChosen).replace("{why}", &why);
    }
    lang.t(W::Failed)
        .replace("{folder}", folder)
        .replace("{why}", &why)
}

/// What the backup folder is asked to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FolderJob {
    /// Today's backup, by itself (on opening, hourly, when shown again):
    /// nothing is asked, a folder that needs permission again is paused.
    Due,
    /// "Back up now" or "Allow": a tap, so the browser may ask the user.
    Now,
    /// "Choose a backup folder": the picker, then today's backup at once.
    Choose,
    /// "Stop using this folder": forgets it; its files stay.
    Stop,
    /// Nothing: fetches this code before a tap needs it (the picker and
    /// the permission question want the tap's moment, not a fetch later).
    Load,
}

/// The backup folder, as Settings and the notice above the page show it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Folder {
    /// Its settings, once read ([`fresh_prefs`]); `None` while no folder
    /// is chosen.
    pub prefs: Option<FolderPrefs>,
    pub state: FolderState,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum FolderState {
    /// Nothing to say: no folder, or the last backup went in.
    #[default]
    Idle,
    /// A backup is being written.
    Writing,
    /// After a reload the browser wants the user's word again; nothing is
    /// asked uninvited: a tap on "Allow" asks and resumes the backups.
    Paused,
    /// The last backup could not be written; nothing else changed.
    Failed(FolderError),
}

thread_local! {
    // Here rather than in `AppState`, so the first load carries none of
    // it. Reference-counted, not owned by a view: it outlives Settings.
    static FOLDER: ArcRwSignal<Folder> = ArcRwSignal::new(Folder::default());
}

/// The backup folder's signal, shared by Settings and the notice.
pub fn folder() -> ArcRwSignal<Folder> {
    FOLDER.with(Clone::clone)
}

/// What the first load reaches in this chunk: the notice above the page
/// (drawn while `AppState::folder_note` is set) and the jobs. One split
/// function, so one loader: once any job has run, the notice is drawn
/// without waiting.
pub struct FolderChunk {
    pub notice: fn() -> AnyView,
    pub start: fn(AppState, FolderJob),
}

split_fn! { settings_page;
    pub fn folder_chunk() -> Result<FolderChunk, ChunkMissing> {
        Ok(FolderChunk {
            notice: || view! { <FolderNotice/> }.into_any(),
            start,
        })
    }
}

/// Starts a job (it runs on by itself).
fn start(app: AppState, job: FolderJob) {
    leptos::task::spawn_local(async move {
        match job {
            FolderJob::Due => backup(app, false).await,
            FolderJob::Now => backup(app, true).await,
            FolderJob::Choose => choose(app).await,
            FolderJob::Stop => stop(app).await,
            FolderJob::Load => {}
        }
    });
}

/// Runs a job on a tap. If the chunk cannot be fetched (offline before it
/// was kept), Settings says so and the next tap tries again.
pub fn run(app: AppState, job: FolderJob) {
    leptos::task::spawn_local(async move {
        match folder_chunk().await {
            Ok(chunk) => (chunk.start)(app, job),
            // Fetching ahead of a tap failed: the tap will say so.
            Err(ChunkMissing) if job == FolderJob::Load => {}
            Err(ChunkMissing) => set_state(app, FolderState::Failed(FolderError::NotLoaded)),
        }
    });
}

/// The folder's settings as stored, into the folder's signal: another tab
/// may have chosen, stopped or written the folder since this one read
/// them, or a reset forgotten it (then nothing is paused any more).
/// Answers them.
pub fn fresh_prefs() -> Option<FolderPrefs> {
    let stored = storage::load_folder_prefs();
    let f = folder();
    if f.with_untracked(|f| f.prefs != stored) {
        f.update(|f| {
            f.prefs = stored.clone();
            if f.prefs.is_none() && f.state == FolderState::Paused {
                f.state = FolderState::Idle;
            }
        });
    }
    stored
}

/// Changes the folder's settings (read fresh first) and keeps them.
pub fn change_prefs(change: impl FnOnce(&mut FolderPrefs)) {
    if let Some(mut p) = fresh_prefs() {
        change(&mut p);
        let _ = storage::save_folder_prefs(Some(&p));
        folder().update(|f| f.prefs = Some(p));
    }
}

/// Sets the folder's state, and whether the notice above the page has
/// something to say: not when it was put away today, and not when this
/// code could not be fetched, since the notice is drawn by it (the week's
/// reminder stands in).
fn set_state(app: AppState, state: FolderState) {
    let today = clock::today();
    let put_away = folder().with_untracked(|f| {
        f.prefs
            .as_ref()
            .is_some_and(|p| p.notice_off == Some(today))
    });
    let says = match &state {
        FolderState::Paused => true,
        FolderState::Failed(e) => *e != FolderError::NotLoaded,
        FolderState::Idle | FolderState::Writing => false,
    };
    folder().update(|f| f.state = state);
    app.folder_note.set(says && !put_away);
}

/// Paused: "Allow" asks for the permission and writes today's backup.
/// Failed: the download. Either way "Not now" puts it away for the day.
/// Settings shows the same beside the folder, so the notice keeps away.
#[component]
fn FolderNotice() -> impl IntoView {
    let app = use_app();
    let location = crate::route::use_location();
    let paused = move || folder().with(|f| f.state == FolderState::Paused);
    let text = move || {
        let lang = app.lang.get();
        folder().with(|f| {
            let name = f
                .prefs
                .as_ref()
                .map(|p| p.name.as_str())
                .unwrap_or_default();
            match &f.state {
                FolderState::Failed(e) => folder_failed(lang, name, e),
                _ => folder_paused(lang, name),
            }
        })
    };
    let error = RwSignal::new(None::<String>);
    let first = move || {
        if paused() {
            view! {
                <button class="btn primary" data-testid="folder-allow"
                    on:click=move |_| run(app, FolderJob::Now)>{tr(W::Allow)}</button>
            }
            .into_any()
        } else {
            view! {
                <button class="btn primary" data-testid="folder-failed-download"
                    on:click=move |_| error.set(app.download_backup().err())>{tr(Key::BannerExport)}</button>
            }
            .into_any()
        }
    };
    let not_now = move |_| {
        // Until tomorrow's backup: a reload today stays quiet.
        change_prefs(|p| p.notice_off = Some(clock::today()));
        app.folder_note.set(false);
    };
    view! {
        <Show when=move || !location.path.with(|p| crate::route::Page::at(p) == crate::route::Page::Settings)>
            <div class="notice" role="status"
                data-testid=move || if paused() { "folder-paused" } else { "folder-failed" }>
                <p>{text}</p>
                <div class="banner-actions">
                    {first}
                    <button class="btn" data-testid="folder-not-now" on:click=not_now>{tr(W::NotNow)}</button>
                </div>
                {move || error.get().map(|e| view! { <p class="error">{e}</p> })}
            </div>
        </Show>
    }
}

/// Writes today's backup into the folder and deletes this store's dated
/// backups beyond the newest N. `ask` only on a tap: the browser may then
/// ask for permission. A failure changes nothing but the message.
async fn backup(app: AppState, ask: bool) {
    let state = folder().with_untracked(|f| f.state.clone());
    // Paused waits for a tap; one write at a time.
    if state == FolderState::Writing || (state == FolderState::Paused && !ask) {
        return;
    }
    let today = clock::today();
    let Some(prefs) = fresh_prefs() else {
        // Stopped (here or in another tab): nothing is due any more.
        app.update_prefs(|p| p.folder_due = None);
        return set_state(app, FolderState::Idle);
    };
    if prefs.written == Some(today) && !ask {
        // Written by another tab today.
        app.update_prefs(|p| p.folder_due = today.succ_opt());
        return set_state(app, FolderState::Idle);
    }
    if !files::folder_supported() {
        return;
    }
    set_state(app, FolderState::Writing);
    let state = match write(app, &prefs, ask).await {
        Ok(true) => FolderState::Idle,
        Ok(false) => FolderState::Paused,
        Err(e) => FolderState::Failed(e),
    };
    set_state(app, state);
}

/// `Ok(false)`: the browser wants the user's word first.
async fn write(app: AppState, prefs: &FolderPrefs, ask: bool) -> Result<bool, FolderError> {
    // Read each time: another tab may have chosen another folder.
    let handle = storage::load_folder().await.ok_or(FolderError::NotKept)?;
    if !files::folder_allowed(&handle, ask).await? {
        return Ok(false);
    }
    let today = clock::today();
    let store_name = app.store.with_untracked(|s| s.settings.store_name.clone());
    let name = files::backup_name(&store_name, today);
    let keep = prefs.keep() as usize;
    files::write_to_folder(&handle, &name, &app.backup_json(), &store_name, keep).await?;
    change_prefs(|p| p.written = Some(today));
    // A folder backup is a backup: the reminder stays quiet.
    app.update_prefs(|p| {
        p.folder_due = today.succ_opt();
        p.last_backup = Some(today);
    });
    Ok(true)
}

/// Asks for a folder (on a tap: the picker needs one), keeps it on this
/// device and writes today's backup there at once.
async fn choose(app: AppState) {
    let handle = match files::pick_folder().await {
        Ok(Some(h)) => h,
        Ok(None) => return,
        Err(e) => return set_state(app, FolderState::Failed(e)),
    };
    let prefs = FolderPrefs {
        name: files::folder_name(&handle),
        // Another folder keeps as many as the last one did.
        keep: fresh_prefs().and_then(|p| p.keep),
        ..FolderPrefs::default()
    };
    if !storage::save_folder(&handle).await || storage::save_folder_prefs(Some(&prefs)).is_err() {
        return set_state(app, FolderState::Failed(FolderError::NotKept));
    }
    folder().update(|f| f.prefs = Some(prefs));
    app.update_prefs(|p| p.folder_due = Some(clock::today()));
    set_state(app, FolderState::Idle);
    backup(app, true).await;
}

async fn stop(app: AppState) {
    storage::forget_folder().await;
    let _ = storage::save_folder_prefs(None);
    folder().update(|f| f.prefs = None);
    app.update_prefs(|p| p.folder_due = None);
    set_state(app, FolderState::Idle);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_name_the_folder_and_the_cause() {
        let en = folder_failed(Lang::En, "Backups", &FolderError::Full);
        assert_eq!(en, "The backup could not be written to the folder \"Backups\": the disk is full. Nothing was changed. Download a backup, or choose the folder again.");
        let zh = folder_failed(Lang::Zh, "备份", &FolderError::Gone);
        assert!(zh.contains("“备份”") && zh.contains("找不到") && !zh.contains('{'));
        let other = folder_failed(
            Lang::En,
            "B",
            &FolderError::Failed("InvalidStateError: x".into()),
        );
        assert!(other.contains("writing failed: InvalidStateError: x. Nothing"));
        assert!(folder_paused(Lang::Zh, "备份").contains("“备份”已暂停"));
        let unnamed = folder_failed(Lang::En, "", &FolderError::Denied);
        assert_eq!(unnamed, "The chosen folder could not be used: the browser does not allow writing there. Nothing was changed.");
    }
}
