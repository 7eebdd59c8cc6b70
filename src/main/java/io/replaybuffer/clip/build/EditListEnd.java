package io.replaybuffer.clip.build;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Ends an MP4's video presentation at a given time through its edit list, leaving the samples in place.
 *
 * <p>Why: with B-frames, frames shown just before the requested end are decoded from a reference frame shown just
 * after it (decode order runs ahead of display order). Leaving that reference out breaks the last frames; writing it
 * makes it shown, and the clip runs up to a few frames long. The MP4 way is to write it and end the edit list at the
 * requested instant, so players decode it but never show it. FFmpeg's MP4 muxer always ends the edit list after the
 * last sample and has no option for an earlier end, so after it has finished, this shortens three fields in place:
 * the video track's last edit ({@code elst}), that track's duration ({@code tkhd}) and the movie's ({@code mvhd}).
 * Nothing moves and no size changes. The moov is at the front (reserved space, or {@code +faststart}).
 */
final class EditListEnd {

    private EditListEnd() {
    }

    /** Ends the video track's presentation {@code seconds} after its start, if it runs longer. */
    static void trimVideo(Path mp4, double seconds) throws IOException {
        try (FileChannel file = FileChannel.open(mp4, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Box found = Box.find(file, 0, file.size(), "moov");
            if (found == null) {
                throw new IOException("no moov box in " + mp4.getFileName());
            }
            // The moov's body, read whole (tens of kB): boxes inside are addressed by offsets into it.
            ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(found.size - found.body));
            file.read(data, found.start + found.body);
            Box moov = new Box(0, data.capacity(), 0, "moov");
            Box movieHeader = Box.in(data, moov, "mvhd");
            long timescale = Integer.toUnsignedLong(data.getInt(movieHeader.body + (version(data, movieHeader) == 1 ? 20 : 12)));
            long wanted = (long) Math.ceil(seconds * timescale - 1e-6);
            long longest = 0;
            for (Box trak = Box.in(data, moov, "trak"); trak != null; trak = Box.next(data, moov, trak, "trak")) {
                Box trackHeader = Box.in(data, trak, "tkhd");
                if (isVideo(data, trak)) {
                    long total = shortenEdits(data, trak, wanted);
                    if (total >= 0) {
                        put(data, trackHeader, version(data, trackHeader) == 1 ? 28 : 20, total);
                    }
                }
                longest = Math.max(longest, get(data, trackHeader, version(data, trackHeader) == 1 ? 28 : 20));
            }
            put(data, movieHeader, version(data, movieHeader) == 1 ? 24 : 16, longest);
            data.rewind();
            file.write(data, found.start + found.body);
        }
    }

    /** Cuts the edits to {@code wanted} in all; the new total, or -1 when there is no edit list. */
    private static long shortenEdits(ByteBuffer data, Box trak, long wanted) {
        Box edts = Box.in(data, trak, "edts");
        Box elst = edts == null ? null : Box.in(data, edts, "elst");
        if (elst == null) {
            return -1;
        }
        boolean wide = version(data, elst) == 1;
        int entries = data.getInt(elst.body + 4);
        int entrySize = wide ? 20 : 12;
        long total = 0;
        for (int i = 0; i < entries; i++) {
            int at = elst.body + 8 + i * entrySize;
            long duration = wide ? data.getLong(at) : Integer.toUnsignedLong(data.getInt(at));
            long kept = Math.min(duration, Math.max(0, wanted - total));
            if (wide) {
                data.putLong(at, kept);
            } else {
                data.putInt(at, (int) kept);
            }
            total += kept;
        }
        return total;
    }

    private static boolean isVideo(ByteBuffer data, Box trak) {
        Box mdia = Box.in(data, trak, "mdia");
        Box hdlr = mdia == null ? null : Box.in(data, mdia, "hdlr");
        return hdlr != null && "vide".equals(type(data, hdlr.body + 8));
    }

    private static int version(ByteBuffer data, Box box) {
        return data.get(box.body) & 0xff;
    }

    private static long get(ByteBuffer data, Box box, int offset) {
        return version(data, box) == 1 ? data.getLong(box.body + offset)
                : Integer.toUnsignedLong(data.getInt(box.body + offset));
    }

    private static void put(ByteBuffer data, Box box, int offset, long value) {
        if (version(data, box) == 1) {
            data.putLong(box.body + offset, value);
        } else {
            data.putInt(box.body + offset, (int) Math.min(value, 0xffff_ffffL));
        }
    }

    private static String type(ByteBuffer data, int at) {
        byte[] type = new byte[4];
        data.get(at, type);
        return new String(type, StandardCharsets.US_ASCII);
    }

    /**
     * A box: where it starts, its size, and where its body starts (past size, type and any 64-bit size). Inside the
     * moov these are offsets into the buffer holding the moov's body; for a top-level box, {@code start} is a file
     * offset and {@code body} the header's length.
     */
    private record Box(long start, long size, int body, String type) {

        /** A top-level box of the file. */
        static Box find(FileChannel file, long from, long end, String type) throws IOException {
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
                if (type.equals(EditListEnd.type(header, 4))) {
                    return new Box(at, size, header.getInt(0) == 1 ? 16 : 8, type);
                }
                at += size;
            }
            return null;
        }

        /** The first child of {@code parent} of that type; {@code parent} may be the moov (read into the buffer). */
        static Box in(ByteBuffer data, Box parent, String type) {
            return scan(data, parent.body, parent, type);
        }

        static Box next(ByteBuffer data, Box parent, Box after, String type) {
            return scan(data, (int) (after.start + after.size), parent, type);
        }

        private static Box scan(ByteBuffer data, int from, Box parent, String type) {
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
                if (type.equals(EditListEnd.type(data, at + 4))) {
                    return new Box(at, size, at + header, type);
                }
                at += (int) size;
            }
            return null;
        }
    }
}
