//! The one place that reads the clock. Calendar dates are China Standard Time
//! (UTC+8, where the county is); timestamps are UTC.
//!
//! `FIELDBOOK_TODAY=YYYY-MM-DD` pins "today" so screens and tests that show
//! or check the date are reproducible.

use chrono::{FixedOffset, NaiveDate, Utc};

/// Today's date in China Standard Time (or `FIELDBOOK_TODAY`).
pub fn today() -> NaiveDate {
    if let Some(d) = std::env::var("FIELDBOOK_TODAY")
        .ok()
        .and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
    {
        return d;
    }
    let cst = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    Utc::now().with_timezone(&cst).date_naive()
}

/// Now, UTC, as stored: RFC 3339 with milliseconds, so text order is time order.
pub fn now_utc() -> String {
    Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// The days values are checked against (see [`crate::domain::table::Days`]).
pub fn days() -> crate::domain::table::Days {
    crate::domain::table::Days {
        today: today(),
        utc_today: Utc::now().date_naive(),
    }
}

/// A stored UTC time as the county reads it: China Standard Time,
/// `YYYY-MM-DD HH:MM` (the text as it is if it is not a stored time).
pub fn local_time(at: &str) -> String {
    let cst = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| t.with_timezone(&cst).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| at.to_owned())
}
