package io.replaybuffer.clip.build;

import io.replaybuffer.clip.ClipMarker;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.bytedeco.ffmpeg.avformat.AVChapter;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * A clip's markers as MP4 chapters, one per marker, titled with its label: from the marker's offset to the next one
 * (the last to the clip's end). They are set on the output context before its header is written and FFmpeg's MP4
 * muxer writes them twice: as a Nero {@code chpl} box (exact start times) and as a QuickTime chapter track that the
 * other tracks reference ({@code tref/chap}). FFmpeg's own demuxer (ffprobe, mpv, VLC) prefers that track and reads
 * its first sample as starting at 0, whatever the first marker's offset (it ignores the track's edit list), so a clip
 * whose first marker is not at its very start would show a wrong first chapter. {@link #preferExactStarts} turns
 * that track and the references to it into {@code free} boxes once the file is written: readers then take the
 * {@code chpl} chapters.
 * Everything is allocated with FFmpeg's allocator because {@code avformat_free_context} frees it.
 */
final class Chapters {

    /** Chapter times in milliseconds: finer than any label needs, and exact for the offsets we store. */
    private static final int MILLIS = 1000;

    private Chapters() {
    }

    /** Adds {@code markers} (oldest first, offsets from the clip's start) to {@code out} as chapters. */
    static void add(AVFormatContext out, List<ClipMarker> markers, Duration length) {
        if (markers.isEmpty()) {
            return;
        }
        long end = length.toMillis();
        int count = markers.size();
        PointerPointer<AVChapter> array = new PointerPointer<>(avutil.av_calloc(count, Pointer.sizeof(PointerPointer.class)));
        out.chapters(array);
        for (int i = 0; i < count; i++) {
            ClipMarker marker = markers.get(i);
            long start = Math.min(end, Math.max(0, Math.round(marker.offsetSeconds() * MILLIS)));
            long next = i + 1 < count ? Math.min(end, Math.round(markers.get(i + 1).offsetSeconds() * MILLIS)) : end;
            AVChapter chapter = new AVChapter(avutil.av_mallocz(Pointer.sizeof(AVChapter.class)));
            chapter.id(i + 1);
            chapter.time_base(avutil.av_make_q(1, MILLIS));
            chapter.start(start);
            chapter.end(Math.max(start, next));
            AVDictionary metadata = new AVDictionary(null);
            try (BytePointer key = new BytePointer("title", StandardCharsets.US_ASCII);
                    BytePointer title = new BytePointer(marker.label(), StandardCharsets.UTF_8)) {
                avutil.av_dict_set(metadata, key, title, 0);
            }
            chapter.metadata(metadata);
            out.chapters(i, chapter);
            out.nb_chapters(i + 1); // counted as they are set: a context freed half-way frees exactly these
        }
    }

    /**
     * Hides the chapter track and the references to it ({@code tref} boxes holding only {@code chap}) by renaming
     * them {@code free}: same size, nothing moves. Readers then list the {@code chpl} chapters, with their exact start
     * times, and see no extra text track.
     */
    static void preferExactStarts(Path mp4) throws IOException {
        try (FileChannel file = FileChannel.open(mp4, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Mp4Box.Moov read = Mp4Box.Moov.read(file, mp4);
            ByteBuffer data = read.data();
            Mp4Box moov = read.root();
            java.util.Set<Integer> chapterTracks = new java.util.HashSet<>();
            for (Mp4Box trak = Mp4Box.in(data, moov, "trak"); trak != null; trak = Mp4Box.next(data, moov, trak, "trak")) {
                Mp4Box tref = Mp4Box.in(data, trak, "tref");
                Mp4Box chap = tref == null ? null : Mp4Box.in(data, tref, "chap");
                if (chap != null && chap.start() == tref.body() && chap.start() + chap.size() == tref.start() + tref.size()) {
                    for (int at = chap.body(); at + 4 <= chap.start() + chap.size(); at += 4) {
                        chapterTracks.add(data.getInt(at));
                    }
                    free(file, read.at(tref.start()));
                }
            }
            for (Mp4Box trak = Mp4Box.in(data, moov, "trak"); trak != null; trak = Mp4Box.next(data, moov, trak, "trak")) {
                Mp4Box header = Mp4Box.in(data, trak, "tkhd");
                int trackId = data.getInt(header.body() + ((data.get(header.body()) & 0xff) == 1 ? 20 : 12));
                if (chapterTracks.contains(trackId)) {
                    free(file, read.at(trak.start())); // its few bytes of text stay in the mdat, unreferenced
                }
            }
        }
    }

    private static void free(FileChannel file, long boxStart) throws IOException {
        file.write(ByteBuffer.wrap("free".getBytes(StandardCharsets.US_ASCII)), boxStart + 4);
    }

    /** Room in the moov for the chapter track's sample tables and the {@code chpl} box. */
    static long moovBytes(List<ClipMarker> markers) {
        if (markers.isEmpty()) {
            return 0;
        }
        long labels = markers.stream().mapToLong(m -> m.label().getBytes(StandardCharsets.UTF_8).length).sum();
        return 4096 + markers.size() * 64L + labels;
    }
}
