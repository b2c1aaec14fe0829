-- Live quiz questions answered by typing (short) or by putting items in order (ordering).
-- The server grades each answer and counts it as "right" or "wrong"; what was typed or the
-- order given is not kept.
ALTER TABLE live_polls ADD COLUMN answer_form VARCHAR(16) NOT NULL DEFAULT '';
