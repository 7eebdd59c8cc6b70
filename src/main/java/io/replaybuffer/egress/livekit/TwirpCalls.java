package io.replaybuffer.egress.livekit;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import retrofit2.Call;
import retrofit2.Callback;
import retrofit2.Response;

/**
 * Every LiveKit call goes through {@link #execute}, so all of them share one timeout policy, one retry policy and one
 * circuit breaker. Transient failures (no answer, "unavailable", "no response from servers") get two more tries
 * with jittered backoff; when most recent calls fail the breaker opens and the service answers 503 at once instead
 * of stacking threads on a dead socket. Refusals are neither retried nor counted: LiveKit is up, the request was bad.
 * A call that is not idempotent (starting an egress) is sent once: sent again after a lost answer it would start a
 * second egress, so its caller finds out what happened instead (one circuit breaker name may annotate one method
 * only, hence the flag rather than a second method).
 */
@ApplicationScoped
class TwirpCalls {

    static final String BREAKER = "livekit";

    /** {@code call} makes a fresh retrofit call per attempt: a retrofit Call can only be executed once. */
    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, retryOn = LiveKitTransientException.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 10_000, successThreshold = 1,
            failOn = {LiveKitTransientException.class, LiveKitOutcomeUnknownException.class, TimeoutException.class})
    @CircuitBreakerName(BREAKER)
    <T> T execute(Supplier<Call<T>> call, Idempotence idempotence) {
        try {
            return unwrap(await(call.get()));
        } catch (LiveKitTransientException e) {
            if (idempotence == Idempotence.ONCE) {
                throw new LiveKitOutcomeUnknownException(e); // not retried: the first try may have taken effect
            }
            throw e;
        }
    }

    /** Whether a call may be sent again when its answer is lost. */
    enum Idempotence {
        /** Reads and stops: sending twice does no harm. */
        SAFE,
        /** Starting an egress: a second send may start a second egress. */
        ONCE
    }

    /**
     * Runs the call on okhttp's dispatcher and waits interruptibly: a blocking socket read ignores interrupts, so
     * without this the fault-tolerance timeout would fire but the caller would still wait for the slow answer.
     */
    private static <T> Response<T> await(Call<T> call) {
        CompletableFuture<Response<T>> answer = new CompletableFuture<>();
        call.enqueue(new Callback<T>() {
            @Override
            public void onResponse(Call<T> c, Response<T> response) {
                answer.complete(response);
            }

            @Override
            public void onFailure(Call<T> c, Throwable failure) {
                answer.completeExceptionally(failure);
            }
        });
        try {
            return answer.get();
        } catch (InterruptedException e) {
            call.cancel();
            Thread.currentThread().interrupt();
            throw new LiveKitTransientException("LiveKit call abandoned", e);
        } catch (ExecutionException e) {
            throw new LiveKitTransientException("LiveKit did not answer: " + e.getCause().getClass().getSimpleName(),
                    e.getCause());
        }
    }

    private static <T> T unwrap(Response<T> response) {
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
