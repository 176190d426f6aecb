//! 品类/商品规则: rules on a receipt's lines by category or SKU (include,
//! exclude, a multiplier, extra points for a product) and whether they add
//! up or the best wins. Worked examples, the checkout preview, the lab, and
//! properties over random lines.

mod common;
use common::*;

use clientele_engine::members::model::{LineItem, MemberId, Purchase};
use clientele_engine::money::Money;
use clientele_engine::points::checkout::preview_sale_lines;
use clientele_engine::points::earning::{earn_for_receipt, ReceiptFacts};
use clientele_engine::points::explain::Lang;
use clientele_engine::points::lab::try_schemes;
use clientele_engine::points::rules::{Milli, SchemeError, SchemeField};
use clientele_engine::points::scheme::{
    DatedScheme, LineEffect, LineMatch, LineRule, LineStacking, Scheme,
};
use proptest::prelude::*;

fn line(sku: &str, category: &str, quantity: i32, yuan: i64) -> LineItem {
    LineItem {
        sku: sku.into(),
        category: category.into(),
        quantity,
        amount: Money::from_major(yuan),
    }
}

fn category(name: &str, effect: LineEffect) -> LineRule {
    LineRule {
        on: LineMatch::Category(name.into()),
        effect,
    }
}

fn sku(name: &str, effect: LineEffect) -> LineRule {
    LineRule {
        on: LineMatch::Sku(name.into()),
        effect,
    }
}

fn times(m: u32) -> LineEffect {
    LineEffect::Multiplier {
        multiplier: Milli(m),
    }
}

/// 1 point per yuan with `rules`.
fn with(rules: Vec<LineRule>, stacking: LineStacking) -> Scheme {
    let mut s = flat();
    s.earning.line_rules = rules;
    s.earning.line_stacking = stacking;
    s
}

fn earn(
    s: &Scheme,
    paid: i64,
    lines: &[LineItem],
) -> (i64, clientele_engine::points::explain::EarnReason) {
    earn_for_receipt(
        s,
        &ReceiptFacts {
            amount: Money::from_major(paid),
            date: d(2026, 3, 1),
            tier: Some(0),
            first_purchase: false,
            birthday: false,
            items: 1,
            lines,
        },
    )
}

fn coat_and_scarf() -> Vec<LineItem> {
    vec![
        line("SC-9", "Scarves", 1, 400),
        line("CT-1", "Coats", 1, 600),
    ]
}

#[test]
fn double_points_on_scarves() {
    // ¥400 of scarves at ×2 and ¥600 of coats at ×1: 1,400 points.
    let s = with(vec![category("scarves", times(2000))], LineStacking::Add);
    let (points, why) = earn(&s, 1000, &coat_and_scarf());
    assert_eq!(points, 1400);
    assert_eq!((why.lines_matched, why.line_multiplier), (1, Milli(1400)));
    assert_eq!(
        why.describe(&s, Lang::En),
        "1400 from spend: ×1.4 by category/product rules (1 line)"
    );
    assert_eq!(
        why.describe(&s, Lang::Zh),
        "消费积分1400：品类/商品规则 ×1.4（1行）"
    );
    // A receipt discounted to ¥900 shares the discount between its lines.
    assert_eq!(earn(&s, 900, &coat_and_scarf()).0, 1260);
    // Without lines (the counter records the amount only) the rules do not apply.
    assert_eq!(earn(&s, 1000, &[]), earn(&flat(), 1000, &[]));
}

#[test]
fn gift_cards_excluded_and_only_cosmetics_included() {
    let lines = vec![
        line("GC-500", "Gift cards", 1, 500),
        line("CT-1", "Coats", 1, 500),
    ];
    let s = with(
        vec![category("Gift cards", LineEffect::Exclude)],
        LineStacking::Add,
    );
    let (points, why) = earn(&s, 1000, &lines);
    assert_eq!(points, 500);
    assert_eq!(why.line_excluded, Money::from_major(500));
    assert_eq!(
        why.describe(&s, Lang::En),
        "500 from spend: ×0.5 by category/product rules (1 line), 500.00 not earning"
    );
    assert_eq!(
        why.describe(&s, Lang::Zh),
        "消费积分500：品类/商品规则 ×0.5（1行），500.00不积分"
    );
    // Only cosmetics earn: ¥300 of ¥1,000.
    let lines = vec![
        line("LP-2", "Cosmetics", 3, 300),
        line("CT-1", "Coats", 1, 700),
    ];
    let s = with(
        vec![category("Cosmetics", LineEffect::Include)],
        LineStacking::Add,
    );
    assert_eq!(earn(&s, 1000, &lines).0, 300);
}

#[test]
fn extra_points_for_a_product_per_item() {
    let lines = vec![
        line("SILK-01", "Scarves", 2, 200),
        line("CT-1", "Coats", 1, 600),
    ];
    let s = with(
        vec![sku("silk-01", LineEffect::ExtraPoints { points: 50 })],
        LineStacking::Add,
    );
    let (points, why) = earn(&s, 1000, &lines);
    assert_eq!(points, 1100);
    assert_eq!(why.line_points, 100);
    assert_eq!(
        why.describe(&s, Lang::En),
        "1100 from spend: +100 for products"
    );
}

#[test]
fn rules_on_one_line_add_up_or_the_best_wins() {
    let rules = vec![
        category("Scarves", times(2000)),
        sku("SC-9", times(1500)),
        category("Scarves", LineEffect::ExtraPoints { points: 30 }),
        sku("SC-9", LineEffect::ExtraPoints { points: 20 }),
    ];
    let scarf = vec![line("SC-9", "Scarves", 1, 100)];
    // Add: ×2 and ×1.5 make ×2.5 (250), and 30 + 20 extra.
    assert_eq!(
        earn(&with(rules.clone(), LineStacking::Add), 100, &scarf).0,
        300
    );
    // Best: ×2 (200), and the 30 extra.
    assert_eq!(earn(&with(rules, LineStacking::Best), 100, &scarf).0, 230);
}

#[test]
fn the_checkout_preview_and_the_lab_read_the_lines() {
    let scheme = with(vec![category("Scarves", times(2000))], LineStacking::Add);
    let mut s = store_with(1);
    s.schemes = vec![DatedScheme {
        effective_from: d(2024, 1, 1),
        scheme: flat(),
    }];
    let p = preview_sale_lines(
        &s,
        MemberId(1),
        Money::from_major(1000),
        coat_and_scarf(),
        at(2026, 3, 1),
    );
    assert_eq!(
        p.unwrap().points,
        1000,
        "the scheme in force has no line rules"
    );
    s.schemes[0].scheme = scheme.clone();
    let p = preview_sale_lines(
        &s,
        MemberId(1),
        Money::from_major(1000),
        coat_and_scarf(),
        at(2026, 3, 1),
    )
    .unwrap();
    assert_eq!(p.points, 1400);
    assert_eq!(p.reason.unwrap().line_multiplier, Milli(1400));
    // The lab replays the history's lines under a candidate.
    s.schemes[0].scheme = flat();
    s.purchases.push(Purchase {
        receipt: "A".into(),
        member: MemberId(1),
        at: at(2026, 3, 1),
        amount: Money::from_major(1000),
        store: String::new(),
        device: String::new(),
        lines: coat_and_scarf(),
        staff: String::new(),
    });
    let (now, tried) = try_schemes(&s, d(2026, 3, 2), &[scheme]);
    assert_eq!(now.unwrap().totals.issued, 1000);
    assert_eq!(tried[0].as_ref().unwrap().totals.issued, 1400);
}

#[test]
fn the_editor_refuses_a_rule_that_names_nothing_or_stops_earning() {
    let check = |r: LineRule| {
        let e = with(vec![category("Coats", times(1000)), r], LineStacking::Add)
            .check()
            .unwrap_err();
        (e.field, e.error)
    };
    let at1 = SchemeField::LineRule(1);
    assert_eq!(
        check(category(" ", LineEffect::Exclude)),
        (at1, SchemeError::EmptyMatch)
    );
    assert_eq!(
        check(sku("X", times(0))),
        (at1, SchemeError::ZeroMultiplier)
    );
    assert_eq!(
        check(sku("X", LineEffect::ExtraPoints { points: -5 })),
        (at1, SchemeError::NegativeValue)
    );
    // A scheme without line rules is stored as before: no new keys.
    let json = serde_json::to_string(&flat()).unwrap();
    assert!(
        !json.contains("line_rules") && !json.contains("line_stacking"),
        "{json}"
    );
}

fn lines() -> impl Strategy<Value = Vec<LineItem>> {
    prop::collection::vec(
        (0usize..4, 0usize..3, -2i32..5, -50i64..5000).prop_map(|(s, c, q, y)| {
            line(
                ["A", "B", "C", "D"][s],
                ["Coats", "Scarves", "Bags"][c],
                q,
                y,
            )
        }),
        0..8,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    /// Excluding every category leaves nothing from spend; a ×1 rule
    /// changes nothing; with multipliers of ×1 or more, the best rule never
    /// gives more than adding them up; a ×2 on everything doubles.
    #[test]
    fn line_rules_keep_their_promises(ls in lines(), paid in 0i64..20_000, m in 1000u32..4000, n in 1000u32..4000) {
        let all: Vec<LineRule> = ["Coats", "Scarves", "Bags"].iter().map(|c| category(c, LineEffect::Exclude)).collect();
        let ruled = ls.iter().any(|l| l.amount.0 > 0);
        let none = earn(&with(all, LineStacking::Add), paid, &ls).0;
        prop_assert_eq!(none, if ruled { 0 } else { earn(&flat(), paid, &ls).0 });
        prop_assert_eq!(earn(&with(vec![sku("A", times(1000))], LineStacking::Add), paid, &ls).0, earn(&flat(), paid, &ls).0);
        let both = vec![category("Scarves", times(m)), sku("B", times(n))];
        let add = earn(&with(both.clone(), LineStacking::Add), paid, &ls).0;
        let best = earn(&with(both, LineStacking::Best), paid, &ls).0;
        prop_assert!(best <= add, "best {} add {}", best, add);
        let double: Vec<LineRule> = ["Coats", "Scarves", "Bags"].iter().map(|c| category(c, times(2000))).collect();
        let x2 = earn(&with(double, LineStacking::Best), paid, &ls).0;
        let x1 = earn(&flat(), paid, &ls).0;
        if ruled {
            prop_assert!(x2 == 2 * x1 || x2 == 2 * x1 + 1, "x2 {} x1 {}", x2, x1);
        } else {
            prop_assert_eq!(x2, x1);
        }
    }
}
