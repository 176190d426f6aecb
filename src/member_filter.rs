//! The filters a number on the dashboard or a segments cell opens the
//! member list with, read from the query string: `?list=active`,
//! `?tier=2`, `?ids=3,8,21`. Named lists keep the URL short even for a
//! store of 100,000 members; the engine works out who is in them.

use chrono::NaiveDate;
use clientele_engine::care::{call_plan, upcoming_days};
use clientele_engine::health::programme_health;
use clientele_engine::replay::replay_store;
use clientele_engine::tiers::TierIdx;
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
    Tier => "等级", "Tier";
    Chosen => "所选会员", "Selected members";
});

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MemberFilter {
    Ids(Vec<MemberId>),
    Tier(TierIdx),
    List(NamedList),
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
}

impl NamedList {
    pub const ALL: [NamedList; 8] = [
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
        }
    }

    pub fn href(self) -> String {
        format!("/members?list={}", self.slug())
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
        }
    }
}

pub fn tier_href(tier: TierIdx) -> String {
    format!("/members?tier={tier}")
}

pub fn ids_href(ids: &[MemberId]) -> String {
    let list: Vec<String> = ids.iter().map(|i| i.0.to_string()).collect();
    format!("/members?ids={}", list.join(","))
}

impl MemberFilter {
    /// Reads the filter from query parameters; `None` when there is none
    /// (or it cannot be read, which shows the whole list).
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Option<MemberFilter> {
        if let Some(list) = get("list") {
            return NamedList::ALL
                .into_iter()
                .find(|l| l.slug() == list)
                .map(MemberFilter::List);
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

    /// The words shown above the filtered list (the tier's name is added
    /// by the caller, which knows the scheme).
    pub fn label(&self) -> FilterText {
        match self {
            MemberFilter::Ids(_) => FilterText::Chosen,
            MemberFilter::Tier(_) => FilterText::Tier,
            MemberFilter::List(l) => l.text(),
        }
    }

    /// The members this filter stands for.
    pub fn resolve(&self, store: &Store, today: NaiveDate) -> Vec<MemberId> {
        let health = || {
            replay_store(store, today)
                .ok()
                .map(|r| programme_health(store, &r, today))
        };
        match self {
            MemberFilter::Ids(ids) => ids.clone(),
            MemberFilter::Tier(t) => replay_store(store, today)
                .map(|r| {
                    r.members
                        .iter()
                        .filter(|o| o.tier == Some(*t))
                        .map(|o| o.member)
                        .collect()
                })
                .unwrap_or_default(),
            MemberFilter::List(l) => match l {
                NamedList::Birthdays => {
                    let mut ids: Vec<MemberId> = upcoming_days(&store.members, today, WEEK_AHEAD)
                        .into_iter()
                        .map(|u| u.member)
                        .collect();
                    ids.dedup();
                    ids
                }
                NamedList::Calls => call_plan(&store.members, &store.care, today, CALLS_PER_YEAR)
                    .into_iter()
                    .filter(|c| c.days_overdue >= 0)
                    .map(|c| c.member)
                    .collect(),
                other => health()
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
