//! Any bytes through the CSV reader and a whole import plan: never a panic.
#![no_main]

use clientele_engine::Store;
use clientele_io::plan::{self, ImportSettings, MergeMode};
use clientele_io::{Mapping, ReadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = clientele_io::read::read_table(data, &ReadOptions::default());
    if let Ok(opened) = plan::open(data, &ReadOptions::default()) {
        let mapping = Mapping::guess(&opened.headers);
        let settings = ImportSettings {
            kind: mapping.guess_kind(),
            mode: MergeMode::AddAndUpdate,
            mapping,
            date_order: None,
            today: chrono_today(),
            moving_in: Default::default(),
            device: clientele_engine::DeviceTag::new(1).unwrap(),
        };
        if let Ok(importer) = plan::Importer::new(opened, settings, &Store::default()) {
            let _ = importer.run();
        }
    }
});

fn chrono_today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
}
