//! What each snapshot column holds, worked out from the database's own
//! declaration (type, foreign keys) and the column's name, so a table added
//! later is described without code here: its ids, references, dates, money
//! and codes are recognised by the same rules.

use chrono::NaiveDate;

use crate::domain::codes::{ChoiceList, choice_column};
use crate::store::sync::ColumnInfo;

/// Integer columns holding 0 or 1.
const FLAGS: &[&str] = &[
    "registered_poor",
    "is_labourer",
    "willing_to_work_away",
    "employed_after",
];

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// The row's own UUID.
    Id,
    /// The UUID of a row of another table.
    Ref(String),
    Text,
    Integer,
    Year,
    /// Money in fen (1 yuan = 100 fen).
    Fen,
    /// A calendar date, YYYY-MM-DD, China Standard Time.
    Date,
    /// A month, YYYY-MM.
    Month,
    /// A UTC time, as stored: 2026-06-01T08:30:00.000Z.
    Timestamp,
    /// 1 = yes, 0 = no.
    Flag,
    /// One code of a choice list (or empty).
    Code(ChoiceList),
    /// Several codes of a choice list, space-separated.
    Codes(ChoiceList),
    /// Several course codes (see course.csv), space-separated.
    CourseCodes,
}

/// The families of kinds, in codebook order: the codebook explains each once.
pub const FAMILIES: &[&str] = &[
    "uuid",
    "ref",
    "text",
    "integer",
    "year",
    "fen",
    "date",
    "month",
    "timestamp",
    "flag",
    "code",
    "codes",
];

impl Kind {
    pub fn of(table: &str, c: &ColumnInfo) -> Kind {
        let name = c.name.as_str();
        if name == "id" {
            return Kind::Id;
        }
        if let Some(parent) = &c.references {
            return Kind::Ref(parent.clone());
        }
        if let Some(cc) = choice_column(table, name) {
            return if cc.several {
                Kind::Codes(cc.list)
            } else {
                Kind::Code(cc.list)
            };
        }
        if table == "visit_person" && name == "training_wanted" {
            return Kind::CourseCodes;
        }
        if c.integer {
            if FLAGS.contains(&name) || name.starts_with("is_") {
                Kind::Flag
            } else if name.ends_with("_fen") {
                Kind::Fen
            } else if name.ends_with("_year") {
                Kind::Year
            } else {
                Kind::Integer
            }
        } else if name.ends_with("_at") {
            Kind::Timestamp
        } else if name.ends_with("_date") || name.ends_with("_on") {
            Kind::Date
        } else if name == "month" {
            Kind::Month
        } else {
            Kind::Text
        }
    }

    /// The family of the kind (see [`FAMILIES`]).
    pub fn family(&self) -> &'static str {
        match self {
            Kind::Id => "uuid",
            Kind::Ref(_) => "ref",
            Kind::Text => "text",
            Kind::Integer => "integer",
            Kind::Year => "year",
            Kind::Fen => "fen",
            Kind::Date => "date",
            Kind::Month => "month",
            Kind::Timestamp => "timestamp",
            Kind::Flag => "flag",
            Kind::Code(_) => "code",
            Kind::Codes(_) | Kind::CourseCodes => "codes",
        }
    }

    /// The kind as written in the codebook: `ref:village`, `code:sex`, `date`.
    pub fn code(&self) -> String {
        match self {
            Kind::Ref(t) => format!("ref:{t}"),
            Kind::Code(l) => format!("code:{}", l.name),
            Kind::Codes(l) => format!("codes:{}", l.name),
            Kind::CourseCodes => "codes:course".to_owned(),
            other => other.family().to_owned(),
        }
    }

    /// The locale key saying what a value of this kind looks like.
    pub fn expectation_key(&self) -> String {
        format!("snapshot.expect.{}", self.family())
    }

    /// Whether a (non-empty) value is well-formed for this kind.
    pub fn accepts(&self, v: &str) -> bool {
        match self {
            Kind::Id | Kind::Ref(_) => is_canonical_uuid(v),
            Kind::Text | Kind::CourseCodes => true,
            Kind::Integer | Kind::Year | Kind::Fen => v.parse::<i64>().is_ok(),
            Kind::Flag => v == "0" || v == "1",
            Kind::Date => is_date(v),
            Kind::Month => v.len() == 7 && v.is_ascii() && is_date(&format!("{v}-01")),
            Kind::Timestamp => is_timestamp(v),
            Kind::Code(l) => l.contains(v),
            Kind::Codes(l) => v.split(' ').all(|c| l.contains(c)),
        }
    }
}

/// Lower-case hyphenated, as the store writes every id: an id typed another
/// way would not match the same row. (Checked by hand: this runs for every
/// id of every row imported.)
fn is_canonical_uuid(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_digit() || (b'a'..=b'f').contains(c),
        })
}

/// The number written by the ASCII digits `b[from..to]`.
fn digits(b: &[u8], from: usize, to: usize) -> Option<u32> {
    b[from..to].iter().try_fold(0u32, |n, c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// `YYYY-MM-DD`, a real date.
fn is_date(v: &str) -> bool {
    let b = v.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    match (digits(b, 0, 4), digits(b, 5, 7), digits(b, 8, 10)) {
        (Some(y), Some(m), Some(d)) => NaiveDate::from_ymd_opt(y as i32, m, d).is_some(),
        _ => false,
    }
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ`: the stored form, whose text order is time order.
fn is_timestamp(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 24
        && v.is_ascii()
        && is_date(&v[..10])
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'.'
        && b[23] == b'Z'
        && digits(b, 11, 13).is_some_and(|h| h < 24)
        && digits(b, 14, 16).is_some_and(|m| m < 60)
        && digits(b, 17, 19).is_some_and(|s| s < 61)
        && digits(b, 20, 23).is_some()
}

/// A snapshot column: the database's declaration and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub info: ColumnInfo,
    pub kind: Kind,
}

impl Column {
    pub fn name(&self) -> &str {
        &self.info.name
    }
}

pub fn columns_of(table: &str, infos: Vec<ColumnInfo>) -> Vec<Column> {
    infos
        .into_iter()
        .map(|info| Column {
            kind: Kind::of(table, &info),
            info,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn timestamps_must_be_the_stored_form() {
        assert!(is_timestamp("2026-06-01T08:30:00.000Z"));
        assert!(!is_timestamp("2026-06-01T08:30:00Z"));
        assert!(!is_timestamp("2026-06-01 08:30:00.000Z"));
        assert!(!is_timestamp("2026-13-01T08:30:00.000Z"));
    }

    #[test]
    fn dates_must_be_real() {
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2023-2-28x"));
        assert!(!is_date("２０２３-02-28"));
        assert!(!is_timestamp("2026-06-01T24:00:00.000Z"));
        assert!(!is_timestamp("2026-06-01T08:30:00.0a0Z"));
        assert!(!is_timestamp("2026-06-01T08:30:00.00扎"));
        assert!(!is_timestamp("扎西扎西扎西扎西"));
    }

    #[test]
    fn ids_must_be_canonical() {
        let u = Uuid::now_v7().to_string();
        assert!(is_canonical_uuid(&u));
        assert!(!is_canonical_uuid(&u.to_uppercase()));
        assert!(!is_canonical_uuid(&u.replace('-', "")));
        assert!(!is_canonical_uuid("x"));
    }
}
