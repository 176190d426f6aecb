use crate::i18n::{tr, Key, Lang};
use crate::state::use_app;
use leptos::prelude::*;

/// One button that flips zh-CN / English; the choice is remembered.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let app = use_app();
    let flip = move |_| {
        app.set_lang(match app.lang.get_untracked() {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        })
    };
    view! {
        <button class="btn lang-switch" data-testid="lang-switch" on:click=flip
            aria-label=move || app.t(Key::SwitchLanguageLabel)>
            {tr(Key::SwitchLanguage)}
        </button>
    }
}
