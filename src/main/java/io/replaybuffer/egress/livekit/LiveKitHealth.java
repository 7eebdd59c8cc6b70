package io.replaybuffer.egress.livekit;

import io.replaybuffer.egress.EgressGateway;
import io.replaybuffer.platform.health.HealthGroups;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * LiveKit, in the dependencies group only: without it new buffers get 503 {@code livekit-unavailable}, but captures
 * from recorded footage, downloads and the library keep working, so it never takes a replica out of service. Judged
 * by the circuit breaker every LiveKit call goes through (open: most recent calls failed), so a probe never adds
 * calls to a LiveKit that is struggling. UP only while the breaker is closed.
 */
@HealthGroup(HealthGroups.DEPENDENCIES)
@ApplicationScoped
public class LiveKitHealth implements HealthCheck {

    private final EgressGateway gateway;
    private final CircuitBreakerMaintenance breakers;

    LiveKitHealth(EgressGateway gateway, CircuitBreakerMaintenance breakers) {
        this.gateway = gateway;
        this.breakers = breakers;
    }

    @Override
    public HealthCheckResponse call() {
        if (!LiveKitGateway.NAME.equals(gateway.name())) { // the simulated egress has nothing to be down
            return HealthCheckResponse.named("livekit").up().withData("backend", gateway.name()).build();
        }
        CircuitBreakerState state = breakers.currentState(TwirpCalls.BREAKER);
        // Half-open is "not known to be back": it stays so until the next call (the reconciler's within a minute).
        return HealthCheckResponse.named("livekit").status(state == CircuitBreakerState.CLOSED)
                .withData("backend", gateway.name())
                .withData("breaker", state.name().toLowerCase(Locale.ROOT))
                .build();
    }
}
