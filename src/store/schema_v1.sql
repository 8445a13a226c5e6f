-- fieldbook schema, version 1: the whole domain of ../shared/context/domain.md.
--
-- Every table of entered data carries the same six sync columns, so edits and
-- deletions can travel between laptops in snapshots:
--   id          UUID (v7 for entered rows; v5 of the code for seeded reference rows,
--               so every laptop seeds the same township with the same id)
--   created_at, updated_at   UTC, RFC 3339 with milliseconds
--   operator    who last changed the row
--   device_id   the installation that last changed it (meta.device_id)
--   deleted_at  soft-delete tombstone (NULL while the row is live)
-- Money is integer fen. Calendar dates are 'YYYY-MM-DD' in China Standard Time.
-- Choice columns hold the stable codes of src/domain/codes.rs.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE township (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    operator TEXT NOT NULL, device_id TEXT NOT NULL, deleted_at TEXT,
    code    TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL DEFAULT '',
    name_bo TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE village (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    operator TEXT NOT NULL, device_id TEXT NOT NULL, deleted_at TEXT,
    code        TEXT NOT NULL UNIQUE,
    township_id TEXT NOT NULL REFERENCES township(id),
    name_zh     TEXT NOT NULL DEFAULT '',
    name_bo     TEXT NOT NULL DEFAULT '',
    exit_year   INTEGER
) STRICT;
CREATE INDEX village_township ON village(township_id);

CREATE TABLE household (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    operator TEXT NOT NULL, device_id TEXT NOT NULL, deleted_at TEXT,
    number          TEXT NOT NULL UNIQUE,
    village_id      TEXT NOT NULL REFERENCES village(id),
    phone           TEXT NOT NULL DEFAULT '',
    registered_poor INTEGER NOT NULL DEFAULT 1 CHECK (registered_poor IN (0, 1)),
    exit_year       INTEGER
) STRICT;
CREATE INDEX household_village ON household(village_id, number);

CREATE TABLE person (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    operator TEXT NOT NULL, device_id TEXT NOT NULL, deleted_at TEXT,
    household_id TEXT NOT NULL REFERENCES household(id),
    position     INTEGER NOT NULL DEFAULT 0,
    name_zh      TEXT NOT NULL DEFAULT '',
    name_bo      TEXT NOT NULL DEFAULT '',
    id_number    TEXT NOT NULL DEFAULT '',
    sex          TEXT NOT NULL DEFAULT '',
    birth_date   TEXT,
    relation     TEXT NOT NULL DEFAULT '',
    education    TEXT NOT NULL DEFAULT '',
    is_labourer  INTEGER NOT NULL DEFAULT 0 CHECK (is_labourer IN (0, 1)),
    phone        TEXT NOT NULL DEFAULT '',
    CHECK (name_zh <> '' OR name_bo <> '')
) STRICT;
CREATE INDEX person_household ON person(household_id, position);
-- Not unique: the same person may arrive from two laptops under two ids, and is
-- then reported for review rather than refused.
CREATE INDEX person_id_number ON person(id_number) WHERE id_number <> '';

CREATE TABLE visit (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    operator TEXT NOT NULL, device_id TEXT NOT NULL, deleted_at TEXT,
    household_id   TEXT NOT NULL REFERENCES household(id),
    visit_date     TEXT NOT NULL,
    round          TEXT NOT NULL,
    visit_type     TEXT NOT NULL DEFAULT 'annual',
    surveyors      TEXT NOT NULL DEFAULT '',
    difficulties   TEXT NOT NULL DEFAULT '',
    problems       TEXT NOT NULL DEFAULT '',
    follow_up      TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'draft',
    review_comment TEXT NOT NULL DEFAULT '',
    reviewed_by    TEXT NOT NULL DEFAULT '',
    reviewed_at    TEXT
) STRICT;
CREATE INDEX visit_household ON visit(household_id, visit_date);
CREATE INDEX visit_round ON visit(round, household_id);

CREATE TABLE visit_person (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    operator TEXT NOT NULL, device_id TEXT NOT NULL, deleted_at TEXT,
    visit_id          TEXT NOT NULL REFERENCES visit(id),
    person_id         TEXT NOT NULL REFERENCES person(id),
    employment_status TEXT NOT NULL DEFAULT '',
    work_place        TEXT NOT NULL DEFAULT '',
    annual_income_fen INTEGER CHECK (annual_income_fen >= 0),
    willing_to_work_away INTEGER CHECK (willing_to_work_away IN (0, 1)),
    training_wanted   TEXT NOT NULL DEFAULT '',
    job_wanted        TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX visit_person_visit ON visit_person(visit_id);
CREATE INDEX visit_person_person ON visit_person(person_id);

CREATE TABLE course (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    operator TEXT NOT NULL, device_id TEXT NOT NULL, deleted_at TEXT,
    code    TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL DEFAULT '',
    name_bo TEXT NOT NULL DEFAULT '',
    name_en TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE training_session (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    operator TEXT NOT NULL, device_id TEXT NOT NULL, deleted_at TEXT,
    course_id    TEXT NOT NULL REFERENCES course(id),
    period       INTEGER NOT NULL,
    mode         TEXT NOT NULL,
    start_date   TEXT NOT NULL,
    end_date     TEXT NOT NULL,
    place        TEXT NOT NULL DEFAULT '',
    provider     TEXT NOT NULL DEFAULT '',
    capacity     INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),
    target_group TEXT NOT NULL DEFAULT 'poor_labourers',
    CHECK (end_date >= start_date)
) STRICT;
CREATE INDEX training_session_course ON training_session(course_id, period);

CREATE TABLE enrolment (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    operator TEXT NOT NULL, device_id TEXT NOT NULL, deleted_at TEXT,
    session_id      TEXT NOT NULL REFERENCES training_session(id),
    person_id       TEXT NOT NULL REFERENCES person(id),
    attendance_days INTEGER NOT NULL DEFAULT 0 CHECK (attendance_days >= 0),
    outcome         TEXT NOT NULL DEFAULT 'enrolled',
    certificate_no  TEXT NOT NULL DEFAULT '',
    employed_after  INTEGER NOT NULL DEFAULT 0 CHECK (employed_after IN (0, 1))
) STRICT;
CREATE INDEX enrolment_session ON enrolment(session_id);
CREATE INDEX enrolment_person ON enrolment(person_id);

CREATE TABLE post_type (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    operator TEXT NOT NULL, device_id TEXT NOT NULL, deleted_at TEXT,
    code        TEXT NOT NULL UNIQUE,
    name_zh     TEXT NOT NULL DEFAULT '',
    name_bo     TEXT NOT NULL DEFAULT '',
    name_en     TEXT NOT NULL DEFAULT '',
    department  TEXT NOT NULL,
    default_subsidy_fen INTEGER NOT NULL DEFAULT 0 CHECK (default_subsidy_fen >= 0)
) STRICT;

CREATE TABLE post (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    operator TEXT NOT NULL, device_id TEXT NOT NULL, deleted_at TEXT,
    post_type_id TEXT NOT NULL REFERENCES post_type(id),
    village_id   TEXT NOT NULL REFERENCES village(id),
    status       TEXT NOT NULL DEFAULT 'open'
) STRICT;
CREATE INDEX post_village ON post(village_id);
CREATE INDEX post_type_idx ON post(post_type_id);

CREATE TABLE post_assignment (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    operator TEXT NOT NULL, device_id TEXT NOT NULL, deleted_at TEXT,
    post_id    TEXT NOT NULL REFERENCES post(id),
    person_id  TEXT NOT NULL REFERENCES person(id),
    start_date TEXT NOT NULL,
    end_date   TEXT,
    end_reason TEXT NOT NULL DEFAULT '',
    CHECK (end_date IS NULL OR end_date >= start_date)
) STRICT;
CREATE INDEX post_assignment_post ON post_assignment(post_id);
CREATE INDEX post_assignment_person ON post_assignment(person_id);

CREATE TABLE subsidy_payment (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    operator TEXT NOT NULL, device_id TEXT NOT NULL, deleted_at TEXT,
    assignment_id TEXT NOT NULL REFERENCES post_assignment(id),
    month         TEXT NOT NULL,
    amount_fen    INTEGER NOT NULL CHECK (amount_fen >= 0),
    paid_on       TEXT
) STRICT;
CREATE INDEX subsidy_payment_assignment ON subsidy_payment(assignment_id, month);

CREATE TABLE employment_record (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    operator TEXT NOT NULL, device_id TEXT NOT NULL, deleted_at TEXT,
    person_id  TEXT NOT NULL REFERENCES person(id),
    kind       TEXT NOT NULL,
    employer   TEXT NOT NULL DEFAULT '',
    start_date TEXT,
    end_date   TEXT,
    income_fen INTEGER CHECK (income_fen >= 0)
) STRICT;
CREATE INDEX employment_record_person ON employment_record(person_id);

-- Local history of every change. Not synchronised row by row: an import is
-- itself recorded here.
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    operator   TEXT NOT NULL,
    device_id  TEXT NOT NULL,
    table_name TEXT NOT NULL,
    row_id     TEXT NOT NULL,
    action     TEXT NOT NULL,
    before     TEXT,
    after      TEXT
) STRICT;
CREATE INDEX audit_log_row ON audit_log(table_name, row_id, seq);
