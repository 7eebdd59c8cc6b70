package io.replaybuffer.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.replaybuffer.clip.ClipStore;
import io.replaybuffer.clip.build.CaptureFolders;
import io.replaybuffer.clip.quota.QuotaService;
import io.replaybuffer.segment.Segment;
import io.replaybuffer.segment.SegmentIndex;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Leaves captures as a replica that died part-way would: reserved and PROCESSING, and maybe secured. */
@ApplicationScoped
public class InterruptedCaptures {

    private final QuotaService quotas;
    private final ClipStore store;
    private final CaptureFolders folders;
    private final SegmentIndex index;

    InterruptedCaptures(QuotaService quotas, ClipStore store, CaptureFolders folders, SegmentIndex index) {
        this.quotas = quotas;
        this.store = store;
        this.folders = folders;
        this.index = index;
    }

    /** Died after reserving the quota and creating the clip, before securing any footage. */
    public void beforeSecuring(String user, UUID clipId, Instant from, Instant to, long reserved) {
        QuarkusTransaction.requiringNew().run(() -> {
            assertThat(quotas.reserve(user, reserved)).isTrue();
            store.createProcessing(new ClipStore.NewClip(clipId, user, null, "interrupted", from, to,
                    Duration.between(from, to).toMillis() / 1000.0, false, reserved));
        });
        quotas.changed(user);
    }

    /** Died after securing the first {@code length} of a buffer's footage, before building. */
    public void afterSecuring(String user, UUID clipId, String bufferDir, Duration length) throws Exception {
        List<Segment> segments = index.footage(bufferDir, List.of(io.replaybuffer.segment.SegmentLayout.Attempt.FIRST), Duration.ofMinutes(10)).segments();
        Instant from = segments.get(0).start();
        beforeSecuring(user, clipId, from, from.plus(length), 1_000_000);
        folders.secure(clipId, from, length, segments.stream().map(Segment::file).toList(),
                segments.stream().map(Segment::start).toList());
    }
}
