-- The key a shown name is searched and sorted by (users.name_key, migration 0014) now also
-- folds the Arabic-script letters people type for one another: ة and ه, ى and ي, Arabic ي ك
-- and Persian ی ک, and every alef with hamza or madda to bare alef (store.NameKey). SQL cannot
-- compute the new key: the old ones are cleared here and Cairn fills them in Go right after
-- migrating (store.BackfillNameKeys), as it did when the column was added. Until then (a few
-- seconds on a large instance) a search does not find the accounts not yet refilled.
UPDATE users SET name_key = NULL;
