package io.replaybuffer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The chapters of a media file as the ffprobe command reads them ({@code -show_chapters -of json}). */
public final class ChapterProbe {

    /** One chapter: start and end in seconds, and its title. */
    public record Chapter(double start, double end, String title) {
    }

    private ChapterProbe() {
    }

    public static List<Chapter> of(Path file) throws Exception {
        String ffprobe = OsTools.require("ffprobe", "ffmpeg");
        String out = OsTools.exec(new ProcessBuilder(ffprobe, "-v", "error", "-show_chapters", "-of", "json",
                file.toString()), Duration.ofSeconds(30));
        JsonNode root = new ObjectMapper().readTree(out.substring(out.indexOf('{')));
        List<Chapter> chapters = new ArrayList<>();
        for (JsonNode chapter : root.path("chapters")) {
            chapters.add(new Chapter(chapter.path("start_time").asDouble(), chapter.path("end_time").asDouble(),
                    chapter.path("tags").path("title").asText(null)));
        }
        return chapters;
    }
}
