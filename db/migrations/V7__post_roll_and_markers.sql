-- Post-roll captures and markers (issue 14, points 2 and 3).

ALTER TABLE clips
    -- A post-roll capture is PROCESSING and waits for footage recorded after the request until this instant (the
    -- end of its window); NULL once its window closed, and for captures of footage already recorded.
    ADD COLUMN waiting_until    timestamptz,
    -- Why the clip got less than asked when that is not merely shorter footage (the buffer stopped during the
    -- post-roll, or no more footage came): shown to the client in the clip's detail.
    ADD COLUMN truncated_reason text CHECK (length(truncated_reason) BETWEEN 1 AND 500),
    -- The buffer's markers inside the clip ([{offsetSeconds, label, kind}], oldest first), copied when its window
    -- closed: markers go with the buffer's footage, a clip keeps its own (they are its MP4 chapters too).
    ADD COLUMN markers          jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(markers) = 'array'),
    ADD CONSTRAINT clips_only_processing_waits CHECK (status = 'PROCESSING' OR waiting_until IS NULL);

-- Moments a game (or the player) marked in a buffer. They belong to the buffer's footage: the sweep deletes a marker
-- once its instant has left the buffer's window, and all of them with the buffer's footage (or row).
CREATE TABLE buffer_markers (
    id         uuid        PRIMARY KEY,
    buffer_id  uuid        NOT NULL REFERENCES replay_buffer_sessions (id) ON DELETE CASCADE,
    at         timestamptz NOT NULL,
    label      text        NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
    kind       text        CHECK (kind ~ '^[a-z0-9_.-]{1,32}$'),
    -- The caller that marked it: the player, a game server or an admin.
    created_by text        NOT NULL CHECK (length(created_by) BETWEEN 1 AND 255),
    created_at timestamptz NOT NULL
);

-- Listing a buffer's markers in time order, the markers of a clip's window, and the sweep by instant.
CREATE INDEX buffer_markers_buffer_at ON buffer_markers (buffer_id, at);
