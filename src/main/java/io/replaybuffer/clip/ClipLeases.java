package io.replaybuffer.clip;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The build leases on clip rows ({@code build_owner}, {@code build_lease_until}): which build attempt may publish a
 * PROCESSING clip. Each change is one conditional UPDATE in its own transaction, so of two attempts (two replicas, or
 * recovery and a queued build) exactly one holds a clip. The clip's state itself changes only in {@link ClipOutcomes},
 * whose endings check the lease these set.
 */
@ApplicationScoped
public class ClipLeases {

    /** How an attempt's claim on a clip went. */
    public enum Claim {
        /** The attempt holds the clip now. */
        CLAIMED,
        /** Another attempt holds a lease that has not run out: leave the clip and its footage alone. */
        HELD_ELSEWHERE,
        /** The clip is READY, FAILED or deleted: nothing is left to build. */
        ENDED
    }

    private final EntityManager em;
    private final Clock clock;

    ClipLeases(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    /**
     * Claims a PROCESSING clip for {@code attempt} until {@code now + lease}, if nobody holds it or the holder's lease
     * ran out before {@code now}. One conditional UPDATE: of two attempts racing, exactly one wins.
     */
    public Claim claim(UUID id, UUID attempt, Instant now, Duration lease) {
        return QuarkusTransaction.requiringNew().call(() -> {
            int claimed = em.createNativeQuery("UPDATE clips SET build_owner = :attempt, build_lease_until = :until"
                    + " WHERE id = :id AND status = 'PROCESSING'"
                    + " AND (build_owner IS NULL OR build_lease_until < :now)")
                    .setParameter("attempt", attempt).setParameter("until", now.plus(lease))
                    .setParameter("id", id).setParameter("now", now).executeUpdate();
            if (claimed == 1) {
                return Claim.CLAIMED;
            }
            List<?> status = em.createNativeQuery("SELECT status FROM clips WHERE id = :id")
                    .setParameter("id", id).getResultList();
            return !status.isEmpty() && ClipStatus.PROCESSING.name().equals(status.get(0))
                    ? Claim.HELD_ELSEWHERE : Claim.ENDED;
        });
    }

    /** Extends one attempt's lease from now; false when the attempt no longer holds its clip. */
    public boolean renew(UUID id, UUID attempt, Duration lease) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "UPDATE clips SET build_lease_until = :until WHERE id = :id AND status = 'PROCESSING'"
                        + " AND build_owner = :attempt")
                .setParameter("until", clock.instant().plus(lease)).setParameter("id", id)
                .setParameter("attempt", attempt).executeUpdate() == 1);
    }

    /** The heartbeat: extends the leases of every attempt running here in one statement; returns how many held. */
    public int renewAll(Collection<UUID> attempts, Duration lease) {
        if (attempts.isEmpty()) {
            return 0;
        }
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "UPDATE clips SET build_lease_until = :until WHERE status = 'PROCESSING'"
                        + " AND build_owner IN (:attempts)")
                .setParameter("until", clock.instant().plus(lease)).setParameter("attempts", List.copyOf(attempts))
                .executeUpdate());
    }

    /** Of the clips these attempts claimed, those they still hold (PROCESSING, not deleted, not taken over). */
    public Set<UUID> held(Collection<UUID> attempts) {
        if (attempts.isEmpty()) {
            return Set.of();
        }
        List<?> ids = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("SELECT id FROM clips"
                + " WHERE status = 'PROCESSING' AND build_owner IN (:attempts)")
                .setParameter("attempts", List.copyOf(attempts)).getResultList());
        return ids.stream().map(UUID.class::cast).collect(Collectors.toSet());
    }

    /** Lets go of a claim that will not be built here (the build queue was full): the next recovery may take it. */
    public void release(UUID id, UUID attempt) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE clips SET build_owner = NULL,"
                + " build_lease_until = NULL WHERE id = :id AND build_owner = :attempt")
                .setParameter("id", id).setParameter("attempt", attempt).executeUpdate());
    }

    /** A lone process at boot: every lease belongs to a build that died with the previous process. */
    public int dropAllLeases() {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("UPDATE clips SET build_owner = NULL,"
                + " build_lease_until = NULL WHERE build_owner IS NOT NULL").executeUpdate());
    }

    /**
     * PROCESSING clips nobody is building: their lease ran out before {@code now}, or no build ever claimed them and
     * they were created before {@code unclaimedBefore} (a capture that died before its build started, or a build
     * still waiting in some replica's queue: claiming decides between those without harm).
     */
    public List<UUID> abandoned(Instant now, Instant unclaimedBefore, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> Clip.<Clip>find("status = ?1 and ((buildLeaseUntil is not"
                + " null and buildLeaseUntil < ?2) or (buildLeaseUntil is null and createdAt <= ?3)) order by createdAt",
                ClipStatus.PROCESSING, now, unclaimedBefore).range(0, limit - 1).stream().map(c -> c.id).toList());
    }
}
