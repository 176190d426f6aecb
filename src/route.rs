//! The console's addresses: which page shows, the member it is about and
//! the query it was opened with, kept in step with the address bar.
//!
//! The console has one flat list of pages, so this small router takes the
//! place of leptos_router, whose general matching, nested routes and
//! transitions cost the first load 44 KB gzipped (measured in the closing
//! note of this change). It does what that router did for us: a
//! click on a link inside the console's folder changes the page without a
//! reload, back and forward work, and the new page starts at its top (or at
//! the element its `#hash` names).

use clientele_engine::members::model::MemberId;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The console's pages, by their address within its folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Dashboard,
    Members,
    NewMember,
    Member,
    EditMember,
    Checkout,
    Points,
    Lab,
    Segments,
    Care,
    Today,
    Data,
    Settings,
}

impl Page {
    /// The page at `path` (from "/", within the console's folder). An
    /// unknown address shows the dashboard.
    pub fn at(path: &str) -> Page {
        match parts(path).as_slice() {
            ["members"] => Page::Members,
            ["members", "new"] => Page::NewMember,
            ["members", _] => Page::Member,
            ["members", _, "edit"] => Page::EditMember,
            ["checkout"] => Page::Checkout,
            ["points"] => Page::Points,
            ["points", "lab"] => Page::Lab,
            ["segments"] => Page::Segments,
            ["care"] => Page::Care,
            ["today"] => Page::Today,
            ["data"] => Page::Data,
            ["settings"] => Page::Settings,
            _ => Page::Dashboard,
        }
    }
}

/// An address's parts between its slashes.
fn parts(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

/// Where the console is: set from the address bar at start, by a followed
/// link, by [`use_navigate`]'s function and by back and forward.
#[derive(Clone, Copy)]
pub struct Location {
    /// The address within the console's folder, from "/" ("/members/12").
    pub path: RwSignal<String>,
    /// The query without its "?", as written (still encoded).
    pub search: RwSignal<String>,
}

/// Reads the address bar and keeps following it; call once, in the shell.
pub fn provide_location() -> Location {
    let base = crate::folder::base_path();
    let (path, search) = current(&base);
    let location = Location {
        path: RwSignal::new(path),
        search: RwSignal::new(search),
    };
    provide_context(location);
    let on_click = base.clone();
    let _ = window_event_listener(leptos::ev::click, move |ev| {
        follow(&ev, &on_click, location)
    });
    let _ = window_event_listener(leptos::ev::popstate, move |_| {
        let (path, search) = current(&base);
        location.path.set(path);
        location.search.set(search);
    });
    location
}

pub fn use_location() -> Location {
    expect_context()
}

/// The query string's values, decoded.
#[derive(Clone, Debug, PartialEq)]
pub struct Query(String);

impl Query {
    pub fn get(&self, key: &str) -> Option<String> {
        web_sys::UrlSearchParams::new_with_str(&self.0)
            .ok()?
            .get(key)
    }
}

pub fn use_query_map() -> Memo<Query> {
    let location = use_location();
    Memo::new(move |_| Query(location.search.get()))
}

/// The member a member page is about (`/members/:id` and its `/edit`).
pub fn use_member_id() -> Memo<Option<MemberId>> {
    let location = use_location();
    Memo::new(move |_| {
        location.path.with(|p| match parts(p).as_slice() {
            ["members", id, ..] => id.parse::<u64>().ok().map(MemberId),
            _ => None,
        })
    })
}

/// Whether a tab for `href` (within the folder, from "/") is the current
/// page's: its own address or one under it ("/points" on "/points/lab").
pub fn is_current(href: &str, path: &str) -> bool {
    let href = href.trim_end_matches('/');
    let path = path.trim_end_matches('/');
    if href.is_empty() {
        return path.is_empty();
    }
    path == href
        || path
            .strip_prefix(href)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Going to an address (from "/", within the console's folder, query and
/// `#hash` allowed) as a link would; taken while the component is made, so
/// it can be called later, from a save's answer.
pub fn use_navigate() -> impl Fn(&str) + Clone + 'static {
    let location = use_location();
    move |to: &str| {
        let (path, rest) = to.split_at(to.find(['?', '#']).unwrap_or(to.len()));
        let (search, hash) = rest.split_at(rest.find('#').unwrap_or(rest.len()));
        go(location, &crate::folder::base_path(), path, search, hash);
    }
}

/// The address bar's place within the folder `base`.
fn current(base: &str) -> (String, String) {
    let Some(place) = web_sys::window().map(|w| w.location()) else {
        return ("/".into(), String::new());
    };
    let pathname = place.pathname().unwrap_or_default();
    let path = within(&pathname, base).unwrap_or_else(|| "/".into());
    let search = place.search().unwrap_or_default();
    (path, search.trim_start_matches('?').to_string())
}

/// `pathname` as an address within the folder `base`, or `None` outside it.
fn within(pathname: &str, base: &str) -> Option<String> {
    let rest = pathname.strip_prefix(base)?;
    match rest {
        "" => Some("/".into()),
        r if r.starts_with('/') => Some(r.to_string()),
        _ => None,
    }
}

/// A click on a link to a page of the console changes the page in place.
/// Everything else (another site, a download, a new tab, a modified click)
/// is left to the browser.
fn follow(ev: &web_sys::MouseEvent, base: &str, location: Location) {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.meta_key()
        || ev.alt_key()
        || ev.ctrl_key()
        || ev.shift_key()
    {
        return;
    }
    let path = ev.composed_path();
    let Some(a) =
        (0..path.length()).find_map(|i| path.get(i).dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return;
    };
    let external = a
        .get_attribute("rel")
        .is_some_and(|r| r.split_whitespace().any(|p| p == "external"));
    if !a.target().is_empty() || a.has_attribute("download") || external {
        return;
    }
    let Ok(url) = web_sys::Url::new(&a.href()) else {
        return;
    };
    let origin = web_sys::window().and_then(|w| w.location().origin().ok());
    if origin.as_deref() != Some(url.origin().as_str()) {
        return;
    }
    let Some(to) = within(&url.pathname(), base) else {
        return;
    };
    ev.prevent_default();
    go(location, base, &to, &url.search(), &url.hash());
}

fn go(location: Location, base: &str, path: &str, search: &str, hash: &str) {
    let path = if path.is_empty() { "/" } else { path };
    let full = format!("{base}{path}{search}{hash}");
    if let Some(w) = web_sys::window() {
        let here = w.location();
        let now = format!(
            "{}{}{}",
            here.pathname().unwrap_or_default(),
            here.search().unwrap_or_default(),
            here.hash().unwrap_or_default()
        );
        if now != full {
            if let Ok(history) = w.history() {
                let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&full));
            }
        }
    }
    location.path.set(path.to_string());
    location
        .search
        .set(search.trim_start_matches('?').to_string());
    let hash = hash.trim_start_matches('#').to_string();
    // After the new page has rendered.
    request_animation_frame(move || {
        let Some(w) = web_sys::window() else {
            return;
        };
        let target = (!hash.is_empty())
            .then(|| w.document()?.get_element_by_id(&hash))
            .flatten();
        match target {
            Some(el) => el.scroll_into_view(),
            None => w.scroll_to_with_x_and_y(0.0, 0.0),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_name_their_pages() {
        assert_eq!(Page::at("/"), Page::Dashboard);
        assert_eq!(Page::at(""), Page::Dashboard);
        assert_eq!(Page::at("/members"), Page::Members);
        assert_eq!(Page::at("/members/"), Page::Members);
        assert_eq!(Page::at("/members/new"), Page::NewMember);
        assert_eq!(Page::at("/members/12"), Page::Member);
        assert_eq!(Page::at("/members/12/edit"), Page::EditMember);
        assert_eq!(Page::at("/points/lab"), Page::Lab);
        assert_eq!(Page::at("/settings"), Page::Settings);
        assert_eq!(Page::at("/nowhere"), Page::Dashboard);
        assert_eq!(Page::at("/members/12/edit/more"), Page::Dashboard);
    }

    #[test]
    fn a_tab_is_current_on_its_page_and_the_pages_under_it() {
        assert!(is_current("/", "/"));
        assert!(!is_current("/", "/members"));
        assert!(is_current("/members", "/members/12"));
        assert!(is_current("/points", "/points/lab"));
        assert!(!is_current("/points", "/pointsx"));
        assert!(!is_current("/care", "/"));
    }

    #[test]
    fn an_address_is_read_within_the_folder_only() {
        assert_eq!(
            within("/clientele/members", "/clientele").as_deref(),
            Some("/members")
        );
        assert_eq!(within("/clientele", "/clientele").as_deref(), Some("/"));
        assert_eq!(within("/clientele/", "/clientele").as_deref(), Some("/"));
        assert_eq!(within("/clienteleX/members", "/clientele"), None);
        assert_eq!(within("/other", "/clientele"), None);
        assert_eq!(within("/members", "").as_deref(), Some("/members"));
    }
}
