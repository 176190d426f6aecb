//! Whether this device's database holds every change: the user should
//! never have to wonder (and a failure is the banner's to explain).

use crate::i18n::{tr, Key};
use crate::state::use_app;
use leptos::prelude::*;

#[component]
pub fn SaveState() -> impl IntoView {
    let app = use_app();
    let state = move || {
        // Refused, read-only or in memory only: the banner says why.
        if app.status.get() != crate::storage::StorageStatus::Ok {
            "off"
        } else if app.saved.get() {
            "saved"
        } else {
            "saving"
        }
    };
    view! {
        <span class="save-state" data-testid="save-state" data-state=state aria-live="polite">
            {move || match state() {
                "saved" => tr(Key::SaveStateSaved).into_any(),
                "saving" => tr(Key::SaveStateSaving).into_any(),
                _ => tr(Key::SaveStateOff).into_any(),
            }}
        </span>
    }
}
