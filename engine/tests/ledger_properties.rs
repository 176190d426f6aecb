//! Invariants of the ledger over thousands of random histories.

mod common;
use common::*;

use clientele_engine::members::model::MemberId;
use clientele_engine::points::checkout::{record_redemption, PointsError};
use clientele_engine::points::events::PointsEventKind;
use clientele_engine::points::ledger::Source;
use clientele_engine::points::replay::{replay_under, MemberOutcome};
use clientele_engine::points::rules::Milli;
use clientele_engine::points::scheme::{
    DatedScheme, ExpiryPolicy, Promotion, ReturnPolicy, Scheme,
};
use clientele_engine::store::document::Store;
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    Buy { member: u32, day: u32, yuan: i64 },
    Return { nth: usize, day: u32, share: i64 },
    Redeem { member: u32, day: u32, points: i64 },
    CheckIn { member: u32, day: u32 },
    Adjust { member: u32, day: u32, points: i64 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (1u32..=3, 0u32..500, 0i64..3000).prop_map(|(member, day, yuan)| Op::Buy { member, day, yuan }),
        2 => (0usize..50, 0u32..500, 1i64..=100).prop_map(|(nth, day, share)| Op::Return { nth, day, share }),
        2 => (1u32..=3, 0u32..500, 1i64..800).prop_map(|(member, day, points)| Op::Redeem { member, day, points }),
        1 => (1u32..=3, 0u32..500).prop_map(|(member, day)| Op::CheckIn { member, day }),
        1 => (1u32..=3, 0u32..500, -300i64..300).prop_map(|(member, day, points)| Op::Adjust { member, day, points }),
    ]
}

fn scheme(variant: u8) -> Scheme {
    let mut s = clientele_engine::points::scheme::presets::banded();
    s.tiers = clientele_engine::points::tiers::presets::online_shop();
    s.bonuses.first_purchase = 20;
    s.bonuses.daily_check_in = 3;
    s.promotions.push(Promotion {
        name: "x2".into(),
        from: day(100).date(),
        to: day(130).date(),
        multiplier: Milli(2000),
    });
    s.returns = if variant % 2 == 0 {
        ReturnPolicy::AllowNegative
    } else {
        ReturnPolicy::ClawBack
    };
    s.expiry = match variant % 4 {
        0 => ExpiryPolicy::AfterDays { days: 120 },
        1 => ExpiryPolicy::EndOfMonthAfter { months: 3 },
        2 => ExpiryPolicy::Inactivity { months: 2 },
        _ => ExpiryPolicy::Never,
    };
    s.pending_days = u32::from(variant % 3) * 5;
    s
}

fn day(n: u32) -> chrono::NaiveDateTime {
    at(2025, 1, 1) + chrono::Duration::days(i64::from(n))
}

fn build(ops: &[Op]) -> Store {
    let mut s = store_with(3);
    for (i, o) in ops.iter().enumerate() {
        match *o {
            Op::Buy {
                member,
                day: t,
                yuan,
            } => buy(&mut s, member.into(), &format!("P{i}"), day(t), yuan),
            Op::Return { nth, day: t, share } => {
                if s.purchases.is_empty() {
                    continue;
                }
                let p = &s.purchases[nth % s.purchases.len()];
                let receipt = p.receipt.clone();
                let amount = p.amount.0 * share / 100;
                let id = format!("R{i}");
                s.returns.push(clientele_engine::members::model::Return {
                    id,
                    receipt,
                    at: day(t),
                    amount: clientele_engine::money::Money(amount),
                    lines: Vec::new(),
                    staff: String::new(),
                });
            }
            Op::Redeem {
                member,
                day: t,
                points,
            } => redeem(&mut s, member.into(), day(t), points),
            Op::CheckIn { member, day: t } => {
                event(&mut s, member.into(), day(t), PointsEventKind::CheckIn)
            }
            Op::Adjust {
                member,
                day: t,
                points,
            } => event(
                &mut s,
                member.into(),
                day(t),
                PointsEventKind::Adjustment {
                    points,
                    note: "test".into(),
                },
            ),
        }
    }
    s
}

fn check_invariants(m: &MemberOutcome) -> Result<(), TestCaseError> {
    let open: i64 = m.ledger.lots.iter().map(|l| l.remaining).sum();
    prop_assert_eq!(m.balance, open - m.ledger.debt);
    let moved: i64 = m.ledger.entries.iter().map(|e| e.points).sum();
    prop_assert_eq!(moved, m.balance);
    prop_assert!(m.ledger.debt >= 0);
    for l in &m.ledger.lots {
        prop_assert!(l.remaining >= 0 && l.remaining <= l.points);
        prop_assert!(l.expired >= 0);
    }
    for e in &m.ledger.entries {
        for dr in &e.draws {
            prop_assert!(dr.points >= 0);
        }
    }
    prop_assert!(m.available <= m.balance.max(0));
    Ok(())
}

/// The state a member is in, leaving out the history lines.
fn state(
    m: &MemberOutcome,
    skip_lot: Option<usize>,
) -> (i64, i64, i64, Option<u8>, i64, i64, Vec<i64>) {
    (
        m.balance,
        m.available,
        m.expiring_30d,
        m.tier,
        m.qualifying,
        m.ledger.debt,
        m.ledger
            .lots
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != skip_lot)
            .map(|(_, l)| l.remaining)
            .collect(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn balance_is_the_open_lots_and_no_lot_goes_below_zero(
        ops in prop::collection::vec(op(), 0..40), variant in 0u8..12, as_of in 0u32..600,
    ) {
        let s = build(&ops);
        let r = replay_under(&s, &scheme(variant), day(as_of).date()).unwrap();
        for m in &r.members {
            check_invariants(m)?;
        }
        prop_assert_eq!(r.totals.outstanding, r.members.iter().map(|m| m.balance).sum::<i64>());
        prop_assert_eq!(
            r.totals.issued - r.totals.redeemed - r.totals.expired - r.totals.reversed - r.totals.deducted,
            r.totals.outstanding
        );
    }

    #[test]
    fn replaying_twice_gives_identical_results(
        ops in prop::collection::vec(op(), 0..40), variant in 0u8..12,
    ) {
        let s = build(&ops);
        let sc = scheme(variant);
        let a = replay_under(&s, &sc, day(520).date()).unwrap();
        let b = replay_under(&s, &sc, day(520).date()).unwrap();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn recording_the_same_receipt_twice_changes_nothing(
        ops in prop::collection::vec(op(), 1..40), variant in 0u8..12, pick in 0usize..40,
    ) {
        let s = build(&ops);
        prop_assume!(!s.purchases.is_empty());
        let sc = scheme(variant);
        let a = replay_under(&s, &sc, day(520).date()).unwrap();
        let mut twice = s.clone();
        let dup = s.purchases[pick % s.purchases.len()].clone();
        twice.purchases.push(dup);
        let b = replay_under(&twice, &sc, day(520).date()).unwrap();
        prop_assert_eq!(b.totals.duplicate_receipts, 1);
        prop_assert_eq!(a.members, b.members);
    }

    #[test]
    fn a_redemption_above_the_balance_is_refused(
        ops in prop::collection::vec(op(), 0..40), variant in 0u8..12, member in 1u32..=3, extra in 1i64..1000,
    ) {
        let mut s = build(&ops);
        let sc = scheme(variant);
        s.schemes.push(DatedScheme { effective_from: day(0).date(), scheme: sc });
        let when = day(520);
        let before = s.clone();
        let available = clientele_engine::points::checkout::member_points(&s, MemberId(member.into()), when.date())
            .unwrap()
            .available;
        let wanted = available + extra;
        let r = record_redemption(&mut s, MemberId(member.into()), None, 1, Some(wanted), when);
        prop_assert_eq!(r, Err(PointsError::OverRedemption { wanted, available }));
        prop_assert_eq!(&s, &before);
        if available > 0 {
            prop_assert!(record_redemption(&mut s, MemberId(member.into()), None, 1, Some(available), when).is_ok());
        }
    }

    #[test]
    fn a_full_return_of_an_unspent_receipt_restores_the_prior_state(
        ops in prop::collection::vec(op(), 0..40), variant in 0u8..12, member in 1u32..=3, yuan in 1i64..20_000,
    ) {
        let s = build(&ops);
        let sc = scheme(variant);
        let t = day(510);
        let as_of = day(520).date();
        let prior = replay_under(&s, &sc, as_of).unwrap();
        let mut with = s.clone();
        buy(&mut with, member.into(), "NEW", t, yuan);
        ret(&mut with, "NEW", t, yuan);
        let after = replay_under(&with, &sc, as_of).unwrap();
        let idx = (with.purchases.len() - 1) as u32;
        for (p, a) in prior.members.iter().zip(&after.members) {
            check_invariants(a)?;
            let lot = a.ledger.lots.iter().position(|l| l.source == Source::Purchase { purchase: idx });
            // Points that paid off a negative balance were spent at once.
            let unspent = lot.is_none_or(|i| {
                !a.ledger.entries.iter().any(|e| e.reason == clientele_engine::points::explain::Reason::DebtSettled
                    && e.draws.iter().any(|d| d.lot as usize == i))
            });
            if unspent {
                prop_assert_eq!(state(p, None), state(a, lot));
            }
        }
    }
}

/// `scheme(variant)` with the rules of issue 18: programme dates (days
/// `from`..=`to`), a sign-up bonus, a birthday gift (29 February falling
/// on 1 March in odd variants), a minimum receipt, points per receipt and
/// per item, and a referral reward.
fn scheme_with_rules(variant: u8, from: u32, to: u32, min_yuan: i64) -> Scheme {
    use clientele_engine::members::model::LeapDay;
    use clientele_engine::points::scheme::BirthdayGift;
    let mut s = scheme(variant);
    s.programme_from = Some(day(from).date());
    s.programme_to = Some(day(to).date());
    s.bonuses.sign_up = 40;
    s.bonuses.birthday_gift = Some(BirthdayGift {
        points: 25,
        min_notice_days: u32::from(variant % 3) * 10,
    });
    s.bonuses.referral = 15;
    s.bonuses.profile_completion = 7;
    s.leap_birthday = if variant % 2 == 1 {
        LeapDay::Mar1
    } else {
        LeapDay::Feb28
    };
    s.earning.min_amount = clientele_engine::money::Money::from_major(min_yuan);
    s.earning.per_receipt = i64::from(variant % 4);
    s.earning.per_item = i64::from(variant % 3);
    s
}

/// Members with birthdays (one on 29 February), joined on different days,
/// the third referred by the first.
fn with_members(s: &mut Store, joined: [u32; 3]) {
    use clientele_engine::members::model::MonthDay;
    let birthdays = [(2, 29), (3, 15), (12, 31)];
    for (i, m) in s.members.iter_mut().enumerate() {
        m.joined = day(joined[i]).date();
        let (mo, da) = birthdays[i];
        m.birthday = MonthDay::new(mo, da, None);
        m.birthday_recorded_on = Some(day(joined[i]).date());
    }
    s.members[2].referrer = Some(MemberId(1));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn nothing_earns_outside_the_programme_dates_and_balances_hold(
        ops in prop::collection::vec(op(), 0..40), variant in 0u8..12, as_of in 0u32..600,
        from in 0u32..400, len in 0u32..300, min_yuan in 0i64..500,
        joined in [0u32..500, 0u32..500, 0u32..500], profile in 0u32..500,
    ) {
        let to = from + len;
        let mut s = build(&ops);
        with_members(&mut s, joined);
        event(&mut s, 2, day(profile), PointsEventKind::ProfileCompleted);
        let sc = scheme_with_rules(variant, from, to, min_yuan);
        prop_assert!(sc.check_replayable().is_ok());
        let r = replay_under(&s, &sc, day(as_of).date()).unwrap();
        prop_assert_eq!(r.totals.outstanding, r.members.iter().map(|m| m.balance).sum::<i64>());
        prop_assert_eq!(
            r.totals.issued - r.totals.redeemed - r.totals.expired - r.totals.reversed - r.totals.deducted,
            r.totals.outstanding
        );
        let (first, last) = (day(from).date(), day(to).date());
        for m in &r.members {
            check_invariants(m)?;
            for l in &m.ledger.lots {
                let earned = matches!(
                    l.source,
                    Source::Purchase { .. } | Source::Referral { .. } | Source::SignUp | Source::BirthdayGift { .. }
                ) || matches!(
                    l.reason,
                    clientele_engine::points::explain::Reason::CheckIn
                        | clientele_engine::points::explain::Reason::ProfileCompleted
                );
                if earned {
                    // Earning outside the programme dates is zero.
                    prop_assert!(first <= l.earned && l.earned <= last, "{:?}", l);
                }
                if let Source::Purchase { purchase } = l.source {
                    prop_assert!(s.purchases[purchase as usize].amount.0 >= min_yuan * 100);
                }
            }
            let gifts: Vec<i32> = m.ledger.lots.iter().filter_map(|l| match l.source {
                Source::BirthdayGift { year } => Some(year),
                _ => None,
            }).collect();
            let mut once = gifts.clone();
            once.dedup();
            prop_assert_eq!(&once, &gifts, "one gift a year");
            prop_assert!(m.ledger.lots.iter().filter(|l| l.source == Source::SignUp).count() <= 1);
        }
        // With no returns and no deductions, no balance is ever negative.
        let plain: Vec<Op> = ops
            .iter()
            .filter(|o| !matches!(o, Op::Return { .. } | Op::Adjust { points: ..=0, .. }))
            .cloned()
            .collect();
        let mut s = build(&plain);
        with_members(&mut s, joined);
        let r = replay_under(&s, &sc, day(as_of).date()).unwrap();
        for m in &r.members {
            prop_assert!(m.balance >= 0);
            prop_assert!(m.available >= 0);
        }
    }
}

/// `scheme(variant)` on the online-shop ladder by 12-month spend, held two
/// months (to the year end in odd variants), dropping one tier per review,
/// with entry rewards (升级礼) on every tier above the base.
fn scheme_with_entry_rewards(variant: u8) -> Scheme {
    use clientele_engine::points::tiers::{GrowthMode, Metric};
    let mut s = scheme(variant);
    s.tiers.metric = Metric::SpendLast12Months;
    s.tiers.growth = GrowthMode::UpgradeDowngrade {
        validity_months: 2,
        max_drop: 1,
    };
    s.tiers.validity_to_year_end = variant % 2 == 1;
    for (i, t) in s.tiers.tiers.iter_mut().enumerate().skip(1) {
        t.benefits.entry_points = 50 * i as i64;
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn entry_rewards_come_at_most_once_per_tier_and_balances_hold(
        ops in prop::collection::vec(op(), 0..40), variant in 0u8..12, as_of in 0u32..600,
    ) {
        use clientele_engine::points::explain::Reason;
        let s = build(&ops);
        let sc = scheme_with_entry_rewards(variant);
        prop_assert!(sc.check().is_ok());
        let r = replay_under(&s, &sc, day(as_of).date()).unwrap();
        prop_assert_eq!(r.totals.outstanding, r.members.iter().map(|m| m.balance).sum::<i64>());
        prop_assert_eq!(
            r.totals.issued - r.totals.redeemed - r.totals.expired - r.totals.reversed - r.totals.deducted,
            r.totals.outstanding
        );
        for m in &r.members {
            check_invariants(m)?;
            // Per tier: given, then (only if a return undid the upgrade)
            // taken back, then given again; never two standing at once.
            let mut held = [false; 4];
            for e in &m.ledger.entries {
                match e.reason {
                    Reason::TierEntry { tier, .. } => {
                        let t = usize::from(tier);
                        prop_assert!(t >= 1, "no reward for the open base tier");
                        prop_assert!(!held[t], "tier {} rewarded twice: {:?}", t, m.ledger.entries);
                        prop_assert_eq!(e.points, 50 * t as i64);
                        held[t] = true;
                    }
                    Reason::TierEntryReversed { tier } => {
                        let t = usize::from(tier);
                        prop_assert!(held[t]);
                        held[t] = false;
                    }
                    _ => {}
                }
            }
            // A tier the member holds above the base was reached by an
            // upgrade (no opening tiers here), so its reward stands.
            if let Some(t) = m.tier.filter(|&t| t > 0) {
                let reached = m.tier_history.iter().any(|c| c.to == Some(t) && c.from < Some(t));
                if reached {
                    prop_assert!(held[usize::from(t)] || m.tier_history.iter().any(|c| c.from > Some(t)));
                }
            }
        }
    }
}

/// A return on the review day undoes the upgrade that had put the member's
/// review off; the late review then finds them qualified for the top tier
/// again, and its entry reward, taken back a line before, stands again.
#[test]
fn a_review_that_moves_a_member_up_gives_the_reward_a_return_took_back() {
    use clientele_engine::points::explain::Reason;
    use Op::*;
    let ops = vec![
        Buy {
            member: 2,
            day: 0,
            yuan: 1418,
        },
        Return {
            nth: 0,
            day: 0,
            share: 38,
        },
        Buy {
            member: 2,
            day: 304,
            yuan: 1279,
        },
        Return {
            nth: 1,
            day: 365,
            share: 31,
        },
    ];
    let r = replay_under(&build(&ops), &scheme_with_entry_rewards(5), day(365).date()).unwrap();
    let m = r.members.iter().find(|m| m.member == MemberId(2)).unwrap();
    assert_eq!(m.tier, Some(3));
    let top: Vec<i64> = m
        .ledger
        .entries
        .iter()
        .filter(|e| {
            matches!(
                e.reason,
                Reason::TierEntry { tier: 3, .. } | Reason::TierEntryReversed { tier: 3 }
            )
        })
        .map(|e| e.points)
        .collect();
    assert_eq!(top.iter().sum::<i64>(), 150, "{top:?}");
}
