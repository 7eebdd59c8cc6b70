package io.replaybuffer.capture;

import io.replaybuffer.platform.ratelimit.Limited;
import io.replaybuffer.platform.security.Caller;
import java.util.UUID;

/**
 * Who a capture is made by and which rate limit pays for it. A player's own capture (and an admin's for a player)
 * spends the player's REPLAY_CAPTURE_RATE; a game server's spends its own REPLAY_GAME_SERVER_CAPTURE_RATE, so a
 * busy game backend neither uses up the players' own capture button nor is bound by a player's small limit.
 */
public record CaptureOrigin(String createdBy, UUID groupId, Limited limit, String limitKey) {

    /** A single capture from the buffer of {@code ownerId}, asked for by {@code caller}. */
    public static CaptureOrigin of(Caller caller, String ownerId) {
        if (caller.gameServer() && !caller.id().equals(ownerId)) {
            return new CaptureOrigin(caller.id(), null, Limited.GAME_SERVER_CAPTURE, caller.id());
        }
        return new CaptureOrigin(caller.id(), null, Limited.CAPTURE, ownerId);
    }

    /** One clip of a team replay: the caller (game server or admin) pays with its own game-server permits. */
    public static CaptureOrigin team(Caller caller, UUID groupId) {
        return new CaptureOrigin(caller.id(), groupId, Limited.GAME_SERVER_CAPTURE, caller.id());
    }
}
