//! Prints the size of the demo boutique: `cargo run --release -p clientele-engine --example demo_stats -- 100000`.
use chrono::NaiveDate;
use clientele_engine::demo::{demo_store_sized, DemoLanguage};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000);
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
    let s = demo_store_sized(20_261_123, today, DemoLanguage::Chinese, n);
    let json = serde_json::to_string(&s).unwrap_or_default();
    println!(
        "{} members, {} purchases, {} returns, {} bytes of JSON ({} UTF-16 units)",
        s.members.len(),
        s.purchases.len(),
        s.returns.len(),
        json.len(),
        json.encode_utf16().count()
    );
    let packed = clientele_engine::store::document::pack(&json);
    println!(
        "packed for the browser: {} UTF-16 units ({:.1}% of the JSON)",
        packed.encode_utf16().count(),
        100.0 * packed.encode_utf16().count() as f64 / json.encode_utf16().count() as f64
    );
    if let Ok(r) = clientele_engine::points::replay::replay_store(&s, today) {
        println!(
            "tiers {:?}, points issued {} outstanding {}",
            r.totals.tier_counts, r.totals.issued, r.totals.outstanding
        );
    }
}
