//! A plain statement of what a page will hold, for pages whose work is
//! scheduled: no fake data, no dead buttons.

use crate::i18n::{tr, Key};
use leptos::prelude::*;

#[component]
pub fn ComingSoon(title: Key, body: Key) -> impl IntoView {
    view! {
        <section class="card coming-soon" data-testid="coming-soon">
            <h1>{tr(title)}</h1>
            <p>{tr(body)}</p>
        </section>
    }
}
