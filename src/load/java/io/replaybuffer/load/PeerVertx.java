package io.replaybuffer.load;

import io.replaybuffer.testing.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The second download peer: the HTTP stack the service is built on, Vert.x with Netty's epoll transport, and
 * nothing else, sending nginx' copy of each clip with {@code sendFile} from a JVM of its own (so its CPU time is its
 * own). Where the service stands between this and nginx says how much of the gap is its own code and how much the
 * runtime's: Vert.x sends a file in 1 MiB regions, one after the other, and answers from a JVM.
 */
final class PeerVertx implements AutoCloseable {

    private final Path www;
    private final int port;
    private PeerProcess process;

    PeerVertx(Path www) throws IOException {
        this.www = www;
        this.port = TestServices.freePort();
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    PeerVertx start() throws IOException {
        process = PeerProcess.start("bare Vert.x", new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), Server.class.getName(), Integer.toString(port),
                www.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD),
                URI.create(url() + "/up"), 404, Duration.ofSeconds(30));
        return this;
    }

    ProcessHandle handle() {
        return process.handle();
    }

    @Override
    public void close() throws Exception {
        if (process != null) {
            process.close();
        }
    }

    /** The peer's process: as the service's HTTP server is set up, one server per event loop on one port. */
    public static final class Server {

        public static void main(String[] args) {
            int port = Integer.parseInt(args[0]);
            Path root = Path.of(args[1]);
            Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
            if (!vertx.isNativeTransportEnabled()) {
                throw new IllegalStateException("no epoll transport", vertx.unavailableNativeTransportCause());
            }
            for (int i = 0; i < VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE; i++) {
                vertx.createHttpServer(new HttpServerOptions()).requestHandler(request -> {
                    Path file = root.resolve(request.path().substring(1)).normalize();
                    if (!file.startsWith(root) || !file.toFile().isFile()) {
                        request.response().setStatusCode(404).end();
                        return;
                    }
                    request.response().putHeader("Content-Type", "video/mp4").sendFile(file.toString());
                }).listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
            }
        }
    }
}
