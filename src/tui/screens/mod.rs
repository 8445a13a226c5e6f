//! One file per screen. A screen owns its state, turns actions into state
//! changes (reading and writing through the store), and draws itself from
//! that state without changing it. The contract they keep is
//! `tui::screen`; `tui::router` builds them.

pub mod drafts;
pub mod form;
pub mod history;
pub mod home;
pub mod household;
pub mod post_month;
pub mod posts;
pub mod register;
pub mod reports;
pub mod review;
pub mod search;
pub mod settings;
pub mod training;
pub mod villages;
pub mod work;
