package io.replaybuffer.clip;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.ForbiddenException;
import io.quarkus.panache.common.Parameters;
import io.replaybuffer.clip.quota.QuotaService;
import io.replaybuffer.platform.error.InvalidRequestProblem;
import io.replaybuffer.platform.error.NotFoundProblem;
import io.replaybuffer.platform.http.OffTheLoop;
import io.replaybuffer.platform.ratelimit.Limited;
import io.replaybuffer.platform.ratelimit.UserLimits;
import io.replaybuffer.platform.security.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.hibernate.jpa.HibernateHints;
import org.jboss.logging.Logger;

/**
 * The clip library. Owners (and admins) see and change their clips; anyone signed in may see PUBLIC and UNLISTED
 * ones; another user's private clip does not exist as far as the caller can tell (404). A game server also reads
 * the clips it created for players (their metadata, never the files of a private one: api.md, "Roles").
 */
@ApplicationScoped
public class ClipService {

    private static final Logger LOG = Logger.getLogger(ClipService.class);
    private static final String FETCH = "from Clip c left join fetch c.file left join fetch c.thumbnail ";

    private final QuotaService quotas;
    private final ClipStore store;
    private final ClipFiles files;
    private final UserLimits limits;
    private final ClipCache cache;
    private final Clock clock;

    ClipService(QuotaService quotas, ClipStore store, ClipFiles files, UserLimits limits, ClipCache cache,
            Clock clock) {
        this.cache = cache;
        this.quotas = quotas;
        this.store = store;
        this.files = files;
        this.limits = limits;
        this.clock = clock;
    }

    /** The caller's clips, newest first; for a game server, also the clips it created for players. */
    public Uni<ClipPage> mine(Caller caller, int limit, String cursor) {
        return page(caller.id(), caller.gameServer() ? Listing.OWNED_OR_CREATED : Listing.OWNED, limit, cursor);
    }

    /** A user's PUBLIC clips. */
    public Uni<ClipPage> publicOf(String userId, int limit, String cursor) {
        return page(userId, Listing.PUBLIC, limit, cursor);
    }

    private enum Listing {
        OWNED, OWNED_OR_CREATED, PUBLIC
    }

    /** From the cache on the caller's event loop, else from the database {@link OffTheLoop off it}. */
    private Uni<ClipPage> page(String userId, Listing listing, int limit, String cursor) {
        if (limit < 1 || limit > 100) {
            throw new InvalidRequestProblem("limit", "must be between 1 and 100");
        }
        Cursor after = cursor == null ? null : Cursor.decode(cursor);
        return cache.page(userId, listing.name(), limit, cursor, () -> load(userId, listing, limit, after));
    }

    /** A page from the database; the query is built only here, not for the reads the cache answers. */
    private static ClipPage load(String userId, Listing listing, int limit, Cursor after) {
        StringBuilder query = new StringBuilder(FETCH).append(listing == Listing.OWNED_OR_CREATED
                ? "where (c.userId = :user or c.createdBy = :user)" : "where c.userId = :user");
        Parameters parameters = Parameters.with("user", userId);
        if (listing == Listing.PUBLIC) {
            query.append(" and c.visibility = :public and c.status = :ready");
            parameters.and("public", Visibility.PUBLIC).and("ready", ClipStatus.READY);
        }
        if (after != null) {
            query.append(" and (c.createdAt < :at or (c.createdAt = :at and c.id < :id))");
            parameters.and("at", after.createdAt()).and("id", after.id());
        }
        query.append(" order by c.createdAt desc, c.id desc");
        // One row more than the page tells whether another page follows. Read-only: nothing here changes them, so
        // Hibernate keeps no snapshot of each row to compare at commit (a fifth of a list's CPU went to the ORM).
        List<Clip> rows = QuarkusTransaction.joiningExisting().call(() ->
                Clip.<Clip>find(query.toString(), parameters).withHint(HibernateHints.HINT_READ_ONLY, true)
                        .range(0, limit).list());
        List<ClipView> items = rows.stream().limit(limit).map(ClipView::of).toList();
        String next = rows.size() > limit ? Cursor.encode(rows.get(limit - 1)) : null;
        return new ClipPage(items, next);
    }

    /**
     * A clip whose details the caller may read: one they may see ({@link #visible}), or one they created for its
     * owner (a game server's captures).
     */
    public Uni<ClipView> get(Caller caller, UUID id) {
        return findAsync(id).map(clip -> {
            if (clip == null || !(mayView(caller, clip) || caller.id().equals(clip.createdBy()))) {
                throw new NotFoundProblem("clip");
            }
            return clip.view();
        });
    }

    /** A clip the caller may see and fetch the files of: their own (admins: any), or one not PRIVATE. */
    public ClipSnapshot visible(Caller caller, UUID id) {
        return visibleTo(caller, find(id));
    }

    /** {@link #visible} for an endpoint on an event loop, which must not wait for the database. */
    public Uni<ClipSnapshot> visibleAsync(Caller caller, UUID id) {
        return findAsync(id).map(clip -> visibleTo(caller, clip));
    }

    private static ClipSnapshot visibleTo(Caller caller, ClipSnapshot clip) {
        if (clip == null || !mayView(caller, clip)) {
            throw new NotFoundProblem("clip");
        }
        return clip;
    }

    /**
     * From the cache, or read-only from the database: the session keeps no snapshot to dirty-check at flush (a
     * measurable share of a GET under load). Null when there is no such clip.
     */
    private ClipSnapshot find(UUID id) {
        return cache.clip(id, key -> QuarkusTransaction.joiningExisting().call(() -> {
            Clip clip = Clip.<Clip>find(FETCH + "where c.id = ?1", key).withHint(HibernateHints.HINT_READ_ONLY, true)
                    .firstResult();
            return clip == null ? null : ClipSnapshot.of(clip);
        }));
    }

    /** {@link #find} for a caller on an event loop: a clip read in the last moment at once, any other off the loop. */
    private Uni<ClipSnapshot> findAsync(UUID id) {
        ClipSnapshot recent = cache.recent(id);
        return recent != null ? Uni.createFrom().item(recent) : OffTheLoop.call(() -> find(id));
    }

    private static boolean mayView(Caller caller, ClipSnapshot clip) {
        return caller.mayAccess(clip.userId()) || clip.visibility() != Visibility.PRIVATE;
    }

    /** A clip by id for a signed link (the signature already proved the right to it), without blocking. */
    public Uni<ClipSnapshot> byIdAsync(UUID id) {
        return findAsync(id).map(clip -> {
            if (clip == null) {
                throw new NotFoundProblem("clip");
            }
            return clip;
        });
    }

    /** The clips of a team replay, for its view; the caller checked it may read the group. */
    public java.util.Map<UUID, ClipView> inGroup(UUID groupId) {
        return QuarkusTransaction.joiningExisting().call(() -> Clip.<Clip>find(FETCH + "where c.groupId = ?1", groupId)
                .stream().collect(java.util.stream.Collectors.toMap(c -> c.id, ClipView::of)));
    }

    /** Renames a clip or changes its visibility; making it PRIVATE also revokes its share links. */
    public ClipView patch(Caller caller, UUID id, ClipPatch patch) {
        ownedOrThrow(caller, id); // an unknown or foreign clip costs no permit
        return limits.guarded(Limited.CLIP_CHANGE, caller.id(), () -> QuarkusTransaction.requiringNew().call(() -> {
            Clip clip = owned(caller, id);
            store.patch(clip, patch);
            return ClipView.of(clip);
        }));
    }

    /** Revokes every share link of the clip made so far: links carry the generation they were made in. */
    public void revokeLinks(Caller caller, UUID id) {
        ownedOrThrow(caller, id);
        limits.guarded(Limited.CLIP_CHANGE, caller.id(), () -> QuarkusTransaction.requiringNew().call(() -> {
            Clip clip = owned(caller, id);
            store.revokeLinks(clip);
            return clip.linkGeneration;
        }));
    }

    /** Deletes a clip: its quota is freed in the same transaction, its files right after. */
    public void delete(Caller caller, UUID id) {
        ownedOrThrow(caller, id);
        limits.guarded(Limited.CLIP_CHANGE, caller.id(), () -> {
            deleteOwned(caller, id);
            return id;
        });
    }

    private void deleteOwned(Caller caller, UUID id) {
        List<String> paths = new ArrayList<>();
        String owner = QuarkusTransaction.requiringNew().call(() -> {
            Clip clip = owned(caller, id);
            paths.addAll(store.delete(clip));
            return clip.userId;
        });
        quotas.changed(owner);
        for (String path : paths) {
            try {
                Files.deleteIfExists(files.resolve(path));
            } catch (IOException e) {
                LOG.warnf("clip %s deleted but its file %s stays until cleanup: %s", id, path, e.getMessage());
            }
        }
    }

    /**
     * A clip the caller may change, checked without a lock: refusals are answered before any permit is taken. A
     * game server's capture for a player is the player's: to the game server it is 404 here, as for a download.
     */
    private ClipSnapshot ownedOrThrow(Caller caller, UUID id) {
        ClipSnapshot clip = visible(caller, id);
        if (!caller.mayAccess(clip.userId())) {
            throw new ForbiddenException("only the owner may change a clip");
        }
        return clip;
    }

    private Clip owned(Caller caller, UUID id) {
        Clip clip = Clip.findById(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (clip == null || !(caller.mayAccess(clip.userId) || clip.visibility != Visibility.PRIVATE)) {
            throw new NotFoundProblem("clip");
        }
        if (!caller.mayAccess(clip.userId)) {
            throw new ForbiddenException("only the owner may change a clip");
        }
        return clip;
    }

    public Instant now() {
        return clock.instant();
    }

    /** Opaque paging position: the last item's creation time and id. */
    record Cursor(Instant createdAt, UUID id) {

        static String encode(Clip clip) {
            String raw = clip.createdAt.getEpochSecond() + ":" + clip.createdAt.getNano() + ":" + clip.id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        static Cursor decode(String cursor) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), java.nio.charset.StandardCharsets.UTF_8)
                        .split(":");
                return new Cursor(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
                        UUID.fromString(parts[2]));
            } catch (RuntimeException e) {
                throw new InvalidRequestProblem("cursor", "is not a cursor this API returned");
            }
        }
    }
}
