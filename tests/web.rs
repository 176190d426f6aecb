//! The storage module in a real browser (headless Chromium) against the
//! real database (PouchDB in IndexedDB): a save and reopen, moving an older
//! version's localStorage store in (plain, packed, unreadable), a newer
//! layout, an unreadable record set aside, the journal of a page closed
//! mid-save, and erasing.
#![cfg(target_arch = "wasm32")]

use chrono::NaiveDate;
use clientele_engine::members::model::{Member, MemberId};
use clientele_engine::store::document::{pack, write_envelope, Envelope};
use clientele_engine::store::records::{normalize, Records};
use clientele_engine::Store;
use clientele_web::storage::{self, StorageStatus};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The test page has no dist/: load the database scripts the build
/// bundles (db.js finds PouchDB's part already there instead of fetching it).
fn load_db_script() {
    let global = js_sys::global();
    if !js_sys::Reflect::has(&global, &JsValue::from_str("clienteleDb")).unwrap_or(false) {
        for src in [
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/target/js/pouch.js")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/target/js/db.js")),
        ] {
            js_sys::Function::new_no_args(src).call0(&global).unwrap();
        }
    }
}

fn local() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn store_with(n: u32) -> Store {
    let mut s = Store::default();
    s.settings.store_name = "测试店 Test".into();
    for i in 1..=n {
        s.members.push(Member::new(
            MemberId(i.into()),
            format!("VIP{i:06}"),
            format!("会员{i}"),
            NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        ));
    }
    s
}

/// The store as an older version kept it, in localStorage.
fn keep_as_older_version(store: &Store) {
    local()
        .set_item(
            storage::STORE_KEY,
            &write_envelope(&Envelope::new(store.clone(), 4, "t")),
        )
        .unwrap();
}

/// A clean slate: no database, no localStorage (but what a test sets).
async fn fresh() {
    load_db_script();
    local().clear().unwrap();
    let _ = open("setup").await;
    storage::erase().await.unwrap();
}

/// Opens as the console does: the records take back their copy of the
/// facts read (lent to the store) before anything is saved.
async fn open(writer: &str) -> storage::Opened {
    let mut opened = storage::open(writer).await;
    let empty = Store::default();
    opened
        .records
        .keep_copy(opened.store.as_ref().unwrap_or(&empty));
    opened
}

async fn save(records: &mut Records, store: &Store) {
    let p = records.changes(store);
    storage::write(&p).await.unwrap();
    records.commit(p);
}

/// `n` members saved by a first open on a clean slate, the snapshot in
/// several parts as a store of 100,000 members has (js/db.js).
async fn store_saved(n: u32) -> (storage::Opened, Store) {
    fresh().await;
    js_sys::eval("clienteleDb.snapshotPartBytes = 40000").unwrap();
    let mut opened = open("t1").await;
    let store = store_with(n);
    save(&mut opened.records, &store).await;
    (opened, store)
}

#[wasm_bindgen_test]
async fn a_large_store_reopens_from_its_snapshot_and_the_changes_since() {
    let (_, mut store) = store_saved(2_100).await;
    // The first save of a large store keeps its documents as the snapshot.
    let seq = storage::snapshot_seq().await.expect("kept");
    let mut second = open("t2").await;
    assert_eq!(second.store.as_ref(), Some(&store));
    assert_eq!(storage::snapshot_seq().await, Some(seq.clone()));
    // Changes after it: an edit, a member gone, a new one, the settings.
    store.members[4].notes = "改过".into();
    store.members.remove(6);
    store.members.push(Member::new(
        MemberId(9_000),
        "VIP009000",
        "新会员",
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
    ));
    store.settings.store_name = "改名 Renamed".into();
    save(&mut second.records, &store).await;
    assert_eq!(
        rows_read("readAllRaw").await,
        rows_read("readAll").await,
        "js/db.js reads PouchDB's stores as PouchDB does, a deleted document too"
    );
    let mut third = open("t3").await;
    assert_eq!(third.store.as_ref(), Some(&store), "snapshot plus changes");
    assert_eq!(
        storage::snapshot_seq().await,
        Some(seq.clone()),
        "few changes: kept as it was"
    );
    // A save of many documents takes the snapshot again, and it reads right.
    for m in &mut store.members {
        m.notes = "都改过".into();
    }
    save(&mut third.records, &store).await;
    let again = storage::snapshot_seq().await;
    assert_ne!(again, Some(seq), "taken again by the save");
    let fourth = open("t4").await;
    assert_eq!(fourth.store.as_ref(), Some(&store));
    assert_eq!(storage::snapshot_seq().await, again);
    let fifth = open("t5").await;
    assert_eq!(fifth.store, Some(store));
}

/// Runs `body` (an async JS function body) on PouchDB's own IndexedDB
/// store of `_local` documents, `st`, in one transaction; returns its answer.
async fn on_local_docs(body: &str) -> JsValue {
    let f = format!(
        r#"(async () => {{
            const open = indexedDB.open("_pouch_{db}");
            const db = await new Promise((ok, no) => {{ open.onsuccess = () => ok(open.result); open.onerror = () => no(open.error); }});
            const tx = db.transaction("local-store", "readwrite");
            const st = tx.objectStore("local-store");
            const ask = (r) => new Promise((ok, no) => {{ r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); }});
            const docs = await ask(st.getAll());
            const out = await (async () => {{ {body} }})();
            await new Promise((ok, no) => {{ tx.oncomplete = ok; tx.onerror = () => no(tx.error); }});
            db.close();
            return out;
        }})()"#,
        db = storage::DB_NAME,
    );
    let promise: js_sys::Promise = js_sys::eval(&f).unwrap().into();
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap()
}

/// Every document as `clienteleDb[method]` reads it, in id order.
async fn rows_read(method: &str) -> Vec<serde_json::Value> {
    let promise: js_sys::Promise = js_sys::eval(&format!("clienteleDb.{method}()"))
        .unwrap()
        .into();
    let text = wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    let mut rows: Vec<serde_json::Value> =
        serde_json::from_str(&text.as_string().unwrap()).unwrap();
    rows.sort_by(|a, b| a[0].as_str().cmp(&b[0].as_str()));
    rows
}

/// A store large enough to keep a snapshot (in several parts), saved by
/// a first open.
async fn large_store_saved() -> Store {
    store_saved(2_100).await.1
}

#[wasm_bindgen_test]
async fn a_snapshot_kept_as_text_by_the_version_before_is_read_whole_and_kept_again() {
    let store = large_store_saved().await;
    assert!(storage::snapshot_seq().await.is_some(), "kept");
    // The parts as the version before kept them: text cut by characters
    // (the Chinese names make the text and its bytes differ in length).
    let turned = on_local_docs(
        r#"const parts = docs.filter((d) => d.utf8 instanceof ArrayBuffer)
                .sort((a, b) => Number(a._id.split("/").pop()) - Number(b._id.split("/").pop()));
            const bytes = new Uint8Array(parts.reduce((n, d) => n + d.utf8.byteLength, 0));
            let at = 0;
            for (const d of parts) { bytes.set(new Uint8Array(d.utf8), at); at += d.utf8.byteLength; }
            const text = new TextDecoder().decode(bytes);
            const size = Math.ceil(text.length / parts.length);
            parts.forEach((d, i) => { delete d.utf8; d.text = text.slice(i * size, (i + 1) * size); st.put(d); });
            return parts.length;"#,
    )
    .await;
    assert!(
        turned.as_f64().unwrap_or(0.0) > 1.0,
        "several parts: {turned:?}"
    );
    let again = open("t2").await;
    assert_eq!(again.store, Some(store), "read whole, not from the text");
    storage::ready().await.unwrap();
    let kinds = on_local_docs(
        r#"return [docs.filter((d) => typeof d.text === "string").length,
                   docs.filter((d) => d.utf8 instanceof ArrayBuffer).length].join(" ");"#,
    )
    .await;
    let kinds = kinds.as_string().unwrap_or_default();
    let (text, bytes) = kinds.split_once(' ').unwrap_or_default();
    assert_eq!(text, "0", "the text parts went");
    assert!(bytes.parse::<u32>().unwrap_or(0) > 1, "kept again as bytes");
}

/// JS for [`on_local_docs`]: `mine`, the kept snapshot's parts in order,
/// and `bytes`, them joined (as the console reads them).
const SNAPSHOT_PARTS: &str = r#"const gen = docs.find((d) => d._id === "_local/snapshot").gen;
            const mine = docs.filter((d) => d.utf8 instanceof ArrayBuffer && d._id.startsWith(`_local/snapshot/${gen}/`))
                .sort((a, b) => Number(a._id.split("/").pop()) - Number(b._id.split("/").pop()));
            const bytes = new Uint8Array(mine.reduce((n, d) => n + d.utf8.byteLength, 0));
            let at = 0;
            for (const d of mine) { bytes.set(new Uint8Array(d.utf8), at); at += d.utf8.byteLength; }
"#;

/// The snapshot's text, its parts joined (as the console reads them).
async fn snapshot_text() -> String {
    on_local_docs(&[SNAPSHOT_PARTS, "return new TextDecoder().decode(bytes);"].concat())
        .await
        .as_string()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn a_snapshot_kept_as_json_rows_by_the_version_before_reads_and_is_kept_in_the_new_form() {
    let store = large_store_saved().await;
    assert!(snapshot_text()
        .await
        .starts_with("clientele rows by length 1\n"));
    // The snapshot as the version before kept it: JSON [[id, rev, doc], ...].
    let kept: js_sys::Promise = js_sys::eval(
        r#"(async () => {
            const rows = await clienteleDb.readAll();
            const seq = await clienteleDb.updateSeq();
            await clienteleDb.saveSnapshot(seq, new TextEncoder().encode(rows));
        })()"#,
    )
    .unwrap()
    .into();
    wasm_bindgen_futures::JsFuture::from(kept).await.unwrap();
    assert!(snapshot_text().await.starts_with("[["));
    let again = open("t2").await;
    assert_eq!(again.store.as_ref(), Some(&store), "read as it is");
    storage::ready().await.unwrap();
    assert!(
        snapshot_text()
            .await
            .starts_with("clientele rows by length 1\n"),
        "kept again in the new form"
    );
    assert_eq!(open("t3").await.store, Some(store));
}

#[wasm_bindgen_test]
async fn a_document_unreadable_in_the_snapshot_alone_is_read_from_the_database_and_nothing_is_set_aside(
) {
    let store = large_store_saved().await;
    // Member 1's document broken in the snapshot alone (`"card_no"x` for
    // `"card_no":`: the same length, so the lengths still add up).
    let damaged = on_local_docs(
        &[
            SNAPSHOT_PARTS,
            r#"const text = new TextDecoder().decode(bytes);
            const mark = '"card_no":"VIP000001"';
            const bytesBefore = new TextEncoder().encode(text.slice(0, text.indexOf(mark) + '"card_no"'.length)).length;
            let start = 0;
            for (const d of mine) {
                if (bytesBefore < start + d.utf8.byteLength) {
                    new Uint8Array(d.utf8)[bytesBefore - start] = 0x78;
                    st.put(d);
                    return text.indexOf(mark) > 0;
                }
                start += d.utf8.byteLength;
            }
            return false;"#,
        ]
        .concat(),
    )
    .await;
    assert_eq!(damaged.as_bool(), Some(true));
    assert!(snapshot_text().await.contains(r#""card_no"x"VIP000001""#));
    let again = open("t2").await;
    assert!(again.set_aside.is_empty(), "{:?}", again.set_aside);
    assert_eq!(
        again.store,
        Some(store.clone()),
        "every member, none deleted"
    );
    storage::ready().await.unwrap();
    assert_eq!(open("t3").await.store, Some(store), "kept again, readable");
}

#[wasm_bindgen_test]
async fn two_snapshots_kept_at_once_are_kept_one_after_the_other() {
    large_store_saved().await;
    // An open's snapshot kept after its first screen while a large save
    // keeps one: each whole, the later last (never one's head over the
    // other's parts).
    let both: js_sys::Promise = js_sys::eval(
        r#"(async () => {
            const seq = await clienteleDb.updateSeq();
            const first = new TextEncoder().encode("A".repeat(100000));
            const later = new TextEncoder().encode("B".repeat(90000));
            await Promise.all([clienteleDb.saveSnapshot(seq, first), clienteleDb.saveSnapshot(seq, later)]);
        })()"#,
    )
    .unwrap()
    .into();
    wasm_bindgen_futures::JsFuture::from(both).await.unwrap();
    assert!(snapshot_text().await == "B".repeat(90_000));
}

#[wasm_bindgen_test]
async fn a_damaged_snapshot_is_passed_over_the_store_read_whole_and_the_snapshot_kept_again() {
    let store = large_store_saved().await;
    let kept = snapshot_text().await;
    assert!(kept.starts_with("clientele rows by length 1\n"));
    // Bytes lost from the middle of the last part (the documents, after
    // the list): the lengths no longer add up.
    on_local_docs(
        r#"const last = docs.filter((d) => d.utf8 instanceof ArrayBuffer)
                .sort((a, b) => Number(b._id.split("/").pop()) - Number(a._id.split("/").pop()))[0];
            const b = new Uint8Array(last.utf8);
            const at = Math.floor(b.length / 2);
            const cut = new Uint8Array(b.length - 7);
            cut.set(b.subarray(0, at));
            cut.set(b.subarray(at + 7), at);
            last.utf8 = cut.buffer;
            st.put(last);"#,
    )
    .await;
    assert_ne!(snapshot_text().await, kept, "damaged");
    let again = open("t2").await;
    assert_eq!(again.status, StorageStatus::Ok);
    assert_eq!(again.store.as_ref(), Some(&store), "read whole");
    storage::ready().await.unwrap();
    // Kept again whole: its list names every document, and the documents
    // after it are as long as the list says.
    let listed = |text: &str| {
        let rest = text
            .strip_prefix("clientele rows by length 1\n")
            .expect("kept by length");
        let (list, docs) = rest.split_once('\n').expect("a list");
        let list: Vec<(String, String, usize)> = serde_json::from_str(list).unwrap();
        assert_eq!(list.iter().map(|r| r.2).sum::<usize>(), docs.len());
        let mut ids: Vec<(String, String)> = list.into_iter().map(|r| (r.0, r.1)).collect();
        ids.sort();
        ids
    };
    assert_eq!(listed(&snapshot_text().await), listed(&kept), "kept again");
    assert_eq!(open("t3").await.store, Some(store));
}

/// Which snapshot is kept (each keeping writes its parts anew).
async fn snapshot_generation() -> String {
    on_local_docs(r#"return String(docs.find((d) => d._id === "_local/snapshot")?.gen);"#)
        .await
        .as_string()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn an_import_into_a_store_that_had_documents_keeps_the_snapshot_with_its_save() {
    let (mut opened, mut store) = store_saved(100).await;
    assert_eq!(
        storage::snapshot_seq().await,
        None,
        "a small store keeps none"
    );
    // Thousands of members imported into it: one large save.
    store
        .members
        .extend(store_with(2_200).members.split_off(100));
    save(&mut opened.records, &store).await;
    assert!(storage::snapshot_seq().await.is_some(), "kept by the save");
    let kept = snapshot_generation().await;
    // The next open reads it, with nothing to keep again.
    assert_eq!(open("t2").await.store, Some(store));
    assert_eq!(snapshot_generation().await, kept);
}

#[wasm_bindgen_test]
async fn a_large_store_saved_in_small_steps_keeps_its_snapshot_after_the_next_opens_first_screen() {
    fresh().await;
    let mut opened = open("t1").await;
    let mut store = store_with(1_500);
    save(&mut opened.records, &store).await;
    store
        .members
        .extend(store_with(2_200).members.split_off(1_500));
    save(&mut opened.records, &store).await;
    assert_eq!(
        storage::snapshot_seq().await,
        None,
        "no save was a large first one"
    );
    assert_eq!(open("t2").await.store.as_ref(), Some(&store));
    assert_eq!(
        storage::snapshot_seq().await,
        None,
        "the first screen does not wait for it"
    );
    // The console calls this once its first screen is painted.
    storage::ready().await.unwrap();
    assert!(storage::snapshot_seq().await.is_some(), "kept then");
    assert_eq!(open("t3").await.store, Some(store));
}

#[wasm_bindgen_test]
async fn first_run_finds_nothing() {
    fresh().await;
    let opened = open("t1").await;
    assert_eq!(opened.store, None);
    assert_eq!(opened.status, StorageStatus::Ok);
}

#[wasm_bindgen_test]
async fn saves_and_reopens_the_same_store() {
    fresh().await;
    let mut opened = open("t1").await;
    let mut store = store_with(3);
    save(&mut opened.records, &store).await;
    store.members[1].notes = "喜欢真丝".into();
    save(&mut opened.records, &store).await;
    let again = open("t2").await;
    assert_eq!(again.store, Some(store));
    assert_eq!(again.status, StorageStatus::Ok);
}

#[wasm_bindgen_test]
async fn an_older_versions_store_moves_in_and_the_old_copy_goes_only_after() {
    fresh().await;
    let mut store = store_with(5);
    store.members.reverse();
    keep_as_older_version(&store);
    local().set_item(storage::REV_KEY, "4").unwrap();
    let opened = open("t1").await;
    normalize(&mut store);
    assert!(opened.moved);
    assert_eq!(opened.status, StorageStatus::Ok);
    assert_eq!(opened.store, Some(store.clone()));
    assert_eq!(local().get_item(storage::STORE_KEY).unwrap(), None);
    assert_eq!(local().get_item(storage::REV_KEY).unwrap(), None);
    // And it is in the database now.
    assert_eq!(open("t2").await.store, Some(store));
}

#[wasm_bindgen_test]
async fn a_packed_store_of_an_older_version_moves_in_too() {
    fresh().await;
    let store = store_with(40);
    let packed = pack(&write_envelope(&Envelope::new(store.clone(), 1, "t")));
    local().set_item(storage::STORE_KEY, &packed).unwrap();
    let opened = open("t1").await;
    assert!(opened.moved);
    assert_eq!(opened.store, Some(store));
}

#[wasm_bindgen_test]
async fn an_unreadable_old_store_is_kept_and_nothing_is_written() {
    fresh().await;
    local().set_item(storage::STORE_KEY, "{not json").unwrap();
    let opened = open("t1").await;
    assert_eq!(opened.status, StorageStatus::Corrupt);
    assert!(!opened.status.can_save());
    assert_eq!(
        local()
            .get_item(&format!("{}unreadable", storage::BACKUP_PREFIX))
            .unwrap()
            .as_deref(),
        Some("{not json")
    );
    assert_eq!(
        local().get_item(storage::STORE_KEY).unwrap().as_deref(),
        Some("{not json")
    );
}

#[wasm_bindgen_test]
async fn a_newer_layout_opens_read_only() {
    fresh().await;
    let mut records = open("t1").await.records;
    let mut p = records.changes(&store_with(2));
    for w in &mut p.writes {
        if w.id == "meta" {
            w.body = Some("{\"d\":{\"schema\":999}}".into());
        }
    }
    storage::write(&p).await.unwrap();
    records.commit(p);
    let opened = open("t2").await;
    assert_eq!(opened.status, StorageStatus::ReadOnly);
    assert!(!opened.status.can_save());
    assert_eq!(opened.store.map(|s| s.members.len()), Some(2));
}

#[wasm_bindgen_test]
async fn an_unreadable_record_is_set_aside_by_name_and_the_rest_opens() {
    fresh().await;
    let mut records = open("t1").await.records;
    let store = store_with(4);
    save(&mut records, &store).await;
    let mut p = records.changes(&store_with(5));
    p.writes[0].body = Some("{\"d\":{\"id\":5,\"name\":[]}}".into());
    storage::write(&p).await.unwrap();
    let opened = open("t2").await;
    assert_eq!(opened.status, StorageStatus::Ok);
    assert_eq!(opened.set_aside.len(), 1);
    assert_eq!(opened.set_aside[0].id, "m:5");
    assert_eq!(opened.store, Some(store));
    // Moved aside, so the next open is clean and a new member 5 can be saved.
    let mut again = open("t3").await;
    assert!(again.set_aside.is_empty());
    save(&mut again.records, &store_with(5)).await;
    assert_eq!(open("t4").await.store, Some(store_with(5)));
}

#[wasm_bindgen_test]
async fn a_save_cut_short_by_a_closed_page_is_finished_from_the_journal() {
    fresh().await;
    let mut records = open("t1").await.records;
    save(&mut records, &store_with(2)).await;
    let later = store_with(3);
    // The page went away before the database write could run.
    storage::write_journal(&records.changes(&later));
    let opened = open("t2").await;
    assert_eq!(opened.store, Some(later));
    assert_eq!(local().get_item(storage::JOURNAL_KEY).unwrap(), None);
}

#[wasm_bindgen_test]
async fn erase_keeps_preferences() {
    fresh().await;
    let mut records = open("t1").await.records;
    save(&mut records, &store_with(1)).await;
    storage::save_prefs(&storage::Prefs {
        lang: Some(clientele_web::i18n::Lang::En),
        ..storage::Prefs::default()
    })
    .unwrap();
    storage::erase().await.unwrap();
    assert_eq!(open("t2").await.store, None);
    assert_eq!(
        storage::load_prefs().lang,
        Some(clientele_web::i18n::Lang::En)
    );
}

/// What a page closed in the middle of a save of several transactions
/// leaves: the mark `write` puts down first (js/db.js, markUnfinished).
async fn leave_a_save_cut_short(docs: u32) {
    let promise = js_sys::eval(&format!("clienteleDb.markUnfinished({docs})")).unwrap();
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(promise))
        .await
        .unwrap();
}

#[wasm_bindgen_test]
async fn a_large_save_cut_short_is_noticed_until_the_user_keeps_the_store_or_it_is_rewritten() {
    fresh().await;
    let mut opened = open("t1").await;
    // Larger than one transaction: written in parts, whole at the end.
    let store = store_with(5_200);
    save(&mut opened.records, &store).await;
    let second = open("t2").await;
    assert_eq!(second.unfinished, None, "a save that ended leaves no mark");
    assert_eq!(second.store.as_ref(), Some(&store));

    leave_a_save_cut_short(12_000).await;
    let mut third = open("t3").await;
    assert_eq!(third.unfinished, Some(12_000));
    // A small save after it does not make the store whole.
    let mut small = store.clone();
    small.settings.store_name = "改名".into();
    save(&mut third.records, &small).await;
    let fourth = open("t4").await;
    assert_eq!(fourth.unfinished, Some(12_000), "still noticed");
    // The user keeps it as it is.
    storage::accept_unfinished().await.unwrap();
    assert_eq!(open("t5").await.unfinished, None);

    // A restore rewrites the store: its save, once whole, takes the mark.
    leave_a_save_cut_short(7_000).await;
    let mut sixth = open("t6").await;
    assert_eq!(sixth.unfinished, Some(7_000));
    storage::whole_save_next();
    save(&mut sixth.records, &store).await;
    assert_eq!(open("t7").await.unfinished, None);
}

#[wasm_bindgen_test]
async fn a_move_in_cut_short_starts_over_from_the_older_versions_copy() {
    fresh().await;
    // What the page had written of the move-in when it closed: part of
    // the store, the mark, and the older version's copy still there.
    let mut part = open("t0").await;
    save(&mut part.records, &store_with(2)).await;
    leave_a_save_cut_short(6_000).await;
    let mut whole = store_with(6);
    keep_as_older_version(&whole);
    let opened = open("t1").await;
    normalize(&mut whole);
    assert!(opened.moved);
    assert_eq!(opened.unfinished, None);
    assert_eq!(opened.store, Some(whole.clone()));
    assert_eq!(local().get_item(storage::STORE_KEY).unwrap(), None);
    assert_eq!(open("t2").await.store, Some(whole));
}
