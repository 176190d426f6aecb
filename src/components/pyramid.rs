//! The customer pyramid: A at the top, D at the base, each layer with its
//! members (opening their list) and how many moved in since a date.

use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct Layer {
    pub name: String,
    pub count: usize,
    pub sales: String,
    pub then: usize,
    /// Members who were in a lower layer on the chosen date.
    pub up: usize,
    /// Members who were in a higher layer on the chosen date.
    pub down: usize,
    pub href: String,
    pub up_href: String,
    pub down_href: String,
}

#[component]
pub fn Pyramid(
    #[prop(into)] layers: Signal<Vec<Layer>>,
    #[prop(into)] then_label: Signal<String>,
    #[prop(into)] up_label: Signal<String>,
    #[prop(into)] down_label: Signal<String>,
) -> impl IntoView {
    view! {
        <div class="pyramid" data-testid="pyramid">
            {move || layers.get().into_iter().enumerate().map(|(i, l)| view! {
                <div class="pyramid-row">
                    <a class=format!("pyramid-layer layer-{i}") href=l.href data-testid="pyramid-layer">
                        <strong>{l.name}</strong>
                        <span>{l.count} " · " {l.sales}</span>
                    </a>
                    <div class="pyramid-moves">
                        <span class="hint">{move || then_label.get()} " " {l.then}</span>
                        <a class="move-up" href=l.up_href>"↑ " {l.up} " " {move || up_label.get()}</a>
                        <a class="move-down" href=l.down_href>"↓ " {l.down} " " {move || down_label.get()}</a>
                    </div>
                </div>
            }).collect_view()}
        </div>
    }
}
