-- A label or an erase is acknowledged once its batch commits: one row per act, with the
-- items it changed packed into a blob, however many they are (a dense 70k-item room puts
-- tens of thousands of items in one sphere). The per-item history in `annotations` is
-- derived from the batches in order, moments later: `applied` counts the items already
-- written there, and the batch is deleted once all are. Whoever opens the store next
-- (the server at start, any command) completes what a killed process left. Until then an
-- item's current label is read from its newest batch, if any, before its annotations.
CREATE TABLE label_batches (
  id            INTEGER PRIMARY KEY,
  dataset_id    INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  action_id     INTEGER NOT NULL REFERENCES audit_log(id),
  annotator_id  INTEGER NOT NULL REFERENCES users(id),
  sphere_id     INTEGER REFERENCES spheres(id),
  class_id      INTEGER REFERENCES classes(id),   -- NULL erases
  item_ids      BLOB NOT NULL,                    -- 64-bit little-endian item ids
  applied       INTEGER NOT NULL DEFAULT 0 CHECK (applied >= 0),
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
