package io.replaybuffer.clip.build;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
            Mp4Box.Moov read = Mp4Box.Moov.read(file, mp4);
            ByteBuffer data = read.data();
            Mp4Box moov = read.root();
            Mp4Box movieHeader = Mp4Box.in(data, moov, "mvhd");
            long timescale = Integer.toUnsignedLong(data.getInt(movieHeader.body() + (version(data, movieHeader) == 1 ? 20 : 12)));
            long wanted = (long) Math.ceil(seconds * timescale - 1e-6);
            long longest = 0;
            for (Mp4Box trak = Mp4Box.in(data, moov, "trak"); trak != null; trak = Mp4Box.next(data, moov, trak, "trak")) {
                Mp4Box trackHeader = Mp4Box.in(data, trak, "tkhd");
                if (isVideo(data, trak)) {
                    long total = shortenEdits(data, trak, wanted);
                    if (total >= 0) {
                        put(data, trackHeader, version(data, trackHeader) == 1 ? 28 : 20, total);
                    }
                }
                longest = Math.max(longest, get(data, trackHeader, version(data, trackHeader) == 1 ? 28 : 20));
            }
            put(data, movieHeader, version(data, movieHeader) == 1 ? 24 : 16, longest);
            read.write(file);
        }
    }

    /** Cuts the edits to {@code wanted} in all; the new total, or -1 when there is no edit list. */
    private static long shortenEdits(ByteBuffer data, Mp4Box trak, long wanted) {
        Mp4Box edts = Mp4Box.in(data, trak, "edts");
        Mp4Box elst = edts == null ? null : Mp4Box.in(data, edts, "elst");
        if (elst == null) {
            return -1;
        }
        boolean wide = version(data, elst) == 1;
        int entries = data.getInt(elst.body() + 4);
        int entrySize = wide ? 20 : 12;
        long total = 0;
        for (int i = 0; i < entries; i++) {
            int at = elst.body() + 8 + i * entrySize;
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

    private static boolean isVideo(ByteBuffer data, Mp4Box trak) {
        Mp4Box mdia = Mp4Box.in(data, trak, "mdia");
        Mp4Box hdlr = mdia == null ? null : Mp4Box.in(data, mdia, "hdlr");
        return hdlr != null && "vide".equals(Mp4Box.type(data, hdlr.body() + 8));
    }

    private static int version(ByteBuffer data, Mp4Box box) {
        return data.get(box.body()) & 0xff;
    }

    private static long get(ByteBuffer data, Mp4Box box, int offset) {
        return version(data, box) == 1 ? data.getLong(box.body() + offset)
                : Integer.toUnsignedLong(data.getInt(box.body() + offset));
    }

    private static void put(ByteBuffer data, Mp4Box box, int offset, long value) {
        if (version(data, box) == 1) {
            data.putLong(box.body() + offset, value);
        } else {
            data.putInt(box.body() + offset, (int) Math.min(value, 0xffff_ffffL));
        }
    }

}
