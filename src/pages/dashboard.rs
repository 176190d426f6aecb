//! The dashboard: today's work first (birthdays and special days this
//! week, calls due, points expiring this month), then programme health
//! drawn from the engine's figures. Every number opens the members behind
//! it.

use crate::analysis::Shared;
use crate::components::bar_chart::{Bar, BarChart};
use crate::components::paired_bars::{Pair, PairedBars};
use crate::components::pareto_curve::ParetoCurve;
use crate::components::stat_link::StatLink;
use crate::format;
use crate::i18n::{tr, Key};
use crate::member_filter::{tier_href, NamedList, CALLS_PER_YEAR, WEEK_AHEAD};
use crate::state::use_app;
use clientele_engine::analytics::at_risk_vips;
use clientele_engine::analytics::health::Health;
use clientele_engine::care::work::{call_plan, upcoming_days_with, Occasion};
use clientele_engine::members::search::shop_members;
use clientele_engine::points::checkout::scheme_on;
use clientele_engine::points::explain::tier_name;
use clientele_engine::MemberId;
use leptos::prelude::*;

crate::texts!(DashText {
    Today => "今日工作", "Today's work";
    Birthdays => "本周生日与纪念日", "Birthdays & special days this week";
    Calls => "待回访（每年至少 3 次）", "Calls due (3 a year each)";
    Expiring => "本月到期积分", "Points expiring this month";
    ExpiringDetail => "{n} 位会员", "{n} members";
    AtRisk => "有流失风险的 VIP", "VIPs at risk";
    NoneAtRisk => "目前没有流失风险的 VIP。", "No VIP is at risk right now.";
    InsightsUnavailable => "分析暂时无法载入（可能已离线）。数据没有受影响；联网后刷新即可。", "The analysis could not be loaded (offline?). Your data is safe; reload once you are connected.";
    AtStake => "价值", "At stake";
    PAlive => "活跃概率", "P(active)";
    Health => "会员体系健康度", "Programme health";
    Members => "会员人数", "Members";
    NewThisMonth => "本月新增", "New this month";
    Active => "活跃占比", "Active share";
    ActiveDetail => "近 12 个月有消费：{n} 人", "{n} bought in the last 12 months";
    Repeat => "复购率", "Repeat-purchase rate";
    RepeatDetail => "{n} / {of} 位消费会员", "{n} of {of} buyers";
    Churn => "年流失率", "Annual churn";
    ChurnDetail => "去年 {of} 位活跃会员中 {n} 位未再来", "{n} of last year's {of} active did not return";
    Top20 => "前 20% 会员销售占比", "Sales from the top 20%";
    Top20Detail => "{n} 位会员", "{n} members";
    Sales => "近 12 个月会员销售", "Member sales, last 12 months";
    Growth => "每月新增会员", "New members per month";
    Pareto => "二八分布曲线", "Pareto curve";
    ParetoHint => "横轴：按消费额从高到低排列的会员占比；纵轴：他们贡献的销售额占比。虚线为平均分布。",
        "Across: share of buyers, biggest spenders first; up: share of sales they made. The dashed line is an even spread.";
    Tiers => "等级分布与销售", "Tiers: members and sales";
    ColTier => "等级", "Tier";
    ColMembers => "人数", "Members";
    ColShare => "占比", "Share";
    ColTarget => "目标", "Target";
    ColSales => "销售占比", "Share of sales";
    NoTier => "无等级", "No tier";
    Actual => "实际", "Actual";
    Points => "积分", "Points";
    Issued => "已发放", "Issued";
    Redeemed => "已兑换", "Redeemed";
    Expired => "已过期", "Expired";
    Outstanding => "未使用", "Outstanding";
    NothingThisWeek => "本周没有生日或纪念日。在会员资料中填写生日，这里会提前提醒。",
        "No birthdays or special days this week. Add birthdays to member profiles and they show up here in time.";
    NoCalls => "没有到期的回访。", "No calls due.";
    SeeAll => "查看全部 {n} 位", "See all {n}";
    Birthday => "生日", "Birthday";
    Turning => "{n} 岁", "turns {n}";
    DaysAway => "{n} 天后", "in {n} days";
    TodayWord => "今天", "today";
    Overdue => "逾期 {n} 天", "{n} days overdue";
    DueToday => "今天到期", "due today";
    NeverCalled => "从未联系", "never contacted";
});

fn pct(bp: u32) -> String {
    format!("{}.{}%", bp / 100, (bp % 100) / 10)
}

/// How many names each work list shows before "see all".
const SHOWN: usize = 6;

#[component]
pub fn Dashboard() -> impl IntoView {
    let app = use_app();
    let derived = crate::analysis::use_derived();
    let health = derived.shop_health;
    let empty = move || app.store.with(|s| s.members.is_empty());
    view! {
        <h1 class="page-title">{tr(Key::NavDashboard)}</h1>
        <crate::components::shop_picker::ShopPicker/>
        <Show when=move || !empty() fallback=move || view! {
            <p class="card empty" data-testid="dashboard-empty">{tr(Key::DashEmpty)}</p>
        }>
            <TodaysWork health=health/>
            {move || health.get().map(|h| view! { <HealthView h=h/> })}
        </Show>
    }
}

#[component]
fn TodaysWork(health: Memo<Option<Shared<Health>>>) -> impl IntoView {
    let app = use_app();
    let name_of = move |id: MemberId| {
        app.store.with_untracked(|s| {
            s.members
                .iter()
                .find(|m| m.id == id)
                .map(|m| m.name.clone())
                .unwrap_or_default()
        })
    };
    let derived = crate::analysis::use_derived();
    // Its links keep the chosen shop, as its numbers do.
    let within_shop =
        move |href: String| crate::member_filter::within(href, derived.shop.get().as_deref());
    // With a shop chosen, the work is that shop's members'.
    let in_shop = Memo::new(move |_| {
        let shop = derived.shop.get()?;
        Some(Shared(std::sync::Arc::new(app.store.with(|s| {
            shop_members(s, &shop)
                .into_iter()
                .collect::<std::collections::HashSet<_>>()
        }))))
    });
    let mine = move |id: &MemberId| in_shop.with(|x| x.as_ref().is_none_or(|x| x.contains(id)));
    let days = Memo::new(move |_| {
        let today = app.today.get();
        let mut out = app.store.with(|s| {
            upcoming_days_with(
                &s.members,
                today,
                WEEK_AHEAD,
                s.scheme_on(today).leap_birthday,
            )
        });
        out.retain(|d| mine(&d.member));
        out
    });
    let calls = Memo::new(move |_| {
        let today = app.today.get();
        app.store.with(|s| {
            call_plan(&s.members, &s.care, today, CALLS_PER_YEAR)
                .into_iter()
                .filter(|c| c.days_overdue >= 0 && mine(&c.member))
                .collect::<Vec<_>>()
        })
    });
    // The model fit behind it takes half a second at 100k members: the
    // dashboard is painted first.
    let painted = crate::analysis::painted();
    crate::analysis::after_paint(crate::analysis::retry_insights);
    let at_risk = Memo::new(move |_| {
        painted
            .get()
            .then(|| derived.shop_analysis.get())
            .flatten()
            .map(|a| at_risk_vips(&a))
    });
    let t = move |k: DashText| app.t(k);
    let n_days = move || {
        // One member may have several days this week: count people.
        let mut ids: Vec<MemberId> = days.with(|d| d.iter().map(|u| u.member).collect());
        clientele_engine::order::sort_by_key_pair(&mut ids, |m| (m.sort_key(), 0));
        ids.dedup();
        ids.len()
    };
    view! {
        <section class="card today" data-testid="today">
            <h2>{tr(DashText::Today)}</h2>
            <crate::components::today_counts::TodayCounts shop=derived.shop/>
            <div class="stats">
                <StatLink testid="stat-birthdays" label=Signal::derive(move || t(DashText::Birthdays).to_string())
                    value=Signal::derive(move || format::count(n_days()))
                    href=Signal::derive(move || within_shop(NamedList::Birthdays.href()))/>
                <StatLink testid="stat-calls" label=Signal::derive(move || t(DashText::Calls).to_string())
                    value=Signal::derive(move || format::count(calls.with(|c| c.len())))
                    href=Signal::derive(move || within_shop(NamedList::Calls.href()))/>
                <StatLink testid="stat-expiring" label=Signal::derive(move || t(DashText::Expiring).to_string())
                    value=Signal::derive(move || format::count(health.with(|h| h.as_ref().map_or(0, |h| h.expiring_points.max(0) as usize))))
                    detail=Signal::derive(move || t(DashText::ExpiringDetail).replace("{n}", &health.with(|h| h.as_ref().map_or(0, |h| h.expiring_this_month.len())).to_string()))
                    href=Signal::derive(move || within_shop(NamedList::Expiring.href()))/>
                <StatLink testid="stat-at-risk" label=Signal::derive(move || t(DashText::AtRisk).to_string())
                    value=Signal::derive(move || at_risk.with(|r| r.as_ref().map_or_else(|| "…".to_string(), |r| format::count(r.len()))))
                    href=Signal::derive(move || within_shop(NamedList::AtRisk.href()))/>
            </div>
            <div class="work-lists">
                <div class="work-list" data-testid="birthday-list">
                    <h3>{tr(DashText::Birthdays)}</h3>
                    <Show when=move || days.with(|d| !d.is_empty()) fallback=move || view! {
                        <p class="hint">{tr(DashText::NothingThisWeek)}</p>
                    }>
                        <ul>
                            {move || days.get().into_iter().take(SHOWN).map(|u| {
                                let what = match &u.occasion {
                                    Occasion::Birthday => match u.turning {
                                        Some(n) => format!("{} · {}", t(DashText::Birthday), t(DashText::Turning).replace("{n}", &n.to_string())),
                                        None => t(DashText::Birthday).to_string(),
                                    },
                                    Occasion::FamilyBirthday { relation, name } => format!("{relation} {name} · {}", t(DashText::Birthday)),
                                    Occasion::SpecialDay { label } => label.clone(),
                                };
                                let when = if u.days_away == 0 { t(DashText::TodayWord).to_string() } else { t(DashText::DaysAway).replace("{n}", &u.days_away.to_string()) };
                                view! {
                                    <li><a class="work-item" href=format!("members/{}", u.member.0)>
                                        <span class="name">{name_of(u.member)}</span>
                                        <span class="hint">{what} " · " {when}</span>
                                    </a></li>
                                }
                            }).collect_view()}
                        </ul>
                        <Show when=move || days.with(|d| d.len() > SHOWN)>
                            <a class="btn" href=move || within_shop(NamedList::Birthdays.href())>{move || t(DashText::SeeAll).replace("{n}", &n_days().to_string())}</a>
                        </Show>
                    </Show>
                </div>
                <div class="work-list" data-testid="call-list">
                    <h3>{tr(DashText::Calls)}</h3>
                    <Show when=move || calls.with(|c| !c.is_empty()) fallback=move || view! {
                        <p class="hint">{tr(DashText::NoCalls)}</p>
                    }>
                        <ul>
                            {move || calls.get().into_iter().take(SHOWN).map(|c| {
                                let status = if c.days_overdue == 0 { t(DashText::DueToday).to_string() } else { t(DashText::Overdue).replace("{n}", &c.days_overdue.to_string()) };
                                let last = if c.last_contact.is_none() { format!(" · {}", t(DashText::NeverCalled)) } else { String::new() };
                                view! {
                                    <li><a class="work-item" href=format!("members/{}", c.member.0)>
                                        <span class="name">{name_of(c.member)}</span>
                                        <span class="hint">{status}{last}</span>
                                    </a></li>
                                }
                            }).collect_view()}
                        </ul>
                        <Show when=move || calls.with(|c| c.len() > SHOWN)>
                            <a class="btn" href=move || within_shop(NamedList::Calls.href())>{move || t(DashText::SeeAll).replace("{n}", &format::count(calls.with(|c| c.len())))}</a>
                        </Show>
                    </Show>
                </div>
                <div class="work-list" data-testid="at-risk-list">
                    <h3>{tr(DashText::AtRisk)}</h3>
                    <Show when=move || at_risk.with(|r| r.as_ref().is_some_and(|r| !r.is_empty())) fallback=move || view! {
                        <p class="hint">{move || match at_risk.with(Option::is_some) {
                            true => t(DashText::NoneAtRisk),
                            false if crate::analysis::insights_missing() => t(DashText::InsightsUnavailable),
                            false => "…",
                        }}</p>
                    }>
                        <ul>
                            {move || at_risk.get().into_iter().flatten().take(SHOWN).map(|v| {
                                let stake = app.store.with_untracked(|s| format::money(&s.settings, v.value_at_stake));
                                let p = v.p_alive.map(|p| format!(" · {} {}", t(DashText::PAlive), crate::format::percent(p))).unwrap_or_default();
                                view! {
                                    <li><a class="work-item" href=format!("members/{}", v.member.0)>
                                        <span class="name">{name_of(v.member)}</span>
                                        <span class="hint">{t(DashText::AtStake)} " " {stake}{p}</span>
                                    </a></li>
                                }
                            }).collect_view()}
                        </ul>
                        <Show when=move || at_risk.with(|r| r.as_ref().is_some_and(|r| r.len() > SHOWN))>
                            <a class="btn" href=move || within_shop(NamedList::AtRisk.href())>{move || t(DashText::SeeAll).replace("{n}", &format::count(at_risk.with(|r| r.as_ref().map_or(0, Vec::len))))}</a>
                        </Show>
                    </Show>
                </div>
            </div>
        </section>
    }
}

#[component]
fn HealthView(h: Shared<Health>) -> impl IntoView {
    let app = use_app();
    // Drawn again for each shop chosen (its health is the shop's).
    let shop = crate::analysis::use_derived().shop.get_untracked();
    let within_shop = move |href: String| crate::member_filter::within(href, shop.as_deref());
    let t = move |k: DashText| app.t(k);
    let money = move |m| {
        app.store
            .with_untracked(|s| format::money_total(&s.settings, m))
    };
    let label = move |k: DashText| Signal::derive(move || t(k).to_string());
    let detail = move |k: DashText, n: usize, of: u32| {
        Signal::derive(move || {
            t(k).replace("{n}", &format::count(n))
                .replace("{of}", &format::count(of as usize))
        })
    };
    let growth: Vec<Bar> = h
        .growth
        .iter()
        .map(|g| Bar {
            label: format!("{}", g.month),
            value: i64::from(g.joined),
            text: g.joined.to_string(),
        })
        .collect();
    let pareto = h.pareto.clone();
    let top20_text = format!("20% → {}", pct(h.top20_sales_bp));
    let scheme = app
        .store
        .with_untracked(|s| scheme_on(s, app.today.get_untracked()));
    let tier_label = move |tier: Option<u8>| match tier {
        Some(i) => tier_name(&scheme, Some(i), app.explain_lang()),
        None => t(DashText::NoTier).to_string(),
    };
    let tiers = h.tiers.clone();
    let pairs = {
        let tiers = tiers.clone();
        let tier_label = tier_label.clone();
        Signal::derive(move || {
            tiers
                .iter()
                .filter(|r| r.tier.is_some())
                .map(|r| Pair {
                    label: tier_label(r.tier),
                    actual_bp: r.member_share_bp,
                    target_bp: r.target_bp,
                })
                .collect::<Vec<_>>()
        })
    };
    let (active_n, repeat_n, churn_n, top_n, new_n) = (
        h.active.len(),
        h.repeaters.len(),
        h.churned.len(),
        h.top20.len(),
        h.joined_this_month.len(),
    );
    view! {
        <section class="card" data-testid="health">
            <h2>{tr(DashText::Health)}</h2>
            <div class="stats" data-testid="dashboard-stats">
                <StatLink testid="stat-members" label=label(DashText::Members) value=format::count(h.members as usize) href=within_shop("members".to_string())/>
                <StatLink testid="stat-new" label=label(DashText::NewThisMonth) value=format::count(new_n) href=within_shop(NamedList::New.href())/>
                <StatLink testid="stat-active" label=label(DashText::Active) value=pct(h.active_bp)
                    detail=detail(DashText::ActiveDetail, active_n, 0) href=within_shop(NamedList::Active.href())/>
                <StatLink testid="stat-repeat" label=label(DashText::Repeat) value=pct(h.repeat_bp)
                    detail=detail(DashText::RepeatDetail, repeat_n, h.buyers) href=within_shop(NamedList::Repeat.href())/>
                <StatLink testid="stat-churn" label=label(DashText::Churn) value=pct(h.churn_bp)
                    detail=detail(DashText::ChurnDetail, churn_n, h.previous_year_active) href=within_shop(NamedList::Churned.href())/>
                <StatLink testid="stat-top20" label=label(DashText::Top20) value=pct(h.top20_sales_bp)
                    detail=detail(DashText::Top20Detail, top_n, 0) href=within_shop(NamedList::Top20.href())/>
                <StatLink testid="stat-sales" label=label(DashText::Sales) value=money(h.sales_12m) href=within_shop(NamedList::Active.href())/>
            </div>
            <div class="chart-grid">
                <figure>
                    <figcaption>{tr(DashText::Growth)}</figcaption>
                    <BarChart bars=growth title=label(DashText::Growth)/>
                </figure>
                <figure>
                    <figcaption>{tr(DashText::Pareto)}</figcaption>
                    <ParetoCurve points=pareto title=label(DashText::Pareto) marker=top20_text/>
                    <p class="hint">{tr(DashText::ParetoHint)}</p>
                </figure>
            </div>
        </section>
        <section class="card" data-testid="tiers">
            <h2>{tr(DashText::Tiers)}</h2>
            <div class="table dash-tiers">
                <div class="tr th">
                    <span>{tr(DashText::ColTier)}</span>
                    <span class="num">{tr(DashText::ColMembers)}</span>
                    <span class="num">{tr(DashText::ColShare)}</span>
                    <span class="num">{tr(DashText::ColTarget)}</span>
                    <span class="num">{tr(DashText::ColSales)}</span>
                </div>
                {tiers.into_iter().map(|r| {
                    let tier_label = tier_label.clone();
                    let href = match r.tier { Some(i) => within_shop(tier_href(i)), None => crate::member_filter::ids_href(&r.members) };
                    let n = r.members.len();
                    view! {
                        <a class="tr" href=href data-testid="tier-row">
                            <span class="name">{move || tier_label(r.tier)}</span>
                            <span class="num">{format::count(n)}</span>
                            <span class="num">{pct(r.member_share_bp)}</span>
                            <span class="num hint">{pct(r.target_bp)}</span>
                            <span class="num">{pct(r.sales_share_bp)}</span>
                        </a>
                    }
                }).collect_view()}
            </div>
            <PairedBars pairs=pairs title=label(DashText::Tiers) actual=label(DashText::Actual) target=label(DashText::ColTarget)/>
        </section>
        <section class="card" data-testid="points">
            <h2>{tr(DashText::Points)}</h2>
            <div class="stats">
                <StatLink testid="stat-issued" label=label(DashText::Issued) value=format::count(h.points.issued.max(0) as usize) href="points".to_string()/>
                <StatLink testid="stat-redeemed" label=label(DashText::Redeemed) value=format::count(h.points.redeemed.max(0) as usize) href="points".to_string()/>
                <StatLink testid="stat-expired" label=label(DashText::Expired) value=format::count(h.points.expired.max(0) as usize) href="points".to_string()/>
                <StatLink testid="stat-outstanding" label=label(DashText::Outstanding) value=format::count(h.points.outstanding.max(0) as usize) href="points".to_string()/>
            </div>
        </section>
    }
}
