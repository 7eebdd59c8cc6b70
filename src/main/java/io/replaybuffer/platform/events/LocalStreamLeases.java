package io.replaybuffer.platform.events;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Leases of this process alone: without Redis (one process), or while Redis cannot be reached. Never lapse. */
final class LocalStreamLeases implements StreamLeases {

    private final Map<String, Set<String>> held = new ConcurrentHashMap<>();

    @Override
    public boolean take(String userId, String streamId, int max) {
        boolean[] taken = {false};
        held.compute(userId, (user, streams) -> {
            Set<String> mine = streams != null ? streams : ConcurrentHashMap.newKeySet();
            if (mine.size() < max) {
                taken[0] = mine.add(streamId);
            }
            return mine.isEmpty() ? null : mine;
        });
        return taken[0];
    }

    @Override
    public void give(String userId, String streamId) {
        held.computeIfPresent(userId, (user, streams) -> {
            streams.remove(streamId);
            return streams.isEmpty() ? null : streams;
        });
    }

    @Override
    public void renew(Map<String, ? extends Collection<String>> openStreams) {
        // Nothing lapses in one process.
    }
}
