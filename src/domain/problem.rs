//! Validation results as typed values: a locale key plus named arguments, so
//! every screen and command can show them in the user's language.

use crate::i18n::Localized;

/// Whether a problem blocks saving (`Error`) or only needs acknowledging (`Warning`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// One validation finding about one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    /// The field this is about (a stable field name such as `id_number`), if any.
    pub field: Option<&'static str>,
    /// Locale key of the message, e.g. `rule.id_number.check_digit`.
    pub key: &'static str,
    /// Named arguments for the message's `{placeholders}`.
    pub args: Vec<(&'static str, String)>,
    /// Placeholders filled with the text of another locale key.
    pub keyed: Vec<(&'static str, String)>,
}

impl Problem {
    pub fn error(key: &'static str) -> Self {
        Problem {
            severity: Severity::Error,
            field: None,
            key,
            args: Vec::new(),
            keyed: Vec::new(),
        }
    }

    pub fn warning(key: &'static str) -> Self {
        Problem {
            severity: Severity::Warning,
            field: None,
            key,
            args: Vec::new(),
            keyed: Vec::new(),
        }
    }

    pub fn on(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }

    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }

    /// Fills placeholder `name` with the text of locale key `key`.
    pub fn arg_key(mut self, name: &'static str, key: impl Into<String>) -> Self {
        self.keyed.push((name, key.into()));
        self
    }

    /// A problem whose message is another localized value's (a database
    /// error met while checking).
    pub fn from_localized(e: &impl Localized) -> Self {
        let (key, args) = e.key_args();
        Problem {
            severity: Severity::Error,
            field: None,
            key,
            args,
            keyed: e.keyed_args(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl Localized for Problem {
    fn key_args(&self) -> (&'static str, Vec<(&'static str, String)>) {
        (self.key, self.args.clone())
    }
    fn keyed_args(&self) -> Vec<(&'static str, String)> {
        self.keyed.clone()
    }
}

/// The findings of validating one record: errors block saving, warnings are acknowledged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings(pub Vec<Problem>);

impl Findings {
    pub fn push(&mut self, p: Problem) {
        self.0.push(p);
    }

    pub fn extend(&mut self, ps: impl IntoIterator<Item = Problem>) {
        self.0.extend(ps);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Problem::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter().filter(|p| p.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter().filter(|p| !p.is_error())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
