//! A campaign list sent one by one (逐个发送): the members of the list
//! who agreed to the chosen channel, each with the message filled in for
//! them; a send logs the contact and moves on to the next member.

use crate::components::send_message::SendMessage;
use crate::i18n::tr;
use crate::state::use_app;
use clientele_engine::care::campaign::{campaign_members, Channel};
use clientele_engine::care::message::Occasion;
use clientele_engine::MemberId;
use leptos::prelude::*;

crate::texts!(CampaignSendText {
    Of => "第 {i} / {n} 位：", "{i} of {n}: ";
    Previous => "上一位", "Previous";
    Next => "下一位", "Next";
    Sent => "已发送：", "Sent: ";
    None => "这份名单中没有同意此渠道的会员。", "Nobody on this list agreed to this channel.";
    Phone => "电话渠道请导出名单后逐个致电，并在会员页记录联系。", "For the phone channel, export the list, call, and log each contact on the member's page.";
});

#[component]
pub fn CampaignSend(
    #[prop(into)] ids: Signal<Vec<MemberId>>,
    #[prop(into)] channel: Signal<Channel>,
) -> impl IntoView {
    let app = use_app();
    let at = RwSignal::new(0usize);
    let sent = RwSignal::new(0usize);
    let list = Memo::new(move |_| {
        let c = channel.get();
        ids.with(|ids| {
            app.store.with(|s| {
                campaign_members(s, ids, c)
                    .into_iter()
                    .map(|m| (m.id, m.name.clone()))
                    .collect::<Vec<_>>()
            })
        })
    });
    let current = move || list.with(|l| l.get(at.get().min(l.len().saturating_sub(1))).cloned());
    let next = move || at.update(|i| *i = (*i + 1).min(list.with(|l| l.len().saturating_sub(1))));
    let on_sent = Callback::new(move |_: String| {
        sent.update(|n| *n += 1);
        next();
    });
    view! {
        <div class="card campaign-send" data-testid="campaign-send">
            {move || if channel.get() == Channel::Phone {
                view! { <p class="hint">{tr(CampaignSendText::Phone)}</p> }.into_any()
            } else if list.with(|l| l.is_empty()) {
                view! { <p class="hint" data-testid="campaign-send-none">{tr(CampaignSendText::None)}</p> }.into_any()
            } else {
                view! {
                    <div class="campaign-send-head">
                        <strong data-testid="campaign-send-who">
                            {move || app.t(CampaignSendText::Of)
                                .replace("{i}", &(at.get() + 1).to_string())
                                .replace("{n}", &list.with(|l| l.len()).to_string())}
                            {move || current().map(|c| c.1).unwrap_or_default()}
                        </strong>
                        <span class="hint" data-testid="campaign-send-count">{tr(CampaignSendText::Sent)}{move || sent.get()}</span>
                        <button class="btn" type="button" data-testid="campaign-send-prev"
                            disabled=move || at.get() == 0 on:click=move |_| at.update(|i| *i = i.saturating_sub(1))>
                            {tr(CampaignSendText::Previous)}
                        </button>
                        <button class="btn" type="button" data-testid="campaign-send-next"
                            disabled=move || { at.get() + 1 >= list.with(|l| l.len()) } on:click=move |_| next()>
                            {tr(CampaignSendText::Next)}
                        </button>
                    </div>
                    {move || current().map(|(id, _)| view! {
                        <SendMessage member=id start=Occasion::General on_sent=on_sent/>
                    })}
                }.into_any()
            }}
        </div>
    }
}
