-- Audio datasets: windows of recordings.
--
-- Their source kind, 'audio-folder', joins the CHECK on datasets.source_kind. SQLite
-- cannot alter a CHECK, and rebuilding the table would cascade-delete every item that
-- references it, so the table's stored definition is edited in place, as SQLite's ALTER
-- TABLE documentation describes for a constraint that only admits more rows (the file
-- format is unchanged). The migration runs in one transaction with everything else here.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, '''image-folder'')', '''image-folder'', ''audio-folder'')')
 WHERE type = 'table' AND name = 'datasets';
PRAGMA writable_schema = RESET;

-- The rate an audio dataset's recordings were resampled to (its spectrograms' scale);
-- NULL for images.
ALTER TABLE datasets ADD COLUMN sample_rate INTEGER CHECK (sample_rate IS NULL OR sample_rate > 0);

-- Where each item lies in its recording, in seconds. NULL for images.
ALTER TABLE items ADD COLUMN start_s REAL;
ALTER TABLE items ADD COLUMN end_s REAL;
