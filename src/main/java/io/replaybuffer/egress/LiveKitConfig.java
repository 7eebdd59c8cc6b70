package io.replaybuffer.egress;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET. With no URL the simulated egress records instead. */
@ConfigMapping(prefix = "livekit")
public interface LiveKitConfig {

    /** The LiveKit server API as an http(s) URL (the SDK does not accept ws/wss). */
    Optional<String> url();

    Optional<String> apiKey();

    Optional<String> apiSecret();
}
