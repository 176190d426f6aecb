//! The classifications: RFM scores and segments, the customer matrix, the
//! value curve, maintenance strategies, the pyramid, value classes and
//! attitude loyalty. Enums carry no words; the UI words them.

use serde::{Deserialize, Serialize};

/// Scores 1-5 by rank among the store's buying members. A member's score is
/// 1 + floor(5 x (members strictly worse) / (buying members)), so equal
/// values always share a score and a better value never scores lower.
pub fn quintile_scores(values: &[f64], higher_is_better: bool) -> Vec<u8> {
    let n = values.len();
    if n == 0 {
        return Vec::new();
    }
    let mut sorted: Vec<f64> = values.to_vec();
    crate::order::sort_floats(&mut sorted);
    values
        .iter()
        .map(|&v| {
            let worse = if higher_is_better {
                sorted.partition_point(|&s| s < v)
            } else {
                n - sorted.partition_point(|&s| s <= v)
            };
            (1 + (5 * worse) / n).min(5) as u8
        })
        .collect()
}

/// The value at `percentile` (0-100) of `values` by the nearest-rank rule;
/// "high" on a split means strictly above this value.
pub fn split_value(values: &[f64], percentile: u8) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    crate::order::sort_floats(&mut v);
    let p = percentile.min(100) as usize;
    let rank = (p * v.len()).div_ceil(100).max(1);
    Some(v[rank - 1])
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RfmSegment {
    Champions,
    Loyal,
    PotentialLoyalist,
    New,
    Promising,
    NeedAttention,
    AboutToSleep,
    AtRisk,
    CantLoseThem,
    Hibernating,
    Lost,
}

impl RfmSegment {
    pub const ALL: [RfmSegment; 11] = [
        RfmSegment::Champions,
        RfmSegment::Loyal,
        RfmSegment::PotentialLoyalist,
        RfmSegment::New,
        RfmSegment::Promising,
        RfmSegment::NeedAttention,
        RfmSegment::AboutToSleep,
        RfmSegment::AtRisk,
        RfmSegment::CantLoseThem,
        RfmSegment::Hibernating,
        RfmSegment::Lost,
    ];

    /// The segment of a score triple (each 1-5). Recency and frequency
    /// place the member on the usual R x F grid; monetary splits the
    /// lapsed low-frequency corner into hibernating and lost.
    pub fn of(r: u8, f: u8, m: u8) -> RfmSegment {
        match (r, f) {
            (5, 4..=5) => RfmSegment::Champions,
            (3..=4, 4..=5) => RfmSegment::Loyal,
            (4..=5, 2..=3) => RfmSegment::PotentialLoyalist,
            (5, 1) => RfmSegment::New,
            (4, 1) => RfmSegment::Promising,
            (3, 3) => RfmSegment::NeedAttention,
            (3, 1..=2) => RfmSegment::AboutToSleep,
            (1..=2, 5) => RfmSegment::CantLoseThem,
            (1..=2, 3..=4) => RfmSegment::AtRisk,
            (1, 1..=2) if m <= 2 => RfmSegment::Lost,
            _ => RfmSegment::Hibernating,
        }
    }

    /// The segment's definition as a predicate, written independently of
    /// [`RfmSegment::of`] so tests can check the two agree.
    pub fn contains(self, r: u8, f: u8, m: u8) -> bool {
        let (r, f, m) = (r.clamp(1, 5), f.clamp(1, 5), m.clamp(1, 5));
        match self {
            RfmSegment::Champions => r == 5 && f >= 4,
            RfmSegment::Loyal => (3..=4).contains(&r) && f >= 4,
            RfmSegment::PotentialLoyalist => r >= 4 && (2..=3).contains(&f),
            RfmSegment::New => r == 5 && f == 1,
            RfmSegment::Promising => r == 4 && f == 1,
            RfmSegment::NeedAttention => r == 3 && f == 3,
            RfmSegment::AboutToSleep => r == 3 && f <= 2,
            RfmSegment::CantLoseThem => r <= 2 && f == 5,
            RfmSegment::AtRisk => r <= 2 && (3..=4).contains(&f),
            RfmSegment::Lost => r == 1 && f <= 2 && m <= 2,
            RfmSegment::Hibernating => r <= 2 && f <= 2 && !(r == 1 && m <= 2),
        }
    }
}

/// Customer matrix by loyalty x total value (客户矩阵).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoyaltyValueCell {
    /// 知己: high loyalty, high value.
    TrueFriend,
    /// 蝴蝶: low loyalty, high value.
    Butterfly,
    /// 藤壶: high loyalty, low value.
    Barnacle,
    /// 过客: low loyalty, low value.
    Stranger,
}

impl LoyaltyValueCell {
    pub const ALL: [LoyaltyValueCell; 4] = [
        LoyaltyValueCell::TrueFriend,
        LoyaltyValueCell::Butterfly,
        LoyaltyValueCell::Barnacle,
        LoyaltyValueCell::Stranger,
    ];

    pub fn of(high_loyalty: bool, high_value: bool) -> LoyaltyValueCell {
        match (high_loyalty, high_value) {
            (true, true) => LoyaltyValueCell::TrueFriend,
            (false, true) => LoyaltyValueCell::Butterfly,
            (true, false) => LoyaltyValueCell::Barnacle,
            (false, false) => LoyaltyValueCell::Stranger,
        }
    }
}

/// Value curve (Boston matrix) by current x potential value (价值曲线).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueCurveCell {
    /// 明星: high current, high potential.
    Star,
    /// 现金: high current, low potential.
    CashCow,
    /// 问题: low current, high potential.
    QuestionMark,
    /// 瘦狗: low current, low potential.
    Dog,
}

impl ValueCurveCell {
    pub const ALL: [ValueCurveCell; 4] = [
        ValueCurveCell::Star,
        ValueCurveCell::CashCow,
        ValueCurveCell::QuestionMark,
        ValueCurveCell::Dog,
    ];

    pub fn of(high_current: bool, high_potential: bool) -> ValueCurveCell {
        match (high_current, high_potential) {
            (true, true) => ValueCurveCell::Star,
            (true, false) => ValueCurveCell::CashCow,
            (false, true) => ValueCurveCell::QuestionMark,
            (false, false) => ValueCurveCell::Dog,
        }
    }
}

/// Maintenance strategy (维护策略) over the two matrices.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// 深度关爱: true friends and stars.
    DeepCare,
    /// 深度获取: butterflies and question marks.
    DeepAcquisition,
    /// 深度挖掘: barnacles and cash cows.
    DeepMining,
    /// 长期培育: strangers and dogs.
    LongTermNurture,
}

/// What staff do for a strategy.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StrategyAction {
    /// One named staff member looks after them personally.
    PersonalService,
    /// Private previews, VIP events.
    ExclusiveEvents,
    /// Thank-you gifts and hand-written notes on special days.
    ThankYouGifts,
    /// Ask for referrals (老带新).
    AskForReferrals,
    /// Invite back more often: new-arrival and styling appointments.
    RaiseVisitFrequency,
    /// Show how close the next tier is.
    MoveUpTier,
    /// Record preferences so the next contact is relevant.
    LearnPreferences,
    /// Cross-sell matching categories.
    CrossSell,
    /// Bundles and complete-the-look offers to raise spend per visit.
    RaiseSpendPerVisit,
    /// Low-cost contact: seasonal messages, campaign lists.
    LowCostContact,
    /// Serve the promising, do not spend on the rest.
    ServeThePromising,
}

impl Strategy {
    pub const ALL: [Strategy; 4] = [
        Strategy::DeepCare,
        Strategy::DeepAcquisition,
        Strategy::DeepMining,
        Strategy::LongTermNurture,
    ];

    /// From the customer matrix, with stars of the value curve always
    /// getting deep care (the cells pair up: true friend / star, butterfly
    /// / question mark, barnacle / cash cow, stranger / dog).
    pub fn of(cell: LoyaltyValueCell, curve: Option<ValueCurveCell>) -> Strategy {
        if curve == Some(ValueCurveCell::Star) {
            return Strategy::DeepCare;
        }
        match cell {
            LoyaltyValueCell::TrueFriend => Strategy::DeepCare,
            LoyaltyValueCell::Butterfly => Strategy::DeepAcquisition,
            LoyaltyValueCell::Barnacle => Strategy::DeepMining,
            LoyaltyValueCell::Stranger => Strategy::LongTermNurture,
        }
    }

    pub fn actions(self) -> &'static [StrategyAction] {
        use StrategyAction::*;
        match self {
            Strategy::DeepCare => &[
                PersonalService,
                ExclusiveEvents,
                ThankYouGifts,
                AskForReferrals,
            ],
            Strategy::DeepAcquisition => &[RaiseVisitFrequency, MoveUpTier, LearnPreferences],
            Strategy::DeepMining => &[CrossSell, RaiseSpendPerVisit, MoveUpTier],
            Strategy::LongTermNurture => &[LowCostContact, LearnPreferences, ServeThePromising],
        }
    }
}

/// Customer pyramid layer (顾客金字塔) by value contribution.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PyramidLayer {
    /// 白金层 platinum.
    A,
    /// 黄金层 gold.
    B,
    /// 钢铁层 iron.
    C,
    /// 重铅层 lead.
    D,
}

impl PyramidLayer {
    pub const ALL: [PyramidLayer; 4] = [
        PyramidLayer::A,
        PyramidLayer::B,
        PyramidLayer::C,
        PyramidLayer::D,
    ];
}

/// Value classes.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueClass {
    /// 最有价值客户: the top share by current value.
    Mvc,
    /// 最具成长性客户: the largest gap between potential and current value.
    Mgc,
    /// 负值客户: serving cost above the margin they bring.
    Bzc,
    /// None of the three.
    None,
}

impl ValueClass {
    pub const ALL: [ValueClass; 4] = [
        ValueClass::Mvc,
        ValueClass::Mgc,
        ValueClass::Bzc,
        ValueClass::None,
    ];
}

/// Loyalty by attitude x behaviour.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttitudeLoyalty {
    /// Low attitude, low behaviour.
    None,
    /// 惰性: buys often without liking the store much.
    Inertia,
    /// 潜在: likes the store but buys little.
    Latent,
    /// 绝对: both high.
    True,
    /// No satisfaction score recorded: not guessed.
    Unknown,
}

impl AttitudeLoyalty {
    pub const ALL: [AttitudeLoyalty; 5] = [
        AttitudeLoyalty::None,
        AttitudeLoyalty::Inertia,
        AttitudeLoyalty::Latent,
        AttitudeLoyalty::True,
        AttitudeLoyalty::Unknown,
    ];

    pub fn of(high_attitude: Option<bool>, high_behaviour: bool) -> AttitudeLoyalty {
        match (high_attitude, high_behaviour) {
            (None, _) => AttitudeLoyalty::Unknown,
            (Some(true), true) => AttitudeLoyalty::True,
            (Some(true), false) => AttitudeLoyalty::Latent,
            (Some(false), true) => AttitudeLoyalty::Inertia,
            (Some(false), false) => AttitudeLoyalty::None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_a_score_and_order_is_kept() {
        // Ten buyers: spend 1..=10 gives two per quintile.
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(
            quintile_scores(&v, true),
            vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
        );
        // Recency: fewer days is better.
        assert_eq!(
            quintile_scores(&v, false),
            vec![5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
        );
        // Six one-time buyers and four twice: the ties share the lowest score.
        let f = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0];
        assert_eq!(
            quintile_scores(&f, true),
            vec![1, 1, 1, 1, 1, 1, 4, 4, 4, 4]
        );
    }

    #[test]
    fn median_split() {
        assert_eq!(split_value(&[5.0, 1.0, 3.0, 4.0], 50), Some(3.0));
        assert_eq!(split_value(&[], 50), None);
    }
}
