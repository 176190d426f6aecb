//! The words for the engine's segments, in zh-CN and English, shared by
//! the segments page, the member page and the member list's filter bar.

use clientele_engine::analytics::{
    AttitudeLoyalty, LoyaltyValueCell, PyramidLayer, RfmSegment, Strategy, StrategyAction,
    ValueClass, ValueCurveCell,
};

crate::texts!(SegWord {
    Champions => "冠军客户", "Champions";
    Loyal => "忠诚客户", "Loyal";
    PotentialLoyalist => "潜力忠诚", "Potential loyalists";
    New => "新客户", "New";
    Promising => "有希望", "Promising";
    NeedAttention => "需要关注", "Need attention";
    AboutToSleep => "即将沉睡", "About to sleep";
    AtRisk => "有流失风险", "At risk";
    CantLoseThem => "不能失去", "Can't lose them";
    Hibernating => "休眠", "Hibernating";
    Lost => "已流失", "Lost";
    TrueFriend => "知己", "True friends";
    Butterfly => "蝴蝶", "Butterflies";
    Barnacle => "藤壶", "Barnacles";
    Stranger => "过客", "Strangers";
    Star => "明星", "Stars";
    CashCow => "现金", "Cash cows";
    QuestionMark => "问题", "Question marks";
    Dog => "瘦狗", "Dogs";
    DeepCare => "深度关爱", "Deep care";
    DeepAcquisition => "深度获取", "Deep acquisition";
    DeepMining => "深度挖掘", "Deep mining";
    LongTermNurture => "长期培育", "Long-term nurture";
    LayerA => "A 白金层", "A Platinum";
    LayerB => "B 黄金层", "B Gold";
    LayerC => "C 钢铁层", "C Iron";
    LayerD => "D 重铅层", "D Lead";
    Mvc => "最有价值客户 MVC", "Most valuable (MVC)";
    Mgc => "最具成长性客户 MGC", "Most growable (MGC)";
    Bzc => "负值客户 BZC", "Below zero (BZC)";
    NoClass => "一般", "Ordinary";
    AttNone => "无忠诚", "No loyalty";
    AttInertia => "惰性忠诚", "Inertia loyalty";
    AttLatent => "潜在忠诚", "Latent loyalty";
    AttTrue => "绝对忠诚", "True loyalty";
    AttUnknown => "未知（无满意度评分）", "Unknown (no satisfaction score)";
    PersonalService => "专人一对一服务", "One named staff member looks after them";
    ExclusiveEvents => "私享预览与 VIP 活动", "Private previews and VIP events";
    ThankYouGifts => "特别日子的感谢礼物与手写卡片", "Thank-you gifts and hand-written notes on special days";
    AskForReferrals => "邀请转介绍（老带新）", "Ask for referrals";
    RaiseVisitFrequency => "邀约新品与搭配预约，提高到店频次", "Invite back more often: new arrivals, styling appointments";
    MoveUpTier => "告诉她离下一等级还差多少", "Show how close the next tier is";
    LearnPreferences => "记录偏好，让下次联系更贴心", "Record preferences so the next contact is relevant";
    CrossSell => "关联品类交叉销售", "Cross-sell matching categories";
    RaiseSpendPerVisit => "整套搭配与组合优惠，提高客单价", "Complete-the-look bundles to raise spend per visit";
    LowCostContact => "低成本联系：节令问候、营销名单", "Low-cost contact: seasonal messages, campaign lists";
    ServeThePromising => "服务有潜力的，不在其余会员上多投入", "Serve the promising; spend little on the rest";
});

pub fn rfm(s: RfmSegment) -> SegWord {
    match s {
        RfmSegment::Champions => SegWord::Champions,
        RfmSegment::Loyal => SegWord::Loyal,
        RfmSegment::PotentialLoyalist => SegWord::PotentialLoyalist,
        RfmSegment::New => SegWord::New,
        RfmSegment::Promising => SegWord::Promising,
        RfmSegment::NeedAttention => SegWord::NeedAttention,
        RfmSegment::AboutToSleep => SegWord::AboutToSleep,
        RfmSegment::AtRisk => SegWord::AtRisk,
        RfmSegment::CantLoseThem => SegWord::CantLoseThem,
        RfmSegment::Hibernating => SegWord::Hibernating,
        RfmSegment::Lost => SegWord::Lost,
    }
}

pub fn loyalty(c: LoyaltyValueCell) -> SegWord {
    match c {
        LoyaltyValueCell::TrueFriend => SegWord::TrueFriend,
        LoyaltyValueCell::Butterfly => SegWord::Butterfly,
        LoyaltyValueCell::Barnacle => SegWord::Barnacle,
        LoyaltyValueCell::Stranger => SegWord::Stranger,
    }
}

pub fn curve(c: ValueCurveCell) -> SegWord {
    match c {
        ValueCurveCell::Star => SegWord::Star,
        ValueCurveCell::CashCow => SegWord::CashCow,
        ValueCurveCell::QuestionMark => SegWord::QuestionMark,
        ValueCurveCell::Dog => SegWord::Dog,
    }
}

pub fn strategy(s: Strategy) -> SegWord {
    match s {
        Strategy::DeepCare => SegWord::DeepCare,
        Strategy::DeepAcquisition => SegWord::DeepAcquisition,
        Strategy::DeepMining => SegWord::DeepMining,
        Strategy::LongTermNurture => SegWord::LongTermNurture,
    }
}

pub fn layer(l: PyramidLayer) -> SegWord {
    match l {
        PyramidLayer::A => SegWord::LayerA,
        PyramidLayer::B => SegWord::LayerB,
        PyramidLayer::C => SegWord::LayerC,
        PyramidLayer::D => SegWord::LayerD,
    }
}

pub fn value_class(v: ValueClass) -> SegWord {
    match v {
        ValueClass::Mvc => SegWord::Mvc,
        ValueClass::Mgc => SegWord::Mgc,
        ValueClass::Bzc => SegWord::Bzc,
        ValueClass::None => SegWord::NoClass,
    }
}

pub fn attitude(a: AttitudeLoyalty) -> SegWord {
    match a {
        AttitudeLoyalty::None => SegWord::AttNone,
        AttitudeLoyalty::Inertia => SegWord::AttInertia,
        AttitudeLoyalty::Latent => SegWord::AttLatent,
        AttitudeLoyalty::True => SegWord::AttTrue,
        AttitudeLoyalty::Unknown => SegWord::AttUnknown,
    }
}

pub fn action(a: StrategyAction) -> SegWord {
    match a {
        StrategyAction::PersonalService => SegWord::PersonalService,
        StrategyAction::ExclusiveEvents => SegWord::ExclusiveEvents,
        StrategyAction::ThankYouGifts => SegWord::ThankYouGifts,
        StrategyAction::AskForReferrals => SegWord::AskForReferrals,
        StrategyAction::RaiseVisitFrequency => SegWord::RaiseVisitFrequency,
        StrategyAction::MoveUpTier => SegWord::MoveUpTier,
        StrategyAction::LearnPreferences => SegWord::LearnPreferences,
        StrategyAction::CrossSell => SegWord::CrossSell,
        StrategyAction::RaiseSpendPerVisit => SegWord::RaiseSpendPerVisit,
        StrategyAction::LowCostContact => SegWord::LowCostContact,
        StrategyAction::ServeThePromising => SegWord::ServeThePromising,
    }
}

/// The engine's snake_case name of a segment value, used in URLs.
pub fn slug<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v)
        .unwrap_or_default()
        .trim_matches('"')
        .to_string()
}

/// Reads a value back from its [`slug`].
pub fn from_slug<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_str(&format!("\"{}\"", s.replace(['"', '\\'], ""))).ok()
}
