//! A member edited on two devices while offline: the two revisions the
//! database keeps merge field by field, and a field both devices changed
//! is left for the owner (docs/store-format.md, "Members edited on two
//! devices").

mod common;

use chrono::NaiveDate;
use clientele_engine::demo::{demo_store_sized, DemoLanguage};
use clientele_engine::store::edits::merge;
use clientele_engine::store::records::normalize;
use common::device::Device;
use std::collections::BTreeMap;

/// Two devices holding the same store, as after a sync.
fn two_devices() -> (Device, Device) {
    let mut store = demo_store_sized(
        3,
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        DemoLanguage::Chinese,
        20,
    );
    normalize(&mut store);
    let mut counter = Device::new("counter-1", store);
    counter.save_at(1_000);
    let tablet = Device::copy_of(&counter, "tablet-1");
    (counter, tablet)
}

#[test]
fn different_fields_edited_on_two_devices_both_stay() {
    let (mut counter, mut tablet) = two_devices();
    let doc = format!("m:{}", counter.store.members[0].id.0);
    counter.store.members[0].mobile = "13900001111".into();
    counter.save_at(2_000);
    tablet.store.members[0].notes = "prefers silk / 喜欢真丝".into();
    tablet.store.members[0].address = Some("上海市静安区".into());
    tablet.save_at(3_000);

    let m = merge(vec![counter.copy(&doc), tablet.copy(&doc)]).unwrap();
    assert!(m.is_clean(), "{:?}", m.contests);
    let merged = m.resolve(&BTreeMap::new()).unwrap().member;
    assert_eq!(merged.mobile, "13900001111");
    assert_eq!(merged.notes, "prefers silk / 喜欢真丝");
    assert_eq!(merged.address.as_deref(), Some("上海市静安区"));
    assert_eq!(merged.name, counter.store.members[0].name);
}

#[test]
fn the_same_field_changed_on_both_is_left_to_the_owner_with_the_later_edit_chosen() {
    let (mut counter, mut tablet) = two_devices();
    let doc = format!("m:{}", counter.store.members[0].id.0);
    counter.store.members[0].notes = "size M".into();
    counter.save_at(5_000);
    tablet.store.members[0].notes = "size L".into();
    tablet.store.members[0].job = Some("teacher".into());
    tablet.save_at(4_000);

    let m = merge(vec![counter.copy(&doc), tablet.copy(&doc)]).unwrap();
    assert_eq!(m.contests.len(), 1);
    let c = &m.contests[0];
    assert_eq!(c.field, "notes");
    let values: Vec<_> = c
        .options
        .iter()
        .map(|o| o.value.as_str().unwrap())
        .collect();
    assert_eq!(values.len(), 2);
    // The counter's edit is the later one: chosen unless the owner says otherwise.
    assert_eq!(c.options[c.chosen].value, "size M");
    assert_eq!(c.options[c.chosen].edited_ms, 5_000);
    let merged = m.resolve(&BTreeMap::new()).unwrap().member;
    assert_eq!(merged.notes, "size M");
    assert_eq!(merged.job.as_deref(), Some("teacher"));

    let other = 1 - c.chosen;
    let choices = BTreeMap::from([("notes".to_string(), other)]);
    assert_eq!(m.resolve(&choices).unwrap().member.notes, "size L");
    let bad = BTreeMap::from([("name".to_string(), 0)]);
    assert!(
        m.resolve(&bad).is_err(),
        "a field with no contest is no choice"
    );
}

#[test]
fn the_same_value_typed_on_both_is_no_contest() {
    let (mut counter, mut tablet) = two_devices();
    let doc = format!("m:{}", counter.store.members[1].id.0);
    counter.store.members[1].mobile = "13800002222".into();
    counter.save_at(2_000);
    tablet.store.members[1].mobile = "13800002222".into();
    tablet.save_at(2_500);
    let m = merge(vec![counter.copy(&doc), tablet.copy(&doc)]).unwrap();
    assert!(m.is_clean());
}

#[test]
fn an_edit_made_after_seeing_the_other_devices_edit_wins_without_asking() {
    let (mut counter, mut tablet) = two_devices();
    let doc = format!("m:{}", counter.store.members[0].id.0);
    // The counter renames; the tablet receives it, then corrects the name
    // and, offline, the counter changes the notes.
    counter.store.members[0].name = "王丽华".into();
    let w = counter.save_at(2_000);
    let body = w
        .iter()
        .find(|w| w.id == doc)
        .unwrap()
        .body
        .clone()
        .unwrap();
    tablet.db.insert(doc.clone(), body.clone());
    tablet
        .records
        .receive(&doc, Some(&body), &mut tablet.store)
        .unwrap();
    tablet.store.members[0].name = "王莉华".into();
    tablet.save_at(3_000);
    tablet.store.members[0].name = "王莉华 Lily".into();
    tablet.save_at(3_500);
    counter.store.members[0].notes = "VIP since 2019".into();
    counter.save_at(4_000);

    let m = merge(vec![counter.copy(&doc), tablet.copy(&doc)]).unwrap();
    assert!(m.is_clean(), "{:?}", m.contests);
    let merged = m.resolve(&BTreeMap::new()).unwrap();
    assert_eq!(merged.member.name, "王莉华 Lily");
    assert_eq!(merged.member.notes, "VIP since 2019");

    // Written back on either device, the merged copy then wins over a copy
    // that has not seen it, and merging is the same from both sides.
    let again = merge(vec![tablet.copy(&doc), counter.copy(&doc)]).unwrap();
    assert_eq!(again.resolve(&BTreeMap::new()).unwrap(), merged);
    let later = merge(vec![merged.clone(), counter.copy(&doc)]).unwrap();
    assert!(later.is_clean());
    assert_eq!(
        later.resolve(&BTreeMap::new()).unwrap().member,
        merged.member
    );
}

#[test]
fn a_member_never_edited_writes_no_stamps() {
    let (mut counter, _) = two_devices();
    let w = counter.save_at(9_000);
    assert!(w.is_empty());
    let doc = format!("m:{}", counter.store.members[2].id.0);
    assert!(!counter.db[&doc].contains("\"e\""), "{}", counter.db[&doc]);
    counter.store.members[2].notes = "x".into();
    counter.save_at(9_500);
    assert!(
        counter.db[&doc].contains(r#""e":"notes=9500/counter-1|9500/counter-1""#),
        "{}",
        counter.db[&doc]
    );
}

#[test]
fn a_members_stamps_read_back_whatever_its_text_holds() {
    use clientele_engine::store::edits::Edits;
    use clientele_engine::store::records::{member_body, parse_member};
    let (counter, _) = two_devices();
    let mut member = counter.store.members[0].clone();
    // Text that looks like the stamps' key, or like a document's end.
    for notes in ["", "\"e\":\"notes=1/x\"}", "a\"}", "e\":\"", "备注\"}}"] {
        member.notes = notes.into();
        for stamps in [
            "",
            "notes=9500/counter-1|9500/counter-1",
            "name=1/a;notes=2/b|2/b;1/a",
        ] {
            let edits = Edits::parse(stamps);
            let body = member_body(&member, &edits);
            // As written, and as the database hands it back: its own
            // fields after ours.
            let from_db = format!(
                "{},\"_id\":\"m:1\",\"_rev\":\"2-ab\",\"_conflicts\":[\"2-cd\"]}}",
                body.strip_suffix('}').unwrap()
            );
            for doc in [body, from_db] {
                let (read, read_edits) = parse_member(&doc).unwrap();
                assert_eq!(read, member);
                assert_eq!(read_edits.to_text(), edits.to_text(), "{doc}");
                assert_eq!(read_edits.is_empty(), stamps.is_empty());
            }
        }
    }
}

#[test]
fn every_field_of_a_member_is_compared_on_its_own() {
    use clientele_engine::store::edits::MEMBER_FIELDS;
    // A member with every field set serialises each one: the list the
    // stamps use must name them all, or an edit would go unstamped.
    let (counter, _) = two_devices();
    let full = serde_json::json!({
        "id": 1, "card_no": "C1", "name": "N", "mobile": "1", "email": "e@x",
        "gender": "female", "birthday": "03-08", "birthday_recorded_on": "2026-01-01",
        "family": [], "special_days": [], "workplace": "w", "job": "j", "address": "a",
        "tags": ["t"], "notes": "n", "joined": "2026-01-01", "store": "s", "staff": "st",
        "referrer": 1, "satisfaction": 9,
    });
    let as_json = serde_json::to_value(&counter.store.members[0]).unwrap();
    let mut keys: Vec<String> = as_json.as_object().unwrap().keys().cloned().collect();
    keys.extend(full.as_object().unwrap().keys().cloned());
    keys.extend(["preferences", "consent", "churn"].map(String::from));
    keys.sort();
    keys.dedup();
    let mut listed: Vec<String> = MEMBER_FIELDS.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(listed, keys);
}
