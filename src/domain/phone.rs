//! Phone numbers of households and people: mainland mobiles and landlines
//! with their area code, as typed by hand or pasted from a spreadsheet.
//!
//! This module owns the one stored form of a number, so that the same phone
//! typed two ways is found as one: a mobile as its 11 digits
//! (`13812345678`), a landline as area code, dash, local number
//! (`0836-8522345`). Problems are about the `phone` field; a caller checking
//! another field renames it with `.on(...)`.

use super::problem::Problem;
use super::rules::fold_fullwidth;

const FIELD: &str = "phone";

/// Checks a typed phone number and returns its stored form.
///
/// Accepts spaces, dashes and brackets anywhere (`138 1234 5678`,
/// `(0836)852-2345`), full-width digits, and a leading `+86`, `0086` or `86`
/// (the last only before a mobile, where it cannot be mistaken). After a
/// country code a landline may lack its leading 0 (`+86 836 8522345`).
pub fn parse_phone(input: &str) -> Result<String, Problem> {
    let folded = fold_fullwidth(input);
    let mut digits = String::with_capacity(16);
    let mut plus = false;
    for c in folded.trim().chars() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if digits.is_empty() && !plus => plus = true,
            '-' | '(' | ')' => {}
            c if c.is_whitespace() => {}
            c => {
                return Err(Problem::error("rule.phone.bad_char")
                    .on(FIELD)
                    .arg("char", c));
            }
        }
    }
    // `digits` is ASCII from here, so byte slicing is safe.

    let international = if plus {
        // Only mainland numbers are expected; "+1 ..." is not a typo we can fix.
        Some(digits.strip_prefix("86").ok_or_else(invalid)?)
    } else if let Some(rest) = digits.strip_prefix("0086") {
        Some(rest)
    } else if digits.len() == 13 && digits.starts_with("86") && is_mobile(&digits[2..]) {
        Some(&digits[2..])
    } else {
        None
    };
    let national = match international {
        Some(n) if n.is_empty() || is_mobile(n) || n.starts_with('0') => n.to_owned(),
        // Dialled from abroad, a landline drops its trunk 0 (010 -> 10).
        Some(n) => format!("0{n}"),
        None => digits,
    };

    match national.as_bytes().first() {
        Some(b'1') if is_mobile(&national) => Ok(national),
        Some(b'1') => Err(Problem::error("rule.phone.mobile").on(FIELD)),
        Some(b'0') => landline(&national),
        Some(_) if (7..=8).contains(&national.len()) => {
            Err(Problem::error("rule.phone.area_code").on(FIELD))
        }
        _ => Err(invalid()),
    }
}

fn invalid() -> Problem {
    Problem::error("rule.phone.invalid").on(FIELD)
}

/// 11 digits starting 13 to 19, the mainland mobile ranges.
fn is_mobile(digits: &str) -> bool {
    let b = digits.as_bytes();
    b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b.iter().all(u8::is_ascii_digit)
}

/// `digits` starts with 0: area code then a 7 or 8 digit local number. Which
/// split is right is known from the code itself (010 and 02x are the only
/// 3-digit codes), so a missing or misplaced dash in the input does not matter.
fn landline(digits: &str) -> Result<String, Problem> {
    if digits.starts_with("00") {
        return Err(invalid());
    }
    let area_len = if digits.starts_with("01") || digits.starts_with("02") {
        3
    } else {
        4
    };
    let bad = || Problem::error("rule.phone.landline").on(FIELD);
    let (area, local) = digits.split_at_checked(area_len).ok_or_else(bad)?;
    // Local numbers never start with 0 or 1 (those begin trunk and service codes).
    let local_ok = (7..=8).contains(&local.len()) && !local.starts_with(['0', '1']);
    if !local_ok {
        return Err(bad());
    }
    Ok(format!("{area}-{local}"))
}

/// A phone number for lookups where the full number is not needed, in the
/// style of the masked ID number: the first 3 and last 4 digits, the
/// digits between as stars, a dash kept where it was (`184****7583`,
/// `083*-***2345`). A number too short to hide anything is all stars.
pub fn mask_phone(phone: &str) -> String {
    let total = phone.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0;
    phone
        .trim()
        .chars()
        .map(|c| {
            if !c.is_ascii_digit() {
                return c;
            }
            seen += 1;
            if total > 7 && (seen <= 3 || seen > total - 4) {
                c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_phones_keep_the_first_three_and_last_four_digits() {
        assert_eq!(mask_phone("18412347583"), "184****7583");
        assert_eq!(mask_phone("0836-8522345"), "083*-***2345");
        assert_eq!(mask_phone("010-12345678"), "010-****5678");
        assert_eq!(mask_phone("1234567"), "*******");
        assert_eq!(mask_phone(""), "");
    }
}
