//! Vertical bars with a label under each and its value above, drawn as
//! plain SVG from numbers the engine worked out.

use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: i64,
    /// What is printed above the bar (already formatted).
    pub text: String,
}

const W: i64 = 320;
const H: i64 = 170;
const TOP: i64 = 18;
const BASE: i64 = 150;

#[component]
pub fn BarChart(
    #[prop(into)] bars: Signal<Vec<Bar>>,
    #[prop(into)] title: Signal<String>,
) -> impl IntoView {
    view! {
        <svg class="chart bar-chart" viewBox=format!("0 0 {W} {H}") role="img" aria-label=move || title.get()>
            <line x1=0 y1=BASE x2=W y2=BASE class="axis-line"/>
            {move || {
                let bars = bars.get();
                let n = bars.len().max(1) as i64;
                let step = W / n;
                let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
                bars.into_iter().enumerate().map(|(i, b)| {
                    let h = (b.value.max(0) * (BASE - TOP) / max).max(if b.value > 0 { 2 } else { 0 });
                    let x = i as i64 * step + step / 6;
                    let cx = i as i64 * step + step / 2;
                    view! {
                        <rect x=x y=BASE - h width=step * 2 / 3 height=h class="bar-actual"/>
                        <text x=cx y=BASE - h - 4 class="axis" text-anchor="middle">{b.text}</text>
                        <text x=cx y=BASE + 16 class="axis" text-anchor="middle">{b.label}</text>
                    }
                }).collect_view()
            }}
        </svg>
    }
}
