//! Care (客户关怀): the stored contact log and maintenance plans, the work
//! derived from them as of a date, and campaign lists.

pub mod campaign;
pub mod log;
pub mod message;
pub mod results;
pub mod staff;
pub mod today;
pub mod work;
