//! Did it work (效果): per message occasion, the messages sent and how
//! many members bought within 14 and 30 days after.

use crate::components::send_message::occasion_text;
use crate::i18n::tr;
use crate::state::use_app;
use clientele_engine::care::message::Occasion;
use clientele_engine::care::results::message_results;
use leptos::prelude::*;

crate::texts!(ResultsText {
    Title => "消息效果", "Did it work";
    Hint => "用模板发出的消息，以及之后 14 天、30 天内有购买的比例（从发送次日算起；只计已满期的消息）。", "Messages sent from a template, and how many were followed by a purchase within 14 and 30 days (from the day after; only messages whose window has passed count).";
    Occasion => "场合", "Occasion";
    Sent => "已发送", "Sent";
    Within14 => "14 天内购买", "Bought within 14 days";
    Within30 => "30 天内购买", "Bought within 30 days";
    Empty => "还没有用模板发过消息。在“今日待办”或会员页发消息后，这里会显示之后有多少人来购买。", "No messages sent from a template yet. Send from Today or a member's page, and this shows how many bought afterwards.";
    NotYet => "未满期", "too early";
    Held => "对照组", "Hold-out";
    HeldHint => "对照组：设置了“对照组”后，出现在待办但按设置未联系的会员。两行比例之差，就是消息带来的差别。", "Hold-out: members who came up on Today but were not contacted, as set in Settings → Today. The difference between the two rates is what the messages changed.";
});

#[component]
pub fn MessageResults() -> impl IntoView {
    let app = use_app();
    let rows = Memo::new(move |_| {
        let today = app.today.get();
        app.store
            .with(|s| message_results(&s.care.contacts, &s.care.marks, &s.purchases, today))
    });
    let any_held = move || rows.with(|r| r.iter().any(|r| r.held > 0));
    let rate = move |bought: usize, matured: usize| match (bought * 100).checked_div(matured) {
        Some(pct) => format!("{bought} / {matured} · {pct}%"),
        None => app.t(ResultsText::NotYet).to_string(),
    };
    view! {
        <section class="card" data-testid="message-results">
            <h2>{tr(ResultsText::Title)}</h2>
            <p class="hint">{tr(ResultsText::Hint)}</p>
            <Show when=move || rows.with(|r| !r.is_empty()) fallback=move || view! {
                <p class="hint empty" data-testid="results-empty">{tr(ResultsText::Empty)}</p>
            }>
                <div class="results-wrap">
                    <table class="results-table">
                        <thead><tr>
                            <th>{tr(ResultsText::Occasion)}</th>
                            <th class="num">{tr(ResultsText::Sent)}</th>
                            <th class="num">{tr(ResultsText::Within14)}</th>
                            <th class="num">{tr(ResultsText::Within30)}</th>
                        </tr></thead>
                        <tbody>
                            {move || rows.get().into_iter().map(|r| {
                                let name = Occasion::from_code(&r.occasion)
                                    .map(|o| app.t(occasion_text(o)).to_string())
                                    .unwrap_or_else(|| r.occasion.clone());
                                let held = (r.held > 0).then(|| view! {
                                    <tr class="results-held" data-testid="results-held-row" data-occasion=r.occasion.clone()>
                                        <td>{tr(ResultsText::Held)}</td>
                                        <td class="num">{r.held}</td>
                                        <td class="num">{rate(r.held_bought[0], r.held_matured[0])}</td>
                                        <td class="num">{rate(r.held_bought[1], r.held_matured[1])}</td>
                                    </tr>
                                });
                                view! {
                                    <tr data-testid="results-row" data-occasion=r.occasion.clone()>
                                        <td>{name}</td>
                                        <td class="num">{r.sent}</td>
                                        <td class="num">{rate(r.bought[0], r.matured[0])}</td>
                                        <td class="num">{rate(r.bought[1], r.matured[1])}</td>
                                    </tr>
                                    {held}
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <Show when=any_held>
                    <p class="hint" data-testid="results-held-hint">{tr(ResultsText::HeldHint)}</p>
                </Show>
            </Show>
        </section>
    }
}
