package io.replaybuffer.platform.health;

import io.replaybuffer.platform.storage.StorageRoots;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while both volumes accept a new file: a read-only or unmounted volume would fail every capture. */
@Readiness
@ApplicationScoped
public class StorageReadiness implements HealthCheck {

    private final StorageRoots roots;

    StorageReadiness(StorageRoots roots) {
        this.roots = roots;
    }

    @Override
    public HealthCheckResponse call() {
        boolean segments = StorageRoots.writable(roots.segments());
        boolean clips = StorageRoots.writable(roots.clips());
        // States only, never paths: the health document is often exposed further than the logs.
        return HealthCheckResponse.named("storage")
                .status(segments && clips)
                .withData("segments", segments ? "writable" : "not writable")
                .withData("clips", clips ? "writable" : "not writable")
                .build();
    }
}
