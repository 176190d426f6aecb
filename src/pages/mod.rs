pub mod care;
pub mod checkout;
pub mod dashboard;
pub mod data;
pub mod lab;
pub mod member;
pub mod member_form;
pub mod members;
pub mod points;
pub mod segments;
pub mod settings;
pub mod today;

use crate::chunks::{split_fn, ChunkMissing};
use leptos::prelude::*;

// Every page but the dashboard is split off into its own wasm chunk
// (xtask/src/split.rs), fetched the first time the page opens, so the first
// load carries only the shell and the dashboard. A failed fetch is an
// answer, not a crash: the page says so and the next visit tries again.
macro_rules! split_page {
    ($name:ident, $($page:tt)+) => {
        split_fn! { $name;
            pub fn $name() -> Result<AnyView, ChunkMissing> {
                Ok(view! { <$($page)+/> }.into_any())
            }
        }
    };
}
split_page!(members_page, members::Members);
split_page!(member_form_page, member_form::MemberForm);
split_page!(member_page, member::MemberPage);
split_page!(checkout_page, checkout::Checkout);
split_page!(points_page, points::Points);
split_page!(segments_page, segments::Segments);
split_page!(care_page, care::Care);
split_page!(today_page, today::Today);
split_page!(data_page, data::Data);
split_page!(settings_page, settings::Settings);
split_page!(lab_page, lab::Lab);

/// The routed view of a split page. Its chunk usually arrives within a
/// frame (from the service worker's copy once installed); on a slow first
/// visit "Loading" shows, faded in late so a quick load never flashes it.
pub fn split(
    page: impl std::future::Future<Output = Result<AnyView, ChunkMissing>> + Send + 'static,
) -> impl IntoView {
    use crate::i18n::{tr, Key};
    let loading =
        || view! { <p class="empty page-loading" aria-busy="true">{tr(Key::PageLoading)}</p> };
    view! {
        <Suspense fallback=loading>
            {Suspend::new(async move {
                page.await
                    .unwrap_or_else(|ChunkMissing| view! { <PageUnavailable/> }.into_any())
            })}
        </Suspense>
    }
}

#[component]
fn PageUnavailable() -> impl IntoView {
    use crate::components::banner::ReloadButton;
    use crate::i18n::{tr, Key};
    view! {
        <section class="card page-unavailable" data-testid="page-unavailable" role="alert">
            <p class="empty">{tr(Key::PageUnavailable)}</p>
            <ReloadButton/>
        </section>
    }
}
