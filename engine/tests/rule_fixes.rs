//! Worked examples for combinations that once gave wrong answers: an
//! inactivity rule switched on later, pending points and expiry, and
//! receipts of nothing.

mod common;
use common::*;

use clientele_engine::members::model::{MemberId, MonthDay};
use clientele_engine::points::explain::Reason;
use clientele_engine::points::replay::{replay_store, MemberOutcome};
use clientele_engine::points::rules::{Milli, SchemeError, SchemeField};
use clientele_engine::points::scheme::{
    BirthdayBonus, BirthdayWindow, DatedScheme, ExpiryPolicy, Scheme,
};
use clientele_engine::points::tiers::Metric;
use clientele_engine::store::document::Store;

fn with_expiry(expiry: ExpiryPolicy, pending_days: u32) -> Scheme {
    let mut s = flat();
    s.expiry = expiry;
    s.pending_days = pending_days;
    s
}

fn history(s: &mut Store, schemes: &[(chrono::NaiveDate, Scheme)]) {
    s.schemes = schemes
        .iter()
        .map(|(from, scheme)| DatedScheme {
            effective_from: *from,
            scheme: scheme.clone(),
        })
        .collect();
}

fn member_on(s: &Store, as_of: chrono::NaiveDate) -> MemberOutcome {
    replay_store(s, as_of).unwrap().members.remove(0)
}

fn lapses(m: &MemberOutcome) -> Vec<(chrono::NaiveDate, i64)> {
    m.ledger
        .entries
        .iter()
        .filter(|e| matches!(e.reason, Reason::Lapsed | Reason::Expired))
        .map(|e| (e.date, e.points))
        .collect()
}

#[test]
fn an_inactivity_rule_switched_on_later_counts_from_the_day_it_took_effect() {
    // Bought 100 yuan on 2024-01-10 under "never expires"; from 2025-06-01
    // the balance lapses after 6 months without activity. Counting from
    // the purchase would have lapsed it on 2024-07-11, before the rule
    // existed; the member keeps it until 2025-12-01 inclusive.
    let mut s = store_with(1);
    buy(&mut s, 1, "P1", at(2024, 1, 10), 100);
    history(
        &mut s,
        &[
            (d(2024, 1, 1), with_expiry(ExpiryPolicy::Never, 0)),
            (
                d(2025, 6, 1),
                with_expiry(ExpiryPolicy::Inactivity { months: 6 }, 0),
            ),
        ],
    );
    let m = member_on(&s, d(2025, 7, 1));
    assert_eq!((m.balance, lapses(&m)), (100, vec![]));
    let m = member_on(&s, d(2025, 12, 1));
    assert_eq!(m.balance, 100);
    assert_eq!(m.expiring_30d, 100);
    let m = member_on(&s, d(2025, 12, 2));
    assert_eq!((m.balance, lapses(&m)), (0, vec![(d(2025, 12, 2), -100)]));
}

#[test]
fn inactivity_that_ran_out_under_the_old_scheme_still_lapses_under_it() {
    // Inactivity of 6 months until 2025-01-01, then never: the balance of
    // a member inactive since 2024-01-10 lapsed on 2024-07-11, and the
    // later scheme does not bring it back.
    let mut s = store_with(1);
    buy(&mut s, 1, "P1", at(2024, 1, 10), 100);
    history(
        &mut s,
        &[
            (
                d(2024, 1, 1),
                with_expiry(ExpiryPolicy::Inactivity { months: 6 }, 0),
            ),
            (d(2025, 1, 1), with_expiry(ExpiryPolicy::Never, 0)),
        ],
    );
    let m = member_on(&s, d(2025, 3, 1));
    assert_eq!((m.balance, lapses(&m)), (0, vec![(d(2024, 7, 11), -100)]));
}

#[test]
fn pending_points_are_valid_for_the_whole_period_once_spendable() {
    // Spendable 14 days after the purchase, valid 7 days: counting the 7
    // days from the purchase, the points would lapse before anyone could
    // spend them. They run from 2025-01-15 through 2025-01-22.
    let mut s = store_with(1);
    buy(&mut s, 1, "P1", at(2025, 1, 1), 100);
    history(
        &mut s,
        &[(
            d(2024, 1, 1),
            with_expiry(ExpiryPolicy::AfterDays { days: 7 }, 14),
        )],
    );
    assert_eq!(member_on(&s, d(2025, 1, 14)).available, 0);
    let m = member_on(&s, d(2025, 1, 15));
    assert_eq!(
        (m.available, m.ledger.lots[0].expires),
        (100, Some(d(2025, 1, 22)))
    );
    let m = member_on(&s, d(2025, 1, 23));
    assert_eq!((m.balance, lapses(&m)), (0, vec![(d(2025, 1, 23), -100)]));

    // Cleared every 31 December, spendable after 7 days: bought on
    // 28 December, the points become spendable on 4 January and count
    // through the next clear date, 31 December of that year.
    let mut s = store_with(1);
    buy(&mut s, 1, "P1", at(2025, 12, 28), 100);
    let annual = ExpiryPolicy::AnnualClear {
        month: 12,
        day: 31,
        extra_years: 0,
    };
    history(&mut s, &[(d(2024, 1, 1), with_expiry(annual, 7))]);
    let m = member_on(&s, d(2026, 1, 4));
    assert_eq!(
        (m.available, m.ledger.lots[0].expires),
        (100, Some(d(2026, 12, 31)))
    );
}

#[test]
fn an_inactivity_lapse_leaves_points_that_are_still_pending() {
    // One month of inactivity, spendable after 40 days (a scheme stored
    // before the editor refused this): the deadline from the purchase,
    // 2025-02-01, passes while the points are still pending, so they stay
    // and lapse one month after they became spendable (2025-02-10).
    let mut s = store_with(1);
    buy(&mut s, 1, "P1", at(2025, 1, 1), 100);
    history(
        &mut s,
        &[(
            d(2024, 1, 1),
            with_expiry(ExpiryPolicy::Inactivity { months: 1 }, 40),
        )],
    );
    let m = member_on(&s, d(2025, 2, 20));
    assert_eq!((m.balance, m.available, lapses(&m)), (100, 100, vec![]));
    let m = member_on(&s, d(2025, 3, 12));
    assert_eq!((m.balance, lapses(&m)), (0, vec![(d(2025, 3, 11), -100)]));
}

#[test]
fn the_editor_refuses_a_pending_period_longer_than_the_expiry() {
    let s = with_expiry(ExpiryPolicy::AfterDays { days: 7 }, 14);
    let p = s.check().unwrap_err();
    assert_eq!(p.field, SchemeField::Pending);
    assert_eq!(
        p.error,
        SchemeError::PendingLongerThanExpiry {
            pending_days: 14,
            expiry_days: 7
        }
    );
    // A stored scheme like it still replays.
    assert_eq!(s.validate(), Ok(()));
    for (expiry, pending, ok) in [
        (ExpiryPolicy::AfterDays { days: 7 }, 7, true),
        (ExpiryPolicy::EndOfMonthAfter { months: 0 }, 28, true),
        (ExpiryPolicy::EndOfMonthAfter { months: 0 }, 29, false),
        (ExpiryPolicy::EndOfMonthAfter { months: 2 }, 56, true),
        (ExpiryPolicy::Inactivity { months: 1 }, 29, false),
        (
            ExpiryPolicy::AnnualClear {
                month: 12,
                day: 31,
                extra_years: 0,
            },
            30,
            true,
        ),
        (ExpiryPolicy::Never, 10_000, true),
    ] {
        let s = with_expiry(expiry.clone(), pending);
        assert_eq!(s.check().is_ok(), ok, "{expiry:?} pending {pending}");
    }
}

#[test]
fn a_receipt_of_nothing_leaves_the_first_purchase_and_birthday_bonuses() {
    // First purchase +50, birthday month +30. A 0-yuan receipt in the
    // birthday month (an exchange, a free gift) takes neither; the real
    // purchase a week later earns both.
    let mut s = store_with(1);
    s.members[0].birthday = MonthDay::new(3, 15, None);
    let mut sc = flat();
    sc.bonuses.first_purchase = 50;
    sc.bonuses.birthday = Some(BirthdayBonus {
        window: BirthdayWindow::Month,
        points: 30,
        multiplier: Milli::ONE,
        min_notice_days: 0,
    });
    history(&mut s, &[(d(2024, 1, 1), sc)]);
    buy(&mut s, 1, "P0", at(2025, 3, 1), 0);
    buy(&mut s, 1, "P1", at(2025, 3, 8), 100);
    let m = member_on(&s, d(2025, 3, 31));
    assert_eq!(m.balance, 100 + 50 + 30);
    assert_eq!(m.ledger.lots.len(), 1);
    let Reason::Purchase(why) = m.ledger.lots[0].reason else {
        panic!("a purchase lot");
    };
    assert!(why.first_purchase && why.birthday);
}

#[test]
fn a_negative_receipt_is_no_purchase() {
    // Purchase-count tiers 0 / 2: a -50-yuan receipt (a refund typed as a
    // sale) neither counts toward the count nor earns, nor pays a referral.
    let mut s = store_with(2);
    s.members[1].referrer = Some(MemberId(1));
    let mut sc = flat();
    sc.bonuses.referral = 40;
    sc.tiers.metric = Metric::PurchaseCount;
    sc.tiers.tiers.truncate(2);
    sc.tiers.tiers[1].threshold = 2;
    sc.tiers.tiers[1].metric = None;
    history(&mut s, &[(d(2024, 1, 1), sc)]);
    buy(&mut s, 2, "P0", at(2025, 3, 1), -50);
    buy(&mut s, 2, "P1", at(2025, 3, 2), 100);
    let r = replay_store(&s, d(2025, 3, 31)).unwrap();
    let (referrer, m) = (&r.members[0], &r.members[1]);
    assert_eq!((m.qualifying, m.tier, m.balance), (1, Some(0), 100));
    // The referral is paid on the first real purchase, P1.
    assert_eq!(referrer.balance, 40);
    assert_eq!(
        referrer.ledger.lots[0].source,
        clientele_engine::points::ledger::Source::Referral { purchase: 1 }
    );
    buy(&mut s, 2, "P2", at(2025, 3, 3), 100);
    let m = &replay_store(&s, d(2025, 3, 31)).unwrap().members[1];
    assert_eq!((m.qualifying, m.tier), (2, Some(1)));
}
