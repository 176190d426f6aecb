//! Settings → Staff (导购): the boutique's staff list (name, shop, active)
//! and who is signed in at this device. Sales, returns, contacts and
//! Today marks made here name the one signed in.

use crate::i18n::tr;
use crate::state::use_app;
use clientele_engine::care::staff::{add_staff, StaffError};
use leptos::prelude::*;

crate::texts!(StaffText {
    Title => "导购", "Staff";
    Hint => "店里的导购名单。停用的导购不再出现在收银的选择中，其历史记录保留。", "The boutique's staff. Someone made inactive is no longer offered at the counter; their records stay.";
    Name => "姓名", "Name";
    Shop => "门店", "Shop";
    Add => "添加导购", "Add staff";
    Active => "在职", "Active";
    SignedIn => "本设备的导购", "Signed in at this device";
    Nobody => "（不指定）", "(nobody)";
    Empty => "还没有导购。添加后，每笔销售都可以记下是谁接待的。", "No staff yet. Once added, each sale can say who served the member.";
    EmptyName => "请填写姓名。", "Enter a name.";
    TooLong => "姓名或门店过长（最多 100 个字）。", "The name or shop is too long (100 characters at most).";
    Duplicate => "已有这位导购：", "Already on the list: ";
    TooMany => "名单已满（500 人）。", "The list is full (500).";
});

fn error_text(e: &StaffError) -> (StaffText, String) {
    match e {
        StaffError::EmptyName => (StaffText::EmptyName, String::new()),
        StaffError::TooLong => (StaffText::TooLong, String::new()),
        StaffError::Duplicate(n) => (StaffText::Duplicate, n.clone()),
        StaffError::TooMany => (StaffText::TooMany, String::new()),
    }
}

#[component]
pub fn StaffList() -> impl IntoView {
    let app = use_app();
    let name = RwSignal::new(String::new());
    let shop = RwSignal::new(app.device_shop());
    let error = RwSignal::new(None::<(StaffText, String)>);
    let add = move |_| {
        let (n, s) = (name.get_untracked(), shop.get_untracked());
        match app.try_update(|st| add_staff(&mut st.settings.staff, &n, &s)) {
            Some(Ok(())) => {
                name.set(String::new());
                error.set(None);
            }
            Some(Err(e)) => error.set(Some(error_text(&e))),
            None => {}
        }
    };
    let staff = move || app.store.with(|s| s.settings.staff.clone());
    view! {
        <section class="card staff-list" id="staff" data-testid="staff-list">
            <h2>{tr(StaffText::Title)}</h2>
            <p class="hint">{tr(StaffText::Hint)}</p>
            <Show when=move || app.store.with(|s| !s.settings.staff.is_empty()) fallback=move || view! {
                <p class="hint empty" data-testid="staff-empty">{tr(StaffText::Empty)}</p>
            }>
                <ul class="staff-rows">
                    {move || staff().into_iter().enumerate().map(|(i, p)| view! {
                        <li class="staff-row" data-testid="staff-row">
                            <span class="staff-name">{p.name.clone()}</span>
                            <span class="hint">{p.shop.clone()}</span>
                            <label class="check">
                                <input type="checkbox" data-testid="staff-active" prop:checked=p.active
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        app.update(|s| if let Some(x) = s.settings.staff.get_mut(i) { x.active = on });
                                    }/>
                                {tr(StaffText::Active)}
                            </label>
                        </li>
                    }).collect_view()}
                </ul>
            </Show>
            <div class="staff-add">
                <label class="field">
                    <span>{tr(StaffText::Name)}</span>
                    <input type="text" data-testid="staff-name" prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span>{tr(StaffText::Shop)}</span>
                    <input type="text" data-testid="staff-shop" prop:value=move || shop.get()
                        on:input=move |ev| shop.set(event_target_value(&ev))/>
                </label>
                <button class="btn" type="button" data-testid="staff-add" on:click=add>{tr(StaffText::Add)}</button>
            </div>
            {move || error.get().map(|(t, extra)| view! {
                <p class="error" role="alert" data-testid="staff-error">{move || app.t(t)}{extra.clone()}</p>
            })}
            <label class="field">
                <span>{tr(StaffText::SignedIn)}</span>
                <select data-testid="device-staff" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    app.update_prefs(|p| p.staff = v);
                }>
                    <option value="" selected=move || app.prefs.with(|p| p.staff.is_empty())>{tr(StaffText::Nobody)}</option>
                    {move || staff().into_iter().filter(|p| p.active).map(|p| {
                        let is = p.name.clone();
                        let shown = p.name.clone();
                        view! { <option value=p.name selected=move || app.prefs.with(|x| x.staff == is)>{shown}</option> }
                    }).collect_view()}
                </select>
            </label>
        </section>
    }
}
