package io.replaybuffer.cleanup;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.replaybuffer.clip.Clip;
import io.replaybuffer.clip.ClipEvents;
import io.replaybuffer.clip.ClipFiles;
import io.replaybuffer.clip.ClipStatus;
import io.replaybuffer.clip.ClipOutcomes;
import io.replaybuffer.clip.FileSightings;
import io.replaybuffer.clip.StoredFile;
import io.replaybuffer.platform.config.ReplayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Keeps the clips volume and the database in agreement (hourly, from the sweep): a clip file no row knows (a crash
 * between rename and commit, a failed delete) goes once older than REPLAY_CLEANUP_ABANDONED_AFTER; a READY clip
 * whose file is absent is marked FAILED with the reason and its quota freed, but only when a second audit at least
 * REPLAY_CLEANUP_MISSING_CONFIRM_AFTER after the first still finds it absent. "Cannot tell" (an I/O error) is never
 * "absent", and when the volume itself looks missing or unmounted the audit does nothing at all: a volume that comes
 * back must find every clip as it left it. Each finding is logged and counted.
 */
@ApplicationScoped
public class ClipAudit {

    private static final Logger LOG = Logger.getLogger(ClipAudit.class);
    static final Duration EVERY = Duration.ofHours(1);
    private static final int PAGE = 500;
    /**
     * A volume that lost many files at once is more likely unmounted, half-mounted or replaced than pruned: at least
     * this many absent, making up at least half of the READY clips checked, and the audit treats the volume as gone.
     */
    static final int VOLUME_GONE_AT_LEAST = 5;
    /** Beyond this many absent clips the audit stops listing them: the volume is gone whatever the share. */
    private static final int ABSENT_LISTED_AT_MOST = 10_000;

    /**
     * What one audit found and did: files removed, clips failed, clips found absent for the first time or not yet long
     * enough to fail, clips whose presence could not be told, and whether it stood down because the volume looked gone.
     */
    public record Findings(int orphanFilesRemoved, int clipsLost, int clipsMissing, int clipsUnknown,
            boolean volumeMissing) {

        static Findings volumeGone() {
            return new Findings(0, 0, 0, 0, true);
        }
    }

    /** A READY clip whose file was absent in this audit, and when an audit first found it so (null: this one). */
    private record Absent(UUID id, Instant missingSince) {
    }

    /** What checking every READY clip's file found, before anything is acted on. */
    private record Survey(int checked, int unknown, List<Absent> absent, List<UUID> back, boolean truncated) {

        boolean looksLikeAGoneVolume() {
            int known = checked - unknown;
            return truncated || absent.size() >= VOLUME_GONE_AT_LEAST && absent.size() * 2 >= known;
        }
    }

    private final ClipFiles files;
    private final ClipOutcomes store;
    private final FileSightings sightings;
    private final ClipEvents events;
    private final CleanupMetrics metrics;
    private final Duration abandonedAfter;
    private final Duration confirmAfter;
    private volatile Instant lastRun = Instant.MIN;

    ClipAudit(ClipFiles files, ClipOutcomes store, FileSightings sightings, ClipEvents events, CleanupMetrics metrics,
            ReplayConfig config) {
        this.files = files;
        this.store = store;
        this.sightings = sightings;
        this.events = events;
        this.metrics = metrics;
        this.abandonedAfter = config.cleanup().abandonedAfter();
        this.confirmAfter = config.cleanup().missingConfirmAfter();
    }

    /** Runs the audit if the last one was more than an hour ago. */
    public void runIfDue(Instant now) throws IOException {
        if (lastRun.plus(EVERY).isBefore(now)) {
            run(now);
        }
    }

    public Findings run(Instant now) throws IOException {
        lastRun = now;
        Optional<String> volumeProblem = volumeProblem();
        if (volumeProblem.isPresent()) {
            return volumeGone(volumeProblem.get());
        }
        Survey survey = survey();
        if (survey.checked() > 0 && isEmpty(files.root())) {
            return volumeGone(files.root() + " is empty while " + survey.checked() + " READY clips are recorded");
        }
        if (survey.looksLikeAGoneVolume()) {
            return volumeGone((survey.truncated() ? "more than " : "") + survey.absent().size() + " of "
                    + (survey.checked() - survey.unknown()) + " READY clips' files are absent at once");
        }
        if (survey.unknown() > 0) {
            LOG.warnf("clip audit: could not tell whether %d clip files exist (I/O errors); left as they are",
                    survey.unknown());
            metrics.problem("clip_file_unknown");
        }
        survey.back().forEach(sightings::found);
        int lost = 0;
        int missing = 0;
        for (Absent absent : survey.absent()) {
            if (failIfConfirmed(absent, now)) {
                lost++;
            } else {
                missing++;
            }
        }
        return new Findings(removeOrphanFiles(now.minus(abandonedAfter)), lost, missing, survey.unknown(), false);
    }

    /** Fails a clip whose file an audit at least {@code confirmAfter} ago found absent too; else notes the sighting. */
    private boolean failIfConfirmed(Absent absent, Instant now) {
        Optional<UUID> failed = store.lost(absent.id(), now.minus(confirmAfter)).map(clip -> {
            events.finished(clip);
            return clip.id();
        });
        if (failed.isPresent()) {
            LOG.errorf("clip %s is READY but its file has been missing since %s; marking it FAILED", absent.id(),
                    absent.missingSince());
            metrics.problem("clip_file_missing");
            return true;
        }
        if (absent.missingSince() == null) {
            Optional<Instant> since = sightings.missing(absent.id(), now);
            LOG.warnf("clip %s is READY but its file is absent; failing it if still absent after %s (first seen %s)",
                    absent.id(), confirmAfter, since.orElse(now));
            metrics.problem("clip_file_absent");
        }
        return false;
    }

    private Findings volumeGone(String why) {
        LOG.errorf("CLIP VOLUME LOOKS MISSING OR UNMOUNTED (%s): the clip audit changes nothing until it is back;"
                + " check the mount of REPLAY_CLIPS_PATH (%s)", why, files.root());
        metrics.problem("clip_volume_missing");
        return Findings.volumeGone();
    }

    /** Why the clips root cannot be the clip volume, if it cannot: missing, not a directory, or unreadable. */
    private Optional<String> volumeProblem() {
        Path root = files.root();
        try {
            // Follows a link: the configured root may well be one to the mount point.
            BasicFileAttributes attributes = Files.readAttributes(root, BasicFileAttributes.class);
            return attributes.isDirectory() ? Optional.empty() : Optional.of(root + " is not a directory");
        } catch (NoSuchFileException e) {
            return Optional.of(root + " does not exist");
        } catch (IOException e) {
            return Optional.of("cannot read " + root + ": " + e.getMessage());
        }
    }

    private static boolean isEmpty(Path directory) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            return !entries.iterator().hasNext();
        }
    }

    /** Checks every READY clip's file, changing nothing yet: what to do depends on how many are absent. */
    private Survey survey() {
        int checked = 0;
        int unknown = 0;
        List<Absent> absent = new ArrayList<>();
        List<UUID> back = new ArrayList<>();
        UUID after = new UUID(0, 0); // PostgreSQL orders uuids as unsigned bytes: the nil uuid comes first
        while (true) {
            UUID from = after;
            List<Object[]> page = QuarkusTransaction.requiringNew().call(() -> Clip.getEntityManager().createQuery(
                    "select c.id, f.relativePath, c.missingSince from Clip c join c.file f"
                            + " where c.status = :ready and c.id > :after order by c.id", Object[].class)
                    .setParameter("ready", ClipStatus.READY).setParameter("after", from)
                    .setMaxResults(PAGE).getResultList());
            for (Object[] row : page) {
                UUID id = (UUID) row[0];
                Instant missingSince = (Instant) row[2];
                checked++;
                switch (presence((String) row[1])) {
                    case PRESENT -> {
                        if (missingSince != null) {
                            back.add(id);
                        }
                    }
                    case ABSENT -> {
                        if (absent.size() >= ABSENT_LISTED_AT_MOST) {
                            return new Survey(checked, unknown, absent, back, true);
                        }
                        absent.add(new Absent(id, missingSince));
                    }
                    case UNKNOWN -> unknown++;
                }
            }
            if (page.size() < PAGE) {
                return new Survey(checked, unknown, absent, back, false);
            }
            after = (UUID) page.get(page.size() - 1)[0];
        }
    }

    private FilePresence presence(String relativePath) {
        try {
            return FilePresence.of(files.resolve(relativePath));
        } catch (IllegalArgumentException e) { // a stored path SafePaths refuses: nothing to conclude from
            return FilePresence.UNKNOWN;
        }
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

    private static boolean olderThan(Path file, Instant before) throws IOException {
        try {
            return Files.isRegularFile(file) && Files.getLastModifiedTime(file).toInstant().isBefore(before);
        } catch (NoSuchFileException gone) {
            return false;
        }
    }
}
