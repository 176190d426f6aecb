//! First run: the demo boutique or an empty store.

use crate::components::lang_switch::LangSwitch;
use crate::i18n::{tr, Key};
use crate::state::use_app;
use leptos::prelude::*;

#[component]
pub fn Welcome() -> impl IntoView {
    let app = use_app();
    view! {
        <main class="welcome" data-testid="welcome">
            <div class="welcome-lang"><LangSwitch/></div>
            <section class="card welcome-card">
                <h1>{tr(Key::WelcomeTitle)}</h1>
                <p>{tr(Key::WelcomeBody)}</p>
                <div class="welcome-choices">
                    <div class="choice">
                        <button class="btn primary big" data-testid="open-demo" on:click=move |_| app.open_demo()>
                            {tr(Key::WelcomeDemo)}
                        </button>
                        <p class="hint">{tr(Key::WelcomeDemoHint)}</p>
                    </div>
                    <div class="choice">
                        <button class="btn big" data-testid="start-empty" on:click=move |_| app.start_empty()>
                            {tr(Key::WelcomeEmpty)}
                        </button>
                        <p class="hint">{tr(Key::WelcomeEmptyHint)}</p>
                    </div>
                </div>
            </section>
        </main>
    }
}
