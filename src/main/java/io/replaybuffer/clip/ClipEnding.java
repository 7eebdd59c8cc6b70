package io.replaybuffer.clip;

/** How {@link ClipOutcomes} ending a clip went: {@link #clip} is set only when this call ended it. */
public record ClipEnding(Outcome outcome, ClipView clip) {

    public enum Outcome {
        /** This call ended the clip. */
        ENDED,
        /** The clip is someone else's now (another attempt's lease, or already ended): change nothing of it. */
        NOT_HELD,
        /** The clip was deleted meanwhile: whatever was made for it is garbage. */
        GONE
    }

    static ClipEnding notHeld() {
        return new ClipEnding(Outcome.NOT_HELD, null);
    }

    static ClipEnding gone() {
        return new ClipEnding(Outcome.GONE, null);
    }

    public boolean ended() {
        return outcome == Outcome.ENDED;
    }
}
