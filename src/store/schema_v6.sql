-- fieldbook schema step: employment records whole (issue 17), as the
-- national monitoring system's work sheet has them: place in three tiers
-- and the county of work, industry, channel, point-to-point transport,
-- start and end month, monthly income, the year's transport subsidy; for a
-- labourer not working, plans to work, the planned place and the services
-- wanted. Touches only employment_record.

-- The sheet counts work by month: the dates become months (YYYY-MM).
-- Renamed, so a snapshot of the old columns is refused rather than misread.
ALTER TABLE employment_record RENAME COLUMN start_date TO start_month;
ALTER TABLE employment_record RENAME COLUMN end_date TO end_month;
UPDATE employment_record SET start_month = substr(start_month, 1, 7),
    end_month = substr(end_month, 1, 7);

ALTER TABLE employment_record ADD COLUMN place_tier TEXT NOT NULL DEFAULT '';
ALTER TABLE employment_record ADD COLUMN work_county TEXT NOT NULL DEFAULT '';
ALTER TABLE employment_record ADD COLUMN industry TEXT NOT NULL DEFAULT '';
ALTER TABLE employment_record ADD COLUMN channel TEXT NOT NULL DEFAULT '';
ALTER TABLE employment_record ADD COLUMN point_to_point INTEGER NOT NULL DEFAULT 0
    CHECK (point_to_point IN (0, 1));
ALTER TABLE employment_record ADD COLUMN monthly_income_fen INTEGER
    CHECK (monthly_income_fen >= 0);
ALTER TABLE employment_record ADD COLUMN transport_subsidy_fen INTEGER
    CHECK (transport_subsidy_fen >= 0);
ALTER TABLE employment_record ADD COLUMN plans_to_work INTEGER CHECK (plans_to_work IN (0, 1));
ALTER TABLE employment_record ADD COLUMN planned_tier TEXT NOT NULL DEFAULT '';
ALTER TABLE employment_record ADD COLUMN services_wanted TEXT NOT NULL DEFAULT '';

-- Records kept before: the place and channel their kind says. Local work,
-- a cooperative, a post and self-employment are in Sêrtar; the channel of
-- other work was not recorded and is left for the clerk to fill.
UPDATE employment_record SET
    place_tier = CASE
        WHEN kind IN ('local_short_term', 'cooperative', 'welfare_post', 'self_employed')
            THEN 'in_county'
        WHEN kind IN ('in_province', 'out_of_province') THEN kind
        ELSE '' END,
    channel = CASE kind
        WHEN 'cooperative' THEN 'labour_cooperative'
        WHEN 'welfare_post' THEN 'welfare_post'
        WHEN 'self_employed' THEN 'self_employed'
        ELSE '' END;
UPDATE employment_record SET work_county = '色达县' WHERE place_tier = 'in_county';

-- A person's work in order (the overlap check, the work screen), and the
-- months a report's year reads.
DROP INDEX employment_record_person;
CREATE INDEX employment_record_person ON employment_record(person_id, start_month);
CREATE INDEX employment_record_start ON employment_record(start_month);
