-- Groups the annotations one intent wrote, so an annotator can undo their last action
-- as a whole. The action is the audit-log row that recorded the intent.
ALTER TABLE annotations ADD COLUMN action_id INTEGER REFERENCES audit_log(id);
CREATE INDEX annotations_by_action ON annotations (action_id);
