//! The store: the one document a boutique keeps (envelope, migrations), its
//! layout as database records, and the value checks it must pass to open.

pub mod document;
pub mod edits;
pub mod facts;
pub mod records;
pub mod validate;
