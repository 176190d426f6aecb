//! The filters a number on the dashboard or a segments cell opens the
//! member list with, read from the query string: `?list=active`,
//! `?tier=2`, `?ids=3,8,21`. Named lists keep the URL short even for a
//! store of 100,000 members; the engine works out who is in them.

use crate::i18n::Text;
use crate::segment_words::{self as words, from_slug, slug};
use chrono::NaiveDate;
use clientele_engine::analytics::health::programme_health;
use clientele_engine::analytics::{
    at_risk_vips, Analysis, LoyaltyValueCell, PyramidLayer, RfmSegment, Strategy, ValueCurveCell,
};
use clientele_engine::care::work::{call_plan, upcoming_days_with};
use clientele_engine::members::search::shop_members;
use clientele_engine::points::replay::Replay;
use clientele_engine::points::tiers::TierIdx;
use clientele_engine::{MemberId, Store};

/// Days ahead the "this week" lists look, today included.
pub const WEEK_AHEAD: i64 = 6;
/// Contacts a year every member should receive (the call plan's rule).
pub const CALLS_PER_YEAR: u32 = 3;

crate::texts!(FilterText {
    Active => "近 12 个月有消费", "Bought in the last 12 months";
    Repeat => "复购会员（至少两次消费）", "Repeat buyers (two or more purchases)";
    Churned => "去年有消费、今年未再来", "Bought last year, not this year";
    Top20 => "消费最高的 20%", "Top 20% by sales";
    New => "本月新会员", "Joined this month";
    Expiring => "本月有积分到期", "Points expiring this month";
    Birthdays => "本周生日与纪念日", "Birthdays and special days this week";
    Calls => "待回访", "Calls due";
    AtRiskVips => "有流失风险的 VIP", "VIPs at risk";
    Tier => "等级", "Tier";
    Chosen => "所选会员", "Selected members";
});

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MemberFilter {
    Ids(Vec<MemberId>),
    Tier(TierIdx),
    List(NamedList),
    /// One cell of the R x F grid.
    Rfm(u8, u8),
    Segment(RfmSegment),
    Loyalty(LoyaltyValueCell),
    Curve(ValueCurveCell),
    Layer(PyramidLayer),
    Strategy(Strategy),
    /// A shop's members: its own and those who bought there.
    Shop(String),
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum NamedList {
    Active,
    Repeat,
    Churned,
    Top20,
    New,
    Expiring,
    Birthdays,
    Calls,
    AtRisk,
}

impl NamedList {
    pub const ALL: [NamedList; 9] = [
        NamedList::AtRisk,
        NamedList::Active,
        NamedList::Repeat,
        NamedList::Churned,
        NamedList::Top20,
        NamedList::New,
        NamedList::Expiring,
        NamedList::Birthdays,
        NamedList::Calls,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            NamedList::Active => "active",
            NamedList::Repeat => "repeat",
            NamedList::Churned => "churned",
            NamedList::Top20 => "top20",
            NamedList::New => "new",
            NamedList::Expiring => "expiring",
            NamedList::Birthdays => "birthdays",
            NamedList::Calls => "calls",
            NamedList::AtRisk => "at_risk",
        }
    }

    pub fn href(self) -> String {
        format!("members?list={}", self.slug())
    }

    fn text(self) -> FilterText {
        match self {
            NamedList::Active => FilterText::Active,
            NamedList::Repeat => FilterText::Repeat,
            NamedList::Churned => FilterText::Churned,
            NamedList::Top20 => FilterText::Top20,
            NamedList::New => FilterText::New,
            NamedList::Expiring => FilterText::Expiring,
            NamedList::Birthdays => FilterText::Birthdays,
            NamedList::Calls => FilterText::Calls,
            NamedList::AtRisk => FilterText::AtRiskVips,
        }
    }
}

/// `href` (a members link) kept within `shop` when one is chosen on the
/// dashboard or segments page (`&in=`), so the list shows the members the
/// number counted; the plain members link becomes that shop's list.
pub fn within(href: String, shop: Option<&str>) -> String {
    let Some(shop) = shop.filter(|s| !s.is_empty()) else {
        return href;
    };
    let code = clientele_engine::care::message::percent_encode(shop);
    match href.split_once('?') {
        None => format!("{href}?shop={code}"),
        Some(_) => format!("{href}&in={code}"),
    }
}

pub fn tier_href(tier: TierIdx) -> String {
    format!("members?tier={tier}")
}

pub fn ids_href(ids: &[MemberId]) -> String {
    let list: Vec<String> = ids.iter().map(|i| i.0.to_string()).collect();
    format!("members?ids={}", list.join(","))
}

impl MemberFilter {
    /// Reads the filter from query parameters; `None` when there is none
    /// (or it cannot be read, which shows the whole list).
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Option<MemberFilter> {
        if let Some(shop) = get("shop") {
            return Some(MemberFilter::Shop(shop));
        }
        if let Some(list) = get("list") {
            return NamedList::ALL
                .into_iter()
                .find(|l| l.slug() == list)
                .map(MemberFilter::List);
        }
        if let Some(rf) = get("rfm") {
            let (r, f) = rf.split_once('-')?;
            return Some(MemberFilter::Rfm(r.parse().ok()?, f.parse().ok()?));
        }
        if let Some(v) = get("seg") {
            return from_slug(&v).map(MemberFilter::Segment);
        }
        if let Some(v) = get("lv") {
            return from_slug(&v).map(MemberFilter::Loyalty);
        }
        if let Some(v) = get("vc") {
            return from_slug(&v).map(MemberFilter::Curve);
        }
        if let Some(v) = get("layer") {
            return from_slug(&v).map(MemberFilter::Layer);
        }
        if let Some(v) = get("strategy") {
            return from_slug(&v).map(MemberFilter::Strategy);
        }
        if let Some(t) = get("tier") {
            return t.parse().ok().map(MemberFilter::Tier);
        }
        if let Some(ids) = get("ids") {
            return Some(MemberFilter::Ids(
                ids.split(',')
                    .filter_map(|x| x.trim().parse().ok())
                    .map(MemberId)
                    .collect(),
            ));
        }
        None
    }

    /// The words shown above the filtered list, zh-CN and English (the
    /// tier's name is added by the caller, which knows the scheme).
    pub fn label(&self) -> (String, String) {
        fn both(t: impl Text) -> (String, String) {
            (t.zh().to_string(), t.en().to_string())
        }
        match self {
            MemberFilter::Ids(_) => both(FilterText::Chosen),
            MemberFilter::Tier(_) => both(FilterText::Tier),
            MemberFilter::List(l) => both(l.text()),
            MemberFilter::Rfm(r, f) => (format!("RFM 格 R{r} F{f}"), format!("RFM cell R{r} F{f}")),
            MemberFilter::Segment(x) => both(words::rfm(*x)),
            MemberFilter::Loyalty(x) => both(words::loyalty(*x)),
            MemberFilter::Curve(x) => both(words::curve(*x)),
            MemberFilter::Layer(x) => both(words::layer(*x)),
            MemberFilter::Strategy(x) => both(words::strategy(*x)),
            MemberFilter::Shop(s) => (format!("门店：{s}"), format!("Shop: {s}")),
        }
    }

    /// True when resolving needs the segment analysis.
    pub fn needs_analysis(&self) -> bool {
        !matches!(
            self,
            MemberFilter::Ids(_)
                | MemberFilter::Tier(_)
                | MemberFilter::List(_)
                | MemberFilter::Shop(_)
        ) || *self == MemberFilter::List(NamedList::AtRisk)
    }

    /// The members this filter stands for. `analysis` is needed only
    /// when [`MemberFilter::needs_analysis`] says so.
    pub fn resolve(
        &self,
        store: &Store,
        today: NaiveDate,
        replay: Option<&Replay>,
        analysis: Option<&Analysis>,
    ) -> Vec<MemberId> {
        let seg = |f: &dyn Fn(&clientele_engine::analytics::MemberAnalysis) -> bool| {
            analysis
                .map(|a| {
                    a.members
                        .iter()
                        .filter(|m| f(m))
                        .map(|m| m.member)
                        .collect()
                })
                .unwrap_or_default()
        };
        match self {
            MemberFilter::Ids(ids) => ids.clone(),
            MemberFilter::Shop(shop) => shop_members(store, shop),
            MemberFilter::Tier(t) => replay
                .map(|r| {
                    r.members
                        .iter()
                        .filter(|o| o.tier == Some(*t))
                        .map(|o| o.member)
                        .collect()
                })
                .unwrap_or_default(),
            MemberFilter::Rfm(r, f) => seg(&|m| m.rfm.is_some_and(|s| s.r == *r && s.f == *f)),
            MemberFilter::Segment(x) => seg(&|m| m.rfm_segment == Some(*x)),
            MemberFilter::Loyalty(x) => seg(&|m| m.loyalty_value_cell == Some(*x)),
            MemberFilter::Curve(x) => seg(&|m| m.value_curve_cell == Some(*x)),
            MemberFilter::Layer(x) => seg(&|m| m.pyramid_layer == *x),
            MemberFilter::Strategy(x) => seg(&|m| m.strategy == Some(*x)),
            MemberFilter::List(l) => match l {
                NamedList::AtRisk => analysis
                    .map(|a| at_risk_vips(a).into_iter().map(|v| v.member).collect())
                    .unwrap_or_default(),
                NamedList::Birthdays => {
                    let mut ids: Vec<MemberId> = upcoming_days_with(
                        &store.members,
                        today,
                        WEEK_AHEAD,
                        store.scheme_on(today).leap_birthday,
                    )
                    .into_iter()
                    .map(|u| u.member)
                    .collect();
                    ids.sort_unstable();
                    ids.dedup();
                    ids
                }
                NamedList::Calls => call_plan(&store.members, &store.care, today, CALLS_PER_YEAR)
                    .into_iter()
                    .filter(|c| c.days_overdue >= 0)
                    .map(|c| c.member)
                    .collect(),
                other => replay
                    .map(|r| programme_health(store, r, today))
                    .map(|h| match other {
                        NamedList::Active => h.active,
                        NamedList::Repeat => h.repeaters,
                        NamedList::Churned => h.churned,
                        NamedList::Top20 => h.top20,
                        NamedList::New => h.joined_this_month,
                        _ => h.expiring_this_month.into_iter().map(|e| e.0).collect(),
                    })
                    .unwrap_or_default(),
            },
        }
    }
}

/// Link to the members of one segment value, e.g. `members?lv=true_friend` (relative
/// to the console's folder, see `app::base_path`).
pub fn segment_href<T: serde::Serialize>(key: &str, v: &T) -> String {
    format!("members?{key}={}", slug(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_stay_within_the_chosen_shop() {
        assert_eq!(
            within(NamedList::Active.href(), None),
            "members?list=active"
        );
        assert_eq!(
            within(NamedList::Active.href(), Some("静安店")),
            "members?list=active&in=%E9%9D%99%E5%AE%89%E5%BA%97"
        );
        assert_eq!(
            within("members".into(), Some("Shop 2")),
            "members?shop=Shop%202"
        );
    }
}
