ALTER TABLE live_polls DROP COLUMN answer_form;
