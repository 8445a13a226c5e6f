//! How each record maps to its table: one declaration per record, from which
//! the generic save / get / delete / audit code and the snapshot code work.

use chrono::NaiveDate;
use rusqlite::Row;
use rusqlite::types::{FromSqlError, Value, ValueRef};
use uuid::Uuid;

use crate::domain::records::*;

/// The sync columns, first in every table of entered data, in this order.
pub const META_COLUMNS: [&str; 6] = [
    "id",
    "created_at",
    "updated_at",
    "operator",
    "device_id",
    "deleted_at",
];

/// A record type stored in one table.
pub trait Entity: Sized {
    /// The table's name (also the snapshot file's name).
    const TABLE: &'static str;
    /// The record's own columns, after the [`META_COLUMNS`], in table order.
    const COLUMNS: &'static [&'static str];

    fn meta(&self) -> &RowMeta;
    fn meta_mut(&mut self) -> &mut RowMeta;
    /// The values of [`Self::COLUMNS`], in order.
    fn values(&self) -> Vec<Value>;
    /// Reads a row selected as `META_COLUMNS ++ COLUMNS`.
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self>;

    /// `id, created_at, ..., col1, col2, ...` for SELECTs.
    fn select_list() -> String {
        META_COLUMNS
            .iter()
            .chain(Self::COLUMNS)
            .copied()
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A field type that maps to one column.
pub trait Col: Sized {
    fn to_value(&self) -> Value;
    fn from_ref(v: ValueRef<'_>) -> Result<Self, FromSqlError>;
}

impl Col for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
    fn from_ref(v: ValueRef<'_>) -> Result<Self, FromSqlError> {
        match v {
            ValueRef::Null => Ok(String::new()),
            other => other.as_str().map(str::to_owned),
        }
    }
}

impl Col for i64 {
    fn to_value(&self) -> Value {
        Value::Integer(*self)
    }
    fn from_ref(v: ValueRef<'_>) -> Result<Self, FromSqlError> {
        v.as_i64()
    }
}

impl Col for bool {
    fn to_value(&self) -> Value {
        Value::Integer(i64::from(*self))
    }
    fn from_ref(v: ValueRef<'_>) -> Result<Self, FromSqlError> {
        v.as_i64().map(|i| i != 0)
    }
}

impl Col for Uuid {
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }
    fn from_ref(v: ValueRef<'_>) -> Result<Self, FromSqlError> {
        Uuid::parse_str(v.as_str()?).map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}

impl Col for NaiveDate {
    fn to_value(&self) -> Value {
        Value::Text(self.format("%Y-%m-%d").to_string())
    }
    fn from_ref(v: ValueRef<'_>) -> Result<Self, FromSqlError> {
        NaiveDate::parse_from_str(v.as_str()?, "%Y-%m-%d")
            .map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}

/// Several codes, stored space-separated (codes never contain spaces).
impl Col for Vec<String> {
    fn to_value(&self) -> Value {
        Value::Text(self.join(" "))
    }
    fn from_ref(v: ValueRef<'_>) -> Result<Self, FromSqlError> {
        match v {
            ValueRef::Null => Ok(Vec::new()),
            other => Ok(other
                .as_str()?
                .split_whitespace()
                .map(str::to_owned)
                .collect()),
        }
    }
}

impl<T: Col> Col for Option<T> {
    fn to_value(&self) -> Value {
        match self {
            Some(v) => v.to_value(),
            None => Value::Null,
        }
    }
    fn from_ref(v: ValueRef<'_>) -> Result<Self, FromSqlError> {
        match v {
            ValueRef::Null => Ok(None),
            other => T::from_ref(other).map(Some),
        }
    }
}

fn get<T: Col>(row: &Row<'_>, i: usize) -> rusqlite::Result<T> {
    let v = row.get_ref(i)?;
    T::from_ref(v)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, v.data_type(), Box::new(e)))
}

/// Reads the [`META_COLUMNS`] at the start of a row.
pub fn meta_from_row(row: &Row<'_>) -> rusqlite::Result<RowMeta> {
    Ok(RowMeta {
        id: get(row, 0)?,
        created_at: get(row, 1)?,
        updated_at: get(row, 2)?,
        operator: get(row, 3)?,
        device_id: get(row, 4)?,
        deleted_at: get(row, 5)?,
    })
}

pub fn meta_values(m: &RowMeta) -> Vec<Value> {
    vec![
        m.id.to_value(),
        m.created_at.to_value(),
        m.updated_at.to_value(),
        m.operator.to_value(),
        m.device_id.to_value(),
        m.deleted_at.to_value(),
    ]
}

macro_rules! entity {
    ($ty:ident, $table:literal, [$($field:ident),* $(,)?]) => {
        impl Entity for $ty {
            const TABLE: &'static str = $table;
            const COLUMNS: &'static [&'static str] = &[$(stringify!($field)),*];
            fn meta(&self) -> &RowMeta {
                &self.meta
            }
            fn meta_mut(&mut self) -> &mut RowMeta {
                &mut self.meta
            }
            fn values(&self) -> Vec<Value> {
                vec![$(Col::to_value(&self.$field)),*]
            }
            fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
                let meta = meta_from_row(row)?;
                let mut _i = META_COLUMNS.len();
                $(
                    let $field = get(row, _i)?;
                    _i += 1;
                )*
                Ok($ty { meta, $($field),* })
            }
        }
    };
}

entity!(Township, "township", [code, name_zh, name_bo]);
entity!(
    Village,
    "village",
    [code, township_id, name_zh, name_bo, exit_year]
);
entity!(
    Household,
    "household",
    [number, village_id, phone, registered_poor, exit_year]
);
entity!(
    Person,
    "person",
    [
        household_id,
        position,
        name_zh,
        name_bo,
        id_number,
        sex,
        birth_date,
        relation,
        education,
        is_labourer,
        phone
    ]
);
entity!(
    Visit,
    "visit",
    [
        household_id,
        visit_date,
        round,
        visit_type,
        surveyors,
        difficulties,
        problems,
        follow_up,
        status,
        review_comment,
        reviewed_by,
        reviewed_at
    ]
);
entity!(
    VisitPerson,
    "visit_person",
    [
        visit_id,
        person_id,
        employment_status,
        work_place,
        annual_income_fen,
        willing_to_work_away,
        training_wanted,
        job_wanted
    ]
);
entity!(Course, "course", [code, name_zh, name_bo, name_en]);
entity!(
    TrainingSession,
    "training_session",
    [
        course_id,
        period,
        mode,
        start_date,
        end_date,
        place,
        provider,
        capacity,
        target_group
    ]
);
entity!(
    Enrolment,
    "enrolment",
    [
        session_id,
        person_id,
        attendance_days,
        outcome,
        certificate_no,
        employed_after
    ]
);
entity!(
    PostType,
    "post_type",
    [
        code,
        name_zh,
        name_bo,
        name_en,
        department,
        default_subsidy_fen
    ]
);
entity!(Post, "post", [post_type_id, village_id, status]);
entity!(
    PostAssignment,
    "post_assignment",
    [post_id, person_id, start_date, end_date, end_reason]
);
entity!(
    SubsidyPayment,
    "subsidy_payment",
    [assignment_id, month, amount_fen, paid_on]
);
entity!(
    EmploymentRecord,
    "employment_record",
    [person_id, kind, employer, start_date, end_date, income_fen]
);

/// Every table of entered data, parents before children (the order to insert
/// in, and the order of snapshot files).
pub const TABLES: &[&str] = &[
    Township::TABLE,
    Village::TABLE,
    Household::TABLE,
    Person::TABLE,
    Visit::TABLE,
    VisitPerson::TABLE,
    Course::TABLE,
    TrainingSession::TABLE,
    Enrolment::TABLE,
    PostType::TABLE,
    Post::TABLE,
    PostAssignment::TABLE,
    SubsidyPayment::TABLE,
    EmploymentRecord::TABLE,
];

/// Every value of a record, meta first, in table column order.
pub fn all_values<E: Entity>(record: &E) -> Vec<Value> {
    let mut values = meta_values(record.meta());
    values.extend(record.values());
    values
}

/// `INSERT INTO t (all columns) VALUES (?1, ...)` followed by `tail`.
fn insert_sql<E: Entity>(verb: &str, tail: &str) -> String {
    let cols: Vec<&str> = META_COLUMNS.iter().chain(E::COLUMNS).copied().collect();
    let marks = (1..=cols.len())
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "{verb} INTO {} ({}) VALUES ({marks}){tail}",
        E::TABLE,
        cols.join(", ")
    )
}

/// Insert, or update every column but `id` and `created_at` if the id exists.
pub fn upsert_sql<E: Entity>() -> String {
    let updates = META_COLUMNS[2..]
        .iter()
        .chain(E::COLUMNS)
        .map(|c| format!("{c} = excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    insert_sql::<E>(
        "INSERT",
        &format!(" ON CONFLICT(id) DO UPDATE SET {updates}"),
    )
}

/// Insert unless a row with the same id (or unique code) exists.
pub fn insert_ignore_sql<E: Entity>() -> String {
    insert_sql::<E>("INSERT OR IGNORE", "")
}

/// Plain insert (bulk loading into fresh tables).
pub fn insert_plain_sql<E: Entity>() -> String {
    insert_sql::<E>("INSERT", "")
}
