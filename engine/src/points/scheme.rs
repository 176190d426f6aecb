//! A points-and-tiers scheme: how points are earned, when they expire,
//! what they buy and which tiers exist. All rates are integer rationals so
//! that every receipt rounds exactly once (see `docs/points-and-tiers.md`).

use crate::members::model::{LeapDay, Member, MonthDay};
use crate::money::Money;
use crate::points::rules::{Milli, SchemeError, SchemeField, SchemeProblem};
use crate::points::tiers::TierScheme;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How the exact points value of a receipt becomes whole points.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Round toward zero (the default, and the field's usual practice).
    #[default]
    Down,
    /// Half a point or more rounds up.
    HalfUp,
    /// Any fraction rounds up.
    Up,
}

impl Rounding {
    /// `num / den` for non-negative `num` and positive `den`.
    pub fn apply(self, num: i128, den: i128) -> i64 {
        if den <= 0 || num <= 0 {
            return 0;
        }
        let q = match self {
            Rounding::Down => num / den,
            Rounding::HalfUp => (2 * num + den) / (2 * den),
            Rounding::Up => (num + den - 1) / den,
        };
        i64::try_from(q).unwrap_or(i64::MAX)
    }
}

/// One band of the per-receipt rate (多级换算): a receipt whose amount lies
/// in `[from, to)` earns at `multiplier` on its whole amount.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    pub from: Money,
    /// Exclusive upper bound; `None` for the open top band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Money>,
    pub multiplier: Milli,
}

/// The base rate: `points` points for every `per` of spend (固定换算).
/// 1 point per yuan is `{points: 1, per: 100}`; 1 per 10 yuan is `{1, 1000}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Earning {
    pub points: u32,
    pub per: Money,
    /// Receipts outside every band earn at ×1.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bands: Vec<Band>,
    #[serde(default)]
    pub rounding: Rounding,
    /// 最低消费: a receipt below this amount earns nothing (zero: no minimum).
    #[serde(default, skip_serializing_if = "is_zero_money")]
    pub min_amount: Money,
    /// A receipt with fewer items than this earns nothing (zero: no
    /// minimum). Items: `Purchase::item_count`.
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub min_items: u32,
    /// 每单积分: points for every receipt that earns, added to the
    /// amount's points before the multipliers and the one rounding.
    #[serde(default, skip_serializing_if = "is_zero_i64")]
    pub per_receipt: i64,
    /// 每件积分: points per item of a receipt that earns, added as
    /// `per_receipt` is.
    #[serde(default, skip_serializing_if = "is_zero_i64")]
    pub per_item: i64,
    /// 品类/商品规则: rules on a receipt's line items by category or SKU.
    /// A receipt recorded without lines is outside them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub line_rules: Vec<LineRule>,
    /// Several rules on one line: their effects add up, or the best wins.
    #[serde(default, skip_serializing_if = "LineStacking::is_default")]
    pub line_stacking: LineStacking,
}

/// What a line rule looks at: the line's category or its SKU, compared
/// without surrounding spaces and ignoring case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineMatch {
    Category(String),
    Sku(String),
}

impl LineMatch {
    pub fn matches(&self, line: &crate::members::model::LineItem) -> bool {
        let (want, have) = match self {
            LineMatch::Category(c) => (c, &line.category),
            LineMatch::Sku(s) => (s, &line.sku),
        };
        let want = want.trim();
        !want.is_empty() && want.eq_ignore_ascii_case(have.trim())
    }
}

/// What a line rule does to the lines it matches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum LineEffect {
    /// Only lines that an `include` rule matches earn (once any exists).
    Include,
    /// The lines earn nothing from the rate (gift cards, services).
    Exclude,
    /// The lines earn at `multiplier` (×2 on scarves).
    Multiplier { multiplier: Milli },
    /// Extra points for each item of the lines (a product's 额外积分).
    ExtraPoints { points: i64 },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineRule {
    pub on: LineMatch,
    pub effect: LineEffect,
}

/// How the rules that match one line combine.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineStacking {
    /// Multipliers add their extra (×2 and ×1.5 make ×2.5) and extra
    /// points add up.
    #[default]
    Add,
    /// The highest multiplier and the most extra points alone count.
    Best,
}

impl LineStacking {
    fn is_default(&self) -> bool {
        *self == LineStacking::Add
    }
}

fn is_zero_money(v: &Money) -> bool {
    v.0 == 0
}

fn is_zero_u32(v: &u32) -> bool {
    *v == 0
}

fn is_zero_i64(v: &i64) -> bool {
    *v == 0
}

impl Default for Earning {
    fn default() -> Self {
        Earning {
            points: 1,
            per: Money(100),
            bands: Vec::new(),
            rounding: Rounding::Down,
            min_amount: Money(0),
            min_items: 0,
            per_receipt: 0,
            per_item: 0,
            line_rules: Vec::new(),
            line_stacking: LineStacking::Add,
        }
    }
}

impl Earning {
    /// Whether the earning rule reads a receipt's item count.
    pub fn uses_items(&self) -> bool {
        self.min_items > 0 || self.per_item != 0
    }

    /// Whether the earning rule reads a receipt's lines.
    pub fn uses_lines(&self) -> bool {
        !self.line_rules.is_empty()
    }
}

fn is_zero_u8(v: &u8) -> bool {
    *v == 0
}

/// 积分抵现: points pay part of a receipt at the checkout, in whole steps of
/// `points` points worth `value` (100 points for ¥1 is `{points: 100,
/// value: 100}`), so a payment is always exact money. A receipt takes at
/// most `max_amount` (zero: no such cap) and at most `max_percent` percent
/// of it (zero: no such cap), and never more than the receipt. The part
/// paid with points is not spend: the receipt records what was paid in
/// money, which alone earns points and counts toward tiers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsPayment {
    pub points: i64,
    pub value: Money,
    #[serde(default, skip_serializing_if = "is_zero_money")]
    pub max_amount: Money,
    #[serde(default, skip_serializing_if = "is_zero_u8")]
    pub max_percent: u8,
}

impl PointsPayment {
    /// The most points (and the money they pay) a receipt of `total` may
    /// take when the member has `available` spendable points: the caps,
    /// the receipt and the balance, in whole steps.
    pub fn limit(&self, total: Money, available: i64) -> (i64, Money) {
        if self.points <= 0 || self.value.0 <= 0 || total.0 <= 0 || available <= 0 {
            return (0, Money(0));
        }
        let mut cap = total.0;
        if self.max_amount.0 > 0 {
            cap = cap.min(self.max_amount.0);
        }
        if self.max_percent > 0 {
            let share = i128::from(total.0) * i128::from(self.max_percent.min(100)) / 100;
            cap = cap.min(i64::try_from(share).unwrap_or(cap));
        }
        let steps = (cap / self.value.0).min(available / self.points);
        (steps * self.points, Money(steps * self.value.0))
    }

    /// The money `points` pay, when they are a whole number of steps.
    pub fn value_of(&self, points: i64) -> Option<Money> {
        if self.points <= 0 || points <= 0 || points % self.points != 0 {
            return None;
        }
        (points / self.points).checked_mul(self.value.0).map(Money)
    }
}

/// A promotion on a date range, e.g. double-points days (inclusive dates).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promotion {
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub multiplier: Milli,
}

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BirthdayWindow {
    /// Any day of the birthday month (生日当月).
    #[default]
    Month,
    /// The birthday itself only.
    Day,
}

/// Birthday bonus: once per year, on the first purchase in the window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BirthdayBonus {
    #[serde(default)]
    pub window: BirthdayWindow,
    /// Fixed points added to that receipt.
    #[serde(default)]
    pub points: i64,
    /// Multiplier on that receipt's earning (×1 when absent).
    #[serde(default)]
    pub multiplier: Milli,
    /// A birthday recorded fewer than this many days before the window
    /// opens earns nothing that year, so nobody edits a birthday for a bonus.
    #[serde(default)]
    pub min_notice_days: u32,
}

/// 生日礼: points given on the birthday itself, without a purchase, once
/// a year (separate from the purchase's [`BirthdayBonus`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BirthdayGift {
    pub points: i64,
    /// A birthday recorded fewer than this many days before the birthday
    /// (or after it) gets no gift that year, as for [`BirthdayBonus`].
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub min_notice_days: u32,
}

/// Fixed bonuses and interaction rewards (额外奖励 / 互动奖励). Zero disables.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bonuses {
    #[serde(default)]
    pub first_purchase: i64,
    /// 注册礼 / 开卡礼: points on the member's join date, no purchase needed,
    /// when the join date lies within the programme dates.
    #[serde(default, skip_serializing_if = "is_zero_i64")]
    pub sign_up: i64,
    /// 生日礼: points on the birthday itself, without a purchase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birthday_gift: Option<BirthdayGift>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birthday: Option<BirthdayBonus>,
    /// Once per member, when the profile is completed (完善个人信息).
    #[serde(default)]
    pub profile_completion: i64,
    /// Once per day (每日签到).
    #[serde(default)]
    pub daily_check_in: i64,
    /// To the referrer when the referred member first buys (老带新).
    #[serde(default)]
    pub referral: i64,
}

/// When earned points expire (积分有效期). The last valid day always counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ExpiryPolicy {
    #[default]
    Never,
    /// Valid through the earning date plus `days`.
    AfterDays { days: u32 },
    /// Valid through the last day of the month `months` after earning.
    EndOfMonthAfter { months: u32 },
    /// Cleared each year on `month`/`day`: points are valid through the
    /// first such date on or after earning, plus `extra_years` years.
    AnnualClear {
        month: u32,
        day: u32,
        #[serde(default)]
        extra_years: u32,
    },
    /// The whole balance expires after `months` months without activity
    /// (an earning or a spend); valid through last activity + months.
    Inactivity { months: u32 },
}

impl ExpiryPolicy {
    /// The shortest time, in days, the policy keeps a point valid once it
    /// is spendable (`None` for never): a month counts as 28 days, a year
    /// as 365, and a month end or clear date as its whole period, since
    /// they fall on one day of it. A pending period longer than this is
    /// refused by the editor.
    pub fn shortest_validity_days(&self) -> Option<u64> {
        match *self {
            ExpiryPolicy::Never => None,
            ExpiryPolicy::AfterDays { days } => Some(u64::from(days)),
            ExpiryPolicy::EndOfMonthAfter { months } => Some(28 * u64::from(months.max(1))),
            ExpiryPolicy::AnnualClear { extra_years, .. } => {
                Some(365 * (1 + u64::from(extra_years)))
            }
            ExpiryPolicy::Inactivity { months } => Some(28 * u64::from(months)),
        }
    }
}

/// What happens when a return reverses points that were already spent.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnPolicy {
    /// The shortfall becomes a negative balance (a debt settled from later earnings).
    #[default]
    AllowNegative,
    /// The shortfall is taken from the member's other lots first; any
    /// remainder is still a negative balance, never skipped.
    ClawBack,
}

/// An item of the rewards catalogue (积分兑换).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reward {
    pub id: String,
    pub name: String,
    pub points: i64,
    /// Initial stock; `None` for unlimited. Remaining stock is derived
    /// from the redemptions recorded, never stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scheme {
    pub name: String,
    #[serde(default)]
    pub earning: Earning,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub promotions: Vec<Promotion>,
    /// Apply every matching promotion (multiplied) instead of only the best.
    #[serde(default)]
    pub stack_promotions: bool,
    #[serde(default)]
    pub bonuses: Bonuses,
    /// Points become spendable this many days after earning.
    #[serde(default)]
    pub pending_days: u32,
    #[serde(default)]
    pub expiry: ExpiryPolicy,
    #[serde(default)]
    pub returns: ReturnPolicy,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rewards: Vec<Reward>,
    /// 积分抵现 at the checkout (`None`: points do not pay for receipts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_with_points: Option<PointsPayment>,
    #[serde(default)]
    pub tiers: TierScheme,
    /// Money value of one point in thousandths of a minor unit, for the
    /// liability figure: 1 point = 1 fen is 1000.
    #[serde(default = "default_point_value")]
    pub point_value_milli: i64,
    /// 活动有效期: the first day anything earns (inclusive; `None`: no start).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programme_from: Option<NaiveDate>,
    /// The last day anything earns (inclusive; `None`: no end).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programme_to: Option<NaiveDate>,
    /// Where a 29 February birthday falls in common years, for every
    /// birthday rule and the care calendar.
    #[serde(default, skip_serializing_if = "LeapDay::is_default")]
    pub leap_birthday: LeapDay,
}

fn default_point_value() -> i64 {
    1000
}

impl Default for Scheme {
    fn default() -> Self {
        Scheme {
            name: String::new(),
            earning: Earning::default(),
            promotions: Vec::new(),
            stack_promotions: false,
            bonuses: Bonuses::default(),
            pending_days: 0,
            expiry: ExpiryPolicy::Never,
            returns: ReturnPolicy::AllowNegative,
            rewards: Vec::new(),
            pay_with_points: None,
            tiers: TierScheme::default(),
            point_value_milli: default_point_value(),
            programme_from: None,
            programme_to: None,
            leap_birthday: LeapDay::Feb28,
        }
    }
}

/// A scheme and the day it took effect, as kept in the store's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatedScheme {
    pub effective_from: NaiveDate,
    pub scheme: Scheme,
}

fn at(field: SchemeField, error: SchemeError) -> SchemeProblem {
    SchemeProblem { field, error }
}

impl Scheme {
    /// Checks what replay needs; replay assumes a validated scheme but
    /// never panics on one that is not. Schemes stored before a later
    /// editor rule (see [`Scheme::check`]) still pass, so they still replay.
    pub fn validate(&self) -> Result<(), SchemeError> {
        self.check_replayable().map_err(|p| p.error)
    }

    /// What the editor and the lab accept: [`Scheme::validate`] and the
    /// rules a new scheme must also keep, naming the field at fault.
    pub fn check(&self) -> Result<(), SchemeProblem> {
        self.check_replayable()?;
        if let Some(expiry_days) = self.expiry.shortest_validity_days() {
            if u64::from(self.pending_days) > expiry_days {
                return Err(at(
                    SchemeField::Pending,
                    SchemeError::PendingLongerThanExpiry {
                        pending_days: self.pending_days,
                        expiry_days,
                    },
                ));
            }
        }
        if let Some(p) = &self.pay_with_points {
            let error = if p.points <= 0 || p.value.0 <= 0 {
                Some(SchemeError::ZeroRate)
            } else if p.max_amount.0 < 0 {
                Some(SchemeError::NegativeValue)
            } else if p.max_percent > 100 {
                Some(SchemeError::PercentAbove100)
            } else {
                None
            };
            if let Some(error) = error {
                return Err(at(SchemeField::PayWithPoints, error));
            }
        }
        for (i, t) in self.tiers.tiers.iter().enumerate() {
            if let Some(id) = &t.benefits.entry_reward {
                if !self.rewards.iter().any(|r| &r.id == id) {
                    return Err(at(
                        SchemeField::Tier(i),
                        SchemeError::UnknownReward { id: id.clone() },
                    ));
                }
            }
        }
        Ok(())
    }

    /// As [`Scheme::validate`], naming the field at fault.
    pub fn check_replayable(&self) -> Result<(), SchemeProblem> {
        use SchemeField as F;
        let e = &self.earning;
        if e.per.0 <= 0 || (e.points == 0 && e.per_receipt == 0 && e.per_item == 0) {
            return Err(at(F::Rate, SchemeError::ZeroRate));
        }
        if e.per_receipt < 0 || e.per_item < 0 {
            return Err(at(F::ReceiptPoints, SchemeError::NegativeValue));
        }
        if e.min_amount.0 < 0 {
            return Err(at(F::Minimum, SchemeError::NegativeValue));
        }
        for (i, r) in e.line_rules.iter().enumerate() {
            let (LineMatch::Category(name) | LineMatch::Sku(name)) = &r.on;
            if name.trim().is_empty() {
                return Err(at(F::LineRule(i), SchemeError::EmptyMatch));
            }
            match r.effect {
                LineEffect::Multiplier {
                    multiplier: Milli(0),
                } => {
                    return Err(at(F::LineRule(i), SchemeError::ZeroMultiplier));
                }
                LineEffect::ExtraPoints { points } if points < 0 => {
                    return Err(at(F::LineRule(i), SchemeError::NegativeValue));
                }
                _ => {}
            }
        }
        if let (Some(from), Some(to)) = (self.programme_from, self.programme_to) {
            if to < from {
                return Err(at(F::Programme, SchemeError::ProgrammeDates));
            }
        }
        for (i, b) in self.earning.bands.iter().enumerate() {
            if b.multiplier.0 == 0 {
                return Err(at(F::Band(i), SchemeError::ZeroMultiplier));
            }
            if b.from.0 < 0 {
                return Err(at(F::Band(i), SchemeError::NegativeValue));
            }
            if b.to.is_some_and(|to| to <= b.from) {
                return Err(at(F::Band(i), SchemeError::EmptyBand { index: i }));
            }
            if i > 0 {
                let prev = &self.earning.bands[i - 1];
                if prev.to.is_none_or(|to| to > b.from) {
                    return Err(at(
                        F::Band(i),
                        SchemeError::OverlappingBands {
                            first: i - 1,
                            second: i,
                        },
                    ));
                }
            }
        }
        for (i, p) in self.promotions.iter().enumerate() {
            if p.to < p.from {
                return Err(at(
                    F::Promotion(i),
                    SchemeError::PromotionDates { index: i },
                ));
            }
            if p.multiplier.0 == 0 {
                return Err(at(F::Promotion(i), SchemeError::ZeroMultiplier));
            }
        }
        let b = &self.bonuses;
        for (value, field) in [
            (b.first_purchase, F::FirstPurchaseBonus),
            (b.profile_completion, F::ProfileBonus),
            (b.daily_check_in, F::CheckInBonus),
            (b.referral, F::ReferralBonus),
            (b.sign_up, F::SignUpBonus),
            (
                b.birthday_gift.as_ref().map_or(0, |g| g.points),
                F::BirthdayGift,
            ),
            (self.point_value_milli, F::PointValue),
        ] {
            if value < 0 {
                return Err(at(field, SchemeError::NegativeValue));
            }
        }
        if let Some(bd) = &b.birthday {
            if bd.points < 0 {
                return Err(at(F::Birthday, SchemeError::NegativeValue));
            }
            if bd.multiplier.0 == 0 {
                return Err(at(F::Birthday, SchemeError::ZeroMultiplier));
            }
        }
        match self.expiry {
            ExpiryPolicy::AfterDays { days: 0 } | ExpiryPolicy::Inactivity { months: 0 } => {
                return Err(at(F::Expiry, SchemeError::ZeroPeriod))
            }
            ExpiryPolicy::AnnualClear { month, day, .. }
                if NaiveDate::from_ymd_opt(2001, month, day).is_none() =>
            {
                return Err(at(F::Expiry, SchemeError::InvalidDate));
            }
            _ => {}
        }
        let mut seen = std::collections::HashSet::new();
        for (i, r) in self.rewards.iter().enumerate() {
            if r.points <= 0 {
                return Err(at(F::Reward(i), SchemeError::NegativeValue));
            }
            if !seen.insert(r.id.as_str()) {
                return Err(at(
                    F::Reward(i),
                    SchemeError::DuplicateReward { id: r.id.clone() },
                ));
            }
        }
        self.tiers.check()
    }

    /// Whether `date` lies within the programme dates (活动有效期), both
    /// inclusive; outside them nothing earns.
    pub fn in_programme(&self, date: NaiveDate) -> bool {
        self.programme_from.is_none_or(|f| f <= date) && self.programme_to.is_none_or(|t| date <= t)
    }

    /// The day `birthday` falls on in `year` under this scheme's
    /// 29 February rule.
    pub fn birthday_in(&self, birthday: &MonthDay, year: i32) -> NaiveDate {
        birthday.in_year_with(year, self.leap_birthday)
    }

    /// The member's birthday in `year` under this scheme, if recorded.
    pub fn member_birthday(&self, member: &Member, year: i32) -> Option<NaiveDate> {
        member.birthday.map(|b| self.birthday_in(&b, year))
    }

    /// The band a receipt amount falls in, if any.
    pub fn band_for(&self, amount: Money) -> Option<(usize, &Band)> {
        self.earning
            .bands
            .iter()
            .enumerate()
            .find(|(_, b)| amount >= b.from && b.to.is_none_or(|to| amount < to))
    }
}

/// Ready-made schemes named after the field's common practice.
pub mod presets {
    use super::*;
    use crate::points::tiers::presets as tier_presets;

    /// 1 point per yuan, the 普通/高级/VIP/至尊VIP ladder, points never expire.
    pub fn simple() -> Scheme {
        Scheme {
            name: "1 point per yuan".into(),
            tiers: tier_presets::online_shop(),
            ..Scheme::default()
        }
    }

    /// The banded rate from the handbooks: below 200 ×1, 200-800 ×1.5,
    /// 800 and above ×2; points valid to the end of the 12th month.
    pub fn banded() -> Scheme {
        Scheme {
            name: "banded".into(),
            earning: Earning {
                points: 1,
                per: Money(100),
                bands: vec![
                    Band {
                        from: Money(0),
                        to: Some(Money::from_major(200)),
                        multiplier: Milli(1000),
                    },
                    Band {
                        from: Money::from_major(200),
                        to: Some(Money::from_major(800)),
                        multiplier: Milli(1500),
                    },
                    Band {
                        from: Money::from_major(800),
                        to: None,
                        multiplier: Milli(2000),
                    },
                ],
                rounding: Rounding::Down,
                ..Earning::default()
            },
            expiry: ExpiryPolicy::EndOfMonthAfter { months: 12 },
            tiers: tier_presets::metals(),
            ..Scheme::default()
        }
    }

    /// The department store's four cards.
    pub fn department_store() -> Scheme {
        Scheme {
            name: "department store".into(),
            tiers: tier_presets::department_store(),
            expiry: ExpiryPolicy::AnnualClear {
                month: 12,
                day: 31,
                extra_years: 1,
            },
            ..Scheme::default()
        }
    }
}
