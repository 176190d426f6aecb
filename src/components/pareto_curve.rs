//! The Pareto curve: share of sales against share of buyers, best buyers
//! first, with the even-spread diagonal and the top-20 % point marked.

use clientele_engine::analytics::health::ParetoPoint;
use leptos::prelude::*;

const SIZE: u32 = 200;
const PAD: u32 = 30;

fn x(bp: u32) -> u32 {
    PAD + bp.min(10_000) * SIZE / 10_000
}

fn y(bp: u32) -> u32 {
    PAD + SIZE - bp.min(10_000) * SIZE / 10_000
}

#[component]
pub fn ParetoCurve(
    #[prop(into)] points: Signal<Vec<ParetoPoint>>,
    #[prop(into)] title: Signal<String>,
    /// The label at the top-20 % point, e.g. "20% → 61%".
    #[prop(into)]
    marker: Signal<String>,
) -> impl IntoView {
    let path = move || {
        points
            .get()
            .iter()
            .map(|p| format!("{},{}", x(p.members_bp), y(p.sales_bp)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let at20 = move || points.with(|p| p.iter().find(|p| p.members_bp == 2_000).copied());
    view! {
        <svg class="chart pareto" viewBox=format!("0 0 {} {}", SIZE + 2 * PAD, SIZE + 2 * PAD) role="img" aria-label=move || title.get()>
            <rect x=PAD y=PAD width=SIZE height=SIZE class="plot-frame"/>
            <line x1=x(0) y1=y(0) x2=x(10_000) y2=y(10_000) class="diagonal"/>
            <polyline points=path class="curve"/>
            {move || at20().map(|p| view! {
                <line x1=x(p.members_bp) y1=y(0) x2=x(p.members_bp) y2=y(p.sales_bp) class="guide"/>
                <circle cx=x(p.members_bp) cy=y(p.sales_bp) r=5 class="marker"/>
                <text x=x(p.members_bp) + 8 y=y(p.sales_bp) + 16 class="axis">{move || marker.get()}</text>
            })}
            <text x=PAD y=SIZE + PAD + 18 class="axis">"0%"</text>
            <text x=PAD + SIZE y=SIZE + PAD + 18 class="axis" text-anchor="end">"100%"</text>
            <text x=PAD - 4 y=PAD + 4 class="axis" text-anchor="end">"100%"</text>
        </svg>
    }
}
