DROP TABLE live_poll_answers;
--bun:split
ALTER TABLE live_polls DROP COLUMN hidden_words;
--bun:split
ALTER TABLE live_polls DROP COLUMN high_label;
--bun:split
ALTER TABLE live_polls DROP COLUMN low_label;
