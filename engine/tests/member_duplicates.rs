//! Two records of one customer: found, and merged with every purchase,
//! point and contact of both, through the store's records as two devices
//! see them (docs/store-format.md, "Merged members").

mod common;

use clientele_engine::care::log::{Contact, ContactKind, ContactOutcome};
use clientele_engine::members::merge::{likely_duplicates, merge_members, DuplicateWhy};
use clientele_engine::members::model::{MemberId, MonthDay};
use clientele_engine::points::events::{PointsEvent, PointsEventKind};
use clientele_engine::points::replay::replay_store;
use clientele_engine::Store;
use common::device::Device;
use common::{at, buy, d, store_with};

fn balance(store: &Store, id: u64) -> i64 {
    let r = replay_store(store, d(2026, 12, 31)).unwrap();
    r.members.iter().find(|m| m.member.0 == id).unwrap().balance
}

/// Member 1 and member 3 are one customer: the same mobile, typed two ways.
fn shop() -> Store {
    let mut s = store_with(4);
    s.members[0].mobile = "13800001111".into();
    s.members[2].mobile = "138 0000 1111".into();
    s.members[2].joined = d(2025, 6, 1);
    s.members[1].name = "Lin Mei".into();
    s.members[1].birthday = Some(MonthDay {
        month: 3,
        day: 8,
        year: None,
    });
    s.members[3].name = "lin mei".into();
    s.members[3].birthday = Some(MonthDay {
        month: 3,
        day: 8,
        year: Some(1990),
    });
    s.members[3].referrer = Some(MemberId(3));
    buy(&mut s, 1, "R1", at(2026, 1, 5), 300);
    buy(&mut s, 3, "R2", at(2026, 2, 5), 200);
    buy(&mut s, 3, "R3", at(2026, 3, 5), 100);
    s.points_events.push(PointsEvent {
        member: MemberId(3),
        at: at(2026, 3, 6),
        kind: PointsEventKind::Adjustment {
            points: 40,
            note: "goodwill".into(),
        },
        staff: None,
    });
    s.care.contacts.push(Contact {
        member: MemberId(3),
        on: d(2026, 3, 7),
        kind: ContactKind::Call,
        outcome: ContactOutcome::Reached,
        staff: "Ann".into(),
        note: String::new(),
        shop: String::new(),
        device: String::new(),
        occasion: String::new(),
    });
    s
}

#[test]
fn the_same_mobile_or_the_same_name_and_birthday_is_a_likely_duplicate() {
    let found = likely_duplicates(&shop().members);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        (found[0].keep, found[0].other, found[0].why),
        (MemberId(1), MemberId(3), DuplicateWhy::Mobile)
    );
    assert_eq!(found[1].why, DuplicateWhy::NameAndBirthday);
}

#[test]
fn a_merge_keeps_every_purchase_point_and_contact_of_both() {
    let mut s = shop();
    let before = balance(&s, 1) + balance(&s, 3);
    assert_eq!(before, 300 + 200 + 100 + 40);
    let mut kept = s.members[0].clone();
    kept.email = Some("mei@example.com".into());
    merge_members(&mut s, MemberId(3), kept, d(2026, 12, 1)).unwrap();

    assert!(s.members.iter().all(|m| m.id != MemberId(3)));
    assert_eq!(s.members[0].email.as_deref(), Some("mei@example.com"));
    assert_eq!(
        s.purchases
            .iter()
            .filter(|p| p.member == MemberId(1))
            .count(),
        3
    );
    assert_eq!(s.points_events[0].member, MemberId(1));
    assert_eq!(s.care.contacts[0].member, MemberId(1));
    // Member 4 was referred by the absorbed record: now by the kept one.
    assert_eq!(
        s.members
            .iter()
            .find(|m| m.id == MemberId(4))
            .unwrap()
            .referrer,
        Some(MemberId(1))
    );
    assert_eq!(balance(&s, 1), before, "the ledger replays the same total");
    assert_eq!(s.merges.len(), 1, "the merge is in the store's history");

    let kept = s.members[0].clone();
    assert!(merge_members(&mut s, MemberId(3), kept, d(2026, 12, 1)).is_err());
    let same = s.members[0].clone();
    assert!(merge_members(&mut s, MemberId(1), same, d(2026, 12, 1)).is_err());
}

#[test]
fn a_merge_on_one_device_and_a_sale_to_the_absorbed_member_on_the_other_meet() {
    let mut a = Device::new("a1", shop());
    let first = a.save();
    let mut b = Device::new("b1", Store::default());
    b.receive(&first);
    assert_eq!(b.store, a.store);

    // Apart: the counter merges 3 into 1; the tablet sells to 3.
    let kept = a.store.members[0].clone();
    merge_members(&mut a.store, MemberId(3), kept, d(2026, 12, 1)).unwrap();
    let merged = a.save();
    assert!(
        merged.iter().all(|w| !w.id.starts_with("f:p:")),
        "the purchases' blocks stay as written: {:?}",
        merged.iter().map(|w| &w.id).collect::<Vec<_>>()
    );
    assert!(merged.iter().any(|w| w.id.starts_with("f:x:")));
    buy(&mut b.store, 3, "R9", at(2026, 12, 2), 50);
    let sale = b.save();

    a.receive(&sale);
    b.receive(&merged);
    for s in [&a.store, &b.store] {
        assert!(s.members.iter().all(|m| m.id != MemberId(3)));
        assert_eq!(
            s.purchases
                .iter()
                .filter(|p| p.member == MemberId(1))
                .count(),
            4
        );
        assert_eq!(balance(s, 1), 300 + 200 + 100 + 40 + 50);
    }
    // Each reopens as it shows, and saving again writes nothing new.
    assert_eq!(a.reopen(), a.store);
    assert!(a
        .records
        .changes(&a.store)
        .writes
        .iter()
        .all(|w| !w.id.starts_with("f:")));
    let b_again = b.reopen();
    assert_eq!(b_again.purchases.len(), b.store.purchases.len());
    assert_eq!(balance(&b_again, 1), balance(&b.store, 1));
}

#[test]
fn the_kept_record_takes_the_chosen_fields_and_every_tag() {
    use clientele_engine::members::merge::{differing, merged_record};
    let s = shop();
    let mut keep = s.members[0].clone();
    let mut other = s.members[2].clone();
    keep.tags = vec!["silk".into()];
    other.tags = vec!["linen".into(), "silk".into()];
    other.email = Some("x@example.com".into());
    let diff = differing(&keep, &other);
    assert_eq!(diff, vec!["name", "mobile", "card_no", "email"]);
    let m = merged_record(&keep, &other, &["email"]);
    assert_eq!(m.email.as_deref(), Some("x@example.com"));
    assert_eq!(m.name, keep.name);
    assert_eq!(m.tags, vec!["silk".to_string(), "linen".to_string()]);
    assert_eq!(m.joined, keep.joined.min(other.joined));
}

#[test]
fn a_shops_members_are_its_own_and_those_who_bought_there() {
    use clientele_engine::members::search::{shop_members, shops};
    let mut s = store_with(4);
    s.members[0].store = "Jing'an".into();
    s.members[1].store = "Xuhui".into();
    s.members[2].store = "Jing'an".into();
    buy(&mut s, 2, "R1", at(2026, 1, 5), 300);
    s.purchases[0].store = "Jing'an".into();
    assert_eq!(shops(&s), vec!["Jing'an".to_string(), "Xuhui".to_string()]);
    assert_eq!(
        shop_members(&s, "Jing'an"),
        vec![MemberId(1), MemberId(2), MemberId(3)]
    );
    assert_eq!(shop_members(&s, "Xuhui"), vec![MemberId(2)]);
}

#[test]
fn a_shops_store_replays_its_members_as_the_whole_store_does() {
    use clientele_engine::members::search::shop_store;
    let mut s = shop();
    s.members[0].store = "Xuhui".into();
    s.members[2].store = "Jing'an".into();
    let js = shop_store(&s, "Jing'an");
    assert_eq!(js.members.len(), 1);
    assert_eq!(js.purchases.len(), 2);
    assert_eq!(js.points_events.len(), 1);
    assert_eq!(js.care.contacts.len(), 1);
    assert_eq!(balance(&js, 3), balance(&s, 3));
}
