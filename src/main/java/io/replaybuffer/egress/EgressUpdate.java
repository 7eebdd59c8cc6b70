package io.replaybuffer.egress;

import java.time.Instant;
import java.util.List;

/**
 * "Egress X is now in state Y": what the egress side tells the rest of the service, from a webhook, a reconcile
 * pass or the simulated egress. {@code segmentDir} is the buffer directory the egress writes into when known, which
 * lets an update that overtakes the start call's answer still find its buffer. {@code playlists} are the playlist
 * names egress reported ({@code EgressInfo.segment_results}), as untrusted text: the buffer side keeps the ones that
 * name one of its own attempts. {@code retryCount} is {@code EgressInfo.retry_count}: above 0 on a retried attempt.
 */
public record EgressUpdate(String egressId, String segmentDir, EgressState state, String error, Instant at,
        Source source, int retryCount, List<ReportedPlaylists> playlists) {

    public EgressUpdate {
        playlists = playlists == null ? List.of() : List.copyOf(playlists);
    }

    /** The same news, as learnt from another source. */
    public EgressUpdate from(Source other) {
        return new EgressUpdate(egressId, segmentDir, state, error, at, other, retryCount, playlists);
    }

    /** One {@code SegmentsInfo}'s {@code playlist_name} and {@code live_playlist_name} (either may be empty). */
    public record ReportedPlaylists(String playlistName, String livePlaylistName) {
    }

    /** Where the news came from, for logs and metrics. */
    public enum Source {
        WEBHOOK, RECONCILE, SIMULATED, START, STOP
    }
}
