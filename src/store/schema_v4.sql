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
