//! A member's code (会员码): the card number as a QR code that the counter
//! scans, and a printable card with it.

use crate::components::qr_code::QrCode;
use crate::i18n::tr;
use crate::state::use_app;
use clientele_engine::Member;
use leptos::prelude::*;

crate::texts!(CardText {
    Title => "会员码", "Member code";
    Hint => "收银台扫码枪或摄像头扫此码即可找到会员。", "The counter's scanner or camera finds the member from this code.";
    Print => "打印会员卡", "Print the card";
    Card => "会员卡号", "Card number";
});

#[component]
pub fn MemberCard(#[prop(into)] member: Signal<Option<Member>>) -> impl IntoView {
    let app = use_app();
    let print = move |_| {
        // Only the card prints (style: `html.print-card`); print() returns
        // once the dialog is closed.
        let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        else {
            return;
        };
        let _ = root.class_list().add_1("print-card");
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
        let _ = root.class_list().remove_1("print-card");
    };
    move || {
        member.get().filter(|m| !m.card_no.trim().is_empty()).map(|m| {
            let shop = app.store.with_untracked(|s| s.settings.store_name.clone());
            let label = format!("{} {}", app.t(CardText::Card), m.card_no);
            view! {
                <section class="card member-code" data-testid="member-code">
                    <h2>{tr(CardText::Title)}</h2>
                    <div class="member-card">
                        <QrCode text=m.card_no.clone() label=label testid="member-qr"/>
                        <div>
                            <p class="shop-name">{shop}</p>
                            <p class="member-card-name">{m.name.clone()}</p>
                            <p class="mono" data-testid="member-card-no">{m.card_no.clone()}</p>
                        </div>
                    </div>
                    <p class="hint">{tr(CardText::Hint)}</p>
                    <button class="btn" type="button" data-testid="print-card" on:click=print>{tr(CardText::Print)}</button>
                </section>
            }
        })
    }
}
