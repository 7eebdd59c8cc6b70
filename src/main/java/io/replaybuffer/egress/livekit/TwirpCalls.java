package io.replaybuffer.egress.livekit;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import retrofit2.Call;
import retrofit2.Response;

/**
 * Every LiveKit call goes through {@link #execute}, so all of them share one timeout policy, one retry policy and one
 * circuit breaker. Transient failures (no answer, "unavailable", "no response from servers") get two more tries
 * with jittered backoff; when most recent calls fail the breaker opens and the service answers 503 at once instead
 * of stacking threads on a dead socket. Refusals are neither retried nor counted: LiveKit is up, the request was bad.
 */
@ApplicationScoped
class TwirpCalls {

    /** {@code call} makes a fresh retrofit call per attempt: a retrofit Call can only be executed once. */
    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, retryOn = LiveKitTransientException.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 10_000, successThreshold = 1,
            failOn = {LiveKitTransientException.class, TimeoutException.class})
    <T> T execute(Supplier<Call<T>> call) {
        Response<T> response;
        try {
            response = call.get().execute();
        } catch (IOException e) {
            throw new LiveKitTransientException("LiveKit did not answer: " + e.getClass().getSimpleName(), e);
        }
        if (response.isSuccessful() && response.body() != null) {
            return response.body();
        }
        String body;
        try (var errorBody = response.errorBody()) {
            body = errorBody == null ? null : errorBody.string();
        } catch (IOException e) {
            body = null;
        }
        // The SDK reports errors as unsuccessful responses, not exceptions: sort them into the two kinds.
        TwirpError error = TwirpError.parse(response.code(), body);
        if (error.isTransient()) {
            throw new LiveKitTransientException("LiveKit answered " + error, null);
        }
        throw new LiveKitRejectedException(error);
    }
}
