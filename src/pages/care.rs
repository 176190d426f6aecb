use crate::components::coming_soon::ComingSoon;
use crate::i18n::Key;
use leptos::prelude::*;

#[component]
pub fn Care() -> impl IntoView {
    view! { <ComingSoon title=Key::NavCare body=Key::ComingCare/> }
}
