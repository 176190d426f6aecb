//! A 2x2 matrix: four cells placed by two high/low axes, each with its
//! name, member count, sales, strategy and actions, opening its members.

use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct MatrixCell {
    pub name: String,
    pub count: usize,
    pub sales: String,
    pub strategy: String,
    pub actions: Vec<String>,
    pub href: String,
    pub testid: String,
}

/// `cells` in reading order: top-left, top-right, bottom-left, bottom-right.
#[component]
pub fn MatrixGrid(
    #[prop(into)] cells: Signal<Vec<MatrixCell>>,
    /// Up the side (the top row is "high").
    #[prop(into)]
    y_label: Signal<String>,
    /// Across (the right column is "high").
    #[prop(into)]
    x_label: Signal<String>,
    #[prop(into)] count_label: Signal<String>,
) -> impl IntoView {
    view! {
        <div class="matrix">
            <span class="matrix-y">{move || y_label.get()}</span>
            <div class="matrix-grid">
                {move || cells.get().into_iter().map(|c| view! {
                    <a class="matrix-cell" href=c.href data-testid=c.testid>
                        <span class="matrix-name">{c.name}</span>
                        <span class="matrix-count"><strong>{c.count}</strong> " " {move || count_label.get()}</span>
                        <span class="matrix-sales">{c.sales}</span>
                        <span class="matrix-strategy">{c.strategy}</span>
                        <ul class="matrix-actions">
                            {c.actions.into_iter().map(|a| view! { <li>{a}</li> }).collect_view()}
                        </ul>
                    </a>
                }).collect_view()}
            </div>
            <span class="matrix-x">{move || x_label.get()}</span>
        </div>
    }
}
