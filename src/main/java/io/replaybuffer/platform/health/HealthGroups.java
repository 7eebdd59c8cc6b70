package io.replaybuffer.platform.health;

/** Health groups beyond liveness and readiness. */
public final class HealthGroups {

    /**
     * {@code /q/health/group/dependencies}: services this replica uses but can serve without (Redis, LiveKit). Never
     * part of readiness, so an outage of one does not take every replica out of the load balancer at once.
     */
    public static final String DEPENDENCIES = "dependencies";

    private HealthGroups() {
    }
}
