//! When a record changed under an open form (another clerk saved, an
//! import merged, a supervisor reviewed): the user's changes applied to the
//! record as it now is. A field only one side changed takes that side's
//! value; a field both changed to different values is a clash, kept as the
//! user typed it and shown with the other value.

use std::collections::BTreeMap;

use super::{FormData, Row, Values};

/// A field both sides changed differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    /// The repeat section and the block's key (see [`row_key`]), or none
    /// for a field of the form itself.
    pub row: Option<(String, String)>,
    pub field: String,
    /// The other side's value.
    pub theirs: String,
}

/// Which block a row is, on both sides: the person it asks about (a
/// visit's labourer), else the record it edits; none for a new block.
pub fn row_key(row: &Row) -> Option<String> {
    row.values
        .get("person_id")
        .filter(|p| !p.is_empty())
        .cloned()
        .or_else(|| row.id.map(|id| id.to_string()))
}

/// `mine` (the user's answers, begun from `base`) applied to `theirs` (the
/// record as it is now); the clashes, where mine is kept.
pub fn merge(base: &FormData, mine: &FormData, theirs: &FormData) -> (FormData, Vec<Clash>) {
    let mut clashes = Vec::new();
    let values = merge_values(
        &base.values,
        &mine.values,
        &theirs.values,
        &mut |field, t| {
            clashes.push(Clash {
                row: None,
                field: field.to_owned(),
                theirs: t.to_owned(),
            })
        },
    );
    let mut rows = BTreeMap::new();
    let sections = mine.rows.keys().chain(theirs.rows.keys());
    for section in sections {
        if rows.contains_key(section) {
            continue;
        }
        let keyed = |d: &FormData| -> BTreeMap<String, Row> {
            d.rows(section)
                .iter()
                .filter_map(|r| row_key(r).map(|k| (k, r.clone())))
                .collect()
        };
        let (b, t) = (keyed(base), keyed(theirs));
        let mut out: Vec<Row> = Vec::new();
        for m in mine.rows(section) {
            let Some(key) = row_key(m) else {
                // A block the user added: theirs has nothing to say.
                out.push(m.clone());
                continue;
            };
            let empty = Row::default();
            let before = b.get(&key).unwrap_or(&empty);
            match t.get(&key) {
                Some(now) => {
                    let values =
                        merge_values(&before.values, &m.values, &now.values, &mut |field, v| {
                            clashes.push(Clash {
                                row: Some((section.clone(), key.clone())),
                                field: field.to_owned(),
                                theirs: v.to_owned(),
                            })
                        });
                    out.push(Row {
                        id: now.id.or(m.id),
                        values,
                        removed: m.removed,
                        manual: m.manual.clone(),
                        derived: m.derived.clone(),
                    });
                }
                // Gone on their side: dropped too, unless the user changed it.
                None if m.values == before.values && !m.removed => {}
                None => out.push(m.clone()),
            }
        }
        // Blocks they added.
        let known: Vec<Option<String>> = mine.rows(section).iter().map(row_key).collect();
        for now in theirs.rows(section) {
            if !known.contains(&row_key(now)) {
                out.push(now.clone());
            }
        }
        rows.insert(section.clone(), out);
    }
    let merged = FormData {
        values,
        rows,
        versions: theirs.versions.clone(),
        manual: mine.manual.clone(),
        derived: mine.derived.clone(),
    };
    (merged, clashes)
}

/// One set of answers merged field by field.
fn merge_values(
    base: &Values,
    mine: &Values,
    theirs: &Values,
    clash: &mut dyn FnMut(&str, &str),
) -> Values {
    let mut out = Values::new();
    let keys = base.keys().chain(mine.keys()).chain(theirs.keys());
    for k in keys {
        if out.contains_key(k) {
            continue;
        }
        fn get<'v>(v: &'v Values, k: &str) -> &'v str {
            v.get(k).map(String::as_str).unwrap_or_default()
        }
        let (b, m, t) = (get(base, k), get(mine, k), get(theirs, k));
        let value = if m == b {
            t
        } else if t == b || t == m {
            m
        } else {
            clash(k, t);
            m
        };
        out.insert(k.clone(), value.to_owned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(values: &[(&str, &str)]) -> FormData {
        FormData {
            values: values
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            ..FormData::default()
        }
    }

    #[test]
    fn fields_changed_on_one_side_take_that_side_and_both_sides_clash() {
        let base = data(&[("phone", "1"), ("exit_year", ""), ("number", "9")]);
        let mine = data(&[("phone", "1"), ("exit_year", "2019"), ("number", "8")]);
        let theirs = data(&[("phone", "2"), ("exit_year", ""), ("number", "7")]);
        let (m, clashes) = merge(&base, &mine, &theirs);
        assert_eq!(m.values["phone"], "2", "theirs only");
        assert_eq!(m.values["exit_year"], "2019", "mine only");
        assert_eq!(m.values["number"], "8", "both: mine kept");
        assert_eq!(
            clashes,
            vec![Clash {
                row: None,
                field: "number".into(),
                theirs: "7".into()
            }]
        );
    }
}
