pub mod banner;
pub mod coming_soon;
pub mod lang_switch;
pub mod member_picker;
pub mod nav;
pub mod points_panel;
pub mod stat_card;
pub mod welcome;
