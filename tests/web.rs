//! The storage module in a real browser (headless Chromium): the envelope
//! round trip, compare-and-set between tabs, a newer schema, unreadable
//! data, and the quota-full path where the data must stay in memory.
#![cfg(target_arch = "wasm32")]

use chrono::NaiveDate;
use clientele_engine::model::{Member, MemberId};
use clientele_engine::store::{write_envelope, Envelope, SCHEMA_VERSION};
use clientele_engine::Store;
use clientele_web::storage::{self, SaveError, StorageStatus};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn local() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn store_with(n: u32) -> Store {
    let mut s = Store::default();
    s.settings.store_name = "测试店 Test".into();
    for i in 1..=n {
        s.members.push(Member::new(
            MemberId(i),
            format!("VIP{i:06}"),
            format!("会员{i}"),
            NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        ));
    }
    s
}

#[wasm_bindgen_test]
fn first_run_finds_nothing() {
    local().clear().unwrap();
    let opened = storage::open();
    assert_eq!(opened.store, None);
    assert_eq!(opened.status, StorageStatus::Ok);
}

#[wasm_bindgen_test]
fn saves_and_reopens_the_same_store() {
    local().clear().unwrap();
    let store = store_with(3);
    let rev = storage::save(&store, 0, "2026-11-23T10:00:00Z").unwrap();
    assert_eq!(rev, 1);
    let rev = storage::save(&store, rev, "2026-11-23T10:00:01Z").unwrap();
    assert_eq!(rev, 2);
    let opened = storage::open();
    assert_eq!(opened.store, Some(store));
    assert_eq!(opened.rev, 2);
    assert_eq!(opened.status, StorageStatus::Ok);
}

#[wasm_bindgen_test]
fn another_tabs_newer_save_is_never_overwritten() {
    local().clear().unwrap();
    let mine = store_with(1);
    let rev = storage::save(&mine, 0, "t").unwrap();
    // Another tab read rev 1 and saved rev 2.
    let theirs = store_with(2);
    storage::save(&theirs, rev, "t").unwrap();
    // This tab still believes rev 1: its save must be refused.
    let err = storage::save(&store_with(5), rev, "t").unwrap_err();
    assert_eq!(
        err,
        SaveError::Conflict {
            stored: 2,
            expected: 1
        }
    );
    assert_eq!(storage::open().store, Some(theirs));
}

#[wasm_bindgen_test]
fn a_newer_schema_opens_read_only() {
    local().clear().unwrap();
    let mut env = Envelope::new(store_with(2), 4, "t");
    env.schema = SCHEMA_VERSION + 1;
    local()
        .set_item(storage::STORE_KEY, &write_envelope(&env))
        .unwrap();
    let opened = storage::open();
    assert_eq!(opened.status, StorageStatus::ReadOnly);
    assert!(!opened.status.can_save());
    assert_eq!(opened.store.map(|s| s.members.len()), Some(2));
}

#[wasm_bindgen_test]
fn unreadable_data_is_kept_as_a_backup() {
    local().clear().unwrap();
    local().set_item(storage::STORE_KEY, "{not json").unwrap();
    let opened = storage::open();
    assert_eq!(opened.status, StorageStatus::Corrupt);
    let backup = local()
        .get_item(&format!("{}unreadable", storage::BACKUP_PREFIX))
        .unwrap();
    assert_eq!(backup.as_deref(), Some("{not json"));
}

#[wasm_bindgen_test]
fn a_full_store_reports_full_and_keeps_what_was_saved() {
    local().clear().unwrap();
    let small = store_with(2);
    let rev = storage::save(&small, 0, "t").unwrap();
    // Fill the origin's quota with filler until the browser refuses.
    let chunk = "x".repeat(512 * 1024);
    let mut i = 0;
    while local().set_item(&format!("filler.{i}"), &chunk).is_ok() {
        i += 1;
        assert!(i < 64, "the quota never filled");
    }
    let big = store_with(5_000);
    let err = storage::save(&big, rev, "t").unwrap_err();
    assert_eq!(err, SaveError::Full);
    assert_eq!(err.status(), StorageStatus::Full);
    assert!(
        err.status().can_save(),
        "a later save may succeed once space is freed"
    );
    // What was saved before is intact; the caller still holds `big` in memory.
    assert_eq!(storage::open().store, Some(small));
    assert_eq!(big.members.len(), 5_000);
    let used = storage::used_units().unwrap();
    assert!(used > storage::QUOTA_UNITS / 2);
    local().clear().unwrap();
}

#[wasm_bindgen_test]
fn a_store_too_big_for_the_quota_as_json_is_packed_and_reopens_intact() {
    local().clear().unwrap();
    let big = store_with(60_000);
    let plain = write_envelope(&Envelope::new(big.clone(), 1, "t"));
    assert!(
        plain.encode_utf16().count() > storage::QUOTA_UNITS,
        "the plain document alone would not fit"
    );
    let rev = storage::save(&big, 0, "t").unwrap();
    let raw = local().get_item(storage::STORE_KEY).unwrap().unwrap();
    assert!(raw.starts_with(clientele_engine::store::PACKED_PREFIX));
    assert!(storage::used_units().unwrap() < storage::QUOTA_UNITS / 4);
    let opened = storage::open();
    assert_eq!(opened.status, StorageStatus::Ok);
    assert_eq!(opened.rev, rev);
    assert_eq!(opened.store, Some(big));
    // A small store stays plain JSON, readable by eye and by other tools.
    storage::save(&store_with(2), rev, "t").unwrap();
    let raw = local().get_item(storage::STORE_KEY).unwrap().unwrap();
    assert!(raw.starts_with('{'));
    local().clear().unwrap();
}

#[wasm_bindgen_test]
fn erase_keeps_preferences() {
    local().clear().unwrap();
    storage::save(&store_with(1), 0, "t").unwrap();
    storage::save_prefs(&storage::Prefs {
        lang: Some(clientele_web::i18n::Lang::En),
    })
    .unwrap();
    storage::erase().unwrap();
    assert_eq!(storage::open().store, None);
    assert_eq!(
        storage::load_prefs().lang,
        Some(clientele_web::i18n::Lang::En)
    );
}
