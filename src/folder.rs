//! Where the console is served from, and what its address asks. One build
//! works at a host's root or under any sub-path (`/clientele/` on GitHub
//! Pages): index.html puts the folder in `<base>` from the address, so
//! files, links and routes are relative to it.

/// The folder as the router's base: "" at a host's root, "/clientele"
/// under a sub-path.
pub fn base_path() -> String {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .and_then(|uri| web_sys::Url::new(&uri).ok())
        .map(|url| url.pathname())
        .unwrap_or_default();
    base.trim_end_matches('/').to_string()
}

/// The value of `key=` in the page's address, as written (still encoded).
pub fn query_param(key: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
        .map(str::to_string)
}
