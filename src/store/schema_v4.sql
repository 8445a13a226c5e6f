-- fieldbook schema, version 4: training rosters. Courses get a category,
-- a trade, a level and standard class hours; sessions a code (how rosters
-- are named), where they are held, trainers, hours, days held and a status;
-- enrolments their assessment, drop-out reason, certificate date and the
-- supervisor who accepted a subsidy limit; attendance is kept by day.

ALTER TABLE course ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE course ADD COLUMN trade TEXT NOT NULL DEFAULT '';
ALTER TABLE course ADD COLUMN level TEXT NOT NULL DEFAULT '';
ALTER TABLE course ADD COLUMN standard_hours INTEGER NOT NULL DEFAULT 0 CHECK (standard_hours >= 0);

ALTER TABLE training_session ADD COLUMN code TEXT NOT NULL DEFAULT '';
ALTER TABLE training_session ADD COLUMN township_id TEXT REFERENCES township(id);
ALTER TABLE training_session ADD COLUMN village_id TEXT REFERENCES village(id);
ALTER TABLE training_session ADD COLUMN trainers TEXT NOT NULL DEFAULT '';
ALTER TABLE training_session ADD COLUMN class_hours INTEGER NOT NULL DEFAULT 0 CHECK (class_hours >= 0);
ALTER TABLE training_session ADD COLUMN days_held INTEGER NOT NULL DEFAULT 0 CHECK (days_held >= 0);
ALTER TABLE training_session ADD COLUMN status TEXT NOT NULL DEFAULT 'planned';

-- Sessions made before codes existed get one: course, start year, period.
UPDATE training_session SET code = (
    SELECT c.code || '-' || substr(training_session.start_date, 1, 4) || '-'
        || printf('%02d', training_session.period)
    FROM course c WHERE c.id = training_session.course_id)
WHERE code = '';
-- Two old sessions of one course, year and period: the later ones get a suffix.
UPDATE training_session SET code = code || '-' || substr(id, 1, 4)
WHERE EXISTS (SELECT 1 FROM training_session o
              WHERE o.code = training_session.code AND o.id < training_session.id);

CREATE UNIQUE INDEX training_session_code ON training_session(code)
    WHERE deleted_at IS NULL AND code <> '';
CREATE INDEX training_session_start ON training_session(start_date, code);

ALTER TABLE enrolment ADD COLUMN theory_result TEXT NOT NULL DEFAULT '';
ALTER TABLE enrolment ADD COLUMN practical_result TEXT NOT NULL DEFAULT '';
ALTER TABLE enrolment ADD COLUMN drop_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE enrolment ADD COLUMN certificate_date TEXT;
ALTER TABLE enrolment ADD COLUMN limits_accepted_by TEXT NOT NULL DEFAULT '';

-- One live enrolment of a person in a session.
CREATE UNIQUE INDEX enrolment_once ON enrolment(session_id, person_id) WHERE deleted_at IS NULL;

CREATE TABLE attendance (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    operator TEXT NOT NULL, device_id TEXT NOT NULL, deleted_at TEXT,
    enrolment_id TEXT NOT NULL REFERENCES enrolment(id),
    day          TEXT NOT NULL,
    present      INTEGER NOT NULL DEFAULT 0 CHECK (present IN (0, 1))
) STRICT;
CREATE UNIQUE INDEX attendance_day ON attendance(enrolment_id, day) WHERE deleted_at IS NULL;

-- The training-needs list reads each person's latest visit answer.
CREATE INDEX visit_person_person_visit ON visit_person(person_id, visit_id);

-- The training-needs list reads each living person's latest wish, kept
-- here by triggers as visits are saved, people move or leave: what the
-- person's latest visit answer (by visit date) says they want, with the
-- township they live in. Derived: not in snapshots. A bulk load (an import,
-- the demo) sets the triggers aside and rebuilds the table once at its end.
CREATE TABLE training_wish (
    person_id   TEXT NOT NULL,
    course_code TEXT NOT NULL,
    township_id TEXT NOT NULL,
    PRIMARY KEY (person_id, course_code)
) WITHOUT ROWID;
CREATE INDEX training_wish_course ON training_wish(course_code, township_id);

-- Each living person's wishes as their latest answer says (by visit date),
-- with their township: the one statement the triggers below, the
-- migration and a bulk load's end all read.
CREATE VIEW person_wish AS
SELECT p.id AS person_id, j.value AS course_code, vi.township_id AS township_id
FROM person p
JOIN household h ON h.id = p.household_id AND h.deleted_at IS NULL
JOIN village vi ON vi.id = h.village_id,
json_each('["' || replace(trim((
    SELECT vp.training_wanted FROM visit_person vp JOIN visit v ON v.id = vp.visit_id
    WHERE vp.person_id = p.id AND vp.deleted_at IS NULL AND v.deleted_at IS NULL
    ORDER BY v.visit_date DESC, v.id DESC LIMIT 1)), ' ', '","') || '"]') j
WHERE p.deleted_at IS NULL AND j.value <> '';

CREATE TRIGGER wish_answer_insert AFTER INSERT ON visit_person
WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    DELETE FROM training_wish WHERE person_id IN (NEW.person_id);
    INSERT OR IGNORE INTO training_wish(person_id, course_code, township_id)
    SELECT person_id, course_code, township_id FROM person_wish WHERE person_id IN (NEW.person_id);
END;

CREATE TRIGGER wish_answer_update AFTER UPDATE OF person_id, visit_id, training_wanted, deleted_at ON visit_person
WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    DELETE FROM training_wish WHERE person_id IN (NEW.person_id, OLD.person_id);
    INSERT OR IGNORE INTO training_wish(person_id, course_code, township_id)
    SELECT person_id, course_code, township_id FROM person_wish WHERE person_id IN (NEW.person_id, OLD.person_id);
END;

CREATE TRIGGER wish_visit_update AFTER UPDATE OF visit_date, deleted_at ON visit
WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    DELETE FROM training_wish WHERE person_id IN (SELECT person_id FROM visit_person WHERE visit_id = NEW.id);
    INSERT OR IGNORE INTO training_wish(person_id, course_code, township_id)
    SELECT person_id, course_code, township_id FROM person_wish WHERE person_id IN (SELECT person_id FROM visit_person WHERE visit_id = NEW.id);
END;

CREATE TRIGGER wish_person_update AFTER UPDATE OF household_id, deleted_at ON person
WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    DELETE FROM training_wish WHERE person_id IN (NEW.id);
    INSERT OR IGNORE INTO training_wish(person_id, course_code, township_id)
    SELECT person_id, course_code, township_id FROM person_wish WHERE person_id IN (NEW.id);
END;

CREATE TRIGGER wish_household_update AFTER UPDATE OF village_id, deleted_at ON household
WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    DELETE FROM training_wish WHERE person_id IN (SELECT id FROM person WHERE household_id = NEW.id);
    INSERT OR IGNORE INTO training_wish(person_id, course_code, township_id)
    SELECT person_id, course_code, township_id FROM person_wish WHERE person_id IN (SELECT id FROM person WHERE household_id = NEW.id);
END;

CREATE TRIGGER wish_village_update AFTER UPDATE OF township_id ON village
WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    DELETE FROM training_wish WHERE person_id IN (SELECT p.id FROM person p JOIN household h ON h.id = p.household_id WHERE h.village_id = NEW.id);
    INSERT OR IGNORE INTO training_wish(person_id, course_code, township_id)
    SELECT person_id, course_code, township_id FROM person_wish WHERE person_id IN (SELECT p.id FROM person p JOIN household h ON h.id = p.household_id WHERE h.village_id = NEW.id);
END;
-- The wishes of the data already here are made by the migration's hook
-- (store::training::REBUILD_WISHES), the same statement a bulk load ends with.
