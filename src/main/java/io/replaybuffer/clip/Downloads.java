package io.replaybuffer.clip;

import io.replaybuffer.platform.error.ProblemException;
import io.replaybuffer.platform.http.TcpCork;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.core.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP semantics of a file download: conditional requests (ETag, Last-Modified → 304), one byte range (206, or 416
 * when outside the file), and the file itself handed to Vert.x as a path, which sends it with sendfile: the bytes
 * never pass through the Java heap, behind a TCP cork ({@link TcpCork}).
 */
final class Downloads {

    /** One {@code first-last}, {@code first-} or {@code -suffix} byte range (RFC 9110 §14.1.2). */
    private static final Pattern RANGE = Pattern.compile("bytes=(?:(\\d+)-(\\d*)|-(\\d+))");
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    /** The part of the request that decides the answer. */
    record Request(String range, String ifRange, String ifNoneMatch, String ifModifiedSince) {
    }

    private Downloads() {
    }

    /**
     * Answers {@code request} for {@code file}: 304, 206 with one range, or 200 with the whole file. The body goes
     * out by sendfile on the connection's event loop; a failure after the headers went out (the file vanished, the
     * client left) is {@code failed}'s to handle, like one before them.
     */
    static void send(HttpServerRequest http, Path file, long size, String etag, Instant modified, String fileName,
            String contentType, Request request, Handler<Throwable> failed) {
        HttpServerResponse response = http.response();
        boolean head = http.method() == HttpMethod.HEAD;
        Instant lastModified = modified.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        if (notModified(request, etag, lastModified)) {
            response.setStatusCode(304).putHeader(HttpHeaders.ETAG, etag).end();
            return;
        }
        String range = request.range();
        boolean rangeApplies = range != null && (request.ifRange() == null || request.ifRange().equals(etag));
        Optional<long[]> span = rangeApplies ? span(range.strip(), size) : Optional.empty();
        long first = 0;
        long length = size;
        if (span.isPresent()) {
            first = span.get()[0];
            length = span.get()[1] - first + 1;
            response.setStatusCode(206).putHeader("Content-Range", "bytes " + first + "-" + span.get()[1] + "/" + size);
        }
        // Otherwise (several ranges, another unit, an invalid range) the whole file is the answer (RFC 9110 §14.2).
        response.putHeader(HttpHeaders.CONTENT_TYPE, contentType)
                .putHeader("Accept-Ranges", "bytes")
                .putHeader(HttpHeaders.ETAG, etag)
                .putHeader(HttpHeaders.LAST_MODIFIED, HTTP_DATE.format(lastModified))
                .putHeader("Content-Disposition", disposition(fileName))
                .putHeader(HttpHeaders.CACHE_CONTROL, "private, max-age=86400");
        if (head) {
            // The headers a GET would have, its length included, and no body (RFC 9110 §9.3.2).
            response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length)).end().onFailure(failed);
            return;
        }
        Runnable uncork = TcpCork.hold(http);
        response.sendFile(file.toString(), first, length).onComplete(sent -> uncork.run()).onFailure(failed);
    }

    private static boolean notModified(Request request, String etag, Instant lastModified) {
        if (request.ifNoneMatch() != null) {
            for (String candidate : request.ifNoneMatch().split(",")) {
                String tag = candidate.strip().replaceFirst("^W/", "");
                if (tag.equals("*") || tag.equals(etag)) {
                    return true;
                }
            }
            return false;
        }
        if (request.ifModifiedSince() != null) {
            try {
                Instant since = ZonedDateTime.parse(request.ifModifiedSince(), HTTP_DATE).toInstant();
                return !lastModified.isAfter(since);
            } catch (DateTimeParseException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * First and last byte of a single range; empty when the header is not one valid byte range, such as
     * {@code bytes=5-3}, which RFC 9110 §14.1.1 calls invalid and §14.2 says to ignore. A range that is valid but
     * lies outside the file is 416. Numbers too big for a long are as big as a long: for a first byte that is past
     * any file, for a last byte or a suffix it is "to the end".
     */
    private static Optional<long[]> span(String range, long size) {
        Matcher m = RANGE.matcher(range);
        if (!m.matches()) {
            return Optional.empty();
        }
        long start;
        long end;
        if (m.group(3) != null) {
            long suffix = number(m.group(3));
            if (suffix == 0) {
                throw new RangeNotSatisfiable(size);
            }
            start = Math.max(0, size - suffix);
            end = size - 1;
        } else {
            start = number(m.group(1));
            long last = m.group(2).isEmpty() ? Long.MAX_VALUE : number(m.group(2));
            if (last < start) {
                return Optional.empty();
            }
            end = Math.min(last, size - 1);
        }
        if (start >= size) {
            throw new RangeNotSatisfiable(size);
        }
        return Optional.of(new long[] {start, end});
    }

    /** ASCII digits as a long, saturating at {@link Long#MAX_VALUE}. */
    private static long number(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException tooBig) {
            return Long.MAX_VALUE;
        }
    }

    /** An ASCII fallback name and the exact UTF-8 one (RFC 6266). */
    static String disposition(String name) {
        String ascii = name.replaceAll("[^A-Za-z0-9._ -]", "_");
        String encoded = java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }

    /** 416, telling the client how long the file is. */
    static final class RangeNotSatisfiable extends ProblemException {

        private final long size;

        RangeNotSatisfiable(long size) {
            super("range-not-satisfiable", "Range not satisfiable", 416,
                    "The requested byte range lies outside the file of " + size + " bytes");
            this.size = size;
        }

        @Override
        public java.util.Map<String, Object> extensions() {
            return java.util.Map.of("sizeBytes", size);
        }

        @Override
        public java.util.Map<String, String> headers() {
            return java.util.Map.of("Content-Range", "bytes */" + size);
        }
    }
}
