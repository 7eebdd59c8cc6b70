package io.replaybuffer.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder in front of a real server that a test can break and mend: {@link #cut()} resets every connection
 * and refuses new ones (the server process died), {@link #freeze()} lets nothing through while keeping connections
 * open (a network that silently drops packets), {@link #restore()} forwards again. The server itself is never
 * touched, so suites sharing it are not disturbed.
 */
public final class TcpProxy implements AutoCloseable {

    private enum State { OPEN, FROZEN, CUT }

    private final String host;
    private final int port;
    private final ServerSocket listener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile State state = State.OPEN;

    public TcpProxy(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        this.listener = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        daemon("proxy-accept-" + port, this::acceptLoop);
    }

    /** The local port to connect to instead of the server's. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Resets every open connection and refuses new ones until {@link #restore()}. */
    public void cut() {
        move(State.CUT);
        for (Socket socket : sockets) {
            reset(socket);
        }
    }

    /** Stops every byte in both directions, and holds new connections unanswered, until {@link #restore()}. */
    public void freeze() {
        move(State.FROZEN);
    }

    /** Forwards again; what was held while frozen goes through if its ends are still there. */
    public void restore() {
        move(State.OPEN);
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cut();
    }

    private void move(State next) {
        synchronized (gate) {
            state = next;
            gate.notifyAll();
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            if (state == State.CUT) {
                reset(client);
                continue;
            }
            sockets.add(client);
            daemon("proxy-link-" + port, () -> link(client));
        }
    }

    private void link(Socket client) {
        Socket server = null;
        try {
            awaitPassable();
            server = new Socket(host, port);
            sockets.add(server);
            Socket upstream = server;
            daemon("proxy-up-" + port, () -> pump(client, upstream));
            pump(server, client);
        } catch (IOException e) {
            reset(client);
            if (server != null) {
                reset(server);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                awaitPassable();
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one end went away, or the link was cut: close both below
        } finally {
            reset(from);
            reset(to);
        }
    }

    /** Blocks while frozen; fails once cut, so the link is dropped rather than resumed. */
    private void awaitPassable() throws IOException {
        synchronized (gate) {
            while (state == State.FROZEN) {
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("proxy stopped");
                }
            }
            if (state == State.CUT) {
                throw new IOException("cut");
            }
        }
    }

    /** Closes with a TCP reset, as a dead server's kernel answers, rather than an orderly FIN. */
    private void reset(Socket socket) {
        sockets.remove(socket);
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed
        }
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }
}
