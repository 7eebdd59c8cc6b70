package io.replaybuffer.clip.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.clip.Clip;
import io.replaybuffer.clip.ClipFiles;
import io.replaybuffer.clip.ClipLeases;
import io.replaybuffer.clip.ClipStatus;
import io.replaybuffer.clip.ClipOutcomes;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.Clips;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.replaybuffer.testing.InterruptedCaptures;
import io.replaybuffer.testing.MediaProbe;
import io.replaybuffer.testing.SharedFootage;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One clip is built once (issue 12, item 3): builds claim their clip with a lease, only the holder publishes and
 * removes the capture folder, recovery takes over only clips whose lease ran out and never waits for the queue.
 */
@QuarkusTest
class BuildLeaseTest {

    private static final Duration LENGTH = Duration.ofSeconds(12);

    @InjectFakeLiveKit
    FakeLiveKit fake;

    @Inject
    InterruptedCaptures interrupted;

    @Inject
    CaptureFolders folders;

    @Inject
    ClipBuilder builder;

    @Inject
    ClipRecovery recovery;

    @Inject
    BuildQueue queue;

    @Inject
    BuildLeases leases;

    @Inject
    ClipFiles files;

    @Inject
    ClipOutcomes store;

    @Inject
    MeterRegistry registry;

    private static final SharedFootage FOOTAGE = new SharedFootage("lease");

    private double builtOk() {
        return registry.find("replay_buffer_captures_total").counters().stream().mapToDouble(Counter::count).sum();
    }

    private double buildsFailed() {
        return registry.find("replay_buffer_capture_errors_total").counters().stream().mapToDouble(Counter::count).sum();
    }

    private static Clip row(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Clip clip = Clip.findById(id);
            if (clip != null && clip.file != null) {
                clip.file.relativePath.length(); // loads the lazy file row inside the transaction
            }
            return clip;
        });
    }

    private List<Path> tempFilesOf(UUID id) throws Exception {
        Path temp = files.root().resolve(ClipFiles.TEMP_DIR);
        if (!Files.isDirectory(temp)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(temp)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(id.toString())).toList();
        }
    }

    /** Runs {@code task} on two threads of their own, released together; returns both results. */
    private static <T> List<T> twiceAtOnce(Callable<T> task) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                runs.add(threads.submit(() -> {
                    go.await();
                    return task.call();
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> run : runs) {
                results.add(run.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void twoBuildsRacingForOneClipPublishItOnce() throws Exception {
        String dir = FOOTAGE.bufferDir(fake);
        Player p = FOOTAGE.player(fake);
        UUID clipId = UUID.randomUUID();
        interrupted.afterSecuring(p.user(), clipId, dir, LENGTH);
        BuildOrder order = folders.read(clipId).orElseThrow();
        double ok = builtOk();
        double failed = buildsFailed();

        // Two replicas (or recovery and the capture's own queued build) start the same build at the same moment.
        twiceAtOnce(() -> {
            builder.build(order);
            return null;
        });

        Clip clip = row(clipId);
        assertThat(clip.status).isEqualTo(ClipStatus.READY);
        assertThat(builtOk() - ok).as("builds that published").isEqualTo(1.0);
        assertThat(buildsFailed() - failed).as("builds that failed").isZero();
        Path mp4 = files.resolve(clip.file.relativePath);
        assertThat(Files.size(mp4)).isEqualTo(clip.sizeBytes);
        assertThat(MediaProbe.of(mp4).videoDuration()).isCloseTo(LENGTH.toSeconds(), within(0.2));
        assertThat(clip.buildOwner).as("the lease ends with the build").isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> tempFilesOf(clipId).isEmpty()); // the poster's comes and goes
        assertThat(folders.folder(clipId)).doesNotExist();
    }

    @Test
    void aClipHeldByAnotherBuildIsLeftToItFootageAndAll() throws Exception {
        String dir = FOOTAGE.bufferDir(fake);
        Player p = FOOTAGE.player(fake);
        UUID clipId = UUID.randomUUID();
        UUID other = interrupted.duringBuild(p.user(), clipId, dir, LENGTH); // another replica is building it now
        double ok = builtOk();

        builder.build(folders.read(clipId).orElseThrow()); // e.g. the capture's build, dequeued late
        assertThat(recovery.recover(Instant.now())).as("recovery leaves a live lease alone").doesNotContain(clipId);

        Clip clip = row(clipId);
        assertThat(clip.status).isEqualTo(ClipStatus.PROCESSING);
        assertThat(clip.buildOwner).isEqualTo(other);
        assertThat(builtOk()).isEqualTo(ok);
        assertThat(folders.folder(clipId)).as("the holder may be reading it").isDirectory();
        assertThat(folders.read(clipId)).isPresent();
        assertThat(tempFilesOf(clipId)).isEmpty();
        assertThat(store.fail(clipId, other, "test over").ended()).isTrue(); // the holder ends it: nothing left over
    }

    @Test
    void aBuildWhoseLeaseRanOutIsRebuiltOnce() throws Exception {
        String dir = FOOTAGE.bufferDir(fake);
        Player p = FOOTAGE.player(fake);
        UUID clipId = UUID.randomUUID();
        UUID dead = interrupted.duringBuild(p.user(), clipId, dir, LENGTH); // that replica dies now
        assertThat(recovery.recover(Instant.now())).doesNotContain(clipId);

        Instant expired = interrupted.later();
        // Two sweeps (two replicas) see the lease has run out at the same time: one takes the clip over.
        long takeOvers = twiceAtOnce(() -> recovery.recover(expired)).stream().filter(ids -> ids.contains(clipId)).count();
        assertThat(takeOvers).isEqualTo(1);
        assertThat(recovery.recover(expired)).as("the take-over holds a fresh lease").doesNotContain(clipId);

        JsonPath ready = Clips.awaitDone(p.user(), clipId.toString());
        assertThat(ready.getString("status")).isEqualTo("READY");
        assertThat(row(clipId).buildOwner).isNull();
        // The dead replica's attempt, were it to wake up, no longer holds anything.
        assertThat(leases.stillHeld(new BuildLeases.Attempt(clipId, dead, ClipLeases.Claim.CLAIMED))).isFalse();
        assertThat(folders.folder(clipId)).doesNotExist();
    }

    @Test
    void recoveryWithAFullQueueReturnsAtOnceAndTakesTheClipNextTime() throws Exception {
        String dir = FOOTAGE.bufferDir(fake);
        Player p = FOOTAGE.player(fake);
        UUID clipId = UUID.randomUUID();
        interrupted.afterSecuring(p.user(), clipId, dir, LENGTH);
        int places = 0;
        while (queue.tryEnter()) { // every running and waiting place, as a burst of captures would take them
            places++;
        }
        try {
            List<UUID> taken = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> recovery.recover(interrupted.later()));
            assertThat(taken).isEmpty();
            Clip clip = row(clipId);
            assertThat(clip.status).isEqualTo(ClipStatus.PROCESSING);
            assertThat(clip.buildOwner).as("let go at once, not held until it runs out").isNull();
        } finally {
            for (int i = 0; i < places; i++) {
                queue.leave();
            }
        }
        assertThat(recovery.recover(interrupted.later())).contains(clipId);
        assertThat(Clips.awaitDone(p.user(), clipId.toString()).getString("status")).isEqualTo("READY");
    }

    @Test
    void theHeartbeatRenewsTheLeaseOfARunningBuild() throws Exception {
        String dir = FOOTAGE.bufferDir(fake);
        Player p = FOOTAGE.player(fake);
        UUID clipId = UUID.randomUUID();
        interrupted.afterSecuring(p.user(), clipId, dir, LENGTH);
        BuildLeases.Attempt attempt = leases.claim(clipId);
        try {
            Instant first = row(clipId).buildLeaseUntil;
            await().atMost(leases.lease().dividedBy(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> row(clipId).buildLeaseUntil.isAfter(first));
        } finally {
            leases.giveUp(attempt);
        }
        assertThat(row(clipId).buildOwner).isNull();
        assertThat(store.fail(clipId, "test over")).isPresent(); // nothing left for other tests' recoveries
        folders.remove(clipId);
    }

    @Test
    void everyAttemptWritesATempFileOfItsOwn() throws Exception {
        UUID clipId = UUID.randomUUID();
        Path first = files.newTemp(clipId, "mp4");
        Path second = files.newTemp(clipId, "mp4");
        try {
            assertThat(first).isNotEqualTo(second).isEmptyFile();
            assertThat(second).isEmptyFile();
            assertThat(first.getFileName().toString()).startsWith(clipId + ".").endsWith(".mp4.part");
        } finally {
            Files.deleteIfExists(first);
            Files.deleteIfExists(second);
        }
    }
}
