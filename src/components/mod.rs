pub mod banner;
pub mod coming_soon;
pub mod lang_switch;
pub mod nav;
pub mod stat_card;
pub mod welcome;
