ALTER TABLE live_polls DROP COLUMN option_keys;
