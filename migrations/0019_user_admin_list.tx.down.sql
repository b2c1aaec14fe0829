DROP INDEX users_admin_list_idx;
--bun:split
DROP INDEX users_disabled_username_idx;
--bun:split
DROP INDEX users_role_username_idx;
