//! The words a scheme and its tier ladder share: the [`Milli`] multiplier
//! and the errors that say which field of a scheme is at fault. Both
//! `scheme` and `tiers` use these; neither needs the other for them.

use serde::{Deserialize, Serialize};

/// A multiplier in thousandths: `Milli(1500)` is ×1.5. Integer, so that
/// products of multipliers stay exact until the one rounding step.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Milli(pub u32);

impl Milli {
    pub const ONE: Milli = Milli(1000);
}

impl Default for Milli {
    fn default() -> Self {
        Milli::ONE
    }
}

/// Why a scheme cannot be used. The UI words these in both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SchemeError {
    /// Replay was given no scheme at all.
    NoScheme,
    /// `per` or `points` is zero.
    ZeroRate,
    /// Band `index` ends at or before it starts.
    EmptyBand {
        index: usize,
    },
    /// Bands `first` and `second` overlap (bands must be listed in order).
    OverlappingBands {
        first: usize,
        second: usize,
    },
    /// A multiplier of zero would silently stop earning.
    ZeroMultiplier,
    /// A promotion ends before it starts.
    PromotionDates {
        index: usize,
    },
    NoTiers,
    /// Tier `index` has a threshold not above the previous tier on the same metric.
    UnorderedThresholds {
        index: usize,
    },
    /// The lowest tier of an open scheme must need nothing.
    OpenEntryWithThreshold,
    /// A calendar date in the expiry policy does not exist.
    InvalidDate,
    /// A zero-length expiry or validity period.
    ZeroPeriod,
    NegativeValue,
    DuplicateReward {
        id: String,
    },
    /// Points would wait longer to become spendable (`pending_days`) than
    /// the expiry policy keeps them (`expiry_days`, the shortest validity it
    /// gives). Refused by the editor
    /// ([`Scheme::check`](crate::points::scheme::Scheme::check)); a stored scheme
    /// still replays, its points valid from the day they become spendable.
    PendingLongerThanExpiry {
        pending_days: u32,
        expiry_days: u64,
    },
    /// The programme ends (`programme_to`) before it starts (`programme_from`).
    ProgrammeDates,
    /// A tier's entry reward names `id`, which is not in the rewards
    /// catalogue. Refused by the editor
    /// ([`Scheme::check`](crate::points::scheme::Scheme::check)); a stored
    /// scheme still replays, giving the entry points without the reward.
    UnknownReward {
        id: String,
    },
    /// A share of a receipt above 100 percent (积分抵现's cap).
    PercentAbove100,
    /// A line rule names no category or SKU.
    EmptyMatch,
    /// A total of the history does not fit the ledger's integers. Only a
    /// file past the limits of `store::validate::check_store` can cause it.
    Overflow,
}

impl std::fmt::Display for SchemeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid scheme: {self:?}")
    }
}

impl std::error::Error for SchemeError {}

/// The part of a scheme a problem lies in, so an editor can show the
/// message beside the field at fault.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "field", content = "index")]
pub enum SchemeField {
    /// The base rate (`points` per `per`).
    Rate,
    Band(usize),
    Promotion(usize),
    FirstPurchaseBonus,
    ProfileBonus,
    CheckInBonus,
    ReferralBonus,
    Birthday,
    /// The sign-up bonus (注册礼 / 开卡礼, `bonuses.sign_up`).
    SignUpBonus,
    /// The birthday gift (生日礼, `bonuses.birthday_gift`).
    BirthdayGift,
    /// The programme dates (活动有效期, `programme_from` / `programme_to`).
    Programme,
    /// The minimum receipt amount or item count (最低消费, `earning.min_amount`
    /// / `earning.min_items`).
    Minimum,
    /// Points per receipt or per item (每单积分 / 每件积分).
    ReceiptPoints,
    /// A rule on line items by category or SKU (`earning.line_rules[i]`).
    LineRule(usize),
    /// The pending period (`pending_days`).
    Pending,
    PointValue,
    Expiry,
    Reward(usize),
    /// 积分抵现 (`pay_with_points`).
    PayWithPoints,
    /// The ladder as a whole (no tiers at all).
    Tiers,
    Tier(usize),
    Growth,
}

/// A validation error and where it lies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemeProblem {
    pub field: SchemeField,
    pub error: SchemeError,
}

impl std::fmt::Display for SchemeProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at {:?}", self.error, self.field)
    }
}

impl std::error::Error for SchemeProblem {}
