-- Replay buffer schema. Constraints make the bad states unrepresentable; the service relies on them
-- (for example the partial unique index is what makes "one live buffer per user" safe across replicas).

CREATE TABLE replay_buffer_sessions (
    id                   uuid        PRIMARY KEY,
    user_id              text        NOT NULL CHECK (length(user_id) BETWEEN 1 AND 255),
    room_name            text        NOT NULL CHECK (length(room_name) BETWEEN 1 AND 255),
    participant_identity text        NOT NULL CHECK (length(participant_identity) BETWEEN 1 AND 255),
    video_track_id       text        NOT NULL CHECK (length(video_track_id) BETWEEN 1 AND 255),
    audio_track_id       text        CHECK (length(audio_track_id) BETWEEN 1 AND 255),
    egress_id            text        UNIQUE,
    status               text        NOT NULL CHECK (status IN ('STARTING', 'ACTIVE', 'STOPPING', 'STOPPED', 'FAILED')),
    -- Relative to the segments root; never absolute, never climbing out of it.
    segment_dir          text        NOT NULL UNIQUE CHECK (segment_dir ~ '^[A-Za-z0-9_-]+$'),
    buffer_seconds       integer     NOT NULL CHECK (buffer_seconds > 0),
    started_at           timestamptz NOT NULL,
    ended_at             timestamptz,
    last_segment_at      timestamptz,
    stalled_since        timestamptz,
    error                text,
    updated_at           timestamptz NOT NULL,
    version              bigint      NOT NULL DEFAULT 0,
    -- A finished buffer has an end time and a live one does not.
    CONSTRAINT sessions_ended_iff_finished CHECK ((status IN ('STOPPED', 'FAILED')) = (ended_at IS NOT NULL)),
    CONSTRAINT sessions_failed_has_error CHECK (status <> 'FAILED' OR error IS NOT NULL)
);

-- One live buffer per user. STOPPING is excluded so a new buffer can start while the old egress winds down.
CREATE UNIQUE INDEX sessions_one_live_per_user ON replay_buffer_sessions (user_id) WHERE status IN ('STARTING', 'ACTIVE');
CREATE INDEX sessions_user_status  ON replay_buffer_sessions (user_id, status);
CREATE INDEX sessions_room_status  ON replay_buffer_sessions (room_name, status);
CREATE INDEX sessions_status_ended ON replay_buffer_sessions (status, ended_at);

CREATE TABLE stored_files (
    id            uuid        PRIMARY KEY,
    -- Relative to the clips root: no leading slash, no '..' segment, no backslash.
    relative_path text        NOT NULL UNIQUE
                              CHECK (relative_path <> '' AND relative_path !~ '^/' AND relative_path !~ '(^|/)\.\.(/|$)' AND relative_path !~ '\\'),
    size_bytes    bigint      NOT NULL CHECK (size_bytes >= 0),
    sha256        text        CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content_type  text        NOT NULL,
    created_at    timestamptz NOT NULL
);

CREATE TABLE clips (
    id                 uuid             PRIMARY KEY,
    user_id            text             NOT NULL CHECK (length(user_id) BETWEEN 1 AND 255),
    session_id         uuid             REFERENCES replay_buffer_sessions (id) ON DELETE SET NULL,
    title              text             NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    visibility         text             NOT NULL DEFAULT 'PRIVATE' CHECK (visibility IN ('PRIVATE', 'UNLISTED', 'PUBLIC')),
    status             text             NOT NULL CHECK (status IN ('PROCESSING', 'READY', 'FAILED')),
    requested_seconds  double precision NOT NULL CHECK (requested_seconds > 0),
    duration_seconds   double precision CHECK (duration_seconds >= 0),
    captured_from      timestamptz      NOT NULL,
    captured_to        timestamptz      NOT NULL,
    truncated          boolean          NOT NULL DEFAULT false,
    width              integer          CHECK (width > 0),
    height             integer          CHECK (height > 0),
    video_codec        text,
    audio_codec        text,
    size_bytes         bigint           CHECK (size_bytes >= 0),
    -- Bytes held against the owner's quota while the clip is built; settled to size_bytes or released.
    reserved_bytes     bigint           NOT NULL DEFAULT 0 CHECK (reserved_bytes >= 0),
    file_id            uuid             UNIQUE REFERENCES stored_files (id),
    thumbnail_file_id  uuid             UNIQUE REFERENCES stored_files (id),
    error              text,
    created_at         timestamptz      NOT NULL,
    updated_at         timestamptz      NOT NULL,
    version            bigint           NOT NULL DEFAULT 0,
    CONSTRAINT clips_range_forward   CHECK (captured_to > captured_from),
    CONSTRAINT clips_ready_has_file  CHECK (status <> 'READY' OR (file_id IS NOT NULL AND size_bytes IS NOT NULL AND duration_seconds IS NOT NULL)),
    CONSTRAINT clips_failed_has_error CHECK (status <> 'FAILED' OR error IS NOT NULL),
    CONSTRAINT clips_only_processing_reserves CHECK (status = 'PROCESSING' OR reserved_bytes = 0)
);

CREATE INDEX clips_user_created   ON clips (user_id, created_at DESC, id DESC);
CREATE INDEX clips_public_created ON clips (user_id, created_at DESC, id DESC) WHERE visibility = 'PUBLIC' AND status = 'READY';
CREATE INDEX clips_status_updated ON clips (status, updated_at);
CREATE INDEX clips_session        ON clips (session_id);

CREATE TABLE user_quotas (
    user_id     text        PRIMARY KEY CHECK (length(user_id) BETWEEN 1 AND 255),
    -- NULL limit = the configured default (REPLAY_QUOTA_BYTES / REPLAY_QUOTA_CLIPS), so changing the
    -- default reaches every user who has no explicit override.
    limit_bytes bigint      CHECK (limit_bytes >= 0),
    limit_clips integer     CHECK (limit_clips >= 0),
    -- Includes bytes reserved by clips still being built.
    used_bytes  bigint      NOT NULL DEFAULT 0 CHECK (used_bytes >= 0),
    used_clips  integer     NOT NULL DEFAULT 0 CHECK (used_clips >= 0),
    updated_at  timestamptz NOT NULL
);
