//! Today (今日待办): the day's care work for a shop or one staff member's
//! members, each item saying why, one tap to send, done, snooze or skip.
//! The triggers are set in Settings → Today.

use crate::analysis::use_derived;
use crate::components::care_words::member_names;
use crate::components::pager::{page_of, Pager};
use crate::components::today_item::{TodayLine, TodayRow};
use crate::components::today_words::{trigger_text, why_text, TodayText};
use crate::i18n::tr;
use crate::route::use_query_map;
use crate::state::use_app;
use clientele_engine::care::today::{
    counts, today_in_store, MarkAction, TodayMark, TodayScope, Trigger,
};
use leptos::prelude::*;
use std::collections::BTreeSet;

const PAGE: usize = 20;

#[component]
pub fn Today() -> impl IntoView {
    let app = use_app();
    let derived = use_derived();
    let query = use_query_map();
    let (start_trigger, start_staff, start_shop) = query.with_untracked(|q| {
        (
            q.get("t").and_then(|t| Trigger::from_code(&t)),
            q.get("staff").filter(|s| !s.is_empty()),
            q.get("in").filter(|s| !s.is_empty()),
        )
    });
    let trigger = RwSignal::new(start_trigger);
    let staff = RwSignal::new(start_staff);
    // A device of one shop starts on that shop's work.
    let device_shop = app.device_shop();
    let shop = RwSignal::new(start_shop.or((!device_shop.is_empty()).then_some(device_shop)));
    let page = RwSignal::new(0usize);
    let notice = RwSignal::new(None::<String>);

    // The staff and shops named on members: the scope's choices.
    let choices = Memo::new(move |_| {
        app.store.with(|s| {
            let staff: BTreeSet<String> = s
                .members
                .iter()
                .filter_map(|m| m.staff.as_deref().map(str::trim))
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .collect();
            let shops: BTreeSet<String> = s
                .members
                .iter()
                .map(|m| m.store.trim())
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .collect();
            (
                staff.into_iter().collect::<Vec<_>>(),
                shops.into_iter().collect::<Vec<_>>(),
            )
        })
    });
    let lists = Memo::new(move |_| {
        let today = app.today.get();
        let replay = derived.replay.get();
        let scope = TodayScope {
            shop: shop.get(),
            staff: staff.get(),
        };
        app.store
            .with(|s| today_in_store(s, replay.as_deref(), today, &scope))
    });
    // The hold-out group's items are set aside the day they come up, not
    // contacted, so Care → Results can compare their purchases.
    Effect::new(move |_| {
        let held = lists.with(|l| l.held_out.clone());
        if held.is_empty() || !app.status.with_untracked(|s| s.can_save()) {
            return;
        }
        let on = app.today.get_untracked();
        let (shop, device) = (app.device_shop(), app.device_name());
        app.try_append(|s| {
            for item in held {
                let mark = TodayMark {
                    member: item.member,
                    key: item.key,
                    on,
                    action: MarkAction::HeldOut,
                    staff: String::new(),
                    note: String::new(),
                    shop: shop.clone(),
                    device: device.clone(),
                };
                // Items come from the members listed, so none is unknown.
                let _ = s.care.mark(&s.members, mark);
            }
            Ok::<(), ()>(())
        });
    });
    let hold_out = Memo::new(move |_| app.store.with(|s| s.settings.today.hold_out));
    let counted = Memo::new(move |_| lists.with(|l| counts(&l.items)));
    let shown = Memo::new(move |_| {
        let t = trigger.get();
        lists.with(|l| {
            l.items
                .iter()
                .filter(|i| t.is_none_or(|t| i.why.trigger() == t))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let lines = Memo::new(move |_| {
        let lang = app.lang.get();
        let today = app.today.get();
        let on_page = shown.with(|s| page_of(s, page.get(), PAGE));
        app.store.with(|s| {
            let scheme = s.scheme_on(today);
            let names = member_names(s, on_page.iter().map(|i| i.member));
            on_page
                .into_iter()
                .map(|item| TodayLine {
                    name: names.get(&item.member).cloned().unwrap_or_default(),
                    why: why_text(lang, &s.settings, &scheme, &item.why),
                    item,
                })
                .collect::<Vec<_>>()
        })
    });
    let handled = Callback::new(move |said: String| {
        notice.set(Some(format!("{}{said}", app.t(TodayText::Marked))));
    });
    let chip = move |t: Option<Trigger>, n: usize| {
        let label = move || match t {
            Some(t) => app.t(trigger_text(t)),
            None => app.t(TodayText::All),
        };
        let code = t.map(Trigger::code).unwrap_or("all");
        view! {
            <button class="btn care-tab" type="button" data-testid=format!("today-filter-{code}")
                aria-pressed=move || if trigger.get() == t { "true" } else { "false" }
                on:click=move |_| { trigger.set(t); page.set(0); }>
                {label} " " <span class="today-count">{n}</span>
            </button>
        }
    };
    let scope_select = move |options: Vec<String>,
                             value: RwSignal<Option<String>>,
                             all: TodayText,
                             label: TodayText,
                             testid: &'static str| {
        view! {
            <label class="field today-scope-field">
                <span>{tr(label)}</span>
                <select data-testid=testid on:change=move |ev| {
                    let v = event_target_value(&ev);
                    value.set((!v.is_empty()).then_some(v));
                    page.set(0);
                }>
                    <option value="" selected=move || value.get().is_none()>{tr(all)}</option>
                    {options.into_iter().map(|o| {
                        let (is, shown) = (o.clone(), o.clone());
                        view! { <option value=o selected=move || value.get().as_deref() == Some(is.as_str())>{shown}</option> }
                    }).collect_view()}
                </select>
            </label>
        }
    };
    view! {
        <h1 class="page-title">{tr(TodayText::Title)}</h1>
        <p class="hint" data-testid="today-summary">
            {move || crate::format::date(&app.store.with(|s| s.settings.clone()), app.today.get())}
            " · "
            {move || app.t(TodayText::Items).replace("{n}", &lists.with(|l| l.items.len()).to_string())}
        </p>
        <Show when=move || { hold_out.get() > 0 }>
            <p class="hint" data-testid="today-hold-out">
                {move || app.t(TodayText::HoldOut).replace("{p}", &hold_out.get().to_string())}
            </p>
        </Show>
        {move || {
            let (staff_names, shops) = choices.get();
            view! {
                <div class="today-scope">
                    {(shops.len() > 1 || shop.get_untracked().is_some()).then(|| scope_select(shops, shop, TodayText::AllShops, TodayText::Shop, "today-shop"))}
                    {(!staff_names.is_empty()).then(|| scope_select(staff_names, staff, TodayText::Everyone, TodayText::Staff, "today-staff"))}
                </div>
            }
        }}
        <div class="care-tabs today-filters" role="group">
            {move || {
                let c = counted.get();
                let total: usize = c.iter().map(|x| x.1).sum();
                let mut chips = vec![chip(None, total).into_any()];
                chips.extend(c.into_iter().filter(|x| x.1 > 0).map(|(t, n)| chip(Some(t), n).into_any()));
                chips
            }}
        </div>
        {move || notice.get().map(|n| view! { <p class="ok" role="status" data-testid="today-notice">{n}</p> })}
        <Show when=move || shown.with(|s| !s.is_empty()) fallback=move || view! {
            <p class="hint empty card" data-testid="today-empty">
                {move || if lists.with(|l| l.items.is_empty()) && shop.get().is_none() && staff.get().is_none() {
                    app.t(TodayText::Empty)
                } else {
                    app.t(TodayText::EmptyHere)
                }}
                " " <a href="settings#today">{tr(crate::i18n::Key::NavSettings)}</a>
            </p>
        }>
            <div class="today-list" data-testid="today-list">
                <For each=move || lines.get() key=|l| (l.item.member, l.item.key.clone(), l.why.clone()) let:line>
                    <TodayRow line=line on_handled=handled/>
                </For>
            </div>
        </Show>
        <Pager page=page total=Signal::derive(move || shown.with(|s| s.len())) size=PAGE/>
    }
}
