//! Worked examples for the tier rules of issue 18 item 1: the entry reward
//! (升级礼 / 晋级奖励) and the tier held to the end of the calendar year
//! (自然年保级). Ladder in every example: Basic 0 / Silver 10,000 /
//! Gold 20,000 yuan, 1 point per yuan, nothing expires.

mod common;
use common::*;

use clientele_engine::money::Money;
use clientele_engine::points::calibrate::{metric_values, metric_values_from};
use clientele_engine::points::events::PointsEventKind;
use clientele_engine::points::explain::{Lang, Missed, Reason};
use clientele_engine::points::ledger::Source;
use clientele_engine::points::replay::MemberOutcome;
use clientele_engine::points::rules::{SchemeError, SchemeField};
use clientele_engine::points::scheme::{presets, DatedScheme, Reward, Scheme};
use clientele_engine::points::tiers::{presets as tiers, EntryMode, GrowthMode, Metric, YearStart};
use clientele_engine::store::validate::check_store;

/// (date, points, reason) of every line.
fn lines(m: &MemberOutcome) -> Vec<(chrono::NaiveDate, i64, Reason)> {
    m.ledger
        .entries
        .iter()
        .map(|e| (e.date, e.points, e.reason))
        .collect()
}

fn entry_lines(m: &MemberOutcome) -> Vec<(chrono::NaiveDate, i64, Reason)> {
    lines(m)
        .into_iter()
        .filter(|l| {
            matches!(
                l.2,
                Reason::TierEntry { .. }
                    | Reason::TierEntryReversed { .. }
                    | Reason::OutsideProgramme {
                        missed: Missed::TierEntry
                    }
            )
        })
        .collect()
}

fn yuan(v: i64) -> i64 {
    Money::from_major(v).0
}

/// Basic / Silver / Gold on lifetime spend; entry rewards Silver 200, Gold 500.
fn with_entry_rewards() -> Scheme {
    let mut sc = flat();
    sc.tiers = tiers::three_step();
    sc.tiers.tiers[1].benefits.entry_points = 200;
    sc.tiers.tiers[2].benefits.entry_points = 500;
    sc
}

/// As above on 12-month spend, held a year, dropping one tier per review.
fn reviewed_yearly() -> Scheme {
    let mut sc = with_entry_rewards();
    sc.tiers.metric = Metric::SpendLast12Months;
    sc.tiers.growth = GrowthMode::UpgradeDowngrade {
        validity_months: 12,
        max_drop: 1,
    };
    sc
}

const SILVER: Reason = Reason::TierEntry {
    tier: 1,
    reward: None,
};
const GOLD: Reason = Reason::TierEntry {
    tier: 2,
    reward: None,
};

// ---- 升级礼 / 晋级奖励: the entry reward ---------------------------------------

#[test]
fn reaching_a_tier_gives_its_entry_reward_on_a_line_of_its_own() {
    // 12,000 on 1 March → Silver: 12,000 + 200. 9,000 on 1 April → Gold
    // (21,000): 9,000 + 500. Balance 12,000 + 200 + 9,000 + 500 = 21,700.
    let mut s = store_with(1);
    buy(&mut s, 1, "A", at(2026, 3, 1), 12_000);
    buy(&mut s, 1, "B", at(2026, 4, 1), 9_000);
    let sc = with_entry_rewards();
    let m = outcome(&s, &sc, d(2026, 6, 1), 1);
    assert_eq!(m.tier, Some(2));
    assert_eq!(m.balance, 21_700);
    let l = lines(&m);
    assert_eq!(l.len(), 4);
    assert_eq!((l[0].0, l[0].1), (d(2026, 3, 1), 12_000));
    assert_eq!(l[1], (d(2026, 3, 1), 200, SILVER));
    assert_eq!((l[2].0, l[2].1), (d(2026, 4, 1), 9_000));
    assert_eq!(l[3], (d(2026, 4, 1), 500, GOLD));
    assert_eq!(m.ledger.entries[3].source, Source::TierEntry { tier: 2 });
    assert_eq!(GOLD.describe(&sc, Lang::En), "reached Gold: entry reward");
    assert_eq!(GOLD.describe(&sc, Lang::Zh), "升级至金：升级礼");
    // Replayed as of 31 March: Silver's reward only.
    assert_eq!(outcome(&s, &sc, d(2026, 3, 31), 1).balance, 12_200);
}

#[test]
fn the_checkout_preview_shows_the_entry_rewards_of_the_sale() {
    // 8,000 bought (Basic); a 15,000 sale takes lifetime spend to 23,000,
    // past Silver's 10,000 and Gold's 20,000: it earns 15,000, the entry
    // rewards 200 and 500 show beside it, and the balance after holds all.
    let mut s = store_with(1);
    buy(&mut s, 1, "A", at(2026, 3, 1), 8_000);
    s.schemes = vec![DatedScheme {
        effective_from: d(2024, 1, 1),
        scheme: with_entry_rewards(),
    }];
    let p = clientele_engine::points::checkout::preview_sale(
        &s,
        clientele_engine::members::model::MemberId(1),
        Money::from_major(15_000),
        at(2026, 4, 1),
    )
    .unwrap();
    assert_eq!(p.points, 15_000);
    assert_eq!(p.entry_rewards, vec![(200, SILVER), (500, GOLD)]);
    assert_eq!(p.balance_before, 8_000);
    assert_eq!(p.balance_after, 8_000 + 15_000 + 200 + 500);
    // A sale that upgrades nothing shows none.
    let p = clientele_engine::points::checkout::preview_sale(
        &s,
        clientele_engine::members::model::MemberId(1),
        Money::from_major(100),
        at(2026, 4, 1),
    )
    .unwrap();
    assert_eq!(p.entry_rewards, vec![]);
}

#[test]
fn an_upgrade_past_a_tier_gives_each_tier_it_reaches_lowest_first() {
    // 25,000 in one receipt: Basic → Gold passes Silver: 25,000 + 200 + 500.
    let mut s = store_with(1);
    buy(&mut s, 1, "A", at(2026, 3, 1), 25_000);
    let m = outcome(&s, &with_entry_rewards(), d(2026, 3, 1), 1);
    assert_eq!(m.balance, 25_700);
    assert_eq!(
        entry_lines(&m),
        vec![(d(2026, 3, 1), 200, SILVER), (d(2026, 3, 1), 500, GOLD)]
    );
}

#[test]
fn the_entry_reward_comes_once_per_tier_even_after_a_drop_and_a_climb() {
    // 12-month spend, held a year. 12,000 on 2025-03-01 → Silver, +200.
    // Review 2026-03-01: nothing in the 12 months → Basic. 12,000 on
    // 2026-06-01 → Silver again: no second reward.
    // Balance 12,000 + 200 + 12,000 = 24,200.
    let mut s = store_with(1);
    buy(&mut s, 1, "A", at(2025, 3, 1), 12_000);
    buy(&mut s, 1, "B", at(2026, 6, 1), 12_000);
    let m = outcome(&s, &reviewed_yearly(), d(2026, 7, 1), 1);
    assert_eq!(m.tier, Some(1));
    assert_eq!(m.tier_history.len(), 3);
    assert_eq!(m.tier_history[1].date, d(2026, 3, 1));
    assert_eq!(m.tier_history[1].to, Some(0));
    assert_eq!(m.balance, 24_200);
    assert_eq!(entry_lines(&m), vec![(d(2025, 3, 1), 200, SILVER)]);
}

#[test]
fn a_return_that_undoes_the_upgrade_takes_the_entry_reward_back() {
    // 12,000 on 1 March → Silver, +200. 3,000 returned on 5 March: 9,000
    // lifetime, back to Basic, -3,000 and -200. 2,000 on 1 April → Silver
    // again (11,000): the reward was taken back, so it is given again.
    // Balance 12,000 + 200 - 3,000 - 200 + 2,000 + 200 = 11,200.
    let mut s = store_with(1);
    buy(&mut s, 1, "A", at(2026, 3, 1), 12_000);
    ret(&mut s, "A", at(2026, 3, 5), 3_000);
    let sc = with_entry_rewards();
    let m = outcome(&s, &sc, d(2026, 3, 31), 1);
    assert_eq!(m.tier, Some(0));
    assert_eq!(m.balance, 9_000);
    let back = Reason::TierEntryReversed { tier: 1 };
    assert_eq!(
        entry_lines(&m),
        vec![(d(2026, 3, 1), 200, SILVER), (d(2026, 3, 5), -200, back)]
    );
    assert_eq!(
        back.describe(&sc, Lang::En),
        "a return undid reaching Silver: entry reward taken back"
    );
    assert_eq!(back.describe(&sc, Lang::Zh), "退货取消升级银：扣回升级礼");
    buy(&mut s, 1, "B", at(2026, 4, 1), 2_000);
    let m = outcome(&s, &sc, d(2026, 4, 30), 1);
    assert_eq!(m.tier, Some(1));
    assert_eq!(m.balance, 11_200);
    // The replay's totals count the 200 taken back as reversed.
    let r = clientele_engine::points::replay::replay_under(&s, &sc, d(2026, 4, 30)).unwrap();
    assert_eq!(r.totals.issued, 12_000 + 200 + 2_000 + 200);
    assert_eq!(r.totals.reversed, 3_000 + 200);
}

#[test]
fn a_spent_entry_reward_taken_back_leaves_a_negative_balance() {
    // 12,000 → Silver +200 (12,200); 12,200 redeemed; the full return
    // takes 12,000 and 200 back: balance -12,200 (the default policy).
    let mut s = store_with(1);
    buy(&mut s, 1, "A", at(2026, 3, 1), 12_000);
    redeem(&mut s, 1, at(2026, 3, 2), 12_200);
    ret(&mut s, "A", at(2026, 3, 5), 12_000);
    let m = outcome(&s, &with_entry_rewards(), d(2026, 3, 31), 1);
    assert_eq!(m.tier, Some(0));
    assert_eq!(m.balance, -12_200);
}

#[test]
fn an_entry_reward_may_name_a_reward_of_the_catalogue() {
    // Gold gives the catalogue's silk scarf (no points): a zero line on the
    // day names it. Silver gives 200 and a gift card.
    let mut sc = with_entry_rewards();
    sc.rewards = vec![
        Reward {
            id: "CARD".into(),
            name: "Gift card".into(),
            points: 1_000,
            stock: None,
        },
        Reward {
            id: "SCARF".into(),
            name: "Silk scarf".into(),
            points: 5_000,
            stock: Some(10),
        },
    ];
    sc.tiers.tiers[1].benefits.entry_reward = Some("CARD".into());
    sc.tiers.tiers[2].benefits.entry_points = 0;
    sc.tiers.tiers[2].benefits.entry_reward = Some("SCARF".into());
    assert_eq!(sc.check(), Ok(()));
    let mut s = store_with(1);
    buy(&mut s, 1, "A", at(2026, 3, 1), 25_000);
    let m = outcome(&s, &sc, d(2026, 3, 1), 1);
    let silver = Reason::TierEntry {
        tier: 1,
        reward: Some(0),
    };
    let gold = Reason::TierEntry {
        tier: 2,
        reward: Some(1),
    };
    assert_eq!(
        entry_lines(&m),
        vec![(d(2026, 3, 1), 200, silver), (d(2026, 3, 1), 0, gold)]
    );
    assert_eq!(m.balance, 25_200);
    assert_eq!(
        gold.describe(&sc, Lang::En),
        "reached Gold: entry reward, with Silk scarf"
    );
    assert_eq!(
        gold.describe(&sc, Lang::Zh),
        "升级至金：升级礼，赠Silk scarf"
    );
    // A code not in the catalogue: the editor refuses it beside the tier;
    // a stored scheme still replays, with the points and no reward.
    sc.tiers.tiers[1].benefits.entry_reward = Some("GONE".into());
    let p = sc.check().unwrap_err();
    assert_eq!(p.field, SchemeField::Tier(1));
    assert_eq!(p.error, SchemeError::UnknownReward { id: "GONE".into() });
    assert_eq!(sc.validate(), Ok(()));
    let m = outcome(&s, &sc, d(2026, 3, 1), 1);
    assert_eq!(entry_lines(&m)[0], (d(2026, 3, 1), 200, SILVER));
}

#[test]
fn an_entry_reward_outside_the_programme_dates_is_a_zero_line_and_used_up() {
    // Programme to 31 March: Silver reached on 1 April → zero line; a drop
    // and a climb later would give nothing either (the tier was reached).
    let mut sc = with_entry_rewards();
    sc.programme_to = Some(d(2026, 3, 31));
    let mut s = store_with(1);
    buy(&mut s, 1, "A", at(2026, 4, 1), 12_000);
    let m = outcome(&s, &sc, d(2026, 4, 1), 1);
    let missed = Reason::OutsideProgramme {
        missed: Missed::TierEntry,
    };
    assert_eq!(m.balance, 0);
    assert_eq!(entry_lines(&m), vec![(d(2026, 4, 1), 0, missed)]);
    assert_eq!(
        missed.describe(&sc, Lang::En),
        "tier entry reward: outside the programme dates"
    );
    assert_eq!(missed.describe(&sc, Lang::Zh), "升级礼：不在活动有效期内");
}

#[test]
fn an_imported_opening_tier_gives_no_entry_reward_for_it_or_below() {
    // Imported at Silver on 1 January; 25,000 on 1 March reaches Gold:
    // 25,000 + 500 (Silver was reached in the other system).
    let mut s = store_with(1);
    event(
        &mut s,
        1,
        at(2026, 1, 1),
        PointsEventKind::OpeningTier {
            tier: 1,
            system: "old".into(),
        },
    );
    buy(&mut s, 1, "A", at(2026, 3, 1), 25_000);
    let m = outcome(&s, &with_entry_rewards(), d(2026, 3, 1), 1);
    assert_eq!(m.balance, 25_500);
    assert_eq!(entry_lines(&m), vec![(d(2026, 3, 1), 500, GOLD)]);
}

#[test]
fn the_base_tier_gives_its_entry_reward_only_under_restricted_entry() {
    // Base tier entry reward 50. Open entry: held from joining, not reached
    // → 100 points for a 100-yuan receipt. Restricted entry (base at 100
    // yuan): the first purchase reaches it → 100 + 50.
    let mut sc = with_entry_rewards();
    sc.tiers.tiers[0].benefits.entry_points = 50;
    let mut s = store_with(1);
    buy(&mut s, 1, "A", at(2026, 3, 1), 100);
    assert_eq!(outcome(&s, &sc, d(2026, 3, 1), 1).balance, 100);
    sc.tiers.entry = EntryMode::Restricted;
    sc.tiers.tiers[0].threshold = yuan(100);
    let m = outcome(&s, &sc, d(2026, 3, 1), 1);
    assert_eq!(m.tier, Some(0));
    assert_eq!(m.balance, 150);
}

#[test]
fn entry_rewards_are_refused_below_zero_and_above_the_file_limit() {
    let mut sc = with_entry_rewards();
    sc.tiers.tiers[1].benefits.entry_points = -1;
    let p = sc.check().unwrap_err();
    assert_eq!(
        (p.field, p.error),
        (SchemeField::Tier(1), SchemeError::NegativeValue)
    );
    sc.tiers.tiers[1].benefits.entry_points = 2_000_000_000_000;
    let mut s = store_with(1);
    s.schemes = vec![DatedScheme {
        effective_from: d(2024, 1, 1),
        scheme: sc,
    }];
    let refused: Vec<String> = check_store(&s).iter().map(|r| r.field.path()).collect();
    assert!(
        refused.iter().any(|r| r == "scheme.tiers.tiers[1]"),
        "{refused:?}"
    );
}

// ---- 自然年保级: held to the end of the calendar year ---------------------

/// 12-month spend, held 12 months and then to the end of that year.
fn to_year_end() -> Scheme {
    let mut sc = reviewed_yearly();
    sc.tiers.validity_to_year_end = true;
    sc
}

#[test]
fn a_tier_reached_in_march_2026_is_held_to_31_december_2027() {
    // 12,000 on 2026-03-15 → Silver. Without the option the review is
    // 2027-03-15; with it, 2028-01-01: Silver through 2027-12-31, then
    // Basic (nothing bought in the 12 months to 31 December 2027).
    let mut s = store_with(1);
    buy(&mut s, 1, "A", at(2026, 3, 15), 12_000);
    let plain = reviewed_yearly();
    assert_eq!(
        outcome(&s, &plain, d(2026, 4, 1), 1).hold.unwrap().review,
        d(2027, 3, 15)
    );
    assert_eq!(outcome(&s, &plain, d(2027, 3, 15), 1).tier, Some(0));
    let sc = to_year_end();
    let m = outcome(&s, &sc, d(2026, 4, 1), 1);
    let hold = m.hold.unwrap();
    assert_eq!(hold.review, d(2028, 1, 1));
    assert_eq!(hold.needed, yuan(10_000));
    assert_eq!(outcome(&s, &sc, d(2027, 12, 31), 1).tier, Some(1));
    let m = outcome(&s, &sc, d(2028, 1, 1), 1);
    assert_eq!(m.tier, Some(0));
    assert_eq!(m.tier_history.last().unwrap().date, d(2028, 1, 1));
}

#[test]
fn reached_on_the_first_or_the_last_day_of_2026_is_held_through_2027() {
    for day in [d(2026, 1, 1), d(2026, 12, 31)] {
        let mut s = store_with(1);
        buy(&mut s, 1, "A", day.and_hms_opt(12, 0, 0).unwrap(), 12_000);
        let m = outcome(&s, &to_year_end(), day, 1);
        assert_eq!(m.hold.unwrap().review, d(2028, 1, 1), "{day}");
    }
}

#[test]
fn a_tier_kept_at_the_year_end_review_is_reviewed_again_a_year_later() {
    // 12,000 on 2026-03-15 → Silver; 12,000 on 2027-06-01. Review
    // 2028-01-01 judges the 12 months to 2027-12-31: 12,000, kept. The
    // next review is 2029-01-01 (one calendar year, not two): nothing in
    // 2028, so Basic from then.
    let mut s = store_with(1);
    buy(&mut s, 1, "A", at(2026, 3, 15), 12_000);
    buy(&mut s, 1, "B", at(2027, 6, 1), 12_000);
    let sc = to_year_end();
    let m = outcome(&s, &sc, d(2028, 1, 1), 1);
    assert_eq!(m.tier, Some(1));
    assert_eq!(m.hold.unwrap().review, d(2029, 1, 1));
    assert_eq!(outcome(&s, &sc, d(2028, 12, 31), 1).tier, Some(1));
    assert_eq!(outcome(&s, &sc, d(2029, 1, 1), 1).tier, Some(0));
}

#[test]
fn a_calendar_year_metric_is_judged_on_the_year_just_ended() {
    // Spend in the calendar year: 12,000 in March 2026 → Silver, held to
    // 31 December 2027. 10,000 bought in November 2027: the 1 January 2028
    // review reads 2027's spend (10,000), not 2028's (0), and keeps Silver.
    let mut sc = to_year_end();
    sc.tiers.metric = Metric::SpendCalendarYear;
    let mut s = store_with(1);
    buy(&mut s, 1, "A", at(2026, 3, 15), 12_000);
    buy(&mut s, 1, "B", at(2027, 11, 1), 10_000);
    assert_eq!(outcome(&s, &sc, d(2028, 1, 1), 1).tier, Some(1));
    assert_eq!(outcome(&s, &sc, d(2029, 1, 1), 1).tier, Some(0));
}

#[test]
fn the_new_fields_are_left_out_of_the_file_when_unused() {
    for sc in [
        presets::simple(),
        presets::banded(),
        presets::department_store(),
    ] {
        let text = serde_json::to_string(&sc).unwrap();
        for key in [
            "entry_points",
            "entry_reward",
            "validity_to_year_end",
            "growth_year_start",
        ] {
            assert!(!text.contains(key), "{key} in {text}");
        }
        let back: Scheme = serde_json::from_str(&text).unwrap();
        assert_eq!(serde_json::to_string(&back).unwrap(), text);
    }
    let mut sc = to_year_end();
    sc.tiers.tiers[1].benefits.entry_reward = Some("CARD".into());
    sc.tiers.growth_year_start = Some(YearStart { month: 4, day: 1 });
    let text = serde_json::to_string(&sc).unwrap();
    assert!(
        text.contains("\"growth_year_start\":{\"month\":4,\"day\":1}"),
        "{text}"
    );
    assert!(text.contains("\"validity_to_year_end\":true"), "{text}");
    assert!(text.contains("\"entry_points\":200"), "{text}");
    assert!(text.contains("\"entry_reward\":\"CARD\""), "{text}");
    assert_eq!(serde_json::from_str::<Scheme>(&text).unwrap(), sc);
}

// ---- 成长值年度清零: growth that resets yearly ---------------------------------

/// Spend in the growth year from 1 April (成长值, reset on 1 April), held
/// 12 months, dropping one tier per review.
fn growth_from_april() -> Scheme {
    let mut sc = reviewed_yearly();
    sc.tiers.metric = Metric::SpendCalendarYear;
    sc.tiers.growth_year_start = Some(YearStart { month: 4, day: 1 });
    sc
}

#[test]
fn growth_resets_on_the_configured_day_not_on_1_january() {
    // 6,000 on 2026-03-20 and 6,000 on 2026-04-10. Reset on 1 January:
    // 12,000 in 2026 → Silver on 10 April. Reset on 1 April: the growth
    // year 2025 (to 31 March 2026) holds 6,000, the year from 1 April 2026
    // holds 6,000 → Basic.
    let mut s = store_with(1);
    buy(&mut s, 1, "A", at(2026, 3, 20), 6_000);
    buy(&mut s, 1, "B", at(2026, 4, 10), 6_000);
    let mut jan = growth_from_april();
    jan.tiers.growth_year_start = None;
    assert_eq!(outcome(&s, &jan, d(2026, 4, 10), 1).tier, Some(1));
    let sc = growth_from_april();
    let m = outcome(&s, &sc, d(2026, 3, 31), 1);
    assert_eq!(m.qualifying, yuan(6_000));
    let m = outcome(&s, &sc, d(2026, 4, 10), 1);
    assert_eq!((m.tier, m.qualifying), (Some(0), yuan(6_000)));
    // 4,000 more on 2027-03-31: the year from 1 April 2026 reaches 10,000
    // → Silver. On 1 April 2027 the growth value is 0 again, and Silver is
    // held to its review on 2028-03-31.
    buy(&mut s, 1, "C", at(2027, 3, 31), 4_000);
    let m = outcome(&s, &sc, d(2027, 3, 31), 1);
    assert_eq!((m.tier, m.qualifying), (Some(1), yuan(10_000)));
    let change = m.tier_history.last().unwrap();
    assert_eq!(
        change.describe(&sc, Lang::En),
        "Basic → Silver: spend in the year from 1 April reached 10,000.00"
    );
    assert_eq!(
        change.describe(&sc, Lang::Zh),
        "普通 → 银：4月1日起年度消费达到10,000.00"
    );
    let m = outcome(&s, &sc, d(2027, 4, 1), 1);
    assert_eq!((m.tier, m.qualifying), (Some(1), 0));
    assert_eq!(m.hold.unwrap().review, d(2028, 3, 31));
    assert_eq!(outcome(&s, &sc, d(2028, 3, 31), 1).tier, Some(0));
}

#[test]
fn growth_is_kept_apart_from_spendable_points() {
    // 12,000 on 2026-05-01: 12,000 points and 12,000 yuan of growth.
    // Redeeming 10,000 points leaves the growth, and the tier, as they were.
    let mut s = store_with(1);
    buy(&mut s, 1, "A", at(2026, 5, 1), 12_000);
    redeem(&mut s, 1, at(2026, 5, 2), 10_000);
    let mut sc = growth_from_april();
    for t in &mut sc.tiers.tiers {
        t.benefits.entry_points = 0;
    }
    let m = outcome(&s, &sc, d(2026, 6, 1), 1);
    assert_eq!(m.balance, 2_000);
    assert_eq!((m.tier, m.qualifying), (Some(1), yuan(12_000)));
}

#[test]
fn the_calibration_counts_the_growth_year_as_the_ladder_does() {
    // Member 1: 6,000 on 2026-03-20; member 2: 6,000 on 2026-04-10. As of
    // 2026-06-01: by calendar year both have 6,000; from 1 April only
    // member 2 has.
    let mut s = store_with(2);
    buy(&mut s, 1, "A", at(2026, 3, 20), 6_000);
    buy(&mut s, 2, "B", at(2026, 4, 10), 6_000);
    let as_of = d(2026, 6, 1);
    let plain: Vec<i64> = metric_values(&s, Metric::SpendCalendarYear, as_of)
        .into_iter()
        .map(|v| v.1)
        .collect();
    assert_eq!(plain, vec![yuan(6_000), yuan(6_000)]);
    let april = Some(YearStart { month: 4, day: 1 });
    let shifted: Vec<i64> = metric_values_from(&s, Metric::SpendCalendarYear, april, as_of)
        .into_iter()
        .map(|v| v.1)
        .collect();
    assert_eq!(shifted, vec![0, yuan(6_000)]);
}

#[test]
fn a_growth_year_start_that_is_not_a_day_of_every_year_is_refused() {
    let mut sc = growth_from_april();
    sc.tiers.growth_year_start = Some(YearStart { month: 2, day: 29 });
    let p = sc.check().unwrap_err();
    assert_eq!(
        (p.field, p.error),
        (SchemeField::Growth, SchemeError::InvalidDate)
    );
    sc.tiers.growth_year_start = Some(YearStart { month: 13, day: 1 });
    let mut s = store_with(1);
    s.schemes = vec![DatedScheme {
        effective_from: d(2024, 1, 1),
        scheme: sc,
    }];
    let refused: Vec<String> = check_store(&s).iter().map(|r| r.field.path()).collect();
    assert!(
        refused.iter().any(|r| r == "scheme.tiers.growth"),
        "{refused:?}"
    );
}
