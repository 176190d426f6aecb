//! A plain statement of what a page will hold, for pages whose work is
//! scheduled: no fake data, no dead buttons.

use crate::i18n::Key;
use crate::state::use_app;
use leptos::prelude::*;

#[component]
pub fn ComingSoon(title: Key, body: Key) -> impl IntoView {
    let app = use_app();
    view! {
        <section class="card coming-soon" data-testid="coming-soon">
            <h1>{move || app.t(title)}</h1>
            <p>{move || app.t(body)}</p>
        </section>
    }
}
