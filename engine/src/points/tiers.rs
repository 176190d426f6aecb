//! Tiers (会员等级): an ordered ladder, what qualifies a member for each
//! rung, how members move between rungs, and what each rung gives.

use crate::money::Money;
use crate::points::rules::{Milli, SchemeError, SchemeField, SchemeProblem};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Position on the ladder, 0 = lowest tier.
pub type TierIdx = u8;

/// What a tier threshold is measured on. Spend metrics are in minor units
/// and net of returns (a return reduces the purchase it refers to).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// 累计消费
    #[default]
    LifetimeSpend,
    /// Purchases dated within the 12 months ending on the evaluation day.
    SpendLast12Months,
    /// 年度消费: purchases in the evaluation day's calendar year.
    SpendCalendarYear,
    /// 交易笔数: receipts not fully returned.
    PurchaseCount,
    /// 当日消费累计: the largest single day's spend in the last 12 months.
    SingleDaySpend,
}

impl Metric {
    pub const ALL: [Metric; 5] = [
        Metric::LifetimeSpend,
        Metric::SpendLast12Months,
        Metric::SpendCalendarYear,
        Metric::PurchaseCount,
        Metric::SingleDaySpend,
    ];

    pub fn is_money(self) -> bool {
        self != Metric::PurchaseCount
    }
}

/// A member's value on every metric at one moment.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct MetricValues {
    pub lifetime: i64,
    pub last_12_months: i64,
    pub calendar_year: i64,
    pub purchases: i64,
    pub single_day: i64,
}

impl MetricValues {
    pub fn get(&self, m: Metric) -> i64 {
        match m {
            Metric::LifetimeSpend => self.lifetime,
            Metric::SpendLast12Months => self.last_12_months,
            Metric::SpendCalendarYear => self.calendar_year,
            Metric::PurchaseCount => self.purchases,
            Metric::SingleDaySpend => self.single_day,
        }
    }
}

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryMode {
    /// 开放型: every member holds the lowest tier from joining.
    #[default]
    Open,
    /// 限制型: a member holds no tier until a purchase meets the lowest threshold.
    Restricted,
}

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum GrowthMode {
    /// 升级模式: tiers only ever go up (a return can undo the upgrade it caused).
    #[default]
    UpgradeOnly,
    /// 升降级模式: a tier is held for `validity_months`; at the end a member
    /// who no longer qualifies drops, by at most `max_drop` tiers at once.
    UpgradeDowngrade { validity_months: u32, max_drop: u8 },
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Benefits {
    /// Percent off the price (95折 is 5).
    #[serde(default)]
    pub discount_percent: u8,
    #[serde(default)]
    pub points_multiplier: Milli,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
    /// 升级礼 / 晋级奖励: points given once per member when an upgrade
    /// reaches (or passes) this tier, on a ledger line of its own (zero: none).
    #[serde(default, skip_serializing_if = "is_zero_i64")]
    pub entry_points: i64,
    /// A reward of the scheme's catalogue (its id) given with the entry
    /// reward, recorded on the same ledger line (no points are spent and the
    /// reward's stock is not counted down).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_reward: Option<String>,
}

fn is_zero_i64(v: &i64) -> bool {
    *v == 0
}

fn is_false(v: &bool) -> bool {
    !*v
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tier {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name_en: String,
    /// Minimum value on the metric; a value equal to the threshold qualifies.
    pub threshold: i64,
    /// Overrides the ladder's metric for this tier (the department store
    /// mixes a single-day spend with yearly spend).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<Metric>,
    #[serde(default)]
    pub benefits: Benefits,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierScheme {
    pub tiers: Vec<Tier>,
    #[serde(default)]
    pub metric: Metric,
    #[serde(default)]
    pub entry: EntryMode,
    #[serde(default)]
    pub growth: GrowthMode,
    /// 自然年保级: under `upgrade_downgrade`, a tier is held past its
    /// `validity_months` to the end of that calendar year and reviewed on
    /// 1 January (12 months: reached in March 2026, held to 31 December
    /// 2027). Ignored under `upgrade_only`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub validity_to_year_end: bool,
    /// 成长值年度清零: the day the year of `spend_calendar_year` starts
    /// (the growth value resets to zero on it); `None`: 1 January.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub growth_year_start: Option<YearStart>,
}

/// A month and day on which a yearly count starts (1 April: `{4, 1}`).
/// 29 February is refused, since it is missing in most years.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearStart {
    pub month: u32,
    pub day: u32,
}

impl YearStart {
    /// The year (named by the calendar year it starts in) that `date`
    /// belongs to: with a 1 April start, 2026-03-31 is in year 2025 and
    /// 2026-04-01 in year 2026.
    pub fn year_of(self, date: NaiveDate) -> i32 {
        if (date.month(), date.day()) >= (self.month, self.day) {
            date.year()
        } else {
            date.year() - 1
        }
    }

    /// Whether the day exists in every year.
    pub fn is_valid(self) -> bool {
        NaiveDate::from_ymd_opt(2001, self.month, self.day).is_some()
    }
}

impl Default for TierScheme {
    fn default() -> Self {
        presets::online_shop()
    }
}

impl TierScheme {
    pub fn validate(&self) -> Result<(), SchemeError> {
        self.check().map_err(|p| p.error)
    }

    /// As [`TierScheme::validate`], also naming the tier at fault.
    pub fn check(&self) -> Result<(), SchemeProblem> {
        let at = |field, error| SchemeProblem { field, error };
        if self.tiers.is_empty() || self.tiers.len() > usize::from(TierIdx::MAX) {
            return Err(at(SchemeField::Tiers, SchemeError::NoTiers));
        }
        if self.entry == EntryMode::Open && self.tiers[0].threshold != 0 {
            return Err(at(
                SchemeField::Tier(0),
                SchemeError::OpenEntryWithThreshold,
            ));
        }
        for (i, t) in self.tiers.iter().enumerate() {
            if t.threshold < 0 {
                return Err(at(SchemeField::Tier(i), SchemeError::NegativeValue));
            }
            if t.benefits.entry_points < 0 {
                return Err(at(SchemeField::Tier(i), SchemeError::NegativeValue));
            }
            if t.benefits.points_multiplier.0 == 0 {
                return Err(at(SchemeField::Tier(i), SchemeError::ZeroMultiplier));
            }
            let m = self.metric_of(i);
            let below = self.tiers[..i]
                .iter()
                .enumerate()
                .filter(|(j, _)| self.metric_of(*j) == m)
                .map(|(_, p)| p.threshold)
                .max();
            if below.is_some_and(|b| b >= t.threshold) {
                return Err(at(
                    SchemeField::Tier(i),
                    SchemeError::UnorderedThresholds { index: i },
                ));
            }
        }
        if self.growth_year_start.is_some_and(|y| !y.is_valid()) {
            return Err(at(SchemeField::Growth, SchemeError::InvalidDate));
        }
        if let GrowthMode::UpgradeDowngrade {
            validity_months,
            max_drop,
        } = self.growth
        {
            if validity_months == 0 || max_drop == 0 {
                return Err(at(SchemeField::Growth, SchemeError::ZeroPeriod));
            }
        }
        Ok(())
    }

    /// The growth year `date` falls in, for `spend_calendar_year`: the
    /// calendar year, or the year from `growth_year_start`.
    pub fn growth_year(&self, date: NaiveDate) -> i32 {
        match self.growth_year_start {
            Some(y) => y.year_of(date),
            None => date.year(),
        }
    }

    /// Under `upgrade_downgrade`, the review of a tier held since `since`:
    /// `validity_months` later, or with `validity_to_year_end` the
    /// 1 January after the calendar year in which those months end.
    /// `None` under `upgrade_only` or past the calendar's end.
    pub fn review_after(&self, since: NaiveDate) -> Option<NaiveDate> {
        let GrowthMode::UpgradeDowngrade {
            validity_months, ..
        } = self.growth
        else {
            return None;
        };
        let end = since.checked_add_months(chrono::Months::new(validity_months))?;
        if self.validity_to_year_end {
            NaiveDate::from_ymd_opt(end.year().checked_add(1)?, 1, 1)
        } else {
            Some(end)
        }
    }

    /// The day a review judges the member's values on: the review day
    /// itself, or with `validity_to_year_end` the last day held
    /// (31 December), so a calendar-year metric reads the year just ended.
    pub fn review_values_day(&self, review: NaiveDate) -> NaiveDate {
        if self.validity_to_year_end {
            review.pred_opt().unwrap_or(review)
        } else {
            review
        }
    }

    /// The entry-reward tiers an upgrade from `from` to `to` passes,
    /// lowest first: every tier above `from` up to and including `to`.
    pub fn passed(
        &self,
        from: Option<TierIdx>,
        to: Option<TierIdx>,
    ) -> std::ops::RangeInclusive<TierIdx> {
        let start = from.map_or(0, |f| f.saturating_add(1));
        match to {
            Some(t) if t >= start => start..=t,
            #[allow(clippy::reversed_empty_ranges)]
            _ => 1..=0,
        }
    }

    pub fn metric_of(&self, idx: usize) -> Metric {
        self.tiers
            .get(idx)
            .and_then(|t| t.metric)
            .unwrap_or(self.metric)
    }

    /// Metrics any tier uses, so replay computes only those.
    pub fn uses(&self, m: Metric) -> bool {
        self.metric == m || self.tiers.iter().any(|t| t.metric == Some(m))
    }

    /// The highest tier the values qualify for. Under restricted entry a
    /// member with no purchase qualifies for nothing.
    pub fn qualifying(&self, v: &MetricValues, has_purchase: bool) -> Option<TierIdx> {
        let mut best = None;
        for (i, t) in self.tiers.iter().enumerate() {
            if i == 0 && self.entry == EntryMode::Restricted && !has_purchase {
                continue;
            }
            if v.get(self.metric_of(i)) >= t.threshold {
                best = Some(i as TierIdx);
            }
        }
        if best.is_none() && self.entry == EntryMode::Open && !self.tiers.is_empty() {
            best = Some(0);
        }
        best
    }

    pub fn tier(&self, idx: Option<TierIdx>) -> Option<&Tier> {
        idx.and_then(|i| self.tiers.get(usize::from(i)))
    }

    pub fn multiplier(&self, idx: Option<TierIdx>) -> Milli {
        self.tier(idx)
            .map(|t| t.benefits.points_multiplier)
            .unwrap_or(Milli::ONE)
    }

    pub fn discount_percent(&self, idx: Option<TierIdx>) -> u8 {
        self.tier(idx)
            .map(|t| t.benefits.discount_percent.min(99))
            .unwrap_or(0)
    }

    /// The tier named `name` in either language, ignoring case and
    /// surrounding spaces (what an import file's tier column holds).
    pub fn find(&self, name: &str) -> Option<TierIdx> {
        let want = name.trim().to_lowercase();
        if want.is_empty() {
            return None;
        }
        self.tiers
            .iter()
            .position(|t| {
                t.name.trim().to_lowercase() == want
                    || (!t.name_en.is_empty() && t.name_en.trim().to_lowercase() == want)
            })
            .and_then(|i| TierIdx::try_from(i).ok())
    }

    /// The starting tier of a member who has bought nothing.
    pub fn entry_tier(&self) -> Option<TierIdx> {
        match self.entry {
            EntryMode::Open if !self.tiers.is_empty() => Some(0),
            _ => None,
        }
    }
}

/// Why a tier changed; the UI words it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum TierReason {
    /// Reached the threshold of `to` on `metric` with `value`.
    Qualified { metric: Metric, value: i64 },
    /// The validity period ended and the member no longer qualified.
    ValidityEnded { metric: Metric, value: i64 },
    /// A return took back the spend that earned the upgrade.
    ReturnReversed { metric: Metric, value: i64 },
    /// The store switched to a scheme with a different ladder.
    SchemeChanged,
    /// A tier carried over from another system (an imported opening tier).
    OpeningTier,
}

/// One line of a member's tier history.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierChange {
    pub date: NaiveDate,
    pub from: Option<TierIdx>,
    pub to: Option<TierIdx>,
    pub reason: TierReason,
}

pub mod presets {
    use super::*;

    fn tier(name: &str, en: &str, threshold_yuan: i64, discount: u8, mult: u32) -> Tier {
        Tier {
            name: name.into(),
            name_en: en.into(),
            threshold: Money::from_major(threshold_yuan).0,
            metric: None,
            benefits: Benefits {
                discount_percent: discount,
                points_multiplier: Milli(mult),
                services: Vec::new(),
                entry_points: 0,
                entry_reward: None,
            },
        }
    }

    /// 普通会员 → 高级会员 → VIP会员 → 至尊VIP会员 at cumulative spend
    /// 0 / 399 / 688 / 888 yuan (the online shop of DOMAIN.md section 4).
    pub fn online_shop() -> TierScheme {
        TierScheme {
            tiers: vec![
                tier("普通会员", "Regular", 0, 0, 1000),
                tier("高级会员", "Senior", 399, 2, 1000),
                tier("VIP会员", "VIP", 688, 5, 1200),
                tier("至尊VIP会员", "Supreme VIP", 888, 8, 1500),
            ],
            metric: Metric::LifetimeSpend,
            entry: EntryMode::Open,
            growth: GrowthMode::UpgradeOnly,
            validity_to_year_end: false,
            growth_year_start: None,
        }
    }

    /// 普通会员 → 资深会员 → VIP → VVIP on spend in the last 12 months,
    /// held a year, dropping one tier at a time.
    pub fn classic() -> TierScheme {
        TierScheme {
            tiers: vec![
                tier("普通会员", "Regular", 0, 0, 1000),
                tier("资深会员", "Senior", 2_000, 3, 1000),
                tier("VIP", "VIP", 8_000, 5, 1200),
                tier("VVIP", "VVIP", 20_000, 10, 1500),
            ],
            metric: Metric::SpendLast12Months,
            entry: EntryMode::Open,
            growth: GrowthMode::UpgradeDowngrade {
                validity_months: 12,
                max_drop: 1,
            },
            validity_to_year_end: false,
            growth_year_start: None,
        }
    }

    /// 铜牌 → 银牌 → 金牌 → 钻石 on cumulative spend.
    pub fn metals() -> TierScheme {
        TierScheme {
            tiers: vec![
                tier("铜牌", "Bronze", 0, 0, 1000),
                tier("银牌", "Silver", 2_000, 0, 1100),
                tier("金牌", "Gold", 10_000, 5, 1200),
                tier("钻石", "Diamond", 50_000, 10, 1500),
            ],
            metric: Metric::LifetimeSpend,
            entry: EntryMode::Open,
            growth: GrowthMode::UpgradeOnly,
            validity_to_year_end: false,
            growth_year_start: None,
        }
    }

    /// The department store's four cards (DOMAIN.md section 4). The 普卡
    /// threshold (a single day's spend of 5,000) is our assumption: the
    /// source names the card but not its threshold.
    pub fn department_store() -> TierScheme {
        let mut points_card = tier("积分卡", "Points card", 1_500, 0, 1000);
        points_card.metric = Some(Metric::SingleDaySpend);
        let mut standard = tier("普卡", "Standard card", 5_000, 5, 1000);
        standard.metric = Some(Metric::SingleDaySpend);
        let gold = tier("金卡", "Gold card", 10_000, 10, 1000);
        let mut diamond = tier("金钻卡", "Gold-diamond card", 80_000, 15, 1000);
        diamond.benefits.services = [
            "fast checkout lane",
            "member magazine",
            "special-day vouchers",
            "free parking booking",
            "personal VIP manager",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        TierScheme {
            tiers: vec![points_card, standard, gold, diamond],
            metric: Metric::SpendCalendarYear,
            entry: EntryMode::Restricted,
            growth: GrowthMode::UpgradeDowngrade {
                validity_months: 12,
                max_drop: 1,
            },
            validity_to_year_end: false,
            growth_year_start: None,
        }
    }

    /// The worked example: thresholds 0 / 10,000 / 20,000 yuan on lifetime spend.
    pub fn three_step() -> TierScheme {
        TierScheme {
            tiers: vec![
                tier("普通", "Basic", 0, 0, 1000),
                tier("银", "Silver", 10_000, 0, 1000),
                tier("金", "Gold", 20_000, 0, 1000),
            ],
            metric: Metric::LifetimeSpend,
            entry: EntryMode::Open,
            growth: GrowthMode::UpgradeOnly,
            validity_to_year_end: false,
            growth_year_start: None,
        }
    }
}
