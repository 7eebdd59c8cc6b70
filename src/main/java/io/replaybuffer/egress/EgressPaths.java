package io.replaybuffer.egress;

import io.replaybuffer.platform.config.ReplayConfig;

/** Where egress pods see the segments volume: REPLAY_EGRESS_OUTPUT_PATH, or the service's own path when unset. */
public final class EgressPaths {

    private EgressPaths() {
    }

    public static String outputRoot(ReplayConfig config) {
        return config.egress().outputPath().filter(p -> !p.isBlank())
                .orElseGet(() -> config.segmentsPath().toAbsolutePath().normalize().toString());
    }
}
