package io.replaybuffer.capture.team;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.replaybuffer.platform.database.TransactionEnd;
import io.replaybuffer.clip.ClipService;
import io.replaybuffer.clip.ClipView;
import io.replaybuffer.platform.events.EventHub;
import io.replaybuffer.platform.webhook.Outbox;
import io.replaybuffer.platform.webhook.WebhookEventType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The only writer of capture groups. A group is created PROCESSING and unsealed, sealed once all its clips exist,
 * and settled once, when it is sealed and none of its clips is PROCESSING any more: under the group's row lock, by a
 * conditional UPDATE, in the very transaction that ended its last clip (or sealed it, or recovery's). Two clips of a
 * group ending at the same moment on two replicas take turns on that lock, and the second sees the first's change:
 * of all the transactions that could settle a group, exactly one does, and only that one queues the webhook and
 * (after its commit) pushes the event.
 */
@ApplicationScoped
public class CaptureGroupStore {

    private static final Logger LOG = Logger.getLogger(CaptureGroupStore.class);
    private static final TypeReference<List<CaptureGroupView.Skipped>> SKIPPED = new TypeReference<>() {
    };

    private final EntityManager em;
    private final ClipService clips;
    private final Outbox outbox;
    private final EventHub hub;
    private final TransactionEnd transactionEnd;
    private final ObjectMapper json;
    private final Clock clock;

    CaptureGroupStore(EntityManager em, ClipService clips, Outbox outbox, EventHub hub,
            TransactionEnd transactionEnd, ObjectMapper json, Clock clock) {
        this.em = em;
        this.clips = clips;
        this.outbox = outbox;
        this.hub = hub;
        this.transactionEnd = transactionEnd;
        this.json = json;
        this.clock = clock;
    }

    /** A new PROCESSING, unsealed group, committed before any of its clips is created. */
    public void create(UUID id, String roomName, String createdBy, TeamWindow window) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("INSERT INTO capture_groups (id, room_name,"
                + " created_by, captured_from, captured_to, status, created_at) VALUES (:id, :room, :by, :from, :to,"
                + " 'PROCESSING', :now)").setParameter("id", id).setParameter("room", roomName)
                .setParameter("by", createdBy).setParameter("from", window.from()).setParameter("to", window.to())
                .setParameter("now", clock.instant()).executeUpdate());
    }

    /** Removes a group no clip was made for (every player skipped): it never existed for the client. */
    public void discard(UUID id) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("DELETE FROM capture_groups WHERE id = :id"
                + " AND NOT EXISTS (SELECT 1 FROM clips WHERE group_id = :id)").setParameter("id", id).executeUpdate());
    }

    /** Every clip of the group exists now: records who was skipped, and settles it if its clips are done already. */
    public void seal(UUID id, List<CaptureGroupView.Skipped> skipped) {
        String text;
        try {
            text = json.writeValueAsString(skipped);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("skipped players are not serialisable", e);
        }
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("UPDATE capture_groups SET sealed = true, skipped = :skipped WHERE id = :id"
                    + " AND NOT sealed").setParameter("skipped", text).setParameter("id", id).executeUpdate();
            settle(id);
        });
    }

    /**
     * Within the caller's transaction: settles the group if it is sealed and none of its clips is PROCESSING. Locks
     * the group's row first, so the check below sees every clip change committed by whoever held it before.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void settle(UUID id) {
        List<?> locked = em.createNativeQuery("SELECT status, sealed FROM capture_groups WHERE id = :id FOR UPDATE")
                .setParameter("id", id).getResultList();
        if (locked.isEmpty()) {
            return;
        }
        Object[] row = (Object[]) locked.get(0);
        if (!"PROCESSING".equals(row[0]) || !Boolean.TRUE.equals(row[1])) {
            return;
        }
        Object[] counts = (Object[]) em.createNativeQuery("SELECT count(*) FILTER (WHERE status = 'PROCESSING'),"
                + " count(*) FILTER (WHERE status = 'READY'), count(*) FROM clips WHERE group_id = :id")
                .setParameter("id", id).getSingleResult();
        long processing = ((Number) counts[0]).longValue();
        long ready = ((Number) counts[1]).longValue();
        long total = ((Number) counts[2]).longValue();
        if (processing > 0) {
            return;
        }
        CaptureGroup.Status settled = ready == 0 ? CaptureGroup.Status.FAILED
                : ready == total ? CaptureGroup.Status.READY : CaptureGroup.Status.PARTIAL;
        int changed = em.createNativeQuery("UPDATE capture_groups SET status = :status, settled_at = :now"
                + " WHERE id = :id AND status = 'PROCESSING' AND sealed").setParameter("status", settled.name())
                .setParameter("now", clock.instant()).setParameter("id", id).executeUpdate();
        if (changed != 1) {
            return; // impossible under the row lock; nothing to send either way
        }
        CaptureGroupView view = view(id).orElseThrow();
        LOG.debugf("capture group %s settled %s (%d of %d clips ready)", id, settled, ready, total);
        outbox.add(WebhookEventType.CAPTURE_GROUP_READY, view); // commits with the settling or not at all
        transactionEnd.then(committed -> {
            if (committed) {
                hub.publish(view.createdBy(), "capture-group.ready", view);
            }
        });
    }

    /** Groups still PROCESSING that were created before {@code before}: recovery's candidates. */
    public List<UUID> unsettled(Instant before, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("SELECT id FROM capture_groups"
                + " WHERE status = 'PROCESSING' AND created_at <= :before ORDER BY created_at LIMIT :limit", UUID.class)
                .setParameter("before", before).setParameter("limit", limit).getResultList().stream()
                .map(UUID.class::cast).toList());
    }

    /** Seals a group whose capture request died before it could (recovery), and settles it if it is done. */
    public void sealAbandoned(UUID id) {
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("UPDATE capture_groups SET sealed = true WHERE id = :id AND NOT sealed")
                    .setParameter("id", id).executeUpdate();
            settle(id);
        });
    }

    /** The group with its clips, each beside the identity of the player whose buffer it came from. */
    public Optional<CaptureGroupView> view(UUID id) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            CaptureGroup group = em.find(CaptureGroup.class, id);
            if (group == null) {
                return Optional.<CaptureGroupView>empty();
            }
            em.refresh(group); // its columns change only through native UPDATEs, possibly in this transaction
            Map<UUID, ClipView> views = clips.inGroup(id);
            List<CaptureGroupView.Member> members = new ArrayList<>();
            for (Object r : em.createNativeQuery("SELECT c.id, s.participant_identity FROM clips c LEFT JOIN"
                    + " replay_buffer_sessions s ON s.id = c.session_id WHERE c.group_id = :id"
                    + " ORDER BY s.participant_identity, c.id").setParameter("id", id).getResultList()) {
                Object[] row = (Object[]) r;
                ClipView clip = views.get((UUID) row[0]);
                if (clip != null) {
                    members.add(new CaptureGroupView.Member((String) row[1], clip));
                }
            }
            return Optional.of(new CaptureGroupView(group.id, group.roomName, group.status, group.capturedFrom,
                    group.capturedTo, Duration.between(group.capturedFrom, group.capturedTo).toMillis() / 1000.0,
                    members, skipped(group.skipped), group.createdBy, group.createdAt, group.settledAt));
        });
    }

    private List<CaptureGroupView.Skipped> skipped(String text) {
        try {
            return json.readValue(text, SKIPPED);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("capture group's skipped list is not JSON", e);
        }
    }
}
