//! The counter's camera: one tap opens it, a member's code (QR) read picks
//! the member. A USB or Bluetooth scanner needs none of this: it types the
//! card number and Enter into the search box.

use crate::i18n::tr;
use crate::scan::{self, ScanError};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

crate::texts!(ScanText {
    Open => "扫码", "Scan a code";
    Close => "关闭摄像头", "Close the camera";
    Hint => "把会员码对准摄像头。", "Hold the member code up to the camera.";
    Denied => "摄像头未获允许：请在浏览器设置中允许本站使用摄像头。", "The camera is not allowed: allow this site to use it in the browser's settings.";
    Unavailable => "没有可用的摄像头。也可以用扫码枪，或输入卡号。", "No camera is available. A barcode scanner or the card number typed works too.";
});

#[component]
pub fn CameraScan(#[prop(into)] on_code: Callback<String>) -> impl IntoView {
    let open = RwSignal::new(false);
    let error = RwSignal::new(None::<ScanError>);
    let video = NodeRef::<leptos::html::Video>::new();
    // Once the video is on the page, read from it until a code or a close.
    Effect::new(move |_| {
        let Some(el) = video.get() else { return };
        leptos::task::spawn_local(async move {
            let result = scan::read(el.unchecked_ref::<web_sys::HtmlElement>()).await;
            match result {
                Ok(code) => {
                    open.set(false);
                    on_code.run(code);
                }
                Err(ScanError::Stopped) => {}
                Err(e) => {
                    open.set(false);
                    error.set(Some(e));
                }
            }
        });
    });
    on_cleanup(scan::stop);
    view! {
        <Show when=scan::possible>
            <button class="btn" type="button" data-testid="scan-open" on:click=move |_| {
                error.set(None);
                if open.get_untracked() {
                    scan::stop();
                }
                open.update(|o| *o = !*o);
            }>{move || if open.get() { tr(ScanText::Close).into_any() } else { tr(ScanText::Open).into_any() }}</button>
        </Show>
        <Show when=move || open.get()>
            <div class="camera" data-testid="scan-camera">
                <video node_ref=video autoplay=true></video>
                <p class="hint">{tr(ScanText::Hint)}</p>
            </div>
        </Show>
        {move || error.get().map(|e| view! {
            <p class="error" role="alert" data-testid="scan-error">{tr(match e {
                ScanError::Denied => ScanText::Denied,
                _ => ScanText::Unavailable,
            })}</p>
        })}
    }
}
