package io.replaybuffer.clip;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.replaybuffer.platform.error.NotFoundProblem;
import io.replaybuffer.platform.http.RouterProblems;
import io.replaybuffer.platform.security.CurrentUser;
import io.replaybuffer.platform.security.UrlSigner;
import io.replaybuffer.platform.storage.VolumeFiles;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * A clip's files, {@code GET}/{@code HEAD /api/v1/clips/{id}/download} (a bearer token or a signed link) and
 * {@code /thumbnail.jpg} (a bearer token), served from the HTTP router on the connection's event loop rather than
 * through JAX-RS. A download is a lookup and a few headers before the kernel's sendfile, and measured side by side
 * on one service (scripts/bench load), JAX-RS' routing, interceptors and context propagation around it took about a
 * tenth more CPU per 2 MB download and 0.06 of the ratio to nginx. Authentication is Quarkus' own, as for every
 * other path (the identity is awaited, not blocked on), and failures are the same problem+json as everywhere
 * ({@link RouterProblems}). Their OpenAPI description is in {@code META-INF/openapi.yaml}.
 */
@ApplicationScoped
public class ClipFileRoutes {

    private static final Logger LOG = Logger.getLogger(ClipFileRoutes.class);

    static final String DOWNLOAD = "/api/v1/clips/:id/download";
    static final String THUMBNAIL = "/api/v1/clips/:id/thumbnail.jpg";

    private final ClipService clips;
    private final ClipFiles files;
    private final UrlSigner signer;
    private final RouterProblems problems;

    ClipFileRoutes(ClipService clips, ClipFiles files, UrlSigner signer, RouterProblems problems) {
        this.clips = clips;
        this.files = files;
        this.signer = signer;
        this.problems = problems;
    }

    /** After authentication and admission (negative orders), before JAX-RS. */
    void install(@Observes Router router) {
        route(router, DOWNLOAD, this::download);
        route(router, THUMBNAIL, this::thumbnail);
    }

    private static void route(Router router, String path, Handler<RoutingContext> handler) {
        router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD)
                .order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(handler);
    }

    private void download(RoutingContext context) {
        HttpServerRequest http = context.request();
        Downloads.Request request = new Downloads.Request(http.getHeader("Range"), http.getHeader("If-Range"),
                http.getHeader(HttpHeaders.IF_NONE_MATCH), http.getHeader(HttpHeaders.IF_MODIFIED_SINCE));
        answer(context, clipOf(context).flatMap(id -> authorised(context, id)), clip -> {
            ClipSnapshot.FileRef file = clip.file();
            if (clip.status() != ClipStatus.READY || file == null) {
                throw new ClipNotReadyProblem("the clip is " + clip.status());
            }
            send(context, clip, file, "\"" + clip.id() + "-" + file.sizeBytes() + "\"", ".mp4", "video/mp4", request);
        });
    }

    private void thumbnail(RoutingContext context) {
        Downloads.Request request = new Downloads.Request(null, null,
                context.request().getHeader(HttpHeaders.IF_NONE_MATCH), null);
        answer(context, clipOf(context).flatMap(id -> signedIn(context, id)), clip -> {
            ClipSnapshot.FileRef thumbnail = clip.thumbnail();
            if (thumbnail == null) {
                throw new NotFoundProblem("thumbnail");
            }
            send(context, clip, thumbnail, "\"" + thumbnail.id() + "\"", ".jpg", "image/jpeg", request);
        });
    }

    /**
     * Answers with {@code send} once the clip is known. It runs inside the chain, so that what it throws (404, 409,
     * 416) ends as a failure like a failed lookup does, answered as problem+json.
     */
    private void answer(RoutingContext context, Uni<ClipSnapshot> clip, Consumer<ClipSnapshot> send) {
        clip.invoke(send).subscribe().with(sent -> { }, failed -> problems.fail(context, failed));
    }

    /**
     * One of the clip's files, named after its title. Only a regular file is sent: a link put where the file should
     * be is never followed (it could point anywhere), and a FIFO never opened (opening one blocks the event loop).
     */
    private void send(RoutingContext context, ClipSnapshot clip, ClipSnapshot.FileRef file, String etag,
            String extension, String contentType, Downloads.Request request) {
        Path path = files.resolve(file.relativePath());
        Optional<BasicFileAttributes> found;
        try {
            found = VolumeFiles.attributes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (found.isEmpty()) {
            throw notServed(clip.id(), "not on the clips volume");
        }
        if (!found.get().isRegularFile()) {
            throw notServed(clip.id(), "not a regular file (a link or a special file), so it is not served");
        }
        Downloads.send(context.request(), path, file.sizeBytes(), etag, file.createdAt(), clip.title() + extension,
                contentType, request,
                failed -> problems.fail(context, missingAsNotFound(clip.id(), failed)));
    }

    /**
     * A READY clip whose file went between the check in {@link #send} and the open: as absent as one found absent
     * there, 404 for the caller, a warning for the operator, not an error per request. The hourly clip audit
     * ({@code ClipAudit}) fails such a clip once its file stays absent.
     */
    private static Throwable missingAsNotFound(UUID clip, Throwable failed) {
        if (failed instanceof FileNotFoundException || failed instanceof NoSuchFileException) {
            return notServed(clip, "not on the clips volume");
        }
        return failed;
    }

    /** A clip file that is not served: a warning for the operator saying why, 404 for the caller. */
    private static NotFoundProblem notServed(UUID clip, String why) {
        LOG.warnf("clip %s: its file is %s", clip, why);
        return new NotFoundProblem("clip file");
    }

    /** The clip's id from the path; anything else there names no clip. */
    private static Uni<UUID> clipOf(RoutingContext context) {
        try {
            return Uni.createFrom().item(UUID.fromString(context.pathParam("id")));
        } catch (IllegalArgumentException notAnId) {
            return Uni.createFrom().failure(new NotFoundProblem("clip"));
        }
    }

    /**
     * A signed link proves the right to the file unless its clip's links were revoked since (the link's generation
     * is behind); otherwise the caller must be signed in and allowed to see the clip.
     */
    private Uni<ClipSnapshot> authorised(RoutingContext context, UUID id) {
        String expires = context.queryParams().get("expires");
        String signature = context.queryParams().get("signature");
        if (expires == null && signature == null) {
            return signedIn(context, id);
        }
        int generation;
        Long until;
        try {
            String g = context.queryParams().get("g");
            generation = g == null ? 0 : Integer.parseInt(g);
            until = expires == null ? null : Long.valueOf(expires);
        } catch (NumberFormatException malformed) {
            return Uni.createFrom().failure(new NotFoundProblem("clip")); // no link the service signed
        }
        UrlSigner.Verdict verdict = signer.check(ClipResource.downloadPath(id), generation, until, signature);
        if (verdict == UrlSigner.Verdict.INVALID) {
            return Uni.createFrom().failure(new NotFoundProblem("clip"));
        }
        return clips.byIdAsync(id).map(clip -> {
            if (clip.linkGeneration() != generation) {
                throw new LinkRevokedProblem();
            }
            if (verdict == UrlSigner.Verdict.EXPIRED) {
                throw new LinkExpiredProblem();
            }
            return clip;
        });
    }

    /** A clip the signed-in caller may see; 401 without a valid token. */
    private Uni<ClipSnapshot> signedIn(RoutingContext context, UUID id) {
        return QuarkusHttpUser.getSecurityIdentity(context, null)
                .flatMap(identity -> clips.visibleAsync(CurrentUser.of(identity), id));
    }
}
