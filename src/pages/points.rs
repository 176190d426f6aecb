//! Points & Tiers: the scheme in force, where members sit on the ladder
//! against the target pyramid, the points liability, and the thresholds
//! that would produce a target pyramid on this store's own data.

use crate::components::lab_field::scheme_name;
use crate::format;
use crate::i18n::tr;
use crate::state::use_app;
use clientele_engine::points::calibrate::{
    metric_values_from, shares_for_thresholds, thresholds_for_shares, WHOLE,
};
use clientele_engine::points::checkout::scheme_on;
use clientele_engine::points::explain::tier_name;
use clientele_engine::points::scheme::ExpiryPolicy;
use clientele_engine::points::tiers::Metric;
use clientele_engine::Money;
use leptos::prelude::*;

crate::texts!(PointsPageText {
    Title => "积分与等级", "Points & Tiers";
    Scheme => "当前方案", "Scheme in force";
    Rate => "积分规则", "Earning";
    PerYuan => "每消费 {per} 得 {points} 分", "{points} point(s) per {per} spent";
    Band => "单笔 {from} 起 ×{mult}", "Receipts from {from}: ×{mult}";
    Rounding => "每张小票计算一次，向下取整到整数积分。", "Worked out once per receipt and rounded down to whole points.";
    Expiry => "有效期", "Expiry";
    Never => "永久有效", "Never expire";
    AfterDays => "获得后 {n} 天内有效", "Valid {n} days after earning";
    EndOfMonth => "获得后第 {n} 个月月底到期", "Expire at the end of the {n}th month after earning";
    Annual => "每年 {m} 月 {d} 日清零", "Cleared every year on {d}/{m}";
    Inactive => "连续 {n} 个月无活动则清零", "Whole balance lapses after {n} months without activity";
    Ladder => "会员等级", "Tier ladder";
    ColTier => "等级", "Tier";
    ColThreshold => "门槛", "Threshold";
    ColMembers => "人数", "Members";
    ColShare => "占比", "Share";
    ColTarget => "目标", "Target";
    ColBenefit => "权益", "Benefits";
    Discount => "{n}% 折扣", "{n}% off";
    Multiplier => "积分 ×{n}", "points ×{n}";
    Liability => "积分负债", "Points liability";
    Issued => "已发放", "Issued";
    Redeemed => "已兑换", "Redeemed";
    Expired => "已过期", "Expired";
    Outstanding => "未使用", "Outstanding";
    LiabilityMoney => "折合金额", "Worth";
    DiscountCost => "等级折扣成本", "Tier discount cost";
    Calibrate => "按目标比例反推门槛", "Thresholds for a target pyramid";
    CalibrateHint => "输入高等级会员的目标占比（%），系统在本店数据上算出需要的门槛。门槛值等于会员的值时算达标；同值的会员不会被拆开。",
        "Enter the share of members you want in each upper tier (%); the thresholds that produce it on this store's data are worked out. A value equal to a threshold qualifies; members with equal values are never split.";
    Suggested => "建议门槛", "Suggested threshold";
    Resulting => "得到的占比", "Resulting share";
    SharesTooHigh => "目标占比合计超过 100%。", "The target shares add up to more than 100%.";
    NoMembers => "还没有会员数据。", "No member data yet.";
    Chart => "实际占比与目标对比", "Actual share against target";
    Actual => "实际", "Actual";
    Rewards => "兑换目录", "Rewards catalogue";
    OpenLab => "打开方案实验室：编辑、并排比较、应用新方案", "Open the scheme lab: edit, compare side by side, apply a new scheme";
});

/// The common target pyramid, lowest tier first (DOMAIN.md section 4).
fn pct(bp: u32) -> String {
    format!("{}.{}%", bp / 100, (bp % 100) / 10)
}

#[component]
pub fn Points() -> impl IntoView {
    let app = use_app();
    let scheme = Memo::new(move |_| {
        let today = app.today.get();
        app.store.with(|s| scheme_on(s, today))
    });
    // The shared replay: leaving and coming back does not replay again.
    let derived = crate::analysis::use_derived();
    let replay = Memo::new(move |_| {
        derived
            .replay
            .with(|r| r.as_ref().map(|r| r.totals.clone()))
    });
    let target = RwSignal::new(Vec::<String>::new());
    Effect::new(move |_| {
        let n = scheme.with(|s| s.tiers.tiers.len());
        target.set(
            clientele_engine::analytics::health::target_shares(n)
                .iter()
                .skip(1)
                .map(|bp| (bp / 100).to_string())
                .collect(),
        );
    });
    let lang = move || app.explain_lang();
    let money = move |m: Money| app.store.with_untracked(|s| format::money(&s.settings, m));
    let metric_text = move |metric: Metric, v: i64| {
        if metric.is_money() {
            money(Money(v))
        } else {
            v.to_string()
        }
    };
    let tier_rows = move || {
        let s = scheme.get();
        let totals = replay.get();
        let counts = totals
            .as_ref()
            .map(|t| t.tier_counts.clone())
            .unwrap_or_default();
        let all: u32 = counts.iter().sum::<u32>() + totals.as_ref().map_or(0, |t| t.no_tier);
        let targets = clientele_engine::analytics::health::target_shares(s.tiers.tiers.len());
        s.tiers
            .tiers
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let c = counts.get(i).copied().unwrap_or(0);
                let share = (c * WHOLE).checked_div(all).unwrap_or(0);
                let mut benefits = Vec::new();
                if t.benefits.discount_percent > 0 {
                    benefits.push(
                        app.t(PointsPageText::Discount)
                            .replace("{n}", &t.benefits.discount_percent.to_string()),
                    );
                }
                let m = t.benefits.points_multiplier.0;
                if m != 1000 && m != 0 {
                    benefits.push(
                        app.t(PointsPageText::Multiplier)
                            .replace("{n}", &format!("{}.{}", m / 1000, (m % 1000) / 100)),
                    );
                }
                benefits.extend(t.benefits.services.iter().cloned());
                let metric = s.tiers.metric_of(i);
                (
                    tier_name(&s, Some(i as _), lang()),
                    metric_text(metric, t.threshold),
                    c,
                    share,
                    targets.get(i).copied().unwrap_or(0),
                    benefits.join(" · "),
                )
            })
            .collect::<Vec<_>>()
    };
    let calibration = Memo::new(move |_| {
        let today = app.today.get();
        let s = scheme.get();
        let metric = s.tiers.metric;
        let shares: Vec<u32> = target.with(|t| {
            t.iter()
                .map(|x| {
                    x.trim()
                        .parse::<f64>()
                        .map(|p| (p * 100.0).round().max(0.0) as u32)
                        .unwrap_or(0)
                })
                .collect()
        });
        app.store.with(|st| {
            let values: Vec<i64> = metric_values_from(st, metric, s.tiers.growth_year_start, today)
                .into_iter()
                .map(|(_, v)| v)
                .collect();
            let current: Vec<i64> = s.tiers.tiers.iter().skip(1).map(|t| t.threshold).collect();
            let now = shares_for_thresholds(&values, &current);
            thresholds_for_shares(&values, &shares).map(|c| (c, now, metric))
        })
    });
    let expiry = move || {
        let t = |k| app.t(k);
        match scheme.get().expiry {
            ExpiryPolicy::Never => t(PointsPageText::Never).to_string(),
            ExpiryPolicy::AfterDays { days } => {
                t(PointsPageText::AfterDays).replace("{n}", &days.to_string())
            }
            ExpiryPolicy::EndOfMonthAfter { months } => {
                t(PointsPageText::EndOfMonth).replace("{n}", &months.to_string())
            }
            ExpiryPolicy::AnnualClear { month, day, .. } => t(PointsPageText::Annual)
                .replace("{m}", &month.to_string())
                .replace("{d}", &day.to_string()),
            ExpiryPolicy::Inactivity { months } => {
                t(PointsPageText::Inactive).replace("{n}", &months.to_string())
            }
        }
    };
    view! {
        <h1 class="page-title">{tr(PointsPageText::Title)}</h1>
        <section class="card">
            <h2>{tr(PointsPageText::Scheme)} ": " {move || scheme_name(app.lang.get(), &scheme.get().name)}</h2>
            <dl class="kvs">
                <div class="kv"><dt>{tr(PointsPageText::Rate)}</dt><dd>
                    {move || { let e = scheme.get().earning; app.t(PointsPageText::PerYuan).replace("{per}", &money(e.per)).replace("{points}", &e.points.to_string()) }}
                    {move || scheme.get().earning.bands.iter().map(|b| view! {
                        <br/>{app.t(PointsPageText::Band).replace("{from}", &money(b.from)).replace("{mult}", &format!("{}.{}", b.multiplier.0 / 1000, (b.multiplier.0 % 1000) / 100))}
                    }).collect_view()}
                    <br/><span class="hint">{tr(PointsPageText::Rounding)}</span>
                </dd></div>
                <div class="kv"><dt>{tr(PointsPageText::Expiry)}</dt><dd>{expiry}</dd></div>
                <div class="kv"><dt>{tr(PointsPageText::Rewards)}</dt><dd>
                    {move || scheme.get().rewards.iter().map(|r| format!("{} ({})", r.name, r.points)).collect::<Vec<_>>().join(" · ")}
                </dd></div>
            </dl>
        </section>
        <section class="card">
            <h2>{tr(PointsPageText::Liability)}</h2>
            {move || replay.get().map(|t| view! {
                <div class="stats" data-testid="points-totals">
                    <div class="stat"><span class="stat-value">{format::count(t.issued.max(0) as usize)}</span><span class="stat-label">{app.t(PointsPageText::Issued)}</span></div>
                    <div class="stat"><span class="stat-value">{format::count(t.redeemed.max(0) as usize)}</span><span class="stat-label">{app.t(PointsPageText::Redeemed)}</span></div>
                    <div class="stat"><span class="stat-value">{format::count(t.expired.max(0) as usize)}</span><span class="stat-label">{app.t(PointsPageText::Expired)}</span></div>
                    <div class="stat"><span class="stat-value">{format::count(t.outstanding.max(0) as usize)}</span><span class="stat-label">{app.t(PointsPageText::Outstanding)}</span></div>
                    <div class="stat"><span class="stat-value">{money(t.liability)}</span><span class="stat-label">{app.t(PointsPageText::LiabilityMoney)}</span></div>
                    <div class="stat"><span class="stat-value">{money(t.discount_cost)}</span><span class="stat-label">{app.t(PointsPageText::DiscountCost)}</span></div>
                </div>
            })}
        </section>
        <section class="card">
            <h2>{tr(PointsPageText::Ladder)}</h2>
            <div class="table tiers-table" data-testid="tier-table">
                <div class="tr th">
                    <span>{tr(PointsPageText::ColTier)}</span>
                    <span class="num">{tr(PointsPageText::ColThreshold)}</span>
                    <span class="num">{tr(PointsPageText::ColMembers)}</span>
                    <span class="num">{tr(PointsPageText::ColShare)}</span>
                    <span class="num">{tr(PointsPageText::ColTarget)}</span>
                    <span>{tr(PointsPageText::ColBenefit)}</span>
                </div>
                {move || tier_rows().into_iter().map(|(name, threshold, count, share, target, benefits)| view! {
                    <div class="tr">
                        <span class="name">{name}</span>
                        <span class="num">{threshold}</span>
                        <span class="num">{format::count(count as usize)}</span>
                        <span class="num">{pct(share)}</span>
                        <span class="num hint">{pct(target)}</span>
                        <span class="hint">{benefits}</span>
                    </div>
                }).collect_view()}
            </div>
            <h2>{tr(PointsPageText::Chart)}</h2>
            <svg class="chart" viewBox="0 0 400 160" role="img" aria-label=move || app.t(PointsPageText::Chart)>
                {move || {
                    let rows = tier_rows();
                    let n = rows.len().max(1) as u32;
                    let w = 360 / n;
                    rows.into_iter().enumerate().map(|(i, (name, _, _, share, target, _))| {
                        let x = 30 + i as u32 * w;
                        let h = |bp: u32| (bp.min(WHOLE) * 120 / WHOLE).max(1);
                        view! {
                            <rect x=x y=130 - h(share) width=w / 3 height=h(share) class="bar-actual"/>
                            <rect x=x + w / 3 + 2 y=130 - h(target) width=w / 3 height=h(target) class="bar-target"/>
                            <text x=x y=146 class="axis">{name}</text>
                            <text x=x y=126 - h(share) class="axis">{pct(share)}</text>
                        }
                    }).collect_view()
                }}
                <rect x=250 y=4 width=10 height=10 class="bar-actual"/>
                <text x=264 y=13 class="axis">{tr(PointsPageText::Actual)}</text>
                <rect x=310 y=4 width=10 height=10 class="bar-target"/>
                <text x=324 y=13 class="axis">{tr(PointsPageText::ColTarget)}</text>
            </svg>
        </section>
        <section class="card">
            <h2>{tr(PointsPageText::Calibrate)}</h2>
            <p class="hint">{tr(PointsPageText::CalibrateHint)}</p>
            <div class="table calib-table" data-testid="calibrate">
                <div class="tr th">
                    <span>{tr(PointsPageText::ColTier)}</span>
                    <span class="num">{tr(PointsPageText::ColTarget)}</span>
                    <span class="num">{tr(PointsPageText::Suggested)}</span>
                    <span class="num">{tr(PointsPageText::Resulting)}</span>
                </div>
                {move || {
                    let s = scheme.get();
                    let cal = calibration.get();
                    (1..s.tiers.tiers.len()).map(|i| {
                        let (suggested, result) = match &cal {
                            Ok((c, _, metric)) => (
                                c.thresholds.get(i - 1).map(|v| metric_text(*metric, *v)).unwrap_or_default(),
                                c.shares_bp.get(i).map(|bp| pct(*bp)).unwrap_or_default(),
                            ),
                            Err(_) => (String::new(), String::new()),
                        };
                        view! {
                            <div class="tr">
                                <span class="name">{tier_name(&s, Some(i as _), lang())}</span>
                                <span class="num"><input type="number" min="0" max="100" step="0.1" class="short" data-testid="target-share"
                                    prop:value=move || target.with(|t| t.get(i - 1).cloned().unwrap_or_default())
                                    on:input=move |ev| { let v = event_target_value(&ev); target.update(|t| if let Some(x) = t.get_mut(i - 1) { *x = v }) }/> "%"</span>
                                <span class="num" data-testid="suggested-threshold">{suggested}</span>
                                <span class="num" data-testid="resulting-share">{result}</span>
                            </div>
                        }
                    }).collect_view()
                }}
            </div>
            {move || calibration.get().err().map(|e| {
                let k = match e {
                    clientele_engine::points::calibrate::CalibrateError::SharesAboveWhole { .. } => PointsPageText::SharesTooHigh,
                    clientele_engine::points::calibrate::CalibrateError::NoMembers => PointsPageText::NoMembers,
                };
                view! { <p class="error" role="alert">{tr(k)}</p> }
            })}
            <div class="actions"><a class="btn primary" href="points/lab" data-testid="open-lab">{tr(PointsPageText::OpenLab)}</a></div>
        </section>
    }
}
