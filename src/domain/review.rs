//! How a visit moves through review: draft -> submitted -> approved, or
//! returned with a comment and submitted again. Only a supervisor approves
//! or returns, and an approved visit is reopened only by a supervisor
//! returning it with the reason. A visit submitted or approved is locked:
//! its answers change only after it is returned. The store applies this to
//! every save of a visit and its answers, whichever screen or command
//! asks; screens only explain.

use super::problem::Problem;

/// Who is working: the role is a setting of the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Role {
    #[default]
    Surveyor,
    Supervisor,
}

impl Role {
    /// The role of a stored setting (`supervisor`, else a surveyor).
    pub fn from_setting(s: Option<&str>) -> Role {
        match s {
            Some("supervisor") => Role::Supervisor,
            _ => Role::Surveyor,
        }
    }
}

/// Whether a visit in status `from` may be saved in status `to` by `role`
/// (`None` for a new visit). Staying in the same status is always allowed
/// here; what may be edited in each status is the store's business.
pub fn check_move(from: Option<&str>, to: &str, role: Role) -> Option<Problem> {
    let from = from.unwrap_or("draft");
    if from == to {
        return None;
    }
    let allowed = match to {
        "submitted" => matches!(from, "draft" | "returned"),
        "approved" => from == "submitted",
        // Returned for corrections, or an approved visit reopened.
        "returned" => matches!(from, "submitted" | "approved"),
        "draft" => false,
        _ => false,
    };
    if matches!(to, "approved" | "returned") && role != Role::Supervisor {
        return Some(Problem::error("review.supervisors_only").on("status"));
    }
    (!allowed).then(|| {
        Problem::error("review.not_allowed")
            .on("status")
            .arg_key("status", format!("code.visit_status.{from}"))
    })
}

/// Whether a visit in this status may have its answers changed (a draft,
/// or returned for corrections).
pub fn is_editable(status: &str) -> bool {
    matches!(status, "draft" | "returned" | "")
}

/// The columns review itself writes: everything else of a visit is its
/// answers, locked while it is submitted or approved.
pub const REVIEW_COLUMNS: [&str; 4] = ["status", "review_comment", "reviewed_by", "reviewed_at"];

/// A locked visit's answers changed: refused, saying why.
pub fn locked(status: &str) -> Problem {
    Problem::error("review.locked").arg_key("status", format!("code.visit_status.{status}"))
}
