//! Members: the member and purchase records every room works on, member
//! ids unique across devices, adding and editing members, and search.

pub mod edit;
pub mod ids;
pub mod merge;
pub mod model;
pub mod search;
