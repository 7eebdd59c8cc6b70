package io.replaybuffer.capture.team;

import io.quarkus.security.ForbiddenException;
import io.replaybuffer.buffer.BufferService;
import io.replaybuffer.buffer.BufferViews;
import io.replaybuffer.buffer.ReplayBufferSession;
import io.replaybuffer.capture.CaptureOrigin;
import io.replaybuffer.capture.CaptureRequest;
import io.replaybuffer.capture.CaptureService;
import io.replaybuffer.clip.ClipView;
import io.replaybuffer.platform.config.ReplayConfig;
import io.replaybuffer.platform.error.InvalidRequestProblem;
import io.replaybuffer.platform.error.NotFoundProblem;
import io.replaybuffer.platform.error.ProblemException;
import io.replaybuffer.platform.security.Caller;
import io.replaybuffer.segment.Footage;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Team replays: one wall-clock window from several players' buffers, each clip made by the single-capture path
 * ({@link CaptureService}) with that absolute window, so every rule of a capture (footage never stitched across a
 * gap, quota charged to the owner, footage secured before the answer) holds per player. A player that path refuses
 * is skipped with the problem it answered; the others still get their clips. The group row exists before its first
 * clip and is sealed after its last, so it settles only once all of them exist.
 */
@ApplicationScoped
public class TeamCaptureService {

    /** Problems every player would meet alike: when they refused everybody, the request gets that answer itself. */
    private static final Set<String> SHARED_REFUSALS = Set.of("rate-limited", "capture-busy", "insufficient-storage");

    private final BufferService buffers;
    private final BufferViews footage;
    private final CaptureService captures;
    private final CaptureGroupStore groups;
    private final ReplayConfig config;

    TeamCaptureService(BufferService buffers, BufferViews footage, CaptureService captures, CaptureGroupStore groups,
            ReplayConfig config) {
        this.buffers = buffers;
        this.footage = footage;
        this.captures = captures;
        this.groups = groups;
        this.config = config;
    }

    public CaptureGroupView capture(Caller caller, String roomName, TeamCaptureRequest request) {
        if (!caller.admin() && !caller.gameServer()) {
            throw new ForbiddenException("team replays are for game servers and admins");
        }
        if (roomName.length() > 255) {
            throw new InvalidRequestProblem("roomName", "may be at most 255 characters");
        }
        Duration wanted = captures.wanted(request.window());
        Instant ahead = captures.postRollEnd(request.window(), wanted);

        List<CaptureGroupView.Skipped> skipped = new ArrayList<>();
        Map<String, ReplayBufferSession> chosen = choose(roomName, request.participants(), skipped);
        Map<String, Footage> footageOf = new LinkedHashMap<>();
        chosen.forEach((identity, buffer) -> footageOf.put(identity, footage.footage(buffer)));
        // A post-roll window ends the same instant for everyone; each clip then waits for its own footage.
        Optional<TeamWindow> window = request.startAt() != null
                ? Optional.of(new TeamWindow(request.startAt(), request.endAt()))
                : ahead != null ? Optional.of(new TeamWindow(ahead.minus(wanted), ahead))
                : TeamWindow.lastSeconds(footageOf.values(), wanted,
                        Duration.ofSeconds(2L * config.segmentDurationSeconds()));
        if (window.isEmpty()) {
            chosen.keySet().forEach(identity -> skipped.add(new CaptureGroupView.Skipped(identity,
                    "nothing-to-capture", "the buffer has no footage yet")));
        }
        if (chosen.isEmpty() || window.isEmpty()) {
            throw new EmptyTeamReplayProblem(chosen.isEmpty() && skipped.isEmpty()
                    ? "no replay buffer is recording in room " + roomName : "nobody in the room could be captured",
                    skipped);
        }
        return captureAll(caller, roomName, request, chosen, window.get(), skipped);
    }

    private CaptureGroupView captureAll(Caller caller, String roomName, TeamCaptureRequest request,
            Map<String, ReplayBufferSession> chosen, TeamWindow window, List<CaptureGroupView.Skipped> skipped) {
        UUID groupId = UUID.randomUUID();
        groups.create(groupId, roomName, caller.id(), window);
        CaptureRequest absolute = new CaptureRequest(null, window.from(), window.to(), request.title());
        CaptureOrigin origin = CaptureOrigin.team(caller, groupId);
        List<ClipView> made = new ArrayList<>();
        List<ProblemException> refusals = new ArrayList<>();
        chosen.forEach((identity, buffer) -> {
            try {
                made.add(captures.capture(buffer, absolute, origin));
            } catch (ProblemException e) {
                refusals.add(e);
                skipped.add(new CaptureGroupView.Skipped(identity, e.type(), e.getMessage()));
            }
        });
        if (made.isEmpty()) {
            groups.discard(groupId);
            if (refusals.size() == chosen.size() && refusals.stream().allMatch(e ->
                    SHARED_REFUSALS.contains(e.type()) && e.type().equals(refusals.get(0).type()))) {
                throw refusals.get(0); // retry later, as with a single capture
            }
            throw new EmptyTeamReplayProblem("nobody in the room could be captured", skipped);
        }
        groups.seal(groupId, skipped);
        return groups.view(groupId).orElseThrow();
    }

    /**
     * The newest recording buffer of each player: those listed (each one without a buffer in the room skipped), or
     * everyone recording in the room.
     */
    private Map<String, ReplayBufferSession> choose(String roomName, List<String> participants,
            List<CaptureGroupView.Skipped> skipped) {
        Map<String, ReplayBufferSession> newest = new LinkedHashMap<>();
        for (ReplayBufferSession buffer : buffers.recordingIn(roomName, TeamCaptureRequest.MAX_PARTICIPANTS)) {
            newest.putIfAbsent(buffer.participantIdentity, buffer); // newest first
        }
        if (participants == null || participants.isEmpty()) {
            return newest;
        }
        Map<String, ReplayBufferSession> listed = new LinkedHashMap<>();
        for (String identity : new LinkedHashSet<>(participants)) {
            ReplayBufferSession buffer = newest.get(identity);
            if (buffer == null) {
                skipped.add(new CaptureGroupView.Skipped(identity, "no-active-buffer",
                        "no replay buffer of " + identity + " is recording in room " + roomName));
            } else {
                listed.put(identity, buffer);
            }
        }
        return listed;
    }

    /** A group the caller created (admins: any); others' are 404. */
    public CaptureGroupView get(Caller caller, UUID groupId) {
        return groups.view(groupId).filter(g -> caller.admin() || caller.id().equals(g.createdBy()))
                .orElseThrow(() -> new NotFoundProblem("capture group"));
    }
}
