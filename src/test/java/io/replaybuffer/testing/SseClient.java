package io.replaybuffer.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** Reads a Server-Sent Events stream in the background and keeps its lines for assertions. */
public final class SseClient implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private final CompletableFuture<Void> finished;
    private final java.util.concurrent.atomic.AtomicReference<Stream<String>> body =
            new java.util.concurrent.atomic.AtomicReference<>();
    private volatile boolean closed;

    public SseClient(URI uri, String bearer) {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + bearer)
                .header("Accept", "text/event-stream").timeout(Duration.ofMinutes(1)).build();
        response = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        finished = response.thenAccept(r -> {
            body.set(r.body());
            if (closed) {
                r.body().close();
                return;
            }
            r.body().forEach(line -> {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            });
        });
    }

    /** The response's status once its head has arrived (429 when the stream was refused), else 0. */
    public int status() {
        return response.isDone() && !response.isCompletedExceptionally() ? response.join().statusCode() : 0;
    }

    /** True once the server has ended the response. */
    public boolean ended() {
        return finished.isDone();
    }

    public List<String> lines() {
        return lines;
    }

    public boolean connected() {
        return lines.contains(":connected");
    }

    /** True once an event named {@code event} whose data contains {@code text} has arrived. */
    public boolean received(String event, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals("event:" + event)) {
                for (int j = i + 1; j < lines.size() && !lines.get(j).isEmpty(); j++) {
                    if (lines.get(j).startsWith("data:") && lines.get(j).contains(text)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Blocks (without burning a core) until {@link #received} holds or the timeout passes. */
    public boolean await(String event, String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (!received(event, text)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lines.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** Hangs up, as a closed tab does: the server sees the connection go. */
    @Override
    public void close() {
        closed = true;
        response.cancel(true);
        Stream<String> lines = body.get();
        if (lines != null) {
            lines.close();
        }
    }
}
