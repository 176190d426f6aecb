//! Care work (客户关怀): special days coming up, the call plan, the contact
//! log and per-member maintenance plans. Everything a staff member marks
//! done is stored here; the lists are derived from it and an as-of date.

use crate::model::{Member, MemberId, MonthDay};
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// How staff reached a member.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    Call,
    Visit,
    Message,
    Gift,
    Event,
}

impl ContactKind {
    pub const ALL: [ContactKind; 5] = [
        ContactKind::Call,
        ContactKind::Visit,
        ContactKind::Message,
        ContactKind::Gift,
        ContactKind::Event,
    ];
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactOutcome {
    Reached,
    NoAnswer,
    Interested,
    Bought,
    Declined,
    Complaint,
}

impl ContactOutcome {
    pub const ALL: [ContactOutcome; 6] = [
        ContactOutcome::Reached,
        ContactOutcome::NoAnswer,
        ContactOutcome::Interested,
        ContactOutcome::Bought,
        ContactOutcome::Declined,
        ContactOutcome::Complaint,
    ];

    /// A call nobody answered does not count toward the call plan.
    pub fn reached(self) -> bool {
        self != ContactOutcome::NoAnswer
    }
}

/// One entry in the contact log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub member: MemberId,
    pub on: NaiveDate,
    pub kind: ContactKind,
    pub outcome: ContactOutcome,
    #[serde(default)]
    pub staff: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// An item of a member's maintenance plan (VIP客户营销维护计划表): what to
/// do, when, by whom, and whether it was done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanItem {
    pub id: u32,
    pub member: MemberId,
    pub what: String,
    pub due: NaiveDate,
    #[serde(default)]
    pub staff: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_on: Option<NaiveDate>,
}

/// The stored care data.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareLog {
    #[serde(default)]
    pub contacts: Vec<Contact>,
    #[serde(default)]
    pub plan: Vec<PlanItem>,
}

impl CareLog {
    pub fn next_plan_id(&self) -> u32 {
        self.plan.iter().map(|p| p.id + 1).max().unwrap_or(1)
    }

    pub fn mark_done(&mut self, id: u32, on: NaiveDate) -> bool {
        match self.plan.iter_mut().find(|p| p.id == id) {
            Some(item) => {
                item.done_on = Some(on);
                true
            }
            None => false,
        }
    }
}

/// Which kind of day is coming up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Occasion {
    Birthday,
    /// A family member's birthday: relation and name as entered.
    FamilyBirthday {
        relation: String,
        name: String,
    },
    /// A special day with its label (e.g. 结婚纪念日).
    SpecialDay {
        label: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpcomingDay {
    pub member: MemberId,
    pub date: NaiveDate,
    pub days_away: i64,
    pub occasion: Occasion,
    /// Age reached on a birthday, when the year is known.
    pub turning: Option<i32>,
}

/// Birthdays, family birthdays and special days within `days` days from
/// `as_of` (inclusive), soonest first.
pub fn upcoming_days(members: &[Member], as_of: NaiveDate, days: i64) -> Vec<UpcomingDay> {
    let mut out = Vec::new();
    let mut consider = |member: MemberId, day: &MonthDay, occasion: Occasion, with_age: bool| {
        let date = day.next_on_or_after(as_of);
        let days_away = (date - as_of).num_days();
        if days_away <= days {
            let turning = if with_age {
                day.year.map(|y| date.year() - y)
            } else {
                None
            };
            out.push(UpcomingDay {
                member,
                date,
                days_away,
                occasion,
                turning,
            });
        }
    };
    for m in members {
        if let Some(b) = &m.birthday {
            consider(m.id, b, Occasion::Birthday, true);
        }
        for f in &m.family {
            if let Some(b) = &f.birthday {
                let occ = Occasion::FamilyBirthday {
                    relation: f.relation.clone(),
                    name: f.name.clone(),
                };
                consider(m.id, b, occ, false);
            }
        }
        for s in &m.special_days {
            consider(
                m.id,
                &s.date,
                Occasion::SpecialDay {
                    label: s.label.clone(),
                },
                false,
            );
        }
    }
    out.sort_by_key(|u| (u.days_away, u.member));
    out
}

/// The call plan: every member should be reached at least `per_year` times
/// a year, so one contact is due every `12 / per_year` months after the
/// last one (or after joining).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallDue {
    pub member: MemberId,
    pub last_contact: Option<NaiveDate>,
    pub due: NaiveDate,
    /// Positive when overdue.
    pub days_overdue: i64,
    /// Contacts in the 12 months before as-of.
    pub contacts_last_year: u32,
}

pub fn call_plan(
    members: &[Member],
    log: &CareLog,
    as_of: NaiveDate,
    per_year: u32,
) -> Vec<CallDue> {
    let interval = Months::new(12 / per_year.clamp(1, 12));
    let year_ago = as_of.checked_sub_months(Months::new(12)).unwrap_or(as_of);
    let mut last: std::collections::HashMap<MemberId, (NaiveDate, u32)> =
        std::collections::HashMap::new();
    for c in log
        .contacts
        .iter()
        .filter(|c| c.on <= as_of && c.outcome.reached())
    {
        let e = last.entry(c.member).or_insert((c.on, 0));
        e.0 = e.0.max(c.on);
        if c.on > year_ago {
            e.1 += 1;
        }
    }
    let mut out: Vec<CallDue> = members
        .iter()
        .map(|m| {
            let (last_contact, count) = match last.get(&m.id) {
                Some((d, n)) => (Some(*d), *n),
                None => (None, 0),
            };
            let from = last_contact.unwrap_or(m.joined);
            let due = from.checked_add_months(interval).unwrap_or(from);
            CallDue {
                member: m.id,
                last_contact,
                due,
                days_overdue: (as_of - due).num_days(),
                contacts_last_year: count,
            }
        })
        .collect();
    out.sort_by_key(|c| (std::cmp::Reverse(c.days_overdue), c.member));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FamilyMember, SpecialDay};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn member(id: u32, joined: NaiveDate) -> Member {
        Member::new(MemberId(id), format!("C{id}"), format!("M{id}"), joined)
    }

    #[test]
    fn upcoming_days_cover_birthdays_family_and_anniversaries() {
        let mut a = member(1, d(2024, 1, 1));
        a.birthday = MonthDay::new(11, 25, Some(1990));
        a.family.push(FamilyMember {
            relation: "女儿".into(),
            name: "朵朵".into(),
            birthday: MonthDay::new(11, 30, None),
        });
        a.special_days.push(SpecialDay {
            label: "结婚纪念日".into(),
            date: MonthDay::new(12, 24, None).unwrap(),
        });
        let mut b = member(2, d(2024, 1, 1));
        b.birthday = MonthDay::new(11, 23, None);
        let list = upcoming_days(&[a, b], d(2026, 11, 23), 7);
        assert_eq!(
            list.len(),
            3,
            "the anniversary a month away is not in a 7-day window"
        );
        assert_eq!(list[0].member, MemberId(2));
        assert_eq!(list[0].days_away, 0);
        assert_eq!(list[1].turning, Some(36));
        assert!(matches!(list[2].occasion, Occasion::FamilyBirthday { .. }));
    }

    #[test]
    fn year_end_window_wraps_into_january() {
        let mut a = member(1, d(2024, 1, 1));
        a.birthday = MonthDay::new(1, 2, None);
        let list = upcoming_days(&[a], d(2026, 12, 28), 7);
        assert_eq!(list[0].date, d(2027, 1, 2));
        assert_eq!(list[0].days_away, 5);
    }

    #[test]
    fn call_plan_three_times_a_year_means_every_four_months() {
        let members = [
            member(1, d(2026, 1, 1)),
            member(2, d(2026, 1, 1)),
            member(3, d(2026, 10, 1)),
        ];
        let mut log = CareLog::default();
        let call = |m: u32, on: NaiveDate, outcome| Contact {
            member: MemberId(m),
            on,
            kind: ContactKind::Call,
            outcome,
            staff: "Amy".into(),
            note: String::new(),
        };
        log.contacts
            .push(call(1, d(2026, 9, 1), ContactOutcome::Reached));
        // An unanswered call does not reset the clock.
        log.contacts
            .push(call(2, d(2026, 11, 1), ContactOutcome::NoAnswer));
        let plan = call_plan(&members, &log, d(2026, 11, 23), 3);
        assert_eq!(
            plan[0].member,
            MemberId(2),
            "never reached since joining in January: most overdue"
        );
        assert_eq!(plan[0].due, d(2026, 5, 1));
        let one = plan.iter().find(|c| c.member == MemberId(1)).unwrap();
        assert_eq!(one.due, d(2027, 1, 1));
        assert!(one.days_overdue < 0);
        assert_eq!(one.contacts_last_year, 1);
        let three = plan.iter().find(|c| c.member == MemberId(3)).unwrap();
        assert_eq!(three.due, d(2027, 2, 1));
    }

    #[test]
    fn plan_items_are_marked_done() {
        let mut log = CareLog::default();
        let id = log.next_plan_id();
        log.plan.push(PlanItem {
            id,
            member: MemberId(1),
            what: "送新季画册".into(),
            due: d(2026, 12, 1),
            staff: "Amy".into(),
            done_on: None,
        });
        assert!(log.mark_done(id, d(2026, 11, 23)));
        assert_eq!(log.plan[0].done_on, Some(d(2026, 11, 23)));
        assert!(!log.mark_done(99, d(2026, 11, 23)));
        assert_eq!(log.next_plan_id(), 2);
    }
}
