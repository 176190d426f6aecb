//! One column of the side-by-side comparison: a scheme replayed over the
//! store's history, its tier distribution against the target, the points
//! it issues and what it costs, and the members it moves.

use crate::components::lab_chart::{pct, DistributionChart};
use crate::components::lab_field::{scheme_error_text, scheme_name};
use crate::format;
use crate::i18n::tr;
use crate::state::use_app;
use clientele_engine::points::calibrate::WHOLE;
use clientele_engine::points::explain::tier_name;
use clientele_engine::points::lab::Trial;
use clientele_engine::points::replay::TierMove;
use clientele_engine::points::rules::SchemeError;
use clientele_engine::points::scheme::Scheme;
use clientele_engine::{MemberId, Money};
use leptos::prelude::*;

crate::texts!(LabCompareText {
    Tier => "等级", "Tier";
    Members => "人数", "Members";
    Share => "占比", "Share";
    Target => "目标", "Target";
    Issued => "已发放积分", "Points issued";
    Redeemed => "已兑换", "Redeemed";
    Expired => "已过期", "Expired";
    Outstanding => "未使用", "Outstanding";
    Liability => "积分负债金额", "Liability";
    DiscountCost => "等级折扣成本", "Tier discount cost";
    ExpiryEffect => "有效期规则已清掉的积分", "Points the expiry rule has removed";
    Expiring => "30 天内将过期", "Expiring within 30 days";
    Up => "升级", "Move up";
    Down => "降级", "Move down";
    MovesTitle => "与当前方案相比", "Against the scheme in force";
    More => "另有 {n} 位", "and {n} more";
    NoTier => "无等级", "No tier";
});

/// The most members a move list shows; the count says how many there are.
const LIST_LIMIT: usize = 60;

#[component]
pub fn TrialColumn(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] scheme: Signal<Scheme>,
    #[prop(into)] base_scheme: Signal<Scheme>,
    #[prop(into)] trial: Signal<Option<Result<Trial, SchemeError>>>,
    #[prop(into)] target: Signal<Vec<u32>>,
    testid: &'static str,
) -> impl IntoView {
    let app = use_app();
    let lang = move || app.explain_lang();
    let money = move |m: Money| app.store.with_untracked(|s| format::money(&s.settings, m));
    let rows = Signal::derive(move || {
        let Some(Ok(t)) = trial.get() else {
            return Vec::new();
        };
        let s = scheme.get();
        let all = t.totals.members.max(1);
        let target = target.get();
        s.tiers
            .tiers
            .iter()
            .enumerate()
            .map(|(i, _)| {
                let c = t.totals.tier_counts.get(i).copied().unwrap_or(0);
                (
                    tier_name(&s, Some(i as u8), lang()),
                    (c * WHOLE).checked_div(all).unwrap_or(0),
                    target.get(i).copied().unwrap_or(0),
                )
            })
            .collect::<Vec<_>>()
    });
    let name_of = move |id: MemberId| {
        app.store.with_untracked(|s| {
            s.members
                .iter()
                .find(|m| m.id == id)
                .map(|m| m.name.clone())
                .unwrap_or_else(|| format!("#{}", id.0))
        })
    };
    let move_list = move |moves: Vec<TierMove>, testid: &'static str, label: LabCompareText| {
        let total = moves.len();
        let base = base_scheme.get_untracked();
        let cand = scheme.get_untracked();
        let items = moves
            .into_iter()
            .take(LIST_LIMIT)
            .map(|m| {
                let from = tier_name(&base, m.from, lang());
                let to = tier_name(&cand, m.to, lang());
                view! {
                    <li><a href=format!("members/{}", m.member.0) data-testid="moved-member">{name_of(m.member)}</a>
                        <span class="hint">" " {from} " → " {to}</span></li>
                }
            })
            .collect_view();
        let more = total.saturating_sub(LIST_LIMIT);
        view! {
            <details class="moves" data-testid=testid>
                <summary>{tr(label)} ": " <strong data-testid=format!("{testid}-count")>{format::count(total)}</strong></summary>
                <ul>{items}</ul>
                {(more > 0).then(|| view! { <p class="hint">{app.t(LabCompareText::More).replace("{n}", &more.to_string())}</p> })}
            </details>
        }
    };
    view! {
        <section class="card lab-col" data-testid=testid>
            <h3>{move || title.get()}</h3>
            <p class="hint">{move || scheme_name(app.lang.get(), &scheme.get().name)}</p>
            {move || match trial.get() {
                None => ().into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{scheme_error_text(app.lang.get(), &e)}</p> }.into_any(),
                Some(Ok(t)) => {
                    let stat = |label: LabCompareText, value: String, id: &'static str| view! {
                        <div class="kv"><dt>{tr(label)}</dt><dd data-testid=id>{value}</dd></div>
                    };
                    let no_tier = t.totals.no_tier;
                    view! {
                        <div class="table lab-dist" data-testid="lab-dist">
                            <div class="tr th">
                                <span>{tr(LabCompareText::Tier)}</span>
                                <span class="num">{tr(LabCompareText::Members)}</span>
                                <span class="num">{tr(LabCompareText::Share)}</span>
                                <span class="num">{tr(LabCompareText::Target)}</span>
                            </div>
                            {rows.get().into_iter().enumerate().map(|(i, (name, share, target))| view! {
                                <div class="tr" data-testid="dist-row">
                                    <span class="name">{name}</span>
                                    <span class="num" data-testid="dist-count">{format::count(t.totals.tier_counts.get(i).copied().unwrap_or(0) as usize)}</span>
                                    <span class="num" data-testid="dist-share">{pct(share)}</span>
                                    <span class="num hint">{pct(target)}</span>
                                </div>
                            }).collect_view()}
                            {(no_tier > 0).then(|| view! {
                                <div class="tr"><span class="name">{tr(LabCompareText::NoTier)}</span><span class="num">{format::count(no_tier as usize)}</span><span></span><span></span></div>
                            })}
                        </div>
                        <DistributionChart rows=rows/>
                        <dl class="kvs lab-kvs">
                            {stat(LabCompareText::Issued, format::count(t.totals.issued.max(0) as usize), "stat-issued")}
                            {stat(LabCompareText::Redeemed, format::count(t.totals.redeemed.max(0) as usize), "stat-redeemed")}
                            {stat(LabCompareText::Expired, format::count(t.totals.expired.max(0) as usize), "stat-expired")}
                            {stat(LabCompareText::Outstanding, format::count(t.totals.outstanding.max(0) as usize), "stat-outstanding")}
                            {stat(LabCompareText::Liability, money(t.totals.liability), "stat-liability")}
                            {stat(LabCompareText::DiscountCost, money(t.totals.discount_cost), "stat-discount")}
                            {stat(LabCompareText::ExpiryEffect, format::count(t.expiry_effect().max(0) as usize), "stat-expiry-effect")}
                            {stat(LabCompareText::Expiring, format::count(t.expiring_30d.max(0) as usize), "stat-expiring")}
                        </dl>
                        {(testid != "compare-current").then(|| view! {
                            <h4>{tr(LabCompareText::MovesTitle)}</h4>
                            {move_list(t.moves.up.clone(), "moves-up", LabCompareText::Up)}
                            {move_list(t.moves.down.clone(), "moves-down", LabCompareText::Down)}
                        })}
                    }.into_any()
                }
            }}
        </section>
    }
}
