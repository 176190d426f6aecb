//! The store as database records: what a save writes, and that the
//! database always reads back as the store the console shows.

mod common;

use chrono::NaiveDate;
use clientele_engine::demo::{demo_store_sized, DemoLanguage};
use clientele_engine::store::records::{normalize, Records, Scope, Write, BLOCK_FACTS};
use clientele_engine::Store;
use common::{at, buy, store_with};
use proptest::prelude::*;
use std::collections::BTreeMap;

/// A database as a map of document id to body, like PouchDB's latest revisions.
#[derive(Default, Clone)]
struct Db(BTreeMap<String, String>);

impl Db {
    fn apply(&mut self, writes: &[Write]) {
        for w in writes {
            match &w.body {
                Some(b) => self.0.insert(w.id.clone(), b.clone()),
                None => self.0.remove(&w.id),
            };
        }
    }

    fn read(&self, writer: &str) -> clientele_engine::store::records::Read {
        Records::read(self.0.iter().map(|(k, v)| (k.as_str(), v.as_str())), writer).unwrap()
    }
}

/// Saves `store` as `records` would: writes, then commit.
fn save(db: &mut Db, records: &mut Records, store: &Store) -> Vec<String> {
    let p = records.changes(store);
    db.apply(&p.writes);
    let ids = p.writes.iter().map(|w| w.id.clone()).collect();
    records.commit(p);
    ids
}

fn demo(members: usize) -> Store {
    let mut s = demo_store_sized(
        7,
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        DemoLanguage::Chinese,
        members,
    );
    normalize(&mut s);
    s
}

#[test]
fn a_store_reads_back_equal_from_its_records() {
    let store = demo(300);
    assert!(store.purchases.len() > BLOCK_FACTS, "several blocks");
    let mut db = Db::default();
    let mut records = Records::empty("w1");
    save(&mut db, &mut records, &store);
    let read = db.read("w2");
    assert_eq!(read.store, store);
    assert!(read.set_aside.is_empty());
    assert!(!read.read_only);
    // Nothing changed: nothing to write.
    assert!(records.changes(&store).is_empty());
    assert!(read.records.changes(&store).is_empty());
}

/// A reopen lends the facts it read to the store (no second copy before
/// the first screen); once the copy is kept back, the records save as
/// those read with a copy do, merges included.
#[test]
fn records_read_lent_save_as_read_once_their_copy_is_kept() {
    let mut store = demo(300);
    let (from, kept) = (store.members[1].id, store.members[0].clone());
    clientele_engine::members::merge::merge_members(&mut store, from, kept, common::d(2026, 11, 1))
        .unwrap();
    let mut db = Db::default();
    save(&mut db, &mut Records::empty("w1"), &store);
    let docs = || db.0.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    let copied = Records::read(docs(), "w2").unwrap();
    let lent = Records::read_lent(docs(), "w2").unwrap();
    assert_eq!(lent.store, copied.store);
    assert_eq!(lent.store, store);
    assert!(lent.records.is_lent() && !copied.records.is_lent());

    let (mut records, mut now) = (lent.records, lent.store);
    records.keep_copy(&now);
    assert!(!records.is_lent());
    assert!(records.changes(&now).is_empty());
    let member = now.members[0].id.0;
    buy(&mut now, member, "R-LENT-1", at(2026, 12, 2), 300);
    let writes = |r: &Records| {
        r.changes(&now)
            .writes
            .iter()
            .map(|w| (w.id.clone(), w.body.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(writes(&records), writes(&copied.records));
    assert_eq!(writes(&records).len(), 1, "the sale's own block");
}

#[test]
fn a_sale_writes_only_its_own_block() {
    let mut store = demo(300);
    let mut db = Db::default();
    let mut records = Records::empty("w1");
    save(&mut db, &mut records, &store);
    let blocks_before = db.0.keys().filter(|k| k.starts_with("f:p:")).count();

    // A later session (another writer) opens the store and sells once.
    let mut records = db.read("w2").records;
    let member = store.members[0].id.0;
    buy(&mut store, member, "R-NEW-1", at(2026, 12, 2), 300);
    let written = save(&mut db, &mut records, &store);
    assert_eq!(written, vec!["f:p:w2:000000".to_string()]);
    // The second sale of the session goes into the same block.
    buy(&mut store, member, "R-NEW-2", at(2026, 12, 2), 120);
    let written = save(&mut db, &mut records, &store);
    assert_eq!(written, vec!["f:p:w2:000000".to_string()]);
    assert_eq!(
        db.0.keys().filter(|k| k.starts_with("f:p:")).count(),
        blocks_before + 1
    );
    assert_eq!(db.read("w3").store, store);
}

#[test]
fn an_edited_member_writes_one_document_and_a_removed_one_deletes_it() {
    let mut store = demo(50);
    let mut db = Db::default();
    let mut records = Records::empty("w1");
    save(&mut db, &mut records, &store);
    store.members[3].notes = "prefers silk / 喜欢真丝".into();
    let id = store.members[3].id.0;
    assert_eq!(save(&mut db, &mut records, &store), vec![format!("m:{id}")]);
    let gone = store.members.pop().unwrap().id.0;
    assert_eq!(
        save(&mut db, &mut records, &store),
        vec![format!("m:{gone}")]
    );
    assert!(!db.0.contains_key(&format!("m:{gone}")));
    assert_eq!(db.read("w2").store, store);
}

#[test]
fn replacing_all_purchases_rewrites_the_blocks_and_deletes_the_old_ones() {
    let mut store = demo(300);
    let mut db = Db::default();
    let mut records = Records::empty("w1");
    save(&mut db, &mut records, &store);
    let mut records = db.read("w2").records;
    store.purchases.truncate(10);
    store.purchases.reverse();
    save(&mut db, &mut records, &store);
    let blocks: Vec<_> = db.0.keys().filter(|k| k.starts_with("f:p:")).collect();
    assert_eq!(blocks, vec!["f:p:w2:000000"]);
    assert_eq!(db.read("w3").store, store);
}

#[test]
fn a_tab_that_found_no_store_takes_the_one_another_tab_made() {
    let mut db = Db::default();
    // Tab B opened first, on the welcome screen: nothing in the database.
    let mut tab_b = db.read("b");
    assert!(tab_b.records.is_empty());
    // Tab A opens the demo; its first save reaches tab B's feed.
    let store = demo(30);
    let written = save(&mut db, &mut Records::empty("a"), &store);
    for id in &written {
        tab_b
            .records
            .receive(id, db.0.get(id).map(String::as_str), &mut tab_b.store)
            .unwrap();
    }
    assert!(
        !tab_b.records.is_empty(),
        "a store now: off the welcome screen"
    );
    assert_eq!(tab_b.store.members, store.members);
    // And tab B's next save writes its own change only, not the store again.
    tab_b.store.settings.store_name = "B".into();
    let p = tab_b.records.changes(&tab_b.store);
    let ids: Vec<_> = p.writes.iter().map(|w| w.id.as_str()).collect();
    assert!(!ids.contains(&"meta"), "{ids:?}");
}

#[test]
fn another_tabs_sale_joins_this_tabs_store_and_unsaved_facts_stay() {
    let base = demo(40);
    let mut db = Db::default();
    save(&mut db, &mut Records::empty("w0"), &base);
    let mut tab_a = db.read("a");
    let mut tab_b = db.read("b");
    let m = base.members[0].id.0;
    // Tab A sells and saves; tab B has an unsaved sale of its own.
    buy(&mut tab_a.store, m, "A-1", at(2026, 12, 2), 10);
    let p = tab_a.records.changes(&tab_a.store);
    db.apply(&p.writes);
    tab_a.records.commit(p.clone());
    buy(&mut tab_b.store, m, "B-1", at(2026, 12, 2), 20);
    for w in &p.writes {
        assert!(tab_b
            .records
            .receive(&w.id, w.body.as_deref(), &mut tab_b.store)
            .unwrap());
    }
    assert_eq!(
        tab_b.store.purchases.last().unwrap().receipt,
        "B-1",
        "the unsaved sale stays last"
    );
    assert!(tab_b.store.purchases.iter().any(|p| p.receipt == "A-1"));
    let written: Vec<_> = {
        let p = tab_b.records.changes(&tab_b.store);
        db.apply(&p.writes);
        p.writes.into_iter().map(|w| w.id).collect()
    };
    assert_eq!(written, vec!["f:p:b:000000".to_string()]);
    let receipts = |s: &Store| {
        let mut r: Vec<_> = s.purchases.iter().map(|p| p.receipt.clone()).collect();
        r.sort();
        r
    };
    assert_eq!(receipts(&db.read("c").store), receipts(&tab_b.store));
}

#[test]
fn an_unreadable_document_is_set_aside_and_named_and_the_rest_opens() {
    let store = demo(20);
    let mut db = Db::default();
    save(&mut db, &mut Records::empty("w"), &store);
    let id = format!("m:{}", store.members[5].id.0);
    db.0.insert(id.clone(), "{\"d\":{\"name\":42}}".into());
    let read = db.read("w2");
    assert_eq!(read.set_aside.len(), 1);
    assert_eq!(read.set_aside[0].id, id);
    assert_eq!(read.store.members.len(), store.members.len() - 1);
}

#[test]
fn a_block_that_fails_part_way_is_set_aside_whole_and_the_blocks_around_it_read_in_order() {
    let store = demo(700);
    let mut db = Db::default();
    save(&mut db, &mut Records::empty("w"), &store);
    let blocks: Vec<String> =
        db.0.keys()
            .filter(|k| k.starts_with("f:p:"))
            .cloned()
            .collect();
    assert!(blocks.len() >= 3, "a block between others");
    let (first, middle, last) = (&db.0[&blocks[0]], &blocks[1], &db.0[&blocks[2]]);
    let n = |body: &str| -> usize {
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        v["d"].as_array().unwrap().len()
    };
    let (first_len, last_len) = (n(first), n(last));
    // Every fact reads but an extra last one: none of them may stay.
    let body = &db.0[middle];
    let broken = format!("{},{{\"receipt\":1}}]}}", body.strip_suffix("]}").unwrap());
    let mut broken_db = db.clone();
    broken_db.0.insert(middle.clone(), broken);
    let read = broken_db.read("w2");
    assert_eq!(read.set_aside.len(), 1);
    assert_eq!(&read.set_aside[0].id, middle);
    let mut kept = store.purchases.clone();
    kept.drain(first_len..first_len + n(&db.0[middle]));
    assert_eq!(
        read.store.purchases[..first_len + last_len],
        kept[..first_len + last_len]
    );
    assert_eq!(
        read.store.purchases.len(),
        store.purchases.len() - n(&db.0[middle])
    );

    // A block's body as serde reads `{"d": [...]}`: other keys pass, a
    // missing or repeated list is refused.
    let facts = &first[first.find('[').unwrap()..first.rfind(']').unwrap() + 1];
    for (body, reads) in [
        (format!("{{\"v\":1,\"d\":{facts}}}"), true),
        (format!("{{\"d\":{facts},\"x\":[\"y\"]}}"), true),
        (format!("{{\"x\":{facts}}}"), false),
        (format!("{{\"d\":{facts},\"d\":{facts}}}"), false),
        (format!("{{\"d\":{facts}}} trailing"), false),
        (facts.to_string(), false),
    ] {
        let mut one = db.clone();
        one.0.insert(blocks[0].clone(), body.clone());
        let read = one.read("w2");
        assert_eq!(read.set_aside.is_empty(), reads, "{body:.40}");
        assert_eq!(
            read.store.purchases.len(),
            store.purchases.len() - if reads { 0 } else { first_len }
        );
    }
}

#[test]
fn a_newer_layout_opens_read_only() {
    let mut db = Db::default();
    save(&mut db, &mut Records::empty("w"), &store_with(2));
    db.0.insert("meta".into(), "{\"d\":{\"schema\":999}}".into());
    assert!(db.read("w").read_only);
}

#[test]
fn documents_without_meta_are_refused_rather_than_overwritten() {
    let mut db = Db::default();
    save(&mut db, &mut Records::empty("w"), &store_with(2));
    db.0.remove("meta");
    assert!(Records::read(db.0.iter().map(|(k, v)| (k.as_str(), v.as_str())), "w").is_err());
}

#[derive(Clone, Debug)]
enum Op {
    Sell(u32, i64),
    Edit(u32),
    Enrol,
    Leave(u32),
    Contact(u32),
    ReplacePurchases(usize),
    Reopen,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0u32..30, 1i64..5_000).prop_map(|(m, y)| Op::Sell(m, y)),
        2 => (0u32..30).prop_map(Op::Edit),
        1 => Just(Op::Enrol),
        1 => (0u32..30).prop_map(Op::Leave),
        1 => (0u32..30).prop_map(Op::Contact),
        1 => (0usize..5).prop_map(Op::ReplacePurchases),
        1 => Just(Op::Reopen),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Whatever the console does, after each save the database reads back
    /// as exactly the store on screen.
    #[test]
    fn the_database_always_reads_back_as_the_store(ops in prop::collection::vec(op(), 1..40)) {
        let mut store = store_with(10);
        let mut db = Db::default();
        // Writers sort in the order their sessions began, as real ones do
        // (they start with a UTC timestamp): `w0010` after `w0009`.
        let mut records = Records::empty("w0000");
        let mut session = 0;
        save(&mut db, &mut records, &store);
        for (i, op) in ops.into_iter().enumerate() {
            let n = store.members.len() as u32;
            let appends = matches!(op, Op::Sell(..) | Op::Contact(_)) && n > 0;
            match op {
                Op::Sell(m, y) if n > 0 => {
                    let id = store.members[(m % n) as usize].id.0;
                    buy(&mut store, id, &format!("R{i}"), at(2026, 1, 1 + (i % 28) as u32), y);
                }
                Op::Edit(m) if n > 0 => store.members[(m % n) as usize].notes.push('x'),
                Op::Enrol => {
                    // A tagged id, far above the others (and above 2^32).
                    let tag = clientele_engine::DeviceTag::new(2_000_000_000).unwrap();
                    let id = store.next_member_id(tag).unwrap();
                    store.members.push(clientele_engine::Member::new(id, format!("N{}", id.0), "n".to_string(), common::d(2026, 1, 1)));
                }
                Op::Leave(m) if n > 0 => { store.members.remove((m % n) as usize); }
                Op::Contact(m) if n > 0 => store.care.contacts.push(clientele_engine::care::log::Contact {
                    member: store.members[(m % n) as usize].id,
                    on: common::d(2026, 1, 2),
                    kind: clientele_engine::care::log::ContactKind::Call,
                    outcome: clientele_engine::care::log::ContactOutcome::Reached,
                    staff: String::new(),
                    note: String::new(),
                    shop: String::new(),
                    device: String::new(), occasion: String::new(),
                }),
                Op::ReplacePurchases(k) => store.purchases.truncate(k),
                Op::Reopen => {
                    session += 1;
                    save(&mut db, &mut records, &store);
                    let read = db.read(&format!("w{session:04}"));
                    prop_assert_eq!(&read.store, &{ let mut s = store.clone(); normalize(&mut s); s });
                    records = read.records;
                    store = read.store;
                }
                _ => {}
            }
            if appends {
                // A sale or a contact only appends: the cheap scope finds the same writes.
                prop_assert_eq!(records.changes_in(&store, Scope::Appended).writes, records.changes(&store).writes);
            }
            save(&mut db, &mut records, &store);
            let mut expected = store.clone();
            normalize(&mut expected);
            prop_assert_eq!(db.read("check").store, expected);
        }
    }
}
