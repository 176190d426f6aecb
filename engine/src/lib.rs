//! Clientele's engine: pure Rust, no browser, no clock. Every computation
//! that depends on "today" takes an explicit as-of date.
//!
//! The rooms (see `ARCHITECTURE.md`): [`members`] (the member and purchase
//! records, ids, editing, search), [`points`] (schemes, tiers, earning, the
//! ledger and its replay, the scheme lab), [`store`] (the saved document,
//! its database records and value checks), [`care`] (the care log and the
//! work derived from it, campaign lists) and [`analytics`] (customer value
//! models and programme health). [`money`], `order`, `fxhash` and [`demo`]
//! serve them all.

pub mod analytics;
pub mod care;
mod dates;
pub mod demo;
mod fxhash;
pub mod members;
pub mod money;
pub mod order;
pub mod points;
pub mod store;

pub use members::ids::{DeviceTag, IdSeries};
pub use members::model::{Member, MemberId, Purchase, Return};
pub use money::Money;
pub use store::document::Store;
