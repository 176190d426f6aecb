//! The shell: storage banner, header, navigation and the routed pages.

use crate::components::{
    backup_reminder::BackupReminder, banner::StorageBanner, nav::Nav, welcome::Welcome,
};
use crate::i18n::Lang;
use crate::pages::*;
use crate::state::AppState;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App(opened: crate::storage::Opened) -> impl IntoView {
    let browser_lang = web_sys::window()
        .and_then(|w| w.navigator().language())
        .unwrap_or_default();
    let app = AppState::new(opened, &browser_lang);
    provide_context(app);
    crate::analysis::provide_derived();

    // Keep <html lang> in step so screen readers and fonts pick the right language.
    Effect::new(move |_| {
        let lang = app.lang.get();
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = el.set_attribute("lang", lang.html_tag());
        }
    });
    // A hidden page may be closed next: keep any unsaved change first.
    let _ = leptos::prelude::window_event_listener(leptos::ev::pagehide, move |_| app.flush());
    let _ = leptos::prelude::window_event_listener(leptos::ev::visibilitychange, move |_| {
        let hidden = web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| d.hidden());
        if hidden {
            app.flush();
        } else {
            // Shown again (a tablet woken the next morning): today's backup.
            app.folder_backup_due();
        }
    });

    let base = crate::folder::base_path();
    view! {
        <Router base>
            <div class="shell" class:zh=move || app.lang.get() == Lang::Zh>
                <div class="banners">
                    <StorageBanner/>
                    <BackupReminder/>
                </div>
                <Show when=move || !app.first_run.get() fallback=|| view! { <Welcome/> }>
                    <Nav/>
                    <main class="page" id="main">
                        <Routes fallback=|| view! { <dashboard::Dashboard/> }>
                            <Route path=path!("/") view=dashboard::Dashboard/>
                            <Route path=path!("/members") view=|| split(members_page())/>
                            <Route path=path!("/members/new") view=|| split(member_form_page())/>
                            <Route path=path!("/members/:id") view=|| split(member_page())/>
                            <Route path=path!("/members/:id/edit") view=|| split(member_form_page())/>
                            <Route path=path!("/checkout") view=|| split(checkout_page())/>
                            <Route path=path!("/points") view=|| split(points_page())/>
                            <Route path=path!("/segments") view=|| split(segments_page())/>
                            <Route path=path!("/care") view=|| split(care_page())/>
                            <Route path=path!("/today") view=|| split(today_page())/>
                            <Route path=path!("/data") view=|| split(data_page())/>
                            <Route path=path!("/settings") view=|| split(settings_page())/>
                            <Route path=path!("/points/lab") view=|| split(lab_page())/>
                        </Routes>
                    </main>
                </Show>
            </div>
        </Router>
    }
}
