//! The sync's state in the header, on every page, once this device syncs:
//! synced at, changes waiting, offline, or an error (Settings says more).

use crate::i18n::{tr, Key};
use crate::state::use_app;
use crate::storage::SyncState;
use leptos::prelude::*;

#[component]
pub fn SyncBadge() -> impl IntoView {
    let app = use_app();
    let state = move || match app.sync.with(|s| s.state.clone()) {
        SyncState::Off => "off",
        SyncState::Starting | SyncState::Active => "active",
        SyncState::Synced => "synced",
        SyncState::Offline => "offline",
        SyncState::Paused => "paused",
        SyncState::Failed(_) => "error",
    };
    let waiting = move || {
        let n = app.sync.with(|s| s.waiting);
        (n > 0 && state() != "synced").then(|| format!(" · {n}"))
    };
    view! {
        <Show when=move || state() != "off">
            <a class="sync-state" href="settings#sync" data-testid="sync-state" data-state=state aria-live="polite">
                {move || match state() {
                    "synced" => tr(Key::SyncSynced).into_any(),
                    "active" => tr(Key::SyncActive).into_any(),
                    "offline" => tr(Key::SyncOffline).into_any(),
                    "paused" => tr(Key::SyncPaused).into_any(),
                    _ => tr(Key::SyncError).into_any(),
                }}
                {move || (state() == "synced").then(|| app.synced_at.get().map(|t| format!(" {t}"))).flatten()}
                {waiting}
            </a>
        </Show>
    }
}
