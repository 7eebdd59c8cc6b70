package io.replaybuffer.platform.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.replaybuffer.platform.database.DatabaseOutage;
import io.replaybuffer.platform.database.DatabaseUnavailableProblem;
import io.replaybuffer.platform.http.ClientClosedProblem;
import io.vertx.core.http.HttpClosedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where errors become {@code application/problem+json}. Whatever is thrown, the client sees a type,
 * a title, a status and a human detail; stack traces, SQL and file paths stay in the log.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return problem(e, instance(uri));
    }

    private static Response problem(ProblemException e, String instance) {
        Response.ResponseBuilder response = Response.status(e.status());
        e.headers().forEach(response::header);
        Duration retryAfter = e.retryAfter();
        if (retryAfter != null) {
            response.header(HttpHeaders.RETRY_AFTER, retryAfterSeconds(retryAfter));
        }
        return response.type(Problem.MEDIA_TYPE).entity(document(e, instance)).build();
    }

    /** The document for {@code e}. */
    private static Problem document(ProblemException e, String instance) {
        Map<String, Object> extensions = new LinkedHashMap<>(e.extensions());
        if (e.retryAfter() != null) {
            extensions.put("retryAfterSeconds", retryAfterSeconds(e.retryAfter()));
        }
        return new Problem(e.type(), e.title(), e.status(), e.getMessage(), instance, extensions);
    }

    private static long retryAfterSeconds(Duration retryAfter) {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    /**
     * The answer for a failure in a handler on the HTTP router, outside JAX-RS (the clip file routes), chosen as the
     * mappers here choose it for a resource, so both read the same.
     */
    public static Response forRouter(Throwable e, String instance) {
        if (e instanceof ProblemException problem) {
            return problem(problem, instance);
        }
        if (e instanceof AuthenticationFailedException || e instanceof UnauthorizedException) {
            return unauthenticated(instance);
        }
        if (e instanceof ForbiddenException) {
            return forbidden(instance);
        }
        return unexpected(e, instance);
    }

    @ServerExceptionMapper
    public Response invalidBean(ConstraintViolationException e, UriInfo uri) {
        List<InvalidRequestProblem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new InvalidRequestProblem.FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(InvalidRequestProblem.FieldError::field))
                .collect(Collectors.toList());
        return problem(new InvalidRequestProblem(errors), uri);
    }

    // Listed explicitly: Quarkus ships its own mapper for MismatchedInputException, closer in the class hierarchy.
    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class})
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            return problem(new InvalidRequestProblem(field, "has the wrong type or format"), uri);
        }
        return body(Response.status(400), "malformed-json", "Malformed JSON", 400,
                "The request body is not valid JSON", instance(uri), Map.of());
    }

    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
    public Response unauthenticated(RuntimeException e, UriInfo uri) {
        return unauthenticated(instance(uri));
    }

    private static Response unauthenticated(String instance) {
        return body(Response.status(401).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer"), "unauthorized",
                "Unauthorized", 401, "A valid bearer token is required", instance, Map.of());
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return forbidden(instance(uri));
    }

    private static Response forbidden(String instance) {
        return body(Response.status(403), "forbidden", "Forbidden", 403,
                "This operation is not allowed for the caller", instance, Map.of());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json, uri);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, uri);
        }
        HttpStatusProblem known = HttpStatusProblem.of(status);
        Response.ResponseBuilder response = Response.status(status);
        // Keep Allow on 405 so clients learn which methods exist.
        String allow = e.getResponse().getHeaderString(HttpHeaders.ALLOW);
        if (allow != null) {
            response.header(HttpHeaders.ALLOW, allow);
        }
        return body(response, known.type(), known.title(), status, known.detail(), instance(uri), Map.of());
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, UriInfo uri) {
        return unexpected(e, instance(uri));
    }

    private static Response unexpected(Throwable e, String instance) {
        // A database outage reaches us wrapped in whatever layer it struck (Hibernate, the transaction manager, the
        // cache): it is the service's dependency failing, not a bug, so no reference and no stack trace per request.
        Optional<Throwable> outage = DatabaseOutage.in(e);
        if (outage.isPresent()) {
            LOG.warnf("database unavailable: %s", outage.get().getMessage());
            return problem(new DatabaseUnavailableProblem(outage.get()), instance);
        }
        if (clientLeft(e)) {
            // The caller closed the connection before its request body arrived: nobody is left to answer, and it is
            // not the service's fault, so no error and no stack trace.
            LOG.debugf("client closed the connection mid-request: %s", e.getMessage());
            return problem(new ClientClosedProblem(), instance);
        }
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected error, reference %s", reference);
        return body(Response.status(500), "internal-error", "Internal error", 500,
                "An unexpected error occurred; quote reference " + reference + " when reporting it", instance,
                Map.of("reference", reference));
    }

    private static String instance(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }

    private static Response body(Response.ResponseBuilder response, String type, String title, int status,
            String detail, String instance, Map<String, Object> extensions) {
        return response.type(Problem.MEDIA_TYPE)
                .entity(new Problem(type, title, status, detail, instance, extensions))
                .build();
    }

    /** For a body property the field is its path inside the body; for a query or path parameter, its name. */
    private static String fieldOf(ConstraintViolation<?> violation) {
        StringBuilder field = new StringBuilder();
        String parameter = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CONSTRUCTOR) {
                continue;
            }
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
                continue;
            }
            if (node.getName() == null) {
                continue;
            }
            field.append(field.length() == 0 ? "" : ".").append(node.getName());
            if (node.getIndex() != null) {
                field.append('[').append(node.getIndex()).append(']');
            }
        }
        return field.length() > 0 ? field.toString() : parameter == null ? "request" : parameter;
    }

    private static boolean clientLeft(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpClosedException) {
                return true;
            }
        }
        return false;
    }
}
