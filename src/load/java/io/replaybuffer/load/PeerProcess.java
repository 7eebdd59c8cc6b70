package io.replaybuffer.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** A peer server run as this process' child: started, awaited until it answers, stopped at the end of the run. */
final class PeerProcess implements AutoCloseable {

    private final Process process;

    private PeerProcess(Process process) {
        this.process = process;
    }

    /** Starts {@code command} and waits up to {@code within} for {@code probe} to answer {@code status}. */
    static PeerProcess start(String name, ProcessBuilder command, URI probe, int status, Duration within)
            throws IOException {
        PeerProcess peer = new PeerProcess(command.start());
        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await(name + " up").atMost(within).ignoreExceptions().until(() -> http.send(
                HttpRequest.newBuilder(probe).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == status);
        return peer;
    }

    /** The process whose CPU time counts as the peer's (with its children's). */
    ProcessHandle handle() {
        return process.toHandle();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
