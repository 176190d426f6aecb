//! Store settings, language, storage use, backups (the download, and the
//! backup folder where the browser can write to one), and the reset.

use crate::components::member_conflicts::MemberConflicts;
use crate::components::message_templates::MessageTemplates;
use crate::components::staff_list::StaffList;
use crate::components::sync_settings::SyncSettings;
use crate::components::today_rules::TodayRulesForm;
use crate::files;
use crate::folder_backup::{
    change_prefs, folder, folder_failed, folder_paused, fresh_prefs, run, FolderJob, FolderState,
    FolderText,
};
use crate::i18n::{tr, Key, Lang};
use crate::state::use_app;
use crate::storage::{self, FolderPrefs};
use clientele_engine::store::document::DateFormat;
use leptos::prelude::*;

crate::texts!(SettingsText {
    FolderAbout => "选一个文件夹（最好是网盘或电脑同步的文件夹），每天会自动在里面保存一份带日期的完整备份。", "Choose a folder (ideally one a cloud drive syncs): every day a dated full backup is saved there by itself.";
    FolderChoose => "选择备份文件夹", "Choose a backup folder";
    FolderIs => "备份文件夹：", "Backup folder: ";
    FolderLast => "上次写入：", "Last written: ";
    FolderNotYet => "尚未写入", "not yet";
    FolderWriting => "正在写入备份…", "Writing the backup…";
    FolderKeep => "保留最近的备份份数", "Dated backups to keep";
    FolderNow => "立即备份", "Back up now";
    FolderOther => "换一个文件夹", "Choose another folder";
    FolderStop => "停止使用此文件夹", "Stop using this folder";
    FolderStopHint => "停止后，文件夹里已有的备份不会被删除。", "Stopping leaves the backups already in the folder where they are.";
});

use SettingsText as S;

/// The choices of how many dated backups the folder keeps.
/// Two suits a small drive; a month, a shop that wants to look far back.
const KEEP_CHOICES: [u32; 4] = [2, 7, FolderPrefs::DEFAULT_KEEP, 30];

#[component]
pub fn Settings() -> impl IntoView {
    let app = use_app();
    let confirming = RwSignal::new(false);
    let sample = chrono::NaiveDate::from_ymd_opt(2026, 3, 5).unwrap_or_default();
    // The browser's figures, read when the page opens and after each save.
    // A plain signal, not a resource: a resource read here would suspend
    // the page on every keystroke and take the focus from the input.
    let estimate = RwSignal::new(None::<storage::Estimate>);
    let refresh = move || {
        leptos::task::spawn_local(async move { estimate.set(Some(storage::estimate().await)) })
    };
    Effect::new(move |_| {
        if app.saved.get() {
            refresh();
        }
    });
    let used = move || {
        estimate.get().and_then(|e| {
            let mb = |b: f64| format!("{} MB", crate::format::one_decimal(b / 1_048_576.0));
            Some(match e.quota {
                Some(q) => format!("{} / {}", mb(e.usage?), mb(q)),
                None => mb(e.usage?),
            })
        })
    };
    let persisted = move || estimate.get().and_then(|e| e.persisted);
    // WebKitGTK and older Safari have no `navigator.storage`: nothing to
    // show or ask, so say that instead of an empty figure and a dead button.
    let reported = move || estimate.get().is_none_or(|e| e.persisted.is_some());
    let refused = RwSignal::new(false);
    let ask_persist = move |_| {
        leptos::task::spawn_local(async move {
            let granted = storage::persist().await;
            refused.set(!granted);
            refresh();
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
            <label>
                <span>{tr(Key::SettingsDeviceShop)}</span>
                <input type="text" data-testid="device-shop"
                    prop:value=move || app.prefs.with(|p| p.shop.clone())
                    on:change=move |ev| { let v = event_target_value(&ev).trim().to_string(); app.update_prefs(|p| p.shop = v) }/>
            </label>
            <p class="hint">{tr(Key::SettingsDeviceShopHint)}</p>
            <p class="hint">{tr(Key::SettingsSaved)}</p>
        </section>
        <StaffList/>
        <TodayRulesForm/>
        <MessageTemplates/>
        <section class="card">
            <h2>{tr(Key::SettingsStorage)}</h2>
            <p>{tr(Key::SettingsStorageKept)}</p>
            <Show when=reported fallback=|| view! {
                <p class="hint" data-testid="storage-unreported">{tr(Key::SettingsStorageUnreported)}</p>
            }>
                <p>{tr(Key::SettingsStorageUsed)} ": " <span data-testid="storage-used">{used}</span></p>
                <p data-testid="storage-persisted">
                    {move || match persisted() {
                        Some(true) => tr(Key::SettingsPersisted).into_any(),
                        _ => tr(Key::SettingsNotPersisted).into_any(),
                    }}
                </p>
                <Show when=move || persisted() == Some(false)>
                    <button class="btn" data-testid="persist" on:click=ask_persist>{tr(Key::SettingsPersist)}</button>
                </Show>
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
            <BackupFolder/>
            <button class="btn" data-testid="settings-backup" on:click=move |_| { let _ = app.download_backup(); }>{tr(Key::DataBackup)}</button>
        </section>
        <SyncSettings/>
        <MemberConflicts/>
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

/// The backup folder: chosen with the browser's folder picker (on a click),
/// written to daily by itself (`AppState::folder_backup_due`). Browsers
/// without the picker (Safari, Firefox) show none of it: the download
/// button below is their backup, and an option they cannot use would only
/// puzzle the staff.
#[component]
fn BackupFolder() -> impl IntoView {
    let app = use_app();
    if !files::folder_supported() {
        return ().into_any();
    }
    // As stored: another tab may have chosen or stopped it.
    fresh_prefs();
    let name = move || folder().with(|f| f.prefs.as_ref().map(|p| p.name.clone()));
    let written = move || folder().with(|f| f.prefs.as_ref().and_then(|p| p.written));
    let keep = move || folder().with(|f| f.prefs.as_ref().map(FolderPrefs::keep));
    let writing = move || folder().with(|f| f.state == FolderState::Writing);
    // Fetched now, so a tap runs the picker in the tap's moment.
    run(app, FolderJob::Load);
    let choose = move |_| run(app, FolderJob::Choose);
    let now = move |_| run(app, FolderJob::Now);
    let status = move || match folder().with(|f| f.state.clone()) {
        FolderState::Idle => None,
        FolderState::Writing => {
            Some(view! { <p class="hint" aria-live="polite">{tr(S::FolderWriting)}</p> }.into_any())
        }
        FolderState::Paused => Some(
            view! {
                <div class="toolbar">
                    <p>{move || folder_paused(app.lang.get(), &name().unwrap_or_default())}</p>
                    <button class="btn primary" data-testid="folder-allow" on:click=now>
                        {tr(FolderText::Allow)}
                    </button>
                </div>
            }
            .into_any(),
        ),
        FolderState::Failed(e) => Some(
            view! {
                <p class="error" role="alert" data-testid="folder-error">
                    {move || folder_failed(app.lang.get(), &name().unwrap_or_default(), &e)}
                </p>
            }
            .into_any(),
        ),
    };
    view! {
        <div class="backup-folder" data-testid="backup-folder">
            <Show when=move || name().is_some() fallback=move || view! {
                <p class="hint">{tr(S::FolderAbout)}</p>
                {status}
                <button class="btn primary" data-testid="folder-choose" on:click=choose>{tr(S::FolderChoose)}</button>
            }>
                <p>{tr(S::FolderIs)}<strong data-testid="folder-name">{move || name().unwrap_or_default()}</strong></p>
                <p class="hint" data-testid="folder-last">{tr(S::FolderLast)}
                    {move || match written() {
                        Some(d) => app.store.with_untracked(|s| s.settings.date_format.format(d)).into_any(),
                        None => tr(S::FolderNotYet).into_any(),
                    }}
                </p>
                <label class="toolbar">
                    <span>{tr(S::FolderKeep)}</span>
                    <select data-testid="folder-keep" on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse::<u32>() {
                            change_prefs(|p| p.keep = Some(n));
                        }
                    }>
                        {KEEP_CHOICES.iter().map(|&n| view! {
                            <option value=n.to_string() selected=move || keep() == Some(n)>{n}</option>
                        }).collect_view()}
                    </select>
                </label>
                {status}
                <div class="toolbar">
                    <button class="btn primary" data-testid="folder-now" disabled=writing
                        on:click=now>
                        {tr(S::FolderNow)}
                    </button>
                    <button class="btn" data-testid="folder-other" disabled=writing on:click=choose>{tr(S::FolderOther)}</button>
                    <button class="btn" data-testid="folder-stop" disabled=writing
                        on:click=move |_| run(app, FolderJob::Stop)>
                        {tr(S::FolderStop)}
                    </button>
                </div>
                <p class="hint">{tr(S::FolderStopHint)}</p>
            </Show>
        </div>
    }
    .into_any()
}
