package io.replaybuffer.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Starts the fake LiveKit for the test application and points LIVEKIT_URL and the credentials at it. */
public class FakeLiveKitResource implements QuarkusTestResourceLifecycleManager {

    private FakeLiveKit fake;

    @Override
    public Map<String, String> start() {
        try {
            fake = new FakeLiveKit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("livekit.url", fake.url(),
                "livekit.api-key", FakeLiveKit.API_KEY,
                "livekit.api-secret", FakeLiveKit.API_SECRET);
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(fake, new TestInjector.AnnotatedAndMatchesType(InjectFakeLiveKit.class, FakeLiveKit.class));
    }

    @Override
    public void stop() {
        if (fake != null) {
            fake.close();
        }
    }
}
