//! Store settings, language, storage use, and the reset.

use crate::i18n::{tr, Key, Lang};
use crate::state::use_app;
use crate::storage;
use clientele_engine::store::DateFormat;
use leptos::prelude::*;

#[component]
pub fn Settings() -> impl IntoView {
    let app = use_app();
    let confirming = RwSignal::new(false);
    let sample = chrono::NaiveDate::from_ymd_opt(2026, 3, 5).unwrap_or_default();
    // The browser's figures, read when the page opens and after each save.
    let estimate = LocalResource::new(move || {
        app.store.track();
        storage::estimate()
    });
    let used = move || {
        estimate.get().and_then(|e| {
            let mb = |b: f64| format!("{:.1} MB", b / 1_048_576.0);
            Some(match e.quota {
                Some(q) => format!("{} / {}", mb(e.usage?), mb(q)),
                None => mb(e.usage?),
            })
        })
    };
    let persisted = move || estimate.get().and_then(|e| e.persisted);
    let refused = RwSignal::new(false);
    let ask_persist = move |_| {
        leptos::task::spawn_local(async move {
            let granted = storage::persist().await;
            refused.set(!granted);
            estimate.refetch();
        });
    };
    let last_backup = move || {
        app.prefs.with(|p| p.last_backup).map(|d| {
            app.store
                .with_untracked(|s| s.settings.date_format.format(d))
        })
    };
    // Safari on iPad/iPhone in a tab (not installed to the home screen)
    // deletes a site's data after 7 days without a visit.
    let safari_tab = web_sys::window().is_some_and(|w| {
        let ua = w.navigator().user_agent().unwrap_or_default();
        let standalone = w
            .match_media("(display-mode: standalone)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches());
        let apple = ua.contains("iPad")
            || ua.contains("iPhone")
            || (ua.contains("Macintosh") && ua.contains("Mobile"));
        apple && ua.contains("Safari") && !ua.contains("CriOS") && !standalone
    });
    view! {
        <h1 class="page-title">{tr(Key::NavSettings)}</h1>
        <section class="card form">
            <h2>{tr(Key::SettingsStore)}</h2>
            <label>
                <span>{tr(Key::SettingsStoreName)}</span>
                <input type="text" data-testid="store-name-input"
                    prop:value=move || app.store.with(|s| s.settings.store_name.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); app.update(|s| s.settings.store_name = v) }/>
            </label>
            <label>
                <span>{tr(Key::SettingsCurrency)}</span>
                <input type="text" maxlength="4" class="short" data-testid="currency-input"
                    prop:value=move || app.store.with(|s| s.settings.currency_symbol.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); app.update(|s| s.settings.currency_symbol = v) }/>
            </label>
            <label>
                <span>{tr(Key::SettingsDateFormat)}</span>
                <select data-testid="date-format"
                    on:change=move |ev| {
                        let i: usize = event_target_value(&ev).parse().unwrap_or(0);
                        if let Some(f) = DateFormat::ALL.get(i).copied() { app.update(|s| s.settings.date_format = f) }
                    }>
                    {DateFormat::ALL.iter().enumerate().map(|(i, f)| {
                        let f = *f;
                        view! {
                            <option value=i.to_string()
                                selected=move || app.store.with(|s| s.settings.date_format == f)>
                                {f.format(sample)}
                            </option>
                        }
                    }).collect_view()}
                </select>
            </label>
            <label>
                <span>{tr(Key::SettingsLanguage)}</span>
                <select data-testid="language-select" on:change=move |ev| {
                    app.set_lang(if event_target_value(&ev) == "zh-CN" { Lang::Zh } else { Lang::En })
                }>
                    <option value="zh-CN" selected=move || app.lang.get() == Lang::Zh>"中文（简体）"</option>
                    <option value="en" selected=move || app.lang.get() == Lang::En>"English"</option>
                </select>
            </label>
            <p class="hint">{tr(Key::SettingsSaved)}</p>
        </section>
        <section class="card">
            <h2>{tr(Key::SettingsStorage)}</h2>
            <p>{tr(Key::SettingsStorageKept)}</p>
            <p>{tr(Key::SettingsStorageUsed)} ": " <span data-testid="storage-used">{used}</span></p>
            <p data-testid="storage-persisted">
                {move || match persisted() {
                    Some(true) => tr(Key::SettingsPersisted).into_any(),
                    _ => tr(Key::SettingsNotPersisted).into_any(),
                }}
            </p>
            <Show when=move || persisted() != Some(true)>
                <button class="btn" data-testid="persist" on:click=ask_persist>{tr(Key::SettingsPersist)}</button>
            </Show>
            <Show when=move || refused.get()>
                <p class="hint" data-testid="persist-refused">{tr(Key::SettingsPersistRefused)}</p>
            </Show>
            <p>{tr(Key::SettingsLastBackup)} ": "
                <span data-testid="last-backup">{move || match last_backup() {
                    Some(d) => d.into_any(),
                    None => tr(Key::SettingsNeverBackedUp).into_any(),
                }}</span>
            </p>
            {safari_tab.then(|| view! { <p class="hint" data-testid="safari-hint">{tr(Key::SettingsSafari)}</p> })}
            <button class="btn" data-testid="settings-backup" on:click=move |_| { let _ = app.download_backup(); }>{tr(Key::DataBackup)}</button>
        </section>
        <section class="card danger">
            <h2>{tr(Key::SettingsDanger)}</h2>
            <p class="hint">{tr(Key::SettingsResetHint)}</p>
            <Show when=move || confirming.get() fallback=move || view! {
                <button class="btn danger" data-testid="reset" on:click=move |_| confirming.set(true)>
                    {tr(Key::SettingsReset)}
                </button>
            }>
                <div class="confirm" role="alertdialog">
                    <p><strong>{tr(Key::SettingsResetConfirm)}</strong></p>
                    <button class="btn danger" data-testid="reset-confirm" on:click=move |_| { confirming.set(false); leptos::task::spawn_local(app.reset()); }>
                        {tr(Key::SettingsResetYes)}
                    </button>
                    <button class="btn" on:click=move |_| confirming.set(false)>{tr(Key::Cancel)}</button>
                </div>
            </Show>
        </section>
    }
}
