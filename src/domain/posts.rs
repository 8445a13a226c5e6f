//! The rules of public-welfare posts that need no database: months and
//! their days, agreements, who may hold a post by age, and the month's
//! subsidy. The rules across rows (one holder per post, one post per
//! person, a month paid once) are the store's (`crate::store::posts`).
//!
//! Money is integer fen throughout; nothing here reads the clock.

use chrono::{Datelike, Months, NaiveDate};

use super::problem::Problem;
use super::rules;

/// Holders younger than this on the agreement's first day are refused.
pub const MIN_HOLDER_AGE: u32 = 16;
/// New holders older than this are refused, unless the county's setting
/// allows up to [`MAX_NEW_HOLDER_AGE_ALLOWED`].
pub const DEFAULT_MAX_NEW_HOLDER_AGE: u32 = 60;
pub const MAX_NEW_HOLDER_AGE_ALLOWED: u32 = 65;
/// The days of attendance a month that earn the whole subsidy, by default.
pub const DEFAULT_REQUIRED_DAYS: i64 = 22;
/// The day of the month by which the month's attendance is due.
pub const DEFAULT_ATTENDANCE_DUE_DAY: u32 = 25;
/// The county's standard: a village that exited poverty holds at least
/// this many posts.
pub const DEFAULT_VILLAGE_STANDARD: i64 = 5;
/// A post type's monthly subsidy when none is given: 500 yuan (6,000 a year).
pub const DEFAULT_MONTHLY_SUBSIDY_FEN: i64 = 50_000;

/// The settings of the posts area (in the `settings` table), with their
/// defaults and the values each takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    pub key: &'static str,
    pub default: i64,
    pub min: i64,
    pub max: i64,
}

pub const REQUIRED_DAYS: Setting = Setting {
    key: "posts.required_days",
    default: DEFAULT_REQUIRED_DAYS,
    min: 1,
    max: 31,
};
pub const MAX_NEW_HOLDER_AGE: Setting = Setting {
    key: "posts.max_new_holder_age",
    default: DEFAULT_MAX_NEW_HOLDER_AGE as i64,
    min: DEFAULT_MAX_NEW_HOLDER_AGE as i64,
    max: MAX_NEW_HOLDER_AGE_ALLOWED as i64,
};
pub const ATTENDANCE_DUE_DAY: Setting = Setting {
    key: "posts.attendance_due_day",
    default: DEFAULT_ATTENDANCE_DUE_DAY as i64,
    min: 1,
    max: 28,
};
pub const VILLAGE_STANDARD: Setting = Setting {
    key: "posts.village_standard",
    default: DEFAULT_VILLAGE_STANDARD,
    min: 1,
    max: 100,
};
pub const SETTINGS: [Setting; 4] = [
    REQUIRED_DAYS,
    MAX_NEW_HOLDER_AGE,
    ATTENDANCE_DUE_DAY,
    VILLAGE_STANDARD,
];

impl Setting {
    /// The stored text as this setting's value: the default when it is
    /// missing or not one of the values the setting takes.
    pub fn read(self, stored: Option<&str>) -> i64 {
        stored
            .and_then(|s| s.trim().parse::<i64>().ok())
            .filter(|v| (self.min..=self.max).contains(v))
            .unwrap_or(self.default)
    }

    /// Why `v` cannot be this setting's value, if it cannot.
    pub fn check(self, v: i64) -> Option<Problem> {
        (!(self.min..=self.max).contains(&v)).then(|| {
            Problem::error("posts.settings.range")
                .arg("min", self.min)
                .arg("max", self.max)
        })
    }
}

/// A month, `YYYY-MM`: its first and last days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub first: NaiveDate,
}

impl Month {
    /// The month written `YYYY-MM` (also `YYYY/MM`, `YYYYMM`, `YYYY-M`).
    pub fn parse(s: &str) -> Option<Month> {
        let s = rules::fold_fullwidth(s.trim());
        let (y, m) = match s.split_once(['-', '/', '.', '年']) {
            Some((y, m)) => (y, m.trim_end_matches('月')),
            None if s.len() == 6 => s.split_at(4),
            None => return None,
        };
        if y.len() != 4 || m.is_empty() || m.len() > 2 {
            return None;
        }
        let y: i32 = y.parse().ok()?;
        let m: u32 = m.parse().ok()?;
        NaiveDate::from_ymd_opt(y, m, 1).map(|first| Month { first })
    }

    /// The month a day falls in.
    pub fn of(day: NaiveDate) -> Month {
        Month {
            first: day.with_day(1).unwrap_or(day),
        }
    }

    pub fn last(self) -> NaiveDate {
        self.first + Months::new(1) - chrono::Days::new(1)
    }

    /// How many days the month has (28 to 31).
    pub fn days(self) -> i64 {
        i64::from(self.last().day())
    }

    pub fn next(self) -> Month {
        Month {
            first: self.first + Months::new(1),
        }
    }

    pub fn prev(self) -> Month {
        Month {
            first: self.first - Months::new(1),
        }
    }

    pub fn year(self) -> i32 {
        self.first.year()
    }

    /// The day of this month, or its last day if it has no such day.
    pub fn day(self, day: u32) -> NaiveDate {
        self.first
            .with_day(day)
            .unwrap_or_else(|| self.last())
            .min(self.last())
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.first.year(), self.first.month())
    }
}

/// The agreement's last day by default: a year after its first, less a day.
pub fn default_agreement_end(start: NaiveDate) -> NaiveDate {
    // The anniversary of 29 February is 1 March (chrono would give 28 February).
    let anniversary = if (start.month(), start.day()) == (2, 29) {
        NaiveDate::from_ymd_opt(start.year() + 1, 3, 1).unwrap_or(start)
    } else {
        start + Months::new(12)
    };
    anniversary - chrono::Days::new(1)
}

/// The days a holder is under agreement: from its start to the earlier of
/// its end and the day they left.
pub fn agreement_period(
    start: NaiveDate,
    agreement_end: NaiveDate,
    left: Option<NaiveDate>,
) -> (NaiveDate, NaiveDate) {
    let end = left.map_or(agreement_end, |l| l.min(agreement_end));
    (start, end)
}

/// The calendar days of `month` inside the period `from..=to` (0 when
/// they do not meet).
pub fn days_inside(month: Month, from: NaiveDate, to: NaiveDate) -> i64 {
    let a = from.max(month.first);
    let b = to.min(month.last());
    if b < a { 0 } else { (b - a).num_days() + 1 }
}

/// A month's subsidy: the days that count and the amount in fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subsidy {
    pub days_counted: i64,
    pub amount_fen: i64,
}

/// **month's subsidy = monthly subsidy ÷ required days × days counted**,
/// where the days counted are the days worked, but no more than the
/// agreement's calendar days in the month (days outside the agreement do
/// not count) and no more than the required days (the monthly subsidy is
/// the most a month pays). Rounded to the nearest fen, half a fen up
/// (四舍五入), computed in integers: no floating point.
pub fn month_subsidy(
    standard_fen: i64,
    required_days: i64,
    days_worked: i64,
    agreement_days: i64,
) -> Subsidy {
    let required = required_days.max(1);
    let counted = days_worked.min(agreement_days).min(required).max(0);
    let standard = standard_fen.max(0);
    // standard × counted / required, rounded half up: (2·s·c + r) / (2·r).
    let amount = (2 * i128::from(standard) * i128::from(counted) + i128::from(required))
        / (2 * i128::from(required));
    Subsidy {
        days_counted: counted,
        amount_fen: i64::try_from(amount).unwrap_or(i64::MAX),
    }
}

/// A post's required days: 1 to 31.
pub fn required_days_rule(v: &str, _today: NaiveDate) -> Option<Problem> {
    match v.parse::<i64>() {
        Ok(n) if (1..=31).contains(&n) => None,
        _ => Some(Problem::error("post.error.required_days").arg("value", v)),
    }
}

fn date(get: &dyn Fn(&str) -> String, column: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&get(column), "%Y-%m-%d").ok()
}

/// A post closes after it opens, and its insurance ends after it starts.
pub fn post_dates_in_order(get: &dyn Fn(&str) -> String) -> Option<Problem> {
    if let (Some(a), Some(b)) = (date(get, "opened_on"), date(get, "closed_on"))
        && b < a
    {
        return Some(
            Problem::error("rule.date.end_before_start")
                .on("closed_on")
                .arg("start", a)
                .arg("end", b),
        );
    }
    if let (Some(a), Some(b)) = (date(get, "insurance_start"), date(get, "insurance_end"))
        && b < a
    {
        return Some(
            Problem::error("rule.date.end_before_start")
                .on("insurance_end")
                .arg("start", a)
                .arg("end", b),
        );
    }
    None
}

/// An agreement ends after it starts, the holder leaves after it starts,
/// and a holder who left gives the reason (one who has not, none).
pub fn assignment_in_order(get: &dyn Fn(&str) -> String) -> Option<Problem> {
    let start = date(get, "start_date")?;
    if let Some(end) = date(get, "agreement_end")
        && end < start
    {
        return Some(
            Problem::error("rule.date.end_before_start")
                .on("agreement_end")
                .arg("start", start)
                .arg("end", end),
        );
    }
    match date(get, "end_date") {
        Some(left) if left < start => Some(
            Problem::error("rule.date.end_before_start")
                .on("end_date")
                .arg("start", start)
                .arg("end", left),
        ),
        Some(_) if get("end_reason").is_empty() => {
            Some(Problem::error("assignment.error.reason_required").on("end_reason"))
        }
        None if !get("end_reason").is_empty() => {
            Some(Problem::error("assignment.error.reason_without_end").on("end_date"))
        }
        _ => None,
    }
}

/// Days worked: none below 0, none above the days of the month.
pub fn days_within_month(get: &dyn Fn(&str) -> String) -> Option<Problem> {
    let month = Month::parse(&get("month"))?;
    let days: i64 = get("days_worked").parse().ok()?;
    (!(0..=month.days()).contains(&days)).then(|| {
        Problem::error("post_attendance.error.days")
            .on("days_worked")
            .arg("days", days)
            .arg("month", month)
            .arg("max", month.days())
    })
}

/// A subsidy entry once paid is final: not changed, whoever saves.
pub fn paid_is_final(
    before: Option<&dyn Fn(&str) -> String>,
    after: &dyn Fn(&str) -> String,
    _role: super::review::Role,
) -> Option<Problem> {
    let before = before?;
    let paid = before("paid_on");
    if paid.is_empty() {
        return None;
    }
    let changed = <super::records::SubsidyPayment as super::table::Record>::TABLE
        .columns
        .iter()
        .any(|c| before(c.name) != after(c.name));
    changed.then(|| {
        Problem::error("payment.error.paid_final")
            .arg("month", before("month"))
            .arg("date", paid)
    })
}

/// The age rules for a new holder on the agreement's first day: 16 or
/// over, and not over `max_age` (the setting).
pub fn check_holder_age(birth: NaiveDate, start: NaiveDate, max_age: u32) -> Option<Problem> {
    let age = rules::age_on(birth, start);
    if age < MIN_HOLDER_AGE {
        Some(
            Problem::error("assignment.error.too_young")
                .on("person_id")
                .arg("age", age)
                .arg("min", MIN_HOLDER_AGE),
        )
    } else if age > max_age {
        Some(
            Problem::error("assignment.error.too_old")
                .on("person_id")
                .arg("age", age)
                .arg("max", max_age),
        )
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn months_parse_and_count_their_days() {
        let feb = Month::parse("2024-02").unwrap();
        assert_eq!(feb.days(), 29);
        assert_eq!(Month::parse("2026/2").unwrap().days(), 28);
        assert_eq!(Month::parse("202611").unwrap().to_string(), "2026-11");
        assert_eq!(Month::parse("2026年11月").unwrap().to_string(), "2026-11");
        assert_eq!(Month::parse("2026-13"), None);
        assert_eq!(Month::parse("26-11"), None);
        assert_eq!(Month::parse(""), None);
        assert_eq!(feb.next().to_string(), "2024-03");
        assert_eq!(feb.prev().to_string(), "2024-01");
        assert_eq!(Month::parse("2026-02").unwrap().day(31), d(2026, 2, 28));
    }

    #[test]
    fn the_subsidy_is_the_standard_by_required_days_times_days_counted() {
        // 500 yuan, 22 days required, 22 worked: the whole 500.
        assert_eq!(month_subsidy(50_000, 22, 22, 30).amount_fen, 50_000);
        // 15 days: 50000 × 15 / 22 = 34090.909... → 34091 fen.
        assert_eq!(month_subsidy(50_000, 22, 15, 30).amount_fen, 34_091);
        // 16 days: 36363.636... → 36364.
        assert_eq!(month_subsidy(50_000, 22, 16, 30).amount_fen, 36_364);
        // Half a fen rounds up: 1 fen × 1 / 2 = 0.5 → 1.
        assert_eq!(month_subsidy(1, 2, 1, 30).amount_fen, 1);
        // More days than required: the month pays at most the standard.
        let s = month_subsidy(50_000, 22, 26, 30);
        assert_eq!((s.days_counted, s.amount_fen), (22, 50_000));
        // Days outside the agreement do not count.
        let s = month_subsidy(50_000, 22, 20, 16);
        assert_eq!((s.days_counted, s.amount_fen), (16, 36_364));
        assert_eq!(month_subsidy(50_000, 22, 0, 30).amount_fen, 0);
    }

    #[test]
    fn days_inside_count_the_agreement_within_the_month() {
        let nov = Month::parse("2026-11").unwrap();
        assert_eq!(days_inside(nov, d(2026, 11, 15), d(2027, 11, 14)), 16);
        assert_eq!(days_inside(nov, d(2026, 1, 1), d(2026, 12, 31)), 30);
        assert_eq!(days_inside(nov, d(2026, 12, 1), d(2027, 11, 30)), 0);
        assert_eq!(days_inside(nov, d(2026, 1, 1), d(2026, 11, 10)), 10);
        assert_eq!(default_agreement_end(d(2026, 11, 15)), d(2027, 11, 14));
        assert_eq!(default_agreement_end(d(2024, 2, 29)), d(2025, 2, 28));
        assert_eq!(default_agreement_end(d(2023, 3, 1)), d(2024, 2, 29));
    }

    #[test]
    fn holders_are_16_or_over_and_new_ones_not_over_the_setting() {
        let start = d(2026, 11, 1);
        assert!(check_holder_age(d(2010, 11, 2), start, 60).is_some());
        assert!(check_holder_age(d(2010, 11, 1), start, 60).is_none());
        assert!(check_holder_age(d(1966, 11, 1), start, 60).is_none());
        assert!(check_holder_age(d(1965, 11, 1), start, 60).is_some());
        assert!(check_holder_age(d(1965, 11, 1), start, 65).is_none());
    }
}
