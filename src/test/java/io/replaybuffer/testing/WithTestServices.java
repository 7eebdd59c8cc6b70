package io.replaybuffer.testing;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers {@link TestServices} once for every {@code @QuarkusTest}, so they all share one application. */
@QuarkusTestResource(TestServices.class)
public final class WithTestServices {

    private WithTestServices() {
    }
}
