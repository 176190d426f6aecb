//! Points and tiers: the scheme and its tier ladder, what a receipt earns,
//! the ledger replayed from the stored history, checkout, and the scheme lab.

pub mod calibrate;
pub mod checkout;
pub mod earning;
pub mod events;
pub mod explain;
pub mod lab;
pub mod ledger;
pub mod replay;
pub mod rules;
pub mod scheme;
pub mod tiers;
