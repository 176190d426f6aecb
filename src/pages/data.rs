//! Data in and out: import (the wizard), exports as CSV or xlsx, campaign
//! lists of members who agreed to the channel, and the full backup with
//! a previewed, all-or-nothing restore.

use crate::components::import_wizard::ImportWizard;
use crate::files;
use crate::i18n::{tr, Key};
use crate::refusal_words::refusals_text;
use crate::state::use_app;
use clientele_engine::store::validate::Refusal;
use clientele_io::export::{self, Channel, ExportTable, RestoreError, RestorePreview};
use leptos::prelude::*;

crate::texts!(DataText {
    Title => "数据导入导出", "Data in and out";
    Export => "导出", "Export";
    ExportHint => "CSV 为带 BOM 的 UTF-8（Excel 可直接打开中文）；以 = + - @ 开头的内容会加上单引号，防止被当作公式执行。", "CSV is UTF-8 with a BOM (Excel opens Chinese correctly); cells starting with = + - @ get an apostrophe so no spreadsheet runs them.";
    Members => "会员", "Members";
    Purchases => "消费记录", "Purchases";
    Ledger => "积分明细", "Points ledger";
    Campaign => "营销名单", "Campaign list";
    CampaignHint => "这里导出全部会员。只包含同意通过该渠道联系、且有联系方式的会员。要导出某个分类或筛选结果，请在会员列表筛选（或点开会员分类里的格子）后在那里导出。", "All members. Only those who agreed to this channel and have the contact detail are listed. For a segment or a filter, filter the Members list (or open a Segments cell) and export from there.";
    Sms => "短信", "SMS";
    Phone => "电话", "Phone";
    Email => "邮件", "Email";
    Backup => "备份与恢复", "Backup and restore";
    Restore => "从备份恢复", "Restore from a backup";
    RestoreHint => "恢复会用备份替换本浏览器中的全部数据。会先显示备份内容，确认后才替换。", "Restoring replaces all data in this browser with the backup. You see what it holds first.";
    RestoreWhat => "备份“{name}”（保存于 {at}）：会员 {m}（现有 {m0}），消费 {p}（现有 {p0}），退货 {r}，积分记录 {e}。", "Backup \"{name}\" (saved {at}): {m} members (now {m0}), {p} purchases (now {p0}), {r} returns, {e} points records.";
    RestoreConfirm => "用备份替换全部数据", "Replace all data with the backup";
    Restored => "已从备份恢复。", "Restored from the backup.";
    NotBackup => "这不是 Clientele 备份文件。", "This is not a Clientele backup file.";
    NewerBackup => "这个备份来自更新版本的 Clientele，请先更新应用。", "This backup comes from a newer Clientele; update the app first.";
    TooLarge => "文件过大。", "The file is too large.";
    NoMembers => "还没有会员：先导入会员文件，或在会员页添加。", "No members yet: import a member file above, or add members on the Members page.";
});

use DataText as D;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[component]
pub fn Data() -> impl IntoView {
    let app = use_app();
    let error = RwSignal::new(None::<String>);
    let restore = RwSignal::new(None::<RestorePreview>);
    let restored = RwSignal::new(false);
    // A backup whose values break the store's rules: every record named.
    let refused = RwSignal::new(Vec::<Refusal>::new());
    let t = move |k: D| app.t(k);
    let lang = move || app.explain_lang();

    let save = move |what: &'static str, table: ExportTable, xlsx: bool| {
        let today = app.today.get_untracked();
        let name = app.store.with_untracked(|s| s.settings.store_name.clone());
        if xlsx {
            // Written in the file worker: the xlsx writer stays out of the
            // console's first download.
            leptos::task::spawn_local(async move {
                let result = files::xlsx(table, what).await.and_then(|b| {
                    files::download(&files::file_name(&name, what, today, "xlsx"), XLSX, &b)
                });
                error.set(result.err());
            });
        } else {
            let b = export::to_csv(&table);
            let result = files::download(
                &files::file_name(&name, what, today, "csv"),
                "text/csv;charset=utf-8",
                &b,
            );
            error.set(result.err());
        }
    };

    let members = move |xlsx: bool| {
        let today = app.today.get_untracked();
        let table = app
            .store
            .with_untracked(|s| export::members_table(s, today, lang(), None));
        save("members", table, xlsx);
    };
    let purchases = move |xlsx: bool| {
        let table = app
            .store
            .with_untracked(|s| export::purchases_table(s, lang()));
        save("purchases", table, xlsx);
    };
    let ledger = move |xlsx: bool| {
        let today = app.today.get_untracked();
        let table = app
            .store
            .with_untracked(|s| export::ledger_table(s, today, lang()));
        save("points-ledger", table, xlsx);
    };
    let campaign = move |channel: Channel| {
        let table = app.store.with_untracked(|s| {
            let ids: Vec<_> = s.members.iter().map(|m| m.id).collect();
            export::campaign_table(s, &ids, channel, lang())
        });
        let what = match channel {
            Channel::Sms => "campaign-sms",
            Channel::Phone => "campaign-phone",
            Channel::Email => "campaign-email",
        };
        save(what, table, false);
    };

    let on_restore_file = move |ev: leptos::ev::Event| {
        let Some(file) = files::take_picked_file(&ev) else {
            return;
        };
        restored.set(false);
        refused.set(Vec::new());
        leptos::task::spawn_local(async move {
            let bytes = match files::read_file_bytes(file).await {
                Ok(b) => b,
                Err(e) => {
                    error.set(Some(e));
                    return;
                }
            };
            match app.store.with_untracked(|s| export::read_backup(&bytes, s)) {
                Ok(p) => {
                    error.set(None);
                    restore.set(Some(p));
                }
                Err(RestoreError::Refused(list)) => {
                    restore.set(None);
                    error.set(None);
                    refused.set(list);
                }
                Err(e) => {
                    restore.set(None);
                    let k = match e {
                        RestoreError::NewerSchema { .. } => D::NewerBackup,
                        RestoreError::TooLarge { .. } => D::TooLarge,
                        _ => D::NotBackup,
                    };
                    error.set(Some(app.t(k).to_string()));
                }
            }
        });
    };

    let confirm_restore = move |_| {
        if let Some(p) = restore.get_untracked() {
            app.update(|s| export::apply_restore(p, s));
            // The restored store may not remember every id this device gave
            // out since the backup: new members take a fresh series.
            crate::storage::forget_device_tag();
            app.replaced_whole();
            app.save_now();
            restore.set(None);
            restored.set(true);
        }
    };

    let has_members = move || app.store.with(|s| !s.members.is_empty());

    view! {
        <h1 class="page-title">{move || t(D::Title)}</h1>
        <ImportWizard/>
        <section class="card" data-testid="exports">
            <h2>{move || t(D::Export)}</h2>
            <p class="hint">{move || t(D::ExportHint)}</p>
            {move || (!has_members()).then(|| view! { <p class="empty">{move || t(D::NoMembers)}</p> })}
            <div class="export-grid">
                <span class="export-label">{move || t(D::Members)}</span>
                <button class="btn" data-testid="export-members-csv" on:click=move |_| members(false)>"CSV"</button>
                <button class="btn" data-testid="export-members-xlsx" on:click=move |_| members(true)>"Excel"</button>
                <span class="export-label">{move || t(D::Purchases)}</span>
                <button class="btn" data-testid="export-purchases-csv" on:click=move |_| purchases(false)>"CSV"</button>
                <button class="btn" data-testid="export-purchases-xlsx" on:click=move |_| purchases(true)>"Excel"</button>
                <span class="export-label">{move || t(D::Ledger)}</span>
                <button class="btn" data-testid="export-ledger-csv" on:click=move |_| ledger(false)>"CSV"</button>
                <button class="btn" data-testid="export-ledger-xlsx" on:click=move |_| ledger(true)>"Excel"</button>
            </div>
            <h3>{move || t(D::Campaign)}</h3>
            <p class="hint">{move || t(D::CampaignHint)}</p>
            <div class="toolbar">
                <button class="btn" data-testid="campaign-sms" on:click=move |_| campaign(Channel::Sms)>{move || t(D::Sms)}</button>
                <button class="btn" data-testid="campaign-phone" on:click=move |_| campaign(Channel::Phone)>{move || t(D::Phone)}</button>
                <button class="btn" data-testid="campaign-email" on:click=move |_| campaign(Channel::Email)>{move || t(D::Email)}</button>
            </div>
        </section>
        <section class="card" data-testid="backup">
            <h2>{move || t(D::Backup)}</h2>
            <button class="btn primary" data-testid="download-backup"
                on:click=move |_| error.set(app.download_backup().err())>
                {tr(Key::DataBackup)}
            </button>
            <p class="hint">{tr(Key::DataBackupHint)}</p>
            <label class="btn file-pick">
                {move || t(D::Restore)}
                <input type="file" data-testid="restore-file" accept=".json,application/json" on:change=on_restore_file/>
            </label>
            <p class="hint">{move || t(D::RestoreHint)}</p>
            {move || restore.with(|r| r.as_ref().map(|p| {
                let text = app.t(D::RestoreWhat)
                    .replace("{name}", &p.store_name)
                    .replace("{at}", &p.saved_at)
                    .replace("{m}", &p.members.0.to_string())
                    .replace("{m0}", &p.members.1.to_string())
                    .replace("{p}", &p.purchases.0.to_string())
                    .replace("{p0}", &p.purchases.1.to_string())
                    .replace("{r}", &p.returns.0.to_string())
                    .replace("{e}", &p.events.0.to_string());
                view! {
                    <div class="preview" data-testid="restore-preview">
                        <p>{text}</p>
                        <button class="btn primary" data-testid="restore-confirm" on:click=confirm_restore>{move || t(D::RestoreConfirm)}</button>
                    </div>
                }
            }))}
            {move || restored.get().then(|| view! { <p class="ok" data-testid="restore-done">{move || t(D::Restored)}</p> })}
            {move || error.get().map(|e| view! { <p class="error" data-testid="data-error">{e}</p> })}
            {move || refused.with(|list| (!list.is_empty()).then(|| {
                let mut lines = refusals_text(app.lang.get(), list, 50).into_iter();
                let head = lines.next().unwrap_or_default();
                view! {
                    <div class="error" role="alert" data-testid="restore-refused">
                        <p>{head}</p>
                        <ul>{lines.map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                    </div>
                }
            }))}
        </section>
    }
}
