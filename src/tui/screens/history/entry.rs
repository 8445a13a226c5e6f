//! One audit entry as people read it: each changed field by the label its
//! form gives it (else its column's label, as the snapshot and workbook
//! name it), values as the form shows them (money in yuan, codes and
//! choices by their labels, yes and no, times in local time), and the
//! member, visit or household the entry is about, by name.
//!
//! An entry holds labels, not texts: they are put into words when drawn,
//! so a language switch shows at once. Everything read from the database
//! is cleaned of what a terminal should never be sent.

use serde_json::{Map, Value as Json};
use uuid::Uuid;

use crate::clock::local_time;
use crate::domain::records::{self, Person, Township, Village};
use crate::domain::rules;
use crate::domain::table::{Column, Kind};
use crate::forms::{Field, Label, Options, Target, round_label};
use crate::i18n::{Catalog, Lang};
use crate::snapshot;
use crate::store::Store;
use crate::store::audit::AuditEntry;
use crate::text;

/// What the history names entries by: the tables a history shows.
const TABLES: [&str; 5] = ["household", "person", "visit", "visit_person", "village"];
/// The actions the audit log writes.
const ACTIONS: [&str; 4] = ["insert", "update", "delete", "import"];

/// One entry of the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its place in the audit log (the key its page is read by).
    pub seq: i64,
    /// Local time, `YYYY-MM-DD HH:MM`.
    pub when: String,
    pub who: String,
    /// Created, changed, deleted, imported.
    pub action: Label,
    /// A household, a member, a visit, a member's answers, a village.
    pub table: Label,
    /// Which one: the member's name, the visit's date, the household's number.
    pub subject: Label,
    /// Every field whose value changed, in the order the record declares them.
    pub changes: Vec<Change>,
}

/// One field of an entry, before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Locale key of the field's label.
    pub label: String,
    /// The record was made by this entry: there was no value before.
    pub created: bool,
    pub before: Shown,
    pub after: Shown,
}

/// A value as shown: nothing, one label, or several (codes of a multiple choice).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shown(pub Vec<Label>);

impl Shown {
    fn one(label: Label) -> Shown {
        Shown(vec![label])
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn text(&self, cat: &Catalog, lang: Lang) -> String {
        let sep = crate::tui::screen::list_sep(cat, lang);
        self.0
            .iter()
            .map(|l| l.text(cat, lang))
            .collect::<Vec<_>>()
            .join(&sep)
    }
}

impl Change {
    /// `label：before → after`; a value of a record just made as `label：value`.
    pub fn text(&self, cat: &Catalog, lang: Lang) -> String {
        let field = cat.text(lang, &self.label);
        let after = self.after.text(cat, lang);
        if self.created {
            cat.format(
                lang,
                "history.value",
                &[("field", &field), ("value", &after)],
            )
        } else {
            let before = self.before.text(cat, lang);
            cat.format(
                lang,
                "history.change",
                &[("field", &field), ("before", &before), ("after", &after)],
            )
        }
    }
}

impl Entry {
    /// What happened to what: "changed member 卓玛".
    pub fn heading(&self, cat: &Catalog, lang: Lang) -> String {
        [&self.action, &self.table, &self.subject]
            .iter()
            .map(|l| l.text(cat, lang))
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Every change, on one line (for the list, cut to its width).
    pub fn summary(&self, cat: &Catalog, lang: Lang) -> String {
        let sep = cat.text(lang, "history.field_sep");
        self.changes
            .iter()
            .map(|c| c.text(cat, lang))
            .collect::<Vec<_>>()
            .join(&sep)
    }
}

/// Turns audit entries into [`Entry`]s: the forms' fields, read once.
pub struct Reader {
    fields: Vec<Field>,
}

impl Default for Reader {
    fn default() -> Self {
        Reader::new()
    }
}

fn plain(s: &str) -> Label {
    Label::Plain(text::clean(s).into_owned())
}

fn object(json: Option<&str>) -> Map<String, Json> {
    json.and_then(|j| serde_json::from_str::<Json>(j).ok())
        .and_then(|v| match v {
            Json::Object(o) => Some(o),
            _ => None,
        })
        .unwrap_or_default()
}

/// A stored value as text (what the store compares): empty for NULL.
fn stored(v: Option<&Json>) -> String {
    match v {
        None | Some(Json::Null) => String::new(),
        Some(Json::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

impl Reader {
    pub fn new() -> Reader {
        Reader {
            fields: Target::all_specs()
                .into_iter()
                .flat_map(|s| s.sections.into_iter().flat_map(|sec| sec.fields))
                .filter(|f| f.column.is_some())
                .collect(),
        }
    }

    /// Where the form field bound to `column` of `table` is among the
    /// forms' fields, if a form asks it.
    fn field_index(&self, table: &str, column: &str) -> Option<usize> {
        self.fields
            .iter()
            .position(|f| f.table == Some(table) && f.column.is_some_and(|c| c.name == column))
    }

    /// The entry as shown; names and catalogue labels are read from `store`.
    pub fn entry(&self, store: &Store, e: &AuditEntry) -> Entry {
        let before = object(e.before.as_deref());
        let after = object(e.after.as_deref());
        let table = e.table.as_str();
        let mut changes: Vec<(usize, Change)> = match records::table(table) {
            Some(t) => t
                .columns
                .iter()
                .enumerate()
                .filter_map(|(declared, c)| {
                    let asked = self.field_index(table, c.name);
                    let field = asked.map(|i| &self.fields[i]);
                    // A reference no form asks (the household a member
                    // belongs to) is what the entry is about, not a change.
                    if matches!(c.kind, Kind::Ref(_)) && field.is_none() {
                        return None;
                    }
                    let (b, a) = (stored(before.get(c.name)), stored(after.get(c.name)));
                    let change = Change {
                        created: e.before.is_none(),
                        label: field
                            .map(|f| f.label.to_owned())
                            .unwrap_or_else(|| snapshot::column_key(c.name)),
                        before: shown(store, c, field, &b),
                        after: shown(store, c, field, &a),
                    };
                    // The fields in the order the form asks them, then the
                    // columns no form asks, in the order they are declared.
                    let order = asked.unwrap_or(self.fields.len() + declared);
                    (b != a).then_some((order, change))
                })
                .collect(),
            None => Vec::new(),
        };
        changes.sort_by_key(|(order, _)| *order);
        let changes = changes.into_iter().map(|(_, c)| c).collect();
        let action = if ACTIONS.contains(&e.action.as_str()) {
            Label::Key(format!("history.action.{}", e.action))
        } else {
            plain(&e.action)
        };
        let table_label = if TABLES.contains(&table) {
            Label::Key(format!("history.table.{table}"))
        } else if records::table(table).is_some() {
            Label::Key(snapshot::table_key(table))
        } else {
            plain(table)
        };
        let get = |k: &str| {
            let v = stored(after.get(k));
            if v.is_empty() {
                stored(before.get(k))
            } else {
                v
            }
        };
        let subject = match table {
            "person" => person_name(store, &e.row_id)
                .unwrap_or_else(|| names(&get("name_zh"), &get("name_bo"))),
            "visit_person" => person_name(store, &get("person_id")).unwrap_or_else(|| plain("")),
            "visit" => plain(&get("visit_date")),
            "household" => plain(&get("number")),
            "village" => names(&get("name_zh"), &get("name_bo")),
            _ => plain(""),
        };
        Entry {
            seq: e.seq,
            when: text::clean(&local_time(&e.at)).into_owned(),
            who: text::clean(&e.operator).into_owned(),
            action,
            table: table_label,
            subject,
            changes,
        }
    }
}

/// Names kept in the data, cleaned; the Chinese stands in for English.
fn names(zh: &str, bo: &str) -> Label {
    let zh = text::clean(zh).into_owned();
    Label::Names {
        en: zh.clone(),
        zh,
        bo: text::clean(bo).into_owned(),
    }
}

/// A member by name, as the register shows them (deleted ones too).
fn person_name(store: &Store, id: &str) -> Option<Label> {
    let id = Uuid::parse_str(id).ok()?;
    let p = store.get_any::<Person>(id).ok()??;
    Some(names(&p.name_zh, &p.name_bo))
}

/// A stored value of `column` as its form shows it; nothing for none.
fn shown(store: &Store, column: &Column, field: Option<&Field>, v: &str) -> Shown {
    if v.is_empty() {
        return Shown::default();
    }
    let by_id = |f: &dyn Fn(Uuid) -> Option<Label>| {
        Uuid::parse_str(v)
            .ok()
            .and_then(f)
            .map(Shown::one)
            .unwrap_or_default()
    };
    match field.map(|f| f.options) {
        Some(Options::Rounds) => return Shown::one(round_label(&text::clean(v))),
        Some(Options::Villages) => {
            return by_id(&|id| {
                let vil = store.get_any::<Village>(id).ok()??;
                Some(names(&vil.name_zh, &vil.name_bo))
            });
        }
        Some(Options::Townships) => {
            return by_id(&|id| {
                let t = store.get_any::<Township>(id).ok()??;
                Some(names(&t.name_zh, &t.name_bo))
            });
        }
        Some(Options::CourseIds) => {
            return by_id(&|id| {
                let c = store.get_any::<crate::domain::records::Course>(id).ok()??;
                Some(names(&c.name_zh, &c.name_bo))
            });
        }
        Some(Options::PostTypes) => {
            return by_id(&|id| {
                let t = store
                    .get_any::<crate::domain::records::PostType>(id)
                    .ok()??;
                Some(names(&t.name_zh, &t.name_bo))
            });
        }
        Some(Options::FundingSources) => {
            return by_id(&|id| {
                let f = store
                    .get_any::<crate::domain::records::FundingSource>(id)
                    .ok()??;
                Some(names(&f.name_zh, &f.name_bo))
            });
        }
        _ => {}
    }
    match column.kind {
        Kind::Fen => Shown::one(match v.parse::<i64>() {
            Ok(fen) => Label::Plain(rules::format_yuan(fen)),
            Err(_) => plain(v),
        }),
        Kind::Flag => Shown::one(Label::Key(
            if v == "1" { "form.yes" } else { "form.no" }.to_owned(),
        )),
        Kind::Timestamp => Shown::one(plain(&local_time(v))),
        Kind::Code(list) | Kind::Codes(list) => Shown(
            v.split_whitespace()
                .map(|code| {
                    if list.contains(code) {
                        Label::Key(list.label_key(code))
                    } else {
                        plain(code)
                    }
                })
                .collect(),
        ),
        Kind::CodesOf(catalogue) => {
            let courses = if catalogue == "course" {
                store.courses().unwrap_or_default()
            } else {
                Vec::new()
            };
            Shown(
                v.split_whitespace()
                    .map(|code| match courses.iter().find(|c| c.code == code) {
                        Some(c) => Label::Names {
                            zh: text::clean(&c.name_zh).into_owned(),
                            bo: text::clean(&c.name_bo).into_owned(),
                            en: text::clean(&c.name_en).into_owned(),
                        },
                        None => plain(code),
                    })
                    .collect(),
            )
        }
        Kind::Ref("person") => by_id(&|id| person_name(store, &id.to_string())),
        _ => Shown::one(plain(v)),
    }
}
