package io.replaybuffer.platform.ratelimit;

/** The actions counted per user, each against its own configured rules (see {@link UserLimits}). */
public enum Limited {
    /** REPLAY_CAPTURE_RATE. */
    CAPTURE("capture", "captures"),
    /** REPLAY_BUFFER_RATE: starts and stops together, each costs LiveKit calls. */
    BUFFER("buffer", "buffer starts and stops"),
    /** REPLAY_LINK_RATE. */
    LINK("link", "share links"),
    /** REPLAY_CLIP_CHANGE_RATE: PATCH, DELETE and link revocation. */
    CLIP_CHANGE("clip-change", "clip changes"),
    /** REPLAY_PREVIEW_RATE. */
    PREVIEW("preview", "preview playlists"),
    /**
     * REPLAY_GAME_SERVER_CAPTURE_RATE: clips a game server captures for players (single or in team replays), counted
     * per game server, one per clip made; the players' own capture limits are theirs alone.
     */
    GAME_SERVER_CAPTURE("game-server-capture", "captures by this game server"),

    /** REPLAY_MARKER_RATE: markers placed in a player's buffers (by the player, game servers or admins). */
    MARKER("marker", "markers");

    private final String slug;
    private final String what;

    Limited(String slug, String what) {
        this.slug = slug;
        this.what = what;
    }

    /** Stable name: part of the counter's key and the problem's {@code limit} member. */
    public String slug() {
        return slug;
    }

    /** Plural words for the problem's detail. */
    public String what() {
        return what;
    }
}
