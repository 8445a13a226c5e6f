//! The declarative form engine. A form is data: sections of fields, each
//! with a type, a label (a locale key), whether it is required, a
//! constraint, and a relevance rule (shown only when earlier answers make
//! it apply). A section may repeat (one block per household member). One
//! renderer and one key handler (`tui::widgets::form`) serve every form.
//!
//! Answers are kept as the text the user typed or the code they chose, so a
//! draft is just the answers serialised; typed values are made from them on
//! validation. Choice fields store stable codes only.
//!
//! No SQL and no terminal here: forms read the store only through the
//! [`RuleEnv`] a constraint is given.

pub mod codec;
pub mod employment;
pub mod household;
pub mod merge;
pub mod post;
mod target;
pub mod training;
pub mod village;
pub mod visit;

pub use merge::{Clash, merge};
pub use target::{Draft, Form, Subject, Target};

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::codes::ChoiceList;
use crate::domain::rules;
use crate::domain::table::{Column, Kind as ColumnKind, Record, Table};
use crate::domain::{Findings, Problem};
use crate::i18n::{Catalog, Lang, names_text};
use crate::store::{Store, StoreError};

/// The type of a field: how it is edited, shown and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Integer,
    /// Yuan as typed, stored as fen.
    Money,
    /// `YYYY-MM-DD`.
    Date,
    /// One code from the field's options.
    Choice,
    /// Several codes from the field's options, space-separated.
    Multi,
    /// `1` or `0`.
    YesNo,
    /// A village id, chosen from the gazetteer.
    Village,
    /// A person id, chosen from the household's members.
    Person,
}

impl Kind {
    /// Whether the field is edited by typing (else by choosing).
    pub fn is_typed(self) -> bool {
        matches!(self, Kind::Text | Kind::Integer | Kind::Money | Kind::Date)
    }
}

/// Where a choice field's options come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Options {
    None,
    /// A coded list; labels are the locale keys `code.<list>.<code>`.
    Codes(ChoiceList),
    /// The live course catalogue (codes are course codes).
    Courses,
    /// The live course catalogue (codes are course ids).
    CourseIds,
    /// Every live village (codes are village ids).
    Villages,
    /// The townships (codes are township ids).
    Townships,
    /// The live post types (codes are post type ids).
    PostTypes,
    /// The live funding sources (codes are their ids).
    FundingSources,
    /// The household's members (codes are person ids).
    Members,
    /// The survey rounds of this year and the two before (codes
    /// `2026-start`, labels from `round.start`).
    Rounds,
}

/// One option of a choice field: its stored code and its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opt {
    pub code: String,
    pub label: Label,
}

/// A label: a locale key, or names kept in the data (courses, villages, people).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Label {
    Key(String),
    /// A locale text with its placeholders filled.
    KeyArgs(String, Vec<(String, String)>),
    Names {
        zh: String,
        bo: String,
        en: String,
    },
    /// A name from a catalogue (a course, a township): in Tibetan, one not
    /// yet written in Tibetan is marked.
    Catalogue {
        zh: String,
        bo: String,
        en: String,
    },
    /// A village with its township: (Chinese, Tibetan) names of each.
    Place {
        township: (String, String),
        village: (String, String),
    },
    /// Text kept as it was entered.
    Plain(String),
}

impl Label {
    pub fn text(&self, cat: &Catalog, lang: Lang) -> String {
        match self {
            Label::Key(k) => cat.text(lang, k),
            Label::KeyArgs(k, args) => {
                let args: Vec<(&str, &str)> =
                    args.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
                cat.format(lang, k, &args)
            }
            Label::Names { zh, bo, en } => names_text(zh, bo, en, lang),
            Label::Catalogue { zh, bo, en } => crate::i18n::catalogue_text(cat, zh, bo, en, lang),
            Label::Place { township, village } => place_text(cat, township, village, lang),
            Label::Plain(t) => t.clone(),
        }
    }
}

/// A village with its township in `lang`. In Tibetan, a name not yet
/// written in Tibetan is shown in Chinese; in bilingual mode the Tibetan
/// half holds only what has a Tibetan name, so nothing is shown twice.
pub fn place_text(
    cat: &Catalog,
    township: &(String, String),
    village: &(String, String),
    lang: Lang,
) -> String {
    let or = |a: &str, b: &str| {
        if a.is_empty() {
            b.to_owned()
        } else {
            a.to_owned()
        }
    };
    let join = |a: String, b: String| {
        [a, b]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let zh = join(township.0.clone(), village.0.clone());
    match lang {
        Lang::Zh | Lang::En => zh,
        Lang::Bo => {
            let shown = join(or(&township.1, &township.0), or(&village.1, &village.0));
            if (township.1.is_empty() && !township.0.is_empty())
                || (village.1.is_empty() && !village.0.is_empty())
            {
                format!("{shown} {}", cat.text(Lang::Bo, "ui.not_in_tibetan"))
            } else {
                shown
            }
        }
        Lang::ZhBo => {
            let bo = match (township.1.is_empty(), village.1.is_empty()) {
                (false, false) => join(township.1.clone(), village.1.clone()),
                (true, false) => village.1.clone(),
                _ => String::new(),
            };
            join(zh, bo)
        }
    }
}

/// A survey round as shown: "2026 start-of-year survey" for `2026-start`;
/// anything else (a round typed freely before rounds were a choice) as it is.
pub fn round_label(code: &str) -> Label {
    match code.strip_suffix("-start") {
        Some(year) if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) => {
            Label::KeyArgs("round.start".into(), vec![("year".into(), year.into())])
        }
        _ => Label::Plain(code.to_owned()),
    }
}

/// The survey round a day belongs to: the start-of-year round of its year.
pub fn round_of(day: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}-start", day.year())
}

/// What a constraint or an on-change rule may look at.
pub struct RuleEnv<'a> {
    pub today: NaiveDate,
    pub store: &'a Store,
    /// The id of the record the form edits.
    pub record_id: Uuid,
}

/// The answers a rule sees: the form's top-level answers and, inside a
/// repeat block, that block's answers.
#[derive(Clone, Copy)]
pub struct Answers<'a> {
    pub top: &'a Values,
    pub row: Option<&'a Row>,
}

impl Answers<'_> {
    /// A field's answer: the block's own first, then the form's.
    pub fn get(&self, name: &str) -> &str {
        self.row
            .and_then(|r| r.values.get(name))
            .or_else(|| self.top.get(name))
            .map(String::as_str)
            .unwrap_or_default()
    }
}

pub type Values = BTreeMap<String, String>;

/// One block of a repeat section (one household member, one labourer's answers).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Row {
    /// The record the block edits, once it exists.
    pub id: Option<Uuid>,
    pub values: Values,
    /// Removed by the user: deleted (a tombstone) on save.
    #[serde(default)]
    pub removed: bool,
    /// Fields the user set by hand (an on-change rule leaves them alone).
    #[serde(default)]
    pub manual: std::collections::BTreeSet<String>,
    /// Fields an on-change rule filled in.
    #[serde(default)]
    pub derived: std::collections::BTreeSet<String>,
}

pub type Constraint = fn(&str, &Answers<'_>, &RuleEnv<'_>) -> Vec<Problem>;
pub type Relevance = fn(&Answers<'_>) -> bool;
/// Runs after the field changed; may fill other fields of the same block
/// (sex and birth date from an ID number).
pub type OnChange = fn(&mut Derive<'_>);

/// What an on-change rule works on: the answers of the block (or form)
/// whose field changed. A value it fills in is *derived*: filled again
/// whenever its source changes, cleared when the source no longer gives
/// it, and never touched once the user has set it by hand.
pub struct Derive<'a> {
    pub values: &'a mut Values,
    manual: &'a std::collections::BTreeSet<String>,
    derived: &'a mut std::collections::BTreeSet<String>,
    pub today: NaiveDate,
}

impl Derive<'_> {
    pub fn get(&self, field: &str) -> &str {
        self.values
            .get(field)
            .map(String::as_str)
            .unwrap_or_default()
    }

    /// Fills `field` with `value`, unless the user set it by hand.
    pub fn derive(&mut self, field: &str, value: impl Into<String>) {
        if !self.manual.contains(field) {
            self.values.insert(field.to_owned(), value.into());
            self.derived.insert(field.to_owned());
        }
    }

    /// Clears `field` if it holds a value derived earlier (its source no
    /// longer gives one), unless the user set it by hand.
    pub fn underive(&mut self, field: &str) {
        if !self.manual.contains(field) && self.derived.remove(field) {
            self.values.insert(field.to_owned(), String::new());
        }
    }
}

/// One field of a form.
#[derive(Clone)]
pub struct Field {
    /// Stable name: the answer's key (a draft keeps answers by it).
    pub name: &'static str,
    /// The column the answer is stored in, if any: its kind decides how
    /// the answer is checked and stored (see [`codec`]).
    pub column: Option<&'static Column>,
    /// The table of that column.
    pub table: Option<&'static str>,
    /// Locale key of the label.
    pub label: &'static str,
    pub kind: Kind,
    pub options: Options,
    pub required: bool,
    pub max_len: usize,
    pub relevant: Option<Relevance>,
    pub constraint: Option<Constraint>,
    pub on_change: Option<OnChange>,
}

impl Field {
    pub const fn new(name: &'static str, label: &'static str, kind: Kind) -> Field {
        Field {
            name,
            column: None,
            table: None,
            label,
            kind,
            options: Options::None,
            required: false,
            max_len: 200,
            relevant: None,
            constraint: None,
            on_change: None,
        }
    }
    /// A field bound to the column `name` of `table` (the answer's key is
    /// the column's name): how it is edited and its choices follow from
    /// the column's kind.
    pub fn of(table: &'static Table, name: &'static str, label: &'static str) -> Field {
        Field::new(name, label, Kind::Text).bind(table, name)
    }

    /// Binds the field to the column `column` of `table`.
    pub fn bind(mut self, table: &'static Table, column: &'static str) -> Field {
        let c = table
            .column(column)
            .unwrap_or_else(|| panic!("form field {}: no column {column} in {table}", self.name));
        let (kind, options) = match c.kind {
            ColumnKind::Integer | ColumnKind::Year => (Kind::Integer, Options::None),
            ColumnKind::Fen => (Kind::Money, Options::None),
            ColumnKind::Date => (Kind::Date, Options::None),
            ColumnKind::Flag => (Kind::YesNo, Options::None),
            ColumnKind::Code(l) => (Kind::Choice, Options::Codes(l)),
            ColumnKind::Codes(l) => (Kind::Multi, Options::Codes(l)),
            ColumnKind::CodesOf(_) => (Kind::Multi, Options::Courses),
            ColumnKind::Ref("village") => (Kind::Village, Options::Villages),
            ColumnKind::Ref("township") => (Kind::Choice, Options::Townships),
            ColumnKind::Ref("course") => (Kind::Choice, Options::CourseIds),
            ColumnKind::Ref("post_type") => (Kind::Choice, Options::PostTypes),
            ColumnKind::Ref("funding_source") => (Kind::Choice, Options::FundingSources),
            ColumnKind::Ref("person") => (Kind::Person, Options::Members),
            _ => (Kind::Text, Options::None),
        };
        self.column = Some(c);
        self.table = Some(table.name);
        self.kind = kind;
        self.options = options;
        self.max_len = c.max_len;
        self.required |= c.required;
        self
    }

    /// Edited as a choice among `options` (a text column whose values come
    /// from a list made at run time, such as survey rounds).
    pub fn choice(mut self, options: Options) -> Field {
        self.kind = Kind::Choice;
        self.options = options;
        self
    }

    pub const fn required(mut self) -> Field {
        self.required = true;
        self
    }
    pub const fn options(mut self, o: Options) -> Field {
        self.options = o;
        self
    }
    pub const fn max_len(mut self, n: usize) -> Field {
        self.max_len = n;
        self
    }
    pub const fn relevant(mut self, r: Relevance) -> Field {
        self.relevant = Some(r);
        self
    }
    pub const fn constraint(mut self, c: Constraint) -> Field {
        self.constraint = Some(c);
        self
    }
    pub const fn on_change(mut self, f: OnChange) -> Field {
        self.on_change = Some(f);
        self
    }

    /// Whether the field holds Tibetan text, so Wylie input applies: free
    /// text and Tibetan names; not numbers, dates, codes, ID numbers,
    /// phones or Chinese names.
    pub fn takes_tibetan(&self) -> bool {
        use crate::domain::table::Kind as C;
        self.kind == Kind::Text
            && match self.column {
                None => true,
                Some(c) => match c.kind {
                    C::Text => true,
                    C::Name => !c.name.ends_with("_zh") && !c.name.ends_with("_en"),
                    _ => false,
                },
            }
    }

    pub fn is_relevant(&self, a: &Answers<'_>) -> bool {
        self.relevant.is_none_or(|r| r(a))
    }
}

/// A group of fields; a repeating section holds one block per row.
#[derive(Clone)]
pub struct Section {
    pub name: &'static str,
    pub label: &'static str,
    pub fields: Vec<Field>,
    pub repeat: Option<Repeat>,
}

/// How a repeating section behaves.
#[derive(Clone, Copy)]
pub struct Repeat {
    /// Whether the user may add and remove blocks (a household roster) or
    /// the blocks are given (one per labourer in a visit).
    pub editable: bool,
    /// Locale key of a block's heading, with `{n}` and `{name}`.
    pub heading: &'static str,
    /// Whether a block is shown (e.g. only working-age members in a visit).
    pub relevant: Option<Relevance>,
}

/// A whole form.
#[derive(Clone)]
pub struct FormSpec {
    /// Stable name, also the draft's prefix (`household`, `visit`, `village`).
    pub name: &'static str,
    pub title: &'static str,
    pub sections: Vec<Section>,
    /// A check across the blocks of the form (one head per household).
    pub check: Option<FormCheck>,
}

/// A check of the whole form's answers: the problems, each at its field.
pub type FormCheck = fn(&FormSpec, &FormData) -> Vec<(Slot, Problem)>;

/// Where a field's answer lives: its section, its block (for repeat
/// sections), and its index in the section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slot {
    pub section: usize,
    pub row: Option<usize>,
    pub field: usize,
}

/// The answers of one form being filled in.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FormData {
    pub values: Values,
    /// Blocks of each repeat section, by section name.
    pub rows: BTreeMap<String, Vec<Row>>,
    /// When each record the form edits was last changed, as read (record id
    /// -> `updated_at`): a save is refused by the store if a record changed
    /// since, instead of overwriting that change.
    #[serde(default)]
    pub versions: BTreeMap<String, String>,
    /// The form's own fields the user set by hand, and those filled in (see
    /// [`Row::manual`]).
    #[serde(default)]
    pub manual: std::collections::BTreeSet<String>,
    #[serde(default)]
    pub derived: std::collections::BTreeSet<String>,
}

impl FormData {
    pub fn rows(&self, section: &str) -> &[Row] {
        self.rows.get(section).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Notes the version of a record as read.
    pub fn read<R: Record>(&mut self, record: &R) {
        let m = record.meta();
        self.versions.insert(m.id.to_string(), m.updated_at.clone());
    }

    /// Sets a record (just read again to be saved) to the version the form
    /// read, so the store refuses the save if it changed since.
    pub fn as_read<R: Record>(&self, record: &mut R) {
        if let Some(v) = self.versions.get(&record.meta().id.to_string()) {
            record.meta_mut().updated_at = v.clone();
        }
    }
}

impl FormSpec {
    pub fn field(&self, slot: Slot) -> &Field {
        &self.sections[slot.section].fields[slot.field]
    }

    /// The answers a field's rules see.
    pub fn answers<'a>(&self, data: &'a FormData, slot: Slot) -> Answers<'a> {
        let row = slot
            .row
            .and_then(|r| data.rows(self.sections[slot.section].name).get(r));
        Answers {
            top: &data.values,
            row,
        }
    }

    pub fn value<'a>(&self, data: &'a FormData, slot: Slot) -> &'a str {
        let name = self.field(slot).name;
        match slot.row {
            None => data.values.get(name),
            Some(r) => data
                .rows(self.sections[slot.section].name)
                .get(r)
                .and_then(|row| row.values.get(name)),
        }
        .map(String::as_str)
        .unwrap_or_default()
    }

    /// Sets a field's answer as the user gave it (so no rule overwrites it
    /// again) and runs its on-change rule.
    pub fn set(&self, data: &mut FormData, slot: Slot, value: &str, today: NaiveDate) {
        let field = self.field(slot);
        let name = field.name;
        match slot.row {
            None => {
                data.values.insert(name.to_owned(), value.to_owned());
                data.manual.insert(name.to_owned());
                data.derived.remove(name);
                if let Some(f) = field.on_change {
                    f(&mut Derive {
                        values: &mut data.values,
                        manual: &data.manual,
                        derived: &mut data.derived,
                        today,
                    });
                }
            }
            Some(r) => {
                let section = self.sections[slot.section].name;
                if let Some(row) = data.rows.get_mut(section).and_then(|rows| rows.get_mut(r)) {
                    row.values.insert(name.to_owned(), value.to_owned());
                    row.manual.insert(name.to_owned());
                    row.derived.remove(name);
                    if let Some(f) = field.on_change {
                        f(&mut Derive {
                            values: &mut row.values,
                            manual: &row.manual,
                            derived: &mut row.derived,
                            today,
                        });
                    }
                }
            }
        }
    }

    /// Whether a repeat block is shown.
    pub fn row_shown(&self, section: usize, row: &Row, data: &FormData) -> bool {
        !row.removed
            && self.sections[section]
                .repeat
                .and_then(|r| r.relevant)
                .is_none_or(|rel| {
                    rel(&Answers {
                        top: &data.values,
                        row: Some(row),
                    })
                })
    }

    /// Every field the user can reach now, in order: relevant fields of
    /// shown blocks.
    pub fn slots(&self, data: &FormData) -> Vec<Slot> {
        let mut out = Vec::new();
        for (si, s) in self.sections.iter().enumerate() {
            let rows: Vec<Option<usize>> = match s.repeat {
                None => vec![None],
                Some(_) => data
                    .rows(s.name)
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| self.row_shown(si, r, data))
                    .map(|(i, _)| Some(i))
                    .collect(),
            };
            for row in rows {
                for (fi, f) in s.fields.iter().enumerate() {
                    let slot = Slot {
                        section: si,
                        row,
                        field: fi,
                    };
                    if f.is_relevant(&self.answers(data, slot)) {
                        out.push(slot);
                    }
                }
            }
        }
        out
    }

    /// The findings about one field: type, required, constraint.
    pub fn check_field(&self, data: &FormData, slot: Slot, env: &RuleEnv<'_>) -> Vec<Problem> {
        let f = self.field(slot);
        let v = self.value(data, slot).trim();
        let on = |p: Problem| if p.field.is_some() { p } else { p.on(f.name) };
        if v.is_empty() {
            return if f.required {
                vec![Problem::error("form.error.required").on(f.name)]
            } else {
                Vec::new()
            };
        }
        if let Some(c) = f.column {
            if let Err(p) = codec::from_answer(c, v, env.today) {
                return vec![on(p)];
            }
            return match f.constraint {
                Some(check) => check(v, &self.answers(data, slot), env)
                    .into_iter()
                    .map(on)
                    .collect(),
                None => Vec::new(),
            };
        }
        if let Some(c) = crate::domain::table::find_unsafe_char(v) {
            return vec![
                Problem::error("rule.text.control_char")
                    .on(f.name)
                    .arg("code", format!("U+{:04X}", c as u32)),
            ];
        }
        if v.chars().count() > f.max_len {
            return vec![
                Problem::error("form.error.too_long")
                    .on(f.name)
                    .arg("max", f.max_len),
            ];
        }
        let typed = match f.kind {
            Kind::Integer => v
                .parse::<i64>()
                .err()
                .map(|_| Problem::error("form.error.integer")),
            Kind::Money => rules::parse_yuan(v).err(),
            Kind::Date => parse_date(v).err(),
            _ => None,
        };
        if let Some(p) = typed {
            return vec![on(p)];
        }
        match f.constraint {
            Some(c) => c(v, &self.answers(data, slot), env)
                .into_iter()
                .map(on)
                .collect(),
            None => Vec::new(),
        }
    }

    /// Every finding of the whole form, in field order.
    pub fn check_all(&self, data: &FormData, env: &RuleEnv<'_>) -> Vec<(Slot, Problem)> {
        let slots = self.slots(data);
        let mut out: Vec<(Slot, Problem)> = slots
            .iter()
            .flat_map(|&slot| {
                self.check_field(data, slot, env)
                    .into_iter()
                    .map(move |p| (slot, p))
            })
            .collect();
        // Each block's (or the form's) row rule of its table, as the store
        // will check it: at the field it names, before any save.
        let mut blocks: Vec<(usize, Option<usize>)> =
            slots.iter().map(|s| (s.section, s.row)).collect();
        blocks.dedup();
        for (section, row) in blocks {
            let fields = &self.sections[section].fields;
            let Some(table) = fields
                .iter()
                .find_map(|f| f.table)
                .and_then(crate::domain::records::table)
            else {
                continue;
            };
            let Some(rule) = table.row_rule else { continue };
            let answers = Answers {
                top: &data.values,
                row: row.and_then(|r| data.rows(self.sections[section].name).get(r)),
            };
            let get = |column: &str| {
                fields
                    .iter()
                    .find(|f| f.column.is_some_and(|c| c.name == column))
                    .map(|f| answers.get(f.name).trim().to_owned())
                    .unwrap_or_default()
            };
            if let Some(p) = rule(&get) {
                let at = fields
                    .iter()
                    .position(|f| Some(f.name) == p.field)
                    .unwrap_or(0);
                let slot = Slot {
                    section,
                    row,
                    field: at,
                };
                if !out.iter().any(|(s, q)| *s == slot && q.key == p.key) {
                    out.push((slot, p));
                }
            }
        }
        if let Some(check) = self.check {
            out.extend(check(self, data));
        }
        out
    }
}

/// The answers of the fields bound to columns of `R`, from a record.
pub fn answers_of<R: Record>(fields: &[Field], record: &R, into: &mut Values) {
    for f in fields {
        let Some(c) = f.column else { continue };
        if f.table != Some(R::TABLE.name) {
            continue;
        }
        if let Some(v) = record.value(c.name) {
            into.insert(f.name.to_owned(), codec::to_answer(c.kind, &v));
        }
    }
}

/// Sets the columns of `record` from the answers of the fields bound to
/// them; a field the form does not ask (not relevant) is stored empty.
pub fn apply_answers<R: Record>(
    fields: &[Field],
    answers: &Answers<'_>,
    record: &mut R,
    today: NaiveDate,
) -> Result<(), Problem> {
    for f in fields {
        let Some(c) = f.column else { continue };
        if f.table != Some(R::TABLE.name) {
            continue;
        }
        let answer = if f.is_relevant(answers) {
            answers.get(f.name)
        } else {
            ""
        };
        let v = codec::from_answer(c, answer, today)?;
        record.set_value(c.name, v).map_err(|e| {
            Problem::error("rule.value.not_kind")
                .on(f.name)
                .arg("value", e.detail)
                .arg_key("expected", c.kind.expectation_key())
        })?;
    }
    Ok(())
}

/// A date as the user types it: `2025-02-03`, also `2025/2/3`, `2025.2.3`,
/// `20250203`, `2025年2月3日`, full-width digits. A date that does not
/// exist (`2025-02-30`) says which part is wrong.
pub fn parse_date(s: &str) -> Result<NaiveDate, Problem> {
    let folded = rules::fold_fullwidth(s.trim());
    let bad = || Problem::error("form.error.date").arg("input", folded.as_str());
    let parts: Vec<&str> = if folded.len() == 8 && folded.bytes().all(|b| b.is_ascii_digit()) {
        vec![&folded[..4], &folded[4..6], &folded[6..]]
    } else {
        folded
            .trim_end_matches('日')
            .split(['-', '/', '.', '年', '月'])
            .collect()
    };
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    let number = |p: &str, max_len: usize| -> Option<u32> {
        (!p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (number(y, 4), number(m, 2), number(d, 2)) else {
        return Err(bad());
    };
    if y < 1000 {
        return Err(bad());
    }
    if !(1..=12).contains(&m) {
        return Err(Problem::error("form.error.no_such_month").arg("month", m));
    }
    NaiveDate::from_ymd_opt(y as i32, m, d).ok_or_else(|| {
        let days = (28..=31)
            .rev()
            .find(|d| NaiveDate::from_ymd_opt(y as i32, m, *d).is_some())
            .unwrap_or(28);
        Problem::error("form.error.no_such_day")
            .arg("year", y)
            .arg("month", m)
            .arg("day", d)
            .arg("days", days)
    })
}

/// Findings split for saving: errors block, warnings need acknowledging.
pub fn findings(problems: &[(Slot, Problem)]) -> Findings {
    Findings(problems.iter().map(|(_, p)| p.clone()).collect())
}

/// Options of a field, resolved against the store and the form's data.
pub fn options(
    field: &Field,
    store: &Store,
    data: &FormData,
    members_section: Option<&str>,
    today: NaiveDate,
) -> Result<Vec<Opt>, StoreError> {
    use chrono::Datelike;
    Ok(match field.options {
        Options::Rounds => (0..3)
            .map(|back| {
                let code = format!("{}-start", today.year() - back);
                Opt {
                    label: round_label(&code),
                    code,
                }
            })
            .collect(),
        Options::None => match field.kind {
            Kind::YesNo => vec![
                Opt {
                    code: "1".into(),
                    label: Label::Key("form.yes".into()),
                },
                Opt {
                    code: "0".into(),
                    label: Label::Key("form.no".into()),
                },
            ],
            _ => Vec::new(),
        },
        Options::Codes(list) => list
            .codes
            .iter()
            .map(|c| Opt {
                code: (*c).to_owned(),
                label: Label::Key(list.label_key(c)),
            })
            .collect(),
        Options::Courses => store
            .courses()?
            .into_iter()
            .map(|c| Opt {
                code: c.code,
                label: Label::Catalogue {
                    zh: c.name_zh,
                    bo: c.name_bo,
                    en: c.name_en,
                },
            })
            .collect(),
        Options::CourseIds => store
            .courses()?
            .into_iter()
            .map(|c| Opt {
                code: c.meta.id.to_string(),
                label: Label::Catalogue {
                    zh: c.name_zh,
                    bo: c.name_bo,
                    en: c.name_en,
                },
            })
            .collect(),
        Options::Villages => store
            .village_choices()?
            .into_iter()
            .map(|v| Opt {
                code: v.id.to_string(),
                label: Label::Place {
                    township: (v.township_zh, v.township_bo),
                    village: (v.name_zh, v.name_bo),
                },
            })
            .collect(),
        Options::Townships => store
            .townships()?
            .into_iter()
            .map(|t| Opt {
                code: t.meta.id.to_string(),
                label: Label::Catalogue {
                    en: t.name_zh.clone(),
                    zh: t.name_zh,
                    bo: t.name_bo,
                },
            })
            .collect(),
        Options::PostTypes => store
            .post_types()?
            .into_iter()
            .map(|t| Opt {
                code: t.meta.id.to_string(),
                label: Label::Catalogue {
                    zh: t.name_zh,
                    bo: t.name_bo,
                    en: t.name_en,
                },
            })
            .collect(),
        Options::FundingSources => store
            .funding_sources()?
            .into_iter()
            .map(|f| Opt {
                code: f.meta.id.to_string(),
                label: Label::Catalogue {
                    zh: f.name_zh,
                    bo: f.name_bo,
                    en: f.name_en,
                },
            })
            .collect(),
        Options::Members => members_section
            .map(|s| data.rows(s))
            .unwrap_or_default()
            .iter()
            .filter_map(|r| {
                let id = r.id?;
                let zh = r.values.get("name_zh").cloned().unwrap_or_default();
                let bo = r.values.get("name_bo").cloned().unwrap_or_default();
                Some(Opt {
                    code: id.to_string(),
                    label: Label::Names {
                        en: zh.clone(),
                        zh,
                        bo,
                    },
                })
            })
            .collect(),
    })
}
