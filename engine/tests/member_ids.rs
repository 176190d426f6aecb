//! Member ids from device series (docs/store-format.md, "Member ids"):
//! devices that enrol offline never hand out the same id, ids stay exact
//! as JSON and JavaScript numbers, older stores keep theirs.

mod common;

use clientele_engine::members::edit::save_member;
use clientele_engine::members::ids::{MAX_MEMBER_ID, MAX_SERIAL, TAG_LIMIT};
use clientele_engine::points::replay::replay_under;
use clientele_engine::store::document::read_envelope;
use clientele_engine::store::validate::check_store;
use clientele_engine::{DeviceTag, Member, MemberId, Store};
use common::{at, buy, d, flat, store_with};
use proptest::prelude::*;
use std::collections::HashMap;

fn tag(t: u64) -> DeviceTag {
    DeviceTag::new(t).unwrap()
}

/// A new member with a card of its own (ids are assigned by `save_member`).
fn enrol(s: &mut Store, card: String, device: DeviceTag) -> MemberId {
    let draft = Member::new(MemberId(0), card, "n", d(2026, 1, 1));
    save_member(s, draft, device).unwrap()
}

const TAGS: u64 = TAG_LIMIT as u64;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// (a) Two devices with the same store (older ids, and members both
    /// enrolled before they last synced) each enrol offline; merging their
    /// member lists finds every id once, or the same member on both.
    #[test]
    fn devices_enrolling_offline_never_share_an_id(
        legacy in 0u32..30,
        tag_a in 1..TAGS,
        // Often the neighbouring tag: series that meet at a boundary.
        step in prop_oneof![Just(1u64), 1..TAGS - 1],
        synced in (0usize..4, 0usize..4),
        offline in (0usize..25, 0usize..25),
    ) {
        let a = tag(tag_a);
        let b = tag(1 + (tag_a - 1 + step) % (TAGS - 1));
        prop_assert_ne!(a, b);
        let mut base = store_with(legacy);
        for i in 0..synced.0 {
            enrol(&mut base, format!("SA{i}"), a);
        }
        for i in 0..synced.1 {
            enrol(&mut base, format!("SB{i}"), b);
        }
        let (mut on_a, mut on_b) = (base.clone(), base.clone());
        for i in 0..offline.0 {
            enrol(&mut on_a, format!("A{i}"), a);
        }
        for i in 0..offline.1 {
            enrol(&mut on_b, format!("B{i}"), b);
        }
        let mut merged: HashMap<MemberId, &Member> = HashMap::new();
        for m in on_a.members.iter().chain(&on_b.members) {
            if let Some(other) = merged.insert(m.id, m) {
                prop_assert_eq!(other, m, "two members share id {}", m.id.0);
            }
        }
        prop_assert_eq!(merged.len(), base.members.len() + offline.0 + offline.1);
        prop_assert!(merged.keys().all(|id| id.0 <= MAX_MEMBER_ID));
    }

    /// (b) Every id of every series is below 2^53 and travels exactly: as a
    /// JSON number, and as the f64 JavaScript reads it as.
    #[test]
    fn ids_are_exact_as_json_and_javascript_numbers(
        t in prop_oneof![Just(TAGS - 1), 1..TAGS],
        serial in prop_oneof![Just(MAX_SERIAL), Just(1u64), 1..=MAX_SERIAL],
    ) {
        let id = tag(t).id(serial).unwrap();
        prop_assert!(id.0 < 1 << 52, "below 2^52 < MAX_MEMBER_ID");
        prop_assert_eq!((id.tag(), id.serial()), (t, serial));
        let json = serde_json::to_string(&id).unwrap();
        prop_assert_eq!(&json, &id.0.to_string(), "a bare number");
        prop_assert_eq!(serde_json::from_str::<MemberId>(&json).unwrap(), id);
        let js: f64 = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(js as u64, id.0);
        prop_assert_eq!(serde_json::to_string(&js).unwrap(), format!("{json}.0"));
        let mut m = Member::new(id, "C1", "Ann", d(2026, 1, 1));
        m.referrer = Some(id);
        let back: Member = serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
        prop_assert_eq!(back, m);
    }
}

/// (c) An older store (ids 1..N, tag 0) keeps its ids; new members get the
/// device's series, and replay finds them next to the old ones.
#[test]
fn an_older_store_keeps_its_ids_and_continues_in_the_device_series() {
    let old = store_with(5);
    let mut s = old.clone();
    let (a, b) = (tag(1_237_911), tag(TAGS - 1));
    assert_eq!(s.next_member_id(a), a.id(1));
    let first = enrol(&mut s, "N1".into(), a);
    let second = enrol(&mut s, "N2".into(), a);
    let elsewhere = enrol(&mut s, "N3".into(), b);
    assert_eq!(
        (first.0, first.tag(), first.serial()),
        (2_596_087_529_473, 1_237_911, 1)
    );
    assert_eq!([Some(second), Some(elsewhere)], [a.id(2), b.id(1)]);
    assert_eq!(s.members[..5], old.members[..]);
    assert!(check_store(&s).is_empty());

    buy(&mut s, 2, "R1", at(2026, 2, 1), 100);
    buy(&mut s, first.0, "R2", at(2026, 2, 1), 30);
    buy(&mut s, elsewhere.0, "R3", at(2026, 2, 1), 7);
    let r = replay_under(&s, &flat(), d(2026, 3, 1)).unwrap();
    let balance = |id: MemberId| r.members.iter().find(|m| m.member == id).unwrap().balance;
    assert_eq!(
        [MemberId(2), first, elsewhere, MemberId(3)].map(balance),
        [100, 30, 7, 0]
    );
    assert_eq!(r.totals.unknown_members, 0);
}

/// An older backup (small ids, a referrer) restores unchanged.
#[test]
fn an_older_backup_with_small_ids_restores() {
    let text = r#"{"schema":1,"rev":3,"saved_at":"2025-01-01T00:00:00Z","data":{"members":[
        {"id":1,"card_no":"VIP000001","name":"Ann","joined":"2024-01-01"},
        {"id":2,"card_no":"VIP000002","name":"Bea","joined":"2024-01-02","referrer":1}],
        "purchases":[{"receipt":"R1","member":2,"at":"2024-02-01T10:00:00","amount":100}]}}"#;
    let store = read_envelope(text).unwrap().envelope.data;
    assert_eq!(store.members[1].id, MemberId(2));
    assert_eq!(store.members[1].referrer, Some(MemberId(1)));
    assert!(check_store(&store).is_empty());
    let mut too_big = store.clone();
    too_big.members[0].id = MemberId(MAX_MEMBER_ID + 1);
    assert!(!check_store(&too_big).is_empty());
}

/// Replay indexes members of many series (more than get a dense index of
/// their own, more than it counts) and sparse ids alike.
#[test]
fn replay_finds_members_of_every_series() {
    let mut s = store_with(3);
    s.members
        .push(Member::new(MemberId(MAX_SERIAL), "S", "s", d(2024, 1, 1)));
    for t in 1..=70u64 {
        for n in 0..(t % 3 + 1) {
            enrol(&mut s, format!("T{t}-{n}"), tag(t * 100_003));
        }
    }
    for (i, id) in s
        .members
        .iter()
        .map(|m| m.id.0)
        .collect::<Vec<_>>()
        .into_iter()
        .enumerate()
    {
        buy(&mut s, id, &format!("R{i}"), at(2026, 2, 1), i as i64 + 1);
    }
    let r = replay_under(&s, &flat(), d(2026, 3, 1)).unwrap();
    assert_eq!(r.totals.unknown_members, 0);
    for (i, m) in s.members.iter().enumerate() {
        let o = r.members.iter().find(|o| o.member == m.id).unwrap();
        assert_eq!(o.balance, i as i64 + 1, "member {}", m.id.0);
    }
}
