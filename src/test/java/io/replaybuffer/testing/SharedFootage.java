package io.replaybuffer.testing;

import static org.awaitility.Awaitility.await;

import io.replaybuffer.testing.Api.Player;
import io.restassured.path.json.JsonPath;
import java.time.Duration;

/**
 * One player with a live buffer and two segments on disk, started on first use and shared by a test class: clips
 * secured from it (see {@link InterruptedCaptures}) need no capture request, so no rate limit and fewer LiveKit calls.
 */
public final class SharedFootage {

    private final String prefix;
    private Player player;
    private String bufferDir;

    public SharedFootage(String prefix) {
        this.prefix = prefix;
    }

    public synchronized Player player(FakeLiveKit fake) {
        start(fake);
        return player;
    }

    /** The buffer's folder under the segments root (its id). */
    public synchronized String bufferDir(FakeLiveKit fake) {
        start(fake);
        return bufferDir;
    }

    private void start(FakeLiveKit fake) {
        if (player != null) {
            return;
        }
        // Again on a failure: on a loaded machine the fake LiveKit may miss the test profile's short call timeout.
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            Player p = Player.joining(fake, prefix);
            JsonPath buffer = p.start(600);
            fake.emitSegments(buffer.getString("egressId"), 2);
            bufferDir = buffer.getString("id");
            player = p;
            return true;
        });
    }
}
