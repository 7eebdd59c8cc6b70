package io.replaybuffer.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The test profile with outgoing webhooks on, to a {@link WebhookReceiver} the test resource starts, at its paths
 * {@code a}, {@code b} and {@code c} (three endpoints, so a test that keeps one busy on purpose leaves the others' queues
 * alone). Times are short so retries, timeouts and giving up happen within seconds: 2 s timeout, retries from 200 ms
 * doubling to 1 s, given up 10 s after the event.
 */
public class Webhooks implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "replay.webhook.timeout", "2s",
                "replay.webhook.first-retry-after", "200ms",
                "replay.webhook.max-retry-after", "1s",
                "replay.webhook.retry-for", "10s",
                "replay.webhook.poll-every", "200ms");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(WebhookReceiverResource.class, Map.of("paths", paths())));
    }

    /** The receiver's paths that are endpoints. */
    protected String paths() {
        return "a,b,c";
    }

    /** Two endpoints, {@code a} and {@code b}: what the benchmark measures. */
    public static class TwoEndpoints extends Webhooks {
        @Override
        protected String paths() {
            return "a,b";
        }
    }
}
