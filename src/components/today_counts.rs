//! The dashboard's line of today's work: how many items of each trigger,
//! each opening the Today list on it. Counted after the dashboard's first
//! paint (by code fetched then: `analysis::Insights`), so a large store's
//! dashboard appears as fast as before.

use crate::components::today_words::{trigger_text, TodayText};
use crate::i18n::tr;
use crate::state::use_app;
use clientele_engine::care::today::TodayScope;
use leptos::prelude::*;

#[component]
pub fn TodayCounts(#[prop(into)] shop: Signal<Option<String>>) -> impl IntoView {
    let app = use_app();
    let derived = crate::analysis::use_derived();
    let ready = crate::analysis::painted();
    let counted = Memo::new(move |_| {
        if !ready.get() {
            return None;
        }
        let code = crate::analysis::insights()?;
        let today = app.today.get();
        let replay = derived.replay.get();
        let scope = TodayScope {
            shop: shop.get(),
            staff: None,
        };
        Some(
            app.store
                .with(|s| (code.today_counts)(s, replay.as_deref(), today, &scope)),
        )
    });
    let link = move |code: &str| {
        let mut href = format!("today?t={code}");
        if let Some(s) = shop.get() {
            href.push_str("&in=");
            href.push_str(&clientele_engine::care::message::percent_encode(&s));
        }
        href
    };
    view! {
        <div class="today-counts" data-testid="today-counts">
            <a class="btn primary" href=move || link("all") data-testid="today-open">
                {tr(TodayText::DashOpen)} " · "
                <span data-testid="today-total">{move || counted.get().map(|c| c.iter().map(|x| x.1).sum::<usize>().to_string()).unwrap_or_else(|| "…".into())}</span>
            </a>
            {move || counted.get().unwrap_or_default().into_iter().filter(|c| c.1 > 0).map(|(t, n)| view! {
                <a class="today-count-link" href=link(t.code()) data-testid=format!("today-count-{}", t.code())>
                    {tr(trigger_text(t))} " " <strong>{n}</strong>
                </a>
            }).collect_view()}
        </div>
    }
}
