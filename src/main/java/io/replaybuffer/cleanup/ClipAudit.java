package io.replaybuffer.cleanup;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.replaybuffer.clip.Clip;
import io.replaybuffer.clip.ClipEvents;
import io.replaybuffer.clip.ClipFiles;
import io.replaybuffer.clip.ClipStatus;
import io.replaybuffer.clip.ClipStore;
import io.replaybuffer.clip.StoredFile;
import io.replaybuffer.platform.config.ReplayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Keeps the clips volume and the database in agreement (hourly, from the sweep): a clip file no row knows (a crash
 * between rename and commit, a failed delete) goes once older than REPLAY_CLEANUP_ABANDONED_AFTER; a READY clip
 * whose file is gone is marked FAILED with the reason and its quota freed. Each finding is logged and counted.
 */
@ApplicationScoped
public class ClipAudit {

    private static final Logger LOG = Logger.getLogger(ClipAudit.class);
    static final Duration EVERY = Duration.ofHours(1);
    private static final int PAGE = 500;

    /** What one audit found and did. */
    public record Findings(int orphanFilesRemoved, int clipsLost) {
    }

    private final ClipFiles files;
    private final ClipStore store;
    private final ClipEvents events;
    private final CleanupMetrics metrics;
    private final Duration abandonedAfter;
    private final java.time.Clock clock;
    private volatile Instant lastRun = Instant.MIN;

    ClipAudit(ClipFiles files, ClipStore store, ClipEvents events, CleanupMetrics metrics, ReplayConfig config,
            java.time.Clock clock) {
        this.clock = clock;
        this.files = files;
        this.store = store;
        this.events = events;
        this.metrics = metrics;
        this.abandonedAfter = config.cleanup().abandonedAfter();
    }

    /** Runs the audit if the last one was more than an hour ago. */
    public void runIfDue(Instant now) throws IOException {
        if (lastRun.plus(EVERY).isBefore(now)) {
            run(now);
        }
    }

    public Findings run(Instant now) throws IOException {
        lastRun = now;
        return new Findings(removeOrphanFiles(now.minus(abandonedAfter)), failLostClips());
    }

    private int removeOrphanFiles(Instant before) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(files.root(), p -> !p.getFileName().toString()
                .startsWith(".") && Files.isDirectory(p))) {
            for (Path shard : shards) {
                List<String> old = new ArrayList<>(); // one shard: about 1/256 of the clips
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(shard)) {
                    for (Path file : entries) {
                        if (olderThan(file, before)) {
                            old.add(shard.getFileName() + "/" + file.getFileName());
                        }
                    }
                }
                Set<String> known = known(old);
                for (String relative : old) {
                    if (!known.contains(relative) && Files.deleteIfExists(files.resolve(relative))) {
                        LOG.warnf("removed clip file %s: no clip refers to it", relative);
                        metrics.problem("orphan_clip_file");
                        removed++;
                    }
                }
            }
        }
        return removed;
    }

    private static Set<String> known(List<String> relativePaths) {
        Set<String> known = new HashSet<>();
        for (int from = 0; from < relativePaths.size(); from += PAGE) {
            List<String> page = relativePaths.subList(from, Math.min(relativePaths.size(), from + PAGE));
            known.addAll(QuarkusTransaction.requiringNew().call(() -> StoredFile.<StoredFile>list(
                    "relativePath in ?1", page).stream().map(f -> f.relativePath).toList()));
        }
        return known;
    }

    private int failLostClips() {
        int lost = 0;
        UUID after = new UUID(0, 0); // PostgreSQL orders uuids as unsigned bytes: the nil uuid comes first
        while (true) {
            UUID from = after;
            List<Object[]> page = QuarkusTransaction.requiringNew().call(() -> Clip.getEntityManager().createQuery(
                    "select c.id, f.relativePath from Clip c join c.file f where c.status = :ready and c.id > :after"
                            + " order by c.id", Object[].class)
                    .setParameter("ready", ClipStatus.READY).setParameter("after", from)
                    .setMaxResults(PAGE).getResultList());
            for (Object[] row : page) {
                if (!Files.exists(files.resolve((String) row[1]))) {
                    LOG.errorf("clip %s is READY but its file is missing; marking it FAILED", row[0]);
                    metrics.problem("clip_file_missing");
                    store.missing((UUID) row[0], clock.instant());
                    store.lost((UUID) row[0], clock.instant()).ifPresent(events::finished);
                    lost++;
                }
            }
            if (page.size() < PAGE) {
                return lost;
            }
            after = (UUID) page.get(page.size() - 1)[0];
        }
    }

    private static boolean olderThan(Path file, Instant before) throws IOException {
        try {
            return Files.isRegularFile(file) && Files.getLastModifiedTime(file).toInstant().isBefore(before);
        } catch (NoSuchFileException gone) {
            return false;
        }
    }
}
