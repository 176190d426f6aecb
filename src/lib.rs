//! Clientele's console: a thin Leptos UI over the pure engine.
//! `state` holds the store and is the only way to change it; `storage` is
//! the only module that touches browser storage (the database); `files` the only one that
//! moves files; pages and components only wire signals.

pub mod analysis;
pub mod app;
pub mod chunks;
pub mod clock;
pub mod components;
pub mod files;
pub mod folder;
pub mod folder_backup;
pub mod format;
pub mod i18n;
pub mod member_filter;
pub mod pages;
pub mod refusal_words;
pub mod route;
pub mod scan;
pub mod segment_words;
pub mod state;
pub mod storage;

/// Starts the console in `<body>` once the database has been opened (and
/// an older version's store moved into it).
pub fn mount() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        let writer = storage::new_writer(&clock::now_iso());
        let opened = storage::open(&writer).await;
        leptos::mount::mount_to_body(move || app::App(app::AppProps { opened }));
    });
}
