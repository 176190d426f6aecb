//! Above a filtered member list: what the filter is, a way back to
//! everyone, and the campaign export of the members shown (only those who
//! agreed to the chosen channel).

use crate::files;
use crate::i18n::tr;
use crate::member_filter::MemberFilter;
use crate::state::use_app;
use clientele_engine::care::campaign::{campaign_csv, campaign_members, Channel};
use clientele_engine::points::checkout::scheme_on;
use clientele_engine::points::explain::tier_name;
use clientele_engine::MemberId;
use leptos::prelude::*;

crate::texts!(FilterBarText {
    ShowAll => "显示全部会员", "Show all members";
    Channel => "营销渠道", "Channel";
    Sms => "短信", "SMS";
    Phone => "电话", "Phone";
    Email => "邮件", "Email";
    Export => "导出营销名单", "Export campaign list";
    Reachable => "其中 {n} 位同意通过此渠道联系", "{n} agreed to this channel";
    Failed => "下载失败：", "Download failed: ";
    SendEach => "逐个发送", "Send one by one";
});

fn channel_text(c: Channel) -> FilterBarText {
    match c {
        Channel::Sms => FilterBarText::Sms,
        Channel::Phone => FilterBarText::Phone,
        Channel::Email => FilterBarText::Email,
    }
}

#[component]
pub fn MemberFilterBar(
    filter: MemberFilter,
    #[prop(into)] ids: Signal<Vec<MemberId>>,
) -> impl IntoView {
    let app = use_app();
    let channel = RwSignal::new(Channel::Sms);
    let error = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let (zh, en) = filter.label();
    let label = move || {
        if app.lang.get() == crate::i18n::Lang::Zh {
            zh.clone()
        } else {
            en.clone()
        }
    };
    let tier = match &filter {
        MemberFilter::Tier(t) => Some(*t),
        _ => None,
    };
    let tier_text = move || {
        tier.map(|t| {
            let today = app.today.get();
            let scheme = app.store.with(|s| scheme_on(s, today));
            format!(": {}", tier_name(&scheme, Some(t), app.explain_lang()))
        })
    };
    let reachable = move || {
        let c = channel.get();
        ids.with(|ids| app.store.with(|s| campaign_members(s, ids, c).len()))
    };
    let export = move |_| {
        let c = channel.get_untracked();
        let (name, text) = ids.with_untracked(|ids| {
            app.store.with_untracked(|s| {
                (
                    files::file_name(
                        &s.settings.store_name,
                        "campaign",
                        app.today.get_untracked(),
                        "csv",
                    ),
                    campaign_csv(s, ids, c, app.explain_lang()),
                )
            })
        });
        error.set(files::download(&name, "text/csv;charset=utf-8", text.as_bytes()).err());
    };
    view! {
        <div class="filter-bar" data-testid="member-filter">
            <span class="chip" data-testid="filter-label">{label}{tier_text}</span>
            <a class="btn" href="members" data-testid="filter-clear">{tr(FilterBarText::ShowAll)}</a>
            <label class="inline">
                <span>{tr(FilterBarText::Channel)}</span>
                <select data-testid="campaign-channel" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    channel.set(match v.as_str() { "phone" => Channel::Phone, "email" => Channel::Email, _ => Channel::Sms });
                }>
                    {Channel::ALL.into_iter().map(|c| {
                        let v = match c { Channel::Sms => "sms", Channel::Phone => "phone", Channel::Email => "email" };
                        view! { <option value=v selected=move || channel.get() == c>{tr(channel_text(c))}</option> }
                    }).collect_view()}
                </select>
            </label>
            <button class="btn primary" data-testid="campaign-export" on:click=export>{tr(FilterBarText::Export)}</button>
            <button class="btn" type="button" data-testid="campaign-send-open"
                aria-expanded=move || if sending.get() { "true" } else { "false" }
                on:click=move |_| sending.update(|s| *s = !*s)>
                {tr(FilterBarText::SendEach)}
            </button>
            <span class="hint" data-testid="campaign-reachable">{move || app.t(FilterBarText::Reachable).replace("{n}", &reachable().to_string())}</span>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{tr(FilterBarText::Failed)}{e}</p> })}
            <Show when=move || sending.get()>
                <crate::components::campaign_send::CampaignSend ids=ids channel=channel/>
            </Show>
        </div>
    }
}
