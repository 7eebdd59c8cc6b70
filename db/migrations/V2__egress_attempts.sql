-- What egress reported about each attempt of a buffer's recording: the playlist names from
-- EgressInfo.segment_results. A first attempt keeps "{retry}" literally in its names, a retried one writes its
-- retry count (livekit/egress pkg/config/output_file.go getFilenameInfo); the index reads only these playlists.
-- Buffers recorded before this table existed have no rows: the index then looks for egress-named playlists in
-- their directory (logged and counted), and the next webhook or reconcile pass fills the rows in.

CREATE TABLE egress_attempts (
    buffer_id          uuid        NOT NULL REFERENCES replay_buffer_sessions (id) ON DELETE CASCADE,
    -- "{retry}" for a first attempt, the retry count otherwise ("0" only in directories written before V2).
    attempt            text        NOT NULL CHECK (attempt ~ '^(\{retry\}|[0-9]{1,4})$'),
    egress_id          text        NOT NULL CHECK (length(egress_id) BETWEEN 1 AND 255),
    retry_count        integer     NOT NULL CHECK (retry_count >= 0),
    -- As egress reported them (storage path joined with the file name), for operators and audits.
    playlist_name      text        NOT NULL CHECK (length(playlist_name) BETWEEN 1 AND 1024),
    live_playlist_name text        CHECK (length(live_playlist_name) BETWEEN 1 AND 1024),
    reported_at        timestamptz NOT NULL,
    source             text        NOT NULL,
    PRIMARY KEY (buffer_id, attempt)
);
