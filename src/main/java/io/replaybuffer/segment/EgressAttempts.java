package io.replaybuffer.segment;

import io.replaybuffer.platform.storage.VolumeFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** One egress attempt of a buffer (one name tag: {@code {retry}} or a retry number), as its playlists list it. */
final class EgressAttempts {

    /** Files numbered this far apart are not a gap to fill but a broken playlist. */
    static final int MAX_INTERPOLATED = 10_000;

    private EgressAttempts() {
    }

    /** A playlist entry reduced to what the index needs. */
    record Listed(long sequence, Instant start, double durationSeconds) {
        Instant end() {
            return start.plusNanos(Math.round(durationSeconds * 1e9));
        }
    }

    record Attempt(SegmentLayout.Attempt names, List<Listed> listed) {

        Instant end() {
            return listed.get(listed.size() - 1).end();
        }

        /**
         * Segments ending after {@code horizon}. Files numbered between two listed entries are trusted too: a later
         * segment exists, so their copy finished; they are placed evenly in the time between their neighbours.
         */
        void segmentsAfter(Path directory, Instant horizon, List<Segment> out) {
            int from = firstEndingAfter(horizon);
            for (int i = Math.max(from, 0); i < listed.size(); i++) {
                Listed current = listed.get(i);
                if (i > 0) {
                    interpolate(directory, listed.get(i - 1), current, horizon, out);
                }
                out.add(new Segment(directory.resolve(names.segment(current.sequence)), names, current.sequence,
                        current.start, current.durationSeconds));
            }
        }

        int firstEndingAfter(Instant horizon) {
            int low = 0;
            int high = listed.size();
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (listed.get(mid).end().isAfter(horizon)) {
                    high = mid;
                } else {
                    low = mid + 1;
                }
            }
            return low;
        }

        /**
         * The first sequence number worth keeping when everything ending at or before {@code cutoff} may go: just
         * past the last listed segment that ended by then. Files numbered after it but not listed are kept even if
         * a later listed one is in the window, because their times are unknown: the playlist may have been read
         * mid-copy (egress uploads it by truncate-and-copy), and deleting on a guess would lose footage. When not
         * even the first listed segment has ended, nothing is known to have: see {@link #nothingListedExpired}.
         */
        long keepFrom(Instant cutoff) {
            int from = firstEndingAfter(cutoff.minusNanos(1)); // ending exactly at the cutoff: not before it, stays
            return from == 0 ? listed.get(0).sequence() : listed.get(from - 1).sequence() + 1;
        }

        /** True when no listed segment has left the window: files numbered before the first listed go by age only. */
        boolean nothingListedExpired(Instant cutoff) {
            return firstEndingAfter(cutoff.minusNanos(1)) == 0;
        }

        private void interpolate(Path directory, Listed before, Listed after, Instant horizon, List<Segment> out) {
            long missing = after.sequence - before.sequence - 1;
            if (missing <= 0 || missing > MAX_INTERPOLATED) {
                return;
            }
            Instant gapStart = before.end();
            double each = Duration.between(gapStart, after.start).toNanos() / 1e9 / missing;
            if (each <= 0) {
                return;
            }
            for (long k = 1; k <= missing; k++) {
                Instant start = gapStart.plusNanos(Math.round(each * (k - 1) * 1e9));
                Path file = directory.resolve(names.segment(before.sequence + k));
                if (start.plusNanos(Math.round(each * 1e9)).isAfter(horizon) && VolumeFiles.isRegularFile(file)) {
                    out.add(new Segment(file, names, before.sequence + k, start, each));
                }
            }
        }
    }
}
