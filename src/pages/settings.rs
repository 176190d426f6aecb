//! Store settings, language, storage use, and the reset.

use crate::format;
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
    let used = move || {
        // Re-read when the store changes so the figure follows saves.
        app.store.track();
        storage::used_units().map(|u| {
            format!(
                "{} / {} KB",
                format::count(u * 2 / 1024),
                format::count(storage::QUOTA_UNITS * 2 / 1024)
            )
        })
    };
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
            <p>{tr(Key::SettingsStorageUsed)} ": " <span data-testid="storage-used">{used}</span></p>
            <button class="btn" on:click=move |_| { let _ = app.download_backup(); }>{tr(Key::DataBackup)}</button>
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
                    <button class="btn danger" data-testid="reset-confirm" on:click=move |_| { confirming.set(false); app.reset(); }>
                        {tr(Key::SettingsResetYes)}
                    </button>
                    <button class="btn" on:click=move |_| confirming.set(false)>{tr(Key::Cancel)}</button>
                </div>
            </Show>
        </section>
    }
}
