package io.replaybuffer.clip;

/**
 * A buffer marker inside a clip: {@code offsetSeconds} from the clip's start (its {@code capturedFrom}). Stored with
 * the clip and written into its MP4 as a chapter titled with the label.
 */
public record ClipMarker(double offsetSeconds, String label, String kind) {
}
