//! The county report's tallies (schema v7): tables that hold, per record,
//! what the report counts and where, each the concrete copy of a view
//! (`report_x` of `report_x_v`). This module makes the triggers that keep
//! them so as records change, the statement that rebuilds them all (the
//! migration and the end of a bulk load run it) and the comparison
//! `fieldbook check` makes.
//!
//! A trigger refreshes by key: it deletes the rows of the households,
//! persons, assignments or posts a change touches and reads them again
//! from the view, so a table can only ever hold what its view says.

use rusqlite::Connection;

/// Tables refreshed together, and the key their rows are refreshed by.
#[derive(Clone, Copy)]
enum Group {
    /// Live households and the rounds they were visited in.
    Household,
    /// Spells of work, by person.
    Work,
    /// Enrolments, by person.
    Trainee,
    /// Subsidies paid, by assignment.
    Paid,
    /// Posts and when they are held, by post.
    Post,
}

impl Group {
    fn tables(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Group::Household => &[
                ("report_household", "household_id"),
                ("report_visit", "household_id"),
            ],
            Group::Work => &[("report_work", "person_id")],
            Group::Trainee => &[("report_trainee", "person_id")],
            Group::Paid => &[("report_paid", "assignment_id")],
            Group::Post => &[("report_post", "post_id"), ("report_hold", "post_id")],
        }
    }
}

/// Every tally table, in the order a rebuild fills them.
pub const TABLES: [&str; 7] = [
    "report_household",
    "report_visit",
    "report_work",
    "report_paid",
    "report_trainee",
    "report_post",
    "report_hold",
];

/// One trigger: its name, when it fires, an extra condition, and what it
/// refreshes with which keys (a list of values, or a SELECT).
struct Trigger {
    name: &'static str,
    on: &'static str,
    when: &'static str,
    refresh: &'static [(&'static [Group], &'static str)],
}

const CHANGED_VILLAGE: &str =
    "NEW.village_id IS NOT OLD.village_id OR NEW.deleted_at IS NOT OLD.deleted_at";

const TRIGGERS: &[Trigger] = &[
    Trigger {
        name: "household_insert",
        on: "AFTER INSERT ON household",
        when: "",
        refresh: &[(&[Group::Household], "NEW.id")],
    },
    Trigger {
        name: "household_update",
        on: "AFTER UPDATE OF village_id, deleted_at, registered_poor ON household",
        when: "",
        refresh: &[(&[Group::Household], "NEW.id, OLD.id")],
    },
    Trigger {
        name: "household_move",
        on: "AFTER UPDATE OF village_id, deleted_at ON household",
        when: CHANGED_VILLAGE,
        refresh: &[(
            &[Group::Work, Group::Trainee],
            "SELECT id FROM person WHERE household_id = NEW.id",
        )],
    },
    Trigger {
        name: "household_delete",
        on: "AFTER DELETE ON household",
        when: "",
        refresh: &[
            (&[Group::Household], "OLD.id"),
            (
                &[Group::Work, Group::Trainee],
                "SELECT id FROM person WHERE household_id = OLD.id",
            ),
        ],
    },
    Trigger {
        name: "person_insert",
        on: "AFTER INSERT ON person",
        when: "",
        refresh: &[
            (&[Group::Household], "NEW.household_id"),
            (&[Group::Work, Group::Trainee], "NEW.id"),
        ],
    },
    Trigger {
        name: "person_update",
        on: "AFTER UPDATE OF household_id, deleted_at, is_labourer, birth_date ON person",
        when: "",
        refresh: &[
            (&[Group::Household], "NEW.household_id, OLD.household_id"),
            (&[Group::Work, Group::Trainee], "NEW.id, OLD.id"),
        ],
    },
    Trigger {
        name: "person_delete",
        on: "AFTER DELETE ON person",
        when: "",
        refresh: &[
            (&[Group::Household], "OLD.household_id"),
            (&[Group::Work, Group::Trainee], "OLD.id"),
        ],
    },
    Trigger {
        name: "visit_insert",
        on: "AFTER INSERT ON visit",
        when: "",
        refresh: &[(&[Group::Household], "NEW.household_id")],
    },
    Trigger {
        name: "visit_update",
        on: "AFTER UPDATE OF household_id, round, deleted_at ON visit",
        when: "",
        refresh: &[(&[Group::Household], "NEW.household_id, OLD.household_id")],
    },
    Trigger {
        name: "visit_delete",
        on: "AFTER DELETE ON visit",
        when: "",
        refresh: &[(&[Group::Household], "OLD.household_id")],
    },
    Trigger {
        name: "work_insert",
        on: "AFTER INSERT ON employment_record",
        when: "",
        refresh: &[(&[Group::Work], "NEW.person_id")],
    },
    Trigger {
        name: "work_update",
        on: "AFTER UPDATE OF person_id, kind, start_month, end_month, place_tier, channel,
             monthly_income_fen, income_fen, deleted_at ON employment_record",
        when: "",
        refresh: &[(&[Group::Work], "NEW.person_id, OLD.person_id")],
    },
    Trigger {
        name: "work_delete",
        on: "AFTER DELETE ON employment_record",
        when: "",
        refresh: &[(&[Group::Work], "OLD.person_id")],
    },
    Trigger {
        name: "assignment_insert",
        on: "AFTER INSERT ON post_assignment",
        when: "",
        refresh: &[
            (&[Group::Work], "NEW.person_id"),
            (&[Group::Post], "NEW.post_id"),
            (&[Group::Paid], "NEW.id"),
        ],
    },
    Trigger {
        name: "assignment_update",
        on: "AFTER UPDATE OF post_id, person_id, start_date, end_date, deleted_at
             ON post_assignment",
        when: "",
        refresh: &[
            (&[Group::Work], "NEW.person_id, OLD.person_id"),
            (&[Group::Post], "NEW.post_id, OLD.post_id"),
            (&[Group::Paid], "NEW.id, OLD.id"),
        ],
    },
    Trigger {
        name: "assignment_delete",
        on: "AFTER DELETE ON post_assignment",
        when: "",
        refresh: &[
            (&[Group::Work], "OLD.person_id"),
            (&[Group::Post], "OLD.post_id"),
            (&[Group::Paid], "OLD.id"),
        ],
    },
    Trigger {
        name: "payment_insert",
        on: "AFTER INSERT ON subsidy_payment",
        when: "",
        refresh: &[(&[Group::Paid], "NEW.assignment_id")],
    },
    Trigger {
        name: "payment_update",
        on: "AFTER UPDATE OF assignment_id, month, amount_fen, paid_on, deleted_at
             ON subsidy_payment",
        when: "",
        refresh: &[(&[Group::Paid], "NEW.assignment_id, OLD.assignment_id")],
    },
    Trigger {
        name: "payment_delete",
        on: "AFTER DELETE ON subsidy_payment",
        when: "",
        refresh: &[(&[Group::Paid], "OLD.assignment_id")],
    },
    Trigger {
        name: "post_insert",
        on: "AFTER INSERT ON post",
        when: "",
        refresh: &[(&[Group::Post], "NEW.id")],
    },
    Trigger {
        name: "post_update",
        on: "AFTER UPDATE OF village_id, post_type_id, funding_source_id, opened_on,
             closed_on, deleted_at ON post",
        when: "",
        refresh: &[(&[Group::Post], "NEW.id, OLD.id")],
    },
    Trigger {
        name: "post_move",
        on: "AFTER UPDATE OF village_id, deleted_at ON post",
        when: CHANGED_VILLAGE,
        refresh: &[
            (
                &[Group::Work],
                "SELECT person_id FROM post_assignment WHERE post_id = NEW.id",
            ),
            (
                &[Group::Paid],
                "SELECT id FROM post_assignment WHERE post_id = NEW.id",
            ),
        ],
    },
    Trigger {
        name: "post_delete",
        on: "AFTER DELETE ON post",
        when: "",
        refresh: &[
            (&[Group::Post], "OLD.id"),
            (
                &[Group::Work],
                "SELECT person_id FROM post_assignment WHERE post_id = OLD.id",
            ),
            (
                &[Group::Paid],
                "SELECT id FROM post_assignment WHERE post_id = OLD.id",
            ),
        ],
    },
    Trigger {
        name: "enrolment_insert",
        on: "AFTER INSERT ON enrolment",
        when: "",
        refresh: &[(&[Group::Trainee], "NEW.person_id")],
    },
    Trigger {
        name: "enrolment_update",
        on: "AFTER UPDATE OF session_id, person_id, outcome, employed_after, deleted_at
             ON enrolment",
        when: "",
        refresh: &[(&[Group::Trainee], "NEW.person_id, OLD.person_id")],
    },
    Trigger {
        name: "enrolment_delete",
        on: "AFTER DELETE ON enrolment",
        when: "",
        refresh: &[(&[Group::Trainee], "OLD.person_id")],
    },
    Trigger {
        name: "session_update",
        on: "AFTER UPDATE OF course_id, mode, start_date, status, deleted_at
             ON training_session",
        when: "",
        refresh: &[(
            &[Group::Trainee],
            "SELECT person_id FROM enrolment WHERE session_id = NEW.id",
        )],
    },
    Trigger {
        name: "session_delete",
        on: "AFTER DELETE ON training_session",
        when: "",
        refresh: &[(
            &[Group::Trainee],
            "SELECT person_id FROM enrolment WHERE session_id = OLD.id",
        )],
    },
    Trigger {
        name: "village_move",
        on: "AFTER UPDATE OF township_id, deleted_at ON village",
        when: "NEW.township_id IS NOT OLD.township_id OR NEW.deleted_at IS NOT OLD.deleted_at",
        refresh: &[
            (
                &[Group::Household],
                "SELECT id FROM household WHERE village_id = NEW.id",
            ),
            (
                &[Group::Work, Group::Trainee],
                "SELECT p.id FROM person p JOIN household h ON h.id = p.household_id
                 WHERE h.village_id = NEW.id",
            ),
            (
                &[Group::Post],
                "SELECT id FROM post WHERE village_id = NEW.id",
            ),
            (
                &[Group::Paid],
                "SELECT a.id FROM post_assignment a JOIN post p ON p.id = a.post_id
                 WHERE p.village_id = NEW.id",
            ),
        ],
    },
];

/// The statements that refresh `group`'s rows of the keys `ids` (values
/// or a SELECT).
fn refresh(group: Group, ids: &str) -> String {
    let mut sql = String::new();
    for (table, key) in group.tables() {
        sql.push_str(&format!(
            "    DELETE FROM {table} WHERE {key} IN ({ids});\n    \
             INSERT INTO {table} SELECT * FROM {table}_v WHERE {key} IN ({ids});\n"
        ));
    }
    sql
}

/// The triggers that keep the tallies, as SQL. Set aside during a bulk
/// load (while `search_deferred` has its row), like the search index's.
fn triggers_sql() -> String {
    let mut sql = String::new();
    for t in TRIGGERS {
        let when = if t.when.is_empty() {
            String::new()
        } else {
            format!(" AND ({})", t.when)
        };
        sql.push_str(&format!(
            "CREATE TRIGGER tally_{} {}\nWHEN NOT EXISTS (SELECT 1 FROM search_deferred){when} BEGIN\n",
            t.name, t.on
        ));
        for (groups, ids) in t.refresh {
            for g in *groups {
                sql.push_str(&refresh(*g, ids));
            }
        }
        sql.push_str("END;\n");
    }
    sql
}

/// Every tally made afresh from its view: after a bulk load, and when
/// the migration makes them from the data already there.
///
/// The rows go in in the order of the tally's key, each appended to its
/// table's b-tree rather than put in at random places: for the trainees
/// (keyed by enrolment, read in session order) that is a third of the time,
/// and a fifth for the households (1.3 s and 0.6 s, 55,380 and 100,000 rows).
pub(crate) fn rebuild(conn: &Connection) -> rusqlite::Result<()> {
    for table in TABLES {
        let key: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk")?
            .query_map([table], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let order = if key.is_empty() {
            String::new()
        } else {
            format!(" ORDER BY {}", key.join(", "))
        };
        conn.execute_batch(&format!(
            "DELETE FROM {table}; INSERT INTO {table} SELECT * FROM {table}_v{order};"
        ))?;
    }
    Ok(())
}

/// The migration's hook: the triggers, then the tallies of what is here.
pub(crate) fn install(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(&triggers_sql())?;
    rebuild(conn)
}

/// Tally tables that differ from their view, with the number of rows
/// that differ (either way).
pub(crate) fn stale(conn: &Connection) -> rusqlite::Result<Vec<(&'static str, i64)>> {
    let mut out = Vec::new();
    for table in TABLES {
        let n: i64 = conn.query_row(
            &format!(
                "SELECT (SELECT count(*) FROM (SELECT * FROM {table} EXCEPT SELECT * FROM {table}_v))
                      + (SELECT count(*) FROM (SELECT * FROM {table}_v EXCEPT SELECT * FROM {table}))"
            ),
            [],
            |r| r.get(0),
        )?;
        if n > 0 {
            out.push((table, n));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_trigger_refreshes_through_its_view() {
        let sql = triggers_sql();
        assert_eq!(sql.matches("CREATE TRIGGER").count(), TRIGGERS.len());
        for table in TABLES {
            assert!(
                sql.contains(&format!("INSERT INTO {table} SELECT * FROM {table}_v")),
                "{table} is never refreshed"
            );
        }
    }
}
