package io.replaybuffer.platform.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every {@code replay.*} setting, typed. Names are chosen so each one has the environment variable of the
 * public contract (shared/reference/api.md): {@code replay.quota.bytes} is {@code REPLAY_QUOTA_BYTES}.
 */
@ConfigMapping(prefix = "replay")
public interface ReplayConfig {

    /** REPLAY_SEGMENTS_PATH: the egress output volume as this service sees it. */
    Path segmentsPath();

    /** REPLAY_CLIPS_PATH: permanent clip storage. */
    Path clipsPath();

    /** REPLAY_SEGMENT_DURATION_SECONDS: the segment length asked of egress. */
    @WithDefault("10")
    @Min(1) @Max(60)
    int segmentDurationSeconds();

    /** REPLAY_BUFFER_SECONDS: buffer length when the client does not ask for one. */
    @WithDefault("600")
    @Min(1)
    int bufferSeconds();

    /** REPLAY_MAX_BUFFER_SECONDS: the longest buffer a client may ask for. */
    @WithDefault("3600")
    @Min(1)
    int maxBufferSeconds();

    /** REPLAY_STOPPED_GRACE: how long a stopped buffer stays capturable before cleanup takes it. */
    @WithDefault("15m")
    Duration stoppedGrace();

    /**
     * REPLAY_SIGNING_KEY: secret for signed URLs (preview segments, share links). Every replica needs the same one;
     * required in prod. Dev and test make a random one per process when unset.
     */
    Optional<String> signingKey();

    /**
     * REPLAY_REPLICAS: how many replicas serve the same users (the Helm chart sets it from backend.replicas). Limits
     * are counted in Redis across all of them; while Redis is down each replica enforces 1/REPLAY_REPLICAS of every
     * limit on its own, so together they stay within it.
     */
    @WithDefault("1")
    @Min(1)
    int replicas();

    /** REPLAY_BUFFER_RATE: buffer starts and stops per user (each one is two LiveKit calls). */
    @WithDefault("10/1m,60/1h")
    @WithConverter(RateLimit.Converter.class)
    List<RateLimit> bufferRate();

    /**
     * REPLAY_LINK_RATE: signed clip links a user may create. The player page makes one for every play and download
     * too (a video element cannot send the token), so this is sized for browsing, not only for sharing.
     */
    @WithDefault("60/1m,600/1h")
    @WithConverter(RateLimit.Converter.class)
    List<RateLimit> linkRate();

    /** REPLAY_CLIP_CHANGE_RATE: renames, visibility changes, deletions and link revocations per user. */
    @WithDefault("60/1m,600/1h")
    @WithConverter(RateLimit.Converter.class)
    List<RateLimit> clipChangeRate();

    /**
     * REPLAY_PREVIEW_RATE: preview playlists per user. A live preview is reloaded about once per segment
     * (hls.js), so this allows one preview at 1-second segments or a few at the default 10 s.
     */
    @WithDefault("90/1m")
    @WithConverter(RateLimit.Converter.class)
    List<RateLimit> previewRate();

    /**
     * REPLAY_GAME_SERVER_CAPTURE_RATE: clips one game server (a token in the {@code game-server} group) may capture
     * for players, single or in team replays, one per clip. Generous: a game backend captures for many matches at
     * once; each player's library stays protected by their quota.
     */
    @WithDefault("600/1m,20000/1h")
    @WithConverter(RateLimit.Converter.class)
    List<RateLimit> gameServerCaptureRate();

    /**
     * REPLAY_MARKER_RATE: markers per player (counted against the buffer's owner, whoever marks: a game server marking
     * for many players is limited per player). A marker is a row and a webhook, so this is generous.
     */
    @WithDefault("30/1m,600/1h")
    @WithConverter(RateLimit.Converter.class)
    List<RateLimit> markerRate();

    /**
     * REPLAY_MAX_POST_ROLL_SECONDS: how far past the request a capture may reach ({@code afterSeconds}, or an
     * {@code endAt} in the future). Such a capture waits for that footage before its clip is built.
     */
    @WithDefault("60")
    @Min(0) @Max(3600)
    int maxPostRollSeconds();

    /** REPLAY_MAX_STREAMS_PER_USER: open event streams (SSE) per user, across replicas. */
    @WithDefault("5")
    @Min(1)
    int maxStreamsPerUser();

    /** REPLAY_MAX_STREAMS: open event streams on one replica, all users together. */
    @WithDefault("2000")
    @Min(1)
    int maxStreams();

    /**
     * REPLAY_MAX_IN_FLIGHT: API requests one replica works on at once; past it a request is refused at once with 503
     * service-overloaded and Retry-After, before it costs a database round trip (LoadShedder). Downloads, event
     * streams, LiveKit's webhooks, health and metrics are not counted.
     */
    @WithDefault("64")
    @Min(1)
    int maxInFlight();

    /**
     * REPLAY_CLIP_CACHE_TTL: how long a clip or library page read from the database answers later reads on this
     * replica (ClipCache). Writes make every replica forget what they change at once; this bounds the staleness when
     * Redis, which carries that news, is unreachable. 0 turns the cache off.
     */
    @WithDefault("1s")
    Duration clipCacheTtl();

    Egress egress();

    Quota quota();

    Capture capture();

    Cleanup cleanup();

    Reconcile reconcile();

    Webhook webhook();

    Dev dev();

    /** How egress is asked to record. */
    interface Egress {
        /** REPLAY_EGRESS_OUTPUT_PATH: the same volume as egress pods see it; defaults to the segments path. */
        Optional<String> outputPath();

        /** REPLAY_EGRESS_PRESET: LiveKit EncodingOptionsPreset name. */
        @WithDefault("H264_1080P_30")
        String preset();

        /**
         * REPLAY_EGRESS_SIMULATED: record with the built-in simulated egress instead of LiveKit. Implied in dev
         * and test when LIVEKIT_URL is unset; production must ask for it explicitly.
         */
        @WithDefault("false")
        boolean simulated();
    }

    /** Default per-user quota; a user's row may override it. */
    interface Quota {
        /** REPLAY_QUOTA_BYTES (default 5 GiB). */
        @WithDefault("5368709120")
        @Min(0)
        long bytes();

        /** REPLAY_QUOTA_CLIPS. */
        @WithDefault("500")
        @Min(0)
        int clips();
    }

    /** Capture admission. */
    interface Capture {
        /** REPLAY_CAPTURE_RATE: per-user limits such as {@code 3/1m,15/1h}. */
        @WithDefault("3/1m,15/1h")
        @WithConverter(RateLimit.Converter.class)
        List<RateLimit> rate();

        /**
         * REPLAY_CAPTURE_MIN_SECONDS: the shortest clip. Shorter asks are invalid (400); a window the footage cuts
         * below it has nothing to capture (409). Below one frame there would be no clip at all.
         */
        @WithDefault("1")
        @Positive
        double minSeconds();

        /** REPLAY_CAPTURE_CONCURRENCY: MP4 builds running at once on one replica. */
        @WithDefault("2")
        @Min(1)
        int concurrency();

        /** REPLAY_CAPTURE_QUEUE: builds waiting beyond those; past it a capture gets 503. */
        @WithDefault("32")
        @Min(0)
        int queue();

        /**
         * REPLAY_CAPTURE_BUILD_LEASE: how long a build's claim on its clip lasts unless renewed (a heartbeat renews it
         * every sixth of this while the build runs). Past it, another replica's recovery may take the clip over, so it
         * must stay well above a database hiccup and the replicas' clock skew.
         */
        @WithDefault("30s")
        Duration buildLease();

        /**
         * REPLAY_CAPTURE_UNCLAIMED_AFTER: a PROCESSING clip no build ever claimed (its capture died before the build
         * started) is recovered once this old. A build still waiting in a queue that long is harmless to take over:
         * whichever claims it first builds it, the other skips it.
         */
        @WithDefault("2m")
        Duration unclaimedAfter();

        /**
         * REPLAY_CAPTURE_POST_ROLL_GRACE: how long a post-roll capture waits for the rest of its footage beyond its
         * window's end plus two segment durations (egress lists a segment only once it is complete and copied).
         * Past it, the clip is built from what came, and says it was truncated.
         */
        @WithDefault("15s")
        Duration postRollGrace();
    }

    /** The segment sweep and the disk guard. */
    interface Cleanup {
        /** REPLAY_CLEANUP_EVERY. */
        @WithDefault("60s")
        String every();

        /** REPLAY_CLEANUP_FIRST_AFTER: the first sweep after start-up (let the replica settle first). */
        @WithDefault("30s")
        String firstAfter();

        /** REPLAY_CLEANUP_HIGH_WATER_PERCENT: segment volume use above which buffers are trimmed oldest first. */
        @WithDefault("85")
        @Min(1) @Max(100)
        int highWaterPercent();

        /** REPLAY_CLEANUP_CRITICAL_PERCENT: above this, new buffers are refused (captures keep working). */
        @WithDefault("95")
        @Min(1) @Max(100)
        int criticalPercent();

        /** REPLAY_CLEANUP_MIN_WINDOW_SECONDS: the disk guard never trims a buffer below this. */
        @WithDefault("60")
        @Min(1)
        int minWindowSeconds();

        /** REPLAY_CLEANUP_ABANDONED_AFTER: leftovers of a crash (capture folders, temp files) older than this go. */
        @WithDefault("1h")
        Duration abandonedAfter();

        /**
         * REPLAY_CLEANUP_MISSING_CONFIRM_AFTER: the clip audit fails a READY clip whose file is absent only when an
         * audit at least this long after the first one finds it absent again (a volume that blinked comes back).
         */
        @WithDefault("10m")
        Duration missingConfirmAfter();
    }

    /** Run-command conveniences; read by {@code DevEmbeddedPostgres} before CDI exists, declared here to be typed. */
    interface Dev {
        /** REPLAY_DEV_EMBEDDED_POSTGRES: in the dev profile with no datasource URL, start an embedded PostgreSQL. */
        @WithDefault("true")
        boolean embeddedPostgres();

        /** REPLAY_DEV_EMBEDDED_POSTGRES_DIR: where it keeps its data between runs. */
        @WithDefault("data/postgres")
        String embeddedPostgresDir();
    }

    /**
     * Outgoing webhooks to the game platform's backend (Standard Webhooks). Nothing is written or sent while
     * REPLAY_WEBHOOK_URLS is unset.
     */
    interface Webhook {
        /** REPLAY_WEBHOOK_URLS: the endpoints (http or https), comma-separated; each gets every event. */
        Optional<List<java.net.URI>> urls();

        /** REPLAY_WEBHOOK_SECRET: {@code whsec_} + base64 of the signing key; required when there are endpoints. */
        Optional<String> secret();

        /** REPLAY_WEBHOOK_TIMEOUT: how long an attempt waits for its answer before it counts as failed. */
        @WithDefault("10s")
        Duration timeout();

        /** REPLAY_WEBHOOK_RETRY_FOR: how long after the event failed attempts are retried; then it is failed. */
        @WithDefault("24h")
        Duration retryFor();

        /** REPLAY_WEBHOOK_FIRST_RETRY_AFTER: the wait after the first failed attempt; it doubles after each. */
        @WithDefault("5s")
        Duration firstRetryAfter();

        /** REPLAY_WEBHOOK_MAX_RETRY_AFTER: the longest wait between two attempts. */
        @WithDefault("2h")
        Duration maxRetryAfter();

        /** REPLAY_WEBHOOK_CONCURRENCY: attempts in flight at once per endpoint on one replica. */
        @WithDefault("4")
        @Min(1) @Max(64)
        int concurrency();

        /** REPLAY_WEBHOOK_POLL_EVERY: how often a replica looks for due deliveries (retries, other replicas' events). */
        @WithDefault("1s")
        Duration pollEvery();

        /** REPLAY_WEBHOOK_KEEP_DELIVERED: delivered rows are pruned this long after delivery. */
        @WithDefault("7d")
        Duration keepDelivered();

        /** REPLAY_WEBHOOK_KEEP_FAILED: failed rows stay longer, for operators to read. */
        @WithDefault("30d")
        Duration keepFailed();
    }

    /** Buffer reconciliation with LiveKit. */
    interface Reconcile {
        /** REPLAY_RECONCILE_EVERY. */
        @WithDefault("60s")
        String every();
    }
}
