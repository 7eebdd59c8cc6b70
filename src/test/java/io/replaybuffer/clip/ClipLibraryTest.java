package io.replaybuffer.clip;

import static io.replaybuffer.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.Clips;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The library around a READY clip: downloads, links, visibility, paging, deletion and quotas. */
@QuarkusTest
class ClipLibraryTest {

    @InjectFakeLiveKit
    FakeLiveKit fake;

    private Player owner;
    private String clipId;
    private long size;

    @BeforeEach
    void aReadyClip() throws Exception {
        Clips.ReadyClip clip = Clips.ready(fake, "lib", 2, Map.of("durationSeconds", 15));
        owner = clip.owner();
        clipId = clip.id();
        size = clip.sizeBytes();
    }

    @Test
    void downloadsSupportRangesAndConditionalRequests() {
        Response full = as(owner.user()).when().get("/api/v1/clips/" + clipId + "/download");
        full.then().statusCode(200).header("Accept-Ranges", "bytes").header("Content-Length", String.valueOf(size))
                .header("Content-Disposition", org.hamcrest.Matchers.startsWith("attachment; filename="));
        String etag = full.header("ETag");
        String lastModified = full.header("Last-Modified");

        byte[] part = as(owner.user()).header("Range", "bytes=100-199").when().get("/api/v1/clips/" + clipId + "/download")
                .then().statusCode(206).header("Content-Range", "bytes 100-199/" + size).extract().asByteArray();
        byte[] whole = full.asByteArray();
        assertThat(part).isEqualTo(java.util.Arrays.copyOfRange(whole, 100, 200));
        as(owner.user()).header("Range", "bytes=-10").when().get("/api/v1/clips/" + clipId + "/download")
                .then().statusCode(206).header("Content-Range", "bytes " + (size - 10) + "-" + (size - 1) + "/" + size);
        as(owner.user()).header("Range", "bytes=" + size + "-").when().get("/api/v1/clips/" + clipId + "/download")
                .then().statusCode(416).header("Content-Range", "bytes */" + size).contentType("application/problem+json");

        as(owner.user()).header("If-None-Match", etag).when().get("/api/v1/clips/" + clipId + "/download")
                .then().statusCode(304);
        as(owner.user()).header("If-Modified-Since", lastModified).when().get("/api/v1/clips/" + clipId + "/download")
                .then().statusCode(304);
        as(owner.user()).header("If-None-Match", "\"other\"").when().get("/api/v1/clips/" + clipId + "/download")
                .then().statusCode(200);
    }

    /** The file routes live on the router, outside JAX-RS: what JAX-RS gave for free must still hold there. */
    @Test
    void fileRoutesAnswerHeadOddPathsAndKeepMetricsTemplated() {
        String download = "/api/v1/clips/" + clipId + "/download";
        Response head = as(owner.user()).when().head(download);
        head.then().statusCode(200).header("Content-Length", String.valueOf(size)).header("ETag", notNullValue());
        assertThat(head.asByteArray()).isEmpty();
        as(owner.user()).when().get("/api/v1/clips/not-a-clip/download").then().statusCode(404)
                .contentType("application/problem+json").body("type", equalTo("not-found"))
                .body("instance", equalTo("/api/v1/clips/not-a-clip/download"));
        RestAssured.given().when().get(download + "?expires=soon&g=0&signature=x").then().statusCode(404)
                .contentType("application/problem+json");
        as(owner.user()).when().get("/api/v1/clips/" + java.util.UUID.randomUUID() + "/thumbnail.jpg").then()
                .statusCode(404).contentType("application/problem+json");
        // One series for every clip's downloads, named by the route's template, never by a clip's id.
        String metrics = RestAssured.given().when().get("/q/metrics").asString();
        assertThat(metrics).contains("uri=\"/api/v1/clips/{id}/download\"").doesNotContain(clipId);
    }

    @Test
    void aReadyClipWhoseFileIsGoneIsNotFound() throws Exception {
        ClipFiles files = io.quarkus.arc.Arc.container().instance(ClipFiles.class).get();
        Files.delete(files.resolve(ClipFiles.relativePath(java.util.UUID.fromString(clipId), "mp4")));
        as(owner.user()).when().get("/api/v1/clips/" + clipId + "/download").then().statusCode(404)
                .contentType("application/problem+json").body("detail", equalTo("clip file not found"));
    }

    /** Whatever is on the volume in the file's place, only a regular file is sent: a link is not followed. */
    @Test
    void aLinkOrAFifoInTheFilesPlaceIsNotServed() throws Exception {
        ClipFiles files = io.quarkus.arc.Arc.container().instance(ClipFiles.class).get();
        Path file = files.resolve(ClipFiles.relativePath(java.util.UUID.fromString(clipId), "mp4"));
        Path secret = Files.writeString(Files.createTempFile("outside-the-roots", ".txt"), "not for players");
        Files.delete(file);
        Files.createSymbolicLink(file, secret);
        String answer = as(owner.user()).when().get("/api/v1/clips/" + clipId + "/download").then().statusCode(404)
                .contentType("application/problem+json").extract().asString();
        assertThat(answer).doesNotContain("not for players");

        // A FIFO would block whoever opens it; it is refused without being opened (the request does not hang).
        Files.delete(file);
        assertThat(new ProcessBuilder("mkfifo", file.toString()).start().waitFor()).isZero();
        as(owner.user()).when().get("/api/v1/clips/" + clipId + "/download").then().statusCode(404)
                .contentType("application/problem+json");
        Files.delete(file);
        Files.delete(secret);
    }

    /**
     * A download holds a TCP cork on its connection while the file goes out ({@code TcpCork}) and must let go of it
     * when the file is sent: a cork left on holds back each answer's last partial packet for 200 ms, this
     * download's and every later answer's on the connection. Five downloads on one keep-alive connection, each
     * followed by a HEAD (whose small answer the cork would hold back whole): the fastest pair must not wait.
     */
    @Test
    void aDownloadLetsGoOfItsTcpCork() throws Exception {
        URI link = URI.create(as(owner.user()).contentType("application/json").body(Map.of("expiresInSeconds", 600))
                .when().post("/api/v1/clips/" + clipId + "/links").then().statusCode(200).extract().path("url"));
        String path = link.getRawPath() + "?" + link.getRawQuery();
        long fastest = Long.MAX_VALUE;
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                assertThat(exchange(in, out, "GET", path)).isEqualTo(size);
                assertThat(exchange(in, out, "HEAD", path)).isEqualTo(size);
                fastest = Math.min(fastest, System.nanoTime() - start);
            }
        }
        assertThat(Duration.ofNanos(fastest)).isLessThan(Duration.ofMillis(150));
    }

    /** One request on an open HTTP/1.1 connection, its answer read whole; the answer's Content-Length. */
    private static long exchange(InputStream in, OutputStream out, String method, String path) throws IOException {
        out.write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(line(in)).startsWith("HTTP/1.1 200");
        long length = -1;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Long.parseLong(header.substring(15).strip());
            }
        }
        if (!method.equals("HEAD")) {
            in.skipNBytes(length);
        }
        return length;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("the connection closed in the middle of an answer");
            }
            line.append((char) c);
        }
        return line.toString().strip();
    }

    @Test
    void signedLinksWorkWithoutATokenUntilTheyExpire() throws Exception {
        JsonPath link = as(owner.user()).contentType("application/json").body(Map.of("expiresInSeconds", 600))
                .when().post("/api/v1/clips/" + clipId + "/links").then().statusCode(200).extract().jsonPath();
        String url = link.getString("url");
        RestAssured.given().when().get(url).then().statusCode(200).contentType("video/mp4");
        RestAssured.given().when().get(url.replace("signature=", "signature=A")).then().statusCode(404);
        // A link whose time is up, signed as the service would have signed it an hour ago.
        String unsigned = url.substring(0, url.indexOf('?'));
        io.replaybuffer.platform.security.UrlSigner signer = io.quarkus.arc.Arc.container()
                .instance(io.replaybuffer.platform.security.UrlSigner.class).get();
        String old = signer.sign("/api/v1/clips/" + clipId + "/download", java.time.Instant.now().minusSeconds(5));
        RestAssured.given().when().get(old).then().statusCode(410).body("type", equalTo("link-expired"));
        // No token and no signature, or a token that is not one: the download runs on the event loop, where the
        // lazily resolved identity is awaited, not blocked on; both are still a 401 problem.
        RestAssured.given().when().get(unsigned).then().statusCode(401).contentType("application/problem+json");
        RestAssured.given().header("Authorization", "Bearer not.a.token").when().get(unsigned).then().statusCode(401)
                .contentType("application/problem+json");
        as(owner.user()).contentType("application/json").body(Map.of("expiresInSeconds", 5))
                .when().post("/api/v1/clips/" + clipId + "/links").then().statusCode(400);
    }

    @Test
    void anotherUsersPrivateClipIsNotFoundAndPublicOnesAreListed() {
        as("intruder").when().get("/api/v1/clips/" + clipId).then().statusCode(404);
        as("intruder").when().get("/api/v1/clips/" + clipId + "/download").then().statusCode(404);
        as("intruder").when().delete("/api/v1/clips/" + clipId).then().statusCode(404);
        as("intruder").when().get("/api/v1/users/" + owner.user() + "/clips").then().statusCode(200)
                .body("items.size()", equalTo(0));

        as(owner.user()).contentType("application/json").body(Map.of("visibility", "PUBLIC", "title", "GG"))
                .when().patch("/api/v1/clips/" + clipId).then().statusCode(200)
                .body("visibility", equalTo("PUBLIC")).body("title", equalTo("GG"));
        as("intruder").when().get("/api/v1/users/" + owner.user() + "/clips").then().statusCode(200)
                .body("items[0].id", equalTo(clipId));
        // The PATCH made the cache forget the clip: this download reads it from the database (on a worker thread).
        as("intruder").when().get("/api/v1/clips/" + clipId + "/download").then().statusCode(200)
                .header("Content-Disposition", org.hamcrest.Matchers.containsString("filename=\"GG.mp4\""));
        as("intruder").contentType("application/json").body(Map.of("title", "mine now"))
                .when().patch("/api/v1/clips/" + clipId).then().statusCode(403);
        as(owner.user()).contentType("application/json").body(Map.of("visibility", "SECRET"))
                .when().patch("/api/v1/clips/" + clipId).then().statusCode(400);
    }

    @Test
    void listsNewestFirstWithCursorPaging() throws Exception {
        JsonPath buffer = owner.start(600);
        fake.emitSegments(buffer.getString("egressId"), 1);
        String second = Clips.capture(owner.user(), buffer.getString("id"), Map.of("durationSeconds", 5)).getString("id");
        Clips.awaitDone(owner.user(), second);
        JsonPath page1 = as(owner.user()).get("/api/v1/clips?limit=1").jsonPath();
        assertThat(page1.getList("items.id")).containsExactly(second);
        JsonPath page2 = as(owner.user()).get("/api/v1/clips?limit=1&cursor=" + page1.getString("nextCursor")).jsonPath();
        assertThat(page2.getList("items.id")).containsExactly(clipId);
        assertThat(page2.getString("nextCursor")).isNull();
        as(owner.user()).get("/api/v1/clips?cursor=garbage").then().statusCode(400).body("errors[0].field", equalTo("cursor"));
    }

    @Test
    void deletingFreesTheQuotaAndRemovesTheFiles() throws Exception {
        as(owner.user()).get("/api/v1/quota").then().body("clipCount", equalTo(1));
        String relative = QuarkusTransaction.requiringNew().call(() -> Clip.<Clip>findById(java.util.UUID.fromString(clipId)).file.relativePath);
        Path file = Path.of("target/test-data/clips").resolve(relative);
        assertThat(file).exists();
        as(owner.user()).when().delete("/api/v1/clips/" + clipId).then().statusCode(204);
        as(owner.user()).get("/api/v1/quota").then().body("clipCount", equalTo(0)).body("usedBytes", equalTo(0));
        assertThat(file).doesNotExist();
        as(owner.user()).when().get("/api/v1/clips/" + clipId).then().statusCode(404);
    }

    @Test
    void parallelCapturesCannotOvershootTheQuota() throws Exception {
        Player tight = Player.joining(fake, "tight");
        JsonPath buffer = tight.start(600);
        fake.emitSegments(buffer.getString("egressId"), 1);
        QuarkusTransaction.requiringNew().run(() -> {
            io.replaybuffer.clip.quota.UserQuota quota = new io.replaybuffer.clip.quota.UserQuota();
            quota.userId = tight.user();
            quota.limitClips = 1;
            quota.updatedAt = java.time.Instant.now();
            quota.persist();
        });
        List<CompletableFuture<Integer>> attempts = java.util.stream.IntStream.range(0, 2)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> as(tight.user()).contentType("application/json")
                        .body(Map.of("durationSeconds", 5))
                        .post("/api/v1/replay-buffers/" + buffer.getString("id") + "/captures").statusCode()))
                .toList();
        List<Integer> codes = attempts.stream().map(CompletableFuture::join).sorted().toList();
        assertThat(codes).containsExactly(202, 403);
        as(tight.user()).contentType("application/json").body(Map.of("durationSeconds", 5))
                .post("/api/v1/replay-buffers/" + buffer.getString("id") + "/captures")
                .then().statusCode(403).body("type", equalTo("quota-exceeded")).body("limitClips", equalTo(1));
        as(tight.user()).get("/api/v1/quota").then().body("clipCount", equalTo(1));
    }

    @Test
    void twoCapturesOfTheSameBufferAtOnceBothSucceed() throws Exception {
        Player both = Player.joining(fake, "both");
        JsonPath buffer = both.start(600);
        fake.emitSegments(buffer.getString("egressId"), 2);
        List<CompletableFuture<String>> clips = java.util.stream.IntStream.range(0, 2)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> Clips.capture(both.user(), buffer.getString("id"),
                        Map.of("durationSeconds", 10 + i)).getString("id")))
                .toList();
        for (CompletableFuture<String> clip : clips) {
            assertThat(Clips.awaitDone(both.user(), clip.join()).getString("status")).isEqualTo("READY");
        }
        assertThat(Files.size(Clips.download(both.user(), clips.get(1).join()))).isPositive();
    }
}
