//! The console's only clock. The engine never reads the time; the UI reads
//! it here, once per need, and passes dates in.

use chrono::NaiveDate;

/// Today's date in the browser's local time zone.
pub fn today() -> NaiveDate {
    let d = js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date())
        .unwrap_or(NaiveDate::MIN)
}

/// Now as an ISO 8601 UTC timestamp, for the envelope's `saved_at`.
pub fn now_iso() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

/// Now in the browser's local time, for recording sales at the counter.
pub fn now_local() -> chrono::NaiveDateTime {
    let d = js_sys::Date::new_0();
    today()
        .and_hms_opt(d.get_hours(), d.get_minutes(), d.get_seconds())
        .unwrap_or_default()
}

/// Milliseconds since 1970 (UTC), to stamp member edits.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// A moment given in milliseconds since 1970, in local time, as `MM-DD HH:MM`.
pub fn local_minute(ms: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!(
        "{:02}-{:02} {:02}:{:02}",
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}
