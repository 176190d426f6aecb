//! Worked examples for returns, redemption, expiry, tiers and the checkout calls.

mod common;
use common::*;

use clientele_engine::members::model::{MemberId, Purchase};
use clientele_engine::money::Money;
use clientele_engine::points::calibrate::{shares_for_thresholds, thresholds_for_shares};
use clientele_engine::points::checkout::{
    preview_sale, record_points_event, record_purchase, record_redemption, record_return,
    PointsError, Recorded,
};
use clientele_engine::points::events::{PointsEvent, PointsEventKind};
use clientele_engine::points::explain::{Lang, Reason};
use clientele_engine::points::replay::{compare, replay_under};
use clientele_engine::points::rules::{Milli, SchemeError};
use clientele_engine::points::scheme::{
    presets, Band, DatedScheme, ExpiryPolicy, ReturnPolicy, Reward,
};
use clientele_engine::points::tiers::{presets as tiers, GrowthMode, TierReason};

#[test]
fn partial_return_reverses_pro_rata_and_the_rest_exactly() {
    let mut sc = flat();
    sc.earning.per = Money::from_major(10);
    let mut st = store_with(1);
    buy(&mut st, 1, "A", at(2026, 1, 1), 105); // 10 points
    ret(&mut st, "A", at(2026, 1, 2), 50); // floor(10 × 50/105) = 4
    assert_eq!(outcome(&st, &sc, d(2026, 1, 3), 1).balance, 6);
    ret(&mut st, "A", at(2026, 1, 3), 55); // the remaining 6
    let o = outcome(&st, &sc, d(2026, 1, 4), 1);
    assert_eq!(o.balance, 0);
    assert_eq!(o.qualifying, 0);
}

#[test]
fn a_return_reverses_the_bonuses_tied_to_its_receipt() {
    let mut sc = flat();
    sc.bonuses.first_purchase = 100;
    let mut st = store_with(1);
    buy(&mut st, 1, "A", at(2026, 1, 1), 200); // 300 with the bonus
    ret(&mut st, "A", at(2026, 1, 2), 100); // half: 150 back
    assert_eq!(outcome(&st, &sc, d(2026, 1, 3), 1).balance, 150);
}

fn spent_then_returned(policy: ReturnPolicy) -> clientele_engine::points::replay::MemberOutcome {
    let mut sc = flat();
    sc.returns = policy;
    let mut st = store_with(1);
    buy(&mut st, 1, "A", at(2026, 1, 1), 100);
    buy(&mut st, 1, "B", at(2026, 1, 2), 50);
    redeem(&mut st, 1, at(2026, 1, 3), 120); // A's 100, then 20 of B
    ret(&mut st, "A", at(2026, 1, 4), 100);
    outcome(&st, &sc, d(2026, 1, 5), 1)
}

#[test]
fn reversing_spent_points_may_leave_a_negative_balance() {
    let o = spent_then_returned(ReturnPolicy::AllowNegative);
    assert_eq!(o.balance, -70);
    assert_eq!(o.ledger.debt, 100);
    assert_eq!(o.ledger.lots[1].remaining, 30);
    assert!(o
        .ledger
        .entries
        .iter()
        .any(|e| e.reason == Reason::NegativeBalance && e.points == -100));
}

#[test]
fn or_be_clawed_back_from_other_lots() {
    let o = spent_then_returned(ReturnPolicy::ClawBack);
    assert_eq!(o.balance, -70);
    assert_eq!(o.ledger.lots[1].remaining, 0);
    assert_eq!(o.ledger.debt, 70);
    let claw = o
        .ledger
        .entries
        .iter()
        .find(|e| e.reason == Reason::ClawedBack)
        .unwrap();
    assert_eq!(claw.points, -30);
    assert_eq!(claw.draws[0].lot, 1);
}

#[test]
fn later_earnings_pay_off_a_negative_balance_first() {
    let mut sc = flat();
    sc.returns = ReturnPolicy::AllowNegative;
    let mut st = store_with(1);
    buy(&mut st, 1, "A", at(2026, 1, 1), 100);
    redeem(&mut st, 1, at(2026, 1, 2), 100);
    ret(&mut st, "A", at(2026, 1, 3), 100);
    buy(&mut st, 1, "B", at(2026, 1, 4), 150);
    let o = outcome(&st, &sc, d(2026, 1, 5), 1);
    assert_eq!(o.balance, 50);
    assert_eq!(o.ledger.debt, 0);
}

#[test]
fn redemption_draws_from_the_lots_that_expire_first() {
    let mut sc = flat();
    sc.expiry = ExpiryPolicy::AfterDays { days: 365 };
    let mut st = store_with(1);
    // Carried over before A (a purchase before an opening balance would
    // earn nothing: the balance holds it), valid longer than A's lot.
    event(
        &mut st,
        1,
        at(2025, 5, 1),
        PointsEventKind::OpeningBalance {
            points: 40,
            expires: Some(d(2026, 12, 31)),
            system: String::new(),
        },
    );
    buy(&mut st, 1, "A", at(2025, 6, 1), 100);
    redeem(&mut st, 1, at(2026, 2, 1), 110);
    let o = outcome(&st, &sc, d(2026, 2, 1), 1);
    let spend = o.ledger.entries.last().unwrap();
    assert_eq!(spend.points, -110);
    assert_eq!(spend.draws.len(), 2);
    assert_eq!(
        o.ledger.lots[spend.draws[0].lot as usize].earned,
        d(2025, 6, 1)
    );
    assert_eq!(spend.draws[0].points, 100);
    assert_eq!(o.balance, 30);
}

#[test]
fn purchases_before_an_opening_balance_count_as_history_but_earn_nothing() {
    let mut sc = flat();
    sc.tiers = tiers::three_step(); // 0 / 10,000 / 20,000 yuan lifetime
    let mut st = store_with(1);
    // The old system's history: 12,000 yuan, whose points are in the
    // 500 carried over on 1 March.
    buy(&mut st, 1, "OLD-1", at(2025, 12, 1), 8_000);
    buy(&mut st, 1, "OLD-2", at(2026, 2, 28), 4_000);
    event(
        &mut st,
        1,
        at(2026, 3, 1),
        PointsEventKind::OpeningBalance {
            points: 500,
            expires: None,
            system: "old POS".into(),
        },
    );
    // Bought here from the opening day on: earns as usual.
    buy(&mut st, 1, "NEW-1", at(2026, 3, 1), 300);
    let o = outcome(&st, &sc, d(2026, 3, 2), 1);
    assert_eq!(o.balance, 500 + 300);
    // Still history: lifetime spend 12,300 yuan holds the second tier.
    assert_eq!(o.qualifying, 12_300 * 100);
    assert_eq!(o.tier, Some(1));
    // Returning an old receipt takes back no points (it earned none here).
    ret(&mut st, "OLD-2", at(2026, 3, 5), 4_000);
    let o = outcome(&st, &sc, d(2026, 3, 6), 1);
    assert_eq!(o.balance, 800);
    assert_eq!(o.qualifying, 8_300 * 100);
    // As of a day before the balance existed, the purchases earned.
    assert_eq!(outcome(&st, &sc, d(2026, 2, 28), 1).balance, 12_000);
}

#[test]
fn the_expiry_schedule_groups_open_points_by_day_and_follows_spends() {
    let mut sc = flat();
    sc.expiry = ExpiryPolicy::AfterDays { days: 365 };
    let mut st = store_with(1);
    buy(&mut st, 1, "A", at(2026, 1, 10), 100);
    buy(&mut st, 1, "B", at(2026, 3, 5), 50);
    buy(&mut st, 1, "C", at(2026, 3, 5), 30);
    let o = outcome(&st, &sc, d(2026, 4, 1), 1);
    assert_eq!(
        o.ledger.expiry_schedule(),
        vec![(d(2027, 1, 10), 100), (d(2027, 3, 5), 80)]
    );
    // A spend takes the soonest-expiring points first.
    redeem(&mut st, 1, at(2026, 4, 1), 120);
    let o = outcome(&st, &sc, d(2026, 4, 1), 1);
    assert_eq!(o.ledger.expiry_schedule(), vec![(d(2027, 3, 5), 60)]);
}

#[test]
fn expiry_policies_keep_the_last_day() {
    let mut st = store_with(1);
    buy(&mut st, 1, "A", at(2025, 1, 15), 100);
    let mut sc = flat();
    let cases = [
        (ExpiryPolicy::AfterDays { days: 365 }, d(2026, 1, 15)),
        (ExpiryPolicy::EndOfMonthAfter { months: 12 }, d(2026, 1, 31)),
        (
            ExpiryPolicy::AnnualClear {
                month: 12,
                day: 31,
                extra_years: 0,
            },
            d(2025, 12, 31),
        ),
        (ExpiryPolicy::Inactivity { months: 6 }, d(2025, 7, 15)),
    ];
    for (policy, last) in cases {
        sc.expiry = policy.clone();
        assert_eq!(outcome(&st, &sc, last, 1).balance, 100, "{policy:?}");
        let next = last.succ_opt().unwrap();
        let o = outcome(&st, &sc, next, 1);
        assert_eq!(o.balance, 0, "{policy:?}");
        assert!(o
            .ledger
            .entries
            .iter()
            .any(|e| matches!(e.reason, Reason::Expired | Reason::Lapsed) && e.date == next));
    }
    sc.expiry = ExpiryPolicy::Never;
    assert_eq!(outcome(&st, &sc, d(2040, 1, 1), 1).balance, 100);
}

#[test]
fn activity_keeps_an_inactivity_balance_alive() {
    let mut sc = flat();
    sc.expiry = ExpiryPolicy::Inactivity { months: 6 };
    let mut st = store_with(1);
    buy(&mut st, 1, "A", at(2025, 1, 15), 100);
    buy(&mut st, 1, "B", at(2025, 7, 1), 10);
    assert_eq!(outcome(&st, &sc, d(2025, 12, 31), 1).balance, 110);
    assert_eq!(outcome(&st, &sc, d(2026, 1, 2), 1).balance, 0);
}

#[test]
fn pending_points_cannot_be_spent_yet() {
    let mut sc = flat();
    sc.pending_days = 7;
    let mut st = store_with(1);
    buy(&mut st, 1, "A", at(2026, 1, 1), 100);
    redeem(&mut st, 1, at(2026, 1, 7), 50);
    redeem(&mut st, 1, at(2026, 1, 8), 50);
    let o = outcome(&st, &sc, d(2026, 1, 9), 1);
    assert_eq!(o.balance, 50);
    assert!(matches!(
        o.ledger.entries[1].reason,
        Reason::RedemptionRefused {
            wanted: 50,
            available: 0
        }
    ));
}

#[test]
fn lifetime_thresholds_0_10000_20000() {
    let mut sc = flat();
    sc.tiers = tiers::three_step();
    let cases = [(0, 6_000, 0u8), (0, 15_000, 1), (18_000, 3_000, 2)];
    for (before, now, want) in cases {
        let mut st = store_with(1);
        if before > 0 {
            buy(&mut st, 1, "A", at(2025, 1, 1), before);
        }
        buy(&mut st, 1, "B", at(2026, 1, 1), now);
        let o = outcome(&st, &sc, d(2026, 1, 1), 1);
        assert_eq!(o.tier, Some(want), "spent {before} then {now}");
    }
}

#[test]
fn the_upgrading_purchase_earns_at_the_new_tier() {
    let mut sc = flat();
    sc.tiers = tiers::three_step();
    sc.tiers.tiers[1].benefits.points_multiplier = Milli(2000);
    let mut st = store_with(1);
    buy(&mut st, 1, "A", at(2026, 1, 1), 15_000);
    let o = outcome(&st, &sc, d(2026, 1, 2), 1);
    assert_eq!(o.balance, 30_000);
    let change = o.tier_history[0];
    assert_eq!((change.from, change.to), (Some(0), Some(1)));
    assert_eq!(
        change.describe(&sc, Lang::En),
        "Basic → Silver: lifetime spend reached 15,000.00"
    );
    assert_eq!(
        change.describe(&sc, Lang::Zh),
        "普通 → 银：累计消费达到15,000.00"
    );
}

#[test]
fn spending_points_never_lowers_a_tier_but_a_return_undoes_its_upgrade() {
    let mut sc = flat();
    sc.tiers = tiers::three_step();
    let mut st = store_with(1);
    buy(&mut st, 1, "A", at(2026, 1, 1), 12_000);
    redeem(&mut st, 1, at(2026, 1, 2), 12_000);
    assert_eq!(outcome(&st, &sc, d(2026, 1, 3), 1).tier, Some(1));
    ret(&mut st, "A", at(2026, 1, 4), 3_000);
    let o = outcome(&st, &sc, d(2026, 1, 5), 1);
    assert_eq!(o.tier, Some(0));
    assert!(matches!(
        o.tier_history[1].reason,
        TierReason::ReturnReversed { .. }
    ));
}

#[test]
fn upgrade_and_downgrade_drops_at_most_max_drop_tiers_when_validity_ends() {
    let sc = reviewed_yearly();
    let mut st = store_with(1);
    buy(&mut st, 1, "A", at(2025, 3, 1), 25_000);
    assert_eq!(outcome(&st, &sc, d(2026, 2, 28), 1).tier, Some(2));
    let o = outcome(&st, &sc, d(2026, 3, 1), 1);
    assert_eq!(o.tier, Some(1));
    assert_eq!(o.tier_history[1].date, d(2026, 3, 1));
    assert_eq!(outcome(&st, &sc, d(2027, 3, 1), 1).tier, Some(0));
    // Buying enough again in the year keeps the tier at the next review.
    buy(&mut st, 1, "B", at(2026, 1, 10), 20_000);
    assert_eq!(outcome(&st, &sc, d(2026, 3, 1), 1).tier, Some(2));
}

#[test]
fn the_member_page_can_say_what_keeps_the_tier_at_its_next_review() {
    let mut sc = reviewed_yearly();
    let mut st = store_with(1);
    buy(&mut st, 1, "A", at(2025, 3, 1), 25_000);
    // Top tier from 2025-03-01, reviewed a year later; by then that
    // purchase has left the 12-month window, so all 20,000 must come anew.
    let o = outcome(&st, &sc, d(2025, 6, 1), 1);
    let hold = o.hold.expect("a held tier has a review");
    assert_eq!(hold.review, d(2026, 3, 1));
    assert_eq!(hold.needed, Money::from_major(20_000).0);
    buy(&mut st, 1, "B", at(2026, 1, 10), 12_000);
    let hold = outcome(&st, &sc, d(2026, 2, 1), 1).hold.unwrap();
    assert_eq!(hold.needed, Money::from_major(8_000).0);
    // Upgrade-only ladders are never reviewed.
    sc.tiers.growth = GrowthMode::UpgradeOnly;
    assert_eq!(outcome(&st, &sc, d(2026, 2, 1), 1).hold, None);
}

#[test]
fn department_store_cards_need_a_single_day_spend_to_enter() {
    let mut sc = flat();
    sc.tiers = tiers::department_store();
    let mut st = store_with(1);
    buy(&mut st, 1, "A", at(2026, 1, 1), 1_000);
    assert_eq!(outcome(&st, &sc, d(2026, 1, 1), 1).tier, None);
    buy(&mut st, 1, "B", at(2026, 1, 1), 600);
    assert_eq!(outcome(&st, &sc, d(2026, 1, 1), 1).tier, Some(0));
    buy(&mut st, 1, "C", at(2026, 5, 1), 9_000);
    assert_eq!(outcome(&st, &sc, d(2026, 5, 1), 1).tier, Some(2)); // 10,600 this year
}

#[test]
fn invalid_schemes_are_typed_errors() {
    let mut sc = presets::banded();
    sc.earning.bands[1].from = Money::from_major(100);
    assert_eq!(
        sc.validate(),
        Err(SchemeError::OverlappingBands {
            first: 0,
            second: 1
        })
    );
    let mut sc = presets::simple();
    sc.tiers.tiers[2].threshold = 100;
    assert_eq!(
        sc.validate(),
        Err(SchemeError::UnorderedThresholds { index: 2 })
    );
    let mut sc = presets::simple();
    sc.earning.bands.push(Band {
        from: Money(500),
        to: Some(Money(500)),
        multiplier: Milli(1000),
    });
    assert_eq!(sc.validate(), Err(SchemeError::EmptyBand { index: 0 }));
    let st = store_with(1);
    assert!(replay_under(&st, &sc, d(2026, 1, 1)).is_err());
    for s in [
        presets::simple(),
        presets::banded(),
        presets::department_store(),
    ] {
        assert_eq!(s.validate(), Ok(()), "{}", s.name);
    }
}

#[test]
fn checkout_refuses_what_it_must() {
    let mut st = store_with(1);
    let p = Purchase {
        receipt: "A".into(),
        member: MemberId(1),
        at: at(2026, 1, 1),
        amount: Money::from_major(100),
        store: String::new(),
        device: String::new(),
        lines: Vec::new(),
        staff: String::new(),
    };
    assert_eq!(record_purchase(&mut st, p.clone()), Ok(Recorded::Added));
    assert_eq!(
        record_purchase(&mut st, p.clone()),
        Ok(Recorded::AlreadyRecorded)
    );
    let mut other = p.clone();
    other.amount = Money(1);
    assert!(matches!(
        record_purchase(&mut st, other),
        Err(PointsError::DuplicateReceipt { .. })
    ));
    let mut stranger = p.clone();
    stranger.receipt = "Z".into();
    stranger.member = MemberId(9);
    assert_eq!(
        record_purchase(&mut st, stranger),
        Err(PointsError::UnknownMember(MemberId(9)))
    );
    assert_eq!(st.purchases.len(), 1);
    assert_eq!(
        record_redemption(&mut st, MemberId(1), None, 1, Some(101), at(2026, 1, 2)),
        Err(PointsError::OverRedemption {
            wanted: 101,
            available: 100
        })
    );
    assert_eq!(
        record_redemption(&mut st, MemberId(1), None, 1, Some(60), at(2026, 1, 2))
            .unwrap()
            .balance_after,
        40
    );
    let r = clientele_engine::members::model::Return {
        id: "R1".into(),
        receipt: "A".into(),
        at: at(2026, 1, 3),
        amount: Money::from_major(101),
        lines: Vec::new(),
        staff: String::new(),
    };
    assert!(matches!(
        record_return(&mut st, r),
        Err(PointsError::ReturnExceedsPurchase { .. })
    ));
    assert_eq!(
        record_points_event(
            &mut st,
            PointsEvent {
                member: MemberId(1),
                at: at(2026, 1, 3),
                kind: PointsEventKind::Adjustment {
                    points: 5,
                    note: " ".into()
                },
                staff: None,
            }
        ),
        Err(PointsError::AdjustmentWithoutReason)
    );
}

#[test]
fn rewards_have_stock() {
    let mut st = store_with(1);
    let mut sc = flat();
    sc.rewards.push(Reward {
        id: "scarf".into(),
        name: "silk scarf".into(),
        points: 30,
        stock: Some(1),
    });
    st.schemes.push(DatedScheme {
        effective_from: d(2020, 1, 1),
        scheme: sc,
    });
    buy(&mut st, 1, "A", at(2026, 1, 1), 100);
    let when = at(2026, 1, 2);
    assert!(record_redemption(&mut st, MemberId(1), Some("scarf"), 1, None, when).is_ok());
    assert_eq!(
        record_redemption(&mut st, MemberId(1), Some("scarf"), 1, None, when),
        Err(PointsError::OutOfStock {
            id: "scarf".into(),
            left: 0
        })
    );
    assert!(matches!(
        record_redemption(&mut st, MemberId(1), Some("mug"), 1, None, when),
        Err(PointsError::UnknownReward { .. })
    ));
}

#[test]
fn preview_shows_points_and_the_tier_change() {
    let mut st = store_with(1);
    let mut sc = flat();
    sc.tiers = tiers::three_step();
    st.schemes.push(DatedScheme {
        effective_from: d(2020, 1, 1),
        scheme: sc,
    });
    buy(&mut st, 1, "A", at(2026, 1, 1), 9_000);
    let p = preview_sale(&st, MemberId(1), Money::from_major(1_500), at(2026, 1, 2)).unwrap();
    assert_eq!(p.points, 1_500);
    assert_eq!((p.tier_before, p.tier_after), (Some(0), Some(1)));
    assert!(p.tier_change.is_some());
    assert_eq!((p.balance_before, p.balance_after), (9_000, 10_500));
    assert_eq!(st.purchases.len(), 1);
}

#[test]
fn comparing_schemes_lists_who_moves() {
    let mut st = store_with(3);
    buy(&mut st, 1, "A", at(2026, 1, 1), 500);
    buy(&mut st, 2, "B", at(2026, 1, 1), 700);
    buy(&mut st, 3, "C", at(2026, 1, 1), 100);
    let a = replay_under(&st, &presets::simple(), d(2026, 2, 1)).unwrap();
    let mut cheaper = presets::simple();
    cheaper.tiers.tiers[1].threshold = Money::from_major(50).0;
    cheaper.tiers.tiers[2].threshold = Money::from_major(450).0;
    cheaper.tiers.tiers[3].threshold = Money::from_major(650).0;
    let b = replay_under(&st, &cheaper, d(2026, 2, 1)).unwrap();
    let c = compare(&a, &b);
    assert_eq!(c.up.len(), 3);
    assert!(c.down.is_empty());
    assert_eq!(a.totals.tier_counts, vec![1, 1, 1, 0]);
    assert_eq!(b.totals.tier_counts, vec![0, 1, 1, 1]);
    assert_eq!(a.totals.outstanding, 500 + 840 + 100); // VIP earns ×1.2
    assert_eq!(a.totals.liability, Money(1440));
}

#[test]
fn calibration_ties_stay_together_and_never_exceed_the_target() {
    let values = [100, 200, 200, 300];
    // Top 50 %: the two 200s cannot be split, so only the 300 goes up.
    let c = thresholds_for_shares(&values, &[5_000]).unwrap();
    assert_eq!(c.thresholds, vec![300]);
    assert_eq!(c.counts, vec![3, 1]);
    assert_eq!(c.shares_bp, vec![7_500, 2_500]);
    // 75 % fits exactly: the lowest included value is the threshold.
    let c = thresholds_for_shares(&values, &[7_500]).unwrap();
    assert_eq!(c.thresholds, vec![200]);
    let values: Vec<i64> = (1..=1000).collect();
    let c = thresholds_for_shares(&values, &[1_500, 500, 100]).unwrap();
    assert_eq!(c.thresholds, vec![791, 941, 991]);
    assert_eq!(c.counts, vec![790, 150, 50, 10]);
    let s = shares_for_thresholds(&values, &[399, 688, 888]);
    assert_eq!(s.counts, vec![398, 289, 200, 113]);
    assert!(thresholds_for_shares(&values, &[9_000, 2_000]).is_err());
}

fn reviewed_yearly() -> clientele_engine::points::scheme::Scheme {
    let mut sc = flat();
    sc.tiers = tiers::three_step();
    sc.tiers.metric = clientele_engine::points::tiers::Metric::SpendLast12Months;
    sc.tiers.growth = GrowthMode::UpgradeDowngrade {
        validity_months: 12,
        max_drop: 1,
    };
    sc
}

fn opening_tier(tier: u8) -> PointsEventKind {
    PointsEventKind::OpeningTier {
        tier,
        system: "import".into(),
    }
}

#[test]
fn an_imported_gold_member_keeps_gold_until_the_review_then_drops_by_the_rules() {
    // Basic / Silver 10,000 / Gold 20,000 on 12-month spend, held a year,
    // dropping one tier per review. Imported at Gold on 2025-04-01, no purchases.
    let sc = reviewed_yearly();
    let mut st = store_with(1);
    event(&mut st, 1, at(2025, 4, 1), opening_tier(2));
    let o = outcome(&st, &sc, d(2025, 4, 1), 1);
    assert_eq!(o.tier, Some(2));
    assert_eq!(o.tier_history[0].reason, TierReason::OpeningTier);
    assert_eq!(
        o.tier_history[0].describe(&sc, Lang::En),
        "Basic → Gold: opening tier imported"
    );
    assert_eq!(
        o.tier_history[0].describe(&sc, Lang::Zh),
        "普通 → 金：导入期初等级"
    );
    // The review is a year on: all 20,000 must come by then.
    let hold = o.hold.expect("reviewed");
    assert_eq!(hold.review, d(2026, 4, 1));
    assert_eq!(hold.needed, Money::from_major(20_000).0);
    assert_eq!(outcome(&st, &sc, d(2026, 3, 31), 1).tier, Some(2));
    // At the review the usual rules: one tier down, then another a year later.
    assert_eq!(outcome(&st, &sc, d(2026, 4, 1), 1).tier, Some(1));
    assert_eq!(outcome(&st, &sc, d(2027, 4, 1), 1).tier, Some(0));
    // Spending enough in the year keeps Gold at the review.
    buy(&mut st, 1, "A", at(2026, 1, 10), 20_000);
    assert_eq!(outcome(&st, &sc, d(2026, 4, 1), 1).tier, Some(2));
}

#[test]
fn an_imported_member_who_qualifies_higher_moves_up() {
    let sc = reviewed_yearly();
    let mut st = store_with(1);
    event(&mut st, 1, at(2025, 4, 1), opening_tier(1));
    buy(&mut st, 1, "A", at(2025, 5, 1), 5_000);
    // Silver holds: 5,000 qualifies for nothing more, and no drop before the review.
    assert_eq!(outcome(&st, &sc, d(2025, 6, 1), 1).tier, Some(1));
    buy(&mut st, 1, "B", at(2025, 6, 1), 16_000);
    let o = outcome(&st, &sc, d(2025, 6, 2), 1);
    assert_eq!(o.tier, Some(2));
    assert!(matches!(
        o.tier_history.last().unwrap().reason,
        TierReason::Qualified { .. }
    ));
    // An opening tier below what the member holds changes nothing.
    let mut st2 = store_with(1);
    buy(&mut st2, 1, "A", at(2025, 3, 1), 25_000);
    event(&mut st2, 1, at(2025, 4, 1), opening_tier(1));
    let o = outcome(&st2, &sc, d(2025, 5, 1), 1);
    assert_eq!(o.tier, Some(2));
    assert_eq!(o.tier_history.len(), 1);
}

#[test]
fn an_opening_tier_survives_returns_and_upgrade_only_keeps_it() {
    let mut sc = flat();
    sc.tiers = tiers::three_step();
    let mut st = store_with(1);
    event(&mut st, 1, at(2025, 4, 1), opening_tier(1));
    buy(&mut st, 1, "A", at(2025, 5, 1), 12_000);
    ret(&mut st, "A", at(2025, 5, 2), 12_000);
    // Upgrade-only: no review, the imported Silver stays, a return does not undo it.
    assert_eq!(outcome(&st, &sc, d(2030, 1, 1), 1).tier, Some(1));
    // An index beyond the ladder means its top tier.
    let mut st = store_with(1);
    event(&mut st, 1, at(2025, 4, 1), opening_tier(9));
    assert_eq!(outcome(&st, &sc, d(2025, 4, 2), 1).tier, Some(2));
}

#[test]
fn tiers_are_found_by_name_in_either_language_and_any_case() {
    let t = tiers::online_shop();
    assert_eq!(t.find("VIP会员"), Some(2));
    assert_eq!(t.find(" supreme vip "), Some(3));
    assert_eq!(t.find("REGULAR"), Some(0));
    assert_eq!(t.find("Gold"), None);
    assert_eq!(t.find(""), None);
}

#[test]
fn the_counter_numbers_the_days_receipts_and_refuses_a_number_used_before() {
    use clientele_engine::members::model::Purchase;
    use clientele_engine::points::checkout::{next_receipt_no, record_purchase};
    let mut s = store_with(2);
    let day = d(2026, 12, 3);
    assert_eq!(next_receipt_no(&s, day, ""), "R202612030001");
    buy(&mut s, 1, "R202612030001", at(2026, 12, 3), 100);
    buy(&mut s, 2, "R202612030003", at(2026, 12, 3), 100);
    assert_eq!(next_receipt_no(&s, day, ""), "R202612030002");
    // Yesterday's numbers do not count for today.
    assert_eq!(next_receipt_no(&s, d(2026, 12, 2), ""), "R202612020001");
    // A number typed on another day's purchase is not offered twice: the
    // counter refuses it when it is recorded.
    buy(&mut s, 1, "R202612040001", at(2026, 12, 1), 50);
    let again = Purchase {
        receipt: next_receipt_no(&s, d(2026, 12, 4), ""),
        member: clientele_engine::MemberId(2),
        at: at(2026, 12, 4),
        amount: clientele_engine::Money(100),
        store: String::new(),
        device: String::new(),
        lines: Vec::new(),
        staff: String::new(),
    };
    assert!(record_purchase(&mut s, again).is_err());

    // Two devices of one boutique selling while apart number apart.
    use clientele_engine::members::ids::DeviceTag;
    let (counter, tablet) = (
        DeviceTag::new(1_237_911).unwrap(),
        DeviceTag::new(77).unwrap(),
    );
    assert_eq!(counter.code(), "QJ6F");
    assert_eq!(tablet.code(), "0025");
    assert_eq!(
        next_receipt_no(&s, day, &counter.code()),
        "R20261203-QJ6F-0001"
    );
    assert_eq!(
        next_receipt_no(&s, day, &tablet.code()),
        "R20261203-0025-0001"
    );
}
