-- A class a lead deletes or merges away is retired, not removed: its past annotations
-- still name it (the audit trail), but it leaves the label set. Its name is freed for
-- a new class by renaming the retired row.
ALTER TABLE classes ADD COLUMN retired_at TEXT;
