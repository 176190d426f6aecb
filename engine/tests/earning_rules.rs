//! Worked examples for every earning rule.

mod common;
use clientele_engine::points::replay::replay_under;
use common::*;

use clientele_engine::members::model::MonthDay;
use clientele_engine::money::Money;
use clientele_engine::points::earning::{earn_for_receipt, ReceiptFacts};
use clientele_engine::points::events::PointsEventKind;
use clientele_engine::points::explain::{Lang, Reason};
use clientele_engine::points::rules::Milli;
use clientele_engine::points::scheme::{
    presets, Band, BirthdayBonus, BirthdayWindow, Promotion, Rounding,
};

fn facts(yuan: i64) -> ReceiptFacts<'static> {
    ReceiptFacts {
        amount: Money::from_major(yuan),
        date: d(2026, 3, 1),
        tier: Some(0),
        first_purchase: false,
        birthday: false,
        items: 1,
        lines: &[],
    }
}

#[test]
fn one_point_per_ten_yuan_rounds_down() {
    let mut s = flat();
    s.earning.per = Money::from_major(10);
    assert_eq!(earn_for_receipt(&s, &facts(105)).0, 10);
    assert_eq!(earn_for_receipt(&s, &facts(9)).0, 0);
}

#[test]
fn promotion_of_one_and_a_half_on_four_points_gives_six() {
    let mut s = flat();
    s.promotions.push(Promotion {
        name: "double-points day".into(),
        from: d(2026, 3, 1),
        to: d(2026, 3, 1),
        multiplier: Milli(1500),
    });
    assert_eq!(earn_for_receipt(&s, &facts(4)).0, 6);
    let mut next_day = facts(4);
    next_day.date = d(2026, 3, 2);
    assert_eq!(earn_for_receipt(&s, &next_day).0, 4);
}

#[test]
fn rounding_happens_once_per_receipt() {
    // 19 yuan at 1 per 10 yuan with ×1.5: exactly 2.85 → 2. Rounding the
    // base first would give floor(1.9) = 1, then 1.5 → 1.
    let mut s = flat();
    s.earning.per = Money::from_major(10);
    s.promotions.push(Promotion {
        name: "x1.5".into(),
        from: d(2026, 1, 1),
        to: d(2026, 12, 31),
        multiplier: Milli(1500),
    });
    assert_eq!(earn_for_receipt(&s, &facts(19)).0, 2);
    s.earning.rounding = Rounding::HalfUp;
    assert_eq!(earn_for_receipt(&s, &facts(19)).0, 3);
    s.earning.rounding = Rounding::Up;
    assert_eq!(earn_for_receipt(&s, &facts(13)).0, 2); // 1.95 → 2
}

#[test]
fn banded_rate_applies_the_receipts_band_to_its_whole_amount() {
    let s = presets::banded();
    let mut f = facts(150);
    f.tier = None;
    assert_eq!(earn_for_receipt(&s, &f).0, 150);
    f.amount = Money::from_major(200);
    assert_eq!(earn_for_receipt(&s, &f).0, 300);
    f.amount = Money::from_major(500);
    assert_eq!(earn_for_receipt(&s, &f).0, 750);
    f.amount = Money::from_major(1000);
    assert_eq!(earn_for_receipt(&s, &f).0, 2000);
}

#[test]
fn only_the_best_promotion_applies_unless_stacked() {
    let mut s = flat();
    for (name, m) in [("x2", 2000), ("x1.5", 1500)] {
        s.promotions.push(Promotion {
            name: name.into(),
            from: d(2026, 3, 1),
            to: d(2026, 3, 1),
            multiplier: Milli(m),
        });
    }
    let (p, why) = earn_for_receipt(&s, &facts(100));
    assert_eq!(p, 200);
    assert_eq!(why.promotion, Some(0));
    assert_eq!(why.promotions, 2);
    s.stack_promotions = true;
    assert_eq!(earn_for_receipt(&s, &facts(100)).0, 300);
}

#[test]
fn tier_multiplier_and_explanation_read_aloud() {
    let mut s = presets::banded();
    s.tiers.tiers[2].benefits.points_multiplier = Milli(1200);
    s.promotions.push(Promotion {
        name: "double-points day".into(),
        from: d(2026, 3, 1),
        to: d(2026, 3, 1),
        multiplier: Milli(2000),
    });
    let mut f = facts(500);
    f.tier = Some(2);
    let (p, why) = earn_for_receipt(&s, &f);
    assert_eq!(p, 1800); // 500 × 1.5 × 1.2 × 2
    assert_eq!(
        why.describe(&s, Lang::En),
        "1800 from spend: ×1.5 for 200.00-800.00 band, ×1.2 Gold, ×2 double-points day"
    );
    assert_eq!(
        Reason::Purchase(why).describe(&s, Lang::Zh),
        "消费积分1800：200.00-800.00档 ×1.5，×1.2 金牌，×2 double-points day"
    );
}

#[test]
fn first_purchase_bonus_goes_to_the_first_receipt_only() {
    let mut sc = flat();
    sc.bonuses.first_purchase = 50;
    let mut st = store_with(1);
    buy(&mut st, 1, "A", at(2026, 1, 5), 100);
    buy(&mut st, 1, "B", at(2026, 1, 6), 100);
    let o = outcome(&st, &sc, d(2026, 2, 1), 1);
    assert_eq!(o.ledger.lots[0].points, 150);
    assert_eq!(o.ledger.lots[1].points, 100);
}

fn birthday_scheme(window: BirthdayWindow) -> clientele_engine::points::scheme::Scheme {
    let mut sc = flat();
    sc.bonuses.birthday = Some(BirthdayBonus {
        window,
        points: 88,
        multiplier: Milli(2000),
        min_notice_days: 30,
    });
    sc
}

#[test]
fn birthday_bonus_once_a_year_in_the_birthday_month() {
    let sc = birthday_scheme(BirthdayWindow::Month);
    let mut st = store_with(1);
    st.members[0].birthday = MonthDay::new(2, 29, None);
    buy(&mut st, 1, "A", at(2025, 2, 10), 100);
    buy(&mut st, 1, "B", at(2025, 2, 20), 100);
    buy(&mut st, 1, "C", at(2026, 2, 3), 10);
    let o = outcome(&st, &sc, d(2026, 3, 1), 1);
    let pts: Vec<i64> = o.ledger.lots.iter().map(|l| l.points).collect();
    assert_eq!(pts, vec![288, 100, 108]);
}

#[test]
fn a_29_february_birthday_falls_on_28_february_in_common_years() {
    let sc = birthday_scheme(BirthdayWindow::Day);
    let mut st = store_with(1);
    st.members[0].birthday = MonthDay::new(2, 29, None);
    buy(&mut st, 1, "A", at(2025, 3, 1), 100);
    buy(&mut st, 1, "B", at(2025, 2, 28), 100);
    buy(&mut st, 1, "C", at(2028, 2, 28), 100);
    buy(&mut st, 1, "D", at(2028, 2, 29), 100);
    let o = outcome(&st, &sc, d(2028, 3, 1), 1);
    let pts: Vec<i64> = o.ledger.lots.iter().map(|l| l.points).collect();
    // In order: 2025-02-28 (birthday), 2025-03-01, 2028-02-28, 2028-02-29 (birthday).
    assert_eq!(pts, vec![288, 100, 100, 288]);
}

#[test]
fn a_birthday_entered_shortly_before_it_falls_earns_nothing_that_year() {
    let sc = birthday_scheme(BirthdayWindow::Month);
    let mut st = store_with(1);
    st.members[0].birthday = MonthDay::new(3, 15, None);
    st.members[0].birthday_recorded_on = Some(d(2026, 2, 20));
    buy(&mut st, 1, "A", at(2026, 3, 15), 100);
    buy(&mut st, 1, "B", at(2027, 3, 2), 100);
    let o = outcome(&st, &sc, d(2027, 4, 1), 1);
    let pts: Vec<i64> = o.ledger.lots.iter().map(|l| l.points).collect();
    assert_eq!(pts, vec![100, 288]);
}

#[test]
fn check_in_once_a_day_and_profile_bonus_once() {
    let mut sc = flat();
    sc.bonuses.daily_check_in = 5;
    sc.bonuses.profile_completion = 100;
    let mut st = store_with(1);
    event(&mut st, 1, at(2026, 1, 1), PointsEventKind::CheckIn);
    event(&mut st, 1, at(2026, 1, 1), PointsEventKind::CheckIn);
    event(&mut st, 1, at(2026, 1, 2), PointsEventKind::CheckIn);
    event(
        &mut st,
        1,
        at(2026, 1, 2),
        PointsEventKind::ProfileCompleted,
    );
    event(
        &mut st,
        1,
        at(2026, 1, 3),
        PointsEventKind::ProfileCompleted,
    );
    let o = outcome(&st, &sc, d(2026, 2, 1), 1);
    assert_eq!(o.balance, 110);
    let notes = o
        .ledger
        .entries
        .iter()
        .filter(|e| e.reason == Reason::AlreadyAwarded)
        .count();
    assert_eq!(notes, 2);
}

#[test]
fn referral_rewards_the_referrer_on_the_first_purchase_and_a_return_takes_it_back() {
    let mut sc = flat();
    sc.bonuses.referral = 200;
    let mut st = store_with(2);
    st.members[1].referrer = Some(clientele_engine::MemberId(1));
    buy(&mut st, 2, "A", at(2026, 1, 5), 100);
    buy(&mut st, 2, "B", at(2026, 1, 6), 100);
    assert_eq!(outcome(&st, &sc, d(2026, 2, 1), 1).balance, 200);
    ret(&mut st, "A", at(2026, 1, 10), 50);
    assert_eq!(outcome(&st, &sc, d(2026, 2, 1), 1).balance, 100);
    ret(&mut st, "B", at(2026, 1, 10), 100);
    assert_eq!(outcome(&st, &sc, d(2026, 2, 1), 1).balance, 100);
}

#[test]
fn referral_points_sum_each_referrers_net_reward() {
    use clientele_engine::care::work::referral_points;
    use clientele_engine::MemberId;
    let mut sc = flat();
    sc.bonuses.referral = 200;
    let mut st = store_with(4);
    st.members[1].referrer = Some(MemberId(1));
    st.members[2].referrer = Some(MemberId(1));
    st.members[3].referrer = Some(MemberId(2));
    buy(&mut st, 2, "A", at(2026, 1, 5), 100);
    buy(&mut st, 3, "B", at(2026, 1, 6), 100);
    buy(&mut st, 4, "C", at(2026, 1, 7), 100);
    // Member 4's first purchase comes back: member 2's reward is taken back.
    ret(&mut st, "C", at(2026, 1, 9), 100);
    let r = replay_under(&st, &sc, d(2026, 2, 1)).unwrap();
    let points = referral_points(&r);
    assert_eq!(points.get(&MemberId(1)), Some(&400));
    assert_eq!(
        points.get(&MemberId(2)),
        None,
        "a fully reversed reward nets to nothing"
    );
    assert_eq!(points.get(&MemberId(3)), None);
}

#[test]
fn adjustments_and_opening_balances() {
    let sc = flat();
    let mut st = store_with(1);
    event(
        &mut st,
        1,
        at(2026, 1, 1),
        PointsEventKind::OpeningBalance {
            points: 500,
            expires: Some(d(2026, 6, 30)),
            system: "old POS".into(),
        },
    );
    event(
        &mut st,
        1,
        at(2026, 2, 1),
        PointsEventKind::Adjustment {
            points: -120,
            note: "double entry".into(),
        },
    );
    let o = outcome(&st, &sc, d(2026, 6, 30), 1);
    assert_eq!(o.balance, 380);
    assert_eq!(o.expiring_30d, 380);
    assert_eq!(outcome(&st, &sc, d(2026, 7, 1), 1).balance, 0);
}

#[test]
fn bands_outside_every_band_earn_at_one() {
    let mut s = flat();
    s.earning.bands = vec![Band {
        from: Money::from_major(1000),
        to: None,
        multiplier: Milli(2000),
    }];
    assert_eq!(earn_for_receipt(&s, &facts(999)).0, 999);
    assert_eq!(earn_for_receipt(&s, &facts(1000)).0, 2000);
}

#[test]
fn a_second_check_in_the_same_day_changes_nothing() {
    use clientele_engine::points::checkout::{record_points_event, Recorded};
    use clientele_engine::points::events::{PointsEvent, PointsEventKind};
    let mut store = clientele_engine::Store::default();
    store.members.push(clientele_engine::Member::new(
        clientele_engine::MemberId(1),
        "C1",
        "Ann",
        chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
    ));
    let at = |h| {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    };
    let check_in = |h| PointsEvent {
        member: clientele_engine::MemberId(1),
        at: at(h),
        kind: PointsEventKind::CheckIn,
        staff: None,
    };
    assert_eq!(
        record_points_event(&mut store, check_in(9)),
        Ok(Recorded::Added)
    );
    assert_eq!(
        record_points_event(&mut store, check_in(15)),
        Ok(Recorded::AlreadyRecorded)
    );
    assert_eq!(store.points_events.len(), 1);
}

#[test]
fn a_preview_in_the_same_second_as_the_last_sale_comes_after_it() {
    use clientele_engine::members::model::Purchase;
    use clientele_engine::points::checkout::{preview_sale, record_purchase};
    use clientele_engine::{Member, MemberId, Money, Store};
    let mut store = Store::default();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    store
        .members
        .push(Member::new(MemberId(1), "C1", "Ann", day));
    store.schemes = vec![clientele_engine::points::scheme::DatedScheme {
        effective_from: day,
        scheme: {
            let mut s = clientele_engine::points::scheme::presets::simple();
            s.bonuses.first_purchase = 100;
            s
        },
    }];
    let at = day.and_hms_opt(10, 0, 0).unwrap();
    let first = preview_sale(&store, MemberId(1), Money(10_000), at).unwrap();
    assert_eq!(
        first.points, 200,
        "100 yuan at 1 per yuan plus the first-purchase bonus"
    );
    record_purchase(
        &mut store,
        Purchase {
            receipt: "R1".into(),
            member: MemberId(1),
            at,
            amount: Money(10_000),
            store: String::new(),
            device: String::new(),
            lines: vec![],
            staff: String::new(),
        },
    )
    .unwrap();
    let second = preview_sale(&store, MemberId(1), Money(10_000), at).unwrap();
    assert_eq!(second.points, 100, "no second first-purchase bonus");
    assert_eq!(second.balance_before, 200);
}
