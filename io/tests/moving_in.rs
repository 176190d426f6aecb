//! Moving in from another system: purchase files whose customers are not
//! members yet, negative lines as returns, and POS member exports whose
//! points balance and tier come in as opening balances.

use chrono::NaiveDate;
use clientele_engine::members::ids::MAX_SERIAL;
use clientele_engine::members::model::MemberId;
use clientele_engine::points::events::PointsEventKind;
use clientele_engine::points::replay::replay_store;
use clientele_engine::points::rules::Milli;
use clientele_engine::points::scheme::{presets, DatedScheme, Scheme};
use clientele_engine::store::validate::check_store;
use clientele_engine::{DeviceTag, Member, Money, Purchase, Store};
use clientele_io::export;
use clientele_io::mapping::{Field, ImportKind};
use clientele_io::plan::{
    self, ImportPlan, ImportSettings, MergeMode, MovingIn, NegativeLines, RowReason,
};
use clientele_io::read::ReadOptions;
use clientele_io::Mapping;
use proptest::prelude::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    day(2026, 11, 23)
}

fn at(y: i32, m: u32, d: u32, h: u32) -> chrono::NaiveDateTime {
    day(y, m, d).and_hms_opt(h, 0, 0).unwrap()
}

/// One point per yuan at every tier, so balances are easy to check.
fn flat_scheme() -> Scheme {
    let mut s = presets::simple();
    for t in &mut s.tiers.tiers {
        t.benefits.points_multiplier = Milli(1000);
    }
    s
}

/// A store with member 1001 (Ann) and her receipt R1 of 500.00 on 1 March 2025.
fn shop() -> Store {
    let mut store = Store {
        schemes: vec![DatedScheme {
            effective_from: day(2000, 1, 1),
            scheme: flat_scheme(),
        }],
        ..Store::default()
    };
    let mut ann = Member::new(MemberId(1), "1001", "Ann", day(2024, 1, 1));
    ann.mobile = "13900000001".into();
    store.members.push(ann);
    store.purchases.push(Purchase {
        receipt: "R1".into(),
        member: MemberId(1),
        at: at(2025, 3, 1, 10),
        amount: Money(50_000),
        store: String::new(),
        device: String::new(),
        lines: Vec::new(),
        staff: String::new(),
    });
    store
}

/// The importing device's id series.
fn device() -> DeviceTag {
    DeviceTag::new(7).unwrap()
}

fn plan_with(text: &str, kind: ImportKind, moving_in: MovingIn, store: &Store) -> ImportPlan {
    plan_on(text, kind, moving_in, store, today())
}

fn plan_on(
    text: &str,
    kind: ImportKind,
    moving_in: MovingIn,
    store: &Store,
    today: NaiveDate,
) -> ImportPlan {
    let opened = plan::open(text.as_bytes(), &ReadOptions::default()).unwrap();
    let mapping = Mapping::guess(&opened.headers);
    assert_eq!(mapping.guess_kind(), kind, "{:?}", mapping);
    let settings = ImportSettings {
        kind,
        mode: MergeMode::AddAndUpdate,
        mapping,
        date_order: None,
        today,
        moving_in,
        device: device(),
    };
    plan::Importer::new(opened, settings, store)
        .unwrap()
        .run()
        .unwrap()
}

fn balance(store: &Store, card: &str, as_of: NaiveDate) -> i64 {
    let id = store.members.iter().find(|m| m.card_no == card).unwrap().id;
    let r = replay_store(store, as_of).unwrap();
    r.members.iter().find(|m| m.member == id).unwrap().balance
}

fn reasons(p: &ImportPlan) -> Vec<(usize, Option<usize>, RowReason)> {
    p.issues
        .iter()
        .map(|i| (i.row, i.column, i.reason.clone()))
        .collect()
}

const ORDERS: &str = "\
订单号,会员卡号,姓名,手机号,邮箱,下单时间,实收金额
A1001,,张伟,13700000001,zw@example.com,2025-03-05 14:30,299.00
A1002,C-77,,,,2025-02-01 10:00,120.00
A1003,,赵六,,,2025-03-06,50.00
A1004,,张伟,137 0000 0001,,2025-01-10 09:00,80.00
A1005,1001,,,,2025-03-07,66.00
A1006,,钱七,12345,,2025-03-08,10.00
";

#[test]
fn purchases_of_customers_who_are_not_members_create_them_when_chosen() {
    let mut store = shop();
    // Without the choice: every row of a stranger is refused, as before,
    // and the name and e-mail columns are said to be left out.
    let refused = plan_with(ORDERS, ImportKind::Purchases, MovingIn::default(), &store);
    assert_eq!(refused.counts.new, 1);
    assert_eq!(refused.counts.invalid, 5);
    assert_eq!(refused.extras.members_created, 0);
    let ignored: Vec<_> = refused
        .ignored_columns
        .iter()
        .map(|c| (c.header.as_str(), c.field))
        .collect();
    assert_eq!(
        ignored,
        vec![("姓名", Some(Field::Name)), ("邮箱", Some(Field::Email))]
    );

    let create = MovingIn {
        create_members: true,
        ..MovingIn::default()
    };
    let p = plan_with(ORDERS, ImportKind::Purchases, create, &store);
    assert!(p.ignored_columns.is_empty(), "{:?}", p.ignored_columns);
    assert_eq!(p.extras.members_created, 2);
    assert_eq!(p.counts.new, 4);
    // Rows that cannot identify a customer stay issues with row and column.
    assert_eq!(
        reasons(&p),
        vec![
            (4, Some(1), RowReason::MissingMemberKey),
            (7, Some(3), RowReason::Mobile),
        ]
    );
    let created: Vec<_> = p
        .changes
        .new_members
        .iter()
        .map(|m| {
            (
                m.card_no.as_str(),
                m.name.as_str(),
                m.mobile.as_str(),
                m.email.as_deref(),
                m.joined,
            )
        })
        .collect();
    assert_eq!(
        created,
        vec![
            // Numbered as the member import numbers new cards; joined on
            // the first purchase even when the file lists it later.
            (
                "VIP000001",
                "张伟",
                "13700000001",
                Some("zw@example.com"),
                day(2025, 1, 10)
            ),
            // No name in the file: called by the card number.
            ("C-77", "C-77", "", None, day(2025, 2, 1)),
        ]
    );
    plan::apply(&p, &mut store).unwrap();
    assert!(check_store(&store).is_empty());
    // New members take the importing device's next ids; Ann keeps hers.
    let ids: Vec<_> = store.members.iter().map(|m| Some(m.id)).collect();
    assert_eq!(ids, [Some(MemberId(1)), device().id(1), device().id(2)]);
    assert_eq!(store.purchases.len(), 5);
    assert_eq!(balance(&store, "VIP000001", today()), 299 + 80);
    assert_eq!(balance(&store, "1001", today()), 500 + 66);
    // Importing the file again finds them all.
    let again = plan_with(ORDERS, ImportKind::Purchases, create, &store);
    assert!(again.changes.is_empty());
    assert_eq!(again.counts.duplicate, 4);
    assert_eq!(again.extras.members_created, 0);
}

#[test]
fn new_members_stop_when_the_device_series_is_used_up() {
    let mut store = shop();
    let last = device().id(MAX_SERIAL).unwrap();
    let one_left = device().id(MAX_SERIAL - 1).unwrap();
    store
        .members
        .push(Member::new(one_left, "X1", "Xu", day(2024, 1, 1)));
    let create = MovingIn {
        create_members: true,
        ..MovingIn::default()
    };
    let p = plan_with(ORDERS, ImportKind::Purchases, create, &store);
    let ids: Vec<_> = p.changes.new_members.iter().map(|m| m.id).collect();
    assert_eq!(ids, [last]);
    assert!(reasons(&p).contains(&(3, None, RowReason::NoFreeId)));
    const MEMBERS: &str = "会员卡号,姓名\nM1,Mo\n";
    store
        .members
        .push(Member::new(last, "X2", "Xi", day(2024, 1, 1)));
    let p = plan_with(MEMBERS, ImportKind::Members, MovingIn::default(), &store);
    assert_eq!(reasons(&p), [(2, None, RowReason::NoFreeId)]);
    assert!(p.changes.is_empty());
}

const POS_SALES: &str = "\
小票号,原小票号,会员卡号,销售日期,货号,数量,明细金额
S1,,1001,2025-03-10 10:00,SKU1,1,300.00
S1,,1001,2025-03-10 10:00,SKU2,1,200.00
T1,R1,1001,2025-03-12 11:00,SKU9,-1,-200.00
T2,S1,1001,2025-03-15 12:00,SKU1,-1,-300.00
T3,S1,1001,2025-03-16 12:00,SKU2,-1,-250.00
T4,R9,1001,2025-03-17 12:00,SKU5,-1,-99.00
T5,R1,1001,2025-02-20 12:00,SKU9,-1,-10.00
";

#[test]
fn negative_lines_are_refused_unless_recorded_as_returns() {
    let store = shop();
    let p = plan_with(
        POS_SALES,
        ImportKind::Purchases,
        MovingIn::default(),
        &store,
    );
    assert_eq!(p.counts.new, 2);
    assert_eq!(p.counts.invalid, 5);
    assert!(p.issues.iter().all(|i| i.column == Some(6)
        && i.reason
            == RowReason::Amount {
                issue: clientele_io::values::AmountIssue::Negative
            }));
    // The original-receipt column is not read then, and the preview says so.
    assert_eq!(p.ignored_columns.len(), 1);
    assert_eq!(p.ignored_columns[0].field, Some(Field::OriginalReceipt));
}

#[test]
fn negative_lines_become_returns_against_the_receipt_they_name() {
    let mut store = shop();
    let returns = MovingIn {
        negative_lines: NegativeLines::Returns,
        ..MovingIn::default()
    };
    let p = plan_with(POS_SALES, ImportKind::Purchases, returns, &store);
    assert_eq!(p.extras.returns, 2);
    assert_eq!(p.extras.refunds, 0);
    assert_eq!(
        reasons(&p),
        vec![
            // 250 back on S1 when only 200 is left after T2's 300.
            (
                6,
                Some(6),
                RowReason::ReturnExceedsPurchase {
                    left: Money(20_000)
                }
            ),
            (7, Some(1), RowReason::UnknownReceipt),
            (8, Some(3), RowReason::ReturnBeforePurchase),
        ]
    );
    let got: Vec<_> = p
        .changes
        .returns
        .iter()
        .map(|r| (r.id.as_str(), r.receipt.as_str(), r.amount, r.lines.len()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("T1", "R1", Money(20_000), 1),
            ("T2", "S1", Money(30_000), 1)
        ]
    );
    assert_eq!(p.changes.returns[0].lines[0].quantity, 1);
    plan::apply(&p, &mut store).unwrap();
    assert!(check_store(&store).is_empty(), "{:?}", check_store(&store));
    // R1 500 - 200 returned, S1 500 - 300 returned.
    assert_eq!(balance(&store, "1001", today()), 300 + 200);
    let again = plan_with(POS_SALES, ImportKind::Purchases, returns, &store);
    assert!(again.changes.is_empty());
}

#[test]
fn negative_lines_naming_no_known_receipt_can_be_refunds_without_one() {
    let mut store = shop();
    let choice = MovingIn {
        negative_lines: NegativeLines::ReturnsOrRefunds,
        ..MovingIn::default()
    };
    let p = plan_with(POS_SALES, ImportKind::Purchases, choice, &store);
    assert_eq!(p.extras.returns, 2);
    assert_eq!(p.extras.refunds, 1);
    assert_eq!(p.counts.invalid, 2);
    // Still refused: more than the receipt, and before it.
    assert_eq!(
        reasons(&p).iter().map(|r| r.0).collect::<Vec<_>>(),
        vec![6, 8]
    );
    let refund = p
        .changes
        .purchases
        .iter()
        .find(|p| p.receipt == "T4")
        .unwrap();
    assert_eq!(refund.amount, Money(-9_900));
    assert_eq!(refund.lines[0].amount, Money(-9_900));
    plan::apply(&p, &mut store).unwrap();
    assert!(check_store(&store).is_empty());
    // A refund on its own takes no points (the engine has no receipt to
    // take them from) and earns none.
    assert_eq!(balance(&store, "1001", today()), 500);
    let again = plan_with(POS_SALES, ImportKind::Purchases, choice, &store);
    assert!(again.changes.is_empty());
}

/// A Pospal-style member export: 余额 is stored value (money), not points.
const POS_MEMBERS: &str = "\
会员号,姓名,手机号,会员等级,当前积分,累计消费,余额,开卡日期
P0001,王芳,13812345678,金卡,\"1,280\",35600.00,0,2023-05-01
P0002,李娜,13900001111,普卡,0,800.00,50.00,2024-02-10
P0003,周杰,13900002222,黑卡,10,0,0,2024-02-11
";

fn department_store() -> Store {
    Store {
        schemes: vec![DatedScheme {
            effective_from: day(2020, 1, 1),
            scheme: presets::department_store(),
        }],
        ..Store::default()
    }
}

#[test]
fn a_pos_member_export_brings_points_and_tier_in_as_opening_balances() {
    let mut store = department_store();
    let opened = plan::open(POS_MEMBERS.as_bytes(), &ReadOptions::default()).unwrap();
    let mapping = Mapping::guess(&opened.headers);
    let suggested = MovingIn::suggested(mapping.guess_kind(), &mapping);
    assert!(suggested.member_balances);
    let p = plan_with(POS_MEMBERS, ImportKind::Members, suggested, &store);
    assert_eq!(p.counts.new, 2);
    assert_eq!(
        reasons(&p),
        vec![(4, Some(3), RowReason::UnknownTier)],
        "黑卡 is no tier of the scheme"
    );
    assert_eq!(p.extras.balances, 2);
    assert_eq!(p.extras.tiers, 2);
    // Nothing is dropped without a word.
    let ignored: Vec<_> = p
        .ignored_columns
        .iter()
        .map(|c| (c.header.as_str(), c.field))
        .collect();
    assert_eq!(
        ignored,
        vec![("累计消费", Some(Field::TotalSpend)), ("余额", None)]
    );
    plan::apply(&p, &mut store).unwrap();
    assert!(check_store(&store).is_empty());
    let wang = store.members.iter().find(|m| m.card_no == "P0001").unwrap();
    assert_eq!(wang.joined, day(2023, 5, 1));
    let opening: Vec<_> = store
        .points_events
        .iter()
        .filter(|e| e.member == wang.id)
        .map(|e| (e.at.date(), e.kind.clone()))
        .collect();
    assert!(matches!(
        opening[0],
        (d, PointsEventKind::OpeningBalance { points: 1280, .. }) if d == today()
    ));
    let gold = store.scheme_on(today()).tiers.find("金卡").unwrap();
    let tier_of = |store: &Store, as_of| {
        let r = replay_store(store, as_of).unwrap();
        let o = r.members.iter().find(|m| m.member == wang.id).unwrap();
        (o.tier, o.balance)
    };
    assert_eq!(tier_of(&store, today()), (Some(gold), 1280));
    // Kept until the scheme first reviews it (12 months), then the usual
    // rules: no spend this year, down one card.
    assert_eq!(tier_of(&store, day(2027, 11, 22)).0, Some(gold));
    assert_eq!(tier_of(&store, day(2027, 11, 24)).0, Some(gold - 1));
    // The same file again changes nothing, on a later day too (the
    // balance keeps its day); a new balance replaces it as of the new day.
    let again = plan_with(POS_MEMBERS, ImportKind::Members, suggested, &store);
    assert!(again.changes.is_empty());
    assert_eq!(again.counts.unchanged, 2);
    let later = day(2026, 12, 1);
    let again = plan_on(POS_MEMBERS, ImportKind::Members, suggested, &store, later);
    assert!(again.changes.is_empty());
    let moved = POS_MEMBERS.replace("\"1,280\"", "1300");
    let p = plan_on(&moved, ImportKind::Members, suggested, &store, later);
    assert_eq!((p.counts.updated, p.extras.balances), (1, 1));
    assert_eq!(p.changes.replaced_events[0].1.at.date(), later);
}

#[test]
fn without_the_choice_balance_and_tier_are_listed_as_not_imported() {
    let store = department_store();
    let p = plan_with(
        POS_MEMBERS,
        ImportKind::Members,
        MovingIn::default(),
        &store,
    );
    assert!(p.changes.events.is_empty());
    assert_eq!(p.counts.new, 3);
    let ignored: Vec<_> = p.ignored_columns.iter().map(|c| c.field).collect();
    assert_eq!(
        ignored,
        vec![
            Some(Field::Tier),
            Some(Field::Points),
            Some(Field::TotalSpend),
            None
        ]
    );
}

#[test]
fn the_consoles_own_member_export_is_not_taken_for_balances() {
    let store = clientele_engine::demo::demo_store(
        7,
        today(),
        clientele_engine::demo::DemoLanguage::Chinese,
    );
    for lang in [
        clientele_engine::points::explain::Lang::Zh,
        clientele_engine::points::explain::Lang::En,
    ] {
        let t = export::members_table(&store, today(), lang, None);
        assert!(export::is_member_export(&t.headers));
        let m = Mapping::guess(&t.headers);
        assert!(!MovingIn::suggested(ImportKind::Members, &m).member_balances);
    }
}

#[test]
fn purchases_before_an_opening_balance_are_history_and_earn_nothing_again() {
    let mut store = shop();
    // Ann's old system said 900 points on 1 June 2025 (R1 of March is in it).
    let p = plan_with(
        "会员卡号,积分,期初日期\n1001,900,2025-06-01\n",
        ImportKind::OpeningBalances,
        MovingIn::default(),
        &store,
    );
    plan::apply(&p, &mut store).unwrap();
    let p = plan_with(
        "小票号,会员卡号,消费日期,消费金额\nH1,1001,2025-05-31 18:00,400.00\nH2,1001,2025-06-01 12:00,100.00\n",
        ImportKind::Purchases,
        MovingIn::default(),
        &store,
    );
    plan::apply(&p, &mut store).unwrap();
    // 900 carried over + 100 for H2; R1 and H1 are before the balance.
    assert_eq!(balance(&store, "1001", today()), 1000);
    // Before the balance existed, the purchases earned as usual.
    assert_eq!(balance(&store, "1001", day(2025, 5, 31)), 500 + 400);
    // They are still purchases: lifetime spend counts them (VIP at 688).
    let r = replay_store(&store, today()).unwrap();
    assert_eq!(r.members[0].qualifying, 500 * 100 + 400 * 100 + 100 * 100);
}

proptest! {
    /// Whatever mix of sales and negative lines a file holds, what the
    /// plan records keeps the store's rules (no return above its receipt
    /// or before it), and a plan for another store changes nothing.
    #[test]
    fn negative_lines_never_break_the_store_rules(
        rows in prop::collection::vec((0u8..4, 0u8..4, -300i64..500, 1u32..28), 1..24),
        refunds in any::<bool>(),
    ) {
        let mut store = shop();
        let mut text = String::from("小票号,原小票号,会员卡号,销售日期,明细金额\n");
        for (i, (own, named, amount, d)) in rows.iter().enumerate() {
            let named = if *named == 0 { "R1".to_string() } else { format!("S{named}") };
            let (own, named) = if *amount < 0 {
                (format!("T{i}"), named)
            } else {
                (format!("S{own}"), String::new())
            };
            text.push_str(&format!("{own},{named},1001,2025-03-{d:02} 10:00,{amount}.00\n"));
        }
        let choice = MovingIn {
            negative_lines: if refunds { NegativeLines::ReturnsOrRefunds } else { NegativeLines::Returns },
            ..MovingIn::default()
        };
        let p = plan_with(&text, ImportKind::Purchases, choice, &store);
        prop_assert_eq!(p.counts.rows(), rows.len());
        let mut other = store.clone();
        other.members[0].name = "changed".into();
        other.purchases.pop();
        let before = other.clone();
        prop_assert!(plan::apply(&p, &mut other).is_err());
        prop_assert_eq!(other, before);
        plan::apply(&p, &mut store).unwrap();
        prop_assert!(check_store(&store).is_empty(), "{:?}\n{}", check_store(&store), text);
        prop_assert!(replay_store(&store, today()).is_ok());
    }
}

#[test]
fn lines_of_one_return_slip_add_up_and_must_be_the_receipts_customer() {
    let mut store = shop();
    let text = "\
小票号,原小票号,会员卡号,销售日期,货号,数量,明细金额
T9,R1,1001,2025-03-12 11:00,SKU1,-1,-100.00
T9,R1,1001,2025-03-12 11:00,SKU2,-2,-150.00
T8,R1,2002,2025-03-12 11:00,SKU3,-1,-10.00
T7,R1,,2025-03-13 11:00,SKU3,-1,-10.00
";
    let choice = MovingIn {
        negative_lines: NegativeLines::Returns,
        ..MovingIn::default()
    };
    let p = plan_with(text, ImportKind::Purchases, choice, &store);
    // Card 2002 is nobody's: not the customer of R1.
    assert_eq!(reasons(&p), vec![(4, Some(2), RowReason::ReceiptTaken)]);
    let got: Vec<_> = p
        .changes
        .returns
        .iter()
        .map(|r| (r.id.as_str(), r.amount, r.lines.len()))
        .collect();
    assert_eq!(got, vec![("T9", Money(25_000), 2), ("T7", Money(1_000), 1)]);
    assert_eq!(p.changes.returns[0].lines[1].quantity, 2);
    plan::apply(&p, &mut store).unwrap();
    assert!(check_store(&store).is_empty());
    assert_eq!(balance(&store, "1001", today()), 500 - 250 - 10);
}

proptest! {
    /// Created members: each has a purchase in the file, joins on the
    /// first one, is created once however often the file names them, and
    /// the store keeps its rules; the same file again creates nobody.
    #[test]
    fn created_members_join_on_their_first_purchase_and_are_made_once(
        rows in prop::collection::vec((0u8..6, 0u8..3, 1u32..28, 1i64..900), 1..30),
    ) {
        let mut store = shop();
        let mut text = String::from("订单号,会员卡号,手机号,姓名,下单时间,实收金额\n");
        for (i, (who, key, d, amount)) in rows.iter().enumerate() {
            // Customer 0 is Ann (card 1001); the others are strangers,
            // named by card, by mobile, or (key 2) by neither.
            let (card, mobile) = match (who, key) {
                (0, _) => ("1001".to_string(), String::new()),
                (_, 0) => (format!("K{who}"), String::new()),
                (_, 1) => (String::new(), format!("1380000000{who}")),
                _ => (String::new(), String::new()),
            };
            text.push_str(&format!("O{i},{card},{mobile},客{who},2025-04-{d:02},{amount}\n"));
        }
        let create = MovingIn { create_members: true, ..MovingIn::default() };
        let p = plan_with(&text, ImportKind::Purchases, create, &store);
        prop_assert_eq!(p.extras.members_created, p.changes.new_members.len());
        for m in &p.changes.new_members {
            let first = p.changes.purchases.iter().filter(|x| x.member == m.id).map(|x| x.at.date()).min();
            prop_assert_eq!(first, Some(m.joined));
        }
        let unnamed = rows.iter().filter(|r| r.0 != 0 && r.1 == 2).count();
        prop_assert_eq!(p.counts.invalid, unnamed);
        plan::apply(&p, &mut store).unwrap();
        prop_assert!(check_store(&store).is_empty());
        let again = plan_with(&text, ImportKind::Purchases, create, &store);
        prop_assert!(again.changes.is_empty());
    }
}
