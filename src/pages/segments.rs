use crate::components::coming_soon::ComingSoon;
use crate::i18n::Key;
use leptos::prelude::*;

#[component]
pub fn Segments() -> impl IntoView {
    view! { <ComingSoon title=Key::NavSegments body=Key::ComingSegments/> }
}
