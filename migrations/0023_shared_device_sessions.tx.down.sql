ALTER TABLE sessions DROP COLUMN shared_device;
