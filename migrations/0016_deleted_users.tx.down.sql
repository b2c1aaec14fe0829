ALTER TABLE live_polls DROP COLUMN departed_voters;
--bun:split
ALTER TABLE live_questions DROP COLUMN author_deleted;
