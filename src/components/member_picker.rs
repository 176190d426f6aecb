//! Find a member by mobile, card number or name (no card needed), or
//! register a new one in a few taps.

use crate::components::camera_scan::CameraScan;
use crate::i18n::{member_error, tr, Key};
use crate::state::use_app;
use clientele_engine::members::edit::save_member;
use clientele_engine::members::model::{Member, MemberId};
use leptos::prelude::*;

crate::texts!(PickerText {
    Find => "报手机号、卡号或姓名", "Mobile, card number or name";
    Register => "登记新会员", "Register a new member";
    RegisterSave => "登记并选中", "Register and select";
    Change => "换一位", "Change";
    NoneFound => "没有找到。可直接登记为新会员。", "Not found. Register them as a new member.";
});

const SHOWN: usize = 6;

#[component]
pub fn MemberPicker(selected: RwSignal<Option<MemberId>>) -> impl IntoView {
    let app = use_app();
    let query = RwSignal::new(String::new());
    let registering = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let mobile = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let search = crate::analysis::use_derived().search();
    let hits = Memo::new(move |_| {
        let q = query.get();
        if q.trim().is_empty() {
            return Vec::new();
        }
        search.with(|(_, index)| {
            app.store.with(|s| {
                index
                    .find(&s.members, &q)
                    .into_iter()
                    .take(SHOWN)
                    .map(|i| &s.members[i])
                    .map(|m| (m.id, m.name.clone(), m.card_no.clone(), m.mobile.clone()))
                    .collect::<Vec<_>>()
            })
        })
    });
    // A scanner types the card number and Enter (as a keyboard does): the
    // member whose card it is, or the only one found, is picked at once.
    let pick_scanned = move || {
        let q = query.get_untracked();
        let q = q.trim();
        let exact = app.store.with_untracked(|s| {
            s.members
                .iter()
                .find(|m| !q.is_empty() && m.card_no.trim().eq_ignore_ascii_case(q))
                .map(|m| m.id)
        });
        // The card's own member needs no search (5 ms at 100k members).
        let picked = exact.or_else(|| hits.with_untracked(|h| (h.len() == 1).then(|| h[0].0)));
        if let Some(id) = picked {
            selected.set(Some(id));
            registering.set(false);
        }
    };
    let register = move |_| {
        let today = app.today.get_untracked();
        let mut m = Member::new(MemberId(0), "", name.get_untracked(), today);
        m.mobile = mobile.get_untracked();
        m.store = app.device_shop();
        let device = app.device_tag();
        match app.try_update(|s| save_member(s, m, device)) {
            Some(Ok(id)) => {
                selected.set(Some(id));
                registering.set(false);
                error.set(None);
                query.set(String::new());
            }
            Some(Err(e)) => error.set(Some(member_error(app.lang.get_untracked(), &e))),
            None => {}
        }
    };
    view! {
        <section class="card picker">
            <div class="toolbar">
                <input type="search" class="search big-input" data-testid="checkout-find"
                    placeholder=move || app.t(PickerText::Find) aria-label=move || app.t(PickerText::Find)
                    prop:value=move || query.get()
                    on:input=move |ev| { query.set(event_target_value(&ev)); selected.set(None); }
                    on:keydown=move |ev| if ev.key() == "Enter" { pick_scanned() }/>
                <button class="btn" data-testid="checkout-register" on:click=move |_| registering.update(|r| *r = !*r)>
                    {tr(PickerText::Register)}
                </button>
                <CameraScan on_code=move |code: String| { query.set(code); pick_scanned(); }/>
            </div>
            <Show when=move || selected.get().is_none() && !hits.with(|h| h.is_empty())>
                <div class="pick-list">
                    {move || hits.get().into_iter().map(|(id, n, card, mob)| view! {
                        <button class="btn pick" data-testid="pick-member" on:click=move |_| { selected.set(Some(id)); registering.set(false); }>
                            <strong>{n}</strong>
                            <span class="mono hint">{card} " · " {mob}</span>
                        </button>
                    }).collect_view()}
                </div>
            </Show>
            <Show when=move || selected.get().is_none() && !query.with(|q| q.trim().is_empty()) && hits.with(|h| h.is_empty())>
                <p class="hint" data-testid="pick-none">{tr(PickerText::NoneFound)}</p>
            </Show>
            <Show when=move || registering.get()>
                <div class="row-fields register">
                    <input type="text" data-testid="reg-name" placeholder=move || app.t(Key::FieldName)
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                    <input type="tel" data-testid="reg-mobile" placeholder=move || app.t(Key::FieldMobile)
                        prop:value=move || mobile.get() on:input=move |ev| mobile.set(event_target_value(&ev))/>
                    <button class="btn primary" data-testid="reg-save" on:click=register>{tr(PickerText::RegisterSave)}</button>
                </div>
                {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            </Show>
        </section>
    }
}
