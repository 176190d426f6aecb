//! Replay at the edges of the integers (tests build with overflow checks
//! on): whatever a file holds, replay gives balanced ledgers or
//! `SchemeError::Overflow`, never a wrapped number or a panic; and a store
//! within the file limits of `validate::check_store` always replays.

mod common;
use common::*;

use clientele_engine::members::model::{MemberId, Purchase, Return};
use clientele_engine::money::Money;
use clientele_engine::points::events::PointsEventKind;
use clientele_engine::points::replay::{replay_under, Replay};
use clientele_engine::points::rules::{Milli, SchemeError};
use clientele_engine::points::scheme::{presets, ExpiryPolicy, Promotion, ReturnPolicy};
use clientele_engine::store::document::Store;
use clientele_engine::store::validate::{check_store, RecordKind, MAX_AMOUNT, MAX_POINTS};
use proptest::prelude::*;

/// Amounts and points that matter: zero, one, the file limits and the
/// ends of `i64`, and ordinary values in between.
fn extreme(limit: i64) -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(0),
        Just(1),
        Just(-1),
        Just(limit),
        Just(-limit),
        Just(i64::MAX),
        Just(i64::MIN),
        Just(i64::MAX / 2 + 1),
        -limit..=limit,
    ]
}

#[derive(Clone, Debug)]
enum Op {
    Buy { member: u32, day: u32, amount: i64 },
    Return { nth: usize, day: u32, amount: i64 },
    Redeem { member: u32, day: u32, points: i64 },
    Adjust { member: u32, day: u32, points: i64 },
}

fn op(limit: i64) -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (1u32..=2, 0u32..400, extreme(limit)).prop_map(|(member, day, amount)| Op::Buy { member, day, amount }),
        2 => (0usize..20, 0u32..400, extreme(limit)).prop_map(|(nth, day, amount)| Op::Return { nth, day, amount }),
        1 => (1u32..=2, 0u32..400, extreme(limit)).prop_map(|(member, day, points)| Op::Redeem { member, day, points }),
        2 => (1u32..=2, 0u32..400, extreme(limit)).prop_map(|(member, day, points)| Op::Adjust { member, day, points }),
    ]
}

fn day(n: u32) -> chrono::NaiveDateTime {
    at(2025, 1, 1) + chrono::Duration::days(i64::from(n))
}

fn build(ops: &[Op]) -> Store {
    let mut s = store_with(2);
    for (i, o) in ops.iter().enumerate() {
        match *o {
            Op::Buy {
                member,
                day: t,
                amount,
            } => s.purchases.push(Purchase {
                receipt: format!("P{i}"),
                member: MemberId(member.into()),
                at: day(t),
                amount: Money(amount),
                store: String::new(),
                device: String::new(),
                lines: Vec::new(),
                staff: String::new(),
            }),
            Op::Return {
                nth,
                day: t,
                amount,
            } => {
                if s.purchases.is_empty() {
                    continue;
                }
                let receipt = s.purchases[nth % s.purchases.len()].receipt.clone();
                s.returns.push(Return {
                    id: format!("R{i}"),
                    receipt,
                    at: day(t),
                    amount: Money(amount),
                    lines: Vec::new(),
                    staff: String::new(),
                });
            }
            Op::Redeem {
                member,
                day: t,
                points,
            } => redeem(&mut s, member.into(), day(t), points),
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
                    note: "edge".into(),
                },
            ),
        }
    }
    s
}

/// A scheme variant, from ordinary to rates that turn any receipt into
/// the most points an `i64` holds.
fn scheme(variant: u8) -> clientele_engine::points::scheme::Scheme {
    let mut s = presets::banded();
    s.bonuses.first_purchase = 20;
    s.returns = if variant % 2 == 0 {
        ReturnPolicy::AllowNegative
    } else {
        ReturnPolicy::ClawBack
    };
    s.expiry = match variant % 3 {
        0 => ExpiryPolicy::AfterDays { days: 90 },
        1 => ExpiryPolicy::Inactivity { months: 2 },
        _ => ExpiryPolicy::Never,
    };
    if variant >= 6 {
        s.earning.points = u32::MAX;
        s.earning.per = Money(1);
        s.promotions.push(Promotion {
            name: "max".into(),
            from: day(0).date(),
            to: day(400).date(),
            multiplier: Milli(u32::MAX),
        });
    }
    s
}

/// The store less every record `check_store` refuses (returns above their
/// receipt, negative returns and redemptions, values past the limits).
fn within_limits(mut s: Store) -> Store {
    loop {
        let refused = check_store(&s);
        if refused.is_empty() {
            return s;
        }
        let mut drop: Vec<(RecordKind, usize)> =
            refused.iter().map(|r| (r.kind, r.index)).collect();
        drop.sort_by_key(|d| std::cmp::Reverse(d.1));
        drop.dedup();
        for (kind, i) in drop {
            match kind {
                RecordKind::Purchase => drop_at(&mut s.purchases, i),
                RecordKind::Return => drop_at(&mut s.returns, i),
                RecordKind::PointsEvent => drop_at(&mut s.points_events, i),
                other => panic!("{other:?} refused"),
            }
        }
    }
}

fn drop_at<T>(v: &mut Vec<T>, i: usize) {
    if i < v.len() {
        v.remove(i);
    }
}

fn balanced(r: &Replay) -> Result<(), TestCaseError> {
    for m in &r.members {
        let open: i64 = m.ledger.lots.iter().map(|l| l.remaining).sum();
        prop_assert_eq!(m.balance, open - m.ledger.debt);
        let moved: i64 = m.ledger.entries.iter().map(|e| e.points).sum();
        prop_assert_eq!(moved, m.balance);
        prop_assert!(m.ledger.debt >= 0);
    }
    let t = &r.totals;
    prop_assert_eq!(
        t.issued - t.redeemed - t.expired - t.reversed - t.deducted,
        t.outstanding
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn any_values_replay_balanced_or_as_an_overflow_error(
        ops in prop::collection::vec(op(i64::MAX), 0..24), variant in 0u8..12, as_of in 0u32..450,
    ) {
        let s = build(&ops);
        match replay_under(&s, &scheme(variant), day(as_of).date()) {
            Ok(r) => balanced(&r)?,
            Err(e) => prop_assert_eq!(e, SchemeError::Overflow),
        }
    }

    #[test]
    fn a_store_within_the_file_limits_always_replays(
        ops in prop::collection::vec(op(MAX_AMOUNT), 0..24), variant in 0u8..6, as_of in 0u32..450,
    ) {
        let s = within_limits(build(&ops));
        let r = replay_under(&s, &scheme(variant), day(as_of).date());
        prop_assert!(r.is_ok(), "{:?}", r.err());
        balanced(&r.unwrap())?;
    }
}

#[test]
fn the_limits_leave_room_for_a_million_receipts_at_the_limit() {
    let sum = i64::try_from(1_000_000i128 * i128::from(MAX_AMOUNT));
    assert!(sum.is_ok());
    assert_eq!(MAX_POINTS, MAX_AMOUNT);
}

#[test]
fn points_that_no_longer_fit_are_an_overflow_error() {
    // At u32::MAX points per fen with a ×4,294,967 promotion, a receipt
    // at the file limit earns more points than an i64 holds.
    let s = build(&[Op::Buy {
        member: 1,
        day: 1,
        amount: MAX_AMOUNT,
    }]);
    assert_eq!(
        replay_under(&s, &scheme(8), day(10).date()),
        Err(SchemeError::Overflow)
    );
    // The same receipt under an ordinary scheme: ×2 for the band and ×1.5
    // for the top tier it reaches.
    let r = replay_under(&s, &scheme(2), day(10).date()).unwrap();
    assert_eq!(r.members[0].balance, 3 * MAX_AMOUNT / 100 + 20);
}
