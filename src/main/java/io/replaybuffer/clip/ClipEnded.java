package io.replaybuffer.clip;

/**
 * Fired synchronously inside the transaction that moved a clip out of PROCESSING (or a READY clip to FAILED), after
 * its row changed: observers that keep state derived from clips (a team replay's status) change it in the same
 * transaction, so both commit together or not at all.
 */
public record ClipEnded(ClipView clip) {
}
