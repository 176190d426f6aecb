//! Tells the user, in words, when their data is not being saved, and offers
//! the way out (a backup download, or a reload).

use crate::i18n::{tr, Key};
use crate::state::use_app;
use crate::storage::StorageStatus;
use leptos::prelude::*;

#[component]
pub fn StorageBanner() -> impl IntoView {
    let app = use_app();
    let message = move || match app.status.get() {
        StorageStatus::Ok => None,
        StorageStatus::Unavailable => Some(Key::BannerUnavailable),
        StorageStatus::Full => Some(Key::BannerFull),
        StorageStatus::Failed(_) => Some(Key::BannerFailed),
        StorageStatus::ReadOnly => Some(Key::BannerNewer),
        StorageStatus::NotMoved => Some(Key::BannerNotMoved),
        StorageStatus::Corrupt => Some(Key::BannerCorrupt),
        StorageStatus::NotOpened => Some(Key::BannerNotOpened),
    };
    let offers_reload = move || {
        matches!(
            app.status.get(),
            StorageStatus::NotMoved | StorageStatus::NotOpened
        )
    };
    let export_error = RwSignal::new(None::<String>);
    view! {
        <Show when=move || message().is_some()>
            <div class="banner" role="alert" data-testid="storage-banner">
                <p>{move || message().map(|k| app.t(k))}</p>
                <div class="banner-actions">
                    // Nothing was opened, so there is nothing of theirs to download.
                    <Show when=move || app.status.get() != StorageStatus::NotOpened>
                        <button class="btn" on:click=move |_| export_error.set(app.download_backup().err())>
                            {tr(Key::BannerExport)}
                        </button>
                    </Show>
                    <Show when=offers_reload>
                        <ReloadButton/>
                    </Show>
                </div>
                {move || export_error.get().map(|e| view! { <p class="error">{e}</p> })}
            </div>
        </Show>
        {move || app.unfinished.get().map(|n| view! {
            <div class="banner" role="alert" data-testid="unfinished-banner">
                <p>{move || app.t(Key::BannerUnfinished).replace("{n}", &crate::format::count(n as usize))}</p>
                <div class="banner-actions">
                    <button class="btn" data-testid="keep-unfinished"
                        on:click=move |_| leptos::task::spawn_local(app.keep_unfinished())>
                        {tr(Key::BannerKeepAsIs)}
                    </button>
                </div>
            </div>
        })}
        <Show when=move || app.contested.with(|c| !c.is_empty())>
            <div class="banner" role="status" data-testid="conflicts-banner">
                <p>{move || app.t(Key::BannerConflicts).replace("{n}", &app.contested.with(Vec::len).to_string())}</p>
                <div class="banner-actions">
                    <a class="btn" href="settings#conflicts">{tr(Key::BannerReview)}</a>
                </div>
            </div>
        </Show>
        <Show when=move || app.set_aside.with(|a| !a.is_empty())>
            <div class="banner" role="alert" data-testid="set-aside-banner">
                <p>{tr(Key::BannerSetAside)}</p>
                <ul>
                    {move || app.set_aside.get().into_iter().map(|a| view! {
                        <li><code>{a.id}</code>" — "{tr(Key::BannerSetAsideReason)}
                            " "<small>"("{a.reason}")"</small></li>
                    }).collect_view()}
                </ul>
            </div>
        </Show>
    }
}

/// Reloads the console: the way out when this tab must not go on as it is.
#[component]
pub fn ReloadButton() -> impl IntoView {
    view! {
        <button class="btn" on:click=|_| {
            let _ = web_sys::window().map(|w| w.location().reload());
        }>{tr(Key::BannerReload)}</button>
    }
}
