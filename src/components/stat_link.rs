//! A headline number that opens the members behind it.

use leptos::prelude::*;

#[component]
pub fn StatLink(
    #[prop(into)] label: Signal<String>,
    #[prop(into)] value: Signal<String>,
    /// A second line under the label, e.g. "312 of 1,000".
    #[prop(into, optional)]
    detail: Signal<String>,
    #[prop(into)] href: Signal<String>,
    #[prop(into)] testid: String,
) -> impl IntoView {
    view! {
        <a class="stat card stat-link" href=move || href.get() data-testid=testid>
            <span class="stat-value">{move || value.get()}</span>
            <span class="stat-label">{move || label.get()}</span>
            <span class="stat-detail">{move || detail.get()}</span>
        </a>
    }
}
