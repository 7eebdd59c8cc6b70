package io.replaybuffer.capture.team;

import io.replaybuffer.platform.error.ProblemException;
import java.util.List;
import java.util.Map;

/**
 * Nobody in a team replay could be captured (no recording buffer, none over the window, all over quota, ...): no
 * group is made, and {@code skipped} says why for each player, as a 202 would have.
 */
public class EmptyTeamReplayProblem extends ProblemException {

    private final List<CaptureGroupView.Skipped> skipped;

    public EmptyTeamReplayProblem(String detail, List<CaptureGroupView.Skipped> skipped) {
        super("empty-team-replay", "Nobody could be captured", 422, detail);
        this.skipped = List.copyOf(skipped);
    }

    @Override
    public Map<String, Object> extensions() {
        return Map.of("skipped", skipped);
    }
}
