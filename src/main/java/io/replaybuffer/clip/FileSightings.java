package io.replaybuffer.clip;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The clip audit's notes on READY clips whose file it found absent ({@code missing_since}): the first sighting is
 * remembered, and forgotten when the file is back. Neither is a change of the clip's state; failing a clip whose file
 * stayed absent is, so {@link ClipOutcomes#lost} does that.
 */
@ApplicationScoped
public class FileSightings {

    private final EntityManager em;

    FileSightings(EntityManager em) {
        this.em = em;
    }

    /** The audit found a READY clip's file absent: remembers when it first did. Returns that first sighting. */
    public Optional<Instant> missing(UUID id, Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> {
            em.createNativeQuery("UPDATE clips SET missing_since = :now WHERE id = :id AND status = 'READY'"
                    + " AND missing_since IS NULL").setParameter("now", now).setParameter("id", id).executeUpdate();
            return em.createQuery("select c.missingSince from Clip c where c.id = :id and c.status = :ready",
                    Instant.class).setParameter("id", id).setParameter("ready", ClipStatus.READY).getResultStream()
                    .filter(java.util.Objects::nonNull).findFirst();
        });
    }

    /** The audit found the file of a clip it had noted missing: forget the sighting. */
    public void found(UUID id) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE clips SET missing_since = NULL"
                + " WHERE id = :id AND missing_since IS NOT NULL").setParameter("id", id).executeUpdate());
    }
}
