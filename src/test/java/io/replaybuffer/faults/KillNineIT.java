package io.replaybuffer.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.replaybuffer.testing.Api;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.ItEnvironment;
import io.replaybuffer.testing.ServiceProcess;
import io.restassured.RestAssured;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import livekit.LivekitEgress.EgressStatus;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} at random points while clips are captured and built and the sweep runs, as a real process. After
 * every restart the state must be one the service repairs: no READY clip without its file, quota equal to the READY
 * clips plus what PROCESSING ones reserve; and once recovery and cleanup have run, no PROCESSING clip, no clip file
 * without its row and no half-written file left.
 */
class KillNineIT {

    /** Rounds of start, load, kill; each kill lands at a random moment. Override with -Dkill9.rounds. */
    private static final int ROUNDS = Integer.getInteger("kill9.rounds", 8);
    private static final long SEED = Long.getLong("kill9.seed", System.nanoTime());

    @Test
    void killedAnywhereTheServiceRepairsItself() throws Exception {
        SplittableRandom random = new SplittableRandom(SEED);
        System.out.println("kill -9 test: seed " + SEED + ", " + ROUNDS + " rounds");
        try (FakeLiveKit fake = new FakeLiveKit(); ItEnvironment it = ItEnvironment.fresh("kill9", fake)) {
            it.env().putAll(Map.of(
                    "REPLAY_CAPTURE_RATE", "1000/1m",
                    "REPLAY_CLEANUP_EVERY", "1s",
                    "REPLAY_CLEANUP_FIRST_AFTER", "1s",
                    "REPLAY_CLEANUP_ABANDONED_AFTER", "2s",
                    // A killed build's lease runs out, and a capture killed before its build claimed the clip is
                    // taken over, within seconds instead of the production 30 s and 2 min.
                    "REPLAY_CAPTURE_BUILD_LEASE", "6s",
                    "REPLAY_CAPTURE_UNCLAIMED_AFTER", "5s",
                    "REPLAY_RECONCILE_EVERY", "2s"));
            ServiceProcess service = new ServiceProcess("kill9", it.env());
            fake.webhookTarget(java.net.URI.create(service.url() + "/api/v1/livekit/webhook"));
            List<Player> players = new ArrayList<>();
            List<String> buffers = new ArrayList<>();
            int checks = 0;
            ExecutorService clients = Executors.newFixedThreadPool(4);
            Map<Integer, Integer> answers = new java.util.concurrent.ConcurrentHashMap<>();
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    service.start();
                    RestAssured.port = service.port();
                    checks += checkInvariants(it, false);
                    if (round == 0) {
                        for (int p = 0; p < 3; p++) {
                            Player player = Player.joining(fake, "kill9");
                            var started = player.start(120);
                            String egress = started.getString("egressId");
                            fake.setStatus(egress, EgressStatus.EGRESS_ACTIVE, null);
                            fake.emitSegments(egress, 6);
                            players.add(player);
                            buffers.add(started.getString("id"));
                        }
                    }
                    for (int c = 0; c < 6; c++) {
                        Player player = players.get(random.nextInt(players.size()));
                        String buffer = buffers.get(players.indexOf(player));
                        int seconds = 5 + random.nextInt(30);
                        clients.submit(() -> capture(player, buffer, seconds, answers));
                    }
                    // The kill point: once the service is busy (a first capture answered), somewhere in the next
                    // 1.5 s: mid-capture, mid-build or mid-sweep.
                    int answered = answers.values().stream().mapToInt(Integer::intValue).sum();
                    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                            answers.values().stream().mapToInt(Integer::intValue).sum() > answered);
                    Thread.sleep(random.nextInt(1500));
                    service.kill();
                }
                service.start();
                RestAssured.port = service.port();
                checks += checkInvariants(it, false);
                Awaitility.await("recovery settles every clip").atMost(Duration.ofMinutes(4))
                        .pollInterval(Duration.ofSeconds(1)).until(() -> processing(it) == 0);
                Awaitility.await("leftovers are cleaned").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofSeconds(1)).until(() -> partFiles(it) == 0);
                checks += checkInvariants(it, true);
                System.out.printf("kill -9 test: %d kill points, %d invariant checks, capture answers %s, seed %d%n",
                        ROUNDS, checks, answers, SEED);
                assertThat(answers.getOrDefault(202, 0) + answers.getOrDefault(201, 0))
                        .as("captures were accepted, so the kills met real work").isPositive();
                assertThat(readyClips(it)).as("and some clips were built").isPositive();
            } finally {
                clients.shutdownNow();
                service.close();
            }
        }
    }

    /** The invariants; {@code settled} adds those that hold once recovery and cleanup have run. Returns how many. */
    private static int checkInvariants(ItEnvironment it, boolean settled) throws Exception {
        int checked = 0;
        try (Connection db = it.connect(); Statement sql = db.createStatement()) {
            try (ResultSet ready = sql.executeQuery("SELECT c.id, f.relative_path FROM clips c JOIN stored_files f "
                    + "ON f.id = c.file_id WHERE c.status = 'READY'")) {
                while (ready.next()) {
                    assertThat(it.clips().resolve(ready.getString(2))).as("READY clip %s has its file",
                            ready.getString(1)).isRegularFile();
                    checked++;
                }
            }
            try (ResultSet quota = sql.executeQuery("SELECT q.user_id, q.used_bytes, q.used_clips, "
                    + "COALESCE(SUM(CASE WHEN c.status = 'READY' THEN c.size_bytes WHEN c.status = 'PROCESSING' "
                    + "THEN c.reserved_bytes ELSE 0 END), 0), COUNT(c.id) FILTER (WHERE c.status IN ('READY', 'PROCESSING')) "
                    + "FROM user_quotas q LEFT JOIN clips c ON c.user_id = q.user_id GROUP BY q.user_id, q.used_bytes, q.used_clips")) {
                while (quota.next()) {
                    assertThat(quota.getLong(2)).as("used bytes of %s", quota.getString(1)).isEqualTo(quota.getLong(4));
                    assertThat(quota.getLong(3)).as("used clips of %s", quota.getString(1)).isEqualTo(quota.getLong(5));
                    checked++;
                }
            }
            if (settled) {
                List<String> files = new ArrayList<>();
                try (ResultSet rows = sql.executeQuery("SELECT relative_path FROM stored_files")) {
                    while (rows.next()) {
                        files.add(rows.getString(1));
                    }
                }
                try (Stream<Path> onDisk = Files.walk(it.clips())) {
                    for (Path file : onDisk.filter(Files::isRegularFile).toList()) {
                        String relative = it.clips().relativize(file).toString();
                        assertThat(files).as("clip file %s has its row", relative).contains(relative);
                        checked++;
                    }
                }
            }
        }
        return checked;
    }

    /** One capture request; its answer is tallied by status (-1: no answer, the replica died under it). */
    private static void capture(Player player, String buffer, int seconds, Map<Integer, Integer> answers) {
        try {
            var answer = Api.as(player.user()).contentType("application/json").body(Map.of("durationSeconds", seconds))
                    .post("/api/v1/replay-buffers/" + buffer + "/captures");
            answers.merge(answer.statusCode(), 1, Integer::sum);
            if (answer.statusCode() >= 400 && answer.statusCode() != 503) {
                System.out.println("kill -9 test: capture answered " + answer.asString());
            }
        } catch (RuntimeException killedMidRequest) {
            answers.merge(-1, 1, Integer::sum);
        }
    }

    private static long readyClips(ItEnvironment it) throws Exception {
        try (Connection db = it.connect(); Statement sql = db.createStatement();
                ResultSet count = sql.executeQuery("SELECT COUNT(*) FROM clips WHERE status = 'READY'")) {
            count.next();
            return count.getLong(1);
        }
    }

    private static long processing(ItEnvironment it) throws Exception {
        try (Connection db = it.connect(); Statement sql = db.createStatement();
                ResultSet count = sql.executeQuery("SELECT COUNT(*) FROM clips WHERE status = 'PROCESSING'")) {
            count.next();
            return count.getLong(1);
        }
    }

    private static long partFiles(ItEnvironment it) throws Exception {
        if (!Files.isDirectory(it.clips())) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(it.clips())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".part")).count();
        }
    }
}
