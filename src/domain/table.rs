//! What every table of entered data holds, column by column: one
//! declaration per table (made by [`record!`](crate::record) beside the
//! record's fields), from which everything else is derived: the list of
//! tables, the snapshot's column kinds and codebook, the importer's checks,
//! the workbook's labels, and the codec between a record and a form.
//!
//! A column's [`Kind`] says what its values are and how they are checked.
//! The one check of a value ([`Column::check`]) is used by every way a value
//! comes in: a form field bound to the column, a snapshot import, a village
//! list. No SQL and no terminal here.

use chrono::NaiveDate;
use uuid::Uuid;

use super::codes::ChoiceList;
use super::id_number::parse_id_number;
use super::phone::parse_phone;
use super::problem::Problem;
use super::review::Role;
use super::rules;

/// The sync columns every record of entered data has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowMeta {
    pub id: Uuid,
    /// UTC, RFC 3339 with milliseconds; set by the store on first save.
    pub created_at: String,
    /// UTC, RFC 3339 with milliseconds; set by the store on every save.
    pub updated_at: String,
    /// Who last changed the row.
    pub operator: String,
    /// The installation that last changed the row.
    pub device_id: String,
    /// When the row was deleted (soft delete), if it was.
    pub deleted_at: Option<String>,
}

impl RowMeta {
    /// Meta for a record not yet saved: a fresh time-ordered (v7) id.
    pub fn new() -> RowMeta {
        RowMeta::with_id(Uuid::now_v7())
    }

    pub fn with_id(id: Uuid) -> RowMeta {
        RowMeta {
            id,
            created_at: String::new(),
            updated_at: String::new(),
            operator: String::new(),
            device_id: String::new(),
            deleted_at: None,
        }
    }

    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }
}

impl Default for RowMeta {
    fn default() -> Self {
        RowMeta::new()
    }
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The row's own UUID.
    Id,
    /// The UUID of a row of another table.
    Ref(&'static str),
    /// Free text on one line.
    Text,
    /// A person's or a place's name.
    Name,
    /// A code or number written as text, of digits and Latin letters (a
    /// village code, a household number, a course code, a survey round):
    /// its form is the column's rule.
    Identifier,
    Integer,
    /// A calendar year.
    Year,
    /// Money in fen (1 yuan = 100 fen), never negative.
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
    /// Several codes of the rows of a catalogue table (course codes),
    /// space-separated.
    CodesOf(&'static str),
    /// A resident ID number, as stored (GB 11643, upper-case X).
    IdNumber,
    /// A phone number, as stored (11-digit mobile, or 0836-8522345).
    Phone,
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
    "id_number",
    "phone",
];

impl Kind {
    /// Whether the column is declared INTEGER (else TEXT).
    pub fn is_integer(self) -> bool {
        matches!(self, Kind::Integer | Kind::Year | Kind::Fen | Kind::Flag)
    }

    /// The family of the kind (see [`FAMILIES`]).
    pub fn family(self) -> &'static str {
        match self {
            Kind::Id => "uuid",
            Kind::Ref(_) => "ref",
            Kind::Text | Kind::Name | Kind::Identifier => "text",
            Kind::Integer => "integer",
            Kind::Year => "year",
            Kind::Fen => "fen",
            Kind::Date => "date",
            Kind::Month => "month",
            Kind::Timestamp => "timestamp",
            Kind::Flag => "flag",
            Kind::Code(_) => "code",
            Kind::Codes(_) | Kind::CodesOf(_) => "codes",
            Kind::IdNumber => "id_number",
            Kind::Phone => "phone",
        }
    }

    /// The kind as written in the codebook: `ref:village`, `code:sex`, `date`.
    pub fn code(self) -> String {
        match self {
            Kind::Ref(t) => format!("ref:{t}"),
            Kind::Code(l) => format!("code:{}", l.name),
            Kind::Codes(l) => format!("codes:{}", l.name),
            Kind::CodesOf(t) => format!("codes:{t}"),
            other => other.family().to_owned(),
        }
    }

    /// The locale key saying what a value of this kind looks like.
    pub fn expectation_key(self) -> &'static str {
        match self {
            Kind::Id => "snapshot.expect.uuid",
            Kind::Ref(_) => "snapshot.expect.ref",
            Kind::Text | Kind::Name | Kind::Identifier => "snapshot.expect.text",
            Kind::Integer => "snapshot.expect.integer",
            Kind::Year => "snapshot.expect.year",
            Kind::Fen => "snapshot.expect.fen",
            Kind::Date => "snapshot.expect.date",
            Kind::Month => "snapshot.expect.month",
            Kind::Timestamp => "snapshot.expect.timestamp",
            Kind::Flag => "snapshot.expect.flag",
            Kind::Code(_) => "snapshot.expect.code",
            Kind::Codes(_) | Kind::CodesOf(_) => "snapshot.expect.codes",
            Kind::IdNumber => "snapshot.expect.id_number",
            Kind::Phone => "snapshot.expect.phone",
        }
    }

    /// The choice list of a code column.
    pub fn choices(self) -> Option<ChoiceList> {
        match self {
            Kind::Code(l) | Kind::Codes(l) => Some(l),
            _ => None,
        }
    }
}

/// A value as stored: what a column holds, whatever its Rust type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
}

impl Value {
    /// The value as the text a snapshot cell or a form answer holds
    /// (empty for NULL).
    pub fn to_text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Int(n) => n.to_string(),
            Value::Text(t) => t.clone(),
        }
    }
}

/// What a stored value could not be read as (a database changed by hand).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column {column}: {detail}")]
pub struct ValueError {
    pub column: &'static str,
    pub detail: String,
}

/// A Rust type a record field may have, and its stored [`Value`].
pub trait FieldValue: Sized {
    /// Whether the column may hold NULL (an `Option`).
    const NULLABLE: bool = false;
    fn to_value(&self) -> Value;
    fn from_value(v: Value) -> Result<Self, String>;
}

impl FieldValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Null => Ok(String::new()),
            Value::Text(t) => Ok(t),
            Value::Int(n) => Err(format!("text expected, found {n}")),
        }
    }
}

impl FieldValue for i64 {
    fn to_value(&self) -> Value {
        Value::Int(*self)
    }
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Int(n) => Ok(n),
            other => Err(format!("integer expected, found {other:?}")),
        }
    }
}

impl FieldValue for bool {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
    fn from_value(v: Value) -> Result<Self, String> {
        i64::from_value(v).map(|n| n != 0)
    }
}

impl FieldValue for Uuid {
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }
    fn from_value(v: Value) -> Result<Self, String> {
        let t = String::from_value(v)?;
        Uuid::parse_str(&t).map_err(|e| e.to_string())
    }
}

impl FieldValue for NaiveDate {
    fn to_value(&self) -> Value {
        Value::Text(self.format("%Y-%m-%d").to_string())
    }
    fn from_value(v: Value) -> Result<Self, String> {
        let t = String::from_value(v)?;
        NaiveDate::parse_from_str(&t, "%Y-%m-%d").map_err(|e| e.to_string())
    }
}

/// Several codes, stored space-separated (codes never contain spaces).
impl FieldValue for Vec<String> {
    fn to_value(&self) -> Value {
        Value::Text(self.join(" "))
    }
    fn from_value(v: Value) -> Result<Self, String> {
        Ok(String::from_value(v)?
            .split_whitespace()
            .map(str::to_owned)
            .collect())
    }
}

impl<T: FieldValue> FieldValue for Option<T> {
    const NULLABLE: bool = true;
    fn to_value(&self) -> Value {
        match self {
            Some(v) => v.to_value(),
            None => Value::Null,
        }
    }
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Null => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}

/// A rule of one column beyond its kind (the range of an exit year, the
/// form of a household number): the problem with a stored value, if any.
pub type ColumnRule = fn(&str, NaiveDate) -> Option<Problem>;

/// The two days a value is checked against: today's date where the
/// county is (China Standard Time, or the date a test pins), and today in
/// UTC by this computer's clock, for stored times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Days {
    pub today: NaiveDate,
    pub utc_today: NaiveDate,
}

impl Days {
    /// Both days the same (tests, and checks where no time is stored).
    pub fn on(today: NaiveDate) -> Days {
        Days {
            today,
            utc_today: today,
        }
    }
}

/// One column of a table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    /// May hold NULL (the record's field is an `Option`).
    pub nullable: bool,
    /// Must not be empty.
    pub required: bool,
    /// Longest text, in characters.
    pub max_len: usize,
    pub rule: Option<ColumnRule>,
}

/// Longest free text by default, in characters.
pub const TEXT_MAX_CHARS: usize = 500;

impl Column {
    pub const fn new(name: &'static str, kind: Kind, nullable: bool) -> Column {
        let max_len = match kind {
            Kind::Name => rules::NAME_MAX_CHARS,
            Kind::Id | Kind::Ref(_) => 36,
            Kind::IdNumber => 18,
            Kind::Phone => 20,
            _ => TEXT_MAX_CHARS,
        };
        Column {
            name,
            kind,
            nullable,
            required: false,
            max_len,
            rule: None,
        }
    }
    pub const fn required(mut self) -> Column {
        self.required = true;
        self
    }
    pub const fn max(mut self, chars: usize) -> Column {
        self.max_len = chars;
        self
    }
    pub const fn rule(mut self, rule: ColumnRule) -> Column {
        self.rule = Some(rule);
        self
    }

    /// Checks a stored value given as text (a snapshot cell, a form answer
    /// once parsed): the kind's form, the length, the column's own rule.
    /// An empty text is NULL or empty, allowed unless the column is required.
    ///
    /// Course codes ([`Kind::CodesOf`]) are only checked for form here; that
    /// each names a course is checked against the catalogue by the caller.
    pub fn check(&self, v: &str, days: Days) -> Result<(), Problem> {
        let today = days.today;
        if v.is_empty() {
            return if self.required || (!self.nullable && !self.may_be_empty()) {
                Err(Problem::error("form.error.required").on(self.name))
            } else {
                Ok(())
            };
        }
        if let Some(c) = find_unsafe_char(v) {
            return Err(Problem::error("rule.text.control_char")
                .on(self.name)
                .arg("code", format!("U+{:04X}", c as u32)));
        }
        let length = v.chars().count();
        if length > self.max_len {
            return Err(Problem::error("rule.text.too_long")
                .on(self.name)
                .arg("value", v)
                .arg("max", self.max_len)
                .arg("length", length));
        }
        let bad = || {
            Problem::error("rule.value.not_kind")
                .on(self.name)
                .arg("value", v)
                .arg_key("expected", self.kind.expectation_key())
        };
        match self.kind {
            Kind::Id | Kind::Ref(_) => {
                if !is_canonical_uuid(v) || v == NIL_UUID {
                    return Err(bad());
                }
            }
            Kind::Text | Kind::Name | Kind::Identifier => {}
            Kind::Integer => {
                v.parse::<i64>().map_err(|_| bad())?;
            }
            Kind::Year => {
                // Which years are possible is the column's rule.
                v.parse::<i16>().map_err(|_| bad())?;
            }
            Kind::Fen => {
                let n = v.parse::<i64>().map_err(|_| bad())?;
                if n < 0 {
                    return Err(Problem::error("rule.money.negative").on(self.name));
                }
            }
            Kind::Date => {
                if !is_date(v) {
                    return Err(bad());
                }
            }
            Kind::Month => {
                if !(v.len() == 7 && v.is_ascii() && is_date(&format!("{v}-01"))) {
                    return Err(bad());
                }
            }
            Kind::Timestamp => {
                if !is_timestamp(v) {
                    return Err(bad());
                }
                // A clock years ahead would win every merge for ever.
                let day = date_of(&v[..10]).ok_or_else(bad)?;
                if day > days.utc_today + chrono::Days::new(1) {
                    return Err(Problem::error("rule.time.future")
                        .on(self.name)
                        .arg("value", v));
                }
            }
            Kind::Flag => {
                if v != "0" && v != "1" {
                    return Err(bad());
                }
            }
            Kind::Code(l) => {
                if !l.contains(v) {
                    return Err(bad());
                }
            }
            Kind::Codes(l) => {
                if !v.split(' ').all(|c| l.contains(c)) {
                    return Err(bad());
                }
            }
            Kind::CodesOf(_) => {
                if !v.split(' ').all(rules::is_code) {
                    return Err(bad());
                }
            }
            Kind::IdNumber => {
                let (id, _) = parse_id_number(v, today).map_err(|p| p.on(self.name))?;
                if id.as_str() != v {
                    return Err(bad());
                }
            }
            Kind::Phone => {
                let stored = parse_phone(v).map_err(|p| p.on(self.name))?;
                if stored != v {
                    return Err(bad());
                }
            }
        }
        match self.rule {
            Some(rule) => rule(v, today).map_or(Ok(()), |p| Err(p.on(self.name))),
            None => Ok(()),
        }
    }

    /// Whether a NOT NULL column may hold the empty text: text and codes
    /// may be blank, dates and references may not.
    fn may_be_empty(&self) -> bool {
        matches!(
            self.kind,
            Kind::Text
                | Kind::Name
                | Kind::Identifier
                | Kind::Code(_)
                | Kind::Codes(_)
                | Kind::CodesOf(_)
                | Kind::IdNumber
                | Kind::Phone
        )
    }
}

/// A rule across the columns of one row (at least one of two names; a
/// period that ends after it starts): the problem, if any. `get` gives a
/// column's stored value as text.
pub type RowRule = fn(&dyn Fn(&str) -> String) -> Option<Problem>;

/// A rule on how a stored row may change (a visit's review status):
/// `before` gives the stored row's values (none for a new row), `after` the
/// row being saved; the problem, if any.
pub type ChangeRule =
    fn(Option<&dyn Fn(&str) -> String>, &dyn Fn(&str) -> String, Role) -> Option<Problem>;

/// A rule between a row and the row it refers to: `column` must agree with
/// the `parent_column` of the `parent` row that `via` names (a household's
/// number starts with its village's code).
#[derive(Debug, Clone, Copy)]
pub struct ParentRule {
    pub column: &'static str,
    pub via: &'static str,
    pub parent: &'static str,
    pub parent_column: &'static str,
    pub check: fn(&str, &str) -> Option<Problem>,
}

/// One table of entered data.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub name: &'static str,
    /// The record's own columns, after the [`META`] columns, in table order.
    pub columns: &'static [Column],
    /// Columns the database keeps by trigger (never part of the record,
    /// never in a snapshot).
    pub derived: &'static [&'static str],
    /// How a row reads to a person where another row refers to it (a
    /// person's household in the workbook): these columns' values, a
    /// reference among them read the same way in turn. Empty for a table
    /// no other refers to.
    pub label: &'static [&'static str],
    pub row_rule: Option<RowRule>,
    pub change_rule: Option<ChangeRule>,
    pub parent_rule: Option<ParentRule>,
}

/// A table shows as its name (in SQL and file names).
impl std::fmt::Display for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// The sync columns every table of entered data starts with.
pub const META: &[Column] = &[
    Column::new("id", Kind::Id, false).required(),
    Column::new("created_at", Kind::Timestamp, false).required(),
    Column::new("updated_at", Kind::Timestamp, false).required(),
    Column::new("operator", Kind::Text, false).max(50),
    Column::new("device_id", Kind::Text, false).max(100),
    Column::new("deleted_at", Kind::Timestamp, true),
];

impl Table {
    /// Every column, the [`META`] columns first.
    pub fn all_columns(&self) -> impl Iterator<Item = &'static Column> + use<> {
        let own: &'static [Column] = self.columns;
        META.iter().chain(own)
    }

    /// A column by name (meta or own).
    pub fn column(&self, name: &str) -> Option<&'static Column> {
        self.all_columns().find(|c| c.name == name)
    }

    /// Checks a whole row given by `get` (a column's stored value as text):
    /// every column, then the row's own rule. The first problem found.
    pub fn check_row(&self, get: &dyn Fn(&str) -> String, days: Days) -> Result<(), Problem> {
        for c in self.all_columns() {
            c.check(&get(c.name), days)?;
        }
        match self.row_rule {
            Some(rule) => rule(get).map_or(Ok(()), Err),
            None => Ok(()),
        }
    }
}

/// A record type stored in one table: its fields and its declaration.
/// Implemented by [`record!`](crate::record), never by hand.
pub trait Record: Sized + Default + Clone + 'static {
    const TABLE: &'static Table;
    fn meta(&self) -> &RowMeta;
    fn meta_mut(&mut self) -> &mut RowMeta;
    /// The values of the table's own columns, in order.
    fn values(&self) -> Vec<Value>;
    /// One column's value (own columns only).
    fn value(&self, column: &str) -> Option<Value>;
    /// Sets one own column from its stored value.
    fn set_value(&mut self, column: &str, v: Value) -> Result<(), ValueError>;
    /// A record from its meta and its own columns' values, in order.
    fn from_values(meta: RowMeta, values: Vec<Value>) -> Result<Self, ValueError> {
        let mut r = Self::default();
        *r.meta_mut() = meta;
        for (c, v) in Self::TABLE.columns.iter().zip(values) {
            r.set_value(c.name, v)?;
        }
        Ok(r)
    }
}

/// Declares a record: its struct, and its table's columns with their
/// kinds. Each field is `name: Type = Kind` with optional `.required()`,
/// `.max(n)`, `.rule(f)`; the kind's arguments in brackets.
#[macro_export]
macro_rules! record {
    (
        $(#[$attr:meta])*
        pub struct $ty:ident in $table:literal {
            $(
                $(#[$fattr:meta])*
                $field:ident : $fty:ty = $kind:ident $(($($karg:expr),*))? $(. $m:ident ($($marg:expr),*))*
            ),* $(,)?
        }
        $(derived: [$($derived:literal),*];)?
        $(label: [$($label:literal),*];)?
        $(row_rule: $row_rule:expr;)?
        $(change_rule: $change_rule:expr;)?
        $(parent_rule: $parent_rule:expr;)?
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct $ty {
            pub meta: $crate::domain::table::RowMeta,
            $($(#[$fattr])* pub $field: $fty,)*
        }

        impl $crate::domain::table::Record for $ty {
            const TABLE: &'static $crate::domain::table::Table = &$crate::domain::table::Table {
                name: $table,
                columns: &[$(
                    $crate::domain::table::Column::new(
                        stringify!($field),
                        $crate::domain::table::Kind::$kind $(($($karg),*))?,
                        <$fty as $crate::domain::table::FieldValue>::NULLABLE,
                    ) $(.$m($($marg),*))*
                ),*],
                derived: &[$($($derived),*)?],
                label: &[$($($label),*)?],
                row_rule: $crate::record!(@opt $($row_rule)?),
                change_rule: $crate::record!(@opt $($change_rule)?),
                parent_rule: $crate::record!(@opt $($parent_rule)?),
            };
            fn meta(&self) -> &$crate::domain::table::RowMeta {
                &self.meta
            }
            fn meta_mut(&mut self) -> &mut $crate::domain::table::RowMeta {
                &mut self.meta
            }
            fn values(&self) -> Vec<$crate::domain::table::Value> {
                vec![$($crate::domain::table::FieldValue::to_value(&self.$field)),*]
            }
            fn value(&self, column: &str) -> Option<$crate::domain::table::Value> {
                match column {
                    $(stringify!($field) => Some($crate::domain::table::FieldValue::to_value(&self.$field)),)*
                    _ => None,
                }
            }
            fn set_value(
                &mut self,
                column: &str,
                v: $crate::domain::table::Value,
            ) -> Result<(), $crate::domain::table::ValueError> {
                match column {
                    $(stringify!($field) => {
                        self.$field = $crate::domain::table::FieldValue::from_value(v).map_err(|detail| {
                            $crate::domain::table::ValueError { column: stringify!($field), detail }
                        })?;
                        Ok(())
                    })*
                    _ => Err($crate::domain::table::ValueError {
                        column: "?",
                        detail: format!("no column {column} in {}", $table),
                    }),
                }
            }
        }
    };
    (@opt $e:expr) => { Some($e) };
    (@opt) => { None };
}

const NIL_UUID: &str = "00000000-0000-0000-0000-000000000000";

pub use crate::text::{find_unsafe_char, is_unsafe_char};

/// Lower-case hyphenated, as the store writes every id: an id typed another
/// way would not match the same row. (Checked by hand: this runs for every
/// id of every row imported.)
pub fn is_canonical_uuid(v: &str) -> bool {
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
pub fn is_date(v: &str) -> bool {
    date_of(v).is_some()
}

/// The date written `YYYY-MM-DD` (read by hand: this runs for every date
/// and time of every row imported).
fn date_of(v: &str) -> Option<NaiveDate> {
    let b = v.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(digits(b, 0, 4)? as i32, digits(b, 5, 7)?, digits(b, 8, 10)?)
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ`: the stored form, whose text order is time order.
pub fn is_timestamp(v: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn unsafe_characters_are_found_from_the_bytes_as_from_the_chars() {
        let samples = [
            "扎西",
            "བཀྲ་ཤིས",
            "a\tb",
            "x\u{7f}",
            "\u{85}",
            "é",
            "\u{200e}",
            "\u{202e}x",
            "\u{2066}",
            "\u{feff}",
            "\u{200d}",
            "\u{2014}",
            "“”",
            "\u{fffd}",
            "¥",
        ];
        for v in samples {
            assert_eq!(
                find_unsafe_char(v),
                v.chars().find(|c| is_unsafe_char(*c)),
                "{v:?}"
            );
        }
        for c in ['\u{0}', '\u{1b}', '\u{9f}', '\u{200f}', '\u{2069}'] {
            assert_eq!(find_unsafe_char(&format!("ok{c}ok")), Some(c));
        }
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
