//! How a record ([`Record`], declared in `crate::domain::records`) is read
//! from and written to its table: the generic SQL that save / get / delete /
//! audit and the snapshot code use, made from the table's declaration.

use rusqlite::Row;
use rusqlite::types::{FromSqlError, Value as SqlValue, ValueRef};

use crate::domain::records::RowMeta;
use crate::domain::table::{META, Record, Value};

/// The sync columns, first in every table of entered data, in this order.
pub const META_COLUMNS: [&str; 6] = {
    let mut names = [""; 6];
    let mut i = 0;
    while i < names.len() {
        names[i] = META[i].name;
        i += 1;
    }
    names
};

/// `id, created_at, ..., col1, col2, ...` for SELECTs.
pub fn select_list<R: Record>() -> String {
    R::TABLE
        .all_columns()
        .map(|c| c.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// [`select_list`] with each column prefixed by a table alias (`h.id, h.number ...`).
pub fn select_list_as<R: Record>(alias: &str) -> String {
    R::TABLE
        .all_columns()
        .map(|c| format!("{alias}.{}", c.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A stored value as SQLite takes it.
pub fn to_sql(v: Value) -> SqlValue {
    match v {
        Value::Null => SqlValue::Null,
        Value::Int(n) => SqlValue::Integer(n),
        Value::Text(t) => SqlValue::Text(t),
    }
}

fn from_sql(v: ValueRef<'_>) -> Result<Value, FromSqlError> {
    Ok(match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(n) => Value::Int(n),
        ValueRef::Text(t) => Value::Text(
            std::str::from_utf8(t)
                .map_err(|e| FromSqlError::Other(Box::new(e)))?
                .to_owned(),
        ),
        ValueRef::Real(_) | ValueRef::Blob(_) => return Err(FromSqlError::InvalidType),
    })
}

fn get(row: &Row<'_>, i: usize) -> rusqlite::Result<Value> {
    let v = row.get_ref(i)?;
    from_sql(v)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, v.data_type(), Box::new(e)))
}

fn text(row: &Row<'_>, i: usize) -> rusqlite::Result<String> {
    Ok(get(row, i)?.to_text())
}

/// Reads the [`META_COLUMNS`] at the start of a row.
pub fn meta_from_row(row: &Row<'_>) -> rusqlite::Result<RowMeta> {
    let id = text(row, 0)?;
    Ok(RowMeta {
        id: uuid::Uuid::parse_str(&id).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })?,
        created_at: text(row, 1)?,
        updated_at: text(row, 2)?,
        operator: text(row, 3)?,
        device_id: text(row, 4)?,
        deleted_at: match get(row, 5)? {
            Value::Null => None,
            v => Some(v.to_text()),
        },
    })
}

/// Reads a record from a row selected as [`select_list`] (more columns may follow).
pub fn from_row<R: Record>(row: &Row<'_>) -> rusqlite::Result<R> {
    let meta = meta_from_row(row)?;
    let n = R::TABLE.columns.len();
    let values = (0..n)
        .map(|i| get(row, META_COLUMNS.len() + i))
        .collect::<rusqlite::Result<Vec<_>>>()?;
    R::from_values(meta, values).map_err(|e| {
        let i = R::TABLE
            .columns
            .iter()
            .position(|c| c.name == e.column)
            .map_or(0, |i| META_COLUMNS.len() + i);
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

pub fn meta_values(m: &RowMeta) -> Vec<SqlValue> {
    vec![
        SqlValue::Text(m.id.to_string()),
        SqlValue::Text(m.created_at.clone()),
        SqlValue::Text(m.updated_at.clone()),
        SqlValue::Text(m.operator.clone()),
        SqlValue::Text(m.device_id.clone()),
        m.deleted_at.clone().map_or(SqlValue::Null, SqlValue::Text),
    ]
}

/// The values of a record's own columns, as SQLite takes them.
pub fn own_values<R: Record>(record: &R) -> Vec<SqlValue> {
    record.values().into_iter().map(to_sql).collect()
}

/// Every value of a record, meta first, in table column order.
pub fn all_values<R: Record>(record: &R) -> Vec<SqlValue> {
    let mut values = meta_values(record.meta());
    values.extend(own_values(record));
    values
}

/// `INSERT INTO t (all columns) VALUES (?1, ...)` followed by `tail`.
fn insert_sql<R: Record>(verb: &str, tail: &str) -> String {
    let cols: Vec<&str> = R::TABLE.all_columns().map(|c| c.name).collect();
    let marks = (1..=cols.len())
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "{verb} INTO {} ({}) VALUES ({marks}){tail}",
        R::TABLE.name,
        cols.join(", ")
    )
}

/// Insert, or update every column but `id` and `created_at` if the id exists.
pub fn upsert_sql<R: Record>() -> String {
    let updates = R::TABLE
        .all_columns()
        .skip(2)
        .map(|c| format!("{0} = excluded.{0}", c.name))
        .collect::<Vec<_>>()
        .join(", ");
    insert_sql::<R>(
        "INSERT",
        &format!(" ON CONFLICT(id) DO UPDATE SET {updates}"),
    )
}

/// Insert unless a row with the same id (or unique code) exists.
pub fn insert_ignore_sql<R: Record>() -> String {
    insert_sql::<R>("INSERT OR IGNORE", "")
}

/// Plain insert (bulk loading into fresh tables).
pub fn insert_plain_sql<R: Record>() -> String {
    insert_sql::<R>("INSERT", "")
}
