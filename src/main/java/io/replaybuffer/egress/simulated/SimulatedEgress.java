package io.replaybuffer.egress.simulated;

import io.replaybuffer.egress.EgressGateway;
import io.replaybuffer.egress.EgressMetrics;
import io.replaybuffer.egress.EgressUpdate;
import io.replaybuffer.egress.Participant;
import io.replaybuffer.egress.RecordingRequest;
import io.replaybuffer.egress.RoomRoster;
import io.replaybuffer.platform.storage.SafePaths;
import io.replaybuffer.platform.storage.StorageRoots;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Typed;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The SIMULATED egress: what records when no LiveKit is configured (the run command's default). It writes real
 * H.264 + AAC segments of a test pattern, with LiveKit's file names, playlists and timing, into the same folders, and
 * reports the same lifecycle (STARTING → ACTIVE → ENDING → COMPLETE) as LiveKit's webhooks would, so everything
 * downstream runs unchanged. Its pretend room has every participant publishing any track asked for.
 */
@ApplicationScoped
@Typed(SimulatedEgress.class)
public class SimulatedEgress implements EgressGateway, RoomRoster {

    private static final Logger LOG = Logger.getLogger(SimulatedEgress.class);
    private static final String ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final StorageRoots roots;
    private final Event<EgressUpdate> updates;
    private final EgressMetrics metrics;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, SimulatedRecording> recordings = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;

    SimulatedEgress(StorageRoots roots, Event<EgressUpdate> updates, EgressMetrics metrics, Clock clock) {
        this.roots = roots;
        this.updates = updates;
        this.metrics = metrics;
        this.clock = clock;
        AtomicInteger threads = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "simulated-egress-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public EgressUpdate start(RecordingRequest request) {
        return metrics.timed(name(), "start", () -> {
            String egressId = "EG_SIM" + randomId();
            SimulatedRecording recording = new SimulatedRecording(egressId, request,
                    SafePaths.resolve(roots.segments(), request.segmentDir()), clock, scheduler, this::report);
            recordings.put(egressId, recording);
            recording.begin();
            LOG.infof("simulated egress %s recording %s/%s into %s", egressId, request.roomName(),
                    request.participantIdentity(), request.segmentDir());
            return recording.snapshot(EgressUpdate.Source.START);
        });
    }

    @Override
    public Optional<EgressUpdate> stop(String egressId) {
        return metrics.timed(name(), "stop", () -> {
            SimulatedRecording recording = recordings.get(egressId);
            if (recording == null || recording.state().ended()) {
                return Optional.empty();
            }
            recording.finish();
            return Optional.of(recording.snapshot(EgressUpdate.Source.STOP));
        });
    }

    @Override
    public List<EgressUpdate> active() {
        return recordings.values().stream()
                .filter(r -> !r.state().ended())
                .map(r -> r.snapshot(EgressUpdate.Source.RECONCILE))
                .toList();
    }

    @Override
    public Optional<EgressUpdate> find(String egressId) {
        return Optional.ofNullable(recordings.get(egressId)).map(r -> r.snapshot(EgressUpdate.Source.RECONCILE));
    }

    @Override
    public Optional<Participant> participant(String roomName, String identity) {
        return Optional.of(Participant.publishingAnything(identity));
    }

    /** Delivers lifecycle news the way webhooks would: on another thread, after the call that caused it. */
    private void report(EgressUpdate update) {
        if (update.state().ended()) {
            // Keep a finished recording around briefly, so a reconcile pass can still see how it ended.
            scheduler.schedule(() -> recordings.remove(update.egressId()), 1, java.util.concurrent.TimeUnit.HOURS);
        }
        try {
            updates.fire(update);
        } catch (RuntimeException e) {
            LOG.warnf(e, "delivering simulated egress update %s %s failed; reconcile will catch up",
                    update.egressId(), update.state());
        }
    }

    private String randomId() {
        StringBuilder id = new StringBuilder(12);
        for (int i = 0; i < 12; i++) {
            id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }

    @PreDestroy
    void shutdown() {
        scheduler.shutdownNow();
    }

}
