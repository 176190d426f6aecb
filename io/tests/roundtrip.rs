//! Round trips on the demo boutique, worked examples of imports, and
//! property tests on the parsers.

use chrono::NaiveDate;
use clientele_engine::demo::{demo_store, DemoLanguage};
use clientele_engine::members::model::{Gender, MemberId};
use clientele_engine::points::events::PointsEventKind;
use clientele_engine::points::explain::Lang;
use clientele_engine::{Money, Store};
use clientele_io::export::{self, Channel};
use clientele_io::mapping::ImportKind;
use clientele_io::plan::{self, ImportSettings, MergeMode};
use clientele_io::read::{self, ReadOptions, TextEncoding};
use clientele_io::values::DateOrder;
use clientele_io::Mapping;
use proptest::prelude::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn demo() -> Store {
    demo_store(20_261_123, today(), DemoLanguage::Chinese)
}

/// An opening-balances file's plan.
fn opening_plan(text: &str, mode: MergeMode, store: &Store) -> plan::ImportPlan {
    import(
        text.as_bytes(),
        ImportKind::OpeningBalances,
        mode,
        None,
        store,
    )
}

fn device() -> clientele_engine::DeviceTag {
    clientele_engine::DeviceTag::new(7).unwrap()
}

fn import(
    bytes: &[u8],
    kind: ImportKind,
    mode: MergeMode,
    order: Option<DateOrder>,
    store: &Store,
) -> plan::ImportPlan {
    import_on(device(), bytes, kind, mode, order, store)
}

fn import_on(
    device: clientele_engine::DeviceTag,
    bytes: &[u8],
    kind: ImportKind,
    mode: MergeMode,
    order: Option<DateOrder>,
    store: &Store,
) -> plan::ImportPlan {
    let opened = plan::open(bytes, &ReadOptions::default()).unwrap();
    let mapping = Mapping::guess(&opened.headers);
    let settings = ImportSettings {
        kind,
        mode,
        mapping,
        date_order: order,
        today: today(),
        moving_in: Default::default(),
        device,
    };
    plan::Importer::new(opened, settings, store)
        .unwrap()
        .run()
        .unwrap()
}

/// Two tablets with copies of one store import member files offline (the
/// same file on both, and one of their own): every new member gets an id of
/// its device's series, so the synced store has every id once. The same
/// customer came in on both, under two ids, and the card numbers the
/// devices handed out clash: the merged store lists them for re-issue.
#[test]
fn two_devices_importing_members_offline_never_share_an_id() {
    let mut base = Store::default();
    for i in 1..=3u32 {
        base.members.push(clientele_engine::Member::new(
            MemberId(i.into()),
            format!("VIP{i:06}"),
            format!("老会员{i}"),
            today(),
        ));
    }
    let tags = [7, 1 << 30].map(|t| clientele_engine::DeviceTag::new(t).unwrap());
    let both = "姓名,手机\n李娜,13800000001\n王芳,13800000002\n";
    let own = [
        "姓名,手机\n赵敏,13900000001\n",
        "姓名,手机\n钱红,13700000001\n",
    ];
    let mut copies = [base.clone(), base.clone()];
    for ((store, tag), own) in copies.iter_mut().zip(tags).zip(own) {
        for file in [both, own] {
            let kind = ImportKind::Members;
            let p = import_on(
                tag,
                file.as_bytes(),
                kind,
                MergeMode::AddAndUpdate,
                None,
                store,
            );
            assert_eq!(p.counts.invalid, 0, "{:?}", p.issues.first());
            plan::apply(&p, store).unwrap();
        }
        assert_eq!(store.members[..3], base.members[..], "older ids untouched");
        let new = &store.members[3..];
        assert_eq!(new.len(), 3);
        for (n, m) in new.iter().enumerate() {
            assert_eq!(Some(m.id), tag.id(n as u64 + 1));
        }
    }
    let mut synced = copies[0].clone();
    synced
        .members
        .extend(copies[1].members[3..].iter().cloned());
    let ids: std::collections::HashSet<MemberId> = synced.members.iter().map(|m| m.id).collect();
    assert_eq!(ids.len(), 3 + 3 + 3, "every id once");
    assert!(clientele_engine::store::validate::check_store(&synced).is_empty());
    let shared = clientele_engine::members::edit::shared_cards(&synced);
    let cards: Vec<&str> = shared.iter().map(|c| c.card_no.as_str()).collect();
    assert_eq!(cards, ["VIP000004", "VIP000005", "VIP000006"]);

    // A sale on a shared card goes to the holder its mobile names; without
    // one it is not guessed.
    let sales = "小票号,会员卡号,手机号,消费日期,消费金额\n\
        H1,VIP000006,13700000001,2026-11-01 10:00,10.00\n\
        H2,VIP000006,,2026-11-01 11:00,20.00\n";
    let p = import(
        sales.as_bytes(),
        ImportKind::Purchases,
        MergeMode::AddAndUpdate,
        None,
        &synced,
    );
    let reasons: Vec<_> = p.issues.iter().map(|i| (i.row, &i.reason)).collect();
    assert_eq!(reasons, [(3, &plan::RowReason::SharedCard)]);
    let buyers: Vec<MemberId> = p.changes.purchases.iter().map(|p| p.member).collect();
    assert_eq!(buyers, [copies[1].members[5].id]);
}

#[test]
fn backup_of_the_demo_restores_exactly() {
    let store = demo();
    let json = export::backup_json(&store, 7, "2026-11-23T10:00:00Z");
    let mut other = Store::default();
    let preview = export::read_backup(json.as_bytes(), &other).unwrap();
    assert_eq!(preview.members, (store.members.len(), 0));
    export::apply_restore(preview, &mut other);
    assert_eq!(other, store);
    assert_eq!(export::backup_json(&other, 7, "2026-11-23T10:00:00Z"), json);
}

#[test]
fn a_damaged_or_newer_backup_is_refused() {
    let store = demo();
    assert!(matches!(
        export::read_backup(b"{\"nope\":1}", &store),
        Err(export::RestoreError::NotABackup(_))
    ));
    assert!(matches!(
        export::read_backup(
            b"{\"schema\":99,\"rev\":1,\"saved_at\":\"\",\"data\":{}}",
            &store
        ),
        Err(export::RestoreError::NewerSchema { found: 99, .. })
    ));
    assert_eq!(
        export::read_backup(&[0xff, 0xfe, 0], &store),
        Err(export::RestoreError::NotText)
    );
}

#[test]
fn members_and_purchases_survive_csv_export_and_import() {
    let store = demo();
    for lang in [Lang::Zh, Lang::En] {
        let members_csv = export::to_csv(&export::members_table(&store, today(), lang, None));
        let purchases_csv = export::to_csv(&export::purchases_table(&store, lang));
        let mut fresh = Store::default();
        let p = import(
            &members_csv,
            ImportKind::Members,
            MergeMode::ReplaceEverything,
            None,
            &fresh,
        );
        assert_eq!(p.counts.invalid, 0, "{:?}", p.issues.first());
        assert_eq!(p.counts.new, store.members.len());
        plan::apply(&p, &mut fresh).unwrap();
        for (n, (a, b)) in store.members.iter().zip(&fresh.members).enumerate() {
            // A file has no ids: new members count up in the device's series.
            assert_eq!(Some(b.id), device().id(n as u64 + 1));
            assert_eq!(a.card_no, b.card_no);
            assert_eq!(a.name, b.name);
            assert_eq!(a.mobile, b.mobile);
            assert_eq!(a.email, b.email);
            assert_eq!(a.gender, b.gender);
            assert_eq!(a.birthday, b.birthday);
            assert_eq!(a.joined, b.joined);
            assert_eq!(a.store, b.store);
            assert_eq!(a.staff, b.staff);
            assert_eq!(a.consent, b.consent);
            assert_eq!(a.address, b.address);
            assert_eq!(a.tags, b.tags);
            assert_eq!(a.notes, b.notes);
        }
        let p = import(
            &purchases_csv,
            ImportKind::Purchases,
            MergeMode::AddAndUpdate,
            None,
            &fresh,
        );
        assert_eq!(p.counts.invalid, 0, "{:?}", p.issues.first());
        plan::apply(&p, &mut fresh).unwrap();
        // The same purchases, of the same members under their new ids.
        let new_id: std::collections::HashMap<MemberId, MemberId> = store
            .members
            .iter()
            .zip(&fresh.members)
            .map(|(a, b)| (a.id, b.id))
            .collect();
        let mut expected = store.purchases.clone();
        for p in &mut expected {
            p.member = new_id[&p.member];
        }
        assert_eq!(fresh.purchases, expected);
        // Importing the same file again changes nothing.
        let again = import(
            &purchases_csv,
            ImportKind::Purchases,
            MergeMode::AddAndUpdate,
            None,
            &fresh,
        );
        assert!(again.changes.is_empty());
        assert_eq!(again.counts.duplicate, again.counts.rows());
        let members_again = import(
            &members_csv,
            ImportKind::Members,
            MergeMode::AddAndUpdate,
            None,
            &fresh,
        );
        assert!(members_again.changes.is_empty());
        assert_eq!(members_again.counts.unchanged, store.members.len());
    }
}

#[test]
fn xlsx_export_reads_back() {
    let store = demo();
    let bytes = export::to_xlsx(&export::purchases_table(&store, Lang::En), "Purchases").unwrap();
    let mut fresh = store.clone();
    fresh.purchases.clear();
    fresh.returns.clear();
    let p = import(
        &bytes,
        ImportKind::Purchases,
        MergeMode::AddNewOnly,
        None,
        &fresh,
    );
    assert_eq!(p.counts.invalid, 0, "{:?}", p.issues.first());
    plan::apply(&p, &mut fresh).unwrap();
    assert_eq!(fresh.purchases, store.purchases);
}

#[test]
fn a_gbk_member_list_imports_with_chinese_dates_and_amount_forms() {
    let text = "会员卡号,姓名,手机,性别,生日,入会日期,短信同意\r\n\
                C001,王芳,+86 138-0013-8000,女,3月8日,2024年3月5日,是\r\n\
                C002,李娜,139 0013 9000,女,1990/7/1,20240306,否\r\n\
                C003,张伟,12,男,,2024-03-07,是\r\n";
    let (bytes, _, _) = encoding_rs::GBK.encode(text);
    let opened = plan::open(&bytes, &ReadOptions::default()).unwrap();
    assert_eq!(opened.sniffed.encoding, Some(TextEncoding::Gb18030));
    let p = import(
        &bytes,
        ImportKind::Members,
        MergeMode::AddAndUpdate,
        None,
        &Store::default(),
    );
    assert_eq!((p.counts.new, p.counts.invalid), (2, 1));
    assert_eq!(p.issues[0].row, 4);
    assert_eq!(p.issues[0].header, "手机");
    let wang = &p.changes.new_members[0];
    assert_eq!(wang.mobile, "13800138000");
    assert_eq!(wang.gender, Some(Gender::Female));
    assert_eq!(wang.joined, NaiveDate::from_ymd_opt(2024, 3, 5).unwrap());
    assert!(wang.consent.sms);
    assert_eq!(p.changes.new_members[1].birthday.unwrap().year, Some(1990));
}

#[test]
fn order_lines_group_into_receipts_and_dates_need_an_order() {
    let mut store = Store::default();
    let mut m = clientele_engine::Member::new(MemberId(1), "1001", "Ann", today());
    m.mobile = "13800138000".into();
    store.members.push(m);
    let csv = b"Customer ID,Order ID,Order Date,Sales\n1001,A1,05/03/2024,\"1,299.00\"\n1001,A1,05/03/2024,100.5\n1001,A2,06/03/2024,12\n";
    let p = import(
        csv,
        ImportKind::Purchases,
        MergeMode::AddAndUpdate,
        None,
        &store,
    );
    assert!(p.needs_date_order);
    assert_eq!(p.counts.invalid, 3);
    let p = import(
        csv,
        ImportKind::Purchases,
        MergeMode::AddAndUpdate,
        Some(DateOrder::DayFirst),
        &store,
    );
    assert_eq!(p.counts.new, 3);
    assert_eq!(p.changes.purchases.len(), 2);
    assert_eq!(p.changes.purchases[0].amount, Money(139_950));
    assert_eq!(
        p.changes.purchases[0].at.date(),
        NaiveDate::from_ymd_opt(2024, 3, 5).unwrap()
    );
}

#[test]
fn returns_and_opening_balances_import_and_deduplicate() {
    let mut store = demo();
    let receipt = store.purchases[0].clone();
    let card = store
        .members
        .iter()
        .find(|m| m.id == receipt.member)
        .unwrap()
        .card_no
        .clone();
    let returns = format!(
        "退货单号,小票号,退货日期,退货金额\nT-1,{},{},-0.01\n",
        receipt.receipt,
        clientele_io::values::datetime_text(receipt.at)
    );
    let p = import(
        returns.as_bytes(),
        ImportKind::Returns,
        MergeMode::AddAndUpdate,
        None,
        &store,
    );
    assert_eq!(p.counts.new, 1, "{:?}", p.issues);
    assert_eq!(p.changes.returns[0].amount, Money(1));
    plan::apply(&p, &mut store).unwrap();
    let again = import(
        returns.as_bytes(),
        ImportKind::Returns,
        MergeMode::AddAndUpdate,
        None,
        &store,
    );
    assert!(again.changes.is_empty());
    let opening = format!("会员卡号,积分,期初日期\n{card},1200,2026-01-01\n");
    let p = opening_plan(&opening, MergeMode::AddAndUpdate, &store);
    assert_eq!(p.counts.new, 1);
    plan::apply(&p, &mut store).unwrap();
    let again = opening_plan(&opening, MergeMode::AddAndUpdate, &store);
    assert_eq!(again.counts.unchanged, 1);
    let changed = format!("会员卡号,积分,期初日期\n{card},1500,2026-01-01\n");
    let p = opening_plan(&changed, MergeMode::AddAndUpdate, &store);
    assert_eq!(p.counts.updated, 1);
    let events = store.points_events.len();
    plan::apply(&p, &mut store).unwrap();
    assert_eq!(store.points_events.len(), events);
}

#[test]
fn a_plan_for_an_older_store_is_refused_whole() {
    let store = demo();
    let csv = b"Name,Mobile\nNew Person,13111112222\n";
    let p = import(
        csv,
        ImportKind::Members,
        MergeMode::AddNewOnly,
        None,
        &store,
    );
    let mut changed = store.clone();
    changed.members.pop();
    let before = changed.clone();
    assert_eq!(
        plan::apply(&p, &mut changed),
        Err(plan::ApplyError::StoreChanged)
    );
    assert_eq!(changed, before);
}

#[test]
fn campaign_lists_hold_only_consenting_members_with_the_contact() {
    let store = demo();
    let ids: Vec<MemberId> = store.members.iter().map(|m| m.id).collect();
    let t = export::campaign_table(&store, &ids, Channel::Sms, Lang::En);
    let want = store
        .members
        .iter()
        .filter(|m| m.consent.sms && !m.mobile.is_empty())
        .count();
    assert_eq!(t.rows.len(), want);
    assert!(want < store.members.len());
}

#[test]
fn ledger_export_has_the_replayed_movements() {
    let store = demo();
    let t = export::ledger_table(&store, today(), Lang::Zh);
    assert!(t.rows.len() >= store.purchases.len() / 2);
    assert_eq!(t.headers[3], "积分");
}

#[test]
fn large_files_plan_in_slices_with_progress() {
    let mut csv = String::from("会员卡号,姓名,手机\n");
    for i in 0..20_000u32 {
        csv.push_str(&format!("C{i:06},会员{i},139{i:08}\n"));
    }
    let opened = plan::open(csv.as_bytes(), &ReadOptions::default()).unwrap();
    let mapping = Mapping::guess(&opened.headers);
    let mut imp = plan::Importer::new(
        opened,
        ImportSettings {
            kind: ImportKind::Members,
            mode: MergeMode::AddNewOnly,
            mapping,
            date_order: None,
            today: today(),
            moving_in: Default::default(),
            device: clientele_engine::DeviceTag::new(7).unwrap(),
        },
        &Store::default(),
    )
    .unwrap();
    let first = imp.step(5_000).unwrap();
    assert_eq!(first.rows_done, 5_000);
    assert!(first.permille > 200 && first.permille < 300 && !first.finished);
    while !imp.step(5_000).unwrap().finished {}
    assert_eq!(imp.finish().counts.new, 20_000);
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = read::read_table(&bytes, &ReadOptions::default());
        if let Ok(o) = plan::open(&bytes, &ReadOptions::default()) {
            let m = Mapping::guess(&o.headers);
            let s = ImportSettings { kind: m.guess_kind(), mode: MergeMode::AddAndUpdate, mapping: m, date_order: None, today: today(), moving_in: Default::default(), device: clientele_engine::DeviceTag::new(7).unwrap() };
            if let Ok(i) = plan::Importer::new(o, s, &Store::default()) { let _ = i.run(); }
        }
    }

    #[test]
    fn arbitrary_text_cells_never_panic(s in "\\PC{0,40}") {
        let _ = clientele_io::values::parse_datetime(&s, None);
        let _ = clientele_io::values::parse_amount(&s);
        let _ = clientele_io::values::parse_birthday(&s, Some(DateOrder::MonthFirst));
    }

    #[test]
    fn generated_tables_round_trip(rows in proptest::collection::vec(
        proptest::collection::vec("[^\u{0}-\u{8}\u{b}\u{c}\u{e}-\u{1f}\u{7f}-\u{9f}]{0,12}", 3), 1..20)) {
        let table = export::ExportTable {
            headers: vec!["a".into(), "b".into(), "c".into()],
            rows: rows.iter().map(|r| r.iter().map(|c| export::Cell::Text(c.clone())).collect()).collect(),
        };
        let bytes = export::to_csv(&table);
        let (_, back) = read::read_table(&bytes, &ReadOptions::default()).unwrap();
        let want: Vec<Vec<String>> = rows.iter()
            .filter(|r| r.iter().any(|c| !export::neutralise(c).trim().is_empty()))
            .map(|r| r.iter().map(|c| export::neutralise(c)).collect())
            .collect();
        let got: Vec<Vec<String>> = back.rows.into_iter().map(|r| r.cells).collect();
        prop_assert_eq!(got, want);
    }
}

#[test]
fn opening_tiers_import_by_name_in_either_language_and_deduplicate() {
    let mut store = demo();
    let scheme = store
        .scheme_on(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap())
        .into_owned();
    let top = scheme.tiers.tiers.len() - 1;
    let (zh, en) = (
        scheme.tiers.tiers[top].name.clone(),
        scheme.tiers.tiers[top].name_en.clone(),
    );
    let cards: Vec<String> = store.members[..2]
        .iter()
        .map(|m| m.card_no.clone())
        .collect();
    let file = format!(
        "会员卡号,积分,期初日期,会员等级\n{},100,2026-01-01,{zh}\n{},0,2026-01-01, {} \n",
        cards[0],
        cards[1],
        en.to_uppercase()
    );
    let p = opening_plan(&file, MergeMode::AddAndUpdate, &store);
    assert_eq!(p.counts.new, 2, "{:?}", p.issues);
    let tiers: Vec<_> = p
        .changes
        .events
        .iter()
        .filter_map(|e| match e.kind {
            PointsEventKind::OpeningTier { tier, .. } => Some((e.member, tier)),
            _ => None,
        })
        .collect();
    assert_eq!(
        tiers,
        vec![
            (store.members[0].id, top as u8),
            (store.members[1].id, top as u8)
        ]
    );
    plan::apply(&p, &mut store).unwrap();
    let again = opening_plan(&file, MergeMode::AddAndUpdate, &store);
    assert_eq!(again.counts.unchanged, 2);
    assert!(again.changes.is_empty());
    // A different tier updates the earlier one in place.
    let lower = format!(
        "会员卡号,积分,期初日期,会员等级\n{},100,2026-01-01,{}\n",
        cards[0], scheme.tiers.tiers[0].name_en
    );
    let p = opening_plan(&lower, MergeMode::AddAndUpdate, &store);
    assert_eq!(p.counts.updated, 1);
    let events = store.points_events.len();
    plan::apply(&p, &mut store).unwrap();
    assert_eq!(store.points_events.len(), events);
    // Replacing the opening balances replaces the opening tiers too.
    let p = opening_plan(&lower, MergeMode::ReplaceEverything, &store);
    plan::apply(&p, &mut store).unwrap();
    let openings = store
        .points_events
        .iter()
        .filter(|e| matches!(e.kind, PointsEventKind::OpeningTier { .. }))
        .count();
    assert_eq!(openings, 1);
}
