package io.replaybuffer.buffer;

import io.replaybuffer.platform.error.ProblemException;

/** Another buffer for this user is starting at the same moment; try again. */
public class BufferConflictProblem extends ProblemException {

    public BufferConflictProblem(String detail) {
        super("buffer-conflict", "Buffer conflict", 409, detail);
    }
}
