pub mod care;
pub mod checkout;
pub mod dashboard;
pub mod data;
pub mod members;
pub mod points;
pub mod segments;
pub mod settings;
