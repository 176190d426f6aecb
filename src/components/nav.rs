//! Header and navigation: a side rail on landscape tablets, a scrolling
//! strip of large tabs on portrait tablets and phones.

use crate::components::lang_switch::LangSwitch;
use crate::components::save_state::SaveState;
use crate::components::sync_state::SyncBadge;
use crate::i18n::{tr, Key};
use crate::route::{is_current, use_location};
use crate::state::use_app;
use leptos::prelude::*;

pub const PAGES: [(&str, Key); 9] = [
    ("/", Key::NavDashboard),
    ("/today", Key::NavToday),
    ("/members", Key::NavMembers),
    ("/checkout", Key::NavCheckout),
    ("/points", Key::NavPoints),
    ("/segments", Key::NavSegments),
    ("/care", Key::NavCare),
    ("/data", Key::NavData),
    ("/settings", Key::NavSettings),
];

#[component]
pub fn Nav() -> impl IntoView {
    let app = use_app();
    let location = use_location();
    let store_name = move || {
        app.store.with(|s| {
            if s.settings.store_name.trim().is_empty() {
                app.t(Key::AppName).to_string()
            } else {
                s.settings.store_name.clone()
            }
        })
    };
    view! {
        // One box on portrait screens, so the tabs stick right under the
        // header whatever its height (a shop name on two lines, the tagline).
        <div class="chrome">
            <header class="topbar">
                <div class="brand">
                    <span class="store-name" data-testid="store-name">{store_name}</span>
                    <span class="tagline">{tr(Key::AppTagline)}</span>
                    <SaveState/>
                    <SyncBadge/>
                </div>
                <LangSwitch/>
            </header>
            <nav class="nav" aria-label="main">
                {PAGES
                    .iter()
                    .map(|(href, key)| {
                        let key = *key;
                        let testid = format!("nav{}", href.replace('/', "-"));
                        let current = move || location.path.with(|p| is_current(href, p)).then_some("page");
                        // Relative: the page's <base> (the console's folder)
                        // goes in front. The dashboard is that folder itself,
                        // `./`, which keeps its slash under a sub-path:
                        // `/clientele` would be outside the service worker's
                        // scope (`/clientele/`), where a reload offline finds
                        // nothing.
                        let link = if *href == "/" { "./" } else { href.trim_start_matches('/') };
                        view! {
                            <a href=link class="nav-link" data-testid=testid aria-current=current>
                                {tr(key)}
                            </a>
                        }
                    })
                    .collect_view()}
            </nav>
        </div>
    }
}
