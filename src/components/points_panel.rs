//! A member's tier and points: the summary the counter needs, and the
//! ledger with its plain-language explanations for the member page.

use crate::analysis::use_derived;
use crate::format;
use crate::i18n::{tr, Lang};
use crate::state::{use_app, AppState};
use clientele_engine::members::model::MemberId;
use clientele_engine::points::checkout::scheme_on;
use clientele_engine::points::explain::tier_name;
use clientele_engine::points::replay::MemberOutcome;
use clientele_engine::points::scheme::Scheme;
use clientele_engine::Money;
use leptos::prelude::*;

crate::texts!(PointsText {
    Tier => "等级", "Tier";
    Available => "可用积分", "Points available";
    Balance => "积分余额", "Points balance";
    Expiring => "30 天内到期", "Expiring within 30 days";
    Qualifying => "成长值", "Qualifying value";
    NextTier => "距下一级", "To next tier";
    TopTier => "已是最高等级", "Top tier";
    Discount => "折扣", "Discount";
    Ledger => "积分明细", "Points ledger";
    TierHistory => "等级变化", "Tier history";
    NoLedger => "还没有积分记录。", "No points yet.";
    Pending => "待生效", "pending";
    ExpiresOn => "到期", "expires";
    Debt => "负积分", "Negative balance";
    ShowingLatest => "显示最近 50 条", "Showing the latest 50";
    ExpirySchedule => "积分到期安排", "When points expire";
    PointsUnit => "分", "pts";
    KeepBy => "保级：以下日期前还需", "To keep this tier, needed by";
    KeptAt => "已满足保级条件，复核日", "Already kept at the review on";
});

/// A member's outcome as of today, recomputed when the store changes.
pub fn outcome_memo(
    app: AppState,
    member: Signal<Option<MemberId>>,
) -> Memo<Option<(MemberOutcome, Scheme)>> {
    let derived = use_derived();
    Memo::new(move |_| {
        let id = member.get()?;
        let today = app.today.get();
        derived.with_facts(|s, facts| {
            let scheme = scheme_on(s, today);
            facts.member_points(s, id, today).ok().map(|o| (o, scheme))
        })
    })
}

fn metric_text(app: AppState, money: bool, v: i64) -> String {
    if money {
        app.store
            .with_untracked(|s| format::money(&s.settings, Money(v)))
    } else {
        v.to_string()
    }
}

#[component]
pub fn PointsSummary(#[prop(into)] member: Signal<Option<MemberId>>) -> impl IntoView {
    let app = use_app();
    let outcome = outcome_memo(app, member);
    view! {
        {move || outcome.get().map(|(o, scheme)| {
            let lang = app.explain_lang();
            let tiers = &scheme.tiers;
            let next = o.tier.map_or(0, |t| usize::from(t) + 1);
            let money = tiers.metric_of(next.min(tiers.tiers.len().saturating_sub(1))).is_money();
            let progress = tiers.tiers.get(next).map(|t| {
                let need = (t.threshold - o.qualifying).max(0);
                let pct = if t.threshold > 0 { (o.qualifying.clamp(0, t.threshold) * 100 / t.threshold) as u32 } else { 100 };
                (tier_name(&scheme, Some(next as _), lang), metric_text(app, money, need), pct)
            });
            let schedule: Vec<String> = app.store.with_untracked(|s| {
                o.ledger
                    .expiry_schedule()
                    .into_iter()
                    .take(6)
                    .map(|(d, p)| format!("{} · {p} {}", format::date(&s.settings, d), app.t(PointsText::PointsUnit)))
                    .collect()
            });
            let discount = tiers.discount_percent(o.tier);
            let hold = o.hold.map(|h| {
                let on = app.store.with_untracked(|s| format::date(&s.settings, h.review));
                if h.needed > 0 {
                    format!("{} {on}: {}", app.t(PointsText::KeepBy), metric_text(app, h.metric.is_money(), h.needed))
                } else {
                    format!("{} {on}", app.t(PointsText::KeptAt))
                }
            });
            view! {
                <div class="stats points-summary" data-testid="points-summary">
                    <div class="stat card">
                        <span class="stat-value" data-testid="tier-name">{tier_name(&scheme, o.tier, lang)}</span>
                        <span class="stat-label">{tr(PointsText::Tier)}
                            {(discount > 0).then(|| format!(" · {} {}%", app.t(PointsText::Discount), discount))}</span>
                        {hold.map(|h| view! { <span class="hint" data-testid="tier-hold">{h}</span> })}
                    </div>
                    <div class="stat card">
                        <span class="stat-value" data-testid="points-available">{o.available}</span>
                        <span class="stat-label">{tr(PointsText::Available)}
                            {(o.balance != o.available).then(|| format!(" ({} {})", app.t(PointsText::Balance), o.balance))}</span>
                    </div>
                    <div class="stat card">
                        <span class="stat-value">{o.expiring_30d}</span>
                        <span class="stat-label">{tr(PointsText::Expiring)}</span>
                    </div>
                    <div class="stat card">
                        <span class="stat-value">{metric_text(app, tiers.metric_of(0).is_money(), o.qualifying)}</span>
                        <span class="stat-label">{tr(PointsText::Qualifying)}</span>
                        {match progress {
                            Some((name, need, pct)) => view! {
                                <span class="hint">{tr(PointsText::NextTier)} " " {name} ": " {need}</span>
                                <div class="meter-bar"><div class="meter-fill" style=format!("width:{pct}%")></div></div>
                            }.into_any(),
                            None => view! { <span class="hint">{tr(PointsText::TopTier)}</span> }.into_any(),
                        }}
                    </div>
                </div>
                {(!schedule.is_empty()).then(|| view! {
                    <p class="hint expiry-schedule" data-testid="expiry-schedule">
                        {tr(PointsText::ExpirySchedule)} ": " {schedule.join("；")}
                    </p>
                })}
            }
        })}
    }
}

#[component]
pub fn PointsLedger(#[prop(into)] member: Signal<Option<MemberId>>) -> impl IntoView {
    let app = use_app();
    let outcome = outcome_memo(app, member);
    let rows = Memo::new(move |_| {
        let lang = app.explain_lang();
        outcome.with(|o| {
            let Some((o, scheme)) = o else {
                return (Vec::new(), Vec::new());
            };
            let settings = app.store.with_untracked(|s| s.settings.clone());
            let entries = o
                .ledger
                .entries
                .iter()
                .rev()
                .take(50)
                .map(|e| {
                    let lot = e.lot.and_then(|l| o.ledger.lots.get(l as usize));
                    let expires = lot
                        .and_then(|l| l.expires)
                        .map(|d| format::date(&settings, d));
                    (
                        format::date(&settings, e.date),
                        e.points,
                        e.reason.describe(scheme, lang),
                        expires,
                    )
                })
                .collect::<Vec<_>>();
            let tiers = o
                .tier_history
                .iter()
                .rev()
                .map(|c| (format::date(&settings, c.date), c.describe(scheme, lang)))
                .collect::<Vec<_>>();
            (entries, tiers)
        })
    });
    let lang_zh = move || app.lang.get() == Lang::Zh;
    view! {
        <section class="card">
            <h2>{tr(PointsText::Ledger)}</h2>
            <Show when=move || rows.with(|r| !r.0.is_empty()) fallback=move || view! { <p class="hint">{tr(PointsText::NoLedger)}</p> }>
                <div class="table ledger-table" data-testid="ledger">
                    {move || rows.get().0.into_iter().map(|(d, pts, why, exp)| view! {
                        <div class="tr">
                            <span>{d}</span>
                            <span class="num" class:neg=pts < 0>{if pts > 0 { format!("+{pts}") } else { pts.to_string() }}</span>
                            <span class="why">{why}</span>
                            <span class="hint">{exp.map(|e| format!("{} {e}", if lang_zh() { "到期" } else { "expires" }))}</span>
                        </div>
                    }).collect_view()}
                </div>
                <p class="hint">{tr(PointsText::ShowingLatest)}</p>
            </Show>
            <Show when=move || rows.with(|r| !r.1.is_empty())>
                <h2>{tr(PointsText::TierHistory)}</h2>
                <ul class="tier-history">
                    {move || rows.get().1.into_iter().map(|(d, why)| view! { <li><span class="hint">{d}</span> " " {why}</li> }).collect_view()}
                </ul>
            </Show>
        </section>
    }
}
