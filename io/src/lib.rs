//! Clientele's files in and out: pure Rust, no browser, no clock.
//! [`read`] turns bytes into rows, [`mapping`] says which column is which
//! field, [`values`] reads dates and money, [`plan`] builds an import
//! preview against the store and commits it all at once, [`export`]
//! writes CSV and xlsx, campaign lists and backups.

pub mod export;
pub mod mapping;
pub mod plan;
pub mod read;
pub mod values;

pub use mapping::{Field, ImportKind, Mapping};
pub use plan::{apply, ImportPlan, Importer, MergeMode};
pub use read::{ReadError, ReadOptions, TextEncoding};
