package io.replaybuffer.platform.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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
     * streams, LiveKit's webhooks, health and metrics are not counted. Tried at 16 (more refusals, earlier): reads
     * got faster under load, but captures, which hold their place for tens of milliseconds, were refused (7% at 50/s).
     */
    @WithDefault("64")
    @Min(1)
    int maxInFlight();

    /**
     * REPLAY_MAX_EVENT_LOOP_DELAY: how late the event loops that read requests may stay, all through a 100 ms period,
     * before the replica admits fewer API requests at once (LoadShedder, EventLoopDelay). While every probe of a
     * period is later than this, the in-flight limit shrinks towards 2 and the requests let in per period are
     * limited too (PeriodBudget); once they keep time, the limit grows back to REPLAY_MAX_IN_FLIGHT and the budget
     * is lifted. 0 keeps the limit fixed and sets no budget.
     */
    @WithDefault("10ms")
    Duration maxEventLoopDelay();

    /**
     * REPLAY_CLIP_CACHE_TTL: how long a clip or library page read from the database answers later reads on this
     * replica (ClipCache). Writes make every replica forget what they change at once; this bounds the staleness when
     * Redis, which carries that news, is unreachable. 0 turns the cache off.
     */
    @WithDefault("1s")
    Duration clipCacheTtl();

    /**
     * REPLAY_BACKGROUND_SHARE: the most of its time a background pass over every buffer (the reconciler's, the
     * sweep's) spends working; it pauses between buffers for the rest (Pace). Over 1,000 buffers a pass flat out took
     * a replica's core for seconds once a minute, and requests on that core waited behind it. 1 turns pacing off.
     */
    @WithDefault("0.25")
    @DecimalMin(value = "0", inclusive = false) @DecimalMax("1")
    double backgroundShare();

    Egress egress();

    Quota quota();

    CaptureSettings capture();

    CleanupSettings cleanup();

    Reconcile reconcile();

    WebhookSettings webhook();

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



    /** Run-command conveniences; read by {@code DevEmbeddedPostgres} before CDI exists, declared here to be typed. */
    interface Dev {
        /** REPLAY_DEV_EMBEDDED_POSTGRES: in the dev profile with no datasource URL, start an embedded PostgreSQL. */
        @WithDefault("true")
        boolean embeddedPostgres();

        /** REPLAY_DEV_EMBEDDED_POSTGRES_DIR: where it keeps its data between runs. */
        @WithDefault("data/postgres")
        String embeddedPostgresDir();
    }


    /** Buffer reconciliation with LiveKit. */
    interface Reconcile {
        /** REPLAY_RECONCILE_EVERY. */
        @WithDefault("60s")
        String every();
    }
}
