//! Plain types and rules of the work: resident ID numbers, phones, dates,
//! ages, money, names, and the coded choice lists. No SQL, no terminal.

pub mod codes;
pub mod employment;
pub mod id_number;
pub mod phone;
pub mod posts;
pub mod problem;
pub mod records;
pub mod review;
pub mod rules;
pub mod table;

pub use problem::{Findings, Problem, Severity};
