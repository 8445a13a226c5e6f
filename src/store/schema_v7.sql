-- Version 7: the county report's tallies.
--
-- The report counts every household, labourer, spell of work, trainee,
-- post and subsidy of a year; read from the records themselves that took
-- 2.7 s on 100,000 households. Each table below holds, per record, just
-- what the report counts, with the township it counts in, so the report
-- reads short rows in index order instead of joining five tables per row.
--
-- Each table is a view made concrete: `report_x` holds exactly what
-- `report_x_v` says. Triggers (made by the migration's hook, see
-- store::tally) refresh the rows of whatever a change touches, by the
-- key in the comment; a bulk load sets them aside and rebuilds every
-- table once at its end; `fieldbook check` compares each table with its
-- view. Derived: not in snapshots.

-- Live households with their township, registered-poor flag and number of
-- living labourers. Key: household_id.
CREATE VIEW report_household_v AS
SELECT h.id AS household_id, v.township_id AS township_id, h.registered_poor AS poor,
       (SELECT count(*) FROM person p WHERE p.household_id = h.id
          AND p.deleted_at IS NULL AND p.is_labourer = 1) AS labourers
FROM household h JOIN village v ON v.id = h.village_id
WHERE h.deleted_at IS NULL;
CREATE TABLE report_household (
    household_id TEXT PRIMARY KEY,
    township_id  TEXT NOT NULL,
    poor         INTEGER NOT NULL,
    labourers    INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX report_household_township ON report_household(township_id, poor, labourers);

-- The rounds each live household was visited in (by a live visit).
-- Key: household_id.
CREATE VIEW report_visit_v AS
SELECT DISTINCT vi.household_id AS household_id, vi.round AS round, v.township_id AS township_id
FROM visit vi
JOIN household h ON h.id = vi.household_id AND h.deleted_at IS NULL
JOIN village v ON v.id = h.village_id
WHERE vi.deleted_at IS NULL;
CREATE TABLE report_visit (
    household_id TEXT NOT NULL,
    round        TEXT NOT NULL,
    township_id  TEXT NOT NULL,
    PRIMARY KEY (household_id, round)
) STRICT, WITHOUT ROWID;
CREATE INDEX report_visit_round ON report_visit(round, township_id);

-- Every spell of work of a living person in a live household, with the
-- township they live in: employment records of work (not plans), and
-- posts held (a post is work in the county found through a public-welfare
-- post). Months as numbers (year * 12 + month); no end month: still
-- running. A post's income is what was paid for it (report_paid), not
-- kept here. Key: person_id.
CREATE VIEW report_work_v AS
SELECT r.id AS source_id, r.person_id AS person_id, v.township_id AS township_id,
       CAST(substr(r.start_month, 1, 4) AS INTEGER) * 12
           + CAST(substr(r.start_month, 6, 2) AS INTEGER) AS first_no,
       CAST(substr(r.end_month, 1, 4) AS INTEGER) * 12
           + CAST(substr(r.end_month, 6, 2) AS INTEGER) AS last_no,
       r.place_tier AS place, r.channel AS channel,
       r.monthly_income_fen AS monthly, coalesce(r.income_fen, 0) AS income, 0 AS post
FROM employment_record r
JOIN person p ON p.id = r.person_id AND p.deleted_at IS NULL
JOIN household h ON h.id = p.household_id AND h.deleted_at IS NULL
JOIN village v ON v.id = h.village_id
WHERE r.deleted_at IS NULL AND r.kind NOT IN ('not_employed', 'student', 'unable')
UNION ALL
SELECT a.id, a.person_id, v.township_id,
       CAST(substr(a.start_date, 1, 4) AS INTEGER) * 12
           + CAST(substr(a.start_date, 6, 2) AS INTEGER),
       CAST(substr(a.end_date, 1, 4) AS INTEGER) * 12
           + CAST(substr(a.end_date, 6, 2) AS INTEGER),
       'in_county', 'welfare_post', NULL, 0, 1
FROM post_assignment a
JOIN post po ON po.id = a.post_id AND po.deleted_at IS NULL
JOIN person p ON p.id = a.person_id AND p.deleted_at IS NULL
JOIN household h ON h.id = p.household_id AND h.deleted_at IS NULL
JOIN village v ON v.id = h.village_id
WHERE a.deleted_at IS NULL;
CREATE TABLE report_work (
    source_id   TEXT PRIMARY KEY,
    person_id   TEXT NOT NULL,
    township_id TEXT NOT NULL,
    first_no    INTEGER,
    last_no     INTEGER,
    place       TEXT NOT NULL,
    channel     TEXT NOT NULL,
    monthly     INTEGER,
    income      INTEGER NOT NULL,
    post        INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX report_work_person ON report_work(person_id);
CREATE INDEX report_work_end ON report_work(coalesce(last_no, 1000000), first_no);

-- Subsidies paid, per assignment and year, with the holder and the
-- township of the post. Key: assignment_id.
CREATE VIEW report_paid_v AS
SELECT sp.assignment_id AS assignment_id, CAST(substr(sp.month, 1, 4) AS INTEGER) AS year,
       a.person_id AS person_id, v.township_id AS township_id, sum(sp.amount_fen) AS amount
FROM subsidy_payment sp
JOIN post_assignment a ON a.id = sp.assignment_id
JOIN post p ON p.id = a.post_id
JOIN village v ON v.id = p.village_id
WHERE sp.deleted_at IS NULL AND sp.paid_on IS NOT NULL
GROUP BY sp.assignment_id, CAST(substr(sp.month, 1, 4) AS INTEGER);
CREATE TABLE report_paid (
    assignment_id TEXT NOT NULL,
    year          INTEGER NOT NULL,
    person_id     TEXT NOT NULL,
    township_id   TEXT NOT NULL,
    amount        INTEGER NOT NULL,
    PRIMARY KEY (assignment_id, year)
) STRICT, WITHOUT ROWID;
CREATE INDEX report_paid_year ON report_paid(year, township_id, person_id, amount);

-- Enrolments of living persons in live sessions, by the session's year,
-- with the trainee's township. Key: person_id.
CREATE VIEW report_trainee_v AS
SELECT e.id AS enrolment_id, e.person_id AS person_id, v.township_id AS township_id,
       CAST(substr(s.start_date, 1, 4) AS INTEGER) AS year, s.course_id AS course_id,
       s.mode AS mode, e.outcome = 'completed' AS completed,
       (s.status = 'finished' OR e.outcome <> 'enrolled') AS ended,
       (p.birth_date IS NOT NULL AND p.birth_date > date(s.start_date, '-19 years')) AS minor,
       e.employed_after AS employed_after
FROM enrolment e
JOIN training_session s ON s.id = e.session_id AND s.deleted_at IS NULL
JOIN person p ON p.id = e.person_id AND p.deleted_at IS NULL
JOIN household h ON h.id = p.household_id
JOIN village v ON v.id = h.village_id
WHERE e.deleted_at IS NULL;
CREATE TABLE report_trainee (
    enrolment_id   TEXT PRIMARY KEY,
    person_id      TEXT NOT NULL,
    township_id    TEXT NOT NULL,
    year           INTEGER NOT NULL,
    course_id      TEXT NOT NULL,
    mode           TEXT NOT NULL,
    completed      INTEGER NOT NULL,
    ended          INTEGER NOT NULL,
    minor          INTEGER NOT NULL,
    employed_after INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX report_trainee_person ON report_trainee(person_id);
CREATE INDEX report_trainee_year ON report_trainee(
    year, township_id, course_id, mode, completed, ended, minor, employed_after);

-- Live posts in live villages, with their township and the days they are
-- open. Key: post_id.
CREATE VIEW report_post_v AS
SELECT p.id AS post_id, p.village_id AS village_id, v.township_id AS township_id,
       p.post_type_id AS post_type_id, p.funding_source_id AS funding_source_id,
       p.opened_on AS opened_on, p.closed_on AS closed_on
FROM post p JOIN village v ON v.id = p.village_id AND v.deleted_at IS NULL
WHERE p.deleted_at IS NULL;
CREATE TABLE report_post (
    post_id           TEXT PRIMARY KEY,
    village_id        TEXT NOT NULL,
    township_id       TEXT NOT NULL,
    post_type_id      TEXT NOT NULL,
    funding_source_id TEXT,
    opened_on         TEXT NOT NULL,
    closed_on         TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX report_post_village ON report_post(village_id, opened_on, closed_on);
CREATE INDEX report_post_group ON report_post(
    township_id, post_type_id, funding_source_id, opened_on, closed_on);

-- When each of those posts is held: live assignments, cut to the days the
-- post is open (held_to: the first day no longer held). Key: post_id.
CREATE VIEW report_hold_v AS
SELECT a.id AS assignment_id, rp.post_id AS post_id, rp.township_id AS township_id,
       rp.post_type_id AS post_type_id, rp.funding_source_id AS funding_source_id,
       max(rp.opened_on, a.start_date) AS held_from,
       CASE WHEN rp.closed_on IS NULL THEN a.end_date
            WHEN a.end_date IS NULL THEN rp.closed_on
            ELSE min(a.end_date, rp.closed_on) END AS held_to
FROM post_assignment a JOIN report_post_v rp ON rp.post_id = a.post_id
WHERE a.deleted_at IS NULL;
CREATE TABLE report_hold (
    assignment_id     TEXT PRIMARY KEY,
    post_id           TEXT NOT NULL,
    township_id       TEXT NOT NULL,
    post_type_id      TEXT NOT NULL,
    funding_source_id TEXT,
    held_from         TEXT NOT NULL,
    held_to           TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX report_hold_post ON report_hold(post_id);
CREATE INDEX report_hold_group ON report_hold(
    township_id, post_type_id, funding_source_id, post_id, held_from, held_to);
