//! A QR code drawn as one SVG path: the sync invitation's link, a member's
//! card number.

use leptos::prelude::*;

/// The QR code of `text` as one SVG path (a unit square per dark module)
/// and its size with the quiet zone.
pub fn qr_path(text: &str) -> Option<(String, i32)> {
    let qr = qrcodegen::QrCode::encode_text(text, qrcodegen::QrCodeEcc::Medium).ok()?;
    let mut d = String::new();
    for y in 0..qr.size() {
        for x in 0..qr.size() {
            if qr.get_module(x, y) {
                d.push_str(&format!("M{},{}h1v1h-1z", x + 4, y + 4));
            }
        }
    }
    Some((d, qr.size() + 8))
}

/// `text` as a QR code, read out as `label`; nothing when it cannot be
/// encoded (too long for a QR code).
#[component]
pub fn QrCode(text: String, label: String, testid: &'static str) -> impl IntoView {
    qr_path(&text).map(|(d, n)| {
        view! {
            <svg class="qr" viewBox=format!("0 0 {n} {n}") role="img" aria-label=label data-testid=testid>
                <rect width=n height=n fill="#fff"/>
                <path d=d fill="#000"/>
            </svg>
        }
    })
}
