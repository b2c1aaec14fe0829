-- The previous version of Cairn computes its own form of the keys again when it starts.
UPDATE users SET name_key = NULL;
