//! The scheme lab's question on the demo boutique: the store's own scheme
//! and two candidates replayed as of one date from one History (the lab
//! promises results within a second).

use chrono::NaiveDate;
use clientele_engine::demo::{demo_store, DemoLanguage};
use clientele_engine::points::lab::{threshold_drift, try_schemes};
use clientele_engine::points::scheme::presets;
use clientele_engine::points::tiers::{presets as tier_presets, Metric, TierScheme};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn lab(c: &mut Criterion) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let store = demo_store(20_261_123, today, DemoLanguage::English);
    let candidates = [presets::banded(), presets::department_store()];
    c.bench_function("lab: demo store, current + 2 candidates", |b| {
        b.iter(|| black_box(try_schemes(&store, today, black_box(&candidates))))
    });
    let ladder = TierScheme {
        metric: Metric::LifetimeSpend,
        ..tier_presets::online_shop()
    };
    c.bench_function("lab: demo store, threshold drift", |b| {
        b.iter(|| black_box(threshold_drift(&store, &ladder, &[1_500, 500, 100], today)))
    });
}

criterion_group!(benches, lab);
criterion_main!(benches);
