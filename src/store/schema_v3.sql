-- fieldbook schema, version 3: one search index over persons and households
-- (src/search/ says what a query means; src/store/search.rs runs it).
--
-- Names: an FTS5 index over every live person, whose tokens fieldbook makes
-- itself (src/search/keys.rs): the Chinese name and its suffixes, the
-- Tibetan name and its syllable suffixes, the pinyin of the Chinese name
-- in every reading, whole and as initials.
--
-- Kept in step in two parts, both in the same transaction as every write
-- to person, whoever writes (the app, an import, the sqlite3 shell):
-- the triggers below note in search_pending every person whose names
-- changed, and searches read those persons' names directly (an overlay on
-- the FTS index). fieldbook folds the pending persons into the FTS index a
-- batch at a time. Updating FTS5 row by row would cost every save a
-- segment write and a share of FTS5's merging, doubling its CPU time and
-- now and then holding a save up for tens of milliseconds.
--
-- Numbers need no index of their own: ID numbers and household numbers
-- are found whole or by their start through ordinary indexes, and they
-- and phones by their last four digits (a phone whole too) through the
-- expression indexes below, which SQLite keeps in step by itself.

-- tokenize=ascii: tokens are split at ASCII spaces only (every non-ASCII
-- character is part of a token), so the tokens made in Rust are the
-- tokens indexed. detail=column: queries are single-token prefix matches
-- filtered by column; positions are never needed. contentless: the text
-- is made from person's names, never stored twice. prefix='1 2': the first
-- keystrokes of a search ("z", "zh", "扎") match a third of the county;
-- without these prefix indexes FTS5 merges every matching token's list
-- (20 ms and more on 100,000 households), with them it reads one list.
CREATE VIRTUAL TABLE search_person USING fts5(
    zh, zhs, bo, bos, py, pys, pyi, pyis,
    content = '',
    contentless_delete = 1,
    tokenize = 'ascii',
    detail = 'column',
    prefix = '1 2'
);

-- Merge 16 segments of a level at a time instead of 4: each fold writes one
-- small segment, and with 4 every few folds merged them into the large
-- segments of the last rebuild, holding a save up for 100 ms and more.
INSERT INTO search_person(search_person, rank) VALUES ('automerge', 16);

-- Every (token, person, column) of the index, read by `fieldbook check`
-- to compare the index with the names it should hold.
CREATE VIRTUAL TABLE search_person_terms USING fts5vocab(search_person, 'instance');

-- Persons (by rowid) whose entry in search_person may be out of date.
-- (The triggers test before inserting rather than INSERT OR IGNORE: an
-- outer upsert's conflict handling would override theirs.)
CREATE TABLE search_pending (person INTEGER PRIMARY KEY) STRICT;

-- A row here only inside a bulk load's own transaction (never committed):
-- the load rebuilds the index once at its end instead, and the page cache
-- size to go back to is kept here meanwhile.
CREATE TABLE search_deferred (cache_size INTEGER NOT NULL) STRICT;

CREATE TRIGGER person_search_insert AFTER INSERT ON person
WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    INSERT INTO search_pending(person) SELECT NEW.rowid
    WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE person = NEW.rowid);
END;

-- Only when a name changes or the person is deleted or restored: an edit
-- of the phone or the education leaves the index alone.
CREATE TRIGGER person_search_update AFTER UPDATE OF name_zh, name_bo, deleted_at ON person
WHEN (OLD.name_zh IS NOT NEW.name_zh OR OLD.name_bo IS NOT NEW.name_bo
    OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL))
    AND NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    INSERT INTO search_pending(person) SELECT NEW.rowid
    WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE person = NEW.rowid);
END;

-- Rows are soft-deleted; this covers a row removed by hand.
CREATE TRIGGER person_search_delete AFTER DELETE ON person
WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    INSERT INTO search_pending(person) SELECT OLD.rowid
    WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE person = OLD.rowid);
END;

-- Last digits of ID numbers, phones and household numbers.
CREATE INDEX person_id_tail ON person(substr(id_number, -4))
    WHERE deleted_at IS NULL AND id_number <> '';
CREATE INDEX person_phone_tail ON person(substr(phone, -4))
    WHERE deleted_at IS NULL AND phone <> '';
CREATE INDEX household_number_tail ON household(substr(number, -4))
    WHERE deleted_at IS NULL;
CREATE INDEX household_phone_tail ON household(substr(phone, -4))
    WHERE deleted_at IS NULL AND phone <> '';

-- A bulk load (demo data, a large merge import) turns the head-name
-- triggers of schema 2 off as it does the index's, and recomputes every
-- household's head once at its end (see end_search_deferral): one update
-- per household instead of one per person inserted.
DROP TRIGGER person_head_insert;
CREATE TRIGGER person_head_insert AFTER INSERT ON person
WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    UPDATE household SET head_name = coalesce((
        SELECT CASE WHEN p.name_zh <> '' THEN p.name_zh ELSE p.name_bo END
        FROM person p WHERE p.household_id = NEW.household_id AND p.deleted_at IS NULL
        ORDER BY p.relation <> 'head', p.position, p.id LIMIT 1), '')
    WHERE id = NEW.household_id;
END;

DROP TRIGGER person_head_update;
CREATE TRIGGER person_head_update
AFTER UPDATE OF household_id, position, name_zh, name_bo, relation, deleted_at ON person
WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    UPDATE household SET head_name = coalesce((
        SELECT CASE WHEN p.name_zh <> '' THEN p.name_zh ELSE p.name_bo END
        FROM person p WHERE p.household_id = household.id AND p.deleted_at IS NULL
        ORDER BY p.relation <> 'head', p.position, p.id LIMIT 1), '')
    WHERE id IN (NEW.household_id, OLD.household_id);
END;
