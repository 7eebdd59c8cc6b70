-- Builds hold a lease on their clip, so one clip is never built twice (issue 12, item 3). A build claims a PROCESSING
-- clip with one conditional UPDATE that succeeds only when nobody holds it or the holder's lease has run out; the
-- holder renews the lease every few seconds while it works, and only the holder may end the clip (READY or FAILED).
-- Recovery takes over a clip only when its lease expired, or when nobody ever claimed it and it is old.
ALTER TABLE clips
    -- The build attempt holding the clip: a random id per attempt, so two attempts on one replica differ too.
    ADD COLUMN build_owner       uuid,
    ADD COLUMN build_lease_until timestamptz,
    -- When the audit first found a READY clip's file absent (item 4): it fails the clip only if a later audit, some
    -- time after, finds it absent again. Cleared when the file is seen again.
    ADD COLUMN missing_since     timestamptz,
    ADD CONSTRAINT clips_lease_whole      CHECK ((build_owner IS NULL) = (build_lease_until IS NULL)),
    ADD CONSTRAINT clips_only_processing_leased CHECK (status = 'PROCESSING' OR build_owner IS NULL),
    ADD CONSTRAINT clips_only_ready_missing     CHECK (status = 'READY' OR missing_since IS NULL);

-- Recovery looks only at PROCESSING clips, a handful at any time: a partial index keeps that lookup tiny.
CREATE INDEX clips_processing_created ON clips (created_at) WHERE status = 'PROCESSING';
