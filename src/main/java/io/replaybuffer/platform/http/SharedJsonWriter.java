package io.replaybuffer.platform.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import org.jboss.resteasy.reactive.server.jackson.JacksonMessageBodyWriterUtil;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/**
 * Writes a {@link SharedJson} body from bytes rendered once per instance, with the same ObjectMapper and writer
 * settings as Quarkus REST's own Jackson writer, so the output is the same. Why: a cached library page is sent
 * thousands of times a second under load, and rendering it each time (its timestamps above all) was most of what
 * the service allocated per request, which set how often the young generation was collected, and so the p99.
 *
 * <p>Keyed by identity and held weakly: an instance's bytes live as long as something (the clip cache) still hands
 * that instance out, and are bounded in total in case many large pages are alive at once.
 */
@Provider
@Produces(MediaType.APPLICATION_JSON)
public class SharedJsonWriter implements ServerMessageBodyWriter<SharedJson> {

    private static final long MAX_BYTES = 16L << 20;

    private final ObjectWriter writer;
    private final Cache<SharedJson, byte[]> rendered = Caffeine.newBuilder().weakKeys().maximumWeight(MAX_BYTES)
            .<SharedJson, byte[]>weigher((value, bytes) -> bytes.length).build();

    SharedJsonWriter(ObjectMapper mapper) {
        this.writer = JacksonMessageBodyWriterUtil.createDefaultWriter(mapper);
    }

    /** The JSON of {@code value}, rendered on its first use. */
    byte[] bytes(SharedJson value) {
        return rendered.get(value, this::render);
    }

    /** What was rendered for {@code value} so far, if anything (for checks: it renders nothing). */
    byte[] rendered(SharedJson value) {
        return rendered.getIfPresent(value);
    }

    private byte[] render(SharedJson value) {
        try {
            return writer.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo target,
            MediaType mediaType) {
        return SharedJson.class.isAssignableFrom(type);
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return SharedJson.class.isAssignableFrom(type);
    }

    @Override
    public void writeResponse(SharedJson value, Type genericType, ServerRequestContext context) {
        context.serverResponse().end(bytes(value));
    }

    @Override
    public void writeTo(SharedJson value, Class<?> type, Type genericType, Annotation[] annotations,
            MediaType mediaType, MultivaluedMap<String, Object> headers, OutputStream out) throws IOException {
        out.write(bytes(value));
    }
}
