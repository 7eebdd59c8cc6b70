package io.replaybuffer.load;

import io.replaybuffer.testing.TestServices;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The peer: nginx serving the same bytes as the service from files (the list and clip JSON as the service answered
 * them, the clips' MP4s by sendfile), with a configuration generated under target/load/nginx and nginx run in the
 * foreground as this process' child, on 127.0.0.1 only. Every path the service answers has its twin here.
 */
final class PeerNginx implements AutoCloseable {

    private final Path root = Path.of("target/load/nginx").toAbsolutePath();
    private final Path www = root.resolve("www");
    private final int port;
    private PeerProcess process;

    PeerNginx() throws IOException {
        this.port = TestServices.freePort();
        Files.createDirectories(www.resolve("api/v1/clips"));
        Files.createDirectories(root.resolve("logs"));
    }

    /** Where it serves its files from. */
    Path www() {
        return www;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Serves {@code body} at {@code path}, and at /api/v1/clips whatever its query (as for any static file). */
    void serve(String path, byte[] body) throws IOException {
        String relative = path.startsWith("/api/v1/clips?") ? "api/v1/clips/index.json" : path.replaceFirst("^/", "");
        Path file = www.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, body);
    }

    /** Serves a copy of {@code file} at {@code path}. */
    void serve(String path, Path file) throws IOException {
        Path copy = www.resolve(path.replaceFirst("^/", ""));
        Files.createDirectories(copy.getParent());
        Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        // nginx' workers drop root (www-data on Debian); a temporary file's 0600 would be refused to them.
        Files.setPosixFilePermissions(copy, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }

    PeerNginx start() throws IOException {
        String conf = """
                daemon off;
                worker_processes auto;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 4096; }
                http {
                    access_log off;
                    sendfile on;
                    tcp_nopush on;
                    keepalive_requests 1000000;
                    client_body_temp_path %1$s/tmp;
                    proxy_temp_path %1$s/tmp;
                    fastcgi_temp_path %1$s/tmp;
                    uwsgi_temp_path %1$s/tmp;
                    scgi_temp_path %1$s/tmp;
                    types { application/json json; video/mp4 mp4; }
                    default_type application/json;
                    server {
                        listen 127.0.0.1:%2$d;
                        root %1$s/www;
                        index index.json;
                        location = /api/v1/clips { try_files /api/v1/clips/index.json =404; }
                        location /captures { return 202 '{"status":"PROCESSING"}'; }
                    }
                }
                """.formatted(root, port);
        Files.createDirectories(root.resolve("tmp"));
        Path file = root.resolve("nginx.conf");
        Files.writeString(file, conf);
        process = PeerProcess.start("nginx", new ProcessBuilder(nginx(), "-p", root.toString(), "-c", file.toString())
                .redirectErrorStream(true).redirectOutput(root.resolve("logs/stdout.log").toFile()),
                URI.create(url() + "/api/v1/clips"), 200, Duration.ofSeconds(20));
        return this;
    }

    /** The nginx master; its workers are its children. */
    ProcessHandle handle() {
        return process.handle();
    }

    /** nginx from PATH or Debian's place for it (scripts/bench installs it when missing). */
    private static String nginx() {
        for (String candidate : List.of("/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return "nginx";
    }

    @Override
    public void close() throws Exception {
        if (process != null) {
            process.close();
        }
    }
}
