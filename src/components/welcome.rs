//! First run: the demo boutique or an empty store.

use crate::components::lang_switch::LangSwitch;
use crate::i18n::Key;
use crate::state::use_app;
use leptos::prelude::*;

#[component]
pub fn Welcome() -> impl IntoView {
    let app = use_app();
    view! {
        <main class="welcome" data-testid="welcome">
            <div class="welcome-lang"><LangSwitch/></div>
            <section class="card welcome-card">
                <h1>{move || app.t(Key::WelcomeTitle)}</h1>
                <p>{move || app.t(Key::WelcomeBody)}</p>
                <div class="welcome-choices">
                    <div class="choice">
                        <button class="btn primary big" data-testid="open-demo" on:click=move |_| app.open_demo()>
                            {move || app.t(Key::WelcomeDemo)}
                        </button>
                        <p class="hint">{move || app.t(Key::WelcomeDemoHint)}</p>
                    </div>
                    <div class="choice">
                        <button class="btn big" data-testid="start-empty" on:click=move |_| app.start_empty()>
                            {move || app.t(Key::WelcomeEmpty)}
                        </button>
                        <p class="hint">{move || app.t(Key::WelcomeEmptyHint)}</p>
                    </div>
                </div>
            </section>
        </main>
    }
}
