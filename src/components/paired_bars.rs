//! Two bars per group, an actual share beside its target, in basis points.

use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct Pair {
    pub label: String,
    pub actual_bp: u32,
    pub target_bp: u32,
}

fn pct(bp: u32) -> String {
    format!("{}.{}%", bp / 100, (bp % 100) / 10)
}

#[component]
pub fn PairedBars(
    #[prop(into)] pairs: Signal<Vec<Pair>>,
    #[prop(into)] title: Signal<String>,
    #[prop(into)] actual: Signal<String>,
    #[prop(into)] target: Signal<String>,
) -> impl IntoView {
    view! {
        <svg class="chart" viewBox="0 0 400 170" role="img" aria-label=move || title.get()>
            {move || {
                let rows = pairs.get();
                let n = rows.len().max(1) as u32;
                let w = 360 / n;
                let h = |bp: u32| (bp.min(10_000) * 110 / 10_000).max(1);
                rows.into_iter().enumerate().map(|(i, p)| {
                    let x0 = 30 + i as u32 * w;
                    view! {
                        <rect x=x0 y=140 - h(p.actual_bp) width=w / 3 height=h(p.actual_bp) class="bar-actual"/>
                        <rect x=x0 + w / 3 + 2 y=140 - h(p.target_bp) width=w / 3 height=h(p.target_bp) class="bar-target"/>
                        <text x=x0 y=136 - h(p.actual_bp) class="axis">{pct(p.actual_bp)}</text>
                        <text x=x0 y=158 class="axis">{p.label}</text>
                    }
                }).collect_view()
            }}
            <rect x=230 y=4 width=10 height=10 class="bar-actual"/>
            <text x=244 y=13 class="axis">{move || actual.get()}</text>
            <rect x=300 y=4 width=10 height=10 class="bar-target"/>
            <text x=314 y=13 class="axis">{move || target.get()}</text>
        </svg>
    }
}
