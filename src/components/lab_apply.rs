//! Putting a candidate in force from a date, with the consequences stated
//! before confirming, and the store's scheme history.

use crate::components::lab_field::{scheme_error_text, scheme_name};
use crate::format;
use crate::i18n::tr;
use crate::state::use_app;
use chrono::NaiveDate;
use clientele_engine::points::lab::{apply_scheme, preview_apply};
use clientele_engine::points::scheme::Scheme;
use leptos::prelude::*;

crate::texts!(LabApplyText {
    Title => "应用为本店方案", "Apply as the store's scheme";
    From => "生效日期", "In force from";
    Start => "应用此方案…", "Apply this scheme…";
    Consequences => "确认前请了解：", "Before you confirm:";
    KeepPoints => "已获得的积分保持原数额；从生效日起，会员等级按新规则重新计算。", "Points already earned keep their amounts; from that date, tiers are recomputed under the new rules.";
    Moves => "到今天为止：{up} 位会员升级，{down} 位会员降级。", "As of today: {up} members move up and {down} move down.";
    Outstanding => "未使用积分：{before} → {after}（负债 {money}）。", "Outstanding points: {before} → {after} (liability {money}).";
    Replaces => "同一天已有一个方案，它将被替换。", "A scheme already starts that day; it will be replaced.";
    Future => "生效日期在今天之后：到那天之前一切不变。", "The date is after today: nothing changes until then.";
    Confirm => "确认应用", "Confirm and apply";
    Cancel => "取消", "Cancel";
    Done => "已应用。会员页与收银将按新方案计算。", "Applied. Member pages and checkout now follow the new scheme.";
    History => "方案历史", "Scheme history";
    InForce => "当前生效", "In force";
    NoHistory => "本店还没有保存过方案，目前使用默认的“每消费 1 元得 1 分”方案。应用一个方案后，这里会记录历史。",
        "This store has never saved a scheme, so the default (1 point per yuan) is in force. Apply one and its history appears here.";
    BadDate => "请选择生效日期。", "Choose the date it takes effect.";
});

#[component]
pub fn ApplyPanel(#[prop(into)] scheme: Signal<Scheme>) -> impl IntoView {
    let app = use_app();
    let from = RwSignal::new(app.today.get_untracked().to_string());
    let asking = RwSignal::new(false);
    let done = RwSignal::new(false);
    let from_date = move || NaiveDate::parse_from_str(&from.get(), "%Y-%m-%d").ok();
    let preview = Memo::new(move |_| {
        if !asking.get() {
            return None;
        }
        let d = from_date()?;
        let s = scheme.get();
        let today = app.today.get();
        Some(app.store.with(|st| preview_apply(st, &s, d, today)))
    });
    let count = |n: usize| format::count(n);
    let apply = move |_| {
        let (Some(d), s) = (from_date(), scheme.get_untracked()) else {
            return;
        };
        if let Some(Ok(())) = app.try_update(|st| apply_scheme(st, &s, d)) {
            asking.set(false);
            done.set(true);
        }
    };
    let history = move || {
        app.store.with(|st| {
            let today = app.today.get();
            let in_force = st
                .schemes
                .iter()
                .map(|d| d.effective_from)
                .filter(|d| *d <= today)
                .max();
            let mut h: Vec<_> = st
                .schemes
                .iter()
                .map(|d| {
                    (
                        d.effective_from,
                        scheme_name(app.lang.get(), &d.scheme.name),
                        Some(d.effective_from) == in_force,
                    )
                })
                .collect();
            h.sort_by_key(|x| std::cmp::Reverse(x.0));
            (h, st.settings.clone())
        })
    };
    view! {
        <section class="card" data-testid="lab-apply">
            <h2>{tr(LabApplyText::Title)}</h2>
            <div class="lab-fields">
                <label class="field lab-field">
                    <span>{tr(LabApplyText::From)}</span>
                    <input type="date" data-testid="apply-date" prop:value=move || from.get()
                        on:input=move |ev| { from.set(event_target_value(&ev)); done.set(false); }/>
                </label>
            </div>
            <Show when=move || !asking.get()>
                <div class="actions">
                    <button class="btn primary" type="button" data-testid="apply-start"
                        on:click=move |_| { asking.set(true); done.set(false); }>{tr(LabApplyText::Start)}</button>
                </div>
            </Show>
            {move || preview.get().map(|p| match p {
                Err(problem) => view! { <p class="error" role="alert">{scheme_error_text(app.lang.get(), &problem.error)}</p> }.into_any(),
                Ok(p) => {
                    let money = app.store.with_untracked(|s| format::money(&s.settings, p.liability_after));
                    let future = p.effective_from > app.today.get_untracked();
                    view! {
                        <div class="preview" data-testid="apply-preview">
                            <p><strong>{tr(LabApplyText::Consequences)}</strong></p>
                            <ul>
                                <li>{tr(LabApplyText::KeepPoints)}</li>
                                <li data-testid="apply-moves">{app.t(LabApplyText::Moves).replace("{up}", &count(p.moves.up.len())).replace("{down}", &count(p.moves.down.len()))}</li>
                                <li>{app.t(LabApplyText::Outstanding)
                                    .replace("{before}", &count(p.outstanding_before.max(0) as usize))
                                    .replace("{after}", &count(p.outstanding_after.max(0) as usize))
                                    .replace("{money}", &money)}</li>
                                {p.replaces_same_day.then(|| view! { <li>{tr(LabApplyText::Replaces)}</li> })}
                                {future.then(|| view! { <li>{tr(LabApplyText::Future)}</li> })}
                            </ul>
                            <div class="actions">
                                <button class="btn" type="button" on:click=move |_| asking.set(false)>{tr(LabApplyText::Cancel)}</button>
                                <button class="btn primary" type="button" data-testid="apply-confirm" on:click=apply>{tr(LabApplyText::Confirm)}</button>
                            </div>
                        </div>
                    }.into_any()
                }
            })}
            {move || (asking.get() && from_date().is_none()).then(|| view! { <p class="error" role="alert">{tr(LabApplyText::BadDate)}</p> })}
            {move || done.get().then(|| view! { <p class="ok" role="status" data-testid="apply-done">{tr(LabApplyText::Done)}</p> })}
            <h3>{tr(LabApplyText::History)}</h3>
            {move || {
                let (h, settings) = history();
                if h.is_empty() {
                    view! { <p class="hint" data-testid="scheme-history-empty">{tr(LabApplyText::NoHistory)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="scheme-history" data-testid="scheme-history">
                            {h.into_iter().map(|(d, name, in_force)| view! {
                                <li data-testid="scheme-history-item">
                                    <span class="date">{format::date(&settings, d)}</span> " " <strong>{name}</strong>
                                    {in_force.then(|| view! { " " <span class="chip">{tr(LabApplyText::InForce)}</span> })}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
    }
}
