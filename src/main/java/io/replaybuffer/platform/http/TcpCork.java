package io.replaybuffer.platform.http;

import io.netty.channel.ChannelException;
import io.netty.channel.epoll.EpollSocketChannel;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * TCP_CORK held on a connection while a response that ends in a file goes out, what nginx does with
 * {@code tcp_nopush}: the headers leave in the same packets as the file's first bytes instead of a small packet of
 * their own, which the client wakes up to read alone. Measured side by side on 2 MB downloads (benchmarks.md,
 * "Downloads behind a TCP cork"), corked answers moved a quarter more bytes a second. Only on Linux' epoll transport
 * and HTTP/1.1: on HTTP/2 the connection is shared by other streams, whose small frames would wait behind it.
 */
public final class TcpCork {

    private static final Runnable NOTHING = () -> { };

    private TcpCork() {
    }

    /**
     * Corks {@code request}'s connection if it can be; running the answer uncorks it, which sends what the cork held
     * back. Called on the connection's event loop, as the answer must be.
     */
    public static Runnable hold(HttpServerRequest request) {
        if (request.version() == HttpVersion.HTTP_2 || !(request.connection() instanceof ConnectionBase connection)
                || !(connection.channel() instanceof EpollSocketChannel channel)) {
            return NOTHING;
        }
        if (!cork(channel, true)) {
            return NOTHING;
        }
        return () -> cork(channel, false);
    }

    /** False when the connection is gone (the client left): nothing is held back then. */
    private static boolean cork(EpollSocketChannel channel, boolean on) {
        try {
            channel.config().setTcpCork(on);
            return true;
        } catch (ChannelException closed) {
            return false;
        }
    }
}
