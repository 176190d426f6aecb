//! A keystroke at the counter with 100,000 members: the plain scan of the
//! member list (`find_members`, the baseline) against the packed index
//! (`SearchIndex`), for a mobile's first one, two and three digits (a
//! third to nearly everyone matches), the last
//! four of a mobile, a whole mobile and a name prefix; and what building
//! the index costs (once per change of the member list). Then picking a
//! member at the counter: their points and the day's next receipt number
//! read from the whole store (the baseline) against the `FactIndex` kept
//! between sales, and what building and keeping that index up costs.

use chrono::NaiveDate;
use clientele_engine::demo::{demo_store_sized, DemoLanguage};
use clientele_engine::members::search::{find_members, SearchIndex};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn benches(c: &mut Criterion) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let store = demo_store_sized(7, today, DemoLanguage::English, 100_000);
    let index = SearchIndex::new(&store.members);
    let someone = &store.members[store.members.len() / 2];
    let queries = [
        ("first digit", "1".to_string()),
        ("first two digits", someone.mobile[..2].to_string()),
        ("first three digits", someone.mobile[..3].to_string()),
        (
            "last four",
            someone.mobile[someone.mobile.len() - 4..].to_string(),
        ),
        ("whole mobile", someone.mobile.clone()),
        ("name prefix", someone.name.chars().take(3).collect()),
    ];
    let mut g = c.benchmark_group("search 100k members");
    g.sample_size(20);
    for (what, q) in &queries {
        g.bench_function(format!("scan: {what}"), |b| {
            b.iter(|| black_box(find_members(&store, q).len()))
        });
        g.bench_function(format!("index: {what}"), |b| {
            b.iter(|| black_box(index.find(&store.members, q).len()))
        });
    }
    g.bench_function("build the index", |b| {
        b.iter(|| black_box(SearchIndex::new(&store.members)))
    });
    g.finish();
    eprintln!(
        "likely duplicates in the demo: {}",
        clientele_engine::members::merge::likely_duplicates(&store.members).len()
    );
    let mut g = c.benchmark_group("members page 100k");
    g.sample_size(10);
    g.bench_function("likely duplicates", |b| {
        b.iter(|| {
            black_box(clientele_engine::members::merge::likely_duplicates(&store.members).len())
        })
    });
    g.bench_function("shared cards", |b| {
        b.iter(|| black_box(clientele_engine::members::edit::shared_cards(&store).len()))
    });
    g.bench_function("shops", |b| {
        b.iter(|| black_box(clientele_engine::members::search::shops(&store).len()))
    });
    g.bench_function("purchase totals", |b| {
        b.iter(|| {
            black_box(clientele_engine::members::search::purchase_totals(&store, today).len())
        })
    });
    g.finish();
    counter(c, &store, today);
}

fn counter(c: &mut Criterion, store: &clientele_engine::Store, today: NaiveDate) {
    use clientele_engine::points::checkout::{member_points, next_receipt_no};
    use clientele_engine::store::facts::FactIndex;
    let someone = store.members[store.members.len() / 2].id;
    let facts = FactIndex::new(store, today);
    let mut g = c.benchmark_group("counter 100k members, 1M purchases");
    g.sample_size(10);
    g.bench_function("store: member's points", |b| {
        b.iter(|| black_box(member_points(store, someone, today).map(|o| o.available)))
    });
    g.bench_function("index: member's points", |b| {
        b.iter(|| {
            black_box(
                facts
                    .member_points(store, someone, today)
                    .map(|o| o.available),
            )
        })
    });
    g.bench_function("store: next receipt", |b| {
        b.iter(|| black_box(next_receipt_no(store, today, "")))
    });
    g.bench_function("index: next receipt", |b| {
        b.iter(|| black_box(facts.next_receipt_no(store, today, "")))
    });
    g.bench_function("build the fact index", |b| {
        b.iter(|| black_box(FactIndex::new(store, today)))
    });
    let mut sold = store.clone();
    clientele_engine::points::checkout::record_purchase(
        &mut sold,
        clientele_engine::members::model::Purchase {
            receipt: next_receipt_no(store, today, ""),
            member: someone,
            at: today.and_hms_opt(15, 0, 0).unwrap_or_default(),
            amount: clientele_engine::Money(12_900),
            store: String::new(),
            device: String::new(),
            lines: Vec::new(),
            staff: String::new(),
        },
    )
    .ok();
    g.bench_function("index: catch up after a sale", |b| {
        b.iter_batched(
            || facts.clone(),
            |mut kept| {
                kept.catch_up(&sold);
                kept
            },
            criterion::BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(search, benches);
criterion_main!(search);
