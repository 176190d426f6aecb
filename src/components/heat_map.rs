//! The RFM grid as a heat map: recency down the side (5 = most recent at
//! the top), frequency across; each cell shows its members and their
//! average spend, shaded by how many there are, and opens their list.

use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct HeatCell {
    pub r: u8,
    pub f: u8,
    pub count: usize,
    /// Average spend of the cell's members, formatted.
    pub average: String,
    pub href: String,
}

#[component]
pub fn HeatMap(
    #[prop(into)] cells: Signal<Vec<HeatCell>>,
    #[prop(into)] r_label: Signal<String>,
    #[prop(into)] f_label: Signal<String>,
) -> impl IntoView {
    view! {
        <div class="heat-map" data-testid="rfm-heat-map">
            <span class="heat-axis heat-axis-r">{move || r_label.get()}</span>
            <div class="heat-grid">
                <span class="heat-corner"></span>
                {(1..=5u8).map(|f| view! { <span class="heat-head">"F" {f}</span> }).collect_view()}
                {move || {
                    let cells = cells.get();
                    let max = cells.iter().map(|c| c.count).max().unwrap_or(0).max(1);
                    (1..=5u8).rev().map(|r| {
                        let row: Vec<HeatCell> = cells.iter().filter(|c| c.r == r).cloned().collect();
                        view! {
                            <span class="heat-head">"R" {r}</span>
                            {(1..=5u8).map(|f| {
                                match row.iter().find(|c| c.f == f) {
                                    Some(c) if c.count > 0 => {
                                        // Five shades keep the text readable on every cell.
                                        let level = (c.count * 4).div_ceil(max).min(4);
                                        view! {
                                            <a class=format!("heat-cell heat-{level}") href=c.href.clone() data-testid="rfm-cell"
                                                data-r=r.to_string() data-f=f.to_string()>
                                                <strong>{c.count}</strong>
                                                <span>{c.average.clone()}</span>
                                            </a>
                                        }.into_any()
                                    }
                                    _ => view! { <span class="heat-cell heat-empty">"0"</span> }.into_any(),
                                }
                            }).collect_view()}
                        }
                    }).collect_view()
                }}
            </div>
            <span class="heat-axis heat-axis-f">{move || f_label.get()}</span>
        </div>
    }
}
