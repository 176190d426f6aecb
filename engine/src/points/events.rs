//! Stored inputs to the ledger that are not purchases or returns. The
//! ledger is derived by replaying these with purchases and returns under
//! the scheme history.

use crate::members::model::MemberId;
use crate::points::tiers::TierIdx;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum PointsEventKind {
    /// 积分兑换: `points` is what was charged when it was recorded.
    Redemption {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reward: Option<String>,
        #[serde(default = "one")]
        quantity: u32,
        points: i64,
    },
    /// 积分抵现: `points` paid `value` of receipt `receipt` at the checkout
    /// (the receipt's amount is what was paid in money). A return of the
    /// receipt gives back the same share of the points.
    PaidWithPoints {
        receipt: String,
        points: i64,
        value: crate::money::Money,
    },
    /// 每日签到: earns the scheme's check-in bonus, once per day.
    CheckIn,
    /// 完善个人信息: earns the profile bonus, once per member.
    ProfileCompleted,
    /// Manual adjustment, positive or negative, always with a reason.
    Adjustment { points: i64, note: String },
    /// Balance carried over from another system. `expires` keeps that
    /// system's date; without one the scheme's expiry applies from `at`.
    OpeningBalance {
        points: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expires: Option<NaiveDate>,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        system: String,
    },
    /// Tier carried over from another system: from `at` the member holds
    /// at least tier `tier` (0 = the lowest on the ladder of the scheme in
    /// force, clamped to its top) until the scheme's next review (upgrade
    /// and downgrade schemes), when the usual rules apply again. Under an
    /// upgrade-only scheme the tier is kept, as any reached tier is.
    OpeningTier {
        tier: TierIdx,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        system: String,
    },
}

fn one() -> u32 {
    1
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsEvent {
    pub member: MemberId,
    #[serde(deserialize_with = "crate::dates::date_time")]
    pub at: NaiveDateTime,
    #[serde(flatten)]
    pub kind: PointsEventKind,
    /// Staff member who recorded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff: Option<String>,
}
