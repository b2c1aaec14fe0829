-- Live quiz questions show their options shuffled and named by position ("a", "b", …), never
-- by the author's ids (which often say which one is right). option_keys maps them back: a
-- JSON list of the author's option ids in the poll's order, kept on the server for grading
-- and the reveal. Empty for ad-hoc polls and for quiz polls opened before this change, whose
-- option ids are the author's.
ALTER TABLE live_polls ADD COLUMN option_keys TEXT NOT NULL DEFAULT '';
