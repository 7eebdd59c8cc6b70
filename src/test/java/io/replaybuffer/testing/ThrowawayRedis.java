package io.replaybuffer.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of the test's own, on a port of its own, that the test may stop (the process dies: connections
 * reset, new ones refused), freeze (SIGSTOP: connections stay open and nothing answers) and start again on the same
 * port. Only this process is ever signalled, by its pid. Keeps nothing on disk.
 */
public final class ThrowawayRedis implements AutoCloseable {

    private final int port;
    private Process process;
    private boolean frozen;

    public ThrowawayRedis(int port) {
        this.port = port;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** Starts the server (or thaws it) and returns once it answers PING. */
    public synchronized ThrowawayRedis start() {
        if (frozen) {
            thaw();
        }
        if (running()) {
            return this;
        }
        String binary = OsTools.require("redis-server", "redis-server");
        try {
            process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> "+PONG".equals(command("PING")));
        return this;
    }

    /** Kills the server (SIGKILL): its clients see their connections reset and new ones refused. */
    public synchronized void stop() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
            frozen = false;
        }
    }

    /** SIGSTOP: the kernel still accepts connections, the server answers nothing. */
    public synchronized void freeze() {
        signal("STOP");
        frozen = true;
    }

    /** SIGCONT after {@link #freeze()}. */
    public synchronized void thaw() {
        signal("CONT");
        frozen = false;
    }

    /** PUBLISH, as another replica would: returns how many subscribers got the message. */
    public long publish(String channel, String message) throws IOException {
        String reply = command("PUBLISH", channel, message);
        return Long.parseLong(reply.substring(1));
    }

    /** Sends one command over a fresh connection and returns the first line of the reply. */
    public String command(String... words) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder("*").append(words.length).append("\r\n");
            for (String word : words) {
                byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
                request.append('$').append(bytes.length).append("\r\n").append(word).append("\r\n");
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) >= 0 && c != '\r'; ) {
                line.append((char) c);
            }
            return line.toString();
        }
    }

    private void signal(String signal) {
        if (!running()) {
            throw new IllegalStateException("redis-server is not running");
        }
        try {
            OsTools.exec(new ProcessBuilder(List.of("kill", "-" + signal, Long.toString(process.pid()))),
                    Duration.ofSeconds(5));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stop(); // SIGKILL ends a frozen process too
    }
}
