//! Worked examples for the scheme rules of issue 18 item 1: the sign-up
//! bonus (注册礼 / 开卡礼), the birthday gift (生日礼), the 29 February rule,
//! the programme dates (活动有效期), the minimum receipt (最低消费) and points
//! per receipt / per item (每单积分 / 每件积分).

mod common;
use common::*;

use clientele_engine::care::work::{upcoming_days, upcoming_days_with};
use clientele_engine::members::model::{LeapDay, LineItem, MemberId, MonthDay, Purchase};
use clientele_engine::money::Money;
use clientele_engine::points::checkout::{preview_sale, preview_sale_lines};
use clientele_engine::points::earning::{earn_for_receipt, ReceiptFacts};
use clientele_engine::points::events::PointsEventKind;
use clientele_engine::points::explain::{EarnReason, Lang, Missed, NotEarned, Reason};
use clientele_engine::points::lab::try_schemes;
use clientele_engine::points::ledger::Source;
use clientele_engine::points::replay::MemberOutcome;
use clientele_engine::points::rules::{Milli, SchemeError, SchemeField};
use clientele_engine::points::scheme::{
    presets, BirthdayBonus, BirthdayGift, BirthdayWindow, DatedScheme, Promotion, Scheme,
};
use clientele_engine::store::document::Store;
use clientele_engine::store::validate::check_store;

/// (date, points, reason) of every line.
fn lines(m: &MemberOutcome) -> Vec<(chrono::NaiveDate, i64, Reason)> {
    m.ledger
        .entries
        .iter()
        .map(|e| (e.date, e.points, e.reason))
        .collect()
}

fn purchase_reason(m: &MemberOutcome, purchase: u32) -> EarnReason {
    m.ledger
        .entries
        .iter()
        .filter(|e| e.source == Source::Purchase { purchase })
        .find_map(|e| match e.reason {
            Reason::Purchase(r) => Some(r),
            _ => None,
        })
        .expect("a line for the purchase")
}

fn buy_items(s: &mut Store, receipt: &str, when: chrono::NaiveDateTime, yuan: i64, qty: &[i32]) {
    s.purchases.push(Purchase {
        receipt: receipt.into(),
        member: MemberId(1),
        at: when,
        amount: Money::from_major(yuan),
        store: String::new(),
        device: String::new(),
        lines: qty
            .iter()
            .enumerate()
            .map(|(i, &quantity)| LineItem {
                sku: format!("S{i}"),
                category: String::new(),
                quantity,
                amount: Money::from_major(1),
            })
            .collect(),
        staff: String::new(),
    });
}

fn gift(points: i64, min_notice_days: u32) -> Option<BirthdayGift> {
    Some(BirthdayGift {
        points,
        min_notice_days,
    })
}

// ---- 注册礼 / 开卡礼: the sign-up bonus -------------------------------------

#[test]
fn the_sign_up_bonus_is_a_line_of_its_own_on_the_join_date() {
    // Joined 2024-01-01, sign-up bonus 100, no purchase: balance 100, one
    // line on the join date.
    let s = store_with(1);
    let mut sc = flat();
    sc.bonuses.sign_up = 100;
    let m = outcome(&s, &sc, d(2024, 6, 1), 1);
    assert_eq!(m.balance, 100);
    assert_eq!(lines(&m), vec![(d(2024, 1, 1), 100, Reason::SignUp)]);
    assert_eq!(m.ledger.lots[0].source, Source::SignUp);
    assert_eq!(Reason::SignUp.describe(&sc, Lang::En), "sign-up bonus");
    assert_eq!(Reason::SignUp.describe(&sc, Lang::Zh), "注册礼");
    // Replayed as of the day before joining: nothing yet.
    let mut later = store_with(1);
    later.members[0].joined = d(2024, 7, 1);
    assert_eq!(outcome(&later, &sc, d(2024, 6, 30), 1).balance, 0);
    assert_eq!(outcome(&later, &sc, d(2024, 7, 1), 1).balance, 100);
}

#[test]
fn the_sign_up_bonus_needs_the_join_date_within_the_programme_dates() {
    // Programme 2024-03-01..2024-12-31, bonus 100: joined 2024-01-01 gets
    // a zero line "outside the programme dates"; joined 2024-03-01 gets 100.
    let mut s = store_with(2);
    s.members[1].joined = d(2024, 3, 1);
    let mut sc = flat();
    sc.bonuses.sign_up = 100;
    sc.programme_from = Some(d(2024, 3, 1));
    sc.programme_to = Some(d(2024, 12, 31));
    let early = outcome(&s, &sc, d(2024, 6, 1), 1);
    assert_eq!(early.balance, 0);
    let missed = Reason::OutsideProgramme {
        missed: Missed::SignUp,
    };
    assert_eq!(lines(&early), vec![(d(2024, 1, 1), 0, missed)]);
    assert_eq!(
        missed.describe(&sc, Lang::En),
        "sign-up bonus: outside the programme dates"
    );
    assert_eq!(missed.describe(&sc, Lang::Zh), "注册礼：不在活动有效期内");
    assert_eq!(outcome(&s, &sc, d(2024, 6, 1), 2).balance, 100);
}

// ---- 生日礼: the birthday gift ------------------------------------------------

#[test]
fn the_birthday_gift_is_given_on_the_birthday_once_a_year_without_a_purchase() {
    // Born 20 May, recorded at joining (2024-01-01), gift 88: as of
    // 2026-06-01 three gifts (2024, 2025, 2026) = 264 points.
    let mut s = store_with(1);
    s.members[0].birthday = MonthDay::new(5, 20, None);
    s.members[0].birthday_recorded_on = Some(d(2024, 1, 1));
    let mut sc = flat();
    sc.bonuses.birthday_gift = gift(88, 0);
    let m = outcome(&s, &sc, d(2026, 6, 1), 1);
    assert_eq!(m.balance, 264);
    assert_eq!(
        lines(&m),
        vec![
            (d(2024, 5, 20), 88, Reason::BirthdayGift { year: 2024 }),
            (d(2025, 5, 20), 88, Reason::BirthdayGift { year: 2025 }),
            (d(2026, 5, 20), 88, Reason::BirthdayGift { year: 2026 }),
        ]
    );
    assert_eq!(
        Reason::BirthdayGift { year: 2025 }.describe(&sc, Lang::En),
        "birthday gift 2025"
    );
    // The day before the 2026 birthday: two gifts.
    assert_eq!(outcome(&s, &sc, d(2026, 5, 19), 1).balance, 176);
}

#[test]
fn the_birthday_gift_is_separate_from_the_purchase_birthday_bonus() {
    // Gift 88 on 20 May; birthday-day bonus +30 and ×2 on a purchase that
    // day: 100 yuan → 200 + 30, and the gift besides: 318.
    let mut s = store_with(1);
    s.members[0].birthday = MonthDay::new(5, 20, None);
    buy(&mut s, 1, "P1", at(2024, 5, 20), 100);
    let mut sc = flat();
    sc.bonuses.birthday_gift = gift(88, 0);
    sc.bonuses.birthday = Some(BirthdayBonus {
        window: BirthdayWindow::Day,
        points: 30,
        multiplier: Milli(2000),
        min_notice_days: 0,
    });
    let m = outcome(&s, &sc, d(2024, 6, 1), 1);
    assert_eq!(m.balance, 88 + 230);
    // The gift (start of the day) comes before the purchase.
    assert_eq!(
        m.ledger.entries[0].reason,
        Reason::BirthdayGift { year: 2024 }
    );
    assert!(purchase_reason(&m, 0).birthday);
}

#[test]
fn a_birthday_recorded_too_late_gets_no_gift_that_year() {
    // Gift 88 with 30 days' notice. Birthday 20 May recorded on 2025-05-01
    // (19 days before): no 2025 gift; the 2026 gift comes.
    let mut s = store_with(1);
    s.members[0].birthday = MonthDay::new(5, 20, None);
    s.members[0].birthday_recorded_on = Some(d(2025, 5, 1));
    let mut sc = flat();
    sc.bonuses.birthday_gift = gift(88, 30);
    let m = outcome(&s, &sc, d(2026, 6, 1), 1);
    // 2024: the birthday was recorded after the day, so no gift either.
    assert_eq!(
        lines(&m),
        vec![(d(2026, 5, 20), 88, Reason::BirthdayGift { year: 2026 })]
    );
    // Without a notice period, a birthday recorded on 2025-05-01 still gets
    // the 2025 gift (recorded before the day), not the 2024 one.
    sc.bonuses.birthday_gift = gift(88, 0);
    assert_eq!(outcome(&s, &sc, d(2026, 6, 1), 1).balance, 176);
}

#[test]
fn no_birthday_gift_before_joining_or_outside_the_programme() {
    // Joined 2024-06-01, born 20 May: the first gift is 2025's. Programme
    // to 2025-12-31: 2026's gift is a zero line.
    let mut s = store_with(1);
    s.members[0].joined = d(2024, 6, 1);
    s.members[0].birthday = MonthDay::new(5, 20, None);
    let mut sc = flat();
    sc.bonuses.birthday_gift = gift(88, 0);
    sc.programme_to = Some(d(2025, 12, 31));
    let m = outcome(&s, &sc, d(2026, 6, 1), 1);
    assert_eq!(m.balance, 88);
    assert_eq!(
        lines(&m),
        vec![
            (d(2025, 5, 20), 88, Reason::BirthdayGift { year: 2025 }),
            (
                d(2026, 5, 20),
                0,
                Reason::OutsideProgramme {
                    missed: Missed::BirthdayGift
                }
            ),
        ]
    );
}

#[test]
fn the_birthday_gift_is_not_activity_for_inactivity_expiry() {
    // Lapse after 6 months without activity; 100 yuan bought 2024-02-01,
    // gift 88 on 20 May. The gift does not restart the clock: everything
    // (100 + 88) lapses on 2024-08-02. The sign-up bonus is activity, as
    // joining is, but 2024-01-01 is before the purchase anyway.
    let mut s = store_with(1);
    s.members[0].birthday = MonthDay::new(5, 20, None);
    buy(&mut s, 1, "P1", at(2024, 2, 1), 100);
    let mut sc = flat();
    sc.bonuses.birthday_gift = gift(88, 0);
    sc.expiry = clientele_engine::points::scheme::ExpiryPolicy::Inactivity { months: 6 };
    let m = outcome(&s, &sc, d(2024, 9, 1), 1);
    assert_eq!(m.balance, 0);
    assert_eq!(
        lines(&m).last(),
        Some(&(d(2024, 8, 2), -188, Reason::Lapsed))
    );
}

// ---- 29 February ----------------------------------------------------------

#[test]
fn a_29_february_birthday_falls_on_28_february_or_1_march_by_the_scheme() {
    let leap = MonthDay::new(2, 29, Some(2000)).unwrap();
    assert_eq!(leap.in_year_with(2025, LeapDay::Feb28), d(2025, 2, 28));
    assert_eq!(leap.in_year_with(2025, LeapDay::Mar1), d(2025, 3, 1));
    assert_eq!(leap.in_year_with(2028, LeapDay::Mar1), d(2028, 2, 29));
    assert_eq!(leap.in_year(2025), d(2025, 2, 28));
    assert_eq!(
        leap.next_on_or_after_with(d(2025, 3, 1), LeapDay::Feb28),
        d(2026, 2, 28)
    );
    assert_eq!(
        leap.next_on_or_after_with(d(2025, 3, 1), LeapDay::Mar1),
        d(2025, 3, 1)
    );
    // Other days are not moved.
    let may = MonthDay::new(5, 20, None).unwrap();
    assert_eq!(may.in_year_with(2025, LeapDay::Mar1), d(2025, 5, 20));

    // The gift: born 29 February, gift 88, as of 2028-03-31.
    let mut s = store_with(1);
    s.members[0].birthday = Some(leap);
    let mut sc = flat();
    sc.bonuses.birthday_gift = gift(88, 0);
    let days = |m: &MemberOutcome| m.ledger.entries.iter().map(|e| e.date).collect::<Vec<_>>();
    let feb = outcome(&s, &sc, d(2028, 3, 31), 1);
    assert_eq!(
        days(&feb),
        vec![
            d(2024, 2, 29),
            d(2025, 2, 28),
            d(2026, 2, 28),
            d(2027, 2, 28),
            d(2028, 2, 29)
        ]
    );
    sc.leap_birthday = LeapDay::Mar1;
    let mar = outcome(&s, &sc, d(2028, 3, 31), 1);
    assert_eq!(
        days(&mar),
        vec![
            d(2024, 2, 29),
            d(2025, 3, 1),
            d(2026, 3, 1),
            d(2027, 3, 1),
            d(2028, 2, 29)
        ]
    );
    assert_eq!(mar.balance, 5 * 88);
}

#[test]
fn the_29_february_rule_moves_the_birthday_month_and_the_care_calendar() {
    // Birthday-month bonus +30; born 29 February. In 2025 under "1 March"
    // the birthday month is March: a purchase on 10 March gets the bonus,
    // one on 10 February does not. Under the default, February.
    let mut s = store_with(1);
    s.members[0].birthday = MonthDay::new(2, 29, None);
    buy(&mut s, 1, "P1", at(2025, 2, 10), 100);
    buy(&mut s, 1, "P2", at(2025, 3, 10), 100);
    let mut sc = flat();
    sc.bonuses.birthday = Some(BirthdayBonus {
        window: BirthdayWindow::Month,
        points: 30,
        multiplier: Milli::ONE,
        min_notice_days: 0,
    });
    let feb = outcome(&s, &sc, d(2025, 4, 1), 1);
    assert!(purchase_reason(&feb, 0).birthday);
    assert!(!purchase_reason(&feb, 1).birthday);
    sc.leap_birthday = LeapDay::Mar1;
    let mar = outcome(&s, &sc, d(2025, 4, 1), 1);
    assert!(!purchase_reason(&mar, 0).birthday);
    assert!(purchase_reason(&mar, 1).birthday);
    assert_eq!(mar.balance, 230);

    // The care calendar: as of 2025-02-27, a week ahead.
    let on = |leap| upcoming_days_with(&s.members, d(2025, 2, 27), 7, leap)[0].date;
    assert_eq!(on(LeapDay::Feb28), d(2025, 2, 28));
    assert_eq!(on(LeapDay::Mar1), d(2025, 3, 1));
    assert_eq!(
        upcoming_days(&s.members, d(2025, 2, 27), 7)[0].date,
        d(2025, 2, 28)
    );
}

// ---- 活动有效期: programme dates ---------------------------------------------

fn programme_march_2026() -> Scheme {
    let mut sc = flat();
    sc.bonuses.first_purchase = 50;
    sc.bonuses.daily_check_in = 3;
    sc.programme_from = Some(d(2026, 3, 1));
    sc.programme_to = Some(d(2026, 3, 31));
    sc
}

#[test]
fn nothing_earns_outside_the_programme_dates() {
    // Programme 1-31 March 2026, 1 point per yuan, first purchase +50,
    // check-in +3. 100 yuan on 28 February → 0 (a zero line that says
    // why), and the first-purchase bonus is not used up; 100 yuan on
    // 1 March → 150; 100 yuan on 1 April → 0; a check-in on 1 April → 0.
    let mut s = store_with(1);
    buy(&mut s, 1, "P1", at(2026, 2, 28), 100);
    buy(&mut s, 1, "P2", at(2026, 3, 1), 100);
    buy(&mut s, 1, "P3", at(2026, 4, 1), 100);
    event(&mut s, 1, at(2026, 4, 1), PointsEventKind::CheckIn);
    let sc = programme_march_2026();
    let m = outcome(&s, &sc, d(2026, 5, 1), 1);
    assert_eq!(m.balance, 150);
    let before = purchase_reason(&m, 0);
    assert_eq!(before.not_earned, Some(NotEarned::OutsideProgramme));
    assert_eq!(
        Reason::Purchase(before).describe(&sc, Lang::En),
        "no points: outside the programme dates"
    );
    assert_eq!(
        Reason::Purchase(before).describe(&sc, Lang::Zh),
        "不积分：不在活动有效期内"
    );
    assert!(purchase_reason(&m, 1).first_purchase);
    assert_eq!(
        purchase_reason(&m, 2).not_earned,
        Some(NotEarned::OutsideProgramme)
    );
    assert!(lines(&m).contains(&(
        d(2026, 4, 1),
        0,
        Reason::OutsideProgramme {
            missed: Missed::CheckIn
        }
    )));
    // Spend still counts toward tiers: 300 yuan of lifetime spend.
    assert_eq!(m.qualifying, 30_000);
}

#[test]
fn programme_dates_are_validated_and_the_checkout_says_why() {
    let mut sc = programme_march_2026();
    sc.programme_to = Some(d(2026, 2, 1));
    let p = sc.check().unwrap_err();
    assert_eq!(p.field, SchemeField::Programme);
    assert_eq!(p.error, SchemeError::ProgrammeDates);

    let mut s = store_with(1);
    s.schemes = vec![DatedScheme {
        effective_from: d(2024, 1, 1),
        scheme: programme_march_2026(),
    }];
    let p = preview_sale(&s, MemberId(1), Money::from_major(100), at(2026, 4, 2)).unwrap();
    assert_eq!(p.points, 0);
    assert_eq!(
        p.reason.unwrap().not_earned,
        Some(NotEarned::OutsideProgramme)
    );
    let p = preview_sale(&s, MemberId(1), Money::from_major(100), at(2026, 3, 2)).unwrap();
    assert_eq!(p.points, 150);
    assert_eq!(p.reason.unwrap().not_earned, None);
}

// ---- 最低消费, 每单积分, 每件积分 -----------------------------------------------

fn facts(minor: i64, items: u32) -> ReceiptFacts<'static> {
    ReceiptFacts {
        amount: Money(minor),
        date: d(2026, 3, 1),
        tier: Some(0),
        first_purchase: false,
        birthday: false,
        items,
        lines: &[],
    }
}

#[test]
fn a_minimum_receipt_of_200_yuan() {
    // 1 point per yuan, min receipt ¥200: ¥199.99 earns 0, ¥200 earns 200.
    let mut sc = flat();
    sc.earning.min_amount = Money::from_major(200);
    let (p, r) = earn_for_receipt(&sc, &facts(19_999, 1));
    assert_eq!(p, 0);
    assert_eq!(
        r.not_earned,
        Some(NotEarned::BelowMinimumAmount {
            min: Money::from_major(200)
        })
    );
    assert_eq!(
        r.describe(&sc, Lang::En),
        "no points: below the minimum receipt of 200.00"
    );
    assert_eq!(r.describe(&sc, Lang::Zh), "不积分：未达最低消费200.00");
    assert_eq!(earn_for_receipt(&sc, &facts(20_000, 1)).0, 200);
}

#[test]
fn a_receipt_below_the_minimum_uses_up_no_bonus() {
    // Min ¥200, first purchase +50: ¥150 then ¥300 → 0, then 300 + 50.
    let mut s = store_with(1);
    buy(&mut s, 1, "P1", at(2026, 3, 1), 150);
    buy(&mut s, 1, "P2", at(2026, 3, 2), 300);
    let mut sc = flat();
    sc.earning.min_amount = Money::from_major(200);
    sc.bonuses.first_purchase = 50;
    let m = outcome(&s, &sc, d(2026, 4, 1), 1);
    assert_eq!(m.balance, 350);
    assert!(purchase_reason(&m, 1).first_purchase);
    // The ¥150 receipt still counts toward tiers (purchase count, spend).
    assert_eq!(m.qualifying, 45_000);
}

#[test]
fn a_minimum_item_count_of_two() {
    // 1 point per yuan, at least 2 items: 100 yuan of 1 item → 0; of
    // 2 items (1 + 1, or one line of 2) → 100. A receipt without lines
    // counts as one item.
    let mut s = store_with(1);
    buy_items(&mut s, "P1", at(2026, 3, 1), 100, &[1]);
    buy_items(&mut s, "P2", at(2026, 3, 2), 100, &[1, 1]);
    buy_items(&mut s, "P3", at(2026, 3, 3), 100, &[2, -1]);
    buy(&mut s, 1, "P4", at(2026, 3, 4), 100);
    let mut sc = flat();
    sc.earning.min_items = 2;
    let m = outcome(&s, &sc, d(2026, 4, 1), 1);
    assert_eq!(m.balance, 200);
    let r = purchase_reason(&m, 0);
    assert_eq!(
        r.not_earned,
        Some(NotEarned::BelowMinimumItems { min: 2, items: 1 })
    );
    assert_eq!(
        r.describe(&sc, Lang::En),
        "no points: 1 item, the minimum is 2"
    );
    assert_eq!(
        purchase_reason(&m, 3).not_earned,
        Some(NotEarned::BelowMinimumItems { min: 2, items: 1 })
    );
    assert_eq!(s.purchases[2].item_count(), 2);
    assert_eq!(s.purchases[3].item_count(), 1);
}

#[test]
fn points_per_receipt_and_per_item_add_to_the_amount_points() {
    // 1 point per yuan, +5 per receipt, +2 per item: 100 yuan of 3 items
    // → 100 + 5 + 6 = 111.
    let mut sc = flat();
    sc.earning.per_receipt = 5;
    sc.earning.per_item = 2;
    let (p, r) = earn_for_receipt(&sc, &facts(10_000, 3));
    assert_eq!(p, 111);
    assert_eq!((r.receipt_points, r.items, r.item_points), (5, 3, 6));
    assert_eq!(r.rate_points, 111);
    assert_eq!(
        r.describe(&sc, Lang::En),
        "111 from spend: +5 per receipt, +6 for 3 items"
    );
    assert_eq!(r.describe(&sc, Lang::Zh), "消费积分111：每单+5，3件+6");
}

#[test]
fn receipt_points_are_multiplied_and_rounded_once_with_the_amount() {
    // 1 point per 10 yuan, +1 per receipt, ×1.5 promotion: 19 yuan →
    // (1.9 + 1) × 1.5 = 4.35 → 4. Rounding the parts apart would give
    // floor(2.85) + floor(1.5) = 3.
    let mut sc = flat();
    sc.earning.per = Money::from_major(10);
    sc.earning.per_receipt = 1;
    sc.promotions.push(Promotion {
        name: "x1.5".into(),
        from: d(2026, 3, 1),
        to: d(2026, 3, 1),
        multiplier: Milli(1500),
    });
    assert_eq!(earn_for_receipt(&sc, &facts(1_900, 1)).0, 4);
}

#[test]
fn a_scheme_of_points_per_receipt_alone_is_valid() {
    // No points per amount, 10 per receipt: 500 yuan → 10. With neither,
    // the rate is refused.
    let mut sc = flat();
    sc.earning.points = 0;
    sc.earning.per_receipt = 10;
    assert!(sc.check().is_ok());
    assert_eq!(earn_for_receipt(&sc, &facts(50_000, 1)).0, 10);
    sc.earning.per_receipt = 0;
    assert_eq!(sc.check().unwrap_err().field, SchemeField::Rate);
    sc.earning.per_receipt = -1;
    sc.earning.points = 1;
    assert_eq!(sc.check().unwrap_err().field, SchemeField::ReceiptPoints);
}

#[test]
fn a_return_takes_back_per_item_points_pro_rata() {
    // +2 per item, 3 items, 100 yuan → 106; returning 50 yuan → 53 back.
    let mut s = store_with(1);
    buy_items(&mut s, "P1", at(2026, 3, 1), 100, &[3]);
    ret(&mut s, "P1", at(2026, 3, 2), 50);
    let mut sc = flat();
    sc.earning.per_item = 2;
    assert_eq!(outcome(&s, &sc, d(2026, 4, 1), 1).balance, 53);
}

#[test]
fn the_checkout_preview_counts_the_sale_lines() {
    let mut sc = flat();
    sc.earning.per_item = 2;
    sc.earning.min_items = 2;
    let mut s = store_with(1);
    s.schemes = vec![DatedScheme {
        effective_from: d(2024, 1, 1),
        scheme: sc,
    }];
    let line = |quantity| LineItem {
        sku: "S".into(),
        category: String::new(),
        quantity,
        amount: Money::from_major(50),
    };
    let when = at(2026, 3, 1);
    let one = preview_sale(&s, MemberId(1), Money::from_major(100), when).unwrap();
    assert_eq!(one.points, 0);
    assert_eq!(
        one.reason.unwrap().not_earned,
        Some(NotEarned::BelowMinimumItems { min: 2, items: 1 })
    );
    let two =
        preview_sale_lines(&s, MemberId(1), Money::from_major(100), vec![line(2)], when).unwrap();
    assert_eq!(two.points, 104);
    assert_eq!(two.balance_after, 104);
}

// ---- The lab sees the rules ---------------------------------------------

#[test]
fn the_lab_replays_the_new_rules() {
    // Two members, 100 yuan each; candidate: sign-up +20, min receipt ¥150.
    // Baseline (simple preset): 200 issued. Candidate: 40 issued.
    let mut s = store_with(2);
    buy(&mut s, 1, "P1", at(2026, 3, 1), 100);
    buy(&mut s, 2, "P2", at(2026, 3, 1), 100);
    let mut cand = presets::simple();
    cand.bonuses.sign_up = 20;
    cand.earning.min_amount = Money::from_major(150);
    let (base, trials) = try_schemes(&s, d(2026, 4, 1), &[cand]);
    assert_eq!(base.unwrap().totals.issued, 200);
    assert_eq!(trials[0].as_ref().unwrap().totals.issued, 40);
}

// ---- Stored files ---------------------------------------------------------

#[test]
fn a_scheme_without_the_new_rules_writes_as_before() {
    for sc in [
        presets::simple(),
        presets::banded(),
        presets::department_store(),
    ] {
        let text = serde_json::to_string(&sc).unwrap();
        for key in [
            "sign_up",
            "birthday_gift",
            "programme_",
            "leap_birthday",
            "min_amount",
            "min_items",
            "per_receipt",
            "per_item",
        ] {
            assert!(!text.contains(key), "{key} in {text}");
        }
        let back: Scheme = serde_json::from_str(&text).unwrap();
        assert_eq!(back, sc);
        assert_eq!(serde_json::to_string(&back).unwrap(), text);
    }
    // With every rule set, they round-trip.
    let mut sc = presets::simple();
    sc.bonuses.sign_up = 100;
    sc.bonuses.birthday_gift = gift(88, 7);
    sc.programme_from = Some(d(2026, 1, 1));
    sc.programme_to = Some(d(2026, 12, 31));
    sc.leap_birthday = LeapDay::Mar1;
    sc.earning.min_amount = Money::from_major(200);
    sc.earning.min_items = 2;
    sc.earning.per_receipt = 5;
    sc.earning.per_item = 2;
    let text = serde_json::to_string(&sc).unwrap();
    assert!(text.contains("\"leap_birthday\":\"mar1\""), "{text}");
    assert_eq!(serde_json::from_str::<Scheme>(&text).unwrap(), sc);
}

#[test]
fn the_file_limits_cover_the_new_values() {
    let mut s = store_with(1);
    let mut sc = flat();
    sc.bonuses.sign_up = 2_000_000_000_000;
    sc.earning.per_item = 2_000_000_000_000;
    sc.earning.min_items = 2_000_000;
    sc.earning.min_amount = Money(-1);
    s.schemes = vec![DatedScheme {
        effective_from: d(2024, 1, 1),
        scheme: sc,
    }];
    let refused: Vec<String> = check_store(&s).iter().map(|r| r.field.path()).collect();
    for f in [
        "scheme.bonuses.sign_up",
        "scheme.earning.per_item",
        "scheme.earning.min_items",
        "scheme.earning.min_amount",
    ] {
        assert!(refused.iter().any(|r| r == f), "{f} not in {refused:?}");
    }
}
