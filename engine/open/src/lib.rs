//! The two parses a reopen spends most of its time in: member documents
//! and purchase blocks. The console's wasm is compiled for size
//! (`opt-level = "z"`), at which serde_json's generic reader, instantiated
//! for these types, ran at half the speed of `opt-level = 3` (in V8, 100,000
//! members: 0.65 s against 0.33 s for the purchases). Generic code is
//! compiled in the crate that instantiates it, so instantiating it here,
//! in a crate the profile compiles for speed, speeds up just this path.
//!
//! The code is the engine's own reading (`Records`' `parse`), instantiated
//! again through a body type of this crate, so it is a copy of its own and
//! not the engine's size-compiled one.

use clientele_engine::members::model::{Member, Purchase};
use clientele_engine::store::records::Parsers;
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// The engine's parsers, compiled here.
pub const PARSERS: Parsers = Parsers {
    member: parse::<Member>,
    purchases: parse::<Vec<Purchase>>,
};

#[derive(Deserialize)]
struct Body<T> {
    d: T,
}

fn parse<T: DeserializeOwned>(json: &str) -> Result<T, String> {
    serde_json::from_str::<Body<T>>(json)
        .map(|b| b.d)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clientele_engine::demo::{demo_store_sized, DemoLanguage};
    use clientele_engine::store::records::{normalize, Records};

    /// The console's read gives what the engine's plain read gives.
    #[test]
    fn reads_as_the_engine_reads() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let mut store = demo_store_sized(3, today, DemoLanguage::Chinese, 300);
        normalize(&mut store);
        let docs: Vec<(String, String)> = Records::empty("w1")
            .changes(&store)
            .writes
            .into_iter()
            .filter_map(|w| Some((w.id, w.body?)))
            .collect();
        let rows = || docs.iter().map(|(id, body)| (id.as_str(), body.as_str()));
        let plain = Records::read_lent(rows(), "w2").unwrap();
        let fast = Records::read_lent_with(rows(), "w2", PARSERS).unwrap();
        assert_eq!(fast.store, plain.store);
        assert_eq!(fast.store, store);
        assert!(fast.set_aside.is_empty());
        // A broken block is set aside with the same reason either way.
        let mut broken = docs.clone();
        let at = broken
            .iter()
            .position(|(id, _)| id.starts_with("f:p:"))
            .unwrap();
        broken[at].1 =
            r#"{"d":[{"receipt":"R1","member":1,"at":"2026-02-30T10:00:00","amount":100}]}"#.into();
        let rows = || broken.iter().map(|(id, body)| (id.as_str(), body.as_str()));
        let plain = Records::read_lent(rows(), "w2").unwrap().set_aside;
        let fast = Records::read_lent_with(rows(), "w2", PARSERS)
            .unwrap()
            .set_aside;
        assert_eq!(fast.len(), 1);
        assert_eq!(format!("{fast:?}"), format!("{plain:?}"));
    }
}
