package io.replaybuffer.platform.events;

import java.util.Collection;
import java.util.Map;

/**
 * Each open event stream of a user holds a lease; a user may hold {@code max} at once across replicas. Leases
 * expire unless renewed, so the streams of a replica that died stop counting by themselves.
 */
interface StreamLeases {

    /** Takes a lease for {@code streamId} unless {@code userId} already holds {@code max}; true when taken. */
    boolean take(String userId, String streamId, int max);

    /** Gives a lease back (the stream closed). */
    void give(String userId, String streamId);

    /** Renews the leases of the streams still open here, per user. */
    void renew(Map<String, ? extends Collection<String>> openStreams);
}
