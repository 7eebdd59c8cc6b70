-- Game-driven captures (issue 14): who asked for each clip, and team replays. A clip belongs to the player whose
-- buffer it came from (user_id); created_by names the caller that asked for it (the player, a game server or an
-- admin). A capture group is one window captured from several players' buffers at once; its status follows its clips.

CREATE TABLE capture_groups (
    id            uuid        PRIMARY KEY,
    room_name     text        NOT NULL CHECK (length(room_name) BETWEEN 1 AND 255),
    created_by    text        NOT NULL CHECK (length(created_by) BETWEEN 1 AND 255),
    captured_from timestamptz NOT NULL,
    captured_to   timestamptz NOT NULL,
    status        text        NOT NULL CHECK (status IN ('PROCESSING', 'READY', 'PARTIAL', 'FAILED')),
    -- Set once every clip of the group exists: before that, its clips ending must not settle it (a clip could be
    -- built before the next player's clip row is even inserted). Recovery seals groups whose request died half-way.
    sealed        boolean     NOT NULL DEFAULT false,
    -- The players left out, as the JSON array the capture answered ({participantIdentity, problem, reason} each);
    -- only ever shown back, never queried.
    skipped       text        NOT NULL DEFAULT '[]',
    created_at    timestamptz NOT NULL,
    settled_at    timestamptz,
    CONSTRAINT capture_groups_range_forward CHECK (captured_to > captured_from),
    CONSTRAINT capture_groups_settled_iff_done CHECK ((status = 'PROCESSING') = (settled_at IS NULL)),
    CONSTRAINT capture_groups_done_sealed CHECK (status = 'PROCESSING' OR sealed)
);

-- Recovery looks only at unsettled groups, a handful at any time.
CREATE INDEX capture_groups_processing ON capture_groups (created_at) WHERE status = 'PROCESSING';

ALTER TABLE clips
    ADD COLUMN created_by text CHECK (length(created_by) BETWEEN 1 AND 255),
    ADD COLUMN group_id   uuid REFERENCES capture_groups (id);

-- Every clip so far was captured by its owner (or an admin acting for them, which was not recorded).
UPDATE clips SET created_by = user_id;
ALTER TABLE clips ALTER COLUMN created_by SET NOT NULL;

-- A game server's library: the clips it created, newest first (its GET /api/v1/clips).
CREATE INDEX clips_created_by ON clips (created_by, created_at DESC, id DESC);
-- A group's clips; only clips of team replays have one.
CREATE INDEX clips_group ON clips (group_id) WHERE group_id IS NOT NULL;
