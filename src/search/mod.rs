//! Search over persons and households: what a query means, in which order
//! its matches rank, and the result rows the app's search screen and
//! `fieldbook lookup` show. No SQL here: the store runs the [`Probe`]s of a
//! [`Plan`] (`src/store/search.rs`) and fills the [`Hit`]s.
//!
//! A query is read as what it can be:
//! - digits (with a final `X`, spaces and dashes allowed): a resident ID
//!   number or a household number, whole, by its start, or by its last
//!   digits (four or more); a phone, whole or by its last digits;
//! - Chinese characters: part of a Chinese name;
//! - Tibetan script: part of a Tibetan name, from a syllable on;
//! - Latin letters: pinyin of a Chinese name (`zhangsan`, `zhang san`, or the
//!   initials `zs`), and Extended Wylie for a Tibetan name (`bkra shis`).
//!
//! Matches rank by [`Tier`] (the whole key, its start, then anywhere inside),
//! then by [`MatchKind`] in the order the plan lists them, then by when the
//! record was created. A person is listed once, at their best match.

pub mod keys;

use chrono::NaiveDate;
use uuid::Uuid;

use crate::domain::rules::fold_fullwidth;
use crate::i18n::Lang;
use crate::wylie;

/// How well a key matched, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    /// The whole key: the full name, the whole number.
    Exact,
    /// The start of the key.
    Prefix,
    /// Inside the key: a later syllable of a name, the last digits of a number.
    Inside,
}

/// Which key matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchKind {
    IdNumber,
    HouseholdNumber,
    /// The person's or the household's phone.
    Phone,
    NameZh,
    NameBo,
    Pinyin,
    PinyinInitials,
    /// The Tibetan name, typed in Extended Wylie.
    Wylie,
}

impl MatchKind {
    /// The stable code, for JSON output and locale keys (`search.kind.<code>`).
    pub fn code(self) -> &'static str {
        match self {
            MatchKind::IdNumber => "id_number",
            MatchKind::HouseholdNumber => "household_number",
            MatchKind::Phone => "phone",
            MatchKind::NameZh => "name_zh",
            MatchKind::NameBo => "name_bo",
            MatchKind::Pinyin => "pinyin",
            MatchKind::PinyinInitials => "pinyin_initials",
            MatchKind::Wylie => "wylie",
        }
    }
}

impl Tier {
    pub fn code(self) -> &'static str {
        match self {
            Tier::Exact => "exact",
            Tier::Prefix => "prefix",
            Tier::Inside => "inside",
        }
    }
}

/// A typed query, read every way it can be.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Digits (and a final `X`) if the query is a number.
    pub number: Option<String>,
    /// The Chinese-name key, if the query has Chinese characters.
    pub zh: Option<String>,
    /// The Tibetan-name key, if the query is in Tibetan script.
    pub bo: Option<String>,
    /// The pinyin key, if the query is Latin letters.
    pub pinyin: Option<String>,
    /// The Tibetan-name keys of the query read as Extended Wylie (as typed,
    /// and all lower case if that differs), when it converts.
    pub wylie: Vec<String>,
}

impl Query {
    /// Reads a typed query. Never fails: a query that is nothing searchable
    /// is empty.
    pub fn parse(input: &str) -> Query {
        let folded = fold_fullwidth(input);
        let text = folded.trim();
        let mut q = Query::default();
        if text.is_empty() {
            return q;
        }
        if let Some(n) = number_key(text) {
            q.number = Some(n);
            return q;
        }
        if text.chars().any(keys::is_han) {
            q.zh = Some(keys::zh_key(text)).filter(|k| !k.is_empty());
        }
        if text.chars().any(keys::is_tibetan) {
            q.bo = Some(keys::bo_key(text)).filter(|k| !k.is_empty());
        }
        if q.zh.is_none() && q.bo.is_none() && text.chars().any(|c| c.is_ascii_alphabetic()) {
            q.pinyin = Some(keys::pinyin_key(text)).filter(|k| !k.is_empty());
            let lower = text.to_lowercase();
            for form in [text, lower.as_str()] {
                if let Ok(tib) = wylie::to_tibetan(form).into_result() {
                    let key = keys::bo_key(&tib);
                    if !key.is_empty() && !q.wylie.contains(&key) {
                        q.wylie.push(key);
                    }
                }
            }
        }
        q
    }

    pub fn is_empty(&self) -> bool {
        self.number.is_none()
            && self.zh.is_none()
            && self.bo.is_none()
            && self.pinyin.is_none()
            && self.wylie.is_empty()
    }

    /// The probes to run, best first.
    pub fn plan(&self) -> Vec<Probe> {
        let mut plan = Vec::new();
        for tier in [Tier::Exact, Tier::Prefix, Tier::Inside] {
            if let Some(n) = &self.number {
                // Last digits only from four on: fewer match too much to help.
                if tier != Tier::Inside || n.chars().count() >= MIN_TAIL {
                    for kind in [
                        MatchKind::IdNumber,
                        MatchKind::HouseholdNumber,
                        MatchKind::Phone,
                    ] {
                        plan.push(Probe::Number {
                            kind,
                            tier,
                            digits: n.clone(),
                        });
                    }
                }
            }
            let mut names = |kind: MatchKind, key: &str, cols: [usize; 2]| {
                plan.push(Probe::Name {
                    kind,
                    tier,
                    column: if tier == Tier::Inside {
                        cols[1]
                    } else {
                        cols[0]
                    },
                    key: key.to_owned(),
                });
            };
            if let Some(k) = &self.zh {
                names(MatchKind::NameZh, k, [keys::ZH, keys::ZH_INNER]);
            }
            if let Some(k) = &self.bo {
                names(MatchKind::NameBo, k, [keys::BO, keys::BO_INNER]);
            }
            if let Some(k) = &self.pinyin {
                names(MatchKind::Pinyin, k, [keys::PY, keys::PY_INNER]);
                names(
                    MatchKind::PinyinInitials,
                    k,
                    [keys::PY_INITIALS, keys::PY_INITIALS_INNER],
                );
            }
            for k in &self.wylie {
                names(MatchKind::Wylie, k, [keys::BO, keys::BO_INNER]);
            }
        }
        plan
    }
}

/// Shortest "last digits" query.
pub const MIN_TAIL: usize = 4;

/// The digits of a number query: digits, with `X` only last (an ID's check
/// character), spaces, dashes and brackets ignored, and a leading `+86` or
/// `0086` dropped (a phone typed for dialling from abroad). `None` when the
/// query is not a number.
fn number_key(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let body = text
        .strip_prefix("+86")
        .or_else(|| text.strip_prefix('+'))
        .unwrap_or(text);
    for c in body.chars() {
        match c {
            '0'..='9' => out.push(c),
            'x' | 'X' if !out.is_empty() => out.push('X'),
            ' ' | '-' | '(' | ')' => {}
            _ => return None,
        }
    }
    if out.is_empty() || out[..out.len() - 1].contains('X') {
        return None;
    }
    if let Some(rest) = out.strip_prefix("0086") {
        return Some(rest.to_owned()).filter(|r| !r.is_empty());
    }
    Some(out)
}

/// One lookup the store runs for a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// A number: ID numbers, household numbers or phones, whole
    /// ([`Tier::Exact`]), by their start ([`Tier::Prefix`]) or by their last
    /// digits ([`Tier::Inside`]).
    Number {
        kind: MatchKind,
        tier: Tier,
        digits: String,
    },
    /// A name: a token of one column of the name index ([`keys::COLUMNS`])
    /// that is the key ([`Tier::Exact`]) or starts with it.
    Name {
        kind: MatchKind,
        tier: Tier,
        column: usize,
        key: String,
    },
}

impl Probe {
    pub fn kind(&self) -> MatchKind {
        match self {
            Probe::Number { kind, .. } | Probe::Name { kind, .. } => *kind,
        }
    }

    pub fn tier(&self) -> Tier {
        match self {
            Probe::Number { tier, .. } | Probe::Name { tier, .. } => *tier,
        }
    }

    /// The FTS5 query of a name probe: the key as one token of its column,
    /// whole or as a prefix. Keys hold no `"` (they are letters, digits and
    /// Tibetan signs only; one is dropped to be sure).
    pub fn fts_query(&self) -> Option<String> {
        let Probe::Name {
            tier, column, key, ..
        } = self
        else {
            return None;
        };
        let star = if *tier == Tier::Exact { "" } else { "*" };
        Some(format!(
            "{{{}}} : \"{}\"{star}",
            keys::COLUMNS.get(*column)?,
            key.replace('"', "")
        ))
    }

    /// Whether a person whose index text is `doc` ([`keys::person_doc`])
    /// matches this name probe: what the FTS query finds, decided in Rust
    /// for persons whose index entry is not yet written.
    pub fn matches(&self, doc: &[String; 8]) -> bool {
        let Probe::Name {
            tier, column, key, ..
        } = self
        else {
            return false;
        };
        let Some(text) = doc.get(*column) else {
            return false;
        };
        text.split(' ').any(|token| {
            if *tier == Tier::Exact {
                token == key
            } else {
                !token.is_empty() && token.starts_with(key.as_str())
            }
        })
    }
}

/// A name in the three languages (a course, a post type).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Names {
    pub zh: String,
    pub bo: String,
    pub en: String,
}

impl Names {
    /// The name to show in `lang`: Tibetan falls back to Chinese while a
    /// Tibetan name is not filled in, English to Chinese likewise; the
    /// bilingual mode shows both when both exist.
    pub fn show(&self, cat: &crate::i18n::Catalog, lang: Lang) -> String {
        crate::i18n::catalogue_text(cat, &self.zh, &self.bo, &self.en, lang)
    }
}

/// One search result: a person (or a household with no members left) and
/// everything a result line shows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Hit {
    /// The person; `None` for a household without live members.
    pub person_id: Option<Uuid>,
    pub name_zh: String,
    pub name_bo: String,
    /// The resident ID number in full; show [`Hit::id_masked`] unless asked.
    pub id_number: String,
    /// `513333********1234`: the number as lookups show it.
    pub id_masked: String,
    /// `codes::SEX`, or empty.
    pub sex: String,
    pub birth_date: Option<NaiveDate>,
    /// `codes::RELATION` to the head of household.
    pub relation: String,
    pub phone: String,
    pub household_id: Uuid,
    pub household_number: String,
    pub household_phone: String,
    pub village_zh: String,
    pub village_bo: String,
    pub township_zh: String,
    pub township_bo: String,
    /// Post types of the person's open assignments (usually none or one).
    pub posts: Vec<Names>,
    /// Courses of the person's trainings, oldest session first, each once.
    pub trainings: Vec<Names>,
    /// The household's last visit.
    pub last_visit: Option<NaiveDate>,
    /// What matched, and how well.
    pub kind: MatchKind,
    pub tier: Tier,
}

impl serde::Serialize for MatchKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl serde::Serialize for Tier {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// The results of a search, best first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Results {
    pub hits: Vec<Hit>,
    /// More matched than the limit asked for.
    pub more: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_numbers() {
        let n = |s: &str| Query::parse(s).number;
        assert_eq!(
            n("5133 3319 8503 1401 1x"),
            Some("51333319850314011X".into())
        );
        assert_eq!(n("0113"), Some("0113".into()));
        assert_eq!(n("+86 138-1234-5678"), Some("13812345678".into()));
        assert_eq!(n("１３８"), Some("138".into()));
        assert_eq!(n("X123"), None);
        assert_eq!(n("12X3"), None);
        assert_eq!(n("zhang3"), None);
    }

    #[test]
    fn latin_is_read_as_pinyin_and_as_wylie() {
        let q = Query::parse("Zhang San");
        assert_eq!(q.pinyin.as_deref(), Some("zhangsan"));
        let q = Query::parse("bkra shis");
        assert_eq!(q.wylie, vec!["བཀྲ་ཤིས".to_owned()]);
        let q = Query::parse("Bkra Shis");
        assert!(q.wylie.contains(&"བཀྲ་ཤིས".to_owned()), "{q:?}");
        // Not Wylie (x), still pinyin.
        let q = Query::parse("zhaxi");
        assert!(q.wylie.is_empty());
        assert_eq!(q.pinyin.as_deref(), Some("zhaxi"));
    }

    #[test]
    fn a_plan_tries_whole_keys_before_starts_before_insides() {
        let plan = Query::parse("zs").plan();
        let tiers: Vec<Tier> = plan.iter().map(Probe::tier).collect();
        let mut sorted = tiers.clone();
        sorted.sort();
        assert_eq!(tiers, sorted);
        let initials = Probe::Name {
            kind: MatchKind::PinyinInitials,
            tier: Tier::Exact,
            column: keys::PY_INITIALS,
            key: "zs".into(),
        };
        assert!(plan.contains(&initials));
        assert_eq!(initials.fts_query().unwrap(), "{pyi} : \"zs\"");
        assert!(initials.matches(&keys::person_doc("张三", "")));
        assert!(!initials.matches(&keys::person_doc("张三丰", "")));
        assert!(Query::parse("   ").is_empty());
        assert!(Query::parse("?!").plan().is_empty());
    }
}
