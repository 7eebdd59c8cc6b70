package io.replaybuffer.platform.webhook;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.replaybuffer.platform.error.InvalidRequestProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads deliveries and their attempts for the admin listing, newest first, with cursor paging. */
@ApplicationScoped
public class DeliveryLog {

    static final Set<String> STATUSES = Set.of("PENDING", "DELIVERED", "FAILED");
    static final int MAX_LIMIT = 200;

    private final EntityManager em;

    DeliveryLog(EntityManager em) {
        this.em = em;
    }

    /** {@code status} as the API takes it (any case, or null for all); {@code cursor} from a previous page. */
    public DeliveryView.Page list(String status, int limit, String cursor) {
        String wanted = status == null || status.isBlank() ? null : status.trim().toUpperCase(Locale.ROOT);
        if (wanted != null && !STATUSES.contains(wanted)) {
            throw new InvalidRequestProblem("status", "must be one of failed, pending, delivered");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequestProblem("limit", "must be between 1 and " + MAX_LIMIT);
        }
        Long before = cursor == null || cursor.isBlank() ? null : parseCursor(cursor);
        return QuarkusTransaction.requiringNew().call(() -> page(wanted, limit, before));
    }

    private DeliveryView.Page page(String status, int limit, Long before) {
        StringBuilder sql = new StringBuilder("SELECT d.id, d.event_id, e.type, d.endpoint, d.status, d.created_at,"
                + " d.attempts, d.next_attempt_at, d.give_up_at, d.finished_at, d.last_error"
                + " FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE true");
        if (status != null) {
            sql.append(" AND d.status = :status");
        }
        if (before != null) {
            sql.append(" AND d.id < :before");
        }
        var query = em.createNativeQuery(sql.append(" ORDER BY d.id DESC LIMIT :limit").toString())
                .setParameter("limit", limit + 1);
        if (status != null) {
            query.setParameter("status", status);
        }
        if (before != null) {
            query.setParameter("before", before);
        }
        List<Object[]> rows = new ArrayList<>();
        for (Object row : query.getResultList()) {
            rows.add((Object[]) row);
        }
        boolean more = rows.size() > limit;
        List<Object[]> shown = more ? rows.subList(0, limit) : rows;
        Map<Long, List<DeliveryView.Attempt>> attempts = attemptsOf(shown.stream().map(r -> id(r[0])).toList());
        List<DeliveryView> items = shown.stream().map(r -> {
            boolean pending = "PENDING".equals(r[4]);
            return new DeliveryView(Long.toString(id(r[0])), (String) r[1], (String) r[2], Endpoint.shown((String) r[3]),
                    (String) r[4], DeliveryQueue.instant(r[5]), ((Number) r[6]).intValue(),
                    pending ? DeliveryQueue.instant(r[7]) : null, DeliveryQueue.instant(r[8]),
                    r[9] == null ? null : DeliveryQueue.instant(r[9]), (String) r[10],
                    attempts.getOrDefault(id(r[0]), List.of()));
        }).toList();
        return new DeliveryView.Page(items, more ? Long.toString(id(shown.get(shown.size() - 1)[0])) : null);
    }

    private Map<Long, List<DeliveryView.Attempt>> attemptsOf(List<Long> ids) {
        Map<Long, List<DeliveryView.Attempt>> byDelivery = new HashMap<>();
        if (ids.isEmpty()) {
            return byDelivery;
        }
        List<?> rows = em.createNativeQuery("SELECT delivery_id, number, started_at, finished_at, status_code, error"
                + " FROM webhook_attempts WHERE delivery_id IN (:ids) ORDER BY delivery_id, number")
                .setParameter("ids", ids).getResultList();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            byDelivery.computeIfAbsent(id(r[0]), k -> new ArrayList<>()).add(new DeliveryView.Attempt(
                    ((Number) r[1]).intValue(), DeliveryQueue.instant(r[2]),
                    r[3] == null ? null : DeliveryQueue.instant(r[3]),
                    r[4] == null ? null : ((Number) r[4]).intValue(), (String) r[5]));
        }
        return byDelivery;
    }

    private static long id(Object value) {
        return ((Number) value).longValue();
    }

    private static long parseCursor(String cursor) {
        try {
            return Long.parseLong(cursor.trim());
        } catch (NumberFormatException e) {
            throw new InvalidRequestProblem("cursor", "is not a cursor this listing returned");
        }
    }
}
