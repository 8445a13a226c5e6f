//! One codec per kind of column: a stored value as a form shows it, and an
//! answer as typed back into the stored value, checked by the column's one
//! check (the same the store and the importer make).
//!
//! Answers are lenient where people are (`6,000.50` yuan, `2025/2/3`,
//! `138 1234 5678`, full-width digits); the stored value is canonical.

use chrono::NaiveDate;

use super::parse_date;
use crate::domain::Problem;
use crate::domain::id_number::parse_id_number;
use crate::domain::phone::parse_phone;
use crate::domain::rules;
use crate::domain::table::{Column, Days, Kind, Value};

/// A stored value as the form's answer: money in yuan, yes/no as `1`/`0`,
/// several codes space-separated, nothing for NULL.
pub fn to_answer(kind: Kind, v: &Value) -> String {
    match (kind, v) {
        (_, Value::Null) => String::new(),
        (Kind::Fen, Value::Int(n)) => rules::format_yuan(*n),
        (_, v) => v.to_text(),
    }
}

/// An answer as the column's stored value, checked. An empty answer is
/// NULL where the column allows it, else empty text (a required column
/// then refuses it).
pub fn from_answer(column: &Column, answer: &str, today: NaiveDate) -> Result<Value, Problem> {
    let a = answer.trim();
    let on = |p: Problem| {
        if p.field.is_some() {
            p
        } else {
            p.on(column.name)
        }
    };
    let value = if a.is_empty() {
        if column.nullable {
            Value::Null
        } else if column.kind == Kind::Flag {
            // An unanswered yes/no that must be stored is a no.
            Value::Int(0)
        } else if column.kind.is_integer() {
            return Err(Problem::error("form.error.required").on(column.name));
        } else {
            Value::Text(String::new())
        }
    } else {
        match column.kind {
            Kind::Fen => Value::Int(rules::parse_yuan(a).map_err(on)?),
            Kind::Integer | Kind::Year => Value::Int(
                rules::fold_fullwidth(a)
                    .parse::<i64>()
                    .map_err(|_| Problem::error("form.error.integer").on(column.name))?,
            ),
            Kind::Flag => Value::Int(i64::from(a == "1")),
            Kind::Date => Value::Text(parse_date(a).map_err(on)?.to_string()),
            Kind::IdNumber => {
                let (id, _) = parse_id_number(a, today).map_err(on)?;
                Value::Text(id.as_str().to_owned())
            }
            Kind::Phone => Value::Text(parse_phone(a).map_err(on)?),
            _ => Value::Text(a.to_owned()),
        }
    };
    let stored = value.to_text();
    if !stored.is_empty() || !column.nullable {
        column.check(&stored, Days::on(today)).map_err(on)?;
    }
    Ok(value)
}
