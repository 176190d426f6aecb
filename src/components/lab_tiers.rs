//! The tier ladder of a candidate scheme: names, thresholds, the measure
//! each tier is judged on, entry and growth rules, and tier benefits.

use crate::components::lab_field::{
    amount_text, cell_input, field_error, input, milli_text, parse_amount, parse_int, parse_milli,
    problem_of,
};
use crate::i18n::tr;
use clientele_engine::points::rules::{Milli, SchemeField};
use clientele_engine::points::scheme::Scheme;
use clientele_engine::points::tiers::{Benefits, EntryMode, GrowthMode, Metric, Tier, YearStart};
use leptos::prelude::*;

crate::texts!(LabTierText {
    Title => "会员等级", "Tiers";
    LadderMetric => "升级依据", "Tiers are judged on";
    LifetimeSpend => "累计消费", "Lifetime spend";
    Last12 => "近 12 个月消费", "Spend in the last 12 months";
    CalendarYear => "本年度消费", "Spend this calendar year";
    PurchaseCount => "消费笔数", "Number of purchases";
    SingleDay => "单日最高消费（近 12 个月）", "Biggest single day (last 12 months)";
    SameAsLadder => "同上", "As the ladder";
    CellLifetime => "累计", "Lifetime";
    CellLast12 => "近 12 月", "12 months";
    CellYear => "本年度", "This year";
    CellCount => "笔数", "Purchases";
    CellDay => "单日最高", "Best day";
    Entry => "入会方式", "Entry";
    Open => "开放型", "Open";
    OpenHint => "入会即为最低等级。", "Every member starts in the lowest tier.";
    Restricted => "限制型", "Restricted";
    RestrictedHint => "达到最低门槛才有等级。", "A tier only once the lowest threshold is met.";
    Growth => "等级变动", "Tier changes";
    UpOnly => "只升不降", "Upgrade only";
    UpOnlyHint => "达到门槛即升级，不会降级。", "Members move up on reaching a threshold and never down.";
    UpDown => "升降级", "Up and down";
    UpDownHint => "有效期满后重新评定，可能降级。", "Re-assessed when the validity ends; members may drop.";
    Validity => "有效期（月）", "Validity (months)";
    MaxDrop => "每次最多降几级", "Most tiers dropped at once";
    YearEnd => "保级到达到等级后次年年底（自然年保级）", "Held to the end of the calendar year after it is reached";
    YearStart => "年度消费起算日（月-日，留空为 1 月 1 日）", "Year of spend starts on (month-day; empty for 1 January)";
    ColEntry => "升级礼积分", "Entry reward (points)";
    ColEntryGift => "升级礼品", "Entry gift";
    NoGift => "无礼品", "No gift";
    ColName => "名称", "Name";
    ColNameEn => "英文名", "English name";
    ColThreshold => "门槛", "Threshold";
    ColMetric => "指标", "Measure";
    ColDiscount => "折扣 %", "Discount %";
    ColMultiplier => "积分倍数", "Points ×";
    ColServices => "服务（逗号分隔）", "Services (comma separated)";
    Add => "添加等级", "Add a tier";
    Remove => "删除", "Remove";
});

/// The words for a measure.
pub fn metric_key(m: Metric) -> LabTierText {
    match m {
        Metric::LifetimeSpend => LabTierText::LifetimeSpend,
        Metric::SpendLast12Months => LabTierText::Last12,
        Metric::SpendCalendarYear => LabTierText::CalendarYear,
        Metric::PurchaseCount => LabTierText::PurchaseCount,
        Metric::SingleDaySpend => LabTierText::SingleDay,
    }
}

/// The short words for a measure in a table cell (the column header says
/// "measure"; the cell is too narrow for the full words).
fn metric_cell_key(m: Metric) -> LabTierText {
    match m {
        Metric::LifetimeSpend => LabTierText::CellLifetime,
        Metric::SpendLast12Months => LabTierText::CellLast12,
        Metric::SpendCalendarYear => LabTierText::CellYear,
        Metric::PurchaseCount => LabTierText::CellCount,
        Metric::SingleDaySpend => LabTierText::CellDay,
    }
}

fn metric_code(m: Metric) -> &'static str {
    match m {
        Metric::LifetimeSpend => "lifetime",
        Metric::SpendLast12Months => "last12",
        Metric::SpendCalendarYear => "year",
        Metric::PurchaseCount => "count",
        Metric::SingleDaySpend => "day",
    }
}

fn metric_from(code: &str) -> Option<Metric> {
    Metric::ALL.into_iter().find(|m| metric_code(*m) == code)
}

#[component]
pub fn TierEditor(scheme: RwSignal<Scheme>) -> impl IntoView {
    let problem = problem_of(scheme);
    let len = Memo::new(move |_| scheme.with(|s| s.tiers.tiers.len()));
    let growth_months = move || match scheme.with(|s| s.tiers.growth) {
        GrowthMode::UpgradeDowngrade {
            validity_months,
            max_drop,
        } => Some((validity_months, max_drop)),
        GrowthMode::UpgradeOnly => None,
    };
    let row = move |i: usize| {
        let tier = move |f: fn(&Tier) -> String| {
            move || scheme.with(|s| s.tiers.tiers.get(i).map(f).unwrap_or_default())
        };
        let edit = move |f: fn(&mut Tier, String)| {
            move |v: String| {
                scheme.update(|s| {
                    if let Some(t) = s.tiers.tiers.get_mut(i) {
                        f(t, v)
                    }
                })
            }
        };
        let threshold_text = move || {
            scheme.with(|s| {
                let t = s.tiers.tiers.get(i).map_or(0, |t| t.threshold);
                if s.tiers.metric_of(i).is_money() {
                    amount_text(t)
                } else {
                    t.to_string()
                }
            })
        };
        let set_threshold = move |v: String| {
            scheme.update(|s| {
                let parsed = if s.tiers.metric_of(i).is_money() {
                    parse_amount(&v).or_else(|| parse_int(&v).map(|x| x * 100))
                } else {
                    parse_int(&v)
                };
                if let (Some(x), Some(t)) = (parsed, s.tiers.tiers.get_mut(i)) {
                    t.threshold = x;
                }
            })
        };
        let own_metric = move || scheme.with(|s| s.tiers.tiers.get(i).and_then(|t| t.metric));
        view! {
            <div class="tr" data-testid="lab-tier-row">
                <span>{cell_input("tier-name", LabTierText::ColName, tier(|t| t.name.clone()), edit(|t, v| t.name = v.trim().to_string()))}</span>
                <span>{cell_input("tier-name-en", LabTierText::ColNameEn, tier(|t| t.name_en.clone()), edit(|t, v| t.name_en = v.trim().to_string()))}</span>
                <span>{cell_input("tier-threshold", LabTierText::ColThreshold, threshold_text, set_threshold)}</span>
                <span class="cell-wide"><label class="cell-field">
                    <span class="cell-label">{tr(LabTierText::ColMetric)}</span>
                    <select class="cell" on:change=move |ev| {
                        let m = metric_from(&event_target_value(&ev));
                        scheme.update(|s| if let Some(t) = s.tiers.tiers.get_mut(i) { t.metric = m });
                    }>
                        <option value="" selected=move || own_metric().is_none()>{tr(LabTierText::SameAsLadder)}</option>
                        {Metric::ALL.into_iter().map(|m| view! {
                            <option value=metric_code(m) selected=move || own_metric() == Some(m)>{tr(metric_cell_key(m))}</option>
                        }).collect_view()}
                    </select>
                </label></span>
                <span>{cell_input("tier-discount", LabTierText::ColDiscount, tier(|t| t.benefits.discount_percent.to_string()),
                    edit(|t, v| if let Ok(x) = v.trim().parse::<u8>() { t.benefits.discount_percent = x.min(99) }))}</span>
                <span>{cell_input("tier-multiplier", LabTierText::ColMultiplier, tier(|t| milli_text(t.benefits.points_multiplier.0)),
                    edit(|t, v| if let Some(x) = parse_milli(&v) { t.benefits.points_multiplier = Milli(x) }))}</span>
                <span class="entry-cell">{cell_input("tier-entry-points", LabTierText::ColEntry, tier(|t| t.benefits.entry_points.to_string()),
                    edit(|t, v| if let Some(x) = parse_int(&v) { t.benefits.entry_points = x }))}
                    // A reward of the catalogue given on reaching the tier (升级礼品).
                    <label class="cell-field">
                        <span class="cell-label">{tr(LabTierText::ColEntryGift)}</span>
                        <select class="cell" data-testid="tier-entry-reward" on:change=move |ev| {
                            let id = event_target_value(&ev);
                            scheme.update(|s| if let Some(t) = s.tiers.tiers.get_mut(i) {
                                t.benefits.entry_reward = (!id.is_empty()).then_some(id);
                            });
                        }>
                            <option value="" selected=move || scheme.with(|s| s.tiers.tiers.get(i).is_some_and(|t| t.benefits.entry_reward.is_none()))>{tr(LabTierText::NoGift)}</option>
                            {move || scheme.with(|s| s.rewards.clone()).into_iter().map(|r| {
                                let id = r.id.clone();
                                view! {
                                    <option value=r.id.clone() selected=move || scheme.with(|s| s.tiers.tiers.get(i).and_then(|t| t.benefits.entry_reward.clone()) == Some(id.clone()))>{r.name.clone()}</option>
                                }
                            }).collect_view()}
                        </select>
                    </label>
                </span>
                <span class="cell-wide">{cell_input("tier-services", LabTierText::ColServices, tier(|t| t.benefits.services.join(", ")),
                    edit(|t, v| t.benefits.services = v.split([',', '，', '、']).map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect()))}</span>
                <span>
                    <button class="btn small" type="button" data-testid="tier-remove"
                        disabled=move || len.get() <= 1
                        on:click=move |_| scheme.update(|s| { if s.tiers.tiers.len() > 1 && i < s.tiers.tiers.len() { s.tiers.tiers.remove(i); } })>
                        {tr(LabTierText::Remove)}
                    </button>
                </span>
                <span class="row-error">{field_error(problem, SchemeField::Tier(i))}</span>
            </div>
        }
    };
    view! {
        <fieldset class="lab-group" data-testid="lab-tiers">
            <legend>{tr(LabTierText::Title)}</legend>
            <div class="lab-fields top">
                <label class="field lab-field long">
                    <span>{tr(LabTierText::LadderMetric)}</span>
                    <select data-testid="ladder-metric" on:change=move |ev| {
                        if let Some(m) = metric_from(&event_target_value(&ev)) { scheme.update(|s| s.tiers.metric = m) }
                    }>
                        {Metric::ALL.into_iter().map(|m| view! {
                            <option value=metric_code(m) selected=move || scheme.with(|s| s.tiers.metric == m)>{tr(metric_key(m))}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field lab-field">
                    <span>{tr(LabTierText::Entry)}</span>
                    <select data-testid="entry-mode" on:change=move |ev| {
                        let e = if event_target_value(&ev) == "restricted" { EntryMode::Restricted } else { EntryMode::Open };
                        scheme.update(|s| s.tiers.entry = e)
                    }>
                        <option value="open" selected=move || scheme.with(|s| s.tiers.entry == EntryMode::Open)>{tr(LabTierText::Open)}</option>
                        <option value="restricted" selected=move || scheme.with(|s| s.tiers.entry == EntryMode::Restricted)>{tr(LabTierText::Restricted)}</option>
                    </select>
                    <small class="hint" data-testid="entry-hint">{move || tr(if scheme.with(|s| s.tiers.entry == EntryMode::Open) { LabTierText::OpenHint } else { LabTierText::RestrictedHint })}</small>
                </label>
                <label class="field lab-field">
                    <span>{tr(LabTierText::Growth)}</span>
                    <select data-testid="growth-mode" on:change=move |ev| {
                        let down = event_target_value(&ev) == "updown";
                        scheme.update(|s| s.tiers.growth = if down {
                            GrowthMode::UpgradeDowngrade { validity_months: 12, max_drop: 1 }
                        } else {
                            GrowthMode::UpgradeOnly
                        })
                    }>
                        <option value="up" selected=move || growth_months().is_none()>{tr(LabTierText::UpOnly)}</option>
                        <option value="updown" selected=move || growth_months().is_some()>{tr(LabTierText::UpDown)}</option>
                    </select>
                    <small class="hint">{move || tr(if growth_months().is_some() { LabTierText::UpDownHint } else { LabTierText::UpOnlyHint })}</small>
                </label>
                {move || growth_months().map(|_| view! {
                    {input(LabTierText::Validity, "validity-months",
                        move || growth_months().map(|g| g.0.to_string()).unwrap_or_default(),
                        move |v| scheme.update(|s| if let (GrowthMode::UpgradeDowngrade { validity_months, .. }, Ok(x)) = (&mut s.tiers.growth, v.trim().parse::<u32>()) { *validity_months = x }))}
                    {input(LabTierText::MaxDrop, "max-drop",
                        move || growth_months().map(|g| g.1.to_string()).unwrap_or_default(),
                        move |v| scheme.update(|s| if let (GrowthMode::UpgradeDowngrade { max_drop, .. }, Ok(x)) = (&mut s.tiers.growth, v.trim().parse::<u8>()) { *max_drop = x }))}
                    <label class="check">
                        <input type="checkbox" data-testid="validity-year-end" prop:checked=move || scheme.with(|s| s.tiers.validity_to_year_end)
                            on:change=move |ev| { let c = event_target_checked(&ev); scheme.update(|s| s.tiers.validity_to_year_end = c) }/>
                        {tr(LabTierText::YearEnd)}
                    </label>
                })}
                {input(LabTierText::YearStart, "growth-year-start",
                    move || scheme.with(|s| s.tiers.growth_year_start.map(|y| format!("{:02}-{:02}", y.month, y.day)).unwrap_or_default()),
                    move |v| {
                        let v = v.trim().to_string();
                        let start = if v.is_empty() {
                            Some(None)
                        } else {
                            v.split_once('-')
                                .and_then(|(m, d)| Some(Some(YearStart { month: m.trim().parse().ok()?, day: d.trim().parse().ok()? })))
                        };
                        if let Some(start) = start { scheme.update(|s| s.tiers.growth_year_start = start) }
                    })}
            </div>
            {field_error(problem, SchemeField::Growth)}
            {field_error(problem, SchemeField::Tiers)}
            <div class="table lab-tier-table">
                <div class="tr th">
                    <span>{tr(LabTierText::ColName)}</span>
                    <span>{tr(LabTierText::ColNameEn)}</span>
                    <span>{tr(LabTierText::ColThreshold)}</span>
                    <span>{tr(LabTierText::ColMetric)}</span>
                    <span>{tr(LabTierText::ColDiscount)}</span>
                    <span>{tr(LabTierText::ColMultiplier)}</span>
                    <span>{tr(LabTierText::ColEntry)}" / "{tr(LabTierText::ColEntryGift)}</span>
                    <span>{tr(LabTierText::ColServices)}</span>
                    <span></span>
                </div>
                {move || (0..len.get()).map(row).collect_view()}
            </div>
            <button class="btn" type="button" data-testid="tier-add" on:click=move |_| scheme.update(|s| {
                let top = s.tiers.tiers.last().map_or(0, |t| t.threshold);
                s.tiers.tiers.push(Tier {
                    name: format!("T{}", s.tiers.tiers.len() + 1),
                    name_en: String::new(),
                    threshold: top.saturating_mul(2).max(100),
                    metric: None,
                    benefits: Benefits::default(),
                });
            })>{tr(LabTierText::Add)}</button>
        </fieldset>
    }
}
