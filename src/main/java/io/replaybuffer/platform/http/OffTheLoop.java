package io.replaybuffer.platform.http;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Blocking work (the database) asked for by code that may run on a Vert.x event loop, which must never wait: the
 * read endpoints answer there from the cache, and only a miss costs the hand-over to a worker thread and back.
 */
public final class OffTheLoop {

    private OffTheLoop() {
    }

    /**
     * {@code work} on a worker thread, its result coming back on the caller's event loop (Vert.x' own hand-over);
     * on any other thread (a worker, a scheduled job), right there when subscribed to.
     */
    public static <T> Uni<T> call(Supplier<T> work) {
        Context context = Vertx.currentContext();
        if (context == null || !Context.isOnEventLoopThread()) {
            return Uni.createFrom().item(work);
        }
        return Uni.createFrom().completionStage(() -> context.executeBlocking(work::get, false).toCompletionStage());
    }
}
