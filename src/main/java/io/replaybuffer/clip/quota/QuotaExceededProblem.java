package io.replaybuffer.clip.quota;

import io.replaybuffer.platform.error.ProblemException;
import java.util.Map;

/** Saving this clip would take the user past their bytes or clip-count limit: nothing is built. */
public class QuotaExceededProblem extends ProblemException {

    private final QuotaView quota;
    private final long neededBytes;

    public QuotaExceededProblem(QuotaView quota, long neededBytes) {
        super("quota-exceeded", "Quota exceeded", 403, "This clip needs about " + (neededBytes >> 20)
                + " MiB; the quota has " + Math.max(0, (quota.limitBytes() - quota.usedBytes()) >> 20) + " MiB and "
                + Math.max(0, quota.limitClips() - quota.clipCount()) + " clips left. Delete clips to make room.");
        this.quota = quota;
        this.neededBytes = neededBytes;
    }

    @Override
    public Map<String, Object> extensions() {
        return Map.of("usedBytes", quota.usedBytes(), "limitBytes", quota.limitBytes(),
                "clipCount", quota.clipCount(), "limitClips", quota.limitClips(), "neededBytes", neededBytes);
    }
}
