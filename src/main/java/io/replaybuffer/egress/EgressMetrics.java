package io.replaybuffer.egress;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/** Egress requests by operation and outcome (count + latency), and webhook deliveries by event and verdict. */
@ApplicationScoped
public class EgressMetrics {

    private final MeterRegistry registry;

    EgressMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Times {@code call} as {@code replay_buffer_egress_requests_seconds{operation,outcome,backend}}. */
    public <T> T timed(String backend, String operation, Supplier<T> call) {
        Timer.Sample sample = Timer.start(registry);
        String outcome = "error";
        try {
            T result = call.get();
            outcome = "success";
            return result;
        } catch (EgressUnavailableProblem e) {
            outcome = "unavailable";
            throw e;
        } catch (EgressRejectedProblem e) {
            outcome = "rejected";
            throw e;
        } finally {
            sample.stop(Timer.builder("replay_buffer_egress_requests")
                    .description("Requests to the egress backend (LiveKit or simulated)")
                    .tag("operation", operation).tag("outcome", outcome).tag("backend", backend)
                    .publishPercentileHistogram()
                    .register(registry));
        }
    }

    /** Counts one webhook as {@code replay_buffer_webhook_events_total{event,verdict}}. */
    public void webhook(String event, String verdict) {
        registry.counter("replay_buffer_webhook_events_total", "event", event, "verdict", verdict).increment();
    }

    /**
     * Counts a start whose answer was lost but whose egress was found running and adopted, as
     * {@code replay_buffer_egress_starts_adopted_total{backend}}.
     */
    public void startAdopted(String backend) {
        registry.counter("replay_buffer_egress_starts_adopted_total", "backend", backend).increment();
    }
}
