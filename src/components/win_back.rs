//! Win-back (VIP客户挽留): VIPs about to lapse, most value at stake first,
//! with the steps to take and the reason they give for leaving. The list
//! comes from the shared analysis, so opening this tab costs no new model fit.

use crate::analysis::use_derived;
use crate::components::care_words::{choice, member_names, CareText};
use crate::components::pager::{page_of, Pager};
use crate::format::{one_decimal, percent};
use crate::state::use_app;
use clientele_engine::analytics::{at_risk_vips, churn_reason_counts, RiskSignal, VipBasis};
use clientele_engine::care::work::{clear_churn, record_churn};
use clientele_engine::members::model::ChurnReason;
use clientele_engine::MemberId;
use leptos::prelude::*;

const PAGE: usize = 20;

/// One at-risk VIP as shown.
#[derive(Clone, Debug, PartialEq)]
struct WinBackLine {
    member: MemberId,
    name: String,
    basis: Vec<VipBasis>,
    signals: Vec<String>,
    value: String,
    churn: Option<(ChurnReason, String, String)>,
}

impl CareText {
    pub fn reason(r: ChurnReason) -> CareText {
        match r {
            ChurnReason::Product => CareText::ReasonProduct,
            ChurnReason::StoreEnvironment => CareText::ReasonEnvironment,
            ChurnReason::SalesService => CareText::ReasonSales,
            ChurnReason::AfterSales => CareText::ReasonAfterSales,
            ChurnReason::Competitor => CareText::ReasonCompetitor,
            ChurnReason::MovedAway => CareText::ReasonMoved,
            ChurnReason::Other => CareText::ReasonOther,
        }
    }

    /// What to do once the member has said why (DOMAIN.md §7).
    pub fn win_back_step(r: ChurnReason) -> CareText {
        match r {
            ChurnReason::Product => CareText::StepProduct,
            ChurnReason::StoreEnvironment => CareText::StepEnvironment,
            ChurnReason::SalesService => CareText::StepSales,
            ChurnReason::AfterSales => CareText::StepAfterSales,
            ChurnReason::Competitor => CareText::StepCompetitor,
            ChurnReason::MovedAway => CareText::StepMoved,
            ChurnReason::Other => CareText::StepOther,
        }
    }

    fn basis(b: VipBasis) -> CareText {
        match b {
            VipBasis::TopTier => CareText::VipTopTier,
            VipBasis::PyramidA => CareText::VipPyramidA,
            VipBasis::PyramidB => CareText::VipPyramidB,
            VipBasis::Mvc => CareText::VipMvc,
            VipBasis::RfmChampion => CareText::VipChampion,
            VipBasis::RfmCantLoseThem => CareText::VipCantLose,
        }
    }
}

#[component]
pub fn WinBackTab() -> impl IntoView {
    let app = use_app();
    let derived = use_derived();
    let page = RwSignal::new(0usize);
    let open = RwSignal::new(None::<MemberId>);
    let at_risk = Memo::new(move |_| {
        derived
            .analysis
            .with(|a| a.as_deref().map(at_risk_vips).unwrap_or_default())
    });
    let counts = Memo::new(move |_| app.store.with(churn_reason_counts));
    let lines = Memo::new(move |_| {
        let lang = app.lang.get();
        let shown = at_risk.with(|v| page_of(v, page.get(), PAGE));
        app.store.with(|s| {
            let names = member_names(s, shown.iter().map(|v| v.member));
            shown
                .into_iter()
                .map(|v| {
                    let churn = s
                        .members
                        .iter()
                        .find(|m| m.id == v.member)
                        .and_then(|m| m.churn.as_ref())
                        .map(|c| {
                            (
                                c.reason,
                                c.note.clone(),
                                crate::format::date(&s.settings, c.recorded_on),
                            )
                        });
                    let signals = v
                        .signals
                        .iter()
                        .map(|sig| match (sig, lang) {
                            (RiskSignal::LowPAlive, crate::i18n::Lang::Zh) => {
                                format!("仍活跃的概率 {}", percent(v.p_alive.unwrap_or(0.0)))
                            }
                            (RiskSignal::LowPAlive, crate::i18n::Lang::En) => {
                                format!("{} likely still active", percent(v.p_alive.unwrap_or(0.0)))
                            }
                            (RiskSignal::Overdue, crate::i18n::Lang::Zh) => format!(
                                "未到店时间是平时间隔的 {} 倍",
                                one_decimal(v.overdue_ratio.unwrap_or(0.0))
                            ),
                            (RiskSignal::Overdue, crate::i18n::Lang::En) => format!(
                                "away {}× their usual gap",
                                one_decimal(v.overdue_ratio.unwrap_or(0.0))
                            ),
                        })
                        .collect();
                    WinBackLine {
                        member: v.member,
                        name: names.get(&v.member).cloned().unwrap_or_default(),
                        basis: v.vip,
                        signals,
                        value: crate::format::money(&s.settings, v.value_at_stake),
                        churn,
                    }
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <p class="hint">{move || app.t(CareText::WinRule)}</p>
        <section class="card" data-testid="churn-counts">
            <h2>{move || app.t(CareText::ReasonsTitle)}</h2>
            <div class="care-chips">
                {move || counts.get().into_iter().map(|(r, n)| view! {
                    <span class="chip" data-testid="churn-count" data-reason=format!("{r:?}")>
                        {move || app.t(CareText::reason(r))} " " <strong>{n}</strong>
                    </span>
                }).collect_view()}
            </div>
        </section>
        <section class="card" data-testid="at-risk-list">
            <h2>{move || app.t(CareText::TabWinBack)} " · " {move || at_risk.with(|v| v.len())}</h2>
            <Show when=move || at_risk.with(|v| !v.is_empty()) fallback=move || view! {
                <p class="hint empty" data-testid="at-risk-empty">{move || app.t(CareText::WinEmpty)}</p>
            }>
                <ol class="hint win-steps">
                    <li>{move || app.t(CareText::Step1)}</li>
                    <li>{move || app.t(CareText::Step2)}</li>
                    <li>{move || app.t(CareText::Step3)}</li>
                </ol>
                <div class="care-list">
                    {move || lines.get().into_iter().map(|line| view! { <WinBackRow line=line open=open/> }).collect_view()}
                </div>
            </Show>
            <Pager page=page total=Signal::derive(move || at_risk.with(|v| v.len())) size=PAGE/>
        </section>
    }
}

#[component]
fn WinBackRow(line: WinBackLine, open: RwSignal<Option<MemberId>>) -> impl IntoView {
    let app = use_app();
    let WinBackLine {
        member,
        name,
        basis,
        signals,
        value,
        churn,
    } = line;
    let recorded = churn.clone().map(|(reason, note, on)| {
        view! {
            <span class="care-churn" data-testid="churn-recorded">
                <span class="care-tag">{move || app.t(CareText::reason(reason))}</span>
                " " {note} " · " {on}
            </span>
            <span class="care-benefit">{move || app.t(CareText::win_back_step(reason))}</span>
        }
    });
    let won_back = move |_| {
        app.try_update(|s| clear_churn(&mut s.members, member));
    };
    view! {
        <div class="care-item">
            <div class="care-row" data-testid="at-risk-row" data-member=member.0>
                <a class="care-name" href=format!("members/{}", member.0)>{name}</a>
                <span class="care-chips">
                    {basis.into_iter().map(|b| view! { <span class="care-tag">{move || app.t(CareText::basis(b))}</span> }).collect_view()}
                </span>
                <span class="care-what">{signals.join(" · ")}</span>
                <span class="care-reward">{move || app.t(CareText::ValueAtStake)} " " {value}</span>
                {recorded}
                <button class="btn care-action" data-testid="churn-open"
                    on:click=move |_| open.set(Some(member))>{move || app.t(CareText::ChurnRecord)}</button>
                {churn.is_some().then(|| view! {
                    <button class="btn" data-testid="churn-clear" on:click=won_back>{move || app.t(CareText::WonBack)}</button>
                })}
            </div>
            <Show when=move || open.get() == Some(member)>
                <ChurnForm member=member on_close=Callback::new(move |_| open.set(None))/>
            </Show>
        </div>
    }
}

/// Records the reason a member gives for leaving, dated today.
#[component]
pub fn ChurnForm(member: MemberId, on_close: Callback<()>) -> impl IntoView {
    let app = use_app();
    let reason = RwSignal::new(ChurnReason::Product);
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<CareText>);
    let save = move |_| {
        let today = app.today.get_untracked();
        let (r, n) = (reason.get_untracked(), note.get_untracked());
        match app.try_update(|s| record_churn(&mut s.members, member, r, &n, today)) {
            Some(Err(e)) => error.set(Some(CareText::error(&e))),
            _ => on_close.run(()),
        }
    };
    view! {
        <div class="care-form" data-testid="churn-form">
            {choice(CareText::ChurnReasonField, &ChurnReason::ALL, reason, CareText::reason, "churn-reason")}
            <label class="field care-wide">
                <span>{move || app.t(CareText::FieldNote)}</span>
                <input type="text" data-testid="churn-note" prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))/>
            </label>
            {move || error.get().map(|e| view! { <p class="error care-wide" role="alert">{move || app.t(e)}</p> })}
            <div class="care-form-actions">
                <button class="btn" on:click=move |_| on_close.run(())>{move || app.t(crate::i18n::Key::Cancel)}</button>
                <button class="btn primary" data-testid="churn-save" on:click=save>{move || app.t(CareText::SaveContact)}</button>
            </div>
        </div>
    }
}
