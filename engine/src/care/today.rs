//! Today (今日待办): the care work due on one day, in one list, each item
//! saying why it is there. The triggers and their settings are the
//! store's [`TodayRules`]; what staff did with an item (done, snoozed,
//! skipped with a reason) is a [`TodayMark`] in the care log, a fact that
//! never changes, so two devices marking items offline never conflict.
//!
//! An item is known by its *key*: the member and what makes this occasion
//! itself (a birthday's date, a receipt and its follow-up day, the day
//! points expire, …). A mark hides its key's item; a new occasion (next
//! year's birthday, a new receipt) is a new key and comes back.

use crate::care::log::CareLog;
use crate::care::message::Occasion as MessageOccasion;
use crate::care::work::{upcoming_days_with, Occasion as DayOccasion};
use crate::members::model::{Member, MemberId, Purchase};
use crate::points::replay::Replay;
use crate::points::scheme::Scheme;
use crate::points::tiers::{Metric, TierIdx};
use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// A trigger with how many days it looks ahead (or back).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub on: bool,
    pub days: u16,
}

const fn window(days: u16) -> Window {
    Window { on: true, days }
}

/// A follow-up after a sale, `days` after it; only for receipts with a
/// line of `category` unless it is empty (any receipt).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpRule {
    pub days: u16,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub category: String,
}

/// Members who bought at least `purchases` times in the last `months`
/// months, and not for `weeks` weeks.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WinBackRule {
    pub on: bool,
    pub purchases: u16,
    pub months: u16,
    pub weeks: u16,
}

/// The triggers of the Today list and their settings (Settings → Today).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TodayRules {
    /// The member's birthday, `days` ahead.
    pub birthday: Window,
    /// Family birthdays and special days (anniversaries), `days` ahead.
    pub family: Window,
    /// Follow-ups after a sale; none switches them off.
    pub follow_ups: Vec<FollowUpRule>,
    /// Points expiring within `days`.
    pub expiring: Window,
    /// The cheapest reward the balance does not reach, when what is
    /// missing is at most `percent` of its price.
    pub reward: RewardRule,
    /// A tier reached in the last `days` days.
    pub tier_gained: Window,
    /// A tier whose review is within `days` days and not yet kept.
    pub tier_at_risk: Window,
    pub win_back: WinBackRule,
    /// Planned calls (maintenance-plan items) that are due.
    pub planned: bool,
    /// An item whose day has passed (a follow-up, a planned call is the
    /// exception: it stays until done) stays this many days, then goes.
    pub keep_days: u16,
    /// The hold-out group (对照组), in percent of members (0: none): their
    /// items are set aside, not contacted, so the results can show what
    /// the messages changed. Always the same members ([`in_hold_out`]).
    /// Planned calls are never held out: staff chose to make them.
    pub hold_out: u16,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RewardRule {
    pub on: bool,
    pub percent: u16,
}

impl Default for TodayRules {
    fn default() -> Self {
        TodayRules {
            birthday: window(7),
            family: window(3),
            follow_ups: vec![
                FollowUpRule {
                    days: 3,
                    category: String::new(),
                },
                FollowUpRule {
                    days: 30,
                    category: String::new(),
                },
            ],
            expiring: window(30),
            reward: RewardRule {
                on: true,
                percent: 20,
            },
            tier_gained: window(7),
            tier_at_risk: window(30),
            win_back: WinBackRule {
                on: true,
                purchases: 2,
                months: 12,
                weeks: 8,
            },
            planned: true,
            keep_days: 7,
            hold_out: 0,
        }
    }
}

/// Limits of the rules' numbers (a file saying a year of 10,000 days is
/// refused, not obeyed).
pub const MAX_DAYS: u16 = 366;
pub const MAX_WEEKS: u16 = 104;
pub const MAX_MONTHS: u16 = 60;
pub const MAX_FOLLOW_UPS: usize = 10;
pub const MAX_TEXT: usize = 100;
/// A hold-out of more than half would leave most of the work undone.
pub const MAX_HOLD_OUT: u16 = 50;

/// A rule outside its limits, named by its path in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleError {
    pub field: String,
    pub value: i64,
    pub min: i64,
    pub max: i64,
}

impl TodayRules {
    /// Every number within its limits; the first that is not.
    pub fn check(&self) -> Result<(), RuleError> {
        let mut checks: Vec<(String, i64, i64, i64)> = vec![
            (
                "birthday.days".into(),
                self.birthday.days.into(),
                0,
                MAX_DAYS.into(),
            ),
            (
                "family.days".into(),
                self.family.days.into(),
                0,
                MAX_DAYS.into(),
            ),
            (
                "expiring.days".into(),
                self.expiring.days.into(),
                1,
                MAX_DAYS.into(),
            ),
            ("reward.percent".into(), self.reward.percent.into(), 1, 100),
            (
                "tier_gained.days".into(),
                self.tier_gained.days.into(),
                0,
                MAX_DAYS.into(),
            ),
            (
                "tier_at_risk.days".into(),
                self.tier_at_risk.days.into(),
                0,
                MAX_DAYS.into(),
            ),
            (
                "win_back.purchases".into(),
                self.win_back.purchases.into(),
                1,
                1000,
            ),
            (
                "win_back.months".into(),
                self.win_back.months.into(),
                1,
                MAX_MONTHS.into(),
            ),
            (
                "win_back.weeks".into(),
                self.win_back.weeks.into(),
                1,
                MAX_WEEKS.into(),
            ),
            (
                "keep_days".into(),
                self.keep_days.into(),
                0,
                MAX_DAYS.into(),
            ),
            (
                "hold_out".into(),
                self.hold_out.into(),
                0,
                MAX_HOLD_OUT.into(),
            ),
            (
                "follow_ups".into(),
                self.follow_ups.len() as i64,
                0,
                MAX_FOLLOW_UPS as i64,
            ),
        ];
        for (i, f) in self.follow_ups.iter().enumerate() {
            checks.push((
                format!("follow_ups[{i}].days"),
                f.days.into(),
                1,
                MAX_DAYS.into(),
            ));
            let chars = f.category.chars().count() as i64;
            checks.push((
                format!("follow_ups[{i}].category"),
                chars,
                0,
                MAX_TEXT as i64,
            ));
        }
        match checks.into_iter().find(|c| c.1 < c.2 || c.1 > c.3) {
            Some((field, value, min, max)) => Err(RuleError {
                field,
                value,
                min,
                max,
            }),
            None => Ok(()),
        }
    }
}

/// What kind of work an item is; the list and the dashboard count by it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Trigger {
    Planned,
    Birthday,
    FamilyDay,
    FollowUp,
    PointsExpiring,
    TierAtRisk,
    RewardInReach,
    TierGained,
    WinBack,
}

impl Trigger {
    pub const ALL: [Trigger; 9] = [
        Trigger::Planned,
        Trigger::Birthday,
        Trigger::FamilyDay,
        Trigger::FollowUp,
        Trigger::PointsExpiring,
        Trigger::TierAtRisk,
        Trigger::RewardInReach,
        Trigger::TierGained,
        Trigger::WinBack,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Trigger::Planned => "planned",
            Trigger::Birthday => "birthday",
            Trigger::FamilyDay => "family",
            Trigger::FollowUp => "follow_up",
            Trigger::PointsExpiring => "expiring",
            Trigger::TierAtRisk => "tier_at_risk",
            Trigger::RewardInReach => "reward",
            Trigger::TierGained => "tier_gained",
            Trigger::WinBack => "win_back",
        }
    }

    pub fn from_code(code: &str) -> Option<Trigger> {
        Trigger::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The trigger of an item's key (see [`TodayItem::key`]).
    pub fn of_key(key: &str) -> Option<Trigger> {
        match key.split(':').next()? {
            "day" => Some(Trigger::FamilyDay),
            code => Trigger::from_code(code),
        }
    }

    /// The message template an item of this trigger starts from.
    pub fn occasion(self) -> MessageOccasion {
        match self {
            Trigger::Birthday => MessageOccasion::Birthday,
            Trigger::FollowUp => MessageOccasion::FollowUp,
            Trigger::PointsExpiring => MessageOccasion::PointsExpiring,
            Trigger::RewardInReach => MessageOccasion::RewardInReach,
            Trigger::TierGained => MessageOccasion::TierReached,
            Trigger::WinBack => MessageOccasion::WinBack,
            Trigger::Planned | Trigger::FamilyDay | Trigger::TierAtRisk => MessageOccasion::General,
        }
    }
}

/// Why an item is on the list, with the facts the screen shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Why {
    Birthday {
        date: NaiveDate,
        days_away: i64,
        turning: Option<i32>,
    },
    FamilyDay {
        occasion: DayOccasion,
        date: NaiveDate,
        days_away: i64,
    },
    FollowUp {
        receipt: String,
        bought: NaiveDate,
        after: u16,
        category: String,
    },
    PointsExpiring {
        points: i64,
        first: NaiveDate,
    },
    RewardInReach {
        reward: String,
        short: i64,
        balance: i64,
    },
    TierGained {
        tier: TierIdx,
        on: NaiveDate,
    },
    TierAtRisk {
        tier: Option<TierIdx>,
        review: NaiveDate,
        needed: i64,
        metric: Metric,
    },
    WinBack {
        purchases: u32,
        last: NaiveDate,
    },
    Planned {
        id: u64,
        what: String,
        due: NaiveDate,
    },
}

impl Why {
    pub fn trigger(&self) -> Trigger {
        match self {
            Why::Birthday { .. } => Trigger::Birthday,
            Why::FamilyDay { .. } => Trigger::FamilyDay,
            Why::FollowUp { .. } => Trigger::FollowUp,
            Why::PointsExpiring { .. } => Trigger::PointsExpiring,
            Why::RewardInReach { .. } => Trigger::RewardInReach,
            Why::TierGained { .. } => Trigger::TierGained,
            Why::TierAtRisk { .. } => Trigger::TierAtRisk,
            Why::WinBack { .. } => Trigger::WinBack,
            Why::Planned { .. } => Trigger::Planned,
        }
    }

    /// What makes this occasion itself (see the module's note).
    fn key(&self) -> String {
        match self {
            Why::Birthday { date, .. } => format!("birthday:{date}"),
            Why::FamilyDay { occasion, date, .. } => match occasion {
                DayOccasion::FamilyBirthday { relation, name } => {
                    format!("family:{date}:{relation}:{name}")
                }
                DayOccasion::SpecialDay { label } => format!("day:{date}:{label}"),
                DayOccasion::Birthday => format!("birthday:{date}"),
            },
            Why::FollowUp { receipt, after, .. } => format!("follow_up:{receipt}:{after}"),
            Why::PointsExpiring { first, .. } => format!("expiring:{first}"),
            // A new balance (a sale since) is a new reminder.
            Why::RewardInReach {
                reward, balance, ..
            } => format!("reward:{reward}:{balance}"),
            Why::TierGained { tier, on } => format!("tier_gained:{tier}:{on}"),
            Why::TierAtRisk { review, .. } => format!("tier_at_risk:{review}"),
            Why::WinBack { last, .. } => format!("win_back:{last}"),
            Why::Planned { id, .. } => format!("planned:{id}"),
        }
    }
}

/// One piece of today's work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TodayItem {
    pub member: MemberId,
    pub why: Why,
    pub key: String,
}

/// What staff did with an item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkAction {
    Done,
    /// Back on the list on `until`.
    Snoozed {
        until: NaiveDate,
    },
    Skipped {
        reason: SkipReason,
    },
    /// In the hold-out group: set aside the day it came up, not contacted
    /// (written by the console, not by staff).
    HeldOut,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// In touch already (met in the shop, called last week).
    AlreadyInTouch,
    /// Not the right moment (a bereavement, a complaint open).
    NotSuitable,
    /// The member asked not to be contacted.
    DoNotContact,
    Other,
}

impl SkipReason {
    pub const ALL: [SkipReason; 4] = [
        SkipReason::AlreadyInTouch,
        SkipReason::NotSuitable,
        SkipReason::DoNotContact,
        SkipReason::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SkipReason::AlreadyInTouch => "already_in_touch",
            SkipReason::NotSuitable => "not_suitable",
            SkipReason::DoNotContact => "do_not_contact",
            SkipReason::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<SkipReason> {
        SkipReason::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// A mark on a Today item: a fact of the care log, written once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TodayMark {
    pub member: MemberId,
    pub key: String,
    pub on: NaiveDate,
    pub action: MarkAction,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub staff: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub shop: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub device: String,
}

/// Whose work: a shop's members, a staff member's own, or everyone's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TodayScope {
    pub shop: Option<String>,
    pub staff: Option<String>,
}

impl TodayScope {
    fn takes(&self, m: &Member) -> bool {
        self.shop.as_ref().is_none_or(|s| &m.store == s)
            && self
                .staff
                .as_ref()
                .is_none_or(|s| m.staff.as_deref().map(str::trim) == Some(s.as_str()))
    }
}

/// The facts the list is made from, besides the store's own lists.
pub struct TodayInput<'a> {
    pub members: &'a [Member],
    pub purchases: &'a [Purchase],
    pub care: &'a CareLog,
    /// The replay as of `as_of` (`None` when the scheme is invalid: the
    /// points and tier triggers are then silent).
    pub replay: Option<&'a Replay>,
    pub scheme: &'a Scheme,
    pub rules: &'a TodayRules,
    pub as_of: NaiveDate,
}

/// Today's work, and the hold-out group's items set aside from it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TodayLists {
    pub items: Vec<TodayItem>,
    /// Items of members in the hold-out group (not to be contacted; the
    /// console marks them [`MarkAction::HeldOut`] so the results count them).
    pub held_out: Vec<TodayItem>,
}

/// Whether `member` is in a hold-out group of `percent` percent: the same
/// members every day (a hash of the id, so about `percent` in a hundred).
pub fn in_hold_out(member: MemberId, percent: u16) -> bool {
    // splitmix64: ids handed out in series still spread evenly.
    let mut z = member.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    z % 100 < u64::from(percent)
}

/// Today's work for `scope` (see [`today_lists`]), without the hold-out.
pub fn today_list(input: &TodayInput, scope: &TodayScope) -> Vec<TodayItem> {
    today_lists(input, scope).items
}

/// Today's work for `scope`: every trigger that fires, less what a mark
/// hides; by trigger, then soonest, then member. Items of members in the
/// hold-out group (except planned calls) are listed apart.
pub fn today_lists(input: &TodayInput, scope: &TodayScope) -> TodayLists {
    let TodayInput {
        members,
        purchases,
        care,
        replay,
        scheme,
        rules,
        as_of,
    } = *input;
    let wanted: Vec<&Member> = members.iter().filter(|m| scope.takes(m)).collect();
    let ids: HashSet<MemberId> = wanted.iter().map(|m| m.id).collect();
    let all_members = wanted.len() == members.len();
    let takes = |id: MemberId| all_members || ids.contains(&id);
    let mut out: Vec<(NaiveDate, TodayItem)> = Vec::new();
    let mut push = |member: MemberId, sort: NaiveDate, why: Why| {
        let key = why.key();
        out.push((sort, TodayItem { member, why, key }));
    };

    if rules.birthday.on || rules.family.on {
        let ahead = rules.birthday.days.max(rules.family.days).into();
        for d in upcoming_days_with(members, as_of, ahead, scheme.leap_birthday) {
            if !takes(d.member) {
                continue;
            }
            let birthday = matches!(d.occasion, DayOccasion::Birthday);
            let w = if birthday {
                rules.birthday
            } else {
                rules.family
            };
            if !w.on || d.days_away > i64::from(w.days) {
                continue;
            }
            let why = if birthday {
                Why::Birthday {
                    date: d.date,
                    days_away: d.days_away,
                    turning: d.turning,
                }
            } else {
                Why::FamilyDay {
                    occasion: d.occasion,
                    date: d.date,
                    days_away: d.days_away,
                }
            };
            push(d.member, d.date, why);
        }
    }

    if !rules.follow_ups.is_empty() {
        let keep = Days::new(rules.keep_days.into());
        for p in purchases.iter().filter(|p| takes(p.member)) {
            let bought = p.date();
            for f in &rules.follow_ups {
                let Some(due) = bought.checked_add_days(Days::new(f.days.into())) else {
                    continue;
                };
                let last = due.checked_add_days(keep).unwrap_or(due);
                if due > as_of || last < as_of {
                    continue;
                }
                let want = f.category.trim();
                if !want.is_empty()
                    && !p
                        .lines
                        .iter()
                        .any(|l| l.category.trim().eq_ignore_ascii_case(want))
                {
                    continue;
                }
                let why = Why::FollowUp {
                    receipt: p.receipt.clone(),
                    bought,
                    after: f.days,
                    category: want.to_string(),
                };
                push(p.member, due, why);
            }
        }
    }

    if let Some(replay) = replay {
        let cheapest_first = {
            let mut r: Vec<_> = scheme.rewards.iter().collect();
            crate::order::sort_by_key_pair(&mut r, |r| (r.points, 0));
            r
        };
        let expiring_end = as_of
            .checked_add_days(Days::new(rules.expiring.days.into()))
            .unwrap_or(as_of);
        let gained_since = as_of
            .checked_sub_days(Days::new(rules.tier_gained.days.into()))
            .unwrap_or(as_of);
        for o in replay.members.iter().filter(|o| takes(o.member)) {
            if rules.expiring.on && o.available > 0 {
                let soon: Vec<(NaiveDate, i64)> = o
                    .ledger
                    .expiry_schedule()
                    .into_iter()
                    .filter(|(d, n)| *d >= as_of && *d <= expiring_end && *n > 0)
                    .collect();
                if let Some(&(first, _)) = soon.first() {
                    let points = soon.iter().map(|s| s.1).sum::<i64>().min(o.available);
                    push(o.member, first, Why::PointsExpiring { points, first });
                }
            }
            if rules.reward.on {
                if let Some(r) = cheapest_first.iter().find(|r| r.points > o.available) {
                    let short = r.points - o.available;
                    // Whole-number percent of the price, rounded down: 19.9 % is within 20 %.
                    if o.available > 0 && short * 100 <= r.points * i64::from(rules.reward.percent)
                    {
                        let why = Why::RewardInReach {
                            reward: r.name.clone(),
                            short,
                            balance: o.available,
                        };
                        push(o.member, as_of, why);
                    }
                }
            }
            if rules.tier_gained.on {
                let up = o.tier_history.iter().rev().find(|c| c.to > c.from);
                if let Some(c) = up {
                    if let (Some(tier), true) = (c.to, c.date >= gained_since && c.date <= as_of) {
                        // Only while it is still the member's tier.
                        if o.tier == Some(tier) {
                            push(o.member, c.date, Why::TierGained { tier, on: c.date });
                        }
                    }
                }
            }
            if rules.tier_at_risk.on {
                if let Some(h) = o.hold.filter(|h| h.needed > 0) {
                    let away = (h.review - as_of).num_days();
                    if (0..=i64::from(rules.tier_at_risk.days)).contains(&away) {
                        let why = Why::TierAtRisk {
                            tier: o.tier,
                            review: h.review,
                            needed: h.needed,
                            metric: h.metric,
                        };
                        push(o.member, h.review, why);
                    }
                }
            }
        }
    }

    if rules.win_back.on {
        let w = rules.win_back;
        let since = as_of
            .checked_sub_months(Months::new(w.months.into()))
            .unwrap_or(NaiveDate::MIN);
        let quiet_from = as_of
            .checked_sub_days(Days::new(u64::from(w.weeks) * 7))
            .unwrap_or(NaiveDate::MIN);
        let mut seen: HashMap<MemberId, (u32, NaiveDate)> = HashMap::new();
        for p in purchases.iter().filter(|p| takes(p.member)) {
            let d = p.date();
            if d > as_of {
                continue;
            }
            let e = seen.entry(p.member).or_insert((0, d));
            if d > since {
                e.0 += 1;
            }
            e.1 = e.1.max(d);
        }
        let mut lapsed: Vec<(MemberId, u32, NaiveDate)> = seen
            .into_iter()
            .filter(|(_, (n, last))| *n >= u32::from(w.purchases) && *last <= quiet_from)
            .map(|(m, (n, last))| (m, n, last))
            .collect();
        crate::order::sort_by_key_pair(&mut lapsed, |l| (l.0.sort_key(), 0));
        for (member, purchases, last) in lapsed {
            push(member, last, Why::WinBack { purchases, last });
        }
    }

    if rules.planned {
        for p in care.plan.iter().filter(|p| p.done_on.is_none()) {
            if p.due <= as_of && takes(p.member) {
                let why = Why::Planned {
                    id: p.id,
                    what: p.what.clone(),
                    due: p.due,
                };
                push(p.member, p.due, why);
            }
        }
    }

    let hidden = hidden_keys(&care.marks, as_of);
    let mut items: Vec<(NaiveDate, TodayItem)> = out
        .into_iter()
        .filter(|(_, i)| !hidden.contains(&(i.member, i.key.as_str())))
        .collect();
    crate::order::sort_by_key_pair(&mut items, |(on, i)| {
        let trigger = i64::from(i.why.trigger() as u8);
        // Days fit well within 2^40 either side of 0001-01-01.
        (
            trigger * (1 << 40) + crate::order::day_key(*on),
            i.member.sort_key(),
        )
    });
    let (held_out, items): (Vec<TodayItem>, Vec<TodayItem>) =
        items.into_iter().map(|(_, i)| i).partition(|i| {
            rules.hold_out > 0
                && i.why.trigger() != Trigger::Planned
                && in_hold_out(i.member, rules.hold_out)
        });
    TodayLists { items, held_out }
}

/// The items the marks hide on `as_of`: the latest mark of each key (by
/// day, then as written) decides; a snooze hides until its day.
fn hidden_keys(marks: &[TodayMark], as_of: NaiveDate) -> HashSet<(MemberId, &str)> {
    let mut latest: HashMap<(MemberId, &str), &TodayMark> = HashMap::new();
    for m in marks.iter().filter(|m| m.on <= as_of) {
        let k = (m.member, m.key.as_str());
        match latest.get(&k) {
            Some(prev) if prev.on > m.on => {}
            _ => {
                latest.insert(k, m);
            }
        }
    }
    latest
        .into_iter()
        .filter(|(_, m)| match &m.action {
            MarkAction::Done | MarkAction::Skipped { .. } | MarkAction::HeldOut => true,
            MarkAction::Snoozed { until } => *until > as_of,
        })
        .map(|(k, _)| k)
        .collect()
}

/// How many items of each trigger, in [`Trigger::ALL`] order (zeros kept).
pub fn counts(items: &[TodayItem]) -> Vec<(Trigger, usize)> {
    Trigger::ALL
        .into_iter()
        .map(|t| (t, items.iter().filter(|i| i.why.trigger() == t).count()))
        .collect()
}

/// [`today_lists`] of a whole store, under the scheme in force on `as_of`.
pub fn today_in_store(
    store: &crate::store::document::Store,
    replay: Option<&Replay>,
    as_of: NaiveDate,
    scope: &TodayScope,
) -> TodayLists {
    let scheme = crate::points::checkout::scheme_on(store, as_of);
    let input = TodayInput {
        members: &store.members,
        purchases: &store.purchases,
        care: &store.care,
        replay,
        scheme: &scheme,
        rules: &store.settings.today,
        as_of,
    };
    today_lists(&input, scope)
}
