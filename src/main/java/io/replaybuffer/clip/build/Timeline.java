package io.replaybuffer.clip.build;

import java.time.Duration;
import java.time.Instant;

/**
 * The clip's clock, in microseconds from the requested start. Each segment is anchored on its first video frame:
 * the first segment so that the requested instant becomes 0, every later one onto the end of the video written
 * before it, so joins neither gap nor overlap whatever the files' own timestamps say.
 */
final class Timeline {

    private final long cutMicros;
    private final long lengthMicros;
    private final long frameMicros;
    private long shift;
    private boolean anchored;
    private long lastVideoPts = Long.MIN_VALUE;
    /** Latest video timestamp read, written or not (pre-roll counts): the next segment continues from it. */
    private long lastVideoSeen = Long.MIN_VALUE;
    private long lastAudioPts = Long.MIN_VALUE;
    private boolean videoDone;

    Timeline(Instant firstSegmentStart, Instant from, Duration length, long frameMicros) {
        this.cutMicros = Duration.between(firstSegmentStart, from).toNanos() / 1000;
        this.lengthMicros = length.toNanos() / 1000;
        this.frameMicros = frameMicros;
    }

    boolean segmentAnchored() {
        return anchored;
    }

    /** Fixes this segment's shift from its first video timestamp. */
    void anchorSegment(long firstVideoMicros, boolean first) {
        shift = first || lastVideoSeen == Long.MIN_VALUE
                ? -firstVideoMicros - cutMicros
                : (lastVideoSeen + frameMicros) - firstVideoMicros;
        anchored = true;
    }

    void endSegment() {
        anchored = false;
    }

    /** This segment's shift, valid once it is anchored. */
    long shiftMicros() {
        return shift;
    }

    long rebase(long micros) {
        return micros + shift;
    }

    void videoSeen(long pts) {
        lastVideoSeen = Math.max(lastVideoSeen, pts);
    }

    long lengthMicros() {
        return lengthMicros;
    }

    void videoWritten(long pts) {
        lastVideoPts = Math.max(lastVideoPts, pts);
    }

    /** True (and remembered) when an audio packet starts after the last one written. */
    boolean audioAfterLast(long pts) {
        if (pts <= lastAudioPts) {
            return false;
        }
        lastAudioPts = pts;
        return true;
    }

    void videoDone() {
        videoDone = true;
    }

    boolean done() {
        return videoDone;
    }

    /** Shown length: from the requested start to the end of the last frame, at most the requested length. */
    double writtenSeconds() {
        if (lastVideoPts == Long.MIN_VALUE) {
            return 0;
        }
        return Math.min(lastVideoPts + frameMicros, lengthMicros) / 1e6;
    }
}
