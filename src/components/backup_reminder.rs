//! A quiet reminder when this device has no recent backup: the data lives
//! only here, and a file elsewhere is the one defence against a cleared
//! browser. Put away for a week with one tap. A backup folder's backups
//! count as backups; while they are paused (the browser wants the user's
//! permission again) or failed, the folder's own notice stands here
//! instead until put away for the day. It is drawn by the folder's code
//! (src/folder_backup.rs, in the Settings chunk), which has fetched it by
//! then, so the first load carries none of it.

use crate::chunks::if_loaded;
use crate::folder_backup::folder_chunk;
use crate::i18n::{tr, Key};
use crate::state::use_app;
use leptos::prelude::*;

/// A backup older than this is due.
const BACKUP_DAYS: i64 = 7;

#[component]
pub fn BackupReminder() -> impl IntoView {
    let app = use_app();
    let due = move || {
        let today = app.today.get();
        if app.first_run.get() || app.store.with(|s| s.is_empty()) || app.folder_note.get() {
            return None;
        }
        app.prefs.with(|p| {
            if p.backup_reminder_until.is_some_and(|d| d > today) {
                return None;
            }
            // Counted from the first day this device kept a store, so a
            // store opened today is not nagged about.
            match p.last_backup {
                None if p
                    .keeping_since
                    .is_some_and(|d| (today - d).num_days() > BACKUP_DAYS) =>
                {
                    Some(Key::BackupNever)
                }
                None => None,
                Some(d) if (today - d).num_days() > BACKUP_DAYS => Some(Key::BackupDue),
                Some(_) => None,
            }
        })
    };
    let error = RwSignal::new(None::<String>);
    view! {
        {move || app.folder_note.get().then(|| if_loaded(folder_chunk())).flatten().map(|c| (c.notice)())}
        {move || due().map(|key| view! {
            <div class="notice" role="status" data-testid="backup-reminder">
                <p>{tr(key)}</p>
                <div class="banner-actions">
                    <button class="btn primary" data-testid="backup-now"
                        on:click=move |_| error.set(app.download_backup().err())>
                        {tr(Key::BannerExport)}
                    </button>
                    <button class="btn" data-testid="backup-later" on:click=move |_| {
                        let until = app.today.get_untracked() + chrono::Duration::days(BACKUP_DAYS);
                        app.update_prefs(|p| p.backup_reminder_until = Some(until));
                    }>{tr(Key::BackupLater)}</button>
                </div>
                {move || error.get().map(|e| view! { <p class="error">{e}</p> })}
            </div>
        })}
    }
}
