package io.replaybuffer.testing;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * Registers the real services ({@link TestServices}) and the fake LiveKit once for every {@code @QuarkusTest}, so
 * they all share one application.
 */
@QuarkusTestResource(TestServices.class)
@QuarkusTestResource(FakeLiveKitResource.class)
public final class WithTestServices {

    private WithTestServices() {
    }
}
