package io.replaybuffer.egress;

import io.replaybuffer.egress.livekit.LiveKitGateway;
import io.replaybuffer.egress.simulated.SimulatedEgress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

/**
 * Chooses who records: LiveKit when LIVEKIT_URL is set, else the simulated egress. Decided at run time, so one
 * build serves both (production refuses to start without LiveKit unless REPLAY_EGRESS_SIMULATED=true).
 */
public class EgressBackend {

    private static final Logger LOG = Logger.getLogger(EgressBackend.class);

    @Produces
    @ApplicationScoped
    EgressGateway gateway(LiveKitConfig config, Instance<LiveKitGateway> livekit, Instance<SimulatedEgress> simulated) {
        if (usesLiveKit(config)) {
            LOG.infof("recording through LiveKit at %s", config.url().get());
            return livekit.get();
        }
        LOG.warn("LIVEKIT_URL is not set: recording with the SIMULATED egress (test pattern, no real room)");
        return simulated.get();
    }

    @Produces
    @ApplicationScoped
    RoomRoster roster(LiveKitConfig config, Instance<LiveKitGateway> livekit, Instance<SimulatedEgress> simulated) {
        return usesLiveKit(config) ? livekit.get() : simulated.get();
    }

    static boolean usesLiveKit(LiveKitConfig config) {
        return config.url().filter(url -> !url.isBlank()).isPresent();
    }
}
