//! Opening a store of 100,000 members (about a million purchases) from its
//! database documents, as a reopen does once they are read: every
//! document parsed into the records and the store. The baseline is
//! `Records::read`, which keeps the records' own copy of the facts; a
//! reopen uses `Records::read_lent`, whose facts go to the store alone
//! until the first screen is up, and then `keep_copy` (timed apart).

use chrono::NaiveDate;
use clientele_engine::demo::{demo_store_sized, DemoLanguage};
use clientele_engine::store::records::{normalize, Records};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use std::hint::black_box;

fn benches(c: &mut Criterion) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut store = demo_store_sized(7, today, DemoLanguage::English, 100_000);
    normalize(&mut store);
    let docs: Vec<(String, String)> = Records::empty("w1")
        .changes(&store)
        .writes
        .into_iter()
        .filter_map(|w| Some((w.id, w.body?)))
        .collect();
    let rows = || docs.iter().map(|(id, body)| (id.as_str(), body.as_str()));
    let mut g = c.benchmark_group("open 100k members");
    g.sample_size(10);
    g.bench_function("read, with the records' copy (baseline)", |b| {
        b.iter(|| black_box(Records::read(rows(), "w2").unwrap().store.purchases.len()))
    });
    g.bench_function("read lent (before the first screen)", |b| {
        b.iter(|| {
            black_box(
                Records::read_lent(rows(), "w2")
                    .unwrap()
                    .store
                    .purchases
                    .len(),
            )
        })
    });
    let lent = Records::read_lent(rows(), "w2").unwrap();
    g.bench_function("keep_copy (after the first screen)", |b| {
        b.iter_batched(
            || lent.records.clone(),
            |mut records| {
                records.keep_copy(&lent.store);
                records
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(open, benches);
criterion_main!(open);
