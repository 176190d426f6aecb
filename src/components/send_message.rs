//! A message in one tap (一键发送) from the member page: the occasion's
//! template filled with the member's own numbers, shown to edit first,
//! then sent by SMS, WhatsApp or e-mail, or copied for WeChat, on the
//! channels the member agreed to. Each send logs a contact.

use crate::i18n::tr;
use crate::state::use_app;
use clientele_engine::care::log::{Contact, ContactKind, ContactOutcome};
use clientele_engine::care::message::{
    channels, facts_for, fill, link, template_for, Occasion, SendChannel,
};
use clientele_engine::points::explain::Lang as ExplainLang;
use clientele_engine::MemberId;
use leptos::prelude::*;

crate::texts!(MsgText {
    Title => "发消息", "Send a message";
    Occasion => "场合", "Occasion";
    Text => "内容（发送前可修改）", "Message (edit before sending)";
    Sms => "短信", "SMS";
    WhatsApp => "WhatsApp", "WhatsApp";
    WeChat => "复制到微信", "Copy for WeChat";
    Email => "电子邮件", "E-mail";
    NoConsent => "这位会员没有同意接收消息（短信或邮件）。可在编辑会员时记录同意。", "This member has not agreed to messages (SMS or e-mail). Record consent when editing the member.";
    Logged => "已记入联系记录：", "Logged as a contact: ";
    Copied => "已复制，可粘贴到微信。", "Copied: paste it into WeChat.";
    Birthday => "生日祝福", "Birthday";
    FollowUp => "购后回访", "Follow-up after a sale";
    PointsExpiring => "积分到期提醒", "Points expiring";
    RewardInReach => "可兑换提醒", "A reward within reach";
    TierReached => "升级祝贺", "Tier reached";
    WinBack => "好久不见", "Win-back";
    General => "一般问候", "General";
});

pub fn occasion_text(o: Occasion) -> MsgText {
    match o {
        Occasion::Birthday => MsgText::Birthday,
        Occasion::FollowUp => MsgText::FollowUp,
        Occasion::PointsExpiring => MsgText::PointsExpiring,
        Occasion::RewardInReach => MsgText::RewardInReach,
        Occasion::TierReached => MsgText::TierReached,
        Occasion::WinBack => MsgText::WinBack,
        Occasion::General => MsgText::General,
    }
}

fn channel_text(c: SendChannel) -> MsgText {
    match c {
        SendChannel::Sms => MsgText::Sms,
        SendChannel::WhatsApp => MsgText::WhatsApp,
        SendChannel::WeChat => MsgText::WeChat,
        SendChannel::Email => MsgText::Email,
    }
}

/// The occasion of a message, chosen from every occasion (the message
/// being sent, or the template being edited).
#[component]
pub fn OccasionSelect(occasion: RwSignal<Occasion>, testid: &'static str) -> impl IntoView {
    view! {
        <label class="field">
            <span>{tr(MsgText::Occasion)}</span>
            <select data-testid=testid on:change=move |ev| {
                if let Some(o) = Occasion::from_code(&event_target_value(&ev)) { occasion.set(o) }
            }>
                {Occasion::ALL.into_iter().map(|o| view! {
                    <option value=o.code() selected=move || occasion.get() == o>{tr(occasion_text(o))}</option>
                }).collect_view()}
            </select>
        </label>
    }
}

/// `start`: the occasion first shown (a Today item's); `on_sent` hears
/// each send with the contact's note, after the link has opened.
#[component]
pub fn SendMessage(
    member: MemberId,
    #[prop(optional)] start: Option<Occasion>,
    #[prop(optional)] on_sent: Option<Callback<String>>,
) -> impl IntoView {
    let app = use_app();
    let occasion = RwSignal::new(start.unwrap_or(Occasion::General));
    let text = RwSignal::new(String::new());
    let done = RwSignal::new(None::<String>);
    let lang = move || match app.lang.get() {
        crate::i18n::Lang::Zh => ExplainLang::Zh,
        crate::i18n::Lang::En => ExplainLang::En,
    };
    // The occasion's template, filled; typed over freely until the
    // occasion (or the language) changes.
    Effect::new(move |_| {
        let o = occasion.get();
        let lang = lang();
        let today = app.today.get_untracked();
        let staff = app.acting_staff(member);
        let filled = app.store.with_untracked(|s| {
            facts_for(s, member, today, &staff, lang)
                .map(|f| fill(template_for(&s.settings.templates, o, lang), &f, lang))
                .unwrap_or_default()
        });
        text.set(filled);
    });
    let record = app
        .store
        .with_untracked(|s| s.members.iter().find(|m| m.id == member).cloned());
    let offered = record.as_ref().map(channels).unwrap_or_default();
    let log = move |c: SendChannel| {
        let note = format!(
            "{} · {}",
            app.t(channel_text(c)),
            app.t(occasion_text(occasion.get_untracked()))
        );
        let contact = Contact {
            member,
            on: app.today.get_untracked(),
            kind: ContactKind::Message,
            outcome: ContactOutcome::Reached,
            staff: app.acting_staff(member),
            note: note.clone(),
            shop: app.device_shop(),
            device: app.device_name(),
            occasion: occasion.get_untracked().code().to_string(),
        };
        if let Some(Ok(())) = app.try_append(|s| s.care.record(&s.members, contact)) {
            done.set(Some(format!("{}{note}", app.t(MsgText::Logged))));
            if let Some(cb) = on_sent {
                // After the click's own navigation (sms:, mailto:): the
                // caller may take this component away.
                set_timeout(move || cb.run(note), std::time::Duration::from_millis(300));
            }
        }
    };
    let copy = move || {
        if let Some(w) = web_sys::window() {
            let _ = w.navigator().clipboard().write_text(&text.get_untracked());
        }
    };
    let subject = app.store.with_untracked(|s| s.settings.store_name.clone());
    let buttons = offered
        .iter()
        .map(|&c| {
            let record = record.clone();
            let subject = subject.clone();
            match c {
                SendChannel::WeChat => view! {
                    <button class="btn" type="button" data-testid="msg-wechat"
                        on:click=move |_| { copy(); log(c); done.update(|d| if let Some(d) = d { d.push_str(" · "); d.push_str(app.t(MsgText::Copied)); }); }>
                        {tr(channel_text(c))}
                    </button>
                }
                .into_any(),
                _ => view! {
                    <a class="btn" target="_blank" rel="noopener" data-testid=format!("msg-{}", c.code())
                        href=move || record.as_ref().and_then(|m| link(c, m, &text.get(), &subject)).unwrap_or_default()
                        on:click=move |_| log(c)>
                        {tr(channel_text(c))}
                    </a>
                }
                .into_any(),
            }
        })
        .collect_view();
    let none = offered.is_empty();
    view! {
        <section class="card send-message" data-testid="send-message">
            <h2>{tr(MsgText::Title)}</h2>
            <OccasionSelect occasion=occasion testid="msg-occasion"/>
            <label class="field">
                <span>{tr(MsgText::Text)}</span>
                <textarea rows="4" data-testid="msg-text" prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </label>
            {if none {
                view! { <p class="hint" data-testid="msg-no-consent">{tr(MsgText::NoConsent)}</p> }.into_any()
            } else {
                view! { <div class="actions">{buttons}</div> }.into_any()
            }}
            {move || done.get().map(|d| view! { <p class="ok" role="status" data-testid="msg-logged">{d}</p> })}
        </section>
    }
}
