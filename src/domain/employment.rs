//! Employment records: what a record's place and channel make of its kind,
//! and the months it covers. No SQL here; the store's rules across a
//! person's records are in `store::employment`.

use super::posts::Setting;
use super::problem::Problem;

/// A monthly income outside these (100 and 30,000 yuan, in fen) is
/// flagged, as the peer checker does: a warning, never a refusal.
pub const MIN_MONTHLY_INCOME_FEN: i64 = 10_000;
pub const MAX_MONTHLY_INCOME_FEN: i64 = 3_000_000;

/// A training counts as leading to work that starts within this many
/// months of its end.
pub const EMPLOYED_WITHIN_MONTHS: i64 = 6;

/// How many months of work count as transfer employment (转移就业): 3 for
/// a subsidy in many counties, 6 in the national migrant-worker statistic.
/// The county's setting.
pub const TRANSFER_MONTHS: Setting = Setting {
    key: "employment.transfer_months",
    default: 3,
    min: 1,
    max: 12,
};

/// The people under 16 are not recorded as working.
pub const MIN_WORKING_AGE: u32 = 16;

/// A monthly income the peer checker would flag.
pub fn income_warning(monthly_fen: i64) -> Option<Problem> {
    (!(MIN_MONTHLY_INCOME_FEN..=MAX_MONTHLY_INCOME_FEN).contains(&monthly_fen)).then(|| {
        Problem::warning("employment.warning.income")
            .on("monthly_income_fen")
            .arg("amount", super::rules::format_yuan(monthly_fen))
    })
}

/// Whether a record's kind is work (not a labourer's plans).
pub fn is_work(kind: &str) -> bool {
    super::codes::is_working(kind)
}

/// The `EMPLOYMENT_STATUS` a spell of work is, by its channel and place: a
/// post, a cooperative and self-employment by their channel, other work by
/// where it is.
pub fn kind_of(place_tier: &str, channel: &str) -> &'static str {
    match channel {
        "welfare_post" => "welfare_post",
        "labour_cooperative" => "cooperative",
        "self_employed" => "self_employed",
        _ => match place_tier {
            "in_province" => "in_province",
            "out_of_province" => "out_of_province",
            _ => "local_short_term",
        },
    }
}

/// A month `YYYY-MM` as a number of months since year 0, if it is one.
pub fn month_index(month: &str) -> Option<i64> {
    let (y, m) = month.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let (y, m): (i64, i64) = (y.parse().ok()?, m.parse().ok()?);
    (1..=12).contains(&m).then_some(y * 12 + m - 1)
}

/// The month `n` months after `month` (`YYYY-MM`).
pub fn add_months(month: &str, n: i64) -> Option<String> {
    let i = month_index(month)? + n;
    Some(format!(
        "{:04}-{:02}",
        i.div_euclid(12),
        i.rem_euclid(12) + 1
    ))
}

/// How many months a spell covers, both ends counted (`2025-04` to
/// `2025-06` is 3); a spell still running counts to `until`.
pub fn months_worked(start: &str, end: Option<&str>, until: &str) -> Option<i64> {
    let s = month_index(start)?;
    let e = month_index(end.unwrap_or(until))?;
    Some((e - s + 1).max(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_count_both_ends() {
        assert_eq!(
            months_worked("2025-04", Some("2025-06"), "2026-01"),
            Some(3)
        );
        assert_eq!(months_worked("2025-11", None, "2026-02"), Some(4));
        assert_eq!(
            months_worked("2025-11", Some("2025-10"), "2026-02"),
            Some(0)
        );
        assert_eq!(add_months("2025-11", 3).as_deref(), Some("2026-02"));
        assert_eq!(month_index("2025-13"), None);
    }

    #[test]
    fn kind_follows_channel_then_place() {
        assert_eq!(kind_of("in_county", "labour_cooperative"), "cooperative");
        assert_eq!(
            kind_of("out_of_province", "organised_transfer"),
            "out_of_province"
        );
        assert_eq!(kind_of("in_county", "own"), "local_short_term");
    }
}
