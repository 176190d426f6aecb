//! Programme health at a glance. The headline numbers are real; the charts
//! and work lists arrive with the console work.

use crate::components::stat_card::StatCard;
use crate::format;
use crate::i18n::{tr, Key};
use crate::state::use_app;
use chrono::Months;
use clientele_engine::search::purchase_totals;
use clientele_engine::Money;
use leptos::prelude::*;

#[component]
pub fn Dashboard() -> impl IntoView {
    let app = use_app();
    let figures = Memo::new(move |_| {
        let today = app.today.get();
        app.store.with(|s| {
            let totals = purchase_totals(s, today);
            let year_ago = today.checked_sub_months(Months::new(12)).unwrap_or(today);
            let active = totals
                .values()
                .filter(|t| t.last.is_some_and(|d| d > year_ago))
                .count();
            let sales: Money = totals.values().map(|t| t.spend).sum();
            (
                s.members.len(),
                s.purchases.len(),
                format::money(&s.settings, sales),
                active,
            )
        })
    });
    let label = move |k: Key| Signal::derive(move || app.t(k).to_string());
    view! {
        <h1 class="page-title">{tr(Key::NavDashboard)}</h1>
        <Show when=move || figures.get().0 == 0>
            <p class="card empty" data-testid="dashboard-empty">{tr(Key::DashEmpty)}</p>
        </Show>
        <div class="stats" data-testid="dashboard-stats">
            <StatCard label=label(Key::DashMembers) value=Signal::derive(move || format::count(figures.get().0))/>
            <StatCard label=label(Key::DashPurchases) value=Signal::derive(move || format::count(figures.get().1))/>
            <StatCard label=label(Key::DashSales) value=Signal::derive(move || figures.get().2)/>
            <StatCard label=label(Key::DashActive) value=Signal::derive(move || format::count(figures.get().3))/>
        </div>
        <p class="card hint">{tr(Key::DashMore)}</p>
    }
}
