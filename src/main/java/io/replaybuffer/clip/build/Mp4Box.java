package io.replaybuffer.clip.build;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * A box: where it starts, its size, and where its body starts (past size, type and any 64-bit size). Inside the
 * moov these are offsets into the buffer holding the moov's body; for a top-level box, {@code start} is a file
 * offset and {@code body} the header's length.
 */
record Mp4Box(long start, long size, int body, String type) {

    /** A top-level box of the file. */
    static Mp4Box find(FileChannel file, long from, long end, String type) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(16);
        for (long at = from; at + 8 <= end; ) {
            header.clear();
            file.read(header, at);
            long size = Integer.toUnsignedLong(header.getInt(0));
            if (size == 1) {
                size = header.getLong(8);
            } else if (size == 0) {
                size = end - at;
            }
            if (size < 8) {
                return null;
            }
            if (type.equals(type(header, 4))) {
                return new Mp4Box(at, size, header.getInt(0) == 1 ? 16 : 8, type);
            }
            at += size;
        }
        return null;
    }

    /** The first child of {@code parent} of that type; {@code parent} may be the moov (read into the buffer). */
    static Mp4Box in(ByteBuffer data, Mp4Box parent, String type) {
        return scan(data, parent.body, parent, type);
    }

    static Mp4Box next(ByteBuffer data, Mp4Box parent, Mp4Box after, String type) {
        return scan(data, (int) (after.start + after.size), parent, type);
    }

    private static Mp4Box scan(ByteBuffer data, int from, Mp4Box parent, String type) {
        int end = (int) (parent.start + parent.size);
        for (int at = from; at + 8 <= end; ) {
            long size = Integer.toUnsignedLong(data.getInt(at));
            int header = 8;
            if (size == 1) {
                size = data.getLong(at + 8);
                header = 16;
            }
            if (size < 8 || at + size > end) {
                return null;
            }
            if (type.equals(type(data, at + 4))) {
                return new Mp4Box(at, size, at + header, type);
            }
            at += (int) size;
        }
        return null;
    }

    /** The four-character type at {@code at}. */
    static String type(ByteBuffer data, int at) {
        byte[] type = new byte[4];
        data.get(at, type);
        return new String(type, StandardCharsets.US_ASCII);
    }

    /**
     * A file's moov body, read whole (tens of kB) so boxes inside are addressed by offsets into {@code data}, where
     * {@code root} is the moov itself; {@link #at} turns such an offset back into a file position.
     */
    record Moov(ByteBuffer data, Mp4Box root, long bodyAt) {

        static Moov read(FileChannel file, java.nio.file.Path mp4) throws IOException {
            Mp4Box found = find(file, 0, file.size(), "moov");
            if (found == null) {
                throw new IOException("no moov box in " + mp4.getFileName());
            }
            ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(found.size() - found.body()));
            file.read(data, found.start() + found.body());
            return new Moov(data, new Mp4Box(0, data.capacity(), 0, "moov"), found.start() + found.body());
        }

        long at(long offset) {
            return bodyAt + offset;
        }

        /** Writes the (changed) body back in place: sizes never change, so nothing moves. */
        void write(FileChannel file) throws IOException {
            data.rewind();
            file.write(data, bodyAt);
        }
    }
}
