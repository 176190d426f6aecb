//! Care work (客户关怀): special days coming up, the call plan, churn
//! records and referrers. What staff mark done is stored in the care log
//! ([`super::log`]); the lists here are derived from it and an as-of date.

use crate::care::log::{CareError, CareLog};
use crate::members::model::{ChurnReason, ChurnRecord, LeapDay, Member, MemberId, MonthDay};
use chrono::{Datelike, Months, NaiveDate};

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
/// `as_of` (inclusive), soonest first; 29 February falls on 28 February in
/// common years (see [`upcoming_days_with`]).
pub fn upcoming_days(members: &[Member], as_of: NaiveDate, days: i64) -> Vec<UpcomingDay> {
    upcoming_days_with(members, as_of, days, LeapDay::Feb28)
}

/// As [`upcoming_days`], a 29 February falling in common years where
/// `leap` says: the scheme in force's `leap_birthday`, so the care
/// calendar and the points agree on the day.
pub fn upcoming_days_with(
    members: &[Member],
    as_of: NaiveDate,
    days: i64,
    leap: LeapDay,
) -> Vec<UpcomingDay> {
    let mut out = Vec::new();
    let mut consider = |member: MemberId, day: &MonthDay, occasion: Occasion, with_age: bool| {
        let date = day.next_on_or_after_with(as_of, leap);
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
    crate::order::sort_by_key_pair(&mut out, |u| (u.days_away, u.member.sort_key()));
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
    crate::order::sort_by_key_pair(&mut out, |c| (!c.days_overdue, c.member.sort_key()));
    out
}

/// Records why a member left (or is leaving), replacing any earlier
/// record: the latest word from the member is the one that counts.
pub fn record_churn(
    members: &mut [Member],
    member: MemberId,
    reason: ChurnReason,
    note: &str,
    on: NaiveDate,
) -> Result<(), CareError> {
    let note = note.trim();
    if reason == ChurnReason::Other && note.is_empty() {
        return Err(CareError::MissingChurnNote);
    }
    let m = members
        .iter_mut()
        .find(|m| m.id == member)
        .ok_or(CareError::UnknownMember(member))?;
    m.churn = Some(ChurnRecord {
        reason,
        note: note.to_string(),
        recorded_on: on,
    });
    Ok(())
}

/// Clears the record when a member was won back (or it was a mistake).
pub fn clear_churn(members: &mut [Member], member: MemberId) -> Result<(), CareError> {
    let m = members
        .iter_mut()
        .find(|m| m.id == member)
        .ok_or(CareError::UnknownMember(member))?;
    m.churn = None;
    Ok(())
}

/// One referrer (老带新) and the members they brought, in joining order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Referrer {
    pub member: MemberId,
    pub brought: Vec<MemberId>,
}

/// Members who brought others, most referrals first (ties: lower id first).
/// A referrer id that no longer exists is left out.
pub fn referrers(members: &[Member]) -> Vec<Referrer> {
    let known: std::collections::HashSet<MemberId> = members.iter().map(|m| m.id).collect();
    let mut by: std::collections::HashMap<MemberId, Vec<(NaiveDate, MemberId)>> =
        std::collections::HashMap::new();
    for m in members {
        if let Some(r) = m.referrer.filter(|r| known.contains(r) && *r != m.id) {
            by.entry(r).or_default().push((m.joined, m.id));
        }
    }
    let mut out: Vec<Referrer> = by
        .into_iter()
        .map(|(member, mut brought)| {
            brought.sort();
            Referrer {
                member,
                brought: brought.into_iter().map(|(_, id)| id).collect(),
            }
        })
        .collect();
    out.sort_by_key(|r| (std::cmp::Reverse(r.brought.len()), r.member));
    out
}

/// Net referral reward points each referrer holds from the replayed
/// ledgers: rewards earned less those taken back when the referred
/// member's first purchase was returned.
pub fn referral_points(
    replay: &crate::points::replay::Replay,
) -> std::collections::HashMap<MemberId, i64> {
    replay
        .members
        .iter()
        .filter_map(|o| {
            let net: i64 = o
                .ledger
                .entries
                .iter()
                .filter(|e| matches!(e.source, crate::points::ledger::Source::Referral { .. }))
                .map(|e| e.points)
                .sum();
            (net != 0).then_some((o.member, net))
        })
        .collect()
}

/// A date typed as `YYYY-MM-DD` (what `<input type="date">` gives).
pub fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    let mut parts = text.trim().splitn(3, '-');
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let d = parts.next()?.parse().ok()?;
    NaiveDate::from_ymd_opt(y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::care::log::{Contact, ContactKind, ContactOutcome, PlanItem};
    use crate::members::model::{FamilyMember, SpecialDay};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn member(id: u32, joined: NaiveDate) -> Member {
        Member::new(
            MemberId(id.into()),
            format!("C{id}"),
            format!("M{id}"),
            joined,
        )
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
            member: MemberId(m.into()),
            on,
            kind: ContactKind::Call,
            outcome,
            staff: "Amy".into(),
            note: String::new(),
            shop: String::new(),
            device: String::new(),
            occasion: String::new(),
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
        let tag = crate::DeviceTag::new(5).unwrap();
        let id = log.next_plan_id(tag).unwrap();
        assert_eq!(id, 5 * (1 << 21) + 1, "the device's own series");
        log.plan.push(PlanItem {
            id,
            staff: "Amy".into(),
            ..PlanItem::new(MemberId(1), "送新季画册", d(2026, 12, 1))
        });
        assert!(log.mark_done(id, d(2026, 11, 23)));
        assert_eq!(log.plan[0].done_on, Some(d(2026, 11, 23)));
        assert!(!log.mark_done(99, d(2026, 11, 23)));
        assert_eq!(log.next_plan_id(tag), Some(id + 1));
        // Another device counts in its own series, whatever this one holds.
        let other = crate::DeviceTag::new(6).unwrap();
        assert_eq!(log.next_plan_id(other), Some(6 * (1 << 21) + 1));
    }

    #[test]
    fn plan_items_need_what_and_a_member_and_list_soonest_first() {
        let members = [member(1, d(2026, 1, 1)), member(2, d(2026, 1, 1))];
        let mut log = CareLog::default();
        let tag = crate::DeviceTag::new(5).unwrap();
        assert_eq!(
            log.add_plan_item(
                &members,
                PlanItem::new(MemberId(1), "  ", d(2026, 12, 1)),
                tag
            ),
            Err(CareError::MissingWhat)
        );
        assert_eq!(
            log.add_plan_item(
                &members,
                PlanItem::new(MemberId(9), "Call", d(2026, 12, 1)),
                tag
            ),
            Err(CareError::UnknownMember(MemberId(9)))
        );
        let late = log
            .add_plan_item(
                &members,
                PlanItem {
                    staff: " Amy ".into(),
                    shop: "旗舰店".into(),
                    device: "Counter".into(),
                    ..PlanItem::new(MemberId(1), "送新季画册", d(2026, 12, 20))
                },
                tag,
            )
            .unwrap();
        let soon = log
            .add_plan_item(
                &members,
                PlanItem::new(MemberId(2), "Invite to the spring show", d(2026, 12, 2)),
                tag,
            )
            .unwrap();
        assert_eq!(log.plan[0].staff, "Amy");
        assert_eq!(
            (log.plan[0].shop.as_str(), log.plan[0].device.as_str()),
            ("旗舰店", "Counter")
        );
        let open: Vec<u64> = log.open_items(None).iter().map(|p| p.id).collect();
        assert_eq!(open, vec![soon, late]);
        log.mark_done(soon, d(2026, 11, 23));
        assert_eq!(log.open_items(None).len(), 1);
        assert!(log.open_items(Some(MemberId(2))).is_empty());
        assert!(log.reopen(soon), "a mistaken tap can be undone");
        assert_eq!(log.open_items(Some(MemberId(2))).len(), 1);
    }

    #[test]
    fn contacts_come_latest_first_and_filter_by_kind_and_member() {
        let members = [member(1, d(2026, 1, 1)), member(2, d(2026, 1, 1))];
        let mut log = CareLog::default();
        let c = |m: u32, on: NaiveDate, kind, note: &str| Contact {
            member: MemberId(m.into()),
            on,
            kind,
            outcome: ContactOutcome::Reached,
            staff: String::new(),
            note: note.into(),
            shop: String::new(),
            device: String::new(),
            occasion: String::new(),
        };
        log.record(&members, c(1, d(2026, 10, 1), ContactKind::Call, "a"))
            .unwrap();
        log.record(&members, c(2, d(2026, 11, 1), ContactKind::Visit, "b"))
            .unwrap();
        log.record(&members, c(1, d(2026, 11, 1), ContactKind::Call, "c"))
            .unwrap();
        assert_eq!(
            log.record(&members, c(7, d(2026, 11, 1), ContactKind::Call, "x")),
            Err(CareError::UnknownMember(MemberId(7)))
        );
        let notes = |v: Vec<&Contact>| v.iter().map(|c| c.note.clone()).collect::<Vec<_>>();
        assert_eq!(notes(log.latest_contacts(None, None)), ["c", "b", "a"]);
        assert_eq!(
            notes(log.latest_contacts(None, Some(ContactKind::Call))),
            ["c", "a"]
        );
        assert_eq!(notes(log.latest_contacts(Some(MemberId(2)), None)), ["b"]);
    }

    #[test]
    fn recording_a_reached_call_takes_the_member_off_the_overdue_list() {
        let members = [member(1, d(2026, 1, 1))];
        let mut log = CareLog::default();
        let as_of = d(2026, 11, 23);
        assert!(call_plan(&members, &log, as_of, 3)[0].days_overdue > 0);
        log.record(
            &members,
            Contact {
                member: MemberId(1),
                on: as_of,
                kind: ContactKind::Call,
                outcome: ContactOutcome::Interested,
                staff: String::new(),
                note: String::new(),
                shop: String::new(),
                device: String::new(),
                occasion: String::new(),
            },
        )
        .unwrap();
        let plan = call_plan(&members, &log, as_of, 3);
        assert_eq!(plan[0].due, d(2027, 3, 23));
        assert!(plan[0].days_overdue < 0);
    }

    #[test]
    fn referrers_rank_by_count_and_skip_unknown_or_self() {
        let mut ms: Vec<Member> = (1..=6).map(|i| member(i, d(2025, 1, i))).collect();
        ms[1].referrer = Some(MemberId(1));
        ms[2].referrer = Some(MemberId(1));
        ms[3].referrer = Some(MemberId(2));
        ms[4].referrer = Some(MemberId(99)); // removed referrer
        ms[5].referrer = Some(MemberId(6)); // self
        let r = referrers(&ms);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].member, MemberId(1));
        assert_eq!(r[0].brought, vec![MemberId(2), MemberId(3)]);
        assert_eq!(r[1].member, MemberId(2));
        assert_eq!(r[1].brought, vec![MemberId(4)]);
    }

    #[test]
    fn churn_reasons_are_recorded_replaced_and_cleared() {
        let mut ms = [member(1, d(2025, 1, 1))];
        assert_eq!(
            record_churn(
                &mut ms,
                MemberId(1),
                ChurnReason::Other,
                "  ",
                d(2026, 11, 23)
            ),
            Err(CareError::MissingChurnNote)
        );
        assert_eq!(ms[0].churn, None, "a refused record changes nothing");
        assert_eq!(
            record_churn(
                &mut ms,
                MemberId(9),
                ChurnReason::Product,
                "",
                d(2026, 11, 23)
            ),
            Err(CareError::UnknownMember(MemberId(9)))
        );
        record_churn(
            &mut ms,
            MemberId(1),
            ChurnReason::Product,
            "",
            d(2026, 11, 1),
        )
        .unwrap();
        record_churn(
            &mut ms,
            MemberId(1),
            ChurnReason::Competitor,
            " opened nearby ",
            d(2026, 11, 23),
        )
        .unwrap();
        let c = ms[0].churn.as_ref().unwrap();
        assert_eq!(c.reason, ChurnReason::Competitor);
        assert_eq!(c.note, "opened nearby");
        assert_eq!(c.recorded_on, d(2026, 11, 23));
        clear_churn(&mut ms, MemberId(1)).unwrap();
        assert_eq!(ms[0].churn, None);
    }

    #[test]
    fn iso_dates_from_date_inputs() {
        assert_eq!(parse_iso_date("2026-12-01"), Some(d(2026, 12, 1)));
        assert_eq!(parse_iso_date(" 2026-2-9 "), Some(d(2026, 2, 9)));
        assert_eq!(parse_iso_date("2026-02-30"), None);
        assert_eq!(parse_iso_date(""), None);
        assert_eq!(parse_iso_date("12/01/2026"), None);
    }
}
