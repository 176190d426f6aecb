//! Tier distribution against the target pyramid, as bars: one pair per
//! tier (actual share, target share).

use crate::i18n::tr;
use clientele_engine::points::calibrate::WHOLE;
use leptos::prelude::*;

crate::texts!(LabChartText {
    Actual => "实际", "Actual";
    Target => "目标", "Target";
    Title => "等级分布与目标对比", "Tier distribution against the target";
});

pub fn pct(bp: u32) -> String {
    format!("{}.{}%", bp / 100, (bp % 100) / 10)
}

/// `rows`: tier name, actual share and target share in basis points.
#[component]
pub fn DistributionChart(#[prop(into)] rows: Signal<Vec<(String, u32, u32)>>) -> impl IntoView {
    let app = crate::state::use_app();
    view! {
        <svg class="chart lab-chart" viewBox="0 0 320 170" role="img" data-testid="lab-chart"
            aria-label=move || app.t(LabChartText::Title)>
            {move || {
                let rows = rows.get();
                let n = rows.len().max(1) as u32;
                let w = 300 / n;
                let h = |bp: u32| (bp.min(WHOLE) * 110 / WHOLE).max(1);
                rows.into_iter().enumerate().map(|(i, (name, share, target))| {
                    let x = 12 + i as u32 * w;
                    let bar = (w / 2).saturating_sub(4).max(4);
                    view! {
                        <rect x=x y=140 - h(share) width=bar height=h(share) class="bar-actual" data-share=share/>
                        <rect x=x + bar + 2 y=140 - h(target) width=bar height=h(target) class="bar-target"/>
                        <text x=x y=136 - h(share) class="axis">{pct(share)}</text>
                        <text x=x y=156 class="axis">{name}</text>
                    }
                }).collect_view()
            }}
            <rect x=180 y=4 width=10 height=10 class="bar-actual"/>
            <text x=194 y=13 class="axis">{tr(LabChartText::Actual)}</text>
            <rect x=240 y=4 width=10 height=10 class="bar-target"/>
            <text x=254 y=13 class="axis">{tr(LabChartText::Target)}</text>
        </svg>
    }
}
