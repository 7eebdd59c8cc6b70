package io.replaybuffer.clip.build;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;

/**
 * Demuxes a build's segments on a second thread, one segment ahead of the one being muxed.
 *
 * <p>Why: demuxing MPEG-TS (with FFmpeg's H.264 parser splitting every access unit) costs about as much CPU as
 * muxing the MP4, and a build is otherwise one thread; overlapping them cuts a ten-minute 1080p60 build by about a
 * third on two cores. At most three segments are in memory (being muxed, waiting, being read). Packets come from a
 * pool the muxing side gives back a segment at a time, so reading allocates no Java objects per packet once warm.
 * The thread's name starts with {@code clip-build-} like the build threads', so it counts as the build's.
 */
final class ReadAhead implements AutoCloseable {

    /** One segment, read whole: its open demuxer (for stream indices and time bases) and its packets in order. */
    static final class Segment {
        final AVFormatContext context;
        private final List<AVPacket> packets = new ArrayList<>();
        private int next;

        private Segment(AVFormatContext context) {
            this.context = context;
        }

        /** Moves the next packet's reference into {@code into} (which must be blank); false at the end. */
        boolean next(AVPacket into) {
            if (next == packets.size()) {
                return false;
            }
            avcodec.av_packet_move_ref(into, packets.get(next++));
            return true;
        }
    }

    /** What the reader hands over: a segment, or why it could not read one. */
    private record Item(Segment segment, IOException failure) {
    }

    private final BlockingQueue<Item> ready = new ArrayBlockingQueue<>(1);
    private final ArrayDeque<AVPacket> pool = new ArrayDeque<>();
    private final List<Path> files;
    private final Thread thread;
    private volatile boolean closed;

    /** Starts reading {@code files} in order. */
    ReadAhead(List<Path> files, String name) {
        this.files = files;
        this.thread = new Thread(this::run, "clip-build-read-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** The next segment, waiting for it if need be. */
    Segment next() throws IOException {
        try {
            Item item = ready.take();
            if (item.failure() != null) {
                throw item.failure();
            }
            return item.segment();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading segments", e);
        }
    }

    /** Gives a segment back once muxed (or abandoned): its demuxer closes and its packets return to the pool. */
    void release(Segment segment) {
        avformat.avformat_close_input(segment.context);
        synchronized (pool) {
            for (AVPacket packet : segment.packets) {
                avcodec.av_packet_unref(packet); // blank already unless the build stopped inside this segment
                pool.push(packet);
            }
        }
    }

    private void run() {
        for (Path file : files) {
            Segment segment = null;
            try {
                segment = new Segment(StreamCopyMp4.open(file, false));
                AVPacket packet = take();
                while (!closed && avformat.av_read_frame(segment.context, packet) >= 0) {
                    segment.packets.add(packet);
                    packet = take();
                }
                synchronized (pool) {
                    pool.push(packet);
                }
                if (closed) {
                    release(segment);
                    return;
                }
                ready.put(new Item(segment, null));
            } catch (IOException e) {
                if (segment != null) {
                    release(segment);
                }
                offer(new Item(null, e));
                return;
            } catch (InterruptedException e) {
                if (segment != null) {
                    release(segment); // closed while waiting to hand it over
                }
                return;
            } catch (RuntimeException | Error e) {
                // Never leave the build waiting for a segment that will not come.
                offer(new Item(null, new IOException("reading " + file.getFileName() + " failed", e)));
                throw e;
            }
        }
    }

    private AVPacket take() {
        synchronized (pool) {
            AVPacket packet = pool.poll();
            return packet != null ? packet : avcodec.av_packet_alloc();
        }
    }

    private void offer(Item item) {
        try {
            ready.put(item);
        } catch (InterruptedException e) {
            // closed: nobody is waiting for it
        }
    }

    /** Stops reading, and frees what was read and not taken, and the pool. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Item item; (item = ready.poll()) != null; ) {
            if (item.segment() != null) {
                release(item.segment());
            }
        }
        synchronized (pool) {
            pool.forEach(avcodec::av_packet_free);
            pool.clear();
        }
    }
}
