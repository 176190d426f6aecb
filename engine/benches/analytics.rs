//! Segmentation, model fit and scoring for a 100,000-member boutique chain
//! with 1,000,000 purchases: the demo generator sized up (about 670,000
//! purchases), topped up with earlier visits of the same members.

use chrono::NaiveDate;
use clientele_engine::analytics::{analyze_store, fit_models, AnalysisSettings};
use clientele_engine::demo::{demo_store_sized, DemoLanguage};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn benches(c: &mut Criterion) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut store = demo_store_sized(7, today, DemoLanguage::English, 100_000);
    // Each extra visit repeats an existing one 40 days earlier, so the
    // members' rhythms stay plausible.
    let extra: Vec<_> = store
        .purchases
        .iter()
        .cycle()
        .take(1_000_000usize.saturating_sub(store.purchases.len()))
        .enumerate()
        .map(|(i, p)| {
            let mut q = p.clone();
            q.receipt = format!("{}-E{i}", p.receipt);
            q.at -= chrono::Duration::days(40);
            q
        })
        .collect();
    store.purchases.extend(extra);
    eprintln!(
        "analytics bench: {} members, {} purchases",
        store.members.len(),
        store.purchases.len()
    );
    let settings = AnalysisSettings::default();
    let mut g = c.benchmark_group("analytics");
    g.sample_size(10);
    g.bench_function("analyze 100k members (segments + fit + scoring)", |b| {
        b.iter(|| black_box(analyze_store(&store, today, &settings)))
    });
    g.bench_function("fit BG/NBD + Gamma-Gamma only", |b| {
        b.iter(|| black_box(fit_models(&store, today, &settings)))
    });
    g.finish();
}

criterion_group!(analytics, benches);
criterion_main!(analytics);
