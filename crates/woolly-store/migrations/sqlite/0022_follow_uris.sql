-- The ActivityPub id of the Follow activity behind a follow or a follow request: a remote
-- follower's own id (our Accept or Reject must name it), or the id we gave our Follow of a remote
-- account (its Accept names it, and our Undo repeats it).
ALTER TABLE follow ADD COLUMN uri TEXT;
ALTER TABLE follow_request ADD COLUMN uri TEXT;
