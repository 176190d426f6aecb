//! Which shop the dashboard and the segments show, for a boutique with
//! several (the members' home shops): the whole boutique, or one shop's
//! members with all their purchases. Shown only when there are two or more.

use crate::analysis::use_derived;
use crate::i18n::tr;
use crate::state::use_app;
use clientele_engine::members::search::shops;
use leptos::prelude::*;

crate::texts!(ShopText {
    Label => "门店", "Shop";
    All => "全部门店", "All shops";
});

#[component]
pub fn ShopPicker() -> impl IntoView {
    let app = use_app();
    let derived = use_derived();
    let list = Memo::new(move |_| app.store.with(shops));
    view! {
        <Show when=move || list.with(|l| l.len() >= 2)>
            <label class="shop-picker">
                <span>{tr(ShopText::Label)}</span>
                <select data-testid="shop-picker" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    derived.shop.set((!v.is_empty()).then_some(v));
                }>
                    <option value="" selected=move || derived.shop.with(Option::is_none)>{tr(ShopText::All)}</option>
                    {move || list.get().into_iter().map(|s| {
                        let (here, value) = (s.clone(), s.clone());
                        view! {
                            <option value=value selected=move || derived.shop.with(|c| c.as_deref() == Some(here.as_str()))>{s}</option>
                        }
                    }).collect_view()}
                </select>
            </label>
        </Show>
    }
}
