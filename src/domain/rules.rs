//! The small rules of the work that are not ID numbers or phones: dates, ages,
//! money in fen, people's names, exit years.
//!
//! This module owns the thresholds (minimum trainee age, working ages, the
//! income that deserves a second look) and how amounts of yuan are typed and
//! shown. It never reads the clock: "today" is always a parameter, so a rule
//! gives the same answer in a test, on a laptop with a wrong clock, and when
//! re-checking old records.
//!
//! Conventions: `parse_*` functions return the clean value or the one problem
//! that blocks it; `check_*` functions return the finding, if any, which may
//! be an error or a warning (push it into [`Findings`](super::Findings)).

use std::ops::RangeInclusive;

use chrono::{Datelike, NaiveDate};

use super::problem::Problem;

/// Trainees younger than this are refused.
pub const MIN_TRAINEE_AGE: u32 = 16;
/// Trainees from [`MIN_TRAINEE_AGE`] up to and including this age are minors:
/// accepted (the dropouts' programme is for them) but flagged.
pub const MINOR_MAX_AGE: u32 = 18;
/// The ages at which a household member is counted as a labourer by default.
pub const LABOURER_AGES: RangeInclusive<u32> = 16..=60;
/// Annual income above this (in fen: 200,000 yuan) is probably a typing slip
/// (fen for yuan, an extra zero), so it is flagged for a second look.
pub const HIGH_INCOME_FEN: i64 = 200_000 * 100;
/// The first year a household or village could exit poverty under the
/// registered-poor programme (建档立卡 began in 2013).
pub const FIRST_EXIT_YEAR: i32 = 2013;
/// Longest accepted name, in characters (Unicode scalar values). Tibetan names
/// take several code points per syllable, so this is generous for them too.
pub const NAME_MAX_CHARS: usize = 50;

/// Maps full-width ASCII forms (U+FF01 to U+FF5E, typed by Chinese input
/// methods in full-width mode: `１３８`, `ｘ`, `，`) to their ASCII twins, and
/// leaves every other character alone.
pub fn fold_fullwidth(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// An error if `date` is after `today`, about `field`.
#[must_use]
pub fn check_not_future(date: NaiveDate, today: NaiveDate, field: &'static str) -> Option<Problem> {
    (date > today).then(|| {
        Problem::error("rule.date.future")
            .on(field)
            .arg("date", date)
    })
}

/// A visit cannot be recorded before it happens.
#[must_use]
pub fn check_visit_date(date: NaiveDate, today: NaiveDate) -> Option<Problem> {
    check_not_future(date, today, "visit_date")
}

/// An error on `end_date` if a period (a training session, a post assignment)
/// ends before it starts. A one-day period (end = start) is fine.
#[must_use]
pub fn check_period(start: NaiveDate, end: NaiveDate) -> Option<Problem> {
    (end < start).then(|| {
        Problem::error("rule.date.end_before_start")
            .on("end_date")
            .arg("start", start)
            .arg("end", end)
    })
}

/// Age in completed years on `on` (周岁). Someone born on 29 February turns a
/// year older on 1 March in common years. A birth after `on` gives 0.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

/// A trainee's age on the day the session starts: an error below
/// [`MIN_TRAINEE_AGE`], a warning for minors up to [`MINOR_MAX_AGE`].
#[must_use]
pub fn check_trainee_age(birth: NaiveDate, on: NaiveDate) -> Option<Problem> {
    let age = age_on(birth, on);
    if age < MIN_TRAINEE_AGE {
        Some(
            Problem::error("rule.age.too_young")
                .on("birth_date")
                .arg("age", age)
                .arg("min", MIN_TRAINEE_AGE),
        )
    } else if age <= MINOR_MAX_AGE {
        Some(
            Problem::warning("rule.age.minor")
                .on("birth_date")
                .arg("age", age),
        )
    } else {
        None
    }
}

/// Whether a person of this age should be pre-marked as a labourer; the
/// surveyor can still change it (a 62-year-old herder may well work).
pub fn suggest_labourer(age: u32) -> bool {
    LABOURER_AGES.contains(&age)
}

/// An error on `field` if an amount of money is negative.
#[must_use]
pub fn check_not_negative(fen: i64, field: &'static str) -> Option<Problem> {
    (fen < 0).then(|| Problem::error("rule.money.negative").on(field))
}

/// A labourer's annual income: negative is an error, above
/// [`HIGH_INCOME_FEN`] a warning.
#[must_use]
pub fn check_annual_income(fen: i64) -> Option<Problem> {
    const FIELD: &str = "annual_income";
    check_not_negative(fen, FIELD).or_else(|| {
        (fen > HIGH_INCOME_FEN).then(|| {
            Problem::warning("rule.income.high")
                .on(FIELD)
                .arg("amount", format_yuan(fen))
        })
    })
}

/// Parses an amount of yuan as typed into fen: `6000`, `6000.5`, `6,000.50`,
/// also `¥6000`, `6000元` and full-width digits. Commas must group thousands
/// (so `60,00` is refused rather than guessed at); at most two decimals,
/// since fen is the smallest unit.
///
/// The problem has no field: the caller names it, e.g.
/// `parse_yuan(s).map_err(|p| p.on("subsidy"))`.
pub fn parse_yuan(input: &str) -> Result<i64, Problem> {
    let invalid = || Problem::error("rule.money.invalid").arg("input", input.trim());
    let folded = fold_fullwidth(input);
    let mut s = folded.trim();
    s = s.strip_prefix(['¥', '\u{FFE5}']).unwrap_or(s).trim_start();
    s = s.strip_suffix('元').unwrap_or(s).trim_end();
    let (negative, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };

    let (int_part, frac_part) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let int_digits = thousands_digits(int_part).ok_or_else(invalid)?;
    let frac = frac_part.unwrap_or("");
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    if int_digits.is_empty() && frac.is_empty() {
        return Err(invalid());
    }
    if negative {
        return Err(Problem::error("rule.money.negative"));
    }
    if frac.len() > 2 {
        return Err(Problem::error("rule.money.decimals"));
    }

    let mut fen: i64 = 0;
    let padded = format!("{frac:0<2}");
    for b in int_digits.bytes().chain(padded.bytes()) {
        fen = fen
            .checked_mul(10)
            .and_then(|f| f.checked_add(i64::from(b - b'0')))
            .ok_or_else(invalid)?;
    }
    Ok(fen)
}

/// The digits of an integer part, with thousands commas removed if they are
/// placed correctly; `None` if anything else is there.
fn thousands_digits(s: &str) -> Option<String> {
    let all_digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    if !s.contains(',') {
        return all_digits(s).then(|| s.to_owned());
    }
    let mut groups = s.split(',');
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 || !all_digits(first) {
        return None;
    }
    let mut out = first.to_owned();
    for g in groups {
        if g.len() != 3 || !all_digits(g) {
            return None;
        }
        out.push_str(g);
    }
    Some(out)
}

/// Fen as yuan with two decimals and no grouping (`600000` -> `6000.00`), the
/// form that Excel and [`parse_yuan`] both read back unchanged.
pub fn format_yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// A person's names: at least one of the Chinese and the Tibetan name, each
/// without control characters (a pasted tab or line break would break exports
/// and table layout) and at most [`NAME_MAX_CHARS`] long. Returns both trimmed.
pub fn check_names(zh: &str, bo: &str) -> Result<(String, String), Problem> {
    let zh = zh.trim();
    let bo = bo.trim();
    if zh.is_empty() && bo.is_empty() {
        return Err(Problem::error("rule.name.missing").on("name_zh"));
    }
    for (name, field) in [(zh, "name_zh"), (bo, "name_bo")] {
        if name.chars().any(char::is_control) {
            return Err(Problem::error("rule.name.control_char").on(field));
        }
        let length = name.chars().count();
        if length > NAME_MAX_CHARS {
            return Err(Problem::error("rule.name.too_long")
                .on(field)
                .arg("max", NAME_MAX_CHARS)
                .arg("length", length));
        }
    }
    Ok((zh.to_owned(), bo.to_owned()))
}

/// The year a household or village exited poverty: from [`FIRST_EXIT_YEAR`]
/// to this year (a planned exit is recorded when it happens, not before).
#[must_use]
pub fn check_exit_year(year: i32, today: NaiveDate) -> Option<Problem> {
    let max = today.year();
    (!(FIRST_EXIT_YEAR..=max).contains(&year)).then(|| {
        Problem::error("rule.year.exit_range")
            .on("exit_year")
            .arg("year", year)
            .arg("min", FIRST_EXIT_YEAR)
            .arg("max", max)
    })
}

/// A township's official code: 9 digits (county 513333 and 3 more).
pub fn township_code(v: &str, _today: NaiveDate) -> Option<Problem> {
    (v.len() != 9 || !v.bytes().all(|b| b.is_ascii_digit()))
        .then(|| Problem::error("rule.township.code_format").arg("code", v))
}

/// A village code: 12 digits, its township's 9 and 3 more. (That they are
/// its own township's is checked where the township is known.)
pub fn village_code(v: &str, _today: NaiveDate) -> Option<Problem> {
    (v.len() != 12 || !v.bytes().all(|b| b.is_ascii_digit()))
        .then(|| Problem::error("village.error.code_format").arg("code", v))
}

/// The column rule of an exit year (see [`check_exit_year`]).
pub fn exit_year(v: &str, today: NaiveDate) -> Option<Problem> {
    match v.parse::<i32>() {
        Ok(y) => check_exit_year(y, today),
        Err(_) => Some(
            Problem::error("rule.year.exit_range")
                .arg("year", v)
                .arg("min", FIRST_EXIT_YEAR)
                .arg("max", today.year()),
        ),
    }
}

/// A catalogue code (a course, a post type): lower-case letters, digits
/// and underscores, as in `motorcycle_repair`.
pub fn catalogue_code(v: &str, _today: NaiveDate) -> Option<Problem> {
    (!is_code(v)).then(|| Problem::error("rule.code.format").arg("code", v))
}

/// A count (seats, days): not negative, at most 10,000.
pub fn count(v: &str, _today: NaiveDate) -> Option<Problem> {
    match v.parse::<i64>() {
        Ok(n) if (0..=10_000).contains(&n) => None,
        _ => Some(Problem::error("rule.count.range").arg("value", v)),
    }
}

/// Class hours: not negative, at most 5,000.
pub fn hours(v: &str, _today: NaiveDate) -> Option<Problem> {
    match v.parse::<i64>() {
        Ok(n) if (0..=5_000).contains(&n) => None,
        _ => Some(Problem::error("rule.hours.range").arg("value", v)),
    }
}

/// A session's code: its course's code, the start year and the period, as
/// `cooking-2026-03` (empty until the session is first saved).
pub fn session_code(v: &str, _today: NaiveDate) -> Option<Problem> {
    let ok = v.rsplitn(3, '-').collect::<Vec<_>>();
    let well_formed = ok.len() == 3
        && ok[0].len() >= 2
        && ok[0].bytes().all(|b| b.is_ascii_digit())
        && ok[1].len() == 4
        && ok[1].bytes().all(|b| b.is_ascii_digit())
        && is_code(ok[2]);
    (!well_formed).then(|| Problem::error("rule.session.code").arg("code", v))
}

/// The code a session gets: its course's code, its start year and period.
pub fn make_session_code(course: &str, start: NaiveDate, period: i64) -> String {
    use chrono::Datelike;
    format!("{course}-{}-{period:02}", start.year())
}

/// A code as stored in a catalogue (`motorcycle_repair`): lower-case ASCII
/// letters, digits and underscores.
pub fn is_code(v: &str) -> bool {
    !v.is_empty()
        && v.len() <= 40
        && v.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// A household number (建档立卡户编号): 18 digits, its village's 12-digit
/// code and six more. (That they are its own village's is checked where
/// the village is known: [`number_of_its_village`].)
pub fn household_number(v: &str, _today: NaiveDate) -> Option<Problem> {
    (v.len() != 18 || !v.bytes().all(|b| b.is_ascii_digit()))
        .then(|| Problem::error("household.error.number_format").arg("number", v))
}

/// A household number starts with its village's code.
pub fn number_of_its_village(number: &str, village_code: &str) -> Option<Problem> {
    (!number.starts_with(village_code)).then(|| {
        Problem::error("household.error.number_village")
            .on("number")
            .arg("number", number)
            .arg("village", village_code)
    })
}

/// A village code starts with its township's code.
pub fn code_of_its_township(code: &str, township_code: &str) -> Option<Problem> {
    (!code.starts_with(township_code)).then(|| {
        Problem::error("village.error.code_township")
            .on("code")
            .arg("code", code)
            .arg("township", township_code)
    })
}

/// A survey round: the start-of-year round of a year from the first year
/// of the registered-poor programme to next year (`2026-start`).
pub fn survey_round(v: &str, today: NaiveDate) -> Option<Problem> {
    let year = v
        .strip_suffix("-start")
        .filter(|y| y.len() == 4)
        .and_then(|y| y.parse::<i32>().ok());
    match year {
        Some(y) if (FIRST_EXIT_YEAR..=today.year() + 1).contains(&y) => None,
        _ => Some(Problem::error("rule.round.format").arg("round", v)),
    }
}
