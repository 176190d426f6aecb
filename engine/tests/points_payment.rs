//! 积分抵现: points paying part of a receipt at the checkout, with its caps,
//! the points the rest earns, a return giving the points back, and the
//! ledger's invariants over random histories.

mod common;
use common::*;

use clientele_engine::members::model::{MemberId, Purchase, Return};
use clientele_engine::money::Money;
use clientele_engine::points::checkout::{
    member_points, preview_sale_paying, record_return, record_sale, PointsError, PointsPay,
};
use clientele_engine::points::events::PointsEventKind;
use clientele_engine::points::explain::{Lang, Reason};
use clientele_engine::points::replay::replay_under;
use clientele_engine::points::rules::{SchemeError, SchemeField};
use clientele_engine::points::scheme::{DatedScheme, PointsPayment, Scheme};
use clientele_engine::store::document::Store;
use clientele_engine::store::validate::check_store;
use proptest::prelude::*;

/// 1 point per yuan; 100 points pay ¥1, at most half of a receipt.
fn paying(max_percent: u8, max_amount: i64) -> Scheme {
    let mut s = flat();
    s.pay_with_points = Some(PointsPayment {
        points: 100,
        value: Money(100),
        max_amount: Money::from_major(max_amount),
        max_percent,
    });
    s
}

/// Member 1 with 1,000 points from a ¥1,000 receipt on 1 March.
fn store_under(scheme: Scheme) -> Store {
    let mut s = store_with(1);
    s.schemes = vec![DatedScheme {
        effective_from: d(2024, 1, 1),
        scheme,
    }];
    buy(&mut s, 1, "A", at(2025, 3, 1), 1000);
    s
}

fn sale(receipt: &str, yuan: i64) -> Purchase {
    Purchase {
        receipt: receipt.into(),
        member: MemberId(1),
        at: at(2025, 4, 1),
        amount: Money::from_major(yuan),
        store: String::new(),
        device: String::new(),
        lines: Vec::new(),
        staff: String::new(),
    }
}

#[test]
fn points_pay_part_of_a_receipt_and_the_rest_earns() {
    let mut s = store_under(paying(50, 0));
    // ¥300 of which 500 points pay ¥5: ¥295 in money, which earns 295.
    let p = preview_sale_paying(
        &s,
        MemberId(1),
        Money::from_major(300),
        vec![],
        500,
        at(2025, 4, 1),
    )
    .unwrap();
    assert_eq!(
        p.pay,
        Some(PointsPay {
            points: 500,
            value: Money::from_major(5),
            // Half of ¥300 is ¥150, but the balance holds 1,000 points: ¥10.
            max_points: 1000,
            max_value: Money::from_major(10),
            cash: Money::from_major(295),
        })
    );
    assert_eq!(p.points, 295);
    assert_eq!((p.balance_before, p.balance_after), (1000, 795));

    record_sale(&mut s, sale("B", 300), 500).unwrap();
    assert_eq!(s.purchases[1].amount, Money::from_major(295));
    assert_eq!(
        s.points_events[0].kind,
        PointsEventKind::PaidWithPoints {
            receipt: "B".into(),
            points: 500,
            value: Money::from_major(5),
        }
    );
    let m = member_points(&s, MemberId(1), d(2025, 4, 1)).unwrap();
    assert_eq!(m.balance, 795);
    let paid = m
        .ledger
        .entries
        .iter()
        .find(|e| matches!(e.reason, Reason::PaidWithPoints { .. }))
        .unwrap();
    assert_eq!(paid.points, -500);
    assert_eq!(
        paid.reason.describe(&flat(), Lang::En),
        "paid 5.00 of the receipt with points"
    );
    assert_eq!(paid.reason.describe(&flat(), Lang::Zh), "积分抵现5.00");
    // The money paid is the spend: ¥1,295, not ¥1,300.
    let r = replay_under(&s, &paying(50, 0), d(2025, 4, 1)).unwrap();
    assert_eq!(r.totals.redeemed, 500);
    assert_eq!(r.totals.issued - r.totals.redeemed, r.totals.outstanding);
}

#[test]
fn the_caps_a_step_and_the_receipt_bound_the_payment() {
    let s = store_under(paying(10, 0));
    let ask = |s: &Store, yuan: i64, points: i64| {
        preview_sale_paying(
            s,
            MemberId(1),
            Money::from_major(yuan),
            vec![],
            points,
            at(2025, 4, 1),
        )
    };
    // 10% of ¥300 is ¥30 = 3,000 points, but only 1,000 are there.
    assert_eq!(ask(&s, 300, 0).unwrap().pay.unwrap().max_points, 1000);
    // 10% of ¥50 is ¥5.
    assert_eq!(
        ask(&s, 50, 600),
        Err(PointsError::OverPointsCap { max: 500 })
    );
    assert_eq!(ask(&s, 50, 150), Err(PointsError::PointsStep { step: 100 }));
    // An amount cap of ¥8 on a receipt of ¥300 without a share cap.
    let s = store_under(paying(0, 8));
    assert_eq!(
        ask(&s, 300, 0).unwrap().pay.unwrap().max_value,
        Money::from_major(8)
    );
    // No caps: never more than the receipt, which may be paid in full.
    let mut s = store_under(paying(0, 0));
    let p = ask(&s, 3, 300).unwrap();
    assert_eq!(p.pay.unwrap().cash, Money(0));
    assert_eq!(p.points, 0);
    assert_eq!(
        ask(&s, 3, 400),
        Err(PointsError::OverPointsCap { max: 300 })
    );
    // Nothing recorded when refused; a scheme without the rule refuses.
    assert_eq!(
        record_sale(&mut s, sale("B", 3), 400),
        Err(PointsError::OverPointsCap { max: 300 })
    );
    assert_eq!((s.purchases.len(), s.points_events.len()), (1, 0));
    let mut s = store_under(flat());
    assert_eq!(ask(&s, 300, 100), Err(PointsError::PayWithPointsOff));
    assert_eq!(
        record_sale(&mut s, sale("B", 300), 100),
        Err(PointsError::PayWithPointsOff)
    );
    assert_eq!(ask(&s, 300, 0).unwrap().pay, None);
}

#[test]
fn a_return_gives_back_the_same_share_of_the_points_that_paid() {
    let mut s = store_under(paying(50, 0));
    record_sale(&mut s, sale("B", 300), 500).unwrap();
    let back = |s: &mut Store, id: &str, yuan: &str| {
        record_return(
            s,
            Return {
                id: id.into(),
                receipt: "B".into(),
                at: at(2025, 4, 10),
                amount: Money::parse(yuan).unwrap(),
                lines: Vec::new(),
                staff: String::new(),
            },
        )
        .unwrap();
        member_points(s, MemberId(1), d(2025, 4, 10)).unwrap()
    };
    // Half the money back (¥147.50 of ¥295): 250 of the 500 points come
    // back, and 147 of the 295 earned go (the earning's own rounding).
    let m = back(&mut s, "T1", "147.50");
    let refunds: Vec<i64> = m
        .ledger
        .entries
        .iter()
        .filter(|e| matches!(e.reason, Reason::PointsRefunded { .. }))
        .map(|e| e.points)
        .collect();
    assert_eq!(refunds, vec![250]);
    assert_eq!(m.balance, 795 + 250 - 147);
    // The rest: every point that paid is back, every point earned gone.
    let m = back(&mut s, "T2", "147.50");
    assert_eq!(m.balance, 1000);
    let refund = m
        .ledger
        .entries
        .iter()
        .rfind(|e| matches!(e.reason, Reason::PointsRefunded { .. }))
        .unwrap();
    assert_eq!(refund.points, 250);
    assert_eq!(
        refund.reason.describe(&flat(), Lang::En),
        "return of 147.50: points that paid for it given back"
    );
    let r = replay_under(&s, &paying(50, 0), d(2025, 4, 10)).unwrap();
    assert_eq!(
        r.totals.redeemed, 0,
        "a payment returned in full is no redemption"
    );
}

#[test]
fn the_editor_and_the_file_check_refuse_what_cannot_pay() {
    let mut bad = paying(101, 0);
    let e = bad.check().unwrap_err();
    assert_eq!(
        (e.field, e.error),
        (SchemeField::PayWithPoints, SchemeError::PercentAbove100)
    );
    bad = paying(10, 0);
    bad.pay_with_points.as_mut().unwrap().value = Money(0);
    assert_eq!(bad.check().unwrap_err().error, SchemeError::ZeroRate);
    // A payment that names no receipt of the store is refused by name.
    let mut s = store_under(paying(50, 0));
    event(
        &mut s,
        1,
        at(2025, 4, 1),
        PointsEventKind::PaidWithPoints {
            receipt: "nowhere".into(),
            points: 100,
            value: Money(100),
        },
    );
    let refused = check_store(&s);
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].field.path(), "receipt");
}

#[derive(Clone, Debug)]
enum Op {
    Sale { yuan: i64, points: i64 },
    Return { nth: usize, share: i64 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (1i64..2000, 0i64..30).prop_map(|(yuan, steps)| Op::Sale { yuan, points: steps * 100 }),
        1 => (0usize..20, 1i64..=100).prop_map(|(nth, share)| Op::Return { nth, share }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Whatever is paid and returned: every refused payment changes
    /// nothing, the balance is what the totals say, points given back never
    /// exceed what paid, and a receipt returned in full gives all back.
    #[test]
    fn payments_and_returns_keep_the_ledger_whole(
        ops in prop::collection::vec(op(), 1..25), percent in 0u8..=100, cap in 0i64..50,
    ) {
        let scheme = paying(percent, cap);
        let mut s = store_under(scheme.clone());
        for (i, o) in ops.iter().enumerate() {
            let when = at(2025, 4, 1) + chrono::Duration::days(i as i64);
            match *o {
                Op::Sale { yuan, points } => {
                    let before = (s.purchases.len(), s.points_events.len());
                    let p = Purchase { at: when, ..sale(&format!("S{i}"), yuan) };
                    if record_sale(&mut s, p, points).is_err() {
                        prop_assert_eq!(before, (s.purchases.len(), s.points_events.len()));
                    }
                }
                Op::Return { nth, share } => {
                    let p = &s.purchases[nth % s.purchases.len()];
                    let left = clientele_engine::points::checkout::returnable(&s, &p.receipt).unwrap();
                    let amount = Money(left.0 * share / 100);
                    if amount.0 > 0 {
                        let r = Return {
                            id: format!("T{i}"),
                            receipt: p.receipt.clone(),
                            at: when,
                            amount,
                            lines: Vec::new(),
                            staff: String::new(),
                        };
                        record_return(&mut s, r).unwrap();
                    }
                }
            }
        }
        let end = d(2026, 1, 1);
        let r = replay_under(&s, &scheme, end).unwrap();
        let t = &r.totals;
        prop_assert_eq!(t.issued - t.redeemed - t.expired - t.reversed - t.deducted, t.outstanding);
        let m = &r.members[0];
        let refused = m.ledger.entries.iter().any(|e| matches!(e.reason, Reason::RedemptionRefused { .. }));
        prop_assert!(!refused, "a payment recorded is a payment replayed");
        for e in &s.points_events {
            let PointsEventKind::PaidWithPoints { receipt, points, .. } = &e.kind else { continue };
            let p = s.purchases.iter().find(|p| &p.receipt == receipt).unwrap();
            let back: i64 = m.ledger.entries.iter()
                .filter(|x| matches!(x.reason, Reason::PointsRefunded { .. }))
                .filter(|x| matches!(x.source, clientele_engine::points::ledger::Source::Event { event }
                    if s.points_events[event as usize].kind == e.kind))
                .map(|x| x.points)
                .sum();
            prop_assert!(back <= *points);
            let left = clientele_engine::points::checkout::returnable(&s, receipt).unwrap();
            if left.0 == 0 && p.amount.0 > 0 {
                prop_assert_eq!(back, *points);
            }
        }
    }
}
