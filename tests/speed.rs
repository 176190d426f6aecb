//! How long the derived views take in the browser for a large store:
//! replay, programme health and the segment analysis of 100,000 generated
//! members, as the dashboard and segments pages compute them on a store
//! change. Ignored by default (it prints figures, it asserts no timing):
//! `wasm-pack`-free run:
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --release --target wasm32-unknown-unknown --test speed -- --include-ignored`
#![cfg(target_arch = "wasm32")]

use chrono::NaiveDate;
use clientele_engine::analytics::health::programme_health;
use clientele_engine::analytics::{
    analyze_store_with, at_risk_vips, member_context_from_replay, AnalysisSettings,
};
use clientele_engine::demo::{demo_store_sized, DemoLanguage};
use clientele_engine::points::replay::replay_store;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now() -> f64 {
    js_sys::Date::now()
}

#[wasm_bindgen_test]
#[ignore]
fn derived_views_of_100k_members() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    for n in [1_000usize, 100_000] {
        let t0 = now();
        let store = demo_store_sized(20_261_123, today, DemoLanguage::Chinese, n);
        let t1 = now();
        let replay = replay_store(&store, today).unwrap();
        let t2 = now();
        let health = programme_health(&store, &replay, today);
        let t3 = now();
        let settings = AnalysisSettings::default();
        let context = member_context_from_replay(&store, &replay, &settings);
        let analysis = analyze_store_with(&store, today, &settings, &context);
        let t4 = now();
        let risk = at_risk_vips(&analysis).len();
        let t5 = now();
        console_log!(
            "{n} members, {} purchases: generate {:.0} ms, replay {:.0} ms, health {:.0} ms, analysis {:.0} ms, at-risk {:.0} ms ({} active, {} at risk)",
            store.purchases.len(),
            t1 - t0,
            t2 - t1,
            t3 - t2,
            t4 - t3,
            t5 - t4,
            health.active.len(),
            risk
        );
        assert_eq!(analysis.members.len(), n);
    }
}
