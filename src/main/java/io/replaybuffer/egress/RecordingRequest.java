package io.replaybuffer.egress;

/** What to record and where: one participant's video (and optional audio) track into a buffer directory. */
public record RecordingRequest(String roomName, String participantIdentity, String videoTrackId, String audioTrackId,
        String segmentDir, int segmentSeconds) {
}
