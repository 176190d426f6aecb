//! Clientele's console: a thin Leptos UI over the pure engine.
//! `state` holds the store and is the only way to change it; `storage` is
//! the only module that touches localStorage; `files` the only one that
//! moves files; pages and components only wire signals.

pub mod analysis;
pub mod app;
pub mod chunks;
pub mod clock;
pub mod components;
pub mod files;
pub mod format;
pub mod i18n;
pub mod member_filter;
pub mod pages;
pub mod refusal_words;
pub mod segment_words;
pub mod state;
pub mod storage;

/// Starts the console in `<body>`.
pub fn mount() {
    console_error_panic_hook::set_once();
    // A packed store needs the unpacking chunk before the state can open.
    if storage::needs_unpacking() {
        wasm_bindgen_futures::spawn_local(async {
            storage::fetch_packing().await;
            leptos::mount::mount_to_body(app::App);
        });
    } else {
        leptos::mount::mount_to_body(app::App);
    }
}
