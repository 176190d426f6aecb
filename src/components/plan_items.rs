//! A member's maintenance plan (VIP客户营销维护计划表): what, when, who and
//! whether it was done, with adding and marking done. The Care page reuses
//! the row and the form for the whole store's open items.

use crate::components::care_words::{member_names, CareText};
use crate::state::use_app;
use clientele_engine::care::log::PlanItem;
use clientele_engine::care::work::parse_iso_date;
use clientele_engine::store::document::DateFormat;
use clientele_engine::{MemberId, Store};
use leptos::prelude::*;

/// One plan item as shown.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanLine {
    pub id: u64,
    /// Id and name, when the list mixes members.
    pub member: Option<(u64, String)>,
    pub what: String,
    pub due: String,
    pub overdue: bool,
    /// Who, and at which shop when it was planned at one.
    pub by: String,
    pub done_on: Option<String>,
}

/// Lines for `items`; open items due before `today` are flagged overdue.
pub fn plan_lines(
    store: &Store,
    items: &[&PlanItem],
    with_names: bool,
    today: chrono::NaiveDate,
) -> Vec<PlanLine> {
    let names = if with_names {
        member_names(store, items.iter().map(|p| p.member))
    } else {
        Default::default()
    };
    items
        .iter()
        .map(|p| PlanLine {
            id: p.id,
            member: with_names.then(|| {
                (
                    p.member.0,
                    names.get(&p.member).cloned().unwrap_or_default(),
                )
            }),
            what: p.what.clone(),
            due: crate::format::date(&store.settings, p.due),
            overdue: p.done_on.is_none() && p.due < today,
            by: [p.staff.as_str(), p.shop.as_str()]
                .into_iter()
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" · "),
            done_on: p.done_on.map(|d| crate::format::date(&store.settings, d)),
        })
        .collect()
}

/// A plan item with "mark done", or "undo" once done.
#[component]
pub fn PlanRow(line: PlanLine) -> impl IntoView {
    let app = use_app();
    let id = line.id;
    let done = line.done_on.is_some();
    let toggle = move |_| {
        let today = app.today.get_untracked();
        app.update(|s| {
            if done {
                s.care.reopen(id);
            } else {
                s.care.mark_done(id, today);
            }
        });
    };
    view! {
        <div class="care-row" class:done=done data-testid="plan-row">
            <span class="care-date" class:late=line.overdue>{line.due}</span>
            {line.member.map(|(mid, name)| view! { <a class="care-name" href=format!("members/{mid}")>{name}</a> })}
            <span class="care-what">{line.what}</span>
            <span class="hint" data-testid="plan-by">{line.by}</span>
            {line.done_on.map(|d| view! { <span class="care-ok">{move || app.t(CareText::DoneOn)} " " {d}</span> })}
            <button class="btn care-action" class:primary=!done data-testid=if done { "plan-undo" } else { "plan-done" } on:click=toggle>
                {move || app.t(if done { CareText::Reopen } else { CareText::MarkDone })}
            </button>
        </div>
    }
}

/// Adds a plan item for `member`: what, when (defaults to a week from
/// today), and who (defaults to the member's staff).
#[component]
pub fn PlanItemForm(member: MemberId) -> impl IntoView {
    let app = use_app();
    let week = app.today.get_untracked() + chrono::Days::new(7);
    let what = RwSignal::new(String::new());
    let due = RwSignal::new(DateFormat::Iso.format(week));
    let staff = RwSignal::new(app.store.with_untracked(|s| {
        s.members
            .iter()
            .find(|m| m.id == member)
            .and_then(|m| m.staff.clone())
            .unwrap_or_default()
    }));
    let error = RwSignal::new(None::<CareText>);
    let add = move |_| {
        let Some(date) = parse_iso_date(&due.get_untracked()) else {
            return error.set(Some(CareText::ErrDate));
        };
        let (w, st) = (what.get_untracked(), staff.get_untracked());
        let tag = app.device_tag();
        let item = PlanItem {
            staff: st,
            shop: app.device_shop(),
            device: app.device_name(),
            ..PlanItem::new(member, &w, date)
        };
        match app.try_update(|s| s.care.add_plan_item(&s.members, item, tag)) {
            Some(Err(e)) => error.set(Some(CareText::error(&e))),
            _ => {
                what.set(String::new());
                error.set(None);
            }
        }
    };
    view! {
        <div class="care-form" data-testid="plan-form">
            <label class="field care-wide">
                <span>{move || app.t(CareText::PlanWhat)}</span>
                <input type="text" data-testid="plan-what" placeholder=move || app.t(CareText::PlanWhatHint)
                    prop:value=move || what.get() on:input=move |ev| what.set(event_target_value(&ev))/>
            </label>
            <label class="field">
                <span>{move || app.t(CareText::PlanDue)}</span>
                <input type="date" data-testid="plan-due" prop:value=move || due.get()
                    on:input=move |ev| due.set(event_target_value(&ev))/>
            </label>
            <label class="field">
                <span>{move || app.t(CareText::PlanWho)}</span>
                <input type="text" data-testid="plan-who" prop:value=move || staff.get()
                    on:input=move |ev| staff.set(event_target_value(&ev))/>
            </label>
            {move || error.get().map(|k| view! { <p class="error care-wide" role="alert">{move || app.t(k)}</p> })}
            <div class="care-form-actions">
                <button class="btn primary" data-testid="plan-add" on:click=add>{move || app.t(CareText::PlanAdd)}</button>
            </div>
        </div>
    }
}

/// A member's plan: open items soonest first, then the latest done ones.
#[component]
pub fn PlanItems(member: MemberId) -> impl IntoView {
    let app = use_app();
    let lines = Memo::new(move |_| {
        let today = app.today.get();
        app.store.with(|s| {
            let mut items = s.care.open_items(Some(member));
            let mut done: Vec<&PlanItem> = s
                .care
                .plan
                .iter()
                .filter(|p| p.member == member && p.done_on.is_some())
                .collect();
            done.sort_by_key(|p| std::cmp::Reverse((p.done_on, p.id)));
            items.extend(done.into_iter().take(10));
            plan_lines(s, &items, false, today)
        })
    });
    view! {
        <section class="card" data-testid="member-plan">
            <h2>{move || app.t(CareText::TabPlan)}</h2>
            <Show when=move || lines.with(|l| !l.is_empty()) fallback=move || view! {
                <p class="hint empty">{move || app.t(CareText::MemberPlanEmpty)}</p>
            }>
                <div class="care-list">
                    {move || lines.get().into_iter().map(|line| view! { <PlanRow line=line/> }).collect_view()}
                </div>
            </Show>
            <PlanItemForm member=member/>
        </section>
    }
}
