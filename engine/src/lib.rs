//! Clientele's engine: pure Rust, no browser, no clock. Every computation
//! that depends on "today" takes an explicit as-of date.

pub mod calibrate;
pub mod campaign;
pub mod care;
pub mod checkout;
pub mod demo;
pub mod earning;
pub mod explain;
mod fxhash;
pub mod health;
pub mod ids;
pub mod lab;
pub mod ledger;
pub mod members;
pub mod model;
pub mod money;
pub mod order;
pub mod points_events;
pub mod records;
pub mod replay;
pub mod scheme;
pub mod search;
pub mod store;
pub mod tiers;
pub mod validate;

pub use ids::{DeviceTag, IdSeries};
pub use model::{Member, MemberId, Purchase, Return};
pub use money::Money;
pub use store::Store;
pub mod analytics;
