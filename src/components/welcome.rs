//! First run: the demo boutique or an empty store.

use crate::components::lang_switch::LangSwitch;
use crate::folder::query_param;
use crate::i18n::{tr, Key};
use crate::state::use_app;
use leptos::prelude::*;

/// `?members=N` on the first-run page asks for a generated demo of N members.
fn demo_size() -> Option<usize> {
    query_param("members")?.parse().ok()
}

#[component]
pub fn Welcome() -> impl IntoView {
    let app = use_app();
    let demo_failed = RwSignal::new(false);
    let open_demo = move |_| {
        demo_failed.set(false);
        leptos::task::spawn_local(async move {
            demo_failed.set(app.open_demo(demo_size()).await.is_err());
        });
    };
    // A sync invitation (Settings → Sync → Invite): this device joins a
    // boutique, so it starts empty and Settings takes the invitation.
    let invited = query_param("join").is_some();
    view! {
        <main class="welcome" data-testid="welcome">
            <div class="welcome-lang"><LangSwitch/></div>
            <section class="card welcome-card">
                <h1>{tr(Key::WelcomeTitle)}</h1>
                <p>{tr(Key::WelcomeBody)}</p>
                {invited.then(|| view! { <p class="notice-inline" data-testid="welcome-invited">{tr(Key::WelcomeInvited)}</p> })}
                <div class="welcome-choices">
                    <div class="choice" hidden=invited>
                        <button class="btn primary big" data-testid="open-demo" on:click=open_demo>
                            {tr(Key::WelcomeDemo)}
                        </button>
                        <Show when=move || demo_failed.get()>
                            <p class="error" role="alert" data-testid="demo-unavailable">{tr(Key::DemoUnavailable)}</p>
                        </Show>
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
