package io.replaybuffer.clip.build;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * Fills in the timestamps a demuxed packet lacks, as FFmpeg's demuxer does for a stream it has probed: a packet
 * with neither pts nor dts follows the previous packet of its stream by that packet's duration, a missing pts is
 * the dts and a missing dts the pts, and a missing duration is the stream's frame duration.
 *
 * <p>Why it is needed: segments after a build's first are opened without probing (probing decodes video; at 1080p60
 * that is about 17 ms a segment, a second for a ten-minute clip). Unprobed, the demuxer does not know an AAC
 * stream's frame size, so when one PES packet carries several AAC frames (ffmpeg's muxer does this) every frame but
 * the first comes out with no timestamp and no duration. One state per input stream and segment: timestamps of
 * different files are not comparable.
 */
final class PacketTimestamps {

    private static final long NONE = avutil.AV_NOPTS_VALUE;

    private final long frameTicks;
    private final boolean reorders;
    private long nextDts = NONE;
    private int derived;
    private int dropped;

    /**
     * @param frameTicks one frame's duration in the stream's time base, 0 when unknown
     * @param reorders   whether presentation order may differ from decode order (video: B-frames); a guessed dts
     *                   then never passes the pts, which is also right for video that does not reorder
     */
    PacketTimestamps(long frameTicks, boolean reorders) {
        this.frameTicks = frameTicks;
        this.reorders = reorders;
    }

    /** Completes {@code packet} in place; false when there is nothing to derive its time from (drop it). */
    boolean fill(AVPacket packet) {
        long pts = packet.pts();
        long dts = packet.dts();
        long duration = packet.duration();
        if (duration <= 0 && frameTicks > 0) {
            duration = frameTicks;
            packet.duration(duration);
        }
        if (pts == NONE || dts == NONE) {
            if (pts == NONE && dts == NONE) {
                if (nextDts == NONE) {
                    dropped++;
                    return false;
                }
                dts = nextDts;
                pts = dts;
            } else if (pts == NONE) {
                pts = dts;
            } else {
                // Decode order never goes back, and never passes the frame's own presentation time.
                dts = !reorders || nextDts == NONE ? pts : Math.min(pts, nextDts);
            }
            packet.pts(pts);
            packet.dts(dts);
            derived++;
        }
        if (duration > 0) {
            nextDts = dts + duration;
        }
        return true;
    }

    int derived() {
        return derived;
    }

    int dropped() {
        return dropped;
    }
}
