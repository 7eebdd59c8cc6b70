package io.replaybuffer.egress.livekit;

import io.livekit.server.EgressServiceClient;
import io.livekit.server.RoomServiceClient;
import io.replaybuffer.egress.LiveKitConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * The SDK clients, sharing one pooled okhttp client. Fault tolerance's 10 s timeout bounds each call (and cancels
 * it); okhttp's own timeouts sit above it, so a slow answer is never cut by the socket first and retried while LiveKit
 * may still be acting on it. okhttp's own silent retry is off because retries are decided in one place.
 */
@ApplicationScoped
class LiveKitClients {

    private final OkHttpClient http;
    private final EgressServiceClient egress;
    private final RoomServiceClient rooms;

    LiveKitClients(LiveKitConfig config) {
        String url = config.url().orElseThrow(() -> new IllegalStateException("LIVEKIT_URL is not set"));
        String key = config.apiKey().orElseThrow(() -> new IllegalStateException("LIVEKIT_API_KEY is not set"));
        String secret = config.apiSecret().orElseThrow(() -> new IllegalStateException("LIVEKIT_API_SECRET is not set"));
        this.http = new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(16, 5, TimeUnit.MINUTES))
                .connectTimeout(3, TimeUnit.SECONDS)
                .readTimeout(15, TimeUnit.SECONDS)
                .callTimeout(15, TimeUnit.SECONDS)
                .retryOnConnectionFailure(false)
                .build();
        this.egress = EgressServiceClient.createClient(url, key, secret, () -> http);
        this.rooms = RoomServiceClient.createClient(url, key, secret, () -> http);
    }

    EgressServiceClient egress() {
        return egress;
    }

    RoomServiceClient rooms() {
        return rooms;
    }

    @PreDestroy
    void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
