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
