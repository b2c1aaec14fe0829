-- Deleting an account (store.DeleteUser) removes every row about the person. What they did in
-- a live session that belongs to the session stays, without them:
--   - a named question keeps its text and is shown as asked by a deleted user: its user_id
--     becomes NULL, like an anonymous question's, and author_deleted tells the two apart (an
--     anonymous question never had an author to delete, so it is never marked);
--   - a vote stays in the poll's counts, while the guard row that named its voter is deleted:
--     departed_voters keeps the poll's number of voters (and so its percentages) right.
-- Neither column says who, or when.
ALTER TABLE live_questions ADD COLUMN author_deleted BOOLEAN NOT NULL DEFAULT FALSE;
--bun:split
ALTER TABLE live_polls ADD COLUMN departed_voters INTEGER NOT NULL DEFAULT 0;
