//! The shell: storage banner, header, navigation and the routed pages.

use crate::chunks::ChunkMissing;
use crate::components::{
    backup_reminder::BackupReminder, banner::StorageBanner, nav::Nav, welcome::Welcome,
};
use crate::i18n::Lang;
use crate::pages::*;
use crate::route::Page;
use crate::state::AppState;
use leptos::prelude::*;

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

    let location = crate::route::provide_location();
    let page = Memo::new(move |_| location.path.with(|p| Page::at(p)));
    view! {
        <div class="shell" class:zh=move || app.lang.get() == Lang::Zh>
            <div class="banners">
                <StorageBanner/>
                <BackupReminder/>
            </div>
            <Show when=move || !app.first_run.get() fallback=|| view! { <Welcome/> }>
                <Nav/>
                <main class="page" id="main">
                    {move || page_view(page.get())}
                </main>
            </Show>
        </div>
    }
}

/// A page that shows the analysis waits for its code as for its own
/// chunk (fetched together), so it never draws without it.
async fn with_insights(
    page: impl std::future::Future<Output = Result<AnyView, ChunkMissing>>,
) -> Result<AnyView, ChunkMissing> {
    let (page, ready) = futures::future::join(page, crate::analysis::insights_loaded()).await;
    match ready {
        true => page,
        false => Err(ChunkMissing),
    }
}

fn page_view(page: Page) -> AnyView {
    match page {
        Page::Dashboard => view! { <dashboard::Dashboard/> }.into_any(),
        Page::Members => split(with_insights(members_page())).into_any(),
        Page::NewMember | Page::EditMember => split(member_form_page()).into_any(),
        Page::Member => split(with_insights(member_page())).into_any(),
        Page::Checkout => split(checkout_page()).into_any(),
        Page::Points => split(points_page()).into_any(),
        Page::Segments => split(with_insights(segments_page())).into_any(),
        Page::Care => split(with_insights(care_page())).into_any(),
        Page::Today => split(today_page()).into_any(),
        Page::Data => split(data_page()).into_any(),
        Page::Settings => split(settings_page()).into_any(),
        Page::Lab => split(lab_page()).into_any(),
    }
}
