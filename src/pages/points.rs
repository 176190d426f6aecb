use crate::components::coming_soon::ComingSoon;
use crate::i18n::Key;
use leptos::prelude::*;

#[component]
pub fn Points() -> impl IntoView {
    view! { <ComingSoon title=Key::NavPoints body=Key::ComingPoints/> }
}
