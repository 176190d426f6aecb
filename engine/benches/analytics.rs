//! Segmentation, model fit and scoring for a 100,000-member boutique chain
//! with about a million purchases (the demo generator, sized up).

use chrono::NaiveDate;
use clientele_engine::analytics::{analyze_store, fit_models, AnalysisSettings};
use clientele_engine::demo::{demo_store_sized, DemoLanguage};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn benches(c: &mut Criterion) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let store = demo_store_sized(7, today, DemoLanguage::English, 100_000);
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
