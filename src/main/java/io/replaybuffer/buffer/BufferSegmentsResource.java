package io.replaybuffer.buffer;

import io.replaybuffer.platform.error.NotFoundProblem;
import io.replaybuffer.platform.security.UrlSigner;
import io.replaybuffer.segment.SegmentIndex;
import io.replaybuffer.segment.SegmentLayout;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import io.replaybuffer.platform.storage.VolumeFiles;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Serves the segments a preview playlist links to. Browser HLS players cannot add a bearer token to each segment
 * request, so these URLs carry a signature and an expiry instead, minted for the buffer's owner by the playlist.
 */
@Path("/api/v1/replay-buffers/{id}/segments")
@PermitAll
@Tag(name = "Replay buffers")
public class BufferSegmentsResource {

    private final UrlSigner signer;
    private final SegmentIndex index;

    BufferSegmentsResource(UrlSigner signer, SegmentIndex index) {
        this.signer = signer;
        this.index = index;
    }

    /** The URL path of a segment, signed as it is sent: a first attempt's braces are percent-encoded. */
    static String path(UUID bufferId, String fileName) {
        return "/api/v1/replay-buffers/" + bufferId + "/segments/" + SegmentLayout.urlPathElement(fileName);
    }

    @GET
    @Path("/{file}")
    @Produces("video/mp2t")
    @Operation(summary = "One MPEG-TS segment of a buffer (signed link from preview.m3u8)")
    public Response segment(@PathParam("id") UUID id, @PathParam("file") String file,
            @QueryParam("expires") Long expires, @QueryParam("signature") String signature) throws IOException {
        if (SegmentLayout.parseSegment(file).isEmpty() || !signer.verify(path(id, file), expires, signature)) {
            throw new NotFoundProblem("segment");
        }
        java.nio.file.Path segment = index.directory(SegmentLayout.dirName(id)).resolve(file);
        // The volume is egress'; a link planted under a segment's name is never followed, a FIFO never opened.
        Optional<BasicFileAttributes> attributes = VolumeFiles.attributes(segment);
        if (attributes.isEmpty() || !attributes.get().isRegularFile()) {
            throw new NotFoundProblem("segment");
        }
        SeekableByteChannel channel = Files.newByteChannel(segment, Set.of(StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS));
        StreamingOutput body = out -> {
            try (InputStream in = Channels.newInputStream(channel)) {
                in.transferTo(out);
            }
        };
        return Response.ok(body, "video/mp2t").header("Cache-Control", "private, max-age=3600").build();
    }
}
