use crate::components::coming_soon::ComingSoon;
use crate::i18n::{tr, Key};
use crate::state::use_app;
use leptos::prelude::*;

#[component]
pub fn Data() -> impl IntoView {
    let app = use_app();
    let error = RwSignal::new(None::<String>);
    view! {
        <ComingSoon title=Key::NavData body=Key::ComingData/>
        <section class="card">
            <button class="btn primary" data-testid="download-backup"
                on:click=move |_| error.set(app.download_backup().err())>
                {tr(Key::DataBackup)}
            </button>
            <p class="hint">{tr(Key::DataBackupHint)}</p>
            {move || error.get().map(|e| view! { <p class="error">{e}</p> })}
        </section>
    }
}
