use crate::components::coming_soon::ComingSoon;
use crate::i18n::Key;
use leptos::prelude::*;

#[component]
pub fn Checkout() -> impl IntoView {
    view! { <ComingSoon title=Key::NavCheckout body=Key::ComingCheckout/> }
}
