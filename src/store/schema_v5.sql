-- fieldbook schema step: public-welfare posts whole (issue 16). Post types
-- with a monthly subsidy, funding sources the county sets, posts with their
-- subsidy, required days, insurance and dates, agreements with their end,
-- monthly attendance, and subsidy entries prepared from it and then paid.
-- Touches only the post tables; the seeded rows are the hook's
-- (seed_posts in migrations.rs).

-- A post type's subsidy is monthly from here on (500 yuan, not 6,000 a
-- year): renamed, so a snapshot of the old column is refused rather than
-- read as monthly.
ALTER TABLE post_type RENAME COLUMN default_subsidy_fen TO monthly_subsidy_fen;
UPDATE post_type SET monthly_subsidy_fen = (monthly_subsidy_fen + 6) / 12;

CREATE TABLE funding_source (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    operator TEXT NOT NULL, device_id TEXT NOT NULL, deleted_at TEXT,
    code     TEXT NOT NULL UNIQUE,
    name_zh  TEXT NOT NULL DEFAULT '',
    name_bo  TEXT NOT NULL DEFAULT '',
    name_en  TEXT NOT NULL DEFAULT ''
) STRICT;

ALTER TABLE post ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE post ADD COLUMN funding_source_id TEXT REFERENCES funding_source(id);
ALTER TABLE post ADD COLUMN monthly_subsidy_fen INTEGER NOT NULL DEFAULT 50000
    CHECK (monthly_subsidy_fen >= 0);
ALTER TABLE post ADD COLUMN required_days INTEGER NOT NULL DEFAULT 22
    CHECK (required_days BETWEEN 1 AND 31);
ALTER TABLE post ADD COLUMN insurance_policy TEXT NOT NULL DEFAULT '';
ALTER TABLE post ADD COLUMN insurance_start TEXT;
ALTER TABLE post ADD COLUMN insurance_end TEXT;
ALTER TABLE post ADD COLUMN opened_on TEXT NOT NULL DEFAULT '';
ALTER TABLE post ADD COLUMN closed_on TEXT;
-- A post already there pays its type's subsidy and opened with its first holder.
UPDATE post SET
    monthly_subsidy_fen = coalesce(
        (SELECT t.monthly_subsidy_fen FROM post_type t WHERE t.id = post.post_type_id), 50000),
    opened_on = coalesce(
        (SELECT min(a.start_date) FROM post_assignment a WHERE a.post_id = post.id),
        substr(created_at, 1, 10));
-- The posts list reads a village's posts in order, and filters by funding.
CREATE INDEX post_village_order ON post(village_id, id);
CREATE INDEX post_funding ON post(funding_source_id);

ALTER TABLE post_assignment ADD COLUMN agreement_end TEXT NOT NULL DEFAULT '';
UPDATE post_assignment SET agreement_end = date(start_date, '+1 year', '-1 day');
-- One current holder per post and one current post per person, whoever
-- writes (the store says why first; these hold an import and the shell too).
CREATE UNIQUE INDEX post_assignment_one_holder ON post_assignment(post_id)
    WHERE end_date IS NULL AND deleted_at IS NULL;
CREATE UNIQUE INDEX post_assignment_one_post ON post_assignment(person_id)
    WHERE end_date IS NULL AND deleted_at IS NULL;

CREATE TABLE post_attendance (
    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    operator TEXT NOT NULL, device_id TEXT NOT NULL, deleted_at TEXT,
    assignment_id TEXT NOT NULL REFERENCES post_assignment(id),
    month         TEXT NOT NULL,
    days_worked   INTEGER NOT NULL CHECK (days_worked BETWEEN 0 AND 31)
) STRICT;
CREATE UNIQUE INDEX post_attendance_month ON post_attendance(assignment_id, month)
    WHERE deleted_at IS NULL;
CREATE INDEX post_attendance_by_month ON post_attendance(month);

ALTER TABLE subsidy_payment ADD COLUMN days_worked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE subsidy_payment ADD COLUMN required_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE subsidy_payment ADD COLUMN days_counted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE subsidy_payment ADD COLUMN standard_fen INTEGER NOT NULL DEFAULT 0
    CHECK (standard_fen >= 0);
ALTER TABLE subsidy_payment ADD COLUMN paid_via TEXT NOT NULL DEFAULT '';
ALTER TABLE subsidy_payment ADD COLUMN paid_ref TEXT NOT NULL DEFAULT '';
-- Entries made before attendance was kept: a whole month each.
UPDATE subsidy_payment SET days_worked = 22, required_days = 22, days_counted = 22,
    standard_fen = amount_fen;
-- A month is paid once.
DROP INDEX subsidy_payment_assignment;
CREATE UNIQUE INDEX subsidy_payment_month ON subsidy_payment(assignment_id, month)
    WHERE deleted_at IS NULL;
CREATE INDEX subsidy_payment_by_month ON subsidy_payment(month);
