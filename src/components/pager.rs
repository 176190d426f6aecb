//! Previous / next for long lists, so no screen ever renders thousands of
//! rows. Hidden when everything fits on one page.

use crate::i18n::Key;
use crate::state::use_app;
use leptos::prelude::*;

/// Rows `page * size .. (page + 1) * size` of `total`; `page` is kept in range.
#[component]
pub fn Pager(
    page: RwSignal<usize>,
    #[prop(into)] total: Signal<usize>,
    size: usize,
) -> impl IntoView {
    let app = use_app();
    let pages = move || total.get().div_ceil(size).max(1);
    // A list that shrinks (a call marked done) must not strand us past its end.
    Effect::new(move |_| {
        let last = pages() - 1;
        if page.get() > last {
            page.set(last);
        }
    });
    view! {
        <Show when=move || { pages() > 1 }>
            <div class="pager">
                <button class="btn" disabled=move || page.get() == 0
                    on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>
                    {move || app.t(Key::PagePrev)}
                </button>
                <span>{move || page.get() + 1} " / " {pages}</span>
                <button class="btn" disabled=move || { page.get() + 1 >= pages() }
                    on:click=move |_| page.update(|p| *p += 1)>
                    {move || app.t(Key::PageNext)}
                </button>
            </div>
        </Show>
    }
}

/// The slice of `items` on `page`.
pub fn page_of<T: Clone>(items: &[T], page: usize, size: usize) -> Vec<T> {
    items.iter().skip(page * size).take(size).cloned().collect()
}
