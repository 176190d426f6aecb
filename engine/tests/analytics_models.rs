//! Worked examples for each analytics model, with the numbers a shop owner
//! would check by hand.

use chrono::{Duration, NaiveDate};
use clientele_engine::analytics::{
    analyze_store, at_risk_vips, churn_reason_counts, pyramid_movements, AnalysisSettings,
    AttitudeLoyalty, FitError, LoyaltyValueCell, PyramidLayer, RfmSegment, RiskSignal, Strategy,
    ValueClass, VipBasis,
};
use clientele_engine::members::model::{
    ChurnReason, ChurnRecord, Member, MemberId, Purchase, Return,
};
use clientele_engine::money::Money;
use clientele_engine::store::document::Store;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn member(s: &mut Store, id: u64) {
    s.members.push(Member::new(
        MemberId(id),
        format!("C{id}"),
        format!("M{id}"),
        d(2024, 1, 1),
    ));
}

fn buy(s: &mut Store, id: u64, day: NaiveDate, yuan: i64) {
    let n = s.purchases.len();
    s.purchases.push(Purchase {
        receipt: format!("R{n}"),
        member: MemberId(id),
        at: day.and_hms_opt(11, 0, 0).unwrap(),
        amount: Money::from_major(yuan),
        store: String::new(),
        device: String::new(),
        lines: Vec::new(),
        staff: String::new(),
    });
}

#[test]
fn figures_collapse_same_day_receipts_and_net_returns() {
    let mut s = Store::default();
    member(&mut s, 1);
    member(&mut s, 2);
    buy(&mut s, 1, d(2026, 1, 1), 100);
    buy(&mut s, 1, d(2026, 1, 1), 50);
    buy(&mut s, 1, d(2026, 2, 1), 200);
    buy(&mut s, 1, d(2026, 3, 3), 300);
    s.returns.push(Return {
        id: "X1".into(),
        receipt: "R3".into(),
        at: d(2026, 3, 10).and_hms_opt(12, 0, 0).unwrap(),
        amount: Money::from_major(100),
        lines: Vec::new(),
        staff: String::new(),
    });
    // After the as-of date: ignored.
    buy(&mut s, 1, d(2026, 5, 1), 999);
    let a = analyze_store(&s, d(2026, 4, 2), &AnalysisSettings::default());
    let m = &a.members[0];
    assert_eq!(m.purchase_days, 3);
    assert_eq!(m.first_purchase, Some(d(2026, 1, 1)));
    assert_eq!(m.last_purchase, Some(d(2026, 3, 3)));
    assert_eq!(m.total_spend, Money::from_major(550));
    assert_eq!(m.average_spend, Some(Money(18333)));
    assert_eq!(m.spend_last_12_months, Money::from_major(550));
    assert_eq!(m.recency_days, Some(30));
    assert_eq!(m.tenure_days, Some(91));
    assert_eq!(m.average_gap_days, Some(30.5));
    assert!((m.overdue_ratio.unwrap() - 30.0 / 30.5).abs() < 1e-12);
    // Model view in weeks: two repeat days, mean repeat spend (200 + 200) / 2.
    assert_eq!(m.frequency, 2);
    assert!((m.recency - 61.0 / 7.0).abs() < 1e-12);
    assert!((m.age - 91.0 / 7.0).abs() < 1e-12);
    assert_eq!(m.monetary, Money::from_major(200));

    // A member with no purchases is reported, with no purchase figures.
    let n = &a.members[1];
    assert!(!n.has_purchases());
    assert_eq!(n.first_purchase, None);
    assert_eq!(n.rfm, None);
    assert_eq!(n.pyramid_layer, PyramidLayer::D);
    assert_eq!(n.value_class, ValueClass::None);
    assert_eq!(n.p_alive, None);
    assert_eq!(n.attitude, AttitudeLoyalty::Unknown);

    // Two members, one repeat buyer: no model, a typed reason, RFM still there.
    assert_eq!(
        a.bgnbd,
        Err(FitError::TooFewRepeatBuyers {
            found: 1,
            needed: 10
        })
    );
    assert!(m.rfm.is_some() && m.p_alive.is_none() && m.clv.is_none());
}

/// 100 buyers spending 1..=100 yuan on one day each, plus 12 weekly buyers
/// so the model can fit.
fn ladder() -> Store {
    let mut s = Store::default();
    for i in 1..=100u32 {
        member(&mut s, i.into());
        buy(
            &mut s,
            i.into(),
            d(2026, 1, 1) + Duration::days(i64::from(i)),
            i64::from(i),
        );
    }
    s
}

#[test]
fn pyramid_shares_are_one_four_fifteen_eighty_percent() {
    let s = ladder();
    let a = analyze_store(&s, d(2026, 6, 30), &AnalysisSettings::default());
    let counts = a.pyramid_counts();
    assert_eq!(
        counts,
        vec![
            (PyramidLayer::A, 1),
            (PyramidLayer::B, 4),
            (PyramidLayer::C, 15),
            (PyramidLayer::D, 80)
        ]
    );
    assert_eq!(a.members[99].pyramid_layer, PyramidLayer::A);
    assert_eq!(a.members[95].pyramid_layer, PyramidLayer::B);
    assert_eq!(a.members[80].pyramid_layer, PyramidLayer::C);
    assert_eq!(a.members[79].pyramid_layer, PyramidLayer::D);
    // MVC is the top 5% by value: members 96-100.
    let mvc: Vec<u64> = a
        .members
        .iter()
        .filter(|m| m.value_class == ValueClass::Mvc)
        .map(|m| m.member.0)
        .collect();
    assert_eq!(mvc, vec![96, 97, 98, 99, 100]);
    // Monetary quintiles: 1-20 score 1, ..., 81-100 score 5.
    assert_eq!(a.members[19].rfm.unwrap().m, 1);
    assert_eq!(a.members[20].rfm.unwrap().m, 2);
    assert_eq!(a.members[99].rfm.unwrap().m, 5);
}

#[test]
fn equal_values_share_a_pyramid_layer() {
    let mut s = ladder();
    // Member 99 now spends as much as member 100: both are A.
    buy(&mut s, 99, d(2026, 4, 9), 1);
    let a = analyze_store(&s, d(2026, 6, 30), &AnalysisSettings::default());
    assert_eq!(a.members[98].pyramid_layer, PyramidLayer::A);
    assert_eq!(a.members[99].pyramid_layer, PyramidLayer::A);
}

#[test]
fn pyramid_movements_between_two_dates() {
    let mut s = ladder();
    // Member 1 spends 500 in May: from D to A.
    buy(&mut s, 1, d(2026, 5, 15), 500);
    let mv = pyramid_movements(
        &s,
        d(2026, 4, 30),
        d(2026, 5, 31),
        &AnalysisSettings::default(),
    );
    assert_eq!(mv.up.len(), 1);
    assert_eq!(mv.up[0].member, MemberId(1));
    assert_eq!(
        (mv.up[0].from, mv.up[0].to),
        (PyramidLayer::D, PyramidLayer::A)
    );
    // Member 100 drops from A to B, and one of each layer below slides.
    assert!(mv
        .down
        .iter()
        .any(|m| m.member == MemberId(100) && m.to == PyramidLayer::B));
    assert_eq!(mv.from_counts, [1, 4, 15, 80]);
    assert_eq!(mv.to_counts, [1, 4, 15, 80]);
}

/// A store the model can fit: 40 members buying every 2-6 weeks for a year,
/// some stopping early.
fn regulars() -> Store {
    let mut s = Store::default();
    for i in 1..=40u32 {
        member(&mut s, i.into());
        let gap = 14 + 7 * i64::from(i % 5);
        let stop = if i % 3 == 0 { 120 } else { 365 };
        let mut t = i64::from(i % 7);
        while t < stop {
            buy(
                &mut s,
                i.into(),
                d(2025, 7, 1) + Duration::days(t),
                100 + 20 * i64::from(i % 4),
            );
            t += gap;
        }
    }
    s
}

#[test]
fn model_fields_are_filled_and_sane_when_the_model_fits() {
    let s = regulars();
    let as_of = d(2026, 6, 30);
    let a = analyze_store(&s, as_of, &AnalysisSettings::default());
    let fit = a.bgnbd.as_ref().expect("fits");
    assert!(fit.params.r > 0.0 && fit.params.alpha > 0.0);
    assert!(a.gamma_gamma.is_ok());
    for m in &a.members {
        let p = m.p_alive.unwrap();
        assert!((0.0..=1.0).contains(&p));
        assert!(m.expected_purchases.unwrap() >= 0.0);
        assert!(m.clv.unwrap() >= Money::ZERO);
        assert!(m.value_curve_cell.is_some());
        assert!(!m.actions().is_empty());
    }
    // Those who stopped after four months are less likely alive than those
    // still coming.
    let stopped = a.members[2].p_alive.unwrap(); // member 3
    let still = a.members[0].p_alive.unwrap(); // member 1
    assert!(stopped < still, "{stopped} vs {still}");
}

#[test]
fn at_risk_vips_are_ranked_by_value_at_stake() {
    let mut s = regulars();
    // Member 41: a big spender who came weekly, then stopped four months ago.
    member(&mut s, 41);
    for w in 0..20 {
        buy(&mut s, 41, d(2025, 9, 1) + Duration::weeks(w), 3000);
    }
    let a = analyze_store(&s, d(2026, 6, 30), &AnalysisSettings::default());
    let risk = at_risk_vips(&a);
    assert!(!risk.is_empty());
    let top = &risk[0];
    assert_eq!(top.member, MemberId(41));
    assert!(top.vip.contains(&VipBasis::PyramidA));
    assert!(top.signals.contains(&RiskSignal::Overdue));
    assert!(top.signals.contains(&RiskSignal::LowPAlive));
    for w in risk.windows(2) {
        assert!(w[0].value_at_stake >= w[1].value_at_stake);
    }
}

#[test]
fn loyalty_matrix_strategy_and_attitude() {
    let mut s = regulars();
    s.members[0].satisfaction = Some(9);
    s.members[2].satisfaction = Some(3);
    let a = analyze_store(&s, d(2026, 6, 30), &AnalysisSettings::default());
    for m in a.members.iter() {
        let cell = m.loyalty_value_cell.unwrap();
        let strategy = m.strategy.unwrap();
        let expected = Strategy::of(cell, m.value_curve_cell);
        assert_eq!(strategy, expected);
        if m.value_curve_cell != Some(clientele_engine::analytics::ValueCurveCell::Star) {
            match cell {
                LoyaltyValueCell::TrueFriend => assert_eq!(strategy, Strategy::DeepCare),
                LoyaltyValueCell::Butterfly => assert_eq!(strategy, Strategy::DeepAcquisition),
                LoyaltyValueCell::Barnacle => assert_eq!(strategy, Strategy::DeepMining),
                LoyaltyValueCell::Stranger => assert_eq!(strategy, Strategy::LongTermNurture),
            }
        }
    }
    // Member 1 buys every two weeks all year: high loyalty; satisfied: true loyalty.
    assert_eq!(a.members[0].attitude, AttitudeLoyalty::True);
    // Member 3 stopped after four months and is unhappy: no loyalty.
    assert_eq!(a.members[2].attitude, AttitudeLoyalty::None);
    assert_eq!(a.members[1].attitude, AttitudeLoyalty::Unknown);
}

#[test]
fn below_zero_when_serving_costs_more_than_the_margin() {
    let mut s = ladder();
    let settings = AnalysisSettings {
        margin_percent: 40,
        annual_cost_per_member: Money::from_major(30),
        ..AnalysisSettings::default()
    };
    let a = analyze_store(&s, d(2026, 6, 30), &settings);
    // Spend 74: margin 29.60 < 30 -> BZC; spend 75: margin 30 = cost -> not.
    assert_eq!(a.members[73].value_class, ValueClass::Bzc);
    assert_ne!(a.members[74].value_class, ValueClass::Bzc);
    // MVC wins over BZC for the top spenders.
    assert_eq!(a.members[99].value_class, ValueClass::Mvc);
    s.members.clear();
    let empty = analyze_store(&s, d(2026, 6, 30), &settings);
    assert!(empty.members.is_empty());
    assert_eq!(empty.bgnbd, Err(FitError::NoCustomers));
}

#[test]
fn zero_repeat_spend_is_handled() {
    let mut s = regulars();
    // Member 42 comes back often but everything after the first visit is
    // returned: repeat spend zero.
    member(&mut s, 42);
    buy(&mut s, 42, d(2026, 1, 5), 200);
    for w in 1..10 {
        let n = s.purchases.len();
        buy(&mut s, 42, d(2026, 1, 5) + Duration::weeks(w), 80);
        s.returns.push(Return {
            id: format!("X{n}"),
            receipt: format!("R{n}"),
            at: (d(2026, 1, 5) + Duration::weeks(w))
                .and_hms_opt(15, 0, 0)
                .unwrap(),
            amount: Money::from_major(80),
            lines: Vec::new(),
            staff: String::new(),
        });
    }
    let a = analyze_store(&s, d(2026, 6, 30), &AnalysisSettings::default());
    let m = a.members.last().unwrap();
    assert_eq!(m.monetary, Money::ZERO);
    assert_eq!(m.frequency, 9);
    assert!(m.expected_spend.is_some() && m.clv.is_some());
}

#[test]
fn churn_reasons_are_counted_over_the_whole_taxonomy() {
    let mut s = ladder();
    for (i, r) in [
        ChurnReason::Competitor,
        ChurnReason::Competitor,
        ChurnReason::MovedAway,
        ChurnReason::Other,
    ]
    .into_iter()
    .enumerate()
    {
        s.members[i].churn = Some(ChurnRecord {
            reason: r,
            note: if r == ChurnReason::Other {
                "拆迁".into()
            } else {
                String::new()
            },
            recorded_on: d(2026, 6, 1),
        });
    }
    let c = churn_reason_counts(&s);
    assert_eq!(c.len(), 7);
    assert_eq!(c[4], (ChurnReason::Competitor, 2));
    assert_eq!(c[5], (ChurnReason::MovedAway, 1));
    assert_eq!(c[6], (ChurnReason::Other, 1));
    assert_eq!(c[0], (ChurnReason::Product, 0));
    // The record survives a save and load; members without one omit it.
    let json = serde_json::to_string(&s.members[0]).unwrap();
    assert!(json.contains("\"competitor\""));
    let back: Member = serde_json::from_str(&json).unwrap();
    assert_eq!(back.churn, s.members[0].churn);
    assert!(!serde_json::to_string(&s.members[10])
        .unwrap()
        .contains("churn"));
}

#[test]
fn rfm_segments_on_a_small_store() {
    let s = regulars();
    let a = analyze_store(&s, d(2026, 6, 30), &AnalysisSettings::default());
    let total: usize = a.rfm_counts().iter().map(|c| c.1).sum();
    assert_eq!(total, 40);
    // Those who stopped in October are at the bottom on recency.
    let m3 = &a.members[2];
    assert!(m3.rfm.unwrap().r <= 2);
    assert!(matches!(
        m3.rfm_segment.unwrap(),
        RfmSegment::AtRisk | RfmSegment::CantLoseThem | RfmSegment::Hibernating | RfmSegment::Lost
    ));
}
