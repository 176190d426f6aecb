use leptos::prelude::*;

/// One headline number with its label.
#[component]
pub fn StatCard(
    #[prop(into)] label: Signal<String>,
    #[prop(into)] value: Signal<String>,
) -> impl IntoView {
    view! {
        <div class="stat card">
            <span class="stat-value">{move || value.get()}</span>
            <span class="stat-label">{move || label.get()}</span>
        </div>
    }
}
