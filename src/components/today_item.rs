//! One piece of today's work: who, why, and what staff do with it: send
//! the occasion's message (which logs the contact and marks it done), mark
//! it done, snooze it, or skip it with a reason.

use crate::components::send_message::SendMessage;
use crate::components::today_words::{skip_text, trigger_text, TodayText};
use crate::i18n::tr;
use crate::state::use_app;
use chrono::Days;
use clientele_engine::care::today::{MarkAction, SkipReason, TodayItem, TodayMark};
use leptos::prelude::*;

/// What the row shows besides the engine's item.
#[derive(Clone, Debug, PartialEq)]
pub struct TodayLine {
    pub item: TodayItem,
    pub name: String,
    pub why: String,
}

#[component]
pub fn TodayRow(line: TodayLine, #[prop(into)] on_handled: Callback<String>) -> impl IntoView {
    let app = use_app();
    let sending = RwSignal::new(false);
    let TodayLine { item, name, why } = line;
    let trigger = item.why.trigger();
    let member = item.member;
    let mark = {
        let item = item.clone();
        let name = name.clone();
        move |action: MarkAction, said: String| {
            let mark = TodayMark {
                member: item.member,
                key: item.key.clone(),
                on: app.today.get_untracked(),
                action,
                staff: app.acting_staff(item.member),
                note: String::new(),
                shop: app.device_shop(),
                device: app.device_name(),
            };
            // Ticking off a planned call changes its plan item too.
            let ok = if mark.key.starts_with("planned:") && mark.action == MarkAction::Done {
                app.try_update(|s| s.care.mark(&s.members, mark))
            } else {
                app.try_append(|s| s.care.mark(&s.members, mark))
            };
            if let Some(Ok(())) = ok {
                on_handled.run(format!("{name} · {said}"));
            }
        }
    };
    let done = {
        let mark = mark.clone();
        move |_| mark(MarkAction::Done, app.t(TodayText::Done).to_string())
    };
    let snooze = {
        let mark = mark.clone();
        move |ev| {
            let days: u64 = event_target_value(&ev).parse().unwrap_or(0);
            let today = app.today.get_untracked();
            if let Some(until) = today.checked_add_days(Days::new(days)).filter(|_| days > 0) {
                let said = format!(
                    "{} {}",
                    app.t(TodayText::Snooze).trim_end_matches('…'),
                    crate::format::date(&app.store.with_untracked(|s| s.settings.clone()), until)
                );
                mark(MarkAction::Snoozed { until }, said);
            }
        }
    };
    let skip = {
        let mark = mark.clone();
        move |ev| {
            if let Some(reason) = SkipReason::from_code(&event_target_value(&ev)) {
                let said = format!(
                    "{} · {}",
                    app.t(TodayText::Skip).trim_end_matches('…'),
                    app.t(skip_text(reason))
                );
                mark(MarkAction::Skipped { reason }, said);
            }
        }
    };
    let sent = {
        let mark = mark.clone();
        Callback::new(move |note: String| {
            mark(
                MarkAction::Done,
                format!("{}{note}", app.t(TodayText::Sent)),
            )
        })
    };
    view! {
        <div class="card today-item" data-testid="today-item" data-trigger=trigger.code()>
            <div class="today-head">
                <span class="today-badge">{tr(trigger_text(trigger))}</span>
                <a class="today-name" href=format!("members/{}", member.0) data-testid="today-name">{name}</a>
            </div>
            <p class="today-why" data-testid="today-why">{why}</p>
            <div class="actions today-actions">
                <button class="btn primary" type="button" data-testid="today-send"
                    aria-expanded=move || if sending.get() { "true" } else { "false" }
                    on:click=move |_| sending.update(|s| *s = !*s)>
                    {tr(TodayText::Send)}
                </button>
                <button class="btn" type="button" data-testid="today-done" on:click=done>{tr(TodayText::Done)}</button>
                <select data-testid="today-snooze" aria-label=move || app.t(TodayText::Snooze) on:change=snooze>
                    <option value="" selected>{tr(TodayText::Snooze)}</option>
                    <option value="1">{tr(TodayText::SnoozeTomorrow)}</option>
                    <option value="3">{tr(TodayText::Snooze3)}</option>
                    <option value="7">{tr(TodayText::Snooze7)}</option>
                </select>
                <select data-testid="today-skip" aria-label=move || app.t(TodayText::Skip) on:change=skip>
                    <option value="" selected>{tr(TodayText::Skip)}</option>
                    {SkipReason::ALL.into_iter().map(|r| view! {
                        <option value=r.code()>{tr(skip_text(r))}</option>
                    }).collect_view()}
                </select>
            </div>
            <Show when=move || sending.get()>
                <SendMessage member=member start=trigger.occasion() on_sent=sent/>
            </Show>
        </div>
    }
}
