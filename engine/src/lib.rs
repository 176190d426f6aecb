//! Clientele's engine: pure Rust, no browser, no clock. Every computation
//! that depends on "today" takes an explicit as-of date.

pub mod care;
pub mod demo;
pub mod members;
pub mod model;
pub mod money;
pub mod search;
pub mod store;

pub use model::{Member, MemberId, Purchase, Return};
pub use money::Money;
pub use store::Store;
