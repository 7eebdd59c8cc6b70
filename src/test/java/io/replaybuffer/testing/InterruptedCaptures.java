package io.replaybuffer.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.replaybuffer.clip.ClipLeases;
import io.replaybuffer.clip.ClipStore;
import io.replaybuffer.clip.NewClip;
import io.replaybuffer.clip.build.CaptureFolders;
import io.replaybuffer.clip.quota.QuotaService;
import io.replaybuffer.platform.config.ReplayConfig;
import io.replaybuffer.segment.Segment;
import io.replaybuffer.segment.SegmentIndex;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Leaves captures as a replica that died part-way would: reserved and PROCESSING, maybe secured, maybe claimed. */
@ApplicationScoped
public class InterruptedCaptures {

    private final QuotaService quotas;
    private final ClipStore store;
    private final ClipLeases leases;
    private final CaptureFolders folders;
    private final SegmentIndex index;
    private final ReplayConfig config;
    private final Clock clock;

    InterruptedCaptures(QuotaService quotas, ClipStore store, ClipLeases leases, CaptureFolders folders, SegmentIndex index,
            ReplayConfig config, Clock clock) {
        this.clock = clock;
        this.quotas = quotas;
        this.store = store;
        this.leases = leases;
        this.folders = folders;
        this.index = index;
        this.config = config;
    }

    /** A moment by which whatever a replica that died now held has run out: its lease, and the unclaimed grace. */
    public Instant later() {
        Duration longest = config.capture().buildLease().compareTo(config.capture().unclaimedAfter()) > 0
                ? config.capture().buildLease() : config.capture().unclaimedAfter();
        return clock.instant().plus(longest).plusSeconds(1);
    }

    /** Died after reserving the quota and creating the clip, before securing any footage. */
    public void beforeSecuring(String user, UUID clipId, Instant from, Instant to, long reserved) {
        beforeSecuring(user, clipId, from, to, reserved, null);
    }

    /** As {@link #beforeSecuring(String, UUID, Instant, Instant, long)}, for a clip of a team replay. */
    public void beforeSecuring(String user, UUID clipId, Instant from, Instant to, long reserved, UUID groupId) {
        QuarkusTransaction.requiringNew().run(() -> {
            assertThat(quotas.reserve(user, reserved)).isTrue();
            store.createProcessing(new NewClip(clipId, user, null, "interrupted", from, to,
                    Duration.between(from, to).toMillis() / 1000.0, false, reserved, "game-server", groupId, null, null,
                    java.util.List.of()));
        });
        quotas.changed(user);
    }

    /** Died after securing the first {@code length} of a buffer's footage, before building. */
    public void afterSecuring(String user, UUID clipId, String bufferDir, Duration length) throws Exception {
        afterSecuring(user, clipId, bufferDir, length, null);
    }

    /** As {@link #afterSecuring(String, UUID, String, Duration)}, for a clip of a team replay. */
    public void afterSecuring(String user, UUID clipId, String bufferDir, Duration length, UUID groupId)
            throws Exception {
        List<Segment> segments = index.footage(bufferDir, List.of(io.replaybuffer.segment.SegmentLayout.Attempt.FIRST), Duration.ofMinutes(10)).segments();
        Instant from = segments.get(0).start();
        beforeSecuring(user, clipId, from, from.plus(length), 1_000_000, groupId);
        folders.secure(clipId, from, length, segments.stream().map(Segment::file).toList(),
                segments.stream().map(Segment::start).toList());
    }

    /** Died while building: secured, and claimed by a build attempt whose lease has not run out yet. */
    public UUID duringBuild(String user, UUID clipId, String bufferDir, Duration length) throws Exception {
        return duringBuild(user, clipId, bufferDir, length, null);
    }

    /** As {@link #duringBuild(String, UUID, String, Duration)}, for a clip of a team replay. */
    public UUID duringBuild(String user, UUID clipId, String bufferDir, Duration length, UUID groupId)
            throws Exception {
        afterSecuring(user, clipId, bufferDir, length, groupId);
        UUID attempt = UUID.randomUUID();
        assertThat(leases.claim(clipId, attempt, clock.instant(), config.capture().buildLease()))
                .isEqualTo(ClipLeases.Claim.CLAIMED);
        return attempt;
    }
}
