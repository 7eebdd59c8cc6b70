package io.replaybuffer.page;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.replaybuffer.clip.quota.UserQuota;
import io.replaybuffer.testing.Api;
import io.replaybuffer.testing.OsTools;
import io.replaybuffer.testing.Tokens;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The player page end to end in a real headless browser: Playwright (playwright-core from npm) driving Debian's
 * Chromium against this service on the simulated egress (src/test/e2e/player-page.test.mjs). Like the database, the
 * browser and Node are set up by the test itself when missing (OS packages, `npm ci`). Screenshots go to
 * target/e2e, or to docs/images with {@code -Dscreenshots=docs/images}.
 */
@QuarkusTest
@TestProfile(PlayerPageBrowserTest.SimulatedEgress.class)
class PlayerPageBrowserTest {

    private static final Path E2E = Path.of("src/test/e2e");

    /** No LiveKit: the page's whole flow on the simulated egress, with 1-second segments to keep waits short. */
    public static class SimulatedEgress implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // hls.js reloads a live playlist about once a segment: with 1-second segments the preview needs more
            // than the default REPLAY_PREVIEW_RATE, which is sized for 10-second ones.
            return Map.of("livekit.url", "", "replay.segment-duration-seconds", "1", "replay.preview-rate", "600/1m");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Test
    void playerPageWorksInARealBrowser() throws Exception {
        String chromium = OsTools.require("chromium", "chromium");
        String node = OsTools.require("node", "nodejs");
        if (!Files.isDirectory(E2E.resolve("node_modules/playwright-core"))) {
            run(List.of(OsTools.require("npm", "npm"), "ci", "--no-audit", "--no-fund"), E2E, Map.of());
        }
        String full = Api.uniqueUser("page-full");
        QuarkusTransaction.requiringNew().run(() -> {
            UserQuota quota = new UserQuota();
            quota.userId = full;
            quota.limitBytes = 1024L; // far below any clip: the capture must be refused for quota
            quota.updatedAt = Instant.now();
            quota.persist();
        });
        Path screenshots = Path.of(System.getProperty("screenshots", "target/e2e"));
        Files.createDirectories(screenshots);

        String output = run(List.of(node, "--test", "--test-concurrency=1", "--test-reporter=spec",
                E2E.resolve("player-page.test.mjs").toString()), Path.of("."), Map.of(
                "BASE_URL", base.toString().replaceAll("/$", ""),
                "TOKEN", Tokens.user(Api.uniqueUser("page-player")),
                "TOKEN_FULL", Tokens.user(full),
                "TOKEN_RATE", Tokens.user(Api.uniqueUser("page-fast")),
                "TOKEN_MARK", Tokens.user(Api.uniqueUser("page-marks")),
                "CHROMIUM", chromium,
                "SCREENSHOTS", screenshots.toString()));
        assertThat(output).containsPattern("pass 5\\b").containsPattern("fail 0\\b");
        assertThat(screenshots.resolve("clips.png")).isNotEmptyFile();
    }

    private static String run(List<String> command, Path directory, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        String out = OsTools.exec(builder, Duration.ofMinutes(5));
        System.out.println(out);
        return out;
    }
}
