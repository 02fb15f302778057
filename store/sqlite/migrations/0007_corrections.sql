-- RenalWatch SQLite schema, version 7: corrections. An Observation re-sent
-- under a stored id with status amended or corrected and other content is
-- stored as an item of kind 'correction' (record.NewCorrection; its id is
-- 'correction:' || the target's id || '@' || a hash of its content) beside
-- the observation it replaces, which is kept. The index finds a patient's
-- corrections of one observation (importcore.Backend.Corrected). The
-- version also keeps a RenalWatch older than corrections from reading a
-- store that may hold them: it would show the replaced value in its
-- patient list (it refuses the store instead, "made by a newer
-- RenalWatch").

CREATE INDEX items_corrections ON items (patient_id, id) WHERE kind = 'correction';
