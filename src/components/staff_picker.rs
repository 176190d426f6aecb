//! Who made this sale or return (导购): the active staff of the list, the
//! one signed in at this device first chosen. Nothing to pick while the
//! boutique keeps no staff list.

use crate::i18n::tr;
use crate::state::use_app;
use leptos::prelude::*;

crate::texts!(PickerText {
    Staff => "导购", "Staff";
    Nobody => "（不指定）", "(not named)";
});

#[component]
pub fn StaffPicker(staff: RwSignal<String>) -> impl IntoView {
    let app = use_app();
    let names = Memo::new(move |_| {
        app.store.with(|s| {
            s.settings
                .staff
                .iter()
                .filter(|p| p.active)
                .map(|p| p.name.clone())
                .collect::<Vec<_>>()
        })
    });
    view! {
        <Show when=move || names.with(|n| !n.is_empty())>
            <label class="field staff-picker">
                <span>{tr(PickerText::Staff)}</span>
                <select data-testid="sale-staff" on:change=move |ev| staff.set(event_target_value(&ev))>
                    <option value="" selected=move || staff.get().is_empty()>{tr(PickerText::Nobody)}</option>
                    {move || names.get().into_iter().map(|n| {
                        let is = n.clone();
                        let shown = n.clone();
                        view! { <option value=n selected=move || staff.get() == is>{shown}</option> }
                    }).collect_view()}
                </select>
            </label>
        </Show>
    }
}
