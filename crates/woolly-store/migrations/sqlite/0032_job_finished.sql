-- Pruning finished jobs (`DELETE FROM job WHERE state = 'done' AND finished_at < $1`, every ten
-- minutes) read every finished job through job_state_kind: 350 to 490 ms on a server that had
-- posted a million statuses, the writer held all along. With this index it reads only those it
-- deletes (4 ms there).
-- Keep this file and ../postgres/0032_job_finished.sql in step: a test compares the two schemas.
CREATE INDEX job_finished ON job (state, finished_at);
