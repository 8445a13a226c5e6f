-- fieldbook schema, version 3: one search index over persons and households
-- (src/search/ says what a query means; src/store/search.rs runs it).
--
-- Names: an FTS5 index over every live person, whose tokens fieldbook makes
-- itself (src/search/keys.rs): the Chinese name and its suffixes, the
-- Tibetan name and its syllable suffixes, the pinyin of the Chinese name
-- in every reading, whole and as initials. The index is external-content:
-- its text is the view below, computed by the SQL function
-- fieldbook_search_text that every fieldbook connection registers, so
-- nothing is stored twice. Triggers keep it in step in the same
-- transaction as every write to person, whoever writes; a connection
-- without the function cannot change a person's name and leave the index
-- behind, its write fails instead. A bulk load (the demo generator) turns
-- the triggers off for its own connection and transaction only
-- (fieldbook_search_deferred() is then 1) and rebuilds the index in one
-- pass before it commits: row by row, FTS5 flushes at every trigger's
-- savepoint and the load would take several times as long.
--
-- Numbers need no index of their own: ID numbers, household numbers and
-- phones are found whole or by their start through ordinary indexes, and
-- by their last four digits through the expression indexes below, which
-- SQLite keeps in step by itself.

CREATE VIEW search_person_text AS
SELECT p.rowid AS docid,
    fieldbook_search_text(0, p.name_zh) AS zh,
    fieldbook_search_text(1, p.name_zh) AS zhs,
    fieldbook_search_text(2, p.name_bo) AS bo,
    fieldbook_search_text(3, p.name_bo) AS bos,
    fieldbook_search_text(4, p.name_zh) AS py,
    fieldbook_search_text(5, p.name_zh) AS pys,
    fieldbook_search_text(6, p.name_zh) AS pyi,
    fieldbook_search_text(7, p.name_zh) AS pyis
FROM person p
WHERE p.deleted_at IS NULL;

-- tokenize=ascii: tokens are split at ASCII spaces only (every non-ASCII
-- character is part of a token), so the tokens made in Rust are the
-- tokens indexed. detail=column: queries are single-token prefix matches
-- filtered by column; positions are never needed. prefix='1 2': the first
-- keystrokes of a search ("z", "zh", "扎") match a third of the county;
-- without these prefix indexes FTS5 merges every matching token's list
-- (20 ms and more on 100,000 households), with them it reads one list.
CREATE VIRTUAL TABLE search_person USING fts5(
    zh, zhs, bo, bos, py, pys, pyi, pyis,
    content = 'search_person_text',
    content_rowid = 'docid',
    tokenize = 'ascii',
    detail = 'column',
    columnsize = 0,
    prefix = '1 2'
);

-- Every (token, person, column) of the index, read by `fieldbook check`
-- to compare the index with the names it should hold.
CREATE VIRTUAL TABLE search_person_terms USING fts5vocab(search_person, 'instance');

CREATE TRIGGER person_search_insert AFTER INSERT ON person
WHEN NEW.deleted_at IS NULL AND NOT fieldbook_search_deferred() BEGIN
    INSERT INTO search_person(rowid, zh, zhs, bo, bos, py, pys, pyi, pyis) VALUES (
        NEW.rowid,
        fieldbook_search_text(0, NEW.name_zh), fieldbook_search_text(1, NEW.name_zh),
        fieldbook_search_text(2, NEW.name_bo), fieldbook_search_text(3, NEW.name_bo),
        fieldbook_search_text(4, NEW.name_zh), fieldbook_search_text(5, NEW.name_zh),
        fieldbook_search_text(6, NEW.name_zh), fieldbook_search_text(7, NEW.name_zh));
END;

-- Only when a name changes or the person is deleted or restored: an edit
-- of the phone or the education leaves the index alone.
CREATE TRIGGER person_search_update AFTER UPDATE OF name_zh, name_bo, deleted_at ON person
WHEN (OLD.name_zh IS NOT NEW.name_zh OR OLD.name_bo IS NOT NEW.name_bo
    OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL))
    AND NOT fieldbook_search_deferred() BEGIN
    INSERT INTO search_person(search_person, rowid, zh, zhs, bo, bos, py, pys, pyi, pyis)
    SELECT 'delete', OLD.rowid,
        fieldbook_search_text(0, OLD.name_zh), fieldbook_search_text(1, OLD.name_zh),
        fieldbook_search_text(2, OLD.name_bo), fieldbook_search_text(3, OLD.name_bo),
        fieldbook_search_text(4, OLD.name_zh), fieldbook_search_text(5, OLD.name_zh),
        fieldbook_search_text(6, OLD.name_zh), fieldbook_search_text(7, OLD.name_zh)
    WHERE OLD.deleted_at IS NULL;
    INSERT INTO search_person(rowid, zh, zhs, bo, bos, py, pys, pyi, pyis)
    SELECT NEW.rowid,
        fieldbook_search_text(0, NEW.name_zh), fieldbook_search_text(1, NEW.name_zh),
        fieldbook_search_text(2, NEW.name_bo), fieldbook_search_text(3, NEW.name_bo),
        fieldbook_search_text(4, NEW.name_zh), fieldbook_search_text(5, NEW.name_zh),
        fieldbook_search_text(6, NEW.name_zh), fieldbook_search_text(7, NEW.name_zh)
    WHERE NEW.deleted_at IS NULL;
END;

-- Rows are soft-deleted; this covers a row removed by hand.
CREATE TRIGGER person_search_delete AFTER DELETE ON person
WHEN OLD.deleted_at IS NULL AND NOT fieldbook_search_deferred() BEGIN
    INSERT INTO search_person(search_person, rowid, zh, zhs, bo, bos, py, pys, pyi, pyis) VALUES (
        'delete', OLD.rowid,
        fieldbook_search_text(0, OLD.name_zh), fieldbook_search_text(1, OLD.name_zh),
        fieldbook_search_text(2, OLD.name_bo), fieldbook_search_text(3, OLD.name_bo),
        fieldbook_search_text(4, OLD.name_zh), fieldbook_search_text(5, OLD.name_zh),
        fieldbook_search_text(6, OLD.name_zh), fieldbook_search_text(7, OLD.name_zh));
END;

-- Last digits of ID numbers, phones and household numbers.
CREATE INDEX person_id_tail ON person(substr(id_number, -4))
    WHERE deleted_at IS NULL AND id_number <> '';
CREATE INDEX person_phone_digits ON person(replace(phone, '-', ''))
    WHERE deleted_at IS NULL AND phone <> '';
CREATE INDEX person_phone_tail ON person(substr(phone, -4))
    WHERE deleted_at IS NULL AND phone <> '';
CREATE INDEX household_number_tail ON household(substr(number, -4))
    WHERE deleted_at IS NULL;
CREATE INDEX household_phone_digits ON household(replace(phone, '-', ''))
    WHERE deleted_at IS NULL AND phone <> '';
CREATE INDEX household_phone_tail ON household(substr(phone, -4))
    WHERE deleted_at IS NULL AND phone <> '';
