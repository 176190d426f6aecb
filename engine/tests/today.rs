//! 今日待办: which members are on today's list and why, for each trigger
//! with its settings, what a mark (done, snoozed, skipped) hides, whose
//! work a scope takes, and that the rules and marks are checked and saved.

mod common;
use common::*;

use chrono::NaiveDate;
use clientele_engine::care::log::PlanItem;
use clientele_engine::care::results::{message_results, OccasionResult};
use clientele_engine::care::today::{
    counts, today_list, FollowUpRule, MarkAction, SkipReason, TodayInput, TodayItem, TodayMark,
    TodayRules, TodayScope, Trigger, Why,
};
use clientele_engine::members::model::{LineItem, MemberId, MonthDay};
use clientele_engine::money::Money;
use clientele_engine::points::replay::replay_under;
use clientele_engine::points::scheme::{presets, ExpiryPolicy, Reward, Scheme};
use clientele_engine::points::tiers::presets as tiers;
use clientele_engine::store::records::{normalize, Records};
use clientele_engine::store::validate::{check_store, Field};
use clientele_engine::Store;

fn list_with(s: &Store, scheme: &Scheme, as_of: NaiveDate, scope: &TodayScope) -> Vec<TodayItem> {
    let replay = replay_under(s, scheme, as_of).unwrap();
    today_list(
        &TodayInput {
            members: &s.members,
            purchases: &s.purchases,
            care: &s.care,
            replay: Some(&replay),
            scheme,
            rules: &s.settings.today,
            as_of,
        },
        scope,
    )
}

fn list(s: &Store, scheme: &Scheme, as_of: NaiveDate) -> Vec<TodayItem> {
    list_with(s, scheme, as_of, &TodayScope::default())
}

/// Only the named trigger switched on, so each test sees its own.
fn only(t: Trigger) -> TodayRules {
    let mut r = TodayRules::default();
    r.birthday.on = t == Trigger::Birthday;
    r.family.on = t == Trigger::FamilyDay;
    if t != Trigger::FollowUp {
        r.follow_ups.clear();
    }
    r.expiring.on = t == Trigger::PointsExpiring;
    r.reward.on = t == Trigger::RewardInReach;
    r.tier_gained.on = t == Trigger::TierGained;
    r.tier_at_risk.on = t == Trigger::TierAtRisk;
    r.win_back.on = t == Trigger::WinBack;
    r.planned = t == Trigger::Planned;
    r
}

#[test]
fn a_birthday_shows_the_days_ahead_set_and_the_age_turned() {
    let mut s = store_with(3);
    s.settings.today = only(Trigger::Birthday);
    s.members[0].birthday = MonthDay::new(12, 10, Some(1990));
    s.members[1].birthday = MonthDay::new(12, 20, None);
    s.members[2].birthday = MonthDay::new(12, 4, None);
    let items = list(&s, &flat(), d(2026, 12, 4));
    let whys: Vec<&Why> = items.iter().map(|i| &i.why).collect();
    assert_eq!(
        whys,
        [
            &Why::Birthday {
                date: d(2026, 12, 4),
                days_away: 0,
                turning: None
            },
            &Why::Birthday {
                date: d(2026, 12, 10),
                days_away: 6,
                turning: Some(36)
            },
        ]
    );
    // Sixteen days ahead takes the 20th too.
    s.settings.today.birthday.days = 16;
    assert_eq!(list(&s, &flat(), d(2026, 12, 4)).len(), 3);
}

#[test]
fn follow_ups_come_on_their_day_stay_a_week_and_follow_the_category() {
    let mut s = store_with(2);
    s.settings.today = only(Trigger::FollowUp);
    buy(&mut s, 1, "R3", at(2026, 12, 1), 500);
    buy(&mut s, 2, "R30", at(2026, 11, 4), 800);
    buy(&mut s, 2, "R-OLD", at(2026, 11, 20), 100); // day 14: no rule
    let items = list(&s, &flat(), d(2026, 12, 4));
    let got: Vec<(u64, &str)> = items
        .iter()
        .map(|i| match &i.why {
            Why::FollowUp { receipt, after, .. } => (u64::from(*after), receipt.as_str()),
            other => panic!("{other:?}"),
        })
        .collect();
    // Both due today (1 December + 3, 4 November + 30): by member.
    assert_eq!(got, [(3, "R3"), (30, "R30")]);
    // They stay 7 more days (keep_days), then go.
    assert_eq!(list(&s, &flat(), d(2026, 12, 11)).len(), 2);
    assert_eq!(list(&s, &flat(), d(2026, 12, 12)).len(), 0);

    // A rule for one category takes only receipts with a line of it.
    s.settings.today.follow_ups = vec![FollowUpRule {
        days: 3,
        category: "Cashmere".into(),
    }];
    assert!(list(&s, &flat(), d(2026, 12, 4)).is_empty());
    s.purchases[0].lines = vec![LineItem {
        sku: "K1".into(),
        category: "cashmere".into(),
        quantity: 1,
        amount: Money::from_major(500),
    }];
    assert_eq!(list(&s, &flat(), d(2026, 12, 4)).len(), 1);
}

#[test]
fn win_back_takes_regulars_who_went_quiet() {
    let mut s = store_with(4);
    s.settings.today = only(Trigger::WinBack);
    // 1: twice in the year, last 9 weeks ago → due.
    buy(&mut s, 1, "A1", at(2026, 3, 1), 100);
    buy(&mut s, 1, "A2", at(2026, 10, 1), 100);
    // 2: twice, last 5 weeks ago → still recent.
    buy(&mut s, 2, "B1", at(2026, 3, 1), 100);
    buy(&mut s, 2, "B2", at(2026, 10, 30), 100);
    // 3: once only.
    buy(&mut s, 3, "C1", at(2026, 9, 1), 100);
    // 4: twice, but the first more than 12 months ago.
    buy(&mut s, 4, "D1", at(2025, 11, 1), 100);
    buy(&mut s, 4, "D2", at(2026, 9, 1), 100);
    let items = list(&s, &flat(), d(2026, 12, 4));
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].member, MemberId(1));
    assert_eq!(
        items[0].why,
        Why::WinBack {
            purchases: 2,
            last: d(2026, 10, 1)
        }
    );
    // Once in 24 months is enough when the rule says so.
    s.settings.today.win_back.purchases = 1;
    s.settings.today.win_back.months = 24;
    let members: Vec<u64> = list(&s, &flat(), d(2026, 12, 4))
        .iter()
        .map(|i| i.member.0)
        .collect();
    // Quiet longest first.
    assert_eq!(members, [3, 4, 1]);
}

#[test]
fn points_expiring_and_a_reward_within_reach_come_from_the_ledger() {
    let mut scheme = flat();
    scheme.expiry = ExpiryPolicy::AfterDays { days: 365 };
    scheme.rewards = vec![
        Reward {
            id: "tote".into(),
            name: "Tote bag".into(),
            points: 1000,
            stock: None,
        },
        Reward {
            id: "scarf".into(),
            name: "Scarf".into(),
            points: 3000,
            stock: None,
        },
    ];
    let mut s = store_with(2);
    s.settings.today = only(Trigger::PointsExpiring);
    buy(&mut s, 1, "E1", at(2025, 12, 20), 850); // valid through 2026-12-20
    buy(&mut s, 2, "E2", at(2026, 6, 1), 700);
    let items = list(&s, &scheme, d(2026, 12, 4));
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0].why,
        Why::PointsExpiring {
            points: 850,
            first: d(2026, 12, 20)
        }
    );
    // Within 10 days: not yet.
    s.settings.today.expiring.days = 10;
    assert!(list(&s, &scheme, d(2026, 12, 4)).is_empty());

    // 850 of 1,000: 150 short is 15 % of the price, within 20 %; 700 is 30 % short.
    s.settings.today = only(Trigger::RewardInReach);
    let items = list(&s, &scheme, d(2026, 12, 4));
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0].why,
        Why::RewardInReach {
            reward: "Tote bag".into(),
            short: 150,
            balance: 850
        }
    );
    s.settings.today.reward.percent = 30;
    assert_eq!(list(&s, &scheme, d(2026, 12, 4)).len(), 2);
}

#[test]
fn a_tier_reached_this_week_and_one_about_to_be_lost() {
    let mut scheme = presets::simple();
    let mut s = store_with(2);
    s.settings.today = only(Trigger::TierGained);
    buy(&mut s, 1, "T1", at(2026, 12, 1), 700); // 688 → VIP会员 on 1 December
    buy(&mut s, 2, "T2", at(2026, 11, 1), 700); // a month ago
    let items = list(&s, &scheme, d(2026, 12, 4));
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0].why,
        Why::TierGained {
            tier: 2,
            on: d(2026, 12, 1)
        }
    );

    // Held a year: the review of a tier reached last December is near.
    scheme.tiers = tiers::classic();
    let mut s = store_with(2);
    s.settings.today = only(Trigger::TierAtRisk);
    buy(&mut s, 1, "K1", at(2025, 12, 20), 2_500); // 资深会员, review in December 2026
    buy(&mut s, 2, "K2", at(2026, 6, 1), 2_500);
    let as_of = d(2026, 12, 4);
    let hold = outcome(&s, &scheme, as_of, 1).hold.unwrap();
    assert!(hold.needed > 0, "{hold:?}");
    let items = list(&s, &scheme, as_of);
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0].member, MemberId(1));
    match &items[0].why {
        Why::TierAtRisk { review, needed, .. } => {
            assert_eq!((*review, *needed), (hold.review, hold.needed));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn planned_calls_that_are_due_stay_until_done() {
    let mut s = store_with(1);
    s.settings.today = only(Trigger::Planned);
    let plan = |id, due, done_on| PlanItem {
        id,
        done_on,
        ..PlanItem::new(MemberId(1), &format!("call {id}"), due)
    };
    s.care.plan = vec![
        plan(1, d(2026, 11, 1), None),
        plan(2, d(2026, 12, 4), None),
        plan(3, d(2026, 12, 5), None),
        plan(4, d(2026, 11, 1), Some(d(2026, 11, 2))),
    ];
    let ids: Vec<String> = list(&s, &flat(), d(2026, 12, 4))
        .into_iter()
        .map(|i| i.key)
        .collect();
    assert_eq!(ids, ["planned:1", "planned:2"]);
}

/// The results of the store's messages (and hold-out group) as of a day.
fn results(s: &Store, as_of: NaiveDate) -> Vec<OccasionResult> {
    message_results(&s.care.contacts, &s.care.marks, &s.purchases, as_of)
}

fn mark(item: &TodayItem, on: NaiveDate, action: MarkAction) -> TodayMark {
    TodayMark {
        member: item.member,
        key: item.key.clone(),
        on,
        action,
        staff: "Lin".into(),
        note: String::new(),
        shop: String::new(),
        device: String::new(),
    }
}

#[test]
fn done_and_skipped_items_go_and_a_snoozed_one_comes_back_on_its_day() {
    let mut s = store_with(3);
    s.settings.today = only(Trigger::Birthday);
    for m in &mut s.members {
        m.birthday = MonthDay::new(12, 8, None);
    }
    let today = d(2026, 12, 4);
    let items = list(&s, &flat(), today);
    assert_eq!(items.len(), 3);
    s.care.marks = vec![
        mark(&items[0], today, MarkAction::Done),
        mark(
            &items[1],
            today,
            MarkAction::Skipped {
                reason: SkipReason::AlreadyInTouch,
            },
        ),
        mark(
            &items[2],
            today,
            MarkAction::Snoozed {
                until: d(2026, 12, 6),
            },
        ),
    ];
    assert!(list(&s, &flat(), today).is_empty());
    assert!(list(&s, &flat(), d(2026, 12, 5)).is_empty());
    let back = list(&s, &flat(), d(2026, 12, 6));
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].member, items[2].member);
    // Snoozed again later and then done: the latest mark decides.
    s.care
        .marks
        .push(mark(&back[0], d(2026, 12, 6), MarkAction::Done));
    assert!(list(&s, &flat(), d(2026, 12, 7)).is_empty());
    // Next year's birthday is a new occasion.
    assert_eq!(list(&s, &flat(), d(2027, 12, 4)).len(), 3);
}

#[test]
fn a_scope_takes_one_shops_or_one_staff_members_work() {
    let mut s = store_with(3);
    s.settings.today = only(Trigger::Birthday);
    for m in &mut s.members {
        m.birthday = MonthDay::new(12, 5, None);
    }
    s.members[0].store = "Jing'an".into();
    s.members[0].staff = Some("Lin".into());
    s.members[1].store = "Xuhui".into();
    s.members[1].staff = Some("Lin".into());
    s.members[2].store = "Jing'an".into();
    let today = d(2026, 12, 4);
    let members = |scope: TodayScope| -> Vec<u64> {
        list_with(&s, &flat(), today, &scope)
            .iter()
            .map(|i| i.member.0)
            .collect()
    };
    assert_eq!(members(TodayScope::default()), [1, 2, 3]);
    let shop = TodayScope {
        shop: Some("Jing'an".into()),
        staff: None,
    };
    assert_eq!(members(shop), [1, 3]);
    let lin = TodayScope {
        shop: None,
        staff: Some("Lin".into()),
    };
    assert_eq!(members(lin), [1, 2]);
    let counted = counts(&list(&s, &flat(), today));
    assert_eq!(
        counted.iter().find(|c| c.0 == Trigger::Birthday).unwrap().1,
        3
    );
    assert_eq!(counted.iter().map(|c| c.1).sum::<usize>(), 3);
}

#[test]
fn rules_outside_their_limits_are_refused_by_field() {
    let mut s = store_with(1);
    s.settings.today.win_back.weeks = 500;
    let refused = check_store(&s);
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].field, Field::TodayRule("win_back.weeks".into()));
    assert_eq!(refused[0].field.path(), "today.win_back.weeks");

    let mut s = store_with(1);
    s.settings.today.follow_ups.push(FollowUpRule {
        days: 0,
        category: String::new(),
    });
    assert_eq!(
        check_store(&s)[0].field,
        Field::TodayRule("follow_ups[2].days".into())
    );
    // The defaults pass.
    assert!(check_store(&store_with(1)).is_empty());
}

#[test]
fn marks_are_saved_as_facts_and_read_back() {
    let mut s = store_with(2);
    s.members[0].birthday = MonthDay::new(12, 8, None);
    let item = list(&s, &flat(), d(2026, 12, 4)).remove(0);
    s.care
        .marks
        .push(mark(&item, d(2026, 12, 4), MarkAction::Done));
    normalize(&mut s);
    let mut records = Records::empty("w1");
    let p = records.changes(&s);
    assert!(p.writes.iter().any(|w| w.id.starts_with("f:t:w1:")));
    let docs: Vec<(String, String)> = p
        .writes
        .iter()
        .map(|w| (w.id.clone(), w.body.clone().unwrap()))
        .collect();
    records.commit(p);
    let read = Records::read(docs.iter().map(|(k, v)| (k.as_str(), v.as_str())), "w2").unwrap();
    assert_eq!(read.store, s);
    assert!(records.changes(&s).is_empty());
}

#[test]
fn results_count_purchases_after_each_message_once_its_window_has_passed() {
    use clientele_engine::care::log::{Contact, ContactKind, ContactOutcome};
    let sent = |m: u64, on: NaiveDate, occasion: &str| Contact {
        member: MemberId(m),
        on,
        kind: ContactKind::Message,
        outcome: ContactOutcome::Reached,
        staff: String::new(),
        note: String::new(),
        shop: String::new(),
        device: String::new(),
        occasion: occasion.into(),
    };
    let mut s = store_with(4);
    s.care.contacts = vec![
        sent(1, d(2026, 10, 1), "birthday"),  // bought on day 10
        sent(2, d(2026, 10, 1), "birthday"),  // bought on day 20
        sent(3, d(2026, 10, 1), "birthday"),  // bought the same day only
        sent(4, d(2026, 11, 25), "birthday"), // too recent for either window
        sent(1, d(2026, 10, 1), "win_back"),
    ];
    // A call is not a message and counts nowhere.
    s.care.contacts.push(Contact {
        kind: ContactKind::Call,
        ..sent(2, d(2026, 10, 1), "")
    });
    buy(&mut s, 1, "P1", at(2026, 10, 11), 100);
    buy(&mut s, 2, "P2", at(2026, 10, 21), 100);
    buy(&mut s, 3, "P3", at(2026, 10, 1), 100);
    buy(&mut s, 4, "P4", at(2026, 11, 26), 100);
    let r = results(&s, d(2026, 12, 4));
    assert_eq!(r.len(), 2);
    assert_eq!(r[0].occasion, "birthday");
    assert_eq!(r[0].sent, 4);
    assert_eq!(r[0].matured, [3, 3]);
    assert_eq!(r[0].bought, [1, 2]);
    assert_eq!(r[1].occasion, "win_back");
    assert_eq!((r[1].sent, r[1].bought), (1, [1, 1]));
}

#[test]
fn a_hold_out_group_is_set_aside_every_day_and_its_purchases_are_the_baseline() {
    use clientele_engine::care::today::{in_hold_out, today_lists};
    // About the share asked, and always the same members.
    let held = (1..=10_000u64)
        .filter(|&i| in_hold_out(MemberId(i), 20))
        .count();
    assert!(
        (1_800..=2_200).contains(&held),
        "{held} of 10,000 held out at 20 %"
    );
    assert!((1..=10_000u64).all(|i| !in_hold_out(MemberId(i), 0)));
    assert!((1..=10_000u64).all(|i| in_hold_out(MemberId(i), 20) == in_hold_out(MemberId(i), 20)));

    let mut s = store_with(40);
    s.settings.today = only(Trigger::Birthday);
    s.settings.today.planned = true;
    s.settings.today.hold_out = 20;
    for m in &mut s.members {
        m.birthday = MonthDay::new(12, 6, None);
    }
    let due = d(2026, 12, 4);
    s.care.plan.push(PlanItem {
        id: 1,
        ..PlanItem::new(
            s.members.iter().find(|m| in_hold_out(m.id, 20)).unwrap().id,
            "call",
            due,
        )
    });
    let scheme = flat();
    let replay = replay_under(&s, &scheme, due).unwrap();
    let input = |s: &Store| {
        today_lists(
            &TodayInput {
                members: &s.members,
                purchases: &s.purchases,
                care: &s.care,
                replay: Some(&replay),
                scheme: &scheme,
                rules: &s.settings.today,
                as_of: due,
            },
            &TodayScope::default(),
        )
    };
    let lists = input(&s);
    let expected_held = s.members.iter().filter(|m| in_hold_out(m.id, 20)).count();
    assert!(expected_held > 0 && expected_held < 40);
    assert_eq!(lists.held_out.len(), expected_held);
    assert!(lists
        .held_out
        .iter()
        .all(|i| i.why.trigger() == Trigger::Birthday));
    // Staff's own planned call stays on the list, hold-out or not.
    assert_eq!(counts(&lists.items)[0], (Trigger::Planned, 1));
    assert_eq!(lists.items.len(), 40 - expected_held + 1);

    // Set aside (as the console does the day they come up): gone from both.
    for i in &lists.held_out {
        s.care.marks.push(TodayMark {
            member: i.member,
            key: i.key.clone(),
            on: due,
            action: MarkAction::HeldOut,
            staff: String::new(),
            note: String::new(),
            shop: String::new(),
            device: String::new(),
        });
    }
    assert!(input(&s).held_out.is_empty());
    // One held-out member bought within 14 days anyway; the results show
    // it beside the messages sent, once each window has passed.
    let first = lists.held_out[0].member;
    buy(&mut s, first.0, "H1", at(2026, 12, 10), 100);
    let r = results(&s, d(2027, 1, 10));
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].occasion, "birthday");
    assert_eq!((r[0].sent, r[0].held), (0, expected_held));
    assert_eq!(r[0].held_matured, [expected_held, expected_held]);
    assert_eq!(r[0].held_bought, [1, 1]);
    // Before the windows pass nothing is counted yet.
    let early = results(&s, d(2026, 12, 10));
    assert_eq!(early[0].held_matured, [0, 0]);
    // More than half held out is refused by name.
    let rules = TodayRules {
        hold_out: 51,
        ..TodayRules::default()
    };
    assert_eq!(rules.check().unwrap_err().field, "hold_out");
}
