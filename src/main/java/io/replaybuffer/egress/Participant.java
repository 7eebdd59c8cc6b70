package io.replaybuffer.egress;

import java.util.Set;

/**
 * A participant in a room and the tracks it publishes, split by kind. {@code anyTrack} is only ever set by the
 * simulated egress, whose pretend room has every participant publishing whatever track is asked for.
 */
public record Participant(String identity, Set<String> videoTracks, Set<String> audioTracks, boolean anyTrack) {

    public Participant(String identity, Set<String> videoTracks, Set<String> audioTracks) {
        this(identity, videoTracks, audioTracks, false);
    }

    public static Participant publishingAnything(String identity) {
        return new Participant(identity, Set.of(), Set.of(), true);
    }

    public boolean publishesVideo(String trackId) {
        return anyTrack || videoTracks.contains(trackId);
    }

    public boolean publishesAudio(String trackId) {
        return anyTrack || audioTracks.contains(trackId);
    }
}
