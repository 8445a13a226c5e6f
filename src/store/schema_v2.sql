-- fieldbook schema, version 2: what the household register and visit
-- screens need to stay fast and safe.
--
-- household.head_name and household.last_visit are derived, kept by
-- triggers whoever writes (the app, an import), so the register can sort
-- 100,000 households by head or by last visit from an index instead of
-- sorting per page. They are not part of the record: snapshots leave them out.

ALTER TABLE household ADD COLUMN head_name TEXT NOT NULL DEFAULT '';
ALTER TABLE household ADD COLUMN last_visit TEXT NOT NULL DEFAULT ''; -- '' = never visited

UPDATE household SET
    head_name = coalesce((
        SELECT CASE WHEN p.name_zh <> '' THEN p.name_zh ELSE p.name_bo END
        FROM person p WHERE p.household_id = household.id AND p.deleted_at IS NULL
        ORDER BY p.relation <> 'head', p.position, p.id LIMIT 1), ''),
    last_visit = coalesce((
        SELECT max(v.visit_date) FROM visit v
        WHERE v.household_id = household.id AND v.deleted_at IS NULL), '');

CREATE INDEX household_number ON household(number) WHERE deleted_at IS NULL;
CREATE INDEX household_head ON household(head_name, number) WHERE deleted_at IS NULL;
CREATE INDEX household_last_visit ON household(last_visit, number) WHERE deleted_at IS NULL;

CREATE TRIGGER person_head_insert AFTER INSERT ON person BEGIN
    UPDATE household SET head_name = coalesce((
        SELECT CASE WHEN p.name_zh <> '' THEN p.name_zh ELSE p.name_bo END
        FROM person p WHERE p.household_id = NEW.household_id AND p.deleted_at IS NULL
        ORDER BY p.relation <> 'head', p.position, p.id LIMIT 1), '')
    WHERE id = NEW.household_id;
END;

CREATE TRIGGER person_head_update
AFTER UPDATE OF household_id, position, name_zh, name_bo, relation, deleted_at ON person BEGIN
    UPDATE household SET head_name = coalesce((
        SELECT CASE WHEN p.name_zh <> '' THEN p.name_zh ELSE p.name_bo END
        FROM person p WHERE p.household_id = household.id AND p.deleted_at IS NULL
        ORDER BY p.relation <> 'head', p.position, p.id LIMIT 1), '')
    WHERE id IN (NEW.household_id, OLD.household_id);
END;

CREATE TRIGGER visit_last_insert AFTER INSERT ON visit BEGIN
    UPDATE household SET last_visit = coalesce((
        SELECT max(v.visit_date) FROM visit v
        WHERE v.household_id = NEW.household_id AND v.deleted_at IS NULL), '')
    WHERE id = NEW.household_id;
END;

CREATE TRIGGER visit_last_update AFTER UPDATE OF household_id, visit_date, deleted_at ON visit BEGIN
    UPDATE household SET last_visit = coalesce((
        SELECT max(v.visit_date) FROM visit v
        WHERE v.household_id = household.id AND v.deleted_at IS NULL), '')
    WHERE id IN (NEW.household_id, OLD.household_id);
END;

-- Form drafts: every change in an open form is kept here within about a
-- second, so a power cut loses at most the last second of typing. Local to
-- this installation; never exported.
CREATE TABLE draft (
    key        TEXT PRIMARY KEY,   -- form and record, e.g. 'visit:<uuid>'
    form       TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    payload    TEXT NOT NULL,      -- the form's state as JSON
    operator   TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- The review list: visits by status, most recently changed first.
CREATE INDEX visit_status ON visit(status, updated_at) WHERE deleted_at IS NULL;
