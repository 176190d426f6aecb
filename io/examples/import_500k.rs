//! Times planning and committing a 500,000-row member file and a
//! 500,000-row purchase file natively:
//! `cargo run --release -p clientele-io --example import_500k`.

use chrono::NaiveDate;
use clientele_engine::Store;
use clientele_io::mapping::ImportKind;
use clientele_io::plan::{self, ImportSettings, MergeMode};
use clientele_io::{Mapping, ReadOptions};
use std::time::Instant;

fn run(label: &str, bytes: &[u8], kind: ImportKind, store: &mut Store) {
    let start = Instant::now();
    let opened = plan::open(bytes, &ReadOptions::default()).expect("opens");
    let mapping = Mapping::guess(&opened.headers);
    let settings = ImportSettings {
        kind,
        mode: MergeMode::AddAndUpdate,
        mapping,
        date_order: None,
        today: NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"),
        moving_in: Default::default(),
        device: clientele_engine::DeviceTag::new(1).unwrap(),
    };
    let mut imp = plan::Importer::new(opened, settings, store).expect("mapping");
    while !imp.step(5_000).expect("reads").finished {}
    let p = imp.finish();
    let planned = start.elapsed();
    plan::apply(&p, store).expect("applies");
    println!(
        "{label}: {} bytes, {} new rows, {} invalid; plan {:.2}s, total {:.2}s",
        bytes.len(),
        p.counts.new,
        p.counts.invalid,
        planned.as_secs_f64(),
        start.elapsed().as_secs_f64()
    );
}

fn main() {
    let n = 500_000u32;
    let mut members = String::from("会员卡号,姓名,手机,性别,生日,入会日期,门店\n");
    let mut purchases = String::from("会员卡号,小票号,消费日期,消费金额\n");
    for i in 0..n {
        members.push_str(&format!(
            "C{i:07},会员{i},139{i:08},女,{}-{},2024/3/{},旗舰店\n",
            i % 12 + 1,
            i % 28 + 1,
            i % 28 + 1
        ));
        purchases.push_str(&format!(
            "C{:07},R{i:08},2025-0{}-{:02} 14:30,\"¥1,{:03}.50\"\n",
            i % 100_000,
            i % 9 + 1,
            i % 28 + 1,
            i % 1000
        ));
    }
    let mut store = Store::default();
    run(
        "members",
        members.as_bytes(),
        ImportKind::Members,
        &mut store,
    );
    run(
        "purchases",
        purchases.as_bytes(),
        ImportKind::Purchases,
        &mut store,
    );
}
