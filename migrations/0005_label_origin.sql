-- Where each label came from: 'manual' (a person chose the class) or 'accepted' (the
-- model proposed it and a person confirmed it with an accept gesture on a sphere).
ALTER TABLE annotations ADD COLUMN origin TEXT NOT NULL DEFAULT 'manual' CHECK (origin IN ('manual', 'accepted'));
ALTER TABLE label_batches ADD COLUMN origin TEXT NOT NULL DEFAULT 'manual' CHECK (origin IN ('manual', 'accepted'));
-- Room settings a lead changes while the room runs, kept across restarts
-- (acceptance_threshold).
CREATE TABLE room_settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
