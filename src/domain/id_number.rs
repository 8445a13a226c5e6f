//! Resident ID numbers (居民身份证号码, GB 11643-1999): checking what was
//! typed, and what the number says about its holder (birth date, sex, the
//! place it was issued).
//!
//! This module owns the check-character arithmetic (also used by the demo data
//! generator) and the masked form shown in lookups. The address code is where
//! the number was issued, not where the person lives: people who moved in, and
//! codes since retired (513321, old Kangding), are normal, so an address
//! outside Garzê is only a warning. Problems are all about the `id_number` field.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use super::problem::Problem;
use super::rules::fold_fullwidth;

const FIELD: &str = "id_number";

/// Weights of the first 17 digits (ISO 7064 MOD 11-2).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each value of the weighted sum mod 11.
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
/// Address codes of Garzê Prefecture start with this.
pub const GARZE_PREFIX: &str = "5133";
/// Births before this are taken as typing slips, not as living residents.
const EARLIEST_BIRTH_YEAR: i32 = 1900;

/// Sex as encoded in an ID number (odd sequence = male).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    /// The stored code, one of [`codes::SEX`](super::codes::SEX).
    pub fn code(self) -> &'static str {
        match self {
            Sex::Male => "m",
            Sex::Female => "f",
        }
    }

    pub fn from_code(code: &str) -> Option<Sex> {
        match code {
            "m" => Some(Sex::Male),
            "f" => Some(Sex::Female),
            _ => None,
        }
    }
}

/// A checked ID number and what it encodes. Only [`parse_id_number`] makes
/// one, so holding one means the number passed every blocking check.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdNumber {
    normalized: String,
    birth_date: NaiveDate,
    sex: Sex,
    address_code: String,
    legacy: bool,
}

impl IdNumber {
    /// The number as stored: ASCII, upper-case `X`, 18 characters (15 for a
    /// legacy number, kept as issued rather than converted).
    pub fn as_str(&self) -> &str {
        &self.normalized
    }

    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    pub fn sex(&self) -> Sex {
        self.sex
    }

    /// The 6-digit code of the place that issued the number.
    pub fn address_code(&self) -> &str {
        &self.address_code
    }

    /// Whether this is an old 15-digit number.
    pub fn is_legacy(&self) -> bool {
        self.legacy
    }

    pub fn in_garze(&self) -> bool {
        self.address_code.starts_with(GARZE_PREFIX)
    }

    /// The 18-digit form: for a legacy number, the one the standard conversion
    /// gives (century 19 inserted, check character added), so a person entered
    /// once with each number can be found as one. The reissued card may still
    /// differ if the address code changed since.
    pub fn upgraded(&self) -> String {
        if !self.legacy {
            return self.normalized.clone();
        }
        let (address, rest) = self.normalized.split_at(6);
        let body = format!("{address}19{rest}");
        // 17 ASCII digits by construction, so check_char always answers.
        match check_char(&body) {
            Some(c) => format!("{body}{c}"),
            None => self.normalized.clone(),
        }
    }

    /// The number for lookup lists: see [`mask`].
    pub fn masked(&self) -> String {
        mask(&self.normalized)
    }
}

impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.normalized)
    }
}

/// The check character of an 18-character number from its first 17 digits;
/// `None` unless `first17` is exactly 17 ASCII digits.
pub fn check_char(first17: &str) -> Option<char> {
    let bytes = first17.as_bytes();
    if bytes.len() != 17 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = bytes
        .iter()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    Some(CHECK_CHARS[(sum % 11) as usize])
}

/// Checks a typed ID number. Surrounding whitespace is ignored, full-width
/// digits and a lower-case `x` are accepted and normalised.
///
/// `Err` is the one problem that makes the number unusable (length, a stray
/// character, wrong check character, impossible or future birth date). `Ok`
/// carries the number and its warnings: a legacy 15-digit number, an address
/// code outside Garzê. `today` is the date the entry is checked against.
pub fn parse_id_number(input: &str, today: NaiveDate) -> Result<(IdNumber, Vec<Problem>), Problem> {
    let folded = fold_fullwidth(input);
    let chars: Vec<char> = folded.trim().chars().collect();
    let legacy = match chars.len() {
        18 => false,
        15 => true,
        n => {
            return Err(Problem::error("rule.id_number.length")
                .on(FIELD)
                .arg("length", n));
        }
    };

    let mut normalized = String::with_capacity(18);
    for (i, &c) in chars.iter().enumerate() {
        let is_check_position = !legacy && i == 17;
        match c {
            '0'..='9' => normalized.push(c),
            'X' | 'x' if is_check_position => normalized.push('X'),
            _ => {
                return Err(Problem::error("rule.id_number.bad_char")
                    .on(FIELD)
                    .arg("char", c)
                    .arg("position", i + 1));
            }
        }
    }
    // From here `normalized` is ASCII, so byte slicing is safe.

    if !legacy {
        let expected = check_char(&normalized[..17]).unwrap_or('?');
        let found = normalized.as_bytes()[17] as char;
        if found != expected {
            return Err(Problem::error("rule.id_number.check_digit")
                .on(FIELD)
                .arg("expected", expected)
                .arg("found", found));
        }
    }

    let (date_digits, sequence) = if legacy {
        (format!("19{}", &normalized[6..12]), &normalized[12..15])
    } else {
        (normalized[6..14].to_owned(), &normalized[14..17])
    };
    let birth_date = birth_date_of(&date_digits)?;
    if birth_date > today {
        return Err(Problem::error("rule.id_number.future_birth")
            .on(FIELD)
            .arg("date", birth_date));
    }
    let sex = if (sequence.as_bytes()[2] - b'0') % 2 == 1 {
        Sex::Male
    } else {
        Sex::Female
    };

    let id = IdNumber {
        address_code: normalized[..6].to_owned(),
        normalized,
        birth_date,
        sex,
        legacy,
    };
    let mut warnings = Vec::new();
    if legacy {
        warnings.push(Problem::warning("rule.id_number.legacy_15").on(FIELD));
    }
    if !id.in_garze() {
        warnings.push(
            Problem::warning("rule.id_number.outside_garze")
                .on(FIELD)
                .arg("code", &id.address_code),
        );
    }
    Ok((id, warnings))
}

/// A real calendar date from 8 ASCII digits `YYYYMMDD`, not before
/// [`EARLIEST_BIRTH_YEAR`].
fn birth_date_of(digits: &str) -> Result<NaiveDate, Problem> {
    let shown = format!("{}-{}-{}", &digits[..4], &digits[4..6], &digits[6..8]);
    let invalid = || {
        Problem::error("rule.id_number.birth_date")
            .on(FIELD)
            .arg("date", &shown)
    };
    let year: i32 = digits[..4].parse().map_err(|_| invalid())?;
    let month: u32 = digits[4..6].parse().map_err(|_| invalid())?;
    let day: u32 = digits[6..8].parse().map_err(|_| invalid())?;
    let date = NaiveDate::from_ymd_opt(year, month, day).ok_or_else(invalid)?;
    if year < EARLIEST_BIRTH_YEAR {
        return Err(invalid());
    }
    Ok(date)
}

/// An ID number for lists and lookups where the full number is not needed:
/// first 6 and last 4 characters, the rest as stars (`513333********1234`).
/// Works on whatever was typed; anything too short to hide something is all
/// stars.
pub fn mask(id: &str) -> String {
    let chars: Vec<char> = id.trim().chars().collect();
    let n = chars.len();
    if n <= 10 {
        return "*".repeat(n);
    }
    let mut out: String = chars[..6].iter().collect();
    out.extend(std::iter::repeat_n('*', n - 10));
    out.extend(&chars[n - 4..]);
    out
}

/// A birth date where the ID number is masked: the year only
/// (`1985-**-**`). The whole date with a masked number would give the
/// number back (its hidden middle is the birth date).
pub fn mask_birth_date(date: NaiveDate) -> String {
    format!("{:04}-**-**", date.year())
}
